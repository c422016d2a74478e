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
    "align",
    "audit_kpis",
    "compare",
    "parse",
    "read",
    "report",
]


def read(path: str | Path) -> Document:
    """Read a PDF, text or Markdown document into normalised text blocks with page numbers."""
    from .extract import read as _read

    return _read(path)


def parse(path: str | Path) -> Strategy:
    """A strategy's goals, measures and KPIs: a measure table (.csv/.xlsx/.json, formats §1) as it
    is, any other document through ``read`` and ``structure.parse_document``.

    >>> s = textkit.parse("corpora/otaru_2nd_strategy.md")   # Strategy: 4 goals, 12 measures
    """
    from .extract import sniff_kind

    if sniff_kind(path) == "measures":
        from .formats import read_measures

        return read_measures(path)
    from .structure import parse_document

    return parse_document(read(path))


# The submodule textkit.compare is imported first so that the function below, defined after it,
# is what ``textkit.compare`` names (a later ``import textkit.compare`` finds the module in
# sys.modules and no longer rebinds the package attribute).
from . import compare as _compare_module  # noqa: E402


def compare(*docs, top: int = 3) -> list:
    """For every measure of every document, its ``top`` closest counterparts in each other one
    (formats §6).  ``docs`` are paths (documents or measure tables) or ``Strategy`` objects.

    >>> pairs = textkit.compare("otaru.csv", "tomakomai.csv", top=3)   # list[Counterpart]
    """
    m = _compare_module
    return m.compare_strategies([m.load(d) for d in docs], top=top)


from . import align as _align_module  # noqa: E402  (same pattern as compare above)


def align(old, new, *, mappings_dir: str | Path | None = None, **kw) -> ContinuityMap:
    """Continuity map (formats §3) from OLD's measures to NEW's. OLD/NEW: paths (documents or
    measure tables) or ``Strategy`` objects; keywords go to ``align.align_strategies`` (settings,
    reviewed, use_stated). If OLD and NEW are the same document and it lists the previous
    edition's measures itself (``Strategy.previous``), OLD is that list. With ``mappings_dir``,
    the pair's reviewed map stored there (``textkit review apply``) is kept as decided.

    >>> cmap = textkit.align("otaru_2nd.csv", "otaru_3rd.csv")   # ContinuityMap
    """
    m = _align_module
    a, b = m.load_pair(old, new)
    if mappings_dir is not None and kw.get("reviewed") is None:
        from .review import reviewed_for

        kw["reviewed"] = reviewed_for(mappings_dir, a, b)
    return m.align_strategies(a, b, **kw)


def audit_kpis(old, new, *, cmap: ContinuityMap | None = None):
    """KPI audit (formats §4) between two editions: which indicators were kept, re-targeted,
    dropped or added. OLD/NEW: documents, KPI tables (formats §2) or ``Strategy`` objects.

    >>> audit = textkit.audit_kpis("otaru_2nd_kpis.csv", "otaru_3rd_kpis.csv")   # KPIAudit
    """
    from .audit import compare_kpis, load_kpi_source

    return compare_kpis(load_kpi_source(old), load_kpi_source(new), cmap=cmap)


def report(old, new, *, xlsx=None, html=None, mappings_dir="mappings", comparison=None) -> list:
    """Align OLD → NEW (keeping the reviewed decisions under ``mappings_dir``), audit KPIs, and
    write the review workbook (``xlsx``) and/or the HTML report (``html``); returns the paths.

    >>> textkit.report("2nd.csv", "3rd.csv", xlsx="reports/map.xlsx", html="reports/map.html")
    """
    from .report import make_report

    return make_report(
        old, new, xlsx=xlsx, html=html, mappings_dir=mappings_dir, comparison=comparison
    )
