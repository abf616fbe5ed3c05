"""Index and search figures for a generated folder, measured as whole `weekly-review` processes.

    python tests/bench/bench_index.py [--reports 5000]

Prints the time to merely read the files beside cold index, warm re-index (nothing changed),
re-index with one file changed, and searches (a trigram query and a two-character scan).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

CLI = [sys.executable, "-m", "desktop"]


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "reports"
        if not folder.exists() or not any(folder.iterdir()):
            paths = generate(folder, args.reports, 4, 1)
        else:
            paths = sorted(folder.rglob("*.md"))
        size = sum(p.stat().st_size for p in paths)
        env = {**os.environ, "WEEKLY_REVIEW_CACHE_DIR": str(Path(tmp) / "cache")}
        print(f"{len(paths)} reports, {size / 1e6:.1f} MB, {os.cpu_count()} cores")
        print(f"read the files only (one process)     {read_only(folder):6.2f} s")
        cold, out = timed(["index", str(folder), "--json"], env)
        summary = json.loads(out)
        print(
            f"cold index                            {cold:6.2f} s   ({summary['reports']} reports, "
            f"{summary['sections']} sections, {summary['metrics']} metrics)"
        )
        warm = min(timed(["index", str(folder), "--json"], env)[0] for _ in range(3))
        print(f"warm re-index (nothing changed)       {warm:6.2f} s")
        changed = []
        for i in range(3):
            target = paths[len(paths) // 2 + i]
            target.write_text(target.read_text(encoding="utf-8") + f"\n- 新增一行 {i}\n", encoding="utf-8")
            changed.append(timed(["index", str(folder), "--json"], env)[0])
        print(f"re-index, one file changed            {statistics.median(changed):6.2f} s")
        for query in ("贝易转", "入金有效成功率", "风控", "99.99"):
            t = min(timed(["search", str(folder), query, "--json"], env)[0] for _ in range(3))
            print(f"search {query!r:<26}     {t:6.2f} s")


if __name__ == "__main__":
    main()
