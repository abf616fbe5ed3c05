"""Where the window's stalls go: the window's own `--timings` run, with the UI thread's stack sampled
whenever the event loop has not turned for a while.

    QT_QPA_PLATFORM=offscreen python tests/bench/trace_stalls.py FOLDER [--over 30] [--top 12]

A watchdog thread looks at a heartbeat (a 5 ms timer on the UI thread) every 2 ms; once the beat is
late by `--over` ms it samples the UI thread's Python stack until the loop turns again. Each stall is
printed with its length, when it happened and its most frequent innermost frames. A stack that ends in
`app.exec` means Qt's own C++ (layout, painting) was running with no Python on it.
"""

from __future__ import annotations

import argparse
import collections
import sys
import threading
import time
import traceback
from pathlib import Path
from types import FrameType

from PySide6.QtCore import QTimer

from desktop import STARTED

ROOT = str(Path(__file__).resolve().parents[2])
Frames = tuple[str, ...]


class Watchdog:
    def __init__(self, over_ms: float) -> None:
        self.over = over_ms / 1000
        self.beat = time.perf_counter()
        self.main = threading.main_thread().ident
        self.stalls: list[tuple[float, float, collections.Counter[Frames]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)

    def start(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        self._thread.start()

    def _on_timer_timeout(self) -> None:
        self.beat = time.perf_counter()

    def _watch(self) -> None:
        samples: collections.Counter[Frames] = collections.Counter()
        stalled_since = 0.0
        while not self._stop.wait(0.002):
            beat = self.beat
            late = time.perf_counter() - beat
            if late > self.over:
                if not stalled_since:
                    stalled_since = beat
                frame = sys._current_frames().get(self.main or 0)
                if frame is not None:
                    samples[self._frames(frame)] += 1
            elif stalled_since:
                self.stalls.append((stalled_since - STARTED, beat - stalled_since, samples))
                samples, stalled_since = collections.Counter(), 0.0

    @staticmethod
    def _frames(frame: FrameType) -> Frames:
        out = []
        for summary in traceback.extract_stack(frame)[::-1]:
            name = summary.filename
            short = name[len(ROOT) + 1 :] if name.startswith(ROOT) else name.rsplit("site-packages/", 1)[-1]
            out.append(f"{short}:{summary.lineno} {summary.name}")
        return tuple(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--over", type=float, default=30, help="ms of lateness that counts as a stall")
    parser.add_argument("--top", type=int, default=12, help="how many of the longest stalls to print")
    parser.add_argument("--depth", type=int, default=8, help="frames printed per stack")
    args, rest = parser.parse_known_args()
    from desktop.ui import app

    dog = Watchdog(args.over)
    shown = app.ScriptedRun.window_shown

    def window_shown(run: app.ScriptedRun) -> None:
        shown(run)
        dog.start()

    app.ScriptedRun.window_shown = window_shown  # type: ignore[method-assign]
    code = app.main([args.folder, "--quit-after-index", "--timings", *rest])
    dog._stop.set()
    longest = sorted(dog.stalls, key=lambda s: -s[1])[: args.top]
    print(f"\n{len(dog.stalls)} stalls over {args.over:.0f} ms; the longest:", file=sys.stderr)
    for at, length, samples in sorted(longest):
        total = sum(samples.values()) or 1
        print(f"\n== {length * 1000:.0f} ms at {at:.2f} s ({total} samples)", file=sys.stderr)
        inner: collections.Counter[Frames] = collections.Counter()
        for frames, count in samples.items():
            inner[frames[: args.depth]] += count
        for frames, count in inner.most_common(3):
            print(f"  {100 * count / total:3.0f}%", file=sys.stderr)
            for line in frames:
                print(f"        {line}", file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
