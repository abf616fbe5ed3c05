"""One topic across all weeks: which reports hold it, what changed between them, where it went quiet.

A topic is a section key as alignment normalizes it (`【贝易转（C转）】` and `【贝易转】` are one topic:
remarks in brackets do not count), an OKR code (`O2`), or a phrase found in the sections' text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.core.outline import okr_code, section_key

if TYPE_CHECKING:
    from desktop.core.textdiff import Span

# The same rule as alignment's: a remark in brackets is not part of the topic's name.
_PARENTHETICAL = re.compile(r"[（(][^（）()]*[)）]")
_OKR_ONLY = re.compile(r"^[Oo][1-9]$")
_LINE_CAP = 2_000  # lines per side compared line by line; beyond, the rest counts as new/dropped
_LINE_PAIR_MIN = 0.5  # a replaced line this similar to its counterpart is "changed", else dropped + new
_PAIRING_CAP = 10_000  # old × new lines of one replaced block paired by similarity; beyond, replaced whole
_PAIR_MAX_CHARS = 2_000  # a longer line is not paired by similarity (its cost grows with the square)
_SUGGESTIONS = 8


def topic_key(title: str) -> str:
    """The key a title files under in a timeline: its section key without bracketed remarks."""
    bare = section_key(_PARENTHETICAL.sub("", unicodedata.normalize("NFKC", title)))
    return bare or section_key(title)


@dataclass(frozen=True, slots=True)
class Topic:
    """What a TOPIC argument means: a key, an OKR code or a phrase."""

    kind: str  # "key" | "okr" | "phrase"
    value: str  # the topic key, the code (`O2`) or the phrase as typed

    @staticmethod
    def parse(text: str) -> Topic:
        """A title as written or a key (`【贝易转】`, `贝易转`), an OKR code alone, or else a phrase.

        Whether a key exists is the store's question; this only says how to look it up first.
        """
        stripped = unicodedata.normalize("NFKC", text).strip()
        if _OKR_ONLY.match(stripped):
            return Topic("okr", stripped.upper())
        return Topic("key", topic_key(stripped))

    def matches(self, title: str, okr: str | None = None) -> bool:
        if self.kind == "okr":
            return (okr or okr_code(title)) == self.value
        if self.kind == "key":
            return bool(self.value) and topic_key(title) == self.value
        return False


@dataclass(frozen=True, slots=True)
class Entry:
    """One report's section of the topic."""

    report: str
    label: str | None
    date: str
    iso_week: str
    team: str | None
    section: str  # the title as written that week
    index: int  # Section.index in its report
    key: str
    text: str

    def as_json(self) -> dict[str, object]:
        return {
            "report": self.report,
            "label": self.label,
            "date": self.date,
            "team": self.team,
            "section": self.section,
            "key": self.key,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class LineChange:
    old: str
    new: str
    old_spans: list[Span]
    new_spans: list[Span]


@dataclass(frozen=True, slots=True)
class Delta:
    """What an entry brings compared with the previous one; the first entry has everything new."""

    new: list[str] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.new or self.changed or self.dropped)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def entry_delta(previous: str | None, current: str) -> Delta:
    """Lines new, changed (with the compare view's character diff) and dropped since `previous`."""
    # Here, not at the top: listing a timeline (the command line) needs no diffing.
    from difflib import SequenceMatcher

    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    from desktop.core.textdiff import diff_text

    new_lines = _lines(current)
    if previous is None:
        return Delta(new=new_lines)
    old_lines = _lines(previous)
    # Beyond the cap lines are compared as sets: still linear, only coarser.
    head_old, tail_old = old_lines[:_LINE_CAP], old_lines[_LINE_CAP:]
    head_new, tail_new = new_lines[:_LINE_CAP], new_lines[_LINE_CAP:]
    delta = Delta()
    matcher = SequenceMatcher(None, head_old, head_new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = head_old[i1:i2], head_new[j1:j2]
        if len(olds) * len(news) > _PAIRING_CAP:
            delta.dropped.extend(olds)
            delta.new.extend(news)
            continue
        used: set[int] = set()
        for old in olds:
            best = None
            if news and len(old) <= _PAIR_MAX_CHARS:
                found = process.extractOne(
                    old,
                    [n if k not in used and len(n) <= _PAIR_MAX_CHARS else "" for k, n in enumerate(news)],
                    scorer=Indel.normalized_similarity,
                    score_cutoff=_LINE_PAIR_MIN,
                )
                best = found[2] if found else None
            if best is None:
                delta.dropped.append(old)
                continue
            used.add(best)
            old_spans, new_spans = diff_text(old, news[best])
            delta.changed.append(LineChange(old, news[best], old_spans, new_spans))
        delta.new.extend(n for k, n in enumerate(news) if k not in used)
    if tail_old or tail_new:
        before = set(tail_old)
        after = set(tail_new)
        delta.new.extend(n for n in tail_new if n not in before)
        delta.dropped.extend(o for o in tail_old if o not in after)
    return delta


def deltas(entries: Sequence[Entry], previous: Entry | None = None) -> list[Delta]:
    """One delta per entry, each against the entry before it (the first against `previous`)."""
    out = []
    before = previous.text if previous is not None else None
    for entry in entries:
        out.append(entry_delta(before, entry.text))
        before = entry.text
    return out


def gap_weeks(entry_weeks: Iterable[str], report_weeks: Iterable[str]) -> list[str]:
    """Weeks with reports but without the topic, from its first week on (so going quiet shows)."""
    have = set(entry_weeks)
    if not have:
        return []
    first = min(have)
    return sorted({w for w in report_weeks if w >= first and w not in have})


def closest(topic: str, titles: Iterable[str], limit: int = _SUGGESTIONS) -> list[str]:
    """Known titles nearest to an unknown topic, best first, one per key."""
    from rapidfuzz import process  # only for a topic not found
    from rapidfuzz.distance import Indel

    by_key: dict[str, str] = {}
    for title in titles:
        by_key.setdefault(topic_key(title), title)
    wanted = topic_key(topic) or topic
    found = process.extract(
        wanted, list(by_key), scorer=Indel.normalized_similarity, limit=limit, score_cutoff=0.3
    )
    return [by_key[key] for key, _score, _index in found]


# ---------------------------------------------------------------------------------------------- export


def _when(entry: Entry) -> str:
    label = entry.label or entry.iso_week
    return f"{label} ({entry.date})" if label != entry.date else entry.date


def _merged(entries: Sequence[Entry], gaps: Sequence[str]) -> list[Entry | str]:
    """Entries and gap weeks in one chronological list."""
    items: list[tuple[str, int, Entry | str]] = [(e.iso_week, 0, e) for e in entries]
    items.extend((g, 1, g) for g in gaps)
    items.sort(key=lambda item: (item[0], item[1]))
    return [item for _w, _k, item in items]


def to_markdown(title: str, entries: Sequence[Entry], gaps: Sequence[str]) -> str:
    out = [f"# {title}", ""]
    changes = dict(zip((id(e) for e in entries), deltas(entries), strict=True))
    for item in _merged(entries, gaps):
        if isinstance(item, str):
            out += [f"*{item}: not mentioned*", ""]
            continue
        team = f" · {item.team}" if item.team else ""
        out += [f"## {_when(item)}{team}: {item.section}", ""]
        delta = changes[id(item)]
        if entries and item is not entries[0]:
            if delta.same:
                out += ["*unchanged*", ""]
            out += [f"- new: {line}" for line in delta.new]
            out += [f"- changed: {c.old} → {c.new}" for c in delta.changed]
            out += [f"- dropped: ~~{line}~~" for line in delta.dropped]
            if not delta.same:
                out.append("")
        # Quoted, so the section's own headings stay inside its entry.
        out += [f"> {line}".rstrip() for line in item.text.rstrip().split("\n")] + [""]
    return "\n".join(out).rstrip() + "\n"


def _spans_html(spans: Sequence[Span]) -> str:
    parts = []
    for span in spans:
        text = html.escape(span.text)
        if span.op == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif span.op == "delete":
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(text)
    return "".join(parts)


def delta_html(delta: Delta) -> str:
    """The marks of one entry as an HTML list (the view and the export share it)."""
    rows = [f'<li class="new">+ {html.escape(line)}</li>' for line in delta.new]
    rows += [
        f'<li class="changed">~ {_spans_html(c.old_spans)} → {_spans_html(c.new_spans)}</li>'
        for c in delta.changed
    ]
    rows += [f'<li class="dropped">− <del>{html.escape(line)}</del></li>' for line in delta.dropped]
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:auto}"
    ".gap{color:#888;font-style:italic}.new{color:#1a7f37}.dropped{color:#cf222e}"
    "ins{background:#dafbe1;text-decoration:none}del{background:#ffebe9}"
    "pre{white-space:pre-wrap;background:#f6f8fa;padding:.5em}"
)


def to_html(title: str, entries: Sequence[Entry], gaps: Sequence[str]) -> str:
    changes = dict(zip((id(e) for e in entries), deltas(entries), strict=True))
    body = [f"<h1>{html.escape(title)}</h1>"]
    for item in _merged(entries, gaps):
        if isinstance(item, str):
            body.append(f'<p class="gap">{html.escape(item)}: not mentioned</p>')
            continue
        team = f" · {html.escape(item.team)}" if item.team else ""
        body.append(f"<h2>{html.escape(_when(item))}{team}: {html.escape(item.section)}</h2>")
        if entries and item is not entries[0]:
            marks = delta_html(changes[id(item)])
            body.append(marks or '<p class="gap">unchanged</p>')
        body.append(f"<pre>{html.escape(item.text.rstrip())}</pre>")
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
