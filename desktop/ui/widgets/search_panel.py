"""Search results: report, section and a highlighted snippet; activating one opens the hit."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRectF, QSize, Signal, Slot
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.store.search import Hit
from desktop.ui.models.search_results import HIT_ROLE, HTML_ROLE, SearchResultsModel

_Index = QModelIndex | QPersistentModelIndex


DOCUMENTS_KEPT = 256  # laid-out snippets kept: a page of hits, sized and painted, at a few widths


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's HTML role (the snippet with its highlighted matches)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Each hit is sized, then painted, and painted again on every scroll: parsing and laying out
        # its HTML each time was most of a search's 60 ms on the UI thread.
        self._documents: dict[tuple[str, int, str], QTextDocument] = {}

    def _document(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument:
        html = str(index.data(HTML_ROLE) or "")
        width = max(100, option.rect.width() - 8)
        key = (html, width, option.font.key())
        doc = self._documents.get(key)
        if doc is None:
            if len(self._documents) >= DOCUMENTS_KEPT:
                self._documents.clear()
            doc = self._documents[key] = QTextDocument()
            doc.setDefaultFont(option.font)
            doc.setHtml(html)
            doc.setTextWidth(width)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter, option.widget)
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        rect = option.rect
        painter.translate(rect.left() + 4, rect.top() + 2)
        painter.setClipRect(QRectF(0, 0, rect.width() - 4, rect.height() - 2))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 6)


class SearchPanel(QWidget):
    hit_activated = Signal(object)  # Hit
    more_requested = Signal()  # the hits were capped: the user asks for the next page

    def __init__(self, model: SearchResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.summary = QLabel(self)
        self.more_button = QToolButton(self)
        self.more_button.clicked.connect(self.more_requested)
        self.more_button.hide()
        self.view = QListView(self)
        self.view.setModel(model)
        self.view.setItemDelegate(HtmlDelegate(self.view))
        self.view.setWordWrap(True)
        # Each hit's height comes from laying out its snippet: a page of 50 in one go held the window
        # for tens of milliseconds, so the view lays them out a few at a time between events.
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(8)
        self.view.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.more_button)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.retranslate()
        self.view.activated.connect(self._on_view_activated)
        self.view.clicked.connect(self._on_view_activated)
        model.modelReset.connect(self._on_model_reset)

    def retranslate(self) -> None:
        """The summary line above the hits (the hits themselves are the reports' own text)."""
        count = self.model.rowCount()
        self.more_button.setText(self.tr("Show more"))
        self.more_button.setVisible(self.model.capped)
        if not self.model.query:
            # An open panel with nothing in it says what it is for.
            self.summary.setText(self.tr("Type in the search box (Ctrl+F) to search every report's text"))
        elif self.model.capped:
            self.summary.setText(
                self.tr("The first %n matches for “%1”; there are more", "", count).replace(
                    "%1", self.model.query
                )
            )
        elif count:
            self.summary.setText(self.tr("%n match(es) for “%1”", "", count).replace("%1", self.model.query))
        else:
            self.summary.setText(self.tr("No matches for “%1”").replace("%1", self.model.query))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @Slot()
    def _on_model_reset(self) -> None:
        self.retranslate()

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, Hit):
            self.hit_activated.emit(hit)
