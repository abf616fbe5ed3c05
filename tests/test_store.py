"""The cache: incremental indexing, robustness, concurrency and search."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tree_snapshot

from desktop.core.paths import cache_path_for
from desktop.store import queries
from desktop.store.cache import open_cache
from desktop.store.incremental import index_paths
from desktop.store.indexer import index_folder, open_and_index
from desktop.store.search import HIT_END, HIT_START, search


def test_cold_then_warm_index_of_the_seeds(seeds_copy: Path) -> None:
    before = tree_snapshot(seeds_copy)
    cache, summary = open_and_index(seeds_copy)
    assert (summary.reports, summary.parsed, summary.unchanged, summary.removed) == (5, 5, 0, 0)
    assert summary.sections > 50 and summary.metrics >= 40 and summary.incidents >= 10
    assert [w["path"] for w in summary.warnings] == ["2024-W17.md"]
    again = index_folder(cache)
    assert (again.parsed, again.unchanged) == (0, 5)
    cache.close()
    # The user's folder is read-only to the app; the cache lives elsewhere.
    assert tree_snapshot(seeds_copy) == before
    assert not cache_path_for(seeds_copy).is_relative_to(seeds_copy)


def test_changed_touched_deleted_and_new_files(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    w24 = seeds_copy / "2024-W24.md"
    w24.write_text(w24.read_text(encoding="utf-8").replace("99.995%", "99.111%"), encoding="utf-8")
    os.utime(seeds_copy / "2024-W34.md", ns=(1, 1_700_000_000_000_000_000))  # touched, same content
    (seeds_copy / "第42周 2023-10-13.md").unlink()
    (seeds_copy / "2024-W35.md").write_text("# 2024-W35\n\n- 入金有效成功率：99.5%\n", encoding="utf-8")
    summary = index_folder(cache)
    assert (summary.parsed, summary.unchanged, summary.removed, summary.reports) == (2, 3, 1, 5)
    values = {r.report: r.value for r in queries.metric_rows(cache.db, ["入金有效成功率"])}
    assert values["2024-W24.md"] == 99.111
    assert values["2024-W35.md"] == 99.5
    assert "第42周 2023-10-13.md" not in values
    cache.close()


def test_a_new_parser_version_parses_everything_again(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, _ = open_and_index(seeds_copy)
    monkeypatch.setattr("desktop.store.indexer.PARSER_VERSION", 999)
    summary = index_folder(cache)
    assert (summary.parsed, summary.unchanged) == (5, 0)
    assert index_folder(cache).parsed == 0
    cache.close()


def test_bad_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("# 2024-W24\n\n入金有效成功率：99.9%\n", encoding="utf-8")
    (tmp_path / "gbk.md").write_bytes("# 第42周 2023-10-13\n\n- 风控系统：正常\n".encode("gbk"))
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.md").write_bytes("# 2024-W25\n坏".encode() + b"\xff\xfe\x80 tail\n")
    cache, summary = open_and_index(tmp_path)
    assert summary.reports == 3
    assert {s["path"]: s["reason"] for s in summary.skipped} == {
        "binary.md": "binary file (not text)",
        "empty.txt": "empty file",
    }
    broken = [w["message"] for w in summary.warnings if w["path"] == "broken.md"]
    assert any("replaced" in m for m in broken)
    assert [h.report for h in search(cache.db, "风控")] == ["gbk.md"]
    cache.close()


def test_notion_sub_pages_are_children(tmp_path: Path) -> None:
    notion = "0123456789abcdef0123456789abcdef"
    (tmp_path / f"2024-W24 {notion}.md").write_text(
        "# 2024-W24\n\nCreated: 2024年6月14日 17:49\n", encoding="utf-8"
    )
    sub = tmp_path / f"2024-W24 {notion}"
    sub.mkdir()
    (sub / "2024-06-12 周三.md").write_text("# 2024/06/12 周三\n\n- 入金有效成功率：1%\n", encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    rows = {r.path: r for r in queries.list_reports(cache.db)}
    assert rows[f"2024-W24 {notion}/2024-06-12 周三.md"].parent == f"2024-W24 {notion}.md"
    assert rows[f"2024-W24 {notion}.md"].parent is None
    # A sub-page's numbers are not the week's KPIs.
    assert queries.metric_rows(cache.db, ["入金有效成功率"]) == []
    cache.close()


def test_corrupt_and_foreign_caches_are_rebuilt(seeds_copy: Path) -> None:
    path = cache_path_for(seeds_copy)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    cache, summary = open_and_index(seeds_copy)
    assert summary.reports == 5
    assert any("discarded and rebuilt" in m for m in summary.messages)
    cache.close()

    path.unlink()
    foreign = sqlite3.connect(path)
    foreign.execute("CREATE TABLE reports (x)")
    foreign.commit()
    foreign.close()
    cache, summary = open_and_index(seeds_copy)
    assert summary.reports == 5
    assert any("not a Weekly Review cache" in m for m in summary.messages)
    cache.close()


def test_two_processes_on_one_folder(seeds_copy: Path, tmp_path: Path) -> None:
    for i in range(60):  # enough files for both processes to overlap while writing
        (seeds_copy / f"extra-{i:02}.md").write_text(
            f"# 2023-W{i % 50 + 1:02}\n\n入金有效成功率：99.{i:02}%\n", encoding="utf-8"
        )
    cmd = [sys.executable, "-m", "desktop", "index", str(seeds_copy)]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    cache = open_cache(seeds_copy)
    assert cache.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert queries.counts(cache.db)["reports"] == 65
    assert len(queries.metric_rows(cache.db, ["入金有效成功率"])) == 65
    cache.close()


def test_search_chinese_long_and_short_queries(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    hits = search(cache.db, "贝易转")
    assert hits and {h.report for h in hits} >= {"2024-W17.md", "2024-W24.md", "2024-W34.md"}
    assert all(HIT_START + "贝易转" + HIT_END in h.snippet for h in hits)
    first = hits[0]
    line = (seeds_copy / first.report).read_text(encoding="utf-8").split("\n")[first.line - 1]
    assert "贝易转" in line
    # Two characters: the trigram index cannot answer, the scan must.
    short = search(cache.db, "风控")
    assert len(short) >= 4 and all(
        "风控" in h.snippet.replace(HIT_START, "").replace(HIT_END, "") for h in short
    )
    assert search(cache.db, "没有这个词组") == []


@pytest.mark.parametrize("query", ["99.9", "risk-api", '"', "a AND", "NEAR(", "*", "-x", "贝易转 OR"])
def test_search_input_is_quoted(seeds_copy: Path, query: str) -> None:
    cache, _ = open_and_index(seeds_copy)
    search(cache.db, query)  # must not raise
    cache.close()


def test_search_finds_numbers(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    assert {h.report for h in search(cache.db, "99.9")} >= {"2024-W17.md", "2024-W34.md"}
    cache.close()


def test_parallel_parsing_matches_serial(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for team in ("payments", "risk"):
        (folder / team).mkdir(parents=True)
        for week in range(1, 31):
            (folder / team / f"2024-W{week:02}.md").write_text(
                f"# 2024-W{week:02}\n\n## 【系统运行数据】\n\n- 入金有效成功率：99.{week:02}%\n",
                encoding="utf-8",
            )
    cache, summary = open_and_index(folder)  # 60 files: parsed in worker processes
    assert summary.parsed == 60
    rows = queries.metric_rows(cache.db, ["入金有效成功率"])
    assert {r.team for r in rows} == {"payments", "risk"}
    assert sorted(r.value for r in rows if r.team == "risk") == [float(f"99.{w:02}") for w in range(1, 31)]
    cache.close()


@pytest.mark.corpus
def test_outside_corpus_indexes(corpus: Path) -> None:
    cache, summary = open_and_index(corpus)
    assert summary.reports >= 250
    assert not summary.skipped
    rows = queries.list_reports(cache.db)
    # Only the licence file has no date of its own; it is listed with a guessed date and a warning.
    # The corpus is a copy: its files share one mtime, which dates nothing, so the licence is undated.
    assert [r.path for r in rows if r.date_source in ("mtime", "none")] == ["LICENSE-MIT.txt"]
    assert search(cache.db, "regression")
    cache.close()


def test_a_chart_gets_one_value_per_report(tmp_path: Path) -> None:
    (tmp_path / "2024-W01.md").write_text(
        "# 2024-W01\n\n| metric | this week |\n|---|---|\n| Error rate | 1.5% |\n\n"
        "## Details\n\n| metric | this week |\n|---|---|\n| Error rate | 9.9% |\n",
        encoding="utf-8",
    )
    cache, _ = open_and_index(tmp_path)
    assert [r.value for r in queries.metric_rows(cache.db, ["Error rate"])] == [1.5, 9.9]
    assert [r.value for r in queries.metric_rows(cache.db, ["Error rate"], first_per_report=True)] == [1.5]
    cache.close()


def _fts_ok(cache: object) -> bool:
    db = cache.db  # type: ignore[attr-defined]
    db.execute("INSERT INTO sections_fts(sections_fts) VALUES ('integrity-check')")
    return True


def test_a_bulk_load_and_another_writer_keep_the_search_index_whole(tmp_path: Path) -> None:
    """A second process indexing during a bulk load must neither lose nor corrupt search entries."""
    from desktop.store.indexer import BULK_MIN_FILES

    for i in range(BULK_MIN_FILES + 20):
        (tmp_path / f"r{i:04}.md").write_text(
            f"# 2024-W{i % 50 + 1:02}\n\n## 进展\n\n标记{i:04}号\n", encoding="utf-8"
        )
    first = open_cache(tmp_path)
    second = open_cache(tmp_path)
    calls = 0

    def meanwhile(_done: int, _total: int, _written: list[str]) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # mid-way through the first writer's bulk load, a small change elsewhere
            (tmp_path / "late.md").write_text("# 2024-W52\n\n## 进展\n\n迟到的标记\n", encoding="utf-8")
            index_folder(second)

    index_folder(first, progress=meanwhile)
    assert _fts_ok(first)
    assert not first.search_stale()
    found = {h.report for h in search(first.db, "标记0419")} | {
        h.report for h in search(first.db, "迟到的标记")
    }
    assert found == {"r0419.md", "late.md"}
    (tmp_path / "r0000.md").write_text("# 2024-W01\n\n## 进展\n\n改过了\n", encoding="utf-8")
    index_folder(first)  # a normal edit deletes index entries: they must all exist
    assert _fts_ok(first) and [h.report for h in search(first.db, "改过了")] == ["r0000.md"]
    first.close()
    second.close()


def test_a_cold_index_writes_the_newest_weeks_first(tmp_path: Path) -> None:
    """A manager watching a first index sees this week's reports arrive first, whatever the folders'
    order; files whose names give no date come last, in path order."""
    from desktop.store.indexer import BATCH_SIZE, BULK_MIN_FILES

    weeks = [
        (team, year, week) for team in ("a-team", "b-team") for year in (2023, 2024) for week in range(1, 53)
    ]
    for team, year, week in weeks:
        folder = tmp_path / team / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{year}-W{week:02} {'a' * 12}20991231{'b' * 12}.md"  # the Notion id is no date
        (folder / name).write_text(f"# {year}-W{week:02}\n\n## 进展\n\n完成\n", encoding="utf-8")
    for i in range(BULK_MIN_FILES - len(weeks) + 10):
        (tmp_path / f"notes-{i:03}.md").write_text("# 随记\n\n内容\n", encoding="utf-8")
    announced: list[str] = []
    cache = open_cache(tmp_path)
    index_folder(cache, progress=lambda _done, _total, written: announced.extend(written))
    cache.close()
    first = announced[:BATCH_SIZE]
    assert {p.split("/")[1] for p in first} == {"2024"}
    assert {p.split("/")[2][:8] for p in first[:2]} == {"2024-W52"}
    undated = [p for p in announced if p.startswith("notes-")]
    assert announced[-len(undated) :] == undated == sorted(undated)


def test_search_stays_newest_first_across_a_rebuild_and_later_edits(tmp_path: Path) -> None:
    """The index numbers sections densely at a rebuild and apart after it: search merges the two."""
    from desktop.store.indexer import BULK_MIN_FILES
    from desktop.store.schema import FTS_ZONE

    count = BULK_MIN_FILES + 20

    def week(i: int) -> str:
        return f"{2000 + i // 50}-W{i % 50 + 1:02}"

    for i in range(count):
        text = f"# {week(i)}\n\n## 进展\n\n共同的标记 编号{i:04}\n"
        (tmp_path / f"r{i:04}.md").write_text(text, encoding="utf-8")
    cache, _ = open_and_index(tmp_path)  # a bulk load: one rebuild numbers every section densely
    numbered = cache.db.execute("SELECT count(*), max(id) FROM fts_rows").fetchone()
    assert numbered[0] == numbered[1] > count
    assert [h.report for h in search(cache.db, "编号0005")] == ["r0005.md"]
    (tmp_path / "r0005.md").write_text(f"# {week(5)}\n\n## 进展\n\n共同的标记 改过\n", encoding="utf-8")
    (tmp_path / "zz-new.md").write_text(f"# {week(count)}\n\n## 进展\n\n共同的标记 新\n", encoding="utf-8")
    index_folder(cache)  # a small change: indexed section by section, after the dense numbers
    later = cache.db.execute("SELECT count(*) FROM fts_rows WHERE id >= ?", [FTS_ZONE]).fetchone()[0]
    assert later > 0
    hits = search(cache.db, "共同的标记", limit=count + 10)
    dates = [h.date for h in hits]
    assert len(hits) == count + 1 and dates == sorted(dates, reverse=True)
    assert hits[0].report == "zz-new.md"
    assert [h.report for h in hits if "改过" in h.snippet] == ["r0005.md"]
    assert search(cache.db, "编号0005") == []  # the old text left the index
    assert _fts_ok(cache)
    cache.close()


def test_search_scans_while_the_index_is_being_rebuilt(seeds_copy: Path) -> None:
    cache, _ = open_and_index(seeds_copy)
    cache.begin_bulk()
    (seeds_copy / "2024-W35.md").write_text("# 2024-W35\n\n## 风险\n\n新的风控事项\n", encoding="utf-8")
    index_folder(cache)  # not a bulk run: it finds the index stale and rebuilds it at the end
    assert not cache.search_stale()
    cache.begin_bulk()
    assert [h.report for h in search(cache.db, "新的风控事项")] == ["2024-W35.md"]
    cache.close()


def test_touching_a_report_dated_by_its_file_time_moves_it(tmp_path: Path) -> None:
    note = tmp_path / "notes.md"
    note.write_text("# Notes\n\n入金有效成功率：99.9%\n", encoding="utf-8")
    os.utime(note, (1_700_000_000, 1_700_000_000))  # 2023-11-14
    cache, _ = open_and_index(tmp_path)
    assert queries.list_reports(cache.db)[0].date == "2023-11-14"
    os.utime(note, (1_725_000_000, 1_725_000_000))  # 2024-08-30, same content
    index_folder(cache)
    assert queries.list_reports(cache.db)[0].date == "2024-08-30"
    cache.close()


def test_search_lines_for_text_before_the_first_heading(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("\n\n\n只在开头的一句话\n\n## 后面\n\n别的\n", encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    (hit,) = search(cache.db, "开头的一句")
    assert hit.line == 4
    cache.close()


def test_editing_the_users_alias_table_parses_again(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core import aliases

    cache, _ = open_and_index(seeds_copy)
    assert not queries.metric_rows(cache.db, ["健康度"])
    config = Path(os.environ["WEEKLY_REVIEW_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "metrics.toml").write_text(
        '[[metric]]\nname = "健康度"\naliases = ["健康分"]\n', encoding="utf-8"
    )
    aliases.default_alias_table.cache_clear()
    summary = index_folder(cache)
    assert summary.parsed == 5
    assert [r.value for r in queries.metric_rows(cache.db, ["健康度"])] == [658.8]
    cache.close()


@pytest.mark.parametrize("parsed_before_break", [0, 25])
def test_a_broken_worker_pool_leaves_no_file_out_or_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed_before_break: int
) -> None:
    """A worker killed (out of memory, say) at the start or part-way: the rest is parsed in process."""
    from concurrent.futures.process import BrokenProcessPool

    from desktop.store import parsing

    real_work = parsing._work

    def half_then_broken(root: Path, jobs: list[parsing.Job], aliases: object, _workers: int) -> object:
        for job in jobs[:parsed_before_break]:
            yield real_work(root, job, aliases)  # type: ignore[arg-type]
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(parsing, "_parallel", half_then_broken)
    for week in range(1, 61):
        (tmp_path / f"2024-W{week:02}.md").write_text(
            f"# 2024-W{week:02}\n\n入金有效成功率：9{week % 10}.5%\n", encoding="utf-8"
        )
    cache, summary = open_and_index(tmp_path)
    assert summary.parsed == 60 and summary.reports == 60
    assert len(queries.metric_rows(cache.db, ["入金有效成功率"])) == 60
    cache.close()


def test_a_folder_that_vanished_keeps_its_cache(seeds_copy: Path) -> None:
    import shutil

    from desktop.store.cache import CacheError

    cache, _ = open_and_index(seeds_copy)
    shutil.rmtree(seeds_copy)
    with pytest.raises(CacheError, match="gone or cannot be read"):
        index_folder(cache)
    assert queries.counts(cache.db)["reports"] == 5
    cache.close()


def test_reports_of_one_day_written_together_keep_their_own_sections(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        text = f"# 2024-W10 {name}\n\n## 进展\n\n{name} 的进展\n\n## 计划\n\n{name} 的计划\n"
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    cache, _ = open_and_index(tmp_path)
    rows = cache.db.execute("SELECT id, report, markdown FROM sections WHERE idx >= 0 ORDER BY id").fetchall()
    assert len({r[0] for r in rows}) == len(rows) == 6
    for report in ("a.md", "b.md", "c.md"):  # each report's own text, under ids in a run of its own
        mine = [r for r in rows if r[1] == report]
        assert all(report[0] + " 的" in r[2] for r in mine)
        ids = [r[0] for r in mine]
        assert ids == list(range(ids[0], ids[0] + len(ids)))
    assert {h.report for h in search(cache.db, "b 的计划")} == {"b.md"}
    cache.close()


def test_the_change_since_the_last_report_looks_at_the_same_teams_earlier_weeks(tmp_path: Path) -> None:
    """previous_values: the nearest earlier weekly report of the same team that gives each metric."""
    folder = tmp_path / "org"

    def week(team: str, n: int, body: str) -> None:
        (folder / team).mkdir(parents=True, exist_ok=True)
        created = f"Created: 2024年6月{n}日 17:49"
        (folder / team / f"2024-W{n + 20}.md").write_text(f"# 2024-W{n + 20}\n\n{created}\n\n{body}", "utf-8")

    week("pay", 3, "- 入金有效成功率：99.1%\n- 事故数AB级1次\n")
    week("pay", 10, "- 入金有效成功率：99.2%\n")
    week("pay", 17, "- 入金有效成功率：99.3%\n")
    week("risk", 12, "- 入金有效成功率：50%\n- 事故数AB级7次\n")  # another team, in between
    (folder / "pay" / "README.md").write_text("# 说明\n\n- 入金有效成功率：1%\n", "utf-8")
    cache, _ = open_and_index(folder)
    try:
        latest = queries.previous_values(cache.db, "pay/2024-W37.md")
        assert latest["入金有效成功率"][0] == 99.2  # the week before, not risk's week between them
        assert latest["事故数AB级"][0] == 1  # the nearest week that gives it
        assert queries.previous_values(cache.db, "pay/2024-W23.md") == {}  # the team's first week
        assert queries.previous_values(cache.db, "risk/2024-W32.md") == {}
        assert queries.previous_values(cache.db, "pay/README.md") == {}  # a page, not a week
        assert queries.previous_values(cache.db, "pay/2024-W37.md", weeks=1) == {
            "入金有效成功率": (99.2, "%")
        }
    finally:
        cache.close()


def test_the_weeks_before_a_report_read_from_the_listing_are_the_ones_the_cache_gives(tmp_path: Path) -> None:
    """The reader takes "the team's earlier weeks" from the listing it holds: for every report, as many
    and in the same order as the query, across teams, pages, sub-pages, shared dates and undated issues."""
    folder = tmp_path / "org"
    for team in ("pay", "risk", "ops"):
        (folder / team).mkdir(parents=True)
        (folder / team / "README.md").write_text("# 说明\n\n见各周。\n", "utf-8")
    for n in range(1, 16):
        team = ("pay", "risk", "ops")[n % 3]
        day = 1 + n // 2  # two reports share most days
        name = f"{team}/2024-06-{day:02d} 周报 {n}.md"
        (folder / name).write_text(
            f"# 周报 {n}\n\nCreated: 2024年6月{day}日 10:00\n\n- 成功率：9{n % 10}%\n", "utf-8"
        )
    notion = folder / "pay" / "2024-06-20 周报 99"
    notion.mkdir()
    (folder / "pay" / "2024-06-20 周报 99.md").write_text(
        "# 周报 99\n\nCreated: 2024年6月20日 10:00\n", "utf-8"
    )
    (notion / "细节.md").write_text("# 细节\n\n- 成功率：1%\n", "utf-8")
    for n in (9, 10, 100):  # undated: ordered by issue number
        (folder / "ops" / f"第 {n} 期.md").write_text(f"# 第 {n} 期\n\n- 成功率：5%\n", "utf-8")
    stamp = 1_700_000_000
    for path in folder.rglob("*.md"):
        os.utime(path, (stamp, stamp))  # one time for all, as after a copy: mtimes say nothing
    cache, _ = open_and_index(folder)
    try:
        rows = queries.list_reports(cache.db)
        assert len(rows) == 23
        seen = 0
        for row in rows:
            for limit in (1, 3, 12):
                listed = queries.weeks_before(rows, row, limit)
                assert listed == queries._weeks_before(cache.db, row.path, limit), (row.path, limit)
                seen += bool(listed)
        assert seen > 30  # most reports have earlier weeks: the comparison was not of empty lists
        newest = next(r for r in rows if r.path == "ops/第 100 期.md")
        assert queries.weeks_before(rows, newest, 2) == ["ops/第 10 期.md", "ops/第 9 期.md"]
        # A listing without the report, or with an older reading of it: the caller asks the cache.
        assert queries.weeks_before(rows[:-1], rows[-1], 2) is None
        assert queries.weeks_before(rows, rows[5]._replace(title="changed"), 2) is None
    finally:
        cache.close()


@pytest.mark.parametrize(
    "files",
    [
        {"a/2024-W23.md": "Created: 2024年6月7日 10:00", "b/2024-W24.md": "Created: 2024年6月14日 10:00"},
        # A stray note dated only by its file time is not the week to open, unless nothing is dated.
        {"2024-W23.md": "Created: 2024年6月7日 10:00", "notes.md": "随手记"},
        {"notes.md": "随手记", "todo.md": "待办"},
        {"第 9 期.md": "一", "第 10 期.md": "二"},
        {"README.md": "# 说明", "2024-W24 0123456789abcdef0123456789abcdef/页.md": "子页"},
    ],
)
def test_the_report_a_folder_opens_at_is_the_same_from_the_cache_and_from_the_listing(
    tmp_path: Path, files: dict[str, str]
) -> None:
    from desktop.ui.presenters.folder import _newest_report

    folder = tmp_path / "org"
    for name, body in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"# {Path(name).stem}\n\n{body}\n", "utf-8")
    cache, _ = open_and_index(folder)
    try:
        newest = _newest_report(queries.list_reports(cache.db))
        assert queries.opening_report(cache.db) == (newest.path if newest else None)
    finally:
        cache.close()


def test_a_teams_chart_rows_are_that_teams_share_of_the_folders(tmp_path: Path) -> None:
    """metric_rows(first_per_report) for some names and one team: the first value of each report and
    metric, exactly as when every name and team is read and the rest left out."""
    folder = tmp_path / "org"
    for n, team in enumerate(("pay", "risk", "ops")):
        (folder / team).mkdir(parents=True)
        for week in (23, 24, 25):
            created = f"Created: 2024年6月{week - 16}日 17:49"
            # The summary gives each rate first; a table further down repeats it.
            text = (
                f"# 2024-W{week}\n\n{created}\n\n- 入金有效成功率：99.{week}{n}%\n- 出金有效成功率：98.{n}%\n"
                f"\n## 明细\n\n- 入金有效成功率：50.{n}%\n- 事故数AB级{n}次\n"
            )
            (folder / team / f"2024-W{week}.md").write_text(text, encoding="utf-8")
    cache, _ = open_and_index(folder)
    try:
        every = queries.metric_rows(cache.db, first_per_report=True)
        assert len(every) == 27  # three teams, three weeks, three metrics: one value each
        names = ["入金有效成功率", "事故数AB级"]
        for team in ("pay", "risk", None):
            asked = queries.metric_rows(cache.db, names, first_per_report=True, team=team)
            assert asked == [r for r in every if r.metric in names and team in (None, r.team)]
        assert {r.value for r in every if r.metric == "入金有效成功率"} >= {99.230, 99.231}  # not 50.x
    finally:
        cache.close()


def _metric_facts(cache: object) -> list[tuple[object, ...]]:
    return cache.db.execute(  # type: ignore[attr-defined,no-any-return]
        "SELECT r.path, m.line, m.base_name, m.unit, m.name, m.kind FROM metric_rows m"
        " JOIN reports r ON r.id = m.report_id ORDER BY r.path, m.line, m.base_name, m.unit"
    ).fetchall()


def test_after_each_edit_the_metrics_names_and_kinds_are_those_of_a_cold_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-index settles the series' units and KPI kinds as a cold index of the same files would,
    whether an edit leaves every count as it was (only the report's own rows are settled) or not."""
    from desktop.store import folder_facts

    folder = tmp_path / "org"
    texts = {
        "pay/2024-W23.md": "- 入金有效成功率：99.1%\n- 商户数：12家\n- 金额 322\n",
        "pay/2024-W24.md": "- 入金有效成功率：99.2%\n- 商户数：14家\n- 金额：1205万元\n",
        "pay/2024-W25.md": "- 入金有效成功率：99.3%\n- 金额：1300万元\n- 一次性数字：7个\n",
        "risk/2024-W24.md": "- 拦截率：88%\n- 一次性数字：3个\n",
    }

    def write(path: str, body: str) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        week = path.rsplit("/", 1)[1].removesuffix(".md")
        target.write_text(f"# {week}\n\n{body}", encoding="utf-8")
        stamp = target.stat().st_mtime_ns + 1_000_000_000
        os.utime(target, ns=(stamp, stamp))

    for path, body in texts.items():
        write(path, body)
    full = []
    settle = folder_facts._settle_metrics
    monkeypatch.setattr(folder_facts, "_settle_metrics", lambda *a: (full.append(1), settle(*a))[1])
    edits = [
        ("pay/2024-W24.md", "- 入金有效成功率：99.9%\n- 商户数：15家\n- 金额：1999万元\n", False),  # values
        (
            "pay/2024-W25.md",
            "- 入金有效成功率：98%\n- 金额：1300万元\n- 一次性数字：8个\n\n多一行字。\n",
            False,
        ),
        ("pay/2024-W24.md", "- 入金有效成功率：99.9%\n- 商户数：15家\n- 金额 1999\n", True),  # unit gone
        ("risk/2024-W24.md", "- 拦截率：88%\n- 一次性数字：3个\n- 商户数：2家\n", True),  # a new line
        ("pay/2024-W23.md", "- 入金有效成功率：99.1%\n", True),  # lines removed
    ]
    cache, _ = open_and_index(folder)
    watched = open_cache(folder, tmp_path / "watched.sqlite")  # updated path by path, as the window does
    index_folder(watched)
    try:
        for n, (path, body, counts_move) in enumerate(edits):
            write(path, body)
            full.clear()
            index_folder(cache)
            assert bool(full) == counts_move, path
            index_paths(watched, [path])
            cold = open_cache(folder, tmp_path / f"cold-{n}.sqlite")
            try:
                index_folder(cold)
                assert _metric_facts(cache) == _metric_facts(cold) == _metric_facts(watched), path
            finally:
                cold.close()
    finally:
        cache.close()
        watched.close()


def test_the_chart_lists_the_metrics_of_weekly_reports_only_with_their_counts_and_kinds(
    tmp_path: Path,
) -> None:
    """metric_list counts over every report and takes away what sub-pages and pages add: the same
    answer as counting the weekly reports' own rows."""
    notion = "0123456789abcdef0123456789abcdef"
    folder = tmp_path / "org"
    sub = folder / f"2024-W24 {notion}"
    sub.mkdir(parents=True)
    (folder / f"2024-W24 {notion}.md").write_text("# 2024-W24\n\n- 入金有效成功率：99.1%\n", "utf-8")
    for day in (12, 13, 14):  # the sub-pages' own KPI (each gives it twice), which one week gives too
        (sub / f"2024-06-{day}.md").write_text(
            f"# 06-{day}\n\n- 独有指标：{day}个\n- 独有指标：1个\n", "utf-8"
        )
    for week in (25, 26, 27):
        text = f"# 2024-W{week}\n\n- 入金有效成功率：99.{week}%\n- 页面数：{week}个\n"
        (folder / f"2024-W{week}.md").write_text(text + ("- 独有指标：3个\n" if week == 27 else ""), "utf-8")
    (folder / "README.md").write_text("# 说明\n\n- 页面数：1个\n- 只在说明里：5个\n", "utf-8")
    cache, _ = open_and_index(folder)
    try:
        weekly = {r.path for r in queries.list_reports(cache.db) if r.parent is None and r.kind == "report"}
        assert len(weekly) == 4
        rows = cache.db.execute("SELECT report, name, kind FROM metrics").fetchall()
        expected: dict[str, tuple[set[str], bool]] = {}
        for report, name, kind in rows:
            if report in weekly:
                reports, kpi = expected.get(name, (set(), False))
                expected[name] = (reports | {report}, kpi or kind == "kpi")
        listed = queries.metric_list(cache.db)
        assert listed == sorted(
            ((n, len(r), "kpi" if k else "figure") for n, (r, k) in expected.items()),
            key=lambda item: (-item[1], item[0]),
        )
        names = [name for name, _, _ in listed]
        assert "只在说明里" not in names  # a page's figure is not a week's
        assert ("独有指标", 1) in [(n, c) for n, c, _ in listed]  # once, by its one weekly report
        assert any(name == "入金有效成功率" and n == 4 and kind == "kpi" for name, n, kind in listed)
    finally:
        cache.close()


def test_reports_that_become_sub_pages_leave_the_series_they_counted_in(tmp_path: Path) -> None:
    """A parent page that appears turns reports into its sub-pages: the series they counted in are
    settled again, as a cold index of the same files would settle them."""
    notion = "0123456789abcdef0123456789abcdef"
    folder = tmp_path / "org"
    sub = folder / f"2024-W24 {notion}"
    sub.mkdir(parents=True)
    for day in (12, 13):
        (sub / f"2024-06-{day}.md").write_text(f"# 2024-06-{day}\n\n- 独有指标：{day}个\n", encoding="utf-8")
    cache, _ = open_and_index(folder)
    watched = open_cache(folder, tmp_path / "watched.sqlite")  # updated path by path, as the window does
    index_folder(watched)
    try:
        assert queries.metric_kinds(cache.db)["独有指标"] == "kpi"  # two weekly reports give it
        (folder / f"2024-W24 {notion}.md").write_text("# 2024-W24\n\n- 别的：1个\n", encoding="utf-8")
        index_folder(cache)
        index_paths(watched, [f"2024-W24 {notion}.md"])
        cold = open_cache(folder, tmp_path / "cold.sqlite")
        try:
            index_folder(cold)
            assert _metric_facts(cache) == _metric_facts(cold) == _metric_facts(watched)
            assert queries.metric_kinds(cache.db).get("独有指标") != "kpi"  # sub-pages' numbers only now
        finally:
            cold.close()
    finally:
        cache.close()
        watched.close()
