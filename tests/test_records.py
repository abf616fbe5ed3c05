"""The rows a parsed report becomes. The cache keeps no text: each section is its own lines of the file."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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


@given(st.lists(_MARKDOWN_PIECES, max_size=16), st.sampled_from(["\n", "\r\n", "\r"]))
def test_every_section_is_its_own_lines_of_the_decoded_file(lines: list[str], newline: str) -> None:
    # The cache keeps where each section is, and reads its text back from the file (store/texts.py):
    # the lines it cuts there must be the markdown the parser gave, whatever the file's newlines.
    from desktop.core.aliases import default_alias_table
    from desktop.core.decoding import decode_bytes
    from desktop.core.parser import parse_decoded

    decoded = decode_bytes(("# 周报" + newline + newline.join(lines)).encode("utf-8"))
    outcome = parse_decoded("r.md", decoded, 0.0, default_alias_table())
    assert outcome.report is not None and decoded.text is not None
    cut = decoded.text.split("\n")
    for section in outcome.report.sections:
        assert "\n".join(cut[section.first_line - 1 : section.last_line]) == section.markdown
