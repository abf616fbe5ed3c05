"""Golden dumps of the parser's output, to prove a speed change leaves every result as it was.

    python tests/bench/parse_golden.py dump FOLDER OUT.jsonl   # one line per file: path, record or skip
    python tests/bench/parse_golden.py compare A.jsonl B.jsonl # prints the files that differ; exit 1 if any

The record is what the cache stores (`to_record` of the parsed report), so every field the index
writes is compared, down to the exact float values.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.core.aliases import default_alias_table  # noqa: E402
from desktop.core.parser import parse_file  # noqa: E402
from desktop.store.records import to_record  # noqa: E402


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def dump(folder: Path, out: Path) -> None:
    aliases = default_alias_table()
    with out.open("w", encoding="utf-8") as handle:
        for path in files(folder):
            outcome = parse_file(folder, path, aliases)
            entry: dict[str, object] = {"path": path, "skip": outcome.skip_reason}
            if outcome.report is not None:
                entry["record"] = dataclasses.asdict(to_record(outcome.report, outcome.lines))
            handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")


def load(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        return {json.loads(line)["path"]: line for line in handle}


def compare(a: Path, b: Path) -> int:
    left, right = load(a), load(b)
    differ = sorted(p for p in left.keys() | right.keys() if left.get(p) != right.get(p))
    for path in differ[:50]:
        print(f"differs: {path}")
    print(f"{len(left)} vs {len(right)} files, {len(differ)} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("folder", type=Path)
    d.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.folder, args.out)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    raise SystemExit(main())
