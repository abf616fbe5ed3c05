"""Item models of the overview page: teams, KPI alerts, incidents, plans and silent topics.

Each row links to its place in a report: LINK_ROLE gives (path, section index or None, line or None),
or None for a row with nowhere to go (a team without a report this week).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Slot

from desktop.core.overview import Alert, IncidentRow, MissingWeek, PlanRow, SilentTopic, TeamRow
from desktop.ui.models.rows import RowsModel

_Role = Qt.ItemDataRole
LINK_ROLE = _Role.UserRole + 1
ROW_ROLE = _Role.UserRole + 2  # the row's record itself

Link = tuple[str, int | None, int | None]
T = TypeVar("T")


def _num(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:g}{unit}"


class _Rows(RowsModel[T]):
    """Rows that each lead somewhere in a report (LINK_ROLE), with a tooltip of their own."""

    def link(self, row: T) -> Link | None:
        raise NotImplementedError

    def tooltip(self, row: T) -> str | None:
        return None

    def role_data(self, row: T, column: int, role: int) -> object:
        if role == _Role.ToolTipRole:
            return self.tooltip(row)
        if role == LINK_ROLE:
            return self.link(row)
        if role == ROW_ROLE:
            return row
        return None


class TeamsModel(_Rows[TeamRow]):
    """Team | Report | Status | Alerts | Missing weeks | Read."""

    numeric = frozenset({3, 4})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._missing: Counter[str] = Counter()
        # The reviewer's memory: a report's path -> "read", "unread" or "changed" (set by the window).
        self.read_state: Callable[[str], str] | None = None

    @Slot()
    def read_states_changed(self) -> None:
        """The reviewer read or marked a report: the Read column is asked again."""
        if self._rows:
            column = len(self.headers()) - 1
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def read_text(self, row: TeamRow) -> str:
        if not row.report or self.read_state is None:
            return "–"
        state = self.read_state(row.report)
        if state == "read":
            return self.tr("read")
        if state == "changed":
            return self.tr("changed since read")
        return self.tr("unread")

    def set_teams(self, teams: Sequence[TeamRow], missing: Sequence[MissingWeek]) -> None:
        self._missing = Counter(m.team for m in missing)
        self.set_rows(teams)

    def headers(self) -> list[str]:
        return [
            self.tr("Team"),
            self.tr("Report"),
            self.tr("Status"),
            self.tr("Alerts"),
            self.tr("Missing weeks"),
            self.tr("Read"),
        ]

    def status_text(self, row: TeamRow) -> str:
        if row.status == "present":
            return self.tr("present")
        return self.tr("missing") if row.due else self.tr("not due (biweekly)")

    def cells(self, row: TeamRow) -> list[str]:
        report = row.label or row.date or row.report or "–"
        return [
            row.team,
            report,
            self.status_text(row),
            str(row.alerts),
            str(self._missing[row.team]),
            self.read_text(row),
        ]

    def link(self, row: TeamRow) -> Link | None:
        return (row.report, None, None) if row.report else None

    def tooltip(self, row: TeamRow) -> str | None:
        return row.report


class AlertsModel(_Rows[Alert]):
    """Team | Metric | Value | Previous | Change | Target | Rule | Source line."""

    numeric = frozenset({2, 3, 4, 5})

    def headers(self) -> list[str]:
        return [
            self.tr("Team"),
            self.tr("Metric"),
            self.tr("Value"),
            self.tr("Previous"),
            self.tr("Change"),
            self.tr("Target"),
            self.tr("Rule"),
            self.tr("Source line"),
        ]

    def rule_text(self, kind: str) -> str:
        if kind == "below_target":
            return self.tr("below target")
        if kind == "anomaly":
            return self.tr("unusual change")
        if kind == "ab_incidents":
            return self.tr("AB-grade incidents")
        return kind

    def cells(self, row: Alert) -> list[str]:
        return [
            row.team,
            row.metric,
            _num(row.value, row.unit),
            _num(row.previous, row.unit),
            row.change.label() if row.change else "–",
            _num(row.target, row.unit),
            self.rule_text(row.kind),
            row.text,
        ]

    def link(self, row: Alert) -> Link | None:
        return (row.report, row.section, row.line)

    def tooltip(self, row: Alert) -> str | None:
        return f"{row.report}:{row.line}"


class IncidentsModel(_Rows[IncidentRow]):
    """Team | Date | Time | Incident, newest first."""

    def headers(self) -> list[str]:
        return [self.tr("Team"), self.tr("Date"), self.tr("Time"), self.tr("Incident")]

    def cells(self, row: IncidentRow) -> list[str]:
        return [row.team, row.date or "–", row.time or "–", row.text]

    def link(self, row: IncidentRow) -> Link | None:
        return (row.report, row.section, row.line)

    def tooltip(self, row: IncidentRow) -> str | None:
        return f"{row.report}:{row.line}"


class PlansModel(_Rows[PlanRow]):
    """Team | Item | Status | Weeks open; a row opens the line that shows it, else the plan's own line."""

    numeric = frozenset({3})

    def headers(self) -> list[str]:
        return [self.tr("Team"), self.tr("Plan item"), self.tr("Status"), self.tr("Weeks open")]

    def status_text(self, status: str) -> str:
        if status == "done":
            return self.tr("done")
        if status == "in_progress":
            return self.tr("in progress")
        return self.tr("not found")

    def cells(self, row: PlanRow) -> list[str]:
        return [row.team, row.item, self.status_text(row.status), str(row.weeks_open)]

    def link(self, row: PlanRow) -> Link | None:
        if row.evidence_line is not None:
            return (row.report, None, row.evidence_line)
        return (row.plan_report, None, row.plan_line)

    def tooltip(self, row: PlanRow) -> str | None:
        return row.evidence


class SilentTopicsModel(_Rows[SilentTopic]):
    """Team | Topic | Last seen | Weeks silent; a row opens the topic where it was last written."""

    numeric = frozenset({3})

    def headers(self) -> list[str]:
        return [self.tr("Team"), self.tr("Topic"), self.tr("Last seen"), self.tr("Weeks silent")]

    def cells(self, row: SilentTopic) -> list[str]:
        return [row.team, row.topic, row.last_seen, str(row.weeks_silent)]

    def link(self, row: SilentTopic) -> Link | None:
        return (row.report, row.section, row.line)

    def tooltip(self, row: SilentTopic) -> str | None:
        return row.report


class FollowUpRowsModel(_Rows[dict[str, object]]):
    """Team | Week | Section | Follow-up | Age: the reviewer's open follow-ups, as the digest lists them."""

    numeric = frozenset({4})

    def headers(self) -> list[str]:
        return [self.tr("Team"), self.tr("Week"), self.tr("Section"), self.tr("Follow-up"), self.tr("Age")]

    def cells(self, row: dict[str, object]) -> list[str]:
        age = row.get("age_days")
        return [
            str(row.get("team") or ""),
            str(row.get("week") or row.get("label") or ""),
            str(row.get("section") or "–"),
            str(row.get("text") or ""),
            "" if age is None else self.tr("%1 d").replace("%1", str(age)),
        ]

    def link(self, row: dict[str, object]) -> Link | None:
        report = row.get("report")
        return (str(report), None, None) if report else None

    def tooltip(self, row: dict[str, object]) -> str | None:
        return str(row.get("report") or "") or None
