"""Time comparing two sample weeks: compare_reports, then diff_text over every changed section pair.

Run from the repository root: `.venv/bin/python tests/bench/bench_compare.py [repeats]`. Prints figures only.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from desktop.core.aliases import default_alias_table  # noqa: E402
from desktop.core.compare import compare_reports  # noqa: E402
from desktop.core.parser import parse_text  # noqa: E402
from desktop.core.textdiff import change_count, diff_text  # noqa: E402


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    aliases = default_alias_table()
    left, right = (
        parse_text(name, (ROOT / "seeds" / name).read_text(encoding="utf-8"), aliases=aliases)
        for name in ("2024-W24.md", "2024-W34.md")
    )

    def higher_is_better(name: str) -> bool | None:
        info = aliases.info(name)
        return info.higher_is_better if info else None

    compare_ms: list[float] = []
    diff_ms: list[float] = []
    total_ms: list[float] = []
    changes = 0
    pairs = 0
    for _ in range(repeats):
        start = time.perf_counter()
        comparison = compare_reports(left, right, higher_is_better)
        middle = time.perf_counter()
        changes = pairs = 0
        for pair in comparison.pairs:
            if pair.status != "changed" or pair.left is None or pair.right is None:
                continue
            old, new = diff_text(left.sections[pair.left].markdown, right.sections[pair.right].markdown)
            changes += change_count(old, new)
            pairs += 1
        end = time.perf_counter()
        compare_ms.append((middle - start) * 1000)
        diff_ms.append((end - middle) * 1000)
        total_ms.append((end - start) * 1000)

    whole: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        diff_text(left.text, right.text)
        whole.append((time.perf_counter() - start) * 1000)

    print(f"W24 ({len(left.text)} chars) vs W34 ({len(right.text)} chars), median of {repeats} runs")
    print(f"  compare_reports:                {statistics.median(compare_ms):7.2f} ms")
    label = f"diff_text, {pairs} changed pairs:"
    print(f"  {label:32}{statistics.median(diff_ms):7.2f} ms  ({changes} changes)")
    print(f"  together:                       {statistics.median(total_ms):7.2f} ms")
    print(f"  diff_text of the whole reports: {statistics.median(whole):7.2f} ms")


if __name__ == "__main__":
    main()
