"""The mouse on the chart's plots: a label on the point under it, and the report behind a clicked point."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Signal, Slot

# isort: split
# pyqtgraph picks its Qt binding when first imported: PySide6 must be loaded before it.
import pyqtgraph as pg

from desktop.ui.widgets.chart.items import Series, point_text

_HOVER_PX = 12  # how near (in pixels) the mouse must be to a point for its label


class ChartPointer(QObject):
    """Hover labels and clicks for the series on the plots, the nearest point within a few pixels."""

    row_clicked = Signal(object)  # the MetricRow of the point (or the dense line) clicked

    def __init__(self, views: Mapping[str, Any], parent: QObject) -> None:
        super().__init__(parent)
        self._plots: list[Any] = []  # the pg.PlotWidgets
        self._by_item: dict[int, Series] = {}
        self._shown: list[Series] = []  # in the order they were made: on a tie, the older one wins
        self._labels: dict[str, Any] = {}  # place -> pg.TextItem
        self._fill: tuple[Any, Any, Any] | None = None  # the colours of set_colours, for later views
        for place, view in views.items():
            self.add_view(place, view)

    def watch_plot(self, widget: Any) -> None:
        """Follow the mouse over a plot (pg.PlotWidget)."""
        self._plots.append(widget)
        widget.installEventFilter(self)
        widget.getPlotItem().scene().sigMouseMoved.connect(self._on_scene_mouse_moved)

    def add_view(self, place: str, view: Any) -> None:
        """A hover label for the series drawn in this view."""
        label = pg.TextItem(anchor=(0, 1))
        label.setZValue(100)
        label.hide()
        view.addItem(label, ignoreBounds=True)
        self._labels[place] = label
        if self._fill is not None:
            self._colour(label)

    def watch(self, series: Series) -> None:
        """Take clicks on a new series' points, and on its line once it is dense."""
        series.item.sigPointsClicked.connect(self._on_series_points_clicked)
        series.item.sigClicked.connect(self._on_series_curve_clicked)
        self._by_item[id(series.item)] = series

    def set_shown(self, shown: list[Series]) -> None:
        wanted = set(shown)
        self._shown = [s for s in self._by_item.values() if s in wanted]

    def set_colours(self, foreground: str, fill: tuple[int, int, int, int], border: str) -> None:
        self._fill = (foreground, fill, border)
        for label in self._labels.values():
            self._colour(label)

    def _colour(self, label: Any) -> None:
        assert self._fill is not None
        foreground, fill, border = self._fill
        label.setColor(foreground)
        label.fill = pg.mkBrush(fill)
        label.border = pg.mkPen(border)

    def text(self) -> str | None:
        """The hover text now shown, or None."""
        for label in self._labels.values():
            if label.isVisible():
                return str(label.textItem.toPlainText())
        return None

    def click(self, series: Series, index: int) -> None:
        """Click the index-th point of a shown series, through the same slot a mouse click reaches."""
        x, y = series.x[index], series.y[index]
        spots = [p for p in series.item.scatter.points() if p.pos().x() == x and p.pos().y() == y]
        if spots:
            self._on_series_points_clicked(series.item, spots, None)
        else:  # thinned out of the display by downsampling: the row is still there
            self.row_clicked.emit(series.rows[index])

    def _hover(self, scene: Any, pos: QPointF) -> None:
        best: tuple[float, Series, int] | None = None
        for series in self._shown:
            # isVisible: a click on a legend sample hides its curve (pyqtgraph's own toggle).
            if series.view.scene() is not scene or not series.item.isVisible():
                continue
            view = series.view
            if not view.sceneBoundingRect().contains(pos):
                continue
            at = view.mapSceneToView(pos)
            pw, ph = view.viewPixelSize()
            if pw <= 0 or ph <= 0:
                continue
            d2 = ((series.x - at.x()) / pw) ** 2 + ((series.y - at.y()) / ph) ** 2
            i = int(np.argmin(d2))
            if best is None or d2[i] < best[0]:
                best = (float(d2[i]), series, i)
        self._hide()
        if best is None or best[0] > _HOVER_PX**2:
            return
        _, series, i = best
        label = self._labels[series.place]
        label.setText(point_text(series.name, series.rows, i, series.higher_is_better))
        (x0, x1), (y0, y1) = series.view.viewRange()
        x, y = series.x[i], series.y[i]
        # Open the label towards the middle of the plot so it is never cut off at an edge.
        label.setAnchor((1 if x > (x0 + x1) / 2 else 0, 0 if y > (y0 + y1) / 2 else 1))
        label.setPos(x, y)
        label.show()

    def _hide(self) -> None:
        for label in self._labels.values():
            label.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave and watched in self._plots:
            self._hide()
        return super().eventFilter(watched, event)

    @Slot(object, object, object)
    def _on_series_points_clicked(self, item: Any, points: Any, _event: Any) -> None:
        series = self._by_item.get(id(item))
        if series is None or len(points) == 0 or series.x.size == 0:
            return
        pos = points[0].pos()
        # The display may be thinned or clipped, so find the row by position, not by point index.
        d = np.abs(series.x - pos.x()) + np.abs(series.y - pos.y())
        self.row_clicked.emit(series.rows[int(np.argmin(d))])

    @Slot(object, object)
    def _on_series_curve_clicked(self, item: Any, event: Any) -> None:
        """A click on a dense series' line: the report nearest in time to where it was clicked."""
        series = self._by_item.get(id(item))
        if series is None or not series.dense or series.x.size == 0 or event is None:
            return
        self.row_clicked.emit(series.rows[int(np.argmin(np.abs(series.x - event.pos().x())))])

    @Slot(object)
    def _on_scene_mouse_moved(self, pos: QPointF) -> None:
        self._hover(self.sender(), pos)  # each plot has its scene: only its series are near
