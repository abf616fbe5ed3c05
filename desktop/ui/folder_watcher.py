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
        # Created on first use and released on stop: each is a system watch handle, of which a
        # process gets only a few (128 on Linux by default).
        self._watcher: QFileSystemWatcher | None = None
        self._folder: Path | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.folder_changed)
        self._to_add: list[str] = []
        self._adder = QTimer(self)
        self._adder.setInterval(0)
        self._adder.timeout.connect(self._on_adder_timeout)

    @property
    def busy(self) -> bool:
        return bool(self._to_add)

    def watch(self, folder: Path, relpaths: list[str]) -> None:
        """Watch `folder`, the folders holding the reports, and the report files themselves.

        Called again after every index: paths already watched stay watched (so no change slips
        through while the list is renewed), vanished ones are dropped, new ones added.
        """
        if self._watcher is None or self._folder != folder:
            self.stop()
            self._folder = folder
            self._watcher = QFileSystemWatcher(self)
            self._watcher.directoryChanged.connect(self._on_watcher_changed)
            self._watcher.fileChanged.connect(self._on_watcher_changed)
        dirs = {str(folder)}
        for relpath in relpaths:
            parts = relpath.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                dirs.add(str(folder.joinpath(*parts[:depth])))
        files = [str(folder / relpath) for relpath in relpaths[:MAX_WATCHED_FILES]]
        watched = set(self._watcher.directories()) | set(self._watcher.files())
        wanted = dirs | set(files)
        gone = sorted(watched - wanted)
        if gone:
            self._watcher.removePaths(gone)
        # Folders first: they alone already catch new, removed and renamed files.
        self._to_add = [p for p in sorted(dirs) + files if p not in watched]
        self._adder.start()

    def stop(self) -> None:
        self._to_add = []
        self._adder.stop()
        self._settle.stop()
        if self._watcher is not None:
            self._watcher.deleteLater()
            self._watcher = None
        self._folder = None

    @Slot()
    def _on_adder_timeout(self) -> None:
        chunk, self._to_add = self._to_add[:ADD_CHUNK], self._to_add[ADD_CHUNK:]
        if chunk and self._watcher is not None:
            self._watcher.addPaths(chunk)
        if not self._to_add:
            self._adder.stop()

    @Slot(str)
    def _on_watcher_changed(self, _path: str) -> None:
        self._settle.start()
