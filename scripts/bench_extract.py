"""Benchmark PDF extraction speed: textkit ``read_pdf`` against raw pdfplumber and pypdfium2.

In: a (100+-page) PDF. Out: pages/second of each method and the ratios, printed and written to
``reports/bench_extract.md``. Each method reads the same pages from a fresh open; the best of
``--repeat`` runs is kept (the machine is shared, so the minimum is the least noisy figure).

    .venv/bin/python scripts/bench_extract.py corpora/otaru_2nd_strategy_x10.pdf
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from textkit.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent


def textkit_read(path: Path) -> int:
    return sum(len(p.text) for p in read_pdf(path).pages)


def plumber_extract_text(path: Path) -> int:
    with pdfplumber.open(str(path)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def plumber_dedupe_extract_text(path: Path) -> int:
    with pdfplumber.open(str(path)) as pdf:
        return sum(len(page.dedupe_chars().extract_text() or "") for page in pdf.pages)


def pdfium_text_range(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        total = 0
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            total += len(textpage.get_text_range())
            textpage.close()
            page.close()
        return total
    finally:
        pdf.close()


METHODS: dict[str, Callable[[Path], int]] = {
    "textkit read_pdf (full fidelity)": textkit_read,
    "pdfplumber extract_text()": plumber_extract_text,
    "pdfplumber dedupe_chars().extract_text()": plumber_dedupe_extract_text,
    "pypdfium2 get_text_range()": pdfium_text_range,
}


def measure(fn: Callable[[Path], int], path: Path, repeat: int) -> tuple[float, int]:
    best = float("inf")
    chars = 0
    for _ in range(repeat):
        start = time.perf_counter()
        chars = fn(path)
        best = min(best, time.perf_counter() - start)
    return best, chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "pdf", type=Path, nargs="?", default=ROOT / "corpora" / "otaru_2nd_strategy_x10.pdf"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of the fast methods")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_extract.md")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    with pdfium.PdfDocument(str(args.pdf)) as probe:
        n_pages = len(probe)
    read_pdf(args.pdf)  # warm imports and the font cache once, outside the timings
    rates: dict[str, float] = {}
    rows = []
    for name, fn in METHODS.items():
        # pdfplumber takes ~0.2-0.4 s a page: once is enough and its noise is small in relative terms.
        repeat = 1 if name.startswith("pdfplumber") else args.repeat
        seconds, chars = measure(fn, args.pdf, repeat)
        rates[name] = n_pages / seconds
        rows.append(f"| {name} | {seconds:.2f} | {rates[name]:.1f} | {chars:,} |")
        print(f"{name:45s} {seconds:7.2f} s {rates[name]:8.1f} pages/s  {chars:,} chars")
    ours = rates["textkit read_pdf (full fidelity)"]
    vs_plumber = ours / rates["pdfplumber extract_text()"]
    vs_dedupe = ours / rates["pdfplumber dedupe_chars().extract_text()"]
    vs_pdfium = ours / rates["pypdfium2 get_text_range()"]
    print(f"textkit / pdfplumber extract_text = {vs_plumber:.1f}x (goal >= 5x)")
    print(f"textkit / pdfplumber dedupe+extract_text = {vs_dedupe:.1f}x")
    print(f"textkit / pypdfium2 get_text_range = {vs_pdfium:.2f}x (the limit of this stack)")
    rel = (
        args.pdf.resolve().relative_to(ROOT)
        if args.pdf.resolve().is_relative_to(ROOT)
        else args.pdf
    )
    report = [
        "# PDF extraction speed",
        "",
        f"Document: `{rel}` ({n_pages} pages). Machine: {platform.machine()}, "
        f"Python {platform.python_version()}, load average {load:.1f} on {os.cpu_count()} "
        "cores when the run started (other work on the machine slows every method alike). "
        "Written by `scripts/bench_extract.py`; "
        f"best of {args.repeat} runs for textkit and pypdfium2, one run for pdfplumber.",
        "",
        "| method | seconds | pages/s | characters out |",
        "| --- | ---: | ---: | ---: |",
        *rows,
        "",
        f"- textkit / pdfplumber `extract_text()`: **{vs_plumber:.1f}×** (goal ≥ 5×)",
        f"- textkit / pdfplumber `dedupe_chars().extract_text()`: {vs_dedupe:.1f}×",
        f"- textkit / pypdfium2 `get_text_range()`: {vs_pdfium:.2f}× (raw pypdfium2 text is the "
        "ceiling: no reading order, tables, header removal or vertical labels)",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(report), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
