"""Help → Keyboard Shortcuts: built from the window's actions, so it can never miss one."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# An accelerator written after the text, as Chinese and Japanese menus do: "文件(&F)".
_TRAILING_MNEMONIC = re.compile(r"\s*\(&[^)]\)")


def action_name(text: str) -> str:
    """An action's text as a name: without its accelerator ("&Open", "打开(&O)") or trailing "…"."""
    return (
        _TRAILING_MNEMONIC.sub("", text)
        .replace("&&", "\0")
        .replace("&", "")
        .replace("\0", "&")
        .rstrip("….")
        .strip()
    )


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    rows: dict[str, str] = {}
    for action in actions:
        keys = [
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()
        ]
        if keys:
            rows.setdefault(action_name(action.text()), " / ".join(keys))
    return sorted(rows.items(), key=lambda r: r[0].casefold())


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (name, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self._fit(layout.contentsMargins().left() * 2, buttons.sizeHint().height() + layout.spacing())

    def _fit(self, margins: int, below: int) -> None:
        """As large as the table's contents (every name and key whole, no scrolling), within the screen."""
        table = self.table
        table.resizeColumnsToContents()
        frame = table.frameWidth() * 2
        padding = 24  # the stretched column's breathing room
        width = sum(table.sizeHintForColumn(c) for c in range(2)) + frame + padding
        width += table.verticalScrollBar().sizeHint().width()
        height = table.horizontalHeader().sizeHint().height() + frame
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setMinimumWidth(width)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        max_w, max_h = (screen.width() * 9 // 10, screen.height() * 9 // 10) if screen else (1600, 900)
        self.resize(min(width + margins, max_w), min(height + below + margins, max_h))
