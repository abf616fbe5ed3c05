"""The compare pane's presenter: which two reports, found in the report list read once per index.

Both report pickers share its list model; naming reports (`2024-W24`, `第42周`, a date) and finding the
week before are answered from that list in memory, never by another query on the UI thread.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QObject, Signal, Slot

from desktop.store.queries import ReportRow, resolve_among
from desktop.ui.folder_controller import FolderController
from desktop.ui.models.report_list import ReportListModel
from desktop.ui.view_state import ViewState


class ComparePresenter(QObject):
    compare_requested = Signal(str, str)  # left, right: the compare view shows these two
    compare_refused = Signal(str)  # why nothing is compared (for the status bar)

    def __init__(self, state: ViewState, folder: FolderController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.reports = ReportListModel(self)
        self._rows: dict[str, ReportRow] = {}
        self._all: list[ReportRow] = []
        self._weeks: dict[str | None, list[tuple[str, str]]] = {}  # team -> [(date, path)] ascending
        self._pending: tuple[str, str] | None = None  # names given before the folder was listed
        self._listed = False
        folder.reports_listed.connect(self._on_folder_reports_listed)

    def compare(self, left: str, right: str) -> None:
        """Compare two reports, the older on the left."""
        a, b = self._rows.get(left), self._rows.get(right)
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
        row = self._rows.get(path)
        while row is not None and row.parent is not None:
            row = self._rows.get(row.parent)
        if row is None:
            return None
        weeks = self._weeks.get(row.team, [])
        place = bisect.bisect_left(weeks, (row.date, row.path))
        return weeks[place - 1][1] if place > 0 else None

    def compare_previous(self, path: str | None) -> bool:
        before = self.previous_of(path) if path is not None else None
        if path is None or before is None:
            self.compare_refused.emit(self.tr("No earlier report to compare with"))
            return False
        current = self._rows[path]
        self.compare(before, current.parent or path)
        return True

    def compare_refs(self, left: str, right: str) -> bool:
        """Compare two reports named as on the command line; before the folder is listed, once it is."""
        if not self._listed:
            self._pending = (left, right)
            return False
        self._pending = None
        paths = []
        for ref in (left, right):
            path, candidates = resolve_among(self._all, ref)
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
        return path in self._rows

    @Slot(list)
    def _on_folder_reports_listed(self, rows: list[ReportRow]) -> None:
        self._all = rows
        self._rows = {r.path: r for r in rows}
        weeks: dict[str | None, list[tuple[str, str]]] = {}
        for r in rows:  # oldest first already
            if r.parent is None:
                weeks.setdefault(r.team, []).append((r.date, r.path))
        for listed in weeks.values():
            listed.sort()
        self._weeks = weeks
        self.reports.set_reports(rows)
        self._listed = bool(rows)
        if self._pending is not None and rows:
            self.compare_refs(*self._pending)
