"""The KPI chart on the right of the main window: success rates above, availability and incidents below.

Each (metric, team) gets one PlotDataItem the first time it is shown; later updates only call setData
and toggle visibility. Below the plots, a searchable check list picks which metrics are shown.
A rate far from the others (see _chart_axes.far_from_main) moves to the rates plot's right-hand axis,
in a band of its own below (or above) them, so that 99.2 does not flatten the 99.99x lines.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# isort: split
# pyqtgraph picks its Qt binding when first imported: PySide6 must be loaded before it.
import pyqtgraph as pg

from desktop.core.aliases import AliasTable
from desktop.store.queries import MetricRow
from desktop.ui.models.metric_list import MetricFilterModel, MetricListModel
from desktop.ui.widgets._chart_axes import (
    DAY,
    DateAxis,
    OverlayView,
    PercentAxis,
    far_from_main,
    stack_bands,
)

# Where a series is drawn: plot 1's left axis, and its right axis for a rate far below (or above) the
# others (see far_from_main); plot 2's left (%) and right (counts) axes.
RATES, ASIDE, LEFT, RIGHT = "rates", "aside", "left", "right"
# Tableau 10: tells series apart on a light and on a dark background alike.
_COLOURS = (
    "#4e79a7",
    "#e15759",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
_SYMBOLS = ("o", "s", "t", "d", "h", "star", "p", "t1")
_HOVER_PX = 12  # how near (in pixels) the mouse must be to a point for its tooltip
DENSE_POINTS = 400  # from this many points on, a series is drawn as a line without symbols
_GRID = 38  # grid line alpha, of 255
_AXIS_WIDTH = 68  # equal axis widths keep the two x-linked plots' dates in line


@dataclass(frozen=True, slots=True)
class _Scheme:
    background: str
    foreground: str
    axis: str
    muted: str
    legend: tuple[int, int, int, int]


_LIGHT = _Scheme("#ffffff", "#202124", "#70757a", "#9aa0a6", (255, 255, 255, 210))
_DARK = _Scheme("#1e1f22", "#e8eaed", "#9aa0a6", "#80868b", (30, 31, 34, 210))


def _number(value: float) -> str:
    return f"{value:.10g}"  # as written: 99.997 stays 99.997, 100.0 becomes 100


def _noon_utc(date: str) -> float:
    day = dt.date.fromisoformat(date[:10])
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()


@dataclass(eq=False)
class _Series:
    metric: str
    team: str | None
    place: str
    item: Any  # pg.PlotDataItem
    view: Any  # the pg.ViewBox holding it
    rows: list[MetricRow] = field(default_factory=list)
    x: np.ndarray = field(default_factory=lambda: np.empty(0))
    y: np.ndarray = field(default_factory=lambda: np.empty(0))
    stale: bool = True  # rows changed since the last setData
    symbol: str = "o"
    dense: bool = False  # drawn as a bare line (see _set_points)

    @property
    def name(self) -> str:
        return self.metric if self.team is None else f"{self.metric} · {self.team}"


class ChartPanel(QWidget):
    metrics_chosen = Signal(list)  # the checked metric names, after the user changed them
    point_clicked = Signal(str, int)  # report path, section index or -1

    def __init__(self, aliases: AliasTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._aliases = aliases
        self._rows: list[MetricRow] = []
        self._groups: dict[tuple[str, str | None], list[MetricRow]] = {}
        self._any_metrics = False  # the folder has metrics, charted or not
        self._series: dict[tuple[str, str | None], _Series] = {}
        self._by_item: dict[int, _Series] = {}
        self._wanted: set[str] | None = None  # None until someone chooses: the defaults apply
        self._targets: dict[float, Any] = {}  # value -> pg.InfiniteLine
        self._target_places: dict[float, str] = {}  # value -> RATES or ASIDE: the view it is drawn in
        self._target_visible = True
        self._targets_on: set[float] = set()
        self._shown: list[_Series] = []
        self._user_ranged = False  # the user zoomed or panned: updates keep the view
        self._scheme = _LIGHT
        self._stamps: dict[str, float] = {}
        self._colour_next = {RATES: 0, LEFT: 0}  # per plot, so each plot's series differ from each other
        self._aside_colour: str | None = None  # of the rates plot's right axis: its one series' colour
        self._target_units: dict[float, str] = {}  # value -> unit, for the target line's label

        self.metric_model = MetricListModel(aliases, self)
        self._proxy = MetricFilterModel(self.metric_model, self)
        self._build_plots()
        self._build_picker()
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._plots_container)
        splitter.addWidget(self._picker)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.metric_model.checked_changed.connect(self._on_metric_model_checked_changed)
        self._retranslate_picker()
        self.set_dark(False)
        self._refresh()

    def retranslate(self) -> None:
        """Every text of the panel in the interface language; metric names stay as the reports write them."""
        self._retranslate_picker()
        self._set_titles()
        for value, line in self._targets.items():
            text = self._target_text(value)
            line.label.format = text.replace("{", "{{").replace("}", "}}")  # pyqtgraph formats it
            line.label.setText(text)  # setFormat alone skips a hidden line's label
        for plot in self._legend_items:
            self._legend_items[plot] = []  # rebuilt with the new "(right axis)" suffix
        self._refresh()  # the empty-state message and the legends

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _retranslate_picker(self) -> None:
        self._search.setPlaceholderText(self.tr("Filter metrics…"))
        self._target_box.setText(self.tr("Target"))
        self._target_box.setToolTip(self.tr("Show the target of the charted rates as a dashed line"))
        self._reset_button.setText(self.tr("Reset zoom"))

    def _set_titles(self) -> None:
        titles = (
            (self._rates, self.tr("Success rates")),
            (self._stability, self.tr("Availability & incidents")),
        )
        for widget, title in titles:
            widget.getPlotItem().setTitle(title, color=self._scheme.foreground, size="10pt")
        # setTitle shows the title; the empty state's message replaces the top one (see _update_layout).
        self._rates.getPlotItem().titleLabel.setVisible(not self._message.isVisible())

    def _target_text(self, value: float) -> str:
        return self.tr("target %1").replace("%1", f"{_number(value)}{self._target_units.get(value, '')}")

    # --- construction -------------------------------------------------------------------------------

    def _build_plots(self) -> None:
        self._plots_container = QWidget(self)
        self._rates, self._stability = (
            pg.PlotWidget(
                self._plots_container,
                axisItems={"bottom": DateAxis(), "left": PercentAxis("left"), "right": right},
            )
            for right in (PercentAxis("right"), pg.AxisItem("right"))  # plot 2's right: incident counts
        )
        layout = QVBoxLayout(self._plots_container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        p1, p2 = self._rates.getPlotItem(), self._stability.getPlotItem()
        # pyqtgraph's recipe for a second y axis: a ViewBox over the plot's own area, linked on x.
        self._aside_view, self._counts_view = OverlayView(), OverlayView()
        for widget, overlay in ((self._rates, self._aside_view), (self._stability, self._counts_view)):
            widget.setMinimumHeight(150)
            widget.installEventFilter(self)
            layout.addWidget(widget)
            plot = widget.getPlotItem()
            plot.hideButtons()  # pyqtgraph's auto-range would fight the linked views; see Reset zoom
            plot.setMenuEnabled(False)
            plot.showGrid(x=True, y=True, alpha=_GRID / 255)
            plot.showAxis("right")
            for side in ("left", "right"):
                plot.getAxis(side).setWidth(_AXIS_WIDTH)
            plot.scene().addItem(overlay)
            plot.getAxis("right").linkToView(overlay)
            overlay.setXLink(plot)
            for view in (plot.vb, overlay):
                view.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        p1.getAxis("right").setGrid(False)  # its ticks are the far rate's: the grid follows the left axis
        p1.vb.sigResized.connect(self._on_rates_view_resized)
        p2.vb.sigResized.connect(self._on_stability_view_resized)
        p2.setXLink(p1)

        self._views = {RATES: p1.vb, ASIDE: self._aside_view, LEFT: p2.vb, RIGHT: self._counts_view}
        self._legends = {}
        for place, plot in ((RATES, p1), (LEFT, p2)):
            # Below the date axis rather than floating over the view, so it never hides a point.
            legend = pg.LegendItem(colCount=2, frame=False)
            plot.layout.addItem(legend, 4, 0, 1, 3)  # the plot's full width: see _fit_legend
            self._legends[place] = legend
        self._legend_items: dict[str, list[tuple[_Series, str]]] = {RATES: [], LEFT: []}
        self._hover_labels = {}
        for place, view in self._views.items():
            label = pg.TextItem(anchor=(0, 1))
            label.setZValue(100)
            label.hide()
            view.addItem(label, ignoreBounds=True)
            self._hover_labels[place] = label
        self._message = pg.TextItem(anchor=(0.5, 0.5))
        font = QFont()
        font.setPointSize(11)
        self._message.setFont(font)
        p1.vb.addItem(self._message, ignoreBounds=True)
        p1.scene().sigMouseMoved.connect(self._on_rates_scene_mouse_moved)
        p2.scene().sigMouseMoved.connect(self._on_stability_scene_mouse_moved)

    def _build_picker(self) -> None:
        self._picker = QWidget(self)
        self._search = QLineEdit(self._picker)
        self._search.setClearButtonEnabled(True)
        self._search.textChanged.connect(self._on_search_text_changed)
        self._target_box = QCheckBox(self._picker)
        self._target_box.setChecked(True)
        self._target_box.toggled.connect(self._on_target_box_toggled)
        self._reset_button = QToolButton(self._picker)
        self._reset_button.clicked.connect(self._on_reset_button_clicked)
        self._list = QListView(self._picker)
        self._list.setModel(self._proxy)
        self._list.setUniformItemSizes(True)
        top = QHBoxLayout()
        top.addWidget(self._search, 1)
        top.addWidget(self._target_box)
        top.addWidget(self._reset_button)
        layout = QVBoxLayout(self._picker)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(top)
        layout.addWidget(self._list)

    # --- public API ---------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[MetricRow], names: Sequence[tuple[str, int]] | None = None) -> None:
        """The folder's metric rows in week order; called again on every index update.

        names lists every metric of the folder with its number of reports, for when rows hold only the
        charted metrics' values; without it, the list is made from rows.
        """
        self._rows = list(rows)
        groups: dict[tuple[str, str | None], list[MetricRow]] = {}
        reports: dict[str, set[str]] = {}
        for row in self._rows:
            if self._stamp(row.date) is None:
                continue  # a date we cannot place on the time axis
            groups.setdefault((row.metric, row.team), []).append(row)
            reports.setdefault(row.metric, set()).add(row.report)
        self._groups = groups
        if names is None:
            names = [(n, len(reports[n])) for n in sorted(reports, key=lambda n: (-len(reports[n]), n))]
        self._any_metrics = bool(names)
        present = {name for name, _count in names}
        wanted = set(self._aliases.charted_by_default()) if self._wanted is None else self._wanted
        self.metric_model.set_metrics(list(names), wanted & present)
        self.metric_model.set_checked(wanted & present)
        for series in self._series.values():
            series.stale = True
        self._refresh()

    def set_checked(self, names: Sequence[str]) -> None:
        """Choose the shown metrics (e.g. restored from settings); kept for names that come later."""
        if set(names) == self._wanted:
            return  # the window restores the same choice on every index update: keep the user's zoom
        self._wanted = set(names)
        self.metric_model.set_checked(self._wanted)
        self._user_ranged = False
        self._refresh()

    def checked(self) -> list[str]:
        return self.metric_model.checked()

    def series(self, metric: str, team: str | None = None) -> Any:
        """The shown PlotDataItem of (metric, team), or None when it is not on the chart."""
        series = self._series.get((metric, team))
        return series.item if series is not None and series in self._shown else None

    def hover_text_at(self, metric: str, index: int, team: str | None = None) -> str:
        row = self._groups[(metric, team)][index]
        name = metric if team is None else f"{metric} · {team}"
        when = " · ".join(dict.fromkeys(p for p in (row.label, row.date) if p))
        return f"{name} {_number(row.value)}{row.unit}\n{when}"

    def click_point(self, metric: str, index: int, team: str | None = None) -> None:
        """Click the index-th point of a shown series, through the same slot a mouse click reaches."""
        series = self._series.get((metric, team))
        if series is None or series not in self._shown:
            raise KeyError(f"{metric} ({team}) is not on the chart")
        x, y = series.x[index], series.y[index]
        spots = [p for p in series.item.scatter.points() if p.pos().x() == x and p.pos().y() == y]
        if spots:
            self._on_series_points_clicked(series.item, spots, None)
        else:  # thinned out of the display by downsampling: the row is still there
            self._emit_click(series.rows[index])

    def set_target_visible(self, visible: bool) -> None:
        self._target_visible = visible
        if self._target_box.isChecked() != visible:
            self._target_box.setChecked(visible)
        self._refresh()

    def visible_targets(self) -> list[float]:
        return sorted(self._targets_on)

    def legend_names(self) -> list[str]:
        """The names in the legends, top plot first (for tests)."""
        return [s.name for plot in (RATES, LEFT) for s, _place in self._legend_items[plot]]

    def message(self) -> str | None:
        """The text shown instead of the plots (no KPIs, nothing checked), or None."""
        return str(self._message.textItem.toPlainText()) if self._message.isVisible() else None

    def export_png(self, path: Path) -> None:
        if not self._plots_container.grab().save(str(path), "PNG"):
            raise OSError(self.tr("the image could not be saved"))  # the window names the file

    def export_csv(self, path: Path) -> None:
        shown = set(self.checked())
        with path.open("w", encoding="utf-8-sig", newline="") as handle:  # the BOM makes Excel read UTF-8
            writer = csv.writer(handle)
            writer.writerow(["report", "label", "date", "team", "metric", "value", "unit", "section", "line"])
            for r in self._rows:
                if r.metric in shown:
                    label, team, section = r.label or "", r.team or "", r.section or ""
                    writer.writerow(
                        [r.report, label, r.date, team, r.metric, _number(r.value), r.unit, section, r.line]
                    )

    def set_dark(self, dark: bool) -> None:
        self._scheme = scheme = _DARK if dark else _LIGHT
        self._set_titles()
        for widget in (self._rates, self._stability):
            widget.setBackground(scheme.background)
            plot = widget.getPlotItem()
            for side in ("left", "bottom", "right"):
                axis = plot.getAxis(side)
                axis.setPen(scheme.axis)
                axis.setTextPen(scheme.foreground)
        for legend in self._legends.values():
            legend.setBrush(pg.mkBrush(scheme.legend))
            legend.setPen(pg.mkPen(scheme.axis))
            legend.setLabelTextColor(scheme.foreground)
            for _sample, label in legend.items:
                label.setText(label.text)  # setLabelTextColor only stores the colour: render again
        for label in self._hover_labels.values():
            label.setColor(scheme.foreground)
            label.fill = pg.mkBrush(scheme.legend)
            label.border = pg.mkPen(scheme.axis)
        self._message.setColor(scheme.muted)
        for line in self._targets.values():
            line.setPen(self._target_pen())
            line.label.setColor(scheme.muted)
        self._style_aside_axis()

    def background_color(self) -> QColor:
        return QColor(self._rates.backgroundBrush().color())

    # --- drawing ------------------------------------------------------------------------------------

    def _stamp(self, date: str) -> float | None:
        stamp = self._stamps.get(date)
        if stamp is None:
            try:
                stamp = self._stamps[date] = _noon_utc(date)
            except ValueError:
                return None
        return stamp

    def _place(self, metric: str, rows: list[MetricRow]) -> str:
        info = self._aliases.info(metric)
        unit = info.unit if info is not None and info.unit is not None else rows[0].unit
        if info is not None and info.chart == "rates":
            return RATES
        if info is not None and info.chart == "stability":
            return LEFT if unit == "%" else RIGHT
        return RATES if unit == "%" else RIGHT

    def _make_series(self, key: tuple[str, str | None], rows: list[MetricRow]) -> _Series:
        place = self._place(key[0], rows)
        plot = RATES if place == RATES else LEFT
        n = self._colour_next[plot]
        self._colour_next[plot] += 1
        colour = _COLOURS[n % len(_COLOURS)]
        item = pg.PlotDataItem(
            pen=pg.mkPen(colour, width=2),
            symbol=_SYMBOLS[n % len(_SYMBOLS)],
            symbolSize=7,
            symbolBrush=colour,
            symbolPen=pg.mkPen(colour),
            clipToView=True,
            autoDownsample=True,
            downsampleMethod="peak",
            # Counts hold until the next report, so they are drawn as steps.
            stepMode="right" if place == RIGHT else None,
        )
        item.sigPointsClicked.connect(self._on_series_points_clicked)
        item.sigClicked.connect(self._on_series_curve_clicked)
        self._views[place].addItem(item, ignoreBounds=True)  # _fit_ranges sets every range, not pyqtgraph
        series = _Series(key[0], key[1], place, item, self._views[place], symbol=_SYMBOLS[n % len(_SYMBOLS)])
        self._series[key] = series
        self._by_item[id(item)] = series
        return series

    def _refresh(self) -> None:
        checked = self.metric_model.checked()
        rank = {name: i for i, name in enumerate(checked)}
        keys = sorted((k for k in self._groups if k[0] in rank), key=lambda k: (rank[k[0]], k[1] or ""))
        shown: list[_Series] = []
        for key in keys:
            series = self._series.get(key) or self._make_series(key, self._groups[key])
            if series.stale:
                series.rows = self._groups[key]
                series.x = np.fromiter((self._stamps[r.date] for r in series.rows), float, len(series.rows))
                series.y = np.fromiter((r.value for r in series.rows), float, len(series.rows))
            shown.append(series)
        self._split_rates(shown)
        places = (RATES, ASIDE, LEFT, RIGHT)
        shown.sort(key=lambda s: places.index(s.place))  # stable: in the list's order within each axis
        self._shown = shown
        for series in self._series.values():
            if series not in shown:
                series.item.setVisible(False)
        self._update_targets(shown)
        self._update_layout(shown)
        if not self._user_ranged:
            self._fit_ranges(shown)
        for series in shown:
            if series.stale:
                self._set_points(series)
                series.stale = False
            series.item.setVisible(True)
        self._update_legends(shown)

    def _set_points(self, series: _Series) -> None:
        """Hand the data over; a series of hundreds of weeks is a line, without a symbol per point.

        Drawing a symbol for each of thousands of points costs a tenth of a second on every refresh
        and shows only a smear; the line itself is then clickable instead.
        """
        dense = series.x.size > DENSE_POINTS
        if dense != series.dense:
            series.dense = dense
            series.item.setSymbol(None if dense else series.symbol)
            series.item.setCurveClickable(dense, width=8)
        series.item.setData(series.x, series.y)

    def _split_rates(self, shown: list[_Series]) -> None:
        """Move a rate far from the plot's main series to the right-hand axis, and back when it is not."""
        rates = [s for s in shown if s.place in (RATES, ASIDE)]
        far = far_from_main({s: s.y for s in rates})
        for series in rates:
            place = ASIDE if series in far else RATES
            if place != series.place:  # reparented within the scene: removeItem would take it out
                series.place, series.view = place, self._views[place]
                series.view.addItem(series.item, ignoreBounds=True)

    def _update_targets(self, shown: list[_Series]) -> None:
        wanted: dict[float, tuple[str, str]] = {}  # value -> unit, place
        for series in shown:
            info = self._aliases.info(series.metric)
            if series.place in (RATES, ASIDE) and info is not None and info.target is not None:
                wanted.setdefault(info.target, (series.rows[0].unit if series.rows else "", series.place))
        for value, (unit, place) in wanted.items():
            line = self._targets.get(value)
            if line is None:
                self._target_units[value] = unit
                line = self._targets[value] = pg.InfiniteLine(
                    pos=value,
                    angle=0,
                    movable=False,
                    pen=self._target_pen(),
                    label=self._target_text(value).replace("{", "{{").replace("}", "}}"),
                    labelOpts={"position": 0.02, "anchors": [(0, 1), (0, 1)], "color": self._scheme.muted},
                )
            if line.getViewBox() is not self._views[place]:
                self._views[place].addItem(line, ignoreBounds=True)
            self._target_places[value] = place
        self._targets_on = {v for v in wanted if self._target_visible}
        for value, line in self._targets.items():
            line.setVisible(value in self._targets_on)
        self._target_box.setEnabled(bool(wanted))

    def _target_pen(self) -> Any:
        return pg.mkPen(self._scheme.muted, width=1.5, style=Qt.PenStyle.DashLine)

    def _fit_ranges(self, shown: list[_Series]) -> None:
        """Fit x to every shown point, and each y axis to its own values (never 0..100 for 99.9x)."""
        if not shown:
            return
        xs = np.concatenate([s.x for s in shown])
        lo, hi = float(xs.min()), float(xs.max())
        pad = max((hi - lo) * 0.04, 3 * DAY)
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
        ranges: dict[str, tuple[float, float]] = {}
        for place in self._views:
            values = [s.y for s in shown if s.place == place]
            if place in (RATES, ASIDE):
                values.append(np.array([v for v in self._targets_on if self._target_places[v] == place]))
            ys = np.concatenate(values) if values else np.empty(0)
            if ys.size == 0:
                continue
            lo, hi = float(ys.min()), float(ys.max())
            if place == RIGHT:
                lo, hi = min(lo, 0.0), max(hi, 1.0)
                span = hi - lo
                ranges[place] = (lo - span * 0.08, hi + span * 0.3)
            else:
                span = hi - lo
                # A lone value (or a flat line) gets a few thousandths either side, not a 0.0004 pp range.
                pad = max(span * 0.08, 0.0 if span else 0.005, abs(hi) * 2e-6, 1e-9)
                # Under the incidents' axis, lift the lowest % off the count's zero line.
                ranges[place] = (lo - (pad * 3 if place == LEFT else pad), hi + pad)
        rates = self._rates.getPlotItem()
        bands = (ranges[RATES], ranges[ASIDE]) if RATES in ranges and ASIDE in ranges else (None, None)
        for side, band in zip(("left", "right"), bands, strict=True):
            rates.getAxis(side).set_band(band)
        if bands[0] is not None and bands[1] is not None:
            ranges[RATES], ranges[ASIDE] = stack_bands(bands[0], bands[1])
        for place, (lo, hi) in ranges.items():
            self._views[place].setYRange(lo, hi, padding=0)

    def _update_legends(self, shown: list[_Series]) -> None:
        for plot, legend in self._legends.items():
            entries = [(s, s.place) for s in shown if (s.place in (RATES, ASIDE)) == (plot == RATES)]
            if entries == self._legend_items[plot]:
                continue
            legend.clear()
            for series, place in entries:
                name = (
                    series.name if place != ASIDE else self.tr("%1 (right axis)").replace("%1", series.name)
                )
                legend.addItem(series.item, name)
            self._legend_items[plot] = entries
            self._fit_legend(plot, force=True)

    def _fit_legend(self, plot: str, *, force: bool = False) -> None:
        """Two columns when they fit across the plot, else one: a wider legend would widen the plot's
        layout past the panel's edge, cutting off the right axis and misaligning the two plots' dates."""
        legend = self._legends[plot]
        widget = self._rates if plot == RATES else self._stability
        widest = max((label.minimumWidth() for _sample, label in legend.items), default=0.0)
        columns = 2 if 2 * (widest + 40) <= widget.width() else 1
        if columns == legend.columnCount and not force:
            return
        legend.setColumnCount(columns)
        legend.updateSize()
        height = sum(max(label.minimumHeight(), 20.0) for _sample, label in legend.items[::columns])
        widget.getPlotItem().layout.setRowFixedHeight(4, height)

    def _update_layout(self, shown: list[_Series]) -> None:
        """Hide a plot with nothing on it; with nothing at all, the top plot carries a message instead."""
        places = {s.place for s in shown}
        has_rates, has_stability = RATES in places, bool(places & {LEFT, RIGHT})
        message = None
        if not self._any_metrics:
            message = self.tr("No KPIs found in this folder")
        elif not shown:
            message = self.tr("Check metrics below to chart them")
        p1, p2 = self._rates.getPlotItem(), self._stability.getPlotItem()
        self._message.setVisible(message is not None)
        if message is not None:
            self._user_ranged = False  # the next data gets fitted, whatever the last zoom was
            self._message.setText(message)
            p1.vb.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            self._message.setPos(0.5, 0.5)
        for side in ("left", "bottom", "right"):
            p1.getAxis(side).setVisible(message is None)
        p1.titleLabel.setVisible(message is None)
        self._rates.setVisible(has_rates or message is not None)
        self._stability.setVisible(has_stability)
        for plot, side, used in (
            (p1, "right", ASIDE in places),
            (p2, "left", LEFT in places),
            (p2, "right", RIGHT in places),
        ):
            plot.getAxis(side).setStyle(showValues=used, tickLength=-5 if used else 0)
        # Grid lines follow the axis that has values, so they meet its ticks.
        p2.getAxis("left").setGrid(_GRID if LEFT in places or not places else False)
        p2.getAxis("right").setGrid(False if LEFT in places or not places else _GRID)
        self._aside_colour = self._aside_axis_colour(shown)
        self._style_aside_axis()

    def _aside_axis_colour(self, shown: list[_Series]) -> str | None:
        """The colour of the one series on the rates plot's right axis; None for none or several."""
        colours = {s.item.opts["pen"].color().name() for s in shown if s.place == ASIDE}
        return colours.pop() if len(colours) == 1 else None

    def _style_aside_axis(self) -> None:
        axis = self._rates.getPlotItem().getAxis("right")
        colour = self._aside_colour
        axis.setPen(colour or self._scheme.axis)
        axis.setTextPen(colour or self._scheme.foreground)

    # --- hover and click ----------------------------------------------------------------------------

    def _hover(self, places: tuple[str, ...], pos: QPointF) -> None:
        best: tuple[float, _Series, int] | None = None
        for series in self._series.values():
            # isVisible: a click on a legend sample hides its curve (pyqtgraph's own toggle).
            if series.place not in places or series not in self._shown or not series.item.isVisible():
                continue
            view = series.view
            if not view.sceneBoundingRect().contains(pos):
                continue
            at = view.mapSceneToView(pos)
            pw, ph = view.viewPixelSize()
            if pw <= 0 or ph <= 0:
                continue
            d2 = ((series.x - at.x()) / pw) ** 2 + ((series.y - at.y()) / ph) ** 2
            i = int(np.argmin(d2))
            if best is None or d2[i] < best[0]:
                best = (float(d2[i]), series, i)
        self._hide_hover()
        if best is None or best[0] > _HOVER_PX**2:
            return
        _, series, i = best
        label = self._hover_labels[series.place]
        label.setText(self.hover_text_at(series.metric, i, series.team))
        (x0, x1), (y0, y1) = series.view.viewRange()
        x, y = series.x[i], series.y[i]
        # Open the label towards the middle of the plot so it is never cut off at an edge.
        label.setAnchor((1 if x > (x0 + x1) / 2 else 0, 0 if y > (y0 + y1) / 2 else 1))
        label.setPos(x, y)
        label.show()

    def hover_label(self) -> str | None:
        """The hover text now shown, or None (for tests)."""
        for label in self._hover_labels.values():
            if label.isVisible():
                return str(label.textItem.toPlainText())
        return None

    def _hide_hover(self) -> None:
        for label in self._hover_labels.values():
            label.hide()

    def _emit_click(self, row: MetricRow) -> None:
        self.point_clicked.emit(row.report, -1 if row.section_index is None else row.section_index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave and watched in (self._rates, self._stability):
            self._hide_hover()
        return super().eventFilter(watched, event)

    # --- slots --------------------------------------------------------------------------------------

    @Slot(object, object, object)
    def _on_series_points_clicked(self, item: Any, points: Any, _event: Any) -> None:
        series = self._by_item.get(id(item))
        if series is None or len(points) == 0 or series.x.size == 0:
            return
        pos = points[0].pos()
        # The display may be thinned or clipped, so find the row by position, not by point index.
        d = np.abs(series.x - pos.x()) + np.abs(series.y - pos.y())
        self._emit_click(series.rows[int(np.argmin(d))])

    @Slot(object, object)
    def _on_series_curve_clicked(self, item: Any, event: Any) -> None:
        """A click on a dense series' line: the report nearest in time to where it was clicked."""
        series = self._by_item.get(id(item))
        if series is None or not series.dense or series.x.size == 0 or event is None:
            return
        self._emit_click(series.rows[int(np.argmin(np.abs(series.x - event.pos().x())))])

    @Slot(object)
    def _on_rates_scene_mouse_moved(self, pos: QPointF) -> None:
        self._hover((RATES, ASIDE), pos)

    @Slot(object)
    def _on_stability_scene_mouse_moved(self, pos: QPointF) -> None:
        self._hover((LEFT, RIGHT), pos)

    @Slot()
    def _on_rates_view_resized(self) -> None:
        self._follow_resize(self._rates.getPlotItem().vb, self._aside_view)

    @Slot()
    def _on_stability_view_resized(self) -> None:
        self._follow_resize(self._stability.getPlotItem().vb, self._counts_view)

    def _follow_resize(self, main: Any, overlay: Any) -> None:
        self._fit_legend(RATES if main is self._views[RATES] else LEFT)
        overlay.setGeometry(main.sceneBoundingRect())
        overlay.linkedViewChanged(main, overlay.XAxis)
        if self._shown and not self._user_ranged:
            # The layout settled after the fit (axes shown, a legend grown): fit to the views' new size.
            self._fit_ranges(self._shown)

    @Slot(object)
    def _on_view_range_changed_manually(self, _mask: object) -> None:
        self._user_ranged = True

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        self._user_ranged = False
        self._refresh()

    @Slot(list)
    def _on_metric_model_checked_changed(self, names: list[str]) -> None:
        # Names checked earlier but absent from this folder stay wanted, for when they come back.
        kept = self._wanted - set(self.metric_model.names()) if self._wanted is not None else set()
        self._wanted = kept | set(names)
        self._user_ranged = False
        self._refresh()
        self.metrics_chosen.emit(list(names))

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self._proxy.setFilterFixedString(text)

    @Slot(bool)
    def _on_target_box_toggled(self, checked: bool) -> None:
        if checked != self._target_visible:
            self.set_target_visible(checked)
