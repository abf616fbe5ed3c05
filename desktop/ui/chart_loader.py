"""Chart data is read on its own thread: for thousands of reports the query alone outlasts a frame."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.store import queries
from desktop.store.cache import open_reader
from desktop.ui.models.chart_series import group_rows, with_points


class ChartDataWorker(QObject):
    chart_data_loaded = Signal(
        int, object, object, object
    )  # request, [(name, reports)], [MetricRow], SeriesRows

    @Slot(int, str, object, bool)
    def load(self, request: int, cache_path: str, names: list[str], show_all: bool) -> None:
        # A connection of its own for each question: opening one takes a millisecond, and the cache
        # file may have been rebuilt (a new file under the same name) since the last one.
        db = None
        try:
            db = open_reader(Path(cache_path))
            if db is None:
                self.chart_data_loaded.emit(request, [], [], group_rows([]))
                return
            names_found = queries.metric_names(db)
            if not show_all:
                # The list offers KPIs; a one-off labelled number is there only when asked for, or
                # when it is charted already (a choice saved before it turned out to be one-off).
                kinds = queries.metric_kinds(db)
                keep = set(names)
                names_found = [(n, c) for n, c in names_found if kinds.get(n) != "figure" or n in keep]
            rows = queries.metric_rows(db, names, first_per_report=True, lean=True) if names else []
            # Grouped here too: for thousands of reports that is a long loop, kept off the UI thread.
            self.chart_data_loaded.emit(request, names_found, rows, with_points(group_rows(rows)))
        except Exception:  # a cache rebuilt under us, or worse: answer anyway, so nobody waits forever
            self.chart_data_loaded.emit(request, None, None, None)
        finally:
            if db is not None:
                db.close()


class ChartDataLoader(QObject):
    """Main-thread side: asks for data and passes on only the answer to the latest question."""

    chart_data_loaded = Signal(object, object, object)  # [(name, reports)], [MetricRow], SeriesRows
    _load_requested = Signal(int, str, object, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
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

    def request(self, cache_path: Path, names: list[str], show_all: bool = False) -> None:
        """Values of `names`, and the list of metric names: KPIs only unless `show_all`."""
        self._latest += 1
        self._load_requested.emit(self._latest, str(cache_path), list(names), show_all)

    def shutdown(self) -> None:
        self._thread.quit()
        self._thread.wait()

    @Slot(int, object, object, object)
    def _on_worker_chart_data_loaded(
        self, request: int, names: object, rows: object, grouped: object
    ) -> None:
        if request != self._latest:
            return  # a newer question is on its way
        self._answered = request
        if names is not None:
            self.chart_data_loaded.emit(names, rows, grouped)
