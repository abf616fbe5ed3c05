"""Interface languages: the project's own Qt translations plus Qt's, switchable while running.

The `.ts` sources live in resources/i18n; the `.qm` files are compiled from them by Qt's lrelease
(shipped with PySide6) into the cache directory, or come ready-made inside a packaged build.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from desktop.core.paths import cache_dir, resources_dir

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
DOMAIN = "weekly_review"


def system_language() -> str:
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def _lrelease() -> Path | None:
    tool = Path(PySide6.__file__).parent / "lrelease"
    return tool if tool.exists() else None


def compiled_translation(language: str) -> Path | None:
    """The .qm for a language: bundled with a packaged build, else compiled from its .ts when stale."""
    source = resources_dir() / "i18n" / f"{DOMAIN}_{language}.ts"
    bundled = source.with_suffix(".qm")
    if bundled.exists() and (not source.exists() or bundled.stat().st_mtime >= source.stat().st_mtime):
        return bundled
    if not source.exists():
        return None
    target = cache_dir() / "i18n" / bundled.name
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [str(tool), "-silent", str(source), "-qm", str(target)], capture_output=True, timeout=60, check=False
    )
    return target if done.returncode == 0 and target.exists() else None


class Translations(QObject):
    """Installs the translators for one language at a time; Qt then sends LanguageChange to widgets."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._installed: list[QTranslator] = []
        self.language = "en"

    def apply(self, language: str) -> bool:
        """Switch to `language` ("en" or "zh_CN"); False when its translation could not be loaded."""
        app = QCoreApplication.instance()
        if app is None:
            return False
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed.clear()
        self.language = language
        if language == "en":
            return True
        ok = True
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in (("qtbase", qt_dir), ("qt", qt_dir)):
            translator = QTranslator(self)
            if translator.load(f"{name}_{language}", folder):
                app.installTranslator(translator)
                self._installed.append(translator)
        own = compiled_translation(language)
        translator = QTranslator(self)
        if own is not None and translator.load(str(own)):
            app.installTranslator(translator)
            self._installed.append(translator)
        else:
            ok = False
        return ok
