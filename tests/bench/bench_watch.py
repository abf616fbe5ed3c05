"""How soon an edit to a watched folder reaches the cache: the watch, then the change indexer.

    python tests/bench/bench_watch.py [--reports 5000] [--rounds 5]

Generates the folder and indexes it cold (not timed), then, several times each, appends a line to the
report sorted last (the newest week: the one QFileSystemWatcher never saw past 4,000 files), edits it
in place with the same size and modification time, creates a report and deletes it. Prints, per kind
of change, the time from the write to the batch reported and to the summary of the re-index (the
cache is written by then). Budget: an edit is in the cache within 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from isolated import isolate
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Slot

from desktop.core.aliases import default_alias_table
from desktop.store.incremental import PathsSummary
from desktop.store.indexer import open_and_index
from desktop.ui.change_indexer import ChangeIndexer
from desktop.ui.watch import FolderWatch

BUDGET_S = 2.0
TIMEOUT_S = 30.0


class Clock(QObject):
    def __init__(self, watch: FolderWatch, indexer: ChangeIndexer) -> None:
        super().__init__()
        self.watch, self.indexer = watch, indexer
        self.started = False
        self.reported: float | None = None
        self.indexed: float | None = None
        self.summary: PathsSummary | None = None
        watch.watch_started.connect(self._on_watch_watch_started)
        watch.paths_changed.connect(self._on_watch_paths_changed)
        indexer.paths_indexed.connect(self._on_indexer_paths_indexed)

    def reset(self) -> None:
        self.reported = self.indexed = None
        self.summary = None

    @Slot(object)
    def _on_watch_watch_started(self, _folder: Path) -> None:
        self.started = True

    @Slot(list)
    def _on_watch_paths_changed(self, paths: list[str]) -> None:
        self.reported = self.reported or time.perf_counter()
        folder = self.watch.folder
        if folder is not None:
            self.indexer.index(folder, paths)

    @Slot(object)
    def _on_indexer_paths_indexed(self, summary: PathsSummary) -> None:
        self.indexed = time.perf_counter()
        self.summary = summary


def wait_for(app: QCoreApplication, done: Callable[[], bool]) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("timed out waiting for the watch")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WEEKLY_REVIEW_CACHE_DIR"] = str(Path(tmp) / "cache")
        isolate(Path(tmp))
        folder = Path(tmp) / "reports"
        paths = sorted(generate(folder, args.reports, 4, 1))
        cache, summary = open_and_index(folder)
        cache.close()
        cold = f"cold index {summary.seconds:.1f} s (not part of the figures)"
        print(f"{summary.reports} reports, {os.cpu_count()} cores; {cold}")
        watch = FolderWatch()
        indexer = ChangeIndexer(default_alias_table())
        clock = Clock(watch, indexer)
        began = time.perf_counter()
        watch.start(folder)
        wait_for(app, lambda: clock.started)
        print(f"watch in place after {time.perf_counter() - began:.2f} s")
        last = paths[-1]
        created = last.with_name("2099-W01 new.md")
        template = last.read_text(encoding="utf-8")

        def append() -> None:
            with last.open("a", encoding="utf-8") as handle:
                handle.write("\n- 补充：回滚演练完成\n")

        def in_place() -> None:
            st = last.stat()
            data = last.read_bytes()
            digit = data.rindex(b"1") if b"1" in data else len(data) - 2
            with last.open("r+b") as handle:
                handle.seek(digit)
                handle.write(b"2" if data[digit : digit + 1] == b"1" else b"1")
            os.utime(last, ns=(st.st_atime_ns, st.st_mtime_ns))

        def create() -> None:
            created.write_text(template, encoding="utf-8")

        def delete() -> None:
            created.unlink()

        results: dict[str, list[tuple[float, float, float]]] = {}
        for _ in range(args.rounds):
            for name, change in (
                ("append to the last report", append),
                ("edit in place, same size and mtime", in_place),
                ("create a report", create),
                ("delete a report", delete),
            ):
                clock.reset()
                t0 = time.perf_counter()
                change()
                wait_for(app, lambda: clock.indexed is not None)
                assert clock.reported is not None and clock.indexed is not None and clock.summary
                results.setdefault(name, []).append(
                    (clock.reported - t0, clock.indexed - t0, clock.summary.seconds)
                )
        watch.shutdown()
        indexer.shutdown()
        print(f"{'change':36} {'reported':>9} {'in cache':>9} {'max':>7} {'re-index':>9}   (medians)")
        worst = 0.0
        for name, rows in results.items():
            reported, cached, reindex = (statistics.median(col) for col in zip(*rows, strict=True))
            top = max(r[1] for r in rows)
            worst = max(worst, top)
            print(f"{name:36} {reported:8.3f}s {cached:8.3f}s {top:6.3f}s {reindex:8.3f}s")
        verdict = "within" if worst <= BUDGET_S else "OVER"
        print(f"slowest change in the cache after {worst:.3f} s: {verdict} the {BUDGET_S:.0f} s budget")


if __name__ == "__main__":
    main()
