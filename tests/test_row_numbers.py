"""Row numbers in messages are the ones the file shows (session 4 left, hF15): an XLSX table under
a title block, a two-row header or with empty rows was counted from its header row, so 「row 4」
sent a city employee to the wrong line of the sheet; a CSV with an empty line drifted likewise.
Now every "row N" is the sheet's own row number (CSV: the row Excel shows when it opens the file)."""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest

from textkit.errors import FormatError, TextkitWarning
from textkit.formats import read_kpis, read_measures
from textkit.kpi_attainment import read_results
from textkit.tables import read_table

KPI_HEADER = ("measure_id", "level", "name", "baseline_raw", "target_raw")


def _sheet(path: Path, rows: list[tuple]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def _titled(rows: list[tuple]) -> list[tuple]:
    """A title and a date above the header, an empty row between them (as staff lay sheets out)."""
    return [("第3期 総合戦略 KPI一覧",), ("令和6年4月",), (), *rows]


def test_an_xlsx_error_names_the_sheets_own_row(tmp_path: Path) -> None:
    rows = _titled([KPI_HEADER, ("G1-M1", "measure", "移住者数", "120人", "150人"), ()])
    rows.append(("G1-M2", "measure", "", "3件", "5件"))  # sheet row 7: the name is missing
    path = _sheet(tmp_path / "kpis.xlsx", rows)
    with pytest.raises(FormatError, match=r"row 7 has an empty name"):
        read_kpis(path)
    assert [r.number for r in read_table(path).rows] == [5, 7]


def test_a_two_row_header_counts_both_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["番号", "施策名", "目標値", None])
    ws.append([None, None, "数値", "年度"])
    ws.merge_cells("C1:D1")
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.append(["1", "移住の促進", "150", "R6"])
    ws.append(["1", "子育て支援", "3", "R6"])  # the same 番号 again on sheet row 4
    wb.save(tmp_path / "measures.xlsx")
    with pytest.raises(
        FormatError, match=r"appears twice \(row 3 「移住の促進」 and row 4 「子育て支援」\)"
    ):
        read_measures(tmp_path / "measures.xlsx")


def test_a_csv_with_an_empty_line_names_the_row_excel_shows(tmp_path: Path) -> None:
    path = tmp_path / "kpis.csv"
    body = "G1-M1,measure,移住者数,120人,150人\n\nG1-M2,measure,,3件,5件\n"
    path.write_text(",".join(KPI_HEADER) + "\n" + body, encoding="utf-8")
    with pytest.raises(FormatError, match=r"row 4 has an empty name"):
        read_kpis(path)


def test_a_results_sheets_warnings_name_its_rows(tmp_path: Path) -> None:
    rows = _titled([("指標名", "2022", "2023"), ("移住者数", "130人", "140人")])
    rows += [(), ("ふるさと納税寄附額", "1億円", "2億円"), ("", "3", "4")]
    results = read_results(_sheet(tmp_path / "results.xlsx", rows))
    assert [i.row for i in results.indicators] == [5, 7]
    assert "row 8: no indicator name; row skipped" in results.warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextkitWarning)
        assert read_table(tmp_path / "results.xlsx").rows[1].number == 7
