"""Notices changes to the open folder's reports and says so once the writing has settled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

SETTLE_MS = 400  # editors write a file in several steps; wait for the last one
ADD_CHUNK = 400  # paths handed to the watcher per event-loop turn (each is an inotify call)
MAX_WATCHED_FILES = 4000  # beyond this, new and renamed files are still seen through their folders


class FolderWatcher(QObject):
    folder_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.folder_changed)
        self._watcher.directoryChanged.connect(self._on_watcher_changed)
        self._watcher.fileChanged.connect(self._on_watcher_changed)
        self._to_add: list[str] = []
        self._adder = QTimer(self)
        self._adder.setInterval(0)
        self._adder.timeout.connect(self._on_adder_timeout)

    def watch(self, folder: Path, relpaths: list[str]) -> None:
        """Watch `folder`, the folders holding the reports, and the report files themselves."""
        old = self._watcher.directories() + self._watcher.files()
        if old:
            self._watcher.removePaths(old)
        dirs = {str(folder)}
        files = []
        for relpath in relpaths[:MAX_WATCHED_FILES]:
            files.append(str(folder / relpath))
            parts = relpath.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                dirs.add(str(folder.joinpath(*parts[:depth])))
        # Folders first: they alone already catch new, removed and renamed files.
        self._to_add = sorted(dirs) + files
        self._adder.start()

    @property
    def busy(self) -> bool:
        return bool(self._to_add)

    @Slot()
    def _on_adder_timeout(self) -> None:
        chunk, self._to_add = self._to_add[:ADD_CHUNK], self._to_add[ADD_CHUNK:]
        if chunk:
            self._watcher.addPaths(chunk)
        if not self._to_add:
            self._adder.stop()

    def stop(self) -> None:
        self._to_add = []
        self._adder.stop()
        old = self._watcher.directories() + self._watcher.files()
        if old:
            self._watcher.removePaths(old)
        self._settle.stop()

    @Slot(str)
    def _on_watcher_changed(self, _path: str) -> None:
        self._settle.start()
