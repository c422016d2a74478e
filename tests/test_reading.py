"""Reading real layouts: overprinted (fake-bold) glyphs removed by geometry, vertical (縦書き) pages
read in order, typography for the structure stage.

Three kinds of cases: glyph lists made here (the de-duplication rule alone, as properties), PDFs
drawn here with reportlab (a heading overprinted as Word → Ghostscript does, with other text
objects in between so that PDFium's own de-duplication keeps the copies), and the real PDFs in
``../shared/real`` (skipped, with the reason shown, where that folder is absent).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.pdf import _dedupe_glyphs, _Glyph, read_pdf

from .conftest import ROOT

REAL = ROOT.parent / "shared" / "real"
if not REAL.is_dir():  # a worktree under /work/wt/<name>
    REAL = ROOT.parent.parent / "shared" / "real"
VISION = REAL / "otoineppu_population_vision_2015.pdf"


def _real(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"real PDF not available: {path} (../shared/real is development material)")
    return path


# ── the de-duplication rule on glyph lists ──────────────────────────────────

SIZE = 12.0


def _line(text: str, advances: list[float], x: float = 72.0, y: float = 700.0) -> list[_Glyph]:
    out = []
    for i, (ch, adv) in enumerate(zip(text, advances, strict=True)):
        width = min(adv, SIZE) * 0.9
        out.append(_Glyph(i, ch, x, y, x + width, y + SIZE * 0.9))  # (width ≤ its advance)
        x += adv
    return out


_CHARS = st.sampled_from(list("人々ーー100年度いろ就業者数40lI1.・"))


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(_CHARS, min_size=1, max_size=30).map("".join),
    # CJK glyphs advance a full em, digits half an em, l / i / 1 in proportional fonts 0.22 em.
    advance=st.lists(st.sampled_from([1.0, 0.5, 0.22]), min_size=30, max_size=30),
)
def test_text_set_once_is_kept_whole(text: str, advance: list[float]) -> None:
    """Repeated characters set as text (人々, ーー, 100, ll) are never taken for overprint."""
    advances = [SIZE * a for a in advance[: len(text)]]
    glyphs = _line(text, advances)
    assert _dedupe_glyphs(glyphs) == glyphs


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(_CHARS, min_size=1, max_size=20).map("".join),
    offsets=st.lists(st.tuples(st.floats(-0.4, 0.4), st.floats(-0.4, 0.4)), min_size=1, max_size=3),
)
def test_overprinted_copies_come_out_once(text: str, offsets: list[tuple[float, float]]) -> None:
    """A line drawn 2-4 times at sub-point offsets (fake bold) keeps only its first copy."""
    first = _line(text, [SIZE] * len(text))
    glyphs = list(first)
    for dx, dy in offsets:
        base = len(glyphs)
        glyphs += [
            g._replace(index=base + i, left=g.left + dx, right=g.right + dx, bottom=g.bottom + dy,
                       top=g.top + dy)
            for i, g in enumerate(first)
        ]  # fmt: skip
    assert _dedupe_glyphs(glyphs) == first


def test_a_shadow_a_point_and_a_half_away_is_a_copy() -> None:
    first = _line("基本目標", [SIZE] * 4)
    shadow = [g._replace(index=g.index + 4, left=g.left + 1.5, right=g.right + 1.5) for g in first]
    assert _dedupe_glyphs(first + shadow) == first


# ── PDFs drawn here ─────────────────────────────────────────────────────────


def _overprint_pdf(path: Path) -> Path:
    """A heading drawn three times 0.24 pt apart, with body lines drawn between the copies (so
    PDFium does not recognise the copies itself), the last copy continuing the line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("HeiseiKakuGo-W5", 14)
    c.drawString(72, 700, "就業者数40 ")
    c.setFont("HeiseiKakuGo-W5", 10.5)
    c.drawString(72, 660, "人々の暮らし、ーーー、100人、2000年、いろいろ")
    c.setFont("HeiseiKakuGo-W5", 14)
    c.drawString(72.24, 700.24, "就業者数40 ")
    c.setFont("HeiseiKakuGo-W5", 10.5)
    c.drawString(72, 640, "ここで、それぞれの々")
    c.setFont("HeiseiKakuGo-W5", 14)
    c.drawString(72.24, 700, "就業者数40人(2014 年度)→5年間で6人(2019 年度)")
    c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def test_overprinted_heading_reads_once(tmp_path: Path) -> None:
    doc = read_pdf(_overprint_pdf(tmp_path / "overprint.pdf"))
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "就業者数40人(2014 年度)→5年間で6人(2019 年度)"
    # Characters repeated as text stay.
    assert "人々の暮らし、ーーー、100人、2000年、いろいろ" in texts
    assert "ここで、それぞれの々" in texts


# ── real documents ──────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def vision():
    return read_pdf(_real(VISION))


def test_real_word_ghostscript_headings_read_once(vision) -> None:
    """The village's 人口ビジョン (Word → CubePDF) overprints every heading 2-4 times."""
    contents = [b.text for b in vision.pages[2].blocks]  # the 目次
    for title in ("人口ビジョンについて", "音威子府村の人口動向の現状と見通し", "人口の将来展望"):
        # The chapter number (Ⅰ, Ⅱ) may be read with its title or as its own line.
        assert any(re.fullmatch(f"[ⅠⅡⅢ]?{title}", text) for text in contents), title
    assert _bench_reading().repeated_phrases(vision.text) == []
    headings = [b for p in vision.pages for b in p.blocks if b.overprint]
    assert len(headings) >= 20 and all(b.bold for b in headings)


def _vertical_pdf(path: Path) -> Path:
    """A 縦書き page as InDesign writes it (a vertical CID font, each column drawn in reversed
    segments of six characters) with a horizontal caption, and a horizontal line drawn in
    reversed segments too."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3", isVertical=True))
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    x = 500.0
    for column in VERTICAL_COLUMNS:
        segments = [column[i : i + 6] for i in range(0, len(column), 6)]
        c.setFont("HeiseiMin-W3", 12)
        for k in reversed(range(len(segments))):
            c.drawString(x, 760 - 12 * 6 * k, segments[k])
        x -= 20
    c.setFont("HeiseiKakuGo-W5", 9)
    c.drawString(380, 500, "写真:村の風景(令和元年度)")
    c.setFont("HeiseiKakuGo-W5", 10.5)
    starts = [72.0]
    for segment in HORIZONTAL_SEGMENTS[:-1]:
        starts.append(starts[-1] + pdfmetrics.stringWidth(segment, "HeiseiKakuGo-W5", 10.5))
    for k in reversed(range(len(HORIZONTAL_SEGMENTS))):
        c.drawString(starts[k], 300, HORIZONTAL_SEGMENTS[k])
    c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


VERTICAL_COLUMNS = (
    "音威子府の「音」は、どんなオト？",
    "縦書きの段落は右の列から左の列へと読",
    "む。二つ目の列も同じように読みます。",
)
HORIZONTAL_SEGMENTS = ("横書きの行も", "逆順の区切りで", "書かれている。")


def test_vertical_columns_read_right_to_left_top_to_bottom(tmp_path: Path) -> None:
    doc = read_pdf(_vertical_pdf(tmp_path / "vertical.pdf"))
    blocks = doc.pages[0].blocks
    assert [b.text for b in blocks] == [
        "音威子府の「音」は、どんなオト?",
        # The second column reaches the foot of the frame: the third continues it.
        "縦書きの段落は右の列から左の列へと読む。二つ目の列も同じように読みます。",
        "写真:村の風景(令和元年度)",
        "横書きの行も逆順の区切りで書かれている。",
    ]
    assert [b.kind for b in blocks[:2]] == ["vertical", "vertical"]
    # Boxes are in page coordinates: the first column is the rightmost, tall and narrow.
    x0, top, x1, bottom = blocks[0].bbox
    assert x0 > 480 and bottom - top > 4 * (x1 - x0)


def test_typography_of_lines(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "type.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 760, "1. Heading in a bold face")
    c.setFont("Helvetica", 10)
    c.drawString(72, 730, "Body text set in a regular face, long enough to be a paragraph line.")
    c.drawString(92, 716, "An indented line.")
    c.setFillColorRGB(0.18, 0.46, 0.71)  # a coloured title band behind white text
    c.rect(60, 640, 300, 24, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 648, "Goal 1 in a band")
    c.setFillColorRGB(0, 0, 0)
    text = c.beginText(72, 690)
    text.setFont("Helvetica", 12)
    text.setTextRenderMode(2)  # fill and stroke: bold drawn as an outline
    text.textLine("Outlined heading")
    c.drawText(text)
    c.showPage()
    c.save()
    blocks = {b.text: b for b in read_pdf(path).blocks}
    heading = blocks["1. Heading in a bold face"]
    assert (heading.font_size, heading.bold, heading.overprint) == (16.0, True, False)
    body = blocks["Body text set in a regular face, long enough to be a paragraph line."]
    assert (body.font_size, body.bold) == (10.0, False)
    # Indentation from the column's left edge (glyph boxes: within a point of where drawn).
    assert body.indent is not None and body.indent < 1
    assert abs(blocks["An indented line."].indent - 20) < 1
    assert blocks["Outlined heading"].bold
    assert blocks["Goal 1 in a band"].band == "#2e75b5"
    assert body.band is None


def _bench_reading():
    from scripts import bench_reading

    return bench_reading


@pytest.mark.parametrize("name", ["otoineppu_kouhou_2022-02.pdf", "otoineppu_kouhou_2023-04.pdf"])
def test_real_vertical_newsletters_read_in_order(name: str) -> None:
    """InDesign newsletters (縦書き columns, captions, Q&A grids): ≥ 95 % of the reference text's
    phrases come out verbatim (scripts/bench_reading.py; poppler's pdftotext: 84 % / 95 %)."""
    path = _real(REAL / name)
    bench = _bench_reading()
    wanted = bench.phrases(path.with_suffix(".converted.md").read_text(encoding="utf-8"))
    found, _ = bench.recall(read_pdf(path).text, wanted)
    assert found >= 0.95 * len(wanted)


def test_vertical_text_placed_glyph_by_glyph(tmp_path: Path) -> None:
    """Some producers place every glyph of a vertical column by itself (PDFium then reads each
    character as a line of its own): the columns are rebuilt from the stacked glyphs, upright
    digits and Latin letters included. No space glyph is drawn, so none is read (as on a
    horizontal line, a gap alone does not make a space between Japanese characters)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    columns = (
        "(1) 雪冷熱エネルギーの活用",
        "・雪室の整備",
        "KPI:貯蔵量 80t(R元)",
        "写真は右の列から",
    )
    path = tmp_path / "stacked.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont("HeiseiKakuGo-W5", 12)
    x = 500.0
    for column in columns:
        y = 760.0
        for ch in column:
            if ch != " ":
                c.drawString(x, y, ch)
            y -= 13.5
        x -= 22
    c.showPage()
    c.save()
    blocks = read_pdf(path).pages[0].blocks
    assert [b.text for b in blocks] == [
        "(1)雪冷熱エネルギーの活用",
        "・雪室の整備",
        "KPI:貯蔵量80t(R元)",
        "写真は右の列から",
    ]
    assert {b.kind for b in blocks} == {"vertical"}
