"""Work items and their progress as a table: a sparkline each, latest value, 4-week change, flags."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.core.progress import Series
from desktop.ui.models.rows import RowsModel

SERIES_ROLE = Qt.ItemDataRole.UserRole + 1  # the Series of the row
VALUES_ROLE = Qt.ItemDataRole.UserRole + 2  # the values oldest first, for the sparkline
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # what a column sorts by (numbers as numbers)

ITEM, TEAM, TREND, LATEST, CHANGE, REPORTS, FLAGS = range(7)

_Index = QModelIndex | QPersistentModelIndex


class ProgressModel(RowsModel[Series]):
    """Item | Team | Trend | Latest | 4 weeks | Reports | Flags; the trend column is a sparkline."""

    numeric = frozenset({LATEST, CHANGE, REPORTS})

    def set_series(self, series: Sequence[Series]) -> None:
        self.set_rows(series)

    def series(self, row: int) -> Series | None:
        return self.row_at(row)

    def row_of(self, item: str, team: str | None = None) -> int:
        return next(
            (k for k, s in enumerate(self._rows) if s.item == item and (team is None or s.team == team)), -1
        )

    def headers(self) -> list[str]:
        return [
            self.tr("Item"),
            self.tr("Team"),
            self.tr("Trend"),
            self.tr("Latest"),
            self.tr("4 weeks"),
            self.tr("Reports"),
            self.tr("Flags"),
        ]

    def cells(self, s: Series) -> list[str | None]:
        return [self._display(s, column) for column in range(ITEM, FLAGS + 1)]

    def role_data(self, s: Series, column: int, role: int) -> object:
        if role == SERIES_ROLE:
            return s
        if role == VALUES_ROLE:
            return [p.value for p in s.points]
        if role == SORT_ROLE:
            return self._sort_key(s, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            latest = s.points[-1]
            return f"{latest.text}\n{latest.report}"
        return None

    @staticmethod
    def _sort_key(s: Series, column: int) -> object:
        if column == ITEM:
            return s.item
        if column == TEAM:
            return s.team or ""
        if column in (TREND, LATEST):
            return s.latest
        if column == CHANGE:
            return s.change if s.change is not None else float("-inf")
        if column == REPORTS:
            return len(s.points)
        # Flags: went backwards first, then the longest stalled.
        return (2 if s.regressed else 0) + (1 if s.stalled else 0) + s.stalled_reports / 10_000

    def _display(self, s: Series, column: int) -> str | None:
        if column == ITEM:
            return s.item
        if column == TEAM:
            return s.team or ""
        if column == LATEST:
            return f"{s.latest:g}%"
        if column == CHANGE:
            return "" if s.change is None else f"{s.change:+g}"
        if column == REPORTS:
            return str(len(s.points))
        if column == FLAGS:
            flags = []
            if s.stalled:
                flags.append(self.tr("stalled for %n reports", "", s.stalled_reports))
            if s.regressed:
                flags.append(self.tr("went backwards"))
            return ", ".join(flags)
        return None  # the trend column is drawn by the delegate


class SparklineDelegate(QStyledItemDelegate):
    """A line of the item's values, 0–100 % bottom to top, the latest point marked."""

    MAX_POINTS = 60  # the latest ones: a sparkline shows the recent trend, not years of history

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        values = index.data(VALUES_ROLE)
        if not isinstance(values, list) or not values:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        shown = values[-self.MAX_POINTS :]
        polygon = self.polygon(option.rect, shown)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
        painter.setPen(QPen(option.palette.color(role), 1.5))
        painter.drawPolyline(polygon)
        painter.setBrush(option.palette.color(role))
        painter.drawEllipse(polygon.at(polygon.size() - 1), 2.0, 2.0)
        painter.restore()

    @staticmethod
    def polygon(rect: QRect, values: Sequence[float]) -> QPolygonF:
        """The points drawn for `values` in `rect` (tests check the geometry, not pixels)."""
        inner = rect.adjusted(4, 3, -4, -3)
        top = max(100.0, max(values))
        step = inner.width() / (len(values) - 1) if len(values) > 1 else 0.0
        points = [
            QPointF(inner.left() + k * step, inner.bottom() - (min(max(v, 0.0), top) / top) * inner.height())
            for k, v in enumerate(values)
        ]
        return QPolygonF(points)
