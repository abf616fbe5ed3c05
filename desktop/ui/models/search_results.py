"""Search hits as a list model; the snippet is offered as HTML with the matches highlighted."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.store.search import HIT_END, HIT_START, Hit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def snippet_html(snippet: str, mark_style: str = "background-color:#ffe58a;") -> str:
    escaped = html.escape(snippet)
    return escaped.replace(HIT_START, f'<span style="{mark_style}">').replace(HIT_END, "</span>")


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self.query = ""
        self.mark_style = "background-color:#ffe58a;color:#000;"

    def set_hits(self, query: str, hits: Sequence[Hit]) -> None:
        self.beginResetModel()
        self.query = query
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Hit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            plain = hit.snippet.replace(HIT_START, "").replace(HIT_END, "")
            return f"{hit.label or hit.report} · {hit.section}\n{plain}"
        if role == HTML_ROLE:
            where = html.escape(f"{hit.label or hit.report} · {hit.date} · {hit.section}")
            return f"<b>{where}</b><br>{snippet_html(hit.snippet, self.mark_style)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.report}:{hit.line}"
        if role == HIT_ROLE:
            return hit
        return None
