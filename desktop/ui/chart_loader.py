"""Chart data is read on its own thread: for thousands of reports the query alone outlasts a frame."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop.store import queries
from desktop.store.cache import open_reader
from desktop.ui.background import WorkerThread
from desktop.ui.models.chart_series import ALL_TEAMS_MAX, first_team, group_rows, with_points

# What a request asks of teams: AUTO lets the worker pick (every team for a few, else the team of the
# report `follow` names, see chart_series.first_team); None is every team; a name is that team alone.
AUTO = "\0auto"


class ChartDataWorker(QObject):
    chart_data_loaded = Signal(
        int, object, object, object, object
    )  # request, [(name, reports)], [MetricRow], SeriesRows, the team loaded (None: every team)

    @Slot(int, str, object, bool, object, object)
    def load(
        self,
        request: int,
        cache_path: str,
        names: list[str],
        show_all: bool,
        team: str | None,
        follow: object,
    ) -> None:
        # A connection of its own for each question: opening one takes a millisecond, and the cache
        # file may have been rebuilt (a new file under the same name) since the last one.
        db = None
        try:
            db = open_reader(Path(cache_path))
            if db is None:
                self.chart_data_loaded.emit(request, [], [], group_rows([]), None)
                return
            listed = queries.metric_list(db)
            # The list offers KPIs; a one-off labelled number is there only when asked for, or when it
            # is charted already (a choice saved before it turned out to be one-off).
            keep = set(names)
            names_found = [(n, c) for n, c, kind in listed if show_all or kind != "figure" or n in keep]
            # Every report's team, in one call into SQLite (50,000 pairs, no Python loop).
            report_team: dict[str, str | None] = dict(
                db.execute("SELECT path, team FROM reports WHERE parent IS NULL AND kind = 'report'")
            )
            if team == AUTO:
                teams = sorted({t for t in report_team.values() if t is not None})
                # Before the window opens a report, the one it is about to open: charting another
                # team first meant a second load (seconds at 50,000 reports) once it was open.
                if not isinstance(follow, str) and len(teams) > ALL_TEAMS_MAX:
                    follow = queries.opening_report(db)
                team = first_team(teams, report_team, follow if isinstance(follow, str) else None)
            rows = []
            if names:
                rows = queries.metric_rows(db, names, first_per_report=True, lean=True, team=team)
            # Grouped here too: for thousands of reports that is a long loop, kept off the UI thread.
            grouped = with_points(group_rows(rows))
            grouped.report_team = report_team
            _ = grouped.teams  # 50,000 reports' teams sorted out here, not on the window's thread
            self.chart_data_loaded.emit(request, names_found, rows, grouped, team)
        except Exception:  # a cache rebuilt under us, or worse: answer anyway, so nobody waits forever
            self.chart_data_loaded.emit(request, None, None, None, None)
        finally:
            if db is not None:
                db.close()


class ChartDataLoader(QObject):
    """Main-thread side: asks for data and passes on only the answer to the latest question."""

    # [(name, reports)], [MetricRow], SeriesRows, the team loaded (None: every team)
    chart_data_loaded = Signal(object, object, object, object)
    _load_requested = Signal(int, str, object, bool, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = WorkerThread(self)
        self._thread.setObjectName("chart-loader")
        self._worker = ChartDataWorker()
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._load_requested.connect(self._worker.load)
        self._worker.chart_data_loaded.connect(self._on_worker_chart_data_loaded)
        self._latest = 0
        self._answered = 0
        self._thread.start()

    @property
    def busy(self) -> bool:
        """An answer is still to come (tests and scripted screenshots wait for the chart)."""
        return self._answered != self._latest

    def request(
        self,
        cache_path: Path,
        names: list[str],
        show_all: bool = False,
        *,
        team: str | None = None,
        follow: str | None = None,
    ) -> None:
        """Values of `names` (of `team` only, see AUTO), and the metric names: KPIs only unless `show_all`."""
        self._latest += 1
        self._load_requested.emit(self._latest, str(cache_path), list(names), show_all, team, follow)

    def shutdown(self) -> None:
        self._thread.quit()
        self._thread.wait()

    @Slot(int, object, object, object, object)
    def _on_worker_chart_data_loaded(
        self, request: int, names: object, rows: object, grouped: object, team: object
    ) -> None:
        if request != self._latest:
            return  # a newer question is on its way
        self._answered = request
        if names is not None:
            self.chart_data_loaded.emit(names, rows, grouped, team)
