"""What a new user reads: evaluate of unrelated maps warns, parse --explain of a table explains
the table, counts are in the right number, demo outside a clone says what it needs."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from textkit.cli import main
from textkit.errors import TextkitWarning
from textkit.evaluate import evaluate
from textkit.wording import plural, verb

from .conftest import CORPORA, ROOT

ALIGN = ROOT / "tests" / "cases" / "align"


def _run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


# ── evaluate: maps of other documents ────────────────────────────────────────


def test_evaluate_of_unrelated_maps_warns_what_to_check():
    """Otaru's gold against Tomakomai's: their NEW ids (G1-M1 …) coincide but name other
    measures, their OLD ids (G1-M1 … vs P1 …) share none. Before: F1 0.000 and nothing else."""
    result = _run("evaluate", ALIGN / "otaru" / "gold.csv", ALIGN / "tomakomai" / "gold.csv")
    assert result.exit_code == 0, result.output
    assert "F1 0.000" in result.output
    assert (
        "warning: MAP and GOLD share no OLD (old_id) id (MAP: G1-M1, G1-M2, G1-M3 …; "
        "GOLD: P1, P10, P11 …): check that GOLD is the gold map of the pair MAP was made from"
    ) in result.output
    assert (
        "warning: the 12 NEW (new_id) ids MAP and GOLD share mostly name other measures "
        "(0 of 12 have the same title; G1-M1 is 「地元企業の販路拡大と生産性向上の後押し」 in MAP, "
        "「進出・立地企業へのサポート機能の強化」 in GOLD)"
    ) in result.output


@pytest.mark.parametrize("pair", ["otaru", "tomakomai", "kitahama"])
def test_evaluate_of_the_same_pair_does_not_warn(pair):
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextkitWarning)
        scores = evaluate(ALIGN / pair / "gold.csv", ALIGN / pair / "gold.csv")
    assert scores.warnings == () and scores.f1 == 1.0


# ── parse --explain of a table ────────────────────────────────────────────────


def test_parse_explain_of_a_measure_table_explains_the_table(tmp_path):
    table = tmp_path / "施策.csv"
    table.write_text(
        "番号,基本目標,施策名,概要,担当課\n1,しごとをつくる,企業誘致,誘致します,産業課\n"
        "2,しごとをつくる,創業支援,,産業課\n3,ひとを呼ぶ,移住促進,,企画課\n",
        encoding="utf-8",
    )
    result = _run("parse", table, "--explain")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "a measure table (formats §1), not a document: 施策.csv is read as it is",
        "columns:",
        "  id ← 番号",
        "  goal ← 基本目標",
        "  title ← 施策名",
        "  text ← 概要",
        "  not read: 担当課",
        "  absent (empty): items",
        "rows: 3 rows → 3 measures under 2 goals",
        "KPIs: none read — a measure table holds measures only; give KPIs as a KPI table "
        "(formats §2, textkit kpis DOC -o kpis.csv)",
    ]  # before: the table again as CSV


def test_parse_explain_of_a_written_measure_table_names_the_columns_not_read():
    result = _run("parse", CORPORA / "synthetic" / "otaru_3rd_measures.csv", "--explain")
    assert result.exit_code == 0, result.output
    assert "rows: 15 rows → 15 measures under 4 goals" in result.output
    assert not result.output.startswith("id,goal,title")


# ── counts in the right number ───────────────────────────────────────────────


def test_counts_agree_with_their_nouns():
    assert [plural(n, "KPI") for n in (0, 1, 2)] == ["0 KPIs", "1 KPI", "2 KPIs"]
    assert plural(1, "entry") == "1 entry" and plural(2, "entry") == "2 entries"
    assert f"{plural(1, 'page')} {verb(1, 'is')}" == "1 page is"


def test_summary_and_explain_say_one_kpi_and_one_item(tmp_path):
    from textkit.sources import parse
    from textkit.structure import summary

    doc = tmp_path / "one.txt"
    doc.write_text(
        "基本目標1 しごとをつくる\n（1）企業誘致の推進\n・工業団地の造成\n"
        "KPI：誘致企業数 1社（R1）→ 5社（R6）\n（2）創業の支援\n・創業塾の開催\n",
        encoding="utf-8",
    )
    s = parse(doc)
    assert summary(s) == "1 goal, 2 measures, 1 KPI; 1 measure without KPIs"
    result = _run("parse", doc, "--explain")
    assert "G1-M1 企業誘致の推進 (p.1; 1 item, 1 KPI)" in result.output  # was "1 items, 1 KPIs"


def test_not_a_strategy_says_no_kpis_under_any_measure(tmp_path):
    doc = tmp_path / "report.txt"
    doc.write_text(
        "1．人口の動き\n（1）出生数の推移\n出生数は減っています。\n（2）転出の状況\n若者が転出しています。\n"
        "2．産業の動き\n（1）農業\n農家は減っています。\n（2）観光\n観光客は増えています。\n",
        encoding="utf-8",
    )
    result = _run("parse", doc)
    assert result.exit_code == 2
    assert "no KPIs under any of their 4 measures" in result.output  # was "only 0 of 4 measures"


def test_review_apply_of_one_decision_says_one(tmp_path):
    import openpyxl

    from .test_report import write_tomakomai_workbook

    book = write_tomakomai_workbook(tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["対応表"]
    ws["H2"] = "承認"
    wb.save(book)
    result = _run("review", "apply", book, "--mappings", tmp_path / "maps")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("(revision 1: 1 decision)")


# ── demo outside a clone ─────────────────────────────────────────────────────


def test_demo_outside_a_clone_says_what_it_needs(tmp_path):
    result = _run("demo", "--root", tmp_path)
    assert result.exit_code == 2
    line = result.output.strip()
    assert line.count("\n") == 0
    assert line.startswith(
        "error: textkit demo runs on the bundled corpus, corpora/index.csv of a textkit clone "
        f"(it is not installed with the package), and {tmp_path.resolve()} has none; "
    )  # before: "…/corpora/index.csv: file not found; check the path and the file name"
    assert f"textkit demo --root {Path(ROOT).resolve()}" in line
    assert not (tmp_path / "mappings").exists() and not (tmp_path / "reports").exists()
