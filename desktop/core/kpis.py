"""KPI values in a report set against the previous report: what the viewer marks with ▲/▼."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from desktop.core.model import Metric
from desktop.core.render import KpiMark

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?\s*[%％]?")


def _value_text(metric: Metric) -> str | None:
    """The number as written in its line, found after the label so `O2` or `2.0` in a label is skipped."""
    start = metric.text.find(metric.raw_label)
    start = start + len(metric.raw_label) if start >= 0 else 0
    for match in _NUMBER.finditer(metric.text, start):
        try:
            if abs(float(match.group().rstrip("%％ ")) - metric.value) < 1e-9:
                return match.group().strip()
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
        written = _value_text(metric)
        if written is None:
            continue
        before = previous.get(metric.name)
        # A generic label (金额 322 one week, 金额 1205万元 the next) is not one series: no delta then.
        delta = None if before is None or before[1] != metric.unit else round(metric.value - before[0], 6)
        better: bool | None = None
        direction = higher_is_better(metric.name)
        if delta is not None and delta != 0 and direction is not None:
            better = (delta > 0) == direction
        marks.append(KpiMark(metric.line, written, delta, metric.unit, better))
    return marks
