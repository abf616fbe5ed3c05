"""Full-text search over sections that works for Chinese.

FTS5's trigram tokenizer finds any substring of three or more characters; a two-character query such
as `风控` matches nothing through it, so short queries scan the sections table instead. The index keeps
no positions (detail=none): it names the sections that hold every trigram of a term, and the query
keeps those whose text holds the term itself.

The query is the user's own text, never FTS syntax: control characters and lone surrogates separate
terms, and every term reaches FTS5 as a quoted string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import sqlite_utils

HIT_START, HIT_END = "\x02", "\x03"  # snippet markers; the CLI shows them as [ ], the window as highlight
_SNIPPET_CHARS = 60


@dataclass(frozen=True, slots=True)
class Hit:
    report: str
    label: str | None
    date: str
    section: str
    section_index: int
    line: int
    snippet: str  # with HIT_START/HIT_END around matches

    def as_json(self, start: str = "[", end: str = "]") -> dict[str, object]:
        return {
            "report": self.report,
            "label": self.label,
            "date": self.date,
            "section": self.section,
            "line": self.line,
            "snippet": self.snippet.replace(HIT_START, start).replace(HIT_END, end),
        }


MAX_TERMS = 16  # a pasted paragraph is not a query: further words are ignored
MAX_TERM_CHARS = 200


def _clean(char: str) -> str:
    # Control characters (NUL ends an FTS5 string early) and lone surrogates (not encodable for SQLite)
    # separate words, like the white space a user would have meant.
    return " " if unicodedata.category(char) in ("Cc", "Cs") else char


def _terms(query: str) -> list[str]:
    cleaned = "".join(_clean(c) for c in query) if not query.isprintable() else query
    terms = list(dict.fromkeys(t[:MAX_TERM_CHARS] for t in cleaned.split()))  # once each, in order
    return terms[:MAX_TERMS]


def _trigrams(term: str) -> list[str]:
    """Trigrams that together cover the term (every third one, and the last)."""
    starts = sorted({*range(0, len(term) - 2, 3), len(term) - 3})
    return [term[i : i + 3] for i in starts]


def fts_expression(terms: list[str]) -> str:
    """Each term's trigrams as FTS5 string literals, so `99.9`, `risk-api` or `"` never reach the syntax."""
    grams = dict.fromkeys(g for t in terms for g in _trigrams(t))
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def _has_case(term: str) -> bool:
    return term != term.casefold() or term != term.upper()


def _folded(column: str, term: str) -> str:
    # lower() costs more than instr itself, so it is only used for terms with letters that have case.
    return f"lower({column})" if _has_case(term) else column


def _snippet(text: str, terms: list[str]) -> tuple[str, int]:
    """A window of text around the first match with every match marked; and the match's line offset."""
    lowered = text.casefold()
    positions = [(lowered.find(t.casefold()), t) for t in terms]
    found = [(p, t) for p, t in positions if p >= 0]
    first = min((p for p, _ in found), default=0)
    start = max(0, first - _SNIPPET_CHARS // 2)
    end = min(len(text), first + _SNIPPET_CHARS)
    window = re.sub(r"\s+", " ", text[start:end])
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{HIT_START}{m.group(0)}{HIT_END}", window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + marked + suffix, text.count("\n", 0, first)


def search(db: sqlite_utils.Database, query: str, limit: int = 50) -> list[Hit]:
    terms = _terms(query)
    if not terms:
        return []
    stale = db.execute("SELECT 1 FROM meta WHERE key = 'fts' AND value = 'stale'").fetchone() is not None
    # While a large folder is loaded the index is rebuilt only at the end: scan meanwhile.
    # instr, not LIKE: no wildcards to escape.
    if all(len(t) >= 3 for t in terms) and not stale:
        # SQLite's lower() folds ASCII letters only, the trigram index every letter: a term with other
        # cased letters (Größe, Ошибка) is left to the index alone rather than lost.
        checked = [t for t in terms if t.isascii() or not _has_case(t)]
        check = "".join(f" AND instr({_folded('s.markdown', t)}, ?) > 0" for t in checked)
        rows = db.execute(
            "SELECT s.report, r.label, r.date, s.title, s.idx, s.first_line, s.markdown"
            " FROM sections_fts f JOIN sections s ON s.id = f.rowid JOIN reports r ON r.path = s.report"
            f" WHERE sections_fts MATCH ?{check} ORDER BY f.rank LIMIT ?",
            [fts_expression(terms), *(t.casefold() for t in checked), limit],
        ).fetchall()
    else:
        # Short terms: scan, and rank by how often they occur.
        conditions = " AND ".join(f"instr({_folded('s.markdown', t)}, ?) > 0" for t in terms)
        score = " + ".join(
            f"(length(s.markdown) - length(replace({_folded('s.markdown', t)}, ?, ''))) / {len(t)}"
            for t in terms
        )
        params: list[object] = [t.casefold() for t in terms] + [t.casefold() for t in terms] + [limit]
        rows = db.execute(
            f"SELECT s.report, r.label, r.date, s.title, s.idx, s.first_line, s.markdown, ({score}) AS score"
            f" FROM sections s JOIN reports r ON r.path = s.report WHERE {conditions}"
            " ORDER BY score DESC, r.date DESC LIMIT ?",
            params,
        ).fetchall()
    hits = []
    for report, label, date, title, idx, first_line, markdown, *_ in rows:
        snippet, offset = _snippet(markdown, terms)
        hits.append(Hit(report, label, date, title, idx, first_line + offset, snippet))
    return hits
