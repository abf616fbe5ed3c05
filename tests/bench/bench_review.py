"""Time the reviewer's commands as whole processes: adding a note, and listing 10,000 notes.

Run from the repository root: `.venv/bin/python tests/bench/bench_review.py [repeats]`. Prints figures
only (budget: 0.2 s for each command). Works on a copy of seeds/ with its own cache and data dirs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from desktop.commands.review import current_reports, loader  # noqa: E402
from desktop.review.store import ReviewStore  # noqa: E402
from desktop.store.indexer import open_and_index  # noqa: E402

NOTES = 10_000


def timed(args: list[str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        assert done.returncode == 0, done.stderr.decode()
    return times


def show(what: str, times: list[float]) -> None:
    print(f"{what:<34} median {statistics.median(times):.3f} s  min {min(times):.3f} s  (n={len(times)})")


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        folder = base / "reports"
        shutil.copytree(ROOT / "seeds", folder)
        os.environ["WEEKLY_REVIEW_CACHE_DIR"] = str(base / "cache")
        os.environ["WEEKLY_REVIEW_DATA_DIR"] = str(base / "data")
        cache, _ = open_and_index(folder)
        current = current_reports(cache)
        contents = loader(cache)([i.path for i in current])
        cache.close()
        store = ReviewStore()
        # One real note per report, then the rest copied in one transaction (setup, not measured).
        for info in current:
            content = contents[info.path]
            store.add_note(
                folder, info, content, "first", section=content.sections[0] if content.sections else None
            )
        with store.db.transaction() as conn:
            for n in range(NOTES - len(current)):
                conn.execute(
                    "INSERT INTO notes(id, report_id, section_key, section_title, quote, text, follow_up,"
                    " created, updated) SELECT printf('bench%07d', ?), report_id, section_key, section_title,"
                    " quote,"
                    " 'note ' || ?, ? % 3 = 0, created, updated FROM notes LIMIT 1 OFFSET ?",
                    [n, n, n, n % len(current)],
                )
        store.close()

        show("weekly-review reports (baseline)", timed(["reports", str(folder)], repeats))
        show(
            "weekly-review note",
            timed(["note", str(folder), "2024-W24", "--section", "【其他】", "x"], repeats),
        )
        show(f"weekly-review notes --json ({NOTES:,})", timed(["notes", str(folder), "--json"], repeats))
        show("weekly-review notes --open --json", timed(["notes", str(folder), "--open", "--json"], repeats))


if __name__ == "__main__":
    main()
