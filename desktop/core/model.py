"""The parsed shape of a weekly report, shared by the parser, the cache and the views.

Sections, metrics, incidents and plan items are values: change one with dataclasses.replace, never by
assignment (the metrics' line cache hands the same Metric to several reports). Their fields are Final,
so mypy (part of the tests) refuses an assignment; they are not frozen at run time: a frozen
dataclass's __init__ sets each field through object.__setattr__, which costs a Section or a Metric
~17,500 instructions against ~3,500, and the parser builds about forty of them a report (7% of its
work). unsafe_hash keeps them hashable, as frozen made them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final


@dataclass(slots=True, unsafe_hash=True)
class Section:
    """One entry of a report's outline: a heading or a top-level topic bullet (`- 【贝易转】`)."""

    index: Final[int]  # order within the report, from 0
    title: Final[str]
    kind: Final[str]  # "heading" or "topic"
    level: Final[int]  # heading level 1-6; a topic is one deeper than the heading it sits under
    parent: Final[int | None]  # index of the enclosing section
    first_line: Final[int]  # 1-based line of the heading or bullet
    last_line: Final[int]  # last line of this section's own text, before the next section starts
    end_line: Final[int]  # last line of the whole subtree (children included)
    key: Final[str]  # normalized title for matching across weeks
    okr: Final[str | None]  # "O1".."O9" when the title carries an OKR code
    markdown: Final[str]  # the section's own lines, verbatim


@dataclass(slots=True, unsafe_hash=True)
class Metric:
    name: Final[str]  # canonical name from the alias table, else the label as written
    raw_label: Final[str]
    value: Final[float]
    unit: Final[str]  # "%", "次", "条", "" ...
    line: Final[int]  # 1-based
    text: Final[str]  # the source line stripped, or an excerpt of ~200 characters around the value if longer
    section: Final[int | None] = None
    kind: Final[str] = "figure"  # "kpi" (the alias table knows it, or the folder repeats it) or "figure"
    target: Final[float | None] = None  # the stated target (`（目标99.95%）`), else the alias table's
    target_source: Final[str | None] = None  # "report", "table" or None
    derived: Final[bool] = False  # computed, not written: CD from C and D when a report splits the grades


@dataclass(slots=True, unsafe_hash=True)
class Incident:
    date: Final[str | None]  # ISO date, the year taken from the report's date
    time: Final[str | None]  # "HH:MM" or "HH:MM~HH:MM"
    text: Final[str]
    line: Final[int]
    section: Final[int | None] = None


@dataclass(slots=True, unsafe_hash=True)
class PlanItem:
    text: Final[str]
    line: Final[int]
    section: Final[int | None] = None


@dataclass(slots=True)
class Report:
    path: str  # relative to the opened folder, with "/"
    title: str
    label: str | None  # the week label as the author wrote it ("2024-W24", "第42周")
    date: str  # ISO date used for ordering and charts; "" when the report has none (date_source "none")
    iso_week: str  # "2024-W24"
    date_source: str  # title, front_matter, property, header, week_label, filename, mtime, none
    encoding: str
    text: str  # decoded text with "\n" line ends
    sections: list[Section] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    plans: list[PlanItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    parent: str | None = None  # path of the weekly report a Notion sub-page belongs to
    team: str | None = None  # first folder below the opened folder, when reports sit in team folders
    sequence: int | None = None  # the issue or week number in the title or file name (第 N 期, Issue #N)
    kind: str = "report"  # "report", or "page": a README, index or parent page that only links onwards
