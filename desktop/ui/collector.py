"""Python's cyclic garbage collector, held off while a folder loads.

A folder of 50,000 reports is read into tens of thousands of rows and tree nodes, on several threads
at once, and every young collection on the way walked what had just been made without finding any
garbage: 5-19 ms each, forty of them while the index from the cache ran, each holding the interpreter
the window draws with. With the collector off for the load, the longest stall of a cold index at
50,000 reports was 20 ms instead of 50, and the memory the same (445 MB against 443 MB: loading
makes no cyclic garbage to speak of).

Once the window has caught up (or after MAX_HOLD_S at most), what the load made is moved out of the
collector's sight with gc.freeze(): it is the folder's data, which reference counting frees when it
goes. Then the collector runs again, over what is made from then on. (Collecting instead took 181 ms
at 50,000 reports, and leaving it to the next young collection 85 ms, both on the window's thread.)
So what the window drops must not hang in cycles: the report tree's nodes let go of their parents
when a tree is replaced or a subtree removed (desktop/ui/models/tree_nodes.py).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot

POLL_MS = 100  # how often a hold looks whether the window has caught up
MAX_HOLD_S = 600.0  # a load that never settles does not keep the collector off for good

# The holds of every window (tests open several): the collector runs when there are none.
_holders: set[LoadCollector] = set()


class LoadCollector(QObject):
    """hold() when an index starts; the collector is back once `settled()` says the window caught up."""

    def __init__(self, settled: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settled = settled
        self._since = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def holding(self) -> bool:
        return self in _holders

    @Slot()
    def hold(self) -> None:
        if not _holders:
            gc.disable()
        _holders.add(self)
        self._since = time.monotonic()
        self._timer.start()

    @Slot()
    def release(self) -> None:
        self._timer.stop()
        if self not in _holders:
            return
        _holders.discard(self)
        if not _holders:
            gc.freeze()
            gc.enable()

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._settled() or time.monotonic() - self._since > MAX_HOLD_S:
            self.release()
