"""The reports' text, read back from the folder: the cache keeps none of it.

The text is the folder's own, and a copy of it in the cache made the cache as large as the folder
again (35 MB of 91 at 5,000 reports). The cache keeps where each section's lines are; their text is
read from the file when asked for, through the SQL function `section_text()` that every cache
connection has (the `sections` view's `markdown` column calls it; section_sql writes the call), or
from Python.

A file is read again only while it is the version indexed: its size and time are those the files
table holds. Otherwise its text is None (the file changed, moved or went) until the index catches up;
lines cut from another version would not be the sections the cache describes. The text of a few
reports is kept, by the version the files table names, so that a report's sections cost one read
(a file that could not be read is tried again next time: a drive plugged back in is read at once).
"""

from __future__ import annotations

import os
import sqlite3
from collections import OrderedDict

from desktop.core.paths import key_to_fs

KEPT = 32  # reports whose lines are kept: a report's sections, and a screenful of search hits
# ... and at most this many characters of them: reports are a few thousand characters, but a folder
# may hold files of up to 8 MB (decoding.MAX_BYTES), and 32 of those would hold hundreds of MB.
KEPT_CHARS = 4_000_000
_Version = tuple[str, str, int, int]  # the folder (meta "folder"), the path, size and mtime_ns of files
_FOLDER = "(SELECT value FROM meta WHERE key = 'folder')"  # (worked out once per statement)


def section_sql(report: str = "r", files: str = "f", section: str = "s") -> str:
    """The SQL of a section's markdown, from the aliases of its reports, files and section_rows rows."""
    version = f"{_FOLDER}, {report}.path, {files}.size, {files}.mtime_ns"
    return f"section_text({version}, {section}.first_line, {section}.last_line)"


class FolderText:
    """The texts of reports read from their files, a few kept by version (of any folder: the version
    names it). It holds no connection: the caller's is given to each call that reads the files table."""

    def __init__(self) -> None:
        self._kept: OrderedDict[_Version, tuple[str, list[str]]] = OrderedDict()
        self._chars = 0  # of the texts kept
        self.missed: set[str] = set()  # paths that could not be read as indexed (the caller clears it)

    def forget(self) -> None:
        """Drop the kept texts (the caller knows the files changed)."""
        self._kept.clear()
        self._chars = 0

    def _version(self, version: _Version) -> tuple[str, list[str]] | None:
        kept = self._kept
        if version in kept:
            kept.move_to_end(version)
            return kept[version]
        folder, path, size, mtime_ns = version
        # (A string, not a Path: a timeline reads thousands of files, and pathlib costs 4 µs a name.)
        found = _read_version(f"{key_to_fs(folder)}{os.sep}{key_to_fs(path)}", size, mtime_ns)
        if found is None:
            self.missed.add(path)
        else:
            kept[version] = found
            self._chars += len(found[0])
            while len(kept) > 1 and (len(kept) > KEPT or self._chars > KEPT_CHARS):
                self._chars -= len(kept.popitem(last=False)[1][0])
        return found

    def read(self, conn: sqlite3.Connection, path: str) -> tuple[str, list[str]] | None:
        """The report's text and its lines as indexed; None when the file is no longer that version."""
        row = conn.execute(
            f"SELECT {_FOLDER}, size, mtime_ns FROM files WHERE path = ? AND status = 'report'", [path]
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return self._version((str(row[0]), path, int(row[1]), int(row[2])))

    def text(self, conn: sqlite3.Connection, path: str) -> str | None:
        found = self.read(conn, path)
        return None if found is None else found[0]

    def lines(self, conn: sqlite3.Connection, path: str) -> list[str] | None:
        found = self.read(conn, path)
        return None if found is None else found[1]

    def span(self, *args: object) -> str | None:
        """section_text(folder, path, size, mtime_ns, first, last): lines first..last (from 1) of that
        version of the report, joined; NULL when the file is no longer that version."""
        folder, path, size, mtime_ns, first, last = args
        if not (
            isinstance(folder, str)
            and isinstance(path, str)
            and isinstance(size, int)
            and isinstance(mtime_ns, int)
            and isinstance(first, int)
            and isinstance(last, int)
        ):
            return None  # (a report without its files row: never expected)
        found = self._version((folder, path, size, mtime_ns))
        return None if found is None else "\n".join(found[1][max(first - 1, 0) : last])


def _read_version(file: str, size: int, mtime_ns: int) -> tuple[str, list[str]] | None:
    # Decoded as the parser decoded it (desktop.store.parsing), so that its line numbers hold.
    from desktop.core.decoding import decode_text_again

    try:
        handle = os.open(file, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        stat = os.fstat(handle)
        if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
            return None
        chunks = []
        left = size  # (fstat said the file is this long; for file systems that return less than asked)
        while left > 0:
            chunk = os.read(handle, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(handle)
    if len(data) != size:
        return None
    text = decode_text_again(data)
    return None if text is None else (text, text.split("\n"))


def install(conn: sqlite3.Connection) -> FolderText:
    """Give a cache connection its `section_text` function; the texts it reads, for Python callers."""
    texts = FolderText()
    conn.create_function("section_text", 6, texts.span)
    return texts
