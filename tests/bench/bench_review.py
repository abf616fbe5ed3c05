"""Time the reviewer's commands as whole processes from a warm cache: mark, note, close and notes.

    .venv/bin/python tests/bench/bench_review.py [--folder DIR] [--notes 10000] [--reads 0] [--repeats 10]

Without --folder it works on a copy of seeds/; a given folder (for example a generated 5,000-report one,
tests/bench/generate.py) is only read. The cache and the review data are in a temporary directory: the
folder is indexed and the notes written first, untimed (a few real notes, the rest copied in one
transaction), and --reads marks that many reports read (the review database then holds their texts).
Budget (issue 11): 0.2 s for each command, `notes` and `notes --json` with 10,000 notes included.
`reports` is the fixed cost every command pays (start-up, opening the cache, checking the folder).
The app's bytecode is compiled first, as an installed app has it (bytecode.py). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bytecode import compile_app  # noqa: E402
from wholeprocess import timed, uptime  # noqa: E402

from desktop.commands.review import current_reports, loader  # noqa: E402
from desktop.review.store import ReviewStore  # noqa: E402
from desktop.store.indexer import open_and_index  # noqa: E402

BUDGET = 0.2
REAL_NOTES = 20  # notes written through the store; the others are copies of them


def _setup(folder: Path, notes: int, reads: int) -> tuple[str, str]:
    """Index, write the notes and read marks; return a report's path and a follow-up's id."""
    cache, _ = open_and_index(folder)
    current = sorted(current_reports(cache), key=lambda i: i.path)
    load = loader(cache)
    contents = load([i.path for i in current[:REAL_NOTES]])
    store = ReviewStore()
    for info in current[:REAL_NOTES]:
        content = contents[info.path]
        section = content.sections[0] if content.sections else None
        store.add_note(folder, info, content, "first", section=section, follow_up=True)
    with store.db.transaction() as conn:
        for n in range(max(0, notes - REAL_NOTES)):
            conn.execute(
                "INSERT INTO notes(id, report_id, section_key, section_title, quote, text, follow_up,"
                " created, updated) SELECT printf('bench%07d', ?), report_id, section_key, section_title,"
                " quote, 'note ' || ?, ? % 3 = 0, created, updated FROM notes LIMIT 1 OFFSET ?",
                [n, n, n, n % min(REAL_NOTES, len(current))],
            )
    for start in range(0, min(reads, len(current)), 200):
        chunk = current[start : min(start + 200, reads)]
        texts = load([i.path for i in chunk])
        for info in chunk:
            store.mark_read(folder, info, texts[info.path])
    follow_up = store.notes(folder, open_only=True)[0].id
    store.close()
    cache.close()
    return current[0].path, follow_up


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folder", type=Path, help="a folder to read (default: a copy of seeds/)")
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--reads", type=int, default=0, help="reports marked read before timing")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    compile_app()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        folder = args.folder
        if folder is None:
            folder = base / "reports"
            shutil.copytree(ROOT / "seeds", folder)
        os.environ["WEEKLY_REVIEW_CACHE_DIR"] = str(base / "cache")
        os.environ["WEEKLY_REVIEW_DATA_DIR"] = str(base / "data")
        report, follow_up = _setup(folder, args.notes, args.reads)
        env = dict(os.environ)
        print(f"{folder}: {args.notes:,} notes, {args.reads:,} reports read")
        print(uptime())
        where = str(folder)
        timed("reports (every command's fixed cost)", ["reports", where], env, args.repeats, None)
        timed("mark", ["mark", where, report], env, args.repeats, BUDGET)
        timed("note", ["note", where, report, "x"], env, args.repeats, BUDGET)
        timed("close", ["close", where, follow_up], env, args.repeats, BUDGET)
        timed(f"notes ({args.notes:,} notes)", ["notes", where], env, args.repeats, BUDGET)
        timed(f"notes --json ({args.notes:,} notes)", ["notes", where, "--json"], env, args.repeats, BUDGET)
        timed("notes --open --json", ["notes", where, "--open", "--json"], env, args.repeats, BUDGET)
        print(uptime())


if __name__ == "__main__":
    main()
