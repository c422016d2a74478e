"""How long the counterparts' matched terms take at national scale; writes
reports/bench_matched_terms.md.

The corpus build gives every measure's top-5 counterparts a ``matched_terms`` cell (the shared
words, largest contribution to the cosine first). On the national synthetic corpus of
``scripts/bench_corpus.py`` (DOCS × MEASURES measures, same generator) the pairs are real top-5
neighbours: those of SAMPLE random measures, by brute force (own document excluded), repeated to
the corpus' DOCS × MEASURES × 5 pairs. Timed in one process, one run each, interleaved:

- ``per pair``: what textkit did before (``counterparts.matched_terms`` slicing two CSR rows and
  intersecting them per call), on the sampled pairs only, extrapolated per pair;
- ``vectorised``: ``counterparts.matched_terms_many`` on every pair (blocks of
  ``MATCHED_TERMS_BLOCK``), and on the sampled pairs for the same-pairs ratio;

and the two outputs compared on the sampled pairs (they must be identical).

Usage: .venv/bin/python -m scripts.bench_matched_terms [--docs 1788] [--measures 100]
       [--sample 2000]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from scripts.bench_corpus import TOP, reference_scores, top_of, vectors_for

ROOT = Path(__file__).resolve().parent.parent


def per_pair(vectors, i: int, j: int, limit: int) -> tuple:
    """textkit's matched_terms before it was vectorised (one pair, two CSR row slices)."""
    x, y = vectors.matrix[i], vectors.matrix[j]
    common, xi, yi = np.intersect1d(x.indices, y.indices, assume_unique=True, return_indices=True)
    if common.size == 0:
        return ()
    contrib = x.data[xi] * y.data[yi]
    order = np.argsort(-contrib, kind="stable")[:limit]
    return tuple(str(t) for t in vectors.terms[common[order]])


def _timed(fn):
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    from textkit.counterparts import MATCHED_TERMS_BLOCK, matched_terms_many
    from textkit.settings import CounterpartSettings, bundled

    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1788)
    ap.add_argument("--measures", type=int, default=100)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_matched_terms.md")
    a = ap.parse_args()
    limit = bundled(CounterpartSettings).matched_terms
    load0 = os.getloadavg()[0]
    v, _, _, _ = vectors_for(a.docs, a.measures)
    rows = np.sort(np.random.default_rng(0).choice(v.matrix.shape[0], a.sample, replace=False))
    idx, _ = top_of(reference_scores(v.matrix, v.doc_of_row, rows), TOP)
    a_rows, b_rows = np.repeat(rows, TOP), idx.ravel()
    n_all = a.docs * a.measures * TOP
    reps = -(-n_all // a_rows.size)
    all_a, all_b = np.tile(a_rows, reps)[:n_all], np.tile(b_rows, reps)[:n_all]

    before, t_old, c_old = _timed(
        lambda: [per_pair(v, int(i), int(j), limit) for i, j in zip(a_rows, b_rows, strict=True)]
    )
    after, t_new, c_new = _timed(lambda: matched_terms_many(v, a_rows, b_rows, limit))
    _, t_all, c_all = _timed(lambda: matched_terms_many(v, all_a, all_b, limit))
    load1 = os.getloadavg()[0]
    same = before == after
    per_old, cpu_old = t_old / a_rows.size, c_old / a_rows.size
    lines = [
        "# matched terms of the counterparts (scripts/bench_matched_terms.py)",
        "",
        f"Synthetic national corpus: {a.docs:,} documents × {a.measures} measures "
        f"({v.matrix.shape[0]:,} rows, {v.matrix.shape[1]:,} words, "
        f"{v.matrix.nnz / v.matrix.shape[0]:.1f} words per measure); pairs = the brute-force "
        f"top-{TOP} of {a.sample:,} random measures ({a_rows.size:,} pairs), repeated to "
        f"{n_all:,} pairs for the full run. Load {load0:.1f} → {load1:.1f} (2 cores, shared). "
        f"One run each; wall s (CPU s).",
        "",
        "| | pairs | wall s | CPU s | CPU µs per pair |",
        "| --- | --- | --- | --- | --- |",
        f"| per pair (before) | {a_rows.size:,} | {t_old:.2f} | {c_old:.2f} | "
        f"{1e6 * cpu_old:.1f} |",
        f"| vectorised (after), same pairs | {a_rows.size:,} | {t_new:.2f} | {c_new:.2f} | "
        f"{1e6 * c_new / a_rows.size:.1f} |",
        f"| vectorised (after), every pair | {n_all:,} | {t_all:.2f} | {c_all:.2f} | "
        f"{1e6 * c_all / n_all:.1f} |",
        "",
        f"- before, extrapolated to {n_all:,} pairs: **{cpu_old * n_all:.0f} CPU s** "
        f"({per_old * n_all:.0f} s wall at this load); after: **{c_all:.1f} CPU s** "
        f"({t_all:.1f} s wall), {cpu_old * n_all / max(c_all, 1e-9):.0f}× less CPU (blocks of "
        f"{MATCHED_TERMS_BLOCK:,} pairs).",
        f"- outputs identical on the {a_rows.size:,} sampled pairs: **{same}**.",
    ]
    a.out.write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))
    if not same:
        raise SystemExit("outputs differ")


if __name__ == "__main__":
    main()
