"""The Monday overview on the command line: `digest`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from desktop.commands.common import UsageError, folder_arg, open_folder, wanted
from desktop.core.aliases import default_alias_table
from desktop.core.digest import render, write_refusal
from desktop.core.overview import ReportRef, known_weeks, latest_week
from desktop.core.teams import parse_week
from desktop.review.db import ReviewError
from desktop.review.digest_rows import open_follow_up_rows
from desktop.store.overview import overview_for, read_reports


def follow_ups_for(folder: Path, teams: list[str], week: str) -> list[dict[str, object]]:
    """Open follow-ups of these teams: the one hook for the reviewer's memory (desktop/review)."""
    try:
        return open_follow_up_rows(folder, teams, week)
    except ReviewError as exc:
        raise UsageError(str(exc)) from exc


def choose_week(reports: list[ReportRef], wanted: str | None, folder: Path) -> str:
    """The week asked for, checked against the weeks the folder's reports cover; else the latest."""
    if not reports:
        raise UsageError(f"no dated reports in {folder}")
    if wanted is None:
        week = latest_week(reports)
        assert week is not None
        return week
    weeks = known_weeks(reports)
    week = wanted.strip().upper()
    if parse_week(week) is None or week not in weeks:
        raise UsageError(
            f"unknown week {wanted!r}; the reports of {folder} run from {weeks[-1]} to {weeks[0]}"
        )
    return week


def _check_out(out: Path, folder: Path) -> Path:
    refusal = write_refusal(out, folder)
    if refusal is not None:
        raise UsageError(f"--out {refusal}")
    return out.expanduser().resolve()


def cmd_digest(args: argparse.Namespace, out: TextIO) -> int:
    folder: Path = args.folder
    target = _check_out(args.out, folder) if args.out is not None else None
    cache, _ = open_folder(folder)
    try:
        reports = read_reports(cache.db, folder.resolve().name)
        week = choose_week(reports, args.week, folder)
        teams = sorted({r.team for r in reports})
        overview = overview_for(
            cache.db, reports, week, default_alias_table().info, follow_ups_for(folder, teams, week)
        )
    finally:
        cache.close()
    text = render(overview, args.format)
    if target is None:
        out.write(text)
        return 0
    try:
        target.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], only: str | None = None) -> None:
    """Add this module's commands to the command line (`only`: just that one, see common.wanted)."""
    if wanted(only, "digest"):
        p = sub.add_parser("digest", help="the week's overview of every team: missing reports, alerts, plans")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("--week", help="ISO week, e.g. 2024-W34 (default: the latest)")
        p.add_argument("--format", choices=["json", "md", "html"], default="json")
        p.add_argument("--out", type=Path, help="write to FILE (outside the report folder) instead of stdout")
        p.set_defaults(run=cmd_digest)
