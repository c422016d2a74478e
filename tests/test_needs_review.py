"""要確認 / needs_review: a similarity link whose calibrated score is below ``review_below`` is
flagged, the flag travels through the map file (formats §3 optional column) and is shown in the
review workbook and the HTML report; nothing else changes because of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from textkit.continuity import align_strategies
from textkit.formats import read_map, read_measures, write_map
from textkit.models import ContinuityMap, Link, Relation
from textkit.render import build_workbook, render_html
from textkit.settings import resolve
from textkit.workbook import MAP_HEADER, NEEDS_REVIEW_JA

CASES = Path(__file__).parent / "cases" / "align"


@pytest.fixture(scope="module")
def tomakomai_map() -> ContinuityMap:
    d = CASES / "tomakomai"
    return align_strategies(
        read_measures(d / "old.csv"), read_measures(d / "new.csv"), use_stated=False
    )


def test_links_below_review_below_are_flagged_and_only_those(tomakomai_map):
    s = resolve(None)
    links = [x for x in tomakomai_map.links if x.old_id and x.new_id]
    flagged = [x for x in links if x.needs_review]
    # the deck's old side has titles only: some true links score low and must be shown as such
    assert flagged and len(flagged) < len(links)
    assert all((x.score is not None and x.score < s.review_below) == x.needs_review for x in links)
    assert not any(x.needs_review for x in tomakomai_map.links if not (x.old_id and x.new_id))


def test_review_below_zero_flags_nothing_and_changes_no_link():
    d = CASES / "tomakomai"
    old, new = read_measures(d / "old.csv"), read_measures(d / "new.csv")
    base = align_strategies(old, new, use_stated=False)
    off = align_strategies(old, new, settings=resolve({"review_below": 0.0}), use_stated=False)
    assert not any(x.needs_review for x in off.links)
    key = [(x.old_id, x.new_id, x.relation, x.score) for x in base.links]
    assert key == [(x.old_id, x.new_id, x.relation, x.score) for x in off.links]


def test_stated_links_are_not_flagged():
    d = CASES / "tomakomai"
    old, new = read_measures(d / "old.csv"), read_measures(d / "new.csv")
    gold = read_map(d / "gold.csv")
    refs: dict[str, list[str]] = {}
    for x in gold.links:
        if x.old_id and x.new_id:
            refs.setdefault(x.new_id, []).append(x.old_id)
    import dataclasses

    ms = tuple(dataclasses.replace(m, refs=tuple(refs.get(m.id, ()))) for m in new.measures)
    cmap = align_strategies(old, dataclasses.replace(new, measures=ms))
    assert not any(x.needs_review for x in cmap.links)


def test_flag_round_trips_through_the_map_file(tmp_path, tomakomai_map):
    for suffix in (".csv", ".json"):
        path = tmp_path / f"map{suffix}"
        write_map(tomakomai_map, path)
        back = read_map(path)
        assert [x.needs_review for x in back.links] == [x.needs_review for x in tomakomai_map.links]


def test_workbook_and_html_show_the_flag():
    weak = Link("P1", "a", "N1", "b", Relation.KEPT, 0.04, needs_review=True)
    strong = Link("P2", "c", "N2", "d", Relation.KEPT, 0.9)
    cmap = ContinuityMap("old.csv", "new.csv", (weak, strong))
    wb = build_workbook(cmap)
    rows = list(wb["対応表"].iter_rows(values_only=True))
    col = MAP_HEADER.index(NEEDS_REVIEW_JA)
    assert rows[0][col] == NEEDS_REVIEW_JA
    assert [r[col] or None for r in rows[1:3]] == [NEEDS_REVIEW_JA, None]
    html = render_html(cmap, plotly_js="")
    assert html.count('class="needs-review"') == 1
