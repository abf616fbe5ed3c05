"""The one CSV writer of the app: cells a spreadsheet would run as formulas are defused.

A report may title a section `=HYPERLINK(...)`; written as it is, a spreadsheet opens it as a live
formula. OWASP's advice: prefix such a cell with `'`, so it is shown as text. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import TextIO

# The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """The value to write: numbers as they are, text that would start a formula behind a `'`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(
    out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]], *, line_end: str = "\n"
) -> None:
    """A header and rows, every cell through safe_cell (`out` opened with newline="" for files)."""
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
