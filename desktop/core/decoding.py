"""Turn a report file's bytes into text, never raising, and say what was odd about it."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 8 * 1024 * 1024  # a weekly report is a few KB; anything this big is not one
_BINARY_SAMPLE = 8192


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str | None  # None when the file is skipped
    encoding: str
    warnings: tuple[str, ...] = ()
    skip_reason: str | None = None


def _looks_binary(data: bytes) -> bool:
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    # Control bytes other than tab/newline/CR/form feed/escape are rare in text in any encoding.
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 50)


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes) -> Decoded:
    """BOM, then strict UTF-8, then strict GB18030; otherwise UTF-8 with replacements and a warning.

    Generic detectors misjudge short GBK text, while GB18030 rarely decodes non-Chinese bytes cleanly
    once UTF-8 has already failed, so this order is both fast and right for mainland files.
    """
    if not data.strip():
        return Decoded(None, "", skip_reason="empty file")
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(name, errors="replace")
            warnings = ("undecodable bytes were replaced",) if "\ufffd" in text else ()
            return Decoded(_normalize_newlines(text), name, warnings)
    if _looks_binary(data):
        return Decoded(None, "", skip_reason="binary file (not text)")
    try:
        return Decoded(_normalize_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Worth a note: the file reads fine, but other tools may show it garbled.
        return Decoded(
            _normalize_newlines(data.decode("gb18030")), "gb18030", ("not UTF-8: read as GB18030/GBK",)
        )
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return Decoded(
        _normalize_newlines(text), "utf-8", (f"{bad} undecodable byte sequence(s) were replaced with \ufffd",)
    )


def read_report_file(path: Path) -> Decoded:
    """Read and decode one file; an unreadable or oversized file is a skip with a reason, not an error."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Decoded(
                None,
                "",
                skip_reason=f"file too large ({size // (1024 * 1024)} MB > {MAX_BYTES // (1024 * 1024)} MB)",
            )
        data = path.read_bytes()
    except OSError as exc:
        return Decoded(None, "", skip_reason=f"cannot read: {exc.strerror or exc}")
    return decode_bytes(data)
