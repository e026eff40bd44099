#!/usr/bin/env bash
# Runs every test: unit, property and golden tests, and the sample recipe against its expected
# outputs (swift test). Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
Scripts/ensure-deps.sh || exit 1
log="${TMPDIR:-/tmp}/roster-test-$$.log"
swift build --build-tests 2>&1 | tail -n 1
# The code keeps the house format (.swift-format): a file that drifts from it fails the run.
if ! swift format lint --strict --recursive Sources Tests Package.swift; then
    echo "swift format: run 'swift format --in-place --recursive Sources Tests Package.swift'"
    echo "0 passed, 1 failed"
    exit 1
fi
swift test > "$log" 2>&1
status=$?
grep -a -E "✘|error:|Test run with" "$log"
summary=$(grep -a -E "Test run with [0-9]+ tests?" "$log" | tail -n 1)
total=$(echo "$summary" | sed -E 's/.*Test run with ([0-9]+) tests?.*/\1/')
failed=$(grep -a -E "^✘ Test " "$log" | grep -v "Test run with" | grep -a -c " failed after")
if [ -z "$summary" ]; then
    echo "no test result (full log: $log)"
    exit 1
fi
if [ "$status" -ne 0 ] || [ "$failed" -gt 0 ] || ! echo "$summary" | grep -q "passed"; then
    echo "full log: $log"
    echo "$((total - failed)) passed, $failed failed"
    exit 1
fi
rm -f "$log"
echo "$total passed, 0 failed"
