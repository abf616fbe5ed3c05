"""Character-level diff for side-by-side views: Chinese has no spaces, so words cannot be the unit.

Lines are aligned first (cheap), then only similar replaced lines are diffed character by character.
Changed numbers are widened to whole tokens so `99.992` → `99.989` reads as one number replaced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

# Past these sizes the exact algorithms get slow (difflib is roughly quadratic), so we settle for coarser
# but still correct output: whole lines replaced instead of characters.
_LINE_PRODUCT_CAP = 500_000  # lines(old) × lines(new) for the exact line matcher
_MAX_LINES = 50_000  # beyond this even the junk-skipping matcher is too slow: replace wholesale
_PAIRING_CAP = 10_000  # lines × lines inside one replaced block for pairing similar lines
_PAIRING_BUDGET = 200_000  # … and over all blocks of one diff
_CHAR_PRODUCT_CAP = 250_000  # chars × chars for one character-level diff
_CHAR_BUDGET = 1_500_000  # … and over all lines of one diff
_LINE_PAIR_MIN = 0.5  # lines less similar than this are shown as deleted + inserted, not char-diffed
_NUMBER = re.compile(r"[+-]?\d[\d.,]*%?")


@dataclass(frozen=True, slots=True)
class Span:
    op: str  # "equal" | "insert" | "delete"
    text: str
    number: bool  # the changed text is a number token; the view emphasises it


class _Budget:
    """Work left for the costly steps of one diff; once spent, blocks are shown as replaced whole."""

    __slots__ = ("chars", "pairing")

    def __init__(self) -> None:
        self.chars = _CHAR_BUDGET
        self.pairing = _PAIRING_BUDGET


# A change region (i1, i2, j1, j2): old[i1:i2] became new[j1:j2]; text between regions is equal.
_Region = tuple[int, int, int, int]


def diff_text(old: str, new: str) -> tuple[list[Span], list[Span]]:
    """Spans for the old side (equal/delete) and the new side (equal/insert); never raises."""
    try:
        regions = _line_regions(old, new)
    except Exception:  # a diff must never take the view down; show everything as replaced
        regions = [(0, len(old), 0, len(new))] if old != new else []
    return _spans(old, new, regions)


def change_count(old_spans: Sequence[Span], new_spans: Sequence[Span]) -> int:
    """Number of separate changes: non-equal spans grouped by where they sit in the shared equal text."""
    places: set[int] = set()
    for spans in (old_spans, new_spans):
        offset = 0
        for span in spans:
            if span.op == "equal":
                offset += len(span.text)
            elif span.text:
                places.add(offset)
    return len(places)


def _line_regions(old: str, new: str) -> list[_Region]:
    if old == new:
        return []
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    a_starts = _offsets(a)
    b_starts = _offsets(b)
    # Common head and tail lines cost nothing to skip and keep repeated lines out of the matcher.
    lo = 0
    while lo < len(a) and lo < len(b) and a[lo] == b[lo]:
        lo += 1
    hi_a, hi_b = len(a), len(b)
    while hi_a > lo and hi_b > lo and a[hi_a - 1] == b[hi_b - 1]:
        hi_a -= 1
        hi_b -= 1
    core_a, core_b = a[lo:hi_a], b[lo:hi_b]
    if len(core_a) > _MAX_LINES or len(core_b) > _MAX_LINES:
        return [(a_starts[lo], a_starts[hi_a], b_starts[lo], b_starts[hi_b])]
    budget = _Budget()
    # Blank lines are junk: they may extend a match but not anchor one, else two rewritten paragraphs
    # come out as many changes cut at every shared blank line. autojunk also treats very frequent lines
    # as junk: less minimal, but bounded time on pathological input.
    huge = len(core_a) * len(core_b) > _LINE_PRODUCT_CAP
    matcher = SequenceMatcher(_blank, core_a, core_b, autojunk=huge)
    regions: list[_Region] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        oa, ob = a_starts[lo + i1], b_starts[lo + j1]
        if tag == "replace":
            regions.extend(_replace_regions(core_a[i1:i2], core_b[j1:j2], oa, ob, budget))
        else:
            regions.append((oa, a_starts[lo + i2], ob, b_starts[lo + j2]))
    return _widen_numbers(old, new, _merge(regions))


def _blank(line: str) -> bool:
    return not line.strip()


def _offsets(lines: Sequence[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _replace_regions(a: Sequence[str], b: Sequence[str], oa: int, ob: int, budget: _Budget) -> list[_Region]:
    """A replaced block of lines: pair similar lines (in order) and diff those by character."""
    a_starts = [oa + x for x in _offsets(a)]
    b_starts = [ob + x for x in _offsets(b)]
    whole = [(a_starts[0], a_starts[-1], b_starts[0], b_starts[-1])]
    cells = len(a) * len(b)
    if cells > _PAIRING_CAP or cells > budget.pairing:
        return whole
    budget.pairing -= cells
    pairs = _pair_lines(a, b)
    if not pairs:
        return whole
    regions: list[_Region] = []
    prev_i = prev_j = 0
    for i, j in [*pairs, (len(a), len(b))]:
        if a[prev_i:i] != b[prev_j:j]:  # unpaired lines between two pairs: replaced whole
            regions.append((a_starts[prev_i], a_starts[i], b_starts[prev_j], b_starts[j]))
        if i < len(a):
            regions.extend(_char_regions(a[i], b[j], a_starts[i], b_starts[j], budget))
        prev_i, prev_j = i + 1, j + 1
    return regions


def _pair_lines(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Order-preserving pairing that maximises total similarity (a weighted LCS), pairs ≥ _LINE_PAIR_MIN."""
    n, m = len(a), len(b)
    # Blank lines are not evidence of anything; pairing them would cut one rewrite into many changes.
    xs, ys = [x.strip() for x in a], [y.strip() for y in b]
    sim = [[Indel.normalized_similarity(x, y) if x and y else 0.0 for y in ys] for x in xs]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below, sims = best[i], best[i + 1], sim[i]
        for j in range(m - 1, -1, -1):
            take = below[j + 1] + sims[j] if sims[j] >= _LINE_PAIR_MIN else -1.0
            row[j] = max(take, below[j], row[j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        s = sim[i][j]
        if s >= _LINE_PAIR_MIN and best[i][j] == best[i + 1][j + 1] + s:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _char_regions(x: str, y: str, ox: int, oy: int, budget: _Budget) -> list[_Region]:
    if x == y:
        return []
    cost = len(x) * len(y)
    if cost > _CHAR_PRODUCT_CAP or cost > budget.chars:
        return [(ox, ox + len(x), oy, oy + len(y))]
    budget.chars -= cost
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    regions = [
        (ox + i1, ox + i2, oy + j1, oy + j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
    return _absorb_short_equals(regions)


def _absorb_short_equals(regions: list[_Region]) -> list[_Region]:
    """Fold a 1-2 character equal gap into the changes around it when both are much larger:
    a stray shared `的` or `，` inside a rewritten clause is noise, not information."""
    out: list[_Region] = []
    for region in regions:
        if out:
            p = out[-1]
            gap = region[0] - p[1]
            before = max(p[1] - p[0], p[3] - p[2])
            after = max(region[1] - region[0], region[3] - region[2])
            if gap <= 2 and gap * 3 <= min(before, after):
                out[-1] = (p[0], region[1], p[2], region[3])
                continue
        out.append(region)
    return out


def _merge(regions: list[_Region]) -> list[_Region]:
    out: list[_Region] = []
    for region in regions:
        if out and out[-1][1] == region[0] and out[-1][3] == region[2]:
            p = out[-1]
            out[-1] = (p[0], region[1], p[2], region[3])
        else:
            out.append(region)
    return out


def _is_num_char(text: str, k: int) -> bool:
    """Digits, and `.`/`,` only between digits (a decimal point, not a full stop)."""
    ch = text[k]
    if ch.isdigit() and ch.isascii():
        return True
    if ch in ".,":
        return 0 < k < len(text) - 1 and text[k - 1].isdigit() and text[k + 1].isdigit()
    return False


def _widen_numbers(old: str, new: str, regions: list[_Region]) -> list[_Region]:
    """Grow each change that touches a number to the whole number. Text between regions is the same on
    both sides, so growing by k characters into it moves both sides by k and keeps them aligned."""
    out: list[_Region] = []
    for i1, i2, j1, j2 in regions:
        floor = out[-1][1] if out else 0  # do not grow past the previous region
        touches = (i1 < i2 and _is_num_char(old, i1)) or (j1 < j2 and _is_num_char(new, j1))
        if touches:
            while i1 > floor and _is_num_char(old, i1 - 1):
                i1, j1 = i1 - 1, j1 - 1
        out.append((i1, i2, j1, j2))
    for k in range(len(out) - 1, -1, -1):
        i1, i2, j1, j2 = out[k]
        ceiling = out[k + 1][0] if k + 1 < len(out) else len(old)
        touches = (i1 < i2 and _is_num_char(old, i2 - 1)) or (j1 < j2 and _is_num_char(new, j2 - 1))
        if touches:
            while i2 < ceiling and _is_num_char(old, i2):
                i2, j2 = i2 + 1, j2 + 1
        out[k] = (i1, i2, j1, j2)
    return _merge(out)


def _spans(old: str, new: str, regions: list[_Region]) -> tuple[list[Span], list[Span]]:
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    pos_a = pos_b = 0
    for i1, i2, j1, j2 in regions:
        _add(old_spans, "equal", old[pos_a:i1])
        _add(new_spans, "equal", new[pos_b:j1])
        _add(old_spans, "delete", old[i1:i2])
        _add(new_spans, "insert", new[j1:j2])
        pos_a, pos_b = i2, j2
    _add(old_spans, "equal", old[pos_a:])
    _add(new_spans, "equal", new[pos_b:])
    return old_spans, new_spans


def _add(spans: list[Span], op: str, text: str) -> None:
    if not text:
        return
    number = op != "equal" and _NUMBER.fullmatch(text.strip()) is not None
    if spans and spans[-1].op == op and not number and not spans[-1].number:
        spans[-1] = Span(op, spans[-1].text + text, False)
    else:
        spans.append(Span(op, text, number))
