"""The timeline of one topic: a presenter that loads it in the background, and the widget showing it."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.timeline import Entry, to_html, to_markdown
from desktop.ui.topics.loader import TopicsLoader
from desktop.ui.topics.timeline_model import HTML_ROLE, TimelineModel
from desktop.ui.view_state import ViewState

TOPIC_SCHEME = "weekly-review-topic"  # links of the topics listed before one is chosen: SCHEME:N

# (suggested file name, content): the window asks where to save and writes the file.
Save = Callable[[str, str], None]


class TimelinePresenter(QObject):
    """Asks for a topic's timeline, fills the model batch by batch, opens the report of an entry."""

    timeline_started = Signal(str)  # the topic as asked
    timeline_cleared = Signal()  # no topic any more (another folder was opened)
    topics_listed = Signal(object)  # [(title, sections)]: the topics that recur, to choose one from
    entries_added = Signal(int)  # entries shown so far
    timeline_finished = Signal(int, object)  # entries, gap weeks
    topic_not_found = Signal(str, object)  # the topic, the closest known topics
    load_failed = Signal(str)
    report_activated = Signal(str, int)  # report path, section index
    exported = Signal(str)  # the suggested file name, once handed to the save callable
    export_failed = Signal(str)

    def __init__(
        self,
        state: ViewState | None = None,
        save: Save | None = None,
        loader: TopicsLoader | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = TimelineModel(self)
        self.topic = ""
        self.team: str | None = None
        self.topics: list[tuple[str, int]] = []  # what show_topics found
        self._cache_path: Path | None = None
        self._state = state
        self._save = save
        self._own_loader = loader is None
        self._loader = loader or TopicsLoader(self)
        self._loader.entries_loaded.connect(self._on_loader_entries_loaded)
        self._loader.timeline_finished.connect(self._on_loader_timeline_finished)
        self._loader.load_failed.connect(self._on_loader_load_failed)
        self._loader.export_rendered.connect(self._on_loader_export_rendered)
        self._loader.topics_loaded.connect(self._on_loader_topics_loaded)
        self._exporting: set[str] = set()  # names asked for by this presenter (the loader may be shared)

    @property
    def busy(self) -> bool:
        return self._loader.busy

    def show_topics(self, cache_path: Path) -> None:
        """Before a topic is chosen: list the folder's recurring topics (`topics_listed`)."""
        self._cache_path = cache_path
        self._loader.request_topics(cache_path)

    def choose(self, index: int) -> None:
        """The timeline of one of the topics listed, across the folder's teams."""
        if self._cache_path is not None and 0 <= index < len(self.topics):
            self.show_topic(self._cache_path, self.topics[index][0])

    def show_topic(self, cache_path: Path, topic: str, team: str | None = None) -> None:
        """The timeline of a section title, key, OKR code or phrase; the first entries come at once."""
        self._cache_path = cache_path
        self.topic, self.team = topic, team
        self.model.clear()
        self.timeline_started.emit(topic)
        self._loader.request_timeline(cache_path, topic, team)

    def clear(self) -> None:
        """Forget the topic and its entries; an answer still on its way is dropped."""
        self._loader.cancel()
        self.topic, self.team, self.topics = "", None, []
        self.model.clear()
        self.timeline_cleared.emit()

    def activate(self, row: int) -> None:
        entry = self.model.entry(row)
        if entry is None:
            return  # a gap week opens nothing
        self.report_activated.emit(entry.report, entry.index)
        if self._state is not None:
            self._state.show_report(entry.report, entry.index)

    def markdown(self) -> str:
        return to_markdown(self.topic, self.model.entries(), self.model.gaps())

    def html(self) -> str:
        return to_html(self.topic, self.model.entries(), self.model.gaps())

    def export(self, kind: str) -> None:
        """Hand the timeline as HTML ("html") or Markdown ("markdown") to the save callable.

        Rendered on the loader's thread (every entry's marks are worked out); `exported` follows.
        """
        if self._save is None or not self.model.entry_count():
            return
        stem = "".join(ch if ch.isalnum() else "_" for ch in self.topic).strip("_") or "timeline"
        name = f"{stem}.html" if kind == "html" else f"{stem}.md"
        self._exporting.add(name)
        self._loader.request_export(name, self.topic, self.model.entries(), self.model.gaps())

    def shutdown(self) -> None:
        if self._own_loader:
            self._loader.shutdown()

    @Slot(object)
    def _on_loader_entries_loaded(self, batch: list[Entry]) -> None:
        self.model.add_entries(batch)
        self.entries_added.emit(self.model.entry_count())

    @Slot(object, object)
    def _on_loader_timeline_finished(self, gaps: list[str], suggestions: list[str]) -> None:
        if not self.model.entry_count():
            self.topic_not_found.emit(self.topic, list(suggestions))
            return
        self.model.set_gaps(gaps)
        self.timeline_finished.emit(self.model.entry_count(), list(gaps))

    @Slot(object)
    def _on_loader_topics_loaded(self, found: list[tuple[str, int]]) -> None:
        if self.topic:
            return  # a topic was chosen meanwhile
        self.topics = list(found)
        self.topics_listed.emit(self.topics)

    @Slot(str)
    def _on_loader_load_failed(self, message: str) -> None:
        self.load_failed.emit(message)

    @Slot(str, str, str)
    def _on_loader_export_rendered(self, name: str, content: str, error: str) -> None:
        if name not in self._exporting:
            return
        self._exporting.discard(name)
        if error or self._save is None:
            self.export_failed.emit(error)
            return
        self._save(name, content)
        self.exported.emit(name)


class TimelineView(QWidget):
    """Entries on the left (marks in each row, gap weeks greyed), the chosen entry's diff and text right."""

    def __init__(self, presenter: TimelinePresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.export_html_button = QPushButton(self)
        self.export_markdown_button = QPushButton(self)
        # A flat tree rather than a list view: with uniform row heights it only ever looks at the rows
        # on screen, where a list view lays out all of them on every batch of thousands.
        self.list = QTreeView(self)
        self.list.setModel(presenter.model)
        self.list.setUniformRowHeights(True)
        self.list.setRootIsDecorated(False)
        self.list.setHeaderHidden(True)
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 780])  # a row's week, date, title and marks fit without eliding
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.export_html_button)
        top.addWidget(self.export_markdown_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.list.activated.connect(self._on_list_activated)
        self.list.selectionModel().selectionChanged.connect(self._on_list_selection_changed)
        self.export_html_button.clicked.connect(self._on_export_html_button_clicked)
        self.export_markdown_button.clicked.connect(self._on_export_markdown_button_clicked)
        presenter.timeline_started.connect(self._on_presenter_timeline_started)
        presenter.timeline_cleared.connect(self._on_presenter_timeline_cleared)
        presenter.topics_listed.connect(self._on_presenter_topics_listed)
        self.detail.anchorClicked.connect(self._on_detail_anchor_clicked)
        presenter.entries_added.connect(self._on_presenter_entries_added)
        presenter.timeline_finished.connect(self._on_presenter_timeline_finished)
        presenter.topic_not_found.connect(self._on_presenter_topic_not_found)
        presenter.load_failed.connect(self._on_presenter_load_failed)
        presenter.export_failed.connect(self._on_presenter_export_failed)
        self._status = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.export_html_button.setText(self.tr("Export HTML…"))
        self.export_markdown_button.setText(self.tr("Export Markdown…"))
        self._show_heading()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def heading_text(self) -> str:
        return self.heading.text()

    def _show_heading(self) -> None:
        if not self.presenter.topic:
            self.heading.setText(
                self.tr(
                    "Choose a topic on the right, or right-click a section in the report tree or in a"
                    " report and choose “Timeline of this topic”."
                )
            )
            return
        self.heading.setText(f"{self.presenter.topic}  {self._status}".strip())

    def _set_status(self, status: str) -> None:
        self._status = status
        self._show_heading()

    @Slot(str)
    def _on_presenter_timeline_started(self, _topic: str) -> None:
        self.detail.clear()
        self._set_status(self.tr("loading…"))

    @Slot()
    def _on_presenter_timeline_cleared(self) -> None:
        self.detail.clear()
        self._set_status("")

    @Slot(object)
    def _on_presenter_topics_listed(self, found: list[tuple[str, int]]) -> None:
        # An empty page says what to follow: the topics that recur, each a link to its timeline.
        if not found:
            self.detail.setHtml(f"<p>{html.escape(self.tr('No topic recurs in this folder yet.'))}</p>")
            return
        head = html.escape(self.tr("Topics that recur in this folder:"))
        items = "".join(
            f'<li><a href="{TOPIC_SCHEME}:{n}">{html.escape(title)}</a> · '
            f"{html.escape(self.tr('%1 sections').replace('%1', str(count)))}</li>"  # never fewer than 2
            for n, (title, count) in enumerate(found)
        )
        self.detail.setHtml(f"<p>{head}</p><ul>{items}</ul>")

    @Slot(QUrl)
    def _on_detail_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == TOPIC_SCHEME and url.path().isdigit():
            self.presenter.choose(int(url.path()))

    @Slot(int)
    def _on_presenter_entries_added(self, count: int) -> None:
        if count and not self.list.selectionModel().hasSelection():
            self.list.setCurrentIndex(self.presenter.model.index(0))
        self._set_status(self.tr("%n entries…", "", count))

    @Slot(int, object)
    def _on_presenter_timeline_finished(self, count: int, gaps: list[str]) -> None:
        status = self.tr("%n entries", "", count)
        if gaps:
            status += " · " + self.tr("%n weeks without it", "", len(gaps))
        self._set_status(status)

    @Slot(str, object)
    def _on_presenter_topic_not_found(self, _topic: str, suggestions: list[str]) -> None:
        text = self.tr("No such topic.")
        if suggestions:
            text += " " + self.tr("Closest: %1").replace("%1", ", ".join(suggestions))
        self._set_status(text)

    @Slot(str)
    def _on_presenter_load_failed(self, message: str) -> None:
        self._set_status(self.tr("The timeline could not be read: %1").replace("%1", message))

    @Slot(str)
    def _on_presenter_export_failed(self, message: str) -> None:
        self._set_status(self.tr("The timeline could not be exported: %1").replace("%1", message))

    @Slot(QModelIndex)
    def _on_list_activated(self, index: QModelIndex) -> None:
        self.presenter.activate(index.row())

    @Slot(QItemSelection, QItemSelection)
    def _on_list_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        index = self.list.currentIndex()
        self.detail.setHtml(str(index.data(HTML_ROLE) or "") if index.isValid() else "")

    @Slot()
    def _on_export_html_button_clicked(self) -> None:
        self.presenter.export("html")

    @Slot()
    def _on_export_markdown_button_clicked(self) -> None:
        self.presenter.export("markdown")
