"""Fuzz suite (issue #13), bounded to well under a minute: seeded damage of the bundled PDFs and
tables (tests/fuzz_harness.py) and hypothesis on every reader and writer. Each input must give the
full result, a result whose warnings name what is missing, or a one-line ``TextkitError`` (exit 2)
— never a traceback, a silently partial result or an unbounded run.

The larger run behind reports/fuzz.md is ``python scripts/fuzz_report.py`` (same families, more
seeds).
"""

from __future__ import annotations

import csv
import io
import json
import string
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzz_harness as fh
from textkit import formats, tables
from textkit.errors import TextkitError
from textkit.extract import read_text
from textkit.sources import parse

# Damaged inputs are warned about by design; the assertions look at the results' warnings.
pytestmark = pytest.mark.filterwarnings("ignore::textkit.errors.TextkitWarning")

SEED = 20261201
# Damaged copies per bundled input in the suite (the report script runs 60 of each).
PDF_CASES = {fh.DECK_PDF: 12, fh.OTARU_PDF: 6}
TABLE_CASES = 40


def _failures(outcomes) -> list[str]:
    return [f"{o.family} {o.case}: {o.kind} {o.detail}" for o in outcomes if not o.ok]


@pytest.mark.parametrize("source", list(PDF_CASES), ids=lambda p: p.name)
def test_damaged_pdfs_give_full_warned_or_refused(source, tmp_path):
    base = fh.baseline_of(parse(source))
    outcomes = [
        fh.outcome(family, case, lambda p=path: parse(p), base)
        for family, case, path in fh.pdf_cases(source, PDF_CASES[source], SEED, tmp_path)
    ]
    assert _failures(outcomes) == []
    # the damage is real: most copies are warned or refused, not read as if whole
    assert sum(o.kind != "full" for o in outcomes) >= len(outcomes) // 2


def test_garbage_in_one_content_stream_names_the_page(tmp_path):
    """64 garbage bytes in the content stream of one page: that page is named, and the
    structure around it is marked as possibly cut."""
    data = fh.DECK_PDF.read_bytes()
    # find the stream whose damage loses one page's text (seeded search, as the fuzz cases do)
    import random

    rng = random.Random(3)
    for _ in range(40):
        damaged = fh.stream_garbage(data, rng)
        p = tmp_path / "d.pdf"
        p.write_bytes(damaged)
        try:
            s = parse(p)
        except TextkitError:
            continue
        pages = [w for w in s.warnings if "content stream" in w]
        if pages:
            assert any(" may be cut" in w or "may be missing" in w for w in s.warnings)
            return
    pytest.fail("no content-stream damage found in 40 tries")


@pytest.mark.parametrize(
    ("source", "reader"),
    [(fh.MEASURES_CSV, "measures"), (fh.KPIS_CSV, "kpis")],
    ids=["measures", "kpis"],
)
def test_damaged_tables_give_full_warned_or_refused(source, reader, tmp_path):
    read = parse if reader == "measures" else formats.read_kpis
    base = fh.baseline_of(read(source))
    outcomes = [
        fh.outcome(family, case, lambda p=path: read(p), base, expect)
        for family, case, path, expect in fh.table_cases(source, TABLE_CASES, SEED, tmp_path)
    ]
    assert _failures(outcomes) == []


def test_hostile_files_are_refused_in_one_line(tmp_path):
    outcomes = [
        fh.outcome(family, case, lambda p=path: parse(p), None, expect)
        for family, case, path, expect in fh.special_cases(tmp_path)
    ]
    assert _failures(outcomes) == []


# ── hypothesis: every reader on arbitrary bytes, every writer on arbitrary text ──

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _reads_or_refuses(read, path: Path) -> None:
    try:
        read(path)
    except TextkitError as exc:
        assert "\n" not in str(exc)


def _csvish() -> st.SearchStrategy[bytes]:
    cell = st.text(alphabet=st.sampled_from('ab要,"\n\r\t=\x00 \ufeff'), max_size=6)
    line = st.lists(cell, min_size=1, max_size=4).map(",".join)
    text = st.lists(line, min_size=0, max_size=5).map("\n".join)
    return st.one_of(
        text.map(lambda t: ("id,title,goal\n" + t).encode()),
        text.map(lambda t: ("name,baseline_raw,target_raw\n" + t).encode("utf-8")),
        st.binary(max_size=200),
    )


@FUZZ
@given(data=_csvish(), suffix=st.sampled_from([".csv", ".tsv", ".json", ".xlsx", ".txt", ".md"]))
def test_every_reader_on_arbitrary_bytes(tmp_path, data, suffix):
    p = tmp_path / f"in{suffix}"
    p.write_bytes(data)
    if suffix in (".txt", ".md"):
        _reads_or_refuses(read_text, p)
        return
    for read in (tables.read_rows, formats.read_measures, formats.read_kpis, formats.read_map):
        _reads_or_refuses(read, p)
    _reads_or_refuses(parse, p)


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=10,
)


@FUZZ
@given(value=_json_value)
def test_json_reader_on_arbitrary_json(tmp_path, value):
    p = tmp_path / "in.json"
    p.write_text(json.dumps(value), "utf-8")
    _reads_or_refuses(tables.read_rows, p)
    _reads_or_refuses(formats.read_measures, p)


@FUZZ
@given(st.binary(min_size=0, max_size=300))
def test_workbook_reader_on_damaged_zips(tmp_path, noise):
    good = fh.xlsx_bytes([["id", "title"], ["M1", "移住"]])
    data = good[: len(good) // 2] + noise + good[len(good) // 2 :]
    p = tmp_path / "in.xlsx"
    p.write_bytes(data)
    _reads_or_refuses(tables.read_rows, p)


_any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@FUZZ
@given(
    titles=st.lists(_any_text, min_size=1, max_size=4),
    suffix=st.sampled_from([".csv", ".tsv", ".xlsx", ".json"]),
)
def test_every_writer_round_trips_arbitrary_text(tmp_path, titles, suffix):
    p = tmp_path / f"out{suffix}"
    rows = [{"id": f"M{i}", "title": t, "score": -i / 3} for i, t in enumerate(titles)]
    tables.write_rows(p, ["id", "title", "score"], rows, numeric={"score"})
    try:
        back = tables.read_rows(p)
    except TextkitError as exc:  # only a NUL byte makes textkit's own CSV unreadable
        assert "\x00" in "".join(titles) and suffix in (".csv", ".tsv", ".json"), exc
        return
    # XML normalises line ends: CR LF and a lone CR both come back as LF
    expected = [
        t.replace("\r\n", "\n").replace("\r", "\n") if suffix == ".xlsx" else t for t in titles
    ]
    if suffix == ".xlsx":
        expected = [tables._XML_ILLEGAL.sub(tables.XML_REPLACEMENT, t) for t in expected]
    got = {r["id"]: r.get("title", "") for r in back}
    assert [got.get(f"M{i}", "") for i in range(len(titles))] == expected
    if suffix == ".xlsx":
        with zipfile.ZipFile(p) as z:
            assert all(b"<f>" not in z.read(n) for n in z.namelist() if "worksheets" in n)
    elif suffix != ".json":
        text = io.StringIO(p.read_bytes().decode(), newline="")
        for row in csv.reader(text, delimiter="\t" if suffix == ".tsv" else ","):
            for cell in row[1:2]:
                assert cell[:1] not in tuple("=+-@\t\r"), cell


@FUZZ
@given(
    titles=st.lists(
        st.text(alphabet=string.printable + "要=+-@'", max_size=12), min_size=1, max_size=3
    )
)
def test_review_workbook_writer_never_writes_a_formula(tmp_path, titles):
    from textkit.models import ContinuityMap, Link, Relation
    from textkit.render import write_workbook

    cmap = ContinuityMap(
        old_source="a",
        new_source="b",
        links=tuple(Link(f"M{i}", t, f"N{i}", t, Relation.KEPT, 0.5) for i, t in enumerate(titles)),
    )
    p = tmp_path / "r.xlsx"
    write_workbook(cmap, p)
    with zipfile.ZipFile(p) as z:
        assert all(b"<f>" not in z.read(n) for n in z.namelist() if "worksheets" in n)


@pytest.mark.parametrize("title", ["\r\n", "a\rb", "x\r\r\ny"])
def test_xlsx_line_ends_come_back_as_xml_normalises_them(tmp_path, title):
    """The example hypothesis found: CR LF in a workbook cell is one LF after a round trip."""
    p = tmp_path / "out.xlsx"
    tables.write_rows(p, ["id", "title"], [{"id": "M0", "title": title}])
    assert tables.read_rows(p)[0]["title"] == title.replace("\r\n", "\n").replace("\r", "\n")
