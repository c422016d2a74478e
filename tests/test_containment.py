"""similarity.title_in_text (containment, off by default): a title found whole inside the other
measure's text scores 1 whatever else that text lists, where a cosine falls with its length."""

from __future__ import annotations

from textkit.models import Measure
from textkit.settings import resolve
from textkit.similarity import featurize, pair_signals


def test_a_title_inside_a_long_text_is_contained():
    old = [
        Measure(id="P19", title="ゼロカーボンシティ実現に向けた取組の推進"),
        Measure(id="P4", title="観光客の誘致"),
    ]
    new = [
        Measure(
            id="G4-M3",
            title="充実した都市機能の整備",
            text="中心市街地のまちづくり、公共交通ネットワーク形成、公共施設更新、ゼロカーボンシティの実現",
        )
    ]
    s = resolve({"w_title_in_text": 1.0})
    f = featurize(old, new, s)
    inside, outside = pair_signals(f, 0, 0), pair_signals(f, 1, 0)
    assert inside["title_in_text"] > 0.99 > inside["full_word"]
    assert outside["title_in_text"] == 0.0


def test_both_described_says_whether_either_side_is_a_title_only():
    old = [
        Measure(id="a", title="創業支援", text="創業塾の開催"),
        Measure(id="b", title="移住促進"),
    ]
    new = [Measure(id="x", title="スタートアップ", items=("支援拠点",))]
    f = featurize(old, new, resolve({"w_both_described": 1.0}))
    assert [pair_signals(f, i, 0)["both_described"] for i in (0, 1)] == [1.0, 0.0]


def test_experimental_signals_are_off_unless_switched_on():
    s = resolve(None)
    assert not {"title_in_text", "both_described"} & set(s.enabled_signals())
