"""counterparts.matched_terms_many (one sort for many pairs) gives exactly what the per-pair
intersection gave, word for word and in order, on real measures and on random sparse rows with
ties, no shared word, a row with itself and explicit zeros; speed: scripts/bench_matched_terms.py."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts.bench_matched_terms import per_pair  # the per-pair intersection textkit used before
from textkit.counterparts import MeasureVectors, matched_terms, matched_terms_many, vectorize
from textkit.sources import load_pair, parse

from .conftest import CORPORA, TOMAKOMAI_TXT


@pytest.fixture(scope="module")
def real() -> MeasureVectors:
    old, new = load_pair(TOMAKOMAI_TXT, TOMAKOMAI_TXT)
    otaru = parse(CORPORA / "otaru_2nd_strategy.md")
    return vectorize([("old", old), ("new", new), ("otaru", otaru)])


@pytest.mark.parametrize("limit", [1, 3, 8, 100])
def test_every_pair_of_real_measures_matches_the_per_pair_reference(real, limit):
    n = real.matrix.shape[0]
    a, b = np.divmod(np.arange(n * n), n)
    expected = [per_pair(real, int(i), int(j), limit) for i, j in zip(a, b, strict=True)]
    assert matched_terms_many(real, a, b, limit) == expected
    assert sum(bool(t) for t in expected) > n  # shared words are there to order
    assert matched_terms(real, 0, 1, limit) == expected[1]


@st.composite
def _vectors(draw):
    rows, cols = draw(st.integers(1, 12)), draw(st.integers(1, 15))
    # few distinct values: ties in contribution are common
    cells = draw(
        st.lists(
            st.sampled_from([0.0, 0.25, 0.5, 0.5, 1.0]), min_size=rows * cols, max_size=rows * cols
        )
    )
    dense = np.array(cells, dtype=np.float32).reshape(rows, cols)
    matrix = sp.csr_matrix(dense)
    if draw(st.booleans()) and matrix.nnz:  # an explicit zero stored, as a CSR may hold
        matrix.data[0] = 0.0
    terms = np.array([f"w{k}" for k in range(cols)], dtype=object)
    v = MeasureVectors(("d",), (), (), np.array([0, rows]), matrix, terms)
    pairs = draw(
        st.lists(st.tuples(st.integers(0, rows - 1), st.integers(0, rows - 1)), max_size=30)
    )
    return v, pairs, draw(st.integers(1, 6))


@given(_vectors())
@settings(max_examples=200, deadline=None)
def test_random_rows_match_the_per_pair_reference(case):
    v, pairs, limit = case
    a = [i for i, _ in pairs]
    b = [j for _, j in pairs]
    assert matched_terms_many(v, a, b, limit) == [per_pair(v, i, j, limit) for i, j in pairs]


def test_blocks_join_seamlessly(real, monkeypatch):
    from textkit import counterparts

    n = real.matrix.shape[0]
    a, b = np.arange(n), np.arange(n)[::-1]
    whole = matched_terms_many(real, a, b, 5)
    monkeypatch.setattr(counterparts, "MATCHED_TERMS_BLOCK", 7)
    assert matched_terms_many(real, a, b, 5) == whole
    assert matched_terms_many(real, [], [], 5) == []
