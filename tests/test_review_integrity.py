"""Review integrity found by a new-user trial (session 3), reproduced as staff would: the
workbook written by ``make_report`` on the bundled Tomakomai deck, edited with openpyxl as in
Excel, applied, and the next workbook / reviewed map / HTML read back.

1. a rejected link has no 区分: its row shows an empty 区分 (greyed, 却下), the reviewed map stores
   it with relation ``dropped`` (the §3 word for "does not continue into that measure") and the
   HTML shows no link; the old measure is 廃止 unless another link continues it;
2. a deleted 対応表 row decides nothing and is named in a warning saying how to reject;
3. a 区分 or ID pasted outside its drop-down keeps that row 保留 (its note says what was typed),
   named in a warning; every other row is applied.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from click.testing import CliRunner

from textkit.cli import main
from textkit.decisions import read_reviewed, reviewed_map_path
from textkit.models import Decision, Relation
from textkit.pipeline import make_report

from .conftest import TOMAKOMAI_TXT
from .test_review_loop import DECK_PAIR, Loop, edit, shown


@pytest.fixture
def deck(tmp_path) -> Loop:
    return Loop(tmp_path, TOMAKOMAI_TXT, TOMAKOMAI_TXT)


def _records(deck: Loop):
    return {r.key: r for r in read_reviewed(reviewed_map_path(deck.mappings, *DECK_PAIR)).records}


def _delete_rows(path, keys: set[tuple[str, str]]):
    wb = openpyxl.load_workbook(path)
    ws = wb["対応表"]
    for row in reversed(list(ws.iter_rows(min_row=2))):
        if (row[0].value or "", row[2].value or "") in keys:
            ws.delete_rows(row[0].row)
    wb.save(path)
    return path


# ── 1. a rejected link's 区分 ────────────────────────────────────────────────


def test_a_rejected_link_has_no_relation_in_workbook_map_and_html(deck, tmp_path):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "却下"}, "P6>G2-M3": {"確認": "却下"}}))
    records = _records(deck)
    # the reviewed map: the rejected pairs do not continue (never "kept" / "restructured")
    assert records[("P3", "G1-M2")].relation is Relation.DROPPED
    assert records[("P6", "G2-M3")].relation is Relation.DROPPED
    text = reviewed_map_path(deck.mappings, *DECK_PAIR).read_text("utf-8")
    assert ",kept," not in text and ",restructured," not in text
    html = tmp_path / "r.html"
    make_report(
        deck.old, deck.new, xlsx=tmp_path / "next.xlsx", html=html, mappings_dir=deck.mappings
    )
    rows = shown(tmp_path / "next.xlsx")
    # the workbook: the rejected rows have an empty 区分; what their measures became is in
    # their own rows (P3 has no other link: 廃止; P6 continues as G2-M2: 継続)
    assert ("P3", "G1-M2", None, "却下", "") in rows
    assert ("P6", "G2-M3", None, "却下", "") in rows
    assert ("P3", "", "廃止", "", "") in rows and ("", "G1-M2", "新規", "", "") in rows
    assert ("P6", "G2-M2", "継続", "", "") in rows
    # the HTML agrees: no P3 → G1-M2 or P6 → G2-M3 link, P3 dropped, P6 kept into G2-M2
    page = html.read_text("utf-8")
    links = {
        (m["old"], m["new"]): m["relation"]
        for m in re.finditer(
            r'<tr data-relation="(?P<relation>\w+)"><td>(?P<old>[^<]*)</td><td>[^<]*</td>'
            r"<td>(?P<new>[^<]*)</td>",
            page,
        )
    }
    assert ("P3", "G1-M2") not in links and ("P6", "G2-M3") not in links
    assert links[("P3", "")] == "dropped" and links[("P6", "G2-M2")] == "kept"


def test_a_rejected_row_set_back_to_approve_with_its_empty_relation_is_a_link_again(deck):
    deck.apply(edit(deck.workbook(), {"P6>G2-M3": {"確認": "却下"}}))
    assert ("P6", "G2-M3") not in deck.links()
    deck.apply(edit(deck.workbook(), {"P6>G2-M3": {"確認": "承認"}}))
    assert deck.links()[("P6", "G2-M3")] == "restructured"
    assert _records(deck)[("P6", "G2-M3")].decision is Decision.APPROVE


def test_a_reject_stored_with_the_old_relation_reads_as_before(deck):
    """Reviewed maps written before this change hold the proposal's relation on reject rows: read
    as the same decision, so the workbook made from them applies as unchanged."""
    deck.apply(edit(deck.workbook(), {"P6>G2-M3": {"確認": "却下", "備考": "別事業"}}))
    path = reviewed_map_path(deck.mappings, *DECK_PAIR)
    path.write_text(path.read_text("utf-8").replace(",dropped,", ",restructured,"), "utf-8")
    assert _records(deck)[("P6", "G2-M3")].relation is Relation.DROPPED
    before = path.read_bytes()
    assert deck.apply(deck.workbook()).applied == 0 and path.read_bytes() == before
