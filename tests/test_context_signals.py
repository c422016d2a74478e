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
