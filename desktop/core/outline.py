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
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyromark

from desktop.core.model import Section

_TOPIC = re.compile(r"^(?:[-*+]|\d{1,3}[.、)])[ \t]+(【[^】\n]{1,80}】)")
_NUMBERING = re.compile(
    r"^(?:[(（]?(?:\d{1,3}|[A-Za-z]|[一二三四五六七八九十]{1,3})[)）]|"
    r"(?:\d{1,3}|[A-Za-z]|[一二三四五六七八九十]{1,3})[.、．:：](?!\d))\s*"
)
_OKR = re.compile(r"^[\W_]*[Oo]([1-9])(?![0-9])")
_BRACKETS = str.maketrans("", "", "【】[]()（）「」『』《》〈〉<>")
_HEADING_RANK_TOPIC = 7  # deeper than any heading, so the next heading closes a topic


@dataclass(frozen=True, slots=True)
class Outline:
    title: str | None  # text of the first heading
    sections: list[Section]


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
_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH


@dataclass(frozen=True, slots=True)
class FrontMatter:
    end: int  # 0-based index of the first line after the block; 0 when there is none
    values: dict[str, str] = field(default_factory=dict)  # top-level `key: value`, keys lowercased


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


def _headings(lines: Sequence[str], start: int) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """(line, level, text) of each heading and the (first, last) lines of code and HTML blocks."""
    body = "\n".join(lines[start:])
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
    text: list[str] | None = None
    level = 0
    first = 0
    for event, span in pyromark.events_with_range(body, options=_OPTIONS):
        if text is None:
            # Outside a heading only block starts matter; most events are text, skipped at once.
            if type(event) is not dict or "Start" not in event:
                continue
            opened = event["Start"]
            if opened == "HtmlBlock":
                blocks.append((line_of(span["start"]), line_of(max(span["end"] - 1, 0))))
            elif isinstance(opened, dict):
                if "Heading" in opened:
                    text, level, first = [], int(opened["Heading"]["level"][1:]), span["start"]
                elif "CodeBlock" in opened:
                    blocks.append((line_of(span["start"]), line_of(max(span["end"] - 1, 0))))
        elif type(event) is dict:
            fields: dict[str, object] = dict(event)
            if "Text" in fields or "Code" in fields:
                text.append(str(fields.get("Text") or fields.get("Code") or ""))
            elif isinstance(ended := fields.get("End"), dict) and "Heading" in ended:
                headings.append((line_of(first), level, " ".join("".join(text).split())))
                text = None
        elif event in ("SoftBreak", "HardBreak"):
            text.append(" ")
    return headings, blocks


def _find_starts(lines: Sequence[str], start: int) -> tuple[str | None, list[_Start]]:
    headings, blocks = _headings(lines, start)
    starts: list[_Start] = []
    title: str | None = None
    title_key: str | None = None
    heading_level = 0  # level of the heading the current line sits under
    heading_at = {line: (level, text) for line, level, text in reversed(headings)}
    in_block = bytearray(len(lines))
    for first, last in blocks:
        in_block[first : last + 1] = b"\x01" * (last + 1 - first)
    for i in range(start, len(lines)):
        found = heading_at.get(i)
        if found is not None:
            level, text = found
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
            continue
        line = lines[i]
        if line[:1] in "-*+0123456789" and not in_block[i]:
            topic = _TOPIC.match(line)
            if topic:
                starts.append(
                    _Start(i, topic.group(1), "topic", min(heading_level + 1, 7), _HEADING_RANK_TOPIC)
                )
    return title, starts


def parse_outline(lines: Sequence[str], body_start: int | None = None) -> Outline:
    """The outline of a report's lines; `body_start` is the first line after the front matter, if known."""
    if body_start is None:
        body_start = front_matter(lines).end
    title, starts = _find_starts(lines, body_start)
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
            Section(
                index=idx,
                title=start.title,
                kind=start.kind,
                level=start.level,
                parent=parents[idx],
                first_line=start.line + 1,
                last_line=last_lines[idx] + 1,
                end_line=end_lines[idx] + 1,
                key=section_key(start.title),
                okr=okr_code(start.title),
                markdown=body,
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
