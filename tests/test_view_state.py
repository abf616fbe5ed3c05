"""The window's view state: plain Python fields whose observers hear of a move once it is complete."""

from __future__ import annotations

from pathlib import Path

from desktop.ui.view_state import DEFAULT_TEXT_PX, MAX_TEXT_PX, MIN_TEXT_PX, ViewState


def test_show_report_is_one_change_seen_complete_by_every_observer() -> None:
    state = ViewState(report="old.md", section=2, highlight="x", view="compare")
    seen: list[tuple[str, object, object, str]] = []
    state.events.report.connect(lambda value: seen.append(("report", value, state.section, state.view)))
    state.events.section.connect(lambda value: seen.append(("section", value, state.report, state.view)))
    state.show_report("2024-W24.md", 4)
    assert sorted(seen) == [
        ("report", "2024-W24.md", 4, "reports"),
        ("section", 4, "2024-W24.md", "reports"),
    ]
    assert state.highlight == ""


def test_a_new_folder_forgets_the_previous_folders_report() -> None:
    state = ViewState(folder=Path("/a"), report="r.md", section=1, compare=("a.md", "b.md"))
    state.clear_folder(Path("/b"))
    assert (state.folder, state.report, state.section, state.compare) == (Path("/b"), None, None, None)


def test_text_size_is_bounded_and_resets() -> None:
    state = ViewState()
    for _ in range(100):
        state.zoom(+1)
    assert state.text_px == MAX_TEXT_PX
    for _ in range(100):
        state.zoom(-1)
    assert state.text_px == MIN_TEXT_PX
    state.zoom(0)
    assert state.text_px == DEFAULT_TEXT_PX
