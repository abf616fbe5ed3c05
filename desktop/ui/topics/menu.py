""" "Timeline of this topic" for the context menu of a section (in the tree and in the viewer)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction


class TimelineAction(QAction):
    """A menu entry that asks for the timeline of one section's topic (its title as written)."""

    timeline_requested = Signal(str, object)  # section title, team (None: all teams)

    def __init__(self, title: str, team: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.team = team
        self.setText(self.tr("Timeline of this topic"))
        self.triggered.connect(self._on_self_triggered)

    @Slot()
    def _on_self_triggered(self) -> None:
        self.timeline_requested.emit(self.title, self.team)
