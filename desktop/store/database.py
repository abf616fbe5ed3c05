"""The cache's connection as a sqlite_utils.Database, without importing sqlite-utils up front.

Importing sqlite-utils (click, pluggy, dateutil, its CSV and migration helpers) takes about a tenth
of a second, which every command would pay before its first query. The store itself needs only
execute, table_names, conn and close; those are answered here, and anything else (table(),
transaction(), db["name"]) is handed to a real sqlite_utils.Database over the same connection,
made on first use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from desktop.store.texts import FolderText, install

if TYPE_CHECKING:
    import sqlite_utils


class _LazyDatabase:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._full: sqlite_utils.Database | None = None
        conn.execute("PRAGMA recursive_triggers = on")  # as sqlite_utils.Database sets it
        self.texts = install(conn)  # the reports' text, read from the folder (desktop/store/texts.py)

    def execute(
        self, sql: str, parameters: Iterable[Any] | Mapping[str, Any] | None = None
    ) -> sqlite3.Cursor:
        # The cache's connections run in autocommit mode (isolation_level None) with explicit
        # BEGIN/COMMIT, so there is no implicit transaction for sqlite-utils' execute to commit.
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)  # type: ignore[arg-type]

    def table_names(self, fts4: bool = False, fts5: bool = False) -> list[str]:
        if fts4 or fts5:
            return list(self._utils().table_names(fts4=fts4, fts5=fts5))
        return [str(r[0]) for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()

    def _utils(self) -> sqlite_utils.Database:
        if self._full is None:
            import sqlite_utils

            self._full = sqlite_utils.Database(self.conn, execute_plugins=False, recursive_triggers=False)
        return self._full

    def __getattr__(self, name: str) -> Any:
        return getattr(self._utils(), name)

    def __getitem__(self, name: str) -> Any:
        return self._utils()[name]


def wrap(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """A sqlite_utils.Database over conn in all but its start-up cost (see the module's docstring)."""
    return cast("sqlite_utils.Database", _LazyDatabase(conn))


def folder_text(db: sqlite_utils.Database) -> FolderText:
    """The reader of the reports' text that goes with this cache connection."""
    texts = getattr(db, "texts", None)
    return texts if isinstance(texts, FolderText) else install(db.conn)
