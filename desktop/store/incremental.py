"""Bring the cache up to date for a few named paths (what the folder watcher saw), without a rescan.

The full indexer scans the whole folder and compares every file; this reads only the paths it is
given, plus the cache's own list of files to work out sub-pages and teams again when files came or
went. A path may name a file (added, modified or deleted) or a folder (created, moved in, deleted or
moved away): a folder stands for every report below it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.aliases import AliasTable, default_alias_table
from desktop.core.paths import key_to_fs, path_key, readable
from desktop.core.scanner import (
    FileEntry,
    _link_entry,
    find_parents,
    is_report_path,
    scan_folder,
    team_of,
)
from desktop.store import folder_facts
from desktop.store.cache import Cache, CacheError, describe_fault, is_damage, open_cache
from desktop.store.indexer import BATCH_SIZE, Cancelled, Place, _parser_stamp, store_batch
from desktop.store.parsing import Job, Result, parse_all

CHUNK = 500  # paths per `IN (...)` query, well below SQLite's limit on bound values


@dataclass
class PathsSummary:
    """What one incremental run changed in the cache, for the window to show."""

    written: list[str] = field(default_factory=list)  # reports parsed and stored (added or modified)
    removed: list[str] = field(default_factory=list)  # files no longer in the cache
    moved: list[str] = field(default_factory=list)  # reports whose parent page or team changed
    skipped: list[str] = field(default_factory=list)  # files stored as "not a report"
    unchanged: int = 0  # files read again whose content had not changed
    # The cache was built with another parser or alias table, or is missing or damaged: only a full
    # index can make it consistent, so nothing was written.
    needs_full_index: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.moved or self.skipped)


def index_paths(
    cache: Cache,
    paths: Iterable[str],
    *,
    aliases: AliasTable | None = None,
    cancel: threading.Event | None = None,
) -> PathsSummary:
    """Make the cache match the folder for `paths` (relative to cache.folder, with "/"). Never writes
    into the folder."""
    started = time.perf_counter()
    aliases = aliases or default_alias_table()
    summary = PathsSummary()
    root = cache.folder
    if not root.is_dir() or not os.access(root, os.R_OK | os.X_OK):
        raise CacheError(_gone(root))
    if cache.meta("parser") != _parser_stamp(aliases):
        summary.needs_full_index = True
        return summary
    named, present, gone_files, folders = _look(root, paths)
    known = _known(cache, [*present, *gone_files])
    removed = {p for p in gone_files if p in known}
    for folder in folders:
        removed.update(p for p in _cached_under(cache, folder) if p not in present)
    # A file named by the watcher is read in any case (an edit in place may keep its size and time);
    # one found below a folder that appeared only when new to the cache or its size or time differ.
    jobs = [
        _job(entry, old)
        for path, entry in sorted(present.items())
        if (old := known.get(path)) is None or path in named or old[:2] != (entry.size, entry.mtime_ns)
    ]
    if cancel is not None and cancel.is_set():
        raise Cancelled
    # Files came or went: sub-pages and teams are worked out again from the cache's list of files.
    # Otherwise each rewritten report keeps the place it had (finding parents costs 0.5 s at 50,000).
    listing_moved = bool(removed) or any(job.new for job in jobs)
    parents: dict[str, str] | None = None
    places = None if listing_moved else _places(cache, [job.path for job in jobs])
    if places is None:
        listed = {row[0] for row in cache.db.execute("SELECT path FROM files")}
        parents = find_parents(sorted(listed.difference(removed).union(present)))
        places = {job.path: (parents.get(job.path), team_of(job.path, parents)) for job in jobs}
    changed_paths = [job.path for job in jobs] + sorted(removed)
    shares = folder_facts.shares_of(cache.db.conn, changed_paths)  # before they are rewritten
    if removed:
        with cache.writing():
            cache.delete_reports(sorted(removed))
        summary.removed = sorted(removed)
    batch: list[Result] = []
    for result in parse_all(root, jobs, aliases):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        batch.append(result)
        if len(batch) >= BATCH_SIZE:
            _write(cache, batch, places, summary)
    if batch:
        _write(cache, batch, places, summary)
    if cache.search_stale():
        # An interrupted bulk load left the search index behind: the rows written above are not in it.
        cache.rebuild_search()
    cache.restore_indexes()  # (likewise the indexes an interrupted cold load left for its end)
    if listing_moved and parents is not None:
        with cache.writing():
            summary.moved = _refresh_relations(cache, parents, skip=set(summary.written))
    if jobs or removed:
        # As after a full index: the series these reports write in settle their unit and KPI kind.
        # (Whether the folder's file times date anything is a whole-folder question, left to it.)
        # (Reports moved under a new page, or out from under a gone one, count in their series no more,
        # or again: they are among the reports whose shares may have moved.)
        now = folder_facts.shares_of(cache.db.conn, changed_paths + summary.moved)
        with cache.writing():
            folder_facts.refresh(cache.db.conn, [], shares, now)
    summary.seconds = time.perf_counter() - started
    return summary


def open_and_index_paths(
    folder: Path,
    paths: Iterable[str],
    *,
    aliases: AliasTable | None = None,
    cancel: threading.Event | None = None,
) -> PathsSummary:
    """Open the folder's cache, update `paths` and close it. A damaged cache is left to the full index."""
    if not folder.is_dir():
        raise CacheError(_gone(folder))
    cache = open_cache(folder)
    try:
        return index_paths(cache, paths, aliases=aliases, cancel=cancel)
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            # A full disk or a read-only cache: one line for the caller, nothing is thrown away.
            raise CacheError(describe_fault(exc, cache.path)) from exc
        return PathsSummary(needs_full_index=True)  # the full index discards and rebuilds it
    finally:
        cache.close()


def _gone(folder: Path) -> str:
    return f"the folder {readable(str(folder))} is gone or cannot be read; its cache is kept as it was"


def _clean(relpath: str) -> str | None:
    """The cache's key for a folder-relative path (a name in GBK bytes is escaped as the scanner does)."""
    relpath = path_key(relpath.replace(os.sep, "/").strip("/"))
    parts = relpath.split("/")
    if not relpath or any(not p or p in (".", "..") or p.startswith(".") for p in parts):
        return None  # the folder itself, outside it, or hidden: nothing the scanner would list
    return relpath


def _look(root: Path, paths: Iterable[str]) -> tuple[set[str], dict[str, FileEntry], set[str], list[str]]:
    """Report files named, report files present (named or below a named folder), report files gone,
    and folder paths (whose cached contents are checked against what is present). All as keys."""
    named: set[str] = set()
    present: dict[str, FileEntry] = {}
    gone: set[str] = set()
    folders: list[str] = []
    real_root = os.path.realpath(root)
    for key in sorted({c for p in paths if (c := _clean(p)) is not None}):
        full = root / key_to_fs(key)
        if full.is_dir() and not full.is_symlink():  # the scanner does not follow folder links either
            folders.append(key)
            for entry in scan_folder(full):
                path = f"{key}/{entry.path}"
                present[path] = FileEntry(path, entry.size, entry.mtime_ns, entry.skip)
            continue
        if is_report_path(key):
            found = _file_entry(full, key, real_root)
            if found is not None:
                named.add(key)
                present[key] = found
                continue
            gone.add(key)
        if not full.exists() and not full.is_symlink():
            folders.append(key)  # perhaps a folder deleted or moved away, taking its reports along
    return named, present, gone, folders


def _file_entry(full: Path, key: str, real_root: str) -> FileEntry | None:
    """The scanner's entry for one report file, or None when it would list none."""
    try:
        if full.is_symlink():
            # Rare: a link is followed only to a file inside the folder, else named as a problem.
            with os.scandir(full.parent) as entries:
                match = next((e for e in entries if e.name == full.name), None)
            return None if match is None else _link_entry(match, key, real_root)
        st = full.stat()
    except OSError:
        return None
    return FileEntry(key, st.st_size, st.st_mtime_ns) if full.is_file() else None


Known = tuple[int, int, str, bool]  # size, mtime_ns, hash, dated by the file's modification time


def _known(cache: Cache, paths: list[str]) -> dict[str, Known]:
    """What the cache holds about each of these paths that it knows."""
    known: dict[str, Known] = {}
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for path, size, mtime_ns, digest, by_mtime in cache.db.execute(
            "SELECT f.path, f.size, f.mtime_ns, f.hash,"
            " r.date_source = 'mtime' OR r.warnings LIKE '%modification time%'"
            f" FROM files f LEFT JOIN reports r ON r.path = f.path WHERE f.path IN ({marks})",
            chunk,
        ):
            known[path] = (size, mtime_ns, digest, bool(by_mtime))
    return known


def _cached_under(cache: Cache, folder: str) -> list[str]:
    # A range on the primary key: every path that starts with "folder/" ("0" follows "/").
    rows = cache.db.execute(
        "SELECT path FROM files WHERE path >= ? AND path < ?", (folder + "/", folder + "0")
    )
    return [row[0] for row in rows]


def _job(entry: FileEntry, old: Known | None) -> Job:
    # A report dated by its modification time is parsed again even when its bytes are the same.
    known_hash = None if old is None else ("" if old[3] else old[2])
    return Job(entry.path, entry.size, entry.mtime_ns, known_hash, old is None, entry.skip)


def _places(cache: Cache, paths: list[str]) -> dict[str, Place] | None:
    """The stored parent and team of each path; None when one has no report row to say it."""
    places: dict[str, Place] = {}
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for path, parent, team in cache.db.execute(
            f"SELECT path, parent, team FROM reports WHERE path IN ({marks})", chunk
        ):
            places[path] = (parent, team)
    return places if len(places) == len(paths) else None


def _write(cache: Cache, batch: list[Result], places: dict[str, Place], summary: PathsSummary) -> None:
    unchanged, written, skipped = store_batch(cache, batch, places.__getitem__)
    summary.unchanged += unchanged
    summary.written.extend(written)
    summary.skipped.extend(skipped)
    batch.clear()


def _refresh_relations(cache: Cache, parents: dict[str, str], *, skip: set[str]) -> list[str]:
    """A page added or removed moves its sub-pages without their files changing; returns those moved."""
    updates = []
    for path, parent, team in cache.db.execute("SELECT path, parent, team FROM reports").fetchall():
        if path in skip:
            continue  # just written with its place
        want = (parents.get(path), team_of(path, parents))
        if (parent, team) != want:
            updates.append((*want, path))
    if updates:
        cache.db.conn.executemany("UPDATE reports SET parent = ?, team = ? WHERE path = ?", updates)
    return sorted(path for _parent, _team, path in updates)
