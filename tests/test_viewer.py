"""The section viewer: links, scrolling in step with the outline, nothing loaded from outside."""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop.core.outline import parse_outline
from desktop.ui.widgets.viewer import SectionViewer, section_at


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
    # Scrolled to the end, the last section is being read, whatever the fonts make of the page.
    last = parse_outline((SEEDS / "2024-W34.md").read_text(encoding="utf-8").split("\n")).sections[-1]
    assert seen and seen[-1] == last.index
    bar.setValue(0)
    assert seen[-1] in (-1, 0)
    # On the way down the sections follow each other in order.
    seen.clear()
    for value in range(0, bar.maximum() + 1, max(1, bar.pageStep() // 4)):
        bar.setValue(value)
    bar.setValue(bar.maximum())
    assert seen == sorted(seen) and seen[-1] == last.index


def test_the_reading_line_moves_from_the_top_to_the_bottom_edge() -> None:
    tops = [(0, 0), (400, 1), (900, 2), (1000, 3)]  # headings at these y; the page is 1100 high
    assert section_at(tops, 0, 600, 500) == 0
    assert section_at(tops, 395, 600, 500) == 1  # at the top edge while far from the end
    assert section_at(tops, 600, 600, 500) == 3  # at the end: the last heading on screen
    assert section_at([], 0, 0, 500) == -1
    assert section_at([(50, 4)], 0, 0, 500) == 4  # a short page: everything is on screen


def test_a_long_report_shows_a_part_and_the_rest_on_request(qtbot: QtBot) -> None:
    from desktop.core.render import RENDER_LINES

    viewer = SectionViewer()
    qtbot.addWidget(viewer)
    lines = [f"- 第{n}行" for n in range(RENDER_LINES * 2 + 10)]
    viewer.show_markdown("long.md", -1, "\n".join(lines), first_line=1, sections=[])
    text = viewer.toPlainText()
    assert "第0行" in text and f"第{RENDER_LINES * 2}行" not in text and "Show the rest" in text
    href = next(part for part in viewer.toHtml().split('"') if part.startswith("weekly-review-more:"))
    viewer.anchorClicked.emit(QUrl(href))
    text = viewer.toPlainText()
    assert "第0行" not in text and f"第{RENDER_LINES + 5}行" in text
