"""Index and search figures for a generated folder, measured as whole `weekly-review` processes.

    python tests/bench/bench_index.py [--reports 5000] [--keep DIR]
    python tests/bench/bench_index.py --reports 50000 --keep /tmp/wr-50k   # generated once, then reused
    python tests/bench/bench_index.py --reports 50000 --keep /tmp/wr-50k --cache /tmp/wr-50k-cache

With --cache, the cache is kept in that directory: when it already holds an index of the folder, the
cold index is not run again (it takes minutes at 50,000 reports) and only the warm figures are taken.

Prints the time to merely read the files beside cold index (with where its time went), warm re-index
(nothing changed), re-index with one file changed, searches (trigram queries and a two-character
scan) and the cache's size against the folder's, each with its budget, then the cache's largest tables
and indexes (SQLite's dbstat). The machine's load average is printed before and after: on a shared
machine the figures are only as good as the load was low.

--write-side also times the cold index's writing steps alone, in this process and in CPU seconds
(steadier than wall time on a busy machine): the folder is parsed once, then its rows are written,
the search index built and the folder's relations settled into an empty cache, as a cold index does.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from isolated import isolate

CLI = [sys.executable, "-m", "desktop"]
# Budgets (seconds, or the cache's size as a multiple of the folder's), by number of reports.
BUDGETS = {
    5000: {"cold": 5.0, "warm": 0.8, "changed": 0.5, "search": 0.3, "short": 0.3},
    50000: {"cold": 45.0, "warm": 0.5, "search": 0.3, "short": 0.6, "size": 1.5},
}
QUERIES = (("贝易转", "search"), ("入金有效成功率", "search"), ("99.99", "search"), ("风控", "short"))


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(CLI + args, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def read_only(folder: Path) -> float:
    code = (
        "import os,sys,time; t=time.perf_counter(); n=0\n"
        "for d,_,fs in os.walk(sys.argv[1]):\n"
        "  for f in fs: n += len(open(os.path.join(d,f),'rb').read().decode('utf-8'))\n"
        "print(time.perf_counter()-t)"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True, capture_output=True)
    return time.perf_counter() - start


def load() -> str:
    try:  # `uptime` as a person would quote it; the load averages alone where it is missing
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def line(what: str, figure: str, budget: float | None, value: float, note: str = "") -> None:
    verdict = "" if budget is None else ("ok" if value <= budget else "OVER")
    limit = "" if budget is None else f"≤ {budget:g}"
    print(f"{what:<38} {figure:>9}  {limit:<8} {verdict:<4} {note}")


def size_split(cache_dir: Path, folder_bytes: int, top: int = 14) -> None:
    """The cache's largest tables and indexes, in MB and as a share of the folder's size."""
    for path in sorted(cache_dir.glob("*.sqlite")):
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            rows = db.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT ?", (top,)
            ).fetchall()
        print(f"cache {path.name}: largest parts")
        for name, size in rows:
            print(f"    {name:<34} {size / 1e6:7.1f} MB  {size / folder_bytes:5.2f} ×")


def write_side(folder: Path, tmp: Path) -> None:
    """The cold index's writing steps alone, in CPU seconds of this process."""
    os.environ["WEEKLY_REVIEW_CACHE_DIR"] = str(tmp / "write-side")
    from desktop.core.aliases import default_alias_table
    from desktop.core.scanner import find_parents, scan_folder, team_of
    from desktop.store import folder_facts, indexer
    from desktop.store.cache import open_cache
    from desktop.store.parsing import Job, parse_all

    entries = scan_folder(folder)
    jobs = [Job(e.path, e.size, e.mtime_ns, None, True, e.skip) for e in entries]
    results = list(parse_all(folder, jobs, default_alias_table()))
    cache = open_cache(folder)
    parents = find_parents([e.path for e in entries])

    def place(path: str) -> tuple[str | None, str | None]:
        return parents.get(path), team_of(path, parents)

    def rows() -> None:
        cache.begin_bulk()
        for start in range(0, len(results), indexer.BATCH_SIZE):
            indexer.store_batch(cache, results[start : start + indexer.BATCH_SIZE], place)

    def relations() -> None:
        with cache.writing():
            indexer._refresh_relations(cache, parents)
            folder_facts.refresh(cache.db.conn, entries)

    steps: list[tuple[str, Callable[[], None]]] = [
        ("writing rows", rows),
        ("search index", cache.rebuild_search),
        ("relations and folder facts", relations),
    ]
    print(f"write side alone, {len(results)} reports (CPU seconds of one process)")
    for name, step in steps:
        start = time.process_time()
        step()
        print(f"    {name:<34} {time.process_time() - start:7.2f} s")
    cache.end_bulk()
    cache.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (reused if there)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each warm step (the best is shown)")
    parser.add_argument("--cache", type=Path, help="keep the cache here (reused: no cold index)")
    parser.add_argument("--write-side", action="store_true", help="also time the writing steps alone")
    args = parser.parse_args()
    budgets = BUDGETS.get(args.reports, {})
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "reports"
        if not folder.exists() or not any(folder.iterdir()):
            paths = generate(folder, args.reports, 4, 1)
        else:
            paths = sorted(folder.rglob("*.md"))
        size = sum(p.stat().st_size for p in paths)
        cache_dir = args.cache or Path(tmp) / "cache"
        isolate(Path(tmp))  # not the user's settings or metric aliases
        env = {**os.environ, "WEEKLY_REVIEW_CACHE_DIR": str(cache_dir)}
        print(f"{len(paths)} reports, {size / 1e6:.1f} MB, {os.cpu_count()} cores; {load()}")
        line("read the files only (one process)", f"{read_only(folder):.2f} s", None, 0)
        if args.cache and any(cache_dir.glob("*.sqlite")):
            print("cold index: not run, the cache in --cache is reused")
        else:
            cold, out = timed(["index", str(folder), "--json"], env)
            summary = json.loads(out)
            counts = (summary["reports"], summary["sections"], summary["metrics"])
            note = "({} reports, {} sections, {} metrics)".format(*counts)
            line("cold index", f"{cold:.2f} s", budgets.get("cold"), cold, note)
            for step, seconds in summary.get("timings", {}).items():
                print(f"    {step:<34} {seconds:7.2f} s")
        cache_bytes = sum(p.stat().st_size for p in cache_dir.iterdir() if p.is_file())
        ratio = cache_bytes / size
        line("cache size", f"{ratio:.2f} ×", budgets.get("size"), ratio, f"({cache_bytes / 1e6:.0f} MB)")
        size_split(cache_dir, size)
        warm = min(timed(["index", str(folder), "--json"], env)[0] for _ in range(args.repeat))
        line("warm re-index (nothing changed)", f"{warm:.2f} s", budgets.get("warm"), warm)
        changed = []
        for i in range(3):
            target = paths[len(paths) // 2 + i]
            original = target.read_bytes()
            target.write_text(original.decode("utf-8") + f"\n- 新增一行 {i}\n", encoding="utf-8")
            changed.append(timed(["index", str(folder), "--json"], env)[0])
            target.write_bytes(original)  # a kept folder stays as generated
        median = statistics.median(changed)
        line("re-index, one file changed", f"{median:.2f} s", budgets.get("changed"), median)
        for query, kind in QUERIES:
            t = min(timed(["search", str(folder), query, "--json"], env)[0] for _ in range(args.repeat))
            line(f"search {query!r}", f"{t:.2f} s", budgets.get(kind), t)
        if args.write_side:
            write_side(folder, Path(tmp))
        print(load())


if __name__ == "__main__":
    main()
