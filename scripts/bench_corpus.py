"""Corpus-scale benchmarks for textkit.counterparts / textkit.corpus; writes reports/bench_corpus.md.

1. ``search``: corpus-wide top-5 counterparts (``nearest_across``, own document excluded) on a
   synthetic corpus of DOCS strategies × MEASURES measures: wall and CPU time, peak memory (RSS
   sampled every 20 ms) and the load average, for textkit's engine (the numba kernels of
   ``textkit.topk``) and the previous one (``engine="sparse_dot_topn"``), whose results are
   compared with it row by row; the same top-5 by the raw library call
   (``sparse_dot_topn.sp_matmul_topn`` on X·Xᵀ, nothing excluded) for the ratio; recall against
   brute force (scipy's product, dense, own document masked) on SAMPLE random measures; how close
   the neighbours' scores are; the kernels' compile time (fresh numba cache) and cached load time
   in a fresh process.
2. ``options``: candidate generators for a sub-quadratic search, each with its candidates
   re-scored exactly, on the same sampled rows: the recall they reach at best and their cost
   (rows pruned to part of their weight; blocking by shared rarer terms; k-means clusters probed;
   truncated SVD; the semantic vectors of ``textkit.semantic`` — for the dense ones the exact
   nearest candidates, i.e. the ceiling of any approximate index built on them).
3. ``build``: ``corpus build`` on BUILD_DOCS copies of the rendered Otaru 第2期 PDF (29 pages; each
   copy gets a different trailing PDF comment so that every file hashes differently): 1 worker (in
   this process), 2 Dask worker processes, 1 Dask worker with 2 threads; then the re-run that takes
   everything from the cache.  (Where a build's time goes: scripts/bench_corpus_build.py.)

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

Usage: .venv/bin/python -m scripts.bench_corpus [--docs 1788] [--measures 100] [--sample 1000]
       [--build-docs 40] [--threads 2] [--skip build,options,search]
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
# Neighbours per measure in the corpus-wide search (the corpus build's default).
TOP = 5
PREFECTURE_NAMES = 8
PREFECTURES = 47


def real_material():
    """(title tokens, body tokens) of 58 real measures, background words and their frequencies,
    and the kanji of the real vocabulary."""
    import textkit
    from textkit._compat import tomllib  # the one 3.10 shim (tomli there)
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


class Timed:
    """Wall time, CPU time (all threads), peak RSS and the load average around a ``with`` block.

    The machine is shared: CPU seconds say what the step costs whatever the other jobs do, wall
    seconds what it took at the load recorded (``os.getloadavg``, 1-minute, before → after)."""

    def __enter__(self):
        self._mem = RssPeak().__enter__()
        self.load_before = os.getloadavg()[0]
        self._cpu = _cpu_seconds()
        self._t = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._t
        self.cpu = _cpu_seconds() - self._cpu
        self.load_after = os.getloadavg()[0]
        self._mem.__exit__(*exc)
        self.peak_mb = self._mem.peak / 2**20

    def line(self) -> str:
        return (
            f"**{self.wall:.0f} s** wall ({self.cpu:.0f} s CPU), peak RSS **{self.peak_mb:.0f} MB**, "
            f"load {self.load_before:.1f} → {self.load_after:.1f}"
        )


def _cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def reference_scores(matrix, doc_of_row, rows, chunk: int = 100) -> np.ndarray:
    """Brute force, independent of the code under test: the dense cosine of every sampled row with
    every row (scipy's sparse product), own document set to -1.  ``len(rows) × n`` float32."""
    out = np.empty((len(rows), matrix.shape[0]), dtype=np.float32)
    mt = matrix.T.tocsc()
    for s in range(0, len(rows), chunk):
        r = rows[s : s + chunk]
        block = (matrix[r] @ mt).toarray()
        block[doc_of_row[r][:, None] == doc_of_row[None, :]] = -1
        out[s : s + chunk] = block
    return out


def top_of(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` best columns (score descending, ties: lower column first) and scores."""
    part = np.argpartition(-scores, k, axis=1)[:, : k + 1]
    # everything tied with the k-th must be considered for the lower-column-first rule
    kth = np.sort(np.take_along_axis(scores, part, 1), axis=1)[:, -k]
    idx = np.empty((scores.shape[0], k), dtype=np.int64)
    for i in range(scores.shape[0]):
        cand = np.flatnonzero(scores[i] >= kth[i])
        order = np.lexsort((cand, -scores[i, cand]))[:k]
        idx[i] = cand[order]
    return idx, np.take_along_axis(scores, idx, 1)


def recall(idx, val, ref_idx, ref_val) -> tuple[float, float]:
    """(id overlap with the exact top-k, tie-aware: share of picks scoring ≥ the exact k-th)."""
    k = ref_idx.shape[1]
    overlap = np.mean([len(set(a) & set(b)) / k for a, b in zip(idx, ref_idx, strict=True)])
    tie = np.mean(val >= ref_val[:, -1:] - 1e-5)
    return float(overlap), float(tie)


def rerank_recall(cand: np.ndarray, scores: np.ndarray, ref_idx, ref_val) -> tuple[float, float]:
    """Recall when each sampled row keeps the candidates ``cand`` (row i: columns) and these are
    re-scored exactly (the exact scores are the brute-force ``scores``): a method's ceiling."""
    k = ref_idx.shape[1]
    idx = np.empty((len(cand), k), dtype=np.int64)
    for i, c in enumerate(cand):
        c = np.asarray(c)
        e = scores[i, c]
        c = c[e > -1]
        e = scores[i, c]
        order = np.lexsort((c, -e))[:k]
        idx[i, : order.size] = c[order]
        idx[i, order.size :] = -1
    val = np.where(idx >= 0, np.take_along_axis(scores, np.maximum(idx, 0), 1), -1)
    return recall(idx, val, ref_idx, ref_val)


def cross_document_columns(x, doc_of_row) -> np.ndarray:
    """Terms that occur in at least two documents: the only ones a cross-document cosine uses."""
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    pairs = np.unique(doc_of_row[rows].astype(np.int64) * x.shape[1] + x.indices)
    return np.flatnonzero(np.bincount(pairs % x.shape[1], minlength=x.shape[1]) >= 2)


def dense_candidates(z, doc_of_row, rows, sizes) -> dict[int, np.ndarray]:
    """Brute-force top-C of the sampled rows in a dense space ``z`` (own document excluded): the
    candidates a perfect approximate-neighbour index on ``z`` would return."""
    a = z[rows] @ z.T
    a[doc_of_row[rows][:, None] == doc_of_row[None, :]] = -np.inf
    return {c: np.argpartition(-a, c, axis=1)[:, :c] for c in sizes}


def option_semantic(tokens, doc_of_row, rows, scores, ref, sizes) -> list[dict]:
    from textkit.semantic import embed_tokens

    with Timed() as t:
        e = embed_tokens(tokens)
    out = []
    for c, cand in dense_candidates(e, doc_of_row, rows, sizes).items():
        ov, tie = rerank_recall(cand, scores, *ref)
        out.append(
            {
                "method": "semantic vectors (SIF 300-d), exact nearest",
                "candidates": c,
                "overlap": ov,
                "tie": tie,
                "cost": f"embedding {t.wall:.0f} s",
            }
        )
    return out


def option_svd(xk, doc_of_row, rows, scores, ref, dims, sizes) -> list[dict]:
    from sklearn.decomposition import TruncatedSVD

    out = []
    for r in dims:
        with Timed() as t:
            z = TruncatedSVD(r, random_state=0).fit_transform(xk).astype(np.float32)
        for c, cand in dense_candidates(z, doc_of_row, rows, sizes).items():
            ov, tie = rerank_recall(cand, scores, *ref)
            out.append(
                {
                    "method": f"TF-IDF truncated SVD {r}-d, exact nearest",
                    "candidates": c,
                    "overlap": ov,
                    "tie": tie,
                    "cost": f"SVD {t.wall:.0f} s",
                }
            )
    return out


def spherical_kmeans(x, k: int, iterations: int = 10, sample: int = 50_000, seed: int = 0):
    """Unit-length centroids of ``k`` clusters of the rows of ``x`` (cosine k-means on a sample)."""
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    xs = x[np.sort(rng.choice(x.shape[0], min(sample, x.shape[0]), replace=False))]
    cent = xs[rng.choice(xs.shape[0], k, replace=False)].toarray()
    for _ in range(iterations):
        label = np.asarray(np.argmax(xs @ cent.T, axis=1)).ravel()
        member = sp.csr_matrix(
            (np.ones(xs.shape[0], np.float32), (label, np.arange(xs.shape[0]))),
            shape=(k, xs.shape[0]),
        )
        cent = np.asarray((member @ xs).todense())
        norm = np.linalg.norm(cent, axis=1, keepdims=True)
        cent /= np.where(norm > 0, norm, 1)
    return cent.astype(np.float32)


def option_ivf(xk, rows, scores, ref, k: int, probes) -> list[dict]:
    with Timed() as t:
        cent = spherical_kmeans(xk, k)
        sim = np.vstack([xk[s : s + 20_000] @ cent.T for s in range(0, xk.shape[0], 20_000)])
        cluster = sim.argmax(axis=1)
    sizes = np.bincount(cluster, minlength=k)
    out = []
    for p in probes:
        probe = np.argsort(-sim[rows], axis=1)[:, :p]
        cand = [np.flatnonzero(np.isin(cluster, probe[i])) for i in range(len(rows))]
        ov, tie = rerank_recall(cand, scores, *ref)
        share = float(np.mean([sizes[probe[i]].sum() for i in range(len(rows))]) / xk.shape[0])
        out.append(
            {
                "method": f"k-means {k} clusters, {p} probed, exact inside",
                "candidates": f"{share:.1%} of rows",
                "overlap": ov,
                "tie": tie,
                "cost": f"k-means + assignment {t.wall:.0f} s",
            }
        )
    return out


def sparse_candidates(x, doc_of_row, rows, b, size: int) -> tuple[list[np.ndarray], float]:
    """Top-``size`` columns of the sampled rows of ``x`` against ``b`` (own document excluded, one
    thread) and the CPU seconds this took, scaled to every row."""
    import scipy.sparse as sp
    from sparse_dot_topn import sp_matmul_topn

    from textkit.counterparts import _own_group_columns

    groups = _own_group_columns(doc_of_row, int(doc_of_row.max()) + 1, 1.0)
    a = sp.hstack([x[rows], groups[rows]], format="csr")
    bt = sp.hstack([b, -2 * groups], format="csr").T.tocsr()
    cpu = _cpu_seconds()
    cand = sp_matmul_topn(a, bt, top_n=size, threshold=0.0)
    cpu = (_cpu_seconds() - cpu) * x.shape[0] / len(rows)
    return np.split(cand.indices, cand.indptr[1:-1]), cpu


def option_pruned(x, doc_of_row, rows, scores, ref, keeps, sizes) -> list[dict]:
    """Candidates from the product of the full rows with rows cut to ``keep`` of their squared
    weight (the cheapest entries first: lowest weight² / document frequency), re-scored exactly."""
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64)
    _, exact_cpu = sparse_candidates(x, doc_of_row, rows, x, TOP)
    out = [
        {
            "method": "exact product (textkit today), for scale",
            "candidates": TOP,
            "overlap": 1.0,
            "tie": 1.0,
            "cpu": exact_cpu,
        }
    ]
    for keep in keeps:
        p = prune_rows(x, df, keep)
        for c in sizes:
            cand, cpu = sparse_candidates(x, doc_of_row, rows, p, c)
            ov, tie = rerank_recall(cand, scores, *ref)
            out.append(
                {
                    "method": f"candidate side cut to {keep:.0%} of each row's weight",
                    "candidates": c,
                    "overlap": ov,
                    "tie": tie,
                    "cpu": cpu,
                }
            )
    return out


def option_blocking(x, doc_of_row, rows, scores, ref, ranks, sizes) -> list[dict]:
    """Blocking by shared rarer terms: candidates share a term outside the ``rank`` most frequent
    ones (ranked by their partial score), re-scored exactly."""
    df = np.bincount(x.indices, minlength=x.shape[1])
    out = []
    for rank in ranks:
        b = x.tocsr(copy=True)
        cap = np.sort(df)[-rank]
        b.data[df[b.indices] >= cap] = 0
        b.eliminate_zeros()
        for c in sizes:
            cand, cpu = sparse_candidates(x, doc_of_row, rows, b, c)
            ov, tie = rerank_recall(cand, scores, *ref)
            out.append(
                {
                    "method": f"blocking: a shared term outside the {rank} most frequent "
                    f"(df < {cap:,})",
                    "candidates": c,
                    "overlap": ov,
                    "tie": tie,
                    "cpu": cpu,
                }
            )
    return out


def prune_rows(x, df, keep: float):
    """``x`` with each row's cheapest entries (lowest weight² / df) dropped while the dropped squared
    weight stays ≤ 1 - keep."""
    x = x.tocsr(copy=True)
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    order = np.lexsort((x.data.astype(np.float64) ** 2 / df[x.indices], rows))
    mass = np.cumsum(x.data[order].astype(np.float64) ** 2)
    before = np.concatenate([[0.0], mass])[x.indptr[rows[order]]]
    drop = np.zeros(x.nnz, dtype=bool)
    drop[order] = mass - before <= 1 - keep
    x.data[drop] = 0
    x.eliminate_zeros()
    return x


def vectors_for(docs: int, measures: int):
    from textkit.counterparts import fit_vectors

    t0 = time.perf_counter()
    tokens, vocab = synthetic(docs, measures)
    t1 = time.perf_counter()
    v = fit_vectors(tokens, docs=[f"d{i}" for i in range(docs)], sizes=[measures] * docs)
    t2 = time.perf_counter()
    del tokens
    return v, vocab, t1 - t0, t2 - t1


def bench_search(docs: int, measures: int, threads: int, sample: int, options: bool) -> dict:
    """The national-scale search, timed, against the raw library call and a brute-force sample."""
    from sparse_dot_topn import sp_matmul_topn

    from textkit.counterparts import nearest_across

    v, vocab, gen_s, fit_s = vectors_for(docs, measures)
    x, doc = v.matrix, v.doc_of_row
    out: dict = {"measures": x.shape[0], "vocabulary": vocab, "nnz": int(x.nnz)}
    out |= {"generate_s": gen_s, "tfidf_s": fit_s, "before_mb": RssPeak._rss() / 2**20}
    out["jit"] = jit_seconds()
    with Timed() as t:
        idx, val = nearest_across(x, v.offsets, top=TOP, threads=threads)
    out["textkit"] = t
    with Timed() as t:
        old_idx, old_val = nearest_across(
            x, v.offsets, top=TOP, threads=threads, engine="sparse_dot_topn"
        )
    out["previous"] = t
    out["same"] = compare_engines(x, v.offsets, (idx, val), (old_idx, old_val))
    del old_idx, old_val
    with Timed() as t:
        xt = x.T.tocsr()
        sp_matmul_topn(x, xt, top_n=TOP, threshold=0.0, n_threads=threads if threads > 1 else None)
    out["raw"] = t
    del xt
    rows = np.sort(np.random.default_rng(1).choice(x.shape[0], sample, replace=False))
    with Timed() as t:
        scores = reference_scores(x, doc, rows)
        ref = top_of(scores, TOP)
    out["reference"] = t
    out["overlap"], out["tie_recall"] = recall(idx[rows], val[rows], *ref)
    ranked = -np.partition(-scores, (0, 4, 49, 999), axis=1)
    out["ranks"] = {r + 1: float(np.median(ranked[:, r])) for r in (0, 4, 49, 999)}
    out["near_5th"] = float(np.median((scores >= ref[1][:, -1:] - 0.01).sum(axis=1)))
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if options:
        out["options"] = search_options(v, docs, measures, rows, scores, ref)
    return out


def jit_seconds() -> dict[str, float]:
    """Seconds for a fresh process to import textkit.topk and run both kernels once on a tiny
    input: with an empty numba cache (compiling) and again with that cache filled."""
    import subprocess
    import sys

    code = (
        "import time; t = time.perf_counter(); import numpy as np, scipy.sparse as sp; "
        "from textkit import topk; x = sp.csr_matrix(np.eye(4, dtype=np.float32)); "
        "topk.top_k(x, x, 2); topk.top_k_across(x, np.array([0, 2, 4]), 2); "
        "print(time.perf_counter() - t)"
    )
    out = {}
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for name in ("compile", "cached"):
            run = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            out[name] = float(run.stdout.split()[-1])
    return out


def compare_engines(x, offsets, new, old) -> dict:
    """Row by row, textkit's engine against the previous one: identical ids, identical score bits,
    and the rows whose ids differ only among candidates tied with the 5th score (the previous
    engine kept whichever of a tie sparse_dot_topn kept; the kernel keeps the lower row)."""
    from textkit.topk import top_k

    same_ids = np.all(new[0] == old[0], axis=1)
    same_scores = np.all(new[1].view(np.int32) == old[1].view(np.int32), axis=1)
    differ = np.flatnonzero(~same_ids)
    tied = 0
    if differ.size:
        doc = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        _, more_val = top_k(x[differ], x, TOP + 1, groups=(doc[differ], doc))
        tied = int(np.sum(more_val[:, TOP - 1] == more_val[:, TOP]))
    return {
        "rows": int(x.shape[0]),
        "same_ids": int(same_ids.sum()),
        "same_scores": int(same_scores.sum()),
        "differ": int(differ.size),
        "differ_tied": tied,
    }


def search_options(v, docs: int, measures: int, rows, scores, ref) -> list[dict]:
    """Candidate generators tried for a sub-quadratic search, each with its candidates re-scored
    exactly: the recall they can reach at best on the same sampled rows (the ceiling of an index
    built on them), and what they cost."""
    x, doc = v.matrix, v.doc_of_row
    xk = x[:, cross_document_columns(x, doc)].tocsr()
    out = option_pruned(x, doc, rows, scores, ref, keeps=(0.85, 0.9), sizes=(200,))
    out += option_blocking(x, doc, rows, scores, ref, ranks=(500, 200), sizes=(1000, 3000))
    out += option_ivf(xk, rows, scores, ref, 256, probes=(8, 32))
    out += option_svd(xk, doc, rows, scores, ref, dims=(256,), sizes=(200, 800))
    tokens, _ = synthetic(docs, measures)
    out += option_semantic(tokens, doc, rows, scores, ref, sizes=(200, 800, 3200))
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


def search_lines(a, s: dict) -> list[str]:
    t, prev, raw, ref, same = s["textkit"], s["previous"], s["raw"], s["reference"], s["same"]
    lines = [
        "",
        f"## Corpus-wide top-{TOP} counterparts: {a.docs} strategies × {a.measures} measures "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {a.threads} threads)",
        "",
        f"- {s['measures']:,} synthetic measures, vocabulary {s['vocabulary']:,} words, "
        f"TF-IDF nnz {s['nnz']:,}; generation {s['generate_s']:.0f} s, "
        f"TF-IDF fit {s['tfidf_s']:.1f} s; RSS before the search {s['before_mb']:.0f} MB",
        f"- textkit `nearest_across` (exact, own document excluded; numba kernel "
        f"`textkit.topk.top_k_across`): {t.line()}",
        f'- previous textkit path, `nearest_across(engine="sparse_dot_topn")`: {prev.line()}',
        f"- raw library, `sp_matmul_topn(X, Xᵀ, top_n={TOP})` (own document not excluded): "
        f"{raw.line()}",
        f"- textkit / raw: **{t.wall / raw.wall:.2f}×** wall, **{t.cpu / raw.cpu:.2f}× CPU**; "
        f"textkit / previous path: {t.wall / prev.wall:.2f}× wall, {t.cpu / prev.cpu:.2f}× CPU",
        f"- textkit against the previous path, all {same['rows']:,} rows: ids identical in "
        f"{same['same_ids']:,}, score bits identical in {same['same_scores']:,}; "
        f"{same['differ']:,} rows differ, {same['differ_tied']:,} of them with the 5th score tied "
        "with the 6th (the previous path kept an arbitrary one of a tie, the kernel the lower row)",
        f"- kernels' start-up in a fresh process: {s['jit']['compile']:.1f} s compiling (empty "
        f"numba cache), {s['jit']['cached']:.1f} s from the cache (import + first calls)",
        f"- recall against brute force (scipy's dense product, {a.sample:,} random measures, "
        f"{ref.wall:.0f} s): id overlap **{s['overlap']:.4f}**, tie-aware {s['tie_recall']:.4f}",
        "- how close the neighbours are (median over the sample): score at rank "
        + ", ".join(f"{r}: {v:.3f}" for r, v in s["ranks"].items())
        + f"; {s['near_5th']:.0f} other-document measures score within 0.01 of the 5th",
        f"- process ru_maxrss (includes generating the corpus and the brute-force sample): "
        f"{s['maxrss_mb']:.0f} MB",
    ]
    if "options" in s:
        lines += [
            "",
            f"### Candidate generators, re-scored exactly (recall on the same {a.sample:,} rows)",
            "",
            "| candidates from | per row | id overlap | tie-aware | cost |",
            "|---|---|---|---|---|",
        ]
        for o in s["options"]:
            cost = (
                f"{o['cpu']:.0f} CPU-s for all rows (1 thread, from the sample)"
                if "cpu" in o
                else o["cost"]
            )
            lines.append(
                f"| {o['method']} | {o['candidates']} | {o['overlap']:.4f} | {o['tie']:.4f} "
                f"| {cost} |"
            )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1788)
    ap.add_argument("--measures", type=int, default=100)
    ap.add_argument("--build-docs", type=int, default=40)
    ap.add_argument("--sample", type=int, default=1000, help="rows checked against brute force")
    ap.add_argument("--threads", type=int, default=2, help="threads for the search")
    ap.add_argument("--skip", default="", help="comma-separated: build, options, search")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_corpus.md")
    a = ap.parse_args()
    skip = set(a.skip.split(","))
    lines = [
        "# Corpus benchmarks (scripts/bench_corpus.py)",
        "",
        f"Machine: {os.cpu_count()} cores, shared (load = 1-minute load average before → after "
        "each step; CPU = seconds of all this process's threads).",
    ]
    if "search" not in skip:
        s = bench_search(a.docs, a.measures, a.threads, a.sample, "options" not in skip)
        lines += search_lines(a, s)
    if "build" in skip:
        lines += [
            "",
            "(corpus build: not run in this run; its profile is scripts/bench_corpus_build.py)",
        ]
    else:
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
