#!/usr/bin/env bash
# usage: Tests/Simulator/run_all.sh ROSTER_BINARY RECIPES_DIR
# Simulates the district into a temporary folder and compares roster's rollover recipes with the oracle.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 ROSTER_BINARY RECIPES_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/roster-sim.XXXXXX")
trap 'rm -rf "$dir"' EXIT
python3 "$here/simulate.py" --out "$dir/out-sim" >/dev/null
python3 "$here/compare.py" "$1" "$2" "$dir/out-sim"
