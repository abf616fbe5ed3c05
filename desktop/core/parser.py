"""One file in, one structured report out: decoding, outline, date, metrics, incidents and plans."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from desktop.core.aliases import AliasTable
from desktop.core.dates import iso_week_label, resolve_date, sequence_number
from desktop.core.decoding import Decoded, read_report_file
from desktop.core.incidents import extract_incidents, extract_plans
from desktop.core.metrics import extract_metrics
from desktop.core.model import Report
from desktop.core.outline import front_matter, parse_outline
from desktop.core.scanner import strip_notion_id

# Whenever parsing output changes, bump PARSER_VERSION in desktop/core/versions.py.
_PAGE_STEMS = frozenset({"readme", "index", "_index", "home", "目录", "索引", "首页"})
_LINK_LINE = re.compile(r"[-*+]?\s*(?:\d{1,3}[.)]\s*)?\[[^\]]{0,300}\]\([^)]{0,1000}\)\s*")


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see desktop/core/model.py
class ParseOutcome:
    path: Final[str]
    report: Final[Report | None]
    skip_reason: Final[str | None] = None
    # The report's text split at newlines, the lines its sections were cut from: to_record takes them
    # rather than splitting the text again and checking each section against it.
    lines: Final[list[str] | None] = field(default=None, compare=False, hash=False)


def parse_text(
    path: str,
    text: str,
    *,
    encoding: str = "utf-8",
    mtime: float = 0.0,
    aliases: AliasTable,
    warnings: tuple[str, ...] = (),
) -> Report:
    return _parse_lines(path, text, text.split("\n"), encoding, mtime, aliases, warnings)


def _parse_lines(
    path: str,
    text: str,
    lines: list[str],
    encoding: str,
    mtime: float,
    aliases: AliasTable,
    warnings: tuple[str, ...],
) -> Report:
    """parse_text, given the text split at newlines."""
    matter = front_matter(lines)  # read once: the outline, the date and the metrics all skip it
    outline = parse_outline(lines, matter.end, text if matter.end == 0 else None)
    title = outline.title or strip_notion_id(_stem(path)) or path
    when = resolve_date(title, lines, path, mtime, matter)
    sections = outline.sections
    metrics = extract_metrics(lines, aliases, matter.end, sections)  # each in its section
    incidents = extract_incidents(lines, sections, when.date, text)  # likewise
    kind = "page" if _is_page(path, lines[matter.end :], bool(metrics)) else "report"
    return Report(
        path=path,
        title=title,
        label=when.label,
        date=when.date.isoformat(),
        iso_week=iso_week_label(when.date),
        date_source=when.source,
        encoding=encoding,
        text=text,
        sections=sections,
        metrics=metrics,
        incidents=incidents,
        plans=extract_plans(lines, sections),
        warnings=[*warnings, *when.warnings],
        sequence=sequence_number(title, path),
        kind=kind,
    )


def _stem(path: str) -> str:
    """PurePosixPath(path).stem by plain string work: building the path object costs ~5 us a report."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _is_page(path: str, body: list[str], has_metrics: bool) -> bool:
    """A README or index page, or a page whose text is only links to sub-pages: not a week's report."""
    stem = _stem(path).casefold()
    if strip_notion_id(stem) in _PAGE_STEMS:
        return True
    if has_metrics:
        return False
    links = 0
    for line in body[:2000]:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if _LINK_LINE.fullmatch(text[:1400]) is None:
            return False
        links += 1
    return links >= 2


def parse_decoded(path: str, decoded: Decoded, mtime: float, aliases: AliasTable) -> ParseOutcome:
    """Never raises: a file that is not text comes back as a skip with its reason."""
    if decoded.text is None:
        return ParseOutcome(path, None, decoded.skip_reason or "unreadable")
    text = decoded.text
    lines = text.split("\n")
    try:
        report = _parse_lines(path, text, lines, decoded.encoding, mtime, aliases, decoded.warnings)
    except Exception as exc:  # a parser bug must cost one file, never the whole folder
        return ParseOutcome(path, None, f"could not be parsed ({type(exc).__name__}: {exc})")
    return ParseOutcome(path, report, lines=lines)


def parse_file(root: Path, path: str, aliases: AliasTable) -> ParseOutcome:
    """Read, decode and parse one file; never raises."""
    full = root / path
    try:
        mtime = full.stat().st_mtime
    except OSError:
        mtime = dt.datetime.now().timestamp()
    return parse_decoded(path, read_report_file(full), mtime, aliases)
