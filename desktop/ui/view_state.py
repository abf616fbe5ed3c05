"""What the window is showing, as plain Python with events: presenters write it, widgets observe it.

The napari way: nothing here imports Qt, so the state can be tested without a window, and the window
never has to read what it shows back out of a widget. Each field has its own event
(`state.events.report.connect(...)`); `show_report` changes several fields as one move, so observers
hear about it once the move is complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from psygnal import SignalGroup, evented

View = Literal["reports", "compare", "overview", "timeline", "progress"]

DEFAULT_TEXT_PX = 15
MIN_TEXT_PX = 10
MAX_TEXT_PX = 32


@evented
@dataclass
class ViewState:
    if TYPE_CHECKING:
        events: ClassVar[SignalGroup]  # one signal per field, added by @evented

    folder: Path | None = None  # the opened report folder
    report: str | None = None  # path of the report shown, relative to the folder
    section: int | None = None  # index of the section shown, None for the whole report
    line: int | None = None  # a source line to bring into view (a search hit, an alert, a note)
    highlight: str = ""  # text to mark in the shown report (the search query)
    view: View = "reports"  # which page of the window is in front
    compare: tuple[str, str] | None = None  # the two reports compared, earlier first
    text_px: int = DEFAULT_TEXT_PX  # the one text size of every reading pane
    theme: str = "system"  # "system", "light" or "dark"
    language: str = "system"  # "system", "en" or "zh_CN"

    @contextmanager
    def one_change(self) -> Iterator[None]:
        """Set several fields; every observer hears of them only once all are set."""
        with ExitStack() as stack:
            for f in fields(self):
                stack.enter_context(getattr(self.events, f.name).paused())
            yield

    def show_report(
        self, path: str | None, section: int | None = None, *, line: int | None = None, highlight: str = ""
    ) -> None:
        """Bring a report (and optionally one section or line of it) to the front, as one change."""
        with self.one_change():
            self.report = path
            self.section = section
            self.line = line
            self.highlight = highlight
            self.view = "reports"

    def clear_folder(self, folder: Path | None) -> None:
        """A new folder: nothing of the previous one stays on screen."""
        with self.one_change():
            self.folder = folder
            self.report = None
            self.section = None
            self.line = None
            self.highlight = ""
            self.compare = None
            self.view = "reports"

    def zoom(self, steps: int) -> None:
        """Larger (+1), smaller (-1) or, with 0, the normal text size."""
        px = DEFAULT_TEXT_PX if steps == 0 else self.text_px + steps
        self.text_px = max(MIN_TEXT_PX, min(MAX_TEXT_PX, px))
