"""The order_gap rule (continuity stage d over ``order.facing_gaps``): between two consecutive
links in document order, a gap holding as many unlinked OLD as NEW measures is read as the same
slots, and each facing pair is linked, in order, when its calibrated score clears
``gap_min_score``; such a link names its rule, keeps its per-signal scores, and is flagged 要確認
when weak. The KPI audit's ``order_gap_links`` reads the same gaps (one home: textkit/order.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from textkit.audit import order_gap_links
from textkit.continuity import align_strategies
from textkit.fit import fit_weights, read_training
from textkit.formats import read_map, read_measures, write_map
from textkit.models import ContinuityMap, Link, Measure, Relation, Rule, Strategy
from textkit.order import facing_gaps
from textkit.render import RULE_JA, signals_text
from textkit.settings import resolve

KIRIGAOKA = Path(__file__).parent / "cases" / "align_heldout" / "kirigaoka"


def _align(d: Path, **settings) -> ContinuityMap:
    """Kirigaoka aligned WITHOUT the sentence signals (weights fitted without them on the bundled
    training rows): with them, 1-⑤ → 1-5 is a mutual best and leaves no gap to fill (below)."""
    s = resolve({"w_sentence_title": 0.0, "w_sentence_cross": 0.0, **settings})
    s = s.replace(fitted=fit_weights(read_training(), s.enabled_signals()))
    return align_strategies(
        read_measures(d / "old.csv"), read_measures(d / "new.csv"), settings=s, use_stated=False
    )


@pytest.fixture(scope="module")
def gap_on() -> ContinuityMap:
    return _align(KIRIGAOKA, gap_min_score=0.0)


def test_the_sentence_encoder_finds_that_slot_by_meaning():
    cmap = align_strategies(
        read_measures(KIRIGAOKA / "old.csv"),
        read_measures(KIRIGAOKA / "new.csv"),
        settings=resolve({"gap_min_score": 0.0}),
        use_stated=False,
    )
    link = {(x.old_id, x.new_id): x for x in cmap.links}[("1-⑤", "1-5")]
    assert link.rule is Rule.MUTUAL_BEST and not any(x.rule is Rule.ORDER_GAP for x in cmap.links)


def test_facing_slot_between_two_links_is_linked_by_order(gap_on):
    # 1-⑤ 創業支援 → 1-5 スタートアップの創出と事業承継 shares no word; it sits between
    # 1-④ → 1-4 and 2-① → 2-1, one measure on each side
    gap = [x for x in gap_on.links if x.rule is Rule.ORDER_GAP]
    assert [(x.old_id, x.new_id) for x in gap] == [("1-⑤", "1-5")]
    link = gap[0]
    assert link.relation is Relation.KEPT and link.needs_review  # weak: flagged for staff
    assert link.signals and link.score is not None and link.score < resolve(None).review_below
    assert signals_text(link).startswith(RULE_JA[Rule.ORDER_GAP])


def test_rule_off_or_floor_above_the_score_adds_nothing(gap_on):
    off = _align(KIRIGAOKA, gap_min_score=1.0)
    assert not any(x.rule is Rule.ORDER_GAP for x in off.links)
    assert ("1-⑤", "") in {(x.old_id, x.new_id) for x in off.links}  # dropped without the rule
    high = _align(KIRIGAOKA, gap_min_score=0.5)
    assert not any(x.rule is Rule.ORDER_GAP for x in high.links)
    # nothing else moves: the rule only fills what the other rules left
    others = {(x.old_id, x.new_id) for x in gap_on.links if x.rule is not Rule.ORDER_GAP}
    assert {(x.old_id, x.new_id) for x in off.links if x.old_id and x.new_id} <= others


def test_uneven_gap_is_left_alone():
    old = Strategy("o", measures=(Measure("a", "子育て支援の充実"), Measure("b", "創業支援")))
    new = Strategy(
        "n",
        measures=(
            Measure("A", "子育て支援の充実"),
            Measure("B", "スタートアップの創出"),
            Measure("C", "除雪体制の強化"),
        ),
    )
    cmap = align_strategies(old, new, settings=resolve({"gap_min_score": 0.0}), use_stated=False)
    assert not any(x.rule is Rule.ORDER_GAP for x in cmap.links)  # 1 OLD against 2 NEW


def test_order_gap_rule_travels_through_the_map_file(gap_on, tmp_path):
    path = tmp_path / "map.csv"
    write_map(gap_on, path)
    back = {(x.old_id, x.new_id): x.rule for x in read_map(path).links}
    assert back[("1-⑤", "1-5")] is Rule.ORDER_GAP


def test_every_rule_has_a_label_for_staff():
    assert set(RULE_JA) == set(Rule)


def test_facing_gaps_skip_crossing_links_and_merged_measures():
    # (2, 0) crosses (0, 1): no anchor, but its measures are taken
    assert facing_gaps([(0, 1), (2, 0), (3, 3)], 4, 4) == [([1], [2])]
    # a merge: OLD 1 and 2 both into NEW 1; OLD 3 and NEW 2 face each other before the end
    assert facing_gaps([(0, 0), (1, 1), (2, 1)], 4, 3) == [([3], [2])]


def test_kpi_audit_reads_the_same_gaps():
    o = Strategy("o", measures=tuple(Measure(m, "") for m in ("1", "2", "3", "4")))
    n = Strategy("n", measures=tuple(Measure(m, "") for m in ("A", "B", "C", "D")))
    known = ContinuityMap(
        "",
        "",
        (Link("1", "", "B", "", Relation.KEPT, 1.0), Link("3", "", "A", "", Relation.KEPT, 1.0)),
    )
    extra = [(x.old_id, x.new_id) for x in order_gap_links(o, n, known).links[2:]]
    assert extra == [
        (o.measures[i].id, n.measures[j].id)
        for g in facing_gaps([(0, 1), (2, 0)], 4, 4)
        for i, j in zip(*g, strict=True)
    ]
    assert extra == [("2", "C"), ("4", "D")]
