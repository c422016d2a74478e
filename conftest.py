"""Doctests of textkit/ (``--doctest-modules``): each runs from the repository root (its examples
name the bundled corpora/ and tests/cases/ files) with ``textkit`` imported and ``tmp`` an empty
folder for anything it writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem

ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _doctest_globals(request, doctest_namespace, tmp_path, monkeypatch):
    if isinstance(request.node, DoctestItem):
        import textkit

        monkeypatch.chdir(ROOT)
        doctest_namespace["textkit"] = textkit
        doctest_namespace["tmp"] = tmp_path
