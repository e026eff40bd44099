#!/usr/bin/env bash
# Builds roster as on a system without libedit (ROSTER_WITHOUT_LIBEDIT=1: the REPL reads plain lines)
# in its own build folder, and checks that it links no libedit and that its REPL runs statements.
set -euo pipefail
cd "$(dirname "$0")/.."
ROSTER_WITHOUT_LIBEDIT=1 swift build --scratch-path .build-nolibedit --product roster 2>&1 | tail -n 1
binary=.build-nolibedit/debug/roster
if ldd "$binary" 2>/dev/null | grep -q libedit; then echo "no-libedit build: links libedit" >&2; exit 1; fi
out=$(printf 'let x = 2\nprint $x * 21\n' | "$binary" --repl)
[ "$(echo "$out" | tail -n 1)" = "42" ] || { echo "no-libedit build: the REPL did not answer: $out" >&2; exit 1; }
echo "no-libedit build: links no libedit, and its REPL runs statements"
