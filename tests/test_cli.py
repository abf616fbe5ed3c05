"""The command line: JSON and CSV shapes, errors as one line with status 2, and no Qt."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(args, out=out)
    return code, out.getvalue()


def test_index_json(seeds_copy: Path) -> None:
    code, out = run(["index", str(seeds_copy), "--json"])
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("reports", "parsed", "unchanged", "removed")} == {
        "reports": 5,
        "parsed": 5,
        "unchanged": 0,
        "removed": 0,
    }
    assert set(data) >= {"sections", "metrics", "incidents", "skipped", "warnings", "seconds"}
    assert data["warnings"] == [{"path": "2024-W17.md", "message": data["warnings"][0]["message"]}]
    again = json.loads(run(["index", str(seeds_copy), "--json"])[1])
    assert (again["parsed"], again["unchanged"]) == (0, 5)


def test_reports_json(seeds_copy: Path) -> None:
    sub = seeds_copy / "team a"
    sub.mkdir()
    (sub / "2024-W30.md").write_text("# 2024年第30周\n\n入金有效成功率：99.9%\n", encoding="utf-8")
    code, out = run(["reports", str(seeds_copy), "--json"])
    assert code == 0
    rows = json.loads(out)
    assert [r["path"] for r in rows] == [
        "第16周 2023-04-14.md",
        "第42周 2023-10-13.md",
        "2024-W17.md",
        "2024-W24.md",
        "team a/2024-W30.md",
        "2024-W34.md",
    ]
    w24 = rows[3]
    assert w24 == {
        "path": "2024-W24.md",
        "title": "2024-W24",
        "label": "2024-W24",
        "date": "2024-06-14",
        "iso_week": "2024-W24",
        "date_source": "property",
        "sections": 13,
        "metrics": w24["metrics"],
        "warnings": [],
        "parent": None,
        "read": None,
        "changed_since_read": None,
        "sequence": None,
        "kind": "report",
    }
    assert rows[4]["label"] == "2024年第30周" and rows[4]["iso_week"] == "2024-W30"


def test_metrics_json_and_csv(seeds_copy: Path) -> None:
    code, out = run(["metrics", str(seeds_copy), "--metric", "入金有效成功率", "--format", "json"])
    assert code == 0
    rows = json.loads(out)
    assert [(r["label"], r["value"]) for r in rows] == [
        ("第16周", 99.99),
        ("第42周", 99.997),
        ("2024-W17", 99.997),
        ("2024-W24", 99.995),
        ("2024-W34", 99.998),
    ]
    assert set(rows[0]) == {
        "report",
        "label",
        "date",
        "metric",
        "raw_label",
        "value",
        "unit",
        "section",
        "line",
        "text",
        "kind",
        "target",
        "derived",
        "sequence",
    }
    assert rows[0]["kind"] == "kpi" and rows[0]["derived"] is False
    assert rows[0]["section"] == "【系统运行数据】" and rows[0]["unit"] == "%"
    code, out = run(["metrics", str(seeds_copy), "--metric", "年度可用性", "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["raw_label"], r["value"]) for r in table][:2] == [
        ("支付系统年度可用性", "100.0"),
        ("支付系统年度可用性", "99.998"),
    ]


def test_search_json(seeds_copy: Path) -> None:
    code, out = run(["search", str(seeds_copy), "风控", "--json"])
    assert code == 0
    hits = json.loads(out)
    assert hits and set(hits[0]) == {"report", "label", "date", "section", "line", "snippet"}
    assert all("[风控]" in h["snippet"] for h in hits)


@pytest.mark.parametrize(
    "args",
    [
        ["index", "/no/such/folder"],
        ["reports"],
        ["metrics", "{seeds}", "--format", "xml"],
        ["search", "{seeds}", "   "],
        ["metrics", "{seeds}", "--metric", "没有的指标"],
        ["frobnicate", "{seeds}"],
    ],
)
def test_errors_are_one_line_with_status_2(
    args: list[str], seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run([a.replace("{seeds}", str(seeds_copy)) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("weekly-review: ") and err.count("\n") == 1


def test_a_file_instead_of_a_folder(seeds_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["index", str(seeds_copy / "2024-W24.md")])[0] == 2
    assert "not a folder" in capsys.readouterr().err


def test_the_command_line_never_imports_qt(seeds_copy: Path) -> None:
    code = (
        "import sys; from desktop.launcher import main; rc = main(['reports', sys.argv[1], '--json']);"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken6'))];"
        "print(bad, file=sys.stderr); raise SystemExit(rc or bool(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(seeds_copy)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert len(json.loads(done.stdout)) == 5


def test_core_and_store_import_no_qt() -> None:
    """The architecture contract (desktop.core and desktop.store never import PySide6), as a tool says."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint)], capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parent.parent
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "KEPT" in done.stdout and "BROKEN" not in done.stdout


def test_compare_json(seeds_copy: Path) -> None:
    code, out = run(["compare", str(seeds_copy), "2024-W24", "2024-W34", "--json"])
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"left", "right", "pairs", "metrics", "plan"}
    assert (data["left"]["path"], data["right"]["path"]) == ("2024-W24.md", "2024-W34.md")
    assert set(data["left"]) >= {"path", "title", "label", "date", "iso_week", "date_source", "parent"}
    payout = next(m for m in data["metrics"] if m["metric"] == "出金有效成功率")
    assert payout == {
        "metric": "出金有效成功率",
        "left": 99.992,
        "right": 99.989,
        "delta": -0.003,
        "direction": "worse",
    }
    statuses = {p["status"] for p in data["pairs"]}
    assert statuses <= {"unchanged", "changed", "added", "removed"} and "changed" in statuses
    assert {"left": "【银行账户架构】", "right": None, "status": "removed"}.items() <= next(
        p for p in data["pairs"] if p["left"] == "【银行账户架构】"
    ).items()
    assert {p["item"] for p in data["plan"]} == {
        "支付安全方案设计与内部评审",
        "完美团队管理培训",
        "贝易转投产以及整装方案跟进",
        "54321计划项目进度跟进",
    }
    assert all(p["status"] in ("done", "in_progress", "not_found") for p in data["plan"])


def test_compare_by_path_date_and_chinese_week(seeds_copy: Path) -> None:
    code, out = run(["compare", str(seeds_copy), "第42周", "2024-06-14", "--json"])
    assert code == 0
    data = json.loads(out)
    assert (data["left"]["path"], data["right"]["path"]) == ("第42周 2023-10-13.md", "2024-W24.md")
    code, text = run(["compare", str(seeds_copy), "2024-W17.md", "2024-W24.md"])
    assert code == 0
    payout = next(line for line in text.splitlines() if "出金有效成功率" in line)
    assert "99.984 → 99.992" in payout and "+0.008 pp" in payout and payout.rstrip().endswith("better")


def test_compare_names_the_candidates_when_ambiguous_or_unknown(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["compare", str(seeds_copy), "2024", "2024-W34"])[0] == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ambiguous" in err
    assert "2024-W17.md" in err and "2024-W24.md" in err
    assert run(["compare", str(seeds_copy), "2030-W01", "2024-W34"])[0] == 2
    err = capsys.readouterr().err
    assert "matches no report" in err and "第16周" in err


def test_the_window_without_a_display_says_so_in_one_line(seeds_copy: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-m", "desktop", str(seeds_copy)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("weekly-review: no display") and done.stderr.count("\n") == 1


def test_the_launcher_knows_every_command() -> None:
    """`weekly-review NAME` runs the command line only for names the launcher lists; none may be missed."""
    from desktop.cli import build_parser
    from desktop.commands import COMMANDS

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) <= COMMANDS
