#!/usr/bin/env bash
# Builds roster as it is released (release mode, the Swift runtime linked statically) in its own
# build folder, installs a copy beside it, and prints the copy's path. Every benchmark times the copy:
# a binary as the linker leaves it sits in the page cache in small pieces and starts about a tenth
# slower (measured: the same bytes, `../shared/bench/ab.py -n 201`, ratio 1.11) than it does once
# installed, copied, or read back from disk.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
(cd "$root" && swift build -c release --static-swift-stdlib --product roster --scratch-path .build/bench >&2)
built="$root/.build/bench/release/roster"
installed="$root/.build/bench/roster"
if ! cmp -s "$built" "$installed"; then
    cp "$built" "$installed.new" && mv "$installed.new" "$installed"
fi
echo "$installed"
