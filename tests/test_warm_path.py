"""The warm path every command takes first: a cache already up to date costs a scan and little else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.store import queries
from desktop.store.cache import open_cache
from desktop.store.indexer import open_and_index

NOTION = "0123456789abcdef0123456789abcdef"


def test_a_search_on_an_up_to_date_cache_loads_no_parser(seeds_copy: Path) -> None:
    open_and_index(seeds_copy)[0].close()
    code = (
        "import sys; from desktop.launcher import main;"
        "rc = main(['search', sys.argv[1], '贝易转', '--json']);"
        "heavy = ('desktop.core.parser', 'desktop.core.progress', 'desktop.commands.digest', 'sqlite_utils',"
        " 'tomllib', 'rapidfuzz', 'desktop.core.aliases');"  # no alias table while its files are as they were
        "print([m for m in heavy if m in sys.modules], file=sys.stderr); raise SystemExit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(seeds_copy)],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert json.loads(done.stdout)  # and it still finds what it found before


def test_a_broken_user_alias_file_is_reported_on_every_run(seeds_copy: Path) -> None:
    import io

    from desktop.cli import main
    from desktop.core import aliases

    config = Path(os.environ["WEEKLY_REVIEW_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    assert main(["index", str(seeds_copy)], io.StringIO()) == 0  # the good state, remembered
    (config / "metrics.toml").write_text("[[metric]]\nname = \n", encoding="utf-8")
    for _ in range(2):  # nothing else changed: still told, each time
        aliases.default_alias_table.cache_clear()  # a new process
        out = io.StringIO()
        assert main(["index", str(seeds_copy)], out) == 0
        assert "metrics.toml" in out.getvalue() and "not valid TOML" in out.getvalue()


def test_an_edited_sub_page_keeps_its_parent_and_team(tmp_path: Path) -> None:
    team = tmp_path / "payments"
    team.mkdir()
    (team / f"2024-W24 {NOTION}.md").write_text(
        "# 2024-W24\n\nCreated: 2024年6月14日 17:49\n", encoding="utf-8"
    )
    sub = team / f"2024-W24 {NOTION}"
    sub.mkdir()
    page = sub / "2024-06-12 周三.md"
    page.write_text("# 2024/06/12 周三\n\n- 进展：一\n", encoding="utf-8")
    open_and_index(tmp_path)[0].close()
    page.write_text("# 2024/06/12 周三\n\n- 进展：一\n- 进展：二，多写了几个字\n", encoding="utf-8")
    cache, summary = open_and_index(tmp_path)
    assert summary.parsed == 1
    row = queries.get_report_row(cache.db, f"payments/2024-W24 {NOTION}/2024-06-12 周三.md")
    assert row is not None
    assert (row.parent, row.team) == (f"payments/2024-W24 {NOTION}.md", "payments")
    cache.close()


def test_the_cache_connection_still_offers_sqlite_utils(seeds_copy: Path) -> None:
    open_and_index(seeds_copy)[0].close()
    cache = open_cache(seeds_copy)
    assert cache.db.table("reports").count == 5  # handed to sqlite-utils on first use
    assert cache.db["files"].count == 5
    assert "sections_fts" in cache.db.table_names(fts5=True)
    cache.close()


def _kinds(folder: Path) -> dict[tuple[str, str], str]:
    cache = open_cache(folder)
    try:
        rows = cache.db.execute("SELECT report, name, kind FROM metrics WHERE name LIKE '巡检覆盖率%'")
        return {(r[0], r[1]): r[2] for r in rows}
    finally:
        cache.close()


def test_only_the_series_a_change_touches_are_settled_again_and_they_are_right(tmp_path: Path) -> None:
    """A label seen in one report is a one-off figure; written in a second report it is a KPI in both,
    whether the second comes by a re-index or by the folder watch's path-by-path update."""
    from desktop.store.incremental import open_and_index_paths

    folder = tmp_path / "reports"
    folder.mkdir()
    body = (
        "# 2024-W{w:02}\n\nCreated: 2024年6月{d}日 10:00\n\n## 运行数据\n"
        "- 巡检覆盖率：{v}%\n- 可用性：99.9%\n"
    )
    (folder / "2024-W24.md").write_text(body.format(w=24, d=14, v=91.5), encoding="utf-8")
    (folder / "2024-W25.md").write_text(
        body.format(w=25, d=21, v=92).replace("巡检覆盖率", "巡检数"), "utf-8"
    )
    cache, _ = open_and_index(folder)
    cache.close()
    assert _kinds(folder) == {("2024-W24.md", "巡检覆盖率"): "figure"}
    # The watch's update of one file: the series it now shares with W24 becomes a KPI in both.
    (folder / "2024-W25.md").write_text(body.format(w=25, d=21, v=92), encoding="utf-8")
    summary = open_and_index_paths(folder, ["2024-W25.md"])
    assert summary.written == ["2024-W25.md"]
    assert _kinds(folder) == {("2024-W24.md", "巡检覆盖率"): "kpi", ("2024-W25.md", "巡检覆盖率"): "kpi"}
    # A full re-index after W25 drops it again: W24's row goes back to a one-off figure.
    (folder / "2024-W25.md").unlink()
    cache, _ = open_and_index(folder)
    cache.close()
    assert _kinds(folder) == {("2024-W24.md", "巡检覆盖率"): "figure"}


def _weeks(folder: Path, n: int) -> None:
    for week in range(1, n + 1):
        text = f"# 2024-W{week:02d}\n\n## 本周\n- 【贝易转】第{week}周\n入金有效成功率：99.9{week}%\n"
        (folder / f"2024-W{week:02d}.md").write_text(text, encoding="utf-8")


def _forget_in_another_process(folder: Path, report: str) -> None:
    """What a second writer might commit (one that saw the file gone): the cache no longer holds it."""
    other = open_cache(folder)
    try:
        with other.writing():
            other.delete_reports([report])
    finally:
        other.close()


def _paths(folder: Path) -> list[str]:
    cache, _ = open_and_index(folder)
    try:
        return [r.path for r in queries.list_reports(cache.db)]
    finally:
        cache.close()


def test_a_change_another_writer_made_to_the_cache_is_seen_by_the_next_re_index(tmp_path: Path) -> None:
    _weeks(tmp_path, 3)
    assert len(_paths(tmp_path)) == 3
    assert len(_paths(tmp_path)) == 3  # a warm run: the folder matches the scan it last saw
    _forget_in_another_process(tmp_path, "2024-W02.md")
    # The folder did not change, but the cache did: the file is compared again, and read again.
    assert _paths(tmp_path) == ["2024-W01.md", "2024-W02.md", "2024-W03.md"]


def test_a_run_during_which_another_writer_committed_does_not_vouch_for_the_cache(tmp_path: Path) -> None:
    from desktop.store.indexer import index_folder

    _weeks(tmp_path, 3)
    cache = open_cache(tmp_path)

    def meanwhile(_done: int, _total: int, _written: list[str]) -> None:
        _forget_in_another_process(tmp_path, "2024-W02.md")

    try:
        index_folder(cache, progress=meanwhile)
    finally:
        cache.close()
    # The run's own writes matched its scan, the other writer's did not: the next run compares again.
    assert _paths(tmp_path) == ["2024-W01.md", "2024-W02.md", "2024-W03.md"]


def test_an_edit_that_keeps_size_and_time_apart_is_still_seen(tmp_path: Path) -> None:
    _weeks(tmp_path, 3)
    assert len(_paths(tmp_path)) == 3
    target = tmp_path / "2024-W03.md"
    stat = target.stat()
    target.write_text(target.read_text(encoding="utf-8").replace("2024-W03", "2024-W09"), encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # one nanosecond later, same size
    cache, _ = open_and_index(tmp_path)
    try:
        assert [r.label for r in queries.list_reports(cache.db)][-1] == "2024-W09"
    finally:
        cache.close()


def test_the_count_of_report_writes_moves_with_every_change_to_the_reports_and_only_then(
    tmp_path: Path,
) -> None:
    _weeks(tmp_path, 3)
    first_id: list[str] = []  # the cache file's id: the same file throughout

    def counted() -> tuple[list[str], int]:
        cache, _ = open_and_index(tmp_path)
        try:
            rows, generation = queries.listing(cache.db)
            assert generation is not None and queries.generation(cache.db) == generation
            cache_id, count = generation.split(":")
            if not first_id:
                first_id.append(cache_id)
            assert cache_id == first_id[0]
            return [r.path for r in rows], int(count)
        finally:
            cache.close()

    paths, first = counted()
    assert counted() == (paths, first)  # nothing changed: the listing holds
    (tmp_path / "2024-W02.md").write_text("# 2024-W02\n\n## 本周\n- 【贝易转】改过了\n", encoding="utf-8")
    _, edited = counted()
    (tmp_path / "2024-W04.md").write_text("# 2024-W04\n", encoding="utf-8")
    added_paths, added = counted()
    (tmp_path / "2024-W01.md").unlink()
    removed_paths, removed = counted()
    assert first < edited < added < removed
    assert added_paths[-1] == "2024-W04.md" and "2024-W01.md" not in removed_paths
    _forget_in_another_process(tmp_path, "2024-W03.md")  # another process's write counts too
    cache = open_cache(tmp_path)
    try:
        assert queries.generation(cache.db) != removed
    finally:
        cache.close()


def test_a_rebuilt_cache_never_passes_for_the_one_it_replaced(tmp_path: Path) -> None:
    """The same folder written into a new file makes the same count of report writes: the listing of
    the old file must not be taken for the new one's (the window's indexer hands it on when equal)."""
    from desktop.store.cache import discard

    _weeks(tmp_path, 3)
    cache, _ = open_and_index(tmp_path)
    before = queries.generation(cache.db)
    path = cache.path
    cache.close()
    discard(path)
    cache, _ = open_and_index(tmp_path)
    try:
        after = queries.generation(cache.db)
    finally:
        cache.close()
    assert before is not None and after is not None
    assert before.split(":")[1] == after.split(":")[1]  # the very same writes, counted alike
    assert before != after
