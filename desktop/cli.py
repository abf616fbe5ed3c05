"""The scriptable command line: index, list, chart data, search and compare, without Qt."""

from __future__ import annotations

import argparse
import signal
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from desktop import __version__
from desktop.commands import COMMANDS
from desktop.commands.common import (
    Parser,
    UsageError,
    folder_arg,
    open_folder,
    print_json,
    resolve,
    text_arg,
    wanted,
)
from desktop.core.paths import cache_path_for, readable
from desktop.store.cache import CacheError, describe_fault, discard, is_damage

if TYPE_CHECKING:
    from desktop.core.model import Report

# The commands defined here; the feature modules (desktop/commands/<x>.py) are loaded only for theirs
# or for help, so that `search` does not pay for importing what only the digest or the review needs.
OWN_COMMANDS = frozenset({"index", "reports", "metrics", "search", "compare"})


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
        out.write(f"skipped {readable(item['path'])}: {item['reason']}\n")
    for item in s.warnings:
        out.write(f"warning {readable(item['path'])}: {item['message']}\n")
    return 0


def cmd_reports(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.commands import review
    from desktop.store.queries import list_reports

    cache, _ = open_folder(args.folder)
    rows = list_reports(cache.db)
    try:
        reads = review.read_marks(args.folder, cache) if args.json else {}
    finally:
        cache.close()
    if args.json:
        print_json([{**r.as_json(), **review.read_json(reads, r.path)} for r in rows], out)
        return 0
    for r in rows:
        mark = " !" if r.warnings else ""
        child = "    " if r.parent else ""
        title, path = readable(r.title), readable(r.path)
        out.write(f"{child}{r.date}  {r.iso_week}  {r.label or '-':<10} {title}  ({path}){mark}\n")
    return 0


def cmd_metrics(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.csv_export import write_csv
    from desktop.store.queries import METRIC_FIELDS, metric_rows

    cache, _ = open_folder(args.folder)
    rows = metric_rows(cache.db, [args.metric] if args.metric else None)
    cache.close()
    if args.metric and not rows:
        raise UsageError(f"no metric named {args.metric!r} in {args.folder}")
    data = [r.as_json() for r in rows]
    if args.format == "json":
        print_json(data, out)
    elif args.format == "csv":
        # Through the one CSV writer: a section titled `=HYPERLINK(...)` must not become a formula.
        write_csv(out, METRIC_FIELDS, [[readable_field(k, d[k]) for k in METRIC_FIELDS] for d in data])
    else:
        for r in rows:
            out.write(f"{r.date}  {r.metric:<16} {r.value:g}{r.unit}  ({readable(r.report)}:{r.line})\n")
    return 0


def readable_field(name: str, value: object) -> object:
    return readable(value) if name == "report" and isinstance(value, str) else value


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    if not args.query.strip():
        raise UsageError("the search query is empty")
    from desktop.store.search import search

    args.query = readable(args.query)  # bytes typed in a GBK terminal: searched as the text they are
    cache, _ = open_folder(args.folder)
    hits = search(cache.db, args.query, limit=args.limit)
    cache.close()
    if args.json:
        print_json([h.as_json() for h in hits], out)
        return 0
    for h in hits:
        data = h.as_json()
        out.write(f"{h.date}  {readable(h.report)}:{h.line}  [{h.section}]\n    {data['snippet']}\n")
    if not hits:
        out.write("no matches\n")
    return 0


def _direction_mark(direction: str | None) -> str:
    return {"better": "better", "worse": "WORSE", "same": "same"}.get(direction or "", "")


def cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    from desktop.core.aliases import default_alias_table
    from desktop.core.compare import compare_reports  # rapidfuzz and difflib: only this command needs them
    from desktop.store.queries import get_report_row, load_report

    cache, _ = open_folder(args.folder)
    try:
        left_path, right_path = resolve(cache, args.a), resolve(cache, args.b)
        left, right = load_report(cache.db, left_path), load_report(cache.db, right_path)
        for path, report in ((left_path, left), (right_path, right)):
            if report is None:  # its file changed again since this run indexed it
                raise UsageError(f"{readable(path)} changed while it was read; run the command again")
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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; for a known `command`, that command alone (and only its own module)."""
    only = command if command in COMMANDS else None
    parser = Parser(prog="weekly-review", description="Read, chart, compare and search weekly reports.")
    parser.add_argument("--version", action="version", version=f"weekly-review {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    if wanted(only, "index"):
        p = sub.add_parser("index", help="build or update the cache of FOLDER")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("--json", action="store_true")
        p.add_argument("--timings", action="store_true", help="print where the time went (also in --json)")
        p.set_defaults(run=cmd_index)

    if wanted(only, "reports"):
        p = sub.add_parser("reports", help="list the reports of FOLDER")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=cmd_reports)

    if wanted(only, "metrics"):
        p = sub.add_parser("metrics", help="metric values across weeks")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("--metric", type=metric_arg, help="only this metric (canonical name)")
        p.add_argument("--format", choices=("text", "json", "csv"), default="text")
        p.set_defaults(run=cmd_metrics)

    if wanted(only, "search"):
        p = sub.add_parser("search", help="full-text search of sections")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("query")
        p.add_argument("--limit", type=int, default=50)
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=cmd_search)

    if wanted(only, "compare"):
        p = sub.add_parser("compare", help="compare two reports: paths, week labels or dates")
        p.add_argument("folder", type=folder_arg)
        p.add_argument("a")
        p.add_argument("b")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=cmd_compare)

    if command not in OWN_COMMANDS:
        # The reviewer's memory, the Monday digest, topic timelines and progress: one module each,
        # and a feature command loads only its own (help and unknown names load them all).
        import importlib

        from desktop.commands import FEATURE_MODULES

        module = FEATURE_MODULES.get(command or "")
        for name in [module] if module else sorted(set(FEATURE_MODULES.values())):
            importlib.import_module(f"desktop.commands.{name}").register(sub, only)
    return parser


def metric_arg(value: str) -> str:
    if not value.strip():
        raise UsageError("--metric needs a metric name (it is empty)")
    return text_arg(value)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: every write is rolled back and the workers are stopped."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.status = 128 + signum


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    # Let the cleanup (rollback, stopping the workers) finish: a second signal does not cut it short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise Terminated(signum)


@contextmanager
def _signals_handled() -> Iterator[None]:
    if sys.platform == "win32" or signal.getsignal(signal.SIGTERM) is None:
        yield
        return
    try:
        saved = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    except ValueError:  # not the main thread: whoever runs us handles signals
        yield
        return
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _safe_streams() -> None:
    """Never raise on output: characters the stream cannot encode (PYTHONIOENCODING=ascii) become `?`."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            reconfigure(errors="replace")


def _fail(message: str) -> int:
    print(f"weekly-review: {message}", file=sys.stderr)
    return 2


def _run(args: argparse.Namespace, out: TextIO) -> int:
    """Run the command; a cache found damaged by any query is discarded, rebuilt, and the command rerun."""
    try:
        return int(args.run(args, out))
    except sqlite3.DatabaseError as exc:
        folder = getattr(args, "folder", None)
        if not (is_damage(exc) and isinstance(folder, Path)):
            raise
        path = cache_path_for(folder)
        discard(path)
        print(f"weekly-review: note: the cache {path.name} was damaged ({exc}); rebuilt", file=sys.stderr)
        return int(args.run(args, out))


def _alias_faults() -> list[str]:
    """An unreadable config folder: the command ran without user aliases; say so, and exit 2."""
    aliases = sys.modules.get("desktop.core.aliases")  # not loaded: no command read the table
    if aliases is None or aliases.default_alias_table.cache_info().currsize == 0:
        return []
    return list(aliases.default_alias_table().faults)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    _safe_streams()
    out = out or sys.stdout
    args_list = list(sys.argv[1:] if argv is None else argv)
    with _signals_handled():
        try:
            command = args_list[0] if args_list else None
            args = build_parser(command).parse_args(args_list)
            status = _run(args, out)
            faults = _alias_faults()
            for fault in faults:
                _fail(fault)
            return 2 if faults else status
        except UsageError as exc:
            return _fail(str(exc))
        except CacheError as exc:
            return _fail(str(exc))
        except sqlite3.DatabaseError as exc:
            folder = getattr(args, "folder", None)
            where = cache_path_for(folder) if isinstance(folder, Path) else Path("?")
            return _fail(describe_fault(exc, where))
        except Terminated as exc:
            print("weekly-review: interrupted", file=sys.stderr)
            return exc.status
        except KeyboardInterrupt:
            print("weekly-review: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            return 0
