#!/usr/bin/env bash
# Each verb on ROWS users (the upload of ../shared/bench/gen_plan.py, an MCAS file) beside roster's
# own load of the same file, from one run with --timings; the target is at most 2× the load.
#   Scripts/bench/verbs.sh [ROWS]     (default: 1000000)
source "$(dirname "$0")/common.sh"
rows="${1:-1000000}"
plan_data "$rows"
roster="$(bench_binary)"
cat > "$work/verbs.roster" <<R
u = load "$work/up.csv"
c = load "$work/cur.csv"
a = u | fix as mcas
b = u | validate as mcas
check u as mcas
d = u | convert to toms
e = u | diff c on Username
f = u | join c on Username
g = u | expand Org on "-"
h = u | sort Lname, Fname
i = u | unique by Role
R
echo "== verbs on $rows rows: time beside load (one run, --timings)"
"$roster" -q --timings "$work/verbs.roster" 2>&1 >/dev/null | tr '\r' '\n' | python3 -c '
import re, sys
times = [(m.group(1), int(m.group(2))) for m in (re.search(r"time: (\w+) (\d+) ms", l) for l in sys.stdin) if m]
load = times[0][1]
print("  %-9s %6s  %s" % ("step", "ms", "÷ load"))
for name, ms in times[:1] + times[2:]:
    print("  %-9s %6d  %5.2f×%s" % (name, ms, ms / load, "" if name == "load" or ms <= 2 * load else "  (over 2×)"))
'
