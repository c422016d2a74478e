"""Corpus database: every document listed in ``corpora/index.csv`` (formats §5) → one DuckDB file.

In: the manifest.  Out: a DuckDB database (default ``corpora/corpus.duckdb``, gitignored) that
researchers query with SQL (``textkit corpus query``, or ``duckdb.connect(path, read_only=True)``
and ``.df()`` for pandas), and Parquet files of the same tables (``textkit corpus export``).

Stages: ``read_manifest`` → ``parse_all`` (extract + parse + tokenise per file, on Dask workers —
local processes by default, one worker: in this process, or the cluster at ``scheduler`` — cached
by the file's content in ``.textkit-cache/<sha256>.json``) → ``group_documents`` (the files that are
sources of one document: a city's plan of one edition) → one TF-IDF space over all measures →
themes and topic clusters → corpus-wide nearest counterparts among real documents (sparse, blocked,
never N×N) → continuity maps and KPI audits between consecutive editions of each city's plan, and
attainment where the manifest names a results table → DuckDB.

Every table and column is described in ``data/corpus_schema.toml`` (``textkit corpus schema``,
README "Corpus database").  Tables ``all_*`` hold everything; the views without the prefix leave out
synthetic or test material, so a plain ``SELECT … FROM measures`` counts real strategies once each.

Example: the five measures of other cities closest to Otaru's 移住 measure::

    SELECT c.b_document, m.title, c.score FROM counterparts c
    JOIN measures m ON m.doc = c.b_doc AND m.id = c.b_id
    WHERE c.a_doc = 'otaru_2nd_strategy.pdf' AND c.a_id = 'G2-M3' ORDER BY c.rank
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import hashlib
import itertools
import json
import os
import platform
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ._compat import tomllib
from .errors import FormatError, TextkitError
from .models import KPI, ContinuityMap, Goal, KPIAudit, Measure, Strategy
from .settings import AllSettings, CounterpartSettings, bundled
from .workers import BACKGROUND, Clock, Pool

# Bump when parsing or tokenising changes what a cached file would contain.
# 2: the cache holds the whole strategy (goals, previous edition's measures, warnings).
# 3: a file holding several documents is warned about; Strategy.edition_label (2020年版).
# 4: structure reads zoo5 layouts (typography titles without their number, prose chapters dropped,
#    counters 6次 / 2期 / 3号 not headings, 単位 columns of outline tables).
# 5: spacing as a typography cue, bracketed and run-in measure headings (Block.bold_lead), measure
#    boxes side by side, line font size by the majority of its characters.
# 6: compound KPI numerals (1億2,000万円 → 12000 万円), baseline and target in one unit, ranges no
#    value; the label above a KPI table (【数値目標】) says its level.
# 7: zoo7 layouts: chapters (第N章 / 第N節) as the goal level, plain numbered goals over styled
#    measures, divider-slide titles, 合計 / 小計 rows dropped, no space inside brackets, a line's
#    font asked of its own characters.
# 8: zoo9 layouts: outline tables under the body's goal headings, 1-(1) numbering, lists flowing
#    into the next text column, a deck's sidebar as navigation, a slide's title band kept once.
# 9: zoo10: 1-(1)-① under 1-(1), 目標（R11） a target column, 【KPI】 lines wrapped before (R5).
PIPELINE_VERSION = "9"
DEFAULT_DB = Path("corpora/corpus.duckdb")
DEFAULT_CACHE = Path(".textkit-cache")
# Counterparts stored per measure (corpus-wide, any other document).
DEFAULT_TOP = 5
# Local Dask workers are processes, not threads: PDF extraction (pdfplumber) is pure Python and
# holds the GIL; measured in reports/bench_corpus.md (scripts/bench_corpus.py).
PROCESSES = True
# Edition pairs (or attainment tables) a local cluster is given; fewer are done in this process. A
# fresh worker process spends 3–7 s importing scikit-learn, SciPy and the word vectors before its
# first pair, a pair then takes ≈ 0.1 s (20 pairs on 40 PDFs: 15 s on 2 fresh workers, 3.8 s
# here; reports/bench_corpus.md). With --scheduler every pair goes to the cluster.
PAIRS_WORTH_WORKERS = 64
# A manifest that names no plan means the 総合戦略 (the documents textkit is made for).
DEFAULT_PLAN = "総合戦略"
_TRUE = frozenset({"true", "yes", "1", "y", "はい", "○"})
_FALSE = frozenset({"", "false", "no", "0", "n", "いいえ"})

Progress = Callable[[int, int], None]  # (documents done, total)


@dataclass(frozen=True)
class Entry:
    """One row of the manifest (formats §5, with its optional columns)."""

    doc: str
    path: Path
    city: str
    edition: int | None
    period_start: int | None
    period_end: int | None
    kind: str
    source: str
    plan: str = DEFAULT_PLAN
    prefecture: str = ""
    code: str = ""
    population_band: str = ""
    synthetic: bool = False
    results: str = (
        ""  # a results table (formats §7) for this document's KPIs, as the manifest names it
    )
    results_path: Path | None = None
    primary: bool = False  # this file, rather than the first listed, stands for its document

    @property
    def document(self) -> str:
        """The document this file is a source of: city/plan/edition (the file, without a city)."""
        if not self.city:
            return self.doc
        edition = "" if self.edition is None else str(self.edition)
        return f"{self.city}/{self.plan}/{edition}"


@dataclass(frozen=True)
class Parsed:
    """What one file contributes: its strategy and per-measure tokens."""

    sha256: str
    strategy: Strategy
    tokens: tuple[tuple[str, ...], ...]
    cached: bool = False
    # Why textkit could not read the file (not a strategy, damaged …): the corpus keeps going
    # without it and says so; empty when it was read.
    refused: str = ""

    @property
    def measures(self) -> tuple[Measure, ...]:
        return self.strategy.measures

    @property
    def kpis(self) -> tuple[KPI, ...]:
        return self.strategy.kpis


@dataclass(frozen=True)
class DocumentGroup:
    """One document and the files that are sources of it; ``primary`` is the one kept."""

    document: str
    entries: tuple[Entry, ...]
    parsed: tuple[Parsed, ...]
    primary: int  # index into entries

    @property
    def entry(self) -> Entry:
        return self.entries[self.primary]

    @property
    def strategy(self) -> Strategy:
        return self.parsed[self.primary].strategy

    @property
    def tokens(self) -> tuple[tuple[str, ...], ...]:
        return self.parsed[self.primary].tokens


@dataclass(frozen=True)
class BuildSummary:
    db: Path
    documents: int  # documents read (a document none of whose files could be read is left out)
    measures: int
    kpis: int
    counterparts: int
    parsed: int  # files parsed in this run
    cached: int  # files taken from the cache
    files: int = 0
    links: int = 0  # continuity-map rows
    kpi_changes: int = 0  # KPI audit rows
    attainment: int = 0  # attainment rows
    synthetic: int = 0  # documents marked synthetic (in all_* tables only)
    skipped: int = 0  # files textkit could not read (left out, with a warning)
    # Where the time went: (step, wall seconds, CPU seconds) in the order run, in this process …
    timings: tuple[tuple[str, float, float], ...] = ()
    # … and inside each file's task (on a worker, or here with one worker).
    tasks: tuple[TaskTiming, ...] = ()


@dataclass(frozen=True)
class TaskTiming:
    """Where one file's task spent its time (``process_document``), for ``BuildSummary.tasks``."""

    doc: str
    worker: str  # host:pid of the process that ran it
    started: float  # time.time() when the task began (comparable across local processes)
    setup: float  # imports and the SudachiPy dictionary, paid by a process's first task
    parse: float  # extract + structure
    tokens: float  # measure tokens
    cache: float  # JSON + cache write
    cpu: float  # CPU seconds of the task's process during the task (wall time above)
    returned: int  # bytes of the result sent back (its JSON form)


# 第二期 as staff may write it: the kanji numerals of an edition number (editions stay far below 10).
_KANJI_DIGITS = {c: str(n) for n, c in enumerate("〇一二三四五六七八九")}


def _edition(value: str, where: str) -> int | None:
    """The manifest's edition as staff write it: 2, ２, 第2期, 2期, 第二期 (None when empty)."""
    from .normalize import normalize_chars

    text = normalize_chars(value).strip()
    core = text.removeprefix("第").removesuffix("期").strip()
    core = "".join(_KANJI_DIGITS.get(c, c) for c in core)
    if not text:
        return None
    if core.isascii() and core.isdigit():
        return int(core)
    raise FormatError(
        f"{where}: edition '{value.strip()}' is not an edition number; write 1, 2, 3 … (or 第2期)"
    )


def _year(value: str, column: str, where: str) -> int | None:
    """A Western fiscal year as staff write it: 2020, ２０２０, 2020年度 (None when empty)."""
    from .normalize import normalize_chars

    text = normalize_chars(value).strip()
    core = text.removesuffix("年度").removesuffix("年").strip()
    if not text:
        return None
    if core.isascii() and core.isdigit() and len(core) == 4:
        return int(core)
    raise FormatError(
        f"{where}: {column} '{value.strip()}' is not a year; write the Western fiscal year "
        "(2020, not R2 or 令和2年度)"
    )


def _bool(value: str, where: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise FormatError(f"{where}: '{value}' is not yes/no (true/false)")


def read_manifest(index: str | Path) -> list[Entry]:
    """The files listed in ``index`` (paths relative to the manifest's folder).

    Optional columns beside formats §5: ``plan`` (kind of plan, default 総合戦略), ``prefecture``,
    ``code`` (全国地方公共団体コード), ``population_band``, ``synthetic`` (yes for synthetic or test
    material), ``results`` (a results table for the document's KPIs, formats §7) and ``primary``
    (yes: this file, not the first listed, stands for its document).
    """
    from .tables import read_rows, require_columns

    index = Path(index)
    rows = read_rows(index)
    require_columns(rows, ("path",), str(index))
    out = []
    for n, row in enumerate(rows, start=2):
        rel = row["path"].strip()
        path = index.parent / rel
        where = f"{index}: row {n}"
        if not path.is_file():
            raise FormatError(
                f"row {n}: '{rel}' does not exist next to the manifest", path=str(index)
            )
        results = row.get("results", "").strip()
        if results and not (index.parent / results).is_file():
            raise FormatError(
                f"row {n}: results table '{results}' does not exist next to the manifest",
                path=str(index),
            )
        out.append(
            Entry(
                doc=rel,
                path=path,
                city=row.get("city", "").strip(),
                edition=_edition(row.get("edition", ""), where),
                period_start=_year(row.get("period_start", ""), "period_start", where),
                period_end=_year(row.get("period_end", ""), "period_end", where),
                kind=row.get("kind", "").strip(),
                source=row.get("source", "").strip(),
                plan=row.get("plan", "").strip() or DEFAULT_PLAN,
                prefecture=row.get("prefecture", "").strip(),
                code=row.get("code", "").strip(),
                population_band=row.get("population_band", "").strip(),
                synthetic=_bool(row.get("synthetic", ""), where),
                results=results,
                results_path=index.parent / results if results else None,
                primary=_bool(row.get("primary", ""), where),
            )
        )
    _check_documents(out, index)
    return out


def _check_documents(entries: Sequence[Entry], index: Path) -> None:
    """Files the manifest makes sources of one document must be one: the same file listed twice,
    or two files of one city/plan/edition naming different plan periods (a 第3期 file marked
    edition 2), would have all but the primary file's measures silently left out."""
    first: dict[str, int] = {}
    period: dict[str, tuple[int, tuple[int | None, int | None]]] = {}
    for n, e in enumerate(entries, start=2):
        if e.doc in first:
            raise FormatError(
                f"row {n} lists '{e.doc}' again (row {first[e.doc]}); list each file once",
                path=str(index),
            )
        first[e.doc] = n
        if not e.city or e.edition is None or (e.period_start, e.period_end) == (None, None):
            continue
        seen = period.setdefault(e.document, (n, (e.period_start, e.period_end)))
        if seen[1] != (e.period_start, e.period_end):

            def years(p: tuple[int | None, int | None]) -> str:
                return "–".join("?" if y is None else str(y) for y in p)

            raise FormatError(
                f"rows {seen[0]} and {n} are the same document ({e.document}: city, plan and "
                f"edition) but name different periods ({years(seen[1])}, "
                f"{years((e.period_start, e.period_end))}); correct the edition of one of them",
                path=str(index),
            )


def group_documents(entries: Sequence[Entry], parsed: Sequence[Parsed]) -> list[DocumentGroup]:
    """Files grouped by the document they are sources of, in manifest order.

    The primary file of a document is the one marked ``primary``, else the first listed; its
    measures and KPIs stand for the document (a PDF and its text are one document, counted once).
    """
    order: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        order.setdefault(e.document, []).append(i)
    groups = []
    for document, rows in order.items():
        marked = [k for k, i in enumerate(rows) if entries[i].primary]
        if len(marked) > 1:
            names = ", ".join(entries[rows[k]].doc for k in marked)
            raise FormatError(f"document {document} has more than one primary file: {names}")
        # A file textkit could not read stands for its document only when no other file can.
        readable = [k for k, i in enumerate(rows) if not parsed[i].refused]
        primary = marked[0] if marked else 0
        if parsed[rows[primary]].refused and readable:
            primary = readable[0]
        groups.append(
            DocumentGroup(
                document=document,
                entries=tuple(entries[i] for i in rows),
                parsed=tuple(parsed[i] for i in rows),
                primary=primary,
            )
        )
    return groups


def content_key(path: str | Path) -> str:
    """sha256 of the file's bytes and the pipeline version (the cache key)."""
    h = hashlib.sha256(f"textkit-corpus-{PIPELINE_VERSION}\0".encode())
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _to_json(p: Parsed) -> dict:
    return {
        "sha256": p.sha256,
        "strategy": p.strategy.to_dict(),
        "tokens": [list(t) for t in p.tokens],
    }


def _kpi(d: dict) -> KPI:
    return KPI(**d)


def _measure(d: dict) -> Measure:
    return Measure(
        **d
        | {
            "items": tuple(d["items"]),
            "refs": tuple(d["refs"]),
            "kpis": tuple(_kpi(k) for k in d["kpis"]),
        }
    )


def _goal(d: dict) -> Goal:
    return Goal(
        **d | {"directions": tuple(d["directions"]), "kpis": tuple(_kpi(k) for k in d["kpis"])}
    )


def strategy_from_json(d: dict) -> Strategy:
    """A ``Strategy`` back from ``Strategy.to_dict()`` (the cache's form)."""
    return Strategy(
        **d
        | {
            "goals": tuple(_goal(g) for g in d["goals"]),
            "measures": tuple(_measure(m) for m in d["measures"]),
            "previous": tuple(_measure(m) for m in d["previous"]),
            "warnings": tuple(d["warnings"]),
        }
    )


def _from_json(d: dict, *, cached: bool) -> Parsed:
    if d.get("refused"):
        return Parsed(d["sha256"], Strategy(source=""), (), cached=cached, refused=d["refused"])
    return Parsed(
        sha256=d["sha256"],
        strategy=strategy_from_json(d["strategy"]),
        tokens=tuple(tuple(t) for t in d["tokens"]),
        cached=cached,
    )


def _setup() -> float:
    """Imports and the SudachiPy dictionary a task needs, paid once per process: seconds taken."""
    start = time.perf_counter()
    from . import sources, tokenize  # noqa: F401  (the parser's modules, imported here once)

    tokenize.stopwords()  # loads the dictionary and the stop words
    return time.perf_counter() - start


def process_document(path: str, key: str, cache_dir: str) -> dict:
    """Worker task: parse and tokenise one file, store the result in the cache, return it.

    Runs in a Dask worker process; takes and returns plain data so that it pickles cheaply.
    The result's ``timings`` (not cached) say where the task's time went (``TaskTiming``).
    """
    started, cpu = time.time(), time.process_time()
    setup = _setup() if not _SET_UP else 0.0
    _SET_UP.append(True)
    from .counterparts import measure_tokens
    from .sources import parse
    from .tables import write_text

    t0 = time.perf_counter()
    try:
        strategy = parse(path)
    except TextkitError as exc:
        # Returned, not raised: a raised error would be logged with a traceback by the Dask
        # worker; refusals are not cached, so a fixed file or a better parser is tried again.
        message = str(exc)
        if exc.path and message.startswith(f"{exc.path}: "):
            message = message[len(exc.path) + 2 :]
        return {"sha256": key, "refused": message}
    t1 = time.perf_counter()
    parsed = Parsed(
        sha256=key,
        strategy=strategy,
        tokens=tuple(measure_tokens(strategy.measures)) if strategy.measures else (),
    )
    t2 = time.perf_counter()
    data = _to_json(parsed)
    text = json.dumps(data, ensure_ascii=False)
    write_text(Path(cache_dir) / f"{key}.json", text)
    timings = {
        "worker": f"{platform.node()}:{os.getpid()}",
        "started": started,
        "setup": setup,
        "parse": t1 - t0,
        "tokens": t2 - t1,
        "cache": time.perf_counter() - t2,
        "cpu": time.process_time() - cpu,
        "returned": len(text.encode("utf-8")),
    }
    return data | {"timings": timings}


# Whether this process has paid ``_setup`` (a list: appended to, never rebound).
_SET_UP: list[bool] = []


def _cached(cache_dir: Path, key: str) -> Parsed | None:
    f = cache_dir / f"{key}.json"
    if not f.is_file():
        return None
    try:
        return _from_json(json.loads(f.read_text("utf-8")), cached=True)
    except (ValueError, KeyError, TypeError):
        return None  # a damaged cache file is simply recomputed


def parse_all(
    entries: Sequence[Entry],
    *,
    cache_dir: Path = DEFAULT_CACHE,
    workers: int = 2,
    scheduler: str | None = None,
    processes: bool = PROCESSES,
    progress: Progress | None = None,
    pool: Pool | None = None,
    clock: Clock | None = None,
) -> list[Parsed]:
    """Parse every entry, cached ones from ``cache_dir``, the rest on Dask workers (``pool``, or
    one made from ``workers`` / ``scheduler`` / ``processes`` for this call).

    With one worker and no scheduler the documents are parsed in this process (no cluster to start;
    the SudachiPy dictionary is loaded once per process either way, see ``textkit.tokenize``).
    """
    clock = clock or (pool.clock if pool else Clock())
    with contextlib.ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(
                Pool(workers=workers, scheduler=scheduler, processes=processes, clock=clock)
            )
        return _parse_entries(entries, cache_dir, pool, clock, progress)


def _parse_entries(
    entries: Sequence[Entry],
    cache_dir: Path,
    pool: Pool,
    clock: Clock,
    progress: Progress | None,
) -> list[Parsed]:
    with clock.step("hash files, read the cache"):
        cache_dir.mkdir(parents=True, exist_ok=True)
        keys = [content_key(e.path) for e in entries]
        results: list[Parsed | None] = [_cached(cache_dir, k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    done = len(entries) - len(todo)
    if progress:
        progress(done, len(entries))
    if todo:
        with clock.step("parse files" + (" (in this process)" if pool.local else "")):
            calls = [
                (str(Path(entries[i].path).resolve()), keys[i], str(cache_dir.resolve()))
                for i in todo
            ]
            for k, data in pool.submit(process_document, calls):
                i = todo[k]
                if "timings" in data:
                    clock.tasks.append(TaskTiming(entries[i].doc, **data["timings"]))
                results[i] = parsed = _from_json(data, cached=False)
                if parsed.refused:
                    _warn(f"{entries[i].doc}: not in the corpus: {parsed.refused}")
                done += 1
                if progress:
                    progress(done, len(entries))
    # The cache is keyed by content: the same bytes elsewhere are the same strategy, read from here.
    out = []
    for e, r in zip(entries, results, strict=True):
        assert r is not None  # every entry was cached or parsed above
        strategy = dataclasses.replace(r.strategy, source=str(e.path))
        if r.refused:
            strategy = dataclasses.replace(strategy, warnings=(f"not read: {r.refused}",))
        out.append(dataclasses.replace(r, strategy=strategy))
    return out


def _warn(message: str) -> None:
    import warnings

    from .errors import TextkitWarning

    warnings.warn(TextkitWarning(message), stacklevel=3)


def _write_table(con, name: str, columns: dict[str, str], rows: list[list]) -> None:
    """Create table ``name`` from rows via a temporary CSV (fast bulk load without pandas)."""
    fd, tmp = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(columns)
            w.writerows(["" if v is None else v for v in r] for r in rows)
        cols = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
        con.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv('{tmp}', header=true, "
            f"columns={{{cols}}}, quote='\"', escape='\"', nullstr='', strict_mode=false)"
        )
    finally:
        os.unlink(tmp)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a DuckDB type
    about: str


@dataclass(frozen=True)
class Table:
    name: str
    about: str
    columns: tuple[Column, ...]

    @property
    def view(self) -> str:
        """The default view over this table: the same rows less synthetic material."""
        return self.name.removeprefix("all_")


@functools.cache
def tables() -> tuple[Table, ...]:
    """Every table of the corpus database, as ``data/corpus_schema.toml`` describes it."""
    text = resources.files("textkit").joinpath("data/corpus_schema.toml").read_text("utf-8")
    data = tomllib.loads(text)["tables"]
    return tuple(
        Table(name, spec["about"], tuple(Column(*c) for c in spec["columns"]))
        for name, spec in data.items()
    )


def schema_markdown() -> str:
    """The schema as Markdown: one section per table, one row per column (README, ``corpus schema``)."""
    out = [
        "Tables `all_*` hold everything the manifest lists; the views of the same name without "
        "`all_` leave out synthetic or test material and are what a query should use by default.",
        "",
    ]
    for t in tables():
        out += [
            f"#### `{t.view}` (table `{t.name}`)",
            "",
            t.about,
            "",
            "| column | type | meaning |",
        ]
        out.append("| --- | --- | --- |")
        out += [f"| `{c.name}` | {c.type} | {c.about} |" for c in t.columns]
        out.append("")
    return "\n".join(out)


# The view that leaves synthetic material out, per table: which column names the document(s).
_REAL = {
    "all_files": "document",
    "all_documents": "document",
    "all_measures": "document",
    "all_kpis": "document",
    "all_counterparts": "a_document",
    "all_continuity": "new_document",
    "all_kpi_audit": "new_document",
    "all_attainment": "document",
}


def _view_sql(t: Table) -> str:
    # "not synthetic" rather than "real": a previous edition that a document only lists itself
    # (pair listed_previous) is no document of the manifest, and still real.
    synthetic = "SELECT document FROM all_documents WHERE synthetic"
    keys = [_REAL[t.name]]
    if t.name in ("all_continuity", "all_kpi_audit"):
        keys.append("old_document")
    if t.name == "all_counterparts":
        keys.append("b_document")
    where = " AND ".join(f"{k} NOT IN ({synthetic})" for k in keys)
    if t.name == "all_documents":  # a file not read is no document to count (files says why)
        where += " AND read"
    return f"CREATE VIEW {t.view} AS SELECT * FROM {t.name} WHERE {where}"


def _measure_rows(
    groups, vectors, workers: int, top: int, clock: Clock, settings: AllSettings
) -> tuple[list[list], list[list]]:
    """Measures (with themes and topic clusters) and corpus-wide counterparts among documents
    that are not synthetic (the real ones come first in ``groups``, so their rows are a prefix)."""
    from .counterparts import nearest_across
    from .themes import theme_columns

    measures = [(g, m) for g in groups for m in g.strategy.measures]
    with clock.step("themes and topic clusters"):
        ruled = theme_columns(
            [m for _, m in measures],
            vectors,
            cluster_every_measure=True,
            settings=settings.themes,
        )
    rows_measures = []
    for (g, m), (themes, primary, _, cluster) in zip(measures, ruled, strict=True):
        rows_measures.append(
            [
                g.document,
                g.entry.doc,
                m.id,
                m.goal_id,
                m.goal,
                m.title,
                m.text,
                "\n".join(m.items),
                m.page,
                " ".join(m.refs),
                m.warning,
                primary,
                ";".join(themes),
                cluster,
            ]
        )
    real = [d for d, g in enumerate(groups) if not g.entry.synthetic]
    if len(real) < 2:
        return rows_measures, []
    n_rows = int(vectors.offsets[len(real)])
    with clock.step("counterparts: nearest measures"):
        idx, val = nearest_across(
            vectors.matrix[:n_rows], vectors.offsets[: len(real) + 1], top=top, threads=workers
        )
    with clock.step("counterparts: rows and matched terms"):
        rows_pairs = _counterpart_rows(
            groups, vectors, idx, val, settings.counterparts.matched_terms
        )
    return rows_measures, rows_pairs


def _counterpart_rows(groups, vectors, idx, val, terms: int | None = None) -> list[list]:
    """One row per (measure, rank) of the nearest measures ``idx`` / scores ``val``; the shared
    words of every pair found at once (``matched_terms_many``: ~100 µs per pair one by one,
    98 CPU-s at national scale, reports/bench_matched_terms.md)."""
    from .counterparts import matched_terms_many

    found = [
        (i, rank, int(j))
        for i, j_row in enumerate(idx)
        for rank, j in enumerate(itertools.takewhile(lambda j: j >= 0, j_row), start=1)
    ]
    words = matched_terms_many(vectors, [f[0] for f in found], [f[2] for f in found], terms)
    doc_of_row = vectors.doc_of_row
    rows: list[list] = []
    for (i, rank, j), shared in zip(found, words, strict=True):
        a, b = groups[doc_of_row[i]], groups[doc_of_row[j]]
        rows.append(
            [
                a.document,
                a.entry.doc,
                vectors.ids[i],
                b.document,
                b.entry.doc,
                vectors.ids[j],
                rank,
                round(float(val[i, rank - 1]), 4),
                " ".join(shared),
            ]
        )
    return rows


@dataclass(frozen=True)
class EditionPair:
    """Two editions of one city's plan to align: ``old`` None means the previous edition's
    measures that ``new`` lists itself (第2期 取組 beside 第3期 施策)."""

    old: DocumentGroup | None
    new: DocumentGroup

    @property
    def kind(self) -> str:
        return "listed_previous" if self.old is None else "editions"


def edition_pairs(groups: Sequence[DocumentGroup]) -> list[EditionPair]:
    """Consecutive editions of each city's plan, and documents listing their previous edition's
    measures where the manifest has no document of that edition."""
    plans: dict[tuple[str, str], list[DocumentGroup]] = {}
    for g in groups:
        if g.entry.city and g.entry.edition is not None:
            plans.setdefault((g.entry.city, g.entry.plan), []).append(g)
    out = []
    for editions in plans.values():
        editions.sort(key=lambda g: g.entry.edition or 0)
        have = {g.entry.edition for g in editions}
        for k, g in enumerate(editions):
            edition = g.entry.edition or 0
            if k and editions[k - 1].strategy.measures and g.strategy.measures:
                out.append(EditionPair(editions[k - 1], g))
            elif g.strategy.previous and edition - 1 not in have:
                out.append(EditionPair(None, g))
    return out


def pair_task(
    old: Strategy,
    new: Strategy,
    head: list,
    kind: str,
    mappings_dir: str | None,
    settings: AllSettings | None = None,
) -> tuple[list[list], list[list]]:
    """Worker task: the continuity map (formats §3) and, when both editions have KPIs, the KPI
    audit (§4) of one edition pair, as rows of ``all_continuity`` / ``all_kpi_audit`` (``head``:
    the pair's document and file names; ``kind``: editions or listed_previous; ``settings``: the
    build's, their ``align`` and ``audit``)."""
    from . import formats
    from .pipeline import align, audit_kpis

    s = AllSettings.resolve(settings)
    cmap: ContinuityMap = align(old, new, mappings_dir=mappings_dir, settings=s.align)
    flags = {c for c, t in SCHEMA["all_continuity"].items() if t == "BOOLEAN"}  # §3: "true" / ""
    links = [
        [*head, kind]
        + [
            row[c] == "true" if c in flags else row[c]
            for c in formats.MAP_COLUMNS + formats.MAP_EXTRA
        ]
        for row in formats.map_rows(cmap)
    ]
    changes = []
    if old.kpis and new.kpis:
        audit: KPIAudit = audit_kpis(old, new, cmap=cmap, settings=s.audit)
        audit_flags = {c for c, t in SCHEMA["all_kpi_audit"].items() if t == "BOOLEAN"}
        changes = [
            head
            + [
                row[c] == "true" if c in audit_flags else row[c]
                for c in formats.AUDIT_COLUMNS + formats.AUDIT_EXTRA
            ]
            for row in formats.audit_rows(audit)
        ]
    return links, changes


def attainment_task(
    strategy: Strategy,
    results_path: str,
    previous: Strategy | None,
    head: list,
    settings: AllSettings | None = None,
) -> list[list]:
    """Worker task: the attainment table (formats §7) of one document's KPIs as rows of
    ``all_attainment`` (``head``: document, file and results table names; ``settings``: the
    build's, their ``attainment`` and ``audit``)."""
    from . import formats
    from .pipeline import attainment

    table = attainment(strategy, results_path, previous=previous, settings=settings)
    return [
        head + [row[c] for c in formats.ATTAINMENT_COLUMNS + formats.ATTAINMENT_EXTRA]
        for row in formats.attainment_rows(table)
    ]


def _pair_calls(
    pairs: Sequence[EditionPair],
    groups: Sequence[DocumentGroup],
    mappings_dir,
    settings: AllSettings,
) -> tuple[list[tuple], list[tuple]]:
    """Arguments of ``pair_task`` per edition pair and of ``attainment_task`` per document
    with a results table."""
    from .sources import previous_of

    mappings = None if mappings_dir is None else str(Path(mappings_dir).resolve())
    pair_calls, previous_of_doc = [], {}
    for pair in pairs:
        new = pair.new.strategy
        old = previous_of(new) if pair.old is None else pair.old.strategy
        old_document = (
            f"{pair.new.entry.city}/{pair.new.entry.plan}/{(pair.new.entry.edition or 0) - 1}"
            if pair.old is None
            else pair.old.document
        )
        old_doc = pair.new.entry.doc if pair.old is None else pair.old.entry.doc
        head = [old_document, pair.new.document, old_doc, pair.new.entry.doc]
        pair_calls.append((old, new, head, pair.kind, mappings, settings))
        if pair.old is not None:
            previous_of_doc[pair.new.document] = old
            # the audit needs KPIs on both sides: say which has none (an unread one is warned of)
            if bool(old.kpis) != bool(new.kpis) and _read(pair.old) and _read(pair.new):
                said = _no_audit(pair.old, pair.new)
                if said:
                    _warn(said)
    attainment_calls = []
    for g in groups:
        given = next((e for e in g.entries if e.results_path), None)
        if given is None or given.results_path is None:
            continue
        if not g.strategy.kpis:
            if _read(g):  # a document not read is warned about already
                _warn(
                    f"{g.entry.doc}: the results table '{given.results}' is not used: "
                    f"{g.document} has no KPIs (重要業績評価指標 / 数値目標) to check it against "
                    f"(`textkit kpis {g.entry.doc}` shows what is read)"
                )
            continue
        head = [g.document, g.entry.doc, given.results]
        previous = previous_of_doc.get(g.document)
        attainment_calls.append(
            (g.strategy, str(given.results_path.resolve()), previous, head, settings)
        )
    return pair_calls, attainment_calls


def _no_audit(old: DocumentGroup, new: DocumentGroup) -> str:
    """The warning for an edition pair whose KPI audit cannot be made: one side has no KPIs.
    None when that side is a measure table (formats §1), which holds no KPIs by its format (the
    bundled synthetic 第3期): nothing was lost reading it."""
    from .extract import sniff_kind

    has, lacks = (old, new) if old.strategy.kpis else (new, old)
    if sniff_kind(lacks.entry.path) == "measures":
        return ""
    return (
        f"{old.document} → {new.document}: no KPI audit: {lacks.entry.doc} has no KPIs "
        f"(重要業績評価指標 / 数値目標) while {has.entry.doc} has {len(has.strategy.kpis)}, so "
        f"kpi_audit holds no row of this pair (`textkit kpis {lacks.entry.doc}` shows what is read)"
    )


def _warm_imports(clock: Clock) -> threading.Thread:
    """Import what the steps after parsing need (scikit-learn, SciPy, DuckDB: seconds on a cold
    start) in a thread, while this process only waits for the workers."""

    def run() -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        import duckdb  # noqa: F401
        import sklearn.decomposition
        import sklearn.feature_extraction.text  # noqa: F401

        from . import counterparts, pipeline, themes  # noqa: F401

        clock.add(
            f"{BACKGROUND}import what the later steps need",
            time.perf_counter() - start,
            time.thread_time() - cpu,
        )

    thread = threading.Thread(target=run, name="textkit-imports", daemon=True)
    thread.start()
    return thread


def _in_order(results) -> list:
    """The results of ``Pool.submit`` in the order of the calls (they arrive as they finish)."""
    return [r for _, r in sorted(results, key=lambda kr: kr[0])]


def build_corpus(
    index: str | Path,
    *,
    db: str | Path = DEFAULT_DB,
    workers: int = 2,
    scheduler: str | None = None,
    cache_dir: str | Path = DEFAULT_CACHE,
    top: int = DEFAULT_TOP,
    processes: bool = PROCESSES,
    progress: Progress | None = None,
    mappings_dir: str | Path | None = None,
    settings: AllSettings | str | Path | None = None,
) -> BuildSummary:
    """Parse every file of the manifest and write the DuckDB database ``db``.

    ``mappings_dir``: where reviewed continuity maps are kept (``textkit review apply``); the
    corpus's maps then keep those decisions, as ``textkit align --mappings`` does. ``settings``:
    a TOML file whose ``[align]``, ``[audit]``, ``[counterparts]``, ``[themes]`` and
    ``[attainment]`` tables override the defaults (checked before anything is read), or an
    ``AllSettings``.
    """
    stages = AllSettings.resolve(settings)
    if not stages.align.sentence_cache:  # the sentence encoder's rows per document, kept too
        sentence = str((Path(cache_dir) / "sentence").resolve())
        stages = dataclasses.replace(stages, align=stages.align.replace(sentence_cache=sentence))
    if Path(db).exists():  # only ever replace a database: -o index.csv would lose the manifest
        try:
            check_database(db)
        except TextkitError:
            raise TextkitError(
                "exists and is not a corpus database (a DuckDB file); corpus build never writes "
                "over another file: give -o a new name ending in .duckdb",
                path=str(db),
            ) from None
    clock = Clock()
    with clock.step("read the manifest"):
        entries = read_manifest(index)
    with Pool(workers=workers, scheduler=scheduler, processes=processes, clock=clock) as pool:
        warm = None if pool.local else _warm_imports(clock)
        parsed = parse_all(entries, cache_dir=Path(cache_dir), pool=pool, progress=progress)
        with clock.step("group files into documents"):
            groups = group_documents(entries, parsed)
        pair_calls, attainment_calls = _pair_calls(
            edition_pairs(groups), groups, mappings_dir, stages
        )
        # Maps, audits and attainment run on the workers while this process does the rest.
        pair_results = pool.submit(pair_task, pair_calls, min_batch=PAIRS_WORTH_WORKERS)
        attainment_results = pool.submit(
            attainment_task, attainment_calls, min_batch=PAIRS_WORTH_WORKERS
        )
        if warm is not None:
            warm.join()
        rows_measures, rows_pairs = _measure_tables(groups, max(1, workers), top, clock, stages)
        with clock.step("continuity maps, KPI audits, attainment"):
            done = _in_order(pair_results)
            links = [row for pair_links, _ in done for row in pair_links]
            changes = [row for _, pair_changes in done for row in pair_changes]
            reached = [row for rows in _in_order(attainment_results) for row in rows]
        pool.release()  # the workers stop while the database is written
        with clock.step("file, document and KPI rows"):
            rows_files, rows_docs, rows_kpis = _document_rows(groups)
        content: dict[str, list[list]] = {
            "all_files": rows_files,
            "all_documents": rows_docs,
            "all_measures": rows_measures,
            "all_kpis": rows_kpis,
            "all_counterparts": rows_pairs,
            "all_continuity": links,
            "all_kpi_audit": changes,
            "all_attainment": reached,
        }
        with clock.step("write the database"):
            _write_database(Path(db), content)
    return BuildSummary(
        db=Path(db),
        documents=sum(_read(g) for g in groups),
        measures=len(rows_measures),
        kpis=len(rows_kpis),
        counterparts=len(rows_pairs),
        parsed=sum(not p.cached for p in parsed),
        cached=sum(p.cached for p in parsed),
        files=len(entries),
        links=len(links),
        kpi_changes=len(changes),
        attainment=len(reached),
        synthetic=sum(g.entry.synthetic for g in groups),
        skipped=sum(bool(p.refused) for p in parsed),
        timings=tuple(clock.steps),
        tasks=tuple(clock.tasks),
    )


def _measure_tables(
    groups: Sequence[DocumentGroup],
    workers: int,
    top: int,
    clock: Clock,
    settings: AllSettings | None = None,
) -> tuple[list[list], list[list]]:
    """Measure rows (themes, clusters) and counterpart rows over one TF-IDF space (``settings``:
    the build's, their ``counterparts`` and ``themes``)."""
    from .counterparts import fit_vectors, measure_tokens

    s = AllSettings.resolve(settings)

    # Real documents first: counterparts are searched among them, a prefix of the matrix rows.
    with_measures = sorted(
        (g for g in groups if g.strategy.measures), key=lambda g: g.entry.synthetic
    )
    if not with_measures:
        return [], []
    # The cache holds tokens with the bundled title weight; another weight re-weighs them here.
    same = s.counterparts.title_weight == bundled(CounterpartSettings).title_weight
    tokens = [
        t
        for g in with_measures
        for t in (
            g.tokens if same else measure_tokens(g.strategy.measures, settings=s.counterparts)
        )
    ]
    with clock.step("TF-IDF over all measures"):
        vectors = fit_vectors(
            tokens,
            docs=[g.document for g in with_measures],
            sizes=[len(g.strategy.measures) for g in with_measures],
            ids=[m.id for g in with_measures for m in g.strategy.measures],
            titles=[m.title for g in with_measures for m in g.strategy.measures],
        )
    return _measure_rows(with_measures, vectors, workers, top, clock, s)


def _read(group: DocumentGroup) -> bool:
    """False when textkit could read none of the document's files (damaged, not a strategy)."""
    return any(not p.refused for p in group.parsed)


def _document_rows(groups: Sequence[DocumentGroup]) -> tuple[list[list], list[list], list[list]]:
    """Rows of the files, documents and KPIs tables."""
    rows_files = [
        [
            e.doc,
            e.document,
            str(e.path),
            e.kind,
            e.source,
            p.sha256,
            len(p.measures),
            len(p.kpis),
            e is g.entry,
            "\n".join(p.strategy.warnings),
        ]
        for g in groups
        for e, p in zip(g.entries, g.parsed, strict=True)
    ]
    rows_docs = [
        [
            g.document,
            g.entry.doc,
            g.entry.city,
            g.entry.plan,
            g.entry.edition,
            g.entry.period_start,
            g.entry.period_end,
            g.entry.prefecture,
            g.entry.code,
            g.entry.population_band,
            g.entry.synthetic,
            len(g.entries),
            len(g.strategy.measures),
            len(g.strategy.kpis),
            _read(g),
        ]
        for g in groups
    ]
    rows_kpis = [
        [
            g.document,
            g.entry.doc,
            k.measure_id,
            k.level,
            k.name,
            k.baseline_raw,
            k.target_raw,
            k.baseline_value,
            k.target_value,
            k.unit,
            k.baseline_year,
            k.target_year,
            k.note,
            k.comparator,
        ]
        for g in groups
        for k in g.strategy.kpis
    ]
    return rows_files, rows_docs, rows_kpis


def _write_database(db: Path, content: dict[str, list[list]]) -> None:
    """Every table (``content[name]``) and its view into a new DuckDB file, replacing ``db``."""
    import duckdb

    from .tables import atomic_path

    with atomic_path(db) as tmp:
        tmp.unlink()  # DuckDB creates its own file
        con = duckdb.connect(str(tmp))
        try:
            for t in tables():
                _write_table(con, t.name, SCHEMA[t.name], content[t.name])
            for t in tables():  # views after tables: they read all_documents
                con.execute(_view_sql(t))
        finally:
            con.close()


# A DuckDB database file starts with an 8-byte checksum and then these four bytes (DuckDB's
# storage header); anything else (a manifest given as --db, a CSV) is not a corpus database.
DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8


def check_database(db: str | Path) -> Path:
    """``db`` if it is a DuckDB file; else the one-line error a user can act on."""
    path = Path(db)
    if not path.is_file():
        raise TextkitError(f"no corpus database at {db}; run 'textkit corpus build' first")
    with path.open("rb") as fh:
        head = fh.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
    if head[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
        raise TextkitError(
            "is not a corpus database (a DuckDB file); give --db the file 'textkit corpus build' "
            "wrote (corpora/corpus.duckdb by default)",
            path=str(db),
        )
    return path


def export_parquet(db: str | Path, folder: str | Path) -> list[Path]:
    """Write every view and table of the corpus database as ``<name>.parquet`` into ``folder``
    (for pandas, polars or DuckDB users); returns the files written."""
    import duckdb

    check_database(db)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    written = []
    try:
        for t in tables():
            for name in (t.view, t.name):
                target = folder / f"{name}.parquet"
                tmp = folder / f".{name}.parquet.tmp"
                escaped = str(tmp).replace("'", "''")
                con.execute(f"COPY (SELECT * FROM {name}) TO '{escaped}' (FORMAT parquet)")
                os.replace(tmp, target)
                written.append(target)
    finally:
        con.close()
    return written


SCHEMA: dict[str, dict[str, str]] = {t.name: {c.name: c.type for c in t.columns} for t in tables()}


# ``corpus query`` runs SQL typed by anyone: DuckDB can otherwise read any file (read_csv('/etc/…')),
# write one (COPY … TO, EXPORT DATABASE), create databases (ATTACH) and load extensions. With
# external access off only the database file opened here is reachable; the lock stops a ``SET`` in
# the query from turning it back on (DuckDB "Securing DuckDB": enable_external_access,
# lock_configuration).
QUERY_SANDBOX = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}


def query(db: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run one read-only SQL query on the corpus database: (column names, rows).

    The query sees only the corpus database: it cannot read, write or attach other files, load
    extensions or change these settings (``QUERY_SANDBOX``).
    """
    import duckdb

    check_database(db)
    try:
        con = duckdb.connect(str(db), read_only=True, config=dict(QUERY_SANDBOX))
    except duckdb.Error as exc:
        raise TextkitError(
            f"cannot open the corpus database: {_one_line(exc)}", path=str(db)
        ) from None
    try:
        statements = con.extract_statements(sql)
        if len(statements) > 1:  # con.sql would run them all and return only the last result
            raise TextkitError(
                f"corpus query runs one SQL statement at a time and this has {len(statements)} "
                "(separated by ';'); run each on its own, or combine them with UNION ALL or a join"
            )
        rel = con.sql(sql)
        if rel is None:
            return [], []
        return list(rel.columns), rel.fetchall()
    except duckdb.PermissionException as exc:
        raise TextkitError(
            "the SQL query tried to reach a file outside the corpus database, which corpus query "
            f"never allows (it only reads the database; copy the rows from its CSV output): "
            f"{_one_line(exc)}"
        ) from None
    except duckdb.Error as exc:
        raise TextkitError(f"the SQL query failed: {_one_line(exc)}") from None
    finally:
        con.close()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
