"""National top-5, the numba kernel and the raw library call, timed in one process.

A short companion of ``scripts/bench_corpus.py`` (which also checks recall against brute force,
compares engines row by row and tries candidate generators): this one only times
``nearest_across`` and the plain ``sp_matmul_topn(X, Xᵀ, top_n=5)`` on the same synthetic
national corpus, so the wall time can be taken in the few minutes a shared machine is quiet.

    .venv/bin/python -m scripts.bench_search_quiet
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable

from scripts.bench_corpus import vectors_for


def timed(name: str, fn: Callable[[], object]) -> None:
    load = os.getloadavg()[0]
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{name}: wall {wall:.1f} s, CPU {cpu:.1f} s, load {load:.2f} → {os.getloadavg()[0]:.2f}")


def main() -> None:
    from sparse_dot_topn import sp_matmul_topn

    from textkit.counterparts import nearest_across

    v, _vocab, _gen, _fit = vectors_for(1788, 100)
    x = v.matrix
    print(f"{x.shape[0]:,} measures, nnz {x.nnz:,}")
    timed(
        "textkit nearest_across (numba kernel, 2 threads)",
        lambda: nearest_across(x, v.offsets, top=5, threads=2),
    )
    timed(
        "raw sp_matmul_topn(X, Xᵀ, top_n=5, n_threads=2)",
        lambda: sp_matmul_topn(x, x.T.tocsr(), top_n=5, n_threads=2),
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
