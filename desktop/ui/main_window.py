"""The reviewer's window: it assembles the panes, their presenters and the view state, and says how the
folder is doing. What is shown lives in `ViewState`; the window never reads it back out of a widget."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.aliases import AliasTable
from desktop.store import queries
from desktop.store.search import Hit
from desktop.ui.actions import WindowActions
from desktop.ui.collector import LoadCollector
from desktop.ui.exports import ExportService
from desktop.ui.feature_pages import PAGES, FeaturePages
from desktop.ui.folder_controller import FolderController
from desktop.ui.i18n import Translations
from desktop.ui.models.report_tree import ReportTreeModel
from desktop.ui.models.search_results import SearchResultsModel
from desktop.ui.presenters import (
    ChartPresenter,
    ComparePresenter,
    FolderPresenter,
    ReaderPresenter,
    SearchPresenter,
)
from desktop.ui.review.window_review import WindowReview
from desktop.ui.settings import Settings
from desktop.ui.status_area import StatusArea
from desktop.ui.view_state import DEFAULT_TEXT_PX, View, ViewState
from desktop.ui.widgets.chart import ChartPanel
from desktop.ui.widgets.compare import CompareView
from desktop.ui.widgets.notice import NoticeBar
from desktop.ui.widgets.report_tree import ReportTreePanel
from desktop.ui.widgets.search_panel import SearchPanel
from desktop.ui.widgets.viewer import SectionViewer
from desktop.ui.window_menus import WindowMenus

if TYPE_CHECKING:
    import sqlite_utils


class MainWindow(QMainWindow):
    def __init__(
        self, aliases: AliasTable, settings: Settings, translations: Translations | None = None
    ) -> None:
        super().__init__()
        self.aliases = aliases
        self.settings = settings
        self.state = ViewState(text_px=settings.int_value("view/text_px", DEFAULT_TEXT_PX))
        self._splitter_restored = False
        self._has_comparison = False  # as the compare view last said

        # Models, the folder, the presenters: nothing here is a widget.
        self.tree_model = ReportTreeModel(self)
        self.search_model = SearchResultsModel(self)
        self.folder_controller = FolderController(aliases, self.tree_model, self)
        # The garbage collector is off while an index and what follows it run (desktop/ui/collector.py).
        self.collector = LoadCollector(self.settled, self)
        self.folder_controller.index_started.connect(self.collector.hold)
        self.reader_presenter = ReaderPresenter(self.state, self.folder_controller, aliases, self)
        self.chart_presenter = ChartPresenter(self.folder_controller, aliases, settings, self)
        self.search_presenter = SearchPresenter(self.folder_controller, self.search_model, self)
        self.compare_presenter = ComparePresenter(self.state, self.folder_controller, self)
        self.exports = ExportService(settings, self, self)

        # The panes, each given what it observes.
        self.tree_panel = ReportTreePanel(self.tree_model, self, state=self.state)
        self.tree_panel.set_outline_search(self._reports_with_section)
        self.viewer = SectionViewer(self, state=self.state, presenter=self.reader_presenter)
        self.chart = ChartPanel(aliases, self, presenter=self.chart_presenter)
        self.search_panel = SearchPanel(self.search_model, self)
        self.compare_view = CompareView(
            self.reader_presenter.higher_is_better,
            self.reader_presenter.load_report,
            self,
            presenter=self.compare_presenter,
            state=self.state,
            exporter=self.exports,
        )
        self.notice = NoticeBar(self)
        self.status = StatusArea(self)
        self.folder_presenter = FolderPresenter(
            self.state,
            self.folder_controller,
            self.reader_presenter,
            self.chart_presenter,
            self.search_presenter,
            self.status,
            settings,
            self,
        )
        self.folder_loaded = self.folder_presenter.folder_loaded
        self.index_done = self.folder_presenter.index_done
        self.problems_model = self.status.problems_model
        self.counts_label = self.status.counts_label
        self._lay_out()
        self.actions_ = WindowActions(
            self, self.tree_panel, self.chart, [self.search_dock, self.problems_dock]
        )
        self.menus = WindowMenus(
            self, self.actions_, self.state, settings, translations or Translations(self)
        )
        # The reviewer's memory: read marks, notes and follow-ups over the panes above.
        self.review = WindowReview(self)
        self.first_report_listed = self.folder_controller.first_report_listed
        self.chart_refreshed = self.chart_presenter.chart_refreshed
        self._connect()
        self.menus.apply_theme()
        self._retranslate()
        self._add_feature_pages()
        self._on_state_view_changed()
        self._restore_layout()

    # -- construction ----------------------------------------------------------------------------

    def _lay_out(self) -> None:
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
        self._pages: dict[View, QWidget] = {"reports": self.splitter, "compare": self.compare_view}
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack)
        self.setCentralWidget(central)
        self.search_dock = self._dock("search-dock", self.search_panel)
        self.problems_dock = self._dock("problems-dock", self.status.problems_view)
        self.status.problems_dock = self.problems_dock
        self.tabifyDockWidget(self.search_dock, self.problems_dock)
        self.search_dock.hide()
        self.problems_dock.hide()

    def _dock(self, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _connect(self) -> None:
        a = self.actions_
        for action, slot in (
            (a.open, self.menus.ask_folder),
            (a.reindex, self._on_reindex_action_triggered),
            (a.export_png, self._on_export_png_triggered),
            (a.export_csv, self._on_export_csv_triggered),
            (a.export_html, self._on_export_html_triggered),
            (a.export_pdf, self._on_export_pdf_triggered),
            (a.quit, self.close),
            (a.find, self._on_find_action_triggered),
            (a.compare_previous, self._on_compare_previous_triggered),
            (a.back_to_reports, self._on_back_to_reports_triggered),
        ):
            action.triggered.connect(slot)
        a.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.menus.folder_chosen.connect(self.open_folder)
        self.notice.open_folder_requested.connect(self.menus.ask_folder)
        self.tree_panel.reports_picked.connect(self._on_tree_reports_picked)
        self.viewer.report_link_activated.connect(self._on_viewer_report_link_activated)
        self.viewer.section_scrolled.connect(self._on_viewer_section_scrolled)
        self.chart.point_clicked.connect(self.select_report)
        self.state.events.report.connect(self.chart.follow_report)  # many teams: chart the open one's
        self.compare_view.back_requested.connect(self._on_back_to_reports_triggered)
        self.compare_view.section_activated.connect(self.select_report)
        self.compare_view.comparison_changed.connect(self._on_compare_view_comparison_changed)
        self.compare_presenter.compare_refused.connect(self._on_presenter_message)
        self.search_panel.hit_activated.connect(self._on_search_hit_activated)
        self.search_panel.more_requested.connect(self.search_presenter.show_more)
        self.search_presenter.search_finished.connect(self._on_search_finished)
        self.search_presenter.search_failed.connect(self._on_search_failed)
        self.exports.exported.connect(self._on_exports_exported)
        self.status.problem_activated.connect(self._on_status_problem_activated)
        self.folder_presenter.folder_opened.connect(self._on_folder_opened)
        self.folder_presenter.notice_changed.connect(self._on_folder_notice_changed)
        self.folder_presenter.status_message.connect(self._on_status_message)
        self.menus.dark_changed.connect(self._on_menus_dark_changed)
        self.state.events.view.connect(self._on_state_view_changed)
        self.state.events.text_px.connect(self._on_state_text_px_changed)

    def _add_feature_pages(self) -> None:
        """The overview, timeline and progress pages, their actions and what leads to them."""
        self.pages = FeaturePages(
            self.state,
            self.folder_controller,
            self.exports,
            self.chart,
            self.chart_presenter,
            self.settings,
            self,
            follow_ups=self.review.follow_up_rows,
        )
        self.review.presenter.follow_ups_changed.connect(self.pages.follow_ups_changed)
        teams = self.pages.overview.teams
        teams.read_state = self.review.read_state_of
        self.review.presenter.read_state_changed.connect(teams.read_states_changed)
        for view, page in self.pages.pages().items():
            self.add_page(view, page)
        for name, action in self.actions_.page_actions().items():
            action.setData(name)
            action.triggered.connect(self._on_page_action_triggered)
        for fmt, action in self.actions_.export_digest.items():
            action.setData(fmt)
            action.triggered.connect(self._on_export_digest_triggered)
        self.tree_panel.timeline_requested.connect(self.pages.show_section_timeline)
        self.viewer.timeline_requested.connect(self.pages.show_section_timeline)
        self.folder_presenter.folder_opened.connect(self._on_folder_opened_for_pages)
        self.pages.item_charted.connect(self._on_pages_item_charted)
        self.pages.status_message.connect(self._on_status_message)

    def show_page(self, view: View) -> None:
        """Bring a page to the front; the timeline, without a topic yet, takes the section shown."""
        report, section = self.state.report, self.state.section
        if view == "timeline" and not self.pages.timeline.topic and report and section is not None:
            title = self.tree_model.index_for(report, section).data()
            if title:
                self.pages.show_timeline(str(title), self.pages.team_of(report))
                return
        self.state.view = view

    @Slot()
    def _on_page_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction) and action.data() in PAGES:
            self.show_page(action.data())
        self._update_page_actions()  # a checked page's action clicked again stays checked

    @Slot()
    def _on_export_digest_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.pages.export_digest(str(action.data()))

    @Slot(Path)
    def _on_folder_opened_for_pages(self, _folder: Path) -> None:
        self.pages.folder_opened()

    @Slot(str)
    def _on_pages_item_charted(self, name: str) -> None:
        self.actions_.show_chart.setChecked(True)
        self.statusBar().showMessage(self.tr("Charted: %1").replace("%1", name), 6000)

    def _update_page_actions(self) -> None:
        for name, action in self.actions_.page_actions().items():
            action.setChecked(self.state.view == name)

    def _retranslate(self) -> None:
        self.actions_.retranslate()
        self.review.retranslate()
        self.search_dock.setWindowTitle(self.tr("Search results"))
        self.status.retranslate()
        self.notice.retranslate()
        self._on_folder_notice_changed(self.folder_presenter.notice())
        self.menus.rebuild_recent()

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
        self.settings.set_value("view/text_px", self.state.text_px)
        self.settings.sync()

    # -- what others ask -------------------------------------------------------------------------

    @property
    def folder(self) -> Path | None:
        return self.folder_controller.folder

    @property
    def reader(self) -> sqlite_utils.Database | None:
        return self.folder_controller.reader

    @property
    def text_px(self) -> int:
        return self.state.text_px

    @property
    def dark(self) -> bool:
        return self.menus.theme.dark

    @property
    def is_samples(self) -> bool:
        return self.folder_presenter.is_samples

    def settled(self) -> bool:
        """Nothing left to show: the index, the chart, the search and the reviewer's marks and notes
        have caught up with the cache."""
        busy = self.chart_presenter.busy or self.search_presenter.busy or self.compare_presenter.busy
        busy = busy or self.pages.busy or self.review.presenter.busy
        return self.folder_controller.settled() and not busy

    # -- opening a folder ------------------------------------------------------------------------

    @Slot(Path)
    def open_folder(self, folder: Path) -> None:
        """Show what the cache already knows at once, then bring it up to date in the background."""
        folder = folder.expanduser()
        if not folder.is_dir():
            QMessageBox.warning(
                self, self.tr("Open Folder"), self.tr("Not a folder: %1").replace("%1", str(folder))
            )
            return
        self.exports.report_folder = folder
        self.setWindowTitle(f"{folder.name} — Weekly Review")
        self.folder_presenter.open(folder)

    @Slot(Path)
    def _on_folder_opened(self, _folder: Path) -> None:
        self.menus.rebuild_recent()

    @Slot(str)
    def _on_folder_notice_changed(self, text: str) -> None:
        if text:
            self.notice.show_message(text)
        else:
            self.notice.hide()

    @Slot(str, int)
    def _on_status_message(self, text: str, ms: int) -> None:
        self.statusBar().showMessage(text, ms)

    def _reports_with_section(self, text: str) -> list[str]:
        return self.folder_controller.read(queries.reports_with_section, [], text)

    @Slot()
    def _on_reindex_action_triggered(self) -> None:
        self.folder_controller.reindex()

    # -- showing reports -------------------------------------------------------------------------

    @Slot(str, int)
    def select_report(self, path: str, section: int = -1, highlight: str | None = None) -> None:
        self.state.show_report(path, None if section < 0 else section, highlight=highlight or "")

    @Slot(str)
    def _on_viewer_report_link_activated(self, path: str) -> None:
        if self.compare_presenter.has(path):
            self.select_report(path)
        else:
            self.statusBar().showMessage(self.tr("Not a report in this folder: %1").replace("%1", path), 6000)

    @Slot(str, int)
    def _on_viewer_section_scrolled(self, path: str, section: int) -> None:
        self.tree_panel.select(path, section, quiet=True)

    @Slot(str)
    def _on_status_problem_activated(self, path: str) -> None:
        if self.compare_presenter.has(path):
            self.select_report(path)

    # -- comparing two weeks ---------------------------------------------------------------------

    def compare(self, left: str, right: str) -> None:
        """Open the compare view on two reports (older on the left)."""
        self.compare_presenter.compare(left, right)

    def compare_refs(self, left: str, right: str) -> bool:
        """Compare two reports named as on the command line (path, week label or date)."""
        return self.compare_presenter.compare_refs(left, right)

    @Slot()
    def _on_compare_previous_triggered(self) -> None:
        self.compare_presenter.compare_previous(self.state.report)

    @Slot(object)
    def _on_tree_reports_picked(self, paths: list[str]) -> None:
        if len(paths) == 2:
            self.compare(paths[0], paths[1])

    @Slot()
    def _on_back_to_reports_triggered(self) -> None:
        self.state.view = "reports"

    def add_page(self, view: View, page: QWidget) -> None:
        """A page of its own for a view (overview, timeline, progress): shown while state.view is it."""
        self._pages[view] = page
        self.stack.addWidget(page)
        self._on_state_view_changed()

    def _on_state_view_changed(self) -> None:
        self.stack.setCurrentWidget(self._pages.get(self.state.view, self.splitter))
        self._update_compare_actions()
        self._update_page_actions()

    @Slot(bool)
    def _on_compare_view_comparison_changed(self, shown: bool) -> None:
        self._has_comparison = shown
        self._update_compare_actions()

    def _update_compare_actions(self) -> None:
        comparing = self.state.view == "compare"
        has_comparison = self._has_comparison
        self.actions_.back_to_reports.setEnabled(self.state.view != "reports")  # from every page
        self.actions_.export_html.setEnabled(comparing and has_comparison)
        self.actions_.export_pdf.setEnabled(comparing and has_comparison)

    @Slot(str)
    def _on_presenter_message(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    # -- search ----------------------------------------------------------------------------------

    @Slot()
    def _on_find_action_triggered(self) -> None:
        self.actions_.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.actions_.search_edit.selectAll()

    @Slot()
    def _on_search_edit_return_pressed(self) -> None:
        self.run_search(self.actions_.search_edit.text())

    def run_search(self, query: str) -> None:
        """Search in the background; the results panel opens when the hits are in (search_finished)."""
        self.search_presenter.run(query)

    @Slot(str, object)
    def _on_search_finished(self, query: str, hits: list[object]) -> None:
        if not query:
            return
        self.search_dock.show()
        self.search_dock.raise_()
        if hits:
            self.search_panel.view.setCurrentIndex(self.search_model.index(0, 0))

    @Slot(str, str)
    def _on_search_failed(self, query: str, reason: str) -> None:
        self.statusBar().showMessage(
            self.tr("Search for “%1” failed: %2").replace("%1", query).replace("%2", reason), 8000
        )

    @Slot(object)
    def _on_search_hit_activated(self, hit: Hit) -> None:
        self.select_report(hit.report, hit.section_index, highlight=self.search_model.query)

    # -- exports ---------------------------------------------------------------------------------

    @Slot()
    def _on_export_png_triggered(self) -> None:
        title = self.tr("Export Chart")
        scale = self.exports.ask_scale(self.chart.export_size(), title)
        if scale is not None:
            writer = partial(self.chart.export_png, scale=scale, folder=self.folder)
            self.exports.export_with("png", "weekly-review-chart", writer, title)

    @Slot()
    def _on_export_csv_triggered(self) -> None:
        title = self.tr("Export Chart Data")
        self.exports.export_with("csv", "weekly-review-metrics", self.chart.export_csv, title)

    @Slot()
    def _on_export_html_triggered(self) -> None:
        name = self.compare_view.export_name()
        self.exports.export_with("html", name, self.compare_view.export_html, self.tr("Export Comparison"))

    @Slot()
    def _on_export_pdf_triggered(self) -> None:
        name = self.compare_view.export_name()
        self.exports.export_with("pdf", name, self.compare_view.export_pdf, self.tr("Export Comparison"))

    @Slot(str)
    def _on_exports_exported(self, path: str) -> None:
        self.statusBar().showMessage(self.tr("Saved %1").replace("%1", path), 6000)

    @Slot(bool)
    def _on_menus_dark_changed(self, dark: bool) -> None:
        self.viewer.set_dark(dark)
        self.chart.set_dark(dark)
        self.compare_view.set_dark(dark)
        self.search_model.mark_style = (
            "background-color:#7a6400;color:#fff;" if dark else "background-color:#ffe58a;color:#000;"
        )

    def _on_state_text_px_changed(self) -> None:
        self.settings.set_value("view/text_px", self.state.text_px)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.review.shutdown()
        self.search_presenter.shutdown()
        self.compare_presenter.shutdown()
        self.chart_presenter.shutdown()
        self.pages.shutdown()
        self.folder_controller.shutdown()
        self.collector.release()
        super().closeEvent(event)
