"""Tables of the cache. A schema change bumps SCHEMA_VERSION and the cache is rebuilt from the folder."""

from __future__ import annotations

import contextlib
import sqlite3
from typing import TYPE_CHECKING

from desktop.store.texts import section_sql

if TYPE_CHECKING:
    import sqlite_utils


SCHEMA_VERSION = 12
# The search index's own row numbers (fts_rows.id): below this, dense ranks given in section-id order
# by the last rebuild; from it on, FTS_ZONE + the section id of a section indexed since then.
FTS_ZONE = 1 << 48
APP_MARK = "weekly-review-cache"
SCAN_KEY = "scan"  # meta: the digest of the scan (paths, sizes, times) that the files table matches
# meta: a count of the writes to the reports table, by any process. A listing read with it is still
# the folder's when the count has not moved (the window's indexer then need not read it again).
GENERATION_KEY = "reports generation"
CACHE_ID_KEY = "cache id"  # meta: made anew with each cache file, so that a rebuilt one never passes for it


# The tables of rows that belong to one report: (view read by every query, table written by cache.py,
# its columns after report_id, its indexes). They store the report's integer id, not its path: at
# 5,000 reports the repeated paths and the indexes over them took 23 MB of a 143 MB cache.
_PER_REPORT: tuple[tuple[str, str, tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = (
    (
        "sections",
        "section_rows",
        (
            "id INTEGER",
            "idx INTEGER",
            "title TEXT",
            "kind TEXT",
            "level INTEGER",
            "parent INTEGER",
            "first_line INTEGER",
            "last_line INTEGER",
            "end_line INTEGER",
            "key TEXT",
            "okr TEXT",
        ),
        # timelines: a topic's titles without reading every section
        (("report_id", "idx"), ("key", "title")),
    ),
    (
        "metrics",
        "metric_rows",
        (
            "name TEXT",
            "raw_label TEXT",
            "value FLOAT",
            "unit TEXT",
            "section INTEGER",
            "line INTEGER",
            "text TEXT",
            "kind TEXT",  # "kpi" or "figure", settled for the whole folder after each index run
            "target FLOAT",
            "target_source TEXT",  # "report" (stated in the line) or "table" (metrics.toml)
            "derived INTEGER",  # 1: computed (CD from C and D), not written
            "base_name TEXT",  # the canonical name as parsed; `name` adds the unit when a name has several
            "known INTEGER",  # 1: the alias table knows the label
        ),
        # (name, report_id, kind) rather than name alone: the chart's list of metrics (how many weekly
        # reports give each name, and whether it is a KPI) reads only this index, in its order (20 ms
        # instead of 370 at 5,000 reports), for 20% more index.
        (("report_id",), ("name", "report_id", "kind")),
    ),
    (
        "incidents",
        "incident_rows",
        ("date TEXT", "time TEXT", "text TEXT", "line INTEGER", "section INTEGER"),
        (("report_id",),),
    ),
    ("plans", "plan_rows", ("text TEXT", "line INTEGER", "section INTEGER"), (("report_id",),)),
    # Progress figures of work items (desktop.core.progress), found at index time so that the
    # progress list of a large folder is one query.
    (
        "progress",
        "progress_rows",
        (
            "subject TEXT",
            "aspect TEXT",
            "value FLOAT",
            "line INTEGER",
            "section INTEGER",
        ),
        (("report_id",),),
    ),
)
# The per-report tables, which cache.py writes.
ROW_TABLES = tuple(table for _, table, _, _ in _PER_REPORT)
# Indexes whose keys arrive in random order (titles, metric names), unlike the report ids, which
# only grow: an index of a cold load builds them once, sorted, after the rows (cache.begin_bulk),
# which costs a third of what keeping them row by row costs.
DEFERRED_INDEXES = ("idx_section_rows_key_title", "idx_metric_rows_name_report_id_kind")


# Columns the views work out rather than store. A section's markdown is its lines of the file, read
# back from the folder (desktop/store/texts.py): the cache keeps no copy of the reports' text (a
# progress figure's line is read back too: topics.progress_points). A metric's section title is its
# section's. SQLite works a
# column out only for a query that reads it.
_VIEW_EXTRAS = {
    "sections": f", {section_sql(section='t')} AS markdown",
    "metrics": ", (SELECT s.title FROM section_rows s WHERE s.report_id = t.report_id AND s.idx = t.section)"
    " AS section_title",
}


def create_indexes(db: sqlite_utils.Database) -> None:
    """Every index of the per-report tables that is missing (those a cold load left for its end)."""
    for _, table, _, indexes in _PER_REPORT:
        for index in indexes:
            name = f"idx_{table}_{'_'.join(index)}"
            db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table}({', '.join(index)})")


def create_schema(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("files").create(
        {"path": str, "size": int, "mtime_ns": int, "hash": str, "status": str, "reason": str},
        pk="path",
        if_not_exists=True,
    )
    db.table("reports").create(
        {
            "id": int,  # what the per-report tables store instead of the path (see _PER_REPORT)
            "path": str,
            "title": str,
            "label": str,
            "date": str,
            "iso_week": str,
            "date_source": str,
            "encoding": str,
            "parent": str,
            "team": str,
            "warnings": str,
            "n_sections": int,
            "n_metrics": int,
            "sequence": int,  # 第 N 期 / Issue #N: orders reports that share a date or have none
            "kind": str,  # "report" or "page"
            "sort_title": str,  # the title with digit runs padded: 第 9 期 before 第 10 期
        },
        pk="id",
        not_null={"path"},
        if_not_exists=True,
    )
    db.table("reports").create_index(["path"], unique=True, if_not_exists=True)
    db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, 0)", [GENERATION_KEY])
    db.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES (?, lower(hex(randomblob(16))))", [CACHE_ID_KEY]
    )
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS reports_{event.lower()} AFTER {event} ON reports"
            f" BEGIN UPDATE meta SET value = value + 1 WHERE key = '{GENERATION_KEY}'; END"
        )
    # Any change to the files, by any process, forgets the scan the cache last matched (indexer.py):
    # the next re-index compares them file by file again.
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS files_{event.lower()} AFTER {event} ON files"
            f" BEGIN DELETE FROM meta WHERE key = '{SCAN_KEY}'; END"
        )
    db.table("problems").create({"path": str, "kind": str, "message": str}, if_not_exists=True)
    db.table("problems").create_index(["path"], if_not_exists=True)
    db.table("reports").create_index(["date"], if_not_exists=True)
    for view, table, columns, _ in _PER_REPORT:
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {table}(report_id INTEGER NOT NULL, {', '.join(columns)})"
            if view != "sections"
            else f"CREATE TABLE IF NOT EXISTS {table}(id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL,"
            f" {', '.join(columns[1:])})"
        )
        # Every query reads the view, which gives the report's path as `report` (and the rowid that
        # some orderings use); SQLite flattens it into a lookup of the path, then of the report id.
        names = [c.split()[0] for c in columns if c.split()[0] != "id"]
        shown = ", ".join(f"t.{n}" for n in names) + _VIEW_EXTRAS.get(view, "")
        lead = "t.id" if view == "sections" else "t.rowid AS rowid"
        # (The files row names the version whose lines a section's markdown is: SQLite leaves the join
        # out of a query that reads no markdown.)
        files = " LEFT JOIN files f ON f.path = r.path" if view == "sections" else ""
        db.execute(
            f"CREATE VIEW IF NOT EXISTS {view} AS SELECT {lead}, r.path AS report, {shown}"
            f" FROM {table} t JOIN reports r ON r.id = t.report_id{files}"
        )
    create_indexes(db)
    if "sections_fts" not in db.table_names():
        # Trigram tokenizing finds Chinese substrings of 3+ characters (no word breaks needed). The
        # heading line is part of each section's markdown, so the title needs no column of its own.
        # detail=none keeps only which sections hold each trigram: a quarter of the size of positions,
        # and faster to build; search.py checks the candidates' text for the whole term.
        # Each section is indexed with two newlines after it, so that every occurrence of a one- or
        # two-character term begins some trigram: search.py finds those through the index's terms.
        # Contentless (content=''): the text is the folder's (texts.py), and cache.py hands the index
        # each section's text as it writes it. Without the text a row cannot be taken out of the index
        # again (SQLite before 3.43 has no contentless_delete): a section's row number is dropped from
        # fts_rows instead, and the index is rebuilt once such dead rows are many (cache.py). (A section
        # id used again by a later section can make a dead row of the second zone name it: search
        # checks every candidate's text anyway.)
        # No triggers: the cache keeps the index in step itself, so a large index can skip it and
        # rebuild it in one pass at the end, several times faster than row-by-row inserts.
        # columnsize=0: no token counts per section (only bm25 reads them, and search does not rank):
        # a megabyte less at 5,000 reports and a shorter build.
        # The index numbers its rows itself (fts_rows): section ids leave gaps of 2^24 between days, and
        # the index stores the gaps between the rows that hold a trigram, so dense numbers make it less
        # than half the size (14 MB instead of 34 at 5,000 reports) and quicker to build. A rebuild
        # numbers every section densely in id order; a section indexed between rebuilds gets
        # FTS_ZONE + its id, so each zone reads in section-id order and search.py merges the two.
        db.execute(
            "CREATE TABLE IF NOT EXISTS fts_rows(id INTEGER PRIMARY KEY, section INTEGER NOT NULL UNIQUE)"
        )
        db.execute(
            "CREATE VIRTUAL TABLE sections_fts USING fts5(markdown, tokenize='trigram', detail=none,"
            " content='', columnsize=0)"
        )
        # Merge segments less eagerly: a cold index of 5,000 reports rebuilds about a third faster, and
        # searches stay in the low milliseconds.
        db.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('automerge', 8)")
        db.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('crisismerge', 64)")
        # Gather 8 MB of terms in memory before writing a segment (1 MB by default): fewer segments to
        # merge, about a tenth off the rebuild's CPU at 5,000 reports. A key of fts5_config.c that the
        # manual does not list, so an SQLite without it only loses the speed.
        with contextlib.suppress(sqlite3.OperationalError):
            db.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('hashsize', 8388608)")
