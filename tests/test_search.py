"""Search as users type it (any characters at all), and the report text the cache keeps only once."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.store import queries
from desktop.store.indexer import open_and_index
from desktop.store.schema import DEFERRED_INDEXES
from desktop.store.search import HIT_END, HIT_START, search


def _reports(hits: list[object]) -> set[str]:
    return {h.report for h in hits}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "same"),
    [
        ("贝易转\x00", True),  # NUL once ended the FTS5 string early: "unterminated string"
        ("\x00贝易转\x00\x00", True),
        ("贝易转\ud800", True),  # a lone surrogate cannot even be encoded for SQLite
        ("贝易转\r\n\t", True),
        ("贝易转 \x7f\x1f", True),
        ("贝易转\x1b[0m", False),  # `[0m` stays a term of its own, which no report holds
    ],
)
def test_control_characters_separate_terms_and_never_raise(seeds_copy: Path, query: str, same: bool) -> None:
    cache, _ = open_and_index(seeds_copy)
    plain = search(cache.db, "贝易转")
    assert plain
    hits = search(cache.db, query)
    assert [(h.report, h.line) for h in hits] == ([(h.report, h.line) for h in plain] if same else [])
    cache.close()


@pytest.mark.parametrize(
    "query", ["\x00", "\x00\x00 \x01", "\ud800", '""', "NEAR(贝易转", "贝易转*", "^贝易转"]
)
def test_queries_of_syntax_or_nothing_never_raise(seeds_copy: Path, query: str) -> None:
    cache, _ = open_and_index(seeds_copy)
    hits = search(cache.db, query)
    # FTS5 operators are plain characters here: a report would have to contain them.
    assert all(
        query.strip("\x00\x01 \ud800") in h.snippet.replace(HIT_START, "").replace(HIT_END, "") for h in hits
    )
    cache.close()


def test_every_hit_holds_the_whole_term(tmp_path: Path) -> None:
    # The index keeps no positions: this report has every trigram of the term, never the term.
    (tmp_path / "a.md").write_text(
        "# 2024-W01\n\n## 进展\n\n入金有 系统 效成功 备注 成功率\n", encoding="utf-8"
    )
    (tmp_path / "b.md").write_text("# 2024-W02\n\n## 进展\n\n入金有效成功率：99.9%\n", encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    assert _reports(search(cache.db, "入金有效成功率")) == {"b.md"}
    assert _reports(search(cache.db, "效成功")) == {"a.md", "b.md"}
    cache.close()


def test_letters_match_in_any_case(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "# 2024-W01\n\n## Errors\n\nThe error rate fell; die Größe blieb.\n", encoding="utf-8"
    )
    cache, _ = open_and_index(tmp_path)
    assert _reports(search(cache.db, "ERROR RATE")) == {"a.md"}
    assert _reports(search(cache.db, "Er")) == {"a.md"}
    assert _reports(search(cache.db, "größe")) == {"a.md"}
    assert search(cache.db, "error ratio") == []
    cache.close()


@pytest.mark.parametrize(
    "text",
    [
        "\n\n\n只在开头的一句话\n\n## 后面\n\n别的\n",
        "# 2024-W24\n\n## 一\n\n- 甲  \n\n\n\n## 二\n### 二之一\n内容",  # no newline at the end
        "前言\n\n# 2024-W25\n\n- 【贝易转】进展\n  - 细节\n\n- 【风控】正常\n\n\n",
        "没有标题的一段文字\n第二行\n",
    ],
)
def test_the_report_text_comes_back_exactly(tmp_path: Path, text: str) -> None:
    (tmp_path / "r.md").write_text(text, encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    assert queries.report_text(cache.db, "r.md") == text
    report = queries.load_report(cache.db, "r.md")
    assert report is not None and report.text == text
    cache.close()


def test_the_seeds_come_back_exactly(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    for path in sorted(seeds_copy.glob("*.md")):
        assert queries.report_text(cache.db, path.name) == path.read_text(encoding="utf-8")
    cache.close()


def test_short_terms_are_found_anywhere_through_the_index(tmp_path: Path) -> None:
    # At the very end of a section and of the file (no newline), in a heading alone, mid-line.
    (tmp_path / "end.md").write_text("# 2024-W01\n\n## 进展\n\n今天讨论风控", encoding="utf-8")
    (tmp_path / "heading.md").write_text("# 2024-W02\n\n## 风控\n\n## 其他\n\n无\n", encoding="utf-8")
    (tmp_path / "middle.md").write_text("# 2024-W03\n\n## 进展\n\n风控系统正常\n", encoding="utf-8")
    (tmp_path / "none.md").write_text("# 2024-W04\n\n## 进展\n\n风险控制\n", encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    assert not cache.search_stale()
    hits = search(cache.db, "风控")
    assert [h.report for h in hits] == ["middle.md", "heading.md", "end.md"]  # newest first
    assert [h.line for h in hits] == [5, 3, 5]
    assert search(cache.db, "控制") and search(cache.db, "无") and search(cache.db, "控 风")
    assert search(cache.db, "空无") == []
    assert _reports(search(cache.db, "W0")) == {"end.md", "heading.md", "middle.md", "none.md"}
    # One character too, at the very end of the file as well; a term no trigram begins with is
    # answered by the index, without reading any report's text.
    assert _reports(search(cache.db, "控")) == {"end.md", "heading.md", "middle.md", "none.md"}
    assert _reports(search(cache.db, "统 控")) == {"middle.md"}
    statements: list[str] = []
    cache.db.conn.set_trace_callback(statements.append)
    assert search(cache.db, "龘") == [] and search(cache.db, "风 龘") == []
    cache.db.conn.set_trace_callback(None)
    assert statements and not any("instr(" in s or "section_text" in s for s in statements)
    cache.close()


def test_a_short_term_too_common_for_the_index_is_checked_in_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store import search as search_module

    monkeypatch.setattr(search_module, "MAX_EXPANSIONS", 1)  # every short term is "too common"
    (tmp_path / "a.md").write_text(
        "# 2024-W01\n\n## 进展\n\n风控系统上线，入金有效成功率达标\n", encoding="utf-8"
    )
    (tmp_path / "b.md").write_text("# 2024-W02\n\n## 进展\n\n入金有效成功率达标\n", encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    assert _reports(search(cache.db, "风 入金有效")) == {"a.md"}  # the long term leads, 风 is checked
    assert _reports(search(cache.db, "风控")) == {"a.md"}  # no term narrows: the text is scanned
    cache.close()


def test_the_windows_read_only_connection_searches(seeds_copy: Path) -> None:
    from desktop.store.cache import open_reader

    cache, _ = open_and_index(seeds_copy)
    reader = open_reader(cache.path)
    assert reader is not None
    assert [h.report for h in search(reader, "风控")] == [h.report for h in search(cache.db, "风控")]
    assert search(reader, "贝易转")
    reader.close()
    cache.close()


def _indexes(db: object) -> set[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")  # type: ignore[attr-defined]
    return {str(r[0]) for r in rows}


def test_a_cold_bulk_load_ends_with_every_index_of_a_small_one(tmp_path: Path) -> None:
    from desktop.store import indexer

    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    (small / "a.md").write_text("# 2024-W01\n\n## 进展\n\n- 可用率：99.9%\n", encoding="utf-8")
    for i in range(indexer.BULK_MIN_FILES + 10):
        text = f"# 2024-W{i % 50 + 1:02}\n\n## 进展\n\n- 可用率：{90 + i % 10}%\n"
        (large / f"r{i:04}.md").write_text(text, encoding="utf-8")
    cold_small, _ = open_and_index(small)
    cold_large, summary = open_and_index(large)
    assert summary.parsed == indexer.BULK_MIN_FILES + 10
    assert _indexes(cold_large.db) == _indexes(cold_small.db) >= set(DEFERRED_INDEXES)
    assert len(queries.metric_rows(cold_large.db, ["可用率"])) == indexer.BULK_MIN_FILES + 10
    cold_small.close()
    cold_large.close()


def _index_matches_the_sections(db: object) -> None:
    # With rank 1 the check compares the index with the sections' text, entry by entry.
    db.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('integrity-check', 1)")  # type: ignore[attr-defined]


def test_a_cancelled_bulk_load_is_completed_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from desktop.store import indexer
    from desktop.store.cache import open_cache

    for i in range(indexer.BULK_MIN_FILES + 30):
        (tmp_path / f"r{i:04}.md").write_text(f"# 2024-W01\n\n## 进展\n\n标记{i:04}号\n", encoding="utf-8")
    cache = open_cache(tmp_path)
    cancel = threading.Event()

    def meanwhile(done: int, _total: int, _written: list[str]) -> None:
        if done >= indexer.BATCH_SIZE:  # after the first batch
            cancel.set()

    with pytest.raises(indexer.Cancelled):
        indexer.index_folder(cache, progress=meanwhile, cancel=cancel)
    assert cache.search_stale()
    assert not _indexes(cache.db) >= set(DEFERRED_INDEXES)  # a cold load builds them at its end
    indexer.index_folder(cache)
    assert not cache.search_stale()
    assert _indexes(cache.db) >= set(DEFERRED_INDEXES)
    _index_matches_the_sections(cache.db)
    assert len(search(cache.db, "号", limit=1000)) == indexer.BULK_MIN_FILES + 30
    cache.close()
