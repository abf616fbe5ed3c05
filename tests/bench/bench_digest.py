"""Digest and overview-page figures for a generated folder of four teams.

    python tests/bench/bench_digest.py [--reports 5000] [--keep FOLDER]

Prints the warm `weekly-review digest` as a whole process (budget ≤ 0.5 s), the two cache reads it
makes, in-process, and the overview page's open time from the cache (budget ≤ 300 ms): from
`set_folder` to the tables filled, the queries on the presenter's thread.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bytecode import compile_app
from generate import generate
from isolated import isolate

CLI = [sys.executable, "-m", "desktop"]
RUNS = 5


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(CLI + args, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start


def in_process(folder: Path) -> tuple[float, float, int]:
    from desktop.core.aliases import default_alias_table
    from desktop.core.overview import latest_week
    from desktop.core.paths import cache_path_for
    from desktop.store.cache import open_reader
    from desktop.store.overview import overview_for, read_reports

    db = open_reader(cache_path_for(folder))
    assert db is not None
    info = default_alias_table().info
    reads, builds = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        reports = read_reports(db, folder.name)
        reads.append(time.perf_counter() - start)
        week = latest_week(reports)
        assert week is not None
        start = time.perf_counter()
        overview_for(db, reports, week, info)
        builds.append(time.perf_counter() - start)
    db.close()
    return min(reads), min(builds), len(reports)


def _quiet(*_args: object) -> None:
    pass


def page_open(folder: Path) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from desktop.core.paths import cache_path_for
    from desktop.ui.overview import OverviewPage

    app = QApplication.instance() or QApplication([])
    qInstallMessageHandler(_quiet)  # the offscreen platform's size-hint notice, once per show
    page = OverviewPage()
    page.resize(1200, 800)
    page.show()
    times = []
    for _ in range(RUNS):
        loop = QEventLoop()
        page.overview_shown.connect(loop.quit)
        QTimer.singleShot(10_000, loop.quit)
        start = time.perf_counter()
        page.set_folder(cache_path_for(folder), folder.name)
        loop.exec()
        app.processEvents()  # the tables painted
        times.append(time.perf_counter() - start)
        page.overview_shown.disconnect(loop.quit)
    page.shutdown()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    compile_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "reports"
        if not folder.exists() or not any(folder.iterdir()):
            generate(folder, args.reports, 4, 1)
        cache_dir = (
            str(Path(tmp) / "cache") if args.keep is None else os.environ.get("WEEKLY_REVIEW_CACHE_DIR", "")
        )
        isolate(Path(tmp))
        env = {**os.environ}
        if cache_dir:
            env["WEEKLY_REVIEW_CACHE_DIR"] = cache_dir
            os.environ["WEEKLY_REVIEW_CACHE_DIR"] = cache_dir
        cold = timed(["index", str(folder)], env)
        print(f"{args.reports} reports in 4 teams, {os.cpu_count()} cores; index first: {cold:.2f} s")
        for fmt in ("json", "md", "html"):
            warm = min(timed(["digest", str(folder), "--format", fmt], env) for _ in range(RUNS))
            print(f"digest --format {fmt:<5} (whole process, warm)  {warm * 1000:6.0f} ms   budget 500 ms")
        read, build, n = in_process(folder)
        print(f"  read_reports ({n} rows)                  {read * 1000:6.1f} ms")
        print(f"  overview_for (latest week)               {build * 1000:6.1f} ms")
        times = page_open(folder)
        print(
            f"overview page open, from the cache          {min(times) * 1000:6.0f} ms "
            f"(first {times[0] * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms)   budget 300 ms"
        )


if __name__ == "__main__":
    main()
