"""The background indexer: a worker on its own QThread, the only writer of the cache.

Its signals carry the number of the run they belong to; the folder controller (main thread) receives
them through queued connections and drops those of runs it has given up on. That is the one relay Qt's
threading needs: nobody else connects to the worker.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop.core.aliases import AliasTable
from desktop.core.paths import cache_path_for
from desktop.store.cache import CacheError, discard
from desktop.store.indexer import Cancelled, open_and_index


class IndexWorker(QObject):
    cache_opened = Signal(int, str)  # run, the cache file once it exists (it may have been rebuilt)
    batch_indexed = Signal(int, list)  # run, folder-relative paths written in one batch
    progress_changed = Signal(int, int, int)  # run, done, total
    index_finished = Signal(int, object)  # run, IndexSummary
    index_failed = Signal(int, str)
    index_cancelled = Signal(int)

    def __init__(self, aliases: AliasTable) -> None:
        super().__init__()
        self._aliases = aliases

    @Slot(int, str, object, bool)
    def index(self, run: int, folder: str, cancel: threading.Event, rebuild: bool) -> None:
        if cancel.is_set():
            self.index_cancelled.emit(run)
            return
        if rebuild:
            # The window found the cache damaged; as the only writer, the worker throws it away.
            discard(cache_path_for(Path(folder)))

        def progress(done: int, total: int, written: list[str]) -> None:
            # Called once per batch of reports, not per file: the window updates in steps.
            self.progress_changed.emit(run, done, total)  # first: the window sizes its work by the total
            if written:
                self.batch_indexed.emit(run, list(written))

        def opened(path: Path) -> None:
            self.cache_opened.emit(run, str(path))

        cache = None
        try:
            cache, summary = open_and_index(
                Path(folder), aliases=self._aliases, progress=progress, cancel=cancel, opened=opened
            )
        except Cancelled:
            self.index_cancelled.emit(run)
        except CacheError as exc:
            self.index_failed.emit(run, str(exc))
        except Exception as exc:  # the window must survive anything the indexer meets
            self.index_failed.emit(run, f"{type(exc).__name__}: {exc}")
        else:
            self.index_finished.emit(run, summary)
        finally:
            if cache is not None:
                cache.close()
