#!/usr/bin/env bash
# Installs what building roster needs and a fresh machine may lack: libedit-dev (and pkg-config).
set -euo pipefail
if ! pkg-config --exists libedit 2>/dev/null; then
    echo "roster: installing libedit-dev (line editing for the REPL)..." >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libedit-dev pkg-config >/dev/null
fi
