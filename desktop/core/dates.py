"""Which week a report belongs to: its date, where that date came from, and its week label."""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

from desktop.core.outline import FrontMatter
from desktop.core.outline import front_matter as read_front_matter

__all__ = ["DateInfo", "iso_week_label", "label_week", "natural_key", "resolve_date", "sequence_number"]

_MIN_YEAR, _MAX_YEAR = 1990, 2100
_HEAD_LINES = 40  # Notion properties and report headers sit at the top; the body is never scanned
_MAX_CHARS = 1000  # dates sit near the start of a line; the cap bounds regex work on huge lines
# Prose mentions weeks too ("进入第2周灰度"), so labels come only from short, non-list lines.
_LABEL_LINE_CHARS = 80

_MONTHS = {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# [0-9] rather than \d: \d also matches other scripts' digits, which int() would then accept.
_DATE_RE = re.compile(
    r"(?<![0-9])(?P<y1>[0-9]{4})(?P<sep>[-/._])(?P<m1>[0-9]{1,2})(?P=sep)(?P<d1>[0-9]{1,2})(?![0-9])"
    r"|(?<![0-9])(?P<y2>[0-9]{4})\s*年\s*(?P<m2>[0-9]{1,2})\s*月\s*(?P<d2>[0-9]{1,2})(?![0-9])"
    r"|(?<![0-9])(?P<y3>[0-9]{4})(?P<m3>[0-9]{2})(?P<d3>[0-9]{2})(?![0-9])"
    rf"|(?<![a-z])(?P<n4>{_MONTH})\.?\s+(?P<d4>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>[0-9]{{4}})(?![0-9])"
    rf"|(?<![0-9])(?P<d5>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?P<n5>{_MONTH})\.?,?\s+(?P<y5>[0-9]{{4}})(?![0-9])",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(
    r"(?<![0-9A-Za-z])(?P<iy>[0-9]{4})-?[Ww](?P<iw>[0-9]{1,2})(?![0-9])"
    r"|(?:(?<![0-9])(?P<cy>[0-9]{4})\s*年\s*)?第\s*(?P<cw>[0-9]{1,2})\s*[周週]"
    r"|(?<![A-Za-z])(?i:week)\s*#?\s*(?P<ew>[0-9]{1,2})(?![0-9])"
    r"|(?<![0-9A-Za-z])W(?P<bw>[0-9]{1,2})(?![0-9A-Za-z])"
)
# `Key: value`, also as a bullet or in bold (`**Date:** ...`); half- or full-width colon.
_KEY_VALUE_RE = re.compile(
    r"(?:[-*+>]\s+)?[*_]{0,2}\s*(?P<key>[^:：*_]{1,24}?)\s*[*_]{0,2}\s*[:：]\s*[*_]{0,2}\s*(?P<value>.*)"
)
_WEEK_OF_RE = re.compile(
    r"(?:[-*+>]\s+)?[*_]{0,2}\s*week\s+(?:of|ending|beginning|starting)\b[\s*_:：]*(?P<value>.*)",
    re.IGNORECASE,
)
_HEADING_RE = re.compile(r"#{1,6}\s+(?P<text>.*)")
_LIST_OR_TABLE_RE = re.compile(r"(?:[-*+]|[0-9]+[.)])\s|\|")
_NOTION_ID_RE = re.compile(r"[ _-]?[0-9a-fA-F]{32}$")
_EXTENSION_RE = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,9}$")
_YEAR_FOLDER_RE = re.compile(r"(?P<y>[0-9]{4})\s*年?")
_YEAR_IN_NAME_RE = re.compile(r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?:\s*年|(?![0-9]))")
# A day without its year (`6月14日`, `6/14`): the year comes from the folder or file name.
_PARTIAL_DATE_RE = re.compile(
    r"(?<![0-9/.])(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*[日号]"
    r"|(?<![0-9/.])(?P<m2>[0-9]{1,2})/(?P<d2>[0-9]{1,2})(?![0-9/])"
)
# The issue or week number: 第 N 期, 第N周, Issue #N, Week N, No. N, vol. N.
_SEQUENCE_RE = re.compile(
    r"第\s*(?P<zh>[0-9]{1,6})\s*[期周週号回]"
    r"|(?<![A-Za-z])(?:(?:issue|week|vol(?:ume)?|episode)\s*[-_.:#]?\s*#?|no\.)\s*(?P<en>[0-9]{1,6})(?![0-9])"
    r"|(?<![0-9A-Za-z])#(?P<hash>[0-9]{1,6})(?![0-9])",
    re.IGNORECASE,
)
_DIGIT_RUN_RE = re.compile(r"[0-9]+")

# Notion writes these for the page's creation time, in English and Chinese locales.
_PROPERTY_KEYS = frozenset({"created", "created time", "created at", "创建时间", "创建日期"})
_HEADER_KEYS = frozenset(
    {"date", "日期", "report date", "报告日期", "周报日期", "时间", "报告时间", "汇报时间"}
)
_DATED_KEYS = _PROPERTY_KEYS | _HEADER_KEYS


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see desktop/core/model.py
class DateInfo:
    date: Final[datetime.date]  # the date used for ordering and charts
    source: Final[str]  # "title", "front_matter", "property", "header", "week_label", "filename" or "mtime"
    label: Final[str | None]  # the week label as the author wrote it ("2024-W24", "第42周"), if any
    guessed: Final[bool]  # True only for source == "mtime"
    warnings: Final[tuple[str, ...]]


class _Label(NamedTuple):
    text: str
    week: int
    year: int | None
    chinese: bool  # 第N周 counts from the week holding 1 January, not ISO weeks


def iso_week_label(d: datetime.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _make_date(year: str, month: str | int, day: str) -> datetime.date | None:
    y = int(year)
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    try:
        return datetime.date(y, int(month), int(day))
    except ValueError:  # month 13, 30 February ...
        return None


def _dates(text: str) -> Iterator[tuple[datetime.date, bool]]:
    """Valid dates in text order, each flagged True when written the way Notion writes them."""
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        if g["y1"]:
            d, notion = _make_date(g["y1"], g["m1"], g["d1"]), False
        elif g["y2"]:
            d, notion = _make_date(g["y2"], g["m2"], g["d2"]), True
        elif g["y3"]:
            d, notion = _make_date(g["y3"], g["m3"], g["d3"]), False
        elif g["y4"]:
            d, notion = _make_date(g["y4"], _MONTHS[g["n4"][:3].lower()], g["d4"]), True
        else:
            d, notion = _make_date(g["y5"], _MONTHS[g["n5"][:3].lower()], g["d5"]), True
        if d is not None:
            yield d, notion


def _first_date(text: str) -> datetime.date | None:
    return next((d for d, _ in _dates(text)), None)


def _find_label(text: str) -> _Label | None:
    for m in _LABEL_RE.finditer(text):
        year_text = m["iy"] or m["cy"]
        week = int(m["iw"] or m["cw"] or m["ew"] or m["bw"])
        year = int(year_text) if year_text else None
        if 1 <= week <= 53 and (year is None or _MIN_YEAR <= year <= _MAX_YEAR):
            return _Label(m.group(0), week, year, m["cw"] is not None)
    return None


def _jan1_monday(year: int) -> datetime.date:
    jan1 = datetime.date(year, 1, 1)
    return jan1 - datetime.timedelta(days=jan1.weekday())


def _label_friday(label: _Label, year: int) -> datetime.date | None:
    """The Friday of the label's week in `year`: reports are written at the week's end."""
    try:
        if not label.chinese:
            return datetime.date.fromisocalendar(year, label.week, 5)
        monday = _jan1_monday(year) + datetime.timedelta(weeks=label.week - 1)
        return monday + datetime.timedelta(days=4) if monday.year <= year else None
    except (ValueError, OverflowError):  # ISO week 53 of a 52-week year, years beyond date's range
        return None


def _resolve_label(label: _Label, ref: datetime.date | None, year: int | None) -> datetime.date | None:
    if label.year is not None:
        return _label_friday(label, label.year)
    if ref is not None:
        # Near New Year the week may belong to the neighbouring year: take the closest Friday.
        options = [f for y in (ref.year - 1, ref.year, ref.year + 1) if (f := _label_friday(label, y))]
        return min(options, key=lambda f: abs(f - ref)) if options else None
    return _label_friday(label, year) if year is not None else None


def _label_matches(label: _Label, d: datetime.date) -> bool:
    iso_year, iso_week, _ = d.isocalendar()
    if label.week == iso_week and label.year in (None, iso_year):
        return True
    if not label.chinese:
        return False
    try:
        # The week holding 1 January is week 1 of that year and also the last week of the year before.
        monday = d - datetime.timedelta(days=d.weekday())
        weeks = [(y, (monday - _jan1_monday(y)).days // 7 + 1) for y in (d.year - 1, d.year, d.year + 1)]
    except (ValueError, OverflowError):
        return False
    return any(label.week == w and label.year in (None, y) for y, w in weeks)


def _head_lines(lines: Sequence[str], start: int) -> Iterator[str]:
    """The first lines after any front matter, stripped, without blanks or code-fence contents.

    Read as far as they are wanted: a Notion property on the second line ends the reading there.
    """
    fenced = False
    for raw in lines[start : start + _HEAD_LINES]:
        line = raw[:_MAX_CHARS].strip()
        if line[:1] in "`~" and line.startswith(("```", "~~~")):
            fenced = not fenced
        elif line and not fenced:
            yield line


def _property_and_header(head: Iterable[str]) -> tuple[datetime.date | None, datetime.date | None]:
    prop: datetime.date | None = None
    header: datetime.date | None = None
    for line in head:
        if m := _WEEK_OF_RE.match(line):
            header = header or _first_date(m["value"])
        elif m := _KEY_VALUE_RE.match(line):
            key = " ".join(m["key"].lower().split())
            found = next(_dates(m["value"]), None) if key in _DATED_KEYS else None
            if found is None:
                continue
            # A `Date:` in Notion's own style is a Notion property; in ISO style, a header line.
            if key in _PROPERTY_KEYS or (key in ("date", "日期") and found[1]):
                prop = prop or found[0]
            else:
                header = header or found[0]
        elif (h := _HEADING_RE.match(line)) and (dm := _DATE_RE.match(h["text"])):
            # A heading that is just a date (`## 2020-07-07`), as in collated logs.
            header = header or _first_date(dm.group(0))
        if prop is not None:
            break
    return prop, header


@functools.lru_cache(maxsize=64)  # asked for by the date and by the sequence number of one report
def _path_parts(relpath: str) -> tuple[str, tuple[str, ...]]:
    """The file name without extension and folder names, innermost first, all without Notion ids."""
    parts = [p for p in relpath.replace("\\", "/").split("/") if p.strip()]
    if not parts:
        return "", ()
    parts[-1] = _EXTENSION_RE.sub("", parts[-1].strip())
    clean = [_NOTION_ID_RE.sub("", p.strip()[:_MAX_CHARS]) for p in parts]
    return clean[-1], tuple(clean[-2::-1])


def _partial_date(text: str, year: int | None) -> datetime.date | None:
    if year is None:
        return None
    for m in _PARTIAL_DATE_RE.finditer(text):
        d = _make_date(str(year), m["m"] or m["m2"], m["d"] or m["d2"])
        if d is not None:
            return d
    return None


def sequence_number(title: str, relpath: str) -> int | None:
    """The issue or week number in the title, else in the file name (`第 99 期`, `Issue #12`)."""
    stem, _ = _path_parts(relpath)
    for text in (title[:_MAX_CHARS], stem):
        if m := _SEQUENCE_RE.search(text):
            return int(m["zh"] or m["en"] or m["hash"])
    return None


def natural_key(title: str) -> str:
    """A sort key that puts 第 9 期 before 第 10 期: every run of digits zero-padded to 12 places."""
    return _DIGIT_RUN_RE.sub(
        lambda m: m.group().lstrip("0").rjust(12, "0")[-12:], title[:_MAX_CHARS].casefold()
    )


def _mtime_date(mtime: float) -> datetime.date | None:
    try:
        return datetime.date.fromtimestamp(mtime)
    except (ValueError, OverflowError, OSError):  # NaN, infinities, beyond the platform's range
        return None


def resolve_date(
    title: str, lines: Sequence[str], relpath: str, mtime: float, front_matter: FrontMatter | None = None
) -> DateInfo:
    """Date a report from the first source that yields a valid date, in this order: title, front matter,
    Notion property, header line, week label (its Friday), file or folder name, else the mtime (guessed).

    Never raises: impossible dates and unusable mtimes are skipped, not errors.
    """
    title = title[:_MAX_CHARS]
    matter = front_matter if front_matter is not None else read_front_matter(lines)
    front, body_start = matter.values, matter.end
    stem, folders = _path_parts(relpath)
    path_date = next((d for part in (stem, *folders) if (d := _first_date(part))), None)
    folder_year = next((int(m["y"]) for f in folders if (m := _YEAR_FOLDER_RE.fullmatch(f))), None)
    if folder_year is not None and not _MIN_YEAR <= folder_year <= _MAX_YEAR:
        folder_year = None
    name_year = folder_year or next(
        (int(m["y"]) for part in (stem, *folders) if (m := _YEAR_IN_NAME_RE.search(part))), None
    )

    front_label = _find_label(front.get("week", ""))
    line_labels = (
        _find_label(line)
        for line in _head_lines(lines, body_start)
        if len(line) <= _LABEL_LINE_CHARS and not _LIST_OR_TABLE_RE.match(line)
    )
    # Read lazily: the title's label, when it has one, spares reading the head lines (the list of all
    # labels is only wanted when no earlier source dates the report).
    found_labels = (
        lb
        for lb in itertools.chain((_find_label(title), front_label), line_labels, (_find_label(stem),))
        if lb
    )
    label = next(found_labels, None)

    def all_labels() -> Iterator[_Label]:
        if label is not None:
            yield label
            yield from found_labels

    warnings: list[str] = []

    def from_label(lb: _Label | None) -> datetime.date | None:
        if lb is None:
            return None
        if lb.year is not None or path_date is not None or folder_year is not None:
            return _resolve_label(lb, path_date, folder_year)
        d = _resolve_label(lb, _mtime_date(mtime), None)
        if d is not None:
            warnings.append(f"the year of week label {lb.text} was taken from the file's modification time")
        return d

    date: datetime.date | None = None
    source = "mtime"
    if (date := _first_date(title) or _partial_date(title, name_year)) is not None:
        source = "title"
    elif (date := _first_date(front.get("date", "")) or from_label(front_label)) is not None:
        source = "front_matter"
    else:
        # The head lines' property and header are read only now: most titles carry the date.
        prop, header = _property_and_header(_head_lines(lines, body_start))
        if (date := prop) is not None:
            source = "property"
        elif (date := header) is not None:
            source = "header"
        elif (date := next((d for lb in all_labels() if (d := from_label(lb))), None)) is not None:
            source = "week_label"
        elif (date := path_date) is not None:
            source = "filename"
        elif (date := _mtime_date(mtime)) is not None:
            warnings.append("no date found in the report; using the file's modification time")
        else:
            date = datetime.date(1970, 1, 1)
            warnings.append(
                "no date found in the report and its modification time is unusable; using 1970-01-01"
            )

    if label is not None:
        if label.year is not None and _label_friday(label, label.year) is None:
            warnings.append(f"week label {label.text} is not a valid week")
        elif not _label_matches(label, date):
            warnings.append(
                f"week label {label.text} does not match the date {date.isoformat()} ({iso_week_label(date)})"
            )
    return DateInfo(date, source, label.text if label else None, source == "mtime", tuple(warnings))


def label_week(label: str | None, ref: datetime.date) -> str | None:
    """The ISO week (`2024-W34`) a week label names, its year taken from `ref` when the label has none.

    A report's week is its label's when it names one: a report dated Monday for last week's work still
    belongs to the week its author wrote.
    """
    found = _find_label(label) if label else None
    if found is None:
        return None
    friday = _resolve_label(found, ref, None)
    return iso_week_label(friday) if friday is not None else None
