"""Teams and weeks for the overview: who a report belongs to, which week it covers, which weeks are missing.

A top-level subfolder of the opened folder is a team; folders named for a period (`2024/`, `2024-06/`,
`2024年/`, `2024-W34/`, `第34周/`) organise time, not teams, wherever they sit. Reports with no team folder
belong to a team named after the opened folder itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.core.dates import iso_week_label, label_week
from desktop.core.scanner import strip_notion_id

_PERIOD = re.compile(
    r"^(?:\d{4}(?:[-_. ]?(?:\d{1,2}|Q[1-4]))?"  # 2024, 2024-06, 2024 Q3
    r"|Q[1-4]|\d{4}\s*年(?:\s*\d{1,2}\s*月)?|\d{1,2}\s*月"  # Q3, 2024年, 2024年6月, 6月
    r"|\d{4}[-_ ]?W\d{1,2}|W\d{1,2}|(?:\d{4}\s*年\s*)?第\s*\d{1,2}\s*[周週]|week\s*\d{1,2})$",
    re.I,
)
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
# Biweekly: most gaps between a team's reports are two weeks, over enough reports to be a rhythm.
_BIWEEKLY_MIN_GAPS = 3
_BIWEEKLY_SHARE = 0.6  # of gaps that are two weeks
_WEEKLY_SHARE = 0.25  # at most this share of one-week gaps


@functools.lru_cache(maxsize=4096)
def is_period(name: str) -> bool:
    """Whether a folder name names a year, month, quarter or week rather than a team."""
    return bool(_PERIOD.match(strip_notion_id(name).strip()))


def team_of_path(path: str, root_name: str, parent: str | None = None) -> str:
    """The team of a report at `path` (relative, with "/"); a Notion sub-page goes with its page."""
    first, slash, _rest = (parent or path).partition("/")
    if not slash:
        return root_name
    return _folder_team(first, root_name)


@functools.lru_cache(maxsize=4096)
def _folder_team(first: str, root_name: str) -> str:
    name = strip_notion_id(first)
    return root_name if is_period(name) else name


def report_week(label: str | None, date: str) -> str:
    """ISO week of the report: its week label's when the label names one, else its date's."""
    day = dt.date.fromisoformat(date)
    return label_week(label, day) or iso_week_label(day)


@functools.lru_cache(maxsize=8192)
def parse_week(week: str) -> dt.date | None:
    """The Monday of `YYYY-Www`, or None when it is not a valid ISO week."""
    match = _WEEK.match(week)
    if not match:
        return None
    try:
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


@functools.lru_cache(maxsize=8192)  # weeks repeat across teams and are asked for again and again
def week_index(week: str) -> int:
    """Weeks since a fixed Monday, so that week arithmetic is subtraction."""
    monday = parse_week(week)
    if monday is None:
        raise ValueError(f"not an ISO week: {week!r}")
    return monday.toordinal() // 7


def week_of_index(index: int) -> str:
    return iso_week_label(dt.date.fromordinal(index * 7 + 1))


@dataclass(frozen=True, slots=True)
class Rhythm:
    biweekly: bool
    missing: list[str]  # ISO weeks, oldest first


def is_biweekly(weeks: Sequence[int]) -> bool:
    gaps = [b - a for a, b in itertools.pairwise(weeks) if b > a]
    if len(gaps) < _BIWEEKLY_MIN_GAPS:
        return False
    twos = sum(1 for g in gaps if g == 2)
    ones = sum(1 for g in gaps if g == 1)
    return twos >= _BIWEEKLY_SHARE * len(gaps) and ones <= _WEEKLY_SHARE * len(gaps)


def missing_weeks(weeks: Iterable[str], until: str) -> Rhythm:
    """Weeks without a report from the first report to `until` (inclusive).

    A biweekly team misses a week only where its two-week rhythm has a hole: a gap of 4 weeks misses
    one report, a gap of 3 is a slip, not a miss.
    """
    end = week_index(until)
    present = sorted({i for w in weeks if (i := week_index(w)) <= end})
    if not present:
        return Rhythm(False, [])
    biweekly = is_biweekly(present)
    missing: list[int] = []
    if not biweekly:
        have = set(present)
        missing = [i for i in range(present[0], end + 1) if i not in have]
    else:
        for a, b in zip(present, [*present[1:], end + 2], strict=True):
            # The last stretch runs to `until`; +2 makes its arithmetic the same as a gap's.
            gap = b - a
            missing.extend(a + 2 * k for k in range(1, gap // 2) if a + 2 * k <= end)
    return Rhythm(biweekly, [week_of_index(i) for i in missing])
