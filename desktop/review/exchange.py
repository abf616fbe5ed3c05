"""Review data as a JSON file: export a folder's notes and read marks, merge such a file back in.

The merge keeps, per note, the version changed last, and per report the latest read; importing the same
file twice changes nothing. The whole file is checked before anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.review.db import ReviewError
from desktop.review.store import ReviewStore, folder_key

EXPORT_VERSION = 1

_REPORT_FIELDS = {
    "report": str,
    "label": (str, type(None)),
    "title": str,
    "date": str,
    "team": (str, type(None)),
}
_ANCHOR_FIELDS = {"digest": str, "text_hash": str, "sketch": list}
_NOTE_FIELDS = {
    "id": str,
    "section_key": (str, type(None)),
    "section": (str, type(None)),
    "quote": str,
    "text": str,
    "follow_up": bool,
    "created": str,
    "updated": str,
    "closed": (str, type(None)),
    "deleted": (str, type(None)),
    "orphaned": bool,
}
_READ_FIELDS = {"read_at": str, "read_digest": str, "read_hash": str}


class ImportError_(ReviewError):  # noqa: N801, N818 - not the builtin ImportError
    """The file is not a review export (or is damaged)."""


def export_data(store: ReviewStore, folder: Path) -> dict[str, Any]:
    conn = store.db.conn
    key = folder_key(folder)
    report_cols = "r.path, r.label, r.title, r.date, r.team, r.digest, r.text_hash, r.sketch"

    def report_part(r: tuple[Any, ...]) -> dict[str, Any]:
        return {
            "report": r[0],
            "label": r[1],
            "title": r[2],
            "date": r[3],
            "team": r[4],
            "digest": r[5],
            "text_hash": r[6],
            "sketch": json.loads(r[7]),
        }

    notes = []
    for r in conn.execute(
        f"SELECT {report_cols}, n.id, n.section_key, n.section_title, n.quote, n.text, n.follow_up,"
        " n.created, n.updated, n.closed, n.deleted, n.orphaned OR r.gone"
        " FROM notes n JOIN reports r ON r.id = n.report_id"
        " WHERE r.folder = ? ORDER BY n.created, n.id",
        [key],
    ):
        notes.append(
            {
                **report_part(r),
                "id": r[8],
                "section_key": r[9],
                "section": r[10],
                "quote": r[11],
                "text": r[12],
                "follow_up": bool(r[13]),
                "created": r[14],
                "updated": r[15],
                "closed": r[16],
                "deleted": r[17],
                "orphaned": bool(r[18]),
            }
        )
    reads = [
        {**report_part(r), "read_at": r[8], "read_digest": r[9], "read_hash": r[10]}
        for r in conn.execute(
            f"SELECT {report_cols}, x.read_at, x.digest, x.text_hash FROM reads x"
            " JOIN reports r ON r.id = x.report_id WHERE r.folder = ? ORDER BY r.path",
            [key],
        )
    ]
    return {"version": EXPORT_VERSION, "app": "weekly-review", "folder": key, "notes": notes, "reads": reads}


def _check(items: object, fields: dict[str, Any], what: str) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise ImportError_(f"'{what}' is not a list")
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise ImportError_(f"{what} #{number} is not an object")
        for name, kind in {**_REPORT_FIELDS, **_ANCHOR_FIELDS, **fields}.items():
            if name not in item:
                raise ImportError_(f"{what} #{number} has no '{name}'")
            if not isinstance(item[name], kind) or (kind is str and not isinstance(item[name], str)):
                raise ImportError_(f"{what} #{number}: '{name}' has the wrong type")
        if not all(isinstance(h, int) for h in item["sketch"]):
            raise ImportError_(f"{what} #{number}: 'sketch' must hold integers")
    return items


def read_export(path: Path) -> dict[str, Any]:
    """The checked contents of an export file; ImportError_ names what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportError_(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportError_(f"{path} is not a review export: {exc}") from exc
    if not isinstance(data, dict) or data.get("app") != "weekly-review" or "notes" not in data:
        raise ImportError_(f"{path} is not a review export")
    if data.get("version") != EXPORT_VERSION:
        raise ImportError_(f"{path}: export version {data.get('version')!r} is not {EXPORT_VERSION}")
    notes = _check(data["notes"], _NOTE_FIELDS, "note")
    if len({n["id"] for n in notes}) != len(notes):
        raise ImportError_(f"{path}: a note id appears twice")
    _check(data.get("reads", []), _READ_FIELDS, "read")
    return data


def import_data(store: ReviewStore, folder: Path, data: dict[str, Any]) -> dict[str, int]:
    """Merge a checked export into `folder`'s review data, in one transaction. Returns what changed."""
    key = folder_key(folder)
    counts = {"added": 0, "updated": 0, "reads": 0}
    with store.db.transaction() as conn:
        ids: dict[str, int] = {}

        def report_id(item: dict[str, Any]) -> int:
            path = item["report"]
            if path in ids:
                return ids[path]
            row = conn.execute(
                "SELECT id FROM reports WHERE folder = ? AND path = ? ORDER BY gone, id LIMIT 1", [key, path]
            ).fetchone()
            if row is None:
                cur = conn.execute(
                    "INSERT INTO reports(folder, path, label, title, date, team, digest, text_hash, sketch)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        key,
                        path,
                        item["label"],
                        item["title"],
                        item["date"],
                        item["team"],
                        item["digest"],
                        item["text_hash"],
                        json.dumps(item["sketch"]),
                    ],
                )
                row = (cur.lastrowid,)
            ids[path] = int(row[0])
            return ids[path]

        for n in data["notes"]:
            old = conn.execute("SELECT updated FROM notes WHERE id = ?", [n["id"]]).fetchone()
            if old is not None and old[0] >= n["updated"]:
                continue
            values = [
                report_id(n),
                n["section_key"],
                n["section"],
                n["quote"],
                n["text"],
                int(n["follow_up"]),
                n["created"],
                n["updated"],
                n["closed"],
                n["deleted"],
                int(n["orphaned"]),
            ]
            conn.execute(
                "INSERT OR REPLACE INTO notes(report_id, section_key, section_title, quote, text, follow_up,"
                " created, updated, closed, deleted, orphaned, id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*values, n["id"]],
            )
            counts["added" if old is None else "updated"] += 1
        for x in data.get("reads", []):
            rid = report_id(x)
            old = conn.execute("SELECT read_at FROM reads WHERE report_id = ?", [rid]).fetchone()
            if old is not None and old[0] >= x["read_at"]:
                continue
            conn.execute(
                "INSERT OR REPLACE INTO reads(report_id, read_at, digest, text_hash) VALUES (?, ?, ?, ?)",
                [rid, x["read_at"], x["read_digest"], x["read_hash"]],
            )
            counts["reads"] += 1
    return counts
