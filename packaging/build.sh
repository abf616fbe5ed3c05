#!/usr/bin/env bash
# Build the one-folder app: build/dist/weekly-review/weekly-review (plus share/ for desktop integration).
#
#     bash packaging/build.sh [DISTPATH [WORKPATH]]
#
# Uses the project's venv (.venv, or $PYTHON); installs the app and PyInstaller (the `package`
# extra) into it when PyInstaller is missing. Needs no display.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
DISTPATH="${1:-build/dist}"
WORKPATH="${2:-build/work}"

if [ ! -x "$PYTHON" ]; then
    echo "build.sh: no $PYTHON; make the venv first: python3 -m venv .venv" >&2
    exit 2
fi
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    "$PYTHON" -m pip install -q -e '.[package]'
fi

started=$(date +%s)
"$PYTHON" -m PyInstaller packaging/weekly-review.spec --noconfirm --log-level WARN \
    --distpath "$DISTPATH" --workpath "$WORKPATH"
echo "built $DISTPATH/weekly-review/weekly-review in $(( $(date +%s) - started )) s," \
    "$(du -sh "$DISTPATH/weekly-review" | cut -f1)"
