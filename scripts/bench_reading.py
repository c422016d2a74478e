"""Reading-order benchmark: phrase recall of PDF text against an approximate reference text.

In: PDFs with a reference text beside them (``<name>.pdf`` + ``<name>.converted.md``; by default
the two InDesign newsletters in ``../shared/real``, whose pages are set vertically (縦書き) with
horizontal captions). Out: per document and method, the share of the reference's phrases found
verbatim in the extracted text, printed and written to ``reports/bench_reading.md``.

A *phrase* is a stretch of the reference between punctuation, brackets, Markdown syntax or
whitespace, at least ``MIN_PHRASE`` characters long; each distinct phrase counts once. Both sides
are compared in NFKC form without whitespace (vertical presentation forms such as ︑ ︒ ﹁ fold to
、 。 「, full-width digits to ASCII), so what is measured is whether the characters of a phrase
come out contiguous and in order: text read in reverse segments, or columns read in the wrong
order, splits phrases. The reference is a third party's conversion (headings and tables
re-typed, photos described), so even a perfect reading finds less than 100 %; poppler's
``pdftotext`` (run when installed; textkit does not depend on it) is the anchor.

    .venv/bin/python scripts/bench_reading.py                # the newsletters in ../shared/real
    .venv/bin/python scripts/bench_reading.py a.pdf b.pdf    # others (a.converted.md beside a.pdf)
    .venv/bin/python scripts/bench_reading.py --missing      # ... and list textkit's missed phrases
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
if not REAL.is_dir():  # a worktree under /work/wt/<name>: the shared folder is two levels up
    REAL = ROOT.parent.parent / "shared" / "real"
NEWSLETTERS = ("otoineppu_kouhou_2022-02.pdf", "otoineppu_kouhou_2023-04.pdf")
# Word → Ghostscript (CubePDF) document whose headings are overprinted 2-4 times.
OVERPRINTED = "otoineppu_population_vision_2015.pdf"
# textkit's figures measured at earlier commits (same script, same references).
HISTORY = (
    ("b7bd3dc (before issue #11)", "49.4 % / 63.3 %", "42"),
    ("2e27867 (glyph dedupe, vertical columns top to bottom)", "50.6 % / 63.9 %", "0"),
)
# Shorter stretches (年度, 平成) occur everywhere and say nothing about reading order.
MIN_PHRASE = 4
_SPLIT = re.compile(
    r"[\s。、，,．.「」『』()（）\[\]【】〔〕［］｛｝{}<>＜＞〈〉《》・:：;；!！?？*#|\-—―‐~〜～/／\"'“”’…※★☆◆◇■□●○◎▼▲→←]+"
)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_SPACE = re.compile(r"\s+")


def canonical(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def phrases(reference: str) -> list[str]:
    """Distinct phrases of a Markdown reference text, in order of first appearance."""
    text = _LINK.sub(r"\1", reference)
    seen: dict[str, None] = {}
    for piece in _SPLIT.split(unicodedata.normalize("NFKC", text)):
        if len(piece) >= MIN_PHRASE:
            seen.setdefault(piece, None)
    return list(seen)


# A phrase of at least three characters (two of them letters, so not 0,000 or -61 -61) printed
# twice or more in a row: what overprint looks like once it reaches the text.
_REPEATED = re.compile(r"([^\s・.…]{3,}?)(?:[ \u3000]?\1)+")


def repeated_phrases(text: str) -> list[str]:
    return [
        m.group(0) for m in _REPEATED.finditer(text) if sum(ch.isalpha() for ch in m.group(1)) >= 2
    ]


def recall(hypothesis: str, wanted: list[str]) -> tuple[int, list[str]]:
    hyp = canonical(hypothesis)
    missing = [p for p in wanted if p not in hyp]
    return len(wanted) - len(missing), missing


def textkit_text(path: Path) -> str:
    from textkit.pdf import read_pdf

    return read_pdf(path).text


def pdfium_text(path: Path) -> str:
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(str(path)) as pdf:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def plumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def poppler_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def methods() -> dict[str, Callable[[Path], str]]:
    out: dict[str, Callable[[Path], str]] = {
        "textkit read_pdf": textkit_text,
        "pypdfium2 get_text_range()": pdfium_text,
        "pdfplumber extract_text()": plumber_text,
    }
    if shutil.which("pdftotext"):
        out["poppler pdftotext (anchor)"] = poppler_text
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", type=Path, nargs="*")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_reading.md")
    parser.add_argument("--missing", action="store_true", help="list the phrases textkit missed")
    args = parser.parse_args()
    pdfs = args.pdfs or [REAL / name for name in NEWSLETTERS]
    pdfs = [p for p in pdfs if p.with_suffix(".converted.md").is_file()]
    if not pdfs:
        print(f"no PDFs with a .converted.md reference (looked in {REAL}); nothing measured")
        return 0
    rows = []
    for pdf in pdfs:
        wanted = phrases(pdf.with_suffix(".converted.md").read_text(encoding="utf-8"))
        for name, fn in methods().items():
            found, missing = recall(fn(pdf), wanted)
            share = found / max(1, len(wanted))
            rows.append(f"| `{pdf.name}` | {name} | {found}/{len(wanted)} | {share:.1%} |")
            print(f"{pdf.name:36s} {name:28s} {found:4d}/{len(wanted)}  {share:6.1%}")
            if args.missing and name.startswith("textkit"):
                for phrase in missing:
                    print(f"    missing: {phrase}")
    overprint_rows = []
    vision = REAL / OVERPRINTED
    if vision.is_file() and not args.pdfs:
        for name, fn in methods().items():
            found_repeats = repeated_phrases(fn(vision))
            overprint_rows.append(f"| {name} | {len(found_repeats)} |")
            print(f"{OVERPRINTED:36s} {name:28s} {len(found_repeats):4d} repeated phrases")
    report = [
        "# Reading order: phrase recall",
        "",
        "Written by `scripts/bench_reading.py`. A phrase is a stretch of the reference text "
        f"(`<name>.converted.md`, a third party's approximate conversion) between punctuation, "
        f"brackets or whitespace, at least {MIN_PHRASE} characters; the figure is the share of "
        "distinct phrases found verbatim in each method's text (NFKC, whitespace removed). "
        "Goal for textkit: ≥ 95 %; poppler `pdftotext` is the anchor (not a dependency).",
        "",
        "| document | method | phrases found | recall |",
        "| --- | --- | ---: | ---: |",
        *rows,
        "",
    ]
    if overprint_rows:
        report += [
            f"## Overprint: `{OVERPRINTED}` (Word → Ghostscript, headings drawn 2-4 times)",
            "",
            "Phrases of 3+ characters (two of them letters) printed twice or more in a row "
            "(`人口ビジョンについて 人口ビジョンについて …`); goal 0.",
            "",
            "| method | repeated phrases |",
            "| --- | ---: |",
            *overprint_rows,
            "",
        ]
    report += [
        "## textkit at earlier commits",
        "",
        "| commit | phrase recall 2022-02 / 2023-04 | repeated phrases (人口ビジョン) |",
        "| --- | --- | ---: |",
        *(f"| {c} | {r} | {o} |" for c, r, o in HISTORY),
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(report), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
