"""Left pane: the report tree with a filter box that narrows it as you type."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.models.proxy import RolesProxy
from desktop.ui.models.report_tree import (
    BADGE_ROLE,
    CHANGED_MARK,
    KIND_ROLE,
    PATH_ROLE,
    SECTION_ROLE,
    ReportTreeModel,
)
from desktop.ui.topics.menu import TimelineAction
from desktop.ui.view_state import ViewState

FILTER_DELAY_MS = 150  # let a fast typist finish a word before filtering tens of thousands of rows
# Opening a group lays out every row in it, a few Python calls each: a year of 10,000 reports (a folder
# dated by file times) takes a second. Larger groups are opened by the user, never by the window.
EXPAND_MAX = 1500
# Rows the first look opens at most: the newest year of each team, team by team, until this many. Every
# open row is laid out by the view, each a few calls into Python: 39 teams' newest years were 3,000
# rows and 36,000 calls, half a second of a window that was also indexing.
OPEN_ROWS_MAX = 400
# A first look opens the first team's newest year at once and the other teams this much later, once
# the view has laid out and painted it: at 50,000 reports the four teams' 347 open rows were laid out
# in one go before the first paint (20 ms, then a paint of 20 while the index ran).
MORE_TEAMS_DELAY_MS = 50


# Entries others add to the context menu: (menu, report path, section index or -1).
MenuExtender = Callable[[QMenu, str, int], None]


class ReadMarksDelegate(QStyledItemDelegate):
    """Draws, right-aligned after the label, a year's or team's read count and a changed report's mark."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        badge = index.data(BADGE_ROLE)
        if not badge:
            super().paint(painter, option, index)
            return
        width = option.fontMetrics.horizontalAdvance(badge) + 10
        label = QStyleOptionViewItem(option)
        label.rect = option.rect.adjusted(0, 0, -width, 0)
        super().paint(painter, label, index)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole
        if selected:
            color = option.palette.color(role.HighlightedText)
        elif badge == CHANGED_MARK:
            color = option.palette.color(role.Link)
        else:
            color = option.palette.color(QPalette.ColorGroup.Disabled, role.Text)
        painter.setPen(color)
        painter.drawText(
            option.rect.adjusted(0, 0, -6, 0),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            badge,
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        badge = index.data(BADGE_ROLE)
        if badge:
            size.setWidth(size.width() + option.fontMetrics.horizontalAdvance(badge) + 10)
        return size


class ReportTreePanel(QWidget):
    report_selected = Signal(str, int)  # path, section index (-1 for the whole report)
    reports_picked = Signal(object)  # two or more reports selected together (for comparing)
    timeline_requested = Signal(str, int, str)  # report path, section index, section title as written

    def __init__(
        self, model: ReportTreeModel, parent: QWidget | None = None, *, state: ViewState | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.state = state
        self._matching: Callable[[str], list[str]] | None = None
        self.proxy = RolesProxy(self)
        self.proxy.setSourceModel(model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.tree = QTreeView(self)
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)  # keeps scrolling cheap with thousands of rows
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setExpandsOnDoubleClick(True)
        self.tree.setItemDelegate(ReadMarksDelegate(self.tree))
        self.menu_extenders: list[MenuExtender] = []  # the reviewer's entries, and others'
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_tree_custom_context_menu_requested)
        self.section_menu: QMenu | None = None  # the context menu last shown (tests trigger its entries)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree)

        # Teams the window opened itself (node ids), which it closes again when they outgrow the
        # budget, and teams the user closed, which it leaves closed.
        self._opened: set[int] = set()
        self._declined: set[int] = set()
        self._fitting = False
        self._fit_timer = QTimer(self)  # once per turn of the event loop, after a batch's insertions
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._on_fit_timer_timeout)
        self._more_timer = QTimer(self)  # the first look's other teams (see MORE_TEAMS_DELAY_MS)
        self._more_timer.setSingleShot(True)
        self._more_timer.setInterval(MORE_TEAMS_DELAY_MS)
        self._more_timer.timeout.connect(self._on_more_timer_timeout)
        self.tree.collapsed.connect(self._on_tree_collapsed)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        self._quiet = False
        model.rowsInserted.connect(self._on_model_rows_inserted)
        model.modelReset.connect(self._on_model_reset)
        if state is not None:
            # The report shown, wherever it was chosen, is marked here; the tree itself writes the state.
            for event in (state.events.report, state.events.section):
                event.connect(self._on_state_report_changed)
        self.retranslate()
        self._expand_newest_year()

    def set_outline_search(self, matching: Callable[[str], list[str]]) -> None:
        """How to find the reports with a section title containing a text (their outlines are then read)."""
        self._matching = matching

    def _on_state_report_changed(self) -> None:
        state = self.state
        if state is not None and state.report is not None:
            self.select(state.report, -1 if state.section is None else state.section, quiet=True)

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("Filter reports and sections…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- selection -----------------------------------------------------------------------------

    def select(self, path: str, section: int = -1, *, quiet: bool = False) -> bool:
        """Select a report or section; quiet when the viewer already shows it (keeping the tree in step)."""
        source = self.model.index_for(path, section)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            return False
        self._quiet = quiet
        try:
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            if self._small_parents(index):
                self.tree.scrollTo(index)  # which opens the collapsed groups above it
        finally:
            self._quiet = False
        return True

    def _small_parents(self, index: QModelIndex) -> bool:
        parent = index.parent()
        while parent.isValid():
            if not self.tree.isExpanded(parent) and self.proxy.rowCount(parent) > EXPAND_MAX:
                return False
            parent = parent.parent()
        return True

    def _expand(self, index: QModelIndex) -> None:
        if self.proxy.rowCount(index) <= EXPAND_MAX:
            self.tree.expand(index)

    def selected(self) -> list[tuple[str, int]]:
        out = []
        for index in self.tree.selectionModel().selectedRows():
            if index.data(KIND_ROLE) in ("report", "section"):
                out.append((str(index.data(PATH_ROLE)), int(index.data(SECTION_ROLE))))
        return out

    def current_report(self) -> str | None:
        index = self.tree.currentIndex()
        path = index.data(PATH_ROLE) if index.isValid() else None
        return str(path) if path else None

    @Slot()
    def _on_tree_selection_changed(self) -> None:
        if self._quiet:
            return
        picked = self.selected()
        reports = sorted({p for p, s in picked if s < 0})
        if len(reports) >= 2:
            self.reports_picked.emit(reports)
            return
        index = self.tree.currentIndex()
        if index.isValid() and index.data(KIND_ROLE) in ("report", "section"):
            path, section = str(index.data(PATH_ROLE)), int(index.data(SECTION_ROLE))
            self.report_selected.emit(path, section)
            if self.state is not None:
                self.state.show_report(path, None if section < 0 else section)

    # -- context menu --------------------------------------------------------------------------

    @Slot(QPoint)
    def _on_tree_custom_context_menu_requested(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        kind = index.data(KIND_ROLE) if index.isValid() else None
        if kind not in ("report", "section"):
            return
        path, section = str(index.data(PATH_ROLE)), int(index.data(SECTION_ROLE))
        if self.section_menu is not None:
            self.section_menu.deleteLater()
        menu = self.section_menu = QMenu(self)
        if kind == "section":
            action = TimelineAction(str(index.data()), None, menu)
            action.setData((path, section))
            action.timeline_requested.connect(self._on_timeline_action_requested)
            menu.addAction(action)
        for extend in self.menu_extenders:  # the reviewer's entries: read marks, notes
            extend(menu, path, section)
        if menu.actions():
            menu.popup(self.tree.viewport().mapToGlobal(pos))

    @Slot(str, object)
    def _on_timeline_action_requested(self, title: str, _team: object) -> None:
        action = self.sender()
        if isinstance(action, TimelineAction):
            path, section = action.data()
            self.timeline_requested.emit(path, section, title)

    # -- filtering -----------------------------------------------------------------------------

    @Slot(str)
    def _on_filter_edit_text_changed(self, _text: str) -> None:
        self._filter_timer.start()

    @Slot()
    def _on_filter_timer_timeout(self) -> None:
        text = self.filter_edit.text().strip()
        if text and self._matching is not None:
            # Outlines are read on demand: those that can match are read before the filter looks.
            self.model.load_outlines(self._matching(text))
        self.proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()
        else:
            self._expand_newest_year()

    @Slot(QModelIndex, int, int)
    def _on_model_rows_inserted(self, parent: QModelIndex, first: int, _last: int) -> None:
        # The newest year starts open, so a first look shows the latest weeks.
        if not parent.isValid() and first == 0:
            self._first_look()
        else:
            self._fit_timer.start()  # the open teams may have grown past the budget

    @Slot()
    def _on_fit_timer_timeout(self) -> None:
        self._expand_newest_year(refit=True)

    @Slot()
    def _on_more_timer_timeout(self) -> None:
        # Teams may open above the rows shown: the row that matters (the current report when in view,
        # else the top row) stays where it is on screen, the view scrolled by what opened above it.
        tree = self.tree
        current = tree.currentIndex()
        if not (current.isValid() and tree.viewport().rect().intersects(tree.visualRect(current))):
            current = tree.indexAt(QPoint(0, 0))
        anchor = QPersistentModelIndex(current)
        before = tree.visualRect(current).top() if current.isValid() else 0
        self._expand_newest_year()
        if not anchor.isValid():
            return
        index = self.proxy.index(anchor.row(), 0, anchor.parent())
        moved = tree.visualRect(index).top() - before
        if moved:
            bar = tree.verticalScrollBar()
            per_item = tree.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem
            bar.setValue(bar.value() + (round(moved / max(1, tree.rowHeight(index))) if per_item else moved))

    @Slot(QModelIndex)
    def _on_tree_collapsed(self, index: QModelIndex) -> None:
        if not self._fitting:
            node = self.proxy.mapToSource(index).internalId()
            self._opened.discard(node)
            self._declined.add(node)

    @Slot()
    def _on_model_reset(self) -> None:
        self._opened.clear()
        self._declined.clear()
        self._first_look()
        if self.state is not None:
            self._on_state_report_changed()

    def _first_look(self) -> None:
        self._more_timer.stop()  # one still due from an earlier look could reopen what the user closed
        if self._expand_newest_year(teams=1):
            self._more_timer.start()

    def _expand_newest_year(self, *, refit: bool = False, teams: int | None = None) -> bool:
        # The newest year of each team starts open (years are newest first under their parent), as
        # many teams as OPEN_ROWS_MAX allows; the others stay closed, with their counts. The teams
        # opened so grow while a cold index lands, and the view lays out every open row at each
        # insertion (39 teams' newest years: 2,900 rows, 50-130 ms a batch at 50,000 reports), so
        # those past the budget close again. The teams the user opened or closed stay as they are.
        # (refit: after a batch, only the teams' budget; a year the user closed stays closed. teams: open
        # at most this many now; True when more would have opened.)
        top = self.proxy.index(0, 0)
        if not (top.isValid() and top.data(KIND_ROLE) == "team"):
            if top.isValid() and not refit:
                self._expand(top)
            return False
        self._fitting = True
        try:
            shown, full, opening = self.proxy.rowCount(), False, 0
            for row in range(self.proxy.rowCount()):
                team = self.proxy.index(row, 0)
                year = self.proxy.index(0, 0, team)
                node = self.proxy.mapToSource(team).internalId()
                ours = node in self._opened
                if not year.isValid() or node in self._declined:
                    continue
                if self.tree.isExpanded(team) and not ours:
                    shown += self.proxy.rowCount(team)
                    shown += self.proxy.rowCount(year) if self.tree.isExpanded(year) else 0
                    continue
                full = full or shown + self.proxy.rowCount(team) + self.proxy.rowCount(year) > OPEN_ROWS_MAX
                if full:
                    if ours:
                        self._opened.discard(node)
                        self.tree.collapse(team)
                    continue
                if not ours and teams is not None and opening >= teams:
                    return True
                shown += self.proxy.rowCount(team) + self.proxy.rowCount(year)
                if not ours:
                    opening += 1
                    self._opened.add(node)
                    self.tree.expand(team)
                    self._expand(year)
        finally:
            self._fitting = False
        return False
