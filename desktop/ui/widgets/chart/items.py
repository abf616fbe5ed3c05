"""What the chart draws in its views: a series per (metric, team), and the lines of the rates' targets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import Qt

# isort: split
# pyqtgraph picks its Qt binding when first imported: PySide6 must be loaded before it.
import pyqtgraph as pg

from desktop.core.kpis import change
from desktop.store.queries import MetricRow

# Where a series is drawn: plot 1's left axis, and its right axis for a rate far below (or above) the
# others (see axes.far_from_main); plot 2's left (%) and right (counts) axes.
RATES, ASIDE, LEFT, RIGHT = "rates", "aside", "left", "right"
PLACES = (RATES, ASIDE, LEFT, RIGHT)
# Any other metric (a score, a count of questions, an amount) gets a plot of its own: place "own:<metric>".
OWN = "own:"


def own_place(metric: str) -> str:
    return OWN + metric


def plot_of(place: str) -> str:
    """The plot a place is drawn on, named by its main place: RATES, LEFT or the own place itself."""
    if place in (RATES, ASIDE):
        return RATES
    return LEFT if place in (LEFT, RIGHT) else place


_INCIDENT_WORDS = ("事故", "故障", "incident", "outage")


def is_incident_count(metric: str, unit: str) -> bool:
    """A metric the alias table does not know that still counts incidents (`P1事故数 2次`)."""
    lowered = metric.casefold()
    return unit in ("", "次", "起", "个") and any(w in lowered for w in _INCIDENT_WORDS)


def place_rank(place: str) -> int:
    return PLACES.index(place) if place in PLACES else len(PLACES)


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
DENSE_POINTS = 400  # from this many points on, a series is drawn as a line without symbols
LINE_WIDTH, DENSE_LINE_WIDTH = 2, 1  # pixels; Qt strokes a wider line as a polygon, 5x the paint time
DRAWN_MAX = 2000  # points handed to pyqtgraph per series (see thinned)


def number(value: float) -> str:
    return f"{value:.10g}"  # as written: 99.997 stays 99.997, 100.0 becomes 100


def series_name(metric: str, team: str | None) -> str:
    return metric if team is None else f"{metric} · {team}"


def point_text(name: str, rows: list[MetricRow], index: int, higher_is_better: bool | None = None) -> str:
    """A point's hover text: the series, its value and the change since the series' previous point
    (kpis.change, as the viewer's badge and the compare table give it), then the report's week and date
    (or its issue number when undated)."""
    row = rows[index]
    found = None
    if index > 0:
        before = rows[index - 1]
        found = change((before.value, before.unit), row.value, row.unit, higher_is_better)
    shown = f"{name} {number(row.value)}{row.unit}" + (f"  {found.label()}" if found else "")
    issue = f"#{row.sequence}" if not (row.date or row.label) and row.sequence is not None else None
    when = " · ".join(dict.fromkeys(p for p in (row.label, row.date or issue) if p))
    return f"{shown}\n{when}"


@dataclass(eq=False)
class Series:
    metric: str
    team: str | None
    place: str
    item: Any  # pg.PlotDataItem
    view: Any  # the pg.ViewBox holding it
    target: float | None = None  # the metric's target (from the alias table), drawn for rates
    higher_is_better: bool | None = None  # from the alias table: whether a rise is good news
    rows: list[MetricRow] = field(default_factory=list)
    x: np.ndarray = field(default_factory=lambda: np.empty(0))
    y: np.ndarray = field(default_factory=lambda: np.empty(0))
    stale: bool = True  # rows changed since the last setData
    symbol: str = "o"
    dense: bool = False  # drawn as a bare line (see set_points)

    @property
    def name(self) -> str:
        return series_name(self.metric, self.team)


def new_item(place: str, n: int) -> Any:
    """The n-th curve of a plot: in that plot's n-th colour and symbol; counts drawn as steps."""
    colour, symbol = _COLOURS[n % len(_COLOURS)], _SYMBOLS[n % len(_SYMBOLS)]
    return pg.PlotDataItem(
        pen=pg.mkPen(colour, width=LINE_WIDTH),
        symbol=symbol,
        symbolSize=7,
        symbolBrush=colour,
        symbolPen=pg.mkPen(colour),
        clipToView=True,
        autoDownsample=True,
        downsampleMethod="peak",
        # Counts hold until the next report, so they are drawn as steps.
        stepMode="right" if place == RIGHT else None,
    )


def new_series(
    metric: str,
    team: str | None,
    place: str,
    target: float | None,
    n: int,
    view: Any,
    higher_is_better: bool | None = None,
    item: Any = None,
) -> Series:
    """The n-th series of its plot, drawn by `item` (new_item(place, n), in `view` already) or a new one."""
    if item is None:
        item = new_item(place, n)
        view.addItem(item, ignoreBounds=True)  # the plots set every range themselves, not pyqtgraph
    symbol = _SYMBOLS[n % len(_SYMBOLS)]
    return Series(metric, team, place, item, view, target, higher_is_better, symbol=symbol)


def set_points(series: Series) -> None:
    """Hand the data over; a series of hundreds of weeks is a thin line, without a symbol per point.

    Drawing a symbol for each of thousands of points costs a tenth of a second on every refresh
    and shows only a smear; the line itself is then clickable instead. Its pen is one pixel wide:
    six series of 1,250 weeks took 11 ms to paint with two-pixel lines, against 2 ms.
    """
    dense = series.x.size > DENSE_POINTS
    if dense != series.dense:
        series.dense = dense
        series.item.setSymbol(None if dense else series.symbol)
        pen = pg.mkPen(series.item.opts["pen"])  # a copy, in the series' colour
        pen.setWidth(DENSE_LINE_WIDTH if dense else LINE_WIDTH)
        series.item.setPen(pen)
        series.item.setCurveClickable(dense, width=8)
    series.item.setData(*thinned(series.x, series.y))


def thinned(x: np.ndarray, y: np.ndarray, most: int = DRAWN_MAX) -> tuple[np.ndarray, np.ndarray]:
    """At most `most` points that draw the same line: each run of points gives its lowest and highest.

    pyqtgraph walks every point of every series on each repaint (bounds, clipping, downsampling), so
    28 series of 12,500 weeks made every resize of the chart (a dock opening) a stall of 200 ms. The
    hover and the clicks look at the series' own x and y, never at these.
    """
    if x.size <= most:
        return x, y
    size = -(-x.size // (most // 2))  # points per run
    runs = -(-x.size // size)
    padded = np.full(runs * size, np.nan)
    padded[: y.size] = y
    nan = np.isnan(padded)
    lows = np.where(nan, np.inf, padded).reshape(runs, size).argmin(axis=1)
    highs = np.where(nan, -np.inf, padded).reshape(runs, size).argmax(axis=1)
    first = np.arange(runs) * size
    index = np.unique(np.concatenate([first + lows, first + highs, [0, x.size - 1]]))
    index = index[index < x.size]
    return x[index], y[index]


class TargetLines:
    """The target of each shown rate that has one, as a dashed line in the view its rate is drawn in."""

    def __init__(self, views: Mapping[str, Any], text: str, colour: str) -> None:
        self._views = views
        self._text = text  # "target %1", %1 the value and its unit
        self._colour = colour
        self.lines: dict[float, Any] = {}  # value -> pg.InfiniteLine
        self._places: dict[float, str] = {}  # value -> RATES or ASIDE: the view it is drawn in
        self._units: dict[float, str] = {}  # value -> unit, for the line's label
        self.shown: set[float] = set()

    def update(self, shown: list[Series], visible: bool) -> bool:
        """Draw the shown rates' targets (or only keep them, hidden); whether there are any."""
        wanted: dict[float, tuple[str, str]] = {}  # value -> unit, place
        for series in shown:
            if series.place in (RATES, ASIDE) and series.target is not None:
                wanted.setdefault(series.target, (series.rows[0].unit if series.rows else "", series.place))
        for value, (unit, place) in wanted.items():
            line = self.lines.get(value)
            if line is None:
                self._units[value] = unit
                line = self.lines[value] = pg.InfiniteLine(
                    pos=value,
                    angle=0,
                    movable=False,
                    pen=self._pen(),
                    label=self._label(value).replace("{", "{{").replace("}", "}}"),
                    labelOpts={"position": 0.02, "anchors": [(0, 1), (0, 1)], "color": self._colour},
                )
            if line.getViewBox() is not self._views[place]:
                self._views[place].addItem(line, ignoreBounds=True)
            self._places[value] = place
        self.shown = {v for v in wanted if visible}
        for value, line in self.lines.items():
            line.setVisible(value in self.shown)
        return bool(wanted)

    def by_place(self) -> dict[str, list[float]]:
        """The values of the lines shown, by the place they are drawn in."""
        places: dict[str, list[float]] = {}
        for value in self.shown:
            places.setdefault(self._places[value], []).append(value)
        return places

    def set_text(self, text: str) -> None:
        self._text = text
        for value, line in self.lines.items():
            label = self._label(value)
            line.label.format = label.replace("{", "{{").replace("}", "}}")  # pyqtgraph formats it
            line.label.setText(label)  # setFormat alone skips a hidden line's label

    def set_colour(self, colour: str) -> None:
        self._colour = colour
        for line in self.lines.values():
            line.setPen(self._pen())
            line.label.setColor(colour)

    def _label(self, value: float) -> str:
        return self._text.replace("%1", f"{number(value)}{self._units.get(value, '')}")

    def _pen(self) -> Any:
        return pg.mkPen(self._colour, width=1.5, style=Qt.PenStyle.DashLine)


def y_ranges(shown: list[Series], targets: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    """Each place's y range, fitted to its own values (never 0..100 for 99.9x) and its targets' lines."""
    ranges: dict[str, tuple[float, float]] = {}
    for place in dict.fromkeys([*PLACES, *(s.place for s in shown)]):
        values = [s.y for s in shown if s.place == place]
        if place in (RATES, ASIDE):
            values.append(np.array(targets.get(place, [])))
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
    return ranges
