"""Hostile text in outputs (issue #13): no CSV or XLSX cell is ever a formula, plotly shows titles
as text, and textkit's own readers give back exactly what was written (``=要確認`` stays ``=要確認``).

Every writer × every payload: the five contract writers (formats §1–§4, §6), the theme tables, the
CLI's CSV on stdout and the review workbook; payloads are OWASP's formula triggers (= + - @ TAB CR)
plus the quote that marks a neutralised cell.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from textkit import formats, tables
from textkit.cli import main
from textkit.models import (
    KPI,
    ContinuityMap,
    Counterpart,
    KPIAudit,
    KPIChange,
    KPIStatus,
    Link,
    Measure,
    Relation,
)

PAYLOADS = (
    '=HYPERLINK("http://x","click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=要確認",
    "'=already quoted",
    "''+twice",
    "-5",
)
# Not formulas: must be written and read back untouched.
HARMLESS = ("'ok", "a=b", "要確認=", " =1+1")
ALL = PAYLOADS + HARMLESS
TRIGGERS = tuple("=+-@\t\r")


def _measures(titles) -> tuple[Measure, ...]:
    return tuple(
        Measure(
            id=f"M{i}",
            title=t,
            goal=t,
            goal_id="G1",
            text=t,
            items=(t, "普通の項目"),
            kpis=(KPI(measure_id=f"M{i}", level="measure", name=t),),
        )
        for i, t in enumerate(titles, start=1)
    )


def _kpis(names) -> tuple[KPI, ...]:
    return tuple(
        KPI(
            measure_id=f"M{i}",
            level="measure",
            name=n,
            baseline_raw=n,
            target_raw="-5 人",
            baseline_value=-5.0,
            target_value=-0.5,
            unit="人",
            baseline_year=2020,
            target_year=2024,
            note=n,
        )
        for i, n in enumerate(names, start=1)
    )


def _map(titles) -> ContinuityMap:
    links = tuple(
        Link(
            old_id=f"M{i}",
            old_title=t,
            new_id=f"N{i}",
            new_title=t,
            relation=Relation.KEPT,
            score=0.5,
            matched_terms=(t,),
            reviewer_note=t,
        )
        for i, t in enumerate(titles, start=1)
    )
    return ContinuityMap(old_source="old.csv", new_source="new.csv", links=links)


def _audit(names) -> KPIAudit:
    return KPIAudit(
        old_source="old",
        new_source="new",
        changes=tuple(
            KPIChange(
                old_name=n,
                new_name=n,
                status=KPIStatus.KEPT,
                old_target=n,
                new_target="-5",
                score=0.9,
                note=n,
            )
            for n in names
        ),
    )


def _pairs(titles) -> list[Counterpart]:
    return [
        Counterpart(
            a_doc=t, a_id="A1", a_title=t, b_doc="b", b_id="B1", b_title=t, rank=1, score=0.5
        )
        for t in titles
    ]


WRITERS = {
    "measures": lambda p: formats.write_measures(_measures(ALL), p),
    "kpis": lambda p: formats.write_kpis(_kpis(ALL), p),
    "map": lambda p: formats.write_map(_map(ALL), p),
    "audit": lambda p: formats.write_audit(_audit(ALL), p),
    "pairs": lambda p: formats.write_counterparts(_pairs(ALL), p),
    "rows": lambda p: tables.write_rows(p, ["title"], [{"title": t} for t in ALL]),
}


def _csv_cells(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
    return [cell for row in rows for cell in row]


def _assert_no_live_csv_cell(cells, numeric_ok=("-5", "-0.5")) -> None:
    for cell in cells:
        if cell and cell[0] in TRIGGERS:
            assert cell in numeric_ok, f"live formula cell {cell!r}"


def _xlsx_problems(path: Path) -> list[str]:
    """Formula elements in any sheet, and text cells starting with a trigger without quotePrefix."""
    import openpyxl

    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        problems = [n for n in sheets if "<f>" in z.read(n).decode() or "<f " in z.read(n).decode()]
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    problems.append(f"{ws.title}!{c.coordinate} is a formula")
                elif isinstance(c.value, str) and c.value[:1] in TRIGGERS and not c.quotePrefix:
                    problems.append(f"{ws.title}!{c.coordinate} {c.value!r} lacks quotePrefix")
    return problems


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_csv_writers_neutralise_every_payload(writer, tmp_path):
    out = tmp_path / "out.csv"
    WRITERS[writer](out)
    cells = _csv_cells(out)
    _assert_no_live_csv_cell(cells)
    for payload in PAYLOADS:
        assert tables.neutralise(payload) in cells, (writer, payload)
    assert "'ok" in cells  # a quote not before a trigger is not doubled


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_xlsx_writers_store_every_payload_as_text(writer, tmp_path):
    import openpyxl

    out = tmp_path / "out.xlsx"
    WRITERS[writer](out)
    assert _xlsx_problems(out) == []
    values = {c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row}
    # exactly as written (no prefix is needed in a text cell); XML reads a CR as LF
    assert {p.replace("\r", "\n") for p in PAYLOADS} <= values


def test_numbers_stay_numbers_in_numeric_columns(tmp_path):
    """KPI values of -5 are numbers (formats §2); the same text in a text column is neutralised."""
    out = tmp_path / "kpis.csv"
    formats.write_kpis(_kpis(["-5"]), out)
    row = next(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert (row["baseline_value"], row["target_value"]) == ("-5", "-0.5")
    assert row["name"] == "'-5"
    assert row["target_raw"] == "'-5 人"
    # a plain number as text in a numeric column is a number too; any other text is neutralised
    text = tables.csv_text(
        ["score", "title"],
        [{"score": "-0.25", "title": "-0.25"}, {"score": "=1+1", "title": "x"}],
        numeric={"score"},
    )
    assert text == "score,title\n-0.25,'-0.25\n'=1+1,x\n"
    xlsx = tmp_path / "kpis.xlsx"
    formats.write_kpis(_kpis(["-5"]), xlsx)
    import openpyxl

    ws = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("baseline_value") + 1)
    assert (cell.value, cell.data_type) == (-5, "n")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".tsv"])
def test_own_outputs_round_trip_exactly(suffix, tmp_path):
    out = tmp_path / f"m{suffix}"
    formats.write_measures(_measures(ALL), out)
    back = formats.read_measures(out)
    stripped = [t.strip() for t in ALL]  # the readers strip cells, as they always did
    assert [m.title for m in back.measures] == stripped
    assert [m.goal for m in back.measures] == stripped
    assert [m.text for m in back.measures] == stripped
    kp = tmp_path / f"k{suffix}"
    formats.write_kpis(_kpis(ALL), kp)
    assert [k.name for k in formats.read_kpis(kp)] == stripped
    mp = tmp_path / f"map{suffix}"
    formats.write_map(_map(ALL), mp)
    links = formats.read_map(mp).links
    assert [x.old_title for x in links] == stripped
    assert [x.reviewer_note for x in links] == stripped


@given(st.text(max_size=30))
def test_neutralise_is_undone_by_restore(text):
    written = tables.neutralise(text)
    assert tables.restore(written) == text
    assert written[:1] not in TRIGGERS


@given(st.lists(st.text(alphabet=st.sampled_from("=+-@'\t\r\nab,\"要"), max_size=8), max_size=5))
def test_csv_round_trip_of_any_title(tmp_path_factory, titles):
    titles = [t for t in titles if t.strip()] or ["x"]
    out = tmp_path_factory.mktemp("rt") / "rows.csv"
    tables.write_rows(out, ["title", "n"], [{"title": t, "n": i} for i, t in enumerate(titles)])
    rows = tables.read_rows(out)
    # csv normalises a lone CR inside a quoted cell only if written so; compare exactly
    assert [r["title"] for r in rows] == titles
    _assert_no_live_csv_cell(c for r in rows for c in (tables.neutralise(r["title"]),))


def _payload_tables(d: Path) -> tuple[Path, Path]:
    old, new = d / "old.csv", d / "new.csv"
    base = ["移住定住の促進", "観光客の誘致", "子育て支援の充実", "中小企業の経営支援"]
    rows = [
        {"id": f"G1-M{i}", "goal": p, "title": p + b, "text": b}
        for i, (p, b) in enumerate(zip(PAYLOADS, base, strict=False), start=1)
    ]
    formats.write_measures(_measures([r["title"] for r in rows]), old)
    formats.write_measures(_measures([r["title"] for r in rows]), new)
    return old, new


def test_cli_stdout_and_every_cli_writer(tmp_path):
    """The pipeline end to end on measure tables whose titles are payloads: stdout CSV, -o CSV and
    XLSX for align, compare, themes, and the review workbook."""
    old, new = _payload_tables(tmp_path)
    runner = CliRunner()
    res = runner.invoke(main, ["align", str(old), str(new), "--mappings", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    cells = [c for row in csv.reader(io.StringIO(res.stdout)) for c in row]
    _assert_no_live_csv_cell(cells)
    assert "'" + PAYLOADS[0] + "移住定住の促進" in cells
    outputs = []
    for cmd in (
        ["align", str(old), str(new), "--mappings", str(tmp_path / "m"), "-o"],
        ["compare", str(old), str(new), "-o"],
        ["themes", str(old), str(new), "-o"],
    ):
        for suffix in (".csv", ".xlsx"):
            out = tmp_path / f"{cmd[0]}{suffix}"
            res = runner.invoke(main, [*cmd, str(out)])
            assert res.exit_code == 0, (cmd, res.output)
            outputs.append(out)
    xlsx = tmp_path / "review.xlsx"
    res = runner.invoke(
        main, ["report", str(old), str(new), "--xlsx", str(xlsx), "--mappings", str(tmp_path / "m")]
    )
    assert res.exit_code == 0, res.output
    outputs.append(xlsx)
    for out in tmp_path.glob("*"):
        if out.suffix == ".csv" and out.name not in ("old.csv", "new.csv"):
            _assert_no_live_csv_cell(_csv_cells(out))
        elif out.suffix == ".xlsx":
            assert _xlsx_problems(out) == [], out.name
    assert len([o for o in outputs if o.exists()]) == len(outputs)


def test_review_workbook_keeps_payload_titles(tmp_path):
    import openpyxl

    from textkit.render import write_workbook

    out = tmp_path / "r.xlsx"
    write_workbook(_map(PAYLOADS), out)
    assert _xlsx_problems(out) == []
    values = {c.value for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row}
    assert "=要確認" in values


def test_plotly_labels_and_hover_are_plain_text():
    from textkit.render import SimilarityMatrix, heatmap_figure, plotly_text, sankey_figure

    title = '<b>太字</b><a href="http://x">link</a>&<i>i</i>'
    fig = sankey_figure(_map([title]))
    node = fig.data[0].node
    for text in (*node.label, *node.customdata):
        assert "<" not in text and ">" not in text, text
    assert any(plotly_text(title) in h for h in node.customdata)
    m = SimilarityMatrix(title="t", rows=(title,), cols=(title,), values=((1.0,),))
    hm = heatmap_figure(m).data[0]
    assert list(hm.x) == list(hm.y) == [plotly_text(title)]


def test_corpus_query_output_is_neutralised(tmp_path):
    import duckdb

    db = tmp_path / "c.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE t AS SELECT '=HYPERLINK(1)' AS title, -5 AS v, -0.5 AS w")
    con.close()
    res = CliRunner().invoke(main, ["corpus", "query", "SELECT * FROM t", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert res.stdout == "title,v,w\n'=HYPERLINK(1),-5,-0.5\n"


# ── corpus query: the SQL sees the corpus database and nothing else ─────────


@pytest.fixture
def corpus_db(tmp_path):
    import duckdb

    db = tmp_path / "corpora" / "c.duckdb"
    db.parent.mkdir()
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE measures AS SELECT 'G1-M1' AS id, '移住' AS title")
    con.close()
    reviewed = tmp_path / "mappings" / "a__b.reviewed.csv"
    reviewed.parent.mkdir()
    reviewed.write_text("old_id,new_id,relation\nM1,N1,kept\n", "utf-8")
    secret = tmp_path / "outside.csv"
    secret.write_text("secret\nhidden\n", "utf-8")
    return tmp_path, db, reviewed


SANDBOXED = {
    "COPY TO": "COPY (SELECT 'x') TO '{reviewed}'",
    "COPY TO new file": "COPY measures TO '{dir}/leak.csv'",
    "COPY FROM": "COPY measures FROM '{dir}/outside.csv'",
    "ATTACH READ_WRITE": "ATTACH '{dir}/new.duckdb' AS n (READ_WRITE)",
    "EXPORT DATABASE": "EXPORT DATABASE '{dir}/export'",
    "read_csv outside": "SELECT * FROM read_csv('{dir}/outside.csv')",
    "read_csv /etc/passwd": "SELECT * FROM read_csv('/etc/passwd', sep=':')",
    "read_text": "SELECT * FROM read_text('{dir}/outside.csv')",
    "glob": "SELECT * FROM glob('{dir}/*')",
    "SET external access": "SET enable_external_access = true",
    "SET lock": "SET lock_configuration = false",
    "RESET lock": "RESET lock_configuration",
    "PRAGMA": "PRAGMA enable_external_access = true",
    "INSTALL": "INSTALL httpfs",
    "LOAD": "LOAD httpfs",
    "CREATE TABLE": "CREATE TABLE x AS SELECT 1",
}


@pytest.mark.parametrize("kind", sorted(SANDBOXED))
def test_corpus_query_is_sandboxed(kind, corpus_db):
    from textkit.corpus import query
    from textkit.errors import TextkitError

    d, db, reviewed = corpus_db
    before = sorted(p.relative_to(d) for p in d.rglob("*"))
    sql = SANDBOXED[kind].format(dir=d, reviewed=reviewed)
    with pytest.raises(TextkitError) as err:
        query(db, sql)
    assert "\n" not in str(err.value)
    assert "secret" not in str(err.value)
    assert sorted(p.relative_to(d) for p in d.rglob("*")) == before
    assert reviewed.read_text("utf-8") == "old_id,new_id,relation\nM1,N1,kept\n"
    # and the database still answers the next query
    assert query(db, "SELECT count(*) FROM measures") == (["count_star()"], [(1,)])


def test_corpus_query_sandbox_in_the_cli(corpus_db):
    _, db, reviewed = corpus_db
    res = CliRunner().invoke(
        main, ["corpus", "query", f"COPY (SELECT 'x') TO '{reviewed}'", "--db", str(db)]
    )
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and "outside the corpus database" in res.output
    ok = CliRunner().invoke(
        main, ["corpus", "query", "SELECT title FROM measures", "--db", str(db)]
    )
    assert (ok.exit_code, ok.stdout) == (0, "title\n移住\n")
