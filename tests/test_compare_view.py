"""Two weeks side by side: the HTML of a comparison, its tables, and the view that shows them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop.core.aliases import default_alias_table
from desktop.core.compare import Comparison, compare_reports
from desktop.core.compare_html import comparison_html
from desktop.core.model import Report
from desktop.core.parser import parse_text
from desktop.core.render import DARK, LIGHT
from desktop.store.queries import ReportRow
from desktop.ui.models.compare import CHECK_ROLE, CompareMetricsModel, PlanModel
from desktop.ui.widgets.compare import CompareView

SEEDS = Path(__file__).parent.parent / "seeds"
W17, W24, W34 = "2024-W17.md", "2024-W24.md", "2024-W34.md"
EDITED = "2024-W25-edited.md"  # W24 with one number changed: every other section is unchanged
Role = Qt.ItemDataRole


@cache
def _text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def report(name: str) -> Report:
    if name == EDITED:
        text = _text(W24).replace("系统开发进度85%", "系统开发进度95%").replace("# 2024-W24", "# 2024-W25")
        return parse_text(name, text, aliases=default_alias_table())
    return parse_text(name, _text(name), aliases=default_alias_table())


def higher_is_better(name: str) -> bool | None:
    info = default_alias_table().info(name)
    return info.higher_is_better if info else None


def compare(left: str, right: str) -> Comparison:
    return compare_reports(report(left), report(right), higher_is_better)


@pytest.fixture
def reports() -> dict[str, Report]:
    return {name: report(name) for name in (W17, W24, W34, EDITED)}


@pytest.fixture
def view(qtbot: QtBot, reports: dict[str, Report]) -> CompareView:
    widget = CompareView(higher_is_better, reports.get)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rows_of(reports: dict[str, Report]) -> list[ReportRow]:
    return [
        ReportRow(r.path, r.title, r.label, r.date, r.iso_week, r.date_source, 0, 0, [], None, None)
        for r in reports.values()
    ]


def row_count(html: str) -> int:
    return html.count("<tr>")


# ---------------------------------------------------------------------------------------------- the HTML


def test_html_escapes_section_text() -> None:
    text = _text(W24).replace("工行: 评估", "工行: <script>alert('x')</script> 评估")
    right = parse_text(W34, text, aliases=default_alias_table())
    doc = comparison_html(
        compare_reports(report(W24), right, higher_is_better),
        changes_only=False,
        palette=LIGHT,
        base_px=15,
        standalone=False,
    )
    assert "<script>" not in doc.html
    assert "&lt;script&gt;" in doc.html


def test_changed_numbers_are_bold_and_anchors_match_the_count() -> None:
    doc = comparison_html(
        compare(W24, EDITED), changes_only=False, palette=LIGHT, base_px=15, standalone=False
    )
    assert doc.change_count == 1
    bold = re.findall(r'<span style="([^"]*font-weight:bold[^"]*)">([^<]*)</span>', doc.html)
    assert any("line-through" in style and text == "85" for style, text in bold)
    assert any("line-through" not in style and text == "95" for style, text in bold)
    for palette in (LIGHT, DARK):
        full = comparison_html(
            compare(W24, W34), changes_only=False, palette=palette, base_px=15, standalone=False
        )
        anchors = re.findall(r'<a name="change-(\d+)"></a>', full.html)
        assert [int(a) for a in anchors] == list(range(full.change_count))
        assert full.change_count == len(full.changes) == 16


def test_changes_only_hides_unchanged_rows() -> None:
    comparison = compare(W24, EDITED)
    every, only = (
        comparison_html(
            comparison, changes_only=on, palette=LIGHT, base_px=15, standalone=False, summary=False
        )
        for on in (False, True)
    )
    assert len(only.rows) == 1 < len(every.rows) == len(comparison.pairs)
    assert row_count(only.html) == 2  # header + the changed section
    assert only.change_count == every.change_count == 1


def test_added_and_removed_sections_have_one_empty_side() -> None:
    doc = comparison_html(compare(W24, W34), changes_only=True, palette=LIGHT, base_px=15, standalone=True)
    assert "[removed]" in doc.html
    assert "[new]" in doc.html
    assert "【银行账户架构】" in doc.html and "【好店】" in doc.html


# -------------------------------------------------------------------------------------------- the models


def test_models_pass_the_model_tester(qtmodeltester: object) -> None:
    comparison = compare(W24, W34)
    kpis = CompareMetricsModel()
    kpis.set_metrics(comparison.metrics, "W24", "W34")
    plan = PlanModel()
    plan.set_plan(comparison.plan)
    for model in (kpis, plan):
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    empty = CompareMetricsModel()
    qtmodeltester.check(empty)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------- the view


def test_header_and_key_figures(view: CompareView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.comparison_changed):
        view.compare(W24, W34)
    header = view.header_label.text()
    assert "2024-W24" in header and "2024-W34" in header
    model = view.kpi_model
    assert model.headerData(1, Qt.Orientation.Horizontal) == "2024-W24 · 2024-06-14"
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "出金有效成功率")
    assert model.index(row, 1).data() == "99.992%"
    assert model.index(row, 2).data() == "99.989%"
    delta = model.index(row, 3)
    assert "-0.003 pp" in delta.data() and "▼" in delta.data()
    assert delta.data(Role.ForegroundRole) == QColor(LIGHT.worse)
    view.set_dark(True)
    assert delta.data(Role.ForegroundRole) == QColor(DARK.worse)


def test_plan_rows_are_the_older_weeks_plan(view: CompareView) -> None:
    view.compare(W24, W34)
    model = view.plan_model
    items = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert items == [p.text for p in report(W24).plans]
    assert len(items) == 4
    statuses = [model.index(r, 0).data(CHECK_ROLE).status for r in range(model.rowCount())]
    assert "not_found" in statuses
    assert model.index(statuses.index("not_found"), 1).data().startswith("✗")


def test_f7_walks_through_changes_and_scrolls(view: CompareView, qtbot: QtBot) -> None:
    view.compare(W24, W34)
    view.browser.setFocus()
    qtbot.waitUntil(lambda: view.browser.hasFocus())
    bar = view.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert view.current_change() == -1
    assert view.change_count() == 16
    qtbot.keyClick(view, Qt.Key.Key_F7)
    assert view.current_change() == 0
    first = bar.value()
    qtbot.keyClick(view, Qt.Key.Key_F7)
    assert view.current_change() == 1
    assert bar.value() > first
    second = bar.value()
    qtbot.keyClick(view, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    assert view.current_change() == 0
    assert bar.value() < second
    view.previous_change()  # at the first change already
    assert view.current_change() == 0
    for _ in range(40):
        view.next_change()
    assert view.current_change() == 15  # stops at the last one


def test_overview_has_a_mark_per_change_and_click_scrolls(view: CompareView, qtbot: QtBot) -> None:
    view.compare(W24, W34)
    marks = view.overview.marks()
    assert len(marks) == view.change_count() == 16
    assert marks == sorted(marks) and 0 <= marks[0] < marks[-1] <= 1
    bar = view.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    strip = view.overview
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(5, int(strip.height() * marks[8])))
    assert view.current_change() == 8
    assert bar.value() > 0


def test_changes_only_in_the_view(view: CompareView, qtbot: QtBot) -> None:
    view.compare(W24, EDITED)
    assert view.change_count() == 1
    before = row_count(view.browser.toHtml())
    qtbot.mouseClick(view.changes_only_box, Qt.MouseButton.LeftButton)
    assert view.changes_only_box.isChecked()
    after = row_count(view.browser.toHtml())
    assert after < before
    assert view.change_count() == 1
    view.set_changes_only(False)
    assert not view.changes_only_box.isChecked()
    assert row_count(view.browser.toHtml()) == before


def test_swap_exchanges_sides(view: CompareView, qtbot: QtBot) -> None:
    view.compare(W24, W34)
    with qtbot.waitSignal(view.comparison_changed):
        qtbot.mouseClick(view.swap_button, Qt.MouseButton.LeftButton)
    assert view.comparison is not None
    assert (view.comparison.left.path, view.comparison.right.path) == (W34, W24)
    assert view.left_picker.currentData() == W34 and view.right_picker.currentData() == W24
    assert view.header_label.text().index("2024-W34") < view.header_label.text().index("2024-W24")


def test_unpair_and_pair_again(view: CompareView, qtbot: QtBot) -> None:
    view.compare(W17, W24)
    assert view.comparison is not None
    assert view.comparison.left.sections[0].title == "【贝易转（C转）】"
    first = view.comparison.pairs[0]
    assert (first.left, first.right, first.status) == (0, 0, "changed")
    with qtbot.waitSignal(view.comparison_changed):
        view.unpair(0, 0)
    pairs = view.comparison.pairs
    assert any(p.left == 0 and p.right is None and p.status == "removed" for p in pairs)
    assert any(p.left is None and p.right == 0 and p.status == "added" for p in pairs)
    view.pair(0, 0)
    assert any(p.left == 0 and p.right == 0 and p.how == "manual" for p in view.comparison.pairs)
    # The pairing row does the same: the left choice brings its partner, Unpair separates them.
    view.left_sections.setCurrentIndex(view.left_sections.findData(0))
    assert view.right_sections.currentData() == 0
    assert view.unpair_button.isEnabled() and not view.pair_button.isEnabled()
    qtbot.mouseClick(view.unpair_button, Qt.MouseButton.LeftButton)
    assert not any(p.left == 0 and p.right == 0 for p in view.comparison.pairs)


def test_pickers_and_recompare(view: CompareView, qtbot: QtBot, reports: dict[str, Report]) -> None:
    view.set_reports(rows_of(reports))
    assert view.comparison is None  # filling the pickers does not compare
    newest_first = sorted(reports.values(), key=lambda r: (r.date, r.path), reverse=True)
    offered = [view.left_picker.itemData(k) for k in range(view.left_picker.count())]
    assert offered == [r.path for r in newest_first]
    assert view.left_picker.itemText(0) == f"{newest_first[0].label} · {newest_first[0].date}"
    assert view.right_picker.currentData() == newest_first[0].path
    assert view.left_picker.currentData() == newest_first[1].path
    view.compare(W17, W24)
    view.set_reports(rows_of(reports))
    assert (view.left_picker.currentData(), view.right_picker.currentData()) == (W17, W24)
    with qtbot.waitSignal(view.comparison_changed):
        view.right_picker.setCurrentIndex(view.right_picker.findData(W34))
    assert view.comparison is not None and view.comparison.right.path == W34


def test_section_links_and_back(view: CompareView, qtbot: QtBot) -> None:
    view.compare(W24, W34)
    with qtbot.waitSignal(view.section_activated) as blocker:
        view.browser.anchorClicked.emit(QUrl("section:R2"))
    assert blocker.args == [W34, 2]
    with qtbot.waitSignal(view.back_requested):
        qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)


def test_unreadable_report(view: CompareView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.comparison_changed):
        view.compare(W24, "missing.md")
    assert view.comparison is None
    assert view.change_count() == 0 and view.kpi_model.rowCount() == 0


def test_export_html_is_self_contained(view: CompareView, tmp_path: Path) -> None:
    view.compare(W24, W34)
    target = tmp_path / "compare.html"
    view.export_html(target)
    html = target.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html and "<title>" in html
    for title in ("【贝易转】", "【好店】", "下周工作及目标", "出金有效成功率"):
        assert title in html
    for load in ("src=", "href=", "<link", "url(", "<script", "@import"):
        assert load not in html


def test_export_pdf(view: CompareView, tmp_path: Path) -> None:
    view.compare(W24, W34)
    target = tmp_path / "compare.pdf"
    view.export_pdf(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000


def test_double_click_on_a_later_row_opens_its_section(view: CompareView, qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextCursor, QTextTable

    view.compare(W24, W34)
    document = view.diff.document
    assert document is not None and len(document.rows) > 3
    k = next(k for k in range(2, len(document.rows)) if document.rows[k].right is not None)
    # The rows are tables of their own (laid out a screenful at a time): a later row's right cell.
    tables = [f for f in view.browser.document().rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == len(document.rows) + 1  # the header's, then one per row
    view.browser.verticalScrollBar().setValue(0)
    pair = document.rows[k]
    cursor = QTextCursor(tables[k + 1].cellAt(0, 1).firstCursorPosition())
    view.browser.setTextCursor(cursor)
    view.browser.ensureCursorVisible()
    where = view.browser.cursorRect(cursor).center()
    with qtbot.waitSignal(view.section_activated) as blocker:
        qtbot.mouseDClick(view.browser.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert blocker.args == [W34, pair.right]


def test_the_pickers_offer_weeks_in_the_listings_order_and_no_pages() -> None:
    from desktop.ui.models.report_list import picker_items

    def row(path: str, title: str, date: str, sequence: int | None, kind: str = "report") -> ReportRow:
        return ReportRow(path, title, None, date, "", "none", 0, 0, [], None, None, sequence, kind)

    rows = [
        row("10.md", "周刊：第 10 期", "", 10),
        row("README.md", "README", "", None, kind="page"),
        row("9.md", "周刊：第 9 期", "", 9),
        row("w24.md", "2024-W24", "2024-06-14", None),
    ]
    # Newest first, the listings' order reversed (undated issues sort last there, by number); no README.
    assert [path for path, _ in picker_items(rows)] == ["10.md", "9.md", "w24.md"]
