"""The `weekly-review` entry point: a subcommand runs the command line, anything else opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from desktop.commands import COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # The frozen app re-enters here in its parsing worker processes. Elsewhere this is a no-op,
        # and importing multiprocessing costs every command tens of milliseconds.
        import multiprocessing

        multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if args and (args[0] in COMMANDS or args[0] == "--version"):
        # sqlite-utils loads numpy (installed for the charts) only to store numpy values, which the
        # command line never does; skipping it saves about 70 ms on every command.
        sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
        from desktop.cli import main as cli_main

        return cli_main(args)
    from desktop.ui.app import main as gui_main

    return gui_main(args)
