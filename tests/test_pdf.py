"""PDF reading on the rendered corpus: one case per layout quirk, each with the exact string.

The PDFs are ``corpora/otaru_2nd_strategy.pdf`` (A4 report: justified text, ◎ lists, ruled KPI
tables, a table continued across a page break, footnotes, running header, page numbers) and
``corpora/tomakomai_3rd_deck.pdf`` (A4 landscape slides: fake-bold headings, vertical labels,
施策 / 取組 columns, ⾧ in the text layer), both built by ``tools/render_corpus``.
"""

from __future__ import annotations

import dataclasses
import io
import re
from importlib.util import find_spec
from pathlib import Path

import pytest

from textkit.errors import ExtractionError
from textkit.models import Block, Document
from textkit.pdf import ExtractSettings, read_pdf

from .conftest import OTARU_PDF, TOMAKOMAI_PDF, draw_ruled_table

pytestmark = pytest.mark.skipif(
    not (OTARU_PDF.exists() and TOMAKOMAI_PDF.exists()),
    reason="rendered PDFs not built (run python -m tools.render_corpus)",
)


@pytest.fixture(scope="module")
def otaru() -> Document:
    return read_pdf(OTARU_PDF)


@pytest.fixture(scope="module")
def deck() -> Document:
    return read_pdf(TOMAKOMAI_PDF)


def _page(doc: Document, number: int) -> list[Block]:
    return list(doc.pages[number - 1].blocks)


def _texts(doc: Document, number: int) -> list[str]:
    return [b.text for b in _page(doc, number)]


@pytest.mark.parametrize(
    ("quirk", "page", "kind", "text"),
    [
        # Fake bold: the slide heading is drawn twice 0.3 pt apart; it must come out once.
        ("fake-bold slide heading", 2, "heading", "本日の会議内容"),
        ("fake-bold white label in a box", 6, "text", "1 仕事をつくり、安定した雇用環境を整備する"),
        # Vertical labels printed one character per line beside a slide panel.
        ("vertical panel label", 7, "vertical", "デジタル技術の活用"),
        ("vertical label spread over the panel", 7, "vertical", "施策"),
        # ⾧ (KANGXI RADICAL LONG) in the text layer becomes 長.
        ("Kangxi radical", 6, "text", "中長期的な視点により検討していくべき事業"),
    ],
)
def test_deck_quirks(deck: Document, quirk: str, page: int, kind: str, text: str) -> None:
    blocks = _page(deck, page)
    assert (kind, text) in [(b.kind, b.text) for b in blocks], quirk
    assert not any("⾧" in b.text for b in deck.blocks)


def test_deck_vertical_label_in_table_cell(deck: Document) -> None:
    (table,) = [b for b in _page(deck, 3) if b.kind == "table"]
    assert [row[0] for row in table.rows] == ["分類", "企業誘致", "子育て支援", "結婚支援"]
    assert table.rows[0] == ("分類", "委員からの主なご意見", "市の対応方針", "該当箇所")
    assert table.rows[1][3] == "P10"


def test_deck_left_column_before_right_column(deck: Document) -> None:
    texts = _texts(deck, 7)
    start = texts.index("第3期 総合戦略の取組")
    assert texts[start : start + 17] == [
        "第3期 総合戦略の取組",
        "施策",
        "① 進出・立地企業へのサポート機能の強化",
        "戦略的企業誘致活動、立地企業の人材確保や雇用環境改善支援、コンサルティング等",
        "②創業・事業承継支援",
        "創業支援によるスタートアップ企業、ベンチャー企業の創出、事業承継推進",
        "③若者の地元就職の促進",
        "地元学生の市内就職促進、UIJターン希望者等への合同説明会や企業のマッチング支援等",
        "第2期 総合戦略の取組",
        "⑮進出・立地企業への支援強化",
        "⑯地理的優位性をいかした企業誘致の促進",
        "③苫小牧における創業支援",
        "①若者の市内就職の促進",
        "②学生と地元企業との交流・連携機会の創出",
        "1 地元企業と学生との“つながり”を強化し、地元雇用の確保・拡大を実現",
        "4産業競争力を高め、地域ブランド力を向上",
        "デジタル技術の活用",
    ]


def test_deck_two_column_slide(deck: Document) -> None:
    texts = _texts(deck, 5)
    # The whole left column (人口の将来展望 ①–④) comes before the right column's simulation.
    assert texts.index(
        "④本市への移住を後押しするような移住支援を拡充することで、UIJターンをより増加させる。"
    ) < (texts.index("(2)将来展望人口のシミュレーション"))
    # The minus sign drawn as ʷ in another font is read as a minus.
    assert any("純移動率が、-1.1%であること" in t for t in texts)


@pytest.mark.parametrize(
    ("quirk", "page", "kind", "text"),
    [
        # A ◎ item wrapped over two lines is one block, joined without a space.
        (
            "wrapped ◎ item",
            14,
            "text",
            "◎ 商業起業者の育成及び経営安定化のため、財務・会計や販売・マーケティングなどの"
            "知識習得及び向上を支援",
        ),
        ("section heading", 3, "heading", "1 背景"),
        ("footnote", 4, "text", "※1「チャネル」・・・製品を消費者まで届ける流通経路"),
    ],
)
def test_report_quirks(otaru: Document, quirk: str, page: int, kind: str, text: str) -> None:
    assert (kind, text) in [(b.kind, b.text) for b in _page(otaru, page)], quirk


def test_report_running_header_and_page_numbers_removed(otaru: Document) -> None:
    texts = [b.text for b in otaru.blocks]
    assert "第2期 小樽市総合戦略" not in texts
    assert not [t for t in texts if re.fullmatch(r"-\s*\d+\s*-|\d{1,3}", t)]
    # The title page keeps the same words as a heading: only margin lines are dropped.
    assert _texts(otaru, 1)[0] == "第2期 小樽市 総合戦略 (案)"


def test_report_kpi_table_rows(otaru: Document) -> None:
    tables = [b for b in otaru.blocks if b.kind == "table"]
    rows = {row[0]: row for b in tables for row in b.rows}
    assert rows["小売業の年間商品販売額"] == (
        "小売業の年間商品販売額",
        "1,298 億円 (H27)",
        "1,298 億円",
    )
    assert rows["課税免除による支援を活用した設備投資件数"] == (
        "課税免除による支援を活用した設備投資件数",
        "7件",
        "35件 (R2~6 合計)",
    )
    assert all(len(row) == 3 for b in tables for row in b.rows)


def test_report_table_continued_across_pages_is_one_block(otaru: Document) -> None:
    (table,) = [b for b in otaru.blocks if b.kind == "table" and "ボランティア" in b.text]
    assert table.page == 23
    assert table.rows == (
        ("重要業績評価指標 (KPI)", "基準値", "目標値(R6)"),
        ("ボランティア・市民活動センターの登録団体数", "125団体 (H30)", "155団体"),
        (
            "「市民大学講座、はつらつ講座、やんぐすくーる、生活講座、老壮大学」の人口に対する"
            "参加者の割合",
            "2.0% (H30)",
            "2.1%",
        ),
    )
    # The continuation (with its repeated header row) is gone from the next page.
    assert _page(otaru, 24)[0].kind != "table"


def test_every_block_has_page_and_bbox(otaru: Document, deck: Document) -> None:
    for doc in (otaru, deck):
        for page in doc.pages:
            for block in page.blocks:
                assert block.page == page.number
                assert block.bbox is not None
                x0, top, x1, bottom = block.bbox
                assert 0 <= x0 <= x1 <= page.width and 0 <= top <= bottom <= page.height


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ExtractSettings().margin_band = 0.2  # type: ignore[misc]


def test_font_without_unicode_map_is_reported(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    spec = find_spec("japanize_matplotlib")  # a dependency of textkit: always installed
    assert spec is not None and spec.origin is not None
    font = Path(spec.origin).parent / "fonts" / "ipaexg.ttf"
    pdfmetrics.registerFont(TTFont("IPAexG", str(font)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("IPAexG", 12)
    c.drawString(72, 700, "基本目標1 しごとをつくる")
    c.showPage()
    c.save()
    # Same length, so the cross-reference offsets stay valid: the font loses its Unicode map.
    data = buf.getvalue().replace(b"/ToUnicode", b"/ToUnicodX")
    p = tmp_path / "nomap.pdf"
    p.write_bytes(data)
    with pytest.raises(ExtractionError, match="page 1 uses a font without a Unicode map"):
        read_pdf(p)


def test_table_running_over_three_pages_is_one_block(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    p = tmp_path / "long_table.pdf"
    c = canvas.Canvas(str(p), invariant=1)
    columns = (60, 300, 420, 540)
    for page in range(3):
        c.setFont("HeiseiKakuGo-W5", 10)
        rows = [("指標", "基準値", "目標値")] + [
            (f"指標{page}{n}", f"{n}件", f"{n + 1}件") for n in range(3)
        ]
        top = 780 if page else 300  # the table starts low on page 1 and fills pages 2 and 3
        draw_ruled_table(c, columns, top, rows)
        c.showPage()
    c.save()
    doc = read_pdf(p)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1 and tables[0].page == 1
    assert tables[0].rows[0] == ("指標", "基準値", "目標値")
    assert [r[0] for r in tables[0].rows[1:]] == [f"指標{k}{n}" for k in range(3) for n in range(3)]


def test_threads_read_pdfs_safely() -> None:
    """PDFium is not thread-safe: reads from several threads (corpus build with threads) must
    neither crash the process nor change the result."""
    from concurrent.futures import ThreadPoolExecutor

    sources = [OTARU_PDF, TOMAKOMAI_PDF] * 3
    expected = {p: read_pdf(p).text for p in (OTARU_PDF, TOMAKOMAI_PDF)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(lambda p: read_pdf(p).text, sources))
    assert texts == [expected[p] for p in sources]
