#!/usr/bin/env bash
# Builds roster and runs the sample rollover recipe on the synthetic data in Scripts/sample/data.
# Outputs go to Scripts/sample/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/ensure-deps.sh
swift build -c release --product roster 2>&1 | tail -n 1
rm -rf Scripts/sample/out
.build/release/roster Scripts/sample/rollover.roster "$@"
echo "--- wrote:"; ls -l Scripts/sample/out
