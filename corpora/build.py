#!/usr/bin/env python
"""Render the bundled test PDFs of ``corpora/`` from the two seed copies.

Run from the repository root::

    .venv/bin/python corpora/build.py            # writes the three PDFs and corpora/expected/*
    .venv/bin/python corpora/build.py --verify   # ... and re-reads them with pdfplumber / pypdfium2

Outputs (all deterministic: reportlab ``invariant=1``, same input -> same bytes):

* ``otaru_2nd_strategy.pdf``      A4 portrait report rendered from ``otaru_2nd_strategy.md``
* ``otaru_2nd_strategy_x10.pdf``  the same document repeated (10 copies, >= ``--pages-min`` pages)
* ``tomakomai_3rd_deck.pdf``      A4 landscape slide deck reconstructed from ``tomakomai_3rd_deck_2024.txt``
* ``expected/<name>.txt``         ground truth: the text drawn, in reading order (see README.md)
* ``expected/<name>.pages.jsonl`` the same, one JSON object per page: {"page": n, "text": ...}

Fonts: IPAexGothic (``ipaexg.ttf`` shipped inside the PyPI package ``japanize-matplotlib``),
embedded and subset by reportlab; DejaVu Sans (shipped inside ``matplotlib``) only for the one
character IPAex lacks (U+02B7 ``ʷ``).  Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
OTARU_MD = HERE / "otaru_2nd_strategy.md"
TOMAKOMAI_TXT = HERE / "tomakomai_3rd_deck_2024.txt"
EXPECTED = HERE / "expected"

MAIN = "IPAexG"
FALLBACK = "DejaVuSans"

NAVY = (0.12, 0.23, 0.45)
BLUE_LIGHT = (0.87, 0.91, 0.97)
BLUE_PALE = (0.94, 0.96, 0.99)
GRAY = (0.35, 0.35, 0.35)
BLACK = (0, 0, 0)
WHITE = (1, 1, 1)

# The 17 SDG goal colours (official palette), for the SDGs panels of both documents.
SDG_COLOURS = (
    "#e5243b", "#dda63a", "#4c9f38", "#c5192d", "#ff3a21", "#26bde2", "#fcc30b", "#a21942",
    "#fd6925", "#dd1367", "#fd9d24", "#bf8b2e", "#3f7e44", "#0a97d9", "#56c02b", "#00689d",
    "#19486a",
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# fonts
# --------------------------------------------------------------------------------------------
def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        sys.exit(f"build.py: the Python package {name!r} is required (pip install it into .venv)")
    return Path(spec.origin).parent


_COVER: set[int] = set()
_WIDTH_CACHE: dict[str, float] = {}


def register_fonts() -> tuple[Path, Path]:
    ipa = _package_dir("japanize_matplotlib") / "fonts" / "ipaexg.ttf"
    dejavu = _package_dir("matplotlib") / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    if MAIN not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(MAIN, str(ipa)))
        pdfmetrics.registerFont(TTFont(FALLBACK, str(dejavu)))
    _COVER.clear()
    _COVER.update(pdfmetrics.getFont(MAIN).face.charToGlyph.keys())
    return ipa, dejavu


def font_of(ch: str) -> str:
    return MAIN if ord(ch) in _COVER or ch in " \t" else FALLBACK


def char_w(ch: str, size: float) -> float:
    w = _WIDTH_CACHE.get(ch)
    if w is None:
        w = pdfmetrics.stringWidth(ch, font_of(ch), 1000)
        _WIDTH_CACHE[ch] = w
    return w * size / 1000.0


def text_w(s: str, size: float) -> float:
    return sum(char_w(ch, size) for ch in s)


# --------------------------------------------------------------------------------------------
# rich text: atoms, wrapping, drawing
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    bold: bool = False
    sup: bool = False
    ul: bool = False


PLAIN = Style()
BOLD = Style(bold=True)
SUP_SCALE = 0.62
SUP_RISE = 0.36

Atom = tuple[str, Style]


def atoms_of(s: str, style: Style = PLAIN) -> list[Atom]:
    return [(ch, style) for ch in s]


def parse_inline(s: str) -> list[Atom]:
    """Markdown-converter inline marks: ``**bold**``, ``<sup>..</sup>``, ``<u>..</u>``."""
    out: list[Atom] = []
    bold = sup = ul = False
    for part in re.split(r"(\*\*|</?sup>|</?u>)", s):
        if part == "**":
            bold = not bold
        elif part == "<sup>":
            sup = True
        elif part == "</sup>":
            sup = False
        elif part == "<u>":
            ul = True
        elif part == "</u>":
            ul = False
        else:
            out.extend((ch, Style(bold, sup, ul)) for ch in part)
    return out


def plain_text(s: str) -> str:
    return "".join(ch for ch, _ in parse_inline(s))


def atom_w(a: Atom, size: float) -> float:
    ch, st = a
    return char_w(ch, size * SUP_SCALE if st.sup else size)


def atoms_w(atoms: list[Atom], size: float) -> float:
    return sum(atom_w(a, size) for a in atoms)


def atoms_text(atoms: list[Atom]) -> str:
    return "".join(ch for ch, _ in atoms)


# Japanese line-breaking rules (kinsoku shori), simplified
NO_START = set(
    "、。，．,.）)」』】〕〉》］]｝}’”・ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ！？!?：:；;％%…‥"
)
NO_END = set("（(「『【〔〈《［[｛{‘“")


def _tokens(atoms: list[Atom]) -> list[list[Atom]]:
    """Break opportunities: between CJK characters, at spaces; ASCII words stay whole."""
    toks: list[list[Atom]] = []
    word: list[Atom] = []
    for a in atoms:
        ch = a[0]
        if ch.isascii() and not ch.isspace():
            word.append(a)
            continue
        if word:
            toks.append(word)
            word = []
        toks.append([a])
    if word:
        toks.append(word)
    return toks


def wrap(atoms: list[Atom], widths: list[float], size: float) -> list[list[Atom]]:
    """Wrap by width; ``widths[i]`` is the width of line i (the last one repeats).

    No character is added or removed: joining the lines gives the input back.
    """
    if not atoms:
        return [[]]
    lines: list[list[Atom]] = []
    cur: list[list[Atom]] = []
    curw = 0.0

    def avail() -> float:
        return widths[min(len(lines), len(widths) - 1)]

    for tok in _tokens(atoms):
        tw = atoms_w(tok, size)
        if tok[0][0].isspace():  # a space may overhang the line end
            cur.append(tok)
            curw += tw
            continue
        if curw + tw <= avail() + 0.01 or not any(not t[0][0].isspace() for t in cur):
            if tw > avail() and not cur:  # a word longer than the line: break it anywhere
                for a in tok:
                    if cur and curw + atom_w(a, size) > avail():
                        lines.append([x for t in cur for x in t])
                        cur, curw = [], 0.0
                    cur.append([a])
                    curw += atom_w(a, size)
                continue
            cur.append(tok)
            curw += tw
            continue
        carry: list[list[Atom]] = []
        # kinsoku: a line must not start with closing punctuation / small kana ...
        if tok[0][0] in NO_START:
            while len(cur) > 1 and len(carry) < 3:
                carry.insert(0, cur.pop())
                if carry[0][0][0] not in NO_START:
                    break
        # ... nor end with an opening bracket
        while len(cur) > 1 and cur[-1][-1][0] in NO_END:
            carry.insert(0, cur.pop())
        lines.append([x for t in cur for x in t])
        cur = [*carry, tok]
        curw = sum(atoms_w(t, size) for t in cur)
    if cur:
        lines.append([x for t in cur for x in t])
    return lines


def _segments(atoms: list[Atom]):
    seg: list[str] = []
    key = None
    for ch, st in atoms:
        k = (font_of(ch), st)
        if key is not None and k != key:
            yield key, "".join(seg)
            seg = []
        key = k
        seg.append(ch)
    if seg:
        yield key, "".join(seg)


def _subset_chunks(c: canvas.Canvas, font: str, s: str) -> list[str]:
    """Split s where reportlab switches between its 256-glyph font subsets (one Tj each)."""
    f = pdfmetrics.getFont(font)
    if not hasattr(f, "splitString"):
        return [s]
    out, i = [], 0
    for _subset, data in f.splitString(s, c._doc):
        out.append(s[i : i + len(data)])
        i += len(data)
    return out


def draw_atoms(
    c: canvas.Canvas,
    x: float,
    y: float,
    atoms: list[Atom],
    size: float,
    color=BLACK,
    dx_double: float | None = None,
) -> float:
    """Draw one line of atoms with its baseline at y; returns the width drawn.

    Bold atoms are drawn with text render mode 2 (fill + thin stroke): bold-looking, but each
    character is in the text layer once.  ``dx_double`` draws the line a second time shifted by
    that many points (the fake-bold overprint found in slide decks): each run of text is drawn
    twice in a row, as slide software writes a bold-by-overprint run (so a PDF reader that drops
    an overprinted text object finds the copy right after the original).
    """
    c.setFillColorRGB(*color)
    c.setStrokeColorRGB(*color)
    c.setLineWidth(max(0.25, size * 0.035))
    t = c.beginText()
    t.setTextOrigin(x, y)
    cx = x
    unders = []
    for (font, st), s in _segments(atoms):
        sz = size * SUP_SCALE if st.sup else size
        t.setFont(font, sz)
        t.setRise(size * SUP_RISE if st.sup else 0)
        t.setTextRenderMode(2 if st.bold else 0)
        chunks = [s] if dx_double is None else _subset_chunks(c, font, s)
        for chunk in chunks:
            w = text_w(chunk, sz)
            if dx_double is not None:
                t.setTextOrigin(cx, y)
                t.textOut(chunk)
                t.setTextOrigin(cx + dx_double, y)
                t.textOut(chunk)
                t.setTextOrigin(cx + w, y)
            else:
                t.textOut(chunk)
            if st.ul:
                unders.append((cx, cx + w))
            cx += w
    t.setTextRenderMode(0)
    t.setRise(0)
    c.drawText(t)
    if unders:
        c.setLineWidth(0.6)
        for x0, x1 in unders:
            c.line(x0, y - size * 0.16, x1, y - size * 0.16)
    return cx - x


def draw_str(c, x, y, s, size, color=BLACK, bold=False, double=False, align="left"):
    atoms = atoms_of(s, BOLD if bold else PLAIN)
    if align != "left":
        w = atoms_w(atoms, size)
        x = x - w if align == "right" else x - w / 2
    return draw_atoms(c, x, y, atoms, size, color, 0.3 if double else None)


def baseline_in(top: float, lead: float, size: float) -> float:
    """Baseline of a line of text vertically centred in a line box [top - lead, top]."""
    return top - lead / 2 - 0.38 * size


# --------------------------------------------------------------------------------------------
# ground truth recorder
# --------------------------------------------------------------------------------------------
class Truth:
    """Text drawn, in reading order: (page, block, piece).  Pieces of one block are one line."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, str]] = []
        self._block = 0

    def block(self) -> int:
        self._block += 1
        return self._block

    def add(self, page: int, block: int, text: str) -> None:
        self.items.append((page, block, text))

    def line(self, page: int, text: str) -> None:
        self.add(page, self.block(), text)

    @staticmethod
    def _join(items) -> list[str]:
        out: list[str] = []
        last = None
        for _, b, t in items:
            if b == last:
                out[-1] += t
            else:
                out.append(t)
            last = b
        return [normalise_truth(x) for x in out]

    def text(self) -> str:
        return "\n".join(self._join(self.items)) + "\n"

    def pages(self) -> list[dict]:
        pages = sorted({p for p, _, _ in self.items})
        return [
            {"page": p, "text": "\n".join(self._join([i for i in self.items if i[0] == p]))}
            for p in pages
        ]


def normalise_truth(s: str) -> str:
    # the expected text is written in the normalised form: KANGXI RADICAL LONG -> 長
    return s.replace("\u2fa7", "\u9577")


# --------------------------------------------------------------------------------------------
# Otaru: Markdown -> blocks
# --------------------------------------------------------------------------------------------
CHAPTER_RE = re.compile(r"^(I|II|Ⅲ|IV|V)(\s|$)")
LABELS = {
    "課題",
    "施策の方向性",
    "基本的方向",
    "具体的施策",
    "施策の主な内容",
    "地区の概況",
    "地区の発展方向",
}
TABLE_RESIDUE = {
    "重要業績評価指標 (KPI)",
    "基準値",
    "目標値(R6)",
}  # converter residue before a table
# paragraphs the converter cut at a page break of the original (the rest follows later)
CUT_PARAGRAPH_ENDS = ("男女が流", "要因の一つであり、今")


@dataclass
class Block:
    kind: str  # title date heading para bullets footnotes table sdgs caption colophon
    text: str = ""
    level: int = 0
    items: list | None = None


def parse_otaru(md: str) -> list[Block]:
    paras: list[list[str]] = []
    cur: list[str] = []
    for line in md.split("\n"):
        if line.strip() == "":
            if cur:
                paras.append(cur)
                cur = []
        else:
            cur.append(line)
    if cur:
        paras.append(cur)

    blocks: list[Block] = []
    for p in paras:
        first = p[0].strip()
        if not blocks and re.fullmatch(r"\d{4}", first):  # chart residue (years) before the title
            continue
        if all("\t" in ln for ln in p):
            blocks.append(Block("table", items=[ln.split("\t") for ln in p]))
        elif first.startswith("#"):
            level = len(first) - len(first.lstrip("#"))
            text = "".join(ln.strip().lstrip("#").strip() for ln in p)
            blocks.append(Block("heading", text, level))
        elif first.startswith("- "):
            blocks.append(Block("bullets", items=[ln.strip()[2:] for ln in p]))
        elif first.startswith("※"):
            notes: list[str] = []
            for ln in p:
                s = ln.strip()
                if s.startswith("※") or not notes:
                    notes.append(s)
                else:
                    notes[-1] += s
            blocks.append(Block("footnotes", items=notes))
        else:
            text = "".join(ln.strip() for ln in p)
            if text.startswith("**") and text.endswith("**") and text.count("**") == 2:
                blocks.append(Block("heading", text[2:-2], 5))
            else:
                blocks.append(Block("para", text))

    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "heading" and b.text in TABLE_RESIDUE:
            i += 1
            continue
        if b.kind == "heading" and re.fullmatch(r"I|II|Ⅲ|IV|V", b.text):
            nxt = blocks[i + 1]
            out.append(Block("heading", f"{b.text} {nxt.text}", 1))
            i += 2
            continue
        if b.kind == "footnotes" and out and out[-1].kind == "footnotes":
            out[-1].items.extend(b.items)  # one group of notes, one rule above it
            i += 1
            continue
        if b.kind == "para" and b.text.endswith(CUT_PARAGRAPH_ENDS):
            j = i + 1
            held = []
            while blocks[j].kind == "footnotes":
                held.append(blocks[j])
                j += 1
            out.append(Block("para", b.text + blocks[j].text))
            out.extend(held)
            i = j + 1
            continue
        out.append(b)
        i += 1

    # classify
    final: list[Block] = []
    chapter = ""
    for k, b in enumerate(out):
        if b.kind == "heading":
            t = b.text
            if not final:
                final.append(Block("title", t))
                continue
            if t == "SUSTAINABLE DEVELOPMENT GOALS":
                final.append(Block("sdgs", t))
                continue
            if t == "小樽市第2期総合戦略":
                final.append(Block("colophon", t, items=[]))
                continue
            if CHAPTER_RE.match(t):
                chapter = t.split()[0]
                final.append(Block("heading", t, 1))
            elif re.fullmatch(r"基本目標 ?\d", t):
                nxt = out[k + 1]
                assert nxt.kind == "heading"
                final.append(Block("goal", t, items=[nxt.text]))
                nxt.kind = "consumed"
            elif t in LABELS:
                final.append(Block("heading", t, 4))
            elif re.match(r"\d+ ", t):
                if chapter == "Ⅲ":
                    final.append(Block("heading", t, 6))  # 具体的施策 title
                else:
                    final.append(Block("heading", t, 3 if t.endswith("地区") else 2))
            else:
                final.append(Block("heading", t, 3))
        elif b.kind == "consumed":
            continue
        elif b.kind == "para" and final and final[-1].kind == "title":
            final.append(Block("date", b.text))
        elif b.kind == "para" and b.text.startswith("◇"):
            final.append(Block("caption", b.text))
        elif final and final[-1].kind == "colophon" and b.kind == "para":
            final[-1].items.append(b.text)
        else:
            final.append(b)
    return final


# --------------------------------------------------------------------------------------------
# Otaru: report layout
# --------------------------------------------------------------------------------------------
PW, PH = A4
ML, MR = 62.0, 62.0
CW = PW - ML - MR
TOP = PH - 70.0
BOTTOM = 62.0
HEADER_Y = PH - 38.0
HEADER_RULE_Y = PH - 44.0
FOOTER_Y = 30.0
RUNNING_HEADER = "第2期 小樽市総合戦略"

BODY, BODY_LEAD = 10.5, 17.0
LEAD_CANDIDATES = (17.0, 17.25, 16.75, 17.5, 16.5, 17.75, 16.25, 18.0)
NOTE, NOTE_LEAD = 8.0, 12.0
CELL, CELL_LEAD, CELL_PAD = 9.0, 13.0, 4.0
KPI_COLS = (0.50, 0.25, 0.25)


class Report:
    def __init__(
        self, c: canvas.Canvas, truth: Truth, page_offset: int = 0, lead: float = BODY_LEAD
    ) -> None:
        self.c = c
        self.truth = truth
        self.page = page_offset  # physical page (1-based) of the whole file
        self.local = 0  # page within this copy
        self.numbered = False
        self.y = TOP
        self.open = False
        self.chapters: list[tuple[str, int]] = []
        self.table_no = 0
        self.splits: list[dict] = []
        self.lead = lead
        self.layout: dict = {"tables": []}

    # pages ------------------------------------------------------------------------------
    def new_page(self, numbered: bool = True) -> None:
        if self.open:
            self.end_page()
        self.page += 1
        self.local += 1
        self.numbered = numbered
        self.open = True
        self.y = TOP
        if numbered:
            c = self.c
            draw_str(c, PW - MR, HEADER_Y, RUNNING_HEADER, 8, GRAY, align="right")
            c.setStrokeColorRGB(*GRAY)
            c.setLineWidth(0.5)
            c.line(ML, HEADER_RULE_Y, PW - MR, HEADER_RULE_Y)
            draw_str(c, PW / 2, FOOTER_Y, f"- {self.number()} -", 9, align="center")

    def number(self) -> int:
        return self.local - 2  # cover and contents are unnumbered

    def end_page(self) -> None:
        self.c.showPage()
        self.open = False

    def need(self, h: float) -> None:
        if self.y - h < BOTTOM:
            self.new_page()

    def add(self, block: int, text: str) -> None:
        self.truth.add(self.page, block, text)

    # paragraphs -------------------------------------------------------------------------
    def par(
        self,
        atoms: list[Atom],
        size=BODY,
        lead=None,
        left=0.0,
        first=0.0,
        hang=0.0,
        align="left",
        color=BLACK,
        width=None,
    ) -> None:
        lead = lead or self.lead
        width = width if width is not None else CW - left
        lines = wrap(atoms, [width - first, width - hang], size)
        bid = self.truth.block()
        for i, ln in enumerate(lines):
            self.need(lead)
            x = ML + left + (first if i == 0 else hang)
            if align == "center":
                x = ML + left + (width - atoms_w(ln, size)) / 2
            draw_atoms(self.c, x, baseline_in(self.y, lead, size), ln, size, color)
            self.add(bid, atoms_text(ln))
            self.y -= lead

    def heading(self, text: str, level: int) -> None:
        c = self.c
        atoms = atoms_of(text, BOLD)
        if level == 1:
            self.new_page()
            self.chapters.append((text, self.number()))
            size = 20
            self.y -= 6
            draw_atoms(c, ML, baseline_in(self.y, 30, size), atoms, size, NAVY)
            self.truth.line(self.page, text)
            self.y -= 34
            c.setStrokeColorRGB(*NAVY)
            c.setLineWidth(2)
            c.line(ML, self.y, PW - MR, self.y)
            self.y -= 18
            return
        if level == 2:
            size, lead, before, after = 14, 22, 14, 8
        elif level == 6:
            size, lead, before, after = 12.5, 21, 16, 8
        elif level == 4:
            size, lead, before, after = 11, 20, 10, 6
        else:
            size, lead, before, after = 12, 20, 10, 4
        lines = wrap(atoms, [CW - 14], size)
        self.y -= before
        self.need(lead * len(lines) + 2 * self.lead)  # keep with the next two lines
        bid = self.truth.block()
        for ln in lines:
            top = self.y
            if level == 2:
                c.setFillColorRGB(*NAVY)
                c.rect(ML, top - lead + 3, 5, lead - 6, stroke=0, fill=1)
                x = ML + 12
            elif level == 4:
                c.setFillColorRGB(*BLUE_LIGHT)
                c.rect(ML, top - lead, CW, lead, stroke=0, fill=1)
                x = ML + 6
            else:
                x = ML
            draw_atoms(
                c, x, baseline_in(top, lead, size), ln, size, NAVY if level in (2, 6) else BLACK
            )
            self.add(bid, atoms_text(ln))
            self.y -= lead
        if level == 6:
            c.setStrokeColorRGB(*NAVY)
            c.setLineWidth(0.8)
            c.line(ML, self.y + 1, PW - MR, self.y + 1)
        self.y -= after

    def bullets(self, items: list[str]) -> None:
        self.y -= 2
        for it in items:
            m = re.match(r"^([◎▶▷○●■□◇・])\s+", it)
            if m:
                mark, body = m.group(1) + " ", it[m.end() :]
            else:
                mark, body = "・", it
            prefix = atoms_of(mark)
            self.par(
                prefix + parse_inline(body),
                left=6,
                hang=atoms_w(prefix, BODY),
                lead=self.lead - 0.5,
            )
        self.y -= 4

    def footnotes(self, notes: list[str]) -> None:
        self.y -= 3
        self.need(NOTE_LEAD * 2)
        self.c.setStrokeColorRGB(*GRAY)
        self.c.setLineWidth(0.4)
        self.c.line(ML, self.y, ML + 120, self.y)
        self.y -= 3
        for n in notes:
            m = re.match(r"^※\s*\d*", n)
            hang = text_w(m.group(0), NOTE) + 1 if m else 0
            self.par(
                parse_inline(n), size=NOTE, lead=NOTE_LEAD, hang=hang, color=(0.15, 0.15, 0.15)
            )
        self.y -= 6

    # tables -----------------------------------------------------------------------------
    def table(self, rows: list[list[str]]) -> None:
        self.table_no += 1
        widths = [CW * f for f in KPI_COLS]

        def lay(row):
            cells = [
                wrap(parse_inline(cell.strip()), [w - 2 * CELL_PAD], CELL)
                for cell, w in zip(row, widths, strict=True)
            ]
            h = max(len(x) for x in cells) * CELL_LEAD + 2 * CELL_PAD
            return cells, h, "\t".join(plain_text(cell.strip()) for cell in row)

        header = lay(rows[0])
        body = [lay(r) for r in rows[1:]]
        self.y -= 4
        self.need(header[1] + body[0][1])  # header + first row at least, else a new page
        info = {
            "table": self.table_no,
            "pages": [self.page],
            "rows": len(body),
            "header": header[2],
        }
        self._row(header, widths, True)
        for r in body:
            if self.y - r[1] < BOTTOM:
                self.new_page()
                info["pages"].append(self.page)
                self._row(header, widths, True)  # the header row is repeated
            self._row(r, widths, False)
        if len(info["pages"]) > 1:
            self.splits.append(info)
        self.layout["tables"].append(info)
        self.y -= 10

    def _row(self, row, widths, is_header: bool) -> None:
        c = self.c
        cells, h, text = row
        x = ML
        top = self.y
        for k, (lines, w) in enumerate(zip(cells, widths, strict=True)):
            c.setLineWidth(0.6)
            c.setStrokeColorRGB(0.2, 0.2, 0.2)
            if is_header:
                c.setFillColorRGB(*BLUE_LIGHT)
                c.rect(x, top - h, w, h, stroke=1, fill=1)
            else:
                c.rect(x, top - h, w, h, stroke=1, fill=0)
            for i, ln in enumerate(lines):
                lw = atoms_w(ln, CELL)
                tx = x + CELL_PAD if (k == 0 and not is_header) else x + (w - lw) / 2
                ln2 = [(ch, Style(True, st.sup, st.ul)) for ch, st in ln] if is_header else ln
                draw_atoms(
                    c, tx, baseline_in(top - CELL_PAD - i * CELL_LEAD, CELL_LEAD, CELL), ln2, CELL
                )
            x += w
        self.truth.line(self.page, text)
        self.y -= h

    # special blocks ---------------------------------------------------------------------
    def cover(self, title: str, date: str) -> None:
        c = self.c
        self.new_page(numbered=False)
        c.setFillColorRGB(*NAVY)
        c.rect(0, PH - 120, PW, 22, stroke=0, fill=1)
        c.setFillColorRGB(*BLUE_PALE)
        c.rect(ML - 10, PH * 0.45, CW + 20, 170, stroke=0, fill=1)
        c.setStrokeColorRGB(*NAVY)
        c.setLineWidth(1.2)
        c.line(ML - 10, PH * 0.45, PW - MR + 10, PH * 0.45)
        draw_str(c, PW / 2, PH * 0.45 + 100, title, 28, NAVY, bold=True, align="center")
        self.truth.line(self.page, title)
        draw_str(c, PW / 2, PH * 0.45 + 40, date, 16, align="center")
        self.truth.line(self.page, date)
        c.setFillColorRGB(*NAVY)
        c.rect(0, 80, PW, 8, stroke=0, fill=1)

    def contents(self, chapters: list[tuple[str, int]]) -> None:
        c = self.c
        self.new_page(numbered=False)
        draw_str(c, PW / 2, TOP - 40, "目次", 18, NAVY, bold=True, align="center")
        self.truth.line(self.page, "目次")
        y = TOP - 100
        size = 12
        x0, x1 = ML + 30, PW - MR - 30
        for title, num in chapters:
            num_s = str(num)
            tw = text_w(title, size)
            nw = text_w(num_s, size)
            dot = "…"
            dw = text_w(dot, size)
            avail = x1 - x0 - tw - nw - 8
            n = max(3, int(avail // dw))
            draw_str(c, x0, y, title, size)
            # the leader is spread with character spacing so that it touches the number
            t = c.beginText()
            t.setTextOrigin(x0 + tw + 4, y)
            t.setFont(MAIN, size)
            t.setCharSpace((x1 - nw - 4 - (x0 + tw + 4) - n * dw) / n)
            t.textOut(dot * n)
            t.setCharSpace(0)
            c.drawText(t)
            draw_str(c, x1, y, num_s, size, align="right")
            self.truth.line(self.page, f"{title}{dot * n}{num_s}")
            y -= 34

    def goal(self, label: str, title: str) -> None:
        c = self.c
        self.new_page()
        lines = wrap(atoms_of(title, BOLD), [CW - 32], 17)
        h = 44 + 26 * len(lines)
        c.setFillColorRGB(*NAVY)
        c.roundRect(ML, self.y - h, CW, h, 6, stroke=0, fill=1)
        draw_str(c, ML + 16, self.y - 24, label, 12.5, WHITE, bold=True)
        self.truth.line(self.page, label)
        bid = self.truth.block()
        for i, ln in enumerate(lines):
            draw_atoms(c, ML + 16, self.y - 52 - 26 * i, ln, 17, WHITE)
            self.add(bid, atoms_text(ln))
        self.y -= h + 16

    def sdgs(self, text: str) -> None:
        c = self.c
        self.need(110)
        self.y -= 8
        draw_str(c, PW / 2, self.y - 14, text, 13, NAVY, bold=True, align="center")
        self.truth.line(self.page, text)
        self.y -= 28
        colors = SDG_COLOURS
        s, g = 36, 6
        for i, col in enumerate(colors):
            row, k = divmod(i, 9)
            n_in_row = 9 if row == 0 else 8
            x0 = PW / 2 - (n_in_row * s + (n_in_row - 1) * g) / 2
            rgb = tuple(int(col[j : j + 2], 16) / 255 for j in (1, 3, 5))
            c.setFillColorRGB(*rgb)
            c.rect(x0 + k * (s + g), self.y - s - row * (s + g), s, s, stroke=0, fill=1)
        self.y -= 2 * s + g + 14

    def caption(self, text: str) -> None:
        self.y -= 6
        self.need(self.lead * 3)
        self.par(atoms_of(text, BOLD), size=11, lead=20, align="center", color=NAVY)
        # a PDCA ring (graphics only)
        c = self.c
        self.need(150)
        cx, cy, r = PW / 2, self.y - 70, 52
        c.setStrokeColorRGB(*NAVY)
        c.setLineWidth(2)
        c.circle(cx, cy, r, stroke=1, fill=0)
        for k in range(4):
            a = math.pi / 2 - k * math.pi / 2
            c.setFillColorRGB(*BLUE_LIGHT)
            c.circle(cx + r * math.cos(a), cy + r * math.sin(a), 17, stroke=1, fill=1)
        self.y -= 150

    def colophon(self, title: str, lines: list[str]) -> None:
        c = self.c
        self.new_page(numbered=False)
        h = 40 + 20 * len(lines)
        y0 = 120
        c.setStrokeColorRGB(*NAVY)
        c.setLineWidth(1)
        c.rect(ML + 80, y0, CW - 160, h + 20, stroke=1, fill=0)
        draw_str(c, PW / 2, y0 + h - 6, title, 14, NAVY, bold=True, align="center")
        self.truth.line(self.page, title)
        for i, ln in enumerate(lines):
            draw_str(c, PW / 2, y0 + h - 34 - 20 * i, ln, 10.5, align="center")
            self.truth.line(self.page, ln)


def render_otaru(
    c: canvas.Canvas, blocks: list[Block], truth: Truth, chapters, page_offset=0, lead=BODY_LEAD
) -> Report:
    r = Report(c, truth, page_offset, lead)
    it = iter(blocks)
    title = next(it)
    date = next(it)
    assert title.kind == "title" and date.kind == "date"
    r.cover(title.text, date.text)
    r.contents(chapters)
    for b in it:
        if b.kind == "heading":
            r.heading(b.text, b.level)
        elif b.kind == "goal":
            r.goal(b.text, b.items[0])
        elif b.kind == "para":
            indent = 0.0 if b.text.startswith(("**", "～")) else BODY
            r.par(parse_inline(b.text), first=indent, left=12 if b.text.startswith("～") else 0)
            r.y -= 3
        elif b.kind == "bullets":
            r.bullets(b.items)
        elif b.kind == "footnotes":
            r.footnotes(b.items)
        elif b.kind == "table":
            r.table(b.items)
        elif b.kind == "sdgs":
            r.sdgs(b.text)
        elif b.kind == "caption":
            r.caption(b.text)
        elif b.kind == "colophon":
            r.colophon(b.text, b.items)
        else:
            raise ValueError(b.kind)
    r.end_page()
    return r


def new_canvas(path, pagesize, title: str, subject: str):
    c = canvas.Canvas(str(path), pagesize=pagesize, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setSubject(subject)
    c.setAuthor("textkit corpora/build.py")
    c.setCreator("textkit corpora/build.py (reportlab)")
    return c


def build_otaru(out: Path, out_x10: Path | None, pages_min: int, copies: int) -> dict:
    blocks = parse_otaru(OTARU_MD.read_text(encoding="utf-8"))
    # pass 1: find the chapter pages for the table of contents
    import io

    # The body leading is picked from a fixed list so that at least one KPI table is cut by a
    # page break (its header row is repeated on the next page): a test case for table joining.
    for lead in LEAD_CANDIDATES:
        probe = render_otaru(
            new_canvas(io.BytesIO(), A4, "", ""), blocks, Truth(), [("x", 1)] * 5, lead=lead
        )
        if any(len(t["pages"]) > 1 for t in probe.splits):
            break
    else:
        raise SystemExit("no body leading makes a KPI table cross a page break")
    chapters = probe.chapters
    truth = Truth()
    c = new_canvas(out, A4, "第2期 小樽市総合戦略 (案)", "rendered from otaru_2nd_strategy.md")
    rep = render_otaru(c, blocks, truth, chapters, lead=lead)
    c.save()
    assert rep.chapters == chapters
    write_truth("otaru_2nd_strategy", truth)
    info = {"pages": rep.page, "body_lead": lead, "split_tables": rep.splits, "chapters": chapters}

    if out_x10 is not None:
        n = max(copies, math.ceil(pages_min / rep.page))
        tx = Truth()
        c = new_canvas(
            out_x10,
            A4,
            f"第2期 小樽市総合戦略 (案) x{n}",
            f"otaru_2nd_strategy.pdf repeated {n} times (speed benchmark)",
        )
        off = 0
        for _ in range(n):
            rr = render_otaru(c, blocks, tx, chapters, page_offset=off, lead=lead)
            off = rr.page
        c.save()
        # page p of the x10 file is page (p - 1) % base + 1 of the base file: no .pages.jsonl
        write_truth("otaru_2nd_strategy_x10", tx, pages=False)
        info["x10_pages"] = off
        info["x10_copies"] = n
    return info


def write_truth(name: str, truth: Truth, pages: bool = True) -> None:
    EXPECTED.mkdir(exist_ok=True)
    (EXPECTED / f"{name}.txt").write_text(truth.text(), encoding="utf-8")
    jl = EXPECTED / f"{name}.pages.jsonl"
    if not pages:
        jl.unlink(missing_ok=True)
        return
    with open(jl, "w", encoding="utf-8") as f:
        for p in truth.pages():
            f.write(json.dumps(p, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------------------------
# Tomakomai: slide deck
# --------------------------------------------------------------------------------------------
LW, LH = landscape(A4)
SM = 36.0  # slide margin

_SEED_000 = ""


def S(s: str) -> str:
    """A string taken from the Tomakomai seed: assert it is there (ignoring line breaks)."""
    flat = re.sub(r"\s+", "", _SEED_000)
    if re.sub(r"\s+", "", s) not in flat:
        raise AssertionError(f"not in the Tomakomai seed: {s!r}")
    return s


class Deck:
    def __init__(self, c: canvas.Canvas, truth: Truth) -> None:
        self.c = c
        self.truth = truth
        self.page = 0
        self.geometry: dict = {}

    def slide(self, title: str | None = None, band: str | None = None, number=True) -> float:
        """Start a slide; returns the y of the top of the content area."""
        c = self.c
        if self.page:
            c.showPage()
        self.page += 1
        y = LH - 14
        if band:
            c.setFillColorRGB(*NAVY)
            c.rect(0, LH - 40, LW * 0.80, 28, stroke=0, fill=1)
            draw_str(c, SM, LH - 31, band, 14, WHITE, bold=False, double=True)
            self.truth.line(self.page, band)
            y = LH - 46
        if title:
            draw_str(c, SM, y - 26, title, 18, NAVY, double=True)
            self.truth.line(self.page, title)
            c.setStrokeColorRGB(*NAVY)
            c.setLineWidth(1.5)
            c.line(SM, y - 34, LW - SM, y - 34)
            y -= 42
        if number:
            c.setStrokeColorRGB(*GRAY)
            c.setLineWidth(0.5)
            c.line(SM, 26, LW - SM, 26)
            draw_str(c, LW - SM, 12, str(self.page), 9, GRAY, align="right")
        return y

    def line(self, x, y, text, size, color=BLACK, bold=False, double=False, align="left") -> None:
        draw_str(self.c, x, y, text, size, color, bold, double, align)
        self.truth.line(self.page, text)

    def para(self, x, top, width, text, size, lead, color=BLACK, prefix="", bold=False) -> float:
        """Wrapped paragraph with an optional hanging prefix; returns the y below it."""
        st = BOLD if bold else PLAIN
        atoms = atoms_of(prefix, st) + atoms_of(text, st)
        hang = atoms_w(atoms_of(prefix), size)
        lines = wrap(atoms, [width, width - hang], size)
        bid = self.truth.block()
        for i, ln in enumerate(lines):
            draw_atoms(
                self.c,
                x + (hang if i else 0),
                baseline_in(top - i * lead, lead, size),
                ln,
                size,
                color,
            )
            self.truth.add(self.page, bid, atoms_text(ln))
        return top - len(lines) * lead

    def para_grid(self, x, base0, pitch, width, text, size, color=BLACK, prefix="") -> int:
        """Wrapped paragraph whose line i has its baseline at base0 - i*pitch; returns lines."""
        atoms = atoms_of(prefix) + atoms_of(text)
        hang = atoms_w(atoms_of(prefix), size)
        lines = wrap(atoms, [width, width - hang], size)
        bid = self.truth.block()
        for i, ln in enumerate(lines):
            draw_atoms(self.c, x + (hang if i else 0), base0 - i * pitch, ln, size, color)
            self.truth.add(self.page, bid, atoms_text(ln))
        return len(lines)

    def vertical(self, x_center, baselines, text, size, color=BLACK) -> None:
        """One character per line, every character at the same x (a vertical label)."""
        for ch, y in zip(text, baselines, strict=True):
            draw_str(self.c, x_center, y, ch, size, color, align="center")
        self.truth.line(self.page, text)

    def box(self, x, y, w, h, fill=BLUE_PALE, stroke=NAVY, lw=0.8, r=4):
        c = self.c
        c.setFillColorRGB(*fill)
        if stroke:
            c.setStrokeColorRGB(*stroke)
        c.setLineWidth(lw)
        c.roundRect(x, y, w, h, r, stroke=1 if stroke else 0, fill=1 if fill else 0)


# the opinion table ---------------------------------------------------------------------------
OPINIONS = [
    (
        "企業誘致",
        [
            "ラピダスを中心に苫東は注目されているが、視察に来るだけでも初期投資ということになるので、何かしらの補助がないと、足を運んでもらえないのではないか。",
            "千歳市にラピダスが出来て、千載一遇のチャンス。これに付随して関連企業がもっと進出していただけるのではないか。",
        ],
        "ラピダスやデータセンターの立地など、今後も企業進出が見込まれることから、基本目標「仕事をつくり、安定した雇用環境を整備する」の施策「進出・立地企業へのサポート機能の強化」において、企業進出の可能性を高める取組を検討する。",
        "P10",
    ),
    (
        "子育て支援",
        [
            "子育て支援や子育て環境の充実は、大切なことだと思うので、アンケートでも経済的な支援を必要とする回答が多かったことを考えると、何らかの経済的な支援というのも考えていく必要があるのではないか。"
        ],
        "基本目標に「結婚の希望を叶え、安心して出産・子育てができる環境を整備する」を位置づけ、紐づく施策として「子育ての不安感を緩和し、健やかな育ちの支援」、「仕事と子育ての両立支援」を掲げ、経済的な支援をはじめとする子育て支援等に取り組む。",
        "P10",
    ),
    (
        "結婚支援",
        [
            "これから人口を増やすには、出生率を上げる必要があり、そのために出会いの場を設けなければいけないと思う。",
            "マッチングアプリは、婚姻率の引上げになるというエビデンスは出ているが、コミュニケーションスキルによって離婚に至っているケースもあるとのことなので、そこも考えた上で、婚活支援をやっていくと良いと思う。",
        ],
        "基本目標「結婚の希望を叶え、安心して出産・子育てができる環境を整備する」の施策「結婚の希望を叶える支援」において、リアル婚活イベントやマッチングアプリ等の実施について検討し、出会いの場の創出に取り組む。",
        "P10",
    ),
    (
        "魅力の周知",
        [
            "最近は、地方から若い方も来ており、話を聞くと、苫小牧の食べ物やお水を美味しいと言ってくれる。皆さんに苫小牧を知っていただくという取組が必要だと思う。"
        ],
        "基本目標に「地元の魅力を高め、住みやすい環境を整備する」を位置づけ、本市の特徴をいかしながら、魅力を高める取組を展開する。あわせて魅力の周知・ＰＲに努める。",
        "P11",
    ),
    (
        "住みやすさ",
        [
            "住みやすさのアンケートでは、「住みやすい」との回答が多かったが、定住の戦略についても、住みやすさと関連させ第３期総合戦略を進めていくと良いのではないか。"
        ],
        "基本目標「地元の魅力を高め、住みやすい環境を整備する」の数値目標に「苫小牧市は住みやすいと回答した人の割合」を設定し、各取組を通じて住みやすさの向上を図る。",
        "P11",
    ),
    (
        "税外収入の確保",
        [
            "地方を活性化させるのは、人が集まることと物が集まること、お金が集まることが、大切である。人や物を集める戦略というのは多いが、金を集める戦略はあまり無いような気がする。"
        ],
        "現行の総合戦略においても位置付けているが、税外収入の確保に向けて、ふるさと納税に取り組んでおり、今後も新たな返礼品の開拓など、さらなる寄附額の増加に向けて取り組む。また、企業版ふるさと納税やガバメントクラウドファンディングについても取り組む。",
        "全体",
    ),
    (
        "ＫＰＩの設定",
        [
            "総合戦略の中で特に目につくのが各KPIの数値である。数値が先行しているが、その数値が出てきた背景、根拠を今一度掘り下げて考え直すときではないか。"
        ],
        "第２期総合戦略では、各個別事業にKPIを設定し、計画を推進してきたが、目標の達成状況との結びつきが明確ではないことや、事業によってはKPIの設定が困難なものもあることから、第３期計画では事業ごとではなく、各施策に対してKPIを設定する。",
        "全体",
    ),
]

OP_COLS = (46.0, 318.0, 348.0, 57.9)  # 分類 / ご意見 / 対応方針 / 該当箇所 (sum = LW - 2*SM)
OP_SIZE, OP_PITCH, OP_LABEL, OP_PAD = 11.5, 16.0, 13.5, 5.0
BULLET = "・"


def opinion_table(d: Deck, top: float, rows) -> None:
    c = d.c
    x0 = SM
    xs = [x0]
    for w in OP_COLS:
        xs.append(xs[-1] + w)
    # header
    hh = 26.0
    c.setFillColorRGB(*NAVY)
    c.setStrokeColorRGB(0.2, 0.2, 0.2)
    c.setLineWidth(0.7)
    c.rect(x0, top - hh, sum(OP_COLS), hh, stroke=1, fill=1)
    heads = ["分類", "委員からの主なご意見", "市の対応方針", "該当箇所"]
    for k, h in enumerate(heads):
        draw_str(c, (xs[k] + xs[k + 1]) / 2, top - 17.5, h, 11.5, WHITE, bold=True, align="center")
    d.truth.line(d.page, "\t".join(heads))
    y = top - hh
    geo = d.geometry.setdefault(
        "opinion_label_column",
        {
            "x0": xs[0],
            "x1": xs[1],
            "x_center": (xs[0] + xs[1]) / 2,
            "size": OP_LABEL,
            "pitch": OP_PITCH,
            "slides": [],
        },
    )
    if d.page not in geo["slides"]:
        geo["slides"].append(d.page)
    for label, opinions, response, ref in rows:
        S(label)
        for o in opinions:
            S(o)
        S(response)
        wo = OP_COLS[1] - 2 * OP_PAD
        wr = OP_COLS[2] - 2 * OP_PAD
        bw = text_w(BULLET, OP_SIZE)
        op_lines = []
        for o in opinions:
            op_lines += wrap(atoms_of(BULLET + o), [wo, wo - bw], OP_SIZE)
        rs_lines = wrap(atoms_of(BULLET + response), [wr, wr - bw], OP_SIZE)
        n = max(len(op_lines), len(rs_lines), len(label) + 1)
        h = n * OP_PITCH + 2 * OP_PAD
        c.setStrokeColorRGB(0.2, 0.2, 0.2)
        c.setLineWidth(0.7)
        for k in range(4):
            c.setFillColorRGB(*(BLUE_LIGHT if k == 0 else WHITE))
            c.rect(xs[k], y - h, OP_COLS[k], h, stroke=1, fill=1)
        b0 = y - OP_PAD - OP_PITCH + 4.0  # baseline of content line 0 (grid: OP_PITCH)
        # vertical label: characters on the half-lines of the grid, so that no character of the
        # label shares a text line with the cells on its right
        k0 = (n - len(label) - 1) // 2
        label_bases = [b0 - (k0 + j + 0.5) * OP_PITCH for j in range(len(label))]
        d.vertical((xs[0] + xs[1]) / 2, label_bases, label, OP_LABEL, NAVY)
        pieces = []
        for col, lines in ((1, op_lines), (2, rs_lines)):
            for i, ln in enumerate(lines):
                indent = 0 if atoms_text(ln).startswith(BULLET) else bw
                draw_atoms(c, xs[col] + OP_PAD + indent, b0 - i * OP_PITCH, ln, OP_SIZE)
            pieces.append("".join(atoms_text(ln) for ln in lines))
        draw_str(c, (xs[3] + xs[4]) / 2, b0, ref, OP_SIZE, align="center")
        # ground truth: the vertical label was recorded as its own line by d.vertical();
        # re-record the row as one TAB-separated line instead
        d.truth.items.pop()
        d.truth.line(d.page, "\t".join([label, pieces[0], pieces[1], ref]))
        y -= h


# the goal panels -------------------------------------------------------------------------------
GOALS = [
    {
        "title": "基本目標１ 仕事をつくり、安定した雇用環境を整備する",
        "dir": [
            "人手不足や人材確保等に向けた支援、時代の潮流を踏まえた企業誘致、立地企業へのサポートを進め、地域産業の活性化や競争力の強化につながる施策展開",
            "創業（起業）希望者への一貫したフォローによる中小企業者等の育成",
            "若年層（20歳代）の転出抑制及び転出者の再転入を促すための雇用環境の充実と、地元学生を対象とした就職に必要な支援による地元就職促進",
        ],
        "kpi": "【数値目標】 「働く場」として魅力度、「地元優良企業」の認知度",
        "measures": [
            (
                "① 進出・立地企業へのサポート機能の強化",
                "戦略的企業誘致活動、立地企業の人材確保や雇用環境改善支援、コンサルティング等",
                ["⑮進出・立地企業への支援強化", "⑯地理的優位性をいかした企業誘致の促進"],
            ),
            (
                "② 創業・事業承継支援",
                "創業支援によるスタートアップ企業、ベンチャー企業の創出、事業承継推進",
                ["③苫小牧における創業支援"],
            ),
            (
                "③ 若者の地元就職の促進",
                "地元学生の市内就職促進、UIJターン希望者等への合同説明会や企業のマッチング支援等",
                ["①若者の市内就職の促進", "②学生と地元企業との交流・連携機会の創出"],
            ),
        ],
        "groups": [
            "１ 地元企業と学生との“つながり”を強化し、地元雇用の確保・拡大を実現",
            "４ 産業競争力を高め、地域ブランド力を向上",
        ],
    },
    {
        "title": "基本目標２ 結婚の希望を叶え、安心して出産・子育てができる環境を整備する",
        "dir": [
            "結婚希望者に対する支援等",
            "妊娠、出産、子育てに関する相談体制の充実や経済的な負担軽減などの必要なサポート、仕事と子育ての両立や多様化する世帯構成に対応した支援",
        ],
        "kpi": "【数値目標】 出生者数（人口想定ﾍﾞｰｽで試算）、子育て環境や支援の満足度",
        "measures": [
            (
                "① 結婚の希望を叶える支援",
                "結婚希望者への出会いのきっかけづくりやマッチング等による結婚者数の増",
                ["⑫縁結びコーディネート機能の充実"],
            ),
            (
                "② 子育ての不安感を緩和し、健やかな育ちの支援",
                "母子保健や育児の相談体制構築等、副食費・給食費助成等",
                [
                    "⑥子育て支援・保育サービスの充実",
                    "⑦苫小牧の地域資源をいかした体験学習・地域づくりの推進",
                ],
            ),
            (
                "③ 仕事と子育ての両立支援",
                "保育サービス等の充実、出産や育児等を理由に離職している女性の就職支援等",
                [
                    "⑤ワーキングマザー＆ファザーの子育て応援",
                    "⑧「ワーク・ライフ・バランス」を重視した職場の整備",
                ],
            ),
        ],
        "groups": [
            "２ 子育てしながら仕事を続けられる社会環境の整備",
            "３ 地元の魅力を強化、暮らしやすさ発信で移住を促進",
        ],
    },
    {
        "title": "基本目標３ 本市と関わる機会を創出し、新たな人の流れをつくる",
        "dir": [
            "苫小牧出身者や本市に興味・関心のある層への情報発信、魅力資源をいかしたイベントの実施による来訪機会の創出",
            "本市への移住検討者に対しての相談支援体制の構築と移住支援",
        ],
        "kpi": "【数値目標】 転入者数（定住人口数）、観光入込客数（交流人口数）",
        "measures": [
            (
                "① 交流人口の拡大支援",
                "来訪型イベントや本市の魅力資源を活かした取組",
                ["⑪ご当地イベントを活用した交流人口の創出"],
            ),
            (
                "② 関係人口の創出",
                "本市の特徴を活かした関係人口の創出、市外在住者へのシティプロモーション",
                [
                    "⑨苫小牧出身者への継続的な情報発信の拡充",
                    "⑭苫小牧との継続的なつながりを持つきっかけづくりの推進",
                ],
            ),
            (
                "③ 移住促進",
                "移住希望者への効果的な情報発信と相談支援、移住者への支援",
                ["⑩移住者の受入れ体制の充実"],
            ),
        ],
        "groups": ["３ 地元の魅力を強化、暮らしやすさ発信で移住を促進"],
    },
    {
        "title": "基本目標４ 地元の魅力を高め、住みやすい環境を整備する",
        "dir": [
            "市民が苫小牧市の理解を深め愛着を持てるように、本市の特徴を生かした魅力の向上と、進学や就職を期に本市を離れた方が戻ってきたいと思える環境づくり",
            "災害から安全・安心を確保するための災害対策の強化",
            "地域コミュニティの活性化や生活利便性の向上等の生活環境の改善",
        ],
        "kpi": "【数値目標】「苫小牧市は住みやすい」、「卒業後も苫小牧市に住み続けたい」と答えた人の割合",
        "measures": [
            (
                "① 地元の特徴を生かしたさらなる魅力の向上",
                "本市の特産品PR、港湾産業都市としての環境整備、スポーツ振興など",
                ["⑬郷土の魅力を伝える活動の推進", "⑰広域連携事業の推進"],
            ),
            (
                "② 災害時等に備えた安全安心なまちづくりの強化",
                "地震や津波など大規模自然災害発生の備えの強化",
                [],
            ),
            (
                "③ 充実した都市機能の整備",
                "中心市街地のまちづくり、ＩＣＴ活用等による公共交通ネットワーク形成、公共施設更新・改修・統廃合、ゼロカーボンシティの実現",
                [
                    "⑱持続可能な都市機能及び自然と共生した国際リゾートの形成",
                    "⑲ゼロカーボンシティ実現に向けた取組の推進",
                ],
            ),
        ],
        "groups": [
            "３ 地元の魅力を強化、暮らしやすさ発信で移住を促進",
            "４ 産業競争力を高め、地域ブランド力を向上",
        ],
        "note": "④Society5.0の実現に向けた技術活用の支援※ 位置付けなし",
    },
]

GP = 12.5  # grid pitch of a goal panel: every text baseline sits on this grid ...
GP_LABEL = 10.0  # ... and vertical label characters sit on the half-lines
BAND_TEXT = "デジタル技術の活用"


def goal_panel(d: Deck, top: float, bottom: float, g: dict) -> None:
    c = d.c
    band_x0, band_w = SM, 18.0
    x0 = SM + band_w + 8
    x1 = LW - SM
    split = x0 + 440  # left column (第３期) | right column (第２期)
    rows = int((top - bottom) // GP)
    base = lambda r: top - (r + 1) * GP + 2.5  # noqa: E731  (baseline of grid row r)
    # panel frame and the vertical band
    d.box(band_x0, bottom, x1 - band_x0, top - bottom, fill=WHITE, stroke=NAVY, lw=1.0, r=3)
    c.setFillColorRGB(*NAVY)
    c.rect(band_x0, bottom, band_w, top - bottom, stroke=0, fill=1)
    # vertical text starts at the top of the band, on the half-lines of the grid (rows 1.5,
    # 2.5, ...) so that no character shares a text line with the panel text on its right
    d.vertical(
        band_x0 + band_w / 2,
        [base(1 + j) - GP / 2 for j in range(len(BAND_TEXT))],
        S(BAND_TEXT),
        GP_LABEL,
        WHITE,
    )
    # title
    c.setFillColorRGB(*BLUE_LIGHT)
    c.rect(x0 - 2, base(1) - 5, x1 - x0 - 4, 2 * GP, stroke=0, fill=1)
    d.line(x0 + 4, base(1) + 1, S(g["title"]), 13, NAVY, bold=True)
    r = 3
    d.line(x0 + 2, base(r), S("【基本的方向】"), 10, NAVY, bold=True)
    r += 1
    for t in g["dir"]:
        r += d.para_grid(x0 + 8, base(r), GP, x1 - x0 - 12, S(t), 9.5, prefix="〇 ")
    d.line(x0 + 2, base(r), S(g["kpi"]), 10, bold=True)
    r += 1
    hdr = r
    # left column: 第３期 (the 施策)
    d.line(x0 + 2, base(hdr), S("第３期 総合戦略の取組"), 10, NAVY, bold=True)
    r0 = hdr + 1
    sx = x0 + 10
    rs = max(r0 + 1, len(BAND_TEXT) + 1)  # below the band text: never on one line with it
    d.vertical(sx, [base(rs) - GP / 2, base(rs + 2) - GP / 2], "施策", GP_LABEL + 1, NAVY)
    d.geometry.setdefault(
        "goal_panel",
        {
            "band_x_center": band_x0 + band_w / 2,
            "band_size": GP_LABEL,
            "shisaku_x_center": sx,
            "left_col_x": [x0, split - 8],
            "right_col_x": [split, x1],
            "grid_pitch": GP,
        },
    )
    rowpos = []
    rr = r0
    for title, desc, old in g["measures"]:
        rowpos.append(rr)
        d.line(sx + 14, base(rr), S(title), 10.5, bold=True)
        n = d.para_grid(sx + 26, base(rr + 1), GP, split - 16 - (sx + 26), S(desc), 9, color=GRAY)
        rr = max(rr + 1 + n, rr + max(2, len(old)))
    # column rule
    c.setStrokeColorRGB(*NAVY)
    c.setLineWidth(0.6)
    c.line(split - 8, base(rr - 1) - 4, split - 8, base(hdr) + GP - 2)
    # right column: 第２期 取組 that each 施策 continues
    d.line(split, base(hdr), S("第２期 総合戦略の取組"), 10, NAVY, bold=True)
    for pos, (_t, _d, old) in zip(rowpos, g["measures"], strict=True):
        # arrow from the 第２期 取組 to the 施策
        c.setStrokeColorRGB(*NAVY)
        c.setFillColorRGB(*NAVY)
        c.setLineWidth(0.8)
        ya = base(pos) + 3
        c.line(split - 4, ya, split - 20, ya)
        p = c.beginPath()
        p.moveTo(split - 22, ya)
        p.lineTo(split - 16, ya + 3)
        p.lineTo(split - 16, ya - 3)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
        for j, o in enumerate(old):
            d.line(split + 4, base(pos + j), S(o), 9.5)
    rlast = rr
    for j, grp in enumerate(g["groups"]):
        d.line(split, base(rlast + j), S(grp), 8, GRAY)
    if g.get("note"):
        d.line(split, base(rlast + len(g["groups"])), S(g["note"]), 9.5, (0.6, 0.1, 0.1))
    used = rlast + len(g["groups"]) + (1 if g.get("note") else 0)
    assert used <= rows, (g["title"], used, rows)


def slide_opinions(d: Deck) -> None:
    top = d.slide(
        band=S("0１ ｜第３期人口ビジョン及び総合戦略の骨子(案)に対する意見と対応方針について")
    )
    opinion_table(d, top - 6, OPINIONS[:3])
    top = d.slide(title=S("１．第３期人口ビジョン及び総合戦略の骨子(案)に対する意見と対応方針"))
    opinion_table(d, top - 2, OPINIONS[3:])


def slide_cover(d: Deck) -> None:
    c = d.c
    d.slide(number=False)
    c.setFillColorRGB(*NAVY)
    c.rect(0, LH * 0.42, LW, 170, stroke=0, fill=1)
    d.line(LW / 2, LH * 0.42 + 110, S("苫小牧市総合戦略推進会議"), 30, WHITE, align="center")
    d.line(LW / 2, LH * 0.42 + 50, S("令和６年度第２回会議資料"), 24, WHITE, align="center")
    d.line(LW / 2, LH * 0.42 - 60, S("令和６年11月13日（水）15時00分から"), 16, align="center")
    d.line(LW / 2, LH * 0.42 - 90, S("【苫小牧市役所5階 第２応接室】"), 16, align="center")


def slide_agenda(d: Deck) -> None:
    top = d.slide(title=S("本日の会議内容"))
    items = [
        "１．第３期人口ビジョン及び総合戦略の骨子(案)に対する意見と対応方針について",
        "２．第３期人口ビジョン及び総合戦略（素案）について",
        "３．今後のスケジュールについて",
    ]
    y = top - 60
    for it in items:
        d.box(SM + 60, y - 46, LW - 2 * SM - 120, 52, fill=BLUE_PALE)
        d.line(SM + 84, y - 26, S(it), 17)
        y -= 90


def _h(d: Deck, x: float, y: float, t: str, size: float = 12.5) -> float:
    """A numbered section heading on a slide; returns the y below it."""
    d.line(x, y - size, S(t), size, NAVY, bold=True)
    return y - size - 7


def _sub(d: Deck, x: float, y: float, t: str, size: float = 11) -> float:
    d.line(x + 4, y - size, S(t), size, bold=True)
    return y - size - 6


def slide_population(d: Deck) -> None:
    top = d.slide(
        title=S("２．人口ビジョン（素案）の概要"),
        band=S("0２ ｜第３期人口ビジョン及び総合戦略（素案）について"),
    )
    c = d.c
    colw = (LW - 2 * SM - 28) / 2
    xl, xr = SM, SM + colw + 28
    sz, ld = 10, 14.5
    # left column
    y = top - 2
    y = _h(d, xl, y, "１. 計画期間")
    d.line(xl + 16, y - 11, S("令和７年（2025年）～令和42年（2060年）"), 10.5)
    y -= 22
    y = _h(d, xl, y, "２. 人口の現状分析")
    y = _sub(d, xl, y, "（１）人口動向の分析")
    y = (
        d.para(
            xl + 16,
            y,
            colw - 16,
            S(
                "人口減少に関する各種課題の要因を明確にするため、国の人口統計データ等から本市の人口推移の現状や将来推計、産業構造等の把握、分析を実施。"
            ),
            sz,
            ld,
        )
        - 4
    )
    y = _sub(d, xl, y, "（２）市民意識の分析")
    y = d.para(
        xl + 16,
        y,
        colw - 16,
        S(
            "人口減少に関する各種課題の要因を明確にするため、市民に対しアンケート調査を行い、結婚・出産・子育て、経済・雇用等に係る現状や希望の把握、分析等を実施。"
        ),
        sz,
        ld,
    )
    y = (
        d.para(
            xl + 16,
            y,
            colw - 16,
            S(
                "また、第３期から市外住民の移住意向や移住障壁等を把握、分析等を行うために、市外住民向けのアンケートを実施。"
            ),
            sz,
            ld,
        )
        - 8
    )
    y = _h(d, xl, y, "３. 人口の将来展望")
    y = _sub(d, xl, y, "（１）課題解決の方向性")
    y = (
        d.para(
            xl + 16,
            y,
            colw - 16,
            S(
                "総人口の推移や産業構造等の人口動向、市民や学生へのアンケート結果といった現状分析から、本市の課題を抽出し、課題解決の方向性を整理。"
            ),
            sz,
            ld,
        )
        - 4
    )
    for t in [
        "①雇用環境を維持・向上し、若者が就職のため札幌市や首都圏に転出することを抑制する。また、進学などで一度転出した若者のUターンを促進する。",
        "②安心して結婚・子育てしやすい環境を整備することで、結婚・子育て世代の転入を増やし、合計特殊出生率を向上させる。",
        "③域内交通の充実など生活環境を改善し、苫小牧市での暮らしのメリットをPRすることで、交流人口やUIJターンをより増加させる。",
        "④本市への移住を後押しするような移住支援を拡充することで、UIJターンをより増加させる。",
    ]:
        S(t)
        y = d.para(xl + 20, y, colw - 20, t[1:], sz, ld, prefix=t[0]) - 2
    assert y > 34, y
    # right column
    y = top - 2
    y = _sub(d, xr - 4, y, "（２）将来展望人口のシミュレーション")
    bw = (colw - 10) / 2
    for k, (head, l1, l2) in enumerate(
        [
            (
                "①合計特殊出生率（自然動態）",
                "2040年までに段階的に引き上げ",
                "（合計特殊出生率 1.41⇒1.80）",
            ),
            ("②純移動率（社会動態）", "移動率ゼロ＋20~30歳代の", "純移動を引き上げ（-1.1％⇒1％）"),
        ]
    ):
        bx = xr + k * (bw + 10)
        d.box(bx, y - 56, bw, 54)
        d.line(bx + 6, y - 15, S(head), 10, NAVY, bold=True)
        d.line(bx + 6, y - 32, S(l1), 9.5)
        d.line(bx + 6, y - 47, S(l2), 9.5)
    y -= 64
    # projected population table
    d.line(xr, y - 10, S("推計値（単位：人）"), 9, GRAY)
    y -= 15
    tw = [130, 130]
    for r, cells in enumerate([["2040年", "2060年"], ["149,921", "125,654"]]):
        x = xr
        for k, cell in enumerate(cells):
            c.setStrokeColorRGB(0.2, 0.2, 0.2)
            c.setLineWidth(0.6)
            c.setFillColorRGB(*(BLUE_LIGHT if r == 0 else WHITE))
            c.rect(x, y - 19, tw[k], 19, stroke=1, fill=1)
            draw_str(c, x + tw[k] / 2, y - 13.5, S(cell), 10, align="center")
            x += tw[k]
        d.truth.line(d.page, "\t".join(cells))
        y -= 19
    y -= 8
    d.line(xr, y - 10.5, S("【①合計特殊出生率の目標】"), 10.5, NAVY, bold=True)
    y -= 16
    y = d.para(
        xr + 6,
        y,
        colw - 6,
        S(
            "令和2年（2020年）に閣議決定した「少子化社会対策大綱」において、基本的な目標として「希望出生率1.8」が掲げられた。"
        ),
        9,
        13,
    )
    y = (
        d.para(
            xr + 6,
            y,
            colw - 6,
            S(
                "また、北海道人口ビジョンにおいても令和12年（2030年）又は令和22年（2040年）に合計特殊出生率が1.8になると仮定して人口推計を行っていることを踏まえ、本市の合計特殊出生率の目標値を1.8とする。"
            ),
            9,
            13,
        )
        - 6
    )
    d.line(xr, y - 10.5, S("【②純移動の目標値】"), 10.5, NAVY, bold=True)
    y -= 16
    y = (
        d.para(
            xr + 6,
            y,
            colw - 6,
            S(
                "転出が多い20歳代と、今後の子育て世代となる可能性の高い30歳代において、平成27（2015年）～令和2年（2020年）までの人口の純移動率が、ʷ1.1％であることと半導体工場やデータセンターの誘致等の企業誘致が加速することから本市の純移動率の目標値を第２期から引き上げ、20歳代～30歳代で1％とし、その他の年代でゼロとする。"
            ),
            9,
            13,
        )
        - 8
    )
    y = _sub(d, xr - 4, y, "（３）人口の将来展望")
    d.box(xr, y - 42, colw, 40, fill=BLUE_LIGHT)
    y = d.para(
        xr + 8,
        y - 6,
        colw - 16,
        S("現在の人口165,758人※ ⇒ 令和22年（2040年）15万人を維持・ 令和42年（2060年）13万人を維持"),
        10.5,
        14.5,
        NAVY,
        bold=True,
    )
    d.line(xr, y - 20, S("※令和6年9月末現在の人口"), 8.5, GRAY)
    assert y - 20 > 34, y


def slide_strategy(d: Deck) -> None:
    top = d.slide(title=S("２．総合戦略（素案）の概要"))
    c = d.c
    colw = (LW - 2 * SM - 28) / 2
    xl, xr = SM, SM + colw + 28
    y = top - 4
    y = _h(d, xl, y, "１. 計画期間")
    d.line(xl + 16, y - 11, S("令和７年度（2025年度）～令和11年度（2029年度）"), 11)
    y -= 26
    y = _h(d, xl, y, "２. 総合戦略の推進により目指す本市の姿")
    d.box(xl + 8, y - 40, colw - 8, 38, fill=BLUE_LIGHT)
    y = (
        d.para(
            xl + 16,
            y - 4,
            colw - 24,
            S(
                "健康で安全な都市環境のもと、世代や性別に関わらず、豊かで明るく誰もが住みやすい「とまこまい」"
            ),
            11,
            15,
            NAVY,
        )
        - 18
    )
    y = _h(d, xl, y, "３. 基本目標")
    y = (
        d.para(
            xl + 16,
            y,
            colw - 16,
            S(
                "本市のこれまでの総合戦略における取組や、国が示す、デジタル技術の活用により、社会課題の解決や魅力の向上に取り組むべき施策の方向を基に、本市の優位性を踏まえつつ課題認識や優先順位を考慮し、新たに４つの基本目標を設定。"
            ),
            10,
            14.5,
        )
        - 8
    )
    for t in [
        "１ 仕事をつくり、安定した雇用環境を整備する",
        "２ 結婚の希望を叶え、安心して出産・子育てができる環境を整備する",
        "３ 本市と関わる機会を創出し、新たな人の流れをつくる",
        "４ 地元の魅力を高め、住みやすい環境を整備する",
    ]:
        d.box(xl + 8, y - 30, colw - 8, 28, fill=NAVY, stroke=None)
        d.line(xl + 16, y - 20, S(t), 11, WHITE, double=True)  # fake bold: drawn twice
        y -= 36
    assert y > 34, y
    y = top - 4
    y = _h(d, xr, y, "４. 施策の体系")
    d.box(xr + 8, y - 84, 130, 80, fill=BLUE_LIGHT, stroke=None, r=10)
    d.line(xr + 73, y - 36, S("４つの基本目標を実現するために"), 8, NAVY, align="center")
    d.line(xr + 73, y - 56, S("12の「施策」を展開"), 11.5, NAVY, bold=True, align="center")
    cats = [
        "第２期総合戦略の事業で継続すべき事業",
        "新たに取組を検討している事業",
        "中\u2fa7期的な視点により検討していくべき事業",
    ]
    for k, t in enumerate(cats):
        by = y - 4 - 28 * (k + 1)
        d.box(xr + 156, by, colw - 156, 24)
        d.line(xr + 164, by + 8, S(t), 10)
    # arrows from the 施策 box to the three categories
    c.setStrokeColorRGB(*NAVY)
    c.setLineWidth(0.8)
    for k in range(3):
        c.line(xr + 138, y - 44, xr + 156, y - 4 - 28 * (k + 1) + 12)
    y -= 102
    y = _h(d, xr, y, "５. ＳＤＧｓの視点による地方創生")
    y = (
        d.para(
            xr + 16,
            y,
            colw - 16,
            S(
                "各施策がＳＤＧｓのどの目標に結びついているのか、見える化を図り、行政の個々の取組が日本はもとより世界が進める持続可能なまちづくりにつながっているのかを共有。"
            ),
            10,
            14.5,
        )
        - 4
    )
    sdg = SDG_COLOURS
    for k, col in enumerate(sdg):
        c.setFillColorRGB(*(int(col[j : j + 2], 16) / 255 for j in (1, 3, 5)))
        c.rect(xr + 16 + k * 21, y - 20, 18, 18, stroke=0, fill=1)
    y -= 34
    y = _h(d, xr, y, "６. 多様性に富んだ社会、安全・安心な地域づくりで地方創生を推進")
    y = d.para(
        xr + 16,
        y,
        colw - 16,
        S(
            "活気あふれる地域をつくるためには、誰もが居場所と役割を持ち、個人として尊重され、その個性と能力を発揮し、活躍できる地域社会を実現することが地方創生を推進する重要なポイント。"
        ),
        10,
        14.5,
    )
    y = d.para(
        xr + 16,
        y,
        colw - 16,
        S(
            "北海道で初めて宣言した「苫小牧市男女平等参画都市宣言」に掲げた、理念を念頭に各種事業を推進。"
        ),
        10,
        14.5,
    )
    assert y > 34, y


def slide_goals(d: Deck, pair) -> None:
    top = d.slide(title=S("７. 「４つの基本目標」と「目標実現のための施策」の概要"))
    bottom = 32.0
    mid = (top - 4 + bottom) / 2
    goal_panel(d, top - 4, mid + 3, pair[0])
    goal_panel(d, mid - 3, bottom, pair[1])


SCHEDULE = [
    (
        ["【第１回】", "戦略会議"],
        ["９月20日"],
        [
            "・第２期人口ビジョン・総合戦略の検証",
            "・市民アンケート結果の報告",
            "・第３期人口ビジョン・総合戦略骨子の説明",
        ],
        [
            "〇令和5年末（国）",
            "・デジタル田園都市国家構想総合戦略改訂",
            "〇5月 北海道創生協議会（北海道）",
            "・次期戦略骨子策定に向けた議論",
            "〇9月 骨子に対する市町村・団体意見照会",
        ],
    ),
    (
        ["【第２回】", "戦略会議"],
        ["11月13日", "（本日）"],
        [
            "・第３期人口ビジョン及び総合戦略の骨子(案)に対する意見と対応方針について",
            "・第３期人口ビジョン・総合戦略（素案）の説明",
        ],
        [
            "〇８～10月 北海道創生協議会（北海道）",
            "・次期戦略・人口ビジョン素案策定に向けた議論",
            "・パブリックコメント、市町村・団体意見照会",
        ],
    ),
    (
        ["市議会提出"],
        ["11月"],
        ["ー"],
        ["〇11月 北海道創生協議会（北海道）", "・次期戦略・人口ビジョン原案策定に向けた議論"],
    ),
    (
        ["パブリックコメント実施"],
        ["12月～1月"],
        ["ー"],
        ["〇冬頃（北海道）", "・次期戦略・人口ビジョン決定"],
    ),
    (
        ["【第３回】", "戦略会議"],
        ["1月"],
        ["・パブリックコメント結果報告", "・第３期人口ビジョン・総合戦略（原案）の説明"],
        ["ー"],
    ),
    (["市議会提出"], ["2月"], ["ー"], ["ー"]),
    (
        ["【第４回】", "戦略会議", "（書面会議）"],
        ["3月"],
        ["・第３期人口ビジョン・総合戦略の報告"],
        ["ー"],
    ),
]


def slide_schedule(d: Deck) -> None:
    top = d.slide(
        title=S("３.今後のスケジュールについて"), band=S("03 ｜今後のスケジュールについて")
    )
    c = d.c
    widths = [140.0, 90.0, 300.0, LW - 2 * SM - 530.0]
    xs = [SM]
    for w in widths:
        xs.append(xs[-1] + w)
    size, lead, pad = 10.5, 14.5, 5.0
    y = top - 4
    heads = ["Step", "日程", "会議の内容", "国・北海道"]
    c.setFillColorRGB(*NAVY)
    c.setStrokeColorRGB(0.2, 0.2, 0.2)
    c.setLineWidth(0.6)
    c.rect(SM, y - 24, sum(widths), 24, stroke=1, fill=1)
    for k, hd in enumerate(heads):
        draw_str(
            c, (xs[k] + xs[k + 1]) / 2, y - 16.5, S(hd), 11.5, WHITE, bold=True, align="center"
        )
    d.truth.line(d.page, "\t".join(heads))
    y -= 24
    for row in SCHEDULE:
        cells = []
        for k, paras in enumerate(row):
            lines = []
            for p in paras:
                S(p.lstrip("・"))
                w = widths[k] - 2 * pad
                hang = text_w(p[0], size) if p[0] in "・〇" else 0.0
                lines += [
                    (hang if i else 0.0, ln)
                    for i, ln in enumerate(wrap(atoms_of(p), [w, w - hang], size))
                ]
            cells.append(lines)
        h = max(len(x) for x in cells) * lead + 2 * pad
        for k, lines in enumerate(cells):
            c.setFillColorRGB(*(BLUE_LIGHT if k == 0 else WHITE))
            c.rect(xs[k], y - h, widths[k], h, stroke=1, fill=1)
            for i, (indent, ln) in enumerate(lines):
                centred = k < 2 or atoms_text(ln) == "ー"
                lw = atoms_w(ln, size)
                x = (xs[k] + xs[k + 1] - lw) / 2 if centred else xs[k] + pad + indent
                draw_atoms(
                    c,
                    x,
                    baseline_in(y - pad - i * lead, lead, size),
                    ln,
                    size,
                    NAVY if k == 0 else BLACK,
                )
        d.truth.line(
            d.page, "\t".join("".join(atoms_text(ln) for _, ln in lines) for lines in cells)
        )
        y -= h
    d.line(SM, y - 18, S("※ 完成版の公表は令和７年４月１日を予定しております。"), 11)
    assert y - 18 > 30, y


def build_tomakomai(out: Path) -> dict:
    global _SEED_000
    _SEED_000 = TOMAKOMAI_TXT.read_text(encoding="utf-8")
    truth = Truth()
    c = new_canvas(
        out,
        landscape(A4),
        "苫小牧市総合戦略推進会議 令和６年度第２回会議資料",
        "reconstructed from tomakomai_3rd_deck_2024.txt",
    )
    d = Deck(c, truth)
    slide_cover(d)
    slide_agenda(d)
    slide_opinions(d)
    slide_population(d)
    slide_strategy(d)
    slide_goals(d, GOALS[:2])
    slide_goals(d, GOALS[2:])
    slide_schedule(d)
    c.showPage()
    c.save()
    write_truth("tomakomai_3rd_deck", truth)
    return {"pages": d.page, "geometry": d.geometry}


# --------------------------------------------------------------------------------------------
# verification (optional)
# --------------------------------------------------------------------------------------------
def _strip_furniture(lines: list[str]) -> list[str]:
    """Drop running header and page numbers (not part of the expected text)."""
    return [
        ln
        for ln in lines
        if ln.strip() != RUNNING_HEADER and not re.fullmatch(r"(- )?\d+( -)?", ln.strip())
    ]


def verify(names: list[str]) -> int:
    """Re-read the PDFs; print page counts, sizes and character error rates; return #problems."""
    import pdfplumber
    import pypdfium2

    try:
        from rapidfuzz.distance import Levenshtein
    except ImportError:  # pragma: no cover
        Levenshtein = None

    def flat(s: str) -> str:
        return re.sub(r"\s+", "", normalise_truth(s))

    problems = 0
    for name in names:
        path = HERE / f"{name}.pdf"
        truth_pages = {}
        base = name.removesuffix("_x10")
        jl = EXPECTED / f"{base}.pages.jsonl"
        if jl.exists():
            for ln in jl.read_text(encoding="utf-8").splitlines():
                o = json.loads(ln)
                truth_pages[o["page"]] = o["text"]
        doc = pypdfium2.PdfDocument(path)
        n = len(doc)
        got = [doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(n)]
        doc.close()
        msg = f"{name}.pdf: {n} pages, {path.stat().st_size / 1e6:.2f} MB"
        if truth_pages and Levenshtein:
            d = t = 0
            per = max(truth_pages) if base != name else n + 1  # x10: base pages repeat
            for i, g in enumerate(got, 1):
                e = flat(truth_pages.get((i - 1) % per + 1, ""))
                d += Levenshtein.distance(flat("".join(_strip_furniture(g.split("\n")))), e)
                t += len(e)
            msg += f", pypdfium2 CER vs expected (whitespace ignored) {d / max(t, 1):.4f}"
            problems += d > 0.01 * t
        print(msg)
        if "x10" in name:
            continue
        with pdfplumber.open(path) as pdf:
            raw = [pg.extract_text() for pg in pdf.pages]
            ded = [pg.dedupe_chars().extract_text() for pg in pdf.pages]
        all_ded = "\n".join(ded)
        cid = len(re.findall(r"\(cid:\d+\)", all_ded))
        singles = sum(1 for ln in all_ded.split("\n") if len(ln.strip()) == 1)
        print(
            f"  pdfplumber: (cid:) codes {cid}, one-character lines {singles}, "
            f"KANGXI LONG present {chr(0x2FA7) in all_ded}"
        )
        problems += cid > 0
        if name.startswith("tomakomai"):
            doubled = [ln for ln in "\n".join(raw).split("\n") if "２２" in ln or "仕仕事事" in ln]
            print(f"  doubled headings without dedupe, e.g. {doubled[:2]}")
            label = pdf_label_words(path)
            print(f"  vertical labels (extract_words ttb on the label column): {label}")
            problems += chr(0x2FA7) not in all_ded or not doubled
    return problems


def pdf_label_words(path: Path) -> list[str]:
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for i in (2, 3):
            pg = pdf.pages[i]
            crop = pg.crop((SM, 0, SM + OP_COLS[0], pg.height))
            out += [
                w["text"]
                for w in crop.extract_words(line_dir="rtl", char_dir="ttb")
                if len(w["text"]) > 2
            ]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--pages-min",
        type=int,
        default=100,
        help="the benchmark copy has at least this many pages (default 100)",
    )
    ap.add_argument(
        "--copies", type=int, default=10, help="copies in the benchmark PDF (default 10)"
    )
    ap.add_argument("--no-x10", action="store_true", help="skip the benchmark PDF")
    ap.add_argument("--verify", action="store_true", help="re-read the PDFs afterwards")
    args = ap.parse_args(argv)
    register_fonts()
    info_o = build_otaru(
        HERE / "otaru_2nd_strategy.pdf",
        None if args.no_x10 else HERE / "otaru_2nd_strategy_x10.pdf",
        args.pages_min,
        args.copies,
    )
    info_t = build_tomakomai(HERE / "tomakomai_3rd_deck.pdf")
    print(json.dumps({"otaru": info_o, "tomakomai": info_t}, ensure_ascii=False, indent=1))
    if args.verify:
        names = ["otaru_2nd_strategy", "tomakomai_3rd_deck"]
        if not args.no_x10:
            names.append("otaru_2nd_strategy_x10")
        return 1 if verify(names) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
