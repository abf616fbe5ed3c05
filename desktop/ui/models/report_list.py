"""The folder's weekly reports, newest first, as one list model that every report picker shares."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.core.dates import natural_key
from desktop.store.queries import ReportRow

_Index = QModelIndex | QPersistentModelIndex
PATH_ROLE = Qt.ItemDataRole.UserRole  # what QComboBox.findData and currentData look at


def picker_text(row: ReportRow) -> str:
    return f"{row.label or row.title} · {row.date}"


def listing_key(row: ReportRow) -> tuple[object, ...]:
    """The cache's listing order (queries.REPORT_ORDER) for rows in memory: undated last."""
    return (
        not row.date,
        row.date or "",
        row.sequence is None,
        row.sequence or 0,
        row.sort_title or natural_key(row.title),
        row.path,
    )


def picker_items(rows: Sequence[ReportRow]) -> list[tuple[str, str]]:
    """(path, text) of the weekly reports, newest first, from rows oldest first (as the cache lists them).

    Plain Python, so a presenter can make it on a worker thread for tens of thousands of reports.
    """
    # In the listings' order already (date, issue number, natural title): undated issues keep their
    # sequence. READMEs and index pages are not weeks to compare.
    weekly = [r for r in rows if r.parent is None and r.kind == "report"]
    if any(listing_key(a) > listing_key(b) for a, b in pairwise(weekly)):
        weekly.sort(key=listing_key)
    return [(r.path, picker_text(r)) for r in reversed(weekly)]


def item_rows(items: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Each item's row by its path."""
    return {path: i for i, (path, _text) in enumerate(items)}


class ReportListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[str, str]] = []  # (path, text)
        self._rows: dict[str, int] = {}

    def set_reports(self, rows: Sequence[ReportRow]) -> None:
        """The weekly reports (sub-pages are left out), newest first; one reset however many."""
        self.set_items(picker_items(rows))

    def set_items(self, items: list[tuple[str, str]], rows: dict[str, int] | None = None) -> None:
        """Items made by picker_items, and their item_rows (both on a worker thread, for a large folder)."""
        if items == self._items:
            return  # an index that changed nothing keeps every picker's choice untouched
        self.beginResetModel()
        self._items = items
        self._rows = item_rows(items) if rows is None else rows
        self.endResetModel()

    def offer(self, path: str, text: str) -> int:
        """The row of path, adding it at the end when it is not listed (yet)."""
        row = self._rows.get(path)
        if row is None:
            row = len(self._items)
            self.beginInsertRows(QModelIndex(), row, row)
            self._items.append((path, text))
            self._rows[path] = row
            self.endInsertRows()
        return row

    def row_of(self, path: str) -> int:
        return self._rows.get(path, -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        path, text = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role in (PATH_ROLE, Qt.ItemDataRole.ToolTipRole):
            return path
        return None
