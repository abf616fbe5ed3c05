"""Running the command line as a separate process, as a user for whom file permissions count."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "desktop"]


def unprivileged_prefix() -> list[str]:
    """A command prefix under which chmod 000 denies access: as root, without the DAC capabilities."""
    if os.name != "posix" or os.geteuid() != 0:
        return []
    capsh = shutil.which("capsh")
    if capsh:
        return [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", 'exec "$0" "$@"']
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    pytest.skip("running as root without capsh or setpriv: permissions cannot be denied")


def run_cli(
    args: list[str], *, unprivileged: bool = False, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    prefix = unprivileged_prefix() if unprivileged else []
    return subprocess.run(
        [*prefix, *CLI, *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def generate(folder: Path, reports: int) -> None:
    """A folder of realistic reports, made by the benchmark generator."""
    sys.path.insert(0, str(REPO / "tests" / "bench"))
    try:
        import generate as generator  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    generator.generate(folder, reports, 4, 1)


@contextlib.contextmanager
def small_tmpfs(where: Path, size: str) -> Iterator[Path]:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a full disk is simulated with a small tmpfs, which needs root and mount")
    where.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, check=False
    )
    if made.returncode != 0:
        pytest.skip(f"mount refused a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def watched_child(parent_pid: int) -> None:
    """A worker process armed with only the portable guard (no Linux death signal), then idle."""
    import time

    from desktop.store import parsing

    sys.platform = "portable"  # this process only: skip prctl, keep the pipe watch
    parsing.die_with_parent(parent_pid)
    time.sleep(120)
