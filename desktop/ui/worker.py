"""The background indexer: a worker on its own QThread, the only writer of the cache.

The controller lives in the main thread and relays the worker's signals, so widgets and tests only
ever connect to main-thread objects (waiting on a worker-thread signal directly is unsafe).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.core.aliases import AliasTable
from desktop.core.paths import cache_path_for
from desktop.store.cache import CacheError, discard
from desktop.store.indexer import Cancelled, IndexSummary, open_and_index


class IndexWorker(QObject):
    cache_opened = Signal(str)  # the cache file, once it exists (it may have been rebuilt)
    batch_indexed = Signal(list)  # folder-relative paths written in one batch
    progress_changed = Signal(int, int)
    index_finished = Signal(object)  # IndexSummary
    index_failed = Signal(str)
    index_cancelled = Signal()

    def __init__(self, aliases: AliasTable) -> None:
        super().__init__()
        self._aliases = aliases

    @Slot(str, object, bool)
    def index(self, folder: str, cancel: threading.Event, rebuild: bool) -> None:
        if cancel.is_set():
            self.index_cancelled.emit()
            return
        if rebuild:
            # The window found the cache damaged; as the only writer, the worker throws it away.
            discard(cache_path_for(Path(folder)))

        def progress(done: int, total: int, written: list[str]) -> None:
            # Called once per batch of reports, not per file: the window updates in steps.
            self.progress_changed.emit(done, total)  # first: the window sizes its work by the total
            if written:
                self.batch_indexed.emit(list(written))

        cache = None
        try:
            cache, summary = open_and_index(
                Path(folder),
                aliases=self._aliases,
                progress=progress,
                cancel=cancel,
                opened=self._on_cache_ready,
            )
        except Cancelled:
            self.index_cancelled.emit()
        except CacheError as exc:
            self.index_failed.emit(str(exc))
        except Exception as exc:  # the window must survive anything the indexer meets
            self.index_failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.index_finished.emit(summary)
        finally:
            if cache is not None:
                cache.close()

    def _on_cache_ready(self, path: Path) -> None:
        self.cache_opened.emit(str(path))


class IndexController(QObject):
    """Starts, restarts and cancels indexing runs; relays progress to the main thread."""

    cache_opened = Signal(str)
    batch_indexed = Signal(list)
    progress_changed = Signal(int, int)
    index_started = Signal(str)
    index_finished = Signal(object)
    index_failed = Signal(str)
    index_cancelled = Signal()

    _index_requested = Signal(str, object, bool)

    def __init__(self, aliases: AliasTable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("index-worker")
        self._worker = IndexWorker(aliases)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._index_requested.connect(self._worker.index)
        self._worker.cache_opened.connect(self._on_worker_cache_opened)
        self._worker.batch_indexed.connect(self._on_worker_batch_indexed)
        self._worker.progress_changed.connect(self._on_worker_progress_changed)
        self._worker.index_finished.connect(self._on_worker_index_finished)
        self._worker.index_failed.connect(self._on_worker_index_failed)
        self._worker.index_cancelled.connect(self._on_worker_index_cancelled)
        self._pending: list[threading.Event] = []
        self._thread.start()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def start(self, folder: Path, *, rebuild: bool = False) -> None:
        """Index folder (from an empty cache with rebuild); a run still going is cancelled first."""
        self.cancel()
        cancel = threading.Event()
        self._pending.append(cancel)
        self.index_started.emit(str(folder))
        self._index_requested.emit(str(folder), cancel, rebuild)

    def cancel(self) -> None:
        for event in self._pending:
            event.set()

    def shutdown(self) -> None:
        self.cancel()
        self._thread.quit()
        self._thread.wait()

    def _finish_one(self) -> bool:
        """Forget the oldest request; True when it was the newest (its results are current)."""
        if self._pending:
            self._pending.pop(0)
        return not self._pending

    @Slot(str)
    def _on_worker_cache_opened(self, path: str) -> None:
        if len(self._pending) <= 1:  # not a run already superseded by another folder
            self.cache_opened.emit(path)

    @Slot(list)
    def _on_worker_batch_indexed(self, paths: list[str]) -> None:
        if len(self._pending) <= 1:
            self.batch_indexed.emit(paths)

    @Slot(int, int)
    def _on_worker_progress_changed(self, done: int, total: int) -> None:
        if len(self._pending) <= 1:
            self.progress_changed.emit(done, total)

    @Slot(object)
    def _on_worker_index_finished(self, summary: IndexSummary) -> None:
        if self._finish_one():
            self.index_finished.emit(summary)

    @Slot(str)
    def _on_worker_index_failed(self, message: str) -> None:
        if self._finish_one():
            self.index_failed.emit(message)

    @Slot()
    def _on_worker_index_cancelled(self) -> None:
        if self._finish_one():
            self.index_cancelled.emit()
