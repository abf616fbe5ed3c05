"""The reviewer's memory in the real window: read marks in the tree, notes beside their sections in the
reader and the comparison, the Follow-ups panel, prompts on the team's next report, and the menus.

One object owns the ReviewPresenter and connects it to the panes the window already has; the panes only
grew hooks (the tree model's read marks, the viewer's decorator, the compare view's notes provider,
context-menu extenders), so this is the one place that knows how the review is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QHeaderView, QMenu

from desktop.core.model import Report, Section
from desktop.core.paths import cache_path_for
from desktop.core.render import Palette
from desktop.review.anchors import ReportContent, ReportInfo
from desktop.review.digest_rows import open_follow_up_rows
from desktop.store import queries
from desktop.ui.review.changes_dialog import ChangesDialog, changes_html
from desktop.ui.review.follow_ups import FollowUpsPanel
from desktop.ui.review.note_editor import NoteEditor
from desktop.ui.review.page_notes import SCHEME, PageWords, page_html
from desktop.ui.review.presenter import ReviewPresenter
from desktop.ui.review.source import CacheSource
from desktop.ui.view_state import ViewState

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class FolderSource:
    """The presenter's source for whatever folder the view state has open (its cache, read anew)."""

    def __init__(self, state: ViewState) -> None:
        self._state = state

    def _cache(self) -> CacheSource | None:
        folder = self._state.folder  # one attribute read: safe from the presenter's pool thread
        return None if folder is None else CacheSource(cache_path_for(folder))

    def current_reports(self) -> list[ReportInfo]:
        cache = self._cache()
        return [] if cache is None else cache.current_reports()

    def report_info(self, path: str) -> ReportInfo | None:
        cache = self._cache()
        return None if cache is None else cache.report_info(path)

    def load(self, paths: list[str], *, outline_when_unread: bool = False) -> dict[str, ReportContent]:
        cache = self._cache()
        return {} if cache is None else cache.load(paths, outline_when_unread=outline_when_unread)


class WindowReview(QObject):
    def __init__(
        self, window: MainWindow, *, db_path: Path | None = None, auto_read_seconds: float = 4.0
    ) -> None:
        super().__init__(window)
        self._w = window
        self._state = window.state
        settings = window.settings
        self.presenter = ReviewPresenter(
            window.state,
            FolderSource(window.state),
            db_path=db_path,
            auto_read_seconds=auto_read_seconds,
            auto_read=settings.str_value("review/auto_read", "true") == "true",
            parent=self,
        )
        self._db_path = db_path
        self._loaded = False  # the read marks of this folder are in: the tree may show them
        self._dirty = False  # the reader's notes changed since it last rendered
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(0)  # one render for the several signals one edit brings
        self._redraw.timeout.connect(self._on_redraw_timeout)
        self._make_actions()
        self._make_dock()
        self._wire()
        self.retranslate()

    # -- construction ----------------------------------------------------------------------------

    def _action(self, keys: Sequence[str] = (), *, checkable: bool = False) -> QAction:
        action = QAction(self._w)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.setCheckable(checkable)
        self._w.addAction(action)  # shortcuts work while the menu bar is hidden too
        return action

    def _make_actions(self) -> None:
        w, stack = self._w, self.presenter.undo_stack
        self.undo = stack.createUndoAction(w)
        self.undo.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo = stack.createRedoAction(w)
        self.redo.setShortcuts(QKeySequence.StandardKey.Redo)
        for action in (self.undo, self.redo):
            w.addAction(action)
        self.toggle_read = self._action(["Ctrl+M"])
        self.add_note = self._action(["Ctrl+N"])
        self.add_report_note = self._action(["Ctrl+Shift+N"])
        self.show_changes = self._action()
        self.auto_read = self._action(checkable=True)
        self.auto_read.setChecked(self.presenter.auto_read)
        self.export_notes = self._action(checkable=True)
        self.export_notes.setChecked(w.settings.str_value("review/export_notes", "false") == "true")
        w.compare_view.export_notes = self.export_notes.isChecked()

        actions = w.actions_
        self.edit_menu = QMenu(w)
        w.menuBar().insertMenu(actions.view_menu.menuAction(), self.edit_menu)
        for action in (self.undo, self.redo):
            self.edit_menu.addAction(action)
        self.edit_menu.addSeparator()
        for action in (self.add_note, self.add_report_note, self.toggle_read, self.show_changes):
            self.edit_menu.addAction(action)
        file_actions = actions.file_menu.actions()
        after = file_actions.index(actions.export_pdf) + 1
        if after < len(file_actions):
            actions.file_menu.insertAction(file_actions[after], self.export_notes)
        else:
            actions.file_menu.addAction(self.export_notes)
        export_menu = w.compare_view.bar.export_button.menu()
        export_menu.addSeparator()
        export_menu.addAction(self.export_notes)

    def _make_dock(self) -> None:
        w = self._w
        self.panel = FollowUpsPanel(w)
        self.dock = QDockWidget(w)
        self.dock.setObjectName("follow-ups-dock")
        self.dock.setWidget(self.panel)
        w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        w.tabifyDockWidget(w.search_dock, self.dock)  # the bottom's panels share its room as tabs
        self._sized = False
        self.dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        header = self.panel.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the follow-up's text
        self.show_follow_ups = self.dock.toggleViewAction()
        self.show_follow_ups.setShortcut(QKeySequence("Ctrl+Shift+U"))
        view_menu = w.actions_.view_menu
        view_menu.addSeparator()
        view_menu.addAction(self.show_follow_ups)
        view_menu.addAction(self.auto_read)

    @Slot(bool)
    def _on_dock_visibility_changed(self, visible: bool) -> None:
        if visible and not self._sized:
            self._sized = True  # a few rows high the first time; the reader keeps the room
            self._w.resizeDocks([self.dock], [170], Qt.Orientation.Vertical)

    def _wire(self) -> None:
        w, p = self._w, self.presenter
        for action, slot in (
            (self.toggle_read, self._on_toggle_read_triggered),
            (self.add_note, self._on_add_note_triggered),
            (self.add_report_note, self._on_add_report_note_triggered),
            (self.show_changes, self._on_show_changes_triggered),
        ):
            action.triggered.connect(slot)
        self.auto_read.toggled.connect(self._on_auto_read_toggled)
        self.export_notes.toggled.connect(self._on_export_notes_toggled)
        p.read_state_changed.connect(self._on_presenter_read_state_changed)
        p.notes_loaded.connect(self._on_presenter_notes_loaded)
        p.notes_changed.connect(self._on_presenter_notes_changed)
        # prompts_changed needs nothing here: on a new report the reader renders it with its prompts,
        # and after an edit notes_changed comes too.
        p.follow_ups_changed.connect(self._on_presenter_follow_ups_changed)
        p.error_occurred.connect(self._on_presenter_message)
        p.message_posted.connect(self._on_presenter_message)
        self.panel.follow_up_activated.connect(self._on_panel_follow_up_activated)
        self.panel.follow_up_closed.connect(p._on_panel_follow_up_closed)
        w.folder_controller.index_finished.connect(self._on_controller_index_finished)
        self._state.events.folder.connect(self._on_state_folder)
        w.viewer.decorator = self._decorate
        w.viewer.menu_extenders.append(self._extend_menu)
        w.viewer.anchorClicked.connect(self._on_viewer_anchor_clicked)
        w.tree_panel.menu_extenders.append(self._extend_menu)
        w.compare_view.notes_provider = self._compare_notes

    def retranslate(self) -> None:
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.undo.setText(self.tr("&Undo"))
        self.redo.setText(self.tr("&Redo"))
        for action, text in (
            (self.toggle_read, self.tr("Mark as Read or &Unread")),
            (self.add_note, self.tr("Add &Note…")),
            (self.add_report_note, self.tr("Add Note to the &Whole Report…")),
            (self.show_changes, self.tr("Show &Changes Since Read…")),
            (self.auto_read, self.tr("Mark Reports Read &Automatically")),
            (self.export_notes, self.tr("Include Notes in E&xports")),
        ):
            action.setText(text)
        self.auto_read.setToolTip(self.tr("A report counts as read once it has been open for a few seconds"))
        self.add_note.setToolTip(self.tr("Add a note to the section shown, or to the report (Ctrl+N)"))
        self.show_follow_ups.setText(self.tr("&Follow-ups"))
        self.dock.setWindowTitle(self.tr("Follow-ups"))
        self.panel.close_button.setText(self.tr("Close follow-up"))
        self.panel.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)
        self._refresh_reader()

    def shutdown(self) -> None:
        self._redraw.stop()
        self.presenter.shutdown()

    # -- what the overview and the tests ask -----------------------------------------------------

    @property
    def loaded(self) -> bool:
        """The folder's notes and read marks are in (the tree shows the marks)."""
        return self._loaded

    def read_state_of(self, path: str) -> str:
        """ "read", "unread" or "changed" (read, then changed on disk), for the overview's teams."""
        if not self.presenter.is_read(path):
            return "unread"
        return "changed" if self.presenter.changed_since_read(path) else "read"

    def follow_up_rows(self, teams: Sequence[str], week: str) -> list[dict[str, object]]:
        """Open follow-ups of these teams up to `week`, as digest rows (any thread: its own connection)."""
        folder = self._state.folder
        if folder is None:
            return []
        return open_follow_up_rows(folder, teams, week, self._db_path)

    # -- the folder ------------------------------------------------------------------------------

    def _on_state_folder(self) -> None:
        self._loaded = False
        self._w.tree_model.set_read_states(None)

    @Slot(object, object)
    def _on_controller_index_finished(self, _summary: object, _rows: list[object]) -> None:
        # Even when the folder is as it was: a re-index is how the reader picks up notes that another
        # process (the command line) wrote meanwhile.
        self.presenter.refresh()  # anchors follow renamed and edited reports

    @Slot()
    def _on_presenter_notes_loaded(self) -> None:
        self._loaded = True
        self._on_presenter_read_state_changed()

    @Slot()
    def _on_presenter_read_state_changed(self) -> None:
        if not self._loaded:
            return
        reads = self.presenter.read_states()
        self._w.tree_model.set_read_states({path: state.changed for path, state in reads.items()})
        self._refresh_reader()

    @Slot(str)
    def _on_presenter_notes_changed(self, _path: str) -> None:
        self._refresh_reader()
        self._w.compare_view.refresh_notes()

    @Slot()
    def _on_presenter_follow_ups_changed(self) -> None:
        self.panel.set_notes(self.presenter.open_follow_ups())

    @Slot(str)
    def _on_presenter_message(self, text: str) -> None:
        self._w.statusBar().showMessage(text, 8000)

    # -- the reader ------------------------------------------------------------------------------

    def _refresh_reader(self) -> None:
        self._dirty = True
        self._redraw.start()

    @Slot()
    def _on_redraw_timeout(self) -> None:
        if self._dirty:
            self._w.viewer.redecorate()

    def _words(self) -> PageWords:
        return PageWords(
            edit=self.tr("edit"),
            delete=self.tr("delete"),
            close=self.tr("close"),
            follow_up=self.tr("follow-up"),
            closed=self.tr("closed"),
            orphaned=self.tr("section not found; it quoted: %1"),
            on_section=self.tr("on %1"),
            changed=self.tr("Changed since you read it on %1."),
            show_changes=self.tr("Show what changed"),
        )

    def _decorate(
        self, path: str, section: int, _first: int, _last: int, sections: Sequence[Section], palette: Palette
    ) -> tuple[str, dict[int, str]]:
        self._dirty = False
        p = self.presenter
        read = p.read_states().get(path)
        prompts = p.prompts() if path == self._state.report else []
        return page_html(
            notes=p.notes_by_section(path),
            sections=sections,
            whole_report=section < 0,
            prompts=prompts,
            read_at=read.read_at if read is not None and read.changed else None,
            palette=palette,
            px=self._w.viewer.text_px,
            words=self._words(),
        )

    @Slot(QUrl)
    def _on_viewer_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() != SCHEME:
            return
        action, _, note_id = url.path().partition("/")
        if action == "changes":
            self._on_show_changes_triggered()
        elif action == "close":
            self.presenter.close_follow_up(note_id)
        elif action == "delete":
            self.presenter.delete_note(note_id)
            self._w.statusBar().showMessage(self.tr("Note deleted; Ctrl+Z brings it back"), 6000)
        elif action == "edit":
            self.edit_note(note_id)

    def edit_note(self, note_id: str) -> None:
        found = next(
            (
                n
                for ns in self.presenter.notes_by_section(self._state.report or "").values()
                for n in ns
                if n.id == note_id
            ),
            None,
        )
        if found is None:
            return
        answer = NoteEditor.ask(self._w, text=found.text, follow_up=found.follow_up, quote=found.quote)
        if answer is not None:
            self.presenter.edit_note(note_id, answer[0], answer[1])

    # -- the comparison --------------------------------------------------------------------------

    def _compare_notes(self, report: Report) -> dict[int, list[str]]:
        grouped = self.presenter.notes_by_section(report.path)
        if not grouped:
            return {}
        index: dict[str, int] = {}
        for s in report.sections:
            index.setdefault(s.key, s.index)
        out: dict[int, list[str]] = {}
        for key, notes in grouped.items():
            at = -1 if key is None else index.get(key, -1)  # a section not found: on the whole report
            out.setdefault(at, []).extend(n.text for n in notes)
        return out

    @Slot(bool)
    def _on_export_notes_toggled(self, on: bool) -> None:
        self._w.compare_view.export_notes = on
        self._w.settings.set_value("review/export_notes", "true" if on else "false")

    # -- actions ---------------------------------------------------------------------------------

    def _extend_menu(self, menu: QMenu, path: str, section: int) -> None:
        read = self.presenter.is_read(path)
        entries = [
            (self.tr("Mark as Unread") if read else self.tr("Mark as Read"), self._on_menu_toggle_read),
        ]
        if section >= 0:
            entries.append((self.tr("Add Note to This Section…"), self._on_menu_add_note))
        entries.append((self.tr("Add Note to the Report…"), self._on_menu_add_report_note))
        if self.presenter.changed_since_read(path):
            entries.append((self.tr("Show Changes Since Read…"), self._on_menu_show_changes))
        for text, slot in entries:
            action = menu.addAction(text)
            action.setData((path, section))
            action.triggered.connect(slot)

    def _menu_target(self) -> tuple[str, int]:
        action = self.sender()
        data = action.data() if isinstance(action, QAction) else None
        return (str(data[0]), int(data[1])) if isinstance(data, tuple) else (self._state.report or "", -1)

    @Slot()
    def _on_menu_toggle_read(self) -> None:
        path, _ = self._menu_target()
        self.presenter.toggle_read(path)

    @Slot()
    def _on_menu_add_note(self) -> None:
        self.ask_note(*self._menu_target())

    @Slot()
    def _on_menu_add_report_note(self) -> None:
        self.ask_note(self._menu_target()[0], -1)

    @Slot()
    def _on_menu_show_changes(self) -> None:
        self.show_changes_of(self._menu_target()[0])

    @Slot()
    def _on_toggle_read_triggered(self) -> None:
        if self._state.report is not None:
            self.presenter.toggle_read(self._state.report)

    def _current_section(self) -> int:
        """The section the reader is on: the one shown, else the tree's (it follows the scrolling)."""
        if self._state.section is not None:
            return self._state.section
        for path, section in self._w.tree_panel.selected():
            if path == self._state.report and section >= 0:
                return section
        return -1

    @Slot()
    def _on_add_note_triggered(self) -> None:
        if self._state.report is not None:
            self.ask_note(self._state.report, self._current_section())

    @Slot()
    def _on_add_report_note_triggered(self) -> None:
        if self._state.report is not None:
            self.ask_note(self._state.report, -1)

    def ask_note(self, path: str, section: int) -> None:
        """The note editor for a note on a report (section -1) or one of its sections."""
        if not path:
            return
        quote = ""
        if section >= 0:
            sections = self._sections_of(path)
            found = next((s for s in sections if s.index == section), None)
            quote = found.title if found is not None else ""
        answer = NoteEditor.ask(self._w, quote=quote)
        if answer is not None:
            text, follow_up = answer
            self.presenter.add_note(path, text, section=None if section < 0 else section, follow_up=follow_up)

    @Slot()
    def _on_show_changes_triggered(self) -> None:
        if self._state.report is not None:
            self.show_changes_of(self._state.report)

    def changes_page(self, path: str) -> str | None:
        """A diff of the report as read against the report now; None when the text read was not kept."""
        folder = self._state.folder
        if folder is None:
            return None
        before = self.presenter.store().read_text(folder, path)
        after = self._w.folder_controller.read(queries.report_text, None, path)
        if before is None or after is None:
            return None
        viewer = self._w.viewer
        return changes_html(before, after, viewer.palette_colors, viewer.text_px)

    def show_changes_of(self, path: str) -> None:
        page = self.changes_page(path)
        if page is None:
            self._w.statusBar().showMessage(
                self.tr("The text as you read it was not kept (read before this version)."), 8000
            )
            return
        dialog = ChangesDialog(self.tr("Changes since you read %1").replace("%1", path), page, self._w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _sections_of(self, path: str) -> list[Section]:
        none: list[Section] = []
        return self._w.folder_controller.read(queries.sections_of, none, path)

    @Slot(bool)
    def _on_auto_read_toggled(self, on: bool) -> None:
        self.presenter.set_auto_read(on)
        self._w.settings.set_value("review/auto_read", "true" if on else "false")

    @Slot(str, str)
    def _on_panel_follow_up_activated(self, path: str, note_id: str) -> None:
        note = next((n for n in self.presenter.notes_of(path) if n.id == note_id), None)
        section = None
        if note is not None and note.section_key is not None and not note.orphaned:
            sections = self._sections_of(path)
            section = next((s.index for s in sections if s.key == note.section_key), None)
        self._state.show_report(path, section)
