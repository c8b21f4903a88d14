#!/usr/bin/env bash
# The test command (README). Runs the whole suite on a machine with only the Rust toolchain:
# it first installs, where missing, the independent readers the format tests open every
# output with — Graphviz (DOT), xmllint (GraphML, GEXF), Chromium (the HTML page), a CJK
# font, and networkx ≥ 3.4 in a venv — from Debian's packages and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v "${VISITGRAPH_CHROMIUM:-chromium}" >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  echo "test.sh: installing ${need[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

has_networkx() {
  "$1" -c 'import sys, networkx; sys.exit(0 if tuple(int(x) for x in networkx.__version__.split(".")[:2]) >= (3, 4) else 1)' >/dev/null 2>&1
}
if [ -z "${VISITGRAPH_PYTHON:-}" ]; then
  if has_networkx python3; then
    export VISITGRAPH_PYTHON=python3
  else
    venv="${TMPDIR:-/tmp}/visitgraph-venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    has_networkx "$venv/bin/python" || "$venv/bin/pip" install -q 'networkx>=3.4'
    export VISITGRAPH_PYTHON="$venv/bin/python"
  fi
fi

cargo test --release "$@"
