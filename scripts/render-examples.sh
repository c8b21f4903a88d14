#!/usr/bin/env bash
# Renders the graph of ../shared/seeds (or, without it, examples/news) for a person to look
# at, with the built-in dictionaries:
#   out/seeds.html      the self-contained page (--format html)
#   out/seeds-page.png  a headless-Chromium screenshot of it, the busiest visitor selected
#   out/seeds.dot       the DOT output
#   out/seeds-dot.png   its rendering by Graphviz (dot -Tpng)
# Needs graphviz, chromium and a CJK font (fonts-noto-cjk). OUT=dir changes the folder,
# SELECT=id the node selected in the screenshot, VISITGRAPH_CHROMIUM the browser.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/visitgraph"
input=../shared/seeds
[ -d "$input" ] || input=examples/news
out="${OUT:-out}"
mkdir -p "$out"

# Exit status 3 means some inputs were skipped (named on stderr): the graph is still written.
run() { "$bin" extract "$@" "$input" || [ $? -eq 3 ]; }
run --format html -o "$out/seeds.html"
run --format dot -o "$out/seeds.dot"
dot -Tpng -Gdpi=96 "$out/seeds.dot" -o "$out/seeds-dot.png"

# The visitor with the most events (ids and dates hold no commas).
select="${SELECT:-$(run --format events-csv | tail -n +2 | cut -d, -f2 | sort | uniq -c | sort -k1,1nr -k2 | awk 'NR==1{print $2}')}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"${VISITGRAPH_CHROMIUM:-chromium}" --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update --disable-sync \
  --disable-dev-shm-usage --user-data-dir="$profile" --hide-scrollbars --window-size=1400,900 \
  --screenshot="$(realpath "$out")/seeds-page.png" \
  "file://$(realpath "$out/seeds.html")#select=$select" 2>/dev/null
echo "wrote $out/seeds.html $out/seeds-page.png $out/seeds.dot $out/seeds-dot.png (input: $input, selected: ${select:-none})"
