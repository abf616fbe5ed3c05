"""Turn a report file's bytes into text, never raising, and say what was odd about it."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

MAX_BYTES = 8 * 1024 * 1024  # a weekly report is a few KB; anything this big is not one
_BINARY_SAMPLE = 8192
_ENCODING_SAMPLE = 32 * 1024  # characters looked at when judging a GB18030 reading
_UNLIKELY_SHARE = 0.1
_NAMES = {"gb18030": "GB18030", "big5": "Big5", "shift_jis": "Shift-JIS"}
# Every byte but the control bytes rare in text (all below 32 except tab, newline, CR, form feed, escape):
# deleting these leaves the controls to count, in C rather than a loop over the sample.
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see desktop/core/model.py
class Decoded:
    text: Final[str | None]  # None when the file is skipped
    encoding: Final[str]
    warnings: Final[tuple[str, ...]] = ()
    skip_reason: Final[str | None] = None


def _looks_binary(data: bytes) -> bool:
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    # Control bytes other than tab/newline/CR/form feed/escape are rare in text in any encoding.
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls > max(8, len(sample) // 50)


def _unlikely(ch: str) -> bool:
    """A character a Chinese report read as GB18030 would hardly hold: a sign the bytes are Big5 or
    Shift-JIS. Kana, box drawing, Cyrillic and Greek sit in GB2312's symbol rows; mis-read Big5 and
    Shift-JIS land on them, on private-use code points, or on hanzi outside GB2312's common set."""
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x2500 <= code <= 0x257F or 0x0370 <= code <= 0x04FF:
        return True
    if 0xE000 <= code <= 0xF8FF or code > 0xFFFF:
        return True
    if 0x4E00 <= code <= 0x9FFF:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return True
    return False


def _other_cjk(data: bytes, text: str) -> tuple[str, str] | None:
    """Big5 or Shift-JIS, with its text, when the GB18030 reading looks wrong and that one fits better."""
    sample = [ch for ch in text[:_ENCODING_SAMPLE] if ord(ch) > 0x7F]
    if not sample:
        return None
    odd = sum(map(_unlikely, sample))
    if odd < 2 or odd < len(sample) * _UNLIKELY_SHARE:
        return None
    # Here, not at the top: only a file that is not UTF-8 needs it, and importing it (12 ms) was paid by
    # the first page the window showed, which reads its report back from the file (store/texts.py).
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[: _ENCODING_SAMPLE * 2], cp_isolation=list(_NAMES)).best()
    name = codecs.lookup(best.encoding).name if best is not None else ""
    for candidate in ([name] if name in _NAMES and name != "gb18030" else []) + ["big5", "shift_jis"]:
        try:
            decoded = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        mine = [ch for ch in decoded[:_ENCODING_SAMPLE] if ord(ch) > 0x7F]
        if candidate == name or sum(map(_unlikely_in(candidate), mine)) * 4 < odd:
            return candidate, decoded
    return None


def _unlikely_in(name: str) -> Callable[[str], bool]:
    def unlikely(ch: str) -> bool:
        code = ord(ch)
        if name == "shift_jis":  # kana are Japanese; private use and box drawing are not
            return 0xE000 <= code <= 0xF8FF or 0x2500 <= code <= 0x257F
        return _unlikely(ch) and not (0x4E00 <= code <= 0x9FFF)  # Big5 is traditional: not GB2312

    return unlikely


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode_bytes(data: bytes) -> Decoded:
    """BOM, then strict UTF-8, then strict GB18030 (Big5 or Shift-JIS when that reading holds unlikely
    characters); otherwise UTF-8 with replacements and a warning.

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
        gb_text: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None:
        other = _other_cjk(data, gb_text)
        if other is not None:
            name, decoded = other
            return Decoded(
                _normalize_newlines(decoded),
                name,
                (f"not UTF-8: read as {_NAMES[name]} (as GB18030 it gave unlikely characters)",),
            )
        # Worth a note: the file reads fine, but other tools may show it garbled.
        return Decoded(_normalize_newlines(gb_text), "gb18030", ("not UTF-8: read as GB18030/GBK",))
    for name in ("big5", "shift_jis"):  # bytes GB18030 refuses may still be one of these
        try:
            decoded = data.decode(name)
        except UnicodeDecodeError:
            continue
        return Decoded(_normalize_newlines(decoded), name, (f"not UTF-8: read as {_NAMES[name]}",))
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return Decoded(
        _normalize_newlines(text), "utf-8", (f"{bad} undecodable byte sequence(s) were replaced with \ufffd",)
    )


def decode_text_again(data: bytes) -> str | None:
    """decode_bytes(data).text for bytes it already read as text once (the cache reading a report back).

    Strict UTF-8 without a BOM, the common case, skips the empty and binary checks, which such bytes
    passed when they were first read: a tenth of the time of a timeline that reads 5,000 reports.
    """
    if not data.startswith(codecs.BOM_UTF8):
        try:
            return _normalize_newlines(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    return decode_bytes(data).text


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
