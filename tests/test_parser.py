"""The whole parser on the seeds and on anything at all."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.aliases import default_alias_table
from desktop.core.parser import _stem, parse_file, parse_text


def test_seed_reports_parse_into_weeks_sections_metrics_incidents_and_plans() -> None:
    aliases = default_alias_table()
    summary = {}
    for path in sorted(SEEDS.glob("*.md")):
        outcome = parse_file(SEEDS, path.name, aliases)
        assert outcome.report is not None, outcome.skip_reason
        r = outcome.report
        summary[path.name] = (r.label, r.date, r.iso_week, r.date_source, len(r.incidents), len(r.plans))
        assert all(m.section is not None for m in r.metrics if m.name == "入金有效成功率")
    assert summary == {
        "2024-W17.md": ("2024-W17", "2024-04-20", "2024-W16", "property", 1, 4),
        "2024-W24.md": ("2024-W24", "2024-06-14", "2024-W24", "property", 4, 4),
        "2024-W34.md": ("2024-W34", "2024-08-21", "2024-W34", "property", 3, 4),
        "第16周 2023-04-14.md": ("第16周", "2023-04-14", "2023-W15", "title", 2, 0),
        "第42周 2023-10-13.md": ("第42周", "2023-10-13", "2023-W41", "title", 4, 3),
    }


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_any_text_parses_without_raising(text: str) -> None:
    report = parse_text("x.md", text, aliases=default_alias_table())
    assert report.iso_week and report.date
    for section in report.sections:
        assert 1 <= section.first_line <= section.last_line <= section.end_line


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4000))
def test_any_bytes_on_disk_parse_or_skip(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "r.md").write_bytes(data)
        outcome = parse_file(Path(folder), "r.md", default_alias_table())
    assert (outcome.report is None) == (outcome.skip_reason is not None)


# Hostile long inputs: a run of one unit (spaces, digits, punctuation, openers) between ordinary
# text, as a fuzzer would not find on its own in a few thousand characters.
_RUN_UNITS = [
    " ",
    "9",
    "，",
    "：",
    "~",
    "|",
    "(",
    "[",
    "<a",
    "](",
    "*",
    "`",
    "#",
    "> ",
    "- ",
    "1\n-\n",
    "故障\n",
]
hostile_text = st.builds(
    lambda before, unit, count, after: before + unit * count + after,
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(_RUN_UNITS),
    st.integers(min_value=500, max_value=20_000),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
)


@settings(max_examples=60, deadline=None)
@given(hostile_text)
def test_hostile_long_runs_parse_and_render(text: str) -> None:
    from desktop.core.render import render_markdown

    report = parse_text("x.md", text, aliases=default_alias_table())  # directly: a bug must raise here
    assert all(len(m.text) <= 260 for m in report.metrics)
    assert render_markdown(text).endswith("</body></html>")


_NAME = st.text(st.sampled_from("ab.中 -_"), min_size=1, max_size=8).filter(lambda n: n not in (".", ".."))


@given(st.lists(_NAME, min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
def test_a_reports_stem_is_read_as_pathlib_reads_it(parts: list[str]) -> None:
    # The title of an untitled report and the README check both come from the stem.
    path = "/".join(parts)
    assert _stem(path) == PurePosixPath(path).stem
