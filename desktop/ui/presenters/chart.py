"""The chart pane's presenter: which metrics to chart, asked of the loader thread, saved in settings."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.core.aliases import AliasTable
from desktop.core.paths import cache_path_for
from desktop.store.queries import MetricRow
from desktop.ui.chart_loader import AUTO, ChartDataLoader
from desktop.ui.folder_controller import FolderController
from desktop.ui.models.chart_series import SeriesRows
from desktop.ui.settings import Settings

CHART_REFRESH_MS = 1500  # while indexing, the chart catches up at most this often
CHART_LIVE_MAX = 400  # reports up to which the chart is redrawn while indexing


class ChartPresenter(QObject):
    data_loaded = Signal(object, object, object, object)  # names, [MetricRow], SeriesRows, chosen or None
    cleared = Signal()  # another folder is opening: nothing of the last one's chart stays
    chart_refreshed = Signal()  # the panel shows the latest data

    def __init__(
        self, folder: FolderController, aliases: AliasTable, settings: Settings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._folder = folder
        self._aliases = aliases
        self._settings = settings
        self._asked: set[str] = set()
        self.show_figures = False  # the metric list offers KPIs; one-off figures behind "All figures"
        # Whose rows to load: AUTO until the chart's team box has settled on a team (None: every team),
        # the team loaded last, and the report open (AUTO starts from its team).
        self._team: str | None = AUTO
        self.loaded_team: str | None = AUTO
        self._follow: str | None = None
        self.loader = ChartDataLoader(self)
        self.loader.chart_data_loaded.connect(self._on_loader_chart_data_loaded)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHART_REFRESH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        folder.batch_indexed.connect(self._on_folder_batch_indexed)

    @property
    def busy(self) -> bool:
        return self.loader.busy

    @Slot(bool)
    def set_show_figures(self, shown: bool) -> None:
        """List one-off figures beside the KPIs (the chart panel's "All figures" box)."""
        if shown != self.show_figures:
            self.show_figures = shown
            self.refresh(sorted(self._asked))

    def chosen(self) -> list[str] | None:
        """The metrics the user chose for this folder, or None for the defaults."""
        folder = self._folder.folder
        return self._settings.chosen_metrics(folder) if folder is not None else None

    def clear(self) -> None:
        """A new folder: drop the last one's chart now, not once the new one's data arrives."""
        self._timer.stop()
        self._asked = set()
        self._team = self.loaded_team = AUTO
        self.cleared.emit()

    def refresh(self, also: list[str] | None = None) -> None:
        """Ask for the chosen metrics' values (and also these) on the loader thread."""
        self._timer.stop()
        chosen = self.chosen()
        wanted = chosen if chosen is not None else self._aliases.charted_by_default()
        self._asked = set(wanted) | set(also or ())
        if self._folder.folder is not None and self._folder.reader is not None:
            self.loader.request(
                cache_path_for(self._folder.folder),
                sorted(self._asked),
                self.show_figures,
                team=self._team,
                follow=self._follow,
            )

    def follow(self, report: str | None) -> None:
        """The report now open: a first load of a folder of many teams loads its team's rows."""
        self._follow = report

    def show_team(self, team: str | None) -> bool:
        """The chart shows this team (None: every team): True when its rows are not in and were asked for."""
        self._team = team
        if self.loaded_team is None or team == self.loaded_team or self.loaded_team == AUTO:
            return False  # every team's rows are in, or this one's, or a first load is on its way
        self.refresh(sorted(self._asked))
        return True

    def ensure(self, shown: list[str]) -> bool:
        """The panel shows these metrics; ask for those not loaded yet. False when all were there."""
        missing = set(shown) - self._asked
        if missing:
            self.refresh(sorted(missing | self._asked))
            return True
        self.chart_refreshed.emit()
        return False

    @Slot(object)
    def choose(self, names: list[str]) -> None:
        """The user checked these metrics: remember them for this folder, and load them."""
        self.remember(names)
        self.refresh(names)

    def remember(self, names: list[str]) -> None:
        """Save these metrics as this folder's choice, without loading anything."""
        if self._folder.folder is not None:
            self._settings.set_chosen_metrics(self._folder.folder, names)

    @Slot()
    def restore_defaults(self) -> None:
        """Forget this folder's choice: the default metrics are charted again."""
        if self._folder.folder is not None:
            self._settings.set_chosen_metrics(self._folder.folder, None)
        self.refresh()

    def shutdown(self) -> None:
        self._timer.stop()
        self.loader.shutdown()

    @Slot(int)
    def _on_folder_batch_indexed(self, total: int) -> None:
        # A small folder's chart fills as it is read; redrawing thousands of points while a large
        # folder is indexed would only stall the window, so that chart waits for the end.
        if total < CHART_LIVE_MAX and not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.refresh()

    @Slot(object, object, object, object)
    def _on_loader_chart_data_loaded(
        self, names: list[tuple[str, int]], rows: list[MetricRow], grouped: SeriesRows, team: str | None
    ) -> None:
        self.loaded_team = team
        self.data_loaded.emit(names, rows, grouped, self.chosen())
