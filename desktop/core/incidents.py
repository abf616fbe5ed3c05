"""Production incidents (`06/09 23:28 实时数仓刷数…`) and next week's plan items."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence

from desktop.core.model import Incident, PlanItem, Section
from desktop.core.outline import section_at_line

_INCIDENT_TITLE = re.compile(r"(生产(稳定性)?事件|生产事故|线上事故|事故记录|故障|incidents?|outages?)", re.I)
_PLAN_TITLE = re.compile(r"(下周(工作|计划|目标|重点)|下周工作及目标|next\s*week|plans?\s+for\s+next)", re.I)
_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.、)])\s+(?:\[[ xX]\]\s*)?")
_INCIDENT_START = re.compile(
    r"^(?:(?P<y>\d{4})[-/.])?(?P<m>\d{1,2})[/.-](?P<d>\d{1,2})(?![\d/])\s*,?\s*"
    r"(?P<t>\d{1,2}:\d{2}(?:\s*[~\-－—至]\s*\d{1,2}:\d{2})?)?[,，\s]*(?P<rest>.*)$"
    r"|^(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号]\s*(?P<t2>\d{1,2}:\d{2})?[,，\s]*(?P<rest2>.*)$"
)
_A_MONTH = dt.timedelta(days=31)
_TITLE_CACHE_CHARS = 200  # a longer title is matched every time rather than kept as a key


@functools.lru_cache(maxsize=4096)  # section titles repeat week after week
def _title_kinds(title: str) -> tuple[bool, bool]:
    return _INCIDENT_TITLE.search(title) is not None, _PLAN_TITLE.search(title) is not None


def _is_incident_title(title: str) -> bool:
    if len(title) > _TITLE_CACHE_CHARS:
        return _INCIDENT_TITLE.search(title) is not None
    return _title_kinds(title)[0]


def _is_plan_title(title: str) -> bool:
    if len(title) > _TITLE_CACHE_CHARS:
        return _PLAN_TITLE.search(title) is not None
    return _title_kinds(title)[1]


_FOOTER = re.compile(r"^(详细记录|详见|更多|details?|see also)\s*[:：]", re.I)
_LABEL_LINE = re.compile(r"^.{1,30}[:：]?\s*$")


def _strip(line: str) -> str:
    return _MARKER.sub("", line).strip()


def _is_heading(line: str) -> bool:
    return line.lstrip(" ").startswith("#")


def _incident_date(report_date: dt.date, year: str | None, month: str, day: str) -> str | None:
    try:
        y = int(year) if year else report_date.year
        when = dt.date(y, int(month), int(day))
    except ValueError:
        return None
    # A January report may list last December's incidents.
    if not year and when > report_date + _A_MONTH:
        try:
            when = when.replace(year=y - 1)
        except ValueError:
            return None
    return when.isoformat()


# A substring every match of _INCIDENT_TITLE holds (the English words in any case: d, e, n, t, a and g
# have no case forms outside ASCII); keep both in step. Case-sensitive and led by one class of first
# characters, it skips through a whole report four times faster than the title pattern itself.
_INCIDENT_HINT = re.compile(
    r"[生事故DdTt](?:(?<=生)产|(?<=事)故|(?<=故)障|(?<=[Dd])[Ee][Nn][Tt]|(?<=[Tt])[Aa][Gg][Ee])"
)


def _region_starts(lines: Sequence[str], sections: Sequence[Section], text: str | None = None) -> list[int]:
    """0-based lines where an incident region begins: matching headings and label lines (`text`: the
    lines joined by newlines, when the caller has it)."""
    starts = [s.first_line for s in sections if _is_incident_title(s.title)]  # line after the heading
    # Only lines holding a hint can name a region: one search of the whole text finds them (a hint
    # never spans a newline).
    if text is None:
        text = "\n".join(lines)
    at, i, last = 0, 0, -1
    for hint in _INCIDENT_HINT.finditer(text):
        i += text.count("\n", at, hint.start())
        at = hint.start()
        if i == last:
            continue
        last = i
        line = lines[i]
        if not _INCIDENT_TITLE.search(line):
            continue
        stripped = _strip(line)
        if (
            stripped
            and not _is_heading(line)
            and len(stripped) <= 30
            and _INCIDENT_TITLE.search(stripped)
            and _LABEL_LINE.match(stripped)
        ):
            starts.append(i + 1)
    return sorted(set(starts))


def extract_incidents(
    lines: Sequence[str], sections: Sequence[Section], report_date: dt.date, text: str | None = None
) -> list[Incident]:
    """The incidents listed under incident headings or label lines, each in its section of `sections`
    (`text`: the lines joined by newlines, when the caller has it)."""
    incidents: list[Incident] = []
    covered = 0  # every region runs to the next heading: a start inside the last region adds nothing
    for start in _region_starts(lines, sections, text):
        if start < covered:
            continue
        current: dict[str, object] | None = None
        covered = len(lines)
        for i in range(start, len(lines)):
            raw = lines[i]
            if _is_heading(raw):
                covered = i
                break
            text = _strip(raw)
            if not text:
                continue
            match = _INCIDENT_START.match(text)
            if match:
                if current:
                    incidents.append(_finish(current, sections))
                if match.group("m"):
                    date = _incident_date(report_date, match.group("y"), match.group("m"), match.group("d"))
                    time, rest = match.group("t"), match.group("rest")
                else:
                    date = _incident_date(report_date, None, match.group("m2"), match.group("d2"))
                    time, rest = match.group("t2"), match.group("rest2")
                current = {
                    "date": date,
                    "time": "".join(time.split()) if time else None,  # every space out, as \s+ would
                    "parts": [rest.strip()] if rest.strip() else [],
                    "line": i + 1,
                }
            elif current is not None and not _FOOTER.match(text):
                parts = current["parts"]
                assert isinstance(parts, list)
                parts.append(text)
        if current:
            incidents.append(_finish(current, sections))
    seen: set[int] = set()
    unique = []
    for incident in incidents:  # a heading region and a label line inside it may both find one incident
        if incident.line not in seen:
            seen.add(incident.line)
            unique.append(incident)
    return sorted(unique, key=lambda x: x.line)


def _finish(current: dict[str, object], sections: Sequence[Section]) -> Incident:
    parts = current["parts"]
    assert isinstance(parts, list)
    date, time, line = current["date"], current["time"], current["line"]
    assert isinstance(line, int)
    return Incident(
        date if isinstance(date, str) else None,
        time if isinstance(time, str) else None,
        " ".join(parts),
        line,
        section_at_line(sections, line),
    )


def extract_plans(lines: Sequence[str], sections: Sequence[Section]) -> list[PlanItem]:
    """List items of the next-week plan section(s); empty items (`1. `) are dropped."""
    items: list[PlanItem] = []
    covered = 0  # a plan section nested in another is read once, as part of the outer one
    for section in sections:
        if not _is_plan_title(section.title) or section.first_line < covered:
            continue
        covered = section.end_line
        for i in range(section.first_line, section.end_line):
            line = lines[i]
            if not _MARKER.match(line + " "):
                continue
            text = _strip(line)
            if text:
                items.append(PlanItem(text, i + 1, section.index))
    return items
