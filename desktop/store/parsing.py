"""Parsing the files of one index run, on every core: worker processes parse, the caller writes.

Kept apart from the cache module so worker processes import only the parser, not SQLite helpers.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from desktop.core.paths import key_to_fs, readable

if TYPE_CHECKING:
    from desktop.core.aliases import AliasTable
    from desktop.store.records import Record

PARALLEL_MIN_FILES = 48  # below this, starting worker processes costs more than it saves


# Values, but not frozen (Final instead, which mypy holds): a frozen dataclass with slots pickles
# through dataclasses' own __getstate__ and __setstate__, Python calls per object that cost the pipe
# between the workers and the writer a fifth of its time, on both sides.
@dataclass(slots=True, unsafe_hash=True)
class Job:
    path: Final[str]
    size: Final[int]
    mtime_ns: Final[int]
    known_hash: Final[str | None]
    new: Final[bool]  # not in the cache yet
    skip: Final[str | None] = None  # the scanner's reason not to read it (a link outside the folder, ...)


@dataclass(slots=True, unsafe_hash=True)
class Result:
    job: Final[Job]
    digest: Final[str]
    same: Final[bool]  # content unchanged although size or mtime moved
    record: Final[Record | None] = None  # the parsed report, as rows
    skip_reason: Final[str | None] = None  # why the file is not a report
    seconds: Final[tuple[float, float, float, float]] = (0.0, 0.0, 0.0, 0.0)  # read+hash, decode, parse, rows


_worker_aliases: AliasTable | None = None


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _init_worker(aliases: AliasTable, parent_pid: int) -> None:
    # The very table the run was stamped with, not a fresh read of files that may have changed since.
    global _worker_aliases
    _worker_aliases = aliases
    import desktop.core.parser  # noqa: F401 - loaded once, before the first file

    die_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group: the parent alone decides, and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Parsing is background work: on a machine with few cores the window must win the CPU.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)


def die_with_parent(parent_pid: int) -> None:
    """End this worker when the process that started it ends, however it ends (even kill -9).

    An orphaned worker would hold the caller's stdout open, and a script reading it would hang.
    Linux: the kernel sends SIGKILL on the parent's death. Everywhere: a thread waits on the pipe
    multiprocessing keeps from the parent (its sentinel), which closes when the parent goes.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the death signal was armed
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_after(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent's end of the pipe closes
    os._exit(1)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _work(root: Path, job: Job, aliases: AliasTable) -> Result:
    # The parser's modules are loaded here, in the processes that parse: the indexing process only
    # plans and writes, and loading them there held back starting the workers by 60 ms.
    from desktop.core.decoding import MAX_BYTES, Decoded, decode_bytes
    from desktop.core.parser import parse_decoded
    from desktop.store.records import to_record

    if job.skip is not None:
        return Result(job, "", False, skip_reason=job.skip)
    # One read serves the hash and the parse, so both describe the same version of the file.
    t0 = time.perf_counter()
    try:
        with (root / key_to_fs(job.path)).open("rb") as handle:
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
    # A name in GBK bytes is parsed as read (title and week come from it), and stored by its key.
    shown = readable(job.path)
    outcome = parse_decoded(shown, decoded, job.mtime_ns / 1e9, aliases)
    t3 = time.perf_counter()
    if outcome.report is None:
        return Result(
            job,
            digest,
            False,
            skip_reason=outcome.skip_reason or "unreadable",
            seconds=(t1 - t0, t2 - t1, t3 - t2, 0.0),
        )
    outcome.report.path = job.path
    record = to_record(outcome.report, outcome.lines)
    return Result(job, digest, False, record, seconds=(t1 - t0, t2 - t1, t3 - t2, time.perf_counter() - t3))


def _work_in_pool(args: tuple[Path, Job]) -> Result:
    assert _worker_aliases is not None
    return _work(args[0], args[1], _worker_aliases)


def _parallel(root: Path, jobs: list[Job], aliases: AliasTable, workers: int) -> Iterator[Result]:
    # spawn, not fork: the GUI calls this from a QThread, and forking a threaded Qt process is unsafe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(aliases, os.getpid())
    ) as pool:
        chunk = max(1, min(64, len(jobs) // (workers * 8)))
        finished = False
        try:
            yield from pool.map(_work_in_pool, [(root, job) for job in jobs], chunksize=chunk)
            finished = True
        finally:
            if finished:
                pool.shutdown(wait=True, cancel_futures=True)
            else:
                # Cancelled, interrupted (SIGTERM, Ctrl-C) or failed: stop the workers now rather
                # than wait for the files they are parsing.
                _terminate(pool)


_SHUTDOWN_SEEN_S = 1.0  # how long a stop waits for the pool's manager thread (see _terminate)


def _terminate(pool: ProcessPoolExecutor) -> None:
    # (Private attributes, read before shutdown() clears them; Python 3.14 has terminate_workers().)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    lock = getattr(getattr(pool, "_result_queue", None), "_wlock", None)
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    # Python 3.11: were the workers to die while the pool's manager thread still holds futures that
    # map() cancelled on closing, it would fail them again as broken and die of InvalidStateError
    # (3.12 ignores that). It drops them with the next result it reads: wait for that, briefly.
    deadline = time.monotonic() + _SHUTDOWN_SEEN_S
    while _holds_cancelled(manager) and time.monotonic() < deadline:
        time.sleep(0.001)
    # A worker killed while writing a result would leave half a message in the pipe, and the pool's
    # manager thread would wait for the rest forever (the process could never exit). Holding the
    # writers' lock while terminating means no worker is in the middle of a write.
    held = bool(lock is not None and lock.acquire(timeout=10))
    try:
        for process in processes:
            with contextlib.suppress(ProcessLookupError, ValueError, AttributeError):
                process.terminate()
        for process in processes:
            with contextlib.suppress(ValueError, AttributeError, AssertionError):
                process.join(5)
    finally:
        if held and lock is not None:
            lock.release()


def _holds_cancelled(manager: object) -> bool:
    pending = getattr(manager, "pending_work_items", None)
    if not isinstance(pending, dict):
        return False
    # (list() copies the values in one step of C: the manager thread cannot change the dict meanwhile.)
    return any(item.future.cancelled() for item in list(pending.values()))


def parse_all(root: Path, jobs: list[Job], aliases: AliasTable) -> Generator[Result, None, None]:
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
