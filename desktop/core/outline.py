"""A report's outline: headings of every level and top-level topic bullets such as `- 【贝易转】`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.model import Section

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,3}[.、)])[ \t]")
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


def section_key(title: str) -> str:
    """Normalize a title for matching across weeks: no brackets, numbering, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", title).strip()
    text = _NUMBERING.sub("", text.lstrip("【[ "), count=1)
    text = text.translate(_BRACKETS)
    kept = [ch for ch in text if unicodedata.category(ch)[0] not in "PSZC"]
    return "".join(kept).casefold()


def okr_code(title: str) -> str | None:
    """`【O2系统升级】` → `O2` (a word boundary test would fail: `2系` are both word characters)."""
    match = _OKR.match(unicodedata.normalize("NFKC", title))
    return f"O{match.group(1)}" if match else None


def _skip_front_matter(lines: Sequence[str]) -> int:
    if not lines or lines[0].strip() != "---":
        return 0
    for i in range(1, min(len(lines), 200)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
    return 0


@dataclass(slots=True)
class _Start:
    line: int  # 0-based
    title: str
    kind: str
    level: int
    rank: int


def _find_starts(lines: Sequence[str]) -> tuple[str | None, list[_Start]]:
    starts: list[_Start] = []
    title: str | None = None
    title_key: str | None = None
    fence: str | None = None
    heading_level = 0  # level of the heading the current line sits under
    i = _skip_front_matter(lines)
    n = len(lines)
    while i < n:
        line = lines[i]
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and stripped.rstrip(fence[0]) == "":
                fence = None
            i += 1
            continue
        if not line or line[0] not in "#`~-*+=0123456789 ":
            # Not a structural line; only a setext underline below it could make it a heading.
            if i + 1 < n and lines[i + 1][:1] in "=-" and _SETEXT.match(lines[i + 1]) and line.strip():
                level = 1 if lines[i + 1].lstrip()[0] == "=" else 2
                text = line.strip()
                if title is None:
                    title, title_key = text, section_key(text)
                    if level == 1:
                        i += 2
                        continue
                starts.append(_Start(i, text, "heading", level, level))
                heading_level = level
                i += 2
                continue
            i += 1
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            fence = fence_match.group(1)
            i += 1
            continue
        atx = _ATX.match(line)
        if atx:
            level = len(atx.group(1))
            text = (atx.group(2) or "").strip()
            if text:
                if title is None:
                    title, title_key = text, section_key(text)
                    if level == 1:  # the document title, not a section of its own
                        heading_level = 1
                        i += 1
                        continue
                elif section_key(text) == title_key:
                    i += 1  # the title repeated (`# 第16周 2023/04/14` under `# 第16周 2023-04-14`)
                    continue
                starts.append(_Start(i, text, "heading", level, level))
                heading_level = level
            i += 1
            continue
        topic = _TOPIC.match(line)
        if topic:
            starts.append(_Start(i, topic.group(1), "topic", min(heading_level + 1, 7), _HEADING_RANK_TOPIC))
        i += 1
    return title, starts


def parse_outline(lines: Sequence[str]) -> Outline:
    title, starts = _find_starts(lines)
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
