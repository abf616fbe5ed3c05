"""Every file the window writes goes through here: one dialog, one default folder, one way to fail.

Features call `export_with(kind, default_name, writer)` (the writer gets the chosen path) or
`export_text(kind, default_name, content)`. The default folder is the last one exported to, else the
user's Documents; never the report folder, which the app only reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from desktop.core import csv_export
from desktop.ui.settings import Settings

LAST_FOLDER_KEY = "exports/last_folder"
SCALE_KEY = "exports/image_scale"
IMAGE_SCALES = (1.0, 2.0, 3.0, 4.0)
DEFAULT_SCALE = 2.0  # sharp on a high-density screen and in a slide


@dataclass(frozen=True)
class ExportKind:
    suffix: str  # with the dot
    filter: str  # the file dialog's filter, in the interface language


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """The one CSV writer of the window: UTF-8 with a BOM (so Excel reads it as such), and cells that a
    spreadsheet would run as formulas defused, as the command line's CSV does."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv_export.write_csv(handle, header, rows, line_end="\r\n")


def safe_file_name(name: str) -> str:
    """A default file name without path separators or characters Windows refuses."""
    cleaned = "".join("-" if c in '/\\:*?"<>|' else c for c in name).strip(" .")
    return cleaned or "weekly-review"


class ExportService(QObject):
    exported = Signal(str)  # the path written
    export_failed = Signal(str, str)  # the path, the reason

    def __init__(self, settings: Settings, dialog_parent: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._dialog_parent = dialog_parent
        self.report_folder: Path | None = None  # kept out of the defaults

    def kinds(self) -> dict[str, ExportKind]:
        return {
            "png": ExportKind(".png", self.tr("PNG images (*.png)")),
            "csv": ExportKind(".csv", self.tr("CSV files (*.csv)")),
            "html": ExportKind(".html", self.tr("HTML files (*.html)")),
            "pdf": ExportKind(".pdf", self.tr("PDF files (*.pdf)")),
            "md": ExportKind(".md", self.tr("Markdown files (*.md)")),
            "json": ExportKind(".json", self.tr("JSON files (*.json)")),
        }

    def default_folder(self) -> Path:
        last = self._settings.str_value(LAST_FOLDER_KEY, "")
        candidates = [Path(last)] if last else []
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        candidates += [Path(documents)] if documents else []
        candidates.append(Path.home())
        for folder in candidates:
            if folder.is_dir() and not self._inside_reports(folder):
                return folder
        return Path.home()

    def _inside_reports(self, folder: Path) -> bool:
        if self.report_folder is None:
            return False
        try:
            folder.resolve().relative_to(self.report_folder.resolve())
        except ValueError:
            return False
        return True

    def ask_path(self, kind: str, default_name: str, title: str = "") -> Path | None:
        """Where to save a file of this kind; None when the user cancels."""
        spec = self.kinds()[kind]
        name = safe_file_name(default_name)
        if not name.endswith(spec.suffix):
            name += spec.suffix
        chosen, _ = QFileDialog.getSaveFileName(
            self._dialog_parent, title or self.tr("Export"), str(self.default_folder() / name), spec.filter
        )
        if not chosen:
            return None
        return Path(chosen) if chosen.endswith(spec.suffix) else Path(chosen + spec.suffix)

    def ask_scale(self, size: QSize, title: str = "") -> float | None:
        """How large to export an image of this size (at 1×): 2× unless the user chose otherwise before."""
        last = self._settings.str_value(SCALE_KEY, str(DEFAULT_SCALE))
        try:
            current = IMAGE_SCALES.index(float(last))
        except ValueError:
            current = IMAGE_SCALES.index(DEFAULT_SCALE)
        items = [
            self.tr("%1× (%2 × %3 pixels)")
            .replace("%1", f"{s:g}")
            .replace("%2", str(round(size.width() * s)))
            .replace("%3", str(round(size.height() * s)))
            for s in IMAGE_SCALES
        ]
        chosen, ok = QInputDialog.getItem(
            self._dialog_parent, title or self.tr("Export"), self.tr("Image size:"), items, current, False
        )
        if not ok or chosen not in items:
            return None
        scale = IMAGE_SCALES[items.index(chosen)]
        self._settings.set_value(SCALE_KEY, str(scale))
        return scale

    def write(self, path: Path, writer: Callable[[Path], None], title: str = "") -> bool:
        """Write through writer, remember the folder, and say how it went."""
        try:
            writer(path)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            QMessageBox.warning(
                self._dialog_parent,
                title or self.tr("Export"),
                self.tr("Could not write %1: %2").replace("%1", str(path)).replace("%2", reason),
            )
            self.export_failed.emit(str(path), reason)
            return False
        self._settings.set_value(LAST_FOLDER_KEY, str(path.parent))
        self.exported.emit(str(path))
        return True

    def export_with(
        self, kind: str, default_name: str, writer: Callable[[Path], None], title: str = ""
    ) -> Path | None:
        """Ask where, then write; the path written, or None (cancelled or failed, already said)."""
        path = self.ask_path(kind, default_name, title)
        if path is None:
            return None
        return path if self.write(path, writer, title) else None

    def export_text(self, kind: str, default_name: str, content: str, title: str = "") -> Path | None:
        def write_text(path: Path) -> None:
            path.write_text(content, encoding="utf-8")

        return self.export_with(kind, default_name, write_text, title)
