"""The KPI chart panel and its metric list, checked through the plotted data rather than pixels."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop.core.aliases import AliasTable, default_alias_table
from desktop.store.queries import MetricRow
from desktop.ui.models.metric_list import MetricFilterModel, MetricListModel
from desktop.ui.widgets.chart import ChartPanel, far_from_main, stack_bands
from desktop.ui.widgets.chart.items import plot_of

# (path, label, date, section index of 【系统运行数据】) and the seeds' KPI values.
WEEKS = [
    ("第16周 2023-04-14.md", "第16周", "2023-04-14", 1),
    ("第42周 2023-10-13.md", "第42周", "2023-10-13", 1),
    ("2024-W17.md", "2024-W17", "2024-04-20", 9),
    ("2024-W24.md", "2024-W24", "2024-06-14", 8),
    ("2024-W34.md", "2024-W34", "2024-08-21", 7),
]
VALUES: dict[str, list[float | None]] = {
    "入金有效成功率": [99.99, 99.997, 99.997, 99.995, 99.998],
    "出金有效成功率": [99.91, 99.973, 99.984, 99.992, 99.989],
    "一次支付成功率": [None, 99.206, None, None, None],
    "年度可用性": [100, 99.998, 100, 100, 99.998],
    "事故数AB级": [0, 0, 0, 0, 0],
    "事故数CD级": [0, 1, 0, 1, None],
    "事故数C级": [None, None, None, None, 0.5],
    "事故数D级": [None, None, None, None, 0],
}
UNITS = {"事故数AB级": "次", "事故数CD级": "次", "事故数C级": "次", "事故数D级": "次"}


def seed_rows(team: str | None = None, extra: dict[str, list[float | None]] | None = None) -> list[MetricRow]:
    rows = []
    for w, (path, label, date, section) in enumerate(WEEKS):
        for line, (metric, values) in enumerate({**VALUES, **(extra or {})}.items(), start=10):
            value = values[w]
            if value is not None:
                unit = UNITS.get(metric, "%" if metric != "总询问量" else "条")
                rows.append(
                    MetricRow(
                        report=path if team is None else f"{team}/{path}",
                        label=label,
                        date=date,
                        team=team,
                        metric=metric,
                        raw_label=metric,
                        value=float(value),
                        unit=unit,
                        section="【系统运行数据】",
                        section_index=section,
                        line=line,
                        text=f"- {metric}：{value}{unit}",
                    )
                )
    return rows


def noon(date: str) -> float:
    return dt.datetime.fromisoformat(date).replace(hour=12, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def panel(qtbot) -> ChartPanel:
    widget = ChartPanel(default_alias_table())
    qtbot.addWidget(widget)
    widget.resize(500, 800)
    return widget


def with_target(tmp_path: Path, target: float = 99.99) -> AliasTable:
    extra = tmp_path / "metrics.toml"
    extra.write_text(f'[[metric]]\nname = "入金有效成功率"\ntarget = {target}\n', encoding="utf-8")
    bundled = Path(__file__).resolve().parent.parent / "resources" / "metrics.toml"
    return AliasTable.load(bundled, extra)


def test_rates_series_holds_the_seed_values_in_date_order(panel: ChartPanel) -> None:
    panel.set_rows(seed_rows())
    x, y = panel.series("入金有效成功率").getData()
    assert list(y) == VALUES["入金有效成功率"]
    assert list(x) == [noon(date) for _, _, date, _ in WEEKS]
    # y is fitted to the data: 99.9x must not be squashed into 0..100.
    lo, hi = panel.series("入金有效成功率").getViewBox().viewRange()[1]
    assert 99.8 < lo < 99.91 and 99.998 < hi < 100.01  # 一次支付成功率 (99.206) has an axis of its own


def parsed_seed_rows() -> list[MetricRow]:
    """The seeds through the real parser, shaped as the cache's metric_rows() returns them."""
    from desktop.core.parser import parse_text

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    reports = [
        parse_text(p.name, p.read_text(encoding="utf-8"), aliases=default_alias_table())
        for p in sorted(seeds.glob("*.md"))
    ]
    rows = []
    for r in sorted(reports, key=lambda r: (r.date, r.path)):
        for m in r.metrics:
            title = None if m.section is None else r.sections[m.section].title
            rows.append(
                MetricRow(
                    r.path,
                    r.label,
                    r.date,
                    r.team,
                    m.name,
                    m.raw_label,
                    m.value,
                    m.unit,
                    title,
                    m.section,
                    m.line,
                    m.text,
                )
            )
    return rows


def test_parsed_seeds(panel: ChartPanel, qtbot) -> None:
    rows = parsed_seed_rows()
    panel.set_rows(rows)
    x, y = panel.series("入金有效成功率").getData()
    assert list(y) == VALUES["入金有效成功率"]
    assert list(x) == [noon(date) for _, _, date, _ in WEEKS]
    charted = set(default_alias_table().charted_by_default())
    assert set(panel.checked()) == charted & {r.metric for r in rows}
    w17 = next(r for r in rows if r.metric == "入金有效成功率" and r.label == "2024-W17")
    with qtbot.waitSignal(panel.point_clicked) as blocker:
        panel.click_point("入金有效成功率", 2)
    assert blocker.args == ["2024-W17.md", w17.section_index]
    assert panel.hover_text_at("入金有效成功率", 2) == "入金有效成功率 99.997%  ＝\n2024-W17 · 2024-04-20"


def test_default_checked_are_the_charted_kpis_present(panel: ChartPanel) -> None:
    panel.set_rows(seed_rows(extra={"健康分": [90, 91, 92, 93, 94]}))
    assert set(panel.checked()) == set(VALUES)
    assert "健康分" not in panel.checked() and panel.series("健康分") is None
    for metric in VALUES:
        assert panel.series(metric) is not None, metric
    # The charted-by-default KPIs not in the folder (事故数A级) are not listed at all.
    assert "事故数A级" not in panel.metric_model.names()


def test_checking_a_metric_adds_a_series_and_unchecking_hides_it(panel: ChartPanel, qtbot) -> None:
    panel.set_rows(seed_rows(extra={"健康分": [90, 91, 92, 93, 94], "总询问量": [1, 2, 3, 4, 321]}))
    model = panel.metric_model
    row = model.index(model.row_of("总询问量"))
    with qtbot.waitSignal(panel.metrics_chosen) as blocker:
        assert model.setData(row, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert "总询问量" in blocker.args[0]
    item = panel.series("总询问量")
    assert item is not None and list(item.getData()[1]) == [1, 2, 3, 4, 321]
    # Neither a rate nor an incident count: a plot of its own, its unit on the axis, not the incidents'.
    view = item.getViewBox()
    assert view is not panel.series("事故数CD级").getViewBox()
    assert view is not panel.series("一次支付成功率").getViewBox()
    own = next(w for w in panel._plots.widgets.values() if w.getPlotItem().vb is view)
    assert own.getPlotItem().getAxis("left").labelText == "条"
    assert "总询问量" in own.getPlotItem().titleLabel.text
    with qtbot.waitSignal(panel.metrics_chosen) as blocker:
        model.setData(row, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert "总询问量" not in blocker.args[0]
    assert panel.series("总询问量") is None and not item.isVisible()


def test_checks_survive_an_index_update(panel: ChartPanel, qtbot) -> None:
    rows = seed_rows()
    panel.set_rows(rows[:10])
    with qtbot.waitSignal(panel.metrics_chosen):
        model = panel.metric_model
        model.setData(
            model.index(model.row_of("年度可用性")), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
        )
    panel.set_rows(rows)
    assert "年度可用性" not in panel.checked() and "入金有效成功率" in panel.checked()
    assert len(panel.series("入金有效成功率").getData()[0]) == 5


def test_set_checked_before_rows_arrive(panel: ChartPanel) -> None:
    panel.set_checked(["出金有效成功率", "事故数C级"])
    panel.set_rows(seed_rows())
    assert panel.checked() == ["出金有效成功率", "事故数C级"]
    assert panel.series("入金有效成功率") is None


def test_team_rows_make_one_series_per_team(panel: ChartPanel) -> None:
    panel.set_rows(seed_rows("北京") + seed_rows("上海"))
    beijing, shanghai = panel.series("入金有效成功率", "北京"), panel.series("入金有效成功率", "上海")
    assert beijing is not None and shanghai is not None and beijing is not shanghai
    assert panel.series("入金有效成功率") is None
    assert len(beijing.getData()[0]) == 5
    assert beijing.opts["pen"].color() != shanghai.opts["pen"].color()
    assert "入金有效成功率 · 北京" in panel.legend_names()
    assert panel.hover_text_at("入金有效成功率", 0, "上海").startswith("入金有效成功率 · 上海 99.99%")


def test_click_point_emits_the_report_and_section(panel: ChartPanel, qtbot) -> None:
    panel.set_rows(seed_rows())
    with qtbot.waitSignal(panel.point_clicked) as blocker:
        panel.click_point("入金有效成功率", 2)
    assert blocker.args == ["2024-W17.md", 9]
    rows = seed_rows()
    rows[0] = MetricRow(**{**{f: getattr(rows[0], f) for f in MetricRow.__slots__}, "section_index": None})
    panel.set_rows(rows)
    with qtbot.waitSignal(panel.point_clicked) as blocker:
        panel.click_point("入金有效成功率", 0)
    assert blocker.args == ["第16周 2023-04-14.md", -1]


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so when a window shows
def test_a_real_mouse_click_on_a_point(panel: ChartPanel, qtbot) -> None:
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_rows(seed_rows())
    item = panel.series("出金有效成功率")
    x, y = item.getData()
    view = item.getViewBox()
    plot_widget = view.scene().views()[0]
    qtbot.waitUntil(lambda: view.width() > 50)
    at = plot_widget.mapFromScene(view.mapViewToScene(QPointF(x[3], y[3])))
    with qtbot.waitSignal(panel.point_clicked) as blocker:
        qtbot.mouseClick(plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert blocker.args == ["2024-W24.md", 8]
    # Under the incidents' ViewBox (the right-hand axis lies on top), availability points still click.
    item = panel.series("年度可用性")
    x, y = item.getData()
    view = item.getViewBox()
    plot_widget = view.scene().views()[0]
    at = plot_widget.mapFromScene(view.mapViewToScene(QPointF(x[1], y[1])))
    with qtbot.waitSignal(panel.point_clicked) as blocker:
        qtbot.mouseClick(plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert blocker.args == ["第42周 2023-10-13.md", 1]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_hover_text_and_hover_label(panel: ChartPanel, qtbot) -> None:
    panel.set_rows(seed_rows())
    # The change since the series' previous point is kpis.change's, as the viewer's badge shows it.
    hover = panel.hover_text_at
    assert hover("入金有效成功率", 0) == "入金有效成功率 99.99%\n第16周 · 2023-04-14"
    assert hover("入金有效成功率", 1) == "入金有效成功率 99.997%  ▲0.007 pp\n第42周 · 2023-10-13"
    assert hover("入金有效成功率", 2) == "入金有效成功率 99.997%  ＝\n2024-W17 · 2024-04-20"
    assert hover("出金有效成功率", 4) == "出金有效成功率 99.989%  ▼0.003 pp\n2024-W34 · 2024-08-21"
    assert panel.hover_text_at("事故数CD级", 1) == "事故数CD级 1次  ▲1次\n第42周 · 2023-10-13"
    assert panel.hover_text_at("事故数C级", 0) == "事故数C级 0.5次\n2024-W34 · 2024-08-21"
    panel.show()
    qtbot.waitExposed(panel)
    item = panel.series("年度可用性")
    view = item.getViewBox()
    qtbot.waitUntil(lambda: view.width() > 50)
    x, y = item.getData()
    view.scene().sigMouseMoved.emit(view.mapViewToScene(QPointF(x[1], y[1])) + QPointF(3, 2))
    assert panel.hover_label() == "年度可用性 99.998%  ▼0.002 pp\n第42周 · 2023-10-13"
    view.scene().sigMouseMoved.emit(view.sceneBoundingRect().topLeft() + QPointF(1, 1))
    assert panel.hover_label() is None


def test_target_line_follows_the_aliases_and_the_toggle(qtbot, tmp_path: Path) -> None:
    panel = ChartPanel(with_target(tmp_path))
    qtbot.addWidget(panel)
    panel.set_rows(seed_rows())
    assert panel.visible_targets() == [99.99]
    panel.set_target_visible(False)
    assert panel.visible_targets() == []
    panel.set_target_visible(True)
    panel.set_checked(["出金有效成功率"])  # no target of its own
    assert panel.visible_targets() == []


def test_no_target_line_without_targets(panel: ChartPanel) -> None:
    panel.set_rows(seed_rows())
    assert panel.visible_targets() == []


def test_export_png_and_csv(panel: ChartPanel, tmp_path: Path) -> None:
    panel.set_rows(seed_rows(extra={"健康分": [90, 91, 92, 93, 94]}))
    png = tmp_path / "chart.png"
    panel.export_png(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    out = tmp_path / "kpis.csv"
    panel.export_csv(out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["report", "label", "date", "team", "metric", "value", "unit", "section", "line"]
    assert {r["metric"] for r in rows} == set(VALUES)  # 健康分 is not shown, so not exported
    first = next(r for r in rows if r["metric"] == "入金有效成功率")
    assert first == {
        "report": "第16周 2023-04-14.md",
        "label": "第16周",
        "date": "2023-04-14",
        "team": "",
        "metric": "入金有效成功率",
        "value": "99.99",
        "unit": "%",
        "section": "【系统运行数据】",
        "line": "10",
    }


def test_set_dark_changes_the_background(panel: ChartPanel) -> None:
    light = panel.background_color()
    panel.set_dark(True)
    assert panel.background_color().lightness() < 80 < light.lightness()
    panel.set_dark(False)
    assert panel.background_color() == light


def test_grid_lines_are_solid_and_lie_under_the_curves_in_either_theme(panel: ChartPanel) -> None:
    """The grid is drawn in solid colours mixed with the background (translucent lines made most of a
    plot's paint), so it must lie under the data, and follow the theme's background."""
    from PySide6.QtGui import QImage, QPainter

    panel.set_rows(seed_rows())
    assert panel.series("一次支付成功率") is not None  # on the overlay of the rates plot (its right axis)
    for widget in (panel._plots.rates, panel._plots.stability):
        plot = widget.getPlotItem()
        overlay = next(v for v in panel._plots._views.values() if v.parentItem() is plot and v is not plot.vb)
        # Top first: the plot's view (it takes the mouse), the overlay's curves, then the axes' grid;
        # a solid grid line drawn over a curve would cut it.
        stacked = plot.scene().items(Qt.SortOrder.DescendingOrder)
        for side in ("left", "bottom", "right"):
            assert stacked.index(plot.vb) < stacked.index(overlay) < stacked.index(plot.getAxis(side))
    plot = panel._plots.rates.getPlotItem()
    axis = plot.getAxis("left")
    for dark in (False, True):
        panel.set_dark(dark)
        image = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        try:
            _axis_line, ticks, _texts = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        grid = {pen.color().name() for pen, start, end in ticks if abs(end.x() - start.x()) > 50}
        assert grid, "the rates plot draws horizontal grid lines"
        assert all(pen.color().alpha() == 255 for pen, _start, _end in ticks)
        background, line = panel.background_color(), axis.pen().color()
        for name in grid:  # each level lies between the background and the axis colour
            lightness = QColor(name).lightness()
            assert min(background.lightness(), line.lightness()) <= lightness
            assert lightness <= max(background.lightness(), line.lightness())
            assert QColor(name) != background


def test_curves_made_ahead_draw_as_curves_made_on_the_spot(qtbot) -> None:
    """A shown chart makes its first curves in idle turns; a chart drawn with them looks the same."""
    shown, hidden = ChartPanel(default_alias_table()), ChartPanel(default_alias_table())
    for widget in (shown, hidden):
        qtbot.addWidget(widget)
        widget.resize(500, 800)
    shown.show()
    qtbot.waitUntil(lambda: not shown._plots._spare_todo)
    spare = set(map(id, shown._plots._spare.values()))
    assert spare
    for widget in (shown, hidden):
        widget.set_rows(seed_rows())
    names = [name for name in VALUES if shown.series(name) is not None]
    assert {"入金有效成功率", "事故数CD级"} <= set(names)
    assert any(id(shown.series(name)) in spare for name in names)
    # A colour taken on one axis of the lower plot leaves no hidden curve made for its other axis.
    taken = shown._plots._colour_next
    assert not [(place, n) for place, n in shown._plots._spare if n < taken.get(plot_of(place), 0)]
    for name in names:
        made_ahead, made_now = shown.series(name), hidden.series(name)
        assert made_ahead.isVisible() == made_now.isVisible()
        for key in ("symbol", "stepMode", "symbolSize"):
            assert made_ahead.opts[key] == made_now.opts[key], (name, key)
        assert made_ahead.opts["pen"].color() == made_now.opts["pen"].color()
        np.testing.assert_array_equal(made_ahead.getData()[1], made_now.getData()[1])


def test_empty_rows_show_the_empty_state(panel: ChartPanel) -> None:
    panel.set_rows([])
    assert panel.message() == "No KPIs found in this folder"
    panel.set_rows(seed_rows())
    assert panel.message() is None
    panel.set_checked([])
    assert panel.message() == "Check metrics below to chart them"


def test_search_filters_the_list(panel: ChartPanel) -> None:
    panel.set_rows(seed_rows())
    proxy = panel._list.model()
    panel._search.setText("事故")
    assert proxy.rowCount() == 4
    panel._search.setText("PAY-IN")  # the English name counts too, in any case
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["入金有效成功率  (5)"]


def test_many_reports_stay_responsive(panel: ChartPanel) -> None:
    start = dt.date(2000, 1, 7)
    rows = [
        MetricRow(
            f"r{i}.md",
            None,
            (start + dt.timedelta(days=7 * i)).isoformat(),
            None,
            metric,
            metric,
            99.9 + (i % 100) / 1000,
            "%",
            None,
            None,
            5,
            "",
        )
        for i in range(5000)
        for metric in ("入金有效成功率", "出金有效成功率", "年度可用性")
    ]
    began = time.perf_counter()
    panel.set_rows(rows)
    panel.set_rows(rows)
    assert time.perf_counter() - began < 3
    x, y = panel.series("入金有效成功率").getData()
    # Thinned for display, but every dip and peak survives ("peak" downsampling), across the whole span.
    assert 0 < len(x) <= 2000 and np.all(np.diff(x) >= 0)  # what pyqtgraph walks on every repaint
    assert (y.min(), y.max()) == (min(r.value for r in rows), max(r.value for r in rows))
    assert x[-1] - x[0] > 0.99 * (noon(rows[-1].date) - noon(rows[0].date))
    assert panel.hover_text_at("年度可用性", 4999).endswith(rows[-1].date)


def test_a_long_series_is_a_thin_line_and_a_short_one_a_line_with_points(panel: ChartPanel) -> None:
    """Hundreds of weeks draw as a one-pixel line (wider lines took five times as long to paint on
    every refresh), a few weeks as a two-pixel line with a symbol at each report."""
    start = dt.date(2000, 1, 7)

    def weeks(n: int) -> list[MetricRow]:
        return [
            MetricRow(
                f"r{i}.md",
                None,
                (start + dt.timedelta(days=7 * i)).isoformat(),
                None,
                "入金有效成功率",
                "入金有效成功率",
                99.9,
                "%",
                None,
                None,
                5,
                "",
            )
            for i in range(n)
        ]

    panel.set_rows(weeks(1200))
    item = panel.series("入金有效成功率")
    assert item.opts["pen"].width() == 1 and item.opts["symbol"] is None
    colour = item.opts["pen"].color().name()
    panel.set_rows(weeks(30))
    item = panel.series("入金有效成功率")
    assert item.opts["pen"].width() == 2 and item.opts["symbol"] is not None
    assert item.opts["pen"].color().name() == colour  # the series keeps its colour either way


def test_thinned_keeps_the_ends_and_every_runs_extremes() -> None:
    from desktop.ui.widgets.chart.items import thinned

    x = np.arange(12_500.0)
    y = np.sin(x / 40)
    y[777], y[9000] = 5.0, -5.0  # one spike up, one down
    y[100:300] = np.nan  # a metric missing for a while
    tx, ty = thinned(x, y, 2000)
    assert len(tx) <= 2002 and np.all(np.diff(tx) > 0)
    assert (tx[0], tx[-1]) == (0.0, 12_499.0)
    assert (np.nanmax(ty), np.nanmin(ty)) == (5.0, -5.0)
    assert np.array_equal(ty, y[tx.astype(int)], equal_nan=True)  # real points, not averages
    assert thinned(x[:50], y[:50], 2000)[0].size == 50  # short series are handed over as they are


def test_metric_list_model(qtmodeltester, qtbot) -> None:
    model = MetricListModel(default_alias_table())
    qtmodeltester.check(model)
    model.set_metrics([("入金有效成功率", 5), ("健康分", 2)], {"入金有效成功率"})
    qtmodeltester.check(model)
    assert model.index(0).data() == "入金有效成功率  (5)"
    assert model.index(0).data(Qt.ItemDataRole.ToolTipRole) == "Pay-in success rate"
    assert model.flags(model.index(1)) & Qt.ItemFlag.ItemIsUserCheckable
    with qtbot.waitSignal(model.checked_changed) as blocker:
        model.setData(model.index(1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert blocker.args == [["入金有效成功率", "健康分"]]
    # Checks of names still present are kept; a new list keeps its order.
    model.set_metrics([("健康分", 3), ("新指标", 1)], set())
    qtmodeltester.check(model)
    assert model.checked() == ["健康分"] and model.index(0).data() == "健康分  (3)"
    model.set_metrics([], set())
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.checked() == []


def test_metric_filter_model(qtmodeltester) -> None:
    model = MetricListModel(default_alias_table())
    model.set_metrics([("入金有效成功率", 5), ("出金有效成功率", 5), ("健康分", 2)], set())
    proxy = MetricFilterModel(model)
    proxy.setFilterFixedString("payout")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "出金有效成功率  (5)"


def test_axis_ticks_stay_readable(panel: ChartPanel) -> None:
    panel.set_rows(seed_rows())
    rates = panel.series("入金有效成功率").getViewBox().parentItem()
    assert rates.getAxis("left").tickStrings([99.99, 99.992], 1, 0.002) == ["99.990%", "99.992%"]
    assert rates.getAxis("left").tickStrings([99.0, 99.5], 1, 0.5) == ["99.0%", "99.5%"]
    bottom = rates.getAxis("bottom")
    span = bottom.tickValues(noon("2023-04-14"), noon("2024-08-21"), 430)
    spacing, ticks = span[0]
    labels = bottom.tickStrings(ticks, 1, spacing)
    assert len(labels) >= 3 and all(len(t) == 7 and t[4] == "-" for t in labels)  # 2023-07, 2024-01 ...


def test_an_index_update_keeps_the_users_zoom(panel: ChartPanel) -> None:
    panel.set_rows(seed_rows())
    panel.set_checked(["入金有效成功率"])
    view = panel.series("入金有效成功率").getViewBox()
    view.sigRangeChangedManually.emit([True, True])  # as a mouse zoom does
    view.setYRange(99.99, 99.995, padding=0)
    panel.set_rows(seed_rows())
    panel.set_checked(["入金有效成功率"])  # what the window does after every update
    assert view.viewRange()[1] == [99.99, 99.995]
    panel._reset_button.click()
    assert view.viewRange()[1][0] < 99.99


def test_refreshing_the_chart_does_not_drain_true(panel: ChartPanel) -> None:
    """PySide6 6.12.0 over-released Py_True in pyqtgraph's update path until the interpreter aborted.

    A window that re-charts on every index update must stay up for days: True's refcount must not sink.
    """
    rows = seed_rows()
    before = sys.getrefcount(True)
    for _ in range(100):
        panel.set_rows(rows)
        panel.set_checked(["入金有效成功率"] if _ % 2 else ["出金有效成功率"])
    assert sys.getrefcount(True) > before - 50


def months(label: str) -> float:
    """The UTC timestamp a tick label like 2024-01 (or 2024) stands for."""
    form = "%Y-%m" if "-" in label else "%Y"
    return dt.datetime.strptime(label, form).replace(tzinfo=dt.UTC).timestamp()


def test_date_ticks_are_the_dates_they_say(panel: ChartPanel) -> None:
    panel.set_rows(seed_rows())
    view = panel.series("入金有效成功率").getViewBox()
    bottom = view.parentItem().getAxis("bottom")
    lo, hi = view.viewRange()[0]
    for width, most in ((430, 93), (250, 185), (900, 63)):  # most: the widest step, in days
        [(spacing, ticks)] = bottom.tickValues(lo, hi, width)
        labels = bottom.tickStrings(ticks, 1, spacing)
        assert len(labels) >= 2, (width, labels)
        assert [months(t) for t in labels] == ticks  # each label is the instant it is drawn at
        assert all(lo <= t <= hi for t in ticks)
        assert all(len(t) == 7 for t in labels) and {t[:4] for t in labels} <= {"2023", "2024"}
        gaps = {round((b - a) / 86400) for a, b in itertools.pairwise(ticks)}
        assert min(gaps) >= 28 and max(gaps) <= most, (width, labels)
        assert "2024-01" in labels
    # Over a decade, whole years.
    [(spacing, ticks)] = bottom.tickValues(noon("2014-03-01"), noon("2024-08-21"), 430)
    labels = bottom.tickStrings(ticks, 1, spacing)
    assert labels and all(len(t) == 4 for t in labels) and [months(t) for t in labels] == ticks
    assert labels[0] in ("2015", "2016") and labels[-1] == "2024"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_x_range_hugs_the_dates_once_laid_out(panel: ChartPanel, qtbot) -> None:
    """The first rows arrive while the empty panel shows its message: the axes appear after the fit."""
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.message() is not None
    panel.set_rows(seed_rows())
    rates = panel.series("入金有效成功率").getViewBox()
    stability = panel.series("年度可用性").getViewBox()
    qtbot.waitUntil(lambda: rates.width() > 50 and abs(rates.width() - stability.width()) < 1)
    qtbot.wait(50)
    first, last = noon(WEEKS[0][2]), noon(WEEKS[-1][2])
    for view in (rates, stability, panel.series("一次支付成功率").getViewBox()):
        lo, hi = view.viewRange()[0]
        assert first - 40 * 86400 < lo < first and last < hi < last + 40 * 86400
    assert len(panel.series("入金有效成功率").getData()[0]) == 5  # none clipped away


def test_a_far_rate_gets_an_axis_of_its_own(panel: ChartPanel, qtbot) -> None:
    """一次支付成功率 (99.206) would stretch the rates axis to 99.2..100 and flatten 99.99x to its top."""
    panel.set_rows(seed_rows())
    pay_in, payout = panel.series("入金有效成功率"), panel.series("出金有效成功率")
    first = panel.series("一次支付成功率")
    main = pay_in.getViewBox()
    assert payout.getViewBox() is main and first is not None and first.getViewBox() is not main
    lo, hi = main.viewRange()[1]
    values = VALUES["入金有效成功率"] + VALUES["出金有效成功率"]
    assert hi - lo < 0.2 and lo < min(values) and max(values) < hi  # type: ignore[type-var]
    # Its own axis: the right one of the rates plot, in its colour, and its legend entry says so.
    x, y = first.getData()
    assert list(y) == [99.206] and list(x) == [noon("2023-10-13")]
    far_lo, far_hi = first.getViewBox().viewRange()[1]
    assert far_lo < 99.206 < far_hi and far_hi - far_lo < 0.1
    right = main.parentItem().getAxis("right")
    assert right.style["showValues"] and right.textPen().color() == first.opts["pen"].color()
    assert "一次支付成功率" in panel.legend_names()
    assert "一次支付成功率 (right axis)" in [
        label.text for _, label in main.parentItem().layout.itemAt(4, 1).items
    ]

    # Lower than the others, it is drawn below them, and its axis labels sit beside it.
    panel.show()  # laid out: the overlay takes the plot's view's place once that has its size
    far = first.getViewBox()
    qtbot.waitUntil(lambda: main.height() > 50 and far.sceneBoundingRect() == main.sceneBoundingRect())

    def scene_y(item, i: int) -> float:
        xs, ys = item.getData()
        return item.getViewBox().mapViewToScene(QPointF(xs[i], ys[i])).y()

    assert scene_y(first, 0) > max(scene_y(payout, i) for i in range(5))
    for height in (300, 150, 60, 20):
        [(spacing, ticks)] = right.tickValues(far_lo, far_hi, height)
        labels = right.tickStrings(ticks, 1, spacing)
        assert ticks and all(99.2 <= v <= 99.212 for v in ticks), (height, labels)
        assert [float(t.rstrip("%")) for t in labels] == pytest.approx(ticks, abs=1e-9), labels
        assert len(labels) * 15 <= height * 0.3 + 15, (height, labels)  # no crowding in its band
    assert panel.hover_text_at("一次支付成功率", 0) == "一次支付成功率 99.206%\n第42周 · 2023-10-13"
    with qtbot.waitSignal(panel.point_clicked) as blocker:
        panel.click_point("一次支付成功率", 0)
    assert blocker.args == ["第42周 2023-10-13.md", 1]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_far_rate_hovers_and_clicks_under_the_mouse(panel: ChartPanel, qtbot) -> None:
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_rows(seed_rows())
    first = panel.series("一次支付成功率")
    view = first.getViewBox()
    qtbot.waitUntil(lambda: view.width() > 50)
    x, y = first.getData()
    at = view.mapViewToScene(QPointF(x[0], y[0]))
    view.scene().sigMouseMoved.emit(at + QPointF(2, -2))
    assert panel.hover_label() == "一次支付成功率 99.206%\n第42周 · 2023-10-13"
    plot_widget = view.scene().views()[0]
    with qtbot.waitSignal(panel.point_clicked) as blocker:
        qtbot.mouseClick(plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=plot_widget.mapFromScene(at))
    assert blocker.args == ["第42周 2023-10-13.md", 1]
    # The wheel over the plot zooms the main rates around the mouse, and the zoom outlives an update.
    main = panel.series("入金有效成功率").getViewBox()
    qtbot.waitUntil(lambda: abs(main.sceneBoundingRect().width() - view.sceneBoundingRect().width()) < 1)
    qtbot.wait(20)
    before = main.viewRange()
    centre = plot_widget.mapFromScene(main.sceneBoundingRect().center())
    wheel = QWheelEvent(
        QPointF(centre),
        QPointF(plot_widget.viewport().mapToGlobal(centre)),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(plot_widget.viewport(), wheel)
    after = main.viewRange()
    for axis in (0, 1):
        (lo, hi), (new_lo, new_hi) = before[axis], after[axis]
        assert new_hi - new_lo < 0.9 * (hi - lo) and abs((new_lo + new_hi) - (lo + hi)) < 0.1 * (hi - lo)
    assert view.viewRange()[0] == pytest.approx(after[0])  # the far rate's view follows on x
    panel.set_rows(seed_rows())
    assert main.viewRange() == after  # the user's zoom is kept


def test_the_split_follows_the_checked_rates(panel: ChartPanel, tmp_path: Path, qtbot) -> None:
    panel.set_rows(seed_rows())
    main = panel.series("入金有效成功率").getViewBox()
    right = main.parentItem().getAxis("right")
    panel.set_checked(["入金有效成功率", "出金有效成功率"])
    assert not right.style["showValues"] and "一次支付成功率" not in panel.legend_names()
    panel.set_checked(["一次支付成功率"])  # alone, it is the main series
    assert panel.series("一次支付成功率").getViewBox() is main and not right.style["showValues"]
    lo, hi = main.viewRange()[1]
    assert lo < 99.206 < hi and hi - lo < 0.1
    panel.set_checked(["一次支付成功率", "入金有效成功率"])  # more points: 入金 is the main series
    assert panel.series("一次支付成功率").getViewBox() is not main and right.style["showValues"]
    assert panel.series("入金有效成功率").getViewBox() is main
    # A target goes with its series: a target of the far rate neither stretches the main axis.
    extra = tmp_path / "metrics.toml"
    extra.write_text('[[metric]]\nname = "一次支付成功率"\ntarget = 99.5\n', encoding="utf-8")
    bundled = Path(__file__).resolve().parent.parent / "resources" / "metrics.toml"
    targeted = ChartPanel(AliasTable.load(bundled, extra))
    qtbot.addWidget(targeted)
    targeted.set_rows(seed_rows())
    assert targeted.visible_targets() == [99.5]
    lo, hi = targeted.series("入金有效成功率").getViewBox().viewRange()[1]
    assert hi - lo < 0.2
    far_lo, far_hi = targeted.series("一次支付成功率").getViewBox().viewRange()[1]
    assert far_lo < 99.206 < 99.5 < far_hi


def test_far_from_main_rule() -> None:
    seeds = {k: np.array([v for v in VALUES[k] if v is not None]) for k in list(VALUES)[:3]}
    assert far_from_main(seeds) == {"一次支付成功率"}
    assert far_from_main({"a": np.array([99.99]), "b": np.array([99.2])}) == {"b"}  # tie: higher is main
    # Within 0.3 pp of the main series' median: one axis still reads well.
    assert far_from_main({"a": np.array([99.99, 99.98]), "b": np.array([99.7])}) == set()
    assert far_from_main({"a": np.array([95.0, 95.2, 94.9]), "b": np.array([99.99])}) == {"b"}
    assert far_from_main({"a": np.array([99.9])}) == set()
    # A far series below gets the bottom of the plot, one above the top, each scaled to its own values.
    (lo, hi), (far_lo, far_hi) = stack_bands((99.9, 100.0), (99.2, 99.21))
    assert hi == 100.0 and far_lo == 99.2 and (99.9 - lo) / (hi - lo) == pytest.approx(0.3)
    assert (far_hi - 99.21) / (far_hi - far_lo) == pytest.approx(0.7)
    (lo, hi), (far_lo, far_hi) = stack_bands((95.0, 96.0), (99.9, 100.0))
    assert lo == 95.0 and far_hi == 100.0 and (hi - 96.0) / (hi - lo) == pytest.approx(0.3)


def test_rows_of_the_charted_metrics_and_the_names_of_all(panel: ChartPanel) -> None:
    """The window may load the values of the checked metrics only, and every metric's name apart."""
    rows = [r for r in seed_rows() if r.metric in ("入金有效成功率", "一次支付成功率")]
    names = [("入金有效成功率", 5), ("出金有效成功率", 5), ("一次支付成功率", 1), ("健康分", 2)]
    panel.set_checked(["入金有效成功率", "一次支付成功率"])
    panel.set_rows(rows, names)
    assert panel.metric_model.names() == [n for n, _ in names]
    assert panel.checked() == ["入金有效成功率", "一次支付成功率"]
    assert list(panel.series("入金有效成功率").getData()[1]) == VALUES["入金有效成功率"]
    assert panel.series("一次支付成功率").getViewBox() is not panel.series("入金有效成功率").getViewBox()
    panel.set_checked([])
    panel.set_rows([], names)
    assert panel.message() == "Check metrics below to chart them"
    panel.set_rows([], [])
    assert panel.message() == "No KPIs found in this folder"


def undated_rows(sequences: list[int | None], values: list[float]) -> list[MetricRow]:
    """Rows of numbered issues without dates (a weekly copied with one mtime for every file)."""
    return [
        MetricRow(
            report=f"第 {n} 期.md" if n is not None else f"附录{i}.md",
            label=f"第 {n} 期" if n is not None else None,
            date="",
            team=None,
            metric="入金有效成功率",
            raw_label="入金有效成功率",
            value=value,
            unit="%",
            section=None,
            section_index=None,
            line=3,
            text=f"- 入金有效成功率：{value}%",
            kind="kpi",
            sequence=n,
        )
        for i, (n, value) in enumerate(zip(sequences, values, strict=True))
    ]


def test_undated_issues_are_charted_by_their_number(panel: ChartPanel) -> None:
    # The rows come in list order (第 9 期 before 第 10 期); one report has no number and no date.
    panel.set_rows(undated_rows([8, 9, 10, None, 12], [99.1, 99.2, 99.4, 98.0, 99.3]))
    x, y = panel.series("入金有效成功率").getData()
    assert list(x) == [8, 9, 10, 12]
    assert list(y) == [99.1, 99.2, 99.4, 99.3]
    bottom = panel.series("入金有效成功率").getViewBox().parentItem().getAxis("bottom")
    lo, hi = panel.series("入金有效成功率").getViewBox().viewRange()[0]
    assert lo < 8 < 12 < hi and hi - lo < 6  # issue numbers, not a span of seconds around 1970
    ticks = [t for _spacing, level in bottom.tickValues(lo, hi, 400) for t in level]
    assert ticks and all(t == round(t) for t in ticks)
    assert bottom.tickStrings([8.0, 10.0], 1, 2.0) == ["#8", "#10"]
    assert panel.hover_text_at("入金有效成功率", 3) == "入金有效成功率 99.3%  ▼0.1 pp\n第 12 期"


def test_dated_rows_bring_the_date_axis_back(panel: ChartPanel) -> None:
    panel.set_rows(undated_rows([1, 2], [99.0, 99.5]))
    bottom = panel.series("入金有效成功率").getViewBox().parentItem().getAxis("bottom")
    assert bottom.by_sequence
    panel.set_rows(seed_rows())
    assert not bottom.by_sequence
    x, _y = panel.series("入金有效成功率").getData()
    assert x[0] == noon("2023-04-14")


def teams_rows(teams: list[str]) -> list[MetricRow]:
    return [row for team in teams for row in seed_rows(team)]


def test_many_teams_chart_one_team_at_a_time_following_the_open_report(panel: ChartPanel) -> None:
    teams = [f"team{n}" for n in range(1, 8)]
    panel.set_rows(teams_rows(teams))
    box = panel.team_box
    assert not box.isHidden() and box.count() == 1 + len(teams) and box.itemText(0) == "All teams"
    # Seven teams' lines in one plot are unreadable: the first team's, until a report is opened.
    assert panel.series("入金有效成功率", "team1") is not None
    assert panel.series("入金有效成功率", "team2") is None
    panel.follow_report("team5/2024-W24.md")
    assert panel.series("入金有效成功率", "team5") is not None
    assert panel.series("入金有效成功率", "team1") is None
    assert box.currentText() == "team5"
    assert len(panel.legend_names()) == len({n for n in panel.legend_names()})
    assert all(name.endswith("· team5") for name in panel.legend_names())
    # The reader's pick holds: all teams, whatever report is opened next.
    box.activated.emit(0)
    panel.follow_report("team3/2024-W24.md")
    assert all(panel.series("入金有效成功率", t) is not None for t in teams)


def test_a_few_teams_are_charted_together_and_one_team_shows_no_box(panel: ChartPanel) -> None:
    panel.set_rows(teams_rows(["a", "b", "c"]))
    assert all(panel.series("入金有效成功率", t) is not None for t in ("a", "b", "c"))
    assert not panel.team_box.isHidden()
    panel.team_box.activated.emit(panel.team_box.findData("b"))
    assert panel.series("入金有效成功率", "b") is not None and panel.series("入金有效成功率", "a") is None
    panel.set_rows(seed_rows())  # no teams at all
    assert panel.team_box.isHidden() and panel.series("入金有效成功率") is not None


def test_a_report_opened_before_the_rows_came_is_followed_once_they_do(panel: ChartPanel) -> None:
    panel.follow_report("team6/2024-W24.md")  # the window opens the newest report as the index ends
    panel.set_rows(teams_rows([f"team{n}" for n in range(1, 8)]))
    assert panel.series("入金有效成功率", "team6") is not None
    assert panel.series("入金有效成功率", "team1") is None


def test_a_first_chart_draws_its_legends_a_turn_after_its_curves(panel: ChartPanel, qtbot) -> None:
    """A legend label costs about a millisecond; drawn with the curves, a first chart of many teams'
    series held the window for 100 ms in one go. The legends follow on the next turn of the loop."""
    teams = [f"team{n}" for n in range(4)]
    panel.set_rows([row for team in teams for row in seed_rows(team)])
    legends = panel._plots.legends
    assert all(not legend.items for legend in legends.values())  # the curves are in, not yet the legends
    assert panel.series("入金有效成功率", "team3") is not None
    qtbot.waitUntil(lambda: sum(len(legend.items) for legend in legends.values()) >= len(teams))
    assert "入金有效成功率 · team3" in panel.legend_names()
