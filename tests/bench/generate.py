"""Generate a realistic folder of weekly reports for benchmarks: ~7 KB each, a few teams in subfolders.

    python tests/bench/generate.py OUT_DIR [--reports 5000] [--teams 4] [--seed 1]

A team gets at most 25 years of weekly reports, so 50,000 reports come in 39 teams.

Reports are built from the bundled samples: their structure, with numbers, dates and the order of
bullets varied, so every file is different and the KPIs move from week to week.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEAMS = ["payments", "risk", "platform", "data", "growth", "infra", "mobile", "finance"]
_NUMBER = re.compile(r"(?<![\d.])\d{2,}(?:\.\d+)?")
# At most this many weeks per team (25 years): a larger folder gets more teams, not reports dated in
# the 18th century, which no parser takes for a report date.
MAX_WEEKS_PER_TEAM = 1300
_KPI = re.compile(r"^(- (?:入金|出金)有效成功率：)[\d.]+%", re.M)


def _templates() -> list[str]:
    texts = []
    for path in sorted(SEEDS.glob("2024-W*.md")):
        text = path.read_text(encoding="utf-8")
        # Drop the title and Created lines; each generated report writes its own.
        texts.append("\n".join(text.split("\n")[3:]))
    return texts


def _vary(body: str, rng: random.Random) -> str:
    lines = body.split("\n")
    out = []
    for line in lines:
        if line.startswith("- ") and "【" not in line and rng.random() < 0.3:
            line = line + "；" + rng.choice(["进展顺利", "风险可控", "待跟进", "已完成评审", "下周继续推进"])
        out.append(line)
    text = "\n".join(out)
    text = _NUMBER.sub(lambda m: str(int(float(m.group()) * rng.uniform(0.8, 1.2))), text)
    return _KPI.sub(lambda m: f"{m.group(1)}{rng.uniform(99.90, 99.999):.3f}%", text)


def generate(out: Path, reports: int, teams: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    templates = _templates()
    teams = max(teams, -(-reports // MAX_WEEKS_PER_TEAM))
    names = TEAMS + [f"team-{i:02}" for i in range(len(TEAMS), teams)]
    per_team = -(-reports // teams)
    start = dt.date(2024, 12, 27) - dt.timedelta(weeks=per_team)
    written: list[Path] = []
    for n in range(reports):
        team = names[n % teams]
        week = n // teams
        day = start + dt.timedelta(weeks=week)
        year, iso_week, _ = day.isocalendar()
        label = f"{year}-W{iso_week:02}"
        body = _vary(rng.choice(templates), rng)
        created = f"Created: {day.year}年{day.month}月{day.day}日 17:{rng.randint(10, 59)}"
        text = f"# {label}\n\n{created}\n{body}\n"
        while len(text.encode("utf-8")) < 6800:
            text += "\n- " + rng.choice(["补充说明：", "备注："]) + "本周" + "持续跟进相关事项，" * 8 + "\n"
        folder = out / team / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{label} {rng.getrandbits(128):032x}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--teams", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.out, args.reports, args.teams, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} reports, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
