# Sourced by each benchmark script: strict mode, the folders it uses (the repository, ../shared
# or $ROSTER_SHARED, the work folder $ROSTER_BENCH_DIR or /tmp/roster-bench) and, with
# bench_binary, the roster binary it times ($ROSTER_BIN, or the static release build.sh makes).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${ROSTER_SHARED:-$root/../shared}"
work="${ROSTER_BENCH_DIR:-/tmp/roster-bench}"
mkdir -p "$work"

bench_binary() { echo "${ROSTER_BIN:-$("$here/build.sh")}"; }

# plan_data ROWS: the portal's users and an MCAS upload of ROWS users (../shared/bench/gen_plan.py),
# made once in $work/plan-ROWS, which becomes $work.
plan_data() {
    work="$work/plan-$1"
    mkdir -p "$work"
    [ -f "$work/up.csv" ] || python3 "$shared/bench/gen_plan.py" "$1" "$work" >/dev/null
}
