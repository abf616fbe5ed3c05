"""The reader pane when a report's file is no longer the version the cache indexed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from desktop.core.aliases import default_alias_table
from desktop.store import queries
from desktop.store.cache import open_reader
from desktop.store.indexer import open_and_index
from desktop.ui.presenters.reader import ReaderPresenter
from desktop.ui.view_state import ViewState


class _Folder:
    """What the reader presenter asks of the open folder: its cache connection and listing."""

    def __init__(self, db: Any) -> None:
        self.reader = db
        self.rows = queries.list_reports(db)

    def read(self, query: Callable[..., Any], default: Any, *args: object) -> Any:
        return query(self.reader, *args)


def test_a_report_whose_file_changed_says_so_instead_of_showing_other_lines(
    qtbot: QtBot, seeds_copy: Path
) -> None:
    cache, _ = open_and_index(seeds_copy)
    path = cache.path
    cache.close()
    changed = seeds_copy / "2024-W24.md"
    changed.write_text("# 2024-W24\n\n## 全新的一节\n\n- 另一个版本\n", encoding="utf-8")
    os.utime(changed, ns=(1, 1))
    db = open_reader(path)
    assert db is not None
    state = ViewState()
    presenter = ReaderPresenter(state, _Folder(db), default_alias_table())  # type: ignore[arg-type]
    pages: list[Any] = []
    messages: list[str] = []
    presenter.page_ready.connect(pages.append)
    presenter.message_shown.connect(messages.append)
    state.show_report("2024-W17.md")
    assert [p.path for p in pages] == ["2024-W17.md"] and not messages
    assert "## " in pages[0].markdown
    state.show_report("2024-W24.md")
    assert len(pages) == 1  # no page cut from lines of another version
    assert len(messages) == 1 and "2024-W24" in messages[0] and "changed" in messages[0]
    # A path the cache does not hold shows nothing, as before.
    state.show_report("not-a-report.md")
    assert len(pages) == 1 and len(messages) == 1
    db.close()
