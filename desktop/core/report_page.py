"""What the reader shows of a report: the lines of the whole report or of one section, and the KPI
changes marked in them. Pure Python: the window's reader presenter asks, the viewer renders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from desktop.core.kpis import kpi_marks
from desktop.core.model import Metric, Section
from desktop.core.render import KpiMark


@dataclass(frozen=True)
class ReportPage:
    path: str
    section: int  # -1 for the whole report
    markdown: str
    first_line: int
    sections: Sequence[Section]
    kpis: Sequence[KpiMark] = ()
    highlight: str = ""


def section_span(line_count: int, sections: Sequence[Section], section: int) -> tuple[int, int]:
    """First and last line (1-based, inclusive) of one section, or of the whole report for -1."""
    if 0 <= section < len(sections):
        return sections[section].first_line, sections[section].end_line
    return 1, line_count


def marks_for(
    metrics: Sequence[Metric],
    previous: Mapping[str, tuple[float, str]],
    higher_is_better: Callable[[str], bool | None],
) -> list[KpiMark]:
    """The one door to the KPI maths ("change since the previous report") for the window."""
    return kpi_marks(metrics, previous, higher_is_better)


def report_page(
    path: str,
    text: str,
    sections: Sequence[Section],
    section: int,
    metrics: Sequence[Metric],
    previous: Mapping[str, tuple[float, str]],
    higher_is_better: Callable[[str], bool | None],
    highlight: str = "",
) -> ReportPage:
    lines = text.split("\n")
    first, last = section_span(len(lines), sections, section)
    shown = [m for m in metrics if first <= m.line <= last]
    return ReportPage(
        path=path,
        section=section if 0 <= section < len(sections) else -1,
        markdown="\n".join(lines[first - 1 : last]),
        first_line=first,
        sections=sections,
        kpis=marks_for(shown, previous, higher_is_better),
        highlight=highlight,
    )
