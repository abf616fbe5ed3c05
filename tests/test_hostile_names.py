"""Names, paths and arguments a hostile or careless world hands the command line."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hostile_helpers import run_cli

from desktop.cli import main
from desktop.core.paths import key_to_fs, path_key, readable
from desktop.core.scanner import team_of

GBK_NAME = "团队周报 2024-06-21.md"


def gbk(name: str) -> str:
    """The name as Linux hands it to Python when the bytes are GBK (unpacked from a Windows zip)."""
    return os.fsdecode(name.encode("gbk"))


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(args, out=out), out.getvalue()


def test_path_keys_round_trip_and_read_as_gb18030() -> None:
    raw = gbk(GBK_NAME)
    key = path_key(raw)
    key.encode("utf-8")  # valid text: SQLite, JSON and Qt take it
    assert key_to_fs(key) == raw
    assert readable(key) == readable(raw) == GBK_NAME
    assert path_key("普通 2024-W24.md") == "普通 2024-W24.md"
    assert readable(os.fsdecode(b"bad \xff\xfe.md")) == "bad \\xff\\xfe.md"  # not GB18030: escaped
    assert team_of(path_key(gbk("支付组")) + "/2024-W24.md", {}) == "支付组"  # a chart series name


def test_a_gbk_file_name_is_indexed_listed_and_found(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeds_copy / gbk(GBK_NAME)).write_text("# 周报\n\n- 【稀有项目】甲乙丙推进\n", encoding="utf-8")
    code, out = run(["index", str(seeds_copy), "--json"])
    assert code == 0 and json.loads(out)["reports"] == 6
    rows = json.loads(run(["reports", str(seeds_copy), "--json"])[1])
    mine = next(r for r in rows if r["path"] == GBK_NAME)
    assert mine["iso_week"] == "2024-W25"  # the date in the name was read
    code, out = run(["reports", str(seeds_copy)])
    assert code == 0 and f"({GBK_NAME})" in out
    hits = json.loads(run(["search", str(seeds_copy), "稀有项目", "--json"])[1])
    assert [h["report"] for h in hits] == [GBK_NAME]
    # The file is read again through its key when it changes: the round trip reaches the real bytes.
    (seeds_copy / gbk(GBK_NAME)).write_text("# 周报\n\n- 【另一项目】改过了\n", encoding="utf-8")
    assert json.loads(run(["index", str(seeds_copy), "--json"])[1])["parsed"] == 1
    assert [h["report"] for h in json.loads(run(["search", str(seeds_copy), "另一项目", "--json"])[1])] == [
        GBK_NAME
    ]
    compare = json.loads(run(["compare", str(seeds_copy), GBK_NAME, "2024-W24", "--json"])[1])
    assert compare["left"]["path"] == GBK_NAME
    assert "Traceback" not in capsys.readouterr().err


def test_a_gbk_folder_argument_and_query(seeds_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = seeds_copy.parent / gbk("团队周报")
    seeds_copy.rename(folder)
    code, out = run(["search", str(folder), gbk("贝易转"), "--json"])
    assert code == 0
    hits = json.loads(out)
    assert hits and all("贝易转" in h["snippet"] for h in hits)
    code, _ = run(["reports", str(folder.parent / gbk("没有这个"))])
    assert code == 2 and "没有这个" in capsys.readouterr().err


def test_links_are_followed_only_inside_the_folder(tmp_path: Path) -> None:
    folder, outside = tmp_path / "reports", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "secret.md").write_text("# 2024-W01\n\n机密口令 zebra-42\n", encoding="utf-8")
    (outside / "team").mkdir()
    (folder / "2024-W24.md").write_text("# 2024-W24\n\n- 本周 inside-word\n", encoding="utf-8")
    (folder / "passwd.md").symlink_to(outside / "secret.md")
    (folder / "same.md").symlink_to(folder / "2024-W24.md")
    (folder / "gone.md").symlink_to(tmp_path / "nothing.md")
    (folder / "team").symlink_to(outside / "team")
    code, out = run(["index", str(folder), "--json"])
    assert code == 0
    summary = json.loads(out)
    reasons = {s["path"]: s["reason"] for s in summary["skipped"]}
    assert set(reasons) == {"passwd.md", "gone.md", "team"}
    assert "outside the folder" in reasons["passwd.md"] and "broken link" in reasons["gone.md"]
    assert "outside the folder" in reasons["team"]
    assert summary["reports"] == 2  # 2024-W24.md and the link to it
    assert json.loads(run(["search", str(folder), "zebra-42", "--json"])[1]) == []
    assert len(json.loads(run(["search", str(folder), "inside-word", "--json"])[1])) == 2


def test_an_unreadable_subfolder_is_listed_under_problems(seeds_copy: Path) -> None:
    locked = seeds_copy / "locked"
    locked.mkdir()
    (locked / "2024-W30.md").write_text("# 2024-W30\n", encoding="utf-8")
    locked.chmod(0)
    try:
        result = run_cli(["index", str(seeds_copy), "--json"], unprivileged=True)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 0, result.stderr
    skipped = json.loads(result.stdout)["skipped"]
    assert [(s["path"], s["reason"]) for s in skipped] == [("locked/", skipped[0]["reason"])]
    assert "cannot be read" in skipped[0]["reason"] and "Permission denied" in skipped[0]["reason"]
    # Readable again: the problem goes and the report inside is indexed.
    again = json.loads(run(["index", str(seeds_copy), "--json"])[1])
    assert again["skipped"] == [] and again["reports"] == 6


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["index", ""], "folder argument is empty"),
        (["reports", "   "], "folder argument is empty"),
        (["metrics", "{seeds}", "--metric", ""], "--metric"),
        (["metrics", "{seeds}", "--metric", "  "], "--metric"),
    ],
)
def test_empty_arguments_are_rejected(
    args: list[str], words: str, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run([a.replace("{seeds}", str(seeds_copy)) for a in args])
    err = capsys.readouterr().err
    assert code == 2 and out == ""
    assert words in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "command",
    [
        ["reports"],
        ["reports", "--json"],
        ["search", "贝易转"],
        ["timeline", "贝易转", "--json"],
        ["progress", "--json"],
        ["notes", "--json"],
    ],
)
def test_an_ascii_only_stream_never_raises(command: list[str], seeds_copy: Path) -> None:
    args = [command[0], str(seeds_copy), *command[1:]]
    if command[0] == "notes":  # a note in Chinese to list
        assert run_cli(["note", str(seeds_copy), "2024-W24.md", "复盘：下周跟进"]).returncode == 0
    plain = run_cli(args)
    ascii_only = run_cli(args, env={"PYTHONIOENCODING": "ascii"})
    assert ascii_only.returncode == 0 and ascii_only.stderr == ""
    assert ascii_only.stdout.isascii() and ascii_only.stdout.count("\n") == plain.stdout.count("\n")
    if "--json" in command:
        assert json.loads(ascii_only.stdout) == json.loads(plain.stdout)  # escaped, not lost
    else:
        assert "?" in ascii_only.stdout
