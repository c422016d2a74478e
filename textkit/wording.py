"""Wording of the messages textkit prints: counts with the noun in the right number.

A leaf module (no textkit imports): every stage and the CLI say "1 KPI", "2 KPIs", "1 page is"
the same way.
"""

from __future__ import annotations

# Plurals that do not just add -s.
_IRREGULAR = {
    "entry": "entries",
    "copy": "copies",
    "match": "matches",
    "is": "are",
    "has": "have",
    "was": "were",
}


def plural_of(word: str) -> str:
    """The plural of an English noun as textkit's messages use them.

    >>> plural_of("KPI"), plural_of("entry"), plural_of("other measure")
    ('KPIs', 'entries', 'other measures')
    """
    head, _, last = word.rpartition(" ")
    many = _IRREGULAR.get(last, last + "s")
    return f"{head} {many}" if head else many


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word`` in the right number (``many`` when the plural is irregular).

    >>> plural(1, "KPI"), plural(2, "KPI"), plural(0, "measure"), plural(1_234, "row")
    ('1 KPI', '2 KPIs', '0 measures', '1,234 rows')
    """
    return f"{count:,} {word if count == 1 else (many or plural_of(word))}"


def verb(count: int, singular: str) -> str:
    """The verb agreeing with ``count``: ``verb(1, 'is')`` → 'is', ``verb(3, 'is')`` → 'are'.

    >>> f"{plural(1, 'page')} {verb(1, 'is')} damaged; {plural(2, 'page')} {verb(2, 'is')} damaged"
    '1 page is damaged; 2 pages are damaged'
    """
    return singular if count == 1 else _IRREGULAR.get(singular, singular)
