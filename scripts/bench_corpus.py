"""Corpus-scale benchmarks for textkit.counterparts / textkit.corpus; writes reports/bench_corpus.md.

1. ``search``: corpus-wide top-5 counterparts (``nearest_across``, own document excluded) on a
   synthetic corpus of DOCS strategies × MEASURES measures; time and peak memory (RSS sampled every
   20 ms during the search, and the process's ru_maxrss), recall against brute-force exact top-5 on
   a sample of rows.
2. ``prune``: the pruned candidate generation tried and *not* adopted (each measure vector cut to
   its top-m terms, terms above a document-frequency cap and terms of a single document dropped,
   then the top-C candidates re-scored exactly): time and recall against exact, on PRUNE_DOCS.
3. ``build``: ``corpus build`` on BUILD_DOCS copies of the rendered Otaru 第2期 PDF (29 pages; each
   copy gets a different trailing PDF comment so that every file hashes differently): 1 worker (in
   this process), 2 Dask worker processes, 1 Dask worker with 2 threads; then the re-run that takes
   everything from the cache.

The synthetic corpus (``synthetic``), built from the real corpus vocabulary:

- material: the measures of the bundled Otaru 第2期 Markdown, the Tomakomai 第3期 deck text (its 第3期
  measures and the 第2期 取組 it lists) and corpora/synthetic/otaru_3rd_measures.csv — 58 real
  measures, tokenised with textkit (title tokens, body tokens) — plus the words of the thesaurus
  (textkit/data/thesaurus.csv) and of the theme rules (textkit/data/themes.toml), tokenised too;
  the background distribution is the token frequency over all of it (~870 words).
- a measure = the title of a random real measure (template) + each token of that template's body
  kept with probability 0.6 (so measures of the same template in different cities are similar but
  not identical, like 移住促進 in every city) + a run of 3–11 consecutive tokens from another real
  measure's body (a borrowed phrase) + 5–19 words drawn from the background frequencies + 1–3 of the
  city's own proper nouns + with probability 0.3 one of its prefecture's.
- proper nouns: every city gets 30 names (two kanji drawn from the real vocabulary's kanji + a
  suffix such as 地区, 港, 公園, まつり, プロジェクト), every prefecture (city index mod 47) 8 shared
  ones, so the vocabulary grows with the corpus as in real data, where each city names its own
  places, events and programmes.  Tokens per measure: ~40 (real: 30–140 for Otaru, 3–15 for deck
  titles).

Usage: .venv/bin/python scripts/bench_corpus.py [--docs 1788] [--measures 100] [--build-docs 40]
       [--prune-docs 300] [--skip build,prune,search]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import tomllib

ROOT = Path(__file__).resolve().parent.parent
# Suffixes of the generated proper nouns (place, event and programme names).
SUFFIXES = (
    "地区",
    "町",
    "港",
    "川",
    "山",
    "公園",
    "温泉",
    "通り",
    "まつり",
    "祭",
    "プロジェクト",
    "ブランド",
    "塾",
    "アカデミー",
    "センター",
    "会館",
    "ライン",
    "の森",
    "海岸",
    "マルシェ",
)
CITY_NAMES = 30
PREFECTURE_NAMES = 8
PREFECTURES = 47


def real_material():
    """(title tokens, body tokens) of 58 real measures, background words and their frequencies,
    and the kanji of the real vocabulary."""
    import textkit
    from textkit.counterparts import measure_tokens
    from textkit.formats import read_measures
    from textkit.tokenize import tokenize_many

    otaru = textkit.parse(ROOT / "corpora/otaru_2nd_strategy.md")
    tomakomai = textkit.parse(ROOT / "corpora/tomakomai_3rd_deck_2024.txt")
    otaru3 = read_measures(ROOT / "corpora/synthetic/otaru_3rd_measures.csv")
    measures = [*otaru.measures, *tomakomai.measures, *tomakomai.previous, *otaru3.measures]
    titles = tokenize_many([m.title for m in measures])
    bodies = [b[len(t) :] for t, b in zip(titles, measure_tokens(measures), strict=True)]
    terms = []
    with open(ROOT / "textkit/data/thesaurus.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            terms += row["terms"].split("/")
    scheme = tomllib.loads((ROOT / "textkit/data/themes.toml").read_text("utf-8"))
    for theme in scheme["theme"]:
        for entry in theme.get("any", []):
            terms += [p.strip().lstrip("!") for p in entry.split("&")]
    extra = [w for t in tokenize_many(terms) for w in t]
    words, counts = np.unique(
        [w for b in (*titles, *bodies) for w in b] + extra, return_counts=True
    )
    kanji = sorted({c for w in words for c in w if "\u4e00" <= c <= "\u9fff"})
    return titles, bodies, words, counts / counts.sum(), np.array(kanji)


def synthetic(docs: int, measures: int, seed: int = 0) -> tuple[list[tuple[str, ...]], int]:
    """Token lists of ``docs × measures`` synthetic measures (see the module docstring)."""
    titles, bodies, words, p, kanji = real_material()
    rng = np.random.default_rng(seed)

    def names(n: int) -> list[str]:
        pair = kanji[rng.integers(0, len(kanji), (n, 2))]
        suffix = rng.integers(0, len(SUFFIXES), n)
        return [a + b + SUFFIXES[s] for (a, b), s in zip(pair, suffix, strict=True)]

    prefecture = [names(PREFECTURE_NAMES) for _ in range(PREFECTURES)]
    n = docs * measures
    template = rng.integers(0, len(titles), n)
    other = rng.integers(0, len(titles), n)
    n_background = rng.integers(5, 20, n)
    background = words[rng.choice(len(words), int(n_background.sum()), p=p)].tolist()
    out, pos = [], 0
    for d in range(docs):
        own = names(CITY_NAMES)
        shared = prefecture[d % PREFECTURES]
        for i in range(d * measures, (d + 1) * measures):
            body = bodies[template[i]]
            keep = rng.random(len(body)) < 0.6
            tokens = [*titles[template[i]], *(w for w, k in zip(body, keep, strict=True) if k)]
            borrowed = bodies[other[i]]
            if borrowed:
                s = int(rng.integers(len(borrowed)))
                tokens += borrowed[s : s + int(rng.integers(3, 12))]
            tokens += background[pos : pos + n_background[i]]
            pos += n_background[i]
            tokens += [own[j] for j in rng.integers(0, CITY_NAMES, rng.integers(1, 4))]
            if rng.random() < 0.3:
                tokens.append(shared[int(rng.integers(PREFECTURE_NAMES))])
            out.append(tuple(tokens))
    return out, len({w for t in out for w in t})


class RssPeak:
    """Peak resident memory of this process while the ``with`` block runs (sampled every 20 ms)."""

    def __enter__(self):
        self.peak = self._rss()
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, self._rss())


def exact_top(matrix, doc_of_row, rows, k):
    """Brute-force reference: dense scores of ``rows`` against every row, own document masked."""
    dense = (matrix[rows] @ matrix.T).toarray()
    dense[doc_of_row[rows][:, None] == doc_of_row[None, :]] = -1
    order = np.argsort(-dense, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(dense, order, axis=1)


def recall(idx, val, ref_idx, ref_val, rows) -> tuple[float, float]:
    """(id overlap with the exact top-k, tie-aware: share of picks scoring ≥ the exact k-th)."""
    overlap = np.mean(
        [len(set(idx[r]) & set(ref_idx[i])) / idx.shape[1] for i, r in enumerate(rows)]
    )
    tie = np.mean(val[rows] >= ref_val[:, -1:] - 1e-5)
    return float(overlap), float(tie)


def vectors_for(docs: int, measures: int):
    from textkit.counterparts import fit_vectors

    t0 = time.perf_counter()
    tokens, vocab = synthetic(docs, measures)
    t1 = time.perf_counter()
    v = fit_vectors(tokens, docs=[f"d{i}" for i in range(docs)], sizes=[measures] * docs)
    t2 = time.perf_counter()
    del tokens
    return v, vocab, t1 - t0, t2 - t1


def bench_search(docs: int, measures: int, threads: tuple[int, ...]) -> dict:
    from textkit.counterparts import nearest_across

    v, vocab, gen_s, fit_s = vectors_for(docs, measures)
    x = v.matrix
    out = {"measures": x.shape[0], "vocabulary": vocab, "nnz": int(x.nnz)}
    out |= {"generate_s": gen_s, "tfidf_s": fit_s, "before_mb": RssPeak._rss() / 2**20}
    for t in threads:
        with RssPeak() as mem:
            t0 = time.perf_counter()
            idx, val = nearest_across(x, v.offsets, top=5, threads=t)
            out[f"top5_{t}t_s"] = time.perf_counter() - t0
        out[f"peak_{t}t_mb"] = mem.peak / 2**20
    rows = np.random.default_rng(1).choice(x.shape[0], 300, replace=False)
    ref_idx, ref_val = exact_top(x, v.doc_of_row, rows, 5)
    out["overlap"], out["tie_recall"] = recall(idx, val, ref_idx, ref_val, rows)
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def prune(x, doc_of_row, m: int, df_cap: float):
    """Candidate matrix: terms of one document only and terms in more than ``df_cap`` of the
    measures dropped, then each row cut to its ``m`` largest weights."""
    x = x.tocsr(copy=True)
    n, t = x.shape
    rows = np.repeat(np.arange(n), np.diff(x.indptr))
    df = np.bincount(x.indices, minlength=t)
    pairs = np.unique(doc_of_row[rows].astype(np.int64) * t + x.indices)
    doc_df = np.bincount(pairs % t, minlength=t)
    x.data[(df[x.indices] > df_cap * n) | (doc_df[x.indices] < 2)] = 0
    order = np.lexsort((-x.data, rows))
    rank = np.empty(x.nnz, np.int64)
    rank[order] = np.arange(x.nnz) - x.indptr[rows[order]]
    x.data[rank >= m] = 0
    x.eliminate_zeros()
    return x


def bench_prune(docs: int, measures: int) -> list[dict]:
    import scipy.sparse as sp

    from textkit.counterparts import nearest_across, top_k_blocked

    v, _, _, _ = vectors_for(docs, measures)
    x, doc = v.matrix, v.doc_of_row
    t0 = time.perf_counter()
    e_idx, e_val = nearest_across(x, v.offsets, top=5, threads=2)
    exact_s = time.perf_counter() - t0
    rows = np.arange(0, x.shape[0], 7)
    out = [{"setting": "exact (adopted)", "s": exact_s, "overlap": 1.0, "tie_recall": 1.0}]
    for m, cap, cands in ((16, 0.05, 30), (24, 0.05, 50), (24, 1.0, 50), (32, 1.0, 100)):
        t0 = time.perf_counter()
        p = prune(x, doc, m, cap)
        c_idx, _ = nearest_across(p, v.offsets, top=cands, threads=2)
        r = np.repeat(np.arange(x.shape[0]), cands)
        j = c_idx.ravel()
        ok = j >= 0
        r, j = r[ok], j[ok]
        exact = np.zeros(r.size, np.float32)
        for s in range(0, r.size, 500_000):
            a, b = x[r[s : s + 500_000]], x[j[s : s + 500_000]]
            exact[s : s + 500_000] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
        scored = sp.csr_matrix((exact, (r, j)), shape=(x.shape[0], x.shape[0]))
        eye = sp.identity(x.shape[0], dtype=np.float32, format="csr")
        idx, val = top_k_blocked(scored, eye, 5)  # each row's 5 best re-scored candidates
        s = time.perf_counter() - t0
        ov, tie = recall(idx, val, e_idx[rows], e_val[rows], rows)
        out.append(
            {
                "setting": f"top-{m} terms, df ≤ {cap:.0%}, {cands} candidates",
                "s": s,
                "overlap": ov,
                "tie_recall": tie,
            }
        )
    return out


def bench_build(n_docs: int) -> dict:
    from textkit.corpus import build_corpus

    src = (ROOT / "corpora" / "otaru_2nd_strategy.pdf").read_bytes()
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        rows = ["path,city,edition,period_start,period_end,kind,source"]
        for i in range(n_docs):
            (d / f"doc{i}.pdf").write_bytes(src + f"\n% bench copy {i}\n".encode())
            rows.append(f"doc{i}.pdf,市{i},2,2020,2024,pdf,bench copy")
        (d / "index.csv").write_text("\n".join(rows) + "\n", "utf-8")
        runs = (("1w", 1, True), ("2p", 2, True), ("2t", 2, False))
        for name, workers, processes in runs:
            cache = d / f"cache{name}"
            t = time.perf_counter()
            s = build_corpus(
                d / "index.csv",
                db=d / "c.duckdb",
                cache_dir=cache,
                workers=workers,
                processes=processes,
            )
            out[f"build_{name}_s"] = time.perf_counter() - t
            assert s.parsed == n_docs
        t = time.perf_counter()
        s = build_corpus(d / "index.csv", db=d / "c.duckdb", cache_dir=d / "cache2p", workers=2)
        out["rerun_cached_s"] = time.perf_counter() - t
        assert s.cached == n_docs
        out["measures"] = s.measures
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1788)
    ap.add_argument("--measures", type=int, default=100)
    ap.add_argument("--build-docs", type=int, default=40)
    ap.add_argument("--prune-docs", type=int, default=300)
    ap.add_argument("--threads", default="2", help="comma-separated thread counts for the search")
    ap.add_argument("--skip", default="", help="comma-separated: build, prune, search")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_corpus.md")
    a = ap.parse_args()
    skip = set(a.skip.split(","))
    lines = [
        "# Corpus benchmarks (scripts/bench_corpus.py)",
        "",
        f"Machine: {os.cpu_count()} cores.",
    ]
    if "search" not in skip:
        threads = tuple(int(t) for t in a.threads.split(","))
        s = bench_search(a.docs, a.measures, threads)
        lines += [
            "",
            f"## Corpus-wide top-5 counterparts: {a.docs} strategies × {a.measures} measures",
            "",
            f"- {s['measures']:,} synthetic measures, vocabulary {s['vocabulary']:,} words, "
            f"TF-IDF nnz {s['nnz']:,}; generation {s['generate_s']:.0f} s, "
            f"TF-IDF fit {s['tfidf_s']:.1f} s",
            f"- RSS before the search (token lists freed, matrix held): {s['before_mb']:.0f} MB",
        ]
        for t in threads:
            lines.append(
                f"- exact top-5, own document excluded, {t} thread(s): "
                f"**{s[f'top5_{t}t_s']:.0f} s**, peak RSS during the search "
                f"**{s[f'peak_{t}t_mb']:.0f} MB**"
            )
        lines += [
            f"- recall against brute-force exact top-5 on 300 random measures: id overlap "
            f"{s['overlap']:.4f}, tie-aware {s['tie_recall']:.4f}",
            f"- process ru_maxrss (includes generating the corpus): {s['maxrss_mb']:.0f} MB",
        ]
    if "prune" not in skip:
        rows = bench_prune(a.prune_docs, a.measures)
        lines += [
            "",
            f"## Pruned candidates + exact re-scoring (not adopted): {a.prune_docs * a.measures:,} "
            "measures, 2 threads",
            "",
            "| candidate generation | time (s) | top-5 overlap | tie-aware recall |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r['setting']} | {r['s']:.1f} | {r['overlap']:.3f} | {r['tie_recall']:.3f} |"
            for r in rows
        ]
    if "build" not in skip:
        b = bench_build(a.build_docs)
        lines += [
            "",
            f"## corpus build: {a.build_docs} copies of the Otaru 第2期 PDF (29 pages; "
            f"{b['measures']} measures)",
            "",
            f"- 1 worker (in this process): {b['build_1w_s']:.1f} s",
            f"- 2 Dask worker processes: {b['build_2p_s']:.1f} s "
            f"(speed-up **{b['build_1w_s'] / b['build_2p_s']:.2f}×**, includes cluster start-up)",
            f"- 1 Dask worker, 2 threads: {b['build_2t_s']:.1f} s "
            f"({b['build_1w_s'] / b['build_2t_s']:.2f}×)",
            f"- re-run with every file cached: **{b['rerun_cached_s']:.2f} s**",
        ]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
