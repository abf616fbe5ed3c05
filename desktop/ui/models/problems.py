"""Problems met while indexing: which file, and why (skipped files, replaced bytes, guessed dates)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.store.queries import Problem

_Index = QModelIndex | QPersistentModelIndex
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class ProblemsModel(QAbstractTableModel):
    """File | Problem | Details. Headers and kinds are looked up when asked for, in the current language."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Problem] = []

    def _headers(self) -> list[str]:
        return [self.tr("File"), self.tr("Problem"), self.tr("Details")]

    def _kind(self, kind: str) -> str:
        return self.tr("skipped") if kind == "skipped" else self.tr("warning")

    def retranslate(self) -> None:
        """Tell the views that the headers and the Problem column now read in another language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))

    def event(self, event: QEvent) -> bool:
        # Models get no changeEvent, but a widget passes LanguageChange on to its child objects.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return super().event(event)

    def set_problems(self, rows: Sequence[Problem]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 3

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        problem = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (problem.path, self._kind(problem.kind), problem.message)[index.column()]
        if role == PATH_ROLE:
            return problem.path
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 3
        ):
            return self._headers()[section]
        return None
