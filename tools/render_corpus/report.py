"""The Otaru 第2期 report: ``otaru_2nd_strategy.md`` (a converter's Markdown) → blocks → A4 pages
(cover, contents, chapters, KPI tables cut across a page break, SDGs panel, colophon)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from . import OTARU_MD
from .layout import (
    BLACK,
    BLUE_LIGHT,
    BLUE_PALE,
    BOLD,
    GRAY,
    MAIN,
    NAVY,
    SDG_COLOURS,
    WHITE,
    Atom,
    Style,
    Truth,
    atoms_of,
    atoms_text,
    atoms_w,
    baseline_in,
    draw_atoms,
    draw_str,
    new_canvas,
    parse_inline,
    plain_text,
    text_w,
    wrap,
    write_truth,
)

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
    """Markdown → blocks, in three passes: paragraphs → raw blocks, converter residue joined or
    dropped, then each block classified (title, goal, chapter heading, caption, colophon …)."""
    return _classified(_joined(_raw_blocks(_paragraphs(md))))


def _paragraphs(md: str) -> list[list[str]]:
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
    return paras


def _raw_blocks(paras: list[list[str]]) -> list[Block]:
    blocks: list[Block] = []
    for p in paras:
        if not blocks and re.fullmatch(r"\d{4}", p[0].strip()):  # chart residue before the title
            continue
        blocks.append(_raw_block(p))
    return blocks


def _raw_block(p: list[str]) -> Block:
    first = p[0].strip()
    if all("\t" in ln for ln in p):
        return Block("table", items=[ln.split("\t") for ln in p])
    if first.startswith("#"):
        level = len(first) - len(first.lstrip("#"))
        return Block("heading", "".join(ln.strip().lstrip("#").strip() for ln in p), level)
    if first.startswith("- "):
        return Block("bullets", items=[ln.strip()[2:] for ln in p])
    if first.startswith("※"):
        notes: list[str] = []
        for ln in p:
            s = ln.strip()
            if s.startswith("※") or not notes:
                notes.append(s)
            else:
                notes[-1] += s
        return Block("footnotes", items=notes)
    text = "".join(ln.strip() for ln in p)
    if text.startswith("**") and text.endswith("**") and text.count("**") == 2:
        return Block("heading", text[2:-2], 5)
    return Block("para", text)


def _joined(blocks: list[Block]) -> list[Block]:
    """Converter residue: table captions dropped, chapter numerals joined to their titles, note
    groups merged, paragraphs cut at a page break of the original joined again."""
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
    return out


def _classified(out: list[Block]) -> list[Block]:
    final: list[Block] = []
    chapter = ""
    for k, b in enumerate(out):
        if b.kind == "heading":
            block = _heading(b.text, final, chapter, out[k + 1] if k + 1 < len(out) else None)
            if block.kind == "heading" and block.level == 1 and CHAPTER_RE.match(block.text):
                chapter = block.text.split()[0]
            final.append(block)
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


def _heading(t: str, final: list[Block], chapter: str, nxt: Block | None) -> Block:
    """What a heading is, from its text, its place and the chapter it is in (a 基本目標 heading
    takes the next heading as its title and marks it consumed)."""
    if not final:
        return Block("title", t)
    if t == "SUSTAINABLE DEVELOPMENT GOALS":
        return Block("sdgs", t)
    if t == "小樽市第2期総合戦略":
        return Block("colophon", t, items=[])
    if CHAPTER_RE.match(t):
        return Block("heading", t, 1)
    if re.fullmatch(r"基本目標 ?\d", t):
        assert nxt is not None and nxt.kind == "heading"
        nxt.kind = "consumed"
        return Block("goal", t, items=[nxt.text])
    if t in LABELS:
        return Block("heading", t, 4)
    if re.match(r"\d+ ", t):
        if chapter == "Ⅲ":
            return Block("heading", t, 6)  # 具体的施策 title
        return Block("heading", t, 3 if t.endswith("地区") else 2)
    return Block("heading", t, 3)


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
