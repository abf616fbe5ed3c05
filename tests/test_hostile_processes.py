"""A command killed mid-index leaves no process behind, and the next run finds a consistent cache."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from hostile_helpers import CLI, REPO, generate, run_cli

from desktop.core.paths import cache_path_for


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "reports"
    generate(folder, 1200)  # a few seconds of parsing on two workers: long enough to be mid-index
    return folder


@pytest.mark.parametrize(
    ("sig", "status"), [(signal.SIGKILL, -9), (signal.SIGTERM, 143), (signal.SIGINT, 130)]
)
def test_no_process_outlives_a_killed_index(big_folder: Path, sig: signal.Signals, status: int) -> None:
    command = subprocess.Popen(
        [*CLI, "index", str(big_folder)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    main = psutil.Process(command.pid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(main.children()) < 3:  # the tracker and two workers
        time.sleep(0.05)
    children = main.children(recursive=True)
    time.sleep(0.5)  # some reports written, most not
    assert command.poll() is None and len(children) >= 2, "the index ended before it could be killed"
    command.send_signal(sig)
    # The pipes close only when every process holding them has ended: a survivor would hang here.
    out, err = command.communicate(timeout=30)
    assert command.returncode == status
    if sig != signal.SIGKILL:
        assert err.decode() == "weekly-review: interrupted\n" and out == b""
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    # The next run: every report there, the search index whole, the file sound.
    again = run_cli(["index", str(big_folder), "--json"])
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["reports"] == 1200
    hits = run_cli(["search", str(big_folder), "贝易转", "--json", "--limit", "5"])
    assert hits.returncode == 0 and len(json.loads(hits.stdout)) == 5
    with contextlib.closing(sqlite3.connect(cache_path_for(big_folder))) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


PARENT = """
import multiprocessing, os, sys, time
sys.path.insert(0, sys.argv[1])
from hostile_helpers import watched_child
if __name__ == "__main__":
    child = multiprocessing.get_context("spawn").Process(target=watched_child, args=(os.getpid(),))
    child.start()
    print(child.pid, flush=True)
    time.sleep(120)
"""


def test_the_pipe_watch_ends_a_worker_without_the_death_signal() -> None:
    command = [CLI[0], "-c", PARENT, str(REPO / "tests")]
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) as parent:
        try:
            assert parent.stdout is not None
            child = psutil.Process(int(parent.stdout.readline()))
            time.sleep(1)  # armed
            assert child.is_running() and child.status() != psutil.STATUS_ZOMBIE
        finally:
            parent.kill()
        parent.wait(10)
    child.wait(timeout=10)  # psutil.TimeoutExpired if the worker outlived its parent


def test_stopping_the_parsers_waits_until_the_pool_has_dropped_the_cancelled_futures() -> None:
    # Python 3.11's pool manager fails every future it still holds when a worker dies, and dies of
    # InvalidStateError on one already cancelled. So workers are stopped only once the futures that
    # map() cancelled are gone from it (it drops them with the next result it reads).
    import threading
    from concurrent.futures import Future

    from desktop.store.parsing import _terminate

    events: list[str] = []
    cancelled: Future[object] = Future()
    cancelled.cancel()
    running: Future[object] = Future()
    running.set_running_or_notify_cancel()

    class Item:
        def __init__(self, future: Future[object]) -> None:
            self.future = future

    class Manager:
        def __init__(self) -> None:
            self.pending_work_items = {1: Item(running), 2: Item(cancelled)}

    class Worker:
        def terminate(self) -> None:
            events.append("terminated")

        def join(self, _timeout: float) -> None:
            pass

    manager = Manager()

    class Pool:
        def __init__(self) -> None:
            self._executor_manager_thread = manager
            self._processes = {1: Worker()}

        def shutdown(self, *, wait: bool, cancel_futures: bool) -> None:
            events.append("shut down")

    def drop() -> None:
        events.append("dropped")
        manager.pending_work_items = {1: Item(running)}

    timer = threading.Timer(0.05, drop)
    timer.start()
    _terminate(Pool())  # type: ignore[arg-type]
    timer.join()
    assert events == ["shut down", "dropped", "terminated"]
