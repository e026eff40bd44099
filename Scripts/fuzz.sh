#!/usr/bin/env bash
# Runs one fuzz target under libFuzzer with AddressSanitizer for a bounded time.
#   Scripts/fuzz.sh TARGET SECONDS [JOBS]      TARGET: csv, parser, format, sheet, zip or oneroster (or "all")
# The seed corpus is Tests/Fuzz/corpus/TARGET; inputs the fuzzer finds go to a work folder
# (ROSTER_FUZZ_DIR, default /tmp/roster-fuzz), not into the repository. A crash is saved under
# Tests/Fuzz/crashes/ and the script exits 1: turn the file into a regression test.
# Replay a saved input without libFuzzer: .build/debug/roster-fuzz TARGET FILE...
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Scripts/fuzz.sh csv|parser|format|sheet|zip|oneroster|all SECONDS [JOBS]}"
seconds="${2:?usage: Scripts/fuzz.sh TARGET SECONDS [JOBS]}"
jobs="${3:-1}"
if [ "$target" = all ]; then
    status=0
    for t in csv parser format sheet zip oneroster; do "$0" "$t" "$seconds" "$jobs" || status=1; done
    exit $status
fi
[ -d "Tests/Fuzz/corpus/$target" ] || { echo "fuzz: no target '$target' (csv, parser, format, sheet, zip, oneroster)" >&2; exit 2; }

swift build -c release --product roster-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library 2>&1 | tail -n 1
binary=.build-fuzz/release/roster-fuzz

work="${ROSTER_FUZZ_DIR:-/tmp/roster-fuzz}/$target"
mkdir -p "$work/corpus" Tests/Fuzz/crashes
log="$work/fuzz.log"
set +e
ROSTER_FUZZ_TARGET="$target" ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1" "$binary" \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=20 -jobs="$jobs" -workers="$jobs" \
    -artifact_prefix="Tests/Fuzz/crashes/$target-" -print_final_stats=1 \
    "$work/corpus" "Tests/Fuzz/corpus/$target" > "$log" 2>&1
status=$?
set -e
[ "$jobs" -gt 1 ] && cat fuzz-*.log >> "$log" 2>/dev/null && rm -f fuzz-*.log
runs=$(grep -a -o "stat::number_of_executed_units: *[0-9]*" "$log" | awk '{s += $2} END {print s + 0}')
cov=$(grep -a -o "cov: [0-9]*" "$log" | tail -n 1 | awk '{print $2}')
echo "fuzz $target: ${seconds}s × $jobs job(s), $runs inputs, coverage ${cov:-?} edges, exit $status (log: $log)"
if [ $status -ne 0 ]; then
    grep -a -E "ERROR|SUMMARY|Test unit written" "$log" | head -n 20
    exit 1
fi
