"""What a new user ran into (session 3 trial, /work/wt/hU-findings.md): a folder textkit may not
write to, a manifest whose edition reads 第2期, a file that is not a corpus database, an English
header in another case, a Word file given as a document, the theme rule syntax in matched words.
Each failure must be one line a city employee can act on (exit 2), never a traceback."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from textkit.cli import main
from textkit.errors import FormatError, TextkitError

from .conftest import OTARU_MD


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def _one_line_error(result) -> str:
    """The CLI's error line; fails on a traceback (an exception CliRunner caught) or exit ≠ 2."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error: ")]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


# ── F11: an output folder textkit cannot write to ───────────────────────────


def test_output_under_a_file_is_one_line_naming_the_path(tmp_path):
    """``-o notes.txt/m.csv``: the folder part is a file. Before: FileExistsError traceback."""
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "notes.txt" / "m.csv"
    line = _one_line_error(_run("parse", OTARU_MD, "-o", out))
    assert "notes.txt" in line
    assert "cannot write" in line


def test_permission_denied_on_write_is_one_line(tmp_path, monkeypatch):
    """A read-only folder (run as root here, so the refusal is simulated where the temporary file
    is made). Before: PermissionError traceback, exit 1."""
    import textkit.tables as tables

    def refuse(*args, dir=None, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir) / ".m.csv.tmp"))

    monkeypatch.setattr(tables.tempfile, "mkstemp", refuse)
    line = _one_line_error(_run("parse", OTARU_MD, "-o", tmp_path / "m.csv"))
    assert "permission denied" in line.lower()
    assert "folder you can write to" in line


def test_permission_denied_anywhere_in_a_command_is_one_line(tmp_path, monkeypatch):
    """The CLI's last resort: an OSError from any stage (a lock file, a cache folder) is one line
    naming the file. Before: traceback."""
    import textkit.corpus as corpus

    def refuse(db, folder):
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))

    monkeypatch.setattr(corpus, "export_parquet", refuse)
    db = tmp_path / "c.duckdb"
    db.write_bytes(b"")
    line = _one_line_error(_run("corpus", "export", "--parquet", tmp_path / "ro", "--db", db))
    assert str(tmp_path / "ro") in line and "permission denied" in line.lower()


def test_atomic_write_into_a_file_path_raises_a_textkit_error(tmp_path):
    from textkit.tables import write_text

    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(TextkitError, match="cannot write"):
        write_text(tmp_path / "f" / "out.txt", "hello")


# ── F16: the manifest's edition as staff write it ────────────────────────────

_HEAD = "path,city,edition,period_start,period_end,kind,source\n"


def _manifest(tmp_path: Path, edition: str, period_start: str = "2020") -> Path:
    shutil.copy(OTARU_MD, tmp_path / "o.md")
    index = tmp_path / "index.csv"
    index.write_text(
        _HEAD + f"o.md,小樽市,{edition},{period_start},2024,markdown,x\n", encoding="utf-8"
    )
    return index


@pytest.mark.parametrize("written", ["2", "第2期", "第２期", "２", " 2期 ", "第二期"])
def test_manifest_edition_as_staff_write_it(tmp_path, written):
    """Before: 第2期 / ２ gave edition NULL silently, so consecutive editions were never aligned."""
    from textkit.corpus import read_manifest

    (entry,) = read_manifest(_manifest(tmp_path, written))
    assert entry.edition == 2
    assert entry.document == "小樽市/総合戦略/2"


@pytest.mark.parametrize("written", ["x", "二期目", "²", "2.5"])
def test_manifest_edition_not_a_number_is_refused_naming_the_row(tmp_path, written):
    """Before: NULL edition without a word ('x'), or a ValueError traceback ('²')."""
    from textkit.corpus import read_manifest

    with pytest.raises(FormatError, match=r"row 2: edition .* is not an edition number"):
        read_manifest(_manifest(tmp_path, written))


@pytest.mark.parametrize(
    ("written", "year"), [("2020", 2020), ("2020年度", 2020), ("２０２０", 2020)]
)
def test_manifest_period_as_staff_write_it(tmp_path, written, year):
    from textkit.corpus import read_manifest

    (entry,) = read_manifest(_manifest(tmp_path, "2", written))
    assert entry.period_start == year


def test_manifest_period_not_a_year_is_refused(tmp_path):
    from textkit.corpus import read_manifest

    with pytest.raises(FormatError, match=r"row 2: period_start 'R2' is not a year"):
        read_manifest(_manifest(tmp_path, "2", "R2"))


def test_manifest_two_editions_marked_alike_are_refused_naming_both_rows(tmp_path):
    """A 第3期 file marked edition 2 (its period says 2025–2029). Before: one document of two
    files, the second file's measures silently left out."""
    from textkit.corpus import read_manifest

    index = _manifest(tmp_path, "2")
    shutil.copy(OTARU_MD, tmp_path / "o3.md")
    with index.open("a", encoding="utf-8") as fh:
        fh.write("o3.md,小樽市,2,2025,2029,markdown,x\n")
    with pytest.raises(
        FormatError, match=r"rows 2 and 3 are the same document .*2020–2024, 2025–2029"
    ):
        read_manifest(index)


def test_manifest_file_listed_twice_is_refused(tmp_path):
    from textkit.corpus import read_manifest

    index = _manifest(tmp_path, "2")
    with index.open("a", encoding="utf-8") as fh:
        fh.write("o.md,小樽市,2,2020,2024,markdown,x\n")
    with pytest.raises(FormatError, match=r"row 3 lists 'o.md' again \(row 2\)"):
        read_manifest(index)


# ── F17: a file that is not a corpus database ───────────────────────────────


@pytest.mark.parametrize("command", ["query", "export"])
def test_not_a_corpus_database_is_one_line(tmp_path, command):
    """Before: query said "Catalog Error: Cannot launch in-memory database in read-only mode!",
    export printed a traceback (and left an empty folder)."""
    index = _manifest(tmp_path, "2")
    args = ["select 1"] if command == "query" else ["--parquet", tmp_path / "pq"]
    line = _one_line_error(_run("corpus", command, *args, "--db", index))
    assert "is not a corpus database" in line
    assert "Catalog" not in line
    assert not (tmp_path / "pq").exists()


# ── F15: English headers in another case ───────────────────────────────────


def test_measure_table_headers_in_another_case(tmp_path):
    """``ID,Title,Goal``: ID was read (an alias), Title was not. Before: "no 'title' column
    (columns found: Title, id)"."""
    from textkit.formats import read_measures

    table = tmp_path / "m.csv"
    table.write_text("ID,Title,Goal\n1,移住の促進,ひと\n2,観光振興,しごと\n", encoding="utf-8")
    s = read_measures(table)
    assert [m.title for m in s.measures] == ["移住の促進", "観光振興"]
    assert [m.goal for m in s.measures] == ["ひと", "しごと"]


def test_missing_column_names_the_japanese_headers_read_as_it(tmp_path):
    """``KPI,目標``: before, "no 'baseline_raw' column" without saying 基準値 / 現状値 would do."""
    old = tmp_path / "k.csv"
    old.write_text("KPI,目標\n新規就農者数,5人\n", encoding="utf-8")
    line = _one_line_error(_run("kpis-compare", old, old, "-o", tmp_path / "a.csv"))
    assert "no 'baseline_raw' column (or 基準値 / 現状値)" in line


# ── F13: an Office file given as a document ─────────────────────────────────


@pytest.mark.parametrize(("suffix", "app"), [(".docx", "Word"), (".pptx", "PowerPoint")])
def test_office_document_says_how_to_save_it(tmp_path, suffix, app):
    import zipfile

    doc = tmp_path / f"戦略{suffix}"
    with zipfile.ZipFile(doc, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    line = _one_line_error(_run("parse", doc, "-o", tmp_path / "m.csv"))
    assert f"save it from {app} as PDF" in line


def test_old_excel_file_says_to_save_it_as_xlsx(tmp_path):
    doc = tmp_path / "施策.xls"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)  # an OLE2 header
    line = _one_line_error(_run("parse", doc, "-o", tmp_path / "m.csv"))
    assert "save it from Excel as 'Excel Workbook (*.xlsx)'" in line


# ── F10: theme rule syntax is not a matched word ───────────────────────────


def test_matched_words_hold_words_not_rule_syntax():
    from textkit.themes import ThemeRule

    rule = ThemeRule("観光・交流", any=("観光", "イベント & !結婚", "温泉 & 宿泊"))
    assert rule.matched_words("温泉街の宿泊と冬季イベントの観光") == (
        "観光",
        "イベント",
        "温泉",
        "宿泊",
    )
    assert rule.matched_words("婚活イベント 結婚") == ()


# ── F2: which rows a moved-aside workbook holds ─────────────────────────────


def test_moved_aside_workbook_names_the_rows_not_yet_applied(tmp_path):
    """Before: "held decisions not yet applied (or was not a review workbook)" without saying
    which rows, so staff who had applied could not tell what was left."""
    import openpyxl

    from .conftest import TOMAKOMAI_TXT

    path, maps = tmp_path / "review.xlsx", tmp_path / "mappings"
    args = ["report", TOMAKOMAI_TXT, TOMAKOMAI_TXT, "--xlsx", path, "--mappings", maps]
    assert _run(*args).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["対応表"]
    ws.cell(row=3, column=8, value="承認")
    ws.cell(row=5, column=8, value="却下")
    wb.save(path)
    out = _run(*args)
    assert out.exit_code == 0, out.output
    assert "held decisions not yet applied in 対応表 rows 3 and 5" in out.output
    # a file that is no review workbook says so, not "decisions"
    other = openpyxl.Workbook()
    other.save(path)
    out = _run(*args)
    assert "is not a review workbook" in out.output and "decisions" not in out.output


# ── F20: an output named like an input ──────────────────────────────────────


def _table(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text("id,goal,title\nG1-M1,しごと,移住の促進\nG1-M2,しごと,観光振興\n", "utf-8")
    return path


@pytest.mark.parametrize("form", ["-o", "--output=", "--xlsx"])
def test_output_over_an_input_is_refused_and_the_input_kept(tmp_path, form):
    """Before: ``align a.csv b.csv -o a.csv`` replaced the user's measure table with the map."""
    a, b = _table(tmp_path, "a.csv"), _table(tmp_path, "b.csv")
    before = a.read_bytes()
    command = "report" if form == "--xlsx" else "align"
    out = [f"{form}{a}"] if form.endswith("=") else [form, a]
    line = _one_line_error(_run(command, a, b, *out))
    assert "is also an input" in line
    assert a.read_bytes() == before


def test_output_through_another_path_to_an_input_is_refused(tmp_path):
    a, b = _table(tmp_path, "a.csv"), _table(tmp_path, "b.csv")
    (tmp_path / "sub").mkdir()
    line = _one_line_error(_run("align", a, b, "-o", tmp_path / "sub" / ".." / "b.csv"))
    assert "is also an input" in line


def test_corpus_build_never_writes_over_its_manifest_or_another_file(tmp_path):
    """Before: ``corpus build idx.csv -o idx.csv`` replaced the manifest with a DuckDB file."""
    from textkit.corpus import build_corpus

    index = _manifest(tmp_path, "2")
    before = index.read_bytes()
    line = _one_line_error(_run("corpus", "build", index, "-o", index))
    assert "is also an input" in line and index.read_bytes() == before
    other = tmp_path / "notes.csv"
    other.write_text("mine\n", encoding="utf-8")
    with pytest.raises(TextkitError, match="is not a corpus database"):
        build_corpus(index, db=other, cache_dir=tmp_path / "cache", workers=1)
    assert other.read_text(encoding="utf-8") == "mine\n"


def test_reading_and_writing_different_files_is_not_refused(tmp_path):
    a, b = _table(tmp_path, "a.csv"), _table(tmp_path, "b.csv")
    result = _run("align", a, b, "-o", tmp_path / "map.csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "map.csv").exists()


# ── F24: a title row above the header, a cover sheet first ──────────────────


@pytest.mark.parametrize("cover", [False, True])
def test_title_above_the_header_says_to_delete_it(tmp_path, cover):
    """Staff put 「第3期 … 施策一覧」 in A1 (or a 表紙 sheet first). Before: "add it to the header
    row", which the header row already holds."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "第3期 鶴見沢町総合戦略 施策一覧"
    table = wb.create_sheet("施策") if cover else ws
    if not cover:
        ws.append([])
    table.append(["番号", "基本目標", "施策名"])
    table.append([1, "しごと", "移住の促進"])
    path = tmp_path / "施策.xlsx"
    wb.save(path)
    line = _one_line_error(_run("parse", path, "-o", tmp_path / "m.csv"))
    if cover:  # the first sheet holds the title only
        assert "textkit reads the first sheet of a workbook: put the table there" in line
    else:
        assert "the header row must be the first row of the first sheet" in line
        assert "delete the title rows above it" in line


def test_csv_with_a_title_line_says_to_delete_it(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("施策一覧,,\n番号,基本目標,施策名\n1,しごと,移住\n", encoding="utf-8")
    line = _one_line_error(_run("parse", path, "-o", tmp_path / "o.csv"))
    assert "columns found: 施策一覧)" in line and "delete the title rows" in line
