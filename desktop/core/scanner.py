"""Find the report files below a folder and work out how they relate (Notion sub-pages, teams)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REPORT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
NOTION_ID = re.compile(r"[ _-]?[0-9a-f]{32}$", re.IGNORECASE)
_TIME_FOLDER = re.compile(r"^(\d{4}([-_. ]?(\d{1,2}|Q[1-4]))?|Q[1-4]|\d{4}年(\d{1,2}月)?|\d{1,2}月)$", re.I)


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str  # relative to the folder, with "/"
    size: int
    mtime_ns: int


def scan_folder(root: Path) -> list[FileEntry]:
    """Every report file below root, recursively, skipping hidden files and folders. Sorted by path."""
    found: list[FileEntry] = []
    root_str = str(root)
    for dirpath, dirnames, filenames in os.walk(root_str, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, root_str)
        for name in filenames:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in REPORT_SUFFIXES:
                continue
            full = os.path.join(dirpath, name)
            try:
                st = os.stat(full)
            except OSError:
                continue  # vanished between listing and stat
            if not os.path.isfile(full):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            found.append(FileEntry(rel, st.st_size, st.st_mtime_ns))
    found.sort(key=lambda e: e.path)
    return found


def strip_notion_id(stem: str) -> str:
    """`2024-W24 0123…cdef` → `2024-W24`."""
    return NOTION_ID.sub("", stem).strip()


def _page_key(path: str) -> str:
    """A page's identity for linking a sub-page folder to its page: path without suffix and Notion id."""
    p = PurePosixPath(path)
    parts = [strip_notion_id(part) for part in p.parent.parts]
    parts.append(strip_notion_id(p.stem))
    return "/".join(parts).casefold()


def find_parents(paths: list[str]) -> dict[str, str]:
    """Map each Notion sub-page to the page whose same-named folder it sits in.

    Notion exports `2024-W24 <id>.md` with its sub-pages in the folder `2024-W24 <id>/`; the sub-pages
    belong to that report rather than being weeks of their own.
    """
    pages = {_page_key(p): p for p in paths}
    parents: dict[str, str] = {}
    for path in paths:
        folder = PurePosixPath(path).parent
        while folder.parts:
            owner = pages.get(_page_key(str(folder) + ".md"))
            if owner is not None and owner != path:
                parents[path] = owner
                break
            folder = folder.parent
    return parents


def team_of(path: str, parents: dict[str, str]) -> str | None:
    """The first folder below the opened one, for reports kept in team folders; None at the top level."""
    top = parents.get(path, path)
    parts = PurePosixPath(top).parts
    if len(parts) < 2:
        return None
    name = strip_notion_id(parts[0])
    # Folders named for a year, month or quarter (`2025/`, `2024-06`, `Q3`) organise time, not teams.
    if _TIME_FOLDER.match(name):
        return None
    return name
