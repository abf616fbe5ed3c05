"""The reviewer's window, driven as a user would: open, select, chart, search, watch, problems."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.core.aliases import default_alias_table
from desktop.ui.main_window import MainWindow
from desktop.ui.models.report_tree import KIND_ROLE, PATH_ROLE, SECTION_ROLE
from desktop.ui.settings import Settings
from tests.conftest import INDEX_TIMEOUT_MS


def top_level_reports(window: MainWindow) -> list[str]:
    model = window.tree_model
    paths = []
    for y in range(model.rowCount()):
        year = model.index(y, 0)
        for r in range(model.rowCount(year)):
            paths.append(str(model.index(r, 0, year).data(PATH_ROLE)))
    return paths


def test_seeds_are_listed_newest_first(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    assert top_level_reports(window) == [
        "2024-W34.md",
        "2024-W24.md",
        "2024-W17.md",
        "第42周 2023-10-13.md",
        "第16周 2023-04-14.md",
    ]
    years = [window.tree_model.index(i, 0).data() for i in range(window.tree_model.rowCount())]
    assert years == ["2024", "2023"]
    # The newest report is open on arrival.
    assert window.viewer.path == "2024-W34.md"
    assert "5 reports" in window.counts_label.text()


def test_every_item_model_passes_the_model_tester(
    make_window, seeds_copy: Path, qtmodeltester, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    qtmodeltester.check(window.tree_model)
    qtmodeltester.check(window.tree_panel.proxy)
    with qtbot.waitSignal(window.search_presenter.search_finished, timeout=INDEX_TIMEOUT_MS):
        window.run_search("贝易转")
    assert window.search_model.rowCount()
    qtmodeltester.check(window.search_model)
    qtmodeltester.check(window.problems_model)


def test_selecting_a_section_shows_its_text(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    index = window.tree_model.index_for("2024-W24.md", 9)  # 【生产事件】
    assert index.data() == "【生产事件】"
    window.tree_panel.tree.setCurrentIndex(window.tree_panel.proxy.mapFromSource(index))
    qtbot.waitUntil(lambda: window.viewer.section == 9)
    text = window.viewer.toPlainText()
    assert "实时数仓刷数" in text and "【系统运行数据】" not in text


def test_kpi_values_show_the_change_against_last_week(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    window.select_report("2024-W34.md", 8)  # 【系统运行数据】
    html = window.viewer.toHtml()
    text = window.viewer.toPlainText()
    assert "▲0.003 pp" in text  # 入金 99.995 → 99.998
    assert "▼0.003 pp" in text  # 出金 99.992 → 99.989
    assert "99.998%" in text and html.count("font-weight") >= 1


def test_the_chart_holds_the_seed_success_rates(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    series = window.chart.series("入金有效成功率")
    assert series is not None
    _, ys = series.getData()
    assert list(ys) == [99.99, 99.997, 99.997, 99.995, 99.998]


def test_clicking_a_point_selects_that_report(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    window.chart.click_point("入金有效成功率", 1)  # 第42周
    qtbot.waitUntil(lambda: window.viewer.path == "第42周 2023-10-13.md")
    current = window.tree_panel.tree.currentIndex()
    assert current.data(PATH_ROLE) == "第42周 2023-10-13.md"
    assert current.data(KIND_ROLE) == "section" and current.data() == "【系统运行数据】"


def test_a_file_changed_on_disk_shows_up(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    target = seeds_copy / "2024-W34.md"
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        target.write_text(target.read_text(encoding="utf-8").replace("99.998%", "99.5%", 1), encoding="utf-8")
    qtbot.waitUntil(lambda: list(window.chart.series("入金有效成功率").getData()[1])[-1] == 99.5)
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        shutil.copy(seeds_copy / "2024-W24.md", seeds_copy / "2024-W25.md")
    qtbot.waitUntil(lambda: "2024-W25.md" in top_level_reports(window))


def test_reopening_an_unchanged_folder_reads_the_chart_and_list_once(  # type: ignore[no-untyped-def]
    make_window, seeds_copy: Path, qtbot: QtBot
) -> None:
    """At 50,000 reports each pass over the listing or the chart's rows holds the interpreter for
    seconds: a run that finds the folder as the cache had it must not start them a second time."""
    window = make_window(seeds_copy)
    loader = window.chart_presenter.loader
    asked: list[object] = []
    listed: list[int] = []
    ask = loader.request
    loader.request = lambda *args, **kw: (asked.append(args), ask(*args, **kw))[1]  # type: ignore[method-assign]
    window.folder_controller.reports_listed.connect(lambda rows: listed.append(len(rows)))
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        window.open_folder(seeds_copy)
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    assert len(asked) == 1 and listed == [5]  # at opening, from the cache; not again after the run
    assert window.folder_controller.last_index_changed is False
    # Edited while the window looked elsewhere: the next run reads it, and the chart follows.
    window.folder_controller.watch.stop()
    target = seeds_copy / "2024-W34.md"
    target.write_text(target.read_text(encoding="utf-8").replace("99.998%", "99.5%", 1), encoding="utf-8")
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        window.open_folder(seeds_copy)
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    assert window.folder_controller.last_index_changed is True
    assert len(asked) == 3 and listed == [5, 5, 5]
    qtbot.waitUntil(lambda: list(window.chart.series("入金有效成功率").getData()[1])[-1] == 99.5)


def test_search_finds_and_opens_the_hit(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.actions_.search_edit.hasFocus()
    window.actions_.search_edit.setText(
        "贝易转"
    )  # QTest types ASCII only; an input method would commit this text
    with qtbot.waitSignal(window.search_presenter.search_finished, timeout=INDEX_TIMEOUT_MS):
        qtbot.keyClick(window.actions_.search_edit, Qt.Key.Key_Return)
    assert window.search_model.rowCount() >= 3
    assert window.search_dock.isVisible()
    first = window.search_model.index(0, 0)
    window.search_panel.view.activated.emit(first)
    hit = window.search_model.hit(0)
    assert hit is not None
    qtbot.waitUntil(lambda: window.viewer.path == hit.report)
    assert window.viewer.section == hit.section_index
    assert (
        "background-color:#ffe680" in window.viewer.toHtml().replace(" ", "")
        or "#ffe680" in window.viewer.toHtml()
    )


def test_bad_files_are_named_in_the_problems_panel(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "2024-W24.md").write_text("# 2024-W24\n\n入金有效成功率：99.9%\n", encoding="utf-8")
    (folder / "scan.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    (folder / "旧周报.md").write_bytes("# 第42周 2023-10-13\n\n- 入金有效成功率：99.997%\n".encode("gbk"))
    window = make_window(folder)
    model = window.problems_model
    rows = {model.index(r, 0).data(): model.index(r, 2).data() for r in range(model.rowCount())}
    assert rows["scan.md"] == "binary file (not text)"
    assert "GB18030" in rows["旧周报.md"]
    assert window.problems_dock.isVisible()
    assert set(top_level_reports(window)) == {"2024-W24.md", "旧周报.md"}


def test_state_persists_between_runs(make_window, seeds_copy: Path, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    window.chart.set_checked(["入金有效成功率"])
    window.chart.metrics_chosen.emit(["入金有效成功率"])
    window.splitter.setSizes([200, 800, 500])
    sizes = window.splitter.sizes()
    window.close()
    assert settings.last_folder == seeds_copy
    assert settings.chosen_metrics(seeds_copy) == ["入金有效成功率"]
    again = make_window(seeds_copy)
    assert again.chart.checked() == ["入金有效成功率"]
    # The window may come back at another size (the screen decides); the panes keep their proportions.
    share = [round(x / sum(sizes), 2) for x in sizes]
    assert [round(x / sum(again.splitter.sizes()), 2) for x in again.splitter.sizes()] == pytest.approx(
        share, abs=0.02
    )


def test_tree_filter_narrows_as_you_type(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    panel = window.tree_panel
    panel.filter_edit.setText("生产事件")
    qtbot.waitUntil(lambda: panel.proxy.filterRegularExpression().pattern() != "")
    visible = []

    def walk(parent):  # type: ignore[no-untyped-def]
        for r in range(panel.proxy.rowCount(parent)):
            idx = panel.proxy.index(r, 0, parent)
            if idx.data(KIND_ROLE) == "section":
                visible.append(idx.data())
            walk(idx)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    assert visible and set(visible) == {"【生产事件】"}
    assert all(idx is not None for idx in visible)
    assert panel.proxy.index(0, 0).data(SECTION_ROLE) == -1


def kpi_row(window: MainWindow, metric: str) -> list[str]:
    model = window.compare_view.kpi_model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == metric:
            return [str(model.index(row, c).data()) for c in range(model.columnCount())]
    raise AssertionError(f"{metric} not in the KPI table")


def test_ctrl_d_compares_with_the_week_before(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    window.select_report("2024-W34.md")
    window.tree_panel.tree.setFocus()
    qtbot.keyClick(window.tree_panel.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    view = window.compare_view
    assert window.stack.currentWidget() is view
    assert view.comparison is not None
    assert (view.comparison.left.path, view.comparison.right.path) == ("2024-W24.md", "2024-W34.md")
    row = kpi_row(window, "出金有效成功率")
    assert row[1:3] == ["99.992%", "99.989%"] and "-0.003 pp" in row[3]
    delta = next(m for m in view.comparison.metrics if m.metric == "出金有效成功率")
    assert delta.direction == "worse"
    view.browser.setFocus()
    qtbot.keyClick(view.browser, Qt.Key.Key_F7)
    assert view.current_change() == 0
    qtbot.keyClick(view.browser, Qt.Key.Key_F7)
    assert view.current_change() == 1
    assert window.actions_.export_pdf.isEnabled()
    window.actions_.back_to_reports.trigger()
    assert window.stack.currentWidget() is window.splitter


def test_picking_two_reports_in_the_tree_compares_them(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    tree = window.tree_panel
    from PySide6.QtCore import QItemSelectionModel

    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    tree.tree.selectionModel().clearSelection()  # the newest report is selected on arrival
    for path in ("2024-W17.md", "第42周 2023-10-13.md"):
        index = tree.proxy.mapFromSource(window.tree_model.index_for(path))
        tree.tree.selectionModel().select(index, flags)
    comparison = window.compare_view.comparison
    assert comparison is not None
    assert (comparison.left.path, comparison.right.path) == ("第42周 2023-10-13.md", "2024-W17.md")


def test_compare_from_the_command_line_names(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    assert window.compare_refs("第42周", "2024-W24")
    comparison = window.compare_view.comparison
    assert comparison is not None and comparison.right.path == "2024-W24.md"
    assert not window.compare_refs("2024", "2024-W24")  # ambiguous: three 2024 reports
    assert "2024-W17" in window.statusBar().currentMessage()


def test_dark_scheme_reaches_the_chart_and_viewer(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    light = window.chart.background_color().lightness()
    window.actions_.theme_actions["dark"].trigger()
    try:
        assert window.dark
        assert window.chart.background_color().lightness() < 80 < light
        assert window.viewer.palette_colors.text.lower() not in ("#000", "#000000", "#1f2328")
    finally:
        window.actions_.theme_actions["light"].trigger()
    assert window.chart.background_color().lightness() > 200


def test_first_run_note_on_the_samples_only(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.paths import seeds_dir

    window = make_window(seeds_dir())
    assert window.notice.isVisible() and "Ctrl+O" in window.notice.label.text()
    with_folder = make_window(seeds_copy)
    assert not with_folder.notice.isVisible()
    window.open_folder(seeds_copy)
    assert not window.notice.isVisible()


def test_an_empty_folder_says_so(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path)
    text = window.viewer.toPlainText()
    assert "No weekly reports were found" in text and ".md" in text
    assert window.chart.message() is not None


def test_text_size_keys(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    start = window.text_px
    window.actions_.bigger.trigger()
    window.actions_.bigger.trigger()
    assert window.text_px == start + 2
    assert (
        f"font-size:{start + 2}px" in window.viewer.toHtml().replace(" ", "")
        or window.viewer.text_px == start + 2
    )
    assert window.compare_view.text_px == start + 2
    window.actions_.normal_size.trigger()
    assert window.text_px == 15


def test_shortcuts_dialog_lists_every_shortcut(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.widgets.shortcuts_dialog import shortcut_rows

    window = make_window(seeds_copy)
    rows = dict(shortcut_rows(window.actions() + window.compare_view.actions()))
    keys = " ".join(rows.values())
    for key in ("Ctrl+O", "F5", "Ctrl+F", "Ctrl+D", "F7", "Shift+F7", "Ctrl+Q", "Ctrl+0"):
        assert key in keys, key


def test_an_unreadable_folder_says_so(
    qtbot: QtBot, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    window = MainWindow(default_alias_table(), settings)
    qtbot.addWidget(window)
    window.show()
    window.open_folder(locked)
    assert "may not read" in window.viewer.toPlainText()
    assert not window.folder_controller.busy and window.reader is None
    window.close()


def test_a_stray_undated_file_is_not_opened_as_the_latest_week(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    (seeds_copy / "LICENSE.txt").write_text("MIT License\n\nPermission is granted…\n", encoding="utf-8")
    window = make_window(seeds_copy)
    assert window.viewer.path == "2024-W34.md"
    assert window.tree_model.index_for("LICENSE.txt").isValid()  # still listed, with its warning


def test_a_folder_without_the_usual_kpis_charts_its_most_common_metric(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "english"
    folder.mkdir()
    for week, value in ((1, 97.5), (2, 98.25), (3, 99.0)):
        deploys = "- Deploys: 4\n" if week == 3 else ""
        (folder / f"2024-W0{week}.md").write_text(
            f"# Weekly Report — Week {week} (2024-01-0{week + 4})\n\n## KPIs\n\n"
            f"- Error budget left: {value}%\n{deploys}",
            encoding="utf-8",
        )
    window = make_window(folder)
    assert window.chart.checked() == ["Error budget left"]
    series = window.chart.series("Error budget left")
    assert series is not None and list(series.getData()[1]) == [97.5, 98.25, 99.0]


def test_a_folder_of_undated_issues_is_charted_by_issue_number(make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A numbered weekly copied in one go: every file has the same mtime, so no report has a date.
    folder = tmp_path / "weekly"
    folder.mkdir()
    values = {8: 99.1, 9: 99.2, 10: 99.4, 11: 99.0, 12: 99.3}
    for n, value in values.items():
        path = folder / f"每周分享第 {n} 期.md"
        path.write_text(
            f"# 每周分享第 {n} 期\n\n## 运行数据\n\n- 入金有效成功率：{value}%\n", encoding="utf-8"
        )
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    window = make_window(folder)
    series = window.chart.series("入金有效成功率")
    assert series is not None
    xs, ys = series.getData()
    assert list(xs) == [8, 9, 10, 11, 12] and list(ys) == list(values.values())
    assert window.chart.hover_text_at("入金有效成功率", 3).startswith("入金有效成功率 99%  ▼0.4 pp\n")


def test_with_many_teams_the_chart_follows_the_open_reports_team(
    make_window, tmp_path: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "org"
    teams = ["alpha", "beta", "delta", "gamma", "omega"]
    for n, team in enumerate(teams):
        (folder / team).mkdir(parents=True)
        for week, value in ((23, 99.1), (24, 99.2 + n / 100)):
            created = f"Created: 2024年6月{week - 16}日 17:49"
            text = f"# 2024-W{week}\n\n{created}\n\n## 数据\n\n- 入金有效成功率：{value}%\n"
            (folder / team / f"2024-W{week}.md").write_text(text, encoding="utf-8")
    window = make_window(folder)
    assert window.chart.team_box.count() == 1 + len(teams)
    window.select_report("gamma/2024-W24.md")
    qtbot.waitUntil(lambda: window.chart.series("入金有效成功率", "gamma") is not None)
    assert window.chart.series("入金有效成功率", "alpha") is None
    _, ys = window.chart.series("入金有效成功率", "gamma").getData()
    assert list(ys) == [99.1, 99.23]

    # Only the charted team's rows are loaded (a folder of 39 teams made 283,000 of them), though the
    # box lists every team; "All teams" loads every team's, and a team picked then needs no new load.
    loads: list[set[str | None]] = []
    window.chart_presenter.data_loaded.connect(lambda _n, rows, _g, _c: loads.append({r.team for r in rows}))
    window.select_report("beta/2024-W24.md")
    assert window.chart.message() == "Loading this folder's KPIs…"  # not "check metrics": rows are coming
    qtbot.waitUntil(lambda: window.chart.series("入金有效成功率", "beta") is not None)
    assert window.chart.message() is None
    assert loads == [{"beta"}] and window.chart_presenter.loaded_team == "beta"
    assert window.chart.team_box.count() == 1 + len(teams)
    window.chart.team_box.activated.emit(0)
    qtbot.waitUntil(lambda: all(window.chart.series("入金有效成功率", t) is not None for t in teams))
    assert loads[-1] == set(teams) and window.chart_presenter.loaded_team is None
    window.chart.team_box.activated.emit(window.chart.team_box.findData("omega"))
    assert window.chart.series("入金有效成功率", "omega") is not None and len(loads) == 2


def test_with_many_teams_a_folder_reopened_charts_the_team_of_the_report_it_opens_at(
    make_window, tmp_path: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    """The chart's first load from the cache is asked for before any report is open: it charts the team
    of the report the window then opens, so no second load follows (seconds each at 50,000 reports)."""
    folder = tmp_path / "org"
    for n, team in enumerate(["alpha", "beta", "delta", "gamma", "omega"]):
        (folder / team).mkdir(parents=True)
        for week in (23, 24) + ((25,) if team == "delta" else ()):
            created = f"Created: 2024年6月{week - 16}日 17:49"
            text = f"# 2024-W{week}\n\n{created}\n\n## 数据\n\n- 入金有效成功率：99.{week + n}%\n"
            (folder / team / f"2024-W{week}.md").write_text(text, encoding="utf-8")
    window = make_window(folder)
    loads: list[str | None] = []
    window.chart_presenter.loader.chart_data_loaded.connect(lambda _n, _r, _g, team: loads.append(team))
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        window.open_folder(folder)
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    assert window.state.report == "delta/2024-W25.md"  # the newest week
    assert loads == ["delta"]
    assert window.chart.series("入金有效成功率", "delta") is not None


def notion_folder(root: Path) -> Path:
    notion = "0123456789abcdef0123456789abcdef"
    root.mkdir()
    (root / f"2024-W24 {notion}.md").write_text(
        "# 2024-W24\n\nCreated: 2024年6月14日 17:49\n\n## 【O1】\n\n进展\n", encoding="utf-8"
    )
    days = root / f"2024-W24 {notion}"
    days.mkdir()
    for day in ("2024-06-12 周三", "2024-06-13 周四"):
        (days / f"{day}.md").write_text(f"# {day}\n\n- 日报内容\n", encoding="utf-8")
    (root / "2024-W23.md").write_text("# 2024-W23\n\nCreated: 2024年6月7日 17:49\n", encoding="utf-8")
    return root


def children_of(window: MainWindow, path: str) -> list[str]:
    item = window.tree_model.index_for(path)
    model = window.tree_model
    return sorted(
        str(model.index(r, 0, item).data(PATH_ROLE))
        for r in range(model.rowCount(item))
        if model.index(r, 0, item).data(KIND_ROLE) == "report"
    )


def test_notion_daily_pages_sit_under_their_week(make_window, tmp_path: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    folder = notion_folder(tmp_path / "notion")
    window = make_window(folder)
    week = next(p for p in top_level_reports(window) if p.startswith("2024-W24"))
    assert sorted(top_level_reports(window)) == ["2024-W23.md", week]
    assert [Path(p).name for p in children_of(window, week)] == ["2024-06-12 周三.md", "2024-06-13 周四.md"]
    # Editing the week itself keeps its daily pages under it.
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        (folder / week).write_text((folder / week).read_text(encoding="utf-8") + "\n更多\n", encoding="utf-8")
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    assert len(children_of(window, week)) == 2


def test_an_empty_file_written_later_is_picked_up(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    draft = seeds_copy / "2024-W35.md"
    draft.write_bytes(b"")
    window = make_window(seeds_copy)
    assert "2024-W35.md" not in top_level_reports(window)
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        draft.write_text("# 2024-W35\n\n- 入金有效成功率：99.9%\n", encoding="utf-8")
    qtbot.waitUntil(lambda: "2024-W35.md" in top_level_reports(window))


def test_opening_another_folder_while_indexing_switches_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop.ui.folder_controller import FolderController
    from desktop.ui.models.report_tree import ReportTreeModel

    big = tmp_path / "big"
    big.mkdir()
    for i in range(600):
        (big / f"r{i:03}.md").write_text(f"# 2023-W{i % 50 + 1:02}\n\n## 进展\n\n第{i}份\n", encoding="utf-8")
    small = notion_folder(tmp_path / "small")
    session = FolderController(default_alias_table(), ReportTreeModel())
    try:
        session.open(big)
        with qtbot.waitSignal(session.index_finished, timeout=INDEX_TIMEOUT_MS) as blocker:
            session.open(small)
        summary, rows = blocker.args
        assert summary.reports == 4 and len(rows) == 4
        assert session.folder == small
        qtbot.waitUntil(session.settled, timeout=INDEX_TIMEOUT_MS)
        assert len(session.model.report_paths()) == 4
    finally:
        session.shutdown()


def test_a_damaged_cache_is_rebuilt_not_a_crash(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.paths import cache_path_for
    from desktop.store.indexer import open_and_index

    for i in range(300):  # a cache large enough to damage in the middle
        (seeds_copy / f"extra-{i:03}.md").write_text(
            f"# 2022-W{i % 50 + 1:02}\n\n## 进展\n\n{'内容' * 200}\n", encoding="utf-8"
        )
    cache, _ = open_and_index(seeds_copy)
    cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()
    path = cache_path_for(seeds_copy)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 3)
        handle.write(b"\x5a" * (size // 3))
    window = make_window(seeds_copy)  # opening reads the damaged file before the indexer rebuilds it
    assert window.folder_controller.settled()
    assert len(window.tree_model.report_paths()) == 305
    assert "305 reports" in window.counts_label.text()


def test_a_page_added_later_takes_its_sub_pages_under_it(make_window, tmp_path: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    folder = notion_folder(tmp_path / "notion")
    week = next(p.name for p in folder.glob("2024-W24 *.md"))
    moved = folder / "moved.md"
    (folder / week).rename(moved)  # the week's page is missing: its daily pages are listed alone
    window = make_window(folder)
    assert len(top_level_reports(window)) == 4  # the renamed page, its two daily pages, 2024-W23
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        moved.rename(folder / week)
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    assert sorted(top_level_reports(window)) == ["2024-W23.md", week]
    assert len(children_of(window, week)) == 2


def test_the_report_shown_on_arrival_is_marked_in_the_tree(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    current = window.tree_panel.tree.currentIndex()
    assert current.isValid() and current.data(PATH_ROLE) == window.viewer.path == "2024-W34.md"


def test_ctrl_d_and_named_compares_ask_the_cache_for_no_report_list(  # type: ignore[no-untyped-def]
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store import queries

    window = make_window(seeds_copy)
    view = window.compare_view
    assert view.left_picker.model() is view.right_picker.model() is window.compare_presenter.reports
    assert view.left_picker.count() == 5

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the report list is read once per index, not per compare")

    monkeypatch.setattr(queries, "list_reports", forbidden)
    monkeypatch.setattr(queries, "resolve_report", forbidden)
    window.select_report("2024-W24.md")
    window.actions_.compare_previous.trigger()
    assert window.state.view == "compare" and window.state.compare == ("2024-W17.md", "2024-W24.md")
    assert view.comparison is not None and view.comparison.left.path == "2024-W17.md"
    assert window.compare_refs("第16周", "第42周")
    assert window.state.compare == ("第16周 2023-04-14.md", "第42周 2023-10-13.md")
    window.actions_.back_to_reports.trigger()
    assert window.stack.currentWidget() is window.splitter and window.state.view == "reports"


def test_only_the_latest_search_reaches_the_results(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    answered: list[str] = []
    window.search_presenter.search_finished.connect(lambda query, _hits: answered.append(query))
    window.run_search("贝易转")
    window.run_search("成功率")  # typed before the first answer came back
    qtbot.waitUntil(lambda: not window.search_presenter.busy, timeout=INDEX_TIMEOUT_MS)
    assert answered == ["成功率"] and window.search_model.query == "成功率"
    assert window.search_model.rowCount() > 0


def test_what_is_shown_is_held_in_the_view_state(make_window, seeds_copy: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    assert window.state.folder == seeds_copy and window.state.report == "2024-W34.md"
    index = window.tree_model.index_for("2024-W24.md", 9)
    window.tree_panel.tree.setCurrentIndex(window.tree_panel.proxy.mapFromSource(index))
    assert (window.state.report, window.state.section) == ("2024-W24.md", 9)
    assert window.viewer.path == "2024-W24.md" and "实时数仓刷数" in window.viewer.toPlainText()
    window.state.show_report("2024-W17.md")  # from anywhere: the viewer and the tree follow
    assert window.viewer.path == "2024-W17.md"
    assert window.tree_panel.tree.currentIndex().data(PATH_ROLE) == "2024-W17.md"
    window.state.zoom(3)
    assert window.viewer.text_px == window.compare_view.text_px == window.state.text_px


def test_a_feature_page_is_shown_while_the_state_names_its_view(make_window, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    window = make_window(seeds_copy)
    page = QLabel("overview")
    window.add_page("overview", page)
    assert window.stack.currentWidget() is window.splitter
    window.state.view = "overview"
    assert window.stack.currentWidget() is page
    window.state.show_report("2024-W24.md")  # opening a report brings the reports back
    assert window.stack.currentWidget() is window.splitter


def test_the_metric_list_offers_kpis_and_the_one_off_figures_only_when_asked(
    make_window, seeds_copy: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    from desktop.store import queries

    window = make_window(seeds_copy)
    kinds = window.folder_controller.read(queries.metric_kinds, {})
    figures = sorted(n for n, k in kinds.items() if k == "figure")
    assert figures and "入金有效成功率" in kinds and kinds["入金有效成功率"] == "kpi"
    listed = window.chart.metric_model.names()
    assert "入金有效成功率" in listed and not set(figures) & set(listed)
    window.chart._figures_box.setChecked(True)  # the "All figures" box, as a click would
    qtbot.waitUntil(lambda: set(figures) <= set(window.chart.metric_model.names()))
    window.chart._figures_box.setChecked(False)
    qtbot.waitUntil(lambda: not set(figures) & set(window.chart.metric_model.names()))


def test_reports_without_any_date_sit_under_undated_after_the_years(
    make_window, qtbot: QtBot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import os

    folder = tmp_path / "weekly"
    folder.mkdir()
    for n in (9, 10, 11, 12, 13):
        (folder / f"issue-{n}.md").write_text(f"# 科技周刊：第 {n} 期\n\n- 本期内容\n", encoding="utf-8")
        os.utime(folder / f"issue-{n}.md", (1_700_000_000, 1_700_000_000))  # one unzip: one file time
    (folder / "2024-W24.md").write_text("# 2024-W24\n\nCreated: 2024年6月14日 17:49\n\n- 本周\n", "utf-8")
    window = make_window(folder)
    model = window.tree_model
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert labels == ["2024", "Undated"]
    undated = model.index(1, 0)
    issues = [model.index(r, 0, undated).data() for r in range(model.rowCount(undated))]
    assert issues == [f"科技周刊：第 {n} 期" for n in (13, 12, 11, 10, 9)]  # newest first, as the years


def test_the_first_index_scans_only_once_the_folder_is_watched(
    qtbot: QtBot, settings: Settings, seeds_copy: Path
) -> None:
    """The watch starts in a process of its own, which takes a moment: a report saved in that moment
    must not fall between the scan (done already) and the watch (not yet in place)."""
    window = MainWindow(default_alias_table(), settings)
    qtbot.addWidget(window)
    window.show()
    order: list[str] = []
    window.folder_controller.watch.watch_started.connect(lambda _folder: order.append("watching"))
    window.index_done.connect(lambda _summary: order.append("indexed"))
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        window.open_folder(seeds_copy)
    assert order[:2] == ["watching", "indexed"]
    # And what is saved once the index is done is in the window without a reload.
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        (seeds_copy / "2024-W40.md").write_text("# 2024-W40\n\n- 入金有效成功率：99.9%\n", encoding="utf-8")
    qtbot.waitUntil(
        lambda: "2024-W40.md" in [r.path for r in window.folder_controller.rows], timeout=INDEX_TIMEOUT_MS
    )
    window.close()
