"""Seeded damage for the fuzz suite (tests/test_fuzz.py) and its report (scripts/fuzz_report.py).

Every family takes a bundled input (the two rendered PDFs, a measure table, a KPI table, a text
document) and makes ``n`` damaged copies from one seed, so a run is reproducible. ``outcome`` runs a
reader on one copy and says which of the allowed results it gave:

* ``full``      the same measures as the undamaged input (titles may differ by a flipped glyph);
* ``warned``    fewer measures, or a page lost, and the result carries warnings that say so;
* ``refused``   a ``TextkitError`` whose message is one line (the CLI prints it and exits 2);

or which failure: ``silent`` (fewer measures or lost text and no warning), ``crash`` (any other
exception: a traceback for the user), ``multiline`` (an error message of several lines) or
``timeout`` (an unbounded run).
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import signal
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OTARU_PDF = ROOT / "corpora" / "otaru_2nd_strategy.pdf"
DECK_PDF = ROOT / "corpora" / "tomakomai_3rd_deck.pdf"
MEASURES_CSV = ROOT / "tests" / "cases" / "align" / "otaru" / "old.csv"
KPIS_CSV = ROOT / "tests" / "cases" / "kpi" / "otaru_2nd_kpis.csv"
TEXT_DOC = ROOT / "corpora" / "tomakomai_3rd_deck_2024.txt"

OK = ("full", "warned", "refused")
FAILED = ("silent", "crash", "multiline", "timeout", "misleading")
# A read that keeps less than this share of the undamaged text lost something.
TEXT_KEPT = 0.95
# Seconds one damaged input may take before the run counts as unbounded.
CASE_TIMEOUT = 30


@dataclass(frozen=True)
class Baseline:
    measures: int
    chars: int


@dataclass(frozen=True)
class Outcome:
    family: str
    case: str
    kind: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind in OK


# ── damage ──────────────────────────────────────────────────────────────────


def bit_flips(data: bytes, rng: random.Random, flips: int) -> bytes:
    b = bytearray(data)
    for _ in range(flips):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


_STREAM = re.compile(rb"stream\r?\n")


def stream_garbage(data: bytes, rng: random.Random, size: int = 64) -> bytes:
    """``size`` random bytes written over the middle of one stream (content, font or image)."""
    starts = [m.end() for m in _STREAM.finditer(data)]
    spans = []
    for s in starts:
        e = data.find(b"endstream", s)
        if e - s > size * 2:
            spans.append((s, e))
    s, e = rng.choice(spans)
    at = rng.randrange(s, e - size)
    return data[:at] + bytes(rng.randrange(256) for _ in range(size)) + data[at + size :]


def truncated(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) // 10, len(data) - 1)]


def table_damage(text: str, rng: random.Random) -> tuple[str, bytes]:
    """One of the ways a hand-edited table breaks: (what, file bytes)."""
    lines = text.splitlines(keepends=True)
    what = rng.choice(
        (
            "stray-quote",
            "truncate",
            "nul",
            "garbage",
            "huge-cell",
            "delete-comma",
            "cp932",
            "drop-header",
            "binary-head",
        )
    )
    if what == "stray-quote":
        n = rng.randrange(1, len(lines))
        cells = lines[n].split(",")
        k = rng.randrange(len(cells))
        cells[k] = '"' + cells[k].lstrip('"')
        lines[n] = ",".join(cells)
        return what, "".join(lines).encode()
    if what == "truncate":
        raw = text.encode()
        return what, raw[: rng.randrange(1, len(raw))]
    if what == "nul":
        raw = bytearray(text.encode())
        raw.insert(rng.randrange(len(raw)), 0)
        return what, bytes(raw)
    if what == "garbage":
        raw = bytearray(text.encode())
        at = rng.randrange(len(raw))
        raw[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        return what, bytes(raw)
    if what == "huge-cell":
        n = rng.randrange(1, len(lines))
        cells = lines[n].rstrip("\n").split(",")
        cells[-1] = '"' + "あ" * 140_000 + '"'
        lines[n] = ",".join(cells) + "\n"
        return what, "".join(lines).encode()
    if what == "delete-comma":
        n = rng.randrange(1, len(lines))
        lines[n] = lines[n].replace(",", "", 1)
        return what, "".join(lines).encode()
    if what == "cp932":
        return what, text.encode("cp932", "replace")
    if what == "drop-header":
        return what, "".join(lines[1:]).encode()
    return what, b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(200))


def nested_json(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bomb(member_mb: int = 200) -> bytes:
    """A workbook whose sheet inflates to ``member_mb`` MB (a few hundred kB on disk)."""
    base = xlsx_bytes([["id", "title"], ["M1", "移住"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                pad = b" " * (1 << 20)
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                # streamed: the bomb never sits in memory here
                with dst.open(member, "w", force_zip64=True) as f:
                    f.write(data.replace(b"</sheetData>", b""))
                    for _ in range(member_mb):
                        f.write(pad)
                    f.write(b"</sheetData></worksheet>")
                continue
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def formula_workbook() -> bytes:
    """Titles that are formulas saved without cached values (as openpyxl or a script writes)."""
    return xlsx_bytes([["id", "title"], ["M1", '=A2&"x"'], ["M2", '=CONCAT("移住","促進")']])


# ── running ─────────────────────────────────────────────────────────────────


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def stop(signum, frame):
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _size(result) -> tuple[int, int, tuple[str, ...]]:
    """(measures, characters, warnings) of a Strategy, a Document or a list of rows."""
    warned = tuple(getattr(result, "warnings", ()) or ())
    if hasattr(result, "measures"):
        chars = sum(len(m.title) + len(m.text) + sum(map(len, m.items)) for m in result.measures)
        return len(result.measures), chars, warned
    if hasattr(result, "pages"):
        return 0, sum(len(p.text) for p in result.pages), warned
    rows = list(result)
    return len(rows), sum(len(str(r)) for r in rows), warned


def outcome(
    family: str,
    case: str,
    run: Callable[[], object],
    baseline: Baseline | None,
    expect: str | None = None,
) -> Outcome:
    """``expect``: a pattern a refusal's message must contain (else the outcome is
    ``misleading``: refused, but for the wrong reason, e.g. a workbook called an encoding
    problem)."""
    from textkit.errors import TextkitError

    try:
        with time_limit(CASE_TIMEOUT), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run()
    except TimeoutError:
        return Outcome(family, case, "timeout")
    except TextkitError as exc:
        message = str(exc)
        if "\n" in message or "\r" in message:
            return Outcome(family, case, "multiline", message[:200])
        said = message.removeprefix(f"{exc.path}: ") if exc.path else message
        if expect and not re.search(expect, said):  # the message, not the file's name
            return Outcome(family, case, "misleading", message[-150:])
        return Outcome(family, case, "refused", message[:200])
    except Exception as exc:  # a traceback for the user
        return Outcome(family, case, "crash", f"{type(exc).__name__}: {str(exc)[:150]}")
    measures, chars, warned = _size(result)
    warned = warned or tuple(str(w.message) for w in caught)
    if baseline is None or (measures >= baseline.measures and chars >= TEXT_KEPT * baseline.chars):
        return Outcome(family, case, "warned" if warned else "full", "; ".join(warned)[:200])
    if warned:
        return Outcome(family, case, "warned", "; ".join(warned)[:200])
    return Outcome(
        family,
        case,
        "silent",
        f"{measures}/{baseline.measures} measures, {chars}/{baseline.chars} characters",
    )


def baseline_of(result) -> Baseline:
    measures, chars, _ = _size(result)
    return Baseline(measures, chars)


# ── the families ────────────────────────────────────────────────────────────


def pdf_cases(source: Path, n: int, seed: int, tmp: Path) -> Iterator[tuple[str, str, Path]]:
    """(family, case, path): bit flips, 64 garbage bytes in a stream, truncation."""
    data = source.read_bytes()
    rng = random.Random(seed)
    for i in range(n):
        kind = ("bitflip", "stream-garbage", "truncate")[i % 3]
        if kind == "bitflip":
            damaged = bit_flips(data, rng, rng.randint(1, 8))
        elif kind == "stream-garbage":
            damaged = stream_garbage(data, rng)
        else:
            damaged = truncated(data, rng)
        path = tmp / f"{source.stem}-{kind}-{i}.pdf"
        path.write_bytes(damaged)
        yield f"pdf {kind}", f"{source.name} #{i}", path


# What a refusal of a damaged table must talk about (else it misleads: a stray quote reported as
# "row 10 has an empty title", a NUL byte as an encoding problem).
TABLE_EXPECT = {"stray-quote": "quote|line", "nul": "NUL", "huge-cell": "longer|quote"}


def table_cases(
    source: Path, n: int, seed: int, tmp: Path
) -> Iterator[tuple[str, str, Path, str | None]]:
    text = source.read_text("utf-8")
    rng = random.Random(seed)
    for i in range(n):
        what, data = table_damage(text, rng)
        path = tmp / f"{source.stem}-{what}-{i}.csv"
        path.write_bytes(data)
        yield f"csv {what}", f"{source.name} #{i}", path, TABLE_EXPECT.get(what)


def special_cases(tmp: Path) -> Iterator[tuple[str, str, Path, str | None]]:
    """Hand-made hostile files, one of each kind the issue lists: (family, case, path, the
    pattern a refusal must name)."""
    (tmp / "deep.json").write_bytes(nested_json(100_000))
    yield "json nested", "100,000 levels", tmp / "deep.json", "nest"
    (tmp / "deep_obj.json").write_bytes(('{"a":' * 50_000 + "1" + "}" * 50_000).encode())
    yield "json nested", "50,000 objects", tmp / "deep_obj.json", "nest"
    (tmp / "renamed.csv").write_bytes(xlsx_bytes([["id", "title"], ["M1", "移住"]]))
    yield "xlsx renamed .csv", "renamed.csv", tmp / "renamed.csv", "workbook"
    (tmp / "renamed.json").write_bytes(xlsx_bytes([["id", "title"], ["M1", "移住"]]))
    yield "xlsx renamed .csv", "renamed.json", tmp / "renamed.json", "workbook"
    (tmp / "formulas.xlsx").write_bytes(formula_workbook())
    yield "xlsx formulas", "no cached values", tmp / "formulas.xlsx", "formula"
    (tmp / "bomb.xlsx").write_bytes(zip_bomb(300))
    yield "xlsx zip bomb", "300 MB sheet", tmp / "bomb.xlsx", "unpacks"
    good = xlsx_bytes([["id", "title"], ["M1", "移住"], ["M2", "観光"]])
    rng = random.Random(7)
    for i in range(6):
        (tmp / f"flip{i}.xlsx").write_bytes(bit_flips(good, rng, rng.randint(1, 6)))
        yield "xlsx bitflip", f"#{i}", tmp / f"flip{i}.xlsx", None
    (tmp / "nul.txt").write_bytes("基本目標1 しごと\n\x00施策1 移住\n".encode())
    yield "text nul", "nul.txt", tmp / "nul.txt", "binary"
    (tmp / "huge.csv").write_text("id,title,text\nM1,移住," + "あ" * 200_000 + "\n", "utf-8")
    yield "csv huge-cell", "200,000 characters", tmp / "huge.csv", None
    (tmp / "rows.json").write_text(json.dumps([{"id": "M1", "title": {"x": [1, 2]}}]), "utf-8")
    yield "json types", "object title", tmp / "rows.json", None
