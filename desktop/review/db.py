"""Opening the review database so that nothing in it is ever lost.

WAL with synchronous = FULL (a returned write survives a crash or power cut), every change one
BEGIN IMMEDIATE transaction retried while another process holds the lock, a backup with SQLite's
backup API on the first write of each day (the last BACKUPS_KEPT kept), migrations that carry the
data forward (with a backup first), and a damaged file moved aside, never deleted, with the newest good
backup restored in its place.

Damage is looked for on opening with PRAGMA quick_check, which reads the whole file: 34 ms once 5,000
reports are read, on every command. So it runs only when the files are not as this app's connections
last left them (their size, times and first page, kept beside the database), and on a new day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from desktop.review.migrations import APP_MARK, SCHEMA_VERSION, STEPS

DB_NAME = "review.sqlite"
BACKUPS_KEPT = 14
BUSY_TIMEOUT_MS = 30_000  # other windows and commands hold the write lock for milliseconds
RETRY_SECONDS = 60.0  # beyond the busy timeout: a locked database is waited for, a write never dropped


class ReviewError(Exception):
    """The review database cannot be opened or written (a read-only or full disk, a newer schema)."""


def data_dir() -> Path:
    override = os.environ.get("WEEKLY_REVIEW_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("weekly-review", appauthor=False))


def now() -> str:
    """An ISO timestamp in UTC to the microsecond, so that the order of two quick writes is kept."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc)


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in str(exc)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _problem(conn: sqlite3.Connection, *, check: bool = True) -> str | None:
    """None when this is a sound review database (or an empty file); else what is wrong with it.

    check=False leaves out the integrity check (of files known to be as they were when last checked).
    """
    found = conn.execute("PRAGMA quick_check").fetchone() if check else ("ok",)
    if found is None or found[0] != "ok":
        return f"integrity check failed ({found[0] if found else 'no answer'})"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    if "meta" not in tables:
        return "not a Weekly Review database"
    app = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
    if app is None or app[0] != APP_MARK:
        return "not a Weekly Review database"
    return None


def _state(path: Path) -> str:
    """The day, and the database's files as the file system shows them, with its first page's hash."""
    parts = [dt.date.today().isoformat()]
    for suffix in ("", "-wal"):
        try:
            st = Path(f"{path}{suffix}").stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}")
    try:
        with path.open("rb") as handle:
            # A write within the file system's clock tick leaves the times as they were.
            parts.append(hashlib.blake2b(handle.read(4096), digest_size=16).hexdigest())
    except FileNotFoundError:
        parts.append("-")
    return " ".join(parts)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Only one process at a time moves a damaged database aside and restores a backup."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Damaged(Exception):  # noqa: N818 - a finding, handled right where it is raised
    pass


class ReviewDb:
    """One connection to the review database, with transactions that wait for the lock and back up."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / DB_NAME
        self.backup_dir = self.path.parent / "backups"
        self.messages: list[str] = []  # what happened on opening, for the user (a restore, a migration)
        # The files' state (see _state) when a connection last left them sound: while it holds, opening
        # skips the integrity check.
        self._checked_path = self.path.with_name(f"{self.path.name}.checked")
        self._sound = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReviewError(f"cannot create {self.path.parent}: {exc.strerror or exc}") from exc
        self.conn = self._open()

    # -- opening ------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        deadline = time.monotonic() + RETRY_SECONDS
        recovered = False
        while True:
            conn: sqlite3.Connection | None = None
            try:
                known_sound = not recovered and self._read_checked() == _state(self.path)
                conn = _connect(self.path)
                problem = _problem(conn, check=not known_sound)
                if problem is not None:
                    raise _Damaged(problem)
                self._sound = True
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                # Listings walk the notes in report order, not in the order they were written (their
                # pages'): with the default 2 MB of cache each page was read three times (10,000 reads
                # for 10,000 notes). Memory is taken only as pages are read.
                conn.execute("PRAGMA cache_size = -65536")
                self.conn = conn
                self._migrate()
                return conn
            except (sqlite3.Error, _Damaged) as exc:
                if conn is not None:
                    with contextlib.suppress(sqlite3.Error):
                        conn.close()
                if isinstance(exc, sqlite3.Error) and _is_busy(exc) and time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
                damaged = isinstance(exc, _Damaged) or (isinstance(exc, sqlite3.Error) and _is_damage(exc))
                if damaged and not recovered:
                    self._recover(str(exc))
                    recovered = True
                    continue
                raise ReviewError(f"cannot open the review database {self.path}: {exc}") from exc
            except OSError as exc:
                raise ReviewError(
                    f"cannot open the review database {self.path}: {exc.strerror or exc}"
                ) from exc

    def _version(self) -> int:
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        found = self._version()
        if found == SCHEMA_VERSION:
            return
        if 0 < found < SCHEMA_VERSION:
            # A copy as it was, in case a migration is wrong (taken outside the write transaction: the
            # backup API waits forever on a connection that holds one).
            self._backup(self.backup_dir / f"before-v{SCHEMA_VERSION}-{dt.date.today()}.sqlite")
        with self.transaction(backup=False):
            version = self._version()  # again under the lock: another process may have migrated
            if version > SCHEMA_VERSION:
                raise ReviewError(
                    f"the review database {self.path} is from a newer Weekly Review (schema {version})"
                )
            if version == SCHEMA_VERSION:
                return
            if version > 0:
                self.messages.append(f"review database upgraded from schema {version} to {SCHEMA_VERSION}")
            for step in STEPS[version:]:
                step(self.conn)
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('app', ?)", [APP_MARK])
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
        # A step that made a table anew leaves the old one's pages free: give them back once, or every
        # daily backup would copy them. (Busy or failing, it waits for a later upgrade; nothing is lost.)
        free, pages = (
            self.conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("freelist_count", "page_count")
        )
        if 4 * free > pages:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("VACUUM")

    def _recover(self, reason: str) -> None:
        """Move the damaged file aside (never delete it) and put the newest good backup in its place."""
        with _file_lock(self.path.parent / "review.lock"):
            # Another process may have recovered while this one waited for the lock.
            with contextlib.suppress(sqlite3.Error):
                probe = _connect(self.path)
                try:
                    if _problem(probe) is None:
                        return
                finally:
                    probe.close()
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            aside = self.path.with_name(f"review.damaged-{stamp}-{os.getpid()}.sqlite")
            for suffix in ("", "-wal", "-shm"):
                source = Path(str(self.path) + suffix)
                if source.exists():
                    source.rename(Path(str(aside) + suffix))
            restored = self._restore_newest()
            what = f"the backup of {restored}" if restored else "no backup was found; starting empty"
            self.messages.append(
                f"the review database was damaged ({reason}); it was moved to {aside}, {what}"
                + (" was restored" if restored else "")
            )

    def _restore_newest(self) -> str | None:
        for backup in sorted(self.backup_dir.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True):
            try:
                source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
                try:
                    if _problem(source) is not None:
                        continue
                    target = sqlite3.connect(self.path)
                    try:
                        source.backup(target)
                    finally:
                        target.close()
                finally:
                    source.close()
                return backup.stem
            except sqlite3.Error:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
        return None

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, *, backup: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction. The lock is taken up front so writers queue instead of failing."""
        if backup:
            self._daily_backup()
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if _is_busy(exc) and time.monotonic() < deadline:
                    time.sleep(0.01)
                    continue
                raise ReviewError(f"cannot write the review database {self.path}: {exc}") from exc
        try:
            yield self.conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise ReviewError(f"cannot write the review database {self.path}: {exc}") from exc

    def _daily_backup(self) -> None:
        target = self.backup_dir / f"review-{dt.date.today().isoformat()}.sqlite"
        if target.exists():
            return
        self._backup(target)
        backups = sorted(self.backup_dir.glob("review-*.sqlite"))
        for old in backups[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()

    def _backup(self, target: Path) -> None:
        """A consistent copy made with the backup API, checked, then renamed into place."""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        copy = sqlite3.connect(partial)
        try:
            self.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            ok = copy.execute("PRAGMA quick_check").fetchone()
        finally:
            copy.close()
        if ok is None or ok[0] != "ok":
            partial.unlink()
            return
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)

    def _read_checked(self) -> str | None:
        try:
            return self._checked_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def close(self) -> None:
        self.conn.close()
        if not self._sound:
            return
        # The files as this connection leaves them, sound: the next opening need not read them all.
        # (Lost or wrong, the record only costs one check more.)
        state = _state(self.path)
        if state != self._read_checked():
            with contextlib.suppress(OSError):
                self._checked_path.write_text(state, encoding="utf-8")
