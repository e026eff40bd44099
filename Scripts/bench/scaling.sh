#!/usr/bin/env bash
# Scaling: the reference job (job.roster) on 10k, 100k, 1M and 5M rows (median of RUNS runs each):
#   wall/row     wall time per row
#   beyond/row   (wall − the same job's wall on 100 rows) per row beyond the 100: the cost of the
#                rows themselves, without start-up and the job's fixed costs (its script, its durable
#                saves), which at 10k rows are a third of the run
#   cpu/row      user + system time of all threads per row beyond the 100 (less the 100-row run's):
#                the work the rows take, however many cores did it
#   slope/row    (wall − the next smaller size's wall) per row added: what one more row costs in that
#                range, with no fixed cost in it at all (at 10k, measured from the 100-row run)
#   peak/input   peak memory per input byte
# The targets: flat cost per row, and at 5M rows at most 2 bytes of memory per input byte.
#   Scripts/bench/scaling.sh [RUNS] [SIZES…]     (defaults: 3 runs; 10000 100000 1000000 5000000)
source "$(dirname "$0")/common.sh"
runs="${1:-3}"
shift || true
sizes=("${@:-10000 100000 1000000 5000000}")
roster="$(bench_binary)"
for n in 10000 ${sizes[@]}; do
    [ -f "$work/roster-$n.csv" ] || python3 "$shared/bench/gen_roster.py" "$n" "$work/roster-$n.csv" >/dev/null 2>&1
done
head -n 101 "$work/roster-10000.csv" > "$work/roster-100.csv"
echo "== scaling: the job at each size, median of $runs runs (fixed costs: the job on 100 rows)"
python3 - "$roster" "$here/job.roster" "$work" "$runs" 100 ${sizes[@]} <<'PY'
import os, statistics, subprocess, sys, time
roster, job, work, runs, *sizes = sys.argv[1:]
def measure(n):
    data = f"{work}/roster-{n}.csv"
    walls, cpus, peaks = [], [], []
    for _ in range(max(int(runs), 9 if int(n) <= 10000 else 1)):
        t = time.monotonic()
        p = subprocess.Popen([roster, "-q", job, "--param", f"input={data}", "--param", f"out={work}/out-scale"], stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        walls.append(time.monotonic() - t); cpus.append(ru.ru_utime + ru.ru_stime); peaks.append(ru.ru_maxrss * 1024)
    return statistics.median(walls), statistics.median(cpus), statistics.median(peaks), os.path.getsize(data)
base, base_cpu, _, _ = measure(100)
print("  fixed costs (100 rows): %.1f ms wall, %.1f ms CPU" % (base * 1e3, base_cpu * 1e3))
print("  %9s %9s %10s %10s %11s %10s %9s %11s" % ("rows", "MB", "wall s", "wall/row", "beyond/row", "slope/row", "cpu/row", "peak/input"))
previous = (100, base)
for n in sizes[1:]:
    wall, cpu, peak, size = measure(n)
    rows = int(n)
    slope = (wall - previous[1]) / (rows - previous[0])
    previous = (rows, wall)
    print("  %9d %9.1f %10.3f %8.0f ns %8.0f ns %7.0f ns %6.0f ns %10.2f×" % (
        rows, size / 1e6, wall, wall / rows * 1e9, (wall - base) / (rows - 100) * 1e9, slope * 1e9,
        (cpu - base_cpu) / (rows - 100) * 1e9, peak / size))
PY
