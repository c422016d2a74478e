"""Shared fixtures: paths to the bundled corpus and small broken files made on the fly."""

from __future__ import annotations

import io
import multiprocessing.resource_tracker
import os
import time
from pathlib import Path

import psutil
import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEEDS = ROOT.parent / "shared" / "seeds"
TOMAKOMAI_TXT = CORPORA / "tomakomai_3rd_deck_2024.txt"
OTARU_MD = CORPORA / "otaru_2nd_strategy.md"
TOMAKOMAI_PDF = CORPORA / "tomakomai_3rd_deck.pdf"
OTARU_PDF = CORPORA / "otaru_2nd_strategy.pdf"
# The two measure tables the cross-city tests (compare, themes) share.
COMPARE_CASES = ROOT / "tests" / "cases" / "compare"
OTARU_2ND_MEASURES = COMPARE_CASES / "otaru_2nd_measures.csv"
TOMAKOMAI_3RD_MEASURES = COMPARE_CASES / "tomakomai_3rd_measures.csv"
# Hypothesis: no per-example deadline anywhere (a time limit fails at random on a loaded 2-core
# CI machine: 379 ms for an example that takes 1 ms), and under CI=true the same examples on every
# run, so a CI result does not depend on the seed. Tests may still set their own settings.
settings.register_profile("textkit", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "textkit")
# How long a test module's child processes get to exit after its fixtures are torn down.
CHILD_EXIT_S = 10.0


@pytest.fixture(scope="module", autouse=True)
def stops_what_it_starts():
    """Every test module stops the processes it starts (Dask workers, Chromium, subprocesses):
    after its fixtures are torn down, no child process of pytest it started is left. Python's
    multiprocessing resource tracker, which a process pool starts and keeps for the life of the
    interpreter, is stopped here."""
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    yield
    multiprocessing.resource_tracker._resource_tracker._stop()
    deadline = time.monotonic() + CHILD_EXIT_S
    left = [p for p in me.children(recursive=True) if p.pid not in before]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [p for p in left if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not left, "processes left running: " + "; ".join(
        f"{p.pid} {' '.join(p.cmdline())[:120]}" for p in left
    )


def draw_ruled_table(canvas, columns, top: float, rows, height: float = 24) -> None:
    """A ruled table on a reportlab canvas, as office software prints one: a rule above each row
    and below the last, one down each x of ``columns`` (its left edge, the column edges and its
    right edge), each cell's text 4 pt right of its column's rule."""
    for r, row in enumerate(rows):
        y = top - height * r
        canvas.line(columns[0], y, columns[-1], y)
        for x, cell in zip(columns, row, strict=False):
            canvas.drawString(x + 4, y - 16, cell)
    bottom = top - height * len(rows)
    canvas.line(columns[0], bottom, columns[-1], bottom)
    for x in columns:
        canvas.line(x, top, x, bottom)


def _pdf_bytes(draw, **canvas_kwargs) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, **canvas_kwargs)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def text_pdf(tmp_path: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))

    def draw(c):
        c.setFont("HeiseiKakuGo-W5", 12)
        c.drawString(72, 700, "基本目標1 しごとをつくる")

    p = tmp_path / "ok.pdf"
    p.write_bytes(_pdf_bytes(draw))
    return p


@pytest.fixture
def encrypted_pdf(tmp_path: Path) -> Path:
    def draw(c):
        c.drawString(72, 700, "secret")

    p = tmp_path / "locked.pdf"
    p.write_bytes(_pdf_bytes(draw, encrypt="pass1234"))
    return p


@pytest.fixture
def scanned_pdf(tmp_path: Path) -> Path:
    from PIL import Image

    img = tmp_path / "scan.png"
    Image.new("RGB", (200, 100), "white").save(img)

    def draw(c):
        c.drawImage(str(img), 72, 600, width=400, height=200)

    p = tmp_path / "scanned.pdf"
    p.write_bytes(_pdf_bytes(draw))
    return p


@pytest.fixture
def truncated_pdf(text_pdf: Path, tmp_path: Path) -> Path:
    data = text_pdf.read_bytes()
    p = tmp_path / "truncated.pdf"
    p.write_bytes(data[: len(data) // 3])
    return p
