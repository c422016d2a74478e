"""Reviewed maps on disk: the decisions staff made for one document pair, one record per row.

In: ``ReviewRecord`` s (from ``review.apply_workbook``, or a CSV edited by hand). Out:
``mappings/<old>__<new>.reviewed.csv`` — the formats §3 columns plus the optional columns
``reviewed``, ``reviewer_note`` and ``REVIEW_COLUMNS`` (``decision``, ``decided_at``, ``revision``,
``workbook_revision``, ``original_old_id``, ``original_new_id``, ``relation_basis``) — and its
earlier versions under ``mappings/history/``.

Every row is a decision: ``approve`` / ``correct`` / ``pending`` rows are links (or 新規/廃止
statements) kept exactly as written; ``reject`` rows name one link that does not exist. Names read
from a workbook are data, never paths (``check_name``). Read-merge-write is serialised per pair with
a file lock (``pair_lock``) and every replaced version is copied to history first under a name that
never collides (revision + timestamp).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import FormatError, ReviewError
from .formats import MAP_COLUMNS, MAP_EXTRA, link_cells, read_relation, read_score
from .models import Decision, Evidence, Relation, ReviewedMap, ReviewRecord
from .tables import read_rows, row_number, write_rows

REVIEW_COLUMNS = (
    "decision",
    "decided_at",
    "revision",
    "workbook_revision",
    "original_old_id",
    "original_new_id",
    # a 区分 the reviewer chose: the links it was chosen on, as JSON [[old_id, new_id], …]
    # (empty: the relation is the one the links give); optional, files before it lack it
    "relation_basis",
)
# The editions' files (``ReviewedMap.old_source`` / ``new_source``), on every row; optional.
SOURCE_COLUMNS = ("old_source", "new_source")
# A document that lists its previous edition itself is the old side as ``<path>#previous``.
PREVIOUS_MARK = "#previous"
REVIEWED_SUFFIX = ".reviewed.csv"
HISTORY_DIR = "history"
# How long ``review apply`` waits for another apply on the same pair before giving up: long
# enough for any real apply (well under a second), short enough that a stuck lock is reported.
LOCK_TIMEOUT_S = 60.0
_LINKING = (Relation.KEPT, Relation.MERGED, Relation.SPLIT, Relation.RESTRUCTURED)
# A document name as ``render.source_name`` writes it: letters, digits, - _ . (never a path).
_NAME = re.compile(r"^[^\W][\w.\-]*$")


def rejected_relation(key: tuple[str, str]) -> Relation:
    """The relation a reject record is stored with: a rejected link (both ids) does not continue
    into that measure, ``dropped`` (whatever the proposal's relation was: the link is gone, and
    its old measure is 廃止 unless another link continues it); a rejected 新規/廃止 row keeps the
    statement's relation.

    >>> rejected_relation(("P3", "G1-M2")).value, rejected_relation(("", "G4-M1")).value
    ('dropped', 'new')
    """
    return Relation.NEW if key[1] and not key[0] else Relation.DROPPED


def check_name(name: str, where: str) -> str:
    """A document name read from a workbook or the user, refused unless it is a plain file-name
    stem (no folders, no ``..``, nothing absolute): names are data, never paths."""
    if not _NAME.match(name) or ".." in name:
        raise ReviewError(
            f"{where} names the document '{name}', which is not a document name textkit writes "
            "(letters, digits, - _ . only); restore it from the generated workbook"
        )
    return name


def reviewed_map_path(mappings_dir: str | Path, old_name: str, new_name: str) -> Path:
    """Where the reviewed map of one document pair lives: ``<dir>/<old>__<new>.reviewed.csv``."""
    folder = Path(mappings_dir)
    name = f"{check_name(old_name, 'the pair')}__{check_name(new_name, 'the pair')}"
    path = folder / (name + REVIEWED_SUFFIX)
    if path.resolve().parent != folder.resolve():  # belt and braces: never outside the folder
        raise ReviewError(f"'{name}' would be written outside {folder}")
    return path


def edition_ref(source: str, mappings_dir: str | Path) -> str:
    """How a reviewed map names an edition's file: relative to the mappings folder when the file
    exists (so a project folder moved as a whole still finds it), else as given ("" stays "")."""
    import os

    path, mark = _split_previous(source)
    if not path or not Path(path).is_file():
        return source
    try:
        ref = os.path.relpath(Path(path).resolve(), Path(mappings_dir).resolve())
    except ValueError:  # another drive (Windows): keep the absolute path
        ref = str(Path(path).resolve())
    return Path(ref).as_posix() + mark


def folder_ref(target: str | Path, folder: str | Path) -> str:
    """A folder as seen from ``folder`` (relative when possible), in / form."""
    import os

    try:
        ref = os.path.relpath(Path(target).resolve(), Path(folder).resolve())
    except ValueError:  # another drive (Windows): keep the absolute path
        ref = str(Path(target).resolve())
    return Path(ref).as_posix()


def edition_at(ref: str, folder: str | Path) -> str:
    """The file an edition reference written relative to ``folder`` names, seen from here."""
    path, mark = _split_previous(ref)
    if not path or Path(path).is_absolute():
        return ref
    return (Path(folder) / path).as_posix() + mark


def _split_previous(source: str) -> tuple[str, str]:
    if source.endswith(PREVIOUS_MARK):
        return source[: -len(PREVIOUS_MARK)], PREVIOUS_MARK
    return source, ""


def edition_paths(ref: str, mappings_dir: str | Path) -> tuple[list[Path], bool]:
    """Where an edition a reviewed map names may be (relative to the mappings folder, the
    current folder, the mappings folder's parent), and whether it is the previous edition that
    document lists itself."""
    path, mark = _split_previous(ref)
    if not path:
        return [], bool(mark)
    p, folder = Path(path), Path(mappings_dir)
    places = [p] if p.is_absolute() else [folder / p, p, folder.parent / p]
    return list(dict.fromkeys(places)), bool(mark)


def now_utc() -> str:
    """The time a decision is recorded, ISO 8601 in UTC to the microsecond."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")


# ── reading and writing ─────────────────────────────────────────────────────


def record_rows(
    records: Iterable[ReviewRecord], sources: tuple[str, str] = ("", "")
) -> list[dict[str, object]]:
    return [
        {
            **link_cells(r),
            "similarity_relation": "",
            # Readers that only know ``reviewed`` see approved/corrected links; a reject or a
            # pending row is not a decided link.
            "reviewed": "true" if r.decision in (Decision.APPROVE, Decision.CORRECT) else "",
            "reviewer_note": r.note,
            "decision": Decision(r.decision).value,
            "decided_at": r.decided_at,
            "revision": r.revision,
            "workbook_revision": "" if r.workbook_revision is None else r.workbook_revision,
            "original_old_id": r.original_old_id,
            "original_new_id": r.original_new_id,
            "relation_basis": basis_cell(r.relation_basis),
            "old_source": sources[0],
            "new_source": sources[1],
        }
        for r in records
    ]


def write_reviewed(rmap: ReviewedMap, path: str | Path) -> Path:
    """Write a reviewed map atomically (only ``review apply`` calls this, under ``pair_lock``)."""
    return write_rows(
        path,
        MAP_COLUMNS + MAP_EXTRA + REVIEW_COLUMNS + SOURCE_COLUMNS,
        record_rows(rmap.records, (rmap.old_source, rmap.new_source)),
        sheet_name="reviewed",
        reviewed_ok=True,
    )


def _int(text: str, n: int, column: str, path: Path) -> int | None:
    if not text.strip():
        return None
    try:
        return int(float(text))
    except ValueError:
        raise FormatError(f"row {n}: {column} '{text}' is not a number", path=str(path)) from None


def read_reviewed(path: str | Path, old_name: str = "", new_name: str = "") -> ReviewedMap:
    """The decisions of a reviewed map. A file written before decisions were records (no
    ``decision`` column) gives one ``approve`` record per ``reviewed`` row."""
    p = Path(path)
    rows = read_rows(p)
    decisions = {d.value for d in Decision}
    records: list[ReviewRecord] = []
    for counted, row in enumerate(rows, start=2):
        n = row_number(row, counted)
        get = {k: (v or "").strip() for k, v in row.items()}.get
        relation = read_relation(get("relation", ""), n, p)
        has_decision_column = "decision" in row
        decision = get("decision", "")
        reviewed = get("reviewed", "").lower() in ("true", "1", "yes")
        if not decision:
            if not has_decision_column and not reviewed:
                continue  # an older file also kept the open proposals: not decisions
            # a row written into the CSV by hand: it stands as written
            decision = Decision.APPROVE.value if reviewed else Decision.CORRECT.value
        if decision not in decisions:
            raise FormatError(
                f"row {n}: decision '{decision}' is not one of {', '.join(sorted(decisions))}",
                path=str(p),
            )
        if decision == Decision.REJECT.value:  # written before: the proposal's relation
            relation = rejected_relation((get("old_id", ""), get("new_id", "")))
        score = read_score(get("score", ""), n, p)
        records.append(
            ReviewRecord(
                old_id=get("old_id", ""),
                old_title=get("old_title", ""),
                new_id=get("new_id", ""),
                new_title=get("new_title", ""),
                relation=relation,
                decision=Decision(decision),
                note=row.get("reviewer_note") or "",
                decided_at=get("decided_at", ""),
                revision=_int(get("revision", ""), n, "revision", p) or 0,
                workbook_revision=_int(get("workbook_revision", ""), n, "workbook_revision", p),
                original_old_id=get("original_old_id", ""),
                original_new_id=get("original_new_id", ""),
                score=score,
                evidence=_evidence(get("evidence", ""), n, p),
                matched_terms=tuple(get("matched_terms", "").split()),
                relation_basis=_basis(get("relation_basis", ""), n, p),
            )
        )
    sources = [
        next((v for r in rows if (v := (r.get(c) or "").strip())), "") for c in SOURCE_COLUMNS
    ]
    rmap = ReviewedMap(old_name, new_name, tuple(records), *sources)
    check_consistent(rmap, str(p))
    return rmap


def basis_cell(basis: tuple[tuple[str, str], ...]) -> str:
    """The ``relation_basis`` cell: JSON pairs, or "" when the relation is the computed one.

    >>> basis_cell((("P3", "G1-M2"), ("P4", "G1-M2")))
    '[["P3","G1-M2"],["P4","G1-M2"]]'
    """
    import json

    return (
        json.dumps([list(k) for k in basis], ensure_ascii=False, separators=(",", ":"))
        if basis
        else ""
    )


def _basis(text: str, n: int, path: Path) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    import json

    try:
        pairs = json.loads(text)
        basis = tuple(sorted((str(o), str(w)) for o, w in pairs))
    except (ValueError, TypeError):
        raise FormatError(
            f"row {n}: relation_basis '{text}' is not a list of [old_id, new_id] pairs "
            "(clear the cell to let the links decide the relation)",
            path=str(path),
        ) from None
    return basis


def _evidence(text: str, n: int, path: Path) -> Evidence:
    try:
        return Evidence(text or Evidence.REVIEWED.value)
    except ValueError:
        valid = ", ".join(e.value for e in Evidence)
        raise FormatError(
            f"row {n}: evidence '{text}' is not one of {valid}", path=str(path)
        ) from None


def check_consistent(rmap: ReviewedMap, where: str) -> None:
    """Refuse a reviewed map whose decisions contradict each other (the same link twice, or a
    measure declared 新規/廃止 that a decided link also uses), naming both rows."""
    seen: dict[tuple[str, str], int] = {}
    linked_old: dict[str, int] = {}
    linked_new: dict[str, int] = {}
    for n, r in enumerate(rmap.records, start=2):
        if r.relation in _LINKING and not (r.old_id and r.new_id):
            raise ReviewError(
                f"row {n}: relation {Relation(r.relation).value} needs both old_id and new_id",
                path=where,
            )
        if r.key in seen:
            raise ReviewError(
                f"rows {seen[r.key]} and {n} both decide {r.old_id or '-'} → {r.new_id or '-'}; "
                "keep one of them",
                path=where,
            )
        seen[r.key] = n
        if r.is_link:
            linked_old.setdefault(r.old_id, n)
            linked_new.setdefault(r.new_id, n)
    for n, r in enumerate(rmap.records, start=2):
        if r.decision is Decision.REJECT:
            continue
        if r.relation is Relation.DROPPED and r.old_id in linked_old:
            raise ReviewError(
                f"row {n} says {r.old_id} has no successor (dropped) but row "
                f"{linked_old[r.old_id]} links it; remove one of the two rows",
                path=where,
            )
        if r.relation is Relation.NEW and r.new_id in linked_new:
            raise ReviewError(
                f"row {n} says {r.new_id} is new but row {linked_new[r.new_id]} links it; "
                "remove one of the two rows",
                path=where,
            )


def load_reviewed(mappings_dir: str | Path, old_name: str, new_name: str) -> ReviewedMap | None:
    """The decisions stored for a pair, or None when nothing was reviewed."""
    path = reviewed_map_path(mappings_dir, old_name, new_name)
    if not path.exists():
        return None
    rmap = read_reviewed(path, old_name, new_name)
    return rmap if rmap.records else None


# ── merging a workbook's decisions ──────────────────────────────────────────


@dataclass(frozen=True)
class Change:
    """One decision to record: ``record`` replaces whatever was decided at ``replaces`` (the row
    as the workbook showed it; None for a row added by hand)."""

    record: ReviewRecord
    replaces: tuple[str, str] | None = None


def merge(
    earlier: Iterable[ReviewRecord], changes: Iterable[Change]
) -> tuple[tuple[ReviewRecord, ...], tuple[ReviewRecord, ...]]:
    """Earlier records with ``changes`` applied: (records, superseded). A change replaces the
    record at its own key and at ``replaces``; a link on a measure supersedes an earlier 新規/廃止
    statement about it. Nothing else is touched."""
    records: dict[tuple[str, str], ReviewRecord] = {r.key: r for r in earlier}
    superseded: list[ReviewRecord] = []
    changes = list(changes)
    # Every replaced row goes first, then every record is set: the result does not depend on the
    # order of the rows (a row moved onto a key another row moves away from is never lost).
    for change in changes:
        r = change.record
        if change.replaces is not None and change.replaces != r.key:
            old = records.pop(change.replaces, None)
            if old is not None and old != r:
                superseded.append(old)
    for change in changes:
        r = change.record
        records.pop(r.key, None)
        if r.is_link:
            for key in ((r.old_id, ""), ("", r.new_id)):
                old = records.get(key)
                if old is not None and old.decision is not Decision.REJECT:
                    superseded.append(records.pop(key))
        records[r.key] = r
    return tuple(sorted(records.values(), key=_order)), tuple(superseded)


def _natural(mid: str) -> tuple:
    """G1-M10 after G1-M9, P10 after P9; an empty id last."""
    if not mid:
        return ((1, ""),)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", mid) if p)


def _order(r: ReviewRecord) -> tuple:
    return (_natural(r.old_id), _natural(r.new_id))


# ── locking and history ─────────────────────────────────────────────────────


@contextlib.contextmanager
def pair_lock(reviewed: Path) -> Iterator[None]:
    """Hold the lock of one pair's reviewed map (``.<name>.lock`` beside it) while reading,
    merging and writing it, so that two applies at once never lose a decision."""
    from filelock import FileLock, Timeout

    reviewed.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(reviewed.parent / f".{reviewed.name}.lock"), timeout=LOCK_TIMEOUT_S)
    try:
        with lock:
            yield
    except Timeout:
        raise ReviewError(
            f"another 'textkit review apply' has held this pair's lock for {LOCK_TIMEOUT_S:.0f} s; "
            "wait for it to finish and apply again",
            path=str(reviewed),
        ) from None


def history_dir(reviewed: Path) -> Path:
    return reviewed.parent / HISTORY_DIR


def keep_history(reviewed: Path, revision: int) -> Path:
    """Copy a reviewed map to ``history/<name>.r<revision>.<UTC time>.csv`` before it is replaced.
    Names never collide (a deleted copy frees nothing that a later copy would take)."""
    from .tables import write_bytes

    folder = history_dir(reviewed)
    stem = reviewed.name.removesuffix(".csv")
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    copy = folder / f"{stem}.r{revision}.{stamp}.csv"
    n = 1
    while copy.exists():  # same microsecond: only under the pair lock, so a counter suffices
        n += 1
        copy = folder / f"{stem}.r{revision}.{stamp}-{n}.csv"
    write_bytes(copy, reviewed.read_bytes())
    return copy


def history_revisions(reviewed: Path) -> list[int]:
    """Revisions of the copies kept in history (to number the next revision past all of them)."""
    folder = history_dir(reviewed)
    if not folder.exists():
        return []
    stem = re.escape(reviewed.name.removesuffix(".csv"))
    pattern = re.compile(rf"^{stem}\.r(\d+)\.")
    return [int(m.group(1)) for p in folder.iterdir() if (m := pattern.match(p.name))]
