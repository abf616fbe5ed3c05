"""The fast form of the metrics' noise pattern blanks exactly what its plain form blanks."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core import metrics

_PLAIN = re.compile(metrics._NOISE_PLAIN)
# What the branches turn on: digits (other scripts' too), signs, separators, units, dates' words.
_PIECES = st.sampled_from(
    [
        *"0123456789",
        *("19", "20", "1,234", ",567", ".", "-", "+", "/", ":", ",", "~", "–", "—", "至", "到"),
        *("年", "月", "日", "号", "点", "分", "周", "期", "第", "W", "%", "万元", "次", " ", "\t", "(", ")"),
        *("[", "]", "x", "A", "h", "f", "w", "https://", "ftp://", "www.", "\u0661", "\uff11", "中旬"),
    ]
)


@given(st.lists(_PIECES, max_size=20).map("".join))
@settings(max_examples=3000, deadline=None)
def test_the_fast_noise_pattern_blanks_what_the_plain_one_blanks(text: str) -> None:
    assert metrics._NOISE.sub("#", text) == _PLAIN.sub("#", text)


def test_the_fast_noise_pattern_on_report_lines() -> None:
    lines = [
        "- 累计交易1340笔，总金额2643万元，2024-06-14至2024-06-20",
        "6/17 17:05 客户反馈，影响约800笔，14:27 恢复；第16周 目标[0.3%, 1.5%]",
        "详细记录：https://wiki.example.com/display/2311 见 www.example.com/12",
        "2024年4月20日 8点30分 10~17次 1%-2% -5~+3 1,234-2,345万元 2024-W17 2024.06.14 4/18/2024",
        "8月中旬 12月底 99.924% (1,234, 5) 3.14.15 OCR2.0成功率68%",
    ]
    for line in lines:
        assert metrics._NOISE.sub("#", line) == _PLAIN.sub("#", line), line
