"""Which week a report is: desktop.core.dates."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.dates import DateInfo, iso_week_label, resolve_date

SEEDS = Path(__file__).parent.parent / "seeds"
CORPUS = Path(__file__).parent.parent.parent / "shared" / "corpora" / "rustc-perf-triage"
NOTION_ID = "0123456789abcdef0123456789abcdef"
D = datetime.date


def noon(day: datetime.date) -> float:
    # Local noon, so the mtime's local date is `day` in any time zone.
    return datetime.datetime(day.year, day.month, day.day, 12).timestamp()


MTIME = noon(D(2019, 3, 3))  # a Sunday far from every date below, so a stray fallback shows


def resolve(title: str = "Weekly report", lines: tuple[str, ...] = (), relpath: str = "notes.md") -> DateInfo:
    return resolve_date(title, [f"# {title}", "", *lines], relpath, MTIME)


def title_of(path: Path, lines: list[str]) -> str:
    heading = next((line[2:].strip() for line in lines if line.startswith("# ")), None)
    return heading or path.stem.removesuffix(NOTION_ID).strip()


def test_iso_week_label() -> None:
    assert iso_week_label(D(2024, 6, 14)) == "2024-W24"
    assert iso_week_label(D(2024, 1, 5)) == "2024-W01"
    assert iso_week_label(D(2021, 1, 1)) == "2020-W53"  # the ISO year, not the calendar year


@pytest.mark.parametrize(
    ("title", "expected", "label"),
    [
        ("第42周 2023-10-13", D(2023, 10, 13), "第42周"),
        ("第16周 2023/04/14", D(2023, 4, 14), "第16周"),
        ("Weekly Report — Week 35 (2024-08-30)", D(2024, 8, 30), "Week 35"),
        ("周报 2024.06.14", D(2024, 6, 14), None),
        ("2024年6月14日 周报", D(2024, 6, 14), None),
        ("Status, August 30, 2024", D(2024, 8, 30), None),
        ("Status 30 Aug 2024", D(2024, 8, 30), None),
    ],
)
def test_title_dates(title: str, expected: datetime.date, label: str | None) -> None:
    info = resolve(title, ("Created: 2024年1月3日 10:00",))  # the title outranks the property
    assert (info.date, info.source, info.label, info.guessed, info.warnings) == (
        expected,
        "title",
        label,
        False,
        (),
    )


def test_front_matter_date_outranks_properties() -> None:
    lines = ["---", "title: x", 'date: "2024-06-12"', "---", "Created: 2024年1月3日", "Date: 2024-01-04"]
    info = resolve_date("Notes", lines, "notes.md", MTIME)
    assert (info.date, info.source) == (D(2024, 6, 12), "front_matter")


def test_front_matter_week_gives_its_friday_and_label() -> None:
    info = resolve_date("Notes", ["---", "week: 2024-W24", "---", "", "text"], "notes.md", MTIME)
    assert (info.date, info.source, info.label, info.warnings) == (
        D(2024, 6, 14),
        "front_matter",
        "2024-W24",
        (),
    )


def test_unclosed_front_matter_is_a_rule_not_metadata() -> None:
    # Without a closing `---` the block is ordinary text, so `date:` counts only as a header line.
    info = resolve_date("Notes", ["---", "date: 2024-06-12", "Created: 2024年1月3日"], "notes.md", MTIME)
    assert (info.date, info.source) == (D(2024, 1, 3), "property")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Created: 2024年6月14日 17:49", D(2024, 6, 14)),
        ("Created: August 9, 2024 5:30 PM", D(2024, 8, 9)),
        ("Created time: Aug 9, 2024 5:30 PM", D(2024, 8, 9)),
        ("Created Time：2024年8月9日 17:30", D(2024, 8, 9)),
        ("创建时间: 2024年6月14日 17:49", D(2024, 6, 14)),
        ("创建时间：2024年6月14日", D(2024, 6, 14)),
        ("Date: June 14, 2024", D(2024, 6, 14)),
        ("日期：2024年6月14日", D(2024, 6, 14)),
    ],
)
def test_notion_properties(line: str, expected: datetime.date) -> None:
    info = resolve(lines=(line, "", "Date: 2024-01-04"))  # a property outranks a header line
    assert (info.date, info.source, info.guessed, info.warnings) == (expected, "property", False, ())


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date: 2024-06-12", D(2024, 6, 12)),
        ("日期：2024-06-12", D(2024, 6, 12)),
        ("**Date:** 2024/06/12", D(2024, 6, 12)),
        ("Week of 2024-06-10", D(2024, 6, 10)),
        ("Report date: 2024-06-12", D(2024, 6, 12)),
        ("报告日期：20240612", D(2024, 6, 12)),
        ("## 2020-07-07", D(2020, 7, 7)),
    ],
)
def test_header_lines(line: str, expected: datetime.date) -> None:
    info = resolve(lines=("Intro text", line), relpath="2023-01-06.md")  # a header outranks the file name
    assert (info.date, info.source, info.warnings) == (expected, "header", ())


def test_only_the_top_lines_outside_code_fences_are_scanned() -> None:
    fenced = resolve(lines=("```yaml", "Created: 2024年6月14日", "```"), relpath="2024-06-01.md")
    assert (fenced.date, fenced.source) == (D(2024, 6, 1), "filename")
    deep = resolve(lines=(*["text"] * 50, "Created: 2024年6月14日"))
    assert (deep.source, deep.guessed) == ("mtime", True)


@pytest.mark.parametrize(
    ("title", "expected", "label"),
    [
        ("2024-W24", D(2024, 6, 14), "2024-W24"),
        ("周报 2024W24", D(2024, 6, 14), "2024W24"),
        ("2024年第30周", D(2024, 7, 26), "2024年第30周"),
        # 第N周 counts from the week holding 1 January: 2023's week 16 ends 14 April (ISO week 15).
        ("2023年第16周", D(2023, 4, 14), "2023年第16周"),
    ],
)
def test_week_labels_resolve_to_friday(title: str, expected: datetime.date, label: str) -> None:
    info = resolve(title, relpath="2019-01-01.md")  # a label outranks the file name
    assert (info.date, info.source, info.label, info.warnings) == (expected, "week_label", label, ())


@pytest.mark.parametrize(
    ("title", "lines", "relpath", "expected", "label"),
    [
        ("Week 35", (), "reports/2024/notes.md", D(2024, 8, 30), "Week 35"),
        ("Status", ("W35",), "2024/notes.md", D(2024, 8, 30), "W35"),
        ("第16周", (), "team/2023/周报.md", D(2023, 4, 14), "第16周"),
        ("周报", ("**第42周**",), "2023年/周报.md", D(2023, 10, 13), "第42周"),
        # The year comes from the file name's date; near New Year the closest Friday wins.
        ("Week 52", (), "2025-01-02 notes.md", D(2024, 12, 27), "Week 52"),
        ("Status", (), f"2024-W24 {NOTION_ID}.md", D(2024, 6, 14), "2024-W24"),
    ],
)
def test_yearless_and_other_labels(
    title: str, lines: tuple[str, ...], relpath: str, expected: datetime.date, label: str
) -> None:
    info = resolve(title, lines, relpath)
    assert (info.date, info.source, info.label, info.warnings) == (expected, "week_label", label, ())


def test_yearless_label_takes_the_year_from_mtime_with_a_warning() -> None:
    info = resolve_date("第42周", [], "周报.md", noon(D(2023, 10, 20)))
    assert (info.date, info.source, info.guessed) == (D(2023, 10, 13), "week_label", False)
    assert info.warnings == ("the year of week label 第42周 was taken from the file's modification time",)


def test_week_mentions_in_lists_and_prose_are_not_labels() -> None:
    info = resolve(lines=("- 进入第2周灰度", "| W3 | done |", "x" * 90 + " Week 3"), relpath="2024-06-14.md")
    assert (info.label, info.date, info.source) == (None, D(2024, 6, 14), "filename")


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("2020-07-14.md", D(2020, 7, 14)),
        ("2025/2025-06-17.md", D(2025, 6, 17)),
        ("team/2024_06_14.md", D(2024, 6, 14)),
        ("20240614.md", D(2024, 6, 14)),
        ("2024年6月14日 周报.md", D(2024, 6, 14)),
        ("team-a/2024-06-14/notes.md", D(2024, 6, 14)),
        (f"Team {NOTION_ID}/2024.06.14 {NOTION_ID}.md", D(2024, 6, 14)),
        ("win\\2024-06-14\\notes.md", D(2024, 6, 14)),
    ],
)
def test_file_and_folder_names(relpath: str, expected: datetime.date) -> None:
    info = resolve(lines=("Nothing dated here.",), relpath=relpath)
    assert (info.date, info.source, info.guessed, info.warnings) == (expected, "filename", False, ())


def test_notion_id_is_not_read_as_a_date() -> None:
    fake_id = "20240614" + "a" * 24  # without stripping, its digits would read as 2024-06-14
    info = resolve(relpath=f"Notes {fake_id}.md")
    assert (info.source, info.date) == ("mtime", D(2019, 3, 3))


def test_mtime_fallback_is_guessed() -> None:
    info = resolve_date("Notes", ["plain text"], "notes.md", noon(D(2024, 6, 15)))
    assert info == DateInfo(
        D(2024, 6, 15),
        "mtime",
        None,
        True,
        ("no date found in the report; using the file's modification time",),
    )


@pytest.mark.parametrize("mtime", [float("nan"), float("inf"), -float("inf"), 1e300])
def test_unusable_mtime_does_not_raise(mtime: float) -> None:
    info = resolve_date("Notes", [], "notes.md", mtime)
    assert (info.date, info.source, info.guessed) == (D(1970, 1, 1), "mtime", True)
    assert "unusable" in info.warnings[0]


@pytest.mark.parametrize(
    "title",
    [
        "2024-13-01 review",
        "2023-02-30",
        "2023年2月29日",
        "February 30, 2024",
        "20241301",
        "1899-06-14",
        "2101-01-07",
    ],
)
def test_impossible_dates_are_skipped(title: str) -> None:
    info = resolve(title, ("Date: 2024-06-12",))
    assert (info.date, info.source, info.warnings) == (D(2024, 6, 12), "header", ())


def test_next_candidate_after_an_impossible_date() -> None:
    info = resolve("2024-02-30 draft, final 2024-03-01", ())
    assert (info.date, info.source) == (D(2024, 3, 1), "title")


def test_iso_label_must_match_the_iso_week() -> None:
    info = resolve("2024-W17", ("Created: 2024年4月20日 09:27",))
    assert info.warnings == ("week label 2024-W17 does not match the date 2024-04-20 (2024-W16)",)
    # 2023-04-14 is Jan-1 week 16 but ISO week 15: fine for 第16周, not for W16.
    assert resolve("2023-W16 2023-04-14").warnings == (
        "week label 2023-W16 does not match the date 2023-04-14 (2023-W15)",
    )


@pytest.mark.parametrize(
    ("title", "warned"),
    [
        ("第16周 2023-04-14", False),  # Jan-1 week 16, ISO week 15
        ("第15周 2023-04-14", False),  # ISO week 15
        ("第17周 2023-04-14", True),
        ("2022年第16周 2023-04-14", True),  # right week, wrong year
        ("第1周 2024-12-31", False),  # the week holding 1 January 2025
        ("第53周 2024-12-31", False),  # ... which is also 2024's 53rd Jan-1 week
    ],
)
def test_chinese_label_matches_iso_or_jan1_week(title: str, warned: bool) -> None:
    info = resolve(title)
    assert info.source == "title"
    assert bool(info.warnings) == warned
    if warned:
        assert info.warnings[0].startswith(f"week label {info.label} does not match the date")


def test_invalid_week_label_is_reported_and_skipped() -> None:
    info = resolve("2023-W53", relpath="2023-12-29.md")  # 2023 has 52 ISO weeks
    assert (info.date, info.source, info.label) == (D(2023, 12, 29), "filename", "2023-W53")
    assert info.warnings == ("week label 2023-W53 is not a valid week",)


SEED_EXPECTED = {
    "2024-W17.md": (D(2024, 4, 20), "property", "2024-W17", 1),
    "2024-W24.md": (D(2024, 6, 14), "property", "2024-W24", 0),
    "2024-W34.md": (D(2024, 8, 21), "property", "2024-W34", 0),
    "第16周 2023-04-14.md": (D(2023, 4, 14), "title", "第16周", 0),
    "第42周 2023-10-13.md": (D(2023, 10, 13), "title", "第42周", 0),
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seeds(name: str) -> None:
    path = SEEDS / name
    lines = path.read_text(encoding="utf-8").splitlines()
    info = resolve_date(title_of(path, lines), lines, name, path.stat().st_mtime)
    assert (info.date, info.source, info.label, len(info.warnings)) == SEED_EXPECTED[name]
    assert not info.guessed


@pytest.mark.corpus
def test_rustc_perf_corpus_is_dated() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    paths = sorted(CORPUS.rglob("*.md"))
    assert len(paths) > 100
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        info = resolve_date(title_of(path, lines), lines, path.relative_to(CORPUS).as_posix(), 0.0)
        assert not info.guessed, path
        assert 2019 <= info.date.year <= 2027, path


_TOKENS = st.sampled_from(
    ["2024", "-W", "W", "第", "周", "年", "月", "日", "-", "/", ".", "13", "30", "02", "53", "0", "Created:",
     "Date：", "Week of ", "---", "```", "# ", "- ", " ", "August ", "Feb ", "9999", NOTION_ID]
)  # fmt: skip
_DATEISH = st.lists(_TOKENS, max_size=12).map("".join)


@given(
    title=st.text() | _DATEISH,
    lines=st.lists(st.text() | _DATEISH, max_size=50),
    relpath=st.text() | _DATEISH,
    mtime=st.floats(),
)
def test_never_raises(title: str, lines: list[str], relpath: str, mtime: float) -> None:
    info = resolve_date(title, lines, relpath, mtime)
    assert info.source in {"title", "front_matter", "property", "header", "week_label", "filename", "mtime"}
    assert info.guessed == (info.source == "mtime")
    assert (
        info.label is None
        or info.label in title
        or any(info.label in line for line in lines)
        or (info.label in relpath)
    )


def test_huge_lines_are_cheap() -> None:
    line = "2024-" * 400_000
    info = resolve_date(line, [line] * 1000, line + ".md", MTIME)
    assert info.source == "mtime"


_FORMATS = ["{d:%Y-%m-%d}", "{d:%Y/%m/%d}", "{d:%Y.%m.%d}", "{d:%Y%m%d}", "{d.year}年{d.month}月{d.day}日"]
_FORMATS += ["{name} {d.day}, {d.year}", "{d.day} {name:.3} {d.year}"]  # not %B: Qt may set a locale
_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July"]
_MONTH_NAMES += ["August", "September", "October", "November", "December"]


@given(day=st.dates(D(1990, 1, 1), D(2100, 12, 31)), fmt=st.sampled_from(_FORMATS))
def test_every_title_format_round_trips(day: datetime.date, fmt: str) -> None:
    info = resolve_date(f"周报 {fmt.format(d=day, name=_MONTH_NAMES[day.month - 1])}", [], "notes.md", MTIME)
    assert (info.date, info.source) == (day, "title")


@given(day=st.dates(D(1990, 1, 8), D(2100, 12, 24)))
def test_week_labels_round_trip_to_their_friday(day: datetime.date) -> None:
    iso = resolve_date(iso_week_label(day), [], "notes.md", MTIME)
    assert iso.date == day + datetime.timedelta(days=4 - day.weekday())
    assert (iso.source, iso.warnings) == ("week_label", ())
    jan1 = D(day.year, 1, 1)
    week = (day - (jan1 - datetime.timedelta(days=jan1.weekday()))).days // 7 + 1
    cn = resolve_date(f"{day.year}年第{week}周", [], "notes.md", MTIME)
    assert cn.date == day + datetime.timedelta(days=4 - day.weekday())
    assert (cn.source, cn.warnings) == ("week_label", ())
