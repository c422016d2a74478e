"""Cross-city comparison: every measure's closest counterparts in every other document (formats §6).

In: ``(name, Strategy)`` pairs.  Out: ``list[Counterpart]`` (``compare_strategies``) or, for a whole
corpus, the top-k neighbours of every measure in any other document (``nearest_across``).

Method, stage by stage:

``measure_tokens``   title + text + items → content words (``textkit.tokenize.tokenize_many``); the
                     title's words count ``title_weight`` times (measured: once is best).
``fit_vectors``      one TF-IDF space over all measures of all documents (sublinear tf, l2 norm),
                     so the same word weighs the same in every document pair.  A sparse CSR matrix,
                     rows grouped by document.
``top_k_blocked``    cosine top k per row, never an N×N matrix: by default the exact numba kernels of
                     ``textkit.topk`` (one dense accumulator per row over the inverted index, the
                     symmetric product for ``nearest_across``; ties: lower row first); engines
                     ``sparse_dot_topn`` (the previous path: top k inside a multithreaded C++
                     product of row blocks, the own document excluded by one extra column per
                     document) and ``scipy`` remain for comparison.
``matched_terms``    the shared words that carry a pair's score, largest contribution first.

Settings (``settings.CounterpartSettings``: title weight, matched terms shown): defaults and why in
``textkit/data/counterparts.toml``; ``compare_strategies(settings=)`` resolves them once.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .errors import EmptyDocumentError, TextkitError
from .models import Counterpart, Measure, Strategy
from .settings import CounterpartSettings, bundled, resolve_as
from .tfidf import fit_tfidf

# Rows multiplied per call in ``top_k_blocked``.  Only each row's top k survives a call, so memory
# is the input matrices plus O(block_rows × k) (scipy fallback: the block's sparse product); 32,768
# rows keep the fallback's block below ~1 GB on the synthetic 178,800-measure corpus.
BLOCK_ROWS = 1 << 15
# Threads for the corpus-wide product (the kernels release the GIL; sparse_dot_topn measured
# 1.5–1.8× on 2 cores for 30,000 measures).
THREADS = os.cpu_count() or 1
# ``engine`` values of ``top_k_blocked`` / ``nearest_across``: "auto" = the numba kernel.
ENGINES = ("auto", "sparse_dot_topn", "scipy")

Tokenizer = Callable[[Sequence[str]], list[tuple[str, ...]]]


def default_tokenizer() -> Tokenizer:
    from .tokenize import tokenize_many

    return tokenize_many


def measure_body(m: Measure) -> str:
    """The measure's prose: description and items, one per line."""
    return "\n".join([m.text, *m.items]).strip()


def measure_tokens(
    measures: Sequence[Measure],
    *,
    tokenize: Tokenizer | None = None,
    settings: CounterpartSettings | None = None,
) -> list[tuple[str, ...]]:
    """One bag of words per measure: title words ``title_weight`` times, then the body's words."""
    weight = (settings or bundled(CounterpartSettings)).title_weight
    tok = tokenize or default_tokenizer()
    texts = [m.title for m in measures] + [measure_body(m) for m in measures]
    toks = tok(texts)
    n = len(measures)
    return [tuple(toks[i]) * weight + tuple(toks[n + i]) for i in range(n)]


@dataclass(frozen=True)
class MeasureVectors:
    """TF-IDF rows for the measures of several documents, rows grouped by document.

    ``offsets[d]:offsets[d+1]`` are document ``d``'s rows; ``terms[j]`` is column ``j``'s word.
    """

    docs: tuple[str, ...]
    ids: tuple[str, ...]
    titles: tuple[str, ...]
    offsets: np.ndarray
    matrix: sp.csr_matrix
    terms: np.ndarray

    def rows(self, doc: str) -> slice:
        d = self.docs.index(doc)
        return slice(int(self.offsets[d]), int(self.offsets[d + 1]))

    @property
    def doc_of_row(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.docs)), np.diff(self.offsets))


def fit_vectors(
    token_lists: Sequence[Sequence[str]],
    *,
    docs: Sequence[str],
    sizes: Sequence[int],
    ids: Sequence[str] = (),
    titles: Sequence[str] = (),
) -> MeasureVectors:
    """Fit one TF-IDF space on all measures (``sizes[d]`` consecutive rows belong to ``docs[d]``)."""
    tfidf = fit_tfidf(token_lists)
    if not tfidf.terms:
        raise EmptyDocumentError(
            "no content words in any measure; check that the documents have measure titles"
        )
    return MeasureVectors(
        docs=tuple(docs),
        ids=tuple(ids),
        titles=tuple(titles),
        offsets=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
        matrix=tfidf.matrix,
        terms=np.asarray(tfidf.terms, dtype=object),
    )


def vectorize(
    docs: Sequence[tuple[str, Strategy]],
    *,
    tokenize: Tokenizer | None = None,
    settings: CounterpartSettings | None = None,
) -> MeasureVectors:
    """Tokenise and vectorise the measures of every document in one TF-IDF space."""
    names = [name for name, _ in docs]
    if len(set(names)) != len(names):
        raise TextkitError(f"two documents share a name ({', '.join(names)}); give each its own")
    for name, s in docs:
        if not s.measures:
            raise EmptyDocumentError("has no measures to compare", path=name)
    measures = [m for _, s in docs for m in s.measures]
    return fit_vectors(
        measure_tokens(measures, tokenize=tokenize, settings=settings),
        docs=names,
        sizes=[len(s.measures) for _, s in docs],
        ids=[m.id for m in measures],
        titles=[m.title for m in measures],
    )


def _own_group_columns(groups: np.ndarray, n_groups: int, value: float) -> sp.csr_matrix:
    """One extra column per group holding ``value`` in each row of that group (see ``top_k_blocked``)."""
    rows = np.arange(groups.size)
    data = np.full(groups.size, value, dtype=np.float32)
    return sp.csr_matrix((data, (rows, groups)), shape=(groups.size, n_groups))


def _block_top_k_scipy(a: sp.csr_matrix, bt: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Fallback without sparse_dot_topn: sparse product, then each row's ``k`` largest positive
    entries chosen on the sparse result (sorted by row, then score descending)."""
    c = (a @ bt).tocsr()
    c.data[c.data <= 0] = 0
    c.eliminate_zeros()
    rows = np.repeat(np.arange(c.shape[0]), np.diff(c.indptr))
    order = np.lexsort((c.indices, -c.data, rows))
    pos = np.arange(c.nnz) - c.indptr[rows[order]]
    keep = order[pos < k]
    return sp.csr_matrix((c.data[keep], (rows[keep], c.indices[keep])), shape=c.shape)


def _block_top_k(a: sp.csr_matrix, bt: sp.csr_matrix, k: int, threads: int) -> sp.csr_matrix:
    from sparse_dot_topn import sp_matmul_topn

    return sp_matmul_topn(a, bt, top_n=k, threshold=0.0, n_threads=threads if threads > 1 else None)


def top_k_blocked(
    a: sp.csr_matrix,
    b: sp.csr_matrix,
    k: int,
    *,
    groups: tuple[np.ndarray, np.ndarray] | None = None,
    block_rows: int = BLOCK_ROWS,
    threads: int = 1,
    engine: str = "auto",
) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` columns of ``a @ b.T`` per row with a positive score, as (indices, scores),
    each ``len(a) × k``, best first (ties: lower column first), scores clipped to 0–1.

    ``engine="auto"``: ``textkit.topk.top_k`` (exact numba kernel, ``threads`` threads).  The
    product is never materialised.  ``groups=(group of each a row, group of each b row)`` excludes
    pairs in the same group (a measure's own document).  Missing neighbours get index -1 and score
    0.  ``engine="sparse_dot_topn"`` / ``"scipy"``: row blocks of ``block_rows`` multiplied with
    ``b.T``, only each row's ``k`` best kept (top-k inside sparse_dot_topn's multithreaded C++
    product, or scipy's product then a selection); the own group is excluded by one extra column
    per group, +1 in ``a`` and -2 in ``b``, so a same-group cosine (≤ 1) drops to ≤ -1 and is
    discarded with the non-positive scores.  Among entries tied at the k-th score these two keep
    whichever the library kept.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "auto":
        from .topk import top_k

        idx, val = top_k(a, b, k, groups=groups, threads=threads)
        return idx, np.clip(val, 0.0, 1.0)
    n = a.shape[0]
    idx = np.full((n, k), -1, dtype=np.int64)
    val = np.zeros((n, k), dtype=np.float32)
    if n == 0 or b.shape[0] == 0:
        return idx, val
    a = a.astype(np.float32).tocsr()
    b = b.astype(np.float32).tocsr()
    if groups is not None:
        ga, gb = (np.asarray(g, dtype=np.int64) for g in groups)
        n_groups = int(max(ga.max(), gb.max())) + 1
        a = sp.hstack([a, _own_group_columns(ga, n_groups, 1.0)], format="csr")
        b = sp.hstack([b, _own_group_columns(gb, n_groups, -2.0)], format="csr")
    bt = b.T.tocsr()
    for start in range(0, n, max(1, block_rows)):
        block = a[start : start + block_rows]
        if engine == "scipy":
            c = _block_top_k_scipy(block, bt, k)
        else:
            c = _block_top_k(block, bt, k, threads)
        rows = np.repeat(np.arange(c.shape[0]), np.diff(c.indptr))
        order = np.lexsort((c.indices, -c.data, rows))
        pos = np.arange(c.nnz) - c.indptr[rows[order]]
        keep = order[pos < k]
        r, p = rows[keep] + start, pos[pos < k]
        idx[r, p] = c.indices[keep]
        val[r, p] = np.clip(c.data[keep], 0.0, 1.0)
    return idx, val


def matched_terms(vectors: MeasureVectors, i: int, j: int, limit: int | None = None) -> tuple:
    """Words shared by rows ``i`` and ``j``, largest contribution to their cosine first (ties:
    the word's column order; at most ``limit``; default: the settings' ``matched_terms``)."""
    return matched_terms_many(vectors, [i], [j], limit)[0]


# Pairs handled at once by ``matched_terms_many``: with ~40 stored words per measure a block
# holds ~4 million entries (≈ 100 MB of work arrays) whatever the corpus size.
MATCHED_TERMS_BLOCK = 50_000


def matched_terms_many(
    vectors: MeasureVectors,
    a_rows: Sequence[int] | np.ndarray,
    b_rows: Sequence[int] | np.ndarray,
    limit: int | None = None,
) -> list[tuple[str, ...]]:
    """``matched_terms`` of every pair (``a_rows[k]``, ``b_rows[k]``) at once: the rows of each
    side taken in one call, shared words found by one sort of (pair, word) keys — no CSR slice
    per pair (≈ 100 µs each; 894,000 pairs at national scale, ``reports/bench_matched_terms.md``)."""
    if limit is None:
        limit = bundled(CounterpartSettings).matched_terms
    a = np.asarray(a_rows, dtype=np.int64)
    b = np.asarray(b_rows, dtype=np.int64)
    out: list[tuple[str, ...]] = []
    for start in range(0, a.size, MATCHED_TERMS_BLOCK):
        block = slice(start, start + MATCHED_TERMS_BLOCK)
        out += _matched_block(vectors, a[block], b[block], limit)
    return out


def _matched_block(
    vectors: MeasureVectors, a: np.ndarray, b: np.ndarray, limit: int
) -> list[tuple[str, ...]]:
    n = a.size
    x, y = vectors.matrix[a], vectors.matrix[b]
    width = np.int64(vectors.matrix.shape[1])
    pair_x = np.repeat(np.arange(n, dtype=np.int64), np.diff(x.indptr))
    pair_y = np.repeat(np.arange(n, dtype=np.int64), np.diff(y.indptr))
    keys = np.concatenate([pair_x * width + x.indices, pair_y * width + y.indices])
    values = np.concatenate([x.data, y.data])
    order = np.argsort(keys, kind="stable")  # a word of both rows: x's entry, then y's
    ordered = keys[order]
    both = ordered[1:] == ordered[:-1]
    contribution = values[order[:-1][both]] * values[order[1:][both]]
    shared = ordered[:-1][both]
    pair, term = shared // width, shared % width
    ranked = np.lexsort((term, -contribution, pair))  # per pair: largest first, then column
    pair, term = pair[ranked], term[ranked]
    bounds = np.searchsorted(pair, np.arange(n + 1))
    words = vectors.terms
    return [tuple(str(t) for t in words[term[s:e][:limit]]) for s, e in itertools.pairwise(bounds)]


def counterparts(
    vectors: MeasureVectors,
    a_doc: str,
    b_doc: str,
    *,
    top: int = 3,
    settings: CounterpartSettings | None = None,
) -> list:
    """Counterpart rows for every measure of ``a_doc`` in ``b_doc``, rank 1 first."""
    limit = (settings or bundled(CounterpartSettings)).matched_terms
    ra, rb = vectors.rows(a_doc), vectors.rows(b_doc)
    idx, val = top_k_blocked(vectors.matrix[ra], vectors.matrix[rb], top)
    out: list[Counterpart] = []
    for r in range(idx.shape[0]):
        i = ra.start + r
        for rank, (c, s) in enumerate(zip(idx[r], val[r], strict=True), start=1):
            if c < 0:
                break
            j = rb.start + int(c)
            out.append(
                Counterpart(
                    a_doc=a_doc,
                    a_id=vectors.ids[i],
                    a_title=vectors.titles[i],
                    b_doc=b_doc,
                    b_id=vectors.ids[j],
                    b_title=vectors.titles[j],
                    rank=rank,
                    score=round(float(s), 4),
                    matched_terms=matched_terms(vectors, i, j, limit),
                )
            )
    return out


def compare_strategies(
    docs: Sequence[tuple[str, Strategy]],
    *,
    top: int = 3,
    tokenize: Tokenizer | None = None,
    settings: CounterpartSettings | Mapping[str, Any] | str | Path | None = None,
) -> list[Counterpart]:
    """For every measure of every document, its ``top`` closest counterparts in each other one.

    Rows come grouped by (a_doc, b_doc) in the given document order, then by a's measure order and
    rank.  A measure sharing no content word with ``b_doc`` has no row for it.  ``settings``:
    ``CounterpartSettings``, a dict of overrides or a TOML file with ``[counterparts]``.
    """
    s = resolve_as(CounterpartSettings, settings, CounterpartSettings.section)
    if len(docs) < 2:
        raise TextkitError("compare needs at least two documents")
    if top < 1:
        raise TextkitError(f"--top must be at least 1 (got {top})")
    vectors = vectorize(docs, tokenize=tokenize, settings=s)
    out: list[Counterpart] = []
    for a in vectors.docs:
        for b in vectors.docs:
            if a != b:
                out.extend(counterparts(vectors, a, b, top=top, settings=s))
    return out


def nearest_across(
    matrix: sp.csr_matrix,
    offsets: np.ndarray,
    *,
    top: int = 5,
    block_rows: int = BLOCK_ROWS,
    threads: int = THREADS,
    engine: str = "auto",
) -> tuple[np.ndarray, np.ndarray]:
    """Corpus-wide: each row's ``top`` nearest rows in any *other* document (cosine).

    ``offsets`` delimit the documents' consecutive rows.  Exact (no pruning).  ``engine="auto"``:
    ``textkit.topk.top_k_across`` (each pair of documents multiplied once, for both rows; ties:
    lower row first); other engines: ``top_k_blocked`` with the own document as the group.
    Returns (indices, scores), ``rows × top``.
    """
    if engine == "auto":
        from .topk import top_k_across

        idx, val = top_k_across(matrix, offsets, top, threads=threads)
        return idx, np.clip(val, 0.0, 1.0)
    doc_of_row = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    return top_k_blocked(
        matrix,
        matrix,
        top,
        groups=(doc_of_row, doc_of_row),
        block_rows=block_rows,
        threads=threads,
        engine=engine,
    )
