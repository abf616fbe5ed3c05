"""KPI extraction from report lines and tables, and the alias table that names the KPIs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core import metrics as metrics_module
from desktop.core import paths
from desktop.core.aliases import CHART_GROUPS, AliasError, AliasTable, MetricInfo, default_alias_table
from desktop.core.metrics import extract_metrics
from desktop.core.model import Metric

SEEDS = Path(__file__).parent.parent / "seeds"
BUNDLED = paths.resources_dir() / "metrics.toml"
TABLE = AliasTable.load(BUNDLED)


def extract(text: str, table: AliasTable = TABLE) -> list[Metric]:
    return extract_metrics(text.split("\n"), table)


def triples(text: str, table: AliasTable = TABLE) -> list[tuple[str, float, str]]:
    return [(m.name, m.value, m.unit) for m in extract(text, table)]


def seed(name: str) -> list[Metric]:
    return extract((SEEDS / name).read_text(encoding="utf-8"))


# --- The five sample reports ---

SEED_KPIS = {
    "2024-W17.md": {
        "入金有效成功率": 99.997,
        "出金有效成功率": 99.984,
        "年度可用性": 100,
        "事故数AB级": 0,
        "事故数CD级": 0,
    },
    "2024-W24.md": {
        "入金有效成功率": 99.995,
        "出金有效成功率": 99.992,
        "年度可用性": 100,
        "事故数AB级": 0,
        "事故数CD级": 1,
    },
    "2024-W34.md": {
        "入金有效成功率": 99.998,
        "出金有效成功率": 99.989,
        "年度可用性": 99.998,
        "事故数AB级": 0,
        "事故数C级": 0.5,
        "事故数D级": 0,
    },
    "第16周 2023-04-14.md": {
        "入金有效成功率": 99.99,
        "出金有效成功率": 99.91,
        "年度可用性": 100,
        "事故数AB级": 0,
        "事故数CD级": 0,
    },
    "第42周 2023-10-13.md": {
        "入金有效成功率": 99.997,
        "出金有效成功率": 99.973,
        "一次支付成功率": 99.206,
        "年度可用性": 99.998,
        "事故数AB级": 0,
        "事故数CD级": 1,
        "健康分": 658.8,
    },
}


@pytest.mark.parametrize("name", sorted(SEED_KPIS))
def test_seed_kpis_exactly(name: str) -> None:
    found = seed(name)
    for kpi, value in SEED_KPIS[name].items():
        assert [m.value for m in found if m.name == kpi] == [value], kpi
    # Each default-charted KPI appears once or not at all: a chart never gets two points for one week.
    charted = set(TABLE.charted_by_default())
    assert {m.name for m in found if m.name in charted and not m.derived} == charted & set(SEED_KPIS[name])
    for kpi in charted:
        assert sum(m.name == kpi and not m.derived for m in found) <= 1, kpi


def test_seed_metric_fields() -> None:
    lines = (SEEDS / "第16周 2023-04-14.md").read_text(encoding="utf-8").split("\n")
    found = {m.name: m for m in extract_metrics(lines, TABLE)}
    availability = found["年度可用性"]
    assert availability.raw_label == "支付系统年度可用性"
    assert availability.unit == "%"
    assert lines[availability.line - 1].strip() == availability.text == "- 支付系统年度可用性：100%"
    assert availability.section is None
    assert found["事故数AB级"].unit == found["事故数CD级"].unit == "次"
    assert found["事故数AB级"].raw_label == "事故数AB级"
    assert found["事故数CD级"].raw_label == "CD级"


def test_seed_assistant_line_keeps_values_and_drops_the_target() -> None:
    found = [(m.name, m.value, m.unit) for m in seed("2024-W17.md") if m.line == 58]
    assert found == [("总询问量", 321, "条"), ("准确条数", 286, "条"), ("准确率", 89.09, "%")]
    assert not [m for m in seed("2024-W17.md") if m.value == 90]


def test_seed_recognition_rates_without_their_deltas() -> None:
    found = seed("2024-W34.md")
    by_name = {m.name: m.value for m in found}
    assert by_name["备件识别率 › 身份证"] == 95.91
    assert by_name["备件识别率 › 房产证"] == 69.34
    assert by_name["OCR2.0成功率"] == 72.97
    assert by_name["灵犀成功率"] == 50.65
    assert by_name["AI自动初审占比"] == 61.09
    assert by_name["累计交易"] == 1349
    assert not {0.22, 2.21, 7.65, 7.21, 7.01, 5.21, 0.9} & {m.value for m in found}


def test_seeds_hold_no_progress_dates_or_times() -> None:
    for name in SEED_KPIS:
        for m in seed(name):
            assert not m.raw_label.endswith(("进度", "进展")), m
            assert "月" not in m.raw_label and "/" not in m.raw_label, m
    assert [(m.name, m.value) for m in seed("2024-W24.md") if m.line == 82] == [
        ("事故数AB级", 0),
        ("事故数CD级", 1),
    ]


# --- KPI lines ---


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("入金有效成功率：99.997%", [("入金有效成功率", 99.997, "%")]),
        (
            "- 出金有效成功率：99.973% ，一次支付成功率：99.206%",
            [("出金有效成功率", 99.973, "%"), ("一次支付成功率", 99.206, "%")],
        ),
        ("入金有效成功率: 99.96 %", [("入金有效成功率", 99.96, "%")]),
        ("入金有效成功率:99.96％", [("入金有效成功率", 99.96, "%")]),
        ("1. **入金有效成功率**：99.99%", [("入金有效成功率", 99.99, "%")]),
        ("* 支付系统年度可用性：100%", [("年度可用性", 100, "%")]),
        ("Pay-in success rate: 99.992%", [("入金有效成功率", 99.992, "%")]),
        (
            "- Payout success rate: 99.9%, availability: 99.99%",
            [("出金有效成功率", 99.9, "%"), ("年度可用性", 99.99, "%")],
        ),
        ("健康分658.8", [("健康分", 658.8, "")]),
        ("总询问量321条", [("总询问量", 321, "条")]),
        ("累计交易1,349笔，总金额2214万元", [("累计交易", 1349, "笔"), ("总金额", 2214, "万元")]),
        ("准确率89.09%", [("准确率", 89.09, "%")]),
        ("其中，OCR2.0成功率72.97%", [("OCR2.0成功率", 72.97, "%")]),
        ("P99 latency: 120 ms", [("P99 latency", 120, "ms")]),
        ("净收入：-5万元", [("净收入", -5, "万元")]),
        ("本周入金有效成功率：99.9%", [("入金有效成功率", 99.9, "%")]),
        ("入金有效成功率：99.99%（目标99.995%）", [("入金有效成功率", 99.99, "%")]),
    ],
)
def test_kpi_lines(line: str, expected: list[tuple[str, float, str]]) -> None:
    assert triples(line) == expected


def test_raw_label_and_text() -> None:
    (m,) = extract("\n  - **Pay-in success rate**: 99.992%  ")
    assert (m.name, m.raw_label, m.line, m.text) == (
        "入金有效成功率",
        "Pay-in success rate",
        2,
        "- **Pay-in success rate**: 99.992%",
    )


@pytest.mark.parametrize(
    "line",
    [
        # changes against last week
        "较上周上涨0.22%",
        "提升7.21%",
        "准确率环比+3%",
        "入金有效成功率同比下降2%",
        "up 0.2% from last week",
        "入金有效成功率：较上周提升0.01%",
        # targets
        "运营目标准确率>90%",
        "入金有效成功率≥99.9%",
        "入金有效成功率＞99.9%",
        "目标99.99%",
        "target 99.9%",
        "目标：99.99%",
        "准确率90%以上",
        "可用性SLA：99.95%",
        "上周入金有效成功率：99.9%",
        # ranges
        "耗时10~17ms",
        "成功率0.3%-1.5%",
        "成功率[0.3%, 1.5%]",
        "时长10至17分钟",
        # dates and times
        "4/18上线",
        "6月20日上线",
        "06/09 23:28 实时数仓刷数",
        "2024-06-14",
        "Created: 2024年4月20日 09:27",
        "# 第16周 2023/04/14",
        "# 2024-W17",
        "pageNO等字段被传入特殊命令.10:59 攻击ip被封禁",
        # percentages and numbers in prose, progress
        "存管路由一期测试10%",
        "新策略上线后转化7%",
        "整体进度70%",
        "Hive数仓建设总进度：72.2%",
        "终端入网进度达60%",
        "Up to 1.8% wins on a few benchmarks.",
        "12 revisions checked.",
        "影响约684笔出金交易",
        "省心租: 617上线",
        "钱包鉴权接口收到大量403、500高考",
        "释放了1.5T的空间",
        "Run RemoveZsts pass at mir-opt-level=1",
        "ci: upgrade mingw-check to ubuntu:22.04",
        "Holy cow: 9.6% faster compiling diesel",
        "存量单200+；",
        "账户2.0性能",
        "v1.2.3 已发布",
        # withdrawn text
        "~~入金有效成功率：99.9%~~",
    ],
)
def test_not_values(line: str) -> None:
    assert extract(line) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("身份证：95.91%，较上周上涨0.22%", [("备件识别率 › 身份证", 95.91, "%")]),
        ("Pay-in success rate: 99.992%, up 0.2% from last week", [("入金有效成功率", 99.992, "%")]),
        (
            "「贝小理」运营目标准确率>90%，总询问量321条，准确条数286条，准确率89.09%",
            [("总询问量", 321, "条"), ("准确条数", 286, "条"), ("准确率", 89.09, "%")],
        ),
        (
            "AI自动初审占比61.09%，较上周提升5.21%。采用余弦向量相似度匹配，阈值为0.9。",
            [("AI自动初审占比", 61.09, "%")],
        ),
        ("到账时效T+1 8点占比60%以上，健康分700", [("健康分", 700, "")]),
        ("准确率89.09%较上周提升2%", [("准确率", 89.09, "%")]),
        ("入金有效成功率：99.99% +0.01%", [("入金有效成功率", 99.99, "%")]),
        ("Availability: 99.99% vs 99.98% last week", [("年度可用性", 99.99, "%")]),
        ("(注：健康分700) 准确率：90%", [("准确率", 90, "%")]),
    ],
)
def test_values_beside_noise(line: str, expected: list[tuple[str, float, str]]) -> None:
    assert triples(line) == expected


# --- Incidents by grade ---


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "事故数AB级0次，CD级1次。430事故复盘完毕待定级，",
            [("事故数AB级", 0, "事故数AB级"), ("事故数CD级", 1, "CD级")],
        ),
        (
            "AB级0次，C级0.5次，D级0次",
            # The split grades, and their total for the weeks that write `CD级` (derived, see below).
            [
                ("事故数AB级", 0, "AB级"),
                ("事故数C级", 0.5, "C级"),
                ("事故数D级", 0, "D级"),
                ("事故数CD级", 0.5, "CD级"),
            ],
        ),
        (
            "- 事故数：A级事故1次，B级0次",
            [("事故数A级", 1, "A级事故"), ("事故数B级", 0, "B级"), ("事故数AB级", 1, "AB级")],
        ),
        ("A/B级事故0次", [("事故数AB级", 0, "A/B级事故")]),
    ],
)
def test_incident_grades(line: str, expected: list[tuple[str, float, str]]) -> None:
    found = extract(line)
    assert [(m.name, m.value, m.raw_label) for m in found] == expected
    assert {m.unit for m in found} == {"次"}


def test_grade_letters_need_a_count() -> None:
    assert extract("P1级故障定级中，C级城市推广") == []


# --- Code fences and front matter ---


def test_code_fences_are_skipped() -> None:
    text = "\n".join(
        [
            "```text",
            "入金有效成功率：1%",
            "```",
            "入金有效成功率：99.9%",
            "~~~~",
            "出金有效成功率：2%",
            "~~~",
            "still inside: 出金有效成功率：3%",
            "~~~~",
            "出金有效成功率：99.8%",
        ]
    )
    assert [(m.name, m.value, m.line) for m in extract(text)] == [
        ("入金有效成功率", 99.9, 4),
        ("出金有效成功率", 99.8, 10),
    ]


def test_an_unclosed_fence_hides_the_rest() -> None:
    assert extract("```\n入金有效成功率：99.9%\n") == []


def test_front_matter_is_metadata() -> None:
    assert triples("---\nweek: 24\n---\n健康分：700") == [("健康分", 700, "")]


# --- KPI tables ---


def test_table_this_week_column() -> None:
    text = "\n".join(
        [
            "本周数据：",
            "",
            "| 指标 | 上周 | 本周 | 环比 |",
            "| --- | ---: | :---: | --- |",
            "| 入金有效成功率 | 99.990% | 99.997% | +0.007% |",
            "| **出金有效<br />成功率** | 99.95% | 99.984% | +0.03% |",
            "| 健康分 | 650 | - | |",
            "| 事故数AB级 | 1 | 0 | -1 |",
            "| CD级 | 1 | 2 | +1 |",
            "",
            "健康分：655",
        ]
    )
    found = extract(text)
    assert [(m.name, m.raw_label, m.value, m.unit, m.line) for m in found] == [
        ("入金有效成功率", "入金有效成功率", 99.997, "%", 5),
        ("出金有效成功率", "出金有效 成功率", 99.984, "%", 6),
        ("事故数AB级", "事故数AB级", 0, "", 8),
        ("事故数CD级", "CD级", 2, "", 9),
        ("健康分", "健康分", 655, "", 11),
    ]
    assert found[0].text == "| 入金有效成功率 | 99.990% | 99.997% | +0.007% |"


@pytest.mark.parametrize("header", ["This Week", "CURRENT", "本期", "本周值"])
def test_table_this_week_header_spellings(header: str) -> None:
    text = f"| KPI | Last week | {header} |\n|---|---|---|\n| Availability | 99.9% | 100% |"
    assert triples(text) == [("年度可用性", 100, "%")]


def test_table_first_numeric_column() -> None:
    text = "\n".join(
        [
            "| 指标 | 说明 | 目标 | 值 | 次数 |",
            "|------|------|------|----|------|",
            "| 入金有效成功率 | 有效口径 | 99.99% | 99.995% | 12 |",
            "| 准确率 | 贝小理 | 90% | 89.09% | 3 |",
            "| 耗时 | P99 | - | [0.3%, 1.5%] | 4 |",
        ]
    )
    assert triples(text) == [("入金有效成功率", 99.995, "%"), ("准确率", 89.09, "%")]


def test_tables_without_metric_names_or_values() -> None:
    project = "| 项目 | 进度 | 负责人 |\n|---|---|---|\n| POS | 75% | 张三 |\n| 数仓 | 70% | 李四 |"
    numbered = "| 序号 | 说明 |\n|---|---|\n| 1 | 上线 |\n| 2 | 复盘 |"
    transposed = (
        "| | Regressions (primary) | Improvements (primary) |\n|:-:|:-:|:-:|\n"
        "| count | 13 | 78 |\n| mean | 0.8% | -0.9% |"
    )
    fenced = "```\n| 指标 | 本周 |\n|---|---|\n| 健康分 | 700 |\n```"
    for text in (project, numbered, transposed, fenced):
        assert extract(text) == [], text


def test_table_rows_are_not_read_again_as_lines() -> None:
    text = "| 指标 | 说明 | 值 |\n|---|---|---|\n| 健康分 | 上周健康分：650，准确率80% | 700 |"
    assert triples(text) == [("健康分", 700, "")]


RUSTC_TABLE = """\
| (instructions:u)                   | mean  | range          | count |
|:----------------------------------:|:-----:|:--------------:|:-----:|
| Regressions ❌ <br /> (primary)    | 0.4%  | [0.2%, 1.7%]   | 124   |
| Regressions ❌ <br /> (secondary)  | 0.5%  | [0.1%, 1.4%]   | 103   |
| Improvements ✅ <br /> (primary)   | -     | -              | 0     |
| Improvements ✅ <br /> (secondary) | -1.4% | [-3.3%, -0.2%] | 15    |
| All ❌✅ (primary)                 | -0.1% | [-4.3%, 1.7%]  | 174   |
"""


def test_rustc_style_table_reads_the_mean_column() -> None:
    assert [(m.raw_label, m.value, m.unit) for m in extract(RUSTC_TABLE)] == [
        ("Regressions ❌ (primary)", 0.4, "%"),
        ("Regressions ❌ (secondary)", 0.5, "%"),
        ("Improvements ✅ (secondary)", -1.4, "%"),
        ("All ❌✅ (primary)", -0.1, "%"),
    ]


@pytest.mark.corpus
def test_rustc_perf_corpus(corpus: Path) -> None:  # the fixture skips when the corpus is absent
    files = sorted(corpus.glob("*.md"))
    assert files
    labels: set[str] = set()
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n")
        for m in metrics_module._extract(lines, TABLE):  # unguarded: a bug would raise here
            assert "<" not in m.raw_label and m.text == lines[m.line - 1].strip()
            if m.text.startswith("|"):
                labels.add(m.raw_label)
                # The value is the row's mean, the first numeric column: never the range or the count.
                cells = [c.strip() for c in m.text.strip("|").split("|")]
                assert float(cells[1].rstrip("%")) == m.value and m.unit == "%", m
    assert {"Regressions ❌ (primary)", "Improvements ✅ (secondary)", "All ❌✅ (primary)"} <= labels
    first = [m for m in extract((corpus / "2024-08-19.md").read_text(encoding="utf-8")) if m.line < 30]
    assert [(m.raw_label, m.value) for m in first] == [
        ("Regressions ❌ (primary)", 0.4),
        ("Regressions ❌ (secondary)", 0.5),
        ("Improvements ✅ (primary)", -1.3),
        ("Improvements ✅ (secondary)", -1.4),
        ("All ❌✅ (primary)", -0.1),
    ]


# --- Robustness ---

_FRAGMENTS = [
    "入金有效成功率",
    "：",
    ":",
    "99.9",
    "%",
    "％",
    "，",
    "。",
    "事故数",
    "AB级",
    "C级",
    "0次",
    "|",
    "---",
    "```",
    "~~",
    "**",
    "- ",
    "1. ",
    "较上周",
    ">",
    "目标",
    "~",
    "-",
    "4/18",
    "23:28",
    "(",
    "（",
    ")",
    "[",
    "]",
    "<br />",
    "健康分",
    "658.8",
    "1,349",
    "\n",
    " ",
    "本周",
    "Pay-in success rate",
    "e",
    "0",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(), max_size=8)
    | st.lists(st.sampled_from(_FRAGMENTS), max_size=60).map(lambda parts: "".join(parts).split("\n"))
)
def test_arbitrary_text_never_raises(lines: list[str]) -> None:
    for m in metrics_module._extract(lines, TABLE):  # unguarded, so a failure shows here
        assert 1 <= m.line <= len(lines)
        assert m.name and m.raw_label
        assert m.value == m.value  # never NaN


def test_long_hostile_lines_stay_fast() -> None:
    lines = [
        "1" * 50_000,
        ":1" * 20_000,
        "入金" * 20_000 + "：99%",
        "| a | b |",
        "|---|---|",
        "| x | 1" + "|" * 5000,
    ]
    started = time.perf_counter()
    extract_metrics(lines, TABLE)
    assert time.perf_counter() - started < 2.0


# --- The alias table ---


def test_canonical_ignores_spacing_case_and_punctuation_width() -> None:
    assert TABLE.canonical("支付系统年度可用性") == "年度可用性"
    assert TABLE.canonical("pay-in  SUCCESS rate") == "入金有效成功率"
    assert TABLE.canonical("Payin success rate:") == "入金有效成功率"
    assert TABLE.canonical("入金有效成功率：") == "入金有效成功率"
    assert TABLE.canonical("ＡＶＡＩＬＡＢＩＬＩＴＹ") == "年度可用性"


def test_canonical_of_unknown_label_is_the_label_cleaned() -> None:
    assert TABLE.canonical("- **【新指标】**：") == "新指标"
    assert TABLE.canonical("1. 「贝小理」满意度:") == "贝小理满意度"
    assert TABLE.canonical("Regressions ❌ <br /> (primary)") == "Regressions ❌ (primary)"
    assert TABLE.canonical("  Foo   bar ") == "Foo bar"


def test_info_and_default_charts() -> None:
    info = TABLE.info("入金有效成功率")
    assert info == MetricInfo("入金有效成功率", "Pay-in success rate", True, "rates", "%", None)
    assert TABLE.info("Availability") == TABLE.info("年度可用性")
    assert TABLE.info("no such metric") is None
    for grade in ("AB", "CD", "A", "B", "C", "D"):
        incident = TABLE.info(f"事故数{grade}级")
        assert incident is not None and incident.higher_is_better is False and incident.chart == "stability"
    assert TABLE.charted_by_default()[:4] == [
        "入金有效成功率",
        "出金有效成功率",
        "一次支付成功率",
        "年度可用性",
    ]
    assert "健康分" not in TABLE.charted_by_default()
    accuracy = TABLE.info("准确率")
    assert accuracy is not None and accuracy.target == 90.0


def test_bundled_table_is_consistent() -> None:
    names = TABLE.names()
    assert len(names) == len(set(names)) >= 15
    for name in names:
        info = TABLE.info(name)
        assert info is not None and info.english
        assert info.chart in (None, *CHART_GROUPS)
        assert TABLE.canonical(name) == name
        for alias in TABLE.aliases_of(name):
            assert TABLE.canonical(alias) == name
    assert TABLE.paths == (BUNDLED,)


def test_fingerprint_is_stable_and_follows_the_table(tmp_path: Path) -> None:
    assert AliasTable.load(BUNDLED).fingerprint() == TABLE.fingerprint()
    user = tmp_path / "metrics.toml"
    user.write_text('[[metric]]\nname = "入金有效成功率"\naliases = ["收款成功率"]\n', encoding="utf-8")
    assert AliasTable.load(BUNDLED, user).fingerprint() != TABLE.fingerprint()


def test_a_later_file_extends_and_overrides(tmp_path: Path) -> None:
    user = tmp_path / "metrics.toml"
    user.write_text(
        "\n".join(
            [
                "[[metric]]",
                'name = "入金有效成功率"',
                'aliases = ["收款成功率"]',
                'english = "Collection success rate"',
                "target = 99.99",
                "[[metric]]",
                'name = "年度可用性"',
                'chart = ""',
                "[[metric]]",
                'name = "退款成功率"',
                'aliases = ["Refund success rate"]',
                "higher_is_better = true",
                'chart = "rates"',
                "[[metric]]",
                'name = "支付系统年度可用性"',  # was an alias: now a metric of its own
            ]
        ),
        encoding="utf-8",
    )
    table = AliasTable.load(BUNDLED, tmp_path / "missing.toml", user)
    assert table.paths == (BUNDLED, user)
    assert table.canonical("收款成功率") == table.canonical("Pay-in success rate") == "入金有效成功率"
    info = table.info("入金有效成功率")
    assert info == MetricInfo("入金有效成功率", "Collection success rate", True, "rates", "%", 99.99)
    assert "年度可用性" not in table.charted_by_default()
    assert table.charted_by_default()[-1] == "退款成功率"
    assert table.canonical("refund SUCCESS rate") == "退款成功率"
    assert table.canonical("支付系统年度可用性") == "支付系统年度可用性"
    assert table.canonical("Availability") == "年度可用性"
    assert triples("收款成功率：99.9%，Refund success rate: 98%", table) == [
        ("入金有效成功率", 99.9, "%"),
        ("退款成功率", 98, "%"),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[[metric]\nname = 'x'", "not valid TOML"),
        ("[[metric]]\naliases = ['x']", "'name' must be a non-empty string"),
        ("[[metric]]\nname = 'x'\naliases = 'y'", "'aliases' must be a list of strings"),
        ("[[metric]]\nname = 'x'\nhigher_is_better = 'yes'", "'higher_is_better' must be true or false"),
        ("[[metric]]\nname = 'x'\nchart = 'pie'", "'chart' must be one of rates, stability"),
        ("[[metric]]\nname = 'x'\ntarget = true", "'target' must be a number"),
        ("[[metric]]\nname = 'x'\nhigher_is_beter = true", "unknown key(s) higher_is_beter"),
        ("[[metric]]\nname = 'x'\n[[metric]]\nname = 'x'", "defined twice"),
        (
            "[[metric]]\nname = 'x'\naliases = ['y']\n[[metric]]\nname = 'z'\naliases = ['Y']",
            "already names 'x'",
        ),
        ("metric = 3", "must be a list of [[metric]] tables"),
        ("[metrics]\nname = 'x'", "unknown top-level key(s) metrics"),
    ],
)
def test_malformed_files_raise_alias_error(tmp_path: Path, content: str, reason: str) -> None:
    bad = tmp_path / "metrics.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(AliasError) as caught:
        AliasTable.load(BUNDLED, bad)
    assert caught.value.path == bad
    assert reason in caught.value.reason
    assert str(bad) in str(caught.value)


def test_default_table_reads_the_users_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEEKLY_REVIEW_CONFIG_DIR", str(tmp_path))
    default_alias_table.cache_clear()
    assert default_alias_table().paths == (BUNDLED,)
    assert default_alias_table() is default_alias_table()  # read once per process
    (tmp_path / "metrics.toml").write_text(
        '[[metric]]\nname = "健康分"\naliases = ["Stability score"]\n', encoding="utf-8"
    )
    default_alias_table.cache_clear()
    table = default_alias_table()
    assert table.errors == ()
    assert table.paths == (BUNDLED, tmp_path / "metrics.toml")
    assert table.canonical("stability score") == "健康分"


def test_a_malformed_user_file_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEEKLY_REVIEW_CONFIG_DIR", str(tmp_path))
    (tmp_path / "metrics.toml").write_text("[[metric]]\nname = \n", encoding="utf-8")
    default_alias_table.cache_clear()
    table = default_alias_table()
    assert len(table.errors) == 1
    assert str(tmp_path / "metrics.toml") in table.errors[0] and "not valid TOML" in table.errors[0]
    assert table.paths == (BUNDLED,)  # worker processes reload without the broken file
    assert table.fingerprint() == TABLE.fingerprint()
    assert table.canonical("支付系统年度可用性") == "年度可用性"
