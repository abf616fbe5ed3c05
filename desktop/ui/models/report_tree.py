"""The report tree: years, then reports newest first, then each report's outline and sub-pages.

A QStandardItemModel keeps the items in C++, so filtering tens of thousands of outline entries as the
user types never calls back into Python per row.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyle

from desktop.core.model import Section
from desktop.store.queries import ReportRow

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2  # section index, -1 for a report or year
KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # "year", "report", "section"
SORT_ROLE = Qt.ItemDataRole.UserRole + 4
LINE_ROLE = Qt.ItemDataRole.UserRole + 5  # a section's first line (for its tooltip)


def report_caption(row: ReportRow) -> str:
    label = row.label or row.title
    team = f"{row.team} · " if row.team else ""
    return f"{team}{label} · {row.date}" if label != row.date else f"{team}{label}"


def _sort_key(row: ReportRow) -> str:
    return f"{row.date}\x00{row.path}"


class ReportTreeModel(QStandardItemModel):
    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setHorizontalHeaderLabels([self.tr("Reports")])
        self._reports: dict[str, QStandardItem] = {}
        self._rows: dict[str, ReportRow] = {}  # what each report's tooltip is made from
        self._years: dict[str, QStandardItem] = {}
        self._keys: dict[str, list[str]] = {}  # ascending sort keys per year ("" for the years themselves)
        self._warning_icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)

    # -- reading ---------------------------------------------------------------------------------

    def report_paths(self) -> list[str]:
        return list(self._reports)

    def index_for(self, path: str, section: int = -1) -> QModelIndex:
        item = self._reports.get(path)
        if item is None:
            return QModelIndex()
        if section < 0:
            return item.index()
        found = self._find_section(item, section)
        return found.index() if found is not None else item.index()

    def _find_section(self, item: QStandardItem, section: int) -> QStandardItem | None:
        for row in range(item.rowCount()):
            child = item.child(row)
            if child.data(KIND_ROLE) == "section":
                if child.data(SECTION_ROLE) == section:
                    return child
                deeper = self._find_section(child, section)
                if deeper is not None:
                    return deeper
        return None

    # -- updating --------------------------------------------------------------------------------

    def clear_reports(self) -> None:
        self.removeRows(0, self.rowCount())
        self._reports.clear()
        self._rows.clear()
        self._years.clear()
        self._keys.clear()

    def set_reports(self, rows: Sequence[ReportRow], sections: dict[str, list[Section]]) -> None:
        self.clear_reports()
        self.upsert_reports(rows, sections)

    def has_report(self, path: str) -> bool:
        return path in self._reports

    def row_of(self, path: str) -> ReportRow | None:
        """The cache row a listed report was built from."""
        return self._rows.get(path)

    def upsert_reports(self, rows: Iterable[ReportRow], sections: dict[str, list[Section]]) -> list[str]:
        """Add or replace reports; weekly reports go under their year, sub-pages under their report.

        Returns the sub-pages that were taken out with a replaced report, for the caller to add again.
        """
        rows = list(rows)
        given = {r.path for r in rows}
        replaced = [r.path for r in rows if r.path in self._reports]
        orphans = [p for p in self._descendants(replaced) if p not in given]
        self.remove_reports(replaced)
        # Parents first, so sub-pages that arrive in the same batch find them.
        tops = [
            r for r in rows if r.parent is None or (r.parent not in self._reports and r.parent not in given)
        ]
        children = [r for r in rows if r not in tops]
        for row in sorted(tops, key=_sort_key):
            year = row.date[:4]
            self._insert_sorted(
                year,
                self._year_item(year),
                self._report_item(row, sections.get(row.path, [])),
                _sort_key(row),
            )
        for row in sorted(children, key=_sort_key):
            assert row.parent is not None
            parent = self._reports.get(row.parent)
            item = self._report_item(row, sections.get(row.path, []))
            if parent is None:  # its page is a sub-page not given yet: list it on its own meanwhile
                self._insert_sorted(row.date[:4], self._year_item(row.date[:4]), item, _sort_key(row))
            else:
                parent.appendRow(item)
        return orphans

    def _descendants(self, paths: list[str]) -> list[str]:
        found: list[str] = []
        for path in paths:
            item = self._reports.get(path)
            stack = [item] if item is not None else []
            while stack:
                node = stack.pop()
                for row in range(node.rowCount()):
                    child = node.child(row)
                    if child.data(KIND_ROLE) == "report":
                        found.append(str(child.data(PATH_ROLE)))
                        stack.append(child)
        return found

    def remove_reports(self, paths: Iterable[str]) -> None:
        for path in paths:
            item = self._reports.pop(path, None)
            self._rows.pop(path, None)
            if item is None:
                continue
            self._forget_children(item)
            parent = item.parent() or self.invisibleRootItem()
            if parent.data(KIND_ROLE) == "year":
                year = str(parent.data(SORT_ROLE))
                self._keys[year].remove(str(item.data(SORT_ROLE)))
                parent.removeRow(item.row())
                if not parent.rowCount():
                    del self._years[year]
                    self._keys[""].remove(year)
                    self.removeRow(parent.row())
            else:
                parent.removeRow(item.row())

    def _forget_children(self, item: QStandardItem) -> None:
        for row in range(item.rowCount()):
            child = item.child(row)
            if child.data(KIND_ROLE) == "report":
                self._reports.pop(str(child.data(PATH_ROLE)), None)
                self._rows.pop(str(child.data(PATH_ROLE)), None)
                self._forget_children(child)

    # -- building items --------------------------------------------------------------------------

    def _year_item(self, year: str) -> QStandardItem:
        item = self._years.get(year)
        if item is None:
            item = QStandardItem(year)
            item.setEditable(False)
            item.setData("year", KIND_ROLE)
            item.setData(year, SORT_ROLE)
            item.setData(-1, SECTION_ROLE)
            self._years[year] = item
            self._insert_sorted("", self.invisibleRootItem(), item, year)
        return item

    def _insert_sorted(self, group: str, parent: QStandardItem, item: QStandardItem, key: str) -> None:
        # Rows are newest first; the key list is ascending, so row = count after the key's place.
        keys = self._keys.setdefault(group, [])
        place = bisect.bisect_left(keys, key)
        keys.insert(place, key)
        parent.insertRow(len(keys) - 1 - place, item)

    def _report_item(self, row: ReportRow, sections: list[Section]) -> QStandardItem:
        item = QStandardItem(report_caption(row))
        item.setEditable(False)
        item.setData("report", KIND_ROLE)
        item.setData(row.path, PATH_ROLE)
        item.setData(-1, SECTION_ROLE)
        item.setData(_sort_key(row), SORT_ROLE)
        if row.warnings:
            item.setIcon(self._warning_icon)
        item.setToolTip(self._report_tip(row))
        self._reports[row.path] = item
        self._rows[row.path] = row
        by_index: dict[int, QStandardItem] = {}
        for section in sections:
            child = QStandardItem(section.title)
            child.setEditable(False)
            child.setData("section", KIND_ROLE)
            child.setData(row.path, PATH_ROLE)
            child.setData(section.index, SECTION_ROLE)
            child.setData(section.first_line, LINE_ROLE)
            child.setToolTip(self._section_tip(section.title, section.first_line))
            holder = by_index.get(section.parent, item) if section.parent is not None else item
            holder.appendRow(child)
            by_index[section.index] = child
        return item

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

    def _section_tip(self, title: str, line: int) -> str:
        return f"{title}\n" + self.tr("line %1").replace("%1", str(line))

    def retranslate(self) -> None:
        """Re-set the header and every tooltip in the interface language."""
        self.setHorizontalHeaderLabels([self.tr("Reports")])
        # Tooltips are read on hover and filtering looks at the titles only: no dataChanged per item.
        blocked = self.blockSignals(True)
        try:
            for path, item in self._reports.items():
                row = self._rows.get(path)
                if row is not None:
                    item.setToolTip(self._report_tip(row))
                self._retranslate_sections(item)
        finally:
            self.blockSignals(blocked)

    def _retranslate_sections(self, item: QStandardItem) -> None:
        for r in range(item.rowCount()):
            child = item.child(r)
            if child.data(KIND_ROLE) == "section":
                child.setToolTip(self._section_tip(child.text(), int(child.data(LINE_ROLE))))
                self._retranslate_sections(child)

    def event(self, event: QEvent) -> bool:
        # Models get no changeEvent, but the window passes LanguageChange on to its child objects.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return super().event(event)
