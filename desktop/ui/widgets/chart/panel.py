"""The KPI chart on the right of the main window: two plots above, a searchable check list of metrics below.

The panel turns the folder's metric rows into one series per (metric, team) and hands the checked ones
to its plots (plots). A series gets its PlotDataItem the first time it is shown; later updates
only call setData and toggle visibility.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.aliases import AliasTable
from desktop.store.queries import MetricRow
from desktop.ui.exports import write_csv
from desktop.ui.models.chart_series import SeriesRows, group_rows
from desktop.ui.models.metric_list import MetricFilterModel, MetricListModel
from desktop.ui.widgets.chart.image import ImageHeader, logical_size, render
from desktop.ui.widgets.chart.items import (
    LEFT,
    RATES,
    RIGHT,
    Series,
    is_incident_count,
    number,
    own_place,
    point_text,
    series_name,
)
from desktop.ui.widgets.chart.plots import ChartPlots, ChartTexts
from desktop.ui.widgets.chart.teams import TeamBox

if TYPE_CHECKING:
    from desktop.ui.presenters.chart import ChartPresenter

CSV_HEADER = ("report", "label", "date", "team", "metric", "value", "unit", "section", "line")


class ChartPanel(QWidget):
    metrics_chosen = Signal(object)  # the checked metric names, after the user changed them
    point_clicked = Signal(str, int)  # report path, section index or -1
    defaults_requested = Signal()  # "Defaults": chart the default metrics again, forget the choice
    figures_toggled = Signal(bool)  # "All figures": list one-off labelled numbers beside the KPIs

    def __init__(
        self, aliases: AliasTable, parent: QWidget | None = None, *, presenter: ChartPresenter | None = None
    ) -> None:
        super().__init__(parent)
        self._aliases = aliases
        self._presenter = presenter
        self._rows: list[MetricRow] = []
        self._groups: dict[tuple[str, str | None], list[MetricRow]] = {}
        self._any_metrics = False  # the folder has metrics, charted or not
        self._series: dict[tuple[str, str | None], Series] = {}
        self._wanted: set[str] | None = None  # None until someone chooses: the defaults apply
        self._target_visible = True
        self._stamps: dict[str, float] = {}
        self._grouped = SeriesRows()
        self._rates_title: str | None = None  # the top plot titled after what it shows (a work item)
        self._loading = False  # a folder is opening: its metrics are on their way
        # Every report's team as the presenter last gave it (its rows may be one team's alone), for
        # rows set without their grouping (a charted work item's); None without a presenter.
        self._folder_teams: dict[str, str | None] | None = None

        self.metric_model = MetricListModel(aliases, self)
        self._proxy = MetricFilterModel(self.metric_model, self)
        self._plots = ChartPlots(self._plot_texts(), self)
        self._build_picker()
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._plots)
        splitter.addWidget(self._picker)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._plots.pointer.row_clicked.connect(self._on_pointer_row_clicked)
        self.metric_model.checked_changed.connect(self._on_metric_model_checked_changed)
        self._retranslate_picker()
        self._refresh()
        if presenter is not None:
            presenter.data_loaded.connect(self._on_presenter_data_loaded)
            presenter.cleared.connect(self._on_presenter_cleared)
            self.metrics_chosen.connect(presenter.choose)
            self.defaults_requested.connect(presenter.restore_defaults)
            self.figures_toggled.connect(presenter.set_show_figures)

    def retranslate(self) -> None:
        """Every text of the panel in the interface language; metric names stay as the reports write them."""
        self._retranslate_picker()
        self._plots.set_texts(self._plot_texts())
        self._refresh()  # the empty-state message and the legends

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _retranslate_picker(self) -> None:
        self._search.setPlaceholderText(self.tr("Filter metrics…"))
        self._target_box.setText(self.tr("Target"))
        self._target_box.setToolTip(self.tr("Show the target of the charted rates as a dashed line"))
        self._reset_button.setText(self.tr("Reset zoom"))
        self._figures_box.setText(self.tr("All figures"))
        self._figures_box.setToolTip(
            self.tr("Also list one-off labelled numbers, not only the KPIs that recur across reports")
        )
        self._defaults_button.setText(self.tr("Defaults"))
        self._defaults_button.setToolTip(self.tr("Chart this folder's default metrics again"))

    def _plot_texts(self) -> ChartTexts:
        return ChartTexts(
            rates_title=self._rates_title or self.tr("Success rates"),
            stability_title=self.tr("Availability & incidents"),
            availability_title=self.tr("Availability"),
            incidents_title=self.tr("Incidents"),
            incidents_axis=self.tr("incidents"),
            target=self.tr("target %1"),
            right_axis=self.tr("%1 (right axis)"),
        )

    # The plots' parts, under the names they had when they were the panel's own (tests look at them).

    @property
    def _rates(self) -> Any:
        return self._plots.rates

    @property
    def _legends(self) -> dict[str, Any]:
        self._plots.flush_legends()
        return self._plots.legends

    @property
    def _targets(self) -> dict[float, Any]:
        return self._plots.targets.lines

    # --- construction -------------------------------------------------------------------------------

    def _build_picker(self) -> None:
        self._picker = QWidget(self)
        self._search = QLineEdit(self._picker)
        self._search.setClearButtonEnabled(True)
        self._search.textChanged.connect(self._on_search_text_changed)
        self._target_box = QCheckBox(self._picker)
        self._target_box.setChecked(True)
        self._target_box.toggled.connect(self._on_target_box_toggled)
        self._reset_button = QToolButton(self._picker)
        self._reset_button.clicked.connect(self._on_reset_button_clicked)
        self._defaults_button = QToolButton(self._picker)
        self._defaults_button.clicked.connect(self._on_defaults_button_clicked)
        self._figures_box = QCheckBox(self._picker)
        self._figures_box.toggled.connect(self.figures_toggled)
        self.team_box = TeamBox(self._picker)
        self.team_box.team_changed.connect(self._on_team_box_team_changed)
        self._list = QListView(self._picker)
        self._list.setModel(self._proxy)
        self._list.setUniformItemSizes(True)
        # Two rows: on a laptop screen one row left the filter field too narrow for its own hint.
        top = QHBoxLayout()
        top.addWidget(self._search, 1)
        top.addWidget(self.team_box)
        options = QHBoxLayout()
        options.addWidget(self._target_box)
        options.addWidget(self._figures_box)
        options.addStretch(1)
        options.addWidget(self._reset_button)
        options.addWidget(self._defaults_button)
        layout = QVBoxLayout(self._picker)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self._list)

    # --- public API ---------------------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[MetricRow],
        names: Sequence[tuple[str, int]] | None = None,
        grouped: SeriesRows | None = None,
    ) -> None:
        """The folder's metric rows in week order; called again on every index update.

        names lists every metric of the folder with its number of reports, for when rows hold only the
        charted metrics' values; without it, the list is made from rows. grouped is group_rows(rows),
        when the loader's thread has made it already.
        """
        self._rows = list(rows)
        if grouped is None:
            grouped = group_rows(self._rows, self._stamps)
            if self._folder_teams is not None:
                grouped.report_team = self._folder_teams
        self._grouped = grouped
        self._stamps = grouped.stamps
        self.team_box.set_teams(grouped.teams, grouped.report_team)
        by_sequence = grouped.axis == "sequence"
        if by_sequence != self._plots.by_sequence:
            self._plots.set_by_sequence(by_sequence)
            self._plots.user_ranged = False  # a zoom in dates means nothing in issue numbers
        self._groups = grouped.groups
        reports = grouped.reports
        if names is None:
            names = [(n, len(reports[n])) for n in sorted(reports, key=lambda n: (-len(reports[n]), n))]
        self._any_metrics = bool(names)
        present = {name for name, _count in names}
        wanted = set(self._aliases.charted_by_default()) if self._wanted is None else self._wanted
        if self._wanted is None and names and not wanted & present:
            # None of the usual KPIs here (an English team, another trade): start with the most common.
            wanted = {names[0][0]}
        self.metric_model.set_metrics(list(names), wanted & present)
        self.metric_model.set_checked(wanted & present)
        for series in self._series.values():
            series.stale = True
        self._refresh()

    @Slot(object)
    def follow_report(self, path: str | None) -> None:
        """The report now open: with many teams, the chart shows that report's team (see TeamBox)."""
        if self._presenter is not None:
            self._presenter.follow(path)
        self.team_box.follow(path)

    def set_checked(self, names: Sequence[str]) -> None:
        """Choose the shown metrics (e.g. restored from settings); kept for names that come later."""
        if set(names) == self._wanted:
            return  # the window restores the same choice on every index update: keep the user's zoom
        self._wanted = set(names)
        self.metric_model.set_checked(self._wanted)
        self._plots.user_ranged = False
        self._refresh()

    def checked(self) -> list[str]:
        return self.metric_model.checked()

    def series(self, metric: str, team: str | None = None) -> Any:
        """The shown PlotDataItem of (metric, team), or None when it is not on the chart."""
        series = self._series.get((metric, team))
        return series.item if series is not None and series in self._plots.shown else None

    def hover_text_at(self, metric: str, index: int, team: str | None = None) -> str:
        info = self._aliases.info(metric)
        better = info.higher_is_better if info is not None else None
        return point_text(series_name(metric, team), self._groups[(metric, team)], index, better)

    def hover_label(self) -> str | None:
        """The hover text now shown, or None (for tests)."""
        return self._plots.pointer.text()

    def click_point(self, metric: str, index: int, team: str | None = None) -> None:
        """Click the index-th point of a shown series, through the same slot a mouse click reaches."""
        series = self._series.get((metric, team))
        if series is None or series not in self._plots.shown:
            raise KeyError(f"{metric} ({team}) is not on the chart")
        self._plots.pointer.click(series, index)

    def set_rates_title(self, title: str | None) -> None:
        """Title the top plot after what it shows (a charted work item); None: its usual title."""
        if title != self._rates_title:
            self._rates_title = title
            self._plots.set_texts(self._plot_texts())
            self._refresh()  # the legends are rebuilt on the next show

    def rates_title(self) -> str:
        return str(self._rates.getPlotItem().titleLabel.text)

    def set_target_visible(self, visible: bool) -> None:
        self._target_visible = visible
        if self._target_box.isChecked() != visible:
            self._target_box.setChecked(visible)
        self._refresh()

    def visible_targets(self) -> list[float]:
        return sorted(self._plots.targets.shown)

    def legend_names(self) -> list[str]:
        """The names in the legends, top plot first (for tests)."""
        return self._plots.legend_names()

    def message(self) -> str | None:
        """The text shown instead of the plots (no KPIs, nothing checked), or None."""
        return self._plots.message()

    def export_size(self) -> QSize:
        """The exported image's size at 1×, header included."""
        return logical_size(self._plots.plot_widgets(), self._image_header(None), self.font())

    def export_png(self, path: Path, scale: float = 2.0, folder: Path | None = None) -> None:
        """The plots shown, at `scale` times their size on screen, under the title, folder and dates."""
        image = render(self._plots.plot_widgets(), self._image_header(folder), scale, self.font())
        if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # the stubs want bytes, the binding str
            raise OSError(self.tr("the image could not be saved"))  # the window names the file

    def _image_header(self, folder: Path | None) -> ImageHeader:
        shown = [s for s in self._plots.shown if s.rows]
        names = list(dict.fromkeys(s.metric for s in shown))
        dates = sorted(r.date for s in shown for r in s.rows if r.date)
        issues = sorted(r.sequence for s in shown for r in s.rows if r.sequence is not None)
        title = self.tr("KPIs: %1").replace("%1", ", ".join(names)) if names else self.tr("KPIs")
        ends = (dates[0], dates[-1]) if dates else (f"#{issues[0]}", f"#{issues[-1]}") if issues else None
        period = f"{ends[0]} – {ends[1]}" if ends else ""  # undated issues: their numbers
        background = self._plots.background_color()
        dark = background.lightness() < 128
        return ImageHeader(
            title,
            str(folder) if folder is not None else "",
            period,
            background,
            QColor("#e8eaed" if dark else "#202124"),
            QColor("#9aa0a6" if dark else "#5f6368"),
        )

    def export_csv(self, path: Path) -> None:
        shown = set(self.checked())
        rows = (
            (
                r.report,
                r.label or "",
                r.date,
                r.team or "",
                r.metric,
                number(r.value),
                r.unit,
                r.section or "",
                r.line,
            )
            for r in self._rows
            if r.metric in shown
        )
        write_csv(path, CSV_HEADER, rows)

    def set_dark(self, dark: bool) -> None:
        self._plots.set_dark(dark)

    def background_color(self) -> QColor:
        return self._plots.background_color()

    # --- the series ---------------------------------------------------------------------------------

    def _unit(self, metric: str, rows: list[MetricRow]) -> str:
        info = self._aliases.info(metric)
        return info.unit if info is not None and info.unit is not None else rows[0].unit

    def _place(self, metric: str, rows: list[MetricRow]) -> str:
        """Rates on the top plot, availability and incident counts below, any other metric on its own."""
        info = self._aliases.info(metric)
        unit = self._unit(metric, rows)
        if info is not None and info.chart == "rates":
            return RATES
        if info is not None and info.chart == "stability":
            return LEFT if unit == "%" else RIGHT
        if unit == "%":
            return RATES
        return RIGHT if is_incident_count(metric, unit) else own_place(metric)

    def _make_series(self, key: tuple[str, str | None], rows: list[MetricRow]) -> Series:
        info = self._aliases.info(key[0])
        target = info.target if info is not None else None
        better = info.higher_is_better if info is not None else None
        place, unit = self._place(key[0], rows), self._unit(key[0], rows)
        series = self._series[key] = self._plots.add_series(*key, place, target, unit, better)
        return series

    def _refresh(self) -> None:
        checked = self.metric_model.checked()
        rank = {name: i for i, name in enumerate(checked)}
        team = self.team_box.team
        keys = sorted(
            (k for k in self._groups if k[0] in rank and (team is None or k[1] == team)),
            key=lambda k: (rank[k[0]], k[1] or ""),
        )
        shown: list[Series] = []
        for key in keys:
            series = self._series.get(key) or self._make_series(key, self._groups[key])
            if series.stale:
                series.rows = self._groups[key]
                series.x, series.y = self._grouped.points(key)
            shown.append(series)
        message = None
        if self._loading:
            message = self.tr("Loading this folder's KPIs…")
        elif not self._any_metrics:
            message = self.tr("No KPIs found in this folder")
        elif not shown:
            message = self.tr("Check metrics below to chart them")
        self._plots.show_series(shown, message, targets=self._target_visible)
        self._target_box.setEnabled(self._plots.has_targets)

    # --- slots --------------------------------------------------------------------------------------

    @Slot(object, object, object, object)
    def _on_presenter_data_loaded(
        self,
        names: list[tuple[str, int]],
        rows: list[MetricRow],
        grouped: SeriesRows,
        chosen: list[str] | None,
    ) -> None:
        self._loading = False
        # This folder's own choice, or its defaults: never the choice made in the last folder.
        wanted = None if chosen is None else set(chosen)
        if wanted != self._wanted:
            self._wanted = wanted
            self._plots.user_ranged = False
        self._folder_teams = grouped.report_team
        if self._presenter is not None:
            self.team_box.loaded = self._presenter.loaded_team  # set before it emits these rows
        self.set_rows(rows, names, grouped)
        if self._presenter is not None:
            # The team box may show another team than the one loaded (the reader's pick): load it.
            if self._presenter.show_team(self.team_box.team):
                self._loading = True
                self._refresh()
                return
            # The panel may have picked a metric of its own (none of the usual KPIs in this folder).
            self._presenter.ensure(self.checked())

    @Slot()
    def _on_presenter_cleared(self) -> None:
        self._folder_teams = None
        self.team_box.reset()
        self._loading = True
        self._wanted = None
        self._plots.user_ranged = False
        self.set_rows([], [])

    @Slot()
    def _on_defaults_button_clicked(self) -> None:
        self._wanted = None
        self._plots.user_ranged = False
        self.set_rows(self._rows, self.metric_model.counts(), self._grouped)
        self.defaults_requested.emit()

    @Slot(object)
    def _on_pointer_row_clicked(self, row: MetricRow) -> None:
        self.point_clicked.emit(row.report, -1 if row.section_index is None else row.section_index)

    @Slot()
    def _on_team_box_team_changed(self) -> None:
        self._plots.user_ranged = False
        # Only that team's rows may be loaded: until they come, the plots say they are on their way.
        if self._presenter is not None and self._presenter.show_team(self.team_box.team):
            self._loading = True
        self._refresh()

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        self._plots.user_ranged = False
        self._refresh()

    @Slot(object)
    def _on_metric_model_checked_changed(self, names: list[str]) -> None:
        # Names checked earlier but absent from this folder stay wanted, for when they come back.
        kept = self._wanted - set(self.metric_model.names()) if self._wanted is not None else set()
        self._wanted = kept | set(names)
        self._plots.user_ranged = False
        self._refresh()
        self.metrics_chosen.emit(list(names))

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self._proxy.setFilterFixedString(text)

    @Slot(bool)
    def _on_target_box_toggled(self, checked: bool) -> None:
        if checked != self._target_visible:
            self.set_target_visible(checked)
