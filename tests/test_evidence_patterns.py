"""Missing evidence (#15): a measure stated by its title alone is not read as disagreement.

A pair with a title-only side is scored by the model fitted on that evidence pattern
(``similarity.PATTERNS``, ``SignalWeights.patterns``), learnt from copies of the gold pairs with
a side reduced to titles (``fit.title_only_copies``), so its score stays a calibrated probability.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

from textkit.fit import (
    fit_weights,
    label_cells,
    read_training,
    title_only_copies,
    titles_only,
    training_csv,
    weights_json,
)
from textkit.formats import read_map, read_measures
from textkit.models import Measure
from textkit.settings import resolve
from textkit.similarity import (
    PATTERNS,
    SignalWeights,
    evidence,
    featurize,
    parse_weights,
    pattern_of,
)

CASES = Path(__file__).parent / "cases"
ON = {"evidence_patterns": True, "fit_title_only_copies": True}


def test_the_pattern_of_a_pair_says_which_sides_are_titles_only():
    old = [
        Measure(id="a", title="創業支援", text="創業塾の開催"),
        Measure(id="b", title="移住促進"),
    ]
    new = [Measure(id="x", title="起業", items=("支援拠点",)), Measure(id="y", title="定住")]
    f = featurize(old, new, resolve(ON))
    rows, cols = np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])
    assert [PATTERNS[c] for c in evidence(f, rows, cols)] == [
        "", "old titles", "new titles", "titles"
    ]  # fmt: skip
    assert [pattern_of(old[i], new[j]) for i, j in zip(rows, cols, strict=True)] == [0, 1, 2, 3]
    off = featurize(old, new, resolve({"evidence_patterns": False}))
    assert not evidence(off, rows, cols).any()  # switched off: every pair reads as described


def test_each_pattern_is_scored_by_its_own_model():
    w = SignalWeights(-4.0, {"a": 2.0}, patterns={"old titles": SignalWeights(-1.0, {"a": 5.0})})
    scores = {"a": np.array([0.5, 0.5, 0.5])}
    z = w.logit(scores, np.array([0, 1, 3]))
    assert z.tolist() == [-3.0, 1.5, -3.0]  # "titles" has no model of its own: the main one
    assert w.logit(scores).tolist() == [-3.0] * 3
    back = parse_weights(weights_json(w, 3, 1), "w.json")
    assert back.patterns["old titles"] == SignalWeights(-1.0, {"a": 5.0})
    with pytest.raises(Exception, match="unknown evidence pattern"):
        data = json.loads(weights_json(w, 3, 1))
        data["patterns"]["sideways"] = data["patterns"]["old titles"]
        parse_weights(json.dumps(data), "w.json")


def _pair(name: str):
    d = CASES / "align" / name
    return read_measures(d / "old.csv"), read_measures(d / "new.csv"), read_map(d / "gold.csv")


def test_title_only_copies_teach_the_fit_each_pattern():
    s = resolve(ON)
    old, new, gold = _pair("kitahama")
    real = label_cells("kitahama", old.measures, new.measures, gold, s)
    copies = title_only_copies("kitahama", old.measures, new.measures, gold, s)
    assert [c.pair for c in copies] == [
        "kitahama~old-titles", "kitahama~new-titles", "kitahama~titles"
    ]  # fmt: skip
    assert [set(c.codes().tolist()) for c in copies] == [{1}, {2}, {3}]
    assert all((c.labels == real.labels).all() for c in copies)  # the same gold links
    names = s.enabled_signals()
    w = fit_weights([real, *copies], names)
    assert set(w.patterns) == {"old titles", "new titles", "titles"}
    # a title-only side lowers the description signals of true links: its model reads them
    # as weaker evidence against a link than the main model does
    links = real.labels == 1
    cross = copies[0].scores["full_word"][links].mean()
    assert cross < real.scores["full_word"][links].mean()
    p_main = w.probability({n: v[links] for n, v in copies[0].scores.items()})
    p_pattern = w.probability(
        {n: v[links] for n, v in copies[0].scores.items()}, copies[0].codes()[links]
    )
    assert p_pattern.mean() > p_main.mean()
    # a side that has no descriptions anyway (Tomakomai's old 取組) gives no copy of its own
    t_old, t_new, t_gold = _pair("tomakomai")
    t = title_only_copies("tomakomai", t_old.measures, t_new.measures, t_gold, s)
    assert [c.pair for c in t] == ["tomakomai~new-titles"]


def test_training_rows_keep_each_cells_pattern():
    s = resolve(ON)
    old, new, gold = _pair("kitahama")
    copies = title_only_copies("kitahama", old.measures, new.measures, gold, s)
    text = training_csv(copies, s.enabled_signals())
    back = read_training(text)
    assert [set(d.codes().tolist()) for d in back] == [{1}, {2}, {3}]
    assert np.allclose(back[0].scores["full_word"], copies[0].scores["full_word"], atol=1e-4)


def test_bundled_rows_without_the_column_read_as_described():
    text = "pair,old_id,new_id,label,full_word\np,a,x,1,0.5\np,b,x,0,0.1\n"
    assert read_training(text)[0].codes().tolist() == [0, 0]


def test_a_title_only_link_is_explained_by_its_patterns_model():
    """The waterfall of a link whose OLD measure is a title only ends at its score when drawn
    with the model of that pattern (the HTML report finds the pattern from the measures)."""
    from textkit.continuity import align_strategies
    from textkit.render import waterfall_figure
    from textkit.similarity import weights_for

    s = resolve(ON)
    old, new, gold = _pair("kitahama")
    names = s.enabled_signals()
    labelled = [label_cells("kitahama", old.measures, new.measures, gold, s)]
    labelled += title_only_copies("kitahama", old.measures, new.measures, gold, s)
    s = s.replace(fitted=fit_weights(labelled, names))
    bare = dataclasses.replace(old, measures=titles_only(old.measures))
    cmap = align_strategies(bare, new, settings=s, use_stated=False)
    linked = [x for x in cmap.links if x.old_id and x.new_id]
    assert linked
    w = weights_for(s)
    for x in linked:
        bars = waterfall_figure(x, w, pattern=1).data[0]
        assert abs(1 / (1 + math.exp(-sum(bars.y[:-1]))) - x.score) < 0.01, x


def test_the_main_model_is_fitted_on_described_pairs_unless_pooled():
    s = resolve(ON)
    old, new, gold = _pair("kitahama")
    real = label_cells("kitahama", old.measures, new.measures, gold, s)
    t_old, t_new, t_gold = _pair("tomakomai")
    bare = label_cells("tomakomai", t_old.measures, t_new.measures, t_gold, s)
    assert set(bare.codes().tolist()) == {1}  # the deck's 取組 are titles only
    names = s.enabled_signals()
    alone = fit_weights([real], names)
    split = fit_weights([real, bare], names)
    pooled = fit_weights([real, bare], names, pool_main=True)
    assert (split.intercept, split.coef) == (alone.intercept, alone.coef)
    assert set(split.patterns) == {"old titles"}
    assert pooled.coef != alone.coef


def test_leftovers_first_pairs_two_unlinked_measures_before_a_split_takes_one():
    """郷土の魅力 is the best OLD left for 魅力の向上, whose best OLD (都市機能, already linked)
    would otherwise take it as a split."""
    from textkit.continuity import link_measures

    old = [
        Measure(id="A", title="都市機能の整備", text="都市機能と魅力ある景観"),
        Measure(id="B", title="郷土の魅力の発信", text="郷土の魅力を伝える"),
    ]
    new = [
        Measure(id="X", title="都市機能の充実", text="都市機能の整備"),
        Measure(id="Y", title="魅力の向上", text="地域の魅力を高める"),
    ]
    scores = {(0, 0): 0.4, (0, 1): 0.23, (1, 1): 0.22, (1, 0): 0.01}
    got = {}
    for first in (False, True):
        s = resolve({"leftovers_first": first, "min_link": 0.02, "secondary_ratio": 0.2})
        f = featurize(old, new, s)
        got[first] = {(p.old, p.new, p.rule.value) for p in link_measures(f, scores, 2, 2, s)}
    assert got[False] == {(0, 0, "mutual_best"), (0, 1, "split")}
    assert got[True] == {(0, 0, "mutual_best"), (1, 1, "mutual_best_rest")}
