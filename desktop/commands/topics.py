"""Topics across weeks on the command line: `timeline` and `progress`."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

from desktop.commands.common import (
    UsageError,
    folder_arg,
    open_folder,
    print_json_bytes,
    print_json_compact,
    wanted,
)

if TYPE_CHECKING:
    from desktop.store.topics import EntryHead


def cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.store import topics  # rapidfuzz: only these commands need it

    if not args.topic.strip():
        raise UsageError("the topic is empty")
    cache, _ = open_folder(args.folder)
    try:
        query = topics.resolve_topic(cache.db, args.topic, args.team)
        found: list[EntryHead] = []
        written = b"[]"
        weeks: list[str] = []
        if query is not None and args.json:
            written, weeks = topics.entries_json(cache.db, query)
        elif query is not None:
            found = topics.entry_heads(cache.db, query)  # the listing shows no text
            weeks = [e.iso_week for e in found]
        if not weeks:
            near = topics.closest_topics(cache.db, args.topic, args.team)
            where = f" of team {args.team}" if args.team else ""
            raise UsageError(f"no topic {args.topic!r}{where}; closest: {', '.join(near) or 'none'}")
        gaps = topics.gaps(cache.db, weeks, args.team)
    finally:
        cache.close()
    if args.json:
        # The entries come as JSON already; the document around them is as print_json_compact writes it.
        gaps_json = json.dumps(gaps, ensure_ascii=False, separators=(",", ":")).encode()
        print_json_bytes(b'{"entries":' + written + b',"gaps":' + gaps_json + b"}", out)
        return 0
    for e in found:
        team = f"  [{e.team}]" if e.team else ""
        out.write(f"{e.date}  {e.label or e.iso_week:<10} {e.section}  ({e.report}){team}\n")
    if gaps:
        out.write(f"not mentioned: {', '.join(gaps)}\n")
    return 0


def cmd_progress(args: argparse.Namespace, out: TextIO) -> int:
    import orjson

    from desktop.store import topics

    cache, _ = open_folder(args.folder)
    try:
        listing = topics.progress_json(cache.db)
    finally:
        cache.close()
    if args.json and args.team is None:
        print_json_bytes(listing, out)
        return 0
    series = [s for s in orjson.loads(listing) if args.team is None or s["team"] == args.team]
    if args.json:
        print_json_compact(series, out)
        return 0
    for s in series:
        parts = [f"{s['latest']:g}%"]
        if s["change_4w"] is not None:
            parts.append(f"{s['change_4w']:+g} in 4 weeks")
        count = len(s["points"])
        parts.append(f"{count} report{'s' if count != 1 else ''}")
        if s["stalled"]:
            parts.append(f"STALLED for {s['stalled_reports']} reports")
        if s["regressed"]:
            parts.append("WENT BACKWARDS")
        team = f"[{s['team']}] " if s["team"] else ""
        out.write(f"{team}{s['item']}: {', '.join(parts)}\n")
    if not series:
        out.write("no progress figures\n")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], only: str | None = None) -> None:
    """Add this module's commands to the command line (`only`: just that one, see common.wanted)."""
    if wanted(only, "timeline"):
        p = sub.add_parser("timeline", help="one topic across all weeks: a section title, key or phrase")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("topic")
        p.add_argument("--team", help="only the reports of this team")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=cmd_timeline)

    if wanted(only, "progress"):
        p = sub.add_parser("progress", help="progress figures of work items across weeks")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("--team", help="only the reports of this team")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=cmd_progress)
