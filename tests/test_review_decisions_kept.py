"""Nothing a user decided is lost or changed behind their back (session 4, defects left by session
3: /work/wt/hF-findings.md F1 F2 F3 F10 F11, hU-findings.md F4 F14 F18), reproduced as staff would:
the workbook ``make_report`` writes for the bundled Tomakomai deck, edited with openpyxl as in
Excel, applied with ``apply_workbook`` / ``textkit review apply``.

1. A 区分 staff change (確認 修正 or 承認) is their decision: every next output (map, workbook,
   HTML, audit) shows it with evidence ``reviewed`` — unless the links it rests on changed since,
   and then a named warning says so.
2. An older copy of a workbook cannot bring back a link corrected away since: a row whose
   workbook was made before a later decision about the same 第2期 measure is skipped and named.
3. 区分 廃止 (or 新規) on a row with both IDs keeps that row 保留 with a warning; the other rows
   are applied.
4. A corrected row shows the similarity of its corrected pair in the next workbook.
5. A workbook copied elsewhere: the advice names the folder it was made from, never the missing
   folder itself.
6. Applying a workbook again records nothing again; a workbook deciding nothing says so.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from textkit.cli import main
from textkit.continuity import align_strategies
from textkit.decisions import read_reviewed, reviewed_map_path
from textkit.errors import FormatError, ReviewError, TextkitWarning
from textkit.models import Decision, Evidence
from textkit.pipeline import make_report
from textkit.review import apply_workbook
from textkit.sources import load_pair, reviewed_for

from .conftest import TOMAKOMAI_TXT
from .test_review_loop import DECK_PAIR, Loop, edit


@pytest.fixture
def deck(tmp_path) -> Loop:
    return Loop(tmp_path, TOMAKOMAI_TXT, TOMAKOMAI_TXT)


def _records(deck: Loop) -> dict:
    path = reviewed_map_path(deck.mappings, *DECK_PAIR)
    return {r.key: r for r in read_reviewed(path).records} if path.exists() else {}


def _map(deck: Loop, caught: list | None = None):
    old, new = load_pair(deck.old, deck.new)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", TextkitWarning)
        cmap = align_strategies(old, new, reviewed=reviewed_for(deck.mappings, old, new))
    if caught is not None:
        caught.extend(str(w.message) for w in seen if issubclass(w.category, TextkitWarning))
    return {(x.old_id, x.new_id): x for x in cmap.links}


def _rows(path: Path) -> dict[tuple[str, str], dict[str, object]]:
    """対応表 rows by (第2期 ID, 第3期 ID): every visible cell by its header."""
    ws = openpyxl.load_workbook(path)["対応表"]
    header = [c.value for c in ws[1]]
    out = {}
    for r in ws.iter_rows(min_row=2, values_only=True):
        if any(r[:9]):
            out.setdefault((r[0] or "", r[2] or ""), dict(zip(header, r, strict=False)))
    return out


# ── 3. 廃止 / 新規 on a row with both IDs ─────────────────────────────────────


def test_dropped_on_a_row_with_both_ids_is_kept_pending_and_the_other_rows_apply(deck):
    path = edit(
        deck.workbook(),
        {"P3>G1-M2": {"区分": "廃止", "確認": "修正"}, "P10>G3-M3": {"確認": "承認"}},
    )
    result = deck.apply(path)  # no error: the other rows are applied
    records = _records(deck)
    assert records[("P10", "G3-M3")].decision is Decision.APPROVE
    kept = records[("P3", "G1-M2")]
    assert kept.decision is Decision.PENDING and "廃止" in kept.note  # what was typed is kept
    (said,) = [w for w in result.warnings if "P3 → G1-M2" in w]
    assert "row 4" in said and "廃止" in said and "保留" in said and "却下" in said
    assert ("P3", "G1-M2") in _map(deck)  # the link stays as it was written


def test_new_on_a_row_with_both_ids_is_kept_pending_too(deck):
    path = edit(deck.workbook(), {"P10>G3-M3": {"区分": "新規", "確認": "承認"}})
    result = deck.apply(path)
    assert _records(deck)[("P10", "G3-M3")].decision is Decision.PENDING
    assert [w for w in result.warnings if "P10 → G3-M3" in w and "新規" in w]


def test_a_row_added_by_hand_as_dropped_with_both_ids_is_not_recorded(deck):
    path = edit(
        deck.workbook(), {}, added=[["P7", None, "G4-M1", None, "廃止", None, None, "修正"]]
    )
    result = deck.apply(path)
    assert ("P7", "G4-M1") not in _records(deck)
    assert [w for w in result.warnings if "P7 → G4-M1" in w and "not recorded" in w]


# ── 5. a workbook copied elsewhere ──────────────────────────────────────────


def _reviewed_once(deck: Loop) -> Path:
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "承認"}}))
    return deck.workbook()  # made from revision 1


def test_a_copied_workbook_names_the_folder_it_was_made_from(deck, tmp_path, monkeypatch):
    made = _reviewed_once(deck)
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    copy = Path(shutil.copy(made, elsewhere / "copy.xlsx"))
    (elsewhere / "mappings").mkdir()  # a mappings folder there, without this pair's map
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ReviewError) as caught:
        apply_workbook(edit(copy, {"P10>G3-M3": {"確認": "承認"}}), None)
    said = str(caught.value)
    assert f"--mappings {deck.mappings.resolve()}" in said  # where it was made (it is still there)
    assert f"--mappings {elsewhere / 'mappings'}" not in said


def test_a_copied_workbook_whose_folder_is_gone_says_so(deck, tmp_path, monkeypatch):
    made = _reviewed_once(deck)
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    copy = Path(shutil.copy(made, elsewhere / "copy.xlsx"))
    deck.mappings.rename(tmp_path / "mappings-moved")
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ReviewError) as caught:
        apply_workbook(edit(copy, {"P10>G3-M3": {"確認": "承認"}}), None)
    said = str(caught.value)
    assert "is not here" in said and f"{DECK_PAIR[0]}__{DECK_PAIR[1]}.reviewed.csv" in said
    assert "--mappings <" in said  # how to give it, not a folder that does not exist
    assert f"--mappings {elsewhere}" not in said


# ── 6. applying again / applying nothing ────────────────────────────────────


def test_reapplying_an_old_workbook_records_nothing_again(deck):
    first = edit(deck.workbook(), {"P12>G2-M1": {"第3期 ID": "G2-M2", "確認": "修正"}})
    assert deck.apply(first).applied == 1
    deck.apply(edit(deck.workbook(), {"P10>G3-M3": {"確認": "承認"}}))
    path = reviewed_map_path(deck.mappings, *DECK_PAIR)
    before = path.read_bytes()
    again = deck.apply(first)
    assert again.applied == 0 and again.skipped == ()
    assert path.read_bytes() == before  # no new decided_at, no new revision


def test_a_workbook_deciding_nothing_does_not_claim_a_file_that_does_not_exist(deck):
    path = deck.workbook()
    out = CliRunner().invoke(main, ["review", "apply", str(path), "--mappings", str(deck.mappings)])
    assert out.exit_code == 0, out.output
    assert "already holds" not in out.output and "decides nothing" in out.output
    assert not reviewed_map_path(deck.mappings, *DECK_PAIR).exists()


def test_nothing_applied_because_rows_were_skipped_is_said(deck):
    a = deck.workbook("a.xlsx")
    b = Path(shutil.copy(a, deck.folder / "b.xlsx"))
    deck.apply(edit(a, {"P10>G3-M3": {"確認": "承認", "備考": "A"}}))
    edit(b, {"P10>G3-M3": {"確認": "却下"}})
    args = ["review", "apply", str(b), "--mappings", str(deck.mappings)]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    assert "already holds" not in out.output and "skipped" in out.output


# ── 2. an older copy of a workbook ──────────────────────────────────────────


def test_a_stale_copy_cannot_approve_a_link_corrected_away_since(deck):
    a = deck.workbook("a.xlsx")
    b = Path(shutil.copy(a, deck.folder / "b.xlsx"))
    deck.apply(edit(a, {"P1>G1-M3": {"第3期 ID": "G1-M2", "確認": "修正"}}))
    result = deck.apply(edit(b, {"P1>G1-M3": {"確認": "承認"}, "P10>G3-M3": {"確認": "承認"}}))
    (skipped,) = result.skipped
    said = str(skipped)
    assert skipped.row == 5 and "P1" in said and "revision 1" in said
    assert "textkit report" in said  # what to do: make a new workbook and decide it there
    assert deck.partners("P1") == {"G1-M2"}  # the later correction stands alone
    assert _records(deck)[("P10", "G3-M3")].decision is Decision.APPROVE


def test_a_stale_copy_cannot_correct_the_same_proposal_elsewhere(deck):
    a = deck.workbook("a.xlsx")
    b = Path(shutil.copy(a, deck.folder / "b.xlsx"))
    deck.apply(edit(a, {"P1>G1-M3": {"第3期 ID": "G1-M2", "確認": "修正"}}))
    result = deck.apply(edit(b, {"P1>G1-M3": {"第3期 ID": "G2-M1", "確認": "修正"}}))
    assert [s.row for s in result.skipped] == [5]
    assert deck.partners("P1") == {"G1-M2"}


def test_whichever_copy_is_applied_second_is_named_not_applied(deck):
    a = deck.workbook("a.xlsx")
    b = Path(shutil.copy(a, deck.folder / "b.xlsx"))
    deck.apply(edit(b, {"P1>G1-M3": {"確認": "承認"}}))
    result = deck.apply(edit(a, {"P1>G1-M3": {"第3期 ID": "G1-M2", "確認": "修正"}}))
    assert [s.row for s in result.skipped] == [5]
    assert deck.partners("P1") == {"G1-M3"}


def test_a_workbook_made_after_the_correction_may_add_the_link_back(deck):
    deck.apply(edit(deck.workbook(), {"P1>G1-M3": {"第3期 ID": "G1-M2", "確認": "修正"}}))
    later = edit(
        deck.workbook(), {}, added=[["P1", None, "G1-M3", None, "分割", None, None, "修正"]]
    )
    result = deck.apply(later)
    assert result.skipped == () and deck.partners("P1") == {"G1-M2", "G1-M3"}


def test_the_same_workbook_edited_again_is_not_stale_against_itself(deck):
    a = edit(deck.workbook(), {"P1>G1-M3": {"第3期 ID": "G1-M2", "確認": "修正"}})
    deck.apply(a)
    edit(a, {"P2>G1-M3": {"確認": "承認"}})  # the same reviewer, one more row of P1's group
    result = deck.apply(a)
    assert result.skipped == () and result.applied == 1


# ── 4. the similarity of a corrected pair ───────────────────────────────────


def test_a_corrected_row_shows_the_similarity_of_its_pair(deck):
    deck.apply(edit(deck.workbook(), {"P15>G1-M1": {"第3期 ID": "G1-M2", "確認": "修正"}}))
    row = _rows(deck.workbook())[("P15", "G1-M2")]
    assert row["確認"] == "修正"
    assert isinstance(row["類似度"], (int, float)) and 0 <= row["類似度"] <= 1
    assert _map(deck)[("P15", "G1-M2")].score == row["類似度"]


# ── 1. a 区分 staff changed ──────────────────────────────────────────────────


def test_a_corrected_relation_is_in_every_next_output(deck, tmp_path):
    result = deck.apply(edit(deck.workbook(), {"P12>G2-M1": {"区分": "統合", "確認": "修正"}}))
    assert not [w for w in result.warnings if "区分" in w and "computed" in w]
    caught: list[str] = []
    link = _map(deck, caught)[("P12", "G2-M1")]
    assert link.relation.value == "merged" and link.evidence is Evidence.REVIEWED
    assert caught == []
    row = _rows(deck.workbook())[("P12", "G2-M1")]
    assert (row["区分"], row["確認"]) == ("統合", "修正")
    html = tmp_path / "r.html"
    make_report(deck.old, deck.new, html=html, mappings_dir=deck.mappings)
    assert '<tr data-relation="merged"><td>P12</td>' in html.read_text(encoding="utf-8")
    out = CliRunner().invoke(
        main, ["align", str(deck.old), str(deck.new), "--mappings", str(deck.mappings)]
    )
    (line,) = [ln for ln in out.output.splitlines() if ln.startswith("P12,")]
    assert ",G2-M1," in line and ",merged," in line and ",reviewed," in line
    assert ",kept," in line  # similarity_relation: what the links alone give


def test_the_cli_names_a_relation_whose_links_changed(deck):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"区分": "分割", "確認": "修正"}}))
    added = [["P16", None, "G1-M2", None, None, None, None, "修正"]]
    deck.apply(edit(deck.workbook(), {}, added=added))
    out = CliRunner().invoke(
        main, ["align", str(deck.old), str(deck.new), "--mappings", str(deck.mappings)]
    )
    assert out.exit_code == 0
    (said,) = [ln for ln in out.output.splitlines() if ln.startswith("warning: reviewed 区分")]
    assert "P3 → G1-M2" in said and "分割" in said and "P16 → G1-M2" in said and "added" in said


def test_an_approved_row_with_its_relation_changed_is_honoured_too(deck):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"区分": "分割", "確認": "承認"}}))
    assert _map(deck)[("P3", "G1-M2")].relation.value == "split"
    assert _rows(deck.workbook())[("P3", "G1-M2")]["区分"] == "分割"


def test_a_relation_stays_through_later_workbooks(deck):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"区分": "分割", "確認": "修正"}}))
    # a later workbook decides another row, leaving P3's row as shown
    deck.apply(edit(deck.workbook(), {"P10>G3-M3": {"確認": "承認", "備考": "確認済"}}))
    assert _map(deck)[("P3", "G1-M2")].relation.value == "split"
    # and a later note on P3's own row keeps its 区分
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"備考": "分割のまま"}}))
    assert _map(deck)[("P3", "G1-M2")].relation.value == "split"


def test_a_relation_whose_links_changed_is_named_not_silently_replaced(deck):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"区分": "分割", "確認": "修正"}}))
    later = edit(
        deck.workbook(), {}, added=[["P16", None, "G1-M2", None, "統合", None, None, "修正"]]
    )
    deck.apply(later)
    caught: list[str] = []
    link = _map(deck, caught)[("P3", "G1-M2")]
    (said,) = [w for w in caught if "P3 → G1-M2" in w]
    assert "分割" in said and "P16 → G1-M2" in said and "修正" in said
    assert link.relation.value == "restructured"  # computed: P16 also continues as G1-M1
    assert link.needs_review  # flagged 要確認


def test_setting_the_computed_relation_back_removes_the_decision(deck):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"区分": "分割", "確認": "修正"}}))
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"区分": "継続", "確認": "修正"}}))
    assert _map(deck)[("P3", "G1-M2")].relation.value == "kept"
    assert _records(deck)[("P3", "G1-M2")].relation_basis == ()


def test_an_approved_row_in_a_group_another_row_changes_is_not_a_relation_decision(deck):
    # P14 approved as shown (継続) while another row of this workbook joins G3-M2: the 区分 shown
    # was computed, not chosen — both rows show the 区分 of their new group
    path = edit(
        deck.workbook(),
        {"P14>G3-M2": {"確認": "承認"}},
        added=[["P13", None, "G3-M2", None, None, None, None, "修正"]],  # 区分 left to the links
    )
    deck.apply(path)
    links = _map(deck)
    assert links[("P14", "G3-M2")].relation.value != "kept"
    assert links[("P14", "G3-M2")].relation == links[("P13", "G3-M2")].relation  # computed
    assert _records(deck)[("P14", "G3-M2")].relation_basis == ()


# ── found by the session-4 trial (/work/wt/hU4-findings.md F11 F12 F18) ─────


def test_a_copy_of_a_workbook_made_before_any_decision_starts_no_second_history(
    deck, tmp_path, monkeypatch
):
    made = deck.workbook()  # revision 0: nothing decided yet, mappings/ not there yet
    usb = tmp_path / "usb"
    usb.mkdir()
    copy = Path(shutil.copy(made, usb / "k.xlsx"))
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ReviewError) as caught:
        apply_workbook(edit(copy, {"P10>G3-M3": {"確認": "承認"}}), None)
    said = str(caught.value)
    assert "second history" in said and "--mappings <" in said
    assert not (elsewhere / "mappings").exists()


def test_a_first_apply_from_the_project_folder_still_writes_there(deck, monkeypatch):
    made = edit(deck.workbook(), {"P10>G3-M3": {"確認": "承認"}})
    monkeypatch.chdir(deck.folder)  # the workbook records mappings/ beside it: here
    result = apply_workbook(made, None)
    assert result.applied == 1 and result.path.resolve().parent == deck.mappings.resolve()


def test_full_width_ids_typed_with_an_ime_are_read_as_listed(deck):
    path = edit(deck.workbook(), {"P15>G1-M1": {"第3期 ID": "Ｇ１－Ｍ２", "確認": "修正"}})
    result = deck.apply(path)
    assert result.warnings == () and ("P15", "G1-M2") in _records(deck)


def test_an_ods_resaved_by_libreoffice_is_told_how_to_save_it(tmp_path):
    import zipfile

    ods = tmp_path / "review.ods"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(FormatError, match=r"OpenDocument spreadsheet.*LibreOffice Calc as \.xlsx"):
        apply_workbook(ods, tmp_path / "mappings")
    docx = tmp_path / "review.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FormatError, match="is a Word document, not an Excel workbook"):
        apply_workbook(docx, tmp_path / "mappings")


# ── found by the session-4 review trial (/work/wt/hF4-findings.md hF1 hF2 hF3 hF8 hF9) ──


def test_an_approval_since_does_not_make_an_older_row_stale(deck):
    a = deck.workbook("a.xlsx")
    b = Path(shutil.copy(a, deck.folder / "b.xlsx"))
    deck.apply(edit(a, {"P6>G2-M3": {"確認": "承認"}}))  # P6's other link: changes no link
    result = deck.apply(edit(b, {"P6>G2-M2": {"確認": "却下"}}))
    assert result.skipped == ()
    assert _records(deck)[("P6", "G2-M2")].decision is Decision.REJECT
    # a correction of P6's other link since, though, does make the older row stale
    c = Path(shutil.copy(b, deck.folder / "c.xlsx"))
    deck.apply(edit(deck.workbook(), {"P6>G2-M3": {"第3期 ID": "G2-M1", "確認": "修正"}}))
    assert [s.row for s in deck.apply(edit(c, {"P6>G2-M2": {"備考": "古い"}})).skipped]


def test_a_contradictory_edit_of_a_rejected_row_keeps_the_rejection(deck):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "却下"}}))
    result = deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"区分": "廃止", "確認": "承認"}}))
    assert _records(deck)[("P3", "G1-M2")].decision is Decision.REJECT
    assert ("P3", "G1-M2") not in _map(deck)
    assert [w for w in result.warnings if "kept 却下 as written" in w]


def test_a_copied_workbook_applied_with_mappings_keeps_the_maps_edition_files(deck, tmp_path):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "承認"}}))
    path = reviewed_map_path(deck.mappings, *DECK_PAIR)
    sources = (read_reviewed(path).old_source, read_reviewed(path).new_source)
    assert all(sources)
    usb = tmp_path / "usb"
    usb.mkdir()
    copy = Path(shutil.copy(deck.workbook(), usb / "k.xlsx"))
    apply_workbook(edit(copy, {"P10>G3-M3": {"確認": "承認"}}), deck.mappings)
    again = read_reviewed(path)
    assert (again.old_source, again.new_source) == sources  # fit still finds the editions


def test_another_projects_workbook_with_the_same_pair_name_is_refused(deck, tmp_path):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "承認"}}))
    other = Loop(tmp_path / "b", deck.old, deck.new)
    (tmp_path / "b").mkdir()
    workbook = other.workbook()
    wb = openpyxl.load_workbook(workbook)  # city B: the same file names, other titles
    ws = wb["施策一覧"]
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "P3":
            row[2].value = "別の町の創業支援"
    wb.save(workbook)
    before = reviewed_map_path(deck.mappings, *DECK_PAIR).read_bytes()
    with pytest.raises(ReviewError, match="other documents than the reviewed map"):
        apply_workbook(edit(workbook, {"P10>G3-M3": {"確認": "承認"}}), deck.mappings)
    assert reviewed_map_path(deck.mappings, *DECK_PAIR).read_bytes() == before


def test_a_refused_apply_writes_no_folder(deck, tmp_path, monkeypatch):
    made = _reviewed_once(deck)
    usb = tmp_path / "usb"
    usb.mkdir()
    copy = Path(shutil.copy(made, usb / "k.xlsx"))
    with pytest.raises(ReviewError):
        apply_workbook(copy, usb / "mappings")
    assert not (usb / "mappings").exists()


# ── found by the session-5 trial (/work/wt/hU5-findings.md U9) ────────────────


def test_a_copy_in_a_sub_folder_names_the_mappings_here_that_hold_its_history(deck, monkeypatch):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "承認"}}))  # revision 1
    made = deck.workbook()  # made from revision 1, recording mappings/ beside it
    copies = deck.folder / "copies"
    copies.mkdir()
    copy = Path(shutil.copy(made, copies / "k.xlsx"))  # copies/mappings does not exist
    monkeypatch.chdir(deck.folder)  # ./mappings holds the pair's map at revision 1
    with pytest.raises(ReviewError) as caught:
        apply_workbook(edit(copy, {"P10>G3-M3": {"確認": "承認"}}), None)
    said = str(caught.value)
    assert "second history" not in said  # ./mappings is that history, not a second one
    assert "mappings holds the pair's reviewed map at revision 1" in said
    assert f"--mappings {Path('mappings')}" in said
    # and following the advice applies it
    result = apply_workbook(copy, Path("mappings"))
    assert result.applied == 1 and ("P10", "G3-M3") in _records(deck)


@pytest.mark.parametrize("typed", ["g1-m2", "G1 - M2 ", "G1ーM2", "Ｇ１ｰＭ２"])
def test_ids_typed_in_another_case_or_spacing_are_read_as_listed(deck, typed):
    # hU5 trial: 'g4-m1 ' and 'G1 - M2' were "not in 施策一覧" (recorded 保留 / not recorded)
    path = edit(deck.workbook(), {"P15>G1-M1": {"第3期 ID": typed, "確認": "修正"}})
    result = deck.apply(path)
    assert result.warnings == () and ("P15", "G1-M2") in _records(deck)
