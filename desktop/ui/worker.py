"""The background indexer: a worker on its own QThread, the only writer of the cache.

It also reads what the window needs of each run, so that no report list is read on the UI thread: the
cache's list before indexing (with the tree's nodes built from it), the rows of every batch written,
and at the end the full list with what changed since the start.

Its signals carry the number of the run they belong to; the folder controller (main thread) receives
them through queued connections and drops those of runs it has given up on. That is the one relay Qt's
threading needs: nobody else connects to the worker.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from desktop.core.aliases import AliasTable
from desktop.core.paths import cache_path_for
from desktop.store import queries
from desktop.store.cache import CacheError, discard, open_reader
from desktop.store.indexer import Cancelled, open_and_index
from desktop.ui.models.tree_nodes import build_tree

if TYPE_CHECKING:
    import sqlite_utils


WATCH_WAIT_S = 10.0  # the watch process starting (a new interpreter): seconds on a slow, busy machine


class IndexWorker(QObject):
    cache_opened = Signal(int, str)  # run, the cache file once it exists (it may have been rebuilt)
    reports_listed = Signal(int, object, object)  # run, the cache's report rows before indexing, TreeNodes
    batch_indexed = Signal(int, object)  # run, the report rows written in one batch
    progress_changed = Signal(int, int, int)  # run, done, total
    # run, IndexSummary, rows, removed, changed, problems (tens of thousands: read here, not on the UI thread)
    index_finished = Signal(int, object, object, object, object, object)
    index_failed = Signal(int, str)
    index_cancelled = Signal(int)

    def __init__(self, aliases: AliasTable) -> None:
        super().__init__()
        self._aliases = aliases

    @Slot(int, str, object, bool, str, object)
    def index(
        self,
        run: int,
        folder: str,
        cancel: threading.Event,
        rebuild: bool,
        other_label: str,
        watch_ready: threading.Event,
    ) -> None:
        if cancel.is_set():
            self.index_cancelled.emit(run)
            return
        cache_path = cache_path_for(Path(folder))
        if rebuild:
            # The window found the cache damaged; as the only writer, the worker throws it away.
            discard(cache_path)
        listed, generation = self._list(cache_path)
        known = {r.path: r for r in listed}
        self.reports_listed.emit(run, listed, build_tree(listed, other_label))
        # A change made before the folder's watch is in place would be missed by both: wait for it.
        waited = 0.0
        while not watch_ready.wait(0.05) and not cancel.is_set() and waited < WATCH_WAIT_S:
            waited += 0.05
        reader: list[sqlite_utils.Database] = []

        def connect(path: Path) -> None:
            # A connection of its own to read back what each batch wrote (a rebuilt file is a new one).
            for old in reader:
                old.close()
            reader.clear()
            fresh = open_reader(path)
            if fresh is not None:
                reader.append(fresh)

        def opened(path: Path) -> None:
            connect(path)
            self.cache_opened.emit(run, str(path))

        def progress(done: int, total: int, written: list[str]) -> None:
            # Called once per batch of reports, not per file: the window updates in steps.
            self.progress_changed.emit(run, done, total)  # first: the window sizes its work by the total
            if written and not reader:
                connect(cache_path)
            if written and reader:
                rows = queries.report_rows(reader[0], list(written))
                known.update((r.path, r) for r in rows)
                self.batch_indexed.emit(run, rows)

        cache = None
        try:
            cache, summary = open_and_index(
                Path(folder), aliases=self._aliases, progress=progress, cancel=cancel, opened=opened
            )
            removed: list[str] = []
            changed: list[queries.ReportRow] = []
            if generation is not None and queries.generation(cache.db) == generation:
                rows = list(listed)  # no process wrote a report since the listing: it is still the folder's
            else:
                rows = queries.list_reports(cache.db)
                paths = {r.path for r in rows}
                removed = [p for p in known if p not in paths]
                changed = [r for r in rows if known.get(r.path) != r]
            problems = queries.problems(cache.db)
        except Cancelled:
            self.index_cancelled.emit(run)
        except CacheError as exc:
            self.index_failed.emit(run, str(exc))
        except Exception as exc:  # the window must survive anything the indexer meets
            self.index_failed.emit(run, f"{type(exc).__name__}: {exc}")
        else:
            self.index_finished.emit(run, summary, rows, removed, changed, problems)
        finally:
            for db in reader:
                db.close()
            if cache is not None:
                cache.close()

    @staticmethod
    def _list(cache_path: Path) -> tuple[list[queries.ReportRow], str | None]:
        """What the cache holds before this run (nothing when there is none, or it is damaged), and
        the generation of its reports it was read at (queries.generation)."""
        db = open_reader(cache_path)
        if db is None:
            return [], None
        try:
            return queries.listing(db)
        except sqlite3.DatabaseError:
            return [], None  # the indexer finds the damage too, and rebuilds
        finally:
            db.close()
