"""The reviewer's notes, prompts and read state as HTML for the reading pane (plain Python, no Qt).

Notes go right under their section's heading (render_markdown's `blocks_after`); prompts of earlier
follow-ups, the changed-since-read line, whole-report notes and notes whose section is not in view go on
top, so a note is never left off the page. Links use the `review:` scheme (`review:edit/<id>`, ...).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop.core.model import Section
from desktop.core.render import Palette
from desktop.review.store import Note
from desktop.ui.review.presenter import FollowUpPrompt

SCHEME = "review"


@dataclass(frozen=True, slots=True)
class PageWords:
    """The words on the page, translated by the caller."""

    edit: str = "edit"
    delete: str = "delete"
    close: str = "close"
    follow_up: str = "follow-up"
    closed: str = "closed"
    orphaned: str = "section not found; it quoted: %1"
    on_section: str = "on %1"
    changed: str = "Changed since you read it on %1."
    show_changes: str = "Show what changed"


def _colors(palette: Palette) -> tuple[str, str, str]:
    """Note background, its edge, a prompt's background."""
    dark = palette.text.lower() > "#888888"  # light text: a dark theme
    return ("#3b3314", "#9e7c1a", "#14304d") if dark else ("#fff8c5", "#d4a72c", "#ddf4ff")


def _link(action: str, note_id: str, text: str, palette: Palette) -> str:
    return (
        f'<a href="{SCHEME}:{action}/{html.escape(note_id)}" '
        f'style="color:{palette.link}; text-decoration:none">{html.escape(text)}</a>'
    )


def _note_line(note: Note, words: PageWords, palette: Palette, px: int, where: str = "") -> str:
    small = max(round(px * 0.8), 8)
    text = html.escape(note.text).replace("\n", "<br>")
    tags = []
    if note.follow_up:
        tags.append(words.closed if note.closed else words.follow_up)
    if where:
        tags.append(where)
    tag = f' <span style="color:{palette.muted}">[{html.escape(" · ".join(tags))}]</span>' if tags else ""
    links = [_link("edit", note.id, words.edit, palette), _link("delete", note.id, words.delete, palette)]
    if note.follow_up and note.closed is None:
        links.append(_link("close", note.id, words.close, palette))
    return f'✎ {text}{tag} <span style="font-size:{small}px">&nbsp; {" · ".join(links)}</span>'


def _block(lines: Sequence[str], bg: str, edge: str, px: int) -> str:
    if not lines:
        return ""
    body = "<br>".join(lines)
    return (
        f'<table width="100%" border="0" cellspacing="0" cellpadding="6" bgcolor="{bg}" '
        f'style="margin-top:2px; margin-bottom:8px; border-left:3px solid {edge}">'
        f'<tr><td style="font-size:{px}px">{body}</td></tr></table>\n'
    )


def section_lines(sections: Sequence[Section], notes: Mapping[str | None, Sequence[Note]]) -> dict[str, int]:
    """The first line of the section each note key names (the first section with that key)."""
    lines: dict[str, int] = {}
    for section in sections:
        if section.key in notes and section.key not in lines:
            lines[section.key] = section.first_line
    return lines


def page_html(
    *,
    notes: Mapping[str | None, Sequence[Note]],
    sections: Sequence[Section],
    whole_report: bool,
    prompts: Sequence[FollowUpPrompt],
    read_at: str | None,
    palette: Palette,
    px: int,
    words: PageWords,
) -> tuple[str, dict[int, str]]:
    """(HTML for the top, {section's first line: HTML under it}) for the page shown."""
    note_bg, edge, prompt_bg = _colors(palette)
    top: list[str] = []
    if read_at is not None:
        line = html.escape(words.changed.replace("%1", read_at[:16].replace("T", " ")))
        link = (
            f'<a href="{SCHEME}:changes/" style="color:{palette.link}">{html.escape(words.show_changes)}</a>'
        )
        top.append(_block([f"● {line} {link}"], prompt_bg, palette.link, px))
    if prompts:
        lines = [
            f"{html.escape(p.text)} &nbsp; "
            f'<span style="font-size:{max(round(px * 0.8), 8)}px">'
            f"{_link('close', p.note.id, words.close, palette)}</span>"
            for p in prompts
        ]
        top.append(_block(lines, prompt_bg, palette.link, px))
    found = section_lines(sections, notes)
    below: dict[int, list[str]] = {}
    head: list[str] = []
    for key, group in notes.items():
        for note in group:
            if key is None:
                where = ""
                if note.orphaned and note.section_key is not None:
                    where = words.orphaned.replace("%1", note.quote[:80] or note.section or "")
                head.append(_note_line(note, words, palette, px, where))
            elif key in found:
                below.setdefault(found[key], []).append(_note_line(note, words, palette, px))
            elif whole_report:
                # Its section is not in this report's outline as shown: on top, named, never dropped.
                where = words.on_section.replace("%1", note.section or key)
                head.append(_note_line(note, words, palette, px, where))
    top.append(_block(head, note_bg, edge, px))
    return "".join(top), {line: _block(items, note_bg, edge, px) for line, items in below.items()}
