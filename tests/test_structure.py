"""Structure of the two seed documents, from text/Markdown as they are and from rendered PDFs."""

from __future__ import annotations

import pytest

import textkit
from textkit.errors import EmptyDocumentError
from textkit.models import Block, Document, Page
from textkit.structure import clean_text, parse_document

from .conftest import OTARU_MD, OTARU_PDF, TOMAKOMAI_PDF, TOMAKOMAI_TXT

OTARU_GOALS = [
    "小樽市にしごとをつくり安心して働けるようにする",
    "小樽市への新しいひとの流れをつくる",
    "若い世代の妊娠・出産・子育ての希望をかなえる、未来の創り手を育む",
    "誰もが活躍できる地域社会をつくり、安心な暮らしを守るとともに、地域と地域を連携する",
]
OTARU_MEASURES = {
    "G1-M1": "地場産業の発展と中小企業・小規模事業者の経営安定化",
    "G1-M2": "事業承継・起業支援と企業誘致による雇用の確保",
    "G1-M3": "多様な人材の就労支援と地元就職の促進",
    "G2-M1": "小樽の歴史・文化や地域資源を活かした観光振興",
    "G2-M2": "観光客受け入れ態勢の整備",
    "G2-M3": "移住に関する総合的な取組",
    "G3-M1": "子どもを生み育てやすい環境づくり",
    "G3-M2": "充実した教育環境の整備",
    "G4-M1": "誰もが安心して暮らせるまちづくり",
    "G4-M2": "誰もが活躍できる地域社会づくり",
    "G4-M3": "誰もが健康的に暮らせるまちづくり",
    "G4-M4": "広域連携の推進",
}
OTARU_ITEMS = [8, 4, 4, 7, 11, 5, 10, 7, 12, 7, 6, 2]
OTARU_KPIS = [2, 3, 2, 2, 2, 2, 2, 2, 3, 2, 2, 3]

TOMAKOMAI_GOALS = [
    "仕事をつくり、安定した雇用環境を整備する",
    "結婚の希望を叶え、安心して出産・子育てができる環境を整備する",
    "本市と関わる機会を創出し、新たな人の流れをつくる",
    "地元の魅力を高め、住みやすい環境を整備する",
]
TOMAKOMAI_MEASURES = {
    "G1-M1": "進出・立地企業へのサポート機能の強化",
    "G1-M2": "創業・事業承継支援",
    "G1-M3": "若者の地元就職の促進",
    "G2-M1": "結婚の希望を叶える支援",
    "G2-M2": "子育ての不安感を緩和し、健やかな育ちの支援",
    "G2-M3": "仕事と子育ての両立支援",
    "G3-M1": "交流人口の拡大支援",
    "G3-M2": "関係人口の創出",
    "G3-M3": "移住促進",
    "G4-M1": "地元の特徴を生かしたさらなる魅力の向上",
    "G4-M2": "災害時等に備えた安全安心なまちづくりの強化",
    "G4-M3": "充実した都市機能の整備",
}
# The deck's own table: which 第2期 取組 each 第3期 施策 continues (read from the layout).
TOMAKOMAI_REFS = {
    "G1-M1": ("P15", "P16"),
    "G1-M2": ("P3",),
    "G1-M3": ("P1", "P2"),
    "G2-M1": ("P12",),
    "G2-M2": ("P6", "P7"),
    "G2-M3": ("P5", "P8"),
    "G3-M1": ("P11",),
    "G3-M2": ("P9", "P14"),
    "G3-M3": ("P10",),
    "G4-M1": ("P13", "P17"),
    "G4-M2": (),
    "G4-M3": ("P18", "P19"),
}


def _pdf(path):
    if not path.exists():
        pytest.skip(f"{path.name} not rendered yet (python -m tools.render_corpus)")
    return path


@pytest.fixture(scope="module")
def otaru_md():
    return textkit.parse(OTARU_MD)


@pytest.fixture(scope="module")
def tomakomai_txt():
    return textkit.parse(TOMAKOMAI_TXT)


def _check_otaru(s, *, exact_titles: bool = True):
    assert [g.id for g in s.goals] == ["G1", "G2", "G3", "G4"]
    assert [g.title for g in s.goals] == OTARU_GOALS
    assert [m.id for m in s.measures] == list(OTARU_MEASURES)
    if exact_titles:
        assert {m.id: m.title for m in s.measures} == OTARU_MEASURES
    assert [len(m.items) for m in s.measures] == OTARU_ITEMS
    assert [len(m.kpis) for m in s.measures] == OTARU_KPIS
    assert [len(g.kpis) for g in s.goals] == [2, 2, 2, 2]
    assert len(s.kpis) == 35
    assert s.period_end == 2024
    for m in s.measures:
        assert m.text and "※" not in m.text and "<" not in m.text
        assert all("※" not in i and "<" not in i and not i.startswith("◎") for i in m.items)


def test_otaru_markdown(otaru_md):
    s = otaru_md
    _check_otaru(s)
    assert (s.city, s.edition) == ("小樽市", 2)
    m = s.measures[0]
    assert m.text.startswith("地域とともに発展する活力あるまちを目指すためには")
    assert m.text.endswith("観光と地場産業の連携による地域内経済循環を目指します。")
    assert m.items[3] == "産学官金や異業種連携などのネットワーク形成によるイノベーションの推進"
    # two paragraphs stay two paragraphs
    assert s.measures[3].text.count("\n") == 1
    assert s.measures[11].text.startswith("「北しりべし定住自立圏」及び「さっぽろ連携中枢都市圏」")


def test_otaru_kpis(otaru_md):
    k = {x.name: x for x in otaru_md.kpis}
    x = k["小売業の年間商品販売額"]
    assert (x.measure_id, x.level, x.baseline_value, x.unit, x.baseline_year) == (
        "G1-M1",
        "measure",
        1298.0,
        "億円",
        2015,
    )
    assert (x.target_value, x.target_year) == (1298.0, 2024)
    x = k["小樽市の宿泊客延数"]
    assert (x.baseline_value, x.target_value, x.target_year) == (957100.0, 1124100.0, 2024)
    assert k["観光客満足度"].target_year == 2023
    x = k["転出超過数"]
    assert (x.measure_id, x.level, x.baseline_year, x.target_value) == ("G2", "goal", 2018, 575.0)
    assert "2009-2018 平均" in x.note
    x = k["課税免除による支援を活用した設備投資件数"]
    assert (x.baseline_value, x.target_value, x.unit) == (7.0, 35.0, "件")
    x = k["関係機関と連携した支援による新規創業者数"]
    assert (x.measure_id, x.baseline_value, x.target_value) == ("G1", 42.0, 43.0)
    x = k["コミュニティ・スクールを導入する小・中学校の割合"]
    assert (x.target_value, x.comparator) == (30.0, ">=")
    x = k["健康寿命の延伸"]
    assert (x.baseline_value, x.unit, x.target_value, x.comparator) == (79.08, "歳", None, "extend")
    assert k["北後志 6 市町村宿泊客延数"].target_value == 1520000.0


def test_otaru_pdf():
    s = textkit.parse(_pdf(OTARU_PDF))
    _check_otaru(s)


def test_tomakomai_text(tomakomai_txt):
    s = tomakomai_txt
    assert [g.title for g in s.goals] == TOMAKOMAI_GOALS
    assert {m.id: m.title for m in s.measures} == TOMAKOMAI_MEASURES
    assert [len(g.directions) for g in s.goals] == [3, 2, 2, 3]
    assert [k.name for k in s.goals[0].kpis] == [
        "「働く場」として魅力度",
        "「地元優良企業」の認知度",
    ]
    assert all(len(g.kpis) == 2 and g.kpis[0].level == "goal" for g in s.goals)
    assert (
        s.measures[0].text
        == "戦略的企業誘致活動、立地企業の人材確保や雇用環境改善支援、コンサルティング等"
    )
    assert s.measures[11].text.startswith("中心市街地のまちづくり、ICT活用等")
    assert all(m.text for m in s.measures)
    assert [p.id for p in s.previous] == [f"P{n}" for n in range(1, 20)]
    prev = {p.id: p for p in s.previous}
    assert prev["P12"].title == "縁結びコーディネート機能の充実"
    assert prev["P4"].title == "Society5.0の実現に向けた技術活用の支援"
    assert "位置付けなし" in prev["P4"].text
    # plain text lost the columns: no stated refs are invented
    assert all(m.refs == () for m in s.measures)
    assert (s.city, s.edition, s.period_end) == ("苫小牧市", 3, 2029)


def test_tomakomai_pdf_refs_from_layout():
    s = textkit.parse(_pdf(TOMAKOMAI_PDF))
    assert [g.title for g in s.goals] == TOMAKOMAI_GOALS
    assert [m.id for m in s.measures] == list(TOMAKOMAI_MEASURES)
    assert {m.id: m.refs for m in s.measures} == TOMAKOMAI_REFS
    assert [p.id for p in s.previous] == [f"P{n}" for n in range(1, 20)]
    assert not any("P4" in m.refs for m in s.measures)
    assert all(m.text for m in s.measures)


def _doc(*lines: str) -> Document:
    return Document("mem.txt", "text", (Page(1, tuple(Block(x, 1) for x in lines)),))


def test_frames_toc_and_footnotes_are_not_measures():
    doc = _doc(
        "目次",
        "基本目標1 しごとをつくる........3",
        "1 背景",
        "本市は…",
        "基本目標1 しごとをつくる",
        "具体的施策",
        "1 企業誘致の推進",
        "企業を誘致します。",
        "※1「誘致」…説明",
        "2 創業支援",
        "進捗管理",
        "3 これは施策ではない",
    )
    s = parse_document(doc)
    assert [(m.id, m.title, m.text) for m in s.measures] == [
        ("G1-M1", "企業誘致の推進", "企業を誘致します。"),
        ("G1-M2", "創業支援", ""),
    ]


@pytest.mark.parametrize(
    "heading",
    ["基本目標１ しごとをつくる", "基本目標 1", "**基本目標1** しごとをつくる", "## 基本目標1"],
)
def test_goal_heading_schemes(heading):
    s = parse_document(_doc(heading, "しごとをつくる", "(1) 施策A", "説明。", "(2) 施策B"))
    assert [g.title for g in s.goals] == ["しごとをつくる"]
    assert [m.title for m in s.measures] == ["施策A", "施策B"]


def test_no_structure_is_an_error():
    with pytest.raises(EmptyDocumentError, match="基本目標"):
        parse_document(_doc("ただの文章です。", "もう一行。"))


def test_clean_text():
    assert clean_text("- ◎ 産学官金<sup>※2</sup>の<u>推進</u>") == "◎ 産学官金の推進"
    assert clean_text("#### **1 地場産業**") == "1 地場産業"
    assert clean_text("「北しりべし定住自立圏」※<sup>1</sup>及び") == "「北しりべし定住自立圏」及び"
