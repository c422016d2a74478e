"""The review loop: an edited review workbook (``render.write_workbook``) → decision records in the
pair's reviewed map under ``mappings/`` (``decisions``).

Staff mark 対応表 rows 承認 (the row stands), 修正 (the row stands as they edited it), 却下 (this
link does not exist) or 保留 (not decided yet; the row and its 備考 are kept), and may add rows by
hand (recorded as 修正). Only rows the reviewer changed are decisions: the workbook's hidden 元の…
cells say what each row showed when it was written, so an untouched row (even one showing an
earlier decision) changes nothing.

A cell holding what its drop-down does not offer (a pasted 確認, 区分 or ID), or a 区分 that does
not fit the row's IDs (廃止 / 新規 on a row with both IDs), keeps that row 保留 as it was written,
with what was typed beside its 備考, and is named in a warning saying what to do; every other row
is applied. Deleting a row decides nothing: the rows the workbook was written with (its hidden
``textkit_rows`` sheet) that are gone are named in a warning saying how to reject. 区分 is
computed from the links: a row whose 区分 alone was changed is named in a warning (with 確認 left
as it was nothing is recorded, no decision is guessed: choose 修正; with 修正 the next workbook
still shows the computed 区分), never silently dropped. A rejected
link has no relation: its record is stored as ``dropped`` (``decisions.rejected_relation``).

``apply_workbook`` validates every row (naming the row when something is wrong), then, holding the
pair's lock, re-reads the reviewed map, skips any changed row whose decision was changed by someone
else since the workbook was made, or whose 第2期 measure was decided again since (``_older``: an
older copy never brings back a link corrected away; which decision stands never depends on the
order copies are applied in; the skipped rows are named), keeps the replaced version in ``mappings/history/`` and writes the merged records.
``continuity.align_strategies(..., reviewed=...)`` then keeps every decision exactly.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .decisions import (
    Change,
    check_consistent,
    check_name,
    edition_at,
    edition_ref,
    history_revisions,
    keep_history,
    merge,
    now_utc,
    pair_lock,
    read_reviewed,
    rejected_relation,
    reviewed_map_path,
    write_reviewed,
)
from .errors import FormatError, ReviewError
from .extract import check_file
from .models import Decision, Evidence, Relation, ReviewedMap, ReviewRecord
from .tables import check_workbook
from .wording import plural, verb
from .workbook import (
    DECISION_JA,
    EDITION_NEW,
    EDITION_OLD,
    MAP_COLUMNS,
    META_COLUMNS,
    META_MAPPINGS,
    META_NEW,
    META_NEW_LABEL,
    META_NEW_SOURCE,
    META_OLD,
    META_OLD_LABEL,
    META_OLD_SOURCE,
    META_REVISION,
    RELATION_JA,
    REVIEW_APPROVE,
    REVIEW_CHOICES,
    REVIEW_FIX,
    REVIEW_PENDING,
    REVIEW_REJECT,
    SHEET_MAP,
    SHEET_MEASURES,
    SHEET_META,
    SHEET_SUMMARY,
    SHEET_WRITTEN,
    evidence_terms,
    map_header,
)

__all__ = ["ApplyResult", "apply_workbook", "read_review_workbook", "reviewed_map_path"]

_RELATION_BY_LABEL: dict[str, Relation] = {ja: r for r, ja in RELATION_JA.items()} | {
    r.value: r for r in Relation
}
_DECISION_BY_LABEL: dict[str, Decision] = {ja: d for d, ja in DECISION_JA.items()}
_LINKING = (Relation.KEPT, Relation.MERGED, Relation.SPLIT, Relation.RESTRUCTURED)
# Columns a workbook written before decisions were records lacks (it is then read as before:
# every row with a 確認 is a decision, and nothing is known about what the row showed); 要確認
# is written for staff only and absent from workbooks made before it.
_OPTIONAL = ("orig_decision", "orig_note", "needs_review")


# ── reading the workbook ────────────────────────────────────────────────────


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class _Row:
    """One 対応表 row as the reviewer left it, and what it showed when it was written."""

    number: int  # row number in the sheet (header = 1), for messages
    old_id: str
    new_id: str
    relation_label: str
    score: str
    evidence: str
    decision: str
    note: str
    orig_old: str
    orig_new: str
    orig_decision: str | None  # None: an older workbook that did not record it
    orig_note: str | None
    orig_relation: str | None = None  # 区分 as written (None: a workbook before it was recorded)

    @property
    def added_by_hand(self) -> bool:
        return not (self.orig_old or self.orig_new)

    @property
    def key(self) -> tuple[str, str]:
        return (self.old_id, self.new_id)

    @property
    def orig_key(self) -> tuple[str, str]:
        return (self.orig_old, self.orig_new)

    @property
    def changed(self) -> bool:
        """Did the reviewer change this row (or add it)?"""
        if self.added_by_hand:
            return True
        if self.orig_decision is None:  # older workbook: any 確認 is a decision
            return bool(self.decision) or self.key != self.orig_key
        return (
            self.key != self.orig_key
            or self.decision != self.orig_decision
            or self.note != (self.orig_note or "")
            or self.relation_changed
        )

    @property
    def relation_changed(self) -> bool:
        """区分 changed on a row whose 確認 says it stands (承認 / 修正): a decision of its own.
        With 確認 empty or 保留 a changed 区分 alone decides nothing (it is named)."""
        return (
            self.orig_relation is not None
            and self.relation_label != self.orig_relation
            and self.decision in (REVIEW_APPROVE, REVIEW_FIX)
        )

    def label(self) -> str:
        return f"{self.old_id or '-'} → {self.new_id or '-'}"


@dataclass(frozen=True)
class ReviewSheet:
    """What ``read_review_workbook`` found: the pair, the revision the workbook was made from, the
    measures it lists (id → title, in 施策一覧 order) and its 対応表 rows."""

    old_name: str
    new_name: str
    revision: int | None  # None: an older workbook that did not record it
    old_titles: dict[str, str]
    new_titles: dict[str, str]
    rows: tuple[_Row, ...]
    old_source: str = ""  # the editions' files as the workbook names them ("" = not recorded)
    new_source: str = ""
    # The two editions as the headers name them (第2期 / 第3期 in workbooks before format 3).
    labels: tuple[str, str] = (EDITION_OLD, EDITION_NEW)
    mappings: str = ""  # the mappings folder it was made from, relative to it ("" = not recorded)
    # The 対応表 rows' IDs as written (None: a workbook before format 4 did not record them).
    written: tuple[tuple[str, str], ...] | None = None
    # The 区分 each 対応表 row was written with, by its IDs as written (None: not recorded).
    written_relations: tuple[tuple[tuple[str, str], str], ...] | None = None


def _load(workbook: Path):
    import openpyxl

    if not zipfile.is_zipfile(workbook):
        raise FormatError(
            "is not an Excel workbook (.xlsx); save it from Excel as 'Excel Workbook (*.xlsx)'",
            path=str(workbook),
        )
    check_workbook(workbook)  # a zip bomb is refused before openpyxl unpacks it
    _check_kind(workbook)
    if workbook.suffix.lower() not in (".xlsx", ".xlsm"):
        raise FormatError(
            f"is an Excel workbook, not {workbook.suffix or 'a file without suffix'}; "
            "rename it to .xlsx and apply it again",
            path=str(workbook),
        )
    try:
        wb = openpyxl.load_workbook(workbook, data_only=True)
        written = openpyxl.load_workbook(workbook, data_only=False)
    except Exception:
        raise FormatError(
            "the workbook is damaged; save it again from Excel", path=str(workbook)
        ) from None
    _typed_text_for_formulas(wb, written)
    return wb


# What the zip of another office format holds instead of an Excel workbook's xl/workbook.xml.
_ODF_SPREADSHEET = "application/vnd.oasis.opendocument.spreadsheet"
_OTHER_OFFICE = {
    "word/document.xml": "a Word document",
    "ppt/presentation.xml": "a PowerPoint file",
}


def _check_kind(workbook: Path) -> None:
    """Refuse a zip that is not an Excel workbook, saying what it is and how to get the workbook
    (an .ods re-saved by LibreOffice Calc, a Word or PowerPoint file)."""
    from .extract import save_as_xlsx

    with zipfile.ZipFile(workbook) as z:
        names = set(z.namelist())
        mimetype = (
            z.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
        )
    if "xl/workbook.xml" in names:
        return
    if mimetype.startswith(_ODF_SPREADSHEET):
        raise FormatError(
            f"is an OpenDocument spreadsheet, not an Excel workbook; {save_as_xlsx('.ods')} and "
            "apply that file",
            path=str(workbook),
        )
    what = next((kind for name, kind in _OTHER_OFFICE.items() if name in names), "")
    raise FormatError(
        f"is {what or 'a zip file'}, not an Excel workbook; apply the review workbook "
        "'textkit report --xlsx' wrote (.xlsx)",
        path=str(workbook),
    )


# What Excel shows for a formula it cannot compute (a note typed as 「=要確認 …」 becomes #NAME?).
_EXCEL_ERRORS = frozenset(
    ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
)


def _typed_text_for_formulas(wb, written) -> None:
    """A cell staff typed starting with '=' (a 備考 such as 「=要確認 担当課に照会」) is stored by
    Excel or openpyxl as a formula, with an error or no saved result: read back what was typed,
    so text in is the same text out."""
    for ws in written.worksheets:
        values = wb[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                typed = cell.value
                if not (isinstance(typed, str) and typed.startswith("=")):
                    continue
                shown = values.cell(cell.row, cell.column)
                if shown.value is None or shown.value in _EXCEL_ERRORS:
                    shown.value = typed


def _sheet(wb, name: str, path: Path):
    if name not in wb.sheetnames:
        raise ReviewError(
            f"has no sheet '{name}'; apply the workbook written by 'textkit report --xlsx' "
            "without renaming or deleting its sheets",
            path=str(path),
        )
    return wb[name]


def _pairs(ws) -> dict[str, str]:
    return {_text(r[0]): _text(r[1]) for r in ws.iter_rows(values_only=True) if len(r) >= 2}


def read_review_workbook(workbook: str | Path) -> ReviewSheet:
    path = check_file(workbook)
    wb = _load(path)
    try:
        return _read(wb, path)
    finally:
        wb.close()


def _map_columns(header: list[str], meta: dict[str, str], path: Path) -> dict[str, int]:
    """Where each 対応表 column (``MAP_COLUMNS`` role) is: found by the header the workbook was
    written with (the labels in the textkit sheet; 第2期 / 第3期 before format 3), so a column
    staff moved is still found; a header staff retyped is found by its position (the column
    order the textkit sheet lists). The visible words alone never decide."""
    labels = (meta.get(META_OLD_LABEL) or EDITION_OLD, meta.get(META_NEW_LABEL) or EDITION_NEW)
    written = dict(zip(MAP_COLUMNS, map_header(labels), strict=True))
    order = [r for r in meta.get(META_COLUMNS, "").split() if r in written] or list(MAP_COLUMNS)
    col: dict[str, int] = {}
    for role in order:
        if header.count(written[role]) == 1:
            col[role] = header.index(written[role])
    claimed = set(col.values())
    known = set(written.values())
    for position, role in enumerate(order):
        if role in col or position >= len(header) or position in claimed:
            continue
        if header[position] in known:  # another column's header: that column moved here
            continue
        col[role] = position
        claimed.add(position)
    missing = [r for r in MAP_COLUMNS if r not in col and r not in _OPTIONAL]
    if missing:
        raise ReviewError(
            f"sheet {SHEET_MAP} has no column '{written[missing[0]]}'; restore the header row "
            "of the generated workbook",
            path=str(path),
        )
    return col


def _read(wb, path: Path) -> ReviewSheet:
    meta = _pairs(wb[SHEET_META]) if SHEET_META in wb.sheetnames else {}
    labels = (meta.get(META_OLD_LABEL) or EDITION_OLD, meta.get(META_NEW_LABEL) or EDITION_NEW)
    summary_ws = _sheet(wb, SHEET_SUMMARY, path)
    summary = _pairs(summary_ws)
    # Without the textkit sheet (a format-1 workbook): the first two 概要 rows name the documents.
    first = [_text(r[1]) for r in summary_ws.iter_rows(min_row=2, max_row=3, values_only=True)]
    first += ["", ""]
    old_name = meta.get(META_OLD) or summary.get(f"{labels[0]} 資料") or first[0]
    new_name = meta.get(META_NEW) or summary.get(f"{labels[1]} 資料") or first[1]
    if not old_name or not new_name:
        raise ReviewError(
            f"sheet {SHEET_SUMMARY} lacks the '{labels[0]} 資料' / '{labels[1]} 資料' rows that "
            "name the documents; restore them from the generated workbook",
            path=str(path),
        )
    try:
        for name in (old_name, new_name):
            check_name(name, f"sheet {SHEET_SUMMARY}")
    except ReviewError as exc:
        raise ReviewError(str(exc), path=str(path)) from None
    revision_text = meta.get(META_REVISION, "")
    revision = int(revision_text) if revision_text.isdigit() else None
    old_titles: dict[str, str] = {}
    new_titles: dict[str, str] = {}
    for r in _sheet(wb, SHEET_MEASURES, path).iter_rows(min_row=2, values_only=True):
        edition, mid, title = (_text(v) for v in (*r, "", "", "")[:3])
        if edition == labels[0] and mid:
            old_titles[mid] = title
        elif edition == labels[1] and mid:
            new_titles[mid] = title
    ws = _sheet(wb, SHEET_MAP, path)
    written_relations = _written_relations(wb)
    was = dict(written_relations) if written_relations is not None else None
    values = list(ws.iter_rows(values_only=True))
    header = [_text(h) for h in values[0]] if values else []
    col = _map_columns(header, meta, path)
    rows = []
    for number, raw in enumerate(values[1:], start=2):
        cells = {h: _text(raw[i]) if i < len(raw) else "" for h, i in col.items()}
        if not any(cells.values()):
            continue
        rows.append(
            _Row(
                number=number,
                old_id=_typed_id(cells["old_id"], old_titles),
                new_id=_typed_id(cells["new_id"], new_titles),
                relation_label=cells["relation"],
                score=cells["score"],
                evidence=cells["evidence"],
                decision=cells["decision"],
                note=_note(raw, col.get("note")),
                orig_old=cells["orig_old_id"],
                orig_new=cells["orig_new_id"],
                orig_decision=cells.get("orig_decision"),
                orig_note=_note(raw, col["orig_note"]) if "orig_note" in col else None,
                orig_relation=(
                    was.get((cells["orig_old_id"], cells["orig_new_id"]))
                    if was is not None and (cells["orig_old_id"] or cells["orig_new_id"])
                    else None
                ),
            )
        )
    return ReviewSheet(
        old_name,
        new_name,
        revision,
        old_titles,
        new_titles,
        tuple(rows),
        meta.get(META_OLD_SOURCE, ""),
        meta.get(META_NEW_SOURCE, ""),
        labels,
        meta.get(META_MAPPINGS, ""),
        _written(wb),
        written_relations,
    )


# Dashes staff type for an ID's hyphen: Japanese IMEs give ー (the long-vowel mark) or － for -.
_ID_DASHES = re.compile(r"[‐‑‒–—―−ーｰ－]")


def _id_key(text: str) -> str:
    """An ID as typing cannot tell it apart: widths folded, spaces gone, dashes one, case folded."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text)
    return _ID_DASHES.sub("-", "".join(folded.split())).casefold()


def _typed_id(text: str, titles: dict[str, str]) -> str:
    """An ID as staff typed it, read as the one 施策一覧 lists when only typing tells them apart
    (a Japanese IME gives Ｇ３－Ｍ２ or G3ーM2 for G3-M2; g3-m2, 'G3 - M2'); anything else stays as
    typed (and is named if unknown)."""
    if not text or text in titles:
        return text
    listed = [i for i in titles if _id_key(i) == _id_key(text)]
    return listed[0] if len(listed) == 1 else text


def _written(wb) -> tuple[tuple[str, str], ...] | None:
    """The 対応表 rows' IDs as the workbook was written (its hidden rows sheet), or None."""
    if SHEET_WRITTEN not in wb.sheetnames:
        return None
    rows = list(wb[SHEET_WRITTEN].iter_rows(min_row=2, values_only=True))
    return tuple((_text(r[0]), _text(r[1])) for r in rows if len(r) >= 2 and any(r[:2]))


def _written_relations(wb) -> tuple[tuple[tuple[str, str], str], ...] | None:
    """((元の IDs), 区分) of each 対応表 row as written, or None (a workbook before the column)."""
    if SHEET_WRITTEN not in wb.sheetnames:
        return None
    ws = wb[SHEET_WRITTEN]
    header = [_text(h) for h in next(ws.iter_rows(max_row=1, values_only=True), ())]
    if len(header) < 3 or header[2] != "relation":
        return None
    rows = ws.iter_rows(min_row=2, values_only=True)
    return tuple(
        ((_text(r[0]), _text(r[1])), _text(r[2])) for r in rows if len(r) >= 3 and any(r[:2])
    )


def _note(raw: tuple, index: int | None) -> str:
    """A 備考 cell as written (not stripped: text in, the same text out)."""
    if index is None or index >= len(raw) or raw[index] is None:
        return ""
    value = raw[index]
    return _text(value) if not isinstance(value, str) else value


# ── rows → decisions ────────────────────────────────────────────────────────


def _fail(path: Path, row: _Row, message: str) -> ReviewError:
    return ReviewError(f"sheet {SHEET_MAP}, row {row.number}: {message}", path=str(path))


def _relation_of(sheet: ReviewSheet, row: _Row, path: Path) -> Relation:
    """The relation a kept row states, validated against 施策一覧 (raises naming the row)."""
    relation = _RELATION_BY_LABEL.get(row.relation_label)
    if relation is None and not row.relation_label and (row.old_id or row.new_id):
        # 区分 emptied (a 却下 row set back to 承認, a row added without 区分): what its IDs
        # state — a link (区分 of a link is computed from the links), or 新規 / 廃止
        relation = _link_shape(row.key)
    if relation is None:
        raise _fail(
            path,
            row,
            f"区分 '{row.relation_label}' is not one of {', '.join(RELATION_JA.values())}",
        )
    o, n = (f"{label} ID" for label in sheet.labels)
    if row.old_id and row.old_id not in sheet.old_titles:
        raise _fail(
            path, row, f"{o} '{row.old_id}' is unknown; use an ID listed in {SHEET_MEASURES}"
        )
    if row.new_id and row.new_id not in sheet.new_titles:
        raise _fail(
            path, row, f"{n} '{row.new_id}' is unknown; use an ID listed in {SHEET_MEASURES}"
        )
    if relation is Relation.NEW and (row.old_id or not row.new_id):
        raise _fail(path, row, f"区分 新規 needs a {n} and an empty {o}")
    if relation is Relation.DROPPED and (row.new_id or not row.old_id):
        raise _fail(path, row, f"区分 廃止 needs a {o} and an empty {n}")
    if relation in _LINKING and not (row.old_id and row.new_id):
        raise _fail(path, row, f"区分 {RELATION_JA[relation]} needs both a {o} and a {n}")
    return relation


def _outside_lists(sheet: ReviewSheet, row: _Row) -> tuple[tuple[str, str], ...]:
    """(column, value) of each cell holding what its drop-down does not offer (pasted, or typed
    in another program): a 区分 outside RELATION_JA, an ID not in 施策一覧."""
    o, n = (f"{label} ID" for label in sheet.labels)
    out = []
    if row.relation_label and (
        row.relation_label not in _RELATION_BY_LABEL or _misfit(sheet, row) is not None
    ):
        out.append(("区分", row.relation_label))
    if row.old_id and row.old_id not in sheet.old_titles:
        out.append((o, row.old_id))
    if row.new_id and row.new_id not in sheet.new_titles:
        out.append((n, row.new_id))
    return tuple(out)


def _unreadable(sheet: ReviewSheet, row: _Row) -> tuple[tuple[str, str], ...]:
    """The cells outside their lists that decide what a changed row says: none for a 却下 of a
    row as written (it names that row's link, whatever its cells now hold), the IDs for a 却下
    added by hand, every such cell otherwise."""
    outside = _outside_lists(sheet, row)
    if row.decision == REVIEW_REJECT:
        return tuple(c for c in outside if c[0] != "区分") if row.added_by_hand else ()
    return outside


def _misfit(sheet: ReviewSheet, row: _Row) -> str | None:
    """Why a 区分 from the list does not fit the row's IDs (廃止 or 新規 on a row with both IDs,
    a link's 区分 with one ID), or None when it fits (or is not from the list)."""
    relation = _RELATION_BY_LABEL.get(row.relation_label)
    o, n = (f"{label} ID" for label in sheet.labels)
    if relation is Relation.NEW and (row.old_id or not row.new_id):
        return f"区分 新規 needs a {n} and an empty {o}"
    if relation is Relation.DROPPED and (row.new_id or not row.old_id):
        return f"区分 廃止 needs a {o} and an empty {n}"
    if relation in _LINKING and not (row.old_id and row.new_id):
        return f"区分 {RELATION_JA[relation]} needs both a {o} and a {n}"
    return None


def _misfit_advice(row: _Row) -> str:
    """What to do instead of a 区分 that does not fit the row's IDs."""
    relation = _RELATION_BY_LABEL.get(row.relation_label)
    if relation is Relation.DROPPED and row.old_id and row.new_id:
        return (
            f"to say {row.old_id} does not continue as {row.new_id}, choose {REVIEW_REJECT} in "
            f"its 確認 ({row.old_id} is then 廃止 unless another link continues it)"
        )
    if relation is Relation.NEW and row.old_id and row.new_id:
        return (
            f"to say {row.new_id} does not come from {row.old_id}, choose {REVIEW_REJECT} in "
            f"its 確認 ({row.new_id} is then 新規 unless another link leads to it)"
        )
    return "give both IDs for a link, or only one for 新規 / 廃止"


def _what_outside(sheet: ReviewSheet, row: _Row, cells: tuple[tuple[str, str], ...]) -> str:
    said = []
    for column, value in cells:
        misfit = _misfit(sheet, row) if column == "区分" else None
        if misfit is not None:  # from the list, but not for these IDs
            said.append(f"{misfit}; {_misfit_advice(row)}")
        elif column == "区分":
            said.append(f"区分 '{value}' is not one of {', '.join(RELATION_JA.values())}")
        else:
            said.append(f"{column} '{value}' is not in {SHEET_MEASURES}")
    return "; ".join(said)


def _link_shape(key: tuple[str, str]) -> Relation:
    """The relation a row kept as it was written states by its IDs (区分 of a link is computed)."""
    if key[0] and key[1]:
        return Relation.KEPT
    return Relation.DROPPED if key[0] else Relation.NEW


def _written_rejected(row: _Row) -> bool:
    return not row.added_by_hand and row.orig_decision == REVIEW_REJECT


def _typed_outside_list(row: _Row) -> bool:
    """確認 holds something the drop-down does not offer (pasted, or typed in another program)."""
    return bool(row.decision) and row.decision not in REVIEW_CHOICES


def _decision_of(sheet: ReviewSheet, row: _Row, path: Path) -> Decision:
    if _typed_outside_list(row) or _unreadable(sheet, row):
        # not a decision textkit can read, but what the reviewer wrote is kept: 保留 (pending),
        # or 却下 for a row written 却下 (a contradictory edit never brings a rejected link back)
        return Decision.REJECT if _written_rejected(row) else Decision.PENDING
    if row.decision:
        return _DECISION_BY_LABEL[row.decision]
    if row.added_by_hand:
        return Decision.CORRECT  # a row added by hand stands as written
    if row.key != row.orig_key:
        raise _fail(
            path, row, f"the IDs were edited but 確認 is empty; choose {REVIEW_FIX} to keep it"
        )
    # 確認 cleared, or only 備考 written: not decided, but nothing the reviewer wrote is lost
    return Decision.PENDING


def _record(
    sheet: ReviewSheet, row: _Row, earlier: ReviewRecord | None, path: Path, when: str
) -> tuple[ReviewRecord, tuple[str, str] | None]:
    """The record a changed row states, and the key of the row it replaces."""
    unreadable = _unreadable(sheet, row)
    if unreadable and row.added_by_hand:
        raise _fail(path, row, f"{_what_outside(sheet, row, unreadable)}; not recorded")
    decision = _decision_of(sheet, row, path)
    replaces = None if row.added_by_hand else row.orig_key
    # The proposal a row was made from: kept through later changes of the same row, so a
    # correction that is later rejected does not bring the replaced proposal back.
    if earlier is not None and any(earlier.original_key):
        original = earlier.original_key
    else:
        original = replaces or ("", "")
    if decision is Decision.REJECT:
        key = row.key if row.added_by_hand else row.orig_key
        relation = rejected_relation(key)
    elif unreadable:  # kept 保留 as the row was written; what was typed goes beside its 備考
        key = row.orig_key
        relation = _link_shape(key)
    else:
        key = row.key
        relation = _relation_of(sheet, row, path)
    unchanged_ids = key == row.orig_key
    note = row.note
    typed = ((("確認", row.decision),) if _typed_outside_list(row) else ()) + unreadable
    for column, value in typed:  # kept beside the 備考, so the next workbook shows it
        kept = "却下のまま" if decision is Decision.REJECT else "保留"
        if column == "区分" and value in _RELATION_BY_LABEL:
            why = f"ID と合わないため{kept}"
        else:
            why = f"{'選択肢' if column in ('確認', '区分') else SHEET_MEASURES}にないため{kept}"
        note = f"{note}{'　' if note else ''}（{column}に「{value}」と入力: {why}）"
    score = _number(row.score) if unchanged_ids else None
    terms: tuple[str, ...] = ()
    if unchanged_ids and row.evidence.startswith("記載あり"):
        evidence, terms = Evidence.STATED, ()
    elif unchanged_ids and row.evidence and row.evidence != "確認済み":
        evidence, terms = Evidence.SIMILARITY, evidence_terms(row.evidence)
    else:
        evidence, terms = Evidence.REVIEWED, ()
    record = ReviewRecord(
        old_id=key[0],
        old_title=sheet.old_titles.get(key[0], ""),
        new_id=key[1],
        new_title=sheet.new_titles.get(key[1], ""),
        relation=relation,
        decision=decision,
        note=note,
        decided_at=when,
        workbook_revision=sheet.revision,
        original_old_id=original[0],
        original_new_id=original[1],
        score=score,
        evidence=evidence,
        matched_terms=terms,
    )
    return record, replaces


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _stated(
    sheet: ReviewSheet,
    row: _Row,
    records: dict,
    agreed: dict[tuple[str, str], ReviewRecord],
    path: Path,
    when: str,
) -> tuple[ReviewRecord, tuple[str, str] | None]:
    """The record a changed row states (``_record``), as agreed with the other rows of this
    workbook deciding the same link, and the key of the row it replaces."""
    before = records.get(row.orig_key) if not row.added_by_hand else None
    record, replaces = _record(sheet, row, before, path, when)
    if record.key in agreed:  # several rows deciding this link the same way
        one = agreed[record.key]
        record = replace(
            record,
            relation=one.relation,
            decision=one.decision,
            note=one.note,
            original_old_id=one.original_old_id or record.original_old_id,
            original_new_id=one.original_new_id or record.original_new_id,
        )
    return record, replaces


def _decided_later(
    records: dict[tuple[str, str], ReviewRecord], sheet: ReviewSheet
) -> dict[tuple[int, str], list[ReviewRecord]]:
    """Records of a revision later than the workbook was made from (every record when that is
    unknown) that changed the links it shows — not an approval (or 保留) of a link it shows —
    by (side, measure id) of their link and of the proposal they were made from, latest first."""
    made = sheet.revision
    shown = {row.orig_key for row in sheet.rows if not row.added_by_hand} | set(sheet.written or ())
    out: dict[tuple[int, str], list[ReviewRecord]] = {}
    for now in sorted(records.values(), key=lambda r: -r.revision):
        if made is not None and now.revision <= made:
            continue
        keeps_links = now.decision in (Decision.APPROVE, Decision.PENDING) and now.key in shown
        if keeps_links and now.original_key in (now.key, ("", "")):
            continue
        for side in (0, 1):
            for measure in {now.key[side], now.original_key[side]} - {""}:
                out.setdefault((side, measure), []).append(now)
    return out


def _older(
    row: _Row,
    sheet: ReviewSheet,
    later: dict[tuple[int, str], list[ReviewRecord]],
    own: dict[tuple[str, str], list[ReviewRecord]],
) -> str | None:
    """Why a row is older than a decision recorded since its workbook was made about the same
    第2期 measure (the same 第3期 measure for a 新規 row), or None. The workbook was made from
    ``sheet.revision``; a record of a later revision (``later``, by ``_decided_later``) was
    decided knowing something this row did not (a correction that moved the measure elsewhere, a
    link added, a 廃止), so the row is not applied — later decisions win only when they were made
    later, never by the order in which workbooks are applied. This workbook's own decisions
    (``own``: applied before, and still as it says) do not count."""
    made = sheet.revision
    side = 0 if (row.old_id or row.orig_old) else 1
    measures = {m for m in ((row.old_id, row.orig_old), (row.new_id, row.orig_new))[side] if m}
    for measure in sorted(measures):
        for now in later.get((side, measure), ()):
            if any(_same_decision(now, mine) for mine in own.get(now.key, ())):
                continue
            return (
                f"{measure} was decided at revision {now.revision} ({DECISION_JA[now.decision]} "
                f"{now.old_id or '-'} → {now.new_id or '-'}, "
                f"{now.decided_at or 'time not recorded'}), after this workbook was made from "
                f"revision {made if made is not None else 'unknown'}: this row is older and was "
                "not applied — make a new workbook with 'textkit report' and decide it there"
            )
    return None


def _recorded(record: ReviewRecord, replaces: tuple[str, str] | None, records: dict) -> bool:
    """Is this decision recorded already (the same workbook, or an identical row, applied
    before)? Its own key holds the same decision and the row it replaces holds nothing any more
    (a correction applied again is not a new decision: no new decided_at, no new revision)."""
    now = records.get(record.key)
    if now is None or not _same_decision(now, record):
        return False
    return replaces in (None, record.key) or replaces not in records


def _same_decision(a: ReviewRecord, b: ReviewRecord) -> bool:
    return (a.key, a.relation, a.decision, a.note, a.original_key, a.relation_basis) == (
        b.key,
        b.relation,
        b.decision,
        b.note,
        b.original_key,
        b.relation_basis,
    )


# ── 区分 the reviewer chose ──────────────────────────────────────────────────

Stated = tuple[_Row, ReviewRecord, "tuple[str, str] | None"]


def _with_relations(
    sheet: ReviewSheet, stated: list[Stated], records: dict[tuple[str, str], ReviewRecord]
) -> list[Stated]:
    """Each stated link with the relation it is recorded with: a 区分 the reviewer chose that
    differs from what this workbook's links (as it leaves them) give is their decision, kept
    with the links it was chosen on (``relation_basis``; the map shows it while they stay);
    otherwise the relation those links give (the map recomputes it)."""
    from .continuity import group_relation, link_groups

    groups = link_groups(_edited_links(sheet, stated))
    out = []
    for row, record, replaces in stated:
        group = groups.get(record.key)
        if record.is_link and group is not None:
            computed = group_relation(group)
            chosen = (
                record.decision in (Decision.APPROVE, Decision.CORRECT)
                and Relation(record.relation) is not computed
                and _relation_chosen(sheet, row, records.get(row.orig_key))
            )
            record = replace(
                record,
                relation=record.relation if chosen else computed,
                relation_basis=tuple(sorted(group)) if chosen else (),
            )
        out.append((row, record, replaces))
    return out


def _edited_links(sheet: ReviewSheet, stated: list[Stated]) -> list[tuple[str, str]]:
    """The links of the 対応表 as this workbook leaves them: each changed row's link (as it
    states it), every other row's link as written, and rows deleted (deleting decides nothing)."""
    by_row = {row.number: record for row, record, _ in stated}
    written = dict(sheet.written_relations or ())
    links: list[tuple[str, str]] = []
    present = set()
    for row in sheet.rows:
        if not row.added_by_hand:
            present.add(row.orig_key)
        record = by_row.get(row.number)
        if record is not None:
            if record.is_link:
                links.append(record.key)
        elif not row.added_by_hand and all(row.orig_key) and row.orig_decision != REVIEW_REJECT:
            links.append(row.orig_key)
    for key in sheet.written or ():
        if key not in present and all(key) and written.get(key, "x"):  # 却下 rows: no 区分
            links.append(key)
    return links


def _relation_chosen(sheet: ReviewSheet, row: _Row, before: ReviewRecord | None) -> bool:
    """Did the reviewer choose this row's 区分 (rather than leave the one the links gave)?
    Changed from what the row was written with, or left as the 区分 chosen earlier that the
    workbook showed. The 区分 typed on a row added by hand describes the row (staff write 継続
    for "continues" whatever else leads to that measure): the links decide it, and the apply
    says so when they give another (``_chosen_notes``)."""
    if not row.relation_label or row.relation_label not in _RELATION_BY_LABEL:
        return False
    if row.added_by_hand:
        return False
    written = dict(sheet.written_relations or ()).get(row.orig_key)
    if written is not None and row.relation_label != written:
        return True
    return (
        before is not None
        and bool(before.relation_basis)
        and RELATION_JA[Relation(before.relation)] == row.relation_label
    )


def _chosen_notes(stated: list[Stated], skipped: list[Skipped]) -> tuple[str, ...]:
    """A note per row recorded with a 区分 the reviewer chose: what the links alone give, and
    that the 区分 stays while those links do."""
    from .continuity import group_relation

    left_out = {s.row for s in skipped}
    out = []
    for row, record, _ in stated:
        if row.number in left_out:
            continue
        typed = _RELATION_BY_LABEL.get(row.relation_label)
        if row.added_by_hand and record.is_link and typed not in (None, record.relation):
            out.append(
                f"sheet {SHEET_MAP}, row {row.number} ({record.old_id} → {record.new_id}, added): "
                f"区分 {row.relation_label} was typed, but its links give "
                f"{RELATION_JA[Relation(record.relation)]}, which the next workbook shows — to "
                f"keep {row.relation_label} as your decision, choose it there again with "
                f"確認 {REVIEW_FIX}"
            )
        if not record.relation_basis:
            continue
        computed = group_relation(record.relation_basis)
        out.append(
            f"sheet {SHEET_MAP}, row {row.number} ({record.old_id} → {record.new_id}): 区分 "
            f"{RELATION_JA[Relation(record.relation)]} recorded as chosen (its links give "
            f"{RELATION_JA[computed]}); every next output shows "
            f"{RELATION_JA[Relation(record.relation)]} while the links stay as they are"
        )
    return tuple(out)


@dataclass(frozen=True)
class Skipped:
    """A changed row that was not applied, and why."""

    row: int
    link: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row} ({self.link}): {self.reason}"


@dataclass(frozen=True)
class ApplyResult:
    """What ``apply_workbook`` did."""

    path: Path  # the pair's reviewed map
    revision: int  # its revision now
    applied: int  # decisions recorded by this workbook
    skipped: tuple[Skipped, ...] = ()  # changed rows not applied (decided since the workbook)
    superseded: tuple[str, ...] = ()  # earlier 新規/廃止 statements a new link replaced
    history: Path | None = None  # where the replaced version was kept
    warnings: tuple[str, ...] = ()  # rows applied otherwise than typed (確認 outside the list)
    merged_rows: tuple[str, ...] = ()  # rows of this workbook deciding one link the same way
    changed_rows: int = 0  # rows the reviewer changed or added (what the workbook decides)
    chosen_relations: tuple[str, ...] = ()  # rows recorded with a 区分 the reviewer chose

    def summary(self, workbook: str | Path) -> str:
        """The one line ``review apply`` ends with: what was written, or why nothing was."""
        import os

        where = os.path.normpath(self.path)
        if self.applied:
            kept = (
                f"; the previous version is in {os.path.normpath(self.history)}"
                if self.history
                else ""
            )
            return (
                f"wrote {where} (revision {self.revision}: "
                f"{plural(self.applied, 'decision')}{kept})"
            )
        if self.skipped:
            n = len(self.skipped)
            return (
                f"nothing applied: {plural(n, 'row')} of {workbook} {verb(n, 'was')} skipped "
                "(decided since the workbook was made; named above) — make a new workbook with "
                "'textkit report' and decide them there"
            )
        if not self.changed_rows:
            absent = "" if self.path.exists() else f"; {where} was not written"
            return (
                f"nothing to apply: {workbook} decides nothing (no row's 確認 or 備考 was "
                f"changed, no row added){absent}"
            )
        if not self.path.exists():
            return (
                f"nothing recorded from {workbook}: no row it changed could be recorded (named "
                f"in the warnings above); {where} was not written"
            )
        said = " (rows it did not record are named in the warnings above)" if self.warnings else ""
        return f"nothing to apply: {where} already holds every decision of {workbook}{said}"


def _state_shown(row: _Row) -> tuple[str, str] | None:
    """(確認, 備考) the row showed when it was written, or None if the workbook did not say."""
    if row.orig_decision is None:
        return None
    return (row.orig_decision, row.orig_note or "")


def _state_now(record: ReviewRecord | None) -> tuple[str, str]:
    if record is None:
        return ("", "")
    return (DECISION_JA[record.decision], record.note)


def _conflict(row: _Row, record: ReviewRecord, records: dict, sheet: ReviewSheet) -> str | None:
    """Why a changed row must not be applied (a newer decision would be overridden), or None."""
    shown = _state_shown(row)
    if not row.added_by_hand and shown is not None:
        now = records.get(row.orig_key)
        if _state_now(now) != shown and not (now and _same_decision(now, record)):
            what = (
                f"{DECISION_JA[now.decision]} at revision {now.revision} ({now.decided_at})"
                if now is not None
                else "withdrawn from the reviewed map"
            )
            return f"decided since this workbook was made (now {what}); not overridden"
    made = sheet.revision
    if record.decision is not Decision.REJECT and not record.is_link:
        for now in records.values():  # a 新規/廃止 statement against a link decided since
            same = (record.old_id and now.old_id == record.old_id) or (
                record.new_id and now.new_id == record.new_id
            )
            if now.is_link and same and (made is None or now.revision > made):
                return (
                    f"{now.old_id} → {now.new_id} was decided at revision {now.revision}, after "
                    f"this workbook (revision {made if made is not None else 'unknown'}); "
                    "not overridden"
                )
    targets = [record.key]
    if record.is_link:
        targets += [(record.old_id, ""), ("", record.new_id)]
    for key in targets:
        if key == row.orig_key:
            continue
        now = records.get(key)
        if now is None or _same_decision(now, record):
            continue
        if made is None or now.revision > made:
            return (
                f"{now.old_id or '-'} → {now.new_id or '-'} was decided "
                f"({DECISION_JA[now.decision]}) at revision {now.revision}, after this workbook "
                f"(revision {made if made is not None else 'unknown'}); not overridden"
            )
    return None


def _source(ref: str, workbook: Path, mappings_dir: str | Path) -> str:
    """An edition's file as the workbook names it (relative to the workbook's folder), as the
    reviewed map names it (relative to the mappings folder)."""
    return edition_ref(edition_at(ref, workbook.parent), mappings_dir) if ref else ""


def _kept_source(ref: str, workbook: Path, mappings_dir: str | Path, kept: str) -> str:
    """The edition file the reviewed map names: the workbook's (``_source``) when that file is
    there, else the one the map already names — a copied workbook's editions, seen from the
    copy, are not found, and replacing the map's would leave ``textkit fit`` without them."""
    mine = _source(ref, workbook, mappings_dir)
    if kept and not _edition_found(mine, mappings_dir):
        return kept
    return mine or kept


def _edition_found(ref: str, mappings_dir: str | Path) -> bool:
    from .decisions import edition_paths

    places, _ = edition_paths(ref, mappings_dir)
    return any(p.is_file() for p in places)


def _stands(record: ReviewRecord) -> bool:
    return record.decision in (Decision.APPROVE, Decision.CORRECT)


def _one_decision(rows: list[tuple[_Row, ReviewRecord]], path: Path) -> ReviewRecord | None:
    """The one record several rows deciding the same link agree on (the correction when one row
    approves and another corrects onto it; the 備考 that is not empty), or None when they
    contradict each other."""
    records = [r for _, r in rows]
    notes = {r.note for r in records if r.note}
    relations = {r.relation for r in records}
    if len(notes) > 1 or len(relations) > 1:
        return None
    decisions = {r.decision for r in records}
    if len(decisions) > 1 and not all(_stands(r) for r in records):
        return None
    chosen = next((r for r in records if r.decision is Decision.CORRECT), records[0])
    return replace(chosen, note=next(iter(notes), ""))


def _same_link_rows(
    sheet: ReviewSheet, changed: list[_Row], path: Path
) -> tuple[dict[tuple[str, str], ReviewRecord], tuple[str, ...]]:
    """Changed rows of one workbook that end up deciding the same link: refused (naming both rows
    and what each says) unless they say the same; then (the one record per such link, notes)."""
    by_key: dict[tuple[str, str], list[tuple[_Row, ReviewRecord]]] = {}
    for row in changed:
        record, _ = _record(sheet, row, None, path, "")
        by_key.setdefault(record.key, []).append((row, record))
    agreed: dict[tuple[str, str], ReviewRecord] = {}
    notes: list[str] = []
    for key, rows in by_key.items():
        if len(rows) < 2:
            continue
        link = f"{key[0] or '-'} → {key[1] or '-'}"
        numbers = " and ".join(str(row.number) for row, _ in rows)
        each = "both" if len(rows) == 2 else "all"
        one = _one_decision(rows, path)
        if one is None:
            said = "; ".join(
                f"row {row.number}: {DECISION_JA[r.decision]} {RELATION_JA[r.relation]}"
                + (f" 備考 '{r.note}'" if r.note else "")
                for row, r in rows
            )
            raise ReviewError(
                f"sheet {SHEET_MAP}, rows {numbers} {each} decide {link} differently ({said}); "
                "make them say the same, or clear 確認 of all but one, and apply again",
                path=str(path),
            )
        agreed[key] = one
        notes.append(f"rows {numbers} {each} decide {link} the same way; recorded once")
    return agreed, tuple(notes)


def _outside_notes(sheet: ReviewSheet, changed: list[_Row]) -> tuple[str, ...]:
    """A warning per changed row holding a value outside its drop-down (確認, 区分, an ID): what
    was done with the row instead."""
    out = []
    for row in changed:
        where = f"sheet {SHEET_MAP}, row {row.number} ({row.label()})"
        unreadable = _unreadable(sheet, row)
        if unreadable and row.added_by_hand:
            out.append(
                f"{where}: {_what_outside(sheet, row, unreadable)}; the row was not recorded — "
                f"choose IDs listed in {SHEET_MEASURES} and apply it again"
            )
            continue
        said = []
        if _typed_outside_list(row):
            said.append(f"確認 '{row.decision}' is not one of {', '.join(REVIEW_CHOICES)}")
        if unreadable:
            said.append(_what_outside(sheet, row, unreadable))
        if said:
            at = f" at {row.orig_old or '-'} → {row.orig_new or '-'}" if unreadable else ""
            kept = (
                f"kept {REVIEW_REJECT} as written"
                if _written_rejected(row)
                else f"recorded as {REVIEW_PENDING} (pending)"
            )
            out.append(
                f"{where}: {'; '.join(said)}; {kept}{at} with "
                "what was typed in its 備考 — choose from the drop-down in the next workbook and "
                "apply it again"
            )
    return tuple(out)


def _deleted_note(sheet: ReviewSheet) -> tuple[str, ...]:
    """A warning naming the 対応表 rows the workbook was written with that are gone (deleted or
    emptied): deleting a row decides nothing."""
    if sheet.written is None:  # a workbook written before it recorded its rows
        return ()
    present = {row.orig_key for row in sheet.rows if not row.added_by_hand}
    gone = [key for key in sheet.written if key not in present]
    if not gone:
        return ()
    links = ", ".join(f"{o or '-'} → {n or '-'}" for o, n in gone)
    return (
        f"sheet {SHEET_MAP}: {plural(len(gone), 'row')} of the workbook as written "
        f"{verb(len(gone), 'is')} deleted ({links}); deleting a row decides nothing (what it "
        f"showed stays as it was) — to reject a link, choose {REVIEW_REJECT} in its 確認 "
        "('textkit report' writes the deleted rows again)",
    )


def _relation_notes(sheet: ReviewSheet) -> tuple[str, ...]:
    """A warning per 対応表 row whose 区分 staff changed while its IDs stayed as written but
    whose 区分 is not recorded as chosen: with 確認 left as it was nothing is recorded (no
    decision is guessed: choose 修正), with 保留 the row is recorded undecided. (With 承認 or
    修正 the 区分 is their decision: recorded and shown, ``ApplyResult.chosen_relations``.) Rows
    rejected, with a 区分 outside the list (warned already) or emptied (read as a link) are not
    named."""
    if sheet.written_relations is None:  # a workbook written before it recorded its 区分
        return ()
    was = dict(sheet.written_relations)
    out = []
    for row in sheet.rows:
        before = was.get(row.orig_key)
        now = row.relation_label
        if (
            row.added_by_hand
            or row.key != row.orig_key
            or not before
            or not now
            or now == before
            or now not in _RELATION_BY_LABEL
            or row.decision == REVIEW_REJECT
            or (row.decision in (REVIEW_APPROVE, REVIEW_FIX) and row.changed)
        ):
            continue
        where = f"sheet {SHEET_MAP}, row {row.number} ({row.label()})"
        if _unreadable(sheet, row) or _typed_outside_list(row):
            continue  # kept 保留 as written, named by _outside_notes
        if not row.changed:
            out.append(
                f"{where}: 区分 changed from {before} to {now} but 確認 is "
                f"{'empty' if not row.decision else row.decision + ' as written'} — nothing "
                f"recorded; to record the 区分 you chose, choose {REVIEW_FIX} in 確認 (until "
                f"then the next workbook shows {before})"
            )
        else:
            out.append(
                f"{where}: 区分 changed from {before} to {now} but 確認 is "
                f"{row.decision or 'empty'}: recorded as {REVIEW_PENDING} (not decided), so the "
                f"next workbook shows {before}; to record the 区分 you chose, choose "
                f"{REVIEW_FIX} in 確認"
            )
    return tuple(out)


# Called between reading the reviewed map and writing it (tests pause here to race two applies).
_between_read_and_write: Callable[[], None] = lambda: None  # noqa: E731


def recorded_mappings(sheet: ReviewSheet, workbook: str | Path) -> Path | None:
    """The mappings folder a workbook says it was made from (its hidden sheet, relative to the
    workbook's folder), when that folder exists; else None."""
    if not sheet.mappings:
        return None
    folder = Path(sheet.mappings)
    if not folder.is_absolute():
        folder = Path(workbook).parent / folder
    return folder if folder.is_dir() else None


def _default_mappings(sheet: ReviewSheet, workbook: Path) -> Path:
    """Where a workbook applied without ``--mappings`` writes: the folder it records it was made
    from; when that folder is not found from where the workbook is now, ``mappings`` here only
    if that is the same place (a first apply, before the folder exists). A copy elsewhere is
    refused — even of a workbook made before any decision — rather than start a second history
    in whatever folder the command runs in."""
    recorded = recorded_mappings(sheet, workbook)
    if recorded is not None or not sheet.mappings:
        return recorded or Path("mappings")
    made_in = Path(sheet.mappings)
    if not made_in.is_absolute():
        made_in = workbook.parent / made_in
    here = Path("mappings")
    if here.resolve() == made_in.resolve():
        return here
    target = reviewed_map_path(here, sheet.old_name, sheet.new_name)
    made = sheet.revision or 0
    # ./mappings itself may be the one holding the pair's history (a copy saved into a sub-folder
    # of the project, applied from the project folder): name it, never call it a second history.
    # It is not used unasked: which folder a copy's decisions belong to is the user's to say.
    found = here if _holds(target, made) else _store_holding(sheet, target, made, workbook)
    advice = (
        f"{found} holds the pair's reviewed map at revision {made} or later: textkit review "
        f"apply {workbook} --mappings {found}"
        if found is not None
        else f"give that folder: textkit review apply {workbook} --mappings <the folder "
        f"holding {target.name}, or where it should be kept>"
    )
    second = (
        ""
        if found == here
        else f", and applying it here would start a second history in {here.resolve()}"
    )
    raise ReviewError(
        f"this workbook was made with the decisions in '{sheet.mappings}' beside where it was "
        f"written ({made_in} from where it is now), which is not here: it was copied or moved "
        f"from its project folder{second}; {advice}",
        path=str(workbook),
    )


def _check_store(sheet: ReviewSheet, target: Path, earlier: ReviewedMap | None, workbook: Path):
    """Refuse to write a workbook made from revision N of a reviewed map into a store that does
    not hold that map at revision N or later (another folder's mappings/: the history would not
    be seen and a second, diverging store started). The advice names a folder near the workbook
    or the current folder that does hold it, else says how to give it — never the folder just
    found wanting."""
    made = sheet.revision or 0
    held = earlier.revision if earlier is not None else 0
    if made <= max([held, *history_revisions(target)]):  # here (a map deleted by hand too)
        return
    state = f"is at revision {held}" if earlier is not None else "does not exist"
    found = _store_holding(sheet, target, made, workbook)
    if found is not None:
        advice = (
            f"{found} holds it at revision {made} or later: textkit review apply {workbook} "
            f"--mappings {found}"
        )
    else:
        made_in = f"'{sheet.mappings}' beside where it was written" if sheet.mappings else ""
        advice = (
            f"the mappings folder it was made from{' (' + made_in + ')' if made_in else ''} is "
            "not here (the workbook was copied or moved without it); give that folder: "
            f"textkit review apply {workbook} --mappings <the folder holding {target.name}>"
        )
    raise ReviewError(
        f"this workbook was made from revision {made} of the reviewed map {target.name}, but "
        f"{target} {state}; {advice}",
        path=str(workbook),
    )


def _check_target(
    sheet: ReviewSheet, target: Path, earlier: ReviewedMap | None, workbook: Path
) -> None:
    """Refuse a store that is not this workbook's: at an earlier revision (``_check_store``), or
    holding decisions on other documents of the same file names (another city's 第2期 / 第3期)."""
    _check_store(sheet, target, earlier, workbook)
    if earlier is None:
        return
    from .normalize import normalize_chars

    def same(a: str, b: str) -> bool:
        return "".join(normalize_chars(a).split()) == "".join(normalize_chars(b).split())

    o, n = sheet.labels
    for r in earlier.records:
        for mid, title, titles, label in (
            (r.old_id, r.old_title, sheet.old_titles, o),
            (r.new_id, r.new_title, sheet.new_titles, n),
        ):
            if not mid or not title or (mid in titles and same(titles[mid], title)):
                continue
            here = f"「{titles[mid]}」" if mid in titles else "not listed"
            raise ReviewError(
                f"this workbook is of other documents than the reviewed map {target}: {label} "
                f"{mid} is {here} in its {SHEET_MEASURES} but 「{title}」 in the map (two pairs "
                "with the same file names?); apply it to the mappings folder of its own "
                "project with --mappings",
                path=str(workbook),
            )


def _store_holding(sheet: ReviewSheet, target: Path, made: int, workbook: Path) -> Path | None:
    """A mappings folder other than ``target``'s holding the pair's map at revision ≥ ``made``:
    the one the workbook records, or a ``mappings`` folder in the current folder or beside the
    workbook or its parent (where a project's mappings/ usually is)."""
    places = [recorded_mappings(sheet, workbook), Path("mappings")]
    places += [p / "mappings" for p in (workbook.parent, workbook.parent.parent)]
    for folder in places:
        if folder is None or not folder.is_dir():
            continue
        folder = folder.resolve()
        if folder == target.parent.resolve():
            continue
        if _holds(folder / target.name, made):
            return folder
    return None


def _holds(path: Path, made: int) -> bool:
    """Whether the reviewed map at ``path`` exists, is readable and is at revision ≥ ``made``
    (its history counted: a map deleted by hand)."""
    try:
        there = read_reviewed(path) if path.is_file() else None
    except (ReviewError, FormatError):
        return False
    return there is not None and max([there.revision, *history_revisions(path)]) >= made


def apply_workbook(
    workbook: str | Path, mappings_dir: str | Path | None = "mappings"
) -> ApplyResult:
    """Record the decisions of a reviewed workbook in the pair's reviewed map (formats §3 +
    decision columns), under the pair's lock; earlier decisions stay unless this workbook changed
    the same row, and never when they were made after the workbook was. ``mappings_dir`` None:
    the folder the workbook records it was made from (when it exists), else ``mappings``. A
    workbook made from revision N is refused by a store not holding the map at revision ≥ N."""
    path = Path(workbook)
    sheet = read_review_workbook(workbook)
    if mappings_dir is None:
        mappings_dir = _default_mappings(sheet, path)
    target = reviewed_map_path(mappings_dir, sheet.old_name, sheet.new_name)
    changed = [row for row in sheet.rows if row.changed]
    notes = _outside_notes(sheet, changed) + _relation_notes(sheet) + _deleted_note(sheet)
    # A row added by hand naming an ID 施策一覧 does not list is no link textkit can keep.
    changed = [r for r in changed if not (r.added_by_hand and _unreadable(sheet, r))]
    when = now_utc()
    # Validate every changed row before touching anything (errors name the row).
    for row in changed:
        if _decision_of(sheet, row, path) is not Decision.REJECT and not _unreadable(sheet, row):
            _relation_of(sheet, row, path)
    agreed, merged_rows = _same_link_rows(sheet, changed, path)
    # Refused before the lock is taken (a refused apply writes nothing, not even the folder),
    # and checked again under it (another apply may have written since).
    _check_target(sheet, target, read_reviewed(target) if target.exists() else None, path)
    with pair_lock(target):
        earlier = read_reviewed(target) if target.exists() else None
        _check_target(sheet, target, earlier, path)
        _between_read_and_write()
        records = {r.key: r for r in (earlier.records if earlier else ())}
        revision = 1 + max(
            [earlier.revision if earlier else 0, *history_revisions(target)], default=0
        )
        changes: list[Change] = []
        skipped: list[Skipped] = []
        stated = [(row, *_stated(sheet, row, records, agreed, path, when)) for row in changed]
        stated = _with_relations(sheet, stated, records)
        own: dict[tuple[str, str], list[ReviewRecord]] = {}
        for _, record, _ in stated:
            own.setdefault(record.key, []).append(record)
        later = _decided_later(records, sheet)
        for row, record, replaces in stated:
            if _recorded(record, replaces, records):
                continue  # already recorded (the same workbook applied again)
            reason = _conflict(row, record, records, sheet) or _older(row, sheet, later, own)
            if reason is not None:
                skipped.append(Skipped(row.number, row.label(), reason))
                continue
            changes.append(Change(replace(record, revision=revision), replaces))
        if not changes:
            rev = earlier.revision if earlier else 0
            return ApplyResult(
                target,
                rev,
                0,
                tuple(skipped),
                warnings=notes,
                merged_rows=merged_rows,
                changed_rows=len(changed),
                chosen_relations=_chosen_notes(stated, skipped),
            )
        merged, superseded = merge(records.values(), changes)
        result = ReviewedMap(
            sheet.old_name,
            sheet.new_name,
            merged,
            _kept_source(
                sheet.old_source, path, mappings_dir, earlier.old_source if earlier else ""
            ),
            _kept_source(
                sheet.new_source, path, mappings_dir, earlier.new_source if earlier else ""
            ),
        )
        try:
            check_consistent(result, str(path))
        except ReviewError as exc:
            raise ReviewError(
                f"the decisions of this workbook contradict each other or earlier ones: {exc}",
            ) from None
        copy = keep_history(target, earlier.revision) if earlier is not None else None
        write_reviewed(result, target)
    return ApplyResult(
        target,
        revision,
        sum(1 for r in merged if r.revision == revision),  # what was stored, not rows read
        tuple(skipped),
        tuple(f"{r.old_id or '-'} → {r.new_id or '-'}" for r in superseded),
        copy,
        notes,
        merged_rows,
        len(changed),
        _chosen_notes(stated, skipped),
    )


# ── never overwrite a workbook holding decisions not yet applied ────────────


def unapplied_rows(workbook: str | Path, mappings_dir: str | Path) -> list[int] | None:
    """Rows of an existing review workbook whose decisions the reviewed map does not hold yet
    (None when the file is not a review workbook textkit can read)."""
    path = Path(workbook)
    try:
        sheet = read_review_workbook(path)
        target = reviewed_map_path(mappings_dir, sheet.old_name, sheet.new_name)
        earlier = read_reviewed(target) if target.exists() else None
        records = {r.key: r for r in (earlier.records if earlier else ())}
        out = []
        stated = []
        for row in (r for r in sheet.rows if r.changed):
            try:
                stated.append((row, *_record(sheet, row, records.get(row.orig_key), path, "")))
            except ReviewError:
                out.append(row.number)  # an invalid edit is still the reviewer's work
        for row, record, _ in _with_relations(sheet, stated, records):
            now = records.get(record.key)
            if now is None or not _same_decision(now, record):
                out.append(row.number)
        return sorted(out)
    except (ReviewError, FormatError):
        return None


def keep_unapplied(workbook: str | Path, mappings_dir: str | Path) -> Path | None:
    """Before a review workbook is (re)written at ``workbook``: if the file there holds decisions
    not yet applied (or is not a workbook textkit can read), move it aside to
    ``<stem>.unapplied-<UTC time>.xlsx`` and return that path; None when it may be replaced."""
    import datetime as _dt
    import os

    path = Path(workbook)
    if not path.exists():
        return None
    rows = unapplied_rows(path, mappings_dir)
    if rows == []:
        return None
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    aside = path.with_name(f"{path.stem}.unapplied-{stamp}{path.suffix}")
    os.replace(path, aside)
    return aside
