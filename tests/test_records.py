"""The rows a parsed report becomes: the text kept once, in its sections and the rest."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.store.records import _rest, _spans_match, join_text


@given(st.data())
def test_the_rest_of_a_text_is_the_lines_no_section_covers(data: st.DataObject) -> None:
    lines = data.draw(st.lists(st.sampled_from(["", "a", "b c"]), min_size=1, max_size=12))
    n = len(lines)
    spans = data.draw(st.lists(st.tuples(st.integers(1, n), st.integers(0, n)), max_size=5))
    covered = {i for first, last in spans for i in range(first, last + 1)}
    expected = "\n".join(line for i, line in enumerate(lines, 1) if i not in covered)
    assert _rest(lines, [(first, last, "") for first, last in spans]) == expected


@given(st.lists(st.sampled_from(["", "a", "b c", "中文"]), min_size=1, max_size=12), st.data())
def test_sections_match_the_text_exactly_when_the_text_comes_back_from_them(
    lines: list[str], data: st.DataObject
) -> None:
    n = len(lines)
    text = "\n".join(lines)
    bounds = sorted(data.draw(st.sets(st.integers(1, n), max_size=6)))
    spans = []
    for first, nxt in zip(bounds, [*bounds[1:], n + 1], strict=False):  # the next section's first line
        last = data.draw(st.integers(first, nxt - 1))
        markdown = "\n".join(lines[first - 1 : last]) + data.draw(st.sampled_from(["", "", "x"]))
        spans.append((first, last, markdown))
    rebuilt = join_text(n, _rest(lines, spans), spans)
    assert _spans_match(text, lines, spans) == (rebuilt == text)


_MARKDOWN_PIECES = st.sampled_from(
    [
        "",
        "# 周报",
        "## 【O1 业务】",
        "- 【贝易转】",
        "    1. 成功率：99.9%",
        "```",
        "> ## 引用",
        "---",
        "\t- x",
    ]
)


@given(st.lists(_MARKDOWN_PIECES, max_size=16))
def test_the_parsers_lines_give_the_rows_the_text_gives(lines: list[str]) -> None:
    # The index hands to_record the lines the parser cut the sections from, and then skips checking
    # each section against the text: the rows must be the very rows the checked path makes.
    from desktop.core.aliases import default_alias_table
    from desktop.core.decoding import Decoded
    from desktop.core.parser import parse_decoded
    from desktop.store.records import to_record

    outcome = parse_decoded("r.md", Decoded("\n".join(lines), "utf-8"), 0.0, default_alias_table())
    assert outcome.report is not None and outcome.lines is not None
    assert to_record(outcome.report, outcome.lines) == to_record(outcome.report)
