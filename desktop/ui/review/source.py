"""What the review presenter needs to know of the folder's reports, read from the cache.

Each call opens its own read-only connection, so the presenter's background loads can use it from a
pool thread while the window keeps its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from desktop.review.anchors import ReportContent, ReportInfo, SectionInfo
from desktop.store.cache import open_reader
from desktop.store.queries import section_texts


class ReviewSource(Protocol):
    """The current reports (cheap fields) and, on request, the text and sections of some of them."""

    def current_reports(self) -> list[ReportInfo]: ...  # a new list each time: the caller empties it

    def report_info(self, path: str) -> ReportInfo | None: ...

    def load(self, paths: list[str], *, outline_when_unread: bool = False) -> dict[str, ReportContent]: ...


_INFO = (
    "SELECT r.path, r.label, r.title, r.date, r.team, f.hash FROM reports r JOIN files f ON f.path = r.path"
)


class CacheSource:
    def __init__(self, cache_path: Path) -> None:
        self._path = cache_path

    def current_reports(self) -> list[ReportInfo]:
        db = open_reader(self._path)
        if db is None:
            return []
        try:
            return [ReportInfo(*r) for r in db.execute(_INFO).fetchall()]
        finally:
            db.close()

    def report_info(self, path: str) -> ReportInfo | None:
        """One report's fields, by its path: what the window asks for (the listing is 50,000 rows)."""
        db = open_reader(self._path)
        if db is None:
            return None
        try:
            row = db.execute(f"{_INFO} WHERE r.path = ?", [path]).fetchone()
            return None if row is None else ReportInfo(*row)
        finally:
            db.close()

    def load(self, paths: list[str], *, outline_when_unread: bool = False) -> dict[str, ReportContent]:
        """Text and sections (queries.section_texts); with `outline_when_unread`, a report whose file
        is not the version indexed comes too, without text (a note is kept all the same)."""
        db = open_reader(self._path)
        if db is None:
            return {}
        try:
            return {
                path: ReportContent(text, [SectionInfo(*section) for section in sections])
                for path, (text, sections) in section_texts(
                    db, paths, outline_when_unread=outline_when_unread
                ).items()
            }
        finally:
            db.close()
