"""Benchmarks keep the app's settings and the reviewer's database in their own temporary folder.

A benchmark that starts the window or the CLI without these would read and write the settings and
the review database of whoever runs it, and its first run would depend on what they left there.
"""

from __future__ import annotations

import os
from pathlib import Path


def isolate(base: Path) -> dict[str, str]:
    """Point settings and reviewer data at folders under `base`, here and in child processes.

    Returns the variables set, for a child's environment built by hand.
    """
    values = {
        "WEEKLY_REVIEW_CONFIG_DIR": str(base / "config"),
        "WEEKLY_REVIEW_DATA_DIR": str(base / "data"),
    }
    os.environ.update(values)
    return values
