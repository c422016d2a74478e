"""``python -m tools.render_corpus``: render the corpus PDFs; ``--verify`` re-reads them."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from . import CORPORA, EXPECTED
from . import __doc__ as _doc
from .deck import OP_COLS, SM, build_tomakomai
from .layout import normalise_truth, register_fonts
from .report import RUNNING_HEADER, build_otaru


# --------------------------------------------------------------------------------------------
# verification (optional)
# --------------------------------------------------------------------------------------------
def _strip_furniture(lines: list[str]) -> list[str]:
    """Drop running header and page numbers (not part of the expected text)."""
    return [
        ln
        for ln in lines
        if ln.strip() != RUNNING_HEADER and not re.fullmatch(r"(- )?\d+( -)?", ln.strip())
    ]


def verify(names: list[str]) -> int:
    """Re-read the PDFs; print page counts, sizes and character error rates; return #problems."""
    import pdfplumber
    import pypdfium2

    try:
        from rapidfuzz.distance import Levenshtein
    except ImportError:  # pragma: no cover
        Levenshtein = None

    def flat(s: str) -> str:
        return re.sub(r"\s+", "", normalise_truth(s))

    problems = 0
    for name in names:
        path = CORPORA / f"{name}.pdf"
        truth_pages = {}
        base = name.removesuffix("_x10")
        jl = EXPECTED / f"{base}.pages.jsonl"
        if jl.exists():
            for ln in jl.read_text(encoding="utf-8").splitlines():
                o = json.loads(ln)
                truth_pages[o["page"]] = o["text"]
        doc = pypdfium2.PdfDocument(path)
        n = len(doc)
        got = [doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(n)]
        doc.close()
        msg = f"{name}.pdf: {n} pages, {path.stat().st_size / 1e6:.2f} MB"
        if truth_pages and Levenshtein:
            d = t = 0
            per = max(truth_pages) if base != name else n + 1  # x10: base pages repeat
            for i, g in enumerate(got, 1):
                e = flat(truth_pages.get((i - 1) % per + 1, ""))
                d += Levenshtein.distance(flat("".join(_strip_furniture(g.split("\n")))), e)
                t += len(e)
            msg += f", pypdfium2 CER vs expected (whitespace ignored) {d / max(t, 1):.4f}"
            problems += d > 0.01 * t
        print(msg)
        if "x10" in name:
            continue
        with pdfplumber.open(path) as pdf:
            raw = [pg.extract_text() for pg in pdf.pages]
            ded = [pg.dedupe_chars().extract_text() for pg in pdf.pages]
        all_ded = "\n".join(ded)
        cid = len(re.findall(r"\(cid:\d+\)", all_ded))
        singles = sum(1 for ln in all_ded.split("\n") if len(ln.strip()) == 1)
        print(
            f"  pdfplumber: (cid:) codes {cid}, one-character lines {singles}, "
            f"KANGXI LONG present {chr(0x2FA7) in all_ded}"
        )
        problems += cid > 0
        if name.startswith("tomakomai"):
            doubled = [ln for ln in "\n".join(raw).split("\n") if "２２" in ln or "仕仕事事" in ln]
            print(f"  doubled headings without dedupe, e.g. {doubled[:2]}")
            label = pdf_label_words(path)
            print(f"  vertical labels (extract_words ttb on the label column): {label}")
            problems += chr(0x2FA7) not in all_ded or not doubled
    return problems


def pdf_label_words(path: Path) -> list[str]:
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for i in (2, 3):
            pg = pdf.pages[i]
            crop = pg.crop((SM, 0, SM + OP_COLS[0], pg.height))
            out += [
                w["text"]
                for w in crop.extract_words(line_dir="rtl", char_dir="ttb")
                if len(w["text"]) > 2
            ]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=(_doc or "").split("\n")[0])
    ap.add_argument(
        "--pages-min",
        type=int,
        default=100,
        help="the benchmark copy has at least this many pages (default 100)",
    )
    ap.add_argument(
        "--copies", type=int, default=10, help="copies in the benchmark PDF (default 10)"
    )
    ap.add_argument("--no-x10", action="store_true", help="skip the benchmark PDF")
    ap.add_argument("--verify", action="store_true", help="re-read the PDFs afterwards")
    args = ap.parse_args(argv)
    register_fonts()
    info_o = build_otaru(
        CORPORA / "otaru_2nd_strategy.pdf",
        None if args.no_x10 else CORPORA / "otaru_2nd_strategy_x10.pdf",
        args.pages_min,
        args.copies,
    )
    info_t = build_tomakomai(CORPORA / "tomakomai_3rd_deck.pdf")
    print(json.dumps({"otaru": info_o, "tomakomai": info_t}, ensure_ascii=False, indent=1))
    if args.verify:
        names = ["otaru_2nd_strategy", "tomakomai_3rd_deck"]
        if not args.no_x10:
            names.append("otaru_2nd_strategy_x10")
        return 1 if verify(names) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
