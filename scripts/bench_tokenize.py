"""Benchmark tokenising: textkit ``analyze_many`` against raw SudachiPy reading the same fields.

In: two sets of texts. ``measures``: the bundled documents' measures (title, description, items),
repeated to ``--chars`` characters (the figure reported since session 1); ``distinct``: every text
block of the real PDFs in /work/shared/real read by textkit's reader plus each bundled measure once
(no text repeated: a word seen again is a word the prose repeats; skipped, saying so, when the
folder is absent). Out: CPU seconds per method on one thread and the ratio raw / textkit, printed
and written to ``reports/bench_tokenize.md``.

Raw SudachiPy is the floor: tokenize each text and read every morpheme's ``normalized_form``,
``part_of_speech`` and ``synonym_group_ids`` (what textkit needs); textkit adds character folding,
stop words and the content-word filter. ``before`` is textkit's implementation as of main 10326ff
(kept here as ``before_analyze``: the benchmark's before/after in one run, and the reference the
tests compare the current output with).

Method (the machine is shared: wall time swings with the load): CPU time (``time.process_time``)
of each method over blocks of ``BLOCK`` texts, the methods' order rotating per block, summed per
round; the round with the smallest raw time is reported, and the ratio is the median over rounds
of raw / method.

    .venv/bin/python -m scripts.bench_tokenize [--chars 219000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from textkit import tokenize
from textkit.normalize import normalize_chars
from textkit.sources import parse

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("corpora/otaru_2nd_strategy.md", "corpora/tomakomai_3rd_deck_2024.txt")
REAL = ROOT.parent.parent / "shared" / "real"
# Texts per timed block: long enough to time (≈ 5 ms), short enough that the load changes little
# within one block of every method.
BLOCK = 24
NOTES = "## Notes"


def measure_texts() -> list[str]:
    return [
        "\n".join([m.title, m.text, *m.items]) for doc in DOCS for m in parse(ROOT / doc).measures
    ]


def corpus_texts(chars: int) -> list[str]:
    texts = measure_texts()
    out: list[str] = []
    while sum(map(len, out)) < chars:
        out.extend(texts)
    return out


def distinct_texts(real: Path = REAL) -> list[str]:
    """Every block of the real PDFs (as textkit reads them) and every bundled measure, once."""
    from textkit.extract import read

    seen: dict[str, None] = {}
    for pdf in sorted(real.glob("*.pdf")):
        for page in read(pdf).pages:
            for block in page.blocks:
                if block.text.strip():
                    seen.setdefault(block.text)
    for text in measure_texts():
        seen.setdefault(text)
    return list(seen)


def before_normalize(text: str) -> str:
    """``normalize_chars`` as it was at main 10326ff (the acronym pattern run on every text)."""
    from textkit import normalize as n

    if not text:
        return text
    out = n._FOLDABLE.sub(lambda m: n._fold_char(m.group()), text)
    out = unicodedata.normalize("NFC", out)
    out = n._SPACED_ACRONYM.sub(lambda m: m.group(0).replace(" ", ""), out)
    return n._MINUS_LIKE.sub("-", out)


def before_analyze(text: str, *, mode: str = "C", stop: frozenset[str] | None = None):
    """textkit's ``analyze`` as it was at main 10326ff: a Python test of every morpheme's POS,
    and per text the tokenizer, matcher and stop words looked up, the text encoded to measure it,
    the acronym pattern run over every text."""
    stop = tokenize.stopwords() if stop is None else stop
    tok = tokenize._tokenizer(mode)
    content = tokenize._content_matcher()
    tokens: list[str] = []
    groups: list[int] = []
    folded = before_normalize(text)
    chunks = [folded] if len(folded.encode("utf-8")) <= 40_000 else tokenize._chunks(folded)
    for chunk in chunks:
        if not chunk.strip():
            continue
        for m in tok.tokenize(chunk):
            if not content(m):
                continue
            form = m.normalized_form().lower()
            if tokenize._keep_form(form, stop):
                tokens.append(form)
                groups.extend(m.synonym_group_ids())
    return tokenize.Analysis(tuple(tokens), tuple(groups))


def raw_sudachi(texts: Sequence[str]) -> int:
    tok = tokenize._tokenizer("C")
    n = 0
    for text in texts:
        for m in tok.tokenize(text):
            m.normalized_form()
            m.part_of_speech()
            m.synonym_group_ids()
            n += 1
    return n


def textkit_before(texts: Sequence[str]) -> int:
    stop = tokenize.stopwords()
    return sum(len(before_analyze(t, stop=stop).tokens) for t in texts)


def textkit_analyze(texts: Sequence[str]) -> int:
    return sum(len(a.tokens) for a in tokenize.analyze_many(texts))


Method = tuple[str, Callable[[Sequence[str]], int], Sequence[str]]


def measure(texts: list[str], rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """(CPU seconds per method in the round where raw was fastest, median ratio raw / method)."""
    folded = [normalize_chars(t) for t in texts]  # raw Sudachi gets text already folded
    methods: list[Method] = [
        ("raw SudachiPy", raw_sudachi, folded),
        ("textkit before", textkit_before, texts),
        ("textkit analyze_many", textkit_analyze, texts),
    ]
    per_round: list[dict[str, float]] = []
    for _ in range(rounds):
        spent = dict.fromkeys((name for name, _, _ in methods), 0.0)
        for b, start in enumerate(range(0, len(texts), BLOCK)):
            for k in range(len(methods)):
                name, run, data = methods[(b + k) % len(methods)]
                t0 = time.process_time()
                run(data[start : start + BLOCK])
                spent[name] += time.process_time() - t0
        per_round.append(spent)
    best = min(per_round, key=lambda r: r["raw SudachiPy"])
    ratios = {
        name: statistics.median(r["raw SudachiPy"] / r[name] for r in per_round)
        for name, _, _ in methods
    }
    return best, ratios


def table(title: str, texts: list[str], best: dict, ratios: dict) -> list[str]:
    chars = sum(map(len, texts))
    return [
        f"### {title}: {chars:,} characters in {len(texts):,} texts",
        "",
        "| method | CPU seconds | characters/s | raw / method (median of rounds) |",
        "| --- | --- | --- | --- |",
        *(f"| {k} | {v:.3f} | {chars / v:,.0f} | {ratios[k]:.2f}× |" for k, v in best.items()),
        "",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=219_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_tokenize.md")
    args = ap.parse_args()

    tokenize.stopwords()  # dictionary, stop words and the POS matcher loaded before timing
    tokenize._content_matcher()
    tokenize._PARALLEL_MIN = 10**9  # one thread: the figure is per core
    load = os.getloadavg()
    sets = [("measures (repeated)", corpus_texts(args.chars))]
    if REAL.is_dir():
        sets.append(("distinct (real PDFs + bundled measures, each once)", distinct_texts()))
    import sudachipy

    lines = [
        "# Tokenising speed (scripts/bench_tokenize.py)",
        "",
        f"One thread, CPU time, {args.rounds} rounds of blocks of {BLOCK} texts with the methods' "
        f"order rotating per block (see the script's docstring); Python "
        f"{platform.python_version()}, SudachiPy {sudachipy.__version__} (sudachidict-core, mode "
        "C). Raw = tokenize + normalized_form + part_of_speech + synonym_group_ids per morpheme "
        "on pre-folded text; textkit also folds characters, filters content words and stop "
        "words. *textkit before* = the implementation of main 10326ff, "
        f"run in the same rounds. Load average while measuring: {load[0]:.1f} / {load[1]:.1f} "
        f"(1 / 5 min) on {os.cpu_count()} cores.",
        "",
    ]
    if not REAL.is_dir():
        lines += [f"(The distinct set was skipped: {REAL} is absent.)", ""]
    summary = []
    for title, texts in sets:
        best, ratios = measure(texts, args.rounds)
        lines += table(title, texts, best, ratios)
        summary.append(
            f"{title.split(' (')[0]}: before **{ratios['textkit before']:.2f}×**, "
            f"after **{ratios['textkit analyze_many']:.2f}×**"
        )
    lines += ["textkit / raw speed per core (goal ≥ 0.9×) — " + "; ".join(summary) + ".", ""]
    text = "\n".join(lines)
    # Notes written by hand under NOTES in the report stay as they are.
    old = args.out.read_text("utf-8") if args.out.is_file() else ""
    if NOTES in old:
        text = text.rstrip("\n") + "\n\n" + old[old.index(NOTES) :]
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
