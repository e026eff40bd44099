#!/usr/bin/env bash
# The upload plan on ROWS portal users (../shared/bench/gen_plan.py) in roster beside its polars peer
# (plan_polars.py): checks that both give every user the same action, then times them alternately.
#   Scripts/bench/plan.sh [ROWS] [RUNS]     (defaults: 1000000 users, 5 runs each)
source "$(dirname "$0")/common.sh"
rows="${1:-1000000}"
runs="${2:-5}"
plan_data "$rows"
roster="$(bench_binary)"
cat > "$work/plan.roster" <<R
c = load "$work/cur.csv"
u = load "$work/up.csv"
p = u | plan against c as mcas
p | save "$work/out-roster.csv"
R
rm -f "$work/out-roster.csv"
"$roster" -q "$work/plan.roster"
python3 "$shared/bench/plan_polars.py" "$work/cur.csv" "$work/up.csv" "$work/out-polars.csv" >/dev/null
echo "== plan: the same action for every user?"
python3 - "$work/out-roster.csv" "$work/out-polars.csv" <<'PY'
import csv, collections, sys
def actions(path, action):
    with open(path, newline="", encoding="utf-8") as f:
        return collections.Counter((r["Username"].lower(), r[action]) for r in csv.DictReader(f))
a, b = actions(sys.argv[1], "Plan"), actions(sys.argv[2], "Action")
print("same actions for all %d users" % sum(a.values()) if a == b else "DIFFERENT: %d pairs differ" % len((a - b) + (b - a)))
counts = collections.Counter()
for (_, act), n in a.items(): counts[act] += n
print("  " + ", ".join("%s %d" % kv for kv in sorted(counts.items())))
sys.exit(0 if a == b else 1)
PY
echo "== plan: roster (A) vs polars (B), $runs runs each, alternating"
python3 "$shared/bench/ab.py" -n "$runs" \
    --a "$roster -q $work/plan.roster" \
    --b "python3 $shared/bench/plan_polars.py $work/cur.csv $work/up.csv $work/out-polars.csv"
