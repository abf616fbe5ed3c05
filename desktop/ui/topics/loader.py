"""Timelines and progress series are read on a thread of their own, the first entries in a small batch.

Each question carries a number and a cancel flag: a newer question cancels the older one, and the
main-thread side passes on only the answers to the latest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from desktop.core.timeline import Entry, to_html, to_markdown
from desktop.store import topics
from desktop.store.cache import open_reader
from desktop.ui.background import WorkerThread

if TYPE_CHECKING:
    import sqlite_utils

FIRST_BATCH = 40  # small, so the first entries are on screen at once
BATCH = 400


class TopicsWorker(QObject):
    entries_loaded = Signal(int, object)  # request, [Entry]
    timeline_finished = Signal(int, object, object)  # request, gap weeks, closest topics (none found)
    progress_loaded = Signal(int, object)  # request, [Series]
    topics_loaded = Signal(int, object)  # request, [(title, sections)]
    load_failed = Signal(int, str)
    export_rendered = Signal(str, str, str)  # suggested file name, content, "" or what went wrong

    @Slot(int, str, object)
    def load_topics(self, request: int, cache_path: str, cancel: threading.Event) -> None:
        self._answer(request, cache_path, cancel, topics.frequent_topics, self.topics_loaded)

    @Slot(int, str, str, object, object)
    def load_timeline(
        self, request: int, cache_path: str, topic: str, team: str | None, cancel: threading.Event
    ) -> None:
        db = None
        try:
            db = open_reader(Path(cache_path))
            if db is None:
                self.timeline_finished.emit(request, [], [])
                return
            query = topics.resolve_topic(db, topic, team)
            found: list[Entry] = []
            if query is not None:
                # Entries only: the marks are worked out by the model for the rows on screen. Python
                # work here would hold the interpreter lock while the window paints.
                for chunk in topics.iter_entries(db, query, batch=BATCH, first=FIRST_BATCH):
                    if cancel.is_set():
                        return
                    self.entries_loaded.emit(request, chunk)
                    found.extend(chunk)
            if cancel.is_set():
                return
            if not found:
                self.timeline_finished.emit(request, [], topics.closest_topics(db, topic, team))
                return
            self.timeline_finished.emit(request, topics.gaps(db, (e.iso_week for e in found), team), [])
        except Exception as exc:  # a cache rebuilt under us, or worse: say so, so nobody waits forever
            self.load_failed.emit(request, f"{type(exc).__name__}: {exc}")
        finally:
            if db is not None:
                db.close()

    @Slot(str, str, object, object)
    def render_export(self, name: str, topic: str, entries: list[Entry], gaps: list[str]) -> None:
        # Every entry's marks: seconds for thousands of entries, so not on the window's thread.
        try:
            render = to_html if name.endswith(".html") else to_markdown
            self.export_rendered.emit(name, render(topic, entries, gaps), "")
        except Exception as exc:
            self.export_rendered.emit(name, "", f"{type(exc).__name__}: {exc}")

    @Slot(int, str, object, object)
    def load_progress(self, request: int, cache_path: str, team: str | None, cancel: threading.Event) -> None:
        self._answer(
            request, cache_path, cancel, partial(topics.progress_series, team=team), self.progress_loaded
        )

    def _answer(
        self,
        request: int,
        cache_path: str,
        cancel: threading.Event,
        read: Callable[[sqlite_utils.Database], object],
        answered: SignalInstance,
    ) -> None:
        """One query's answer on `answered` (an empty list without a cache), unless cancelled meanwhile."""
        db = None
        try:
            db = open_reader(Path(cache_path))
            found = read(db) if db is not None else []
            if not cancel.is_set():
                answered.emit(request, found)
        except Exception as exc:
            self.load_failed.emit(request, f"{type(exc).__name__}: {exc}")
        finally:
            if db is not None:
                db.close()


class TopicsLoader(QObject):
    """Main-thread side of the worker: numbered questions, answers to the latest only."""

    entries_loaded = Signal(object)  # [Entry]
    timeline_finished = Signal(object, object)  # gap weeks, closest topics when none was found
    progress_loaded = Signal(object)  # [Series]
    topics_loaded = Signal(object)  # [(title, sections)]: the topics that recur
    load_failed = Signal(str)
    export_rendered = Signal(str, str, str)  # suggested file name, content, "" or what went wrong

    _topics_requested = Signal(int, str, object)
    _timeline_requested = Signal(int, str, str, object, object)
    _progress_requested = Signal(int, str, object, object)
    _export_requested = Signal(str, str, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = WorkerThread(self)
        self._thread.setObjectName("topics-loader")
        self._worker = TopicsWorker()
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._topics_requested.connect(self._worker.load_topics)
        self._timeline_requested.connect(self._worker.load_timeline)
        self._progress_requested.connect(self._worker.load_progress)
        self._export_requested.connect(self._worker.render_export)
        self._worker.export_rendered.connect(self._on_worker_export_rendered)
        self._worker.entries_loaded.connect(self._on_worker_entries_loaded)
        self._worker.timeline_finished.connect(self._on_worker_timeline_finished)
        self._worker.progress_loaded.connect(self._on_worker_progress_loaded)
        self._worker.topics_loaded.connect(self._on_worker_topics_loaded)
        self._worker.load_failed.connect(self._on_worker_load_failed)
        self._latest = 0
        self._answered = 0
        self._cancel = threading.Event()
        self._exports = 0
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._answered != self._latest

    def _next(self) -> tuple[int, threading.Event]:
        self._cancel.set()
        self._cancel = threading.Event()
        self._latest += 1
        return self._latest, self._cancel

    def cancel(self) -> None:
        """Drop the question in flight (another folder was opened): its answer is not wanted."""
        self._next()
        self._answered = self._latest

    def request_topics(self, cache_path: Path) -> None:
        request, cancel = self._next()
        self._topics_requested.emit(request, str(cache_path), cancel)

    def request_timeline(self, cache_path: Path, topic: str, team: str | None = None) -> None:
        request, cancel = self._next()
        self._timeline_requested.emit(request, str(cache_path), topic, team, cancel)

    def request_progress(self, cache_path: Path, team: str | None = None) -> None:
        request, cancel = self._next()
        self._progress_requested.emit(request, str(cache_path), team, cancel)

    def request_export(self, name: str, topic: str, entries: list[Entry], gaps: list[str]) -> None:
        """Render a timeline as HTML (a name ending in .html) or Markdown, off the window's thread."""
        self._exports += 1
        self._export_requested.emit(name, topic, list(entries), list(gaps))

    @property
    def exporting(self) -> bool:
        return self._exports > 0

    def shutdown(self) -> None:
        self._cancel.set()
        self._thread.quit()
        self._thread.wait()

    @Slot(int, object)
    def _on_worker_entries_loaded(self, request: int, batch: object) -> None:
        if request == self._latest:
            self.entries_loaded.emit(batch)

    @Slot(int, object, object)
    def _on_worker_timeline_finished(self, request: int, gaps: object, suggestions: object) -> None:
        if request == self._latest:
            self._answered = request
            self.timeline_finished.emit(gaps, suggestions)

    @Slot(int, object)
    def _on_worker_progress_loaded(self, request: int, series: object) -> None:
        if request == self._latest:
            self._answered = request
            self.progress_loaded.emit(series)

    @Slot(int, object)
    def _on_worker_topics_loaded(self, request: int, found: object) -> None:
        if request == self._latest:
            self._answered = request
            self.topics_loaded.emit(found)

    @Slot(int, str)
    def _on_worker_load_failed(self, request: int, message: str) -> None:
        if request == self._latest:
            self._answered = request
            self.load_failed.emit(message)

    @Slot(str, str, str)
    def _on_worker_export_rendered(self, name: str, content: str, error: str) -> None:
        self._exports -= 1
        self.export_rendered.emit(name, content, error)
