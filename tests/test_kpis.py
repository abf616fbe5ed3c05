"""KPI marks: the value as written, the change against last week, and its colour by direction."""

from __future__ import annotations

import pytest

from desktop.core.compare import compare_metrics
from desktop.core.kpis import Change, change, kpi_marks, series_changes
from desktop.core.model import Metric
from desktop.core.render import render_markdown


def direction(name: str) -> bool | None:
    return {"入金有效成功率": True, "事故数CD级": False}.get(name)


def test_marks_carry_the_delta_and_whether_it_is_better() -> None:
    metrics = [
        Metric("入金有效成功率", "入金有效成功率", 99.998, "%", 100, "- 入金有效成功率：99.998%"),
        Metric("事故数CD级", "CD级", 1.0, "次", 101, "- 事故数AB级0次，CD级1次"),
        Metric("健康分", "健康分", 658.8, "", 102, "健康分658.8"),
    ]
    previous = {"入金有效成功率": (99.995, "%"), "事故数CD级": (0.0, "次")}
    marks = kpi_marks(metrics, previous, direction)
    assert [(m.line, m.value_text, m.delta, m.better) for m in marks] == [
        (100, "99.998%", 0.003, True),
        (101, "1次", 1.0, False),  # the badge goes after the unit: `CD级1次 ▲1次`
        (102, "658.8", None, None),
    ]


def test_no_delta_across_different_units() -> None:
    metric = Metric("金额", "金额", 1205.0, "万元", 8, "8月交易696笔，金额1205万元")
    (mark,) = kpi_marks([metric], {"金额": (322.0, "")}, direction)
    assert mark.delta is None and mark.value_text == "1205万元"


def test_value_after_the_label_not_inside_it() -> None:
    metric = Metric("OCR2.0成功率", "OCR2.0成功率", 72.97, "%", 3, "其中，OCR2.0成功率72.97%，提升7.21%")
    (mark,) = kpi_marks([metric], {}, direction)
    assert mark.value_text == "72.97%"


# --- One "change since the previous report" for the badge, the chart tooltip and the compare table ---


@pytest.mark.parametrize(
    ("previous", "value", "unit", "better", "expected"),
    [
        ((99.9, ""), 99.95, "%", True, (0.05, "better", "▲0.05 pp")),  # a unit left out once
        ((99.992, "%"), 99.989, "%", True, (-0.003, "worse", "▼0.003 pp")),  # decimal, not binary
        ((0.0, "次"), 0.0, "次", False, (0.0, "same", "＝")),
        ((3.0, "条"), 5.0, "条", None, (2.0, "neutral", "▲2条")),
        ((322.0, ""), 1205.0, "万元", None, None),  # 322 and 1205万元 are not one measure
        (None, 1.0, "次", False, None),
        ((float("nan"), "%"), 1.0, "%", True, None),
    ],
)
def test_change(
    previous: tuple[float, str] | None,
    value: float,
    unit: str,
    better: bool | None,
    expected: tuple[float, str, str] | None,
) -> None:
    found = change(previous, value, unit, better)
    assert (None if found is None else (found.delta, found.direction, found.label())) == expected


def test_badge_chart_and_compare_table_agree() -> None:
    before = Metric("年度可用性", "可用性", 99.9, "", 1, "- 可用性：99.9")
    now = Metric("年度可用性", "可用性", 99.95, "%", 1, "- 可用性：99.95%")
    higher = {"年度可用性": True}.get
    (mark,) = kpi_marks([now], {"年度可用性": (before.value, before.unit)}, higher)
    (row,) = compare_metrics([before], [now], higher)
    tooltip = series_changes([(99.9, ""), (99.95, "%")], True)
    assert mark.delta == row.delta == 0.05 and tooltip[0] is None and tooltip[1] is not None
    assert tooltip[1].delta == 0.05 and mark.label == tooltip[1].label() == "▲0.05 pp"
    assert row.direction == "better" and mark.better is True


def test_badge_sits_after_the_unit() -> None:
    metric = Metric("事故数AB级", "事故数AB级", 0.0, "次", 1, "事故数AB级0次，CD级1次")
    (mark,) = kpi_marks([metric], {"事故数AB级": (0.0, "次")}, direction)
    html = render_markdown("事故数AB级0次，CD级1次", kpis=[mark])
    assert "0次</span>" in html and "＝" in html.split("0次</span>", 1)[1].split("CD", 1)[0]
    assert "次次" not in html


def test_change_labels_for_the_compare_table() -> None:
    assert Change(-0.003, "%", "worse").label(signed=True, spaced=True) == "▼ -0.003 pp"
    assert Change(0.0, "条", "same").label(spaced=True) == "＝ 0"
