"""Context signals, each one scorer ``(a, b) -> score`` like the others: similarity.goal_context
(each measure's goal read as a whole, its title and every measure under it, compared across the
editions with the shipped word vectors) and similarity.neighbours (the share of a pair's diagonal
neighbours that are each other's best on the texts alone)."""

from __future__ import annotations

from textkit.models import Measure
from textkit.settings import resolve
from textkit.similarity import featurize, pair_signals


def _m(mid: str, goal: str, title: str, text: str = "") -> Measure:
    return Measure(mid, title, goal=goal, text=text)


def test_goal_context_follows_the_goal_as_a_whole_not_the_titles():
    old = [
        _m("1-1", "子育て", "保育所の整備", "待機児童を解消します。"),
        _m("1-2", "子育て", "子育て相談の充実", "子育て世帯の相談に応じます。"),
        _m("2-1", "観光", "観光資源の発掘", "観光客を呼び込みます。"),
        _m("9", "", "除雪体制の強化", "冬の道路を守ります。"),
    ]
    new = [
        _m("A", "こども", "保育人材の確保", "保育士を確保し、こども家庭センターを置きます。"),
        _m("B", "にぎわい", "インバウンド誘客", "海外からの観光客を増やします。"),
    ]
    f = featurize(old, new, resolve({"w_goal_context": 1.0}))
    same = pair_signals(f, 1, 0)["goal_context"]  # 子育て相談 ↔ 保育人材: same goal as a whole
    other = pair_signals(f, 1, 1)["goal_context"]
    assert 0.0 <= other < same <= 1.0
    # measures of one goal share its context; a measure without a goal stands for itself
    assert abs(pair_signals(f, 0, 0)["goal_context"] - same) < 1e-6
    assert pair_signals(f, 3, 0)["goal_context"] != same
    assert "goal_context" not in pair_signals(featurize(old, new, resolve(None)), 0, 0)


def test_neighbours_support_the_slot_between_two_anchors_and_nothing_beside_it():
    old = [
        _m("1", "g", "保育所の整備", "待機児童を解消します。"),
        _m("2", "g", "創業支援", "創業セミナーを開きます。"),
        _m("3", "g", "除雪体制の強化", "冬の道路の除雪を進めます。"),
    ]
    new = [
        _m("A", "g", "保育所の整備と保育士確保", "待機児童を解消し、保育士を確保します。"),
        _m("B", "g", "スタートアップの創出", "起業家を育てます。"),
        _m("C", "g", "除雪体制の強化", "冬の道路の除雪と排雪を進めます。"),
    ]
    f = featurize(old, new, resolve({"w_neighbours": 1.0}))
    assert pair_signals(f, 1, 1)["neighbours"] == 1.0  # (0, 0) and (2, 2) are anchors
    assert pair_signals(f, 1, 0)["neighbours"] == 0.0
    assert pair_signals(f, 1, 2)["neighbours"] == 0.0


def _goal_pair() -> tuple[list[Measure], list[Measure]]:
    """Two goals that continue into each other (子育て → こども, 観光 → にぎわい), each with
    measures that are each other's best on the texts (anchors)."""
    old = [
        _m("1-1", "子育て", "保育所の整備", "待機児童を解消し保育所を整備します。"),
        _m("1-2", "子育て", "子育て相談の充実", "子育て世帯の相談窓口を開きます。"),
        _m("1-3", "子育て", "妊娠出産の支援", "妊婦健診と出産費用を助成します。"),
        _m("2-1", "観光", "観光資源の発掘", "温泉と海岸の観光資源を磨きます。"),
        _m("2-2", "観光", "観光イベントの開催", "夏祭りと花火大会で観光客を呼びます。"),
        _m("2-3", "観光", "観光案内の多言語化", "観光案内板を多言語にします。"),
    ]
    new = [
        _m("A", "こども", "保育所の整備と保育士確保", "待機児童を解消し保育所を整備します。"),
        _m("B", "こども", "子育て相談窓口", "子育て世帯の相談窓口を開きます。"),
        _m("C", "こども", "妊娠出産への支援", "妊婦健診と出産費用を助成します。"),
        _m("D", "にぎわい", "観光資源の活用", "温泉と海岸の観光資源を磨きます。"),
        _m("E", "にぎわい", "観光イベント", "夏祭りと花火大会で観光客を呼びます。"),
        _m("F", "にぎわい", "多言語の観光案内", "観光案内板を多言語にします。"),
    ]
    return old, new


def test_goal_anchor_supports_a_pair_under_goals_that_continue_into_each_other():
    old, new = _goal_pair()
    f = featurize(old, new, resolve({"w_goal_anchor": 1.0}))
    same = pair_signals(f, 1, 2)["goal_anchor"]  # 子育て相談 ↔ 妊娠出産: goals continue
    other = pair_signals(f, 1, 4)["goal_anchor"]  # 子育て相談 ↔ 観光イベント: they do not
    assert 0.5 < same < 1.0
    assert 0.0 < other < 0.5
    assert "goal_anchor" not in pair_signals(featurize(old, new, resolve(None)), 0, 0)


def test_goal_anchor_reads_no_evidence_as_neutral_and_a_pair_is_not_its_own_evidence():
    old, new = _goal_pair()
    # a goal of one measure whose only anchor is the pair itself: no evidence either way
    lone_old = [*old, _m("3-1", "防災", "除雪体制の強化", "冬の道路の除雪を進めます。")]
    lone_new = [*new, _m("G", "安全", "除雪体制の強化", "冬の道路の除雪を進めます。")]
    f = featurize(lone_old, lone_new, resolve({"w_goal_anchor": 1.0}))
    assert abs(pair_signals(f, 6, 6)["goal_anchor"] - 0.5) < 1e-9
    # without goals every measure is a goal of its own: nothing to read
    bare = [Measure(m.id, m.title, text=m.text) for m in old]
    f = featurize(bare, new, resolve({"w_goal_anchor": 1.0}))
    assert abs(pair_signals(f, 0, 0)["goal_anchor"] - 0.5) < 1e-9


def test_sentence_goal_compares_the_goal_titles():
    old, new = _goal_pair()
    f = featurize(old, new, resolve({"w_sentence_goal": 1.0}))
    assert pair_signals(f, 0, 1)["sentence_goal"] > pair_signals(f, 0, 4)["sentence_goal"]
