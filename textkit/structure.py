"""Document → Strategy: recover 基本目標 → 施策 → items → KPIs from extracted blocks.

What goes in: a ``Document`` from ``textkit.extract.read`` (text, Markdown or PDF: blocks in reading
order with pages, tables as ``kind="table"`` blocks). What comes out: a frozen ``Strategy`` with goals
``G1``…, measures ``G{goal}-M{n}``, goal-level 数値目標 and measure-level KPIs, and, when the document
lists the previous edition's 取組 itself (①–⑲ beside each 施策), those as ``Strategy.previous``
(``P{n}``) with each new measure's ``refs``.

All recognisers (numbering schemes, labels, bullets, frames, footnotes, 目次 lines) are named regular
expressions in ``data/structure.toml``; this module is one state machine over cleaned lines:

``blocks_to_lines`` (markup removed, wrapped lines joined) → ``lines_to_outline`` (goals, measures,
raw KPI rows, previous items) → ``assign_refs`` → ``outline_to_strategy``.

Rules worth knowing:

* A goal heading with a lower number than the open goal is a running header, unless the open goal
  has no content yet (then it was an overview list such as Otaru's 「Ⅲ 基本目標」): no duplicates.
* A 【基本的方向】 label after the open goal already has measures starts the next goal (slide decks
  put the goal heading after its content).
* Within a goal, the first measure heading numbered 1 fixes the numbering scheme; only the next
  number in that scheme continues the list, and (with geometry) only at the same left edge. When
  titles are listed one after another (a deck), the one-line descriptions that follow are given
  to them in order, and the list is closed: later circled numbers are not measures.
* Circled entries that are not measures, in a document that names a previous edition's 取組
  (第２期 総合戦略の取組), are that edition's measures. Their correspondence to the new measures is
  read from the layout when blocks carry bounding boxes (the 取組 printed in the row of a 施策);
  plain text has lost the layout, so there the refs stay empty (see ``assign_refs``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ._compat import tomllib
from .errors import EmptyDocumentError
from .kpi import find_year, header_year, make_kpi
from .models import KPI, Document, Goal, Measure, Strategy
from .normalize import CONTINUATION_ENDINGS, normalize_chars

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Two measure titles closer than this (PDF points) at their left edge belong to the same list; a
# neighbouring column (the 取組 beside the 施策) starts hundreds of points away, while a title glued
# to a vertical label character by the extractor moves ~20 pt.
ALIGN_TOLERANCE = 40.0
# A 取組 printed up to this far above its 施策's title line still belongs to that row.
ROW_TOLERANCE = 4.0


@lru_cache(maxsize=1)
def _config() -> dict:
    text = resources.files("textkit").joinpath("data/structure.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    cfg = _config()["structure"]
    out: dict[str, re.Pattern[str]] = {"goal": re.compile(cfg["goal"]["heading"])}
    for name, pat in cfg["measure_schemes"].items():
        out[f"scheme:{name}"] = re.compile(pat)
    for name, pat in cfg["labels"].items():
        out[f"label:{name}"] = re.compile(pat)
    out["bullet"] = re.compile(cfg["bullets"]["item"])
    for name in ("heading", "footnote", "toc", "edition", "city"):
        out[f"frame:{name}"] = re.compile(cfg["frames"][name])
    out["prev_note"] = re.compile(cfg["previous_item"]["note"])
    return out


# ── lines ───────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Line:
    """One cleaned line (or one table) with its provenance."""

    text: str
    page: int
    kind: str  # text | heading | table | vertical
    bbox: tuple[float, float, float, float] | None = None
    rows: tuple[tuple[str, ...], ...] = ()


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
    if p["goal"].match(text) or p["bullet"].match(text) or p["frame:footnote"].match(text):
        return True
    if text[:1] in CIRCLED or text.startswith("【"):
        return True
    return any(k.startswith(("label:", "scheme:")) and v.match(text) for k, v in p.items())


def blocks_to_lines(doc: Document) -> list[Line]:
    """Blocks → cleaned lines; a line ending mid-phrase (、 or a particle) is joined to the next."""
    out: list[Line] = []
    for block in doc.blocks:
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
        for raw in block.text.split("\n"):
            text = clean_text(raw)
            if len(text) < 2:
                # empty, or one character of a vertical label (施 / 策) left unjoined
                continue
            # 【label】 glued to the end of another line (…整備します【基本的方向】) starts a line.
            parts = re.split(r"(?<=\S)(?=【[^】]{1,12}】)", text)
            for part in parts:
                out.append(Line(part.strip(), block.page, block.kind, block.bbox))
    joined: list[Line] = []
    for line in out:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.kind != "table"
            and line.kind != "table"
            and prev.text.endswith(CONTINUATION_ENDINGS)
            and not _starts_structure(line.text)
            and not _patterns()["frame:footnote"].match(prev.text)
        ):
            joined[-1] = Line(prev.text + line.text, prev.page, prev.kind, prev.bbox)
        else:
            joined.append(line)
    return joined


# ── outline (mutable while parsing, frozen at the end) ──────────────────────


@dataclass
class _Measure:
    num: int
    title: str
    page: int
    bbox: tuple[float, float, float, float] | None
    text: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    kpi_rows: list[tuple[str, str, str, int | None, int | None, int]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(self.text or self.items or self.kpi_rows)


@dataclass
class _Goal:
    num: int
    title: str = ""
    page: int | None = None
    directions: list[str] = field(default_factory=list)
    kpi_rows: list[tuple[str, str, str, int | None, int | None, int]] = field(default_factory=list)
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


def _measure_match(text: str) -> tuple[str, int, str] | None:
    """(scheme, number, title) if ``text`` is a numbered heading in any scheme."""
    for key, pat in _patterns().items():
        if not key.startswith("scheme:"):
            continue
        m = pat.match(text)
        if not m:
            continue
        groups = m.groupdict()
        num = CIRCLED.index(groups["circ"]) + 1 if groups.get("circ") else int(groups["num"])
        title = groups.get("title") or groups.get("title2") or ""
        return key.removeprefix("scheme:"), num, title.strip()
    return None


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


def lines_to_outline(lines: list[Line]) -> Outline:
    p = _patterns()
    kcfg = _config()["kpi"]
    out = Outline()
    cur: _Goal | None = None
    mode = "none"
    title_prev: Line | None = None
    table_ctx: tuple[str, int | None, int | None] | None = None
    plan_lines = 0

    for idx, line in enumerate(lines):
        text = line.text
        if idx < 40 and not out.city:
            m = p["frame:city"].search(text)
            if m:
                out.city = m.group("city")
        if idx < 40 and out.edition is None:
            m = p["frame:edition"].search(text)
            if m:
                out.edition = int(m.group("edition"))
        if plan_lines:
            plan_lines -= 1
            years = [y for y in find_year(text) if y] + [
                int(y) for y in re.findall(r"(?<!\d)(20\d{2})(?!\d)", text)
            ]
            if years:
                out.plan_years.append(max(years))
                plan_lines = 0

        # tables: KPI tables by their header row; anything else (overviews, opinions) is ignored
        if line.kind == "table":
            for row in line.rows:
                cells = [c for c in row]
                joined = " ".join(cells)
                if re.search(kcfg["header_baseline"], joined) and re.search(
                    kcfg["header_target"], joined
                ):
                    level = "goal" if re.search(kcfg["goal_header"], cells[0]) else "measure"
                    b_idx = next(
                        (i for i, c in enumerate(cells) if re.search(kcfg["header_baseline"], c)),
                        1,
                    )
                    t_idx = next(
                        (i for i, c in enumerate(cells) if re.search(kcfg["header_target"], c)),
                        2,
                    )
                    table_ctx = (level, header_year(cells[b_idx]), header_year(cells[t_idx]))
                    continue
                if table_ctx is None or cur is None or len([c for c in cells if c]) < 2:
                    continue
                name = cells[0]
                if not name:
                    continue
                base = cells[-2] if len(cells) >= 3 else ""
                target = cells[-1]
                level, by, ty = table_ctx
                rec = (name, base, target, by, ty, line.page)
                if level == "goal":
                    cur.kpi_rows.append(rec)
                elif cur.measures:
                    cur.measures[-1].kpi_rows.append(rec)
                    cur.lines_since_measure += 1
            continue

        if p["frame:toc"].search(text) and len(text) < 80:
            continue
        if p["frame:footnote"].match(text):
            mode = "footnote"
            continue

        gm = p["goal"].match(text)
        if gm:
            num = int(gm.group("num"))
            title = gm.group("title").strip()
            table_ctx = None
            if cur is None or num > cur.num or (num != cur.num and not cur.has_content):
                cur = out.goals.setdefault(num, _Goal(num))
            if cur.num == num and cur.measures:
                # the same goal's heading printed again (a deck prints it beside its 施策)
                if title and not cur.title:
                    cur.title = title
                continue
            if cur.num == num:
                if title and not cur.title:
                    cur.title = title
                if cur.page is None or not cur.has_content:
                    cur.page = line.page
                mode = "title"
                title_prev = line if title else None
            continue

        if len(text) <= _config()["structure"]["max_heading_chars"] and p["frame:heading"].match(
            text
        ):
            cur, mode, table_ctx = None, "frame", None
            if _config()["structure"]["frames"]["plan_period"] in text:
                plan_lines = 2
                years = [y for y in find_year(text) if y]
                if years:
                    out.plan_years.append(max(years))
                    plan_lines = 0
            continue

        if p["label:previous"].match(text):
            out.has_previous_label = True
            if cur is not None:
                mode = "previous"
            continue

        if cur is None and p["label:directions"].match(text):
            # a deck's 【基本的方向】 printed before its goal heading opens the next goal
            nxt = max(out.goals, default=0) + 1
            cur = out.goals.setdefault(nxt, _Goal(nxt, page=line.page))
            mode = "directions"
            continue
        if cur is None:
            continue

        # the goal's title: the heading's own text, or the next line(s)
        if mode == "title":
            if not _starts_structure(text) and (
                title_prev is None
                or title_prev.text.endswith(CONTINUATION_ENDINGS)
                or (title_prev.kind == "heading" and line.kind == "heading")
            ):
                if title_prev is None and not cur.title:
                    cur.title = text
                title_prev = line
                continue
            mode = "goal"

        if p["label:directions"].match(text):
            if cur.measures:
                # a deck: the next goal's content starts before its heading
                cur = out.goals.setdefault(cur.num + 1, _Goal(cur.num + 1, page=line.page))
            mode, table_ctx = "directions", None
            continue
        m = p["label:numeric_targets"].match(text)
        if m:
            rest = m.group("rest").strip()
            for name in _split_names(rest):
                cur.kpi_rows.append((name, "", "", None, None, line.page))
            mode = "goal_kpi"
            continue
        if p["label:items"].match(text):
            mode = "items"
            continue
        if p["label:measures"].match(text):
            mode = "body"
            continue
        if p["label:kpi_header"].match(text):
            mode = "measure_kpi"
            continue

        mm = _measure_match(text)
        if mm and _accept_measure(cur, mm, line):
            scheme, num, title = mm
            if num == 1 and cur.measures:
                cur.measures.clear()
                cur.list_layout = cur.list_closed = False
            if num == 2 and cur.lines_since_measure == 0:
                cur.list_layout = True
            cur.scheme = scheme
            # a row glued across columns (①施策 ⑮取組 ⑯取組): the rest are entries beside it
            beside = _split_circled(title) if title[:1] in CIRCLED else []
            rest = re.split(rf"(?=[{CIRCLED}])", title, maxsplit=1)
            if len(rest) == 2 and rest[0].strip():
                title, beside = rest[0].strip(), _split_circled(rest[1])
            measure = _Measure(num, title, line.page, line.bbox)
            cur.measures.append(measure)
            for n2, t2 in beside:
                nm = p["prev_note"].search(t2)
                out.previous.setdefault(
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
            mode, table_ctx = "body", None
            continue
        if mm or text[:1] in CIRCLED:
            entries = _split_circled(text)
            if entries and text[:1] in CIRCLED:
                for num, title in entries:
                    note = ""
                    nm = p["prev_note"].search(title)
                    raw_title = clean_text(line.text, keep_notes=True)
                    for n2, t2 in _split_circled(raw_title):
                        if n2 == num:
                            nm = p["prev_note"].search(t2)
                            if nm:
                                note = nm.group("note").strip()
                                title = t2[: nm.start()].strip()
                    if num not in out.previous:
                        out.previous[num] = _Previous(
                            num, title, note, line.page, line.bbox, cur.num
                        )
                if cur.measures:
                    cur.lines_since_measure += 1
                    if cur.list_layout:
                        cur.list_closed = True
                continue
            if mm:
                # a numbered line of another scheme (the previous edition's goals): not prose
                continue

        bm = p["bullet"].match(text)
        if bm:
            item = bm.group("text").strip()
            if mode == "directions":
                cur.directions.append(item)
            elif cur.measures and mode in ("items", "body"):
                cur.measures[-1].items.append(item)
                cur.lines_since_measure += 1
                mode = "items"
            continue

        # plain text
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
    return out


def _accept_measure(goal: _Goal, match: tuple[str, int, str], line: Line) -> bool:
    scheme, num, title = match
    if len(title) > _config()["structure"]["max_heading_chars"] or title.endswith("。"):
        return False
    if goal.scheme is None or not goal.measures:
        return num == 1
    if scheme != goal.scheme:
        return False
    if num == 1:
        return not any(m.has_content for m in goal.measures)
    if num != len(goal.measures) + 1 or goal.list_closed:
        return False
    first = goal.measures[0].bbox
    return not (
        first is not None
        and line.bbox is not None
        and goal.measures[0].page == line.page
        and abs(first[0] - line.bbox[0]) > ALIGN_TOLERANCE
    )


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


def _kpis(owner: str, level: str, rows, plan_end: int | None) -> tuple[KPI, ...]:
    return tuple(
        make_kpi(
            owner,
            level,
            name,
            base,
            target,
            plan_end_year=plan_end,
            header_year=ty,
            baseline_header_year=by,
            page=page,
        )
        for name, base, target, by, ty, page in rows
    )


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
        for m in g.measures:
            mid = f"{gid}-M{m.num}"
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
        period_end=plan_end,
    )


def parse_document(doc: Document) -> Strategy:
    """Recover the strategy's structure from an extracted document."""
    outline = lines_to_outline(blocks_to_lines(doc))
    assign_refs(outline)
    strategy = outline_to_strategy(outline, doc.path)
    if not strategy.measures:
        raise EmptyDocumentError(
            "no 基本目標 / 施策 structure was found; textkit expects headings such as "
            "「基本目標1 …」 followed by numbered measures (1 …, ① …). If the measures are in a "
            "spreadsheet, save it as a measure table (CSV with id, goal, title) and use that",
            path=doc.path,
        )
    return strategy
