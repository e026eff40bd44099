#!/usr/bin/env bash
# Loading: roster reading the 1M-row roster (92 MB) beside `wc -l` of the same file, alternately;
# the target (1 GB/s) is at most 5× wc -l.
#   Scripts/bench/load.sh [RUNS]     (default: 7)
source "$(dirname "$0")/common.sh"
runs="${1:-7}"
roster="$(bench_binary)"
data="$work/roster-1000000.csv"
[ -f "$data" ] || python3 "$shared/bench/gen_roster.py" 1000000 "$data"
echo "== loading $(($(stat -c %s "$data") / 1000000)) MB: roster (A) vs wc -l (B), $runs runs each"
python3 "$shared/bench/ab.py" -n "$runs" --a "$roster -q -c 'x = load \"$data\"'" --b "wc -l $data"
python3 - "$roster" "$data" <<'PY'
import os, statistics, subprocess, sys, time
roster, data = sys.argv[1:]
ts = []
for _ in range(5):
    t = time.perf_counter(); subprocess.run([roster, "-q", "-c", f'x = load "{data}"'], check=True); ts.append(time.perf_counter() - t)
mb = os.path.getsize(data) / 1e6
print("roster reads %.0f MB in %.3f s (median of 5, start-up included): %.0f MB/s" % (mb, statistics.median(ts), mb / statistics.median(ts)))
PY
