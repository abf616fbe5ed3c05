"""What the Monday overview reads from the cache: report rows, then the rows of the weeks it needs.

Two steps, a handful of queries in all: every weekly report's row (small: no text), then the metrics,
incidents, plans and section keys of the few reports the chosen week looks at, each in one query over
a JSON list of paths, and the whole text of this week's reports for the plan check.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from desktop.core.aliases import MetricInfo
from desktop.core.model import Incident, PlanItem, Report
from desktop.core.overview import (
    MetricPoint,
    Overview,
    OverviewData,
    ReportRef,
    SectionKey,
    build_overview,
    select_window,
)
from desktop.core.teams import report_week, team_of_path
from desktop.store.queries import load_report

_IN = "IN (SELECT value FROM json_each(?))"

if TYPE_CHECKING:
    import sqlite_utils  # only for annotations: importing it costs a tenth of a second


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return {str(r[1]) for r in db.execute(f"PRAGMA table_info({table})").fetchall()}


def read_reports(db: sqlite_utils.Database, root_name: str) -> list[ReportRef]:
    """Every weekly report, oldest first, with its team and ISO week; Notion sub-pages are left out."""
    # A cache that knows report kinds (report / page) says so itself; older ones know only parents.
    where = "kind = 'report'" if "kind" in _columns(db, "reports") else "parent IS NULL"
    # A date guessed from the file's modification time says nothing about which week a report covers.
    rows = db.execute(
        f"SELECT path, label, date, iso_week FROM reports WHERE {where} AND date_source != 'mtime'"
        " ORDER BY date, path"
    ).fetchall()
    out = []
    for path, label, date, iso_week in rows:
        try:
            # The stored week is the date's; only a label naming another week needs working out.
            week = iso_week if label is None or label == iso_week else report_week(label, date)
        except ValueError:
            continue  # a report without a usable date has no week to be in
        out.append(ReportRef(path, label, date, team_of_path(path, root_name), week))
    return out


def read_overview_data(db: sqlite_utils.Database, reports: Sequence[ReportRef], week: str) -> OverviewData:
    """The rows the overview of `week` needs, for the reports `read_reports` gave."""
    window = select_window(reports, week)
    paths = json.dumps(window.paths())
    stated = "target" in _columns(db, "metrics")
    metrics: dict[str, list[MetricPoint]] = defaultdict(list)
    for r in db.execute(
        "SELECT report, name, value, unit, line, text, section"
        + (", target" if stated else ", NULL")
        + f" FROM metrics WHERE report {_IN} ORDER BY report, line, rowid",
        [paths],
    ):
        metrics[r[0]].append(MetricPoint(r[0], r[1], float(r[2]), r[3] or "", r[4], r[5], r[6], r[7]))
    incidents: dict[str, list[Incident]] = defaultdict(list)
    for r in db.execute(
        "SELECT report, date, time, text, line, section FROM incidents"
        f" WHERE report {_IN} ORDER BY report, line",
        [paths],
    ):
        incidents[r[0]].append(Incident(*r[1:]))
    plans: dict[str, list[PlanItem]] = defaultdict(list)
    for r in db.execute(
        f"SELECT report, text, line, section FROM plans WHERE report {_IN} ORDER BY report, line", [paths]
    ):
        plans[r[0]].append(PlanItem(*r[1:]))
    keys: dict[str, list[SectionKey]] = defaultdict(list)
    for r in db.execute(
        f"SELECT report, idx, key, title, first_line FROM sections WHERE report {_IN} AND idx >= 0"
        " AND key IS NOT NULL AND key != '' ORDER BY report, idx",
        [paths],
    ):
        keys[r[0]].append(SectionKey(*r))
    current: dict[str, Report] = {}
    for ref in window.current.values():
        report = load_report(db, ref.path)
        if report is not None:
            current[ref.path] = report
    return OverviewData(
        list(reports), dict(metrics), dict(incidents), dict(plans), dict(keys), current, window
    )


def overview_for(
    db: sqlite_utils.Database,
    reports: Sequence[ReportRef],
    week: str,
    info: Callable[[str], MetricInfo | None],
    follow_ups: Sequence[dict[str, object]] = (),
) -> Overview:
    """The overview of `week` over `reports` (from read_reports), read and built in one call."""
    return build_overview(read_overview_data(db, reports, week), week, info, follow_ups)
