"""Read a document into normalised text blocks: ``path -> Document``.

PDF goes through pypdfium2 / pdfplumber (this is the only module that imports them); text and
Markdown are decoded (UTF-8, UTF-8 with BOM, CP932) and cleaned by ``normalize``. Every failure is
raised as a ``TextkitError`` whose message says what the user can do.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import normalize
from .errors import (
    EmptyDocumentError,
    EncodingError,
    ExtractionError,
    FormatError,
    InputNotFoundError,
)
from .models import Block, Document, Page

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
TABLE_SUFFIXES = {".csv", ".xlsx", ".json", ".tsv"}
PDF_SUFFIXES = {".pdf"}

# Excel on Japanese Windows writes CP932; everything else we meet is UTF-8 (with or without BOM).
TEXT_ENCODINGS = ("utf-8-sig", "cp932")


def check_file(path: str | Path) -> Path:
    """Common checks: the file exists, is a file, and is not empty."""
    p = Path(path)
    if not p.exists():
        raise InputNotFoundError("file not found; check the path and the file name", path=str(p))
    if p.is_dir():
        raise FormatError("is a folder, not a document", path=str(p))
    if not p.is_file():  # /dev/null, a pipe, a socket: nothing to read a document from
        raise FormatError(
            "is not a regular file (a device, pipe or socket), not a document; give a saved file",
            path=str(p),
        )
    if p.stat().st_size == 0:
        raise EmptyDocumentError("the file is empty (0 bytes); export it again", path=str(p))
    return p


def sniff_kind(path: str | Path) -> str:
    """``pdf``, ``text``, ``markdown`` or ``measures`` from the suffix and, for PDF, magic bytes."""
    p = check_file(path)
    suffix = p.suffix.lower()
    with p.open("rb") as fh:
        head = fh.read(1024)
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if suffix in PDF_SUFFIXES:
        raise ExtractionError(
            "is named .pdf but is not a PDF (it does not start with %PDF); "
            "the file is damaged or has the wrong name",
            path=str(p),
        )
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    if suffix in TABLE_SUFFIXES:
        return "measures"
    app = OFFICE_SUFFIXES.get(suffix)
    how = (
        f"save it from {app} as PDF (ファイル → エクスポート → PDF) and give that; " if app else ""
    )
    if suffix in OLD_SPREADSHEET_SUFFIXES:
        how = save_as_xlsx(suffix) + " and give that; "
    raise FormatError(
        f"unknown format '{suffix or '(no suffix)'}'; {how}textkit reads PDF (.pdf), text (.txt), "
        "Markdown (.md) and measure tables (.csv, .xlsx, .json)",
        path=str(p),
    )


# Office documents a strategy is drafted in: textkit reads the PDF they export, not the file.
OFFICE_SUFFIXES = {
    ".docx": "Word",
    ".doc": "Word",
    ".rtf": "Word",
    ".odt": "LibreOffice Writer",
    ".pptx": "PowerPoint",
    ".ppt": "PowerPoint",
    ".odp": "LibreOffice Impress",
}
# Spreadsheets in formats older or other than .xlsx: a measure table saved again as .xlsx reads.
OLD_SPREADSHEET_SUFFIXES = {".xls", ".xlsb", ".ods"}


def save_as_xlsx(suffix: str) -> str:
    """How to save a spreadsheet of ``suffix`` as .xlsx, in the application that made it (an
    .ods comes from LibreOffice Calc, whose menu differs from Excel's)."""
    if suffix.lower() == ".ods":
        return (
            "save it from LibreOffice Calc as .xlsx (ファイル → 名前を付けて保存 → ファイルの種類 "
            "Excel 2007-365)"
        )
    return "save it from Excel as 'Excel Workbook (*.xlsx)'"


# CP932 decodes almost any byte string; text that comes out mostly half-width katakana was
# really written in another encoding (EUC-JP bytes land there).
MAX_HALFWIDTH_KANA_RATIO = 0.3


def _plausible_japanese(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return True
    odd = sum(1 for c in non_ascii if _is_odd(ord(c)))
    return odd / len(non_ascii) <= MAX_HALFWIDTH_KANA_RATIO and "\x00" not in text


def _is_odd(code: int) -> bool:
    """Half-width katakana, C1 controls and private-use code points: rare in real Japanese text."""
    return 0xFF61 <= code <= 0xFF9F or 0x80 <= code <= 0x9F or 0xE000 <= code <= 0xF8FF


# Every zip file (.xlsx, .docx, .pptx) starts with a local file header.
ZIP_MAGIC = b"PK\x03\x04"
_OFFICE_PARTS = (
    ("xl/", "an Excel workbook", "rename it to .xlsx, or save it from Excel as 'CSV UTF-8'"),
    ("word/", "a Word document", "save it from Word as PDF or as plain text (.txt)"),
    ("ppt/", "a PowerPoint deck", "save it from PowerPoint as PDF"),
)


def _not_text(data: bytes, path: str) -> FormatError:
    """What a zip or binary file given where text is expected really is."""
    suffix = Path(path).suffix.lower() or "(no suffix)"
    if data.startswith(ZIP_MAGIC):
        head = data[:65536]
        for part, what, todo in _OFFICE_PARTS:
            if part.encode() in head:
                return FormatError(f"is {what}, not {suffix} text; {todo}", path=path)
        return FormatError(f"is a zip archive, not {suffix} text; unpack it first", path=path)
    return _binary(data[: data.index(b"\x00")].count(b"\n") + 1, path)


def _binary(line: int, path: str) -> FormatError:
    return FormatError(
        f"contains binary data (a NUL byte on line {line}), so it is not a text file; save it "
        "again as text (tables: 'CSV UTF-8')",
        path=path,
    )


def decode_text(data: bytes, path: str) -> str:
    """Decode UTF-8 (BOM optional), UTF-16 with BOM, CP932 or EUC-JP, else ``EncodingError``.

    Text, CSV and JSON readers all decode here, so they refuse the same things the same way:
    a workbook or other zip under a text name, and NUL bytes (binary data), with the line."""
    if data.startswith(ZIP_MAGIC):
        raise _not_text(data, path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _without_nul(data.decode("utf-16"), data, path)
        except UnicodeDecodeError:
            pass
    for encoding in (*TEXT_ENCODINGS, "euc_jp"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" or _plausible_japanese(text):
            return _without_nul(text, data, path)
    if b"\x00" in data:
        raise _not_text(data, path)
    raise EncodingError(
        "cannot read the text encoding (tried UTF-8, UTF-16, Shift_JIS/CP932 and "
        "EUC-JP); "
        "save the file as UTF-8 and try again",
        path=path,
    )


def _without_nul(text: str, data: bytes, path: str) -> str:
    if "\x00" in text:
        raise _binary(text[: text.index("\x00")].count("\n") + 1, path)
    return text


def read(path: str | Path, *, settings: object = None) -> Document:
    """Read a PDF, text or Markdown file into a ``Document``. ``settings``: the PDF reader's
    tolerances (``pdf.ExtractSettings``, a dict of overrides or a TOML path; None = defaults)."""
    from .pdf import ExtractSettings, read_pdf

    resolved = ExtractSettings.resolve(settings)  # checked even when the input is text
    kind = sniff_kind(path)
    if kind == "pdf":
        return read_pdf(path, resolved)
    if kind in ("text", "markdown"):
        return read_text(path, kind)
    raise FormatError(
        "is a measure table, not a document; use it where a measure table is accepted "
        "(align, kpis-compare) or read it with textkit.parse",
        path=str(path),
    )


_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def read_text(path: str | Path, kind: str = "text") -> Document:
    """Text and Markdown as they are: one page, one block per non-empty line."""
    p = check_file(path)
    text = decode_text(p.read_bytes(), str(p))
    cleaned = normalize.normalize_text(text)
    blocks: list[Block] = []
    for line in cleaned.split("\n"):
        if not line.strip() or _MD_TABLE_RULE.match(line):
            continue
        if "\t" in line:
            cells = tuple(c.strip() for c in line.split("\t"))
            blocks.append(Block(text=line, page=1, kind="table", rows=(cells,)))
        elif kind == "markdown" and line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            cells = tuple(c.strip() for c in line.strip().strip("|").split("|"))
            blocks.append(Block(text="\t".join(cells), page=1, kind="table", rows=(cells,)))
        else:
            blocks.append(Block(text=line, page=1))
    if not any(b.text.strip() for b in blocks):
        raise EmptyDocumentError("has no text", path=str(p))
    return Document(path=str(p), kind=kind, pages=(Page(number=1, blocks=tuple(blocks)),))
