"""Threads for background work, run below the UI thread's priority.

On a machine with few cores the window's thread competes with its own workers (the index, the chart's
queries, the review's listing) for the CPU: at 50,000 reports its longest stall lasted twice its own
CPU time. Background threads therefore run at the niceness of the parser processes
(desktop/store/parsing.py), and the UI thread gets a core first whenever it has work.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

from PySide6.QtCore import QThread

NICENESS = 10


def lower_priority() -> None:
    """Lower the priority of the calling thread (never call it on the UI thread)."""
    if sys.platform.startswith("linux"):
        # Linux gives each thread its own nice value; QThread's priorities do nothing there under
        # the default scheduling policy. A thread cannot raise its priority again, and needs not.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
        return
    thread = QThread.currentThread()
    if thread is not None and thread.priority() != QThread.Priority.LowPriority:
        thread.setPriority(QThread.Priority.LowPriority)


class WorkerThread(QThread):
    """A QThread whose event loop runs at background priority."""

    def run(self) -> None:
        lower_priority()
        self.exec()
