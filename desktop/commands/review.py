"""The reviewer's memory on the command line: mark, note, close, notes, review-export/-import.

The cache tells what the folder holds now; the review store (desktop.review) keeps what the reviewer
did. Every command first brings the store's anchors to the folder as it is (renames, moves, edits).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from desktop.commands.common import (
    UsageError,
    folder_arg,
    open_folder,
    print_json,
    print_json_bytes,
    print_text_bytes,
    resolve,
    wanted,
)
from desktop.core.paths import readable
from desktop.review.anchors import ReportContent, ReportInfo, SectionInfo, key_of
from desktop.review.db import DB_NAME, ReviewError, data_dir
from desktop.review.store import NoteNotFound, ReviewStore, folder_key
from desktop.store.cache import Cache

_CURRENT = (
    "SELECT r.path, r.label, r.title, r.date, r.team, f.hash FROM reports r JOIN files f ON f.path = r.path"
)


def current_reports(cache: Cache, paths: Sequence[str] | None = None) -> list[ReportInfo]:
    """Every report of the cached folder (or those of `paths` it has), with the hash of its file's bytes."""
    if paths is None:
        return [ReportInfo(*r) for r in cache.db.execute(_CURRENT).fetchall()]
    found: list[ReportInfo] = []
    for start in range(0, len(paths), 500):  # under SQLite's bound-parameter limit
        chunk = list(paths[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        found.extend(ReportInfo(*r) for r in cache.db.execute(f"{_CURRENT} WHERE r.path IN ({marks})", chunk))
    return found


def loader(cache: Cache) -> ReviewLoader:
    return ReviewLoader(cache)


class ReviewLoader:
    """Text and sections of reports from the cache, for desktop.review's resolver."""

    def __init__(self, cache: Cache) -> None:
        self._db = cache.db

    def __call__(self, paths: list[str]) -> dict[str, ReportContent]:
        if not paths:
            return {}
        # The report model and its queries: only when a text is needed (a note written, a report
        # that moved), not on every listing (nine dataclasses made at import, ~15 ms).
        from desktop.store.queries import section_texts

        return {
            path: ReportContent(text, [SectionInfo(*section) for section in sections])
            for path, (text, sections) in section_texts(self._db, paths).items()
        }


@contextlib.contextmanager
def review_store() -> Iterator[ReviewStore]:
    """The review store, its messages (a restored backup) on stderr, its errors as usage errors."""
    try:
        store = ReviewStore()
    except ReviewError as exc:
        raise UsageError(str(exc)) from exc
    try:
        for message in store.messages:
            print(f"weekly-review: {message}", file=sys.stderr)
        yield store
    except NoteNotFound as exc:
        raise UsageError(f"{exc}; `weekly-review notes FOLDER` lists the notes") from exc
    except ReviewError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        store.close()


def synced(store: ReviewStore, folder: Path, cache: Cache) -> None:
    """Bring the store's notes and read marks to the folder as the cache has it now."""
    # Nearly always every report the store knows is still at its path, and then those reports alone
    # decide the same as the whole folder would (5,000 rows read for nothing on every command). A
    # report that moved or vanished is looked for among them all, and so is a folder the store knows
    # nothing of (it may be one that moved whole).
    known = store.known_paths(folder)
    current = current_reports(cache, known) if known else []
    if not known or len(current) != len(known) or len(set(known)) != len(known):
        current = current_reports(cache)
    for message in store.resolve(folder, current, loader(cache)).messages:
        print(f"weekly-review: {message}", file=sys.stderr)


def _one(cache: Cache, ref: str) -> tuple[ReportInfo, ReportContent]:
    path = resolve(cache, ref)
    (info,) = current_reports(cache, [path])
    from desktop.store.queries import section_texts

    # (A file changed again since this command indexed it: its outline will do, and the note is kept.)
    text, sections = section_texts(cache.db, [path], outline_when_unread=True)[path]
    return info, ReportContent(text, [SectionInfo(*section) for section in sections])


def _section(content: ReportContent, title: str, path: str) -> SectionInfo:
    """The section a person named: its exact title, else its key, else the one title containing it."""
    wanted = title.strip()
    key, folded = key_of(wanted), wanted.casefold()
    tests: tuple[Callable[[SectionInfo], bool], ...] = (
        lambda s: s.title == wanted,
        lambda s: bool(key) and s.key == key,
        lambda s: folded in s.title.casefold(),
    )
    for test in tests:
        found = [s for s in content.sections if test(s)]
        if len(found) == 1:
            return found[0]
        if found:
            break
    titles = "; ".join(s.title for s in content.sections) or "none"
    raise UsageError(f"{path} has no section {title!r}; its sections: {titles}")


def cmd_mark(args: argparse.Namespace, out: TextIO) -> int:
    cache, _ = open_folder(args.folder)
    try:
        with review_store() as store:
            synced(store, args.folder, cache)
            info, content = _one(cache, args.report)
            if args.unread:
                store.mark_unread(args.folder, info.path)
                out.write(f"{info.path}: unread\n")
            else:
                stamp = store.mark_read(args.folder, info, content)
                out.write(f"{info.path}: read {stamp}\n")
    finally:
        cache.close()
    return 0


def cmd_note(args: argparse.Namespace, out: TextIO) -> int:
    # Bytes not in UTF-8 (a GBK terminal) become text before they reach the database.
    args.text = readable(args.text)
    args.section = None if args.section is None else readable(args.section)
    if not args.text.strip():
        raise UsageError("the note's text is empty")
    cache, _ = open_folder(args.folder)
    try:
        with review_store() as store:
            synced(store, args.folder, cache)
            info, content = _one(cache, args.report)
            section = None if args.section is None else _section(content, args.section, info.path)
            note = store.add_note(
                args.folder, info, content, args.text, section=section, follow_up=args.follow_up
            )
    finally:
        cache.close()
    if args.json:
        print_json(note.as_json(), out)
    else:
        out.write(f"{note.id}\n")
    return 0


def cmd_close(args: argparse.Namespace, out: TextIO) -> int:
    with review_store() as store:
        note = store.note(args.note_id)
        # The id must be one of this folder's notes, so a typo in FOLDER is not silently accepted.
        if (
            store.db.conn.execute(
                "SELECT 1 FROM notes n JOIN reports r ON r.id = n.report_id WHERE n.id = ? AND r.folder = ?",
                [note.id, folder_key(args.folder)],
            ).fetchone()
            is None
        ):
            raise UsageError(f"{args.note_id!r} is not a note in {args.folder}")
        note = store.set_closed(note.id, not args.reopen)
    out.write(f"{note.id}: {'reopened' if args.reopen else 'closed ' + str(note.closed)}\n")
    return 0


def cmd_notes(args: argparse.Namespace, out: TextIO) -> int:
    cache, _ = open_folder(args.folder)
    try:
        with review_store() as store:
            synced(store, args.folder, cache)
            if args.json:
                data = store.notes_json(args.folder, open_only=args.open)
            else:
                data = store.notes_text(args.folder, open_only=args.open)
    finally:
        cache.close()
    if args.json:
        print_json_bytes(data, out)
    else:
        print_text_bytes(data or b"no notes\n", out)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    import tempfile  # these two commands only: the others start faster without

    from desktop.review.exchange import export_data

    cache, _ = open_folder(args.folder)
    try:
        with review_store() as store:
            synced(store, args.folder, cache)
            data = export_data(store, args.folder)
    finally:
        cache.close()
    if args.out is None:
        print_json(data, out)
        return 0
    target = Path(args.out).expanduser()
    # Written beside the target and renamed over it: a crash never leaves half a file.
    try:
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            print_json(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        Path(partial).replace(target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    out.write(f"{len(data['notes'])} notes, {len(data['reads'])} read marks written to {target}\n")
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.review.exchange import import_data, read_export

    with review_store() as store:
        try:
            data = read_export(Path(args.file).expanduser())
        except ReviewError as exc:
            raise UsageError(f"corrupt import file: {exc}") from exc
        cache, _ = open_folder(args.folder)
        try:
            counts = import_data(store, args.folder, data)
            synced(store, args.folder, cache)
        finally:
            cache.close()
    out.write(f"{counts['added']} notes added, {counts['updated']} updated, {counts['reads']} read marks\n")
    return 0


def read_marks(folder: Path, cache: Cache) -> dict[str, tuple[str, bool]]:
    """Read time and changed-since-read of each read report (for `reports --json`).

    Without a review database there is nothing to say, and none is made just to say so.
    """
    if not (data_dir() / DB_NAME).exists():
        return {}
    with review_store() as store:
        synced(store, folder, cache)
        return {path: (s.read_at, s.changed) for path, s in store.read_states(folder).items()}


def read_json(marks: dict[str, tuple[str, bool]], path: str) -> dict[str, object]:
    mark = marks.get(path)
    return {"read": mark[0] if mark else None, "changed_since_read": mark[1] if mark else None}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], only: str | None = None) -> None:
    """Add this module's commands to the command line (`only`: just that one, see common.wanted)."""
    if wanted(only, "mark"):
        p = sub.add_parser("mark", help="mark a report read (or unread)")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("report", help="a path, a week label or a date")
        p.add_argument("--unread", action="store_true")
        p.set_defaults(run=cmd_mark)

    if wanted(only, "note"):
        p = sub.add_parser("note", help="add a note to a report or one of its sections")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("report", help="a path, a week label or a date")
        p.add_argument("text")
        p.add_argument("--section", help="the section's title")
        p.add_argument("--follow-up", action="store_true", help="a question or action for the team")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=cmd_note)

    if wanted(only, "close"):
        p = sub.add_parser("close", help="close (or reopen) a follow-up")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("note_id")
        p.add_argument("--reopen", action="store_true")
        p.set_defaults(run=cmd_close)

    if wanted(only, "notes"):
        p = sub.add_parser("notes", help="the notes of a folder")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("--open", action="store_true", help="open follow-ups only")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=cmd_notes)

    if wanted(only, "review-export"):
        p = sub.add_parser("review-export", help="notes and read marks as JSON")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("--out", help="a file (default: standard output)")
        p.set_defaults(run=cmd_export)

    if wanted(only, "review-import"):
        p = sub.add_parser("review-import", help="merge a review export into this folder's notes")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("file")
        p.set_defaults(run=cmd_import)


__all__ = ["current_reports", "read_json", "read_marks", "register"]
