#!/usr/bin/env bash
# Builds roster as it is released (release mode, the Swift runtime linked statically) in its own
# build folder, and prints the binary's path. Every benchmark times this binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
(cd "$root" && swift build -c release --static-swift-stdlib --product roster --scratch-path .build/bench >&2)
echo "$root/.build/bench/release/roster"
