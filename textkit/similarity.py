"""Scorers between two measure sets (an edition pair or two cities), and their combination.

What goes in: two sequences of ``Measure`` and ``AlignSettings``. What comes out: ``PairFeatures``,
which holds one fitted ``Signal`` per enabled signal. Every signal keeps one contract, RapidFuzz's
``(a, b) -> score`` in batch form: ``signal.score(rows, cols)`` gives the 0–1 scores of the pairs
(OLD ``rows[k]``, NEW ``cols[k]``). A signal that is a cosine of per-measure rows also offers
``block(start, stop)`` (those OLD rows against every NEW), which ``candidate_scores`` uses to find
the top-k candidates per measure on either side in row blocks, so 5,000 × 5,000 never builds a
dense N×N matrix; pairwise-only signals (rapidfuzz) are scored on the candidates. Nothing outside
``_BUILDERS`` knows a signal by name.

The combined score is a probability: logistic regression over the per-signal scores, with the
coefficients fitted on labelled pairs (``textkit.fit``; ``textkit/data/align_weights.json``).

Signals (``w_<name> > 0`` in settings enables one):

============== ===========================================================================
title_word     TF-IDF cosine of Sudachi tokens of the titles
full_word      TF-IDF cosine of Sudachi tokens of title + description + items
char           TF-IDF cosine of character n-grams of title + description + items
fuzz_title     rapidfuzz ``fuzz.ratio`` on the two title token lists (candidates only)
concept        cosine of thesaurus groups found in the text (textkit/data/thesaurus.csv)
synonym        cosine of Sudachi synonym group ids of the tokens
goal           TF-IDF cosine of the goal (基本目標) titles: context
semantic_title cosine of the titles' word-vector means (textkit.semantic, shipped vectors)
semantic_cross cosine of one title's word-vector mean with the other's full text (title +
               description + items), the larger of the two directions
goal_context   cosine of the word-vector means of the two measures' goals, each read as its
               title + the full text of every measure under it (one side's goal as a whole:
               context that holds when a goal carries over with its titles re-worded)
neighbours     order context: the share of the pair's two diagonal neighbours (OLD i−1 with
               NEW j−1, OLD i+1 with NEW j+1) that are anchors, pairs each other's best on the
               texts alone (word TF-IDF + word vectors of the full texts, equal parts); computed
               before any weight is fitted, so it keeps the ``(a, b) -> score`` contract
sentence_title cosine of the titles' sentence-encoder rows (textkit.sentence, a shipped encoder that
               reads a phrase as a whole)
sentence_cross cosine of one title's sentence-encoder row with the other's full text, the larger
               of the two directions
sentence_full  cosine of the full texts' sentence-encoder rows
title_in_text  IDF-weighted share of one title's words found in the other's full text (the
               larger direction): containment, for sides with titles only
============== ===========================================================================
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz

from .errors import SettingsError
from .models import Measure
from .normalize import normalize_chars
from .settings import AlignSettings
from .tfidf import fit_tfidf
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


# Pairs per chunk when dense vector rows are gathered to score pairs: 8,192 × 300 float32 = 10 MB
# per side, the size of one candidate block (below), so scoring never outgrows the search.
_PAIR_CHUNK = 8192


def full_text(m: Measure) -> str:
    return "\n".join([m.title, m.text, *m.items])


class Signal:
    """One fitted signal over an edition pair: the batch form of ``(a, b) -> score`` (0–1)."""

    name: str

    def score(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Scores of the pairs (OLD ``rows[k]``, NEW ``cols[k]``)."""
        raise NotImplementedError

    def block(self, start: int, stop: int) -> np.ndarray | None:
        """OLD rows ``start:stop`` against every NEW (a new dense array the caller may change), or
        None for a pairwise-only signal."""
        return None


@dataclass(frozen=True)
class CosineSignal(Signal):
    """Cosine of L2-normalised per-measure rows (sparse TF-IDF / bags, or dense vectors)."""

    name: str
    old: sp.csr_matrix | np.ndarray
    new: sp.csr_matrix | np.ndarray

    @functools.cached_property
    def _new_t(self):
        return self.new.T.tocsc() if sp.issparse(self.new) else np.ascontiguousarray(self.new.T)

    def score(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        if sp.issparse(self.old):
            a, b = self.old[rows], self.new[cols]
            return np.asarray(a.multiply(b).sum(axis=1), dtype=np.float64).ravel()
        # dense vectors: gathered a chunk of pairs at a time (70k candidate pairs × 300-d rows
        # would be 170 MB per side at once)
        out = np.empty(len(rows), dtype=np.float64)
        for k in range(0, len(rows), _PAIR_CHUNK):
            r, c = rows[k : k + _PAIR_CHUNK], cols[k : k + _PAIR_CHUNK]
            out[k : k + len(r)] = np.einsum("ij,ij->i", self.old[r], self.new[c])
        return out

    def block(self, start: int, stop: int) -> np.ndarray:
        x = self.old[start:stop] @ self._new_t
        return np.asarray(x.toarray() if sp.issparse(x) else x, dtype=np.float32)


@dataclass(frozen=True)
class PairwiseSignal(Signal):
    """A scorer ``fn(a, b) -> 0–1`` over per-measure items, scored on given pairs only."""

    name: str
    fn: Callable[[Any, Any], float]
    old: Sequence[object]
    new: Sequence[object]

    def score(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        pairs = zip(rows, cols, strict=True)
        return np.fromiter(
            (self.fn(self.old[i], self.new[j]) for i, j in pairs), dtype=np.float64, count=len(rows)
        )


@dataclass(frozen=True)
class Side:
    """Per-side features: tokens for explanation, concept terms found, word vectors of titles."""

    title_tokens: tuple[tuple[str, ...], ...]
    full_tokens: tuple[tuple[str, ...], ...]
    concepts: tuple[dict[int, set[str]], ...]
    title_concepts: tuple[frozenset[int], ...] = ()  # thesaurus groups named in each title
    # per measure: stated by its title alone (no description, no items), when evidence patterns
    # are on (``AlignSettings.evidence_patterns``); empty = every measure counts as described
    bare: tuple[bool, ...] = ()
    # sentence-encoder rows of the titles and of the full texts, when the part-of check reads
    # them (``AlignSettings.part_sentence_rank``); None = not read
    sentence_titles: np.ndarray | None = None
    sentence_full: np.ndarray | None = None


# Evidence patterns of a pair: which sides say no more than a title. A signal that compares
# descriptions reads a title-only side's title instead, so its scores there mean something else
# (a cosine of a title with a whole text is lower for the same link): the pair is scored by the
# model fitted on that pattern (``SignalWeights.patterns``), not read as disagreement.
# Code k of ``evidence`` → its name (the key of ``SignalWeights.patterns``).
PATTERNS = ("", "old titles", "new titles", "titles")


def title_only(m: Measure) -> bool:
    """Is the measure stated by its title alone (no description, no items)?"""
    return not (m.text.strip() or m.items)


def pattern_of(old: Measure | None, new: Measure | None) -> int:
    """The evidence pattern (a code of ``PATTERNS``) of one pair of measures; an unknown
    measure counts as described."""
    return int(old is not None and title_only(old)) + 2 * int(new is not None and title_only(new))


@dataclass(frozen=True)
class PairFeatures:
    old: Side
    new: Side
    idf: dict[str, float]  # token → idf over both sides (to rank matched terms)
    thesaurus: Thesaurus
    signals: dict[str, Signal] = field(default_factory=dict)
    word_cosine: float = 0.0  # part-of checks: a word this close to a word of the whole counts


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


def _weighted_bag(bag: sp.csr_matrix) -> sp.csr_matrix:
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(bag).astype(np.float32).tocsr()


@dataclass(frozen=True)
class _Prepared:
    """What the signal builders share: the measures and their analyses, both sides together."""

    measures: tuple[Measure, ...]
    n_old: int
    texts: tuple[str, ...]  # normalised full texts
    full: tuple  # Analysis per measure
    titles: tuple  # Analysis per title
    concepts: tuple[dict[int, set[str]], ...]
    thesaurus: Thesaurus
    settings: AlignSettings

    @property
    def full_tokens(self) -> list[tuple[str, ...]]:
        return [a.tokens for a in self.full]

    @property
    def title_tokens(self) -> list[tuple[str, ...]]:
        return [a.tokens for a in self.titles]

    @functools.cached_property
    def title_vectors(self) -> np.ndarray:
        """Word-vector means of the titles (textkit.semantic), shared by the semantic signals."""
        from .semantic import embed_tokens

        return embed_tokens(self.title_tokens)

    @functools.cached_property
    def sentence_titles(self) -> np.ndarray:
        """Sentence-encoder rows of the titles (textkit.sentence), each side one batch."""
        return self._sentence([normalize_chars(m.title) for m in self.measures])

    @functools.cached_property
    def sentence_goals(self) -> np.ndarray:
        """Sentence-encoder rows of each measure's goal title (its own title without a goal)."""
        return self._sentence([normalize_chars(m.goal or m.title) for m in self.measures])

    @functools.cached_property
    def sentence_full(self) -> np.ndarray:
        """Sentence-encoder rows of the full texts (title + description + items)."""
        return self._sentence(list(self.texts))

    def _sentence(self, texts: list[str]) -> np.ndarray:
        from .sentence import embed

        n = self.n_old
        cache = self.settings.sentence_cache or None
        return np.vstack([embed(tuple(texts[:n]), cache), embed(tuple(texts[n:]), cache)])

    @functools.cached_property
    def full_tfidf(self) -> sp.csr_matrix:
        """TF-IDF rows of the full texts (title + description + items), as fitted once."""
        return fit_tfidf(self.full_tokens).matrix

    @functools.cached_property
    def full_vectors(self) -> np.ndarray:
        """Word-vector means of the full texts (title + description + items)."""
        from .semantic import embed_tokens

        return embed_tokens(self.full_tokens)


def _cosine(name: str, prep: _Prepared, rows) -> CosineSignal:
    from sklearn.preprocessing import normalize as l2_normalize

    if sp.issparse(rows):
        rows = l2_normalize(rows).tocsr()
    return CosineSignal(name, rows[: prep.n_old], rows[prep.n_old :])


def _title_word(prep: _Prepared) -> Signal:
    return _cosine("title_word", prep, fit_tfidf(prep.title_tokens).matrix)


def _full_word(prep: _Prepared) -> Signal:
    return _cosine("full_word", prep, prep.full_tfidf)


def _char(prep: _Prepared) -> Signal:
    s = prep.settings
    chars = [re.sub(r"\s+", "", t.lower()) for t in prep.texts]
    grams = (s.char_ngram_min, s.char_ngram_max)
    return _cosine("char", prep, fit_tfidf(chars, analyzer="char", ngram_range=grams).matrix)


def _fuzz_title(prep: _Prepared) -> Signal:
    t = prep.title_tokens
    return PairwiseSignal("fuzz_title", fuzz_title, t[: prep.n_old], t[prep.n_old :])


def _concept(prep: _Prepared) -> Signal:
    bag = _bag([list(c) for c in prep.concepts], len(prep.thesaurus.groups))
    return _cosine("concept", prep, _weighted_bag(bag))


def _synonym(prep: _Prepared) -> Signal:
    ids = sorted({g for x in prep.full for g in x.synonym_groups})
    pos = {g: i for i, g in enumerate(ids)}
    bag = _bag([[pos[g] for g in x.synonym_groups] for x in prep.full], len(ids))
    return _cosine("synonym", prep, _weighted_bag(bag))


def _goal(prep: _Prepared) -> Signal:
    s = prep.settings
    goals = analyze_many(
        [m.goal for m in prep.measures], mode=s.split_mode, stopwords_path=s.stopwords
    )
    return _cosine("goal", prep, fit_tfidf([x.tokens for x in goals]).matrix)


def _semantic_title(prep: _Prepared) -> Signal:
    return _cosine("semantic_title", prep, prep.title_vectors)


@dataclass(frozen=True)
class MaxCosineSignal(Signal):
    """The larger of two cosine signals (same pairs, e.g. both directions of an asymmetric one)."""

    name: str
    first: CosineSignal
    second: CosineSignal

    def score(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return np.maximum(self.first.score(rows, cols), self.second.score(rows, cols))

    def block(self, start: int, stop: int) -> np.ndarray:
        first = self.first.block(start, stop)
        return np.maximum(first, self.second.block(start, stop), out=first)


def _goal_context(prep: _Prepared) -> Signal:
    """Each measure's goal as a whole (its title and every measure under it, on that side),
    word-vector means compared across the sides. A measure stated without a goal stands for
    itself."""
    from .semantic import embed_tokens

    s = prep.settings
    goals = analyze_many(
        [m.goal for m in prep.measures], mode=s.split_mode, stopwords_path=s.stopwords
    )
    groups: dict[tuple[bool, str], list[int]] = {}
    for k, m in enumerate(prep.measures):
        key = (k < prep.n_old, normalize_chars(m.goal).strip() or f"\0{k}")
        groups.setdefault(key, []).append(k)
    tokens: list[tuple[str, ...]] = []
    for k, m in enumerate(prep.measures):
        key = (k < prep.n_old, normalize_chars(m.goal).strip() or f"\0{k}")
        tokens.append(
            tuple(goals[k].tokens) + tuple(t for q in groups[key] for t in prep.full[q].tokens)
        )
    return _cosine("goal_context", prep, embed_tokens(tokens))


@dataclass(frozen=True)
class NeighbourSignal(Signal):
    """The share of a pair's diagonal neighbours that are anchors (``anchor[i]``: the NEW index
    anchored to OLD i, or −1). Pairwise only: scored on the candidates."""

    name: str
    anchor: np.ndarray

    def score(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        n = len(self.anchor)
        out = np.zeros(len(rows), dtype=np.float64)
        for d in (-1, 1):
            r = rows + d
            ok = (r >= 0) & (r < n)
            hit = np.zeros(len(rows), dtype=bool)
            hit[ok] = self.anchor[r[ok]] == cols[ok] + d
            out += 0.5 * hit
        return out


def _anchors(prep: _Prepared) -> np.ndarray:
    """Anchors: OLD and NEW measures that are each other's best on the full texts alone (word
    TF-IDF cosine + word-vector cosine), found in row blocks as the candidate search does.
    ``anchor[i]``: the NEW index anchored to OLD i, or −1."""
    from sklearn.preprocessing import normalize as l2_normalize

    n = prep.n_old
    words = l2_normalize(prep.full_tfidf).tocsr()
    vecs = prep.full_vectors
    w_new_t, v_new_t = words[n:].T.tocsc(), np.ascontiguousarray(vecs[n:].T)
    n_new = len(prep.measures) - n
    row_best = np.full(n, -1, dtype=np.int64)
    col_best = np.full(n_new, -1, dtype=np.int64)
    col_val = np.full(n_new, -np.inf, dtype=np.float32)
    for start in range(0, n if n_new else 0, _ROW_BLOCK):
        stop = min(start + _ROW_BLOCK, n)
        block = np.asarray((words[start:stop] @ w_new_t).toarray(), dtype=np.float32)
        block += vecs[start:stop] @ v_new_t
        row_best[start:stop] = block.argmax(axis=1)
        arg = block.argmax(axis=0)
        val = block[arg, np.arange(n_new)]
        better = val > col_val
        col_val[better], col_best[better] = val[better], arg[better] + start
    return np.array(
        [j if j >= 0 and col_best[j] == i else -1 for i, j in enumerate(row_best)],
        dtype=np.int64,
    )


def _neighbours(prep: _Prepared) -> Signal:
    """The share of a pair's diagonal neighbours that are anchors (``_anchors``)."""
    return NeighbourSignal("neighbours", _anchors(prep))


def _goal_keys(prep: _Prepared) -> np.ndarray:
    """One integer per measure naming its goal on its side (OLD and NEW goals never share a key);
    −1 for a measure stated without a goal."""
    keys: dict[tuple[bool, str], int] = {}
    out = np.full(len(prep.measures), -1, dtype=np.int64)
    for k, m in enumerate(prep.measures):
        goal = normalize_chars(m.goal).strip()
        if goal:
            out[k] = keys.setdefault((k < prep.n_old, goal), len(keys))
    return out


# Pseudo-anchors of the goal-continuity estimate (GoalAnchorSignal): with few anchors between two
# goals (a side with titles only has few) the share is pulled toward what any goal would get, so
# one anchor elsewhere does not read as "this goal did not continue here".
_GOAL_PSEUDO = 2.0


@dataclass(frozen=True)
class GoalAnchorSignal(Signal):
    """Do the two measures' goals continue into each other? From the anchors (``_anchors``) that
    touch neither measure of the pair (a measure is not its own evidence): P(NEW goal | OLD
    goal) = (c + m·π_new) / (a + m) and P(OLD goal | NEW goal) = (c + m·π_old) / (b + m), where
    c anchors join the two goals, a leave the OLD goal, b enter the NEW goal, π is a goal's
    share of all anchors (add-one) and m = ``_GOAL_PSEUDO``; their lift over π (geometric mean
    of both directions) is read as lift / (1 + lift): 0.5 = no evidence either way, toward 1 =
    the goals continue into each other, toward 0 = the OLD goal's measures went elsewhere; a
    measure stated without a goal gets 0.5. Pairwise only: scored on the candidates."""

    name: str
    anchor: np.ndarray  # OLD i → its anchored NEW index, or −1
    old_goal: np.ndarray  # per OLD measure: its goal key, −1 without a goal
    new_goal: np.ndarray  # per NEW measure: its goal key, −1 without a goal

    @functools.cached_property
    def _tables(self) -> tuple[dict[tuple[int, int], int], dict[int, int], dict[int, int]]:
        joint: dict[tuple[int, int], int] = {}
        out: dict[int, int] = {}
        into: dict[int, int] = {}
        for i, j in enumerate(self.anchor):
            if j < 0 or self.old_goal[i] < 0 or self.new_goal[j] < 0:
                continue
            g, h = int(self.old_goal[i]), int(self.new_goal[j])
            joint[(g, h)] = joint.get((g, h), 0) + 1
            out[g] = out.get(g, 0) + 1
            into[h] = into.get(h, 0) + 1
        return joint, out, into

    @functools.cached_property
    def _anchored_from(self) -> dict[int, int]:
        """NEW j → the OLD measure anchored to it."""
        return {int(j): i for i, j in enumerate(self.anchor) if j >= 0}

    def score(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        joint, out, into = self._tables
        back = self._anchored_from
        total = sum(out.values())
        n_old_goals = len(set(self.old_goal.tolist()) - {-1})
        n_new_goals = len(set(self.new_goal.tolist()) - {-1})
        m = _GOAL_PSEUDO
        res = np.full(len(rows), 0.5, dtype=np.float64)
        for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            g, h = int(self.old_goal[i]), int(self.new_goal[j])
            if g < 0 or h < 0:
                continue
            c, a, b = joint.get((g, h), 0), out.get(g, 0), into.get(h, 0)
            own = {(i, int(self.anchor[i]))} if self.anchor[i] >= 0 else set()
            if j in back:
                own.add((back[j], j))
            own = {(oi, nj) for oi, nj in own if self.old_goal[oi] >= 0 and self.new_goal[nj] >= 0}
            for oi, nj in own:  # the pair's own anchors are no evidence for it
                og, nh = int(self.old_goal[oi]) == g, int(self.new_goal[nj]) == h
                c -= og and nh
                a -= og
                b -= nh
            rest = total - len(own)
            pi_new = (b + 1) / (rest + n_new_goals)
            pi_old = (a + 1) / (rest + n_old_goals)
            lift_new = (c + m * pi_new) / (a + m) / pi_new
            lift_old = (c + m * pi_old) / (b + m) / pi_old
            lift = float(np.sqrt(lift_new * lift_old))
            res[k] = lift / (1 + lift)
        return res


def _goal_anchor(prep: _Prepared) -> Signal:
    keys = _goal_keys(prep)
    n = prep.n_old
    return GoalAnchorSignal("goal_anchor", _anchors(prep), keys[:n], keys[n:])


def _sentence_goal(prep: _Prepared) -> Signal:
    """Cosine of the sentence-encoder rows of the two measures' goal titles (a measure without a
    goal reads its own title)."""
    return _cosine("sentence_goal", prep, prep.sentence_goals)


def _title_in_text(prep: _Prepared) -> Signal:
    """Containment: the IDF-weighted share of one title's words found anywhere in the other's
    title + description + items, the larger direction. Unlike a cosine it does not fall when
    the other side is long or this side has a title only (ゼロカーボンシティ… inside a new measure
    that lists four topics: cosine 0.24, containment 1.0)."""
    tf = fit_tfidf(prep.full_tokens)
    col = {t: k for k, t in enumerate(tf.terms)}
    idf = tf.idf_vector if tf.idf_vector is not None else np.ones(1)
    width = max(len(tf.terms), 1)
    present = _bag([[col[t] for t in toks if t in col] for toks in prep.full_tokens], width)
    title_cols = [sorted({col[t] for t in toks if t in col}) for toks in prep.title_tokens]
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for cols in title_cols:
        w = idf[cols] if cols else np.zeros(0)
        total = float(w.sum())
        data.extend((w / total).tolist() if total > 0 else [])
        indices.extend(cols if total > 0 else [])
        indptr.append(len(indices))
    shares = sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), indices, indptr), shape=(len(title_cols), width)
    )
    n = prep.n_old
    return MaxCosineSignal(
        "title_in_text",
        CosineSignal("title_in_text", shares[:n], present[n:]),
        CosineSignal("title_in_text", present[:n], shares[n:]),
    )


def _both_described(prep: _Prepared) -> Signal:
    """1 when both measures have a description or items, 0 when either is stated by its title
    alone: lets the fitted model read the other signals differently for title-only sides."""
    has = np.array(
        [[1.0 if (m.text.strip() or m.items) else 0.0] for m in prep.measures], dtype=np.float32
    )
    return CosineSignal("both_described", has[: prep.n_old], has[prep.n_old :])


def _cross(name: str, titles: np.ndarray, full: np.ndarray, n_old: int) -> Signal:
    """One side's title against the other's full text, the larger of the two directions."""
    return MaxCosineSignal(
        name,
        CosineSignal(name, titles[:n_old], full[n_old:]),
        CosineSignal(name, full[:n_old], titles[n_old:]),
    )


def _semantic_cross(prep: _Prepared) -> Signal:
    return _cross("semantic_cross", prep.title_vectors, prep.full_vectors, prep.n_old)


def _sentence_title(prep: _Prepared) -> Signal:
    return _cosine("sentence_title", prep, prep.sentence_titles)


def _sentence_cross(prep: _Prepared) -> Signal:
    return _cross("sentence_cross", prep.sentence_titles, prep.sentence_full, prep.n_old)


def _sentence_full(prep: _Prepared) -> Signal:
    return _cosine("sentence_full", prep, prep.sentence_full)


# The one place signals are known by name: name → builder. A builder returns a ``Signal``.
_BUILDERS: dict[str, Callable[[_Prepared], Signal]] = {
    "title_word": _title_word,
    "full_word": _full_word,
    "char": _char,
    "fuzz_title": _fuzz_title,
    "concept": _concept,
    "synonym": _synonym,
    "goal": _goal,
    "semantic_title": _semantic_title,
    "semantic_cross": _semantic_cross,
    "goal_context": _goal_context,
    "neighbours": _neighbours,
    "title_in_text": _title_in_text,
    "both_described": _both_described,
    "sentence_title": _sentence_title,
    "sentence_cross": _sentence_cross,
    "sentence_full": _sentence_full,
    "goal_anchor": _goal_anchor,
    "sentence_goal": _sentence_goal,
}


def featurize(
    old: Sequence[Measure], new: Sequence[Measure], settings: AlignSettings
) -> PairFeatures:
    """Fit every enabled signal on the two sides together (IDF is per measure-set pair)."""
    thes = load_thesaurus(settings.thesaurus)
    measures = (*old, *new)
    n_old = len(old)
    # normalise once: normalize_chars is pure Python and the largest cost after Sudachi at scale
    texts = tuple(normalize_chars(full_text(m)) for m in measures)
    title_texts = [normalize_chars(m.title) for m in measures]
    mode, stop = settings.split_mode, settings.stopwords
    full = tuple(analyze_many(texts, mode=mode, stopwords_path=stop, normalized=True))
    titles = tuple(analyze_many(title_texts, mode=mode, stopwords_path=stop, normalized=True))
    concepts = tuple(
        thes.find(t, a.tokens, normalized=True) for t, a in zip(texts, full, strict=True)
    )
    title_concepts = [
        frozenset(thes.find(t, a.tokens, normalized=True))
        for t, a in zip(title_texts, titles, strict=True)
    ]
    prep = _Prepared(measures, n_old, texts, full, titles, concepts, thes, settings)
    signals = {name: _BUILDERS[name](prep) for name in settings.enabled_signals()}
    idf = fit_tfidf(prep.full_tokens).idf
    ft, tt = prep.full_tokens, prep.title_tokens
    bare = tuple(title_only(m) for m in measures) if settings.evidence_patterns else ()
    st, sf = (
        (prep.sentence_titles, prep.sentence_full) if settings.part_sentence_rank else (None, None)
    )
    return PairFeatures(
        old=Side(
            tuple(tt[:n_old]),
            tuple(ft[:n_old]),
            concepts[:n_old],
            tuple(title_concepts[:n_old]),
            bare[:n_old],
            None if st is None else st[:n_old],
            None if sf is None else sf[:n_old],
        ),
        new=Side(
            tuple(tt[n_old:]),
            tuple(ft[n_old:]),
            concepts[n_old:],
            tuple(title_concepts[n_old:]),
            bare[n_old:],
            None if st is None else st[n_old:],
            None if sf is None else sf[n_old:],
        ),
        idf=idf,
        thesaurus=thes,
        signals=signals,
        word_cosine=settings.part_word_cosine,
    )


# ── combination: fitted logistic regression ─────────────────────────────────


@dataclass(frozen=True)
class RuleCalibration:
    """P(a proposed link is right | its score, the rule that made it): a logistic regression on
    the score's logit with one offset per rule (``textkit.fit.fit_rule_calibration``), fitted on
    links proposed under leave-one-pair-out. The score is the probability that a pair is a link
    among ALL pairs; a pair some rule chose (a mutual best, a part found in its whole) is more
    often right than its score alone says, and by how much depends on the rule."""

    intercept: float
    slope: float  # per unit of logit(score)
    offsets: dict[str, float]  # rule value → added logit (rules not listed: 0)

    def probability(self, score: float, rule: str) -> float:
        s = min(max(score, 1e-6), 1 - 1e-6)
        z = self.intercept + self.slope * float(np.log(s / (1 - s))) + self.offsets.get(rule, 0.0)
        return float(1.0 / (1.0 + np.exp(-z)))


@dataclass(frozen=True)
class SignalWeights:
    """Logistic-regression coefficients over per-signal scores: ``score = σ(b + Σ cₖ sₖ)``, a
    probability that the pair is a link (fitted by ``textkit.fit`` on labelled pairs).

    ``patterns``: the same kind of model fitted on each evidence pattern (``PATTERNS``: a side
    stated by its title alone), used for the pairs of that pattern; a pattern without one is
    scored by this model."""

    intercept: float
    coef: dict[str, float]
    source: str = ""  # what they were fitted on (shown by ``textkit fit``)
    # P(right | score, rule) of proposed links, when fitted (scripts/bench_align.py --fit): the
    # 要確認 flag reads it instead of the bare score
    calibration: RuleCalibration | None = None
    patterns: Mapping[str, SignalWeights] = field(default_factory=dict)

    def model(self, pattern: int | str = 0) -> SignalWeights:
        """The model of one evidence pattern (a code of ``evidence`` or its name)."""
        name = PATTERNS[pattern] if isinstance(pattern, (int, np.integer)) else pattern
        return self.patterns.get(name, self) if name else self

    def _linear(self, scores: Mapping[str, np.ndarray | float]) -> np.ndarray:
        total = np.asarray(self.intercept, dtype=np.float64)
        for n, v in scores.items():
            total = total + self.coef[n] * np.asarray(v, dtype=np.float64)
        return total

    def logit(
        self, scores: Mapping[str, np.ndarray | float], patterns: np.ndarray | None = None
    ) -> np.ndarray:
        """Logits of the pairs; ``patterns``: their evidence codes (``evidence``; None: all 0)."""
        if patterns is None or not self.patterns or not np.any(patterns):
            return self._linear(scores)
        codes = np.asarray(patterns)
        values = {
            n: np.broadcast_to(np.asarray(v, dtype=np.float64), codes.shape)
            for n, v in scores.items()
        }
        out = np.empty(codes.shape, dtype=np.float64)
        for code in np.unique(codes):
            at = codes == code
            out[at] = self.model(int(code))._linear({n: v[at] for n, v in values.items()})
        return out

    def probability(
        self, scores: Mapping[str, np.ndarray | float], patterns: np.ndarray | None = None
    ) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(scores, patterns)))


WEIGHTS_FILE = "data/align_weights.json"


def parse_weights(text: str, source: str) -> SignalWeights:
    import json

    try:
        data = json.loads(text)
        coef = {str(k): float(v) for k, v in data["coef"].items()}
        cal = data.get("calibration")
        calibration = (
            RuleCalibration(
                float(cal["intercept"]),
                float(cal["slope"]),
                {str(k): float(v) for k, v in cal["offsets"].items()},
            )
            if cal
            else None
        )
        patterns = {
            str(k): SignalWeights(
                float(v["intercept"]), {str(n): float(c) for n, c in v["coef"].items()}
            )
            for k, v in (data.get("patterns") or {}).items()
        }
        unknown = sorted(set(patterns) - set(PATTERNS[1:]))
        if unknown:
            raise ValueError(f"unknown evidence pattern(s) {', '.join(unknown)}")
        return SignalWeights(
            float(data["intercept"]), coef, str(data.get("fitted_on", "")), calibration, patterns
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SettingsError(f"{source}: not a weights file (intercept, coef): {exc}") from None


@functools.lru_cache(maxsize=8)
def load_weights(path: str = "") -> SignalWeights:
    """The bundled fitted weights (``textkit/data/align_weights.json``) or a user file."""
    if path:
        return parse_weights(Path(path).read_text(encoding="utf-8"), path)
    text = resources.files("textkit").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    return parse_weights(text, "textkit/" + WEIGHTS_FILE)


@functools.lru_cache(maxsize=8)
def _warn_stale_fit(path: str, missing: tuple[str, ...]) -> None:
    """Name a fitted-weights file that lacks enabled signals, once per file (weights_for runs
    for every scoring pass of one command)."""
    import warnings

    from .errors import TextkitWarning

    warnings.warn(
        TextkitWarning(
            f"{path} was fitted without the signal(s) {', '.join(missing)}: they are not used; "
            "run `textkit fit` on that folder to fit them too"
        ),
        stacklevel=3,
    )


def weights_for(settings: AlignSettings) -> SignalWeights:
    """The fitted weights of exactly the enabled signals (a signal with no coefficient: re-fit)."""
    w = settings.fitted if settings.fitted is not None else load_weights(settings.weights_file)
    names = settings.enabled_signals()
    missing = [n for n in names if n not in w.coef]
    if missing and settings.fitted is None and settings.weights_file:
        # A file `textkit fit` wrote before a signal existed (or was switched on): the user's
        # fit is honoured as fitted — the signals it never saw weigh 0 — and named,
        # rather than refusing every align/report of an upgraded project.
        _warn_stale_fit(settings.weights_file, tuple(missing))
        w = dataclasses.replace(
            w,
            coef={**w.coef, **dict.fromkeys(missing, 0.0)},
            patterns={
                k: dataclasses.replace(p, coef={**dict.fromkeys(missing, 0.0), **p.coef})
                for k, p in w.patterns.items()
            },
        )
        missing = []
    if missing:
        raise SettingsError(
            f"no fitted weight for signal(s) {', '.join(missing)}: run `textkit fit` with them on"
        )
    missing = sorted({n for p in w.patterns.values() for n in names if n not in p.coef})
    if missing:
        raise SettingsError(
            f"no fitted weight for signal(s) {', '.join(missing)} in an evidence pattern: run "
            "`textkit fit` with them on"
        )
    patterns = {
        k: SignalWeights(p.intercept, {n: p.coef[n] for n in names}) for k, p in w.patterns.items()
    }
    return SignalWeights(
        w.intercept, {n: w.coef[n] for n in names}, w.source, w.calibration, patterns
    )


# ── scores ──────────────────────────────────────────────────────────────────

_ROW_BLOCK = 512  # old rows per block: 512 × 5,000 float32 = 10 MB dense scratch at most


def fuzz_title(a: Sequence[str], b: Sequence[str]) -> float:
    """rapidfuzz ratio of two token lists (tokens compared whole, not characters), 0–1."""
    if not a or not b:
        return 0.0
    return fuzz.ratio(list(a), list(b)) / 100.0


def evidence(f: PairFeatures, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The evidence pattern of each pair (OLD ``rows[k]``, NEW ``cols[k]``): a code of
    ``PATTERNS`` (0 both described, 1 the OLD measure a title only, 2 the NEW, 3 both)."""
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    codes = np.zeros(len(rows), dtype=np.int8)
    if f.old.bare:
        codes += np.asarray(f.old.bare, dtype=np.int8)[rows]
    if f.new.bare:
        codes += 2 * np.asarray(f.new.bare, dtype=np.int8)[cols]
    return codes


def signal_scores(f: PairFeatures, rows: np.ndarray, cols: np.ndarray) -> dict[str, np.ndarray]:
    """Every enabled signal on the pairs (rows[k], cols[k])."""
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    return {name: sig.score(rows, cols) for name, sig in f.signals.items()}


def pair_signals(f: PairFeatures, i: int, j: int) -> dict[str, float]:
    """Every enabled signal for one (old i, new j) pair: for explanation and tests."""
    return {n: float(v[0]) for n, v in signal_scores(f, np.array([i]), np.array([j])).items()}


def candidate_scores(
    f: PairFeatures, settings: AlignSettings, weights: SignalWeights | None = None
) -> sp.csr_matrix:
    """Link probabilities for candidate pairs only (top-k per old row and per new column).

    Candidates come from the signals that offer row blocks, summed with their (positive) fitted
    coefficients block by block of old rows; each block keeps its rows' top-k and updates a
    running top-k per new column, so memory stays O((n_old + n_new) · k). The candidates are then
    scored exactly by every signal and combined into a probability.
    """
    w = weights or weights_for(settings)
    n_old, n_new = len(f.old.title_tokens), len(f.new.title_tokens)
    if n_old == 0 or n_new == 0:
        return sp.csr_matrix((n_old, n_new), dtype=np.float32)
    blocked = [s for s in f.signals.values() if w.coef[s.name] > 0 and s.block(0, 0) is not None]
    k = min(settings.top_k, n_new)
    kc = min(settings.top_k, n_old)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    # plain np.ndarray: numpy's stubs type the shapes differently by version (2.2 keeps
    # tuple[int, int] from np.full and rejects take_along_axis's tuple[int, ...]; 2.4 does not)
    col_best_val: np.ndarray = np.full((kc, n_new), -np.inf, dtype=np.float32)
    col_best_idx: np.ndarray = np.zeros((kc, n_new), dtype=np.int64)
    for start in range(0, n_old, _ROW_BLOCK):
        stop = min(start + _ROW_BLOCK, n_old)
        block = np.zeros((stop - start, n_new), dtype=np.float32)
        for s in blocked:
            rows_block = s.block(start, stop)
            if rows_block is not None:
                rows_block *= np.float32(w.coef[s.name])  # in place: no second block-sized array
                block += rows_block
        neg = np.negative(block)
        top = np.argpartition(neg, k - 1, axis=1)[:, :k]
        rows.append(np.repeat(np.arange(start, stop), k))
        cols.append(top.ravel())
        kb = min(kc, stop - start)
        part = np.argpartition(neg, kb - 1, axis=0)[:kb]
        del neg
        vals = np.take_along_axis(block, part, axis=0)
        all_val = np.vstack([col_best_val, vals])
        all_idx = np.vstack([col_best_idx, part + start])
        keep = np.argpartition(-all_val, kc - 1, axis=0)[:kc]
        col_best_val = np.take_along_axis(all_val, keep, axis=0)
        col_best_idx = np.take_along_axis(all_idx, keep, axis=0)
    valid = np.isfinite(col_best_val)
    r = np.concatenate([*rows, col_best_idx[valid]])
    c = np.concatenate([*cols, np.broadcast_to(np.arange(n_new), (kc, n_new))[valid]])
    pairs = np.unique(np.stack([r, c], axis=1), axis=0)
    r, c = pairs[:, 0], pairs[:, 1]
    probs = w.probability(signal_scores(f, r, c), evidence(f, r, c))
    return sp.csr_matrix((probs.astype(np.float64), (r, c)), shape=(n_old, n_new))


def _vector_rows(tokens: Sequence[str]) -> np.ndarray:
    from .semantic import word_vectors

    return word_vectors(tokens)


def part_coverage(f: PairFeatures, i: int, j: int, part: str, sentence_rank: int = 0) -> float:
    """Share of the PART's title units (tokens and thesaurus groups) found anywhere in the WHOLE's
    text: ``part="old"`` for a merge (OLD i is one part of NEW j), ``"new"`` for a split.

    A title word also counts as found when a word of the whole is close to it in meaning (word
    vector cosine ≥ ``part_word_cosine``: 畜産 ~ 肉用牛), so a part re-worded with other words can
    still be recognised as inside the whole.

    With ``sentence_rank`` k > 0 (``AlignSettings.part_sentence_rank``; the rows are there when
    ``featurize`` had it on) the title read as a whole is one more unit, found when the
    whole's full text is among the k that the sentence encoder finds nearest to the title on the
    whole's side (relative, not an absolute cosine: the encoder's level differs between pairs).

    Asymmetric on purpose: a short old title (創業支援) against a long new description scores low
    on cosine, yet every word of it can be inside the new measure; and a merged part whose title
    shares nothing with the whole (only a loose word of the description does) is no part of it.
    """
    p, w, a, b = (f.old, f.new, i, j) if part == "old" else (f.new, f.old, j, i)
    title = p.title_tokens[a]
    units = {("t", t) for t in title} | {("c", g) for g in p.title_concepts[a]}
    if not units:
        return 0.0
    whole = {("t", t) for t in w.full_tokens[b]} | {("c", g) for g in w.concepts[b]}
    found = units & whole
    if sentence_rank and p.sentence_titles is not None and w.sentence_full is not None:
        units.add(("s", ""))  # the title read as a whole by the encoder
        near = w.sentence_full @ p.sentence_titles[a]
        if int((near > near[b]).sum()) < sentence_rank:  # among the part's k nearest
            found.add(("s", ""))
    missing = [t for t in title if ("t", t) not in found]
    if missing and f.word_cosine > 0 and w.full_tokens[b]:
        near = _vector_rows(missing) @ _vector_rows(sorted(set(w.full_tokens[b]))).T
        found |= {
            ("t", t)
            for t, best in zip(missing, near.max(axis=1), strict=True)
            if best >= f.word_cosine
        }
    return len(found) / len(units)


def explain(f: PairFeatures, i: int, j: int, max_terms: int) -> tuple[str, ...]:
    """The terms that carried a pair: shared tokens (rarest first), then thesaurus matches written
    ``old≈new`` when the two sides used different words of one group, then (with word vectors)
    the closest pair of different title words, also written ``old≈new``."""
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
    if len(out) < max_terms and f.word_cosine > 0:
        ta = [t for t in f.old.title_tokens[i] if t not in shared]
        tb = [t for t in f.new.title_tokens[j] if t not in shared]
        if ta and tb:
            near = _vector_rows(ta) @ _vector_rows(tb).T
            ia, ib = (int(x) for x in np.unravel_index(int(np.argmax(near)), near.shape))
            if near[ia, ib] >= f.word_cosine:
                out.append(f"{ta[ia]}≈{tb[ib]}")
    return tuple(out)
