"""Following the folder: the watch reports changed reports, and only those are indexed again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import watchfiles
from conftest import tree_snapshot
from PySide6.QtCore import QObject, Slot
from pytestqt.qtbot import QtBot

from desktop.core.aliases import default_alias_table
from desktop.core.paths import cache_path_for, path_key
from desktop.store import queries
from desktop.store.cache import open_cache, open_reader
from desktop.store.incremental import PathsSummary, index_paths
from desktop.store.indexer import open_and_index
from desktop.store.search import search
from desktop.ui.change_indexer import ChangeIndexer
from desktop.ui.watch import FolderWatch, ReportFilter

WAIT_MS = 15_000  # generous: two cores shared by many processes; the real figure is in bench_watch.py


class Follower(QObject):
    """The wiring the window will do: the watch's batches go to the change indexer."""

    def __init__(self, watch: FolderWatch, indexer: ChangeIndexer) -> None:
        super().__init__()
        self.watch = watch
        self.indexer = indexer
        self.batches: list[list[str]] = []
        self.summaries: list[PathsSummary] = []
        watch.paths_changed.connect(self._on_watch_paths_changed)
        indexer.paths_indexed.connect(self._on_indexer_paths_indexed)

    @Slot(list)
    def _on_watch_paths_changed(self, paths: list[str]) -> None:
        self.batches.append(paths)
        folder = self.watch.folder
        if folder is not None:
            self.indexer.index(folder, paths)

    @Slot(object)
    def _on_indexer_paths_indexed(self, summary: PathsSummary) -> None:
        self.summaries.append(summary)

    def reported(self) -> set[str]:
        return {p for batch in self.batches for p in batch}

    def written(self) -> set[str]:
        return {p for s in self.summaries for p in s.written}


@pytest.fixture
def watch(qtbot: QtBot) -> Iterator[FolderWatch]:
    watch = FolderWatch()
    yield watch
    watch.shutdown()
    assert not watch.running


@pytest.fixture
def follower(watch: FolderWatch) -> Iterator[Follower]:
    indexer = ChangeIndexer(default_alias_table())
    yield Follower(watch, indexer)
    indexer.shutdown()


def start(qtbot: QtBot, watch: FolderWatch, folder: Path) -> None:
    with qtbot.waitSignal(watch.watch_started, timeout=WAIT_MS):
        watch.start(folder)


def text_of(folder: Path, path: str) -> str | None:
    reader = open_reader(cache_path_for(folder))
    assert reader is not None
    try:
        return queries.report_text(reader, path)
    finally:
        reader.close()


def hits(folder: Path, query: str) -> set[str]:
    reader = open_reader(cache_path_for(folder))
    assert reader is not None
    try:
        return {hit.report for hit in search(reader, query)}
    finally:
        reader.close()


def indexed(folder: Path) -> Path:
    cache, _summary = open_and_index(folder)
    cache.close()
    return folder


def small_reports(folder: Path, count: int) -> list[str]:
    """`count` small weekly reports in four team folders; the paths, sorted."""
    paths = []
    for n in range(count):
        team, week = ("alpha", "beta", "gamma", "delta")[n % 4], n // 4
        year, wk = 2000 + week // 52, week % 52 + 1
        path = f"{team}/{year}/{year}-W{wk:02}.md"
        full = folder / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(f"# {year}-W{wk:02}\n\n## 本周工作\n- 第{n}项：推进中\n", encoding="utf-8")
        paths.append(path)
    return sorted(paths)


# -- the watch and the change indexer together ---------------------------------------------------


def test_an_edit_to_the_last_of_5000_reports_reaches_the_cache(
    qtbot: QtBot, tmp_path: Path, watch: FolderWatch, follower: Follower
) -> None:
    folder = tmp_path / "reports"
    paths = small_reports(folder, 5000)
    indexed(folder)
    last = paths[-1]  # the newest week of the last team: past QFileSystemWatcher's 4,000 files
    start(qtbot, watch, folder)
    with (folder / last).open("a", encoding="utf-8") as handle:
        handle.write("- 新增：灰度回滚演练完成\n")
    qtbot.waitUntil(lambda: bool(follower.summaries), timeout=WAIT_MS)
    assert "灰度回滚演练" in (text_of(folder, last) or "")
    # Only the edited report was read again, not the folder.
    assert follower.reported() == {last}
    first = follower.summaries[0]
    assert (first.written, first.removed, first.moved, first.unchanged) == ([last], [], [], 0)
    assert hits(folder, "灰度回滚演练") == {last}


def test_created_and_deleted_reports_are_reflected_in_the_cache_and_search(
    qtbot: QtBot, seeds_copy: Path, watch: FolderWatch, follower: Follower
) -> None:
    indexed(seeds_copy)
    before = tree_snapshot(seeds_copy)
    start(qtbot, watch, seeds_copy)
    new = "# 2024-W35\n\n## 本周工作\n- 支付链路压测完成\n"
    (seeds_copy / "2024-W35.md").write_text(new, encoding="utf-8")
    qtbot.waitUntil(lambda: bool(follower.summaries), timeout=WAIT_MS)
    assert follower.written() == {"2024-W35.md"}
    assert hits(seeds_copy, "支付链路压测") == {"2024-W35.md"}
    assert hits(seeds_copy, "99.995%") == {"2024-W24.md"}
    (seeds_copy / "2024-W24.md").unlink()
    qtbot.waitUntil(lambda: any(s.removed for s in follower.summaries), timeout=WAIT_MS)
    assert [s.removed for s in follower.summaries if s.removed] == [["2024-W24.md"]]
    assert text_of(seeds_copy, "2024-W24.md") is None
    assert hits(seeds_copy, "99.995%") == set()
    # The cache changed; the folder holds exactly what the test wrote and nothing of the app's.
    del before["2024-W24.md"]
    after = tree_snapshot(seeds_copy)
    del after["2024-W35.md"]
    assert after == before


def test_an_edit_in_place_with_the_same_size_and_time_is_seen(
    qtbot: QtBot, seeds_copy: Path, watch: FolderWatch, follower: Follower
) -> None:
    indexed(seeds_copy)
    report = seeds_copy / "2024-W24.md"
    st = report.stat()
    text = report.read_text(encoding="utf-8")
    assert "99.995%" in text
    start(qtbot, watch, seeds_copy)
    with report.open("r+b") as handle:  # rewritten in place, not replaced: the same inode
        handle.write(text.replace("99.995%", "99.123%").encode("utf-8"))
    os.utime(report, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (report.stat().st_size, report.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    qtbot.waitUntil(lambda: bool(follower.summaries), timeout=WAIT_MS)
    assert follower.written() == {"2024-W24.md"}
    assert "99.123%" in (text_of(seeds_copy, "2024-W24.md") or "")
    assert hits(seeds_copy, "99.123%") == {"2024-W24.md"}


def test_a_folder_switch_stops_the_old_watch(qtbot: QtBot, tmp_path: Path, watch: FolderWatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    batches: list[list[str]] = []
    recorder = Recorder(batches)
    watch.paths_changed.connect(recorder.on_paths_changed)
    start(qtbot, watch, first)
    with qtbot.waitSignal(watch.watch_stopped, timeout=WAIT_MS) as stopped:
        start(qtbot, watch, second)
    assert stopped.args == [first]
    assert watch.folder == second
    (first / "2024-W01.md").write_text("# 2024-W01\n", encoding="utf-8")
    (second / "2024-W02.md").write_text("# 2024-W02\n", encoding="utf-8")
    qtbot.waitUntil(lambda: bool(batches), timeout=WAIT_MS)
    assert {path for batch in batches for path in batch} == {"2024-W02.md"}


def test_shutdown_ends_the_thread_and_later_starts_do_nothing(
    qtbot: QtBot, tmp_path: Path, watch: FolderWatch
) -> None:
    start(qtbot, watch, tmp_path)
    assert watch.running and watch.watching
    watch.shutdown()
    assert not watch.running and not watch.watching
    watch.start(tmp_path)
    assert watch.folder is None and not watch.running


def test_shutdown_leaves_no_thread_behind(qtbot: QtBot, tmp_path: Path) -> None:
    process = psutil.Process()

    def threads() -> set[int]:
        return {thread.id for thread in process.threads()}

    def children() -> set[int]:
        return {child.pid for child in process.children() if child.is_running()}

    before, others = threads(), children()
    watch = FolderWatch()
    start(qtbot, watch, tmp_path)
    assert len(threads() - before) >= 1  # the watch thread
    assert len(children() - others) == 1  # and notify's process, which sets up the watch without our GIL
    watch.shutdown()
    # Threads of earlier tests may end meanwhile; none started by this watch may remain.
    qtbot.waitUntil(lambda: not threads() - before, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not children() - others, timeout=WAIT_MS)


QUIT_WHILE_WATCHING = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from desktop.core.aliases import default_alias_table
from desktop.ui.change_indexer import ChangeIndexer
from desktop.ui.watch import FolderWatch

app = QCoreApplication(sys.argv)
folder = Path(sys.argv[1])
watch, indexer = FolderWatch(), ChangeIndexer(default_alias_table())
watch.watch_started.connect(app.quit)
watch.start(folder)
indexer.index(folder, ["2024-W24.md"])
sys.exit(app.exec())
"""


def test_quitting_while_watching_ends_both_threads_without_a_warning(seeds_copy: Path) -> None:
    # Nobody calls shutdown(): quitting the application is enough (a thread left running would make
    # Qt print a warning and abort the process on exit).
    done = subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_WATCHING, str(seeds_copy)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_a_folder_that_cannot_be_watched_says_so(qtbot: QtBot, tmp_path: Path, watch: FolderWatch) -> None:
    with qtbot.waitSignal(watch.watch_failed, timeout=WAIT_MS) as failed:
        watch.start(tmp_path / "missing")
    assert failed.args == [f"cannot watch {tmp_path / 'missing'}: the folder is gone"]
    assert not watch.watching
    start(qtbot, watch, tmp_path)  # and the next folder is watched as usual
    assert watch.watching


def test_a_folder_named_in_gbk_bytes_cannot_be_watched_and_says_so(
    qtbot: QtBot, tmp_path: Path, watch: FolderWatch
) -> None:
    folder = tmp_path / os.fsdecode("支付组".encode("gbk"))
    folder.mkdir()
    with qtbot.waitSignal(watch.watch_failed, timeout=WAIT_MS) as failed:
        watch.start(folder)
    assert failed.args[0].startswith(f"cannot watch {tmp_path}/支付组: its path is not UTF-8")


def test_held_batches_are_handed_over_together_on_release(
    qtbot: QtBot, tmp_path: Path, watch: FolderWatch
) -> None:
    batches: list[list[str]] = []
    recorder = Recorder(batches)
    watch.paths_changed.connect(recorder.on_paths_changed)
    start(qtbot, watch, tmp_path)
    watch.hold()  # as while a full index runs
    (tmp_path / "a.md").write_text("# a\n", encoding="utf-8")
    qtbot.waitUntil(lambda: watch.held_paths == 1, timeout=WAIT_MS)
    (tmp_path / "b.md").write_text("# b\n", encoding="utf-8")
    qtbot.waitUntil(lambda: watch.held_paths == 2, timeout=WAIT_MS)
    assert batches == []
    watch.release()
    assert batches == [["a.md", "b.md"]]


def test_a_folder_moved_in_and_away_is_indexed_and_forgotten(
    qtbot: QtBot, tmp_path: Path, watch: FolderWatch, follower: Follower
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "2024-W01.md").write_text("# 2024-W01\n", encoding="utf-8")
    indexed(folder)
    outside = tmp_path / "elsewhere" / "payments"
    small_reports(outside, 3)  # alpha/…, beta/…, gamma/…
    start(qtbot, watch, folder)
    shutil.move(outside, folder / "payments")  # one event for the folder, none for the files in it
    moved_in = {f"payments/{p}" for p in small_reports(tmp_path / "names", 3)}
    qtbot.waitUntil(lambda: follower.written() == moved_in, timeout=WAIT_MS)
    assert text_of(folder, "payments/alpha/2000/2000-W01.md") is not None
    shutil.move(folder / "payments", tmp_path / "gone")
    qtbot.waitUntil(lambda: any(s.removed for s in follower.summaries), timeout=WAIT_MS)
    assert [sorted(s.removed) for s in follower.summaries if s.removed] == [sorted(moved_in)]
    assert text_of(folder, "payments/alpha/2000/2000-W01.md") is None
    assert text_of(folder, "2024-W01.md") is not None


def test_a_name_in_gbk_bytes_asks_for_a_rescan_and_the_watch_goes_on(
    qtbot: QtBot, seeds_copy: Path, watch: FolderWatch, follower: Follower
) -> None:
    # notify cannot name such a file, so its change is lost to the watch: the whole folder is compared.
    start(qtbot, watch, seeds_copy)
    name = os.fsdecode("第43周周报".encode("gbk") + b".md")  # as a zip made on Chinese Windows holds it
    with qtbot.waitSignal(watch.rescan_needed, timeout=WAIT_MS):
        (seeds_copy / name).write_text("# 第43周\n", encoding="utf-8")
    assert watch.watching
    (seeds_copy / "2024-W35.md").write_text("# 2024-W35\n", encoding="utf-8")
    qtbot.waitUntil(lambda: "2024-W35.md" in follower.reported(), timeout=WAIT_MS)


class Recorder(QObject):
    def __init__(self, batches: list[list[str]]) -> None:
        super().__init__()
        self.batches = batches

    @Slot(list)
    def on_paths_changed(self, paths: list[str]) -> None:
        self.batches.append(paths)


def test_batches_that_arrive_during_a_run_are_indexed_together_after_it(
    qtbot: QtBot, seeds_copy: Path
) -> None:
    indexed(seeds_copy)
    indexer = ChangeIndexer(default_alias_table())
    summaries: list[PathsSummary] = []
    recorder = SummaryRecorder(summaries)
    indexer.paths_indexed.connect(recorder.on_paths_indexed)
    for name in ("2024-W17.md", "2024-W24.md", "2024-W34.md"):
        (seeds_copy / name).write_text(f"# {name}\n\n- 已改写\n", encoding="utf-8")
        indexer.index(seeds_copy, [name])
    assert indexer.busy
    qtbot.waitUntil(lambda: not indexer.busy, timeout=WAIT_MS)
    assert [s.written for s in summaries] == [["2024-W17.md"], ["2024-W24.md", "2024-W34.md"]]
    indexer.shutdown()


def test_a_folder_switch_drops_the_old_folders_results_and_a_gone_folder_fails(
    qtbot: QtBot, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    small_reports(first, 4)
    small_reports(second, 4)
    indexed(first)
    indexed(second)
    indexer = ChangeIndexer(default_alias_table())
    summaries: list[PathsSummary] = []
    recorder = SummaryRecorder(summaries)
    indexer.paths_indexed.connect(recorder.on_paths_indexed)
    (first / "2030-W01.md").write_text("# 2030-W01\n", encoding="utf-8")
    (second / "2030-W02.md").write_text("# 2030-W02\n", encoding="utf-8")
    indexer.index(first, ["2030-W01.md"])
    indexer.index(second, ["2030-W02.md"])  # another folder: the first one's run no longer counts
    qtbot.waitUntil(lambda: not indexer.busy, timeout=WAIT_MS)
    assert [s.written for s in summaries] == [["2030-W02.md"]]
    shutil.rmtree(second)
    with qtbot.waitSignal(indexer.index_failed, timeout=WAIT_MS) as failed:
        indexer.index(second, ["2030-W02.md"])
    assert "is gone" in failed.args[0] and str(second) in failed.args[0]
    indexer.shutdown()


class SummaryRecorder(QObject):
    def __init__(self, summaries: list[PathsSummary]) -> None:
        super().__init__()
        self.summaries = summaries

    @Slot(object)
    def on_paths_indexed(self, summary: PathsSummary) -> None:
        self.summaries.append(summary)


# -- what the watch lets through -----------------------------------------------------------------


def test_the_filter_passes_reports_and_folders_but_not_temp_files_or_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "notes.png").write_bytes(b"")
    keep = ReportFilter(tmp_path)
    added, modified, deleted = watchfiles.Change.added, watchfiles.Change.modified, watchfiles.Change.deleted

    def passes(change: watchfiles.Change, relpath: str) -> bool:
        return keep(change, str(tmp_path / relpath))

    assert passes(modified, "team/2024-W01.md")
    assert passes(added, "2024-W01.MARKDOWN") and passes(deleted, "周报.txt")
    assert passes(added, "team")  # a folder moved in brings reports of its own
    assert passes(deleted, "2024") and passes(deleted, "2024-W24 0123456789abcdef0123456789abcdef")
    for temp in ("2024-W01.md~", "#2024-W01.md#", "2024-W01.md.swp", "2024-W01.md.tmp", "4913",
                 "2024-W01.md___jb_tmp___", "2024-W01.md.kate-swp", "~$周报.md"):  # fmt: skip
        assert not passes(added, temp) and not passes(deleted, temp), temp
    assert not passes(modified, ".git/2024-W01.md") and not passes(modified, "team/.trash/a.md")
    assert not passes(modified, ".2024-W01.md")
    assert not passes(added, "team/notes.png") and not passes(deleted, "team/notes.png")
    assert not passes(modified, "../outside/2024-W01.md")
    assert not keep(modified, "/elsewhere/2024-W01.md")


# -- the incremental indexer on its own ----------------------------------------------------------

PAGE = "2024-W30 0123456789abcdef0123456789abcdef"


def test_a_page_added_and_removed_moves_its_sub_pages(seeds_copy: Path) -> None:
    sub = seeds_copy / PAGE / "风险跟踪 fedcba9876543210fedcba9876543210.md"
    sub.parent.mkdir()
    sub.write_text("# 风险跟踪\n\n- 供应商切换\n", encoding="utf-8")
    subpath = sub.relative_to(seeds_copy).as_posix()
    cache, _ = open_and_index(seeds_copy)
    try:
        # Without its page, the sub-page's folder reads as a team of its own.
        alone = (None, "2024-W30")
        assert _place(cache, subpath) == alone
        (seeds_copy / f"{PAGE}.md").write_text("# 2024-W30\n\n## 本周工作\n- 上线\n", encoding="utf-8")
        summary = index_paths(cache, [f"{PAGE}.md"])
        assert (summary.written, summary.moved) == ([f"{PAGE}.md"], [subpath])
        assert _place(cache, subpath) == (f"{PAGE}.md", None)
        (seeds_copy / f"{PAGE}.md").unlink()
        summary = index_paths(cache, [f"{PAGE}.md"])
        assert (summary.written, summary.removed, summary.moved) == ([], [f"{PAGE}.md"], [subpath])
        assert _place(cache, subpath) == alone
    finally:
        cache.close()


def _place(cache: object, path: str) -> tuple[str | None, str | None]:
    from desktop.store.cache import Cache

    assert isinstance(cache, Cache)
    row = queries.get_report_row(cache.db, path)
    assert row is not None
    return row.parent, row.team


def test_a_link_to_a_file_outside_the_folder_is_a_problem_not_a_report(tmp_path: Path) -> None:
    folder, outside = tmp_path / "reports", tmp_path / "secret.md"
    folder.mkdir()
    (folder / "2024-W01.md").write_text("# 2024-W01\n", encoding="utf-8")
    outside.write_text("# 机密\n\n- 不应被索引\n", encoding="utf-8")
    cache, _ = open_and_index(folder)
    try:
        (folder / "2024-W02.md").symlink_to(outside)
        summary = index_paths(cache, ["2024-W02.md"])
        assert (summary.written, summary.skipped) == ([], ["2024-W02.md"])
        assert search(cache.db, "不应被索引") == []
        assert [p.path for p in queries.problems(cache.db)] == ["2024-W02.md"]
    finally:
        cache.close()


def test_a_report_named_in_gbk_bytes_is_indexed_under_its_key(seeds_copy: Path) -> None:
    name = os.fsdecode("第43周周报".encode("gbk") + b".md")
    cache, _ = open_and_index(seeds_copy)
    try:
        (seeds_copy / name).write_text("# 第43周\n\n## 本周工作\n- 对账差异清零\n", encoding="utf-8")
        assert index_paths(cache, [name]).written == [path_key(name)]  # the name as the file system gives it
        assert {h.report for h in search(cache.db, "对账差异")} == {path_key(name)}
        (seeds_copy / name).unlink()
        assert index_paths(cache, [path_key(name)]).removed == [path_key(name)]  # or as the cache's key
    finally:
        cache.close()


def test_a_team_folder_deleted_takes_its_reports_and_nothing_else(tmp_path: Path) -> None:
    paths = small_reports(tmp_path, 8)
    cache, _ = open_and_index(tmp_path)
    try:
        shutil.rmtree(tmp_path / "alpha")
        summary = index_paths(cache, ["alpha"])
        assert summary.removed == [p for p in paths if p.startswith("alpha/")]
        left = {r.path for r in queries.list_reports(cache.db)}
        assert left == {p for p in paths if not p.startswith("alpha/")}
    finally:
        cache.close()


def test_paths_the_scanner_would_not_list_are_ignored(seeds_copy: Path) -> None:
    (seeds_copy / ".hidden").mkdir()
    (seeds_copy / ".hidden" / "2024-W01.md").write_text("# 2024-W01\n", encoding="utf-8")
    (seeds_copy / "notes.png").write_bytes(b"\x89PNG")
    cache, _ = open_and_index(seeds_copy)
    try:
        summary = index_paths(cache, [".hidden/2024-W01.md", "notes.png", "../x.md", "", "missing.md"])
        assert not summary.changed and not summary.needs_full_index
    finally:
        cache.close()


def test_a_cache_of_another_parser_or_alias_table_asks_for_a_full_index(seeds_copy: Path) -> None:
    cache = open_cache(seeds_copy)  # never indexed: no parser stamp yet
    try:
        summary = index_paths(cache, ["2024-W24.md"])
        assert summary.needs_full_index and not summary.changed
        assert queries.list_reports(cache.db) == []
    finally:
        cache.close()
