"""A parsed report as the rows the cache stores, built where it was parsed.

Worker processes send these plain tuples rather than Report objects: tuples of strings and numbers
unpickle several times faster than dataclasses, and the writer only has to hand them to SQLite.

The cache keeps no copy of the report's text (desktop/store/texts.py reads it back from the file):
each section's markdown travels with its row only as far as the search index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from desktop.core.model import Report

Row = tuple[object, ...]

# Column order of Record.report (+ parent, team) and of each Record.metrics row.
REPORT_INSERT = (
    "path, title, label, date, iso_week, date_source, encoding, warnings, n_sections, n_metrics,"
    " sequence, kind, sort_title, parent, team"
)
METRIC_INSERT = (
    "report, name, raw_label, value, unit, section, line, text,"
    " kind, target, target_source, derived, base_name, known"
)


def placeholders(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see desktop/core/model.py
class Record:
    path: Final[str]
    # The reports row (REPORT_INSERT order) without parent and team, which depend on the other files.
    report: Final[Row]
    sections: Final[list[Row]]  # the section_rows columns after the path, then the markdown
    metrics: Final[list[Row]]
    incidents: Final[list[Row]]
    plans: Final[list[Row]]
    warnings: Final[list[str]]
    progress: Final[list[Row]] = field(default_factory=list)


def to_record(report: Report, lines: list[str] | None = None) -> Record:
    """The rows of a parsed report. `lines`: the text split at newlines by the parser that cut the
    report's sections from them (ParseOutcome.lines); without them the text is split here."""
    # Here, not at the top: reading the cache must not load progress extraction and dates.
    from desktop.core.dates import natural_key
    from desktop.core.progress import extract_figures

    path = report.path
    sections: list[Row] = [
        (
            path,
            s.index,
            s.title,
            s.kind,
            s.level,
            s.parent,
            s.first_line,
            s.last_line,
            s.end_line,
            s.key,
            s.okr,
            s.markdown,
        )
        for s in report.sections
    ]
    # Text before the first section (or a report with no headings at all) must be searchable too:
    # it is kept as section -1, which the outline leaves out.
    if lines is None:
        lines = report.text.split("\n")
    head = report.sections[0].first_line - 1 if report.sections else len(lines)
    start = next((i for i in range(head) if lines[i].strip()), head)  # search hits count lines from here
    preamble = "\n".join(lines[start:head]).rstrip("\n")
    if preamble.strip():
        sections.append(
            (path, -1, report.title, "preamble", 0, None, start + 1, head, head, "", None, preamble)
        )
    return Record(
        path=path,
        report=(
            path,
            report.title,
            report.label,
            report.date,
            report.iso_week,
            report.date_source,
            report.encoding,
            json.dumps(report.warnings, ensure_ascii=False) if report.warnings else "[]",
            len(report.sections),
            len(report.metrics),
            report.sequence,
            report.kind,
            natural_key(report.title),
        ),
        sections=sections,
        metrics=[
            (
                path,
                m.name,
                m.raw_label,
                m.value,
                m.unit,
                m.section,
                m.line,
                m.text,
                m.kind,
                m.target,
                m.target_source,
                int(m.derived),
                m.name,
                int(m.kind == "kpi"),
            )
            for m in report.metrics
        ],
        incidents=[(path, i.date, i.time, i.text, i.line, i.section) for i in report.incidents],
        plans=[(path, p.text, p.line, p.section) for p in report.plans],
        warnings=list(report.warnings),
        progress=[
            (path, f.subject, f.aspect, f.value, f.line, f.section)
            for f in extract_figures(report.text, report.sections, lines)
        ],
    )
