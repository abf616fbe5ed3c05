"""What every command shares: argument types, opening a folder's cache, resolving a report, output."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import NoReturn, TextIO

from desktop.store.cache import Cache
from desktop.store.indexer import IndexSummary, open_and_index
from desktop.store.queries import list_reports, resolve_report


class UsageError(Exception):
    """A bad argument or folder: one line on stderr and exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def print_json(data: object, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def folder_arg(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.exists():
        raise UsageError(f"no such folder: {value}")
    if not path.is_dir():
        raise UsageError(f"not a folder: {value}")
    try:
        next(iter(path.iterdir()), None)
    except OSError as exc:
        raise UsageError(f"cannot read folder {value}: {exc.strerror or exc}") from exc
    return path


def open_folder(folder: Path, with_counts: bool = False) -> tuple[Cache, IndexSummary]:
    return open_and_index(folder, with_counts=with_counts)


def resolve(cache: Cache, ref: str) -> str:
    path, candidates = resolve_report(cache.db, ref)
    if path is not None:
        return path
    names = ", ".join(f"{r.path} ({r.label or r.date})" for r in candidates[-12:])
    if len(candidates) > 12:
        names = f"… {names}"
    what = (
        "is ambiguous"
        if candidates and len(candidates) < len(list_reports(cache.db))
        else "matches no report"
    )
    raise UsageError(f"{ref!r} {what}; candidates: {names or 'none'}")
