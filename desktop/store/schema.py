"""Tables of the cache. A schema change bumps SCHEMA_VERSION and the cache is rebuilt from the folder."""

from __future__ import annotations

import sqlite_utils

SCHEMA_VERSION = 1
APP_MARK = "weekly-review-cache"


def create_schema(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["files"].create(
        {"path": str, "size": int, "mtime_ns": int, "hash": str, "status": str, "reason": str},
        pk="path", if_not_exists=True,
    )
    db["reports"].create(
        {"path": str, "title": str, "label": str, "date": str, "iso_week": str, "date_source": str,
         "encoding": str, "parent": str, "team": str, "text": str, "warnings": str,
         "n_sections": int, "n_metrics": int},
        pk="path", if_not_exists=True,
    )
    db["sections"].create(
        {"id": int, "report": str, "idx": int, "title": str, "kind": str, "level": int, "parent": int,
         "first_line": int, "last_line": int, "end_line": int, "key": str, "okr": str, "markdown": str},
        pk="id", if_not_exists=True,
    )
    db["metrics"].create(
        {"report": str, "name": str, "raw_label": str, "value": float, "unit": str, "section": int,
         "line": int, "text": str},
        if_not_exists=True,
    )
    db["incidents"].create(
        {"report": str, "date": str, "time": str, "text": str, "line": int, "section": int},
        if_not_exists=True,
    )
    db["plans"].create({"report": str, "text": str, "line": int, "section": int}, if_not_exists=True)
    db["problems"].create({"path": str, "kind": str, "message": str}, if_not_exists=True)
    for table, columns in (("sections", ["report", "idx"]), ("metrics", ["report"]), ("metrics", ["name"]),
                           ("incidents", ["report"]), ("plans", ["report"]), ("problems", ["path"]),
                           ("reports", ["date"])):
        db[table].create_index(columns, if_not_exists=True)
    if "sections_fts" not in db.table_names():
        # Trigram tokenizing finds Chinese substrings of 3+ characters (no word breaks needed); the
        # triggers keep the index in step as reports are replaced or removed.
        db["sections"].enable_fts(["title", "markdown"], tokenize="trigram", create_triggers=True)
