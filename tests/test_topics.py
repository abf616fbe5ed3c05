"""Topic timelines and work-item progress: core logic, the cache, and the two commands."""

from __future__ import annotations

import io
import json
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.cli import main
from desktop.core import progress as progress_module
from desktop.core.progress import Point, build_series, extract_figures
from desktop.core.timeline import Entry, Topic, entry_delta, gap_weeks, to_html, to_markdown, topic_key


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    rc = main(list(args), out)
    return rc, out.getvalue()


def timeline(folder: Path, topic: str, *extra: str) -> dict[str, list[object]]:
    rc, text = run("timeline", str(folder), topic, "--json", *extra)
    assert rc == 0
    data: dict[str, list[object]] = json.loads(text)
    return data


def progress(folder: Path, *extra: str) -> list[dict[str, object]]:
    rc, text = run("progress", str(folder), "--json", *extra)
    assert rc == 0
    data: list[dict[str, object]] = json.loads(text)
    return data


def write_weeks(folder: Path, weeks: dict[str, str]) -> Path:
    """One report per ISO week label (`2024-W10`), each body under a dated title."""
    import datetime as dt

    folder.mkdir(parents=True, exist_ok=True)
    for label, body in weeks.items():
        year, week = label.split("-W")
        day = dt.date.fromisocalendar(int(year), int(week), 5)
        (folder / f"{label}.md").write_text(f"# {label} {day.isoformat()}\n\n{body}\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------------- seeds


def test_the_seeds_timeline_of_a_renamed_topic_holds_the_three_2024_reports(seeds_copy: Path) -> None:
    data = timeline(seeds_copy, "贝易转")
    entries = data["entries"]
    assert [e["label"] for e in entries] == ["2024-W17", "2024-W24", "2024-W34"]  # type: ignore[index]
    assert [e["section"] for e in entries] == ["【贝易转（C转）】", "【贝易转】", "【贝易转】"]  # type: ignore[index]
    assert "北京省心租" in entries[0]["text"]  # type: ignore[index]
    # The title as written finds the same topic.
    assert timeline(seeds_copy, "【贝易转（C转）】")["entries"] == entries


def test_the_seeds_timeline_of_system_data_holds_all_five_oldest_first(seeds_copy: Path) -> None:
    entries = timeline(seeds_copy, "系统运行数据")["entries"]
    dates = [e["date"] for e in entries]  # type: ignore[index]
    assert len(entries) == 5
    assert dates == sorted(dates)
    assert {e["key"] for e in entries} == {"系统运行数据"}  # type: ignore[index]


def test_an_okr_code_is_a_topic_across_renamed_objectives(seeds_copy: Path) -> None:
    entries = timeline(seeds_copy, "O2")["entries"]
    assert {e["section"] for e in entries} == {"【O2系统升级】", "【O2 能力升级】"}  # type: ignore[index]
    # The sections inside a heading are part of its text (`A. 支付账户2.0升级` under 【O2系统升级】).
    assert "支付账户2.0升级" in entries[0]["text"]  # type: ignore[index]


def test_a_phrase_is_found_in_the_text_of_sections(seeds_copy: Path) -> None:
    entries = timeline(seeds_copy, "加密机")["entries"]
    assert {e["label"] for e in entries} == {"2024-W17", "2024-W34"}  # type: ignore[index]
    assert all("加密机" in str(e["text"]) for e in entries)  # type: ignore[index]


@pytest.mark.parametrize("topic", ["贝易转", "系统运行数据", "O2", "加密机"])
def test_the_command_lines_entries_are_the_windows_batches_joined(seeds_copy: Path, topic: str) -> None:
    """The command line reads a topic in one query, the window in batches: the same entries, in order."""
    from desktop.store import topics
    from desktop.store.indexer import open_and_index

    cache, _ = open_and_index(seeds_copy)
    try:
        query = topics.resolve_topic(cache.db, topic)
        assert query is not None
        batched = [e for chunk in topics.iter_entries(cache.db, query, batch=2, first=1) for e in chunk]
        assert batched
        assert topics.entries(cache.db, query) == batched
        # The plain listing reads the same entries without their text.
        heads = [(e.report, e.label, e.date, e.iso_week, e.team, e.section) for e in batched]
        assert topics.entry_heads(cache.db, query) == heads
        # `timeline --json` has SQLite write the same entries: the bytes json.dumps writes of them.
        written, weeks = topics.entries_json(cache.db, query)
        as_json = [e.as_json() for e in batched]
        assert written == json.dumps(as_json, ensure_ascii=False, separators=(",", ":")).encode()
        assert weeks == [e.iso_week for e in batched]
    finally:
        cache.close()


def test_an_unknown_topic_names_the_closest_and_exits_2(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, _ = run("timeline", str(seeds_copy), "贝易特转账")
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "closest" in err[0] and "贝易转" in err[0]


def test_the_plain_timeline_lists_one_line_per_entry(seeds_copy: Path) -> None:
    rc, text = run("timeline", str(seeds_copy), "贝易转")
    assert rc == 0
    lines = text.strip().splitlines()
    assert len(lines) == 3 and "2024-W17.md" in lines[0] and "【贝易转（C转）】" in lines[0]


@pytest.mark.parametrize("args", [("timeline", "贝易转"), ("progress",)])
def test_a_process_writes_the_same_json_bytes_as_the_standard_encoder(
    seeds_copy: Path, args: tuple[str, ...]
) -> None:
    """A UTF-8 standard output gets orjson's bytes, a text stream the json module's: the same JSON."""
    import os
    import subprocess
    import sys

    command = [args[0], str(seeds_copy), *args[1:], "--json"]
    rc, text = run(*command)
    assert rc == 0
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "desktop", *command], capture_output=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)  # something was found
    assert done.stdout == text.encode("utf-8")


def test_the_seeds_progress_has_one_m6v_migration_item(seeds_copy: Path) -> None:
    items = [s for s in progress(seeds_copy) if "m6v" in str(s["item"]).casefold()]
    assert len(items) == 1
    values = {p["label"]: p["value"] for p in items[0]["points"]}  # type: ignore[attr-defined]
    assert values["2024-W17"] == 85
    assert values["2024-W24"] == 90
    # W34's `2. 整体进度95%` has no subject of its own: it continues `1. 银企M6V机房迁移，…`.
    assert values["2024-W34"] == 95


# ---------------------------------------------------------------------------------------------- progress


@pytest.mark.parametrize(
    ("line", "item", "value"),
    [
        ("4. 农行存管：系统开发进度85%，", "农行存管 · 系统开发", 85),
        ("1. 银企M6V机房迁移：整体进度达到了90%，中行", "银企M6V机房迁移", 90),
        ("- POS收单系统建设，POS押金进度75%；", "POS收单系统建设 · POS押金", 75),
        ("- Hive数仓建设总进度：72.2%", "Hive数仓建设", 72.2),
        ("1. 支付昌平万国拆分迁移环境准备，一共297台机器，完成占比70%", "支付昌平万国拆分迁移环境准备", 70),
        ("- Payments API, progress: 60%", "Payments API", 60),
        ("- 系统开发进度85%", "系统开发", 85),
    ],
)
def test_a_progress_figure_belongs_to_the_lines_subject(line: str, item: str, value: float) -> None:
    (figure,) = extract_figures(line)
    assert (figure.item, figure.value) == (item, value)


def test_two_figures_of_one_line_are_aspects_of_its_item() -> None:
    figures = extract_figures("- 轻存管&定转佣能力建设，前端进展50%、后端进展40%，当前研发资源存在不足")
    assert [(f.item, f.value) for f in figures] == [
        ("轻存管&定转佣能力建设 · 前端", 50),
        ("轻存管&定转佣能力建设 · 后端", 40),
    ]


def test_a_line_without_a_subject_continues_the_previous_item_of_its_list() -> None:
    text = "1. 银企M6V机房迁移，ARK国密过检：待反馈。\n2. 整体进度95%；剩余加密机待迁移\n"
    (figure,) = extract_figures(text)
    assert (figure.subject, figure.value, figure.line) == ("银企M6V机房迁移", 95, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A figure inside a fence is not progress, and the fence's list items are not items.
        ("```\n- 项目B，进度50%\n```\n- 项目A，进度60%", [("项目A", 60, 4)]),
        ("- 项目A\n~~~\n- 项目B\n~~~\n- 整体进度70%", [("项目A", 70, 5)]),
        # A heading starts new lists: nothing before it is continued.
        ("- 项目A\n## 新的一节\n- 整体进度70%", []),
        # A shallower item ends the deeper list; an item of it is still continued.
        ("- 项目A\n    - 子项B\n- 项目C\n    整体进度70%", []),
        ("- 项目A\n    - 子项B\n    整体进度70%", [("子项B", 70, 3)]),
        # An item whose own figure named it is continued by that name.
        ("- 数仓建设进度40%\n- 整体进度70%", [("数仓建设", 40, 1), ("数仓建设", 70, 2)]),
        ("- 项目A\n\n```\n\n```\n  1. 子项B\n  2. 完成率80%\n", [("子项B", 80, 7)]),
    ],
)
def test_a_continued_figure_follows_the_lists_and_fences_above_it(
    text: str, expected: list[tuple[str, float, int]]
) -> None:
    assert [(f.subject, f.value, f.line) for f in extract_figures(text)] == expected


def test_an_item_far_above_is_continued_as_one_just_above() -> None:
    deeper = "".join(f"    - 子项{i}\n" for i in range(100))  # more lines than are read upwards
    text = f"- 项目A\n{deeper}- 整体进度70%\n- 项目C\n- 整体进度80%\n"
    assert [(f.subject, f.line) for f in extract_figures(text)] == [("项目A", 102), ("项目C", 104)]
    assert extract_figures(f"- 项目A\n## 一节\n{deeper}- 整体进度70%\n") == []  # the heading ends the list


_LIST_LINES = st.sampled_from(
    [
        "",
        "- 项目A",
        "- 项目B：进度40%",
        "    - 子项C",
        "    - 完成率60%",
        "- 整体进度70%",
        "  整体进度80%",
        "## 一节",
        "文字",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LIST_LINES, max_size=40))
def test_reading_upwards_finds_the_item_walking_down_finds(lines: list[str]) -> None:
    text = "\n".join(lines)
    with mock.patch.object(progress_module, "_LOOK_BACK", 0):  # always walk down from the top
        walked = extract_figures(text)
    assert extract_figures(text) == walked


@pytest.mark.parametrize(
    ("line", "subject"),
    [("- 数仓建设进展50%", "数仓建设"), ("- 迁移完成率50%", "迁移"), ("- Build PrOgReSs 50%", "Build")],
)
def test_every_keyword_in_any_case_names_a_figure(line: str, subject: str) -> None:
    assert [(f.subject, f.value) for f in extract_figures(line)] == [(subject, 50)]


def test_shares_and_plain_percentages_are_not_progress() -> None:
    assert extract_figures("- 到账时效T+1 8点占比60%以上；8月贝易转交易占比1.47%；进度正常，预计5月") == []


def test_a_megabyte_line_is_read_only_up_to_a_bound() -> None:
    line = "- 项目A，" + "进度进度约约" * 300_000 + "进度50%"
    # (No timing here: a pattern that backtracks over such lines would not finish at all.)
    figures = extract_figures(line + "\n" + "(" * 1_000_000 + "\n" + "进度" * 500_000)
    assert figures == []  # the figure lies beyond the part of the line that is read


def _point(report: str, date: str, subject: str, value: float, team: str | None = None) -> Point:
    return Point(report, None, date, team, subject, "", value, f"{subject} {value}%")


def test_the_same_item_slightly_renamed_is_one_series_within_a_team() -> None:
    points = [
        _point("a", "2024-04-19", "银企金融M6v机房迁移", 85),
        _point("b", "2024-06-14", "银企M6V机房迁移", 90),
        _point("c", "2024-06-14", "银企M6V机房迁移", 20, team="other"),
        _point("d", "2024-06-21", "人谷系统技术栈改造", 20),
    ]
    series = build_series(points)
    assert [(s.item, s.team, [p.value for p in s.points]) for s in series] == [
        ("银企M6V机房迁移", None, [85, 90]),
        ("银企M6V机房迁移", "other", [20]),
        ("人谷系统技术栈改造", None, [20]),
    ]


# ---------------------------------------------------------------------------------------------- folders


def test_a_stalled_a_regressed_and_a_renamed_item_across_weeks(tmp_path: Path) -> None:
    folder = write_weeks(
        tmp_path / "team",
        {
            "2024-W10": "- 清算系统迁移，整体进度60%\n- 风控模型上线，进度40%\n- 数据中台建设，进度10%",
            "2024-W11": "- 清算系统迁移，整体进度60%\n- 风控模型上线，进度55%\n- 数据中台平台建设，进度30%",
            "2024-W12": "- 清算系统迁移：整体进度60%\n- 风控模型上线，进度50%\n- 数据中台的建设，进度45%",
            "2024-W15": "- 清算系统迁移，整体进度60%\n- 风控模型上线，进度45%\n- 数据中台建设，进度70%",
        },
    )
    by_item = {str(s["item"]): s for s in progress(folder)}
    stalled, regressed = by_item["清算系统迁移"], by_item["风控模型上线"]
    assert stalled["stalled_reports"] == 4 and stalled["stalled"] is True and stalled["regressed"] is False
    assert regressed["regressed"] is True and regressed["stalled"] is False
    assert regressed["change_4w"] == -10  # 45 now, 55 in W11, four weeks before W15
    rc, text = run("progress", str(folder))
    lines = {line.split(":")[0]: line for line in text.splitlines()}
    assert rc == 0 and "STALLED for 4 reports" in lines["清算系统迁移"]
    assert "WENT BACKWARDS" in lines["风控模型上线"] and "STALLED" not in lines["风控模型上线"]
    (renamed,) = [s for key, s in by_item.items() if "数据中台" in key]
    assert [p["value"] for p in renamed["points"]] == [10, 30, 45, 70]  # type: ignore[attr-defined]


def test_a_topic_with_a_gap_and_one_gone_quiet(tmp_path: Path) -> None:
    folder = write_weeks(
        tmp_path / "team",
        {
            "2024-W10": "## 【清算系统】\n\n- 方案评审\n\n## 【风控】\n\n- 规则梳理",
            "2024-W11": "## 【风控】\n\n- 规则上线",
            "2024-W12": "## 【清算系统（二期）】\n\n- 方案评审\n- 开发启动\n\n## 【风控】\n\n- 规则复盘",
            "2024-W13": "## 【其他】\n\n- 无",
        },
    )
    data = timeline(folder, "清算系统")
    assert [e["label"] for e in data["entries"]] == ["2024-W10", "2024-W12"]  # type: ignore[index]
    assert data["gaps"] == ["2024-W11", "2024-W13"]


def test_teams_keep_their_own_timelines(tmp_path: Path) -> None:
    write_weeks(
        tmp_path / "root" / "pay",
        {"2024-W10": "## 【清算系统】\n\n- a", "2024-W11": "## 【清算系统】\n\n- b"},
    )
    write_weeks(
        tmp_path / "root" / "risk", {"2024-W10": "## 【清算系统】\n\n- c", "2024-W12": "## 【其他】\n\n- d"}
    )
    data = timeline(tmp_path / "root", "清算系统", "--team", "risk")
    assert [(e["team"], e["label"]) for e in data["entries"]] == [("risk", "2024-W10")]  # type: ignore[index]
    assert data["gaps"] == ["2024-W12"]
    assert len(timeline(tmp_path / "root", "清算系统")["entries"]) == 3


# ---------------------------------------------------------------------------------------------- core


def test_a_topic_key_ignores_bracketed_remarks_and_okr_codes_stand_alone() -> None:
    assert topic_key("【贝易转（C转）】") == topic_key("贝易转") == "贝易转"
    assert Topic.parse("o2") == Topic("okr", "O2")
    assert Topic.parse("【O2 能力升级】").matches("O2能力升级")


def test_the_delta_between_entries_says_new_changed_and_dropped() -> None:
    delta = entry_delta("- 方案评审\n- 开发进度50%\n- 联调", "- 方案评审\n- 开发进度80%\n- 压测准备")
    assert delta.new == ["- 压测准备"]
    assert delta.dropped == ["- 联调"]
    (change,) = delta.changed
    assert (change.old, change.new) == ("- 开发进度50%", "- 开发进度80%")
    assert [s.text for s in change.new_spans if s.op == "insert"] == ["80"]
    assert entry_delta("- a", "- a").same


def test_the_delta_of_megabyte_lines_takes_bounded_time() -> None:
    old = "- " + "进度50%，" * 150_000 + "\n- 联调"
    new = "- " + "进度60%，" * 150_000 + "\n- 联调"
    delta = entry_delta(old, new)  # pairing such lines by similarity would take minutes
    assert len(delta.new) == len(delta.dropped) == 1 and not delta.changed


def test_gap_weeks_start_at_the_topics_first_week() -> None:
    assert gap_weeks(
        ["2024-W12", "2024-W10"], ["2024-W09", "2024-W10", "2024-W11", "2024-W12", "2024-W13"]
    ) == [
        "2024-W11",
        "2024-W13",
    ]


def test_exports_hold_every_entry_the_gaps_and_the_marks() -> None:
    def entry(week: str, text: str) -> Entry:
        return Entry(f"{week}.md", week, "2024-03-08", week, None, "【清算】", 0, "清算", text)

    entries = [
        entry("2024-W10", "## 【清算】\n- 开发进度50%"),
        entry("2024-W12", "## 【清算】\n- 开发进度80%\n- <新>"),
    ]
    markdown = to_markdown("清算", entries, ["2024-W11"])
    assert markdown.index("2024-W10") < markdown.index("2024-W11") < markdown.index("2024-W12")
    assert "- new: - <新>" in markdown and "changed: - 开发进度50% → - 开发进度80%" in markdown
    page = to_html("清算", entries, ["2024-W11"])
    assert "&lt;新&gt;" in page and "<ins>80</ins>" in page and 'class="gap"' in page


def test_the_recurring_topics_are_named_as_the_newest_report_writes_them(tmp_path: Path) -> None:
    from desktop.store.indexer import open_and_index
    from desktop.store.topics import frequent_topics

    folder = write_weeks(
        tmp_path / "r",
        {
            "2024-W10": "## 【风控】\n\n旧\n\n## 进展\n\n一\n\n## 一次性\n\n只此一次\n",
            "2024-W11": "## 风控\n\n新\n\n## 进展\n\n二\n",
            "2024-W12": "## 进展\n\n三\n",
        },
    )
    cache, _ = open_and_index(folder)
    try:
        assert frequent_topics(cache.db) == [("进展", 3), ("风控", 2)]
        assert frequent_topics(cache.db, limit=1) == [("进展", 3)]
    finally:
        cache.close()
