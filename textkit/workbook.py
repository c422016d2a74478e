"""Workbook vocabulary: the sheet names, column headers, labels and file names staff see in the
review workbook (``render.write_workbook``) and that ``review.apply_workbook`` looks up again.

A leaf module (it imports only ``models``), so the writer and the reader of the workbook share one
spelling of every name without importing each other.
"""

from __future__ import annotations

from pathlib import Path

from .models import Decision, KPIStatus, Relation, Strategy

RELATION_JA: dict[Relation, str] = {
    Relation.KEPT: "継続",
    Relation.MERGED: "統合",
    Relation.SPLIT: "分割",
    Relation.RESTRUCTURED: "再編",
    Relation.NEW: "新規",
    Relation.DROPPED: "廃止",
}
KPI_STATUS_JA: dict[KPIStatus, str] = {
    KPIStatus.KEPT: "継続",
    KPIStatus.TARGET_CHANGED: "目標変更",
    KPIStatus.DROPPED: "廃止",
    KPIStatus.NEW: "新規",
}
# 根拠 = matched terms joined by ・, then (after this separator) the rule and the strongest
# per-signal scores; the review loop reads the terms back from the part before it.
EVIDENCE_SEPARATOR = " ｜ "


def evidence_terms(text: str) -> tuple[str, ...]:
    """The matched terms of a 根拠 cell (what precedes the rule and signal scores).

    >>> evidence_terms("企業・誘致 ｜ 相互最良: 全文語 0.41")
    ('企業', '誘致')
    """
    head = text.split(EVIDENCE_SEPARATOR.strip(), 1)[0]
    return tuple(t.strip() for t in head.split("・") if t.strip())


REVIEW_APPROVE, REVIEW_FIX, REVIEW_REJECT, REVIEW_PENDING = "承認", "修正", "却下", "保留"
REVIEW_CHOICES = (REVIEW_APPROVE, REVIEW_FIX, REVIEW_REJECT, REVIEW_PENDING)
DECISION_JA: dict[Decision, str] = {
    Decision.APPROVE: REVIEW_APPROVE,
    Decision.CORRECT: REVIEW_FIX,
    Decision.REJECT: REVIEW_REJECT,
    Decision.PENDING: REVIEW_PENDING,
}

# Sheet and column names are what staff see and what review.apply_workbook looks up.
SHEET_SUMMARY, SHEET_MAP, SHEET_NEW, SHEET_DROPPED, SHEET_KPI, SHEET_MEASURES = (
    "概要",
    "対応表",
    "新規",
    "廃止",
    "KPI監査",
    "施策一覧",
)
EDITION_OLD, EDITION_NEW = "第2期", "第3期"
# What the 概要 rows naming the two documents say (workbooks before format 3 are read by them).
SUMMARY_OLD, SUMMARY_NEW = f"{EDITION_OLD} 資料", f"{EDITION_NEW} 資料"
# 対応表 columns by what they hold, in sheet order. The visible words name the editions
# (``map_header``); review.apply_workbook finds the columns by these roles (the hidden textkit
# sheet lists them and the labels the headers were written with), never by the words alone.
MAP_COLUMNS = (
    "old_id",
    "old_title",
    "new_id",
    "new_title",
    "relation",
    "score",
    "evidence",
    "decision",
    "note",
    # 要確認 when the link's calibrated score is below review_below (Link.needs_review): written
    # for staff, never read back (a workbook without it is read as before); last of the visible
    # columns, so 確認 and 備考 stay where staff and rows added by hand have them
    "needs_review",
    # Hidden: the row as textkit wrote it, so a row the user edits (修正) or sorts can still be
    # matched to what it showed, and only rows the user changed count as decisions; empty on
    # rows added by hand.
    "orig_old_id",
    "orig_new_id",
    "orig_decision",
    "orig_note",
)


def side_labels(labels: tuple[str, str] | None = None) -> tuple[str, str]:
    """The two editions as column headers and 施策一覧 期 words: the labels, told apart when they
    are the same (two cities' 第2期, or the same label given twice).

    >>> side_labels(("第1期", "第2期"))
    ('第1期', '第2期')
    >>> side_labels(("第2期", "第2期"))
    ('第2期（旧）', '第2期（新）')
    """
    o, n = labels or (EDITION_OLD, EDITION_NEW)
    o, n = o.strip() or EDITION_OLD, n.strip() or EDITION_NEW
    return (f"{o}（旧）", f"{n}（新）") if o == n else (o, n)


# The 要確認 cell of a link made by its rank rather than by strong evidence (Link.needs_review).
NEEDS_REVIEW_JA = "要確認"


def map_header(labels: tuple[str, str] | None = None) -> tuple[str, ...]:
    """対応表 headers for the two editions (``MAP_COLUMNS`` order).

    >>> map_header(("2020年版", "2025年版"))[:4]
    ('2020年版 ID', '2020年版 施策', '2025年版 ID', '2025年版 施策')
    """
    o, n = side_labels(labels)
    return (
        f"{o} ID",
        f"{o} 施策",
        f"{n} ID",
        f"{n} 施策",
        "区分",
        "類似度",
        "根拠",
        "確認",
        "備考",
        NEEDS_REVIEW_JA,
        f"元の{o} ID",
        f"元の{n} ID",
        "元の確認",
        "元の備考",
    )


# The default headers: what every workbook before format 3 has (第2期 / 第3期 whatever the pair;
# workbooks made before 要確認 lack that column).
MAP_HEADER = map_header()
# The columns of MAP_HEADER staff see; the rest are hidden (元の…).
MAP_VISIBLE = 10
# A hidden sheet of what the workbook was made from: the pair's names (data, never paths), the
# reviewed map revision, the format version, the edition labels of the headers and the 対応表
# columns in order. Rows of (key, value).
SHEET_META = "textkit"
META_OLD, META_NEW, META_REVISION, META_FORMAT = "old_name", "new_name", "revision", "format"
# ... and the editions' files (absolute paths when the workbook was written), so that the
# decisions applied from it can be re-scored by ``textkit fit``.
META_OLD_SOURCE, META_NEW_SOURCE = "old_source", "new_source"
META_OLD_LABEL, META_NEW_LABEL, META_COLUMNS = "old_label", "new_label", "map_columns"
# ... and the mappings folder whose reviewed map (at ``revision``) it shows, relative to the
# workbook's folder: ``review apply`` writes there unless told otherwise.
META_MAPPINGS = "mappings"
# A hidden sheet of the 対応表 rows as written (one (元の old ID, 元の new ID, 区分) per row): a row
# staff delete is named when the workbook is applied (deleting decides nothing), and so is a 区分
# staff changed (区分 is computed from the links; workbooks before it lack the column). One row per
# 対応表 row rather than one cell: a 5,000-measure map would not fit Excel's 32,767 characters.
SHEET_WRITTEN = "textkit_rows"
WRITTEN_HEADER = ("orig_old_id", "orig_new_id", "relation")
# 4: the rows as written (SHEET_WRITTEN); 3: headers follow the editions (labels and columns in
# the textkit sheet); 2: decisions as records (元の確認/元の備考, revision); 1: before.
WORKBOOK_FORMAT = 4
SHEET_HELP = "使い方"

MEASURES_HEADER = ("期", "ID", "施策", "基本目標")


def kpi_header(labels: tuple[str, str] | None = None) -> tuple[str, ...]:
    """KPI監査 headers (the review workbook and ``kpis-compare -o audit.xlsx``)."""
    o, n = side_labels(labels)
    return (
        "区分",
        f"{o} 指標",
        f"{o} 目標値",
        f"{n} 指標",
        f"{n} 目標値",
        "類似度",
        f"{o} 施策 ID",
        f"{n} 施策 ID",
        "施策は継続",
        "備考",
    )


KPI_HEADER = kpi_header()
# 達成状況 (KPI attainment, formats §7 in staff terms); written only when results are given.
# 達成度 is on the 最新値 (§7); 状況 (達成 / 未達) on the values up to the 目標年度.
SHEET_ATTAINMENT = "達成状況"
ATTAINMENT_HEADER = (
    "期",
    "区分",
    "施策 ID",
    "指標",
    "実績表の指標名",
    "基準値",
    "目標値",
    "単位",
    "目標年度",
    "方向",
    "最新年度",
    "最新値",
    "達成度",
    "記載の達成度",
    "状況 (目標年度まで)",
    "推移",
    "備考",
)
LEVEL_JA = {"goal": "数値目標", "measure": "KPI"}


def source_name(source: str) -> str:
    """File-name-safe short name of a document (its stem), used in mappings/<old>__<new>…"""
    stem = Path(source).stem if source else "unknown"
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in stem) or "unknown"


def pair_names(old_source: str, new_source: str) -> tuple[str, str]:
    """Names of the two sides for file names; one document holding both editions (the deck lists
    its 第2期 取組 itself) gives ``<stem>.previous`` for the old side."""
    old_name, new_name = source_name(old_source), source_name(new_source)
    if old_name == new_name:
        old_name += ".previous"
    return old_name, new_name


def edition_labels(
    old: Strategy | None,
    new: Strategy | None,
    old_label: str | None = None,
    new_label: str | None = None,
) -> tuple[str, str]:
    """Labels of the two sides, from the editions the documents state: 第N期 (the old side of a
    document that lists its previous edition is the edition before it), or the year a document
    names its edition by (2020年版) when it states no 第N期; given labels win, and unknown
    editions fall back on 第2期 / 第3期.

    >>> edition_labels(Strategy("a", edition=1), Strategy("b", edition=2))
    ('第1期', '第2期')
    >>> edition_labels(Strategy("a", edition_label="2020年版"), Strategy("b", edition_label="2025年版"))
    ('2020年版', '2025年版')
    """
    o = old.edition if old is not None else None
    n = new.edition if new is not None else None
    o_named = old.edition_label if old is not None and o is None else ""
    n_named = new.edition_label if new is not None and n is None else ""
    if o is None and n is not None and not o_named:
        o = n - 1
    if n is None and o is not None and not n_named:
        n = o + 1
    return (
        old_label or o_named or (f"第{o}期" if o else EDITION_OLD),
        new_label or n_named or (f"第{n}期" if n else EDITION_NEW),
    )


def pair_title(
    old: Strategy | None,
    new: Strategy | None,
    labels: tuple[str, str] | None = None,
) -> str:
    """What a report is about, in the documents' own terms: 「苫小牧市 第2期 → 第3期」.

    >>> pair_title(Strategy("a", city="苫小牧市", edition=2), Strategy("b", city="苫小牧市", edition=3))
    '苫小牧市 第2期 → 第3期'
    """
    o, n = labels or edition_labels(old, new)
    old_city = old.city if old is not None else ""
    new_city = new.city if new is not None else ""
    if old_city and new_city and old_city != new_city:
        return f"{old_city} {o} → {new_city} {n}"
    city = new_city or old_city
    return f"{city} {o} → {n}".strip()
