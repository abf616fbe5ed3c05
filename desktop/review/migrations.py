"""The review database's schema, one step per version. A step only ever adds to or reshapes the data.

Version 1 (the first release) kept notes and reads keyed by folder and path. Version 2 moves the
report's identity into its own table with a content fingerprint, so notes follow renamed and edited
reports, and keeps deleted notes as tombstones so that undo and merging imports never lose one.
Version 3 keeps the text a report had when it was read, so the window can show what changed since.
Version 4 adds indexes in the order notes are listed, so that listing 10,000 of them sorts nothing.
Version 5 keeps each note's and each report's part of the `notes` listings (JSON and text) ready,
written by SQLite itself on every change: listing 10,000 notes only joins the parts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from desktop.review.anchors import key_of

SCHEMA_VERSION = 5
APP_MARK = "weekly-review-review"


def _v1(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE notes (
            id TEXT PRIMARY KEY, folder TEXT NOT NULL, report TEXT NOT NULL, section TEXT,
            quote TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, follow_up INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL, closed TEXT
        );
        CREATE TABLE reads (
            folder TEXT NOT NULL, report TEXT NOT NULL, read_at TEXT NOT NULL, text_hash TEXT,
            PRIMARY KEY (folder, report)
        );
        """,
    )


def _v2(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE reports (
            id INTEGER PRIMARY KEY, folder TEXT NOT NULL, path TEXT NOT NULL,
            label TEXT, title TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '', team TEXT,
            digest TEXT NOT NULL DEFAULT '', text_hash TEXT NOT NULL DEFAULT '',
            sketch TEXT NOT NULL DEFAULT '[]',
            resolved TEXT NOT NULL DEFAULT '',  -- the digest the section anchors were last resolved on
            gone INTEGER NOT NULL DEFAULT 0     -- 1 while no current report matches
        );
        CREATE INDEX reports_folder_path ON reports(folder, path);
        INSERT INTO reports(folder, path)
            SELECT folder, report FROM notes UNION SELECT folder, report FROM reads;

        CREATE TABLE notes2 (
            id TEXT PRIMARY KEY, report_id INTEGER NOT NULL REFERENCES reports(id),
            section_key TEXT, section_title TEXT, quote TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,
            follow_up INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL, updated TEXT NOT NULL,
            closed TEXT, deleted TEXT, orphaned INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE reads2 (
            report_id INTEGER PRIMARY KEY REFERENCES reports(id), read_at TEXT NOT NULL,
            digest TEXT NOT NULL DEFAULT '', text_hash TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO reads2(report_id, read_at, text_hash)
            SELECT r.id, x.read_at, coalesce(x.text_hash, '') FROM reads x
            JOIN reports r ON r.folder = x.folder AND r.path = x.report;
        DROP TABLE reads;
        ALTER TABLE reads2 RENAME TO reads;
        """,
    )
    # Section titles become keys in Python: the key is the one desktop.core's parser computes.
    conn.create_function("section_key", 1, lambda t: None if t is None else key_of(t), deterministic=True)
    _script(
        conn,
        """
        INSERT INTO notes2(id, report_id, section_key, section_title, quote, text, follow_up, created,
                           updated, closed)
            SELECT n.id, r.id, section_key(n.section), n.section, n.quote, n.text, n.follow_up,
                   n.created, n.created, n.closed
            FROM notes n JOIN reports r ON r.folder = n.folder AND r.path = n.report;
        DROP TABLE notes;
        ALTER TABLE notes2 RENAME TO notes;
        CREATE INDEX notes_report ON notes(report_id);
        """,
    )


def _v3(conn: sqlite3.Connection) -> None:
    # NULL for reads marked before this version: their text was never kept.
    conn.execute("ALTER TABLE reads ADD COLUMN text TEXT")


def _v4(conn: sqlite3.Connection) -> None:
    # Reports by date and path, then each report's notes by time: the listing's order (store._NOTE_ORDER)
    # read straight from the indexes. notes_report is the new index's first column, so it goes.
    _script(
        conn,
        """
        CREATE INDEX reports_folder_order ON reports(folder, date, path);
        CREATE INDEX notes_report_order ON notes(report_id, created, id);
        DROP INDEX notes_report;
        """,
    )


# A note's part of its `notes --json` object, from "section" to "closed": the JSON json_object writes,
# without the braces. (Booleans through json(), or json_object would write 1 and 0.)
NOTE_JSON = (
    "',' || rtrim(substr(json_object('section', section_title, 'quote', quote, 'text', text,"
    " 'follow_up', CASE WHEN follow_up THEN json('true') ELSE json('false') END,"
    " 'created', created, 'closed', closed), 2), '}')"
)
# Its plain listing's parts: after the report's (` [section]  ` and its flags), and the text below.
NOTE_FLAGS = (
    "CASE WHEN coalesce(section_title, '') != '' THEN ' [' || section_title || ']' ELSE '' END || '  '"
    " || CASE WHEN follow_up THEN 'follow-up ' ELSE '' END"
    " || CASE WHEN coalesce(closed, '') != '' THEN 'closed ' ELSE '' END"
)
NOTE_BODY = "char(10) || '    ' || text || char(10)"
# A report's parts: `,"report":…,"label":…` and `  label  path`.
REPORT_JSON = "',\"report\":' || json_quote(path) || ',\"label\":' || json_quote(label)"
REPORT_TEXT = "'  ' || coalesce(nullif(label, ''), '-') || '  ' || path"


def _v5(conn: sqlite3.Connection) -> None:
    # Notes get stored generated columns (SQLite keeps them current on every insert and update); a
    # stored one cannot be added to a table, so the table is made anew, as version 2 did.
    _script(
        conn,
        f"""
        CREATE TABLE notes5 (
            id TEXT PRIMARY KEY, report_id INTEGER NOT NULL REFERENCES reports(id),
            section_key TEXT, section_title TEXT, quote TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,
            follow_up INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL, updated TEXT NOT NULL,
            closed TEXT, deleted TEXT, orphaned INTEGER NOT NULL DEFAULT 0,
            listed_json TEXT GENERATED ALWAYS AS ({NOTE_JSON}) STORED,
            listed_flags TEXT GENERATED ALWAYS AS ({NOTE_FLAGS}) STORED,
            listed_body TEXT GENERATED ALWAYS AS ({NOTE_BODY}) STORED
        );
        INSERT INTO notes5(id, report_id, section_key, section_title, quote, text, follow_up, created,
                           updated, closed, deleted, orphaned)
            SELECT id, report_id, section_key, section_title, quote, text, follow_up, created,
                   updated, closed, deleted, orphaned FROM notes;
        DROP TABLE notes;
        ALTER TABLE notes5 RENAME TO notes;
        CREATE INDEX notes_report_order ON notes(report_id, created, id);
        ALTER TABLE reports ADD COLUMN listed_json TEXT NOT NULL DEFAULT '';
        ALTER TABLE reports ADD COLUMN listed_text TEXT NOT NULL DEFAULT ''
        """,
    )
    # Reports are referenced by notes and reads, so they keep their table: triggers keep the parts
    # current whoever writes the path or the label.
    parts = f"listed_json = {REPORT_JSON}, listed_text = {REPORT_TEXT}"
    conn.execute(f"UPDATE reports SET {parts}")
    for name, event in (
        ("reports_listed_added", "INSERT"),
        ("reports_listed_changed", "UPDATE OF path, label"),
    ):
        conn.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON reports BEGIN"
            f" UPDATE reports SET {parts} WHERE id = NEW.id; END"
        )


def _script(conn: sqlite3.Connection, sql: str) -> None:
    # Statement by statement: executescript() would commit the migration's transaction half-way.
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


# STEPS[n] brings a database at version n to version n + 1.
STEPS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5]
assert len(STEPS) == SCHEMA_VERSION
