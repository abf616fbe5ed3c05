"""A parsed report as the rows the cache stores, built where it was parsed.

Worker processes send these plain tuples rather than Report objects: tuples of strings and numbers
unpickle several times faster than dataclasses, and the writer only has to hand them to SQLite.

The report's text is stored once: the sections hold their own lines, and `rest` holds the lines no
section covers (the head and the blank lines between sections), from which `join_text` rebuilds it.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from desktop.core.model import Report

Row = tuple[object, ...]
WHOLE_TEXT = -1  # n_lines when `rest` is the whole text (sections did not cover it line for line)

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


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see desktop/core/model.py
class Record:
    path: Final[str]
    # The reports row (REPORT_INSERT order) without parent and team, which depend on the other files.
    report: Final[Row]
    n_lines: Final[int]  # lines of the text, or WHOLE_TEXT
    rest: Final[str]  # the lines no section covers, joined by newlines (or the whole text)
    sections: Final[list[Row]]
    metrics: Final[list[Row]]
    incidents: Final[list[Row]]
    plans: Final[list[Row]]
    warnings: Final[list[str]]
    progress: Final[list[Row]] = field(default_factory=list)


def to_record(report: Report, lines: list[str] | None = None) -> Record:
    """The rows of a parsed report. `lines`: the text split at newlines by the parser that cut the
    report's sections from them (ParseOutcome.lines), which makes each section its own lines of the
    text by construction; without them the text is split here and every section checked against it."""
    # Here, not at the top: reading the cache (join_text) must not load progress extraction and dates.
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
    trusted = lines is not None
    if lines is None:
        lines = report.text.split("\n")
    head = report.sections[0].first_line - 1 if report.sections else len(lines)
    start = next((i for i in range(head) if lines[i].strip()), head)  # search hits count lines from here
    preamble = "\n".join(lines[start:head]).rstrip("\n")
    if preamble.strip():
        sections.append(
            (path, -1, report.title, "preamble", 0, None, start + 1, head, head, "", None, preamble)
        )
    titles = {s.index: s.title for s in report.sections}
    spans = [(s.first_line, s.last_line, s.markdown) for s in report.sections]
    n_lines, rest = len(lines), _rest(lines, spans)
    # Never expected of a text the sections were not cut from; then the text is kept whole.
    if not trusted and not _spans_match(report.text, lines, spans):
        n_lines, rest = WHOLE_TEXT, report.text
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
        n_lines=n_lines,
        rest=rest,
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
            for f in extract_figures(report.text, report.sections, lines)
        ],
    )


def _rest(lines: list[str], spans: list[tuple[int, int, str]]) -> str:
    # The outline's spans come in order and never overlap: the rest is then the slices between them.
    gaps: list[list[str]] = []
    done = 0  # lines[:done] are covered or gathered
    for first, last, _ in spans:
        if not done < first <= last <= len(lines):
            break
        gaps.append(lines[done : first - 1])
        done = last
    else:
        gaps.append(lines[done:])
        return "\n".join(itertools.chain.from_iterable(gaps))
    covered = bytearray(len(lines))
    for first, last, _ in spans:
        covered[first - 1 : last] = b"\x01" * (last - first + 1)
    return "\n".join(line for line, c in zip(lines, covered, strict=True) if not c)


def _spans_match(text: str, lines: list[str], spans: list[tuple[int, int, str]]) -> bool:
    """Whether every section's markdown is its own lines of the text, so that join_text gives it back.

    (The same answer as comparing join_text's result with the text, without building it: each
    section is compared in place, by the offset its first line starts at.)
    """
    # Line i (0-based) starts after the lines before it and their newlines: sizes[i] + i.
    sizes = list(itertools.accumulate(map(len, lines), initial=0))
    for first, last, markdown in spans:
        if not 1 <= first <= last <= len(lines):
            return False
        begin = sizes[first - 1] + first - 1
        # The span ends where line `last` ends, just before its newline (the text has none after the end).
        if begin + len(markdown) != sizes[last] + last - 1 or not text.startswith(markdown, begin):
            return False
    return True


def join_text(n_lines: int, rest: str, spans: list[tuple[int, int, str]]) -> str:
    """The report's text from its sections' own lines (first, last, markdown) and the rest."""
    if n_lines == WHOLE_TEXT:
        return rest
    lines: list[str | None] = [None] * n_lines
    for first, last, markdown in spans:
        lines[first - 1 : last] = markdown.split("\n")
    others = iter(rest.split("\n"))
    return "\n".join(line if line is not None else next(others, "") for line in lines)
