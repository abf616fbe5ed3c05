"""The report tree: teams (when there are several), years, reports newest first, then each report's outline
and sub-pages.

A QAbstractItemModel over the cache's report rows (plain frozen dataclasses): one small node per report,
none per section until a report is expanded or filtered for; its outline is then read from the cache in
one bounded query (see `outline_reader`). Tens of thousands of reports cost tens of thousands of nodes,
not the hundreds of thousands of items a full outline would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop.core.model import Section
from desktop.store.queries import ReportRow
from desktop.ui.models.proxy import RoleRequests, role_items
from desktop.ui.models.tree_nodes import (
    Node,
    TreeNodes,
    build_tree,
    depth,
    report_caption,
    several_teams,
)

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2  # section index, -1 for a report, year or team
KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # "team", "year", "report", "section"
SORT_ROLE = Qt.ItemDataRole.UserRole + 4
LINE_ROLE = Qt.ItemDataRole.UserRole + 5  # a section's first line (for its tooltip)
READ_ROLE = Qt.ItemDataRole.UserRole + 6  # a report's "unread", "read" or "changed" (read marks shown)
READ_COUNT_ROLE = Qt.ItemDataRole.UserRole + 7  # (read, total) reports under a year or team
# What a row shows after its label: a year's or team's read count ("3/12"), CHANGED_MARK for a report
# changed since it was read, else None. One role, so the delegate asks once per row it paints or sizes.
BADGE_ROLE = Qt.ItemDataRole.UserRole + 8
CHANGED_MARK = "●"

_Index = QModelIndex | QPersistentModelIndex
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # made once: views ask per row
OutlineReader = Callable[[list[str]], dict[str, list[Section]]]
__all__ = [
    "BADGE_ROLE",
    "CHANGED_MARK",
    "KIND_ROLE",
    "LINE_ROLE",
    "PATH_ROLE",
    "READ_COUNT_ROLE",
    "READ_ROLE",
    "SECTION_ROLE",
    "SORT_ROLE",
    "ReportTreeModel",
    "report_caption",
]


BULK_READ_CHANGES = 2000  # read marks changed at once from which report rows are not named one by one


class ReportTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._t = TreeNodes(self.other_label())
        self.outline_reader: OutlineReader | None = None  # set by whoever holds the cache
        self._warning_icon: QIcon | None = None  # made on first use: the style may not exist yet
        # The reviewer's read marks: path -> changed since read, for read reports; None shows none.
        self._reads: Mapping[str, bool] | None = None
        self._read_counts: dict[int, tuple[int, int]] = {}  # group node id -> (read, total), on demand
        self._bold: QFont | None = None
        for signal in (self.rowsInserted, self.rowsRemoved, self.modelReset):
            signal.connect(self._on_self_rows_changed)

    # -- the Qt model ----------------------------------------------------------------------------

    def _node(self, index: _Index) -> Node:
        if not index.isValid():
            return self._t.root
        return self._t.nodes.get(index.internalId(), self._t.root)

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
        if node is self._t.root or up is None or up is self._t.root:
            return QModelIndex()
        return self.createIndex(up.row_in_parent(), 0, up.id)

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
        return _FLAGS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if section == 0 and orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Reports")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        return self._value(self._node(index), role)

    def multiData(self, index: _Index, roles: RoleRequests) -> None:
        # A view asks seven roles of every row it paints: one call into Python for them all, instead of
        # one per role (a warm window at 50,000 reports: 860 calls into the model instead of 3,150).
        node = self._node(index) if index.isValid() else None
        for item in role_items(roles):
            value = None if node is None else self._value(node, item.role())
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    def _value(self, node: Node, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if node.kind == "year" and not node.key:
                return self.tr("Undated")  # no date in the text, and file times that date nothing
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
        if role == BADGE_ROLE:
            if node.kind in ("year", "team"):
                counts = self._read_data(node, READ_COUNT_ROLE)
                return f"{counts[0]}/{counts[1]}" if isinstance(counts, tuple) else None
            return CHANGED_MARK if self._read_data(node, READ_ROLE) == "changed" else None
        if role in (Qt.ItemDataRole.FontRole, READ_ROLE, READ_COUNT_ROLE) or (
            role == Qt.ItemDataRole.ToolTipRole and node.kind in ("year", "team")
        ):
            return self._read_data(node, role)
        if role == Qt.ItemDataRole.ToolTipRole:
            if node.kind == "report" and node.row is not None:
                tip = self._report_tip(node.row)
                if self._read_data(node, READ_ROLE) == "changed":
                    tip += "\n" + self.tr("Changed since you read it")
                return tip
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

    # -- read marks ------------------------------------------------------------------------------

    def set_read_states(self, reads: Mapping[str, bool] | None) -> None:
        """Show the reviewer's read marks: read report path -> whether it changed since (None: none)."""
        old, self._reads = self._reads, None if reads is None else dict(reads)
        nodes: Iterable[Node]
        if old is not None and self._reads is not None:
            new = self._reads
            changed = {p for p in set(old) | set(new) if old.get(p) != new.get(p) or (p in old) != (p in new)}
            self._shift_read_counts(changed, old, new)
            nodes = [node for path in changed if (node := self._t.reports.get(path)) is not None]
            count = len(changed)
        else:
            self._read_counts = {}
            nodes, count = self._t.reports.values(), len(self._t.reports)  # every report's row
        # One dataChanged per parent whose rows (reports, or the years and teams counting them) changed.
        parents: dict[int, Node] = {}
        for node in nodes:
            up = node.parent
            while up is not None and up.id not in parents:  # a parent named has its own named too
                parents[up.id] = up
                up = up.parent
        roles = [Qt.ItemDataRole.FontRole, READ_ROLE, READ_COUNT_ROLE, BADGE_ROLE]
        # A tree view walks every row of a dataChanged range (2.6 s for the first marks of 50,000
        # reports). With many reports changed, only the rows of teams and years (their counts) are
        # named: a view repaints its whole viewport on a range anyway, asking each shown report again,
        # and nothing here filters or sorts on the read roles.
        bulk = count > BULK_READ_CHANGES
        ranges = [parent for parent in parents.values() if parent.children]
        if bulk:
            groups = [parent for parent in ranges if parent.children[0].kind != "report"]
            if any(len(parent.children) > 1 for parent in groups):  # a range: the viewport repaints
                ranges = groups
        for parent in ranges:
            first = self.createIndex(0, 0, parent.children[0].id)
            last = self.createIndex(len(parent.children) - 1, 0, parent.children[-1].id)
            self.dataChanged.emit(first, last, roles)

    def read_state(self, path: str) -> str | None:
        node = self._t.reports.get(path)
        return None if node is None else self._read_data(node, READ_ROLE)  # type: ignore[return-value]

    def _read_data(self, node: Node, role: int) -> object:
        reads = self._reads
        if reads is None:
            return None
        if node.kind == "report" and node.row is not None and role in (READ_ROLE, Qt.ItemDataRole.FontRole):
            path = node.row.path
            state = "unread" if path not in reads else "changed" if reads[path] else "read"
            if role == READ_ROLE:
                return state
            if state != "unread":
                return None
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        if node.kind in ("year", "team") and role in (READ_COUNT_ROLE, Qt.ItemDataRole.ToolTipRole):
            counts = self._read_counts.get(node.id)
            if counts is None:
                counts = self._count_reads(node, reads)
                self._read_counts[node.id] = counts
            if role == READ_COUNT_ROLE:
                return counts
            return (
                self.tr("%1 of %2 reports read").replace("%1", str(counts[0])).replace("%2", str(counts[1]))
            )
        return None

    def _shift_read_counts(self, changed: set[str], old: Mapping[str, bool], new: Mapping[str, bool]) -> None:
        """Move the counts already worked out by the reports marked or unmarked: counting a team of
        thousands again after every mark held the window at 50,000 reports."""
        for path in changed:
            delta = (path in new) - (path in old)
            node = self._t.reports.get(path)
            if not delta or node is None or node.row is None:
                continue
            parent = node.parent
            while parent is not None:
                counts = self._read_counts.get(parent.id)
                if counts is not None:
                    self._read_counts[parent.id] = (counts[0] + delta, counts[1])
                parent = parent.parent

    @staticmethod
    def _count_reads(node: Node, reads: Mapping[str, bool]) -> tuple[int, int]:
        read = total = 0
        stack = list(node.children)
        while stack:
            child = stack.pop()
            if child.kind == "report" and child.row is not None:
                total += 1
                read += child.row.path in reads
            if child.kind != "section":
                stack.extend(child.children)
        return read, total

    @Slot()
    def _on_self_rows_changed(self) -> None:
        self._read_counts = {}

    # -- reading ---------------------------------------------------------------------------------

    def report_paths(self) -> list[str]:
        return list(self._t.reports)

    def has_report(self, path: str) -> bool:
        return path in self._t.reports

    def row_of(self, path: str) -> ReportRow | None:
        """The cache row a listed report was built from."""
        node = self._t.reports.get(path)
        return node.row if node is not None else None

    def index_for(self, path: str, section: int = -1) -> QModelIndex:
        node = self._t.reports.get(path)
        if node is None:
            return QModelIndex()
        if section >= 0:
            if not node.fetched:
                self._load_outlines([node])
            found = self._find_section(node, section)
            if found is not None:
                node = found
        return self._index_of(node)

    def _index_of(self, node: Node) -> QModelIndex:
        if node is self._t.root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row_in_parent(), 0, node.id)

    def _find_section(self, node: Node, section: int) -> Node | None:
        stack = [c for c in node.children if c.kind == "section"]
        while stack:
            child = stack.pop()
            if child.section == section:
                return child
            stack.extend(child.children)
        return None

    def load_outlines(self, paths: Iterable[str]) -> None:
        """Read the outlines of these reports now (the filter looks for section titles in them)."""
        nodes = [n for p in paths if (n := self._t.reports.get(p)) is not None and not n.fetched]
        for start in range(0, len(nodes), 500):
            self._load_outlines(nodes[start : start + 500])

    # -- writing: the one way in -------------------------------------------------------------------

    def other_label(self) -> str:
        """The team of the reports outside every team folder, in the interface language."""
        return self.tr("Other reports")

    def clear_reports(self) -> None:
        self.adopt(TreeNodes(self.other_label()))

    def adopt(self, tree: TreeNodes) -> None:
        """Show a tree built elsewhere (on the indexer's thread, see build_tree): one reset."""
        self.beginResetModel()
        old, self._t = self._t, tree
        self.endResetModel()
        old.dispose()

    def sync(self, rows: Sequence[ReportRow]) -> None:
        """Show exactly these reports (the folder's full list)."""
        if not self._t.reports or several_teams(rows) != self._t.teamed:
            self.adopt(build_tree(rows, self.other_label(), self._t.next_id))
            return
        wanted = {r.path for r in rows}
        self.remove_reports([p for p in self._t.reports if p not in wanted])
        self.upsert_reports(rows)

    def upsert_reports(self, rows: Iterable[ReportRow]) -> None:
        """Add or replace reports (a batch just indexed); pages before their sub-pages."""
        t = self._t
        rows = [r for r in rows if (n := t.reports.get(r.path)) is None or n.row != r]
        if not rows:
            return
        if t.several_teams_with(rows) != t.teamed:
            merged = {p: n.row for p, n in t.reports.items() if n.row is not None} | {r.path: r for r in rows}
            self.adopt(build_tree(list(merged.values()), t.other_label, t.next_id))
            return
        # New reports outside any page, most of a batch, go in together; then the rest, in order.
        fresh = list({r.path: r for r in rows if r.parent is None and r.path not in t.reports}.values())
        t.insert_new(fresh, self)
        placed = {r.path for r in fresh}
        for row in sorted((r for r in rows if r.path not in placed), key=depth):
            node = t.reports.get(row.path)
            if node is not None and node.row is not None and self._same_place(node.row, row):
                node.row = row
                node.label = report_caption(row)
                index = self._index_of(node)
                self.dataChanged.emit(index, index)
                self._drop_outline(node)  # read again when next looked at: the text has changed
                continue
            if node is not None:
                t.remove(node, self)
            t.insert(row, self)

    def remove_reports(self, paths: Iterable[str]) -> None:
        for path in list(paths):
            node = self._t.reports.get(path)
            if node is not None:
                self._t.remove(node, self)

    @staticmethod
    def _same_place(old: ReportRow, new: ReportRow) -> bool:
        return (old.date, old.parent, old.team) == (new.date, new.parent, new.team)

    # The tree's nodes tell the views through these (tree_nodes.Notifier).

    def inserting(self, parent: Node, first: int, last: int) -> None:
        self.beginInsertRows(self._index_of(parent), first, last)

    def inserted(self) -> None:
        self.endInsertRows()

    def removing(self, parent: Node, first: int, last: int) -> None:
        self.beginRemoveRows(self._index_of(parent), first, last)

    def removed(self) -> None:
        self.endRemoveRows()

    def _drop_outline(self, node: Node) -> None:
        count = node.sections()
        if count:
            self.beginRemoveRows(self._index_of(node), 0, count - 1)
            for child in node.children[:count]:
                self._t.forget(child)
            del node.children[:count]
            self.endRemoveRows()
        assert node.row is not None
        node.fetched = node.row.sections == 0

    def _load_outlines(self, nodes: list[Node]) -> None:
        reader = self.outline_reader
        if reader is None or not nodes:
            return
        outlines = reader([n.row.path for n in nodes if n.row is not None])
        for node in nodes:
            node.fetched = True
            assert node.row is not None
            sections = outlines.get(node.row.path, [])
            tops: list[Node] = []
            by_index: dict[int, Node] = {}
            for section in sections:
                holder = by_index.get(section.parent) if section.parent is not None else None
                child = self._t.new("section", section.title, f"{section.index:06}", holder or node)
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
