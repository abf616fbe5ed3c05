"""The review presenter: read marks, notes and follow-ups of the open folder, for the tree, the viewer,
the compare view and the Follow-ups panel.

It observes the ViewState: the report shown is marked read after `auto_read_seconds` (a setting turns
that off). Loading every note and read mark runs on a pool thread (a folder can hold 10,000 notes);
single edits are one short transaction on the UI thread and go through a QUndoStack, so undo brings a
deleted note back.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.review.anchors import ReportContent, ReportInfo
from desktop.review.db import ReviewError
from desktop.review.store import Note, ReadState, ReviewStore
from desktop.ui.background import lower_priority
from desktop.ui.review.source import ReviewSource
from desktop.ui.view_state import ViewState

AUTO_READ_SECONDS = 4.0


@dataclass(frozen=True, slots=True)
class FollowUpPrompt:
    """An open follow-up of the team's earlier report, shown on top of the report being read."""

    note: Note
    text: str  # "Asked on 2024-W24: …"


@dataclass(slots=True)
class _Loaded:
    folder: Path
    notes: list[Note] = field(default_factory=list)
    reads: dict[str, ReadState] = field(default_factory=dict)
    reports: list[ReportInfo] = field(default_factory=list)
    by_path: dict[str, ReportInfo] = field(default_factory=dict)  # the reports by path, made here too
    messages: list[str] = field(default_factory=list)
    error: str | None = None


class _Relay(QObject):
    loaded = Signal(int, object)  # generation, _Loaded: emitted on a pool thread, delivered queued


# A single call into C that walks 50,000 entries (comparing two mappings, freeing a list) holds the
# interpreter's lock throughout, 6-20 ms in which the window's thread can run no Python: these go in
# steps the lock can change hands between.
_STEP = 2000


def _same(new: dict[str, ReportInfo], old: dict[str, ReportInfo]) -> bool:
    return len(new) == len(old) and all(old.get(path) == info for path, info in new.items())


def _free(items: list[ReportInfo]) -> None:
    while items:
        del items[-_STEP:]


class _LoadJob(QRunnable):
    """Resolve anchors against the current reports and read everything, on its own connection."""

    def __init__(
        self,
        generation: int,
        folder: Path,
        db_path: Path | None,
        source: ReviewSource,
        relay: _Relay,
        previous: dict[str, ReportInfo],
    ) -> None:
        super().__init__()
        self._args = (generation, folder, db_path, source, relay)
        self.cancel = threading.Event()
        # The window's mapping from the last load (never changed in place, only replaced): handed back
        # when the reports are the same, so the window's thread frees no 50,000 entries (7 ms).
        self._previous = previous

    def run(self) -> None:
        lower_priority()
        generation, folder, db_path, source, relay = self._args
        result = _Loaded(folder)
        try:
            store = ReviewStore(db_path)
            try:
                result.messages = list(store.messages)
                if not self.cancel.is_set():
                    result.reports = source.current_reports()
                    # (50,000 entries: on this thread, not the window's.)
                    result.by_path = {info.path: info for info in result.reports}
                    if _same(result.by_path, self._previous):
                        result.by_path = self._previous
                    # No reports listed (no cache yet, or one being rebuilt) says nothing about where
                    # the reports went: resolving against it would mark every one gone until the next.
                    if result.reports:
                        result.messages += store.resolve(folder, result.reports, source.load).messages
                if not self.cancel.is_set():
                    result.notes = store.notes(folder)
                    result.reads = store.read_states(folder)
            finally:
                store.close()
        except Exception as exc:  # the window survives anything the database meets
            result.error = str(exc)
        _free(result.reports)  # here, not on the window's thread: it reads by_path only
        self._previous = {}
        if not self.cancel.is_set():
            relay.loaded.emit(generation, result)


class ReviewPresenter(QObject):
    read_state_changed = Signal()  # read_states() changed (marks, or a new load)
    notes_changed = Signal(str)  # notes of this report path changed; "" for all of them
    follow_ups_changed = Signal()  # open_follow_ups() changed
    prompts_changed = Signal()  # prompts() of the shown report changed
    notes_loaded = Signal()  # a background load finished
    error_occurred = Signal(str)  # one line for the status bar
    message_posted = Signal(str)  # something the user should know (a restored backup)

    def __init__(
        self,
        state: ViewState,
        source: ReviewSource,
        *,
        db_path: Path | None = None,
        auto_read_seconds: float = AUTO_READ_SECONDS,
        auto_read: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._state = state
        self._source = source
        self._db_path = db_path
        self._store: ReviewStore | None = None
        self._notes: dict[str, list[Note]] = {}
        self._reads: dict[str, ReadState] = {}
        self._current: dict[str, ReportInfo] = {}  # the folder's reports at the last load
        self._generation = 0
        self._job: _LoadJob | None = None
        self._edits = 0  # edits made here; a load that started before the latest one is stale
        self._edits_at_load = 0
        self._relay = _Relay(self)
        self._relay.loaded.connect(self._on_relay_loaded)
        self.undo_stack = QUndoStack(self)
        self.auto_read = auto_read
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(auto_read_seconds * 1000))
        self._timer.timeout.connect(self._on_timer_timeout)
        state.events.report.connect(self._on_state_report)
        state.events.folder.connect(self._on_state_folder)

    # -- lifetime -----------------------------------------------------------------------------

    def store(self) -> ReviewStore:
        if self._store is None:
            self._store = ReviewStore(self._db_path)
            for message in self._store.messages:
                self.message_posted.emit(message)
        return self._store

    def shutdown(self) -> None:
        self._timer.stop()
        if self._job is not None:
            self._job.cancel.set()
            self._job = None
        QThreadPool.globalInstance().waitForDone(5000)
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def busy(self) -> bool:
        """A load is under way: the read marks and notes shown are about to change."""
        return self._job is not None

    def refresh(self) -> None:
        """Reload everything of the folder in the background (after indexing, or on opening it)."""
        folder = self._state.folder
        if self._job is not None:
            self._job.cancel.set()
            self._job = None
        self._generation += 1
        if folder is None:
            return
        self._edits_at_load = self._edits
        self._job = _LoadJob(
            self._generation, folder, self._db_path, self._source, self._relay, self._current
        )
        QThreadPool.globalInstance().start(self._job)

    @Slot(int, object)
    def _on_relay_loaded(self, generation: int, result: _Loaded) -> None:
        if generation != self._generation:
            return  # a newer load is on its way
        self._job = None
        if result.folder != self._state.folder:
            return  # of another folder
        for message in result.messages:
            self.message_posted.emit(message)
        if result.error is not None:
            self.error_occurred.emit(result.error)
            return
        notes, reads = result.notes, result.reads
        if self._edits != self._edits_at_load:
            # A note or mark was written while the load ran: what it read is older than that.
            try:
                notes, reads = self.store().notes(result.folder), self.store().read_states(result.folder)
            except ReviewError as exc:
                self.error_occurred.emit(str(exc))
        self._notes = {}
        for note in notes:
            self._notes.setdefault(note.report, []).append(note)
        self._reads = reads
        self._current = result.by_path
        self.read_state_changed.emit()
        self.notes_changed.emit("")
        self.follow_ups_changed.emit()
        self.prompts_changed.emit()
        self.notes_loaded.emit()

    # -- the view state -----------------------------------------------------------------------

    @Slot()
    def _on_state_folder(self) -> None:
        self._timer.stop()
        self._notes, self._reads, self._current = {}, {}, {}
        self.undo_stack.clear()
        self.read_state_changed.emit()
        self.notes_changed.emit("")
        self.follow_ups_changed.emit()
        self.refresh()

    @Slot()
    def _on_state_report(self) -> None:
        self._timer.stop()
        if self._state.report is not None and self.auto_read:
            self._timer.start()
        self.prompts_changed.emit()

    @Slot()
    def _on_timer_timeout(self) -> None:
        path = self._state.report
        if path is not None and self.auto_read and path not in self._reads:
            self.mark_read(path)

    def set_auto_read(self, enabled: bool) -> None:
        self.auto_read = enabled
        if not enabled:
            self._timer.stop()

    # -- read marks ---------------------------------------------------------------------------

    def read_states(self) -> dict[str, ReadState]:
        """Report path -> when it was read and whether it changed since; unread reports are absent."""
        return self._reads

    def is_read(self, path: str) -> bool:
        return path in self._reads

    def changed_since_read(self, path: str) -> bool | None:
        state = self._reads.get(path)
        return None if state is None else state.changed

    def _info(self, path: str | None) -> ReportInfo | None:
        """The report's cheap fields: from the last load, else (a report indexed since) the cache."""
        if path is None:
            return None
        info = self._current.get(path)
        if info is None:
            # One indexed lookup: this runs on the window's thread for each report shown while a cold
            # index lands (reading the whole listing instead took 270 ms at 50,000 reports).
            info = self._source.report_info(path)
        return info

    def _report(self, path: str) -> tuple[Path, ReportInfo, ReportContent] | None:
        folder = self._state.folder
        info = self._info(path)
        if folder is None or info is None:
            return None
        # A report whose file changed since it was indexed has no text to be read for a moment: its
        # outline will do, so that a note written now is kept (its place follows at the next resolve).
        content = self._source.load([path], outline_when_unread=True).get(path)
        return None if content is None else (folder, info, content)

    def mark_read(self, path: str) -> None:
        self._set_read(path, True)

    def mark_unread(self, path: str) -> None:
        self._set_read(path, False)

    def toggle_read(self, path: str) -> None:
        self._set_read(path, path not in self._reads)

    def _set_read(self, path: str, read: bool) -> None:
        folder = self._state.folder
        if folder is None:
            return
        try:
            if read:
                found = self._report(path)
                if found is None:
                    return
                self.store().mark_read(folder, found[1], found[2])
            else:
                self.store().mark_unread(folder, path)
            self._reads = self.store().read_states(folder)
            self._edits += 1
        except ReviewError as exc:
            self.error_occurred.emit(str(exc))
            return
        self.read_state_changed.emit()

    # -- notes --------------------------------------------------------------------------------

    def notes_of(self, path: str) -> list[Note]:
        return list(self._notes.get(path, []))

    def notes_by_section(self, path: str) -> dict[str | None, list[Note]]:
        """The report's notes keyed by the anchored section's key (None: on the whole report).

        Orphaned section notes come under None too, so the viewer shows them (with their quote) on top.
        """
        grouped: dict[str | None, list[Note]] = {}
        for note in self._notes.get(path, []):
            key = None if note.orphaned else note.section_key
            grouped.setdefault(key, []).append(note)
        return grouped

    def open_follow_ups(self) -> list[Note]:
        notes = [n for ns in self._notes.values() for n in ns if n.follow_up and n.closed is None]
        return sorted(notes, key=lambda n: (n.date, n.created))

    def prompts(self) -> list[FollowUpPrompt]:
        """Open follow-ups of the team's earlier reports, for the top of the report shown now."""
        path = self._state.report
        info = self._info(path)
        if info is None:
            return []
        earlier = [
            n
            for n in self.open_follow_ups()
            if n.team == info.team and (n.date, n.report) < (info.date, info.path) and n.report != path
        ]
        return [
            FollowUpPrompt(
                n, self.tr("Asked on %1: %2").replace("%1", n.label or n.date).replace("%2", n.text)
            )
            for n in earlier
        ]

    def _reload(self, path: str | None) -> None:
        """Notes of the folder again after one edit (fast: one indexed query)."""
        folder = self._state.folder
        if folder is None:
            return
        self._edits += 1
        self._notes = {}
        for note in self.store().notes(folder):
            self._notes.setdefault(note.report, []).append(note)
        self.notes_changed.emit(path or "")
        self.follow_ups_changed.emit()
        self.prompts_changed.emit()

    def add_note(self, path: str, text: str, *, section: int | None = None, follow_up: bool = False) -> None:
        """Add a note to the report (or to its section number `section`), undoably."""
        self.undo_stack.push(_AddNote(self, self.tr("Add note"), path, text, section, follow_up))

    def edit_note(self, note_id: str, text: str, follow_up: bool) -> None:
        self.undo_stack.push(
            _EditNote(self, self.tr("Edit note"), self.store().note(note_id), text, follow_up)
        )

    def delete_note(self, note_id: str) -> None:
        self.undo_stack.push(_DeleteNote(self, self.tr("Delete note"), self.store().note(note_id)))

    def close_follow_up(self, note_id: str, closed: bool = True) -> None:
        label = self.tr("Close follow-up") if closed else self.tr("Reopen follow-up")
        self.undo_stack.push(_CloseNote(self, label, self.store().note(note_id), closed))

    @Slot(str)
    def _on_panel_follow_up_closed(self, note_id: str) -> None:
        self.close_follow_up(note_id)

    def _run(self, work: object) -> Note | None:
        """Run one store call, reporting a failure instead of raising into Qt."""
        try:
            note = work() if callable(work) else None
        except ReviewError as exc:
            self.error_occurred.emit(str(exc))
            return None
        if isinstance(note, Note):
            self._reload(note.report)
            return note
        return None

    def _add(self, path: str, text: str, section: int | None, follow_up: bool) -> Note | None:
        found = self._report(path)
        if found is None:
            self.error_occurred.emit(self.tr("The report is not in the folder any more."))
            return None
        folder, info, content = found
        sections = content.sections
        chosen = next((s for s in sections if s.index == section), None) if section is not None else None
        store = self.store()
        return self._run(
            lambda: store.add_note(folder, info, content, text, section=chosen, follow_up=follow_up)
        )


class _AddNote(QUndoCommand):
    def __init__(
        self,
        presenter: ReviewPresenter,
        label: str,
        path: str,
        text: str,
        section: int | None,
        follow_up: bool,
    ):
        super().__init__(label)
        self._p, self._args, self._id = presenter, (path, text, section, follow_up), ""

    def redo(self) -> None:
        if not self._id:
            note = self._p._add(*self._args)
            self._id = note.id if note else ""
            if not note:
                self.setObsolete(True)
        else:
            self._p._run(lambda: self._p.store().restore_note(self._id))

    def undo(self) -> None:
        if self._id:
            self._p._run(lambda: self._p.store().delete_note(self._id))


class _EditNote(QUndoCommand):
    def __init__(self, presenter: ReviewPresenter, label: str, note: Note, text: str, follow_up: bool):
        super().__init__(label)
        self._p, self._id = presenter, note.id
        self._old, self._new = (note.text, note.follow_up), (text, follow_up)

    def redo(self) -> None:
        self._p._run(lambda: self._p.store().edit_note(self._id, text=self._new[0], follow_up=self._new[1]))

    def undo(self) -> None:
        self._p._run(lambda: self._p.store().edit_note(self._id, text=self._old[0], follow_up=self._old[1]))


class _DeleteNote(QUndoCommand):
    def __init__(self, presenter: ReviewPresenter, label: str, note: Note):
        super().__init__(label)
        self._p, self._id = presenter, note.id

    def redo(self) -> None:
        self._p._run(lambda: self._p.store().delete_note(self._id))

    def undo(self) -> None:
        self._p._run(lambda: self._p.store().restore_note(self._id))


class _CloseNote(QUndoCommand):
    def __init__(self, presenter: ReviewPresenter, label: str, note: Note, closed: bool):
        super().__init__(label)
        self._p, self._id, self._closed = presenter, note.id, closed

    def redo(self) -> None:
        self._p._run(lambda: self._p.store().set_closed(self._id, self._closed))

    def undo(self) -> None:
        self._p._run(lambda: self._p.store().set_closed(self._id, not self._closed))
