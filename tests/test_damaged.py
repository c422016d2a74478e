"""Damaged and hostile input files (issue #13): each gives the full result, a result with warnings
that name what is missing, or one line saying what is wrong (exit 2) — never a traceback or a
silently partial read. The files are made here, from the bundled tables (tests/fuzz_harness.py)."""

from __future__ import annotations

import warnings

import pytest
from click.testing import CliRunner

from tests import fuzz_harness as fh
from textkit import formats, tables
from textkit.cli import main
from textkit.errors import FormatError, TextkitError, TextkitWarning
from textkit.sources import parse

GOOD = "id,goal,title\nM1,基本目標,移住の促進\nM2,基本目標,観光の振興\nM3,基本目標,子育て支援\n"


def _write(tmp_path, name: str, data: bytes | str):
    p = tmp_path / name
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return p


def _one_line_refusal(path, match: str) -> str:
    with pytest.raises(TextkitError, match=match) as err:
        parse(path)
    message = str(err.value)
    assert "\n" not in message and "\r" not in message
    res = CliRunner().invoke(main, ["parse", str(path)])
    assert res.exit_code == 2, res.output
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.output
    return message


def test_stray_quote_names_its_line(tmp_path):
    text = GOOD.replace("M2,基本目標,観光", 'M2,"基本目標,観光')
    message = _one_line_refusal(_write(tmp_path, "q.csv", text), "line 3")
    assert "stray" in message or "never closed" in message


def test_stray_quote_before_a_quoted_cell(tmp_path):
    text = 'id,title,text\nM1,"移住,説明\nM2,観光,"説明, 長い"\nM3,子育て,説明\n'
    _one_line_refusal(_write(tmp_path, "q.csv", text), "line 2")


def test_quoted_multiline_cells_still_read(tmp_path):
    text = 'id,title,items\nM1,移住,"一つ目\n二つ目"\nM2,"観光, 交流",x\n'
    s = parse(_write(tmp_path, "ok.csv", text))
    assert [m.title for m in s.measures] == ["移住", "観光, 交流"]
    assert s.measures[0].items == ("一つ目", "二つ目")
    assert s.warnings == ()


def test_cut_last_row_is_warned(tmp_path):
    p = _write(tmp_path, "cut.csv", GOOD.replace("title", "title,text") + "M4,基本目標,子育")
    with pytest.warns(TextkitWarning, match="line 5"):
        s = parse(p)
    assert len(s.measures) == 4 and "cut off" in s.warnings[0]
    res = CliRunner().invoke(main, ["parse", str(p)])
    assert res.exit_code == 0 and "warning:" in res.stderr and "cut off" in res.stderr


def test_huge_cell_is_read_up_to_the_limit_and_refused_above(tmp_path):
    from textkit.limits import MAX_CELL_CHARS
    from textkit.models import Measure

    big = "あ" * 200_000  # textkit writes such cells for long Markdown documents
    p = tmp_path / "big.csv"
    formats.write_measures([Measure(id="M1", title="移住", text=big)], p)
    assert parse(p).measures[0].text == big
    too_big = _write(tmp_path, "huge.csv", "id,title,text\nM1,移住," + "x" * (MAX_CELL_CHARS + 1))
    _one_line_refusal(too_big, "longer than")


@pytest.mark.parametrize(
    "data", [fh.nested_json(100_000), b'{"a":' * 50_000 + b"1" + b"}" * 50_000]
)
def test_deeply_nested_json_is_one_line(tmp_path, data):
    _one_line_refusal(_write(tmp_path, "deep.json", data), "too deeply")


def test_huge_integer_in_json_is_one_line(tmp_path):
    _one_line_refusal(_write(tmp_path, "n.json", '[{"title": ' + "9" * 5000 + "}]"), "JSON")


@pytest.mark.parametrize("name", ["renamed.csv", "renamed.tsv", "renamed.json", "renamed.txt"])
def test_workbook_under_another_name_says_workbook(tmp_path, name):
    data = fh.xlsx_bytes([["id", "title"], ["M1", "移住"]])
    message = _one_line_refusal(_write(tmp_path, name, data), "Excel workbook")
    assert "encoding" not in message and "rename it to .xlsx" in message


def test_uncomputed_formulas_are_named(tmp_path):
    message = _one_line_refusal(
        _write(tmp_path, "f.xlsx", fh.formula_workbook()), "uncomputed formulas"
    )
    assert "B2" in message and "empty title" not in message


def test_formulas_with_saved_values_are_read(tmp_path):
    """A workbook saved by Excel keeps each formula's result: the result is the cell's value."""
    import io
    import zipfile

    raw = fh.formula_workbook()
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":  # as Excel saves: result kept
                for cell in (b'<c r="B2"', b'<c r="B3"'):
                    data = data.replace(cell, cell[:2] + b' t="str"' + cell[2:])
                data = data.replace(b"<v />", "<v>移住促進</v>".encode())
            dst.writestr(info, data)
    s = parse(_write(tmp_path, "v.xlsx", out.getvalue()))
    assert [m.title for m in s.measures] == ["移住促進", "移住促進"]


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    import tracemalloc

    p = _write(tmp_path, "bomb.xlsx", fh.zip_bomb(300))
    assert p.stat().st_size < 2_000_000
    tracemalloc.start()
    message = _one_line_refusal(p, "unpacks to")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "300 MB" in message
    assert peak < 50_000_000


@pytest.mark.parametrize("name", ["n.csv", "n.txt", "n.json", "n.tsv"])
def test_nul_bytes_are_refused_the_same_way_everywhere(tmp_path, name):
    body = {
        "n.csv": GOOD,
        "n.tsv": GOOD.replace(",", "\t"),
        "n.txt": "基本目標1 しごと\n施策1 移住\n",
    }
    text = body.get(name, '[\n{"id": "M1", "title": "移住"}]')
    lines = text.split("\n")
    lines[1] = lines[1][:3] + "\x00" + lines[1][3:]
    message = _one_line_refusal(_write(tmp_path, name, "\n".join(lines)), "NUL byte on line 2")
    assert "binary data" in message


def test_nul_inside_a_multibyte_character_is_binary_not_encoding(tmp_path):
    data = GOOD.encode()
    at = data.index("移".encode()) + 1
    _one_line_refusal(_write(tmp_path, "m.csv", data[:at] + b"\x00" + data[at:]), "NUL byte")


def test_error_messages_are_one_line_even_with_newlines_in_cells(tmp_path):
    # no header row: the first data row (with a multi-line cell) becomes the header
    p = _write(tmp_path, "h.csv", 'G1,"a\nb",c\nG2,x,y\n')
    with pytest.raises(FormatError) as err:
        formats.read_measures(p)
    assert "\n" not in str(err.value)


def test_read_rows_issues_table_warnings(tmp_path):
    p = _write(tmp_path, "cut.csv", GOOD + "M4,x")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = tables.read_rows(p)
    assert len(rows) == 4 and any("cut off" in str(w.message) for w in caught)


def test_review_apply_refuses_a_zip_bomb(tmp_path):
    p = _write(tmp_path, "bomb.xlsx", fh.zip_bomb(300))
    res = CliRunner().invoke(main, ["review", "apply", str(p), "--mappings", str(tmp_path)])
    assert res.exit_code == 2 and "unpacks to" in res.stderr, res.output


def test_stale_temporary_files_of_killed_runs_are_removed(tmp_path):
    """kill -9 during a write leaves .NAME.<pid>.XXXX.tmp; the next write of NAME removes it,
    but never the temporary file of a run still writing."""
    import os
    import subprocess
    import sys
    import time

    from textkit.tables import write_text

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".map.csv.{dead.stdout.strip()}.abc123.tmp"
    live = tmp_path / f".map.csv.{os.getppid()}.def456.tmp"
    old_style = tmp_path / ".map.csv.k3j4h5.tmp"
    other = tmp_path / f".other.csv.{dead.stdout.strip()}.x.tmp"
    for p in (stale, live, old_style, other):
        p.write_text("half", "utf-8")
    hour_ago = time.time() - 7200
    os.utime(old_style, (hour_ago, hour_ago))
    write_text(tmp_path / "map.csv", "old_id\n")
    assert not stale.exists() and not old_style.exists()
    assert live.exists() and other.exists()
    assert (tmp_path / "map.csv").read_text("utf-8") == "old_id\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, "map.csv"])


def test_align_refuses_more_measures_than_its_limit_in_one_line(tmp_path, monkeypatch):
    from textkit import continuity

    monkeypatch.setattr(continuity, "MAX_ALIGN_MEASURES", 2)
    a, b = _write(tmp_path, "a.csv", GOOD), _write(tmp_path, "b.csv", GOOD)
    res = CliRunner().invoke(main, ["align", str(a), str(b), "--mappings", str(tmp_path)])
    assert res.exit_code == 2 and "more than the 2 one alignment takes" in res.stderr, res.output


def test_cli_parse_names_a_damaged_page_and_what_it_may_have_cut(tmp_path):
    import random

    data = fh.DECK_PDF.read_bytes()
    rng = random.Random(3)
    for _ in range(40):
        p = _write(tmp_path, "d.pdf", fh.stream_garbage(data, rng))
        res = CliRunner().invoke(main, ["parse", str(p)])
        if res.exit_code == 0 and "content stream cannot be decoded" in res.stderr:
            assert "is damaged:" in res.stderr  # damage.cut_structure's note on the structure
            assert res.stderr.count("warning:") >= 2
            return
    pytest.fail("no content-stream damage found in 40 tries")
