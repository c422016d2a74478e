"""The blind cases (tests/cases/align_blind, tests/cases/kpi_blind) are complete gold, readable by
textkit's own readers. They are MEASURED by scripts/bench_align.py and scripts/bench_audit.py, never
asserted exact: these tests only guard the data (a gold that loses a measure or an indicator, or a
KPI case whose measure map is not its pair's gold, would make the benchmark lie)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from textkit.formats import read_kpis, read_map, read_measures
from textkit.models import Relation

CASES = Path(__file__).parent / "cases"
BLIND = CASES / "align_blind"
KPI_BLIND = CASES / "kpi_blind"
PAIRS = sorted(p.name for p in BLIND.iterdir() if p.is_dir())
KPI_PAIRS = sorted(p.name.removesuffix("_expected.csv") for p in KPI_BLIND.glob("*_expected.csv"))


@pytest.mark.parametrize("pair", PAIRS)
def test_blind_gold_names_every_measure_with_a_consistent_relation(pair):
    d = BLIND / pair
    old, new, gold = (
        read_measures(d / "old.csv"),
        read_measures(d / "new.csv"),
        read_map(d / "gold.csv"),
    )
    old_ids, new_ids = {m.id for m in old.measures}, {m.id for m in new.measures}
    assert {x.old_id for x in gold.links if x.old_id} == old_ids
    assert {x.new_id for x in gold.links if x.new_id} == new_ids
    # looked up per edition: the same id may name other measures in OLD and NEW (kotakano)
    old_titles = {m.id: m.title for m in old.measures}
    new_titles = {m.id: m.title for m in new.measures}
    for x in gold.links:
        assert (x.relation == Relation.NEW) == (not x.old_id)
        assert (x.relation == Relation.DROPPED) == (not x.new_id)
        for i, t, titles in (
            (x.old_id, x.old_title, old_titles),
            (x.new_id, x.new_title, new_titles),
        ):
            assert not i or titles[i] == t, (i, t)
    links = [(x.old_id, x.new_id) for x in gold.links if x.old_id and x.new_id]
    assert len(links) == len(set(links))
    relation = {(x.old_id, x.new_id): Relation(x.relation) for x in gold.links}
    for o, n in links:  # kept = 1:1; merged = many OLD → one NEW; split = one OLD → many NEW
        n_of_old = sum(1 for a, _ in links if a == o)  # NEW measures this OLD one goes to
        n_of_new = sum(1 for _, b in links if b == n)  # OLD measures this NEW one comes from
        rel = relation[(o, n)]
        if rel == Relation.RESTRUCTURED:  # part of a many-to-many group
            assert n_of_old > 1 or n_of_new > 1, (o, n)
        else:
            shape = {
                Relation.KEPT: (False, False),
                Relation.MERGED: (False, True),
                Relation.SPLIT: (True, False),
            }[rel]
            assert (n_of_old > 1, n_of_new > 1) == shape, (o, n, rel)


@pytest.mark.parametrize("city", KPI_PAIRS)
def test_blind_kpi_gold_names_every_indicator_once(city):
    old = read_kpis(KPI_BLIND / f"{city}_2nd_kpis.csv")
    new = read_kpis(KPI_BLIND / f"{city}_3rd_kpis.csv")
    with open(KPI_BLIND / f"{city}_expected.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["old_name"] for r in rows if r["old_name"]) == sorted(k.name for k in old)
    assert sorted(r["new_name"] for r in rows if r["new_name"]) == sorted(k.name for k in new)
    for r in rows:
        paired = bool(r["old_name"] and r["new_name"])
        assert paired == (r["status"] in ("kept", "target_changed")), r
        assert r["status"] != "dropped" or not r["new_name"]
        assert r["status"] != "new" or not r["old_name"]
    # the KPI case's measure map is its edition pair's gold, and its measure ids are the pair's
    assert (KPI_BLIND / f"{city}_measure_map.csv").read_text(encoding="utf-8") == (
        BLIND / city / "gold.csv"
    ).read_text(encoding="utf-8")
    for kpis, doc in ((old, "old.csv"), (new, "new.csv")):  # each edition's KPIs on its own ids
        ids = {m.id for m in read_measures(BLIND / city / doc).measures}
        assert {k.measure_id for k in kpis if k.level == "measure"} <= ids, doc


def test_every_blind_kpi_case_is_benchmarked():
    """scripts/bench_audit.py (and bench_blind_before) measure every KPI case of the folder, with
    the files the case holds: a case added to tests/cases/kpi_blind but not to the benchmark would
    be silently left out of the blind figures."""
    from scripts import bench_audit

    pairs = bench_audit.blind_kpi_pairs()
    assert sorted(pairs) == KPI_PAIRS
    for city, (old_file, new_file) in pairs.items():
        assert (KPI_BLIND / old_file).is_file() and (KPI_BLIND / new_file).is_file(), city
    benchmarked = {c for _, p in bench_audit.case_sets().values() for c in p}
    assert set(KPI_PAIRS) <= benchmarked


def test_title_only_blind_edition_stays_title_only():
    """hoshimine's 第2期 is the titles-only case (README, fourth batch): a description or item added
    to it later would silently turn the benchmark's hardest case into an easy one."""
    old = read_measures(BLIND / "hoshimine" / "old.csv")
    assert old.measures and all(not m.text and not m.items for m in old.measures)
    new = read_measures(BLIND / "hoshimine" / "new.csv")
    assert all(m.text and m.items for m in new.measures)


def test_title_only_new_blind_edition_stays_title_only():
    """kirinoe's 第3期 is the titles-only NEW side (README, fifth batch; the mirror of hoshimine):
    a description or item added to it later would make the link come from the new side's text
    instead of the old side's description against a bare title."""
    new = read_measures(BLIND / "kirinoe" / "new.csv")
    assert new.measures and all(not m.text and not m.items for m in new.measures)
    old = read_measures(BLIND / "kirinoe" / "old.csv")
    assert all(m.text and m.items for m in old.measures)
