"""The overview page in the window's terms: what a manager sees for a week, and where a row leads."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from overview_folder import LAST, SILENT_TOPIC, STUCK_ITEM, write_target_table, write_teams
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.qtbot import QtBot

from desktop.store.indexer import open_and_index
from desktop.ui.overview import OverviewPage
from desktop.ui.overview.models import LINK_ROLE
from desktop.ui.view_state import ViewState

TIMEOUT_MS = 20_000


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    write_target_table(Path(os.environ["WEEKLY_REVIEW_CONFIG_DIR"]))
    folder = write_teams(tmp_path)
    cache, _ = open_and_index(folder)
    cache.close()
    return cache.path


@pytest.fixture
def page(qtbot: QtBot, cache_path: Path) -> Iterator[OverviewPage]:
    state = ViewState()
    widget = OverviewPage(state=state)
    qtbot.addWidget(widget)
    widget.state_for_test = state  # type: ignore[attr-defined]
    with qtbot.waitSignal(widget.overview_shown, timeout=TIMEOUT_MS) as shown:
        widget.set_folder(cache_path, "org")
    assert shown.args == [LAST]
    yield widget
    widget.shutdown()


def cells(model: QAbstractItemModel) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def column(model: QAbstractItemModel, name: str) -> int:
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return heads.index(name)


def test_every_model_passes_the_model_tester(page: OverviewPage, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for model in (page.teams, page.alerts, page.incidents, page.plans, page.silent):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_the_week_at_a_glance(page: OverviewPage) -> None:
    assert page.week_box.currentText() == LAST and page.week_box.count() == 12
    teams = {row[0]: row for row in cells(page.teams)}
    assert list(teams) == ["alpha", "beta", "delta", "gamma"]
    assert teams["alpha"][1:5] == ["2024-W34", "present", "0", "1"]  # one missing week: W30
    assert teams["alpha"][5] == "–"  # read state: only with the reviewer's memory (the window)
    assert teams["beta"][2] == "not due (biweekly)" and teams["beta"][4] == "0"
    assert teams["gamma"][3] == "2" and teams["delta"][3] == "1"
    alerts = cells(page.alerts)
    rule, metric = column(page.alerts, "Rule"), column(page.alerts, "Metric")
    assert sorted((a[0], a[metric], a[rule]) for a in alerts) == [
        ("delta", "事故数AB级", "AB-grade incidents"),
        ("gamma", "入金有效成功率", "unusual change"),
        ("gamma", "准确率", "below target"),
    ]
    breached = next(a for a in alerts if a[rule] == "below target")
    # The change is kpis.change's, as the viewer's badge and the chart's hover give it.
    assert breached[2:6] == ["92%", "96%", "▼4 pp", "95%"] and breached[7] == "- 准确率：92%（目标95%）"
    assert [(r[0], r[1], r[2]) for r in cells(page.incidents)] == [
        ("delta", "2024-08-21", "09:30"),
        ("delta", "2024-08-19", "15:00"),
    ]
    stuck = [r for r in cells(page.plans) if r[1] == STUCK_ITEM]
    assert stuck == [["delta", STUCK_ITEM, "not found", "3"]]
    assert cells(page.silent) == [["alpha", SILENT_TOPIC, "2024-W32", "2"]]
    assert page.tabs.tabText(0) == "KPI alerts (3)" and page.tabs.tabText(3) == "Silent topics (1)"


def test_a_row_opens_its_report_at_its_line(page: OverviewPage, qtbot: QtBot) -> None:
    state: ViewState = page.state_for_test  # type: ignore[attr-defined]
    view = page.views["alerts"]
    rule = column(page.alerts, "Rule")
    row = next(
        r for r in range(page.alerts.rowCount()) if page.alerts.index(r, rule).data() == "below target"
    )
    index = page.alerts.index(row, 0)
    view.setCurrentIndex(index)
    with qtbot.waitSignal(page.report_activated) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    path, section, line = opened.args
    assert path == "gamma/2024/2024-W34.md" and isinstance(section, int) and line == 12
    assert (state.report, state.section, state.line, state.view) == (path, section, 12, "reports")
    # The silent topic opens where it was last written.
    page.views["silent"].setCurrentIndex(page.silent.index(0, 1))
    with qtbot.waitSignal(page.report_activated) as opened:
        qtbot.keyClick(page.views["silent"], Qt.Key.Key_Return)
    assert opened.args[0] == "alpha/2024/2024-W32.md" and opened.args[2] == 9
    # A team without a report this week has nowhere to go.
    beta = next(r for r in range(page.teams.rowCount()) if page.teams.index(r, 0).data() == "beta")
    assert page.teams.index(beta, 0).data(LINK_ROLE) is None


def test_choosing_an_earlier_week(page: OverviewPage, qtbot: QtBot) -> None:
    with qtbot.waitSignal(page.overview_shown, timeout=TIMEOUT_MS) as shown:
        page.week_box.setCurrentIndex(page.week_box.findText("2024-W31"))
    assert shown.args == ["2024-W31"] and page.week_box.currentText() == "2024-W31"
    assert page.alerts.rowCount() == 0 and page.incidents.rowCount() == 0
    teams = {row[0]: row for row in cells(page.teams)}
    assert teams["alpha"][4] == "1" and teams["beta"][2] == "present"  # W31 is one of beta's weeks
    assert page.tabs.tabText(0) == "KPI alerts (0)"


def test_the_window_exports_the_same_digest(page: OverviewPage, tmp_path: Path) -> None:
    out = tmp_path / "out" / "digest.md"
    out.parent.mkdir()
    folder = tmp_path / "org"
    assert page.export_digest(out, "md", folder) is None
    text = out.read_text(encoding="utf-8")
    assert f"# Weekly digest {LAST}" in text and STUCK_ITEM in text
    refusal = page.export_digest(folder / "digest.md", "html", folder)
    assert refusal is not None and "inside the report folder" in refusal
    assert not (folder / "digest.md").exists()


def test_a_folder_without_dated_reports(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    cache, _ = open_and_index(folder)
    cache.close()
    widget = OverviewPage()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.overview_shown, timeout=TIMEOUT_MS) as shown:
        widget.set_folder(cache.path, "empty")
    widget.shutdown()
    assert shown.args == [""] and widget.overview is None and widget.week_box.count() == 0
    assert widget.status.text() == "No dated reports in this folder."


def test_a_failure_in_the_worker_is_shown_not_raised(qtbot: QtBot, cache_path: Path) -> None:
    from desktop.ui.overview import OverviewPresenter

    def broken(name: str) -> None:
        raise RuntimeError("alias table gone")

    presenter = OverviewPresenter(info=broken)
    widget = OverviewPage(presenter=presenter)
    qtbot.addWidget(widget)
    try:
        with qtbot.waitSignal(presenter.overview_failed, timeout=TIMEOUT_MS) as failed:
            widget.set_folder(cache_path, "org")
    finally:
        widget.shutdown()
    assert failed.args == ["RuntimeError: alias table gone"]
    assert widget.status.text() == "Could not read the overview: RuntimeError: alias table gone"
    assert widget.overview is None and not presenter.busy


def test_only_the_latest_question_is_answered(qtbot: QtBot, cache_path: Path) -> None:
    from desktop.ui.overview import OverviewPresenter

    follow_up = {"team": "delta", "text": "复盘出金通道超时"}
    asked: list[tuple[tuple[str, ...], str]] = []

    def follow_ups(teams: object, week: str) -> list[dict[str, object]]:
        asked.append((tuple(teams), week))  # type: ignore[arg-type]
        return [follow_up]

    presenter = OverviewPresenter(follow_ups=follow_ups)
    answers: list[str] = []

    def answered(result: object) -> None:
        answers.append(result.overview.week)  # type: ignore[attr-defined]

    presenter.overview_loaded.connect(answered)
    try:
        presenter.load(cache_path, "org", "2024-W25")
        presenter.load(cache_path, "org", "2024-W26")
        presenter.load(cache_path, "org", "2024-W27")
        qtbot.waitUntil(lambda: not presenter.busy, timeout=TIMEOUT_MS)
    finally:
        presenter.shutdown()
    assert answers == ["2024-W27"]
    assert presenter.result is not None and presenter.result.overview is not None
    assert presenter.result.overview.follow_ups == [follow_up]
    assert asked[-1] == (("alpha", "beta", "delta", "gamma"), "2024-W27")
