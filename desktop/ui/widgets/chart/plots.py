"""The chart panel's plots: success rates above, availability and incidents below, then one plot for
each other metric charted (a score, a number of questions, an amount), its unit on its axis.

Each plot has a second y axis on the right, on an overlay ViewBox (pyqtgraph's recipe): on the rates plot
for a rate far from the others (see axes.far_from_main), in a band of its own below (or above)
them so that 99.2 does not flatten the 99.99x lines; on the lower plot for incident counts. The panel
hands over the series to show; this widget places them, fits the ranges and keeps the legends, the
target lines and the empty state's message in step. The plots keep a readable height and sit in a
column that scrolls when the panel is short (a docked panel open on a small screen); a legend adds
to its plot's height instead of taking it from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Slot
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

# isort: split
# pyqtgraph picks its Qt binding when first imported: PySide6 must be loaded before it.
import pyqtgraph as pg

from desktop.ui.widgets.chart.axes import (
    DAY,
    DateAxis,
    OverlayView,
    PercentAxis,
    ValueAxis,
    far_from_main,
    stack_bands,
)
from desktop.ui.widgets.chart.items import (
    ASIDE,
    LEFT,
    RATES,
    RIGHT,
    Series,
    TargetLines,
    new_item,
    new_series,
    place_rank,
    plot_of,
    set_points,
    y_ranges,
)
from desktop.ui.widgets.chart.pointer import ChartPointer

_GRID = 38  # grid line alpha, of 255
_AXIS_WIDTH = 68  # equal axis widths keep the x-linked plots' dates in line
# A plot's least height without its legend: title, date axis and a data area of about 190 px, enough
# for several ticks whose labels do not overlap.
PLOT_MIN_HEIGHT = 260
# Curves made ahead, one per idle turn once the chart is first shown: a first chart of seven series
# spent 10 of its 25 ms making them, in the turn that also lays out and fits the plots.
SPARE_CURVES = {RATES: 6, LEFT: 3, RIGHT: 3}


@dataclass(frozen=True, slots=True)
class ChartTexts:
    """The plots' words, translated by the panel (so the .ts file keeps them under ChartPanel)."""

    rates_title: str
    stability_title: str  # availability and incidents on one plot
    availability_title: str
    incidents_title: str
    incidents_axis: str  # the incident counts' unit, on their axis
    target: str  # "target %1", %1 the value and its unit
    right_axis: str  # "%1 (right axis)", %1 a series' name in the legend


@dataclass(frozen=True, slots=True)
class _Scheme:
    background: str
    foreground: str
    axis: str
    muted: str
    legend: tuple[int, int, int, int]


_LIGHT = _Scheme("#ffffff", "#202124", "#70757a", "#9aa0a6", (255, 255, 255, 210))
_DARK = _Scheme("#1e1f22", "#e8eaed", "#9aa0a6", "#80868b", (30, 31, 34, 210))


class ChartPlots(QWidget):
    """The plots, one above the other; the panel's splitter holds this widget above its metric list."""

    def __init__(self, texts: ChartTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.shown: list[Series] = []
        self.user_ranged = False  # the user zoomed or panned: updates keep the view
        self.has_targets = False  # a shown rate has a target line, shown or not
        self.by_sequence = False  # x is the reports' issue number, not their date (see SeriesRows.axis)
        self._series: list[Series] = []
        self._scheme = _LIGHT
        self._colour_next: dict[str, int] = {}  # per plot, so each plot's series differ from each other
        self._stability_places: set[str] = {LEFT, RIGHT}  # what the lower plot shows: its title says
        self._own_titles: dict[str, str] = {}  # own place -> the metric's name
        self._aside_colour: str | None = None  # of the rates plot's right axis: its one series' colour
        # The legends are drawn a turn of the event loop after their series: a label costs about a
        # millisecond, and with the curves in the same turn a first chart of 28 series held the window
        # for 100 ms. legend_names() draws what is pending first.
        self._legend_timer = QTimer(self)
        self._legend_timer.setSingleShot(True)
        self._legend_timer.setInterval(0)
        self._legend_timer.timeout.connect(self._on_legend_timer_timeout)
        self._spare: dict[tuple[str, int], Any] = {}  # (place, n) -> new_item(place, n), hidden in its view
        self._spare_todo = [(place, n) for place, count in SPARE_CURVES.items() for n in range(count)]
        self._spare_timer = QTimer(self)
        self._spare_timer.setInterval(0)
        self._spare_timer.timeout.connect(self._on_spare_timer_timeout)
        self._build()
        self.set_dark(False)

    def _build(self) -> None:
        self.rates, self.stability = (
            pg.PlotWidget(self, axisItems={"bottom": DateAxis(), "left": PercentAxis("left"), "right": right})
            for right in (PercentAxis("right"), ValueAxis("right"))  # plot 2's right: incident counts
        )
        self.column = QWidget(self)  # the plots, one above the other: what scrolls, and what is exported
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.column)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        self._column_layout = layout = QVBoxLayout(self.column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        p1, p2 = self.rates.getPlotItem(), self.stability.getPlotItem()
        # pyqtgraph's recipe for a second y axis: a ViewBox over the plot's own area, linked on x. It
        # is the plot's child, stacked between the axes and the plot's own view: its curves lie over
        # the grid (see _set_up) and the mouse still reaches the plot's view first.
        self._aside_view, self._counts_view = OverlayView(), OverlayView()
        for widget, overlay in ((self.rates, self._aside_view), (self.stability, self._counts_view)):
            layout.addWidget(widget, 1)  # the plots share the panel's height: no empty band below them
            plot = self._set_up(widget)
            overlay.setParentItem(plot)
            overlay.setZValue(plot.vb.zValue() - 1)
            plot.getAxis("right").linkToView(overlay)
            overlay.setXLink(plot)
            overlay.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        p1.getAxis("right").setGrid(False)  # its ticks are the far rate's: the grid follows the left axis
        p1.vb.sigResized.connect(self._on_rates_view_resized)
        p2.vb.sigResized.connect(self._on_stability_view_resized)
        p2.setXLink(p1)

        self._views = {RATES: p1.vb, ASIDE: self._aside_view, LEFT: p2.vb, RIGHT: self._counts_view}
        self.widgets: dict[str, Any] = {RATES: self.rates, LEFT: self.stability}  # plot -> pg.PlotWidget
        self.legends: dict[str, Any] = {}  # plot -> its pg.LegendItem
        self._legend_items: dict[str, list[tuple[Series, str]]] = {}
        for place in (RATES, LEFT):
            self._add_legend(place)
        self.targets = TargetLines(self._views, self._texts.target, self._scheme.muted)
        self.pointer = ChartPointer(self._views, self)
        for widget in (self.rates, self.stability):
            self.pointer.watch_plot(widget)
        self._message = pg.TextItem(anchor=(0.5, 0.5))
        font = QFont()
        font.setPointSize(11)
        self._message.setFont(font)
        p1.vb.addItem(self._message, ignoreBounds=True)

    def _set_up(self, widget: Any) -> Any:
        widget.setMinimumHeight(PLOT_MIN_HEIGHT)
        plot = widget.getPlotItem()
        plot.hideButtons()  # pyqtgraph's auto-range would fight the linked views; see Reset zoom
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, y=True, alpha=_GRID / 255)
        plot.showAxis("right")
        for side in ("left", "right"):
            plot.getAxis(side).setWidth(_AXIS_WIDTH)
        for side in ("left", "bottom", "right"):
            # Under the views (the plot's own and an overlay, at vb.zValue() - 1): the solid grid
            # lines (see SolidGrid) never cross a curve.
            plot.getAxis(side).setZValue(plot.vb.zValue() - 2)
        plot.vb.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        return plot

    def _add_legend(self, place: str) -> None:
        # Below the date axis rather than floating over the view, so it never hides a point.
        legend = pg.LegendItem(colCount=2, frame=False)
        self.widgets[place].getPlotItem().layout.addItem(legend, 4, 0, 1, 3)  # full width: see _fit_legend
        self.legends[place] = legend
        self._legend_items[place] = []

    def _own_plot(self, place: str, title: str, unit: str) -> None:
        """The plot of one metric that is neither a rate nor an incident count, made when first shown."""
        bottom = DateAxis()
        bottom.set_by_sequence(self.by_sequence)
        axes = {"bottom": bottom, "left": ValueAxis("left"), "right": ValueAxis("right")}
        widget = pg.PlotWidget(self.column, axisItems=axes)
        plot = self._set_up(widget)
        plot.getAxis("right").setStyle(showValues=False, tickLength=0)  # its width keeps the dates in line
        plot.setXLink(self.rates.getPlotItem())
        if unit:
            plot.setLabel("left", unit)
        self._column_layout.addWidget(widget, 1)
        self.widgets[place] = widget
        self._views[place] = plot.vb
        self._own_titles[place] = title
        self._add_legend(place)
        self.pointer.watch_plot(widget)
        self.pointer.add_view(place, plot.vb)
        plot.vb.sigResized.connect(self._on_own_view_resized)
        widget.hide()
        self._style(widget)

    def plot_widgets(self) -> list[Any]:
        """The plots shown, top first (for tests and the export), legends drawn."""
        self.flush_legends()
        return [w for w in self.widgets.values() if not w.isHidden()]

    # --- the panel's calls --------------------------------------------------------------------------

    def set_texts(self, texts: ChartTexts) -> None:
        """The words in a new language; the legends follow on the next show."""
        self._texts = texts
        self._set_titles()
        self.targets.set_text(texts.target)
        for plot in self._legend_items:
            self._legend_items[plot] = []  # rebuilt with the new "(right axis)" suffix

    def set_by_sequence(self, by_sequence: bool) -> None:
        """Chart by issue number (a folder of undated issues) or by date, on every plot's x axis."""
        self.by_sequence = by_sequence
        for widget in self.widgets.values():
            widget.getPlotItem().getAxis("bottom").set_by_sequence(by_sequence)

    def add_series(
        self,
        metric: str,
        team: str | None,
        place: str,
        target: float | None,
        unit: str = "",
        higher_is_better: bool | None = None,
    ) -> Series:
        plot = plot_of(place)
        if plot not in self.widgets:
            self._own_plot(plot, metric, unit)
        n = self._colour_next.get(plot, 0)
        item = self._spare.pop((place, n), None)
        if item is not None:
            item.setVisible(True)
        for other in [key for key in self._spare if key[1] == n and plot_of(key[0]) == plot]:
            self._views[other[0]].removeItem(self._spare.pop(other))  # the other axis's: now unused
        series = new_series(metric, team, place, target, n, self._views[place], higher_is_better, item)
        self._colour_next[plot] = n + 1
        self._series.append(series)
        self.pointer.watch(series)
        return series

    def show_series(self, shown: list[Series], message: str | None, *, targets: bool) -> None:
        """Draw these series (in this order within each axis) and hide the rest; with none, the message."""
        self._split_rates(shown)
        shown.sort(key=lambda s: place_rank(s.place))  # stable: in the list's order within each axis
        self.shown = shown
        self.pointer.set_shown(shown)
        for series in self._series:
            if series not in shown:
                series.item.setVisible(False)
        self.has_targets = self.targets.update(shown, targets)
        self._update_layout(shown, message)
        if not self.user_ranged:
            self._fit_ranges(shown)
        for series in shown:
            if series.stale:
                set_points(series)
                series.stale = False
            series.item.setVisible(True)
        self._legend_timer.start()  # the legends of self.shown, a turn later

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._spare_todo:
            self._spare_timer.start()

    @Slot()
    def _on_spare_timer_timeout(self) -> None:
        while self._spare_todo:
            place, n = self._spare_todo.pop(0)
            if n >= self._colour_next.get(plot_of(place), 0):  # else that colour is taken
                item = new_item(place, n)
                item.setVisible(False)
                self._views[place].addItem(item, ignoreBounds=True)
                self._spare[place, n] = item
                return  # one a turn: the window stays free in between
        self._spare_timer.stop()

    @Slot()
    def _on_legend_timer_timeout(self) -> None:
        self._update_legends(self.shown)
        self._settle_layouts()

    def _settle_layouts(self) -> None:
        """Run the window's pending layout requests now, so the plots are painted laid out.

        A legend that grew resizes its plot (and the column, through its minimum height), whose parts
        then resize in turn, each a turn later: the window painted half-laid-out plots six times in a
        row (62 ms at 1560x940); now once, and twice more in small parts.
        """
        if not self.isVisible():
            return
        for _pass in range(4):  # each pass delivers only what was posted before it began
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)

    def flush_legends(self) -> None:
        """Draw the legends of the series last shown, if that is still to do."""
        if self._legend_timer.isActive():
            self._legend_timer.stop()
            self._update_legends(self.shown)

    def legend_names(self) -> list[str]:
        self.flush_legends()
        return [s.name for plot in self.widgets for s, _place in self._legend_items[plot]]

    def message(self) -> str | None:
        return str(self._message.textItem.toPlainText()) if self._message.isVisible() else None

    def set_dark(self, dark: bool) -> None:
        self._scheme = scheme = _DARK if dark else _LIGHT
        self._set_titles()
        for widget in self.widgets.values():
            self._style(widget)
        for legend in self.legends.values():
            legend.setBrush(pg.mkBrush(scheme.legend))
            legend.setPen(pg.mkPen(scheme.axis))
            legend.setLabelTextColor(scheme.foreground)
            for _sample, label in legend.items:
                label.setText(label.text)  # setLabelTextColor only stores the colour: render again
        self.pointer.set_colours(scheme.foreground, scheme.legend, scheme.axis)
        self._message.setColor(scheme.muted)
        self.targets.set_colour(scheme.muted)
        self._style_aside_axis()

    def _style(self, widget: Any) -> None:
        scheme = self._scheme
        widget.setBackground(scheme.background)
        plot = widget.getPlotItem()
        for side in ("left", "bottom", "right"):
            axis = plot.getAxis(side)
            axis.set_background(QColor(scheme.background))
            axis.setPen(scheme.axis)
            axis.setTextPen(scheme.foreground)
            if axis.label.isVisible():
                axis.setLabel(axis.labelText, units=axis.labelUnits, color=scheme.foreground)
        if widget not in (self.rates, self.stability):
            place = next(p for p, w in self.widgets.items() if w is widget)
            plot.setTitle(self._own_titles[place], color=scheme.foreground, size="10pt")

    def background_color(self) -> QColor:
        return QColor(self.rates.backgroundBrush().color())

    # --- drawing ------------------------------------------------------------------------------------

    def _set_titles(self) -> None:
        texts, shown = self._texts, self._stability_places
        lower = texts.availability_title if shown == {LEFT} else texts.incidents_title
        titles = (
            (self.rates, texts.rates_title),
            (self.stability, texts.stability_title if len(shown) != 1 else lower),
        )
        self.stability.getPlotItem().getAxis("right").setLabel(
            self._texts.incidents_axis, color=self._scheme.foreground
        )
        for widget, title in titles:
            widget.getPlotItem().setTitle(title, color=self._scheme.foreground, size="10pt")
        # setTitle shows the title; the empty state's message replaces the top one (see _update_layout).
        self.rates.getPlotItem().titleLabel.setVisible(not self._message.isVisible())

    def _split_rates(self, shown: list[Series]) -> None:
        """Move a rate far from the plot's main series to the right-hand axis, and back when it is not."""
        rates = [s for s in shown if s.place in (RATES, ASIDE)]
        far = far_from_main({s: s.y for s in rates})
        for series in rates:
            place = ASIDE if series in far else RATES
            if place != series.place:  # reparented within the scene: removeItem would take it out
                series.place, series.view = place, self._views[place]
                series.view.addItem(series.item, ignoreBounds=True)

    def _fit_ranges(self, shown: list[Series]) -> None:
        """Fit x to every shown point, and each y axis to its own values (never 0..100 for 99.9x)."""
        if not shown:
            return
        xs = np.concatenate([s.x for s in shown])
        lo, hi = float(xs.min()), float(xs.max())
        pad = max((hi - lo) * 0.04, 0.5 if self.by_sequence else 3 * DAY)
        # x-linked views line up by pixels, which is wrong while a layout change is pending (axes just
        # shown, a legend grown): each view gets the range itself, and _follow_resize fits them again.
        views = list(self._views.values())
        for view in views:
            view.blockLink(True)
        try:
            for view in views:
                view.setXRange(lo - pad, hi + pad, padding=0)
        finally:
            for view in views:
                view.blockLink(False)
        ranges = y_ranges(shown, self.targets.by_place())
        rates = self.rates.getPlotItem()
        bands = (ranges[RATES], ranges[ASIDE]) if RATES in ranges and ASIDE in ranges else (None, None)
        for side, band in zip(("left", "right"), bands, strict=True):
            rates.getAxis(side).set_band(band)
        if bands[0] is not None and bands[1] is not None:
            ranges[RATES], ranges[ASIDE] = stack_bands(bands[0], bands[1])
        for place, (lo, hi) in ranges.items():
            self._views[place].setYRange(lo, hi, padding=0)

    def _update_legends(self, shown: list[Series]) -> None:
        for plot, legend in self.legends.items():
            entries = [(s, s.place) for s in shown if plot_of(s.place) == plot]
            if entries == self._legend_items[plot]:
                continue
            legend.clear()
            for series, place in entries:
                name = series.name if place != ASIDE else self._texts.right_axis.replace("%1", series.name)
                legend.addItem(series.item, name)
            self._legend_items[plot] = entries
            self._fit_legend(plot, force=True)

    def _fit_legend(self, plot: str, *, force: bool = False) -> None:
        """Two columns when they fit across the plot, else one: a wider legend would widen the plot's
        layout past the panel's edge, cutting off the right axis and misaligning the two plots' dates."""
        legend = self.legends[plot]
        widget = self.widgets[plot]
        widest = max((label.minimumWidth() for _sample, label in legend.items), default=0.0)
        columns = 2 if 2 * (widest + 40) <= widget.width() else 1
        if columns == legend.columnCount and not force:
            return
        legend.setColumnCount(columns)
        legend.updateSize()
        height = sum(max(label.minimumHeight(), 20.0) for _sample, label in legend.items[::columns])
        widget.getPlotItem().layout.setRowFixedHeight(4, height)
        widget.setMinimumHeight(PLOT_MIN_HEIGHT + int(height))  # the legend adds height, takes none

    def _update_layout(self, shown: list[Series], message: str | None) -> None:
        """Hide a plot with nothing on it; with a message (nothing to show), the top plot carries it."""
        places = {s.place for s in shown}
        has_rates, has_stability = RATES in places, bool(places & {LEFT, RIGHT})
        p1, p2 = self.rates.getPlotItem(), self.stability.getPlotItem()
        self._message.setVisible(message is not None)
        if message is not None:
            self.user_ranged = False  # the next data gets fitted, whatever the last zoom was
            self._message.setText(message)
            p1.vb.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            self._message.setPos(0.5, 0.5)
        for side in ("left", "bottom", "right"):
            p1.getAxis(side).setVisible(message is None)
        p1.titleLabel.setVisible(message is None)
        self.rates.setVisible(has_rates or message is not None)
        self.stability.setVisible(has_stability)
        for place, widget in self.widgets.items():
            if place not in (RATES, LEFT):
                widget.setVisible(place in places)
        self._stability_places = {LEFT, RIGHT} & places
        self._set_titles()
        for plot, side, used in (
            (p1, "right", ASIDE in places),
            (p2, "left", LEFT in places),
            (p2, "right", RIGHT in places),
        ):
            plot.getAxis(side).setStyle(showValues=used, tickLength=-5 if used else 0)
        # Grid lines follow the axis that has values, so they meet its ticks.
        p2.getAxis("left").setGrid(_GRID if LEFT in places or not places else False)
        p2.getAxis("right").setGrid(False if LEFT in places or not places else _GRID)
        # The rates plot's right axis takes the colour of its one series; of none or several, the scheme's.
        colours = {s.item.opts["pen"].color().name() for s in shown if s.place == ASIDE}
        self._aside_colour = colours.pop() if len(colours) == 1 else None
        self._style_aside_axis()

    def _style_aside_axis(self) -> None:
        axis = self.rates.getPlotItem().getAxis("right")
        colour = self._aside_colour
        axis.setPen(colour or self._scheme.axis)
        axis.setTextPen(colour or self._scheme.foreground)

    def _follow_resize(self, main: Any, overlay: Any | None) -> None:
        self._fit_legend(next(p for p in self.widgets if self._views[p] is main))
        if overlay is not None:
            overlay.setGeometry(main.geometry())  # both are the plot's children
            overlay.linkedViewChanged(main, overlay.XAxis)
        if self.shown and not self.user_ranged:
            # The layout settled after the fit (axes shown, a legend grown): fit to the views' new size.
            self._fit_ranges(self.shown)

    @Slot()
    def _on_rates_view_resized(self) -> None:
        self._follow_resize(self.rates.getPlotItem().vb, self._aside_view)

    @Slot()
    def _on_stability_view_resized(self) -> None:
        self._follow_resize(self.stability.getPlotItem().vb, self._counts_view)

    @Slot()
    def _on_own_view_resized(self) -> None:
        view = self.sender()
        if view is not None:
            self._follow_resize(view, None)

    @Slot(object)
    def _on_view_range_changed_manually(self, _mask: object) -> None:
        self.user_ranged = True
