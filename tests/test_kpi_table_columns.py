"""A KPI table as staff keep it in Excel (hU5 trial, /work/wt/hU5-findings.md U11): numbers typed as
numbers, the unit in a 単位 column and the years in 基準年度 / 目標年度 columns. Those three columns
were ignored without a word: KPIs without a unit (so 312,000人 results could not be converted to
31.2万人) and without a target year (a result after the target year decided)."""

from __future__ import annotations

import openpyxl

import textkit
from textkit.formats import read_kpis


def _book(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["施策番号", "指標名", "単位", "基準値", "基準年度", "目標値", "目標年度"])
    ws.append(["1-1", "観光入込客数", "万人", 19.8, "R5", 24, "R8"])
    ws.append(["2-1", "移住相談件数", "件", 55, "令和5年度", 80, "2026"])
    ws.append(["3-1", "特定健診受診率", "%", 0.44, "R5", 0.55, "R8"])
    ws["D4"].number_format = "0.0%"
    ws["F4"].number_format = "0%"
    ws.append(["3-2", "合計特殊出生率", "", 1.28, "R4", "1.40（R8）", ""])
    wb.save(path)
    return path


def test_unit_and_year_columns_are_read(tmp_path):
    kpis = {k.name: k for k in read_kpis(_book(tmp_path / "k.xlsx"))}
    tourism = kpis["観光入込客数"]
    assert (tourism.unit, tourism.baseline_year, tourism.target_year) == ("万人", 2023, 2026)
    assert (tourism.baseline_raw, tourism.target_raw) == ("19.8", "24")  # kept as written
    assert (kpis["移住相談件数"].unit, kpis["移住相談件数"].target_year) == ("件", 2026)
    assert (kpis["特定健診受診率"].baseline_value, kpis["特定健診受診率"].unit) == (44, "%")
    births = kpis["合計特殊出生率"]
    assert (births.unit, births.target_value, births.target_year) == ("", 1.4, 2026)


def test_results_in_another_scale_are_converted_and_later_years_do_not_decide(tmp_path):
    results = tmp_path / "r.csv"
    results.write_text(
        'name,R6,R7,R8,R9\n観光入込客数,"210,000人","225,000人","236,000人","250,000人"\n',
        "utf-8",
    )
    (row,) = [
        r
        for r in textkit.attainment(_book(tmp_path / "k.xlsx"), results).rows
        if r.name == "観光入込客数"
    ]
    assert row.compared_value == 23.6  # R8 (2026), converted from 236,000人
    assert row.status.value == "behind"  # 23.6万人 < 24万人; R9's 25万人 (after R8) does not decide


def test_a_kpi_table_given_as_measures_is_named_as_one(tmp_path):
    """hU5 trial: `textkit report old_kpis.csv new_kpis.csv` said "no 'title' column (columns found:
    id, 区分, 基準値, 指標名, 目標値); add it to the header row"."""
    import pytest

    from textkit.errors import FormatError
    from textkit.formats import read_measures

    path = tmp_path / "k.csv"
    path.write_text("施策番号,指標名,基準値,目標値\n1-1,移住相談件数,55件,80件\n", "utf-8")
    with pytest.raises(
        FormatError, match=r"is a KPI table \(指標名, 目標値\), not a measure table"
    ):
        read_measures(path)
    assert read_kpis(path)[0].name == "移住相談件数"  # where it goes, it is read
