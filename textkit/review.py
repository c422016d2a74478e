"""The review loop: an edited review workbook (``report.write_workbook``) → a reviewed continuity
map under ``mappings/`` (formats §3 plus ``reviewed``, ``reviewer_note``).

Staff mark each 対応表 row 承認 (keep), 修正 (keep the row as they edited it: 第3期 ID, 区分 …) or
却下 (remove the link; its measures become 新規/廃止 unless another reviewed link or open proposal
covers them), and
may add rows by hand. ``apply_workbook`` validates every row (naming the row when something is
wrong) and merges the decisions into the reviewed map already on disk: earlier decisions stay
unless this workbook changes them. ``align_strategies(..., reviewed=load_reviewed(...))`` then keeps
every decision and proposes links only for what nobody reviewed.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import FormatError, ReviewError
from .extract import check_file
from .formats import read_map, write_map
from .models import ContinuityMap, Evidence, Link, Relation
from .tables import check_workbook, write_bytes
from .workbook import (
    EDITION_NEW,
    EDITION_OLD,
    MAP_HEADER,
    RELATION_JA,
    REVIEW_APPROVE,
    REVIEW_CHOICES,
    REVIEW_FIX,
    REVIEW_REJECT,
    SHEET_MAP,
    SHEET_MEASURES,
    SHEET_SUMMARY,
    SUMMARY_NEW,
    SUMMARY_OLD,
    evidence_terms,
)

_RELATION_BY_LABEL: dict[str, Relation] = {ja: r for r, ja in RELATION_JA.items()} | {
    r.value: r for r in Relation
}
_LINKING = (Relation.KEPT, Relation.MERGED, Relation.SPLIT, Relation.RESTRUCTURED)


def reviewed_map_path(mappings_dir: str | Path, old_name: str, new_name: str) -> Path:
    """Where the reviewed map of one document pair lives: ``<dir>/<old>__<new>.reviewed.csv``."""
    return Path(mappings_dir) / f"{old_name}__{new_name}.reviewed.csv"


# ── reading the workbook ────────────────────────────────────────────────────


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class _Row:
    """One 対応表 row as the reviewer left it."""

    number: int  # row number in the sheet (header = 1), for error messages
    old_id: str
    new_id: str
    relation_label: str
    score: str
    evidence: str
    decision: str
    note: str
    orig_old: str
    orig_new: str

    @property
    def added_by_hand(self) -> bool:
        return not (self.orig_old or self.orig_new)

    @property
    def orig_key(self) -> tuple[str, str]:
        return (self.orig_old, self.orig_new)


@dataclass(frozen=True)
class _Sheet:
    old_name: str
    new_name: str
    old_titles: dict[str, str]  # id → title, in 施策一覧 order
    new_titles: dict[str, str]
    rows: tuple[_Row, ...]


def _load(workbook: Path):
    import openpyxl

    if not zipfile.is_zipfile(workbook):
        raise FormatError(
            "is not an Excel workbook (.xlsx); save it from Excel as 'Excel Workbook (*.xlsx)'",
            path=str(workbook),
        )
    check_workbook(workbook)  # a zip bomb is refused before openpyxl unpacks it
    try:
        return openpyxl.load_workbook(workbook, data_only=True)
    except Exception:
        raise FormatError(
            "the workbook is damaged; save it again from Excel", path=str(workbook)
        ) from None


def _sheet(wb, name: str, path: Path):
    if name not in wb.sheetnames:
        raise ReviewError(
            f"has no sheet '{name}'; apply the workbook written by 'textkit report --xlsx' "
            "without renaming or deleting its sheets",
            path=str(path),
        )
    return wb[name]


def read_review_workbook(workbook: str | Path) -> _Sheet:
    path = check_file(workbook)
    wb = _load(path)
    summary = {
        _text(r[0]): _text(r[1])
        for r in _sheet(wb, SHEET_SUMMARY, path).iter_rows(values_only=True)
    }
    old_name, new_name = summary.get(SUMMARY_OLD, ""), summary.get(SUMMARY_NEW, "")
    if not old_name or not new_name:
        raise ReviewError(
            f"sheet {SHEET_SUMMARY} lacks the '{SUMMARY_OLD}' / '{SUMMARY_NEW}' rows that name "
            "the documents; restore them from the generated workbook",
            path=str(path),
        )
    old_titles: dict[str, str] = {}
    new_titles: dict[str, str] = {}
    for r in _sheet(wb, SHEET_MEASURES, path).iter_rows(min_row=2, values_only=True):
        edition, mid, title = (_text(v) for v in (*r, "", "", "")[:3])
        if edition == EDITION_OLD and mid:
            old_titles[mid] = title
        elif edition == EDITION_NEW and mid:
            new_titles[mid] = title
    ws = _sheet(wb, SHEET_MAP, path)
    values = list(ws.iter_rows(values_only=True))
    header = [_text(h) for h in values[0]] if values else []
    missing = [h for h in MAP_HEADER if h not in header]
    if missing:
        raise ReviewError(
            f"sheet {SHEET_MAP} has no column '{missing[0]}'; restore the header row "
            "of the generated workbook",
            path=str(path),
        )
    col = {h: header.index(h) for h in MAP_HEADER}
    rows = []
    for number, raw in enumerate(values[1:], start=2):
        cells = {h: _text(raw[i]) if i < len(raw) else "" for h, i in col.items()}
        if not any(cells.values()):
            continue
        rows.append(
            _Row(
                number=number,
                old_id=cells["第2期 ID"],
                new_id=cells["第3期 ID"],
                relation_label=cells["区分"],
                score=cells["類似度"],
                evidence=cells["根拠"],
                decision=cells["確認"],
                note=cells["備考"],
                orig_old=cells["元の第2期 ID"],
                orig_new=cells["元の第3期 ID"],
            )
        )
    wb.close()
    return _Sheet(old_name, new_name, old_titles, new_titles, tuple(rows))


# ── turning rows into links ─────────────────────────────────────────────────


def _fail(path: Path, row: _Row, message: str) -> ReviewError:
    return ReviewError(f"sheet {SHEET_MAP}, row {row.number}: {message}", path=str(path))


def _row_link(sheet: _Sheet, row: _Row, path: Path) -> Link:
    """The reviewed link a 承認/修正/hand-added row states, validated against 施策一覧."""
    relation = _RELATION_BY_LABEL.get(row.relation_label)
    if relation is None:
        raise _fail(
            path,
            row,
            f"区分 '{row.relation_label}' is not one of {', '.join(RELATION_JA.values())}",
        )
    if row.old_id and row.old_id not in sheet.old_titles:
        raise _fail(
            path, row, f"第2期 ID '{row.old_id}' is unknown; use an ID listed in {SHEET_MEASURES}"
        )
    if row.new_id and row.new_id not in sheet.new_titles:
        raise _fail(
            path, row, f"第3期 ID '{row.new_id}' is unknown; use an ID listed in {SHEET_MEASURES}"
        )
    if relation is Relation.NEW and (row.old_id or not row.new_id):
        raise _fail(path, row, "区分 新規 needs a 第3期 ID and an empty 第2期 ID")
    if relation is Relation.DROPPED and (row.new_id or not row.old_id):
        raise _fail(path, row, "区分 廃止 needs a 第2期 ID and an empty 第3期 ID")
    if relation in _LINKING and not (row.old_id and row.new_id):
        raise _fail(path, row, f"区分 {RELATION_JA[relation]} needs both a 第2期 ID and a 第3期 ID")
    unchanged = (row.old_id, row.new_id) == row.orig_key
    try:
        score = float(row.score) if row.score and unchanged else None
    except ValueError:
        score = None
    terms: tuple[str, ...] = ()
    if row.decision == REVIEW_APPROVE and unchanged and row.evidence.startswith("記載あり"):
        evidence = Evidence.STATED
    elif row.decision == REVIEW_APPROVE and unchanged:
        evidence, terms = Evidence.SIMILARITY, evidence_terms(row.evidence)
    else:
        evidence = Evidence.REVIEWED
    return Link(
        old_id=row.old_id,
        old_title=sheet.old_titles.get(row.old_id, ""),
        new_id=row.new_id,
        new_title=sheet.new_titles.get(row.new_id, ""),
        relation=relation,
        score=score,
        evidence=evidence,
        matched_terms=terms,
        reviewed=True,
        reviewer_note=row.note,
    )


def _key(link: Link) -> tuple[str, str]:
    return (link.old_id, link.new_id)


def _covered(links: list[Link]) -> tuple[set[str], set[str]]:
    olds = {x.old_id for x in links if x.old_id}
    news = {x.new_id for x in links if x.new_id}
    return olds, news


def merge_decisions(sheet: _Sheet, earlier: ContinuityMap | None, path: Path) -> tuple[Link, ...]:
    """Earlier reviewed links + this workbook's decisions (which win) + remaining proposals."""
    decided: dict[tuple[str, str], Link] = {}
    touched: set[tuple[str, str]] = set()  # proposals this workbook decided on (any decision)
    rejected: list[_Row] = []
    proposals: list[Link] = []
    for row in sheet.rows:
        if row.decision and row.decision not in REVIEW_CHOICES:
            raise _fail(path, row, f"確認 '{row.decision}' must be 承認, 修正 or 却下 (or empty)")
        if not row.added_by_hand and row.decision:
            touched.add(row.orig_key)
        if row.decision == REVIEW_REJECT:
            if not row.added_by_hand:
                rejected.append(row)
            continue
        if not row.decision and not row.added_by_hand:
            if (row.old_id, row.new_id) != row.orig_key:
                raise _fail(
                    path,
                    row,
                    f"the IDs were edited but 確認 is empty; choose {REVIEW_FIX} to keep it",
                )
            relation = _RELATION_BY_LABEL.get(row.relation_label)
            if relation is None:
                raise _fail(path, row, f"区分 '{row.relation_label}' is not a known 区分")
            proposals.append(
                Link(
                    old_id=row.old_id,
                    old_title=sheet.old_titles.get(row.old_id, ""),
                    new_id=row.new_id,
                    new_title=sheet.new_titles.get(row.new_id, ""),
                    relation=relation,
                    score=float(row.score) if _is_number(row.score) else None,
                    evidence=Evidence.STATED
                    if row.evidence.startswith("記載あり")
                    else Evidence.SIMILARITY,
                    matched_terms=()
                    if row.evidence.startswith("記載あり")
                    else evidence_terms(row.evidence),
                    reviewer_note=row.note,
                )
            )
            continue
        link = _row_link(sheet, row, path)  # 承認, 修正, or a row added by hand
        decided[_key(link)] = link

    # Earlier decisions survive unless this workbook decided on the same link.
    reviewed: list[Link] = [
        x
        for x in (earlier.links if earlier else ())
        if x.reviewed and _key(x) not in touched and _key(x) not in decided
    ]
    reviewed += decided.values()
    # A measure linked by a reviewed link is no longer 新規/廃止.
    linked_old = {x.old_id for x in reviewed if Relation(x.relation) in _LINKING}
    linked_new = {x.new_id for x in reviewed if Relation(x.relation) in _LINKING}
    reviewed = [
        x
        for x in reviewed
        if not (Relation(x.relation) is Relation.DROPPED and x.old_id in linked_old)
        and not (Relation(x.relation) is Relation.NEW and x.new_id in linked_new)
    ]
    # 却下: the measures of a rejected link become reviewed 廃止/新規 unless a reviewed link or an
    # open proposal of this workbook still covers them (rejecting P17→G4-M3 must not wipe out the
    # open proposal P18→G4-M3 by declaring G4-M3 新規).
    open_links = [x for x in proposals if _key(x) not in touched]
    for row in rejected:
        covered_old, covered_new = _covered(reviewed + open_links)
        if row.orig_old and row.orig_old not in covered_old:
            reviewed.append(
                Link(
                    old_id=row.orig_old,
                    old_title=sheet.old_titles.get(row.orig_old, ""),
                    new_id="",
                    new_title="",
                    relation=Relation.DROPPED,
                    evidence=Evidence.REVIEWED,
                    reviewed=True,
                    reviewer_note=row.note,
                )
            )
        if row.orig_new and row.orig_new not in covered_new:
            reviewed.append(
                Link(
                    old_id="",
                    old_title="",
                    new_id=row.orig_new,
                    new_title=sheet.new_titles.get(row.orig_new, ""),
                    relation=Relation.NEW,
                    evidence=Evidence.REVIEWED,
                    reviewed=True,
                    reviewer_note=row.note,
                )
            )
    # Open proposals stay (unreviewed) unless a decision contradicts them: the reviewer decided
    # that very link, or declared one of its measures 廃止/新規. Every measure keeps a row.
    no_successor = {x.old_id for x in reviewed if Relation(x.relation) is Relation.DROPPED}
    no_origin = {x.new_id for x in reviewed if Relation(x.relation) is Relation.NEW}
    reviewed_keys = {_key(x) for x in reviewed}
    rest = [
        x
        for x in open_links
        if _key(x) not in reviewed_keys
        and not (x.old_id and x.old_id in no_successor)
        and not (x.new_id and x.new_id in no_origin)
        and not (Relation(x.relation) is Relation.DROPPED and x.old_id in linked_old)
        and not (Relation(x.relation) is Relation.NEW and x.new_id in linked_new)
    ]
    links = reviewed + rest
    have_old, have_new = _covered(links)
    for mid, title in sheet.old_titles.items():
        if mid not in have_old:
            links.append(Link(mid, title, "", "", Relation.DROPPED))
    for mid, title in sheet.new_titles.items():
        if mid not in have_new:
            links.append(Link("", "", mid, title, Relation.NEW))
    order_old = {m: i for i, m in enumerate(sheet.old_titles)}
    order_new = {m: i for i, m in enumerate(sheet.new_titles)}
    links.sort(
        key=lambda x: (
            0 if x.old_id else 1,
            order_old.get(x.old_id, len(order_old)),
            order_new.get(x.new_id, len(order_new)),
        )
    )
    return tuple(links)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def apply_workbook(workbook: str | Path, mappings_dir: str | Path = "mappings") -> Path:
    """Apply a reviewed workbook: merge its decisions into the pair's reviewed map (atomic write).

    Returns the path of the reviewed map (``reviewed_map_path``).
    """
    sheet = read_review_workbook(workbook)
    target = reviewed_map_path(mappings_dir, sheet.old_name, sheet.new_name)
    earlier = read_map(target) if target.exists() else None
    links = merge_decisions(sheet, earlier, Path(workbook))
    if earlier is not None:
        keep_history(target)
    write_map(ContinuityMap(sheet.old_name, sheet.new_name, links), target, reviewed_ok=True)
    return target


def keep_history(reviewed: Path) -> Path:
    """Copy a reviewed map to ``<dir>/history/<name>.<n>.csv`` before it is replaced, so no
    decision is ever lost (a stale workbook applied later can be undone from there)."""
    history = reviewed.parent / "history"
    stem = reviewed.name.removesuffix(".csv")
    n = 1 + sum(1 for _ in history.glob(f"{stem}.*.csv")) if history.exists() else 1
    copy = history / f"{stem}.{n}.csv"
    write_bytes(copy, reviewed.read_bytes())
    return copy
