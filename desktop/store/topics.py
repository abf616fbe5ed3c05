"""Topics across weeks from the cache: the sections of one topic, and the progress figures of items."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from desktop.core.timeline import Entry, Topic, closest, gap_weeks
from desktop.store import derived
from desktop.store.database import folder_text
from desktop.store.texts import section_sql

if TYPE_CHECKING:
    import sqlite_utils

    from desktop.core.progress import Point, Series
    from desktop.store.queries import MetricRow

BATCH = 200  # entries per batch handed to the window


@dataclass(frozen=True, slots=True)
class TopicQuery:
    """A TOPIC as the store understands it: a key or code that exists, else a phrase."""

    topic: Topic
    team: str | None = None
    titles: tuple[tuple[str, str], ...] = ()  # for a key: (key, title as written) filed under it


class EntryHead(NamedTuple):
    """An entry without its text: what the plain `timeline` lists."""

    report: str
    label: str | None
    date: str
    iso_week: str
    team: str | None
    section: str


def _team_sql(team: str | None, params: list[object]) -> str:
    if team is None:
        return ""
    params.append(team)
    return " AND r.team = ?"


def resolve_topic(db: sqlite_utils.Database, text: str, team: str | None = None) -> TopicQuery | None:
    """Key or OKR code when a section has it, else a phrase found in some section; None if neither."""
    topic = Topic.parse(text)
    if topic.kind == "okr":
        if db.execute("SELECT 1 FROM section_rows WHERE okr = ? LIMIT 1", [topic.value]).fetchone():
            return TopicQuery(topic, team)
    elif topic.value:
        titles = tuple(_candidates(db, topic))
        if titles:
            return TopicQuery(topic, team, titles)
    phrase = text.strip()
    if phrase and _phrase_found(db, phrase, team):
        return TopicQuery(Topic("phrase", phrase), team)
    return None


# Ids first, in order, then the text batch by batch: sorting whole rows would read every section's
# text before the first one could be shown.
# The tables behind the `sections` view: joined to the reports by id, where the view would look up
# each section's report twice (once for its path, once more by that path).
_FROM = " FROM section_rows s JOIN reports r ON r.id = s.report_id LEFT JOIN files f ON f.path = r.path"
_IDS = "SELECT s.id" + _FROM
_ORDER = " ORDER BY r.date, r.path, s.idx"

# A section's text is its own lines and those of the sections inside it (`### A.` under `## 【O2】`),
# read from the report's file (desktop/store/texts.py keeps the file's lines for the next section).
_TEXT = f"coalesce({section_sql()}, '')"
_CHILDREN = (
    f"CASE WHEN s.end_line > s.last_line THEN (SELECT group_concat({section_sql(section='c')}, char(10))"
    " FROM section_rows c"
    " WHERE c.report_id = s.report_id AND c.idx > s.idx AND c.first_line <= s.end_line) END"
)
_SELECT = (
    f"SELECT s.id, r.path, r.label, r.date, r.iso_week, r.team, s.title, s.idx, s.key, {_TEXT},"
    f" {_CHILDREN}{_FROM}"
)
_SELECT_HEADS = "SELECT r.path, r.label, r.date, r.iso_week, r.team, s.title" + _FROM  # EntryHead's fields
# Entry.as_json() of each row, written by SQLite (see entries_json); the text joined as _entry does.
_SELECT_JSON = (
    "SELECT iso_week, CAST(json_object('report', report, 'label', label, 'date', date, 'team', team,"
    " 'section', title, 'key', key, 'text',"
    " CASE WHEN children IS NULL OR children = '' THEN markdown ELSE markdown || char(10) || children END)"
    " AS BLOB) FROM (SELECT r.path AS report, r.label AS label, r.date AS date, r.iso_week AS iso_week,"
    " r.team AS team,"
    f" s.title AS title, s.idx AS idx, s.key AS key, {_TEXT} AS markdown, {_CHILDREN} AS children"
    + _FROM
    + " WHERE {where}) ORDER BY date, report, idx"
)


def _candidates(db: sqlite_utils.Database, topic: Topic) -> list[tuple[str, str]]:
    """(key, title) of sections that may hold the topic: their key contains the topic key's start.

    The key of `【贝易转（C转）】` is `贝易转c转`: its topic key `贝易转` is no substring of every key
    that files under it, but its first characters are (a remark in brackets does not come first).
    """
    # Keys and titles only: the (key, title) index answers this without reading the sections' text.
    sql = "SELECT DISTINCT key, title FROM section_rows WHERE instr(key, ?) > 0"
    rows = db.execute(sql, [topic.value[:4]])
    return [(str(k), str(t)) for k, t in rows.fetchall() if topic.matches(str(t))]


def _phrase_where(db: sqlite_utils.Database, phrase: str, params: list[object]) -> str:
    stale = db.execute("SELECT 1 FROM meta WHERE key = 'fts' AND value = 'stale'").fetchone() is not None
    if len(phrase) >= 3 and not stale:
        from desktop.store.search import fts_expression  # a phrase only (a key or code needs no search)

        # The trigram index finds the substring; a phrase is one term, spaces and all.
        # Without positions in the index (detail=none) the trigrams name a superset: check the text.
        params.extend([fts_expression([phrase]), phrase.casefold()])
        return (
            "s.id IN (SELECT n.section FROM sections_fts CROSS JOIN fts_rows n ON n.id = sections_fts.rowid"
            " WHERE sections_fts MATCH ?)"
            f" AND instr(lower({_TEXT}), ?) > 0 AND s.idx >= 0"
        )
    params.append(phrase.casefold())
    return f"instr(lower({_TEXT}), ?) > 0 AND s.idx >= 0"


def _phrase_found(db: sqlite_utils.Database, phrase: str, team: str | None) -> bool:
    params: list[object] = []
    where = _phrase_where(db, phrase, params) + _team_sql(team, params)
    return db.execute(f"{_IDS} WHERE {where} LIMIT 1", params).fetchone() is not None


def _entry(row: tuple[object, ...]) -> Entry:
    _id, report, label, date, iso_week, team, title, idx, key, markdown, children = row
    text = str(markdown) if not children else f"{markdown}\n{children}"
    return Entry(
        str(report),
        None if label is None else str(label),
        str(date),
        str(iso_week),
        None if team is None else str(team),
        str(title),
        int(str(idx)),
        str(key),
        text,
    )


def _where(db: sqlite_utils.Database, query: TopicQuery, params: list[object]) -> str | None:
    """The WHERE clause of the topic's sections (filling params); None when no section can match."""
    topic, team = query.topic, query.team
    if topic.kind == "phrase":
        where = _phrase_where(db, topic.value, params)
    elif topic.kind == "okr":
        where = "s.okr = ?"
        params.append(topic.value)
    else:
        pairs = list(query.titles) or _candidates(db, topic)
        if not pairs:
            return None
        where = "(" + " OR ".join("(s.key = ? AND s.title = ?)" for _ in pairs) + ")"
        params.extend(v for pair in pairs for v in pair)
    return where + _team_sql(team, params)


def _ids(db: sqlite_utils.Database, query: TopicQuery) -> list[int]:
    params: list[object] = []
    where = _where(db, query, params)
    if where is None:
        return []
    return [int(i) for (i,) in db.execute(f"{_IDS} WHERE {where}{_ORDER}", params).fetchall()]


def iter_entries(
    db: sqlite_utils.Database, query: TopicQuery, batch: int = BATCH, first: int | None = None
) -> Iterator[list[Entry]]:
    """The topic's entries oldest first, in batches; a small `first` batch is on screen sooner."""
    ids = _ids(db, query)
    start = 0
    while start < len(ids):
        size = first if start == 0 and first else batch
        chunk = ids[start : start + size]
        start += size
        rows = db.execute(f"{_SELECT} WHERE s.id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
        by_id = {int(row[0]): row for row in rows}
        yield [_entry(by_id[i]) for i in chunk if i in by_id]


def entries(db: sqlite_utils.Database, query: TopicQuery) -> list[Entry]:
    """All the topic's entries oldest first, as iter_entries gives them.

    In one query: wanting them all, nothing is shown early, and one sort of the rows is cheaper than
    finding the ids first and then reading the rows by id.
    """
    params: list[object] = []
    where = _where(db, query, params)
    if where is None:
        return []
    return [_entry(row) for row in db.execute(f"{_SELECT} WHERE {where}{_ORDER}", params).fetchall()]


def entry_heads(db: sqlite_utils.Database, query: TopicQuery) -> list[EntryHead]:
    """Where the topic is, oldest first, as entries() orders it: no text (7 MB at 5,000 reports)."""
    params: list[object] = []
    where = _where(db, query, params)
    if where is None:
        return []
    new = tuple.__new__
    rows = db.execute(f"{_SELECT_HEADS} WHERE {where}{_ORDER}", params).fetchall()
    return [new(EntryHead, row) for row in rows]


def entries_json(db: sqlite_utils.Database, query: TopicQuery) -> tuple[bytes, list[str]]:
    """`[e.as_json() for e in entries(db, query)]` as compact JSON in UTF-8, and each entry's ISO week.

    For `timeline --json`. SQLite writes each entry's object and Python only joins them: a topic in
    every one of 5,000 reports is 7 MB of text, which this never decodes into Python strings, makes
    into entries and dicts, and encodes again (two fifths of the command's work). SQLite escapes
    strings exactly as orjson and json.dumps do.
    """
    params: list[object] = []
    where = _where(db, query, params)
    if where is None:
        return b"[]", []
    rows = db.execute(_SELECT_JSON.format(where=where), params).fetchall()
    return b"[" + b",".join([row[1] for row in rows]) + b"]", [str(row[0]) for row in rows]


def report_weeks(db: sqlite_utils.Database, team: str | None = None) -> list[str]:
    """Weeks that have a weekly report (Notion sub-pages are part of their parent's week)."""
    params: list[object] = []
    sql = "SELECT DISTINCT r.iso_week FROM reports r WHERE r.parent IS NULL" + _team_sql(team, params)
    return sorted(str(w) for (w,) in db.execute(sql, params).fetchall())


def gaps(db: sqlite_utils.Database, weeks: Iterable[str], team: str | None = None) -> list[str]:
    """Weeks with a report of the team (or any) but none of these weeks (the entries' ISO weeks)."""
    return gap_weeks(weeks, report_weeks(db, team))


def known_titles(db: sqlite_utils.Database, team: str | None = None) -> list[str]:
    if team is None:  # the (key, title) index alone; preambles have no key
        rows = db.execute("SELECT DISTINCT title FROM section_rows WHERE key != ''").fetchall()
    else:
        rows = db.execute(
            f"SELECT DISTINCT s.title{_FROM} WHERE s.key != '' AND r.team = ?",
            [team],
        ).fetchall()
    return [str(t) for (t,) in rows]


def frequent_topics(db: sqlite_utils.Database, limit: int = 40) -> list[tuple[str, int]]:
    """The topics that recur, as (title in the newest section that has it, number of sections): what
    the timeline offers before one is chosen. Most first; a topic of one section is not a timeline.

    Counted from the (key, title) index alone: 0.1 s at 50,000 reports, where counting the reports of
    each key reads every section row (seconds).
    """
    rows = db.execute(
        "SELECT key, count(*) AS n FROM section_rows WHERE key != ''"
        " GROUP BY key HAVING n > 1 ORDER BY n DESC, key LIMIT ?",
        [limit],
    ).fetchall()
    # Section ids sort newest first (cache.py): the first is the title as the team writes it now.
    newest = "SELECT title FROM section_rows WHERE key = ? ORDER BY id LIMIT 1"
    return [(str(db.execute(newest, [key]).fetchone()[0]), int(n)) for key, n in rows]


def closest_topics(db: sqlite_utils.Database, text: str, team: str | None = None) -> list[str]:
    return closest(text, known_titles(db, team))


def teams(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute("SELECT DISTINCT team FROM reports WHERE team IS NOT NULL ORDER BY team").fetchall()
    return [str(t) for (t,) in rows]


# ---------------------------------------------------------------------------------------------- progress


def progress_points(db: sqlite_utils.Database, team: str | None = None) -> list[Point]:
    """Every progress figure, oldest first (by date, then report, then line).

    The rows come in the order they were written and are sorted here: Python's sort of 27,000 rows
    at 5,000 reports costs a fraction of SQLite's ORDER BY over the join, and is stable, so figures
    on one line keep the order they were found in.
    """
    from desktop.core.progress import Point, figure_text  # progress only: a timeline does without them

    params: list[object] = []
    rows = db.execute(
        "SELECT r.path, r.label, r.date, r.team, t.subject, t.aspect, t.value, t.line, t.section"
        " FROM progress_rows t JOIN reports r ON r.id = t.report_id WHERE 1" + _team_sql(team, params),
        params,
    ).fetchall()
    # Each figure's text is what the extraction kept of its line, read back from the report's file
    # (the cache keeps no text: desktop/store/texts.py); the rows come report by report.
    texts, conn = folder_text(db), db.conn
    path, lines = None, None
    points = []
    new = tuple.__new__
    for row in rows:
        if row[0] != path:
            path = row[0]
            lines = texts.lines(conn, path)
        line = row[7]
        text = figure_text(lines[line - 1]) if lines is not None and 0 < line <= len(lines) else ""
        # The columns in Point's order: each becomes a Point without a call per field.
        points.append(new(Point, (*row[:7], text, line, row[8])))
    points.sort(key=_point_order)
    return points


_point_order = operator.itemgetter(2, 0, 8)  # date, report, line


def progress_series(db: sqlite_utils.Database, team: str | None = None) -> list[Series]:
    """Every item's series (of one team, or of all), the most recently reported first."""
    from desktop.core.progress import build_series

    found = build_series(progress_points(db, team))
    found.sort(key=lambda s: (s.points[-1].date, len(s.points)), reverse=True)
    return found


def progress_json(db: sqlite_utils.Database) -> bytes:
    """`[s.as_json() for s in progress_series(db)]` as compact JSON in UTF-8: what `progress` lists.

    Worked out once per state of the folder and kept in the cache (desktop.store.derived): reading
    and matching 27,000 figures at 5,000 reports is two thirds of the command's work, and the answer
    changes only when a file does. A team's series are those of the whole list that are the team's
    (items are matched within a team only), so one answer serves every team.
    """
    stamp = derived.folder_stamp(db)
    kept = derived.load(db, _PROGRESS, stamp)
    if kept is None:
        import orjson

        kept = orjson.dumps([s.as_json() for s in progress_series(db)])
        derived.keep(db, _PROGRESS, stamp, kept)
    return kept


_PROGRESS = "progress --json"


def series_metric_rows(series: Series) -> list[MetricRow]:
    """An item's series as the chart panel's rows: one metric named after the item, in %."""
    from desktop.store.queries import MetricRow

    return [
        MetricRow(
            report=p.report,
            label=p.label,
            date=p.date,
            team=p.team,
            metric=series.item,
            raw_label=series.item,
            value=p.value,
            unit="%",
            section=None,
            section_index=p.section,
            line=p.line,
            text=p.text,
        )
        for p in series.points
    ]
