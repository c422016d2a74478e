"""Corpus database: every document listed in ``corpora/index.csv`` (formats §5) → one DuckDB file.

In: the manifest.  Out: a DuckDB database (default ``corpora/corpus.duckdb``, gitignored) that
researchers query with SQL (``duckdb.connect(path, read_only=True).sql("...").fetchall()``, or
``.df()`` for pandas when pandas is installed).

Stages: ``read_manifest`` → ``process_document`` per document (extract + parse + tokenise) run in
parallel by Dask — local worker processes by default (one worker: in this process), or the cluster at ``scheduler`` (a
``tcp://host:8786`` address, via ``dask.distributed.Client``) — with a cache keyed by the file's
content (``.textkit-cache/<sha256>.json``: re-running skips unchanged files and starts no workers at
all when every file is cached) → one TF-IDF space over all measures (``textkit.counterparts``) → themes
(``textkit.themes``) → corpus-wide nearest counterparts (sparse, blocked; never N×N) → DuckDB.

Tables (one row per …):

``documents``     document: ``doc`` (manifest path, the key), ``path``, ``city``, ``edition``,
                  ``period_start``, ``period_end``, ``kind``, ``source``, ``sha256``, ``measures``
``measures``      measure: ``doc``, ``id``, ``goal_id``, ``goal``, ``title``, ``text``, ``items``
                  (one per line), ``page``, ``refs`` (space-separated previous-edition ids),
                  ``primary_theme``, ``themes`` (``;``-separated), ``cluster`` (for measures no
                  theme rule covers)
``kpis``          KPI (formats §2): ``doc``, ``measure_id``, ``level``, ``name``, ``baseline_raw``,
                  ``target_raw``, ``baseline_value``, ``target_value``, ``unit``, ``baseline_year``,
                  ``target_year``, ``note``
``counterparts``  link from a measure to one of its ``top`` nearest measures in any *other*
                  document: ``a_doc``, ``a_id``, ``b_doc``, ``b_id``, ``rank`` (1 = closest),
                  ``score`` (cosine 0–1), ``matched_terms``

Example: the five measures of other cities closest to Otaru's 移住 measure::

    SELECT c.b_doc, m.title, c.score FROM counterparts c
    JOIN measures m ON m.doc = c.b_doc AND m.id = c.b_id
    WHERE c.a_doc = 'otaru_2nd_strategy.md' AND c.a_id = 'G2-M3' ORDER BY c.rank
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import FormatError, TextkitError
from .models import KPI, Measure

# Bump when parsing or tokenising changes what a cached file would contain.
PIPELINE_VERSION = "1"
DEFAULT_DB = Path("corpora/corpus.duckdb")
DEFAULT_CACHE = Path(".textkit-cache")
# Counterparts stored per measure (corpus-wide, any other document).
DEFAULT_TOP = 5
# Local Dask workers are processes, not threads: PDF extraction (pdfplumber) is pure Python and
# holds the GIL; measured in reports/bench_corpus.md (scripts/bench_corpus.py).
PROCESSES = True

Progress = Callable[[int, int], None]  # (documents done, total)


@dataclass(frozen=True)
class Entry:
    """One row of the manifest (formats §5)."""

    doc: str
    path: Path
    city: str
    edition: int | None
    period_start: int | None
    period_end: int | None
    kind: str
    source: str


@dataclass(frozen=True)
class Parsed:
    """What one document contributes: its measures, KPIs and per-measure tokens."""

    sha256: str
    measures: tuple[Measure, ...]
    kpis: tuple[KPI, ...]
    tokens: tuple[tuple[str, ...], ...]
    cached: bool = False


@dataclass(frozen=True)
class BuildSummary:
    db: Path
    documents: int
    measures: int
    kpis: int
    counterparts: int
    parsed: int  # documents parsed in this run
    cached: int  # documents taken from the cache


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


def read_manifest(index: str | Path) -> list[Entry]:
    """The documents listed in ``index`` (paths relative to the manifest's folder)."""
    from .tables import read_rows, require_columns

    index = Path(index)
    rows = read_rows(index)
    require_columns(rows, ("path",), str(index))
    out = []
    for n, row in enumerate(rows, start=2):
        rel = row["path"].strip()
        path = index.parent / rel
        if not path.is_file():
            raise FormatError(
                f"row {n}: '{rel}' does not exist next to the manifest", path=str(index)
            )
        out.append(
            Entry(
                doc=rel,
                path=path,
                city=row.get("city", "").strip(),
                edition=_int(row.get("edition", "")),
                period_start=_int(row.get("period_start", "")),
                period_end=_int(row.get("period_end", "")),
                kind=row.get("kind", "").strip(),
                source=row.get("source", "").strip(),
            )
        )
    return out


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
        "measures": [m.to_dict() for m in p.measures],
        "kpis": [k.to_dict() for k in p.kpis],
        "tokens": [list(t) for t in p.tokens],
    }


def _from_json(d: dict, *, cached: bool) -> Parsed:
    def measure(m: dict) -> Measure:
        fields = {k: v for k, v in m.items() if k != "kpis"}
        return Measure(**fields | {"items": tuple(m["items"]), "refs": tuple(m["refs"])})

    return Parsed(
        sha256=d["sha256"],
        measures=tuple(measure(m) for m in d["measures"]),
        kpis=tuple(KPI(**k) for k in d["kpis"]),
        tokens=tuple(tuple(t) for t in d["tokens"]),
        cached=cached,
    )


def process_document(path: str, key: str, cache_dir: str) -> dict:
    """Worker task: parse and tokenise one document, store the result in the cache, return it.

    Runs in a Dask worker process; takes and returns plain data so that it pickles cheaply.
    """
    from .counterparts import measure_tokens
    from .sources import parse
    from .tables import write_text

    strategy = parse(path)
    measures = strategy.measures
    parsed = Parsed(
        sha256=key,
        measures=tuple(m for m in measures),
        kpis=strategy.kpis,
        tokens=tuple(measure_tokens(measures)) if measures else (),
    )
    data = _to_json(parsed)
    write_text(Path(cache_dir) / f"{key}.json", json.dumps(data, ensure_ascii=False))
    return data


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
) -> list[Parsed]:
    """Parse every entry, cached ones from ``cache_dir``, the rest on Dask workers.

    With one worker and no scheduler the documents are parsed in this process (no cluster to start;
    the SudachiPy dictionary is loaded once per process either way, see ``textkit.tokenize``).
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = [content_key(e.path) for e in entries]
    results: list[Parsed | None] = [_cached(cache_dir, k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    done = len(entries) - len(todo)
    if progress:
        progress(done, len(entries))

    def finish(i: int, get: Callable[[], dict]) -> None:
        nonlocal done
        try:
            results[i] = _from_json(get(), cached=False)
        except TextkitError as exc:
            raise TextkitError(f"{entries[i].doc}: {exc}") from None
        done += 1
        if progress:
            progress(done, len(entries))

    if todo and workers <= 1 and not scheduler:
        for i in todo:
            finish(
                i,
                functools.partial(process_document, str(entries[i].path), keys[i], str(cache_dir)),
            )
    elif todo:
        from dask.distributed import Client, LocalCluster, as_completed

        with contextlib.ExitStack() as stack:
            if scheduler:
                client = stack.enter_context(Client(scheduler))
            else:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=workers if processes else 1,
                        threads_per_worker=1 if processes else workers,
                        processes=processes,
                        dashboard_address=None,
                    )
                )
                client = stack.enter_context(Client(cluster))
            futures = {
                client.submit(
                    process_document, str(entries[i].path), keys[i], str(cache_dir), pure=False
                ): i
                for i in todo
            }
            for fut in as_completed(futures):
                finish(futures[fut], fut.result)
    return [r for r in results if r is not None]


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
) -> BuildSummary:
    """Parse every document of the manifest and write the DuckDB database ``db``."""
    import duckdb

    from .counterparts import fit_vectors, matched_terms, nearest_across
    from .tables import atomic_path
    from .themes import cluster_uncovered, load_scheme, match_rules

    entries = read_manifest(index)
    parsed = parse_all(
        entries,
        cache_dir=Path(cache_dir),
        workers=workers,
        scheduler=scheduler,
        processes=processes,
        progress=progress,
    )
    keep = [(e, p) for e, p in zip(entries, parsed, strict=True) if p.measures]
    tokens = [t for _, p in keep for t in p.tokens]
    rows_measures, rows_pairs = [], []
    if tokens:
        vectors = fit_vectors(
            tokens,
            docs=[e.doc for e, _ in keep],
            sizes=[len(p.measures) for _, p in keep],
            ids=[m.id for _, p in keep for m in p.measures],
            titles=[m.title for _, p in keep for m in p.measures],
        )
        scheme = load_scheme()
        measures = [m for _, p in keep for m in p.measures]
        ruled = [match_rules(m, scheme) for m in measures]
        uncovered = [i for i, r in enumerate(ruled) if not r[0]]
        clusters = dict(zip(uncovered, cluster_uncovered(vectors, uncovered), strict=True))
        doc_of_row = vectors.doc_of_row
        for i, m in enumerate(measures):
            themes, primary, _ = ruled[i]
            rows_measures.append(
                [
                    vectors.docs[doc_of_row[i]],
                    m.id,
                    m.goal_id,
                    m.goal,
                    m.title,
                    m.text,
                    "\n".join(m.items),
                    m.page,
                    " ".join(m.refs),
                    primary,
                    ";".join(themes),
                    clusters.get(i, ""),
                ]
            )
        if len(keep) > 1:
            idx, val = nearest_across(
                vectors.matrix, vectors.offsets, top=top, threads=max(1, workers)
            )
            for i, j_row in enumerate(idx):
                for rank, j in enumerate(j_row, start=1):
                    if j < 0:
                        break
                    rows_pairs.append(
                        [
                            vectors.docs[doc_of_row[i]],
                            vectors.ids[i],
                            vectors.docs[doc_of_row[j]],
                            vectors.ids[j],
                            rank,
                            round(float(val[i, rank - 1]), 4),
                            " ".join(matched_terms(vectors, i, int(j))),
                        ]
                    )
    rows_docs = [
        [
            e.doc,
            str(e.path),
            e.city,
            e.edition,
            e.period_start,
            e.period_end,
            e.kind,
            e.source,
            p.sha256,
            len(p.measures),
        ]
        for e, p in zip(entries, parsed, strict=True)
    ]
    rows_kpis = [
        [
            e.doc,
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
        ]
        for e, p in zip(entries, parsed, strict=True)
        for k in p.kpis
    ]
    db = Path(db)
    with atomic_path(db) as tmp:
        tmp.unlink()  # DuckDB creates its own file
        con = duckdb.connect(str(tmp))
        try:
            _write_table(con, "documents", SCHEMA["documents"], rows_docs)
            _write_table(con, "measures", SCHEMA["measures"], rows_measures)
            _write_table(con, "kpis", SCHEMA["kpis"], rows_kpis)
            _write_table(con, "counterparts", SCHEMA["counterparts"], rows_pairs)
        finally:
            con.close()
    return BuildSummary(
        db=db,
        documents=len(entries),
        measures=len(rows_measures),
        kpis=len(rows_kpis),
        counterparts=len(rows_pairs),
        parsed=sum(not p.cached for p in parsed),
        cached=sum(p.cached for p in parsed),
    )


def _columns(spec: str) -> dict[str, str]:
    return dict(item.split(":") for item in spec.split())


SCHEMA: dict[str, dict[str, str]] = {
    "documents": _columns(
        "doc:VARCHAR path:VARCHAR city:VARCHAR edition:INTEGER period_start:INTEGER "
        "period_end:INTEGER kind:VARCHAR source:VARCHAR sha256:VARCHAR measures:INTEGER"
    ),
    "measures": _columns(
        "doc:VARCHAR id:VARCHAR goal_id:VARCHAR goal:VARCHAR title:VARCHAR text:VARCHAR "
        "items:VARCHAR page:INTEGER refs:VARCHAR primary_theme:VARCHAR themes:VARCHAR "
        "cluster:VARCHAR"
    ),
    "kpis": _columns(
        "doc:VARCHAR measure_id:VARCHAR level:VARCHAR name:VARCHAR baseline_raw:VARCHAR "
        "target_raw:VARCHAR baseline_value:DOUBLE target_value:DOUBLE unit:VARCHAR "
        "baseline_year:INTEGER target_year:INTEGER note:VARCHAR"
    ),
    "counterparts": _columns(
        "a_doc:VARCHAR a_id:VARCHAR b_doc:VARCHAR b_id:VARCHAR rank:INTEGER score:DOUBLE "
        "matched_terms:VARCHAR"
    ),
}


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

    if not Path(db).is_file():
        raise TextkitError(f"no corpus database at {db}; run 'textkit corpus build' first")
    try:
        con = duckdb.connect(str(db), read_only=True, config=dict(QUERY_SANDBOX))
    except duckdb.Error as exc:
        raise TextkitError(
            f"cannot open the corpus database: {_one_line(exc)}", path=str(db)
        ) from None
    try:
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
