"""The open folder: its cache connection, the background index runs, watching, and the tree's rows.

The window and the presenters subscribe to this object's signals (all emitted on the main thread). It
is the tree model's one writer: the rows of each batch as it lands, then the folder's full list once
per index, which it also hands on (`reports_listed`) so nobody else has to read it again.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from desktop.core.aliases import AliasTable
from desktop.core.model import Section
from desktop.core.paths import cache_path_for
from desktop.store import queries
from desktop.store.cache import is_damage, open_reader
from desktop.store.incremental import PathsSummary
from desktop.store.indexer import IndexSummary
from desktop.ui.background import WorkerThread
from desktop.ui.change_indexer import ChangeIndexer
from desktop.ui.models.report_tree import ReportTreeModel
from desktop.ui.models.tree_nodes import TreeNodes
from desktop.ui.watch import FolderWatch
from desktop.ui.worker import IndexWorker

if TYPE_CHECKING:
    import sqlite_utils

T = TypeVar("T")


class FolderController(QObject):
    index_started = Signal()
    progress_changed = Signal(int, int)  # done, total
    batch_indexed = Signal(int)  # a batch is in the cache and the tree; the run's total number of files
    reports_listed = Signal(object)  # every report row of the folder, oldest first (once per index)
    first_report_listed = Signal()
    index_finished = Signal(object, object)  # IndexSummary, every report row
    index_failed = Signal(str)
    index_cancelled = Signal()
    watch_failed = Signal(str)  # one line: the folder is no longer followed, or a change could not be read

    _index_requested = Signal(int, str, object, bool, str, object)

    def __init__(
        self, aliases: AliasTable, tree_model: ReportTreeModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self.reader: sqlite_utils.Database | None = None
        self.rows: list[queries.ReportRow] = []  # the folder's report list as last read
        self.problems: list[queries.Problem] = []  # the cache's problems, read by the last index run
        # The last index run (or watched change) wrote, moved or removed something: False when the
        # folder is as the cache had it before, and what was read from the cache then still holds.
        self.last_index_changed = True
        self.model = tree_model
        tree_model.outline_reader = self._read_outlines
        # Changes to the folder while it is open: watched with notify (no file limit, in-place edits
        # seen), and only the changed paths are indexed again.
        self.watch = FolderWatch(self)
        self.changes = ChangeIndexer(aliases, self)
        self._thread = WorkerThread(self)
        self._thread.setObjectName("index-worker")
        self._worker = IndexWorker(aliases)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._index_requested.connect(self._worker.index)
        self._worker.cache_opened.connect(self._on_worker_cache_opened)
        self._worker.reports_listed.connect(self._on_worker_reports_listed)
        self._worker.batch_indexed.connect(self._on_worker_batch_indexed)
        self._worker.progress_changed.connect(self._on_worker_progress_changed)
        self._worker.index_finished.connect(self._on_worker_index_finished)
        self._worker.index_failed.connect(self._on_worker_index_failed)
        self._worker.index_cancelled.connect(self._on_worker_index_cancelled)
        self._thread.start()
        self._run = 0  # the newest run; signals of older ones are dropped
        self._pending: dict[int, threading.Event] = {}
        self._total = 0
        self._listed_any = False
        self._reindex_after = False
        self._closed = False
        self._rebuilt = False  # a damaged cache is rebuilt once per opening, never in a loop
        self.watch.paths_changed.connect(self._on_watch_paths_changed)
        self.watch.rescan_needed.connect(self._on_watch_rescan_needed)
        self.watch.watch_failed.connect(self.watch_failed)
        # The full index scans once the watch is in place (or cannot be): nothing changes unseen between.
        self._watch_ready = threading.Event()
        self.watch.watch_started.connect(self._on_watch_watch_started)
        self.watch.watch_stopped.connect(self._on_watch_watch_stopped)
        self.watch.watch_failed.connect(self._on_watch_watch_failed)
        self.changes.paths_indexed.connect(self._on_changes_paths_indexed)
        self.changes.index_failed.connect(self.watch_failed)

    # -- the folder ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def open(self, folder: Path) -> bool:
        """Show what the cache knows at once and bring it up to date; False if the folder is unreadable."""
        # Whatever ran for the previous folder stops here, before anything of the new one starts.
        self.cancel()
        self.changes.reset()
        self.watch.stop()
        self.model.clear_reports()
        self._listed_any = False
        self.folder = folder
        self._rebuilt = False
        self.rows = []
        self.problems = []
        self.last_index_changed = True
        if not os.access(folder, os.R_OK | os.X_OK):
            self._set_reader(None)
            return False
        self._set_reader(open_reader(cache_path_for(folder)))
        # Watching starts before the scan and holds what it sees until the index is done, so no
        # change falls between the two: the worker lists the cache at once, and scans once the watch
        # process says its watch is in place.
        self._watch_ready = threading.Event()
        self.watch.start(folder)
        self._start(rebuild=False)  # the worker lists what the cache holds first
        return True

    def read(self, query: Callable[..., T], default: T, *args: object) -> T:
        """Ask the cache from the window's thread; a damaged file is dropped (the indexer rebuilds it)."""
        if self.reader is None:
            return default
        try:
            return query(self.reader, *args)
        except sqlite3.DatabaseError as exc:
            if is_damage(exc):
                self.rebuild()
            return default

    def rebuild(self) -> None:
        """The window found the cache damaged: drop it and index the folder from scratch, once."""
        self._set_reader(None)
        if self.folder is None or self._closed or self._rebuilt:
            return
        self._rebuilt = True
        self._start(rebuild=True)

    def reindex(self) -> None:
        if self.folder is None or self._closed:
            return
        if self.busy:
            self._reindex_after = True  # once this run is done; restarting would redo its work
            return
        self._start(rebuild=False)

    def cancel(self) -> None:
        self._reindex_after = False  # the user asked for quiet: no queued re-run either
        for event in self._pending.values():
            event.set()

    def settled(self) -> bool:
        """Nothing in flight: the index and the changes seen so far are in."""
        return not (self.busy or self.changes.busy)

    def shutdown(self) -> None:
        """Stop everything; signals still queued from the thread then find nothing to do."""
        self._closed = True
        self.watch.shutdown()
        self.changes.shutdown()
        self.cancel()
        self._thread.quit()
        self._thread.wait()
        self._set_reader(None)

    def _start(self, *, rebuild: bool) -> None:
        self.cancel()
        assert self.folder is not None
        self._run += 1
        self._pending[self._run] = cancel = threading.Event()
        self.watch.hold()  # the full index reads everything; what changes meanwhile is indexed after it
        self.changes.reset()
        self._total = 0
        self.index_started.emit()
        self._index_requested.emit(
            self._run, str(self.folder), cancel, rebuild, self.model.other_label(), self._watch_ready
        )

    def _set_reader(self, reader: sqlite_utils.Database | None) -> None:
        if self.reader is not None:
            self.reader.close()
        self.reader = reader

    def _read_outlines(self, paths: list[str]) -> dict[str, list[Section]]:
        return self.read(queries.outlines, {}, paths)

    def _list(self, rows: list[queries.ReportRow]) -> None:
        self.rows = rows
        self._note_listed()
        self.reports_listed.emit(rows)

    def _note_listed(self) -> None:
        if not self._listed_any and self.model.rowCount():
            self._listed_any = True
            self.first_report_listed.emit()

    def _current(self, run: int) -> bool:
        return run == self._run and not self._closed

    def _finish(self, run: int) -> bool:
        """Forget a run; True when it is the newest (its results are current)."""
        self._pending.pop(run, None)
        return self._current(run)

    # -- the worker ------------------------------------------------------------------------------

    @Slot(int, str)
    def _on_worker_cache_opened(self, run: int, path: str) -> None:
        # Reconnect even to the same name: the worker may have discarded a damaged file and rebuilt it.
        if self._current(run):
            self._set_reader(open_reader(Path(path)))

    @Slot(int, int, int)
    def _on_worker_progress_changed(self, run: int, done: int, total: int) -> None:
        if self._current(run):
            self._total = total
            self.progress_changed.emit(done, total)

    @Slot(int, object, object)
    def _on_worker_reports_listed(self, run: int, rows: list[queries.ReportRow], tree: TreeNodes) -> None:
        if self._current(run):
            self.model.adopt(tree)  # built on the worker's thread: one reset here
            self._list(rows)

    @Slot(int, object)
    def _on_worker_batch_indexed(self, run: int, rows: list[queries.ReportRow]) -> None:
        if not self._current(run):
            return
        self.model.upsert_reports(rows)
        self._note_listed()
        self.batch_indexed.emit(self._total)

    @Slot(int, object, object, object, object, object)
    def _on_worker_index_finished(
        self,
        run: int,
        summary: IndexSummary,
        rows: list[queries.ReportRow],
        removed: list[str],
        changed: list[queries.ReportRow],
        problems: list[queries.Problem],
    ) -> None:
        if not self._finish(run):
            return
        self.problems = problems
        if self.reader is None and self.folder is not None:
            self._set_reader(open_reader(cache_path_for(self.folder)))
        # Only what changed since the run's start: the batches are in already.
        self.model.remove_reports(removed)
        self.model.upsert_reports(changed)
        self.last_index_changed = bool(summary.parsed or removed or changed)
        if self.last_index_changed:
            self._list(rows)
        else:
            # The rows listed at the run's start are the folder still: the pickers and the others
            # that follow the listing are not made to work it all out again (seconds at 50,000).
            self.rows = rows
        self.index_finished.emit(summary, self.rows)
        self._release_watch()
        self._run_queued()

    @Slot(int, str)
    def _on_worker_index_failed(self, run: int, message: str) -> None:
        if self._finish(run):
            self.index_failed.emit(message)
            self._release_watch()
            self._run_queued()

    @Slot(int)
    def _on_worker_index_cancelled(self, run: int) -> None:
        if self._finish(run):
            self.index_cancelled.emit()
            self._release_watch()
            self._run_queued()

    def _run_queued(self) -> None:
        if self._reindex_after:
            self._reindex_after = False
            self.reindex()

    # -- watching --------------------------------------------------------------------------------

    def _release_watch(self) -> None:
        if not self.busy:
            self.watch.release()  # what changed during the run arrives as one batch

    @Slot(object)
    def _on_watch_paths_changed(self, paths: list[str]) -> None:
        if self.folder is not None and not self._closed:
            self.changes.index(self.folder, paths)

    @Slot(object)
    def _on_watch_watch_started(self, folder: Path) -> None:
        if folder == self.folder:  # (not a previous folder's watch, ending late)
            self._watch_ready.set()

    @Slot(object)
    def _on_watch_watch_stopped(self, folder: Path) -> None:
        self._on_watch_watch_started(folder)  # ended: no use waiting for it

    @Slot(str)
    def _on_watch_watch_failed(self, _message: str) -> None:
        self._watch_ready.set()  # the scan waits no longer

    @Slot()
    def _on_watch_rescan_needed(self) -> None:
        self.reindex()  # a name notify could not hand over: only a full scan finds what changed

    @Slot(object, object)
    def _on_changes_paths_indexed(self, summary: PathsSummary, rows: list[queries.ReportRow]) -> None:
        if self._closed:
            return
        if summary.needs_full_index:
            self.reindex()
            return
        if not summary.changed:
            return
        self.problems = self.read(queries.problems, self.problems)  # as before a watched change
        self.model.remove_reports(summary.removed + summary.skipped)
        touched = set(summary.written) | set(summary.moved)
        self.model.upsert_reports([r for r in rows if r.path in touched])
        self._list(rows)
        self.last_index_changed = True
        # To every pane this is an index run that touched these few files.
        done = IndexSummary(
            reports=len(rows),
            parsed=len(summary.written),
            removed=len(summary.removed),
            seconds=summary.seconds,
        )
        self.index_finished.emit(done, self.rows)
