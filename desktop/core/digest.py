"""The overview as a digest to pass up: JSON for scripts, Markdown and HTML for people.

The HTML is one self-contained file that mail clients show as written: no script, no stylesheet to
fetch, every style inline on its element (many clients drop <style> blocks).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop.core.overview import Overview, TeamRow

NONE = "none"

_KIND_TEXT = {"below_target": "below target", "anomaly": "anomaly", "ab_incidents": "AB-grade incidents"}
_STATUS_TEXT = {"done": "done", "in_progress": "in progress", "not_found": "not found"}


def to_json(overview: Overview) -> dict[str, object]:
    o = overview
    return {
        "week": o.week,
        "teams": [
            {"team": t.team, "report": t.report, "label": t.label, "date": t.date, "status": t.status}
            for t in o.teams
        ],
        "missing": [{"team": m.team, "week": m.week} for m in o.missing],
        "kpi_alerts": [
            {
                "team": a.team,
                "report": a.report,
                "metric": a.metric,
                "value": a.value,
                "previous": a.previous,
                "change": a.change.delta if a.change else None,
                "target": a.target,
                "kind": a.kind,
                "text": a.text,
            }
            for a in o.alerts
        ],
        "incidents": [
            {"team": i.team, "report": i.report, "date": i.date, "time": i.time, "text": i.text}
            for i in o.incidents
        ],
        "plans": [
            {"team": p.team, "item": p.item, "status": p.status, "weeks_open": p.weeks_open} for p in o.plans
        ],
        "silent_topics": [
            {"team": s.team, "topic": s.topic, "last_seen": s.last_seen, "weeks_silent": s.weeks_silent}
            for s in o.silent_topics
        ],
        "follow_ups": list(o.follow_ups),
    }


def _num(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:g}{unit}"


def _team_status(t: TeamRow) -> str:
    if t.status == "present":
        return "present" + (f", {t.alerts} alert(s)" if t.alerts else "")
    return "missing" if t.due else "not due (biweekly)"


def _sections(o: Overview) -> list[tuple[str, list[str], list[list[str]]]]:
    """Each part of the digest as (title, column heads, rows of plain text)."""
    return [
        (
            "Teams",
            ["Team", "Report", "Status"],
            [[t.team, t.label or t.date or t.report or "–", _team_status(t)] for t in o.teams],
        ),
        ("Missing reports", ["Team", "Week"], [[m.team, m.week] for m in o.missing]),
        (
            "KPI alerts",
            ["Team", "Metric", "Value", "Previous", "Change", "Target", "Rule", "Line"],
            [
                [
                    a.team,
                    a.metric,
                    _num(a.value, a.unit),
                    _num(a.previous, a.unit),
                    a.change.label() if a.change else "–",
                    _num(a.target, a.unit),
                    _KIND_TEXT.get(a.kind, a.kind),
                    a.text,
                ]
                for a in o.alerts
            ],
        ),
        (
            "Incidents",
            ["Team", "When", "What"],
            [[i.team, " ".join(x for x in (i.date, i.time) if x) or "–", i.text] for i in o.incidents],
        ),
        (
            "Last week's plans",
            ["Team", "Item", "Status", "Weeks open"],
            [[p.team, p.item, _STATUS_TEXT.get(p.status, p.status), str(p.weeks_open)] for p in o.plans],
        ),
        (
            "Silent topics",
            ["Team", "Topic", "Last seen", "Weeks silent"],
            [[s.team, s.topic, s.last_seen, str(s.weeks_silent)] for s in o.silent_topics],
        ),
        (
            "Open follow-ups",
            ["Team", "Week", "Section", "Follow-up", "Age (days)"],
            [
                [
                    str(f.get("team", "")),
                    str(f.get("label") or f.get("week") or ""),
                    str(f.get("section") or ""),
                    str(f.get("text", f)),
                    str(f.get("age_days", "")),
                ]
                for f in o.follow_ups
            ],
        ),
    ]


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(overview: Overview) -> str:
    out = [f"# Weekly digest {overview.week}", ""]
    for title, heads, rows in _sections(overview):
        out += [f"## {title}", ""]
        if not rows:
            out += [NONE, ""]
            continue
        out.append("| " + " | ".join(heads) + " |")
        out.append("|" + "---|" * len(heads))
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out)


_PAGE = (
    "margin:0;padding:16px;background:#ffffff;color:#1f2328;"
    "font-family:Helvetica,Arial,sans-serif;font-size:14px"
)
_H1 = "font-size:20px;margin:0 0 12px 0"
_H2 = "font-size:16px;margin:20px 0 6px 0;border-bottom:1px solid #d0d7de;padding-bottom:4px"
_TABLE = "border-collapse:collapse;width:100%"
_TH = "text-align:left;padding:4px 8px;border:1px solid #d0d7de;background:#f6f8fa"
_TD = "text-align:left;padding:4px 8px;border:1px solid #d0d7de;vertical-align:top"
_NONE = "color:#57606a;margin:0"


def to_html(overview: Overview) -> str:
    e: Callable[[str], str] = html.escape
    parts = [
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">',
        f"<title>Weekly digest {e(overview.week)}</title></head>",
        f'<body style="{_PAGE}">',
        f'<h1 style="{_H1}">Weekly digest {e(overview.week)}</h1>',
    ]
    for title, heads, rows in _sections(overview):
        parts.append(f'<h2 style="{_H2}">{e(title)}</h2>')
        if not rows:
            parts.append(f'<p style="{_NONE}">{NONE}</p>')
            continue
        parts.append(f'<table style="{_TABLE}" cellpadding="0" cellspacing="0">')
        parts.append("<tr>" + "".join(f'<th style="{_TH}">{e(h)}</th>' for h in heads) + "</tr>")
        parts += [_html_row(row, e) for row in rows]
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _html_row(row: Sequence[str], e: Callable[[str], str]) -> str:
    return "<tr>" + "".join(f'<td style="{_TD}">{e(c)}</td>' for c in row) + "</tr>"


RENDERERS: dict[str, Callable[[Overview], str]] = {"md": to_markdown, "html": to_html}


def write_refusal(out: Path, folder: Path) -> str | None:
    """Why the digest may not be written to `out`, or None: the app never writes into the report folder."""
    target = out.expanduser().resolve()
    if target.is_relative_to(folder.expanduser().resolve()):
        return f"{out} is inside the report folder; the app never writes there, choose another place"
    if target.is_dir():
        return f"{out} is a folder; give a file name"
    return None


def render(overview: Overview, fmt: str) -> str:
    """The digest as text in `fmt`: "json", "md" or "html"."""
    if fmt == "json":
        return json.dumps(to_json(overview), ensure_ascii=False, indent=2) + "\n"
    return RENDERERS[fmt](overview)
