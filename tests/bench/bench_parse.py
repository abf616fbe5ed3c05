"""Parse CPU per report, step by step, in one process (what each index worker spends per file).

    python tests/bench/bench_parse.py FOLDER [--limit N] [--profile N]

Reads every file of FOLDER (or the first N, in path order), then decodes and parses them as an index
worker does, and prints the milliseconds per report of each step: decode, front matter, outline,
dates, metrics, incidents (with plans), page check, rows (to_record without progress) and progress
figures, in CPU time (other processes on the machine do not count). --profile N prints the N most
expensive functions instead (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.core import parser, progress  # noqa: E402
from desktop.core.aliases import default_alias_table  # noqa: E402
from desktop.core.decoding import decode_bytes  # noqa: E402
from desktop.store import records  # noqa: E402

spent: defaultdict[str, float] = defaultdict(float)


def timed(step: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[step] += time.process_time() - t0

    return call


# The steps parse_text calls, by the names it calls them under.
STEPS = {
    "front_matter": "front matter",
    "parse_outline": "outline",
    "resolve_date": "dates",
    "sequence_number": "dates",
    "extract_metrics": "metrics",
    "extract_incidents": "incidents",
    "extract_plans": "incidents",
    "_is_page": "page",
}


def instrument() -> None:
    for name, step in STEPS.items():
        setattr(parser, name, timed(step, getattr(parser, name)))
    # to_record imports it when called, so the module's own name is the one to wrap.
    progress.extract_figures = timed("progress", progress.extract_figures)  # type: ignore[assignment]


def run(folder: Path, paths: list[str]) -> float:
    aliases = default_alias_table()
    blobs = [(path, (folder / path).read_bytes(), (folder / path).stat().st_mtime) for path in paths]
    cpu0 = time.process_time()
    for path, data, mtime in blobs:
        t0 = time.process_time()
        decoded = decode_bytes(data)
        t1 = time.process_time()
        outcome = parser.parse_decoded(path, decoded, mtime, aliases)
        t2 = time.process_time()
        if outcome.report is not None:
            records.to_record(outcome.report, outcome.lines)
        t3 = time.process_time()
        spent["decode"] += t1 - t0
        spent["parse (all)"] += t2 - t1
        spent["rows (all)"] += t3 - t2
    return time.process_time() - cpu0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    args = ap.parse_args()
    paths = sorted(p.relative_to(args.folder).as_posix() for p in args.folder.rglob("*") if p.is_file())
    if args.limit:
        paths = paths[: args.limit]
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        run(args.folder, paths)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
        return 0
    instrument()
    cpu = run(args.folder, paths)
    n = len(paths)
    inner = sum(v for k, v in spent.items() if k in set(STEPS.values()) - {"front matter"})
    spent["parse: other"] = spent["parse (all)"] - inner - spent["front matter"]
    spent["rows: to_record"] = spent["rows (all)"] - spent["progress"]
    print(f"{n} reports from {args.folder}: {cpu:.2f} s CPU, {cpu / n * 1000:.3f} ms per report")
    order = ["decode", "front matter", "outline", "dates", "metrics", "incidents", "page", "parse: other"]
    order += ["parse (all)", "progress", "rows: to_record", "rows (all)"]
    for step in order:
        total = spent.get(step, 0.0)
        print(f"  {step:<16} {total / n * 1000:7.3f} ms/report  {total:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
