"""Timing commands as whole processes, against their budgets: shared by bench_review.py and bench_topics.py.

Each command runs `repeats` times after one untimed run (which warms the file cache); the wall time and
the child's CPU time (user + system) are printed as median and minimum, with the budget and whether
the median is within it. On a shared machine the wall time is noisy: the CPU time and `uptime` say
how much of it was waiting. Call bytecode.compile_app() first, as an installed app has its bytecode.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = str(Path(sys.executable).parent / "weekly-review")


def uptime() -> str:
    try:  # `uptime` as a person would quote it; the load averages alone where it is missing
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of the child and bytes written to standard output."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run([EXE, *args], env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, len(done.stdout)


def timed(name: str, args: list[str], env: dict[str, str], repeats: int, budget: float | None) -> None:
    """Print one command's figures; `budget` in seconds of wall time, None for a baseline."""
    run_once(args, env)  # untimed: the file cache, and the bytecode cache when there is one
    runs = [run_once(args, env) for _ in range(repeats)]
    walls = [r[0] for r in runs]
    cpus = [r[1] for r in runs]
    median = statistics.median(walls)
    verdict = "" if budget is None else f"  budget {budget:.1f} s {'ok' if median <= budget else 'OVER'}"
    print(
        f"{name:<40} wall median {median:.3f} s  min {min(walls):.3f} s"
        f"  cpu median {statistics.median(cpus):.3f} s  out {runs[0][2] / 1e6:5.2f} MB{verdict}"
    )
