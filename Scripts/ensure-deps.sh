#!/usr/bin/env bash
# Installs what building and testing roster need and a fresh machine may lack:
# libedit-dev (line editing for the REPL), pkg-config, and tmux (the REPL's end-to-end test).
set -euo pipefail
missing=()
pkg-config --exists libedit 2>/dev/null || missing+=(libedit-dev pkg-config)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ ${#missing[@]} -gt 0 ]; then
    echo "roster: installing ${missing[*]}..." >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
