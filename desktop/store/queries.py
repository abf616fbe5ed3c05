"""Read-only questions the command line and the window ask of the cache."""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from desktop.core.model import Incident, Metric, PlanItem, Report, Section
from desktop.store.database import folder_text
from desktop.store.schema import CACHE_ID_KEY, GENERATION_KEY

if TYPE_CHECKING:
    import sqlite_utils

REPORT_COLUMNS = (
    "path, title, label, date, iso_week, date_source, n_sections, n_metrics, warnings, parent, team,"
    " sequence, kind, sort_title"
)
# Everywhere reports are listed: by date (undated last), then issue number, then a natural sort of
# the title (第 9 期 before 第 10 期), then path.
REPORT_ORDER = "date IS NULL, date, sequence IS NULL, sequence, sort_title, path"
# REPORT_ORDER as a row value without NULLs, for "the reports before this one" (NULL compares as unknown).
_PLACE_TERMS = (
    "date IS NULL",
    "coalesce(date, '')",
    "sequence IS NULL",
    "coalesce(sequence, 0)",
    "coalesce(sort_title, '')",
    "path",
)
_PLACE = ", ".join(_PLACE_TERMS)
_PLACE_DESC = ", ".join(f"{term} DESC" for term in _PLACE_TERMS)


class ReportRow(NamedTuple):
    """One report as the listings show it. A NamedTuple: the window makes 50,000 of them on every index
    run, on a thread whose time holding the interpreter is time the window waits (a frozen dataclass
    took three times as long to make)."""

    path: str
    title: str
    label: str | None
    date: str
    iso_week: str
    date_source: str
    sections: int
    metrics: int
    warnings: list[str]
    parent: str | None
    team: str | None
    sequence: int | None = None
    kind: str = "report"  # "report" or "page" (not a week: never charted, compared or digested)
    sort_title: str = ""  # the title's natural sort key as the cache keeps it (dates.natural_key)

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "title": self.title,
            "label": self.label,
            "date": self.date or None,
            "iso_week": self.iso_week or None,
            "date_source": self.date_source,
            "sections": self.sections,
            "metrics": self.metrics,
            "warnings": self.warnings,
            "parent": self.parent,
            "sequence": self.sequence,
            "kind": self.kind,
        }


def _row(r: tuple[Any, ...]) -> ReportRow:
    return ReportRow(
        r[0],
        r[1],
        r[2],
        r[3] or "",  # undated (date_source "none")
        r[4] or "",
        r[5],
        int(r[6]),
        int(r[7]),
        json.loads(r[8]) if r[8] and r[8] != "[]" else [],  # most reports have none: skip the parse
        r[9],
        r[10],
        r[11],
        r[12] or "report",
        r[13] or "",
    )


def list_reports(db: sqlite_utils.Database, *, include_children: bool = True) -> list[ReportRow]:
    """Reports in REPORT_ORDER, oldest first, so the order is the order of the weeks; pages included
    (the tree shows them; filter on `kind` for weeks)."""
    where = "" if include_children else "WHERE parent IS NULL"
    rows = db.execute(f"SELECT {REPORT_COLUMNS} FROM reports {where} ORDER BY {REPORT_ORDER}").fetchall()
    return [_row(r) for r in rows]


def listing(db: sqlite_utils.Database) -> tuple[list[ReportRow], str | None]:
    """list_reports, with the generation of the reports table it was read at (one snapshot)."""
    db.execute("BEGIN")
    try:
        return list_reports(db), generation(db)
    finally:
        db.execute("COMMIT")


def generation(db: sqlite_utils.Database) -> str | None:
    """The cache file's own id and the count of writes to its reports table: equal twice, no process
    wrote a report in between, and the file was not rebuilt. None for a cache that does not keep them."""
    row = db.execute(
        "SELECT (SELECT value FROM meta WHERE key = ?) || ':' || (SELECT value FROM meta WHERE key = ?)",
        [CACHE_ID_KEY, GENERATION_KEY],
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def opening_report(db: sqlite_utils.Database) -> str | None:
    """The report the window opens a folder at, from the cache (presenters/folder.py's _newest_report
    finds it in the listing): the newest weekly report dated by more than its file time, else the
    last top-level file listed."""
    for condition in ("kind = 'report' AND coalesce(date_source, '') NOT IN ('mtime', 'none')", "1"):
        row = db.execute(
            f"SELECT path FROM reports WHERE parent IS NULL AND {condition} ORDER BY {_PLACE_DESC} LIMIT 1"
        ).fetchone()
        if row is not None:
            return str(row[0])
    return None


def get_report_row(db: sqlite_utils.Database, path: str) -> ReportRow | None:
    r = db.execute(f"SELECT {REPORT_COLUMNS} FROM reports WHERE path = ?", [path]).fetchone()
    return None if r is None else _row(r)


def report_text(db: sqlite_utils.Database, path: str) -> str | None:
    """The report's text as it was indexed, read from its file; None when that version is gone."""
    return folder_text(db).text(db.conn, path)


def section_texts(
    db: sqlite_utils.Database, paths: list[str], *, outline_when_unread: bool = False
) -> dict[str, tuple[str, list[tuple[int, str, str, str]]]]:
    """Each report's text and its sections (index, key, title, markdown), for those in the cache whose
    files are as indexed: one read of each file. `outline_when_unread`: a report whose file is not
    that version comes too, with no text (its sections' places and titles only)."""
    texts = folder_text(db)
    found: dict[str, tuple[str, list[tuple[int, str, str, str]]]] = {}
    for start in range(0, len(paths), 500):  # under SQLite's bound-parameter limit
        chunk = paths[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows: dict[str, list[tuple[int, str, str, int, int]]] = {}
        for report, idx, key, title, first, last in db.execute(
            f"SELECT report, idx, key, title, first_line, last_line FROM sections WHERE report IN ({marks})"
            " AND idx >= 0 ORDER BY report, idx",
            chunk,
        ):
            rows.setdefault(report, []).append((idx, key, title, first, last))
        known = (
            {str(r[0]) for r in db.execute(f"SELECT path FROM reports WHERE path IN ({marks})", chunk)}
            if outline_when_unread
            else set()
        )
        for path in chunk:
            read = texts.read(db.conn, path)
            if read is None:
                if path in known:
                    found[path] = ("", [(i, k, t, "") for i, k, t, _a, _b in rows.get(path, [])])
                continue
            text, lines = read
            cut = [(i, k, t, "\n".join(lines[max(a - 1, 0) : b])) for i, k, t, a, b in rows.get(path, [])]
            found[path] = (text, cut)
    return found


def sections_of(db: sqlite_utils.Database, path: str) -> list[Section]:
    """The report's sections, each with its lines of the file ("" once the file is another version)."""
    rows = db.execute(
        "SELECT idx, title, kind, level, parent, first_line, last_line, end_line, key, okr"
        " FROM sections WHERE report = ? AND idx >= 0 ORDER BY idx",
        [path],
    ).fetchall()
    lines = folder_text(db).lines(db.conn, path) or []
    return [
        Section(
            idx, title, kind, level, parent, first, last, end, key, okr, "\n".join(lines[first - 1 : last])
        )
        for idx, title, kind, level, parent, first, last, end, key, okr in rows
    ]


def metrics_of(db: sqlite_utils.Database, path: str) -> list[Metric]:
    rows = db.execute(
        "SELECT name, raw_label, value, unit, line, text, section, kind, target, target_source, derived"
        " FROM metrics WHERE report = ? ORDER BY line, rowid",
        [path],
    ).fetchall()
    return [
        Metric(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], derived=bool(r[10])) for r in rows
    ]


def load_report(db: sqlite_utils.Database, path: str) -> Report | None:
    """The whole parsed report back from the cache (for comparing two weeks)."""
    row = db.execute(
        "SELECT path, title, label, date, iso_week, date_source, encoding, warnings, parent, team,"
        " sequence, kind FROM reports WHERE path = ?",
        [path],
    ).fetchone()
    text = None if row is None else report_text(db, path)
    if row is None or text is None:
        return None
    sections = sections_of(db, path)
    incidents = [
        Incident(*r)
        for r in db.execute(
            "SELECT date, time, text, line, section FROM incidents WHERE report = ? ORDER BY line", [path]
        )
    ]
    plans = [
        PlanItem(*r)
        for r in db.execute("SELECT text, line, section FROM plans WHERE report = ? ORDER BY line", [path])
    ]
    return Report(
        path=row[0],
        title=row[1],
        label=row[2],
        date=row[3] or "",
        iso_week=row[4] or "",
        date_source=row[5],
        encoding=row[6],
        text=text,
        sections=sections,
        metrics=metrics_of(db, path),
        incidents=incidents,
        plans=plans,
        warnings=json.loads(row[7]) if row[7] else [],
        parent=row[8],
        team=row[9],
        sequence=row[10],
        kind=row[11] or "report",
    )


@dataclass(frozen=True, slots=True)
class MetricRow:
    report: str
    label: str | None
    date: str
    team: str | None
    metric: str
    raw_label: str
    value: float
    unit: str
    section: str | None
    section_index: int | None
    line: int
    text: str
    kind: str = "figure"  # "kpi" or "figure"
    target: float | None = None  # stated in the report, else the alias table's (target_source says)
    target_source: str | None = None
    derived: bool = False  # computed (CD from C and D), not written in the report
    sequence: int | None = None  # the report's issue number: the x of a chart of undated reports

    def as_json(self) -> dict[str, object]:
        return {field: getattr(self, field) for field in METRIC_FIELDS}


# The columns of `metrics --format json|csv`, in order; "metric" is the canonical name.
METRIC_FIELDS = (
    "report", "label", "date", "metric", "raw_label", "value", "unit", "section", "line", "text",
    "kind", "target", "derived", "sequence",
)  # fmt: skip


def metric_rows(
    db: sqlite_utils.Database,
    names: list[str] | None = None,
    *,
    first_per_report: bool = False,
    lean: bool = False,
    team: str | None = None,
) -> list[MetricRow]:
    """Metric values in week order; sub-pages are left out (their numbers are not the week's KPIs).

    first_per_report keeps one value per report and metric, the first the report gives (its
    summary): a chart wants one point per week, not every table that repeats the label.
    lean leaves out each row's source line and label as written (the chart shows neither) and shares
    the strings rows repeat (paths, dates, names): at 50,000 reports the chart's rows took hundreds of
    megabytes otherwise.
    team: only that team's reports (a chart of many teams draws one team at a time).
    """
    where = "WHERE r.parent IS NULL AND r.kind = 'report'"
    params: list[object] = []
    if first_per_report:
        # The first row of each report and metric, among the rows asked for only: over every row of
        # the folder this took 2.7 s at 50,000 reports, for a team's chart of 9,000 rows (now 0.09 s).
        first = []
        if names:
            first.append(f"t.name IN ({', '.join('?' for _ in names)})")
            params.extend(names)
        if team is not None:
            first.append("t.report_id IN (SELECT id FROM reports WHERE team = ?)")
            params.append(team)
        within = f" WHERE {' AND '.join(first)}" if first else ""
        where += (
            f" AND m.rowid IN (SELECT min(t.rowid) FROM metric_rows t{within} GROUP BY t.report_id, t.name)"
        )
    if team is not None:
        where += " AND r.team = ?"
        params.append(team)
    if names:
        where += f" AND m.name IN ({', '.join('?' for _ in names)})"
        params.extend(names)
    text = "''" if lean else "m.text"
    raw_label = "m.name" if lean else "m.raw_label"
    rows = db.execute(
        f"SELECT m.report, r.label, coalesce(r.date, ''), r.team, m.name, {raw_label}, m.value, m.unit,"
        f" m.section_title, m.section, m.line, {text}, m.kind, m.target, m.target_source, m.derived,"
        " r.sequence"
        " FROM metrics m JOIN reports r ON r.path = m.report"
        f" {where} ORDER BY r.date IS NULL, r.date, r.sequence IS NULL, r.sequence, r.sort_title, m.report,"
        " m.line, m.rowid",
        params,
    )
    shared: dict[Any, Any] = {}
    one: Callable[[Any, Any], Any] = shared.setdefault if lean else _same
    out = []
    for r in rows:
        (report, label, date, row_team, metric, raw, value, unit, section, index, line, line_text) = r[:12]
        kind, target, target_source, derived, sequence = r[12:]
        out.append(
            MetricRow(
                one(report, report),
                one(label, label),
                one(date, date),
                one(row_team, row_team),
                one(metric, metric),
                one(raw, raw),
                value,
                one(unit, unit),
                one(section, section),
                index,
                line,
                line_text,
                one(kind, kind),
                target,
                one(target_source, target_source),
                bool(derived),
                sequence,
            )
        )
    return out


def _same(value: Any, _default: Any) -> Any:
    return value


_NAME_COUNTS = (
    "SELECT name, count(DISTINCT report_id), sum(kind = 'kpi') FROM metric_rows{where} GROUP BY name"
)
_NOT_WEEKLY = "SELECT id FROM reports WHERE parent IS NOT NULL OR kind IS NOT 'report'"


def metric_list(db: sqlite_utils.Database) -> list[tuple[str, int, str]]:
    """Every metric the weekly reports give: its name, how many reports give it and its kind ("kpi":
    listed first and charted; "figure": behind "show all"), most common first.

    Counted over every report from the (name, report_id, kind) index alone, in its order, less what
    the reports that are not weeks (sub-pages, pages: few) add: a count of distinct weekly reports
    over the metrics view took 2.4 s at 50,000 reports and the kinds 1.4 s more; this, 0.36 s.
    """
    counts: dict[str, list[int]] = {
        str(name): [int(n), int(kpi or 0)] for name, n, kpi in db.execute(_NAME_COUNTS.format(where=""))
    }
    # Report ids differ between reports, so the distinct counts of the two sets add up.
    for name, n, kpi in db.execute(_NAME_COUNTS.format(where=f" WHERE report_id IN ({_NOT_WEEKLY})")):
        counts[str(name)][0] -= int(n)
        counts[str(name)][1] -= int(kpi or 0)
    listed = [(name, n, "kpi" if kpi > 0 else "figure") for name, (n, kpi) in counts.items() if n > 0]
    listed.sort(key=lambda item: (-item[1], item[0]))
    return listed


def metric_kinds(db: sqlite_utils.Database) -> dict[str, str]:
    """Each metric name's kind: "kpi" (listed first, charted) or "figure" (behind "show all")."""
    return {name: kind for name, _, kind in metric_list(db)}


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    kind: str  # "skipped" or "warning"
    message: str


def problems(db: sqlite_utils.Database) -> list[Problem]:
    return [Problem(*r) for r in db.execute("SELECT path, kind, message FROM problems ORDER BY path, rowid")]


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    where = {"sections": " WHERE idx >= 0"}
    return {
        table: int(db.execute(f"SELECT count(*) FROM {table}{where.get(table, '')}").fetchone()[0])
        for table in ("reports", "sections", "metrics", "incidents")
    }


def outlines(db: sqlite_utils.Database, paths: list[str]) -> dict[str, list[Section]]:
    """Section outlines of several reports without their text (the tree needs titles, not bodies)."""
    result: dict[str, list[Section]] = {p: [] for p in paths}
    for start in range(0, len(paths), 500):  # stay under SQLite's bound-parameter limit
        chunk = paths[start : start + 500]
        rows = db.execute(
            "SELECT report, idx, title, kind, level, parent, first_line, last_line, end_line, key, okr"
            f" FROM sections WHERE report IN ({', '.join('?' for _ in chunk)}) AND idx >= 0"
            " ORDER BY report, idx",
            chunk,
        ).fetchall()
        for r in rows:
            idx, title, kind, level, parent, first, last, end, key, okr = r[1:]
            result[r[0]].append(Section(idx, title, kind, level, parent, first, last, end, key, okr, ""))
    return result


def report_rows(db: sqlite_utils.Database, paths: list[str]) -> list[ReportRow]:
    out: list[ReportRow] = []
    for start in range(0, len(paths), 500):
        chunk = paths[start : start + 500]
        rows = db.execute(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE path IN ({', '.join('?' for _ in chunk)})", chunk
        ).fetchall()
        out.extend(_row(r) for r in rows)
    return out


def _weeks_before(db: sqlite_utils.Database, path: str, limit: int) -> list[str]:
    """The weekly reports (no sub-pages, no pages) of the same team before `path`, nearest first."""
    row = db.execute(
        f"SELECT team, {_PLACE} FROM reports WHERE path = ? AND parent IS NULL AND kind = 'report'", [path]
    ).fetchone()
    if row is None:
        return []  # not a weekly report (a sub-page, a README), or not in the cache
    # Only the `limit` reports before it in the listings' order, not the team's whole list (at 50,000
    # reports the reader's every page read 1,300 paths into Python to find its place among them).
    return [
        str(r[0])
        for r in db.execute(
            "SELECT path FROM reports WHERE parent IS NULL AND kind = 'report' AND team IS ?"
            f" AND ({_PLACE}) < ({', '.join('?' * len(_PLACE_TERMS))}) ORDER BY {_PLACE_DESC} LIMIT ?",
            [row[0], *row[1:], limit],
        )
    ]


PREVIOUS_WEEKS = 12  # how far back "change since the previous report" looks for a metric


def _place(row: ReportRow) -> tuple[bool, str, bool, int, str, str]:
    """A row's place in REPORT_ORDER, as _PLACE_TERMS gives it (UTF-8 bytes and code points sort alike).
    A listed row is undated when its date is "" (_row)."""
    return (
        not row.date,
        row.date or "",
        row.sequence is None,
        row.sequence or 0,
        row.sort_title or "",
        row.path,
    )


def weeks_before(rows: Sequence[ReportRow], row: ReportRow, limit: int) -> list[str] | None:
    """What _weeks_before answers for `row`, from a listing of the folder (rows in REPORT_ORDER): no
    scan. None when the listing does not hold the row as it is (a cold index lists only at its end).

    The row is found by bisection and the team's earlier weeks lie near it, so the walk back is short;
    the query scans and sorts the team's rows (9-15 ms at 50,000 reports, for every page the reader
    shows, on the window's thread).
    """
    at = bisect.bisect_left(rows, _place(row), key=_place)
    if at == len(rows) or rows[at] != row:
        return None
    if row.parent is not None or row.kind != "report":
        return []
    earlier: list[str] = []
    for i in range(at - 1, -1, -1):
        other = rows[i]
        if other.team == row.team and other.parent is None and other.kind == "report":
            earlier.append(other.path)
            if len(earlier) >= limit:
                break
    return earlier


def previous_values(
    db: sqlite_utils.Database, path: str, weeks: int = PREVIOUS_WEEKS, earlier: list[str] | None = None
) -> dict[str, tuple[float, str]]:
    """Each metric's value and unit in the latest of the previous `weeks` reports of the same team
    (`earlier`, nearest first, when the caller knows them)."""
    if earlier is None:
        earlier = _weeks_before(db, path, weeks)
    if not earlier:
        return {}
    rank = {p: i for i, p in enumerate(earlier)}
    rows = db.execute(
        f"SELECT report, name, value, unit FROM metrics WHERE report IN ({', '.join('?' for _ in earlier)})"
        " ORDER BY line DESC",
        earlier,
    ).fetchall()
    values: dict[str, tuple[int, float, str]] = {}
    for report, name, value, unit in rows:
        # The nearest report wins; within a report the first mention (rows come last line first).
        if name not in values or rank[report] <= values[name][0]:
            values[name] = (rank[report], float(value), unit)
    return {name: (value, unit) for name, (_, value, unit) in values.items()}


def resolve_report(db: sqlite_utils.Database, ref: str) -> tuple[str | None, list[ReportRow]]:
    """A report named by path, week label (`2024-W24`, `第42周`) or date; else None and the candidates.

    Several matches come back as candidates so the caller can say which ones; none, as all weeks.
    """
    # A path (what scripts pass) is one indexed lookup; the other forms look through every report.
    exact = get_report_row(db, ref.strip().replace("\\", "/"))
    if exact is not None:
        return exact.path, [exact]
    return resolve_among(list_reports(db), ref)


def resolve_among(rows: list[ReportRow], ref: str) -> tuple[str | None, list[ReportRow]]:
    """resolve_report over a report list already read (the window holds one per index)."""
    text = ref.strip().replace("\\", "/")
    folded = text.casefold()
    for row in rows:
        if row.path == text:
            return row.path, [row]
    weekly = [r for r in rows if r.parent is None and r.kind == "report"]
    tests: tuple[Callable[[ReportRow], bool], ...] = (
        lambda r: r.path.casefold().rsplit(".", 1)[0] == folded,
        lambda r: (r.label or "").casefold() == folded,
        lambda r: r.iso_week.casefold() == folded or r.date == text,
        lambda r: folded in r.title.casefold() or folded in r.path.casefold(),
    )
    for test in tests:
        found = [r for r in weekly if test(r)]
        if len(found) == 1:
            return found[0].path, found
        if found:
            return None, found
    return None, weekly


def previous_report(db: sqlite_utils.Database, path: str) -> str | None:
    """The weekly report before `path` in the same team (a sub-page counts as its week)."""
    row = db.execute("SELECT parent FROM reports WHERE path = ?", [path]).fetchone()
    if row is None:
        return None
    if row[0] is not None:
        return previous_report(db, row[0])
    earlier = _weeks_before(db, path, 1)
    return earlier[0] if earlier else None


def file_paths(db: sqlite_utils.Database) -> list[str]:
    """Every file the cache knows of, reports and skipped files alike."""
    return [str(r[0]) for r in db.execute("SELECT path FROM files ORDER BY path")]


def reports_with_section(db: sqlite_utils.Database, text: str, limit: int = 1000) -> list[str]:
    """Reports with a section title containing text (case-insensitive for Latin letters)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = db.execute(
        "SELECT DISTINCT report FROM sections WHERE idx >= 0 AND title LIKE ? ESCAPE '\\' LIMIT ?",
        [pattern, limit],
    ).fetchall()
    return [str(r[0]) for r in rows]
