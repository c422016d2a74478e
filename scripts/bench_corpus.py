"""Corpus-scale benchmarks for textkit.compare / textkit.corpus; writes reports/bench_corpus.md.

1. Corpus-wide top-5 counterparts on a synthetic corpus of DOCS strategies × MEASURES measures
   built from the real corpus vocabulary: every synthetic measure is a real measure's title tokens
   plus tokens drawn from the real token frequencies (so the document frequencies, and therefore
   the cost of the sparse products, look like real ones).  Time and peak memory (ru_maxrss).
2. ``corpus build`` with 1 and 2 local Dask workers on BUILD_DOCS real-looking documents (copies of
   the Otaru 第2期 Markdown, each with one changed line so that every file hashes differently),
   then the re-run that takes everything from the cache.

Usage: .venv/bin/python scripts/bench_corpus.py [--docs 1788] [--measures 100] [--build-docs 16]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def real_vocabulary():
    import textkit
    from textkit.compare import measure_tokens

    measures = []
    for p in ("corpora/otaru_2nd_strategy.md", "corpora/tomakomai_3rd_deck_2024.txt"):
        measures += textkit.parse(ROOT / p).measures
    toks = measure_tokens(measures)
    titles = [t[: max(1, len(t) // 4)] for t in toks]  # leading (title) words of each measure
    words, counts = np.unique([w for t in toks for w in t], return_counts=True)
    return titles, words, counts / counts.sum()


def synthetic(docs: int, measures: int, seed: int = 0):
    titles, words, p = real_vocabulary()
    rng = np.random.default_rng(seed)
    n = docs * measures
    lengths = rng.integers(15, 45, size=n)
    drawn = rng.choice(len(words), size=int(lengths.sum()), p=p)
    picks = rng.integers(0, len(titles), size=n)
    out, pos = [], 0
    for i in range(n):
        body = words[drawn[pos : pos + lengths[i]]]
        pos += lengths[i]
        out.append((*titles[picks[i]], *body.tolist()))
    return out, len(words)


def bench_search(docs: int, measures: int) -> dict:
    from textkit.compare import fit_vectors, nearest_across

    t0 = time.perf_counter()
    tokens, vocab = synthetic(docs, measures)
    t1 = time.perf_counter()
    v = fit_vectors(tokens, docs=[f"d{i}" for i in range(docs)], sizes=[measures] * docs)
    t2 = time.perf_counter()
    idx, _ = nearest_across(v.matrix, v.offsets, top=5)
    t3 = time.perf_counter()
    assert idx.shape == (docs * measures, 5)
    return {
        "measures": docs * measures,
        "vocabulary": vocab,
        "nnz": int(v.matrix.nnz),
        "generate_s": t1 - t0,
        "tfidf_s": t2 - t1,
        "top5_s": t3 - t2,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bench_build(n_docs: int) -> dict:
    from textkit.corpus import build_corpus

    src = (ROOT / "corpora" / "otaru_2nd_strategy.md").read_text("utf-8")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        rows = ["path,city,edition,period_start,period_end,kind,source"]
        for i in range(n_docs):
            (d / f"doc{i}.md").write_text(src + f"\n\n<!-- copy {i} -->\n", "utf-8")
            rows.append(f"doc{i}.md,市{i},2,2020,2024,markdown,bench copy")
        (d / "index.csv").write_text("\n".join(rows) + "\n", "utf-8")
        for workers in (1, 2):
            cache = d / f"cache{workers}"
            t = time.perf_counter()
            s = build_corpus(d / "index.csv", db=d / "c.duckdb", cache_dir=cache, workers=workers)
            out[f"build_{workers}w_s"] = time.perf_counter() - t
            assert s.parsed == n_docs
        t = time.perf_counter()
        s = build_corpus(d / "index.csv", db=d / "c.duckdb", cache_dir=d / "cache2", workers=2)
        out["rerun_cached_s"] = time.perf_counter() - t
        assert s.cached == n_docs
        out["measures"] = s.measures
        shutil.rmtree(d / "cache1")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1788)
    ap.add_argument("--measures", type=int, default=100)
    ap.add_argument("--build-docs", type=int, default=16)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_corpus.md")
    a = ap.parse_args()
    b = bench_build(a.build_docs)
    s = bench_search(a.docs, a.measures)
    lines = [
        "# Corpus benchmarks (scripts/bench_corpus.py)",
        "",
        f"Machine: {os.cpu_count()} cores.",
        "",
        f"## Corpus-wide top-5 counterparts: {a.docs} strategies × {a.measures} measures",
        "",
        f"- {s['measures']:,} synthetic measures from the real vocabulary ({s['vocabulary']} words), "
        f"TF-IDF nnz {s['nnz']:,}",
        f"- TF-IDF fit: {s['tfidf_s']:.1f} s; blocked sparse top-5 (own document excluded): "
        f"**{s['top5_s']:.1f} s**",
        f"- peak memory of the process (ru_maxrss): **{s['peak_rss_mb']:.0f} MB**",
        "",
        f"## corpus build: {a.build_docs} documents (Otaru 第2期 Markdown copies, "
        f"{b['measures']} measures)",
        "",
        f"- 1 worker: {b['build_1w_s']:.1f} s; 2 workers: {b['build_2w_s']:.1f} s "
        f"(speed-up **{b['build_1w_s'] / b['build_2w_s']:.2f}×**, includes cluster start-up)",
        f"- re-run with every file cached: **{b['rerun_cached_s']:.2f} s**",
        "",
    ]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text("\n".join(lines), "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
