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

from .conftest import CORPORA, OTARU_MD, OTARU_PDF, TOMAKOMAI_TXT


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
    row", which the header row already holds. Since session 4 a title (and blank) row above the
    header of the first sheet is skipped and the table read; since session 5 (hU5 U3) a 表紙 sheet
    holding no table is passed over too (it was refused, telling staff to delete title rows)."""
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
    # the title and the blank row are above the header, or on a sheet of their own: read past them
    result = _run("parse", path, "-o", tmp_path / "m.csv")
    assert result.exit_code == 0, result.output
    assert "移住の促進" in (tmp_path / "m.csv").read_text(encoding="utf-8")
    assert "warning" not in result.output  # a cover sheet holds no table: nothing to name


def test_csv_with_a_title_line_says_to_delete_it(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("施策一覧,,\n番号,基本目標,施策名\n1,しごと,移住\n", encoding="utf-8")
    line = _one_line_error(_run("parse", path, "-o", tmp_path / "o.csv"))
    assert "columns found: 施策一覧)" in line and "delete the title rows" in line


# ── session 4 trial (/work/wt/hU4-findings.md) ──────────────────────────────


def _kpi_table(tmp_path: Path, rows: str, name: str = "k.csv") -> Path:
    path = tmp_path / name
    path.write_text("measure_id,level,name,baseline_raw,target_raw\n" + rows, encoding="utf-8")
    return path


def _results(tmp_path: Path, text: str, name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_year_after_the_target_year_does_not_decide(tmp_path):
    """F4: R6 target 25万人, 23.5 in R6, 26 in R7 (the next plan's first year). Before: judged
    on R7, 達成 with no word; the auditor asks whether R6's target was met."""
    import textkit

    kpis = _kpi_table(tmp_path, "G1-M1,measure,観光入込客数,21.5万人（H30）,25万人（R6）\n")
    res = _results(tmp_path, "name,R5,R6,R7\n観光入込客数,22.1万人,23.5万人,26万人\n")
    (row,) = textkit.attainment(kpis, res).rows
    assert row.compared_value == 23.5
    assert row.status.value == "behind"
    assert row.compared_attainment == pytest.approx((23.5 - 21.5) / (25 - 21.5), abs=1e-6)
    assert "目標年度 (2024) より後の年度 (2025) は判定に使わない" in row.note
    # the contract's latest_* and the series still show every reported year
    assert (row.latest_year, row.latest_value) == (2025, 26.0)
    assert row.series[-1] == (2025, 26.0)


def test_attainment_is_the_contracts_latest_and_status_the_target_years(tmp_path):
    """formats §7: attainment = (latest − baseline) / (target − baseline) with latest the
    latest_value column (the last reported year). It was computed on the value up to the target
    year (0.571 beside latest_value 26, which a reader recomputing the row could not match); the
    status stays judged by the target year (§7's "target reached" does not say by when; an
    auditor asks whether R6's target was met) and the optional compared_attainment keeps 0.571."""
    import textkit
    from textkit.formats import attainment_rows

    kpis = _kpi_table(tmp_path, "G1-M1,measure,観光入込客数,21.5万人（H30）,25万人（R6）\n")
    res = _results(tmp_path, "name,R5,R6,R7\n観光入込客数,22.1万人,23.5万人,26万人\n")
    table = textkit.attainment(kpis, res)
    (row,) = attainment_rows(table)
    latest, base, target = (
        float(row[c]) for c in ("latest_value", "baseline_value", "target_value")
    )
    assert float(row["attainment"]) == pytest.approx((latest - base) / (target - base), abs=1e-6)
    assert row["status"] == "behind"
    assert row["compared_value"] == 23.5 and row["compared_attainment"] == 0.571429
    assert "達成度は最新値 (2025年度 26万人) で計算" in row["note"]
    assert "目標年度までの値 23.5万人 で判定 (目標年度までの達成度 57.1%)" in row["note"]
    # without a later year the two are one figure and nothing more is said
    res = _results(tmp_path, "name,R5,R6\n観光入込客数,22.1万人,23.5万人\n", "r2.csv")
    (row,) = attainment_rows(textkit.attainment(kpis, res))
    assert row["attainment"] == row["compared_attainment"] == 0.571429
    assert "最新値" not in row["note"]


def test_only_years_after_the_target_year_are_used_and_said(tmp_path):
    import textkit

    kpis = _kpi_table(tmp_path, "G1-M1,measure,観光入込客数,21.5万人（H30）,25万人（R6）\n")
    res = _results(tmp_path, "name,R7\n観光入込客数,26万人\n")
    (row,) = textkit.attainment(kpis, res).rows
    assert row.compared_value == 26.0 and row.status.value == "achieved"
    assert "目標年度 (2024) までの実績がない" in row.note and "要確認" in row.note


@pytest.mark.parametrize("target", ["—", "－", ""])
def test_no_target_is_not_judged(tmp_path, target):
    """F6: a KPI whose target cell is — (none set). Before: 達成, by comparing the result with
    the baseline under an assumed direction."""
    import textkit

    kpis = _kpi_table(tmp_path, f"G2-M1,measure,移住相談件数,35件（H30）,{target}\n")
    res = _results(tmp_path, "name,R5,R6\n移住相談件数,52,61\n")
    (row,) = textkit.attainment(kpis, res).rows
    assert row.status.value == "no_data" and row.attainment is None
    assert "目標値の記載なし" in row.note
    assert row.latest_value == 61.0  # the results are still shown


def test_a_qualitative_target_is_still_judged_against_the_baseline(tmp_path):
    import textkit

    kpis = _kpi_table(tmp_path, "G2-M1,measure,移住相談件数,35件（H30）,基準値より増（R6）\n")
    res = _results(tmp_path, "name,R6\n移住相談件数,61\n")
    (row,) = textkit.attainment(kpis, res).rows
    assert row.status.value == "achieved"


def test_two_indicators_never_fill_one_series(tmp_path):
    """F5: the new edition's 相談件数 continues the old 相談件数; the results hold 相談件数 and
    移住相談件数 (no KPI of either edition). Before: 移住相談件数 paired directly, the 相談件数 row
    filled its missing year through the old KPI: 40, 44, 350, 52 → attainment −4, 未達."""
    import textkit

    old = _kpi_table(tmp_path, "G3-M3,measure,相談件数,320件（H30）,400件（R6）\n", "old.csv")
    new = _kpi_table(tmp_path, "G3-M1,measure,相談件数,350件（R4）,420件（R11）\n", "new.csv")
    res = _results(
        tmp_path,
        "name,R2,R3,R4,R5,R6\n移住相談件数,40,44,-,52,61\n相談件数,330,340,350,390,410\n",
    )
    (row,) = textkit.attainment(new, res, previous=old).rows
    assert [v for _, v in row.series] == [330, 340, 350, 390, 410]
    assert row.latest_value == 410 and row.status.value == "behind"
    assert row.attainment == pytest.approx((410 - 350) / (420 - 350), abs=1e-6)
    assert "移住相談件数" in row.note  # named as a candidate it did not use


def test_a_renamed_indicator_still_continues_its_old_series(tmp_path):
    """The mechanism F5 must not break: the old name reported for early years, the new for
    later ones — one indicator, one series."""
    import textkit

    old = _kpi_table(tmp_path, "G1,measure,移住相談件数,35件（H30）,60件（R6）\n", "old.csv")
    new = _kpi_table(
        tmp_path, "G1,measure,移住に関する相談件数,48件（R4）,80件（R11）\n", "new.csv"
    )
    res = _results(tmp_path, "name,R5,R6,R7\n移住相談件数,52,61,\n移住に関する相談件数,,61,70\n")
    (row,) = textkit.attainment(new, res, previous=old).rows
    assert [v for _, v in row.series] == [52, 61, 70]


def test_a_kpi_listed_twice_gets_its_results_on_both_rows(tmp_path):
    """F7: the same KPI row pasted twice. Before: one row 達成, the twin 実績なし, no warning."""
    import textkit

    kpis = _kpi_table(tmp_path, "G3-M2,measure,待機児童数,3人（H30）,0人（R6）\n" * 2)
    res = _results(tmp_path, "name,R6\n待機児童数,0\n")
    table = textkit.attainment(kpis, res)
    assert [r.status.value for r in table.rows] == ["achieved", "achieved"]
    assert any("listed 2 times" in w and "待機児童数" in w for w in table.warnings)


def test_trial_results_series_is_one_indicator():
    """F5 on the trial's own tables (where the tie fell the wrong way). Before: 相談件数 ←
    移住相談件数 with 2022 = 350 taken from the 相談件数 row: attainment −4."""
    import textkit

    case = Path(__file__).parent / "cases" / "user_trial"
    with pytest.warns(Warning):
        table = textkit.attainment(
            case / "shirakaba_3rd_kpis.csv",
            case / "shirakaba_results.xlsx",
            previous=case / "shirakaba_2nd_kpis.csv",
        )
    (row,) = [r for r in table.rows if r.name == "相談件数"]
    values = dict(row.series)
    assert values == {2020: 330, 2021: 340, 2022: 350, 2023: 390, 2024: 410}
    assert row.result_name == "相談件数"
    assert row.attainment == pytest.approx((410 - 350) / (420 - 350), abs=1e-6)


def _merged_measure_book(path: Path, *, title: bool, two_level: bool) -> Path:
    """A 施策一覧 as staff keep it: a title over the table, 基本目標 over its two columns and 施策
    over its three, each goal merged down over its measures' rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    r = 1
    if title:
        ws.cell(r, 1, "第2期桜台市総合戦略 施策一覧")
        ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=5)
        r += 1
    if two_level:
        ws.cell(r, 1, "基本目標")
        ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=2)
        ws.cell(r, 3, "施策")
        ws.merge_cells(start_row=r, end_row=r, start_column=3, end_column=5)
        r += 1
        header = ["番号", "基本目標名", "番号", "施策名", "概要"]
    else:
        header = ["基本目標番号", "基本目標", "番号", "施策名", "概要"]
    for c, h in enumerate(header, 1):
        ws.cell(r, c, h)
    r += 1
    goals = [
        (
            "1",
            "雇用の創出",
            [("1-1", "企業誘致の推進"), ("1-2", "商店街の活性化"), ("1-3", "農林業")],
        ),
        ("2", "移住の促進", [("2-1", "移住支援"), ("2-2", "シティプロモーション")]),
    ]
    for g, name, measures in goals:
        first = r
        for mid, title_ in measures:
            ws.cell(r, 3, mid)
            ws.cell(r, 4, title_)
            ws.cell(r, 5, f"{title_}を進める")
            r += 1
        ws.cell(first, 1, g)
        ws.cell(first, 2, name)
        for col in (1, 2):
            ws.merge_cells(start_row=first, end_row=r - 1, start_column=col, end_column=col)
    wb.save(path)
    return path


def test_goal_cells_merged_over_their_measures(tmp_path):
    """F8: 基本目標 merged down over its measures' rows. Before: only the first measure had a goal
    (the others none), goal ids G1, -, -, G3, - for two goals."""
    import textkit

    book = _merged_measure_book(tmp_path / "m.xlsx", title=False, two_level=False)
    s = textkit.parse(book)
    assert [(m.id, m.goal) for m in s.measures] == [
        ("1-1", "雇用の創出"),
        ("1-2", "雇用の創出"),
        ("1-3", "雇用の創出"),
        ("2-1", "移住の促進"),
        ("2-2", "移住の促進"),
    ]
    assert len({m.goal_id for m in s.measures}) == 2 and all(m.goal_id for m in s.measures)


def test_title_row_and_two_level_header_are_read(tmp_path):
    """F9: a title row, then 基本目標 / 施策 merged over the column names below them. Before:
    refused ('delete the title rows above it')."""
    import textkit

    book = _merged_measure_book(tmp_path / "m.xlsx", title=True, two_level=True)
    s = textkit.parse(book)
    assert [m.id for m in s.measures] == ["1-1", "1-2", "1-3", "2-1", "2-2"]
    assert {m.goal for m in s.measures} == {"雇用の創出", "移住の促進"}
    assert s.measures[0].text == "企業誘致の推進を進める"


def test_a_merged_heading_over_figures_is_no_second_header_row(tmp_path):
    """The two-level rule must not eat the first data row: 目標値 merged over a figure and its
    year (450 | (R6)) is a heading over data."""
    import openpyxl

    from textkit.tables import read_rows

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指標名", "基準値", "目標値", None])
    ws.merge_cells("C1:D1")
    ws.append(["転入者数", "412", "450", "(R6)"])
    wb.save(tmp_path / "k.xlsx")
    rows = read_rows(tmp_path / "k.xlsx")
    assert rows[0]["指標名"] == "転入者数" and rows[0]["目標値"] == "450"  # hF14: not "(R6)"


def test_results_with_years_under_a_merged_heading(tmp_path):
    """A 効果検証 sheet: 指標名 merged down over two header rows, 実績値 merged over R5 / R6."""
    import openpyxl

    import textkit

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指標名", "実績値", None])
    ws.append([None, "R5", "R6"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.append(["観光入込客数", "22.1万人", "23.5万人"])
    wb.save(tmp_path / "r.xlsx")
    kpis = _kpi_table(tmp_path, "G1-M1,measure,観光入込客数,21.5万人（H30）,25万人（R6）\n")
    (row,) = textkit.attainment(kpis, tmp_path / "r.xlsx").rows
    assert row.series == ((2023, 22.1), (2024, 23.5))


# ── -o - (standard output), compare of one document's two files, settings not read ──


@pytest.mark.parametrize(
    "args",
    [
        ("parse", OTARU_MD),
        ("kpis", OTARU_MD),
        ("extract", OTARU_MD),
        ("compare", OTARU_MD, TOMAKOMAI_TXT),
    ],
)
def test_dash_output_is_standard_output(tmp_path, args):
    """``-o -`` as every Unix tool reads it. Before: `error: -: cannot write '(no suffix)'`."""
    result = _run(*args, "-o", "-")
    assert result.exit_code == 0, result.output
    assert not (Path.cwd() / "-").exists()
    plain = _run(*args) if args[0] != "compare" else None
    if plain is not None:
        assert result.stdout == plain.stdout
    else:
        assert result.stdout.startswith("a_doc,a_id,a_title,b_doc")
        assert "wrote" not in result.stdout


def test_dash_output_of_a_command_writing_several_files_is_one_line(tmp_path):
    line = _one_line_error(_run("themes", OTARU_MD, TOMAKOMAI_TXT, "-o", "-"))
    assert "standard output" in line


def test_compare_two_files_of_one_document_says_which_to_keep(tmp_path):
    """The .md and .pdf of one strategy. Before: 'two documents share a name … give each its
    own', with no way to name them."""
    md, pdf = tmp_path / "otaru.md", tmp_path / "otaru.pdf"
    shutil.copy(OTARU_MD, md)
    shutil.copy(OTARU_PDF, pdf)
    line = _one_line_error(_run("compare", md, pdf, TOMAKOMAI_TXT, "-o", tmp_path / "p.csv"))
    assert "otaru.md" in line and "otaru.pdf" in line
    assert "give one of them" in line


def test_compare_same_file_name_in_two_folders_names_them_by_folder(tmp_path):
    """Two cities' files are both 総合戦略.md: two documents, named by their folders."""
    (tmp_path / "小樽市").mkdir()
    (tmp_path / "苫小牧市").mkdir()
    shutil.copy(OTARU_MD, tmp_path / "小樽市" / "総合戦略.md")
    shutil.copy(TOMAKOMAI_TXT, tmp_path / "苫小牧市" / "総合戦略.txt")
    shutil.copy(TOMAKOMAI_TXT, tmp_path / "苫小牧市" / "総合戦略.md")
    import textkit

    pairs = textkit.compare(
        tmp_path / "小樽市" / "総合戦略.md", tmp_path / "苫小牧市" / "総合戦略.md"
    )
    assert {p.a_doc for p in pairs} == {"小樽市/総合戦略", "苫小牧市/総合戦略"}


def test_compare_the_same_file_twice_is_refused(tmp_path):
    line = _one_line_error(_run("compare", OTARU_MD, OTARU_MD, "-o", tmp_path / "p.csv"))
    assert "twice" in line


def test_a_settings_table_the_command_does_not_read_is_named(tmp_path):
    """corpus build --settings with [extract] (the PDF reader's tolerances, read by parse and
    extract only). Before: accepted and silently not applied."""
    settings = tmp_path / "s.toml"
    settings.write_text("[extract]\nx_tolerance = 2\n", encoding="utf-8")
    index = _manifest(tmp_path, "2")
    result = _run(
        "corpus",
        "build",
        index,
        "-o",
        tmp_path / "c.duckdb",
        "--workers",
        "1",
        "--settings",
        settings,
    )
    assert result.exit_code == 0, result.output
    assert "[extract]" in result.stderr and "not read by 'textkit corpus build'" in result.stderr


def test_a_settings_table_the_command_reads_gives_no_warning(tmp_path):
    settings = tmp_path / "s.toml"
    settings.write_text("[counterparts]\ntitle_weight = 2\n", encoding="utf-8")
    result = _run(
        "compare", OTARU_MD, TOMAKOMAI_TXT, "-o", tmp_path / "p.csv", "--settings", settings
    )
    assert result.exit_code == 0, result.output
    assert "not read" not in result.stderr


def test_unread_documents_are_not_counted_as_documents(tmp_path):
    """F10: a 広報 / a damaged PDF in the manifest. Before: `documents` listed them with 0
    measures and the summary counted them ("2 documents … 1 not read")."""
    import duckdb

    shutil.copy(OTARU_MD, tmp_path / "o.md")
    (tmp_path / "bad.pdf").write_bytes(OTARU_PDF.read_bytes()[:20000])
    index = tmp_path / "index.csv"
    index.write_text(
        _HEAD + "o.md,小樽市,2,2020,2024,markdown,x\nbad.pdf,壊れ市,2,2020,2024,pdf,x\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.duckdb"
    result = _run("corpus", "build", index, "-o", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout and "1 document (" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("select document from documents").fetchall() == [("小樽市/総合戦略/2",)]
    assert con.sql("select document, read from all_documents order by 1").fetchall() == [
        ("壊れ市/総合戦略/2", False),
        ("小樽市/総合戦略/2", True),
    ]
    assert con.sql("select count(*) from files").fetchall() == [(2,)]  # with why it was not read


def test_report_from_another_folder_keeps_the_workbooks_decisions(tmp_path, monkeypatch):
    """Run from another folder over the same workbook. Before: --mappings defaulted to the
    current folder's mappings/ (absent), so the new workbook showed none of the decisions and
    silently replaced the one that did."""
    import openpyxl

    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(TOMAKOMAI_TXT, work / "deck.txt")
    monkeypatch.chdir(work)
    assert _run("report", "deck.txt", "deck.txt", "--xlsx", "review.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(work / "review.xlsx")
    wb["対応表"]["H2"] = "承認"
    wb.save(work / "review.xlsx")
    assert _run("review", "apply", "review.xlsx").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = _run("report", work / "deck.txt", work / "deck.txt", "--xlsx", work / "review.xlsx")
    assert result.exit_code == 0, result.output
    assert not (elsewhere / "mappings").exists()
    assert openpyxl.load_workbook(work / "review.xlsx")["対応表"]["H2"].value == "承認"
    # a folder given that is not the workbook's is said
    (elsewhere / "other").mkdir()
    result = _run(
        "report",
        work / "deck.txt",
        work / "deck.txt",
        "--xlsx",
        work / "review.xlsx",
        "--mappings",
        elsewhere / "other",
    )
    assert result.exit_code == 0, result.output
    assert "was made from the decisions in" in result.stderr


@pytest.mark.parametrize("command", ["attainment", "parse"])
def test_an_ods_spreadsheet_says_how_to_save_it_from_libreoffice(tmp_path, command):
    """A city on LibreOffice keeps its tables as .ods. Before: attainment said 'is not a results
    table', parse said to save it 'from Excel'."""
    path = tmp_path / "results.ods"
    path.write_bytes(b"PK\x03\x04")
    args = ("attainment", OTARU_MD, path) if command == "attainment" else ("parse", path)
    line = _one_line_error(_run(*args))
    assert "LibreOffice Calc" in line and ".xlsx" in line


def test_an_exact_name_is_never_traded_for_two_near_ones(tmp_path):
    """F19 (corpus attainment of the trial): KPIs 創業相談件数 and 相談件数, results 相談件数 and
    移住相談件数. Before: 創業相談件数 ← 相談件数 (410 against 20: 達成) and 相談件数 ←
    移住相談件数 (61 against 400): the assignment's sum preferred two near names to one exact."""
    import textkit

    kpis = _kpi_table(
        tmp_path,
        "G1-M2,measure,創業相談件数,12件（H30）,20件（R6）\n"
        "G3-M2,measure,相談件数,320件（H30）,400件（R6）\n",
    )
    res = _results(tmp_path, "name,R5,R6\n移住相談件数,52,61\n相談件数,390,410\n")
    rows = {r.name: r for r in textkit.attainment(kpis, res).rows}
    assert rows["相談件数"].result_name == "相談件数" and rows["相談件数"].compared_value == 410
    assert rows["創業相談件数"].result_name != "相談件数"


def test_compare_two_copies_of_one_document_in_two_folders_is_warned(tmp_path):
    """otaru.md here and otaru.pdf in corpora/: two names, one document. Before: compared, every
    measure's first counterpart itself (score 1.000), no word."""
    (tmp_path / "a").mkdir()
    shutil.copy(OTARU_MD, tmp_path / "a" / "otaru_2nd_strategy.md")
    result = _run("compare", tmp_path / "a" / "otaru_2nd_strategy.md", OTARU_PDF, "-o", "-")
    assert result.exit_code == 0, result.output
    assert "hold the same measures" in result.stderr and "give one of them" in result.stderr


def test_compare_two_editions_of_one_plan_is_not_warned(tmp_path):
    result = _run("compare", OTARU_MD, CORPORA / "synthetic" / "otaru_3rd_measures.csv", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "hold the same measures" not in result.stderr


# ── hF's review of my landings (/work/wt/hF4-findings.md hF4, hF5, hF7, hF12, hF13) ──


def test_a_band_merged_across_a_data_row_is_not_a_measure(tmp_path):
    """hF4: 基本目標1 … merged over A:C between measure rows. After f00ce45 the band filled
    id, title and text and was read as a measure; as before it is a row with no title."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["番号", "施策名", "概要"])
    ws.append(["基本目標1　しごとをつくる"])
    ws.merge_cells("A2:C2")
    ws.append(["1-1", "企業誘致の推進", "工業団地への誘致"])
    wb.save(tmp_path / "band.xlsx")
    line = _one_line_error(_run("parse", tmp_path / "band.xlsx", "-o", "-"))
    assert "row 2" in line and "empty title" in line


def test_a_title_block_of_two_cells_is_skipped_or_named(tmp_path):
    """hF5: 「第3期 施策一覧」 | | 「令和7年3月」 above the header. Before: taken as the header
    ("no 'title' column … add it to the header row", which the header row holds). A title block
    filling less than half the table's width is skipped; in a narrow table the advice says
    to delete the title rows."""
    import openpyxl

    import textkit

    def book(name, header):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["第3期 施策一覧", None, "令和7年3月"])
        ws.append(header)
        ws.append(["1-1", "企業誘致の推進", "工業団地への誘致", "企画課", "R7"][: len(header)])
        wb.save(tmp_path / name)
        return tmp_path / name

    wide = book("wide.xlsx", ["番号", "施策名", "概要", "担当課", "開始"])
    assert [m.id for m in textkit.parse(wide).measures] == ["1-1"]
    narrow = book("narrow.xlsx", ["番号", "施策名", "概要"])
    line = _one_line_error(_run("parse", narrow, "-o", "-"))
    assert "delete the title rows above it" in line


def test_compare_names_take_folders_until_they_differ(tmp_path):
    """hF7: a/小樽市/総合戦略.md and b/小樽市/総合戦略.md (two editions). Before: 'two documents
    share a name'."""
    import textkit

    for edition, source in (("a", OTARU_MD), ("b", TOMAKOMAI_TXT)):
        (tmp_path / edition / "小樽市").mkdir(parents=True)
        shutil.copy(source, tmp_path / edition / "小樽市" / "総合戦略.md")
    pairs = textkit.compare(*(tmp_path / e / "小樽市" / "総合戦略.md" for e in "ab"))
    assert {p.a_doc for p in pairs} == {"a/小樽市/総合戦略", "b/小樽市/総合戦略"}


def test_unread_settings_warning_names_the_command_under_python_m(tmp_path):
    """hF12: run as `python -m textkit`, the warning said 'textkit -m textkit kpis-compare'."""
    settings = tmp_path / "s.toml"
    settings.write_text("[extract]\nx_tolerance = 2\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["compare", str(OTARU_MD), str(TOMAKOMAI_TXT), "-o", "-", "--settings", str(settings)],
        prog_name="python -m textkit",
    )
    assert result.exit_code == 0, result.output
    assert "not read by 'textkit compare'" in result.stderr


def test_a_target_year_not_reported_yet_is_said(tmp_path):
    """hF13: results up to R5 for an R6 target (a mid-term review): judged on R5, now said."""
    import textkit

    kpis = _kpi_table(tmp_path, "G1-M1,measure,観光入込客数,21.5万人（H30）,25万人（R6）\n")
    res = _results(tmp_path, "name,R4,R5\n観光入込客数,19.8万人,22.1万人\n")
    (row,) = textkit.attainment(kpis, res).rows
    assert row.compared_value == 22.1
    assert "目標年度 (2024) の実績はまだない: 2023年度の値で比較" in row.note
