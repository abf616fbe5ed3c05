"""The review pieces of the window, standalone: presenter, Follow-ups panel and model, note editor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.review.anchors import ReportInfo
from desktop.review.store import ReviewStore
from desktop.store.indexer import open_and_index
from desktop.ui.review.follow_ups import FollowUpsModel, FollowUpsPanel
from desktop.ui.review.note_editor import NoteEditor
from desktop.ui.review.presenter import ReviewPresenter
from desktop.ui.review.source import CacheSource
from desktop.ui.view_state import ViewState


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    monkeypatch.setenv("WEEKLY_REVIEW_DATA_DIR", str(target))
    return target


def index(folder: Path) -> CacheSource:
    cache, _ = open_and_index(folder)
    path = cache.path
    cache.close()
    return CacheSource(path)


@pytest.fixture
def setup(seeds_copy: Path, qtbot: QtBot) -> Iterator[tuple[ViewState, ReviewPresenter]]:
    state = ViewState()
    presenter = ReviewPresenter(state, index(seeds_copy), auto_read_seconds=0.05)
    with qtbot.waitSignal(presenter.notes_loaded, timeout=10_000):
        state.clear_folder(seeds_copy)
    yield state, presenter
    presenter.shutdown()


def test_the_shown_report_is_read_after_a_moment(
    setup: tuple[ViewState, ReviewPresenter], qtbot: QtBot
) -> None:
    state, presenter = setup
    assert not presenter.is_read("2024-W24.md")
    with qtbot.waitSignal(presenter.read_state_changed, timeout=5000):
        state.show_report("2024-W24.md")
    assert presenter.is_read("2024-W24.md") and presenter.changed_since_read("2024-W24.md") is False
    presenter.toggle_read("2024-W24.md")
    assert not presenter.is_read("2024-W24.md")
    # With the setting off, opening a report does not start the clock.
    presenter.set_auto_read(False)
    state.show_report("2024-W34.md")
    assert not presenter._timer.isActive() and not presenter.is_read("2024-W34.md")


def test_a_changed_report_shows_as_changed_since_read(
    setup: tuple[ViewState, ReviewPresenter], seeds_copy: Path, qtbot: QtBot
) -> None:
    _state, presenter = setup
    presenter.mark_read("2024-W24.md")
    # A reload that finds the same reports hands the window its own mapping back: freeing 50,000
    # entries was 7 ms of the window's thread after every index.
    before = presenter._current
    with qtbot.waitSignal(presenter.notes_loaded, timeout=10_000):
        presenter.refresh()
    assert presenter._current is before and presenter.changed_since_read("2024-W24.md") is False
    path = seeds_copy / "2024-W24.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n补充：一条新进展。\n", encoding="utf-8")
    index(seeds_copy)
    with qtbot.waitSignal(presenter.notes_loaded, timeout=10_000):
        presenter.refresh()
    assert presenter.changed_since_read("2024-W24.md") is True and presenter._current is not before


def test_a_note_on_a_section_shows_beside_it_and_undo_brings_a_deleted_one_back(
    setup: tuple[ViewState, ReviewPresenter],
) -> None:
    _state, presenter = setup
    presenter.add_note("2024-W24.md", "ask about 省心租", section=0)
    [note] = presenter.notes_by_section("2024-W24.md")["贝易转"]
    assert note.section == "【贝易转】" and note.text == "ask about 省心租"
    presenter.edit_note(note.id, "ask about 省心租 rollout", True)
    assert presenter.notes_of("2024-W24.md")[0].follow_up
    presenter.delete_note(note.id)
    assert presenter.notes_of("2024-W24.md") == []
    presenter.undo_stack.undo()
    assert [n.text for n in presenter.notes_of("2024-W24.md")] == ["ask about 省心租 rollout"]
    presenter.undo_stack.undo()
    assert presenter.notes_of("2024-W24.md")[0].text == "ask about 省心租"
    presenter.undo_stack.undo()  # the add itself
    assert presenter.notes_of("2024-W24.md") == []
    presenter.undo_stack.redo()
    assert [n.id for n in presenter.notes_of("2024-W24.md")] == [note.id]


def test_a_follow_up_shows_on_the_next_report_and_closes_there(
    setup: tuple[ViewState, ReviewPresenter], qtbot: QtBot, qtmodeltester: object
) -> None:
    state, presenter = setup
    presenter.add_note("2024-W24.md", "is 省心租 live nationwide?", section=0, follow_up=True)
    state.show_report("2024-W34.md")
    [prompt] = presenter.prompts()
    assert prompt.text == "Asked on 2024-W24: is 省心租 live nationwide?"
    state.show_report("2024-W17.md")  # an earlier week: nothing was asked before it
    assert presenter.prompts() == []

    panel = FollowUpsPanel()
    qtbot.addWidget(panel)
    panel.set_notes(presenter.open_follow_ups())
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    model = panel.model
    assert [model.index(0, c).data() for c in range(3)] == ["", "2024-W24", "【贝易转】"]
    assert model.index(0, 3).data() == "is 省心租 live nationwide?"
    with qtbot.waitSignal(panel.follow_up_activated) as jumped:
        panel.table.activated.emit(model.index(0, 0))
    assert jumped.args == ["2024-W24.md", prompt.note.id]

    panel.follow_up_closed.connect(presenter._on_panel_follow_up_closed)
    panel.table.selectRow(0)
    panel.close_button.click()
    state.show_report("2024-W34.md")
    assert presenter.prompts() == [] and presenter.open_follow_ups() == []
    presenter.undo_stack.undo()
    assert len(presenter.prompts()) == 1


def test_the_background_load_finds_notes_written_elsewhere(
    setup: tuple[ViewState, ReviewPresenter], seeds_copy: Path, qtbot: QtBot
) -> None:
    _state, presenter = setup
    source = index(seeds_copy)
    info = next(i for i in source.current_reports() if i.path == "2024-W17.md")
    other = ReviewStore()  # another window, or the command line
    for n in range(30):
        other.add_note(seeds_copy, info, source.load([info.path])[info.path], f"from elsewhere {n}")
    other.close()
    with qtbot.waitSignal(presenter.notes_loaded, timeout=10_000):
        presenter.refresh()
    assert len(presenter.notes_of("2024-W17.md")) == 30


def test_the_presenter_is_busy_while_a_load_is_under_way_and_never_after(
    setup: tuple[ViewState, ReviewPresenter], qtbot: QtBot
) -> None:
    """The window counts itself settled (scripted runs, screenshots) only once the marks are in."""
    state, presenter = setup
    assert not presenter.busy
    with qtbot.waitSignal(presenter.notes_loaded, timeout=10_000):
        presenter.refresh()
        assert presenter.busy
    assert not presenter.busy
    presenter.refresh()
    state.clear_folder(None)  # closed while the load ran: its answer is dropped, and nothing waits for it
    assert not presenter.busy
    assert QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.processEvents()  # the load's answer, queued, arrives and is dropped
    assert not presenter.busy


def test_a_load_that_fails_says_so_and_leaves_nothing_waiting(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("WEEKLY_REVIEW_DATA_DIR", str(blocker))  # no review database can be made here
    state = ViewState()
    presenter = ReviewPresenter(state, index(seeds_copy))
    try:
        with qtbot.waitSignal(presenter.error_occurred, timeout=10_000):
            state.clear_folder(seeds_copy)
        assert not presenter.busy  # the window does not wait for marks that cannot come
    finally:
        presenter.shutdown()


def test_the_model_is_sound_empty_and_full(qtmodeltester: object) -> None:
    model = FollowUpsModel()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 0 and model.columnCount() == 5


def test_the_note_editor_refuses_an_empty_note(qtbot: QtBot) -> None:
    editor = NoteEditor(quote="- 【贝易转】 1. 业务")
    qtbot.addWidget(editor)
    ok = editor.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    editor.editor.setPlainText("  needs a date  ")
    editor.follow_up_box.setChecked(True)
    assert ok.isEnabled() and editor.text() == "needs a date" and editor.follow_up()


class _CountingSource(CacheSource):
    """The cache's source, counting how often the whole listing is read."""

    listings = 0

    def current_reports(self) -> list[ReportInfo]:
        type(self).listings += 1
        return super().current_reports()


def _loaded_presenter(
    qtbot: QtBot, folder: Path, source_type: type[CacheSource]
) -> tuple[ReviewPresenter, ViewState, CacheSource]:
    """A review presenter over the cache of `folder` (indexed now), its first load done."""
    cache, _ = open_and_index(folder)
    source = source_type(cache.path)
    cache.close()
    state = ViewState()
    presenter = ReviewPresenter(state, source, auto_read_seconds=60)
    with qtbot.waitSignal(presenter.notes_loaded, timeout=10_000):
        state.clear_folder(folder)
    return presenter, state, source


def test_a_report_indexed_since_the_last_load_gets_its_prompts_without_reading_the_listing(
    seeds_copy: Path, qtbot: QtBot
) -> None:
    presenter, state, source = _loaded_presenter(qtbot, seeds_copy, _CountingSource)
    assert all(source.report_info(i.path) == i for i in source.current_reports())
    assert source.report_info("no such report.md") is None
    try:
        presenter.add_note("2024-W24.md", "请跟进风控规则上线", follow_up=True)
        # A newer week of the same team lands in the cache after the presenter's load (a cold index).
        newer = seeds_copy / "2024-W40.md"
        newer.write_text((seeds_copy / "2024-W34.md").read_text(encoding="utf-8"), encoding="utf-8")
        index(seeds_copy)
        listings = _CountingSource.listings
        state.show_report("2024-W40.md")
        assert [p.note.text for p in presenter.prompts()] == ["请跟进风控规则上线"]
        assert _CountingSource.listings == listings  # on the window's thread: one lookup, not 50,000 rows
    finally:
        presenter.shutdown()


def test_a_note_on_a_report_whose_file_changed_since_the_index_is_kept(
    seeds_copy: Path, qtbot: QtBot
) -> None:
    # The cache reads a report's text back from its file, only while it is the version indexed. A
    # note written in the moment between an edit and its re-index must be kept all the same.
    import os

    presenter, _state, _source = _loaded_presenter(qtbot, seeds_copy, CacheSource)
    errors: list[str] = []
    presenter.error_occurred.connect(errors.append)
    try:
        edited = seeds_copy / "2024-W24.md"
        edited.write_text(edited.read_text(encoding="utf-8") + "\n- 补充一行\n", encoding="utf-8")
        os.utime(edited, ns=(1, 1))
        presenter.add_note("2024-W24.md", "贝易转的投产时间？", section=0, follow_up=True)
        assert errors == []
        [note] = ReviewStore().notes(seeds_copy)
        assert note.text == "贝易转的投产时间？" and note.section == "【贝易转】" and note.follow_up
    finally:
        presenter.shutdown()
