"""The metrics found in a folder, each with a check box that decides whether the chart shows it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from desktop.core.aliases import AliasTable

_Index = QModelIndex | QPersistentModelIndex
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
# What the search box matches: the name as written plus its English display name.
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3


class MetricListModel(QAbstractListModel):
    """One row per metric name; `checked_changed` fires only when the user toggles a box."""

    checked_changed = Signal(object)

    def __init__(self, aliases: AliasTable | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._aliases = aliases
        self._names: list[str] = []
        self._counts: list[int] = []
        self._english: list[str | None] = []
        self._checked: set[str] = set()

    # --- the API the panel uses -------------------------------------------------------------------

    def set_metrics(self, names_with_counts: Sequence[tuple[str, int]], checked: Iterable[str]) -> None:
        """Replace the rows. A name ends up checked if it is in `checked` or was checked and is still here."""
        names = [name for name, _ in names_with_counts]
        counts = [count for _, count in names_with_counts]
        new_checked = (self._checked | set(checked)) & set(names)
        if names == self._names:
            # Only counts or checks changed (the usual index update): keep the view's scroll and selection.
            self._counts = counts
            self._checked = new_checked
            if names:
                self.dataChanged.emit(self.index(0), self.index(len(names) - 1))
            return
        self.beginResetModel()
        self._names = names
        self._counts = counts
        self._english = [self._english_of(name) for name in names]
        self._checked = new_checked
        self.endResetModel()

    def set_checked(self, names: Iterable[str]) -> None:
        """Check exactly these names (those present); no `checked_changed`, the caller chose them."""
        wanted = set(names) & set(self._names)
        if wanted == self._checked:
            return
        self._checked = wanted
        if self._names:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._names) - 1), [Qt.ItemDataRole.CheckStateRole]
            )

    def checked(self) -> list[str]:
        return [name for name in self._names if name in self._checked]

    def names(self) -> list[str]:
        return list(self._names)

    def counts(self) -> list[tuple[str, int]]:
        """Each metric with its number of reports, as set_metrics had them."""
        return list(zip(self._names, self._counts, strict=True))

    def row_of(self, name: str) -> int:
        try:
            return self._names.index(name)
        except ValueError:
            return -1

    # --- Qt's model interface ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._names):
            return None
        row = index.row()
        name = self._names[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  ({self._counts[row]})"
        if role == Qt.ItemDataRole.ToolTipRole:
            # The English name from the metrics table; a metric it does not know says where it is from.
            return self._english[row] or self.tr("Reported in %n report(s)", "", self._counts[row])
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if name in self._checked else Qt.CheckState.Unchecked
        if role == NAME_ROLE:
            return name
        if role == COUNT_ROLE:
            return self._counts[row]
        if role == SEARCH_ROLE:
            english = self._english[row]
            return f"{name} {english}" if english else name
        return None

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.row() >= len(self._names):
            return False
        # Views hand over the state as an int; tests and other code may pass the enum itself.
        try:
            state = Qt.CheckState(value) if isinstance(value, int) else value
        except ValueError:
            return False
        name = self._names[index.row()]
        now = state == Qt.CheckState.Checked
        if now == (name in self._checked):
            return True
        if now:
            self._checked.add(name)
        else:
            self._checked.discard(name)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit(self.checked())
        return True

    def retranslate(self) -> None:
        """The tooltips read in the interface language (the names stay as the reports write them)."""
        if self._names:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._names) - 1), [Qt.ItemDataRole.ToolTipRole]
            )

    def event(self, event: QEvent) -> bool:
        # Models get no changeEvent, but the chart panel passes LanguageChange on to its child objects.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return super().event(event)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def _english_of(self, name: str) -> str | None:
        info = self._aliases.info(name) if self._aliases is not None else None
        return info.english if info is not None else None


class MetricFilterModel(QSortFilterProxyModel):
    """Case-insensitive search over a MetricListModel; feed it the search box's text."""

    def __init__(self, source: MetricListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(SEARCH_ROLE)
