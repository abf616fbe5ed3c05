"""The reviewer's open follow-ups as rows of the Monday digest and overview (plain data, no cache)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from desktop.core.teams import report_week, team_of_path, week_index
from desktop.review.store import Note, ReviewStore


def follow_up_rows(
    notes: Sequence[Note], root_name: str, teams: Sequence[str], week: str, today: dt.date | None = None
) -> list[dict[str, object]]:
    """Open follow-ups asked on these teams' reports up to `week`, oldest first.

    A row: {id, team, report, label, week, section, text, created, age_days}; the team is worked out
    from the report's path the way the overview does, so the rows land on the overview's teams.
    """
    wanted, until, today = set(teams), week_index(week), today or dt.date.today()
    rows: list[dict[str, object]] = []
    for note in notes:
        if not note.follow_up or note.closed is not None or note.deleted is not None:
            continue
        team = team_of_path(note.report, root_name)
        try:
            asked = report_week(note.label, note.date)
        except ValueError:
            continue  # a report without a usable date belongs to no week
        if team not in wanted or week_index(asked) > until:
            continue
        created = dt.datetime.fromisoformat(note.created).date()
        rows.append(
            {
                "id": note.id,
                "team": team,
                "report": note.report,
                "label": note.label,
                "week": asked,
                "section": note.section,
                "text": note.text,
                "created": note.created,
                "age_days": max(0, (today - created).days),
            }
        )
    rows.sort(key=lambda r: (str(r["week"]), str(r["created"])))
    return rows


def open_follow_up_rows(
    folder: Path, teams: Sequence[str], week: str, db_path: Path | None = None
) -> list[dict[str, object]]:
    """follow_up_rows of the folder from the review database, on a connection of its own."""
    store = ReviewStore(db_path)
    try:
        notes = store.notes(folder, open_only=True)
    finally:
        store.close()
    return follow_up_rows(notes, folder.resolve().name, teams, week)
