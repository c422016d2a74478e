"""textkit: read Japanese municipal strategy documents (地方版総合戦略) and map how their measures
continue from one edition to the next and compare across cities.

>>> import textkit
>>> doc = textkit.read("corpora/otaru_2nd_strategy.pdf")          # Document (pages → blocks)

The functions live in ``textkit.sources`` (reading) and ``textkit.pipeline`` (chaining the
stages); no module inside the package imports this one.
"""

from __future__ import annotations

from ._version import __version__
from .errors import TextkitError
from .models import ContinuityMap, Document, Measure, Strategy
from .pipeline import align, attainment, audit_kpis, compare, report
from .sources import parse, read

__all__ = [
    "ContinuityMap",
    "Document",
    "Measure",
    "Strategy",
    "TextkitError",
    "__version__",
    "align",
    "attainment",
    "audit_kpis",
    "compare",
    "parse",
    "read",
    "report",
]
