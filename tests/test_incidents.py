"""Incidents and next week's plan, from headings and from label lines inside lists."""

from __future__ import annotations

import datetime as dt

from conftest import SEEDS

from desktop.core.incidents import extract_incidents, extract_plans
from desktop.core.outline import parse_outline


def parse(name: str, date: dt.date):  # type: ignore[no-untyped-def]
    lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
    sections = parse_outline(lines).sections
    return extract_incidents(lines, sections, date), extract_plans(lines, sections)


def test_incidents_under_a_heading() -> None:
    incidents, _ = parse("2024-W24.md", dt.date(2024, 6, 14))
    assert [(i.date, i.time) for i in incidents] == [
        ("2024-06-09", "23:28"),
        ("2024-06-10", "8:31"),
        ("2024-06-11", "5:00~6:00"),
        ("2024-06-12", "10:10"),
    ]
    assert incidents[0].text.startswith("实时数仓刷数")
    assert all("详细记录" not in i.text for i in incidents)


def test_incident_text_on_the_following_lines() -> None:
    incidents, _ = parse("2024-W34.md", dt.date(2024, 8, 21))
    assert [(i.date, i.time) for i in incidents] == [
        ("2024-08-19", "15:00"),
        ("2024-08-20", "11:19"),
        ("2024-08-20", "17:41"),
    ]
    assert incidents[0].text.startswith("客户反馈商户操作提现失败")


def test_incidents_under_a_list_label() -> None:
    incidents, _ = parse("第42周 2023-10-13.md", dt.date(2023, 10, 13))
    assert [i.date for i in incidents] == ["2023-10-09", "2023-10-10", "2023-10-11", "2023-10-13"]
    incidents, _ = parse("第16周 2023-04-14.md", dt.date(2023, 4, 14))
    assert [(i.date, i.time) for i in incidents] == [("2023-04-10", "23:09"), ("2023-04-11", "21:00")]
    assert "原因：测试环境Swagger接口暴露到公网" in incidents[1].text


def test_december_incident_in_a_january_report() -> None:
    lines = ["# W1", "## 生产事件", "- 12/30 10:00 支付超时", "- 1/2 09:00 回调失败"]
    incidents = extract_incidents(lines, parse_outline(lines).sections, dt.date(2025, 1, 3))
    assert [i.date for i in incidents] == ["2024-12-30", "2025-01-02"]


def test_plans_drop_empty_items() -> None:
    _, plans = parse("2024-W24.md", dt.date(2024, 6, 14))
    assert [p.text for p in plans] == [
        "支付安全方案设计与内部评审",
        "完美团队管理培训",
        "贝易转投产以及整装方案跟进",
        "54321计划项目进度跟进",
    ]
    _, plans = parse("第16周 2023-04-14.md", dt.date(2023, 4, 14))
    assert plans == []


def test_english_sections() -> None:
    lines = [
        "# Week 35",
        "## Incidents",
        "- 08/28 14:05 API latency spike",
        "## Next week",
        "- Ship v2",
        "- ",
        "* Review KPIs",
    ]
    sections = parse_outline(lines).sections
    incidents = extract_incidents(lines, sections, dt.date(2024, 8, 30))
    assert [(i.date, i.text) for i in incidents] == [("2024-08-28", "API latency spike")]
    assert [p.text for p in extract_plans(lines, sections)] == ["Ship v2", "Review KPIs"]
