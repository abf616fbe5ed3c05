"""Middle pane: a report or one of its sections, rendered for reading, with KPI changes marked."""

from __future__ import annotations

import bisect
import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QUrl, Signal, Slot
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QTextDocument
from PySide6.QtWidgets import QMenu, QTextBrowser, QWidget

from desktop.core.model import Section
from desktop.core.render import (
    DARK,
    LIGHT,
    KpiMark,
    Palette,
    is_safe_external,
    more_offset,
    render_markdown,
    resolve_report_link,
)
from desktop.core.report_page import ReportPage
from desktop.ui.topics.menu import TimelineAction
from desktop.ui.view_state import DEFAULT_TEXT_PX, ViewState

if TYPE_CHECKING:
    from desktop.ui.presenters.reader import ReaderPresenter

# What others add to the page: (path, section shown, its first and last report line, the sections in
# view, the palette) -> (HTML for the top, {report line of a section: HTML right under it}).
Decorator = Callable[[str, int, int, int, Sequence[Section], Palette], tuple[str, dict[int, str]]]
# Entries others add to the context menu: (menu, report path, section index under the pointer or -1).
MenuExtender = Callable[[QMenu, str, int], None]


def section_at(tops: Sequence[tuple[int, int]], value: int, maximum: int, height: int) -> int:
    """The section being read: the last one whose heading is above the reading line (-1 before the first).

    The reading line runs from the viewport's top edge (scrolled to the top) down to its bottom edge
    (scrolled to the end), so the last sections, which never reach the top, still become current:
    at the very end the last section whose heading is on screen is the one being read.
    """
    share = value / maximum if maximum > 0 else 1.0
    line = value + 8 + share * max(0, height - 8)
    place = bisect.bisect_right([y for y, _ in tops], line) - 1
    return tops[place][1] if place >= 0 else -1


class SectionViewer(QTextBrowser):
    report_link_activated = Signal(str)  # folder-relative path of another report
    section_scrolled = Signal(str, int)  # while reading a whole report: the section at the top
    timeline_requested = Signal(str, int, str)  # report path, section index, section title as written

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        state: ViewState | None = None,
        presenter: ReaderPresenter | None = None,
    ) -> None:
        super().__init__(parent)
        # Links are handled here: nothing opens by itself and nothing remote is ever fetched.
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_self_anchor_clicked)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll_value_changed)
        self.text_px = DEFAULT_TEXT_PX
        self.palette_colors: Palette = LIGHT
        self.path: str | None = None
        self.section: int = -1
        self._markdown = ""
        self._first_line = 1
        self._kpis: Sequence[KpiMark] = ()
        self._highlight: str | None = None
        self._sections: Sequence[Section] = ()
        self._section_tops: list[tuple[int, int]] | None = None  # (y, section index), computed on demand
        self._placeholder = ""
        self._start = 0  # the line of the markdown the part shown starts at
        self.section_menu: QMenu | None = None  # the context menu last shown (tests trigger its entries)
        self.decorator: Decorator | None = None  # the reviewer's notes and prompts (set by the window)
        self.menu_extenders: list[MenuExtender] = []
        if state is not None:
            self.text_px = state.text_px
            state.events.text_px.connect(self.set_text_px)
        if presenter is not None:
            presenter.page_ready.connect(self._on_presenter_page_ready)
            presenter.message_shown.connect(self.show_message)

    # -- what is shown ---------------------------------------------------------------------------

    @property
    def highlight(self) -> str | None:
        return self._highlight

    def show_markdown(
        self,
        path: str,
        section: int,
        markdown: str,
        *,
        first_line: int,
        sections: Sequence[Section],
        kpis: Sequence[KpiMark] = (),
        highlight: str | None = None,
    ) -> None:
        self.path, self.section = path, section
        self._markdown, self._first_line, self._kpis, self._highlight = markdown, first_line, kpis, highlight
        self._start = 0  # a long report is shown a part at a time; "show the rest" moves this on
        # Scroll tracking only makes sense for the whole report, where sections follow each other.
        self._sections = [s for s in sections if section < 0 or s.first_line >= first_line]
        self._render()
        if highlight:
            self.scrollToAnchor("hit")
        else:
            self.verticalScrollBar().setValue(0)

    @Slot(object)
    def _on_presenter_page_ready(self, page: ReportPage) -> None:
        self.show_markdown(
            page.path,
            page.section,
            page.markdown,
            first_line=page.first_line,
            sections=page.sections,
            kpis=page.kpis,
            highlight=page.highlight or None,
        )

    @Slot(str)
    def show_message(self, text: str) -> None:
        self.path, self.section, self._markdown, self._sections = None, -1, "", ()
        self._placeholder = text
        self._render()

    def _render(self) -> None:
        self._section_tops = None
        if self.path is None:
            color = self.palette_colors.muted
            self.setHtml(
                f'<p style="color:{color}; font-size:{self.text_px}px; margin:24px">'
                f"{html.escape(self._placeholder)}</p>"
            )
            return
        bar = self.verticalScrollBar()
        keep = bar.value()
        top, after = "", dict[int, str]()
        if self.decorator is not None:
            last = self._first_line + self._markdown.count("\n")
            shown = [s for s in self._sections if self._first_line <= s.first_line <= last]
            top, after = self.decorator(
                self.path, self.section, self._first_line, last, shown, self.palette_colors
            )
        self.setHtml(
            render_markdown(
                self._markdown,
                first_line=self._first_line,
                kpis=self._kpis,
                highlight=self._highlight,
                palette=self.palette_colors,
                base_px=self.text_px,
                blocks_after=after,
                top_html=top,
                start=self._start,
                more_label=self.tr("Show the rest ({lines} more lines)"),
            )
        )
        bar.setValue(keep)

    def redecorate(self) -> None:
        """Render again, keeping the scroll position: what the decorator adds has changed."""
        if self.path is not None:
            self._render()

    def set_text_px(self, px: int) -> None:
        self.text_px = px  # bounded where it is held: ViewState.zoom
        self._render()

    def set_dark(self, dark: bool) -> None:
        self.palette_colors = DARK if dark else LIGHT
        self._render()

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None  # never load images or style sheets, local or remote

    # -- links -----------------------------------------------------------------------------------

    @Slot(QUrl)
    def _on_self_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        offset = more_offset(text)
        if offset is not None and self.path is not None:
            # The next part of a long report: rendered on its own, so no page ever holds all of it.
            self._start = offset
            self._render()
            self.verticalScrollBar().setValue(0)
            return
        if is_safe_external(text):
            QDesktopServices.openUrl(url)
            return
        if self.path is not None:
            target = resolve_report_link(text, self.path)
            if target is not None:
                self.report_link_activated.emit(target)
        # javascript:, file: and the like do nothing.

    # -- the context menu ----------------------------------------------------------------------

    def section_at_point(self, pos: QPoint) -> int:
        """The section whose text is under a viewport point (-1: above the first, or none shown)."""
        if self.path is None:
            return -1
        block = self.cursorForPosition(pos).block()
        y = int(self.document().documentLayout().blockBoundingRect(block).top())
        tops = self._tops()
        place = bisect.bisect_right([t for t, _ in tops], y) - 1
        return tops[place][1] if place >= 0 else self.section

    # -- keeping the outline in step -------------------------------------------------------------

    def _tops(self) -> list[tuple[int, int]]:
        if self._section_tops is None:
            doc = self.document()
            layout = doc.documentLayout()
            tops: list[tuple[int, int]] = []
            position = 0
            for section in self._sections:
                found = doc.find(section.title.strip("# "), position, QTextDocument.FindFlag(0))
                if found.isNull():
                    continue
                position = found.position()
                y = int(layout.blockBoundingRect(found.block()).top())
                tops.append((y, section.index))
            self._section_tops = tops
        return self._section_tops

    @Slot(int)
    def _on_scroll_value_changed(self, value: int) -> None:
        bar_max = self.verticalScrollBar().maximum()
        if self.path is None or self.section >= 0 or not self._sections:
            return
        tops = self._tops()
        if not tops:
            return
        self.section_scrolled.emit(self.path, section_at(tops, value, bar_max, self.viewport().height()))

    # -- context menu ----------------------------------------------------------------------------

    def section_object_at(self, pos: QPoint) -> Section | None:
        """The section whose text is at a point of the viewport: the last heading above it."""
        if self.path is None:
            return None
        y = pos.y() + self.verticalScrollBar().value()
        above = [index for top, index in self._tops() if top <= y]
        wanted = above[-1] if above else self.section
        return next((s for s in self._sections if s.index == wanted), None)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.section_menu is not None:
            self.section_menu.deleteLater()
        menu = self.section_menu = self.createStandardContextMenu(event.pos())
        menu.setParent(self, menu.windowFlags())
        section = self.section_object_at(event.pos())
        if section is not None and self.path is not None:
            menu.addSeparator()
            action = TimelineAction(section.title.strip("# ").strip(), None, menu)
            action.setData((self.path, section.index))
            action.timeline_requested.connect(self._on_timeline_action_requested)
            menu.addAction(action)
        if self.path is not None and self.menu_extenders:
            menu.addSeparator()
            for extend in self.menu_extenders:  # the reviewer's entries: read marks, notes
                extend(menu, self.path, self.section_at_point(event.pos()))
        menu.popup(event.globalPos())

    @Slot(str, object)
    def _on_timeline_action_requested(self, title: str, _team: object) -> None:
        action = self.sender()
        if isinstance(action, TimelineAction):
            path, section = action.data()
            self.timeline_requested.emit(path, section, title)
