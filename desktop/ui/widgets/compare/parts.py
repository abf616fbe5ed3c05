"""The compare view's panes: the key figures and plan tables, and the side-by-side text with its strip of
changes. A double-click (or a link) in either opens the section behind it.

They hold no words of their own: the view sets their texts (and the .ts file keeps them under CompareView).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QRectF, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QColor, QMouseEvent, QPainter, QPaintEvent, QTextTable
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.compare import Comparison
from desktop.core.compare_html import SECTION_SCHEME, CompareDocument
from desktop.core.outline import section_at_line
from desktop.core.render import Palette
from desktop.ui.models.compare import CompareMetricsModel, PlanModel

_SCROLL_MARGIN = 6  # pixels of the previous row left visible above a change jumped to
# Qt lays a new document out a part at a time; the marks need all of it, so they wait until it is
# quiet this long (or until someone needs them: a walk to a change, a click on the strip).
_MARKS_DELAY_MS = 40


class FigureTables(QSplitter):
    """The key figures beside last week's plan, each under its title."""

    section_activated = Signal(str, int)  # report path, section index: where a double-clicked row came from

    def __init__(self, kpi_model: CompareMetricsModel, plan_model: PlanModel, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._comparison: Comparison | None = None
        self._kpi_model, self._plan_model = kpi_model, plan_model
        self.kpi_table = self._table(kpi_model)
        self.plan_table = self._table(plan_model)
        kpi_header = self.kpi_table.horizontalHeader()
        kpi_header.setStretchLastSection(False)
        kpi_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.kpi_title, self.plan_title = QLabel(self), QLabel(self)
        # Said instead of an empty table: the earlier report planned nothing that could be checked.
        self.no_plan_label = QLabel(self)
        self.no_plan_label.setWordWrap(True)
        self.no_plan_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.no_plan_label.setTextFormat(Qt.TextFormat.PlainText)
        self.no_plan_label.setContentsMargins(6, 6, 6, 6)
        self.no_plan_label.hide()
        self.no_plan_text = "%1"  # "%1 has no plan …", %1 the earlier report: the view translates it
        self.addWidget(self._titled(self.kpi_title, self.kpi_table))
        plan_box = self._titled(self.plan_title, self.plan_table)
        plan_layout = plan_box.layout()
        assert plan_layout is not None
        plan_layout.addWidget(self.no_plan_label)
        self.addWidget(plan_box)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self.kpi_table.doubleClicked.connect(self._on_kpi_table_double_clicked)
        self.plan_table.doubleClicked.connect(self._on_plan_table_double_clicked)

    def set_comparison(self, comparison: Comparison | None) -> None:
        self._comparison = comparison
        self.show_no_plan()

    def show_no_plan(self) -> None:
        """The plan table, or the note that the earlier report has no plan to check."""
        c = self._comparison
        empty = c is not None and not c.plan
        if c is not None and empty:
            self.no_plan_label.setText(self.no_plan_text.replace("%1", c.left.label or c.left.path))
        self.no_plan_label.setVisible(empty)
        self.plan_table.setVisible(not empty)

    def _table(self, model: CompareMetricsModel | PlanModel) -> QTableView:
        table = QTableView(self)
        table.setModel(model)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    def _titled(self, title: QLabel, widget: QWidget) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addWidget(widget, 1)
        return box

    @Slot(QModelIndex)
    def _on_kpi_table_double_clicked(self, index: QModelIndex) -> None:
        metric = self._kpi_model.metric(index.row())
        if self._comparison is None or metric is None:
            return
        for report in (self._comparison.right, self._comparison.left):
            hit = next((m for m in report.metrics if m.name == metric.metric), None)
            if hit is not None and hit.section is not None:
                self.section_activated.emit(report.path, hit.section)
                return

    @Slot(QModelIndex)
    def _on_plan_table_double_clicked(self, index: QModelIndex) -> None:
        check = self._plan_model.check(index.row())
        if self._comparison is None or check is None or check.evidence_line is None:
            return
        section = section_at_line(self._comparison.right.sections, check.evidence_line)
        if section is not None:
            self.section_activated.emit(self._comparison.right.path, section)


class _DiffBrowser(QTextBrowser):
    """The side-by-side table; loads nothing, reports double-clicks as (table row, column)."""

    cell_double_clicked = Signal(int, int)

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None  # never load images or style sheets, local or remote

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseDoubleClickEvent(event)
        cursor = self.cursorForPosition(event.position().toPoint())
        table = cursor.currentTable()
        if table is not None:
            cell = table.cellAt(cursor)
            if cell.isValid():
                # The rows may be tables of their own (see comparison_html): count the rows above.
                first = table.firstPosition()
                above = sum(
                    t.rows()
                    for t in self.document().rootFrame().childFrames()
                    if isinstance(t, QTextTable) and t.firstPosition() < first
                )
                self.cell_double_clicked.emit(above + cell.row(), cell.column())


class ChangeOverview(QWidget):
    """A thin strip beside the text: a mark per change at its place in the document, the visible part
    shaded. Clicking asks to scroll to that place."""

    fraction_clicked = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(14)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._marks: list[tuple[float, str]] = []
        self.before_read: Callable[[], None] | None = None  # brings the marks up to date first
        self._current = -1
        self._view = (0.0, 1.0)

    def set_marks(self, marks: Sequence[tuple[float, str]]) -> None:
        self._marks = list(marks)
        self.update()

    def marks(self) -> list[float]:
        if self.before_read is not None:
            self.before_read()
        return [fraction for fraction, _ in self._marks]

    def set_current(self, index: int) -> None:
        self._current = index
        self.update()

    def set_view(self, top: float, height: float) -> None:
        self._view = (top, height)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        h, w = self.height(), self.width()
        base = self.palette().mid().color()
        painter.fillRect(self.rect(), self.palette().base())
        shade = QColor(base)
        shade.setAlpha(70)
        painter.fillRect(QRectF(0, self._view[0] * h, w, max(self._view[1] * h, 4)), shade)
        for k, (fraction, color) in enumerate(self._marks):
            tall = 5 if k == self._current else 3
            y = min(max(fraction * h - tall / 2, 0), h - tall)
            inset = 0 if k == self._current else 3
            painter.fillRect(QRectF(inset, y, w - 2 * inset, tall), QColor(color))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.height() > 0:
            self.fraction_clicked.emit(min(max(event.position().y() / self.height(), 0.0), 1.0))


class DiffPane(QWidget):
    """The comparison's text with the overview strip beside it, and the walk from one change to the next
    (on the view's previous and next change actions, which it enables as far as there is somewhere to go)."""

    section_activated = Signal(str, int)  # report path, section index: a section link or a table cell
    change_walked = Signal(int, int)  # left, right section index (-1 for none) of the change walked to

    def __init__(self, walk: tuple[QAction, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._previous_action, self._next_action = walk
        self._comparison: Comparison | None = None
        self.document: CompareDocument | None = None  # the comparison's text shown; None for a message
        self.current = -1  # the change walked to last; -1 before the first
        self._tops: list[int] = []  # document y of each change anchor
        self._colors = ("", "")  # marks of added and removed sections; see show_comparison
        self.browser = _DiffBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        # Shown from the start, disabled when the text fits: a comparison is nearly always taller than
        # the pane, and a bar that appears after the first layout narrows the text and lays it all out
        # again (setHtml 14 -> 7 ms at 50,000 reports).
        self.browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.overview = ChangeOverview(self)
        self.overview.before_read = self._ensure_marks
        self._marks_stale = False
        self._marks_timer = QTimer(self)
        self._marks_timer.setSingleShot(True)
        self._marks_timer.setInterval(_MARKS_DELAY_MS)
        self._marks_timer.timeout.connect(self._on_marks_timer_timeout)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.overview)
        bar = self.browser.verticalScrollBar()
        bar.valueChanged.connect(self._on_scroll_bar_changed)
        bar.rangeChanged.connect(self._on_scroll_bar_changed)
        layout_object = self.browser.document().documentLayout()
        layout_object.documentSizeChanged.connect(self._on_document_layout_size_changed)
        self.overview.fraction_clicked.connect(self._on_overview_fraction_clicked)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.cell_double_clicked.connect(self._on_browser_cell_double_clicked)
        self._previous_action.triggered.connect(self._on_previous_action_triggered)
        self._next_action.triggered.connect(self._on_next_action_triggered)

    def show_comparison(
        self, comparison: Comparison, document: CompareDocument, palette: Palette, *, keep_scroll: bool
    ) -> None:
        """Show the comparison's text (rendered as `document`), where it was scrolled to or at the top."""
        self._comparison, self.document = comparison, document
        self._colors = (palette.better, palette.worse)
        bar = self.browser.verticalScrollBar()
        keep = bar.value() if keep_scroll else 0
        self._marks_stale = True  # before setHtml: its first layout step reports a size already
        self.browser.setHtml(document.html)
        self.current = min(self.current, document.change_count - 1)
        self._marks_timer.start()
        if keep:
            self._ensure_marks()  # the place scrolled back to must be laid out
        bar.setValue(keep)
        self._update_current()

    def show_message(self, text: str, color: str, px: int) -> None:
        """Show a note instead of a comparison: no changes, no marks."""
        self._comparison, self.document, self._tops, self.current = None, None, [], -1
        self._marks_stale = False
        self._marks_timer.stop()
        self.browser.setHtml(f'<p style="color:{color}; font-size:{px}px; margin:24px">{text}</p>')
        self.overview.set_marks([])
        self._update_current()

    def change_count(self) -> int:
        return self.document.change_count if self.document is not None else 0

    def laid_out(self) -> bool:
        """The whole text is laid out and its marks are placed (the timings wait for this)."""
        return not self._marks_stale

    def next_change(self) -> None:
        if self.document is not None and self.current + 1 < self.document.change_count:
            self.go_to_change(self.current + 1)

    def previous_change(self) -> None:
        if self.current > 0:
            self.go_to_change(self.current - 1)

    def go_to_change(self, index: int) -> None:
        self._ensure_marks()
        self.current = index
        if 0 <= index < len(self._tops):
            self.browser.verticalScrollBar().setValue(max(self._tops[index] - _SCROLL_MARGIN, 0))
        self._update_current()
        if self.document is not None and 0 <= index < len(self.document.changes):
            pair = self.document.changes[index]
            left, right = pair.left, pair.right
            self.change_walked.emit(-1 if left is None else left, -1 if right is None else right)

    def _update_current(self) -> None:
        """The strip's highlight, and the walk's actions enabled where there is a change to go to."""
        self.overview.set_current(self.current)
        self._previous_action.setEnabled(self.document is not None and self.current > 0)
        self._next_action.setEnabled(self.document is not None and self.current + 1 < self.change_count())

    def _update_marks(self) -> None:
        """Where each `change-N` anchor sits in the laid-out document, and the strip's marks."""
        doc, document = self.browser.document(), self.document
        if document is None:
            return
        self._marks_stale = False
        layout = doc.documentLayout()
        found: dict[int, int] = {}
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                for name in it.fragment().charFormat().anchorNames():
                    if name.startswith("change-") and name[7:].isdigit():
                        found.setdefault(int(name[7:]), int(layout.blockBoundingRect(block).top()))
                it += 1
            block = block.next()
        self._tops = [found.get(k, 0) for k in range(document.change_count)]
        height = max(doc.size().height(), 1.0)
        colors = {"added": self._colors[0], "removed": self._colors[1]}
        self.overview.set_marks(
            [
                (top / height, colors.get(pair.status, "#d4a72c"))
                for top, pair in zip(self._tops, document.changes, strict=True)
            ]
        )
        self._on_scroll_bar_changed()

    @Slot()
    def _on_previous_action_triggered(self) -> None:
        self.previous_change()

    @Slot()
    def _on_next_action_triggered(self) -> None:
        self.next_change()

    def _ensure_marks(self) -> None:
        if self._marks_stale:
            self._marks_timer.stop()
            self._update_marks()

    @Slot()
    def _on_marks_timer_timeout(self) -> None:
        self._ensure_marks()

    @Slot()
    def _on_document_layout_size_changed(self) -> None:
        if self._marks_stale:
            self._marks_timer.start()  # still being laid out: later
        else:
            self._update_marks()

    @Slot()
    def _on_scroll_bar_changed(self) -> None:
        bar = self.browser.verticalScrollBar()
        total = bar.maximum() + bar.pageStep()
        if total > 0:
            self.overview.set_view(bar.value() / total, bar.pageStep() / total)

    @Slot(float)
    def _on_overview_fraction_clicked(self, fraction: float) -> None:
        height = self.browser.document().size().height()
        near = [
            k
            for k, mark in enumerate(self.overview.marks())
            if abs(mark - fraction) * self.overview.height() <= 4
        ]
        if near:
            self.go_to_change(near[0])
            return
        bar = self.browser.verticalScrollBar()
        bar.setValue(int(fraction * height - bar.pageStep() / 2))

    @Slot(QUrl)
    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        prefix = f"{SECTION_SCHEME}:"
        if self._comparison is None or not text.startswith(prefix) or len(text) < len(prefix) + 2:
            return
        side, number = text[len(prefix)], text[len(prefix) + 1 :]
        if side in "LR" and number.isdigit():
            report = self._comparison.left if side == "L" else self._comparison.right
            if int(number) < len(report.sections):
                self.section_activated.emit(report.path, int(number))

    @Slot(int, int)
    def _on_browser_cell_double_clicked(self, row: int, column: int) -> None:
        document = self.document
        if self._comparison is None or document is None or not 1 <= row <= len(document.rows):
            return
        pair = document.rows[row - 1]
        index = pair.left if column == 0 else pair.right
        if index is not None:
            report = self._comparison.left if column == 0 else self._comparison.right
            self.section_activated.emit(report.path, index)
