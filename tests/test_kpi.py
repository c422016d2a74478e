"""KPI cells as printed in the seed documents (and the issue's list), parsed to exact values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.kpi import CellValue, find_year, header_year, make_kpi, parse_cell

CASES = [
    # raw, value, unit, year, comparator, period, note (substring)
    ("1,298 億円 (H27)", 1298.0, "億円", 2015, "", "", ""),
    ("46.2% (H30)", 46.2, "%", 2018, "", "", ""),
    ("957,100 人 (H30)", 957100.0, "人", 2018, "", "", ""),
    ("1,124,100 人 (R6)", 1124100.0, "人", 2024, "", "", ""),
    ("91.30% (H25)", 91.3, "%", 2013, "", "", ""),
    ("33,492 人 (H30.10)", 33492.0, "人", 2018, "", "", ""),
    ("825 人 (H21-30 平均)", 825.0, "人", 2018, "", "", "2009-2018 平均"),
    ("575 人 (R2-6 平均) ※R2-6 累計 2,875 人", 575.0, "人", 2024, "", "", "累計 2,875 人"),
    ("35件 (R2~6 合計)", 35.0, "件", 2024, "", "", "2020-2024 合計"),
    ("<u>35件</u> <u>(R2~6 合計)</u>", 35.0, "件", 2024, "", "", "2020-2024 合計"),
    ("30%以上", 30.0, "%", None, ">=", "", ""),
    ("男性 79.08 歳 女性 85.14 歳 (H27)", 79.08, "歳", 2015, "", "", "女性 85.14 歳"),
    ("５年間で６人", 6.0, "人", None, "", "5年間", ""),
    ("年１１１校", 111.0, "校", None, "", "年", ""),
    ("年３人（５年間で１５人）", 3.0, "人", None, "", "年", "5年間で15人"),
    ("９人（延べ２４３日）", 9.0, "人", None, "", "延べ243日", "延べ243日"),
    ("1.12 (H20-29 平均)", 1.12, "", 2017, "", "", "2008-2017 平均"),
    ("70人 (令和元年度)", 70.0, "人", 2019, "", "", ""),
    ("１２人（Ｈ２９）", 12.0, "人", 2017, "", "", ""),
    ("5,000 人 (平成30年)", 5000.0, "人", 2018, "", "", ""),
    ("100 (S60)", 100.0, "", 1985, "", "", ""),
    ("3 人 (大正元年)", 3.0, "人", 1912, "", "", ""),
    ("4 (M33)", 4.0, "", 1900, "", "", ""),
    ("ʷ1.1％", -1.1, "%", None, "", "", ""),
]


@pytest.mark.parametrize(("raw", "value", "unit", "year", "comp", "period", "note"), CASES)
def test_cells(raw, value, unit, year, comp, period, note):
    c = parse_cell(raw)
    assert (c.value, c.unit, c.year, c.comparator, c.period) == (value, unit, year, comp, period)
    assert note in c.note
    assert c.raw == raw


@pytest.mark.parametrize(
    ("raw", "comparator"), [("基準値より増", "increase"), ("基準値より延伸", "extend")]
)
def test_qualitative(raw, comparator):
    c = parse_cell(raw, default_year=2024)
    assert c == CellValue(None, "", 2024, "", comparator, "", raw)


@pytest.mark.parametrize("raw", ["－", "-", "ー", "", "  "])
def test_empty_baseline(raw):
    c = parse_cell(raw, default_year=2024)
    assert (c.value, c.year, c.unit) == (None, None, "")


def test_default_year_only_without_own_year():
    assert parse_cell("48%", default_year=2024).year == 2024
    assert parse_cell("93.8% (R5)", default_year=2024).year == 2023


def test_header_years():
    assert header_year("目標値(R6)") == 2024
    assert header_year("目標値 (R6)") == 2024
    assert header_year("現状値（2014年度）") == 2014
    assert header_year("基準値") is None
    assert find_year("令和元年") == (2019, 2019)


def test_make_kpi_years_and_note():
    k = make_kpi("G2", "goal", "転出超過数", "825 人 (H21-30 平均)", "575 人 (R2-6 平均)")
    assert (k.baseline_value, k.target_value, k.unit) == (825.0, 575.0, "人")
    assert (k.baseline_year, k.target_year) == (2018, 2024)
    assert "2009-2018 平均" in k.note
    # header year beats the plan end; own year beats both
    k = make_kpi("M", "measure", "x", "1 (H30)", "2", header_year=2024, plan_end_year=2029)
    assert k.target_year == 2024
    k = make_kpi("M", "measure", "x", "1", "2", plan_end_year=2029, baseline_header_year=2014)
    assert (k.baseline_year, k.target_year) == (2014, 2029)
    k = make_kpi("M", "measure", "x", "1", "基準値より増", plan_end_year=2024)
    assert (k.target_value, k.comparator, k.target_year) == (None, "increase", 2024)


# ── properties ──────────────────────────────────────────────────────────────


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises(raw):
    c = parse_cell(raw)
    assert c.year is None or 1868 <= c.year <= 2100


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=99),
    st.booleans(),
    st.sampled_from(["人", "件", "%", "億円", "団体", "事業", "歳", ""]),
    st.sampled_from(["", " "]),
)
def test_numbers_round_trip(whole, cents, decimal, unit, space):
    number = whole + cents / 100 if decimal else float(whole)
    text = f"{number:,.2f}" if decimal else f"{whole:,}"
    c = parse_cell(f"{text}{space}{unit}")
    assert c.value == pytest.approx(number)
    assert c.unit == unit


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["M", "T", "S", "H", "R", "明治", "大正", "昭和", "平成", "令和", "Ｈ", "Ｒ"]),
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=0, max_value=3000),
)
def test_years_stay_in_range(era, n, western):
    for raw in (f"10 人 ({era}{n})", f"10 人 ({western}年度)", f"5% ({era}{n}-{n + 3} 平均)"):
        c = parse_cell(raw)
        assert c.year is None or 1868 <= c.year <= 2100
        assert c.value == 10.0 or c.value == 5.0
