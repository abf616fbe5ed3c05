"""Two weeks side by side: what changed since last week, section by section, with numbers and plans.

The view lays out its parts (controls, parts), gives them their words, and rebuilds the
comparison (desktop.core.compare_session) whenever the weeks or the pairings change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop.core.compare import Comparison
from desktop.core.compare_html import (
    CompareLabels,
    CompareNotes,
    comparison_html,
    ordered_metrics,
    side_name,
)
from desktop.core.compare_session import CompareSelection
from desktop.core.model import Report
from desktop.core.render import DARK, LIGHT, Palette
from desktop.store.queries import ReportRow
from desktop.ui.models.compare import CompareMetricsModel, PlanModel
from desktop.ui.models.report_list import ReportListModel
from desktop.ui.view_state import DEFAULT_TEXT_PX, ViewState
from desktop.ui.widgets.compare.controls import CompareBar, PairingRow
from desktop.ui.widgets.compare.export import export_page, write_html, write_pdf
from desktop.ui.widgets.compare.parts import ChangeOverview, DiffPane, FigureTables

if TYPE_CHECKING:
    from desktop.ui.exports import ExportService
    from desktop.ui.presenters.compare import ComparePresenter


# The reviewer's notes of a report: section index (-1 for the whole report) -> their texts.
NotesProvider = Callable[[Report], dict[int, list[str]]]


class CompareView(QWidget):
    back_requested = Signal()
    section_activated = Signal(str, int)  # report path, section index: open it in the reader
    comparison_changed = Signal(bool)  # after every rebuild: whether there is a comparison (both sides read)

    def __init__(
        self,
        higher_is_better: Callable[[str], bool | None],
        load_report: Callable[[str], Report | None],
        parent: QWidget | None = None,
        *,
        presenter: ComparePresenter | None = None,
        state: ViewState | None = None,
        exporter: ExportService | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = CompareSelection(higher_is_better, load_report)
        self._presenter = presenter
        self._exporter = exporter
        self.reports_model = presenter.reports if presenter is not None else ReportListModel(self)
        self.comparison: Comparison | None = None
        self.kpi_model = CompareMetricsModel(self)
        self.plan_model = PlanModel(self)
        self.text_px = DEFAULT_TEXT_PX
        self.palette_colors: Palette = LIGHT
        self._changes_only = False
        self._message = "pick"  # shown while there is no comparison: "pick", "unreadable" or ""
        self.setObjectName("compare-view")
        self.notes_provider: NotesProvider | None = None  # set by the window: notes beside sections
        self.export_notes = False  # exports include the notes too
        self._build()
        self.retranslate()
        if presenter is not None:
            presenter.compare_requested.connect(self._on_presenter_compare_requested)
        if state is not None:
            self.text_px = state.text_px
            state.events.text_px.connect(self.set_text_px)

    def retranslate(self) -> None:
        """Every text of the view in the interface language; the reports' own text stays as written."""
        bar, pairing = self.bar, self.pairing
        bar.back_button.setText(self.tr("← Back to reports"))
        bar.left_picker.setToolTip(self.tr("Older week (left)"))
        bar.right_picker.setToolTip(self.tr("Newer week (right)"))
        bar.swap_button.setToolTip(self.tr("Swap sides"))
        bar.changes_only_box.setText(self.tr("Changes only"))
        for action, text in (
            (self.previous_action, self.tr("Previous change")),
            (self.next_action, self.tr("Next change")),
        ):
            action.setText(text)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({keys})")
        bar.export_button.setText(self.tr("Export…"))
        bar.export_html_action.setText(self.tr("Export as HTML…"))
        bar.export_pdf_action.setText(self.tr("Export as PDF…"))
        self.tables.kpi_title.setText(self.tr("Key figures"))
        self.tables.plan_title.setText(self.tr("Last week's plan"))
        self.tables.no_plan_text = self.tr("%1 has no plan for the next week, so there is nothing to check.")
        self.tables.show_no_plan()
        pairing.label.setText(self.tr("Pairing:"))
        pairing.pair_button.setText(self.tr("Pair"))
        pairing.unpair_button.setText(self.tr("Unpair"))
        pairing.pair_button.setToolTip(self.tr("Treat these two sections as the same topic"))
        pairing.unpair_button.setToolTip(self.tr("These two sections are different topics"))
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
        self.previous_action = self._shortcut("Shift+F7")
        self.next_action = self._shortcut("F7")
        self.bar = CompareBar(self.previous_action, self.next_action, self.reports_model, self)
        self.header_label = QLabel(self)
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.header_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.header_label.setFont(font)
        self.tables = FigureTables(self.kpi_model, self.plan_model, self)
        self.diff = DiffPane((self.previous_action, self.next_action), self)
        self.pairing = PairingRow(self)
        # The parts' widgets under the view's own names, for the window and the tests.
        self.back_button, self.swap_button = self.bar.back_button, self.bar.swap_button
        self.left_picker, self.right_picker = self.bar.left_picker, self.bar.right_picker
        self.changes_only_box, self.export_button = self.bar.changes_only_box, self.bar.export_button
        self.browser = self.diff.browser
        self.overview: ChangeOverview = self.diff.overview
        self.left_sections, self.right_sections = self.pairing.left_sections, self.pairing.right_sections
        self.pair_button, self.unpair_button = self.pairing.pair_button, self.pairing.unpair_button

        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.diff, 1)
        lower_layout.addWidget(self.pairing)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.tables)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([250, 630])
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.header_label)
        layout.addWidget(self.splitter, 1)

        self.bar.back_button.clicked.connect(self.back_requested)
        self.bar.swap_button.clicked.connect(self._on_swap_button_clicked)
        self.bar.weeks_chosen.connect(self._on_bar_weeks_chosen)
        self.bar.changes_only_box.toggled.connect(self._on_changes_only_box_toggled)
        self.bar.export_html_action.triggered.connect(self._on_export_html_action_triggered)
        self.bar.export_pdf_action.triggered.connect(self._on_export_pdf_action_triggered)
        self.tables.section_activated.connect(self.section_activated)
        self.diff.section_activated.connect(self.section_activated)
        self.pairing.pair_requested.connect(self._on_pairing_pair_requested)
        self.pairing.unpair_requested.connect(self._on_pairing_unpair_requested)
        self.diff.change_walked.connect(self.pairing.show_pair)

    def _shortcut(self, keys: str) -> QAction:
        action = QAction(self)  # its text and tooltip: retranslate
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

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
        """Offer these reports in both pickers, newest first, keeping the current choice.

        With a presenter the pickers share its list, filled once per index; this is for the view alone.
        """
        self.reports_model.set_reports(rows)

    def compare(self, left_path: str, right_path: str) -> None:
        """Compare two reports (read again through `load_report`); left is normally the older."""
        if self._session.choose(left_path, right_path):
            self.diff.current = -1
        self._rebuild(keep_scroll=False)

    def swap(self) -> None:
        if self._session.swap():
            self.diff.current = -1
            self._rebuild(keep_scroll=False)

    def pair(self, left_index: int, right_index: int) -> None:
        self._session.pair(left_index, right_index)
        self._rebuild(keep_scroll=True)

    def unpair(self, left_index: int, right_index: int) -> None:
        self._session.unpair(left_index, right_index)
        self._rebuild(keep_scroll=True)

    def next_change(self) -> None:
        self.diff.next_change()

    def previous_change(self) -> None:
        self.diff.previous_change()

    def current_change(self) -> int:
        return self.diff.current

    def change_count(self) -> int:
        return self.diff.change_count()

    def set_changes_only(self, on: bool) -> None:
        if self.changes_only_box.isChecked() != on:
            self.changes_only_box.setChecked(on)  # its slot renders
            return
        if self._changes_only != on:
            self._changes_only = on
            self._fill_kpis()
            self._render(keep_scroll=False)

    def export_html(self, path: Path) -> None:
        write_html(path, self._export_page())

    def export_pdf(self, path: Path) -> None:
        write_pdf(path, self._export_page(), self.comparison)

    def set_text_px(self, px: int) -> None:
        self.text_px = px
        self._render(keep_scroll=True)

    def export_name(self) -> str:
        """The default file name of an export: the two weeks."""
        c = self.comparison
        if c is None:
            return "comparison"
        return f"{c.left.label or c.left.date} vs {c.right.label or c.right.date}"

    def set_dark(self, dark: bool) -> None:
        self.palette_colors = DARK if dark else LIGHT
        self.kpi_model.set_palette(self.palette_colors)
        self.plan_model.set_palette(self.palette_colors)
        self._render(keep_scroll=True)

    # -- building --------------------------------------------------------------------------------

    def _rebuild(self, *, keep_scroll: bool) -> None:
        paths = self._session.paths
        left, right = self._session.reports()
        if paths is not None:
            self.bar.select(paths, (left, right))
        if left is None or right is None:
            self.comparison = None
            self.kpi_model.set_metrics([])
            self.plan_model.set_plan([])
            self.tables.set_comparison(None)
            self.pairing.set_comparison(None)
            self._show_message("unreadable" if paths else "")
            self.comparison_changed.emit(False)
            return
        self.comparison = self._session.compare(left, right)
        self._fill_kpis()
        self.plan_model.set_plan(self.comparison.plan)
        self.tables.set_comparison(self.comparison)
        self.pairing.set_comparison(self.comparison)
        self._render(keep_scroll=keep_scroll)
        self.comparison_changed.emit(True)

    def _fill_kpis(self) -> None:
        c = self.comparison
        if c is not None:
            metrics = ordered_metrics(c.metrics, self._changes_only)
            self.kpi_model.set_metrics(metrics, side_name(c.left), side_name(c.right))

    def _render(self, *, keep_scroll: bool) -> None:
        if self.comparison is None:
            return
        document = comparison_html(
            self.comparison,
            changes_only=self._changes_only,
            palette=self.palette_colors,
            base_px=self.text_px,
            standalone=False,
            summary=False,
            labels=self._labels(),
            notes=self._notes(),
        )
        self.diff.show_comparison(self.comparison, document, self.palette_colors, keep_scroll=keep_scroll)
        self._update_header()

    def _show_message(self, message: str) -> None:
        """Say why there is no comparison: "pick" (none asked for yet), "unreadable" or "" (nothing)."""
        self._message = message
        texts = {
            "pick": self.tr("Pick two reports to compare."),
            "unreadable": self.tr("This report could not be read."),
        }
        self.diff.show_message(texts.get(message, ""), self.palette_colors.muted, self.text_px)
        self._update_header()

    def _update_header(self) -> None:
        count = self.change_count()
        if self.comparison is None:
            self.header_label.setText(self.tr("No comparison"))
        else:
            sides = f"{side_name(self.comparison.left)}  →  {side_name(self.comparison.right)}"
            changes = self.tr("changed sections: %1").replace("%1", str(count))
            self.header_label.setText(f"{sides}    ({changes})")
        self.export_button.setEnabled(self.comparison is not None)

    def _export_page(self) -> str:
        if self.comparison is None:
            raise ValueError(self.tr("there is no comparison to export"))
        notes = self._notes() if self.export_notes else None
        return export_page(self.comparison, self._changes_only, self._labels(), DEFAULT_TEXT_PX, notes)

    def _notes(self) -> CompareNotes | None:
        c, provide = self.comparison, self.notes_provider
        if c is None or provide is None:
            return None
        found: dict[tuple[str, int], list[str]] = {}
        for side, report in (("L", c.left), ("R", c.right)):
            for index, texts in provide(report).items():
                found[(side, index)] = texts
        return found

    def refresh_notes(self) -> None:
        """The notes changed: show them again, keeping the scroll position."""
        self._render(keep_scroll=True)

    def _export(self, title: str, kind: str) -> None:
        if self.comparison is None or self._exporter is None:
            return
        writer = self.export_html if kind == "html" else self.export_pdf
        self._exporter.export_with(kind, self.export_name(), writer, title)

    # -- slots -----------------------------------------------------------------------------------

    @Slot()
    def _on_swap_button_clicked(self) -> None:
        self.swap()

    @Slot(str, str)
    def _on_bar_weeks_chosen(self, left: str, right: str) -> None:
        if self._presenter is not None:
            self._presenter.choose(left, right)  # it answers with compare_requested
        else:
            self.compare(left, right)

    @Slot(str, str)
    def _on_presenter_compare_requested(self, left: str, right: str) -> None:
        self.compare(left, right)

    @Slot(bool)
    def _on_changes_only_box_toggled(self, on: bool) -> None:
        self.set_changes_only(on)

    @Slot(int, int)
    def _on_pairing_pair_requested(self, left: int, right: int) -> None:
        self.pair(left, right)

    @Slot(int, int)
    def _on_pairing_unpair_requested(self, left: int, right: int) -> None:
        self.unpair(left, right)

    @Slot()
    def _on_export_html_action_triggered(self) -> None:
        self._export(self.tr("Export comparison as HTML"), "html")

    @Slot()
    def _on_export_pdf_action_triggered(self) -> None:
        self._export(self.tr("Export comparison as PDF"), "pdf")
