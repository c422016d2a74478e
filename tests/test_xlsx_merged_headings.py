"""Merged cells in workbooks as staff make them (hF review of f00ce45, session 4).

A heading merged over two columns of one header row (基準値 over a figure and its year) names
the first column only; the row below is a header row only when it holds names, never figures
or bracketed years; a heading merged across a whole data row (a 基本目標 band) is no measure.
Each test failed on 6262e35: the year read as the baseline (R1 → 1), the first data row taken
as a second header row (refused: no 'name' column), the band read as a measure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import textkit
from textkit.errors import FormatError
from textkit.sources import load_kpi_source


def _book(path: Path, rows: list[list], merges: list[str]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    wb.save(path)
    return path


_KPI_HEADER = ["番号", "指標名", "基準値", None, "目標値", None]


def test_heading_merged_over_a_figure_and_its_year_names_the_figure(tmp_path):
    book = _book(
        tmp_path / "k.xlsx",
        [
            _KPI_HEADER,
            ["1-1", "観光入込客数", 35, "R1", 50, "R6"],
            ["1-2", "移住者数", 120, "R1", 200, "R6"],
        ],
        ["C1:D1", "E1:F1"],
    )
    kpis = load_kpi_source(book).kpis
    assert [(k.name, k.baseline_value, k.target_value) for k in kpis] == [
        ("観光入込客数", 35, 50),
        ("移住者数", 120, 200),
    ]


def test_a_row_of_figures_and_bracketed_years_is_no_second_header_row(tmp_path):
    book = _book(
        tmp_path / "k.xlsx",
        [
            _KPI_HEADER,
            ["1-1", "観光入込客数", "35万人", "(R1)", "50万人", "(R6)"],
            ["1-2", "移住者数", "120人", "（R1）", "200人", "（R6）"],
        ],
        ["C1:D1", "E1:F1"],
    )
    kpis = load_kpi_source(book).kpis
    assert [(k.name, k.baseline_raw, k.target_value, k.unit) for k in kpis] == [
        ("観光入込客数", "35万人", 50, "万人"),
        ("移住者数", "120人", 200, "人"),
    ]


def test_years_under_a_merged_heading_are_still_a_second_header_row(tmp_path):
    """The two-row header of a results sheet (実績値 over R5 / 2023年度) stays one."""
    from textkit.tables import read_rows

    book = _book(
        tmp_path / "r.xlsx",
        [
            ["指標名", "実績値", None],
            [None, "R5", "2024年度"],
            ["観光入込客数", "22.1万人", "23.5万人"],
        ],
        ["A1:A2", "B1:C1"],
    )
    assert read_rows(book) == [{"指標名": "観光入込客数", "R5": "22.1万人", "2024年度": "23.5万人"}]


def test_a_goal_band_merged_across_the_table_is_no_measure(tmp_path):
    book = _book(
        tmp_path / "m.xlsx",
        [
            ["番号", "施策名", "概要"],
            ["基本目標1　しごとをつくる"],
            ["1-1", "企業誘致の推進", "工業団地への誘致"],
            ["1-2", "創業支援", "起業家の育成"],
        ],
        ["A2:C2"],
    )
    with pytest.raises(FormatError, match="row 2"):
        textkit.parse(book)


def test_a_title_merged_over_a_description_stays_the_title_only(tmp_path):
    """施策名 merged over 概要 in one row: the row has a title and no description (the title is
    not its description too)."""
    book = _book(
        tmp_path / "m.xlsx",
        [
            ["番号", "施策名", "概要"],
            ["1-1", "企業誘致の推進", None],
            ["1-2", "創業支援", "起業家の育成"],
        ],
        ["B2:C2"],
    )
    first, second = textkit.parse(book).measures
    assert (first.title, first.text) == ("企業誘致の推進", "")
    assert (second.title, second.text) == ("創業支援", "起業家の育成")
