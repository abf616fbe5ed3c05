"""Topics across weeks from the cache: the sections of one topic, and the progress figures of items."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from desktop.core.progress import Point, Series, build_series
from desktop.core.timeline import Entry, Topic, closest, gap_weeks
from desktop.store.search import fts_expression

BATCH = 200  # entries per batch handed to the window


@dataclass(frozen=True, slots=True)
class TopicQuery:
    """A TOPIC as the store understands it: a key or code that exists, else a phrase."""

    topic: Topic
    team: str | None = None
    titles: tuple[tuple[str, str], ...] = ()  # for a key: (key, title as written) filed under it


def _team_sql(team: str | None, params: list[object]) -> str:
    if team is None:
        return ""
    params.append(team)
    return " AND r.team = ?"


def resolve_topic(db: sqlite_utils.Database, text: str, team: str | None = None) -> TopicQuery | None:
    """Key or OKR code when a section has it, else a phrase found in some section; None if neither."""
    topic = Topic.parse(text)
    if topic.kind == "okr":
        if db.execute("SELECT 1 FROM sections WHERE okr = ? LIMIT 1", [topic.value]).fetchone():
            return TopicQuery(topic, team)
    elif topic.value:
        titles = tuple(_candidates(db, topic))
        if titles:
            return TopicQuery(topic, team, titles)
    phrase = text.strip()
    if phrase and _phrase_rows(db, phrase, team, probe=True):
        return TopicQuery(Topic("phrase", phrase), team)
    return None


# A section's text is its own lines and those of the sections inside it (`### A.` under `## 【O2】`).
_SELECT = (
    "SELECT s.report, r.label, r.date, r.iso_week, r.team, s.title, s.idx, s.key, s.okr, s.markdown,"
    " CASE WHEN s.end_line > s.last_line THEN (SELECT group_concat(c.markdown, char(10)) FROM sections c"
    "   WHERE c.report = s.report AND c.idx > s.idx AND c.first_line <= s.end_line) END"
    " FROM sections s JOIN reports r ON r.path = s.report"
)
_ORDER = " ORDER BY r.date, s.report, s.idx"


def _candidates(db: sqlite_utils.Database, topic: Topic) -> list[tuple[str, str]]:
    """(key, title) of sections that may hold the topic: their key contains the topic key's start.

    The key of `【贝易转（C转）】` is `贝易转c转`: its topic key `贝易转` is no substring of every key
    that files under it, but its first characters are (a remark in brackets does not come first).
    """
    # Keys and titles only: the (key, title) index answers this without reading the sections' text.
    rows = db.execute("SELECT DISTINCT key, title FROM sections WHERE instr(key, ?) > 0", [topic.value[:4]])
    return [(str(k), str(t)) for k, t in rows.fetchall() if topic.matches(str(t))]


def _phrase_rows(
    db: sqlite_utils.Database, phrase: str, team: str | None, *, probe: bool = False
) -> list[tuple[object, ...]]:
    params: list[object] = []
    stale = db.execute("SELECT 1 FROM meta WHERE key = 'fts' AND value = 'stale'").fetchone() is not None
    if len(phrase) >= 3 and not stale:
        # The trigram index finds the substring; a phrase is one term, spaces and all.
        where = "s.id IN (SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?)"
        params.append(fts_expression([phrase]))
    else:
        where = "instr(lower(s.markdown), ?) > 0"
        params.append(phrase.casefold())
    where += " AND s.idx >= 0" + _team_sql(team, params)
    sql = f"{_SELECT} WHERE {where}{_ORDER}" + (" LIMIT 1" if probe else "")
    return list(db.execute(sql, params).fetchall())


def _entry(row: tuple[object, ...]) -> Entry:
    report, label, date, iso_week, team, title, idx, key, _okr, markdown, children = row
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


def iter_entries(db: sqlite_utils.Database, query: TopicQuery, batch: int = BATCH) -> Iterator[list[Entry]]:
    """The topic's entries oldest first, in batches (the window shows the first batch at once)."""
    topic, team = query.topic, query.team
    params: list[object] = []
    if topic.kind == "phrase":
        rows = _phrase_rows(db, topic.value, team)
        for start in range(0, len(rows), batch):
            yield [_entry(r) for r in rows[start : start + batch]]
        return
    if topic.kind == "okr":
        where = "s.okr = ?"
        params.append(topic.value)
    else:
        pairs = list(query.titles) or _candidates(db, topic)
        if not pairs:
            return
        where = " OR ".join("(s.key = ? AND s.title = ?)" for _ in pairs)
        where = f"({where})"
        params.extend(v for pair in pairs for v in pair)
    where += _team_sql(team, params)
    cursor = db.execute(f"{_SELECT} WHERE {where}{_ORDER}", params)
    while True:
        rows = cursor.fetchmany(batch)
        if not rows:
            return
        yield [_entry(r) for r in rows]


def entries(db: sqlite_utils.Database, query: TopicQuery) -> list[Entry]:
    return [e for chunk in iter_entries(db, query) for e in chunk]


def report_weeks(db: sqlite_utils.Database, team: str | None = None) -> list[str]:
    """Weeks that have a weekly report (Notion sub-pages are part of their parent's week)."""
    params: list[object] = []
    sql = "SELECT DISTINCT r.iso_week FROM reports r WHERE r.parent IS NULL" + _team_sql(team, params)
    return sorted(str(w) for (w,) in db.execute(sql, params).fetchall())


def gaps(db: sqlite_utils.Database, found: list[Entry], team: str | None = None) -> list[str]:
    return gap_weeks((e.iso_week for e in found), report_weeks(db, team))


def known_titles(db: sqlite_utils.Database, team: str | None = None) -> list[str]:
    if team is None:  # the (key, title) index alone; preambles have no key
        rows = db.execute("SELECT DISTINCT title FROM sections WHERE key != ''").fetchall()
    else:
        rows = db.execute(
            "SELECT DISTINCT s.title FROM sections s JOIN reports r ON r.path = s.report"
            " WHERE s.key != '' AND r.team = ?",
            [team],
        ).fetchall()
    return [str(t) for (t,) in rows]


def closest_topics(db: sqlite_utils.Database, text: str, team: str | None = None) -> list[str]:
    return closest(text, known_titles(db, team))


def teams(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute("SELECT DISTINCT team FROM reports WHERE team IS NOT NULL ORDER BY team").fetchall()
    return [str(t) for (t,) in rows]


# ---------------------------------------------------------------------------------------------- progress


def progress_points(db: sqlite_utils.Database, team: str | None = None) -> list[Point]:
    """Every progress figure, oldest first.

    Two plain scans joined here: SQLite's join walks the figures in index order and costs three times
    as much on a large folder.
    """
    params: list[object] = []
    reports = {
        path: (label, date, rteam)
        for path, label, date, rteam in db.execute(
            "SELECT r.path, r.label, r.date, r.team FROM reports r WHERE 1" + _team_sql(team, params), params
        ).fetchall()
    }
    points = []
    for report, subject, aspect, value, text, line, section in db.execute(
        "SELECT report, subject, aspect, value, text, line, section FROM progress"
    ).fetchall():
        known = reports.get(report)
        if known is not None:
            points.append(Point(report, known[0], known[1], known[2], subject, aspect, value, text, line, section))
    points.sort(key=lambda p: (p.date, p.report, p.line))
    return points


def progress_series(db: sqlite_utils.Database, team: str | None = None) -> list[Series]:
    """Every item's series, the most recently reported first."""
    found = build_series(progress_points(db, team))
    found.sort(key=lambda s: (s.points[-1].date, len(s.points)), reverse=True)
    return found
