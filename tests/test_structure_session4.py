"""Outline mechanisms of session 4 (found missing by the blind batch corpora/zoo7), each on its own
small input so a rule is checked apart from the documents that showed it was missing:

* chapters (第N章 / 第N節) as the goal level when nothing else nests (numbering);
* goals numbered in plain body text over measures told apart by typography;
* a divider slide's goal number and its title on one page;
* a table's 合計 / 小計 row is neither a KPI nor a measure;
* no space inside brackets when a line's pieces are joined (normalize.join_pair);
* a line's font is asked of its own characters, not of an earlier line holding the same words
  (pdf: the zoo7 page where a heading's title opens the sentence under it)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit import numbering
from textkit.models import Block, Document, Page
from textkit.normalize import join_pair
from textkit.structure import (
    KPIRow,
    Line,
    _divider_titles,
    clean_text,
    is_total_label,
    lines_to_outline,
    numbered_goals_over_styles,
    parse_document,
    without_totals,
)

from .conftest import ROOT

FW = str.maketrans("0123456789", "０１２３４５６７８９")
GOALS = [
    "地域で稼ぐ力を高める",
    "新しい人の流れをつくる",
    "子育ての希望をかなえる",
    "安心なくらしを守る",
]
MEASURES = ["農業の担い手の確保", "観光の振興", "移住の促進", "保育の充実", "地域交通の確保"]


def _doc(lines: list[str]) -> Document:
    return Document("t.txt", "text", (Page(1, tuple(Block(x, 1) for x in lines)),))


# ── chapters as the goal level ──────────────────────────────────────────────


def _chapters(shape: list[int], measure_form: str, *, sections: bool, fullwidth: bool):
    """第N章 goals (or 第N節 goals inside 第2部, with prose 節 in 第1部) holding numbered measures,
    a prose chapter before and after."""
    lines, titles = ["緑野市総合戦略", "計画期間 令和7年度～令和11年度"], []
    if sections:
        lines += ["第1部 人口ビジョン", "第1節 人口の推移", "人口は減り続けている。"]
        lines += ["第2節 将来展望", "人口の維持を目指す。", "第2部 総合戦略"]
        word = "節"
    else:
        lines += [
            "第1章 計画の概要",
            "1 計画の期間",
            "5年間とする。",
            "2 基本目標",
            "各章を目標とする。",
        ]
        word = "章"
    for g, n in enumerate(shape, 1):
        num = g if sections else g + 1
        lines.append(f"第{num}{word} {GOALS[g - 1]}")
        for m in range(1, n + 1):
            title = MEASURES[(g + m) % len(MEASURES)]
            titles.append(title)
            number = str(m).translate(FW) if fullwidth else str(m)
            head = {"shisaku": f"施策{number} {title}", "paren": f"({number}) {title}"}
            lines += [
                head[measure_form],
                "・関係機関との連携",
                f"KPI：{title}の件数　{m}件（R5）→ {m + 4}件（R11）",
            ]
    if not sections:
        lines += [f"第{len(shape) + 2}章 推進体制", "1 推進体制", "本部で取り組む。"]
    return lines, titles


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    measure_form=st.sampled_from(["shisaku", "paren"]),
    sections=st.booleans(),
    fullwidth=st.booleans(),
)
def test_chapters_holding_the_measures_are_the_goals(shape, measure_form, sections, fullwidth):
    lines, titles = _chapters(shape, measure_form, sections=sections, fullwidth=fullwidth)
    levels = numbering.infer_levels([clean_text(x) for x in lines])
    assert levels.goal == ("section" if sections else "chapter")
    s = parse_document(_doc(lines))
    # the prose chapters (計画の概要, 推進体制, 人口ビジョン's 節) are not goals; goals numbered in order
    assert [g.title for g in s.goals] == GOALS[: len(shape)]
    assert [g.id for g in s.goals] == [f"G{i}" for i in range(1, len(shape) + 1)]
    assert [m.title for m in s.measures] == titles
    assert all(len(m.items) == 1 and len(m.kpis) == 1 for m in s.measures)


def test_a_numbering_nesting_inside_chapters_keeps_the_goal_level():
    # 第3章 holds 1．goals with (1) measures: the chapters are an outer frame, not the goals
    lines = ["第1章 はじめに", "第2章 考え方", "1．しごと", "第3章 施策"]
    lines += ["1．しごと", "(1) 農業", "(2) 林業", "2．ひと", "(1) 移住", "3．くらし", "(1) 交通"]
    assert numbering.infer_levels(lines).goal == "period"


# ── goals numbered in plain text over styled measures ───────────────────────


def _line(text: str, size: float = 10.5, bold: bool = False, page: int = 1) -> Line:
    return Line(text, page, "text", (90.0, 100.0, 400.0, 110.0), (), size, bold)


def _kpi_table(name: str, page: int = 1) -> Line:
    rows = (("指標", "基準値(R5)", "目標値(R11)"), (name, "3人", "10人"))
    return Line("", page, "table", (90.0, 120.0, 500.0, 140.0), rows)


def _plain_goals(shape: list[int], goal_form, measure_size: float, kpis: bool = True):
    lines = [_line("第2章 施策の展開", 16, True), _line("次の目標を掲げます。")]
    titles = []
    for g, n in enumerate(shape, 1):
        lines += [
            _line(goal_form(g, GOALS[g - 1]), page=g),
            _line("町民とともに取り組みます。", page=g),
        ]
        for m in range(n):
            title = MEASURES[(g + m) % len(MEASURES)]
            titles.append(title)
            lines += [_line(title, measure_size, True, g), _line(f"・{title}の支援", page=g)]
            if kpis:
                lines.append(_kpi_table(f"{title}の件数", g))
    return lines, titles


PLAIN_GOAL_FORMS = [
    lambda n, t: f"{n} {t}",
    lambda n, t: f"{n}．{t}",
    lambda n, t: f"({n}) {t}",
    lambda n, t: f"{'ⅠⅡⅢⅣ'[n - 1]} {t}",
]


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    form=st.sampled_from(PLAIN_GOAL_FORMS),
    measure_size=st.sampled_from([10.5, 12.0, 14.0]),
)
def test_numbered_plain_goals_over_styled_measures(shape, form, measure_size):
    lines, titles = _plain_goals(shape, form, measure_size)
    found = numbered_goals_over_styles(lines)
    assert found is not None
    family, style, _ = found
    assert (style[1], style[2]) == (measure_size, True)
    levels = replace(
        numbering.infer_levels([ln.text for ln in lines if ln.kind != "table"]),
        goal=family,
        measures=(),
        measure_style=style,
        inferred=True,
    )
    outline = lines_to_outline(lines, levels)
    goals = [outline.goals[n] for n in sorted(outline.goals)]
    assert [g.title for g in goals] == GOALS[: len(shape)]
    assert [m.title for g in goals for m in g.measures] == titles


def test_numbered_plain_lines_without_kpis_are_no_outline():
    lines, _ = _plain_goals([2, 2], PLAIN_GOAL_FORMS[0], 12.0, kpis=False)
    assert numbered_goals_over_styles(lines) is None


# ── a divider slide: the goal number and its title ──────────────────────────


def _page(texts: list[str], page: int) -> list[Line]:
    return [
        Line(t, page, "heading", (60.0, 100.0 + 40 * i, 400.0, 130.0 + 40 * i))
        for i, t in enumerate(texts)
    ]


@given(
    title_first=st.booleans(),
    number=st.integers(1, 9),
    form=st.sampled_from(["基本目標{}", "第{}章"]),
)
def test_a_divider_page_gives_a_bare_number_its_title(title_first, number, form):
    head = form.format(number)
    texts = ["星空の町で働く", head] if title_first else [head, "星空の町で働く"]
    lines = _page(["表紙"], 1) + _page(texts, 2) + _page(["施策1 観光の振興", "・観察会"], 3)
    out = _divider_titles(lines)
    assert [ln.text for ln in out if ln.page == 2] == [f"{head} 星空の町で働く"]
    assert [ln.text for ln in out if ln.page != 2] == ["表紙", "施策1 観光の振興", "・観察会"]


@pytest.mark.parametrize(
    "texts",
    [
        ["基本目標1", "星空の町で働く", "本文がある。"],  # more on the page than a divider
        ["基本目標1", "・観察会の開催"],  # the other line is an item
        ["基本目標1 星空の町で働く", "施策の考え方"],  # the number has its title
    ],
)
def test_other_pages_keep_their_lines(texts):
    lines = _page(texts, 2)
    assert _divider_titles(lines) == lines


# ── 合計 / 小計 rows ──────────────────────────────────────────────────────────


def _row(name: str, base: str, target: str, page: int = 1) -> KPIRow:
    return KPIRow(name, base, target, 2023, 2029, page)


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.tuples(st.integers(1, 900), st.integers(1, 900)), min_size=2, max_size=4),
    label=st.sampled_from(["合計", "合　計", "小計", "計", "総計"]),
    unit=st.sampled_from(["人", "件", "万人"]),
    named=st.booleans(),
)
def test_a_total_row_is_not_a_kpi(values, label, unit, named):
    rows = [_row(f"指標{i}", f"{b}{unit}", f"{t}{unit}") for i, (b, t) in enumerate(values)]
    base, target = sum(b for b, _ in values), sum(t for _, t in values)
    name = f"観光客数（{label.replace('　', '')}）" if named else label
    total = _row(name, f"{base:,}{unit}", f"{target:,}{unit}")
    assert without_totals([*rows, total]) == rows


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.tuples(st.integers(1, 900), st.integers(1, 900)), min_size=2, max_size=4),
    extra=st.integers(1, 50),
)
def test_an_indicator_with_the_word_in_its_name_stays(values, extra):
    rows = [_row(f"指標{i}", f"{b}人", f"{t}人") for i, (b, t) in enumerate(values)]
    # 合計特殊出生率 is an indicator; a named row whose figures are not the sums is one too
    rate = _row("合計特殊出生率", "1.32", "1.50")
    named = _row("観光客数（合計）", f"{sum(b for b, _ in values) + extra}人", "9,999人")
    assert without_totals([*rows, rate, named]) == [*rows, rate, named]


def test_total_labels():
    assert is_total_label("合　計") and is_total_label("小計") and is_total_label("計")
    assert not is_total_label("合計特殊出生率") and not is_total_label("計画の進捗")


def test_a_total_row_in_an_outline_table_is_no_measure():
    rows = (
        ("施策", "主な取組", "重要業績評価指標", "基準値(R5)", "目標値(R11)"),
        ("移住の促進", "・相談会", "移住者数", "80人", "200人"),
        ("観光の振興", "・案内所", "観光客数", "40万人", "50万人"),
        ("合計", "", "", "", ""),
    )
    lines = ["基本目標1 人を呼ぶ", "\t".join(rows[0])]
    s = parse_document(
        Document("t.pdf", "pdf", (Page(1, (Block(lines[0], 1), Block("", 1, "table", rows))),))
    )
    assert [m.title for m in s.measures] == ["移住の促進", "観光の振興"]


# ── joining pieces: no space inside brackets ───────────────────────────────

WORD = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    min_size=1,
    max_size=6,
)


@given(word=WORD, other=WORD)
def test_join_pair_puts_no_space_inside_brackets(word, other):
    assert join_pair("(", word) == f"({word}"
    assert join_pair(f"({word}", ")") == f"({word})"
    assert join_pair(word, other) == f"{word} {other}"  # two Latin words keep their space
    assert join_pair(word, "施策") == f"{word}施策"


# ── a line's font is its own ────────────────────────────────────────────────

ZOO7 = ROOT / "corpora" / "zoo7"


def test_a_body_line_repeating_a_heading_title_keeps_its_own_size():
    from textkit.pdf import read_pdf

    doc = read_pdf(ZOO7 / "zs_style_outline.pdf")
    blocks = {b.text: b for b in doc.pages[2].blocks}
    assert blocks["すずらん町で働く場を広げるため、次の施策に取り組みます。"].font_size == 10.5
    # and the list label 「（1）」 drawn as three pieces reads as one number
    assert "(1)農業の継承" in blocks


@settings(max_examples=20, deadline=None)
@given(
    shape=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    form=st.sampled_from(PLAIN_GOAL_FORMS),
    item_mark=st.sampled_from(["○", "◇", "●"]),
)
def test_plain_numbered_goals_over_marked_measures_over_marked_items(shape, form, item_mark):
    """Three levels, the top in the body's type: Ⅰ … (plain) over ■ … (bold 11 pt) over ○ …
    (body size): the top of the nesting is the goal level, ■ the measures, ○ the items — not
    ■ goals over ○ measures."""
    blocks, titles = [Block("施策の展開", 1, font_size=16.0, bold=True)], []
    for g, n in enumerate(shape, 1):
        blocks.append(Block(form(g, GOALS[g - 1]), g, font_size=10.5))
        for m in range(n):
            title = MEASURES[(g + m) % len(MEASURES)]
            titles.append(title)
            blocks.append(Block(f"■{title}", g, font_size=11.0, bold=True))
            blocks += [Block(f"{item_mark}{title}の支援{i}", g, font_size=10.5) for i in (1, 2)]
            rows = (("成果指標", "現状値(R5)", "目標値(R11)"), (f"{title}の件数", "3件", "9件"))
            blocks.append(Block("", g, "table", rows))
    pages = tuple(
        Page(p, tuple(b for b in blocks if b.page == p)) for p in sorted({b.page for b in blocks})
    )
    s = parse_document(Document("t.pdf", "pdf", pages))
    assert [g.title for g in s.goals] == GOALS[: len(shape)]
    assert [m.title for m in s.measures] == titles
    assert all(len(m.items) == 2 and len(m.kpis) == 1 for m in s.measures)
