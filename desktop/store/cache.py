"""Opening the cache database safely: versions, corrupt or foreign files, concurrent processes."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from desktop.core.paths import cache_path_for, path_key
from desktop.store.database import folder_text, wrap
from desktop.store.schema import (
    APP_MARK,
    DEFERRED_INDEXES,
    FTS_ZONE,
    ROW_TABLES,
    SCHEMA_VERSION,
    create_indexes,
    create_schema,
)
from desktop.store.texts import section_sql

if TYPE_CHECKING:
    import sqlite_utils

    from desktop.store.records import Record

BUSY_TIMEOUT_MS = 30_000  # another process indexing the same folder holds the write lock briefly
CLEAN_KEY = "closed_cleanly"  # "0" while a writer has the cache open; "1" once it closed it


# meta: rows of the search index whose sections are gone (schema.py); a rebuild drops them.
DEAD_KEY = "fts dead"
# Dead rows cost only a check each, for a term they hold; the index is rebuilt once they are over a
# fifth of it (a quarter of the live rows) and more than this.
DEAD_MIN = 2000
# A bulk load's section texts, until the index is rebuilt from them (rebuild_search), with the version
# of the file each was read from: another writer may have rewritten the section since.
_BULK_TEXT = (
    "CREATE TEMP TABLE IF NOT EXISTS bulk_text(id INTEGER PRIMARY KEY, path TEXT, size INTEGER,"
    " mtime_ns INTEGER, markdown TEXT)"
)


class CacheError(Exception):
    """The cache cannot be opened or written at all (for example its directory is read-only)."""


# No dataclasses in the modules every command imports: importing dataclasses (and inspect with it)
# costs each command ~15 ms.
class Stored(NamedTuple):
    """One parsed file to write, with where it sits in the folder and the file's identity."""

    record: Record
    parent: str | None
    team: str | None
    size: int
    mtime_ns: int
    digest: str
    new: bool = False  # nothing is stored for this path yet


class Cache:
    def __init__(
        self,
        folder: Path,
        path: Path,
        db: sqlite_utils.Database,
        messages: list[str] | None = None,
        read_only: bool = False,
    ) -> None:
        self.folder = folder
        self.path = path
        self.db = db
        self.messages = [] if messages is None else messages  # what happened on open, for the user
        self.read_only = read_only  # the file cannot be written: it is shown as it was
        # Whether the full-text index is kept row by row in the current write transaction: read from
        # meta under the write lock, since another process may be in the middle of a bulk load.
        self._fts_live = True

    def __repr__(self) -> str:
        return f"Cache({self.folder!r}, {self.path!r})"

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [key, value])

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the cache, and only then."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction; IMMEDIATE takes the lock up front so two writers queue, not fail."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # (No meta table yet while the schema is being created: nothing to index then.)
            self._fts_live = "meta" not in self.db.table_names() or self.meta("fts") != "stale"
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close, marking the cache as cleanly closed (the next opening skips the integrity check)."""
        if not self.read_only:
            with contextlib.suppress(sqlite3.Error), self.writing():
                self.set_meta(CLEAN_KEY, "1")
        self.db.close()

    # -- writes (the indexer is the only caller) ------------------------------------------------

    def begin_bulk(self) -> None:
        """Stop maintaining the full-text index row by row, for every writer, until rebuild_search().

        The mark is in the database, so another process writing meanwhile skips the index too, and a
        cancelled run leaves it for the next run to rebuild.
        """
        with self.writing():
            self.set_meta("fts", "stale")
            # An empty cache (a cold index) is filled without the indexes that would grow in random
            # order; restore_indexes() builds them at the end, or the next run if this one is stopped.
            if self.db.execute("SELECT 1 FROM reports LIMIT 1").fetchone() is None:
                for name in DEFERRED_INDEXES:
                    self.db.execute(f"DROP INDEX IF EXISTS {name}")
                self.set_meta("indexes", "deferred")
        # The cache is disposable and a load that dies half-way is found on the next opening (the
        # clean-shutdown mark and quick_check), so a bulk load skips the checkpoints' fsyncs.
        self.db.execute("PRAGMA synchronous = OFF")

    def end_bulk(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # (in a finally: never hide the error that ended the load)
            self.db.execute("PRAGMA synchronous = NORMAL")

    def restore_indexes(self) -> None:
        """Build the indexes a cold load left out (begin_bulk); nothing to do when none were."""
        if self.meta("indexes") != "deferred":
            return
        with self.writing():
            create_indexes(self.db)
            self.set_meta("indexes", "ok")

    def search_stale(self) -> bool:
        return self.meta("fts") == "stale"

    def rebuild_search(self) -> None:
        """Build the full-text index in one pass (after a bulk load, or once many of its rows are dead).

        The pass reads sections in id order: FTS5 writes ascending rowids without flushing early. Every
        section gets a dense index row number first (schema.py says why). The text is what this
        connection's bulk load set aside (temp.bulk_text), else the file's (a load another process
        made, or one stopped half-way).
        """
        with self.writing():
            self.db.execute(_BULK_TEXT)
            self.db.execute("DELETE FROM fts_rows")
            self.db.execute(
                "INSERT INTO fts_rows(id, section) SELECT row_number() OVER (ORDER BY id), id"
                " FROM section_rows ORDER BY id"
            )
            self.db.execute("INSERT INTO sections_fts(sections_fts) VALUES ('delete-all')")
            texts = folder_text(self.db)
            texts.missed.clear()
            self.db.execute(
                "INSERT INTO sections_fts(rowid, markdown)"
                f" SELECT n.id, coalesce(b.markdown, {section_sql()}, '') || char(10, 10)"
                " FROM fts_rows n JOIN section_rows s ON s.id = n.section"
                " JOIN reports r ON r.id = s.report_id LEFT JOIN files f ON f.path = r.path"
                " LEFT JOIN temp.bulk_text b ON b.id = s.id AND b.path = r.path AND b.size = f.size"
                " AND b.mtime_ns = f.mtime_ns ORDER BY n.id"
            )
            self.db.execute("DROP TABLE temp.bulk_text")
            # A file that could not be read just now (a share gone for a moment) is in the index without
            # its text: it is read again at the next index, as if it had changed.
            missed = sorted(texts.missed)
            for start in range(0, len(missed), 500):
                chunk = missed[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                self.db.execute(f"UPDATE files SET mtime_ns = -1, hash = '' WHERE path IN ({marks})", chunk)
            self.set_meta("fts", "ok")
            self.set_meta(DEAD_KEY, "0")

    def delete_reports(self, paths: Iterable[str]) -> None:
        rows = [(p,) for p in paths]
        if not rows:
            return
        conn = self.db.conn
        ids: list[tuple[int]] = []
        for start in range(0, len(rows), 500):
            chunk = [p for (p,) in rows[start : start + 500]]
            marks = ", ".join("?" * len(chunk))
            ids.extend(conn.execute(f"SELECT id FROM reports WHERE path IN ({marks})", chunk))
        # (Also while the index is stale: the rebuild numbers every section again.) The index keeps
        # the sections' trigrams (schema.py): without a row number they name no section.
        before = conn.total_changes
        conn.executemany(
            "DELETE FROM fts_rows WHERE section IN (SELECT id FROM section_rows WHERE report_id = ?)", ids
        )
        if self._fts_live and conn.total_changes > before:
            self._count_dead(conn.total_changes - before)
        for table in ROW_TABLES:
            conn.executemany(f"DELETE FROM {table} WHERE report_id = ?", ids)
        for table in ("problems", "reports", "files"):
            conn.executemany(f"DELETE FROM {table} WHERE path = ?", rows)

    def put_records(self, stored: list[Stored]) -> None:
        """Replace everything known about these files (`new`: nothing is known yet, so nothing to delete).

        One statement per table for the whole batch, not per report: this is the cold-index hot path.
        Report ids are given here (the next free ones, as SQLite would give them), so that the rows of
        every report can be sent at once.
        """
        # The row layouts come with the parser's modules, which a command that only reads never loads.
        from desktop.store.records import METRIC_INSERT, REPORT_INSERT, placeholders

        if not stored:
            return
        conn = self.db.conn
        self.delete_reports([s.record.path for s in stored if not s.new])
        conn.executemany(
            "INSERT INTO files(path, size, mtime_ns, hash, status, reason)"
            " VALUES (?, ?, ?, ?, 'report', NULL)",
            [(s.record.path, s.size, s.mtime_ns, s.digest) for s in stored],
        )
        (top,) = conn.execute("SELECT coalesce(max(id), 0) FROM reports").fetchone()
        ids = range(int(top) + 1, int(top) + 1 + len(stored))
        conn.executemany(
            f"INSERT INTO reports(id, {REPORT_INSERT}) VALUES (?, {placeholders(REPORT_INSERT)})",
            [
                (report_id, *s.record.report, s.parent, s.team)
                for report_id, s in zip(ids, stored, strict=True)
            ],
        )
        records = list(zip(ids, (s.record for s in stored), strict=True))
        # The parser's rows start with the report's path; the tables store its id instead.
        firsts = _first_section_ids(conn, [(record.report[3], len(record.sections)) for _, record in records])
        # Each section's text goes to the search index only (schema.py): its lines stay in the file.
        conn.executemany(
            "INSERT INTO section_rows(id, report_id, idx, title, kind, level, parent, first_line,"
            " last_line, end_line, key, okr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (first + i, report_id, *row[1:-1])
                for first, (report_id, record) in zip(firsts, records, strict=True)
                for i, row in enumerate(record.sections)
            ],
        )
        if self._fts_live:
            span = (ids[0], ids[-1])
            conn.execute(
                "INSERT INTO fts_rows(id, section) SELECT ? + id, id FROM section_rows"
                " WHERE report_id BETWEEN ? AND ? ORDER BY id",
                (FTS_ZONE, *span),
            )
            texts = sorted(
                (first + i, row[-1])
                for first, (_, record) in zip(firsts, records, strict=True)
                for i, row in enumerate(record.sections)
            )
            conn.executemany(
                "INSERT INTO sections_fts(rowid, markdown) VALUES (?, ?)",
                [(FTS_ZONE + i, f"{text}\n\n") for i, text in texts],
            )
        else:  # kept aside for the rebuild at the end of the load, in this connection's temp database
            conn.execute(_BULK_TEXT)
            conn.executemany(
                "INSERT OR REPLACE INTO temp.bulk_text(id, path, size, mtime_ns, markdown)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (first + i, s.record.path, s.size, s.mtime_ns, row[-1])
                    for first, s in zip(firsts, stored, strict=True)
                    for i, row in enumerate(s.record.sections)
                ],
            )
        metric_columns = "report_id" + METRIC_INSERT.removeprefix("report")
        conn.executemany(
            f"INSERT INTO metric_rows({metric_columns}) VALUES ({placeholders(METRIC_INSERT)})",
            [(report_id, *row[1:]) for report_id, record in records for row in record.metrics],
        )
        conn.executemany(
            "INSERT INTO incident_rows(report_id, date, time, text, line, section) VALUES (?, ?, ?, ?, ?, ?)",
            [(report_id, *row[1:]) for report_id, record in records for row in record.incidents],
        )
        conn.executemany(
            "INSERT INTO plan_rows(report_id, text, line, section) VALUES (?, ?, ?, ?)",
            [(report_id, *row[1:]) for report_id, record in records for row in record.plans],
        )
        conn.executemany(
            "INSERT INTO progress_rows(report_id, subject, aspect, value, line, section)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(report_id, *row[1:]) for report_id, record in records for row in record.progress],
        )
        conn.executemany(
            "INSERT INTO problems(path, kind, message) VALUES (?, 'warning', ?)",
            [(record.path, w) for _, record in records for w in record.warnings],
        )

    def _count_dead(self, rows: int) -> None:
        """Note index rows that name no section any more; once they are many, mark the index for a rebuild."""
        dead = int(self.meta(DEAD_KEY) or 0) + rows
        self.set_meta(DEAD_KEY, str(dead))
        if dead > DEAD_MIN and dead * 4 > int(self.db.execute("SELECT count(*) FROM fts_rows").fetchone()[0]):
            self.set_meta("fts", "stale")  # the index run that wrote this rebuilds it at its end

    def put_skipped(self, path: str, size: int, mtime_ns: int, digest: str, reason: str) -> None:
        self.delete_reports([path])
        self.db.conn.execute(
            "INSERT INTO files(path, size, mtime_ns, hash, status, reason) VALUES (?, ?, ?, ?, 'skipped', ?)",
            (path, size, mtime_ns, digest, reason),
        )
        self.db.conn.execute(
            "INSERT INTO problems(path, kind, message) VALUES (?, 'skipped', ?)", (path, reason)
        )


_DAY_SHIFT = 24  # sections a single day's reports may have: 16 million
_LAST_DAY = dt.date.max.toordinal()


def _first_section_ids(conn: sqlite3.Connection, reports: list[tuple[object, int]]) -> list[int]:
    """The first section id of each (date, number of sections) in turn: ids that sort newest first.

    So search reads hits in the index's own order. An id is the days before the last possible date,
    then a count within the day, which goes on from the day's sections already stored and from the
    reports before it in the list.
    """
    next_free: dict[int, int] = {}  # a day's base → its next free id
    firsts = []
    for date, count in reports:
        try:
            days = _LAST_DAY - dt.date.fromisoformat(str(date)).toordinal()
        except ValueError:
            days = _LAST_DAY  # no usable date: after every dated report
        base = days << _DAY_SHIFT
        first = next_free.get(base)
        if first is None:
            (top,) = conn.execute(
                "SELECT max(id) FROM sections WHERE id BETWEEN ? AND ?", (base, base + (1 << _DAY_SHIFT) - 1)
            ).fetchone()
            first = base if top is None else int(top) + 1
        firsts.append(first)
        next_free[base] = first + count
    return firsts


def _connect(path: Path, *, read_only: bool = False, immutable: bool = False) -> sqlite_utils.Database:
    """The indexer's read-write connection, or the window's read-only one (it is never the writer).

    immutable: a cache on read-only media, where SQLite cannot even make the WAL's shared-memory file.
    """
    target, uri = (str(path), False)
    if read_only:
        target, uri = (f"{path.resolve().as_uri()}?{'immutable=1' if immutable else 'mode=ro'}", True)
    conn = sqlite3.connect(
        target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return wrap(conn)


def _connect_read_only(path: Path) -> sqlite_utils.Database:
    """A read-only connection that also works when the cache's folder cannot be written."""
    db = _connect(path, read_only=True)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as exc:
        db.close()
        if _primary_code(exc) not in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY):
            raise
        return _connect(path, read_only=True, immutable=True)


def _check(db: sqlite_utils.Database) -> str | None:
    """None when this is our cache at the current schema; else why it must be rebuilt."""
    tables = db.table_names()
    if not tables:
        return None
    if "meta" not in tables:
        return "not a Weekly Review cache"
    rows = dict(db.execute("SELECT key, value FROM meta").fetchall())
    if rows.get("app") != APP_MARK:
        return "not a Weekly Review cache"
    if rows.get("schema_version") != str(SCHEMA_VERSION):
        return f"cache schema {rows.get('schema_version')} is not {SCHEMA_VERSION}"
    return None


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF  # extended codes (CORRUPT_VTAB, ...) share it


def is_damage(exc: sqlite3.Error) -> bool:
    """A damaged or foreign file (worth discarding), as opposed to a full disk or a read-only folder."""
    code = _primary_code(exc)
    if code is None:
        text = str(exc).lower()
        return "malformed" in text or "not a database" in text or "corrupt" in text
    return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def describe_fault(exc: sqlite3.Error, path: Path) -> str:
    """One line for a cache that cannot be written: what is wrong, in words, and what the app does."""
    code = _primary_code(exc)
    if code == sqlite3.SQLITE_READONLY:
        return f"the cache {path} is read-only, so changed reports cannot be indexed ({exc})"
    if code == sqlite3.SQLITE_FULL:
        return f"the disk holding the cache {path} is full ({exc}); free some space and run again"
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return f"cannot write the cache {path} ({exc})"
    return f"the cache {path} failed: {exc}"


def _is_busy(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc)


def discard(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def open_reader(path: Path) -> sqlite_utils.Database | None:
    """A read-only connection for the window (the indexer is the only writer); None without a cache."""
    if not path.exists():
        return None
    try:
        db = _connect_read_only(path)
        if _check(db) is not None or "reports" not in db.table_names():
            db.close()
            return None
        return db
    except sqlite3.DatabaseError:
        return None


def _mark_open(cache: Cache) -> None:
    """Note in the cache that a writer has it open; a read-only cache is used as it is."""
    try:
        with cache.writing():
            cache.set_meta(CLEAN_KEY, "0")
    except sqlite3.OperationalError as exc:
        if _primary_code(exc) != sqlite3.SQLITE_READONLY:
            raise
        cache.read_only = True
        cache.messages.append(f"the cache {cache.path} is read-only: shown as it was")


def _open_read_only(folder: Path, db_path: Path, messages: list[str]) -> Cache | None:
    """The cache as it is, when it cannot be written (read-only file, folder or media); None if unusable."""
    try:
        db = _connect_read_only(db_path)
        if _check(db) is not None or "reports" not in db.table_names():
            db.close()
            return None
    except sqlite3.DatabaseError:
        return None
    messages.append(f"the cache {db_path} is read-only: shown as it was")
    return Cache(folder, db_path, db, messages, read_only=True)


def open_cache(folder: Path, path: Path | None = None) -> Cache:
    """Open (or create) the cache of `folder`; a corrupt, foreign or outdated one is rebuilt (with a note)."""
    db_path = path or cache_path_for(folder)
    messages: list[str] = []
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CacheError(
            f"cannot create the cache directory {db_path.parent}: {exc.strerror or exc}"
        ) from exc
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    discarded = False
    while True:
        db: sqlite_utils.Database | None = None
        try:
            db = _connect(db_path)
            problem = _check(db)
            if problem is not None:
                db.close()
                messages.append(f"cache {db_path.name} discarded and rebuilt: {problem}")
                discard(db_path)
                db = _connect(db_path)
            # Pages of 16 KB (for a new cache; an existing one keeps its own): sections' text rarely
            # spills into overflow pages, and a cold index writes rows and search index with less CPU.
            db.execute("PRAGMA page_size = 16384")
            # Switching to WAL takes the file for a moment: a second process opening a brand-new cache
            # at the same time is told "locked" at once (no busy wait here), so it retries below.
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA cache_size = -65536")  # 64 MB: fewer page reloads while building the index
            cache = Cache(folder, db_path, db, messages)
            if "meta" not in db.table_names():
                with cache.writing():
                    if "meta" not in db.table_names():  # another process may have won the race
                        create_schema(db)
                        cache.set_meta("app", APP_MARK)
                        cache.set_meta("schema_version", str(SCHEMA_VERSION))
                        cache.set_meta("folder", path_key(str(folder.resolve())))
            elif cache.meta(CLEAN_KEY) == "0":
                # Killed, crashed or still open elsewhere: make sure no page was left damaged.
                verdict = str(db.execute("PRAGMA quick_check").fetchone()[0])
                if verdict != "ok":
                    raise sqlite3.DatabaseError(f"database disk image is malformed: {verdict[:200]}")
            _mark_open(cache)
            return cache
        except sqlite3.DatabaseError as exc:
            if db is not None:
                with contextlib.suppress(Exception):
                    db.close()
            if _is_busy(exc) and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            if _primary_code(exc) in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) and db_path.exists():
                read_only = _open_read_only(folder, db_path, messages)
                if read_only is not None:
                    return read_only
            if is_damage(exc) and not discarded:
                messages.append(f"cache {db_path.name} was unreadable ({exc}); discarded and rebuilt")
                discard(db_path)
                discarded = True
                continue
            raise CacheError(describe_fault(exc, db_path)) from exc
        except OSError as exc:
            raise CacheError(f"cannot open the cache {db_path}: {exc.strerror or exc}") from exc
