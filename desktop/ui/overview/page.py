"""The Monday overview page: a week picker, one row per team, and the week's alerts, incidents, plans
and silent topics. Every row opens its report at the section or line it came from.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.digest import render, write_refusal
from desktop.core.overview import Overview
from desktop.ui.overview.models import (
    LINK_ROLE,
    AlertsModel,
    FollowUpRowsModel,
    IncidentsModel,
    PlansModel,
    SilentTopicsModel,
    TeamsModel,
)
from desktop.ui.overview.presenter import OverviewPresenter, OverviewResult
from desktop.ui.view_state import ViewState


def _table(model: QAbstractItemModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


class OverviewPage(QWidget):
    """Give it a cache with `set_folder`; it computes on the presenter's thread and shows the answer."""

    report_activated = Signal(str, object, object)  # path, section index or None, line or None
    overview_shown = Signal(str)  # the week now shown ("" for a folder without dated reports)

    def __init__(
        self,
        presenter: OverviewPresenter | None = None,
        state: ViewState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.presenter = presenter or OverviewPresenter(parent=self)
        self._state = state
        self._cache: Path | None = None
        self._root = ""
        self._overview: Overview | None = None

        self._week_label = QLabel()
        self.week_box = QComboBox()
        self.week_box.setObjectName("overview-week")
        self.week_box.setMinimumContentsLength(9)
        self.status = QLabel()
        self.status.setObjectName("overview-status")
        top = QHBoxLayout()
        top.addWidget(self._week_label)
        top.addWidget(self.week_box)
        top.addWidget(self.status, 1)

        self.teams = TeamsModel(self)
        self.alerts = AlertsModel(self)
        self.incidents = IncidentsModel(self)
        self.plans = PlansModel(self)
        self.silent = SilentTopicsModel(self)
        self.follow_ups = FollowUpRowsModel(self)
        self.teams_view = _table(self.teams, "overview-teams")
        self.tabs = QTabWidget()
        self.views: dict[str, QTableView] = {"teams": self.teams_view}
        for key, model in (
            ("alerts", self.alerts),
            ("incidents", self.incidents),
            ("plans", self.plans),
            ("silent", self.silent),
            ("follow_ups", self.follow_ups),
        ):
            view = _table(model, f"overview-{key}")
            self.views[key] = view
            self.tabs.addTab(view, "")
        for view in self.views.values():
            view.activated.connect(self._on_view_activated)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.teams_view, 1)
        layout.addWidget(self.tabs, 2)

        self.week_box.currentIndexChanged.connect(self._on_week_box_current_index_changed)
        self.presenter.overview_loaded.connect(self._on_presenter_overview_loaded)
        self.presenter.overview_failed.connect(self._on_presenter_overview_failed)
        self._retranslate()

    # --- What the window calls ---------------------------------------------------------------

    @property
    def overview(self) -> Overview | None:
        """The overview shown, None before the first answer or for a folder without dated reports."""
        return self._overview

    def set_folder(self, cache_path: Path, root_name: str) -> None:
        """Show the latest week of the folder whose cache is at `cache_path` (root_name: its folder name)."""
        self._cache, self._root = cache_path, root_name
        self.refresh(week=None)

    def clear(self) -> None:
        """Another folder: nothing of the previous one stays on the page (set_folder fills it again)."""
        self.presenter.cancel()
        self._cache, self._root, self._overview = None, "", None
        self.week_box.blockSignals(True)
        self.week_box.clear()
        self.week_box.blockSignals(False)
        for model in (self.alerts, self.incidents, self.plans, self.silent, self.follow_ups):
            model.set_rows([])
        self.teams.set_teams([], [])
        self.status.setText("")
        self._retranslate_tabs()

    def show_week(self, week: str) -> None:
        self.refresh(week=week)

    def refresh(self, week: str | None = "") -> None:
        """Recompute (after the index changed): the week shown, or `week`; None for the latest."""
        if self._cache is None:
            return
        if week == "":
            week = self._overview.week if self._overview else None
        self.status.setText(self.tr("Reading…"))
        self.presenter.load(self._cache, self._root, week)

    def shutdown(self) -> None:
        """Stop the presenter's thread (the window calls this when it closes)."""
        self.presenter.shutdown()

    def digest_text(self, fmt: str) -> str | None:
        """The digest of the week shown, in "json", "md" or "html"; None while there is none."""
        return render(self._overview, fmt) if self._overview is not None else None

    def export_digest(self, out: Path, fmt: str, folder: Path) -> str | None:
        """Write the digest to `out`; the reason in one line when it is refused or fails, else None."""
        text = self.digest_text(fmt)
        if text is None:
            return self.tr("There is no overview to export yet.")
        refusal = write_refusal(out, folder)
        if refusal is not None:
            return refusal
        try:
            out.write_text(text, encoding="utf-8", newline="\n")
        except OSError as exc:
            return f"{out}: {exc.strerror or exc}"
        return None

    # --- Slots -------------------------------------------------------------------------------

    @Slot(object)
    def _on_presenter_overview_loaded(self, result: OverviewResult) -> None:
        overview = result.overview
        self._overview = overview
        self.week_box.blockSignals(True)
        self.week_box.clear()
        self.week_box.addItems(result.weeks)
        if overview is not None:
            self.week_box.setCurrentIndex(result.weeks.index(overview.week))
        self.week_box.blockSignals(False)
        if overview is None:
            for model in (self.alerts, self.incidents, self.plans, self.silent, self.follow_ups):
                model.set_rows([])
            self.teams.set_teams([], [])
            self.status.setText(self.tr("No dated reports in this folder."))
        else:
            self.teams.set_teams(overview.teams, overview.missing)
            self.alerts.set_rows(overview.alerts)
            self.incidents.set_rows(overview.incidents)
            self.plans.set_rows(overview.plans)
            self.silent.set_rows(overview.silent_topics)
            self.follow_ups.set_rows(overview.follow_ups)
            self.status.setText("")
        self._retranslate_tabs()
        for view in self.views.values():
            view.resizeColumnsToContents()
        self._fit_teams()
        self._show_a_filled_tab()
        self.overview_shown.emit(overview.week if overview else "")

    def _fit_teams(self) -> None:
        # A few teams take the few rows they need; the week's findings below get the rest of the page.
        view = self.teams_view
        rows = sum(view.rowHeight(r) for r in range(self.teams.rowCount()))
        minimum = 3 * view.verticalHeader().defaultSectionSize()
        view.setMaximumHeight(view.horizontalHeader().sizeHint().height() + max(rows, minimum) + 4)

    def _show_a_filled_tab(self) -> None:
        # An empty tab in front would hide what the week holds: the first one with rows comes forward.
        current = self.tabs.currentWidget()
        if isinstance(current, QTableView) and current.model().rowCount():
            return
        for i in range(self.tabs.count()):
            view = self.tabs.widget(i)
            if isinstance(view, QTableView) and view.model().rowCount():
                self.tabs.setCurrentIndex(i)
                return

    @Slot(str)
    def _on_presenter_overview_failed(self, message: str) -> None:
        self.status.setText(self.tr("Could not read the overview: %1").replace("%1", message))

    @Slot(int)
    def _on_week_box_current_index_changed(self, index: int) -> None:
        if index >= 0:
            self.show_week(self.week_box.itemText(index))

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        link = index.data(LINK_ROLE)
        if not link:
            return
        path, section, line = link
        self.report_activated.emit(path, section, line)
        if self._state is not None:
            self._state.show_report(path, section, line=line)

    # --- Language ----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            for model in (self.teams, self.alerts, self.incidents, self.plans, self.silent, self.follow_ups):
                model.event(event)
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self._week_label.setText(self.tr("Week:"))
        self._retranslate_tabs()

    def _retranslate_tabs(self) -> None:
        o = self._overview
        counts = (
            (len(o.alerts), len(o.incidents), len(o.plans), len(o.silent_topics), len(o.follow_ups))
            if o
            else (0, 0, 0, 0, 0)
        )
        titles = (
            self.tr("KPI alerts (%1)"),
            self.tr("Incidents (%1)"),
            self.tr("Plans (%1)"),
            self.tr("Silent topics (%1)"),
            self.tr("Open follow-ups (%1)"),
        )
        for i, (title, n) in enumerate(zip(titles, counts, strict=True)):
            self.tabs.setTabText(i, title.replace("%1", str(n)))
