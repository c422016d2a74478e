"""Document → Strategy: recover 基本目標 → 施策 → items → KPIs from extracted blocks.

What goes in: a ``Document`` from ``textkit.sources.read`` (text, Markdown or PDF: blocks in reading
order with pages, tables as ``kind="table"`` blocks, typography where the PDF gives it). What comes
out: a frozen ``Strategy`` with goals ``G1``…, measures ``G{goal}-M{n}``, goal-level 数値目標 and
measure-level KPIs, a ``warning`` on measures found incomplete, and, when the document lists the
previous edition's 取組 itself (①–⑲ beside each 施策), those as ``Strategy.previous`` (``P{n}``)
with each new measure's ``refs``.

Stages, each a function testable alone:

``blocks_to_lines`` (markup removed, wrapped lines joined) → ``numbering.infer_levels`` (which
numbering family is goal, which measure, whether ア／イ lines are items — inferred from how the
families nest in this document) → ``lines_to_outline`` (one pass over the lines with those levels:
goals, measures, items, KPI table rows and KPI lines) → ``assign_refs`` → ``outline_to_strategy``
→ ``check_outline`` (not a strategy: refuse; partly understood: warnings).

Recognisers (families, labels, bullets, frames, footnotes, 目次 lines) are regular expressions in
``data/structure.toml``. Rules worth knowing:

* A goal heading with a lower number than the open goal is a running header, unless the open goal
  has no content yet (then it was an overview list such as Otaru's 「Ⅲ 基本目標」 or a
  「基本的な考え方」 page listing the goals): nothing is counted twice.
* A 【基本的方向】 label after the open goal already has measures starts the next goal (slide decks
  put the goal heading after its content).
* Within a goal, the first measure heading numbered 1 fixes the numbering family; only the next
  number in that family continues the list (施策N： numbered straight through all goals continues
  from the previous goal), and (with geometry) only at the same left edge. When titles are listed
  one after another (a deck), the one-line descriptions that follow are given to them in order.
* KPI tables are read by their header row (基準値/現状値 and 目標値 columns, an optional 単位
  column, years in the header or in the cells); a table without a header right after a KPI table
  continues it (a table broken across a page). Overview tables (施策体系図) have no baseline
  column and are not read. A KPI written as a line (``KPI：… 30人（R5）→ 60人（R11）``) belongs
  to the measure printed at the same height on the left when the PDF gives positions.
* Circled entries that are not measures, in a document that names a previous edition's 取組
  (第２期 総合戦略の取組), are that edition's measures (see ``assign_refs``).
"""

from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from . import numbering
from ._compat import tomllib
from .errors import EmptyDocumentError, NotAStrategyError, TextkitWarning
from .kpi import (
    ERA_INITIALS,
    ERA_WORDS,
    FIGURE,
    find_year,
    header_year,
    make_kpi,
    parse_cell,
    split_target_line,
)
from .models import KPI, Document, Goal, Measure, Strategy
from .normalize import CONTINUATION_ENDINGS, normalize_chars
from .wording import plural, verb

CIRCLED = numbering.CIRCLED
# Two measure titles closer than this (PDF points) at their left edge belong to the same list; a
# neighbouring column (the 取組 beside the 施策) starts hundreds of points away, while a title glued
# to a vertical label character by the extractor moves ~20 pt.
ALIGN_TOLERANCE = 40.0
# A 取組 printed up to this far above its 施策's title line still belongs to that row.
ROW_TOLERANCE = 4.0
# A KPI line in a slide's right column may sit this far above its measure's title line (its
# text box starts at the same height, but a smaller font puts its first baseline higher).
KPI_ROW_TOLERANCE = 8.0
# Numbered lines at the same place with the same text on consecutive pages, at least this many
# of them on a page, are navigation (a deck's sidebar listing the goal's measures on each slide).
NAVIGATION_ENTRIES = 2
# The reading order went into the next text column when a line starts this far (PDF points)
# above the line before it, and at least ALIGN_TOLERANCE to its right.
COLUMN_RISE = 100.0
# Two headings are set alike when their sizes differ by less than this (pt) ...
SAME_SIZE = 0.5
# ... and their indents within their own text columns by no more than this (pt): Writer puts
# the same paragraph style at the same indent in each column (zoo9: 12.7 / 12.7).
COLUMN_INDENT_TOLERANCE = 4.0


@lru_cache(maxsize=1)
def _config() -> dict:
    text = resources.files("textkit").joinpath("data/structure.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    cfg = _config()["structure"]
    out: dict[str, re.Pattern[str]] = {}
    for name, pat in cfg["labels"].items():
        out[f"label:{name}"] = re.compile(pat)
    out["bullet"] = re.compile(cfg["bullets"]["item"])
    for name in (
        "heading",
        "footnote",
        "toc",
        "edition",
        "edition_label",
        "city",
        "overview_column",
    ):
        out[f"frame:{name}"] = re.compile(cfg["frames"][name])
    out["prev_note"] = re.compile(cfg["previous_item"]["note"])
    return out


# ── lines ───────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Line:
    """One cleaned line (or one table) with its provenance and, from a PDF, its typography."""

    text: str
    page: int
    kind: str  # text | heading | table | vertical
    bbox: tuple[float, float, float, float] | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    font_size: float | None = None
    bold: bool = False
    band: str | None = None  # #rrggbb of a filled box behind the line (a slide's title band)
    # a plain body-size line with more space above it than a line gap (see ``_mark_spacing``)
    spaced: bool = False
    # points from the left edge of the line's text column (the PDF's layout columns)
    indent: float | None = None


_SUP = re.compile(r"<sup>.*?</sup>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_FOOTREF = re.compile(r"(?<=\S)\s*※\s*[0-9]{1,2}(?![0-9,.])|※(?=\s*$)")
_MD_HEAD = re.compile(r"^\s*#{1,6}\s*")
_MD_LIST = re.compile(r"^\s*[-*+]\s+")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u30ff\u3400-\u9fff])[ \t]+(?=[\u3000-\u30ff\u3400-\u9fff])")


def clean_text(text: str, *, keep_notes: bool = False) -> str:
    """Markdown and footnote marks removed: ``**1 地場産業**`` → ``1 地場産業``."""
    text = normalize_chars(text)
    text = re.sub(r"※\s*(?=<sup>)", "", text)  # 「…」※<sup>1</sup>: the mark outside the tag
    text = _SUP.sub("", text)
    text = _TAG.sub("", text)
    text = _MD_HEAD.sub("", text)
    text = text.replace("**", "").replace("__", "")
    text = _MD_LIST.sub("", text)
    if not keep_notes:
        text = _FOOTREF.sub("", text)
    text = text.replace("\u3000", " ")
    text = re.sub(r"[ \t]+", " ", text).strip()
    return _CJK_SPACE.sub("", text)


def _starts_structure(text: str) -> bool:
    p = _patterns()
    if p["bullet"].match(text) or p["frame:footnote"].match(text):
        return True
    if text[:1] in CIRCLED or text.startswith("【"):
        return True
    if any(numbering.match(f.name, text) for f in numbering.families() if f.name != "kana"):
        return True
    if "→" in text and split_target_line(text) is not None:
        return True
    return any(k.startswith("label:") and v.match(text) for k, v in p.items())


def blocks_to_lines(doc: Document) -> list[Line]:
    """Blocks → cleaned lines; a line ending mid-phrase (、 or a particle) is joined to the next."""
    out: list[Line] = []
    for block in doc.blocks:
        size: float | None = getattr(block, "font_size", None)
        bold = bool(getattr(block, "bold", False))
        band: str | None = getattr(block, "band", None)
        if block.kind == "table" and block.rows:
            # names are cleaned; value cells keep their spacing (男性 79.08 歳 女性 85.14 歳)
            rows = tuple(
                tuple(
                    clean_text(c or "") if i == 0 else _TAG.sub("", _SUP.sub("", c or "")).strip()
                    for i, c in enumerate(r)
                )
                for r in block.rows
            )
            out.append(Line(block.text, block.page, "table", block.bbox, rows))
            continue
        raws = block.text.split("\n")
        lead = _run_in_heading(raws[0], getattr(block, "bold_lead", 0))
        if lead is not None:
            # a bold run-in heading: its own bold line, the text after it a plain one
            out.append(Line(lead, block.page, block.kind, block.bbox, (), size, True, band))
            raws[0], bold = raws[0][getattr(block, "bold_lead", 0) :], False
        for raw in raws:
            text = clean_text(raw)
            if len(text) < 2:
                # empty, or one character of a vertical label (施 / 策) left unjoined
                continue
            # 【label】 glued to the end of another line (…整備します【基本的方向】) starts a line.
            parts = re.split(r"(?<=\S)(?=【[^】]{1,12}】)", text)
            for part in parts:
                out.append(
                    Line(
                        part.strip(),
                        block.page,
                        block.kind,
                        block.bbox,
                        (),
                        size,
                        bold,
                        band,
                        indent=getattr(block, "indent", None),
                    )
                )
    joined: list[Line] = []
    for line in out:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.kind != "table"
            and line.kind != "table"
            and (
                (
                    prev.text.endswith(CONTINUATION_ENDINGS)
                    and not _starts_structure(line.text)
                    and not _patterns()["frame:footnote"].match(prev.text)
                )
                or _kpi_values_below(prev, line)
            )
        ):
            joined[-1] = Line(
                prev.text + line.text,
                prev.page,
                prev.kind,
                prev.bbox,
                (),
                prev.font_size,
                prev.bold,
                prev.band,
                indent=prev.indent,
            )
        else:
            joined.append(line)
    return _mark_spacing(_divider_titles(_without_toc_pages(_without_navigation(joined))))


def _without_navigation(lines: list[Line]) -> list[Line]:
    """Drop a list of numbered lines printed with the same texts at the same places on
    consecutive pages: a slide deck's sidebar listing the goal's measures (①②③ on every slide,
    the current one highlighted) is navigation; the slide's own heading says which measure the
    slide holds. (A running header is dropped by the PDF reader; this is the body's repeated
    list.)"""
    places: dict[tuple[str, int, int], set[int]] = {}
    for ln in lines:
        if ln.kind == "text" and ln.bbox is not None:
            key = (ln.text, round(ln.bbox[0]), round(ln.bbox[1]))
            places.setdefault(key, set()).add(ln.page)
    # a numbered key on the next page too, both pages showing at least two such keys (a list,
    # not one header line such as a goal tag repeated on its slides; not a document repeated
    # whole)
    on_page: dict[int, set[tuple[str, int, int]]] = {}
    for key, pages in places.items():
        if len(pages) < 2 or not _numbered_line(key[0]):
            continue
        for page in pages:
            if page + 1 in pages:
                on_page.setdefault(page, set()).add(key)
                on_page.setdefault(page + 1, set()).add(key)
    repeated = {key for keys in on_page.values() if len(keys) >= NAVIGATION_ENTRIES for key in keys}
    if not repeated:
        return lines
    return [
        ln
        for ln in lines
        if ln.bbox is None or (ln.text, round(ln.bbox[0]), round(ln.bbox[1])) not in repeated
    ]


def _numbered_line(text: str) -> bool:
    """Does the line start with a number of some numbering family?"""
    return any(numbering.match(f.name, text) is not None for f in numbering.families())


def _bare_number(text: str) -> bool:
    """A heading that is only a number of some family (「基本目標1」「第2章」), no title."""
    return any(
        hit is not None and not hit[1]
        for hit in (numbering.match(f.name, text) for f in numbering.families() if f.role)
    )


def _divider_titles(lines: list[Line]) -> list[Line]:
    """A page holding only a bare number heading and one other short line (a deck's divider
    slide: 「基本目標1」 large, its title in smaller type above or below it): that line is the
    heading's title, whichever comes first in the text layer."""
    limit = _config()["structure"]["max_title_chars"]
    pages: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.bbox is not None:
            pages.setdefault(ln.page, []).append(i)
    merged: dict[int, Line] = {}
    dropped: set[int] = set()
    for idx in pages.values():
        if len(idx) != 2 or any(lines[i].kind == "table" for i in idx):
            continue
        bare = [i for i in idx if _bare_number(lines[i].text)]
        if len(bare) != 1:
            continue
        (head,) = bare
        (other,) = [i for i in idx if i != head]
        title = lines[other].text
        if len(title) > limit or title.endswith("。") or _starts_structure(title):
            continue
        merged[head] = replace(lines[head], text=f"{lines[head].text} {title}")
        dropped.add(other)
    if not merged:
        return lines
    return [merged.get(i, ln) for i, ln in enumerate(lines) if i not in dropped]


def _without_toc_pages(lines: list[Line]) -> list[Line]:
    """Drop a 目次 page's entries: every line after a line 「目次」 to the end of that page. Its
    page numbers may be gone (printed after a tab, dropped as page furniture), leaving lines that
    read exactly like the goal and measure headings they list."""
    out: list[Line] = []
    toc_page: int | None = None
    for ln in lines:
        if ln.bbox is not None and ln.kind != "table" and re.sub(r"\s+", "", ln.text) == "目次":
            # (pages only: a text file is one "page")
            toc_page = ln.page
            continue
        if ln.page != toc_page:
            out.append(ln)
    return out


def _run_in_heading(raw: str, bold_lead: int) -> str | None:
    """The bold words a line starts with when the rest of it is not bold (「地元産品の販路拡大
    市内事業者が…」), cleaned; None when there are none or they are a number, label, bullet or
    caption (「(1)」, 「【KPI】」, 「KPI：」: those are read as such already)."""
    if not bold_lead:
        return None
    if _starts_structure(clean_text(raw)):
        return None  # the whole line is a numbered heading, a label or a bullet
    lead, rest = clean_text(raw[:bold_lead]), clean_text(raw[bold_lead:])
    lead = lead.rstrip(":：").strip()  # 「特産品のブランド化：」 before its text
    if len(lead) < 2 or len(rest) < 2 or len(lead) > _config()["structure"]["max_heading_chars"]:
        return None
    if lead.endswith(("、", "。")) or _starts_structure(lead):
        return None
    if not re.search(r"[^\W\d_]", lead):  # 「(1)」: a number only
        return None
    return lead


# a KPI line before its arrow: 「KPI：名」, 「【KPI】名」 (a bracketed label needs no colon), its
# baseline figure may be on it already (「【KPI】名　11人」 wrapped before 「（R5）→40人（R11）」)
_KPI_NAME_ONLY = re.compile(
    r"^(?:[【\[<]\s*(?:KPI|重要業績評価指標|成果指標)\s*[】\]>]\s*[:：]?"
    r"|(?:KPI|重要業績評価指標|成果指標)\s*[:：])\s*[^→]+$"
)
# the rest of such a line: a figure, or the baseline's year in brackets 「（R5）→…」
_KPI_VALUES_START = re.compile(r"[▲△+\-±]?[0-9]|\(\s*(?:[RHS]\s*[0-9元]|令和|平成|[0-9]{4})")


def _kpi_values_below(prev: Line, line: Line) -> bool:
    """``KPI：市内高校卒業生の地元就職率`` wrapped in its box before ``38.0%（R5）→45.0%（R11）``:
    one KPI line (the next line of the block, right under it; the values start with a figure and
    hold the arrow)."""
    if prev.page != line.page or prev.bbox is None or line.bbox is None:
        return False
    (x0, _, x1, y1), (u0, v0, u1, _) = prev.bbox, line.bbox
    height = prev.bbox[3] - prev.bbox[1]
    below = prev.bbox == line.bbox or (0 <= v0 - y1 <= height and u0 < x1 and x0 < u1)
    return (
        below
        and bool(_KPI_NAME_ONLY.match(prev.text))
        and "→" in line.text
        and bool(_KPI_VALUES_START.match(line.text))
    )


def _mark_spacing(lines: list[Line]) -> list[Line]:
    """Mark the plain lines (body size, no bold, mark or band, not a bullet) that have more space
    above them than ``spaced_gap`` × their size: the one cue left to a heading style that differs
    from body text only by its paragraph spacing (Word 見出し3 in the same font as the body)."""
    ratio = _config()["structure"]["typography"]["spaced_gap"]
    body = _body_size(lines)
    bullet = _patterns()["bullet"]
    out: list[Line] = []
    above: Line | None = None  # the previous block on the page (lines of one block share a box)
    for ln in lines:
        prev = above
        if ln.bbox is not None and (above is None or above.bbox != ln.bbox):
            above = ln
        if (
            prev is None
            or prev.page != ln.page
            or prev.bbox is None
            or ln.bbox is None
            or prev.bbox == ln.bbox
            or ln.kind == "table"
            or not ln.font_size
            or ln.bold
            or ln.band is not None
            or ln.text[:1] in _HEADING_MARKS
            or abs(ln.font_size - body) > 0.5
            or bullet.match(ln.text)
        ):
            out.append(ln)
            continue
        gap = ln.bbox[1] - prev.bbox[3]
        out.append(replace(ln, spaced=True) if gap >= ratio * ln.font_size else ln)
    return out


# ── outline (mutable while parsing, frozen at the end) ──────────────────────


@dataclass(frozen=True)
class KPIRow:
    """A KPI as read, before its cells are parsed."""

    name: str
    base: str
    target: str
    base_year: int | None  # the column header's years (cells may override)
    target_year: int | None
    page: int
    unit: str = ""  # from a 単位 column


@dataclass
class _Measure:
    num: int
    title: str
    page: int
    bbox: tuple[float, float, float, float] | None
    text: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    kpi_rows: list[KPIRow] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    kana_items: int = 0
    numbered_items: int = 0
    # how its heading is set and where: (font size, bold, indent in its text column), and which
    # text column of the page's reading order it is in (see ``_Pass.column``)
    heading: tuple[float | None, bool, float | None] = (None, False, None)
    column: int = 0
    # the last text column its title, items or prose were read in (a page set in columns), and
    # the top of its first line there
    reached: int = 0
    reached_top: float | None = None
    flowed: bool = False  # taken at its column's edge after the text flowed into a new column

    @property
    def has_content(self) -> bool:
        return bool(self.text or self.items or self.kpi_rows)


@dataclass
class _Goal:
    num: int
    title: str = ""
    page: int | None = None
    directions: list[str] = field(default_factory=list)
    kpi_rows: list[KPIRow] = field(default_factory=list)
    measures: list[_Measure] = field(default_factory=list)
    scheme: str | None = None
    list_layout: bool = False
    list_closed: bool = False
    lines_since_measure: int = 0

    @property
    def has_content(self) -> bool:
        return bool(self.directions or self.kpi_rows or any(m.has_content for m in self.measures))


@dataclass
class _Previous:
    num: int
    title: str
    note: str
    page: int
    bbox: tuple[float, float, float, float] | None
    goal: int
    # set when the extractor printed the 取組 on the same line as a 施策 title: it stands beside it
    beside: _Measure | None = None


@dataclass
class Outline:
    goals: dict[int, _Goal] = field(default_factory=dict)
    previous: dict[int, _Previous] = field(default_factory=dict)
    has_previous_label: bool = False
    plan_years: list[int] = field(default_factory=list)
    city: str = ""
    edition: int | None = None
    edition_label: str = ""  # 2020年版: an edition named by its year
    levels: numbering.Levels | None = None
    kpi_evidence: bool = False  # a KPI table header, a KPI line or a 数値目標 line was seen
    overview: list[str] = field(default_factory=list)  # measure titles of a 施策体系図 table
    # (goal, name, the table row or None for a text line) of measure KPI rows read before the
    # goal's first measure heading: no owner
    unowned_kpis: list[tuple[int, str, tuple[str, ...] | None]] = field(default_factory=list)


def _split_circled(text: str) -> list[tuple[int, str]]:
    """``①若者の市内就職の促進 ②学生と…`` → [(1, '若者の市内就職の促進'), (2, '学生と…')]."""
    parts = re.findall(rf"([{CIRCLED}])\s*([^{CIRCLED}]+)", text)
    return [(CIRCLED.index(c) + 1, t.strip()) for c, t in parts if t.strip()]


def _split_names(text: str) -> list[str]:
    """Split a 【数値目標】 line at 、 outside brackets and quotes."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "「(『[":
            depth += 1
        elif ch in "」)』]":
            depth = max(0, depth - 1)
        if ch in "、," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return [x for x in out if x]


def _join_prose(parts: list[str], new: str) -> None:
    """Append a line to prose: a wrapped line continues the sentence, a finished one starts a
    paragraph."""
    if parts and not parts[-1].endswith(("。", "!", "?", ")")):
        parts[-1] += new
    else:
        parts.append(new)


# ── KPI tables ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class KPITable:
    """The header of a KPI table: which column is what, and the years it states."""

    level: str  # "goal" (数値目標) | "measure"
    width: int
    base_col: int
    target_col: int
    unit_col: int | None
    base_year: int | None
    target_year: int | None
    # one column 「現状値（R5）→目標値（R11）」 holds both values (cells 「120人→200人」)
    arrow: bool = False


def kpi_header(cells: tuple[str, ...] | list[str]) -> KPITable | None:
    """A KPI table's header row (基準値/現状値 and 目標値 columns), else None.

    >>> kpi_header(["重要業績評価指標(KPI)", "単位", "基準値", "目標値"]).unit_col
    1
    """
    kcfg = _config()["kpi"]
    joined = " ".join(cells)
    if not (
        re.search(kcfg["header_baseline"], joined) and re.search(kcfg["header_target"], joined)
    ):
        return None
    level = "goal" if re.search(kcfg["goal_header"], cells[0]) else "measure"
    # the first column names the indicator (数値目標 / 重要業績評価指標): values are to its right
    b_idx = next((i for i, c in enumerate(cells) if i and re.search(kcfg["header_baseline"], c)), 1)
    t_idx = next((i for i, c in enumerate(cells) if i and re.search(kcfg["header_target"], c)), 2)
    unit = next(
        (i for i, c in enumerate(cells) if re.fullmatch(kcfg["header_unit"], c.strip())), None
    )
    if b_idx == t_idx and _ARROW_SPLIT.search(cells[b_idx]):
        left, right = _ARROW_SPLIT.split(cells[b_idx], maxsplit=1)
        return KPITable(
            level, len(cells), b_idx, t_idx, unit, header_year(left), header_year(right), True
        )
    return KPITable(
        level, len(cells), b_idx, t_idx, unit, header_year(cells[b_idx]), header_year(cells[t_idx])
    )


_ARROW_SPLIT = re.compile(r"\s*(?:→|⇒|->)\s*")


# A value at the end of a name cell the extractor ran together with it (説明会実施校数 年12校)
_TRAILING_VALUE = re.compile(
    rf"^(?P<name>.*?[^\s0-9,.])\s+(?P<value>(?:年|毎年)?\s*[▲△+\-±]?\s*{FIGURE}\s*[^\s0-9()]{{0,6}}"
    r"(?:\s*\([^()]*\))?)$"
)


_VALUE = rf"(?:毎?年\s*)?[▲△+\-±]?\s*{FIGURE}\s*[^\s0-9()]{{0,6}}(?:\s*\([^()]*\))?|-"
# 空き店舗の活用件数 3件 10件: a KPI row of a table that lost its cells
_TEXT_ROW = re.compile(rf"^(?P<name>.*?[^\s0-9,.])\s+(?P<base>{_VALUE})\s+(?P<target>{_VALUE})$")


def kpi_row(table: KPITable, cells: tuple[str, ...], page: int) -> KPIRow | None:
    """One body row of a KPI table as name / baseline / target (/ unit); None for an empty row."""
    if len([c for c in cells if c]) < 2 or not cells[0]:
        return None
    name = cells[0]
    if table.arrow and len(cells) > table.base_col:
        parts = _ARROW_SPLIT.split(cells[table.base_col], maxsplit=1)
        base, target = parts if len(parts) == 2 else ("", parts[0])
        unit = (
            cells[table.unit_col]
            if table.unit_col is not None and len(cells) == table.width
            else ""
        )
        return KPIRow(name, base, target, table.base_year, table.target_year, page, unit)
    if table.unit_col is not None and len(cells) == table.width:
        return KPIRow(
            name,
            cells[table.base_col],
            cells[table.target_col],
            table.base_year,
            table.target_year,
            page,
            cells[table.unit_col],
        )
    base = cells[-2] if len(cells) >= 3 else ""
    if table.width >= 3 and len(cells) == table.width - 1:
        m = _TRAILING_VALUE.match(name)
        if m:  # name and baseline in one extracted cell
            name, base = m.group("name"), m.group("value")
    return KPIRow(name, base, cells[-1], table.base_year, table.target_year, page)


# ── the pass over the lines ─────────────────────────────────────────────────


# An inferred goal heading's title starts with a word, not a mark or a figure (20~24歳 is a row).
_HEADING_START = re.compile(r"[^\W\d_]|[「『(]")


def is_sentence(title: str) -> bool:
    """A heading's title is short and ends without 。; a line past either is prose (「基本目標１では、
    次の施策に取り組みます。」 names the goal, it is not its heading)."""
    return len(title) > _config()["structure"]["max_heading_chars"] or title.endswith("。")


# The join between a period's first and last year (「令和2年度から令和6年度まで」, 「R7〜R11」).
_PERIOD_JOIN = re.compile(r"から|より|[～〜~]")
# What ends the clause naming the last year (「…令和6年度までの5年間とし、人口ビジョンの2060年…」).
_PERIOD_CLAUSE_END = re.compile(r"まで|[、。,;；]")
# An era name, whose years an end written without one (「令和２年度から６年度まで」) continues.
_ERA_NAME = re.compile(rf"{ERA_WORDS}|(?<![A-Za-z]){ERA_INITIALS}(?=\s*(?:\d|元))")
# An end written as a bare year of that era: 6年度, 6年3月, 6 (R2〜6); not 5年間 (a length).
_BARE_END = re.compile(r"\s*(?:\d{1,2}|元)\s*(?:年(?!間)|(?![\d年か箇ヵカケ]))")
# A length instead of an end: 「令和7年度から5年間」, 「5か年」.
_PERIOD_LENGTH = re.compile(r"(\d{1,2})\s*(?:年間|か年|ヵ年|カ年|ケ年|箇年)")
# An end written as a month: the fiscal year ends in March, so 令和12年3月 closes FY 令和11.
_END_MONTH = re.compile(r"年\s*(\d{1,2})\s*月")
# A 総合戦略 runs five years (some four or six); a year further than this past the start on the
# same line is no end of the plan but the 人口ビジョン's 展望 (2040, 2060) cited beside it.
MAX_PLAN_YEARS = 10


def plan_end(text: str) -> int | None:
    """The last fiscal year of a 計画期間 line, or None when it names none.

    >>> [plan_end(t) for t in ("令和2年度から令和6年度までの5年間", "令和２年度から６年度まで",
    ...     "令和7年4月から令和12年3月まで", "令和7年度から5年間", "R7〜R11", "R2-6")]
    [2024, 2024, 2029, 2029, 2029, 2024]
    """
    text = normalize_chars(text)
    parts = _PERIOD_JOIN.split(text, maxsplit=1)
    head, tail = parts[0], parts[1] if len(parts) > 1 else ""
    first, last = find_year(head)
    if first is None:
        return None
    if last is not None and last != first:  # a range the head writes itself (R2-6, H21-30)
        return last if last - first < MAX_PLAN_YEARS else None
    clause = _PERIOD_CLAUSE_END.split(tail, maxsplit=1)[0]
    end = find_year(clause)[0] if clause else None
    if end is None and clause and _BARE_END.match(clause):
        era = _ERA_NAME.search(head)  # 「令和２年度から６年度まで」: the end keeps the start's era
        end = find_year(era.group() + clause)[0] if era else None
    if end is not None:
        month = _END_MONTH.search(clause)
        if month and "年度" not in clause and 1 <= int(month.group(1)) <= 3:
            end -= 1  # 令和12年3月 closes fiscal year 令和11
    else:
        length = _PERIOD_LENGTH.search(tail or text)
        end = first + int(length.group(1)) - 1 if length else first
    return end if first <= end < first + MAX_PLAN_YEARS else None


class _Pass:
    """One pass over the cleaned lines with the inferred levels: the outline's state machine.

    ``feed`` hands each line to the first handler that takes it; every handler is one rule."""

    def __init__(self, levels: numbering.Levels) -> None:
        self.p = _patterns()
        self.cfg = _config()["structure"]
        self.levels = levels
        self.out = Outline(levels=levels)
        self.cur: _Goal | None = None
        self.mode = "none"
        self.title_prev: Line | None = None
        self.table: KPITable | None = None
        self.plan_lines = 0
        self.last_shisaku = 0  # 施策N numbered straight through: the last N seen
        # bullets read before the goal's first measure (a box's centred title comes after its
        # first lines in the text layer): given to a measure printed above them on the page
        self.early_items: list[tuple[Line, str]] = []
        # text columns: +1 each time the reading order goes back up the page and to the right
        # (a page set in two columns flows from the foot of one to the head of the next)
        self.column = 0
        self.last_line: Line | None = None
        self._flowed = False  # the measure being accepted is one at a new column's edge

    # -- helpers

    def goal_match(self, text: str) -> tuple[int, str] | None:
        if not self.levels.goal:
            return None
        hit = numbering.match(self.levels.goal, text)
        if hit is None:
            return None
        if self.levels.inferred and (
            len(hit[1]) > self.cfg["max_heading_chars"]
            or hit[1].endswith("。")
            or not _HEADING_START.match(hit[1])
        ):
            return None
        return hit

    def measure_match(self, text: str) -> tuple[str, int, str] | None:
        for name in self.levels.measures:
            hit = numbering.match(name, text)
            if hit is not None:
                return name, hit[0], hit[1]
        return None

    # -- the frame: city, edition, plan period

    def frame_info(self, idx: int, text: str) -> None:
        p, out = self.p, self.out
        if idx < 40 and not out.city:
            m = p["frame:city"].search(text)
            if m:
                out.city = m.group("city")
        if idx < 40 and out.edition is None:
            m = p["frame:edition"].search(text)
            if m:
                out.edition = int(m.group("edition"))
        if idx < 40 and not out.edition_label:
            m = p["frame:edition_label"].search(text)
            if m:
                out.edition_label = re.sub(r"\s+", "", m.group("label"))
        if self.plan_lines:
            self.plan_lines -= 1
            last = plan_end(text)
            if last is not None:
                out.plan_years.append(last)
                self.plan_lines = 0

    # -- handlers: each returns True when it took the line

    def on_table(self, line: Line) -> bool:
        if line.kind != "table":
            return False
        for i, row in enumerate(line.rows):
            header = kpi_header(row)
            if header is not None:
                # a 施策 table's header (施策 | 概要 | KPI | 現状値 | 目標値) under the 【数値目標】
                # table: its rows are no targets of the goal, whatever label came last
                outline = outline_columns(row) is not None
                self.table = header if outline else self._labelled(header)
                self.out.kpi_evidence = True
                continue
            if i == 0 and not any(re.search(r"[0-9]", c) for c in row):
                # another table's header (施策体系図, statistics): not a KPI table continued
                self.table = None
                if any(self.p["frame:overview_column"].search(c) for c in row):
                    self._overview(line.rows[1:])
                return True
            if self.table is None or self.cur is None:
                continue
            rec = kpi_row(self.table, row, line.page)
            if rec is None:
                continue
            if self.table.level == "goal":
                self.cur.kpi_rows.append(rec)
            elif self.cur.measures:
                # a table in a slide's right column belongs to the measure beside it (the text
                # layer may give it after every measure of the slide)
                last = self.cur.measures[-1]
                beside = self._measure_beside(line, clear=True)
                if (
                    beside is not None
                    and beside.column < last.reached
                    and last.reached_top is not None
                    and beside.bbox is not None
                    and last.reached_top < beside.bbox[1]
                ):
                    # the text flowed to the top of a new column after ``beside`` and the last
                    # measure continues there (a page in columns; a 取組 list beside the 施策 on
                    # a slide starts level with them): the table follows it in reading order
                    beside = None
                target = beside or last
                target.kpi_rows.append(rec)
                self.cur.lines_since_measure += 1
            else:
                self.out.unowned_kpis.append((self.cur.num, rec.name, row))
        return True

    def _labelled(self, header: KPITable) -> KPITable:
        """The label above a KPI table says its level (【数値目標】 over 指標 / 基準値 / 目標値 is
        the goal's; 重要業績評価指標 over a header saying 数値目標 the measure's); without one the
        header's first cell says it."""
        level = {"goal_kpi": "goal", "measure_kpi": "measure"}.get(self.mode, header.level)
        return header if level == header.level else replace(header, level=level)

    def _overview(self, rows: tuple[tuple[str, ...], ...]) -> None:
        """A 施策体系図 / 全体像 table: its measure titles, kept to cross-check the body."""
        for row in rows:
            for cell in row:
                hit = self.measure_match(clean_text(cell))
                if hit is not None and hit[2]:
                    self.out.overview.append(hit[2])

    def on_skipped(self, line: Line) -> bool:
        if self.p["frame:toc"].search(line.text) and len(line.text) < 80:
            return True
        if self.p["frame:footnote"].match(line.text):
            self.mode = "footnote"
            return True
        return False

    def styled(self, line: Line, style: Style | None) -> str | None:
        """The title of ``line`` when it is a heading set in ``style``, else None."""
        if style is None or line.kind == "table" or style_of(line) != style:
            return None
        title = _unmarked(line.text)
        if len(title) > self.cfg["max_heading_chars"] or title.endswith("。"):
            return None
        return title

    def style_goal(self, line: Line) -> tuple[int, str] | None:
        """An unnumbered goal heading: numbered in order; an empty goal (a list of the goals
        before the body) is taken over by the next one."""
        title = self.styled(line, self.levels.goal_style)
        if title is None:
            return None
        numbered = numbering.match("goal_word", title)
        if numbered is not None and numbered[1]:
            return numbered  # 基本目標2 … set in the goal style: its own number and title
        title = _bare_title(title)
        last = max(self.out.goals, default=0)
        if last and not self.out.goals[last].has_content and not self.out.goals[last].measures:
            self.out.goals[last].title = ""
            return last, title
        return last + 1, title

    def on_goal(self, line: Line) -> bool:
        hit = self.style_goal(line) or self.goal_match(line.text)
        if hit is None:
            return False
        num, title = hit
        out, cur = self.out, self.cur
        if cur is not None and cur.num == num and cur.title and is_sentence(title):
            return False  # prose naming the open goal (基本目標１では、…。): not its heading again
        self.table = None
        if cur is None or num > cur.num or (num != cur.num and not cur.has_content):
            cur = self.cur = out.goals.setdefault(num, _Goal(num))
            self.early_items = []
        if cur.num == num and cur.measures:
            # the same goal's heading printed again (a deck prints it beside its 施策)
            if title and not cur.title:
                cur.title = title
            return True
        if cur.num == num:
            if title and (not cur.title or not cur.has_content):
                # an empty goal of the same number was an overview line or an outer chapter
                cur.title = title
            if cur.page is None or not cur.has_content:
                cur.page = line.page
            self.mode = "title"
            self.title_prev = line if title else None
        return True

    def on_frame(self, line: Line) -> bool:
        text = line.text
        chapter = numbering.match("chapter", text)
        framed = len(text) <= self.cfg["max_heading_chars"] and self.p["frame:heading"].match(text)
        if chapter is not None and not framed:
            framed = self.p["frame:heading"].match(chapter[1]) is not None
        if not framed and chapter is None:
            return False
        self.cur, self.mode, self.table = None, "frame", None
        if self.cfg["frames"]["plan_period"] in text:
            self.plan_lines = 2
            last = plan_end(text)
            if last is not None:
                self.out.plan_years.append(last)
                self.plan_lines = 0
        return True

    def on_previous_label(self, line: Line) -> bool:
        if not self.p["label:previous"].match(line.text):
            return False
        self.out.has_previous_label = True
        if self.cur is not None:
            self.mode = "previous"
        return True

    def on_directions_first(self, line: Line) -> bool:
        if self.cur is not None or not self.p["label:directions"].match(line.text):
            return False
        # a deck's 【基本的方向】 printed before its goal heading opens the next goal
        nxt = max(self.out.goals, default=0) + 1
        self.cur = self.out.goals.setdefault(nxt, _Goal(nxt, page=line.page))
        self.mode = "directions"
        return True

    def on_title(self, line: Line) -> bool:
        """The goal's title: the heading's own text, or the next line(s)."""
        if self.mode != "title":
            return False
        cur, prev, text = self.cur, self.title_prev, line.text
        assert cur is not None
        if self.styled(line, self.levels.measure_style) is not None:
            self.mode = "goal"  # a measure heading right under the goal (a slide's boxes)
            return False
        if not _starts_structure(text) and (
            prev is None
            or prev.text.endswith(CONTINUATION_ENDINGS)
            or (prev.kind == "heading" and line.kind == "heading")
        ):
            if prev is None and not cur.title:
                cur.title = text
            self.title_prev = line
            return True
        self.mode = "goal"
        return False

    def on_styled_measure(self, line: Line) -> bool:
        """A line set in the measure style is a heading before it is a label
        (「【観光資源の磨き上げ】」 looks like [現状と課題] but is set like the other measures)."""
        return self.styled(line, self.levels.measure_style) is not None and self.on_measure(line)

    def on_label(self, line: Line) -> bool:
        p, cur, text = self.p, self.cur, line.text
        assert cur is not None
        if p["label:directions"].match(text):
            if cur.measures:
                # a deck: the next goal's content starts before its heading
                cur = self.cur = self.out.goals.setdefault(
                    cur.num + 1, _Goal(cur.num + 1, page=line.page)
                )
            self.mode, self.table = "directions", None
            return True
        m = p["label:numeric_targets"].match(text)
        if m:
            self.out.kpi_evidence = True
            rest = m.group("rest").strip()
            split = split_target_line(rest)  # an arrow line or a sentence, else a list of names
            if split is not None:
                cur.kpi_rows.append(KPIRow(*split, None, None, line.page))
            else:
                for name in _split_names(rest):
                    cur.kpi_rows.append(KPIRow(name, "", "", None, None, line.page))
            self.mode = "goal_kpi"
            return True
        if p["label:items"].match(text):
            self.mode = "items"
            return True
        if p["label:measures"].match(text):
            self.mode = "body"
            return True
        if self._kpi_line(text) is not None:
            return False  # a KPI line, not the header of a KPI block
        if p["label:kpi_header"].match(text):
            header = kpi_header(text.split(" ")) if " " in text else None
            if header is not None:
                # a KPI table that lost its cells (text or a converter): rows follow as lines
                self.out.kpi_evidence = True
                header = self._labelled(header)
                self.table = KPITable(
                    header.level, 3, 1, 2, None, header.base_year, header.target_year
                )
                self.mode = "kpi_text"
                return True
            # a KPI label (【成果指標】, 重要業績評価指標) before the goal's first measure and its
            # targets heads the goal's targets: no measure is there to own them (after the goal's
            # targets it is a measure's whose heading was not read)
            self.mode = "measure_kpi" if cur.measures or cur.kpi_rows else "goal_kpi"
            return True
        if p["label:other"].match(text):
            # [現状と課題], [期待される施策の主な効果]: its prose is the measure's text, never an item
            self.mode = "body" if cur.measures else "goal"
            return True
        return False

    def on_kpi_text_row(self, line: Line) -> bool:
        """``name baseline target`` under a KPI header written as a line; anything else ends it."""
        if self.mode != "kpi_text" or self.table is None:
            return False
        m = _TEXT_ROW.match(line.text)
        cur = self.cur
        if m is None or cur is None:
            self.mode = "body"
            return False
        rec = KPIRow(
            m.group("name"),
            m.group("base"),
            m.group("target"),
            self.table.base_year,
            self.table.target_year,
            line.page,
        )
        if self.table.level == "goal":
            cur.kpi_rows.append(rec)
        elif cur.measures:
            cur.measures[-1].kpi_rows.append(rec)
        else:
            self.out.unowned_kpis.append((cur.num, rec.name, None))
        return True

    def on_numbered_item(self, line: Line) -> bool:
        """A line of a family inferred as the item level (① under (1)), next in its sequence."""
        cur = self.cur
        if not self.levels.items or cur is None or not cur.measures or self.out.has_previous_label:
            return False
        m = cur.measures[-1]
        for name in self.levels.items:
            hit = numbering.match(name, line.text)
            if hit is not None and hit[0] == m.numbered_items + 1:
                m.numbered_items += 1
                m.items.append(hit[1])
                cur.lines_since_measure += 1
                self.mode = "items"
                return True
        return False

    def on_kpi_line(self, line: Line) -> bool:
        """``KPI：name base→ target`` for a measure; a bare ``name base→target`` line before a
        goal's first measure is the goal's 数値目標."""
        cur, text = self.cur, line.text
        assert cur is not None
        split = self._kpi_line(text)
        if split is None and self.mode == "measure_kpi" and cur.measures and "→" in text:
            # 【重要業績評価指標】 above 「・観光入込客数　64万人（R5）→75万人（R11）」 lines
            bm = self.p["bullet"].match(text)
            split = split_target_line(bm.group("text") if bm else text)
            if split is not None:
                self.out.kpi_evidence = True
                target = self._measure_above(line) or cur.measures[-1]
                target.kpi_rows.append(KPIRow(*split, None, None, line.page))
                return True
        if split is None and not (
            "→" in text and not cur.measures and len(text) <= self.cfg["max_title_chars"]
        ):
            return False
        labelled = split is not None
        split = split or split_target_line(text)
        if split is None:
            return False
        self.out.kpi_evidence = True
        rec = KPIRow(*split, None, None, line.page)
        if not labelled:
            cur.kpi_rows.append(rec)
            return True
        owner = (
            self._measure_above(line)
            or self._measure_beside(line)
            or (cur.measures[-1] if cur.measures else None)
        )
        if owner is not None:
            owner.kpi_rows.append(rec)
        return True

    def _measure_above(self, line: Line) -> _Measure | None:
        """On a page whose measures stand side by side (boxes in a row, titles at one height),
        the measure whose column is nearest the line's: the box it is printed in."""
        if line.bbox is None or self.cur is None:
            return None
        above = [
            m
            for m in self.cur.measures
            if m.page == line.page and m.bbox is not None and m.bbox[1] <= line.bbox[1]
        ]
        if len(above) < 2:
            return None
        # the row of titles nearest above the line (boxes in a grid: two rows of two)
        top = max(m.bbox[1] for m in above)  # type: ignore[index]
        row = [m for m in above if top - m.bbox[1] <= KPI_ROW_TOLERANCE]  # type: ignore[index]
        side_by_side = any(
            abs(a.bbox[1] - b.bbox[1]) <= KPI_ROW_TOLERANCE  # type: ignore[index]
            for a, b in itertools.combinations(above, 2)
        )
        if not side_by_side:
            return None  # one under another: an ordinary list

        def centre(b: tuple[float, float, float, float]) -> float:
            return (b[0] + b[2]) / 2

        return min(row, key=lambda m: abs(centre(m.bbox) - centre(line.bbox)))  # type: ignore[arg-type]

    def _kpi_line(self, text: str) -> tuple[str, str, str] | None:
        """(name, baseline, target) of a labelled KPI line (``KPI：… → …``, or a sentence
        ``【KPI】…を、現状の…から…とする。``), else None."""
        for label in ("label:kpi_line", "label:kpi_prose"):
            m = self.p[label].match(text)
            if m is not None:
                split = split_target_line(m.group("rest"))
                if split is not None:
                    return split
        return None

    def _measure_beside(self, line: Line, *, clear: bool = False) -> _Measure | None:
        """The measure on the same page whose title line is the last one at or above ``line``
        (``clear``: whose title ends left of ``line``, a column beside it)."""
        if line.bbox is None or self.cur is None:
            return None
        best: _Measure | None = None
        for m in self.cur.measures:
            if m.page != line.page or m.bbox is None or m.bbox[0] >= line.bbox[0]:
                continue
            if clear and m.bbox[2] > line.bbox[0]:
                continue
            if m.bbox[1] <= line.bbox[1] + KPI_ROW_TOLERANCE and (
                best is None or m.bbox[1] > best.bbox[1]  # type: ignore[index]
            ):
                best = m
        return best

    def on_measure(self, line: Line) -> bool:
        cur, text = self.cur, line.text
        assert cur is not None
        self._flowed = False
        styled = self.styled(line, self.levels.measure_style)
        mm: tuple[str, int, str] | None
        if styled is not None:
            mm = ("", len(cur.measures) + 1, _bare_title(styled))
        else:
            mm = self.measure_match(text)
            if not (mm and self._accept_measure(mm, line)):
                return False
        scheme, num, title = mm
        if num == 1 and cur.measures:
            cur.measures.clear()
            cur.list_layout = cur.list_closed = False
        if len(cur.measures) == 1 and cur.lines_since_measure == 0:
            cur.list_layout = True
        cur.scheme = scheme
        if scheme and numbering.family(scheme).role == "measure":
            self.last_shisaku = num
        # a row glued across columns (①施策 ⑮取組 ⑯取組): the rest are entries beside it
        beside = _split_circled(title) if title[:1] in CIRCLED else []
        rest = re.split(rf"(?=[{CIRCLED}])", title, maxsplit=1)
        if len(rest) == 2 and rest[0].strip():
            title, beside = rest[0].strip(), _split_circled(rest[1])
        measure = _Measure(num, title, line.page, line.bbox)
        measure.heading = (line.font_size, line.bold, line.indent)
        measure.column = measure.reached = self.column
        measure.reached_top = line.bbox[1] if line.bbox is not None else None
        measure.flowed = self._flowed
        cur.measures.append(measure)
        if len(cur.measures) == 1 and self.early_items:
            self._claim_early_items(measure)
        for n2, t2 in beside:
            nm = self.p["prev_note"].search(t2)
            self.out.previous.setdefault(
                n2,
                _Previous(
                    n2,
                    t2[: nm.start()].strip() if nm else t2,
                    nm.group("note").strip() if nm else "",
                    line.page,
                    line.bbox,
                    cur.num,
                    beside=measure,
                ),
            )
        cur.lines_since_measure = 0
        self.mode, self.table = "body", None
        return True

    def _accept_measure(self, match: tuple[str, int, str], line: Line) -> bool:
        goal = self.cur
        assert goal is not None
        scheme, num, title = match
        if len(title) > self.cfg["max_heading_chars"] or title.endswith("。"):
            return False
        role = numbering.family(scheme).role
        if goal.scheme is None or not goal.measures:
            # 施策N： numbered straight through: the next number continues in the next goal
            return num == 1 or (role == "measure" and num == self.last_shisaku + 1)
        if scheme != goal.scheme:
            return False
        expected = (self.last_shisaku if role == "measure" else len(goal.measures)) + 1
        if num == 1:
            return not any(m.has_content for m in goal.measures)
        if num != expected or goal.list_closed:
            return False
        first = goal.measures[0].bbox
        # titles of one list start at the same edge: the left one, or in 縦書き the top one
        edge = 1 if line.kind == "vertical" else 0
        if not (
            first is not None
            and line.bbox is not None
            and goal.measures[0].page == line.page
            and abs(first[edge] - line.bbox[edge]) > ALIGN_TOLERANCE
        ):
            return True
        return line.kind != "vertical" and self._in_next_column(goal.measures[-1], line)

    def _in_next_column(self, last: _Measure, line: Line) -> bool:
        """A title at another edge of the page continues the list when the text flowed into a
        new column since ``last`` (or since the measure that did) and the title is set like
        ``last``, in bold, at the same place in its column: a page set in two text columns. (A
        取組 list beside the 施策 on a slide is set smaller, or at another indent; numbered lines
        of a newsletter's columns are body text.)"""
        if last.bbox is None or line.bbox is None or last.page != line.page:
            return False
        if last.column == self.column:
            same = last.flowed and abs(last.bbox[0] - line.bbox[0]) <= ALIGN_TOLERANCE
            self._flowed = same
            return same
        size, bold, indent = last.heading
        self._flowed = (
            size is not None
            and line.font_size is not None
            and abs(size - line.font_size) < SAME_SIZE
            and bold
            and line.bold
            and indent is not None
            and line.indent is not None
            and abs(indent - line.indent) <= COLUMN_INDENT_TOLERANCE
        )
        return self._flowed

    def on_other_numbered(self, line: Line) -> bool:
        cur, text = self.cur, line.text
        assert cur is not None
        mm = self.measure_match(text)
        if not (mm or text[:1] in CIRCLED):
            return False
        entries = _split_circled(text)
        if entries and text[:1] in CIRCLED:
            for num, title in entries:
                note = ""
                raw_title = clean_text(line.text, keep_notes=True)
                for n2, t2 in _split_circled(raw_title):
                    if n2 == num:
                        nm = self.p["prev_note"].search(t2)
                        if nm:
                            note = nm.group("note").strip()
                            title = t2[: nm.start()].strip()
                if num not in self.out.previous:
                    self.out.previous[num] = _Previous(
                        num, title, note, line.page, line.bbox, cur.num
                    )
            if cur.measures:
                cur.lines_since_measure += 1
                if cur.list_layout:
                    cur.list_closed = True
            return True
        # a numbered line of another scheme (the previous edition's goals): not prose
        return bool(mm)

    def on_bullet(self, line: Line) -> bool:
        cur, text = self.cur, line.text
        assert cur is not None
        bm = self.p["bullet"].match(text)
        item = bm.group("text").strip() if bm else None
        if item is None and self.levels.kana_items and cur.measures:
            m = cur.measures[-1]
            hit = numbering.match("kana", text)
            if hit and hit[0] == m.kana_items + 1 and self.mode in ("items", "body"):
                m.kana_items += 1
                item = hit[1]
        if item is None:
            return False
        if self.p["label:non_item"].match(item):
            self.mode = "body" if cur.measures else "goal"
            return True
        if self.mode == "directions":
            cur.directions.append(item)
        elif cur.measures and self.mode in ("items", "body"):
            (self._measure_above(line) or cur.measures[-1]).items.append(item)
            cur.lines_since_measure += 1
            self.mode = "items"
        elif not cur.measures and line.bbox is not None:
            self.early_items.append((line, item))
        return True

    def _claim_early_items(self, measure: _Measure) -> None:
        """Bullets read before ``measure`` that are printed below its title on its page, and
        across within a title's width of it (a centred title is narrower than its box), are its
        items: the text layer put them first."""
        if measure.bbox is None:
            return
        x0, top, x1, _ = measure.bbox
        keep = []
        for line, item in self.early_items:
            b = line.bbox
            assert b is not None
            if line.page == measure.page and b[1] > top and b[0] < x1 and x0 < b[2] + (x1 - x0):
                measure.items.append(item)
            else:
                keep.append((line, item))
        self.early_items = keep

    def on_prose(self, line: Line) -> bool:
        cur, text, mode = self.cur, line.text, self.mode
        assert cur is not None
        if mode == "directions" and cur.directions:
            _join_prose(cur.directions, text)
        elif mode == "items" and cur.measures and cur.measures[-1].items:
            cur.measures[-1].items[-1] += text
        elif mode == "body" and cur.measures:
            if cur.list_layout:
                empty = [m for m in cur.measures if not m.text]
                if empty:
                    empty[0].text.append(text)
                cur.list_closed = True
            else:
                _join_prose(cur.measures[-1].text, text)
            cur.lines_since_measure += 1
        return True

    def _track_columns(self, line: Line) -> None:
        last, self.last_line = self.last_line, line
        if last is None or last.page != line.page:
            self.column = 0
            return
        if last.bbox is None or line.bbox is None:
            return
        if (
            line.bbox[1] < last.bbox[1] - COLUMN_RISE
            and line.bbox[0] >= last.bbox[0] + ALIGN_TOLERANCE
        ):
            self.column += 1

    def feed(self, idx: int, line: Line) -> None:
        self.frame_info(idx, line.text)
        self._track_columns(line)
        for handler in (
            self.on_table,
            self.on_skipped,
            self.on_goal,
            self.on_frame,
            self.on_previous_label,
            self.on_directions_first,
        ):
            if handler(line):
                return
        if self.cur is None:
            return
        for handler in (
            self.on_title,
            self.on_kpi_text_row,
            self.on_styled_measure,
            self.on_label,
            self.on_kpi_line,
            self.on_measure,
            self.on_numbered_item,
            self.on_other_numbered,
            self.on_bullet,
            self.on_prose,
        ):
            if handler(line):
                content = (self.on_numbered_item, self.on_bullet, self.on_prose)
                if handler in content and self.cur.measures:
                    self._reach(self.cur.measures[-1], line)
                return

    def _reach(self, measure: _Measure, line: Line) -> None:
        """The measure's items or prose went on in ``line``: note a new text column it reached."""
        if self.column > measure.reached:
            measure.reached = self.column
            measure.reached_top = line.bbox[1] if line.bbox is not None else None


def lines_to_outline(lines: list[Line], levels: numbering.Levels | None = None) -> Outline:
    """Goals, measures, items, KPI rows and previous-edition entries from cleaned lines."""
    if levels is None:
        levels = numbering.infer_levels([ln.text for ln in lines if ln.kind != "table"])
    state = _Pass(levels)
    for idx, line in enumerate(lines):
        state.feed(idx, line)
    return state.out


# ── unnumbered headings: typography ─────────────────────────────────────────

# (leading mark, font size to 0.5 pt, bold, on a coloured band, space above a plain line): how a
# heading is set.
Style = tuple[str, float, bool, bool, bool]
# Marks that may lead a heading (■ 地域経済の活力を高める, ● 企業誘致の推進); 「・」 leads items.
_HEADING_MARKS = "■□◆◇●○◎◉▶▷▸►★☆▼▽"
# A style counts as a level of the outline only when at least this many of its headings hold the
# level below and KPIs (one chapter holding everything is not a level).
MIN_STYLED_SEGMENTS = 2
# ... and when most of its headings do: a level holds the level below throughout (every goal has
# measures), while an item style that happens to sit between two measures does not.
MIN_STYLED_SHARE = 0.5


def style_of(line: Line) -> Style:
    mark = line.text[:1] if line.text[:1] in _HEADING_MARKS else ""
    size = round((line.font_size or 0.0) * 2) / 2
    return mark, size, line.bold, line.band is not None, line.spaced


def _unmarked(text: str) -> str:
    return text[1:].strip() if text[:1] in _HEADING_MARKS else text


def _bare_title(text: str) -> str:
    """A styled heading's title without its brackets or number, when the typography is what
    makes it a heading (「【観光資源の磨き上げ】」, 「(1) 水産業の振興」 under unnumbered goals,
    「第2章地域の稼ぐ力を高める」 from a Word list)."""
    if text[:1] in _BRACKETS and text.endswith(_BRACKETS[text[0]]) and len(text) > 2:
        text = text[1:-1].strip()
    for fam in numbering.families():
        # not ア／イ: a katakana word starts many titles (シティプロモーション)
        hit = numbering.match(fam.name, text) if fam.name != "kana" else None
        if hit is not None and hit[1]:
            return hit[1]
    return text


def _body_size(lines: list[Line]) -> float:
    """The font size most of the text is set in (prose)."""
    sizes: dict[float, int] = {}
    for ln in lines:
        if ln.kind != "table" and ln.font_size:
            size = round(ln.font_size * 2) / 2
            sizes[size] = sizes.get(size, 0) + len(ln.text)
    return max(sizes, key=lambda k: sizes[k], default=0.0)


def _styled_candidates(lines: list[Line]) -> list[tuple[int, Style]]:
    """(index, style) of the lines that may be unnumbered headings: short, not a sentence, not
    a label or an item, and set apart from the body text (larger, bold, a mark or a band)."""
    p, cfg = _patterns(), _config()["structure"]
    body = _body_size(lines)
    # a bracketed line printed again and again (【めざす姿】 in every goal) is a label, while a
    # bracketed heading (【観光資源の磨き上げ】) names one thing
    seen: dict[str, int] = {}
    for ln in lines:
        if ln.kind != "table" and ln.text[:1] in _BRACKETS:
            seen[ln.text] = seen.get(ln.text, 0) + 1
    out = []
    for i, ln in enumerate(lines):
        text = ln.text
        if ln.kind == "table" or not ln.font_size or len(_unmarked(text)) < 2:
            continue
        if len(text) > cfg["max_heading_chars"] or text.endswith("。") or "→" in text:
            continue
        if text.startswith("・") or p["frame:toc"].search(text) or _known_label(text):
            continue
        if text[:1] in _BRACKETS and (not text.endswith(_BRACKETS[text[0]]) or seen[text] > 1):
            continue
        st = style_of(ln)
        if st[0] or st[2] or st[3] or st[4] or st[1] > body + 0.5:
            out.append((i, st))
    return out


# Brackets a heading may stand in (「【観光資源の磨き上げ】」「＜商店街の再生＞」), opener → closer.
_BRACKETS = {"【": "】", "[": "]", "〔": "〕", "<": ">", "《": "》", "〈": "〉"}


def _known_label(text: str) -> bool:
    """A label line of ``[structure.labels]`` (【主な取組】, 【重要業績評価指標】, 【現状と課題】): never
    a heading, while another bracketed line may be one (「【観光資源の磨き上げ】」 set as a heading)."""
    p = _patterns()
    named = (k for k in p if k.startswith("label:") and k != "label:other")
    if any(p[k].match(text) for k in named):
        return True
    inner = text[1:-1].strip() if text[:1] in _BRACKETS else text
    return bool(p["label:non_item"].match(inner) or p["label:kpi_header"].match(inner))


def _kpi_at(lines: list[Line]) -> list[bool]:
    """Which lines are KPI evidence: a KPI table, a KPI line, a 数値目標 line."""
    p = _patterns()
    out = []
    for ln in lines:
        if ln.kind == "table":
            out.append(any(kpi_header(r) is not None for r in ln.rows))
        else:
            t = ln.text
            out.append(
                bool(p["label:kpi_line"].match(t) or p["label:kpi_prose"].match(t))
                or bool(p["label:numeric_targets"].match(t) and split_target_line(t[4:]))
                or ("→" in t and bool(out) and out[-1] and split_target_line(t) is not None)
                or (bool(p["label:kpi_header"].match(t)) and "→" not in t)
            )
    # a KPI label counts only with an arrow line under it (【重要業績評価指標】 then 「・名 64万人→…」)
    for i, ln in enumerate(lines):
        t = ln.text
        if ln.kind != "table" and p["label:kpi_header"].match(t) and "→" not in t:
            nxt = lines[i + 1].text if i + 1 < len(lines) else ""
            out[i] = "→" in nxt and split_target_line(re.sub(r"^[・○◎●]\s*", "", nxt)) is not None
    return out


def _styled_segments(
    heads: list[tuple[int, Style]], kpi: list[bool], parent: Style, child: Style
) -> tuple[int, int]:
    """(members of ``parent`` holding ``child`` headings and KPIs, of them those whose first
    heading below is ``child``); (0, 0) when fewer than ``MIN_STYLED_SHARE`` of the members hold
    one."""
    count = first = 0
    members = [i for i, st in heads if st == parent] + [len(kpi)]
    for a, b in itertools.pairwise(members):
        inside = [st for i, st in heads if a < i < b]
        if child in inside and any(kpi[a:b]):
            count += 1
            first += inside[0] == child
    if count < MIN_STYLED_SHARE * (len(members) - 1):
        return 0, 0
    return count, first


def typography_levels(lines: list[Line]) -> tuple[Style, Style, str] | None:
    """The goal and measure styles of a document whose headings are not numbered: a style whose
    headings each hold headings of another style and KPIs is the goal level, that other the
    measure level (■ 16 pt bold goals over 12 pt bold measures; a slide's band over ● lines)."""
    heads = _styled_candidates(lines)
    kpi = _kpi_at(lines)
    counts: dict[Style, int] = {}
    for _, st in heads:
        counts[st] = counts.get(st, 0) + 1
    styles = [st for st, n in counts.items() if n >= MIN_STYLED_SEGMENTS]
    pairs = []
    for parent in styles:
        for child in styles:
            if child != parent:
                n, first = _styled_segments(heads, kpi, parent, child)
                if n >= MIN_STYLED_SEGMENTS:
                    pairs.append((n, first, parent, child))
    children = {c for *_, c in pairs}
    top = [x for x in pairs if x[2] not in children] or pairs
    if not top:
        return None
    # a child set apart only by spacing ranks below one with a visible style at the same count
    n, _, parent, child = max(top, key=lambda x: (x[0], not x[3][4], not x[2][4], x[1]))

    def name(st: Style) -> str:
        mark, size, bold, band, spaced = st
        parts = [
            f"{size:g} pt",
            "bold" if bold else "",
            f"「{mark}」" if mark else "",
            "band" * band,
            "with space above" * spaced,
        ]
        return " ".join(x for x in parts if x)

    why = (
        f"outline by typography (no numbering): goals set in {name(parent)}, measures in "
        f"{name(child)} ({n} goals hold measures and KPIs)"
    )
    return parent, child, why


def numbered_goals_over_styles(lines: list[Line]) -> tuple[str, Style, str] | None:
    """(goal family, measure style, why) of a document whose goals are numbered in plain text
    (「1　海と農地を生かした仕事をつくる」 in the body's size and face) and whose measures under them
    are told apart by typography alone (bold 12 pt, unnumbered): a numbering family whose members
    each hold lines of one heading style and KPIs. None when there is no such pair."""
    styled = _styled_candidates(lines)
    kpi = _kpi_at(lines)
    best: tuple[int, int, str, Style] | None = None
    for fam in numbering.families():
        if fam.role == "measure" or fam.name == "kana":
            continue
        members = [i for i, ln in enumerate(lines) if _numbered_heading(fam.name, ln)]
        if len(members) < MIN_STYLED_SEGMENTS:
            continue
        # per style: members holding it (with KPIs), and of them those where it comes first
        held: dict[Style, list[int]] = {}
        for a, b in itertools.pairwise([*members, len(lines)]):
            inside = [st for i, st in styled if a < i < b]
            if inside and any(kpi[a:b]):
                for st in dict.fromkeys(inside):  # in order of appearance: ties are stable
                    held.setdefault(st, [0, 0])[0] += 1
                held[inside[0]][1] += 1
        for st, (n, first) in held.items():
            held_enough = n >= MIN_STYLED_SEGMENTS and n >= MIN_STYLED_SHARE * len(members)
            # the style right under the goals is the measures' (■ before the ○ items under it)
            if held_enough and (best is None or (n, first) > best[:2]):
                best = (n, first, fam.name, st)
    if best is None:
        return None
    n, _, name, style = best
    why = (
        f"goals: {name} headings in the body's type; measures told apart by typography "
        f"({style[1]:g} pt{' bold' if style[2] else ''}) under {n} of them, with KPIs"
    )
    return name, style, why


def _numbered_heading(name: str, line: Line) -> bool:
    """Is ``line`` a heading of family ``name`` with a title that reads like one (short, not a
    sentence, starting with a word)?"""
    if line.kind == "table":
        return False
    hit = numbering.match(name, line.text)
    if hit is None or not hit[1]:
        return False
    title = hit[1]
    return (
        len(title) <= _config()["structure"]["max_heading_chars"]
        and not title.endswith("。")
        and bool(_HEADING_START.match(title))
    )


# ── a strategy laid out as one table ────────────────────────────────────────


@dataclass(frozen=True)
class OutlineColumns:
    """Which column of an outline table (基本目標 | 施策 | 主な取組 | KPI …) holds what."""

    measure: int
    goal: int | None = None
    items: int | None = None
    kpi: int | None = None
    kind: int | None = None  # 区分: 基準値 / 目標値 in two rows of one KPI
    value: int | None = None
    year: int | None = None
    base: int | None = None
    target: int | None = None
    base_year: int | None = None
    target_year: int | None = None
    unit: int | None = None  # a 単位 column beside bare numbers
    text: int | None = None  # 施策の概要: the measure's description


def outline_columns(cells: tuple[str, ...] | list[str]) -> OutlineColumns | None:
    """The header row of a table that lays out the strategy itself, else None.

    >>> outline_columns(["基本目標", "施策", "主な取組", "重要業績評価指標(KPI)"]).items
    2
    """
    cfg = _config()
    roles: dict[str, int] = {}
    for i, cell in enumerate(cells):
        text = re.sub(r"\s+|\([^()]*\)", "", clean_text(cell or ""))
        role = next(
            (r for r, pat in cfg["structure"]["outline_columns"].items() if re.search(pat, text)),
            None,
        )
        if role == "goal" and header_year(cell or "") is not None:
            role = "target"  # 目標（R11）: the target column, a goal column names no year
        if role is None and re.search(cfg["kpi"]["header_baseline"], text):
            role = "base"
        elif role is None and re.search(cfg["kpi"]["header_target"], text):
            role = "target"
        if role is not None:
            roles.setdefault(role, i)
    if "measure" not in roles or not ({"items", "kpi"} & set(roles)):
        return None
    base, target = roles.get("base"), roles.get("target")
    return OutlineColumns(
        measure=roles["measure"],
        goal=roles.get("goal"),
        items=roles.get("items"),
        kpi=roles.get("kpi"),
        kind=roles.get("kind"),
        value=roles.get("value"),
        year=roles.get("year"),
        base=base,
        target=target,
        base_year=header_year(cells[base]) if base is not None else None,
        target_year=header_year(cells[target]) if target is not None else None,
        unit=roles.get("unit"),
        text=roles.get("text"),
    )


def _kpi_pieces(cell: str) -> list[str]:
    """``A: 1人(R5)→2人(R11)B: 3件(R5)→4件(R11)`` (one cell, two KPIs) → the two lines: a KPI
    ends at the first closing bracket after its arrow when another arrow follows."""
    out: list[str] = []
    for rest in cell.split("\n"):
        while True:
            arrow = rest.find("→")
            close = rest.find(")", arrow) if arrow >= 0 else -1
            after = rest.find("→", arrow + 1) if arrow >= 0 else -1
            if close < 0 or after < 0 or close > after:
                break
            out.append(rest[: close + 1])
            rest = rest[close + 1 :]
        out.append(rest)
    return [x.strip() for x in out if x.strip()]


_KANA_SEPARATED = re.compile(r"^.[\s.．、)）]")


def _unnumbered(text: str) -> tuple[int | None, str]:
    """(number, title) of a cell that may start with a number of any family."""
    separated = bool(_KANA_SEPARATED.match(normalize_chars(text).strip()))
    text = clean_text(text)
    for fam in numbering.families():
        if fam.name == "kana" and not separated:
            # one cell shows no ア, イ, ウ sequence: a letter without a separator starts a word
            # (シティプロモーション), not a number
            continue
        hit = numbering.match(fam.name, text)
        if hit is not None and hit[1]:
            return hit
    return None, text


class _TableOutline:
    """Rows of outline tables → goals, measures, items and KPI rows (state across rows and
    pages: a merged cell is printed once, in its first row)."""

    def __init__(self) -> None:
        self.p = _patterns()
        self.goals: dict[int, _Goal] = {}
        self.goal: _Goal | None = None
        self.measure: _Measure | None = None
        self.goal_rows = False  # the rows under a 数値目標 cell are the goal's targets
        self.pending: list[str] | None = None  # [name, base, target] of a KPI over two rows
        self.page = 1
        # the body's goal heading printed last above the table (基本目標１ over a 施策 | 概要 | KPI
        # table without a goal column): the goal of the measure rows that follow
        self.heading: tuple[int, str, int] | None = None
        self.taken: set[tuple[str, ...]] = set()  # the rows read as outline rows

    def owner(self) -> list[KPIRow] | None:
        if self.goal is not None and (self.goal_rows or self.measure is None):
            return self.goal.kpi_rows if self.goal_rows else None
        return self.measure.kpi_rows if self.measure is not None else None

    def flush(self) -> None:
        rows = self.owner()
        if self.pending is not None and rows is not None and (self.pending[1] or self.pending[2]):
            name, base, target = self.pending
            rows.append(KPIRow(name, base, target, None, None, self.page))
        self.pending = None

    def open_goal(self, cell: str) -> None:
        self.flush()
        num, title = _unnumbered(cell)
        num = num if num is not None else len(self.goals) + 1
        self.goal = self.goals.setdefault(num, _Goal(num, title=title, page=self.page))
        self.measure, self.goal_rows = None, False

    def open_heading_goal(self) -> None:
        """Open the goal whose body heading stands above the table (once per heading)."""
        assert self.heading is not None
        num, title, page = self.heading
        self.flush()
        self.goal = self.goals.setdefault(num, _Goal(num, title=title, page=page))
        self.measure, self.goal_rows, self.heading = None, False, None

    def open_measure(self, cell: str) -> None:
        self.flush()
        if self.goal is None:
            self.open_goal("")
        assert self.goal is not None
        if self.p["label:numeric_targets"].match(clean_text(cell)):
            self.measure, self.goal_rows = None, True
            return
        _, title = _unnumbered(cell)
        if is_total_label(title):  # the table's 合計 row: the rows after it belong to nothing
            self.measure = None
            return
        self.measure = _Measure(len(self.goal.measures) + 1, title, self.page, None)
        self.goal.measures.append(self.measure)
        self.goal_rows = False

    def row(self, cols: OutlineColumns, cells: tuple[str, ...], page: int) -> None:
        self.page = page
        cells = tuple(cells) + ("",) * 12

        def cell(i: int | None) -> str:
            return cells[i].strip() if i is not None else ""

        filled = [c for c in cells if c.strip()]
        band = len(filled) == 1 and numbering.match("goal_word", clean_text(filled[0]))
        if cell(cols.goal) or band:
            self.open_goal(cell(cols.goal) or filled[0])
            if band:
                return
        if cell(cols.measure) and cols.goal is None and self.heading is not None:
            self.open_heading_goal()
        if cell(cols.measure):
            self.open_measure(cell(cols.measure))
        if self.measure is not None and cell(cols.text):
            for part in filter(None, (clean_text(p) for p in cell(cols.text).split("\n"))):
                _join_prose(self.measure.text, part)
        if self.measure is not None and cell(cols.items):
            for part in cell(cols.items).split("\n"):
                bm = self.p["bullet"].match(clean_text(part))
                text = bm.group("text") if bm else clean_text(part)
                if text:
                    self.measure.items.append(text)
        self.kpi(cols, cell)

    def kpi(self, cols: OutlineColumns, cell) -> None:
        kcfg = _config()["kpi"]
        name = clean_text(cell(cols.kpi))
        rows = self.owner()
        if cols.kind is not None and cols.value is not None:
            if name:
                self.flush()
                self.pending = [name, "", ""]
            value = cell(cols.value)
            if value and cell(cols.year):
                value += f"({cell(cols.year)})"
            if self.pending is not None and re.search(kcfg["header_baseline"], cell(cols.kind)):
                self.pending[1] = value
            elif self.pending is not None and re.search(kcfg["header_target"], cell(cols.kind)):
                self.pending[2] = value
        elif name and rows is not None and cols.base is not None and cols.target is not None:
            rows.append(
                KPIRow(
                    name,
                    cell(cols.base),
                    cell(cols.target),
                    cols.base_year,
                    cols.target_year,
                    self.page,
                    cell(cols.unit),
                )
            )
        elif name and rows is not None:
            for piece in _kpi_pieces(cell(cols.kpi)):
                split = split_target_line(piece)
                if split is not None:
                    rows.append(KPIRow(*split, None, None, self.page))


def table_outline(lines: list[Line], outline: Outline) -> bool:
    """Read the strategy from its outline tables into ``outline`` (its goals replaced) when the
    body held none; True when measures were found."""
    reader = _TableOutline()
    cols: OutlineColumns | None = None
    goal_family = outline.levels.goal if outline.levels is not None else ""
    for line in lines:
        if line.kind != "table":
            hit = numbering.match(goal_family, line.text) if goal_family else None
            body = outline.goals.get(hit[0]) if hit is not None else None
            if (
                hit is not None
                and hit[1]
                # a sentence naming the goal is no heading, unless the body pass took it as one
                and (not is_sentence(hit[1]) or (body is not None and body.title == hit[1]))
                and not _patterns()["frame:toc"].search(line.text)
            ):
                reader.heading = (hit[0], hit[1], line.page)
            continue
        if line.rows and outline_columns(line.rows[0]) is None and kpi_header(line.rows[0]):
            # a KPI table (【数値目標】 指標 | 基準値 | 目標値) is no outline table: its rows are no
            # 施策; the body pass read them (its goal targets are carried over below)
            reader.flush()
            continue
        for row in line.rows:
            header = outline_columns(row)
            if header is not None:
                reader.flush()
                cols = header
            elif cols is not None:
                reader.row(cols, row, line.page)
                reader.taken.add(tuple(row))
        reader.flush()
    if not any(g.measures for g in reader.goals.values()):
        return False
    for num, goal in reader.goals.items():
        body = outline.goals.get(num)
        if body is not None and body.kpi_rows and not goal.kpi_rows and body.title == goal.title:
            # the goal's 数値目標 the body pass read from the KPI tables beside the outline tables
            goal.kpi_rows = body.kpi_rows
    outline.goals = reader.goals
    # the body pass's ownerless rows the tables read are owned now; any other stays ownerless
    outline.unowned_kpis[:] = [u for u in outline.unowned_kpis if u[2] not in reader.taken]
    outline.kpi_evidence = any(
        g.kpi_rows or any(m.kpi_rows for m in g.measures) for g in reader.goals.values()
    )
    return True


# ── refs to the previous edition ────────────────────────────────────────────


def assign_refs(outline: Outline) -> None:
    """Give each previous-edition item to the 施策 it stands beside on the page.

    Plain text has lost the columns (the 取組 of a goal come as a group between goals), so there
    refs stay empty: a guess by lexical similarity put only 8 of the 18 Tomakomai 取組 beside the
    right 施策, and refs are read downstream as stated evidence. Alignment still sees the 取組 as
    ``Strategy.previous`` and matches them by similarity."""
    if not outline.has_previous_label:
        outline.previous.clear()
        return
    measures = [(g, m) for g in outline.goals.values() for m in g.measures]
    if not measures:
        return
    for prev in sorted(outline.previous.values(), key=lambda x: x.num):
        if prev.note:  # 位置付けなし: stated as not continued
            continue
        target = prev.beside or _by_layout(prev, measures)
        if target is not None:
            target.refs.append(f"P{prev.num}")


def _by_layout(prev: _Previous, measures: list[tuple[_Goal, _Measure]]) -> _Measure | None:
    if prev.bbox is None:
        return None
    center = (prev.bbox[1] + prev.bbox[3]) / 2
    best: _Measure | None = None
    for _, m in measures:
        if m.page != prev.page or m.bbox is None or m.bbox[0] >= prev.bbox[0]:
            continue
        if m.bbox[1] <= center + ROW_TOLERANCE and (best is None or m.bbox[1] > best.bbox[1]):  # type: ignore[index]
            best = m
    return best


# ── freeze ──────────────────────────────────────────────────────────────────


def is_total_label(name: str) -> bool:
    """A bare 合計 / 小計 label (spaces ignored): a table's total row, never a KPI or a measure.

    >>> is_total_label("合　計"), is_total_label("小計"), is_total_label("合計特殊出生率")
    (True, True, False)
    """
    return bool(_patterns()["label:total_row"].match(re.sub(r"\s+", "", normalize_chars(name))))


def _sums_rows_above(row: KPIRow, above: list[KPIRow]) -> bool:
    """Are ``row``'s baseline and target the sums of the rows above it in the same unit (at
    least two of them, on its page)?"""
    if len(above) < 2:
        return False
    pairs = [(parse_cell(r.base), parse_cell(r.target)) for r in above]
    own = parse_cell(row.base), parse_cell(row.target)
    for side in (0, 1):
        want = own[side]
        parts = [pair[side] for pair in pairs]
        if want.value is None or any(c.value is None or c.unit != want.unit for c in parts):
            return False
        total = sum(c.value for c in parts if c.value is not None)
        if abs(total - want.value) > TOTAL_TOLERANCE * max(1.0, abs(want.value)):
            return False
    return True


# Figures printed rounded (5.1 + 0.4 = 5.5万人): a total within this share of the sum is the sum.
TOTAL_TOLERANCE = 0.01


def without_totals(rows: list[KPIRow]) -> list[KPIRow]:
    """The KPI rows but a table's total rows: a bare 合計 / 小計 label, or a name with the word
    whose figures add up the rows above it on its page."""
    kept: list[KPIRow] = []
    for i, r in enumerate(rows):
        if is_total_label(r.name):
            continue
        above = [x for x in rows[:i] if x.page == r.page and not is_total_label(x.name)]
        if _patterns()["label:total_word"].search(r.name) and _sums_rows_above(r, above):
            continue
        kept.append(r)
    return kept


def _kpis(owner: str, level: str, rows: list[KPIRow], plan_end: int | None) -> tuple[KPI, ...]:
    rows = without_totals(rows)
    return tuple(
        make_kpi(
            owner,
            level,
            r.name,
            r.base,
            r.target,
            plan_end_year=plan_end,
            header_year=r.target_year,
            baseline_header_year=r.base_year,
            page=r.page,
            unit=r.unit,
        )
        for r in rows
    )


def _warning(m: _Measure, outline: Outline) -> str:
    """What is missing from a measure, for the user to fix in the measure table ('' when fine)."""
    notes = []
    if not m.kpi_rows and outline.kpi_evidence:
        notes.append("no KPI found")
    if m.title.endswith(CONTINUATION_ENDINGS):
        notes.append("title may be cut (it ends mid-phrase)")
    return "; ".join(notes)


def outline_to_strategy(outline: Outline, source: str) -> Strategy:
    plan_end = max(outline.plan_years) if outline.plan_years else None
    # The last 計画期間 stated is the strategy's own (a deck states the 人口ビジョン's first).
    if outline.plan_years:
        plan_end = outline.plan_years[-1]
    goals: list[Goal] = []
    measures: list[Measure] = []
    for num in sorted(outline.goals):
        g = outline.goals[num]
        if not g.title and not g.measures:
            continue
        gid = f"G{num}"
        goals.append(
            Goal(
                id=gid,
                title=g.title,
                directions=tuple(g.directions),
                kpis=_kpis(gid, "goal", g.kpi_rows, plan_end),
                page=g.page,
            )
        )
        for n, m in enumerate(g.measures, 1):
            # ids count within the goal (施策N numbered straight through keeps N in its title)
            mid = f"{gid}-M{n}"
            measures.append(
                Measure(
                    id=mid,
                    title=m.title,
                    goal=g.title,
                    goal_id=gid,
                    text="\n".join(m.text),
                    items=tuple(m.items),
                    kpis=_kpis(mid, "measure", m.kpi_rows, plan_end),
                    page=m.page,
                    refs=tuple(m.refs),
                    warning=_warning(m, outline),
                )
            )
    previous = tuple(
        Measure(
            id=f"P{p.num}",
            title=p.title,
            text=f"※ {p.note}" if p.note else "",
            page=p.page,
        )
        for p in sorted(outline.previous.values(), key=lambda x: x.num)
    )
    return Strategy(
        source=source,
        goals=tuple(goals),
        measures=tuple(measures),
        previous=previous,
        city=outline.city,
        edition=outline.edition,
        # a 第N期 stated too names the edition; the year label is kept only without one
        edition_label="" if outline.edition is not None else outline.edition_label,
        period_end=plan_end,
    )


# ── checks: not a strategy, partly understood ───────────────────────────────

# With inferred levels, at least this share of the measures must have KPIs: a strategy states
# KPIs for (nearly) every measure, a report's numbered sections have none.
MIN_MEASURES_WITH_KPIS = 0.25


def looks_like(doc: Document) -> str:
    """What a document that is not a strategy looks like (人口ビジョン, 広報, 会議録 …), from the
    words of ``[structure.not_strategy]`` found earliest in its text; '' when none."""
    text = normalize_chars(doc.text[:20000])
    best: tuple[int, str] | None = None
    for pattern, kind in _config()["structure"]["not_strategy"].items():
        m = re.search(pattern, text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else ""


def drop_prose_chapters(outline: Outline) -> None:
    """With inferred levels, a "goal" none of whose sections has an item or a KPI, in a document
    whose other goals have them, is a chapter of prose (基本的な考え方 with 1-1 計画の期間, 推進体制
    with 5-1 推進会議): dropped. Goals found by typography are numbered again in order."""
    levels = outline.levels
    if levels is None or not levels.inferred:
        return

    def prose(g: _Goal) -> bool:
        return not g.kpi_rows and not any(m.items or m.kpi_rows for m in g.measures)

    real = [n for n, g in sorted(outline.goals.items()) if g.measures and not prose(g)]
    if len(real) < MIN_STYLED_SEGMENTS or len(real) == len(outline.goals):
        return
    # chapters as the goal level (第2章 … 第4章): a chapter holding no measure is prose too
    # (第1章 計画の概要, 第5章 推進体制), and the goals are numbered in order, not by chapter
    chapters = bool(levels.goal) and numbering.family(levels.goal).role == "chapter"
    kept = {n: g for n, g in outline.goals.items() if not ((g.measures or chapters) and prose(g))}
    if levels.goal_style is not None or chapters:
        kept = {i: replace_num(g, i) for i, (_, g) in enumerate(sorted(kept.items()), 1)}
    outline.goals = kept


def replace_num(goal: _Goal, num: int) -> _Goal:
    goal.num = num
    return goal


def check_outline(outline: Outline, doc: Document) -> None:
    """Refuse a document that is not a strategy, with what it looks like and what textkit needs."""
    all_measures = [m for g in outline.goals.values() for m in g.measures]
    measures = len(all_measures)
    with_kpis = sum(1 for m in all_measures if m.kpi_rows)
    inferred = outline.levels is not None and outline.levels.inferred
    any_kpi = with_kpis or any(g.kpi_rows for g in outline.goals.values())
    kind = looks_like(doc)
    if measures and not inferred and (any_kpi or not kind):
        # 基本目標 headings: a strategy, even without KPIs — unless it has none and reads as a
        # newsletter or minutes (an article quoting the 総合戦略's goals)
        return
    # levels inferred without a 基本目標 word: numbered headings alone are not a strategy (a
    # 人口ビジョン has them too); its measures must carry KPIs
    if measures and with_kpis >= MIN_MEASURES_WITH_KPIS * measures:
        return
    if not measures:
        found = "no goals with numbered measures under them"
    elif inferred:
        found = "numbered headings, but " + (
            f"no KPIs under any of their {plural(measures, 'measure')}"
            if with_kpis == 0
            else f"KPIs under only {with_kpis} of their {plural(measures, 'measure')}"
        )
    else:
        found = (
            f"{plural(measures, 'measure')} under 基本目標 headings but no KPI or 数値目標 at all"
        )
    what = f"looks like {kind}, not a 総合戦略 (strategy)" if kind else "is not read as a 総合戦略"
    raise NotAStrategyError(
        f"{what}: textkit found {found}. It needs goals (基本目標1 …, 1．…, Ⅰ …) with numbered "
        "measures under them (①, (1), 施策1：…) and their KPIs; if the measures are in a "
        "spreadsheet, save it as a measure table (CSV with id, goal, title) and use that",
        path=doc.path,
    )


def overview_check(outline: Outline, strategy: Strategy) -> str:
    """'' when the document's 施策体系図 agrees with the body (or it has none), else what differs."""
    if not outline.overview:
        return ""
    key = normalize_chars
    body = {re.sub(r"\s+", "", key(m.title)) for m in strategy.measures}
    listed = {re.sub(r"\s+", "", key(t)) for t in outline.overview}
    missing = sorted(listed - body)
    extra = sorted(body - listed)
    if not missing and not extra:
        return f"the overview table lists the same {plural(len(listed), 'measure')} as the body"
    parts = []
    if missing:
        parts.append(
            f"{len(missing)} listed in the overview but not found in the body: "
            + "、".join(missing[:3])
        )
    if extra:
        parts.append(f"{len(extra)} in the body but not in the overview: " + "、".join(extra[:3]))
    return "the overview table disagrees with the body: " + "; ".join(parts)


def summary(strategy: Strategy) -> str:
    """One line for stderr: ``4 goals, 7 measures, 19 KPIs; 1 measure without KPIs``; a file
    that seems to hold several documents says so (the warning says which pages)."""
    n = plural
    kpis = len(strategy.kpis)
    line = f"{n(len(strategy.goals), 'goal')}, {n(len(strategy.measures), 'measure')}, {n(kpis, 'KPI')}"
    missing = sum(1 for m in strategy.measures if not m.kpis)
    if missing and kpis:
        line += f"; {n(missing, 'measure')} without KPIs"
    warned = sum(1 for m in strategy.measures if m.warning and m.kpis)
    if warned:
        line += f"; {n(warned, 'other measure')} with a warning"
    several = next((w for w in strategy.warnings if w.startswith(SEVERAL_DOCUMENTS)), "")
    if several:
        count = several[len(SEVERAL_DOCUMENTS) :].split()[0]
        line += f"; the file seems to hold {count} documents (see the warning)"
    return line


# ── several documents in one file ───────────────────────────────────────────

# A run of the goal numbering counts as a document of its own when it has at least this share of
# the largest run's measure headings and lines: an overview list or a KPI appendix that repeats the
# numbering has far fewer of both than the body it summarises.
MIN_DOCUMENT_SHARE = 0.5
# What the warning starts with (summary() names it on the stderr line too).
SEVERAL_DOCUMENTS = "the file seems to hold"
PAGE_RANGES_SHOWN = 6  # more documents than this: the first ones and the last are listed


@dataclass
class _Run:
    """One pass of the goal numbering: from a first goal up to the next time it starts again."""

    start: int  # page of its first goal heading
    first_goal: int
    goals: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    measures: int = 0  # measure headings numbered in sequence under its goals
    lines: int = 0  # lines from its first goal heading to its last heading
    last_heading: int = 0  # page of its last goal or measure heading
    seen: int = 0  # lines so far
    in_goal: int = 0  # measures in sequence under the current goal; -1: its list has ended
    last_measure: int = 0  # the last measure number (施策N numbered straight through)
    measured: set[int] = field(default_factory=set)  # goals with measures under them

    def restarts_at(self, num: int) -> bool:
        """The first goal again after a later goal had measures (not a 続き heading of the same
        goal, nor the body after an overview list in another order)."""
        return num == self.first_goal and any(g > num for g in self.measured)

    def goal(self, num: int, title: str, page: int) -> None:
        self.goals.append(num)
        self.titles.append(re.sub(r"\s+", "", title))
        self.in_goal = 0
        self._heading(page)

    def measure(self, num: int, page: int) -> None:
        """A measure heading counts while it continues its goal's list (1, 2, 3 …, or the last
        number + 1 when numbered straight through); numbered lines after the list has ended (the
        next chapter's (1), (2) …) do not."""
        if self.in_goal < 0:
            return
        if num in (self.in_goal + 1, self.last_measure + 1):
            self.in_goal += 1
            self.last_measure = num
            self.measures += 1
            self.measured.add(self.goals[-1])
            self._heading(page)
        elif self.in_goal:
            self.in_goal = -1

    def _heading(self, page: int) -> None:
        self.last_heading = page
        self.lines = self.seen


def goal_runs(lines: list[Line], levels: numbering.Levels) -> list[_Run]:
    """The runs of the goal numbering (基本目標1 … 4, then 1 … 4 again): a new run starts where
    the first goal number comes back after later goals and their measures (an overview list of
    the goals before the body has no measures, so it stays in the run of the body)."""
    probe = _Pass(levels)
    toc = probe.p["frame:toc"]
    runs: list[_Run] = []
    for line in lines:
        if line.kind == "table" or toc.search(line.text):
            continue
        run = runs[-1] if runs else None
        if run is not None:
            run.seen += 1
        hit = probe.goal_match(line.text)
        if hit is not None:
            if run is None or run.restarts_at(hit[0]):
                run = _Run(start=line.page, first_goal=hit[0])
                runs.append(run)
            run.goal(hit[0], hit[1], line.page)
        elif run is not None:
            measure = probe.measure_match(line.text)
            if measure is not None:
                run.measure(measure[1], line.page)
    return runs


def _documents(runs: list[_Run]) -> list[_Run]:
    """Runs that are documents: those as large as the largest; a small run (an appendix listing
    the goals again) belongs to the document before it."""
    if len(runs) < 2:
        return runs
    most_measures = max(r.measures for r in runs)
    most_lines = max(r.lines for r in runs)
    big = [
        r
        for r in runs
        if r.measures >= MIN_DOCUMENT_SHARE * most_measures
        and r.lines >= MIN_DOCUMENT_SHARE * most_lines
    ]
    return big if len(big) >= 2 else runs[:1]


def _starts(docs: list[_Run], lines: list[Line]) -> list[int]:
    """First page of each document: page 1, then for each later one the page where the file's
    first line (its cover title) is printed again before the document's goals, else the page of
    its first goal."""
    first_lines: dict[int, str] = {}
    for line in lines:
        first_lines.setdefault(line.page, re.sub(r"\s+", "", line.text))
    cover = first_lines.get(min(first_lines, default=1), "")
    starts = [min(first_lines, default=1)]
    for before, doc in itertools.pairwise(docs):
        again = [
            p
            for p, text in first_lines.items()
            if before.last_heading < p <= doc.start and cover and text == cover
        ]
        starts.append(min(again) if again else doc.start)
    return starts


def _page_ranges(starts: list[int], last_page: int) -> str:
    ends = [s - 1 for s in starts[1:]] + [last_page]
    ranges = [f"{a}–{b}" if b > a else f"{a}" for a, b in zip(starts, ends, strict=True)]
    if len(ranges) > PAGE_RANGES_SHOWN:
        ranges = [*ranges[: PAGE_RANGES_SHOWN - 2], "…", ranges[-1]]
    return ", ".join(ranges)


def several_documents(lines: list[Line], levels: numbering.Levels) -> str:
    """A warning when the goal numbering starts again as often as there are documents of the
    same size in the file (ten copies of one strategy, or two editions bound together): how many
    documents, on which pages, and whether they repeat the same goal titles; '' for one."""
    docs = _documents(goal_runs(lines, levels))
    if len(docs) < 2:
        return ""
    starts = _starts(docs, lines)
    last_page = max((ln.page for ln in lines), default=starts[-1])
    same = all(d.titles[: len(docs[0].titles)] == docs[0].titles for d in docs[1:])
    if last_page > starts[0]:
        where = f" (pages {_page_ranges(starts, last_page)})"
    else:  # text without pages: where the later ones begin
        later = "the second begins" if len(docs) == 2 else "the later ones begin"
        where = f" ({later} at " + "、".join(f"「{d.titles[0]}」" for d in docs[1:3])
        where += "…)" if len(docs) > 3 else ")"
    again = "once" if len(docs) == 2 else f"{len(docs) - 1} times"
    why = f"the goal numbering starts again {again}" + (
        ", with the same goal titles" if same else ""
    )
    return (
        f"{SEVERAL_DOCUMENTS} {len(docs)} documents{where}: {why}; their goals and measures are "
        "read as one document here (goals of the same number merged), so split the file and "
        "read each document alone"
    )


@dataclass(frozen=True)
class Parsed:
    """Everything the structure stage decided, for ``parse --explain``."""

    strategy: Strategy
    levels: numbering.Levels
    overview: str  # overview_check's sentence


def parse_explained(doc: Document) -> Parsed:
    lines = blocks_to_lines(doc)
    outline = lines_to_outline(lines)
    if not lines:
        raise EmptyDocumentError("the document has no text", path=doc.path)
    if not any(g.measures for g in outline.goals.values()):
        outline = _without_numbered_outline(lines, outline)
    drop_prose_chapters(outline)
    check_outline(outline, doc)
    assign_refs(outline)
    strategy = outline_to_strategy(outline, doc.path)
    assert outline.levels is not None
    several = several_documents(lines, outline.levels)
    for warning in (several, unowned_kpis(outline)):
        if warning:
            warnings.warn(TextkitWarning(f"{doc.path}: {warning}"), stacklevel=2)
            strategy = replace(strategy, warnings=(*strategy.warnings, warning))
    return Parsed(strategy, outline.levels, overview_check(outline, strategy))


def unowned_kpis(outline: Outline) -> str:
    """A warning naming the measure KPI rows that came before their goal's first measure heading
    (a heading the reader missed leaves its KPI table ownerless); '' when there are none."""
    if not outline.unowned_kpis:
        return ""
    by_goal: dict[int, list[str]] = {}
    for num, name, _ in outline.unowned_kpis:
        by_goal.setdefault(num, []).append(name)
    where = "; ".join(f"G{num}: {'、'.join(names)}" for num, names in sorted(by_goal.items()))
    n = len(outline.unowned_kpis)
    return (
        f"{plural(n, 'KPI row')} before the first measure heading of {plural(len(by_goal), 'goal')} "
        f"{verb(n, 'is')} under no measure, not read ({where}); a measure heading may not have "
        "been read: check each such goal's first measure"
    )


def _without_numbered_outline(lines: list[Line], outline: Outline) -> Outline:
    """The body has no numbered outline: the strategy may be laid out as one table, or its
    headings told apart by typography alone."""
    assert outline.levels is not None
    styles = typography_levels(lines)
    numbered = numbered_goals_over_styles(lines)
    tries: list[tuple[str, Style | None, Style, str]] = []
    if styles is not None:
        tries.append(("", styles[0], styles[1], styles[2]))
    if numbered is not None:
        # plain numbered lines each holding the styled goals' style (Ⅰ … over ■ … over ○ …): the
        # top of the nesting is the goal level, the styled one the measures
        on_top = styles is not None and numbered[1] == styles[0]
        tries.insert(0 if on_top else len(tries), (numbered[0], None, numbered[1], numbered[2]))
    for goal_family, goal, measure, why in tries:
        levels = replace(
            outline.levels,
            goal=goal_family or outline.levels.goal,
            measures=() if goal_family else outline.levels.measures,
            goal_style=goal,
            measure_style=measure,
            inferred=True,
            reasons=(*outline.levels.reasons, why),
        )
        styled = lines_to_outline(lines, levels)
        if any(g.measures for g in styled.goals.values()):
            return styled
    if table_outline(lines, outline):
        outline.overview = []  # the table is the outline, not a cross-check of it
        outline.levels = replace(
            outline.levels,
            goal="",
            inferred=True,
            reasons=(
                *outline.levels.reasons,
                "outline: read from a table whose columns name goal / 施策 / 主な取組 / KPI "
                "(the body has no numbered outline of its own)",
            ),
        )
    return outline


def parse_document(doc: Document) -> Strategy:
    """Recover the strategy's structure from an extracted document."""
    return parse_explained(doc).strategy


def explain(parsed: Parsed) -> str:
    """The inferred outline and why, as text (``textkit parse --explain``)."""
    s = parsed.strategy
    out = ["numbering:"] + [f"  {r}" for r in parsed.levels.reasons]
    if parsed.overview:
        out.append(f"cross-check: {parsed.overview}")
    out.append(f"outline: {summary(s)}")
    for g in s.goals:
        out.append(f"  {g.id} {g.title} (p.{g.page}; 数値目標 {len(g.kpis)})")
        for m in (m for m in s.measures if m.goal_id == g.id):
            warn = f"  ⚠ {m.warning}" if m.warning else ""
            out.append(
                f"    {m.id} {m.title} (p.{m.page}; {plural(len(m.items), 'item')}, "
                f"{plural(len(m.kpis), 'KPI')}){warn}"
            )
    return "\n".join(out)
