"""Outline mechanisms for layouts without a numbered body outline (issue #11 follow-up, zoo2):
headings told apart by typography, a strategy laid out as one table, section numbers in front of
基本目標, the measure family under 基本目標 when items restart too, KPIs stated in prose. Each test
builds its own small input, so a rule is checked apart from the zoo documents that exercise it."""

from __future__ import annotations

import pytest

from textkit import numbering
from textkit.errors import NotAStrategyError
from textkit.kpi import make_kpi, split_prose_target
from textkit.models import Block, Document, Page
from textkit.structure import (
    Line,
    lines_to_outline,
    outline_columns,
    parse_document,
    table_outline,
    typography_levels,
)


def _doc(lines: list[str]) -> Document:
    return Document("t.txt", "text", (Page(1, tuple(Block(x, 1) for x in lines)),))


def test_section_number_in_front_of_a_level_word():
    assert numbering.match("goal_word", "第1節 基本目標1 地域の産業で稼ぐ") == (
        1,
        "地域の産業で稼ぐ",
    )
    assert numbering.match("shisaku_digit", "第2章 施策3：移住の促進") == (3, "移住の促進")
    # only families whose word says the level: a chapter's own numbered title is not a goal
    assert numbering.match("period", "第1章 1. はじめに") is None


PROSE = [
    "基本目標1 地域の産業で稼ぐ",
    "数値目標：町内の農業産出額を、現状の48億円（令和5年度）から令和11年度に52億円とする。",
    "1 農林業の振興",
    "【主な取組】",
    "①スマート農業機器の導入支援",
    "②林業の担い手の育成",
    "【KPI】新規就農者数を、現状の2人（令和5年度）から令和11年度までに累計15人とする。",
    "2 観光と交流の推進",
    "【主な取組】",
    "①温泉施設の改修",
    "②冬のイベントの開催",
    "【KPI】観光入込客数を、現状の41万人（令和5年度）から令和11年度に50万人とする。",
    "基本目標2 北斗川で暮らす人を増やす",
    "1 移住の促進",
    "①移住相談窓口の運営",
    "②お試し移住住宅の整備",
    "【KPI】移住者数を、現状の5人（令和5年度）から令和11年度に15人とする。",
]


def test_measures_under_goal_words_are_the_family_that_comes_first():
    # ①② restart under every goal too; the measures are 「1 …」, which come first
    s = parse_document(_doc(PROSE))
    assert [m.title for m in s.measures] == ["農林業の振興", "観光と交流の推進", "移住の促進"]
    assert [len(m.items) for m in s.measures] == [2, 2, 2]


def test_kpis_and_numeric_targets_in_prose():
    s = parse_document(_doc(PROSE))
    k = {x.name: x for x in s.kpis}
    got = k["観光入込客数"]
    assert (got.baseline_value, got.target_value, got.unit) == (41.0, 50.0, "万人")
    assert (got.baseline_year, got.target_year) == (2023, 2029)
    goal = s.goals[0].kpis[0]
    assert (goal.name, goal.baseline_value, goal.target_value) == ("町内の農業産出額", 48.0, 52.0)
    assert k["新規就農者数"].target_value == 15.0


@pytest.mark.parametrize(
    "text",
    [
        "本町の人口は、昭和30年の12,400人をピークに減少を続け、令和2年には7,860人となった。",
        "若い世代の定住により、令和42年に5,600人の人口を目指す。",
        "移住者数を増やす。",
    ],
)
def test_sentences_that_are_not_kpis(text):
    assert split_prose_target(text) is None


def test_prose_target_cells_parse_like_table_cells():
    name, base, target = split_prose_target(
        "社会減の数を、現状の年86人（令和5年度）から令和11年度に年40人とする。"
    )
    k = make_kpi("G1", "goal", name, base, target)
    assert (k.baseline_value, k.target_value, k.target_year) == (86.0, 40.0, 2029)


# ── typography ──────────────────────────────────────────────────────────────


def _styled(text: str, size: float, bold: bool = False, band: str | None = None) -> Line:
    return Line(text, 1, "text", None, (), size, bold, band)


KPI_TABLE = Line(
    "", 1, "table", None, (("成果指標", "現状値(R5)", "目標値(R11)"), ("出店数", "2件", "10件"))
)


def _typographic(goal_style: dict, measure_style: dict) -> list[Line]:
    lines = [
        _styled("施策の展開", 18, True),
        _styled("市の将来像の実現に向けて施策を展開します。", 10.5),
    ]
    for g in ("地域経済の活力を高める", "花咲野の魅力で人を呼び込む"):
        lines.append(_styled(g, **goal_style))
        lines.append(_styled("【めざす姿】", 10.5))
        for m in (f"{g[:2]}の施策その一", f"{g[:2]}の施策その二"):
            lines += [
                _styled(m, **measure_style),
                _styled(f"{m}のため、関係団体と連携して取り組みます。", 10.5),
                _styled("・出店支援", 10.5),
                _styled("・イベント支援", 10.5),
                KPI_TABLE,
            ]
    return lines


@pytest.mark.parametrize(
    ("goal_style", "measure_style"),
    [
        ({"size": 16, "bold": True}, {"size": 12, "bold": True}),  # sizes and weight
        ({"size": 14, "band": "#c55a11"}, {"size": 10.5, "bold": True}),  # a band, body size
    ],
)
def test_typography_tells_goals_from_measures(goal_style, measure_style):
    lines = _typographic(goal_style, measure_style)
    found = typography_levels(lines)
    assert found is not None
    goal, measure, _ = found
    levels = numbering.infer_levels([ln.text for ln in lines])
    from dataclasses import replace

    outline = lines_to_outline(lines, replace(levels, goal_style=goal, measure_style=measure))
    goals = list(outline.goals.values())
    assert [g.title for g in goals] == ["地域経済の活力を高める", "花咲野の魅力で人を呼び込む"]
    assert [len(g.measures) for g in goals] == [2, 2]
    assert all(len(m.items) == 2 and len(m.kpi_rows) == 1 for g in goals for m in g.measures)


def test_typography_without_kpis_is_no_outline():
    # a newsletter's headings differ in size too, but nothing under them is a KPI
    lines = [
        ln for ln in _typographic({"size": 16, "bold": True}, {"size": 12}) if ln.kind != "table"
    ]
    assert typography_levels(lines) is None


def test_styled_headings_alone_do_not_make_a_strategy():
    blocks = [
        Block(ln.text, 1, font_size=ln.font_size, bold=ln.bold)
        for ln in _typographic({"size": 16, "bold": True}, {"size": 12, "bold": True})
        if ln.kind != "table"
    ]
    with pytest.raises(NotAStrategyError):
        parse_document(Document("n.pdf", "pdf", (Page(1, tuple(blocks)),)))


# ── the strategy as one table ───────────────────────────────────────────────


def _table(*rows: tuple[str, ...], page: int = 1) -> Line:
    return Line("", page, "table", None, tuple(rows))


def test_outline_columns_need_a_measure_and_an_item_or_kpi_column():
    assert outline_columns(["基本目標", "施策", "主な取組", "重要業績評価指標(KPI)"]) is not None
    assert (
        outline_columns(["施策", "主な取組", "重要業績評価指標（KPI）", "区分", "数値", "年度"])
        is not None
    )
    assert outline_columns(["指標名", "現状値（R1）", "目標値（R6）"]) is None  # a KPI table
    assert outline_columns(["年", "総人口", "年少人口"]) is None


def test_table_with_merged_goal_cells_and_arrow_kpis():
    from textkit.structure import Outline

    lines = [
        _table(
            ("基本目標", "施策", "主な取組", "重要業績評価指標(KPI)"),
            (
                "基本目標1農と食で稼ぐ",
                "① 有機農業の推進",
                "・認証の取得支援\n・給食での利用",
                "面積: 12ha(R5)→30ha(R11)",
            ),
            (
                "",
                "② 直売の強化",
                "・加工施設\n・通販サイト",
                "売上額: 8,600万円(R5)→10,500万円(R11)新商品数: 2品(R5)→12品(R11)",
            ),
        ),
        # continued on the next page: the header repeated, the goal cell printed once
        _table(
            ("基本目標", "施策", "主な取組", "重要業績評価指標(KPI)"),
            ("基本目標2村に住む", "① 移住の支援", "・相談員の配置", "移住者数: 9人(R5)→20人(R11)"),
            page=2,
        ),
    ]
    out = Outline()
    assert table_outline(lines, out)
    goals = list(out.goals.values())
    assert [g.title for g in goals] == ["農と食で稼ぐ", "村に住む"]
    measures = [m for g in goals for m in g.measures]
    assert [m.title for m in measures] == ["有機農業の推進", "直売の強化", "移住の支援"]
    assert [len(m.items) for m in measures] == [2, 2, 1]
    assert [[r.name for r in m.kpi_rows] for m in measures] == [
        ["面積"],
        ["売上額", "新商品数"],
        ["移住者数"],
    ]


def test_table_with_baseline_and_target_in_two_rows():
    from textkit.structure import Outline

    lines = [
        _table(
            ("施策", "主な取組", "重要業績評価指標(KPI)", "区分", "数値", "年度"),
            ("基本目標1 産業の振興", "", "", "", "", ""),  # a band row across the sheet
            ("数値目標", "", "従業者数", "基準値", "41,200人", "令和5年度"),
            ("", "", "", "目標値", "42,500人", "令和11年度"),
            ("(1) 企業誘致", "・団地の整備", "立地企業数", "基準値", "3社", "令和5年度"),
            ("", "・奨励金", "", "目標値", "10社", "令和11年度"),
        )
    ]
    out = Outline()
    assert table_outline(lines, out)
    goal = out.goals[1]
    assert goal.title == "産業の振興"
    assert [(r.name, r.base, r.target) for r in goal.kpi_rows] == [
        ("従業者数", "41,200人(令和5年度)", "42,500人(令和11年度)")
    ]
    (m,) = goal.measures
    assert (m.title, m.items) == ("企業誘致", ["団地の整備", "奨励金"])
    assert [(r.name, r.base, r.target) for r in m.kpi_rows] == [
        ("立地企業数", "3社(令和5年度)", "10社(令和11年度)")
    ]


def test_marked_items_between_measures_are_not_a_level():
    # band goals > ◆ measures > ○ items: ○ lines sit between ◆ measures too, but only some ○
    # lines hold a ◆ (a level holds the level below throughout)
    lines = []
    for g in ("森とともに働く", "村の暮らしを未来へつなぐ"):
        lines.append(_styled(g, 14, True, "#385723"))
        for m in ("担い手の確保", "木材の地産地消"):
            lines += [
                _styled(f"◆ {g[:2]}の{m}", 11, True),
                _styled("○研修の実施", 10.5),
                _styled("○機械の導入補助", 10.5),
                _styled("○相談会の開催", 10.5),
                _styled(f"【成果指標】{m}の件数　24人（R5）→ 30人（R11）", 10.5),
                _styled("森と暮らしの調和を大切にしながら、村民とともに取り組みます。", 10.5),
            ]
    found = typography_levels(lines)
    assert found is not None
    assert found[:2] == (("", 14.0, True, True, False), ("◆", 11.0, True, False, False))


def test_compound_measure_numbers():
    assert numbering.match("shisaku_hyphen", "施策2-1 中心市街地のにぎわいづくり") == (
        1,
        "中心市街地のにぎわいづくり",
    )
    assert numbering.match("shisaku_digit", "施策2-1 中心市街地のにぎわいづくり") is None
    assert numbering.match("shisaku_digit", "施策12 移住の促進") == (12, "移住の促進")
    s = parse_document(
        _doc(
            [
                "基本目標1 産業の活力を高める",
                "施策1-1 ものづくり産業の振興",
                "・技術開発への補助",
                "成果指標：製造業の従業者数 8,200人（R5）→ 8,500人（R11）",
                "施策1-2 農業の6次産業化",
                "・直売所の整備",
                "KPI：認定件数 3件（R5）→ 9件（R11）",
            ]
        )
    )
    assert [m.title for m in s.measures] == ["ものづくり産業の振興", "農業の6次産業化"]
    assert [k.name for k in s.kpis] == ["製造業の従業者数", "認定件数"]


def test_one_column_holds_baseline_and_target():
    from textkit.structure import kpi_header, kpi_row

    table = kpi_header(["重要業績評価指標（KPI）", "現状値（R5）→目標値（R11）"])
    assert table is not None and table.arrow
    assert (table.base_year, table.target_year) == (2023, 2029)
    row = kpi_row(table, ("新規就農者数", "2人→8人"), 1)
    assert row is not None
    k = make_kpi(
        "G1-M1",
        "measure",
        row.name,
        row.base,
        row.target,
        header_year=row.target_year,
        baseline_header_year=row.base_year,
    )
    assert (k.baseline_value, k.target_value, k.unit, k.baseline_year, k.target_year) == (
        2.0,
        8.0,
        "人",
        2023,
        2029,
    )
    # two columns as before
    assert not kpi_header(["指標名", "現状値（R5）", "目標値（R11）"]).arrow


def test_goal_word_in_brackets():
    assert numbering.match("goal_word", "【基本目標2】地域の魅力を高める") == (
        2,
        "地域の魅力を高める",
    )
    assert numbering.match("goal_word", "［基本目標］") is None  # a label, the goal follows


def test_symbol_font_bullets_read_as_marks():
    from textkit.normalize import normalize_chars

    assert normalize_chars("\uf0b7起業家の交流拠点の運営") == "•起業家の交流拠点の運営"
    s = parse_document(
        _doc(
            [
                "基本目標1 産業を育てる",
                "(1) スタートアップの育成",
                "\uf0b7起業家の交流拠点の運営",
                "\uf0a7創業資金の補助",
                "KPI：創業者数 12人（R5）→ 40人（R11）",
            ]
        )
    )
    assert s.measures[0].items == ("起業家の交流拠点の運営", "創業資金の補助")


def test_a_numbered_goal_set_in_the_goal_style_keeps_its_number_and_title():
    lines = []
    for n, g in ((1, "魅力ある働く場をつくる"), (2, "人が集う流れをつくる")):
        lines.append(_styled(f"基本目標{n} {g}", 14, True))
        for m in ("その一の施策", "その二の施策"):
            lines += [
                _styled(f"{g[:2]}{m}", 11, True),
                _styled("・相談窓口の充実", 10.5),
                KPI_TABLE,
            ]
    found = typography_levels(lines)
    assert found is not None
    from dataclasses import replace

    levels = replace(
        numbering.infer_levels([ln.text for ln in lines]),
        goal_style=found[0],
        measure_style=found[1],
    )
    outline = lines_to_outline(lines, levels)
    assert [(n, g.title) for n, g in outline.goals.items()] == [
        (1, "魅力ある働く場をつくる"),
        (2, "人が集う流れをつくる"),
    ]


@pytest.mark.parametrize(
    ("header", "years"),
    [
        (["指標", "現状（R5）", "目標（R11）"], (2023, 2029)),
        (["重要業績評価指標", "直近値(2023年度)", "目標値(2029年度)"], (2023, 2029)),
    ],
)
def test_baseline_column_words(header, years):
    from textkit.structure import kpi_header

    table = kpi_header(header)
    assert table is not None
    assert (table.base_col, table.target_col, table.base_year, table.target_year) == (1, 2, *years)


def test_a_prose_column_is_no_baseline():
    from textkit.structure import kpi_header

    assert kpi_header(["項目", "現状と課題", "今後の目標"]) is None
    # a 効果検証 table of results against targets is no KPI table of this strategy
    assert kpi_header(["指標名", "目標値（R6）", "実績値（R6）"]) is None


def test_a_bold_run_in_heading_is_its_own_line():
    """「地元産品の販路拡大　市内事業者が…」 with only the first words bold (Block.bold_lead): the
    bold words become a bold line, the text after them a plain one; a bold number or label is
    left alone (it is read as such)."""
    from textkit.models import Block, Document, Page
    from textkit.structure import blocks_to_lines

    blocks = (
        Block(
            "地元産品の販路拡大　市内事業者の販路を広げる。",
            2,
            font_size=10.5,
            bold=True,
            bold_lead=9,
        ),
        Block("(1) 農業の振興", 2, font_size=10.5, bold=True, bold_lead=3),
        Block("KPI：新規就農者数 2人(R5)→5人(R11)", 2, font_size=10.5, bold=True, bold_lead=4),
    )
    lines = blocks_to_lines(Document("t.pdf", "pdf", (Page(2, blocks),)))
    assert [(ln.text, ln.bold) for ln in lines] == [
        ("地元産品の販路拡大", True),
        ("市内事業者の販路を広げる。", False),
        ("(1) 農業の振興", True),
        ("KPI:新規就農者数 2人(R5)→5人(R11)", True),
    ]


def test_a_toc_page_is_skipped_to_its_end():
    """On a PDF page headed 「目次」 every later line is a table-of-contents entry, even when its
    page number is gone and it reads like a heading; the next page is read; a text file (one
    page, no geometry) is not cut at a 目次 line."""
    from textkit.models import Block, Document, Page
    from textkit.structure import blocks_to_lines

    box = (90.0, 100.0, 300.0, 110.0)
    pages = (
        Page(2, (Block("目 次", 2, bbox=box), Block("基本目標1 仕事をつくる", 2, bbox=box))),
        Page(3, (Block("基本目標1 仕事をつくる", 3, bbox=box),)),
    )
    lines = blocks_to_lines(Document("t.pdf", "pdf", pages))
    assert [(ln.page, ln.text) for ln in lines] == [(3, "基本目標1 仕事をつくる")]
    text = Document("t.txt", "text", (Page(1, (Block("目次", 1), Block("基本目標1 仕事", 1))),))
    assert [ln.text for ln in blocks_to_lines(text)] == ["目次", "基本目標1 仕事"]
