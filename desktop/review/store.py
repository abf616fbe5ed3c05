"""The reviewer's memory: notes, follow-ups and read marks, kept per report folder.

Every method that changes something is one transaction (desktop.review.db). Notes are never deleted
from the database: deleting one leaves a tombstone that undo, or a later import, can bring back.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from desktop.review.anchors import Fingerprint, ReportContent, ReportInfo, SectionInfo, quote_of
from desktop.review.db import ReviewDb, ReviewError, now
from desktop.review.resolve import (
    KNOWN_COLUMNS,
    KnownReport,
    Loader,
    NoteAnchor,
    Plan,
    parse_sketch,
    plan,
)


class NoteNotFound(ReviewError):  # noqa: N818 - named for what the user asked for
    """No note has that id (or the id's start names several)."""


class Note(NamedTuple):  # (NamedTuples, not dataclasses: anchors.py says why)
    id: str
    report: str  # the report's current path relative to the folder (its last known one when gone)
    label: str | None
    date: str
    team: str | None
    section: str | None  # the anchored section's current title; None for a whole-report note
    section_key: str | None
    quote: str
    text: str
    follow_up: bool
    created: str
    updated: str
    closed: str | None
    deleted: str | None
    orphaned: bool  # its report or section cannot be found any more: shown with its quote

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "report": self.report,
            "label": self.label,
            "section": self.section,
            "quote": self.quote,
            "text": self.text,
            "follow_up": self.follow_up,
            "created": self.created,
            "closed": self.closed,
            "orphaned": self.orphaned,
        }


class ReadState(NamedTuple):
    read_at: str
    changed: bool  # the report's text is not the one that was read


_NOTE_SELECT = (
    "SELECT n.id, r.path, r.label, r.date, r.team, n.section_title, n.section_key, n.quote, n.text,"
    " n.follow_up, n.created, n.updated, n.closed, n.deleted, n.orphaned OR r.gone"
    " FROM notes n JOIN reports r ON r.id = n.report_id"
)


# r.id after the path: with it the indexes of schema 4 give this order, and SQLite sorts nothing.
_NOTE_ORDER = "ORDER BY r.date, r.path, r.id, n.created, n.id"


def _notes_where(
    folder: Path, report: str | None, open_only: bool, deleted: bool
) -> tuple[str, list[object]]:
    where = ["r.folder = ?"]
    params: list[object] = [folder_key(folder)]
    if report is not None:
        where.append("r.path = ? AND r.gone = 0")
        params.append(report)
    if open_only:
        where.append("n.follow_up = 1 AND n.closed IS NULL")
    if not deleted:
        where.append("n.deleted IS NULL")
    return " AND ".join(where), params


def _note(r: Sequence[object]) -> Note:
    return Note(
        str(r[0]),
        str(r[1]),
        None if r[2] is None else str(r[2]),
        str(r[3]),
        None if r[4] is None else str(r[4]),
        None if r[5] is None else str(r[5]),
        None if r[6] is None else str(r[6]),
        str(r[7]),
        str(r[8]),
        bool(r[9]),
        str(r[10]),
        str(r[11]),
        None if r[12] is None else str(r[12]),
        None if r[13] is None else str(r[13]),
        bool(r[14]),
    )


def folder_key(folder: Path) -> str:
    return str(folder.resolve())


def _exists(folder: str) -> bool:
    try:
        return Path(folder).exists()
    except OSError:  # a path this system cannot even ask about is as good as gone
        return False


class ReviewStore:
    """The one way in to the review database; no Qt, no cache: callers pass what they know of reports."""

    def __init__(self, path: Path | None = None) -> None:
        self.db = ReviewDb(path)

    @property
    def messages(self) -> list[str]:
        return self.db.messages

    def close(self) -> None:
        self.db.close()

    # -- reports ------------------------------------------------------------------------------

    def known_paths(self, folder: Path) -> list[str]:
        """The path of every report of `folder` the store knows of (with notes or a read mark)."""
        rows = self.db.conn.execute("SELECT path FROM reports WHERE folder = ?", [folder_key(folder)])
        return [str(r[0]) for r in rows]

    def _known(self, folder: str) -> list[KnownReport]:
        rows = self.db.conn.execute(
            f"SELECT {KNOWN_COLUMNS} FROM reports WHERE folder = ? ORDER BY gone, id", [folder]
        ).fetchall()
        return [KnownReport.from_row(r) for r in rows]

    def _follow_moved_folder(self, key: str, current: Sequence[ReportInfo]) -> str | None:
        """Move to `key` the notes of a folder that is gone, when `key` is that folder moved or renamed
        whole; the old folder's key, or None.

        Notes are kept per folder, so a moved folder would open with none. A folder the database does
        not know, holding at least half of a vanished folder's noted reports at the same paths with the
        same content, takes that folder's notes and read marks over (and says so).
        """
        by_path = {info.path: info.digest for info in current}
        if not by_path:
            return None
        best: tuple[int, str] | None = None
        rows = self.db.conn.execute(
            "SELECT folder, path, digest FROM reports WHERE gone = 0 AND folder != ?", [key]
        ).fetchall()
        folders: dict[str, list[tuple[str, str]]] = {}
        for folder, path, digest in rows:
            folders.setdefault(str(folder), []).append((str(path), str(digest)))
        for folder, reports in folders.items():
            same = sum(1 for path, digest in reports if by_path.get(path) == digest)
            if 2 * same >= len(reports) and (best is None or same > best[0]) and not _exists(folder):
                best = (same, folder)
        if best is None:
            return None
        with self.db.transaction():
            self.db.conn.execute("UPDATE reports SET folder = ? WHERE folder = ?", [key, best[1]])
        return best[1]

    def _report_id(self, folder: str, info: ReportInfo, content: ReportContent) -> int:
        """The live row of this report (made now if there is none), its fingerprint brought up to date.

        Call inside a transaction.
        """
        import json  # writes only: listing notes needs none

        conn = self.db.conn
        fp = Fingerprint.of(info, content)
        row = conn.execute(
            "SELECT id, resolved, text_hash, sketch FROM reports WHERE folder = ? AND path = ? AND gone = 0",
            [folder, info.path],
        ).fetchone()
        # No text (the caller could not read the report just now): the fingerprint known is kept, or
        # left empty for the next resolve to take (it reads every report without one).
        text_hash, sketch_json = (fp.text_hash, json.dumps(fp.sketch)) if content.text else ("", "[]")
        if not content.text and row is not None:
            text_hash, sketch_json = row[2], row[3]
        values = [info.label, info.title, info.date, info.team, info.digest, text_hash, sketch_json]
        if row is None:
            cur = conn.execute(
                "INSERT INTO reports(folder, path, label, title, date, team, digest, text_hash, sketch,"
                " resolved)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [folder, info.path, *values, info.digest],
            )
            assert cur.lastrowid is not None
            return int(cur.lastrowid)
        conn.execute(
            "UPDATE reports SET label = ?, title = ?, date = ?, team = ?, digest = ?, text_hash = ?,"
            " sketch = ? WHERE id = ?",
            [*values, row[0]],
        )
        return int(row[0])

    def resolve(self, folder: Path, current: Sequence[ReportInfo], load: Loader) -> Plan:
        """Bring every note and read mark of `folder` to the reports as they are now.

        `current` lists every report of the folder (cheap fields from the cache); `load` gives the text
        and sections of the few reports this asks for. Renamed and moved reports are followed, notes
        re-anchored in edited ones, and notes whose report or section is not found marked orphaned.
        """
        key = folder_key(folder)
        conn = self.db.conn

        def notes_of(ids: list[int]) -> list[NoteAnchor]:
            marks = ", ".join("?" for _ in ids)
            rows = conn.execute(
                f"SELECT id, report_id, section_key, quote FROM notes WHERE report_id IN ({marks})", ids
            ).fetchall()
            return [NoteAnchor(str(r[0]), int(r[1]), r[2], str(r[3])) for r in rows]

        def sketches(ids: list[int]) -> dict[int, list[int]]:
            found: dict[int, list[int]] = {}
            for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
                chunk = ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                for report_id, text in conn.execute(
                    f"SELECT id, sketch FROM reports WHERE id IN ({marks})", chunk
                ):
                    found[int(report_id)] = parse_sketch(str(text))
            return found

        known = self._known(key)
        moved_from = None if known else self._follow_moved_folder(key, current)
        if moved_from is not None:
            known = self._known(key)
        result = plan(known, current, load, notes_of, sketches)
        if moved_from is not None:
            result.messages.append(
                f"the notes of {moved_from}, which is gone, now belong to {key}, its new place"
            )
        if result.empty():
            return result
        import json

        with self.db.transaction():
            for row, info, fp in result.found:
                # A report whose new text could not be read keeps the digest its fingerprint was made
                # from, so that the next resolve reads it and brings the fingerprint up to date.
                known_digest = row.digest if fp is None and info.digest != row.digest else info.digest
                conn.execute(
                    "UPDATE reports SET path = ?, label = ?, title = ?, date = ?, team = ?, digest = ?,"
                    " gone = 0 WHERE id = ?",
                    [info.path, info.label, info.title, info.date, info.team, known_digest, row.id],
                )
                if fp is not None:
                    conn.execute(
                        "UPDATE reports SET text_hash = ?, sketch = ? WHERE id = ?",
                        [fp.text_hash, json.dumps(fp.sketch), row.id],
                    )
            for row in result.gone:
                conn.execute("UPDATE reports SET gone = 1 WHERE id = ?", [row.id])
            for note_id, anchor in result.anchors.items():
                if anchor is None:
                    conn.execute("UPDATE notes SET orphaned = 1 WHERE id = ?", [note_id])
                else:
                    conn.execute(
                        "UPDATE notes SET section_key = ?, section_title = ?, orphaned = 0 WHERE id = ?",
                        [*anchor, note_id],
                    )
            digests = {row.id: info.digest for row, info, _ in result.found}
            for report_id in result.reanchored:
                digest = digests.get(report_id)
                if digest is None:
                    digest = conn.execute("SELECT digest FROM reports WHERE id = ?", [report_id]).fetchone()[
                        0
                    ]
                conn.execute("UPDATE reports SET resolved = ? WHERE id = ?", [digest, report_id])
                # A whole-report note is at home again once its report is found.
                conn.execute(
                    "UPDATE notes SET orphaned = 0 WHERE report_id = ? AND section_key IS NULL", [report_id]
                )
        return result

    # -- notes --------------------------------------------------------------------------------

    def add_note(
        self,
        folder: Path,
        info: ReportInfo,
        content: ReportContent,
        text: str,
        *,
        section: SectionInfo | None = None,
        follow_up: bool = False,
    ) -> Note:
        text = text.strip()
        if not text:
            raise ReviewError("the note's text is empty")
        import uuid  # only adding a note needs it (and it loads `platform`)

        note_id = uuid.uuid4().hex[:12]
        stamp = now()
        with self.db.transaction() as conn:
            report_id = self._report_id(folder_key(folder), info, content)
            conn.execute(
                "INSERT INTO notes(id, report_id, section_key, section_title, quote, text, follow_up,"
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    note_id,
                    report_id,
                    None if section is None else section.key,
                    None if section is None else section.title,
                    "" if section is None else quote_of(section),
                    text,
                    int(follow_up),
                    stamp,
                    stamp,
                ],
            )
        return self.note(note_id)

    def note(self, note_id: str, *, deleted: bool = False) -> Note:
        """A note by its id or the unique start of it (at least four characters)."""
        where = "" if deleted else " AND n.deleted IS NULL"
        rows = self.db.conn.execute(f"{_NOTE_SELECT} WHERE n.id = ?{where}", [note_id]).fetchall()
        if not rows and len(note_id) >= 4:
            pattern = note_id.replace("\\", "").replace("%", "").replace("_", "") + "%"
            rows = self.db.conn.execute(f"{_NOTE_SELECT} WHERE n.id LIKE ?{where}", [pattern]).fetchall()
        if len(rows) != 1:
            what = "names several notes" if rows else "is not a note"
            raise NoteNotFound(f"{note_id!r} {what}")
        return _note(rows[0])

    def _update(self, note_id: str, sets: str, values: list[object], *, deleted: bool = False) -> Note:
        found = self.note(note_id, deleted=deleted)
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE notes SET {sets}, updated = ? WHERE id = ?", [*values, now(), found.id])
        return self.note(found.id, deleted=True)

    def edit_note(self, note_id: str, *, text: str | None = None, follow_up: bool | None = None) -> Note:
        current = self.note(note_id)
        new_text = current.text if text is None else text.strip()
        if not new_text:
            raise ReviewError("the note's text is empty")
        flag = current.follow_up if follow_up is None else follow_up
        return self._update(current.id, "text = ?, follow_up = ?", [new_text, int(flag)])

    def delete_note(self, note_id: str) -> Note:
        """Hide a note; it stays in the database as a tombstone, so restore_note brings it back."""
        return self._update(note_id, "deleted = ?", [now()])

    def restore_note(self, note_id: str) -> Note:
        return self._update(note_id, "deleted = NULL", [], deleted=True)

    def set_closed(self, note_id: str, closed: bool) -> Note:
        """Close a follow-up (or reopen it, with closed=False)."""
        current = self.note(note_id)
        if not current.follow_up:
            raise ReviewError(f"note {current.id} is not a follow-up")
        return self._update(current.id, "closed = ?", [now() if closed else None])

    def reattach(
        self,
        note_id: str,
        folder: Path,
        info: ReportInfo,
        content: ReportContent,
        section: SectionInfo | None,
    ) -> Note:
        """Put an orphaned (or misplaced) note on a report and section of the reader's choosing."""
        current = self.note(note_id)
        with self.db.transaction() as conn:
            report_id = self._report_id(folder_key(folder), info, content)
            conn.execute(
                "UPDATE notes SET report_id = ?, section_key = ?, section_title = ?, orphaned = 0,"
                " updated = ? WHERE id = ?",
                [
                    report_id,
                    None if section is None else section.key,
                    None if section is None else section.title,
                    now(),
                    current.id,
                ],
            )
        return self.note(current.id)

    def notes(
        self, folder: Path, *, report: str | None = None, open_only: bool = False, deleted: bool = False
    ) -> list[Note]:
        """Notes of a folder (or of one report in it), in report and then writing order.

        open_only: open follow-ups only. deleted: tombstones too (for exports).
        """
        where, params = _notes_where(folder, report, open_only, deleted)
        rows = self.db.conn.execute(f"{_NOTE_SELECT} WHERE {where} {_NOTE_ORDER}", params).fetchall()
        return [_note(r) for r in rows]

    def notes_json(self, folder: Path, *, open_only: bool = False) -> bytes:
        """`[n.as_json() for n in self.notes(folder, open_only=...)]` as compact JSON in UTF-8.

        SQLite writes the JSON and Python only joins it: at 10,000 notes this skips decoding 7 MB of
        text into Python strings, making a dict per note and encoding it all again. Each note's and
        each report's part are kept written (schema 5), so the query only joins them: writing each
        note's object with json_object cost 25,000 instructions a note (SQLite's function calls and
        allocations, and escaping the quote). SQLite escapes strings exactly as orjson and json.dumps do.
        """
        where, params = _notes_where(folder, None, open_only, False)
        rows = self.db.conn.execute(
            "SELECT CAST('{\"id\":' || json_quote(n.id) || r.listed_json || n.listed_json"
            " || CASE WHEN n.orphaned OR r.gone THEN ',\"orphaned\":true}' ELSE ',\"orphaned\":false}' END"
            f" AS BLOB) FROM notes n JOIN reports r ON r.id = n.report_id WHERE {where} {_NOTE_ORDER}",
            params,
        ).fetchall()
        # One join into the result: `b"[" + … + b"]"` copied the 7 MB twice more.
        pieces = [b"["]
        for (note,) in rows:
            pieces += (note, b",")
        if rows:
            pieces[-1] = b"]"  # the last comma
        else:
            pieces.append(b"]")
        return b"".join(pieces)

    def notes_text(self, folder: Path, *, open_only: bool = False) -> bytes:
        """The command line's plain listing of the notes in UTF-8, written by SQLite like notes_json.

        Per note: `id  label  path [section]  flags` and the text indented below it, where the label
        is `-` when the report has none and the flags are `follow-up `, `closed ` and `ORPHANED `
        (the parts are kept written: migrations.NOTE_FLAGS, NOTE_BODY and REPORT_TEXT).
        Making 10,000 Note objects to print them cost a third of a second.
        """
        where, params = _notes_where(folder, None, open_only, False)
        rows = self.db.conn.execute(
            "SELECT CAST(n.id || r.listed_text || n.listed_flags"
            " || CASE WHEN n.orphaned OR r.gone THEN 'ORPHANED ' ELSE '' END || n.listed_body AS BLOB)"
            f" FROM notes n JOIN reports r ON r.id = n.report_id WHERE {where} {_NOTE_ORDER}",
            params,
        ).fetchall()
        return b"".join([row[0] for row in rows])

    def open_follow_ups(self, folder: Path, team: str | None, before: str, *, path: str = "") -> list[Note]:
        """Open follow-ups asked on the team's earlier reports (dated before `before`, or the same day
        and an earlier path), oldest first: what to show on top of the team's next report."""
        rows = self.db.conn.execute(
            f"{_NOTE_SELECT} WHERE r.folder = ? AND r.team IS ?"
            " AND (r.date < ? OR (r.date = ? AND r.path < ?))"
            " AND n.follow_up = 1 AND n.closed IS NULL AND n.deleted IS NULL"
            " ORDER BY r.date, n.created, n.id",
            [folder_key(folder), team, before, before, path],
        ).fetchall()
        return [_note(r) for r in rows]

    # -- read marks ---------------------------------------------------------------------------

    def mark_read(self, folder: Path, info: ReportInfo, content: ReportContent) -> str:
        stamp = now()
        with self.db.transaction() as conn:
            report_id = self._report_id(folder_key(folder), info, content)
            fp_hash = conn.execute("SELECT text_hash FROM reports WHERE id = ?", [report_id]).fetchone()[0]
            conn.execute(
                "INSERT OR REPLACE INTO reads(report_id, read_at, digest, text_hash, text)"
                " VALUES (?, ?, ?, ?, ?)",
                [report_id, stamp, info.digest, fp_hash, content.text],
            )
        return stamp

    def mark_unread(self, folder: Path, path: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM reads WHERE report_id IN"
                " (SELECT id FROM reports WHERE folder = ? AND path = ? AND gone = 0)",
                [folder_key(folder), path],
            )

    def read_text(self, folder: Path, path: str) -> str | None:
        """The report's text as it was when it was last marked read (None: unread, or read before the
        text was kept)."""
        row = self.db.conn.execute(
            "SELECT x.text FROM reads x JOIN reports r ON r.id = x.report_id"
            " WHERE r.folder = ? AND r.path = ? AND r.gone = 0",
            [folder_key(folder), path],
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def read_states(self, folder: Path) -> dict[str, ReadState]:
        """Each read report's current path -> when it was read and whether it changed since.

        Call resolve() first, so that the fingerprints are those of the reports as they are now.
        """
        rows = self.db.conn.execute(
            "SELECT r.path, x.read_at, x.digest, x.text_hash, r.digest, r.text_hash FROM reads x"
            " JOIN reports r ON r.id = x.report_id WHERE r.folder = ? AND r.gone = 0",
            [folder_key(folder)],
        ).fetchall()
        states: dict[str, ReadState] = {}
        for path, read_at, read_digest, read_hash, digest, hash_now in rows:
            # Same bytes: unchanged. Else the normalized text decides (a re-saved file is not news).
            changed = read_digest != digest and not (read_hash and read_hash == hash_now)
            states[str(path)] = ReadState(str(read_at), changed)
        return states
