"""The outline: headings, topic bullets, keys for matching across weeks."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core import outline as outline_module
from desktop.core.outline import (
    _headings,
    _plain_headings,
    okr_code,
    parse_outline,
    section_at_line,
    section_key,
)


def outline_of(text: str):  # type: ignore[no-untyped-def]
    return parse_outline(text.split("\n"))


def test_seed_outline_titles_and_nesting() -> None:
    text = (SEEDS / "第16周 2023-04-14.md").read_text(encoding="utf-8")
    outline = outline_of(text)
    assert outline.title == "第16周 2023-04-14"
    titles = [s.title for s in outline.sections]
    # The repeated title heading is not a section of its own.
    assert "第16周 2023/04/14" not in titles
    assert titles[:3] == ["上周进展", "【系统运行数据】", "【O1 服务业务】"]
    by_title = {s.title: s for s in outline.sections}
    assert by_title["【系统运行数据】"].parent == by_title["上周进展"].index
    assert by_title["A. 支付账户2.0升级"].parent == by_title["【O2系统升级】"].index
    assert by_title["A. 支付账户2.0升级"].level == 3
    assert by_title["上周进展"].end_line >= by_title["【其他】"].last_line


def test_topic_bullets_are_sections() -> None:
    outline = outline_of((SEEDS / "2024-W24.md").read_text(encoding="utf-8"))
    topics = [s.title for s in outline.sections if s.kind == "topic"]
    assert topics == ["【贝易转】", "【银行账户架构】", "【AI影像数字化】", "【430改进落地以及支付安全治理】"]
    first = outline.sections[0]
    assert first.markdown.startswith("- 【贝易转】\n    1. 业务：")
    assert "省心租: 617上线" in first.markdown
    assert "【银行账户架构】" not in first.markdown


def test_topics_nest_under_their_heading() -> None:
    outline = outline_of((SEEDS / "第42周 2023-10-13.md").read_text(encoding="utf-8"))
    focus = next(s for s in outline.sections if s.title == "【重点工作】")
    children = [s.title for s in outline.sections if s.parent == focus.index]
    assert children == ["【商户服务重构】", "【银行虚户前期设计】", "【银行账户合作沟通】"]


def test_headings_inside_code_fences_are_not_sections() -> None:
    text = (
        "# Title\n\n## Real\n\n```\n# not a heading\n## nor this\n```\n~~~md\n# still code\n~~~\n## After\n"
    )
    assert [s.title for s in outline_of(text).sections] == ["Real", "After"]


def test_section_lines_and_markdown_are_verbatim() -> None:
    text = "# T\n\n## A\nline a\n\n\n## B\n- x\n    - y\n"
    a, b = outline_of(text).sections
    assert (a.first_line, a.last_line) == (3, 4)
    assert a.markdown == "## A\nline a"
    assert (b.first_line, b.last_line) == (7, 9)
    assert b.markdown == "## B\n- x\n    - y"


def test_setext_headings_and_front_matter() -> None:
    text = "---\ndate: 2024-06-14\n---\nTitle\n=====\n\nPart\n----\nbody\n"
    outline = outline_of(text)
    assert outline.title == "Title"
    assert [s.title for s in outline.sections] == ["Part"]


def test_keys_ignore_brackets_numbering_spaces_and_punctuation() -> None:
    assert section_key("【O1 业务服务】") == "o1业务服务"
    assert section_key("A. 支付账户2.0升级") == "支付账户20升级"
    assert section_key("1、 收获与反思") == section_key("收获与反思")
    assert section_key("（2）收获 与 反思：") == section_key("收获与反思")
    assert section_key("【贝易转（C转）】") == "贝易转c转"


def test_okr_codes_are_recognised_without_word_boundaries() -> None:
    assert okr_code("【O2系统升级】") == "O2"
    assert okr_code("【O2 能力升级】") == "O2"
    assert okr_code("O3 安全稳定、降本提效") == "O3"
    assert okr_code("【O10 x】") is None
    assert okr_code("OKR 回顾") is None
    assert okr_code("【其他】") is None


def test_section_at_line() -> None:
    sections = outline_of("# T\n\n## A\nx\n## B\ny\n").sections
    assert section_at_line(sections, 1) is None
    assert section_at_line(sections, 4) == 0
    assert section_at_line(sections, 6) == 1


# --- The plain reading of headings (no parser) must agree with the parser wherever it is taken ---


def _parser_outline(text: str) -> object:
    with mock.patch.object(outline_module, "_plain_headings", return_value=None):
        return parse_outline(text.split("\n"))


def _agrees(text: str) -> bool:
    """Whether the plain reading was taken; it fails the test if it differs from the parser's."""
    plain = _plain_headings(text, 0)
    if plain is not None:
        assert plain == _headings(text, 0)[0], text
    assert parse_outline(text.split("\n")) == _parser_outline(text), text
    return plain is not None


_PIECES = (
    *("# ", "## ", "###### ", "####### ", "#", "#x", " #", " ##", "  #  ", "# #", "\\#", "x#"),
    *(" ", "   ", "    ", "     ", "- ", "* ", "+ ", "1. ", "2) ", "1234567890. ", "-     ", "1.     "),
    *("-", "--", "---", "=", "===", "- -", "* * *", "> ", "<div>", "```", "~~~", "`", "*", "_", "[a]"),
    *("[a]: /u", "](x)", "!", "&amp;", "~~", "|", "| a | b |", "|---|---|", "【贝易转】", "foo bar", "中文"),
    *("99.9%", ":", "\u3000", "\u00a0", "\x0c", "\x0b", "\x1c", "\t", "\r", "\x00", "\u2028"),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=5).map("".join), min_size=1, max_size=12))
def test_plain_headings_agree_with_the_parser(lines: list[str]) -> None:
    _agrees("\n".join(lines))


def test_plain_reading_gives_way_where_lines_read_differently() -> None:
    for text in (
        "-     【贝易转】\n",  # a list item opening with code: the topic is code
        "a\n- \n",  # an empty item under a line: a setext underline
        "#\x0c\n",  # a form feed counts as a space after the #
        "- # in a list\n",
        "    # indented\n",
        "> ## quoted\n",
        "```\n# code\n```\n",
        "# **bold** title\n",
        "[x]: /url 'title\n# inside the title\n'\n",
        "Title\n=====\n",
    ):
        assert not _agrees(text), text
    for text in (
        "# T\n\n## A ##\n- 【贝易转】\n   ### x #\n#5 no\n####### no\n# #\n",
        "a\n# b\n| a |\n|---|\n# c",
    ):
        assert _agrees(text), text


def test_plain_reading_is_taken_for_the_samples() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.md"))]
    assert all(_agrees(text) for text in texts)


@pytest.mark.corpus
def test_plain_reading_agrees_on_outside_reports(corpus: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("*.md"))]
    taken = sum(_agrees(text) for text in texts)
    assert taken >= len(texts) // 2  # most reports are plain Markdown
