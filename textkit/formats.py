"""The interchange formats of shared/formats.md (a public contract) ↔ textkit's dataclasses.

Column lists here are the contract: only optional columns may be added after them.
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import FormatError, TextkitWarning
from .models import (
    KPI,
    ContinuityMap,
    Counterpart,
    Evidence,
    KPIAudit,
    Link,
    Measure,
    Relation,
    ReviewRecord,
    Rule,
    Strategy,
)
from .normalize import normalize_chars
from .tables import (
    accepted_headers,
    read_rows,
    read_table,
    renamed,
    require_columns,
    row_number,
    write_rows,
)

# §1 measure table
MEASURE_COLUMNS = ("id", "goal", "title", "text", "items")
MEASURE_EXTRA = ("goal_id", "page", "kpis", "refs", "warning")
# §2 KPI table
KPI_COLUMNS = (
    "measure_id",
    "level",
    "name",
    "baseline_raw",
    "target_raw",
    "baseline_value",
    "target_value",
    "unit",
    "baseline_year",
    "target_year",
    "note",
)
KPI_EXTRA = ("comparator", "page", "result_raw")
# §3 continuity map
MAP_COLUMNS = ("old_id", "old_title", "new_id", "new_title", "relation", "score")
MAP_EXTRA = (
    "evidence",
    "matched_terms",
    "similarity_relation",
    "reviewed",
    "reviewer_note",
    "rule",
    "signals",
    "needs_review",
)
# §4 KPI audit
AUDIT_COLUMNS = ("old_name", "new_name", "status", "old_target", "new_target", "score")
AUDIT_EXTRA = ("old_measure_id", "new_measure_id", "measure_continues", "note", "needs_review")
# §6 cross-city counterparts
COUNTERPART_COLUMNS = ("a_doc", "a_id", "a_title", "b_doc", "b_id", "b_title", "rank", "score")
COUNTERPART_EXTRA = ("matched_terms",)
# Columns the contract says hold numbers (§1–§7): a plain number there is written as a number,
# where any other cell starting with - + = @ is neutralised against formulas (tables.csv_cell).
NUMERIC_COLUMNS = frozenset(
    (
        "page",
        "score",
        "rank",
        "baseline_value",
        "target_value",
        "baseline_year",
        "target_year",
        "latest_year",
        "latest_value",
        "attainment",
        "stated_attainment",
        "edition",
        "period_start",
        "period_end",
    )
)


def score_cell(v: float | None) -> str:
    """A score as the contract writes it: three decimals, empty when there is none."""
    return "" if v is None else f"{v:.3f}"


# ── §1 measures ─────────────────────────────────────────────────────────────


def measure_rows(measures: Iterable[Measure]) -> list[dict[str, object]]:
    return [
        {
            "id": m.id,
            "goal": m.goal,
            "title": m.title,
            "text": m.text,
            "items": "\n".join(m.items),
            "goal_id": m.goal_id,
            "page": "" if m.page is None else m.page,
            "kpis": "\n".join(k.name for k in m.kpis),
            "refs": " ".join(m.refs),
            "warning": m.warning,
        }
        for m in measures
    ]


def write_measures(measures: Iterable[Measure], path: str | Path) -> Path:
    return write_rows(
        path,
        MEASURE_COLUMNS + MEASURE_EXTRA,
        measure_rows(measures),
        sheet_name="measures",
        numeric=NUMERIC_COLUMNS,
    )


def _header_key(header: str) -> str:
    return "".join(normalize_chars(header).split()).lower()


@functools.cache
def _aliases(kind: str) -> dict[str, str]:
    """Japanese headers (data/columns.toml) → contract column names, for ``kind`` measure|kpi;
    the contract's own names match in any case and width too (``Title``, ``ＴＩＴＬＥ``)."""
    table = accepted_headers(kind)
    aliases = {_header_key(column): column for column in table}
    aliases.update({_header_key(h): column for column, headers in table.items() for h in headers})
    return aliases


def contract_renames(headers: Iterable[str], kind: str) -> dict[str, str]:
    """Which headers of a table are read as which contract column (施策名 → title), where the
    table does not already use the contract's own name; a header two columns would claim is kept
    as it is."""
    aliases = _aliases(kind)
    present = set(headers)
    rename = {
        h: aliases[_header_key(h)]
        for h in present
        if h not in aliases.values()
        and _header_key(h) in aliases
        and aliases[_header_key(h)] not in present
    }
    targets = list(rename.values())
    return {h: c for h, c in rename.items() if targets.count(c) == 1}  # ambiguous: keep as is


def with_contract_columns(rows: list[dict[str, str]], kind: str) -> list[dict[str, str]]:
    """Rename headers such as 施策名 / 基準値 to the contract's columns (title / baseline_raw)
    where the table does not already use the contract's own name."""
    if not rows:
        return rows
    rename = contract_renames(rows[0], kind)
    if not rename:
        return rows
    return [renamed(row, rename) for row in rows]


def _refuse_kpi_table(rows: list[dict[str, str]], path: str) -> None:
    """A KPI table (指標名, 基準値, 目標値) given where measures are read (``align``, ``report``,
    ``parse`` …) is named as what it is, with where it goes, rather than as a table lacking 施策名."""
    kpi = with_contract_columns(rows, "kpi")[0]
    if not all(c in kpi for c in ("name", "target_raw")):
        return
    named = [h for h, c in contract_renames(rows[0], "kpi").items() if c in ("name", "target_raw")]
    named += [c for c in ("name", "target_raw") if c in rows[0]]
    raise FormatError(
        f"is a KPI table ({', '.join(sorted(named))}), not a measure table (施策名 / title): "
        "measures are read from the strategy document or a measure table; a KPI table goes to "
        "kpis-compare or attainment, or to report as --old-kpis / --new-kpis",
        path=path,
    )


def read_measures(path: str | Path) -> Strategy:
    """A measure table (§1) as a ``Strategy``; unknown extra columns are ignored. Japanese headers
    (施策名, 基本目標, 番号 …; data/columns.toml) are read as the contract's columns."""
    table = read_table(path)
    rows = with_contract_columns(table.rows, "measure")
    if rows and "title" not in rows[0]:
        _refuse_kpi_table(table.rows, str(path))
    require_columns(rows, ("title",), str(path), also=accepted_headers("measure"))
    measures: list[Measure] = []
    seen: dict[str, tuple[int, str]] = {}  # id → (row, title) of its first row
    goals: dict[str, str] = {}
    for n, row in enumerate(rows, start=1):
        title = row.get("title", "").strip()
        at = row_number(row, n + 1)
        if not title:
            raise FormatError(f"row {at} has an empty title", path=str(path))
        mid = row.get("id", "").strip() or f"M{n}"
        if mid in seen:
            first, first_title = seen[mid]
            raise FormatError(
                f"id '{mid}' appears twice (row {first} 「{first_title}」 and row {at} "
                f"「{title}」); ids must be unique",
                path=str(path),
            )
        seen[mid] = (at, title)
        goal = row.get("goal", "").strip()
        goal_id = row.get("goal_id", "").strip() or goals.setdefault(goal, f"G{len(goals) + 1}")
        items = tuple(
            x.strip().lstrip("◎○〇・■●-").strip()
            for x in row.get("items", "").splitlines()
            if x.strip()
        )
        page = row.get("page", "").strip()
        measures.append(
            Measure(
                id=mid,
                title=title,
                goal=goal,
                goal_id=goal_id if goal else "",
                text=row.get("text", "").strip(),
                items=items,
                page=int(page) if page.isdigit() else None,
                refs=tuple(row.get("refs", "").split()),
            )
        )
    for w in table.warnings:
        warnings.warn(TextkitWarning(w), stacklevel=2)
    return Strategy(source=str(path), measures=tuple(measures), warnings=table.warnings)


def explain_measure_table(path: str | Path) -> str:
    """What ``read_measures`` reads from a measure table, as text (``textkit parse TABLE
    --explain``): which columns were recognised as what, which are kept as extras or not read,
    how many rows became measures under how many goals, and that KPIs come from a KPI table."""
    from .wording import plural

    table = read_table(path)
    headers = list(table.rows[0]) if table.rows else []
    strategy = read_measures(path)
    rename = contract_renames(headers, "measure")
    read = {rename.get(h, h): h for h in headers}
    # the columns read_measures uses (kpis and warning are written for people, not read back)
    used = (*MEASURE_COLUMNS, "goal_id", "page", "refs")
    known = [c for c in used if c in read]
    out = [f"a measure table (formats §1), not a document: {Path(path).name} is read as it is"]
    out.append("columns:")
    for column in known:
        header = read[column]
        how = "" if header == column else f" ← {header}"
        out.append(f"  {column}{how}")
    others = [h for h in headers if rename.get(h, h) not in known]
    if others:
        out.append(f"  not read: {', '.join(others)}")
    missing = [c for c in MEASURE_COLUMNS if c not in read]
    if missing:
        out.append(f"  absent (empty): {', '.join(missing)}")
    goals = {m.goal_id for m in strategy.measures if m.goal_id}
    out.append(
        f"rows: {plural(len(table.rows), 'row')} → {plural(len(strategy.measures), 'measure')}"
        + (f" under {plural(len(goals), 'goal')}" if goals else "")
    )
    named = sum(1 for r in table.rows if (r.get("kpis") or "").strip())
    out.append(
        "KPIs: none read — a measure table holds measures only"
        + (f" (its kpis column names indicators on {plural(named, 'row')})" if named else "")
        + "; give KPIs as a KPI table (formats §2, textkit kpis DOC -o kpis.csv)"
    )
    return "\n".join(out)


# ── §2 KPIs ─────────────────────────────────────────────────────────────────


def kpi_rows(kpis: Iterable[KPI]) -> list[dict[str, object]]:
    out = []
    for k in kpis:
        d = k.to_dict()
        for key in ("baseline_value", "target_value", "baseline_year", "target_year", "page"):
            if d[key] is None:
                d[key] = ""
        out.append(d)
    return out


def write_kpis(kpis: Iterable[KPI], path: str | Path) -> Path:
    return write_rows(
        path, KPI_COLUMNS + KPI_EXTRA, kpi_rows(kpis), sheet_name="kpis", numeric=NUMERIC_COLUMNS
    )


def read_kpis(path: str | Path) -> tuple[KPI, ...]:
    """A KPI table (§2). Only ``name``, ``baseline_raw`` and ``target_raw`` are required; values,
    units and years are parsed again from the raw cells (so a hand-made table needs no numbers)."""
    from .kpi import find_year, make_kpi, with_unit

    rows = with_contract_columns(read_rows(path), "kpi")
    require_columns(
        rows, ("name", "baseline_raw", "target_raw"), str(path), also=accepted_headers("kpi")
    )
    out = []
    for counted, row in enumerate(rows, start=2):
        n = row_number(row, counted)
        name = row.get("name", "").strip()
        if not name:
            raise FormatError(f"row {n} has an empty name", path=str(path))
        page = row.get("page", "").strip()
        baseline_raw, target_raw = row.get("baseline_raw", ""), row.get("target_raw", "")
        unit = row.get("unit", "").strip()
        # The years the table states (a document's plan end year for 2024年度目標 cells without
        # their own year) stand in where a raw cell names none, as a column header's year does;
        # so does a unit column for a cell that is a bare number (19.8 | 万人).
        kpi = make_kpi(
            row.get("measure_id", "").strip(),
            row.get("level", "").strip() or "measure",
            name,
            with_unit(baseline_raw, unit),
            with_unit(target_raw, unit),
            page=int(page) if page.isdigit() else None,
            header_year=find_year(row.get("target_year") or "")[0],
            baseline_header_year=find_year(row.get("baseline_year") or "")[0],
        )
        # The name stays as the user wrote it, so audits can be joined back to their table;
        # matching normalises names on its own. A stated result (最終値 …) is kept as written,
        # and so are the raw cells.
        out.append(
            dataclasses.replace(
                kpi,
                name=name,
                baseline_raw=baseline_raw,
                target_raw=target_raw,
                result_raw=row.get("result_raw", ""),
            )
        )
    _warn_results_like(rows, out, str(path))
    return tuple(out)


# Columns of a 効果検証 results table (formats §7) that a KPI table has no place for (a stated
# result_raw is kept on the KPI; yearly actuals are not).
_RESULT_COLUMNS = ("actual_raw", "actual_value", "fiscal_year")


def _warn_results_like(rows: list[dict[str, str]], kpis: Sequence[KPI], path: str) -> None:
    """A results table read as a KPI table loses its results and, having no targets, would make
    every indicator look re-targeted in an audit: say so instead of doing it silently."""
    results = [c for c in _RESULT_COLUMNS if c in rows[0]]
    if results:
        warnings.warn(
            TextkitWarning(
                f"{path}: columns {', '.join(results)} hold yearly results, which a KPI table "
                "does not use; for how far each KPI got run 'textkit attainment KPIS RESULTS'"
            ),
            stacklevel=3,
        )
    if kpis and not any(k.target_raw.strip() for k in kpis):
        warnings.warn(
            TextkitWarning(
                f"{path}: no row has a target (target_raw / 目標値); compared with a strategy, "
                "every indicator would show as target_changed"
            ),
            stacklevel=3,
        )


# ── §3 continuity maps ──────────────────────────────────────────────────────


def link_cells(x: Link | ReviewRecord) -> dict[str, object]:
    """The cells a §3 row shares with a reviewed map's row (``decisions.record_rows``): the pair,
    its relation, score, evidence and matched terms."""
    return {
        "old_id": x.old_id,
        "old_title": x.old_title,
        "new_id": x.new_id,
        "new_title": x.new_title,
        "relation": Relation(x.relation).value,
        "score": score_cell(x.score),
        "evidence": Evidence(x.evidence).value,
        "matched_terms": " ".join(x.matched_terms),
    }


def read_relation(text: str, n: int, path: str | Path) -> Relation:
    """A §3 ``relation`` cell of row ``n`` (a map or a reviewed map), refused when unknown."""
    valid = {r.value for r in Relation}
    if text not in valid:
        raise FormatError(
            f"row {n}: relation '{text}' is not one of {', '.join(sorted(valid))}", path=str(path)
        )
    return Relation(text)


def read_score(text: str, n: int, path: str | Path) -> float | None:
    """A §3 ``score`` cell of row ``n``: None when empty, refused when not a number."""
    try:
        return float(text) if text else None
    except ValueError:
        raise FormatError(f"row {n}: score '{text}' is not a number", path=str(path)) from None


def map_rows(cmap: ContinuityMap) -> list[dict[str, object]]:
    return [
        {
            **link_cells(x),
            "similarity_relation": x.similarity_relation,
            "reviewed": "true" if x.reviewed else "",
            "reviewer_note": x.reviewer_note,
            "rule": x.rule.value if x.rule else "",
            "signals": format_signals(x.signals),
            "needs_review": "true" if x.needs_review else "",
        }
        for x in cmap.links
    ]


def format_signals(signals: tuple[tuple[str, float], ...]) -> str:
    """``title_word=0.412 semantic_cross=0.630``: per-signal scores of a link (formats §3)."""
    return " ".join(f"{n}={v:.3f}" for n, v in signals)


def _rule(text: str, where: str) -> Rule | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Rule(text)
    except ValueError:
        valid = ", ".join(r.value for r in Rule)
        raise FormatError(f"{where}: rule '{text}' is not one of {valid}") from None


def parse_signals(text: str, where: str) -> tuple[tuple[str, float], ...]:
    out = []
    for part in text.split():
        name, _, value = part.partition("=")
        try:
            out.append((name, float(value)))
        except ValueError:
            raise FormatError(f"{where}: signals '{part}' is not name=number") from None
    return tuple(out)


def write_map(cmap: ContinuityMap, path: str | Path, *, reviewed_ok: bool = False) -> Path:
    """Write a continuity map; a reviewed map (``*.reviewed.csv``) only with ``reviewed_ok``."""
    return write_rows(
        path,
        MAP_COLUMNS + MAP_EXTRA,
        map_rows(cmap),
        sheet_name="map",
        reviewed_ok=reviewed_ok,
        numeric=NUMERIC_COLUMNS,
    )


_EVIDENCE = tuple(e.value for e in Evidence)


def read_map(path: str | Path) -> ContinuityMap:
    rows = read_rows(path)
    require_columns(rows, ("old_id", "new_id", "relation"), str(path))
    links = []
    for counted, row in enumerate(rows, start=2):
        n = row_number(row, counted)
        relation = read_relation(row.get("relation", "").strip(), n, path)
        evidence = row.get("evidence", "").strip() or Evidence.SIMILARITY.value
        if evidence not in _EVIDENCE:
            raise FormatError(
                f"row {n}: evidence '{evidence}' is not one of {', '.join(_EVIDENCE)}",
                path=str(path),
            )
        links.append(
            Link(
                old_id=row.get("old_id", "").strip(),
                old_title=row.get("old_title", "").strip(),
                new_id=row.get("new_id", "").strip(),
                new_title=row.get("new_title", "").strip(),
                relation=relation,
                score=read_score(row.get("score", "").strip(), n, path),
                evidence=Evidence(evidence),
                matched_terms=tuple(row.get("matched_terms", "").split()),
                similarity_relation=row.get("similarity_relation", "").strip(),
                reviewed=row.get("reviewed", "").strip().lower() in ("true", "1", "yes"),
                reviewer_note=row.get("reviewer_note", "").strip(),
                rule=_rule(row.get("rule", ""), f"{path}: row {n}"),
                signals=parse_signals(row.get("signals", ""), f"{path}: row {n}"),
                needs_review=row.get("needs_review", "").strip().lower() in ("true", "1", "yes"),
            )
        )
    return ContinuityMap(old_source="", new_source="", links=tuple(links))


# ── §4 KPI audit ────────────────────────────────────────────────────────────


def audit_rows(audit: KPIAudit) -> list[dict[str, object]]:
    out = []
    for c in audit.changes:
        d = c.to_dict()
        d["score"] = score_cell(c.score)
        d["measure_continues"] = (
            "" if c.measure_continues is None else ("true" if c.measure_continues else "false")
        )
        d["needs_review"] = "true" if c.needs_review else ""  # as §3's needs_review
        out.append(d)
    return out


def write_audit(audit: KPIAudit, path: str | Path) -> Path:
    return write_rows(
        path,
        AUDIT_COLUMNS + AUDIT_EXTRA,
        audit_rows(audit),
        sheet_name="audit",
        numeric=NUMERIC_COLUMNS,
    )


# ── §6 counterparts ─────────────────────────────────────────────────────────


def counterpart_rows(pairs: Sequence[Counterpart]) -> list[dict[str, object]]:
    out = []
    for p in pairs:
        d = p.to_dict()
        d["score"] = score_cell(p.score)
        d["matched_terms"] = " ".join(p.matched_terms)
        out.append(d)
    return out


def write_counterparts(pairs: Sequence[Counterpart], path: str | Path) -> Path:
    return write_rows(
        path,
        COUNTERPART_COLUMNS + COUNTERPART_EXTRA,
        counterpart_rows(pairs),
        sheet_name="pairs",
        numeric=NUMERIC_COLUMNS,
    )


# ── §7 KPI attainment ───────────────────────────────────────────────────────

ATTAINMENT_COLUMNS = (
    "measure_id",
    "level",
    "name",
    "result_name",
    "baseline_value",
    "target_value",
    "unit",
    "target_year",
    "direction",
    "latest_year",
    "latest_value",
    "attainment",
    "stated_attainment",
    "status",
    "series",
)
ATTAINMENT_EXTRA = (
    "status_ja",
    "note",
    "compared_value",
    "basis",
    "match_score",
    "goal_id",
    "compared_attainment",
)


def _plain_number(v: float | None) -> object:
    if v is None:
        return ""
    return int(v) if float(v).is_integer() else round(v, 6)


def attainment_rows(table) -> list[dict[str, object]]:
    """``Attainment`` → rows of formats §7 (numbers plain, empty when not computable)."""
    from .kpi_attainment import AttainmentStatus, Direction, PeriodRule

    out = []
    for r in table.rows:
        out.append(
            {
                "measure_id": r.measure_id,
                "level": r.level,
                "name": r.name,
                "result_name": r.result_name,
                "baseline_value": _plain_number(r.baseline_value),
                "target_value": _plain_number(r.target_value),
                "unit": r.unit,
                "target_year": "" if r.target_year is None else r.target_year,
                "direction": Direction(r.direction).value,
                "latest_year": "" if r.latest_year is None else r.latest_year,
                "latest_value": _plain_number(r.latest_value),
                "attainment": _plain_number(r.attainment),
                "stated_attainment": _plain_number(r.stated_attainment),
                "status": AttainmentStatus(r.status).value,
                "series": ";".join(f"{y}:{_plain_number(v)}" for y, v in r.series),
                "status_ja": r.status_ja,
                "note": r.note,
                "compared_value": _plain_number(r.compared_value),
                "compared_attainment": _plain_number(r.compared_attainment),
                "basis": PeriodRule(r.basis).value,
                "match_score": "" if r.match_score is None else f"{r.match_score:.3f}",
                "goal_id": r.goal_id,
            }
        )
    return out


def write_attainment(table, path: str | Path) -> Path:
    return write_rows(
        path,
        ATTAINMENT_COLUMNS + ATTAINMENT_EXTRA,
        attainment_rows(table),
        sheet_name="attainment",
        numeric=NUMERIC_COLUMNS,
    )
