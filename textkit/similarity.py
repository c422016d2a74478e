"""Scorers between two measure sets (an edition pair or two cities), all 0–1.

What goes in: two sequences of ``Measure`` and ``AlignSettings``. What comes out: ``PairFeatures``,
which holds, per signal, an L2-normalised sparse matrix for each side, so a whole signal is one
sparse product ``old @ new.T`` (cosine); ``candidate_scores`` combines the weighted signals in row
blocks and keeps only the top-k candidates per measure on either side, so 5,000 × 5,000 never builds
a dense N×N matrix. The title fuzz signal (rapidfuzz on token lists) is pairwise and is scored on the
candidates only. ``explain`` names the terms that carried a pair.

Signals (weights ``w_<name>`` in settings):

=========== ==============================================================================
title_word  TF-IDF cosine of Sudachi tokens of the titles
full_word   TF-IDF cosine of Sudachi tokens of title + description + items
char        TF-IDF cosine of character n-grams of title + description + items
fuzz_title  rapidfuzz ``fuzz.ratio`` on the two title token lists (candidates only)
concept     cosine of thesaurus groups found in the text (textkit/data/thesaurus.csv)
synonym     cosine of Sudachi synonym group ids of the tokens
goal        TF-IDF cosine of the goal (基本目標) titles: context
=========== ==============================================================================
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz

from .errors import SettingsError
from .models import Measure
from .normalize import normalize_chars
from .settings import AlignSettings
from .tokenize import analyze_many

# ── thesaurus ───────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Thesaurus:
    """Groups of interchangeable administrative terms (結婚/婚活/縁結び …)."""

    groups: tuple[str, ...]
    terms: tuple[tuple[str, tuple[int, ...]], ...]  # term → indices of the groups it belongs to

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        long_terms = sorted((t for t, _ in self.terms if len(t) > 1), key=len, reverse=True)
        if not long_terms:
            return None
        return re.compile("|".join(re.escape(t) for t in long_terms))

    @functools.cached_property
    def _index(self) -> dict[str, tuple[int, ...]]:
        return dict(self.terms)

    def find(
        self, text: str, tokens: Sequence[str] = (), *, normalized: bool = False
    ) -> dict[int, set[str]]:
        """Groups present in ``text`` (multi-character terms as substrings, one-character terms
        only as whole tokens, since 港 or 雪 inside a word means little), with the terms seen."""
        found: dict[int, set[str]] = {}
        hay = (text if normalized else normalize_chars(text)).lower() + " " + " ".join(tokens)
        if self._pattern is not None:
            for m in self._pattern.finditer(hay):
                for g in self._index[m.group(0)]:
                    found.setdefault(g, set()).add(m.group(0))
        for tok in tokens:
            if len(tok) == 1 and tok in self._index:
                for g in self._index[tok]:
                    found.setdefault(g, set()).add(tok)
        return found


def parse_thesaurus(text: str, source: str = "thesaurus") -> Thesaurus:
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or "terms" not in rows[0]:
        raise SettingsError(f"{source}: a thesaurus CSV needs the columns group,terms")
    groups: list[str] = []
    index: dict[str, list[int]] = {}
    for n, row in enumerate(rows, start=2):
        terms = [normalize_chars(t.strip()).lower() for t in (row.get("terms") or "").split("/")]
        terms = [t for t in terms if t]
        if not terms:
            raise SettingsError(f"{source}: row {n} has no terms")
        groups.append((row.get("group") or f"group{n}").strip())
        for t in terms:
            index.setdefault(t, []).append(len(groups) - 1)
    return Thesaurus(tuple(groups), tuple((t, tuple(g)) for t, g in index.items()))


@functools.lru_cache(maxsize=4)
def load_thesaurus(path: str = "") -> Thesaurus:
    """The bundled thesaurus (``textkit/data/thesaurus.csv``) or a user CSV with the same columns."""
    if path:
        return parse_thesaurus(Path(path).read_text(encoding="utf-8"), path)
    text = resources.files("textkit").joinpath("data/thesaurus.csv").read_text(encoding="utf-8")
    return parse_thesaurus(text, "textkit/data/thesaurus.csv")


# ── features ────────────────────────────────────────────────────────────────


def identity(tokens: Sequence[str]) -> Sequence[str]:
    """Analyzer for pre-tokenised input (module-level so vectorizers pickle)."""
    return tokens


def full_text(m: Measure) -> str:
    return "\n".join([m.title, m.text, *m.items])


@dataclass(frozen=True)
class Side:
    """Per-side features: tokens for explanation, concept terms found, sparse signal rows."""

    title_tokens: tuple[tuple[str, ...], ...]
    full_tokens: tuple[tuple[str, ...], ...]
    concepts: tuple[dict[int, set[str]], ...]
    matrices: dict[str, sp.csr_matrix]
    title_concepts: tuple[frozenset[int], ...] = ()  # thesaurus groups named in each title


@dataclass(frozen=True)
class PairFeatures:
    old: Side
    new: Side
    idf: dict[str, float]  # token → idf over both sides (to rank matched terms)
    thesaurus: Thesaurus


def _tfidf(docs_old: list, docs_new: list, **kw) -> tuple[sp.csr_matrix, sp.csr_matrix, dict]:
    # scikit-learn is imported where it is used: importing it costs ~1 s, which every CLI call
    # (even --help) would otherwise pay, since textkit imports this module at start-up.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, lowercase=False, **kw)
    try:
        x = vec.fit_transform(docs_old + docs_new)
    except ValueError:  # empty vocabulary (e.g. titles that are all stop words)
        n = len(docs_old) + len(docs_new)
        x = sp.csr_matrix((n, 1))
        return x[: len(docs_old)], x[len(docs_old) :], {}
    idf = (
        dict(zip(vec.get_feature_names_out(), vec.idf_, strict=True))
        if kw.get("analyzer") is identity
        else {}
    )
    x = x.tocsr().astype(np.float32)
    return x[: len(docs_old)], x[len(docs_old) :], idf


def _bag(rows: list[list[int]], width: int) -> sp.csr_matrix:
    data, indices, indptr = [], [], [0]
    for r in rows:
        for c in sorted(set(r)):
            indices.append(c)
            data.append(1.0)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (data, indices, indptr), shape=(len(rows), max(width, 1)), dtype=np.float32
    )


def _weighted_bag(
    bag_old: sp.csr_matrix, bag_new: sp.csr_matrix
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    from sklearn.feature_extraction.text import TfidfTransformer

    both = sp.vstack([bag_old, bag_new]).tocsr()
    x = TfidfTransformer(sublinear_tf=True).fit_transform(both).astype(np.float32).tocsr()
    return x[: bag_old.shape[0]], x[bag_old.shape[0] :]


def featurize(
    old: Sequence[Measure], new: Sequence[Measure], settings: AlignSettings
) -> PairFeatures:
    """Fit every enabled signal on the two sides together (IDF is per measure-set pair)."""
    thes = load_thesaurus(settings.thesaurus)
    measures = [*old, *new]
    n_old = len(old)
    # normalise once: normalize_chars is pure Python and the largest cost after Sudachi at scale
    texts = [normalize_chars(full_text(m)) for m in measures]
    title_texts = [normalize_chars(m.title) for m in measures]
    stop = settings.stopwords
    full = analyze_many(texts, mode=settings.split_mode, stopwords_path=stop, normalized=True)
    titles = analyze_many(
        title_texts, mode=settings.split_mode, stopwords_path=stop, normalized=True
    )
    full_tokens = [a.tokens for a in full]
    title_tokens = [a.tokens for a in titles]
    w = settings.weights()
    mats_old: dict[str, sp.csr_matrix] = {}
    mats_new: dict[str, sp.csr_matrix] = {}

    def put(name, pair):
        mats_old[name], mats_new[name] = pair[0], pair[1]

    a, b, idf = _tfidf(full_tokens[:n_old], full_tokens[n_old:], analyzer=identity)
    put("full_word", (a, b))
    if w["title_word"]:
        put("title_word", _tfidf(title_tokens[:n_old], title_tokens[n_old:], analyzer=identity)[:2])
    if w["char"]:
        chars = [re.sub(r"\s+", "", t.lower()) for t in texts]
        put(
            "char",
            _tfidf(
                chars[:n_old],
                chars[n_old:],
                analyzer="char",
                ngram_range=(settings.char_ngram_min, settings.char_ngram_max),
            )[:2],
        )
    if w["goal"]:
        goals = analyze_many(
            [m.goal for m in measures], mode=settings.split_mode, stopwords_path=settings.stopwords
        )
        g = [x.tokens for x in goals]
        put("goal", _tfidf(g[:n_old], g[n_old:], analyzer=identity)[:2])
    concepts = [
        thes.find(full_text(m), toks) for m, toks in zip(measures, full_tokens, strict=True)
    ]
    title_concepts = [
        frozenset(thes.find(t, toks, normalized=True))
        for t, toks in zip(title_texts, title_tokens, strict=True)
    ]
    if w["concept"]:
        bag = _bag([list(c) for c in concepts], len(thes.groups))
        put("concept", _weighted_bag(bag[:n_old], bag[n_old:]))
    if w["synonym"]:
        ids = sorted({g for x in full for g in x.synonym_groups})
        pos = {g: i for i, g in enumerate(ids)}
        bag = _bag([[pos[g] for g in x.synonym_groups] for x in full], len(ids))
        put("synonym", _weighted_bag(bag[:n_old], bag[n_old:]))
    from sklearn.preprocessing import normalize as l2_normalize

    mats_old = {k: l2_normalize(v).tocsr() for k, v in mats_old.items()}
    mats_new = {k: l2_normalize(v).tocsr() for k, v in mats_new.items()}
    return PairFeatures(
        old=Side(
            tuple(title_tokens[:n_old]),
            tuple(full_tokens[:n_old]),
            tuple(concepts[:n_old]),
            mats_old,
            tuple(title_concepts[:n_old]),
        ),
        new=Side(
            tuple(title_tokens[n_old:]),
            tuple(full_tokens[n_old:]),
            tuple(concepts[n_old:]),
            mats_new,
            tuple(title_concepts[n_old:]),
        ),
        idf=idf,
        thesaurus=thes,
    )


# ── scores ──────────────────────────────────────────────────────────────────

_ROW_BLOCK = 512  # old rows per block: 512 × 5,000 float32 = 10 MB dense scratch at most


def fuzz_title(a: Sequence[str], b: Sequence[str]) -> float:
    """rapidfuzz ratio of two token lists (tokens compared whole, not characters), 0–1."""
    if not a or not b:
        return 0.0
    return fuzz.ratio(list(a), list(b)) / 100.0


def pair_signals(f: PairFeatures, i: int, j: int, settings: AlignSettings) -> dict[str, float]:
    """Every enabled signal for one (old i, new j) pair: for explanation and tests."""
    out: dict[str, float] = {}
    for name, w in settings.weights().items():
        if not w:
            continue
        if name == "fuzz_title":
            out[name] = fuzz_title(f.old.title_tokens[i], f.new.title_tokens[j])
        else:
            out[name] = float(f.old.matrices[name][i].multiply(f.new.matrices[name][j]).sum())
    return out


def candidate_scores(f: PairFeatures, settings: AlignSettings) -> sp.csr_matrix:
    """Combined 0–1 scores for candidate pairs only (top-k per old row and per new column).

    The sparse signals are summed block by block of old rows; each block keeps its rows' top-k and
    updates a running top-k per new column, so memory stays O((n_old + n_new) · k).
    """
    w = settings.weights()
    sparse_names = [n for n in f.old.matrices if w.get(n)]
    total = sum(w[n] for n in w if w[n])
    n_old = next(iter(f.old.matrices.values())).shape[0]
    n_new = next(iter(f.new.matrices.values())).shape[0]
    if n_old == 0 or n_new == 0:
        return sp.csr_matrix((n_old, n_new), dtype=np.float32)
    k = min(settings.top_k, n_new)
    kc = min(settings.top_k, n_old)
    new_t = {n: f.new.matrices[n].T.tocsc() for n in sparse_names}
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    col_best_val = np.full((kc, n_new), -1.0, dtype=np.float32)
    col_best_idx = np.zeros((kc, n_new), dtype=np.int64)
    for start in range(0, n_old, _ROW_BLOCK):
        stop = min(start + _ROW_BLOCK, n_old)
        block = np.zeros((stop - start, n_new), dtype=np.float32)
        for n in sparse_names:
            block += w[n] * (f.old.matrices[n][start:stop] @ new_t[n]).toarray()
        # row top-k
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        rows.append(np.repeat(np.arange(start, stop), k))
        cols.append(top.ravel())
        # column top-k: merge this block with the running best
        kb = min(kc, stop - start)
        part = np.argpartition(-block, kb - 1, axis=0)[:kb]
        vals = np.take_along_axis(block, part, axis=0)
        all_val = np.vstack([col_best_val, vals])
        all_idx = np.vstack([col_best_idx, part + start])
        keep = np.argpartition(-all_val, kc - 1, axis=0)[:kc]
        col_best_val = np.take_along_axis(all_val, keep, axis=0)
        col_best_idx = np.take_along_axis(all_idx, keep, axis=0)
    valid = col_best_val >= 0
    r = np.concatenate([*rows, col_best_idx[valid]])
    c = np.concatenate([*cols, np.broadcast_to(np.arange(n_new), (kc, n_new))[valid]])
    pairs = np.unique(np.stack([r, c], axis=1), axis=0)
    r, c = pairs[:, 0], pairs[:, 1]
    # exact sparse-signal sums on the candidate pairs (row-wise dot products)
    vals = np.zeros(len(r), dtype=np.float64)
    for n in sparse_names:
        a = f.old.matrices[n][r]
        b = f.new.matrices[n][c]
        vals += w[n] * np.asarray(a.multiply(b).sum(axis=1)).ravel()
    if w["fuzz_title"]:
        ft = np.fromiter(
            (
                fuzz_title(f.old.title_tokens[i], f.new.title_tokens[j])
                for i, j in zip(r, c, strict=True)
            ),
            dtype=np.float64,
            count=len(r),
        )
        vals += w["fuzz_title"] * ft
    vals = np.clip(vals / total, 0.0, 1.0)
    return sp.csr_matrix((vals, (r, c)), shape=(n_old, n_new))


def part_coverage(f: PairFeatures, i: int, j: int, part: str) -> float:
    """Share of the PART's title units (tokens and thesaurus groups) found anywhere in the WHOLE's
    text: ``part="old"`` for a merge (OLD i is one part of NEW j), ``"new"`` for a split.

    Asymmetric on purpose: a short old title (創業支援) against a long new description scores low
    on cosine, yet every word of it can be inside the new measure; and a merged part whose title
    shares nothing with the whole (only a loose word of the description does) is no part of it.
    """
    p, w, a, b = (f.old, f.new, i, j) if part == "old" else (f.new, f.old, j, i)
    units = {("t", t) for t in p.title_tokens[a]} | {("c", g) for g in p.title_concepts[a]}
    if not units:
        return 0.0
    whole = {("t", t) for t in w.full_tokens[b]} | {("c", g) for g in w.concepts[b]}
    return len(units & whole) / len(units)


def explain(f: PairFeatures, i: int, j: int, max_terms: int) -> tuple[str, ...]:
    """The terms that carried a pair: shared tokens (rarest first), then thesaurus matches written
    ``old≈new`` when the two sides used different words of one group."""
    shared = set(f.old.full_tokens[i]) & set(f.new.full_tokens[j])
    words = sorted(shared, key=lambda t: (-f.idf.get(t, 0.0), t))
    out: list[str] = list(words[:max_terms])
    co, cn = f.old.concepts[i], f.new.concepts[j]
    for g in sorted(set(co) & set(cn)):
        if len(out) >= max_terms:
            break
        a, b = sorted(co[g]), sorted(cn[g])
        if set(a) & set(b) and (set(a) & set(b)) <= set(out):
            continue  # the same word already shown
        common = sorted(set(a) & set(b))
        term = common[0] if common else f"{a[0]}≈{b[0]}"
        if term not in out:
            out.append(term)
    return tuple(out)
