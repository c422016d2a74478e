"""textkit.align / similarity / evaluate / settings on the gold pairs in tests/cases/align/."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import textkit
from textkit.cli import main
from textkit.continuity import align_strategies, relations
from textkit.errors import ReviewError, SettingsError, TextkitError
from textkit.evaluate import evaluate
from textkit.formats import read_map, read_measures, write_map
from textkit.models import ContinuityMap, Link, Measure, Relation, Strategy
from textkit.settings import AlignSettings, resolve

CASES = Path(__file__).parent / "cases" / "align"
PAIRS = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def load(name: str) -> tuple[Strategy, Strategy, Path]:
    d = CASES / name
    return read_measures(d / "old.csv"), read_measures(d / "new.csv"), d / "gold.csv"


@pytest.fixture(scope="module")
def tomakomai() -> dict[tuple[str, str], Link]:
    old, new, _ = load("tomakomai")
    cmap = align_strategies(old, new, use_stated=False)
    return {(x.old_id, x.new_id): x for x in cmap.links}


# ── quality on every gold pair (data-driven: add a folder, get a test) ──────


@pytest.mark.parametrize("name", PAIRS)
def test_link_f1_without_stated_refs_reaches_target(name):
    old, new, gold = load(name)
    scores = evaluate(align_strategies(old, new, use_stated=False), gold)
    # Tomakomai (old side titles only, the city's own loose correspondence) is held to what the
    # fitted weights reach on it: 0.743 in-sample with the sentence signals (0.80 before them),
    # 0.765 left out by the nested procedure (0.600 before them): reports/bench_align.md
    assert scores.f1 >= (0.74 if name == "tomakomai" else 0.85), scores.summary()


def test_there_are_at_least_three_independent_gold_pairs():
    assert {"tomakomai", "otaru", "kitahama"} <= set(PAIRS)


# ── exact behaviour on the Tomakomai deck ───────────────────────────────────


def test_tomakomai_paraphrase_link_explains_itself(tomakomai):
    # 縁結びコーディネート機能の充実 → 結婚の希望を叶える支援 shares no word; the thesaurus carries it
    link = tomakomai[("P12", "G2-M1")]
    assert link.relation == Relation.KEPT
    assert link.evidence == "similarity"
    assert 0 < link.score <= 1
    assert any(t.startswith("縁結び≈") for t in link.matched_terms)


def test_tomakomai_merge_is_found_with_shared_terms(tomakomai):
    assert tomakomai[("P15", "G1-M1")].relation == Relation.MERGED
    assert tomakomai[("P16", "G1-M1")].relation == Relation.MERGED
    assert {"立地", "進出", "企業"} <= set(tomakomai[("P15", "G1-M1")].matched_terms)


def test_tomakomai_dropped_and_new(tomakomai):
    # 災害時等に備えた… has no 第2期 取組. (④ 位置付けなし, gold dropped, is now joined to G4-M3 at
    # p = 0.03 through the thesaurus pair society5.0≈ict: a known miss, reports/bench_align.md.)
    assert tomakomai[("", "G4-M2")].relation == Relation.NEW
    assert all(
        x.score is None and not x.signals
        for k, x in tomakomai.items()
        if Relation(x.relation) in (Relation.NEW, Relation.DROPPED)
    )


def test_tomakomai_beats_per_row_best_match():
    old, new, gold = load("tomakomai")
    from scripts.bench_align import argmax_map

    ours = evaluate(align_strategies(old, new, use_stated=False), gold)
    naive = evaluate(argmax_map(old, new, resolve(None)), gold)
    # fitted weights with the sentence signals, in-sample: 13 of 17 right (precision 0.765, F1
    # 0.743; before them 14, 0.80), per-row best 13 of 19 (0.684, F1 0.703): reports/bench_align.md
    assert ours.correct_links >= 13 and ours.precision >= 0.75
    assert ours.f1 > naive.f1 and ours.precision > naive.precision + 0.05


# ── stated refs, reviewed links ─────────────────────────────────────────────


def _with_gold_refs(name: str) -> tuple[Strategy, Strategy, Path]:
    old, new, gold = load(name)
    refs: dict[str, list[str]] = {}
    for x in read_map(gold).links:
        if x.old_id and x.new_id:
            refs.setdefault(x.new_id, []).append(x.old_id)
    ms = tuple(dataclasses.replace(m, refs=tuple(refs.get(m.id, ()))) for m in new.measures)
    return old, dataclasses.replace(new, measures=ms), gold


def test_stated_refs_decide_and_similarity_is_still_reported():
    old, new, gold = _with_gold_refs("tomakomai")
    cmap = align_strategies(old, new)
    scores = evaluate(cmap, gold)
    assert (scores.f1, scores.relation_accuracy) == (1.0, 1.0)
    links = {(x.old_id, x.new_id): x for x in cmap.links}
    assert {x.evidence for x in cmap.links} == {"stated"}
    assert links[("P12", "G2-M1")].similarity_relation == "kept"
    assert links[("P12", "G2-M1")].matched_terms  # similarity agreed, so its evidence is shown
    # P7 体験学習 → G2-M2 is stated; similarity alone did not make that link
    assert links[("P7", "G2-M2")].similarity_relation != "merged"
    # use_stated=False ignores the refs
    assert {x.evidence for x in align_strategies(old, new, use_stated=False).links} == {
        "similarity"
    }


def test_reviewed_links_are_kept_exactly_and_change_no_other_link():
    """A reviewed link is kept as decided; proposals it does not name stay as they were (a measure
    may continue in several), and their relations are recomputed (issue #12)."""
    old, new, _ = load("tomakomai")
    p4, g4m2 = (
        "Society5.0の実現に向けた技術活用の支援",
        "災害時等に備えた安全安心なまちづくりの強化",
    )
    mine = Link("P4", p4, "G4-M2", g4m2, Relation.KEPT, 1.0, "reviewed", (), "", True, "checked")
    unreviewed = Link("P1", "", "G4-M3", "", Relation.KEPT, 0.5)  # not reviewed: ignored
    before = align_strategies(old, new)
    cmap = align_strategies(old, new, reviewed=ContinuityMap("", "", (mine, unreviewed)))
    got = {(x.old_id, x.new_id): x for x in cmap.links}
    decided = got[("P4", "G4-M2")]
    assert (decided.reviewed, decided.reviewer_note, decided.score) == (True, "checked", 1.0)
    assert ("P1", "G4-M3") not in got
    linked = {(x.old_id, x.new_id) for x in before.links if x.old_id and x.new_id}
    assert linked <= set(got)  # every proposal stays
    assert ("", "G4-M2") not in got  # G4-M2 is no longer 新規
    rels = relations([*linked, ("P4", "G4-M2")])
    assert {k: x.relation for k, x in got.items() if k in rels} == rels


def test_reviewed_decisions_for_other_documents_are_refused():
    """A reviewed map made for another pair (same ids, other measures) must not be applied."""
    old, new, _ = load("tomakomai")
    alien = Link("P4", "地場産業の発展", "G4-M2", "", Relation.KEPT, 1.0, "reviewed", (), "", True)
    with pytest.raises(ReviewError, match=r"old measure P4 is 「Society5\.0"):
        align_strategies(old, new, reviewed=ContinuityMap("", "", (alien,)))
    missing = Link("P99", "", "G4-M2", "", Relation.KEPT, 1.0, "reviewed", (), "", True)
    with pytest.raises(ReviewError, match="P99 is not in the document"):
        align_strategies(old, new, reviewed=ContinuityMap("", "", (missing,)))


# ── invariants ──────────────────────────────────────────────────────────────

WORDS = ["子育て", "移住", "観光", "企業誘致", "防災", "結婚", "教育", "公共交通", "健康", "推進"]


def _strategy(draw_titles: list[str], prefix: str) -> Strategy:
    return Strategy(
        prefix, measures=tuple(Measure(f"{prefix}{k}", t) for k, t in enumerate(draw_titles))
    )


titles = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("の".join), min_size=0, max_size=6
)


@given(titles, titles)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_old_and_new_id_appears(old_titles, new_titles):
    old, new = _strategy(old_titles, "O"), _strategy(new_titles, "N")
    cmap = align_strategies(old, new)
    assert {x.old_id for x in cmap.links if x.old_id} == {m.id for m in old.measures}
    assert {x.new_id for x in cmap.links if x.new_id} == {m.id for m in new.measures}
    for x in cmap.links:
        assert (x.score is None) == (x.relation in (Relation.NEW, Relation.DROPPED))
        assert x.score is None or 0 <= x.score <= 1
    # relations agree with the link structure
    pairs = [(x.old_id, x.new_id) for x in cmap.links if x.old_id and x.new_id]
    assert {
        p: Relation(x.relation) for x in cmap.links for p in [(x.old_id, x.new_id)] if p in pairs
    } == relations(pairs)


def test_relations_follow_group_shape():
    r = relations(
        [
            ("a", "1"),
            ("b", "1"),
            ("c", "2"),
            ("c", "3"),
            ("d", "4"),
            ("e", "5"),
            ("e", "6"),
            ("f", "6"),
        ]
    )
    assert r[("a", "1")] == r[("b", "1")] == Relation.MERGED
    assert r[("c", "2")] == Relation.SPLIT
    assert r[("d", "4")] == Relation.KEPT
    assert r[("f", "6")] == Relation.RESTRUCTURED


# ── evaluate ────────────────────────────────────────────────────────────────


def test_evaluate_exact_values():
    gold = ContinuityMap(
        "",
        "",
        (
            Link("a", "", "1", "", Relation.MERGED),
            Link("b", "", "1", "", Relation.MERGED),
            Link("c", "", "", "", Relation.DROPPED),
            Link("", "", "2", "", Relation.NEW),
        ),
    )
    pred = ContinuityMap(
        "",
        "",
        (
            Link("a", "", "1", "", Relation.KEPT),
            Link("b", "", "2", "", Relation.KEPT),
            Link("c", "", "", "", Relation.DROPPED),
            Link("", "", "1", "", Relation.NEW),
        ),
    )
    s = evaluate(pred, gold)
    assert (s.precision, s.recall, s.f1) == (0.5, 0.5, 0.5)
    assert (s.correct_rows, s.gold_rows, s.relation_accuracy) == (1, 4, 0.25)
    assert dataclasses.is_dataclass(s) and evaluate(gold, gold).f1 == 1.0


# ── settings ────────────────────────────────────────────────────────────────


def test_settings_defaults_come_from_bundled_toml():
    s = resolve(None)
    assert s.split_mode == "C" and s.w_concept == 1.0 and s.w_char == 0.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.min_link = 0.5  # type: ignore[misc]


def test_settings_errors_name_the_key(tmp_path):
    with pytest.raises(SettingsError, match=r"unknown setting.*min_lnk"):
        resolve({"min_lnk": 0.3})
    with pytest.raises(
        SettingsError, match=r"split_mode must be one of A, B, C.*min_link must be between"
    ):
        AlignSettings(split_mode="D", min_link=2.0)
    p = tmp_path / "my.toml"
    p.write_text("[align]\nmin_link = 0.3\nsplit_mode = 'A'\n", encoding="utf-8")
    assert (resolve(p).min_link, resolve(p).split_mode, resolve(p).w_concept) == (0.3, "A", 1.0)
    p.write_text("min_link = [", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        resolve(p)


# ── API and CLI ─────────────────────────────────────────────────────────────


def test_api_align_on_paths_and_same_document_uses_previous():
    d = CASES / "kitahama"
    cmap = textkit.align(d / "old.csv", d / "new.csv", use_stated=False)
    assert evaluate(cmap, d / "gold.csv").f1 >= 0.85
    old, new, _ = load("tomakomai")
    deck = dataclasses.replace(new, previous=old.measures)
    via_previous = textkit.align(deck, deck, use_stated=False)
    assert {x.old_id for x in via_previous.links if x.old_id} == {f"P{k}" for k in range(1, 20)}
    with pytest.raises(TextkitError, match="does not list the previous edition"):
        textkit.align(new, new)


def test_cli_align_prints_csv_and_writes_files(tmp_path):
    d = CASES / "tomakomai"
    r = CliRunner().invoke(main, ["align", str(d / "old.csv"), str(d / "new.csv"), "--no-stated"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith(
        "old_id,old_title,new_id,new_title,relation,score,evidence,matched_terms"
    )
    assert lines[0].endswith(",rule,signals,needs_review")
    assert "P17,広域連携事業の推進,,,dropped,,similarity,,,,,,," in r.output
    kept = next(x for x in lines if x.startswith("P3,"))  # 創業支援 → 創業・事業承継支援
    assert ",mutual_best," in kept and "semantic_cross=" in kept
    for suffix in (".csv", ".json", ".xlsx"):
        out = tmp_path / f"map{suffix}"
        r = CliRunner().invoke(
            main, ["align", str(d / "old.csv"), str(d / "new.csv"), "-o", str(out)]
        )
        assert r.exit_code == 0 and out.exists()
        assert evaluate(read_map(out), d / "gold.csv").f1 >= 0.74
    r = CliRunner().invoke(main, ["evaluate", str(tmp_path / "map.csv"), str(d / "gold.csv")])
    assert r.exit_code == 0 and r.output.startswith("link precision ")


def test_cli_align_reports_bad_settings_in_one_line(tmp_path):
    d = CASES / "kitahama"
    bad = tmp_path / "bad.toml"
    bad.write_text("w_concept = -1\n", encoding="utf-8")
    r = CliRunner().invoke(
        main, ["align", str(d / "old.csv"), str(d / "new.csv"), "--settings", str(bad)]
    )
    assert r.exit_code == 2 and "w_concept must be a number ≥ 0" in r.output


def test_written_map_round_trips(tmp_path):
    old, new, _ = load("otaru")
    cmap = align_strategies(old, new)
    back = read_map(write_map(cmap, tmp_path / "m.csv"))
    assert [(x.old_id, x.new_id, x.relation, x.matched_terms) for x in back.links] == [
        (x.old_id, x.new_id, x.relation, x.matched_terms) for x in cmap.links
    ]


# ── merges and splits: the part must be found in the whole ─────────────────


def _merge_case() -> tuple[Strategy, Strategy]:
    old = Strategy(
        source="old",
        measures=(
            Measure("1", "特産品の開発と販路拡大"),
            Measure("2", "ふるさと納税の推進", text="ふるさと納税の返礼品を充実させ寄附者を増やす"),
            Measure("3", "グリーン・ツーリズムの推進", text="農業体験の受入れ"),
        ),
    )
    new = Strategy(
        source="new",
        measures=(
            Measure(
                "a",
                "地域産品のブランド化とふるさと納税の活用",
                text="ふるさと納税の返礼品と寄附者の拡大、特産品の開発や販路の拡大を進め、"
                "お試し暮らし体験を行う",
            ),
        ),
    )
    return old, new


def test_part_coverage_is_asymmetric_share_of_the_parts_title():
    from textkit.similarity import featurize, part_coverage

    old, new = _merge_case()
    f = featurize(old.measures, new.measures, resolve())
    assert part_coverage(f, 0, 0, "old") == 1.0  # 特産品 開発 販路 (+ their group) all in the whole
    assert (
        part_coverage(f, 2, 0, "old") == 0.0
    )  # グリーン ツーリズム: only 体験 is shared, in the text
    assert part_coverage(f, 0, 0, "new") < 0.5  # the long new title is not inside the short old one


def test_stated_links_always_carry_a_score() -> None:
    """formats §3: score is empty only for new/dropped, even where similarity saw nothing."""
    import textkit

    from .conftest import TOMAKOMAI_PDF

    cmap = textkit.align(TOMAKOMAI_PDF, TOMAKOMAI_PDF)
    linking = [x for x in cmap.links if x.relation.value not in ("new", "dropped")]
    assert linking and all(x.score is not None for x in linking)
    assert all(x.evidence == "stated" for x in cmap.links)
    by_pair = {(x.old_id, x.new_id): x for x in cmap.links}
    # stated, with no lexical evidence at all: a probability close to 0
    assert by_pair[("P7", "G2-M2")].score < 0.01
    assert by_pair[("P12", "G2-M1")].score > 0.0


def test_reviewed_decisions_follow_a_draft_that_only_renumbers_its_measures():
    """A revised draft that swaps two measures' numbers keeps every decision, each on the
    measure of its recorded title, with a warning naming the moves (hU5 U16: every decision
    was refused); a title that is gone is still refused."""
    import dataclasses
    import warnings

    from textkit.errors import TextkitWarning

    old, new, _ = load("tomakomai")
    m1, m2 = new.measures[9], new.measures[11]  # G4-M1, G4-M3
    decided = Link("P13", "", "G4-M1", m1.title, Relation.KEPT, 1.0, "reviewed", (), "", True)
    other = Link("P19", "", "G4-M3", m2.title, Relation.KEPT, 1.0, "reviewed", (), "", True)
    measures = list(new.measures)
    measures[9] = dataclasses.replace(m1, id=m2.id)
    measures[11] = dataclasses.replace(m2, id=m1.id)
    swapped = dataclasses.replace(new, measures=tuple(measures))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        cmap = align_strategies(old, swapped, reviewed=ContinuityMap("", "", (decided, other)))
    got = {(x.old_id, x.new_id): x for x in cmap.links if x.reviewed}
    assert set(got) == {("P13", "G4-M3"), ("P19", "G4-M1")}
    assert got[("P13", "G4-M3")].new_title == m1.title
    moves = [str(w.message) for w in seen if issubclass(w.category, TextkitWarning)]
    assert any("new G4-M1 → G4-M3" in m and "new G4-M3 → G4-M1" in m for m in moves), moves
    gone = Link("P13", "", "G4-M1", "地場産業の発展", Relation.KEPT, 1.0, "reviewed", (), "", True)
    with pytest.raises(ReviewError, match="new measure G4-M1"):
        align_strategies(old, swapped, reviewed=ContinuityMap("", "", (gone,)))
