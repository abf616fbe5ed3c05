"""Markdown → HTML for the section viewer, limited to what Qt's rich-text engine (QTextBrowser) renders.

Qt understands a subset of HTML 4 / CSS 2.1: inline `style` attributes work, classes and modern CSS do not,
tables want `border`/`cellpadding` attributes, and there are no form inputs. Everything here is emitted
with that in mind. Pure Python: the viewer only calls `setHtml` on the result.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

from desktop.core.scanner import REPORT_EXTENSIONS


@dataclass(frozen=True, slots=True)
class KpiMark:
    line: int  # 1-based line in the report where the metric value appears
    value_text: str  # the number as written in the line, e.g. "99.992%" or "99.992"
    delta: float | None  # change against the previous report (percentage points for % metrics)
    unit: str  # "%" → shown as "pp"
    better: bool | None  # True = improvement (green), False = worse (red), None = neutral grey
    label: str | None = None  # the badge text from kpis.change (`▲0.05 pp`, `＝`); else built here


@dataclass(frozen=True, slots=True)
class Palette:
    text: str
    muted: str
    better: str
    worse: str
    highlight_bg: str
    code_bg: str
    link: str
    kpi_bg: str


LIGHT = Palette(
    text="#1f2328",
    muted="#6e7781",
    better="#1a7f37",
    worse="#cf222e",
    highlight_bg="#ffe680",
    code_bg="#f0f2f4",
    link="#0969da",
    kpi_bg="#e3eefc",
)
DARK = Palette(
    text="#e6edf3",
    muted="#8b949e",
    better="#3fb950",
    worse="#ff7b72",
    highlight_bg="#7a6400",
    code_bg="#2a2f36",
    link="#58a6ff",
    kpi_bg="#1c3350",
)

_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LINE_SEPARATOR = "\u2028"
_HEADING_SCALE = {1: 1.6, 2: 1.35, 3: 1.17, 4: 1.05, 5: 1.0, 6: 0.93}
_LINE_HEIGHT = "line-height:160%"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CHECKBOX = '<input class="task-list-item-checkbox"'
# One call renders at most this much; the rest is behind a link the viewer handles (see more_offset).
RENDER_LINES = 5000
RENDER_CHARS = 300_000
MORE_SCHEME = "weekly-review-more"
MORE_LABEL = "Show the rest ({lines} more lines)"
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")


class _Parser(MarkdownIt):
    # Accept every destination while parsing, so a refused link still shows its text instead of the raw
    # `[text](javascript:…)` source; the link policy is applied when rendering.
    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        return True


# commonmark's nesting limit of 20 makes markdown-it drop the level past it and the rest of the report.
_MAX_NESTING = 100
_MD = _Parser(
    "commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": _MAX_NESTING}
)
_MD.enable(["table", "strikethrough"])
_MD.use(tasklists_plugin)
# markdown-it's inline rules rescan on runs of `[`, `*` or backticks (quadratic in a paragraph's
# length): a paragraph longer than this is shown as plain text, which keeps rendering linear.
_MAX_INLINE = 5000


def _plain_long_inlines(state: StateCore) -> None:
    for tok in state.tokens:
        if tok.type == "inline" and len(tok.content) > _MAX_INLINE:
            tok.type = "inline_plain"


_MD.core.ruler.before("inline", "plain_long_inlines", _plain_long_inlines)


def is_safe_external(url: str) -> bool:
    """True for http(s) URLs with a host and for mailto: the only links handed to a browser."""
    if not isinstance(url, str):
        return False
    url = url.strip()
    match = _SCHEME.match(url)
    if match is None or _CONTROL.search(url):
        return False
    scheme, rest = match.group()[:-1].lower(), url[match.end() :]
    if scheme in ("http", "https"):
        return len(rest) > 2 and rest.startswith("//") and rest[2] not in "/\\"
    return scheme == "mailto" and bool(rest)


def _is_relative(url: str) -> bool:
    # A path reference only: no scheme, not "//host", not rooted (Qt would resolve those outside the folder).
    url = url.strip()
    if not url or _CONTROL.search(url) or url.startswith(("/", "\\")):
        return False
    return ":" not in re.split(r"[/?#]", url, maxsplit=1)[0]


def resolve_report_link(url: str, from_path: str) -> str | None:
    """The folder-relative path ("/") of the report a relative link points at, or None."""
    try:
        path = url.strip().split("#", 1)[0].split("?", 1)[0]
        if not path or _SCHEME.match(path) or path.startswith(("/", "\\")):
            return None
        # Notion percent-encodes names; links written on Windows may use backslashes.
        path = unquote(path).replace("\\", "/")
        if path.startswith("/") or _CONTROL.search(path) or re.match(r"[A-Za-z]:", path):
            return None
        parts: list[str] = []
        for segment in from_path.replace("\\", "/").split("/")[:-1] + path.split("/"):
            if segment == "..":
                if not parts:
                    return None  # escapes the opened folder
                parts.pop()
            elif segment not in ("", "."):
                parts.append(segment)
        if not parts or parts[-1].rpartition(".")[2].lower() not in REPORT_EXTENSIONS:
            return None
        return "/".join(parts)
    except Exception:
        return None


def _esc(text: str) -> str:
    # Attributes are always double-quoted, so these four are all that needs escaping.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _number(value: float) -> str:
    return f"{abs(value):.6f}".rstrip("0").rstrip(".")


def _plain(tokens: Sequence[Token]) -> str:
    """The visible text of inline tokens (for image alt text)."""
    out: list[str] = []
    for tok in tokens:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.children:
            out.append(_plain(tok.children))
    return "".join(out)


def _bounded(text: str, start: int, end: int) -> bool:
    # "99.99" must not match inside "99.991" or "199.99".
    before = text[start - 1] if start else ""
    after = text[end : end + 2]
    if before.isdigit() or before == ".":
        return False
    return not (after[:1].isdigit() or (after[:1] == "." and after[1:2].isdigit()))


# The KPI badges of a text token: (start, end, mark) spans of its content.
Spans = list[tuple[int, int, KpiMark]]


def _place_kpis(tokens: Sequence[Token], kpis: Sequence[KpiMark], first_line: int) -> dict[int, Spans]:
    """Each mark's span in a text token on its line, by the token's id (the tokens stay untouched)."""
    slots: dict[int, list[Token]] = {}
    for block in tokens:
        if block.type != "inline" or not block.map or not block.children:
            continue
        line = block.map[0]
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text":
                slots.setdefault(line, []).append(child)
    placed: dict[int, Spans] = {}
    for mark in kpis:
        # A value that is not on its line (markup splits it, stale line number) gets no badge rather than
        # a misleading one elsewhere.
        if mark.value_text:
            _find_value(slots.get(mark.line - first_line, ()), mark, placed)
    return placed


def _find_value(candidates: Sequence[Token], mark: KpiMark, placed: dict[int, Spans]) -> None:
    for tok in candidates:
        taken = placed.get(id(tok), [])
        start = tok.content.find(mark.value_text)
        while start >= 0:
            end = start + len(mark.value_text)
            free = all(end <= s or start >= e for s, e, _ in taken)
            if free and _bounded(tok.content, start, end):
                placed.setdefault(id(tok), []).append((start, end, mark))
                return
            start = tok.content.find(mark.value_text, start + 1)


@dataclass(slots=True)
class _Renderer:
    palette: Palette
    px: int
    query: re.Pattern[str] | None
    out: list[str] = field(default_factory=list)
    hits: int = 0
    links: list[int | None] = field(default_factory=list)  # out index of each open <a>, None if dropped
    kpis: dict[int, Spans] = field(default_factory=dict)  # _place_kpis

    def text(self, raw: str) -> None:
        """Escaped text with every query hit highlighted; the first hit carries the scroll anchor."""
        if self.query is None:
            self.out.append(_esc(raw))
            return
        pos = 0
        for match in self.query.finditer(raw):
            self.out.append(_esc(raw[pos : match.start()]))
            if self.hits == 0:
                anchor = '<a name="hit"></a>'
                # An anchor nested inside a link confuses Qt: put it before the link instead.
                open_link = next((i for i in reversed(self.links) if i is not None), None)
                if open_link is None:
                    self.out.append(anchor)
                else:
                    self.out.insert(open_link, anchor)
            self.hits += 1
            bg = self.palette.highlight_bg
            self.out.append(f'<span style="background-color:{bg}">{_esc(match.group())}</span>')
            pos = match.end()
        self.out.append(_esc(raw[pos:]))

    def kpi_text(self, tok: Token, spans: Spans) -> None:
        pos = 0
        for start, end, mark in sorted(spans, key=lambda span: span[0]):
            self.text(tok.content[pos:start])
            self.out.append(f'<span style="font-weight:bold; background-color:{self.palette.kpi_bg}">')
            self.text(tok.content[start:end])
            self.out.append("</span>")
            self.out.append(self.badge(mark))
            pos = end
        self.text(tok.content[pos:])

    def badge(self, mark: KpiMark) -> str:
        if mark.delta is None or not math.isfinite(mark.delta):
            return ""
        shown = _number(mark.delta)
        if mark.label is not None:
            label = mark.label
        elif shown == "0":
            label = "＝"
        else:
            unit = " pp" if mark.unit == "%" else mark.unit
            label = f"{'▲' if mark.delta > 0 else '▼'}{shown}{unit}"
        colour = self.palette.muted
        if mark.better is not None:
            colour = self.palette.better if mark.better else self.palette.worse
        size = max(round(self.px * 0.8), 8)
        return f' <span style="color:{colour}; font-size:{size}px; font-weight:normal">{_esc(label)}</span>'

    def inline(self, children: Sequence[Token]) -> None:
        for tok in children:
            kind = tok.type
            if kind == "text":
                spans = self.kpis.get(id(tok))
                if spans:
                    self.kpi_text(tok, spans)
                else:
                    self.text(tok.content)
            elif kind in ("softbreak", "hardbreak"):
                # Notion line breaks inside a block are real breaks, not wrapping.
                self.out.append("<br>")
            elif kind == "code_inline":
                self.out.append(f'<code style="background-color:{self.palette.code_bg}">')
                self.text(tok.content)
                self.out.append("</code>")
            elif kind == "link_open":
                href = str(tok.attrs.get("href", ""))
                if is_safe_external(href) or _is_relative(href):
                    self.links.append(len(self.out))
                    self.out.append(f'<a href="{_esc(href)}" style="color:{self.palette.link}">')
                else:
                    self.links.append(None)
            elif kind == "link_close":
                if self.links and self.links.pop() is not None:
                    self.out.append("</a>")
            elif kind == "image":
                # Never fetch anything: the viewer shows the alt text instead.
                alt = _plain(tok.children or ())
                self.out.append(f'<span style="color:{self.palette.muted}">[图片{": " if alt else ""}')
                self.text(alt)
                self.out.append("]</span>")
            elif kind == "html_inline" and tok.content.startswith(_CHECKBOX):
                # Only the task-list plugin emits html_inline (html is off); Qt has no form inputs.
                self.out.append("☑ " if 'checked="checked"' in tok.content else "☐ ")
            elif kind in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"):
                self.out.append(f"<{'/' if tok.nesting < 0 else ''}{tok.tag}>")
            elif tok.children:
                self.inline(tok.children)
            else:
                self.text(tok.content)

    def block(self, tok: Token) -> None:
        kind, p = tok.type, self.palette
        if kind == "inline":
            self.inline(tok.children or ())
        elif kind == "inline_plain":
            for n, piece in enumerate(tok.content.split("\n")):
                self.out.append("<br>" if n else "")
                self.text(piece)
        elif kind == "paragraph_open" and not tok.hidden:
            gap = round(self.px * 0.5)
            self.out.append(f'<p style="margin-top:0; margin-bottom:{gap}px; {_LINE_HEIGHT}">')
        elif kind == "paragraph_close" and not tok.hidden:
            self.out.append("</p>\n")
        elif kind == "heading_open":
            level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 6
            size = round(self.px * _HEADING_SCALE.get(level, 1.0))
            above, below = round(self.px * 0.9), round(self.px * 0.4)
            style = f"font-size:{size}px; margin-top:{above}px; margin-bottom:{below}px"
            self.out.append(f'<{tok.tag} style="{style}">')
        elif kind in ("bullet_list_open", "ordered_list_open"):
            style = "margin-top:2px; margin-bottom:2px"
            if "contains-task-list" in str(tok.attrs.get("class", "")):
                style += "; list-style-type:none"  # the ☑/☐ stands in for the bullet
            start = tok.attrs.get("start")
            start_attr = f' start="{int(start)}"' if isinstance(start, int) and start != 1 else ""
            self.out.append(f'<{tok.tag}{start_attr} style="{style}">\n')
        elif kind == "list_item_open":
            self.out.append(f'<li style="{_LINE_HEIGHT}">')
        elif kind == "blockquote_open":
            self.out.append(f'<blockquote style="color:{p.muted}; margin-left:{self.px}px">')
        elif kind in ("code_block", "fence"):
            # A one-cell table gives the code its padding and background; Qt ignores padding on <pre>.
            self.out.append(
                f'<table width="100%" border="0" cellspacing="0" cellpadding="8" bgcolor="{p.code_bg}">'
                '<tr><td><pre style="margin:0">'
            )
            self.text(tok.content.removesuffix("\n"))
            self.out.append("</pre></td></tr></table>\n")
        elif kind == "hr":
            self.out.append("<hr>\n")
        elif kind == "table_open":
            style = f"border-collapse:collapse; border-style:solid; border-color:{p.muted}; margin-bottom:8px"
            self.out.append(f'<table border="1" cellspacing="0" cellpadding="6" style="{style}">\n')
        elif kind in ("th_open", "td_open"):
            align = str(tok.attrs.get("style", "")).removeprefix("text-align:") or "left"
            bg = f' bgcolor="{p.code_bg}"' if kind == "th_open" else ""
            self.out.append(f'<{tok.tag} align="{_esc(align)}"{bg}>')
        elif kind.endswith("_close") and tok.tag and not tok.hidden:
            self.out.append(f"</{tok.tag}>\n")
        elif kind.endswith("_open") and tok.tag and not tok.hidden:
            self.out.append(f"<{tok.tag}>")
        elif tok.nesting == 0 and tok.content:
            self.out.append(f"<p>{_esc(tok.content)}</p>")  # html_block and anything unforeseen: as text


def more_offset(url: str) -> int | None:
    """The line to render from when the viewer's "show the rest" link (MORE_SCHEME:N) is clicked."""
    scheme, _, rest = str(url).partition(":")
    if scheme != MORE_SCHEME or not rest.isdigit() or len(rest) > 12:
        return None
    return int(rest)


def _part(lines: Sequence[str], start: int) -> tuple[int, str | None]:
    """Where the part from `start` ends: a blank line outside code near the bounds, else the bounds;
    and, when one line alone is over the bound, that line cut short."""
    chars = 0
    fence = ""
    cut = None
    stop = min(len(lines), start + RENDER_LINES)
    for i in range(start, stop):
        line = lines[i]
        chars += len(line) + 1
        if chars > RENDER_CHARS:
            if i == start:
                return start + 1, line[:RENDER_CHARS]
            return (cut if cut is not None else i), None
        opened = _FENCE_OPEN.match(line)
        if opened:
            marker = opened.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip().strip(marker[0]):
                fence = ""
        elif not line.strip() and not fence:
            cut = i
    if stop == len(lines):
        return stop, None
    return (cut if cut is not None and cut > start else stop), None


def _unparsed_tail(markdown: str, tokens: Sequence[Token], renderer: _Renderer) -> None:
    # Past the nesting limit markdown-it stops parsing: show what it left out as text, never drop it.
    if not tokens or all(t.level < _MAX_NESTING - 1 for t in tokens):
        return
    parsed = max((t.map[1] for t in tokens if t.map and t.nesting == 0), default=0)
    lines = markdown.split("\n")
    rest = "\n".join(lines[parsed:]).strip()
    if rest:
        renderer.out.append('<pre style="white-space:pre-wrap">')
        renderer.text(rest)
        renderer.out.append("</pre>\n")


def render_markdown(
    markdown: str,
    *,
    first_line: int = 1,
    kpis: Sequence[KpiMark] = (),
    highlight: str | None = None,
    palette: Palette = LIGHT,
    base_px: int = 15,
    start: int = 0,
    more_label: str = MORE_LABEL,
    blocks_after: Mapping[int, str] | None = None,
    top_html: str = "",
) -> str:
    """HTML for QTextBrowser.setHtml. `first_line` is the report line of the markdown's first line.

    A long markdown is rendered in parts of at most RENDER_LINES lines / RENDER_CHARS characters:
    `start` is the 0-based line of the markdown where this part begins, and a part that stops short
    ends with a link to MORE_SCHEME:N (N the line the next part starts at) labelled `more_label`.

    `blocks_after` maps a report line (a heading's or a topic bullet's) to HTML placed right after that
    line's block (the reviewer's notes under a section's heading); a line of this part that is not found
    puts its HTML at the part's top, so nothing handed in is ever left out. `top_html` goes on top of
    the first part.
    """
    try:
        lines = markdown.split("\n")
        start = min(max(int(start), 0), len(lines))
        end, cut_line = _part(lines, start)
        part = cut_line if cut_line is not None else "\n".join(lines[start:end])
        low, high = first_line + start, first_line + max(end, start + 1) - 1
        blocks = {line: b for line, b in (blocks_after or {}).items() if low <= line <= high}
        top = top_html if start == 0 else ""
        html = _render(part, first_line + start, kpis, highlight, palette, base_px, blocks, top)
        if end < len(lines):
            rest = len(lines) - end
            link = (
                f'<p><a href="{MORE_SCHEME}:{end}" style="color:{palette.link}">'
                f"{_esc(more_label.format(lines=rest))}</a></p>\n"
            )
            html = html.removesuffix("</body></html>") + link + "</body></html>"
        return html
    except Exception:
        # The viewer must always show something; plain escaped text beats an error dialog.
        text = markdown if isinstance(markdown, str) else ""
        return f"<html><body><pre>{_esc(text)}</pre></body></html>"


@functools.lru_cache(maxsize=8)
def _tokens(markdown: str) -> list[Token]:
    """The parse of a report's text, kept for the last few texts: the reader renders the same text
    again on every note added, text size or theme change, and on going back to a report. Rendering
    only reads the tokens (KPI badges are placed beside them), so they can be shared.
    """
    # Raw HTML is escaped, but a <br> in a table cell (common in exported tables) is meant as a line break:
    # carry it through the parser as a character of its own and turn it into <br> at the end.
    return _MD.parse(_HTML_BREAK.sub(_LINE_SEPARATOR, markdown))


def _render(
    markdown: str,
    first_line: int,
    kpis: Sequence[KpiMark],
    highlight: str | None,
    palette: Palette,
    base_px: int,
    blocks_after: Mapping[int, str] | None = None,
    top_html: str = "",
) -> str:
    px = min(max(int(base_px), 8), 72)
    # Each word of the query is highlighted, as search matches the words, not the phrase.
    terms = sorted(set((highlight or "").split()), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    tokens = _tokens(markdown)
    renderer = _Renderer(palette, px, pattern)
    if kpis:
        renderer.kpis = _place_kpis(tokens, kpis, first_line)
    pending = dict(blocks_after or {})
    opened: list[int | None] = []  # report line of each open heading or paragraph
    for tok in tokens:
        renderer.block(tok)
        if not pending:
            continue
        if tok.type in ("heading_open", "paragraph_open"):
            opened.append(tok.map[0] + first_line if tok.map else None)
        elif tok.type in ("heading_close", "paragraph_close") and opened:
            line = opened.pop()
            extra = pending.pop(line, None) if line is not None else None
            if extra:
                renderer.out.append(extra)
    top = top_html + "".join(pending.values())
    _unparsed_tail(markdown, tokens, renderer)
    body = f"font-size:{px}px; {_LINE_HEIGHT}; color:{palette.text}"
    html = top + "".join(renderer.out).replace(_LINE_SEPARATOR, "<br>")
    return f'<html><body style="{body}">\n{html}</body></html>'
