"""The garbage collector is off while a folder loads, and back once the window has caught up."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.ui.collector import LoadCollector


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    yield
    gc.enable()  # whatever a failing test left behind


def test_a_hold_keeps_the_collector_off_until_the_window_has_caught_up(qtbot: QtBot) -> None:
    settled = [False]
    collector = LoadCollector(lambda: settled[0])
    frozen = gc.get_freeze_count()
    collector.hold()
    assert not gc.isenabled() and collector.holding
    qtbot.wait(250)  # (two polls: not settled yet)
    assert not gc.isenabled()
    made = [[i] for i in range(1000)]  # what a load makes: set aside with it, not walked again
    settled[0] = True
    qtbot.waitUntil(gc.isenabled, timeout=2000)
    assert not collector.holding and gc.get_freeze_count() >= frozen + len(made)


def test_the_collector_runs_again_only_when_no_window_holds_it(qtbot: QtBot) -> None:
    first, second = LoadCollector(lambda: False), LoadCollector(lambda: False)
    first.hold()
    second.hold()
    first.release()
    assert not gc.isenabled()
    second.release()
    assert gc.isenabled()
    second.release()  # (twice: nothing more happens)
    assert gc.isenabled()


def test_a_window_holds_the_collector_while_it_opens_a_folder(  # type: ignore[no-untyped-def]
    qtbot: QtBot, make_window, seeds_copy: Path
) -> None:
    window = make_window(seeds_copy)  # opened, indexed and caught up
    qtbot.waitUntil(gc.isenabled, timeout=2000)  # (at its next look)
    assert not window.collector.holding
    window.folder_controller.reindex()
    assert not gc.isenabled()  # an index started
    window.close()  # a window closed while it loads gives the collector back
    assert gc.isenabled()
