"""The dialog for writing or editing a note: its text, whether it is a follow-up, and what it quotes."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class NoteEditor(QDialog):
    def __init__(
        self, parent: QWidget | None = None, *, text: str = "", follow_up: bool = False, quote: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Note"))
        layout = QVBoxLayout(self)
        self.quote_label = QLabel(quote)
        self.quote_label.setWordWrap(True)
        self.quote_label.setVisible(bool(quote))
        layout.addWidget(self.quote_label)
        self.editor = QPlainTextEdit(text)
        self.editor.setPlaceholderText(self.tr("Write a note…"))
        layout.addWidget(self.editor)
        self.follow_up_box = QCheckBox(self.tr("Follow-up: a question or action for the team"))
        self.follow_up_box.setChecked(follow_up)
        layout.addWidget(self.follow_up_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self._on_editor_text_changed()

    @Slot()
    def _on_editor_text_changed(self) -> None:
        # An empty note is refused here rather than by the store.
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.text()))

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def follow_up(self) -> bool:
        return self.follow_up_box.isChecked()

    @classmethod
    def ask(
        cls, parent: QWidget | None, *, text: str = "", follow_up: bool = False, quote: str = ""
    ) -> tuple[str, bool] | None:
        """Modal: (text, follow_up) when accepted, else None."""
        dialog = cls(parent, text=text, follow_up=follow_up, quote=quote)
        try:
            return (
                (dialog.text(), dialog.follow_up()) if dialog.exec() == QDialog.DialogCode.Accepted else None
            )
        finally:
            dialog.deleteLater()
