"""The progress of work items: a presenter that loads the series in the background, and its table."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.progress import Series
from desktop.ui.topics.loader import TopicsLoader
from desktop.ui.topics.progress_model import ITEM, SORT_ROLE, TREND, ProgressModel, SparklineDelegate
from desktop.ui.view_state import ViewState


class ProgressPresenter(QObject):
    progress_loaded = Signal(int)  # number of items
    load_failed = Signal(str)
    item_charted = Signal(object)  # the Series to put into the chart panel
    report_activated = Signal(str, int)  # report path, section index (-1: the whole report)

    def __init__(
        self,
        state: ViewState | None = None,
        loader: TopicsLoader | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = ProgressModel(self)
        self._state = state
        self._own_loader = loader is None
        self._loader = loader or TopicsLoader(self)
        self._loader.progress_loaded.connect(self._on_loader_progress_loaded)
        self._loader.load_failed.connect(self._on_loader_load_failed)

    @property
    def busy(self) -> bool:
        return self._loader.busy

    def load(self, cache_path: Path, team: str | None = None) -> None:
        self._loader.request_progress(cache_path, team)

    def chart(self, row: int) -> None:
        """Emit the row's series for the chart panel."""
        series = self.model.series(row)
        if series is not None:
            self.item_charted.emit(series)

    def activate(self, row: int) -> None:
        """Open the report of the item's latest figure at its section."""
        series = self.model.series(row)
        if series is None:
            return
        latest = series.points[-1]
        section = -1 if latest.section is None else latest.section
        self.report_activated.emit(latest.report, section)
        if self._state is not None:
            self._state.show_report(latest.report, latest.section, line=latest.line or None)

    def shutdown(self) -> None:
        if self._own_loader:
            self._loader.shutdown()

    @Slot(object)
    def _on_loader_progress_loaded(self, series: list[Series]) -> None:
        self.model.set_series(series)
        self.progress_loaded.emit(len(series))

    @Slot(str)
    def _on_loader_load_failed(self, message: str) -> None:
        self.load_failed.emit(message)


class ProgressView(QWidget):
    def __init__(self, presenter: ProgressPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.status = QLabel(self)
        self.chart_button = QPushButton(self)
        self.table = QTableView(self)
        # Sortable by any column; until the user picks one, the presenter's order (latest first).
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(presenter.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.sparklines = SparklineDelegate(self.table)
        self.table.setItemDelegateForColumn(TREND, self.sparklines)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(TREND, 120)
        self.chart_action = QAction(self)
        self.menu = QMenu(self)
        self.menu.addAction(self.chart_action)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.chart_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.chart_button.clicked.connect(self._on_chart_button_clicked)
        self.chart_action.triggered.connect(self._on_chart_action_triggered)
        self.table.activated.connect(self._on_table_activated)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        presenter.progress_loaded.connect(self._on_presenter_progress_loaded)
        presenter.load_failed.connect(self._on_presenter_load_failed)
        self._count: int | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.chart_button.setText(self.tr("Chart this item"))
        self.chart_action.setText(self.tr("Chart this item"))
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def clear(self) -> None:
        """Another folder: its items come when the view is next in front."""
        self._count = None
        self._show_status()

    def current_row(self) -> int:
        """The presenter's row of the item in focus, -1 without one."""
        index = self.table.currentIndex()
        return self.proxy.mapToSource(index).row() if index.isValid() else -1

    def select_item(self, row: int) -> None:
        """Put the presenter's row in focus, wherever sorting has put it."""
        index = self.proxy.mapFromSource(self.presenter.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())

    def _show_status(self) -> None:
        if self._count is None:
            self.status.setText(self.tr("loading…"))
        else:
            self.status.setText(self.tr("%n work items with progress figures", "", self._count))

    @Slot(int)
    def _on_presenter_progress_loaded(self, count: int) -> None:
        self._count = count
        self._show_status()
        if count:
            self.table.selectRow(0)

    @Slot(str)
    def _on_presenter_load_failed(self, message: str) -> None:
        self.status.setText(self.tr("The progress figures could not be read: %1").replace("%1", message))

    @Slot()
    def _on_chart_button_clicked(self) -> None:
        self.presenter.chart(self.current_row())

    @Slot()
    def _on_chart_action_triggered(self) -> None:
        self.presenter.chart(self.current_row())

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        self.presenter.activate(self.proxy.mapToSource(index).row())

    @Slot(QPoint)
    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
            self.menu.popup(self.table.viewport().mapToGlobal(pos))
