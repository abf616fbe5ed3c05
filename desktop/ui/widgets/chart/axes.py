"""The chart panel's axes and overlay ViewBox, and the rule that sends a far-off rate to a right-hand axis."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping
from typing import Any, TypeVar

import numpy as np
from PySide6.QtGui import QColor, QFontMetrics, QPen

# isort: split
# pyqtgraph picks its Qt binding when first imported: PySide6 must be loaded before it.
import pyqtgraph as pg

DAY = 86400.0
_MONTH = 30.44 * DAY
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DATETIME_SPAN = (-62_135_596_800.0, 253_402_300_799.0)  # years 1..9999: zoomed out further, no month ticks
# A rate whose median is further than this (in percentage points) from the main series' median gets
# its own axis: drawn on one axis, 99.2 next to 99.99x would flatten the 99.99x lines to the top edge.
ASIDE_GAP = 0.3

K = TypeVar("K", bound=Hashable)


def far_from_main(values: Mapping[K, np.ndarray], gap: float = ASIDE_GAP) -> set[K]:
    """The series whose median lies more than `gap` from the main series' median.

    The main series is the one with the most points; on a tie, the one with the higher median (for
    success rates, the top of the scale is what a reader compares).
    """
    medians = {key: float(np.median(ys)) for key, ys in values.items() if ys.size}
    if len(medians) < 2:
        return set()
    main = max(medians, key=lambda key: (values[key].size, medians[key]))
    return {key for key, median in medians.items() if abs(median - medians[main]) > gap}


def stack_bands(
    main: tuple[float, float], far: tuple[float, float], share: float = 0.3
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Widen two y ranges so the far series keep a band of the plot (`share` of its height) to themselves.

    A far rate below the main ones is drawn below them, and above them when it is higher, so the
    picture still says which is lower; each band is scaled to its own values.
    """
    (lo, hi), (far_lo, far_hi) = main, far
    if (far_lo + far_hi) < (lo + hi):
        return (hi - (hi - lo) / (1 - share), hi), (far_lo, far_lo + (far_hi - far_lo) / share)
    return (lo, lo + (hi - lo) / (1 - share)), (far_hi - (far_hi - far_lo) / share, far_hi)


def _nice(value: float, *, up: bool) -> float:
    """The nearest of 1, 2, 2.5 and 5 times a power of ten at or above (up) or at or below value."""
    power = 10.0 ** math.floor(math.log10(value))
    if up:
        return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value * (1 - 1e-9))
    return max(m * power for m in (1, 2, 2.5, 5) if m * power <= value * (1 + 1e-9))


def _decimals(spacing: float) -> int:
    """The decimals that tell ticks `spacing` apart: 0.02 needs 2, 0.025 needs 3 (at most 4)."""
    return next((d for d in range(4) if abs(spacing * 10**d - round(spacing * 10**d)) < 1e-6), 4)


def _multiples(lo: float, hi: float, step: float) -> list[float]:
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return [i * step for i in range(first, last + 1)]


class SolidGrid:
    """For an axis: its grid and tick lines in solid colours, mixed with the plot's background here.

    pyqtgraph draws each tick level's lines in the axis colour made translucent. Qt's raster engine
    draws a translucent line without antialiasing some 30 times slower than a solid one (100 lines
    across a plot: 14.7 ms against 0.4 ms), which made the grid most of a plot's paint. The axes lie
    under the data (see ChartPlots), so a solid line hides no point where it crosses a curve.
    """

    picture: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._background = QColor("#ffffff")
        self._solid: dict[tuple[int, float], QPen] = {}  # (translucent colour, width) -> solid pen

    def set_background(self, colour: QColor) -> None:
        """The colour the lines are mixed with: the plot's background."""
        if colour != self._background:
            self._background = QColor(colour)
            self._solid.clear()
            self.picture = None  # AxisItem's cached drawing
            self.update()  # type: ignore[attr-defined]

    def generateDrawSpecs(self, p: Any) -> Any:  # noqa: N802 - pyqtgraph override
        specs = super().generateDrawSpecs(p)  # type: ignore[misc]
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        return axis_spec, [(self._solid_pen(pen), a, b) for pen, a, b in tick_specs], text_specs

    def _solid_pen(self, pen: QPen) -> QPen:
        colour = pen.color()
        if colour.alpha() == 255:
            return pen
        key = (colour.rgba(), pen.widthF())
        solid = self._solid.get(key)
        if solid is None:
            alpha, under = colour.alphaF(), self._background
            mixed = QColor.fromRgbF(
                colour.redF() * alpha + under.redF() * (1 - alpha),
                colour.greenF() * alpha + under.greenF() * (1 - alpha),
                colour.blueF() * alpha + under.blueF() * (1 - alpha),
            )
            solid = self._solid[key] = QPen(pen)
            solid.setColor(mixed)
        return solid


class ValueAxis(SolidGrid, pg.AxisItem):  # type: ignore[misc]
    """pyqtgraph's axis of plain numbers (incident counts, a metric's own unit), with a solid grid."""


class PercentAxis(SolidGrid, pg.AxisItem):  # type: ignore[misc]
    """Ticks like 99.990%: as many decimals as the tick spacing needs, so 99.9x values stay apart.

    Only the major ticks carry text, so every label on the axis has the same number of decimals.
    """

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.setStyle(maxTextLevel=0)
        self.band: tuple[float, float] | None = None  # ticks only here (see stack_bands); None: anywhere

    def set_band(self, band: tuple[float, float] | None) -> None:
        if band != self.band:
            self.band = band
            self.picture = None  # AxisItem's cached drawing
            self.update()

    def tickValues(  # noqa: N802 - pyqtgraph override
        self,
        minVal: float,  # noqa: N803
        maxVal: float,  # noqa: N803
        size: float,
    ) -> list[tuple[float, list[float]]]:
        lo, hi = sorted((minVal, maxVal))
        if self.band is None or size <= 0 or not hi > lo:
            return list(super().tickValues(minVal, maxVal, size))
        band_lo, band_hi = max(lo, self.band[0]), min(hi, self.band[1])
        if band_hi <= band_lo:
            return []
        # One label per line height or so, however short the band: pyqtgraph's spacing crowds them.
        label_px = QFontMetrics(self.style.get("tickFont") or self.font()).height() * 1.6
        step = _nice(label_px * (hi - lo) / size, up=True)
        ticks = _multiples(band_lo, band_hi, step)
        if not ticks:  # a band narrower than a label's height: one label, at its middle
            step = _nice(band_hi - band_lo, up=False)
            middle = (band_lo + band_hi) / 2
            ticks = [min(_multiples(band_lo, band_hi, step), key=lambda v: abs(v - middle))]
        return [(step, ticks)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        decimals = 3 if spacing <= 0 else _decimals(spacing * scale)
        return [f"{v * scale:.{decimals}f}%" for v in values]


class DateAxis(SolidGrid, pg.DateAxisItem):  # type: ignore[misc]
    """Dates in UTC, where the points sit; ticks on whole months (2024-01, 2024-04 …) or years (2024).

    pyqtgraph's own year level shows a lone "2024" for a year of weekly reports. A folder of undated
    issues (`第 N 期`) is charted by issue number instead: then the ticks are whole numbers, `#12`.
    """

    def __init__(self) -> None:
        super().__init__("bottom", utcOffset=0)
        self.by_sequence = False

    def set_by_sequence(self, by_sequence: bool) -> None:
        if by_sequence != self.by_sequence:
            self.by_sequence = by_sequence
            self.picture = None  # drawn again with the other kind of tick
            self.update()

    def tickValues(  # noqa: N802 - pyqtgraph override
        self,
        minVal: float,  # noqa: N803
        maxVal: float,  # noqa: N803
        size: float,
    ) -> list[tuple[float, list[float]]]:
        if self.by_sequence:
            return _whole_ticks(pg.AxisItem.tickValues(self, minVal, maxVal, size))
        if (
            size <= 0
            or maxVal - minVal < 75 * DAY
            or not _DATETIME_SPAN[0] < minVal < maxVal < _DATETIME_SPAN[1]
        ):
            return list(super().tickValues(minVal, maxVal, size))
        label_px = QFontMetrics(self.style.get("tickFont") or self.font()).horizontalAdvance("2024-04") + 18
        wanted = label_px * (maxVal - minVal) / size / _MONTH
        step = next((s for s in _MONTH_STEPS if s >= wanted), _MONTH_STEPS[-1])
        first = _EPOCH + dt.timedelta(seconds=minVal)
        month = -(-(first.year * 12 + first.month - 1) // step) * step  # round up to a multiple of step
        ticks = []
        while True:
            stamp = (dt.datetime(month // 12, month % 12 + 1, 1, tzinfo=dt.UTC) - _EPOCH).total_seconds()
            if stamp > maxVal or month // 12 >= 9999:
                break
            if stamp >= minVal:
                ticks.append(stamp)
            month += step
        return [(step * _MONTH, ticks)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if self.by_sequence:
            return [f"#{round(v)}" for v in values]
        if spacing < 28 * DAY:
            return list(super().tickStrings(values, scale, spacing))
        form = "%Y" if spacing >= 360 * DAY else "%Y-%m"
        return [(_EPOCH + dt.timedelta(seconds=v)).strftime(form) for v in values]


def _whole_ticks(levels: list[tuple[float, list[float]]]) -> list[tuple[float, list[float]]]:
    """pyqtgraph's ticks with the fractions left out: there is no issue number 12.5."""
    out = []
    for spacing, values in levels:
        if spacing >= 1 - 1e-9:
            out.append((spacing, [v for v in values if abs(v - round(v)) < 1e-6]))
    return out or [(1.0, [])]


class OverlayView(pg.ViewBox):  # type: ignore[misc]
    """A ViewBox under a plot's own, for a right-hand y axis (pyqtgraph's multi-axis recipe).

    It follows the plot's x range. The mouse over the data reaches the plot's ViewBox, which lies on
    top: wheel and drag zoom and pan as without the overlay, and clicks on the overlay's points pass
    through. Wheel and drag over its axis change its y range; it has no context menu of its own.
    """

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=False, y=True)
