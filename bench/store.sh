#!/usr/bin/env bash
# The store's bench (issue 18): extract --store on the 200 MB corpus with the 100k dictionary.
#
#   bench/store.sh [BIN]
#
# Needs the corpus and dictionary bench/run.sh generates (corpus-100k-200mb, dict-100k in
# VG_BENCH_WORK, default bench/.work). Builds, beside them, a "base" dictionary (the 100k one
# without 100 officials and 100 organizations named in the pages, none holding a post) and a
# shard of 1,000 more pages (from the 50 MB corpus, ids renamed), then times (whole process,
# best of REPEAT; each store step restarts from a copy of the store it follows):
#   fresh        extract without a store, base dictionary
#   first        extract --store, a new store, base dictionary
#   unchanged    the same again
#   +100/+100    the full dictionary (the 200 entities back), vs a fresh run with it
#   +1000 pages  the full dictionary and the extra shard, vs a fresh run over both
# and asserts that every store run's output is the same bytes as the fresh run's.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/visitgraph}
WORK=${VG_BENCH_WORK:-bench/.work}
REPEAT=${REPEAT:-2}
C200=$WORK/corpus-100k-200mb
DICT=$WORK/dict-100k
S=$WORK/store-bench
[ -d "$C200" ] && [ -d "$DICT" ] || { echo "bench/store.sh: run bench/run.sh first (needs $C200 and $DICT)" >&2; exit 2; }
mkdir -p "$S/pages"
rm -f "$S"/pages/*.jsonl
for f in "$C200"/shard-*.jsonl; do ln -sf "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$S/pages/"; done
# (-L: the dictionary folder may be a symlink, which must be copied, not linked.)
rm -rf "$S/base" "$S/full" && cp -rL "$DICT" "$S/full" && cp -rL "$DICT" "$S/base"
python3 - "$S" <<'EOF'
import random, sys
s = sys.argv[1]
random.seed(7)
posts = open(f"{s}/full/posts.tsv", encoding="utf-8").read().split("\n")
held = {l.split("\t")[0] for l in posts[1:] if l}
refs = set()
for f in ("organizations.tsv", "places.tsv"):
    for l in open(f"{s}/full/{f}", encoding="utf-8").read().split("\n")[1:]:
        refs.update(l.split("\t")[3:])
for f in ("officials.tsv", "organizations.tsv"):
    lines = open(f"{s}/full/{f}", encoding="utf-8").read().rstrip("\n").split("\n")
    head, rows = lines[0], lines[1:]
    free = [r for r in rows if r.split("\t")[0] not in held and r.split("\t")[0] not in refs]
    drop = set(random.sample(free, 100))
    open(f"{s}/base/{f}", "w", encoding="utf-8").write("\n".join([head] + [r for r in rows if r not in drop]) + "\n")
EOF
head -1000 "$WORK/corpus-100k-50mb/shard-0000.jsonl" | sed 's/^{"id": "s/{"id": "more-s/' > "$S/more.jsonl"

best() { # best wall time of REPEAT runs of "$@" (with PREP run before each)
  local b=""
  for _ in $(seq "$REPEAT"); do
    [ -n "${PREP:-}" ] && eval "$PREP"
    local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$S/err"; t1=$(date +%s.%N)
    b=$(python3 -c "import sys; a=float(sys.argv[1]); print(a if '$b'=='' else min(a,float('$b')))" "$(echo "$t1 - $t0" | bc)")
  done
  echo "$b"
}
x() { "$BIN" extract --quiet --stats --no-builtin --dict "$@"; }
same() { cmp -s "$1" "$2" || { echo "bench/store.sh: $2 differs from $1" >&2; exit 1; }; }
stat_of() { grep -o "\"$1\":[0-9]*" "$S/err" | cut -d: -f2; }

rm -f "$S"/vg.db*
fresh=$(PREP="" best x "$S/base" "$S/pages" -o "$S/fresh.json")
first=$(PREP="rm -f $S/vg.db*" best x "$S/base" "$S/pages" --store "$S/vg.db" -o "$S/first.json")
same "$S/fresh.json" "$S/first.json"; size=$(stat -c %s "$S/vg.db")
cp "$S/vg.db" "$S/base.db"
unchanged=$(PREP="cp $S/base.db $S/vg.db" best x "$S/base" "$S/pages" --store "$S/vg.db" -o "$S/unchanged.json")
same "$S/fresh.json" "$S/unchanged.json"
fresh_full=$(PREP="" best x "$S/full" "$S/pages" -o "$S/fresh-full.json")
dict=$(PREP="cp $S/base.db $S/vg.db" best x "$S/full" "$S/pages" --store "$S/vg.db" -o "$S/dict.json")
same "$S/fresh-full.json" "$S/dict.json"; dict_re=$(stat_of reextracted)
cp "$S/vg.db" "$S/full.db"
ln -sf "$(cd "$S" && pwd)/more.jsonl" "$S/pages/zz-more.jsonl"
fresh_more=$(PREP="" best x "$S/full" "$S/pages" -o "$S/fresh-more.json")
more=$(PREP="cp $S/full.db $S/vg.db" best x "$S/full" "$S/pages" --store "$S/vg.db" -o "$S/more.json")
same "$S/fresh-more.json" "$S/more.json"; more_added=$(stat_of added)
rm -f "$S/pages/zz-more.jsonl"
pct() { python3 -c "import sys; print(f'{100*float(sys.argv[1])/float(sys.argv[2]):.0f}%')" "$1" "$2"; }
cat <<EOF
| run (200 MB, 103,849 pages, 100k dictionary; whole process, best of $REPEAT) | wall s | vs fresh |
| --- | --- | --- |
| fresh, no store | $fresh | 100% |
| first run with --store (store $((size / 1000000)) MB) | $first | $(pct "$first" "$fresh") |
| rerun, nothing changed | $unchanged | $(pct "$unchanged" "$fresh") |
| rerun after +100 officials, +100 organizations ($dict_re pages re-extracted) | $dict | $(pct "$dict" "$fresh_full") of $fresh_full |
| rerun after +1,000 pages ($more_added added) | $more | $(pct "$more" "$fresh_more") of $fresh_more |
Every store run's JSON output is byte-identical to the fresh run's (asserted).
EOF
