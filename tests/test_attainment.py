"""KPI attainment (formats §7) on hand-computed cases (tests/cases/attainment/README.md says why each
exists and shows the arithmetic): every strategy KPI appears once, statuses exact, attainment equal
to the hand computation; results tables in long, wide, XLSX and CP932 form give the same rows.
"""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import textkit
from scripts.bench_attainment import CASES_RUN, expected_file
from textkit.cli import main
from textkit.errors import FormatError, TextkitWarning
from textkit.formats import ATTAINMENT_COLUMNS, attainment_rows, read_kpis
from textkit.kpi import convert
from textkit.kpi_attainment import (
    AttainmentStatus,
    Direction,
    Observation,
    Pairing,
    ReportedIndicator,
    Results,
    direction_of,
    evaluate,
    read_results,
    read_value,
    stated_attainment,
    year_of_header,
)
from textkit.models import KPI
from textkit.pipeline import attainment

CASES = Path(__file__).parent / "cases" / "attainment"
# Cases report names that are no KPI on purpose; the tests below check those warnings themselves.
pytestmark = pytest.mark.filterwarnings("ignore::textkit.errors.TextkitWarning")


def _expected(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _run_case(case: str, results: Path | None = None):
    """One of the benchmark's cases (scripts/bench_attainment.CASES_RUN: the one list of them)."""
    _, kpis, res, prev, _ = CASES_RUN[case]
    return attainment(kpis, results or res, previous=prev)


def _check(table, expected: list[dict[str, str]], path: Path) -> None:
    kpis = read_kpis(path) if path.suffix == ".csv" else textkit.parse(path).kpis
    # every strategy KPI appears exactly once
    assert sorted(r.name for r in table.rows) == sorted(k.name for k in kpis)
    rows = {r["name"]: r for r in attainment_rows(table)}
    by_name = {r.name: r for r in table.rows}
    listed = {e["name"] for e in expected}
    # a KPI the expected file does not list was not reported
    assert all(r["status"] == "no_data" for n, r in rows.items() if n not in listed)
    for exp in expected:
        got = rows[exp["name"]]
        for col in ("result_name", "direction", "status", "latest_year", "series"):
            assert str(got[col]) == exp[col], (exp["name"], col, got[col], exp[col])
        for col in ("latest_value", "stated_attainment"):
            want = exp[col]
            value = getattr(by_name[exp["name"]], col)
            assert (value is None) == (want == ""), (exp["name"], col, value)
            if want:
                assert math.isclose(value, float(want), abs_tol=1e-9), (exp["name"], col)
        want = exp["attainment"]
        value = by_name[exp["name"]].attainment
        assert (value is None) == (want == ""), (exp["name"], "attainment", value)
        if want:  # hand computation written to 6 decimals
            assert abs(value - float(want)) < 5e-7, (exp["name"], value, want)
        if exp["note_has"]:
            assert exp["note_has"] in got["note"], (exp["name"], got["note"])


@pytest.mark.parametrize(
    "case", sorted(CASES_RUN), ids=lambda c: re.sub(r"[^a-z0-9]+", "-", c.lower()).strip("-")
)
def test_every_case_row_exactly(case: str) -> None:
    _check(_run_case(case), _expected(expected_file(case)), CASES_RUN[case][1])


def test_town_counts_and_warnings() -> None:
    with pytest.warns(TextkitWarning, match="ふるさと納税寄附額"):
        table = _run_case("town (long)")
    assert {s.value: n for s, n in table.counts().items()} == {
        "achieved": 6,
        "behind": 8,
        "no_data": 1,
    }
    # a reported indicator that is no strategy KPI is said, not dropped silently
    assert any("ふるさと納税寄附額" in w for w in table.warnings)


def test_long_and_wide_forms_give_the_same_table() -> None:
    long = attainment_rows(_run_case("town (long)"))
    wide = attainment_rows(_run_case("town (wide)"))
    assert long == wide


def test_wide_xlsx_with_numeric_year_headers(tmp_path: Path) -> None:
    """Excel stores a header typed as 2020 as a number and 1.30 as a float; both must read."""
    import openpyxl

    with open(CASES / "town_results_wide.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    wb = openpyxl.Workbook()
    ws = wb.active
    header = [int(h) if h.isdigit() else h for h in rows[0]]
    ws.append(header)
    for r in rows[1:]:
        ws.append([float(c) if c.replace(".", "").isdigit() else c for c in r])
    path = tmp_path / "results.xlsx"
    wb.save(path)
    case = "town (wide)"
    _check(_run_case(case, path), _expected(expected_file(case)), CASES_RUN[case][1])


def test_two_reported_names_for_one_kpi_are_named_not_merged() -> None:
    table = _run_case("town (long)")
    row = next(r for r in table.rows if r.name == "観光入込客数")
    assert row.result_name == "観光入込客数"
    assert "観光入込客数（うち外国人）" in row.note
    assert row.series == ((2022, 26.2), (2023, 31.2))  # the foreign visitors' figures are not in it


def test_a_near_tie_between_two_reported_names_asks_for_review(tmp_path: Path) -> None:
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(
        "measure_id,level,name,baseline_raw,target_raw\nG1-M1,measure,移住相談件数,40件,60件\n",
        encoding="utf-8",
    )
    results = tmp_path / "results.csv"
    results.write_text(
        "name,fiscal_year,actual_raw\n移住相談件数(窓口),2023,30件\n移住相談件数(電話),2023,25件\n",
        encoding="utf-8",
    )
    (row,) = attainment(kpis, results).rows
    assert row.result_name in ("移住相談件数(窓口)", "移住相談件数(電話)")
    other = ({"移住相談件数(窓口)", "移住相談件数(電話)"} - {row.result_name}).pop()
    assert other in row.note and "要確認" in row.note


def test_dropped_previous_kpi_results_are_a_warning() -> None:
    table = _run_case("editions (第2期 → 第3期)")
    assert len(table.rows) == 4
    assert any("商店街の歩行者通行量" in w and "dropped" in w for w in table.warnings)


def test_a_header_naming_an_indicator_is_the_name_column(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("重要業績評価指標（KPI）の名称,R4\n移住者数,12人\n", encoding="utf-8")
    (indicator,) = read_results(path).indicators
    assert indicator.name == "移住者数" and indicator.observations[0].year == 2022


def test_names_with_the_same_characters_reordered_pair() -> None:
    """観光客入込数 ↔ 観光入込客数: compound words swapped; a one-character difference does not."""
    kpis = [
        KPI("G1", "measure", "観光入込客数", unit="万人"),
        KPI("G1", "measure", "転入者数", unit="人"),
        KPI("G1", "measure", "転出者数", unit="人"),
    ]
    reported = [
        ReportedIndicator("観光客入込数", (Observation(2023, 188.0, "万人"),)),
        ReportedIndicator("転出者数", (Observation(2023, 3.0, "人"),)),
    ]
    from textkit.kpi_attainment import pair_results

    pairings, _ = pair_results(kpis, reported)
    assert [p.direct.name if p.direct else "" for p in pairings] == ["観光客入込数", "", "転出者数"]


def test_duplicate_year_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("name,fiscal_year,actual_raw\nA,R4,10人\nA,2022,12人\n", encoding="utf-8")
    results = read_results(path)
    assert [o.value for o in results.indicators[0].observations] == [12.0]
    assert any("twice" in w for w in results.warnings)


# ── parsing pieces ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("header", "year"),
    [
        ("2022", 2022),
        ("R4", 2022),
        ("令和4年度", 2022),
        ("令和元年度", 2019),
        ("H30", 2018),
        ("2023年度", 2023),
        ("Ｒ５実績", 2023),
        ("FY2021", 2021),
        ("実績値(R4)", 2022),
        ("2020(R2)", 2020),
        ("H31/R1", 2019),
        ("2020(R3)", None),
        ("基準値(H30)", None),
        ("目標値(R6)", None),
        ("name", None),
        ("result_raw", None),
        ("20220", None),
    ],
)
def test_year_of_header(header: str, year: int | None) -> None:
    assert year_of_header(header) == year


@pytest.mark.parametrize(
    ("text", "fraction"),
    [
        ("指標達成度 133%", 1.33),
        ("最終値40人 指標達成度 100%", 1.0),
        ("（達成率：92.5％）", 0.925),
        ("達成度 85", 0.85),
        ("達成度 1.2", 1.2),
        ("最終値40人", None),
    ],
)
def test_stated_attainment(text: str, fraction: float | None) -> None:
    assert stated_attainment(text)[0] == fraction


@pytest.mark.parametrize(
    ("raw", "year", "value", "unit", "cumulative"),
    [
        ("最終値40人", None, 40.0, "人", False),
        ("1,284件", None, 1284.0, "件", False),
        ("最終値年1,500人（指標達成度 125%）", None, 1500.0, "人", False),
        ("令和3年度実績:入学者数 37名", 2021, 37.0, "人", False),
        ("累計3件", None, 3.0, "件", True),
        ("コロナ禍により中止", None, None, "", False),
    ],
)
def test_read_value(raw, year, value, unit, cumulative) -> None:
    obs, _ = read_value(raw)
    assert (obs.year, obs.value, obs.unit, obs.cumulative) == (year, value, unit, cumulative)


def test_convert_units() -> None:
    assert convert(312000, "人", "万人") == 31.2
    assert convert(1.2, "億円", "万円") == 12000
    assert convert(40, "名", "人") == 40
    assert convert(40, "%", "人") is None
    assert convert(40, "", "人") == 40
    # one unit-scale home (textkit.kpi): attainment's own table lacked 千万 and 兆 and read a
    # scale alone (3.5万) as a unit of its own, so these were "単位が合わない"
    assert convert(8, "千万円", "億円") == 0.8
    assert convert(2, "兆円", "億円") == 20000
    assert convert(3.5, "万", "人") == 35000
    assert convert(3, "千名", "人") == 3000


def test_results_in_a_scale_the_attainment_table_did_not_know_are_converted(tmp_path: Path) -> None:
    """2兆円 against a KPI in 億円 and a bare-scale 3.5万 against a KPI in 人 were not used (no_data,
    note 単位が合わない) while textkit.kpi, which the KPI table went through, reads both."""
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(
        "measure_id,level,name,baseline_raw,target_raw\n"
        "G1,goal,市内総生産,18000億円 (R1),20000億円\nG1,measure,観光入込客数,30000人 (R1),40000人\n",
        "utf-8",
    )
    results = tmp_path / "results.csv"
    results.write_text("指標名,2022\n市内総生産,2兆円\n観光入込客数,3.5万\n", "utf-8")
    gdp, visitors = textkit.attainment(kpis, results).rows
    assert (gdp.latest_value, gdp.attainment, gdp.status.value) == (20000.0, 1.0, "achieved")
    assert "兆円" in gdp.note and "に換算" in gdp.note
    assert (visitors.latest_value, visitors.attainment) == (35000.0, 0.5)


def _kpi(baseline: str, target: str) -> KPI:
    from textkit.kpi import make_kpi

    return make_kpi("G1-M1", "measure", "指標", baseline, target)


@pytest.mark.parametrize(
    ("baseline", "target", "direction"),
    [
        ("100人", "120人", Direction.INCREASE),
        ("120人", "80人", Direction.DECREASE),
        ("100人", "100人", Direction.MAINTAIN),
        ("22%", "基準値より増", Direction.INCREASE),
        ("10件", "基準値より減", Direction.DECREASE),
        ("18%", "維持", Direction.MAINTAIN),
        ("79歳", "延伸", Direction.INCREASE),
        ("38%", "60%以上", Direction.INCREASE),
        ("950g", "900g以下", Direction.DECREASE),
        ("85%", "80%以上", Direction.MAINTAIN),  # the bound is met at baseline: hold it
        ("", "0人", Direction.DECREASE),
    ],
)
def test_direction_from_wording_or_baseline_vs_target(baseline, target, direction) -> None:
    assert direction_of(_kpi(baseline, target))[0] is direction


def test_maintain_zero_means_staying_at_zero() -> None:
    kpi = _kpi("0人", "0人")
    rep = ReportedIndicator("待機児童数", (Observation(2023, 2.0, "人", "2人"),))
    row = evaluate(kpi, Pairing(direct=rep, score=1.0))
    assert row.direction is Direction.MAINTAIN and row.status is AttainmentStatus.BEHIND


@settings(max_examples=200, deadline=None)
@given(
    base=st.integers(0, 1000),
    delta=st.integers(-500, 500).filter(lambda d: d != 0),
    latest=st.integers(0, 2000),
)
def test_status_agrees_with_attainment(base: int, delta: int, latest: int) -> None:
    """Increase or decrease: achieved exactly when attainment reaches 1, and the attainment is
    (latest − baseline) / (target − baseline)."""
    target = base + delta
    if target < 0:
        return
    kpi = _kpi(f"{base}人", f"{target}人")
    rep = ReportedIndicator("指標", (Observation(2023, float(latest), "人", f"{latest}人"),))
    row = evaluate(kpi, Pairing(direct=rep, score=1.0))
    expected = (latest - base) / (target - base)
    assert row.attainment is not None and abs(row.attainment - expected) < 1e-6
    assert (row.status is AttainmentStatus.ACHIEVED) == (expected >= 1 - 1e-9)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_read_value_never_raises(text: str) -> None:
    obs, _remark = read_value(text)
    assert obs.value is None or math.isfinite(obs.value)


# ── inputs that are not results tables ──────────────────────────────────────


def test_results_without_a_name_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("fiscal_year,actual_raw\nR4,10人\n", encoding="utf-8")
    with pytest.raises(FormatError, match="name"):
        read_results(path)


def test_results_without_years_or_values_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("name,comment\nA,good\n", encoding="utf-8")
    with pytest.raises(FormatError, match="fiscal_year"):
        read_results(path)


def test_a_strategy_document_gives_every_kpi_once() -> None:
    doc = Path(__file__).resolve().parent.parent / "corpora" / "otaru_2nd_strategy.md"
    strategy = textkit.parse(doc)
    table = textkit.attainment(doc, CASES / "town_results_long.csv")
    assert len(table.rows) == len(strategy.kpis) > 20
    assert [r.name for r in table.rows] == [k.name for k in strategy.kpis]


def test_results_object_and_package_function() -> None:
    results = read_results(CASES / "town_results_long.csv")
    assert isinstance(results, Results) and results.form == "long"
    table = textkit.attainment(CASES / "town_kpis.csv", results)
    assert len(table.rows) == 15


# ── CLI ─────────────────────────────────────────────────────────────────────


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_cli_writes_the_table(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"attainment{suffix}"
    result = _cli(
        "attainment", str(CASES / "town_kpis.csv"), str(CASES / "town_results_wide.csv"),
        "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "達成 6" in result.output and "未達 8" in result.output and "実績なし 1" in result.output
    assert "ふるさと納税寄附額" in result.output  # the warning
    from textkit.tables import read_rows

    rows = read_rows(out)
    assert len(rows) == 15
    assert list(rows[0])[: len(ATTAINMENT_COLUMNS)] == list(ATTAINMENT_COLUMNS)
    status = {r["name"]: r["status"] for r in rows}
    assert status["健康寿命"] == "no_data" and status["企業誘致件数"] == "achieved"
    if suffix == ".json":
        assert isinstance(json.loads(out.read_text(encoding="utf-8")), list)


def test_cli_prints_csv_and_continues_editions() -> None:
    result = _cli(
        "attainment", str(CASES / "editions_kpis.csv"), str(CASES / "editions_results.csv"),
        "--previous", str(CASES / "editions_previous_kpis.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("G1-M1,")]
    assert "2020:46.5" in lines[0] and "新規高卒者の市内就職割合" in lines[0]


def test_cli_bad_results_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    shutil.copy(CASES / "town_kpis.csv", path)  # a KPI table is not a results table
    result = _cli("attainment", str(CASES / "town_kpis.csv"), str(path))
    assert result.exit_code == 2
    assert result.output.startswith("error:") and len(result.output.strip().splitlines()) == 1


# ── reports: 達成状況 sheet and HTML charts ──────────────────────────────────

OTARU_MD = Path(__file__).resolve().parent.parent / "corpora" / "otaru_2nd_strategy.md"
OTARU_3RD = OTARU_MD.parent / "synthetic" / "otaru_3rd_measures.csv"


def test_report_with_results_has_the_attainment_sheet_and_charts(tmp_path: Path) -> None:
    import openpyxl

    xlsx, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    result = _cli(
        "report", str(OTARU_MD), str(OTARU_3RD), "--xlsx", str(xlsx), "--html", str(html),
        "--mappings", str(tmp_path / "maps"), "--results", str(CASES / "otaru_results_wide.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[-1] == "達成状況"
    rows = list(wb["達成状況"].iter_rows(values_only=True))
    assert len(rows) == 1 + 35  # every KPI of the 第2期 document once
    status = {r[3]: r[14] for r in rows[1:]}
    assert status["転出超過数"] == "未達" and status["雇用保険一般被保険者数"] == "達成"
    assert status["健康寿命の延伸"] == "実績なし"
    assert {r[0] for r in rows[1:]} == {"第2期"}  # the results lie within the 第2期 period
    summary = [r for r in wb["概要"].iter_rows(values_only=True)]
    assert ("達成", 4) in summary and ("未達", 3) in summary and ("実績なし", 28) in summary
    page = html.read_text(encoding="utf-8")
    assert 'id="attainment-counts"' in page
    assert page.count('id="attainment-') >= 4 + 1  # one chart per goal with data, and the counts
    assert "実績なし: " in page  # unreported KPIs are listed under their goal's chart


def test_report_without_results_has_no_attainment(tmp_path: Path) -> None:
    import openpyxl

    xlsx = tmp_path / "r.xlsx"
    textkit.report(OTARU_MD, OTARU_3RD, xlsx=xlsx, mappings_dir=tmp_path / "maps")
    assert "達成状況" not in openpyxl.load_workbook(xlsx).sheetnames


def test_report_attainment_follows_the_edition_the_results_cover() -> None:
    from textkit.pipeline import report_attainment
    from textkit.sources import load_kpi_source

    old = load_kpi_source(CASES / "editions_previous_kpis.csv")
    new = load_kpi_source(CASES / "editions_kpis.csv")
    # results up to 2026 lie after the 第2期 targets (R6 = 2024): the 第3期 KPIs, series continued
    table, edition = report_attainment(old, new, CASES / "editions_results.csv")
    assert edition == "第3期" and len(table.rows) == 4
    assert table.rows[0].series[0] == (2020, 46.5)


def test_chart_titles_are_escaped_for_plotly() -> None:
    from textkit.kpi_attainment import AttainmentRow
    from textkit.render import attainment_figure

    row = AttainmentRow(
        measure_id="G1-M1", level="measure", name='<a href="x">参加者数</a>', result_name="x",
        baseline_value=1.0, target_value=2.0, unit="<b>人</b>", target_year=2024,
        direction=Direction.INCREASE, latest_year=2023, latest_value=1.5, attainment=0.5,
        stated_attainment=None, status=AttainmentStatus.BEHIND, series=((2023, 1.5),),
    )  # fmt: skip
    fig = attainment_figure([row])
    text = " ".join(a.text for a in fig.layout.annotations) + " ".join(
        " ".join(t.text) for t in fig.data
    )
    assert all("参加者数" not in t.hovertemplate for t in fig.data)  # names are data, not template
    assert "<a " not in text and "<b>" not in text
    assert "&lt;a href" in text and "&lt;b&gt;人" in text


def test_a_period_total_is_charted_as_a_running_sum() -> None:
    from textkit.render import attainment_figure

    table = _run_case("town (long)")
    row = next(r for r in table.rows if r.name == "新規就農者数")  # 5年間で10人: 1, 3, 2, 2
    fig = attainment_figure([row])
    assert list(fig.data[0].y) == [1, 4, 6, 8] and list(fig.data[1].y) == [10, 10]
    assert "累計" in fig.layout.annotations[0].text
    assert {ax.type for ax in (fig.layout.xaxis,)} == {"category"}


def test_one_undated_figure_against_a_period_total_is_the_total(tmp_path: Path) -> None:
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(
        "measure_id,level,name,baseline_raw,target_raw\nG1-M1,measure,移住者数,5人,5年間で30人\n",
        encoding="utf-8",
    )
    results = tmp_path / "r.csv"
    results.write_text("name,result_raw\n移住者数,最終値24人\n", encoding="utf-8")
    (row,) = attainment(kpis, results).rows
    assert row.attainment == 0.8 and row.status is AttainmentStatus.BEHIND  # 24/30, from zero
    assert "合計" in row.note


def test_a_results_table_read_as_a_kpi_table_says_so(tmp_path: Path) -> None:
    """The issue's starting point: result_raw was dropped silently, and a review table without
    targets made every KPI look target_changed."""
    path = tmp_path / "review.csv"
    path.write_text(
        "name,baseline_raw,target_raw,fiscal_year,actual_raw,result_raw\n"
        "移住者数,5人,,R5,40人,最終値40人\n",
        encoding="utf-8",
    )
    with pytest.warns(TextkitWarning) as record:
        (kpi,) = read_kpis(path)
    text = " ".join(str(w.message) for w in record)
    assert "actual_raw" in text and "textkit attainment" in text and "target_changed" in text
    assert kpi.result_raw == "最終値40人"  # the stated result is kept on the KPI


def test_bare_numbers_the_size_of_the_base_unit_are_converted(tmp_path: Path) -> None:
    """A results sheet of bare Excel numbers (120000 / 150000 / 205000) against a KPI of 18万人 →
    22万人 was read as 205,000 万人 (attainment 51245.5, 達成, no note); bare numbers the size of
    the KPI's own values (20.5) stay in its unit; a KPI in an unscaled unit is untouched."""
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(
        "measure_id,level,name,baseline_raw,target_raw\n"
        "G1,measure,観光入込客数,18万人 (R1),22万人\nG1,measure,移住者数,120人 (R1),150人\n",
        "utf-8",
    )
    people = tmp_path / "people.csv"
    people.write_text(
        "指標名,2020,2021,2022\n観光入込客数,120000,150000,205000\n移住者数,130,140,145\n", "utf-8"
    )
    scaled = tmp_path / "scaled.csv"
    scaled.write_text("指標名,2020,2021,2022\n観光入込客数,12,15,20.5\n", "utf-8")
    for results in (people, scaled):
        row = textkit.attainment(kpis, results).rows[0]
        assert (row.latest_value, row.attainment, row.status.value) == (20.5, 0.625, "behind")
        assert ("桁から 人 と読み 万人 に換算" in row.note) is (results == people)
    other = textkit.attainment(kpis, people).rows[1]
    assert (other.latest_value, other.note) == (145.0, "")
