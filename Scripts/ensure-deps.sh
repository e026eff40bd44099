#!/usr/bin/env bash
# Installs what building and testing roster need and a fresh machine may lack:
# libedit-dev (line editing for the REPL), zlib1g-dev (inflating .xlsx workbooks and zip packages),
# pkg-config, tmux (the REPL's end-to-end test) and openpyxl (a test reads the workbooks roster
# writes with it). With ROSTER_WITH_LIBREOFFICE=1 it also installs LibreOffice's spreadsheet
# (headless), with which a test converts a saved workbook back to CSV.
set -euo pipefail
missing=()
pkg-config --exists libedit 2>/dev/null || missing+=(libedit-dev pkg-config)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ "${ROSTER_WITH_LIBREOFFICE:-0}" = 1 ] && ! command -v soffice >/dev/null 2>&1; then
    missing+=(libreoffice-calc-nogui)
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "roster: installing ${missing[*]}..." >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import openpyxl" 2>/dev/null; then
    echo "roster: installing openpyxl..." >&2
    python3 -m pip install -q openpyxl 2>/dev/null || python3 -m pip install -q --break-system-packages openpyxl
fi
