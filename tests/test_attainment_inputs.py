"""Results tables that must not be misread: a header without rows (an error, not a traceback), a
workbook whose cells are formatted as percent (read as shown, 49.0%, not 0.49) and a cell stating
two figures (男性 80.1 歳 女性 84.0 歳: not judged, named)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import textkit
from textkit.cli import main
from textkit.errors import EmptyDocumentError
from textkit.formats import read_kpis
from textkit.kpi_attainment import AttainmentStatus, read_results
from textkit.tables import read_table

pytestmark = pytest.mark.filterwarnings("ignore::textkit.errors.TextkitWarning")

CASES = Path(__file__).parent / "cases" / "attainment"
OTARU = Path(__file__).resolve().parent.parent / "corpora" / "otaru_2nd_strategy.md"
OTARU_3RD = OTARU.parent / "synthetic" / "otaru_3rd_measures.csv"


def _kpis(tmp_path: Path, baseline: str, target: str, name: str = "平均寿命") -> Path:
    path = tmp_path / "kpis.csv"
    path.write_text(
        f"measure_id,level,name,baseline_raw,target_raw\nG1-M1,measure,{name},{baseline},{target}\n",
        encoding="utf-8",
    )
    return path


# ── a header and no rows ────────────────────────────────────────────────────


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_results_table_without_rows_is_a_one_line_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"r{suffix}"
    header = ["name", "fiscal_year", "actual_raw"]
    if suffix == ".csv":
        path.write_text(",".join(header) + "\n", encoding="utf-8")
    else:
        import openpyxl

        wb = openpyxl.Workbook()
        wb.active.append(header)
        wb.save(path)
    with pytest.raises(EmptyDocumentError, match="results table has no rows"):
        read_results(path)
    result = CliRunner().invoke(
        main, ["attainment", str(CASES / "town_kpis.csv"), str(path), "-o", str(tmp_path / "a.csv")]
    )
    assert result.exit_code == 2, result.output
    assert "results table has no rows" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "a.csv").exists()


def test_report_with_a_results_table_without_rows_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("name,fiscal_year,actual_raw\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["report", str(OTARU), str(OTARU_3RD), "--html", str(tmp_path / "r.html"),
         "--mappings", str(tmp_path / "maps"), "--results", str(path)],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "results table has no rows" in result.output and "Traceback" not in result.output


# ── percent-formatted workbook cells ────────────────────────────────────────


def _percent_workbook(path: Path, value: float, number_format: str) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "fiscal_year", "actual_raw", "count"])
    ws.append(["就業率", 2023, value, 0.49])
    ws["C2"].number_format = number_format
    ws["D2"].number_format = "0.00"  # a plain number stays the number
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("number_format", "shown"),
    [("0.0%", "49.0%"), ("0%", "49%"), ("#,##0.00%", "49.00%"), ('0.0"%"', "0.49")],
)
def test_a_percent_formatted_cell_reads_as_shown(
    tmp_path: Path, number_format: str, shown: str
) -> None:
    path = _percent_workbook(tmp_path / "r.xlsx", 0.49, number_format)
    row = read_table(path).rows[0]
    assert row["actual_raw"] == shown  # a quoted "%" is text printed after the number, no scaling
    assert row["count"] == "0.49" and row["fiscal_year"] == "2023"


def test_a_percent_formatted_result_is_judged_in_percent(tmp_path: Path) -> None:
    kpis = _kpis(tmp_path, "40.0%", "45.0%", name="就業率")
    results = _percent_workbook(tmp_path / "r.xlsx", 0.49, "0.0%")
    row = textkit.attainment(kpis, results).rows[0]
    assert row.latest_value == 49.0
    assert row.status is AttainmentStatus.ACHIEVED
    assert row.attainment == pytest.approx((49.0 - 40.0) / (45.0 - 40.0))


# ── a cell stating several values ───────────────────────────────────────────


def test_a_cell_with_two_values_is_not_judged_and_is_named(tmp_path: Path) -> None:
    kpis = _kpis(tmp_path, "男性 79.0 歳 女性 83.0 歳", "男性 80.0 歳 女性 84.5 歳")
    results = tmp_path / "r.csv"
    results.write_text(
        "name,fiscal_year,actual_raw\n平均寿命,2023,男性 80.1 歳 女性 84.0 歳\n", encoding="utf-8"
    )
    table = textkit.attainment(kpis, results)
    row = table.rows[0]
    assert row.status is AttainmentStatus.NO_DATA
    assert row.latest_value is None and row.attainment is None
    assert "値が複数" in row.note and "男性 80.1 歳 女性 84.0 歳" in row.note
    assert any("holds several values" in w and "平均寿命" in w for w in table.warnings)


def test_a_value_with_a_bracketed_second_figure_is_still_read(tmp_path: Path) -> None:
    kpis = _kpis(tmp_path, "30人", "40人", name="移住者数")
    results = tmp_path / "r.csv"
    results.write_text(
        "name,fiscal_year,actual_raw\n移住者数,2023,42人 (前年 35人)\n", encoding="utf-8"
    )
    table = textkit.attainment(kpis, results)
    assert table.rows[0].latest_value == 42.0
    assert table.rows[0].status is AttainmentStatus.ACHIEVED
    assert not any("several values" in w for w in table.warnings)


# ── a KPI table written by textkit kpis ─────────────────────────────────────


def test_a_kpi_table_keeps_the_documents_target_years(tmp_path: Path) -> None:
    """Targets without their own year take the plan's end year in the document; the KPI table
    written from it states that year in target_year, and reading it back must keep it."""
    kpis = tmp_path / "otaru.kpis.csv"
    assert CliRunner().invoke(main, ["kpis", str(OTARU), "-o", str(kpis)]).exit_code == 0
    results = CASES / "otaru_results_wide.csv"
    from_document = textkit.attainment(OTARU, results).rows
    from_table = textkit.attainment(kpis, results).rows
    assert sum(r.target_year == 2024 for r in from_document) > 20
    assert [r.to_dict() for r in from_table] == [r.to_dict() for r in from_document]


def test_a_target_cells_own_year_wins_over_the_target_year_column(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(
        "name,baseline_raw,target_raw,baseline_year,target_year\n"
        "移住者数,30人 (R1),40人 (R5),2018,2024\n転入者数,30人,40人,R1,令和6年度\n",
        encoding="utf-8",
    )
    own, from_column = read_kpis(path)
    assert (own.baseline_year, own.target_year) == (2019, 2023)
    assert (from_column.baseline_year, from_column.target_year) == (2019, 2024)


def _unit_case(tmp_path: Path, suffix: str, unit: str, cells: list[str]) -> Path:
    """A KPI in 万人 (単位 column) and a wide results table whose 単位 column says ``unit``."""
    kpis = tmp_path / "kpis.csv"
    kpis.write_text("指標,単位,基準値,目標値\n観光入込客数,万人,19.8,25\n", "utf-8")
    header = ["指標名", "単位", "R7", "R8", "R9"]
    rows = [["観光入込客数", unit, *cells]]
    path = tmp_path / f"results{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", "utf-8")
    else:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(header)
        for r in rows:  # numbers as Excel stores them
            ws.append([float(c) if c.replace(".", "").isdigit() else c for c in r])
        wb.save(path)
    return kpis


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_results_unit_column_converts_to_the_kpis_unit(tmp_path: Path, suffix: str) -> None:
    """hF5 F1: results in 千人 for a KPI in 万人 were read as 万人 (220 → 220万人, 達成 3850%) with
    no note; the 単位 column gives each bare number its unit, converted to the KPI's."""
    kpis = _unit_case(tmp_path, suffix, "千人", ["200", "210", "220"])
    (row,) = textkit.attainment(kpis, tmp_path / f"results{suffix}").rows
    assert row.latest_value == pytest.approx(22.0)
    assert row.attainment == pytest.approx((22 - 19.8) / (25 - 19.8), abs=1e-3)
    assert row.status.value == "behind"
    assert "千人" in row.note and "に換算" in row.note


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_results_unit_that_does_not_convert_gives_no_value_and_a_note(
    tmp_path: Path, suffix: str
) -> None:
    """A 単位 the KPI's unit cannot be converted from is no value, said in the note — never the
    bare number read in the KPI's unit."""
    kpis = _unit_case(tmp_path, suffix, "件", ["200", "210", "220"])
    (row,) = textkit.attainment(kpis, tmp_path / f"results{suffix}").rows
    assert row.latest_value is None and row.attainment is None
    assert row.status.value == "no_data"
    assert "単位が目標 (万人) と合わない" in row.note and "220件" in row.note


def test_a_results_cells_own_unit_wins_over_the_unit_column(tmp_path: Path) -> None:
    kpis = _unit_case(tmp_path, ".csv", "千人", ["200", "21万人", "220"])
    (row,) = textkit.attainment(kpis, tmp_path / "results.csv").rows
    assert row.series == ((2025, 20.0), (2026, 21.0), (2027, 22.0))


@pytest.mark.parametrize(
    ("unit", "latest"), [("（千人）", 22.0), ("-", 220.0), ("—", 220.0), ("千人", 22.0)]
)
def test_a_results_unit_column_in_brackets_or_a_dash(tmp_path: Path, unit: str, latest) -> None:
    """（千人） is 千人; a dash is no unit (the bare number read as before)."""
    kpis = _unit_case(tmp_path, ".csv", unit, ["200", "210", "220"])
    (row,) = textkit.attainment(kpis, tmp_path / "results.csv").rows
    assert row.latest_value == pytest.approx(latest)


def test_a_results_unit_column_that_is_no_unit_is_named_not_read(tmp_path: Path) -> None:
    kpis = _unit_case(tmp_path, ".csv", "※", ["200", "210", "220"])
    with pytest.warns(Warning):
        table = textkit.attainment(kpis, tmp_path / "results.csv")
    (row,) = table.rows
    assert row.latest_value is None and row.status == AttainmentStatus.NO_DATA
    assert any("単位 '※'" in w and "not used" in w for w in table.warnings)


@pytest.mark.parametrize(
    ("cells", "compared", "status", "note"),
    [
        # running totals under a name saying 累計 (what a 効果検証 sheet prints): the last one
        (["3", "7", "11", "15", "18"], 18.0, "behind", "要確認"),
        # cells saying 累計 themselves: as before
        (
            ["累計3人", "累計7人", "累計11人", "累計15人", "累計18人"],
            18.0,
            "behind",
            "累計として報告",
        ),
        # yearly figures (they go down one year) under the same name: summed as before
        (["3", "4", "5", "4", "6"], 22.0, "achieved", "各年度の実績の合計"),
    ],
)
def test_a_row_named_as_a_running_total(tmp_path: Path, cells, compared, status, note) -> None:
    """hF5 F8: 新規就農者数（累計） 3,7,11,15,18 against 累計20人 was summed (54 → 達成)."""
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(
        "measure_id,level,name,baseline_raw,target_raw\n"
        "M3,measure,新規就農者数（累計）,0人(R1),累計20人(R6)\n",
        "utf-8",
    )
    results = tmp_path / "results.csv"
    results.write_text(
        "name,R2,R3,R4,R5,R6\n新規就農者数（累計）," + ",".join(cells) + "\n", "utf-8"
    )
    (row,) = textkit.attainment(kpis, results).rows
    assert (row.compared_value, row.status.value) == (compared, status)
    assert note in row.note
