"""The report tree model: levels, labels and tooltips from the cache's rows, outlines read on demand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from desktop.core.model import Section
from desktop.store.queries import ReportRow
from desktop.ui.models.report_tree import KIND_ROLE, PATH_ROLE, SECTION_ROLE, ReportTreeModel
from desktop.ui.widgets.report_tree import ReportTreePanel

NOTION = "0123456789abcdef0123456789abcdef"
PROJECT = "基于Serverless架构的分布式神经网络推理系统"


def row(
    path: str,
    date: str,
    *,
    label: str | None = None,
    title: str | None = None,
    team: str | None = None,
    parent: str | None = None,
    sections: int = 2,
    warnings: list[str] | None = None,
) -> ReportRow:
    return ReportRow(
        path,
        (label or path) if title is None else title,
        label,
        date,
        "2024-W24",
        "title",
        sections,
        0,
        warnings or [],
        parent,
        team,
    )


def outline(titles: list[str]) -> list[Section]:
    return [
        Section(i, t, "h2", 2, None, 3 + 4 * i, 3 + 4 * i, 6 + 4 * i, t, None, "")
        for i, t in enumerate(titles)
    ]


class Outlines:
    """A stand-in for the cache: counts what the model asked for."""

    def __init__(self, titles: dict[str, list[str]]) -> None:
        self.titles = titles
        self.asked: list[str] = []

    def __call__(self, paths: list[str]) -> dict[str, list[Section]]:
        self.asked.extend(paths)
        return {p: outline(self.titles.get(p, [])) for p in paths}


def labels(model: ReportTreeModel, parent: QModelIndex = QModelIndex()) -> list[str]:  # noqa: B008
    return [str(model.index(r, 0, parent).data()) for r in range(model.rowCount(parent))]


def notion_rows() -> list[ReportRow]:
    folder = f"{PROJECT} {NOTION}"
    return [
        row(f"{folder}/W23 {NOTION}.md", "2024-06-07", label="2024-W23", team=PROJECT),
        row(f"{folder}/W24 {NOTION}.md", "2024-06-14", label="2024-W24", team=PROJECT),
        row(
            f"{folder}/W24 {NOTION}/周三.md",
            "2024-06-12",
            title="2024-06-12 周三",
            team=PROJECT,
            parent=f"{folder}/W24 {NOTION}.md",
            sections=0,
        ),
        row(f"{folder}/2023 {NOTION}.md", "2023-12-29", title="", team=PROJECT, sections=0),
    ]


def test_a_notion_export_lists_weeks_by_their_own_names(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ReportTreeModel()
    reader = Outlines({})
    model.outline_reader = reader
    model.sync(notion_rows())
    assert labels(model) == ["2024", "2023"]  # one team: no level for it
    year = model.index(0, 0)
    assert labels(model, year) == ["2024-W24 · 2024-06-14", "2024-W23 · 2024-06-07"]
    assert not any(PROJECT in text or NOTION in text for text in labels(model, year))
    assert labels(model, model.index(1, 0)) == ["2023"]  # no title: the file name without Notion's id
    week = model.index(0, 0, year)
    tip = str(week.data(Qt.ItemDataRole.ToolTipRole))
    assert "2024-W24" in tip and f"{PROJECT} {NOTION}/W24 {NOTION}.md" in tip
    qtmodeltester.check(model)


def test_several_teams_are_the_first_level(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ReportTreeModel()
    model.outline_reader = Outlines({})
    model.sync(
        [
            row("payments/2024-W24.md", "2024-06-14", label="2024-W24", team="payments"),
            row("risk/2024-W24.md", "2024-06-14", label="2024-W24", team="risk"),
            row("risk/2023-W50.md", "2023-12-15", label="2023-W50", team="risk"),
        ]
    )
    assert labels(model) == ["payments", "risk"]
    risk = model.index(1, 0)
    assert model.index(1, 0).data(KIND_ROLE) == "team"
    assert labels(model, risk) == ["2024", "2023"]
    assert labels(model, model.index(0, 0, risk)) == ["2024-W24 · 2024-06-14"]
    assert model.index_for("risk/2023-W50.md").parent().parent() == risk
    qtmodeltester.check(model)


def test_outlines_are_read_when_a_report_is_opened_not_before(qtbot: QtBot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ReportTreeModel()
    reader = Outlines({"a.md": ["进展", "【生产事件】"], "b.md": ["计划"]})
    model.outline_reader = reader
    model.sync([row("a.md", "2024-06-14", label="2024-W24"), row("b.md", "2024-06-07", label="2024-W23")])
    assert reader.asked == []
    report = model.index_for("a.md")
    assert model.hasChildren(report) and model.rowCount(report) == 0 and model.canFetchMore(report)
    panel = ReportTreePanel(model)
    qtbot.addWidget(panel)
    panel.show()
    panel.tree.expand(panel.proxy.mapFromSource(report))
    qtbot.waitUntil(lambda: reader.asked == ["a.md"])  # at the view's next layout
    assert labels(model, report) == ["进展", "【生产事件】"]
    section = model.index_for("a.md", 1)
    assert section.data(KIND_ROLE) == "section" and section.data(SECTION_ROLE) == 1
    assert section.data(PATH_ROLE) == "a.md"
    assert model.index_for("b.md", 0).data() == "计划"  # asked for by index: read then
    qtmodeltester.check(model)


def test_sub_pages_wait_for_their_page_and_a_changed_report_is_read_again() -> None:
    model = ReportTreeModel()
    reader = Outlines({"w24.md": ["进展"]})
    model.outline_reader = reader
    model.upsert_reports([row("w24/day.md", "2024-06-12", title="周三", parent="w24.md", sections=0)])
    assert model.index_for("w24/day.md").parent().data(KIND_ROLE) == "year"  # alone meanwhile
    model.upsert_reports([row("w24.md", "2024-06-14", label="2024-W24", warnings=["no date"])])
    page = model.index_for("w24.md")
    assert model.index_for("w24/day.md").parent() == page
    assert page.data(Qt.ItemDataRole.DecorationRole) is not None  # the ⚠ of a report with warnings
    assert model.index_for("w24.md", 0).data() == "进展"
    reader.titles["w24.md"] = ["进展", "计划"]
    model.upsert_reports([row("w24.md", "2024-06-14", label="2024-W24", sections=3)])
    assert model.index_for("w24.md", 1).data() == "计划"
    assert model.index_for("w24/day.md").parent() == model.index_for("w24.md")
    model.sync([row("w24/day.md", "2024-06-12", title="周三", parent="w24.md", sections=0)])
    assert model.report_paths() == ["w24/day.md"]
    assert model.index_for("w24/day.md").parent().data(KIND_ROLE) == "year"


def test_the_filter_reads_the_outlines_that_can_match(qtbot: QtBot) -> None:
    model = ReportTreeModel()
    reader = Outlines({"a.md": ["进展", "【生产事件】"], "b.md": ["计划"]})
    model.outline_reader = reader
    model.sync([row("a.md", "2024-06-14", label="2024-W24"), row("b.md", "2024-06-07", label="2024-W23")])
    panel = ReportTreePanel(model)
    qtbot.addWidget(panel)
    asked: list[str] = []

    def matching(text: str) -> list[str]:
        asked.append(text)
        return [p for p, titles in reader.titles.items() if any(text in t for t in titles)]

    panel.set_outline_search(matching)
    panel.filter_edit.setText("生产事件")
    qtbot.waitUntil(lambda: panel.proxy.filterRegularExpression().pattern() != "")
    assert asked == ["生产事件"] and reader.asked == ["a.md"]
    report = panel.proxy.index(0, 0, panel.proxy.index(0, 0))
    assert report.data(PATH_ROLE) == "a.md" and panel.proxy.rowCount(panel.proxy.index(0, 0)) == 1
    assert [panel.proxy.index(r, 0, report).data() for r in range(panel.proxy.rowCount(report))] == [
        "【生产事件】"
    ]


def test_the_window_never_opens_a_year_of_thousands_of_reports(qtbot: QtBot) -> None:
    """Opening a group lays out every row in it; a year of 10,000 reports (dated by file times) took a
    second. The newest year opens when it is of a readable size; a huge one waits for the user."""
    from desktop.ui.widgets.report_tree import EXPAND_MAX

    model = ReportTreeModel()
    panel = ReportTreePanel(model)
    qtbot.addWidget(panel)
    huge = [row(f"r{i:05}.md", "2026-03-02") for i in range(EXPAND_MAX + 1)]
    model.sync([*huge, row("old.md", "2025-01-03")])
    newest = panel.proxy.index(0, 0)
    assert newest.data() == "2026" and panel.proxy.rowCount(newest) == EXPAND_MAX + 1
    assert not panel.tree.isExpanded(newest)
    assert panel.select("r00007.md")  # selected (the viewer shows it), its year left closed
    assert not panel.tree.isExpanded(newest)
    small_model = ReportTreeModel()
    small = ReportTreePanel(small_model)
    qtbot.addWidget(small)
    small_model.sync(huge[:10])
    assert small.tree.isExpanded(small.proxy.index(0, 0))  # a year of ten reports starts open


def open_rows(panel: ReportTreePanel) -> int:
    """Rows the view lays out: every row of the open groups."""
    count, pending = 0, [QModelIndex()]
    while pending:
        parent = pending.pop()
        for r in range(panel.proxy.rowCount(parent)):
            count += 1
            if panel.tree.isExpanded(child := panel.proxy.index(r, 0, parent)):
                pending.append(child)
    return count


def weekly_teams(teams: int, prefix: str = "t") -> list[ReportRow]:
    return [
        row(
            f"{prefix}{t:02}/{year}-W{week:02}.md",
            f"{year}-{1 + week // 5:02}-01",
            label=f"{year}-W{week:02}",
            team=f"{prefix}{t:02}",
        )
        for t in range(teams)
        for year in (2023, 2024)
        for week in range(1, 53)
    ]


def test_a_first_look_at_many_teams_opens_only_as_many_rows_as_a_person_reads(qtbot: QtBot) -> None:
    """Each team's newest year opens, team by team, up to OPEN_ROWS_MAX rows: 39 teams' newest years
    were 3,000 rows to lay out. The report shown is opened wherever it is."""
    from desktop.ui.widgets.report_tree import OPEN_ROWS_MAX

    few_model, many_model = ReportTreeModel(), ReportTreeModel()
    few, many = ReportTreePanel(few_model), ReportTreePanel(many_model)
    qtbot.addWidget(few)
    qtbot.addWidget(many)
    few_model.sync(weekly_teams(3))

    def newest_years_open(panel: ReportTreePanel, teams: int) -> list[bool]:
        return [panel.tree.isExpanded(panel.proxy.index(0, 0, panel.proxy.index(t, 0))) for t in range(teams)]

    # The first team's newest year at once (the view lays out and paints it first), the others next.
    assert newest_years_open(few, 3) == [True, False, False]
    qtbot.waitUntil(lambda: newest_years_open(few, 3) == [True] * 3)
    many_model.sync(weekly_teams(39))
    qtbot.waitUntil(lambda: not many._more_timer.isActive())
    teams = [many.proxy.index(t, 0) for t in range(many.proxy.rowCount())]
    opened = [t for t in teams if many.tree.isExpanded(t)]
    assert len(teams) == 39 and 1 <= len(opened) < 39 and open_rows(many) <= OPEN_ROWS_MAX
    assert many.tree.isExpanded(many.proxy.index(0, 0, opened[0]))  # its newest year
    assert many.select("t30/2024-W07.md")
    assert many.tree.isExpanded(teams[30]) and many.current_report() == "t30/2024-W07.md"


@pytest.mark.parametrize("shown", ["t05/2024-W07.md", "t05/2024-W52.md", "t12/2024-W52.md"])
def test_the_report_shown_stays_in_view_while_the_first_look_opens_the_other_teams(
    qtbot: QtBot, shown: str
) -> None:
    """The other teams open a moment after the first, above the report shown here (the newest of its
    team, as the window opens, or an older one): it stays where it was on screen."""
    from desktop.ui.view_state import ViewState

    state = ViewState()
    state.report = shown
    model = ReportTreeModel()
    panel = ReportTreePanel(model, state=state)
    qtbot.addWidget(panel)
    panel.resize(300, 600)
    panel.show()
    qtbot.waitExposed(panel)
    model.sync(weekly_teams(39))
    assert panel.current_report() == shown and panel._more_timer.isActive()
    shown = panel.tree.visualRect(panel.tree.currentIndex())
    assert panel.tree.viewport().rect().contains(shown)
    qtbot.waitUntil(lambda: not panel._more_timer.isActive())
    teams = [panel.proxy.index(t, 0) for t in range(panel.proxy.rowCount())]
    assert sum(panel.tree.isExpanded(t) for t in teams[:5]) >= 2  # teams above it opened meanwhile
    assert panel.tree.visualRect(panel.tree.currentIndex()) == shown


def test_a_first_look_left_behind_opens_nothing_in_the_next_folder(qtbot: QtBot) -> None:
    """A folder of teams, then at once one without: the newest year the user then closes stays closed."""
    model = ReportTreeModel()
    panel = ReportTreePanel(model)
    qtbot.addWidget(panel)
    model.sync(weekly_teams(5))
    assert panel._more_timer.isActive()
    model.sync([row(f"2024-W{w:02}.md", f"2024-{1 + w // 5:02}-01") for w in range(1, 30)])
    year = panel.proxy.index(0, 0)
    assert year.data(KIND_ROLE) == "year" and panel.tree.isExpanded(year)
    assert not panel._more_timer.isActive()  # no pass for the last folder is still due
    panel.tree.collapse(year)
    assert not panel.tree.isExpanded(panel.proxy.index(0, 0))


def test_the_first_read_marks_of_thousands_of_reports_name_the_groups_not_every_row(qtbot: QtBot) -> None:
    import datetime as dt

    from desktop.ui.models.report_tree import BULK_READ_CHANGES, READ_COUNT_ROLE, READ_ROLE

    start = dt.date(2001, 1, 5)
    days = (str(start + dt.timedelta(days=n)) for n in range(3000))
    rows = [row(f"t{n % 2}/r{n}.md", day, team=f"t{n % 2}") for n, day in enumerate(days)]
    model = ReportTreeModel()
    model.sync(rows)
    ranges: list[tuple[QModelIndex, QModelIndex]] = []
    model.dataChanged.connect(lambda first, last, _roles: ranges.append((first, last)))
    reads = {r.path: False for r in rows[::2]}
    assert len(rows) > BULK_READ_CHANGES
    model.set_read_states(reads)
    # No range of report rows (a view walks each one), and the teams' and years' counts are named.
    assert ranges and all(first.data(KIND_ROLE) != "report" for first, _last in ranges)
    assert any(first.row() != last.row() for first, last in ranges)  # a range: the viewport repaints
    # Every report still answers with its new state when the view asks.
    assert model.index_for("t0/r0.md").data(READ_ROLE) == "read"
    assert model.index_for("t1/r1.md").data(READ_ROLE) == "unread"
    assert model.index_for("t1/r1.md").data(Qt.ItemDataRole.FontRole).bold()
    team = model.index(0, 0)
    assert team.data(READ_COUNT_ROLE) is not None
    # A few changes later name their own rows.
    ranges.clear()
    model.set_read_states({**reads, "t1/r1.md": False})
    assert any(first.data(KIND_ROLE) == "report" for first, _last in ranges)


def test_team_and_year_read_counts_follow_every_mark_and_unmark(qtbot: QtBot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    """Counts already shown move with each mark (not counted again over the team), and stay equal to
    a count made from scratch."""
    from desktop.ui.models.report_tree import READ_COUNT_ROLE

    rows = [
        row(f"{team}/{year}/{year}-W{week:02}.md", f"{year}-0{week}-0{week}", team=team)
        for team in ("a", "b")
        for year in (2023, 2024)
        for week in range(1, 6)
    ]
    model = ReportTreeModel()
    model.sync(rows)
    qtmodeltester.check(model)

    def counts(m: ReportTreeModel) -> list[object]:
        shown: list[object] = []
        for t in range(m.rowCount()):
            team = m.index(t, 0)
            shown.append(team.data(READ_COUNT_ROLE))
            shown.extend(m.index(y, 0, team).data(READ_COUNT_ROLE) for y in range(m.rowCount(team)))
        return shown

    reads: dict[str, bool] = {}
    model.set_read_states(reads)
    assert counts(model)[0] == (0, 10)
    steps = [("a/2024/2024-W01.md", True), ("a/2024/2024-W02.md", True), ("b/2023/2023-W05.md", True)]
    steps += [("a/2024/2024-W01.md", False), ("a/2024/2024-W02.md", True), ("nowhere.md", True)]
    for path, read in steps:
        reads = {**reads, path: True} if read else {p: c for p, c in reads.items() if p != path}
        model.set_read_states(reads)
        fresh = ReportTreeModel()
        fresh.sync(rows)
        fresh.set_read_states(reads)
        assert counts(model) == counts(fresh)
    assert counts(model)[0] == (1, 10)  # team a: W02 of 2024 only


def shape(model: ReportTreeModel, parent: QModelIndex = QModelIndex()) -> list[object]:  # noqa: B008
    """Every row's label with its children's, as the view sees them."""
    out: list[object] = []
    for r in range(model.rowCount(parent)):
        child = model.index(r, 0, parent)
        out.append((str(child.data()), shape(model, child)))
    return out


def test_batches_land_as_one_build_of_the_folder_would_place_them(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    import random

    rng = random.Random(7)
    days = [f"{year}-{month:02d}-{d:02d}" for year in (2023, 2024) for month in (3, 9) for d in (1, 15)]
    rows = [
        row(f"{team}/{day}.md", day, label=f"{team} {day}", team=team)
        for team in ("payments", "risk", "ops")
        for day in days
    ]
    rows += [row("loose.md", "2024-05-05"), row("older/loose.md", "2023-01-02")]
    # A page with a sub-page that arrives first (it waits, alone, for its page).
    rows += [
        row("risk/w24/day.md", "2024-06-12", team="risk", parent="risk/w24.md", sections=0),
        row("risk/w24.md", "2024-06-14", label="risk W24", team="risk"),
    ]
    built = ReportTreeModel()
    built.outline_reader = Outlines({})
    built.sync(rows)
    for order in ("newest first", "shuffled"):
        model = ReportTreeModel()
        model.outline_reader = Outlines({})
        batches = sorted(rows, key=lambda r: r.date, reverse=True) if order == "newest first" else rows[:]
        if order == "shuffled":
            rng.shuffle(batches)
        # The first batch has one team only: the tree gains its team level when the second comes.
        first = [r for r in batches if r.team == "payments"][:3]
        model.upsert_reports(first)
        rest = [r for r in batches if r not in first]
        for start in range(0, len(rest), 9):
            model.upsert_reports(rest[start : start + 9])
        assert shape(model) == shape(built), order
        qtmodeltester.check(model)
    # One batch of many new reports into one year tells the views once, not once a report.
    model = ReportTreeModel()
    model.outline_reader = Outlines({})
    model.upsert_reports([row("w01.md", "2024-01-05")])
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.upsert_reports([row(f"w{n:02d}.md", f"2024-02-{n:02d}") for n in range(2, 28)])
    assert inserted == [(0, 25)]
    assert labels(model, model.index(0, 0))[-1] == "w01.md"


def test_teams_opened_at_the_first_look_close_again_as_a_cold_index_fills_them(qtbot: QtBot) -> None:
    """A cold index lists a few reports of every team first, so the first look opens many teams; as
    their years fill, the view would lay out thousands of open rows at every batch."""
    from desktop.ui.widgets.report_tree import OPEN_ROWS_MAX

    model = ReportTreeModel()
    panel = ReportTreePanel(model)
    qtbot.addWidget(panel)
    weeks = [(year, week) for year in (2024, 2023) for week in range(52, 0, -1)]  # newest first
    teams = [f"t{t:02}" for t in range(30)]
    opened_first: list[str] = []
    for start in range(0, len(weeks), 4):
        model.upsert_reports(
            [
                row(
                    f"{team}/{y}-W{w:02}.md", f"{y}-{1 + (w - 1) // 5:02}-01", label=f"{y}-W{w:02}", team=team
                )
                for team in teams
                for y, w in weeks[start : start + 4]
            ]
        )
        if start == 0:
            qtbot.waitUntil(lambda: not panel._more_timer.isActive())
            opened_first = [
                str(panel.proxy.index(t, 0).data())
                for t in range(30)
                if panel.tree.isExpanded(panel.proxy.index(t, 0))
            ]
            assert len(opened_first) > 10  # four weeks a team: many teams fit at first
            mine = QPersistentModelIndex(panel.proxy.index(teams.index(opened_first[-1]), 0))
            assert mine.data() == opened_first[-1]
            panel.tree.collapse(panel.proxy.index(mine.row(), 0))  # the user closes one
        qtbot.waitUntil(lambda: open_rows(panel) <= OPEN_ROWS_MAX, timeout=2000)  # once the batch is in
    still = [t for t in range(30) if panel.tree.isExpanded(panel.proxy.index(t, 0))]
    assert 1 <= len(still) < len(opened_first)
    assert not panel.tree.isExpanded(panel.proxy.index(mine.row(), 0))  # what the user closed stays closed
    assert panel.tree.isExpanded(panel.proxy.index(0, 0, panel.proxy.index(still[0], 0)))  # a newest year


def test_a_year_the_user_closed_stays_closed_while_reports_land_in_it(qtbot: QtBot) -> None:
    model = ReportTreeModel()
    panel = ReportTreePanel(model)
    qtbot.addWidget(panel)
    model.upsert_reports([row("2024-W30.md", "2024-07-26"), row("2023-W30.md", "2023-07-28")])
    newest = QPersistentModelIndex(panel.proxy.index(0, 0))
    assert newest.data() == "2024" and panel.tree.isExpanded(panel.proxy.index(0, 0))
    panel.tree.collapse(panel.proxy.index(0, 0))
    for week in range(20, 30):  # older weeks of the same year: no new first row
        model.upsert_reports([row(f"2024-W{week}.md", f"2024-05-{week:02d}")])
        qtbot.waitUntil(lambda: not panel._fit_timer.isActive())
    assert panel.proxy.rowCount(panel.proxy.index(0, 0)) == 11
    assert not panel.tree.isExpanded(panel.proxy.index(0, 0))


def test_a_tree_replaced_or_reports_removed_leave_no_cycles_behind() -> None:
    # The window holds the cycle collector off while an index runs and then sets aside all that is
    # alive (desktop/ui/collector.py): a tree it no longer shows must be freed by reference counting.
    import gc

    from desktop.ui.models.tree_nodes import Node, build_tree

    rows = [
        row(f"team{t}/2024-W{w:02d}.md", f"2024-{1 + w // 5:02d}-0{1 + w % 5}", team=f"team{t}")
        for t in range(3)
        for w in range(1, 30)
    ]
    model = ReportTreeModel()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        model.adopt(build_tree(rows, "Other"))
        model.adopt(build_tree(rows, "Other"))  # the first tree goes
        model.remove_reports([r.path for r in rows[:20]])
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Node)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []


def test_a_painted_row_shows_what_the_model_says_through_the_panel_filter(qtbot: QtBot) -> None:
    """Views ask a row's roles all at once (multiData): through the panel's filter the request reaches
    the model whole, and the label, the bold of an unread report and the warning icon are painted."""
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    model = ReportTreeModel()
    model.outline_reader = Outlines({})
    model.sync(
        [
            row("2024-W24.md", "2024-06-14", label="2024-W24", warnings=["一个表格没有表头"]),
            row("2024-W23.md", "2024-06-07", label="2024-W23"),
        ]
    )
    model.set_read_states({"2024-W23.md": False})
    panel = ReportTreePanel(model)
    qtbot.addWidget(panel)
    delegate = QStyledItemDelegate()
    year = panel.proxy.index(0, 0)
    asked: list[int] = []
    one_by_one = model.data

    def counted(
        index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        asked.append(role)
        return one_by_one(index, role)

    model.data = counted  # type: ignore[method-assign]
    shown: dict[str, tuple[str, bool, bool, object]] = {}
    for r in range(panel.proxy.rowCount(year)):
        index = panel.proxy.index(r, 0, year)
        option = QStyleOptionViewItem()
        asked.clear()
        delegate.initStyleOption(option, index)  # what a view's delegate does before it paints
        assert asked == []  # one multiData call, not a data() call per role
        source = panel.proxy.mapToSource(index)
        assert option.text == source.data(Qt.ItemDataRole.DisplayRole)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == source.data(Qt.ItemDataRole.ToolTipRole)
        shown[str(source.data(PATH_ROLE))] = (
            option.text,
            option.font.bold(),
            not option.icon.isNull(),
            index.data(Qt.ItemDataRole.ToolTipRole),
        )
    assert shown["2024-W24.md"][:3] == ("2024-W24 · 2024-06-14", True, True)  # unread, with a warning
    assert shown["2024-W23.md"][:3] == ("2024-W23 · 2024-06-07", False, False)  # read, no warning
    assert "一个表格没有表头" in str(shown["2024-W24.md"][3])
