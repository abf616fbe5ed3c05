"""Two weeks side by side: what changed since last week, section by section, with numbers and plans."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QMarginsF, QModelIndex, QRectF, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QMouseEvent,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.compare import Comparison, compare_reports
from desktop.core.compare_html import (
    SECTION_SCHEME,
    CompareDocument,
    CompareLabels,
    comparison_html,
    ordered_metrics,
    side_name,
)
from desktop.core.model import Report
from desktop.core.outline import section_at_line
from desktop.core.render import DARK, LIGHT, Palette
from desktop.store.queries import ReportRow
from desktop.ui.models.compare import CompareMetricsModel, PlanModel

DEFAULT_TEXT_PX = 15
_SCROLL_MARGIN = 6  # pixels of the previous row left visible above a change jumped to


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
                self.cell_double_clicked.emit(cell.row(), cell.column())


class ChangeOverview(QWidget):
    """A thin strip beside the text: a mark per change at its place in the document, the visible part
    shaded. Clicking asks to scroll to that place."""

    fraction_clicked = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(14)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._marks: list[tuple[float, str]] = []
        self._current = -1
        self._view = (0.0, 1.0)

    def set_marks(self, marks: Sequence[tuple[float, str]]) -> None:
        self._marks = list(marks)
        self.update()

    def marks(self) -> list[float]:
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


class CompareView(QWidget):
    back_requested = Signal()
    section_activated = Signal(str, int)  # report path, section index: open it in the reader
    comparison_changed = Signal()  # after every rebuild of `comparison` (None when a side cannot load)

    def __init__(
        self,
        higher_is_better: Callable[[str], bool | None],
        load_report: Callable[[str], Report | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._higher_is_better = higher_is_better
        self._load_report = load_report
        self.comparison: Comparison | None = None
        self.kpi_model = CompareMetricsModel(self)
        self.plan_model = PlanModel(self)
        self.text_px = DEFAULT_TEXT_PX
        self.palette_colors: Palette = LIGHT
        self._paths: tuple[str, str] | None = None
        self._reports: dict[str, Report] = {}
        self._forced: list[tuple[int, int]] = []
        self._separated: list[tuple[int, int]] = []
        self._changes_only = False
        self._document: CompareDocument | None = None
        self._tops: list[int] = []  # document y of each change anchor
        self._current = -1
        self._message = "pick"  # shown while there is no comparison: "pick", "unreadable" or ""
        self._build()
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the view in the interface language; the reports' own text stays as written."""
        self.back_button.setText(self.tr("← Back to reports"))
        self.left_picker.setToolTip(self.tr("Older week (left)"))
        self.right_picker.setToolTip(self.tr("Newer week (right)"))
        self.swap_button.setToolTip(self.tr("Swap sides"))
        self.changes_only_box.setText(self.tr("Changes only"))
        for action, text in (
            (self.previous_action, self.tr("Previous change")),
            (self.next_action, self.tr("Next change")),
        ):
            action.setText(text)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({keys})")
        self.export_button.setText(self.tr("Export…"))
        self.export_html_action.setText(self.tr("Export as HTML…"))
        self.export_pdf_action.setText(self.tr("Export as PDF…"))
        self.kpi_title.setText(self.tr("Key figures"))
        self.plan_title.setText(self.tr("Last week's plan"))
        self.pairing_label.setText(self.tr("Pairing:"))
        self.pair_button.setText(self.tr("Pair"))
        self.unpair_button.setText(self.tr("Unpair"))
        self.pair_button.setToolTip(self.tr("Treat these two sections as the same topic"))
        self.unpair_button.setToolTip(self.tr("These two sections are different topics"))
        # The models follow by themselves (LanguageChange reaches them as children of this view).
        if self.comparison is not None:
            self._render(keep_scroll=True)  # the HTML's labels, and the header line
        else:
            self._show_message(self._message)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- construction ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.back_button = QPushButton(self)
        self.left_picker = QComboBox(self)
        self.right_picker = QComboBox(self)
        for picker in (self.left_picker, self.right_picker):
            picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            picker.setMinimumContentsLength(18)
        self.swap_button = QToolButton(self)
        self.swap_button.setText("⇄")
        self.changes_only_box = QCheckBox(self)
        self.previous_action = self._shortcut("Shift+F7")
        self.next_action = self._shortcut("F7")
        self.previous_action.triggered.connect(self._on_previous_action_triggered)
        self.next_action.triggered.connect(self._on_next_action_triggered)
        self.previous_button, self.next_button = QToolButton(self), QToolButton(self)
        self.previous_button.setDefaultAction(self.previous_action)
        self.next_button.setDefaultAction(self.next_action)
        self.export_button = QToolButton(self)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.export_html_action = menu.addAction("")
        self.export_pdf_action = menu.addAction("")
        self.export_button.setMenu(menu)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        for widget in (self.left_picker, self.swap_button, self.right_picker):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.changes_only_box)
        top.addStretch(1)
        for widget in (self.previous_button, self.next_button, self.export_button):
            top.addWidget(widget)

        self.header_label = QLabel(self)
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.header_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.header_label.setFont(font)

        self.kpi_table = self._table(self.kpi_model)
        self.plan_table = self._table(self.plan_model)
        kpi_header = self.kpi_table.horizontalHeader()
        kpi_header.setStretchLastSection(False)
        kpi_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tables = QSplitter(Qt.Orientation.Horizontal, self)
        self.kpi_title, self.plan_title = QLabel(self), QLabel(self)
        tables.addWidget(self._titled(self.kpi_title, self.kpi_table))
        tables.addWidget(self._titled(self.plan_title, self.plan_table))
        tables.setStretchFactor(0, 2)
        tables.setStretchFactor(1, 3)

        self.browser = _DiffBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.overview = ChangeOverview(self)
        self.left_sections = QComboBox(self)
        self.right_sections = QComboBox(self)
        for combo in (self.left_sections, self.right_sections):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        self.pair_button = QPushButton(self)
        self.unpair_button = QPushButton(self)
        self.pairing_label = QLabel(self)
        pairing = QHBoxLayout()
        pairing.addWidget(self.pairing_label)
        pairing.addWidget(self.left_sections, 1)
        pairing.addWidget(QLabel("↔", self))
        pairing.addWidget(self.right_sections, 1)
        pairing.addWidget(self.pair_button)
        pairing.addWidget(self.unpair_button)
        text_row = QHBoxLayout()
        text_row.setSpacing(2)
        text_row.addWidget(self.browser, 1)
        text_row.addWidget(self.overview)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(text_row, 1)
        lower_layout.addLayout(pairing)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(tables)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([250, 630])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.header_label)
        layout.addWidget(self.splitter, 1)

        self.back_button.clicked.connect(self.back_requested)
        self.swap_button.clicked.connect(self._on_swap_button_clicked)
        self.left_picker.currentIndexChanged.connect(self._on_picker_current_index_changed)
        self.right_picker.currentIndexChanged.connect(self._on_picker_current_index_changed)
        self.changes_only_box.toggled.connect(self._on_changes_only_box_toggled)
        self.export_html_action.triggered.connect(self._on_export_html_action_triggered)
        self.export_pdf_action.triggered.connect(self._on_export_pdf_action_triggered)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.cell_double_clicked.connect(self._on_browser_cell_double_clicked)
        bar = self.browser.verticalScrollBar()
        bar.valueChanged.connect(self._on_scroll_bar_changed)
        bar.rangeChanged.connect(self._on_scroll_bar_changed)
        layout_object = self.browser.document().documentLayout()
        layout_object.documentSizeChanged.connect(self._on_document_layout_size_changed)
        self.overview.fraction_clicked.connect(self._on_overview_fraction_clicked)
        self.left_sections.currentIndexChanged.connect(self._on_left_sections_current_index_changed)
        self.right_sections.currentIndexChanged.connect(self._on_right_sections_current_index_changed)
        self.pair_button.clicked.connect(self._on_pair_button_clicked)
        self.unpair_button.clicked.connect(self._on_unpair_button_clicked)
        self.kpi_table.doubleClicked.connect(self._on_kpi_table_double_clicked)
        self.plan_table.doubleClicked.connect(self._on_plan_table_double_clicked)

    def _shortcut(self, keys: str) -> QAction:
        action = QAction(self)  # its text and tooltip: retranslate
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

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

    def _labels(self) -> CompareLabels:
        return CompareLabels(
            added=self.tr("new"),
            removed=self.tr("removed"),
            renamed=self.tr("renamed"),
            manual=self.tr("paired by hand"),
            no_sections=self.tr("Neither report has sections."),
            metric=self.tr("Metric"),
            delta=self.tr("Δ"),
            kpis=self.tr("Key figures"),
            plan=self.tr("Last week's plan"),
            sections=self.tr("Sections"),
            gone=self.tr("gone"),
            done=self.tr("done"),
            in_progress=self.tr("in progress"),
            not_found=self.tr("not found"),
            line=self.tr("line"),
        )

    # -- public API ------------------------------------------------------------------------------

    def set_reports(self, rows: Sequence[ReportRow]) -> None:
        """Fill both pickers, newest first, keeping the current choice. Does not compare by itself."""
        chosen = (self.left_picker.currentData(), self.right_picker.currentData())
        ordered = sorted(rows, key=lambda r: (r.date, r.path), reverse=True)
        for picker, keep, default in ((self.left_picker, chosen[0], 1), (self.right_picker, chosen[1], 0)):
            picker.blockSignals(True)
            picker.clear()
            for row in ordered:
                picker.addItem(f"{row.label or row.title} · {row.date}", row.path)
            where = picker.findData(keep) if keep is not None else -1
            picker.setCurrentIndex(where if where >= 0 else min(default, picker.count() - 1))
            picker.blockSignals(False)

    def compare(self, left_path: str, right_path: str) -> None:
        """Compare two reports (read again through `load_report`); left is normally the older."""
        if self._paths != (left_path, right_path):
            self._forced, self._separated, self._current = [], [], -1
        self._paths = (left_path, right_path)
        self._reports = {}
        self._rebuild(keep_scroll=False)

    def swap(self) -> None:
        if self._paths is None:
            return
        self._paths = (self._paths[1], self._paths[0])
        self._forced = [(b, a) for a, b in self._forced]
        self._separated = [(b, a) for a, b in self._separated]
        self._current = -1
        self._rebuild(keep_scroll=False)

    def pair(self, left_index: int, right_index: int) -> None:
        self._separated = [p for p in self._separated if p != (left_index, right_index)]
        kept = [p for p in self._forced if p[0] != left_index and p[1] != right_index]
        self._forced = [*kept, (left_index, right_index)]
        self._rebuild(keep_scroll=True)

    def unpair(self, left_index: int, right_index: int) -> None:
        self._forced = [p for p in self._forced if p != (left_index, right_index)]
        if (left_index, right_index) not in self._separated:
            self._separated.append((left_index, right_index))
        self._rebuild(keep_scroll=True)

    def next_change(self) -> None:
        if self._document is not None and self._current + 1 < self._document.change_count:
            self._go_to_change(self._current + 1)

    def previous_change(self) -> None:
        if self._current > 0:
            self._go_to_change(self._current - 1)

    def current_change(self) -> int:
        return self._current

    def change_count(self) -> int:
        return self._document.change_count if self._document is not None else 0

    def set_changes_only(self, on: bool) -> None:
        if self.changes_only_box.isChecked() != on:
            self.changes_only_box.setChecked(on)  # its slot renders
            return
        if self._changes_only != on:
            self._changes_only = on
            self._fill_kpis()
            self._render(keep_scroll=False)

    def _fill_kpis(self) -> None:
        c = self.comparison
        if c is not None:
            metrics = ordered_metrics(c.metrics, self._changes_only)
            self.kpi_model.set_metrics(metrics, side_name(c.left), side_name(c.right))

    def export_html(self, path: Path) -> None:
        path.write_text(self._export_document().html, encoding="utf-8")

    def export_pdf(self, path: Path) -> None:
        html = self._export_document().html
        path.write_bytes(b"")  # QPdfWriter fails silently: an unwritable path raises OSError here instead
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter)
        writer.setResolution(96)  # the HTML is sized in screen pixels: 15px text prints at ~11pt
        writer.setCreator("Weekly Review")
        if self.comparison is not None:
            writer.setTitle(f"{side_name(self.comparison.left)} → {side_name(self.comparison.right)}")
        document = QTextDocument()
        document.setHtml(html)
        document.print_(writer)

    def set_text_px(self, px: int) -> None:
        self.text_px = max(9, min(40, px))
        self._render(keep_scroll=True)

    def set_dark(self, dark: bool) -> None:
        self.palette_colors = DARK if dark else LIGHT
        self.kpi_model.set_palette(self.palette_colors)
        self.plan_model.set_palette(self.palette_colors)
        self._render(keep_scroll=True)

    # -- building --------------------------------------------------------------------------------

    def _report(self, path: str) -> Report | None:
        if path not in self._reports:
            report = self._load_report(path)
            if report is None:
                return None
            self._reports[path] = report
        return self._reports[path]

    def _rebuild(self, *, keep_scroll: bool) -> None:
        left = right = None
        if self._paths is not None:
            left, right = self._report(self._paths[0]), self._report(self._paths[1])
            self._select_pickers(left, right)
        if left is None or right is None:
            self.comparison = None
            self.kpi_model.set_metrics([])
            self.plan_model.set_plan([])
            self._fill_sections()
            self._show_message("unreadable" if self._paths else "")
            self.comparison_changed.emit()
            return
        self.comparison = compare_reports(
            left, right, self._higher_is_better, forced=self._forced, separated=self._separated
        )
        self._fill_kpis()
        self.plan_model.set_plan(self.comparison.plan)
        self._fill_sections()
        self._render(keep_scroll=keep_scroll)
        self.comparison_changed.emit()

    def _render(self, *, keep_scroll: bool) -> None:
        if self.comparison is None:
            return
        self._document = comparison_html(
            self.comparison,
            changes_only=self._changes_only,
            palette=self.palette_colors,
            base_px=self.text_px,
            standalone=False,
            summary=False,
            labels=self._labels(),
        )
        bar = self.browser.verticalScrollBar()
        keep = bar.value() if keep_scroll else 0
        self.browser.setHtml(self._document.html)
        self._current = min(self._current, self._document.change_count - 1)
        self._update_marks()
        bar.setValue(keep)
        self._update_header()

    def _show_message(self, message: str) -> None:
        """Say why there is no comparison: "pick" (none asked for yet), "unreadable" or "" (nothing)."""
        self._message = message
        texts = {
            "pick": self.tr("Pick two reports to compare."),
            "unreadable": self.tr("This report could not be read."),
        }
        text = texts.get(message, "")
        self._document, self._tops, self._current = None, [], -1
        color = self.palette_colors.muted
        self.browser.setHtml(f'<p style="color:{color}; font-size:{self.text_px}px; margin:24px">{text}</p>')
        self.overview.set_marks([])
        self._update_header()

    def _update_header(self) -> None:
        count = self.change_count()
        if self.comparison is None:
            self.header_label.setText(self.tr("No comparison"))
        else:
            sides = f"{side_name(self.comparison.left)}  →  {side_name(self.comparison.right)}"
            changes = self.tr("changed sections: %1").replace("%1", str(count))
            self.header_label.setText(f"{sides}    ({changes})")
        has = self.comparison is not None
        self.previous_action.setEnabled(has and self._current > 0)
        self.next_action.setEnabled(has and self._current + 1 < count)
        self.export_button.setEnabled(has)
        self.overview.set_current(self._current)

    def _select_pickers(self, left: Report | None, right: Report | None) -> None:
        assert self._paths is not None
        for picker, path, report in zip(
            (self.left_picker, self.right_picker), self._paths, (left, right), strict=True
        ):
            picker.blockSignals(True)
            where = picker.findData(path)
            if where < 0:  # not offered by set_reports (yet): offer it
                picker.addItem(side_name(report) if report is not None else path, path)
                where = picker.count() - 1
            picker.setCurrentIndex(where)
            picker.blockSignals(False)

    def _fill_sections(self) -> None:
        c = self.comparison
        for combo, report in ((self.left_sections, c and c.left), (self.right_sections, c and c.right)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for section in report.sections if report else ():
                combo.addItem(f"{section.index + 1}. {section.title}", section.index)
            where = combo.findData(keep) if keep is not None else -1
            combo.setCurrentIndex(max(where, 0) if combo.count() else -1)
            combo.blockSignals(False)
        self._on_left_sections_current_index_changed()

    def _export_document(self) -> CompareDocument:
        if self.comparison is None:
            raise ValueError(self.tr("there is no comparison to export"))
        return comparison_html(
            self.comparison,
            changes_only=self._changes_only,
            palette=LIGHT,  # paper is white
            base_px=DEFAULT_TEXT_PX,
            standalone=True,
            labels=self._labels(),
        )

    # -- changes and the overview ----------------------------------------------------------------

    def _update_marks(self) -> None:
        """Where each `change-N` anchor sits in the laid-out document, and the strip's marks."""
        doc, document = self.browser.document(), self._document
        if document is None:
            return
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
        colors = {"added": self.palette_colors.better, "removed": self.palette_colors.worse}
        self.overview.set_marks(
            [
                (top / height, colors.get(pair.status, "#d4a72c"))
                for top, pair in zip(self._tops, document.changes, strict=True)
            ]
        )
        self._on_scroll_bar_changed()

    def _go_to_change(self, index: int) -> None:
        self._current = index
        if 0 <= index < len(self._tops):
            self.browser.verticalScrollBar().setValue(max(self._tops[index] - _SCROLL_MARGIN, 0))
        self._update_header()

    @Slot()
    def _on_previous_action_triggered(self) -> None:
        self.previous_change()

    @Slot()
    def _on_next_action_triggered(self) -> None:
        self.next_change()

    @Slot()
    def _on_document_layout_size_changed(self) -> None:
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
            self._go_to_change(near[0])
            return
        bar = self.browser.verticalScrollBar()
        bar.setValue(int(fraction * height - bar.pageStep() / 2))

    # -- user actions ----------------------------------------------------------------------------

    @Slot()
    def _on_swap_button_clicked(self) -> None:
        self.swap()

    @Slot()
    def _on_picker_current_index_changed(self) -> None:
        left, right = self.left_picker.currentData(), self.right_picker.currentData()
        if isinstance(left, str) and isinstance(right, str):
            self.compare(left, right)

    @Slot(bool)
    def _on_changes_only_box_toggled(self, on: bool) -> None:
        self.set_changes_only(on)

    @Slot(QUrl)
    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        prefix = f"{SECTION_SCHEME}:"
        if self.comparison is None or not text.startswith(prefix) or len(text) < len(prefix) + 2:
            return
        side, number = text[len(prefix)], text[len(prefix) + 1 :]
        if side in "LR" and number.isdigit():
            report = self.comparison.left if side == "L" else self.comparison.right
            if int(number) < len(report.sections):
                self.section_activated.emit(report.path, int(number))

    @Slot(int, int)
    def _on_browser_cell_double_clicked(self, row: int, column: int) -> None:
        if self.comparison is None or self._document is None or not 1 <= row <= len(self._document.rows):
            return
        pair = self._document.rows[row - 1]
        index = pair.left if column == 0 else pair.right
        if index is not None:
            report = self.comparison.left if column == 0 else self.comparison.right
            self.section_activated.emit(report.path, index)

    @Slot(QModelIndex)
    def _on_kpi_table_double_clicked(self, index: QModelIndex) -> None:
        metric = self.kpi_model.metric(index.row())
        if self.comparison is None or metric is None:
            return
        for report in (self.comparison.right, self.comparison.left):
            hit = next((m for m in report.metrics if m.name == metric.metric), None)
            if hit is not None and hit.section is not None:
                self.section_activated.emit(report.path, hit.section)
                return

    @Slot(QModelIndex)
    def _on_plan_table_double_clicked(self, index: QModelIndex) -> None:
        check = self.plan_model.check(index.row())
        if self.comparison is None or check is None or check.evidence_line is None:
            return
        section = section_at_line(self.comparison.right.sections, check.evidence_line)
        if section is not None:
            self.section_activated.emit(self.comparison.right.path, section)

    @Slot()
    def _on_left_sections_current_index_changed(self) -> None:
        """Offer the chosen left section's current partner on the right, ready to unpair."""
        left = self.left_sections.currentData()
        partner = (
            next((p.right for p in self.comparison.pairs if p.left == left), None)
            if self.comparison
            else None
        )
        if partner is not None:
            self.right_sections.blockSignals(True)
            self.right_sections.setCurrentIndex(self.right_sections.findData(partner))
            self.right_sections.blockSignals(False)
        self._update_pair_buttons()

    @Slot()
    def _on_right_sections_current_index_changed(self) -> None:
        self._update_pair_buttons()

    def _update_pair_buttons(self) -> None:
        left, right = self.left_sections.currentData(), self.right_sections.currentData()
        paired = self.comparison is not None and any(
            p.left == left and p.right == right for p in self.comparison.pairs
        )
        self.pair_button.setEnabled(self.comparison is not None and left is not None and not paired)
        self.unpair_button.setEnabled(paired)

    @Slot()
    def _on_pair_button_clicked(self) -> None:
        left, right = self.left_sections.currentData(), self.right_sections.currentData()
        if isinstance(left, int) and isinstance(right, int):
            self.pair(left, right)

    @Slot()
    def _on_unpair_button_clicked(self) -> None:
        left, right = self.left_sections.currentData(), self.right_sections.currentData()
        if isinstance(left, int) and isinstance(right, int):
            self.unpair(left, right)

    @Slot()
    def _on_export_html_action_triggered(self) -> None:
        self._export(self.tr("Export comparison as HTML"), self.tr("HTML files (*.html)"), ".html")

    @Slot()
    def _on_export_pdf_action_triggered(self) -> None:
        self._export(self.tr("Export comparison as PDF"), self.tr("PDF files (*.pdf)"), ".pdf")

    def _export(self, title: str, filters: str, suffix: str) -> None:
        if self.comparison is None:
            return
        c = self.comparison
        name = f"{c.left.label or c.left.date} vs {c.right.label or c.right.date}{suffix}".replace("/", "-")
        chosen, _ = QFileDialog.getSaveFileName(self, title, name, filters)
        if not chosen:
            return
        path = Path(chosen) if chosen.endswith(suffix) else Path(chosen + suffix)
        try:
            (self.export_html if suffix == ".html" else self.export_pdf)(path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                title,
                self.tr("Could not write %1: %2").replace("%1", str(path)).replace("%2", str(exc)),
            )
