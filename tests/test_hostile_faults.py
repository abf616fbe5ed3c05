"""Faults in the cache and the environment: one line and status 2, or a rebuild, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hostile_helpers import generate, run_cli, small_tmpfs

from desktop.cli import main
from desktop.core.paths import cache_path_for
from desktop.store.cache import CLEAN_KEY


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(args, out=out), out.getvalue()


def one_line(err: str) -> str:
    assert err.startswith("weekly-review: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_a_read_only_cache_while_a_report_changed(seeds_copy: Path) -> None:
    assert run(["index", str(seeds_copy)])[0] == 0
    cache = cache_path_for(seeds_copy)
    cache.chmod(0o444)
    try:
        unchanged = run_cli(["reports", str(seeds_copy), "--json"], unprivileged=True)
        assert unchanged.returncode == 0 and len(json.loads(unchanged.stdout)) == 5  # shown as it is
        with (seeds_copy / "2024-W24.md").open("a", encoding="utf-8") as handle:
            handle.write("\n- 新的一行\n")
        changed = run_cli(["index", str(seeds_copy)], unprivileged=True)
    finally:
        cache.chmod(0o644)
    assert changed.returncode == 2 and changed.stdout == ""
    assert "read-only" in one_line(changed.stderr)
    assert json.loads(run(["index", str(seeds_copy), "--json"])[1])["parsed"] == 1  # writable again


def test_a_full_disk(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    generate(folder, 80)
    with small_tmpfs(tmp_path / "disk", "512k") as disk:
        env = {"WEEKLY_REVIEW_CACHE_DIR": str(disk)}
        full = run_cli(["index", str(folder)], env=env)
        assert full.returncode == 2 and full.stdout == ""
        assert "is full" in one_line(full.stderr)
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        again = run_cli(["index", str(folder), "--json"], env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["reports"] == 80


def test_an_unreadable_config_folder(seeds_copy: Path, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "metrics.toml").write_text(
        '[[metric]]\nname = "入金有效成功率"\naliases = ["我的入金"]\n', encoding="utf-8"
    )
    config.chmod(0)
    try:
        result = run_cli(
            ["metrics", str(seeds_copy), "--format", "json"],
            unprivileged=True,
            env={"WEEKLY_REVIEW_CONFIG_DIR": str(config)},
        )
    finally:
        config.chmod(0o755)
    assert result.returncode == 2
    err = one_line(result.stderr)
    assert str(config) in err and "Permission denied" in err and "without user aliases" in err
    assert {r["metric"] for r in json.loads(result.stdout)} >= {"入金有效成功率"}  # it went on


def _garble_table(cache: Path, table: str) -> None:
    """Write garbage over the first page of a table, as a failing disk or a stray write would."""
    with contextlib.closing(sqlite3.connect(cache)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    with cache.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def _meta(cache: Path, key: str) -> str | None:
    with contextlib.closing(sqlite3.connect(cache)) as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def test_garbage_in_a_cleanly_closed_cache_is_rebuilt_by_the_query_that_meets_it(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, expected = run(["metrics", str(seeds_copy), "--format", "json"])
    cache = cache_path_for(seeds_copy)
    assert code == 0 and _meta(cache, CLEAN_KEY) == "1"
    capsys.readouterr()
    _garble_table(cache, "metric_rows")  # the table behind the metrics view
    code, out = run(["metrics", str(seeds_copy), "--format", "json"])
    assert code == 0 and json.loads(out) == json.loads(expected)
    err = capsys.readouterr().err
    assert "damaged" in err and "rebuilt" in err and "Traceback" not in err
    assert run(["metrics", str(seeds_copy), "--format", "json"])[1] == expected


def test_a_cache_not_closed_cleanly_is_checked_on_opening(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["index", str(seeds_copy)])[0] == 0
    cache = cache_path_for(seeds_copy)
    with contextlib.closing(sqlite3.connect(cache)) as db, db:
        db.execute("UPDATE meta SET value = '0' WHERE key = ?", [CLEAN_KEY])
    _garble_table(cache, "plan_rows")  # a table plain indexing never reads
    code, out = run(["index", str(seeds_copy), "--json"])
    summary = json.loads(out)
    assert code == 0 and summary["parsed"] == 5 and summary["reports"] == 5
    assert any("discarded and rebuilt" in m for m in summary["messages"])
    assert _meta(cache, CLEAN_KEY) == "1"


def test_a_cache_on_read_only_media(seeds_copy: Path, tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "media", "16m") as media:
        env = {"WEEKLY_REVIEW_CACHE_DIR": str(media)}
        assert run_cli(["index", str(seeds_copy)], env=env).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        shown = run_cli(["reports", str(seeds_copy), "--json"], env=env)
        assert shown.returncode == 0 and len(json.loads(shown.stdout)) == 5
        (seeds_copy / "2024-W24.md").unlink()
        changed = run_cli(["reports", str(seeds_copy)], env=env)
    assert changed.returncode == 2 and "read-only" in one_line(changed.stderr)
