"""Finding the reports and sections that notes and read marks point at, in the folder as it is now.

Plain data in, decisions out: the caller (the command line or the window) lists the current reports from
its cache and loads the content of the few it is asked for, so this layer never touches the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from desktop.review.anchors import Fingerprint, ReportContent, ReportInfo, find_section, report_score

# Loads the content of some current reports by path (paths it cannot load are left out).
Loader = Callable[[list[str]], dict[str, ReportContent]]
# The stored text sketches of some known reports, by id: only a report looked for elsewhere needs its
# own, and reading and parsing them all would cost every command 0.2 s once 5,000 reports are read.
Sketches = Callable[[list[int]], dict[int, list[int]]]

FALLBACK_CANDIDATES = 100  # a vanished report is compared with every unclaimed one only in small folders


class KnownReport(NamedTuple):  # (NamedTuples, not dataclasses: anchors.py says why)
    """A report the review database knows of (it has notes or a read mark)."""

    id: int
    path: str
    label: str | None
    title: str
    date: str
    team: str | None
    digest: str
    text_hash: str
    resolved: str
    gone: bool

    @classmethod
    def from_row(cls, r: Sequence[object]) -> KnownReport:
        return cls(
            int(r[0]),  # type: ignore[call-overload]
            str(r[1]),
            None if r[2] is None else str(r[2]),
            str(r[3]),
            str(r[4]),
            None if r[5] is None else str(r[5]),
            str(r[6]),
            str(r[7]),
            str(r[8]),
            bool(r[9]),
        )

    def fingerprint(self, sketch: list[int]) -> Fingerprint:
        return Fingerprint(self.label, self.title, self.text_hash, sketch)


KNOWN_COLUMNS = "id, path, label, title, date, team, digest, text_hash, resolved, gone"


def parse_sketch(text: str) -> list[int]:
    import json  # only for a report that moved or changed: listing notes needs none

    sketch: list[int] = json.loads(text)
    return sketch


class NoteAnchor(NamedTuple):
    id: str
    report_id: int
    section_key: str | None
    quote: str


class Plan:
    """What to write: reports found again (maybe elsewhere), reports gone, section anchors moved."""

    __slots__ = ("anchors", "found", "gone", "messages", "reanchored")

    def __init__(self) -> None:
        self.found: list[tuple[KnownReport, ReportInfo, Fingerprint | None]] = []
        self.gone: list[KnownReport] = []
        # note id -> (section key, section title) now, or None when its section is not there any more
        self.anchors: dict[str, tuple[str, str] | None] = {}
        self.reanchored: list[int] = []  # report ids whose notes were re-anchored
        self.messages: list[str] = []  # for the user: notes that followed a moved folder

    def empty(self) -> bool:
        return not (self.found or self.gone or self.anchors or self.reanchored)


def plan(
    known: list[KnownReport],
    current: Sequence[ReportInfo],
    load: Loader,
    notes_of: Callable[[list[int]], list[NoteAnchor]],
    sketches: Sketches,
) -> Plan:
    result = Plan()
    by_path = {info.path: info for info in current}
    claimed: set[str] = set()
    matched: list[tuple[KnownReport, ReportInfo]] = []
    missing: list[KnownReport] = []
    for row in known:
        info = by_path.get(row.path)
        if info is not None and row.path not in claimed:
            claimed.add(row.path)
            matched.append((row, info))
        else:
            missing.append(row)
    if missing:
        unclaimed = [i for i in current if i.path not in claimed]
        matched.extend(_find_moved(missing, unclaimed, load, sketches, result))

    stale = [
        (row, info)
        for row, info in matched
        if info.digest != row.digest or not row.text_hash or row.gone or info.path != row.path
    ]
    contents = load([info.path for row, info in stale if info.digest != row.digest or not row.text_hash])
    for row, info in stale:
        content = contents.get(info.path)
        fp = Fingerprint.of(info, content) if content is not None else None
        result.found.append((row, info, fp))
    changed_meta = {
        row.id
        for row, info in matched
        if (info.label, info.title, info.date, info.team) != (row.label, row.title, row.date, row.team)
    }
    for row, info in matched:
        if row.id in changed_meta and all(r.id != row.id for r, _, _ in result.found):
            result.found.append((row, info, None))

    # Section anchors: only where the text changed since the notes were last placed.
    to_anchor = {row.id: info for row, info in matched if row.resolved != info.digest or row.gone}
    if to_anchor:
        notes = [n for n in notes_of(list(to_anchor)) if n.section_key is not None]
        need = sorted({to_anchor[n.report_id].path for n in notes})
        loaded = {**contents, **load([p for p in need if p not in contents])}
        unread: set[int] = set()  # reports whose text could not be read now (their file changed since)
        for note in notes:
            content = loaded.get(to_anchor[note.report_id].path)
            if content is None:
                unread.add(note.report_id)
                continue
            assert note.section_key is not None
            section = find_section(note.section_key, note.quote, content.sections)
            result.anchors[note.id] = None if section is None else (section.key, section.title)
        # A report whose notes could not be placed keeps them where they were, and is placed again
        # next time rather than counted as done.
        result.reanchored.extend(report_id for report_id in to_anchor if report_id not in unread)
    return result


def _find_moved(
    missing: list[KnownReport], unclaimed: list[ReportInfo], load: Loader, sketches: Sketches, result: Plan
) -> list[tuple[KnownReport, ReportInfo]]:
    """Vanished reports found again elsewhere in the folder: the same bytes, else a similar text."""
    found: list[tuple[KnownReport, ReportInfo]] = []
    old_sketches = sketches([row.id for row in missing])
    taken: set[str] = set()
    by_digest: dict[str, list[ReportInfo]] = {}
    for info in unclaimed:
        by_digest.setdefault(info.digest, []).append(info)
    fingerprints: dict[str, Fingerprint] = {}
    for row in missing:
        same = [i for i in by_digest.get(row.digest, []) if i.path not in taken] if row.digest else []
        if same:
            taken.add(same[0].path)
            found.append((row, same[0]))
            continue
        free = [i for i in unclaimed if i.path not in taken]
        named = [
            i
            for i in free
            if (row.label and i.label == row.label) or i.title == row.title or i.date == row.date
        ]
        candidates = named or (free if len(free) <= FALLBACK_CANDIDATES else [])
        todo = [i.path for i in candidates if i.path not in fingerprints]
        if todo:
            contents = load(todo)
            for info in candidates:
                content = contents.get(info.path)
                if content is not None:
                    fingerprints[info.path] = Fingerprint.of(info, content)
        old = row.fingerprint(old_sketches.get(row.id, []))
        scored = [(report_score(old, fingerprints[i.path]), i) for i in candidates if i.path in fingerprints]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] > 0:
            taken.add(best[1].path)
            found.append((row, best[1]))
        elif not row.gone:
            result.gone.append(row)
    return found
