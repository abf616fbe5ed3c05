"""Opening a report with 20 notes in the real window: the UI work, in milliseconds.

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_review_window.py [--notes 20] [--rounds 30]

Opens a copy of the samples, puts the notes on the sections of 2024-W24 (and a follow-up on 2024-W17,
so a prompt shows too), then times `state.show_report` of that report until the event loop is idle:
the reader's page, the notes rendered under their sections, the prompt, the tree's selection. Budget:
30 ms. Alternates with another report so each round really opens it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUDGET_MS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name in ("cache", "config", "data"):
            os.environ[f"WEEKLY_REVIEW_{name.upper()}_DIR"] = str(base / name)
        folder = base / "reports"
        shutil.copytree(REPO / "seeds", folder)
        figures, bare = measure(folder, base, args.notes, args.rounds)
    median, worst = statistics.median(figures), max(figures)
    print(f"opening a report with {args.notes} notes: median {median:.1f} ms, max {worst:.1f} ms")
    print(f"the same report without the review's hooks: median {statistics.median(bare):.1f} ms")
    print(f"budget {BUDGET_MS:.0f} ms: {'ok' if median <= BUDGET_MS else 'OVER'}")


def measure(folder: Path, base: Path, count: int, rounds: int) -> tuple[list[float], list[float]]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.core.aliases import default_alias_table
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = Settings(QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat))
    settings.set_value("review/auto_read", "false")
    window = MainWindow(default_alias_table(), settings)
    window.resize(1600, 1000)
    window.show()

    def until(done: object, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline:  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.005)

    window.open_folder(folder)
    until(lambda: window.settled() and window.review.loaded and window.folder_controller.rows)
    presenter = window.review.presenter
    sections = window.review._sections_of("2024-W24.md")
    for k in range(count):
        section = sections[k % len(sections)].index
        presenter.add_note("2024-W24.md", f"Note {k}: ask the team about item {k}", section=section)
    presenter.add_note("2024-W17.md", "Send the bank list", follow_up=True)
    assert len(presenter.notes_of("2024-W24.md")) == count

    def rounds_of() -> list[float]:
        figures = []
        for _ in range(rounds):
            window.state.show_report("2024-W34.md")
            until(lambda: window.viewer.path == "2024-W34.md")
            app.processEvents()
            start = time.perf_counter()
            window.state.show_report("2024-W24.md")
            app.processEvents()  # the coalesced re-render, the tree's selection
            figures.append((time.perf_counter() - start) * 1000)
            assert window.viewer.path == "2024-W24.md"
        return figures

    figures = rounds_of()
    assert f"Note {count - 1}" in window.viewer.toPlainText()
    assert "Asked on 2024-W17" in window.viewer.toPlainText()
    decorator, window.viewer.decorator = window.viewer.decorator, None
    bare = rounds_of()
    window.viewer.decorator = decorator
    window.close()
    return figures, bare


if __name__ == "__main__":
    main()
