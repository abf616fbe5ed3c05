"""A topic's timeline as a list model: entries oldest first with their marks, gap weeks in between."""

from __future__ import annotations

import bisect
import html
import time
from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from desktop.core.timeline import Delta, Entry, delta_html, entry_delta

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the Entry, None on a gap row
DELTA_ROLE = Qt.ItemDataRole.UserRole + 2  # the Delta against the previous entry
GAP_ROLE = Qt.ItemDataRole.UserRole + 3  # the ISO week of a gap row, None on an entry
HTML_ROLE = Qt.ItemDataRole.UserRole + 4  # the entry's marks (character diff included) and text

_Index = QModelIndex | QPersistentModelIndex
# A mark costs a line diff (a millisecond or two): rows being painted get theirs a few at a time
# between events, so that a screenful never holds the window up.
_MARKS_BUDGET_S = 0.012


_ENTRY_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_GAP_FLAGS = Qt.ItemFlag.ItemIsEnabled  # a gap can be seen, not opened
PAGE = 200  # rows a view is given at a time: views do work per row they know of, not per row shown


class TimelineModel(QAbstractListModel):
    """All rows are kept as they arrive; views see them a page at a time (canFetchMore/fetchMore)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Entry, int] | str] = []  # (entry, its position among entries) or a gap
        self._shown = 0  # rows the views know of
        self._entries: list[Entry] = []
        self._weeks: list[str] = []  # iso week of every row, for placing gaps
        self._deltas: dict[int, Delta] = {}  # worked out when a row is first shown
        self._entry_rows: list[int] = []  # row of each entry
        self._wanted: dict[int, None] = {}  # positions whose marks a view asked for, in order
        self._marks_timer = QTimer(self)
        self._marks_timer.setSingleShot(True)
        self._marks_timer.setInterval(0)
        self._marks_timer.timeout.connect(self._on_marks_timer_timeout)

    # -- filling ---------------------------------------------------------------------------------

    def clear(self) -> None:
        self.beginResetModel()
        self._rows, self._entries, self._weeks, self._deltas = [], [], [], {}
        self._entry_rows, self._wanted, self._shown = [], {}, 0
        self.endResetModel()

    def add_entries(self, batch: Sequence[Entry]) -> None:
        """Entries arrive oldest first, batch after batch: appended at the end."""
        if not batch:
            return
        first = len(self._rows)
        start = len(self._entries)
        self._rows.extend((entry, start + k) for k, entry in enumerate(batch))
        self._entry_rows.extend(range(first, first + len(batch)))
        self._entries.extend(batch)
        self._weeks.extend(entry.iso_week for entry in batch)
        if self._shown < PAGE:
            self._show(PAGE - self._shown)

    def set_gaps(self, gaps: Sequence[str]) -> None:
        """Put each gap week between the entries before and after it."""
        for week in sorted(gaps):
            row = bisect.bisect_right(self._weeks, week)
            visible = row <= self._shown and (row < self._shown or row == len(self._rows))
            if visible:
                self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, week)
            self._weeks.insert(row, week)
            if visible:
                self._shown += 1
                self.endInsertRows()
        self._entry_rows = [row for row, item in enumerate(self._rows) if isinstance(item, tuple)]

    def _show(self, count: int) -> None:
        count = min(count, len(self._rows) - self._shown)
        if count <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + count - 1)
        self._shown += count
        self.endInsertRows()

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: _Index) -> None:
        if not parent.isValid():
            self._show(PAGE)

    def reveal(self, row: int) -> None:
        """Make a row known to the views (to select or scroll to one beyond the pages shown)."""
        if row >= self._shown:
            self._show(row + 1 - self._shown)

    # -- reading ---------------------------------------------------------------------------------

    def entry(self, row: int) -> Entry | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item[0] if isinstance(item, tuple) else None

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def entry_count(self) -> int:
        return len(self._entries)

    def delta(self, position: int) -> Delta:
        """What the entry at `position` (among entries) changed since the one before it."""
        found = self._deltas.get(position)
        if found is None:
            before = self._entries[position - 1].text if position > 0 else None
            found = self._deltas[position] = entry_delta(before, self._entries[position].text)
        return found

    def gaps(self) -> list[str]:
        return [item for item in self._rows if isinstance(item, str)]

    def entry_row(self, report: str) -> int:
        """Row of the first entry of a report (revealed to the views), -1 when the topic is not in it."""
        row = next(
            (k for k, item in enumerate(self._rows) if isinstance(item, tuple) and item[0].report == report),
            -1,
        )
        if row >= 0:
            self.reveal(row)
        return row

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._shown

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or index.row() >= self._shown:
            return Qt.ItemFlag.NoItemFlags
        return _GAP_FLAGS if isinstance(self._rows[index.row()], str) else _ENTRY_FLAGS

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        item = self._rows[index.row()]
        if isinstance(item, str):
            return self._gap_data(item, role)
        entry, position = item
        first = position == 0
        if role == Qt.ItemDataRole.DisplayRole:
            when = entry.label or entry.iso_week
            team = f" · {entry.team}" if entry.team else ""
            return f"{when} · {entry.date}{team} · {entry.section}    {self._marks(position)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.report
        if role == ENTRY_ROLE:
            return entry
        if role == DELTA_ROLE:
            return self.delta(position)
        if role == HTML_ROLE:
            marks = (
                ""
                if first
                else delta_html(self.delta(position)) or f"<p><i>{html.escape(self.tr('unchanged'))}</i></p>"
            )
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

    def marks_pending(self) -> bool:
        return bool(self._wanted)

    @Slot()
    def _on_marks_timer_timeout(self) -> None:
        deadline = time.perf_counter() + _MARKS_BUDGET_S
        done = []
        while self._wanted and time.perf_counter() < deadline:
            position = next(iter(self._wanted))
            del self._wanted[position]
            if position < len(self._entries):
                self.delta(position)
                if self._entry_rows[position] < self._shown:
                    done.append(self._entry_rows[position])
        if done:
            self.dataChanged.emit(self.index(min(done)), self.index(max(done)), [Qt.ItemDataRole.DisplayRole])
        if self._wanted:
            self._marks_timer.start()

    def _marks(self, position: int) -> str:
        if position == 0:
            return self.tr("first mention")
        delta = self._deltas.get(position)
        if delta is None:  # worked out shortly; meanwhile the row shows without its marks
            self._wanted[position] = None
            if not self._marks_timer.isActive():
                self._marks_timer.start()
            return "…"
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
