"""The window's figures for a generated folder: shown, index, stalls (indexing, a search, a Ctrl+D), exit.

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_window.py [--reports 5000] [--keep DIR]

Runs `weekly-review FOLDER --quit-after-index --timings` twice, with an empty cache and then with the
cache from the first run, and prints what `--timings` measured plus the time from the index being done
to the process having exited.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

APP = [sys.executable, "-c", "import sys; from desktop.ui.app import main; sys.exit(main(sys.argv[1:]))"]
FIGURES = (
    ("window_shown_s", "window shown", "s"),
    ("first_report_listed_s", "first report in the tree", "s"),
    ("index_done_s", "index done", "s"),
    ("max_stall_ms", "longest stall while indexing", "ms"),
    ("p99_stall_ms", "99th percentile stall while indexing", "ms"),
    ("search_max_stall_ms", "longest stall of a search", "ms"),
    ("compare_max_stall_ms", "longest stall of a Ctrl+D", "ms"),
    ("exit_after_index_s", "exit, from closing the window", "s"),
    ("rss_mb", "peak RSS", "MB"),
)


def run(folder: Path, env: dict[str, str]) -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [*APP, str(folder), "--quit-after-index", "--timings"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    # Started measures from the interpreter's start; the wall clock adds the process start-up before it.
    figures["exit_after_index_s"] = round(wall - float(figures["closing_s"]), 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "reports"
        if not folder.exists() or not any(folder.iterdir()):
            generate(folder, args.reports, 4, 1)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "WEEKLY_REVIEW_CACHE_DIR": str(Path(tmp) / "cache"),
            "WEEKLY_REVIEW_CONFIG_DIR": str(Path(tmp) / "config"),
        }
        cold, warm = run(folder, env), run(folder, env)
        print(
            f"{cold.get('reports')} reports, {os.cpu_count()} cores; search for {cold.get('search_query')!r}"
        )
        print(f"{'':40} {'empty cache':>12} {'from cache':>12}")
        for key, name, unit in FIGURES:
            print(f"{name:40} {cold.get(key, '-'):>9} {unit:2} {warm.get(key, '-'):>9} {unit:2}")


if __name__ == "__main__":
    main()
