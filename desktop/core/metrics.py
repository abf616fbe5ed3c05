"""KPI values in a report: `label：value` lines, incident counts by grade, labelled numbers and KPI tables.

Reports are free text, so the rules lean towards missing a number rather than charting a wrong one:
changes against last week, targets, ranges, dates and bare percentages in prose are never values.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from typing import TypeVar

from desktop.core.aliases import AliasTable, clean_label
from desktop.core.model import Metric, Section
from desktop.core.outline import front_matter, section_at_line

_BLANK = "\ufffc"  # stands in for a date, time, range or link: neither a digit nor a label character
_MAX_LABEL = 40  # a longer "label" is a sentence, not a metric name
CONTEXT_SEPARATOR = " › "  # `备件识别率 › 身份证`: a list item's label under the metric its lead-in names
# Each metric keeps an excerpt of its line, not the line: a 5 MB line must not be stored once per value.
_EXCERPT, _EXCERPT_BEFORE, _EXCERPT_AFTER = 240, 120, 80
_MAX_PER_LINE = 50  # more values on one line is a data dump, not a report's KPIs
_MAX_PER_REPORT = 2000  # a weekly report gives dozens; this bounds the cache whatever a file holds
_UNIT_TEXT = (
    "% ‰ 万元 亿元 千元 元 万笔 万单 万人 万次 万条 万 亿 次 条 笔 个 张 人 家 城 台 件 单 户 项 位 名 种 倍 "
    "天 小时 分钟 秒 毫秒 分 ms min s h pp bp bps pts GB TB MB KB tps qps TPS QPS w W k K"
)
# Longest first, so 万元 wins over 万 and 分钟 over 分.
_UNITS = "|".join(re.escape(u) for u in sorted(_UNIT_TEXT.split(), key=len, reverse=True))
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# What may follow a value: text in the same word ("617上线", "3518集群") makes it part of prose.
_BOUNDARY = rf"(?:$|[\s,;.。、!?()\]】」』\"'”’|:{_BLANK}]|较|环比|同比|相比|比上)"

# --- Preparing a line ---
# Possessive runs (`\s*+`) and classes that stop at the next opener keep every pattern linear on
# long runs of spaces, digits or brackets: nothing after a run can start with what the run holds.
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_STRUCK = re.compile(r"~~.*?~~")  # struck-out text is withdrawn, not reported
_EMPHASIS = re.compile(r"\*\*|__|`")
_LINE_MARKER = re.compile(
    r"^(?:#{1,6}\s+|>+\s*|[-*+]\s+(?:\[[ xX]\]\s*)?|\d{1,3}[.)]\s+|\d{1,3}、\s*|[A-Za-z][.)]\s+)+"
)
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
# The full-width punctuation reports use, as the half-width forms the patterns expect (cheaper than NFKC).
_WIDE, _NARROW = "：，；（）％～＞＜＝＋－［］！？｜\u3000", ":,;()%~><=+-[]!?| "
_WIDE_PAIRS = tuple(zip(_WIDE, _NARROW, strict=True))
# Dates, times, week numbers, ranges and links are blanked before looking for values. Plainly:
# A number in these patterns has at most 6 groups of thousands: an unbounded run was read again from
# every digit after a comma (`1,234,234,…` took 9 s for 80 KB), and backtracked over in brackets.
_GROUPED = r"\d{1,3}(?:,\d{3}){1,6}"
_SIGNED_NOISE = rf"[-+]?(?:{_GROUPED}|\d+)(?:\.\d+)?"
_NOISE_PLAIN = (
    r"(?:https?|ftp)://\S+|www\.\S+|第\s*\d+\s*[周期季]"  # links, 第16周
    + rf"|[\[(]\s*+{_SIGNED_NOISE}\s*+%?\s*+,\s*+{_SIGNED_NOISE}\s*+%?\s*+[\])]"  # [0.3%, 1.5%]
    + r"|(?<![0-9A-Za-z])(?=[-+\d])(?:"
    + r"\d{1,2}:\d{2}(?::\d{2})?(?!\d)"  # 23:28, even right after a full stop
    + r"|(?<!\.)(?:"
    + r"(?:19|20)\d{2}-?W\d{1,2}"  # 2024-W17
    + r"|(?:19|20)\d{2}(?:[-/]\d{1,2}(?:[-/]\d{1,2})?|\.\d{1,2}\.\d{1,2})(?![\d.])"  # 2024-06-14
    + r"|(?:19|20)\d{2}\s*+年(?:\s*+\d{1,2}\s*+月(?:\s*+\d{1,2}\s*+[日号])?)?"  # 2024年4月20日
    + r"|\d{1,2}\s*+月\s*+\d{1,2}\s*+[日号]?"  # 6月20日
    + rf"|{_SIGNED_NOISE}\s*+(?:{_UNITS})?\s*+(?:~|-|–|—|至|到)"  # 10~17, 1%-2%
    + rf"\s*+{_SIGNED_NOISE}(?:\s*+(?:{_UNITS}))?"
    + r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])"  # 4/18
    + r"|\d{1,2}\s*+月(?:份|初|中旬|上旬|下旬|中|底|末)?"  # 8月
    + r"|\d{1,2}\s*+点(?:\s*+\d{1,2}\s*+分)?"  # 8点
    + r"))"
)
# What every branch that starts at a number needs after it: a clock's colon, a date's separator or
# word, or a range's dash (after a unit, maybe). Looked for first, it turns away most numbers at once,
# where the branches would each be tried (a third of this pattern's work); numbers of more than 3
# points or commas are let through unchecked, which bounds the look on a run of them.
_RANGE_DASH = "~\\-–—至到"
_AFTER_NUMBER = (
    r"(?=(?<=[12])[09]\d{2}\.|\d*+(?:[.,]\d++){0,3}+(?:[.,]\d"
    + rf"|\s*+(?:[:W/年月点{_RANGE_DASH}]|(?:{_UNITS})\s*+[{_RANGE_DASH}])))"
)
# The same, written (like _NUMBER below) to start with one character class that holds the first
# character of every branch: the scan jumps from candidate to candidate instead of trying each branch
# at each position, a fifth of the parse's regex work. Each branch checks the character taken with a
# look-behind and goes on from the next one (`\d{1,2}` becomes `(?<=\d)\d?`, `(?<!\.)` becomes
# `(?<!\..)`). A range's first number is atomic: digits given back would leave a digit, comma or point
# next, where neither a unit nor a dash can start. The branches led by a number come first (the most
# candidates are digits) and the others sit behind one look-behind: the two kinds never start on the
# same character, so their order does not matter. tests/test_metrics_noise.py holds the two forms
# equal; change both together.
_NOISE = re.compile(
    r"[hfw第\[(+\-\d](?:"
    + rf"(?<![0-9A-Za-z].)(?<=[-+\d]){_AFTER_NUMBER}(?:"
    + r"(?<=\d)\d?:\d{2}(?::\d{2})?(?!\d)"
    + r"|(?<!\..)(?:"
    + r"(?:(?<=1)9|(?<=2)0)\d{2}-?W\d{1,2}"
    + r"|(?:(?<=1)9|(?<=2)0)\d{2}(?:[-/]\d{1,2}(?:[-/]\d{1,2})?|\.\d{1,2}\.\d{1,2})(?![\d.])"
    + r"|(?:(?<=1)9|(?<=2)0)\d{2}\s*+年(?:\s*+\d{1,2}\s*+月(?:\s*+\d{1,2}\s*+[日号])?)?"
    + r"|(?<=\d)\d?\s*+月\s*+\d{1,2}\s*+[日号]?"
    + r"|(?>(?<=[-+])(?:\d{1,3}(?:,\d{3}){1,6}|\d+)|(?<=\d)(?:\d{0,2}(?:,\d{3}){1,6}|\d*))(?:\.\d+)?"
    + rf"\s*+(?:{_UNITS})?\s*+(?:~|-|–|—|至|到)\s*+{_SIGNED_NOISE}(?:\s*+(?:{_UNITS}))?"
    + r"|(?<=\d)\d?/\d{1,2}(?:/\d{2,4})?(?![\d/])"
    + r"|(?<=\d)\d?\s*+月(?:份|初|中旬|上旬|下旬|中|底|末)?"
    + r"|(?<=\d)\d?\s*+点(?:\s*+\d{1,2}\s*+分)?"
    + r"))"
    + r"|(?<=[hfw第\[(])(?:"
    + r"(?<=h)ttps?://\S+|(?<=f)tp://\S+|(?<=w)ww\.\S+|(?<=第)\s*\d+\s*[周期季]"
    + rf"|(?<=[\[(])\s*+{_SIGNED_NOISE}\s*+%?\s*+,\s*+{_SIGNED_NOISE}\s*+%?\s*+[\])]"
    + r"))"
)
# Every branch starts with a literal (`,(?<!\d,)` rather than `(?<!\d),`): the scan then jumps from one
# candidate character to the next instead of trying each branch at each position.
_CLAUSE = re.compile(r";|。|、|!|\?|\||,(?<!\d,)|,(?!\d)|\.(?=\s|$)")

# --- Incident counts: 事故数AB级0次，CD级1次 / C级0.5次 / A级事故1次 ---
_GRADE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:事故|故障)数?\s*+:?\s*+)?(?P<grade>[A-Da-d](?:\s*+/?\s*+[A-Da-d])?)\s*+级"
    rf"(?:\s*+(?:事故|故障)数?)?\s*+[:=]?\s*+(?P<num>\d{{1,6}}(?:\.\d+)?)(?:\s*+(?:次|起|个))?(?={_BOUNDARY})"
)

_GRADE_PAIRS = ("AB", "CD")

# --- One value and its label ---
# A value stands apart from other digits and letters ("OCR2.0", "Q2", "T+1" are words); a sign needs
# a space, colon or bracket before it so that "9-10" stays a range.
# Plainly: (?<![0-9A-Za-z.,+\-_/]){_NUM}(?![0-9]|\.\d|,\d)|(?<=[\s:=(])[-+]{_NUM}(?![0-9]|\.\d|,\d)
# Written to start with one character class, which lets the scan jump from candidate to candidate (twice as
# fast): the first character is taken, and the look-behinds then check it and the one before it.
_NUMBER = re.compile(
    r"[-+\d](?:(?<=\d)(?<![0-9A-Za-z.,+\-_/]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?(?![0-9]|\.\d|,\d)"
    rf"|(?<=[\s:=(][-+]){_NUM}(?![0-9]|\.\d|,\d))"
)
_AFTER = re.compile(rf"(?:\s*({_UNITS}))?(?={_BOUNDARY})")
# "60%以上", "0.2% from last week": a threshold or a change, not this week's value.
_QUALIFIER_AFTER = re.compile(r"\+(?!\d)|\s*(?:以上|以下|以内|左右|上下|\b(?:from|since)\b)", re.I)
# English prose goes on after a number that counts or qualifies something: "3 regressions", "2% on hyper".
_WORD_AFTER = re.compile(
    r"\s+(?!(?:and|or|but|while|so|this|overall|in total|vs|versus|compared|against)\b)[A-Za-z]"
)
_QUALIFIER_OR_WORD_AFTER = re.compile(f"(?i:{_QUALIFIER_AFTER.pattern})|{_WORD_AFTER.pattern}")  # one call
_OPERATOR_BEFORE = re.compile(
    r"(?:[<>≤≥≦≧≈~]=?|约|大约|不低于|不少于|不高于|不超过|大于|小于|高于|低于|超过|至少|至多|最少|最多"
    r"|\b(?:over|above|below|under|at least|at most|about|around|approx\.?|approximately))\s*$",
    re.I,
)
_COLON_END = re.compile(r"(?::|\s=)\s*$")  # "level=1" is a setting, "x = 1" reads as a value
_LABEL_RUN_REVERSED = re.compile(r"[\w .\-&+#/·'’]*")
_CJK_THEN_SPACE = re.compile(r"^.*[\u3400-\u9fff\uf900-\ufaff]\s+(?=\S)")
_FILLER = re.compile(r"^(?:其中|另外|此外|同时|目前|当前|本周|本期|这周|截至目前|截止目前)\s*")
_CONNECTOR = re.compile(r"(?:为|是|达到|达|\s+(?:is|was|of|at|to))$", re.I)
_HAS_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z]{2}")
_DELTA = re.compile(
    r"较|环比|同比|上涨|下降|下跌|上升|提升|降低|增长|减少|增加|增幅|涨幅|降幅|变化|波动"
    r"|\b(?:up|down|increased?|decreased?|rose|fell|dropped|grew|improved|delta|changed|diff|wow|mom|yoy)\b",
    re.I,
)
_PREVIOUS = re.compile(
    r"(?:上周|上期|上月|上季|去年|昨日|昨天|last (?:week|month|year)|previous|prev\b)", re.I
)
# Patterns that must hold at a label's end are tested on its last few characters only: searching a
# whole label for "...$" tries every alternative at every position.
_TARGET_START = re.compile(r"(?:目标|target|goal|预计|预期|计划)(?!.*(?:达成|完成|achiev|attain))", re.I)
_TARGET_END = re.compile(r"(?:目标|目标值|阈值|预期|要求|底线|红线|\b(?:target|goal|threshold|sla))$", re.I)
_PROGRESS_END = re.compile(r"(?:进度|进展|完成度|完成占比|progress)$", re.I)
# Without a colon, only a label that names a measure counts ("健康分658.8", not "测试10%").
_MEASURE_WORDS = (
    "率 分 量 数 额 占比 比例 交易 规模 耗时 时长 时效 收入 成本 费用 营收 指数 满意度 覆盖度 达成度 准确度 "
    "可用性 均值 峰值"
)
_NOT_MEASURE_WORDS = "部分 充分 大量 少量 批量 海量 多数 少数 无数 半数"
_MEASURE_END = re.compile(
    r"(?:" + "|".join(_MEASURE_WORDS.split()) + r"|(?<![A-Za-z])(?:rate|ratio|score|count|volume|amount|total"
    r"|share|availability|uptime|latency|duration|accuracy|revenue|cost|gmv|qps|tps|p\d{2,3}))$",
    re.I,
)
_NOT_MEASURE_END = re.compile("(?:" + "|".join(_NOT_MEASURE_WORDS.split()) + ")$")
_TAIL = 14  # longer than any word the end patterns look for ("availability", "approximately")

# --- Stated targets: `目标准确率>90%`, `（目标99.95%）`, `target: 99.9%` (kept as a field, never a value) ---
_STATED_TARGET = re.compile(
    r"(?:目标|目标值|\b(?:target|goal|sla)\b)[^\d:=<>≥≤()\[\]\n]{0,12}?\s*+(?:[:=]|[<>≥≤]=?|为|是)?\s*+"
    r"(?P<value>\d{1,12}(?:\.\d{1,12})?)\s*+(?P<unit>%|‰)?",
    re.I,
)
_TARGET_WORD = re.compile(r"目标|target|goal|sla", re.I)
# --- Labels that are sentences, not names ---
_NOT_LABELS = frozenset({"分", "满分", "总分", "共", "约", "第", "计"})
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_THEN_CJK_RUN = re.compile(r"[A-Za-z]{2,}\s+[\u3400-\u9fff\uf900-\ufaff]{6,}")
_MAX_CJK_LABEL = 16
# --- A lead-in that names what the list below it measures: `备件识别率，本周数据如下：` ---
_LEAD_IN_HEAD = re.compile(r"[^,;.!?:(]{1,20}")
_LEAD_IN_NOUN = re.compile(r"(?:数据|指标|情况|统计)$")

# --- Tables ---
_DELIM_CELL = re.compile(r":?-+:?")
_MAX_COLUMNS = 64  # a KPI table has a handful; bounds the work on a hostile row of thousands of cells
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_CELL_NUMBER = re.compile(rf"([-+]?{_NUM})\s*+({_UNITS})?")
_SKIP_CELLS = frozenset({"", "-", "--", "—", "–", "/", "?", "n/a", "na", "none", "null", "tbd", "无", "暂无"})
_CELL_RANGE = re.compile(rf"[\[(].*[\])]|[-+]?{_NUM}\s*+%?\s*+(?:~|-|–|—|至)\s*+[-+]?{_NUM}\s*+%?")
_THIS_WEEK = re.compile(r"本周|本期|\bthis\s*week\b|\bcurrent\b", re.I)
_NOT_VALUE_HEADER = re.compile(
    r"环比|同比|较|变化|涨幅|增幅|降幅|上周|上期|上月|去年|目标|阈值"
    r"|\b(?:change|delta|diff|vs|wow|yoy|last|prev|previous|target|goal|sla|threshold)\b",
    re.I,
)
_NOT_MEASURE_HEADER = re.compile(
    r"进度|进展|日期|时间|序号|编号|排名|周次|\b(?:progress|date|time|rank)\b|^(?:#|no\.?|id)$", re.I
)
# A first column of statistics (count / mean / max) means the metric names run across the header instead.
_STAT_WORD = re.compile(r"count|mean|max|min|median|avg|average|sum|std|stddev|p\d{2,3}", re.I)
_FENCE = re.compile(r"^(?:`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,3}[.)、])\s")
_MAX_LEAD_IN = 80

# Weekly reports repeat most of their lines from week to week (headings, KPI lines whose numbers did not
# move, boilerplate), so a line's metrics are kept by its text and lead-in, one table per alias table.
# Entries (~400 bytes each): a worker's share of 5,000 reports holds ~27,000 distinct lines. When full,
# the older half goes, so the lines of the team being read stay (clearing all cost 13% more scans).
_LINE_CACHE_SIZE = 50_000
_LINE_CACHE_CHARS = 1_000  # a longer line is scanned every time rather than kept as a key
_CACHED_ARG_CHARS = 256
_T = TypeVar("_T")
_LineKey = tuple[str, str]
_line_caches: weakref.WeakKeyDictionary[AliasTable, dict[_LineKey, tuple[Metric, ...]]] = (
    weakref.WeakKeyDictionary()
)
_METRIC_FIELDS = (
    *("name", "raw_label", "value", "unit", "line", "text", "section"),
    *("kind", "target", "target_source", "derived"),
)
assert tuple(f.name for f in fields(Metric)) == _METRIC_FIELDS, "update _at_line with Metric's fields"


def extract_metrics(
    lines: Sequence[str],
    aliases: AliasTable,
    start: int | None = None,
    sections: Sequence[Section] | None = None,
) -> list[Metric]:
    """Every KPI value in the report's lines, in line order, each in its section of `sections` (the
    report's outline; without it Metric.section is None).

    `start` is the first line after the front matter (YAML such as `week: 24` is metadata, not KPIs).
    """
    try:
        return _extract(lines, aliases, front_matter(lines).end if start is None else start, sections or ())
    except Exception:
        # Heuristics over free text: a missed case must cost this report's metrics, never the index run.
        return []


def _extract(
    lines: Sequence[str], aliases: AliasTable, start: int = 0, sections: Sequence[Section] = ()
) -> list[Metric]:
    out: list[Metric] = []
    n = len(lines)
    fence = ""  # the open code fence's marker, e.g. "```"
    context = ""  # the lead-in the current list sits under
    context_indent = -1
    cache = _line_caches.get(aliases)
    if cache is None:
        cache = _line_caches[aliases] = {}
    lookup = cache.get
    resume = start  # the first line after the last table read
    # A for loop over the line numbers, not a while loop that counts them: most lines cost only the
    # loop's own work and a look-up, and counting by hand made the loop a fifth of the metrics' time.
    for i in range(start, n):
        if i < resume:
            continue  # a table's line
        stripped = lines[i].strip()
        if not stripped:  # a third of a report's lines (and nothing inside a fence either)
            continue
        if fence:
            if stripped.startswith(fence) and not stripped.rstrip(fence[0]):
                fence = ""
            continue
        if len(out) >= _MAX_PER_REPORT:
            break
        if stripped[0] in "`~" and (opening := _FENCE.match(stripped)):
            fence = opening.group()
            continue
        if "|" in stripped and i + 1 < n and _is_delimiter_row(lines[i + 1]):
            resume = _scan_table(lines, i, aliases, out, sections)
            continue
        # The indent and list marker matter only under a lead-in or on one: most lines skip both.
        if context and not (_LIST_ITEM.match(stripped) and _indent(lines[i]) > context_indent):
            context = ""  # the list under the lead-in has ended
        if not context and stripped[-1] in ":：" and len(stripped) <= _MAX_LEAD_IN:
            lead_in = _lead_in(stripped)
            if lead_in:
                context = lead_in
                context_indent = _indent(lines[i]) if _LIST_ITEM.match(stripped) else -1
                continue
        if len(stripped) > _LINE_CACHE_CHARS:
            if _DIGIT.search(stripped) and _LETTER.search(stripped):
                _scan_line(stripped, i + 1, aliases, out, context, section_at_line(sections, i + 1))
            continue
        # Most lines were seen before (in this report or an earlier one): looked up first.
        key = (stripped, context)
        found = lookup(key)
        if found:
            section = section_at_line(sections, i + 1)
            out.extend([_at_line(m, i + 1, section) for m in found])
        elif found is None:
            if _DIGIT.search(stripped) and _LETTER.search(stripped):
                _scan_line_cached(key, i + 1, section_at_line(sections, i + 1), aliases, out, cache)
            else:
                # A value needs a digit and a label. Such lines repeat (a fifth of a report's lines,
                # a few thousand distinct in 5,000 reports): kept, they are not searched again.
                _keep(cache, key, ())
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _is_delimiter_row(line: str) -> bool:
    """`|---|:--:|`: a table's second line (by hand: the pattern form backtracks on runs of spaces)."""
    row = line.strip()
    if "-" not in row or len(row) > 64 * 1024:
        return False
    row = row.removeprefix("|")
    row = row.removesuffix("|")
    cells = row.split("|")
    return len(cells) >= 2 and all(_DELIM_CELL.fullmatch(c.strip()) for c in cells)


def _prepare(text: str) -> str:
    if not text.isascii():
        text = _half_width(text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "~~" in text:
        text = _STRUCK.sub(_BLANK, text)
    if "**" in text or "__" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    marker = _LINE_MARKER.match(text)  # anchored: a match, not a sub that tries every position
    if marker:
        text = text[marker.end() :]
    if "](" in text:
        text = _LINK_TARGET.sub("]", text)
    return text


def _half_width(text: str) -> str:
    # str.replace per character present beats str.translate, which looks each character up in a dict.
    for wide, narrow in _WIDE_PAIRS:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


class _LineFull(Exception):  # noqa: N818 - a bound reached, not an error
    pass


class _Line:
    """The metrics of one source line: a bounded excerpt each, at most _MAX_PER_LINE of them."""

    __slots__ = ("_chinese", "aliases", "context", "cursor", "found", "line", "out", "section", "text")

    def __init__(
        self,
        text: str,
        line: int,
        aliases: AliasTable,
        out: list[Metric],
        context: str,
        section: int | None = None,
    ) -> None:
        self.text, self.line, self.aliases, self.out, self.context = text, line, aliases, out, context
        self.section = section
        self.cursor = 0  # where to look for the next value as written: values come in line order
        self.found: list[int] = []  # indexes into out
        self._chinese: bool | None = None

    def chinese(self) -> bool:
        """Whether the line holds Chinese (looked up once: a line may be megabytes long)."""
        if self._chinese is None:
            self._chinese = _CJK.search(self.text) is not None
        return self._chinese

    def excerpt(self, written: str) -> str:
        text = self.text
        if len(text) <= _EXCERPT:
            return text
        at = text.find(written, self.cursor)
        if at < 0:
            at = self.cursor
        else:
            self.cursor = at + len(written)
        start, end = max(0, at - _EXCERPT_BEFORE), min(len(text), at + len(written) + _EXCERPT_AFTER)
        return f"{'…' if start else ''}{text[start:end]}{'…' if end < len(text) else ''}"

    def add(self, name: str, raw: str, value: float, unit: str, written: str) -> None:
        known = self.aliases.knows(raw) or self.aliases.knows(name)
        if self.context and not known:
            labelled = f"{self.context}{CONTEXT_SEPARATOR}{raw}"  # raw stays as written: the badge finds it
            name = self.aliases.canonical(labelled)
            known = self.aliases.knows(labelled)
        info = self.aliases.info(name)
        target = info.target if info is not None else None
        metric = Metric(
            name,
            raw,
            value,
            unit,
            self.line,
            self.excerpt(written),
            self.section,
            "kpi" if known else "figure",
            target,
            "table" if target is not None else None,
        )
        self.found.append(len(self.out))
        self.out.append(metric)
        if len(self.found) >= _MAX_PER_LINE:
            raise _LineFull

    def add_derived(self, name: str, raw: str, value: float) -> None:
        self.add(name, raw, value, "次", "")
        self.out[-1] = replace(self.out[-1], derived=True)


def _at_line(m: Metric, line: int, section: int | None) -> Metric:
    """A cached metric at the line it was found on again (dataclasses.replace is ~10x slower)."""
    return Metric(
        m.name,
        m.raw_label,
        m.value,
        m.unit,
        line,
        m.text,
        section,
        m.kind,
        m.target,
        m.target_source,
        m.derived,
    )


def _scan_line_cached(
    key: _LineKey,
    line: int,
    section: int | None,
    aliases: AliasTable,
    out: list[Metric],
    cache: dict[_LineKey, tuple[Metric, ...]],
) -> None:
    # Scanned at its own line and section, so the metrics go out as they are; the kept copies are
    # only ever read through _at_line, which sets both again.
    scanned: list[Metric] = []
    _scan_line(key[0], line, aliases, scanned, key[1], section)
    out.extend(scanned)
    _keep(cache, key, tuple(scanned))


def _keep(cache: dict[_LineKey, tuple[Metric, ...]], key: _LineKey, found: tuple[Metric, ...]) -> None:
    if len(cache) >= _LINE_CACHE_SIZE:
        for old in list(itertools.islice(cache, _LINE_CACHE_SIZE // 2)):
            del cache[old]
    cache[key] = found


def _scan_line(
    text: str,
    line: int,
    aliases: AliasTable,
    out: list[Metric],
    context: str = "",
    section: int | None = None,
) -> None:
    prepared = _NOISE.sub(_BLANK, _prepare(text))
    if not _DIGIT.search(prepared):
        return  # only dates, times, ranges or links: no value, no grade, nothing to attach a target to
    sink = _Line(text, line, aliases, out, context, section)
    try:
        if "级" in prepared:
            prepared = _grades(prepared, sink)
        for clause in _CLAUSE.split(prepared):
            if _DIGIT.search(clause):
                _scan_clause(clause, sink)
    except _LineFull:
        pass  # a line of thousands of numbers is data, not a report's KPIs: the first ones are kept
    if sink.found and _TARGET_WORD.search(text):
        _attach_targets(_prepare(text), sink)


def _attach_targets(prepared: str, sink: _Line) -> None:
    """A stated target on the line (`（目标99.95%）`, `target: 99.9%`) is the target of its metrics."""
    targets = [
        (float(m["value"]), m["unit"] or "")
        for m in _STATED_TARGET.finditer(prepared)
        if math.isfinite(float(m["value"]))
    ]
    if not targets:
        return
    found = [sink.out[i] for i in sink.found]
    pairs = (
        zip(found, targets, strict=False) if len(targets) == len(found) else ((m, targets[0]) for m in found)
    )
    for metric, (value, unit) in pairs:
        if unit == metric.unit or not unit:
            sink.out[sink.found[found.index(metric)]] = replace(metric, target=value, target_source="report")


def _grades(prepared: str, sink: _Line) -> str:
    """Emit incident counts by grade and blank them out, so they are not read again as plain numbers."""

    counts: dict[str, float] = {}

    def emit(match: re.Match[str]) -> str:
        grade = "".join(sorted(set(match["grade"].upper()) - {" ", "/"}))
        # The label as written, without a lead-in such as "事故数：" before the grade.
        raw = _COLON_END.sub("", prepared[match.start() : match.start("num")]).rpartition(":")[2].strip()
        counts.setdefault(grade, float(match["num"]))
        sink.add(sink.aliases.canonical(f"事故数{grade}级"), raw, float(match["num"]), "次", match["num"])
        return _BLANK

    blanked = _GRADE.sub(emit, prepared)
    # `C级0.5次，D级0次` where other weeks write `CD级`: the combined count too, so the CD series goes on.
    for pair in _GRADE_PAIRS:
        if pair not in counts and all(g in counts for g in pair):
            sink.add_derived(
                sink.aliases.canonical(f"事故数{pair}级"), f"{pair}级", sum(counts[g] for g in pair)
            )
    return blanked


def _scan_clause(clause: str, sink: _Line) -> None:
    aliases = sink.aliases
    prev = 0  # where the text before the next value starts: after the previous value and its unit
    depth = 0  # parentheses open at `counted`, kept up to date as the values go by
    counted = 0
    parens = "(" in clause  # without one, depth stays 0 whatever the closing parentheses
    for number in _NUMBER.finditer(clause):
        start, end = number.span()
        before = clause[prev:start]
        prev = end
        if parens:
            depth = max(0, depth + clause.count("(", counted, start) - clause.count(")", counted, start))
            counted = start
        after = _AFTER.match(clause, end)
        if after is None:
            continue  # glued to prose: "617上线", "200+"
        prev = after.end()
        unit = after.group(1) or ""
        if depth > 0:
            continue  # a note in parentheses
        label, colon = _label_before(before)
        if not label or _rejected(label) or not (colon or _names_a_measure(label) or aliases.knows(label)):
            continue
        # After the label, which rules out most numbers by cached lookups: these two run patterns.
        if _QUALIFIER_OR_WORD_AFTER.match(clause, prev) or _OPERATOR_BEFORE.search(before[-_TAIL:]):
            continue  # "60%以上", "3 regressions", ">90%", "约684笔"
        if _is_sentence(label, sink) and not aliases.knows(label):
            continue
        value = float(number.group().replace(",", ""))
        if math.isfinite(value):
            sink.add(aliases.canonical(label), label, value, unit, number.group())


def _short_cached(fn: Callable[[str], _T]) -> Callable[[str], _T]:
    """Results kept by argument for short texts only: a megabyte argument must not be held as a key."""
    cached = functools.lru_cache(maxsize=16384)(fn)

    def call(text: str) -> _T:
        return cached(text) if len(text) <= _CACHED_ARG_CHARS else fn(text)

    call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return call


# The text before a value and the labels it yields repeat across lines and reports: each is read once.
@_short_cached
def _label_before(before: str) -> tuple[str, bool]:
    """The label right before a value, and whether a colon separates them."""
    colon = _COLON_END.search(before)
    source = before[: colon.start()] if colon else before
    if colon and before.endswith(":") and source[-1:].isascii() and source[-1:].isalnum():
        if source[-1].isdigit():
            return "", False  # "10:59", "3:2": a clock or a ratio
        colon = None  # "ubuntu:22.04", "host:8080": the label must name a measure ("rate:99.9%")
    run = _LABEL_RUN_REVERSED.match(source[::-1])
    label = run.group()[::-1].strip(" .-&+#/·'’") if run else ""
    if len(label) > _MAX_LABEL:
        return "", False
    cut = _CJK_THEN_SPACE.match(label)
    if cut:  # "其中 账户已沉淀金额": the words before the space belong to the sentence
        label = label[cut.end() :]
    # The run holds no markup or brackets, so tidying spaces is all the cleaning left to do.
    label = _FILLER.sub("", label)
    connector = _CONNECTOR.search(label[-_TAIL:])
    if connector:
        label = label[: len(label) - len(connector.group())]
    return " ".join(label.split()), colon is not None


@functools.lru_cache(maxsize=16384)  # labels are at most _MAX_LABEL long: kept as keys
def _rejected(label: str) -> bool:
    """Not this week's value of a metric: a change, a previous period, a target or a progress figure."""
    tail = label[-_TAIL:]
    return (
        len(label) > _MAX_LABEL
        or not _HAS_WORD.search(label)
        or _DELTA.search(label) is not None
        or _PREVIOUS.match(label) is not None
        or _TARGET_START.match(label) is not None
        or _TARGET_END.search(tail) is not None
        or _PROGRESS_END.search(tail) is not None
    )


def _is_sentence(label: str, sink: _Line) -> bool:
    """`Nicely 发现问题出在电脑把两个数字`, `Effective C` in a Chinese line, a bare `分`: prose, no name."""
    prose = _prose(label)
    return prose is True or (prose is None and sink.chinese())


@functools.lru_cache(maxsize=16384)  # labels are at most _MAX_LABEL long: kept as keys
def _prose(label: str) -> bool | None:
    """True when the label is prose, None when it is only in a Chinese line, False when it is a name."""
    if label in _NOT_LABELS or (len(label) == 1 and not label.isascii()):
        return True
    cjk = len(_CJK.findall(label))
    if cjk > _MAX_CJK_LABEL or _LATIN_THEN_CJK_RUN.search(label):
        return True
    words = _LATIN_WORD.findall(label)
    # Latin words with no Chinese in a Chinese line: an English phrase quoted in prose.
    return None if words and cjk == 0 and (len(words) >= 2 or " " in label) else False


@_short_cached  # lead-ins repeat from week to week
def _lead_in(text: str) -> str:
    """The metric a line ending in a colon introduces (`备件识别率，本周数据如下：` → 备件识别率), or ""."""
    prepared = _prepare(text).rstrip()
    if not prepared.endswith(":") or _DIGIT.search(prepared):
        return ""
    head = _LEAD_IN_HEAD.match(prepared)
    if head is None:
        return ""
    name = " ".join(head.group().split())
    return name if _names_a_measure(name) or _LEAD_IN_NOUN.search(name) else ""


@functools.lru_cache(maxsize=16384)  # labels are at most _MAX_LABEL long: kept as keys
def _names_a_measure(label: str) -> bool:
    tail = label[-_TAIL:]
    return _MEASURE_END.search(tail) is not None and _NOT_MEASURE_END.search(tail) is None


@_short_cached
def _cell(text: str) -> str:
    if not text.isascii():
        text = _half_width(text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "**" in text or "__" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


_clean_label = _short_cached(clean_label)  # a table's first column repeats from week to week


def _split_row(line: str) -> list[str]:
    row = line.strip()
    row = row.removeprefix("|")
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [_cell(c) for c in _CELL_SPLIT.split(row)]


@_short_cached
def _is_number(cell: str) -> bool:
    return _CELL_NUMBER.fullmatch(cell) is not None


@_short_cached
def _is_blank(cell: str) -> bool:
    return cell.casefold() in _SKIP_CELLS or _CELL_RANGE.fullmatch(cell) is not None


def _value_column(header: list[str], rows: list[list[str]]) -> int | None:
    """The this-week column: headed 本周 / this week / 本期 / current, else the first numeric column."""
    for j in range(1, min(len(header), _MAX_COLUMNS)):
        if _THIS_WEEK.search(header[j]) and not _NOT_VALUE_HEADER.search(header[j]):
            return j
    for j in range(1, min(_MAX_COLUMNS, max(len(header), *(len(r) for r in rows)))):
        title = header[j] if j < len(header) else ""
        if _NOT_VALUE_HEADER.search(title) or _NOT_MEASURE_HEADER.search(title):
            continue
        cells = [r[j] for r in rows if j < len(r)]
        if any(map(_is_number, cells)) and all(_is_number(c) or _is_blank(c) for c in cells):
            return j
    return None


def _scan_table(
    lines: Sequence[str], start: int, aliases: AliasTable, out: list[Metric], sections: Sequence[Section] = ()
) -> int:
    """Read the table whose header is lines[start]; return the index of the first line after it."""
    end = start + 2
    while end < len(lines) and "|" in lines[end] and lines[end].strip():
        end += 1
    header = _split_row(lines[start])
    rows = [_split_row(lines[k]) for k in range(start + 2, end)]
    if not rows:
        return end
    labels = [_clean_label(r[0]) for r in rows]
    if all(_STAT_WORD.fullmatch(label) for label in labels):
        return end
    column = _value_column(header, rows)
    if column is None:
        return end
    for k, (row, label) in enumerate(zip(rows, labels, strict=True)):
        if column >= len(row) or not label or len(label) > _MAX_LABEL or _rejected(label):
            continue
        number = _CELL_NUMBER.fullmatch(row[column])
        if number is None:
            continue
        value = float(number.group(1).replace(",", ""))
        if math.isfinite(value):
            line = start + 3 + k
            section = section_at_line(sections, line)
            sink = _Line(lines[line - 1].strip(), line, aliases, out, "", section)
            with contextlib.suppress(_LineFull):
                sink.add(aliases.canonical(label), label, value, number.group(2) or "", number.group(1))
    return end
