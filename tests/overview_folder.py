"""A folder of four teams over twelve weeks (2024-W23 … 2024-W34) with one of each thing the overview finds.

- alpha: weekly, no report in 2024-W30 (a missing week); its topic `贝易转` stops after W32 (silent).
- beta: biweekly (W23, W25 … W33): its off weeks are not missing.
- gamma: 准确率 92% against a target of 95% (stated in the line; the alias table gets it from
  `write_target_table`); 入金有效成功率 steady near 99% then 96.5% in W34 (an anomaly).
- delta: one AB-grade incident in W34 with two incidents listed; `完成风控规则引擎灰度` planned in W31,
  W32 and W33 and never reported.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

WEEKS = [f"2024-W{n}" for n in range(23, 35)]
LAST = "2024-W34"
TEAMS = ("alpha", "beta", "gamma", "delta")
STUCK_ITEM = "完成风控规则引擎灰度"
SILENT_TOPIC = "贝易转"
GAMMA_RATES = [99.0, 99.1, 99.0, 99.2, 99.1, 99.0, 99.1, 99.2, 99.1, 99.0, 99.1, 96.5]


def _friday(week: str) -> dt.date:
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 5)


def _report(team: str, n: int, week: str) -> str:
    day = _friday(week)
    lines = [f"# {week}", "", f"Created: {day.year}年{day.month}月{day.day}日 17:00", "", "## 本周工作", ""]
    lines.append(f"- {team} 常规迭代第{n}轮发布完成")
    if team == "alpha" and week <= "2024-W32":
        lines += ["", f"## {SILENT_TOPIC}", "", "- 省心租业务渗透推进中"]
    lines += ["", "## 核心指标", ""]
    if team == "gamma":
        lines.append(f"- 入金有效成功率：{GAMMA_RATES[n]}%")
        accuracy = 92 if week == LAST else 96
        lines.append(f"- 准确率：{accuracy}%（目标95%）")
    else:
        lines.append("- 入金有效成功率：99.5%")
    ab = 1 if team == "delta" and week == LAST else 0
    lines.append(f"- 事故数AB级{ab}次，CD级0次")
    lines += ["", "## 生产事件", ""]
    if team == "delta" and week == LAST:
        lines += ["- 08/19 15:00 出金通道超时，影响约120笔交易", "- 08/21 09:30 对账文件延迟生成，10:10 恢复"]
    else:
        lines.append("- 无")
    lines += ["", "## 下周工作及目标", ""]
    lines.append(f"1. {team} 第{n + 1}轮常规迭代发布")
    if team == "delta" and week in ("2024-W31", "2024-W32", "2024-W33"):
        lines.append(f"2. {STUCK_ITEM}")
    return "\n".join(lines) + "\n"


def write_teams(root: Path) -> Path:
    """Write the folder under root/org and return it."""
    folder = root / "org"
    for team in TEAMS:
        for n, week in enumerate(WEEKS):
            if team == "alpha" and week == "2024-W30":
                continue
            if team == "beta" and n % 2 == 1:
                continue
            # A team's own year folder belongs to the team.
            path = folder / team / "2024" / f"{week}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_report(team, n, week), encoding="utf-8")
    return folder


def write_target_table(config_dir: Path, target: float = 95) -> None:
    """The user's alias table, giving 准确率 the target its reports state."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "metrics.toml").write_text(
        f'[[metric]]\nname = "准确率"\ntarget = {target}\n', encoding="utf-8"
    )
