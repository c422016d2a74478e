"""Workbook and HTML headers name the editions of the pair (stated with --old-label/--new-label or
read from the documents), and `review apply` still reads every workbook: its columns are found
through the hidden textkit sheet and their positions, never by the visible words alone."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from textkit.decisions import read_reviewed
from textkit.pipeline import make_report
from textkit.review import apply_workbook
from textkit.sources import parse

from .conftest import CORPORA, OTARU_MD
from .test_report import write_tomakomai_workbook

OTARU_3RD = CORPORA / "synthetic" / "otaru_3rd_measures.csv"


def _first_and_second():
    """Otaru's 第2期 as a 第1期 and the synthetic 第3期 as a 第2期: editions the documents state."""
    return (
        dataclasses.replace(parse(OTARU_MD), edition=1),
        dataclasses.replace(parse(OTARU_3RD), edition=2),
    )


def _rows(ws):
    return list(ws.iter_rows(values_only=True))


def _edit(path: Path, old_header: str, new_header: str, changes: dict[str, dict[str, str]]):
    """Set cells of 対応表 rows found by "old id>new id", columns named as the workbook shows."""
    wb = openpyxl.load_workbook(path)
    ws = wb["対応表"]
    header = [c.value for c in ws[1]]
    oi, ni = header.index(old_header), header.index(new_header)
    for row in ws.iter_rows(min_row=2):
        key = f"{row[oi].value or ''}>{row[ni].value or ''}"
        for column, value in changes.get(key, {}).items():
            row[header.index(column)].value = value
    wb.save(path)
    return path


def test_headers_follow_the_editions_the_documents_state(tmp_path):
    old, new = _first_and_second()
    xlsx, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    make_report(old, new, xlsx=xlsx, html=html, mappings_dir=tmp_path / "maps")
    wb = openpyxl.load_workbook(xlsx)
    header = _rows(wb["対応表"])[0]
    assert header[:4] == ("第1期 ID", "第1期 施策", "第2期 ID", "第2期 施策")
    assert header[9:12] == ("要確認", "元の第1期 ID", "元の第2期 ID")
    assert _rows(wb["新規"])[0][:2] == ("第2期 ID", "第2期 施策")
    assert _rows(wb["廃止"])[0][:2] == ("第1期 ID", "第1期 施策")
    assert {r[0] for r in _rows(wb["施策一覧"])[1:]} == {"第1期", "第2期"}
    overview = dict(_rows(wb["概要"])[1:6])
    assert overview["対象"] == "小樽市 第1期 → 第2期"
    assert overview["第1期 施策数"] == 12 and "第2期 資料" in overview
    assert "第3期" not in " ".join(str(c) for r in _rows(wb["使い方"]) for c in r)
    meta = dict(_rows(wb["textkit"]))
    assert (meta["old_label"], meta["new_label"]) == ("第1期", "第2期")
    page = html.read_text(encoding="utf-8")
    assert "<th>第1期 ID</th><th>第1期 施策</th><th>第2期 ID</th>" in page
    assert "第3期" not in page.split("<body>", 1)[1].split('<div id="sankey"', 1)[0]


def test_stated_labels_name_every_sheet_and_the_workbook_applies(tmp_path):
    xlsx = tmp_path / "r.xlsx"
    maps = tmp_path / "maps"
    labels = {"old_label": "2020年版", "new_label": "2025年版"}
    make_report(OTARU_MD, OTARU_3RD, xlsx=xlsx, mappings_dir=maps, **labels)
    wb = openpyxl.load_workbook(xlsx)
    assert _rows(wb["対応表"])[0][:4] == (
        "2020年版 ID",
        "2020年版 施策",
        "2025年版 ID",
        "2025年版 施策",
    )
    assert _rows(wb["KPI監査"])[0][1:5] == (
        "2020年版 指標",
        "2020年版 目標値",
        "2025年版 指標",
        "2025年版 目標値",
    )
    assert dict(_rows(wb["概要"])[1:4])["対象"] == "小樽市 2020年版 → 2025年版"
    _edit(
        xlsx,
        "2020年版 ID",
        "2025年版 ID",
        {
            "G1-M1>G1-M1": {"確認": "承認", "備考": "確認済み"},
            "G1-M3>G1-M4": {"2025年版 ID": "G1-M3", "確認": "修正"},
        },
    )
    result = apply_workbook(xlsx, maps)
    got = [
        (r.old_id, r.new_id, r.decision.value, r.note) for r in read_reviewed(result.path).records
    ]
    assert got == [("G1-M1", "G1-M1", "approve", "確認済み"), ("G1-M3", "G1-M3", "correct", "")]


def test_unknown_id_is_named_by_the_header_the_workbook_shows(tmp_path):
    xlsx = tmp_path / "r.xlsx"
    make_report(
        OTARU_MD, OTARU_3RD, xlsx=xlsx, mappings_dir=tmp_path, old_label="前期", new_label="今期"
    )
    _edit(xlsx, "前期 ID", "今期 ID", {"G1-M1>G1-M1": {"今期 ID": "G9-M9", "確認": "修正"}})
    result = apply_workbook(xlsx, tmp_path)  # (refused the workbook before: now kept 保留)
    assert any("row 2 (G1-M1 → G9-M9): 今期 ID 'G9-M9' is not in" in w for w in result.warnings)


def test_columns_are_found_by_position_when_staff_retype_the_headers(tmp_path):
    xlsx = tmp_path / "r.xlsx"
    make_report(OTARU_MD, OTARU_3RD, xlsx=xlsx, mappings_dir=tmp_path, old_label="A", new_label="B")
    _edit(xlsx, "A ID", "B ID", {"G1-M1>G1-M1": {"確認": "承認"}})
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["対応表"]
    for cell, word in zip(ws[1], ("旧", "旧の施策", "新", "新の施策", "種別"), strict=False):
        cell.value = word
    wb.save(xlsx)
    result = apply_workbook(xlsx, tmp_path)
    assert [(r.old_id, r.new_id) for r in read_reviewed(result.path).records] == [
        ("G1-M1", "G1-M1")
    ]


def test_columns_are_found_by_their_headers_when_staff_insert_a_column(tmp_path):
    xlsx = tmp_path / "r.xlsx"
    make_report(OTARU_MD, OTARU_3RD, xlsx=xlsx, mappings_dir=tmp_path, old_label="A", new_label="B")
    _edit(xlsx, "A ID", "B ID", {"G1-M1>G1-M1": {"確認": "却下", "備考": "別の施策"}})
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["対応表"]
    ws.insert_cols(1)
    ws["A1"] = "担当課"
    ws["A2"] = "産業振興課"
    wb.save(xlsx)
    result = apply_workbook(xlsx, tmp_path)
    got = [
        (r.old_id, r.new_id, r.decision.value, r.note) for r in read_reviewed(result.path).records
    ]
    assert got == [("G1-M1", "G1-M1", "reject", "別の施策")]


@pytest.mark.parametrize("with_needs_review", [True, False], ids=["要確認", "before 要確認"])
def test_a_workbook_written_before_labels_still_applies(tmp_path, with_needs_review):
    """Format 2 (第2期/第3期 headers, no labels or column list in the textkit sheet), with and
    without the 要確認 column (workbooks made before it have the hidden columns one left)."""
    workbook = write_tomakomai_workbook(tmp_path / "old.xlsx")
    wb = openpyxl.load_workbook(workbook)
    if not with_needs_review:
        wb["対応表"].delete_cols(10)
    meta = wb["textkit"]
    for row in range(meta.max_row, 0, -1):
        if meta.cell(row, 1).value in ("old_label", "new_label", "map_columns"):
            meta.delete_rows(row)
        elif meta.cell(row, 1).value == "format":
            meta.cell(row, 2).value = 2
    ws = wb["対応表"]
    for row in ws.iter_rows(min_row=2):
        if (row[0].value, row[2].value) == ("P1", "G1-M3"):
            row[7].value = "承認"
    wb.save(workbook)
    result = apply_workbook(workbook, tmp_path)
    assert [(r.old_id, r.new_id) for r in read_reviewed(result.path).records] == [("P1", "G1-M3")]


def test_same_label_on_both_sides_is_told_apart(tmp_path):
    xlsx = tmp_path / "r.xlsx"
    make_report(
        OTARU_MD, OTARU_3RD, xlsx=xlsx, mappings_dir=tmp_path, old_label="第2期", new_label="第2期"
    )
    wb = openpyxl.load_workbook(xlsx)
    assert _rows(wb["対応表"])[0][:3] == ("第2期（旧） ID", "第2期（旧） 施策", "第2期（新） ID")
    _edit(xlsx, "第2期（旧） ID", "第2期（新） ID", {"G1-M1>G1-M1": {"確認": "承認"}})
    result = apply_workbook(xlsx, tmp_path)
    assert [(r.old_id, r.new_id) for r in read_reviewed(result.path).records] == [
        ("G1-M1", "G1-M1")
    ]


def test_kpi_audit_workbook_and_attainment_follow_the_labels(tmp_path):
    from click.testing import CliRunner

    from textkit.cli import main
    from textkit.pipeline import report_attainment
    from textkit.sources import load_kpi_source

    out = tmp_path / "audit.xlsx"
    kpis = CORPORA / "synthetic" / "otaru_3rd_kpis.csv"
    args = ["kpis-compare", str(OTARU_MD), str(kpis), "-o", str(out), "--new-label", "2025年版"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert _rows(wb["KPI監査"])[0][1:5] == (
        "第2期 指標",
        "第2期 目標値",
        "2025年版 指標",
        "2025年版 目標値",
    )
    cases = Path(__file__).parent / "cases" / "attainment"
    old = load_kpi_source(cases / "editions_previous_kpis.csv")
    new = load_kpi_source(cases / "editions_kpis.csv")
    _, edition = report_attainment(
        old, new, cases / "editions_results.csv", labels=("2020年版", "2025年版")
    )
    assert edition == "2025年版"


def test_editions_named_by_year_in_the_documents(tmp_path):
    """A document that names its edition by a year (みなと町総合戦略 2020年版) and states no 第N期:
    that is its label in every header."""
    body = (
        "\n基本目標1 しごとをつくる\n（1）企業誘致の推進\n・工業団地の造成\n"
        "KPI：誘致企業数 1社（R1）→ 5社（R6）\n（2）創業の支援\n・創業塾の開催\n"
        "KPI：創業件数 1件（R1）→ 5件（R6）\n"
    )
    old, new = tmp_path / "minato_2020.txt", tmp_path / "minato_2025.txt"
    old.write_text("みなと町総合戦略 2020年版\n" + body, encoding="utf-8")
    new.write_text("みなと町総合戦略（令和7年度版）\n" + body, encoding="utf-8")
    assert parse(old).edition_label == "2020年版" and parse(old).edition is None
    xlsx, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    make_report(old, new, xlsx=xlsx, html=html, mappings_dir=tmp_path / "maps")
    wb = openpyxl.load_workbook(xlsx)
    assert _rows(wb["対応表"])[0][:3] == ("2020年版 ID", "2020年版 施策", "令和7年度版 ID")
    assert dict(_rows(wb["概要"])[1:4])["対象"] == "みなと町 2020年版 → 令和7年度版"
    assert "<h1>施策の継続状況: みなと町 2020年版 → 令和7年度版</h1>" in html.read_text("utf-8")
