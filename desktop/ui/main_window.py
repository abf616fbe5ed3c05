"""The reviewer's window: report tree, section viewer and metrics chart over the folder's cache."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils
from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.core.aliases import AliasTable
from desktop.core.kpis import kpi_marks
from desktop.core.model import Report
from desktop.core.paths import cache_path_for, seeds_dir
from desktop.store import queries
from desktop.store.cache import is_damage
from desktop.store.indexer import IndexSummary
from desktop.store.search import Hit, search
from desktop.ui.actions import WindowActions
from desktop.ui.chart_loader import ChartDataLoader
from desktop.ui.folder_session import FolderSession
from desktop.ui.i18n import Translations, system_language
from desktop.ui.models.problems import ProblemsModel
from desktop.ui.models.report_tree import ReportTreeModel
from desktop.ui.models.search_results import SearchResultsModel
from desktop.ui.settings import Settings
from desktop.ui.theme import ThemeSwitch
from desktop.ui.widgets.chart_panel import ChartPanel
from desktop.ui.widgets.compare_view import CompareView
from desktop.ui.widgets.notice import NoticeBar
from desktop.ui.widgets.report_tree import ReportTreePanel
from desktop.ui.widgets.search_panel import SearchPanel
from desktop.ui.widgets.shortcuts_dialog import ShortcutsDialog
from desktop.ui.widgets.viewer import DEFAULT_TEXT_PX, SectionViewer
from desktop.ui.worker import IndexController

CHART_REFRESH_MS = 1500  # while indexing, the chart catches up at most this often
CHART_LIVE_MAX = 400  # reports up to which the chart is redrawn while indexing


F = TypeVar("F", bound=Callable[..., Any])


def cache_safe(method: F) -> F:
    """A read of a damaged cache costs what it would have shown, never the window (see on_cache_error)."""

    @functools.wraps(method)
    def guarded(self: MainWindow, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            self.on_cache_error(exc)
            return None

    return guarded  # type: ignore[return-value]


class MainWindow(QMainWindow):
    folder_loaded = Signal()  # the tree shows what the cache held when the folder was opened
    index_done = Signal(object)  # IndexSummary, or None when indexing failed
    chart_refreshed = Signal()

    def __init__(
        self, aliases: AliasTable, settings: Settings, translations: Translations | None = None
    ) -> None:
        super().__init__()
        self.aliases = aliases
        self.settings = settings
        self.translations = translations or Translations(self)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.theme = ThemeSwitch(app)
        self._splitter_restored = False
        self._chart_asked: set[str] = set()  # the metrics whose values the chart last asked for
        self._pending_compare: tuple[str, str] | None = None

        self.tree_model = ReportTreeModel(self)
        self.search_model = SearchResultsModel(self)
        self.problems_model = ProblemsModel(self)
        self.tree_panel = ReportTreePanel(self.tree_model, self)
        self.viewer = SectionViewer(self)
        self.chart = ChartPanel(aliases, self)
        self.search_panel = SearchPanel(self.search_model, self)
        self.compare_view = CompareView(self._higher_is_better, self._load_report, self)
        self.notice = NoticeBar(self)
        self.problems_view = QTableView(self)
        self.problems_view.setModel(self.problems_model)
        self.problems_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems_view.horizontalHeader().setStretchLastSection(True)
        self.problems_view.verticalHeader().hide()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        for widget in (self.tree_panel, self.viewer, self.chart):
            self.splitter.addWidget(widget)
        for pane, stretch in enumerate((2, 5, 4)):
            self.splitter.setStretchFactor(pane, stretch)
        self.splitter.setSizes([300, 700, 560])
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.compare_view)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack)
        self.setCentralWidget(central)

        self.search_dock = self._dock("search-dock", self.search_panel)
        self.problems_dock = self._dock("problems-dock", self.problems_view)
        self.tabifyDockWidget(self.search_dock, self.problems_dock)
        self.search_dock.hide()
        self.problems_dock.hide()
        self.actions_ = WindowActions(
            self, self.tree_panel, self.chart, [self.search_dock, self.problems_dock]
        )

        self.session = FolderSession(aliases, self.tree_model, self)
        self.first_report_listed = self.session.first_report_listed
        self._chart_timer = self._single_shot(CHART_REFRESH_MS, self._on_chart_timer_timeout)
        self._build_status_bar()
        self._connect()
        self._retranslate()
        self.text_px = settings.int_value("view/text_px", DEFAULT_TEXT_PX)
        self._set_text_px(self.text_px)
        self.actions_.language_actions.get(
            settings.str_value("view/language", "system"), self.actions_.language_actions["system"]
        ).setChecked(True)
        theme = settings.str_value("view/theme", "system")
        self.actions_.theme_actions.get(theme, self.actions_.theme_actions["system"]).setChecked(True)
        self._apply_theme(theme)
        self._update_compare_actions()
        self._restore_layout()

    # -- construction ----------------------------------------------------------------------------

    def _dock(self, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(self)
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
        self.cancel_button = QToolButton(self)
        bar = self.statusBar()
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._set_busy(False)

    def _connect(self) -> None:
        a = self.actions_
        for action, slot in (
            (a.open, self._on_open_action_triggered),
            (a.reindex, self._on_reindex_action_triggered),
            (a.export_png, self._on_export_png_triggered),
            (a.export_csv, self._on_export_csv_triggered),
            (a.export_html, self._on_export_html_triggered),
            (a.export_pdf, self._on_export_pdf_triggered),
            (a.quit, self.close),
            (a.find, self._on_find_action_triggered),
            (a.compare_previous, self._on_compare_previous_triggered),
            (a.back_to_reports, self._on_back_to_reports_triggered),
            (a.bigger, self._on_bigger_triggered),
            (a.smaller, self._on_smaller_triggered),
            (a.normal_size, self._on_reset_text_triggered),
            (a.shortcuts, self._on_shortcuts_triggered),
            (a.about, self._on_about_triggered),
        ):
            action.triggered.connect(slot)
        a.languages.triggered.connect(self._on_languages_triggered)
        a.themes.triggered.connect(self._on_themes_triggered)
        a.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.tree_panel.report_selected.connect(self._on_tree_report_selected)
        self.tree_panel.reports_picked.connect(self._on_tree_reports_picked)
        self.viewer.report_link_activated.connect(self._on_viewer_report_link_activated)
        self.viewer.section_scrolled.connect(self._on_viewer_section_scrolled)
        self.chart.point_clicked.connect(self._on_chart_point_clicked)
        self.chart.metrics_chosen.connect(self._on_chart_metrics_chosen)
        self.session.chart_data_loaded.connect(self._on_session_chart_data_loaded)
        self.compare_view.back_requested.connect(self._on_back_to_reports_triggered)
        self.compare_view.section_activated.connect(self._on_compare_section_activated)
        self.compare_view.comparison_changed.connect(self._on_compare_comparison_changed)
        self.search_panel.hit_activated.connect(self._on_search_hit_activated)
        self.problems_view.doubleClicked.connect(self._on_problems_double_clicked)
        self.notice.open_folder_requested.connect(self._on_open_action_triggered)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.session.feeder.reports_listed.connect(self._on_feeder_reports_listed)
        self.session.index_started.connect(self._on_session_index_started)
        self.session.reports_landed.connect(self._on_session_reports_landed)
        self.session.progress_changed.connect(self._on_session_progress_changed)
        self.session.index_finished.connect(self._on_session_index_finished)
        self.session.index_failed.connect(self._on_session_index_failed)
        self.session.index_cancelled.connect(self._on_session_index_cancelled)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)

    def _retranslate(self) -> None:
        self.actions_.retranslate()
        self.search_dock.setWindowTitle(self.tr("Search results"))
        self._refresh_problems_title()
        self.progress.setFormat(self.tr("Indexing %v / %m"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop indexing; what is indexed so far is kept"))
        self.notice.retranslate()
        self._update_notice()
        self._refresh_status()
        self._rebuild_recent_menu()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

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
        self.search_model.set_hits("", [])
        self.stack.setCurrentWidget(self.splitter)
        self.viewer.show_message(self.tr("Reading %1 …").replace("%1", str(folder)))
        readable = self.session.open(folder)
        if not self.is_samples:
            self.settings.remember_folder(folder)
        self._rebuild_recent_menu()
        self._update_notice()
        self._update_compare_actions()
        self.setWindowTitle(f"{folder.name} — Weekly Review")
        if not readable:
            self.viewer.show_message(
                self.tr(
                    "Weekly Review may not read %1. Check the folder's permissions, or open another "
                    "folder with Ctrl+O."
                ).replace("%1", str(folder))
            )
            self.statusBar().showMessage(self.tr("Cannot read %1").replace("%1", str(folder)))
            return
        if self.reader is not None:
            self._refresh_chart()
            self._refresh_status()
        self.folder_loaded.emit()

    def on_cache_error(self, exc: sqlite3.DatabaseError) -> None:
        if is_damage(exc):
            self.session.rebuild()  # the indexer discards and rebuilds it, then reconnects us
            self.statusBar().showMessage(self.tr("The cache was damaged; it is being rebuilt"), 8000)
        else:
            self.statusBar().showMessage(self.tr("Cannot read the cache: %1").replace("%1", str(exc)), 8000)

    @property
    def folder(self) -> Path | None:
        return self.session.folder

    @property
    def reader(self) -> sqlite_utils.Database | None:
        return self.session.reader

    @property
    def indexer(self) -> IndexController:
        return self.session.indexer

    @property
    def chart_loader(self) -> ChartDataLoader:
        return self.session.chart_loader

    def settled(self) -> bool:
        """Nothing left to show: the tree and the chart have caught up with the cache."""
        return self.session.settled()

    @property
    def is_samples(self) -> bool:
        return self.folder is not None and self.folder.resolve() == seeds_dir().resolve()

    def _update_notice(self) -> None:
        if self.is_samples:
            self.notice.show_message(
                self.tr(
                    "You are looking at sample reports. Open your own folder of weekly reports with "
                    "File → Open Folder (Ctrl+O); Weekly Review only reads it, never changes it."
                )
            )
        else:
            self.notice.hide()

    # -- indexing --------------------------------------------------------------------------------

    @Slot()
    def _on_session_index_started(self) -> None:
        self._set_busy(True)

    @Slot(int)
    def _on_session_reports_landed(self, total: int) -> None:
        # A small folder's chart fills as it is read; redrawing thousands of points while a large
        # folder is indexed would only stall the window, so that chart waits for the end.
        if total < CHART_LIVE_MAX and not self._chart_timer.isActive():
            self._chart_timer.start()

    @Slot(int, int)
    def _on_session_progress_changed(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    @Slot(object, list)
    def _on_session_index_finished(self, summary: IndexSummary, rows: list[queries.ReportRow]) -> None:
        self._set_busy(False)
        self._refresh_status()
        self._refresh_problems(summary.messages)
        path = self.viewer.path
        if self.reader is None or path is None or path not in {r.path for r in rows}:
            self._show_newest(rows)
        else:
            self._show(path, self.viewer.section, keep_highlight=True)
        if self._pending_compare is not None:
            self.compare_refs(*self._pending_compare)
        # Last: the chart's reading thread would compete with the work above for the interpreter.
        self._chart_timer.stop()
        self._refresh_chart()
        self.index_done.emit(summary)

    @Slot(str)
    def _on_session_index_failed(self, message: str) -> None:
        self._set_busy(False)
        self.statusBar().showMessage(self.tr("Indexing failed: %1").replace("%1", message))
        self._refresh_problems([message])
        if self.viewer.path is None:  # still saying "Reading …": say what happened instead
            self.viewer.show_message(self.tr("The folder could not be indexed: %1").replace("%1", message))
        self.index_done.emit(None)

    @Slot()
    def _on_session_index_cancelled(self) -> None:
        self._set_busy(False)
        self.statusBar().showMessage(self.tr("Indexing cancelled; press F5 to continue"), 8000)
        if self.viewer.path is None:
            self._show_newest(self.session.read(queries.list_reports, []))

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.session.cancel()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)

    # -- showing reports -------------------------------------------------------------------------

    @cache_safe
    def _show_newest(self, rows: list[queries.ReportRow]) -> None:
        if self.reader is None:
            return
        weekly = [r for r in rows if r.parent is None]
        # A file dated only by its modification time (a stray licence or note) is not this week's report.
        dated = [r for r in weekly if r.date_source not in ("mtime", "none") and r.kind == "report"] or weekly
        if dated:
            self.tree_panel.select(dated[-1].path, quiet=True)
            self._show(dated[-1].path, -1)
        elif self.folder is not None:
            problems = queries.problems(self.reader)
            message = self.tr("No weekly reports were found in %1.").replace("%1", str(self.folder))
            if problems:
                message += " " + self.tr("Some files could not be read: see the Problems panel.")
            else:
                message += " " + self.tr(
                    "Weekly Review reads Markdown and text files (.md, .markdown, .txt) "
                    "in the folder and its subfolders. Open another folder with Ctrl+O."
                )
            self.viewer.show_message(message)

    @cache_safe
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
            highlight = self.viewer.highlight
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

    @cache_safe
    def _load_report(self, path: str) -> Report | None:
        return queries.load_report(self.reader, path) if self.reader is not None else None

    def select_report(self, path: str, section: int = -1, highlight: str | None = None) -> None:
        self.stack.setCurrentWidget(self.splitter)
        self._update_compare_actions()
        self.tree_panel.select(path, section, quiet=True)
        self._show(path, section, highlight)

    @Slot()
    def _on_feeder_reports_listed(self) -> None:
        # The report shown may have been chosen before the tree had it: mark it once it is there.
        if self.viewer.path is not None and not self.tree_panel.tree.currentIndex().isValid():
            self.tree_panel.select(self.viewer.path, self.viewer.section, quiet=True)

    @Slot(str, int)
    def _on_tree_report_selected(self, path: str, section: int) -> None:
        self._show(path, section)

    @Slot(str)
    @cache_safe
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

    # -- comparing two weeks ---------------------------------------------------------------------

    @cache_safe
    def compare(self, left: str, right: str) -> None:
        """Open the compare view on two reports (older on the left)."""
        if self.reader is None:
            return
        rows = {r.path: r for r in queries.list_reports(self.reader)}
        if left in rows and right in rows and (rows[left].date, left) > (rows[right].date, right):
            left, right = right, left
        self.compare_view.set_reports([r for r in rows.values() if r.parent is None])
        self.compare_view.compare(left, right)
        self.stack.setCurrentWidget(self.compare_view)
        self._update_compare_actions()

    @cache_safe
    def compare_refs(self, left: str, right: str) -> bool:
        """Compare two reports named as on the command line (path, week label or date)."""
        self._pending_compare = None
        if self.reader is None:
            self._pending_compare = (left, right)
            return False
        paths = []
        for ref in (left, right):
            path, candidates = queries.resolve_report(self.reader, ref)
            if path is None:
                names = ", ".join(r.label or r.path for r in candidates[:12])
                self.statusBar().showMessage(
                    self.tr("Cannot compare: “%1” names no single report (%2)")
                    .replace("%1", ref)
                    .replace("%2", names)
                )
                return False
            paths.append(path)
        self.compare(paths[0], paths[1])
        return True

    @Slot()
    @cache_safe
    def _on_compare_previous_triggered(self) -> None:
        current = self.tree_panel.current_report() or self.viewer.path
        if current is None:
            return
        if self.reader is None:
            return
        row = queries.get_report_row(self.reader, current)
        if row is not None and row.parent is not None:
            current = row.parent  # a sub-page: compare its week
        before = queries.previous_report(self.reader, current)
        if before is None:
            self.statusBar().showMessage(self.tr("No earlier report to compare with"), 6000)
            return
        self.compare(before, current)

    @Slot(list)
    def _on_tree_reports_picked(self, paths: list[str]) -> None:
        if len(paths) == 2:
            self.compare(paths[0], paths[1])

    @Slot()
    def _on_back_to_reports_triggered(self) -> None:
        self.stack.setCurrentWidget(self.splitter)
        self._update_compare_actions()

    @Slot(str, int)
    def _on_compare_section_activated(self, path: str, section: int) -> None:
        self.select_report(path, section)

    @Slot()
    def _on_compare_comparison_changed(self) -> None:
        self._update_compare_actions()

    def _update_compare_actions(self) -> None:
        comparing = self.stack.currentWidget() is self.compare_view
        has_comparison = self.compare_view.comparison is not None
        self.actions_.back_to_reports.setEnabled(comparing)
        self.actions_.export_html.setEnabled(comparing and has_comparison)
        self.actions_.export_pdf.setEnabled(comparing and has_comparison)

    # -- chart, status, problems -----------------------------------------------------------------

    @Slot()
    def _on_chart_timer_timeout(self) -> None:
        self._refresh_chart()

    def _refresh_chart(self) -> None:
        """Ask for the chart's data on the loader thread; for thousands of reports the query is slow."""
        chosen = self.settings.chosen_metrics()
        wanted = chosen if chosen is not None else self.aliases.charted_by_default()
        self._chart_asked = set(wanted) | set(self.chart.checked())
        self.session.request_chart(sorted(self._chart_asked))

    @Slot(object, object)
    def _on_session_chart_data_loaded(
        self, names: list[tuple[str, int]], rows: list[queries.MetricRow]
    ) -> None:
        chosen = self.settings.chosen_metrics()
        self.chart.set_rows(rows, names)
        if chosen is not None:
            self.chart.set_checked(chosen)
        # The chart may have picked a metric of its own (none of the usual KPIs in this folder):
        # its values were not asked for yet.
        loaded = {r.metric for r in rows}
        if set(self.chart.checked()) - loaded - self._chart_asked:
            self._refresh_chart()
            return
        self.chart_refreshed.emit()

    @Slot(list)
    def _on_chart_metrics_chosen(self, names: list[str]) -> None:
        self.settings.set_chosen_metrics(names)
        self._refresh_chart()  # a newly checked metric needs its rows

    @cache_safe
    def _refresh_status(self) -> None:
        if self.reader is None:
            self.counts_label.setText("")
            return
        c = queries.counts(self.reader)
        self.counts_label.setText(
            self.tr("%1 reports · %2 sections · %3 metrics")
            .replace("%1", str(c["reports"]))
            .replace("%2", str(c["sections"]))
            .replace("%3", str(c["metrics"]))
        )

    @cache_safe
    def _refresh_problems(self, messages: list[str]) -> None:
        rows = queries.problems(self.reader) if self.reader is not None else []
        rows = [queries.Problem("", "warning", m) for m in messages] + rows
        self.problems_model.set_problems(rows)
        self._refresh_problems_title()
        if any(r.kind == "skipped" or not r.path for r in rows):
            self.problems_dock.show()

    def _refresh_problems_title(self) -> None:
        count = self.problems_model.rowCount()
        title = self.tr("Problems (%1)").replace("%1", str(count)) if count else self.tr("Problems")
        self.problems_dock.setWindowTitle(title)

    @Slot(QModelIndex)
    @cache_safe
    def _on_problems_double_clicked(self, index: QModelIndex) -> None:
        path = self.problems_model.index(index.row(), 0).data()
        if path and self.reader is not None and queries.get_report_row(self.reader, str(path)):
            self.select_report(str(path))

    # -- search ----------------------------------------------------------------------------------

    @Slot()
    def _on_find_action_triggered(self) -> None:
        self.actions_.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.actions_.search_edit.selectAll()

    @Slot()
    def _on_search_edit_return_pressed(self) -> None:
        self.run_search(self.actions_.search_edit.text())

    @cache_safe
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
        menu = self.actions_.recent_menu
        menu.clear()
        for folder in self.settings.recent_folders():
            action = menu.addAction(str(folder))
            action.setData(str(folder))
            action.triggered.connect(self._on_recent_action_triggered)
        menu.setEnabled(bool(menu.actions()))

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_folder(Path(str(action.data())))

    @Slot()
    def _on_open_action_triggered(self) -> None:
        start = str(self.folder if self.folder and not self.is_samples else Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Open a folder of weekly reports"), start)
        if chosen:
            self.open_folder(Path(chosen))

    @Slot()
    def _on_reindex_action_triggered(self) -> None:
        self.session.reindex()

    def _export(self, write: Callable[[Path], None], what: str, default: str, kind: str) -> None:
        """Ask where to save, write, and say how it went (errors in a dialog, success in the status bar)."""
        name, _ = QFileDialog.getSaveFileName(self, what, str(Path.home() / default), kind)
        if not name:
            return
        try:
            write(Path(name))
        except (OSError, ValueError) as exc:
            QMessageBox.warning(
                self, what, self.tr("Could not write %1: %2").replace("%1", name).replace("%2", str(exc))
            )
            return
        self.statusBar().showMessage(self.tr("Saved %1").replace("%1", name), 6000)

    @Slot()
    def _on_export_png_triggered(self) -> None:
        self._export(
            self.chart.export_png,
            self.tr("Export Chart"),
            "weekly-review-chart.png",
            self.tr("PNG images (*.png)"),
        )

    @Slot()
    def _on_export_csv_triggered(self) -> None:
        self._export(
            self.chart.export_csv,
            self.tr("Export Chart Data"),
            "weekly-review-metrics.csv",
            self.tr("CSV files (*.csv)"),
        )

    @Slot()
    def _on_export_html_triggered(self) -> None:
        self._export(
            self.compare_view.export_html,
            self.tr("Export Comparison"),
            "comparison.html",
            self.tr("HTML files (*.html)"),
        )

    @Slot()
    def _on_export_pdf_triggered(self) -> None:
        self._export(
            self.compare_view.export_pdf,
            self.tr("Export Comparison"),
            "comparison.pdf",
            self.tr("PDF files (*.pdf)"),
        )

    def _set_text_px(self, px: int) -> None:
        self.text_px = max(9, min(40, px))
        self.viewer.set_text_px(self.text_px)
        self.compare_view.set_text_px(self.text_px)

    @Slot()
    def _on_bigger_triggered(self) -> None:
        self._set_text_px(self.text_px + 1)

    @Slot()
    def _on_smaller_triggered(self) -> None:
        self._set_text_px(self.text_px - 1)

    @Slot()
    def _on_reset_text_triggered(self) -> None:
        self._set_text_px(DEFAULT_TEXT_PX)

    # -- language and theme ----------------------------------------------------------------------

    @Slot(QAction)
    def _on_languages_triggered(self, action: QAction) -> None:
        code = str(action.data())
        self.settings.set_value("view/language", code)
        if not self.translations.apply(system_language() if code == "system" else code):
            self.statusBar().showMessage(self.tr("That language could not be loaded"), 6000)

    @Slot(QAction)
    def _on_themes_triggered(self, action: QAction) -> None:
        code = str(action.data())
        self.settings.set_value("view/theme", code)
        self._apply_theme(code)

    def _apply_theme(self, code: str) -> None:
        self.theme.apply(code)
        self._on_style_hints_color_scheme_changed(QGuiApplication.styleHints().colorScheme())

    @property
    def dark(self) -> bool:
        return self.theme.dark

    @Slot(Qt.ColorScheme)
    def _on_style_hints_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        dark = self.dark
        self.viewer.set_dark(dark)
        self.chart.set_dark(dark)
        self.compare_view.set_dark(dark)
        self.search_model.mark_style = (
            "background-color:#7a6400;color:#fff;" if dark else "background-color:#ffe58a;color:#000;"
        )

    # -- help ------------------------------------------------------------------------------------

    @Slot()
    def _on_shortcuts_triggered(self) -> None:
        ShortcutsDialog(self.actions() + self.compare_view.actions(), self).exec()

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
        self._chart_timer.stop()
        self.session.shutdown()
        super().closeEvent(event)
