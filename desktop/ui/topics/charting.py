"""A charted work item joins the chart panel: one more metric, named after the item, in percent.

The chart panel shows what its presenter loads from the cache, and every reload replaces its rows. The
items charted from the Progress view are kept here and added back after each reload, until another
folder is opened. They are the reviewer's passing choice, not a metric of the folder: they are never
saved with the chosen metrics.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from desktop.core.progress import Series
from desktop.store.queries import MetricRow
from desktop.store.topics import series_metric_rows
from desktop.ui.models.chart_series import SeriesRows
from desktop.ui.presenters.chart import ChartPresenter
from desktop.ui.widgets.chart import ChartPanel


class ProgressCharting(QObject):
    def __init__(self, chart: ChartPanel, presenter: ChartPresenter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._chart, self._presenter = chart, presenter
        self._names: list[tuple[str, int]] = []  # the folder's metrics as last loaded
        self._rows: list[MetricRow] = []
        self._items: dict[str, list[MetricRow]] = {}  # charted items, in the order charted
        self._shown: set[str] = set()  # the charted items still checked in the panel
        # Connected after the panel's own slots: these run once the panel has taken the new data.
        presenter.data_loaded.connect(self._on_presenter_data_loaded)
        chart.metrics_chosen.connect(self._on_chart_metrics_chosen)

    def items(self) -> list[str]:
        return list(self._items)

    def chart(self, series: Series) -> str:
        """Chart one item's series on its own (its name in the legend); the metric's name is returned."""
        name = series.item
        self._items[name] = series_metric_rows(series)
        self._shown = {name}
        self._apply()
        self._chart.set_checked([name])
        # The item alone is charted, and stays so through a reload: that is the folder's choice now
        # (items themselves are never saved as chosen metrics).
        self._presenter.remember([n for n in self._chart.checked() if n not in self._items])
        self._title()
        return name

    def clear(self) -> None:
        """Another folder: its items are not this one's."""
        self._items.clear()
        self._shown.clear()
        self._names, self._rows = [], []
        self._chart.set_rates_title(None)

    def _title(self) -> None:
        # Only items on the chart: the top plot is named after them rather than "Success rates".
        checked = self._chart.checked()
        only_items = bool(checked) and all(name in self._items for name in checked)
        self._chart.set_rates_title(" · ".join(checked) if only_items else None)

    def _apply(self) -> None:
        extra = [row for rows in self._items.values() for row in rows]
        # Stable by date: the folder's rows keep their week order, the item's fall in between.
        rows = sorted([*self._rows, *extra], key=_date_of)
        known = {name for name, _count in self._names}
        items = [(name, len(rows_)) for name, rows_ in self._items.items() if name not in known]
        self._chart.set_rows(rows, [*items, *self._names])

    @Slot(object, object, object, object)
    def _on_presenter_data_loaded(
        self, names: list[tuple[str, int]], rows: list[MetricRow], _grouped: SeriesRows, _chosen: object
    ) -> None:
        self._names, self._rows = list(names), list(rows)
        if not self._items:
            return
        checked = self._chart.checked()
        self._apply()
        self._chart.set_checked([*checked, *sorted(self._shown)])
        self._title()

    @Slot(object)
    def _on_chart_metrics_chosen(self, names: list[str]) -> None:
        if not self._items:
            return
        self._shown = {name for name in names if name in self._items}
        self._title()
        # The chart's presenter has saved the choice just now: without the items, which are not metrics.
        self._presenter.remember([name for name in names if name not in self._items])


def _date_of(row: MetricRow) -> str:
    return row.date
