"""The cache keeps no copy of the reports' text: it reads each section back from its file, and only
while the file is the version it indexed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.core.aliases import default_alias_table
from desktop.core.parser import parse_text
from desktop.store import cache as cache_module
from desktop.store import indexer, queries
from desktop.store.database import folder_text
from desktop.store.incremental import index_paths
from desktop.store.indexer import open_and_index
from desktop.store.search import search
from desktop.store.topics import entries, resolve_topic


def _text_columns(db: object) -> dict[str, list[str]]:
    conn = db.conn  # type: ignore[attr-defined]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {}
    for table in tables:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info('{table}')") if r[2].upper() == "TEXT"]
        if columns:
            found[table] = columns
    return found


def test_the_cache_holds_no_section_text_and_gives_each_report_back_whole(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    aliases = default_alias_table()
    for file in sorted(seeds_copy.glob("*.md")):
        text = file.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert queries.report_text(cache.db, file.name) == text
        parsed = parse_text(file.name, text, aliases=aliases)
        assert [s.markdown for s in queries.sections_of(cache.db, file.name)] == [
            s.markdown for s in parsed.sections
        ]
        # No table keeps a section's lines: a paragraph of the report is in no text column.
        longest = max(parsed.sections, key=lambda s: len(s.markdown)).markdown
        for table, columns in _text_columns(cache.db).items():
            if table.startswith("sections_fts"):
                continue
            for column in columns:
                (held,) = cache.db.execute(
                    f"SELECT count(*) FROM {table} WHERE instr({column}, ?) > 0", [longest]
                ).fetchone()
                assert held == 0, (table, column)
    cache.close()


def test_a_file_changed_since_the_index_shows_no_text_until_it_is_indexed_again(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    name = "2024-W24.md"
    assert {h.report for h in search(cache.db, "贝易转")} >= {name}
    file = seeds_copy / name
    indexed = queries.report_text(cache.db, name)
    file.write_text("# 2024-W24\n\n## 新的一节\n\n- 只有新的内容：独角兽项目\n", encoding="utf-8")
    os.utime(file, ns=(1, 1))  # a time the files table cannot hold
    # A text read before is the version indexed, and stays what this connection shows of it.
    assert queries.report_text(cache.db, name) == indexed
    # Read afresh, lines cut from another version would not be the sections the cache lists.
    folder_text(cache.db).forget()
    assert queries.report_text(cache.db, name) is None
    assert all(s.markdown == "" for s in queries.sections_of(cache.db, name))
    assert queries.load_report(cache.db, name) is None
    assert name not in {h.report for h in search(cache.db, "贝易转")}
    index_paths(cache, [name])
    assert queries.report_text(cache.db, name) == file.read_text(encoding="utf-8")
    assert [h.report for h in search(cache.db, "独角兽项目")] == [name]
    # The old version's rows stay in the index (a contentless index cannot drop them) but name
    # no section any more.
    assert name not in {h.report for h in search(cache.db, "贝易转")}
    cache.close()


def test_a_deleted_file_has_no_text_and_no_hits(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    name = "2024-W17.md"
    (seeds_copy / name).unlink()
    assert queries.report_text(cache.db, name) is None
    index_paths(cache, [name])
    assert name not in {h.report for h in search(cache.db, "贝易")}
    cache.close()


def _rewrite(folder: Path, round_: int) -> list[str]:
    names = []
    for i in range(6):
        name = f"2024-W{10 + i:02d}.md"
        word = f"词{round_}号"
        (folder / name).write_text(
            f"# 2024-W{10 + i:02d}\n\n## 进展\n\n- 本周{word}上线\n\n## 计划\n\n- 下周{word}复盘\n",
            encoding="utf-8",
        )
        names.append(name)
    return names


def test_dead_index_rows_are_rebuilt_away_once_they_are_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "DEAD_MIN", 10)
    cache, _ = open_and_index(tmp_path)
    index_paths(cache, _rewrite(tmp_path, 0))
    assert cache.meta(cache_module.DEAD_KEY) in (None, "0")
    rebuilt = 0
    for round_ in range(1, 6):
        dead_before = int(cache.meta(cache_module.DEAD_KEY) or 0)
        index_paths(cache, _rewrite(tmp_path, round_))
        dead = int(cache.meta(cache_module.DEAD_KEY) or 0)
        rebuilt += dead < dead_before + 12  # 6 reports × 2 sections went dead: unless it was rebuilt
        assert len(search(cache.db, f"词{round_}号")) == 12
        assert search(cache.db, f"词{round_ - 1}号") == []
    assert rebuilt >= 1
    # Every row of the index names a live section again after a rebuild.
    (rows,) = cache.db.execute("SELECT count(*) FROM fts_rows").fetchone()
    (sections,) = cache.db.execute("SELECT count(*) FROM section_rows").fetchone()
    assert rows == sections
    cache.close()


def test_an_index_left_stale_is_rebuilt_from_the_files(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bulk load keeps its texts aside for the rebuild; one stopped half-way (or made by another
    # process) leaves none, and the rebuild reads the files.
    cache, _ = open_and_index(seeds_copy)
    expected = [(h.report, h.line) for h in search(cache.db, "贝易转")]
    with cache.writing():
        cache.set_meta("fts", "stale")
    cache.close()
    cache, _ = open_and_index(seeds_copy)
    assert not cache.search_stale()
    assert [(h.report, h.line) for h in search(cache.db, "贝易转")] == expected
    cache.close()


def test_a_bulk_load_indexes_the_text_it_set_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer, "BULK_MIN_FILES", 2)
    _rewrite(tmp_path, 7)
    cache, _ = open_and_index(tmp_path)
    assert len(search(cache.db, "词7号")) == 12
    # The texts set aside are gone with the rebuild.
    assert cache.db.execute("SELECT name FROM temp.sqlite_master WHERE name = 'bulk_text'").fetchone() is None
    cache.close()


def test_a_timeline_reads_its_sections_from_the_files(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    query = resolve_topic(cache.db, "贝易转")
    assert query is not None
    found = entries(cache.db, query)
    assert found
    for entry in found:
        text = queries.report_text(cache.db, entry.report)
        assert text is not None and entry.text.split("\n")[0] in text
    cache.close()


def test_a_folder_that_comes_back_is_read_again(seeds_copy: Path, tmp_path: Path) -> None:
    # An unplugged drive: nothing can be read, and nothing is remembered of that, so the same
    # connection reads the report once the drive is back.
    cache, _ = open_and_index(seeds_copy)
    name = "2024-W34.md"
    expected = (seeds_copy / name).read_text(encoding="utf-8")
    away = tmp_path / "unplugged"
    seeds_copy.rename(away)
    assert queries.report_text(cache.db, name) is None
    assert queries.load_report(cache.db, name) is None
    away.rename(seeds_copy)
    assert queries.report_text(cache.db, name) == expected
    assert queries.sections_of(cache.db, name)[0].markdown.startswith("- 【贝易转】")
    cache.close()


def test_the_texts_kept_stay_small_even_for_large_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store import texts as texts_module

    monkeypatch.setattr(texts_module, "KEPT_CHARS", 50_000)
    for i in range(6):
        (tmp_path / f"2024-W{10 + i}.md").write_text(
            f"# 2024-W{10 + i}\n\n## 进展\n\n" + "很长的一行内容。" * 3000 + "\n", encoding="utf-8"
        )
    cache, _ = open_and_index(tmp_path)
    reader = folder_text(cache.db)
    for i in range(6):
        assert queries.report_text(cache.db, f"2024-W{10 + i}.md") is not None
        kept = reader._kept.values()  # (what a long-lived connection holds on to)
        assert sum(len(text) for text, _ in kept) <= 50_000 or len(kept) == 1
    # The one asked for last is kept whatever its size: its sections are read next.
    assert len(reader._kept) >= 1
    cache.close()


def test_a_progress_figures_line_is_read_back_as_the_extraction_kept_it(tmp_path: Path) -> None:
    from desktop.core.progress import extract_figures
    from desktop.store.topics import progress_points

    text = (
        "# 2024-W10\n\n## 计划\n\n1. 上线进度 90%\n2. 迁移进度 70%\n3. 压测进度 50%，" + "备注" * 300 + "\n"
    )
    (tmp_path / "2024-W10.md").write_text(text, encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    report = parse_text("2024-W10.md", text, aliases=default_alias_table())
    expected = [(f.line, f.text) for f in extract_figures(text, report.sections)]
    assert len(expected) == 3 and max(len(t) for _, t in expected) == 300  # a long line is cut as it was
    assert [(p.line, p.text) for p in progress_points(cache.db)] == expected
    # The progress rows keep no text of their own.
    columns = [r[1] for r in cache.db.execute("PRAGMA table_info('progress_rows')")]
    assert "text" not in columns
    cache.close()


def test_a_rebuild_that_cannot_read_a_file_has_it_read_again_at_the_next_index(
    seeds_copy: Path, tmp_path: Path
) -> None:
    # A share gone for a moment while the index is rebuilt: the file is indexed without its text,
    # and the next index reads it again (its size and time alone would say nothing changed).
    cache, _ = open_and_index(seeds_copy)
    name = "2024-W17.md"
    assert name in {h.report for h in search(cache.db, "省心租")}
    away = tmp_path / name
    (seeds_copy / name).rename(away)
    folder_text(cache.db).forget()
    cache.rebuild_search()
    away.rename(seeds_copy / name)
    assert name not in {h.report for h in search(cache.db, "省心租")}  # (indexed without its text)
    summary = indexer.index_folder(cache)
    assert summary.parsed == 1
    assert name in {h.report for h in search(cache.db, "省心租")}
    cache.close()


def test_a_section_rewritten_by_another_writer_during_a_bulk_load_is_indexed_as_it_is_now(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bulk load keeps its texts for its final rebuild; another process may re-index one of its
    # reports meanwhile (a command, the window): the rebuild must take the section as it is now.
    from desktop.store.incremental import open_and_index_paths

    monkeypatch.setattr(indexer, "BULK_MIN_FILES", 1)
    monkeypatch.setattr(indexer, "BATCH_SIZE", 1)
    edited: list[str] = []

    def progress(_done: int, _total: int, written: list[str]) -> None:
        if edited or not written:
            return
        edited.append(written[0])
        file = seeds_copy / written[0]
        file.write_text(file.read_text(encoding="utf-8") + "\n- 斑马计划启动\n", encoding="utf-8")
        open_and_index_paths(seeds_copy, [written[0]])  # another connection, committed at once

    cache, _ = open_and_index(seeds_copy, progress=progress)
    assert edited and [h.report for h in search(cache.db, "斑马计划")] == edited
    cache.close()
