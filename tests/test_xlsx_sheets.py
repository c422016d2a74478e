"""Which sheet of a workbook is read (hU5 U3, /work/wt/hU5-findings.md): staff workbooks put a cover
sheet (表紙: a title, the city, a date) before the table, or keep a second table on another sheet.
The table is read from the first visible sheet that holds one; another visible sheet holding a
table is named in a warning (only one sheet is read), never silently ignored. Hidden sheets (the
review workbook's own) are not named."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from textkit.cli import main
from textkit.kpi_attainment import read_results
from textkit.tables import read_table

HEADER = ["指標名", "R5", "R6"]


def _book(path, *sheets, hidden=()):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


COVER = ("表紙", [["第2期総合戦略 効果検証シート"], [], ["鶴見沢町 企画課"]])
RESULTS = ("効果検証", [["KPI実績一覧"], HEADER, ["移住相談件数", "55件", "62件"]])
MORE = ("R7追加", [["指標名", "R7"], ["移住相談件数", "70件"]])


def test_a_cover_sheet_before_the_table_is_passed_over(tmp_path):
    table = read_table(_book(tmp_path / "r.xlsx", COVER, RESULTS))
    assert [r["指標名"] for r in table.rows] == ["移住相談件数"] and table.warnings == ()
    (indicator,) = read_results(tmp_path / "r.xlsx").indicators
    assert [(o.year, o.value) for o in indicator.observations] == [(2023, 55), (2024, 62)]


def test_another_sheet_holding_a_table_is_named(tmp_path):
    table = read_table(_book(tmp_path / "r.xlsx", COVER, RESULTS, MORE))
    assert [r["指標名"] for r in table.rows] == ["移住相談件数"]
    (said,) = table.warnings
    assert "'効果検証'" in said and "'R7追加' also holds a table and is not read" in said


def test_a_hidden_sheet_is_not_named(tmp_path):
    table = read_table(_book(tmp_path / "r.xlsx", RESULTS, MORE, hidden=("R7追加",)))
    assert table.warnings == ()


def test_the_cli_reads_past_the_cover_and_warns_of_the_other_sheet(tmp_path):
    kpis = tmp_path / "k.csv"
    kpis.write_text(
        "measure_id,level,name,baseline_raw,target_raw\nG1-M1,measure,移住相談件数,42件,60件（R6）\n",
        "utf-8",
    )
    book = _book(tmp_path / "r.xlsx", COVER, RESULTS, MORE)
    result = CliRunner().invoke(main, ["attainment", str(kpis), str(book), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "'R7追加' also holds a table" in result.output
    assert "移住相談件数,移住相談件数" in result.output and "achieved" in result.output


# ── found by the session-5 fresh-eyes review (/work/wt/hF5-findings.md F3) ──────


PAIRS = ("表紙", [["第2期総合戦略 効果検証シート"], ["作成日", "令和7年3月"], ["担当課", "企画課"]])
LISTS = ("lists", [["区分", "unit"], ["KPI", "人"], ["数値目標", "件"]])


def test_a_cover_of_label_value_pairs_is_passed_over(tmp_path):
    table = read_table(_book(tmp_path / "r.xlsx", PAIRS, RESULTS))
    assert [r["指標名"] for r in table.rows] == ["移住相談件数"] and table.warnings == ()


def test_a_hidden_first_sheet_is_never_read(tmp_path):
    table = read_table(_book(tmp_path / "r.xlsx", LISTS, RESULTS, hidden=("lists",)))
    assert [r["指標名"] for r in table.rows] == ["移住相談件数"] and table.warnings == ()
