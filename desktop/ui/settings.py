"""What persists between runs: window geometry, splitters, folders, chosen metrics, text size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings or QSettings()

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

    def chosen_metrics(self) -> list[str] | None:
        if not self._s.contains("chart/metrics"):
            return None
        return self._list("chart/metrics")

    def set_chosen_metrics(self, names: list[str]) -> None:
        self._s.setValue("chart/metrics", names)

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
