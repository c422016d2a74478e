"""What every layout batch shares: producers, fonts, document building blocks, gold files, the run.

A batch (``scripts/zoo/zoo1.py`` … ``zoo10.py``) is a spec: its folder (``BATCH``), its documents
(``DOCS``: name → :class:`Doc`, a builder and where its gold comes from) and the text and layout of
each document. This module holds everything else, once:

* producers: :func:`convert` (LibreOffice ``soffice --convert-to pdf`` in a throw-away profile),
  :func:`require_tools` (the IPAex font, installed with apt where it is missing and apt is there;
  LibreOffice);
* python-docx blocks (:func:`new_docx`, :func:`para`, :func:`grid_table`, :func:`cover`, the Word
  list numbering of :func:`add_lists` / :func:`numbered`, :func:`shaded`, :func:`field`),
  python-pptx blocks (:func:`new_pptx`, :func:`textbox`, :func:`run`, :func:`slide_table`),
  openpyxl's :class:`Sheet`, reportlab's :func:`register_reportlab_font`;
* gold: :func:`plan_gold` (the gold of a ``[(goal, [(measure, items, kpis)])]`` plan, as zoo5 wrote
  it), :func:`write_json`;
* :func:`run`: build → save the source → convert → write the gold, for the documents asked.

Run a batch with ``make zoo5`` (= ``python -m scripts.make_zoo zoo5 [document …]``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
FONT = "IPAexGothic"
FONT_FILE = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
FW = str.maketrans("0123456789", "０１２３４５６７８９")
ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
KANA = "アイウエオカキクケコ"
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# ── the batch ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Batch:
    """Where a batch goes: ``corpora/<folder>``, sources in ``src/``; ``author`` is written into
    each docx / pptx source's core properties (LibreOffice carries it into the PDF's /Author),
    ``textkit <folder>`` into each workbook's creator."""

    folder: str
    author: str

    @property
    def out(self) -> Path:
        return ROOT / "corpora" / self.folder

    def save(self, document: Any, name: str, suffix: str) -> Path:
        """Save a python-docx / python-pptx document or an openpyxl workbook as ``src/name.suffix``."""
        src = self.out / "src" / f"{name}.{suffix}"
        src.parent.mkdir(parents=True, exist_ok=True)
        if hasattr(document, "core_properties"):
            document.core_properties.author = self.author
        else:
            document.properties.creator = f"textkit {self.folder}"
        document.save(src)
        return src


Built = Path | None | tuple[Path | None, dict]


@dataclass(frozen=True)
class Doc:
    """One document of a batch. ``build(name)`` saves the source and returns its path (None: it
    wrote the PDF itself), or ``(path, gold)``; ``gold(name, src)`` makes the gold when the builder
    does not; neither: the gold file is typed by hand and left alone."""

    build: Callable[[str], Built]
    gold: Callable[[str, Path | None], dict] | None = None


# ── producers ────────────────────────────────────────────────────────────────


def convert(src: Path, outdir: Path) -> Path:
    """LibreOffice (Writer / Calc / Impress by the source's type) → ``outdir/<stem>.pdf``."""
    profile = Path(tempfile.mkdtemp(prefix="zoo-lo-"))
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return outdir / (src.stem + ".pdf")


def require_tools() -> str | None:
    """None when the IPAex font and LibreOffice are there (the font installed with apt if it can
    be), else what is missing."""
    if not FONT_FILE.exists() and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "fonts-ipaexfont"], check=True)
    if not FONT_FILE.exists():
        return "needs the IPAex fonts (Debian fonts-ipaexfont)"
    if not shutil.which("soffice"):
        return (
            "needs LibreOffice: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui "
            "libreoffice-impress-nogui"
        )
    return None


def register_reportlab_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        pdfmetrics.getFont(FONT)
    except KeyError:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))


# ── python-docx ──────────────────────────────────────────────────────────────


# Page sizes (mm, portrait) and margins (top, bottom, left, right in mm) of the docx blocks.
# python-docx's template is US Letter with 1 in / 1.25 in margins: zoo … zoo8 were made so (their
# specs say ``paper="letter"`` to stay reproducible); a Japanese office prints on A4 (A3 for the
# large overview sheets), Word's Japanese default margins about 30 mm, 25 mm left and right here
# so a 430 pt KPI table fits.
PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
A4_MARGINS = (30.0, 25.0, 25.0, 25.0)


def page_setup(section, paper: str = "A4", *, landscape: bool = False, margins=A4_MARGINS):
    """Give a python-docx section an A4 / A3 page (``landscape`` turns it) and margins in mm."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    w, h = PAPERS[paper]
    if landscape:
        w, h = h, w
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(w), Mm(h)
    for side, mm in zip(("top", "bottom", "left", "right"), margins, strict=True):
        setattr(section, f"{side}_margin", Mm(mm))
    return section


def new_docx(*, latin: bool = True, paper: str = "A4"):
    """A document whose every style is set in IPAex (East Asian runs; with ``latin`` Latin runs
    too — the first zoo set East Asian only), on A4 (``paper="letter"``: python-docx's own US
    Letter template page, as zoo … zoo8 were made)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    if paper != "letter":
        page_setup(doc.sections[0], paper)
    for style in doc.styles:
        if getattr(style, "font", None) is None:
            continue
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), FONT)
        if latin:
            rfonts.set(qn("w:ascii"), FONT)
            rfonts.set(qn("w:hAnsi"), FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
    return doc


def para(
    doc,
    text="",
    *,
    bold=False,
    size=None,
    indent=0.0,
    align="",
    page_break=False,
    style=None,
    empty_run=False,
):
    """A paragraph with one run (none for empty text unless ``empty_run``, as the first zoo wrote)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph(style=style) if style else doc.add_paragraph()
    if page_break:
        p.paragraph_format.page_break_before = True
    if indent:
        p.paragraph_format.left_indent = Pt(indent)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text or empty_run:
        r = p.add_run(text)
        r.bold = bold
        if size:
            r.font.size = Pt(size)
    return p


def grid_table(doc, rows, widths, *, header_bold=True, size=None):
    """A ``Table Grid`` table of text cells (column widths in points; None: LibreOffice's), then an
    empty paragraph."""
    from docx.shared import Pt

    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    t.autofit = False
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            c = t.cell(i, j)
            c.text = ""
            r = c.paragraphs[0].add_run(cell)
            r.bold = header_bold and i == 0
            if size:
                r.font.size = Pt(size)
            if widths:
                c.width = Pt(widths[j])
    doc.add_paragraph()
    return t


def cell_lines(cell, lines, *, bold=False, size=9.5):
    """Lines of text in a table cell, one paragraph each."""
    from docx.shared import Pt

    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        r = p.add_run(line)
        r.bold = bold
        r.font.size = Pt(size)


def cover(doc, town: str, title: str, period: str, date: str):
    """A cover page: town, title, period, date."""
    for _ in range(7):
        para(doc)
    para(doc, town, size=18, align="center")
    para(doc, title, bold=True, size=22, align="center")
    para(doc, period, size=14, align="center")
    for _ in range(8):
        para(doc)
    para(doc, date, size=14, align="center")


def wns() -> str:
    """The ``w`` namespace declaration for Word xml snippets."""
    from docx.oxml.ns import nsdecls

    return nsdecls("w")


def add_lists(doc, abstracts: Sequence[str], nums: Sequence[str]) -> None:
    """Add Word list definitions: the ``<w:abstractNum>`` xml (with :func:`wns`) before the first
    ``<w:num>`` (Word wants them first), then the ``<w:num>`` xml at the end."""
    from docx.oxml import parse_xml

    numbering = doc.part.numbering_part.element
    first_num = numbering.find(f"{W_NS}num")
    for xml in abstracts:
        abstract = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    for xml in nums:
        numbering.append(parse_xml(xml))


def num(num_id: int, abstract_id: int | None = None) -> str:
    """The ``<w:num>`` xml of list ``num_id`` (its definition ``abstract_id``, default the same)."""
    abstract_id = num_id if abstract_id is None else abstract_id
    return f"<w:num {wns()} w:numId='{num_id}'><w:abstractNumId w:val='{abstract_id}'/></w:num>"


def numbered(p, num_id: int, level: int):
    """Put paragraph ``p`` in list ``num_id`` at ``level`` (Word's automatic numbering)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = p._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f"<w:numPr {nsdecls('w')}><w:ilvl w:val='{level}'/><w:numId w:val='{num_id}'/></w:numPr>"
        )
    )
    return p


def shaded(p, fill: str):
    """Shade a paragraph (``w:shd``, hex colour)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p._p.get_or_add_pPr().append(
        parse_xml(f"<w:shd {nsdecls('w')} w:val='clear' w:color='auto' w:fill='{fill}'/>")
    )
    return p


def field(paragraph, instr: str):
    """A simple Word field (``PAGE``, …) appended to a paragraph, showing 1 until updated."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.append(
        parse_xml(
            f"<w:fldSimple {nsdecls('w')} w:instr='{instr}'><w:r><w:t>1</w:t></w:r></w:fldSimple>"
        )
    )


# ── python-pptx ──────────────────────────────────────────────────────────────


def new_pptx(*, a4: bool = False):
    """A 16:9 deck (13.333 × 7.5 in); with ``a4`` slides of an A4 landscape page (297 × 210 mm,
    printed handouts: 11.69 × 8.27 in)."""
    from pptx import Presentation
    from pptx.util import Inches, Mm

    prs = Presentation()
    if a4:
        prs.slide_width, prs.slide_height = Mm(297), Mm(210)
    else:
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    return prs


def run(p, text, *, size, bold=False, color=None):
    """A run of IPAex text (Latin and East Asian typefaces) in a pptx paragraph."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    r = p.add_run()
    r.text = text
    r.font.size = Pt(size)
    r.font.bold = bold
    r.font.name = FONT
    rpr = r._r.get_or_add_rPr()
    rpr.append(rpr.makeelement(qn("a:ea"), {"typeface": FONT}))
    if color:
        r.font.color.rgb = RGBColor.from_string(color)


def textbox(slide, x, y, w, h, lines, *, size=16, bold=False, color=None, fill=None):
    """A wrapped text box (inches), one paragraph a line, optionally filled."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    if fill:
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string(fill)
    tf = box.text_frame
    tf.word_wrap = True
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run(p, line, size=size, bold=bold, color=color)
    return box


def slide_table(slide, x, y, w, rows, widths, *, size=12, row_height=0.4):
    """A python-pptx table shape of text cells (inches; ``w`` the frame's width, ``widths`` the
    columns'), the first row bold."""
    from pptx.util import Inches

    shape = slide.shapes.add_table(
        len(rows), len(widths), Inches(x), Inches(y), Inches(w), Inches(row_height * len(rows))
    )
    table = shape.table
    for j, width in enumerate(widths):
        table.columns[j].width = Inches(width)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.text = ""
            run(cell.text_frame.paragraphs[0], text, size=size, bold=i == 0)
    return shape


# ── openpyxl ─────────────────────────────────────────────────────────────────


class Sheet:
    """An openpyxl sheet with the cell styles of a municipal KPI list (thin borders, wrap)."""

    def __init__(self):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.wb = Workbook()
        self.ws = self.wb.active
        self.ws.title = "総合戦略"
        thin = Side(style="thin", color="000000")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT, size=10)
        self.bold = Font(name=FONT, size=10, bold=True)
        self.band_font = Font(name=FONT, size=12, bold=True, color="FFFFFF")
        self.band_fill = PatternFill("solid", fgColor="1F4E79")
        self.head_fill = PatternFill("solid", fgColor="D9E1F2")
        self.wrap = Alignment(wrap_text=True, vertical="center")
        self.middle = Alignment(vertical="center")

    def put(self, r, c, value, font=None):
        cell = self.ws.cell(row=r, column=c, value=value)
        cell.font, cell.border, cell.alignment = font or self.font, self.box, self.wrap
        return cell

    def merge(self, r0, c0, r1, c1):
        self.ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)

    def kpi_rows(self, r, kpi):
        """One KPI over two rows: 基準値 then 目標値 (区分 column), values and years beside."""
        name, base, target = kpi
        self.put(r, 3, name)
        self.put(r + 1, 3, None)
        self.merge(r, 3, r + 1, 3)
        for dr, kind, value, year in (
            (0, "基準値", base, "令和5年度"),
            (1, "目標値", target, "令和11年度"),
        ):
            self.put(r + dr, 4, kind)
            self.put(r + dr, 5, value)
            self.put(r + dr, 6, year)

    def fit_page(self, *, landscape: bool) -> None:
        """Print on A4, the sheet's width on one page, as many pages down as it takes."""
        ws = self.ws
        if landscape:
            ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    def band(self, row, text):
        c = self.ws.cell(row=row, column=1, value=text)
        c.font, c.fill, c.alignment = self.band_font, self.band_fill, self.middle
        self.merge(row, 1, row, 6)
        self.ws.row_dimensions[row].height = 24

    def measure(self, row, title, items, kpis) -> int:
        """A measure's rows (its cell merged down over them); returns the next free row."""
        n = max(len(items), 2 * len(kpis))
        self.put(row, 1, title, self.bold)
        for r in range(row + 1, row + n):
            self.put(r, 1, None)
        self.merge(row, 1, row + n - 1, 1)
        for i in range(n):
            self.put(row + i, 2, f"・{items[i]}" if i < len(items) else None)
        for ki, kpi in enumerate(kpis):
            self.kpi_rows(row + 2 * ki, kpi)
        for r in range(row + 2 * len(kpis), row + n):
            for col in (3, 4, 5, 6):
                self.put(r, col, None)
        for r in range(row, row + n):
            self.ws.row_dimensions[r].height = 34
        return row + n


# ── gold ─────────────────────────────────────────────────────────────────────

# A plan: [(goal title, [(measure title, [items], [(kpi name, baseline, target)])])]; KPI values
# read "2,300人" / "46.0%" / "5.2万人"; baselines R5 (2023), targets R11 (2029) unless given.
Plan = Sequence[tuple[str, Sequence[tuple[str, Sequence[str], Sequence[tuple[str, str, str]]]]]]


def value(text: str) -> tuple[float, str] | None:
    """ "2,300人" → (2300.0, "人"); None for "-" and anything not a number first."""
    m = re.fullmatch(r"([\d,]+(?:\.\d+)?)(.*)", text)
    if not m:
        return None
    return float(m.group(1).replace(",", "")), m.group(2)


def _sample_kpis(plan: Plan, samples: int) -> list[tuple[str, str, str]]:
    """The first KPI of the first goal with two numbers, then the next ones in order."""
    picked: list[tuple[str, str, str]] = []
    for _, ms in plan:
        for _, _, kpis in ms:
            for k in kpis:
                if value(k[1]) and value(k[2]) and k not in picked:
                    picked.append(k)
                    break
            else:
                continue
            break
    for _, ms in plan:
        for _, _, kpis in ms:
            for k in kpis:
                if len(picked) < samples and value(k[1]) and value(k[2]) and k not in picked:
                    picked.append(k)
    return picked[:samples]


def producer_of(src: Path | None) -> str:
    """Which office program made the PDF, by the source's type."""
    suffix = src.suffix if src else ""
    return {".xlsx": "openpyxl → Calc", ".pptx": "python-pptx → Impress"}.get(
        suffix, "python-docx → Writer"
    ) + " (LibreOffice 7.4)"


def plan_gold(
    plan: Plan,
    *,
    family: str,
    town: str,
    samples: int = 3,
    years: tuple[int, int] = (2023, 2029),
    absent: Sequence[str] = (),
    goal_kpis: int = 0,
) -> Callable[[str, Path | None], dict]:
    """The gold of a plan's document: its goals, measures (items, KPIs) and sample KPI values;
    ``absent``: lines on the page that must be neither a measure title nor a KPI name (合計 rows);
    ``goal_kpis``: how many goal-level 数値目標 rows the page has besides the measures' KPIs."""

    def gold(name: str, src: Path | None) -> dict:
        measures = [
            {"goal": gi, "title": title, "items": len(items), "kpis": len(kpis)}
            for gi, (_, ms) in enumerate(plan, 1)
            for title, items, kpis in ms
        ]
        picked = _sample_kpis(plan, samples)
        gold = {
            "document": f"{name}.pdf",
            "family": family,
            "producer": producer_of(src),
            "strategy": True,
            "town": town,
            "goals": [g for g, _ in plan],
            "measures": measures,
            "goal_kpis": goal_kpis,
            "measure_kpis": sum(m["kpis"] for m in measures),
            "samples": [
                {
                    "name": k[0],
                    "baseline_value": value(k[1])[0],  # type: ignore[index]
                    "target_value": value(k[2])[0],  # type: ignore[index]
                    "unit": value(k[1])[1],  # type: ignore[index]
                    "baseline_year": years[0],
                    "target_year": years[1],
                }
                for k in picked
            ],
        }
        if absent:
            gold["absent"] = list(absent)
        return gold

    return gold


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# ── the run ──────────────────────────────────────────────────────────────────


def run_batch(batch: Batch, docs: dict[str, Doc], names: Sequence[str] = ()) -> int:
    """Build, convert and write the gold of ``names`` (all by default); 2 if a tool is missing."""
    missing = require_tools()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    unknown = [n for n in names if n not in docs]
    if unknown:
        print(f"{batch.folder} has no document {', '.join(unknown)}", file=sys.stderr)
        return 2
    batch.out.mkdir(parents=True, exist_ok=True)
    for name in names or list(docs):
        doc = docs[name]
        built = doc.build(name)
        src, gold = built if isinstance(built, tuple) else (built, None)
        if src is not None:
            convert(src, batch.out)
        if gold is None and doc.gold is not None:
            gold = doc.gold(name, src)
        if gold is not None:
            write_json(batch.out / f"{name}.gold.json", gold)
        print(f"{name}: {(batch.out / f'{name}.pdf').relative_to(ROOT)}")
    return 0
