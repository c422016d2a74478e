"""textkit: read Japanese municipal strategy documents (地方版総合戦略) and map how their measures
continue from one edition to the next and compare across cities.

>>> import textkit
>>> doc = textkit.read("corpora/otaru_2nd_strategy.pdf")          # Document (pages → blocks)
"""

from __future__ import annotations

from pathlib import Path

from .errors import TextkitError
from .models import ContinuityMap, Document, Measure, Strategy

__version__ = "0.1.0"

__all__ = [
    "ContinuityMap",
    "Document",
    "Measure",
    "Strategy",
    "TextkitError",
    "__version__",
    "read",
]


def read(path: str | Path) -> Document:
    """Read a PDF, text or Markdown document into normalised text blocks with page numbers."""
    from .extract import read as _read

    return _read(path)
