"""The section viewer: links, scrolling in step with the outline, nothing loaded from outside."""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop.core.outline import parse_outline
from desktop.ui.widgets.viewer import SectionViewer


def viewer_with(qtbot: QtBot, name: str) -> SectionViewer:
    viewer = SectionViewer()
    qtbot.addWidget(viewer)
    viewer.resize(700, 500)
    viewer.show()
    text = (SEEDS / name).read_text(encoding="utf-8")
    sections = parse_outline(text.split("\n")).sections
    viewer.show_markdown(name, -1, text, first_line=1, sections=sections)
    return viewer


def test_relative_report_links_open_in_the_app(qtbot: QtBot) -> None:
    viewer = viewer_with(qtbot, "第16周 2023-04-14.md")
    with qtbot.waitSignal(viewer.report_link_activated) as blocker:
        viewer.anchorClicked.emit(QUrl("2023-04-16%20%E5%91%A8%E6%97%A5_xq6XwTk1fp7s1jZJ6CS97G.md"))
    assert blocker.args == ["2023-04-16 周日_xq6XwTk1fp7s1jZJ6CS97G.md"]


def test_script_and_file_links_do_nothing(qtbot: QtBot) -> None:
    viewer = viewer_with(qtbot, "2024-W24.md")
    with qtbot.assertNotEmitted(viewer.report_link_activated):
        viewer.anchorClicked.emit(QUrl("javascript:alert(1)"))
        viewer.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert viewer.path == "2024-W24.md"  # nothing navigated away


def test_nothing_is_ever_loaded(qtbot: QtBot) -> None:
    viewer = viewer_with(qtbot, "2024-W24.md")
    assert viewer.loadResource(2, QUrl("https://example.invalid/x.png")) is None
    assert viewer.loadResource(2, QUrl.fromLocalFile(str(Path("/etc/hostname")))) is None


def test_scrolling_a_whole_report_keeps_the_outline_in_step(qtbot: QtBot) -> None:
    viewer = viewer_with(qtbot, "2024-W34.md")
    seen: list[int] = []
    viewer.section_scrolled.connect(lambda _path, index: seen.append(index))  # same thread: the viewer's
    bar = viewer.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert seen and seen[-1] >= 10  # near the end: 收获与反思 / 下周工作及目标
    bar.setValue(0)
    assert seen[-1] in (-1, 0)
