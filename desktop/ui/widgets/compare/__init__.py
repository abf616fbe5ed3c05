"""Two weeks side by side: the view and the controls and panes it is built from."""

from desktop.ui.widgets.compare.controls import CompareBar, PairingRow
from desktop.ui.widgets.compare.parts import ChangeOverview, DiffPane, FigureTables
from desktop.ui.widgets.compare.view import CompareView

__all__ = ["ChangeOverview", "CompareBar", "CompareView", "DiffPane", "FigureTables", "PairingRow"]
