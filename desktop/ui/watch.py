"""Following the open folder: watchfiles (Rust notify), in a process of its own that a worker thread
waits on, reports which reports changed.

Unlike QFileSystemWatcher there is no limit on the number of files (one system watch per folder, not
per file), edits in place are seen, and the changed paths come back named, so only they are indexed
again. Batches are debounced: an editor writing a file in several steps yields one batch.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from desktop.core.paths import readable
from desktop.store.watching import STEP_MS, ReportFilter, WatchProcess
from desktop.ui.background import WorkerThread

__all__ = ["STEP_MS", "FolderWatch", "ReportFilter"]


class _WatchWorker(QObject):
    """Lives on the watch thread; each run blocks in watchfiles until its stop event is set."""

    watch_started = Signal(int)  # generation
    batch_found = Signal(int, object)  # generation, sorted folder-relative paths
    rescan_needed = Signal(int)
    watch_failed = Signal(int, str)
    watch_ended = Signal(int)

    @Slot(int, object, object)
    def run(self, generation: int, folder: Path, stop: threading.Event) -> None:
        try:
            watch = WatchProcess(folder)  # (in its own process: see desktop.store.watching)
        except Exception as exc:  # no process to be had (out of memory, of processes): the window goes on
            self.watch_failed.emit(generation, f"cannot watch {readable(str(folder))}: {exc}")
            self.watch_ended.emit(generation)
            return
        try:
            started = False
            lost = False  # changes were dropped: say so once the watch is in place again
            for kind, value in watch.messages(stop):
                if kind == "lost":
                    lost = True
                elif kind == "failed":
                    self.watch_failed.emit(generation, f"cannot watch {readable(str(folder))}: {value}")
                    return
                else:
                    if not started:
                        started = True
                        self.watch_started.emit(generation)
                    if lost:
                        lost = False
                        self.rescan_needed.emit(generation)
                    if value and not stop.is_set():
                        self.batch_found.emit(generation, value)
        finally:
            watch.close()
            self.watch_ended.emit(generation)


class FolderWatch(QObject):
    """Watches one folder at a time and announces the changed report paths in batches.

    start(folder) replaces any earlier watch at once (its batches still in flight are dropped);
    hold() keeps batches back, for instance while a full index runs, and release() hands over what
    was held as one batch. shutdown() ends the thread; call it before the window closes.
    """

    paths_changed = Signal(object)  # folder-relative paths ("/"-separated), sorted, for the folder watched
    # (Folders travel as Path objects: a name in GBK bytes cannot cross into Qt as a string.)
    watch_started = Signal(object)  # the folder (Path): from now on every change is seen
    watch_stopped = Signal(object)  # the folder (Path): its watch has ended and its thread is free
    watch_failed = Signal(str)  # one line for the user; the folder is no longer followed
    # Changes were seen that could not be named (a file name that is not UTF-8): index the whole
    # folder. Sent once the watch is in place again, so nothing after the full scan is missed.
    rescan_needed = Signal()

    _run_requested = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = WorkerThread(self)
        self._thread.setObjectName("folder-watch")
        self._worker = _WatchWorker()
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._run_requested.connect(self._worker.run)
        self._worker.watch_started.connect(self._on_worker_watch_started)
        self._worker.batch_found.connect(self._on_worker_batch_found)
        self._worker.rescan_needed.connect(self._on_worker_rescan_needed)
        self._worker.watch_failed.connect(self._on_worker_watch_failed)
        self._worker.watch_ended.connect(self._on_worker_watch_ended)
        self._generation = 0
        self._folders: dict[int, Path] = {}  # runs not yet ended, by generation
        self._stop: threading.Event | None = None
        self._held = False
        self._pending: set[str] = set()
        self._watching = False
        self._closed = False
        app = QCoreApplication.instance()
        if app is not None:  # a thread still running when Qt tears down would abort the process
            app.aboutToQuit.connect(self._on_app_about_to_quit)

    @property
    def folder(self) -> Path | None:
        folder = self._folders.get(self._generation)
        return None if folder is None or self._stop is None else folder

    @property
    def watching(self) -> bool:
        """The current folder's watch is in place (watch_started came and it has not stopped)."""
        return self._watching

    @property
    def running(self) -> bool:
        """The watch thread is alive (from the first start() until shutdown())."""
        return self._thread.isRunning()

    @property
    def held_paths(self) -> int:
        """Paths kept back since hold()."""
        return len(self._pending)

    def start(self, folder: Path) -> None:
        """Follow `folder` (an earlier watch stops first); changes show up after watch_started."""
        if self._closed:
            return
        self.stop()
        if not self._thread.isRunning():
            self._thread.start()
        self._generation += 1
        self._stop = threading.Event()
        self._folders[self._generation] = folder
        self._run_requested.emit(self._generation, folder, self._stop)

    def stop(self) -> None:
        """Stop following the folder; the thread's run ends within STEP_MS. Held paths are dropped."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None
        self._watching = False
        self._pending.clear()

    def hold(self) -> None:
        self._held = True

    def release(self) -> None:
        self._held = False
        if self._pending:
            paths, self._pending = sorted(self._pending), set()
            self.paths_changed.emit(paths)

    def shutdown(self) -> None:
        """Stop watching and end the thread (waits at most about STEP_MS)."""
        self._closed = True
        self.stop()
        self._thread.quit()
        self._thread.wait()

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.shutdown()

    def _current(self, generation: int) -> bool:
        return generation == self._generation and self._stop is not None

    @Slot(int)
    def _on_worker_watch_started(self, generation: int) -> None:
        if self._current(generation):
            self._watching = True
            self.watch_started.emit(self._folders[generation])

    @Slot(int, object)
    def _on_worker_batch_found(self, generation: int, paths: list[str]) -> None:
        if not self._current(generation):
            return  # a batch of a folder no longer open, queued before its watch was stopped
        if self._held:
            self._pending.update(paths)
        else:
            self.paths_changed.emit(paths)

    @Slot(int)
    def _on_worker_rescan_needed(self, generation: int) -> None:
        if self._current(generation):
            self._pending.clear()  # the full index covers them
            self.rescan_needed.emit()

    @Slot(int, str)
    def _on_worker_watch_failed(self, generation: int, message: str) -> None:
        if self._current(generation):
            self._watching = False
            self.watch_failed.emit(message)

    @Slot(int)
    def _on_worker_watch_ended(self, generation: int) -> None:
        folder = self._folders.pop(generation, None)
        if generation == self._generation:
            self._watching = False
        if folder is not None:
            self.watch_stopped.emit(folder)
