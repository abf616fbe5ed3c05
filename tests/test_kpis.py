"""KPI marks: the value as written, the change against last week, and its colour by direction."""

from __future__ import annotations

from desktop.core.kpis import kpi_marks
from desktop.core.model import Metric


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
        (101, "1", 1.0, False),
        (102, "658.8", None, None),
    ]


def test_no_delta_across_different_units() -> None:
    metric = Metric("金额", "金额", 1205.0, "万元", 8, "8月交易696笔，金额1205万元")
    (mark,) = kpi_marks([metric], {"金额": (322.0, "")}, direction)
    assert mark.delta is None and mark.value_text == "1205"


def test_value_after_the_label_not_inside_it() -> None:
    metric = Metric("OCR2.0成功率", "OCR2.0成功率", 72.97, "%", 3, "其中，OCR2.0成功率72.97%，提升7.21%")
    (mark,) = kpi_marks([metric], {}, direction)
    assert mark.value_text == "72.97%"
