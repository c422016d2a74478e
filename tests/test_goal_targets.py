"""The label above a KPI table says its level (session-4 trial F2): 【数値目標】 over a table headed
指標 / 基準値 / 目標値 holds the goal's targets; a duplicate measure id is refused naming its rows
(F16). Case: tests/cases/goal_targets (README says what each goal checks)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import textkit
from textkit.errors import FormatError, TextkitWarning
from textkit.structure import Line, lines_to_outline, outline_to_strategy

CASE = Path(__file__).parent / "cases" / "goal_targets"


def _owners(strategy) -> list[tuple[str, str, str]]:
    return sorted((k.measure_id, k.level, k.name) for k in strategy.kpis)


def test_every_kpi_has_the_owner_its_label_says():
    with (CASE / "expected.csv").open(encoding="utf-8", newline="") as f:
        expected = sorted((r["owner"], r["level"], r["name"]) for r in csv.DictReader(f))
    strategy = textkit.parse(CASE / "mizunara_3rd.txt")
    assert _owners(strategy) == expected
    # 基本目標3の数値目標 is a label, not goal 3's heading printed again
    assert [g.title for g in strategy.goals][2] == "結婚・出産・子育ての希望をかなえる"


def _table(*rows: tuple[str, ...]) -> Line:
    return Line(text=" ".join(rows[0]), page=1, kind="table", rows=rows)


def _text(text: str) -> Line:
    return Line(text=text, page=1, kind="text")


HEADER = ("指標", "基準値", "目標値")


@pytest.mark.parametrize(
    "label",
    ["【数値目標】", "■数値目標", "<数値目標>", "数値目標", "基本目標の数値目標", "〔数値目標〕"],
)
def test_a_goal_label_over_a_measure_style_header(label):
    lines = [
        _text("基本目標1 しごとをつくる"),
        _text(label),
        _table(HEADER, ("町内の従業者数", "3,210人(R5)", "3,300人(R11)")),
        _text("(1)企業誘致の推進"),
        _text("重要業績評価指標(KPI)"),
        _table(HEADER, ("誘致企業数", "2社(R5)", "5社(R11)")),
    ]
    strategy = outline_to_strategy(lines_to_outline(lines), "t")
    assert _owners(strategy) == [
        ("G1", "goal", "町内の従業者数"),
        ("G1-M1", "measure", "誘致企業数"),
    ]


def test_the_header_still_decides_without_a_label():
    lines = [
        _text("基本目標1 しごとをつくる"),
        _table(("数値目標", "基準値", "目標値"), ("町内の従業者数", "3,210人", "3,300人")),
        _text("(1)企業誘致の推進"),
        _table(HEADER, ("誘致企業数", "2社", "5社")),
    ]
    strategy = outline_to_strategy(lines_to_outline(lines), "t")
    assert _owners(strategy) == [
        ("G1", "goal", "町内の従業者数"),
        ("G1-M1", "measure", "誘致企業数"),
    ]


def test_duplicate_measure_id_names_both_rows(tmp_path):
    table = tmp_path / "dup.csv"
    table.write_text(
        "id,goal,title\n1-1,雇用,企業誘致の推進\n1-2,雇用,商店街の活性化\n1-2,雇用,空き店舗の活用\n",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="row 3 「商店街の活性化」 and row 4 「空き店舗の活用」"):
        textkit.parse(table)


def test_a_measure_kpi_table_without_its_measure_is_named(tmp_path):
    """A KPI table under a measure heading the reader missed (trial F1: （1） read as ( 1)) has no
    owner: it is named in a warning, not dropped silently."""
    text = tmp_path / "lost_heading.txt"
    text.write_text(
        "基本目標1 しごとをつくる\n【数値目標】\n指標\t基準値\t目標値\n町内の従業者数\t3,210人\t3,300人\n"
        "( 1)農業の担い手確保\n重要業績評価指標(KPI)\n指標\t基準値\t目標値\n新規就農者数\t2人\t3人\n"
        "(2)観光の振興\n重要業績評価指標(KPI)\n指標\t基準値\t目標値\n観光入込客数\t21万人\t25万人\n"
        "基本目標2 ひとの流れをつくる\n(1)移住の促進\n重要業績評価指標(KPI)\n指標\t基準値\t目標値\n"
        "移住相談件数\t35件\t60件\n",
        encoding="utf-8",
    )
    with pytest.warns(
        TextkitWarning,
        match=r"2 KPI rows before .* under no measure.*G1: 新規就農者数、観光入込客数",
    ):
        strategy = textkit.parse(text)
    assert any("新規就農者数" in w for w in strategy.warnings)
    assert [k.name for k in strategy.kpis if k.level == "goal"] == ["町内の従業者数"]
