"""Answers worked out from the whole cache, kept in it for as long as the folder stays as it is.

Some answers take far longer to work out than to read back: the progress list matches every figure
of every report into series. They are kept here, each under the stamp of the folder's state it was
worked out for; any change to a file, or to the parser that read it, changes the stamp, and the next
reader works the answer out afresh. Like the rest of the cache they are disposable.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import zlib
from typing import TYPE_CHECKING

from desktop.store.cache import BUSY_TIMEOUT_MS

if TYPE_CHECKING:
    import sqlite_utils

_TABLE = "CREATE TABLE IF NOT EXISTS derived(name TEXT PRIMARY KEY, stamp TEXT NOT NULL, data BLOB NOT NULL)"
# Part of every stamp: bump it whenever what some answer keeps changes form, so that an answer kept by
# an earlier version is worked out again rather than read as the new form.
FORMAT = 3  # 3: kept compressed
# zlib's level 1: the progress listing of 5,000 reports, 7.0 MB of JSON, is kept as 1.3 MB in 33 ms
# and read back in 15-18 ms. Kept as it was, it was a fifth of the folder's size again in the cache.
_LEVEL = 1


def folder_stamp(db: sqlite_utils.Database) -> str:
    """What every row of the cache was made from: each file's path, size, time and hash, and the parser.

    A report's rows change only when its file does (its time included: some reports are dated by it),
    when files come or go (sub-pages and teams follow the paths), or when the parser or its alias
    table changes; the stamp holds all of these. SQLite joins the files' columns into one string, so
    50,000 files cost one row to read, not 50,000.
    """
    (files,) = db.execute(
        "SELECT group_concat(path || char(31) || size || char(31) || mtime_ns || char(31)"
        " || ifnull(hash, '') || char(31) || ifnull(status, ''), char(30))"
        " FROM (SELECT * FROM files ORDER BY path)"  # (an order that differs only costs a recount)
    ).fetchone()
    (parser,) = db.execute(
        "SELECT group_concat(key || '=' || value, char(30)) FROM"
        " (SELECT key, value FROM meta WHERE key IN ('schema_version', 'parser') ORDER BY key)"
    ).fetchone()
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}\0{parser}".encode())
    digest.update(b"\0")
    digest.update(str(files or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load(db: sqlite_utils.Database, name: str, stamp: str) -> bytes | None:
    """The answer kept under `name` for this stamp; None when there is none (or it is for another)."""
    try:
        row = db.execute("SELECT data FROM derived WHERE name = ? AND stamp = ?", [name, stamp]).fetchone()
    except sqlite3.OperationalError:  # no such table: a cache that never kept one
        return None
    if row is None:
        return None
    try:
        return zlib.decompress(row[0])
    except (zlib.error, TypeError):  # not what keep() wrote: worked out again
        return None


def keep(db: sqlite_utils.Database, name: str, stamp: str, data: bytes) -> None:
    """Keep an answer, when the cache can be written right now; else it is only not kept.

    A read-only cache (the window's reader, a cache on read-only media) or one another process is
    writing (the window indexing) keeps nothing: the caller has its answer, and waiting for the lock
    would make a listing wait for an index.
    """
    conn = db.conn
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        _restore_timeout(conn)
        return
    try:
        conn.execute(_TABLE)
        conn.execute(
            "INSERT OR REPLACE INTO derived(name, stamp, data) VALUES (?, ?, ?)",
            [name, stamp, zlib.compress(data, _LEVEL)],
        )
        conn.execute("COMMIT")
    except sqlite3.OperationalError:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
    finally:
        _restore_timeout(conn)


def _restore_timeout(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
