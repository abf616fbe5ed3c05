"""A read-only table over a list of records: the base of the overview's, the follow-ups' and the
progress tables.

A subclass says what its columns are called (`headers`), what each record shows in them (`cells`) and,
through `role_data`, anything else a view asks for (tooltips, links, sort keys, the record itself). The
headers and words are looked up when asked for, so a change of language shows at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
_Role = Qt.ItemDataRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RowsModel(QAbstractTableModel, Generic[T]):
    numeric: frozenset[int] = frozenset()  # columns of numbers: aligned right

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    # -- what a subclass says ---------------------------------------------------------------------

    def headers(self) -> list[str]:
        raise NotImplementedError

    def cells(self, row: T) -> Sequence[str | None]:
        raise NotImplementedError

    def role_data(self, row: T, column: int, role: int) -> object:
        """Any role but the display text and the alignment; None when the model has nothing to say."""
        return None

    # -- the rows -----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[T]:
        return list(self._rows)

    # -- Qt's side ----------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
            if self._rows:
                last = self.index(len(self._rows) - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)
        return super().event(event)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _Role.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != _Role.DisplayRole:
            return None
        heads = self.headers()
        return heads[section] if 0 <= section < len(heads) else None

    def data(self, index: Index, role: int = _Role.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        if not 0 <= column < self.columnCount():
            return None
        row = self._rows[index.row()]
        if role == _Role.DisplayRole:
            return self.cells(row)[column]
        if role == _Role.TextAlignmentRole and column in self.numeric:
            return _RIGHT
        return self.role_data(row, column, role)
