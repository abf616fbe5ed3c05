"""Time a topic timeline and the progress list on a generated folder, as whole processes and in the window.

    .venv/bin/python tests/bench/bench_topics.py [--reports 5000] [--repeats 5] [--folder DIR] [--no-window]

The folder (tests/bench/generate.py) is made and indexed first, untimed, with a cache of its own. Then:
`weekly-review timeline FOLDER 贝易转 --json` (the topic is in every report) and `weekly-review progress
FOLDER --json` as whole processes, next to `weekly-review reports FOLDER` (start-up, opening the cache
and checking the folder, which every command pays); and in an offscreen window the time until the
first entries of the timeline are shown and the longest stall of the event loop while it loads.
The progress list is kept in the cache once worked out (desktop/store/derived.py): its runs read it back,
and "first after a change" drops it before each run, as any change to the folder does.
Budgets: 0.3 s per command, 100 ms to the first entries, 50 ms stall. The app's bytecode is compiled
first, as an installed app has it (bytecode.py). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bytecode import compile_app  # noqa: E402
from generate import generate  # noqa: E402
from isolated import isolate  # noqa: E402
from wholeprocess import EXE, run_once, timed, uptime  # noqa: E402

TOPIC = "贝易转"
BUDGET = 0.3


def _commands(folder: Path, env: dict[str, str], repeats: int) -> None:
    print(uptime())
    for name, args, budget in (
        ("reports (every command's fixed cost)", ["reports", str(folder)], None),
        (f"timeline {TOPIC} --json", ["timeline", str(folder), TOPIC, "--json"], BUDGET),
        ("timeline (text)", ["timeline", str(folder), TOPIC], BUDGET),
        ("progress --json", ["progress", str(folder), "--json"], BUDGET),
        ("progress (text)", ["progress", str(folder)], BUDGET),
    ):
        timed(name, args, env, repeats, budget)
    _first_progress(folder, env, repeats)
    print(uptime())


def _first_progress(folder: Path, env: dict[str, str], repeats: int) -> None:
    """progress --json right after the folder changed: the listing kept in the cache is worked out again."""
    from desktop.core.paths import cache_path_for

    cache = cache_path_for(folder)
    walls, cpus = [], []
    for _ in range(repeats):
        with sqlite3.connect(cache) as db:  # what any change to a file does to the kept answer
            db.execute("DELETE FROM derived")
        wall, cpu, _size = run_once(["progress", str(folder), "--json"], env)
        walls.append(wall)
        cpus.append(cpu)
    print(
        f"{'progress --json, first after a change':<40} wall median {statistics.median(walls):.3f} s"
        f"  min {min(walls):.3f} s  cpu median {statistics.median(cpus):.3f} s"
    )


class _Run:
    """One timeline load in the window: when the first rows were painted, when all came, the worst stall."""

    def __init__(self, app: Any, presenter: Any) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.app = app
        self.presenter = presenter
        self.clock = QElapsedTimer()
        self.ticks = QElapsedTimer()
        self.first: float | None = None
        self.stall = 0.0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        self.stall = max(self.stall, float(self.ticks.restart()))

    def added(self, _count: int) -> None:
        if self.first is None:
            self.app.processEvents()  # painted: the rows are on screen
            self.first = float(self.clock.elapsed())

    def measure(self, cache_path: Path) -> tuple[float, float, float]:
        self.presenter.entries_added.connect(self.added)
        self.clock.start()
        self.ticks.start()
        self.timer.start()
        self.presenter.show_topic(cache_path, TOPIC)
        while self.presenter.busy or self.presenter.model.marks_pending():
            self.app.processEvents()
            time.sleep(0.001)
        total = float(self.clock.elapsed())
        self.timer.stop()
        self.presenter.entries_added.disconnect(self.added)
        return (self.first if self.first is not None else float("nan")), total, self.stall


def _window(cache_path: Path, repeats: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.ui.topics import TimelinePresenter, TimelineView

    app = QApplication.instance() or QApplication([])
    presenter = TimelinePresenter()
    view = TimelineView(presenter)
    view.resize(1200, 800)
    view.show()
    runs = [_Run(app, presenter).measure(cache_path) for _ in range(repeats)]
    firsts, totals, stalls = ([r[k] for r in runs] for k in range(3))
    print(
        f"window: first entries painted after median {statistics.median(firsts):.0f} ms"
        f" (max {max(firsts):.0f}), all {presenter.model.entry_count()} loaded and marked after"
        f" {statistics.median(totals):.0f} ms, longest event-loop stall median"
        f" {statistics.median(stalls):.0f} ms (max {max(stalls):.0f})"
    )
    presenter.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="an existing generated folder (else a temporary one)")
    parser.add_argument("--cache", type=Path, help="a cache directory to keep between runs (else temporary)")
    parser.add_argument("--no-window", action="store_true", help="the commands only")
    args = parser.parse_args()
    compile_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "reports"
        if args.folder is None:
            generate(folder, args.reports, 4, 1)
        cache_dir = args.cache or Path(tmp) / "cache"
        isolate(Path(tmp))
        env = {**os.environ, "WEEKLY_REVIEW_CACHE_DIR": str(cache_dir)}
        os.environ["WEEKLY_REVIEW_CACHE_DIR"] = str(cache_dir)
        start = time.perf_counter()
        subprocess.run([EXE, "index", str(folder)], env=env, capture_output=True, check=True)
        print(f"{folder}: indexed in {time.perf_counter() - start:.1f} s (untimed below)")
        _commands(folder, env, args.repeats)
        if args.no_window:
            return
        from desktop.core.paths import cache_path_for

        _window(cache_path_for(folder), args.repeats)


if __name__ == "__main__":
    main()
