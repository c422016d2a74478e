"""Render the bundled test PDFs of ``corpora/`` from the two seed copies (a program, not data:
it lived in ``corpora/build.py``).

Run from the repository root::

    .venv/bin/python -m tools.render_corpus            # the three PDFs and corpora/expected/*
    .venv/bin/python -m tools.render_corpus --verify   # ... and re-read them (pdfplumber, pypdfium2)

Outputs (all deterministic: reportlab ``invariant=1``, same input -> same bytes):

* ``otaru_2nd_strategy.pdf``      A4 portrait report rendered from ``otaru_2nd_strategy.md``
* ``otaru_2nd_strategy_x10.pdf``  the same document repeated (10 copies, >= ``--pages-min`` pages)
* ``tomakomai_3rd_deck.pdf``      A4 landscape slide deck reconstructed from ``tomakomai_3rd_deck_2024.txt``
* ``expected/<name>.txt``         ground truth: the text drawn, in reading order (see corpora/README.md)
* ``expected/<name>.pages.jsonl`` the same, one JSON object per page: {"page": n, "text": ...}

Modules: ``layout`` (fonts, rich text, line breaking, drawing, the ground-truth recorder),
``report`` (the Otaru report: Markdown → blocks → pages), ``deck`` (the Tomakomai slides; their
words are data in ``deck_text.toml``), ``__main__`` (command line and ``--verify``).

Fonts: IPAexGothic (``ipaexg.ttf`` shipped inside the PyPI package ``japanize-matplotlib``),
embedded and subset by reportlab; DejaVu Sans (shipped inside ``matplotlib``) only for the one
character IPAex lacks (U+02B7 ``ʷ``).  Nothing is downloaded.
"""

from __future__ import annotations

from pathlib import Path

CORPORA = Path(__file__).resolve().parent.parent.parent / "corpora"
OTARU_MD = CORPORA / "otaru_2nd_strategy.md"
TOMAKOMAI_TXT = CORPORA / "tomakomai_3rd_deck_2024.txt"
EXPECTED = CORPORA / "expected"
