#!/usr/bin/env bash
# The reference rollover job (../shared/bench/JOB.md) in roster, beside polars, on 1,000,000 rows.
#   Scripts/bench/run.sh [ROWS] [RUNS]     (defaults: 1000000 rows, 5 timed runs each)
# Builds roster in release mode, generates the data with the shared generator, checks that roster's
# valid.csv and errors.csv are byte-identical to the plain-Python reference's, then times roster and
# polars alternately (../shared/bench/ab.py: medians, peak memory, ratio), roster's start-up on a
# 10-row file, and its CSV reading speed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${ROSTER_SHARED:-$root/../shared}"
rows="${1:-1000000}"
runs="${2:-5}"
work="${ROSTER_BENCH_DIR:-/tmp/roster-bench}"
mkdir -p "$work"

"$root/Scripts/ensure-deps.sh"
(cd "$root" && swift build -c release --product roster 2>&1 | tail -n 1)
roster="$root/.build/release/roster"

data="$work/roster-$rows.csv"
[ -f "$data" ] || python3 "$shared/bench/gen_roster.py" "$rows" "$data"
head -n 11 "$data" > "$work/roster-10.csv"

echo "== correctness: roster vs the Python reference ($rows rows)"
rm -rf "$work/ref" "$work/out"
python3 "$shared/bench/job_python.py" "$data" "$work/ref"
"$roster" -q "$here/job.roster" --param input="$data" --param out="$work/out" 2>/dev/null
for f in valid.csv errors.csv; do
    cmp "$work/ref/$f" "$work/out/$f" && echo "$f: byte-identical ($(sha256sum < "$work/out/$f" | cut -c1-16)…)"
done

echo "== the whole job: roster (A) vs polars (B), $runs runs each, alternating"
python3 -c "import polars" 2>/dev/null || pip install -q polars
python3 "$shared/bench/ab.py" -n "$runs" \
    --a "$roster -q $here/job.roster --param input=$data --param out=$work/out-a" \
    --b "python3 $shared/bench/job_polars.py $data $work/out-b"

echo "== start-up: the whole job on a 10-row file (median of 21 runs)"
python3 - "$roster" "$here/job.roster" "$work" <<'PY'
import statistics, subprocess, sys, time
roster, job, work = sys.argv[1:]
cmd = [roster, "-q", job, "--param", f"input={work}/roster-10.csv", "--param", f"out={work}/out-10"]
times = []
for _ in range(21):
    t = time.perf_counter(); subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL); times.append(time.perf_counter() - t)
print("start-up: %.1f ms" % (1000 * statistics.median(times)))
PY

echo "== CSV reading: load only, minus start-up (median of 5 runs)"
python3 - "$roster" "$data" "$work" <<'PY'
import os, statistics, subprocess, sys, time
roster, data, work = sys.argv[1:]
def med(cmd, n=5):
    ts = []
    for _ in range(n):
        t = time.perf_counter(); subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL); ts.append(time.perf_counter() - t)
    return statistics.median(ts)
load = med([roster, "-q", "-c", f'x = load "{data}"'])
empty = med([roster, "-q", "-c", f'x = load "{work}/roster-10.csv"'])
mb = os.path.getsize(data) / 1e6
print("read %.1f MB in %.3f s: %.0f MB/s" % (mb, load - empty, mb / (load - empty)))
PY
