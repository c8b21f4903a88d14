#!/usr/bin/env bash
# The benchmark: bench/run.sh [--quick] [--no-shapes] [bench.py options]
#                bench/run.sh shapes [shapes.py options]
#
# Creates a venv (OpenCC, pypinyin, pyahocorasick), builds the release binary, generates
# the dictionaries (shipped, 100k, 1M entries) and a 200 MB corpus for each (its first
# 50 MB doubles as the small corpus), then runs the bare scan, extract at -j1 and on every
# core, extract --discover on every core beside it, and the Python peer, asserts the match
# counts, and writes bench/results.md.
# --quick: a 10 MB corpus and the shipped dictionaries only (a smoke test, a minute or so;
# --discover included).
# Then the corpus shapes (issue 19, bench/shapes.py): the seed pages of ../shared/seeds as a
# folder of 7,500 .txt pages, the same as .html pages, one .jsonl and one .jsonl.gz, each
# run through visitgraph --jobs 1 and on every core and through the lean Python peer
# (bench/peer_lean.py); --quick makes that 50 pages, --no-shapes skips it, and
# `bench/run.sh shapes [options]` runs it alone (see bench/shapes.py --help).
#
# Environment: VG_BENCH_WORK (default bench/.work; corpora, dictionaries, graphs, venv),
# CARGO_TARGET_DIR (where the binary is built), VG_BENCH_PYTHON (python3 to make the venv),
# VG_BENCH_SEEDS (the seed pages of the shapes; default ../shared/seeds).
set -euo pipefail
MODE=all
if [ "${1:-}" = shapes ]; then MODE=shapes; shift; fi
cd "$(dirname "$0")/.."
REPO=$PWD
WORK=${VG_BENCH_WORK:-$REPO/bench/.work}
mkdir -p "$WORK"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
need_apt=()
[ -x /usr/bin/time ] || need_apt+=(time)
PY=${VG_BENCH_PYTHON:-python3}
"$PY" -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

VENV=$WORK/venv
if ! "$VENV/bin/python" -c 'import opencc, pypinyin, ahocorasick' 2>/dev/null; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  # `opencc` is the OpenCC C++ library's own binding (opencc-python-reimplemented is pure
  # Python, 40x slower, and would make the peer a straw man). Both install a module named
  # `opencc`: never install both in one venv.
  "$VENV/bin/pip" install -q 'opencc>=1.1' 'pypinyin>=0.50' 'pyahocorasick>=2.0'
fi

# What the measured binary is built from (bench.py writes it into results.md).
VG_BENCH_BUILT_FROM=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src Cargo.toml Cargo.lock dictionaries 2>/dev/null)" ]; then
  VG_BENCH_BUILT_FROM="$VG_BENCH_BUILT_FROM + uncommitted changes"
fi
export VG_BENCH_BUILT_FROM
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release/visitgraph
COMMON=(--bin "$BIN" --work "$WORK" --python "$VENV/bin/python")
if [ "$MODE" = shapes ]; then
  exec "$VENV/bin/python" bench/shapes.py "${COMMON[@]}" "$@"
fi
# bench.py takes the options; --quick and --check-targets also go to shapes.py.
args=() shape_args=() shapes=1
for x in "$@"; do
  case $x in
    --no-shapes) shapes=0 ;;
    --quick | --check-targets) args+=("$x") shape_args+=("$x") ;;
    *) args+=("$x") ;;
  esac
done
rc=0
"$VENV/bin/python" bench/bench.py "${COMMON[@]}" ${args[@]+"${args[@]}"} || rc=$?
if [ "$shapes" = 1 ]; then
  "$VENV/bin/python" bench/shapes.py "${COMMON[@]}" ${shape_args[@]+"${shape_args[@]}"} || rc=$((rc ? rc : $?))
fi
exit "$rc"
