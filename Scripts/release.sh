#!/usr/bin/env bash
# Builds a release of roster for this machine's system and packs it:
#   dist/roster-VERSION-OS-ARCH.tar.gz  holding  bin/roster, share/man/man1/roster.1 and
#   share/roster/completions/{roster.bash,_roster,roster.fish}
# The binary links the Swift runtime statically (--static-swift-stdlib), so the target machine needs
# only its C library and zlib; the REPL opens libedit when it starts (Debian: libedit2; macOS has
# it) and reads plain lines without it. Run: Scripts/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/ensure-deps.sh
swift build -c release --static-swift-stdlib --product roster 2>&1 | tail -n 1
binary=.build/release/roster
version=$("$binary" --version | awk '{print $2}')
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/roster-$version"
mkdir -p "$root/bin" "$root/share/man/man1" "$root/share/roster/completions"
cp "$binary" "$root/bin/roster"
strip "$root/bin/roster" 2>/dev/null || true
# The man page, from the command's own definition (swift-argument-parser's manual plugin).
swift package --allow-writing-to-package-directory generate-manual --output-directory "$root/share/man/man1" --date "$(date +%Y-%m-%d)" >/dev/null
"$root/bin/roster" --generate-completion-script bash > "$root/share/roster/completions/roster.bash"
"$root/bin/roster" --generate-completion-script zsh > "$root/share/roster/completions/_roster"
"$root/bin/roster" --generate-completion-script fish > "$root/share/roster/completions/roster.fish"
cp README.md "$root/"
mkdir -p dist
archive="dist/roster-$version-$os-$arch.tar.gz"
tar -C "$stage" -czf "$archive" "roster-$version"
echo "wrote $archive:"
tar -tzf "$archive" | sed 's/^/  /'
echo "the binary needs: $(ldd "$root/bin/roster" 2>/dev/null | awk '{print $1}' | tr '\n' ' ')"
