"""The status bar's permanent parts (counts, indexing progress, cancel) and the Problems panel."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import QModelIndex, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QTableView,
    QToolButton,
)

from desktop.store import queries
from desktop.ui.models.problems import ProblemsModel

_SECTIONS, _METRICS = attrgetter("sections"), attrgetter("metrics")


class StatusArea(QObject):
    cancel_requested = Signal()
    problem_activated = Signal(str)  # the path of a problem double-clicked

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.problems_model = ProblemsModel(window)  # a child of the window: it hears of LanguageChange
        self.problems_view = QTableView(window)
        self.problems_view.setModel(self.problems_model)
        header = self.problems_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.problems_view.verticalHeader().hide()
        self.problems_view.doubleClicked.connect(self._on_problems_view_double_clicked)
        self.problems_dock: QDockWidget | None = None  # the window docks the view and says where
        self.counts_label = QLabel(window)
        self.progress = QProgressBar(window)
        self.progress.setMaximumWidth(220)
        self.cancel_button = QToolButton(window)
        self.cancel_button.clicked.connect(self.cancel_requested)
        bar = window.statusBar()
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._counts: tuple[int, int, int] | None = None
        self.set_busy(False)

    def retranslate(self) -> None:
        self.progress.setFormat(self.tr("Indexing %v / %m"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop indexing; what is indexed so far is kept"))
        self._show_counts()
        self.refresh_problems_title()

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def set_counts(self, rows: list[queries.ReportRow] | None) -> None:
        """Counted from the report list the window already holds: no query."""
        if rows is None:
            self._counts = None
        else:
            # (attrgetter: a loop in C over 50,000 rows, on the window's thread)
            self._counts = (len(rows), sum(map(_SECTIONS, rows)), sum(map(_METRICS, rows)))
        self._show_counts()

    def _show_counts(self) -> None:
        if self._counts is None:
            self.counts_label.setText("")
            return
        reports, sections, metrics = self._counts
        self.counts_label.setText(
            self.tr("%1 reports · %2 sections · %3 metrics")
            .replace("%1", str(reports))
            .replace("%2", str(sections))
            .replace("%3", str(metrics))
        )

    def set_problems(self, rows: list[queries.Problem]) -> None:
        self.problems_model.set_problems(rows)
        self.refresh_problems_title()
        if self.problems_dock is not None and any(r.kind == "skipped" or not r.path for r in rows):
            self.problems_dock.show()

    def refresh_problems_title(self) -> None:
        if self.problems_dock is None:
            return
        count = self.problems_model.rowCount()
        title = self.tr("Problems (%1)").replace("%1", str(count)) if count else self.tr("Problems")
        self.problems_dock.setWindowTitle(title)

    @Slot(QModelIndex)
    def _on_problems_view_double_clicked(self, index: QModelIndex) -> None:
        path = self.problems_model.index(index.row(), 0).data()
        if path:
            self.problem_activated.emit(str(path))
