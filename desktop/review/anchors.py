"""Fingerprints that let a note find its report and section again after renames, moves and edits.

A report is known by its week label, its title, a hash of its normalized text (equal for byte-identical
or whitespace-only changes) and a bottom-k sketch of its character shingles, whose overlap estimates how
much of the text two versions share (robust to small edits). A section is known by its normalized key
(desktop.core's Section.key, the one alignment uses) and the text the note quoted.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Sequence
from typing import NamedTuple

SHINGLE = 5  # characters per shingle: short enough for Chinese, long enough to be specific
SKETCH_SIZE = 128  # smallest shingle hashes kept; the estimate's error is about 1/sqrt(k)
SAME_REPORT = 0.55  # estimated overlap above which a vanished report is taken to be this one
SAME_REPORT_NAMED = 0.35  # ... when the week label or title also agree
QUOTE_CHARS = 200  # how much of a section a note quotes when it is written

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC, one space for any run of whitespace: line ends and indentation do not change identity."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def text_hash(text: str) -> str:
    return hashlib.blake2b(normalize(text).encode("utf-8"), digest_size=16).hexdigest()


def sketch(text: str) -> list[int]:
    """The SKETCH_SIZE smallest distinct shingle hashes of the normalized text, ascending."""
    norm = normalize(text).casefold()
    if len(norm) < SHINGLE:
        return [zlib.crc32(norm.encode("utf-8"))] if norm else []
    hashes = {zlib.crc32(norm[i : i + SHINGLE].encode("utf-8")) for i in range(len(norm) - SHINGLE + 1)}
    return sorted(hashes)[:SKETCH_SIZE]


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard overlap of two texts from their sketches (bottom-k of the union)."""
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)[:SKETCH_SIZE]
    both = sum(1 for h in union if h in sa and h in sb)
    return both / len(union)


# The value types are NamedTuples, not dataclasses: importing dataclasses (and inspect with it) and
# making the classes cost every review command ~20 ms, a tenth of its budget.
class SectionInfo(NamedTuple):
    """One section of a current report, as the caller's cache knows it."""

    index: int  # type: ignore[assignment]  # (shadows tuple.index, which nothing calls)
    key: str  # Section.key
    title: str
    text: str = ""  # the section's own markdown


class ReportInfo(NamedTuple):
    """A report as it is in the folder now: cheap fields only, from the cache's report list."""

    path: str
    label: str | None
    title: str
    date: str
    team: str | None
    digest: str  # the cache's hash of the file's bytes: equal means unchanged


class ReportContent(NamedTuple):
    """What resolving needs beyond ReportInfo, loaded by the caller only for the reports it asks for."""

    text: str
    sections: Sequence[SectionInfo] = ()


class Fingerprint(NamedTuple):
    label: str | None
    title: str
    text_hash: str
    sketch: list[int]

    @classmethod
    def of(cls, info: ReportInfo, content: ReportContent) -> Fingerprint:
        return cls(info.label, info.title, text_hash(content.text), sketch(content.text))


def quote_of(section: SectionInfo) -> str:
    """The words a section note was written against: the section's text, trimmed."""
    body = normalize(section.text)
    return body[:QUOTE_CHARS]


def report_score(old: Fingerprint, new: Fingerprint) -> float:
    """How surely `new` is the report `old` was, from 0; 0 when it is too different to tell."""
    if old.text_hash and old.text_hash == new.text_hash:
        return 2.0
    overlap = similarity(old.sketch, new.sketch)
    named = (old.label is not None and old.label == new.label) or (bool(old.title) and old.title == new.title)
    if overlap >= SAME_REPORT or (named and overlap >= SAME_REPORT_NAMED):
        return overlap + (0.5 if named else 0.0)
    return 0.0


def find_section(key: str, quote: str, sections: Sequence[SectionInfo]) -> SectionInfo | None:
    """The section a note anchored at (key, quote) belongs to now, or None (the note is orphaned).

    The key first (several sections with the key: the one still holding the quote); else the section
    whose text holds the quote, or most of it; else a title close to the old key.
    """
    with_key = [s for s in sections if s.key == key]
    norm_quote = normalize(quote).casefold()
    if len(with_key) == 1:
        return with_key[0]
    if len(with_key) > 1:
        return max(with_key, key=lambda s: _quote_overlap(norm_quote, s.text))
    if norm_quote:
        scored = [(_quote_overlap(norm_quote, s.text), s) for s in sections]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= 0.6:
            return best[1]
    if key:
        from rapidfuzz.distance import Indel

        close = [(Indel.normalized_similarity(key, s.key), s) for s in sections if s.key]
        best = max(close, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= 0.8:
            return best[1]
    return None


def _quote_overlap(norm_quote: str, text: str) -> float:
    if not norm_quote:
        return 0.0
    body = normalize(text).casefold()
    if norm_quote in body:
        return 1.0
    if len(norm_quote) < 2 * SHINGLE:
        return 0.0
    # Containment, not overlap: how much of the quote is still somewhere in the section.
    quoted = _shingles(norm_quote)
    return len(quoted & _shingles(body)) / len(quoted)


def _shingles(norm: str) -> set[str]:
    return {norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}


def key_of(title: str) -> str:
    """A section key for a title typed by a person (`--section`), as the parser makes them."""
    from desktop.core.outline import section_key  # the parser's module: only when a title is typed

    return section_key(title)
