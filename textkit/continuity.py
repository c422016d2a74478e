"""Continuity map: which OLD measures continue in NEW (kept / merged / split / restructured / new /
dropped), with the evidence for every link.

What goes in: two ``Strategy`` objects (their ``measures``; for a document that lists the previous
edition itself, pass ``previous`` as OLD), ``AlignSettings``, optionally a reviewed ``ContinuityMap``.
What comes out: a ``ContinuityMap`` (formats §3) in which every OLD and every NEW id appears.

Stages, each a function below:

1. ``score_pairs``   similarity signals → sparse candidate scores (``similarity.candidate_scores``)
2. ``link_measures`` a global many-to-many decision over those scores, not per-row argmax:
   a. mutual best pairs at or above ``min_link`` are links;
   b. an OLD measure whose best NEW is taken by another OLD joins it (merge) when its score is at
      least ``min_secondary`` and ``secondary_ratio`` × the rival's score; likewise a NEW measure
      whose best OLD is taken (split). The part must be found in the whole: at least
      ``min_part_coverage`` of its title (tokens and thesaurus groups) occurs in the whole's text
      (``similarity.part_coverage``, asymmetric, unlike the cosine scores); a part whose title is
      clearly contained (≥ ``contained_coverage``) needs only ``contained_ratio`` × the rival,
      and so does a part whose score with the whole is at least ``part_margin`` × its score with
      anything else on that side (one clear destination; 0 = off);
   c. every such secondary link is re-checked on its own evidence: it needs at least one matched
      term of its own (a shared word or a thesaurus match), since aligners on cosine scores
      over-produce groups (shared/field-notes.md);
   d. order gaps: between two consecutive links in document order, a gap holding as many
      unlinked OLD as NEW measures is the same slots (``order.facing_gaps``, as a line diff reads
      a changed block); each facing pair, in order, is linked when its score is at least
      ``gap_min_score`` (rule ``order_gap``; 1 switches it off);
3. ``relations``     the relation of each link follows from its connected group (1:1 kept, n:1
   merged, 1:n split, n:m restructured); measures left alone are new / dropped.

A similarity link whose calibrated score is below ``review_below`` is flagged ``needs_review``
(要確認): the rules made it because nothing better was there, not because the evidence is strong.
When the fitted weights carry a per-rule calibration (``similarity.RuleCalibration``), the flag
reads P(right | score, rule) instead of the score, so it means the same for every rule.

Stated refs (``Measure.refs`` in NEW) decide links when ``use_stated`` is on (``evidence="stated"``);
``similarity_relation`` then says what similarity alone concluded for that pair. Reviewed links are
kept exactly; only measures they do not cover get proposals.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import FormatError, ReviewError
from .limits import MAX_ALIGN_MEASURES
from .models import (
    ContinuityMap,
    Decision,
    Evidence,
    Link,
    Measure,
    Relation,
    ReviewedMap,
    ReviewRecord,
    Rule,
    Strategy,
)
from .normalize import normalize_chars
from .order import facing_gaps
from .settings import AlignSettings, resolve
from .similarity import (
    PairFeatures,
    RuleCalibration,
    candidate_scores,
    evidence,
    explain,
    featurize,
    pair_signals,
    part_coverage,
    signal_scores,
    weights_for,
)


@dataclass(frozen=True)
class Proposal:
    """A similarity link before relations are known."""

    old: int
    new: int
    score: float
    rule: Rule
    terms: tuple[str, ...]


def score_pairs(
    old: Sequence[Measure], new: Sequence[Measure], settings: AlignSettings
) -> tuple[PairFeatures, dict[tuple[int, int], float]]:
    f = featurize(old, new, settings)
    m = candidate_scores(f, settings).tocoo()
    return f, {(int(i), int(j)): float(v) for i, j, v in zip(m.row, m.col, m.data, strict=True)}


def _best(scores: dict[tuple[int, int], float], n_old: int, n_new: int):
    best_new = np.full(n_old, -1)
    best_new_v = np.full(n_old, -1.0)
    best_old = np.full(n_new, -1)
    best_old_v = np.full(n_new, -1.0)
    # ties broken by document order (lower index wins) so results are stable across runs
    for (i, j), v in sorted(scores.items()):
        if v > best_new_v[i]:
            best_new[i], best_new_v[i] = j, v
        if v > best_old_v[j]:
            best_old[j], best_old_v[j] = i, v
    return best_new, best_new_v, best_old, best_old_v


_Best = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # what ``_best`` returns


def link_measures(
    f: PairFeatures,
    scores: dict[tuple[int, int], float],
    n_old: int,
    n_new: int,
    settings: AlignSettings,
) -> list[Proposal]:
    """Stage 2 of the module docstring: mutual best pairs (a), merges and splits checked on their
    own evidence (b, c), then a second round of mutual best among the measures left over (before
    the merges and splits when ``leftovers_first``), then the facing pairs of the order gaps
    (d)."""
    best = _best(scores, n_old, n_new)
    links = _mutual_best(f, best, n_old, settings)
    if settings.leftovers_first:
        links |= _mutual_best_rest(f, scores, links, n_old, n_new, settings)
    links |= _merges_and_splits(f, scores, best, links, settings)
    if not settings.leftovers_first:
        links |= _mutual_best_rest(f, scores, links, n_old, n_new, settings)
    links |= _order_gap_links(f, links, n_old, n_new, settings)
    return sorted(links.values(), key=lambda p: (p.new, p.old))


def _mutual_best(
    f: PairFeatures, best: _Best, n_old: int, settings: AlignSettings
) -> dict[tuple[int, int], Proposal]:
    best_new, best_new_v, best_old, _ = best
    links: dict[tuple[int, int], Proposal] = {}
    for i in range(n_old):
        j = int(best_new[i])
        if j >= 0 and best_old[j] == i and best_new_v[i] >= settings.min_link:
            links[(i, j)] = Proposal(
                i, j, float(best_new_v[i]), Rule.MUTUAL_BEST, explain(f, i, j, settings.max_terms)
            )
    return links


def _merges_and_splits(
    f: PairFeatures,
    scores: dict[tuple[int, int], float],
    best: _Best,
    links: dict[tuple[int, int], Proposal],
    settings: AlignSettings,
) -> dict[tuple[int, int], Proposal]:
    """An OLD measure whose best NEW is held by another OLD joins it (merge); a NEW measure whose
    best OLD is held by another NEW joins it (split)."""
    best_new, best_new_v, best_old, best_old_v = best
    linked_old = {i for i, _ in links}
    linked_new = {j for _, j in links}
    out: dict[tuple[int, int], Proposal] = {}
    candidates = [  # merges: OLD i's best NEW is held by another OLD
        (i, int(best_new[i]), float(best_old_v[int(best_new[i])]), Rule.MERGE)
        for i in range(len(best_new))
        if i not in linked_old and best_new[i] >= 0 and int(best_new[i]) in linked_new
    ]
    candidates += [  # splits: NEW j's best OLD is held by another NEW
        (int(best_old[j]), j, float(best_new_v[int(best_old[j])]), Rule.SPLIT)
        for j in range(len(best_old))
        if j not in linked_new and best_old[j] >= 0 and int(best_old[j]) in linked_old
    ]
    second = _second_best(scores, len(best_new), len(best_old)) if settings.part_margin else None
    for i, j, rival, rule in candidates:
        runner_up = 0.0
        if second is not None:  # the part's score with anything else on the whole's side
            runner_up = float(second[0][i] if rule is Rule.MERGE else second[1][j])
        proposal = _secondary(f, scores, i, j, rival, rule, settings, runner_up)
        if proposal is not None:
            out[(i, j)] = proposal
    return out


def _second_best(
    scores: dict[tuple[int, int], float], n_old: int, n_new: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each OLD measure's second-highest score over the NEW side, and each NEW measure's over
    the OLD side (0 where there is none)."""
    top = (np.zeros((n_old, 2)), np.zeros((n_new, 2)))
    for (i, j), v in scores.items():
        for side, k in ((top[0], i), (top[1], j)):
            if v > side[k, 0]:
                side[k, 1], side[k, 0] = side[k, 0], v
            elif v > side[k, 1]:
                side[k, 1] = v
    return top[0][:, 1], top[1][:, 1]


def _secondary(
    f: PairFeatures,
    scores: dict[tuple[int, int], float],
    i: int,
    j: int,
    rival: float,
    rule: Rule,
    settings: AlignSettings,
    runner_up: float = 0.0,
) -> Proposal | None:
    """The merge/split link (i, j), if its score, its part-of coverage and its own matched terms
    carry it next to the ``rival`` link it joins. ``runner_up``: the part's best score with
    any other measure of the whole's side (read when ``part_margin`` is on)."""
    v = scores.get((i, j), 0.0)
    if v < settings.min_secondary:
        return None
    # the part (OLD for a merge, NEW for a split) must be found in the whole it joins
    cov = part_coverage(
        f, i, j, "old" if rule is Rule.MERGE else "new", settings.part_sentence_rank
    )
    if cov < settings.min_part_coverage:
        return None
    ratio = settings.secondary_ratio
    if cov >= settings.contained_coverage:  # clearly contained: a weaker score share will do
        ratio = min(ratio, settings.contained_ratio)
    if settings.part_margin and v >= settings.part_margin * runner_up:
        # the part has one clear destination (a ratio test on its own scores, not on the
        # rival's): the rival's strength says nothing about whether the part is inside
        ratio = min(ratio, settings.contained_ratio)
    if v < ratio * rival:
        return None
    terms = explain(f, i, j, settings.max_terms)
    if not terms:  # re-check: a merge/split needs evidence of its own
        return None
    return Proposal(i, j, v, rule, terms)


def _mutual_best_rest(
    f: PairFeatures,
    scores: dict[tuple[int, int], float],
    links: dict[tuple[int, int], Proposal],
    n_old: int,
    n_new: int,
    settings: AlignSettings,
) -> dict[tuple[int, int], Proposal]:
    """An OLD and a NEW both left over whose bests are each other's partners' can still pair up
    when they are each other's best among the leftovers (second round of mutual best)."""
    linked_old = {p.old for p in links.values()}  # once: rebuilt per row it made align quadratic
    rest_old = [i for i in range(n_old) if i not in linked_old]
    rest_new = set(range(n_new)) - {p.new for p in links.values()}
    out: dict[tuple[int, int], Proposal] = {}
    if not (rest_old and rest_new):
        return out
    rest_old_set = set(rest_old)
    sub = {(i, j): v for (i, j), v in scores.items() if j in rest_new and i in rest_old_set}
    bn, bnv, bo, _ = _best(sub, n_old, n_new)
    for i in rest_old:
        j = int(bn[i])
        if j >= 0 and bo[j] == i and bnv[i] >= settings.min_link:
            terms = explain(f, i, j, settings.max_terms)
            if terms:
                out[(i, j)] = Proposal(i, j, float(bnv[i]), Rule.MUTUAL_BEST_REST, terms)
    return out


def _order_gap_links(
    f: PairFeatures,
    links: dict[tuple[int, int], Proposal],
    n_old: int,
    n_new: int,
    settings: AlignSettings,
) -> dict[tuple[int, int], Proposal]:
    """Stage d: the pairs an order gap leaves facing each other whose score (the same calibrated
    probability as every candidate's, computed here since a facing pair need not be among the
    top-k candidates) is at least ``gap_min_score``."""
    if settings.gap_min_score >= 1:
        return {}
    pairs = [
        (i, j)
        for free_old, free_new in facing_gaps(links, n_old, n_new)
        for i, j in zip(free_old, free_new, strict=True)
    ]
    if not pairs:
        return {}
    rows, cols = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
    probs = weights_for(settings).probability(signal_scores(f, rows, cols), evidence(f, rows, cols))
    return {
        (i, j): Proposal(i, j, float(v), Rule.ORDER_GAP, explain(f, i, j, settings.max_terms))
        for (i, j), v in zip(pairs, probs, strict=True)
        if v >= settings.gap_min_score
    }


def link_groups(
    pairs: Iterable[tuple[str, str]],
) -> dict[tuple[str, str], frozenset[tuple[str, str]]]:
    """Each (old_id, new_id) link's connected group: the links its relation follows from.

    >>> sorted(link_groups([("P1", "G1"), ("P2", "G1"), ("P3", "G2")])[("P1", "G1")])
    [('P1', 'G1'), ('P2', 'G1')]
    """
    pairs = list(dict.fromkeys(pairs))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for o, n in pairs:
        parent[find("o:" + o)] = find("n:" + n)
    members: dict[str, set[tuple[str, str]]] = {}
    for pair in pairs:
        members.setdefault(find("o:" + pair[0]), set()).add(pair)
    groups = {root: frozenset(links) for root, links in members.items()}
    return {pair: groups[find("o:" + pair[0])] for pair in pairs}


def group_relation(group: Iterable[tuple[str, str]]) -> Relation:
    """The relation the shape of a connected group gives its links: 1:1 kept, n:1 merged, 1:n
    split, n:m restructured."""
    group = list(group)
    a, b = len({o for o, _ in group}), len({n for _, n in group})
    if a == 1 and b == 1:
        return Relation.KEPT
    if b == 1:
        return Relation.MERGED
    return Relation.SPLIT if a == 1 else Relation.RESTRUCTURED


def relations(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Relation]:
    """Relation of each (old_id, new_id) link from the shape of its connected group."""
    shapes: dict[frozenset, Relation] = {}
    return {
        pair: shapes.setdefault(group, group_relation(group))
        for pair, group in link_groups(pairs).items()
    }


def _ordered(links: list[Link], old: Sequence[Measure], new: Sequence[Measure]) -> tuple[Link, ...]:
    """NEW document order (its OLD partners in OLD order), dropped OLD measures last."""
    opos = {m.id: k for k, m in enumerate(old)}
    npos = {m.id: k for k, m in enumerate(new)}
    big = len(old) + len(new) + 1
    return tuple(
        sorted(
            links,
            key=lambda x: (npos.get(x.new_id, big) if x.new_id else big, opos.get(x.old_id, big)),
        )
    )


def _complete(
    pairs: Sequence[tuple[Measure, Measure, float | None, tuple[str, ...], Evidence]],
    old: Sequence[Measure],
    new: Sequence[Measure],
    rules: dict[tuple[str, str], Rule] | None = None,
    signals: dict[tuple[str, str], tuple[tuple[str, float], ...]] | None = None,
    review: frozenset[tuple[str, str]] = frozenset(),
) -> list[Link]:
    """Links for the given pairs plus new/dropped rows for every id left out (formats §3);
    ``rules``: (old id, new id) → the rule that proposed a similarity link; ``signals``: its
    per-signal scores; ``review``: the links flagged 要確認 (``needs_review``)."""
    rules = rules or {}
    signals = signals or {}
    rel = relations((o.id, n.id) for o, n, *_ in pairs)
    links = [
        Link(
            o.id,
            o.title,
            n.id,
            n.title,
            rel[(o.id, n.id)],
            score,
            ev,
            terms,
            rule=rules.get((o.id, n.id)),
            signals=signals.get((o.id, n.id), ()),
            needs_review=(o.id, n.id) in review,
        )
        for o, n, score, terms, ev in pairs
    ]
    used_old = {o.id for o, *_ in pairs}
    used_new = {n.id for _, n, *_ in pairs}
    links += [Link("", "", n.id, n.title, Relation.NEW) for n in new if n.id not in used_new]
    links += [Link(o.id, o.title, "", "", Relation.DROPPED) for o in old if o.id not in used_old]
    return links


def _similarity(
    old: Sequence[Measure], new: Sequence[Measure], settings: AlignSettings
) -> tuple[list[Link], PairScorer]:
    """Similarity links and a scorer for any pair (stated links not proposed by similarity still
    get a score and their matched terms, for staff checking them)."""
    if not old or not new:
        return _complete([], old, new), lambda o, n: (0.0, (), ())
    f, scores = score_pairs(old, new, settings)
    props = link_measures(f, scores, len(old), len(new), settings)
    pairs = [
        (old[p.old], new[p.new], round(p.score, 3), p.terms, Evidence.SIMILARITY) for p in props
    ]
    rules = {(old[p.old].id, new[p.new].id): p.rule for p in props}
    cal = weights_for(settings).calibration
    review = frozenset(
        (old[p.old].id, new[p.new].id) for p in props if right_share(p, cal) < settings.review_below
    )
    # every proposal's per-signal scores in one batch (one sparse row gather per signal)
    batch = signal_scores(f, np.array([p.old for p in props]), np.array([p.new for p in props]))
    signals = {
        (old[p.old].id, new[p.new].id): _rounded({n: float(v[k]) for n, v in batch.items()})
        for k, p in enumerate(props)
    }
    row = {m.id: i for i, m in enumerate(old)}
    col = {m.id: j for j, m in enumerate(new)}

    def pair_score(old_id: str, new_id: str) -> tuple[float, tuple[str, ...], tuple]:
        i, j = row[old_id], col[new_id]
        return (
            round(scores.get((i, j), 0.0), 3),
            explain(f, i, j, settings.max_terms),
            _rounded(pair_signals(f, i, j)),
        )

    return _complete(pairs, old, new, rules, signals, review), pair_score


def right_share(p: Proposal, cal: RuleCalibration | None) -> float:
    """What the 要確認 flag reads: P(right | score, rule) when the weights carry a per-rule
    calibration (``similarity.RuleCalibration``), else the score itself; 3 decimals, so a row
    reading 0.500 is never flagged by its score."""
    return round(cal.probability(p.score, p.rule.value) if cal else p.score, 3)


def _rounded(signals: dict[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple((n, round(v, 3)) for n, v in signals.items())


# (old_id, new_id) → (score, matched terms, per-signal scores) for a pair similarity may not have
# linked.
PairScorer = Callable[[str, str], tuple[float, tuple[str, ...], tuple[tuple[str, float], ...]]]


def _stated_links(
    old: Sequence[Measure], new: Sequence[Measure], sim: list[Link], pair_score: PairScorer
) -> list[Link]:
    by_id = {m.id: m for m in old}
    sim_rel = {(x.old_id, x.new_id): x for x in sim}
    sim_by_old: dict[str, list[Link]] = {}
    sim_by_new: dict[str, list[Link]] = {}
    for x in sim:
        sim_by_old.setdefault(x.old_id, []).append(x)
        sim_by_new.setdefault(x.new_id, []).append(x)
    pairs = [(by_id[r], n, None, (), Evidence.STATED) for n in new for r in n.refs if r in by_id]
    out = []
    for x in _complete(pairs, old, new):
        s = sim_rel.get((x.old_id, x.new_id))
        if s is not None:  # similarity made the same link
            sim_said, score, terms = Relation(s.relation).value, s.score, s.matched_terms
            signals = s.signals
        else:
            others = sim_by_old.get(x.old_id, []) if x.old_id else sim_by_new.get(x.new_id, [])
            sim_said = (
                "; ".join(
                    f"{Relation(o.relation).value} {o.new_id or o.old_id}".strip() for o in others
                )
                or "none"
            )
            score, terms, signals = (
                pair_score(x.old_id, x.new_id) if x.old_id and x.new_id else (None, (), ())
            )
        if x.relation in (Relation.NEW, Relation.DROPPED):
            score, signals = None, ()
        out.append(
            Link(
                x.old_id,
                x.old_title,
                x.new_id,
                x.new_title,
                x.relation,
                score,
                Evidence.STATED,
                terms,
                sim_said,
                signals=signals,
            )
        )
    return out


def align_strategies(
    old: Strategy,
    new: Strategy,
    *,
    settings: AlignSettings | None = None,
    reviewed: ContinuityMap | ReviewedMap | None = None,
    use_stated: bool = True,
) -> ContinuityMap:
    """Map OLD's measures onto NEW's. Every OLD and every NEW id appears in at least one link.

    Reviewed decisions (``ReviewedMap``, or the ``reviewed`` rows of a ``ContinuityMap``) are laid
    over the proposals (``apply_decisions``): proposals are made on all measures, as if nothing
    were reviewed, so a decision never changes a link it does not name.
    """
    for side in (old, new):
        if len(side.measures) > MAX_ALIGN_MEASURES:
            raise FormatError(
                f"has {len(side.measures):,} measures, more than the {MAX_ALIGN_MEASURES:,} one "
                "alignment takes (a strategy has hundreds; 10,000 × 10,000 takes about two "
                "minutes); split the table by document, or use 'textkit compare' or "
                "'textkit corpus build' for many documents",
                path=side.source or None,
            )
    s = resolve(settings)
    records = as_records(reviewed)
    if records:
        records = follow_renumbering(records, old, new)
        check_reviewed(records, old, new)
    links, pair_score = _similarity(list(old.measures), list(new.measures), s)
    if use_stated and any(m.refs for m in new.measures):
        links = _stated_links(list(old.measures), list(new.measures), links, pair_score)
    if records:
        links = apply_decisions(links, records, old.measures, new.measures, pair_score)
    return ContinuityMap(old.source, new.source, _ordered(links, old.measures, new.measures))


def as_records(reviewed: ContinuityMap | ReviewedMap | None) -> tuple[ReviewRecord, ...]:
    """Decision records from a reviewed map, or from the reviewed rows of a continuity map (each
    an approval, as maps written before decisions were records say)."""
    if reviewed is None:
        return ()
    if isinstance(reviewed, ReviewedMap):
        return reviewed.records
    return tuple(
        ReviewRecord(
            x.old_id,
            x.old_title,
            x.new_id,
            x.new_title,
            Relation(x.relation),
            Decision.APPROVE,
            note=x.reviewer_note,
            score=x.score,
            evidence=x.evidence,
            matched_terms=x.matched_terms,
        )
        for x in reviewed.links
        if x.reviewed
    )


def apply_decisions(
    proposals: Sequence[Link],
    records: Sequence[ReviewRecord],
    old: Sequence[Measure],
    new: Sequence[Measure],
    pair_score: PairScorer | None = None,
) -> list[Link]:
    """Proposals with the reviewer's decisions laid over them.

    Decided links are kept exactly; a proposal goes only when a decision names it (rejected, or
    replaced by a correction made from it, or decided itself) or declares one of its measures
    新規/廃止. Relations are recomputed from the links that remain (a new measure can receive
    several old ones), except a 区分 the reviewer chose (``ReviewRecord.relation_basis``): it
    stands, with evidence ``reviewed``, while its group is the links it was chosen on; when they
    changed, the link shows the computed relation, flagged 要確認, and a ``TextkitWarning`` names
    it (``decided_relation``). A decided link without a score (a corrected or added pair) gets
    the similarity of its pair from ``pair_score``. Every measure left without a link gets a
    新規/廃止 row.
    """
    decided = [r for r in records if r.is_link]
    gone = {r.key for r in records if r.decision is Decision.REJECT}
    gone |= {r.original_key for r in records if any(r.original_key) and r.original_key != r.key}
    gone |= {r.key for r in decided}
    statements = [r for r in records if r.decision is not Decision.REJECT and not r.is_link]
    no_successor = {r.old_id for r in statements if r.old_id}
    no_origin = {r.new_id for r in statements if r.new_id}
    kept = [
        x
        for x in proposals
        if x.old_id
        and x.new_id
        and (x.old_id, x.new_id) not in gone
        and x.old_id not in no_successor
        and x.new_id not in no_origin
    ]
    pairs = [(x.old_id, x.new_id) for x in kept] + [r.key for r in decided]
    groups = link_groups(pairs)
    rel = relations(pairs)
    olds = {m.id: m.title for m in old}
    news = {m.id: m.title for m in new}
    out = [dataclasses.replace(x, relation=rel[(x.old_id, x.new_id)]) for x in kept]
    changed: list[str] = []
    for r in decided:
        relation, evidence, flagged, said = decided_relation(r, groups[r.key], changed)
        score = r.score
        if score is None and pair_score is not None:  # corrected / added: its pair's similarity
            score = pair_score(*r.key)[0]
        out.append(
            Link(
                r.old_id,
                olds.get(r.old_id, r.old_title),
                r.new_id,
                news.get(r.new_id, r.new_title),
                relation,
                score,
                evidence,
                r.matched_terms,
                said,
                reviewed=r.decision is not Decision.PENDING,
                reviewer_note=r.note,
                needs_review=flagged,
            )
        )
    _warn(changed)
    used_old = {x.old_id for x in out}
    used_new = {x.new_id for x in out}
    for r in statements:
        if r.old_id and r.old_id not in used_old:
            out.append(
                Link(
                    r.old_id,
                    olds.get(r.old_id, r.old_title),
                    "",
                    "",
                    Relation.DROPPED,
                    evidence=r.evidence,
                    reviewed=r.decision is not Decision.PENDING,
                    reviewer_note=r.note,
                )
            )
            used_old.add(r.old_id)
        if r.new_id and r.new_id not in used_new:
            out.append(
                Link(
                    "",
                    "",
                    r.new_id,
                    news.get(r.new_id, r.new_title),
                    Relation.NEW,
                    evidence=r.evidence,
                    reviewed=r.decision is not Decision.PENDING,
                    reviewer_note=r.note,
                )
            )
            used_new.add(r.new_id)
    carried = {x.old_id: x for x in proposals if x.old_id and not x.new_id}
    carried_new = {x.new_id: x for x in proposals if x.new_id and not x.old_id}
    for m in old:
        if m.id not in used_old:
            out.append(carried.get(m.id) or Link(m.id, m.title, "", "", Relation.DROPPED))
    for m in new:
        if m.id not in used_new:
            out.append(carried_new.get(m.id) or Link("", "", m.id, m.title, Relation.NEW))
    return out


def decided_relation(
    r: ReviewRecord, group: frozenset[tuple[str, str]], changed: list[str]
) -> tuple[Relation, Evidence, bool, str]:
    """(relation, evidence, 要確認, what the links alone give) of a decided link in its group
    now. A 区分 the reviewer chose stands (evidence ``reviewed``) while the group is the links it
    was chosen on (or gives that 区分 itself); when they changed, the computed relation is shown,
    flagged, and a warning naming the link, both 区分 and the links is added to ``changed``."""
    computed = group_relation(group)
    chosen = Relation(r.relation)
    if not r.relation_basis or chosen is computed:
        return computed, r.evidence, False, ""
    if frozenset(r.relation_basis) == group:
        return chosen, Evidence.REVIEWED, False, computed.value
    from .workbook import RELATION_JA

    def links(keys: Iterable[tuple[str, str]]) -> str:
        return ", ".join(f"{o} → {n}" for o, n in sorted(keys)) or "none"

    basis = frozenset(r.relation_basis)
    changed.append(
        f"reviewed 区分 of {r.old_id} → {r.new_id} (revision {r.revision}): "
        f"{RELATION_JA[chosen]} ({chosen.value}) was chosen on the links {links(basis)}; they "
        f"changed (added: {links(group - basis)}; gone: {links(basis - group)}), so the map shows "
        f"the 区分 the links give, {RELATION_JA[computed]} ({computed.value}), flagged 要確認 — "
        "choose its 区分 again in the next workbook (確認 修正) to keep one"
    )
    return computed, r.evidence, True, ""


def _warn(messages: Sequence[str]) -> None:
    import warnings

    from .errors import TextkitWarning

    for message in messages:
        warnings.warn(TextkitWarning(message), stacklevel=4)


def follow_renumbering(
    records: Sequence[ReviewRecord], old: Strategy, new: Strategy
) -> tuple[ReviewRecord, ...]:
    """The decisions re-keyed to a document that renumbered its measures (a revised draft with
    1-(3) and 1-(4) swapped): when every ID whose recorded title is not the document's names one
    title, found once in the document under another ID, and no two IDs move onto one, each
    decision follows its measure's title, and a ``TextkitWarning`` names every move. Anything
    else (a title gone, or found twice) is left for ``check_reviewed`` to refuse, as before."""
    moves: dict[str, dict[str, str]] = {}
    for side, doc, id_field, title_field in (
        ("old", old, "old_id", "old_title"),
        ("new", new, "new_id", "new_title"),
    ):
        here = {m.id: _same_title(m.title) for m in doc.measures}
        by_title: dict[str, list[str]] = {}
        for m in doc.measures:
            by_title.setdefault(_same_title(m.title), []).append(m.id)
        named: dict[str, set[str]] = {}  # a mismatched ID → the titles the decisions give it
        for r in records:
            mid, title = getattr(r, id_field), getattr(r, title_field)
            if mid and (mid not in here or (title and _same_title(title) != here[mid])):
                named.setdefault(mid, set()).add(_same_title(title))
        side_moves: dict[str, str] = {}
        for mid, titles in named.items():
            ids = by_title.get(next(iter(titles)), []) if len(titles) == 1 else []
            if len(ids) != 1 or "" in titles:
                return tuple(records)  # not a renumbering: check_reviewed says which
            side_moves[mid] = ids[0]
        if len(set(side_moves.values())) != len(side_moves):
            return tuple(records)
        if side_moves:
            moves[side] = side_moves
    if not moves:
        return tuple(records)
    to_old, to_new = moves.get("old", {}), moves.get("new", {})

    def key(o: str, n: str) -> tuple[str, str]:
        return to_old.get(o, o), to_new.get(n, n)

    moved = [r for r in records if key(*r.key) != r.key]
    stay = [r for r in records if key(*r.key) == r.key]
    current = {r.key for r in stay}  # decided under this numbering already: those stand
    out = stay + [
        dataclasses.replace(
            r,
            old_id=to_old.get(r.old_id, r.old_id),
            new_id=to_new.get(r.new_id, r.new_id),
            original_old_id=to_old.get(r.original_old_id, r.original_old_id),
            original_new_id=to_new.get(r.original_new_id, r.original_new_id),
            relation_basis=tuple(sorted(key(o, n) for o, n in r.relation_basis)),
        )
        for r in moved
        if key(*r.key) not in current
    ]
    told = [f"{side} {a} → {b}" for side, m in moves.items() for a, b in sorted(m.items())]
    _warn(
        [
            "the reviewed decisions name measures this document numbers differently ("
            + ", ".join(told)
            + "): each decision is applied to the measure of its recorded title (one decided "
            "under the new number stands)"
        ]
    )
    return tuple(out)


def check_reviewed(records: Sequence[ReviewRecord], old: Strategy, new: Strategy) -> None:
    """Refuse reviewed decisions that name measures these documents do not have (or have under
    another title): they were made for another pair of documents or an earlier draft."""
    sides = (
        ("old", {m.id: m.title for m in old.measures}, "old_id", "old_title"),
        ("new", {m.id: m.title for m in new.measures}, "new_id", "new_title"),
    )
    for link in records:
        for side, titles, id_field, title_field in sides:
            mid, title = getattr(link, id_field), getattr(link, title_field)
            if not mid:
                continue
            here = titles.get(mid)
            if here is None or (title and _same_title(title) != _same_title(here)):
                found = f"「{here}」" if here is not None else "not in the document"
                raise ReviewError(
                    f"the reviewed decisions do not fit these documents: {side} measure {mid} is "
                    f"{found} here but 「{title}」 in the reviewed map (mappings/*.reviewed.csv). "
                    "If the document changed, review the pair again (move the reviewed map "
                    "aside); otherwise point --mappings to the folder of this pair"
                )


def _same_title(title: str) -> str:
    return "".join(normalize_chars(title).split())
