"""Every CSV the app writes defuses cells a spreadsheet would run as formulas; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.cli import main
from desktop.core.csv_export import safe_cell, write_csv


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("-3.5", "-3.5"),
        ("+7", "+7"),
        ("1e-5", "1e-5"),
        ("入金有效成功率", "入金有效成功率"),
        (-3.5, -3.5),
        (12, 12),
        (None, ""),
    ],
)
def test_safe_cell(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_written_cells_read_back_as_text_or_numbers() -> None:
    out = io.StringIO()
    write_csv(out, ["a", "b"], [["=1+1", -1.25], ["-", "x"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["a", "b"], ["'=1+1", "-1.25"], ["'-", "x"]]


def test_metrics_csv_defuses_a_formula_section(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "2024-W24.md").write_text(
        '# 2024-W24\n\n## =HYPERLINK("http://evil.example","点我")\n\n- 入金有效成功率：99.95%\n',
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(["metrics", str(folder), "--format", "csv"], out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows and rows[0]["section"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert rows[0]["value"] == "99.95" and rows[0]["metric"] == "入金有效成功率"


def test_the_window_chart_csv_defuses_a_formula_section(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop.core.aliases import default_alias_table
    from desktop.store.queries import MetricRow
    from desktop.ui.widgets.chart import ChartPanel

    panel = ChartPanel(default_alias_table())
    qtbot.addWidget(panel)
    section = '=HYPERLINK("http://evil.example","点我")'
    rows = [
        MetricRow("2024-W24.md", "2024-W24", "2024-06-14", None, "入金有效成功率", "入金有效成功率",
                  99.95, "%", section, 0, 5, "- 入金有效成功率：99.95%"),
        MetricRow("2024-W25.md", "-W25", "2024-06-21", "@team", "入金有效成功率", "入金有效成功率",
                  -0.5, "%", None, None, 5, "- 入金有效成功率：-0.5%"),
    ]  # fmt: skip
    panel.set_rows(rows)
    out = tmp_path / "chart.csv"
    panel.export_csv(out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [(r["label"], r["team"], r["value"], r["section"]) for r in table] == [
        ("2024-W24", "", "99.95", "'" + section),
        ("'-W25", "'@team", "-0.5", ""),
    ]
