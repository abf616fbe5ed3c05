"""The compare view's controls: the bar above (the two weeks, changes only, the walk through the changes,
export) and the pairing row below the text.

They hold no words of their own: the view sets their texts (and the .ts file keeps them under CompareView).
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop.core.compare import Comparison
from desktop.core.compare_html import side_name
from desktop.core.model import Report
from desktop.ui.models.report_list import ReportListModel


class CompareBar(QWidget):
    """Back to the reports, the older and the newer week with a swap between them, changes only, the
    previous and next change, and export."""

    weeks_chosen = Signal(str, str)  # left and right report paths, after the user picked either

    def __init__(
        self,
        previous_action: QAction,
        next_action: QAction,
        reports: ReportListModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.reports = reports
        self.back_button = QPushButton(self)
        self.left_picker = QComboBox(self)
        self.right_picker = QComboBox(self)
        for picker in (self.left_picker, self.right_picker):
            picker.setModel(reports)  # one list for both: filled once per index, never item by item
            # Sized by a typical label, not by measuring each of thousands of weeks.
            picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            picker.setMinimumContentsLength(24)
            # The popup's list lays every row out on each reset unless told the rows are alike:
            # 50,000 size hints (half a second at 50,000 reports) for a list nobody has opened.
            view = picker.view()
            if isinstance(view, QListView):
                view.setUniformItemSizes(True)
        self.swap_button = QToolButton(self)
        self.swap_button.setText("⇄")
        self.changes_only_box = QCheckBox(self)
        self.previous_button, self.next_button = QToolButton(self), QToolButton(self)
        self.previous_button.setDefaultAction(previous_action)
        self.next_button.setDefaultAction(next_action)
        self.export_button = QToolButton(self)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.export_html_action = menu.addAction("")
        self.export_pdf_action = menu.addAction("")
        self.export_button.setMenu(menu)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.back_button)
        layout.addSpacing(12)
        for widget in (self.left_picker, self.swap_button, self.right_picker):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addWidget(self.changes_only_box)
        layout.addStretch(1)
        for widget in (self.previous_button, self.next_button, self.export_button):
            layout.addWidget(widget)
        self._kept: tuple[object, object] = (None, None)
        reports.modelAboutToBeReset.connect(self._on_reports_model_about_to_be_reset)
        reports.modelReset.connect(self._on_reports_model_reset)
        self.left_picker.currentIndexChanged.connect(self._on_picker_current_index_changed)
        self.right_picker.currentIndexChanged.connect(self._on_picker_current_index_changed)

    @Slot()
    def _on_reports_model_about_to_be_reset(self) -> None:
        # The list is refilled after an index: the pickers keep their weeks and compare nothing.
        self._kept = (self.left_picker.currentData(), self.right_picker.currentData())
        for picker in (self.left_picker, self.right_picker):
            picker.blockSignals(True)

    @Slot()
    def _on_reports_model_reset(self) -> None:
        for picker, keep, default in (
            (self.left_picker, self._kept[0], 1),
            (self.right_picker, self._kept[1], 0),
        ):
            where = picker.findData(keep) if keep is not None else -1
            picker.setCurrentIndex(where if where >= 0 else min(default, picker.count() - 1))
            picker.blockSignals(False)

    def select(self, paths: tuple[str, str], reports: tuple[Report | None, Report | None]) -> None:
        """Show the compared weeks in the pickers (reports: the two read, or None where one was not)."""
        pickers = (self.left_picker, self.right_picker)
        for picker in pickers:  # both: offering a week to one picker adds it to the other's list too
            picker.blockSignals(True)
        for picker, path, report in zip(pickers, paths, reports, strict=True):
            # Not listed (yet): offered at the end of the list.
            picker.setCurrentIndex(
                self.reports.offer(path, side_name(report) if report is not None else path)
            )
        for picker in pickers:
            picker.blockSignals(False)

    @Slot()
    def _on_picker_current_index_changed(self) -> None:
        left, right = self.left_picker.currentData(), self.right_picker.currentData()
        if isinstance(left, str) and isinstance(right, str):
            self.weeks_chosen.emit(left, right)


class PairingRow(QWidget):
    """Under the text: a section of each side, to pair by hand or to keep apart."""

    pair_requested = Signal(int, int)  # left section index, right section index
    unpair_requested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._comparison: Comparison | None = None
        self.label = QLabel(self)
        self.left_sections = QComboBox(self)
        self.right_sections = QComboBox(self)
        for combo in (self.left_sections, self.right_sections):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        self.pair_button = QPushButton(self)
        self.unpair_button = QPushButton(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.left_sections, 1)
        layout.addWidget(QLabel("↔", self))
        layout.addWidget(self.right_sections, 1)
        layout.addWidget(self.pair_button)
        layout.addWidget(self.unpair_button)
        self.left_sections.currentIndexChanged.connect(self._on_left_sections_current_index_changed)
        self.right_sections.currentIndexChanged.connect(self._on_right_sections_current_index_changed)
        self.pair_button.clicked.connect(self._on_pair_button_clicked)
        self.unpair_button.clicked.connect(self._on_unpair_button_clicked)

    def set_comparison(self, comparison: Comparison | None) -> None:
        """Offer the sections of both sides, keeping the chosen ones where they are still there."""
        self._comparison = c = comparison
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

    def show_pair(self, left: int, right: int) -> None:
        """Choose these sections (-1: keep that side's choice), as the walk from change to change does."""
        for combo, index in ((self.left_sections, left), (self.right_sections, right)):
            where = combo.findData(index) if index >= 0 else -1
            if where >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(where)
                combo.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        left, right = self.left_sections.currentData(), self.right_sections.currentData()
        paired = self._comparison is not None and any(
            p.left == left and p.right == right for p in self._comparison.pairs
        )
        self.pair_button.setEnabled(self._comparison is not None and left is not None and not paired)
        self.unpair_button.setEnabled(paired)

    @Slot()
    def _on_left_sections_current_index_changed(self) -> None:
        """Offer the chosen left section's current partner on the right, ready to unpair."""
        left = self.left_sections.currentData()
        partner = (
            next((p.right for p in self._comparison.pairs if p.left == left), None)
            if self._comparison
            else None
        )
        if partner is not None:
            self.right_sections.blockSignals(True)
            self.right_sections.setCurrentIndex(self.right_sections.findData(partner))
            self.right_sections.blockSignals(False)
        self._update_buttons()

    @Slot()
    def _on_right_sections_current_index_changed(self) -> None:
        self._update_buttons()

    @Slot()
    def _on_pair_button_clicked(self) -> None:
        left, right = self.left_sections.currentData(), self.right_sections.currentData()
        if isinstance(left, int) and isinstance(right, int):
            self.pair_requested.emit(left, right)

    @Slot()
    def _on_unpair_button_clicked(self) -> None:
        left, right = self.left_sections.currentData(), self.right_sections.currentData()
        if isinstance(left, int) and isinstance(right, int):
            self.unpair_requested.emit(left, right)
