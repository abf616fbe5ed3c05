"""Search hits as a list model; the snippet is offered as HTML with the matches highlighted.

A hit is titled by its report's label (its week, or its title) rather than its file name, and its
snippet is shown as the text a reader sees: without Markdown's heading marks, link targets or emphasis.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.store.search import HIT_END, HIT_START, Hit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex

_M = f"[{HIT_START}{HIT_END}]*"  # a match marker may sit anywhere in the Markdown
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*\)")  # [text](target) -> text
_LINK_CUT = re.compile(rf"\]\([^)\s]*$|^[^(\s]*\)|!?\[(?={_M}[^\]]*\]\()")  # cut at the snippet's edge
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HEADING = re.compile(rf"(?:^|(?<=\s)){_M}#{{1,6}}(?=\s)")
_BULLET = re.compile(r"(?:^|(?<=\s))(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
_CHECKBOX = re.compile(r"(?:^|(?<=\s))\[[ xX]\](?=\s)")
_QUOTE = re.compile(r"(?:^|(?<=\s))>+(?=\s)")
_EMPHASIS = re.compile(r"\*\*|__|~~|`+|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_TABLE = re.compile(r"\s*\|\s*(?:[:-]+\s*\|\s*)*")
_RULE = re.compile(r"(?:^|(?<=\s))(?:-{3,}|\*{3,}|_{3,})(?=\s|$)")
_NOTION_ID = re.compile(r"\s+[0-9a-f]{32}$")
_SPACES = re.compile(r"\s{2,}")


def plain_snippet(snippet: str) -> str:
    """The snippet as a reader sees the text: `## 【x】` is 【x】, `[a](b)` is a, `**y**` is y."""
    text = _IMAGE_OR_LINK.sub(r"\1", snippet)
    text = _AUTOLINK.sub(r"\1", text)
    text = _LINK_CUT.sub("", text)
    text = _HEADING.sub("", text)
    text = _BULLET.sub("", text)
    text = _CHECKBOX.sub("", text)
    text = _QUOTE.sub("", text)
    text = _RULE.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _TABLE.sub(" · ", text).strip(" ·")
    return _SPACES.sub(" ", text).strip()


def report_title(hit: Hit) -> str:
    """The report's label; without one, its file's name without extension or Notion's id."""
    if hit.label:
        return hit.label
    return _NOTION_ID.sub("", PurePosixPath(hit.report).stem) or hit.report


def snippet_html(snippet: str, mark_style: str = "background-color:#ffe58a;") -> str:
    escaped = html.escape(plain_snippet(snippet))
    return escaped.replace(HIT_START, f'<span style="{mark_style}">').replace(HIT_END, "</span>")


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self.query = ""
        self.capped = False  # there are more hits than these: the panel offers to show more
        self.mark_style = "background-color:#ffe58a;color:#000;"

    def set_hits(self, query: str, hits: Sequence[Hit], *, capped: bool = False) -> None:
        self.beginResetModel()
        self.query = query
        self._hits = list(hits)
        self.capped = capped
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
            plain = plain_snippet(hit.snippet).replace(HIT_START, "").replace(HIT_END, "")
            return f"{report_title(hit)} · {hit.section}\n{plain}"
        if role == HTML_ROLE:
            where = html.escape(" · ".join(p for p in (report_title(hit), hit.date, hit.section) if p))
            return f"<b>{where}</b><br>{snippet_html(hit.snippet, self.mark_style)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.report}:{hit.line}"
        if role == HIT_ROLE:
            return hit
        return None
