"""Tabular files in and out: CSV (UTF-8, UTF-8 BOM, CP932), XLSX (the first visible sheet whose
header names columns textkit reads; other such sheets are named in a warning) and JSON.

``read_rows(path) -> list[dict[str, str]]`` and ``write_rows(path, columns, rows)``; every write is
atomic (temporary file + rename) so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import functools
import io
import json
import numbers
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import (
    EmptyDocumentError,
    FormatError,
    OutputError,
    ReviewError,
    TextkitWarning,
    os_error_message,
)
from .extract import check_file, decode_text
from .limits import MAX_CELL_CHARS, MAX_WORKBOOK_UNPACKED
from .wording import plural

TABLE_FORMATS = (".csv", ".tsv", ".xlsx", ".json")


# ── formulas: outputs never carry one ───────────────────────────────────────

# OWASP "CSV Injection": Excel and LibreOffice run a cell that starts with one of these as a formula
# (``=HYPERLINK(…)``, ``@SUM(…)``, ``-2+3+cmd|' /C calc'!A0``); TAB and CR hide the same behind
# whitespace. A CSV cell starting with one gets TEXT_PREFIX, which spreadsheets show as text.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
TEXT_PREFIX = "'"
# A number in a column the contract says is numeric (formats.md: ``score``, ``baseline_value`` …)
# is written as it is: ``-5`` stays the number -5, not the text "'-5".
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _guarded(text: str) -> bool:
    """True for text starting with any number of TEXT_PREFIX and then a formula trigger."""
    rest = text.lstrip(TEXT_PREFIX)
    return bool(rest) and rest[0] in FORMULA_TRIGGERS


def neutralise(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: ``=要確認`` → ``'=要確認``.

    Text that already starts with quotes before a trigger (``'=x``) gets one more, so that
    ``restore`` gives back exactly what was written: ``restore(neutralise(t)) == t`` for every t.

    >>> neutralise("=HYPERLINK(1)"), neutralise("-5"), neutralise("'=x"), neutralise("'ok")
    ("'=HYPERLINK(1)", "'-5", "''=x", "'ok")
    """
    return TEXT_PREFIX + text if _guarded(text) else text


def restore(text: str) -> str:
    """Undo ``neutralise`` on a cell read from CSV (and nothing else: ``'ok`` stays ``'ok``).

    >>> restore("'=要確認"), restore("''=x"), restore("'ok"), restore("=x")
    ('=要確認', "'=x", "'ok", '=x')
    """
    return text[1:] if text.startswith(TEXT_PREFIX) and _guarded(text) else text


def is_number(value: Any) -> bool:
    """A number by type (int, float, Decimal; not bool)."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def csv_cell(value: Any, *, numeric: bool = False) -> str:
    """One value as CSV text: numbers plainly, text neutralised (``numeric``: the column is a
    number column of the contract, where a plain number written as text stays a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    if is_number(value):
        return str(value)
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(x) for x in value)
    text = str(value)
    if numeric and _PLAIN_NUMBER.fullmatch(text):
        return text
    return neutralise(text)


def cells_as_text(wb: Any) -> None:
    """Every text cell of an openpyxl workbook stays text: a title such as ``=cmd|' /C calc'!A0``
    would otherwise be stored as a formula (``<f>``). Cells starting with a formula trigger are
    also marked quote-prefixed, as Excel does for ``'=…`` typed by hand, so that editing the cell
    in Excel does not turn it into a formula either. Numbers are left as numbers."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (
                    isinstance(value, str) and value[:1] in FORMULA_TRIGGERS
                ):
                    if not isinstance(value, str):  # ArrayFormula & co.: keep their text only
                        value = str(getattr(value, "text", value))
                    cell.value = value
                    cell.data_type = "s"
                    cell.quotePrefix = True


# ── atomic writes ───────────────────────────────────────────────────────────


# Hand-reviewed continuity maps (``textkit review apply``) end in this; nothing else may write them.
REVIEWED_SUFFIX = ".reviewed.csv"


@contextlib.contextmanager
def atomic_path(path: str | Path, *, reviewed_ok: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    Refuses to replace a reviewed map (``*.reviewed.csv``) unless ``reviewed_ok``: staff decisions
    are only ever changed by ``textkit review apply``, which keeps the earlier version.
    """
    target = Path(path)
    if target.name.endswith(REVIEWED_SUFFIX) and target.exists() and not reviewed_ok:
        raise ReviewError(
            "is a reviewed map (decisions checked by staff) and is never overwritten; write the "
            "output to another file (change decisions with 'textkit review apply')",
            path=str(target),
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        # The writer's process id is in the name, so a later run can tell a temporary file left
        # by a killed run (kill -9, power cut) from one being written right now.
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise OutputError(
            f"cannot write: {os_error_message(exc, where='')}", path=str(target)
        ) from None
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); give it the permissions any new file would get.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# A temporary file without a process id in its name (written before ids were added) is stale
# when untouched this long: no textkit write takes an hour.
STALE_TEMPORARY_SECONDS = 3600


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete ``.NAME.<pid>.XXXX.tmp`` files beside ``target`` whose writing process is gone (a
    run killed mid-write leaves them); returns what was removed."""
    import glob
    import time

    removed = []
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        head = tmp.name[len(target.name) + 2 :].split(".", 1)[0]
        try:
            if head.isdigit():
                if int(head) == os.getpid() or _alive(int(head)):
                    continue
            elif time.time() - tmp.stat().st_mtime < STALE_TEMPORARY_SECONDS:
                continue
            tmp.unlink()
            removed.append(tmp)
        except OSError:  # gone already, or not ours to remove
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or not a pid: leave the file alone
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str, *, reviewed_ok: bool = False) -> None:
    with atomic_path(path, reviewed_ok=reviewed_ok) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


# Workbooks carry this as created/modified time so that same content → same bytes.
WORKBOOK_TIME = datetime.datetime(2000, 1, 1)


def save_workbook(wb: Any, path: str | Path) -> None:
    """Save an openpyxl workbook atomically and reproducibly: the same content gives the same
    bytes (openpyxl's ``save`` stamps the clock into docProps and into every zip entry)."""
    from openpyxl.writer.excel import ExcelWriter

    cells_as_text(wb)
    wb.properties.created = wb.properties.modified = WORKBOOK_TIME
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    write_bytes(path, out.getvalue())


# ── reading ─────────────────────────────────────────────────────────────────


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "\n".join(_cell(v) for v in value)
    return str(value)


class Row(dict[str, str]):
    """One row of a table: its cells by header name, and ``number``, the row as the file shows it
    to the person who must find it — the sheet's own row number in Excel (title rows, a two-row
    header and empty rows above it counted), the record's row for CSV (as Excel numbers it when it
    opens the file; a cell over several lines is one row). 0 when the reader has no such number
    (JSON)."""

    __slots__ = ("number",)

    def __init__(self, cells: Any = (), number: int = 0) -> None:
        super().__init__(cells)
        self.number = number


def renamed(row: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    """``row`` with headers renamed (施策名 → title); a ``Row`` keeps its number."""
    cells = {names.get(k, k): v for k, v in row.items()}
    return Row(cells, row.number) if isinstance(row, Row) else cells


def row_number(row: dict[str, str], counted: int) -> int:
    """The row number to name in a message: the file's own (``Row.number``), else ``counted``
    (the caller's count, header = row 1)."""
    return getattr(row, "number", 0) or counted


@dataclass(frozen=True)
class Table:
    """Rows of a table file as dicts of strings, and warnings about what may be missing."""

    rows: list[dict[str, str]]
    warnings: tuple[str, ...] = ()


def read_rows(path: str | Path) -> list[dict[str, str]]:
    """Rows of a CSV/TSV/XLSX/JSON table as dicts of strings (header row gives the keys).
    Warnings (``read_table``) are also issued as ``TextkitWarning``."""
    table = read_table(path)
    for w in table.warnings:
        warnings.warn(TextkitWarning(w), stacklevel=2)
    return table.rows


def read_table(path: str | Path) -> Table:
    """``read_rows`` with its warnings returned instead of issued."""
    p = check_file(path)
    suffix = p.suffix.lower()
    notes: tuple[str, ...] = ()
    if suffix in (".csv", ".tsv"):
        text = decode_text(p.read_bytes(), str(p))
        rows, notes = _read_csv(text, "\t" if suffix == ".tsv" else ",", str(p))
    elif suffix == ".xlsx":
        rows, notes = _read_xlsx(p)
    elif suffix == ".json":
        rows = _read_json(p)
    else:
        raise FormatError(f"unknown table format '{suffix}'; use .csv, .xlsx or .json", path=str(p))
    rows = [r for r in rows if any(v.strip() for v in r.values())]
    return Table(rows, tuple(f"{p}: {n}" for n in notes))


def _read_csv(text: str, delimiter: str, path: str) -> tuple[list[dict[str, str]], tuple[str, ...]]:
    """Strict RFC 4180: a stray quote is an error with its line, not rows silently swallowed."""
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_error(str(exc), start, reader.line_num, path) from None
    if not records or not any(c.strip() for c in records[0][1]):
        raise EmptyDocumentError("the table has no header row", path=path)
    header = [restore(h.strip()) for h in records[0][1]]
    rows: list[dict[str, str]] = []
    for number, (_, record) in enumerate(records[1:], start=2):
        row = Row({h: restore(v) for h, v in zip(header, record, strict=False)}, number)
        if len(record) > len(header):  # as csv.DictReader did: extra cells under an empty name
            row[""] = "\n".join(record[len(header) :])
        rows.append(row)
    notes: tuple[str, ...] = ()
    last_line, last = records[-1]
    # Every spreadsheet and csv writer ends the file with a line break; a last row without one
    # that stops short (cells missing, or the last one empty after its comma) was cut off.
    short = len(last) < len(header) or (len(last) == len(header) and not last[-1])
    filled = sum(1 for c in last if c.strip())
    if len(records) > 1 and not text.endswith(("\n", "\r")) and short and filled:
        notes = (
            f"the last row (line {last_line}) has {filled} of {len(header)} cells filled and "
            "the file does not end with a line break: the file looks cut off; export it again",
        )
    return rows, notes


def _csv_error(message: str, start: int, line: int, path: str) -> FormatError:
    if "field larger than field limit" in message:
        return FormatError(
            f"line {start}: a cell is longer than {MAX_CELL_CHARS:,} characters, more than "
            "textkit reads (a stray quote can also make one cell of the rest of the file)",
            path=path,
        )
    if "unexpected end of data" in message:
        return FormatError(
            f'line {start}: a quote (") opened in this row is never closed, so the rest of the '
            'file would be one cell; remove the stray " or close the quote (the file may also '
            "be cut off)",
            path=path,
        )
    return FormatError(
        f'line {start}: a stray quote (") — the row starting here cannot be read past line '
        f'{line} ({message}); remove the stray " or put the whole cell in quotes, doubling '
        'the quotes inside it ("")',
        path=path,
    )


def check_workbook(p: Path) -> None:
    """Refuse a file that is not a zip, or whose members unpack to more than
    ``MAX_WORKBOOK_UNPACKED`` (a zip bomb), before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(p) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FormatError(
            "is not an Excel workbook (.xlsx); open it in Excel and save it as "
            "'Excel Workbook (*.xlsx)' or export CSV",
            path=str(p),
        ) from None
    if unpacked > MAX_WORKBOOK_UNPACKED:
        raise FormatError(
            f"the workbook unpacks to {unpacked / 2**20:,.0f} MB, more than the "
            f"{MAX_WORKBOOK_UNPACKED // 2**20} MB textkit reads (a zip bomb, or far more than a "
            "strategy's tables); export the sheet you need as CSV",
            path=str(p),
        )


@functools.cache
def _column_names() -> dict[str, dict[str, list[str]]]:
    """data/columns.toml: per table kind (measure, kpi, results), contract column → the headers
    staff write for it. The one place column names are read from."""
    from importlib import resources

    from ._compat import tomllib

    text = resources.files("textkit.data").joinpath("columns.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def accepted_headers(kind: str) -> dict[str, list[str]]:
    """Contract column → the other headers read as it (data/columns.toml), for ``kind``."""
    return {column: list(headers) for column, headers in _column_names()[kind].items()}


@functools.cache
def _known_headers() -> frozenset[str]:
    """Every column name textkit reads in a table (the contract's and the headers staff write,
    data/columns.toml), folded as headers are matched."""
    names = {
        name
        for kind in _column_names().values()
        for column, aliases in kind.items()
        for name in (column, *aliases)
    }
    return frozenset(_fold(n) for n in names)


def _table_kind(values: Sequence[tuple]) -> int:
    """How much a sheet looks like a table textkit reads: 2 when its header row (or the row under
    it, a two-level header) names a column textkit knows (施策名, 指標名, 目標値 …), 1 when some row
    has two or more filled cells (a table of other columns, or a cover sheet of label | value
    pairs: 作成日 | 令和7年3月), 0 when none has (a cover sheet of one line per cell)."""
    grid = [list(row) for row in values]
    if not any(_filled(row) >= 2 for row in grid):
        return 0
    start = _header_row(grid)
    named = {_fold(_cell(c)) for row in grid[start : start + 2] for c in row if _cell(c).strip()}
    return 2 if named & _known_headers() else 1


def _read_xlsx(p: Path) -> tuple[list[dict[str, str]], tuple[str, ...]]:
    """The rows of a workbook's table and notes on its other sheets. The table is on the first
    visible sheet whose header names a column textkit reads, else the first visible sheet holding
    a table (rows of several cells); a cover sheet (表紙) before it is passed over and hidden sheets
    (drop-down lists, textkit's own) are never read. Another visible sheet whose header names
    such columns is named in a note, since only one sheet is read."""
    import openpyxl

    check_workbook(p)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        try:
            every = [
                (i, ws.title, ws.sheet_state == "visible") for i, ws in enumerate(wb.worksheets)
            ]
            shown = [i for i, _, visible in every if visible] or [0]
            sheets = [
                (
                    i,
                    wb.worksheets[i].title,
                    [tuple(_shown(c) for c in row) for row in wb.worksheets[i].iter_rows()],
                )
                for i in shown
            ]
        finally:
            wb.close()
    except Exception:  # openpyxl raises whatever its XML and zip readers raise
        raise FormatError(
            "the Excel workbook is damaged or not a workbook; save it again from Excel",
            path=str(p),
        ) from None
    kinds = [_table_kind(values) for _, _, values in sheets]
    best = max(kinds)
    index, title, values = sheets[kinds.index(best)]
    notes: tuple[str, ...] = ()
    others = [f"'{t}'" for (i, t, _), k in zip(sheets, kinds, strict=True) if i != index and k == 2]
    if others:
        many = len(others) > 1
        notes = (
            f"textkit reads one sheet of a workbook, '{title}'; sheet{'s' if many else ''} "
            f"{', '.join(others)} also hold{'' if many else 's'} a table and "
            f"{'are' if many else 'is'} not read: put those rows on '{title}' or save each "
            "table as a file of its own",
        )
    if not values:
        raise EmptyDocumentError("the first sheet of the workbook is empty", path=str(p))
    if any(v is None for row in values for v in row):
        _refuse_uncomputed(p, values, index)
    spans = _merged_ranges(p, index)
    grid = _fill_merged([list(row) for row in values], spans)
    start = _header_row(grid)
    header = [_cell(h).strip() for h in grid[start]]
    if _is_sub_header(grid, start, spans):
        header = _two_level_header(header, [_cell(h).strip() for h in grid[start + 1]])
        start += 1
    else:  # a heading merged over two columns (目標値 over 450 | (R6)) names its first one
        for r0, r1, c0, c1 in spans:
            if r0 <= start <= r1 and c1 > c0:
                header[c0 + 1 : c1 + 1] = [""] * len(header[c0 + 1 : c1 + 1])
    # Below the header only merges down several rows are filled (a goal over its measures); a
    # band merged across one row (基本目標1 … over A:C) stays in its first cell, a row of its own.
    body = _fill_merged([list(row) for row in values], [s for s in spans if s[1] > s[0]])
    rows: list[dict[str, str]] = [
        Row({h: _cell(v) for h, v in zip(header, row, strict=False) if h}, number)
        for number, row in enumerate(body[start + 1 :], start=start + 2)  # Excel's row numbers
    ]
    return rows, notes


# How far down a title block above the header may reach (「第3期 … 施策一覧」, a date, a blank
# line): a table whose header is lower than this is no table textkit is meant to find.
_MAX_TITLE_ROWS = 10

# Rows looked at for the table's width (its widest row) when finding the header.
_WIDTH_ROWS = 50

Span = tuple[int, int, int, int]  # merged range: first row, last row, first col, last col (0-based)


def _merged_ranges(p: Path, sheet: int = 0) -> list[Span]:
    """The merged cell ranges of the sheet read (``sheet``: its index) (Excel users merge a goal over its measures' rows, a
    group heading over its columns, a title over the table). Read only when the file has any."""
    import openpyxl

    with zipfile.ZipFile(p) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        if not any(b"<mergeCell " in archive.read(n) for n in sheets):
            return []
    wb = openpyxl.load_workbook(p, data_only=True)
    try:
        return [
            (r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1)
            for r in wb.worksheets[sheet].merged_cells.ranges
        ]
    finally:
        wb.close()


def _fill_merged(grid: list[list[Any]], spans: Sequence[Span]) -> list[list[Any]]:
    """Every cell of a merged range holds its first cell's value, as Excel shows it: a goal
    merged over three measure rows is each row's goal (read-only openpyxl gives the first only)."""
    for r0, r1, c0, c1 in spans:
        if r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else None
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = value
    return grid


def _distinct(row: Sequence[Any]) -> set[str]:
    return {_cell(v).strip() for v in row if _cell(v).strip()}


def _filled(row: Sequence[Any]) -> int:
    return sum(1 for v in row if _cell(v).strip())


def _header_row(grid: Sequence[Sequence[Any]]) -> int:
    """The header row: the first holding two different names and at least half as many filled
    cells as the table's widest row (a header names its columns; a title block above it — 「第3期
    施策一覧」 beside 「令和7年3月」, a blank line — fills few). A table whose first rows all hold
    one value (one column) starts at its first row as before."""
    widest = max((_filled(row) for row in grid[:_WIDTH_ROWS]), default=0)
    for i, row in enumerate(grid[: _MAX_TITLE_ROWS + 1]):
        if len(_distinct(row)) >= 2 and 2 * _filled(row) >= widest:
            return i
    return 0


def _is_sub_header(grid: Sequence[Sequence[Any]], h: int, spans: Sequence[Span]) -> bool:
    """True when row ``h + 1`` names the columns that a heading of row ``h`` is merged over
    (基本目標 over 番号 / 基本目標名, 実績値 over R2 … R6): under each such heading its cells are
    filled, different and names, not data (35万人, (R1); a year such as 2022 or R5 is a name here)."""
    if h + 1 >= len(grid):
        return False
    groups = [s for s in spans if s[0] <= h <= s[1] and s[1] == h and s[3] > s[2]]
    if not groups:
        return False
    below = grid[h + 1]
    for _, _, c0, c1 in groups:
        cells = [_cell(below[c]).strip() if c < len(below) else "" for c in range(c0, c1 + 1)]
        if not all(cells) or len(set(cells)) < len(cells):
            return False
        if any(_data_like(c) for c in cells):
            return False
    return True


# A year as a column name (2022, 2023年度, R5, 令和4年度, H30): a name in a header row, not data.
_YEAR_NAME = re.compile(r"(?:(?:19|20)\d{2}|[RH]\d{1,2}|(?:令和|平成)(?:\d{1,2}|元))(?:年度?)?")
# What a value starts with: a sign (△ ▲ − for negatives, ± for none), 約, a digit.
_VALUE_START = re.compile(r"[△▲+\-−±]?(?:約)?\d")


def _data_like(text: str) -> bool:
    """A cell that reads as data, not a column name: a figure (412, 38.5, 1,200, 35万人, △12) or a
    bracketed qualifier such as a year ((R1), （H30）) — a year by itself (2022, R5) is a name."""
    plain = unicodedata.normalize("NFKC", text).strip().upper()
    if _YEAR_NAME.fullmatch(plain):
        return False
    if plain.startswith("(") and plain.endswith(")"):
        return True
    return bool(_VALUE_START.match(plain))


def _two_level_header(upper: Sequence[str], lower: Sequence[str]) -> list[str]:
    """One name per column from a group row and the row below it: the lower name, or the upper
    where the lower is empty or the same cell merged down; a lower name that several groups
    share (番号 under 基本目標 and under 施策) gets its group's name before it (施策番号)."""
    width = max(len(upper), len(lower))
    up = list(upper) + [""] * (width - len(upper))
    low = list(lower) + [""] * (width - len(lower))
    names = [lo if lo and lo != u else u for u, lo in zip(up, low, strict=True)]
    repeated = {n for n in names if n and names.count(n) > 1}
    return [
        f"{u}{n}" if n in repeated and u and u != n else n for u, n in zip(up, names, strict=True)
    ]


# Quoted text ("%") and escaped characters (\\%) in a number format are printed as they are.
_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.')
_FORMAT_DECIMALS = re.compile(r"\.([0#?]+)")


def _shown(cell: Any) -> Any:
    """A cell's value; a number formatted as a percent (0.0%) as Excel shows it ("49.0%"), not
    the fraction it stores (0.49), so that the unit read from it is a percentage."""
    value = cell.value
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    section = _FORMAT_LITERAL.sub("", str(getattr(cell, "number_format", "") or "").split(";")[0])
    if "%" not in section:
        return value
    m = _FORMAT_DECIMALS.search(section)
    return f"{value * 100:.{len(m.group(1)) if m else 0}f}%"


def _refuse_uncomputed(p: Path, values: list[tuple], sheet: int = 0) -> None:
    """Formula cells saved without their results (openpyxl and other scripts write them so) read
    as empty: say so instead of reporting empty titles."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    with zipfile.ZipFile(p) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        if not any(b"<f" in archive.read(n) for n in sheets):
            return
    wb = openpyxl.load_workbook(p, read_only=True, data_only=False)
    try:
        formulas = wb.worksheets[sheet].iter_rows(values_only=True)
        empty = [
            f"{get_column_letter(c)}{r}"
            for r, (cached, written) in enumerate(zip(values, formulas, strict=False), start=1)
            for c, (v, f) in enumerate(zip(cached, written, strict=False), start=1)
            if v is None and isinstance(f, str) and f.startswith("=")
        ]
    finally:
        wb.close()
    if empty:
        raise FormatError(
            f"the workbook has uncomputed formulas: {plural(len(empty), 'cell')} ({', '.join(empty[:3])}"
            f"{' …' if len(empty) > 3 else ''}) hold a formula without a saved result; open it "
            "in Excel or LibreOffice, let it calculate and save it, or paste the cells as values",
            path=str(p),
        )


def _read_json(p: Path) -> list[dict[str, str]]:
    try:
        data = json.loads(decode_text(p.read_bytes(), str(p)))
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno})", path=str(p)
        ) from None
    except RecursionError:
        raise FormatError(
            "the JSON nests lists or objects too deeply to read (thousands of levels); a table "
            "is a list of objects, one per row",
            path=str(p),
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise FormatError(f"is not valid JSON ({exc})", path=str(p)) from None
    if isinstance(data, dict):
        for key in ("measures", "kpis", "links", "rows", "changes", "counterparts"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FormatError("the JSON must be a list of objects, one per row", path=str(p))
    try:
        return [{str(k): _cell(v) for k, v in r.items()} for r in data]
    except RecursionError:
        raise FormatError(
            "a cell of the JSON nests lists too deeply to read; give each cell as text",
            path=str(p),
        ) from None


def _fold(text: str) -> str:
    """A header as columns.toml matches it: widths folded, spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def require_columns(
    rows: Sequence[Mapping[str, str]],
    columns: Iterable[str],
    path: str,
    also: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Refuse a table without ``columns``, naming the first missing one and (``also``) the other
    headers read as it (基準値 / 現状値 for baseline_raw)."""
    workbook = path.lower().endswith((".xlsx", ".xlsm"))
    if not rows:
        where = " (textkit reads the first sheet of a workbook that holds a table: put it there)"
        raise EmptyDocumentError(f"the table has no rows{where if workbook else ''}", path=path)
    present = set().union(*(r.keys() for r in rows))
    missing = [c for c in columns if c not in present]
    if missing:
        named = sorted(h for h in present if h.strip())
        todo = "add it to the header row"
        names = {*columns, *(n for ns in (also or {}).values() for n in ns)}
        below = {_fold(v) for v in rows[0].values()}
        # one heading (「第3期 … 施策一覧」), or header names (番号, 概要 …) in the first row read: a
        # title block above the header was taken as the header
        if len(named) <= 1 or any(_fold(n) in below for n in names):
            sheet = " of its sheet" if workbook else ""
            todo = f"the header row must be the first row{sheet}: delete the title rows above it"
        others = [h for h in (also or {}).get(missing[0], ()) if h != missing[0]]
        alias = f" (or {' / '.join(others)})" if others else ""
        raise FormatError(
            f"the table has no '{missing[0]}' column{alias} (columns found: "
            f"{', '.join(named) or 'none'}); {todo}",
            path=path,
        )


# ── writing ─────────────────────────────────────────────────────────────────


def write_rows(
    path: str | Path,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    sheet_name: str = "Sheet1",
    reviewed_ok: bool = False,
    numeric: Collection[str] = (),
) -> Path:
    """Write rows to ``path``; the suffix picks CSV (UTF-8), XLSX or JSON. No cell is ever a
    formula (CSV: ``csv_cell``; XLSX: ``cells_as_text``); ``numeric`` names number columns."""
    target = Path(path)
    suffix = target.suffix.lower()
    rows = [
        {c: r.get(c, "") for c in columns} | {k: v for k, v in r.items() if k not in columns}
        for r in rows
    ]
    extra = [k for r in rows for k in r if k not in columns]
    all_columns = list(columns) + list(dict.fromkeys(extra))
    if suffix in (".csv", ".tsv"):
        text = csv_text(
            all_columns, rows, delimiter="\t" if suffix == ".tsv" else ",", numeric=numeric
        )
        write_text(target, text, reviewed_ok=reviewed_ok)
    elif suffix == ".json":
        write_text(target, json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet_name
        ws.append([xlsx_cell(c) for c in all_columns])
        for r in rows:
            ws.append([xlsx_cell(r.get(c, "")) for c in all_columns])
        ws.freeze_panes = "A2"
        save_workbook(wb, target)
    else:
        raise FormatError(
            f"cannot write '{suffix or '(no suffix)'}'; name the output .csv, .xlsx or .json",
            path=str(target),
        )
    return target


def csv_text(
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    delimiter: str = ",",
    *,
    numeric: Collection[str] = (),
) -> str:
    """Rows as CSV text (RFC 4180, header row, ``\n`` line ends), numbers written plainly and text
    neutralised against formulas (``csv_cell``); ``numeric`` names the number columns."""
    columns = list(columns)
    return csv_table(
        columns,
        ([r.get(c, "") for c in columns] for r in rows),
        delimiter,
        numeric=[c in numeric for c in columns],
    )


def csv_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    delimiter: str = ",",
    *,
    numeric: Sequence[bool] = (),
) -> str:
    """The one CSV writer: a header and rows of values (``csv_cell`` each; ``numeric[i]`` says
    column i is a number column)."""
    flags = list(numeric) + [False] * (len(columns) - len(numeric))
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    # The csv module quotes a cell holding "\n" but not one holding a lone "\r" (it only looks at
    # the line terminator), and every reader ends the row there: such rows are quoted in full.
    quoted = csv.writer(buf, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for r in ([str(c) for c in columns], *rows):
        cells = [csv_cell(v, numeric=f) for v, f in zip(r, flags, strict=False)]
        (quoted if any("\r" in c for c in cells) else writer).writerow(cells)
    return buf.getvalue()


# XML 1.0 cannot hold C0 control characters other than TAB, LF and CR (openpyxl refuses them).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What stands in a workbook cell for such a character: visible, and not silently dropped.
XML_REPLACEMENT = "\ufffd"


def xlsx_cell(v: Any) -> Any:
    """A value as a workbook cell takes it: lists one item per line, None empty, characters XML
    cannot hold replaced by U+FFFD (text stays text: ``cells_as_text`` runs when saving)."""
    if isinstance(v, (list, tuple)):
        v = "\n".join(str(x) for x in v)
    if v is None:
        return ""
    if isinstance(v, str):
        return _XML_ILLEGAL.sub(XML_REPLACEMENT, v)
    return v
