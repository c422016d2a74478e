"""Tabular files in and out: CSV (UTF-8, UTF-8 BOM, CP932), XLSX (first sheet) and JSON.

``read_rows(path) -> list[dict[str, str]]`` and ``write_rows(path, columns, rows)``; every write is
atomic (temporary file + rename) so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import EmptyDocumentError, FormatError, ReviewError
from .extract import check_file, decode_text

TABLE_FORMATS = (".csv", ".tsv", ".xlsx", ".json")


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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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


def read_rows(path: str | Path) -> list[dict[str, str]]:
    """Rows of a CSV/TSV/XLSX/JSON table as dicts of strings (header row gives the keys)."""
    p = check_file(path)
    suffix = p.suffix.lower()
    if suffix in (".csv", ".tsv"):
        text = decode_text(p.read_bytes(), str(p))
        delimiter = "\t" if suffix == ".tsv" else ","
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        if not reader.fieldnames:
            raise EmptyDocumentError("the table has no header row", path=str(p))
        rows = [{(k or "").strip(): _cell(v) for k, v in row.items()} for row in reader]
    elif suffix == ".xlsx":
        rows = _read_xlsx(p)
    elif suffix == ".json":
        rows = _read_json(p)
    else:
        raise FormatError(f"unknown table format '{suffix}'; use .csv, .xlsx or .json", path=str(p))
    rows = [r for r in rows if any(v.strip() for v in r.values())]
    return rows


def _read_xlsx(p: Path) -> list[dict[str, str]]:
    import openpyxl

    if not zipfile.is_zipfile(p):
        raise FormatError(
            "is not an Excel workbook (.xlsx); open it in Excel and save it as "
            "'Excel Workbook (*.xlsx)' or export CSV",
            path=str(p),
        )
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception:
        raise FormatError(
            "the Excel workbook is damaged or not a workbook; save it again from Excel",
            path=str(p),
        ) from None
    try:
        ws = wb.worksheets[0]
        values = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    if not values:
        raise EmptyDocumentError("the first sheet of the workbook is empty", path=str(p))
    header = [_cell(h).strip() for h in values[0]]
    return [{h: _cell(v) for h, v in zip(header, row, strict=False) if h} for row in values[1:]]


def _read_json(p: Path) -> list[dict[str, str]]:
    try:
        data = json.loads(decode_text(p.read_bytes(), str(p)))
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno})", path=str(p)
        ) from None
    if isinstance(data, dict):
        for key in ("measures", "kpis", "links", "rows", "changes", "counterparts"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FormatError("the JSON must be a list of objects, one per row", path=str(p))
    return [{str(k): _cell(v) for k, v in r.items()} for r in data]


def require_columns(rows: Sequence[Mapping[str, str]], columns: Iterable[str], path: str) -> None:
    if not rows:
        raise EmptyDocumentError("the table has no rows", path=path)
    present = set().union(*(r.keys() for r in rows))
    missing = [c for c in columns if c not in present]
    if missing:
        raise FormatError(
            f"the table has no '{missing[0]}' column (columns found: "
            f"{', '.join(sorted(present)) or 'none'}); add it to the header row",
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
) -> Path:
    """Write rows to ``path``; the suffix picks CSV (UTF-8), XLSX or JSON."""
    target = Path(path)
    suffix = target.suffix.lower()
    rows = [
        {c: r.get(c, "") for c in columns} | {k: v for k, v in r.items() if k not in columns}
        for r in rows
    ]
    extra = [k for r in rows for k in r if k not in columns]
    all_columns = list(columns) + list(dict.fromkeys(extra))
    if suffix in (".csv", ".tsv"):
        text = csv_text(all_columns, rows, delimiter="\t" if suffix == ".tsv" else ",")
        write_text(target, text, reviewed_ok=reviewed_ok)
    elif suffix == ".json":
        write_text(target, json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet_name
        ws.append(all_columns)
        for r in rows:
            ws.append([_xlsx_value(r.get(c, "")) for c in all_columns])
        ws.freeze_panes = "A2"
        save_workbook(wb, target)
    else:
        raise FormatError(
            f"cannot write '{suffix or '(no suffix)'}'; name the output .csv, .xlsx or .json",
            path=str(target),
        )
    return target


def csv_text(
    columns: Sequence[str], rows: Iterable[Mapping[str, Any]], delimiter: str = ","
) -> str:
    """Rows as CSV text (RFC 4180, header row, ``\n`` line ends), numbers written plainly."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(
        buf,
        fieldnames=list(columns),
        delimiter=delimiter,
        lineterminator="\n",
        extrasaction="ignore",
    )
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _csv_value(v) for k, v in r.items()})
    return buf.getvalue()


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".") if not v.is_integer() else str(int(v))
    if isinstance(v, (list, tuple)):
        return "\n".join(str(x) for x in v)
    return v


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return "\n".join(str(x) for x in v)
    if v is None:
        return ""
    return v
