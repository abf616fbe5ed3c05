"""A comparison of two weeks as HTML: for the side-by-side QTextBrowser and for export.

Sections sit in ONE two-column table, one row per section pair, so both sides stay aligned and a single
scroll bar moves them together. Inside a pair, a character diff: deletions struck through on a red-ish
background on the left, insertions on a green-ish background on the right, changed numbers in bold.
Only the rich-text subset of Qt is used (see `render.py`). Pure Python: no Qt here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from desktop.core.compare import Comparison, MetricDelta, PlanCheck, SectionPair
from desktop.core.kpis import Change
from desktop.core.model import Report, Section
from desktop.core.render import Palette
from desktop.core.textdiff import Span, diff_text

SECTION_SCHEME = "section"  # links `section:L3` / `section:R3` open a section in the reader
_TAB = "    "
_MARKER = re.compile(r"#{1,6}\s+|[-*+]\s+")  # of a heading or a topic bullet, at the title's start
_TABLE = "border-collapse:collapse; border-style:solid"
_NUMBER_TD = '<td align="right" valign="middle"'
# Exported pages name CJK fonts first so Latin and Chinese share one font's metrics (rows line up).
_CJK_FONTS = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"


@dataclass(frozen=True, slots=True)
class CompareLabels:
    """The words the HTML shows; the view passes translated ones."""

    metric: str = "Metric"
    delta: str = "Δ"
    kpis: str = "Key figures"
    plan: str = "Last week's plan"
    sections: str = "Sections"
    added: str = "new"
    removed: str = "removed"
    renamed: str = "renamed"
    manual: str = "paired by hand"
    gone: str = "gone"  # a metric only the older week reports
    done: str = "done"
    in_progress: str = "in progress"
    not_found: str = "not found"
    line: str = "line"
    no_sections: str = "Neither report has sections."


@dataclass(frozen=True, slots=True)
class CompareDocument:
    html: str
    change_count: int  # anchors `change-0` … `change-{n-1}`, in row order
    changes: tuple[SectionPair, ...]  # the pair of each change anchor
    rows: tuple[SectionPair, ...]  # the pairs shown, in table order (row k+1 of the section table)


@dataclass(frozen=True, slots=True)
class _Colors:
    delete_bg: str
    insert_bg: str
    empty_bg: str
    border: str
    page_bg: str  # set on the body so the text stays readable whatever the application's palette


def _is_dark(palette: Palette) -> bool:
    try:
        r, g, b = (int(palette.text.lstrip("#")[k : k + 2], 16) for k in (0, 2, 4))
    except ValueError:
        return False
    return r * 0.299 + g * 0.587 + b * 0.114 > 128  # light text: dark background


def _colors(palette: Palette) -> _Colors:
    if _is_dark(palette):
        return _Colors("#6b2b2e", "#1d5a30", empty_bg="#1f2329", border="#3d444d", page_bg="#16191d")
    return _Colors("#ffcfcc", "#c6f0d0", empty_bg="#f6f8fa", border="#d0d7de", page_bg="#ffffff")


# -------------------------------------------------------------------------------------------- formatting


def format_number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text}{unit}"


def format_delta(metric: MetricDelta) -> str:
    """`▼ -0.003 pp` for a % metric (percentage points), `▲ +3条`, `＝ 0`, `—` without a delta."""
    if metric.delta is None or not math.isfinite(metric.delta):
        return "—"
    return Change(metric.delta, metric.unit, metric.direction or "neutral").label(signed=True, spaced=True)


def ordered_metrics(metrics: Sequence[MetricDelta], changes_only: bool) -> list[MetricDelta]:
    """Metrics both weeks report first (the comparison proper), then those of one week only;
    `changes_only` leaves out the unchanged ones."""
    shown = [m for m in metrics if not (changes_only and m.direction == "same")]
    return sorted(shown, key=lambda m: m.left is None or m.right is None)


def direction_color(direction: str | None, palette: Palette) -> str:
    return {"better": palette.better, "worse": palette.worse}.get(direction or "", palette.muted)


def plan_mark(status: str) -> str:
    return {"done": "✓", "in_progress": "…", "not_found": "✗"}.get(status, "?")


def plan_color(status: str, palette: Palette) -> str:
    return {"done": palette.better, "not_found": palette.worse}.get(status, palette.muted)


def side_name(report: Report) -> str:
    """`2024-W24 · 2024-06-14`: the week as the author wrote it and its date."""
    return f"{report.label or report.title or report.path} · {report.date}"


def _esc(text: str) -> str:
    return escape(text, quote=True)


# --------------------------------------------------------------------------------------------- the diff


def _display_text(section: Section) -> str:
    """A section's Markdown as the reader thinks of it: the title without its `##` or `-` marker, and a
    topic's lines dedented by the bullet's nesting."""
    first, sep, rest = section.markdown.replace("\t", _TAB).partition("\n")
    first = _MARKER.sub("", first.strip(), count=1)
    if section.kind == "topic" and rest:
        lines = rest.split("\n")
        cut = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
        rest = "\n".join(x[cut:] for x in lines)
    return first + sep + rest


@dataclass(slots=True)
class _Lines:
    """Where the writer is: line number, and whether at the start of that line (for indentation)."""

    number: int = 0
    at_start: bool = True


def _text_html(text: str, where: _Lines, style: str) -> str:
    """Escaped text keeping line breaks and indentation, each line's text (not its indentation) in a
    span with `style` if given; the first line (the title) in bold."""
    out: list[str] = []
    for k, line in enumerate(text.split("\n")):
        if k:
            out.append("<br>\n")
            where.number += 1
            where.at_start = True
        if where.at_start:
            stripped = line.lstrip(" ")
            # Four spaces of Markdown nesting show as two: a half-width column has no room to spare.
            out.append("&nbsp;" * ((len(line) - len(stripped) + 1) // 2))
            line = stripped
        if line:
            html = _esc(line).replace("  ", " &nbsp;")
            html = f'<span style="{style}">{html}</span>' if style else html
            out.append(f"<b>{html}</b>" if where.number == 0 else html)
            where.at_start = False
    return "".join(out)


def _spans_html(spans: list[Span], colors: _Colors, muted: str | None) -> str:
    out: list[str] = []
    where = _Lines()
    for k, span in enumerate(spans):
        style = ""
        if span.op != "equal":
            bg = colors.delete_bg if span.op == "delete" else colors.insert_bg
            style = f"background-color:{bg}"
            if span.op == "delete":
                style += "; text-decoration:line-through"
            if span.number:
                style += "; font-weight:bold"
        text = span.text.rstrip("\n") if k == len(spans) - 1 else span.text
        out.append(_text_html(text, where, style))
    html = "".join(out)
    return f'<span style="color:{muted}">{html}</span>' if muted else html


# -------------------------------------------------------------------------------------------------- parts


def _kpi_table(comparison: Comparison, palette: Palette, labels: CompareLabels, changes_only: bool) -> str:
    metrics = ordered_metrics(comparison.metrics, changes_only)
    if not metrics:
        return ""
    head = (labels.metric, side_name(comparison.left), side_name(comparison.right), labels.delta)
    out = [
        f"<h3>{_esc(labels.kpis)}</h3>",
        f'<table border="1" cellspacing="0" cellpadding="5" style="{_TABLE}; border-color:{palette.muted}; '
        'margin-bottom:12px">',
        "<tr>" + "".join(f'<th bgcolor="{palette.code_bg}" align="left">{_esc(h)}</th>' for h in head),
    ]
    for m in metrics:
        delta = format_delta(m)
        if m.left is None or m.right is None:
            delta = labels.added if m.left is None else labels.gone
        color = direction_color(m.direction, palette)
        out.append(
            f'<tr><td valign="middle">{_esc(m.metric)}</td>'
            f"{_NUMBER_TD}>{_esc(format_number(m.left, m.left_shown_unit))}</td>"
            f"{_NUMBER_TD}>{_esc(format_number(m.right, m.unit))}</td>"
            f'{_NUMBER_TD} style="color:{color}; white-space:nowrap">{_esc(delta)}</td></tr>'
        )
    out.append("</table>")
    return "\n".join(out)


def _plan_list(plan: list[PlanCheck], palette: Palette, labels: CompareLabels) -> str:
    if not plan:
        return ""
    words = {"done": labels.done, "in_progress": labels.in_progress, "not_found": labels.not_found}
    out = [f"<h3>{_esc(labels.plan)}</h3>", '<table border="0" cellspacing="0" cellpadding="3">']
    for check in plan:
        color = plan_color(check.status, palette)
        status = f"{plan_mark(check.status)} {words.get(check.status, check.status)}"
        evidence = ""
        if check.evidence:
            where = f"{labels.line} {check.evidence_line}: " if check.evidence_line else ""
            evidence = f'<br><span style="color:{palette.muted}">{_esc(where + check.evidence)}</span>'
        out.append(
            f'<tr><td valign="top" style="color:{color}; white-space:nowrap">{_esc(status)}</td>'
            f"<td>{_esc(check.item)}{evidence}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _tag(text: str, color: str, px: int) -> str:
    return f' <span style="color:{color}; font-size:{px}px">[{_esc(text)}]</span>'


@dataclass(frozen=True, slots=True)
class _Ctx:
    palette: Palette
    colors: _Colors
    labels: CompareLabels
    links: bool
    small_px: int


def _cell(ctx: _Ctx, side: str, index: int | None, body: str, tags: str, anchor: str) -> str:
    if index is None:
        return f'<td width="50%" valign="top" bgcolor="{ctx.colors.empty_bg}">{anchor}&nbsp;</td>'
    tail = tags
    if ctx.links:
        tail += (
            f' <a href="{SECTION_SCHEME}:{side}{index}" '
            f'style="color:{ctx.palette.link}; font-size:{ctx.small_px}px; text-decoration:none">↗</a>'
        )
    # Tags and the link to the reader go at the end of the title line.
    body = body.replace("<br>", f"{tail}<br>", 1) if "<br>" in body else body + tail
    return f'<td width="50%" valign="top">{anchor}{body}</td>'


def _tags(ctx: _Ctx, comparison: Comparison, pair: SectionPair) -> tuple[str, str]:
    p, labels, px = ctx.palette, ctx.labels, ctx.small_px
    if pair.left is None:
        return "", _tag(labels.added, p.better, px)
    if pair.right is None:
        return _tag(labels.removed, p.worse, px), ""
    if pair.how == "manual":
        return "", _tag(labels.manual, p.muted, px)
    if comparison.left.sections[pair.left].title != comparison.right.sections[pair.right].title:
        return "", _tag(labels.renamed, p.muted, px)
    return "", ""


# The reviewer's notes: ("L" or "R", section index, or -1 for the whole report) -> their texts.
CompareNotes = Mapping[tuple[str, int], Sequence[str]]


def notes_html(texts: Sequence[str], palette: Palette, px: int) -> str:
    """The reviewer's notes as a tinted block, for under a section (the viewer and the comparison)."""
    if not texts:
        return ""
    bg, edge = ("#3b3314", "#9e7c1a") if _is_dark(palette) else ("#fff8c5", "#d4a72c")
    items = "<br>".join(f"✎ {_esc(t)}".replace("\n", "<br>") for t in texts)
    return (
        f'<table width="100%" border="0" cellspacing="0" cellpadding="6" bgcolor="{bg}" '
        f'style="margin-top:4px; margin-bottom:6px; border-left:3px solid {edge}">'
        f'<tr><td style="font-size:{px}px; color:{palette.text}">{items}</td></tr></table>'
    )


def _note_cell(ctx: _Ctx, notes: CompareNotes | None, side: str, index: int | None) -> str:
    if not notes or index is None:
        return ""
    return notes_html(notes.get((side, index), ()), ctx.palette, ctx.small_px)


def _section_rows(
    ctx: _Ctx, comparison: Comparison, changes_only: bool, notes: CompareNotes | None = None
) -> tuple[list[str], list[SectionPair], list[SectionPair]]:
    left, right = comparison.left, comparison.right
    rows: list[str] = []
    shown: list[SectionPair] = []
    changes: list[SectionPair] = []
    for pair in comparison.pairs:
        changed = pair.status != "unchanged"
        if changes_only and not changed:
            continue
        old = _display_text(left.sections[pair.left]) if pair.left is not None else ""
        new = _display_text(right.sections[pair.right]) if pair.right is not None else ""
        if pair.left is None or pair.right is None:
            old_spans, new_spans = [Span("equal", old, False)], [Span("equal", new, False)]
        else:
            old_spans, new_spans = diff_text(old, new)
        muted = None if changed else ctx.palette.muted
        left_tags, right_tags = _tags(ctx, comparison, pair)
        anchor = f'<a name="change-{len(changes)}"></a>' if changed else ""
        if changed:
            changes.append(pair)
        shown.append(pair)
        left_body = _spans_html(old_spans, ctx.colors, muted) + _note_cell(ctx, notes, "L", pair.left)
        right_body = _spans_html(new_spans, ctx.colors, muted) + _note_cell(ctx, notes, "R", pair.right)
        rows.append(
            "<tr>"
            + _cell(ctx, "L", pair.left, left_body, left_tags, anchor)
            + _cell(ctx, "R", pair.right, right_body, right_tags, "")
            + "</tr>"
        )
    return rows, shown, changes


def comparison_html(
    comparison: Comparison,
    *,
    changes_only: bool,
    palette: Palette,
    base_px: int,
    standalone: bool,
    summary: bool = True,
    labels: CompareLabels | None = None,
    notes: CompareNotes | None = None,
) -> CompareDocument:
    """The comparison as HTML. `summary` adds the key-figure table and the plan check above the sections;
    `standalone` makes a complete UTF-8 page for export (inline styles, no links, nothing to load).
    `notes` puts the reviewer's notes under their sections (whole-report notes in a row on top)."""
    labels = labels or CompareLabels()
    px = min(max(int(base_px), 8), 72)
    colors = _colors(palette)
    ctx = _Ctx(palette, colors, labels, not standalone, max(round(px * 0.8), 8))
    rows, shown, changes = _section_rows(ctx, comparison, changes_only, notes)
    whole = [_note_cell(ctx, notes, side, -1) for side in ("L", "R")]
    parts: list[str] = []
    if standalone:
        title = f"{side_name(comparison.left)} → {side_name(comparison.right)}"
        parts.append(f'<h2 style="margin-top:0">{_esc(title)}</h2>')
    if summary:
        parts.append(_kpi_table(comparison, palette, labels, changes_only))
        parts.append(_plan_list(comparison.plan, palette, labels))
        parts.append(f"<h3>{_esc(labels.sections)}</h3>")
    table = (
        '<table width="100%" border="1" cellspacing="0" cellpadding="6" '
        f'style="{_TABLE}; border-color:{colors.border}">'
    )
    parts.append(table)
    parts.append(
        "<tr>"
        + "".join(
            f'<th width="50%" align="left" bgcolor="{palette.code_bg}">{_esc(side_name(r))}</th>'
            for r in (comparison.left, comparison.right)
        )
        + "</tr>"
    )
    if any(whole):  # whole-report notes sit with the header, so the rows stay one per section pair
        parts.append("<tr>" + "".join(f'<td width="50%" valign="top">{w}</td>' for w in whole) + "</tr>")
    # In the window every row is a table of its own: Qt lays out a table in one go, but a document of
    # many tables a screenful at a time, so the first rows show at once and the rest follow.
    parts.append("\n".join(rows) if standalone else "".join(f"</table>\n{table}{row}" for row in rows))
    if not comparison.pairs:
        parts.append(
            f'<tr><td colspan="2" style="color:{palette.muted}">{_esc(labels.no_sections)}</td></tr>'
        )
    parts.append("</table>")
    style = f"font-size:{px}px; line-height:150%; color:{palette.text}"
    body = "\n".join(p for p in parts if p)
    if standalone:
        page = f"{style}; background-color:{colors.page_bg}; margin:24px; font-family:{_CJK_FONTS}"
        title = _esc(f"{side_name(comparison.left)} → {side_name(comparison.right)}")
        html = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{title}</title></head>\n"
            f'<body style="{page}">\n{body}\n</body></html>\n'
        )
    else:
        html = f'<html><body bgcolor="{colors.page_bg}" style="{style}">\n{body}\n</body></html>'
    return CompareDocument(html, len(changes), tuple(changes), tuple(shown))
