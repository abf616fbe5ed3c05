"""The one export service: where files go by default, what they are called, how a failure is said."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.exports import ExportService, safe_file_name, write_csv
from desktop.ui.settings import Settings


@pytest.fixture
def service(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ExportService:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: str(documents))
    parent = QWidget()
    qtbot.addWidget(parent)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    exports = ExportService(settings, parent)
    exports.report_folder = tmp_path / "reports"
    exports.report_folder.mkdir()
    return exports


class Dialog:
    """Answers the save dialog with a fixed choice and remembers what it was offered."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.offered: list[str] = []

    def __call__(self, _parent: object, _title: str, start: str, _filters: str) -> tuple[str, str]:
        self.offered.append(start)
        return (str(self.answer) if self.answer else "", "")


def test_the_default_folder_is_documents_then_the_last_export_never_the_reports(
    service: ExportService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = Dialog(tmp_path / "out" / "chart")
    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    written = service.export_text("md", "2024-W24 vs 2024/W34", "# digest\n")
    assert written == tmp_path / "out" / "chart.md"  # the suffix is added when the user left it out
    assert written.read_text(encoding="utf-8") == "# digest\n"
    assert dialog.offered == [str(tmp_path / "Documents" / "2024-W24 vs 2024-W34.md")]
    service.export_text("md", "next", "x")
    assert dialog.offered[-1] == str(tmp_path / "out" / "next.md")  # the last folder exported to
    assert service.report_folder is not None
    dialog.answer = service.report_folder / "sub" / "inside.md"
    (service.report_folder / "sub").mkdir()
    service.export_text("md", "inside", "x")  # the user may choose it; it never becomes the default
    service.export_text("md", "again", "x")
    assert dialog.offered[-1] == str(tmp_path / "Documents" / "again.md")


def test_a_failed_write_names_the_file_and_the_reason(
    service: ExportService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    target = tmp_path / "missing" / "chart.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Dialog(target))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))

    def writer(path: Path) -> None:
        path.write_bytes(b"png")  # the folder does not exist

    with qtbot.waitSignal(service.export_failed) as blocker:
        assert service.export_with("png", "chart", writer) is None
    assert blocker.args[0] == str(target)
    assert len(said) == 1 and str(target) in said[0] and "No such file" in said[0]


def test_a_cancelled_dialog_writes_nothing(service: ExportService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Dialog(None))
    calls: list[Path] = []
    assert service.export_with("csv", "metrics", calls.append) is None
    assert calls == []


def test_csv_is_utf8_with_a_bom_and_names_are_safe(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    write_csv(out, ["metric", "value"], [["入金有效成功率", "99.9"]])
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert out.read_text(encoding="utf-8-sig").splitlines() == ["metric,value", "入金有效成功率,99.9"]
    assert safe_file_name('a/b:c*?"<>|') == "a-b-c------"
    assert safe_file_name(" .. ") == "weekly-review"
