"""The plan period a strategy states (hU5 U1, /work/wt/hU5-findings.md; hF5 F2): 「令和2年度から令和6年度までの5年間」,
the most common way to write a 計画期間, was read as ending in 2020 (the first era year only). Its
end is the default target year of a KPI table whose header names no year and decides which
edition a report's results are checked against, so both went wrong: a 2024 result that met the
target was judged against the 2020 value (未達), and a 第2期 効果検証 was checked against 第3期."""

from __future__ import annotations

import pytest

import textkit
from textkit.pipeline import report_attainment
from textkit.sources import parse

PLAN = """第2期鶴見沢町まち・ひと・しごと創生総合戦略
計画期間
{period}
基本目標1　地域の産業を育て、安定した雇用を創出する
（1）農業の担い手確保と経営の安定
新規就農者の受入れと農地の集積を進めます。
重要業績評価指標（KPI）
指標	基準値	目標値
担い手への農地集積率	58%	70%
（2）商工業の振興と創業支援
商工会と連携し創業を支援します。
重要業績評価指標（KPI）
指標	基準値	目標値
創業件数	1件	8件
"""


@pytest.mark.parametrize(
    "period, end",
    [
        ("令和2年度から令和6年度までの5年間とします。", 2024),
        ("令和 2 年度から令和 6 年度までの5 年間とします。", 2024),  # as a Word PDF spaces it
        ("令和2年度より令和6年度まで", 2024),
        ("令和2（2020）年度から令和6（2024）年度までの5か年", 2024),
        ("令和2年度～令和6年度", 2024),
        ("2020年度から2024年度まで", 2024),
        ("R2-6", 2024),
        # found by the fresh-eyes review (/work/wt/hF5-findings.md F2)
        ("令和２年度から６年度までの５年間とします。", 2024),  # the era written once
        (
            "令和2年度から令和6年度までの5年間とし、人口ビジョンで示す2060年の将来展望を目指します。",
            2024,
        ),
        ("令和2年4月から令和7年3月までの5年間", 2024),  # the fiscal year ends in March
        ("令和2年度から5年間とします。", 2024),  # a start and a length
        ("令和2年度を初年度とする5か年", 2024),
    ],
)
def test_the_plan_period_ends_in_its_last_year(tmp_path, period, end):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN.format(period=period), "utf-8")
    s = parse(path)
    assert s.period_end == end
    assert {k.target_year for k in s.kpis} == {end}  # the header names no year


def test_a_result_that_met_the_target_by_the_plans_end_is_achieved(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN.format(period="令和2年度から令和6年度までの5年間とします。"), "utf-8")
    results = tmp_path / "results.csv"
    results.write_text(
        "name,R2,R3,R4,R5,R6\n担い手への農地集積率,60%,62%,63%,66%,71%\n創業件数,2件,3件,5件,6件,9件\n",
        "utf-8",
    )
    rows = {r.name: r for r in textkit.attainment(path, results).rows}
    farm = rows["担い手への農地集積率"]
    assert (farm.latest_year, farm.latest_value, farm.status.value) == (2024, 71, "achieved")
    assert rows["創業件数"].status.value == "achieved"  # 9 ≥ 8 in 2024
    # a 第2期 効果検証 (R2–R6) is checked against 第2期's KPIs, not the next edition's
    new = tmp_path / "plan3.txt"
    new.write_text(
        PLAN.format(period="令和7年度から令和11年度までの5年間とします。").replace(
            "第2期", "第3期"
        ),
        "utf-8",
    )
    table, edition = report_attainment(parse(path), parse(new), results)
    assert edition == "第2期" and table.counts()["achieved"] == 2
