"""The open folder: its cache connection, background indexing, watching, and feeding the tree.

The window shows what this object knows and subscribes to its signals; everything that runs in the
background for a folder starts and stops here.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlite_utils
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.core.aliases import AliasTable
from desktop.core.paths import cache_path_for
from desktop.store import queries
from desktop.store.cache import is_damage, open_reader
from desktop.store.indexer import IndexSummary
from desktop.ui.chart_loader import ChartDataLoader
from desktop.ui.folder_watcher import FolderWatcher
from desktop.ui.models.report_tree import ReportTreeModel
from desktop.ui.tree_feeder import TreeFeeder
from desktop.ui.worker import IndexController

T = TypeVar("T")
WATCH_DELAY_MS = 50  # after an index, let the window paint before watching thousands of files


class FolderSession(QObject):
    index_started = Signal()
    progress_changed = Signal(int, int)  # done, total
    reports_landed = Signal(int)  # a batch is in the cache; the run's total number of files
    index_finished = Signal(object, list)  # IndexSummary, every report row
    index_failed = Signal(str)
    index_cancelled = Signal()
    chart_data_loaded = Signal(object, object)  # [(metric, reports)], [MetricRow]

    def __init__(
        self, aliases: AliasTable, tree_model: ReportTreeModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self.reader: sqlite_utils.Database | None = None
        self.indexer = IndexController(aliases, self)
        self.chart_loader = ChartDataLoader(self)
        self.watcher = FolderWatcher(self)
        self.feeder = TreeFeeder(tree_model, self)
        self.first_report_listed = self.feeder.first_report_listed
        self._total = 0
        self._reindex_after = False
        self._closed = False
        self._rebuilt = False  # a damaged cache is rebuilt once per opening, never in a loop
        self._watch_timer = QTimer(self)
        self._watch_timer.setSingleShot(True)
        self._watch_timer.setInterval(WATCH_DELAY_MS)
        self._watch_timer.timeout.connect(self._on_watch_timer_timeout)
        self.indexer.cache_opened.connect(self._on_indexer_cache_opened)
        self.indexer.batch_indexed.connect(self._on_indexer_batch_indexed)
        self.indexer.progress_changed.connect(self._on_indexer_progress_changed)
        self.indexer.index_finished.connect(self._on_indexer_index_finished)
        self.indexer.index_failed.connect(self._on_indexer_index_failed)
        self.indexer.index_cancelled.connect(self._on_indexer_index_cancelled)
        self.watcher.folder_changed.connect(self._on_watcher_folder_changed)
        self.chart_loader.chart_data_loaded.connect(self.chart_data_loaded)

    # -- the folder ------------------------------------------------------------------------------

    def open(self, folder: Path) -> bool:
        """Show what the cache knows at once and bring it up to date; False if the folder is unreadable."""
        # Whatever ran for the previous folder stops here, before anything of the new one starts.
        self.indexer.cancel()
        self._reindex_after = False
        self._watch_timer.stop()
        self.watcher.stop()
        self.feeder.reset()
        self.folder = folder
        self._rebuilt = False
        if not os.access(folder, os.R_OK | os.X_OK):
            self._set_reader(None)
            return False
        self._set_reader(open_reader(cache_path_for(folder)))
        cached: list[queries.ReportRow] = self.read(queries.list_reports, [])
        self.feeder.queue([r.path for r in cached])
        self._total = 0
        self.index_started.emit()
        self.indexer.start(folder)
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
        self._reindex_after = False
        self._total = 0
        self.index_started.emit()
        self.indexer.start(self.folder, rebuild=True)

    def reindex(self) -> None:
        if self.folder is None or self._closed:
            return
        if self.indexer.busy:
            self._reindex_after = True  # once this run is done; restarting would redo its work
            return
        self._total = 0
        self.index_started.emit()
        self.indexer.start(self.folder)

    def cancel(self) -> None:
        self._reindex_after = False  # the user asked for quiet: no queued re-run either
        self.indexer.cancel()

    def request_chart(self, names: list[str]) -> None:
        if self.folder is not None and self.reader is not None and not self._closed:
            self.chart_loader.request(cache_path_for(self.folder), names)

    def settled(self) -> bool:
        """Nothing in flight: the index, the tree, the chart data and the watch list are all caught up."""
        busy = self.indexer.busy or self.feeder.busy or self.chart_loader.busy or self.watcher.busy
        return not (busy or self._watch_timer.isActive())

    def shutdown(self) -> None:
        """Stop everything; signals still queued from the threads then find nothing to do."""
        self._closed = True
        self._watch_timer.stop()
        self.watcher.stop()
        self.feeder.reset()
        self.indexer.shutdown()
        self.chart_loader.shutdown()
        self._set_reader(None)

    def _set_reader(self, reader: sqlite_utils.Database | None) -> None:
        if self.reader is not None:
            self.reader.close()
        self.reader = reader
        self.feeder.reader = reader

    # -- the indexer -----------------------------------------------------------------------------

    @Slot(str)
    def _on_indexer_cache_opened(self, path: str) -> None:
        # Reconnect even to the same name: the worker may have discarded a damaged file and rebuilt it.
        if not self._closed:
            self._set_reader(open_reader(Path(path)))

    @Slot(int, int)
    def _on_indexer_progress_changed(self, done: int, total: int) -> None:
        self._total = total
        self.progress_changed.emit(done, total)

    @Slot(list)
    def _on_indexer_batch_indexed(self, paths: list[str]) -> None:
        if self._closed:
            return
        self.feeder.queue(paths)
        self.reports_landed.emit(self._total)

    @Slot(object)
    def _on_indexer_index_finished(self, summary: IndexSummary) -> None:
        if self._closed:
            return
        if self.reader is None and self.folder is not None:
            self._set_reader(open_reader(cache_path_for(self.folder)))
        rows: list[queries.ReportRow] = self.read(queries.list_reports, [])
        model = self.feeder.model
        model.remove_reports(set(model.report_paths()).difference(r.path for r in rows))
        # Listed after the removals (a removed page takes its sub-pages with it), and listed where
        # the cache says: a page added or removed moves its sub-pages without their files changing.
        moved = [
            r.path
            for r in rows
            if (listed := model.row_of(r.path)) is not None
            and (listed.parent, listed.team) != (r.parent, r.team)
        ]
        model.remove_reports(moved)
        waiting = set(model.report_paths()).union(self.feeder.pending())
        self.feeder.queue([r.path for r in rows if r.path not in waiting])
        self._watch_timer.start()
        self.index_finished.emit(summary, rows)
        self._run_queued()

    @Slot(str)
    def _on_indexer_index_failed(self, message: str) -> None:
        if not self._closed:
            self.index_failed.emit(message)
            self._run_queued()

    @Slot()
    def _on_indexer_index_cancelled(self) -> None:
        if not self._closed:
            self.index_cancelled.emit()
            self._run_queued()

    def _run_queued(self) -> None:
        if self._reindex_after:
            self._reindex_after = False
            self.reindex()

    # -- watching --------------------------------------------------------------------------------

    @Slot()
    def _on_watch_timer_timeout(self) -> None:
        if self.folder is not None and self.reader is not None and not self._closed:
            # Every file the index knows, skipped ones too: an empty file may be written into later.
            self.watcher.watch(self.folder, self.read(queries.file_paths, []))

    @Slot()
    def _on_watcher_folder_changed(self) -> None:
        self.reindex()
