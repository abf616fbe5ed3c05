"""The reviewer's notes survive everything, with the command line run as separate processes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import tree_snapshot

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    monkeypatch.setenv("WEEKLY_REVIEW_DATA_DIR", str(target))
    return target


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", *args], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def notes_json(folder: Path) -> list[dict[str, object]]:
    return json.loads(cli("notes", str(folder), "--json").stdout)  # type: ignore[no-any-return]


def contents(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_notes_outlive_the_cache_and_the_folder_is_never_written(seeds_copy: Path) -> None:
    before = (tree_snapshot(seeds_copy), contents(seeds_copy))
    cli("note", str(seeds_copy), "2024-W24", "--section", "【生产事件】", "--follow-up", "root cause?")
    cli("note", str(seeds_copy), "第42周", "whole report")
    cli("mark", str(seeds_copy), "2024-W34")
    first = notes_json(seeds_copy)
    shutil.rmtree(os.environ["WEEKLY_REVIEW_CACHE_DIR"])
    assert notes_json(seeds_copy) == first
    assert [n["text"] for n in first] == ["whole report", "root cause?"]
    reports = json.loads(cli("reports", str(seeds_copy), "--json").stdout)
    assert {r["path"]: r["changed_since_read"] for r in reports if r["read"]} == {"2024-W34.md": False}
    assert (tree_snapshot(seeds_copy), contents(seeds_copy)) == before


def test_a_report_moved_into_a_subfolder_under_a_new_name_keeps_its_notes(seeds_copy: Path) -> None:
    cli("note", str(seeds_copy), "2024-W24", "--section", "【贝易转】", "on a section")
    cli("note", str(seeds_copy), "2024-W24", "on the report")
    cli("mark", str(seeds_copy), "2024-W24")
    (seeds_copy / "archive").mkdir()
    (seeds_copy / "2024-W24.md").rename(seeds_copy / "archive" / "june week two.md")
    notes = notes_json(seeds_copy)
    assert [(n["report"], n["section"], n["orphaned"]) for n in notes] == [
        ("archive/june week two.md", "【贝易转】", False),
        ("archive/june week two.md", None, False),
    ]
    reports = {r["path"]: r for r in json.loads(cli("reports", str(seeds_copy), "--json").stdout)}
    assert reports["archive/june week two.md"]["changed_since_read"] is False

    # Moved again and lightly edited on the way: still the same report.
    moved = seeds_copy / "archive" / "june week two.md"
    text = moved.read_text(encoding="utf-8").replace("617上线", "6月17日上线")
    (seeds_copy / "renamed.md").write_text(text, encoding="utf-8")
    moved.unlink()
    notes = notes_json(seeds_copy)
    assert {n["report"] for n in notes} == {"renamed.md"} and not any(n["orphaned"] for n in notes)
    reports = {r["path"]: r for r in json.loads(cli("reports", str(seeds_copy), "--json").stdout)}
    assert reports["renamed.md"]["changed_since_read"] is True


def test_a_folder_moved_whole_keeps_its_notes_and_read_marks(seeds_copy: Path, tmp_path: Path) -> None:
    cli("note", str(seeds_copy), "2024-W24", "--section", "【贝易转】", "--follow-up", "ask about 617")
    cli("mark", str(seeds_copy), "2024-W34")
    before = notes_json(seeds_copy)
    moved = tmp_path / "elsewhere" / "team reports"
    moved.parent.mkdir()
    shutil.move(seeds_copy, moved)
    done = cli("notes", str(moved), "--json")
    assert json.loads(done.stdout) == before  # same ids, texts, anchors, follow-up state
    assert "now belong to" in done.stderr and str(moved.resolve()) in done.stderr
    reports = {r["path"]: r for r in json.loads(cli("reports", str(moved), "--json").stdout)}
    assert reports["2024-W34.md"]["read"] is not None
    # Said once: the notes live under the new place now.
    assert "now belong to" not in cli("notes", str(moved), "--json").stderr


def test_a_copied_folder_does_not_take_the_notes_of_the_original(seeds_copy: Path, tmp_path: Path) -> None:
    cli("note", str(seeds_copy), "2024-W24", "on the original")
    copy = tmp_path / "copy"
    shutil.copytree(seeds_copy, copy)
    assert notes_json(copy) == []
    assert [n["text"] for n in notes_json(seeds_copy)] == ["on the original"]


def test_an_edited_report_keeps_notes_on_their_sections(seeds_copy: Path) -> None:
    cli("note", str(seeds_copy), "2024-W24", "--section", "【贝易转】", "A")
    cli("note", str(seeds_copy), "2024-W24", "--section", "【生产事件】", "B")
    cli("note", str(seeds_copy), "2024-W24", "--section", "收获与反思", "C")
    path = seeds_copy / "2024-W24.md"
    text = path.read_text(encoding="utf-8")
    # A new section on top, a section retitled (its key changes), text changed inside another.
    text = text.replace("- 【贝易转】", "- 【新增事项】\n    新的一周新的开始。\n- 【贝易转（C转）】", 1)
    text = text.replace("收获与反思", "收获与反思（本周）", 1)
    text = text.replace("617上线", "6月17日上线")
    path.write_text(text, encoding="utf-8")
    notes = notes_json(seeds_copy)
    assert [(n["text"], n["section"], n["orphaned"]) for n in notes] == [
        ("A", "【贝易转（C转）】", False),
        ("B", "【生产事件】", False),
        ("C", "收获与反思（本周）", False),
    ]
    # A section deleted outright: its note is kept, orphaned, with its quote.
    start, end = text.index("## 【生产事件】"), text.index("## 【其他】")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    notes = notes_json(seeds_copy)
    assert [(n["text"], n["orphaned"]) for n in notes] == [("A", False), ("B", True), ("C", False)]
    assert notes[1]["quote"].startswith("## 【生产事件】")


def test_four_processes_adding_fifty_notes_each_at_once(seeds_copy: Path) -> None:
    cli("index", str(seeds_copy))
    code = (
        "import sys, io\n"
        "from desktop.cli import main\n"
        "for i in range(50):\n"
        "    assert main(['note', sys.argv[1], '2024-W24', f'{sys.argv[2]}-{i}'], out=io.StringIO()) == 0\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(seeds_copy), f"p{n}"], cwd=REPO, stderr=subprocess.PIPE
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    texts = sorted(n["text"] for n in notes_json(seeds_copy))
    assert texts == sorted(f"p{n}-{i}" for n in range(4) for i in range(50))


def test_kill_nine_in_the_middle_of_writes_loses_nothing_that_returned(
    seeds_copy: Path, _data_dir: Path
) -> None:
    cli("index", str(seeds_copy))
    code = (
        "import sys, io\n"
        "from desktop.cli import main\n"
        "for i in range(100000):\n"
        "    out = io.StringIO()\n"
        "    assert main(['note', sys.argv[1], '2024-W24', '--section', '【其他】', f'n{i}'], out=out) == 0\n"
        "    print(out.getvalue().strip(), flush=True)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, str(seeds_copy)], cwd=REPO, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        returned = []
        deadline = time.monotonic() + 120
        while len(returned) < 40 and time.monotonic() < deadline:
            returned.append(proc.stdout.readline().strip())
        proc.send_signal(signal.SIGKILL)  # while it is writing the next notes
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert len(returned) == 40
    conn = sqlite3.connect(_data_dir / "review.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    kept = {n["id"] for n in notes_json(seeds_copy)}
    assert set(returned) <= kept


def test_an_export_imported_into_an_empty_data_dir_gives_the_same_notes(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(seeds_copy)
    first = cli(
        "note", str(seeds_copy), "2024-W24", "--section", "【生产事件】", "--follow-up", "why?", "--json"
    )
    cli("note", str(seeds_copy), "2024-W17", "plain")
    cli("close", str(seeds_copy), json.loads(first.stdout)["id"])
    cli("mark", str(seeds_copy), "2024-W24")
    exported = tmp_path / "review.json"
    cli("review-export", str(seeds_copy), "--out", str(exported))
    original = notes_json(seeds_copy)

    monkeypatch.setenv("WEEKLY_REVIEW_DATA_DIR", str(tmp_path / "empty"))
    assert notes_json(seeds_copy) == []
    assert "2 notes added" in cli("review-import", str(seeds_copy), str(exported)).stdout
    assert notes_json(seeds_copy) == original
    assert (
        "0 notes added, 0 updated, 0 read marks"
        in cli("review-import", str(seeds_copy), str(exported)).stdout
    )
    assert notes_json(seeds_copy) == original
    reports = {r["path"]: r for r in json.loads(cli("reports", str(seeds_copy), "--json").stdout)}
    assert reports["2024-W24.md"]["read"] is not None
    assert contents(seeds_copy) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["close", "{folder}", "feedbeefcafe"], "'feedbeefcafe' is not a note"),
        (["note", "{folder}", "2024-W24", "   "], "the note's text is empty"),
        (["note", "{folder}", "2024-W24", "--section", "没有这一节", "x"], "its sections: 【贝易转】;"),
        (["note", "{folder}", "2099-W01", "x"], "matches no report"),
        (["review-import", "{folder}", "{bad}"], "corrupt import file"),
        (["close", "{folder}", "{plain}"], "is not a follow-up"),
    ],
)
def test_bad_input_is_one_line_and_status_2_and_writes_nothing(
    seeds_copy: Path, tmp_path: Path, _data_dir: Path, args: list[str], message: str
) -> None:
    plain = cli("note", str(seeds_copy), "2024-W24", "plain").stdout.strip()
    bad = tmp_path / "bad.json"
    bad.write_text('{"app": "weekly-review", "version": 1, "notes": [{"id": 3}]}', encoding="utf-8")
    before = notes_json(seeds_copy)
    done = cli(*(a.format(folder=seeds_copy, bad=bad, plain=plain) for a in args), check=False)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr, done.stderr
    assert notes_json(seeds_copy) == before
