"""A topic's timeline as a list model: entries oldest first with their marks, gap weeks in between."""

from __future__ import annotations

import bisect
import html
from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from desktop.core.timeline import Delta, Entry, delta_html

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the Entry, None on a gap row
DELTA_ROLE = Qt.ItemDataRole.UserRole + 2  # the Delta against the previous entry
GAP_ROLE = Qt.ItemDataRole.UserRole + 3  # the ISO week of a gap row, None on an entry
HTML_ROLE = Qt.ItemDataRole.UserRole + 4  # the entry's marks (character diff included) and text

_Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Entry, Delta] | str] = []
        self._weeks: list[str] = []  # iso week of every row, for placing gaps

    # -- filling ---------------------------------------------------------------------------------

    def clear(self) -> None:
        self.beginResetModel()
        self._rows, self._weeks = [], []
        self.endResetModel()

    def add_entries(self, batch: Sequence[tuple[Entry, Delta]]) -> None:
        """Entries arrive oldest first, batch after batch: appended at the end."""
        if not batch:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._rows.extend(batch)
        self._weeks.extend(entry.iso_week for entry, _delta in batch)
        self.endInsertRows()

    def set_gaps(self, gaps: Sequence[str]) -> None:
        """Put each gap week between the entries before and after it."""
        for week in sorted(gaps):
            row = bisect.bisect_right(self._weeks, week)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, week)
            self._weeks.insert(row, week)
            self.endInsertRows()

    # -- reading ---------------------------------------------------------------------------------

    def entry(self, row: int) -> Entry | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item[0] if isinstance(item, tuple) else None

    def entries(self) -> list[Entry]:
        return [item[0] for item in self._rows if isinstance(item, tuple)]

    def gaps(self) -> list[str]:
        return [item for item in self._rows if isinstance(item, str)]

    def entry_row(self, report: str) -> int:
        """Row of the first entry of a report, -1 when the topic is not in it."""
        return next(
            (k for k, item in enumerate(self._rows) if isinstance(item, tuple) and item[0].report == report),
            -1,
        )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.ItemIsEnabled  # a gap can be seen, not opened
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if isinstance(item, str):
            return self._gap_data(item, role)
        entry, delta = item
        first = index.row() == 0  # gap weeks only follow the first entry
        if role == Qt.ItemDataRole.DisplayRole:
            when = entry.label or entry.iso_week
            team = f" · {entry.team}" if entry.team else ""
            return f"{when} · {entry.date}{team} · {entry.section}    {self._marks(delta, first)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.report
        if role == ENTRY_ROLE:
            return entry
        if role == DELTA_ROLE:
            return delta
        if role == HTML_ROLE:
            marks = "" if first else delta_html(delta) or f"<p><i>{html.escape(self.tr('unchanged'))}</i></p>"
            return f"{marks}<pre>{html.escape(entry.text)}</pre>"
        return None

    def _gap_data(self, week: str, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("%1 — not mentioned").replace("%1", week)
        if role == GAP_ROLE:
            return week
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        return None

    def _marks(self, delta: Delta, first: bool) -> str:
        if first:
            return self.tr("first mention")
        if delta.same:
            return self.tr("unchanged")
        parts = []
        if delta.new:
            parts.append(f"+{len(delta.new)}")
        if delta.changed:
            parts.append(f"~{len(delta.changed)}")
        if delta.dropped:
            parts.append(f"−{len(delta.dropped)}")
        return " ".join(parts)
