"""The chart's series from metric rows, without Qt: one list per (metric, team), dated on the time axis,
or, for a folder whose reports carry no dates at all (numbered issues), placed by issue number.

The chart loader's thread runs this for a whole folder, so the panel only draws.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from desktop.store.queries import MetricRow

SeriesKey = tuple[str, str | None]
# Up to this many teams the chart draws every team's series; with more, one team at a time (TeamBox),
# and only that team's rows are loaded: 39 teams' rows were 283,000 objects made on a thread that held
# the interpreter for seconds while the window waited its turn.
ALL_TEAMS_MAX = 4


def noon_utc(date: str) -> float:
    day = dt.date.fromisoformat(date[:10])
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()


@dataclass
class SeriesRows:
    groups: dict[SeriesKey, list[MetricRow]] = field(default_factory=dict)
    reports: dict[str, set[str]] = field(default_factory=dict)  # metric -> the reports that have it
    stamps: dict[str, float] = field(default_factory=dict)  # date -> seconds, for every date charted
    xy: dict[SeriesKey, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # the plotted points
    axis: str = "date"  # "date": x is the report's date (seconds); "sequence": its issue number
    # Each report's team: of every report of the folder when the loader gives it (the team box lists
    # every team and follows any report opened, whichever team's rows were loaded), else of the rows'.
    report_team: dict[str, str | None] = field(default_factory=dict)

    @functools.cached_property
    def teams(self) -> list[str]:
        """The teams of report_team, sorted; worked out once (the loader's thread asks first)."""
        return sorted({t for t in self.report_team.values() if t is not None})

    def points(self, key: SeriesKey) -> tuple[np.ndarray, np.ndarray]:
        """A series' x (seconds, or issue numbers) and y, made once (on the loader's thread)."""
        found = self.xy.get(key)
        if found is None:
            rows = self.groups.get(key, [])
            if self.axis == "sequence":
                xs = np.fromiter((float(r.sequence or 0) for r in rows), float, len(rows))
            else:
                xs = np.fromiter((self.stamps[r.date] for r in rows), float, len(rows))
            ys = np.fromiter((r.value for r in rows), float, len(rows))
            found = self.xy[key] = (xs, ys)
        return found


def first_team(teams: Sequence[str], report_team: Mapping[str, str | None], report: str | None) -> str | None:
    """The team a chart of these teams starts with: None (all of them) for a few, else the open
    report's team, else the first."""
    if len(teams) <= ALL_TEAMS_MAX:
        return None
    followed = report_team.get(report) if report else None
    return followed if followed in teams else teams[0]


def group_rows(rows: Iterable[MetricRow], stamps: dict[str, float] | None = None) -> SeriesRows:
    """Rows in week order, grouped by (metric, team); rows with a date off the time axis are left out.

    When no row has a date but some have an issue number (a numbered weekly copied without usable
    modification times), the series run along the issue numbers instead, and rows without one are left
    out.
    """
    rows = list(rows)
    if rows and not any(r.date for r in rows) and any(r.sequence is not None for r in rows):
        return _by_sequence(rows)
    out = SeriesRows(stamps=dict(stamps or {}))
    bad: set[str] = set()
    for row in rows:
        date = row.date
        if date not in out.stamps:
            if date in bad:
                continue
            try:
                out.stamps[date] = noon_utc(date)
            except ValueError:
                bad.add(date)  # a date we cannot place on the time axis
                continue
        out.groups.setdefault((row.metric, row.team), []).append(row)
        out.reports.setdefault(row.metric, set()).add(row.report)
        out.report_team[row.report] = row.team
    return out


def _by_sequence(rows: list[MetricRow]) -> SeriesRows:
    out = SeriesRows(axis="sequence")
    for row in rows:
        if row.sequence is not None:
            out.groups.setdefault((row.metric, row.team), []).append(row)
            out.reports.setdefault(row.metric, set()).add(row.report)
            out.report_team[row.report] = row.team
    for group in out.groups.values():
        group.sort(key=lambda r: r.sequence or 0)  # stable: a report's own rows keep their order
    return out


def with_points(grouped: SeriesRows) -> SeriesRows:
    """Every series' points made now (the loader's thread calls this, so the panel only hands them over)."""
    for key in grouped.groups:
        grouped.points(key)
    np.median(np.array([0.0, np.nan]))  # numpy loads its median helpers on first use: here, not on the UI
    return grouped
