"""Every parsing step is linear in its input: 1 MB of each hostile shape takes at most 3x the time of
half of it, for each entry point (the parser, the decoder, the viewer's renderer, the pieces).

Times are the best of a few runs, and sizes are large enough (0.5 and 1 MB) to be well above the
timer's noise; a step that stays under a few milliseconds at 1 MB is bounded, whatever its ratio.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from desktop.core.aliases import default_alias_table
from desktop.core.decoding import decode_bytes
from desktop.core.parser import parse_text
from desktop.core.render import render_markdown

SMALL, LARGE = 512 * 1024, 1024 * 1024
RUNS = 2
NOISE_FLOOR = 0.02  # seconds: below this at 1 MB a step is bounded, and ratios are timer noise


def _repeat(unit: str, size: int) -> str:
    return unit * (size // len(unit) + 1)


def _nested_list(size: int) -> str:
    out, total, depth = [], 0, 0
    while total < size:
        line = "  " * depth + f"- level {depth}\n"
        out.append(line)
        total += len(line)
        depth += 1
    return "".join(out)


# name -> text of about `size` characters
SHAPES: dict[str, Callable[[int], str]] = {
    # long runs
    "heading then spaces": lambda n: "# a" + " " * n + "b\n",
    "digit then spaces": lambda n: "准确率 1" + " " * n + "x\n",
    "grade then spaces": lambda n: "事故数A" + " " * n + "级1次\n",
    "spaces line under a table row": lambda n: "| a | b |\n" + " " * n + "\n",
    "digits": lambda n: "入金成功率：" + "9" * n + "%\n",
    "full-width punctuation": lambda n: "a：" + "，" * n + "\n",
    "tildes": lambda n: "~" * n + "\n",
    "dashes": lambda n: "x\n" + "-" * n + "\n",
    "open tags": lambda n: _repeat("<a", n) + "1\n",
    "open link targets": lambda n: _repeat("](", n) + "1\n",
    "brackets": lambda n: "[" * n + "\n",
    "emphasis": lambda n: _repeat("*a ", n) + "\n",
    "backticks": lambda n: _repeat("`a ", n) + "\n",
    # many short matches
    "one KPI line": lambda n: _repeat("成功率：12.5%，", n) + "\n",
    "KPI lines": lambda n: _repeat("- 入金有效成功率：99.99%（目标99.95%）\n", n),
    "incident lines": lambda n: "## 生产事件\n" + _repeat("- 故障\n", n),
    "dated incident lines": lambda n: "## 生产事件\n" + _repeat("- 06/09 23:28 故障 恢复\n", n),
    "setext after digits": lambda n: _repeat("1\n-\n", n),
    "table rows": lambda n: "| 指标 | 本周 |\n| --- | --- |\n" + _repeat("| 成功率 | 99.9% |\n", n),
    "wide table": lambda n: "|" + "a|" * (n // 6) + "\n|" + "-|" * (n // 6) + "\n|" + "1|" * (n // 6) + "\n",
    "plan items": lambda n: _repeat("## 下周计划\n- a\n", n),
    "unclosed front matter": lambda n: "---\n" + _repeat("week: 1\n", n),
    "unclosed fence": lambda n: "```\n" + _repeat("# x\n", n),
    "groups of thousands": lambda n: "成功率：1" + _repeat(",234", n) + "\n",
    "groups of thousands in brackets": lambda n: "成功率：(1" + _repeat(",234", n) + "\n",
    "points": lambda n: "成功率：1" + _repeat(".23", n) + "\n",
    "date-like numbers": lambda n: _repeat("2024-06-14 6/14 6月14日 10~17 ", n) + "\n",
    # deep nesting
    "nested quotes": lambda n: "> " * (n // 2) + "x\n",
    "nested list": _nested_list,
    "nested parentheses": lambda n: "a：" + "(" * (n // 2) + "1" + ")" * (n // 2) + "\n",
}

_ALIASES = default_alias_table()


def _parse(text: str) -> object:
    return parse_text("r.md", text, aliases=_ALIASES)


def _decode(text: str) -> object:
    return decode_bytes(text.encode("gb18030"))


def _render(text: str) -> object:
    return render_markdown(text)


# parse_text runs every piece: front matter, outline, dates, metrics, incidents and plans.
ENTRY_POINTS: dict[str, Callable[[str], object]] = {
    "parse_text": _parse,
    "decode_bytes": _decode,
    "render_markdown": _render,
}


def _best(step: Callable[[str], object], text: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        # What the suite's earlier tests left alive is set aside: a full collection during the step
        # would walk all of it, and make the time of a step that allocates much grow with the suite.
        gc.freeze()
        try:
            started = time.perf_counter()
            step(text)
            best = min(best, time.perf_counter() - started)
        finally:
            gc.unfreeze()
    return best


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_time_grows_linearly(entry: str, shape: str) -> None:
    step, make = ENTRY_POINTS[entry], SHAPES[shape]
    small, large = make(SMALL), make(LARGE)
    step(make(16 * 1024))  # warm up: compiled patterns, caches
    t_small, t_large = _best(step, small, RUNS), _best(step, large, RUNS)
    if t_large > NOISE_FLOOR and t_large > 3 * t_small:
        # A loaded machine can slow one run; measure once more, longer, before calling it quadratic.
        t_small, t_large = _best(step, small, RUNS + 1), _best(step, large, RUNS + 1)
    assert t_large <= NOISE_FLOOR or t_large <= 3 * t_small, (
        f"{entry} on {shape}: {t_small:.3f}s at 0.5 MB, {t_large:.3f}s at 1 MB"
    )


# --- The cases that were seen, as behaviour ---


def test_heading_with_a_long_run_of_spaces_is_one_heading() -> None:
    report = _parse("# T\n\n## a" + " " * 64_000 + "b\n")
    assert [s.title for s in report.sections] == ["a b"]


def test_a_huge_kpi_line_stores_bounded_excerpts_and_a_capped_number_of_values() -> None:
    line = _repeat("成功率：12.5%，", 2 * 1024 * 1024)
    report = _parse("# T\n\n" + line + "\n")
    assert 0 < len(report.metrics) <= 50
    assert all(len(m.text) <= 260 and "12.5" in m.text for m in report.metrics)


def test_many_short_incident_lines_are_read_once_each() -> None:
    lines = [f"- 06/{1 + i % 28:02d} 10:00 故障{i} 已恢复" for i in range(3000)]
    report = _parse("# 2024-06-30\n\n## 生产事件\n" + "\n".join(lines) + "\n")
    assert len(report.incidents) == 3000
    assert len({i.line for i in report.incidents}) == 3000


def test_a_million_line_report_renders_a_part_and_links_to_the_rest() -> None:
    from desktop.core.render import MORE_SCHEME, RENDER_LINES, more_offset

    text = "\n".join(f"line {i}" for i in range(1_000_000))
    first = render_markdown(text)
    assert "line 0" in first and f"line {RENDER_LINES + 1}<" not in first
    href = first.rsplit('href="', 1)[1].split('"', 1)[0]
    assert href.startswith(f"{MORE_SCHEME}:")
    offset = more_offset(href)
    assert offset is not None and 0 < offset <= RENDER_LINES
    second = render_markdown(text, start=offset)
    assert f"line {offset}<" in second or f"line {offset}\n" in second or f">line {offset}" in second
    assert "line 0<" not in second
    last = render_markdown(text, start=999_990)
    assert "line 999999" in last and MORE_SCHEME not in last
    assert more_offset("https://example.com") is None and more_offset(f"{MORE_SCHEME}:x") is None
