#!/usr/bin/env bash
# Set up a virtual environment with the app and open it (on the bundled samples unless a folder is given).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/weekly-review "$@"
