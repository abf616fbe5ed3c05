"""Extraction figures: how reports are dated and how many metrics are KPIs, and the cold index time.

    python tests/bench/bench_extraction.py [--reports 5000] [--corpus ../shared/corpora/rustc-perf-triage]

For the rustc-perf triage folder and a generated folder (tests/bench/generate.py), prints: reports
dated by each source, undated reports, KPI-kind and figure-kind metric rows, and the cold index time
(a whole `weekly-review index` process on an empty cache directory, best of --runs).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bytecode import compile_app
from generate import generate
from isolated import isolate

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "desktop"]


def cold_index(folder: Path, runs: int) -> tuple[float, Path]:
    best, cache_dir = float("inf"), Path()
    for _ in range(runs):
        cache_dir = Path(tempfile.mkdtemp(prefix="bench-extract-cache-"))
        isolate(cache_dir / "home")  # not the user's settings or metric aliases
        env = {**os.environ, "WEEKLY_REVIEW_CACHE_DIR": str(cache_dir)}
        start = time.perf_counter()
        subprocess.run([*CLI, "index", str(folder)], env=env, capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best, cache_dir


def figures(cache_dir: Path) -> dict[str, object]:
    db_path = next(p for p in cache_dir.rglob("*.sqlite") if p.is_file())
    db = sqlite3.connect(db_path)
    sources = dict(
        db.execute(
            "SELECT date_source, count(*) FROM reports WHERE kind = 'report' GROUP BY date_source"
        ).fetchall()
    )
    kinds = dict(db.execute("SELECT kind, count(*) FROM metrics GROUP BY kind").fetchall())
    names = dict(db.execute("SELECT kind, count(DISTINCT name) FROM metrics GROUP BY kind").fetchall())
    pages = db.execute("SELECT count(*) FROM reports WHERE kind = 'page'").fetchone()[0]
    return {"sources": sources, "kinds": kinds, "names": names, "pages": pages}


def report(name: str, folder: Path, runs: int) -> None:
    seconds, cache_dir = cold_index(folder, runs)
    f = figures(cache_dir)
    sources: dict[str, int] = f["sources"]  # type: ignore[assignment]
    kinds: dict[str, int] = f["kinds"]  # type: ignore[assignment]
    names: dict[str, int] = f["names"]  # type: ignore[assignment]
    dated = sum(n for s, n in sources.items() if s not in ("mtime", "none"))
    by_source = ", ".join(f"{s} {n}" for s, n in sorted(sources.items()) if s not in ("mtime", "none"))
    print(f"{name}: {folder}")
    print(f"  reports dated by source   {dated}  ({by_source})")
    print(f"  undated reports           {sources.get('none', 0)} none, {sources.get('mtime', 0)} by mtime")
    print(f"  pages                     {f['pages']}")
    print(f"  KPI-kind metric rows      {kinds.get('kpi', 0)}  ({names.get('kpi', 0)} names)")
    print(f"  figure-kind metric rows   {kinds.get('figure', 0)}  ({names.get('figure', 0)} names)")
    print(f"  cold index                {seconds:.2f} s (best of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--corpus", type=Path, default=REPO.parent / "shared" / "corpora" / "rustc-perf-triage"
    )
    args = parser.parse_args()
    compile_app()
    if args.corpus.is_dir():
        report("rustc-perf", args.corpus, args.runs)
    else:
        print(f"rustc-perf: {args.corpus} absent, skipped")
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        folder = Path(tmp) / "reports"
        generate(folder, args.reports, 4, 1)
        report(f"generated {args.reports}", folder, args.runs)


if __name__ == "__main__":
    main()
