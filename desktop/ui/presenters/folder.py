"""The folder's presenter: opening a folder, what each index run brings, and the first report shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop.core.paths import seeds_dir
from desktop.store import queries
from desktop.store.indexer import IndexSummary
from desktop.ui.folder_controller import FolderController
from desktop.ui.presenters.chart import ChartPresenter
from desktop.ui.presenters.reader import ReaderPresenter
from desktop.ui.presenters.search import SearchPresenter
from desktop.ui.settings import Settings
from desktop.ui.status_area import StatusArea
from desktop.ui.view_state import ViewState


class FolderPresenter(QObject):
    folder_loaded = Signal()  # the tree shows what the cache held when the folder was opened
    index_done = Signal(object)  # IndexSummary, or None when indexing failed
    status_message = Signal(str, int)  # text, milliseconds to show it (0: until the next one)
    notice_changed = Signal(str)  # the note above the panes; "" hides it
    folder_opened = Signal(Path)

    def __init__(
        self,
        state: ViewState,
        controller: FolderController,
        reader: ReaderPresenter,
        chart: ChartPresenter,
        search: SearchPresenter,
        status: StatusArea,
        settings: Settings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.state, self.controller, self.settings = state, controller, settings
        self._reader, self._chart, self._search, self._status = reader, chart, search, status
        self._chart_read = False  # the chart has been asked for this folder's data (at opening)
        self._is_samples = False  # the folder open is the bundled samples
        controller.index_started.connect(self._on_controller_index_started)
        controller.progress_changed.connect(status.set_progress)
        controller.index_finished.connect(self._on_controller_index_finished)
        controller.index_failed.connect(self._on_controller_index_failed)
        controller.index_cancelled.connect(self._on_controller_index_cancelled)
        controller.watch_failed.connect(self._on_controller_watch_failed)
        status.cancel_requested.connect(controller.cancel)

    @property
    def is_samples(self) -> bool:
        return self._is_samples

    def open(self, folder: Path) -> None:
        """Nothing of the previous folder stays; what the cache knows shows at once, the rest follows."""
        self._search.clear()
        self._chart.clear()
        self._chart_read = False
        self.state.clear_folder(folder)
        self._reader.show_message(self.tr("Reading %1 …").replace("%1", str(folder)))
        self._status.set_counts(None)
        self._status.set_problems([])
        self._status.set_busy(True)  # until the index run says how far it is
        self.status_message.emit(self.tr("Opening %1 …").replace("%1", folder.name or str(folder)), 0)
        # Worked out once, before the index thread starts: resolving paths means system calls, and
        # after each the UI thread waits its turn for the interpreter (144 ms at 50,000 reports).
        self._is_samples = folder.resolve() == seeds_dir().resolve()
        readable = self.controller.open(folder)
        if not self.is_samples:
            self.settings.remember_folder(folder)
        self.folder_opened.emit(folder)
        self.notice_changed.emit(self.notice())
        if not readable:
            self._status.set_busy(False)
            self._reader.show_message(
                self.tr(
                    "Weekly Review may not read %1. Check the folder's permissions, or open another "
                    "folder with Ctrl+O."
                ).replace("%1", str(folder))
            )
            self.status_message.emit(self.tr("Cannot read %1").replace("%1", str(folder)), 0)
            return
        self._chart_read = self.controller.reader is not None  # the chart is read from the cache now
        if self.controller.reader is not None:
            self._chart.refresh()
            self._status.set_counts(self.controller.rows)
        self.folder_loaded.emit()

    def notice(self) -> str:
        if not self.is_samples:
            return ""
        return self.tr(
            "You are looking at sample reports. Open your own folder of weekly reports with "
            "File → Open Folder (Ctrl+O); Weekly Review only reads it, never changes it."
        )

    @Slot()
    def _on_controller_index_started(self) -> None:
        self._status.set_busy(True)

    @Slot(object, object)
    def _on_controller_index_finished(self, summary: IndexSummary, rows: list[queries.ReportRow]) -> None:
        self._status.set_busy(False)
        self.status_message.emit("", 0)  # "Opening …" is over
        self._status.set_counts(rows)
        problems = self.controller.problems  # read on the indexer's thread
        self._status.set_problems([queries.Problem("", "warning", m) for m in summary.messages] + problems)
        shown = self.state.report
        if shown is None or not any(r.path == shown for r in rows):
            self._show_newest(rows)
        elif self.controller.last_index_changed:
            # Its text, or the earlier weeks it is compared with, may have changed. After a run that
            # changed nothing the page stays as it was drawn from the cache (50 ms at 50,000 reports).
            self._reader.refresh()
        # Last: the chart's reading thread would compete with the work above for the interpreter.
        # A run that changed nothing leaves the chart read from the cache at opening as it is.
        if self.controller.last_index_changed or not self._chart_read:
            self._chart.refresh()
            self._chart_read = True
        self.index_done.emit(summary)

    @Slot(str)
    def _on_controller_index_failed(self, message: str) -> None:
        self._status.set_busy(False)
        self.status_message.emit(self.tr("Indexing failed: %1").replace("%1", message), 0)
        self._status.set_problems([queries.Problem("", "warning", message)])
        if self.state.report is None:  # still saying "Reading …": say what happened instead
            self._reader.show_message(self.tr("The folder could not be indexed: %1").replace("%1", message))
        self.index_done.emit(None)

    @Slot(str)
    def _on_controller_watch_failed(self, message: str) -> None:
        self.status_message.emit(self.tr("Changes to the folder: %1").replace("%1", message), 0)

    @Slot()
    def _on_controller_index_cancelled(self) -> None:
        self._status.set_busy(False)
        self.status_message.emit(self.tr("Indexing cancelled; press F5 to continue"), 8000)
        if self.state.report is None:
            self._show_newest(self.controller.rows)

    def _show_newest(self, rows: list[queries.ReportRow]) -> None:
        newest = _newest_report(rows)
        folder = self.controller.folder
        if newest is not None:
            view = self.state.view
            self.state.show_report(newest.path)
            if view != "reports":  # a comparison asked for on the command line stays in front
                self.state.view = view
        elif folder is not None and self.controller.reader is not None:
            message = self.tr("No weekly reports were found in %1.").replace("%1", str(folder))
            if self._status.problems_model.rowCount():
                message += " " + self.tr("Some files could not be read: see the Problems panel.")
            else:
                message += " " + self.tr(
                    "Weekly Review reads Markdown and text files (.md, .markdown, .txt) "
                    "in the folder and its subfolders. Open another folder with Ctrl+O."
                )
            self._reader.show_message(message)


def _newest_report(rows: list[queries.ReportRow]) -> queries.ReportRow | None:
    """The newest weekly report (rows come oldest first), looked for from the end: at 50,000 reports
    the window's thread went through every row twice. A file dated only by its modification time (a
    stray licence or note) is not this week's report, unless no report has a better date."""
    newest_weekly = None
    for row in reversed(rows):
        if row.parent is None:
            if row.kind == "report" and row.date_source not in ("mtime", "none"):
                return row
            newest_weekly = newest_weekly or row
    return newest_weekly
