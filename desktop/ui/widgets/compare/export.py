"""What a saved comparison holds: a page of its own, as HTML or printed to PDF (where: desktop.ui.exports)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from desktop.core.compare import Comparison
from desktop.core.compare_html import CompareLabels, CompareNotes, comparison_html, side_name
from desktop.core.render import LIGHT


def export_page(
    comparison: Comparison,
    changes_only: bool,
    labels: CompareLabels,
    base_px: int,
    notes: CompareNotes | None = None,
) -> str:
    """The comparison as HTML that stands alone, nothing loaded from elsewhere (with notes if given)."""
    return comparison_html(
        comparison,
        changes_only=changes_only,
        palette=LIGHT,  # paper is white
        base_px=base_px,
        standalone=True,
        labels=labels,
        notes=notes,
    ).html


def write_html(path: Path, html: str) -> None:
    path.write_text(html, encoding="utf-8")


def write_pdf(path: Path, html: str, comparison: Comparison | None) -> None:
    path.write_bytes(b"")  # QPdfWriter fails silently: an unwritable path raises OSError here instead
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter)
    writer.setResolution(96)  # the HTML is sized in screen pixels: 15px text prints at ~11pt
    writer.setCreator("Weekly Review")
    if comparison is not None:
        writer.setTitle(f"{side_name(comparison.left)} → {side_name(comparison.right)}")
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)
