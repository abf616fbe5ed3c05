"""Following a folder from a process of its own: watchfiles (Rust notify) names the changed reports.

notify walks the whole folder to set up its watches, and watchfiles holds the interpreter lock while
it does: 140 ms at 50,000 reports, in which the window's thread could run no Python (every paint of
the tree calls into it). So the watch runs in a spawned process, which sends each debounced batch of
changed paths over a pipe; the caller's thread waits on the pipe, which takes no lock.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import watchfiles

from desktop.core.paths import path_key
from desktop.core.scanner import is_report_path

STEP_MS = 150  # a batch is handed over once the folder has been quiet this long (also the stop delay)
DEBOUNCE_MS = 1000  # under a steady stream of writes (a sync client), a batch at least this often
RUST_TIMEOUT_MS = 300  # an empty wake-up this often: the first one says the watch is in place

# Names editors and sync clients write beside a file while saving it (vim's 4913 probe, `x.md~`,
# `#x.md#`, JetBrains' and Kate's copies, partial downloads). Hidden names (`.x.swp`) are dropped anyway.
_TEMP_NAME = re.compile(
    r"(~|#|\.sw[a-p]|\.tmp|\.temp|\.bak|\.part|\.crdownload|\.kate-swp|___jb_(tmp|old)___)$"
    r"|^#|^~\$|^4913$",
    re.IGNORECASE,
)
# Deleted names that are plainly files of another kind; any other deleted name may be a folder.
_OTHER_FILE = re.compile(r"\.[A-Za-z0-9]{1,5}$")

# What the watch process sends: ("batch", sorted paths), an empty batch on each quiet wake-up (the
# first says the watch is in place); ("lost", None): changes that could not be named were dropped and
# the watch starts again; ("failed", why): the folder is no longer followed.
Message = tuple[str, object]


class ReportFilter:
    """watchfiles filter: changes to what the indexer reads, below the folder and outside hidden ones.

    A deleted or created folder passes too (it takes or brings reports that raise no event of their
    own when a folder is moved); the incremental indexer finds what it held.
    """

    def __init__(self, folder: Path) -> None:
        self._roots = {str(folder), str(folder.resolve())}

    def relative(self, path: str) -> str | None:
        for root in self._roots:
            if path.startswith(root + os.sep):
                return path[len(root) + 1 :].replace(os.sep, "/")
        return None

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        relpath = self.relative(path)
        if relpath is None:
            return False
        name = relpath.rpartition("/")[2]
        if any(part.startswith(".") for part in relpath.split("/")) or _TEMP_NAME.search(name):
            return False
        if is_report_path(relpath):
            return True
        if change == watchfiles.Change.deleted:
            return not _OTHER_FILE.search(name)
        # Only a folder that appeared: a folder's own metadata changing says nothing about its reports.
        full = Path(path)
        return change == watchfiles.Change.added and full.is_dir() and not full.is_symlink()


def changed_paths(folder: Path, stop: threading.Event) -> Iterator[list[str]]:
    """Batches of changed paths as the cache's keys; an empty one when the watch is in place."""
    watch_filter = ReportFilter(folder)
    for changes in watchfiles.watch(
        folder,
        watch_filter=watch_filter,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
        rust_timeout=RUST_TIMEOUT_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        relpaths = (watch_filter.relative(raw) for _change, raw in changes)
        yield sorted({path_key(p) for p in relpaths if p is not None})


def _serve(folder: Path, conn: Connection, parent_pid: int) -> None:
    """The watch process: batches to the pipe until the parent stops it (or ends)."""
    from watchfiles._rust_notify import WatchfilesRustInternalError

    from desktop.store.parsing import die_with_parent

    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    never = threading.Event()  # the parent ends this process; it never asks
    try:
        while True:
            try:
                for paths in changed_paths(folder, never):
                    conn.send(("batch", paths))
                return
            except WatchfilesRustInternalError as exc:
                # notify cannot hand over a name that is not UTF-8 (GBK bytes from a zip): that
                # batch is lost, so the watch starts again and the whole folder is compared.
                if "decode" not in str(exc):
                    raise
                conn.send(("lost", None))
    except UnicodeError:  # notify takes only UTF-8 paths
        conn.send(("failed", "its path is not UTF-8, so changes are not followed (reload to see them)"))
    except FileNotFoundError:
        conn.send(("failed", "the folder is gone"))
    except Exception as exc:  # no watch handles left (the system's limit): say so, end quietly
        conn.send(("failed", str(exc) or type(exc).__name__))


class WatchProcess:
    """The watch of one folder in a process of its own; close() ends it."""

    def __init__(self, folder: Path) -> None:
        context = multiprocessing.get_context("spawn")  # the window's threads make fork unsafe
        self._conn, child = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve, args=(folder, child, os.getpid()), name="folder-watch", daemon=True
        )
        self._process.start()
        child.close()  # only the process writes: its end closing tells us it is gone

    def messages(self, stop: threading.Event) -> Iterator[Message]:
        """What the process sends, until `stop` is set (looked at every STEP_MS) or the process ends."""
        while not stop.is_set():
            try:
                if not self._conn.poll(STEP_MS / 1000):
                    continue
                message = self._conn.recv()
            except (EOFError, OSError):
                if not stop.is_set():
                    yield ("failed", "the watch process ended")
                return
            yield message

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._process.close()
        self._conn.close()
