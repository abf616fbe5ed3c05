"""Light and dark: follow the system's colour scheme, or the user's choice in View → Theme.

Qt's style hints report the system scheme where the platform knows it; a choice is applied with the
Fusion style and a palette of our own, because not every platform honours a requested scheme.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        _Role.Window: "#202327",
        _Role.WindowText: "#e6edf3",
        _Role.Base: "#16191d",
        _Role.AlternateBase: "#1d2126",
        _Role.ToolTipBase: "#2b3036",
        _Role.ToolTipText: "#e6edf3",
        _Role.Text: "#e6edf3",
        _Role.Button: "#2a2e34",
        _Role.ButtonText: "#e6edf3",
        _Role.BrightText: "#ff7b72",
        _Role.Link: "#58a6ff",
        _Role.Highlight: "#2f6fb5",
        _Role.HighlightedText: "#ffffff",
        _Role.PlaceholderText: "#8b949e",
        _Role.Mid: "#3a3f46",
        _Role.Dark: "#101215",
        _Role.Light: "#3a3f46",
        _Role.Midlight: "#30353b",
        _Role.Shadow: "#000000",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (_Role.Text, _Role.WindowText, _Role.ButtonText):
        palette.setColor(_Group.Disabled, role, QColor("#6e7681"))
    return palette


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


# Fusion outlines an unchecked box in the window colour made darker, which vanishes on a dark base
# (in lists, check boxes and checkable menu items alike); only that state is drawn by a style sheet,
# the others stay Fusion's own.
_DARK_SHEET = (
    "QAbstractItemView::indicator:unchecked, QCheckBox::indicator:unchecked,"
    " QMenu::indicator:non-exclusive:unchecked {"
    " border: 1px solid #8b949e; border-radius: 2px; background: #16191d; width: 12px; height: 12px; }"
    " QMenu::indicator:exclusive:unchecked {"
    " border: 1px solid #8b949e; border-radius: 6px; background: #16191d; width: 11px; height: 11px; }"
)


class ThemeSwitch:
    """Remembers the platform's own style so that "follow the system" can restore it exactly."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._system_style = app.style().name()
        self._system_palette = QPalette(app.palette())
        self.choice = "system"

    @property
    def dark(self) -> bool:
        return self.choice == "dark" or (self.choice == "system" and system_is_dark())

    def apply(self, choice: str) -> bool:
        """Apply "system", "light" or "dark"; returns whether the result is dark."""
        self.choice = choice if choice in ("light", "dark") else "system"
        if self.choice == "system":
            self._app.setStyle(QStyleFactory.create(self._system_style) or self._app.style())
            self._app.setPalette(self._system_palette)
        else:
            fusion = QStyleFactory.create("Fusion")
            if fusion is not None:
                self._app.setStyle(fusion)
            self._app.setPalette(
                dark_palette() if self.choice == "dark" else self._app.style().standardPalette()
            )
        self._app.setStyleSheet(_DARK_SHEET if self.choice == "dark" else "")
        return self.dark
