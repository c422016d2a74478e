"""The main job on the bundled corpus (``make demo``).

In: ``corpora/index.csv`` (formats §5). Out, under the project folder:

- ``mappings/<doc>.measures.csv`` / ``.kpis.csv``: every document's measures and KPIs (§1, §2);
- ``mappings/tomakomai_2nd_to_3rd.map.csv`` and ``reports/tomakomai_2nd_to_3rd.{xlsx,html}``: the
  Tomakomai deck's 第2期 取組 → 第3期 施策 continuity map (stated correspondence + similarity);
- ``mappings/otaru_2nd_to_3rd_synthetic.map.csv`` and ``reports/…{xlsx,html}``: Otaru 第2期 →
  the synthetic 第3期 of ``corpora/synthetic`` (similarity only);
- ``reports/otaru_kpi_audit.{csv,xlsx}``: KPI audit Otaru 第2期 → synthetic 第3期 KPI table;
- ``mappings/compare_otaru_tomakomai.csv`` and ``reports/themes.csv``: the cross-city comparison;
- ``corpora/corpus.duckdb``: every listed document's measures, KPIs, themes and counterparts for SQL
  (``textkit corpus query``), parsed once and cached by file content in ``.textkit-cache/``.

Reviewed maps under ``mappings/`` (``*.reviewed.csv``) are read, never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .corpus import Entry, read_manifest

Progress = Callable[[str], None]


def _find(entries: list[Entry], city: str, edition: int, kind: str) -> Path | None:
    for e in entries:
        if e.city == city and e.edition == edition and e.kind == kind:
            return e.path
    return None


def _synthetic_kpis(kpi_table: Path) -> dict[str, Any]:
    """``prepare`` keywords for the synthetic 第3期 KPI table and the measure map that goes with
    its ids (empty when either file is missing)."""
    from . import formats

    kpi_map = kpi_table.with_name("otaru_kpi_measure_map.csv")
    if not (kpi_table.exists() and kpi_map.exists()):
        return {}
    return {"new_kpis": kpi_table, "kpi_map": formats.read_map(kpi_map)}


def _otaru_audit(
    root: Path, audit: Any, otaru_2: Any, kpi_table: Path, kpis: dict[str, Any]
) -> list[Path]:
    """reports/otaru_kpi_audit.csv (formats §4) and .xlsx (for staff)."""
    from . import formats
    from .audit import compare_kpis
    from .render import write_audit_workbook
    from .sources import load_kpi_source

    measure_map = kpis["kpi_map"]
    if audit is None:
        audit = compare_kpis(otaru_2, load_kpi_source(kpi_table), cmap=measure_map)
    reports = root / "reports"
    return [
        formats.write_audit(audit, reports / "otaru_kpi_audit.csv"),
        write_audit_workbook(audit, reports / "otaru_kpi_audit.xlsx", measure_map),
    ]


def _pair_reports(
    root: Path,
    name: str,
    old: Any,
    new: Path,
    kpis: dict[str, Any],
    comparison: Any,
    progress: Progress,
    written: list[Path],
) -> Any:
    """One edition pair: its continuity map, review workbook and HTML report (appended to
    ``written``); returns the pair's KPI audit."""
    from . import formats
    from .pipeline import prepare, write_review_workbook
    from .render import write_html

    mappings, reports = root / "mappings", root / "reports"
    old_s, new_s, cmap, audit = prepare(old, new, mappings_dir=mappings, **kpis)
    written.append(formats.write_map(cmap, mappings / f"{name}.map.csv"))
    written.append(
        write_review_workbook(
            cmap,
            reports / f"{name}.xlsx",
            audit=audit,
            old=old_s,
            new=new_s,
            mappings_dir=mappings,
            warn=progress,
        )
    )
    written.append(
        write_html(
            cmap, reports / f"{name}.html", audit=audit, old=old_s, new=new_s, comparison=comparison
        )
    )
    return audit


def check_root(root: Path) -> Path:
    """The bundled manifest under ``root`` (``corpora/index.csv``), or an error saying what demo
    needs: the corpora folder of a textkit clone (it is not installed with the package), and
    where this textkit's own clone is when it runs from one."""
    from .errors import InputNotFoundError

    manifest = root / "corpora" / "index.csv"
    if manifest.is_file():
        return manifest
    clone = Path(__file__).resolve().parent.parent
    here = (
        f"this textkit runs from the clone {clone}: run 'cd {clone} && textkit demo' or "
        f"'textkit demo --root {clone}'"
        if (clone / "corpora" / "index.csv").is_file()
        else "run it in a clone of the textkit repository (cd textkit && make demo), or give "
        "the clone with 'textkit demo --root DIR'"
    )
    raise InputNotFoundError(
        f"textkit demo runs on the bundled corpus, corpora/index.csv of a textkit clone (it is "
        f"not installed with the package), and {root} has none; {here}. On your own documents: "
        "textkit report OLD NEW --xlsx review.xlsx --html report.html"
    )


def run_demo(root: Path, progress: Progress = print) -> list[Path]:
    """Run every stage on the bundled corpus; returns the files written, in order."""
    from . import formats
    from .counterparts import compare_strategies
    from .sources import parse
    from .themes import classify, write_themes

    mappings, reports = root / "mappings", root / "reports"
    rows = read_manifest(check_root(root))
    written: list[Path] = []
    parsed = {}
    for row in rows:
        path = row.path
        if row.kind == "measures":
            continue
        progress(f"parsing {path.name}")
        strategy = parse(path)
        parsed[path] = strategy
        stem = path.name.replace(".", "_")
        written.append(formats.write_measures(strategy.measures, mappings / f"{stem}.measures.csv"))
        written.append(formats.write_kpis(strategy.kpis, mappings / f"{stem}.kpis.csv"))

    otaru_2 = _find(rows, "小樽市", 2, "pdf") or _find(rows, "小樽市", 2, "markdown")
    otaru_3 = _find(rows, "小樽市", 3, "measures")
    deck = _find(rows, "苫小牧市", 3, "pdf") or _find(rows, "苫小牧市", 3, "text")

    comparison = []
    if otaru_2 and deck:
        progress("comparing Otaru 第2期 × Tomakomai 第3期")
        docs = [("otaru_2nd", parsed[otaru_2]), ("tomakomai_3rd", parsed[deck])]
        comparison = compare_strategies(docs, top=3)
        written.append(
            formats.write_counterparts(comparison, mappings / "compare_otaru_tomakomai.csv")
        )
        written.extend(write_themes(classify(docs), reports / "themes.csv"))

    # The synthetic 第3期 measure table has no KPIs: its KPI table (with the measure map that
    # goes with that table's ids) fills the KPI監査 sheet of the Otaru workbook.
    kpi_table = root / "corpora" / "synthetic" / "otaru_3rd_kpis.csv"
    otaru_kpis = _synthetic_kpis(kpi_table)
    pairs: list[tuple[str, Any, Path, dict[str, Any]]] = []
    if deck:
        pairs.append(("tomakomai_2nd_to_3rd", parsed[deck], deck, {}))
    if otaru_2 and otaru_3:
        pairs.append(("otaru_2nd_to_3rd_synthetic", parsed[otaru_2], otaru_3, otaru_kpis))
    otaru_audit = None
    for name, old, new, kpis in pairs:
        progress(f"aligning {name}")
        audit = _pair_reports(
            root, name, new if new == deck else old, new, kpis, comparison, progress, written
        )
        if kpis:
            otaru_audit = audit

    if otaru_2 and otaru_kpis:
        progress("auditing KPIs Otaru 第2期 → synthetic 第3期")
        written += _otaru_audit(root, otaru_audit, parsed[otaru_2], kpi_table, otaru_kpis)

    from .corpus import build_corpus

    progress("building the corpus database (DuckDB)")
    summary = build_corpus(
        root / "corpora" / "index.csv",
        db=root / "corpora" / "corpus.duckdb",
        cache_dir=root / ".textkit-cache",
        workers=1,  # five small documents: a worker pool would cost more than it saves
        mappings_dir=mappings,
    )
    written.append(summary.db)
    return written


def open_first(written: list[Path]) -> list[Path]:
    """The two files a person opens first: the first continuity workbook and its HTML report."""
    books = [p for p in written if p.suffix == ".xlsx" and "kpi_audit" not in p.name]
    pages = [p for p in written if p.suffix == ".html"]
    return books[:1] + pages[:1]
