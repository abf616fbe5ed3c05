"""The Follow-ups panel: open follow-ups across the folder's reports, with a jump to each."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from desktop.review.store import Note

_Index = QModelIndex | QPersistentModelIndex
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1  # the Note of a row


def age_days(created: str, today: dt.date) -> int:
    return max(0, (today - dt.datetime.fromisoformat(created).date()).days)


class FollowUpsModel(QAbstractTableModel):
    COLUMNS: ClassVar[tuple[str, ...]] = ("team", "week", "section", "text", "age")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notes: list[Note] = []
        self._today = dt.date.today()

    def set_notes(self, notes: list[Note], today: dt.date | None = None) -> None:
        self.beginResetModel()
        self._notes = [n for n in notes if n.follow_up and n.closed is None]
        self._today = today or dt.date.today()
        self.endResetModel()

    def note_at(self, row: int) -> Note:
        return self._notes[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._notes)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.COLUMNS):
            return None
        return (self.tr("Team"), self.tr("Week"), self.tr("Section"), self.tr("Text"), self.tr("Age"))[
            section
        ]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        if role == NOTE_ROLE:
            return note
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "team":
                return note.team or ""
            if column == "week":
                return note.label or note.date
            if column == "section":
                return note.section or ""
            if column == "text":
                return note.text
            return self.tr("%n day(s)", "", age_days(note.created, self._today))
        if role == Qt.ItemDataRole.ToolTipRole and column in ("section", "text"):
            return note.quote or note.text
        if role == Qt.ItemDataRole.UserRole and column == "age":
            return age_days(note.created, self._today)  # for sorting by age
        return None


class FollowUpsPanel(QWidget):
    """The table of open follow-ups; activating a row asks the window to open that report."""

    follow_up_activated = Signal(str, str)  # report path, note id
    follow_up_closed = Signal(str)  # note id: the reader clicked Close

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FollowUpsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.activated.connect(self._on_table_activated)
        self.close_button = QPushButton(self.tr("Close follow-up"))
        self.close_button.clicked.connect(self._on_close_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def set_notes(self, notes: list[Note]) -> None:
        self.model.set_notes(notes)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        note = self.model.note_at(index.row())
        self.follow_up_activated.emit(note.report, note.id)

    @Slot()
    def _on_close_button_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.follow_up_closed.emit(self.model.note_at(rows[0].row()).id)
