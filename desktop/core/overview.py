"""The Monday overview: for one week, every team's report, KPI alerts, incidents, plans and silent topics.

Pure logic over plain records the store reads (see desktop/store/overview.py): `select_window` says
which reports the chosen week needs, `build_overview` turns their rows into the overview.
"""

from __future__ import annotations

import functools
import itertools
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from desktop.core.aliases import MetricInfo
from desktop.core.compare import check_plan
from desktop.core.kpis import Change, change, comparable
from desktop.core.model import Incident, PlanItem, Report
from desktop.core.teams import missing_weeks, week_index, week_of_index

HISTORY = 10  # reports per team read for a week: this one and nine before (8 plans back, 8 values back)
ANOMALY_FACTOR = 3.0  # a change this many times the median week-to-week change is an anomaly
ANOMALY_WINDOW = 8  # earlier values the median is taken over
ANOMALY_MIN_EARLIER = 4
SILENT_WINDOW = 8  # earlier reports a topic must have been seen in
SILENT_MIN_SEEN = 3
SILENT_MIN_RUN = 2  # latest reports without it
PLAN_MATCH = 80  # rapidfuzz ratio for "the same item" across plans
PLAN_MATCH_PARTIAL = 90  # partial ratio, for an item that gained or lost a few words
_PLAN_PARTIAL_MIN_CHARS = 6
AB_GRADES = frozenset({"事故数AB级", "事故数A级", "事故数B级"})


# --- What the store hands in -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportRef:
    path: str
    label: str | None
    date: str
    team: str
    week: str  # ISO week, from the label when it names one (teams.report_week)


@dataclass(frozen=True, slots=True)
class MetricPoint:
    report: str
    name: str
    value: float
    unit: str
    line: int
    text: str
    section: int | None = None
    target: float | None = None  # the target the report itself states for this metric


@dataclass(frozen=True, slots=True)
class SectionKey:
    report: str
    index: int
    key: str
    title: str
    line: int


@dataclass(frozen=True, slots=True)
class OverviewData:
    reports: list[ReportRef]  # every weekly report (no sub-pages), oldest first
    metrics: Mapping[str, Sequence[MetricPoint]] = field(default_factory=dict)
    incidents: Mapping[str, Sequence[Incident]] = field(default_factory=dict)
    plans: Mapping[str, Sequence[PlanItem]] = field(default_factory=dict)
    keys: Mapping[str, Sequence[SectionKey]] = field(default_factory=dict)
    current: Mapping[str, Report] = field(default_factory=dict)  # this week's reports, whole
    window: Window | None = None  # select_window's answer when the reader already asked it


@dataclass(frozen=True, slots=True)
class Window:
    week: str
    current: dict[str, ReportRef]  # team → its report of the week
    history: dict[str, list[ReportRef]]  # team → its last HISTORY reports up to the week, oldest first

    def paths(self) -> list[str]:
        return sorted({r.path for refs in self.history.values() for r in refs})


# --- What comes out -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TeamRow:
    team: str
    report: str | None
    label: str | None
    date: str | None
    status: str  # "present" | "missing"
    due: bool  # False in a biweekly team's off week
    biweekly: bool
    alerts: int


@dataclass(frozen=True, slots=True)
class MissingWeek:
    team: str
    week: str


@dataclass(frozen=True, slots=True)
class Alert:
    team: str
    report: str
    metric: str
    value: float
    previous: float | None
    target: float | None
    kind: str  # "below_target" | "anomaly" | "ab_incidents"
    text: str  # the source line
    line: int
    section: int | None
    unit: str
    change: Change | None = None  # since the previous report (kpis.change: the viewer's badge, the chart's)


@dataclass(frozen=True, slots=True)
class IncidentRow:
    team: str
    report: str
    date: str | None
    time: str | None
    text: str
    line: int
    section: int | None


@dataclass(frozen=True, slots=True)
class PlanRow:
    team: str
    item: str
    status: str  # "done" | "in_progress" | "not_found"
    weeks_open: int  # consecutive plans carrying the item, not done; 0 once done
    plan_report: str  # the report whose plan holds the item
    plan_line: int
    report: str  # this week's report the item was looked for in
    evidence: str | None
    evidence_line: int | None


@dataclass(frozen=True, slots=True)
class SilentTopic:
    team: str
    topic: str
    last_seen: str  # ISO week
    weeks_silent: int
    report: str  # where it was last seen
    section: int
    line: int


@dataclass(frozen=True, slots=True)
class Overview:
    week: str
    teams: list[TeamRow]
    missing: list[MissingWeek]
    alerts: list[Alert]
    incidents: list[IncidentRow]
    plans: list[PlanRow]
    silent_topics: list[SilentTopic]
    follow_ups: list[dict[str, object]]


# --- Weeks ---------------------------------------------------------------------------------------


def known_weeks(reports: Sequence[ReportRef]) -> list[str]:
    """Every ISO week from the first report's to the last one's, newest first: the week picker's list."""
    if not reports:
        return []
    indexes = [week_index(r.week) for r in reports]
    return [week_of_index(i) for i in range(max(indexes), min(indexes) - 1, -1)]


def latest_week(reports: Sequence[ReportRef]) -> str | None:
    return max((r.week for r in reports), key=week_index, default=None)


def select_window(reports: Sequence[ReportRef], week: str) -> Window:
    """Which reports the overview of `week` reads: per team, its report of the week and its history."""
    end = week_index(week)
    by_team: dict[str, list[ReportRef]] = defaultdict(list)
    for ref in reports:
        if week_index(ref.week) <= end:
            by_team[ref.team].append(ref)
    for refs in by_team.values():
        refs.sort(key=lambda r: (week_index(r.week), r.date, r.path))  # by week: a label may move one
    current: dict[str, ReportRef] = {}
    history: dict[str, list[ReportRef]] = {}
    for team, refs in by_team.items():
        # Two reports in one week: the later counts, the earlier is history like any other.
        if refs[-1].week == week:
            current[team] = refs[-1]
        history[team] = refs[-HISTORY:]
    return Window(week, current, history)


# --- The overview --------------------------------------------------------------------------------


def build_overview(
    data: OverviewData,
    week: str,
    info: Callable[[str], MetricInfo | None],
    follow_ups: Sequence[dict[str, object]] = (),
) -> Overview:
    """The overview of `week`; `info` is the alias table's lookup (AliasTable.info)."""
    window = data.window if data.window is not None and data.window.week == week else None
    window = window or select_window(data.reports, week)
    weeks_by_team: dict[str, list[str]] = defaultdict(list)
    for r in data.reports:
        weeks_by_team[r.team].append(r.week)
    teams: list[TeamRow] = []
    missing: list[MissingWeek] = []
    alerts: list[Alert] = []
    incidents: list[IncidentRow] = []
    plans: list[PlanRow] = []
    silent: list[SilentTopic] = []
    for team in sorted(window.history):
        rhythm = missing_weeks(weeks_by_team[team], week)
        missing.extend(MissingWeek(team, w) for w in rhythm.missing)
        history = window.history[team]
        ref = window.current.get(team)
        team_alerts = kpi_alerts(team, ref, history, data.metrics, info) if ref else []
        alerts.extend(team_alerts)
        teams.append(
            TeamRow(
                team,
                ref.path if ref else None,
                ref.label if ref else None,
                ref.date if ref else None,
                "present" if ref else "missing",
                ref is not None or week in rhythm.missing or not rhythm.biweekly,
                rhythm.biweekly,
                len(team_alerts),
            )
        )
        if ref is not None:
            incidents.extend(week_incidents(team, ref, data.incidents))
            plans.extend(plan_rows(team, ref, history, data.plans, data.current.get(ref.path)))
        silent.extend(silent_topics(team, history, data.keys, week))
    return Overview(week, teams, missing, alerts, incidents, plans, silent, list(follow_ups))


def _previous(points: Sequence[MetricPoint], unit: str) -> list[MetricPoint]:
    """The earlier points that measure the same thing (kpis.comparable: 99.9 and 99.95% do)."""
    return [p for p in points if comparable(p.unit, unit)]


def kpi_alerts(
    team: str,
    ref: ReportRef,
    history: Sequence[ReportRef],
    metrics: Mapping[str, Sequence[MetricPoint]],
    info: Callable[[str], MetricInfo | None],
) -> list[Alert]:
    """The alerts of one team's report: AB-grade incidents, values past target, bad-direction jumps.

    One alert per metric line, the most pressing rule first: a breached target need not also be called
    an anomaly.
    """
    earlier = [r for r in history if r.path != ref.path][-ANOMALY_WINDOW:]
    series: dict[str, list[MetricPoint]] = defaultdict(list)  # metric → its earlier points, oldest first
    for r in earlier:
        seen: set[str] = set()
        for p in metrics.get(r.path, ()):
            if p.name not in seen:  # a metric named twice in one report counts once, its first value
                seen.add(p.name)
                series[p.name].append(p)
    out: list[Alert] = []
    for p in metrics.get(ref.path, ()):
        meta = info(p.name)
        better = meta.higher_is_better if meta else None
        target = p.target
        if target is None and meta is not None and (not meta.unit or not p.unit or meta.unit == p.unit):
            target = meta.target  # the table's target, unless the report writes the metric in another unit
        points = _previous(series.get(p.name, ()), p.unit)
        last = points[-1] if points else None
        moved = change((last.value, last.unit), p.value, p.unit, better) if last else None
        kind = _rule(p, better, target, [q.value for q in points], moved)
        if kind is not None:
            previous = last.value if last else None
            out.append(
                Alert(
                    team,
                    ref.path,
                    p.name,
                    p.value,
                    previous,
                    target,
                    kind,
                    p.text,
                    p.line,
                    p.section,
                    p.unit,
                    moved,
                )
            )
    return out


def _rule(
    p: MetricPoint,
    better: bool | None,
    target: float | None,
    earlier: Sequence[float],
    moved: Change | None,
) -> str | None:
    if p.name in AB_GRADES:
        return "ab_incidents" if p.value > 0 else None
    if target is not None and better is not None and (p.value < target if better else p.value > target):
        return "below_target"
    if moved is None or moved.direction != "worse" or len(earlier) < ANOMALY_MIN_EARLIER:
        return None
    steps = [abs(b - a) for a, b in itertools.pairwise(earlier)]
    median = statistics.median(steps)
    return "anomaly" if abs(moved.delta) > ANOMALY_FACTOR * median else None


def week_incidents(
    team: str, ref: ReportRef, incidents: Mapping[str, Sequence[Incident]]
) -> list[IncidentRow]:
    rows = [
        IncidentRow(team, ref.path, i.date, i.time, i.text, i.line, i.section)
        for i in incidents.get(ref.path, ())
    ]
    # Newest first; an undated incident goes last, in the order written.
    rows.sort(key=lambda r: r.line)
    rows.sort(key=lambda r: (r.date or "", r.time or ""), reverse=True)
    return rows


@functools.lru_cache(maxsize=4096)
def _plan_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def same_item(a: str, b: str) -> bool:
    """Whether two plan items (of different weeks) are the same piece of work, reworded a little."""
    ka, kb = _plan_key(a), _plan_key(b)
    if not ka or not kb:
        return False
    if fuzz.ratio(ka, kb) >= PLAN_MATCH:
        return True
    return (
        min(len(ka), len(kb)) >= _PLAN_PARTIAL_MIN_CHARS and fuzz.partial_ratio(ka, kb) >= PLAN_MATCH_PARTIAL
    )


def plan_rows(
    team: str,
    ref: ReportRef,
    history: Sequence[ReportRef],
    plans: Mapping[str, Sequence[PlanItem]],
    current: Report | None,
) -> list[PlanRow]:
    """Each item of the previous report's plan, looked for in this week's report, and how long it is open."""
    earlier = [r for r in history if r.path != ref.path]
    if not earlier or current is None:
        return []
    last = earlier[-1]
    items = list(plans.get(last.path, ()))
    checks = check_plan(items, current)
    older = [plans.get(r.path, ()) for r in reversed(earlier[:-1])]  # newest first
    out: list[PlanRow] = []
    for item, check in zip(items, checks, strict=True):
        carried = 1
        for plan in older:
            if not any(same_item(item.text, other.text) for other in plan):
                break
            carried += 1
        out.append(
            PlanRow(
                team,
                item.text,
                check.status,
                0 if check.status == "done" else carried,
                last.path,
                item.line,
                ref.path,
                check.evidence,
                check.evidence_line,
            )
        )
    return out


def silent_topics(
    team: str, history: Sequence[ReportRef], keys: Mapping[str, Sequence[SectionKey]], week: str
) -> list[SilentTopic]:
    """Topics seen in ≥ 3 of the 8 reports before the latest two and in neither of those two."""
    if len(history) < SILENT_MIN_RUN + SILENT_MIN_SEEN:
        return []
    recent = history[-SILENT_MIN_RUN:]
    before = history[-SILENT_MIN_RUN - SILENT_WINDOW : -SILENT_MIN_RUN]
    recent_keys = {k.key for r in recent for k in keys.get(r.path, ())}
    seen: dict[str, int] = defaultdict(int)
    last: dict[str, tuple[ReportRef, SectionKey]] = {}
    for r in before:
        for k in {k.key: k for k in keys.get(r.path, ())}.values():
            seen[k.key] += 1
            last[k.key] = (r, k)
    out = []
    for key, count in seen.items():
        if count < SILENT_MIN_SEEN or key in recent_keys:
            continue
        r, k = last[key]
        out.append(
            SilentTopic(team, k.title, r.week, week_index(week) - week_index(r.week), r.path, k.index, k.line)
        )
    out.sort(key=lambda t: (-t.weeks_silent, t.topic))
    return out
