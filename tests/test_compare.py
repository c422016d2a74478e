"""textkit.compare: cross-city counterparts (formats §6) on the Otaru 第2期 and Tomakomai 第3期
measures, and the blocked top-k search against a brute-force reference."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import scipy.sparse as sp
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize

import textkit
from textkit.cli import main
from textkit.counterparts import compare_strategies, nearest_across, top_k_blocked
from textkit.errors import TextkitError
from textkit.formats import COUNTERPART_COLUMNS, read_measures
from textkit.sources import load_named as load

from .conftest import OTARU_2ND_MEASURES, TOMAKOMAI_3RD_MEASURES

OTARU, TOMAKOMAI = OTARU_2ND_MEASURES, TOMAKOMAI_3RD_MEASURES

# Known counterparts (Otaru 第2期 id, Tomakomai 第3期 id), read off both documents by hand.
KNOWN = [
    ("G2-M3", "G3-M3"),  # 移住に関する総合的な取組 ↔ 移住促進
    (
        "G3-M1",
        "G2-M2",
    ),  # 子どもを生み育てやすい環境づくり ↔ 子育ての不安感を緩和し、健やかな育ちの支援
    ("G1-M3", "G1-M3"),  # 多様な人材の就労支援と地元就職の促進 ↔ 若者の地元就職の促進
    ("G1-M2", "G1-M2"),  # 事業承継・起業支援と企業誘致による雇用の確保 ↔ 創業・事業承継支援
    ("G2-M1", "G3-M1"),  # 小樽の歴史・文化や地域資源を活かした観光振興 ↔ 交流人口の拡大支援
    (
        "G4-M1",
        "G4-M2",
    ),  # 誰もが安心して暮らせるまちづくり ↔ 災害時等に備えた安全安心なまちづくりの強化
]


@pytest.fixture(scope="module")
def pairs():
    return textkit.compare(OTARU, TOMAKOMAI, top=3)


def _rank(pairs, a_doc, a_id, b_id):
    ranks = [p.rank for p in pairs if p.a_doc == a_doc and p.a_id == a_id and p.b_id == b_id]
    return ranks[0] if ranks else None


@pytest.mark.parametrize(("otaru_id", "tomakomai_id"), KNOWN)
def test_known_counterparts_are_in_the_top_3_both_ways(pairs, otaru_id, tomakomai_id):
    assert _rank(pairs, "otaru_2nd_measures", otaru_id, tomakomai_id) in (1, 2, 3)
    assert _rank(pairs, "tomakomai_3rd_measures", tomakomai_id, otaru_id) in (1, 2, 3)


def test_unambiguous_counterparts_rank_first_with_their_shared_words(pairs):
    first = {(p.a_id, p.b_id): p for p in pairs if p.a_doc == "otaru_2nd_measures" and p.rank == 1}
    assert "移住" in first[("G2-M3", "G3-M3")].matched_terms
    assert "就職" in first[("G1-M3", "G1-M3")].matched_terms
    assert "承継" in first[("G1-M2", "G1-M2")].matched_terms
    assert first[("G2-M3", "G3-M3")].score > 0.3


def test_every_measure_gets_ranked_counterparts_in_each_other_document(pairs):
    for doc, other, n in (
        ("otaru_2nd_measures", "tomakomai_3rd_measures", 12),
        ("tomakomai_3rd_measures", "otaru_2nd_measures", 12),
    ):
        rows = [p for p in pairs if p.a_doc == doc]
        assert {p.b_doc for p in rows} == {other}
        assert len({p.a_id for p in rows}) == n
        for a_id in {p.a_id for p in rows}:
            mine = [p for p in rows if p.a_id == a_id]
            assert [p.rank for p in mine] == list(range(1, len(mine) + 1))
            assert len(mine) <= 3
            scores = [p.score for p in mine]
            assert scores == sorted(scores, reverse=True)
            assert all(0 < s <= 1 for s in scores)
            assert len({p.b_id for p in mine}) == len(mine)


def test_three_documents_pair_every_ordered_couple(tmp_path):
    otaru = read_measures(OTARU)
    third = tmp_path / "third.csv"
    third.write_text("id,title\nX1,移住希望者への相談支援\nX2,子育て世帯への経済的支援\n", "utf-8")
    pairs = compare_strategies([load(OTARU), load(TOMAKOMAI), load(third)], top=1)
    couples = {(p.a_doc, p.b_doc) for p in pairs}
    assert len(couples) == 6
    x1 = [p for p in pairs if p.a_id == "X1" and p.b_doc == "otaru_2nd_measures"]
    assert x1[0].b_id == "G2-M3"
    assert len(otaru.measures) == 12


def test_cli_writes_formats_section_6(tmp_path):
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(main, ["compare", str(OTARU), str(TOMAKOMAI), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(next(iter(rows)).keys())[: len(COUNTERPART_COLUMNS)] == COUNTERPART_COLUMNS
    row = next(r for r in rows if r["a_id"] == "G2-M3" and r["rank"] == "1")
    assert (row["b_id"], row["b_title"]) == ("G3-M3", "移住促進")


def test_cli_top_bounds_the_rows_and_json_works(tmp_path):
    out = tmp_path / "pairs.json"
    args = ["compare", str(OTARU), str(TOMAKOMAI), "-o", str(out), "--top", "1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    import json

    rows = json.loads(out.read_text("utf-8"))
    assert {r["rank"] for r in rows} == {1}
    assert len(rows) <= 24


def test_one_document_is_refused_with_a_message():
    runner = CliRunner()
    result = runner.invoke(main, ["compare", str(OTARU), "-o", "x.csv"])
    assert result.exit_code == 2
    assert "at least two documents" in result.output
    with pytest.raises(TextkitError, match="share a name"):
        compare_strategies([load(OTARU), load(OTARU)])


def test_counterpart_settings_from_the_api_and_the_cli(tmp_path, pairs):
    assert textkit.compare(OTARU, TOMAKOMAI, top=3, settings={"title_weight": 1}) == pairs
    terse = textkit.compare(OTARU, TOMAKOMAI, top=3, settings={"matched_terms": 1})
    assert [p.b_id for p in terse] == [p.b_id for p in pairs]
    assert {len(p.matched_terms) for p in terse} == {1}
    assert max(len(p.matched_terms) for p in pairs) == 5
    titles = textkit.compare(OTARU, TOMAKOMAI, top=3, settings={"title_weight": 4})
    assert [p.score for p in titles] != [p.score for p in pairs]  # the weight is the one used
    good, bad, out = tmp_path / "good.toml", tmp_path / "bad.toml", tmp_path / "pairs.csv"
    good.write_text("[counterparts]\nmatched_terms = 1\n", encoding="utf-8")
    bad.write_text("[counterparts]\ntitle_weight = 0\n", encoding="utf-8")
    args = ["compare", str(OTARU), str(TOMAKOMAI), "-o", str(out), "--settings"]
    assert CliRunner().invoke(main, [*args, str(good)]).exit_code == 0
    with out.open(encoding="utf-8-sig") as f:
        assert {r["matched_terms"].count(" ") for r in csv.DictReader(f)} == {0}
    result = CliRunner().invoke(main, [*args, str(bad)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "title_weight must be a whole number ≥ 1, not 0" in result.output


@st.composite
def _sparse(draw):
    n = draw(st.integers(1, 12))
    m = draw(st.integers(1, 12))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    a = sp.random(n, 6, density=0.5, format="csr", random_state=rng, dtype=np.float32)
    b = sp.random(m, 6, density=0.5, format="csr", random_state=rng, dtype=np.float32)
    # Rows are l2-normalised like TF-IDF rows, so every cosine is within 0–1.
    groups = (rng.integers(0, 3, n), rng.integers(0, 3, m)) if draw(st.booleans()) else None
    return normalize(a), normalize(b), draw(st.integers(1, 4)), draw(st.integers(1, 5)), groups


@settings(max_examples=60, deadline=None)
@given(_sparse(), st.sampled_from(["auto", "sparse_dot_topn", "scipy"]))
def test_blocked_top_k_equals_brute_force(case, engine):
    a, b, k, block_rows, groups = case
    idx, val = top_k_blocked(a, b, k, block_rows=block_rows, groups=groups, engine=engine)
    dense = (a @ b.T).toarray()
    if groups is not None:
        dense[groups[0][:, None] == groups[1][None, :]] = 0
    for r in range(a.shape[0]):
        expected = np.sort(dense[r][dense[r] > 0])[::-1][:k]
        got = val[r][idx[r] >= 0]
        np.testing.assert_allclose(got, expected, rtol=1e-5)
        assert np.all(idx[r][len(got) :] == -1)
        for c, s in zip(idx[r], val[r], strict=True):
            if c >= 0:
                assert dense[r, c] == pytest.approx(s, rel=1e-5)


@pytest.mark.parametrize("engine", ["auto", "sparse_dot_topn", "scipy"])
def test_nearest_across_never_returns_the_own_document(engine):
    rng = np.random.default_rng(1)
    # identical rows in one document: their cosine (1.0) must still be excluded
    x = sp.random(30, 8, density=0.6, format="csr", random_state=rng, dtype=np.float32)
    x = normalize(sp.vstack([x, x[:2]], format="csr"))
    offsets = np.array([0, 10, 18, 30, 32])
    idx, val = nearest_across(x, offsets, top=4, block_rows=7, engine=engine)
    doc = np.repeat(np.arange(4), np.diff(offsets))
    for r in range(32):
        found = idx[r][idx[r] >= 0]
        assert found.size > 0
        assert not np.any(doc[found] == doc[r])
    assert idx[30, 0] == 0 and val[30, 0] == pytest.approx(1.0)
