"""The review store on its own: migrations keep data, backups roll, damage is survived, anchors follow."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from desktop.review import db as review_db
from desktop.review.anchors import ReportContent, ReportInfo, SectionInfo, similarity, sketch, text_hash
from desktop.review.db import BACKUPS_KEPT, ReviewDb, ReviewError
from desktop.review.exchange import ImportError_, export_data, import_data, read_export
from desktop.review.migrations import STEPS
from desktop.review.store import Note, ReviewStore


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    monkeypatch.setenv("WEEKLY_REVIEW_DATA_DIR", str(target))
    return target


FOLDER = Path("/reports")

BODY_A = "- 【贝易转】\n    1. 业务：省心租 617上线，北京地区618开始使用，计划7月初全国推广。\n"
BODY_B = "## 【生产事件】\n\n- 6月12日 10:05 支付网关超时，影响入金 12 分钟，已回滚。\n"
FILLER = "".join(f"第{i}项工作：完成接口联调与压测，输出复盘文档 {i * 7}。\n" for i in range(40))


def report(
    path: str = "2024-W24.md", *, extra: str = "", title_a: str = "【贝易转】"
) -> tuple[ReportInfo, ReportContent]:
    a = BODY_A.replace("【贝易转】", title_a)
    text = f"# 2024-W24\n\n{a}{FILLER}{extra}{BODY_B}"
    sections = [
        SectionInfo(
            0, title_a.strip("【】").replace("（", "").replace("）", ""), title_a, a + FILLER + extra
        ),
        SectionInfo(1, "生产事件", "【生产事件】", BODY_B),
    ]
    info = ReportInfo(path, "2024-W24", "2024-W24", "2024-06-14", None, f"digest-{hash(text)}")
    return info, ReportContent(text, sections)


def loader(*reports: tuple[ReportInfo, ReportContent]):  # type: ignore[no-untyped-def]
    table = {info.path: content for info, content in reports}

    def load(paths: list[str]) -> dict[str, ReportContent]:
        return {p: table[p] for p in paths if p in table}

    return load


def test_a_renamed_and_edited_report_keeps_its_notes_on_their_sections() -> None:
    store = ReviewStore()
    info, content = report()
    whole = store.add_note(FOLDER, info, content, "whole report")
    on_a = store.add_note(FOLDER, info, content, "on A", section=content.sections[0], follow_up=True)
    on_b = store.add_note(FOLDER, info, content, "on B", section=content.sections[1])

    # Moved, renamed, a line added, and section A retitled: the key changes, the quote still matches.
    moved = report("archive/old.md", extra="新增一行：补充说明。\n", title_a="【贝易转（C转）】")
    store.resolve(FOLDER, [moved[0]], loader(moved))
    notes = {n.id: n for n in store.notes(FOLDER)}
    assert {n.report for n in notes.values()} == {"archive/old.md"}
    assert notes[whole.id].section is None and not notes[whole.id].orphaned
    assert notes[on_a.id].section == "【贝易转（C转）】" and not notes[on_a.id].orphaned
    assert notes[on_b.id].section == "【生产事件】"
    assert notes[on_a.id].quote == on_a.quote  # the quote stays what the note was written against


def test_a_vanished_section_orphans_its_note_and_reattaching_brings_it_home() -> None:
    store = ReviewStore()
    info, content = report()
    note = store.add_note(FOLDER, info, content, "about the incident", section=content.sections[1])
    gone_section = ReportContent(content.text.replace(BODY_B, ""), content.sections[:1])
    edited = ReportInfo(info.path, info.label, info.title, info.date, None, "other-digest")
    store.resolve(FOLDER, [edited], loader((edited, gone_section)))
    [orphan] = store.notes(FOLDER)
    assert orphan.orphaned and orphan.quote == note.quote and orphan.text == "about the incident"

    back = store.reattach(note.id, FOLDER, edited, gone_section, gone_section.sections[0])
    assert not back.orphaned and back.section == "【贝易转】"


def test_an_edited_report_whose_text_cannot_be_read_is_placed_once_it_can() -> None:
    # The cache reads a report's text from its file, only while it is the version indexed: an
    # edited report may have no text for a moment. Its notes stay where they were, and the next
    # resolve, with the text, places them (here: the retitled section).
    store = ReviewStore()
    info, content = report()
    note = store.add_note(FOLDER, info, content, "on A", section=content.sections[0])
    edited = report(title_a="【贝易转（C转）】")
    store.resolve(FOLDER, [edited[0]], loader())  # no text to be had
    [kept] = store.notes(FOLDER)
    assert kept.section == "【贝易转】" and not kept.orphaned and kept.text == "on A"
    store.resolve(FOLDER, [edited[0]], loader(edited))
    [placed] = store.notes(FOLDER)
    assert placed.id == note.id and placed.section == "【贝易转（C转）】" and not placed.orphaned
    # And the report's fingerprint is that of the text read at last (what finds it once it moves).
    (kept,) = store.db.conn.execute("SELECT text_hash FROM reports").fetchone()
    assert kept == text_hash(edited[1].text)


def test_a_deleted_report_orphans_notes_but_keeps_them() -> None:
    store = ReviewStore()
    info, content = report()
    store.add_note(FOLDER, info, content, "kept")
    other = ReportInfo("other.md", "2024-W30", "completely different", "2024-07-26", None, "d2")
    store.resolve(FOLDER, [other], loader((other, ReportContent("无关的内容 " * 50, []))))
    [note] = store.notes(FOLDER)
    assert note.orphaned and note.report == "2024-W24.md" and note.text == "kept"
    # The report comes back: the note is at home again.
    store.resolve(FOLDER, [info, other], loader((info, content)))
    assert not store.notes(FOLDER)[0].orphaned


def test_the_json_listing_is_the_notes_as_json_for_every_kind_of_note() -> None:
    """`notes --json` reads its objects straight from the rows: the same as each Note's as_json()."""
    store = ReviewStore()
    info, content = report()
    other = ReportInfo("2024-W30.md", "2024-W30", "2024-W30", "2024-07-26", None, "d2")
    other_content = ReportContent("另一份周报 " * 50, [])
    store.add_note(FOLDER, info, content, "whole report")
    store.add_note(FOLDER, info, content, "on a section", section=content.sections[1], follow_up=True)
    closed = store.add_note(FOLDER, info, content, "closed", follow_up=True)
    store.set_closed(closed.id, True)
    store.delete_note(store.add_note(FOLDER, info, content, "deleted").id)
    store.add_note(FOLDER, other, other_content, "its report vanishes")
    # Text JSON must escape: quotes, backslashes, control characters; and text it must not (Chinese).
    store.add_note(FOLDER, info, content, 'say "why"\\ \t\x00\x1f\u2028 复盘\n下周 😀')
    store.resolve(FOLDER, [info], loader((info, content)))  # 2024-W30 is gone: orphaned
    for open_only in (False, True):
        expected = [n.as_json() for n in store.notes(FOLDER, open_only=open_only)]
        written = store.notes_json(FOLDER, open_only=open_only)
        assert json.loads(written) == expected
        # Byte for byte what the standard library writes in its compact form.
        assert written == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()
    listed = json.loads(store.notes_json(FOLDER))
    assert {n["text"] for n in listed if n["orphaned"]} == {"its report vanishes"}
    assert len(listed) == 5 and any(n["closed"] for n in listed)


def test_the_plain_listing_names_each_note_with_its_flags() -> None:
    """`notes` without --json: SQLite writes the lines; they are what each Note says, flags included."""
    store = ReviewStore()
    info, content = report()
    unlabelled = ReportInfo("misc/notes.md", None, "misc", "2024-07-26", None, "d3")
    store.add_note(FOLDER, info, content, "whole report")
    store.add_note(FOLDER, info, content, "问题：为什么？", section=content.sections[1], follow_up=True)
    closed = store.add_note(FOLDER, info, content, "closed one", follow_up=True)
    store.set_closed(closed.id, True)
    store.delete_note(store.add_note(FOLDER, info, content, "deleted").id)
    store.add_note(FOLDER, unlabelled, ReportContent("别的内容 " * 50, []), "two\nlines")
    store.resolve(FOLDER, [info], loader((info, content)))  # misc/notes.md is gone: orphaned

    def line(n: Note) -> str:
        flags = ("follow-up " if n.follow_up else "") + ("closed " if n.closed else "")
        flags += "ORPHANED " if n.orphaned else ""
        where = f"{n.report} [{n.section}]" if n.section else n.report
        return f"{n.id}  {n.label or '-'}  {where}  {flags}\n    {n.text}\n"

    for open_only in (False, True):
        notes = store.notes(FOLDER, open_only=open_only)
        assert store.notes_text(FOLDER, open_only=open_only).decode() == "".join(line(n) for n in notes)
    listing = store.notes_text(FOLDER).decode()
    assert "deleted" not in listing and len(store.notes(FOLDER)) == 4
    assert f"{closed.id}  2024-W24  2024-W24.md  follow-up closed \n    closed one\n" in listing
    assert "  -  misc/notes.md  ORPHANED \n    two\nlines\n" in listing
    assert "  2024-W24  2024-W24.md [【生产事件】]  follow-up \n    问题：为什么？\n" in listing
    assert store.notes_text(Path("/elsewhere")) == b""


def test_sketches_tell_small_edits_from_other_reports() -> None:
    base = FILLER + BODY_A
    assert similarity(sketch(base), sketch(base + "一个小改动。")) > 0.8
    assert similarity(sketch(base), sketch("完全不同的另一份周报，" * 30)) < 0.1


def test_delete_then_restore_brings_the_note_back() -> None:
    store = ReviewStore()
    info, content = report()
    note = store.add_note(FOLDER, info, content, "to delete", follow_up=True)
    store.delete_note(note.id)
    assert store.notes(FOLDER) == []
    assert [n.id for n in store.notes(FOLDER, deleted=True)] == [note.id]
    store.restore_note(note.id)
    assert [n.text for n in store.notes(FOLDER)] == ["to delete"]


def test_follow_ups_of_earlier_reports_of_the_same_team() -> None:
    store = ReviewStore()
    info, content = report()
    asked = store.add_note(FOLDER, info, content, "ask", follow_up=True)
    store.add_note(FOLDER, info, content, "plain note")
    assert [n.id for n in store.open_follow_ups(FOLDER, None, "2024-06-21")] == [asked.id]
    assert store.open_follow_ups(FOLDER, None, "2024-06-14", path="2024-W24.md") == []
    assert store.open_follow_ups(FOLDER, "team b", "2024-06-21") == []
    store.set_closed(asked.id, True)
    assert store.open_follow_ups(FOLDER, None, "2024-06-21") == []
    assert store.notes(FOLDER, open_only=True) == []


def test_read_marks_say_when_the_text_changed() -> None:
    store = ReviewStore()
    info, content = report()
    store.mark_read(FOLDER, info, content)
    assert store.read_states(FOLDER)["2024-W24.md"].changed is False
    # Only line ends changed: the normalized text is the same, so this is not news.
    resaved = ReportInfo(info.path, info.label, info.title, info.date, None, "crlf-digest")
    store.resolve(
        FOLDER,
        [resaved],
        loader((resaved, ReportContent(content.text.replace("\n", "\r\n"), content.sections))),
    )
    assert store.read_states(FOLDER)["2024-W24.md"].changed is False
    edited = report(extra="本周新增：一条重要更新。\n")
    store.resolve(FOLDER, [edited[0]], loader(edited))
    assert store.read_states(FOLDER)["2024-W24.md"].changed is True
    store.mark_unread(FOLDER, "2024-W24.md")
    assert store.read_states(FOLDER) == {}


def _v1_database(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    STEPS[0](conn)
    conn.execute("INSERT INTO meta VALUES ('app', 'weekly-review-review'), ('schema_version', '1')")
    conn.executemany(
        "INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("n1", str(FOLDER), "2024-W24.md", None, "", "whole", 0, "2024-06-17T09:00:00+00:00", None),
            (
                "n2",
                str(FOLDER),
                "2024-W24.md",
                "【生产事件】",
                BODY_B[:50],
                "why?",
                1,
                "2024-06-17T09:01:00+00:00",
                None,
            ),
            (
                "n3",
                str(FOLDER),
                "2024-W17.md",
                None,
                "",
                "old",
                1,
                "2024-04-29T09:00:00+00:00",
                "2024-05-06T09:00:00+00:00",
            ),
        ],
    )
    conn.execute(
        "INSERT INTO reads VALUES (?, ?, ?, ?)",
        (str(FOLDER), "2024-W24.md", "2024-06-17T08:59:00+00:00", None),
    )
    conn.close()


def test_a_version_1_database_opens_with_everything_in_it(_data_dir: Path) -> None:
    _data_dir.mkdir()
    _v1_database(_data_dir / "review.sqlite")
    store = ReviewStore()
    assert store.messages == ["review database upgraded from schema 1 to 5"]  # through every step
    notes = {n.id: n for n in store.notes(FOLDER)}
    assert set(notes) == {"n1", "n2", "n3"}
    assert (notes["n2"].section, notes["n2"].section_key, notes["n2"].follow_up) == (
        "【生产事件】",
        "生产事件",
        True,
    )
    assert notes["n3"].closed == "2024-05-06T09:00:00+00:00"
    assert notes["n1"].created == "2024-06-17T09:00:00+00:00"
    assert store.read_states(FOLDER)["2024-W24.md"].read_at == "2024-06-17T08:59:00+00:00"
    # A copy as it was before the upgrade is kept.
    assert list((_data_dir / "backups").glob("before-v5-*.sqlite"))
    # After resolving against the current report, the migrated notes are anchored for real.
    info, content = report()
    store.resolve(FOLDER, [info], loader((info, content)))
    notes = {n.id: n for n in store.notes(FOLDER)}
    assert not notes["n2"].orphaned and notes["n3"].orphaned  # 2024-W17 is not in the folder
    store.close()
    assert ReviewStore().messages == []  # migrated once


def test_one_backup_a_day_and_the_last_fourteen_kept(
    _data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ReviewStore()
    info, content = report()
    day = dt.date(2024, 6, 1)

    class FakeDate(dt.date):
        @classmethod
        def today(cls) -> FakeDate:
            return cls(day.year, day.month, day.day)

    monkeypatch.setattr(review_db.dt, "date", FakeDate)
    for n in range(20):
        day = dt.date(2024, 6, 1) + dt.timedelta(days=n)
        store.add_note(FOLDER, info, content, f"day {n}")
        store.add_note(FOLDER, info, content, f"day {n}, again")
    backups = sorted(p.name for p in (_data_dir / "backups").glob("review-*.sqlite"))
    assert len(backups) == BACKUPS_KEPT
    assert backups[0] == "review-2024-06-07.sqlite" and backups[-1] == "review-2024-06-20.sqlite"
    # The backup of a day holds everything written before that day's first write.
    copy = sqlite3.connect(_data_dir / "backups" / "review-2024-06-20.sqlite")
    assert copy.execute("SELECT count(*) FROM notes").fetchone()[0] == 38
    copy.close()


def test_a_damaged_database_is_moved_aside_and_the_newest_backup_restored(_data_dir: Path) -> None:
    store = ReviewStore()
    info, content = report()
    store.add_note(FOLDER, info, content, "before the backup")  # the day's backup is taken before this
    store.add_note(FOLDER, info, content, "second")
    store.close()
    # The day's backup was taken before the first note; make one that holds both (as tomorrow's would).
    db = ReviewDb()
    db._backup(_data_dir / "backups" / "review-2099-01-01.sqlite")
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(str(_data_dir / "review.sqlite") + suffix).unlink(missing_ok=True)
    damaged = _data_dir / "review.sqlite"
    data = bytearray(damaged.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page's b-tree
    damaged.write_bytes(bytes(data))

    store = ReviewStore()
    [message] = store.messages
    assert "damaged" in message and "review-2099-01-01" in message
    assert sorted(n.text for n in store.notes(FOLDER)) == ["before the backup", "second"]
    [aside] = _data_dir.glob("review.damaged-*.sqlite")
    assert aside.read_bytes() == bytes(data)  # kept as it was, never discarded


def test_damage_in_a_later_page_is_found_after_openings_that_skipped_the_check(
    _data_dir: Path,
) -> None:
    """An opening trusts the files only while they are as the app left them; written since, it checks."""
    import os

    store = ReviewStore()
    info, content = report()
    for n in range(40):
        store.add_note(FOLDER, info, content, f"note {n} " + "长" * 300)
    store.close()
    for _ in range(2):  # unchanged since the last check: these openings do not read the whole file
        store = ReviewStore()
        assert len(store.notes(FOLDER)) == 40
        store.close()
    path = _data_dir / "review.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    assert len(data) >= 4 * 4096
    data[-4096:] = b"\xff" * 4096  # the last page (of notes, which opening does not read), not the first
    before = path.stat()
    path.write_bytes(bytes(data))
    # Another program writing later (not within the file system's clock tick of the app's close).
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))

    store = ReviewStore()
    assert any("damaged" in m for m in store.messages)
    [aside] = _data_dir.glob("review.damaged-*.sqlite")
    assert aside.read_bytes() == bytes(data)
    store.close()


def test_a_foreign_file_in_place_of_the_database_is_kept(_data_dir: Path) -> None:
    _data_dir.mkdir()
    (_data_dir / "review.sqlite").write_bytes(b"not a database at all" * 100)
    store = ReviewStore()
    assert "no backup" in store.messages[0]
    assert (next(_data_dir.glob("review.damaged-*.sqlite"))).read_bytes() == b"not a database at all" * 100
    assert store.notes(FOLDER) == []


def test_a_newer_schema_is_refused_not_touched(_data_dir: Path) -> None:
    ReviewStore().close()
    conn = sqlite3.connect(_data_dir / "review.sqlite")
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(ReviewError, match="newer"):
        ReviewStore()


def test_export_and_import_merge_without_duplicates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ReviewStore()
    info, content = report()
    note = store.add_note(FOLDER, info, content, "exported", section=content.sections[1], follow_up=True)
    store.mark_read(FOLDER, info, content)
    data = export_data(store, FOLDER)
    store.close()

    monkeypatch.setenv("WEEKLY_REVIEW_DATA_DIR", str(tmp_path / "elsewhere"))
    other = ReviewStore()
    assert import_data(other, FOLDER, data) == {"added": 1, "updated": 0, "reads": 1}
    assert import_data(other, FOLDER, data) == {"added": 0, "updated": 0, "reads": 0}
    [copy] = other.notes(FOLDER)
    assert copy == note
    # A later edit wins over the older exported version, in either order.
    other.edit_note(note.id, text="edited later")
    import_data(other, FOLDER, data)
    assert other.notes(FOLDER)[0].text == "edited later"


def test_a_corrupt_export_is_refused_whole(tmp_path: Path) -> None:
    store = ReviewStore()
    info, content = report()
    store.add_note(FOLDER, info, content, "one")
    good = export_data(store, FOLDER)
    bad = tmp_path / "bad.json"
    import json

    broken = {**good, "notes": [*good["notes"], {**good["notes"][0], "id": "x", "created": 5}]}
    bad.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ImportError_, match="created"):
        read_export(bad)
    bad.write_text('{"app": "weekly-review", "version": 1, "notes": [', encoding="utf-8")
    with pytest.raises(ImportError_):
        read_export(bad)


def test_the_notes_are_listed_in_index_order_without_a_sort() -> None:
    """Listing 10,000 notes sorts nothing: schema 4's indexes give the listing's order."""
    from desktop.review import store as store_module

    store = ReviewStore()
    info, content = report()
    store.add_note(FOLDER, info, content, "one")
    for open_only in (False, True):
        where, params = store_module._notes_where(FOLDER, None, open_only, False)
        plan = store.db.conn.execute(
            "EXPLAIN QUERY PLAN SELECT n.id FROM notes n JOIN reports r ON r.id = n.report_id"
            f" WHERE {where} {store_module._NOTE_ORDER}",
            params,
        ).fetchall()
        assert not [step for step in plan if "TEMP B-TREE" in str(step[-1])], plan


def _listings_agree(store: ReviewStore) -> None:
    """Both listings, read from the parts schema 5 keeps written, say what the notes say now."""
    for open_only in (False, True):
        notes = store.notes(FOLDER, open_only=open_only)
        expected = [n.as_json() for n in notes]
        assert (
            store.notes_json(FOLDER, open_only=open_only)
            == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()
        )
        lines = []
        for n in notes:
            flags = ("follow-up " if n.follow_up else "") + ("closed " if n.closed else "")
            flags += "ORPHANED " if n.orphaned else ""
            where = f"{n.report} [{n.section}]" if n.section else n.report
            lines.append(f"{n.id}  {n.label or '-'}  {where}  {flags}\n    {n.text}\n")
        assert store.notes_text(FOLDER, open_only=open_only).decode() == "".join(lines)


def test_the_listings_parts_follow_every_change_from_a_version_4_database(_data_dir: Path) -> None:
    """Schema 5 keeps each note's and report's share of the listings: migrated, then kept by SQLite."""
    _data_dir.mkdir()
    path = _data_dir / "review.sqlite"
    _v1_database(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executemany(  # enough notes that the old table's pages are most of the file
        "INSERT INTO notes VALUES (?, ?, '2024-W24.md', NULL, '', ?, 0, ?, NULL)",
        [
            (f"bulk{i:03}", str(FOLDER), f"备注 {i} " * 300, f"2024-06-18T09:{i // 60:02}:{i % 60:02}+00:00")
            for i in range(100)
        ],
    )
    for step in STEPS[1:4]:
        step(conn)
    conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    conn.close()
    store = ReviewStore()
    assert store.messages == ["review database upgraded from schema 4 to 5"]
    assert len(store.notes(FOLDER)) == 103
    # The old table's pages were given back after the upgrade.
    assert store.db.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    _listings_agree(store)  # the parts of the notes the migration carried
    info, content = report()
    store.resolve(FOLDER, [info], loader((info, content)))  # 2024-W17 is gone: its note orphaned
    _listings_agree(store)
    note = store.add_note(FOLDER, info, content, 'a "quote"\\ \t 复盘', section=content.sections[1])
    _listings_agree(store)
    store.edit_note(note.id, text="改过的\n文字", follow_up=True)
    _listings_agree(store)
    store.set_closed(note.id, True)
    _listings_agree(store)
    store.reattach(note.id, FOLDER, info, content, content.sections[0])
    _listings_agree(store)
    # Renamed, with a new label: every note of the report follows in both listings.
    moved = ReportInfo("archive/june.md", "W24 (june)", info.title, info.date, None, info.digest)
    store.resolve(FOLDER, [moved], loader((moved, content)))
    assert {n["report"] for n in json.loads(store.notes_json(FOLDER)) if not n["orphaned"]} == {
        "archive/june.md"
    }
    _listings_agree(store)
    store.delete_note(note.id)
    _listings_agree(store)
