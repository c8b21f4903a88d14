#!/usr/bin/env bash
# Runs visitgraph's map step on Apache Spark (pyspark, local mode) and checks that merging
# the shard graphs gives the same bytes as one plain run over the same records.
#
#   scripts/spark-check.sh
#
# Installs, if missing, Debian's openjdk-17-jre-headless (and python3-venv), makes a venv
# with pyspark (VG_SPARK_VENV, default /tmp/visitgraph-spark-venv), builds the release
# binary, then for each page set (tests/fixtures with its dictionary, the holdout set with
# its dictionary, and ../shared/seeds with the built-in dictionaries and ../shared/dev with
# its own when ../shared exists) writes the pages as one JSON Lines file, runs
# bench/spark_job.py over it in 4 partitions, `visitgraph merge`s the shard graphs and
# compares them with `visitgraph extract --jsonl -` over the same file. Exit 1 on any
# difference. Work files go to VG_SPARK_WORK (default a fresh temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
java -version 2>&1 | head -1

VENV=${VG_SPARK_VENV:-/tmp/visitgraph-spark-venv}
if ! "$VENV/bin/python" -c 'import pyspark' 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'pyspark>=3.5'
fi
export PYSPARK_PYTHON=$VENV/bin/python PYSPARK_DRIVER_PYTHON=$VENV/bin/python
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release/visitgraph
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WORK=${VG_SPARK_WORK:-$(mktemp -d /tmp/visitgraph-spark.XXXXXX)}
mkdir -p "$WORK"

# pages DIR OUT.jsonl: every *.txt of DIR as one {"id": file name, "text": ...} line.
pages() {
  "$VENV/bin/python" - "$1" "$2" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
n = 0
with open(out, "w", encoding="utf-8") as f:
    for name in sorted(os.listdir(src)):
        if name.endswith(".txt"):
            with open(os.path.join(src, name), encoding="utf-8") as page:
                f.write(json.dumps({"id": name, "text": page.read()}, ensure_ascii=False) + "\n")
            n += 1
print(f"{n} pages from {src}", file=sys.stderr)
PY
}

fail=0
# check NAME PAGES_DIR [EXTRACT_ARGS...]
check() {
  local name=$1 dir=$2
  shift 2
  local w=$WORK/$name
  rm -rf "$w" && mkdir -p "$w"
  pages "$dir" "$w/pages.jsonl"
  "$VENV/bin/python" bench/spark_job.py --bin "$BIN" --partitions 4 --master 'local[2]' \
    "$w/pages.jsonl" "$w/shards" -- "$@"
  "$BIN" merge "$w"/shards/shard-*.json -o "$w/merged.json"
  "$BIN" extract --jsonl - --quiet "$@" -o "$w/plain.json" < "$w/pages.jsonl"
  local shards edges
  shards=$(find "$w/shards" -name 'shard-*.json' | wc -l)
  edges=$(grep -c '"relation"' "$w/plain.json" || true)
  if [ "$shards" -lt 2 ]; then
    echo "spark-check: $name: only $shards shard graph(s); the merge was not exercised" >&2
    fail=1
  elif [ "$edges" -eq 0 ]; then
    echo "spark-check: $name: the plain run found no edges" >&2
    fail=1
  elif cmp -s "$w/merged.json" "$w/plain.json"; then
    echo "spark-check: $name: $shards shards merged == one plain run ($edges edges, $(wc -c < "$w/plain.json") bytes)"
  else
    echo "spark-check: $name: merged shards differ from one plain run:" >&2
    diff <(head -c 200000 "$w/plain.json") <(head -c 200000 "$w/merged.json") | head -20 >&2 || true
    fail=1
  fi
}

check fixtures tests/fixtures/texts --no-builtin --dict tests/fixtures/dict
check holdout tests/fixtures/holdout/texts --no-builtin --dict tests/fixtures/holdout/dict
if [ -d ../shared/seeds ]; then
  check seeds ../shared/seeds
fi
if [ -d ../shared/dev/texts ] && [ -d ../shared/dev/dict ]; then
  check dev ../shared/dev/texts --no-builtin --dict ../shared/dev/dict
fi
if [ "$fail" != 0 ]; then
  echo "spark-check: FAILED (work files in $WORK)" >&2
  exit 1
fi
echo "spark-check: passed"
[ -n "${VG_SPARK_WORK:-}" ] || rm -rf "$WORK"
