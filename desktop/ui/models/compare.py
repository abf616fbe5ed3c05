"""The tables above the side-by-side comparison: key figures of both weeks, and last week's plan checked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.core.compare import MetricDelta, PlanCheck
from desktop.core.compare_html import (
    direction_color,
    format_delta,
    format_number,
    plan_color,
    plan_mark,
)
from desktop.core.render import LIGHT, Palette

_Index = QModelIndex | QPersistentModelIndex
_Role = Qt.ItemDataRole
METRIC_ROLE = _Role.UserRole + 1  # CompareMetricsModel: the MetricDelta of the row
CHECK_ROLE = _Role.UserRole + 2  # PlanModel: the PlanCheck of the row
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class _Table(QAbstractTableModel):
    """Rows of one dataclass per line, a fixed number of columns, read-only.

    Header texts and status words are looked up when asked for, so they follow the interface language;
    `retranslate` (called on LanguageChange, which the owning widget passes on) tells the views.
    """

    def __init__(self, columns: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self.palette_colors: Palette = LIGHT

    def _count(self) -> int:
        raise NotImplementedError

    def _headers(self) -> list[str]:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self._columns - 1)
        if self._count():
            self.dataChanged.emit(self.index(0, 0), self.index(self._count() - 1, self._columns - 1))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return super().event(event)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._columns

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _Role.DisplayRole) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _Role.DisplayRole and 0 <= section < self._columns:
            return self._headers()[section]
        return None

    def set_palette(self, palette: Palette) -> None:
        self.palette_colors = palette
        if self._count():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self._count() - 1, self._columns - 1),
                [_Role.ForegroundRole],
            )

    def _valid(self, index: _Index) -> bool:
        return index.isValid() and 0 <= index.row() < self._count() and 0 <= index.column() < self._columns


class CompareMetricsModel(_Table):
    """Metric | <older week> | <newer week> | Δ, the Δ coloured by whether the change is good news."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(4, parent)
        self._rows: list[MetricDelta] = []
        self._sides: tuple[str | None, str | None] = (None, None)  # the two weeks' names, None: generic

    def _count(self) -> int:
        return len(self._rows)

    def _headers(self) -> list[str]:
        left, right = self._sides
        return [self.tr("Metric"), left or self.tr("Older"), right or self.tr("Newer"), self.tr("Δ")]

    def set_metrics(
        self, metrics: Sequence[MetricDelta], left_label: str | None = None, right_label: str | None = None
    ) -> None:
        """The rows, and the weeks' names for the two value columns (None: "Older" and "Newer")."""
        self.beginResetModel()
        self._rows = list(metrics)
        self._sides = (left_label, right_label)
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self._columns - 1)

    def metric(self, row: int) -> MetricDelta | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _delta_text(self, m: MetricDelta) -> str:
        if m.left is None:
            return self.tr("new")
        if m.right is None:
            return self.tr("gone")
        return format_delta(m)

    def data(self, index: _Index, role: int = _Role.DisplayRole) -> object:
        if not self._valid(index):
            return None
        m, column = self._rows[index.row()], index.column()
        if role == _Role.DisplayRole:
            return (
                (m.metric, format_number(m.left, m.left_shown_unit), format_number(m.right, m.unit))[column]
                if column < 3
                else self._delta_text(m)
            )
        if role == _Role.ForegroundRole and column == 3:
            return QColor(direction_color(m.direction, self.palette_colors))
        if role == _Role.TextAlignmentRole and column > 0:
            return _RIGHT
        if role == _Role.ToolTipRole:
            return self._tooltip(m)
        if role == METRIC_ROLE:
            return m
        return None

    def _tooltip(self, m: MetricDelta) -> str:
        words = {
            "better": self.tr("better"),
            "worse": self.tr("worse"),
            "same": self.tr("unchanged"),
        }
        if m.left is None or m.right is None:
            verdict = self.tr("only in one of the two weeks")
        elif m.delta is None:
            verdict = self.tr("not comparable (different units)")
        else:
            verdict = words.get(m.direction or "", self.tr("no known better direction"))
        shown = f"{format_number(m.left, m.left_shown_unit)} → {format_number(m.right, m.unit)}"
        return f"{m.metric}: {shown} ({verdict})"


class PlanModel(_Table):
    """Item | Status | Evidence: each item the older week planned, looked for in the newer week."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(3, parent)
        self._rows: list[PlanCheck] = []

    def _count(self) -> int:
        return len(self._rows)

    def _headers(self) -> list[str]:
        return [self.tr("Planned item"), self.tr("Status"), self.tr("Evidence")]

    def set_plan(self, plan: Sequence[PlanCheck]) -> None:
        self.beginResetModel()
        self._rows = list(plan)
        self.endResetModel()

    def check(self, row: int) -> PlanCheck | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _status(self, check: PlanCheck) -> str:
        words = {
            "done": self.tr("done"),
            "in_progress": self.tr("in progress"),
            "not_found": self.tr("not found"),
        }
        return f"{plan_mark(check.status)} {words.get(check.status, check.status)}"

    def data(self, index: _Index, role: int = _Role.DisplayRole) -> object:
        if not self._valid(index):
            return None
        check, column = self._rows[index.row()], index.column()
        if role == _Role.DisplayRole:
            return (check.item, self._status(check), check.evidence or "")[column]
        if role == _Role.ForegroundRole and column == 1:
            return QColor(plan_color(check.status, self.palette_colors))
        if role == _Role.ToolTipRole:
            if column == 2 and check.evidence:
                return (
                    self.tr("Line %1: %2")
                    .replace("%1", str(check.evidence_line))
                    .replace("%2", check.evidence)
                )
            return check.item if column == 0 else None
        if role == CHECK_ROLE:
            return check
        return None
