"""The window's menus that are not a pane's: recent folders, text size, language, theme and help.

Text size, language and theme are held in the view state; this writes them there and applies them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox

from desktop import __version__
from desktop.core.paths import cache_path_for, seeds_dir
from desktop.ui.actions import WindowActions
from desktop.ui.i18n import Translations, system_language
from desktop.ui.settings import Settings
from desktop.ui.theme import ThemeSwitch
from desktop.ui.view_state import ViewState
from desktop.ui.widgets.shortcuts_dialog import ShortcutsDialog


class WindowMenus(QObject):
    folder_chosen = Signal(Path)
    dark_changed = Signal(bool)  # after the theme or the system's colour scheme changed

    def __init__(
        self,
        window: QMainWindow,
        actions: WindowActions,
        state: ViewState,
        settings: Settings,
        translations: Translations,
    ) -> None:
        super().__init__(window)
        self._window, self._actions, self._state, self._settings = window, actions, state, settings
        self.translations = translations
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.theme = ThemeSwitch(app)
        for action, slot in (
            (actions.bigger, self._on_bigger_triggered),
            (actions.smaller, self._on_smaller_triggered),
            (actions.normal_size, self._on_normal_size_triggered),
            (actions.shortcuts, self._on_shortcuts_triggered),
            (actions.about, self._on_about_triggered),
        ):
            action.triggered.connect(slot)
        actions.languages.triggered.connect(self._on_languages_triggered)
        actions.themes.triggered.connect(self._on_themes_triggered)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)
        state.language = settings.str_value("view/language", "system")
        state.theme = settings.str_value("view/theme", "system")
        actions.language_actions.get(state.language, actions.language_actions["system"]).setChecked(True)
        actions.theme_actions.get(state.theme, actions.theme_actions["system"]).setChecked(True)

    def apply_theme(self) -> None:
        self.theme.apply(self._state.theme)
        self.dark_changed.emit(self.theme.dark)

    # -- folders ---------------------------------------------------------------------------------

    def rebuild_recent(self) -> None:
        menu = self._actions.recent_menu
        menu.clear()
        for folder in self._settings.recent_folders():
            action = menu.addAction(str(folder))
            action.setData(str(folder))
            action.triggered.connect(self._on_recent_action_triggered)
        menu.setEnabled(bool(menu.actions()))

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.folder_chosen.emit(Path(str(action.data())))

    @Slot()
    def ask_folder(self) -> None:
        folder = self._state.folder
        samples = folder is not None and folder.resolve() == seeds_dir().resolve()
        start = str(folder if folder and not samples else Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self._window, self.tr("Open a folder of weekly reports"), start
        )
        if chosen:
            self.folder_chosen.emit(Path(chosen))

    # -- text size, language, theme --------------------------------------------------------------

    @Slot()
    def _on_bigger_triggered(self) -> None:
        self._state.zoom(1)

    @Slot()
    def _on_smaller_triggered(self) -> None:
        self._state.zoom(-1)

    @Slot()
    def _on_normal_size_triggered(self) -> None:
        self._state.zoom(0)

    @Slot(QAction)
    def _on_languages_triggered(self, action: QAction) -> None:
        code = str(action.data())
        self._state.language = code
        self._settings.set_value("view/language", code)
        if not self.translations.apply(system_language() if code == "system" else code):
            self._window.statusBar().showMessage(self.tr("That language could not be loaded"), 6000)

    @Slot(QAction)
    def _on_themes_triggered(self, action: QAction) -> None:
        self._state.theme = str(action.data())
        self._settings.set_value("view/theme", self._state.theme)
        self.apply_theme()

    @Slot(Qt.ColorScheme)
    def _on_style_hints_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self.dark_changed.emit(self.theme.dark)

    # -- help ------------------------------------------------------------------------------------

    @Slot()
    def _on_shortcuts_triggered(self) -> None:
        compare = self._window.findChild(QObject, "compare-view")
        extra = compare.actions() if compare is not None and hasattr(compare, "actions") else []
        ShortcutsDialog(self._window.actions() + extra, self._window).exec()

    @Slot()
    def _on_about_triggered(self) -> None:
        folder = self._state.folder
        cache = cache_path_for(folder) if folder else None
        QMessageBox.about(
            self._window,
            self.tr("About Weekly Review"),
            self.tr(
                "<h3>Weekly Review %1</h3><p>Browse, chart, compare and search weekly reports.</p>"
                "<p>Cache: %2</p><p>Samples: %3</p>"
            )
            .replace("%1", __version__)
            .replace("%2", str(cache) if cache else "—")
            .replace("%3", str(seeds_dir())),
        )
