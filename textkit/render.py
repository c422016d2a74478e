"""Reports for people: ``ContinuityMap`` (+ ``KPIAudit``, ``Strategy``, counterparts) → an Excel
workbook staff can review (``write_workbook``) and a self-contained HTML page (``write_html``).

Both are reproducible: the workbook has fixed document properties and zip timestamps, so the same
input gives the same bytes; the HTML differs only in its one "作成" timestamp line.
The workbook's 対応表 sheet is what ``textkit.review.apply_workbook`` reads back.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .kpi_attainment import (
    DIRECTION_JA,
    STATUS_JA,
    Attainment,
    AttainmentRow,
    AttainmentStatus,
    PeriodRule,
)
from .models import (
    ContinuityMap,
    Counterpart,
    Decision,
    Evidence,
    KPIAudit,
    KPIStatus,
    Link,
    Measure,
    Relation,
    ReviewedMap,
    ReviewRecord,
    Rule,
    Strategy,
)
from .tables import save_workbook, write_text, xlsx_cell
from .workbook import (
    ATTAINMENT_HEADER,
    DECISION_JA,
    EVIDENCE_SEPARATOR,
    KPI_STATUS_JA,
    LEVEL_JA,
    MAP_COLUMNS,
    MAP_VISIBLE,
    MEASURES_HEADER,
    META_COLUMNS,
    META_FORMAT,
    META_MAPPINGS,
    META_NEW,
    META_NEW_LABEL,
    META_NEW_SOURCE,
    META_OLD,
    META_OLD_LABEL,
    META_OLD_SOURCE,
    META_REVISION,
    NEEDS_REVIEW_JA,
    RELATION_JA,
    REVIEW_APPROVE,
    REVIEW_CHOICES,
    REVIEW_REJECT,
    SHEET_ATTAINMENT,
    SHEET_DROPPED,
    SHEET_HELP,
    SHEET_KPI,
    SHEET_MAP,
    SHEET_MEASURES,
    SHEET_META,
    SHEET_NEW,
    SHEET_SUMMARY,
    SHEET_WRITTEN,
    WORKBOOK_FORMAT,
    WRITTEN_HEADER,
    edition_labels,
    kpi_header,
    map_header,
    pair_names,
    pair_title,
    side_labels,
    source_name,
)

# Colours by relation: strong for the Sankey, pale tints for Excel row fills (text stays legible).
RELATION_COLOUR = {
    Relation.KEPT: "#2e7d32",
    Relation.MERGED: "#1565c0",
    Relation.SPLIT: "#6a1b9a",
    Relation.RESTRUCTURED: "#ef6c00",
    Relation.NEW: "#f9a825",
    Relation.DROPPED: "#c62828",
}
RELATION_FILL = {
    Relation.KEPT: "E8F5E9",
    Relation.MERGED: "E3F2FD",
    Relation.SPLIT: "F3E5F5",
    Relation.RESTRUCTURED: "FFF3E0",
    Relation.NEW: "FFFDE7",
    Relation.DROPPED: "FFEBEE",
}
HEADER_FILL = "D9D9D9"
# Attainment status: strong for the HTML counts and charts, pale for Excel row fills.
STATUS_COLOUR = {
    AttainmentStatus.ACHIEVED: "#2e7d32",
    AttainmentStatus.BEHIND: "#ef6c00",
    AttainmentStatus.NO_DATA: "#9e9e9e",
}
STATUS_FILL = {
    AttainmentStatus.ACHIEVED: "E8F5E9",
    AttainmentStatus.BEHIND: "FFF3E0",
    AttainmentStatus.NO_DATA: "F5F5F5",
}
# Widest column in characters of display width: longer text wraps instead (施策 titles are 10–40
# full-width characters; 60 half-width cells keeps a row readable on a laptop screen).
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 6
# Fixed document timestamp so identical input gives identical workbook bytes.
FIXED_TIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
# Rejected links (却下) stay in 対応表 with their 備考, greyed out.
REJECTED_FILL = "EEEEEE"
# 要確認 cells (a link made by its rank, not by strong evidence): amber, apart from every 区分 fill.
NEEDS_REVIEW_FILL = "FFD966"
# 区分 column: a 2-character word (4 cells) plus the filter button.
RELATION_COLUMN_WIDTH = 8


def help_lines(labels: tuple[str, str] | None = None) -> tuple[str, ...]:
    """The 使い方 sheet, naming the editions as the 対応表 headers do."""
    o, n = side_labels(labels)
    return (
        "1. 対応表の各行の「確認」を選びます: 承認（このままでよい）・修正（ID や区分を直した）・"
        "却下（この対応はない）・保留（まだ決めない）。",
        f"2. 対応が違うときは {n} ID（または {o} ID）を選び直し、確認を 修正 にします。"
        "ID は 施策一覧 にあるものから選べます。",
        f"3. 表にない対応は、表の下の空いた行に {o} ID・{n} ID・区分 を書いて追加します"
        "（追加した行は 修正 として記録されます）。",
        "4. 備考 には理由などを自由に書けます。変えていない行は何も変えません。"
        "行を削除しても何も決まりません（対応は残ります）。対応がないときは 却下 を選んでください"
        "（削除した行は review apply のときに警告で示されます）。",
        "5. 保存したら textkit review apply <このファイル> で判断を記録します。"
        "記録は mappings/ に残り、以前の版は mappings/history/ に保存されます。",
        "6. 作成後に別のブックで判断が記録されていた行、また作成後に同じ施策（"
        f"{o} ID）について判断が記録されていた行は上書きされず、スキップした行が表示されます"
        "（新しいブックを作って決め直してください）。",
        "区分・ID・確認 に一覧にない値を貼り付けた行、ID と合わない区分（両方の ID がある行の"
        "廃止・新規）の行は 保留 として記録され（入力した値は 備考 に残ります）、警告で示されます。"
        "ほかの行はそのまま記録されます。対応がないことは 却下 で示してください。",
        "区分（継続・統合・分割・再編）は対応の形から自動で決まります。区分を変えて 確認 を 修正"
        "（または 承認）にすると、その区分が判断として記録され、次のブック・対応表・HTML にも"
        "そのまま表示されます（後で対応の形が変わったときは警告し、要確認 にします）。確認 を"
        "空欄のまま区分だけを変えても何も記録されません（review apply のときに警告で示されます）。"
        "追加した行の区分は対応の形から決まります。",
        "却下した行は灰色で残り、区分は空欄です（対応がないため）。その施策にほかの対応がなければ、"
        "廃止（または新規）の行が別に表示されます。却下を取り消すには確認を 承認 にします。",
        "要確認 の行は類似度が低く、ほかに良い候補がないために対応づけた行です。特に確かめてください。",
    )


# Empty rows below the table that still get the 確認/区分 drop-downs, for links added by hand.
SPARE_ROWS = 200


def display_width(text: str) -> int:
    """Width of the longest line, East Asian wide/full-width characters counting 2."""
    lines = str(text).splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in ln) for ln in lines)


def circled(number: int) -> str:
    """1 → ①, … 20 → ⑳, 21 → ㉑ … 35 (the 取組 numbers as the documents print them)."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if 21 <= number <= 35:
        return chr(0x3251 + number - 21)
    return f"({number})"


def evidence_text(link: Link) -> str:
    """根拠: the stated reference (記載あり: ⑮) or the terms both measures share."""
    if link.evidence is Evidence.STATED and _relation(link) in (Relation.NEW, Relation.DROPPED):
        return "記載あり（対応なし）"
    if link.evidence is Evidence.STATED:
        num = link.old_id[1:] if link.old_id.startswith("P") else ""
        return f"記載あり: {circled(int(num))}" if num.isdigit() else "記載あり"
    if link.evidence is Evidence.REVIEWED and not link.matched_terms:
        return "確認済み"
    terms = "・".join(link.matched_terms)
    why = signals_text(link)
    return f"{terms}{EVIDENCE_SEPARATOR}{why}" if why else terms


RULE_JA = {
    Rule.MUTUAL_BEST: "相互最良",
    Rule.MUTUAL_BEST_REST: "残りで相互最良",
    Rule.MERGE: "統合",
    Rule.SPLIT: "分割",
    Rule.ORDER_GAP: "順序の空き",
}
SIGNAL_JA = {
    "title_word": "名称語",
    "full_word": "全文語",
    "char": "文字",
    "fuzz_title": "名称一致",
    "concept": "類義語",
    "synonym": "同義語",
    "goal": "基本目標",
    "semantic_title": "名称の意味",
    "semantic_cross": "名称と全文の意味",
    "goal_context": "基本目標全体の意味",
    "neighbours": "前後の対応",
    "title_in_text": "名称の語が全文に",
    "both_described": "両方に説明",
    "sentence_title": "名称の文意",
    "sentence_cross": "名称と全文の文意",
    "sentence_full": "全文の文意",
    "goal_anchor": "基本目標の対応",
    "sentence_goal": "基本目標の文意",
}
SIGNALS_SHOWN = 3  # strongest per-signal scores shown in 根拠 (all are in the map's signals column)


def signals_text(link: Link) -> str:
    """``相互最良: 全文の意味 0.62, 全文語 0.41``: the rule and the strongest per-signal scores."""
    top = sorted((v, n) for n, v in link.signals if v > 0)[::-1][:SIGNALS_SHOWN]
    parts = ", ".join(f"{SIGNAL_JA.get(n, n)} {v:.2f}" for v, n in top)
    rule = RULE_JA.get(link.rule) if link.rule else ""
    return f"{rule}: {parts}" if rule and parts else rule or parts


def _relation(link: Link) -> Relation:
    return Relation(link.relation)


def _score_value(score: float | None) -> float | str:
    return "" if score is None else round(score, 3)


def _measure_index(strategy: Strategy | None, previous: bool = False) -> dict[str, Measure]:
    if strategy is None:
        return {}
    return {m.id: m for m in (strategy.previous if previous else strategy.measures)}


def _old_measures(old: Strategy | None) -> dict[str, Measure]:
    # The same document can carry both editions (Tomakomai's deck lists 第2期 取組 as previous).
    if old is not None and not old.measures and old.previous:
        return _measure_index(old, previous=True)
    return _measure_index(old)


def _pattern(link: Link, olds: dict[str, Measure], news: dict[str, Measure]) -> int:
    """The evidence pattern the aligner scored a link by (``similarity.pattern_of``), when the
    bundled settings score by patterns and the measures are known."""
    from .settings import resolve
    from .similarity import pattern_of

    if not resolve(None).evidence_patterns:
        return 0
    return pattern_of(olds.get(link.old_id), news.get(link.new_id))


def _goal(m: Measure | None) -> str:
    return m.goal if m else ""


# ── summary figures ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Summary:
    """The 概要 figures shown in both reports."""

    relations: tuple[tuple[Relation, int], ...]
    kpi_statuses: tuple[tuple[KPIStatus, int], ...]
    dropped_kpis_of_continuing: int  # 廃止 KPIs whose measure lives on in NEW


def summarise(cmap: ContinuityMap, audit: KPIAudit | None = None) -> Summary:
    from .audit import measure_continues

    counts = cmap.counts()
    statuses: dict[KPIStatus, int] = {s: 0 for s in KPIStatus}
    continuing = 0
    for c in audit.changes if audit else ():
        status = KPIStatus(c.status)
        statuses[status] += 1
        if measure_continues(c, cmap):
            continuing += 1
    return Summary(
        relations=tuple((r, counts[r.value]) for r in Relation),
        kpi_statuses=tuple(statuses.items()),
        dropped_kpis_of_continuing=continuing,
    )


# ── Excel workbook ──────────────────────────────────────────────────────────


def _map_rows(cmap: ContinuityMap, reviewed: ReviewedMap | None = None) -> list[list[Any]]:
    """対応表 rows: every link of the map with the decision recorded for it, then each rejected
    link (却下, with its 備考) beside its measures; the hidden 元の… cells repeat what the row
    shows so that apply_workbook can tell which rows the reviewer changed."""
    records = {r.key: r for r in (reviewed.records if reviewed else ())}

    def row(
        x: Link | ReviewRecord, relation: Relation | None, decision: str, note: str
    ) -> list[Any]:
        score = x.score if isinstance(x, Link) else None
        evidence = evidence_text(x) if isinstance(x, Link) else "確認済み"
        return [
            x.old_id,
            x.old_title,
            x.new_id,
            x.new_title,
            RELATION_JA[relation] if relation is not None else "",
            _score_value(score),
            evidence,
            decision,
            note,
            NEEDS_REVIEW_JA if isinstance(x, Link) and x.needs_review else "",
            x.old_id,
            x.new_id,
            decision,
            note,
        ]

    rows: list[tuple[tuple[int, int], list[Any]]] = []
    order_new = {x.new_id: i for i, x in enumerate(cmap.links) if x.new_id}
    order_old = {x.old_id: i for i, x in enumerate(cmap.links) if x.old_id}
    for i, x in enumerate(cmap.links):
        r = records.get((x.old_id, x.new_id))
        if r is not None and r.decision is not Decision.REJECT:
            decision = DECISION_JA[r.decision]
        else:
            decision = REVIEW_APPROVE if x.reviewed else ""
        rows.append(((i, 0), row(x, _relation(x), decision, x.reviewer_note)))
    for r in records.values():
        if r.decision is Decision.REJECT:
            at = order_new.get(r.new_id, order_old.get(r.old_id, len(cmap.links)))
            # a rejected link is no link: no 区分 (its measures' own rows say what they became)
            relation = None if r.old_id and r.new_id else Relation(r.relation)
            rows.append(((at, 1), row(r, relation, REVIEW_REJECT, r.note)))
    return [r for _, r in sorted(rows, key=lambda t: t[0])]


def _kpi_rows(audit: KPIAudit | None, cmap: ContinuityMap) -> list[list[Any]]:
    from .audit import measure_continues

    rows = []
    for c in audit.changes if audit else ():
        cont = measure_continues(c, cmap)
        rows.append(
            [
                KPI_STATUS_JA[KPIStatus(c.status)],
                c.old_name,
                c.old_target,
                c.new_name,
                c.new_target,
                _score_value(c.score),
                c.old_measure_id,
                c.new_measure_id,
                "" if cont is None else ("はい" if cont else "いいえ"),
                c.note,
            ]
        )
    return rows


def _all_measures(
    cmap: ContinuityMap,
    old: Strategy | None,
    new: Strategy | None,
    labels: tuple[str, str],
) -> list[tuple[str, str, str, str]]:
    """(期, ID, 施策, 基本目標) for every measure of both sides, strategies first, map fills gaps;
    期 is the side's label (``labels``, already told apart by ``side_labels``)."""
    olds, news = _old_measures(old), _measure_index(new)
    o, n = labels
    out: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for m in olds.values():
        out[(o, m.id)] = (o, m.id, m.title, m.goal)
    for m in news.values():
        out[(n, m.id)] = (n, m.id, m.title, m.goal)
    for x in cmap.links:
        if x.old_id:
            out.setdefault((o, x.old_id), (o, x.old_id, x.old_title, ""))
        if x.new_id:
            out.setdefault((n, x.new_id), (n, x.new_id, x.new_title, ""))
    return list(out.values())


def table_sheet(
    wb: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], first: bool = False
):
    """A sheet of ``wb`` holding a header and rows: bold grey header, wrapped cells, columns as wide
    as their text (within limits), frozen header and an auto-filter. ``first`` reuses the active
    sheet."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([xlsx_cell(h) for h in header])
    for r in rows:
        ws.append([xlsx_cell(v) for v in r])
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for idx, col in enumerate(ws.iter_cols(), start=1):
        width = max(display_width(c.value if c.value is not None else "") for c in col)
        letter = openpyxl.utils.get_column_letter(idx)
        ws.column_dimensions[letter].width = max(MIN_COLUMN_WIDTH, min(MAX_COLUMN_WIDTH, width + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    return ws


def build_workbook(
    cmap: ContinuityMap,
    *,
    audit: KPIAudit | None = None,
    old: Strategy | None = None,
    new: Strategy | None = None,
    attainment: Attainment | None = None,
    attainment_edition: str = "",
    reviewed: ReviewedMap | None = None,
    labels: tuple[str, str] | None = None,
    sources: tuple[str, str] | None = None,
    mappings: str = "",
):
    """The review workbook as an ``openpyxl.Workbook`` (``write_workbook`` saves it); with
    ``attainment``, a 達成状況 sheet too (``attainment_sheet``). ``labels``: the two editions as
    staff call them (default: from the documents, ``edition_labels``). ``sources``: the
    editions' files as the hidden sheet names them (default: the documents' sources)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.properties.creator = "textkit"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    olds, news = _old_measures(old), _measure_index(new)
    old_name, new_name = pair_names(
        old.source if old else cmap.old_source, new.source if new else cmap.new_source
    )
    stated = labels or edition_labels(old, new)
    sides = side_labels(stated)  # the words of the headers and of 施策一覧's 期 column
    measures = _all_measures(cmap, old, new, sides)
    overview = Overview(old_name, new_name, pair_title(old, new, stated), sides)
    _overview_sheet(wb, cmap, audit, overview, measures)
    written = _map_sheet(wb, cmap, reviewed, measures, sides)
    new_rows = [
        [x.new_id, x.new_title, _goal(news.get(x.new_id))]
        for x in cmap.links
        if _relation(x) is Relation.NEW
    ]
    table_sheet(wb, SHEET_NEW, (f"{sides[1]} ID", f"{sides[1]} 施策", "基本目標"), new_rows)
    dropped_rows = [
        [x.old_id, x.old_title, _goal(olds.get(x.old_id))]
        for x in cmap.links
        if _relation(x) is Relation.DROPPED
    ]
    table_sheet(wb, SHEET_DROPPED, (f"{sides[0]} ID", f"{sides[0]} 施策", "基本目標"), dropped_rows)
    kpi_rows = _kpi_rows(audit, cmap) or [["", _no_kpis(old, new, sides)]]
    table_sheet(wb, SHEET_KPI, kpi_header(sides), kpi_rows)
    # 施策一覧: every ID a reviewer may type into 対応表 (apply_workbook validates against it).
    table_sheet(wb, SHEET_MEASURES, MEASURES_HEADER, measures)
    if sources is None:
        sources = (old.source if old else cmap.old_source, new.source if new else cmap.new_source)
    _help_and_meta(wb, overview, reviewed, sources, mappings, written)
    if attainment is not None:
        attainment_sheet(wb, attainment, edition=attainment_edition)
    return wb


def _no_kpis(old: Strategy | None, new: Strategy | None, sides: tuple[str, str]) -> str:
    """What the KPI監査 sheet says when there is no audit: which side has no KPIs."""
    missing = [
        f"{label} の資料に KPI が見つかりません（--{flag}-kpis で KPI 表を指定できます）"
        for label, side, flag in ((sides[0], old, "old"), (sides[1], new, "new"))
        if side is None or not side.kpis
    ]
    return "。".join(missing) or "KPI の対応はありません"


@dataclass(frozen=True)
class Overview:
    """What the workbook is about: the pair's file names (data, never paths), its title in the
    documents' terms (「苫小牧市 第2期 → 第3期」) and the two editions' header words."""

    old_name: str
    new_name: str
    title: str
    sides: tuple[str, str]


def _overview_sheet(
    wb: Any,
    cmap: ContinuityMap,
    audit: KPIAudit | None,
    about: Overview,
    measures: Sequence[tuple[str, str, str, str]],
) -> None:
    """概要: the pair (as the documents name it: city and editions), how many measures each side
    has, and the 対応表 rows per 区分 (a measure linked to several counts once per link: the
    header says so)."""
    from openpyxl.styles import Font

    summary = summarise(cmap, audit)
    o, n = about.sides
    overview: list[list[Any]] = [
        [f"{o} 資料", about.old_name],
        [f"{n} 資料", about.new_name],
        ["対象", about.title],
        [f"{o} 施策数", sum(1 for m in measures if m[0] == o)],
        [f"{n} 施策数", sum(1 for m in measures if m[0] == n)],
        ["", ""],
        ["施策の区分（対応表の行数）", "件数"],
        *[[RELATION_JA[r], n] for r, n in summary.relations],
    ]
    if audit is not None:
        overview += [
            ["", ""],
            ["KPI監査（指標数）", "件数"],
            *[[KPI_STATUS_JA[s], n] for s, n in summary.kpi_statuses],
            ["廃止KPIのうち施策は継続", summary.dropped_kpis_of_continuing],
        ]
    ws = table_sheet(wb, SHEET_SUMMARY, ("項目", "値"), overview, first=True)
    ws.auto_filter.ref = None
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "件数":
            row[0].font = row[1].font = Font(bold=True)


def _choice_list(formula: str, column: str, message: str):
    """A drop-down that refuses anything else typed in Excel (error style stop), saying in
    Japanese what to choose; an empty cell stays allowed."""
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell arrow in Excel
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=f"{column} に入力できない値です",
        error=message,
    )


def _map_sheet(
    wb: Any,
    cmap: ContinuityMap,
    reviewed: ReviewedMap | None,
    measures: Sequence[tuple[str, str, str, str]],
    sides: tuple[str, str],
) -> list[tuple[str, str, str]]:
    """対応表: one row per link (and per rejected link), fills by 区分, drop-downs for 確認, 区分
    and both IDs (from 施策一覧), the hidden 元の… columns; returns the rows' (old, new) IDs."""
    import openpyxl
    from openpyxl.styles import PatternFill

    map_rows = _map_rows(cmap, reviewed)
    header = map_header(sides)
    ws = table_sheet(wb, SHEET_MAP, header, map_rows)
    by_label = {ja: r for r, ja in RELATION_JA.items()}
    k_rel, k_review, k_decision = (
        MAP_COLUMNS.index(role) for role in ("relation", "needs_review", "decision")
    )
    relation_col, decision_col = (
        openpyxl.utils.get_column_letter(k + 1) for k in (k_rel, k_decision)
    )
    flag_fill = PatternFill("solid", fgColor=NEEDS_REVIEW_FILL)
    for n, values in enumerate(map_rows, start=2):
        colour = (
            REJECTED_FILL
            if values[k_decision] == REVIEW_REJECT
            else RELATION_FILL[by_label[values[k_rel]]]
        )
        fill = PatternFill("solid", fgColor=colour)
        for cell in ws[n]:
            cell.fill = fill
        if values[k_review]:
            ws.cell(row=n, column=k_review + 1).fill = flag_fill
    last = len(map_rows) + 1 + SPARE_ROWS
    review_dv = _choice_list(
        '"' + ",".join(REVIEW_CHOICES) + '"',
        "確認",
        "・".join(REVIEW_CHOICES) + " のいずれかを選んでください（空欄はまだ決めていない行です）",
    )
    review_dv.add(f"{decision_col}2:{decision_col}{last}")
    relation_dv = _choice_list(
        '"' + ",".join(RELATION_JA.values()) + '"',
        "区分",
        "・".join(RELATION_JA.values()) + " のいずれかを選んでください",
    )
    relation_dv.add(f"{relation_col}2:{relation_col}{last}")
    ws.add_data_validation(review_dv)
    ws.add_data_validation(relation_dv)
    # 施策一覧 lists each edition's ids in one block (its sheet is written after this one).
    for edition, column in ((sides[0], "A"), (sides[1], "C")):
        rows_of = [i for i, m in enumerate(measures, start=2) if m[0] == edition]
        if rows_of:
            ids_dv = _choice_list(
                f"'{SHEET_MEASURES}'!$B${rows_of[0]}:$B${rows_of[-1]}",
                f"{edition} ID",
                f"{SHEET_MEASURES} にある {edition} の ID を選んでください",
            )
            ids_dv.add(f"{column}2:{column}{last}")
            ws.add_data_validation(ids_dv)
    for idx in range(MAP_VISIBLE + 1, len(header) + 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(idx)].hidden = True
    # 区分 holds at most a 2-character word: wide enough for the header's filter button too.
    width = max(ws.column_dimensions[relation_col].width, RELATION_COLUMN_WIDTH)
    ws.column_dimensions[relation_col].width = width
    k_old, k_new = (MAP_COLUMNS.index(role) for role in ("orig_old_id", "orig_new_id"))
    return [(values[k_old] or "", values[k_new] or "", values[k_rel] or "") for values in map_rows]


def _help_and_meta(
    wb: Any,
    about: Overview,
    reviewed: ReviewedMap | None,
    sources: tuple[str, str] = ("", ""),
    mappings: str = "",
    written: Sequence[tuple[str, str, str]] = (),
) -> None:
    """使い方 (how to review, in a few lines) and the hidden sheets of what the workbook was made
    from (read back by apply_workbook): the pair's names, the revision, the two editions' files
    as given, the editions' header words and the 対応表 columns in order; the 対応表 rows as
    written (``written``: their IDs and 区分)."""
    ws = table_sheet(wb, SHEET_HELP, ("使い方",), [[line] for line in help_lines(about.sides)])
    ws.auto_filter.ref = None
    ws.column_dimensions["A"].width = MAX_COLUMN_WIDTH + 40
    meta = wb.create_sheet(SHEET_META)
    for key, value in (
        (META_FORMAT, WORKBOOK_FORMAT),
        (META_OLD, about.old_name),
        (META_NEW, about.new_name),
        (META_REVISION, reviewed.revision if reviewed else 0),
        (META_OLD_SOURCE, sources[0]),
        (META_NEW_SOURCE, sources[1]),
        (META_OLD_LABEL, about.sides[0]),
        (META_NEW_LABEL, about.sides[1]),
        (META_COLUMNS, " ".join(MAP_COLUMNS)),
        (META_MAPPINGS, mappings),
    ):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    rows = wb.create_sheet(SHEET_WRITTEN)
    rows.append(list(WRITTEN_HEADER))
    for ids in written:
        rows.append([xlsx_cell(v) for v in ids])
    rows.sheet_state = "hidden"


def build_audit_workbook(
    audit: KPIAudit,
    cmap: ContinuityMap | None = None,
    labels: tuple[str, str] | None = None,
):
    """The KPI audit for staff (``kpis-compare -o audit.xlsx``): 概要 counts and the KPI監査
    sheet of the review workbook (Japanese headers and status words, scores as numbers).
    ``labels``: the two editions (``workbook.edition_labels``; default 第2期 / 第3期)."""
    import openpyxl
    from openpyxl.styles import Font

    from .audit import measure_continues

    wb = openpyxl.Workbook()
    wb.properties.creator = "textkit"
    sides = side_labels(labels)
    where = cmap or ContinuityMap(audit.old_source, audit.new_source)
    summary = summarise(where, audit)
    overview: list[list[Any]] = [
        [f"{sides[0]} 資料", source_name(audit.old_source)],
        [f"{sides[1]} 資料", source_name(audit.new_source)],
        ["", ""],
        ["KPI監査（指標数）", "件数"],
        *[[KPI_STATUS_JA[s], n] for s, n in summary.kpi_statuses],
    ]
    overview.append(["廃止KPIのうち施策は継続", summary.dropped_kpis_of_continuing])
    unknown = sum(
        KPIStatus(c.status) is KPIStatus.DROPPED and measure_continues(c, where) is None
        for c in audit.changes
    )
    if unknown:  # so that a small count above does not read as "the others were dropped"
        overview.append(["廃止KPIのうち施策の継続は不明", unknown])
    ws = table_sheet(wb, SHEET_SUMMARY, ("項目", "値"), overview, first=True)
    ws.auto_filter.ref = None
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "件数":
            row[0].font = row[1].font = Font(bold=True)
    table_sheet(wb, SHEET_KPI, kpi_header(sides), _kpi_rows(audit, where))
    return wb


def write_audit_workbook(
    audit: KPIAudit,
    path: str | Path,
    cmap: ContinuityMap | None = None,
    labels: tuple[str, str] | None = None,
):
    """Write ``build_audit_workbook`` atomically and reproducibly."""
    save_workbook(build_audit_workbook(audit, cmap, labels), path)
    return Path(path)


def write_workbook(
    cmap: ContinuityMap,
    path: str | Path,
    *,
    audit: KPIAudit | None = None,
    old: Strategy | None = None,
    new: Strategy | None = None,
    attainment: Attainment | None = None,
    attainment_edition: str = "",
    reviewed: ReviewedMap | None = None,
    labels: tuple[str, str] | None = None,
    mappings_dir: str | Path | None = None,
) -> Path:
    """Write the review workbook (概要, 対応表, 新規, 廃止, KPI監査, 施策一覧, 達成状況 when
    ``attainment`` is given, 使い方) atomically. ``reviewed``: the pair's decisions, shown in 確認
    (rejected links too) and whose revision the workbook carries; ``mappings_dir``: the folder
    they were read from (recorded, relative to the workbook, for ``review apply``)."""
    from .decisions import edition_ref, folder_ref

    # The editions' files relative to the workbook's folder (documents and workbook move together;
    # no machine's absolute path in a file staff pass around).
    folder = Path(path).parent
    sources = (
        edition_ref(old.source if old else cmap.old_source, folder),
        edition_ref(new.source if new else cmap.new_source, folder),
    )
    wb = build_workbook(
        cmap,
        audit=audit,
        old=old,
        new=new,
        attainment=attainment,
        attainment_edition=attainment_edition,
        reviewed=reviewed,
        labels=labels,
        sources=sources,
        mappings=folder_ref(mappings_dir, folder) if mappings_dir is not None else "",
    )
    save_workbook(wb, path)
    return Path(path)


# ── 達成状況 (KPI attainment) ───────────────────────────────────────────────


def _number(v: float | None) -> float | int | str:
    if v is None:
        return ""
    return int(v) if float(v).is_integer() else round(v, 6)


def _series_text(row: AttainmentRow) -> str:
    return " → ".join(f"{y}: {_number(v):,}" for y, v in row.series)


def attainment_sheet(wb: Any, table: Attainment, *, edition: str = "") -> Any:
    """Add the 達成状況 sheet (one row per KPI, 達成 / 未達 / 実績なし) to ``wb`` and its counts to
    the 概要 sheet when there is one. 達成度 columns are fractions shown as percentages."""
    from openpyxl.styles import Font, PatternFill

    rows = [
        [
            edition,
            LEVEL_JA.get(r.level, r.level),
            r.measure_id,
            r.name,
            r.result_name,
            _number(r.baseline_value),
            _number(r.target_value),
            r.unit,
            "" if r.target_year is None else r.target_year,
            DIRECTION_JA[r.direction],
            "" if r.latest_year is None else r.latest_year,
            _number(r.latest_value),
            _number(r.attainment),
            _number(r.stated_attainment),
            STATUS_JA[AttainmentStatus(r.status)],
            _series_text(r),
            r.note,
        ]
        for r in table.rows
    ]
    ws = table_sheet(wb, SHEET_ATTAINMENT, ATTAINMENT_HEADER, rows)
    percent_columns = [ATTAINMENT_HEADER.index(h) + 1 for h in ("達成度", "記載の達成度")]
    for n, r in enumerate(table.rows, start=2):
        fill = PatternFill("solid", fgColor=STATUS_FILL[AttainmentStatus(r.status)])
        for cell in ws[n]:
            cell.fill = fill
        for col in percent_columns:
            ws.cell(row=n, column=col).number_format = "0.0%"
    if SHEET_SUMMARY in wb.sheetnames:
        summary = wb[SHEET_SUMMARY]
        summary.append(["", ""])
        title = f"KPIの達成状況 ({edition})" if edition else "KPIの達成状況"
        summary.append([title, "件数"])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        summary.cell(row=summary.max_row, column=2).font = Font(bold=True)
        for status, n in table.counts().items():
            summary.append([STATUS_JA[status], n])
    return ws


# ── HTML report ─────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class SimilarityMatrix:
    """A ready-made similarity matrix for the heatmap: ``values[i][j]`` for rows[i] × cols[j]."""

    title: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]


# Sankey node labels longer than this are cut (hover shows the full title).
SANKEY_LABEL_CHARS = 18
# The side margins hold the node labels outside the bands, as wide as the longest label: one
# display cell (half a full-width character) is 6 px at the 12 px font, ASCII letters and digits
# of the CJK fonts up to 7 px, so 7 px a cell never clips; plus the 6 px gap to the nodes and room.
SANKEY_FONT_PX = 12
SANKEY_CELL_PX = 7.0
SANKEY_LABEL_PAD_PX = 16
# Room above the plot: plotly's mode bar (shown on hover at the figure's top right, 23 px tall
# in Chromium) and below it the two edition headers (8 px above the plot, 17 px tall), so that
# the bar never covers the 第3期 header, which stands near the right edge when labels are short.
SANKEY_MODE_BAR_PX = 26
SANKEY_TOP_PX = 34 + SANKEY_MODE_BAR_PX
SANKEY_NEW, SANKEY_DROPPED = "（新規）", "（廃止）"


def natural_key(mid: str) -> tuple:
    """G1-M10 after G1-M9, P10 after P9: ids compare by their numbers."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", mid))


def _short(text: str, limit: int = SANKEY_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plotly_text(text: str) -> str:
    """A title as plotly shows it, literally: plotly renders ``<b>``, ``<i>``, ``<br>`` and
    ``<a href>`` in labels, tick labels and hover text, and decodes only ``&amp; &lt; &gt;`` (and
    numeric references) back — so escaping those three makes every title plain text.

    >>> plotly_text('<a href="x">AT&T</a>')
    '&lt;a href="x"&gt;AT&amp;T&lt;/a&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def sankey_order(cmap: ContinuityMap) -> tuple[list[str], list[str]]:
    """Node order of the Sankey, so that bands cross as little as possible: NEW ids in their
    natural (document, i.e. goal) order, then （廃止）; OLD ids by the mean position of their
    counterparts on the NEW side (ties and 廃止 measures in natural order), then （新規）."""
    news = [*sorted({x.new_id for x in cmap.links if x.new_id}, key=natural_key), SANKEY_DROPPED]
    pos = {n: i for i, n in enumerate(news)}
    targets: dict[str, list[int]] = {}
    for x in cmap.links:
        if x.old_id:
            targets.setdefault(x.old_id, []).append(pos[x.new_id or SANKEY_DROPPED])
    olds = sorted(targets, key=lambda o: (sum(targets[o]) / len(targets[o]), natural_key(o)))
    return [*olds, SANKEY_NEW], news


def _label_margin(texts: Iterable[str]) -> int:
    """Side margin (px) that holds the widest of ``texts`` beside the nodes."""
    widest = max((display_width(t) for t in texts), default=0)
    return int(widest * SANKEY_CELL_PX) + SANKEY_LABEL_PAD_PX


def _column_header(text: str, side: str) -> dict[str, Any]:
    """The edition's name above its column of labels (第2期 over the left, 第3期 over the right)."""
    return {
        "name": "edition",
        "text": f"<b>{plotly_text(text)}</b>",
        "x": 0 if side == "old" else 1,
        "xref": "paper",
        "xanchor": "right" if side == "old" else "left",
        "xshift": -6 if side == "old" else 6,
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "yshift": 8,
        "showarrow": False,
        "font": {"size": SANKEY_FONT_PX + 1},
    }


def sankey_figure(cmap: ContinuityMap, labels: tuple[str, str] | None = None):
    """OLD → NEW Sankey; 新規 flow from a "（新規）" node, 廃止 into a "（廃止）" node. Nodes
    are ordered by ``sankey_order``; labels stand outside the two columns (left of the OLD
    nodes, right of the NEW nodes) so that they never lie over the bands, in margins as wide as
    the longest label (never cut at the figure's edge); ``labels`` (default 第2期 / 第3期) head
    the two columns."""
    import plotly.graph_objects as go

    titles = {("old", x.old_id): x.old_title for x in cmap.links if x.old_id}
    titles |= {("new", x.new_id): x.new_title for x in cmap.links if x.new_id}
    hover: list[str] = []
    colours: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    index: dict[tuple[str, str], int] = {}
    annotations: list[dict[str, Any]] = []
    old_keys, new_keys = sankey_order(cmap)
    columns = (("old", old_keys, 0.001, "right"), ("new", new_keys, 0.999, "left"))
    for side, keys, at, anchor in columns:
        for i, key in enumerate(keys):
            index[(side, key)] = len(hover)
            title = titles.get((side, key), "")
            hover.append(plotly_text(f"{key} {title}" if title else key))
            colours.append("#9e9e9e" if key in (SANKEY_NEW, SANKEY_DROPPED) else "#607d8b")
            xs.append(at)
            ys.append((i + 0.5) / len(keys))
            annotations.append(
                {
                    "name": side,
                    "text": plotly_text(f"{key} {_short(title)}" if title else key),
                    "x": 0 if side == "old" else 1,
                    "xref": "paper",
                    "xanchor": anchor,
                    "xshift": -6 if side == "old" else 6,
                    "y": 1 - ys[-1],
                    "yref": "paper",
                    "showarrow": False,
                    "align": anchor,
                }
            )
    src, dst, val, col, text = [], [], [], [], []
    for x in cmap.links:
        rel = _relation(x)
        src.append(index[("old", x.old_id or SANKEY_NEW)])
        dst.append(index[("new", x.new_id or SANKEY_DROPPED)])
        val.append(1)
        col.append(_rgba(RELATION_COLOUR[rel], 0.55))
        text.append(RELATION_JA[rel])
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            node={
                "label": [""] * len(hover),  # the labels are the annotations, off the bands
                "customdata": hover,
                "hovertemplate": "%{customdata}<extra></extra>",
                "color": colours,
                "x": xs,
                "y": ys,
                "pad": 6,
                "thickness": 14,
            },
            link={
                "source": src,
                "target": dst,
                "value": val,
                "color": col,
                "customdata": text,
                "hovertemplate": "%{source.customdata} → %{target.customdata}"
                "<br>%{customdata}<extra></extra>",
            },
        )
    )
    shown = {side: [a["text"] for a in annotations if a["name"] == side] for side in ("old", "new")}
    # plotly_text escapes &, < and >: measure the text as shown
    shown = {k: [_unescape(t) for t in v] for k, v in shown.items()}
    sides = side_labels(labels)
    annotations += [_column_header(sides[0], "old"), _column_header(sides[1], "new")]
    fig.update_layout(
        template="none",
        height=max(420, 26 * max(len(old_keys), len(new_keys)) + 80),
        margin={
            "l": _label_margin([*shown["old"], sides[0]]),
            "r": _label_margin([*shown["new"], sides[1]]),
            "t": SANKEY_TOP_PX,
            "b": 10,
        },
        annotations=annotations,
        font={
            "family": "Noto Sans CJK JP, IPAexGothic, Meiryo, sans-serif",
            "size": SANKEY_FONT_PX,
        },
    )
    return fig


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _matrices(comparison: Any) -> list[SimilarityMatrix]:
    """Counterparts (formats §6) → one matrix per document pair; a matrix passes through."""
    if comparison is None:
        return []
    if isinstance(comparison, SimilarityMatrix):
        return [comparison]
    items = list(comparison)
    if items and isinstance(items[0], SimilarityMatrix):
        return items
    pairs: dict[tuple[str, str], list[Counterpart]] = {}
    for c in items:
        if (c.b_doc, c.a_doc) in pairs:
            continue  # the reverse direction shows the same pair of documents
        pairs.setdefault((c.a_doc, c.b_doc), []).append(c)
    out = []
    for (a_doc, b_doc), cs in pairs.items():
        rows = list(dict.fromkeys(f"{c.a_id} {_short(c.a_title, 14)}" for c in cs))
        cols = list(dict.fromkeys(f"{c.b_id} {_short(c.b_title, 14)}" for c in cs))
        grid = [[0.0] * len(cols) for _ in rows]
        for c in cs:
            i = rows.index(f"{c.a_id} {_short(c.a_title, 14)}")
            j = cols.index(f"{c.b_id} {_short(c.b_title, 14)}")
            grid[i][j] = max(grid[i][j], round(c.score, 3))
        out.append(
            SimilarityMatrix(
                title=f"{a_doc} × {b_doc}",
                rows=tuple(rows),
                cols=tuple(cols),
                values=tuple(tuple(r) for r in grid),
            )
        )
    return out


def heatmap_figure(matrix: SimilarityMatrix):
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Heatmap(
            z=[list(r) for r in matrix.values],
            x=[plotly_text(c) for c in matrix.cols],
            y=[plotly_text(r) for r in matrix.rows],
            zmin=0,
            zmax=1,
            colorscale="Blues",
            hovertemplate="%{y}<br>%{x}<br>類似度 %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        template="none",
        height=max(360, 22 * len(matrix.rows) + 200),
        margin={"l": 220, "r": 20, "t": 10, "b": 180},
        yaxis={"autorange": "reversed"},
        font={"family": "Noto Sans CJK JP, IPAexGothic, Meiryo, sans-serif", "size": 11},
    )
    return fig


# Small multiples per goal: this many KPI charts side by side, each this tall (px).
ATTAINMENT_CHART_COLUMNS = 3
ATTAINMENT_CHART_ROW_HEIGHT = 230
ATTAINMENT_TITLE_CHARS = 22


def _goal_groups(table: Attainment) -> list[tuple[str, str, list[AttainmentRow]]]:
    """(goal id, title, rows) in the order goals first appear."""
    titles = dict(table.goals)
    groups: dict[str, list[AttainmentRow]] = {}
    for r in table.rows:
        groups.setdefault(r.goal_id or "", []).append(r)
    return [(g, titles.get(g, ""), rows) for g, rows in groups.items()]


def _reference_line(fig, xs, value: float, label: str, color: str, dash: str, row, col) -> None:
    """A horizontal line at ``value`` across the chart's years (a target, or the baseline to
    beat); markers too, so a KPI reported for one year still shows where the line is."""
    import plotly.graph_objects as go

    fig.add_trace(
        go.Scatter(
            x=[xs[0], xs[-1]] if len(xs) > 1 else xs * 2,
            y=[value, value],
            mode="lines+markers",
            marker={"symbol": "line-ew-open", "size": 16, "color": color},
            line={"color": color, "dash": dash, "width": 1.5},
            name=label,
            text=[label] * 2,
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
        ),
        row=row,
        col=col,
    )


def attainment_figure(rows: Sequence[AttainmentRow]):
    """One goal's KPIs as small charts: each KPI's reported series (markers and line) against its
    target (dashed line), coloured by status. Titles are escaped for plotly (``plotly_text``)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    shown = [r for r in rows if r.series or r.latest_value is not None]
    cols = min(ATTAINMENT_CHART_COLUMNS, max(1, len(shown)))
    n_rows = max(1, -(-len(shown) // cols))
    titles = [
        plotly_text(
            f"{_short(r.name, ATTAINMENT_TITLE_CHARS)}"
            f"{' 累計' if r.basis is PeriodRule.SUM else ''} ({STATUS_JA[r.status]})"
        )
        for r in shown
    ]
    fig = make_subplots(
        rows=n_rows,
        cols=cols,
        subplot_titles=titles or None,
        horizontal_spacing=0.08,
        vertical_spacing=min(0.3, 0.6 / n_rows),
    )
    for i, r in enumerate(shown):
        row, col = i // cols + 1, i % cols + 1
        colour = STATUS_COLOUR[AttainmentStatus(r.status)]
        if r.series:
            xs: list[Any] = [str(y) for y, _ in r.series]
            ys: list[float | None] = [v for _, v in r.series]
            if r.basis is PeriodRule.SUM:  # a period total: the running sum approaches it
                ys = list(itertools.accumulate(v for _, v in r.series))
        else:  # a review that states one 最終値 without its year
            xs, ys = ["実績"], [r.latest_value]
        # Names go in as data (text), never into the template: a name holding %{…} stays text.
        label = plotly_text(f"{r.name} ({r.unit})" if r.unit else r.name)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                line={"color": colour},
                name=plotly_text(r.name),
                text=[label] * len(xs),
                hovertemplate="%{text}<br>%{x}: %{y}<extra></extra>",
                showlegend=False,
            ),
            row=row,
            col=col,
        )
        if r.target_value is not None:
            label = plotly_text(f"目標 {_number(r.target_value)}{r.unit}")
            _reference_line(fig, xs, r.target_value, label, "#c62828", "dash", row, col)
        elif r.baseline_value is not None:
            # a qualitative target (基準値より増): the baseline is the line to beat
            label = plotly_text(f"基準値 {_number(r.baseline_value)}{r.unit}")
            _reference_line(fig, xs, r.baseline_value, label, "#757575", "dot", row, col)
    fig.update_xaxes(type="category")  # years are labels: no 2,021.5 ticks between them
    for annotation in fig.layout.annotations:
        annotation.font = {"size": 11}
    fig.update_layout(
        template="none",
        height=ATTAINMENT_CHART_ROW_HEIGHT * n_rows + 40,
        margin={"l": 40, "r": 10, "t": 40, "b": 30},
        font={"family": "Noto Sans CJK JP, IPAexGothic, Meiryo, sans-serif", "size": 11},
    )
    return fig


def _attainment_context(table: Attainment | None, edition: str) -> dict[str, Any] | None:
    if table is None:
        return None
    goals = []
    for i, (goal_id, title, rows) in enumerate(_goal_groups(table)):
        charted = [r for r in rows if r.series or r.latest_value is not None]
        goals.append(
            {
                "id": goal_id,
                "title": title,
                "div": _figure_div(attainment_figure(rows), f"attainment-{i + 1}")
                if charted
                else "",
                "no_data": [r.name for r in rows if r not in charted],
            }
        )
    return {
        "edition": edition,
        "counts": [
            {
                "value": s.value,
                "ja": STATUS_JA[s],
                "n": n,
                "colour": STATUS_COLOUR[s],
            }
            for s, n in table.counts().items()
        ],
        "goals": goals,
        "rows": [
            {
                "status": AttainmentStatus(r.status).value,
                "status_ja": STATUS_JA[AttainmentStatus(r.status)],
                "name": r.name,
                "result_name": r.result_name,
                "latest": ""
                if r.latest_value is None
                else f"{_number(r.latest_value):,}{r.unit}"
                + (f" ({r.latest_year})" if r.latest_year else ""),
                "target": "" if r.target_value is None else f"{_number(r.target_value):,}{r.unit}",
                "attainment": "" if r.attainment is None else f"{r.attainment * 100:.1f}%",
                "stated": ""
                if r.stated_attainment is None
                else f"{r.stated_attainment * 100:.1f}%",
                "note": r.note,
            }
            for r in table.rows
        ],
        "warnings": list(table.warnings),
    }


WATERFALL_SIZE = (380, 240)  # px: small enough to sit in the 根拠 cell of the map table


def waterfall_figure(link: Link, weights=None, pattern: int = 0):
    """Which signal added how much to a link's score (Splink-style waterfall): the fitted
    intercept, then each signal's coefficient × score on the logit scale, ending at the link's
    probability. ``weights``: ``similarity.SignalWeights`` (default: the bundled fit);
    ``pattern``: the pair's evidence pattern (``similarity.pattern_of``: a side stated by its
    title alone is scored by the model fitted on that pattern)."""
    import plotly.graph_objects as go

    from .similarity import load_weights

    w = (weights or load_weights()).model(pattern)
    names = [n for n, _ in link.signals if n in w.coef]
    steps = [w.coef[n] * v for n, v in link.signals if n in w.coef]
    logit = w.intercept + sum(steps)
    p = 1.0 / (1.0 + math.exp(-logit))
    fig = go.Figure(
        go.Waterfall(
            orientation="v",
            measure=["absolute", *["relative"] * len(steps), "total"],
            x=["基準", *[SIGNAL_JA.get(n, n) for n in names], "合計"],
            y=[w.intercept, *steps, 0.0],
            text=[f"{w.intercept:+.1f}", *[f"{v:+.1f}" for v in steps], f"{logit:+.1f}"],
            textposition="outside",
            connector={"line": {"color": "#999"}},
        )
    )
    fig.update_layout(
        title=plotly_text(f"{link.old_id} → {link.new_id}: 確率 {p:.2f}（ロジット {logit:+.1f}）"),
        width=WATERFALL_SIZE[0],
        height=WATERFALL_SIZE[1],
        margin={"l": 30, "r": 10, "t": 40, "b": 60},
        showlegend=False,
        font={"size": 10},
    )
    return fig


def _waterfall_div(link: Link, k: int, pattern: int = 0) -> str:
    if not link.signals or not link.old_id or not link.new_id:
        return ""
    fig = waterfall_figure(link, pattern=pattern)
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"waterfall-{k}",
        config={"displaylogo": False, "responsive": False, "staticPlot": True},
    )


def _figure_div(fig, div_id: str) -> str:
    # Fixed div id and no per-figure JS: the output is reproducible and plotly.js is inlined once.
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )


# plotly.js with only the traces the report draws (scripts/build_plotly_bundle.sh): 1.3 MB, not
# the 4.8 MB full bundle, inlined all the same (the report works offline, on closed networks).
PLOTLY_BUNDLE = "plotly-textkit.min.js"
_PLOTLY_VERSION = re.compile(r"plotly\.js v(\d+\.\d+\.\d+)")


def plotly_version(js: str) -> str:
    """The plotly.js version a bundle names in its first lines ('' when it names none).

    >>> plotly_version("/**\\n* plotly.js v4.1.1\\n*/")
    '4.1.1'
    """
    m = _PLOTLY_VERSION.search(js[:500])
    return m.group(1) if m else ""


@functools.cache
def report_plotly_js() -> str:
    """The plotly.js inlined in the HTML report: the partial bundle when it is of the version the
    installed ``plotly`` package writes figures for, else (a lock upgrade without rebuilding it)
    that package's full bundle."""
    from importlib.resources import files

    from plotly.offline import get_plotlyjs

    full = get_plotlyjs()
    partial = (files("textkit") / "data" / PLOTLY_BUNDLE).read_text(encoding="utf-8")
    return partial if plotly_version(partial) == plotly_version(full) else full


def render_html(
    cmap: ContinuityMap,
    *,
    audit: KPIAudit | None = None,
    old: Strategy | None = None,
    new: Strategy | None = None,
    comparison: Any = None,
    generated_at: _dt.datetime | None = None,
    plotly_js: str | None = None,
    attainment: Attainment | None = None,
    attainment_edition: str = "",
    labels: tuple[str, str] | None = None,
) -> str:
    """The HTML report as a string (``write_html`` writes it); with ``attainment``, a KPI
    達成状況 section (counts, one chart per goal, the table)."""
    import jinja2

    from .audit import measure_continues

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("textkit", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )
    template = env.get_template("report.html.j2")
    summary = summarise(cmap, audit)
    olds, news = _old_measures(old), _measure_index(new)
    links = [
        {
            "old_id": x.old_id,
            "old_title": x.old_title,
            "new_id": x.new_id,
            "new_title": x.new_title,
            "relation": _relation(x).value,
            "relation_ja": RELATION_JA[_relation(x)],
            "score": "" if x.score is None else f"{x.score:.2f}",
            "evidence": evidence_text(x),
            "waterfall": _waterfall_div(x, k + 1, _pattern(x, olds, news)),
            "needs_review": x.needs_review,
            "reviewed": x.reviewed,
            "note": x.reviewer_note,
        }
        for k, x in enumerate(cmap.links)
    ]
    kpis = [
        {
            "status": KPIStatus(c.status).value,
            "status_ja": KPI_STATUS_JA[KPIStatus(c.status)],
            "old_name": c.old_name,
            "old_target": c.old_target,
            "new_name": c.new_name,
            "new_target": c.new_target,
            "score": "" if c.score is None else f"{c.score:.2f}",
            "continues": measure_continues(c, cmap),
        }
        for c in (audit.changes if audit else ())
    ]
    old_name, new_name = pair_names(
        old.source if old else cmap.old_source, new.source if new else cmap.new_source
    )
    when = generated_at or _dt.datetime.now().astimezone()
    stated = labels or edition_labels(old, new)
    sides = side_labels(stated)
    pair = pair_title(old, new, stated)
    return template.render(
        title=f"施策の継続状況: {pair}",
        pair=pair,
        old_label=sides[0],
        new_label=sides[1],
        old_name=old_name,
        new_name=new_name,
        generated=when.strftime("%Y-%m-%d %H:%M %Z").strip(),
        relations=[
            {"value": r.value, "ja": RELATION_JA[r], "n": n, "colour": RELATION_COLOUR[r]}
            for r, n in summary.relations
        ],
        kpi_statuses=[{"ja": KPI_STATUS_JA[s], "n": n} for s, n in summary.kpi_statuses],
        dropped_kpis_of_continuing=summary.dropped_kpis_of_continuing,
        has_audit=audit is not None,
        links=links,
        new_measures=[
            {"id": x.new_id, "title": x.new_title, "goal": _goal(news.get(x.new_id))}
            for x in cmap.links
            if _relation(x) is Relation.NEW
        ],
        dropped_measures=[
            {"id": x.old_id, "title": x.old_title, "goal": _goal(olds.get(x.old_id))}
            for x in cmap.links
            if _relation(x) is Relation.DROPPED
        ],
        kpis=kpis,
        sankey=_figure_div(sankey_figure(cmap, sides), "sankey"),
        heatmaps=[
            {"title": m.title, "div": _figure_div(heatmap_figure(m), f"heatmap-{i + 1}")}
            for i, m in enumerate(_matrices(comparison))
        ],
        plotly_js=report_plotly_js() if plotly_js is None else plotly_js,
        relation_colours=json.dumps({r.value: RELATION_FILL[r] for r in Relation}),
        attainment=_attainment_context(attainment, attainment_edition),
    )


def write_html(
    cmap: ContinuityMap,
    path: str | Path,
    *,
    audit: KPIAudit | None = None,
    old: Strategy | None = None,
    new: Strategy | None = None,
    comparison: Any = None,
    generated_at: _dt.datetime | None = None,
    attainment: Attainment | None = None,
    attainment_edition: str = "",
    labels: tuple[str, str] | None = None,
) -> Path:
    """Write the self-contained HTML report (plotly.js inlined, ``report_plotly_js``: works
    offline) atomically."""
    html = render_html(
        cmap,
        audit=audit,
        old=old,
        new=new,
        comparison=comparison,
        generated_at=generated_at,
        attainment=attainment,
        attainment_edition=attainment_edition,
        labels=labels,
    )
    write_text(path, html)
    return Path(path)
