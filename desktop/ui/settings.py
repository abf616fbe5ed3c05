"""What persists between runs: window geometry, splitters, folders, chosen metrics, text size."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QUrl

MAX_RECENT = 8


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings or QSettings()

    @classmethod
    def for_app(cls) -> Settings:
        """The platform's settings store; with WEEKLY_REVIEW_CONFIG_DIR set, a file in that folder, so
        that a scripted run (screenshots, benchmarks) starts from a known state and leaves the user's
        own settings alone."""
        override = os.environ.get("WEEKLY_REVIEW_CONFIG_DIR")
        if not override:
            return cls()
        return cls(QSettings(str(Path(override) / "window.ini"), QSettings.Format.IniFormat))

    def _list(self, key: str) -> list[str]:
        value = self._s.value(key, [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    @property
    def last_folder(self) -> Path | None:
        value = self._s.value("folders/last", "")
        return Path(str(value)) if value else None

    def remember_folder(self, folder: Path) -> None:
        text = str(folder)
        self._s.setValue("folders/last", text)
        recent = [f for f in self._list("folders/recent") if f != text]
        self._s.setValue("folders/recent", [text, *recent][:MAX_RECENT])

    def recent_folders(self) -> list[Path]:
        return [Path(f) for f in self._list("folders/recent")]

    @staticmethod
    def _metrics_key(folder: Path) -> str:
        # One key per folder path; percent-encoded, as QSettings reads "/" and "\\" as group separators.
        encoded = QUrl.toPercentEncoding(str(folder.expanduser().absolute())).toStdString()
        return f"chart-metrics/{encoded}"

    def chosen_metrics(self, folder: Path) -> list[str] | None:
        """The metrics charted for this folder, or None: none chosen there yet, the defaults apply."""
        key = self._metrics_key(folder)
        return [n for n in self._list(key) if n] if self._s.contains(key) else None

    def set_chosen_metrics(self, folder: Path, names: list[str] | None) -> None:
        """Remember this folder's charted metrics; None forgets them (back to the defaults)."""
        if names is None:
            self._s.remove(self._metrics_key(folder))
        else:
            # An empty list would read back as "no value": a one-item marker keeps the choice of none.
            self._s.setValue(self._metrics_key(folder), names or [""])

    def byte_array(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) else None

    def set_byte_array(self, key: str, value: QByteArray) -> None:
        self._s.setValue(key, value)

    def int_value(self, key: str, default: int) -> int:
        value = self._s.value(key, default)
        try:
            return int(value) if isinstance(value, (int, str, float)) else default
        except ValueError:
            return default

    def set_value(self, key: str, value: object) -> None:
        self._s.setValue(key, value)

    def str_value(self, key: str, default: str = "") -> str:
        value = self._s.value(key, default)
        return str(value) if value is not None else default

    def sync(self) -> None:
        self._s.sync()
