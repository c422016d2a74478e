"""Japanese text → content-word tokens with SudachiPy (sudachidict-core).

What goes in: measure titles / descriptions (any text). What comes out: for each text a tuple of
normalised content-word tokens (``normalized_form``: 子ども/子供, 取組/取り組み unify) with
administrative stop words (``textkit/data/stopwords.txt``) removed, and, on request, the Sudachi
synonym group ids of those words. One ``Dictionary`` per process; one ``Tokenizer`` per thread (a
Tokenizer cannot be shared across threads, see shared/field-notes.md).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .normalize import normalize_chars

# Content words: nouns (not numerals / pronouns), verbs, adjectives, adjectival nouns. Particles,
# auxiliaries, suffixes and symbols carry no topic.
_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞"}
_DROP_POS2 = {"数詞", "代名詞", "非自立可能"}
# One tokenize() call takes at most 49,149 bytes; chunk by line well below that.
_MAX_CHUNK_BYTES = 40_000
# Threads for big batches: the CI machines have 2 cores; below ~2,000 short texts the pool costs
# more than it saves.
_THREADS = min(2, os.cpu_count() or 1)
_PARALLEL_MIN = 2000


@dataclass(frozen=True)
class Analysis:
    """Tokens of one text and the Sudachi synonym group ids of those tokens."""

    tokens: tuple[str, ...]
    synonym_groups: tuple[int, ...] = ()


@functools.lru_cache(maxsize=1)
def dictionary():
    """The process-wide SudachiPy dictionary (loaded once: ~0.1–0.4 s, +83 MB)."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_local = threading.local()


def _tokenizer(mode: str):
    from sudachipy import SplitMode

    cache = getattr(_local, "tokenizers", None)
    if cache is None:
        cache = _local.tokenizers = {}
    if mode not in cache:
        d = dictionary()
        # SudachiPy 0.7 names it ``tokenizer``; 0.6.x (which ja-ginza pins) only has ``create``.
        make = getattr(d, "tokenizer", None) or d.create
        cache[mode] = make(getattr(SplitMode, mode))
    return cache[mode]


def read_word_list(path: str | Path | None = None) -> frozenset[str]:
    """A one-word-per-line list (``#`` comments); default: the bundled administrative stop words."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("textkit").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(w for w in words if w)


@functools.lru_cache(maxsize=4)
def stopwords(path: str = "") -> frozenset[str]:
    """The stop words, each also in its Sudachi normalised form: tokens are compared by
    ``normalized_form``, so a list entry written as the text reads (ため, まちづくり, もの) would
    otherwise never match (ため → 為, まちづくり → 町作り, もの → 物)."""
    words = read_word_list(path or None)
    tok = _tokenizer("C")
    forms = set(words)
    for w in words:
        ms = tok.tokenize(normalize_chars(w))
        if len(ms) == 1:  # a multi-word entry (本市 → 本 + 市) must not stop its parts
            forms.add(ms[0].normalized_form().lower())
    return frozenset(forms)


def _chunks(text: str) -> list[str]:
    # ≤ 4 bytes per character in UTF-8: most texts are short enough without encoding them.
    if len(text) * 4 <= _MAX_CHUNK_BYTES or len(text.encode("utf-8")) <= _MAX_CHUNK_BYTES:
        return [text]
    out: list[str] = []
    for line in text.splitlines():
        while len(line.encode("utf-8")) > _MAX_CHUNK_BYTES:
            out.append(line[: _MAX_CHUNK_BYTES // 4])
            line = line[_MAX_CHUNK_BYTES // 4 :]
        out.append(line)
    return out


def _content_pos(pos: tuple[str, ...]) -> bool:
    return pos[0] in _CONTENT_POS and pos[1] not in _DROP_POS2


@functools.lru_cache(maxsize=1)
def _content_matcher():
    """SudachiPy's ``PosMatcher`` for the parts of speech that carry a topic (``_content_pos``):
    it tests a word's POS id in Rust instead of building its POS tuple in Python, which is what
    keeps ``analyze`` near raw Sudachi speed."""
    return dictionary().pos_matcher(_content_pos)


def _keep_form(form: str, stop: frozenset[str]) -> bool:
    """Whether a content word's normalised form is a token (``_analyze`` has this rule inline;
    tests/test_tokenize.py holds the two to the same output)."""
    if form in stop or form.isdigit():
        return False
    # a lone kana is a grammatical remnant (す, い …), a lone kanji can be a topic (港, 雪)
    return not (len(form) == 1 and not ("\u4e00" <= form <= "\u9fff"))


def _analyze(
    text: str, tok, content, stop: frozenset[str], normalized: bool, synonyms: bool = True
) -> Analysis:
    tokens: list[str] = []
    groups: list[int] = []
    for chunk in _chunks(text if normalized else normalize_chars(text)):
        if not chunk.strip():
            continue
        # filter() calls the POS matcher in C: Python runs only for the content words (~40 %).
        for m in filter(content, tok.tokenize(chunk)):
            form = m.normalized_form().lower()
            # _keep_form inline: this runs for every content word of a corpus (a call costs ~5 %)
            if (
                form in stop
                or form.isdigit()
                or (len(form) == 1 and not "\u4e00" <= form <= "\u9fff")
            ):
                continue
            tokens.append(form)
            if synonyms:
                groups.extend(m.synonym_group_ids())
    return Analysis(tuple(tokens), tuple(groups))


def analyze(
    text: str, *, mode: str = "C", stop: frozenset[str] | None = None, normalized: bool = False
) -> Analysis:
    """Tokens of one text; ``normalized=True`` when the caller already ran ``normalize_chars``."""
    stop = stopwords() if stop is None else stop
    return _analyze(text, _tokenizer(mode), _content_matcher(), stop, normalized)


def analyze_many(
    texts: Sequence[str],
    *,
    mode: str = "C",
    stopwords_path: str = "",
    normalized: bool = False,
    synonyms: bool = True,
) -> list[Analysis]:
    """``analyze`` over a batch (one dictionary, one stop-word set). Large batches run on
    ``_THREADS`` threads, one Tokenizer each: Sudachi releases the GIL (1.8× on 2 cores).
    ``synonyms=False``: the synonym groups are not read (left empty), for callers that use only
    the tokens."""
    stop = stopwords(stopwords_path)
    content = _content_matcher()

    def run(batch: Sequence[str]) -> list[Analysis]:
        tok = _tokenizer(mode)  # this thread's
        return [_analyze(t, tok, content, stop, normalized, synonyms) for t in batch]

    if len(texts) < _PARALLEL_MIN:
        return run(texts)
    step = -(-len(texts) // _THREADS)
    with ThreadPoolExecutor(_THREADS) as pool:
        parts = pool.map(run, [texts[k : k + step] for k in range(0, len(texts), step)])
    return [a for part in parts for a in part]


def tokenize_many(texts: Sequence[str], *, mode: str = "C") -> list[tuple[str, ...]]:
    """Normalised content-word tokens of each text, administrative stop words removed.

    >>> tokenize_many(["縁結びコーディネート機能の充実"])
    [('縁結び', 'コーディネート')]
    """
    return [a.tokens for a in analyze_many(texts, mode=mode, synonyms=False)]


@functools.lru_cache(maxsize=50_000)
def split_words(word: str) -> tuple[str, ...]:
    """A compound's Sudachi mode-A words, normalised (企業誘致 → 企業, 誘致): what a word-vector
    lookup falls back to when the compound has no vector of its own."""
    forms = (m.normalized_form().lower() for m in _tokenizer("A").tokenize(normalize_chars(word)))
    return tuple(f for f in forms if f.strip())
