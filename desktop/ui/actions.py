"""The main window's menus, actions and toolbar, with every label set in one place (retranslate)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
)

from desktop.ui.i18n import LANGUAGES

_Key = QKeySequence.StandardKey


class WindowActions(QObject):
    def __init__(self, window: QMainWindow, tree: QWidget, chart: QWidget, docks: list[QDockWidget]) -> None:
        super().__init__(window)
        self._window = window
        style = QApplication.style()

        def make(
            shortcuts: Sequence[QKeySequence | _Key | str] = (),
            icon: QStyle.StandardPixmap | None = None,
            checkable: bool = False,
        ) -> QAction:
            action = QAction(window)
            if shortcuts:
                action.setShortcuts([QKeySequence(s) for s in shortcuts])
            if icon is not None:
                action.setIcon(style.standardIcon(icon))
            action.setCheckable(checkable)
            window.addAction(action)  # shortcuts work while the menu bar is hidden too
            return action

        sp = QStyle.StandardPixmap
        self.open = make([_Key.Open], sp.SP_DirOpenIcon)
        self.reindex = make(["F5"], sp.SP_BrowserReload)
        self.export_png = make(icon=sp.SP_DialogSaveButton)
        self.export_csv = make()
        self.export_html = make()
        self.export_pdf = make()
        self.quit = make(["Ctrl+Q"])  # the generic Linux theme maps StandardKey.Quit to nothing
        self.find = make([_Key.Find])
        self.compare_previous = make(["Ctrl+D"], sp.SP_FileDialogContentsView)
        self.back_to_reports = make(["Alt+Left"], sp.SP_ArrowBack)
        # The feature pages: one action each, checked while its page is in front.
        self.show_overview = make(["Ctrl+Shift+O"], sp.SP_FileDialogDetailedView, checkable=True)
        self.show_timeline = make(["Ctrl+Shift+T"], sp.SP_FileDialogListView, checkable=True)
        self.show_progress = make(["Ctrl+Shift+P"], sp.SP_DialogApplyButton, checkable=True)
        self.export_digest = {fmt: make() for fmt in ("json", "md", "html")}
        self.show_tree = make(checkable=True)
        self.show_chart = make(checkable=True)
        self.bigger = make(["Ctrl+=", _Key.ZoomIn])
        self.smaller = make([_Key.ZoomOut])
        self.normal_size = make(["Ctrl+0"])
        self.shortcuts = make([_Key.HelpContents])
        self.about = make()
        self.show_tree.setChecked(True)
        self.show_chart.setChecked(True)
        self.show_tree.toggled.connect(tree.setVisible)
        self.show_chart.toggled.connect(chart.setVisible)

        self.languages = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in ("system", *LANGUAGES):
            action = QAction(self.languages, checkable=True)
            action.setData(code)
            self.language_actions[code] = action
        self.themes = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for code in ("system", "light", "dark"):
            action = QAction(self.themes, checkable=True)
            action.setData(code)
            self.theme_actions[code] = action

        bar = window.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.open)
        self.recent_menu = self.file_menu.addMenu("")
        self.file_menu.addAction(self.reindex)
        self.file_menu.addSeparator()
        for action in (self.export_png, self.export_csv, self.export_html, self.export_pdf):
            self.file_menu.addAction(action)
        self.digest_menu = self.file_menu.addMenu("")
        for action in self.export_digest.values():
            self.digest_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)

        self.view_menu = bar.addMenu("")
        for action in (self.find, self.compare_previous, self.back_to_reports):
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        for action in self.page_actions().values():
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.show_tree)
        self.view_menu.addAction(self.show_chart)
        for dock in docks:
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        for action in (self.bigger, self.smaller, self.normal_size):
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.language_menu = self._submenu(self.view_menu, self.language_actions)
        self.theme_menu = self._submenu(self.view_menu, self.theme_actions)

        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.shortcuts)
        self.help_menu.addAction(self.about)

        self.search_edit = QLineEdit(window)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(360)
        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        for action in (self.open, self.reindex, self.compare_previous):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in self.page_actions().values():
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):  # a page is named, not guessed from an icon
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.search_edit)
        window.addToolBar(self.toolbar)
        self.retranslate()

    def page_actions(self) -> dict[str, QAction]:
        """The action of each feature page, by its view name."""
        return {
            "overview": self.show_overview,
            "timeline": self.show_timeline,
            "progress": self.show_progress,
        }

    def retranslate_pages(self) -> None:
        self.digest_menu.setTitle(self.tr("Export &Digest"))
        texts = {
            self.show_overview: self.tr("&Overview"),
            self.show_timeline: self.tr("T&imeline"),
            self.show_progress: self.tr("&Progress"),
            self.export_digest["json"]: self.tr("as &JSON…"),
            self.export_digest["md"]: self.tr("as &Markdown…"),
            self.export_digest["html"]: self.tr("as &HTML…"),
        }
        for action, text in texts.items():
            action.setText(text)
        tips = {
            self.show_overview: self.tr("Every team's week at a glance (Ctrl+Shift+O)"),
            self.show_timeline: self.tr("One topic across all weeks (Ctrl+Shift+T)"),
            self.show_progress: self.tr("Progress of work items over time (Ctrl+Shift+P)"),
        }
        for action, tip in tips.items():
            action.setToolTip(tip)

    @staticmethod
    def _submenu(parent: QMenu, actions: dict[str, QAction]) -> QMenu:
        menu = parent.addMenu("")
        for action in actions.values():
            menu.addAction(action)
        return menu

    def retranslate(self) -> None:
        self.file_menu.setTitle(self.tr("&File"))
        self.recent_menu.setTitle(self.tr("Open &Recent"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.theme_menu.setTitle(self.tr("&Theme"))
        self.toolbar.setWindowTitle(self.tr("Main"))
        texts = {
            self.open: self.tr("&Open Folder…"),
            self.reindex: self.tr("&Reindex"),
            self.export_png: self.tr("Export Chart as &PNG…"),
            self.export_csv: self.tr("Export Chart Data as &CSV…"),
            self.export_html: self.tr("Export Comparison as &HTML…"),
            self.export_pdf: self.tr("Export Comparison as P&DF…"),
            self.quit: self.tr("&Quit"),
            self.find: self.tr("&Search…"),
            self.compare_previous: self.tr("&Compare with Previous Week"),
            self.back_to_reports: self.tr("&Back to Reports"),
            self.show_tree: self.tr("Report &Tree"),
            self.show_chart: self.tr("&Metrics Chart"),
            self.bigger: self.tr("&Larger Text"),
            self.smaller: self.tr("S&maller Text"),
            self.normal_size: self.tr("&Normal Text Size"),
            self.shortcuts: self.tr("&Keyboard Shortcuts"),
            self.about: self.tr("&About Weekly Review"),
            self.language_actions["system"]: self.tr("Follow the &System"),
            self.theme_actions["system"]: self.tr("Follow the &System"),
            self.theme_actions["light"]: self.tr("&Light"),
            self.theme_actions["dark"]: self.tr("&Dark"),
        }
        for code, name in LANGUAGES.items():
            texts[self.language_actions[code]] = name  # a language is named in itself
        for action, text in texts.items():
            action.setText(text)
        self.compare_previous.setToolTip(
            self.tr("Compare the selected report with the one before it (Ctrl+D)")
        )
        self.search_edit.setPlaceholderText(self.tr("Search all reports (Ctrl+F)"))
        self.retranslate_pages()
