"""Full-text search over sections that works for Chinese.

FTS5's trigram tokenizer finds any substring of three or more characters. A one- or two-character term
such as `风控` is found through the index's own list of trigrams: every trigram that begins with it. The
index keeps no positions (detail=none): it names the sections that hold every trigram of a term, and
the search keeps those whose text holds the term itself.

The query is the user's own text, never FTS syntax: control characters and lone surrogates separate
terms, and every term reaches FTS5 as a quoted string.
"""

from __future__ import annotations

import heapq
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.store.schema import FTS_ZONE

if TYPE_CHECKING:
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
MAX_EXPANSIONS = 2000  # trigrams a one- or two-character term may stand for before a scan is cheaper


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
    """An FTS5 query for sections that may hold every term of 3+ characters: each one's trigrams.

    The index keeps no positions, so this names a superset: check the text for the term as well.
    """
    grams = dict.fromkeys(g for t in terms for g in _trigrams(t))
    return " AND ".join(_literal(g) for g in grams)


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


def _expansions(db: sqlite_utils.Database, term: str) -> list[str] | None:
    """The index's trigrams that begin with a one- or two-character term; None when too many to use.

    Every section is indexed with two newlines after it, so each occurrence of the term begins one.
    """
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.sections_vocab USING fts5vocab(main, sections_fts, row)"
    )
    folded = term.lower()  # as the tokenizer folds
    rows = db.execute(
        "SELECT term FROM temp.sections_vocab WHERE term >= ? AND term < ? LIMIT ?",
        [folded, folded + "\U0010ffff", MAX_EXPANSIONS + 1],
    ).fetchall()
    return None if len(rows) > MAX_EXPANSIONS else [str(r[0]) for r in rows]


def _literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _index_expression(db: sqlite_utils.Database, terms: list[str]) -> str | None:
    """An FTS5 query for the sections that may hold every term; "" when none can; None: scan instead.

    A short term that too many trigrams begin with is left to the text check: the other terms narrow
    the candidates. Only when every term is such a one is the whole text scanned (and then hits are
    many, and come soon).
    """
    parts = []
    for term in terms:
        if len(term) >= 3:
            parts.append(fts_expression([term]))
            continue
        grams = _expansions(db, term)
        if grams is None:
            continue
        if not grams:
            return ""
        parts.append("(" + " OR ".join(_literal(g) for g in grams) + ")")
    return " AND ".join(parts) if parts else None


def search(db: sqlite_utils.Database, query: str, limit: int = 50) -> list[Hit]:
    """Sections holding every term (in any case), newest report first."""
    terms = _terms(query)
    if not terms:
        return []
    stale = db.execute("SELECT 1 FROM meta WHERE key = 'fts' AND value = 'stale'").fetchone() is not None
    # While a large folder is loaded the index is rebuilt only at the end: scan meanwhile.
    expression = None if stale else _index_expression(db, terms)
    if expression == "":
        return []
    # Section ids sort newest report first (cache.py), so both ways read candidates in the order
    # wanted and stop once there are enough hits. bm25 is not used: without positions it would
    # tokenize every match again.
    ids: Iterator[tuple[int]]
    if expression is not None:
        ids = _indexed_ids(db, expression)
    else:
        # instr, not LIKE: no wildcards to escape. SQLite's lower() folds ASCII letters only; the check
        # in _hits folds the rest.
        sure = [t for t in terms if t.isascii() or not _has_case(t)]
        conditions = " AND ".join(f"instr({_folded('markdown', t)}, ?) > 0" for t in sure)
        ids = db.execute(
            f"SELECT id FROM sections WHERE {conditions or '1'} ORDER BY id", [t.casefold() for t in sure]
        )
    return _hits(db, ids, terms, limit)


def _indexed_ids(db: sqlite_utils.Database, expression: str) -> Iterator[tuple[int]]:
    """The section ids the index names, in id order: its two zones of row numbers (schema.py), merged."""
    # CROSS JOIN: the index leads, in its own row order, and each row number is looked up.
    ranked = db.execute(
        "SELECT f.section FROM sections_fts CROSS JOIN fts_rows f ON f.id = sections_fts.rowid"
        " WHERE sections_fts MATCH ? AND sections_fts.rowid < ? ORDER BY sections_fts.rowid",
        [expression, FTS_ZONE],
    )
    since = db.execute(
        "SELECT rowid - ? FROM sections_fts WHERE sections_fts MATCH ? AND rowid >= ? ORDER BY rowid",
        [FTS_ZONE, expression, FTS_ZONE],
    )
    return heapq.merge(ranked, since)


def _hits(db: sqlite_utils.Database, ids: Iterator[tuple[int]], terms: list[str], limit: int) -> list[Hit]:
    folded = [t.casefold() for t in terms]
    hits: list[Hit] = []
    step = limit + 16
    while len(hits) < limit:
        batch = [int(i) for (i,) in itertools.islice(ids, step)]
        if not batch:
            break
        step = min(step * 4, 4096)  # few candidates fail the check: grow only when they do
        rows = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT s.id, s.report, r.label, r.date, s.title, s.idx, s.first_line, s.markdown"
                " FROM sections s JOIN reports r ON r.path = s.report"
                f" WHERE s.id IN ({', '.join('?' * len(batch))})",
                batch,
            )
        }
        for section_id in batch:
            row = rows.get(section_id)
            if row is None:  # an index entry whose section is gone (never expected): no hit
                continue
            report, label, date, title, idx, first_line, markdown = row
            # The index names sections holding each trigram of a term, not always the term itself (and
            # rows of sections since rewritten: schema.py). No text: the file is not as indexed.
            if markdown is None or not all(t in markdown.casefold() for t in folded):
                continue
            snippet, offset = _snippet(markdown, terms)
            hits.append(Hit(report, label, date, title, idx, first_line + offset, snippet))
            if len(hits) >= limit:
                break
    return hits
