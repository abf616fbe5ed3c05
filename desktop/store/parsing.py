"""Parsing the files of one index run, on every core: worker processes parse, the caller writes.

Kept apart from the cache module so worker processes import only the parser, not SQLite helpers.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from desktop.core.aliases import AliasTable
from desktop.core.decoding import MAX_BYTES, Decoded, decode_bytes
from desktop.core.parser import parse_decoded
from desktop.store.records import Record, to_record

PARALLEL_MIN_FILES = 48  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True, slots=True)
class Job:
    path: str
    size: int
    mtime_ns: int
    known_hash: str | None
    new: bool  # not in the cache yet


@dataclass(frozen=True, slots=True)
class Result:
    job: Job
    digest: str
    same: bool  # content unchanged although size or mtime moved
    record: Record | None = None  # the parsed report, as rows
    skip_reason: str | None = None  # why the file is not a report
    seconds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # read+hash, decode, parse, rows


_worker_aliases: AliasTable | None = None


def _init_worker(aliases: AliasTable) -> None:
    # The very table the run was stamped with, not a fresh read of files that may have changed since.
    global _worker_aliases
    _worker_aliases = aliases
    # Parsing is background work: on a machine with few cores the window must win the CPU.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _work(root: Path, job: Job, aliases: AliasTable) -> Result:
    # One read serves the hash and the parse, so both describe the same version of the file.
    t0 = time.perf_counter()
    try:
        with (root / job.path).open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return Result(job, "", False, skip_reason=f"cannot read: {exc.strerror or exc}")
    digest = _digest(data)
    if job.known_hash == digest:
        return Result(job, digest, True)
    t1 = time.perf_counter()
    if len(data) > MAX_BYTES:
        decoded = Decoded(None, "", skip_reason=f"file too large (over {MAX_BYTES // (1024 * 1024)} MB)")
    else:
        decoded = decode_bytes(data)
    t2 = time.perf_counter()
    outcome = parse_decoded(job.path, decoded, job.mtime_ns / 1e9, aliases)
    t3 = time.perf_counter()
    if outcome.report is None:
        return Result(
            job,
            digest,
            False,
            skip_reason=outcome.skip_reason or "unreadable",
            seconds=(t1 - t0, t2 - t1, t3 - t2, 0.0),
        )
    record = to_record(outcome.report)
    return Result(job, digest, False, record, seconds=(t1 - t0, t2 - t1, t3 - t2, time.perf_counter() - t3))


def _work_in_pool(args: tuple[Path, Job]) -> Result:
    assert _worker_aliases is not None
    return _work(args[0], args[1], _worker_aliases)


def _parallel(root: Path, jobs: list[Job], aliases: AliasTable, workers: int) -> Iterator[Result]:
    # spawn, not fork: the GUI calls this from a QThread, and forking a threaded Qt process is unsafe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(aliases,)
    ) as pool:
        chunk = max(1, min(64, len(jobs) // (workers * 8)))
        try:
            yield from pool.map(_work_in_pool, [(root, job) for job in jobs], chunksize=chunk)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def parse_all(root: Path, jobs: list[Job], aliases: AliasTable) -> Iterator[Result]:
    """Results in job order; in worker processes for larger runs, falling back to this process."""
    done = 0
    workers = min(os.cpu_count() or 1, 8)
    if workers > 1 and len(jobs) >= PARALLEL_MIN_FILES:
        try:
            for result in _parallel(root, jobs, aliases, workers):
                done += 1
                yield result
        except (BrokenProcessPool, OSError):
            pass  # a worker died (out of memory, killed) or none could start: finish the rest here
    for job in jobs[done:]:
        yield _work(root, job, aliases)
