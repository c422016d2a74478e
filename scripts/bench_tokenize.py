"""Benchmark tokenising: textkit ``analyze_many`` against raw SudachiPy reading the same fields.

In: the bundled documents' measures (title, description, items), repeated to ``--chars`` characters.
Out: seconds per method on one thread (best of ``--repeat`` interleaved rounds: the machine is
shared, the minimum is the least noisy figure), the ratio raw / textkit, printed and written to
``reports/bench_tokenize.md``.  Raw SudachiPy is the floor textkit cannot go under: tokenize each
text and read every morpheme's ``normalized_form``, ``part_of_speech`` and ``synonym_group_ids``
(what textkit needs); textkit adds character folding, stop words and the content-word filter.

    .venv/bin/python scripts/bench_tokenize.py
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from textkit import tokenize
from textkit.normalize import normalize_chars
from textkit.sources import parse

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("corpora/otaru_2nd_strategy.md", "corpora/tomakomai_3rd_deck_2024.txt")


def corpus_texts(chars: int) -> list[str]:
    texts = [
        "\n".join([m.title, m.text, *m.items]) for doc in DOCS for m in parse(ROOT / doc).measures
    ]
    out: list[str] = []
    while sum(map(len, out)) < chars:
        out.extend(texts)
    return out


def raw_sudachi(texts: list[str]) -> int:
    tok = tokenize._tokenizer("C")
    n = 0
    for text in texts:
        for m in tok.tokenize(text):
            m.normalized_form()
            m.part_of_speech()
            m.synonym_group_ids()
            n += 1
    return n


def textkit_analyze(texts: list[str]) -> int:
    return sum(len(a.tokens) for a in tokenize.analyze_many(texts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=219_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_tokenize.md")
    args = ap.parse_args()

    texts = corpus_texts(args.chars)
    chars = sum(map(len, texts))
    tokenize.stopwords()  # dictionary and stop words loaded before timing
    tokenize._PARALLEL_MIN = 10**9  # one thread: the figure is per core
    raw_input = [normalize_chars(t) for t in texts]  # raw Sudachi gets text already folded
    best = {"raw SudachiPy": float("inf"), "textkit analyze_many": float("inf")}
    for _ in range(args.repeat):
        for name, run, data in (
            ("raw SudachiPy", raw_sudachi, raw_input),
            ("textkit analyze_many", textkit_analyze, texts),
        ):
            t0 = time.perf_counter()
            run(data)
            best[name] = min(best[name], time.perf_counter() - t0)
    ratio = best["raw SudachiPy"] / best["textkit analyze_many"]
    import sudachipy

    lines = [
        "# Tokenising speed (scripts/bench_tokenize.py)",
        "",
        f"{chars:,} characters in {len(texts)} measure texts, one thread, best of {args.repeat} "
        f"interleaved rounds; Python {platform.python_version()}, SudachiPy {sudachipy.__version__} "
        "(sudachidict-core, mode C). Raw = tokenize + normalized_form + part_of_speech + "
        "synonym_group_ids per morpheme on pre-folded text; textkit also folds characters, filters "
        "content words and stop words.",
        "",
        "| method | seconds | characters/s |",
        "| --- | --- | --- |",
        *(f"| {k} | {v:.3f} | {chars / v:,.0f} |" for k, v in best.items()),
        "",
        f"textkit / raw speed: **{ratio:.2f}×** (goal ≥ 0.9× per core).",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
