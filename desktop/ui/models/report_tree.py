"""The report tree: teams (when there are several), years, reports newest first, then each report's outline
and sub-pages.

A QAbstractItemModel over the cache's report rows (plain frozen dataclasses): one small node per report,
none per section until a report is expanded or filtered for; its outline is then read from the cache in
one bounded query (see `outline_reader`). Tens of thousands of reports cost tens of thousands of nodes,
not the hundreds of thousands of items a full outline would.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from functools import total_ordering

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop.core.model import Section
from desktop.core.scanner import strip_notion_id
from desktop.store.queries import ReportRow

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2  # section index, -1 for a report, year or team
KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # "team", "year", "report", "section"
SORT_ROLE = Qt.ItemDataRole.UserRole + 4
LINE_ROLE = Qt.ItemDataRole.UserRole + 5  # a section's first line (for its tooltip)

_Index = QModelIndex | QPersistentModelIndex
OutlineReader = Callable[[list[str]], dict[str, list[Section]]]


def report_caption(row: ReportRow) -> str:
    """A report's own name in the tree: its week (with the date) or title, never its folder's name."""
    label = row.label or row.title or strip_notion_id(row.path.rpartition("/")[2].rpartition(".")[0])
    return f"{label} · {row.date}" if row.label and label != row.date else label


def _depth(row: ReportRow) -> int:
    """Pages before the sub-pages in their folders, so those find them."""
    return row.path.count("/")


def _sort_key(row: ReportRow) -> str:
    return f"{row.date}\x00{row.path}"


@total_ordering
class _Desc:
    """A key that sorts the other way round (rows newest first)."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and other.key == self.key

    def __lt__(self, other: _Desc) -> bool:
        return other.key < self.key


class _Node:
    __slots__ = ("children", "fetched", "id", "key", "kind", "label", "line", "parent", "row", "section")

    def __init__(self, node_id: int, kind: str, label: str, key: str, parent: _Node | None) -> None:
        self.id = node_id
        self.kind = kind
        self.label = label
        self.key = key
        self.parent = parent
        self.children: list[_Node] = []
        self.row: ReportRow | None = None
        self.section = -1
        self.line = 0
        self.fetched = True  # a report's outline: False until read

    def sections(self) -> int:
        """How many of the children are sections (they come first, sub-pages after)."""
        return sum(1 for c in self.children if c.kind == "section")


class ReportTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node(0, "root", "", "", None)
        self._nodes: dict[int, _Node] = {0: self._root}
        self._next_id = 1
        self._reports: dict[str, _Node] = {}
        self._groups: dict[tuple[str, ...], _Node] = {}  # (team,) and (team, year) or (year,)
        self._waiting: dict[str, set[str]] = {}  # a page not listed yet -> its sub-pages listed alone
        self._teamed = False  # the first level is the team (several teams in the folder)
        self.outline_reader: OutlineReader | None = None  # set by whoever holds the cache
        self._warning_icon: QIcon | None = None  # made on first use: the style may not exist yet

    # -- the Qt model ----------------------------------------------------------------------------

    def _node(self, index: _Index) -> _Node:
        if not index.isValid():
            return self._root
        return self._nodes.get(index.internalId(), self._root)

    def index(self, row: int, column: int = 0, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row].id)

    def parent(self, index: _Index | None = None) -> QModelIndex:  # type: ignore[override]
        if index is None:  # QObject.parent(): the model's owner
            return super().parent()  # type: ignore[return-value]
        node = self._node(index)
        up = node.parent
        if node is self._root or up is None or up is self._root:
            return QModelIndex()
        assert up.parent is not None
        return self.createIndex(up.parent.children.index(up), 0, up.id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        node = self._node(parent)
        return bool(node.children) or self.canFetchMore(parent)

    def canFetchMore(self, parent: _Index) -> bool:
        node = self._node(parent)
        return node.kind == "report" and not node.fetched and self.outline_reader is not None

    def fetchMore(self, parent: _Index) -> None:
        node = self._node(parent)
        if node.kind == "report" and not node.fetched and self.outline_reader is not None:
            self._load_outlines([node])

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if section == 0 and orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Reports")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == KIND_ROLE:
            return node.kind
        if role == SECTION_ROLE:
            return node.section
        if role == PATH_ROLE:
            return node.row.path if node.row is not None else None
        if role == SORT_ROLE:
            return node.key
        if role == LINE_ROLE:
            return node.line if node.kind == "section" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if node.kind == "report" and node.row is not None:
                return self._report_tip(node.row)
            if node.kind == "section":
                return f"{node.label}\n" + self.tr("line %1").replace("%1", str(node.line))
            return None
        if role == Qt.ItemDataRole.DecorationRole and node.row is not None and node.kind == "report":
            if not node.row.warnings:
                return None
            if self._warning_icon is None:
                self._warning_icon = QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning
                )
            return self._warning_icon
        return None

    # -- reading ---------------------------------------------------------------------------------

    def report_paths(self) -> list[str]:
        return list(self._reports)

    def has_report(self, path: str) -> bool:
        return path in self._reports

    def row_of(self, path: str) -> ReportRow | None:
        """The cache row a listed report was built from."""
        node = self._reports.get(path)
        return node.row if node is not None else None

    def index_for(self, path: str, section: int = -1) -> QModelIndex:
        node = self._reports.get(path)
        if node is None:
            return QModelIndex()
        if section >= 0:
            if not node.fetched:
                self._load_outlines([node])
            found = self._find_section(node, section)
            if found is not None:
                node = found
        return self._index_of(node)

    def _index_of(self, node: _Node) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.children.index(node), 0, node.id)

    def _find_section(self, node: _Node, section: int) -> _Node | None:
        stack = [c for c in node.children if c.kind == "section"]
        while stack:
            child = stack.pop()
            if child.section == section:
                return child
            stack.extend(child.children)
        return None

    def load_outlines(self, paths: Iterable[str]) -> None:
        """Read the outlines of these reports now (the filter looks for section titles in them)."""
        nodes = [n for p in paths if (n := self._reports.get(p)) is not None and not n.fetched]
        for start in range(0, len(nodes), 500):
            self._load_outlines(nodes[start : start + 500])

    # -- writing: the one way in -------------------------------------------------------------------

    def clear_reports(self) -> None:
        self.beginResetModel()
        self._reset()
        self.endResetModel()

    def sync(self, rows: Sequence[ReportRow]) -> None:
        """Show exactly these reports: the folder's full list, read once per index."""
        if not self._reports or self._teams_differ(rows, replace=True):
            self.beginResetModel()
            self._reset()
            self._teamed = self._several_teams(rows)
            for row in sorted(rows, key=_depth):
                self._insert(row, signals=False)
            self.endResetModel()
            return
        wanted = {r.path for r in rows}
        self.remove_reports([p for p in self._reports if p not in wanted])
        self.upsert_reports(rows)

    def upsert_reports(self, rows: Iterable[ReportRow]) -> None:
        """Add or replace reports (a batch just indexed); pages before their sub-pages."""
        rows = [r for r in rows if (n := self._reports.get(r.path)) is None or n.row != r]
        if not rows:
            return
        if self._teams_differ(rows, replace=False):
            self.sync(self._all_rows_with(rows))
            return
        for row in sorted(rows, key=_depth):
            node = self._reports.get(row.path)
            if node is not None and node.row is not None and self._same_place(node.row, row):
                node.row = row
                node.label = report_caption(row)
                index = self._index_of(node)
                self.dataChanged.emit(index, index)
                self._drop_outline(node)  # read again when next looked at: the text has changed
                continue
            if node is not None:
                self._remove(node, signals=True)
            self._insert(row, signals=True)

    def remove_reports(self, paths: Iterable[str]) -> None:
        for path in list(paths):
            node = self._reports.get(path)
            if node is not None:
                self._remove(node, signals=True)

    # -- inside --------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._root.children = []
        self._nodes = {0: self._root}
        self._reports.clear()
        self._groups.clear()
        self._waiting.clear()
        self._teamed = False

    def _new(self, kind: str, label: str, key: str, parent: _Node) -> _Node:
        node = _Node(self._next_id, kind, label, key, parent)
        self._nodes[node.id] = node
        self._next_id += 1
        return node

    @staticmethod
    def _several_teams(rows: Iterable[ReportRow]) -> bool:
        # Two teams or more; one folder of reports beside loose files is no team level.
        return len({r.team for r in rows if r.parent is None and r.team is not None}) > 1

    def _teams_differ(self, rows: Sequence[ReportRow], *, replace: bool) -> bool:
        wanted = self._several_teams(rows if replace else self._all_rows_with(rows))
        return wanted != self._teamed

    def _all_rows_with(self, rows: Sequence[ReportRow]) -> list[ReportRow]:
        merged = {p: n.row for p, n in self._reports.items() if n.row is not None}
        merged.update((r.path, r) for r in rows)
        return list(merged.values())

    @staticmethod
    def _same_place(old: ReportRow, new: ReportRow) -> bool:
        return (old.date, old.parent, old.team) == (new.date, new.parent, new.team)

    def _group(self, row: ReportRow, signals: bool) -> _Node:
        parent = self._root
        year = row.date[:4]
        keys: list[tuple[str, ...]] = []
        if self._teamed:
            keys.append((row.team or "",))
        keys.append((*keys[0], year) if keys else (year,))
        for key in keys:
            node = self._groups.get(key)
            if node is None:
                is_team = self._teamed and len(key) == 1
                label = (key[0] or self.tr("Other reports")) if is_team else year
                # Teams in name order, years newest first.
                node = self._new("team" if is_team else "year", label, key[-1], parent)
                self._add_child(parent, node, descending=not is_team, signals=signals)
                self._groups[key] = node
            parent = node
        return parent

    def _add_child(self, parent: _Node, node: _Node, *, descending: bool, signals: bool) -> None:
        first = parent.sections() if parent.kind == "report" else 0
        if descending:
            place = bisect.bisect_left(parent.children, _Desc(node.key), lo=first, key=lambda c: _Desc(c.key))
        else:
            place = bisect.bisect_left(parent.children, node.key, lo=first, key=lambda c: c.key)
        if signals:
            self.beginInsertRows(self._index_of(parent), place, place)
        parent.children.insert(place, node)
        if signals:
            self.endInsertRows()

    def _insert(self, row: ReportRow, *, signals: bool) -> None:
        owner = self._reports.get(row.parent) if row.parent is not None else None
        if row.parent is not None and owner is None:
            self._waiting.setdefault(row.parent, set()).add(row.path)
        holder = owner if owner is not None else self._group(row, signals)
        node = self._new("report", report_caption(row), _sort_key(row), holder)
        node.row = row
        node.fetched = row.sections == 0
        self._reports[row.path] = node
        self._add_child(holder, node, descending=owner is None, signals=signals)
        # Its sub-pages listed alone while it was missing come under it now.
        for path in sorted(self._waiting.pop(row.path, set())):
            child = self._reports.get(path)
            if child is not None and child.row is not None and child.parent is not node:
                kept = child.row
                self._remove(child, signals=signals)
                self._insert(kept, signals=signals)

    def _remove(self, node: _Node, *, signals: bool) -> None:
        holder = node.parent
        assert holder is not None and node.row is not None
        pages = [c.row for c in node.children if c.kind == "report" and c.row is not None]
        place = holder.children.index(node)
        if signals:
            self.beginRemoveRows(self._index_of(holder), place, place)
        del holder.children[place]
        self._forget(node)
        if signals:
            self.endRemoveRows()
        if node.row.parent is not None:
            self._waiting.get(node.row.parent, set()).discard(node.row.path)
        # An emptied year (or team) goes too.
        while holder is not self._root and holder.kind in ("year", "team") and not holder.children:
            up = holder.parent
            assert up is not None
            place = up.children.index(holder)
            if signals:
                self.beginRemoveRows(self._index_of(up), place, place)
            del up.children[place]
            self._groups = {k: v for k, v in self._groups.items() if v is not holder}
            self._nodes.pop(holder.id, None)
            if signals:
                self.endRemoveRows()
            holder = up
        for page in pages:  # its sub-pages stay listed, alone, until it is back
            self._insert(page, signals=signals)

    def _forget(self, node: _Node) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            self._nodes.pop(n.id, None)
            if n.kind == "report" and n.row is not None and self._reports.get(n.row.path) is n:
                del self._reports[n.row.path]
            stack.extend(n.children)

    def _drop_outline(self, node: _Node) -> None:
        count = node.sections()
        if count:
            self.beginRemoveRows(self._index_of(node), 0, count - 1)
            for child in node.children[:count]:
                self._forget(child)
            del node.children[:count]
            self.endRemoveRows()
        assert node.row is not None
        node.fetched = node.row.sections == 0

    def _load_outlines(self, nodes: list[_Node]) -> None:
        reader = self.outline_reader
        if reader is None or not nodes:
            return
        outlines = reader([n.row.path for n in nodes if n.row is not None])
        for node in nodes:
            node.fetched = True
            assert node.row is not None
            sections = outlines.get(node.row.path, [])
            tops: list[_Node] = []
            by_index: dict[int, _Node] = {}
            for section in sections:
                holder = by_index.get(section.parent) if section.parent is not None else None
                child = self._new("section", section.title, f"{section.index:06}", holder or node)
                child.row, child.section, child.line = node.row, section.index, section.first_line
                (holder.children if holder is not None else tops).append(child)
                by_index[section.index] = child
            if tops:
                self.beginInsertRows(self._index_of(node), 0, len(tops) - 1)
                node.children[0:0] = tops
                self.endInsertRows()

    # -- texts in the interface language ---------------------------------------------------------

    def _date_source(self, source: str) -> str:
        words = {
            "title": self.tr("the title"),
            "front_matter": self.tr("the front matter"),
            "property": self.tr("a date property"),
            "header": self.tr("a date line at the top"),
            "week_label": self.tr("the week label"),
            "filename": self.tr("the file name"),
            "mtime": self.tr("the file's modification time"),
        }
        return words.get(source, source)

    def _report_tip(self, row: ReportRow) -> str:
        week = (
            self.tr("%1 · date from %2")
            .replace("%1", row.iso_week)
            .replace("%2", self._date_source(row.date_source))
        )
        return "\n".join([row.title, row.path, week, *(f"⚠ {w}" for w in row.warnings)])

    def event(self, event: QEvent) -> bool:
        # Tooltips are made on hover in the current language; the header is told to look again.
        if event.type() == QEvent.Type.LanguageChange:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 0)
        return super().event(event)
