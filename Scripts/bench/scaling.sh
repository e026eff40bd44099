#!/usr/bin/env bash
# Scaling: the reference job (job.roster) on 10k, 100k, 1M and 5M rows: wall time per row and peak
# memory per input byte (median of RUNS runs each). The targets: flat cost per row, and at 5M rows at
# most 2 bytes of memory per input byte.
#   Scripts/bench/scaling.sh [RUNS] [SIZES…]     (defaults: 3 runs; 10000 100000 1000000 5000000)
source "$(dirname "$0")/common.sh"
runs="${1:-3}"
shift || true
sizes=("${@:-10000 100000 1000000 5000000}")
roster="$(bench_binary)"
echo "== scaling: the job at each size, median of $runs runs"
printf "  %9s %9s %10s %10s %12s\n" rows MB "wall s" "ns/row" "peak/input"
for n in ${sizes[@]}; do
    data="$work/roster-$n.csv"
    [ -f "$data" ] || python3 "$shared/bench/gen_roster.py" "$n" "$data" >/dev/null 2>&1
    python3 - "$roster" "$here/job.roster" "$data" "$work/out-scale" "$runs" "$n" <<'PY'
import os, statistics, subprocess, sys, time
roster, job, data, out, runs, n = sys.argv[1:]
walls, peaks = [], []
for _ in range(int(runs)):
    t = time.monotonic()
    p = subprocess.Popen([roster, "-q", job, "--param", f"input={data}", "--param", f"out={out}"], stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    walls.append(time.monotonic() - t); peaks.append(ru.ru_maxrss * 1024)
size = os.path.getsize(data)
wall, peak = statistics.median(walls), statistics.median(peaks)
print("  %9d %9.1f %10.3f %10.0f %11.2f×" % (int(n), size / 1e6, wall, wall / int(n) * 1e9, peak / size))
PY
done
