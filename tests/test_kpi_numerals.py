"""Japanese numerals in KPI cells (session-4 trial F3, F16): compound 兆/億/万/千 figures, kanji
numerals, 全角 digits, 約, ranges — and one unit for a KPI's baseline and target.

The cases are data (tests/cases/kpi_numerals/cells.csv, README says why); the property renders one
number in every form a table prints it and reads it back."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.kpi import RANGE, make_kpi, parse_cell, split_unit, values_in_unit

CASES = Path(__file__).parent / "cases" / "kpi_numerals" / "cells.csv"


def _rows() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["raw"])
def test_cells(row):
    c = parse_cell(row["raw"])
    value = float(row["value"]) if row["value"] else None
    year = int(row["year"]) if row["year"] else None
    assert (c.value, c.unit, c.year) == (value, row["unit"], year), row["why"]
    assert row["note"] in c.note, row["why"]


def test_range_is_named_and_not_a_value():
    c = parse_cell("50～52")
    assert c.value is None and c.value_range == (50.0, 52.0)
    assert RANGE in c.note
    assert parse_cell("50").value_range is None


# ── rendering a number as tables print it ──────────────────────────────────

_KANJI = "〇一二三四五六七八九"
_MYRIADS = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))
_FULL = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _kanji_group(n: int, one_before_thousand: bool) -> str:
    """1 ≤ n ≤ 9999 in kanji: 二千五十 (一千 or 千)."""
    out = ""
    for scale, word in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, scale)
        if d:
            lead = _KANJI[d] if d > 1 or (scale == 1000 and one_before_thousand) else ""
            out += lead + word
    return out + (_KANJI[n] if n else "")


def _groups(n: int) -> list[tuple[int, str]]:
    """n as (group < 10⁴, scale word) pairs, zero groups left out: 120000000 → [(1, 億), (2000, 万)]."""
    out = []
    for scale, word in _MYRIADS:
        g, n = divmod(n, scale)
        if g:
            out.append((g, word))
    if n:
        out.append((n, ""))
    return out


def _myriad_form(n: int, commas: bool, space: str) -> str:
    parts = []
    for g, word in _groups(n):
        digits = f"{g:,}" if commas else str(g)
        # a last group without a scale is printed against the scale before it (1万5000)
        parts.append(digits + (space + word + space if word else ""))
    return "".join(parts).strip()


def _kanji_form(n: int, one_before_thousand: bool) -> str:
    return "".join(_kanji_group(g, one_before_thousand) + word for g, word in _groups(n))


@st.composite
def rendered(draw) -> tuple[str, Decimal, str]:
    """(cell text, the number in the base unit, base unit)."""
    unit = draw(st.sampled_from(["円", "人", "件", "団体", ""]))
    form = draw(st.sampled_from(["plain", "commas", "myriad", "kanji", "scaled", "full"]))
    if form == "scaled":  # 1.2億, 21.5万人, 3兆
        mantissa = draw(st.integers(min_value=1, max_value=99_999))
        places = draw(st.integers(min_value=0, max_value=2))
        scale, word = draw(st.sampled_from(_MYRIADS))
        number = Decimal(mantissa) / 10**places
        text = format(number, "f") + word
        value = number * scale
    else:
        n = draw(st.integers(min_value=1, max_value=10**16 - 1))
        value = Decimal(n)
        if form == "plain":
            text = str(n)
        elif form == "commas":
            text = f"{n:,}"
        elif form == "full":
            text = _myriad_form(n, draw(st.booleans()), "").translate(_FULL)
        elif form == "myriad":
            text = _myriad_form(n, draw(st.booleans()), draw(st.sampled_from(["", " "])))
        else:
            text = _kanji_form(n, draw(st.booleans()))
            # documented limits: a scale word alone (十, 百, 千: 十勝, 千葉) and a lone kanji digit
            # (一部, 五) are not read as numerals
            if not any(c in _KANJI for c in text) or len(text) < 2:
                text = str(n)
    approx = draw(st.sampled_from(["", "約", "概ね"]))
    year = draw(st.sampled_from(["", " (R6)", "（令和6年度）", "(2024年度)"]))
    return f"{approx}{text}{unit}{year}", value, unit


@settings(max_examples=500, deadline=None)
@given(rendered())
def test_a_number_in_any_form_reads_back(case):
    text, number, unit = case
    c = parse_cell(text)
    assert c.value is not None, text
    scale, base = split_unit(c.unit)
    assert base == unit, (text, c.unit)
    assert c.value * scale == pytest.approx(float(number), rel=1e-9), (text, c)
    assert values_in_unit(text, c.unit) == (1 if c.unit else 0), text  # one figure, not several


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),
    st.sampled_from(["~", "～", "〜", "-"]),
    st.sampled_from(["", "人", "%"]),
)
def test_a_range_is_never_one_figure(low, width, mark, unit):
    c = parse_cell(f"{low:,}{unit}{mark}{low + width:,}{unit}")
    assert c.value is None and c.value_range == (float(low), float(low + width))
    assert RANGE in c.note


# ── one unit a KPI ──────────────────────────────────────────────────────────


def test_f3_baseline_and_target_in_one_unit():
    k = make_kpi("G1-M4", "measure", "ふるさと納税寄附額", "8,500万円（H30）", "1億2,000万円（R6）")
    assert (k.baseline_value, k.target_value, k.unit) == (8500.0, 12000.0, "万円")
    k = make_kpi("G1-M4", "measure", "ふるさと納税寄附額", "8,500万円（H30）", "1.2億円（R6）")
    assert (k.baseline_value, k.target_value, k.unit) == (0.85, 1.2, "億円")
    assert "8,500万円 = 0.85億円" in k.note
    # a 単位 column wins; a scale in the cell is converted into it
    k = make_kpi("G1", "goal", "税収", "9,800万", "1.2億", unit="万円")
    assert (k.baseline_value, k.target_value, k.unit) == (9800.0, 12000.0, "万円")
    # different quantities are never converted
    k = make_kpi("G1", "goal", "x", "40%", "500人")
    assert (k.baseline_value, k.target_value, k.unit) == (40.0, 500.0, "人")
    # a target in a scale alone (3万) takes the baseline's unit: 28,000人 = 2.8万 (was 28000
    # against 3, read as a decrease); spellings of one unit are one unit (5千名 = 5,000人, was 5)
    k = make_kpi("G1", "goal", "人口", "28,000人", "3万")
    assert (k.baseline_value, k.target_value, k.unit) == (2.8, 3.0, "万")
    k = make_kpi("G1", "goal", "移住者数", "5千名", "6,000人")
    assert (k.baseline_value, k.target_value, k.unit) == (5000.0, 6000.0, "人")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**12),
    st.integers(min_value=1, max_value=10**12),
    st.sampled_from(["", "万", "億"]),
    st.sampled_from(["", "万", "億"]),
)
def test_baseline_and_target_compare_in_the_kpi_unit(base, target, bscale, tscale):
    """Whatever scales the two cells print, their ratio in the KPI is that of the amounts."""
    factor = {"": 1, "万": 10**4, "億": 10**8}
    k = make_kpi("G1", "goal", "寄附額", f"{base:,}{bscale}円", f"{target:,}{tscale}円")
    assert k.baseline_value is not None and k.target_value is not None
    ratio = (target * factor[tscale]) / (base * factor[bscale])
    assert k.target_value / k.baseline_value == pytest.approx(ratio, rel=1e-9)
    assert split_unit(k.unit)[1] == "円"


# ── a compound figure in a KPI written as a line ────────────────────────────


@pytest.mark.parametrize(
    ("line", "name", "base", "target"),
    [
        (
            "ふるさと納税寄附額1億2,000万円(R1)→1億5,000万円(R6)",
            "ふるさと納税寄附額",
            12000.0,
            15000.0,
        ),
        ("ふるさと納税寄附額 1億 2,000 万円(R1)→1.5億円(R6)", "ふるさと納税寄附額", 1.2, 1.5),
        ("観光消費額 8,500万円(R5)→1億円(R11)", "観光消費額", 0.85, 1.0),
    ],
)
def test_compound_figures_in_a_kpi_line(line, name, base, target):
    from textkit.kpi import split_target_line

    split = split_target_line(line)
    assert split is not None and split[0] == name
    k = make_kpi("G1", "goal", *split)
    assert (k.baseline_value, k.target_value) == (base, target)


def test_compound_figures_in_a_kpi_row_that_lost_its_cells():
    from textkit.structure import Line, lines_to_outline, outline_to_strategy

    lines = [
        Line("基本目標1 しごとをつくる", 1, "text"),
        Line("(1)特産品のブランド化", 1, "text"),
        Line("指標 基準値 目標値", 1, "text"),
        Line("ふるさと納税寄附額 8,500万円 1億2,000万円", 1, "text"),
    ]
    kpis = outline_to_strategy(lines_to_outline(lines), "t").kpis
    assert [(k.name, k.baseline_value, k.target_value, k.unit) for k in kpis] == [
        ("ふるさと納税寄附額", 8500.0, 12000.0, "万円")
    ]
