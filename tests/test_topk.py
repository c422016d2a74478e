"""textkit.topk: the exact top-k kernels against an independent reference.

The reference scores every pair in plain Python with numpy float32 scalars, the products summed in
ascending term order (what the kernels promise bit for bit), then orders by the module's rule
(score descending, row ascending, positive only).  So ids, ties and score bits must all be equal;
a dense scipy product checks the scores once more within float32 rounding."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize

from textkit import topk
from textkit.counterparts import nearest_across


def _row(m: sp.csr_matrix, i: int) -> dict:
    s = slice(m.indptr[i], m.indptr[i + 1])
    return dict(zip(m.indices[s], m.data[s], strict=True))


def _pair_score(a: sp.csr_matrix, i: int, b: sp.csr_matrix, j: int) -> np.float32:
    x, y = _row(a, i), _row(b, j)
    s = np.float32(0.0)
    for t in sorted(set(x) & set(y)):
        s = np.float32(s + np.float32(x[t] * y[t]))
    return s


def _reference(a, b, k, excluded) -> tuple[np.ndarray, np.ndarray]:
    idx = np.full((a.shape[0], k), -1, dtype=np.int64)
    val = np.zeros((a.shape[0], k), dtype=np.float32)
    for i in range(a.shape[0]):
        scored = [(_pair_score(a, i, b, j), j) for j in range(b.shape[0]) if not excluded(i, j)]
        best = sorted(((-s, j) for s, j in scored if s > 0))[:k]
        for r, (s, j) in enumerate(best):
            idx[i, r], val[i, r] = j, -s
    return idx, val


@st.composite
def _rows(draw, max_rows: int = 14):
    """l2-normalised sparse float32 rows over a few terms; sometimes with duplicated rows (exact
    ties) and rows without any term."""
    n = draw(st.integers(1, max_rows))
    terms = draw(st.integers(1, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    m = sp.random(n, terms, density=draw(st.sampled_from([0.2, 0.5, 0.9])), random_state=rng)
    m = normalize(m.tocsr()).astype(np.float32)
    if draw(st.booleans()):
        copies = rng.integers(0, n, draw(st.integers(1, 4)))
        m = sp.vstack([m, m[copies]], format="csr")
        m = m[rng.permutation(m.shape[0])]
    return sp.csr_matrix(m, dtype=np.float32)


def _equal(got, want) -> None:
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1].view(np.int32), want[1].view(np.int32))  # same bits


@settings(max_examples=80, deadline=None)
@given(_rows(), _rows(), st.integers(1, 5), st.booleans(), st.integers(0, 2**16))
def test_top_k_equals_reference(a, b, k, grouped, seed):
    b = sp.csr_matrix(b[:, : a.shape[1]], shape=(b.shape[0], a.shape[1]))
    rng = np.random.default_rng(seed)
    ga, gb = rng.integers(0, 3, a.shape[0]), rng.integers(0, 3, b.shape[0])
    groups = (ga, gb) if grouped else None
    got = topk.top_k(a, b, k, groups=groups)
    _equal(got, _reference(a, b, k, lambda i, j: grouped and ga[i] == gb[j]))
    dense = (a @ b.T).toarray()
    for r in range(a.shape[0]):
        found = got[0][r] >= 0
        np.testing.assert_allclose(got[1][r][found], dense[r, got[0][r][found]], rtol=1e-5)


@settings(max_examples=80, deadline=None)
@given(_rows(max_rows=30), st.integers(1, 5), st.integers(0, 2**16), st.sampled_from([1, 2]))
def test_top_k_across_equals_reference(x, k, seed, threads):
    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.integers(0, x.shape[0] + 1, rng.integers(0, 6)))
    offsets = np.unique(np.concatenate([[0], cuts, [x.shape[0]]]))
    doc = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    got = topk.top_k_across(x, offsets, k, threads=threads)
    _equal(got, _reference(x, x, k, lambda i, j: doc[i] == doc[j]))


def test_chunks_and_threads_do_not_change_the_result(monkeypatch):
    """Many small chunks on two threads: each pair lands in one thread's lists, merged by the
    rule — identical to one thread, and to the reference, ties included."""
    rng = np.random.default_rng(3)
    x = normalize(sp.random(70, 9, density=0.4, random_state=rng, format="csr"))
    x = sp.csr_matrix(sp.vstack([x, x[:12], x[:5]]), dtype=np.float32)  # exact ties
    offsets = np.array([0, 7, 20, 33, 50, 61, 70, 82, 87])
    doc = np.repeat(np.arange(8), np.diff(offsets))
    want = _reference(x, x, 4, lambda i, j: doc[i] == doc[j])
    monkeypatch.setattr(topk, "CHUNK_ROWS", 3)
    for threads in (1, 2, 3):
        _equal(topk.top_k_across(x, offsets, 4, threads=threads), want)
        _equal(
            topk.top_k(x, x, 4, groups=(doc, doc), threads=threads),
            want,
        )


def test_ties_put_the_lower_row_first():
    row = sp.csr_matrix(np.array([[0.6, 0.8, 0.0]], dtype=np.float32))
    other = sp.csr_matrix(np.array([[0.0, 0.0, 1.0]], dtype=np.float32))
    x = sp.vstack([row, other, row, row, other, row], format="csr")  # rows 0, 2, 3, 5 equal
    idx, val = topk.top_k_across(x, np.array([0, 1, 2, 3, 4, 5, 6]), 2)
    assert idx[5].tolist() == [0, 2] and idx[0].tolist() == [2, 3]
    assert idx[1].tolist() == [4, -1] and val[1].tolist() == [1.0, 0.0]
    idx, _ = topk.top_k(x[5:], x, 3)
    assert idx[0].tolist() == [0, 2, 3]


def test_nearest_across_equals_the_previous_engine():
    """The numba engine and the sparse_dot_topn path agree on TF-IDF-like rows (scores to the
    bit; ids wherever the k-th score is not tied)."""
    rng = np.random.default_rng(7)
    counts = sp.random(400, 60, density=0.08, random_state=rng, format="csr")
    counts.data = np.ceil(counts.data * 3)
    x = sp.csr_matrix(normalize(counts), dtype=np.float32)
    offsets = np.arange(0, 401, 20)
    new = nearest_across(x, offsets, top=5, threads=2)
    old = nearest_across(x, offsets, top=5, threads=2, engine="sparse_dot_topn")
    np.testing.assert_array_equal(new[1], old[1])
    six = topk.top_k_across(x, offsets, 6)[1]
    untied = six[:, 4] > six[:, 5]  # the 5th strictly above the 6th: no choice at the boundary
    assert untied.mean() > 0.5
    np.testing.assert_array_equal(new[0][untied], old[0][untied])


def test_bad_shapes_are_refused():
    x = sp.csr_matrix(np.eye(3, dtype=np.float32))
    with pytest.raises(ValueError, match="term space"):
        topk.top_k(x, x[:, :2], 1)
    with pytest.raises(ValueError, match="offsets"):
        topk.top_k_across(x, np.array([0, 2]), 1)
    assert topk.top_k(x[:0], x, 2)[0].shape == (0, 2)
