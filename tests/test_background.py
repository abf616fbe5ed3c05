"""Background threads run below the window's priority, and the window's own thread keeps its priority."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop.ui.background import NICENESS, WorkerThread, lower_priority

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's"
)


def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


class Probe(QObject):
    measured = Signal(int)
    asked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.asked.connect(self.measure)  # queued once the probe lives on the worker thread

    @Slot()
    def measure(self) -> None:
        self.measured.emit(niceness())


class Receiver(QObject):
    """On the test's thread: the probe's answer arrives queued, as a worker's result reaches the window."""

    received = Signal(int)

    @Slot(int)
    def _on_probe_measured(self, value: int) -> None:
        self.received.emit(value)


class Job(QRunnable):
    def __init__(self, probe: Probe) -> None:
        super().__init__()
        self.probe = probe

    def run(self) -> None:
        lower_priority()
        self.probe.measure()


def test_a_worker_thread_runs_at_background_priority_and_the_window_thread_keeps_its_own(qtbot) -> None:
    before = niceness()
    thread = WorkerThread()
    probe = Probe()
    probe.moveToThread(thread)
    receiver = Receiver()
    probe.measured.connect(receiver._on_probe_measured)
    thread.start()
    with qtbot.waitSignal(receiver.received) as seen:
        probe.asked.emit()
    thread.quit()
    assert thread.wait(5000)
    assert seen.args == [min(before + NICENESS, 19)]
    assert niceness() == before


def test_a_pool_job_lowers_its_thread(qtbot) -> None:
    before = niceness()
    pool = QThreadPool()
    probe, receiver = Probe(), Receiver()
    probe.measured.connect(receiver._on_probe_measured)
    with qtbot.waitSignal(receiver.received) as seen:
        pool.start(Job(probe))
    assert pool.waitForDone(5000)
    assert seen.args[0] > before
    assert niceness() == before
