"""Change since the previous report: the one definition the viewer badge, the chart tooltip, the
compare table and the digest all use, and the marks the viewer puts on KPI values."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from desktop.core.model import Metric
from desktop.core.render import KpiMark

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?\s*[%％]?")
_SCALED = re.compile(r"[万亿千百]")  # a unit with a multiplier: `万元`, `亿`


@dataclass(frozen=True, slots=True)
class Change:
    delta: float  # value − previous, in decimal arithmetic (99.989 − 99.992 = −0.003); pp for "%"
    unit: str  # the unit of the values ("%" means the delta is in percentage points)
    direction: str  # "same", "better", "worse", or "neutral" when higher is neither better nor worse

    @property
    def better(self) -> bool | None:
        return {"better": True, "worse": False}.get(self.direction)

    def label(self, *, signed: bool = False, spaced: bool = False) -> str:
        """`＝`, `▲0.05 pp`, `▼1次`; signed adds the sign (`▼ -1次`), spaced a space after the arrow."""
        if self.delta == 0:
            return "＝ 0" if spaced else "＝"
        number = (f"{self.delta:+.6f}" if signed else f"{abs(self.delta):.6f}").rstrip("0").rstrip(".")
        unit = " pp" if self.unit == "%" else self.unit
        return f"{'▲' if self.delta > 0 else '▼'}{' ' if spaced else ''}{number}{unit}"


def comparable(unit_before: str, unit: str) -> bool:
    """`322` and `1205万元` are not one measure; `99.9` and `99.95%` are (a unit left out once)."""
    if unit_before and unit:
        return unit_before == unit
    return not _SCALED.search(unit_before or unit)


def change(
    previous: tuple[float, str] | None, value: float, unit: str, higher_is_better: bool | None
) -> Change | None:
    """The change from `previous` (value, unit) to `value` in `unit`, or None when there is nothing to
    compare: no previous value, values that are not numbers, or units that are not one measure."""
    if previous is None or not comparable(previous[1], unit):
        return None
    before, now = previous[0], value
    if not (math.isfinite(before) and math.isfinite(now)):
        return None
    delta = float(Decimal(repr(now)) - Decimal(repr(before))) or 0.0  # never -0.0
    if delta == 0:
        direction = "same"
    elif higher_is_better is None:
        direction = "neutral"
    else:
        direction = "better" if (delta > 0) == higher_is_better else "worse"
    return Change(delta, unit or previous[1], direction)


def series_changes(points: Sequence[tuple[float, str]], higher_is_better: bool | None) -> list[Change | None]:
    """The change at each point of a chart series against the point before it (None for the first)."""
    return [None] + [
        change(points[i - 1], value, unit, higher_is_better) for i, (value, unit) in enumerate(points) if i
    ]


def _value_text(metric: Metric) -> str | None:
    """The value as written in its line, with its unit when the unit follows (`0次`), so the badge sits
    after the unit; found after the label so `O2` or `2.0` in a label is skipped."""
    start = metric.text.find(metric.raw_label)
    start = start + len(metric.raw_label) if start >= 0 else 0
    for match in _NUMBER.finditer(metric.text, start):
        try:
            if abs(float(match.group().rstrip("%％ ")) - metric.value) < 1e-9:
                written = match.group().strip()
                rest = metric.text[match.end() :]
                if metric.unit and metric.unit != "%" and rest.lstrip().startswith(metric.unit):
                    written = metric.text[
                        match.start() : match.end() + rest.index(metric.unit) + len(metric.unit)
                    ]
                return written.strip()
        except ValueError:
            continue
    return None


def kpi_marks(
    metrics: Sequence[Metric],
    previous: Mapping[str, tuple[float, str]],
    higher_is_better: Callable[[str], bool | None],
) -> list[KpiMark]:
    marks = []
    for metric in metrics:
        if metric.derived:
            continue  # not written in the text: nothing to mark
        written = _value_text(metric)
        if written is None:
            continue
        found = change(previous.get(metric.name), metric.value, metric.unit, higher_is_better(metric.name))
        marks.append(
            KpiMark(
                metric.line,
                written,
                found.delta if found else None,
                metric.unit,
                found.better if found else None,
                found.label() if found else None,
            )
        )
    return marks
