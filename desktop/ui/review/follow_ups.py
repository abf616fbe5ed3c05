"""The Follow-ups panel: open follow-ups across the folder's reports, with a jump to each."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from desktop.review.store import Note
from desktop.ui.models.rows import RowsModel

NOTE_ROLE = Qt.ItemDataRole.UserRole + 1  # the Note of a row


def age_days(created: str, today: dt.date) -> int:
    return max(0, (today - dt.datetime.fromisoformat(created).date()).days)


class FollowUpsModel(RowsModel[Note]):
    """Team | Week | Section | Text | Age of the open follow-ups; NOTE_ROLE gives a row's Note."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("team", "week", "section", "text", "age")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = dt.date.today()

    def set_notes(self, notes: list[Note], today: dt.date | None = None) -> None:
        self._today = today or dt.date.today()
        self.set_rows([n for n in notes if n.follow_up and n.closed is None])

    def note_at(self, row: int) -> Note:
        return self._rows[row]

    def headers(self) -> list[str]:
        return [self.tr("Team"), self.tr("Week"), self.tr("Section"), self.tr("Text"), self.tr("Age")]

    def cells(self, note: Note) -> list[str]:
        age = self.tr("%n day(s)", "", age_days(note.created, self._today))
        return [note.team or "", note.label or note.date, note.section or "", note.text, age]

    def role_data(self, note: Note, column: int, role: int) -> object:
        if role == NOTE_ROLE:
            return note
        name = self.COLUMNS[column]
        if role == Qt.ItemDataRole.ToolTipRole and name in ("section", "text"):
            return note.quote or note.text
        if role == Qt.ItemDataRole.UserRole and name == "age":
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
