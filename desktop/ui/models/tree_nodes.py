"""The report tree's nodes, without Qt: built from the cache's rows on the indexer's thread, then adopted
by the tree model in one reset, or changed row by row with the model told before and after each move.

Levels: teams (when there are two or more), years newest first, reports newest first; under a report
its outline (read on demand) and then its sub-pages, oldest first.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from functools import total_ordering
from typing import Protocol

from desktop.core.dates import natural_key
from desktop.core.scanner import strip_notion_id
from desktop.store.queries import ReportRow


def report_caption(row: ReportRow) -> str:
    """A report's own name in the tree: its week (with the date) or title, never its folder's name."""
    label = row.label or row.title or strip_notion_id(row.path.rpartition("/")[2].rpartition(".")[0])
    return f"{label} · {row.date}" if row.label and label != row.date else label


def depth(row: ReportRow) -> int:
    """Pages before the sub-pages in their folders, so those find them."""
    return row.path.count("/")


def sort_key(row: ReportRow) -> str:
    """The listings' order (date, then issue number, then natural title) as one string."""
    sequence = "" if row.sequence is None else f"{row.sequence:012d}"
    return f"{row.date or ''}\x00{sequence}\x00{row.sort_title or natural_key(row.title)}\x00{row.path}"


@total_ordering
class _Desc:
    """A key that sorts the other way round (rows newest first)."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __lt__(self, other: _Desc) -> bool:
        return other.key < self.key


class Node:
    __slots__ = ("children", "fetched", "id", "key", "kind", "label", "line", "parent", "row", "section")

    def __init__(self, node_id: int, kind: str, label: str, key: str, parent: Node | None) -> None:
        self.id = node_id
        self.kind = kind  # "root", "team", "year", "report", "section"
        self.label = label
        self.key = key
        self.parent = parent
        self.children: list[Node] = []
        self.row: ReportRow | None = None
        self.section = -1
        self.line = 0
        self.fetched = True  # a report's outline: False until read

    def sections(self) -> int:
        """How many of the children are sections (they come first, sub-pages after)."""
        count = 0
        for child in self.children:
            if child.kind != "section":
                break
            count += 1
        return count

    def row_in_parent(self) -> int:
        assert self.parent is not None
        return self.parent.children.index(self)


class Notifier(Protocol):
    """The model's beginInsertRows/endInsertRows and beginRemoveRows/endRemoveRows, by node."""

    def inserting(self, parent: Node, first: int, last: int) -> None: ...
    def inserted(self) -> None: ...
    def removing(self, parent: Node, first: int, last: int) -> None: ...
    def removed(self) -> None: ...


def several_teams(rows: Iterable[ReportRow]) -> bool:
    # Two teams or more; one folder of reports beside loose files is no team level.
    return len({r.team for r in rows if r.parent is None and r.team is not None}) > 1


def _count(counts: dict[str, int], row: ReportRow, step: int) -> None:
    """Count a report that several_teams() counts (outside any page, with a team) in or out."""
    if row.parent is None and row.team is not None:
        left = counts.get(row.team, 0) + step
        if left:
            counts[row.team] = left
        else:
            del counts[row.team]


class TreeNodes:
    def __init__(self, other_label: str = "Other reports", first_id: int = 1) -> None:
        self.root = Node(0, "root", "", "", None)
        self.nodes: dict[int, Node] = {0: self.root}
        self.next_id = first_id
        self.reports: dict[str, Node] = {}
        self.groups: dict[tuple[str, ...], Node] = {}  # (team,), (team, year) or (year,)
        self.waiting: dict[str, set[str]] = {}  # a page not listed yet -> its sub-pages listed alone
        self.teamed = False  # the first level is the team
        self.team_counts: dict[str, int] = {}  # reports outside any page, by team (several_teams)
        self.other_label = other_label  # the team of reports outside every team folder

    def new(self, kind: str, label: str, key: str, parent: Node) -> Node:
        node = Node(self.next_id, kind, label, key, parent)
        self.nodes[node.id] = node
        self.next_id += 1
        return node

    def rows(self) -> list[ReportRow]:
        return [n.row for n in self.reports.values() if n.row is not None]

    # -- inserting and removing ------------------------------------------------------------------

    def several_teams_with(self, rows: Sequence[ReportRow]) -> bool:
        """several_teams() of the reports once these are added or replace those of their paths.

        Counted from the teams the tree holds and the rows alone: a cold index adds 200 batches to
        50,000 reports, and counting every report at each took 10-20 ms of the window's thread.
        """
        counts = dict(self.team_counts)
        for row in rows:
            node = self.reports.get(row.path)
            if node is not None and node.row is not None:
                _count(counts, node.row, -1)
            _count(counts, row, 1)
        return len(counts) > 1

    def insert(self, row: ReportRow, notify: Notifier | None) -> None:
        owner = self.reports.get(row.parent) if row.parent is not None else None
        if row.parent is not None and owner is None:
            self.waiting.setdefault(row.parent, set()).add(row.path)
        holder = owner if owner is not None else self._group(row, notify)
        node = self._report_node(row, holder)
        self._add_child(holder, node, descending=owner is None, notify=notify)
        self._take_waiting(node, notify)

    def insert_new(self, rows: Sequence[ReportRow], notify: Notifier | None) -> None:
        """New reports outside any page (not in the tree yet), as insert() would place them.

        Each run of them that lands side by side in a year is one insertion: a cold index's batch of
        256 reports told the proxy and the view 256 times (30-40 ms of the window's thread).
        """
        placed: dict[int, tuple[Node, list[Node]]] = {}
        for row in rows:
            assert row.parent is None and row.path not in self.reports
            holder = self._group(row, notify)
            placed.setdefault(holder.id, (holder, []))[1].append(self._report_node(row, holder))
        for holder, nodes in placed.values():
            self._add_run(holder, nodes, notify)
        for _, nodes in placed.values():
            for node in nodes:
                self._take_waiting(node, notify)

    def _report_node(self, row: ReportRow, holder: Node) -> Node:
        node = self.new("report", report_caption(row), sort_key(row), holder)
        node.row = row
        node.fetched = row.sections == 0
        self.reports[row.path] = node
        _count(self.team_counts, row, 1)
        return node

    def _take_waiting(self, node: Node, notify: Notifier | None) -> None:
        """Its sub-pages listed alone while it was missing come under it now."""
        assert node.row is not None
        for path in sorted(self.waiting.pop(node.row.path, set())):
            child = self.reports.get(path)
            if child is not None and child.row is not None and child.parent is not node:
                kept = child.row
                self.remove(child, notify)
                self.insert(kept, notify)

    def remove(self, node: Node, notify: Notifier | None) -> None:
        holder = node.parent
        assert holder is not None and node.row is not None
        pages = [c.row for c in node.children if c.kind == "report" and c.row is not None]
        self._take(holder, node, notify)
        if node.row.parent is not None:
            self.waiting.get(node.row.parent, set()).discard(node.row.path)
        # An emptied year (or team) goes too.
        while holder is not self.root and holder.kind in ("year", "team") and not holder.children:
            up = holder.parent
            assert up is not None
            self._take(up, holder, notify)
            self.groups = {k: v for k, v in self.groups.items() if v is not holder}
            holder = up
        for page in pages:  # its sub-pages stay listed, alone, until it is back
            self.insert(page, notify)

    def _take(self, holder: Node, node: Node, notify: Notifier | None) -> None:
        place = holder.children.index(node)
        if notify is not None:
            notify.removing(holder, place, place)
        del holder.children[place]
        self.forget(node)
        if notify is not None:
            notify.removed()

    def forget(self, node: Node) -> None:
        """Drop a subtree taken out of the tree. Its nodes let go of their parents: with no cycle left,
        reference counting frees them at once (the window holds the cycle collector off while an
        index runs, and sets aside what is alive when it has caught up: desktop/ui/collector.py)."""
        stack = [node]
        while stack:
            n = stack.pop()
            self.nodes.pop(n.id, None)
            if n.kind == "report" and n.row is not None and self.reports.get(n.row.path) is n:
                del self.reports[n.row.path]
                _count(self.team_counts, n.row, -1)
            n.parent = None
            stack.extend(n.children)

    def dispose(self) -> None:
        """Break the tree's cycles (each node and its parent) once it is no longer shown (see forget)."""
        for node in self.nodes.values():
            node.parent = None

    def _group(self, row: ReportRow, notify: Notifier | None) -> Node:
        parent = self.root
        year = row.date[:4]
        keys: list[tuple[str, ...]] = (
            [(row.team or "",), (row.team or "", year)] if self.teamed else [(year,)]
        )
        for key in keys:
            node = self.groups.get(key)
            if node is None:
                is_team = self.teamed and len(key) == 1
                label = (key[0] or self.other_label) if is_team else year
                # Teams in name order, years newest first.
                node = self.new("team" if is_team else "year", label, key[-1], parent)
                self._add_child(parent, node, descending=not is_team, notify=notify)
                self.groups[key] = node
            parent = node
        return parent

    def _add_child(self, parent: Node, node: Node, *, descending: bool, notify: Notifier | None) -> None:
        first = parent.sections() if parent.kind == "report" else 0
        children = parent.children
        # Rows come in listing order (oldest first), so a new node nearly always belongs at the end
        # (names ascending) or at the front (reports newest first): one comparison instead of a search
        # with a key object per step, for each of 50,000 reports.
        if descending:
            if len(children) == first or node.key >= children[first].key:
                place = first
            else:
                place = bisect.bisect_left(children, _Desc(node.key), lo=first, key=lambda c: _Desc(c.key))
        elif len(children) == first or node.key > children[-1].key:
            place = len(children)
        else:
            place = bisect.bisect_left(children, node.key, lo=first, key=lambda c: c.key)
        if notify is not None:
            notify.inserting(parent, place, place)
        parent.children.insert(place, node)
        if notify is not None:
            notify.inserted()

    def _add_run(self, holder: Node, nodes: list[Node], notify: Notifier | None) -> None:
        """Reports into a year (newest first), where _add_child would put each, in runs."""
        assert holder.kind != "report"
        children = holder.children
        nodes.sort(key=lambda n: n.key, reverse=True)
        # Where each lands among the present children (before equal keys, as _add_child does); the
        # runs go in from the first, so each run's place counts the runs before it.
        runs: list[tuple[int, list[Node]]] = []
        for node in nodes:
            at = bisect.bisect_left(children, _Desc(node.key), key=lambda c: _Desc(c.key))
            if runs and runs[-1][0] == at:
                runs[-1][1].append(node)
            else:
                runs.append((at, [node]))
        added = 0
        for at, run in runs:
            place = at + added
            if notify is not None:
                notify.inserting(holder, place, place + len(run) - 1)
            children[place:place] = run
            if notify is not None:
                notify.inserted()
            added += len(run)


def build_tree(rows: Sequence[ReportRow], other_label: str = "Other reports", first_id: int = 1) -> TreeNodes:
    """Every report of a folder as nodes, in one go (on a worker thread: no Qt is touched)."""
    tree = TreeNodes(other_label, first_id)
    tree.teamed = several_teams(rows)
    for row in sorted(rows, key=depth):
        tree.insert(row, None)
    return tree
