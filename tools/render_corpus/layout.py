"""Page drawing shared by the report and the deck: fonts, rich-text atoms, Japanese line
breaking (kinsoku), drawing with reportlab, and the ground-truth recorder (``Truth``)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from . import EXPECTED

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
                cur, curw = _break_word(tok, size, lines, avail)
                continue
            cur.append(tok)
            curw += tw
            continue
        carry = _kinsoku_carry(cur, tok)
        lines.append([x for t in cur for x in t])
        cur = [*carry, tok]
        curw = sum(atoms_w(t, size) for t in cur)
    if cur:
        lines.append([x for t in cur for x in t])
    return lines


def _break_word(tok: list[Atom], size: float, lines: list[list[Atom]], avail):
    """A word longer than the line, broken anywhere; full lines go to ``lines``, the rest (and
    its width) is returned as the line being filled."""
    cur: list[list[Atom]] = []
    curw = 0.0
    for a in tok:
        if cur and curw + atom_w(a, size) > avail():
            lines.append([x for t in cur for x in t])
            cur, curw = [], 0.0
        cur.append([a])
        curw += atom_w(a, size)
    return cur, curw


def _kinsoku_carry(cur: list[list[Atom]], tok: list[Atom]) -> list[list[Atom]]:
    """Tokens taken off the end of the full line ``cur`` (which is shortened in place) to start
    the next one: a line must not start with closing punctuation or small kana (at most three
    carried), nor end with an opening bracket."""
    carry: list[list[Atom]] = []
    if tok[0][0] in NO_START:
        while len(cur) > 1 and len(carry) < 3:
            carry.insert(0, cur.pop())
            if carry[0][0][0] not in NO_START:
                break
    while len(cur) > 1 and cur[-1][-1][0] in NO_END:
        carry.insert(0, cur.pop())
    return carry


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


def new_canvas(path, pagesize, title: str, subject: str):
    c = canvas.Canvas(str(path), pagesize=pagesize, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setSubject(subject)
    # The metadata still names corpora/build.py, where this renderer lived: changing it would
    # change the committed PDFs' bytes (and every content-keyed cache of them).
    c.setAuthor("textkit corpora/build.py")
    c.setCreator("textkit corpora/build.py (reportlab)")
    return c


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
