"""The one TF-IDF set-up: pre-tokenised documents (or character n-grams) → L2-normalised rows.

What goes in: documents as token sequences (``analyzer=identity``, the default) or strings with a
scikit-learn analyzer such as ``"char"``. What comes out: ``Tfidf`` — the CSR matrix (float32, one
row per document), the vocabulary's IDF per term, and the term of each column. Every TF-IDF in
textkit (alignment signals, cross-city counterparts, KPI names) is fitted here, with one identity
analyzer and one choice of weighting (sublinear tf, no lower-casing: tokens are already normalised).

>>> t = fit_tfidf([("観光", "振興"), ("観光", "交流")])
>>> t.matrix.shape, bool(t.idf["振興"] > t.idf["観光"])
((2, 3), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp


def identity(tokens: Sequence[str]) -> Sequence[str]:
    """Analyzer for pre-tokenised input (module level, so fitted vectorizers pickle)."""
    return tokens


@dataclass(frozen=True)
class Tfidf:
    matrix: sp.csr_matrix  # one L2-normalised row per document
    idf: dict[str, float] = field(default_factory=dict)  # term → idf
    terms: tuple[str, ...] = ()  # the term of each column
    idf_vector: np.ndarray | None = None  # idf per column, for weighted overlaps

    def split(self, n: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """The first ``n`` rows and the rest (two sides fitted together)."""
        return self.matrix[:n], self.matrix[n:]


def fit_tfidf(docs: Sequence[Any], *, analyzer: Any = identity, **options: Any) -> Tfidf:
    """TF-IDF over ``docs`` (IDF fitted on these documents only). An empty vocabulary (every
    document empty or all stop words) gives an all-zero one-column matrix, not an error."""
    # scikit-learn is imported where it is used: importing it costs ~1 s, which every CLI call
    # (even --help) would otherwise pay.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, lowercase=False, **options)
    try:
        x = vec.fit_transform(list(docs))
    except ValueError:  # empty vocabulary
        return Tfidf(sp.csr_matrix((len(docs), 1), dtype=np.float32))
    terms = tuple(vec.get_feature_names_out())
    return Tfidf(
        x.tocsr().astype(np.float32),
        dict(zip(terms, vec.idf_, strict=True)),
        terms,
        vec.idf_,
    )
