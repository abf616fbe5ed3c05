"""Interface languages: the Chinese translation is complete and compiles, and the running window switches."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.core.aliases import AliasTable, default_alias_table
from desktop.store.queries import MetricRow
from desktop.ui.i18n import Translations, compiled_translation
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.widgets.chart import ChartPanel
from desktop.ui.widgets.shortcuts_dialog import ShortcutsDialog, action_name

REPO = Path(__file__).resolve().parent.parent
TS = REPO / "resources" / "i18n" / "weekly_review_zh_CN.ts"
TOOLS = Path(PySide6.__file__).parent
INDEX_TIMEOUT_MS = 60_000

_PLACEHOLDER = re.compile(r"%(?:\d+|n|v|m)")
_ACCELERATOR = re.compile(r"&(?![&\s])")  # "&File"; not "A & B" nor an escaped "&&"
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def messages() -> list[tuple[str, ET.Element]]:
    root = ET.parse(TS).getroot()
    return [(ctx.findtext("name") or "", m) for ctx in root.iter("context") for m in ctx.iter("message")]


def translations_of(message: ET.Element) -> list[str]:
    node = message.find("translation")
    assert node is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in node.iter("numerusform")]
    return [node.text or ""]


# ------------------------------------------------------------------------------------------- the .ts file


def test_every_message_is_translated_and_finished() -> None:
    found = messages()
    assert len(found) > 100
    for context, message in found:
        source = message.findtext("source") or ""
        node = message.find("translation")
        assert node is not None and node.get("type") is None, (context, source)  # not unfinished/vanished
        texts = translations_of(message)
        assert texts and all(t.strip() for t in texts), (context, source)
        for text in texts:
            assert sorted(_PLACEHOLDER.findall(source)) == sorted(_PLACEHOLDER.findall(text)), (source, text)
            assert len(_ACCELERATOR.findall(source)) == len(_ACCELERATOR.findall(text)), (source, text)
            assert _TAG.findall(source) == _TAG.findall(text), (source, text)
            assert source.endswith("…") == text.endswith("…"), (source, text)


def test_the_ts_holds_every_string_of_the_code(tmp_path: Path) -> None:
    """lupdate finds nothing in desktop/ui that the .ts lacks: no string was added without translating it."""
    lupdate = TOOLS / "lupdate"
    if not lupdate.exists():
        pytest.skip("PySide6 ships no lupdate here")
    sources = sorted(str(p) for p in (REPO / "desktop" / "ui").rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True, timeout=120)
    wanted = {
        (ctx.findtext("name"), m.findtext("source"))
        for ctx in ET.parse(fresh).getroot().iter("context")
        for m in ctx.iter("message")
    }
    have = {(context, m.findtext("source")) for context, m in messages()}
    assert wanted, "lupdate found no strings at all"
    # To update: .venv/bin/pyside6-lupdate <each desktop/ui .py file> -target-language zh_CN -no-obsolete
    #     -ts resources/i18n/weekly_review_zh_CN.ts, then translate what it added.
    assert wanted - have == set(), "strings missing from the .ts: run pyside6-lupdate and translate them"


def test_lrelease_compiles_it_without_warnings(tmp_path: Path) -> None:
    lrelease = TOOLS / "lrelease"
    if not lrelease.exists():
        pytest.skip("PySide6 ships no lrelease here")
    done = subprocess.run(
        [str(lrelease), str(TS), "-qm", str(tmp_path / "out.qm")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stderr.strip() == ""
    assert " 0 unfinished" in done.stdout and "finished" in done.stdout


def test_compiled_translation_loads(qapp: QApplication) -> None:
    qm = compiled_translation("zh_CN")
    assert qm is not None and qm.exists()
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("WindowActions", "&File") == "文件(&F)"
    # The plural form; QCoreApplication.translate puts the number in for %n.
    assert translator.translate("SearchPanel", "%n match(es) for “%1”", "", 3) == "“%1”共有 %n 处匹配"


def test_shortcut_names_drop_either_style_of_accelerator() -> None:
    assert action_name("&Open Folder…") == "Open Folder"
    assert action_name("打开文件夹(&O)…") == "打开文件夹"
    assert action_name("S&maller Text") == "Smaller Text"
    assert action_name("Search && Replace") == "Search & Replace"


# ---------------------------------------------------------------------------------------- switching live


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    """The application's translators; English again afterwards, whatever the test did."""
    switch = Translations()
    yield switch
    switch.apply("en")
    QCoreApplication.processEvents()


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, seeds_copy: Path, translations: Translations
) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(default_alias_table(), settings, translations)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.index_done, timeout=INDEX_TIMEOUT_MS):
        win.open_folder(seeds_copy)
    # The chart's rows come from their own thread, asked for once the index is in.
    qtbot.waitUntil(win.settled, timeout=INDEX_TIMEOUT_MS)  # the tree fills in turns, the chart in a thread
    assert win.chart.legend_names() and win.tree_model.index_for("2024-W34.md", 0).isValid()
    yield win
    win.close()


def texts(win: MainWindow) -> dict[str, str]:
    """The texts the language switch must reach, one or two from each part of the window."""
    view = win.compare_view
    rates = win.chart._rates.getPlotItem()
    legend = win.chart._legends["rates"]
    horizontal, tip = Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    return {
        "file menu": win.actions_.file_menu.title(),
        "compare action": win.actions_.compare_previous.text(),
        "tree filter": win.tree_panel.filter_edit.placeholderText(),
        "tree header": str(win.tree_model.headerData(0, horizontal)),
        "report tooltip": str(win.tree_model.index_for("2024-W34.md").data(tip)),
        "section tooltip": str(win.tree_model.index_for("2024-W34.md", 0).data(tip)),
        "chart title": str(rates.titleLabel.text),
        "chart filter": win.chart._search.placeholderText(),
        "chart legend": " ".join(label.text for _sample, label in legend.items),
        "back button": view.back_button.text(),
        "changes only": view.changes_only_box.text(),
        "pair button": view.pair_button.text(),
        "export button": view.export_button.text(),
        "next change": view.next_action.text(),
        "compare header": view.header_label.text(),
        "compare html": view.browser.toPlainText(),
        "kpi header": str(view.kpi_model.headerData(0, horizontal)),
        "plan header": str(view.plan_model.headerData(1, horizontal)),
        "plan status": str(view.plan_model.index(0, 1).data()),
        "problems header": str(win.problems_model.headerData(0, horizontal)),
        "search summary": win.search_panel.summary.text(),
        "search dock": win.search_dock.windowTitle(),
    }


def switch(qtbot: QtBot, win: MainWindow, language: str, file_menu: str) -> None:
    win.actions_.language_actions[language].trigger()
    # Qt posts LanguageChange to the window, which passes it on to every child.
    qtbot.waitUntil(lambda: win.actions_.file_menu.title() == file_menu)


def test_switching_the_language_relabels_the_window(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.search_presenter.search_finished, timeout=60_000):
        window.run_search("成功率")
    window.compare("2024-W24.md", "2024-W34.md")
    english = texts(window)
    assert english["file menu"] == "&File" and english["back button"] == "← Back to reports"
    assert "(right axis)" in english["chart legend"]  # 一次支付成功率 sits on the right axis

    with qtbot.waitSignal(window.problems_model.headerDataChanged):
        switch(qtbot, window, "zh_CN", "文件(&F)")
    chinese = texts(window)
    assert chinese == {
        **chinese,
        "file menu": "文件(&F)",
        "compare action": "与上周对比(&C)",
        "tree filter": "筛选周报和章节…",
        "tree header": "周报",
        "chart title": "成功率",
        "chart filter": "筛选指标…",
        "back button": "← 返回周报",
        "changes only": "仅显示变化",
        "pair button": "配对",
        "export button": "导出…",
        "next change": "下一处变化",
        "kpi header": "指标",
        "plan header": "状态",
        "problems header": "文件",
        "search dock": "搜索结果",
    }
    assert "（右轴）" in chinese["chart legend"] and "(right axis)" not in chinese["chart legend"]
    assert "有变化的章节" in chinese["compare header"]
    assert "日期取自" in chinese["report tooltip"] and "date from" in english["report tooltip"]
    assert "\n第 " in chinese["section tooltip"] and "\nline " in english["section tooltip"]
    assert chinese["plan status"].endswith(("已完成", "进行中", "未找到"))
    assert "处匹配" in chinese["search summary"]
    assert chinese["compare html"] != english["compare html"]  # re-rendered with the Chinese labels
    assert window.settings.str_value("view/language", "") == "zh_CN"

    switch(qtbot, window, "en", "&File")
    assert texts(window) == english


def test_qt_own_texts_follow_too(qtbot: QtBot, window: MainWindow) -> None:
    switch(qtbot, window, "zh_CN", "文件(&F)")
    dialog = ShortcutsDialog(window.actions() + window.compare_view.actions(), window)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "键盘快捷键"
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    assert box.button(QDialogButtonBox.StandardButton.Close).text() == "关闭"
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert "打开文件夹" in names and "下一处变化" in names

    switch(qtbot, window, "en", "&File")
    assert box.button(QDialogButtonBox.StandardButton.Close).text() == "Close"  # retranslated in place
    fresh = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert fresh.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"


def test_chart_panel_alone_follows_the_language(
    qtbot: QtBot, tmp_path: Path, translations: Translations
) -> None:
    extra = tmp_path / "metrics.toml"
    extra.write_text('[[metric]]\nname = "入金有效成功率"\ntarget = 99.99\n', encoding="utf-8")
    aliases = AliasTable.load(REPO / "resources" / "metrics.toml", extra)
    panel, empty = ChartPanel(aliases), ChartPanel(aliases)
    for widget in (panel, empty):
        qtbot.addWidget(widget)
        widget.resize(500, 700)
    panel.set_rows(
        [
            MetricRow(
                report=f"2024-W{week}.md",
                label=f"2024-W{week}",
                date=date,
                team=None,
                metric="入金有效成功率",
                raw_label="入金有效成功率",
                value=value,
                unit="%",
                section=None,
                section_index=None,
                line=3,
                text="",
            )
            for week, date, value in (("17", "2024-04-20", 99.997), ("24", "2024-06-14", 99.995))
        ]
    )
    empty.set_rows([])
    (line,) = panel._targets.values()
    assert line.label.textItem.toPlainText() == "target 99.99%"
    assert empty.message() == "No KPIs found in this folder"

    assert translations.apply("zh_CN")
    qtbot.waitUntil(lambda: panel._target_box.text() == "目标线")
    assert line.label.textItem.toPlainText() == "目标 99.99%"
    assert panel._reset_button.text() == "重置缩放"
    qtbot.waitUntil(lambda: empty.message() == "此文件夹中未找到 KPI")
    assert not empty._rates.getPlotItem().titleLabel.isVisible()  # the message stands in for the title
    model = panel.metric_model
    model.set_metrics([("入金有效成功率", 2), ("新指标", 1)], set())
    # A metric's English name is a name: never translated.
    assert model.index(0).data(Qt.ItemDataRole.ToolTipRole) == "Pay-in success rate"
    assert model.index(1).data(Qt.ItemDataRole.ToolTipRole) == "出现在 1 份周报中"

    translations.apply("en")
    qtbot.waitUntil(lambda: panel._target_box.text() == "Target")
    assert line.label.textItem.toPlainText() == "target 99.99%"
    assert empty.message() == "No KPIs found in this folder"
