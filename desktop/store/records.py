"""A parsed report as the rows the cache stores, built where it was parsed.

Worker processes send these plain tuples rather than Report objects: tuples of strings and numbers
unpickle several times faster than dataclasses, and the writer only has to hand them to SQLite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from desktop.core.dates import natural_key
from desktop.core.model import Report
from desktop.core.progress import extract_figures

Row = tuple[object, ...]

# Column order of Record.report (+ parent, team) and of each Record.metrics row.
REPORT_INSERT = (
    "path, title, label, date, iso_week, date_source, encoding, warnings, n_sections, n_metrics,"
    " sequence, kind, sort_title, parent, team"
)
METRIC_INSERT = (
    "report, name, raw_label, value, unit, section, section_title, line, text,"
    " kind, target, target_source, derived, base_name, known"
)


def placeholders(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


@dataclass(frozen=True, slots=True)
class Record:
    path: str
    report: Row  # reports row (REPORT_INSERT order) without parent and team, which depend on the other files
    text: str
    sections: list[Row]
    metrics: list[Row]
    incidents: list[Row]
    plans: list[Row]
    warnings: list[str]
    progress: list[Row] = field(default_factory=list)


def to_record(report: Report) -> Record:
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
    lines = report.text.split("\n")
    head = report.sections[0].first_line - 1 if report.sections else len(lines)
    start = next((i for i in range(head) if lines[i].strip()), head)  # search hits count lines from here
    preamble = "\n".join(lines[start:head]).rstrip("\n")
    if preamble.strip():
        sections.append(
            (path, -1, report.title, "preamble", 0, None, start + 1, head, head, "", None, preamble)
        )
    titles = {s.index: s.title for s in report.sections}
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
            json.dumps(report.warnings, ensure_ascii=False),
            len(report.sections),
            len(report.metrics),
            report.sequence,
            report.kind,
            natural_key(report.title),
        ),
        text=report.text,
        sections=sections,
        metrics=[
            (
                path,
                m.name,
                m.raw_label,
                m.value,
                m.unit,
                m.section,
                titles.get(m.section) if m.section is not None else None,
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
            (path, f.subject, f.aspect, f.value, f.line, f.section, f.text)
            for f in extract_figures(report.text, report.sections)
        ],
    )
