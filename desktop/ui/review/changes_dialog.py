"""What changed in a report since it was read: a line diff of the text as read against the text now."""

from __future__ import annotations

import difflib
import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.core.render import Palette

CONTEXT_LINES = 2


def changes_html(before: str, after: str, palette: Palette, px: int) -> str:
    """The changed lines with a little context: removed struck through on red, added on green."""
    dark = palette.text.lower() > "#888888"
    removed, added = ("#6b2b2e", "#1d5a30") if dark else ("#ffcfcc", "#c6f0d0")
    out: list[str] = []
    lines = difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=CONTEXT_LINES)
    for line in list(lines)[2:]:  # the two file-name lines say nothing here
        text = html.escape(line[1:]) or "&nbsp;"
        if line.startswith("@@"):
            out.append(f'<tr><td style="color:{palette.muted}">⋯</td></tr>')
        elif line.startswith("-"):
            out.append(f'<tr><td bgcolor="{removed}"><s>− {text}</s></td></tr>')
        elif line.startswith("+"):
            out.append(f'<tr><td bgcolor="{added}">+ {text}</td></tr>')
        else:
            out.append(f'<tr><td style="color:{palette.muted}">&nbsp; {text}</td></tr>')
    rows = "\n".join(out) or f'<tr><td style="color:{palette.muted}">=</td></tr>'
    return (
        f'<html><body style="font-size:{px}px; color:{palette.text}">'
        f'<table width="100%" border="0" cellspacing="0" cellpadding="3">{rows}</table></body></html>'
    )


class ChangesDialog(QDialog):
    def __init__(self, title: str, page: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 560)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
