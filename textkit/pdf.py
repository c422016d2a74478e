"""PDF → ``Document``: the only module that imports pypdfium2 and pdfplumber.

In: a PDF path. Out: a ``Document`` whose pages hold ``Block``s in reading order, each with its page
number and bounding box (x0, top, x1, bottom in PDF points, origin top-left).

Design (see shared/field-notes.md "PDF extraction"): text is read on the fast path — pypdfium2's
text rectangles (``count_rects`` / ``get_rect`` / ``get_text_bounded``), i.e. positioned runs of
text computed in C, with overprinted fake-bold duplicates already dropped by PDFium. Geometry that
PDFium does not interpret is added here:

* ruled tables: the ruling lines come from pypdfium2 path objects; pdfplumber's table functions
  (edges → intersections → cells → tables) turn them into cells, so pdfplumber never parses a page;
* reading order: a recursive XY-cut over the runs (the widest whitespace gap first), so a slide's
  left column is read before its right column and a vertical label before the text beside it;
* labels printed one character per line are joined into one ``vertical`` block (企/業/誘/致 → 企業誘致);
* wrapped lines of one paragraph are joined (``normalize.join_pair``), larger type is a ``heading``;
* running headers / footers (lines in the top or bottom margin repeated on most pages) and page
  numbers (``- 12 -``, ``12``, ``12 / 40``) are dropped;
* a ruled table continued on the next page is joined into one table block when its columns match;
* the fonts PDFium substitutes for non-embedded ones are pinned (``pin_fonts``), so what is read
  does not depend on the fonts the machine has.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import logging
import math
import re
import statistics
import threading
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from . import normalize
from .errors import EmptyDocumentError, ExtractionError, TextkitWarning
from .models import Block, Document, Page
from .settings import check_numbers, resolve_as


@dataclass(frozen=True)
class ExtractSettings:
    """Tolerances of the PDF reader. Lengths ending in ``_em`` are multiples of the page's median
    text height (the glyph-box height of body text), so they scale with the font size.

    Every value is checked when the settings are made (a number ≥ 0; shares of a line, a page or
    of the pages between 0 and 1). ``ExtractSettings.resolve(None | dict | TOML path)`` builds
    them the way ``settings.resolve`` builds ``AlignSettings`` (TOML keys under ``[extract]``).
    """

    def __post_init__(self) -> None:
        check_numbers(self, shares=_SHARES, source="extract settings")

    @classmethod
    def resolve(cls, settings: object = None) -> ExtractSettings:
        return resolve_as(cls, settings, "extract")

    # Two runs whose vertical centres lie inside each other's extent are on one line; this
    # fraction of the smaller height is the minimum overlap (sub/superscripts still overlap).
    line_overlap: float = 0.4
    # Neighbouring PDFium rectangles on one line closer than this (× their height) are read
    # as one run: justification gaps are 0.1–0.4 em, the gap after 、 before 「 about 1 em.
    merge_gap_em: float = 0.5
    # XY-cut: a vertical whitespace band at least this wide separates columns. Runs on one line
    # are split by PDFium only at wide gaps; a label column sits 1.2–2 em from its text.
    column_gap_em: float = 1.0
    # A gap between two lines wider than this starts a new paragraph (line spacing in reports and
    # slides is 1.3–1.6 × the font size, i.e. a gap of ~0.3–0.7 em between glyph boxes).
    paragraph_gap_em: float = 0.9
    # A line whose right end is within this distance of its column's right edge was wrapped.
    wrap_slack_em: float = 1.6
    # Columns on part of a page only (a slide panel under a full-width intro) need a wider
    # gutter: justified lines have gaps of ~1 em after 、 and before 「.
    partial_column_gap_em: float = 2.0
    # Two pieces of one line further apart than this are not rejoined as one line (a line of
    # justified text split at 、「 comes out of the XY-cut as two pieces ~1 em apart).
    rest_of_line_gap_em: float = 2.0
    # A horizontal whitespace band must be this many times wider than a column gutter running
    # through the same region to be read first (a label strip beside a slide panel is ~15 pt
    # from the text, the panel's heading ~17 pt above it: the strip belongs to the panel).
    section_over_column: float = 1.5
    # Lines narrower than this are never taken as wrapped for reaching their column's edge
    # (a column of short entries all reaches its own edge); wrapped text runs 20-45 em wide.
    min_wrap_width_em: float = 8.0
    # ... or within this distance when the next line starts flush below it (mid-sentence).
    ragged_slack_em: float = 3.0
    # Lines at least this much taller than body text are headings (body 10.5 pt, headings ≥ 13 pt).
    heading_ratio: float = 1.2
    # Characters stacked one per line: x-centres within this distance, line pitch at most this.
    vertical_dx_em: float = 0.5
    # (labels in slide panels are often spread out to the panel's height: 施 … 策).
    vertical_pitch_em: float = 4.0
    # ... and no other text on their own line closer than this (a label sits in its own column).
    vertical_isolation_em: float = 1.0
    # Header / footer band: this fraction of the page height at the top and at the bottom.
    margin_band: float = 0.09
    # A margin line (digits ignored) on at least this share of the pages is a running header.
    repeat_share: float = 0.5
    # ... unless it is set this many times larger than the median text (a slide's title band,
    # 22 pt over 11-15 pt text; running headers are 8-10.5 pt over 10.5 pt): its first
    # occurrence is the section's title.
    repeated_title_ratio: float = 1.3
    # Ruling lines: pdfplumber's defaults (3 pt snap / join, 1 pt intersection tolerance) fit
    # reportlab, Word and Excel output; lines shorter than min_edge are hatching or glyph parts.
    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    intersection_tolerance: float = 1.0
    min_edge: float = 3.0
    # A page where this share of the characters is U+FFFD / private use / control has no usable
    # Unicode map (fonts without ToUnicode).
    unreadable_share: float = 0.3
    # Continued tables: column boundaries may differ by this much and still be the same table.
    continued_column_tolerance: float = 4.0
    # Vertical (縦書き) pages: PDFium gives a column as a few abutting segments, so a column has
    # no wide gaps inside it, while tiers of columns (段) are set one line's space apart
    # (0.9-1.5 em, measured on InDesign newsletters): a gutter this wide shared by consecutive
    # columns separates tiers.
    vertical_column_gap_em: float = 0.6
    # ... but a column may also hold a space of 1-2 em (「KPI：…量　80t（R元）→　150t」), which a
    # neighbouring column can repeat at the same height: a gutter narrower than
    # ``partial_column_gap_em`` separates tiers only when this many columns on each side share it
    # (a tier holds many columns; spaces line up in two or three).
    vertical_tier_columns: int = 4
    # Horizontal pages: the same rule is off (0): narrow gutters count only beside vertical labels
    # or between type of different sizes.
    narrow_gutter_rows: int = 0

    def turned(self) -> ExtractSettings:
        """The settings for a vertical page's turned frame (see ``pdf._page_lines``)."""
        return replace(
            self,
            column_gap_em=self.vertical_column_gap_em,
            narrow_gutter_rows=self.vertical_tier_columns,
        )


# Fields that are a share (of a line's height, of the page, of the pages, of the characters).
_SHARES = ("line_overlap", "margin_band", "repeat_share", "unreadable_share")
DEFAULT_SETTINGS = ExtractSettings()

_CID = re.compile(r"\(cid:\d+\)")
# Page numbers as printed in Japanese municipal documents.
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-‐－—–]\s*\d{1,4}\s*[-‐－—–]|\d{1,4}|\d{1,4}\s*/\s*\d{1,4}|p\.?\s*\d{1,4}|\(\d{1,4}\)|"
    r"[Pp]age\s*\d{1,4}|\d{1,4}\s*ページ|[-‐－—–]?\s*[ivxlc]{1,6}\s*[-‐－—–]?)\s*$"
)
_DIGITS = re.compile(r"\d+")
_SINGLE_CJK = re.compile(
    r"^[\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u2e80-\u2fdf\uff01-\uff5e]$"
)
# A line starting like this opens a new item, never continues the previous one: bullets,
# circled and bracketed numbers, 基本目標 / 施策 / 第N, and a single digit numbering a phrase
# (``1 地元企業と…``, ``4産業競争力…``) unless a counter follows it (``5年``, ``3万人``).
_NEW_ITEM = re.compile(
    r"^\s*(?:[◎○〇●■□◆◇・•✓▶▷▸►※【#]|[\u2460-\u2473]|\(?\d+[).．]|[（(][\d一二三四五六七八九十]+[）)]"
    r"|基本目標|施策\s*\d|第\d"
    r"|[1-9][ \u3000]?(?![年月日時分人件円万億千百歳回度期号条項割倍か所つ])[\u3400-\u9fff])"
)
_SENTENCE_END = tuple("。．.！？!?」』）)")


class _Run(NamedTuple):
    """A positioned piece of text: a PDFium text rectangle, a joined vertical label or a table."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    kind: str = "text"  # text | vertical | table
    rows: tuple[tuple[str, ...], ...] = ()
    overprint: bool = False  # drawn more than once (fake bold); the copies are dropped
    vertical: bool = False  # 縦書き: characters set top to bottom (a column of text)
    size: float = 0.0  # font size in points (0: unknown; see ``_Typography``)
    bold: bool = False  # a bold face, or outlined (fill + stroke) text
    band: str | None = None  # "#rrggbb" of the filled box behind the run
    bold_lead: int = 0  # characters of a bold start before the face changes (run-in heading)

    @property
    def height(self) -> float:
        return self.bottom - self.top


class _Line(NamedTuple):
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    kind: str
    rows: tuple[tuple[str, ...], ...]
    col_x1: float  # right edge of the column the line sits in (for wrap detection)
    col_x0: float = 0.0  # left edge of that column (for indentation)
    size: float = 0.0  # the font size most of the line's characters are set in (pt)
    bold: bool = False  # the line starts in a bold face
    # characters at the start set in bold when the rest of the line is not (a run-in heading)
    bold_lead: int = 0
    overprint: bool = False  # part of the line was overprinted (fake bold)
    vertical: bool = False  # 縦書き (read top to bottom)
    band: str | None = None  # the filled box behind the line's first run


# ── opening ─────────────────────────────────────────────────────────────────


_PDFIUM_LOCK = threading.Lock()


# PDFium draws a font the PDF does not embed (ＭＳ 明朝 / ＭＳ ゴシック in many municipal PDFs) with
# a font of the machine's, and measures its glyph boxes on that font. With no CJK font installed it
# falls back to one without the glyphs: their boxes collapse to a line, its text rectangles leave
# them out and one-character text objects vanish (「指標01」 read as 「01」, labels lost). So the
# fonts PDFium may use are pinned to one directory that textkit's dependencies always install:
# IPAex Gothic (japanize-matplotlib). Standard-14 fonts (Helvetica, Times …) come from PDFium's
# built-in copies either way. The text read from a PDF is then the same on every machine.
_FONT_PACKAGE = "japanize_matplotlib"
_font_paths: object = None  # PDFium keeps the pointer to the path list: it must stay alive


def pin_fonts() -> bool:
    """Re-initialise PDFium so that it substitutes fonts from textkit's font directory only.

    Done once per process, before the first document is opened (textkit calls it). Returns
    whether the fonts are pinned; False, with a warning, when another part of the process still
    holds pypdfium2 objects (re-initialising would close them)."""
    global _font_paths
    if _font_paths is not None:
        return True
    import warnings
    from importlib.util import find_spec

    from pypdfium2.internal import bases

    spec = find_spec(_FONT_PACKAGE)
    if spec is None or spec.origin is None:
        raise ExtractionError(f"the package {_FONT_PACKAGE} is not installed (pip install textkit)")
    if any(ref() is not None for refs in bases.ObjectTracker.values() for ref in refs):
        warnings.warn(
            "textkit could not pin PDFium's fonts (pypdfium2 documents are open): text of PDFs "
            "with non-embedded fonts may depend on the fonts installed",
            RuntimeWarning,
            stacklevel=3,
        )
        return False
    _font_paths = init_pdfium_fonts(Path(spec.origin).parent / "fonts")
    return True


def init_pdfium_fonts(folder: str | Path) -> tuple[object, ...]:
    """(Re-)initialise PDFium with FOLDER as its only font directory.

    The one place that calls PDFium's library set-up: `pin_fonts` uses it for textkit's own
    fonts, and the font tests and benchmark use it to set a child process up as a machine with
    other fonts. Returns the ctypes objects PDFium keeps pointers into; hold them for the life of
    the process."""
    import pypdfium2.raw as pdfium_c
    from pypdfium2 import _library_scope
    from pypdfium2.internal import bases

    path = ctypes.c_char_p(str(folder).encode())
    char_p = ctypes.POINTER(ctypes.c_char)
    array = (char_p * 2)(ctypes.cast(path, char_p), char_p())  # NULL-terminated
    config = pdfium_c.FPDF_LIBRARY_CONFIG(
        version=2,
        m_pUserFontPaths=ctypes.cast(array, ctypes.POINTER(char_p)),
        m_pIsolate=None,
        m_v8EmbedderSlot=0,
    )
    if bases.LIBRARY_AVAILABLE:
        _library_scope.destroy_lib()
    pdfium_c.FPDF_InitLibraryWithConfig(config)
    bases.LIBRARY_AVAILABLE = True
    return (path, array, config)


def open_checked(path: str | Path):
    """Open with pypdfium2 to classify damage and encryption before any parsing."""
    import pypdfium2 as pdfium

    pin_fonts()
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise ExtractionError(
                "the PDF is password-protected (encrypted); ask the publisher for an "
                "unprotected copy or remove the password, then try again",
                path=str(path),
            ) from None
        raise ExtractionError(
            "the PDF is damaged or incomplete and cannot be opened; download or export it again",
            path=str(path),
        ) from None


def read_pdf(path: str | Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> Document:
    """Read a PDF into a ``Document`` (blocks in reading order, headers/footers removed)."""
    # PDFium is not thread-safe (pypdfium2 says so; two threads crash the process): every call
    # into it is serialised; the layout analysis below runs in parallel.
    with _PDFIUM_LOCK:
        pdf = open_checked(path)
        try:
            n_pages = len(pdf)
            if n_pages == 0:
                raise EmptyDocumentError("the PDF has no pages", path=str(path))
            raw_pages: list[tuple[float, float, list[_Run]]] = []
            n_chars = 0
            failed: dict[int, str] = {}
            for index in range(n_pages):
                width = height = 0.0
                try:
                    page = pdf[index]
                    width, height = page.get_size()
                    textpage = page.get_textpage()
                    runs, chars = _text_runs(textpage, height, index + 1, str(path), settings)
                    n_chars += chars
                    edges = _ruling_edges(page, height, settings) if runs else []
                    textpage.close()
                    page.close()
                except ExtractionError:
                    raise
                except Exception as exc:  # PDFium raises on damaged page content: the other
                    failed[index + 1] = type(exc).__name__  # pages are read, this one is warned
                    runs, edges = [], []
                raw_pages.append((width, height, _tables(runs, edges, settings)))
        finally:
            pdf.close()
    if n_chars == 0:
        raise ExtractionError(
            "the PDF has no text layer (it looks scanned); run OCR on it first "
            "(for example ocrmypdf -l jpn) and try again",
            path=str(path),
        )
    # Running headers, footers and page numbers go before the layout analysis: a header in the
    # corner of the page would otherwise look like the top of a second column.
    margins = [_margin_lines(runs, height, settings) for _, height, runs in raw_pages]
    drop = _running_keys(margins, settings)
    titles = _repeated_titles(raw_pages, margins, drop, settings)
    laid_out = []
    for (width, height, runs), lines in zip(raw_pages, margins, strict=True):
        noise = [
            x
            for x in lines
            if (_margin_key(x) in drop and id(x) not in titles) or _PAGE_NUMBER.match(x.text)
        ]
        kept = [r for r in runs if not any(_inside(r, x) for x in noise)]
        lines, turned = _page_lines(kept, settings, width)
        laid_out.append((width, height, lines, turned))
    # Body text height over the whole document: a page holding only a heading and one line
    # would otherwise have no body to compare the heading with.
    heights = [x.bottom - x.top for _, _, lines, _ in laid_out for x in lines if x.kind == "text"]
    em = statistics.median(heights) if heights else 10.0
    pages = []
    for number, (width, height, lines, turned) in enumerate(laid_out, start=1):
        blocks = _blocks(lines, number, em, settings, width if turned else None)
        pages.append(Page(number=number, blocks=tuple(blocks), width=width, height=height))
    notes, damaged = damage_warnings(path, pages, failed)
    for note in notes:
        warnings.warn(TextkitWarning(note), stacklevel=2)
    joined = _join_continued_tables(pages, settings)
    return Document(path=str(path), kind="pdf", pages=joined, warnings=notes, damaged=damaged)


# ── text runs (fast path) ───────────────────────────────────────────────────


def _page_rects(textpage) -> list[tuple[float, float, float, float]]:
    """PDFium's text rectangles (left, bottom, right, top), in the order of the text layer.

    Called through the raw API with reused ``c_double``s: pypdfium2's ``get_rect`` wrapper
    allocates four of them per call, which was a tenth of the reader's time."""
    import pypdfium2.raw as pdfium_c

    handle = textpage.raw
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    get_rect = pdfium_c.FPDFText_GetRect
    out = []
    for i in range(pdfium_c.FPDFText_CountRects(handle, 0, -1)):
        get_rect(handle, i, left, top, right, bottom)
        out.append((left.value, bottom.value, right.value, top.value))
    return out


def _is_tall(rect: tuple[float, ...]) -> bool:
    """A rectangle much taller than wide holds characters set one below the other (縦書き), or a
    single narrow glyph (1, l, |)."""
    return rect[3] - rect[1] > _TALL * (rect[2] - rect[0])


# Height / width above which a text rectangle is a vertical column (two stacked CJK glyphs are
# ~2.0; one CJK glyph ~1.0; a horizontal line of text ≪ 1).
_TALL = 1.6


def _merged_rects(
    rects: list[tuple[float, float, float, float]], s: ExtractSettings
) -> list[tuple[float, float, float, float]]:
    """PDFium's text rectangles, neighbours on one line merged.

    Justified text is laid out in short runs (PDFium gives ~13 rectangles per line), and
    every text query scans the whole page: one query per line instead of one per piece is
    most of the speed of this reader.
    PDFium inserts no space between the merged pieces (measured on the rendered corpus)."""
    merged: list[list[float]] = []
    overlap_share, gap_share = s.line_overlap, s.merge_gap_em
    # (Comparisons written out: this loop sees every rectangle of the document.)
    last: list[float] = []
    last_tall = False
    for rect in rects:
        left, bottom, right, top = rect
        h = top - bottom
        tall = h > _TALL * (right - left)
        if last:
            lh = last[3] - last[1]
            height = h if h < lh else lh
            overlap = (top if top < last[3] else last[3]) - (
                bottom if bottom > last[1] else last[1]
            )
            gap = left - last[2]
            if (
                overlap > overlap_share * height
                and 0 <= gap < gap_share * height
                and not (tall and last_tall)
                and not (tall and h > _TALL * lh)
                and not (last_tall and lh > _TALL * h)
            ):
                # A narrow glyph beside a run (※ then a superscript 1) joins it; two vertical
                # columns side by side, or a column beside a shorter run, do not.
                if bottom < last[1]:
                    last[1] = bottom
                last[2] = right
                if top > last[3]:
                    last[3] = top
                last_tall = last[3] - last[1] > _TALL * (last[2] - last[0])
                continue
        last = [left, bottom, right, top]
        last_tall = tall
        merged.append(last)
    return [(a, b, c, d) for a, b, c, d in merged]


def _text_runs(
    textpage, page_height: float, number: int, path: str, settings: ExtractSettings
) -> tuple[list[_Run], int]:
    """PDFium's text rectangles as runs in top-left coordinates, characters normalised.

    Three cases need the characters' own boxes (``_glyph_texts``): rectangles overlapping one
    another (a heading overprinted as fake bold), rectangles taller than wide (vertical writing,
    whose text layer PDFium gives in reverse segments) and rectangles whose text does not start
    at their left edge (lines written as reversed segments). Other pages never pay for them."""
    n_chars = textpage.count_chars()
    if n_chars <= 0:
        return [], 0
    pieces = _pieces(textpage, n_chars, settings)
    layer = _TextLayer(textpage, n_chars)
    overprinted = _overlapping(pieces)
    vertical = _vertical_pieces(pieces)
    # Producers that write a line as segments in reverse order (InDesign) give PDFium's text in
    # that order: a rectangle whose text does not start at its left edge is read by its glyphs.
    disordered = {
        k for k, piece in enumerate(pieces) if k not in vertical and layer.out_of_order(k, piece)
    }
    redone: dict[int, str] = {}
    if overprinted or vertical or disordered:
        redone = _glyph_texts(textpage, n_chars, pieces, overprinted | disordered, vertical)
    runs: list[_Run] = []
    bad = 0
    total = 0
    size, bold = 0.0, False
    for k, ((left, bottom, right, top), text) in enumerate(pieces):
        starts = k == 0 or k in vertical or _starts_line(pieces[k - 1][0], pieces[k][0])
        if starts:
            size, bold = layer.typography(k, pieces[k])
        # a line that starts bold may go on in another face (a run-in heading): its other
        # rectangles are asked too, and a bold one whose text ends in another face is bisected
        run_bold = bold if starts or not bold else layer.starts_bold(k, pieces[k])
        lead = layer.bold_lead(k, pieces[k]) if run_bold and k not in vertical else 0
        if k in redone:
            text = redone[k]
            if not text:
                continue  # every glyph was an overprinted copy of one already read
        total += len(text)
        bad += len(_UNMAPPED.findall(text))
        if _CID.search(text):
            bad += len(text)
        if _NEEDS_FOLDING.search(text):
            text = normalize.normalize_chars(text)
        runs.append(
            _Run(
                left,
                page_height - top,
                right,
                page_height - bottom,
                text,
                overprint=k in overprinted,
                vertical=k in vertical,
                size=size,
                bold=run_bold,
                bold_lead=lead if k not in redone else 0,
            )
        )
    if total and bad / total >= settings.unreadable_share:
        raise ExtractionError(
            f"page {number} uses a font without a Unicode map, so its text cannot be read; "
            "export the PDF again with fonts embedded, or OCR it",
            path=path,
        )
    return _stacked_columns(runs), total


def _pieces(
    textpage, n_chars: int, settings: ExtractSettings
) -> list[tuple[tuple[float, float, float, float], str]]:
    """The page's merged text rectangles (PDF coordinates) with the text PDFium reads in them."""
    import pypdfium2.raw as pdfium_c

    pieces: list[tuple[tuple[float, float, float, float], str]] = []
    # One call per rectangle into a buffer that fits the whole page (pypdfium2's
    # ``get_text_bounded`` asks PDFium twice: once for the length, once for the text).
    size = n_chars + 1
    buffer = (ctypes.c_ushort * size)()
    handle = textpage.raw
    for rect in _merged_rects(_page_rects(textpage), settings):
        left, bottom, right, top = rect
        n = pdfium_c.FPDFText_GetBoundedText(handle, left, top, right, bottom, buffer, size)
        text = ctypes.string_at(buffer, 2 * n).decode("utf-16-le", "ignore")
        text = text.replace("\x00", "").strip()
        if text:
            pieces.append((rect, text))
    return pieces


def _vertical_pieces(pieces: list[tuple[tuple[float, float, float, float], str]]) -> set[int]:
    """The rectangles holding vertical text: taller than wide with more than one character."""
    vertical = {k for k, (rect, text) in enumerate(pieces) if len(text) > 1 and _is_tall(rect)}
    if 2 * sum(len(pieces[k][1]) for k in vertical) > sum(len(t) for _, t in pieces):
        # On a vertical page the last two or three characters of a column (「る。」) make a
        # rectangle barely taller than wide.
        vertical |= {
            k
            for k, ((left, bottom, right, top), text) in enumerate(pieces)
            if len(text.strip()) > 1 and top - bottom > right - left
        }
    return vertical


# Font names of bold faces: Bold / Heavy / Black / Demi / Semibold and Japanese weights W6-W9
# (a trailing -H or -B is a CMap or subset tag, not a weight).
_BOLD_NAME = re.compile(r"bold|heavy|black|demi|semibold|ultra|w[6-9](?![0-9])", re.I)
# FPDFFont_GetWeight at or above this is a bold face (400 regular, 700 bold).
_BOLD_WEIGHT = 600
# PDF font descriptor flag ForceBold (bit 19).
_FORCE_BOLD = 1 << 18


def _starts_line(prev: tuple[float, ...], rect: tuple[float, ...]) -> bool:
    """Does ``rect`` begin a new line of text (not continue ``prev``'s)? Only the first run of
    a line is asked for its font: a line is set in one font far more often than not, and each
    question costs five calls into PDFium (a bold run asks once more, see ``bold_lead``)."""
    return rect[0] < prev[2] or min(rect[3], prev[3]) - max(rect[1], prev[1]) <= 0


class _TextLayer:
    """Questions about the characters behind a text rectangle, answered from its first character.

    The character is found by locating the rectangle's text in the page text (one
    ``FPDFText_GetText`` per page; PDFium's own ``GetCharIndexAtPos`` scans the page for each
    question). Font size is the font size times the text matrix' scale (InDesign sets 1 pt fonts
    scaled by the matrix); a face counts as bold by its weight, name or ForceBold flag, or when
    the glyphs are filled and stroked (bold emulated by an outline)."""

    def __init__(self, textpage, n_chars: int) -> None:
        import pypdfium2.raw as pdfium_c

        self._c = pdfium_c
        self._handle = textpage.raw
        self._n = n_chars
        buffer = (ctypes.c_ushort * (n_chars + 1))()
        n = pdfium_c.FPDFText_GetText(self._handle, 0, n_chars, buffer)
        self._text = ctypes.string_at(buffer, 2 * max(0, n - 1)).decode("utf-16-le", "replace")
        self._aligned = len(self._text) == n_chars  # text index = character index
        self._cursor = 0
        self._indexes: dict[int, int] = {}
        self._matrix = pdfium_c.FS_MATRIX()
        self._box = tuple(ctypes.c_double() for _ in range(4))
        self._fonts: dict[int | None, bool] = {}

    def index(self, k: int, piece: tuple[tuple[float, float, float, float], str]) -> int:
        """The character index of the first character of rectangle ``k``'s text (-1: none)."""
        if k in self._indexes:
            return self._indexes[k]
        rect, text = piece
        found = -1
        if self._aligned:
            # the whole text first: its first characters alone may stand earlier on the page,
            # inside a line not asked about (a heading's title repeated in the sentence under it)
            found = self._text.find(text, self._cursor)
            if found >= 0:
                self._cursor = found + len(text)
            else:
                found = self._text.find(text[:8], self._cursor)
                if found < 0:
                    found = self._text.find(text[:8])
                if found >= 0:
                    self._cursor = found + 1
        if found < 0:
            left, bottom, right, top = rect
            x = left + min(right - left, top - bottom) / 2
            found = self._c.FPDFText_GetCharIndexAtPos(
                self._handle, x, (bottom + top) / 2, 1.0, 1.0
            )
        self._indexes[k] = found
        return found

    def out_of_order(self, k: int, piece: tuple[tuple[float, float, float, float], str]) -> bool:
        """Does the text of a horizontal rectangle start anywhere but at its left edge?"""
        rect, text = piece
        if len(text) < 2:
            return False
        index = self.index(k, piece)
        if not 0 <= index < self._n:
            return False
        left, right, bottom, top = self._box
        self._c.FPDFText_GetCharBox(self._handle, index, left, right, bottom, top)
        return left.value - rect[0] > _ORDER_SLACK * (rect[3] - rect[1])

    def _bold_at(self, index: int) -> bool:
        c = self._c
        obj = c.FPDFText_GetTextObject(self._handle, index)
        if not obj:
            return False
        if c.FPDFTextObj_GetTextRenderMode(obj) in _OUTLINED:
            return True
        font = c.FPDFTextObj_GetFont(obj)
        key = ctypes.cast(font, ctypes.c_void_p).value
        if key not in self._fonts:
            self._fonts[key] = bool(font) and _bold_font(c, font)
        return self._fonts[key]

    def starts_bold(self, k: int, piece: tuple[tuple[float, float, float, float], str]) -> bool:
        """Is rectangle ``k``'s first character set bold? (True when the page text is not
        aligned with its characters: finding the character would scan the page.)"""
        if not self._aligned:
            return True
        index = self.index(k, piece)
        return 0 <= index < self._n and self._bold_at(index)

    def bold_lead(self, k: int, piece: tuple[tuple[float, float, float, float], str]) -> int:
        """How many characters of rectangle ``k``'s text (which starts bold) are bold when its
        last character is not (a bold run-in heading followed by body text); 0 otherwise. Asked
        only of bold rectangles: one question, and a bisection when the face changes."""
        text = piece[1]
        start = self.index(k, piece)
        if not self._aligned or start < 0 or self._text[start : start + len(text)] != text:
            return 0
        last = start + len(text) - 1
        if len(text) < 4 or self._bold_at(last) or not self._bold_at(start):
            return 0
        lo, hi = start, last  # bold at lo, not at hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._bold_at(mid):
                lo = mid
            else:
                hi = mid
        # the face changes once: not a digit set in a regular font inside a bold heading
        # (「基本目標」「1」「若者が…」 all bold but the 1)
        if hi + 1 < last and self._bold_at(hi + 1):
            return 0
        return hi - start

    def typography(
        self, k: int, piece: tuple[tuple[float, float, float, float], str]
    ) -> tuple[float, bool]:
        """Font size (pt) and boldness of rectangle ``k``'s first character."""
        c = self._c
        index = self.index(k, piece)
        if not 0 <= index < self._n:
            return 0.0, False
        m = self._matrix
        if not c.FPDFText_GetMatrix(self._handle, index, m):
            return 0.0, False
        size = c.FPDFText_GetFontSize(self._handle, index) * math.sqrt(abs(m.a * m.d - m.b * m.c))
        obj = c.FPDFText_GetTextObject(self._handle, index)
        if not obj:
            return round(size, 2), False
        outlined = c.FPDFTextObj_GetTextRenderMode(obj) in _OUTLINED
        font = c.FPDFTextObj_GetFont(obj)
        key = ctypes.cast(font, ctypes.c_void_p).value
        if key not in self._fonts:
            self._fonts[key] = bool(font) and _bold_font(c, font)
        return round(size, 2), outlined or self._fonts[key]


# A rectangle's first character further than this (× its height) from its left edge means the
# text layer is not in reading order there (a leading space or indent is less).
_ORDER_SLACK = 0.5


def _bold_font(c, font) -> bool:
    if c.FPDFFont_GetWeight(font) >= _BOLD_WEIGHT or c.FPDFFont_GetFlags(font) & _FORCE_BOLD:
        return True
    n = c.FPDFFont_GetBaseFontName(font, None, 0)
    if n <= 1:
        return False
    name = ctypes.create_string_buffer(n)
    c.FPDFFont_GetBaseFontName(font, name, n)
    return bool(_BOLD_NAME.search(name.value.decode("utf-8", "replace")))


# Text render modes that fill and stroke the glyphs (fill+stroke, with or without clipping).
_OUTLINED = (2, 6)


def _stacked_columns(runs: list[_Run]) -> list[_Run]:
    """Characters placed one by one down a column (producers that position each glyph of vertical
    text by itself: PDFium then reads every character as a line of its own) joined into vertical
    runs, top to bottom. Only on a page where such characters carry most of the text: elsewhere a
    stack of single characters is a table column or a label (see ``_vertical_labels``)."""
    singles = [r for r in runs if r.kind == "text" and not r.vertical and _lone_glyph(r)]
    total = sum(len(r.text) for r in runs if r.kind == "text")
    if len(singles) < _MIN_STACK or 2 * sum(len(r.text) for r in singles) < total:
        return runs
    chains: list[list[_Run]] = []
    # Per chain: its type size (largest glyph) and the band across the column its glyphs fill
    # (upright Latin letters and digits sit at one side of the column, CJK glyphs fill it).
    units: list[float] = []
    bands: list[list[float]] = []
    for r in sorted(singles, key=lambda r: r.top):
        cx, cy = (r.x0 + r.x1) / 2, (r.top + r.bottom) / 2
        for k, chain in enumerate(chains):
            last, unit, band = chain[-1], max(units[k], _glyph_size(r)), bands[k]
            if (
                band[0] - _STACK_DX * unit <= cx <= band[1] + _STACK_DX * unit
                and 0 < cy - (last.top + last.bottom) / 2 <= _STACK_PITCH * unit
            ):
                chain.append(r)
                units[k] = unit
                band[0], band[1] = min(band[0], r.x0), max(band[1], r.x1)
                break
        else:
            chains.append([r])
            units.append(_glyph_size(r))
            bands.append([r.x0, r.x1])
    joined = {id(r) for chain in chains if len(chain) > 1 for r in chain}
    out = [r for r in runs if id(r) not in joined]
    for chain, unit in zip(chains, units, strict=True):
        if len(chain) > 1:
            out.append(
                chain[0]._replace(
                    x0=min(r.x0 for r in chain),
                    x1=max(r.x1 for r in chain),
                    bottom=chain[-1].bottom,
                    text=_chain_text(chain, unit),
                    vertical=True,
                    size=max(r.size for r in chain),
                )
            )
    return out


def _chain_text(chain: list[_Run], unit: float) -> str:
    """The characters of a column top to bottom; a space where the column leaves a whole empty
    cell between two glyphs (small glyphs such as , ・ ー sit inside their cell and leave gaps of
    up to ~0.9 em on one side)."""
    text = chain[0].text.replace(" ", "")
    for prev, r in itertools.pairwise(chain):
        piece = r.text.replace(" ", "")
        text = text + " " + piece if r.top - prev.bottom > _SPACE_GAP * unit else text + piece
    return text


def _lone_glyph(r: _Run) -> bool:
    """One character, or two set across a column (縦中横 digits), not a word on a line."""
    n = len(r.text.replace(" ", ""))
    return n == 1 or (n == 2 and r.x1 - r.x0 <= 1.5 * _glyph_size(r))


def _glyph_size(r: _Run) -> float:
    """The type size of a run: its font size, or its box where that is unknown."""
    return max(r.size, r.height, r.x1 - r.x0)


# Fewer stacked characters than this on a page are labels, not vertical text.
_MIN_STACK = 8
# Next character down a column: centre within the column's band (± this share of the type size)
# across, and at most
# this far below (vertical type is set at a pitch of 1-1.3 em; the next tier of columns starts
# after a gap of at least ~0.9 em, i.e. ≥ 1.9 em from centre to centre). Small glyphs (・ ー 、)
# sit centred in their cell, so centres are compared, not box edges.
_STACK_DX = 0.4
_STACK_PITCH = 1.6
_SPACE_GAP = 1.0


# A rectangle is compared with this many rectangles before it: overprinted copies of a heading
# follow one another in the text layer (2-4 copies, each possibly split at a font change).
_OVERPRINT_LOOKBACK = 8
# Two rectangles overlapping by this share of the smaller one's width and height are drawn over
# one another (neighbouring runs on a line touch, they do not overlap).
_OVERLAP_SHARE = 0.5


def _overlapping(pieces: list[tuple[tuple[float, float, float, float], str]]) -> set[int]:
    """Rectangles that overlap one of the few before them: candidates for overprint.

    Compared as arrays, one shift at a time (a Python loop over every pair was a tenth of the
    reader's time)."""
    if len(pieces) < 2:
        return set()
    import numpy as np

    r = np.array([rect for rect, _ in pieces], dtype=float)  # left, bottom, right, top
    width, height = r[:, 2] - r[:, 0], r[:, 3] - r[:, 1]
    out: set[int] = set()
    for d in range(1, min(_OVERPRINT_LOOKBACK, len(pieces) - 1) + 1):
        a, b = r[d:], r[:-d]
        dx = np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0])
        dy = np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1])
        hit = (dx > _OVERLAP_SHARE * np.minimum(width[d:], width[:-d])) & (
            dy > _OVERLAP_SHARE * np.minimum(height[d:], height[:-d])
        )
        for k in np.flatnonzero(hit).tolist():
            out.update((k, k + d))
    return out


class _Glyph(NamedTuple):
    """One character of the text layer with its box (PDF coordinates, origin bottom-left)."""

    index: int  # type: ignore[assignment]  # the glyph's PDFium index (shadows tuple.index)
    char: str
    left: float
    bottom: float
    right: float
    top: float


def _page_glyphs(textpage, n_chars: int) -> list[_Glyph]:
    """Every character of the page with its glyph box; PDFium's generated line breaks and
    spaces (which have no box) are left out."""
    import pypdfium2.raw as pdfium_c

    handle = textpage.raw
    buffer = (ctypes.c_ushort * (n_chars + 1))()
    n = pdfium_c.FPDFText_GetText(handle, 0, n_chars, buffer)
    text = ctypes.string_at(buffer, 2 * max(0, n - 1)).decode("utf-16-le", "replace")
    if len(text) != n_chars:  # characters outside the BMP: one call per character instead
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i) or 32) for i in range(n_chars))
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    get_box = pdfium_c.FPDFText_GetCharBox
    out = []
    for i, ch in enumerate(text):
        if ch in "\r\n\x00":
            continue
        get_box(handle, i, left, right, bottom, top)
        if right.value <= left.value and top.value <= bottom.value:
            continue  # generated by PDFium (no glyph)
        out.append(_Glyph(i, ch, left.value, bottom.value, right.value, top.value))
    return out


# Overprinted copies of a glyph are the same box shifted by a fraction of a point (Word →
# Ghostscript fake bold: 0.24 pt; other producers up to ~1 pt; a shadow ~1.5 pt at 12 pt); the
# same character set again as text is at least a narrow glyph's advance away (「ll」 0.22 em,
# 「100」 0.5 em, 「ーー」「々々」 1 em). The limit is a share of the type size, so it holds at
# any size.
_OVERPRINT_OFFSET = 0.15


def _dedupe_glyphs(glyphs: list[_Glyph]) -> list[_Glyph]:
    """Drop glyphs drawn over an earlier glyph of the same character (fake bold, shadows):
    what pdfplumber's ``dedupe_chars`` does, with the tolerance relative to the type size (a
    glyph's own box, or the page's typical glyph when the glyph is small, such as ・ or ー)."""
    if not glyphs:
        return glyphs
    typical = statistics.median(max(g.top - g.bottom, g.right - g.left) for g in glyphs)
    cell = max(typical, 1.0)  # the grid the glyphs are filed in (≥ any tolerance below)
    kept: list[_Glyph] = []
    grid: dict[tuple[str, int, int], list[_Glyph]] = {}
    for g in glyphs:
        size = max(g.top - g.bottom, g.right - g.left, typical, 1.0)
        tol = min(_OVERPRINT_OFFSET * size, cell)
        cx, cy = int(g.left // cell), int(g.bottom // cell)
        if not any(
            abs(o.left - g.left) <= tol
            and abs(o.right - g.right) <= tol
            and abs(o.top - g.top) <= tol
            and abs(o.bottom - g.bottom) <= tol
            for gx in (cx - 1, cx, cx + 1)
            for gy in (cy - 1, cy, cy + 1)
            for o in grid.get((g.char, gx, gy), ())
        ):
            kept.append(g)
            grid.setdefault((g.char, cx, cy), []).append(g)
    return kept


# A glyph belongs to a rectangle when its centre lies inside it, with this slack (pt).
_INSIDE_SLACK = 0.5


def _glyph_texts(
    textpage,
    n_chars: int,
    pieces: list[tuple[tuple[float, float, float, float], str]],
    overprinted: set[int],
    vertical: set[int],
) -> dict[int, str]:
    """The text of the given rectangles rebuilt from their glyphs: overprinted copies dropped
    (``_dedupe_glyphs``), lines read left to right, vertical columns top to bottom
    (``_vertical_text``)."""
    glyphs = _page_glyphs(textpage, n_chars)
    survivors = {g.index for g in _dedupe_glyphs(glyphs)}
    wanted = sorted(overprinted | vertical)
    # Rectangles by the strips of the page their x-range crosses: a glyph is looked up only
    # among the rectangles of its strip.
    strips: dict[int, list[int]] = {}
    for k in wanted:
        left, _, right, _ = pieces[k][0]
        for strip in range(int(left // _STRIP), int(right // _STRIP) + 1):
            strips.setdefault(strip, []).append(k)
    members: dict[int, list[_Glyph]] = {k: [] for k in wanted}
    for g in glyphs:
        cx, cy = (g.left + g.right) / 2, (g.bottom + g.top) / 2
        for k in strips.get(int(cx // _STRIP), ()):
            left, bottom, right, top = pieces[k][0]
            if (
                left - _INSIDE_SLACK <= cx <= right + _INSIDE_SLACK
                and bottom - _INSIDE_SLACK <= cy <= top + _INSIDE_SLACK
            ):
                members[k].append(g)
                break
    out: dict[int, str] = {}
    for k in wanted:
        chars = [g for g in members[k] if g.index in survivors]
        if k in vertical:
            out[k] = _vertical_text(chars).strip()
        else:  # one line: left to right, whatever order the text layer drew it in
            out[k] = _join_glyphs(sorted(chars, key=lambda g: g.left)).strip()
    return out


_STRIP = 24.0  # pt


def _vertical_text(glyphs: list[_Glyph]) -> str:
    """A vertical column's characters top to bottom (digits set across the column, 縦中横, left
    to right), a bracket pair that came out as two openings repaired.

    Some fonts map both brackets of a vertical pair to one code (PDFium gives 〔委員からの意見〔,
    poppler ︹委員からの意見︺): an opening bracket while one of its kind is still open is taken
    as the closing one when its ink sits against the text before it (a closing bracket's ink is
    at the top of its cell in vertical type)."""
    glyphs = sorted(glyphs, key=lambda g: (-round((g.top + g.bottom) / 2), g.left))
    chars = [g.char for g in glyphs]
    open_: dict[str, int] = {}
    for i, g in enumerate(glyphs):
        char = unicodedata.normalize("NFKC", g.char)  # ︵ ( （ are one kind, ︹ 〔 another
        pair = _BRACKET_PAIR.get(char)
        if pair is None:
            continue
        if char == pair[1]:
            open_[pair[0]] = max(0, open_.get(pair[0], 0) - 1)
            continue
        if open_.get(pair[0], 0):
            above = glyphs[i - 1].bottom - g.top if i > 0 else math.inf
            below = g.bottom - glyphs[i + 1].top if i + 1 < len(glyphs) else math.inf
            if above < below:
                chars[i] = pair[1]
                open_[pair[0]] -= 1
                continue
        open_[pair[0]] = open_.get(pair[0], 0) + 1
    return _join_glyphs_text("".join(chars))


# Opening and closing brackets (NFKC forms: vertical and full-width forms fold to these).
_BRACKETS = "〔〕【】「」『』〈〉《》()[]{}"
_BRACKET_PAIR = {
    ch: (_BRACKETS[i - i % 2], _BRACKETS[i - i % 2 + 1]) for i, ch in enumerate(_BRACKETS)
}


def _join_glyphs_text(text: str) -> str:
    return re.sub(r" {2,}", " ", text)


def _join_glyphs(glyphs: list[_Glyph]) -> str:
    """Characters in order, a run of spaces kept as one."""
    return _join_glyphs_text("".join(g.char for g in glyphs))


# What PDFium returns for glyphs without a Unicode mapping: U+FFFD, private use, C0 controls.
_UNMAPPED = re.compile("[\ufffd\ufffe\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]")
# Characters ``normalize.normalize_chars`` changes (Kangxi / radicals / compatibility ideographs,
# full- and half-width forms, ideographic space, minus-likes, combining marks for NFC). Most
# runs contain none, and skipping the per-character Python loop for them halves the cost.
_NEEDS_FOLDING = re.compile(
    "[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f\uff01-\uff9f\u3000\ufe10-\ufe19\ufe30-\ufe4f"
    "\u02b7\u2212\u2012\u2013\u0300-\u036f\u3099\u309a" + "".join(normalize.SYMBOL_BULLETS) + "]"
)
# A minus sign drawn in another font is followed by a generated space: ``ʷ 1.1`` is ``-1.1``.
_MINUS_SPACE = re.compile("(?<=[\u02b7\u2212])\\s+(?=\\d)")
# Overprint can only be present where a character repeats or the line repeats itself.
_DOUBLED = re.compile(r"(.)\1")


def _collapse(text: str) -> str:
    n = len(text)
    if _DOUBLED.search(text) or any(
        n % k == 0 and text == text[: n // k] * k for k in range(2, normalize.MAX_OVERPRINT + 1)
    ):
        return normalize.collapse_overprint(text)
    return text


# ── ruled tables (geometry from path objects, cells by pdfplumber.table) ────


def _ruling_edges(page, page_height: float, settings: ExtractSettings) -> list[dict]:
    """Horizontal and vertical line segments of the page's path objects, as pdfplumber edges.

    Walks the raw object list (a page of justified text holds hundreds of text objects, and
    wrapping each in a Python object costs more than reading the paths)."""
    import pypdfium2.raw as pdfium_c

    edges: list[dict] = []
    handles = [
        pdfium_c.FPDFPage_GetObject(page.raw, i)
        for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))
    ]
    _path_edges(pdfium_c, handles, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), page_height, settings, edges, 0)
    return edges


_MAX_FORM_DEPTH = 4  # form XObjects nest rarely deeper than two levels


def _path_edges(pdfium_c, handles, outer, page_height, settings, edges, depth) -> None:
    x = ctypes.c_float()
    y = ctypes.c_float()
    matrix = pdfium_c.FS_MATRIX()
    for handle in handles:
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
            pdfium_c.FPDFPageObj_GetMatrix(handle, matrix)
            inner = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            children = [
                pdfium_c.FPDFFormObj_GetObject(handle, i)
                for i in range(pdfium_c.FPDFFormObj_CountObjects(handle))
            ]
            _path_edges(pdfium_c, children, inner, page_height, settings, edges, depth + 1)
            continue
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetMatrix(handle, matrix)
        a, b, c, d, e, f = _compose(
            (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer
        )
        start = prev = None
        n_segments = pdfium_c.FPDFPath_CountSegments(handle)
        points = []
        for i in range(n_segments):
            seg = pdfium_c.FPDFPath_GetPathSegment(handle, i)
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            points.append(point)
            seg_kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if seg_kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = point
                continue
            if seg_kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                _add_edge(edges, prev, point, page_height, settings)
            prev = point
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                _add_edge(edges, point, start, page_height, settings)
                prev = start
        if 4 <= n_segments <= _MAX_BOX_SEGMENTS:
            _add_fill(pdfium_c, handle, points, page_height, edges)


# A filled box (a coloured title band, a shaded cell) is a path of 4-6 segments.
_MAX_BOX_SEGMENTS = 6
# Fills at least this light on every channel are paper, not a band.
_PAPER = 235
# Boxes smaller than this (pt) are bullets, icons or rules, not bands behind text.
_MIN_BAND = 6.0


def _add_fill(pdfium_c, handle, points: list, page_height: float, edges: list[dict]) -> None:
    """A filled box's extent and colour, as an edge of orientation ``fill`` (``_bands``)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(handle, fill, stroke) or not fill.value:
        return
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if max(xs) - min(xs) < _MIN_BAND or max(ys) - min(ys) < _MIN_BAND:
        return
    r, g, b, alpha = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(handle, r, g, b, alpha) or not alpha.value:
        return
    if min(r.value, g.value, b.value) >= _PAPER:
        return
    edges.append(
        {"orientation": "fill", "x0": min(xs), "x1": max(xs), "top": page_height - max(ys),
         "bottom": page_height - min(ys), "color": f"#{r.value:02x}{g.value:02x}{b.value:02x}"}
    )  # fmt: skip


def _bands(runs: list[_Run], fills: list[dict]) -> list[_Run]:
    """Each text run with the colour of the smallest filled box behind its centre; a box behind
    every run of the page is its background, not a band."""
    if not fills or not runs:
        return runs
    x0, top = min(r.x0 for r in runs), min(r.top for r in runs)
    x1, bottom = max(r.x1 for r in runs), max(r.bottom for r in runs)
    fills = [
        f
        for f in fills
        if not (f["x0"] <= x0 and f["top"] <= top and x1 <= f["x1"] and bottom <= f["bottom"])
    ]
    fills.sort(key=lambda f: (f["x1"] - f["x0"]) * (f["bottom"] - f["top"]))
    out = []
    for r in runs:
        cx, cy = (r.x0 + r.x1) / 2, (r.top + r.bottom) / 2
        color = next(
            (
                f["color"]
                for f in fills
                if f["x0"] <= cx <= f["x1"] and f["top"] <= cy <= f["bottom"]
            ),
            None,
        )
        out.append(r._replace(band=color) if color else r)
    return out


def _compose(m: tuple, outer: tuple) -> tuple:
    """The PDF matrix product m × outer (apply m first, then outer)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _add_edge(edges: list[dict], p: tuple, q: tuple, page_height: float, s: ExtractSettings):
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 0.5 and abs(x1 - x0) >= s.min_edge:
        left, right = sorted((x0, x1))
        top = page_height - y0
        edges.append(
            {"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left,
             "height": 0.0, "doctop": top, "orientation": "h"}
        )  # fmt: skip
    elif abs(x0 - x1) < 0.5 and abs(y1 - y0) >= s.min_edge:
        top, bottom = sorted((page_height - y0, page_height - y1))
        edges.append(
            {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0,
             "height": bottom - top, "doctop": top, "orientation": "v"}
        )  # fmt: skip


def _tables(runs: list[_Run], edges: list[dict], s: ExtractSettings) -> list[_Run]:
    """Replace the runs inside ruled tables by one table run per table, and join vertical labels.

    Neither applies on a vertical (縦書き) page: its rules frame articles and Q&A grids whose
    cells read in the column order the turned XY-cut already follows (a 参加者 label, its number,
    its question), and every character there is stacked."""
    runs = _bands(runs, [e for e in edges if e["orientation"] == "fill"])
    edges = [e for e in edges if e["orientation"] != "fill"]
    if not runs or _vertical_page(runs):
        return runs
    orientations = {e["orientation"] for e in edges}
    if orientations == {"h", "v"}:
        runs = _cut_tables(runs, edges, s)
    return _vertical_labels(runs, s)


def _cut_tables(runs: list[_Run], edges: list[dict], s: ExtractSettings) -> list[_Run]:
    from pdfplumber import table as ptable

    merged = ptable.merge_edges(
        edges, s.snap_tolerance, s.snap_tolerance, s.join_tolerance, s.join_tolerance
    )
    points = ptable.edges_to_intersections(
        merged, s.intersection_tolerance, s.intersection_tolerance
    )
    cells = ptable.intersections_to_cells(points)
    out = list(runs)
    for table_cells in ptable.cells_to_tables(cells):
        xs = sorted({round(c[0], 1) for c in table_cells})
        tops = sorted({round(c[1], 1) for c in table_cells})
        # A lone frame (a box around a slide's text) is not a table.
        if len(xs) < 2 or len(table_cells) < 2:
            continue
        grid = [["" for _ in xs] for _ in tops]
        inside: set[int] = set()
        for cx0, ctop, cx1, cbottom in table_cells:
            members = [
                k
                for k, r in enumerate(out)
                if cx0 <= (r.x0 + r.x1) / 2 <= cx1 and ctop <= (r.top + r.bottom) / 2 <= cbottom
            ]
            inside.update(members)
            row = grid[tops.index(round(ctop, 1))]
            # A cell spanning several columns (a header band drawn without its inner rules)
            # hands each run to the column it sits in; the band's runs still form one row.
            spanned = [k for k, x in enumerate(xs) if cx0 - 1 <= x < cx1 - 1]
            bounds = [xs[k] for k in spanned[1:]] + [cx1]
            parts: dict[int, list[_Run]] = {}
            for k in members:
                r = out[k]
                centre = (r.x0 + r.x1) / 2
                slot = next(i for i, b in enumerate(bounds) if centre <= b or i == len(bounds) - 1)
                parts.setdefault(spanned[slot], []).append(r)
            for column, pieces in parts.items():
                row[column] = _cell_text(pieces, s)
        if _mostly_vertical([out[k] for k in inside]):
            # A table set vertically is read column by column, right to left.
            grid = [list(column) for column in zip(*grid, strict=True)][::-1]
        rows = tuple(tuple(r) for r in grid if any(c for c in r))
        if not rows:
            continue  # a ruled grid with nothing in it (icon grid, empty form): not text
        x0 = min(c[0] for c in table_cells)
        top = min(c[1] for c in table_cells)
        x1 = max(c[2] for c in table_cells)
        bottom = max(c[3] for c in table_cells)
        text = "\n".join("\t".join(r) for r in rows)
        out = [r for k, r in enumerate(out) if k not in inside]
        out.append(_Run(x0, top, x1, bottom, text, "table", rows))
    return out


def _mostly_vertical(runs: list[_Run]) -> bool:
    return 2 * sum(len(r.text) for r in runs if r.vertical) > sum(len(r.text) for r in runs)


def _cell_text(pieces: list[_Run], s: ExtractSettings) -> str:
    """The text of one table cell: its lines joined (vertical text in the turned frame)."""
    if _mostly_vertical(pieces):
        pieces = [_turn(r, 0.0) for r in pieces]
        s = s.turned()
    text = ""
    for line in _leaf_lines(pieces, s):
        if text and _CELL_ITEM.match(line.text):
            text += "\n" + line.text  # a list inside the cell: each entry keeps its own line
        else:
            text = normalize.join_pair(text, line.text)
    return text


# A cell line starting with a list mark (・ / ● / ①) starts an entry of a list inside the cell (a
# 主な取組 cell of a strategy laid out as one table): not the wrapped rest of the line above.
_CELL_ITEM = re.compile(r"^[・•✓●○◎■◆◇□▶▷▸►\u2460-\u2473]")


# ── vertical labels ─────────────────────────────────────────────────────────


def _stacked(singles: list[_Run], dx: float, pitch: float) -> list[_Run]:
    """The single characters with another one straight above or below them (cheap pre-filter:
    justified text yields many one-character runs, few of them stacked)."""
    buckets: dict[int, list[_Run]] = {}
    for r in singles:
        buckets.setdefault(int((r.x0 + r.x1) / 2 // dx), []).append(r)
    out = []
    for r in singles:
        cx = (r.x0 + r.x1) / 2
        key = int(cx // dx)
        if any(
            o is not r and abs((o.x0 + o.x1) / 2 - cx) <= dx and 0 < abs(o.top - r.top) <= pitch
            for k in (key - 1, key, key + 1)
            for o in buckets.get(k, ())
        ):
            out.append(r)
    return out


def _has_neighbour(
    r: _Run, by_top: list[_Run], tops: list[float], tallest: float, reach: float
) -> bool:
    """Is there another run on ``r``'s line within ``reach`` of it? (``by_top`` sorted by top)"""
    lo = bisect.bisect_left(tops, r.top - tallest)
    hi = bisect.bisect_right(tops, r.bottom)
    return any(o is not r and _beside(r, o, reach) for o in by_top[lo:hi])


def _beside(r: _Run, o: _Run, reach: float) -> bool:
    """Is ``o`` on ``r``'s line and within ``reach`` of it horizontally?"""
    return (
        min(o.bottom, r.bottom) - max(o.top, r.top) > 0.5 * r.height
        and o.x0 - reach < r.x1
        and r.x0 < o.x1 + reach
    )


def _vertical_labels(runs: list[_Run], s: ExtractSettings) -> list[_Run]:
    """Join single characters stacked one per line (企/業/誘/致) into one ``vertical`` run."""
    em = _em(runs)
    reach = s.vertical_isolation_em * em
    # A character with a neighbour on its own line is part of that line (justified text is
    # split by PDFium into short runs, single characters included), not of a vertical label.
    # PDFium lists a line's runs one after another, so most are told apart by the run before
    # and after them; the stacking test and a search over the page settle the rest.
    singles = [
        r
        for k, r in enumerate(runs)
        if r.kind == "text"
        and _SINGLE_CJK.match(r.text)
        and not any(0 <= j < len(runs) and _beside(r, runs[j], reach) for j in (k - 1, k + 1))
    ]
    if len(singles) < 2:
        return runs
    singles = _stacked(singles, s.vertical_dx_em * em, s.vertical_pitch_em * em)
    if len(singles) < 2:
        return runs
    by_top = sorted(runs, key=lambda r: r.top)
    tops = [r.top for r in by_top]
    tallest = max(r.height for r in runs)
    singles = [r for r in singles if not _has_neighbour(r, by_top, tops, tallest, reach)]
    if len(singles) < 2:
        return runs
    used: set[int] = set()
    out_labels: list[_Run] = []
    # Top-down, so that every chain starts at its first character.
    singles.sort(key=lambda r: r.top)
    for k in range(len(singles)):
        if k in used:
            continue
        chain = [k]
        while True:
            last = singles[chain[-1]]
            cx = (last.x0 + last.x1) / 2
            nxt = [
                j
                for j in range(len(singles))
                if j not in used
                and j not in chain
                and abs((singles[j].x0 + singles[j].x1) / 2 - cx) <= s.vertical_dx_em * em
                and 0 < singles[j].top - last.top <= s.vertical_pitch_em * em
            ]
            if not nxt:
                break
            chain.append(min(nxt, key=lambda j: singles[j].top))
        if len(chain) >= 2:
            used.update(chain)
            parts = [singles[j] for j in chain]
            out_labels.append(
                _Run(
                    min(p.x0 for p in parts),
                    parts[0].top,
                    max(p.x1 for p in parts),
                    parts[-1].bottom,
                    "".join(p.text for p in parts),
                    "vertical",
                )
            )
    if not out_labels:
        return runs
    taken = {id(singles[j]) for j in used}
    return [r for r in runs if id(r) not in taken] + out_labels


# ── reading order ───────────────────────────────────────────────────────────


def _em(runs: Sequence[_Run]) -> float:
    heights = [r.height for r in runs if r.kind == "text" and r.height > 0]
    return statistics.median(heights) if heights else 10.0


def _gaps(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Whitespace bands between the union of ``intervals``."""
    spans = sorted(intervals)
    gaps = []
    end = spans[0][1]
    for lo, hi in spans[1:]:
        if lo > end:
            gaps.append((end, lo))
        end = max(end, hi)
    return gaps


def _page_lines(
    runs: list[_Run], s: ExtractSettings, page_width: float
) -> tuple[list[_Line], bool]:
    """The page's lines in reading order, and whether the page is set vertically.

    A vertical (縦書き) page is read in a frame turned a quarter: columns right to left become
    lines top to bottom, characters top to bottom become left to right, so the XY-cut and the
    paragraph joining below serve both directions unchanged (``_turn``). Its lines stay in the
    turned frame until ``_blocks`` has joined them; horizontal captions inside it are turned too,
    so each is read whole where it stands. On a horizontal page a vertical column of text is
    read by itself, like a vertical label."""
    if not runs:
        return [], False
    turned = _vertical_page(runs)
    if turned:
        runs = [_turn(r, page_width) for r in runs]
        s = s.turned()
    else:
        runs = [r._replace(kind="vertical") if r.vertical and r.kind == "text" else r for r in runs]
    em = _em(runs)
    out: list[_Line] = []
    _xy_cut(runs, s, em, max(r.x1 for r in runs), out, min(r.x0 for r in runs))
    return out, turned


def _vertical_page(runs: list[_Run]) -> bool:
    """Most of the page's text is set in vertical columns."""
    down = sum(len(r.text) for r in runs if r.vertical)
    across = sum(len(r.text) for r in runs if not r.vertical and r.kind == "text")
    return down > across


def _turn(r: _Run, page_width: float) -> _Run:
    """A run in the frame of a vertical page turned a quarter clockwise (see ``_page_lines``)."""
    return r._replace(x0=r.top, top=page_width - r.x1, x1=r.bottom, bottom=page_width - r.x0)


def _turn_back(
    bbox: tuple[float, float, float, float], page_width: float
) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = bbox
    return (round(page_width - bottom, 1), x0, round(page_width - top, 1), x1)


# Gaps within this many points of the widest are cut together (equal spacing between sections).
_SAME_GAP = 1.0


def _xy_cut(
    runs: list[_Run],
    s: ExtractSettings,
    em: float,
    col_x1: float,
    out: list[_Line],
    col_x0: float = 0.0,
):
    """Recursive XY-cut: horizontal sections, then columns, then lines (see ``_bands``)."""
    if len(runs) > 1 and not _one_line(runs, s):
        ygaps = _gaps((r.top, r.bottom) for r in runs)
        xgaps = _gaps((r.x0, r.x1) for r in runs)
        best_x = max(xgaps, key=lambda g: g[1] - g[0], default=None)
        column = best_x[1] - best_x[0] if best_x else 0.0
        if column < s.column_gap_em * em or _lone_spaces(runs, best_x, s, em):
            column = 0.0
        widest = max((g[1] - g[0] for g in ygaps), default=0.0)
        if best_x is not None and column and widest <= s.section_over_column * column:
            # A gutter running through the whole region: left column, then right column.
            cut = (best_x[0] + best_x[1]) / 2
            left = [r for r in runs if r.x1 <= cut]
            right = [r for r in runs if r.x1 > cut]
            _xy_cut(left, s, em, max(r.x1 for r in left), out, min(r.x0 for r in left))
            _xy_cut(right, s, em, max(r.x1 for r in right), out, min(r.x0 for r in right))
            return
        if column:
            # Sections stacked on a slide (title, panels, footer): the widest gaps first.
            cuts = [g[1] for g in ygaps if g[1] - g[0] >= widest - _SAME_GAP]
            for band in _split_rows(runs, cuts):
                _xy_cut(band, s, em, col_x1, out, col_x0)
            return
        if ygaps:
            bands = _split_rows(runs, [g[1] for g in ygaps])
            width, wide = s.column_gap_em * em, s.partial_column_gap_em * em
            for group in _column_groups(bands, width, wide, s.narrow_gutter_rows):
                _xy_cut(group, s, em, col_x1, out, col_x0)
            return
    for line in _leaf_lines(runs, s):
        out.append(line._replace(col_x1=col_x1, col_x0=col_x0))


def _lone_spaces(
    runs: list[_Run], gap: tuple[float, float] | None, s: ExtractSettings, em: float
) -> bool:
    """On a vertical page, is a gutter narrower than ``partial_column_gap_em`` only spaces that
    line up in a few vertical columns, rather than the gap between two tiers of many columns?
    (Horizontal text on the page, turned with it, keeps the usual rule.)"""
    # Spaces are as wide as the type around them (a heading's are wider than the body's).
    em = max(em, max((r.height for r in runs if r.vertical), default=em))
    if gap is None or not s.narrow_gutter_rows or gap[1] - gap[0] >= s.partial_column_gap_em * em:
        return False
    cut = (gap[0] + gap[1]) / 2
    sides = ([r for r in runs if r.x1 <= cut], [r for r in runs if r.x1 > cut])
    if not all(r.vertical for side in sides for r in side):
        return False
    return any(
        len(_gaps((r.top, r.bottom) for r in side)) + 1 < s.narrow_gutter_rows for side in sides
    )


def _one_line(runs: list[_Run], s: ExtractSettings) -> bool:
    """Runs sharing one horizontal band with no gutter between them are one line (letter-spaced
    or overprinted headings come out of PDFium as several runs)."""
    if max(r.top for r in runs) >= min(r.bottom for r in runs):
        return False
    height = max(r.height for r in runs)
    widest = max((g[1] - g[0] for g in _gaps((r.x0, r.x1) for r in runs)), default=0.0)
    return widest < s.column_gap_em * height


def _split_rows(runs: list[_Run], cuts: list[float]) -> list[list[_Run]]:
    """Split runs at the given y positions (the lower ends of whitespace bands), top to bottom."""
    bands: list[list[_Run]] = []
    current: list[_Run] = []
    ci = 0
    for r in sorted(runs, key=lambda r: r.top):
        while ci < len(cuts) and r.top >= cuts[ci]:
            if current:
                bands.append(current)
            current = []
            ci += 1
        current.append(r)
    if current:
        bands.append(current)
    return bands


def _free(band: list[_Run], lo: float, hi: float, width: float) -> list[tuple[float, float]]:
    """Horizontal whitespace of a row at least ``width`` wide, between ``lo`` and ``hi``."""
    spans = sorted((r.x0, r.x1) for r in band)
    free = []
    end = lo
    for x0, x1 in spans:
        if x0 - end >= width:
            free.append((end, x0))
        end = max(end, x1)
    if hi - end >= width:
        free.append((end, hi))
    return free


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]], width: float):
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= width:
                out.append((lo, hi))
    return out


def _two_sided(
    bands: list[list[_Run]], g0: float, g1: float, wide: float, narrow_rows: int = 0
) -> bool:
    """Text on each side of the gap in at least two rows (a vertical label counts as two):
    one row with a wide space in it (、「 in justified text) is not a pair of columns. Gaps
    narrower than ``wide`` count only right beside a vertical label (nothing else to its left)
    or between text of different sizes (a heading with the paragraph set around it: justified
    gaps are inside one paragraph's type), or, when ``narrow_rows`` is set, with at least that
    many rows on each side (tiers of vertical columns)."""
    left = right = 0
    label = False
    left_size = right_size = 0.0
    for band in bands:
        here = [r for r in band if r.x1 <= g0]
        if here:
            label = label or all(r.kind == "vertical" for r in here)
            left += 2 if label else 1
            left_size = max(left_size, *(r.size for r in here))
        there = [r for r in band if r.x0 >= g1]
        if there:
            right += 1
            right_size = max(right_size, *(r.size for r in there))
    if left < 2 or right < 2:
        return False
    sizes = sorted((left_size, right_size))
    distinct = sizes[0] > 0 and sizes[1] >= _DISTINCT_SIZE * sizes[0]
    many = 0 < narrow_rows <= min(left, right)
    return label or distinct or many or g1 - g0 >= wide


# Type this much larger than the text beside it is a different element (heading vs body text).
_DISTINCT_SIZE = 1.2


def _column_groups(
    bands: list[list[_Run]], width: float, wide: float, narrow_rows: int = 0
) -> list[list[_Run]]:
    """Regroup consecutive rows that share a gutter (columns on part of a page only).

    A slide panel with 第3期 施策 on the left and 第2期 取組 on the right under a full-width intro
    has no gutter through the whole region; the rows of the panel do share one. Rows are merged
    greedily top-down while the whitespace common to all of them still holds a gap of ``width``;
    a group with text on both sides of a gap at least ``wide`` (or ``width`` beside a vertical
    label) goes back to the XY-cut as one region.
    """
    lo = min(r.x0 for band in bands for r in band)
    hi = max(r.x1 for band in bands for r in band)
    groups: list[list[_Run]] = []
    i = 0
    while i < len(bands):
        free = _free(bands[i], lo, hi, width)
        best = i + 1  # end of the longest run of rows with an interior two-sided gutter
        j = i + 1
        while j < len(bands):
            free = _intersect(free, _free(bands[j], lo, hi, width), width)
            if not free:
                break
            j += 1
            if any(
                lo < g0 and g1 < hi and _two_sided(bands[i:j], g0, g1, wide, narrow_rows)
                for g0, g1 in free
            ):
                best = j
        if best - i >= 2 and best - i < len(bands):
            groups.append([r for band in bands[i:best] for r in band])
            i = best
        else:
            groups.append(bands[i])
            i += 1
    return groups


# Runs closer than this fraction of their height are set without a space between them.
_TOUCHING = 0.15


def _majority_size(runs: list[_Run]) -> float:
    """The size most of the runs' characters are set in (ties: the larger): a list label
    「第1章」 set smaller than its heading's text does not decide the heading's size."""
    chars: dict[float, int] = {}
    for r in runs:
        size = r.size or r.height
        chars[size] = chars.get(size, 0) + len(r.text.strip())
    return max(chars, key=lambda k: (chars[k], k))


def _leaf_lines(runs: list[_Run], s: ExtractSettings) -> list[_Line]:
    """Runs with no whitespace band between them: vertical labels and tables first, then lines."""
    special = sorted((r for r in runs if r.kind != "text"), key=lambda r: (r.x0, r.top))
    lines = [
        _Line(
            r.x0, r.top, r.x1, r.bottom, r.text, r.kind, r.rows, r.x1,
            size=r.size, bold=r.bold, overprint=r.overprint, vertical=r.kind == "vertical", band=r.band,
        )
        for r in special
    ]  # fmt: skip
    groups: list[list[_Run]] = []
    bounds: list[list[float]] = []  # [top, bottom] of each group
    for r in sorted((r for r in runs if r.kind == "text"), key=lambda r: r.top):
        centre = (r.top + r.bottom) / 2
        for g, span in zip(groups, bounds, strict=True):
            top, bottom = span
            overlap = min(bottom, r.bottom) - max(top, r.top)
            if top <= centre <= bottom or overlap >= s.line_overlap * min(r.height, bottom - top):
                g.append(r)
                span[1] = max(bottom, r.bottom)
                break
        else:
            groups.append([r])
            bounds.append([r.top, r.bottom])
    for g in groups:
        g.sort(key=lambda r: r.x0)
        text = ""
        end = None
        lead_text: str | None = None  # the bold start of the line, once the face changes
        bold_run = True  # every run so far is bold throughout
        for r in g:
            before = text
            if end is not None and r.x0 - end < _TOUCHING * r.height:
                text += r.text  # PDFium splits runs at font changes: adjacent runs are one word
            else:
                text = normalize.join_pair(text, r.text)
            end = r.x1
            if bold_run and lead_text is None:
                if r.bold and r.bold_lead:
                    lead_text = text[: len(text) - len(r.text) + r.bold_lead]
                elif not r.bold and before:
                    lead_text = before
                bold_run = r.bold and not r.bold_lead
        text = _collapse(text)
        bold_lead = 0
        if lead_text and g[0].bold:
            head = _collapse(lead_text).rstrip()
            bold_lead = len(head) if text.startswith(head) and len(text) > len(head) else 0
        if _NEEDS_FOLDING.search(text):  # e.g. ʷ (minus) drawn in another font than its digits
            text = normalize.normalize_chars(_MINUS_SPACE.sub("", text))
        lines.append(
            _Line(
                g[0].x0,
                min(r.top for r in g),
                max(r.x1 for r in g),
                max(r.bottom for r in g),
                text,
                "text",
                (),
                max(r.x1 for r in g),
                size=_majority_size(g),
                bold=g[0].bold,
                bold_lead=bold_lead,
                band=g[0].band,
                overprint=any(r.overprint for r in g),
                vertical=2 * sum(len(r.text) for r in g if r.vertical) > len(text),
            )
        )
    return lines


# ── headers, footers, page numbers ──────────────────────────────────────────


def _margin_key(line: _Line) -> str:
    return _DIGITS.sub("#", line.text.replace(" ", ""))


def _margin_lines(runs: list[_Run], page_height: float, s: ExtractSettings) -> list[_Line]:
    """Lines of text in the top and bottom margin bands of a page."""
    band = s.margin_band * page_height
    top = [r for r in runs if r.kind == "text" and r.bottom <= band]
    bottom = [r for r in runs if r.kind == "text" and r.top >= page_height - band]
    return _leaf_lines(top, s) + _leaf_lines(bottom, s)


def _inside(run: _Run, line: _Line) -> bool:
    cx, cy = (run.x0 + run.x1) / 2, (run.top + run.bottom) / 2
    return line.x0 <= cx <= line.x1 and line.top <= cy <= line.bottom


def _running_keys(margins: list[list[_Line]], s: ExtractSettings) -> set[str]:
    """Keys of margin lines repeated on most pages (running headers and footers)."""
    if len(margins) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in margins:
        counts.update({_margin_key(x) for x in lines})
    need = max(2, s.repeat_share * len(margins))
    return {key for key, n in counts.items() if n >= need}


def _repeated_titles(
    raw_pages: list[tuple[float, float, list[_Run]]],
    margins: list[list[_Line]],
    drop: set[str],
    s: ExtractSettings,
) -> set[int]:
    """The first occurrence (``id`` of its margin line) of each repeated margin line set as a
    heading: a slide deck's title band (「基本目標1　…」 22 pt on every slide of the goal) is the
    section's title, kept once; a running header is set at or below the body size."""
    sizes = [r.size for _, _, runs in raw_pages for r in runs if r.kind == "text" and r.size > 0]
    if not drop or not sizes:
        return set()
    body = statistics.median(sizes)
    seen: set[str] = set()
    keep: set[int] = set()
    for lines in margins:
        for x in lines:
            key = _margin_key(x)
            if key in drop and key not in seen and x.size >= s.repeated_title_ratio * body:
                seen.add(key)
                keep.add(id(x))
    return keep


# ── lines → blocks ──────────────────────────────────────────────────────────


def _blocks(
    lines: list[_Line], number: int, em: float, s: ExtractSettings, turned: float | None = None
) -> list[Block]:
    """Group lines into paragraphs: wrapped lines of one paragraph are joined without spaces.

    ``turned``: the page width when the lines are in a vertical page's turned frame (see
    ``_page_lines``); the blocks' boxes are turned back to the page."""
    if turned:
        s = s.turned()
    blocks: list[Block] = []
    prev: _Line | None = None
    for line in lines:
        bbox = (round(line.x0, 1), round(line.top, 1), round(line.x1, 1), round(line.bottom, 1))
        if line.kind != "text":
            text = line.text
            blocks.append(
                Block(
                    text=text,
                    page=number,
                    kind=line.kind,
                    rows=line.rows,
                    bbox=bbox,
                    **_typography(line),
                )
            )
            prev = None
            continue
        # Across the flow of a vertical page (a horizontal caption), the line's extent in the
        # turned frame is its width: its font size says whether it is a heading.
        extent = line.size if turned and not line.vertical else line.bottom - line.top
        heading = extent >= s.heading_ratio * em and len(line.text) > 1
        if (
            prev is not None
            and prev.vertical == line.vertical
            and (_same_line(prev, line, em, s) or (not heading and _continues(prev, line, em, s)))
        ):
            last = blocks[-1]
            assert last.bbox is not None
            blocks[-1] = replace(
                last,
                text=normalize.join_pair(last.text, line.text),
                bbox=(
                    min(last.bbox[0], bbox[0]),
                    min(last.bbox[1], bbox[1]),
                    max(last.bbox[2], bbox[2]),
                    max(last.bbox[3], bbox[3]),
                ),
            )
            prev = line._replace(x0=min(prev.x0, line.x0))
            continue
        kind = "heading" if heading else "vertical" if turned and line.vertical else "text"
        blocks.append(Block(text=line.text, page=number, kind=kind, bbox=bbox, **_typography(line)))
        prev = None if heading else line
    if turned:
        blocks = [
            replace(b, bbox=_turn_back(b.bbox, turned)) if b.bbox is not None else b for b in blocks
        ]
    return blocks


def _typography(line: _Line) -> dict:
    """The ``Block`` typography fields of a block starting with ``line``."""
    return {
        "font_size": round(line.size, 1) if line.size else None,
        "bold": line.bold or line.overprint,
        "bold_lead": line.bold_lead,
        "overprint": line.overprint,
        "indent": round(max(0.0, line.x0 - line.col_x0), 1) if line.kind == "text" else None,
        "band": line.band,
    }


def _same_line(prev: _Line, line: _Line, em: float, s: ExtractSettings) -> bool:
    """The rest of ``prev``'s own line, split off at a wide gap (、 then 「 in justified text)."""
    overlap = min(prev.bottom, line.bottom) - max(prev.top, line.top)
    return (
        overlap > 0.5 * min(prev.bottom - prev.top, line.bottom - line.top)
        and 0 <= line.x0 - prev.x1 < s.rest_of_line_gap_em * em
    )


def _continues(prev: _Line, line: _Line, em: float, s: ExtractSettings) -> bool:
    """Is ``line`` the wrapped continuation of ``prev``?"""
    if line.top - prev.bottom > s.paragraph_gap_em * em or line.top < prev.top:
        return False
    if _NEW_ITEM.match(line.text) or line.x0 < prev.x0 - 4 * em:
        return False
    if _other_type(prev, line):
        return False
    # The column a wrapped line fills is at least as wide as the line that continues it: a
    # heading cut off by a tab (「(1)」 + title) sits in a column of its own width, which it
    # "fills" without having wrapped.
    col_x1 = max(prev.col_x1, line.col_x1)
    if prev.x1 - prev.x0 < s.min_wrap_width_em * em:
        # A short line is a list entry or a table-like column, not wrapped text.
        return prev.text.endswith(normalize.CONTINUATION_ENDINGS)
    if prev.text.endswith(_SENTENCE_END):
        # A sentence may end exactly at the margin; only a full line continues.
        return prev.x1 >= col_x1 - s.wrap_slack_em * em and line.x0 <= prev.x0 + 0.5 * em
    wrapped = prev.x1 >= col_x1 - s.wrap_slack_em * em
    # Mid-sentence, a line that nearly fills the column and is followed by a flush (not
    # indented) line was wrapped: ragged right edges miss the strict test by up to ~2 em.
    nearly = prev.x1 >= col_x1 - s.ragged_slack_em * em and line.x0 <= prev.x0 + 0.3 * em
    return wrapped or nearly or prev.text.endswith(normalize.CONTINUATION_ENDINGS)


# Lines whose font sizes differ by more than this ratio are set in different type: a paragraph
# keeps its size when it wraps (a 14 pt heading line is not continued by 10.5 pt body text).
SIZE_CHANGE = 1.15


def _other_type(prev: _Line, line: _Line) -> bool:
    """``line`` is set in another font size than ``prev``."""
    small, large = sorted((prev.size, line.size))
    return bool(small and large > SIZE_CHANGE * small)


# ── tables continued across pages ───────────────────────────────────────────


def _columns(block: Block) -> int:
    return max((len(r) for r in block.rows), default=0)


def _join_continued_tables(pages: list[Page], s: ExtractSettings) -> tuple[Page, ...]:
    """Join a table ending page N with a table starting page N+1 when their columns match.

    Footnotes (※…) printed below the table on page N may stand between the two parts. A header
    row repeated at the top of the continuation is dropped.
    """
    out = list(pages)
    owner = 0  # the page holding the table a continuation would join (stays put while a
    # table runs over whole pages, so a three-page table ends up as one block)
    for i in range(len(out) - 1):
        if out[i].blocks:
            owner = i
        cur, nxt = out[owner], out[i + 1]
        tail = [k for k, b in enumerate(cur.blocks) if b.kind == "table"]
        if not tail or not nxt.blocks or nxt.blocks[0].kind != "table":
            continue
        k = tail[-1]
        if any(not b.text.startswith("※") for b in cur.blocks[k + 1 :]):
            continue
        first, second = cur.blocks[k], nxt.blocks[0]
        if _columns(first) != _columns(second) or first.bbox is None or second.bbox is None:
            continue
        tol = s.continued_column_tolerance
        if abs(first.bbox[0] - second.bbox[0]) > tol or abs(first.bbox[2] - second.bbox[2]) > tol:
            continue
        rows = second.rows
        if rows and first.rows and rows[0] == first.rows[0]:
            rows = rows[1:]
        joined_rows = first.rows + rows
        joined = replace(first, rows=joined_rows, text="\n".join("\t".join(r) for r in joined_rows))
        out[owner] = replace(cur, blocks=(*cur.blocks[:k], joined, *cur.blocks[k + 1 :]))
        out[i + 1] = replace(nxt, blocks=nxt.blocks[1:])
    return tuple(out)


# ── damage: per-page warnings ───────────────────────────────────────────────
#
# PDFium repairs what it can and reads the rest without a word: a page whose content stream is
# cut reads as a few lines or none, a damaged font maps glyphs to the wrong characters. These
# checks say so per page (``Document.warnings``, and a ``TextkitWarning`` the CLI prints).


def damage_warnings(
    path: str | Path, pages: Sequence[Page], failed: dict[int, str]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(warnings, page numbers) for pages that failed, whose streams cannot be decoded, or that
    yield no text while both their neighbours do. ``failed``: page number → what PDFium raised."""
    broken = _undecodable_streams(path)
    by_what: dict[str, list[int]] = {}
    for number, whats in sorted(broken.items()):
        for what in sorted(whats):
            by_what.setdefault(what, []).append(number)
    notes = [
        f"page {number} could not be read ({why}): its text is missing"
        for number, why in sorted(failed.items())
    ]
    for what, numbers in by_what.items():
        notes.append(
            f"{_page_list(numbers)}: {what} cannot be decoded (the file is damaged), so text "
            "there may be missing or wrong; download or export the PDF again"
        )
    damaged = set(failed) | set(broken)
    lengths = [len(p.text.strip()) for p in pages]
    quiet = [
        pages[i].number
        for i in range(1, len(pages) - 1)
        if lengths[i] == 0 and lengths[i - 1] and lengths[i + 1] and pages[i].number not in damaged
    ]
    # A page left blank on purpose holds no objects or only empty text objects (Word's empty
    # paragraphs); a picture between pages of text is a scan or a slide image whose words are lost.
    for number in _picture_pages(path, quiet):
        damaged.add(number)
        notes.append(
            f"page {number} is a picture without a text layer between pages with text "
            f"({number - 1} and {number + 1}): its text is not read; OCR the PDF to include it"
        )
    return tuple(f"{path}: {n}" for n in notes), tuple(sorted(damaged))


def _picture_pages(path: str | Path, numbers: list[int]) -> list[int]:
    """Those of ``numbers`` whose page draws images and no text objects."""
    if not numbers:
        return []
    import pypdfium2.raw as pdfium_c

    out = []
    with _PDFIUM_LOCK:
        pdf = open_checked(path)
        try:
            for number in numbers:
                page = pdf[number - 1]
                kinds = {obj.type for obj in page.get_objects(max_depth=2)}
                if pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds and pdfium_c.FPDF_PAGEOBJ_TEXT not in kinds:
                    out.append(number)
                page.close()
        finally:
            pdf.close()
    return out


def _page_list(numbers: list[int]) -> str:
    """[3, 4, 5, 9] → 'pages 3–5, 9'."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in spans)
    return ("pages " if len(numbers) > 1 else "page ") + text


def _undecodable_streams(path: str | Path) -> dict[int, set[str]]:
    """Page number → the streams it uses (content, fonts, forms) that do not decode.

    pdfminer (pdfplumber's parser) walks the page tree; each stream's filters are applied here
    strictly (pdfminer itself quietly returns what a broken zlib stream gives). A file pdfminer
    cannot walk at all gives no answer: PDFium's repaired reading stands, and the page checks in
    ``damage_warnings`` still apply."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    out: dict[int, set[str]] = {}
    verdicts: dict[int, bool] = {}
    # pdfminer logs every repair it makes ("Invalid MediaBox …"); the user sees our warnings.
    log = logging.getLogger("pdfminer")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        with open(path, "rb") as fh:
            doc = PDFDocument(PDFParser(fh))
            for number, page in enumerate(PDFPage.create_pages(doc), start=1):
                for what, stream in _page_streams(page.attrs):
                    key = id(stream) if stream is None or stream.objid is None else stream.objid
                    if key not in verdicts:
                        verdicts[key] = _decodes(stream)
                    if not verdicts[key]:
                        out.setdefault(number, set()).add(what)
    except Exception:  # pdfminer raises many kinds on a damaged file
        return out
    finally:
        log.setLevel(level)
    return out


def _page_streams(attrs: dict):  # noqa: C901  (#13: split it; complexity rule of #17)
    """(what, stream) for a page's content streams, its fonts' ToUnicode maps and font files,
    and its form XObjects (one level)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    contents = resolve1(attrs.get("Contents"))
    for c in contents if isinstance(contents, list) else [contents]:
        c = resolve1(c)
        if isinstance(c, PDFStream):
            yield "its content stream", c
        elif c is None and attrs.get("Contents") is not None:
            yield "its content stream (missing from the file)", None
    resources = resolve1(attrs.get("Resources"))
    if not isinstance(resources, dict):
        return
    fonts = resolve1(resources.get("Font"))
    for name, font in fonts.items() if isinstance(fonts, dict) else ():
        font = resolve1(font)
        if not isinstance(font, dict):
            continue
        parts = [font, *(resolve1(d) for d in resolve1(font.get("DescendantFonts")) or ())]
        for part in parts:
            if not isinstance(part, dict):
                continue
            descriptor = resolve1(part.get("FontDescriptor"))
            candidates = [part.get("ToUnicode")]
            if isinstance(descriptor, dict):
                candidates += [descriptor.get(k) for k in ("FontFile", "FontFile2", "FontFile3")]
            for s in candidates:
                s = resolve1(s)
                if isinstance(s, PDFStream):
                    yield f"font '{name}'", s
    xobjects = resolve1(resources.get("XObject"))
    for name, x in xobjects.items() if isinstance(xobjects, dict) else ():
        x = resolve1(x)
        if isinstance(x, PDFStream) and str(x.get("Subtype")) == "/'Form'":
            yield f"form '{name}'", x


def _decodes(stream) -> bool:
    """Whether the stream's Flate / ASCII85 / ASCIIHex filters decode to their end; other
    filters (images: DCT, JBIG2 …) are not checked."""
    import zlib

    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.psparser import LIT

    if stream is None:  # referred to, but not in the file
        return False
    data = stream.rawdata if stream.rawdata is not None else stream.data
    if data is None:
        return True
    try:
        if stream.decipher and stream.rawdata is not None:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        for f, _ in stream.get_filters():
            if f in (LIT("FlateDecode"), LIT("Fl")):
                z = zlib.decompressobj()
                data = z.decompress(data)
                if not z.eof:
                    return False
            elif f in (LIT("ASCII85Decode"), LIT("A85")):
                data = ascii85decode(data)
            elif f in (LIT("ASCIIHexDecode"), LIT("AHx")):
                data = asciihexdecode(data)
            else:
                return True
    except Exception:  # zlib.error, ValueError from the ASCII decoders, …
        return False
    return True
