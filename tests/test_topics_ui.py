"""The timeline and progress views standalone: loading in the background, jumping, exporting, charting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from pytestqt.qtbot import QtBot

from desktop.core.progress import Series
from desktop.store.indexer import open_and_index
from desktop.store.topics import series_metric_rows
from desktop.ui.topics import (
    ProgressPresenter,
    ProgressView,
    SparklineDelegate,
    TimelineAction,
    TimelinePresenter,
    TimelineView,
    TopicsLoader,
)
from desktop.ui.topics.timeline_model import DELTA_ROLE, GAP_ROLE, HTML_ROLE
from desktop.ui.view_state import ViewState
from tests.test_topics import write_weeks

TIMEOUT_MS = 20_000


def cache_of(folder: Path) -> Path:
    cache, _ = open_and_index(folder)
    path = cache.path
    cache.close()
    return path


@pytest.fixture
def loader(qtbot: QtBot) -> Iterator[TopicsLoader]:
    shared = TopicsLoader()
    yield shared
    shared.shutdown()


@pytest.fixture
def saved() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def timeline(qtbot: QtBot, loader: TopicsLoader, saved: list[tuple[str, str]]) -> TimelineView:
    state = ViewState()

    def save(name: str, content: str) -> None:
        saved.append((name, content))

    view = TimelineView(TimelinePresenter(state, save, loader))
    qtbot.addWidget(view)
    view.state = state  # type: ignore[attr-defined]
    return view


def show(qtbot: QtBot, view: TimelineView, cache: Path, topic: str) -> None:
    with qtbot.waitSignal(view.presenter.timeline_finished, timeout=TIMEOUT_MS):
        view.presenter.show_topic(cache, topic)


def test_the_timeline_view_lists_a_topic_and_jumps_to_an_entry(
    qtbot: QtBot, qtmodeltester, timeline: TimelineView, seeds_copy: Path
) -> None:
    show(qtbot, timeline, cache_of(seeds_copy), "贝易转")
    model = timeline.presenter.model
    qtmodeltester.check(model)
    assert [e.label for e in model.entries()] == ["2024-W17", "2024-W24", "2024-W34"]
    assert "3" in timeline.heading_text()
    # Marks between weeks, worked out shortly after a row is first shown: W34 reworded most lines.
    model.index(2).data()
    qtbot.waitUntil(lambda: "…" not in model.index(2).data())
    assert "~" in model.index(2).data()
    delta = model.index(1).data(DELTA_ROLE)
    assert delta.new and delta.dropped
    assert "+" in model.index(1).data() and "first" in model.index(0).data()
    # The first entry is selected and its text is shown.
    assert "北京省心租" in timeline.detail.toPlainText()
    # Activating an entry opens that report at that section, by signal and through the view state.
    row = model.entry_row("2024-W24.md")
    with qtbot.waitSignal(timeline.presenter.report_activated) as blocker:
        timeline.list.activated.emit(model.index(row))
    assert blocker.args == ["2024-W24.md", 0]
    state = timeline.state  # type: ignore[attr-defined]
    assert (state.report, state.section, state.view) == ("2024-W24.md", 0, "reports")


def test_a_sections_context_menu_opens_its_timeline(
    qtbot: QtBot, timeline: TimelineView, seeds_copy: Path
) -> None:
    from PySide6.QtWidgets import QMenu

    cache = cache_of(seeds_copy)
    menu = QMenu()
    action = TimelineAction("【贝易转（C转）】", None, menu)
    menu.addAction(action)
    assert action.text() == "Timeline of this topic"

    def open_timeline(title: str, team: str | None) -> None:
        timeline.presenter.show_topic(cache, title, team)

    action.timeline_requested.connect(open_timeline)
    with qtbot.waitSignal(timeline.presenter.timeline_finished, timeout=TIMEOUT_MS) as blocker:
        action.trigger()
    assert blocker.args[0] == 3
    # Jump to the last entry: its report opens at its section.
    model = timeline.presenter.model
    with qtbot.waitSignal(timeline.presenter.report_activated) as opened:
        timeline.list.activated.emit(model.index(model.entry_row("2024-W34.md")))
    assert opened.args == ["2024-W34.md", 0]


def test_gap_weeks_show_between_entries_and_cannot_be_opened(
    qtbot: QtBot, qtmodeltester, timeline: TimelineView, tmp_path: Path
) -> None:
    folder = write_weeks(
        tmp_path / "team",
        {
            "2024-W10": "## 【清算系统】\n\n- 开发进度50%\n- 联调",
            "2024-W11": "## 【风控】\n\n- 规则上线",
            "2024-W12": "## 【清算系统】\n\n- 开发进度80%\n- 压测",
        },
    )
    show(qtbot, timeline, cache_of(folder), "清算系统")
    model = timeline.presenter.model
    qtmodeltester.check(model)
    assert [model.index(r).data(GAP_ROLE) for r in range(model.rowCount())] == [None, "2024-W11", None]
    assert "2024-W11" in model.index(1).data()
    assert not model.flags(model.index(1)) & Qt.ItemFlag.ItemIsSelectable
    with qtbot.assertNotEmitted(timeline.presenter.report_activated):
        timeline.presenter.activate(1)
    # The changed line carries the compare view's character diff.
    assert "<ins>80</ins>" in model.index(2).data(HTML_ROLE)


def test_exports_go_to_the_callable_given(
    qtbot: QtBot, timeline: TimelineView, saved: list[tuple[str, str]], seeds_copy: Path
) -> None:
    show(qtbot, timeline, cache_of(seeds_copy), "系统运行数据")
    with qtbot.waitSignal(timeline.presenter.exported, timeout=TIMEOUT_MS):
        timeline.export_html_button.click()
    with qtbot.waitSignal(timeline.presenter.exported, timeout=TIMEOUT_MS):
        timeline.export_markdown_button.click()
    (html_name, page), (md_name, markdown) = saved
    assert html_name.endswith(".html") and md_name.endswith(".md")
    assert page.count("<h2>") == 5 and markdown.count("\n## ") == 5


def test_an_unknown_topic_offers_the_closest(qtbot: QtBot, timeline: TimelineView, seeds_copy: Path) -> None:
    with qtbot.waitSignal(timeline.presenter.topic_not_found, timeout=TIMEOUT_MS) as blocker:
        timeline.presenter.show_topic(cache_of(seeds_copy), "贝易特转账")
    assert any("贝易转" in t for t in blocker.args[1])
    assert "贝易转" in timeline.heading_text()


def test_a_newer_topic_replaces_the_older_one(qtbot: QtBot, timeline: TimelineView, seeds_copy: Path) -> None:
    cache = cache_of(seeds_copy)
    with qtbot.waitSignal(timeline.presenter.timeline_finished, timeout=TIMEOUT_MS) as blocker:
        timeline.presenter.show_topic(cache, "贝易转")
        timeline.presenter.show_topic(cache, "系统运行数据")
    assert blocker.args[0] == 5
    qtbot.waitUntil(lambda: not timeline.presenter.busy)
    assert len(timeline.presenter.model.entries()) == 5


# ---------------------------------------------------------------------------------------------- progress


@pytest.fixture
def progress(qtbot: QtBot, loader: TopicsLoader) -> ProgressView:
    view = ProgressView(ProgressPresenter(ViewState(), loader))
    qtbot.addWidget(view)
    return view


def test_the_progress_view_lists_items_and_charts_one(
    qtbot: QtBot, qtmodeltester, progress: ProgressView, seeds_copy: Path
) -> None:
    with qtbot.waitSignal(progress.presenter.progress_loaded, timeout=TIMEOUT_MS):
        progress.presenter.load(cache_of(seeds_copy))
    model = progress.presenter.model
    qtmodeltester.check(model)
    row = next(r for r in range(model.rowCount()) if "M6V" in model.index(r, 0).data())
    assert model.index(row, 3).data() == "95%"
    progress.select_item(row)
    with qtbot.waitSignal(progress.presenter.item_charted) as blocker:
        progress.chart_action.trigger()
    series: Series = blocker.args[0]
    assert [p.value for p in series.points] == [85, 90, 95]
    rows = series_metric_rows(series)
    assert [(r.metric, r.value, r.unit) for r in rows][:1] == [(series.item, 85, "%")]
    with qtbot.waitSignal(progress.presenter.report_activated) as opened:
        progress.table.activated.emit(progress.proxy.mapFromSource(model.index(row, 0)))
    assert opened.args[0] == "2024-W34.md"
    progress.resize(900, 400)
    progress.show()
    assert not progress.table.grab().isNull()  # the sparkline delegate paints without warnings


def test_stalled_and_regressed_items_are_flagged(
    qtbot: QtBot, progress: ProgressView, tmp_path: Path
) -> None:
    folder = write_weeks(
        tmp_path / "team",
        {
            "2024-W10": "- 清算系统迁移，整体进度60%\n- 风控模型上线，进度40%",
            "2024-W11": "- 清算系统迁移，整体进度60%\n- 风控模型上线，进度55%",
            "2024-W12": "- 清算系统迁移，整体进度60%\n- 风控模型上线，进度50%",
        },
    )
    with qtbot.waitSignal(progress.presenter.progress_loaded, timeout=TIMEOUT_MS):
        progress.presenter.load(cache_of(folder))
    model = progress.presenter.model
    flags = {model.index(r, 0).data(): model.index(r, 6).data() for r in range(model.rowCount())}
    assert "3" in flags["清算系统迁移"] and "backwards" not in flags["清算系统迁移"]
    assert "backwards" in flags["风控模型上线"]
    # Sorting by the flags column, descending, puts the item that went backwards on top.
    progress.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    assert progress.proxy.index(0, 0).data() == "风控模型上线"
    progress.table.setCurrentIndex(progress.proxy.index(0, 0))
    assert model.series(progress.current_row()).item == "风控模型上线"


def test_the_sparkline_spans_the_cell_from_0_to_100() -> None:
    polygon = SparklineDelegate.polygon(QRect(0, 0, 108, 26), [0.0, 50.0, 100.0])
    points = [polygon.at(k) for k in range(polygon.size())]
    assert [p.x() for p in points] == [4.0, 54.0, 104.0]
    assert points[0].y() > points[1].y() > points[2].y()
    assert points[2].y() == pytest.approx(3.0, abs=1)


def test_a_long_timeline_is_given_to_views_a_page_at_a_time(qtbot: QtBot, qtmodeltester) -> None:
    from desktop.core.timeline import Entry
    from desktop.ui.topics.timeline_model import PAGE, TimelineModel

    model = TimelineModel()
    entries = [
        Entry(
            f"{k}.md",
            None,
            f"2024-01-{k % 28 + 1:02}",
            f"{2000 + k // 52}-W{k % 52 + 1:02}",
            None,
            "T",
            0,
            "t",
            f"- {k}",
        )
        for k in range(PAGE * 2 + 7)
    ]
    model.add_entries(entries[: PAGE // 2])
    model.add_entries(entries[PAGE // 2 :])
    assert model.rowCount() == PAGE and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE * 2
    assert model.entry_row(entries[-1].report) == PAGE * 2 + 6  # jumping to an entry reveals it
    assert model.rowCount() == PAGE * 2 + 7 and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_before_a_topic_is_chosen_the_view_lists_the_recurring_ones_or_says_there_are_none(
    qtbot: QtBot, timeline: TimelineView, tmp_path: Path
) -> None:
    one = write_weeks(tmp_path / "one", {"2024-W10": "## 进展\n\n一\n"})
    with qtbot.waitSignal(timeline.presenter.topics_listed, timeout=TIMEOUT_MS) as listed:
        timeline.presenter.show_topics(cache_of(one))
    assert listed.args == [[]] and "No topic recurs" in timeline.detail.toPlainText()
    two = write_weeks(tmp_path / "two", {"2024-W10": "## 进展\n\n一\n", "2024-W11": "## 进展\n\n二\n"})
    with qtbot.waitSignal(timeline.presenter.topics_listed, timeout=TIMEOUT_MS) as listed:
        timeline.presenter.show_topics(cache_of(two))
    assert listed.args == [[("进展", 2)]] and "进展 · 2 sections" in timeline.detail.toPlainText()
