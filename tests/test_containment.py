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


def test_containment_is_off_unless_switched_on():
    s = resolve(None)
    assert "title_in_text" not in s.enabled_signals()
