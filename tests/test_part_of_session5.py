"""Part-of checks of merges and splits (continuity._secondary, similarity.part_coverage): the
part's own ratio test (``part_margin``) and the sentence encoder reading the part's title as a
whole (``part_sentence_rank``). Both are measured by the nested leave-one-pair-out procedure
(reports/bench_align.md) and OFF by default."""

from __future__ import annotations

from textkit.continuity import link_measures
from textkit.models import Measure
from textkit.settings import resolve
from textkit.similarity import featurize, part_coverage

_WHOLE = Measure(
    "A",
    "仕事と子育ての両立支援",
    text="育児休業の取得を促し、働きながら子どもを育てられる職場をつくります。",
)
_OTHERS = [
    Measure("B", "冬の道路の除雪", text="除雪車を増やします。"),
    Measure("C", "観光客の誘致", text="温泉の観光客を増やします。"),
]


def test_a_part_with_one_clear_destination_joins_a_whole_whose_other_part_is_a_near_copy():
    old = [
        Measure("1", "職場の休暇制度の改善"),  # one of its words (職場) is in the whole
        Measure("2", "仕事と子育ての両立支援"),  # a near copy of the whole
        Measure("3", "除雪体制の強化"),
    ]
    s = resolve({"secondary_ratio": 0.45, "contained_ratio": 0.1, "part_word_cosine": 0.0})
    f = featurize(old, [_WHOLE, *_OTHERS], s)
    assert 0.1 <= part_coverage(f, 0, 0, "old") < s.contained_coverage
    # the part scores 0.12 with the whole, 12 × its best elsewhere, but 0.12 of its rival's 0.99
    scores = {(1, 0): 0.99, (0, 0): 0.12, (0, 1): 0.004, (0, 2): 0.01, (2, 1): 0.98}

    def merged(margin: float) -> bool:
        props = link_measures(f, scores, 3, 3, s.replace(part_margin=margin))
        return any((p.old, p.new, p.rule.value) == (0, 0, "merge") for p in props)

    assert not merged(0.0)  # off: the share of the rival decides (0.12 < 0.45 × 0.99)
    assert merged(10.0)  # 0.12 ≥ 10 × 0.01: contained_ratio applies (0.12 ≥ 0.1 × 0.99)
    assert not merged(50.0)  # not that clear


def test_the_encoder_reads_a_part_title_that_shares_no_word_with_its_whole():
    old = [Measure("1", "ワーク・ライフ・バランスの推進"), Measure("3", "除雪体制の強化")]
    no_thesaurus = {"thesaurus": _empty_thesaurus(), "w_concept": 0.0, "part_word_cosine": 0.0}
    off = featurize(old, [_WHOLE, *_OTHERS], resolve(no_thesaurus))
    assert part_coverage(off, 0, 0, "old") == 0.0
    on = featurize(old, [_WHOLE, *_OTHERS], resolve({**no_thesaurus, "part_sentence_rank": 1}))
    assert part_coverage(on, 0, 0, "old", 1) > 0.0  # the whole is the encoder's nearest
    assert part_coverage(on, 0, 0, "old", 0) == 0.0  # rank 0: not read
    assert part_coverage(on, 0, 2, "old", 1) == 0.0  # 観光客の誘致 is not its nearest


def _empty_thesaurus() -> str:
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "empty_thesaurus.csv"
    path.write_text("group,terms\nnone,\u3000never-matches\u3000\n", encoding="utf-8")
    return str(path)
