"""The overview, timeline and progress pages in the real window: reached from their actions and context
menus, every row leading back to its report, the digest exported, a work item charted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from overview_folder import LAST, write_target_table, write_teams
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.models.report_tree import KIND_ROLE
from tests.conftest import INDEX_TIMEOUT_MS

TIMEOUT_MS = 20_000


@pytest.fixture
def no_popups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Context menus are built as for a right click but not put on screen (no grabs offscreen)."""

    def popup(_menu: QMenu, _pos: QPoint, _at: object = None) -> None:
        pass

    monkeypatch.setattr(QMenu, "popup", popup)


def timeline_entry(menu: QMenu | None) -> QAction:
    assert menu is not None
    found = [a for a in menu.actions() if a.text() == "Timeline of this topic"]
    assert len(found) == 1, [a.text() for a in menu.actions()]
    return found[0]


def open_overview(window: MainWindow, qtbot: QtBot) -> None:
    page = window.pages.overview
    if page.overview is None:  # read once per index run, when it first comes to the front
        with qtbot.waitSignal(page.overview_shown, timeout=TIMEOUT_MS):
            window.actions_.show_overview.trigger()
    else:
        window.actions_.show_overview.trigger()
    assert window.stack.currentWidget() is page and window.state.view == "overview"
    assert window.actions_.show_overview.isChecked() and window.actions_.back_to_reports.isEnabled()


def test_the_overview_opens_from_its_action_and_an_alert_opens_its_report(
    make_window, qtbot: QtBot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    write_target_table(Path(os.environ["WEEKLY_REVIEW_CONFIG_DIR"]))
    window: MainWindow = make_window(write_teams(tmp_path))
    open_overview(window, qtbot)
    page = window.pages.overview
    assert page.week_box.currentText() == LAST
    alerts = page.alerts
    row = next(r for r in range(alerts.rowCount()) if alerts.index(r, 6).data() == "below target")
    view = page.views["alerts"]
    view.setCurrentIndex(alerts.index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    # The reports are in front again, the report open at the alert's line.
    assert window.state.view == "reports" and window.stack.currentWidget() is window.splitter
    assert not window.actions_.show_overview.isChecked()
    qtbot.waitUntil(lambda: window.viewer.path == "gamma/2024/2024-W34.md")
    assert window.state.line == 12 and "92%" in window.viewer.toPlainText()
    # And Alt+Left's action leads back from the overview too.
    open_overview(window, qtbot)
    window.actions_.back_to_reports.trigger()
    assert window.state.view == "reports" and not window.actions_.back_to_reports.isEnabled()


def test_the_overview_of_the_seeds_lists_w34s_three_incidents(
    make_window, qtbot: QtBot, seeds_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(seeds_copy)
    open_overview(window, qtbot)
    page = window.pages.overview
    assert page.week_box.currentText() == "2024-W34"
    incidents = page.incidents
    assert [(incidents.index(r, 1).data(), incidents.index(r, 2).data()) for r in range(3)] == [
        ("2024-08-20", "17:41"),
        ("2024-08-20", "11:19"),
        ("2024-08-19", "15:00"),
    ]
    assert incidents.rowCount() == 3 and page.tabs.tabText(1) == "Incidents (3)"
    page.views["incidents"].activated.emit(incidents.index(2, 3))
    qtbot.waitUntil(lambda: window.viewer.path == "2024-W34.md")
    assert "684" in window.viewer.toPlainText() and window.state.view == "reports"


def test_the_timeline_page_offers_the_recurring_topics_before_one_is_chosen(
    make_window, qtbot: QtBot, seeds_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QUrl

    from desktop.ui.topics.timeline_view import TOPIC_SCHEME

    window: MainWindow = make_window(seeds_copy)
    presenter, view = window.pages.timeline, window.pages.timeline_view
    with qtbot.waitSignal(presenter.topics_listed, timeout=TIMEOUT_MS) as listed:
        window.actions_.show_timeline.trigger()
    found = dict(listed.args[0])
    # The OKR sections of 2024 recur three times, the plan every week; a one-off topic is no timeline.
    assert found["下周工作及目标"] == 5 and found["【O1 业务服务】"] == 3
    assert "【好店】" not in found
    assert "【贝易转】" in view.detail.toPlainText() and "Choose a topic" in view.heading_text()
    row = list(found).index("【贝易转】")
    with qtbot.waitSignal(presenter.timeline_finished, timeout=TIMEOUT_MS) as finished:
        view.detail.anchorClicked.emit(QUrl(f"{TOPIC_SCHEME}:{row}"))
    assert finished.args[0] == 3 and presenter.topic == "【贝易转】"
    assert [e.label for e in presenter.model.entries()] == ["2024-W17", "2024-W24", "2024-W34"]


def test_the_timeline_opens_from_a_sections_menu_in_the_tree_and_jumps_to_an_entry(
    make_window, qtbot: QtBot, seeds_copy: Path, no_popups: None
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(seeds_copy)
    panel = window.tree_panel
    source = window.tree_model.index_for("2024-W17.md", 0)
    assert source.data(KIND_ROLE) == "section" and "贝易转" in source.data()
    index = panel.proxy.mapFromSource(source)
    panel.tree.scrollTo(index)
    panel.tree.customContextMenuRequested.emit(panel.tree.visualRect(index).center())
    presenter = window.pages.timeline
    with qtbot.waitSignal(presenter.timeline_finished, timeout=TIMEOUT_MS) as finished:
        timeline_entry(panel.section_menu).trigger()
    assert finished.args[0] == 3  # W17's 【贝易转（C转）】, W24's and W34's 【贝易转】
    assert window.state.view == "timeline" and window.stack.currentWidget() is window.pages.timeline_view
    assert window.actions_.show_timeline.isChecked()
    model = presenter.model
    assert [e.label for e in model.entries()] == ["2024-W17", "2024-W24", "2024-W34"]
    view = window.pages.timeline_view
    view.list.activated.emit(model.index(model.entry_row("2024-W24.md")))
    assert window.state.view == "reports" and window.stack.currentWidget() is window.splitter
    qtbot.waitUntil(lambda: window.viewer.path == "2024-W24.md")
    entry = model.entry(model.entry_row("2024-W24.md"))
    assert entry is not None and window.viewer.section == entry.index
    assert "贝易转" in window.viewer.toPlainText()
    # A click on a report's own row (not a section) offers the reviewer's entries, but no timeline.
    panel.section_menu = None
    report = panel.proxy.mapFromSource(window.tree_model.index_for("2024-W17.md"))
    panel.tree.customContextMenuRequested.emit(panel.tree.visualRect(report).center())
    assert panel.section_menu is not None
    texts = [a.text() for a in panel.section_menu.actions()]
    assert "Timeline of this topic" not in texts and any("Note" in t for t in texts)


def test_the_timeline_opens_from_the_viewers_menu(
    make_window, qtbot: QtBot, seeds_copy: Path, no_popups: None
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(seeds_copy)
    window.select_report("2024-W34.md")  # the whole report: the section is the one under the pointer
    viewer = window.viewer
    qtbot.waitUntil(lambda: viewer.path == "2024-W34.md" and viewer.section == -1)
    viewer.resize(900, 2000)
    block = viewer.document().find("【系统运行数据】")
    assert not block.isNull()
    rect = viewer.cursorRect(block)
    pos = QPoint(rect.center().x(), rect.bottom() + 30)  # in the section's text, under its title
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewer.viewport().mapToGlobal(pos))
    QApplication.sendEvent(viewer.viewport(), event)
    presenter = window.pages.timeline
    with qtbot.waitSignal(presenter.timeline_finished, timeout=TIMEOUT_MS) as finished:
        timeline_entry(viewer.section_menu).trigger()
    assert presenter.topic == "【系统运行数据】" and finished.args[0] == 5  # every seed has it
    assert window.state.view == "timeline"
    model = presenter.model
    row = model.entry_row("第42周 2023-10-13.md")
    window.pages.timeline_view.list.activated.emit(model.index(row))
    qtbot.waitUntil(lambda: viewer.path == "第42周 2023-10-13.md")
    assert window.state.view == "reports" and "【系统运行数据】" in viewer.toPlainText()


def test_the_timelines_export_goes_through_the_export_service(
    make_window, qtbot: QtBot, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(seeds_copy)
    with qtbot.waitSignal(window.pages.timeline.timeline_finished, timeout=TIMEOUT_MS):
        window.pages.show_timeline("贝易转")
    asked: list[str] = []
    out = tmp_path / "out" / "timeline.md"
    out.parent.mkdir()

    def save_name(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    with qtbot.waitSignal(window.exports.exported, timeout=TIMEOUT_MS):
        window.pages.timeline_view.export_markdown_button.click()
    assert asked and not Path(asked[0]).is_relative_to(seeds_copy) and asked[0].endswith(".md")
    text = out.read_text(encoding="utf-8")
    assert "2024-W17" in text and "2024-W34" in text


def test_the_digest_is_exported_through_the_export_service(
    make_window, qtbot: QtBot, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(seeds_copy)
    asked: list[str] = []
    target = {"path": tmp_path / "digest.json"}

    def save_name(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return str(target["path"]), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    # The overview has not been in front: it is read first, then the dialog asks where.
    assert window.pages.overview.overview is None
    with qtbot.waitSignal(window.exports.exported, timeout=TIMEOUT_MS) as written:
        window.actions_.export_digest["json"].trigger()
    assert written.args == [str(target["path"])]
    assert Path(asked[0]).name == f"digest-{seeds_copy.name}-2024-W34.json"
    assert not Path(asked[0]).is_relative_to(seeds_copy)
    data = json.loads(target["path"].read_text(encoding="utf-8"))
    assert data["week"] == "2024-W34" and len(data["incidents"]) == 3
    # HTML too; and the report folder is refused, with the reason said, nothing written there.
    target["path"] = tmp_path / "digest.html"
    with qtbot.waitSignal(window.exports.exported, timeout=TIMEOUT_MS):
        window.actions_.export_digest["html"].trigger()
    assert "<html" in target["path"].read_text(encoding="utf-8").lower()
    target["path"] = seeds_copy / "digest.md"
    monkeypatch.setattr("desktop.ui.exports.QMessageBox.warning", lambda *args: None)
    with qtbot.waitSignal(window.exports.export_failed, timeout=TIMEOUT_MS) as failed:
        window.actions_.export_digest["md"].trigger()
    assert "inside the report folder" in failed.args[1] and not (seeds_copy / "digest.md").exists()


def test_charting_a_progress_item_puts_it_in_the_chart(make_window, qtbot: QtBot, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(seeds_copy)
    window.actions_.show_chart.setChecked(False)  # hidden: charting shows it again
    progress = window.pages.progress
    with qtbot.waitSignal(progress.progress_loaded, timeout=TIMEOUT_MS):
        window.actions_.show_progress.trigger()
    assert window.stack.currentWidget() is window.pages.progress_view
    model = progress.model
    row = next(r for r in range(model.rowCount()) if "M6V" in model.index(r, 0).data())
    view = window.pages.progress_view
    view.select_item(row)
    name = model.series(row).item  # type: ignore[union-attr]
    view.chart_button.click()
    assert window.state.view == "reports" and window.chart.isVisible()
    series = window.chart.series(name)
    assert series is not None
    assert list(series.getData()[1]) == [85, 90, 95]
    assert name in window.chart.legend_names() and window.chart.checked() == [name]
    assert window.chart.rates_title() == name  # the plot is titled by the item, not "Success rates"
    # The chart's next reload (a re-index) keeps the item; the item is not saved as a chosen metric.
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        window.actions_.reindex.trigger()
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    assert window.chart.series(name) is not None
    assert name not in (window.settings.chosen_metrics(seeds_copy) or [])
    assert window.chart.rates_title() == name
    # A progress point opens its report.
    window.actions_.show_progress.trigger()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=TIMEOUT_MS)
    row = next(r for r in range(model.rowCount()) if "M6V" in model.index(r, 0).data())
    view.table.activated.emit(view.proxy.mapFromSource(model.index(row, 0)))
    qtbot.waitUntil(lambda: window.viewer.path == "2024-W34.md")
    assert window.state.view == "reports"


def test_the_pages_follow_a_folder_switch(
    make_window, qtbot: QtBot, seeds_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(seeds_copy)
    open_overview(window, qtbot)
    with qtbot.waitSignal(window.pages.timeline.timeline_finished, timeout=TIMEOUT_MS):
        window.pages.show_timeline("贝易转")
    other = write_teams(tmp_path / "other")
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        window.open_folder(other)
        # At once: nothing of the seeds is left on any page.
        assert window.pages.overview.incidents.rowCount() == 0
        assert window.pages.overview.week_box.count() == 0
        assert window.pages.timeline.model.rowCount() == 0 and not window.pages.timeline.topic
    with qtbot.waitSignal(window.pages.overview.overview_shown, timeout=TIMEOUT_MS) as shown:
        window.actions_.show_overview.trigger()
    assert shown.args == [LAST] and window.pages.overview.teams.rowCount() == 4


def test_the_command_line_can_open_a_page() -> None:
    from desktop.ui.app import parse_args

    args = parse_args(["seeds", "--view", "timeline", "--topic", "贝易转"])
    assert (args.view, args.topic) == ("timeline", "贝易转")
    with pytest.raises(SystemExit):
        parse_args(["seeds", "--view", "elsewhere"])


def test_the_timeline_action_takes_the_section_shown(make_window, qtbot: QtBot, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(seeds_copy)
    window.select_report("2024-W24.md", 9)  # 【生产事件】
    with qtbot.waitSignal(window.pages.timeline.timeline_finished, timeout=TIMEOUT_MS):
        window.actions_.show_timeline.trigger()
    assert window.pages.timeline.topic == "【生产事件】" and window.state.view == "timeline"
    assert window.actions_.show_timeline.isChecked()
