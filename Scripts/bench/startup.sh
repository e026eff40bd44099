#!/usr/bin/env bash
# Start-up: roster and Miller counting a 10-row file, alternately (../shared/bench/ab.py);
# the target is at most 1.0× Miller.
#   Scripts/bench/startup.sh [RUNS]     (default: 21)
source "$(dirname "$0")/common.sh"
runs="${1:-21}"
roster="$(bench_binary)"
command -v mlr >/dev/null || { sudo -n apt-get install -y -qq miller >/dev/null 2>&1 || apt-get install -y -qq miller >/dev/null; }
[ -f "$work/roster-1000000.csv" ] || python3 "$shared/bench/gen_roster.py" 1000000 "$work/roster-1000000.csv"
head -n 11 "$work/roster-1000000.csv" > "$work/t.csv"
echo "== start-up on a 10-row file: roster (A) vs Miller $(mlr --version | cut -d' ' -f2) (B), $runs runs each"
python3 "$shared/bench/ab.py" -n "$runs" \
    --a "$roster -c 'load \"$work/t.csv\" | count'" \
    --b "mlr --icsv --opprint count $work/t.csv"
