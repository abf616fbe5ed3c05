"""The compare pane's presenter: which two reports, found in the report list read once per index.

Both report pickers share its list model; naming reports (`2024-W24`, `第42周`, a date) and finding the
week before are answered from that list in memory, never by another query on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from desktop.store.queries import ReportRow, resolve_among
from desktop.ui.background import lower_priority
from desktop.ui.folder_controller import FolderController
from desktop.ui.models.report_list import ReportListModel, item_rows, listing_key, picker_items
from desktop.ui.view_state import ViewState


@dataclass
class ReportIndex:
    """What comparing needs of the report list, made on a pool thread once per index."""

    rows: list[ReportRow] = field(default_factory=list)
    by_path: dict[str, ReportRow] = field(default_factory=dict)
    weeks: dict[str | None, list[tuple[str, str]]] = field(default_factory=dict)  # team -> [(date, path)]
    items: list[tuple[str, str]] = field(default_factory=list)  # the pickers' (path, text), newest first
    item_rows: dict[str, int] = field(default_factory=dict)  # each item's row, for the pickers' model


def index_reports(rows: list[ReportRow]) -> ReportIndex:
    weeks: dict[str | None, list[tuple[str, str]]] = {}
    ordered = [r for r in rows if r.parent is None and r.kind == "report"]
    if any(listing_key(a) > listing_key(b) for a, b in pairwise(ordered)):
        ordered.sort(key=listing_key)
    for r in ordered:  # in the listings' order: "the week before" of an undated issue is the issue before
        weeks.setdefault(r.team, []).append((r.date, r.path))
    items = picker_items(rows)
    return ReportIndex(rows, {r.path: r for r in rows}, weeks, items, item_rows(items))


# A large listing is indexed for comparing this long after it lands, unless a comparison is asked for
# first: the job is some 0.3 s of Python at 50,000 reports, and run at once it took the interpreter from
# the tree's first layout and paint (longest stall from the cache 103-112 ms against 64-81 ms, in
# alternating runs).
INDEX_DELAY_MS = 500


class _IndexSignals(QObject):
    indexed = Signal(int, object)  # request, ReportIndex


class _IndexJob(QRunnable):
    def __init__(self, request: int, rows: list[ReportRow], signals: _IndexSignals) -> None:
        super().__init__()
        self._request, self._rows, self._signals = request, rows, signals

    def run(self) -> None:
        lower_priority()
        self._signals.indexed.emit(self._request, index_reports(self._rows))


class ComparePresenter(QObject):
    compare_requested = Signal(str, str)  # left, right: the compare view shows these two
    compare_refused = Signal(str)  # why nothing is compared (for the status bar)

    def __init__(self, state: ViewState, folder: FolderController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.reports = ReportListModel(self)
        self._index = ReportIndex()
        self._pending: tuple[str, str] | None = None  # names given before the folder was listed
        self._listed = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _IndexSignals(self)
        self._signals.indexed.connect(self._on_job_indexed)
        self._request = 0
        self._latest_rows: list[ReportRow] = self._index.rows
        self._previous_of: str | None = None  # Ctrl+D before the latest list was indexed: done after
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(INDEX_DELAY_MS)
        self._delay.timeout.connect(self._on_delay_timeout)
        folder.reports_listed.connect(self._on_folder_reports_listed)

    @property
    def busy(self) -> bool:
        """The latest report list is still being indexed for comparing."""
        return self._index.rows is not self._latest_rows

    def shutdown(self) -> None:
        self._request += 1
        self._delay.stop()
        self._pool.clear()
        self._pool.waitForDone()

    def compare(self, left: str, right: str) -> None:
        """Compare two reports, the older on the left."""
        a, b = self._index.by_path.get(left), self._index.by_path.get(right)
        if a is not None and b is not None and (a.date, left) > (b.date, right):
            left, right = right, left
        self.choose(left, right)

    def choose(self, left: str, right: str) -> None:
        """Compare these two as they are given (the user picked the sides)."""
        with self.state.one_change():
            self.state.compare = (left, right)
            self.state.view = "compare"
        self.compare_requested.emit(left, right)

    def previous_of(self, path: str) -> str | None:
        """The weekly report before path in the same team (a sub-page counts as its week)."""
        by_path = self._index.by_path
        row = by_path.get(path)
        while row is not None and row.parent is not None:
            row = by_path.get(row.parent)
        if row is None:
            return None
        weeks = self._index.weeks.get(row.team, [])
        try:  # the listings' order, not sorted by date alone: a linear look, ~1 ms at 50,000 reports
            place = weeks.index((row.date, row.path))
        except ValueError:  # a page, or a report not listed yet
            return None
        return weeks[place - 1][1] if place > 0 else None

    def compare_previous(self, path: str | None) -> bool:
        if path is not None and self.busy and path not in self._index.by_path:
            self._previous_of = path  # a report of the list being indexed: compared once it is
            self._index_now()
            return True
        before = self.previous_of(path) if path is not None else None
        if path is None or before is None:
            self.compare_refused.emit(self.tr("No earlier report to compare with"))
            return False
        current = self._index.by_path[path]
        self.compare(before, current.parent or path)
        return True

    def compare_refs(self, left: str, right: str) -> bool:
        """Compare two reports named as on the command line; before the folder is listed, once it is."""
        if not self._listed:
            self._pending = (left, right)
            self._index_now()
            return False
        self._pending = None
        paths = []
        for ref in (left, right):
            path, candidates = resolve_among(self._index.rows, ref)
            if path is None:
                names = ", ".join(r.label or r.path for r in candidates[:12])
                self.compare_refused.emit(
                    self.tr("Cannot compare: “%1” names no single report (%2)")
                    .replace("%1", ref)
                    .replace("%2", names)
                )
                return False
            paths.append(path)
        self.compare(paths[0], paths[1])
        return True

    def has(self, path: str) -> bool:
        return path in self._index.by_path

    @Slot(object)
    def _on_folder_reports_listed(self, rows: list[ReportRow]) -> None:
        self._latest_rows = rows
        self._request += 1
        if len(rows) < 500:
            self._delay.stop()
            self._on_job_indexed(self._request, index_reports(rows))  # at once: nothing to wait for
        else:
            self._delay.start()

    @Slot()
    def _on_delay_timeout(self) -> None:
        self._pool.start(_IndexJob(self._request, self._latest_rows, self._signals))

    def _index_now(self) -> None:
        """The latest list is wanted now: index it without waiting for the delay."""
        if self._delay.isActive():
            self._delay.stop()
            self._on_delay_timeout()

    @Slot(int, object)
    def _on_job_indexed(self, request: int, index: ReportIndex) -> None:
        if request != self._request:
            return  # a newer list is on its way
        self._index = index
        self.reports.set_items(index.items, index.item_rows)
        self._listed = bool(index.rows)
        if self._pending is not None and index.rows:
            self.compare_refs(*self._pending)
        previous, self._previous_of = self._previous_of, None
        if previous is not None:
            self.compare_previous(previous)
