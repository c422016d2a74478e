"""Reading inputs: every path a user gives textkit becomes a ``Document`` or a ``Strategy`` here.

What goes in: paths (PDF, .txt, .md documents; measure tables, formats §1; KPI tables, formats §2;
reviewed maps under ``mappings/``, formats §3) or objects already read. What comes out: ``Document``
(``read``), ``Strategy`` (``parse``, ``load_strategy``, ``load_pair``, ``load_kpi_source``), a named
``Strategy`` for comparisons (``load_named``) and the reviewed decisions (``ReviewedMap``) of a pair
(``load_reviewed``, ``reviewed_for``).

The stages never open files themselves: they take what this module read, so reading (and its
error messages) has one home.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from pathlib import Path

from .errors import EmptyDocumentError, TextkitWarning
from .models import KPI, Document, Goal, Measure, ReviewedMap, Strategy


def read(path: str | Path, *, settings: object = None) -> Document:
    """Read a PDF, text or Markdown document into normalised text blocks with page numbers.
    ``settings``: the PDF reader's tolerances (``pdf.ExtractSettings``, a dict of overrides or a
    TOML file with an ``[extract]`` table; None = defaults)."""
    from .extract import read as _read

    return _read(path, settings=settings)


def parse(path: str | Path, *, settings: object = None) -> Strategy:
    """A strategy's goals, measures and KPIs: a measure table (.csv/.xlsx/.json, formats §1) as it
    is, any other document through ``read`` (with ``settings``) and ``structure.parse_document``."""
    from .extract import sniff_kind

    if sniff_kind(path) == "measures":
        from .formats import read_measures

        return read_measures(path)
    from .structure import parse_document

    return with_damage(parse_document(doc := read(path, settings=settings)), doc)


def with_damage(strategy: Strategy, doc: Document) -> Strategy:
    """The strategy carrying the document's warnings and, where pages are damaged, which goals
    and measures may be cut (``damage.cut_structure``; those are also issued as warnings)."""
    if not doc.warnings and not doc.damaged:
        return strategy
    from .damage import cut_structure

    cut = cut_structure(strategy, doc)
    for note in cut:
        warnings.warn(TextkitWarning(note), stacklevel=3)
    return dataclasses.replace(strategy, warnings=strategy.warnings + doc.warnings + cut)


# ── strategies for alignment and comparison ─────────────────────────────────


def load_strategy(source: Strategy | str | Path) -> Strategy:
    """A ``Strategy`` from a path (document or measure table, via ``parse``) or as given."""
    if isinstance(source, Strategy):
        return source
    return parse(source)


def load_pair(old: Strategy | str | Path, new: Strategy | str | Path) -> tuple[Strategy, Strategy]:
    """OLD and NEW as strategies. The same document given twice means: its previous edition's
    measures, as it lists them itself (e.g. 第2期 取組 ①–⑲ beside 第3期 施策), against its own."""
    same = (
        not isinstance(old, Strategy)
        and not isinstance(new, Strategy)
        and Path(old).resolve() == Path(new).resolve()
    )
    new_s = load_strategy(new)
    old_s = new_s if same else load_strategy(old)
    if old_s is new_s:
        old_s = previous_of(new_s)
    return old_s, new_s


def previous_of(doc: Strategy) -> Strategy:
    """The previous edition's measures a document lists itself (e.g. 第2期 取組 ①–⑲)."""
    if not doc.previous:
        raise EmptyDocumentError(
            "OLD and NEW are the same document, but it does not list the previous edition's "
            "measures; give the previous edition as OLD",
            path=doc.source,
        )
    return Strategy(source=doc.source + "#previous", measures=doc.previous, city=doc.city)


def load_named(doc: str | Path | Strategy) -> tuple[str, Strategy]:
    """A document for comparison, named by its file name without suffix, read with
    ``parse`` (documents and measure tables alike)."""
    if isinstance(doc, Strategy):
        return Path(doc.source).stem or "document", doc
    path = Path(doc)
    return path.stem, parse(path)


# ── KPI tables ──────────────────────────────────────────────────────────────


def strategy_from_kpis(kpis: Sequence[KPI], source: str = "") -> Strategy:
    """Group a KPI table's rows into a Strategy by ``measure_id`` (goal rows → ``Goal``)."""
    goals: dict[str, list[KPI]] = {}
    measures: dict[str, list[KPI]] = {}
    for n, k in enumerate(kpis, start=1):
        mid = k.measure_id or f"K{n}"
        if (k.level or "measure") == "goal":
            goals.setdefault(mid, []).append(k)
        else:
            measures.setdefault(mid, []).append(k)
    return Strategy(
        source=source,
        goals=tuple(Goal(id=g, title="", kpis=tuple(ks)) for g, ks in goals.items()),
        measures=tuple(
            Measure(
                id=m,
                title="",
                goal_id=m.split("-")[0] if "-" in m and m.split("-")[0] in goals else "",
                kpis=tuple(ks),
            )
            for m, ks in measures.items()
        ),
    )


def load_kpi_source(source: str | Path | Strategy) -> Strategy:
    """A Strategy with KPIs from a parsed Strategy, a KPI table (formats §2: .csv/.xlsx/.json with
    a ``name`` column; grouped by ``measure_id``) or a document (PDF, text, Markdown)."""
    if isinstance(source, Strategy):
        strategy = source
    else:
        from .tables import TABLE_FORMATS

        path = Path(source)
        if path.suffix.lower() in TABLE_FORMATS:
            from .formats import read_kpis

            strategy = strategy_from_kpis(read_kpis(path), str(path))
        else:
            strategy = parse(path)
    if not strategy.kpis:
        raise EmptyDocumentError(
            "no KPIs found (重要業績評価指標 / 数値目標 tables); give a KPI table written by "
            "'textkit kpis DOC -o kpis.csv' instead",
            path=strategy.source or None,
        )
    return strategy


# ── reviewed maps (mappings/*.reviewed.csv) ─────────────────────────────────


def load_reviewed(mappings_dir: str | Path, old_name: str, new_name: str) -> ReviewedMap | None:
    """The decisions stored for a pair (``decisions.read_reviewed``), or None when none are."""
    from .decisions import load_reviewed as _load

    return _load(mappings_dir, old_name, new_name)


def reviewed_for(mappings_dir: str | Path, old: Strategy, new: Strategy) -> ReviewedMap | None:
    """The decisions stored under ``mappings_dir`` for the pair OLD → NEW, if any."""
    from .workbook import pair_names

    return load_reviewed(mappings_dir, *pair_names(old.source, new.source))


def reviewed_editions(mappings_dir: str | Path, rmap: ReviewedMap) -> tuple[Strategy, Strategy]:
    """The two editions a reviewed map was decided on, re-read from the files it names
    (``ReviewedMap.old_source`` / ``new_source``, relative to ``mappings_dir`` or the current
    folder), or from measure tables ``<old>.measures.csv`` / ``<new>.measures.csv`` beside it.
    Raises ``InputNotFoundError`` naming every file looked for when a side cannot be found."""
    from .decisions import edition_paths
    from .errors import InputNotFoundError

    folder = Path(mappings_dir)
    found: list[Path | None] = []
    tried: list[str] = []
    previous = False
    for name, ref in ((rmap.old_name, rmap.old_source), (rmap.new_name, rmap.new_source)):
        places, is_previous = edition_paths(ref, folder)
        previous |= is_previous
        places.append(folder / f"{name.removesuffix('.previous')}.measures.csv")
        hit = next((p for p in places if p.is_file()), None)
        found.append(hit)
        if hit is None:
            tried.append(f"{ref or name} (looked for {', '.join(str(p) for p in places)})")
    old_path, new_path = found
    if old_path is None or new_path is None:
        raise InputNotFoundError("edition files not found: " + "; ".join(tried))
    if previous and old_path.resolve() == new_path.resolve():
        return load_pair(new_path, new_path)
    return load_strategy(old_path), load_strategy(new_path)
