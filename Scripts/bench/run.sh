#!/usr/bin/env bash
# Every speed target, measured side by side in one session (medians of alternating runs,
# ../shared/bench/ab.py), on the binary as it is released (build.sh: release, static runtime):
#   1. the job (../shared/bench/JOB.md) beside polars, outputs checked byte for byte
#   2. the upload plan beside plan_polars.py (plan.sh), the same action for every user checked
#   3. each verb beside roster's own load (verbs.sh)
#   4. start-up beside Miller (startup.sh)   5. loading beside wc -l (load.sh)
#   6. scaling from 10k to 5M rows (scaling.sh)
#   Scripts/bench/run.sh [ROWS] [RUNS]     (defaults: 1000000 rows, 5 timed runs each)
source "$(dirname "$0")/common.sh"
rows="${1:-1000000}"
runs="${2:-5}"
export ROSTER_BENCH_DIR="$work"

"$root/Scripts/ensure-deps.sh"
python3 -c "import polars" 2>/dev/null || pip install -q polars
roster="$("$here/build.sh")"
export ROSTER_BIN="$roster"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"

data="$work/roster-$rows.csv"
[ -f "$data" ] || python3 "$shared/bench/gen_roster.py" "$rows" "$data"

echo "== correctness: roster vs the Python reference ($rows rows)"
rm -rf "$work/ref" "$work/out"
python3 "$shared/bench/job_python.py" "$data" "$work/ref"
"$roster" -q "$here/job.roster" --param input="$data" --param out="$work/out" 2>/dev/null
for f in valid.csv errors.csv; do
    cmp "$work/ref/$f" "$work/out/$f" && echo "$f: byte-identical ($(sha256sum < "$work/out/$f" | cut -c1-16)…)"
done

echo "== the whole job: roster (A) vs polars (B), $runs runs each, alternating"
python3 "$shared/bench/ab.py" -n "$runs" \
    --a "$roster -q $here/job.roster --param input=$data --param out=$work/out-a" \
    --b "python3 $shared/bench/job_polars.py $data $work/out-b"

"$here/plan.sh" "$rows" "$runs"
"$here/verbs.sh" "$rows"
"$here/startup.sh" 21
"$here/load.sh" "$runs"
"$here/scaling.sh" 3
