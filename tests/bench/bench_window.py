"""The window's figures for a generated folder against their budgets: shown, index, stalls (indexing, the
chart and tree catching up, a search, a Ctrl+D), memory, exit.

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_window.py [--reports 5000] [--runs 2]
    QT_QPA_PLATFORM=offscreen python tests/bench/bench_window.py --reports 50000 --folder /tmp/wr-50k \\
        --cache /tmp/wr-50k-cache [--no-cold]

Runs `weekly-review FOLDER --quit-after-index --timings` with an empty cache (the cold index) and then
`--runs` times from the cache (the one the cold run made, or `--cache`: a folder indexed once with
`weekly-review index`), and prints each figure against its budget: the median of the cached runs and
their range. The machine may be shared: `uptime` is printed, and the process's CPU time beside the wall
clock's figures, which a loaded machine inflates two- to threefold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bytecode import compile_app
from generate import generate
from isolated import isolate

DEFAULT_SIZE = "1560x940"  # MainWindow's size when no geometry is saved
APP = [sys.executable, "-c", "import sys; from desktop.ui.app import main; sys.exit(main(sys.argv[1:]))"]
# key, name, unit, budget (cold run), budget (cached runs); None: no budget
FIGURES: tuple[tuple[str, str, str, float | None, float | None], ...] = (
    ("window_shown_s", "window shown", "s", None, 1.0),
    ("first_report_listed_s", "first report in the tree", "s", None, None),
    ("index_done_s", "index done", "s", None, None),
    ("max_stall_ms", "longest stall while indexing", "ms", 100, 50),
    ("p99_stall_ms", "99th percentile stall while indexing", "ms", None, None),
    ("max_stall_cpu_ms", "  UI-thread CPU, most in one gap", "ms", None, None),
    ("settle_max_stall_ms", "longest stall, chart and tree catching up", "ms", 100, 50),
    ("settle_max_stall_cpu_ms", "  UI-thread CPU, most in one gap", "ms", None, None),
    ("search_max_stall_ms", "longest stall of a search", "ms", 50, 50),
    ("search_max_stall_cpu_ms", "  UI-thread CPU, most in one gap", "ms", None, None),
    ("compare_max_stall_ms", "longest stall of a Ctrl+D", "ms", 50, 50),
    ("compare_max_stall_cpu_ms", "  UI-thread CPU, most in one gap", "ms", None, None),
    ("exit_after_index_s", "exit, from closing the window", "s", 2.0, 2.0),
    ("rss_mb", "peak RSS", "MB", 600, 600),
    ("cpu_s", "CPU time of the whole run", "s", None, None),
)


def run(folder: Path, env: dict[str, str], size: str) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [*APP, str(folder), "--quit-after-index", "--timings", "--size", size],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    # Started measures from the interpreter's start; the wall clock adds the process start-up before it.
    figures["exit_after_index_s"] = round(wall - float(figures["closing_s"]), 2)
    figures["cpu_s"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)
    return figures


def verdict(value: float | None, budget: float | None) -> str:
    if value is None or budget is None:
        return ""
    return "ok" if value <= budget else "OVER"


def cell(value: float | None, unit: str, spread: str, budget: float | None) -> str:
    limit = f"≤{budget:g}" if budget is not None else ""
    shown = "-" if value is None else f"{value:g}"
    return f"{shown:>7} {unit:2} {spread:>13} {limit:>5} {verdict(value, budget):4}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--folder", "--keep", type=Path, help="this folder (generated into when empty)")
    parser.add_argument("--cache", type=Path, help="the cache folder to use and keep")
    parser.add_argument("--runs", type=int, default=2, help="runs from the cache")
    parser.add_argument("--no-cold", action="store_true", help="only runs from an existing cache")
    # Every run at one size: the window's own on a first start. Without it, the later runs restore the
    # geometry the first one saved, which a small virtual screen shrinks (1100x800 offscreen), and a
    # smaller window paints less: the longest stall was some 20 ms shorter than at this size.
    parser.add_argument("--size", default=DEFAULT_SIZE, help="the window's size (default %(default)s)")
    args = parser.parse_args()
    compile_app()
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "reports"
        if not folder.exists() or not any(folder.iterdir()):
            generate(folder, args.reports, 4, 1)
        isolate(Path(tmp))  # the first run is a first start: no settings, no review database
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "WEEKLY_REVIEW_CACHE_DIR": str(args.cache or Path(tmp) / "cache"),
        }
        cold: dict[str, float] = {}
        if not args.no_cold:
            cold_env = {**env, "WEEKLY_REVIEW_CACHE_DIR": str(Path(tmp) / "cold-cache")}
            cold = run(folder, cold_env, args.size)
            if args.cache is None:
                env = cold_env  # the cached runs reuse what the cold run made
        warm = [run(folder, env, args.size) for _ in range(args.runs)]
        first = warm[0] if warm else cold
        query = first.get("search_query")
        print(f"{first.get('reports')} reports, {os.cpu_count()} cores; search for {query!r}")
        print(f"{'':42} {'empty cache':>31}  {'from the cache: median, range':>36}")
        for key, name, unit, cold_budget, warm_budget in FIGURES:
            c = cold.get(key)
            values = [float(w[key]) for w in warm if key in w]
            median = round(statistics.median(values), 2) if values else None
            spread = f"{min(values):g}–{max(values):g}" if len(values) > 1 else ""
            cold_text = cell(c, unit, "", cold_budget)
            warm_text = cell(median, unit, spread, warm_budget)
            print(f"{name:42} {cold_text}  {warm_text}")
        print("raw:", json.dumps({"cold": cold, "cached": warm}))


if __name__ == "__main__":
    main()
