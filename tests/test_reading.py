"""Reading files: encodings, line ends, empty and binary files, and which files count as reports."""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from desktop.core.decoding import MAX_BYTES, decode_bytes, decode_text_again, read_report_file
from desktop.core.scanner import find_parents, scan_folder, strip_notion_id, team_of

TEXT = "# 第42周 2023-10-13\n\n- 入金有效成功率：99.997%\n"


def test_utf8_with_and_without_bom() -> None:
    plain = decode_bytes(TEXT.encode("utf-8"))
    bom = decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert plain.text == bom.text == TEXT
    assert plain.encoding == "utf-8" and bom.encoding == "utf-8-sig"
    assert not plain.warnings and not bom.warnings


def test_utf16_with_bom() -> None:
    decoded = decode_bytes(TEXT.encode("utf-16"))
    assert decoded.text == TEXT


def test_crlf_and_cr_line_ends_become_newlines() -> None:
    assert decode_bytes(TEXT.replace("\n", "\r\n").encode()).text == TEXT
    assert decode_bytes(TEXT.replace("\n", "\r").encode()).text == TEXT


def test_gbk_and_gb18030() -> None:
    for codec in ("gbk", "gb18030"):
        decoded = decode_bytes(TEXT.encode(codec))
        assert decoded.text == TEXT
        assert decoded.encoding == "gb18030"
        assert decoded.warnings == ("not UTF-8: read as GB18030/GBK",)


def test_short_gbk_text_is_not_misjudged() -> None:
    # Two characters of GBK: generic detectors often call this Latin-1 or similar.
    assert decode_bytes("风控".encode("gbk")).text == "风控"


def test_undecodable_bytes_are_replaced_with_a_warning() -> None:
    data = "周报 ".encode() + b"\xff\xfe\xfa\x80\x81" + " 完".encode()
    decoded = decode_bytes(data)
    assert decoded.text is not None and "周报" in decoded.text and "\ufffd" in decoded.text
    assert decoded.warnings and "replaced" in decoded.warnings[0]


def test_empty_and_binary_files_are_skipped_with_a_reason() -> None:
    assert decode_bytes(b"").skip_reason == "empty file"
    assert decode_bytes(b"  \n\n ").skip_reason == "empty file"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert decode_bytes(png).skip_reason == "binary file (not text)"


def test_huge_and_unreadable_files_are_skipped(tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    assert "too large" in (read_report_file(huge).skip_reason or "")
    missing = read_report_file(tmp_path / "gone.md")
    assert missing.text is None and "cannot read" in (missing.skip_reason or "")


@given(st.binary(max_size=4096))
def test_decoding_arbitrary_bytes_never_raises(data: bytes) -> None:
    decoded = decode_bytes(data)
    assert (decoded.text is None) == (decoded.skip_reason is not None)


_TEXTS = st.sampled_from(["# 周报\r\n", "中文", "\r", "\n", "ascii ", "\ufeff", "\x00", "\u00e9"])


@given(
    st.lists(_TEXTS, min_size=1, max_size=12).map("".join),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"]),
    st.binary(max_size=6),
)
def test_reading_text_again_gives_what_the_first_read_gave(text: str, encoding: str, noise: bytes) -> None:
    # The cache reads a report back from its file (store/texts.py) and cuts its sections by line
    # number: the text must be the very one the parser had, newlines and all.
    try:
        data = text.encode(encoding) + noise
    except UnicodeEncodeError:
        return
    first = decode_bytes(data)
    if first.text is not None:
        assert decode_text_again(data) == first.text


def test_scan_finds_reports_recursively_and_skips_hidden(tmp_path: Path) -> None:
    for rel in (
        "a.md",
        "b.markdown",
        "c.txt",
        "d.pdf",
        ".hidden.md",
        ".git/x.md",
        "team/sub/e.MD",
        "team/.cache/f.md",
        "image.png",
    ):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    assert [e.path for e in scan_folder(tmp_path)] == ["a.md", "b.markdown", "c.txt", "team/sub/e.MD"]


def test_notion_id_is_stripped() -> None:
    assert strip_notion_id("2024-W24 0123456789abcdef0123456789ABCDEF") == "2024-W24"
    assert strip_notion_id("2024-W24") == "2024-W24"


def test_notion_sub_pages_belong_to_their_report() -> None:
    notion = "0123456789abcdef0123456789abcdef"
    paths = [
        f"2024-W24 {notion}.md",
        f"2024-W24 {notion}/2024-06-12 周三.md",
        f"2024-W24 {notion}/deeper/x.md",
        "2024-W25.md",
        "2024-W25/notes.md",
        "other/y.md",
    ]
    parents = find_parents(paths)
    assert parents == {
        f"2024-W24 {notion}/2024-06-12 周三.md": f"2024-W24 {notion}.md",
        f"2024-W24 {notion}/deeper/x.md": f"2024-W24 {notion}.md",
        "2024-W25/notes.md": "2024-W25.md",
    }


def test_team_is_the_first_folder_but_not_a_year() -> None:
    parents = {"payments/2024-W24/a.md": "payments/2024-W24.md"}
    assert team_of("payments/2024-W24.md", parents) == "payments"
    assert team_of("payments/2024-W24/a.md", parents) == "payments"
    assert team_of("2024-W24.md", {}) is None
    assert team_of("2025/2025-06-17.md", {}) is None
    assert team_of("2024-06/x.md", {}) is None
