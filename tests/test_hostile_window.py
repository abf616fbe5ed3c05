"""The window on a cache it cannot write: the cached reports are shown, and a message says why."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hostile_helpers import small_tmpfs
from pytestqt.qtbot import QtBot

from desktop.core.aliases import default_alias_table

INDEX_TIMEOUT_MS = 60_000


def test_a_read_only_cache_is_shown_as_it_is(
    qtbot: QtBot, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store.indexer import open_and_index
    from desktop.ui.folder_controller import FolderController
    from desktop.ui.models.report_tree import ReportTreeModel

    with small_tmpfs(tmp_path / "media", "16m") as media:
        monkeypatch.setenv("WEEKLY_REVIEW_CACHE_DIR", str(media))
        cache, _ = open_and_index(seeds_copy)
        cache.close()
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)  # read-only media
        with (seeds_copy / "2024-W24.md").open("a", encoding="utf-8") as handle:
            handle.write("\n- 改过了\n")
        session = FolderController(default_alias_table(), ReportTreeModel())
        try:
            with qtbot.waitSignal(session.index_failed, timeout=INDEX_TIMEOUT_MS) as failed:
                session.open(seeds_copy)
            assert "read-only" in failed.args[0]
            qtbot.waitUntil(lambda: len(session.model.report_paths()) == 5, timeout=INDEX_TIMEOUT_MS)
        finally:
            session.shutdown()
