"""Comparing two weeks: section alignment, metric deltas, plan follow-up and the character diff."""

from __future__ import annotations

import itertools
import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.aliases import default_alias_table
from desktop.core.compare import (
    Comparison,
    SectionPair,
    align_sections,
    check_plan,
    compare_metrics,
    compare_reports,
)
from desktop.core.model import Metric, PlanItem, Report, Section
from desktop.core.outline import parse_outline
from desktop.core.parser import parse_text
from desktop.core.textdiff import Span, change_count, diff_text

SEEDS = Path(__file__).parent.parent / "seeds"
W17, W24, W34 = "2024-W17.md", "2024-W24.md", "2024-W34.md"
W16, W42 = "第16周 2023-04-14.md", "第42周 2023-10-13.md"
ALL = [W16, W42, W17, W24, W34]


@cache
def _text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def report(name: str) -> Report:
    return parse_text(name, _text(name), aliases=default_alias_table())


def sections(name: str) -> list[Section]:
    return parse_outline(_text(name).split("\n")).sections


def higher_is_better(name: str) -> bool | None:
    info = default_alias_table().info(name)
    return info.higher_is_better if info else None


def titled(pairs: list[SectionPair], left: list[Section], right: list[Section]) -> list[tuple[str, str, str]]:
    """Rows as (left title or '', right title or '', status)."""
    return [
        (
            left[p.left].title if p.left is not None else "",
            right[p.right].title if p.right is not None else "",
            p.status,
        )
        for p in pairs
    ]


def pairing(pairs: list[SectionPair], left: list[Section], right: list[Section]) -> dict[str, str]:
    return {
        left[p.left].title: right[p.right].title for p in pairs if p.left is not None and p.right is not None
    }


def outline(text: str) -> list[Section]:
    return parse_outline(text.split("\n")).sections


# ------------------------------------------------------------------------------------------- alignment


def test_w17_to_w24_pairs_renamed_topic_okrs_and_fixed_sections() -> None:
    left, right = sections(W17), sections(W24)
    pairs = align_sections(left, right)
    got = pairing(pairs, left, right)
    assert got == {
        "【贝易转（C转）】": "【贝易转】",
        "【O1 业务服务】": "【O1 业务服务】",
        "【O2 能力升级】": "【O2 能力升级】",
        "【O3 平台治理】": "【O3 平台治理】",
        "【O4 支付 × AI】": "【O4 支付 × AI】",
        "【系统运行数据】": "【系统运行数据】",
        "【生产事件】": "【生产事件】",
        "【其他】": "【其他】",
        "收获与反思": "收获与反思",
        "下周工作及目标": "下周工作及目标",
    }
    rows = titled(pairs, left, right)
    assert ("【54321技术战略落地】", "", "removed") in rows
    assert ("", "【银行账户架构】", "added") in rows
    by_left = {left[p.left].title: p for p in pairs if p.left is not None}
    assert by_left["【贝易转（C转）】"].how == "title"
    assert by_left["【O1 业务服务】"].how == "key"
    assert all(p.status == "changed" and 0 < p.similarity < 1 for p in pairs if p.how)
    assert all(p.similarity == 0.0 and p.how == "" for p in pairs if not p.how)


def test_rows_follow_the_right_report_and_removed_sections_follow_their_predecessor() -> None:
    left, right = sections(W17), sections(W24)
    rows = titled(align_sections(left, right), left, right)
    assert rows[:7] == [
        ("【贝易转（C转）】", "【贝易转】", "changed"),
        # W17's three other topics came right after 贝易转 there, so they follow its row here.
        ("【54321技术战略落地】", "", "removed"),
        ("【AI创新与多栈】", "", "removed"),
        ("【聚合支付-现代金控】", "", "removed"),
        ("", "【银行账户架构】", "added"),
        ("", "【AI影像数字化】", "added"),
        ("", "【430改进落地以及支付安全治理】", "added"),
    ]
    assert rows[-1] == ("下周工作及目标", "下周工作及目标", "changed")


@pytest.mark.parametrize(("older", "newer"), list(itertools.permutations(ALL, 2)))
def test_every_seed_pair_aligns_soundly(older: str, newer: str) -> None:
    left, right = sections(older), sections(newer)
    pairs = align_sections(left, right)
    # Every section of both reports is exactly one row, nested ones included.
    assert sorted(p.left for p in pairs if p.left is not None) == [s.index for s in left]
    assert sorted(p.right for p in pairs if p.right is not None) == [s.index for s in right]
    right_order = [p.right for p in pairs if p.right is not None]
    assert right_order == sorted(right_order)
    for p in pairs:
        assert (p.status in ("added", "removed")) == (p.left is None or p.right is None)
        assert 0.0 <= p.similarity <= 1.0
    # Unrelated topics never pair: a pair shares its key or its OKR code, or is one of the known renames.
    renames = {("贝易转（C转）", "贝易转"), ("本周收获与反思", "收获与反思")}
    for p in pairs:
        if p.left is None or p.right is None:
            continue
        a, b = left[p.left], right[p.right]
        names = tuple(sorted((a.title.strip("【】"), b.title.strip("【】")), key=len, reverse=True))
        assert a.key == b.key or (a.okr and a.okr == b.okr) or names in renames, (a.title, b.title)


def test_across_report_styles_okr_codes_and_reflection_pair() -> None:
    left, right = sections(W42), sections(W24)
    pairs = align_sections(left, right)
    got = pairing(pairs, left, right)
    assert got["【O1 服务业务】"] == "【O1 业务服务】"
    assert got["【O2系统升级】"] == "【O2 能力升级】"
    assert got["【O3 安全稳定、降本提效】"] == "【O3 平台治理】"
    assert got["收获与反思"] == "收获与反思"
    assert got["【系统运行数据】"] == "【系统运行数据】"
    for title in ("【重点工作】", "【商户服务重构】", "【银行虚户前期设计】", "【银行账户合作沟通】"):
        assert title not in got  # `银行账户合作沟通` vs `银行账户架构` is the closest unrelated title
    by_left = {left[p.left].title: p.how for p in pairs if p.left is not None and p.right is not None}
    assert by_left["【O2系统升级】"] == "okr"
    assert ("", "【O4 支付 × AI】", "added") in titled(pairs, left, right)


def test_nested_sections_are_rows_and_a_reworded_reflection_pairs() -> None:
    left, right = sections(W16), sections(W42)
    rows = titled(align_sections(left, right), left, right)
    assert ("本周收获与反思", "收获与反思", "changed") in rows
    # W16's O2 has sub-headings A. to D.; they stay rows of their own, after the O2 row.
    at = rows.index(("【O2系统升级】", "【O2系统升级】", "changed"))
    assert [r[0] for r in rows[at + 1 : at + 5]] == [
        "A. 支付账户2.0升级",
        "B. POS收单系统建设",
        "C. HIVE标准数仓建设",
        "D. 数据安全与个人信息保护",
    ]
    assert all(r[2] == "removed" for r in rows[at + 1 : at + 5])
    # The empty container `上周进展` comes first: nothing of the left report precedes it.
    assert rows[0] == ("上周进展", "", "removed")


def test_separated_pairs_stay_apart_and_forced_pairs_win() -> None:
    left, right = sections(W17), sections(W24)
    bei = (0, 0)  # 【贝易转（C转）】 ↔ 【贝易转】
    apart = align_sections(left, right, separated=[bei])
    assert "【贝易转（C转）】" not in pairing(apart, left, right)
    assert ("【贝易转（C转）】", "", "removed") in titled(apart, left, right)

    forced = align_sections(left, right, forced=[(1, 1), (8, 9)])  # 54321 ↔ 银行账户架构, 运行数据 ↔ 生产事件
    got = pairing(forced, left, right)
    assert got["【54321技术战略落地】"] == "【银行账户架构】"
    assert got["【系统运行数据】"] == "【生产事件】"
    assert "【生产事件】" not in got  # its usual partner is taken by the forced pair
    assert {p.how for p in forced if p.left in (1, 8)} == {"manual"}
    assert got["【贝易转（C转）】"] == "【贝易转】"  # the rest is paired as before

    # Forced and separated at once: never pairing wins.
    both = align_sections(left, right, forced=[bei], separated=[bei])
    assert "【贝易转（C转）】" not in pairing(both, left, right)
    # Indexes that do not exist are ignored.
    assert align_sections(left, right, forced=[(99, 0)], separated=[(0, 99)]) == align_sections(left, right)


def test_unchanged_ignores_heading_and_whitespace_and_content_pairs_a_renamed_section() -> None:
    left = outline(
        "# W1\n\n## 账务系统\n\n- 对账完成，差错 0 笔\n- 日切正常\n\n## 旧名字\n\n"
        "机房迁移整体进度90%，剩余三家银行待迁移，预计下周完成生产验证。\n"
    )
    right = outline(
        "# W2\n\n## 账务系统\n- 对账完成，差错 0 笔\n-   日切正常\n\n## 全新的名字\n\n"
        "机房迁移整体进度95%，剩余两家银行待迁移，预计下周完成生产验证。\n"
    )
    pairs = align_sections(left, right)
    assert [(p.left, p.right, p.status, p.how) for p in pairs] == [
        (0, 0, "unchanged", "key"),
        (1, 1, "changed", "content"),
    ]
    assert pairs[0].similarity == 1.0
    assert 0.6 <= pairs[1].similarity < 1.0


def test_pairing_is_best_first_not_first_come() -> None:
    left = outline("# A\n\n## 贝易转二期研发\n\nx\n\n## 贝易转二期研发测试\n\ny\n")
    right = outline("# B\n\n## 贝易转二期研发测试进展\n\nz\n")
    pairs = align_sections(left, right)
    # The longer, closer title wins; the removed one has no paired section above it, so it comes first.
    assert [(p.left, p.right, p.how) for p in pairs] == [(0, None, ""), (1, 0, "title")]


def test_short_or_empty_bodies_do_not_pair_by_content() -> None:
    left = outline("# A\n\n## 上周进展\n\n## 其他事项\n\n1. 面试\n")
    right = outline("# B\n\n## 重点工作\n\n## 杂项\n\n1. 面试\n")
    assert [(p.left, p.right) for p in align_sections(left, right)] == [
        (0, None),
        (1, None),
        (None, 0),
        (None, 1),
    ]


# --------------------------------------------------------------------------------------------- metrics


def test_metric_deltas_w24_to_w34() -> None:
    deltas = {
        d.metric: d for d in compare_metrics(report(W24).metrics, report(W34).metrics, higher_is_better)
    }
    out_rate = deltas["出金有效成功率"]
    assert (out_rate.left, out_rate.right, out_rate.delta, out_rate.direction) == (
        99.992,
        99.989,
        -0.003,
        "worse",
    )
    assert out_rate.unit == "%"
    in_rate = deltas["入金有效成功率"]
    assert (in_rate.left, in_rate.right, in_rate.delta, in_rate.direction) == (
        99.995,
        99.998,
        0.003,
        "better",
    )
    avail = deltas["年度可用性"]
    assert (avail.left, avail.right, avail.delta, avail.direction) == (100.0, 99.998, -0.002, "worse")
    # W24 counts CD-grade incidents together, W34 per grade: W34's total (derived) faces W24's, and
    # the parts it was made of are not shown as new.
    cd = deltas["事故数CD级"]
    assert (cd.left, cd.right, cd.delta, cd.direction) == (1.0, 0.5, -0.5, "better")
    assert "事故数C级" not in deltas and "事故数D级" not in deltas
    assert deltas["事故数AB级"].direction == "same"
    # `金额 322` (an amount to recover) and `金额：1205万元` (monthly volume) differ in scale: no delta.
    assert deltas["金额"].delta is None


def test_metric_order_first_occurrence_and_unknown_direction() -> None:
    def m(name: str, value: float, unit: str = "%") -> Metric:
        return Metric(name, name, value, unit, 1, f"{name}：{value}{unit}")

    left = [m("b", 1.0), m("a", 0.1), m("b", 5.0)]
    right = [m("c", 3.0), m("a", 0.3), m("b", 1.0)]
    deltas = compare_metrics(left, right, lambda name: {"a": False}.get(name))
    assert [(d.metric, d.left, d.right, d.delta, d.direction) for d in deltas] == [
        ("b", 1.0, 1.0, 0.0, "same"),  # the first `b` of the left week counts
        ("a", 0.1, 0.3, 0.2, "worse"),  # 0.3 − 0.1 without float noise; lower is better
        ("c", None, 3.0, None, None),
    ]
    assert compare_metrics([m("x", 1.0)], [m("x", 2.0)], lambda name: None)[0].direction is None


# ------------------------------------------------------------------------------------------------ plan


def test_w24_plan_checked_against_w34() -> None:
    older, newer = report(W24), report(W34)
    assert [p.text for p in older.plans] == [
        "支付安全方案设计与内部评审",
        "完美团队管理培训",
        "贝易转投产以及整装方案跟进",
        "54321计划项目进度跟进",
    ]
    checks = check_plan(older.plans, newer)
    lines = newer.text.split("\n")
    security, training, beiyizhuan, plan54321 = checks
    # W34 has a 【支付安全】 topic with work under way; nothing says the design was reviewed.
    assert security.status == "in_progress" and security.evidence == "- 【支付安全】"
    assert training.status == "not_found" and training.evidence is None and training.evidence_line is None
    assert beiyizhuan.status == "in_progress"
    assert beiyizhuan.evidence is not None and "贝易转" in beiyizhuan.evidence
    assert beiyizhuan.evidence_line is not None
    assert lines[beiyizhuan.evidence_line - 1].strip() == beiyizhuan.evidence
    assert plan54321.status == "not_found"  # W34 never mentions 54321; `项目`/`进度` alone prove nothing


def test_w17_plan_checked_against_w24() -> None:
    checks = {c.item: c for c in check_plan(report(W17).plans, report(W24))}
    done = checks["贝易转研发和测试进度、质量跟进"]
    assert done.status == "done" and done.evidence == "- 贝易转版本: 1.1&1.2版本已上线，618在省心租试点。"
    talks = checks["聚合支付与现代金控沟通试点"]
    assert talks.status == "in_progress" and talks.evidence == "2. 聚合支付商业计划更新"
    assert checks["54321目标落地部分Owner沟通"].status == "not_found"
    assert checks["重点项目汇报和评审辅导"].status == "not_found"


def _newer(text: str) -> Report:
    return parse_text("new.md", text, aliases=default_alias_table())


def test_plan_status_reads_the_clause_not_just_the_word() -> None:
    newer = _newer(
        "# W2\n\n## 进展\n\n- 农行存管：系统开发进度85%，系统上线计划延期至6月27日\n"
        "- 贝好家意向金， 3/31正式投产运营\n- 芝麻免押：预计下周上线\n"
        "- 支付营销平台：功能验证完成，计划4/18上线\n\n# 下周工作及目标\n\n1. 风控平台验收\n"
    )
    plan = [
        PlanItem(text, 1)
        for text in (
            "农行存管联调",
            "贝好家意向金投产",
            "芝麻免押上线",
            "支付营销平台验证",
            "风控平台验收",
            "项目进度跟进",
        )
    ]
    got = [(c.status, c.evidence_line) for c in check_plan(plan, newer)]
    assert got == [
        ("in_progress", 5),  # `进度85%` is partial and `计划…上线` is future
        ("done", 6),  # the name in one clause, `投产` in the next
        ("in_progress", 7),  # `预计下周上线`
        ("done", 8),  # `完成` comes before the later `计划4/18上线`
        ("not_found", None),  # only in the newer report's own plan, which is not evidence
        ("not_found", None),  # nothing distinctive left to look for
    ]


# ---------------------------------------------------------------------------------------------- report


def test_compare_reports_and_json() -> None:
    left, right = report(W24), report(W34)
    comparison = compare_reports(left, right, higher_is_better)
    assert isinstance(comparison, Comparison)
    assert comparison.left is left and comparison.right is right
    data = comparison.to_json(lambda r: {"path": r.path, "date": r.date})
    assert set(data) == {"left", "right", "pairs", "metrics", "plan"}
    assert data["left"] == {"path": W24, "date": left.date}
    pairs = data["pairs"]
    assert isinstance(pairs, list) and len(pairs) == len(comparison.pairs)
    assert all(set(p) == {"left", "right", "status", "similarity"} for p in pairs)
    assert {p["status"] for p in pairs} <= {"unchanged", "changed", "added", "removed"}
    assert {
        "left": "【贝易转】",
        "right": "【贝易转】",
        "status": "changed",
        "similarity": round(comparison.pairs[0].similarity, 3),
    } == pairs[0]
    assert {"left": "【银行账户架构】", "right": None, "status": "removed", "similarity": 0.0} in pairs
    assert {"left": None, "right": "【好店】", "status": "added", "similarity": 0.0} in pairs
    metrics = data["metrics"]
    assert isinstance(metrics, list)
    assert {
        "metric": "出金有效成功率",
        "left": 99.992,
        "right": 99.989,
        "delta": -0.003,
        "direction": "worse",
    } in metrics
    plan = data["plan"]
    assert isinstance(plan, list)
    assert plan[1] == {"item": "完美团队管理培训", "status": "not_found", "evidence": None}
    assert all(set(p) == {"item", "status", "evidence"} for p in plan)


# -------------------------------------------------------------------------------------------- textdiff


def _join(spans: list[Span], skip: str) -> str:
    return "".join(s.text for s in spans if s.op != skip)


def test_chinese_character_level_changes() -> None:
    old, new = diff_text("省心租本周进行产品方案初评", "省心租下周进行产品方案详评")
    assert old == [
        Span("equal", "省心租", False),
        Span("delete", "本", False),
        Span("equal", "周进行产品方案", False),
        Span("delete", "初", False),
        Span("equal", "评", False),
    ]
    assert [s.text for s in new if s.op == "insert"] == ["下", "详"]
    assert change_count(old, new) == 2

    old, new = diff_text("收银台上线", "收银台改版上线")
    assert old == [Span("equal", "收银台上线", False)]
    assert new == [
        Span("equal", "收银台", False),
        Span("insert", "改版", False),
        Span("equal", "上线", False),
    ]
    assert change_count(old, new) == 1


def test_changed_numbers_are_whole_tokens() -> None:
    old, new = diff_text("- 出金有效成功率：99.992%\n", "- 出金有效成功率：99.989%\n")
    assert [s for s in old if s.op != "equal"] == [Span("delete", "99.992", True)]
    assert [s for s in new if s.op != "equal"] == [Span("insert", "99.989", True)]
    old, new = diff_text("进度85%，共26城", "进度100%，共26城")
    assert [s for s in old if s.op != "equal"] == [Span("delete", "85", True)]
    assert [s for s in new if s.op != "equal"] == [Span("insert", "100", True)]
    old, new = diff_text("累计12次", "累计12天")  # a changed word next to a number leaves the number alone
    assert [s.text for s in new if s.op == "insert"] == ["天"]


def test_identical_and_empty_texts() -> None:
    text = _text(W24)
    assert diff_text(text, text) == ([Span("equal", text, False)], [Span("equal", text, False)])
    assert diff_text("", "") == ([], [])
    assert diff_text("", "新增") == ([], [Span("insert", "新增", False)])
    assert change_count(*diff_text(text, text)) == 0


def test_rewritten_paragraph_is_one_change_not_cut_at_blank_lines() -> None:
    old = "## 【生产事件】\n\n06/09 刷数导致Redis异常\n\n06/10 报npe异常\n"
    new = "## 【生产事件】\n\n08/19 风控规则更新导致提现失败\n\n08/20 钱包首页响应504\n"
    spans_old, spans_new = diff_text(old, new)
    assert change_count(spans_old, spans_new) == 1
    assert spans_old[0] == Span("equal", "## 【生产事件】\n\n", False)


def test_seed_reports_diff_quickly_and_pathological_input_stays_fast() -> None:
    a, b = _text(W24), _text(W34)
    start = time.perf_counter()
    old, new = diff_text(a, b)
    assert time.perf_counter() - start < 0.5  # typically ~1 ms; generous for slow CI machines
    assert _join(old, "insert") == a and _join(new, "delete") == b
    worst = [
        ("x\n" * 3000, "y\n" * 3000),
        ("ab" * 20000, "ba" * 20000),
        (
            "".join("abc"[i * 7 % 3] + "\n" for i in range(900)),
            "".join("abc"[i * 5 % 3] + "\n" for i in range(900)),
        ),
    ]
    for x, y in worst:
        start = time.perf_counter()
        old, new = diff_text(x, y)
        assert time.perf_counter() - start < 2.0
        assert _join(old, "insert") == x and _join(new, "delete") == y


_PIECES = st.sampled_from(
    [
        *"ab12.,%\n \r\t中文的。，、【】-",
        "\u2028",
        "99.9",
        "进度85%",
        "\n\n",
        "- 入金有效成功率：",
        "上线完成",
    ]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60)


@st.composite
def _text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Unrelated texts, and (more interesting for a diff) a text and a lightly edited copy of it."""
    old = draw(_TEXT)
    if draw(st.booleans()):
        return old, draw(_TEXT)
    pieces = list(old)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(pieces)))
        delete = draw(st.booleans())
        if pieces and delete:
            del pieces[min(at, len(pieces) - 1)]
        else:
            pieces.insert(at, draw(_PIECES))
    return old, "".join(pieces)


@settings(max_examples=400, deadline=None)
@given(_text_pairs())
def test_diff_text_never_raises_and_rebuilds_both_sides(texts: tuple[str, str]) -> None:
    old, new = texts
    old_spans, new_spans = diff_text(old, new)
    assert _join(old_spans, "insert") == old
    assert _join(new_spans, "delete") == new
    assert {s.op for s in old_spans} <= {"equal", "delete"}
    assert {s.op for s in new_spans} <= {"equal", "insert"}
    assert all(s.text for s in old_spans + new_spans)
    assert not any(s.number for s in old_spans + new_spans if s.op == "equal")
    # Both sides share the same unchanged text.
    assert _join(old_spans, "delete") == _join(new_spans, "insert")
    assert (change_count(old_spans, new_spans) == 0) == (old == new)


def test_values_in_different_units_keep_their_own() -> None:
    from desktop.core.compare import compare_metrics
    from desktop.core.model import Metric

    left = [Metric("金额", "金额", 322.0, "", 84, "金额 322")]
    right = [Metric("金额", "金额", 1205.0, "万元", 8, "金额1205万元")]
    (delta,) = compare_metrics(left, right, lambda _name: None)
    assert delta.delta is None and delta.left_shown_unit == "" and delta.unit == "万元"


def test_the_key_figures_list_kpis_before_one_off_figures() -> None:
    from desktop.core.compare import compare_metrics
    from desktop.core.model import Metric

    def m(name: str, value: float, kind: str) -> Metric:
        return Metric(name, name, value, "%", 1, f"{name}：{value}%", kind=kind)

    left = [m("身份证识别率", 95.0, "figure"), m("入金有效成功率", 99.9, "kpi")]
    right = [
        m("新渠道占比", 3.0, "figure"),
        m("入金有效成功率", 99.95, "kpi"),
        m("身份证识别率", 96.0, "figure"),
    ]
    names = [d.metric for d in compare_metrics(left, right, lambda _name: True)]
    assert names == ["入金有效成功率", "身份证识别率", "新渠道占比"]
