"""Figures and dates a manager can trust on folders nobody wrote for this app (issue 10), end to end:
files written here, indexed into a cache, read back with the queries the window and CLI use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SEEDS

from desktop.core.aliases import default_alias_table
from desktop.core.decoding import decode_bytes
from desktop.core.metrics import extract_metrics
from desktop.core.outline import front_matter, parse_outline
from desktop.core.parser import parse_text
from desktop.core.render import render_markdown
from desktop.store import queries
from desktop.store.folder_facts import mtimes_are_plausible
from desktop.store.indexer import open_and_index


def _index(folder: Path):  # type: ignore[no-untyped-def]
    cache, summary = open_and_index(folder)
    return cache, summary


def _write(folder: Path, name: str, text: str, mtime: float | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


# --- 1. Order without dates ---


def test_a_fresh_copy_of_an_undated_weekly_is_ordered_by_issue_number(tmp_path: Path) -> None:
    folder = tmp_path / "weekly"
    stamp = 1_700_000_000.0  # one unzip: every file within a second of the others
    for n in (99, 98, 9, 10, 100):
        _write(
            folder,
            f"docs/issue-{n}.md",
            f"# 科技爱好者周刊：第 {n} 期\n\n这里记录每周值得分享的科技内容。\n",
            stamp,
        )
    _write(folder, "docs/share-44.md", "# 每周分享第 44 期（20190222）\n\n内容\n", stamp + 0.5)
    cache, _ = _index(folder)
    rows = queries.list_reports(cache.db)
    undated = [r for r in rows if r.date_source == "none"]
    assert [r.sequence for r in undated] == [9, 10, 98, 99, 100]
    assert all(r.date == "" and r.as_json()["date"] is None for r in undated)
    dated = next(r for r in rows if r.path.endswith("share-44.md"))
    assert (dated.date, dated.date_source, dated.sequence) == ("2019-02-22", "title", 44)
    assert rows[0] == dated  # dated reports first, then the undated
    assert not any("modification time" in w for r in undated for w in r.warnings)


def test_spread_out_mtimes_still_date_reports(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    for i in range(6):
        _write(folder, f"note {i}.md", "# 笔记\n\n内容\n", 1_700_000_000.0 + i * 7 * 86400)
    cache, _ = _index(folder)
    rows = queries.list_reports(cache.db)
    assert {r.date_source for r in rows} == {"mtime"} and len({r.date for r in rows}) == 6


def test_plausible_mtimes() -> None:
    from desktop.core.scanner import FileEntry

    second = 1_000_000_000
    same = [FileEntry(f"{i}.md", 1, 1_700_000_000 * second + i * second) for i in range(10)]
    spread = [FileEntry(f"{i}.md", 1, 1_700_000_000 * second + i * 86400 * second) for i in range(10)]
    assert not mtimes_are_plausible(same)
    assert mtimes_are_plausible(spread)
    assert mtimes_are_plausible(same[:3])  # too few files to tell


def test_undated_charts_carry_the_sequence_for_their_x_axis(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    for n in (3, 1, 2, 4, 5):
        _write(folder, f"issue-{n}.md", f"# Issue #{n}\n\n- 入金有效成功率：99.9{n}%\n", 1_700_000_000.0)
    cache, _ = _index(folder)
    rows = queries.metric_rows(cache.db, ["入金有效成功率"])
    assert [(r.sequence, r.value) for r in rows] == [(n, float(f"99.9{n}")) for n in range(1, 6)]
    assert all(r.date == "" for r in rows)


# --- 2. More dates in titles ---


@pytest.mark.parametrize(
    ("path", "title", "date"),
    [
        ("a.md", "每周分享第 44 期（20190222）", "2019-02-22"),
        ("a.md", "周报 2024.06.14", "2024-06-14"),
        ("a.md", "Weekly, Jun 14, 2024", "2024-06-14"),
        ("2024/a.md", "周报 6月14日", "2024-06-14"),
        ("2024年/a.md", "周报 6/14", "2024-06-14"),
        ("weekly-2023-b.md", "周报 6/14", "2023-06-14"),
    ],
)
def test_dates_in_titles(path: str, title: str, date: str) -> None:
    report = parse_text(path, f"# {title}\n\n内容\n", aliases=default_alias_table())
    assert (report.date, report.date_source) == (date, "title")


# --- 3. Pages are not weeks ---


def test_readmes_and_link_only_pages_are_pages(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    _write(folder, "README.md", "# 周报\n\n说明：每周五更新。\n")
    _write(folder, "周报汇总.md", "# 周报汇总\n\n- [第1周](第1周.md)\n- [第2周](第2周.md)\n")
    _write(folder, "第1周.md", "# 2024-W01\n\n- 入金有效成功率：99.9%\n")
    _write(folder, "第2周.md", "# 2024-W02\n\n- 入金有效成功率：99.8%\n")
    cache, _ = _index(folder)
    kinds = {r.path: r.kind for r in queries.list_reports(cache.db)}
    assert kinds == {"README.md": "page", "周报汇总.md": "page", "第1周.md": "report", "第2周.md": "report"}
    assert {r.report for r in queries.metric_rows(cache.db)} == {"第1周.md", "第2周.md"}
    assert queries.previous_report(cache.db, "第2周.md") == "第1周.md"
    assert queries.previous_report(cache.db, "第1周.md") is None
    _, found = queries.resolve_report(cache.db, "周报")
    assert all(r.kind == "report" for r in found)


# --- 4. Metrics that mean something ---


def test_kind_units_and_context_across_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "k"
    _write(
        folder,
        "2024-W01.md",
        "# 2024-W01\n\n- 商户数：12家\n- 金额 322\n- 备件识别率，本周数据如下：\n    - 身份证：95.1%\n",
    )
    _write(folder, "2024-W02.md", "# 2024-W02\n\n- 商户数：14家\n- 金额：1205万元\n- 一次性数字：7个\n")
    _write(folder, "2024-W03.md", "# 2024-W03\n\n- 商户数：15家\n- 金额：1300万元\n")
    cache, _ = _index(folder)
    kinds = queries.metric_kinds(cache.db)
    assert kinds["商户数"] == "kpi"  # repeats with one unit
    assert kinds["一次性数字"] == "figure"  # a one-off labelled number
    assert kinds["备件识别率 › 身份证"] == "kpi"  # the alias table knows it
    # 322 (no unit) and 1205万元 are two series, never one.
    units = {
        r.metric: {x.unit for x in queries.metric_rows(cache.db, [r.metric])}
        for r in queries.metric_rows(cache.db)
    }
    assert all(len(u) == 1 for u in units.values())
    assert {r.value for r in queries.metric_rows(cache.db, ["金额"])} == {1205.0, 1300.0}
    assert [r.value for r in queries.metric_rows(cache.db, ["金额（无单位）"])] == [322.0]


def test_context_labels() -> None:
    lines = ["- 省心租运行数据：", "    - 金额：1205万元", "- 其他：", "    - 金额：3万元", "下一段"]
    names = [m.name for m in extract_metrics(lines, default_alias_table())]
    assert names == ["省心租运行数据 › 金额", "金额"]


@pytest.mark.parametrize(
    "line",
    ["- Nicely 发现问题出在电脑把两个数字：2", "- 满分：100", "- 分：3", "- Effective Cost：3.5%，本周稳定"],
)
def test_sentences_are_not_labels(line: str) -> None:
    assert extract_metrics([line], default_alias_table()) == []


@pytest.mark.parametrize(
    ("line", "name", "value", "target"),
    [
        ("「贝小理」运营目标准确率>90%，准确率89.09%", "准确率", 89.09, 90.0),
        ("- 入金有效成功率：99.97%（目标99.95%）", "入金有效成功率", 99.97, 99.95),
        ("- Availability: 99.95%, target: 99.9%", "年度可用性", 99.95, 99.9),
    ],
)
def test_stated_targets_are_a_field_not_a_value(line: str, name: str, value: float, target: float) -> None:
    found = extract_metrics([line], default_alias_table())
    assert [(m.name, m.value, m.target, m.target_source) for m in found] == [(name, value, target, "report")]


def test_the_alias_tables_target_when_the_report_states_none() -> None:
    (metric,) = extract_metrics(["- 准确率：91%"], default_alias_table())
    assert (metric.target, metric.target_source) == (90.0, "table")
    assert default_alias_table().target("准确率") == 90.0


# --- 5. Incident grades stay one series ---


def test_the_cd_series_goes_on_through_w34(seeds_copy: Path) -> None:
    cache, _ = _index(seeds_copy)
    rows = queries.metric_rows(cache.db, ["事故数CD级"], first_per_report=True)
    assert [(r.label, r.value, r.derived) for r in rows] == [
        ("第16周", 0.0, False),
        ("第42周", 1.0, False),
        ("2024-W17", 0.0, False),
        ("2024-W24", 1.0, False),
        ("2024-W34", 0.5, True),
    ]


# --- 6. One reading of the Markdown ---


def test_every_heading_the_viewer_shows_is_in_the_outline() -> None:
    text = "# T\n\n2024 年\n---\n\n   ## Indented\n\n> ## Quoted\n\n- x\n\n## Plain\n"
    titles = [s.title for s in parse_outline(text.split("\n")).sections]
    assert titles == ["2024 年", "Indented", "Quoted", "Plain"]
    html = render_markdown(text)
    assert all(f">{t}</h" in html for t in titles)


def test_front_matter_is_read_once_whatever_its_length() -> None:
    lines = ["---", *(f"key{i}: {i}" for i in range(72)), "week: 24", "---", "# 周报", "", "- 准确率：91%"]
    assert front_matter(lines).end == 75 and front_matter(lines).values["week"] == "24"
    report = parse_text("r.md", "\n".join(lines), aliases=default_alias_table())
    assert [m.name for m in report.metrics] == ["准确率"]
    assert report.title == "周报"


def test_thirty_levels_of_nesting_render_in_full() -> None:
    text = "".join("  " * i + f"- level {i}\n" for i in range(30)) + "\nafter the list\n"
    html = render_markdown(text)
    assert html.count("<li") == 30 and "level 29" in html and "after the list" in html


# --- 7. Encodings ---


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        ("# 本週工作進度\n\n- 完成系統升級，可用性達到 99.9%\n", "big5", "Big5"),
        ("# 今週の作業進捗\n\n- システム更新を完了しました。可用性は 99.9% です\n", "shift_jis", "Shift-JIS"),
        ("# 本周工作进度\n\n- 完成系统升级，可用性达到 99.9%\n", "gb18030", "GB18030"),
    ],
)
def test_big5_and_shift_jis_are_told_from_gb18030(text: str, codec: str, name: str) -> None:
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text
    assert any(name in w for w in decoded.warnings)


# --- Outside data ---


@pytest.mark.corpus
def test_rustc_perf_order_follows_the_dates_in_the_titles(corpus: Path) -> None:
    cache, _ = _index(corpus)
    rows = [r for r in queries.list_reports(cache.db) if r.date_source == "title"]
    assert len(rows) >= 250
    assert [r.date for r in rows] == sorted(r.date for r in rows)
    assert all(r.title.startswith(r.date) for r in rows if r.path[:4].isdigit())


def test_seeds_keep_their_dates_and_weeks() -> None:
    # The samples date themselves: none depends on the folder's mtimes.
    aliases = default_alias_table()
    for path in SEEDS.glob("*.md"):
        report = parse_text(path.name, path.read_text(encoding="utf-8"), aliases=aliases)
        assert report.date_source in ("title", "property") and report.kind == "report"
