"""Building and showing the comparison of two 7 KB reports in the compare view, as a user meets it.

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_compare_view.py

Times CompareView.compare() for W24 -> W34 (align, diff, render to HTML, set it, lay it out and paint),
the first time and then the median of repeated runs.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.core.aliases import default_alias_table
from desktop.core.model import Report
from desktop.core.parser import parse_text
from desktop.ui.widgets.compare import CompareView

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def main() -> None:
    aliases = default_alias_table()
    reports: dict[str, Report] = {
        p.name: parse_text(p.name, p.read_text(encoding="utf-8"), aliases=aliases) for p in SEEDS.glob("*.md")
    }

    def higher_is_better(name: str) -> bool | None:
        info = aliases.info(name)
        return info.higher_is_better if info else None

    app = QApplication([])
    view = CompareView(higher_is_better, reports.get)
    view.resize(1500, 900)
    view.show()
    app.processEvents()

    def shown(left: str, right: str) -> float:
        start = time.perf_counter()
        view.compare(left, right)
        view.browser.document().size()  # force the layout
        app.processEvents()  # and the paint
        return (time.perf_counter() - start) * 1000

    first = shown("2024-W24.md", "2024-W34.md")
    runs = []
    for _ in range(15):
        shown("2024-W17.md", "2024-W24.md")
        runs.append(shown("2024-W24.md", "2024-W34.md"))
    print(
        f"compare view, W24 -> W34 built and shown: first {first:.1f} ms, "
        f"median {statistics.median(runs):.1f} ms, max {max(runs):.1f} ms"
    )


if __name__ == "__main__":
    main()
