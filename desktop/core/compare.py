"""Compare two weeks: sections aligned across renames, metric deltas, and last week's plan checked.

Left is the older report and right the newer one; the caller decides which is which.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from desktop.core.kpis import change, comparable
from desktop.core.model import Metric, PlanItem, Report, Section
from desktop.core.outline import section_key

# Titles scoring below this never pair by title. Across the sample weeks unrelated topics reach 0.57
# (`银行账户架构` / `银行账户合作沟通`) while true renames score 0.75+ (`贝易转（C转）` / `贝易转`).
TITLE_MIN = 0.7
# Pairing by text alone is a last resort for a renamed section whose text barely moved; unrelated
# sections of the samples stay below 0.35.
CONTENT_MIN = 0.6
_CONTENT_MIN_CHARS = 20  # two short or empty bodies look alike without being the same topic
# Bounds on work for absurd inputs (real reports have tens of sections): fuzzy passes over more
# left × right leftovers than this are skipped, and huge groups of equal titles pair in order.
_FUZZY_PASS_CAP = 40_000
_GROUP_CAP = 400

_PARENTHETICAL = re.compile(r"[（(][^（）()]*[)）]")
# Sections whose role is the same every week even when the author rewords the title.
_ROLES = (
    re.compile(r"下周|下一周|next\s*week", re.I),
    re.compile(r"收获|反思|心得|感悟", re.I),
    re.compile(r"生产(稳定性)?事件|事故|故障|incidents?", re.I),
)


@dataclass(frozen=True, slots=True)
class SectionPair:
    left: int | None  # Section.index in the left report, None when added
    right: int | None  # None when removed
    status: str  # "unchanged" | "changed" | "added" | "removed"
    similarity: float  # 0..1 similarity of the paired bodies; 1.0 unchanged, 0.0 added/removed
    how: str  # "key" | "okr" | "title" | "content" | "manual" | "" — why they were paired


@dataclass(frozen=True, slots=True)
class MetricDelta:
    metric: str
    left: float | None
    right: float | None
    delta: float | None  # right − left; percentage points for "%" metrics
    unit: str
    direction: str | None  # "better" | "worse" | "same" | None (unknown direction or one side missing)
    left_unit: str | None = None  # the left value's own unit, when it is not comparable with `unit`

    @property
    def left_shown_unit(self) -> str:
        return self.unit if self.left_unit is None else self.left_unit


@dataclass(frozen=True, slots=True)
class PlanCheck:
    item: str
    status: str  # "done" | "in_progress" | "not_found"
    evidence: str | None  # the line of the newer report that shows it
    evidence_line: int | None


@dataclass(frozen=True, slots=True)
class Comparison:
    left: Report
    right: Report
    pairs: list[SectionPair]
    metrics: list[MetricDelta]
    plan: list[PlanCheck]

    def to_json(self, report_json: Callable[[Report], dict[str, object]]) -> dict[str, object]:
        def title(report: Report, index: int | None) -> str | None:
            return report.sections[index].title if index is not None else None

        return {
            "left": report_json(self.left),
            "right": report_json(self.right),
            "pairs": [
                {
                    "left": title(self.left, p.left),
                    "right": title(self.right, p.right),
                    "status": p.status,
                    "similarity": round(p.similarity, 3),
                }
                for p in self.pairs
            ],
            "metrics": [
                {
                    "metric": m.metric,
                    "left": m.left,
                    "right": m.right,
                    "delta": m.delta,
                    "direction": m.direction,
                }
                for m in self.metrics
            ],
            "plan": [{"item": c.item, "status": c.status, "evidence": c.evidence} for c in self.plan],
        }


def compare_reports(
    left: Report,
    right: Report,
    higher_is_better: Callable[[str], bool | None],
    *,
    forced: Sequence[tuple[int, int]] = (),
    separated: Sequence[tuple[int, int]] = (),
) -> Comparison:
    return Comparison(
        left=left,
        right=right,
        pairs=align_sections(left.sections, right.sections, forced=forced, separated=separated),
        metrics=compare_metrics(left.metrics, right.metrics, higher_is_better),
        plan=check_plan(left.plans, right),
    )


# ---------------------------------------------------------------------------------------------- sections


@dataclass(frozen=True, slots=True)
class _Side:
    """What the passes need of one section, computed once."""

    index: int
    key: str
    bare: str  # key without parenthetical remarks: `贝易转（C转）` → `贝易转`
    okr: str | None
    role: int | None
    body: str  # own text without the heading and without whitespace


def _body(section: Section) -> str:
    first, _, rest = section.markdown.partition("\n")
    if section.kind != "heading":  # a topic bullet may go on after its `【title】` on the same line
        pos = first.find(section.title)
        rest = (first[pos + len(section.title) :] if pos >= 0 else "") + rest
    return "".join(rest.split())


def _side(section: Section) -> _Side:
    roles = [k for k, pattern in enumerate(_ROLES) if pattern.search(section.title)]
    return _Side(
        index=section.index,
        key=section.key,
        bare=section_key(_PARENTHETICAL.sub("", section.title)),
        okr=section.okr,
        role=roles[0] if len(roles) == 1 and section.okr is None else None,
        body=_body(section),
    )


def _content(a: _Side, b: _Side) -> float:
    return 1.0 if a.body == b.body else Indel.normalized_similarity(a.body, b.body)


def _title(a: _Side, b: _Side) -> float:
    if not a.key or not b.key or (a.okr and b.okr and a.okr != b.okr):
        return 0.0
    if a.bare and a.bare == b.bare:
        return 1.0
    score = Indel.normalized_similarity(a.key, b.key)
    if a.bare and b.bare:
        score = max(score, Indel.normalized_similarity(a.bare, b.bare))
    if a.role is not None and a.role == b.role:
        score = max(score, 0.9)
    return score


def align_sections(
    left: Sequence[Section],
    right: Sequence[Section],
    *,
    forced: Sequence[tuple[int, int]] = (),
    separated: Sequence[tuple[int, int]] = (),
) -> list[SectionPair]:
    """One row per pair, added or removed section, in the right report's reading order."""
    ls = [_side(s) for s in left]
    rs = [_side(s) for s in right]
    lpos = {s.index: k for k, s in enumerate(ls)}
    rpos = {s.index: k for k, s in enumerate(rs)}
    banned = {(lpos[a], rpos[b]) for a, b in separated if a in lpos and b in rpos}
    match_l: dict[int, int] = {}  # left position → right position
    match_r: dict[int, int] = {}
    how: dict[int, str] = {}

    def accept(candidates: Iterable[tuple[float, float, int, int]], reason: str) -> None:
        # Best first, so a strong later match is not stolen by a weak earlier one.
        for _score, _near, i, j in sorted(candidates, reverse=True):
            if i not in match_l and j not in match_r and (i, j) not in banned:
                match_l[i], match_r[j], how[i] = j, i, reason

    def near(i: int, j: int) -> float:  # tie-break: similar relative position in the document
        return -abs(i / max(len(ls), 1) - j / max(len(rs), 1))

    # The user's own pairing beats every heuristic; a pair both forced and separated stays apart.
    accept(
        [(2.0, -k, lpos[a], rpos[b]) for k, (a, b) in enumerate(forced) if a in lpos and b in rpos], "manual"
    )

    def free() -> tuple[list[int], list[int]]:
        return [i for i in range(len(ls)) if i not in match_l], [
            j for j in range(len(rs)) if j not in match_r
        ]

    def grouped(attr: Callable[[_Side], str | None]) -> list[tuple[float, float, int, int]]:
        """Candidates sharing a key or OKR code, best scored by title and text."""
        groups: dict[str, tuple[list[int], list[int]]] = {}
        free_l, free_r = free()
        for side, members, k in ((ls, free_l, 0), (rs, free_r, 1)):
            for m in members:
                value = attr(side[m])
                if value:
                    groups.setdefault(value, ([], []))[k].append(m)
        out: list[tuple[float, float, int, int]] = []
        for li, rj in groups.values():
            if len(li) * len(rj) > _GROUP_CAP:  # hundreds of `其他` sections: pair them in order
                out.extend((0.0, -k, i, j) for k, (i, j) in enumerate(zip(li, rj, strict=False)))
                continue
            out.extend(
                (_title(ls[i], rs[j]) + _content(ls[i], rs[j]), near(i, j), i, j) for i in li for j in rj
            )
        return out

    accept(grouped(lambda s: s.key), "key")
    accept(grouped(lambda s: s.okr), "okr")

    free_l, free_r = free()
    if len(free_l) * len(free_r) <= _FUZZY_PASS_CAP:
        titled = ((_title(ls[i], rs[j]), i, j) for i in free_l for j in free_r)
        accept(
            [(t + _content(ls[i], rs[j]) / 100, near(i, j), i, j) for t, i, j in titled if t >= TITLE_MIN],
            "title",
        )

    free_l, free_r = free()
    free_l = [i for i in free_l if len(ls[i].body) >= _CONTENT_MIN_CHARS]
    free_r = [j for j in free_r if len(rs[j].body) >= _CONTENT_MIN_CHARS]
    if len(free_l) * len(free_r) <= _FUZZY_PASS_CAP:
        candidates = []
        for i in free_l:
            for j in free_r:
                a, b = ls[i], rs[j]
                if a.okr and b.okr and a.okr != b.okr:
                    continue
                score = Indel.normalized_similarity(a.body, b.body, score_cutoff=CONTENT_MIN)
                if score >= CONTENT_MIN:
                    candidates.append((score, near(i, j), i, j))
        accept(candidates, "content")

    def row(i: int | None, j: int | None) -> SectionPair:
        if i is None or j is None:
            status = "added" if i is None else "removed"
            return SectionPair(
                None if i is None else ls[i].index, None if j is None else rs[j].index, status, 0.0, ""
            )
        same = ls[i].body == rs[j].body
        return SectionPair(
            ls[i].index,
            rs[j].index,
            "unchanged" if same else "changed",
            1.0 if same else _content(ls[i], rs[j]),
            how[i],
        )

    # A removed section follows the nearest paired section above it in the left report.
    after: dict[int | None, list[int]] = {}
    anchor: int | None = None
    for i in range(len(ls)):
        if i in match_l:
            anchor = i
        else:
            after.setdefault(anchor, []).append(i)
    rows = [row(k, None) for k in after.get(None, [])]
    for j in range(len(rs)):
        paired = match_r.get(j)
        rows.append(row(paired, j))
        if paired is not None:
            rows.extend(row(k, None) for k in after.get(paired, []))
    return rows


# ----------------------------------------------------------------------------------------------- metrics


def _like_with_like(firsts: list[dict[str, Metric]]) -> None:
    """A derived total (CD from `C级0.5次，D级0次`) faces the other week's written total, and the parts
    it was made of then step aside; where the other week splits the grades too, the parts face each other."""
    for side, other in ((firsts[0], firsts[1]), (firsts[1], firsts[0])):
        for name, metric in list(side.items()):
            if not metric.derived:
                continue
            counterpart = other.get(name)
            if counterpart is None or counterpart.derived:
                del side[name]
                continue
            for part, m in list(side.items()):
                if not m.derived and m.line == metric.line and m.unit == metric.unit and part not in other:
                    del side[part]


def compare_metrics(
    left: Sequence[Metric], right: Sequence[Metric], higher_is_better: Callable[[str], bool | None]
) -> list[MetricDelta]:
    """Every metric of either week: KPIs first, then one-off figures; within each, left's order first,
    then those new in the right one. `same` needs no known direction; values in different units get
    no delta."""
    firsts: list[dict[str, Metric]] = [{}, {}]
    for side, metrics in zip(firsts, (left, right), strict=True):
        for metric in metrics:
            side.setdefault(metric.name, metric)
    _like_with_like(firsts)
    names = list(dict.fromkeys([*firsts[0], *firsts[1]]))

    def one_off(name: str) -> bool:  # KPIs first, then the figures written once (stable otherwise)
        return all(m.kind == "figure" for m in (firsts[0].get(name), firsts[1].get(name)) if m is not None)

    names.sort(key=one_off)
    out: list[MetricDelta] = []
    for name in names:
        a, b = firsts[0].get(name), firsts[1].get(name)
        # The one "change since the previous report" (kpis.change), as the viewer's badge shows it.
        found = change((a.value, a.unit), b.value, b.unit, higher_is_better(name)) if a and b else None
        delta = found.delta if found else None
        direction = None if found is None or found.direction == "neutral" else found.direction
        unit = (b.unit if b and b.unit else a.unit if a else "") or ""
        # 金额 322 one week and 金额 1205万元 the next are different things: each keeps its own unit.
        left_unit = a.unit if a and b and not comparable(a.unit, b.unit) else None
        out.append(
            MetricDelta(
                name, a.value if a else None, b.value if b else None, delta, unit, direction, left_unit
            )
        )
    return out


# -------------------------------------------------------------------------------------------------- plan

# Words every plan item uses: they say what kind of work, not which work, so they are no evidence.
_GENERIC = [
    "跟进", "推进", "进度", "项目", "计划", "方案", "设计", "评审", "内部", "沟通", "完成", "上线", "投产",
    "工作", "目标", "相关", "以及", "进行", "开始", "启动", "下周", "本周", "继续", "持续", "部分", "落地",
    "落实", "研发", "测试", "情况", "事项", "问题", "安排", "讨论", "跟踪", "准备", "整体", "梳理", "输出",
    "确认", "优化", "支持", "对接", "重点",
]  # fmt: skip
_GENERIC_RE = re.compile("|".join(sorted(map(re.escape, _GENERIC), key=len, reverse=True)))
_STOPWORDS = frozenset([
    "and", "or", "the", "a", "an", "of", "to", "for", "with", "on", "in", "at", "by", "from", "next",
    "week", "plan", "plans", "review", "follow", "up", "progress", "project", "projects", "done", "finish",
    "finished", "sync", "meeting",
])  # fmt: skip
_UNIT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:\.[0-9]+)*")
_JOINERS = re.compile(r"[与和及或并的]")  # split `聚合支付与现代金控` into its two names
_CLAUSE = re.compile(r"[，,；;。！!？?]")
_DONE = re.compile(r"完成|上线|投产|已|\b(?:done|finished|shipped|launched|merged)\b|100\s*%", re.I)
_NOT_YET = re.compile(
    r"预计|计划|待|将|拟|争取|下周|未|没有|准备|目标|即将|延期|推迟|延迟|\b(?:will|plan(?:ned)?|pending|not)\b",
    re.I,
)
_AS_PLANNED = re.compile(r"按计划|如期|as planned", re.I)  # `已按计划提测` is done, not planned
_PARTIAL = re.compile(r"(?:进度|完成|达到?|progress)[^%]{0,12}?(?<![\d.])\d{1,2}(?:\.\d+)?\s*%", re.I)
# How much of an item's distinctive text a line must share, by the longest shared run: a 2-character
# overlap proves little in Chinese, a 4-character one (`聚合支付`, `现代金控`) is a name.
_PLAN_SHARE = {2: 0.6, 3: 0.5, 4: 0.4}
_PLAN_CANDIDATES = 300  # lines sharing the most with an item that are scored in full
_PLAN_MAX_ITEM = 80  # characters of an item considered; plan items are short, pasted paragraphs are not


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_cjk(unit: str) -> bool:
    return not unit[0].isascii()


def _segments(item: str) -> list[str]:
    """The distinctive parts of a plan item: CJK runs left after removing generic words, and words."""
    text = _GENERIC_RE.sub(" ", _norm(item)[:_PLAN_MAX_ITEM])
    out = []
    for unit in _UNIT.findall(_JOINERS.sub(" ", text)):
        if len(unit) >= 2 and (_is_cjk(unit) or unit not in _STOPWORDS):
            out.append(unit)
    return out


def _grams(text: str) -> set[str]:
    grams: set[str] = set()
    for unit in _UNIT.findall(text):
        if _is_cjk(unit):
            grams.update(unit[k : k + 2] for k in range(len(unit) - 1))
        else:
            grams.add(unit)
    return grams


@dataclass(frozen=True, slots=True)
class _Hit:
    share: float  # of the segments' characters found in the line, in shared runs of 2+ characters
    longest: int  # longest shared run
    whole: bool  # some segment appears whole
    first: int  # where in the line the first shared run starts


def _hit(segments: Sequence[str], line: str, words: set[str]) -> _Hit:
    covered = total = longest = 0
    whole = False
    first = len(line)
    for seg in segments:
        total += len(seg)
        if not _is_cjk(seg):
            if seg in words:
                covered += len(seg)
                longest = max(longest, len(seg))
                whole = True
                first = min(first, line.find(seg))
            continue
        marked = [False] * len(seg)
        for i in range(len(seg) - 1):
            at = line.find(seg[i : i + 2])
            if at < 0:
                continue
            k = 2  # grow the run while it is still in the line: linear, not quadratic, in the item
            while i + k < len(seg) and seg[i : i + k + 1] in line:
                k += 1
            marked[i : i + k] = [True] * k
            longest = max(longest, k)
            whole = whole or k == len(seg)
            first = min(first, at)
        covered += sum(marked)
    return _Hit(covered / total if total else 0.0, longest, whole, first)


def _enough(hit: _Hit) -> bool:
    if hit.longest < 2 or (hit.longest == 2 and not hit.whole):
        return False
    return hit.share >= _PLAN_SHARE[min(hit.longest, 4)]


def _says_done(line: str, segments: Sequence[str], longest: int) -> bool:
    """A clause that reports something finished, not planned (`预计6月27日上线`, `上线计划延期`) nor partial
    (`进度85%`), at or after the clause that names the item: `贝好家意向金， 3/31正式投产运营` but not
    `已完成：…，为新产品探索（…贝易转等）`."""
    named = False
    for clause in _CLAUSE.split(line):
        named = named or _hit(segments, clause, set(_UNIT.findall(clause))).longest >= longest
        finished = _DONE.search(clause) and not _PARTIAL.search(clause)
        if named and finished and not _NOT_YET.search(_AS_PLANNED.sub("", clause)):
            return True
    return False


def check_plan(plan: Sequence[PlanItem], newer: Report) -> list[PlanCheck]:
    """Look for each of last week's plan items in the newer report, outside its own plan section."""
    lines = newer.text.split("\n")
    skip: set[int] = set()  # 1-based lines of the newer report's own plan
    plan_sections = {p.section for p in newer.plans if p.section is not None}
    for section in newer.sections:
        if section.index in plan_sections or _ROLES[0].search(section.title):
            skip.update(range(section.first_line, section.end_line + 1))
    skip.update(p.line for p in newer.plans)
    titles = {s.first_line for s in newer.sections}
    normed: dict[int, str] = {}
    words: dict[int, set[str]] = {}
    where: dict[str, set[int]] = {}  # gram → lines holding it, to score only lines that share something
    for number, raw in enumerate(lines, start=1):
        if number in skip or not raw.strip():
            continue
        normed[number] = text = _norm(raw)
        words[number] = {u for u in _UNIT.findall(text) if not _is_cjk(u)}
        for gram in _grams(text):
            where.setdefault(gram, set()).add(number)

    out: list[PlanCheck] = []
    for item in plan:
        segments = _segments(item.text)
        shared: Counter[int] = Counter()
        for seg in segments:
            for gram in _grams(seg):
                shared.update(where.get(gram, ()))
        best: tuple[float, int, bool, int, int] | None = None
        for number, _count in shared.most_common(_PLAN_CANDIDATES):
            hit = _hit(segments, normed[number], words[number])
            if not _enough(hit):
                continue
            # Prefer the better cover, a longer shared name, body text over a bare title, then the line
            # whose subject is the item (`贝易转版本：…` over `…集成贝易转的整体方案`).
            key = (hit.share, hit.longest, number not in titles, -hit.first, -number)
            if best is None or key > best:
                best = key
        if best is None:
            out.append(PlanCheck(item.text, "not_found", None, None))
            continue
        number = -best[4]
        done = _says_done(normed[number], segments, best[1])
        out.append(PlanCheck(item.text, "done" if done else "in_progress", lines[number - 1].strip(), number))
    return out
