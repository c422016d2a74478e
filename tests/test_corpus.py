"""textkit.corpus: manifest → Dask-parsed, content-cached documents → DuckDB, queried with SQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from textkit.cli import main
from textkit.corpus import SCHEMA, build_corpus, content_key, query, read_manifest
from textkit.errors import FormatError, TextkitError

from .conftest import ROOT

CASES = Path(__file__).parent / "cases" / "compare"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The two bundled measure tables plus the real Tomakomai deck, built once with 1 worker."""
    d = tmp_path_factory.mktemp("corpus")
    shutil.copy(CASES / "otaru_2nd_measures.csv", d / "otaru.csv")
    shutil.copy(ROOT / "corpora" / "tomakomai_3rd_deck_2024.txt", d / "tomakomai.txt")
    (d / "index.csv").write_text(
        "path,city,edition,period_start,period_end,kind,source\n"
        "otaru.csv,小樽市,2,2020,2024,measures,hand-made measure table\n"
        "tomakomai.txt,苫小牧市,3,2025,2029,text,seed 000\n",
        "utf-8",
    )
    cache = d / "cache"
    summary = build_corpus(d / "index.csv", db=d / "c.duckdb", cache_dir=cache, workers=1, top=3)
    return d, cache, summary


def test_build_stores_documents_measures_kpis_and_counterparts(built):
    d, _, s = built
    assert (s.documents, s.measures, s.parsed, s.cached) == (2, 24, 2, 0)
    assert s.kpis > 0
    # at most top=3 per measure; a measure sharing words with fewer than 3 others gets fewer
    assert 24 * 3 - 6 <= s.counterparts <= 24 * 3
    con = duckdb.connect(str(d / "c.duckdb"), read_only=True)
    try:
        for table, columns in SCHEMA.items():
            got = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            assert got == list(columns)
        docs = con.execute(
            "SELECT doc, city, edition, measures FROM documents ORDER BY doc"
        ).fetchall()
    finally:
        con.close()
    assert docs == [("otaru.csv", "小樽市", 2, 12), ("tomakomai.txt", "苫小牧市", 3, 12)]


def test_sql_finds_the_known_counterpart_and_themes(built):
    d, _, _ = built
    columns, rows = query(
        d / "c.duckdb",
        "SELECT m.title, c.score FROM counterparts c "
        "JOIN measures m ON m.doc = c.b_doc AND m.id = c.b_id "
        "WHERE c.a_doc = 'otaru.csv' AND c.a_id = 'G2-M3' ORDER BY c.rank",
    )
    assert columns == ["title", "score"]
    assert rows[0][0] == "移住促進"
    _, themes = query(
        d / "c.duckdb",
        "SELECT primary_theme, count(*) FROM measures WHERE doc = 'tomakomai.txt' "
        "GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 2",
    )
    assert themes == [("しごと・雇用", 3), ("結婚・出産・子育て", 3)]


def test_rerun_takes_unchanged_files_from_the_cache(built, tmp_path):
    d, cache, first = built
    names = sorted(p.name for p in cache.iterdir())
    assert [n for n in names if n != "sentence"] == sorted(
        f"{content_key(d / n)}.json" for n in ("otaru.csv", "tomakomai.txt")
    )
    # beside the parse cache: the sentence encoder's rows per aligned document (textkit.sentence)
    assert all(p.suffix == ".npy" for p in (cache / "sentence").glob("*"))
    seen = []
    s = build_corpus(
        d / "index.csv",
        db=tmp_path / "again.duckdb",
        cache_dir=cache,
        top=3,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (s.parsed, s.cached, s.measures, s.counterparts) == (0, 2, 24, first.counterparts)
    assert seen == [(2, 2)]
    # nothing to parse and no edition pair (2 workers asked for): no cluster started for nothing
    steps = [name for name, _, _ in s.timings]
    assert not any("local cluster" in name for name in steps), steps
    assert s.tasks == ()


def test_the_summary_says_where_the_time_went(built):
    """One TaskTiming per file parsed, the named steps of the build with wall and CPU seconds."""
    _, _, s = built
    assert sorted(t.doc for t in s.tasks) == ["otaru.csv", "tomakomai.txt"]
    for t in s.tasks:
        assert t.parse > 0 and t.cpu > 0 and t.returned > 1000
    steps = {name: (wall, cpu) for name, wall, cpu in s.timings}
    for name in ("parse files (in this process)", "TF-IDF over all measures", "write the database"):
        assert name in steps
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in steps.values())


def test_manifest_errors_name_the_row(tmp_path):
    (tmp_path / "index.csv").write_text("path,city\nmissing.pdf,x\n", "utf-8")
    with pytest.raises(FormatError, match=r"row 2: 'missing\.pdf' does not exist"):
        read_manifest(tmp_path / "index.csv")
    with pytest.raises(TextkitError, match="corpus build"):
        query(tmp_path / "none.duckdb", "SELECT 1")


def test_cli_query_prints_csv(built):
    d, _, _ = built
    result = CliRunner().invoke(
        main,
        ["corpus", "query", "SELECT count(*) AS n FROM measures", "--db", str(d / "c.duckdb")],
    )
    assert result.exit_code == 0, result.output
    assert result.output == "n\n24\n"
    bad = CliRunner().invoke(main, ["corpus", "query", "SELECT nope", "--db", str(d / "c.duckdb")])
    assert bad.exit_code == 2
    assert "SQL query failed" in bad.output


def test_cli_query_refuses_several_statements(built):
    """DuckDB ran every statement and printed only the last result; now refused in one line."""
    d, _, _ = built
    db = ["--db", str(d / "c.duckdb")]
    two = "select count(*) as n from measures; select 1 as one"
    result = CliRunner().invoke(main, ["corpus", "query", two, *db])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: corpus query runs one SQL statement") and "has 2" in line
    one = CliRunner().invoke(main, ["corpus", "query", "select 1 as one;", *db])
    assert one.exit_code == 0 and one.output == "one\n1\n", one.output


@pytest.mark.parametrize("pairs_on_workers", [True, False])
def test_two_dask_workers_build_the_same_database(built, tmp_path, monkeypatch, pairs_on_workers):
    """The Dask path (2 local worker processes, fresh cache) stores what the in-process build did,
    with the edition pair aligned on the workers or, a batch too small for them, here."""
    from textkit import corpus, workers

    monkeypatch.setattr(workers, "MIN_CLUSTER_BATCH", 1)  # a cluster even for 2 files
    monkeypatch.setattr(corpus, "PAIRS_WORTH_WORKERS", 1 if pairs_on_workers else 10**6)
    d, _, first = built
    db = tmp_path / "dask.duckdb"
    s = build_corpus(d / "index.csv", db=db, cache_dir=tmp_path / "cache", workers=2, top=3)
    assert (s.parsed, s.cached, s.counterparts) == (2, 0, first.counterparts)
    assert s.links == first.links > 0
    sql = "SELECT a_doc, a_id, b_id, rank, score FROM counterparts ORDER BY ALL"
    assert query(db, sql) == query(d / "c.duckdb", sql)
    assert any(name.endswith("start the local cluster") for name, _, _ in s.timings)
    for name in SCHEMA:  # every table, the continuity maps and KPI audits too
        sql = f"SELECT * FROM {name} ORDER BY ALL"
        assert query(db, sql) == query(d / "c.duckdb", sql), name
