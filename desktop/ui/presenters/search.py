"""The search pane's presenter: each query runs on the thread pool with its own cache connection; only
the answer to the latest query reaches the results model."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop.core.paths import cache_path_for
from desktop.store.cache import open_reader
from desktop.store.search import Hit, search
from desktop.ui.background import lower_priority
from desktop.ui.folder_controller import FolderController
from desktop.ui.models.search_results import SearchResultsModel

SEARCH_PAGE = 50  # hits asked for at first, and added by each "Show more"


class _SearchSignals(QObject):
    hits_found = Signal(int, str, object)  # request, query, [Hit]
    search_failed = Signal(int, str, str)  # request, query, reason


class SearchJob(QRunnable):
    """One query on a pool thread: copies of its inputs in, hits or a reason out."""

    def __init__(
        self, request: int, cache_path: Path, query: str, signals: _SearchSignals, limit: int = SEARCH_PAGE
    ) -> None:
        super().__init__()
        self._request, self._cache_path, self._query, self._signals = request, cache_path, query, signals
        self._limit = limit

    def run(self) -> None:
        lower_priority()
        db = None
        try:
            db = open_reader(self._cache_path)
            # One more than shown: whether there are more to offer.
            hits = search(db, self._query, limit=self._limit + 1) if db is not None else []
            self._signals.hits_found.emit(self._request, self._query, hits)
        except (sqlite3.Error, OSError, ValueError) as exc:
            self._signals.search_failed.emit(self._request, self._query, str(exc))
        finally:
            if db is not None:
                db.close()


class SearchPresenter(QObject):
    search_started = Signal(str)
    search_finished = Signal(str, object)  # query, [Hit]: the results model holds them
    search_failed = Signal(str, str)  # query, reason

    def __init__(
        self, folder: FolderController, model: SearchResultsModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._folder = folder
        self.model = model
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # queries queue up; a newer one makes the older ones moot
        self._signals = _SearchSignals(self)
        self._signals.hits_found.connect(self._on_job_hits_found)
        self._signals.search_failed.connect(self._on_job_search_failed)
        self._latest = 0
        self._answered = 0
        self._limit = SEARCH_PAGE

    @property
    def busy(self) -> bool:
        return self._answered != self._latest

    def run(self, query: str, limit: int = SEARCH_PAGE) -> None:
        """Search the open folder's cache for query, off the UI thread; "" clears the results."""
        query = query.strip()
        self._latest += 1
        self._limit = limit
        if not query or self._folder.folder is None or self._folder.reader is None:
            self._answered = self._latest
            self.model.set_hits(query, [])
            self.search_finished.emit(query, [])
            return
        self.search_started.emit(query)
        job = SearchJob(self._latest, cache_path_for(self._folder.folder), query, self._signals, limit)
        self._pool.start(job)

    @Slot()
    def show_more(self) -> None:
        """The same query with another page of hits."""
        if self.model.query:
            self.run(self.model.query, self._limit + SEARCH_PAGE)

    def clear(self) -> None:
        self.run("")

    def shutdown(self) -> None:
        self._latest += 1  # whatever still answers is stale
        self._pool.clear()
        self._pool.waitForDone()

    @Slot(int, str, object)
    def _on_job_hits_found(self, request: int, query: str, hits: list[Hit]) -> None:
        if request != self._latest:
            return  # the user has asked something else since
        self._answered = request
        capped = len(hits) > self._limit
        hits = hits[: self._limit]
        self.model.set_hits(query, hits, capped=capped)
        self.search_finished.emit(query, hits)

    @Slot(int, str, str)
    def _on_job_search_failed(self, request: int, query: str, reason: str) -> None:
        if request != self._latest:
            return
        self._answered = request
        self.model.set_hits(query, [])
        self.search_failed.emit(query, reason)
