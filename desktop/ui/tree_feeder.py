"""Feeds reports from the cache into the tree a few at a time, so a large folder never freezes the window."""

from __future__ import annotations

import gc
import sqlite3

import sqlite_utils
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.store import queries
from desktop.ui.models.report_tree import ReportTreeModel

CHUNK = 25  # reports added per event-loop turn: a few ms of work, even while indexing on 2 cores


class TreeFeeder(QObject):
    first_report_listed = Signal()
    reports_listed = Signal()  # after each chunk

    def __init__(self, model: ReportTreeModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.reader: sqlite_utils.Database | None = None
        self._queue: list[str] = []
        self._listed_any = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)

    def reset(self) -> None:
        self._queue.clear()
        self._timer.stop()
        self._listed_any = False
        self.model.clear_reports()
        gc.unfreeze()  # the previous folder's items go back to the collector

    def queue(self, paths: list[str]) -> None:
        self._queue.extend(paths)
        self._timer.start()

    def pending(self) -> set[str]:
        return set(self._queue)

    @property
    def busy(self) -> bool:
        return bool(self._queue)

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self.reader is None:
            self._queue.clear()  # nothing to read them from (the cache is gone or being rebuilt)
            return
        if not self._queue:
            return
        chunk, self._queue = self._queue[:CHUNK], self._queue[CHUNK:]
        try:
            rows = queries.report_rows(self.reader, chunk)
            outlines = queries.outlines(self.reader, [r.path for r in rows])
        except sqlite3.DatabaseError:
            self._queue.clear()  # a damaged cache: the indexer rebuilds it and lists everything again
            return
        # A sub-page whose report is still queued waits for it, so it lands under it, not beside it.
        waiting = set(self._queue)
        later = [r.path for r in rows if r.parent in waiting and not self.model.has_report(r.parent)]
        rows = [r for r in rows if r.path not in later]
        orphans = self.model.upsert_reports(rows, {p: s for p, s in outlines.items() if p not in later})
        self._queue.extend(later + orphans)
        if rows and not self._listed_any:
            self._listed_any = True
            self.first_report_listed.emit()
        if rows:
            self.reports_listed.emit()
        if self._queue:
            self._timer.start()
        else:
            # The tree's items live as long as the folder is open; taking their Python wrappers out
            # of the collector's reach keeps full collections (100 ms and more with a large folder) short.
            gc.freeze()
