"""The reviewer's window: report tree, section viewer and metrics chart over the folder's cache."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QFileSystemWatcher, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QWidget,
)

from desktop import __version__
from desktop.core.aliases import AliasTable
from desktop.core.kpis import kpi_marks
from desktop.core.paths import cache_path_for, seeds_dir
from desktop.store import queries
from desktop.store.cache import open_reader
from desktop.store.indexer import IndexSummary
from desktop.store.search import Hit, search
from desktop.ui.models.problems import ProblemsModel
from desktop.ui.models.report_tree import ReportTreeModel
from desktop.ui.models.search_results import SearchResultsModel
from desktop.ui.settings import Settings
from desktop.ui.widgets.chart_panel import ChartPanel
from desktop.ui.widgets.report_tree import ReportTreePanel
from desktop.ui.widgets.search_panel import SearchPanel
from desktop.ui.widgets.viewer import DEFAULT_TEXT_PX, SectionViewer
from desktop.ui.worker import IndexController

LOAD_CHUNK = 150  # reports added to the tree per event-loop turn, so the window never freezes
CHART_REFRESH_MS = 1500  # while indexing, the chart catches up at most this often
WATCH_DELAY_MS = 400  # editors write a file in several steps; wait for the last one
MAX_WATCHED_FILES = 4000


class MainWindow(QMainWindow):
    folder_loaded = Signal()  # the tree shows what the cache held when the folder was opened
    index_done = Signal(object)  # IndexSummary, or None when indexing failed
    first_report_listed = Signal()

    def __init__(self, aliases: AliasTable, settings: Settings) -> None:
        super().__init__()
        self.aliases = aliases
        self.settings = settings
        self.folder: Path | None = None
        self.reader: sqlite_utils.Database | None = None
        self._listed_any = False
        self._load_queue: list[str] = []
        self._reindex_after = False
        self._splitter_restored = False
        self.setWindowTitle("Weekly Review")

        self.tree_model = ReportTreeModel(self)
        self.search_model = SearchResultsModel(self)
        self.problems_model = ProblemsModel(self)
        self.tree_panel = ReportTreePanel(self.tree_model, self)
        self.viewer = SectionViewer(self)
        self.chart = ChartPanel(aliases, self)
        self.search_panel = SearchPanel(self.search_model, self)
        self.problems_view = QTableView(self)
        self.problems_view.setModel(self.problems_model)
        self.problems_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems_view.horizontalHeader().setStretchLastSection(True)
        self.problems_view.verticalHeader().hide()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        for widget in (self.tree_panel, self.viewer, self.chart):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([300, 700, 560])
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.search_dock = self._dock(self.tr("Search results"), "search-dock", self.search_panel)
        self.problems_dock = self._dock(self.tr("Problems"), "problems-dock", self.problems_view)
        self.tabifyDockWidget(self.search_dock, self.problems_dock)
        self.search_dock.hide()
        self.problems_dock.hide()

        self.indexer = IndexController(aliases, self)
        self.watcher = QFileSystemWatcher(self)
        self._watch_timer = self._single_shot(WATCH_DELAY_MS, self._on_watch_timer_timeout)
        self._chart_timer = self._single_shot(CHART_REFRESH_MS, self._on_chart_timer_timeout)
        self._load_timer = self._single_shot(0, self._on_load_timer_timeout)
        self._build_status_bar()
        self._build_actions()
        self._connect()
        self.text_px = settings.int_value("view/text_px", DEFAULT_TEXT_PX)
        self.viewer.set_text_px(self.text_px)
        self._restore_layout()

    # -- construction ----------------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _single_shot(self, ms: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def _build_status_bar(self) -> None:
        self.counts_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setFormat(self.tr("Indexing %v / %m"))
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop indexing; what is indexed so far is kept"))
        bar = self.statusBar()
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._set_busy(False)

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        self.file_menu = menu.addMenu(self.tr("&File"))
        self.open_action = self._action(
            self.tr("&Open Folder…"), self._on_open_action_triggered, QKeySequence.StandardKey.Open
        )
        self.recent_menu = self.file_menu.addMenu(self.tr("Open &Recent"))
        self.reindex_action = self._action(self.tr("&Reindex"), self._on_reindex_action_triggered, "F5")
        self.export_png_action = self._action(self.tr("Export Chart as &PNG…"), self._on_export_png_triggered)
        self.export_csv_action = self._action(
            self.tr("Export Chart Data as &CSV…"), self._on_export_csv_triggered
        )
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.file_menu.insertAction(self.recent_menu.menuAction(), self.open_action)
        for action in (
            self.reindex_action,
            None,
            self.export_png_action,
            self.export_csv_action,
            None,
            self.quit_action,
        ):
            self.file_menu.addSeparator() if action is None else self.file_menu.addAction(action)

        self.view_menu = menu.addMenu(self.tr("&View"))
        self.find_action = self._action(
            self.tr("&Search…"), self._on_find_action_triggered, QKeySequence.StandardKey.Find
        )
        self.view_menu.addAction(self.find_action)
        self.view_menu.addSeparator()
        for title, widget in (
            (self.tr("Report &Tree"), self.tree_panel),
            (self.tr("&Metrics Chart"), self.chart),
        ):
            toggle = QAction(title, self, checkable=True, checked=True)
            toggle.toggled.connect(widget.setVisible)
            self.view_menu.addAction(toggle)
        self.view_menu.addAction(self.search_dock.toggleViewAction())
        self.view_menu.addAction(self.problems_dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.bigger_action = self._action(
            self.tr("&Larger Text"), self._on_bigger_triggered, QKeySequence.StandardKey.ZoomIn
        )
        self.bigger_action.setShortcuts(
            [QKeySequence("Ctrl+="), QKeySequence(QKeySequence.StandardKey.ZoomIn)]
        )
        self.smaller_action = self._action(
            self.tr("&Smaller Text"), self._on_smaller_triggered, QKeySequence.StandardKey.ZoomOut
        )
        self.reset_text_action = self._action(
            self.tr("&Normal Text Size"), self._on_reset_text_triggered, "Ctrl+0"
        )
        for action in (self.bigger_action, self.smaller_action, self.reset_text_action):
            self.view_menu.addAction(action)

        self.help_menu = menu.addMenu(self.tr("&Help"))
        self.about_action = self._action(self.tr("&About Weekly Review"), self._on_about_triggered)
        self.help_menu.addAction(self.about_action)

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search all reports (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(360)
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.reindex_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.search_edit)
        self._rebuild_recent_menu()

    def _connect(self) -> None:
        self.tree_panel.report_selected.connect(self._on_tree_report_selected)
        self.viewer.report_link_activated.connect(self._on_viewer_report_link_activated)
        self.viewer.section_scrolled.connect(self._on_viewer_section_scrolled)
        self.chart.point_clicked.connect(self._on_chart_point_clicked)
        self.chart.metrics_chosen.connect(self._on_chart_metrics_chosen)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.search_panel.hit_activated.connect(self._on_search_hit_activated)
        self.problems_view.doubleClicked.connect(self._on_problems_double_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.indexer.cache_opened.connect(self._on_indexer_cache_opened)
        self.indexer.batch_indexed.connect(self._on_indexer_batch_indexed)
        self.indexer.progress_changed.connect(self._on_indexer_progress_changed)
        self.indexer.index_finished.connect(self._on_indexer_index_finished)
        self.indexer.index_failed.connect(self._on_indexer_index_failed)
        self.indexer.index_cancelled.connect(self._on_indexer_index_cancelled)
        self.watcher.directoryChanged.connect(self._on_watcher_changed)
        self.watcher.fileChanged.connect(self._on_watcher_changed)

    def _restore_layout(self) -> None:
        geometry = self.settings.byte_array("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1560, 940)
        state = self.settings.byte_array("window/state")
        if state is not None:
            self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._splitter_restored:
            # Only once the window has its real size: a splitter restored earlier is stretched later.
            self._splitter_restored = True
            splitter = self.settings.byte_array("window/splitter")
            if splitter is not None:
                self.splitter.restoreState(splitter)

    def save_layout(self) -> None:
        self.settings.set_byte_array("window/geometry", self.saveGeometry())
        self.settings.set_byte_array("window/state", self.saveState())
        self.settings.set_byte_array("window/splitter", self.splitter.saveState())
        self.settings.set_value("view/text_px", self.text_px)
        self.settings.sync()

    # -- opening a folder ------------------------------------------------------------------------

    def open_folder(self, folder: Path) -> None:
        """Show what the cache already knows at once, then bring it up to date in the background."""
        folder = folder.expanduser()
        if not folder.is_dir():
            QMessageBox.warning(
                self, self.tr("Open Folder"), self.tr("Not a folder: %1").replace("%1", str(folder))
            )
            return
        self.folder = folder
        self.settings.remember_folder(folder)
        self._rebuild_recent_menu()
        self.setWindowTitle(f"{folder.name} — Weekly Review")
        self._listed_any = False
        self._load_queue.clear()
        self.tree_model.clear_reports()
        self.search_model.set_hits("", [])
        self.viewer.show_message(self.tr("Reading %1 …").replace("%1", str(folder)))
        self._set_reader(open_reader(cache_path_for(folder)))
        if self.reader is not None:
            self._queue_reports([r.path for r in queries.list_reports(self.reader)])
            self._refresh_chart()
            self._refresh_status()
        self.folder_loaded.emit()
        self._set_busy(True)
        self.indexer.start(folder)

    def _set_reader(self, reader: sqlite_utils.Database | None) -> None:
        if self.reader is not None:
            self.reader.close()
        self.reader = reader

    def _queue_reports(self, paths: list[str]) -> None:
        self._load_queue.extend(paths)
        self._load_timer.start()

    @Slot()
    def _on_load_timer_timeout(self) -> None:
        """Add queued reports to the tree a chunk at a time (parents before their sub-pages)."""
        if self.reader is None or not self._load_queue:
            return
        chunk, self._load_queue = self._load_queue[:LOAD_CHUNK], self._load_queue[LOAD_CHUNK:]
        rows = queries.report_rows(self.reader, chunk)
        self.tree_model.upsert_reports(rows, queries.outlines(self.reader, [r.path for r in rows]))
        if rows and not self._listed_any:
            self._listed_any = True
            self.first_report_listed.emit()
        if self._load_queue:
            self._load_timer.start()

    # -- indexer events --------------------------------------------------------------------------

    @Slot(str)
    def _on_indexer_cache_opened(self, path: str) -> None:
        # Reconnect even to the same name: the worker may have discarded a damaged file and rebuilt it.
        self._set_reader(open_reader(Path(path)))

    @Slot(list)
    def _on_indexer_batch_indexed(self, paths: list[str]) -> None:
        self._queue_reports(paths)
        if not self._chart_timer.isActive():
            self._chart_timer.start()

    @Slot(int, int)
    def _on_indexer_progress_changed(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    @Slot(object)
    def _on_indexer_index_finished(self, summary: IndexSummary) -> None:
        self._set_busy(False)
        if self.reader is None and self.folder is not None:
            self._set_reader(open_reader(cache_path_for(self.folder)))
        if self.reader is not None:
            present = [r.path for r in queries.list_reports(self.reader)]
            listed = set(self.tree_model.report_paths())
            self.tree_model.remove_reports(listed.difference(present))
            waiting = listed.union(self._load_queue)
            self._queue_reports([p for p in present if p not in waiting])
        self._refresh_chart()
        self._refresh_status()
        self._refresh_problems(summary.messages)
        self._watch_folder()
        path = self.viewer.path
        if self.reader is None or path is None or queries.get_report_row(self.reader, path) is None:
            self._show_newest()
        else:
            self._show(path, self.viewer.section, keep_highlight=True)
        self.index_done.emit(summary)
        if self._reindex_after:
            self._reindex_after = False
            self._start_index()

    @Slot(str)
    def _on_indexer_index_failed(self, message: str) -> None:
        self._set_busy(False)
        self.statusBar().showMessage(self.tr("Indexing failed: %1").replace("%1", message))
        self._refresh_problems([message])
        self.index_done.emit(None)

    @Slot()
    def _on_indexer_index_cancelled(self) -> None:
        self._set_busy(False)
        self.statusBar().showMessage(self.tr("Indexing cancelled; press F5 to continue"), 8000)

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.indexer.cancel()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)

    def _start_index(self) -> None:
        if self.folder is None:
            return
        if self.indexer.busy:
            self._reindex_after = True
            return
        self._set_busy(True)
        self.indexer.start(self.folder)

    # -- watching the folder ---------------------------------------------------------------------

    def _watch_folder(self) -> None:
        if self.folder is None or self.reader is None:
            return
        old = self.watcher.directories() + self.watcher.files()
        if old:
            self.watcher.removePaths(old)
        dirs = {str(self.folder)}
        files = []
        for path in queries.list_reports(self.reader)[:MAX_WATCHED_FILES]:
            full = self.folder / path.path
            files.append(str(full))
            parent = full.parent
            while parent != self.folder and self.folder in parent.parents:
                dirs.add(str(parent))
                parent = parent.parent
        self.watcher.addPaths(sorted(dirs) + files)

    @Slot(str)
    def _on_watcher_changed(self, _path: str) -> None:
        self._watch_timer.start()

    @Slot()
    def _on_watch_timer_timeout(self) -> None:
        self._start_index()

    # -- showing reports -------------------------------------------------------------------------

    def _show_newest(self) -> None:
        if self.reader is None:
            return
        rows = [r for r in queries.list_reports(self.reader) if r.parent is None]
        if rows:
            self.tree_panel.select(rows[-1].path, quiet=True)
            self._show(rows[-1].path, -1)
        else:
            self.viewer.show_message(self.tr("No weekly reports were found in this folder."))

    def _show(
        self, path: str, section: int, highlight: str | None = None, *, keep_highlight: bool = False
    ) -> None:
        if self.reader is None:
            return
        text = queries.report_text(self.reader, path)
        if text is None:
            return
        sections = queries.sections_of(self.reader, path)
        if keep_highlight:
            highlight = self.viewer._highlight
        lines = text.split("\n")
        first, last = 1, len(lines)
        if 0 <= section < len(sections):
            first, last = sections[section].first_line, sections[section].end_line
        metrics = [m for m in queries.metrics_of(self.reader, path) if first <= m.line <= last]
        marks = kpi_marks(metrics, queries.previous_values(self.reader, path), self._higher_is_better)
        self.viewer.show_markdown(
            path,
            section,
            "\n".join(lines[first - 1 : last]),
            first_line=first,
            sections=sections,
            kpis=marks,
            highlight=highlight,
        )

    def _higher_is_better(self, name: str) -> bool | None:
        info = self.aliases.info(name)
        return info.higher_is_better if info else None

    def select_report(self, path: str, section: int = -1, highlight: str | None = None) -> None:
        self.tree_panel.select(path, section, quiet=True)
        self._show(path, section, highlight)

    @Slot(str, int)
    def _on_tree_report_selected(self, path: str, section: int) -> None:
        self._show(path, section)

    @Slot(str)
    def _on_viewer_report_link_activated(self, path: str) -> None:
        if self.reader is not None and queries.get_report_row(self.reader, path) is not None:
            self.select_report(path)
        else:
            self.statusBar().showMessage(self.tr("Not a report in this folder: %1").replace("%1", path), 6000)

    @Slot(str, int)
    def _on_viewer_section_scrolled(self, path: str, section: int) -> None:
        self.tree_panel.select(path, section, quiet=True)

    @Slot(str, int)
    def _on_chart_point_clicked(self, path: str, section: int) -> None:
        self.select_report(path, section)

    # -- chart, status, problems -----------------------------------------------------------------

    @Slot()
    def _on_chart_timer_timeout(self) -> None:
        self._refresh_chart()

    def _refresh_chart(self) -> None:
        if self.reader is None:
            return
        chosen = self.settings.chosen_metrics()
        self.chart.set_rows(queries.metric_rows(self.reader))
        if chosen is not None:
            self.chart.set_checked(chosen)

    @Slot(list)
    def _on_chart_metrics_chosen(self, names: list[str]) -> None:
        self.settings.set_chosen_metrics(names)

    def _refresh_status(self) -> None:
        if self.reader is None:
            return
        c = queries.counts(self.reader)
        self.counts_label.setText(
            self.tr("%1 reports · %2 sections · %3 metrics")
            .replace("%1", str(c["reports"]))
            .replace("%2", str(c["sections"]))
            .replace("%3", str(c["metrics"]))
        )

    def _refresh_problems(self, messages: list[str]) -> None:
        rows = queries.problems(self.reader) if self.reader is not None else []
        rows = [queries.Problem("", "warning", m) for m in messages] + rows
        self.problems_model.set_problems(rows)
        if rows:
            self.problems_dock.setWindowTitle(self.tr("Problems (%1)").replace("%1", str(len(rows))))
            if any(r.kind == "skipped" or not r.path for r in rows):
                self.problems_dock.show()
        else:
            self.problems_dock.setWindowTitle(self.tr("Problems"))

    @Slot(QModelIndex)
    def _on_problems_double_clicked(self, index: QModelIndex) -> None:
        path = self.problems_model.index(index.row(), 0).data()
        if path and self.reader is not None and queries.get_report_row(self.reader, str(path)):
            self.select_report(str(path))

    # -- search ----------------------------------------------------------------------------------

    @Slot()
    def _on_find_action_triggered(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot()
    def _on_search_edit_return_pressed(self) -> None:
        self.run_search(self.search_edit.text())

    def run_search(self, query: str) -> list[Hit]:
        query = query.strip()
        hits = search(self.reader, query) if self.reader is not None and query else []
        self.search_model.set_hits(query, hits)
        self.search_dock.show()
        self.search_dock.raise_()
        if hits:
            self.search_panel.view.setCurrentIndex(self.search_model.index(0, 0))
        return hits

    @Slot(object)
    def _on_search_hit_activated(self, hit: Hit) -> None:
        self.select_report(hit.report, hit.section_index, highlight=self.search_model.query)

    # -- menus -----------------------------------------------------------------------------------

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self.settings.recent_folders():
            action = self.recent_menu.addAction(str(folder))
            action.setData(str(folder))
            action.triggered.connect(self._on_recent_action_triggered)
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_folder(Path(str(action.data())))

    @Slot()
    def _on_open_action_triggered(self) -> None:
        start = str(self.folder or Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Open a folder of weekly reports"), start)
        if chosen:
            self.open_folder(Path(chosen))

    @Slot()
    def _on_reindex_action_triggered(self) -> None:
        self._start_index()

    @Slot()
    def _on_export_png_triggered(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export Chart"), "weekly-review-chart.png", self.tr("PNG images (*.png)")
        )
        if name:
            self.chart.export_png(Path(name))

    @Slot()
    def _on_export_csv_triggered(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export Chart Data"), "weekly-review-metrics.csv", self.tr("CSV files (*.csv)")
        )
        if name:
            self.chart.export_csv(Path(name))

    def _set_text_px(self, px: int) -> None:
        self.text_px = max(9, min(40, px))
        self.viewer.set_text_px(self.text_px)

    @Slot()
    def _on_bigger_triggered(self) -> None:
        self._set_text_px(self.text_px + 1)

    @Slot()
    def _on_smaller_triggered(self) -> None:
        self._set_text_px(self.text_px - 1)

    @Slot()
    def _on_reset_text_triggered(self) -> None:
        self._set_text_px(DEFAULT_TEXT_PX)

    @Slot()
    def _on_about_triggered(self) -> None:
        cache = cache_path_for(self.folder) if self.folder else None
        QMessageBox.about(
            self,
            self.tr("About Weekly Review"),
            self.tr(
                "<h3>Weekly Review %1</h3><p>Browse, chart, compare and search weekly reports.</p>"
                "<p>Cache: %2</p><p>Samples: %3</p>"
            )
            .replace("%1", __version__)
            .replace("%2", str(cache) if cache else "—")
            .replace("%3", str(seeds_dir())),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.indexer.shutdown()
        self._set_reader(None)
        super().closeEvent(event)
