"""Numbering families and their levels (textkit.numbering), each stage on small line lists, and
the whole structure stage on generated outlines (hypothesis): whatever pair of families a
document uses for goals and measures, the counts come back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.models import Block, Document, Page
from textkit.numbering import candidate_headings, infer_levels, match, segments
from textkit.structure import parse_document


def test_candidate_headings_name_the_family():
    heads = candidate_headings(
        ["1.地域の産業を担う人材の育成", "① 農林業の担い手確保", "本文です。"]
    )
    assert [(h.family, h.number) for h in heads] == [("period", 1), ("circled", 1)]


def test_match_reads_roman_and_fullwidth_numbers():
    assert match("goal_word", "基本目標Ⅱ 川瀬への新しいひとの流れをつくる") == (
        2,
        "川瀬への新しいひとの流れをつくる",
    )
    assert match("shisaku_digit", "施策 4 :移住・定住の促進") == (4, "移住・定住の促進")
    assert match("period", "1.5倍に増やす") is None


def test_a_family_restarting_under_another_is_its_child():
    lines = ["1.しごと", "①農業", "②林業", "2.ひと", "①移住", "3.くらし", "①交通", "②医療"]
    levels = infer_levels(lines)
    assert (levels.goal, levels.measures[0], levels.inferred) == ("period", "circled", True)
    assert any("circled" in r for r in levels.reasons)


def test_an_outer_chapter_numbering_is_not_the_goal_level():
    # 1 人口ビジョン / 2 総合戦略 hold the goals once: the pair nesting under most parents wins
    lines = [
        "1 人口ビジョン",
        "2 総合戦略",
        "1.しごと",
        "(1) 農業",
        "(2) 林業",
        "2.ひと",
        "(1) 移住",
    ]
    assert infer_levels(lines).goal == "period"


def test_straight_through_shisaku_counts_as_child():
    lines = [
        "1.しごと",
        "施策1:農業",
        "施策2:林業",
        "2.ひと",
        "施策3:移住",
        "3.くらし",
        "施策4:交通",
    ]
    assert segments(candidate_headings(lines), "period", "shisaku_digit") == 3
    assert infer_levels(lines).goal == "period"


def test_the_goal_word_fixes_the_level():
    lines = ["基本目標1 しごと", "(1) 農業", "基本目標2 ひと", "(1) 移住"]
    levels = infer_levels(lines)
    assert (levels.goal, levels.inferred) == ("goal_word", False)


def test_no_nesting_no_goal_level():
    levels = infer_levels(["1 今月のお知らせ", "2 イベント情報", "3 窓口"])
    assert levels.goal == ""
    assert "no goal level" in levels.reasons[-1]


def test_kana_items_need_a_sequence():
    assert infer_levels(["アイヌ文化の継承", "本文"]).kana_items is False
    assert infer_levels(["ア事業承継の相談", "イ設備投資の補助"]).kana_items is True


# ── generated outlines ──────────────────────────────────────────────────────

TITLES = [
    "農林業の担い手の確保",
    "観光交流の推進",
    "移住相談の充実",
    "子育て家庭の支援",
    "地域公共交通の確保",
    "健康づくりの推進",
    "特産品の販路の拡大",
    "空き家の活用",
    "防災力の向上",
    "学びの環境の整備",
]
GOAL_FORMS = {
    "period": lambda n, t: f"{n}．{t}",
    "goal_word": lambda n, t: f"基本目標{n} {t}",
    "roman_word": lambda n, t: f"基本目標{'ⅠⅡⅢⅣⅤ'[n - 1]}　{t}",
}
MEASURE_FORMS = {
    "paren": lambda goal, n, total, t: f"({n}) {t}",
    "circled": lambda goal, n, total, t: f"{'①②③④⑤'[n - 1]}{t}",
    "shisaku": lambda goal, n, total, t: f"施策{total}：{t}",
}


def _render(goal_form, measure_form, shape: list[int]) -> tuple[str, list[str]]:
    lines, titles, total = ["緑野町 第2期 総合戦略", "計画期間 令和2年度～令和6年度"], [], 0
    for g, n_measures in enumerate(shape, 1):
        lines.append(GOAL_FORMS[goal_form](g, f"{TITLES[g - 1]}のまち"))
        for m in range(1, n_measures + 1):
            total += 1
            title = TITLES[(g * 3 + m) % len(TITLES)]
            titles.append(title)
            lines.append(MEASURE_FORMS[measure_form](g, m, total, title))
            lines.append("この施策により、町の暮らしを支えます。")
            lines.append("・関係機関との連携")
            lines.append(f"KPI：指標{total}の件数　{total}件（R1）→ {total + 5}件（R6）")
    return "\n".join(lines), titles


@settings(max_examples=30, deadline=None)
@given(
    goal_form=st.sampled_from(sorted(GOAL_FORMS)),
    measure_form=st.sampled_from(sorted(MEASURE_FORMS)),
    shape=st.lists(st.integers(1, 4), min_size=2, max_size=5),
)
def test_generated_outlines_come_back(goal_form, measure_form, shape):
    text, titles = _render(goal_form, measure_form, shape)
    blocks = tuple(Block(line, 1) for line in text.split("\n"))
    s = parse_document(Document("gen.txt", "text", (Page(1, blocks),)))
    assert len(s.goals) == len(shape)
    assert [m.title for m in s.measures] == titles
    assert all(len(m.items) == 1 and len(m.kpis) == 1 for m in s.measures)
    k = s.measures[-1].kpis[0]
    assert (k.baseline_value, k.target_value, k.baseline_year, k.target_year) == (
        float(len(titles)),
        float(len(titles) + 5),
        2019,
        2024,
    )


@pytest.mark.parametrize("form", sorted(MEASURE_FORMS))
def test_generated_outline_without_kpis_is_refused_when_inferred(form):
    from textkit.errors import NotAStrategyError

    text, _ = _render("period", form, [2, 2])
    text = "\n".join(line for line in text.split("\n") if not line.startswith("KPI"))
    blocks = tuple(Block(line, 1) for line in text.split("\n"))
    with pytest.raises(NotAStrategyError, match="no KPIs under any of their 4 measures"):
        parse_document(Document("gen.txt", "text", (Page(1, blocks),)))


COUNTERS = ["次", "期", "号", "版"]


@settings(max_examples=60, deadline=None)
@given(
    number=st.integers(1, 99),
    counter=st.sampled_from(COUNTERS),
    space=st.sampled_from(["", " ", "　"]),
    fullwidth=st.booleans(),
    rest=st.sampled_from(
        ["産業化の推進", "交通の不足が続く", "連続で目標を下回った", "認定子どもの受入れ"]
    ),
)
def test_a_digit_before_a_counter_is_a_count_not_a_heading(number, counter, space, fullwidth, rest):
    """「6次産業化の推進」「2 期連続で…」「3号認定…」 at a line start: no family reads a heading
    number there (PDF text may or may not put a space after the digit; full-width digits fold)."""
    from textkit.normalize import normalize_chars

    digits = str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    text = normalize_chars(f"{digits if fullwidth else number}{space}{counter}{rest}")
    assert candidate_headings([text]) == []


@pytest.mark.parametrize(
    ("text", "title"),
    [("1 次世代の担い手の育成", "次世代の担い手の育成"), ("2 期待される効果", "期待される効果")],
)
def test_words_that_start_like_a_counter_still_make_headings(text, title):
    assert match("digit", text) == (int(text[0]), title)
