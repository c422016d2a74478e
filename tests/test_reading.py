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

# A phrase of at least three characters (two of them letters or digits, not only digits) printed
# twice or more in a row: what overprint looks like once it reaches the text.
_REPEATED = re.compile(r"([^\s・.…]{3,}?)(?:[ \u3000]?\1)+")


def repeated_phrases(text: str) -> list[str]:
    return [
        m.group(0) for m in _REPEATED.finditer(text) if sum(ch.isalpha() for ch in m.group(1)) >= 2
    ]


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
        out.append(_Glyph(i, ch, x, y, x + width, y + SIZE * 0.9))
        x += adv
    return out


_CHARS = st.sampled_from(list("人々ーー100年度いろ就業者数40lI1.・"))


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(_CHARS, min_size=1, max_size=30).map("".join),
    # Narrow glyphs (digits, l, 1, ・) advance half an em; CJK a full em.
    wide=st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_text_set_once_is_kept_whole(text: str, wide: list[bool]) -> None:
    """Repeated characters set as text (人々, ーー, 100, ll) are never taken for overprint."""
    advances = [SIZE if w else SIZE * 0.5 for w in wide[: len(text)]]
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
    contents = [b.text for b in vision.pages[2].blocks]
    assert "人口ビジョンについて" in contents
    assert "音威子府村の人口動向の現状と見通し" in contents
    assert repeated_phrases(vision.text) == []
