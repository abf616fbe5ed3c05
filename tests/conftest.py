from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings

INDEX_TIMEOUT_MS = 60_000
REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
CORPUS = REPO.parent / "shared" / "corpora" / "rustc-perf-triage"


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every test gets its own cache and config directories: nothing leaks between tests or to $HOME."""
    base = tmp_path_factory.mktemp("app")
    monkeypatch.setenv("WEEKLY_REVIEW_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("WEEKLY_REVIEW_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("WEEKLY_REVIEW_DATA_DIR", str(base / "data"))  # the reviewer's notes, never $HOME's
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    from desktop.core import aliases

    # The alias table is read once per process; each test may bring its own user file.
    aliases.default_alias_table.cache_clear()
    yield
    aliases.default_alias_table.cache_clear()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled samples (tests must never touch seeds/ itself)."""
    import shutil

    target = tmp_path / "reports"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the rustc-perf corpus in ../shared/corpora is absent")
    return CORPUS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The window's settings in a file of the test's own."""
    from PySide6.QtCore import QSettings

    from desktop.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot: QtBot, settings: Settings) -> Iterator[Callable[..., MainWindow]]:
    """make(folder, size=None): a shown window with folder open, its index done and every pane caught up
    (the tree, the chart's rows and the reviewer's notes each come from a thread of their own)."""
    from desktop.core.aliases import default_alias_table
    from desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(folder: Path, size: tuple[int, int] | None = None) -> MainWindow:
        window = MainWindow(default_alias_table(), settings)
        qtbot.addWidget(window)
        if size is not None:
            window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        open_and_wait(qtbot, window, folder)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def open_and_wait(qtbot: QtBot, window: MainWindow, folder: Path) -> None:
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        window.open_folder(folder)
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.review.loaded, timeout=INDEX_TIMEOUT_MS)


def tree_snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path below folder with its size and mtime: to prove the app wrote nothing there."""
    result = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            full = Path(dirpath) / name
            st = full.stat()
            result[str(full.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return result
