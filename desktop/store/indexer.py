"""Bring a folder's cache up to date: scan, parse what changed (on all cores), write from one place."""

from __future__ import annotations

import hashlib
import operator
import os
import re
import sqlite3
import threading
import time
from array import array
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.alias_sources import default_sources_digest
from desktop.core.paths import readable
from desktop.core.scanner import FileEntry, find_parents, scan_folder, strip_notion_id, team_of
from desktop.core.versions import PARSER_VERSION, PROGRESS_VERSION
from desktop.store import folder_facts
from desktop.store.cache import Cache, CacheError, Stored, describe_fault, discard, is_damage, open_cache
from desktop.store.schema import SCAN_KEY

if TYPE_CHECKING:
    from desktop.core.aliases import AliasTable
    from desktop.store.parsing import Job, Result

BULK_MIN_FILES = 400  # from this many changed files on, rebuilding the search index at the end is faster
BATCH_SIZE = 64  # reports written (and announced) per transaction, at first
# Batches then grow to this: every commit writes out the last, partly filled page of each table and
# index again, and a cold index of 5,000 reports spent a fifth of its writing on that at 64.
MAX_BATCH_SIZE = 256


# The steps of IndexSummary.timings, in order: workers' steps (summed), then this process's.
WORKER_STEPS = ("read", "decode", "parse", "rows")
TIMING_STEPS = (
    *WORKER_STEPS,
    "scan",
    "plan",
    "waiting for parsers",
    "writing rows",
    "progress",
    "search index",
    "indexes",
    "relations",
    "counts",
)


class Cancelled(Exception):  # noqa: N818 - a requested stop, not an error
    pass


class IndexSummary:
    """What an index run did. (A plain class: cache.py says why the command line has no dataclasses.)"""

    def __init__(
        self,
        *,
        reports: int = 0,
        parsed: int = 0,
        removed: int = 0,
        messages: list[str] | None = None,
        seconds: float = 0.0,
    ) -> None:
        self.reports = reports
        self.sections = 0
        self.metrics = 0
        self.incidents = 0
        self.parsed = parsed
        self.unchanged = 0
        self.removed = removed
        self.skipped: list[dict[str, str]] = []
        self.warnings: list[dict[str, str]] = []
        self.messages = [] if messages is None else messages
        self.seconds = seconds
        # Where the time went, in seconds: steps of this process, and (summed over the worker
        # processes, so on several cores more than the wall time) reading, decoding, parsing, rows.
        self.timings: dict[str, float] = {}

    def __repr__(self) -> str:
        return f"IndexSummary({self.as_json()!r})"

    def as_json(self) -> dict[str, object]:
        return {
            "reports": self.reports,
            "sections": self.sections,
            "metrics": self.metrics,
            "incidents": self.incidents,
            "parsed": self.parsed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "messages": self.messages,
            "seconds": round(self.seconds, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


# (done, total, paths written in this batch)
Progress = Callable[[int, int, list[str]], None]


def _plan(cache: Cache, entries: list[FileEntry]) -> tuple[list[Job], int, list[str]]:
    # Sizes and times alone first: on a warm re-index nothing else needs reading. The rows come as
    # (path, size, mtime_ns, None), equal to a FileEntry of a file as it was, so one set compares
    # 50,000 files without a Python step per file.
    rows = cache.db.execute("SELECT path, size, mtime_ns, NULL FROM files").fetchall()
    stored = set(rows)
    changed = [
        e
        for e in entries
        if e not in stored and (e.skip is None or (e.path, e.size, e.mtime_ns, None) not in stored)
    ]
    unchanged = len(entries) - len(changed)
    if not changed and unchanged == len(rows):
        return [], unchanged, []  # every file matched its own row, and there are no others
    known = {row[0] for row in rows}
    present = {e.path for e in entries}
    removed = [path for path in known if path not in present]
    # A report dated by its modification time must be read again when only that time moved.
    hashes: dict[str, str] = {}
    old = [e.path for e in changed if e.path in known]
    for start in range(0, len(old), 500):
        chunk = old[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        hashes.update(
            (row[0], "" if row[2] else row[1])
            for row in cache.db.execute(
                "SELECT f.path, f.hash, r.date_source IN ('mtime', 'none')"
                " OR r.warnings LIKE '%modification time%'"
                f" FROM files f LEFT JOIN reports r ON r.path = f.path WHERE f.path IN ({marks})",
                chunk,
            )
        )
    from desktop.store.parsing import Job  # the parser's modules: only when there is something to read

    jobs = [Job(e.path, e.size, e.mtime_ns, hashes.get(e.path), e.path not in known, e.skip) for e in changed]
    return jobs, unchanged, removed


def _digests(entries: list[FileEntry]) -> tuple[str, str]:
    """Which files there are (while it holds, sub-pages and teams cannot have moved), and the whole scan.

    Built by C loops (join, map, array), not a Python step per file: 50,000 entries take 20 ms.
    """
    names = "\0".join(map(_path_of, entries)).encode("utf-8", "surrogatepass")
    scan = hashlib.blake2b(names, digest_size=16)
    scan.update(array("q", map(_size_of, entries)).tobytes())
    scan.update(array("q", map(_mtime_of, entries)).tobytes())
    scan.update(repr([e for e in entries if e.skip is not None]).encode("utf-8", "surrogatepass"))
    return hashlib.blake2b(names, digest_size=16).hexdigest(), scan.hexdigest()


# A year and up to two numbers after it: 2024-W24, 2024-06-14, 20240614, 2024年6月14日.
_HINT = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\D{0,2}(\d{1,2})(?:\D{0,2}(\d{1,2}))?)?")


def _date_hint(job: Job) -> tuple[int, int, int]:
    """The date a report's path suggests, before it is read: a cold index reads the newest first.

    So a manager watching the first index sees this week's reports first, and the section rows, whose
    ids sort newest first (cache.py), are appended instead of being inserted all over the table: it
    is packed (a sixth smaller at 5,000 reports) and written with less work. A wrong guess costs only
    the order; names without a year come last, in path order.
    """
    folder, _, name = job.path.rpartition("/")
    for text in (strip_notion_id(name.rpartition(".")[0] or name), folder):
        found = _HINT.search(text)
        if found:
            year, a, b = found.groups()
            return int(year), int(a or 0), int(b or 0)
    return (0, 0, 0)


_path_of, _size_of, _mtime_of = (operator.itemgetter(i) for i in range(3))


def _note_scan(cache: Cache, version: int, scanned: str) -> None:
    """Remember the scan the files table now matches, unless another process wrote to it meanwhile.

    Its own writes and the scan's then agree: every file is in the table with the size and time
    scanned. Any later write to the table forgets it (schema.py's triggers).
    """
    with cache.writing():
        if cache.data_version() == version:
            cache.set_meta(SCAN_KEY, scanned)


def _parser_stamp(aliases: AliasTable) -> str:
    return f"{PARSER_VERSION}.p{PROGRESS_VERSION}:{aliases.fingerprint()}"


Place = tuple[str | None, str | None]  # a report's parent page and team


def store_batch(
    cache: Cache, batch: list[Result], place: Callable[[str], Place]
) -> tuple[int, list[str], list[str]]:
    """Write one batch of parse results in one transaction: (unchanged, written, skipped paths).

    The full index and the folder watch's path-by-path update both store through here.
    """
    written: list[str] = []
    skipped: list[str] = []
    stored: list[Stored] = []
    unchanged = 0
    with cache.writing():
        # Another process may have indexed a "new" file since it was looked up; under the write lock
        # one query tells, and those files are replaced rather than inserted twice.
        fresh = [r.job.path for r in batch if r.job.new]
        taken: set[str] = set()
        if fresh:
            marks = ", ".join("?" * len(fresh))
            taken = {
                row[0] for row in cache.db.execute(f"SELECT path FROM files WHERE path IN ({marks})", fresh)
            }
        for result in batch:
            job = result.job
            if result.same:
                cache.db.conn.execute(
                    "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                    (job.size, job.mtime_ns, job.path),
                )
                unchanged += 1
            elif result.record is None:
                cache.put_skipped(
                    job.path, job.size, job.mtime_ns, result.digest, result.skip_reason or "unreadable"
                )
                skipped.append(job.path)
            else:
                parent, team = place(job.path)
                new = job.new and job.path not in taken
                stored.append(Stored(result.record, parent, team, job.size, job.mtime_ns, result.digest, new))
                written.append(job.path)
        cache.put_records(stored)
    return unchanged, written, skipped


def index_folder(
    cache: Cache,
    *,
    aliases: AliasTable | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    with_counts: bool = True,
) -> IndexSummary:
    """Scan cache.folder and make the cache match it. Never writes into the folder."""
    started = time.perf_counter()
    summary = IndexSummary(messages=list(cache.messages))
    root = cache.folder
    if not root.is_dir() or not os.access(root, os.R_OK | os.X_OK):
        # A folder that vanished (an unplugged drive, a dropped share) must not empty its cache.
        shown = readable(str(root))
        raise CacheError(f"the folder {shown} is gone or cannot be read; its cache is kept as it was")
    timings = summary.timings = dict.fromkeys(TIMING_STEPS, 0.0)
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[step] += now - clock
        clock = now

    entries = scan_folder(root)
    lap("scan")
    aliases = _check_parser(cache, aliases, summary)
    # Read before the plan: should another process commit after it, this run's scan is not noted.
    version = cache.data_version()
    listing, scanned = _digests(entries)
    # The very files, sizes and times the cache was last found to match: no file-by-file comparison,
    # which reads the whole files table (a tenth of a second at 50,000 reports, for every command).
    same_scan = cache.meta(SCAN_KEY) == scanned
    jobs, summary.unchanged, removed = ([], len(entries), []) if same_scan else _plan(cache, entries)
    summary.removed = len(removed)
    # The metric rows these files held before the run: with what they hold after it, the only series
    # whose unit or kind the run can change (None: too many to track, settle all).
    changed_paths = [job.path for job in jobs] + removed
    shares = folder_facts.shares_of(cache.db.conn, changed_paths)
    if removed:
        with cache.writing():
            cache.delete_reports(removed)
    # Nothing to write and the same files as last time: the relations stored are still right.
    # The same files as last time: the relations stored are still right, and a rewritten report keeps
    # the place it had (finding parents and checking every report's place takes seconds at 50,000).
    settled = not removed and cache.meta("paths") == listing
    places = _places(cache, [job.path for job in jobs]) if settled else {}
    known_places = settled and len(places) == len(jobs)  # else some file had no report row to say it
    parents = {} if known_places else find_parents([e.path for e in entries])
    lap("plan")
    total = len(jobs)
    bulk = len(jobs) >= BULK_MIN_FILES
    done = 0
    batch: list[Result] = []
    limit = BATCH_SIZE  # the first reports are shown as soon as before; the rest in fewer commits

    def flush() -> None:
        nonlocal done, limit
        lap("waiting for parsers")

        def place(path: str) -> Place:
            return places.get(path) or (parents.get(path), team_of(path, parents))

        unchanged, written, skipped = store_batch(cache, batch, place)
        summary.unchanged += unchanged
        summary.parsed += len(written) + len(skipped)
        done += len(batch)
        batch.clear()
        limit = min(limit * 2, MAX_BATCH_SIZE)
        lap("writing rows")
        if progress is not None:
            progress(done, total, written)
        lap("progress")

    if bulk:
        cache.begin_bulk()
        jobs.sort(key=_date_hint, reverse=True)
    results = _parse(root, jobs, aliases)
    interrupted = False
    try:
        for result in results:
            if cancel is not None and cancel.is_set():
                raise Cancelled
            batch.append(result)
            for step, seconds in zip(WORKER_STEPS, result.seconds, strict=True):
                timings[step] += seconds
            if len(batch) >= limit:
                flush()
        if batch:
            flush()
    except BaseException as exc:
        interrupted = not isinstance(exc, Exception)  # SIGTERM or Ctrl-C: leave at once
        raise
    finally:
        results.close()  # an early end stops the worker processes now
        # A bulk writer always rebuilds (another process may have rebuilt before it finished); any run
        # that finds the index stale from an interrupted load rebuilds it too. Cancelled: the next run.
        cancelled = interrupted or (cancel is not None and cancel.is_set())
        if not cancelled:
            lap("waiting for parsers")
            if bulk or cache.search_stale():
                cache.rebuild_search()
                lap("search index")
            cache.restore_indexes()  # before the folder's facts, whose updates look metrics up by name
            lap("indexes")
        if bulk:
            cache.end_bulk()
    lap("waiting for parsers")
    moved: list[str] = []
    if not settled:
        with cache.writing():
            moved = _refresh_relations(cache, parents)
            cache.set_meta("paths", listing)
    if jobs or removed:
        # Reports that became (or stopped being) sub-pages no longer count (or count again) in the
        # series they give: they are among the reports whose shares may have moved.
        now = folder_facts.shares_of(cache.db.conn, changed_paths + moved)
        with cache.writing():  # dates without plausible mtimes, KPI kinds, one unit per series
            folder_facts.refresh(cache.db.conn, entries, shares, now)
    if not same_scan and not cache.read_only:
        _note_scan(cache, version, scanned)
    lap("relations")
    if with_counts:  # a search that only needs the cache current skips the counting
        _fill_counts(cache, summary)
    lap("counts")
    summary.seconds = time.perf_counter() - started
    return summary


def _check_parser(cache: Cache, aliases: AliasTable | None, summary: IndexSummary) -> AliasTable | None:
    """Forget every file's identity when the parser or alias table changed; the table, if it was built.

    The default table is built only when its files are not those the stored stamp was made from
    (building it costs every command 10 ms); a table with errors is built every time, to say them.
    """
    sources = None
    if aliases is None:
        digest = default_sources_digest()
        sources = None if digest is None else f"{PARSER_VERSION}.p{PROGRESS_VERSION}:{digest}"
        if sources is not None and cache.meta("parser sources") == sources:
            return None
        from desktop.core.aliases import default_alias_table  # the table's parser: only now

        aliases = default_alias_table()
        if aliases.errors:
            sources = None
    summary.messages.extend(aliases.errors)
    stamp = _parser_stamp(aliases)
    new_parser = cache.meta("parser") != stamp
    if new_parser or (sources is not None and cache.meta("parser sources") != sources):
        with cache.writing():
            if new_parser:
                # A new parser or alias table: every file is read again. The stamp is recorded now
                # so that a cancelled run resumes instead of starting over.
                cache.db.conn.execute("UPDATE files SET mtime_ns = -1, hash = ''")
                cache.set_meta("parser", stamp)
            cache.set_meta("parser sources", sources or "")
    return aliases


def _parse(root: Path, jobs: list[Job], aliases: AliasTable | None) -> Generator[Result, None, None]:
    if not jobs:
        return  # nothing to read: the parser's modules (and the alias table) are not even loaded
    from desktop.core.aliases import default_alias_table
    from desktop.store.parsing import parse_all

    yield from parse_all(root, jobs, aliases or default_alias_table())


def _places(cache: Cache, paths: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """The stored parent page and team of each of these paths that has a report row."""
    places: dict[str, tuple[str | None, str | None]] = {}
    for start in range(0, len(paths), 500):
        chunk = paths[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for path, parent, team in cache.db.execute(
            f"SELECT path, parent, team FROM reports WHERE path IN ({marks})", chunk
        ):
            places[path] = (parent, team)
    return places


def _refresh_relations(cache: Cache, parents: dict[str, str]) -> list[str]:
    """A new or removed parent page changes its sub-pages' place without their files changing; returns
    the reports moved."""
    rows = cache.db.execute("SELECT path, parent, team FROM reports").fetchall()
    updates = []
    for path, parent, team in rows:
        want_parent, want_team = parents.get(path), team_of(path, parents)
        if (parent, team) != (want_parent, want_team):
            updates.append((want_parent, want_team, path))
    if updates:
        cache.db.conn.executemany("UPDATE reports SET parent = ?, team = ? WHERE path = ?", updates)
    return [path for _parent, _team, path in updates]


def _fill_counts(cache: Cache, summary: IndexSummary) -> None:
    one = cache.db.execute
    # The report rows carry their own counts: summing 50,000 of them beats counting 650,000 sections.
    reports, sections, metrics = one(
        "SELECT count(*), coalesce(sum(n_sections), 0), coalesce(sum(n_metrics), 0) FROM reports"
    ).fetchone()
    summary.reports, summary.sections, summary.metrics = int(reports), int(sections), int(metrics)
    summary.incidents = int(one("SELECT count(*) FROM incidents").fetchone()[0])
    summary.skipped = [
        {"path": p, "reason": r}
        for p, r in one("SELECT path, message FROM problems WHERE kind = 'skipped' ORDER BY path")
    ]
    summary.warnings = [
        {"path": p, "message": m}
        for p, m in one("SELECT path, message FROM problems WHERE kind = 'warning' ORDER BY path")
    ]


def open_and_index(
    folder: Path,
    *,
    aliases: AliasTable | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    opened: Callable[[Path], None] | None = None,
    with_counts: bool = True,
) -> tuple[Cache, IndexSummary]:
    """Open the folder's cache and index it; a cache found corrupt mid-way is rebuilt once."""
    cache = open_cache(folder)
    if opened is not None:
        opened(cache.path)
    try:
        return cache, index_folder(
            cache, aliases=aliases, progress=progress, cancel=cancel, with_counts=with_counts
        )
    except (Cancelled, CacheError, KeyboardInterrupt):
        cache.close()  # every write was rolled back: the cache is consistent
        raise
    except sqlite3.DatabaseError as exc:
        cache.close()
        if not is_damage(exc):
            # A full disk or a read-only cache: one line for the caller, nothing is thrown away.
            raise CacheError(describe_fault(exc, cache.path)) from exc
        path = cache.path
        discard(path)
        cache = open_cache(folder)
        cache.messages.append(f"cache {path.name} was damaged ({exc}); discarded and rebuilt")
        if opened is not None:
            opened(cache.path)
        return cache, index_folder(
            cache, aliases=aliases, progress=progress, cancel=cancel, with_counts=with_counts
        )
