"""The scriptable command line: index, list, chart data, search and compare, without Qt."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from typing import TextIO

from desktop import __version__
from desktop.commands import digest, review, topics
from desktop.commands.common import (
    Parser,
    UsageError,
    folder_arg,
    open_folder,
    print_json,
    resolve,
)
from desktop.core.aliases import default_alias_table
from desktop.core.model import Report
from desktop.store.cache import CacheError
from desktop.store.queries import METRIC_FIELDS, get_report_row, list_reports, load_report, metric_rows
from desktop.store.search import search


def cmd_index(args: argparse.Namespace, out: TextIO) -> int:
    cache, summary = open_folder(args.folder, with_counts=True)
    cache.close()
    if args.json:
        print_json(summary.as_json(), out)
        return 0
    s = summary
    out.write(
        f"{s.reports} reports, {s.sections} sections, {s.metrics} metrics, {s.incidents} incidents\n"
        f"parsed {s.parsed}, unchanged {s.unchanged}, removed {s.removed} in {s.seconds:.2f} s\n"
    )
    if args.timings:
        # Worker steps are summed over the parsing processes; the others are this process's own.
        for step, seconds in s.timings.items():
            out.write(f"  {step:<20} {seconds:7.2f} s\n")
    for message in s.messages:
        out.write(f"note: {message}\n")
    for item in s.skipped:
        out.write(f"skipped {item['path']}: {item['reason']}\n")
    for item in s.warnings:
        out.write(f"warning {item['path']}: {item['message']}\n")
    return 0


def cmd_reports(args: argparse.Namespace, out: TextIO) -> int:
    cache, _ = open_folder(args.folder)
    rows = list_reports(cache.db)
    cache.close()
    if args.json:
        print_json([r.as_json() for r in rows], out)
        return 0
    for r in rows:
        mark = " !" if r.warnings else ""
        child = "    " if r.parent else ""
        out.write(f"{child}{r.date}  {r.iso_week}  {r.label or '-':<10} {r.title}  ({r.path}){mark}\n")
    return 0


def cmd_metrics(args: argparse.Namespace, out: TextIO) -> int:
    cache, _ = open_folder(args.folder)
    rows = metric_rows(cache.db, [args.metric] if args.metric else None)
    cache.close()
    if args.metric and not rows:
        raise UsageError(f"no metric named {args.metric!r} in {args.folder}")
    data = [r.as_json() for r in rows]
    if args.format == "json":
        print_json(data, out)
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=METRIC_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    else:
        for r in rows:
            out.write(f"{r.date}  {r.metric:<16} {r.value:g}{r.unit}  ({r.report}:{r.line})\n")
    return 0


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    if not args.query.strip():
        raise UsageError("the search query is empty")
    cache, _ = open_folder(args.folder)
    hits = search(cache.db, args.query, limit=args.limit)
    cache.close()
    if args.json:
        print_json([h.as_json() for h in hits], out)
        return 0
    for h in hits:
        data = h.as_json()
        out.write(f"{h.date}  {h.report}:{h.line}  [{h.section}]\n    {data['snippet']}\n")
    if not hits:
        out.write("no matches\n")
    return 0


def _direction_mark(direction: str | None) -> str:
    return {"better": "better", "worse": "WORSE", "same": "same"}.get(direction or "", "")


def cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.compare import compare_reports  # rapidfuzz and difflib: only this command needs them

    cache, _ = open_folder(args.folder)
    try:
        left_path, right_path = resolve(cache, args.a), resolve(cache, args.b)
        left, right = load_report(cache.db, left_path), load_report(cache.db, right_path)
        assert left is not None and right is not None
        aliases = default_alias_table()

        def higher_is_better(name: str) -> bool | None:
            info = aliases.info(name)
            return info.higher_is_better if info else None

        comparison = compare_reports(left, right, higher_is_better)

        def report_json(report: Report) -> dict[str, object]:
            row = get_report_row(cache.db, report.path)
            assert row is not None
            return row.as_json()

        if args.json:
            print_json(comparison.to_json(report_json), out)
            return 0
        out.write(
            f"{left.label or left.title} ({left.date})  →  {right.label or right.title} ({right.date})\n\n"
        )
        out.write("KPIs\n")
        for m in comparison.metrics:
            unit = " pp" if m.unit == "%" else m.unit
            delta = "" if m.delta is None else "0" if m.delta == 0 else f"{m.delta:+g}{unit}"
            values = (
                f"{'-' if m.left is None else f'{m.left:g}'} → {'-' if m.right is None else f'{m.right:g}'}"
            )
            out.write(f"  {m.metric:<16} {values:<22} {delta:<12} {_direction_mark(m.direction)}\n")
        out.write("\nSections\n")
        for pair in comparison.pairs:
            lt = left.sections[pair.left].title if pair.left is not None else "—"
            rt = right.sections[pair.right].title if pair.right is not None else "—"
            out.write(f"  {pair.status:<9} {lt}  ↔  {rt}\n")
        if comparison.plan:
            out.write("\nLast week's plan\n")
            for item in comparison.plan:
                out.write(f"  {item.status:<11} {item.item}\n")
        return 0
    finally:
        cache.close()


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="weekly-review", description="Read, chart, compare and search weekly reports.")
    parser.add_argument("--version", action="version", version=f"weekly-review {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = sub.add_parser("index", help="build or update the cache of FOLDER")
    p.add_argument("folder", type=folder_arg)
    p.add_argument("--json", action="store_true")
    p.add_argument("--timings", action="store_true", help="print where the time went (also in --json)")
    p.set_defaults(run=cmd_index)

    p = sub.add_parser("reports", help="list the reports of FOLDER")
    p.add_argument("folder", type=folder_arg)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_reports)

    p = sub.add_parser("metrics", help="metric values across weeks")
    p.add_argument("folder", type=folder_arg)
    p.add_argument("--metric", help="only this metric (canonical name)")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.set_defaults(run=cmd_metrics)

    p = sub.add_parser("search", help="full-text search of sections")
    p.add_argument("folder", type=folder_arg)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("compare", help="compare two reports: paths, week labels or dates")
    p.add_argument("folder", type=folder_arg)
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_compare)

    # The reviewer's memory, the Monday digest, topic timelines and progress: one module each.
    for module in (review, digest, topics):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        return int(args.run(args, out))
    except UsageError as exc:
        print(f"weekly-review: {exc}", file=sys.stderr)
        return 2
    except CacheError as exc:
        print(f"weekly-review: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
