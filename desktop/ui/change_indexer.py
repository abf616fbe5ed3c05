"""Re-indexing the paths the folder watch reports, on a worker thread, one run at a time.

Batches that arrive while a run is going are merged and indexed together once it ends, so a burst
of edits costs one or two runs rather than one per batch.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from desktop.core.aliases import AliasTable
from desktop.core.paths import cache_path_for
from desktop.store.cache import CacheError, open_reader
from desktop.store.incremental import PathsSummary, open_and_index_paths
from desktop.store.indexer import Cancelled
from desktop.store.queries import ReportRow, list_reports
from desktop.ui.background import WorkerThread


class _ChangeWorker(QObject):
    paths_indexed = Signal(int, object, object)  # generation, PathsSummary, the folder's report rows
    index_failed = Signal(int, str)
    run_ended = Signal(int)  # generation, after either of the above or a cancel

    def __init__(self, aliases: AliasTable) -> None:
        super().__init__()
        self._aliases = aliases

    @Slot(int, object, object, object)
    def run(self, generation: int, folder: Path, paths: list[str], cancel: threading.Event) -> None:
        try:
            if not cancel.is_set():
                summary = open_and_index_paths(folder, paths, aliases=self._aliases, cancel=cancel)
                # The new report list is read here, not on the window's thread (50,000 rows take ~0.4 s).
                rows = self._rows(folder) if summary.changed else []
                self.paths_indexed.emit(generation, summary, rows)
        except Cancelled:
            pass
        except CacheError as exc:
            self.index_failed.emit(generation, str(exc))
        except Exception as exc:  # the window must survive anything the indexer meets
            self.index_failed.emit(generation, f"{type(exc).__name__}: {exc}")
        finally:
            self.run_ended.emit(generation)

    @staticmethod
    def _rows(folder: Path) -> list[ReportRow]:
        reader = open_reader(cache_path_for(folder))
        if reader is None:
            return []
        try:
            return list_reports(reader)
        finally:
            reader.close()


class ChangeIndexer(QObject):
    """index(folder, paths) brings those paths of the cache up to date; reset() forgets the folder."""

    # PathsSummary (needs_full_index: run the full index instead), and the folder's report rows after
    # the run when anything changed (else empty).
    paths_indexed = Signal(object, object)
    index_failed = Signal(str)

    _run_requested = Signal(int, object, object, object)  # generation, folder (Path), keys, cancel

    def __init__(self, aliases: AliasTable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = WorkerThread(self)
        self._thread.setObjectName("change-indexer")
        self._worker = _ChangeWorker(aliases)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._run_requested.connect(self._worker.run)
        self._worker.paths_indexed.connect(self._on_worker_paths_indexed)
        self._worker.index_failed.connect(self._on_worker_index_failed)
        self._worker.run_ended.connect(self._on_worker_run_ended)
        self._generation = 0  # bumped by reset(): results of an earlier folder are dropped
        self._cancel: threading.Event | None = None  # the run in flight
        self._folder: Path | None = None
        self._waiting: set[str] = set()
        self._closed = False
        app = QCoreApplication.instance()
        if app is not None:  # a thread still running when Qt tears down would abort the process
            app.aboutToQuit.connect(self._on_app_about_to_quit)

    @property
    def busy(self) -> bool:
        return self._cancel is not None or bool(self._waiting)

    def index(self, folder: Path, paths: list[str]) -> None:
        if self._closed or not paths:
            return
        if folder != self._folder:
            self.reset()
            self._folder = folder
        self._waiting.update(paths)
        if self._cancel is None:
            self._run_next()

    def reset(self) -> None:
        """Drop what is waiting and cancel the run in flight (a folder switch, a full index)."""
        self._generation += 1
        self._waiting.clear()
        self._folder = None
        if self._cancel is not None:
            self._cancel.set()

    def shutdown(self) -> None:
        self._closed = True
        self.reset()
        self._thread.quit()
        self._thread.wait()

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.shutdown()

    def _run_next(self) -> None:
        if not self._waiting or self._folder is None or self._closed:
            return
        if not self._thread.isRunning():
            self._thread.start()
        paths, self._waiting = sorted(self._waiting), set()
        self._cancel = threading.Event()
        self._run_requested.emit(self._generation, self._folder, paths, self._cancel)

    @Slot(int, object, object)
    def _on_worker_paths_indexed(self, generation: int, summary: PathsSummary, rows: list[ReportRow]) -> None:
        if generation == self._generation:
            self.paths_indexed.emit(summary, rows)

    @Slot(int, str)
    def _on_worker_index_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.index_failed.emit(message)

    @Slot(int)
    def _on_worker_run_ended(self, _generation: int) -> None:
        # One run at a time: whichever folder it was for, the thread is free for what waits.
        self._cancel = None
        self._run_next()
