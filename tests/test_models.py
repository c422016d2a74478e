"""Closed vocabularies of the models: ``Link.evidence`` and ``Link.rule`` are Enums whose values
are the CSV strings of formats §3; a map file with any other evidence is refused in one line."""

from __future__ import annotations

import pytest

from textkit.continuity import align_strategies
from textkit.errors import FormatError
from textkit.formats import map_rows, read_map, write_map
from textkit.models import ContinuityMap, Evidence, Link, Measure, Relation, Rule, Strategy


def test_evidence_strings_are_those_of_the_map_format():
    assert [e.value for e in Evidence] == ["similarity", "stated", "reviewed"]
    link = Link("P1", "a", "M1", "b", Relation.KEPT, 1.0, "stated")
    assert link.evidence is Evidence.STATED
    with pytest.raises(ValueError):
        Link("P1", "a", "M1", "b", Relation.KEPT, 1.0, "guessed")


def test_map_round_trip_keeps_evidence_and_refuses_unknown_values(tmp_path):
    links = (
        Link("P1", "a", "M1", "b", Relation.KEPT, 0.5, Evidence.REVIEWED, reviewed=True),
        Link("P2", "c", "", "", Relation.DROPPED),
    )
    path = write_map(ContinuityMap("o", "n", links), tmp_path / "map.csv")
    assert [r["evidence"] for r in map_rows(read_map(path))] == ["reviewed", "similarity"]
    header, first, *rest = path.read_text(encoding="utf-8").splitlines()
    first = first.replace(",reviewed,", ",guessed,", 1)
    path.write_text("\n".join([header, first, *rest]) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match="row 2: evidence 'guessed' is not one of"):
        read_map(path)


def test_similarity_links_keep_the_rule_that_proposed_them():
    old = Strategy("old", measures=(Measure("P1", "観光客の誘致と受入環境の整備"),))
    new = Strategy("new", measures=(Measure("M1", "観光客の誘致と受入環境の整備の推進"),))
    (link,) = align_strategies(old, new).links
    assert (link.relation, link.evidence, link.rule) == (
        Relation.KEPT,
        Evidence.SIMILARITY,
        Rule.MUTUAL_BEST,
    )
