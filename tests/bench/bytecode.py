"""Whole-process figures are taken with the package's bytecode in place, as an installed app has it.

pip compiles a package's bytecode when it installs it, and the packaged app carries it; a checkout run
with PYTHONDONTWRITEBYTECODE set (as some machines and CI images do) never writes it, and then every
command spends a tenth of a second compiling the app's own modules before it starts. Each benchmark
that times `weekly-review` processes calls `compile_app()` first, so the figures describe the app and
not this quirk of the machine.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"


def compile_app() -> None:
    compileall.compile_dir(str(PACKAGE), quiet=1)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("bytecode: compiled the app's modules first (PYTHONDONTWRITEBYTECODE is set here)")
