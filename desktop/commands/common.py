"""What every command shares: argument types, opening a folder's cache, resolving a report, output."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn, TextIO

from desktop.core.paths import path_key, readable
from desktop.store.indexer import open_and_index

if TYPE_CHECKING:
    from desktop.store.cache import Cache
    from desktop.store.indexer import IndexSummary


class UsageError(Exception):
    """A bad argument or folder: one line on stderr and exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# JSON fields that hold a file's path: shown readably when the name is not valid UTF-8.
PATH_FIELDS = frozenset({"path", "report", "parent"})


def _readable_paths(data: object) -> object:
    if isinstance(data, dict):
        return {
            k: readable(v) if k in PATH_FIELDS and isinstance(v, str) else _readable_paths(v)
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [_readable_paths(v) for v in data]
    return data


def _encoding(out: TextIO) -> str:
    """The stream's encoding as `utf8`, `gbk`, …; "" for an in-memory stream."""
    return (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")


def _utf8_buffer(out: TextIO) -> BinaryIO | None:
    """The bytes under a UTF-8 text stream, which take UTF-8 bytes as they are; None for any other."""
    buffer = getattr(out, "buffer", None)
    return buffer if buffer is not None and _encoding(out) == "utf8" else None


def print_json(data: object, out: TextIO) -> None:
    # A stream that cannot take all of Unicode (PYTHONIOENCODING=ascii) gets \u escapes: still exact.
    import json  # here: the listings most commands print are written by SQLite or orjson

    encoding = _encoding(out) or "utf8"
    json.dump(_readable_paths(data), out, ensure_ascii=not encoding.startswith("utf"), indent=2)
    out.write("\n")


def print_json_compact(data: object, out: TextIO) -> None:
    """JSON on one line without spaces, for the listings that run to megabytes (timeline, progress, notes).

    orjson writes exactly what json.dumps(ensure_ascii=False, separators=(",", ":")) does, eight times
    faster (80 ms of the progress list at 5,000 reports), as UTF-8 bytes; a stream that is not UTF-8,
    or text orjson refuses (lone surrogates), takes the standard library's way. (The one difference,
    NaN as null, cannot arise: these listings hold no NaN, their numbers are figures read from text.)
    """
    buffer = _utf8_buffer(out)
    if buffer is not None:
        import orjson

        try:
            data_bytes = orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError:
            pass
        else:
            out.flush()
            buffer.write(data_bytes)
            return
    # \u escapes for any other stream, as print_json does: a GBK or ASCII terminal gets every
    # character back when the JSON is read, where writing them as text would turn some into "?".
    encoding = _encoding(out)
    ascii_only = bool(encoding) and not encoding.startswith("utf")  # no encoding: an in-memory stream
    import json

    out.write(json.dumps(data, ensure_ascii=ascii_only, separators=(",", ":")) + "\n")


def print_json_bytes(data: bytes, out: TextIO) -> None:
    """JSON already written as UTF-8 (by SQLite): as it is, or through print_json_compact's fallback."""
    buffer = _utf8_buffer(out)
    if buffer is not None:
        out.flush()
        buffer.write(data)  # (`data + b"\n"` would copy megabytes)
        buffer.write(b"\n")
    else:
        import json

        print_json_compact(json.loads(data), out)


def print_text_bytes(data: bytes, out: TextIO) -> None:
    """Text already written as UTF-8 (by SQLite): as it is, or decoded for a stream that is not UTF-8."""
    buffer = _utf8_buffer(out)
    if buffer is not None:
        out.flush()
        buffer.write(data)
    else:
        out.write(data.decode("utf-8", errors="replace"))


def wanted(only: str | None, command: str) -> bool:
    """Whether to add `command` to the parser: every command (only=None, for help and unknown names) or
    just the one being run (each subparser costs its arguments' help formatters and gettext look-ups)."""
    return only is None or only == command


def folder_arg(value: str) -> Path:
    if not value.strip():
        raise UsageError("the folder argument is empty")
    path = Path(value).expanduser()
    shown = readable(value)
    if not path.exists():
        raise UsageError(f"no such folder: {shown}")
    if not path.is_dir():
        raise UsageError(f"not a folder: {shown}")
    try:
        next(iter(path.iterdir()), None)
    except OSError as exc:
        raise UsageError(f"cannot read folder {shown}: {exc.strerror or exc}") from exc
    return path


def text_arg(value: str) -> str:
    """A name or query typed on the command line: rejected when empty; bytes not in UTF-8 read as GB18030."""
    if not value.strip():
        raise UsageError("an empty argument")
    return readable(value)


def open_folder(folder: Path, with_counts: bool = False) -> tuple[Cache, IndexSummary]:
    return open_and_index(folder, with_counts=with_counts)


def resolve(cache: Cache, ref: str) -> str:
    from desktop.store.queries import list_reports, resolve_report

    path, candidates = resolve_report(cache.db, path_key(ref))
    if path is None:
        # A report whose name is not UTF-8 may be named as the listings show it.
        shown = {readable(r.path): r.path for r in list_reports(cache.db)}
        if ref in shown:
            path, candidates = resolve_report(cache.db, shown[ref])
    if path is not None:
        return path
    names = ", ".join(f"{readable(r.path)} ({r.label or r.date})" for r in candidates[-12:])
    if len(candidates) > 12:
        names = f"… {names}"
    what = (
        "is ambiguous"
        if candidates and len(candidates) < len(list_reports(cache.db))
        else "matches no report"
    )
    raise UsageError(f"{readable(ref)!r} {what}; candidates: {names or 'none'}")
