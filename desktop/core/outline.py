"""A report's outline: headings of every level and top-level topic bullets such as `- 【贝易转】`.

Headings come from a CommonMark parse (pyromark, pulldown-cmark underneath), so every heading the
viewer shows is in the outline: setext headings under any line, indented ones, `> ## x`. markdown-it-py
would be the viewer's own parser, but even with inline parsing off it costs ~3 ms a report, which
alone would double the cold index of 5,000 reports; pyromark parses the same report in ~0.2 ms.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Final

import pyromark

from desktop.core.model import Section

# A topic bullet (`- 【贝易转】`) at the start of a line, its first character an ASCII bullet or digit.
_TOPIC_TEXT = r"(?:[-*+]|[0-9]\d{0,2}[.、)])[ \t]+(【[^】\n]{1,80}】)"
_TOPIC = re.compile(_TOPIC_TEXT)  # the body's first line
# Every other line: led by its newline, a literal the scan jumps to (`^` with MULTILINE costs 4x).
_TOPIC_NEXT = re.compile("\n" + _TOPIC_TEXT)
_NUMBERING = re.compile(
    r"^(?:[(（]?(?:\d{1,3}|[A-Za-z]|[一二三四五六七八九十]{1,3})[)）]|"
    r"(?:\d{1,3}|[A-Za-z]|[一二三四五六七八九十]{1,3})[.、．:：](?!\d))\s*"
)
_OKR = re.compile(r"^[\W_]*[Oo]([1-9])(?![0-9])")
_BRACKETS = str.maketrans("", "", "【】[]()（）「」『』《》〈〉<>")
_HEADING_RANK_TOPIC = 7  # deeper than any heading, so the next heading closes a topic


_SECTION_FIELDS = (
    *("index", "title", "kind", "level", "parent", "first_line", "last_line", "end_line"),
    *("key", "okr", "markdown"),
)
assert tuple(f.name for f in fields(Section)) == _SECTION_FIELDS, "parse_outline builds Sections by position"


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see desktop/core/model.py
class Outline:
    title: Final[str | None]  # text of the first heading
    sections: Final[list[Section]]


@functools.lru_cache(maxsize=8192)  # section titles repeat week after week
def section_key(title: str) -> str:
    """Normalize a title for matching across weeks: no brackets, numbering, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", title).strip()
    text = _NUMBERING.sub("", text.lstrip("【[ "), count=1)
    text = text.translate(_BRACKETS)
    kept = [ch for ch in text if unicodedata.category(ch)[0] not in "PSZC"]
    return "".join(kept).casefold()


@functools.lru_cache(maxsize=8192)
def okr_code(title: str) -> str | None:
    """`【O2系统升级】` → `O2` (a word boundary test would fail: `2系` are both word characters)."""
    match = _OKR.match(unicodedata.normalize("NFKC", title))
    return f"O{match.group(1)}" if match else None


_FRONT_MATTER_LINES = 500  # a long YAML block is still metadata (a 74-line one was seen)
_FRONT_MATTER_LINE_CHARS = 1000  # bounds the work on each line of a hostile block
_FRONT_MATTER_FIELD = re.compile(r"([A-Za-z_][\w -]{0,40}?)[ \t]*:[ \t]?(.*)")
_MARKDOWN = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH)


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see desktop/core/model.py
class FrontMatter:
    end: Final[int]  # 0-based index of the first line after the block; 0 when there is none
    values: Final[dict[str, str]] = field(default_factory=dict)  # top-level `key: value`, keys lowercased


def front_matter(lines: Sequence[str]) -> FrontMatter:
    """The leading `---` … `---` (or `...`) block, read once for the outline, the date and the metrics."""
    if not lines or lines[0][:_FRONT_MATTER_LINE_CHARS].lstrip("\ufeff").strip() != "---":
        return FrontMatter(0)
    values: dict[str, str] = {}
    for i in range(1, min(len(lines), _FRONT_MATTER_LINES)):
        line = lines[i][:_FRONT_MATTER_LINE_CHARS]
        stripped = line.strip()
        if stripped in ("---", "..."):
            return FrontMatter(i + 1, values)
        match = _FRONT_MATTER_FIELD.fullmatch(line)
        if match and not line[:1].isspace():
            values.setdefault(match.group(1).strip().lower(), match.group(2).strip())
    return FrontMatter(0)  # never closed: a thematic break, not front matter


@dataclass(slots=True)
class _Start:
    line: int  # 0-based
    title: str
    kind: str
    level: int
    rank: int


def _headings(body: str, start: int) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """(line, level, text) of each heading and the (first, last) lines of code and HTML blocks.

    `body` is the report's lines from `start` on, joined by newlines.
    """
    # Parsed first: the parser leaves the text's UTF-8 form cached in the string, so the encoding for
    # the byte offsets below is a copy rather than a second encoding of every character.
    events = iter(_MARKDOWN.events_with_range(body))
    data = body.encode("utf-8", "surrogatepass")
    # Events come in document order, so line numbers are counted on from the previous offset asked for;
    # going back (a block's end, then the next start) only ever re-counts within one block: linear.
    at, line = 0, start

    def line_of(byte: int) -> int:
        nonlocal at, line
        if byte >= at:
            line += data.count(b"\n", at, byte)
        else:
            line -= data.count(b"\n", byte, at)
        at = byte
        return line

    headings: list[tuple[int, int, str]] = []
    blocks: list[tuple[int, int]] = []
    for event, span in events:
        # Only block starts matter here, and most events are text or ends. `in` serves both forms of an
        # event: a dict's keys, or a plain name such as "SoftBreak" (none of which holds "Start").
        if "Start" not in event:
            continue
        opened = event["Start"]  # type: ignore[index]
        if isinstance(opened, str):
            if opened == "HtmlBlock":
                blocks.append((line_of(span["start"]), line_of(max(span["end"] - 1, 0))))
        elif "Heading" in opened:
            level, first = int(opened["Heading"]["level"][1:]), span["start"]
            text: list[str] = []
            # The heading's own events, up to its end, are read here and not by the loop above.
            for inner, _ in events:
                if type(inner) is not dict:
                    if inner in ("SoftBreak", "HardBreak"):
                        text.append(" ")
                elif "Text" in inner or "Code" in inner:
                    text.append(str(inner.get("Text") or inner.get("Code") or ""))
                elif isinstance(ended := inner.get("End"), dict) and "Heading" in ended:
                    headings.append((line_of(first), level, " ".join("".join(text).split())))
                    break
        elif "CodeBlock" in opened:
            blocks.append((line_of(span["start"]), line_of(max(span["end"] - 1, 0))))
    return headings, blocks


# Reading headings line by line gives CommonMark's answer unless a line opens a block that changes how
# later lines read (a fence, an HTML block, a block quote), may underline the line before (setext), is a
# list item opening with code (5+ spaces after its marker: a topic bullet there is code), or is a heading
# after a list marker, 4+ spaces in or holding inline markup. Such a line is a run of dashes (with
# spaces), or a marker and 5 spaces, or it starts, after any list markers, with one of ``` ~~~ < > # =.
# The runs are possessive: a list marker given back could only reveal another marker or space.
_PLAIN_RISK = re.compile(
    r"\n(?:[ ]*+-++[ ]*+(?=\n|\Z)|(?:[-*+]|[0-9]{1,9}[.)])[ ]{5}"
    r"|([ ]*+(?:[-*+][ ]++|[0-9]{1,9}[.)][ ]++)*+)(?:```|~~~|[<>#=]))"
)
_ATX_RUN = re.compile(r"#{1,6}(?=[ \t\n]|\Z)")  # `#5`, `#######`: no heading
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>!&~\x00]")  # escapes, code, emphasis, links, HTML, entities


def _plain_headings(body: str, start: int) -> list[tuple[int, int, str]] | None:
    """The headings of a body in plain Markdown (only `# x` lines, no markup in them) without the parser,
    exactly as _headings finds them; None when the body holds anything for which that is not certain.

    Most weekly reports are this plain, and the parser's events cost the outline more than all the rest.
    Code and HTML blocks need not be returned: the body has none that a topic bullet (at the start of a
    line) could sit in, as an indented code block never holds an unindented line.
    """
    # Link definitions (their titles may run over lines), tabs (indentation), and the characters the
    # parser also takes for line ends or spaces.
    if "]:" in body or "\t" in body or "\r" in body or "\x0c" in body or "\x0b" in body:
        return None
    headings: list[tuple[int, int, str]] = []
    text = "\n" + body  # every line led by its newline, the first one too
    at, line = 0, start - 1
    for risk in _PLAIN_RISK.finditer(text):
        prefix = risk.group(1)
        if prefix is None or text[risk.end() - 1] != "#" or len(prefix) > 3 or prefix.strip(" "):
            return None
        line += text.count("\n", at, risk.start() + 1)
        at = risk.start() + 1
        run = _ATX_RUN.match(text, risk.end() - 1)
        if run is None:
            continue  # a paragraph's text
        end = text.find("\n", run.end())
        content = text[run.end() : end if end >= 0 else len(text)]
        if _INLINE_MARKUP.search(content):
            return None
        content = content.strip(" \t")
        closed = content.rstrip("#")  # a closing run of #s goes when a space precedes it, or it is all
        if not closed or closed[-1] in " \t":
            content = closed.rstrip(" \t")
        headings.append((line, len(run.group()), " ".join(content.split())))
    return headings


def _topics(body: str) -> Iterator[tuple[int, str]]:
    """(offset of its line, title) of each topic bullet in the body, in order."""
    first = _TOPIC.match(body)
    if first:
        yield 0, first.group(1)
    for match in _TOPIC_NEXT.finditer(body):
        yield match.start() + 1, match.group(1)


def _find_starts(lines: Sequence[str], start: int, body: str | None) -> tuple[str | None, list[_Start]]:
    if body is None:
        body = "\n".join(lines[start:])
    plain = _plain_headings(body, start)
    headings, blocks = (plain, []) if plain is not None else _headings(body, start)
    heading_at = {line: (level, text) for line, level, text in reversed(headings)}
    in_block = bytearray(len(lines))
    for first, last in blocks:
        in_block[first : last + 1] = b"\x01" * (last + 1 - first)
    # Headings and topic bullets in line order; a heading line is never also read as a topic.
    found: list[tuple[int, str | None, int]] = [(i, None, 0) for i in sorted(heading_at)]
    at, line = 0, start
    for offset, topic in _topics(body):
        line += body.count("\n", at, offset)
        at = offset
        if line not in heading_at and not in_block[line]:
            found.append((line, topic, 1))
    found.sort()
    starts: list[_Start] = []
    title: str | None = None
    title_key: str | None = None
    heading_level = 0  # level of the heading the current line sits under
    for i, topic_title, is_topic in found:
        if is_topic:
            assert topic_title is not None
            starts.append(_Start(i, topic_title, "topic", min(heading_level + 1, 7), _HEADING_RANK_TOPIC))
            continue
        level, text = heading_at[i]
        if not text:
            continue
        if title is None:
            title, title_key = text, section_key(text)
            if level == 1:  # the document title, not a section of its own
                heading_level = 1
                continue
        elif section_key(text) == title_key:
            continue  # the title repeated (`# 第16周 2023/04/14` under `# 第16周 2023-04-14`)
        starts.append(_Start(i, text, "heading", level, level))
        heading_level = level
    return title, starts


def parse_outline(lines: Sequence[str], body_start: int | None = None, body: str | None = None) -> Outline:
    """The outline of a report's lines; `body_start` is the first line after the front matter, if known,
    and `body` the lines from there joined by newlines, if the caller has them."""
    if body_start is None:
        body_start = front_matter(lines).end
    title, starts = _find_starts(lines, body_start, body)
    sections: list[Section] = []
    stack: list[tuple[int, int]] = []  # (rank, index)
    parents: list[int | None] = []
    last_lines: list[int] = []
    for idx, start in enumerate(starts):
        while stack and stack[-1][0] >= start.rank:
            stack.pop()
        parents.append(stack[-1][1] if stack else None)
        stack.append((start.rank, idx))
        stop = starts[idx + 1].line if idx + 1 < len(starts) else len(lines)
        last = stop - 1
        while last > start.line and not lines[last].strip():
            last -= 1
        last_lines.append(last)
    # A subtree ends where the last of its descendants ends; descendants follow their parent directly.
    end_lines = list(last_lines)
    for idx in range(len(starts) - 1, -1, -1):
        parent = parents[idx]
        if parent is not None:
            end_lines[parent] = max(end_lines[parent], end_lines[idx])
    for idx, start in enumerate(starts):
        body = "\n".join(lines[start.line : last_lines[idx] + 1])
        sections.append(
            Section(  # by position: keywords cost half as much again, for every section of every report
                idx,
                start.title,
                start.kind,
                start.level,
                parents[idx],
                start.line + 1,
                last_lines[idx] + 1,
                end_lines[idx] + 1,
                section_key(start.title),
                okr_code(start.title),
                body,
            )
        )
    return Outline(title, sections)


def section_at_line(sections: Sequence[Section], line: int) -> int | None:
    """Index of the innermost section whose own text holds the 1-based line."""
    lo, hi = 0, len(sections) - 1
    found: int | None = None
    while lo <= hi:
        mid = (lo + hi) // 2
        if sections[mid].first_line <= line:
            found = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return found
