"""The parser's shortcuts (kept results, prefilters) give what the full path gives."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core import incidents, metrics
from desktop.core.aliases import default_alias_table
from desktop.core.incidents import extract_incidents
from desktop.core.metrics import extract_metrics


def test_a_repeated_line_gives_its_metrics_at_each_line() -> None:
    aliases = default_alias_table()
    line = "- 入金有效成功率：99.95%（目标99.9%）"
    first = extract_metrics([line, "", line], aliases)
    again = extract_metrics(["", line], aliases)
    assert [(m.name, m.value, m.unit, m.line, m.target) for m in first] == [
        ("入金有效成功率", 99.95, "%", 1, 99.9),
        ("入金有效成功率", 99.95, "%", 3, 99.9),
    ]
    assert [m.line for m in again] == [2]


def test_a_lead_in_still_names_a_repeated_line() -> None:
    aliases = default_alias_table()
    item = "  - 支付网关：99.5%"
    under = extract_metrics(["接口成功率，本周数据如下：", item], aliases)
    alone = extract_metrics([item], aliases)
    assert [m.name for m in under] == ["接口成功率 › 支付网关"]
    assert [m.name for m in alone] == ["支付网关"]


def _label_lines(lines: list[str]) -> list[int]:
    """The label lines that open an incident region, looked for line by line (the plain reading)."""
    found = []
    for i, line in enumerate(lines):
        text = incidents._strip(line)
        title = incidents._INCIDENT_TITLE
        heading = line.lstrip(" ").startswith("#")
        if title.search(line) and text and not heading and len(text) <= 30 and title.search(text):
            found += [i + 1] if incidents._LABEL_LINE.match(text) else []
    return found


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["生产事件", "生产稳定性事件", "线上事故", "事故记录", "故障", "incident", "outages"]),
    st.text(alphabet="aAiIİıxX :-", max_size=4),
    st.booleans(),
)
def test_every_incident_title_holds_a_hint(word: str, noise: str, upper: bool) -> None:
    line = f"{noise}{word.upper() if upper else word.title()}{noise}"
    if incidents._INCIDENT_TITLE.search(line):
        assert incidents._INCIDENT_HINT.search(line)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["生产事件", "故障", "Incidents", "OUTAGE", "- ", "# ", ":", "：", " ", "x", "事故"]
            ),
            max_size=6,
        ).map("".join),
        max_size=8,
    )
)
def test_incident_labels_found_in_the_whole_text_are_those_found_line_by_line(lines: list[str]) -> None:
    assert incidents._region_starts(lines, []) == _label_lines(lines)


def test_an_incident_region_under_a_capitalised_label_is_read() -> None:
    lines = ["# W1", "", "INCIDENTS:", "- 06/09 23:28 刷数延迟", "", "## 下周计划"]
    found = extract_incidents(lines, [], dt.date(2024, 6, 14))
    assert [(x.date, x.time, x.text) for x in found] == [("2024-06-09", "23:28", "刷数延迟")]


def test_a_full_line_cache_drops_its_older_half_and_results_stay_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aliases = default_alias_table()
    lines = [f"- 指标{i}成功率：9{i % 10}.5%" for i in range(12)] * 2
    expected = [(m.name, m.value, m.line) for m in extract_metrics(lines, aliases)]
    monkeypatch.setattr(metrics, "_LINE_CACHE_SIZE", 4)
    metrics._line_caches.clear()
    again = [(m.name, m.value, m.line) for m in extract_metrics(lines, aliases)]
    assert again == expected
    assert len(expected) == 24
    assert 2 <= len(metrics._line_caches[aliases]) <= 4


_PLAIN_NUMBER = re.compile(
    rf"(?<![0-9A-Za-z.,+\-_/]){metrics._NUM}(?![0-9]|\.\d|,\d)"
    rf"|(?<=[\s:=(])[-+]{metrics._NUM}(?![0-9]|\.\d|,\d)"
)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="0123456789١２,.+-_/:=( )aZ%万", max_size=16))
def test_the_fast_number_pattern_finds_what_the_plain_one_finds(text: str) -> None:
    assert [m.span() for m in metrics._NUMBER.finditer(text)] == [
        m.span() for m in _PLAIN_NUMBER.finditer(text)
    ]
