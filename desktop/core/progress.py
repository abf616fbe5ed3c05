"""Progress figures of work items (`POS押金进度75%`, `整体进度达到了90%`) and their series over weeks.

A figure belongs to an item: the line's subject, which is the list item's lead (`银企M6V机房迁移：整体
进度…` → `银企M6V机房迁移`) or the text right before the figure (`Hive数仓建设总进度：72.2%`). A figure
that names a part of the item (`前端进展50%`) is an aspect of it. A line with no subject of its own
(`2. 整体进度95%`) continues the previous item of the same list.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Indel

from desktop.core.model import Section
from desktop.core.outline import section_at_line, section_key

# A change in what this finds: bump PROGRESS_VERSION in desktop/core/versions.py.

# Every pattern is linear: no repetition nests over the same characters and every run is bounded.
_FIGURE = re.compile(  # its words are also in _may_hold_figure: change both together
    r"(进度|进展|完成占比|完成率|完成度|progress)"
    r"(?:[（(][^（）()\n]{0,24}[)）])?"  # a remark between name and figure: 迁移进度（总数164个）：69.29%
    r"[^\d%\n，,；;。!！?？、]{0,8}?"  # the verb: 约, 达到了, 达, ：
    r"(\d{1,3}(?:\.\d{1,3})?)[ \t]{0,2}[%％]",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r"^([ \t]{0,40})(?:[-*+•][ \t]{1,4}|[(（]?\d{1,3}[.、)）][ \t]{0,4}|[(（]?[a-zA-Z][.、)）][ \t]{1,4})?"
)
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(?:`{3}|~{3})")
_SEPARATORS = "，,；;。：:、!！?？"
_SEPARATOR = re.compile("[，,；;。：:、!！?？]")
# Words that say "the whole item", not a part of it: 整体进度, 总进度, 完成占比, 当前进度.
_GENERIC = re.compile(
    r"^(?:当前|目前|整体|总体|总计|总|全部|整个|项目|完成|overall|total|current|[ \t])+", re.I
)
_GENERIC_TAIL = re.compile(r"(?:整体|总体|总|完成|当前|overall|total)$", re.I)
_DECOR = "【】[]*`_~"
_MAX_LINE = 4_000  # characters of one line examined: a megabyte line costs no more than this
_MAX_FIGURES = 16  # figures taken from one line
_LOOK_BACK = 64  # lines read upwards for the item a line continues, before walking from the top
_MAX_SUBJECT = 40  # a lead longer than this is a sentence, not the name of an item
MATCH_MIN = 0.8  # `银企金融M6v机房迁移` / `银企M6V机房迁移` score 0.9; different items stay below
_FUZZY_MIN_CHARS = 4  # shorter subjects must match exactly
STALLED_REPORTS = 3
CHANGE_DAYS = 28


@dataclass(slots=True, unsafe_hash=True)  # a value all the same: not frozen for the reason in model.py
class Figure:
    """One progress figure as found in a report."""

    subject: Final[str]  # the item as written
    aspect: Final[str]  # the part of it the figure is about (`前端`), "" for the whole item
    value: Final[float]
    line: Final[int]  # 1-based
    section: Final[int | None]
    text: Final[str]  # the line, stripped and shortened

    @property
    def item(self) -> str:
        return f"{self.subject} · {self.aspect}" if self.aspect else self.subject


def _clean(text: str) -> str:
    # str.replace per character present: str.translate looks up every character of Chinese text in a
    # dict, ~90 ns each, ten times the cost of these scans.
    for decor in _DECOR:
        if decor in text:
            text = text.replace(decor, "")
    return text.strip(" \t" + _SEPARATORS)


def _may_hold_figure(body: str) -> bool:
    """False when no keyword of _FIGURE can be in the text: a pattern led by six words tries each at every
    position, costly on the long lines of English reports. (The case-blind `progress` needs `ogr` in some
    case; lower() maps exactly the letters re.I matches for these three.)"""
    return "进度" in body or "进展" in body or "完成" in body or "ogr" in body.lower()


def _lead(body: str) -> tuple[str, int]:
    """The text before the line's first separator, and where that separator is."""
    window = body[: _MAX_SUBJECT * 4]
    found = _SEPARATOR.search(window)
    end = found.start() if found else len(window)
    return _clean(body[:end]), end


def _label(body: str, start: int) -> str:
    """The text of the figure's own clause, before its keyword (`POS押金` of `；POS押金进度75%`)."""
    window_start = max(0, start - _MAX_SUBJECT * 2)
    window = body[window_start:start]
    # The last separator: the first one found in the reversed window (one search, not one per kind).
    found = _SEPARATOR.search(window[::-1])
    return _clean(window[len(window) - found.start() :] if found else window)


def _is_generic(label: str, lead: str) -> bool:
    rest = _GENERIC.sub("", label)
    return not rest or section_key(rest) in section_key(lead)


def extract_figures(
    text: str, sections: Sequence[Section] = (), lines: list[str] | None = None
) -> list[Figure]:
    """Every progress figure of a report's text, in reading order (`lines`: the text split at newlines,
    when the caller has them)."""
    if "%" not in text and "％" not in text:
        return []  # every figure ends in a percent sign
    figures: list[Figure] = []
    if lines is None:
        lines = text.split("\n")
    # Most lines hold no percent sign: only those are looked at here. The lists and fences above a
    # line are walked only as far as a figure needs them (`_Lists`), and in a text without fences
    # only when a figure continues an earlier item, which few do.
    fenced = "```" in text or "~~~" in text  # else no line can open a fence
    lists = _Lists(lines, fenced)
    for index, raw in enumerate(lines):
        if "%" not in raw and "％" not in raw:
            continue
        line = raw[:_MAX_LINE]
        first = line.lstrip(" \t")[:1]
        if first and first in "`~" and _FENCE.match(line):
            continue
        if fenced:
            lists.walk_to(index)
            if lists.fence:
                continue
        if first == "#" and _ATX.match(line):
            continue
        marker = _MARKER.match(line)
        assert marker is not None  # every group is optional
        indent = len(marker.group(1).expandtabs(4))
        body = line[marker.end() :]
        if ("%" in body or "％" in body) and _may_hold_figure(body) and _FIGURE.search(body) is not None:
            own = _figures_of(body, index, line, indent, lists, sections, figures)
            if own is not None:
                lists.owns[index] = own
    return figures


class _Lists:
    """The list items above a line, walked forward from the text's start only as far as asked.

    Each line is walked once, so finding every figure stays linear in the text.
    """

    def __init__(self, lines: list[str], fenced: bool = True) -> None:
        self.lines = lines
        self.fenced = fenced  # whether any line may open a fence (else lines can be read backwards too)
        self.walked = 0  # lines[:walked] are reflected in `items` and `fence`
        self.fence = False
        # indentation → (text, subject) of the last list item there; its lead is worked out only when
        # a later line continues it.
        # Its keys ascend (a new item drops the deeper ones), so the deeper ones are always the last.
        self.items: dict[int, tuple[str, str | None]] = {}
        self.owns: dict[int, str] = {}  # line index → the subject its figures gave it

    def _look_back(self, index: int, indent: int) -> tuple[bool, tuple[str, str | None] | None]:
        """(True, what walk_to would leave at `indent`) from the few lines above `index`, read upwards:
        the item is mostly the line before. (False, None) when it lies further up, or fences may be open.

        Upwards, the first list item at `indent` or less decides (a shallower one, or a heading, would have
        dropped the entry); lines already walked are in `items`. Bounded, so finding figures stays linear.
        """
        if self.fenced and self.walked < index:
            return False, None
        stop = max(self.walked, index - _LOOK_BACK)
        for i in range(index - 1, stop - 1, -1):
            raw = self.lines[i]
            if not raw:
                continue
            line = raw[:_MAX_LINE]
            if line.lstrip(" \t")[:1] == "#" and _ATX.match(line):
                return True, None
            marker = _MARKER.match(line)
            assert marker is not None  # every group is optional
            if marker.end() > len(marker.group(1)):  # a list item
                at = len(marker.group(1).expandtabs(4))
                if at == indent:
                    return True, (line[marker.end() :], self.owns.get(i))
                if at < indent:
                    return True, None
        return (True, self.items.get(indent)) if stop == self.walked else (False, None)

    def walk_to(self, stop: int) -> None:
        items = self.items
        for index in range(self.walked, stop):
            raw = self.lines[index]
            if not raw:
                continue
            line = raw[:_MAX_LINE]
            first = line.lstrip(" \t")[:1]
            if first and first in "`~" and _FENCE.match(line):
                self.fence = not self.fence
                continue
            if self.fence:
                continue
            if first == "#" and _ATX.match(line):
                items.clear()  # a new heading starts new lists
                continue
            marker = _MARKER.match(line)
            assert marker is not None  # every group is optional
            if marker.end() > len(marker.group(1)):  # a list item
                indent = len(marker.group(1).expandtabs(4))
                while items and next(reversed(items)) > indent:
                    items.popitem()
                items[indent] = (line[marker.end() :], self.owns.get(index))
        self.walked = max(self.walked, stop)

    def continued(self, index: int, indent: int) -> str | None:
        """The subject of the item before line `index` in the same list (same indentation)."""
        near, found = self._look_back(index, indent)
        if not near:
            self.walk_to(index)
            found = self.items.get(indent)
        if found is None:
            return None
        body, own = found
        if own:
            return own
        lead = _lead(body)[0]
        return lead if lead and len(lead) <= _MAX_SUBJECT else None


def figure_text(line: str) -> str:
    """What a figure keeps of the line it was found on (the cache works it out again from the file)."""
    return line[:_MAX_LINE].strip()[:300]


def _figures_of(
    body: str,
    index: int,
    line: str,
    indent: int,
    lists: _Lists,
    sections: Sequence[Section],
    figures: list[Figure],
) -> str | None:
    """Add the figures of line `index` (0-based); return the line's subject (None without a figure)."""
    number = index + 1
    lead, lead_end = _lead(body)
    if len(lead) > _MAX_SUBJECT:
        lead = ""
    own: str | None = None
    for found, match in enumerate(_FIGURE.finditer(body)):
        if found >= _MAX_FIGURES:
            break
        label = _label(body, match.start())
        if match.start() <= lead_end:
            # The figure is in the line's first clause: what precedes it names the item.
            subject = _GENERIC_TAIL.sub("", _GENERIC.sub("", label)).strip()
            aspect = ""
            if not subject:
                subject = own or lists.continued(index, indent) or ""
        else:
            subject = lead
            aspect = "" if _is_generic(label, lead) else label
            if not subject:
                subject, aspect = (label, "") if aspect else (own or lists.continued(index, indent) or "", "")
        subject = subject.strip()
        if not subject or len(subject) > _MAX_SUBJECT * 2:
            continue
        own = own or subject
        section = section_at_line(sections, number) if sections else None
        figures.append(
            Figure(
                subject=subject,
                aspect=aspect,
                value=float(match.group(2)),
                line=number,
                section=sections[section].index if section is not None else None,
                text=figure_text(line),
            )
        )
    return own


# ---------------------------------------------------------------------------------------------- series


class Point(NamedTuple):
    """A figure with the report it comes from.

    A tuple: the progress list of 5,000 reports makes 27,000 of them straight from query rows
    (tuple.__new__, no call per field), a third of the time a dataclass's __init__ takes.
    """

    report: str
    label: str | None
    date: str
    team: str | None
    subject: str
    aspect: str
    value: float
    text: str
    line: int = 0
    section: int | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "report": self.report,
            "label": self.label,
            "date": self.date,
            "value": self.value,
            "text": self.text,
        }


@dataclass(slots=True)
class Series:
    team: str | None
    aspect: str
    points: list[Point] = field(default_factory=list)

    @property
    def item(self) -> str:
        """The item named as its latest report names it."""
        subject = self.points[-1].subject
        return f"{subject} · {self.aspect}" if self.aspect else subject

    @property
    def latest(self) -> float:
        return self.points[-1].value

    @property
    def change(self) -> float | None:
        """Latest value minus the value of the last report at least four weeks older; None without one."""
        try:
            cutoff = (
                dt.date.fromisoformat(self.points[-1].date) - dt.timedelta(days=CHANGE_DAYS)
            ).isoformat()
        except ValueError:
            return None
        older = [p for p in self.points[:-1] if p.date <= cutoff]
        return round(self.latest - older[-1].value, 3) if older else None

    @property
    def stalled_reports(self) -> int:
        """How many reports in a row, up to the latest, give the same value."""
        run = 0
        for point in reversed(self.points):
            if point.value != self.latest:
                break
            run += 1
        return run

    @property
    def stalled(self) -> bool:
        return self.stalled_reports >= STALLED_REPORTS and self.latest < 100

    @property
    def regressed(self) -> bool:
        """The latest figure is below an earlier one: progress went backwards."""
        return any(p.value > self.latest for p in self.points[:-1])

    def as_json(self) -> dict[str, object]:
        return {
            "item": self.item,
            "team": self.team,
            "points": [p.as_json() for p in self.points],
            "latest": self.latest,
            "change_4w": self.change,
            "stalled_reports": self.stalled_reports,
            "stalled": self.stalled,
            "regressed": self.regressed,
        }


def subject_key(subject: str) -> str:
    return section_key(unicodedata.normalize("NFKC", subject))


def build_series(points: Iterable[Point]) -> list[Series]:
    """Group points into one series per item and team; names that differ slightly are one item.

    Points must come oldest first. A report never gives two points to one series.
    """
    series: list[Series] = []
    exact: dict[tuple[str | None, str, str], int] = {}  # (team, aspect, subject key) → series
    names: dict[tuple[str | None, str], list[str]] = {}  # (team, aspect) → subject keys seen
    owners: dict[tuple[str | None, str], list[int]] = {}  # … and their series, in the same order
    last_report: list[str] = []
    keys: dict[str, str] = {}  # names repeat week after week: normalize each once
    for point in points:
        key = keys.get(point.subject)
        if key is None:
            key = keys[point.subject] = subject_key(point.subject)
        aspect = keys.get(point.aspect)
        if aspect is None:
            aspect = keys[point.aspect] = subject_key(point.aspect)
        group = (point.team, aspect)
        found = exact.get((*group, key))
        if found is None and len(key) >= _FUZZY_MIN_CHARS and names.get(group):
            match = process.extractOne(
                key, names[group], scorer=Indel.normalized_similarity, score_cutoff=MATCH_MIN
            )
            if match is not None:
                found = owners[group][match[2]]
        if found is not None and last_report[found] == point.report:
            found = None  # a second figure of the same item in one report is another item
        if found is None:
            found = len(series)
            series.append(Series(point.team, point.aspect))
            last_report.append("")
        if (*group, key) not in exact:
            exact[(*group, key)] = found
            names.setdefault(group, []).append(key)
            owners.setdefault(group, []).append(found)
        series[found].points.append(point)
        last_report[found] = point.report
    return series
