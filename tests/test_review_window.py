"""The reviewer's memory in the real window: read marks in the tree, notes beside their sections, the
follow-up prompts on the next report, undo, changed reports, a rebuilt cache, exports with notes."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from pytestqt.qtbot import QtBot

from desktop.cli import main
from desktop.review.migrations import STEPS
from desktop.review.store import ReviewStore
from desktop.ui.main_window import MainWindow
from desktop.ui.models.report_tree import BADGE_ROLE, CHANGED_MARK, READ_COUNT_ROLE, READ_ROLE
from desktop.ui.review.note_editor import NoteEditor
from desktop.ui.settings import Settings
from tests.conftest import INDEX_TIMEOUT_MS

W17, W24, W34 = "2024-W17.md", "2024-W24.md", "2024-W34.md"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    s.set_value("review/auto_read", "false")  # the tests mark reports read themselves
    return s


def answer_editor(monkeypatch: pytest.MonkeyPatch, text: str, follow_up: bool = False) -> None:
    def ask(cls: object, parent: object, **_: object) -> tuple[str, bool]:
        return text, follow_up

    monkeypatch.setattr(NoteEditor, "ask", classmethod(ask))


def show(qtbot: QtBot, window: MainWindow, path: str) -> None:
    window.state.show_report(path)
    qtbot.waitUntil(lambda: window.viewer.path == path)


def section_index(window: MainWindow, path: str, title: str) -> int:
    sections = window.review._sections_of(path)
    return next(s.index for s in sections if title in s.title)


def viewer_text(window: MainWindow) -> str:
    return window.viewer.toPlainText()


def test_a_note_on_a_section_shows_right_under_its_title(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    show(qtbot, window, W24)
    answer_editor(monkeypatch, "Ask when the ICBC plan is due")
    window.review.ask_note(W24, section_index(window, W24, "银行账户架构"))
    qtbot.waitUntil(lambda: "Ask when the ICBC plan is due" in viewer_text(window))
    text = viewer_text(window)
    title, note = text.index("【银行账户架构】"), text.index("Ask when the ICBC plan is due")
    body = text.index("装修存管投产完成")
    assert title < note < body  # under the heading, before the section's own text
    assert text.index("【贝易转】") < title  # not on the section before
    # The same note beside the section in the comparison.
    window.compare(W17, W24)
    qtbot.waitUntil(lambda: window.compare_view.comparison is not None)
    assert "Ask when the ICBC plan is due" in window.compare_view.browser.toPlainText()


def test_a_note_from_the_shortcut_goes_on_the_section_shown(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    index = section_index(window, W24, "银行账户架构")
    window.state.show_report(W24, index)
    qtbot.waitUntil(lambda: window.viewer.section == index)
    answer_editor(monkeypatch, "note from the keyboard")
    window.review.add_note.trigger()
    qtbot.waitUntil(lambda: bool(window.review.presenter.notes_of(W24)))
    (note,) = window.review.presenter.notes_of(W24)
    assert note.section == "【银行账户架构】"
    qtbot.waitUntil(lambda: "note from the keyboard" in viewer_text(window), timeout=3000)


def test_a_follow_up_shows_on_the_next_report_and_closes_there(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    show(qtbot, window, W17)
    answer_editor(monkeypatch, "Send the bank list", follow_up=True)
    window.review.ask_note(W17, -1)
    qtbot.waitUntil(lambda: window.review.panel.model.rowCount() == 1)
    assert window.review.panel.model.index(0, 3).data() == "Send the bank list"
    show(qtbot, window, W24)
    qtbot.waitUntil(lambda: "Asked on 2024-W17: Send the bank list" in viewer_text(window))
    # One click on its "close" link.
    (note,) = window.review.presenter.open_follow_ups()
    window.viewer.anchorClicked.emit(QUrl(f"review:close/{note.id}"))
    qtbot.waitUntil(lambda: "Asked on" not in viewer_text(window))
    assert window.review.panel.model.rowCount() == 0
    assert window.review.presenter.notes_of(W17)[0].closed is not None


def test_the_follow_ups_panel_jumps_to_the_report(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    answer_editor(monkeypatch, "Who owns the AB incident?", follow_up=True)
    window.review.ask_note(W17, section_index(window, W17, "54321"))
    qtbot.waitUntil(lambda: window.review.panel.model.rowCount() == 1)
    show(qtbot, window, W34)
    window.review.panel.table.activated.emit(window.review.panel.model.index(0, 0))
    assert window.state.report == W17
    assert window.state.section == section_index(window, W17, "54321")


def test_unread_is_bold_and_becomes_normal_after_reading(
    make_window, seeds_copy: Path, qtbot: QtBot, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    model = window.tree_model

    def bold(path: str) -> bool:
        font = model.index_for(path).data(Qt.ItemDataRole.FontRole)
        return font is not None and font.bold()

    assert bold(W24) and bold(W17)
    year = model.index_for(W24).parent()
    assert year.data(READ_COUNT_ROLE) == (0, 3)
    assert year.data(BADGE_ROLE) == "0/3"  # what the tree paints after the year's label
    assert model.index_for(W24).data(BADGE_ROLE) is None
    # Read automatically after a moment open (the test's moment is short).
    window.review.presenter._timer.setInterval(50)
    window.review.auto_read.setChecked(True)
    show(qtbot, window, W24)
    qtbot.waitUntil(lambda: not bold(W24))
    assert bold(W17)
    assert model.index_for(W24).data(READ_ROLE) == "read"
    assert year.data(READ_COUNT_ROLE) == (1, 3)
    assert year.data(BADGE_ROLE) == "1/3"
    qtmodeltester.check(model)
    # The shortcut's action marks it unread again, and the setting turns the automatic part off.
    window.review.auto_read.setChecked(False)
    assert window.settings.str_value("review/auto_read") == "false"
    window.review.toggle_read.trigger()
    qtbot.waitUntil(lambda: bold(W24))
    window.state.show_report(W17)
    qtbot.wait(200)
    assert bold(W17)


def test_the_window_is_settled_only_once_the_reviewers_marks_are_in(
    make_window, seeds_copy: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    """Screenshots and scripted runs wait for settled(): taken before the marks land, a picture would
    show every report unread."""
    window = make_window(seeds_copy)
    assert window.settled()
    window.review.presenter.refresh()  # as after every index
    assert window.review.presenter.busy and not window.settled()
    qtbot.waitUntil(window.settled, timeout=INDEX_TIMEOUT_MS)
    assert not window.review.presenter.busy


def test_a_report_modified_after_reading_shows_as_changed(
    make_window, seeds_copy: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    show(qtbot, window, W24)
    window.review.presenter.mark_read(W24)
    assert window.tree_model.read_state(W24) == "read"
    with (seeds_copy / W24).open("a", encoding="utf-8") as f:
        f.write("\n- 【新增事项】\n    补充：交行方案已确认。\n")
    with qtbot.waitSignal(window.index_done, timeout=INDEX_TIMEOUT_MS):
        window.folder_controller.reindex()
    qtbot.waitUntil(lambda: window.tree_model.read_state(W24) == "changed", timeout=INDEX_TIMEOUT_MS)
    assert window.tree_model.index_for(W24).data(BADGE_ROLE) == CHANGED_MARK  # the tree's mark
    qtbot.waitUntil(lambda: "Changed since you read it" in viewer_text(window))
    assert window.tree_model.read_state(W17) == "unread"
    page = window.review.changes_page(W24)
    assert page is not None and "交行方案已确认" in page and "贝易转" in page


def test_undo_brings_a_deleted_note_back(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    show(qtbot, window, W24)
    answer_editor(monkeypatch, "Keep this one")
    window.review.ask_note(W24, section_index(window, W24, "贝易转"))
    qtbot.waitUntil(lambda: "Keep this one" in viewer_text(window))
    (note,) = window.review.presenter.notes_of(W24)
    window.viewer.anchorClicked.emit(QUrl(f"review:delete/{note.id}"))
    qtbot.waitUntil(lambda: "Keep this one" not in viewer_text(window))
    assert window.review.undo.isEnabled()
    window.review.undo.trigger()  # Edit → Undo
    qtbot.waitUntil(lambda: "Keep this one" in viewer_text(window))
    assert [n.id for n in window.review.presenter.notes_of(W24)] == [note.id]


def test_a_rebuilt_cache_keeps_every_note_visible(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    answer_editor(monkeypatch, "on the report")
    window.review.ask_note(W24, -1)
    answer_editor(monkeypatch, "on a section")
    window.review.ask_note(W17, section_index(window, W17, "54321"))
    window.review.presenter.mark_read(W34)
    window.close()
    shutil.rmtree(os.environ["WEEKLY_REVIEW_CACHE_DIR"])
    again = make_window(seeds_copy)
    notes = {n.text: n for ns in (again.review.presenter.notes_of(p) for p in (W24, W17)) for n in ns}
    assert set(notes) == {"on the report", "on a section"}
    assert not any(n.orphaned for n in notes.values())
    assert notes["on a section"].section == "【54321技术战略落地】"
    assert again.tree_model.read_state(W34) == "read"
    show(qtbot, again, W17)
    qtbot.waitUntil(lambda: "on a section" in viewer_text(again))


def test_the_compare_export_has_the_notes_only_when_asked(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    answer_editor(monkeypatch, "Exported note")
    window.review.ask_note(W24, section_index(window, W24, "贝易转"))
    window.compare(W17, W24)
    qtbot.waitUntil(lambda: window.compare_view.comparison is not None)
    plain, noted = tmp_path / "plain.html", tmp_path / "noted.html"
    window.compare_view.export_html(plain)
    window.review.export_notes.setChecked(True)
    window.compare_view.export_html(noted)
    assert "Exported note" not in plain.read_text(encoding="utf-8")
    assert "Exported note" in noted.read_text(encoding="utf-8")
    assert window.settings.str_value("review/export_notes") == "true"


def test_the_digest_lists_open_follow_ups(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    answer_editor(monkeypatch, "Report the bank list", follow_up=True)
    window.review.ask_note(W24, section_index(window, W24, "贝易转"))
    answer_editor(monkeypatch, "A plain note")
    window.review.ask_note(W24, -1)
    rows = window.review.follow_up_rows([seeds_copy.name], "2024-W34")
    assert [(r["text"], r["week"], r["section"]) for r in rows] == [
        ("Report the bank list", "2024-W24", "【贝易转】")
    ]
    assert window.review.follow_up_rows([seeds_copy.name], "2024-W17") == []  # asked later
    out = io.StringIO()
    assert main(["digest", str(seeds_copy), "--week", "2024-W34"], out=out) == 0
    digest = json.loads(out.getvalue())
    assert [f["text"] for f in digest["follow_ups"]] == ["Report the bank list"]
    out = io.StringIO()
    assert main(["digest", str(seeds_copy), "--week", "2024-W34", "--format", "md"], out=out) == 0
    assert "Report the bank list" in out.getvalue()


def test_a_version_2_database_keeps_its_reads_and_starts_keeping_the_text(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in STEPS[:2]:
        step(conn)
    conn.execute("INSERT INTO meta VALUES ('app', 'weekly-review-review'), ('schema_version', '2')")
    conn.execute("INSERT INTO reports(id, folder, path, digest) VALUES (1, ?, ?, 'd1')", [str(tmp_path), W24])
    conn.execute("INSERT INTO reads(report_id, read_at, digest) VALUES (1, '2024-06-17T09:00:00', 'd1')")
    conn.close()
    store = ReviewStore(path)
    try:
        assert store.read_states(tmp_path)[W24].read_at == "2024-06-17T09:00:00"
        assert store.read_text(tmp_path, W24) is None  # read before the text was kept
    finally:
        store.close()


def test_a_note_written_while_a_load_runs_is_not_lost_when_the_load_lands(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    presenter = window.review.presenter
    gate = threading.Event()
    reads_of = ReviewStore.read_states

    def slow_reads(store: ReviewStore, folder: Path) -> object:
        if threading.current_thread() is not threading.main_thread():
            gate.wait(10)  # the load has read the notes, not yet the marks, when the note is written
        return reads_of(store, folder)

    monkeypatch.setattr(ReviewStore, "read_states", slow_reads)
    presenter.refresh()
    answer_editor(monkeypatch, "written during the load")
    window.review.ask_note(W24, -1)
    with qtbot.waitSignal(presenter.notes_loaded, timeout=INDEX_TIMEOUT_MS):
        gate.set()
    assert [n.text for n in presenter.notes_of(W24)] == ["written during the load"]


def test_the_overview_lists_the_teams_open_follow_ups_and_opens_their_report(
    make_window, seeds_copy: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    answer_editor(monkeypatch, "Report the bank list", follow_up=True)
    window.review.ask_note(W24, section_index(window, W24, "贝易转"))
    qtbot.waitUntil(lambda: window.review.panel.model.rowCount() == 1)
    page = window.pages.overview
    with qtbot.waitSignal(page.overview_shown, timeout=60_000):
        window.actions_.show_overview.trigger()
    model = page.follow_ups
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert [model.index(0, c).data() for c in range(4)] == [
        seeds_copy.name,
        "2024-W24",
        "【贝易转】",
        "Report the bank list",
    ]
    assert "(1)" in page.tabs.tabText(page.tabs.indexOf(page.views["follow_ups"]))
    page.views["follow_ups"].activated.emit(model.index(0, 3))
    qtbot.waitUntil(lambda: window.state.report == W24 and window.state.view == "reports")
    # Closed in the reader, it leaves the overview too.
    (note,) = window.review.presenter.open_follow_ups()
    window.review.presenter.close_follow_up(note.id)
    with qtbot.waitSignal(page.overview_shown, timeout=60_000):
        window.actions_.show_overview.trigger()
    assert model.rowCount() == 0


def test_the_overview_shows_whether_each_teams_report_is_read(
    make_window, seeds_copy: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(seeds_copy)
    page = window.pages.overview
    with qtbot.waitSignal(page.overview_shown, timeout=60_000):
        window.actions_.show_overview.trigger()
    teams = page.teams
    read_column = teams.columnCount() - 1
    assert teams.headerData(read_column, Qt.Orientation.Horizontal) == "Read"
    assert teams.index(0, read_column).data() == "unread"
    window.review.presenter.mark_read(W34)
    qtbot.waitUntil(lambda: teams.index(0, read_column).data() == "read")
