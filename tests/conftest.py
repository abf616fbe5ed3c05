from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def tree_snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path below folder with its size and mtime: to prove the app wrote nothing there."""
    result = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            full = Path(dirpath) / name
            st = full.stat()
            result[str(full.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return result
