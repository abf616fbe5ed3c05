"""The window as a manager meets it: readable charts on a small screen, per-folder chart choices, search
results that say what they are, a clean switch between folders, exports with context, and the compare
view's plan and pairing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QImage
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from desktop.core.aliases import default_alias_table
from desktop.core.parser import parse_text
from desktop.store.search import HIT_END, HIT_START, Hit
from desktop.ui.main_window import MainWindow
from desktop.ui.models.search_results import plain_snippet, report_title
from desktop.ui.presenters.search import SEARCH_PAGE
from desktop.ui.settings import Settings
from desktop.ui.theme import ThemeSwitch
from desktop.ui.widgets.compare import CompareView
from desktop.ui.widgets.shortcuts_dialog import ShortcutsDialog
from tests.conftest import INDEX_TIMEOUT_MS, open_and_wait

SMALL = (1366, 768)  # the laptop screen these tests are about
VIEW_MIN_PX = 150


def view_heights(window: MainWindow) -> list[float]:
    plots = window.chart._plots.plot_widgets()
    assert plots, "no plot is shown"
    return [w.getPlotItem().getViewBox().sceneBoundingRect().height() for w in plots]


# ------------------------------------------------------------------------------ charts on a small screen


@pytest.mark.parametrize("panel", ["search", "problems"])
def test_at_1366x768_with_a_panel_open_every_chart_keeps_a_readable_height(
    make_window, seeds_copy: Path, qtbot: QtBot, panel: str
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy, SMALL)
    # Also a metric of its own plot (a count of questions is neither a rate nor an incident count).
    extra = [*window.chart.checked(), "总询问量"]
    window.chart.set_checked(extra)
    window.chart.metrics_chosen.emit(extra)
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.chart.series("总询问量") is not None)
    if panel == "search":
        with qtbot.waitSignal(window.search_presenter.search_finished, timeout=INDEX_TIMEOUT_MS):
            window.run_search("支付")
        dock = window.search_dock
    else:
        window.problems_dock.show()
        dock = window.problems_dock
    qtbot.waitUntil(dock.isVisible)
    QApplication.processEvents()
    assert window.width() == 1366 and window.height() == 768
    plots = window.chart._plots.plot_widgets()
    assert len(plots) == 3  # rates, availability & incidents, questions asked
    qtbot.waitUntil(lambda: min(view_heights(window)) >= VIEW_MIN_PX)
    for widget in plots:
        plot = widget.getPlotItem()
        view = plot.getViewBox().sceneBoundingRect()
        legend = next(
            (item for item in window.chart._plots.legends.values() if item.scene() is plot.scene()), None
        )
        # The legend sits below the data, never over it.
        if legend is not None and legend.items:
            assert legend.sceneBoundingRect().top() >= view.bottom() - 1
    # The column scrolls rather than squashing the plots.
    scroll = window.chart._plots.scroll_area
    assert scroll.verticalScrollBar().maximum() > 0


def test_on_a_large_screen_the_plots_fill_the_chart_panel(
    make_window, seeds_copy: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    """No empty band under the plots: the room the panel has goes to the charts."""
    window = make_window(seeds_copy, (1600, 1000))
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    scroll = window.chart._plots.scroll_area
    plots = window.chart._plots.plot_widgets()
    qtbot.waitUntil(lambda: scroll.viewport().height() > 2 * VIEW_MIN_PX)
    used = plots[-1].geometry().bottom() - plots[0].geometry().top()
    assert scroll.verticalScrollBar().maximum() == 0
    assert used >= scroll.viewport().height() - 10


def test_stability_plot_is_titled_by_what_it_shows(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy, SMALL)
    stability = window.chart._plots.stability.getPlotItem()
    assert "Availability & incidents" in stability.titleLabel.text
    only_incidents = [n for n in window.chart.checked() if n != "年度可用性"]
    window.chart.set_checked(only_incidents)
    assert "Incidents" in stability.titleLabel.text and "Availability" not in stability.titleLabel.text
    assert stability.getAxis("right").labelText == "incidents"


# ------------------------------------------------------------------------------ chosen metrics per folder


def test_charted_metrics_are_saved_per_folder_and_restored_to_defaults(
    make_window, seeds_copy: Path, tmp_path: Path, qtbot: QtBot, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    other.mkdir()
    (other / "2024-W10.md").write_text("# 2024-W10\n\n- 健康分：88\n- 准确率：91%\n", encoding="utf-8")
    (other / "2024-W11.md").write_text("# 2024-W11\n\n- 健康分：90\n- 准确率：93%\n", encoding="utf-8")
    window = make_window(seeds_copy, SMALL)
    defaults = window.chart.checked()
    window.chart.set_checked(["入金有效成功率"])
    window.chart.metrics_chosen.emit(["入金有效成功率"])
    assert settings.chosen_metrics(seeds_copy) == ["入金有效成功率"]

    open_and_wait(qtbot, window, other)
    assert settings.chosen_metrics(other) is None
    assert window.chart.checked(), "another folder's choice emptied this folder's chart"
    assert window.chart.message() is None

    open_and_wait(qtbot, window, seeds_copy)
    qtbot.waitUntil(lambda: window.chart.checked() == ["入金有效成功率"])

    with qtbot.waitSignal(window.chart_refreshed, timeout=INDEX_TIMEOUT_MS):
        window.chart._defaults_button.click()
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    assert window.chart.checked() == defaults
    assert settings.chosen_metrics(seeds_copy) is None


def test_opening_another_folder_clears_the_last_one_at_once(
    make_window, seeds_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy, SMALL)
    assert window.chart.series("入金有效成功率") is not None
    other = tmp_path / "next"
    other.mkdir()
    (other / "2024-W10.md").write_text("# 2024-W10\n\n- 入金有效成功率：99.9%\n", encoding="utf-8")
    window.open_folder(other)  # no event loop turn: what shows now is what the user sees at once
    assert window.chart.series("入金有效成功率") is None
    assert window.chart.message() == "Loading this folder's KPIs…"
    assert window.counts_label.text() == ""
    assert window.state.report is None and "Reading" in window.viewer.toPlainText()
    assert window.statusBar().currentMessage() == "Opening next …"
    assert window.status.progress.isVisibleTo(window)


# ---------------------------------------------------------------------------------------------- search


def test_search_says_when_it_is_capped_and_shows_more(make_window, tmp_path: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "many"
    folder.mkdir()
    for week in range(1, SEARCH_PAGE + 11):
        text = (
            f"# 2023-W{week:02d}\n\n## 本周进展\n\n- 完成**灰度**发布，见[方案](https://x.example/{week})\n"
        )
        (folder / f"2023-W{week:02d}.md").write_text(text, encoding="utf-8")
    window = make_window(folder, (1600, 1000))
    assert "Ctrl+F" in window.search_panel.summary.text()  # before any search: what the panel is for
    with qtbot.waitSignal(window.search_presenter.search_finished, timeout=INDEX_TIMEOUT_MS):
        window.run_search("灰度")
    model, panel = window.search_model, window.search_panel
    assert model.rowCount() == SEARCH_PAGE and model.capped
    assert panel.more_button.isVisibleTo(panel) and "there are more" in panel.summary.text()
    shown = model.index(0, 0).data()
    assert shown.startswith("2023-W") and ".md" not in shown.splitlines()[0]
    for text in (shown, model.index(0, 0).data(0x0100 + 2)):  # the display text and the painted HTML
        assert "**" not in text and "](" not in text and "##" not in text
    with qtbot.waitSignal(window.search_presenter.search_finished, timeout=INDEX_TIMEOUT_MS):
        panel.more_button.click()
    assert model.rowCount() == SEARCH_PAGE + 10 and not model.capped
    assert not panel.more_button.isVisibleTo(panel)


def test_snippets_read_as_plain_text() -> None:
    link = "[文档](https://x.y/z)"
    marked = f"## 【系统运行数据】 {HIT_START}支付{HIT_END}成功率： - **入金**：99.9% 见 {link} 和 `代码`"
    plain = plain_snippet(marked)
    assert plain == f"【系统运行数据】 {HIT_START}支付{HIT_END}成功率： 入金：99.9% 见 文档 和 代码"
    assert plain_snippet("…结尾见 [说明](https://x.example/a-long") == "…结尾见 说明"
    assert plain_snippet("| 指标 | 值 |") == "指标 · 值"


def test_a_hit_is_titled_by_its_report_label() -> None:
    def hit(report: str, label: str | None) -> Hit:
        return Hit(report, label, "2024-06-14", "x", 0, 1, "")

    assert report_title(hit("team/2024-W24.md", "2024-W24")) == "2024-W24"
    notion = "周报 0f1e2d3c4b5a69788796a5b4c3d2e1f0/第24周 总结 0123456789abcdef0123456789abcdef.md"
    assert report_title(hit(notion, None)) == "第24周 总结"


# ---------------------------------------------------------------------------------------------- exports


def test_exported_chart_is_twice_the_size_with_a_header(
    make_window, seeds_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy, (1600, 1000))
    chart = window.chart
    size = chart.export_size()
    plots_height = sum(w.height() for w in chart._plots.plot_widgets())
    assert size.height() > plots_height  # the header's room
    path = tmp_path / "chart.png"
    chart.export_png(path, folder=seeds_copy)  # 2× by default
    image = QImage(str(path))
    assert (image.width(), image.height()) == (size.width() * 2, size.height() * 2)
    header = chart._image_header(seeds_copy)
    assert "入金有效成功率" in header.title
    assert header.folder == str(seeds_copy)
    assert header.period == "2023-04-14 – 2024-08-21"
    # Something is drawn in the header band (its text), not only the background.
    band = image.copy(0, 0, image.width(), 2 * (size.height() - plots_height))
    background = band.pixelColor(0, 0)
    assert any(
        band.pixelColor(x, y) != background for x in range(0, band.width(), 3) for y in range(band.height())
    )
    chart.export_png(tmp_path / "small.png", scale=1.0, folder=seeds_copy)
    assert QImage(str(tmp_path / "small.png")).width() == size.width()


def test_the_window_asks_the_size_and_remembers_it(
    make_window, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy, (1600, 1000))
    offered: list[tuple[list[str], int]] = []

    def get_item(_parent, _title, _label, items, current, _editable):  # type: ignore[no-untyped-def]
        offered.append((items, current))
        return items[2], True  # 3×

    target = tmp_path / "out.png"
    monkeypatch.setattr("desktop.ui.exports.QInputDialog.getItem", get_item)
    monkeypatch.setattr("desktop.ui.exports.QFileDialog.getSaveFileName", lambda *a: (str(target), ""))
    window.actions_.export_png.trigger()
    items, current = offered[0]
    assert items[current].startswith("2×")  # the default
    assert QImage(str(target)).width() == window.chart.export_size().width() * 3
    window.actions_.export_png.trigger()
    assert offered[1][0][offered[1][1]].startswith("3×")  # the last choice is offered first


# ---------------------------------------------------------------------------------------------- compare


def _report(name: str, text: str):  # type: ignore[no-untyped-def]
    return parse_text(name, text, aliases=default_alias_table())


def test_the_plan_panel_says_when_the_earlier_report_has_no_plan(qtbot: QtBot) -> None:
    reports = {
        "a.md": _report("a.md", "# 2024-W10\n\n## 本周进展\n\n- 完成支付网关接入\n"),
        "b.md": _report("b.md", "# 2024-W11\n\n## 本周进展\n\n- 完成对账改造\n"),
    }
    view = CompareView(lambda _n: None, reports.get)
    qtbot.addWidget(view)
    view.show()
    view.compare("a.md", "b.md")
    tables = view.tables
    assert view.plan_model.rowCount() == 0
    assert tables.no_plan_label.isVisibleTo(view) and not tables.plan_table.isVisibleTo(view)
    assert "2024-W10" in tables.no_plan_label.text() and "no plan" in tables.no_plan_label.text()


def test_the_pairing_boxes_follow_f7(qtbot: QtBot) -> None:
    seeds = Path(__file__).parent.parent / "seeds"
    names = ("2024-W24.md", "2024-W34.md")
    reports = {n: _report(n, (seeds / n).read_text(encoding="utf-8")) for n in names}
    view = CompareView(lambda _n: None, reports.get)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.compare(*names)
    view.browser.setFocus()
    qtbot.waitUntil(view.browser.hasFocus)
    seen = []
    for key, modifier in ((Qt.Key.Key_F7, None), (Qt.Key.Key_F7, None), (Qt.Key.Key_F7, "shift")):
        if modifier:
            qtbot.keyClick(view, key, Qt.KeyboardModifier.ShiftModifier)
        else:
            qtbot.keyClick(view, key)
        document = view.diff.document
        assert document is not None and view.current_change() >= 0
        pair = document.changes[view.current_change()]
        if pair.left is not None:
            assert view.left_sections.currentData() == pair.left
        if pair.right is not None:
            assert view.right_sections.currentData() == pair.right
        seen.append((view.left_sections.currentData(), view.right_sections.currentData()))
    assert len(set(seen)) > 1  # the boxes moved with the walk


# ------------------------------------------------------------------------------- dialog and dark menus


def test_the_shortcuts_dialog_fits_its_contents(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy, SMALL)
    dialog = ShortcutsDialog(window.findChildren(QAction), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert table.rowCount() > 10
    assert table.horizontalScrollBar().maximum() == 0
    for column in range(2):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column)
    screen = dialog.screen().availableGeometry()
    if table.verticalHeader().length() + 120 < screen.height() * 0.9:
        assert table.verticalScrollBar().maximum() == 0


def test_unchecked_menu_items_show_a_box_in_the_dark_theme(qtbot: QtBot, qapp: QApplication) -> None:
    theme = ThemeSwitch(qapp)
    try:
        theme.apply("dark")
        menu = QMenu()
        qtbot.addWidget(menu)
        action = menu.addAction("Changes only")
        action.setCheckable(True)
        action.setChecked(False)
        menu.adjustSize()
        rect = menu.actionGeometry(action)
        image = menu.grab().toImage()
        border = QColor("#8b949e")

        def near(c: QColor) -> bool:
            return (
                abs(c.red() - border.red()) + abs(c.green() - border.green()) + abs(c.blue() - border.blue())
                < 40
            )

        # Left of the text, where the indicator goes: the box's outline is drawn.
        assert any(
            near(image.pixelColor(x, y))
            for x in range(rect.left(), rect.left() + 30)
            for y in range(rect.top(), rect.bottom())
        )
    finally:
        theme.apply("light")
        qapp.setStyleSheet("")
