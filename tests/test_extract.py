"""Reading documents and tables; every bad input gets one clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import textkit
from textkit.cli import main
from textkit.errors import (
    EmptyDocumentError,
    EncodingError,
    ExtractionError,
    FormatError,
    InputNotFoundError,
)
from textkit.formats import read_measures
from textkit.tables import read_rows

from .conftest import OTARU_MD, TOMAKOMAI_TXT


def test_reads_tomakomai_seed_as_it_is() -> None:
    doc = textkit.read(TOMAKOMAI_TXT)
    lines = [b.text for b in doc.blocks]
    assert "企業誘致" in lines
    assert "ＫＰＩの設定".replace("ＫＰＩ", "KPI") in lines
    assert "2 結婚の希望を叶え、安心して出産・子育てができる環境を整備する" in lines
    assert any("中長期的な視点により検討" in x for x in lines)
    assert not any("⾧" in x for x in lines)


def test_reads_otaru_markdown_tables_as_rows() -> None:
    doc = textkit.read(OTARU_MD)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert ("小売業の年間商品販売額", "1,298 億円 (H27)", "1,298 億円") in [
        b.rows[0] for b in tables
    ]


def test_reads_pdf(text_pdf: Path) -> None:
    doc = textkit.read(text_pdf)
    assert doc.kind == "pdf"
    assert doc.pages[0].number == 1
    assert "基本目標1 しごとをつくる" in doc.text


@pytest.mark.parametrize(
    ("fixture", "error", "message"),
    [
        ("encrypted_pdf", ExtractionError, "password-protected"),
        ("scanned_pdf", ExtractionError, "OCR"),
        ("truncated_pdf", ExtractionError, "damaged or incomplete"),
    ],
)
def test_bad_pdfs(request, fixture: str, error: type, message: str) -> None:
    path = request.getfixturevalue(fixture)
    with pytest.raises(error, match=message):
        textkit.read(path)


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="file not found"):
        textkit.read(tmp_path / "nope.pdf")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocumentError, match="empty"):
        textkit.read(empty)
    unknown = tmp_path / "doc.docx"
    unknown.write_bytes(b"PK\x03\x04 something")
    with pytest.raises(FormatError, match=r"unknown format '\.docx'"):
        textkit.read(unknown)
    fake_pdf = tmp_path / "fake.pdf"
    fake_pdf.write_text("hello", encoding="utf-8")
    with pytest.raises(ExtractionError, match="not a PDF"):
        textkit.read(fake_pdf)
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes([0x80, 0xA0, 0xFD, 0xFE, 0xFF]) * 20)
    with pytest.raises(EncodingError, match="save the file as UTF-8"):
        textkit.read(garbage)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp932", "euc_jp"])
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "doc.txt"
    p.write_bytes("基本目標１ 小樽市にしごとをつくる\n".encode(encoding))
    assert textkit.read(p).blocks[0].text == "基本目標1 小樽市にしごとをつくる"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_measure_csv_encodings(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "m.csv"
    p.write_bytes("id,goal,title\nG1-M1,しごと,地場産業の発展\n".encode(encoding))
    strategy = read_measures(p)
    assert [(m.id, m.goal, m.title) for m in strategy.measures] == [
        ("G1-M1", "しごと", "地場産業の発展")
    ]


def test_measure_csv_without_title(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(FormatError, match="no 'title' column"):
        read_measures(p)


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "m.xlsx"
    p.write_text("id,title\n1,x\n", encoding="utf-8")
    with pytest.raises(FormatError, match="not an Excel workbook"):
        read_rows(p)


def test_cli_error_is_one_line_and_nonzero(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "missing.pdf")])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error:")
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_measure_table_with_japanese_headers(tmp_path: Path) -> None:
    """City staff's Excel headers (番号 / 基本目標 / 施策名 / 概要) read as the contract's columns."""
    p = tmp_path / "施策一覧.csv"
    p.write_bytes(
        "番号,基本目標,施策名,概要\n1-1,しごと,地場産業の振興,販路拡大を支援\n".encode("cp932")
    )
    (m,) = read_measures(p).measures
    assert (m.id, m.goal, m.title, m.text) == ("1-1", "しごと", "地場産業の振興", "販路拡大を支援")


def test_kpi_table_with_japanese_headers(tmp_path: Path) -> None:
    from textkit.formats import read_kpis

    p = tmp_path / "kpi.csv"
    p.write_text("指標,基準値,目標値\n観光客満足度,91.30% (H25),93.8% (R5)\n", encoding="utf-8-sig")
    (k,) = read_kpis(p)
    assert (k.name, k.baseline_value, k.baseline_year, k.target_value) == (
        "観光客満足度", 91.3, 2013, 93.8,
    )  # fmt: skip


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null on this system")
def test_a_device_is_not_called_a_folder(tmp_path: Path) -> None:
    """``textkit parse /dev/null`` said "is a folder"; it names what the path is instead."""
    result = CliRunner().invoke(main, ["parse", "/dev/null"])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert "not a regular file" in line and "folder" not in line
    folder = CliRunner().invoke(main, ["parse", str(tmp_path)])
    assert folder.exit_code == 2 and "is a folder" in folder.output
