"""Answers kept in the cache (desktop.store.derived): served while the folder is as it was, never after."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from desktop.store import derived, topics
from desktop.store.cache import open_reader
from desktop.store.indexer import open_and_index


def _weeks(folder: Path, m6v: dict[str, int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for week, value in m6v.items():
        (folder / f"2024-W{week}.md").write_text(
            f"# 2024-W{week}\n\n## 【基础设施】\n- 银企M6V机房迁移，整体进度{value}%\n", encoding="utf-8"
        )
    return folder


def _listing(folder: Path) -> list[dict[str, object]]:
    cache, _ = open_and_index(folder)
    try:
        data: list[dict[str, object]] = json.loads(topics.progress_json(cache.db))
        return data
    finally:
        cache.close()


def _latest(folder: Path) -> object:
    (item,) = _listing(folder)
    return item["latest"]


def test_the_kept_listing_is_the_series_as_json_and_is_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _weeks(tmp_path / "r", {"10": 40, "11": 55, "12": 70})
    cache, _ = open_and_index(folder)
    try:
        worked_out = [s.as_json() for s in topics.progress_series(cache.db)]
        assert json.loads(topics.progress_json(cache.db)) == worked_out
        # The second listing is read back: working it out again would fail here.
        monkeypatch.setattr(topics, "progress_series", lambda *_a, **_k: pytest.fail("worked out again"))
        assert json.loads(topics.progress_json(cache.db)) == worked_out
    finally:
        cache.close()


def test_an_edited_added_or_removed_report_is_never_answered_from_the_old_listing(tmp_path: Path) -> None:
    folder = _weeks(tmp_path / "r", {"10": 40, "11": 55})
    assert _latest(folder) == 55
    week11 = folder / "2024-W11.md"
    # Edited in place, to the same size.
    stat = week11.stat()
    week11.write_text(week11.read_text(encoding="utf-8").replace("55%", "66%"), encoding="utf-8")
    os.utime(week11, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert _latest(folder) == 66
    _weeks(folder, {"12": 80})
    assert _latest(folder) == 80
    (folder / "2024-W12.md").unlink()
    assert _latest(folder) == 66


def test_another_parser_is_another_state_of_the_folder(tmp_path: Path) -> None:
    folder = _weeks(tmp_path / "r", {"10": 40})
    cache, _ = open_and_index(folder)
    try:
        before = derived.folder_stamp(cache.db)
        cache.db.execute("UPDATE meta SET value = value || 'x' WHERE key = 'parser'")
        assert derived.folder_stamp(cache.db) != before
    finally:
        cache.close()


def test_an_answer_kept_in_another_form_is_worked_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _weeks(tmp_path / "r", {"10": 40, "11": 55})
    assert _latest(folder) == 55
    cache, _ = open_and_index(folder)
    try:
        cache.db.execute("UPDATE derived SET data = x'00ff00'")  # as an earlier version kept it
        monkeypatch.setattr(derived, "FORMAT", derived.FORMAT + 1)  # this version's form
        assert json.loads(topics.progress_json(cache.db))[0]["latest"] == 55
    finally:
        cache.close()


def test_a_read_only_reader_answers_without_keeping(tmp_path: Path) -> None:
    folder = _weeks(tmp_path / "r", {"10": 40, "11": 55})
    cache, _ = open_and_index(folder)
    path = cache.path
    cache.close()
    reader = open_reader(path)
    assert reader is not None
    try:
        assert json.loads(topics.progress_json(reader))[0]["latest"] == 55
        assert derived.load(reader, "progress --json", derived.folder_stamp(reader)) is None
    finally:
        reader.close()


def test_a_cache_another_process_is_writing_keeps_nothing_and_does_not_wait(tmp_path: Path) -> None:
    folder = _weeks(tmp_path / "r", {"10": 40})
    cache, _ = open_and_index(folder)
    other = sqlite3.connect(cache.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # the window indexing: the write lock is taken
        # With the cache's 30 s busy timeout this would wait for the lock; it gives up at once.
        derived.keep(cache.db, "x", "stamp", b"answer")
        other.execute("ROLLBACK")
        assert derived.load(cache.db, "x", "stamp") is None
        derived.keep(cache.db, "x", "stamp", b"answer")
        assert derived.load(cache.db, "x", "stamp") == b"answer"
        assert derived.load(cache.db, "x", "another stamp") is None
        # The connection waits for locks as before for everything else.
        assert cache.db.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    finally:
        other.close()
        cache.close()


def test_a_kept_answer_is_compressed_and_a_damaged_one_is_worked_out_again(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# 2024-W01\n\n## 进展\n\n- 项目A 完成度 30%\n", encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    answer = b'{"x": "' + "进度".encode() * 5000 + b'"}'
    derived.keep(cache.db, "x", "stamp", answer)
    (stored,) = cache.db.execute("SELECT length(data) FROM derived WHERE name = 'x'").fetchone()
    assert stored < len(answer) / 10
    assert derived.load(cache.db, "x", "stamp") == answer
    cache.db.execute("UPDATE derived SET data = x'00ff00' WHERE name = 'x'")
    assert derived.load(cache.db, "x", "stamp") is None
    cache.close()
