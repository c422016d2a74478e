"""Meaning of short Japanese texts from shipped word vectors: texts → unit-length 300-d rows.

What goes in: texts (or token tuples from ``textkit.tokenize``). What comes out: a float32 array
with one L2-normalised row per text (all zeros when no word has a vector), so the cosine of two
texts is one dot product and a whole edition pair is one matrix product.

The vectors are the 20,000 × 300 chiVe-derived static vectors inside the ``ja-ginza`` 5.3.0 wheel
(PyPI; package MIT, vectors Apache-2.0). They are read straight from the wheel's files
(``vocab/vectors`` is a ``.npy`` array; ``vocab/key2row`` a msgpack map from the 64-bit spaCy hash
of a Sudachi normalised form to a row) without importing spaCy or GiNZA: 480k normalised forms
reach the 20k rows. Nothing is ever downloaded; a missing wheel is a ``SettingsError`` naming the
install command. Everything is loaded once per process (~0.15 s, 24 MB mapped).

A text's vector is the SIF-weighted mean of its content words' vectors (Arora et al. 2017: weight
``a / (a + p(w))``, so frequent words count less); ``p(w)`` comes from the row's frequency rank
(chiVe rows are in frequency order), Zipf's law. A compound that has no vector of its own
(企業誘致) is split into its Sudachi mode-A words (企業 + 誘致).

>>> v = embed(["起業の支援", "スタートアップの創出", "消防団員の確保"])
>>> round(float(v[0] @ v[1]), 2) > round(float(v[0] @ v[2]), 2)
True
"""

from __future__ import annotations

import functools
import importlib.util
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import SettingsError

# The wheel that ships the vectors, and where they sit inside it.
VECTOR_PACKAGE = "ja_ginza"
VECTOR_DIR = "ja_ginza-5.3.0/vocab"
INSTALL_HINT = "pip install --no-deps ja-ginza==5.3.0"
DIM = 300
# SIF smoothing constant: 1e-3 is the paper's recommended value; words with p(w) ≫ a (する, こと)
# count little, rare content words count fully.
SIF_A = 1e-3
_MASK64 = (1 << 64) - 1
_M = 0xC6A4A7935BD1E995  # MurmurHash64A multiplier
_R = 47
_SPACY_SEED = 1  # spaCy hashes strings with MurmurHash64A, seed 1 (spacy/strings.pyx)


def murmurhash64a(data: bytes, seed: int = _SPACY_SEED) -> int:
    """MurmurHash64A, the hash spaCy keys its vectors by (570k short strings/s in Python).

    >>> murmurhash64a("子供".encode()) > 0
    True
    """
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK64
    blocks = n // 8
    for i in range(blocks):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * _M) & _MASK64
        k ^= k >> _R
        k = (k * _M) & _MASK64
        h ^= k
        h = (h * _M) & _MASK64
    tail = data[8 * blocks :]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK64
    h ^= h >> _R
    h = (h * _M) & _MASK64
    h ^= h >> _R
    return h


def vector_dir() -> Path:
    """The directory of the shipped vectors (found without importing the package)."""
    spec = importlib.util.find_spec(VECTOR_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SettingsError(
            f"the semantic signal needs the word vectors of the ja-ginza wheel: {INSTALL_HINT} "
            "(make test / make demo install it), or set w_semantic = 0"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / VECTOR_DIR
    if not (path / "vectors").is_file() or not (path / "key2row").is_file():
        raise SettingsError(f"{path}: the ja-ginza wheel has no vectors; reinstall: {INSTALL_HINT}")
    return path


@dataclass(frozen=True)
class _Keys:
    """hash → vector row as two sorted arrays (the wheel's msgpack map is 480k entries: 56 MB as
    a Python dict, 6 MB as arrays)."""

    keys: np.ndarray  # uint64, sorted
    rows: np.ndarray  # int32, the row of each key

    @classmethod
    def of(cls, mapping: dict[int, int]) -> _Keys:
        keys = np.fromiter(mapping.keys(), dtype=np.uint64, count=len(mapping))
        rows = np.fromiter(mapping.values(), dtype=np.int32, count=len(mapping))
        order = np.argsort(keys)
        return cls(keys[order], rows[order])

    def get(self, key: int) -> int | None:
        k = np.searchsorted(self.keys, np.uint64(key))
        if k < len(self.keys) and int(self.keys[k]) == key:
            return int(self.rows[k])
        return None


@functools.lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, _Keys, np.ndarray, np.ndarray]:
    """(unit-length vectors, hash → row, SIF weight per row, common direction), loaded once."""
    import msgpack  # a dependency of dask[distributed]

    path = vector_dir()
    raw = np.load(path / "vectors", mmap_mode="r")
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    unit = np.divide(raw, norms, out=np.zeros(raw.shape, dtype=np.float32), where=norms > 0)
    key2row = _Keys.of(msgpack.unpackb((path / "key2row").read_bytes(), strict_map_key=False))
    n = raw.shape[0]
    harmonic = math.log(n) + 0.5772  # Zipf: p(rank r) = 1 / ((r + 1) · H_n)
    p = 1.0 / ((np.arange(n) + 1.0) * harmonic)
    weight = (SIF_A / (SIF_A + p)).astype(np.float32)
    # SIF's second step removes the direction every text shares; it is estimated here from the
    # vocabulary itself (frequency-weighted mean of the rows), not from the texts at hand, so a
    # text's vector does not depend on what it is compared with. Cosines of unrelated titles
    # drop from ~0.3 to ~0.05 while paraphrases keep ~0.4 (消防団の充実 ↔ 地域防災力の強化 0.57).
    common = (p[:, None] * unit).sum(axis=0)
    common = (common / np.linalg.norm(common)).astype(np.float32)
    return unit, key2row, weight, common


@functools.lru_cache(maxsize=200_000)
def word_rows(word: str) -> tuple[int, ...]:
    """Vector rows for one normalised word: its own, or those of its mode-A parts, or none."""
    _, key2row, _, _ = _table()
    # tokens are lower-cased; the vectors key Latin acronyms in capitals (ICT, DX, SNS)
    for form in (word, word.upper()):
        row = key2row.get(murmurhash64a(form.encode("utf-8")))
        if row is not None:
            return (int(row),)
    if len(word) < 3:
        return ()
    from .tokenize import split_words

    parts = split_words(word)
    if len(parts) < 2:
        return ()
    rows = (key2row.get(murmurhash64a(p.encode("utf-8"))) for p in parts)
    return tuple(int(r) for r in rows if r is not None)


def embed_tokens(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """One unit-length row per token list (SIF-weighted mean of the words' vectors).

    All lists at once: a sparse (lists × vector rows) matrix of SIF weights times the vector
    table, so 10,000 measures cost one product instead of 10,000 small ones (5,000 × 5,000
    ``align`` spent 2 s here).
    """
    import scipy.sparse as sp

    unit, _, weight, common = _table()
    indptr = [0]
    indices: list[int] = []
    for tokens in token_lists:
        for t in tokens:
            indices.extend(word_rows(t))
        indptr.append(len(indices))
    idx = np.asarray(indices, dtype=np.int64)
    bag = sp.csr_matrix(
        (weight[idx], idx, np.asarray(indptr, dtype=np.int64)),
        shape=(len(token_lists), unit.shape[0]),
    )
    v = np.asarray(bag @ unit, dtype=np.float32)
    v -= np.outer(v @ common, common).astype(np.float32)
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norm, out=np.zeros_like(v), where=norm > 0)


@functools.lru_cache(maxsize=200_000)
def _word_vector(word: str) -> np.ndarray:
    vector = embed_tokens([(word,)])[0]
    vector.flags.writeable = False  # shared by every caller through the cache
    return vector


def word_vectors(words: Sequence[str]) -> np.ndarray:
    """One unit-length row per word (``embed_tokens`` of the word alone), cached per word: the
    part-of checks and explanations ask for the same words pair after pair."""
    if not words:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([_word_vector(w) for w in words])


def embed(texts: Sequence[str], *, mode: str = "C") -> np.ndarray:
    """One unit-length row per text (content words by ``textkit.tokenize``): for neighbour
    search, ``embed(a) @ embed(b).T`` is the cosine matrix."""
    from .tokenize import analyze_many

    return embed_tokens([a.tokens for a in analyze_many(list(texts), mode=mode, synonyms=False)])
