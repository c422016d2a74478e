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


# ── 2. a deleted 対応表 row ──────────────────────────────────────────────────


def test_deleted_rows_decide_nothing_and_are_named_with_how_to_reject(deck):
    path = _delete_rows(deck.workbook(), {("P12", "G2-M1"), ("P17", "")})
    edit(path, {"P1>G1-M3": {"確認": "承認"}})
    result = deck.apply(path)
    assert result.applied == 1  # the approval; the deletions decide nothing
    assert set(_records(deck)) == {("P1", "G1-M3")}
    assert deck.links()[("P12", "G2-M1")] == "kept"
    (said,) = [w for w in result.warnings if "deleted" in w]
    assert "P12 → G2-M1" in said and "P17 → -" in said and "却下" in said
    out = CliRunner().invoke(main, ["review", "apply", str(path), "--mappings", str(deck.mappings)])
    assert out.exit_code == 0 and "P12 → G2-M1" in out.output and "Traceback" not in out.output


def test_moved_or_sorted_rows_are_not_called_deleted(deck):
    path = deck.workbook()
    wb = openpyxl.load_workbook(path)
    ws = wb["対応表"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if any(c.value for c in r[:9])]
    for n, values in enumerate(reversed(rows), start=2):  # sorted the other way round
        for k, value in enumerate(values, start=1):
            ws.cell(row=n, column=k).value = value  # (value=None would keep the cell)
    wb.save(path)
    assert deck.apply(path).warnings == ()


def test_help_sheet_says_what_deleting_a_row_does(deck):
    help_text = " ".join(
        str(r[0])
        for r in openpyxl.load_workbook(deck.workbook())["使い方"].iter_rows(values_only=True)
    )
    assert "行を削除" in help_text and "却下" in help_text


# ── 3. 区分 / ID pasted outside the drop-down ────────────────────────────────


def test_a_pasted_relation_or_id_outside_the_list_keeps_that_row_pending(deck):
    path = edit(
        deck.workbook(),
        {
            "P3>G1-M2": {"区分": "継続する", "確認": "承認"},
            "P12>G2-M1": {"第3期 ID": "G9-M9", "確認": "修正"},
            "P1>G1-M3": {"確認": "承認", "備考": "よい"},
        },
    )
    result = deck.apply(path)  # not refused: every other row is applied
    records = _records(deck)
    assert records[("P1", "G1-M3")].decision is Decision.APPROVE
    # each bad row stays 保留 at the link it showed, with what was typed beside its 備考
    assert records[("P3", "G1-M2")].decision is Decision.PENDING
    assert "継続する" in records[("P3", "G1-M2")].note
    assert records[("P12", "G2-M1")].decision is Decision.PENDING
    assert "G9-M9" in records[("P12", "G2-M1")].note
    assert not any("G9-M9" in key for key in records)  # never a link to an unknown measure
    links = deck.links()
    assert links[("P3", "G1-M2")] == "kept" and links[("P12", "G2-M1")] == "kept"
    said = " ".join(result.warnings)
    assert "row 4" in said or "row " in said
    assert "区分 '継続する'" in said and "第3期 ID 'G9-M9'" in said and "対応表" in said
    # the next workbook shows them 保留 with the note
    rows = shown(deck.workbook())
    assert [r[3] for r in rows if r[:2] == ("P3", "G1-M2")] == ["保留"]


def test_a_hand_added_row_with_an_unknown_id_is_not_recorded_and_named(deck):
    path = edit(
        deck.workbook(),
        {"P1>G1-M3": {"確認": "承認"}},
        added=[["P7", "", "G7-M7", "", "継続"]],
    )
    result = deck.apply(path)
    assert set(_records(deck)) == {("P1", "G1-M3")}
    (said,) = [w for w in result.warnings if "G7-M7" in w]
    assert "not recorded" in said
    # the workbook still holds that row: a new report moves it aside instead of replacing it
    from textkit.review import unapplied_rows

    assert unapplied_rows(path, deck.mappings)


def test_the_cli_prints_each_row_kept_pending(deck):
    path = edit(deck.workbook(), {"P3>G1-M2": {"区分": "けいぞく", "確認": "承認"}})
    out = CliRunner().invoke(main, ["review", "apply", str(path), "--mappings", str(deck.mappings)])
    assert out.exit_code == 0, out.output
    assert "warning: sheet 対応表, row" in out.output and "けいぞく" in out.output
