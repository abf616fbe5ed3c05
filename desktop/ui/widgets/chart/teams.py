"""Which team's series the chart draws: every team's when there are a few, else one team at a time.

Thirty-nine teams each charting six KPIs made 234 lines and legend entries: unreadable, and seconds of
drawing on every resize. With more than ALL_TEAMS_MAX teams the chart follows the team of the report
that is open, until the reader picks a team (or "All teams") in the box; that choice then holds for
the folder. The chart's presenter then loads that team's rows alone (chart_series.ALL_TEAMS_MAX).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import QComboBox, QWidget

from desktop.ui.models.chart_series import first_team


class TeamBox(QComboBox):
    team_changed = Signal()  # the team shown (see `team`) is another one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._teams: list[str] = []
        self._report_team: Mapping[str, str | None] = {}
        self._chosen: tuple[str | None] | None = None  # the reader's pick (None inside: all teams)
        self._report: str | None = None  # the open report (its team may come with later rows)
        self.team: str | None = None  # the team charted, or None for every team
        # The team whose rows were loaded last (the loader picks one before a report is open): shown
        # while the reader has neither picked one nor opened a report, so that no other is asked for.
        self.loaded: str | None = None
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activated.connect(self._on_activated)
        self.hide()
        self.retranslate()

    def set_teams(self, teams: Sequence[str], report_team: Mapping[str, str | None]) -> None:
        """The folder's teams (sorted) and each charted report's team, from the chart's rows."""
        self._report_team = report_team
        if list(teams) != self._teams:
            self._teams = list(teams)
            self.blockSignals(True)
            try:
                self.clear()
                self.addItem("", None)
                for team in self._teams:
                    self.addItem(team, team)
            finally:
                self.blockSignals(False)
            self.retranslate()
            self.setVisible(len(self._teams) > 1)
        self._settle()

    def follow(self, report: str | None) -> None:
        """A report was opened: without a pick of the reader's, many teams chart the report's team."""
        if report:
            self._report = report
            self._settle()

    def reset(self) -> None:
        """Another folder: its teams come with its rows, and the last folder's pick is forgotten.

        Quietly: the presenter starts the new folder's first load at AUTO, and an "all teams" from
        here would make it load every team's rows instead (283,000 at 50,000 reports)."""
        self._chosen, self._report, self.team, self.loaded = None, None, None, None
        self.set_teams([], {})

    def retranslate(self) -> None:
        if self.count():
            self.setItemText(0, self.tr("All teams"))
        self.setToolTip(self.tr("The team whose KPIs are charted"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _settle(self) -> None:
        if self._chosen is not None and (self._chosen[0] is None or self._chosen[0] in self._teams):
            team = self._chosen[0]
        elif self._report is None and self.loaded in self._teams:
            team = self.loaded
        else:
            team = first_team(self._teams, self._report_team, self._report)
        index = self.findData(team) if team is not None else 0
        if index >= 0 and index != self.currentIndex():
            self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(False)
        if team != self.team:
            self.team = team
            self.team_changed.emit()

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        data = self.itemData(index)
        self._chosen = (data if isinstance(data, str) else None,)
        self._settle()
