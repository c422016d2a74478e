"""textkit.corpus as researchers use it: one document per city and edition however many files it
was read from, synthetic material out of the default views, continuity maps / KPI audits /
attainment between editions in the database, the schema documented, Parquet beside DuckDB."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from textkit import formats
from textkit.cli import main
from textkit.corpus import (
    SCHEMA,
    build_corpus,
    export_parquet,
    query,
    read_manifest,
    schema_markdown,
    tables,
)
from textkit.errors import FormatError
from textkit.pipeline import align, attainment, audit_kpis
from textkit.sources import parse

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
ATTAINMENT = Path(__file__).parent / "cases" / "attainment"

# Edition 3 of Otaru made from edition 2: one target re-set, one KPI row gone (so the KPI audit
# has a target_changed and a dropped row to store).
RETARGET = (
    "製造業の付加価値額\t624 億円 (H28)\t641 億円",
    "製造業の付加価値額\t624 億円 (H28)\t700 億円",
)
DROP = "商人塾参加人数\t70人 (H30)\t70人\n"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled manifest, built once in one process."""
    d = tmp_path_factory.mktemp("bundled")
    db = d / "corpus.duckdb"
    summary = build_corpus(CORPORA / "index.csv", db=db, cache_dir=d / "cache", workers=1)
    return db, summary


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """Otaru 第2期 (Markdown + its PDF, with a results table) and a 第3期 derived from it."""
    d = tmp_path_factory.mktemp("editions")
    shutil.copy(CORPORA / "otaru_2nd_strategy.md", d / "otaru_2.md")
    shutil.copy(CORPORA / "otaru_2nd_strategy.pdf", d / "otaru_2.pdf")
    shutil.copy(ATTAINMENT / "otaru_results_wide.csv", d / "results.csv")
    text = (CORPORA / "otaru_2nd_strategy.md").read_text("utf-8")
    assert RETARGET[0] in text and DROP in text
    (d / "otaru_3.md").write_text(text.replace(*RETARGET).replace(DROP, ""), "utf-8")
    (d / "index.csv").write_text(
        "path,city,edition,period_start,period_end,kind,source,prefecture,code,results\n"
        "otaru_2.md,小樽市,2,2020,2024,markdown,seed,北海道,012033,results.csv\n"
        "otaru_2.pdf,小樽市,2,2020,2024,pdf,rendered,北海道,012033,\n"
        "otaru_3.md,小樽市,3,2025,2029,markdown,derived for this test,北海道,012033,\n",
        "utf-8",
    )
    db = d / "c.duckdb"
    summary = build_corpus(d / "index.csv", db=db, cache_dir=d / "cache", workers=1, top=3)
    return d, db, summary


def test_one_document_per_city_and_edition_counted_once(bundled):
    db, s = bundled
    assert (s.files, s.documents) == (5, 3)  # 2 Otaru files, 2 Tomakomai files, 1 synthetic
    _, rows = query(db, "SELECT city, sum(measures) FROM documents GROUP BY 1 ORDER BY 1")
    assert rows == [("小樽市", 12), ("苫小牧市", 12)]
    _, rows = query(
        db,
        "SELECT d.city, count(*) FROM measures m JOIN documents d USING (doc) GROUP BY 1 ORDER BY 1",
    )
    assert rows == [("小樽市", 12), ("苫小牧市", 12)]  # the README's example query
    _, files = query(db, "SELECT doc, document, is_primary FROM files ORDER BY doc")
    assert files == [
        ("otaru_2nd_strategy.md", "小樽市/総合戦略/2", True),
        ("otaru_2nd_strategy.pdf", "小樽市/総合戦略/2", False),
        ("tomakomai_3rd_deck.pdf", "苫小牧市/総合戦略/3", True),
        ("tomakomai_3rd_deck_2024.txt", "苫小牧市/総合戦略/3", False),
    ]


def test_synthetic_material_is_only_in_the_all_tables(bundled):
    db, _ = bundled
    _, real = query(db, "SELECT document FROM documents ORDER BY 1")
    _, everything = query(db, "SELECT document, synthetic FROM all_documents ORDER BY 1")
    assert real == [("小樽市/総合戦略/2",), ("苫小牧市/総合戦略/3",)]
    assert ("小樽市/総合戦略/3", True) in everything
    _, n = query(db, "SELECT count(*) FROM all_measures WHERE document = '小樽市/総合戦略/3'")
    assert n[0][0] == len(parse(CORPORA / "synthetic/otaru_3rd_measures.csv").measures)
    _, n = query(db, "SELECT count(*) FROM measures WHERE document = '小樽市/総合戦略/3'")
    assert n[0][0] == 0


def test_counterparts_are_always_in_another_document(bundled):
    db, _ = bundled
    _, same = query(db, "SELECT count(*) FROM all_counterparts WHERE a_document = b_document")
    assert same == [(0,)]
    _, docs = query(db, "SELECT DISTINCT a_doc, b_doc FROM counterparts ORDER BY 1")
    assert docs == [
        ("otaru_2nd_strategy.md", "tomakomai_3rd_deck.pdf"),
        ("tomakomai_3rd_deck.pdf", "otaru_2nd_strategy.md"),
    ]


def _map_rows(cmap):
    cols = formats.MAP_COLUMNS + formats.MAP_EXTRA
    return sorted(tuple(str(r[c]) for c in cols) for r in formats.map_rows(cmap))


def _csv_cell(v) -> str:
    if isinstance(v, bool):
        return "true" if v else ""
    return "" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def _db_rows(db, table, where, columns):
    con = duckdb.connect(str(db), read_only=True)
    try:
        sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {where}"
        # the CSV form of each value, as formats writes it (§3 flags: "true" / "")
        return sorted(tuple(_csv_cell(v) for v in r) for r in con.execute(sql).fetchall())
    finally:
        con.close()


def test_continuity_tables_equal_textkit_align_on_the_same_pairs(bundled):
    db, s = bundled
    cols = formats.MAP_COLUMNS + formats.MAP_EXTRA
    deck = align(CORPORA / "tomakomai_3rd_deck.pdf", CORPORA / "tomakomai_3rd_deck.pdf")
    got = _db_rows(db, "continuity", "pair = 'listed_previous'", cols)
    assert got == _map_rows(deck)
    assert len(got) >= 19
    otaru = align(CORPORA / "otaru_2nd_strategy.md", CORPORA / "synthetic/otaru_3rd_measures.csv")
    got = _db_rows(db, "all_continuity", "new_document = '小樽市/総合戦略/3'", cols)
    assert got == _map_rows(otaru)
    # the synthetic 第3期 stays out of the default view
    _, n = query(db, "SELECT count(*) FROM continuity WHERE new_document = '小樽市/総合戦略/3'")
    assert n == [(0,)]
    assert s.links == len(deck.links) + len(otaru.links)


def test_editions_of_one_city_are_aligned_audited_and_attained(editions):
    d, db, s = editions
    old, new = parse(d / "otaru_2.md"), parse(d / "otaru_3.md")
    cmap = align(old, new)
    cols = formats.MAP_COLUMNS + formats.MAP_EXTRA
    assert _db_rows(db, "continuity", "pair = 'editions'", cols) == _map_rows(cmap)

    audit = audit_kpis(old, new, cmap=cmap)
    acols = formats.AUDIT_COLUMNS + formats.AUDIT_EXTRA
    want = sorted(tuple(str(r[c]) for c in acols) for r in formats.audit_rows(audit))
    assert _db_rows(db, "kpi_audit", "true", acols) == want
    _, statuses = query(db, "SELECT status, count(*) FROM kpi_audit GROUP BY 1 ORDER BY 1")
    assert dict(statuses)["target_changed"] == 1
    assert dict(statuses)["dropped"] == 1
    _, dropped = query(db, "SELECT old_name FROM kpi_audit WHERE status = 'dropped'")
    assert dropped == [("商人塾参加人数",)]

    table = attainment(old, d / "results.csv")
    _, rows = query(db, "SELECT name, status, latest_value FROM all_attainment ORDER BY rowid")
    assert rows == [(r.name, r.status.value, r.latest_value) for r in table.rows]
    assert len(rows) == len(old.kpis)  # every strategy KPI once
    assert s.attainment == len(old.kpis)
    # the PDF is a second source of the same document: no pair, no double count
    _, docs = query(db, "SELECT document, files, measures, code FROM documents ORDER BY 1")
    assert docs == [("小樽市/総合戦略/2", 2, 12, "012033"), ("小樽市/総合戦略/3", 1, 12, "012033")]


def _all_tables(db) -> dict:
    return {t.name: query(db, f"SELECT * FROM {t.name} ORDER BY ALL") for t in tables()}


def test_edition_pairs_on_a_dask_cluster_give_the_sequential_tables(editions, tmp_path):
    """Parsing, continuity maps, KPI audits and attainment as tasks on a cluster started
    beforehand (``scheduler=``: every task goes to its two worker processes) store exactly what
    the sequential in-process build stored, rows in the same order."""
    import os

    from dask.distributed import Client, LocalCluster, get_task_stream

    d, db_local, local = editions
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
        get_task_stream(client) as stream,
    ):
        s = build_corpus(
            d / "index.csv",
            db=tmp_path / "cluster.duckdb",
            cache_dir=tmp_path / "cache",
            scheduler=cluster.scheduler_address,
            top=3,
        )
    ran = {str(task["key"]).split("-")[0] for task in stream.data}
    assert ran == {"process_document", "pair_task", "attainment_task"}
    assert {t.worker.rsplit(":", 1)[1] for t in s.tasks} - {str(os.getpid())} == {
        t.worker.rsplit(":", 1)[1] for t in s.tasks
    }  # parsed on the workers, none here
    assert (s.links, s.kpi_changes, s.attainment) == (
        local.links,
        local.kpi_changes,
        local.attainment,
    )
    for name in ("all_continuity", "all_kpi_audit", "all_attainment"):
        sql = f"SELECT * FROM {name} ORDER BY rowid"
        assert query(tmp_path / "cluster.duckdb", sql) == query(db_local, sql), name
    assert _all_tables(tmp_path / "cluster.duckdb") == _all_tables(db_local)


def test_manifest_flags_are_checked(tmp_path):
    (tmp_path / "a.txt").write_text("x", "utf-8")
    (tmp_path / "index.csv").write_text("path,city,synthetic\na.txt,x,perhaps\n", "utf-8")
    with pytest.raises(FormatError, match="row 2: 'perhaps' is not yes/no"):
        read_manifest(tmp_path / "index.csv")
    (tmp_path / "index.csv").write_text("path,city,results\na.txt,x,none.csv\n", "utf-8")
    with pytest.raises(FormatError, match=r"results table 'none\.csv' does not exist"):
        read_manifest(tmp_path / "index.csv")
    (tmp_path / "b.txt").write_text("x", "utf-8")
    (tmp_path / "index.csv").write_text(
        "path,city,edition,primary\na.txt,x,1,yes\nb.txt,x,1,yes\n", "utf-8"
    )
    entries = read_manifest(tmp_path / "index.csv")
    assert [e.document for e in entries] == ["x/総合戦略/1", "x/総合戦略/1"]
    from textkit.corpus import group_documents

    with pytest.raises(FormatError, match=r"more than one primary file: a\.txt, b\.txt"):
        group_documents(entries, [None, None])  # type: ignore[list-item]


def test_every_table_and_column_is_documented_in_the_readme_and_the_database(bundled):
    db, _ = bundled
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Corpus database") :]
    con = duckdb.connect(str(db), read_only=True)
    try:
        for t in tables():
            assert f"`{t.view}` (table `{t.name}`)" in section, t.name
            for c in t.columns:
                assert f"| `{c.name}` |" in section, (t.name, c.name)
            described = [r[0] for r in con.execute(f"DESCRIBE {t.view}").fetchall()]
            assert described == list(SCHEMA[t.name])
    finally:
        con.close()
    assert schema_markdown() in readme  # the README section is the schema as printed
    out = CliRunner().invoke(main, ["corpus", "schema"])
    assert out.exit_code == 0 and "`continuity` (table `all_continuity`)" in out.output


def test_flags_are_boolean_columns_in_the_database(bundled):
    """reviewed / needs_review were VARCHAR 'true' / '' beside BOOLEAN synthetic / is_primary;
    the CSV of formats §3 keeps its "true" / "" cells, the database holds true / false."""
    db, _ = bundled
    con = duckdb.connect(str(db), read_only=True)
    try:
        types = dict(
            con.execute("SELECT column_name, column_type FROM (DESCRIBE all_continuity)").fetchall()
        )
        assert types["reviewed"] == types["needs_review"] == "BOOLEAN"
        counts = con.execute(
            "SELECT count(*), count(reviewed), count(needs_review), count_if(needs_review)"
            " FROM all_continuity"
        ).fetchone()
    finally:
        con.close()
    total, reviewed, needs_review, flagged = counts
    assert total > 0 and reviewed == needs_review == total  # false, never NULL
    assert 0 < flagged < total  # some similarity links are 要確認 in the bundled corpus


def test_parquet_export_holds_the_same_rows(bundled, tmp_path):
    db, _ = bundled
    written = export_parquet(db, tmp_path / "pq")
    assert len(written) == 2 * len(tables())
    con = duckdb.connect()
    try:
        for t in tables():
            for name in (t.view, t.name):
                n = con.execute(
                    f"SELECT count(*) FROM '{tmp_path / 'pq' / name}.parquet'"
                ).fetchone()
                assert n == query(db, f"SELECT count(*) FROM {name}")[1][0]
    finally:
        con.close()
    out = CliRunner().invoke(
        main, ["corpus", "export", "--db", str(db), "--parquet", str(tmp_path / "cli")]
    )
    assert out.exit_code == 0, out.output
    assert "wrote 16 Parquet files" in out.output
    # pandas.read_parquet needs pyarrow, which textkit does not install: say what reads them
    assert f"duckdb.read_parquet('{(tmp_path / 'cli' / 'measures.parquet').as_posix()}').df()" in (
        out.output
    )
    assert "pip install pyarrow" in out.output
    # pandas (a dependency: the README promises .df()) gets the same frame from the file
    frame = duckdb.sql(f"SELECT * FROM '{tmp_path / 'pq' / 'measures.parquet'}'").df()
    assert len(frame) == 24 and {"document", "title", "cluster"} <= set(frame.columns)
    assert frame["cluster"].notna().all()


def _wait_for(path: Path, seconds: float) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not path.is_file() or not path.read_text("utf-8").strip():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} was not written in {seconds} s")
        time.sleep(0.2)


def test_a_real_dask_cluster_builds_the_same_database(bundled, tmp_path):
    """`corpus build --scheduler tcp://…` against a dask scheduler and two dask worker processes
    started here on loopback gives the database the in-process build gave."""
    import json
    import subprocess
    import sys

    db_local, _ = bundled
    dask = [sys.executable, "-m", "dask"]
    info = tmp_path / "scheduler.json"
    procs = []
    try:
        procs.append(
            subprocess.Popen(
                [
                    *dask,
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--no-dashboard",
                    "--scheduler-file",
                    str(info),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        _wait_for(info, 60)
        address = json.loads(info.read_text("utf-8"))["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        *dask,
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--host",
                        "127.0.0.1",
                        "--local-directory",
                        str(tmp_path / "w"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        from dask.distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        out = CliRunner().invoke(
            main,
            [
                "corpus",
                "build",
                str(CORPORA / "index.csv"),
                "--db",
                str(tmp_path / "cluster.duckdb"),
                "--scheduler",
                address,
                "--cache",
                str(tmp_path / "cache"),
            ],
        )
        assert out.exit_code == 0, out.output
        assert "(5 parsed, 0 cached, 0 not read)" in out.output
    finally:
        for p in procs[::-1]:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    for t in tables():
        sql = f"SELECT * FROM {t.name} ORDER BY ALL"
        assert query(tmp_path / "cluster.duckdb", sql) == query(db_local, sql), t.name


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_textkit_cannot_read_is_left_out_with_one_warning(tmp_path, workers, monkeypatch):
    """A damaged PDF or a file that is no strategy does not stop the corpus: it is left out, named
    in one warning line (no worker traceback) and kept in `files` with the reason."""
    from textkit import workers as pool

    monkeypatch.setattr(pool, "MIN_CLUSTER_BATCH", 1)  # with 2 workers: a cluster for 3 files
    shutil.copy(CORPORA / "otaru_2nd_strategy.md", tmp_path / "otaru.md")
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    (tmp_path / "notes.txt").write_text("会議録\n\n出席者 5名\n\n議題 その他\n", "utf-8")
    (tmp_path / "index.csv").write_text(
        "path,city,edition,kind,source\n"
        "otaru.md,小樽市,2,markdown,seed\n"
        "cut.pdf,小樽市,2,pdf,a damaged copy of the same document\n"
        "notes.txt,音威子府村,1,text,minutes\n",
        "utf-8",
    )
    out = CliRunner().invoke(
        main,
        [
            *("corpus", "build", str(tmp_path / "index.csv")),
            *("--db", str(tmp_path / "c.duckdb"), "--cache", str(tmp_path / "cache")),
            *("--workers", str(workers)),
        ],
    )
    assert out.exit_code == 0, out.output
    assert "Traceback" not in out.output and "Compute Failed" not in out.output
    warned = [line for line in out.output.splitlines() if line.startswith("warning:")]
    assert len(warned) == 2, out.output
    assert any(line.startswith("warning: cut.pdf: not in the corpus: ") for line in warned)
    assert any(line.startswith("warning: notes.txt: not in the corpus: ") for line in warned)
    assert all("cut.pdf: cut.pdf" not in line for line in warned)  # the file named once
    db = tmp_path / "c.duckdb"
    _, docs = query(db, "SELECT document, doc, files, measures FROM documents ORDER BY 1")
    # a document none of whose files was read is no document to count (session 4: it was
    # listed with 0 measures); all_documents keeps it, read = false
    assert docs == [("小樽市/総合戦略/2", "otaru.md", 2, 12)]
    _, every = query(db, "SELECT document, read FROM all_documents ORDER BY 1")
    assert every == [("小樽市/総合戦略/2", True), ("音威子府村/総合戦略/1", False)]
    _, files = query(
        db,
        "SELECT doc, is_primary, coalesce(warnings, '') LIKE 'not read: %' FROM files ORDER BY 1",
    )
    assert files == [("cut.pdf", False, True), ("notes.txt", True, True), ("otaru.md", True, False)]


def _tables(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t.name: con.execute(f"SELECT * FROM {t.name} ORDER BY ALL").fetchall() for t in tables()
        }
    finally:
        con.close()


def test_build_takes_every_stage_settings_from_one_file(editions, tmp_path):
    """``corpus build --settings``: [audit] re-pairs the KPI audits, [counterparts] the matched terms
    and title weight, [attainment] the anagram evidence; a file holding only the defaults gives
    the same tables as no file; a bad value is refused in one line before anything is read."""
    d, db, _ = editions
    default = _tables(db)
    same = tmp_path / "same.toml"
    same.write_text("[audit]\npair_threshold = 0.40\n[counterparts]\ntitle_weight = 1\n", "utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(
        "[audit]\npair_threshold = 0.99\n[counterparts]\nmatched_terms = 1\ntitle_weight = 3\n",
        "utf-8",
    )
    built = {}
    for name, path in (("same", same), ("mine", mine)):
        out = CliRunner().invoke(
            main,
            ["corpus", "build", str(d / "index.csv"), "--db", str(tmp_path / f"{name}.duckdb"),
             "--workers", "1", "--top", "3", "--cache", str(d / "cache"), "--settings", str(path)],
        )  # fmt: skip
        assert out.exit_code == 0, out.output
        built[name] = _tables(tmp_path / f"{name}.duckdb")
    assert built["same"] == default
    mine_t = built["mine"]

    def unreported(db_file):  # KPIs the results table was not paired with (the matcher's threshold)
        con = duckdb.connect(str(db_file), read_only=True)
        try:
            return con.execute(
                "SELECT count(*) FROM all_attainment WHERE coalesce(result_name, '') = ''"
            ).fetchone()
        finally:
            con.close()

    assert unreported(tmp_path / "mine.duckdb") > unreported(db)
    terms = [r[-1] for r in mine_t["all_counterparts"]]
    assert terms and all(" " not in t for t in terms)
    assert any(" " in r[-1] for r in default["all_counterparts"])
    scores = lambda rows: [r[7] for r in rows]  # noqa: E731
    assert scores(mine_t["all_counterparts"]) != scores(
        default["all_counterparts"]
    )  # title weight 3
    bad = tmp_path / "bad.toml"
    bad.write_text("[themes]\nmax_clusters = 0\n", "utf-8")
    out = CliRunner().invoke(
        main, ["corpus", "build", str(d / "index.csv"), "--db", str(tmp_path / "bad.duckdb"),
               "--settings", str(bad)],
    )  # fmt: skip
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1, out.output
    assert "max_clusters must be a whole number ≥ 1, not 0" in out.output
    assert not (tmp_path / "bad.duckdb").exists()


def test_corpus_build_keeps_the_sentence_encoder_rows_per_document(editions, tmp_path):
    """With the sentence signals switched on (and fitted for), the build encodes each document
    once and keeps its rows beside the parse cache; its maps equal `textkit align` with the same
    settings (a document's rows have the same bits in the build and alone)."""
    import numpy as np

    from textkit.fit import fit_directory
    from textkit.normalize import normalize_chars
    from textkit.sentence import document_key
    from textkit.settings import resolve
    from textkit.similarity import full_text

    d, _, _ = editions
    folder = tmp_path / "fit"
    folder.mkdir()
    on = {"w_sentence_title": 1.0, "w_sentence_cross": 1.0}
    weights, _, _ = fit_directory(folder, resolve(on))
    toml = tmp_path / "on.toml"
    toml.write_text(
        f"[align]\nw_sentence_title = 1\nw_sentence_cross = 1\nweights_file = '{weights}'\n",
        "utf-8",
    )
    cache, db = tmp_path / "cache", tmp_path / "on.duckdb"
    args = ["corpus", "build", str(d / "index.csv"), "--db", str(db), "--workers", "1"]
    out = CliRunner().invoke(main, [*args, "--cache", str(cache), "--settings", str(toml)])
    assert out.exit_code == 0, out.output
    files = sorted((cache / "sentence").glob("*.npy"))
    old, new = parse(d / "otaru_2.md"), parse(d / "otaru_3.md")
    # one pair (第2期 → 第3期): the titles and the full texts of each document, by content (this
    # 第3期 changes KPIs only, so its measure texts are the 第2期's: one file each)
    keys = {
        document_key(tuple(normalize_chars(f(m)) for m in doc.measures))
        for doc in (old, new)
        for f in (lambda m: m.title, full_text)
    }
    assert {f.stem for f in files} == keys and len(keys) >= 2
    assert {np.load(f).shape for f in files} == {(12, 512)}
    cmap = align(old, new, settings=str(toml))
    cols = formats.MAP_COLUMNS + formats.MAP_EXTRA
    assert _db_rows(db, "continuity", "pair = 'editions'", cols) == _map_rows(cmap)
    assert any("sentence_cross=" in str(r) for r in _map_rows(cmap))


# ── found by the session-5 trial (/work/wt/hU5-findings.md U4) ────────────────


def test_a_pair_without_a_kpi_audit_and_unused_results_are_named(tmp_path):
    """One edition without KPIs leaves the pair's kpi_audit empty, and a results table of a
    document without KPIs adds no attainment: both said, never silently."""
    import warnings

    from textkit.errors import TextkitWarning

    shutil.copy(CORPORA / "otaru_2nd_strategy.md", tmp_path / "otaru_2.md")
    # a 第3期 whose KPI lines textkit does not read (a strategy text, not a measure table)
    (tmp_path / "otaru_3.md").write_text(
        "# 第3期小樽市総合戦略\n\n## 基本目標1 しごとをつくる\n\n### 施策1 企業誘致の推進\n\n企業を誘致します。\n",
        "utf-8",
    )
    shutil.copy(CORPORA / "synthetic" / "otaru_3rd_measures.csv", tmp_path / "c_3.csv")
    shutil.copy(CORPORA / "otaru_2nd_strategy.md", tmp_path / "c_2.md")
    shutil.copy(CORPORA / "synthetic" / "otaru_3rd_measures.csv", tmp_path / "b_2.csv")
    shutil.copy(ATTAINMENT / "otaru_results_wide.csv", tmp_path / "results.csv")
    (tmp_path / "index.csv").write_text(
        "path,city,edition,period_start,period_end,kind,source,results\n"
        "otaru_2.md,小樽市,2,2020,2024,markdown,seed,\n"
        "otaru_3.md,小樽市,3,2025,2029,markdown,a strategy without KPIs read,\n"
        "c_2.md,C市,2,2020,2024,markdown,seed,\n"
        "c_3.csv,C市,3,2025,2029,measures,a measure table: no KPIs by its format,\n"
        "b_2.csv,B町,2,2020,2024,measures,a measure table: no KPIs,results.csv\n",
        "utf-8",
    )
    db = tmp_path / "c.duckdb"
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", TextkitWarning)
        s = build_corpus(tmp_path / "index.csv", db=db, cache_dir=tmp_path / "cache", workers=1)
    said = [str(w.message) for w in seen if issubclass(w.category, TextkitWarning)]
    assert (s.kpi_changes, s.attainment) == (0, 0)
    # only the strategy text is named: a measure table holds no KPIs by its format (hF5 F6: the
    # bundled demo warned on every run, with a hint that failed)
    (audit,) = [w for w in said if "no KPI audit" in w]
    assert "小樽市/総合戦略/2 → 小樽市/総合戦略/3" in audit and "otaru_3.md has no KPIs" in audit
    (unused,) = [w for w in said if "results.csv" in w]
    assert unused.startswith("b_2.csv: the results table 'results.csv' is not used")
