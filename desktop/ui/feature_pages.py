"""The window's feature pages: the Monday overview, a topic's timeline and the progress of work items.

They follow the open folder: cleared at once when another folder is opened, filled from its cache when
they are in front (or as soon as they come to the front), and read again after every index run. Each
reads on a thread of its own; nothing here waits for the cache on the window's thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from desktop.core.paths import cache_path_for
from desktop.core.progress import Series
from desktop.store import queries
from desktop.store.indexer import IndexSummary
from desktop.ui.exports import ExportService
from desktop.ui.folder_controller import FolderController
from desktop.ui.overview import OverviewPage, OverviewPresenter
from desktop.ui.overview.presenter import FollowUps
from desktop.ui.presenters.chart import ChartPresenter
from desktop.ui.settings import Settings
from desktop.ui.topics import ProgressPresenter, ProgressView, TimelinePresenter, TimelineView, TopicsLoader
from desktop.ui.topics.charting import ProgressCharting
from desktop.ui.view_state import View, ViewState
from desktop.ui.widgets.chart import ChartPanel

PAGES: tuple[View, ...] = ("overview", "timeline", "progress")
DIGEST_FORMATS = ("json", "md", "html")


class FeaturePages(QObject):
    item_charted = Signal(str)  # the chart panel now shows this work item (the window shows the chart)
    status_message = Signal(str, int)  # text, milliseconds

    def __init__(
        self,
        state: ViewState,
        folder: FolderController,
        exports: ExportService,
        chart: ChartPanel,
        chart_presenter: ChartPresenter,
        settings: Settings,
        parent: QWidget,
        follow_ups: FollowUps | None = None,
    ) -> None:
        super().__init__(parent)
        self._state, self._folder, self._exports = state, folder, exports
        # The reviewer's open follow-ups reach the overview (and its digest) through this one callable.
        self.overview = OverviewPage(
            OverviewPresenter(follow_ups=follow_ups, parent=self), state=state, parent=parent
        )
        self.overview.setObjectName("overview-page")
        self.loader = TopicsLoader(self)
        self.timeline = TimelinePresenter(state, save=self._save_timeline, loader=self.loader, parent=self)
        self.timeline_view = TimelineView(self.timeline, parent)
        self.timeline_view.setObjectName("timeline-page")
        self.progress = ProgressPresenter(state, loader=self.loader, parent=self)
        self.progress_view = ProgressView(self.progress, parent)
        self.progress_view.setObjectName("progress-page")
        self.charting = ProgressCharting(chart, chart_presenter, self)
        self._stale: set[View] = set(PAGES)  # pages whose data is older than the cache
        self._digest_wanted: str | None = None  # a digest format asked for before the overview was in
        folder.index_finished.connect(self._on_folder_index_finished)
        state.events.view.connect(self._on_state_view_changed)
        self.progress.item_charted.connect(self._on_progress_item_charted)
        self.overview.overview_shown.connect(self._on_overview_shown)

    def pages(self) -> dict[View, QWidget]:
        return {"overview": self.overview, "timeline": self.timeline_view, "progress": self.progress_view}

    @property
    def busy(self) -> bool:
        return self.overview.presenter.busy or self.loader.busy or self.loader.exporting

    def shutdown(self) -> None:
        self.overview.shutdown()
        self.loader.shutdown()

    # -- the folder ------------------------------------------------------------------------------

    def _cache(self) -> Path | None:
        folder = self._folder.folder
        return cache_path_for(folder) if folder is not None else None

    def folder_opened(self) -> None:
        """Another folder: nothing of the previous one stays; the page in front is filled from the cache."""
        self.overview.clear()
        self.timeline.clear()
        self.progress.model.set_series([])
        self.progress_view.clear()
        self.charting.clear()
        self._digest_wanted = None
        self._stale = set(PAGES)
        if self._folder.reader is not None:  # a cache to read already; else after the first index
            self._fill(self._state.view)

    @Slot(object, object)
    def _on_folder_index_finished(self, _summary: IndexSummary, _rows: list[queries.ReportRow]) -> None:
        # Every page, even when the folder is as it was: the overview lists follow-ups, which another
        # process may have written to the reviewer's database meanwhile.
        self._stale = set(PAGES)
        self._fill(self._state.view)

    @Slot()
    def follow_ups_changed(self) -> None:
        """A follow-up was added, closed or reopened: the overview lists them, so it is read again."""
        self._stale.add("overview")
        self._fill(self._state.view)

    def _on_state_view_changed(self) -> None:
        self._fill(self._state.view)

    def _fill(self, view: View) -> None:
        cache, folder = self._cache(), self._folder.folder
        if view not in self._stale or cache is None or folder is None or self._folder.reader is None:
            return
        self._stale.discard(view)
        if view == "overview":
            if self.overview.overview is None:
                self.overview.set_folder(cache, folder.name)
            else:
                self.overview.refresh()
        elif view == "progress":
            self.progress.load(cache)
        elif view == "timeline" and self.timeline.topic:
            self.timeline.show_topic(cache, self.timeline.topic, self.timeline.team)
        elif view == "timeline":
            self.timeline.show_topics(cache)

    # -- the timeline ----------------------------------------------------------------------------

    def team_of(self, path: str) -> str | None:
        return next((r.team for r in self._folder.rows if r.path == path), None)

    def show_timeline(self, title: str, team: str | None = None) -> None:
        """The timeline of a topic (a section title as written, a key or a phrase), in front."""
        cache = self._cache()
        if cache is None:
            return
        self._stale.discard("timeline")
        self.timeline.show_topic(cache, title, team)
        self._state.view = "timeline"

    @Slot(str, int, str)
    def show_section_timeline(self, path: str, _section: int, title: str) -> None:
        """ "Timeline of this topic" on a section: its topic within the report's team."""
        self.show_timeline(title, self.team_of(path))

    def _save_timeline(self, name: str, content: str) -> None:
        kind = "html" if name.endswith(".html") else "md"
        self._exports.export_text(kind, name, content, self.tr("Export Timeline"))

    # -- the overview and its digest -------------------------------------------------------------

    def export_digest(self, fmt: str) -> None:
        """File → Export Digest: the overview's week, through the export service (never into the folder)."""
        if self.overview.overview is None:
            # Not read yet (the page has not been in front): read it, then ask where to save.
            self._digest_wanted = fmt
            self._stale.add("overview")
            self._fill("overview")
            if self._digest_wanted is not None and self._folder.reader is None:
                self._digest_wanted = None
                self.status_message.emit(self.tr("There is no overview to export yet."), 6000)
            return
        overview = self.overview.overview
        folder = self._folder.folder
        if folder is None:
            return
        page = self.overview

        def write(path: Path) -> None:
            refusal = page.export_digest(path, fmt, folder)
            if refusal is not None:
                raise ValueError(refusal)

        name = f"digest-{folder.name}-{overview.week}"
        self._exports.export_with(fmt, name, write, self.tr("Export Digest"))

    @Slot(str)
    def _on_overview_shown(self, week: str) -> None:
        fmt, self._digest_wanted = self._digest_wanted, None
        if fmt is None:
            return
        if week:
            self.export_digest(fmt)
        else:
            self.status_message.emit(self.tr("No dated reports in this folder."), 6000)

    # -- progress --------------------------------------------------------------------------------

    @Slot(object)
    def _on_progress_item_charted(self, series: Series) -> None:
        name = self.charting.chart(series)
        self._state.view = "reports"
        self.item_charted.emit(name)
