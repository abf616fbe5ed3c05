"""Start the window: arguments, application identity, first folder, scripted screenshots and timings."""

from __future__ import annotations

import argparse
import gc
import json
import linecache
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from desktop import APP_ID, STARTED, __version__
from desktop.core.aliases import default_alias_table
from desktop.core.paths import resources_dir, seeds_dir
from desktop.ui.i18n import Translations, system_language
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings

STALL_TICK_MS = 10


class StallMeter(QObject):
    """Measures how long the event loop goes without turning: a timer that should fire every 10 ms."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(STALL_TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._last = 0.0
        self._last_cpu = 0.0
        self.stalls_ms: list[float] = []
        # The UI thread's own CPU time in each gap: what a loaded machine does not inflate.
        self.cpu_ms: list[float] = []

    def start(self) -> None:
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer.start()

    def stop(self) -> None:
        """Stop, counting the time since the last tick: work that blocks until now is a stall too."""
        if self._timer.isActive():
            self._on_timer_timeout()
        self._timer.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.stalls_ms.append(max(0.0, (now - self._last) * 1000 - STALL_TICK_MS))
        self.cpu_ms.append((cpu - self._last_cpu) * 1000)
        self._last, self._last_cpu = now, cpu

    def summary(self) -> tuple[float, float]:
        if not self.stalls_ms:
            return 0.0, 0.0
        ordered = sorted(self.stalls_ms)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return round(ordered[-1], 1), round(p99, 1)

    def max_cpu(self) -> float:
        return round(max(self.cpu_ms, default=0.0), 1)


class ScriptedRun(QObject):
    """Scripted use: --screenshot, --quit-after-index and --timings hang off the first index.

    With --timings, once the index is in, a search and a Ctrl+D are played as a user would, each
    with its own stall meter: the longest time the window did not answer while it ran.
    """

    def __init__(self, app: QApplication, window: MainWindow, args: argparse.Namespace) -> None:
        super().__init__(window)
        self.app, self.window, self.args = app, window, args
        self.marks: dict[str, float] = {}
        self.meter = StallMeter(self)
        self.settle_meter = StallMeter(self)  # from the index's end until the chart and tree have caught up
        self.search_meter = StallMeter(self)
        self.compare_meter = StallMeter(self)
        self.search_query = ""
        self.search_hits = -1
        self._played = not args.timings
        self._view_shown = not args.view  # --view: brought to the front once settled
        self._search_dock_was_open = False
        self._done = False
        if args.screenshot or args.quit_after_index or args.timings:
            # A run that ends by itself reads nothing: it marks no report read (it would write the
            # user's review database, and wait on it if another process holds it). Not saved.
            window.review.presenter.set_auto_read(False)
        self._settle = QTimer(self)
        self._settle.setInterval(20)
        self._settle.timeout.connect(self._on_settle_timer_timeout)
        self.reports = 0
        window.first_report_listed.connect(self._on_window_first_report_listed)
        window.index_done.connect(self._on_window_index_done)

    def mark(self, name: str) -> None:
        self.marks.setdefault(name, round(time.perf_counter() - STARTED, 3))

    def window_shown(self) -> None:
        self.mark("window_shown_s")
        self.meter.start()

    @Slot()
    def _on_window_first_report_listed(self) -> None:
        self.mark("first_report_listed_s")

    @Slot(object)
    def _on_window_index_done(self, _summary: object) -> None:
        if self._done:
            return
        self._done = True
        self.mark("index_done_s")
        if self.args.search:
            self.window.run_search(self.args.search)  # its dock opens with the hits; settled() waits
        # Stop measuring only after this turn of the event loop, so the work the window does when
        # the index completes counts as a stall too.
        QTimer.singleShot(0, self.meter.stop)
        QTimer.singleShot(0, self.settle_meter.start)
        self.reports = len(self.window.folder_controller.rows)
        if self.args.screenshot or self.args.quit_after_index or not self._played or not self._view_shown:
            self._settle.start()

    @Slot()
    def _on_settle_timer_timeout(self) -> None:
        """Wait until the tree and the chart show everything, then take the picture or quit."""
        if not self.window.settled():
            return
        self._settle.stop()
        self.settle_meter.stop()
        if not self._played:
            self._played = True
            self._play_search()
            return
        if not self._view_shown:
            self._view_shown = True
            self._show_view()
            self._settle.start()  # settle again: the page reads on its own thread
            return
        if self.args.screenshot:
            QTimer.singleShot(200, self._on_settle_timeout)  # one more paint of the last rows
        else:
            self._close()

    def _show_view(self) -> None:
        view = self.args.view
        if view == "timeline" and self.args.topic:
            self.window.pages.show_timeline(self.args.topic)
        else:
            self.window.show_page(view)
        if view == "overview" and self.args.week:
            self.window.pages.overview.show_week(self.args.week)

    def _play_search(self) -> None:
        rows = [r for r in self.window.folder_controller.rows if r.parent is None]
        title = "".join(rows[-1].title.split()) if rows else ""
        self.search_query = title[:2] or "a"  # two characters: the slowest kind of query
        self._search_dock_was_open = self.window.search_dock.isVisible()
        self.window.search_presenter.search_finished.connect(self._on_window_search_finished)
        self.search_meter.start()
        self.window.run_search(self.search_query)

    @Slot(str, object)
    def _on_window_search_finished(self, _query: str, hits: list[object]) -> None:
        self.window.search_presenter.search_finished.disconnect(self._on_window_search_finished)
        self.search_hits = len(hits)
        QTimer.singleShot(0, self._on_search_shown)  # the results' paint counts too

    @Slot()
    def _on_search_shown(self) -> None:
        self.search_meter.stop()
        self.compare_meter.start()
        self.window.actions_.compare_previous.trigger()  # Ctrl+D on the newest report
        self._compare_wait = QTimer(self)
        self._compare_wait.setInterval(5)
        self._compare_wait.timeout.connect(self._on_compare_wait_timeout)
        self._compare_wait.start()

    @Slot()
    def _on_compare_wait_timeout(self) -> None:
        # Until the page is laid out to its end: Qt lays out the rest after the first screenful.
        if self.window.compare_view.diff.laid_out():
            self._compare_wait.stop()
            QTimer.singleShot(0, self._on_compare_shown)

    @Slot()
    def _on_compare_shown(self) -> None:
        self.compare_meter.stop()
        self.window.actions_.back_to_reports.trigger()
        # Leave the window as the user had it: its layout is saved on closing.
        self.window.search_dock.setVisible(self._search_dock_was_open)
        if self.args.screenshot or self.args.quit_after_index:
            self._settle.start()

    @Slot()
    def _on_settle_timeout(self) -> None:
        path = Path(self.args.screenshot)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.window.grab().save(str(path))
        if self.args.quit_after_index:
            self._close()

    def _close(self) -> None:
        self.mark("closing_s")  # from here to the process's end is the exit time
        self.window.close()

    def report(self) -> dict[str, object]:
        stall_max, stall_p99 = self.meter.summary()
        return {
            **self.marks,
            "reports": self.reports,
            "max_stall_ms": stall_max,
            "p99_stall_ms": stall_p99,
            "settle_max_stall_ms": self.settle_meter.summary()[0],
            "max_stall_cpu_ms": self.meter.max_cpu(),
            "settle_max_stall_cpu_ms": self.settle_meter.max_cpu(),
            "search_max_stall_cpu_ms": self.search_meter.max_cpu(),
            "compare_max_stall_cpu_ms": self.compare_meter.max_cpu(),
            "search_query": self.search_query,
            "search_hits": self.search_hits,
            "search_max_stall_ms": self.search_meter.summary()[0],
            "compare_max_stall_ms": self.compare_meter.summary()[0],
            "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="weekly-review", description="Open a folder of weekly reports.")
    parser.add_argument(
        "folder", nargs="?", help="folder of reports (default: the last one, else the samples)"
    )
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"), help="open the comparison of two reports")
    parser.add_argument(
        "--screenshot", metavar="PATH", help="save the window as PNG once the first index is done"
    )
    parser.add_argument("--quit-after-index", action="store_true", help="quit once the first index is done")
    parser.add_argument("--timings", action="store_true", help="print timing figures as JSON at exit")
    parser.add_argument(
        "--view",
        choices=("overview", "timeline", "progress"),
        help="bring this page to the front once the first index is done",
    )
    parser.add_argument(
        "--topic", metavar="TOPIC", help="with --view timeline: the topic (a section title, key or phrase)"
    )
    parser.add_argument("--week", metavar="YYYY-Www", help="with --view overview: the week shown")
    parser.add_argument("--size", type=window_size, metavar="WxH", help="the window's size, e.g. 1366x768")
    parser.add_argument("--search", metavar="TEXT", help="search for TEXT once the first index is done")
    parser.add_argument(
        "--panel", choices=("search", "problems"), help="open this docked panel (for screenshots)"
    )
    parser.add_argument("--version", action="version", version=f"weekly-review {__version__}")
    return parser.parse_args(list(argv))


def window_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size like 1366x768: {text}") from None
    if min(size) < 200:
        raise argparse.ArgumentTypeError(f"too small a window: {text}")
    return size


def choose_folder(args: argparse.Namespace, settings: Settings) -> Path:
    if args.folder:
        return Path(args.folder)
    last = settings.last_folder
    if last is not None and last.is_dir():
        return last
    return seeds_dir()


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    # Full garbage collections scan every object the process holds and stall the window for 100 ms
    # and more while a large folder streams through the indexer; reference counting frees nearly
    # everything here anyway, so collect young objects often and old ones rarely.
    gc.set_threshold(20_000, 50, 1_000)
    # Worker threads (the chart's data, the report pickers, the review's listing) run Python for
    # hundreds of milliseconds at 50,000 reports, and each call from Qt into Python (a row's data, a
    # delegate's paint) must take the GIL from them: a wait of up to one switch interval, hundreds of
    # times a frame. One millisecond instead of five halved the longest stall there (850 -> 360 ms);
    # a fifth of one cut it again while 50,000 reports re-index (175 -> 118 ms, median of 3 runs),
    # and the index took no longer.
    sys.setswitchinterval(0.0002)
    if args.folder and not Path(args.folder).expanduser().is_dir():
        print(f"weekly-review: no such folder: {args.folder}", file=sys.stderr)
        return 2
    if sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        # Qt would abort with a page about platform plugins; say it in one line instead.
        print(
            "weekly-review: no display to open the window on; the command line works without one "
            "(weekly-review index|reports|metrics|search|compare FOLDER)",
            file=sys.stderr,
        )
        return 2
    QApplication.setApplicationName("Weekly Review")
    QApplication.setOrganizationName("WeeklyReview")
    QApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    icon = resources_dir() / "icons" / "weekly-review.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    settings = Settings.for_app()
    translations = Translations(app)
    language = settings.str_value("view/language", "system")
    translations.apply(system_language() if language == "system" else language)
    aliases = default_alias_table()
    window = MainWindow(aliases, settings, translations)
    run = ScriptedRun(app, window, args)
    if args.size:
        window.resize(*args.size)
    if args.panel:
        (window.search_dock if args.panel == "search" else window.problems_dock).show()
    # PySide6 reads the source of every module imported after it (to see whether it uses PySide6),
    # and linecache keeps every line it read: some 20 MB that nothing here will ask for again. Freed
    # before the window shows: freeing it took 25 ms, a stall once the window is up.
    linecache.clearcache()
    window.show()
    run.window_shown()
    window.open_folder(choose_folder(args, settings).expanduser())
    if args.compare:
        window.compare_refs(*args.compare)  # at once from the cache, else once the first index is in
    code = app.exec()
    if args.timings:
        print(json.dumps(run.report()))
    return int(code)
