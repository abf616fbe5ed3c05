"""The overview page's presenter: reads and computes the overview of a week on its own thread.

The worker gets plain copies (the cache file's path, the root folder's name, the week), opens its own
read-only connection for each question, checks its cancel flag between steps and turns any exception
into a signal. The presenter, in the main thread, passes on only the answer to the latest question.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop.core.aliases import MetricInfo, default_alias_table
from desktop.core.overview import Overview, known_weeks, latest_week
from desktop.store.cache import open_reader
from desktop.store.overview import overview_for, read_reports
from desktop.ui.background import WorkerThread

Info = Callable[[str], MetricInfo | None]
# The reviewer's memory plugs in here: (teams, week) → open follow-ups as digest rows.
FollowUps = Callable[[Sequence[str], str], list[dict[str, object]]]


@dataclass(frozen=True, slots=True)
class OverviewResult:
    weeks: list[str]  # every week the reports cover, newest first: the week picker's list
    overview: Overview | None  # None for a folder without dated reports


def _no_follow_ups(teams: Sequence[str], week: str) -> list[dict[str, object]]:
    return []


class _CancelledError(Exception):
    pass


class OverviewWorker(QObject):
    overview_computed = Signal(int, object)  # request, OverviewResult
    overview_failed = Signal(int, str)  # request, message

    def __init__(self, info: Info, follow_ups: FollowUps) -> None:
        super().__init__()
        self._info = info
        self._follow_ups = follow_ups

    @Slot(int, str, str, str, object)
    def compute(
        self, request: int, cache_path: str, root_name: str, week: str, cancel: threading.Event
    ) -> None:
        db = None
        try:

            def check() -> None:
                if cancel.is_set():
                    raise _CancelledError

            check()
            db = open_reader(Path(cache_path))
            if db is None:
                self.overview_computed.emit(request, OverviewResult([], None))
                return
            reports = read_reports(db, root_name)
            check()
            weeks = known_weeks(reports)
            chosen = week if week in weeks else latest_week(reports)
            if chosen is None:
                self.overview_computed.emit(request, OverviewResult([], None))
                return
            teams = sorted({r.team for r in reports})
            overview = overview_for(db, reports, chosen, self._info, self._follow_ups(teams, chosen))
            check()
            self.overview_computed.emit(request, OverviewResult(weeks, overview))
        except _CancelledError:
            pass  # a newer question superseded this one; its answer is on the way
        except Exception as exc:  # a cache rebuilt under us, or worse: say so rather than hang
            self.overview_failed.emit(request, f"{type(exc).__name__}: {exc}")
        finally:
            if db is not None:
                db.close()


class OverviewPresenter(QObject):
    """Main-thread side: `load(cache, root, week)` and, later, overview_loaded or overview_failed."""

    overview_loaded = Signal(object)  # OverviewResult
    overview_failed = Signal(str)
    _compute_requested = Signal(int, str, str, str, object)

    def __init__(
        self, info: Info | None = None, follow_ups: FollowUps | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._thread = WorkerThread(self)
        self._thread.setObjectName("overview-worker")
        self._worker = OverviewWorker(info or default_alias_table().info, follow_ups or _no_follow_ups)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._compute_requested.connect(self._worker.compute)
        self._worker.overview_computed.connect(self._on_worker_overview_computed)
        self._worker.overview_failed.connect(self._on_worker_overview_failed)
        self._latest = 0
        self._answered = 0
        self._cancel: threading.Event | None = None
        self.result: OverviewResult | None = None  # the latest answer
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._answered != self._latest

    def load(self, cache_path: Path, root_name: str, week: str | None = None) -> None:
        """Compute the overview of `week` (None or a week the reports do not cover: the latest)."""
        if self._cancel is not None:
            self._cancel.set()
        self._cancel = threading.Event()
        self._latest += 1
        self._compute_requested.emit(self._latest, str(cache_path), root_name, week or "", self._cancel)

    def cancel(self) -> None:
        """Drop the question in flight (another folder was opened): its answer is not wanted."""
        if self._cancel is not None:
            self._cancel.set()
        self._latest += 1
        self._answered = self._latest
        self.result = None

    def shutdown(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        self._thread.quit()
        self._thread.wait()

    @Slot(int, object)
    def _on_worker_overview_computed(self, request: int, result: OverviewResult) -> None:
        if request != self._latest:
            return
        self._answered = request
        self.result = result
        self.overview_loaded.emit(result)

    @Slot(int, str)
    def _on_worker_overview_failed(self, request: int, message: str) -> None:
        if request != self._latest:
            return
        self._answered = request
        self.overview_failed.emit(message)
