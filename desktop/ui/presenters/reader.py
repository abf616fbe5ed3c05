"""The reader pane's presenter: turns the view state's report, section and highlight into a page."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.core.aliases import AliasTable
from desktop.core.model import Report
from desktop.core.report_page import ReportPage, report_page
from desktop.store import queries
from desktop.ui.folder_controller import FolderController
from desktop.ui.view_state import ViewState

if TYPE_CHECKING:
    import sqlite_utils


class ReaderPresenter(QObject):
    page_ready = Signal(object)  # ReportPage: what the viewer shows now
    message_shown = Signal(str)  # no report to show: this text instead

    def __init__(
        self, state: ViewState, folder: FolderController, aliases: AliasTable, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self._folder = folder
        self._aliases = aliases
        self._shown: tuple[str | None, int | None, str] | None = None
        # show_report sets the fields as one change; the first event already sees them all, the
        # others find the page shown and do nothing.
        for event in (state.events.report, state.events.section, state.events.highlight):
            event.connect(self._on_state_report_changed)

    def higher_is_better(self, name: str) -> bool | None:
        info = self._aliases.info(name)
        return info.higher_is_better if info else None

    def load_report(self, path: str) -> Report | None:
        return self._folder.read(queries.load_report, None, path)

    def show_message(self, text: str) -> None:
        self._shown = None
        self.message_shown.emit(text)

    def refresh(self) -> None:
        """Show the state's report again (its text may have changed in the cache)."""
        self._shown = None
        self._on_state_report_changed()

    def _on_state_report_changed(self) -> None:
        state = self.state
        key = (state.report, state.section, state.highlight)
        if key == self._shown or state.report is None:
            return
        page = self._page(state.report, -1 if state.section is None else state.section, state.highlight)
        if page is not None:
            self._shown = key
            self.page_ready.emit(page)

    def _weeks_before(self, reader: sqlite_utils.Database, path: str) -> list[str] | None:
        # From the listing the window holds when it has the report: a lookup and a bisection.
        row = queries.get_report_row(reader, path)
        return None if row is None else queries.weeks_before(self._folder.rows, row, queries.PREVIOUS_WEEKS)

    def _page(self, path: str, section: int, highlight: str) -> ReportPage | None:
        reader = self._folder.reader
        if reader is None:
            return None
        try:
            text = queries.report_text(reader, path)
            if text is None:
                # The cache keeps no text (desktop/store/texts.py): the file is read, and only the
                # version indexed will do. A report the cache does not hold shows nothing at all.
                row = queries.get_report_row(reader, path)
                if row is not None:
                    message = self.tr(
                        "%1 cannot be shown: its file has changed since it was indexed, or the folder "
                        "cannot be reached. It is shown again once the file has been read."
                    )
                    self.show_message(message.replace("%1", row.label or row.title or path))
                return None
            return report_page(
                path,
                text,
                queries.sections_of(reader, path),
                section,
                queries.metrics_of(reader, path),
                queries.previous_values(reader, path, earlier=self._weeks_before(reader, path)),
                self.higher_is_better,
                highlight,
            )
        except sqlite3.DatabaseError:
            empty: dict[str, int] = {}
            self._folder.read(queries.counts, empty)  # a damaged file is dropped and rebuilt there
            return None
