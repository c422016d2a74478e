"""What a damaged document may have lost from its structure: ``(Strategy, Document) -> warnings``.

In: the ``Strategy`` parsed from a ``Document`` whose reader marked pages as damaged
(``Document.damaged``: a page that failed, a stream that does not decode, an empty page between
pages with text). Out: warnings naming the goals and measures that may be cut, merged into a
neighbour or missing, so a user never takes a partial structure for the whole one.
"""

from __future__ import annotations

from .models import Document, Strategy
from .wording import plural, verb

# When damage reaches more than this share of the pages (a broken font used everywhere), every
# measure is in doubt: one warning says so instead of one per page.
MOST_PAGES = 0.5


def cut_structure(strategy: Strategy, doc: Document) -> tuple[str, ...]:
    """Warnings about the structure around the document's damaged pages (none when undamaged).

    >>> from textkit.models import Measure, Page
    >>> doc = Document("d.pdf", "pdf", tuple(Page(n, ()) for n in range(1, 6)), damaged=(3,))
    >>> s = Strategy("d.pdf", measures=(Measure("G1-M1", "a", page=2), Measure("G2-M1", "b", page=4)))
    >>> cut_structure(s, doc)[0]
    'd.pdf: page 3 is damaged: the end of G1-M1 (page 2) may be cut, and goals or measures on page 3 may be missing or merged into G1-M1'
    """
    if not doc.damaged:
        return ()
    pages = max(len(doc.pages), 1)
    if len(doc.damaged) > MOST_PAGES * pages:
        return (
            f"{doc.path}: {len(doc.damaged)} of {pages} pages {verb(len(doc.damaged), 'is')} "
            "damaged, so any goal or measure may be cut or missing "
            f"({plural(len(strategy.measures), 'measure')} read); get an undamaged "
            "copy of the PDF",
        )
    placed = [m for m in strategy.measures if m.page is not None]
    notes = []
    for page in doc.damaged:
        before = [m for m in placed if m.page is not None and m.page < page]
        on = [m.id for m in placed if m.page == page]
        if on:
            notes.append(
                f"{doc.path}: page {page} is damaged: {', '.join(on)} (on it) may be cut, and "
                "other goals or measures there may be missing"
            )
        elif before:
            last = before[-1]
            notes.append(
                f"{doc.path}: page {page} is damaged: the end of {last.id} (page {last.page}) "
                f"may be cut, and goals or measures on page {page} may be missing or merged "
                f"into {last.id}"
            )
        elif placed:
            notes.append(
                f"{doc.path}: page {page} is damaged: goals or measures on it may be missing"
            )
    return tuple(notes)
