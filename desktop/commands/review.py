"""The reviewer's memory on the command line: mark, note, close, notes, review-export/-import."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the command line."""
