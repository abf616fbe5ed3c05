"""The Monday overview and its digest: teams, missing weeks, alerts, incidents, plans, silent topics."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import tree_snapshot
from overview_folder import LAST, SILENT_TOPIC, STUCK_ITEM, write_target_table, write_teams

from desktop.cli import main
from desktop.core.digest import to_html, to_json, to_markdown
from desktop.core.overview import (
    MetricPoint,
    Overview,
    OverviewData,
    ReportRef,
    build_overview,
    same_item,
)
from desktop.core.teams import is_period, missing_weeks, report_week, team_of_path


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(args, out), out.getvalue()


def digest(folder: Path, *extra: str) -> dict[str, Any]:
    code, out = run(["digest", str(folder), *extra])
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.fixture
def teams(tmp_path: Path) -> Path:
    write_target_table(Path(os.environ["WEEKLY_REVIEW_CONFIG_DIR"]))
    return write_teams(tmp_path)


# --- Teams and weeks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "team"),
    [
        ("alpha/2024/2024-W30.md", "alpha"),  # a team's own year folder belongs to it
        ("alpha/2024-06/x.md", "alpha"),
        ("2024/x.md", "root"),
        ("2024年/x.md", "root"),
        ("2024-06/x.md", "root"),
        ("2024-W34/x.md", "root"),
        ("第34周/x.md", "root"),
        ("x.md", "root"),  # a root report in a folder with teams: the root's own team
        ("Payments 0123456789abcdef0123456789abcdef/x.md", "Payments"),
    ],
)
def test_teams_are_top_level_folders_that_are_not_periods(path: str, team: str) -> None:
    assert team_of_path(path, "root") == team


def test_a_sub_page_goes_with_its_page() -> None:
    assert team_of_path("misc/page/sub.md", "root", parent="beta/2024-W30.md") == "beta"
    assert is_period("2024年6月") and is_period("Q3") and not is_period("risk-2024")


def test_a_report_week_is_its_labels_when_it_names_one() -> None:
    assert report_week("2024-W34", "2024-08-26") == "2024-W34"  # a Monday report for last week
    assert report_week("第42周", "2023-10-13") == "2023-W41"  # 第N周 counts from the week of 1 January
    assert report_week(None, "2024-08-26") == "2024-W35"


def test_missing_weeks_follow_a_biweekly_rhythm() -> None:
    weekly = missing_weeks(["2024-W01", "2024-W02", "2024-W04"], "2024-W05")
    assert not weekly.biweekly and weekly.missing == ["2024-W03", "2024-W05"]
    every_other = ["2024-W01", "2024-W03", "2024-W05", "2024-W07", "2024-W11"]
    rhythm = missing_weeks(every_other, "2024-W12")
    assert rhythm.biweekly and rhythm.missing == ["2024-W09"]  # W12 is an off week
    assert missing_weeks(every_other, "2024-W13").missing == ["2024-W09", "2024-W13"]


# --- Rules on plain records ----------------------------------------------------------------------


def _refs(n: int) -> list[ReportRef]:
    return [ReportRef(f"t/{i}.md", None, f"2024-06-{i + 1:02d}", "t", f"2024-W{i + 10}") for i in range(n)]


def _alerts(
    values: list[float],
    name: str = "入金有效成功率",
    target: float | None = None,
    unit: str = "%",
    units: list[str] | None = None,
) -> Overview:
    from desktop.core.aliases import default_alias_table

    refs = _refs(len(values))
    metrics = {
        r.path: [MetricPoint(r.path, name, v, u, 3, f"- {name}：{v}{u}", None, target)]
        for r, v, u in zip(refs, values, units or [unit] * len(values), strict=True)
    }
    return build_overview(OverviewData(refs, metrics), refs[-1].week, default_alias_table().info)


def test_an_anomaly_needs_four_earlier_values_and_the_bad_direction() -> None:
    steady = [99.0, 99.1, 99.0, 99.1]
    assert [a.kind for a in _alerts([*steady, 98.0]).alerts] == ["anomaly"]
    assert _alerts([*steady[:3], 98.0]).alerts == []  # three earlier values are too few
    assert _alerts([*steady, 100.0]).alerts == []  # a jump the good way is no alarm
    assert _alerts([*steady, 99.0]).alerts == []  # within its usual swing
    alert = _alerts([*steady, 98.0]).alerts[0]
    assert (alert.value, alert.previous, alert.text) == (98.0, 99.1, "- 入金有效成功率：98.0%")
    # One "change since the previous report" (kpis.change): exact in decimals, with its direction.
    assert alert.change is not None and (alert.change.delta, alert.change.direction) == (-1.1, "worse")
    assert alert.change.label() == "▼1.1 pp"


def test_a_unit_left_out_once_still_compares() -> None:
    # 99.1 written without its % one week is the same measure (kpis.comparable), as in the viewer.
    steady = [99.0, 99.1, 99.0, 99.1]
    alert = _alerts([*steady, 98.0], units=["%", "%", "%", "", "%"]).alerts[0]
    assert alert.previous == 99.1 and alert.change is not None and alert.change.delta == -1.1


def test_a_stated_target_wins_over_the_alias_table() -> None:
    # 准确率 has a target of 90 in the bundled table; the report's own 95 is the one that counts.
    alert = _alerts([96.0, 92.0], name="准确率", target=95.0).alerts
    assert [(a.kind, a.target) for a in alert] == [("below_target", 95.0)]
    assert _alerts([96.0, 92.0], name="准确率").alerts == []
    assert [a.target for a in _alerts([96.0, 85.0], name="准确率").alerts] == [90.0]  # the table's
    assert _alerts([96.0, 85.0], name="准确率", unit="条").alerts == []  # a count is not a rate


def test_plan_items_match_across_small_rewordings() -> None:
    assert same_item("完成风控规则引擎灰度", "完成风控规则引擎灰度发布")
    assert same_item("Ship the billing export.", "ship the billing export")
    assert not same_item("完成风控规则引擎灰度", "完成对账系统改造")


# --- The digest of a written folder --------------------------------------------------------------


def test_the_digest_of_four_teams_over_twelve_weeks(teams: Path) -> None:
    before = tree_snapshot(teams)
    data = digest(teams)
    assert data["week"] == LAST
    assert set(data) == {
        "week", "teams", "missing", "kpi_alerts", "incidents", "plans", "silent_topics", "follow_ups"
    }  # fmt: skip
    rows = {t["team"]: t for t in data["teams"]}
    assert list(rows) == ["alpha", "beta", "delta", "gamma"]
    assert rows["alpha"] == {
        "team": "alpha",
        "report": "alpha/2024/2024-W34.md",
        "label": "2024-W34",
        "date": "2024-08-23",
        "status": "present",
    }
    assert rows["beta"]["status"] == "missing" and rows["beta"]["report"] is None
    # The missing week is listed; the biweekly team's off weeks are not.
    assert data["missing"] == [{"team": "alpha", "week": "2024-W30"}]
    alerts = {(a["team"], a["kind"]): a for a in data["kpi_alerts"]}
    assert set(alerts) == {("gamma", "below_target"), ("gamma", "anomaly"), ("delta", "ab_incidents")}
    breached = alerts["gamma", "below_target"]
    assert breached["metric"] == "准确率" and (breached["value"], breached["previous"]) == (92, 96)
    assert breached["target"] == 95 and breached["text"] == "- 准确率：92%（目标95%）"
    assert breached["report"] == "gamma/2024/2024-W34.md"
    jump = alerts["gamma", "anomaly"]
    assert (jump["metric"], jump["value"], jump["previous"]) == ("入金有效成功率", 96.5, 99.1)
    assert jump["change"] == -2.6 and breached["change"] == -4
    assert alerts["delta", "ab_incidents"]["value"] == 1
    assert [(i["team"], i["date"], i["time"]) for i in data["incidents"]] == [
        ("delta", "2024-08-21", "09:30"),
        ("delta", "2024-08-19", "15:00"),
    ]
    stuck = [p for p in data["plans"] if p["item"] == STUCK_ITEM]
    assert stuck == [{"team": "delta", "item": STUCK_ITEM, "status": "not_found", "weeks_open": 3}]
    assert {p["status"] for p in data["plans"] if p["item"] != STUCK_ITEM} == {"done"}
    assert data["silent_topics"] == [
        {"team": "alpha", "topic": SILENT_TOPIC, "last_seen": "2024-W32", "weeks_silent": 2}
    ]
    assert data["follow_ups"] == []
    assert tree_snapshot(teams) == before  # nothing written into the report folder


def test_an_earlier_week_and_the_missing_list_up_to_it(teams: Path) -> None:
    data = digest(teams, "--week", "2024-W31")
    assert data["week"] == "2024-W31"
    assert data["missing"] == [{"team": "alpha", "week": "2024-W30"}]
    assert data["kpi_alerts"] == [] and data["incidents"] == [] and data["silent_topics"] == []
    assert [p["weeks_open"] for p in data["plans"] if p["item"] == STUCK_ITEM] == []
    assert digest(teams, "--week", "2024-W29")["missing"] == []


def test_a_target_stated_in_the_report_is_read_from_it(tmp_path: Path) -> None:
    # No alias table entry: only the report's own `（目标95%）` makes 92% a breach.
    data = digest(write_teams(tmp_path))
    assert [(a["metric"], a["target"]) for a in data["kpi_alerts"] if a["kind"] == "below_target"] == [
        ("准确率", 95)
    ]


def test_markdown_and_html_say_none_for_empty_sections(teams: Path, tmp_path: Path) -> None:
    code, md = run(["digest", str(teams), "--week", "2024-W31", "--format", "md"])
    assert code == 0
    assert "## KPI alerts\n\nnone\n" in md and "## Open follow-ups\n\nnone\n" in md
    assert "| alpha | 2024-W30 |" in md
    code, md = run(["digest", str(teams), "--format", "md"])
    assert "| beta | – | not due (biweekly) |" in md and "| gamma | 2024-W34 | present, 2 alert(s) |" in md
    out = tmp_path / "digest.html"
    assert run(["digest", str(teams), "--format", "html", "--out", str(out)]) == (0, "")
    page = out.read_text(encoding="utf-8")
    assert STUCK_ITEM in page and "准确率" in page and "<p" in page
    lowered = page.lower()
    assert "<script" not in lowered and "http" not in lowered and "<link" not in lowered
    assert "<style" not in lowered  # styles inline: mail clients drop style blocks
    assert 'style="' in page


def test_digest_errors_are_one_line_with_status_2(
    teams: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(["digest", str(teams), "--week", "2023-W01"])[0] == 2
    assert run(["digest", str(teams), "--week", "soon"])[0] == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "unknown week '2023-W01'" in err and "2024-W23 to 2024-W34" in err
    assert run(["digest", str(teams), "--out", str(teams / "digest.json")])[0] == 2
    assert "inside the report folder" in capsys.readouterr().err
    assert not (teams / "digest.json").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(["digest", str(empty)])[0] == 2
    assert capsys.readouterr().err.strip() == f"weekly-review: no dated reports in {empty}"


def test_the_seeds_digest_for_w34_lists_its_three_incidents(seeds_copy: Path) -> None:
    data = digest(seeds_copy, "--week", "2024-W34")
    assert [t["team"] for t in data["teams"]] == ["reports"]  # no team folders: named after the folder
    assert data["teams"][0]["report"] == "2024-W34.md"
    assert [(i["date"], i["time"]) for i in data["incidents"]] == [
        ("2024-08-20", "17:41"),
        ("2024-08-20", "11:19"),
        ("2024-08-19", "15:00"),
    ]
    assert all(i["report"] == "2024-W34.md" for i in data["incidents"])


def test_the_overview_renders_every_part(teams: Path) -> None:
    from desktop.core.aliases import default_alias_table
    from desktop.store.cache import open_cache
    from desktop.store.indexer import index_folder
    from desktop.store.overview import overview_for, read_reports

    cache = open_cache(teams)
    index_folder(cache)
    reports = read_reports(cache.db, "org")
    overview = overview_for(cache.db, reports, LAST, default_alias_table().info)
    cache.close()
    assert to_json(overview)["week"] == LAST
    md, page = to_markdown(overview), to_html(overview)
    for text in (STUCK_ITEM, SILENT_TOPIC, "2024-W30", "出金通道超时"):
        assert text in md and text in page
