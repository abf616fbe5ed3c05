"""Find the report files below a folder and work out how they relate (Notion sub-pages, teams)."""

from __future__ import annotations

import functools
import operator
import os
import re
from pathlib import Path
from typing import NamedTuple

from desktop.core.paths import path_key, readable

REPORT_EXTENSIONS = frozenset({"md", "markdown", "txt"})
NOTION_ID = re.compile(r"[ _-]?[0-9a-f]{32}$", re.IGNORECASE)
_TIME_FOLDER = re.compile(r"^(\d{4}([-_. ]?(\d{1,2}|Q[1-4]))?|Q[1-4]|\d{4}年(\d{1,2}月)?|\d{1,2}月)$", re.I)


class FileEntry(NamedTuple):
    """One file found. A tuple: tens of thousands are made on every re-index, cheaply."""

    path: str  # relative to the folder, with "/", as a key (desktop.core.paths.path_key)
    size: int
    mtime_ns: int
    skip: str | None = None  # why this entry is listed under problems instead of being read


_SUFFIXES = tuple(f".{ext}" for ext in sorted(REPORT_EXTENSIONS))
_new_entry = tuple.__new__  # builds a FileEntry without a Python-level call per file
_by_path = operator.itemgetter(0)


def scan_folder(root: Path) -> list[FileEntry]:
    """Every report file below root, recursively, skipping hidden files and folders. Sorted by path.

    os.scandir tells files from folders without a stat call per name, and the one stat per report
    (for its size and time) is the DirEntry's own; the loop makes no Path or other object per file,
    which keeps re-indexing 50,000 reports quick. Symbolic links to folders are not followed (no
    cycles); a link to a file is followed only when its target is inside the folder (a link to
    /etc/passwd must not be indexed and found by search). Links not followed and folders that cannot
    be read are entries with a `skip` reason, so the problems list names them.
    """
    found: list[FileEntry] = []
    real_root = os.path.realpath(root)
    pending = [(str(root), "")]
    suffixes = _SUFFIXES
    new, entry_type = _new_entry, FileEntry
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except FileNotFoundError:
            continue  # vanished between listing and reading
        except OSError as exc:
            if prefix:  # the opened folder itself is checked by the caller
                found.append(_problem(folder, prefix, f"folder cannot be read: {exc.strerror or exc}"))
            continue
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                # Plain files first (nearly every name): d_type answers without a system call.
                if entry.is_file(follow_symlinks=False):
                    if name.endswith(suffixes) or _is_report_name(name):
                        st = entry.stat(follow_symlinks=False)
                        key = prefix + (name if name.isascii() else path_key(name))
                        found.append(new(entry_type, (key, st.st_size, st.st_mtime_ns, None)))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{path_key(name)}/"))
                elif entry.is_symlink():
                    link = _link_entry(entry, prefix + path_key(name), real_root)
                    if link is not None:
                        found.append(link)
            except OSError:
                continue  # vanished between listing and stat
    found.sort(key=_by_path)
    return found


def _is_report_name(name: str) -> bool:
    return name.rpartition(".")[2].lower() in REPORT_EXTENSIONS


def _problem(path: str, key: str, reason: str) -> FileEntry:
    try:
        st = os.lstat(path)
        return FileEntry(key, st.st_size, st.st_mtime_ns, reason)
    except OSError:
        return FileEntry(key, 0, 0, reason)


def _link_entry(entry: os.DirEntry[str], key: str, real_root: str) -> FileEntry | None:
    """A symbolic link: followed when it points at a report file inside the folder, else a problem."""
    target = os.path.realpath(entry.path)
    shown = readable(path_key(target))
    inside = os.path.commonpath([real_root, target]) == real_root
    if entry.is_dir():
        # Folders inside are reached by their own path; outside ones are named, never followed.
        return None if inside else _problem(entry.path, key, f"link to a folder outside the folder ({shown})")
    if not _is_report_name(entry.name):
        return None
    if not Path(target).exists():
        return _problem(entry.path, key, f"broken link (to {shown})")
    if not inside:
        return _problem(entry.path, key, f"link to a file outside the folder ({shown}); not followed")
    if not entry.is_file():
        return None
    st = entry.stat()
    return FileEntry(key, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=65536)
def strip_notion_id(stem: str) -> str:
    """`2024-W24 0123…cdef` → `2024-W24`."""
    return NOTION_ID.sub("", stem).strip()


def _page_key(path: str) -> str:
    """A page's identity for linking a sub-page folder to its page: path without suffix and Notion id.

    Plain string work: this runs for every file on every re-index, where PurePosixPath is too slow.
    """
    parts = path.split("/")
    stem, dot, _suffix = parts[-1].rpartition(".")
    parts[-1] = stem if dot else parts[-1]
    return "/".join(strip_notion_id(part) for part in parts).casefold()


def find_parents(paths: list[str]) -> dict[str, str]:
    """Map each Notion sub-page to the page whose same-named folder it sits in.

    Notion exports `2024-W24 <id>.md` with its sub-pages in the folder `2024-W24 <id>/`; the sub-pages
    belong to that report rather than being weeks of their own.
    """
    # Only files named like some folder can own one: test names first, keys for those alone.
    folder_names = {
        strip_notion_id(p.rpartition("/")[0].rpartition("/")[2]).casefold() for p in paths if "/" in p
    }
    pages = {
        _page_key(p): p
        for p in paths
        if strip_notion_id(p.rpartition("/")[2].rpartition(".")[0]).casefold() in folder_names
    }
    folder_owner: dict[str, str | None] = {}
    parents: dict[str, str] = {}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder:
            if folder not in folder_owner:
                folder_owner[folder] = pages.get(_page_key(folder + ".md"))
            owner = folder_owner[folder]
            if owner is not None and owner != path:
                parents[path] = owner
                break
            folder = folder.rpartition("/")[0]
    return parents


def team_of(path: str, parents: dict[str, str]) -> str | None:
    """The first folder below the opened one, for reports kept in team folders; None at the top level."""
    top = parents.get(path, path)
    first, slash, _rest = top.partition("/")
    if not slash:
        return None
    name = strip_notion_id(first)
    # Folders named for a year, month or quarter (`2025/`, `2024-06`, `Q3`) organise time, not teams.
    if _TIME_FOLDER.match(name):
        return None
    return readable(name)  # a series name: a GBK folder name as people read it


def is_report_path(relpath: str) -> bool:
    """Whether the scanner would list this folder-relative path: a report file, no hidden part."""
    parts = relpath.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return False
    return parts[-1].rpartition(".")[2].lower() in REPORT_EXTENSIONS and "." in parts[-1]
