"""Markdown → QTextBrowser HTML: nesting, tables, KPI badges, highlight, link and image policy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.render import (
    DARK,
    LIGHT,
    KpiMark,
    _render,
    is_safe_external,
    render_markdown,
    resolve_report_link,
)

SEEDS = Path(__file__).parent.parent / "seeds"


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing needle."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def lists_around(html: str, needle: str) -> list[str]:
    """The stack of list tags ("ul"/"ol") open where needle first appears."""
    stack: list[str] = []
    for tag in re.finditer(r"<(/?)(ul|ol)\b", html[: html.index(needle)]):
        if tag.group(1):
            stack.pop()
        else:
            stack.append(tag.group(2))
    return stack


# --- structure -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "needle", "expected"),
    [
        ("2024-W17.md", "【贝易转（C转）】", ["ul"]),
        ("2024-W17.md", "银行合作：", ["ul", "ol"]),
        ("2024-W17.md", "收款行：网商银行Demo出具中", ["ul", "ol", "ol"]),
        ("2024-W17.md", "存管敏捷：敏捷项目实践", ["ul", "ol", "ol"]),
        ("2024-W24.md", "省心租: 617上线", ["ul", "ol", "ul"]),
        ("2024-W34.md", "理房通侧排期9月10日", ["ul", "ul", "ul"]),
        ("第16周 2023-04-14.md", "账户1.x和账户2.0旁路记账数据核对中", ["ul", "ol"]),
        ("第42周 2023-10-13.md", "补充领域模型", ["ul", "ol"]),
        ("2024-W17.md", "“没有度量，就没有改进”", []),
    ],
)
def test_notion_nested_lists_nest_at_the_right_depth(name: str, needle: str, expected: list[str]) -> None:
    assert lists_around(render_markdown(seed(name)), needle) == expected


def test_lists_are_balanced_in_every_seed() -> None:
    for path in SEEDS.glob("*.md"):
        html = render_markdown(path.read_text(encoding="utf-8"))
        for tag in ("ul", "ol", "li", "table"):
            assert html.count(f"<{tag}") == html.count(f"</{tag}>"), (path.name, tag)


def test_line_break_inside_a_notion_block_is_kept() -> None:
    html = render_markdown(seed("第42周 2023-10-13.md"))
    assert "【商户服务重构】<br>商户领域模型设计review" in html


def test_chinese_text_is_preserved_verbatim_at_reading_size() -> None:
    text = seed("2024-W24.md")
    html = render_markdown(text)
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE):
        assert heading.replace("&", "&amp;") in html
    assert "专注价值与贡献，惠及他人、利于他人、成就他人。" in html
    assert "&#" not in html  # no numeric escapes for CJK
    assert 'body style="font-size:15px; line-height:160%;' in html
    assert "<p style=" in html
    assert all("line-height:160%" in p for p in re.findall(r"<p [^>]*>", html))


def test_base_px_scales_body_and_headings() -> None:
    html = render_markdown("# 标题\n\n## 小节\n\n正文", base_px=20)
    assert "font-size:20px" in html
    assert '<h1 style="font-size:32px' in html
    assert '<h2 style="font-size:27px' in html
    assert '<h1 style="font-size:24px' in render_markdown("# 标题")


def test_table_has_borders_padding_and_alignment() -> None:
    html = render_markdown("| 指标 | 本周 |\n|:--|--:|\n| 入金成功率 | 99.995% |\n")
    assert re.search(r'<table border="1" cellspacing="0" cellpadding="6" style="[^"]*border-collapse', html)
    assert f'<th align="left" bgcolor="{LIGHT.code_bg}">指标</th>' in html
    assert '<th align="right"' in html
    assert '<td align="right">99.995%</td>' in html


def test_task_lists_become_check_characters() -> None:
    html = render_markdown(seed("第16周 2023-04-14.md"))
    assert html.count("☑") == 5
    assert "<input" not in html
    assert "☑ " in html and "贝壳总部职能员工层2023年OKR设定" in html
    mixed = render_markdown("- [x] 完成\n- [ ] 待办\n")
    assert "☑" in mixed and "☐" in mixed and "[x]" not in mixed
    assert "list-style-type:none" in mixed  # the character replaces the bullet


def test_code_is_escaped_with_background() -> None:
    html = render_markdown("`a<b>`\n\n```\nx < y && z\n```\n")
    assert f'<code style="background-color:{LIGHT.code_bg}">a&lt;b&gt;</code>' in html
    assert "x &lt; y &amp;&amp; z</pre>" in html
    assert f'bgcolor="{LIGHT.code_bg}"' in html


def test_dark_palette_changes_colours() -> None:
    html = render_markdown("[x](https://a.example)", palette=DARK)
    assert f"color:{DARK.text}" in html and f"color:{DARK.link}" in html
    assert LIGHT.text not in html


# --- KPI marks ------------------------------------------------------------------------------------------


def kpi_span(value: str) -> str:
    return f'<span style="font-weight:bold; background-color:{LIGHT.kpi_bg}">{value}</span>'


def test_kpi_badge_better_and_worse() -> None:
    text = seed("2024-W24.md")
    marks = [
        KpiMark(line_of(text, "入金有效成功率"), "99.995%", 0.003, "%", True),
        KpiMark(line_of(text, "出金有效成功率"), "99.992%", -0.003, "%", False),
    ]
    html = render_markdown(text, kpis=marks)
    better = f'{kpi_span("99.995%")} <span style="color:{LIGHT.better};'
    worse = f'{kpi_span("99.992%")} <span style="color:{LIGHT.worse};'
    assert better in html and worse in html
    assert re.search(r">▲0\.003 pp</span>", html)
    assert re.search(r">▼0\.003 pp</span>", html)


def test_kpi_neutral_zero_missing_delta_and_plain_units() -> None:
    md = "- 事故数AB级0次，CD级1次\n- 总询问量78条\n- 可用性：100%\n"
    marks = [
        KpiMark(1, "0", 0.0, "次", None),
        KpiMark(1, "1", -2.0, "次", True),
        KpiMark(2, "78", 5.0, "条", None),
        KpiMark(3, "100%", None, "%", None),
    ]
    html = render_markdown(md, kpis=marks)
    items = html.split("</li>")
    assert f'{kpi_span("0")} <span style="color:{LIGHT.muted};' in items[0] and ">＝</span>" in items[0]
    assert f'{kpi_span("1")} <span style="color:{LIGHT.better};' in items[0] and ">▼2次</span>" in items[0]
    assert ">▲5条</span>" in items[1]
    assert kpi_span("100%") in items[2] and "▲" not in items[2] and "▼" not in items[2]


def test_rendering_a_text_again_shows_only_the_badges_asked_for() -> None:
    """The reader renders the same text again (a note added, the next report's figures): badges of
    an earlier render must not stay, and the same value may carry a different change."""
    md = "- 事故数AB级0次，CD级1次\n"
    first = render_markdown(md, kpis=[KpiMark(1, "1", -2.0, "次", True)])
    assert ">▼2次</span>" in first
    again = render_markdown(md, kpis=[KpiMark(1, "1", 3.0, "次", False)])
    assert ">▲3次</span>" in again and "▼2次" not in again
    plain = render_markdown(md)
    assert "▲" not in plain and "▼" not in plain and kpi_span("1") not in plain


def test_kpi_line_mapping_uses_first_line() -> None:
    text = seed("2024-W24.md")
    lines = text.splitlines()
    first = line_of(text, "## 【系统运行数据】")
    last = line_of(text, "## 【生产事件】")
    section = "\n".join(lines[first - 1 : last - 1])
    year = line_of(text, "年度可用性：100%")
    html = render_markdown(section, first_line=first, kpis=[KpiMark(year, "100%", 0.0, "%", None)])
    assert f"年度可用性：{kpi_span('100%')}" in html
    # The same mark read against line 1 of the section lands nowhere.
    shifted = render_markdown(section, kpis=[KpiMark(year, "100%", 0.0, "%", None)])
    assert "font-weight:bold" not in shifted


def test_kpi_picks_the_line_and_the_whole_number() -> None:
    md = "- a 99.9%\n- b 99.9%\n- c 99.991% 与 99.99%\n"
    html = render_markdown(
        md, first_line=10, kpis=[KpiMark(11, "99.9%", 0.1, "%", True), KpiMark(12, "99.99", 1, "%", True)]
    )
    items = html.split("</li>")
    assert "font-weight" not in items[0]
    assert kpi_span("99.9%") in items[1]
    assert f"99.991% 与 {kpi_span('99.99')}" in items[2]


def test_kpi_not_on_its_line_or_out_of_range_is_ignored() -> None:
    html = render_markdown(
        "- 入金：99.9%\n", kpis=[KpiMark(1, "88.8%", 1, "%", True), KpiMark(99, "99.9%", 1, "%", True)]
    )
    assert "font-weight:bold" not in html and "▲" not in html


# --- highlight ------------------------------------------------------------------------------------------

HL = f'<span style="background-color:{LIGHT.highlight_bg}">'


def test_highlight_every_hit_case_insensitively_with_one_anchor() -> None:
    html = render_markdown(seed("2024-W17.md"), highlight="showcase")
    assert html.count('<a name="hit"></a>') == 1
    assert f'<a name="hit"></a>{HL}Showcase</span>' in html
    text_hits = render_markdown(seed("2024-W24.md"), highlight="贝易转")
    assert text_hits.count(HL) == seed("2024-W24.md").count("贝易转") > 1
    assert text_hits.count('<a name="hit"></a>') == 1
    assert text_hits.index('<a name="hit"></a>') < text_hits.index(HL)


def test_highlight_leaves_tags_attributes_and_urls_alone() -> None:
    md = "style wiki [the wiki](https://wiki.example.com/wiki?style=1) span `code` font"
    plain = render_markdown(md)
    for query in ("style", "wiki", "span", "color", "href", "font", "1"):
        html = render_markdown(md, highlight=query)
        assert 'href="https://wiki.example.com/wiki?style=1"' in html, query
        # Removing the highlight spans and the anchor gives back the unhighlighted HTML exactly.
        stripped = re.sub(rf'<a name="hit"></a>|{re.escape(HL)}([^<]*)</span>', r"\1", html)
        assert stripped == plain, query
    html = render_markdown(md, highlight="wiki")
    assert html.count(HL) == 2  # the visible words only
    # The first hit's anchor sits outside the link so Qt keeps both.
    assert f'<a name="hit"></a>{HL}wiki</span>' in html


def test_highlight_anchor_goes_before_a_link() -> None:
    html = render_markdown("[see zzqq](https://a.example)", highlight="zzqq")
    assert html.index('<a name="hit"></a>') < html.index("<a href")


def test_highlight_query_is_literal_and_escaped() -> None:
    html = render_markdown("付款行：工行 0.1%+50w 和 <b>x</b>", highlight="0.1%+50w")
    assert f"{HL}0.1%+50w</span>" in html
    assert f"{HL}&lt;b&gt;</span>" in render_markdown("a <b>x</b>", highlight="<b>")
    assert '<a name="hit">' not in render_markdown("文本", highlight="   ")
    assert '<a name="hit">' not in render_markdown("文本", highlight="不存在")


def test_highlight_inside_a_kpi_value() -> None:
    html = render_markdown(
        "- 入金：99.995%\n", kpis=[KpiMark(1, "99.995%", 0.001, "%", True)], highlight="995"
    )
    assert f'background-color:{LIGHT.kpi_bg}">99.<a name="hit"></a>{HL}995</span>%</span>' in html


# --- links and images -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://wiki.lianjia.com/display/LFTQA/2024.6", "http://example.com", "mailto:someone@example.com"],
)
def test_safe_links_keep_their_href(url: str) -> None:
    html = render_markdown(f"[链接]({url})")
    assert f'<a href="{url}" style="color:{LIGHT.link}">链接</a>' in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "ftp://example.com/x",
        "//evil.example/x",
        "/etc/passwd",
    ],
)
def test_unsafe_links_become_plain_text(url: str) -> None:
    html = render_markdown(f"点 [这里]({url}) 看")
    assert "<a " not in html
    assert "点 这里 看" in html


def test_notion_relative_link_is_kept_and_resolves() -> None:
    text = seed("第16周 2023-04-14.md")
    html = render_markdown(text)
    href = re.search(r'<a href="([^"]+)"[^>]*>2023/04/16 周日</a>', html)
    assert href is not None
    resolved = resolve_report_link(href.group(1), "sub/第16周 2023-04-14.md")
    assert resolved == "sub/2023-04-16 周日_xq6XwTk1fp7s1jZJ6CS97G.md"


def test_autolinks_follow_the_same_policy() -> None:
    assert '<a href="https://example.com"' in render_markdown("<https://example.com>")
    assert '<a href="mailto:a@example.com"' in render_markdown("<a@example.com>")
    assert "<a " not in render_markdown("<javascript:alert(1)>")


def test_images_are_never_loaded() -> None:
    md = "![架构图](https://x.example/a.png) ![](local.png) [![图](a.png)](https://x.example)"
    html = render_markdown(md)
    assert "<img" not in html and "a.png" not in html
    assert "[图片: 架构图]" in html and "[图片]" in html
    assert '<a href="https://x.example"' in html and "[图片: 图]" in html


def test_raw_html_is_escaped() -> None:
    html = render_markdown('<script>alert("x")</script>\n\n段落 <b onclick="x()">粗</b> <img src=x>\n')
    assert "<script" not in html and "<b " not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;b onclick=&quot;x()&quot;&gt;" in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com", True),
        ("HTTP://example.com/x", True),
        (" mailto:a@b.c ", True),
        ("mailto:", False),
        ("https://", False),
        ("https:///etc", False),
        ("http:example.com", False),
        ("javascript:alert(1)", False),
        ("file:///c:/x", False),
        ("data:text/plain,x", False),
        ("ftp://example.com", False),
        ("http://exa\nmple.com", False),
        ("relative.md", False),
        ("", False),
    ],
)
def test_is_safe_external(url: str, expected: bool) -> None:
    assert is_safe_external(url) is expected


@pytest.mark.parametrize(
    ("url", "from_path", "expected"),
    [
        ("2023-04-16%20周日_xq6.md", "sub/第16周 2023-04-14.md", "sub/2023-04-16 周日_xq6.md"),
        ("2023-04-16%20%E5%91%A8%E6%97%A5_xq6.md", "第16周.md", "2023-04-16 周日_xq6.md"),
        ("第16周%202023-04-14/日报.md#heading", "a/第16周 2023-04-14.md", "a/第16周 2023-04-14/日报.md"),
        ("../other/x.markdown", "team/a/w.md", "team/other/x.markdown"),
        ("./notes.TXT", "w.md", "notes.TXT"),
        ("..\\b.md", "a/w.md", "b.md"),
        ("../x.md", "w.md", None),
        ("a/../../x.md", "w.md", None),
        ("%2E%2E/x.md", "w.md", None),
        ("/etc/x.md", "w.md", None),
        ("%2Fetc/x.md", "w.md", None),
        ("https://example.com/x.md", "w.md", None),
        ("file:///x.md", "w.md", None),
        ("C:/x.md", "w.md", None),
        ("image.png", "w.md", None),
        ("#section", "w.md", None),
        ("", "w.md", None),
        ("x%00.md", "w.md", None),
    ],
)
def test_resolve_report_link(url: str, from_path: str, expected: str | None) -> None:
    assert resolve_report_link(url, from_path) == expected


# --- robustness -----------------------------------------------------------------------------------------

markdownish = st.text(
    alphabet=st.sampled_from(list("-*_[]()!<>`#|:~\\&;%.1x 贝\n\t")) | st.characters(), max_size=200
)


@settings(max_examples=300, deadline=None)
@given(
    text=markdownish,
    query=st.none() | st.text(max_size=5),
    line=st.integers(-5, 20),
    value=st.text(max_size=4),
    delta=st.none() | st.floats(allow_nan=True, allow_infinity=True),
    first=st.integers(-3, 5),
)
def test_arbitrary_text_never_raises(
    text: str, query: str | None, line: int, value: str, delta: float | None, first: int
) -> None:
    marks = [KpiMark(line, value, delta, "%", None)]
    # The unguarded path must cope on its own; the public wrapper's fallback is only a last resort.
    html = _render(text, first, marks, query, LIGHT, 15)
    assert html.startswith("<html><body") and html.endswith("</body></html>")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert render_markdown(text, first_line=first, kpis=marks, highlight=query) == html


@settings(max_examples=200, deadline=None)
@given(url=st.text(max_size=40), from_path=st.text(max_size=40))
def test_link_helpers_never_raise(url: str, from_path: str) -> None:
    resolved = resolve_report_link(url, from_path)
    assert resolved is None or (".." not in resolved.split("/") and not resolved.startswith("/"))
    assert isinstance(is_safe_external(url), bool)


def test_wrong_types_fall_back_without_raising() -> None:
    assert render_markdown(cast(Any, None)).startswith("<html>")
    assert "&lt;x&gt;" in render_markdown("<x>", base_px=cast(Any, "big"))
    assert resolve_report_link(cast(Any, None), "w.md") is None
    assert is_safe_external(cast(Any, 3)) is False


def test_a_br_tag_in_a_table_cell_is_a_line_break() -> None:
    html = render_markdown("| metric | mean |\n|---|---|\n| Regressions ❌ <br /> (primary) | 0.4% |\n")
    assert "Regressions ❌ <br> (primary)" in html
    assert "&lt;br" not in html


def test_every_word_of_a_query_is_highlighted() -> None:
    html = render_markdown("贝易转上线\n\n入金有效成功率：99.9%\n", highlight="贝易转 成功率")
    assert html.count("background-color") >= 2 and '<a name="hit">' in html
