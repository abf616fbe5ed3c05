"""The KPI chart: the panel (metric list and plots) and the parts it is built from."""

from desktop.ui.widgets.chart.axes import DateAxis, PercentAxis, far_from_main, stack_bands
from desktop.ui.widgets.chart.panel import ChartPanel
from desktop.ui.widgets.chart.plots import ChartPlots, ChartTexts

__all__ = [
    "ChartPanel",
    "ChartPlots",
    "ChartTexts",
    "DateAxis",
    "PercentAxis",
    "far_from_main",
    "stack_bands",
]
