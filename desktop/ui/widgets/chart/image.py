"""The chart as an image: the plots shown, at a chosen scale, under a header that says what they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

_MARGIN = 16  # logical pixels around the header's text


@dataclass(frozen=True, slots=True)
class ImageHeader:
    title: str  # what is charted
    folder: str  # the report folder it comes from
    period: str  # the dates of the first and last report charted
    background: QColor
    foreground: QColor
    muted: QColor


def _fonts(base: QFont) -> tuple[QFont, QFont]:
    title = QFont(base)
    title.setPointSizeF(max(base.pointSizeF(), 9.0) * 1.35)
    title.setBold(True)
    detail = QFont(base)
    detail.setPointSizeF(max(base.pointSizeF(), 9.0))
    return title, detail


def logical_size(widgets: Sequence[Any], header: ImageHeader | None, base: QFont) -> QSize:
    """The image's size at 1×: the widest plot, the plots' heights and the header's."""
    width = max((w.width() for w in widgets), default=400)
    return QSize(width, sum(w.height() for w in widgets) + _header_height(header, base))


def _header_height(header: ImageHeader | None, base: QFont) -> int:
    if header is None:
        return 0
    title, detail = _fonts(base)
    return QFontMetrics(title).height() + 2 * QFontMetrics(detail).height() + 2 * _MARGIN


def render(widgets: Sequence[Any], header: ImageHeader, scale: float, base: QFont) -> QImage:
    """The widgets one above the other under the header, drawn at `scale` (2.0: twice the pixels)."""
    size = logical_size(widgets, header, base)
    image = QImage(
        max(1, round(size.width() * scale)), max(1, round(size.height() * scale)), QImage.Format.Format_ARGB32
    )
    image.setDevicePixelRatio(scale)  # the widgets paint in logical pixels: text and lines stay sharp
    image.fill(header.background)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        title_font, detail_font = _fonts(base)
        y = _MARGIN
        width = size.width() - 2 * _MARGIN
        lines = (
            (title_font, header.foreground, header.title),
            (detail_font, header.muted, header.folder),
            (detail_font, header.muted, header.period),
        )
        for font, colour, text in lines:
            metrics = QFontMetrics(font)
            painter.setFont(font)
            painter.setPen(colour)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)
            painter.drawText(QRect(_MARGIN, y, width, metrics.height()), Qt.AlignmentFlag.AlignLeft, shown)
            y += metrics.height()
        y = _header_height(header, base)
        for widget in widgets:
            # A pg.PlotWidget is a QGraphicsView: its scene drawn into the target, as vectors at any scale.
            target = QRectF(0, y, widget.width(), widget.height())
            widget.render(painter, target, widget.viewport().rect())
            y += widget.height()
    finally:
        painter.end()
    return image
