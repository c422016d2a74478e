"""The review loop as staff use it (openpyxl standing in for Excel), on the bundled Tomakomai deck
and on Tomakomai as measure tables: each concrete failure of issue #12 as a named test.

Every test runs the real pipeline: ``make_report`` writes the workbook, the test edits it,
``apply_workbook`` records the decisions, ``align`` gives the map again.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from textkit import review
from textkit.continuity import align_strategies
from textkit.decisions import read_reviewed, reviewed_map_path
from textkit.errors import FormatError, ReviewError
from textkit.formats import write_measures
from textkit.models import Decision
from textkit.pipeline import make_report
from textkit.review import apply_workbook
from textkit.sources import load_pair, reviewed_for

from .conftest import TOMAKOMAI_TXT

DECK_PAIR = ("tomakomai_3rd_deck_2024.previous", "tomakomai_3rd_deck_2024")


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> tuple[Path, Path]:
    """Tomakomai 第2期 取組 and 第3期 施策 as measure tables (what staff keep in Excel)."""
    folder = tmp_path_factory.mktemp("tables")
    old, new = load_pair(TOMAKOMAI_TXT, TOMAKOMAI_TXT)
    write_measures(old.measures, folder / "tomakomai_2nd.csv")
    write_measures(new.measures, folder / "tomakomai_3rd.csv")
    return folder / "tomakomai_2nd.csv", folder / "tomakomai_3rd.csv"


class Loop:
    """One pair under review in a temporary project folder."""

    def __init__(self, folder: Path, old: Path, new: Path) -> None:
        self.folder, self.old, self.new = folder, old, new
        self.mappings = folder / "mappings"
        self.n = 0

    def workbook(self, name: str | None = None) -> Path:
        self.n += 1
        path = self.folder / (name or f"review{self.n}.xlsx")
        make_report(self.old, self.new, xlsx=path, mappings_dir=self.mappings)
        return path

    def links(self) -> dict[tuple[str, str], str]:
        old, new = load_pair(self.old, self.new)
        cmap = align_strategies(old, new, reviewed=reviewed_for(self.mappings, old, new))
        return {(x.old_id, x.new_id): x.relation.value for x in cmap.links}

    def partners(self, old_id: str) -> set[str]:
        return {n for (o, n) in self.links() if o == old_id}

    def apply(self, path: Path) -> review.ApplyResult:
        return apply_workbook(path, self.mappings)


def edit(path: Path, changes: dict[str, dict[str, str]], added: list[list] = ()) -> Path:
    """Set cells of 対応表 rows found by "第2期 ID>第3期 ID" (first match), add rows at the end."""
    wb = openpyxl.load_workbook(path)
    ws = wb["対応表"]
    header = [c.value for c in ws[1]]
    done = set()
    for row in ws.iter_rows(min_row=2):
        key = f"{row[0].value or ''}>{row[2].value or ''}"
        if key in changes and key not in done:
            done.add(key)
            for column, value in changes[key].items():
                row[header.index(column)].value = value
    missing = set(changes) - done
    assert not missing, f"no rows {missing}"
    last = max(r[0].row for r in ws.iter_rows(min_row=1) if any(c.value for c in r[:9]))
    for i, values in enumerate(added, start=1):
        for j, value in enumerate(values, start=1):
            ws.cell(row=last + i, column=j, value=value)
    wb.save(path)
    return path


def shown(path: Path) -> list[tuple]:
    """(第2期 ID, 第3期 ID, 区分, 確認, 備考) of every 対応表 row."""
    ws = openpyxl.load_workbook(path)["対応表"]
    return [
        (r[0] or "", r[2] or "", r[4], r[7] or "", r[8] or "")
        for r in ws.iter_rows(min_row=2, values_only=True)
        if any(r[:9])
    ]


@pytest.fixture
def deck(tmp_path) -> Loop:
    return Loop(tmp_path, TOMAKOMAI_TXT, TOMAKOMAI_TXT)


@pytest.fixture
def table_loop(tmp_path, tables) -> Loop:
    return Loop(tmp_path, *tables)


# ── a reviewed link never makes other links disappear ───────────────────────


def test_correcting_one_link_keeps_the_other_link_into_that_measure(deck):
    before = deck.links()
    assert before[("P3", "G1-M2")] == "kept" and ("P15", "G1-M1") in before
    deck.apply(edit(deck.workbook(), {"P15>G1-M1": {"第3期 ID": "G1-M2", "確認": "修正"}}))
    after = deck.links()
    # P3 (untouched) still continues as G1-M2, which now receives two 取組: 統合
    assert after[("P3", "G1-M2")] == "merged" and after[("P15", "G1-M2")] == "merged"
    assert ("P15", "G1-M1") not in after  # the replaced link goes, and only it
    assert after[("P16", "G1-M1")] == "kept"  # relation recomputed: G1-M1 keeps one 取組
    changed = {k for k in before if k not in after} | {k for k in after if k not in before}
    assert changed == {("P15", "G1-M1"), ("P15", "G1-M2")}


def _kept_and_dropped(links: dict) -> tuple[tuple[str, str], str]:
    """A 1:1 (継続) link and an old measure with no successor (廃止), as this pair has now."""
    kept = next(k for k, rel in links.items() if rel == "kept")
    dropped = next(o for (o, n), rel in links.items() if rel == "dropped")
    return kept, dropped


def test_row_added_by_hand_keeps_the_links_already_there(table_loop):
    loop = table_loop
    before = loop.links()
    (old_id, new_id), dropped = _kept_and_dropped(before)
    loop.apply(edit(loop.workbook(), {}, added=[[dropped, "", new_id, "", "継続"]]))
    after = loop.links()
    # the new measure receives both: 統合, and the link already there stays
    assert after[(old_id, new_id)] == "merged" and after[(dropped, new_id)] == "merged"
    assert (dropped, "") not in after  # no longer 廃止
    for key, rel in before.items():
        if key not in ((old_id, new_id), (dropped, "")):
            assert after.get(key) == rel, key


def test_editing_the_reviewed_csv_by_hand_keeps_the_other_links(table_loop):
    loop = table_loop
    loop.apply(edit(loop.workbook(), {"P12>G2-M1": {"確認": "承認"}}))
    path = reviewed_map_path(loop.mappings, "tomakomai_2nd", "tomakomai_3rd")
    text = path.read_text(encoding="utf-8")
    assert text.count("\nP12,") == 1
    # P12 → G3-M1 by hand (id and title, as the 第3期 list gives them)
    edited = text.replace(",G2-M1,結婚の希望を叶える支援,", ",G3-M1,交流人口の拡大支援,")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    after = loop.links()
    assert after[("P11", "G3-M1")] == "merged" and after[("P12", "G3-M1")] == "merged"
    assert ("P12", "G2-M1") not in after  # the hand edit replaced it
    assert ("P11", "") not in after


def test_relation_labels_are_recomputed_after_a_review(deck):
    links = deck.links()
    # a new measure that receives exactly two old ones (統合): reject one of the two links
    into: dict[str, list[str]] = {}
    for o, n in links:
        if o and n:
            into.setdefault(n, []).append(o)
    new_id, (first, second) = next((n, os) for n, os in into.items() if len(os) == 2)
    if any(k[0] == first and k[1] != new_id and k[1] for k in links) or any(
        k[0] == second and k[1] != new_id and k[1] for k in links
    ):
        pytest.skip("the two old measures continue elsewhere too")
    assert links[(second, new_id)] == "merged"
    deck.apply(edit(deck.workbook(), {f"{second}>{new_id}": {"確認": "却下"}}))
    after = deck.links()
    assert (second, new_id) not in after
    assert after[(first, new_id)] == "kept"  # now the only link into it


# ── stale workbooks, concurrent applies, history ────────────────────────────


def test_an_older_workbook_never_reverses_a_newer_decision(deck):
    old_wb = deck.workbook("old.xlsx")
    first = deck.workbook("first.xlsx")
    deck.apply(edit(first, {"P3>G1-M2": {"確認": "承認", "備考": "担当課確認"}}))
    # the older workbook (made before that decision) rejects the same link, approves another
    edit(old_wb, {"P3>G1-M2": {"確認": "却下"}, "P10>G3-M3": {"確認": "承認"}})
    result = deck.apply(old_wb)
    assert [s.row for s in result.skipped] == [
        next(i for i, r in enumerate(shown(old_wb), start=2) if r[:2] == ("P3", "G1-M2"))
    ]
    assert "decided since this workbook was made" in result.skipped[0].reason
    records = {r.key: r for r in read_reviewed(result.path).records}
    assert records[("P3", "G1-M2")].decision is Decision.APPROVE
    assert records[("P3", "G1-M2")].note == "担当課確認"
    assert records[("P10", "G3-M3")].decision is Decision.APPROVE  # the change it made applies


def test_stale_workbook_cli_names_the_skipped_rows(deck):
    from click.testing import CliRunner

    from textkit.cli import main

    old_wb = deck.workbook("old.xlsx")
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "承認"}}))
    edit(old_wb, {"P3>G1-M2": {"確認": "却下"}})
    out = CliRunner().invoke(
        main, ["review", "apply", str(old_wb), "--mappings", str(deck.mappings)]
    )
    assert out.exit_code == 0, out.output
    assert "warning: skipped row" in out.output and "(P3 → G1-M2)" in out.output
    # not "already holds every decision": the skipped 却下 is not held (hF F10)
    assert "nothing applied: 1 row of" in out.output and "already holds" not in out.output


def test_two_applies_at_once_lose_no_decision(deck, monkeypatch):
    a, b = deck.workbook("a.xlsx"), deck.workbook("b.xlsx")
    edit(a, {"P1>G1-M3": {"確認": "承認", "備考": "A"}})
    edit(b, {"P10>G3-M3": {"確認": "承認", "備考": "B"}})
    # pause between read and write: without the lock, the second write loses the first decision
    monkeypatch.setattr(review, "_between_read_and_write", lambda: time.sleep(0.3))
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            deck.apply(path)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    path = reviewed_map_path(deck.mappings, *DECK_PAIR)
    notes = {r.key: r.note for r in read_reviewed(path).records}
    assert notes == {("P1", "G1-M3"): "A", ("P10", "G3-M3"): "B"}
    assert len(list((deck.mappings / "history").glob("*.csv"))) == 1


def test_history_names_never_collide_after_a_copy_is_deleted(deck):
    path = reviewed_map_path(deck.mappings, *DECK_PAIR)
    versions = []
    for key in ("P1>G1-M3", "P2>G1-M3", "P3>G1-M2", "P10>G3-M3"):
        deck.apply(edit(deck.workbook(), {key: {"確認": "承認"}}))
        versions.append(path.read_bytes())
        if len(versions) == 2:
            first = sorted((deck.mappings / "history").glob("*.csv"))[0]
            first.unlink()  # the user deletes the oldest copy
    copies = sorted((deck.mappings / "history").glob("*.csv"))
    assert [c.read_bytes() for c in copies] == versions[1:3]
    assert all(".reviewed.r" in c.name for c in copies)
    assert read_reviewed(path).revision == 4


# ── workbooks holding unapplied decisions are never overwritten ─────────────


def test_report_moves_aside_a_workbook_holding_unapplied_decisions(deck):
    from click.testing import CliRunner

    from textkit.cli import main

    path = deck.workbook("review.xlsx")
    edit(path, {"P1>G1-M3": {"確認": "却下", "備考": "別事業"}})
    args = ["report", str(TOMAKOMAI_TXT), str(TOMAKOMAI_TXT), "--xlsx", str(path)]
    out = CliRunner().invoke(main, [*args, "--mappings", str(deck.mappings)])
    assert out.exit_code == 0, out.output
    aside = list(deck.folder.glob("review.unapplied-*.xlsx"))
    assert len(aside) == 1 and "moved to" in out.output and str(aside[0]) in out.output
    assert ("P1", "G1-M3", "統合", "却下", "別事業") in shown(aside[0])
    # once applied, the same workbook may be replaced without a word
    deck.apply(aside[0])
    shutil.copy(aside[0], path)
    out = CliRunner().invoke(main, [*args, "--mappings", str(deck.mappings)])
    assert "moved" not in out.output
    assert ("P1", "G1-M3", None, "却下", "別事業") in shown(path)


# ── each decision is a record that round-trips exactly ──────────────────────


def test_reject_removes_one_link_and_locks_nothing(deck):
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "却下", "備考": "別の事業"}}))
    records = read_reviewed(reviewed_map_path(deck.mappings, *DECK_PAIR)).records
    assert [(r.key, r.decision, r.note) for r in records] == [
        (("P3", "G1-M2"), Decision.REJECT, "別の事業")
    ]
    after = deck.links()
    assert ("P3", "") in after and ("", "G1-M2") in after  # both free, not declared 廃止/新規
    # a later hand-added link for either measure is simply a link
    deck.apply(edit(deck.workbook(), {}, added=[["P3", "", "G1-M1", "", "統合"]]))
    assert deck.links()[("P3", "G1-M1")] == "merged"


def test_every_decision_round_trips_into_the_next_workbook(deck):
    first = deck.workbook()
    edit(
        first,
        {
            "P1>G1-M3": {"確認": "承認", "備考": "承認の備考"},
            "P15>G1-M1": {"第3期 ID": "G1-M2", "確認": "修正", "備考": "修正の備考"},
            "P18>G4-M3": {"確認": "却下", "備考": "却下の備考"},
            "P12>G2-M1": {"確認": "保留", "備考": "保留の備考"},
        },
        added=[["P18", "", "G4-M1", "", "統合", None, None, "", "追加の備考"]],
    )
    deck.apply(first)
    second = deck.workbook()
    rows = shown(second)
    assert ("P1", "G1-M3", "統合", "承認", "承認の備考") in rows
    assert ("P15", "G1-M2", "統合", "修正", "修正の備考") in rows  # 修正 stays 修正
    assert ("P18", "G4-M3", None, "却下", "却下の備考") in rows  # kept, with its 備考
    assert ("P12", "G2-M1", "継続", "保留", "保留の備考") in rows
    assert ("P18", "G4-M1", "修正", "追加の備考") in [r[:2] + r[3:] for r in rows]
    # applying the untouched new workbook changes nothing at all
    path = reviewed_map_path(deck.mappings, *DECK_PAIR)
    before = path.read_bytes()
    result = deck.apply(second)
    assert result.applied == 0 and path.read_bytes() == before
    assert deck.workbook() and shown(deck.workbook()) == rows


def test_untouched_generated_workbook_does_not_bring_back_rejected_links(deck):
    old_wb = deck.workbook("old.xlsx")
    deck.apply(edit(deck.workbook(), {"P18>G4-M3": {"確認": "却下"}}))
    deck.apply(old_wb)  # made before the rejection, nothing changed in it
    assert ("P18", "G4-M3") not in deck.links()


def test_reject_row_keeps_its_note_when_the_same_measure_gets_a_hand_added_row(deck):
    edit(
        path := deck.workbook(),
        {"P18>G4-M3": {"確認": "却下", "備考": "対象外"}},
        added=[["P18", "", "G4-M1", "", "統合", None, None, "修正", "魅力向上へ"]],
    )
    deck.apply(path)
    rows = shown(deck.workbook())
    assert ("P18", "G4-M3", None, "却下", "対象外") in rows
    assert ("P18", "G4-M1", "修正", "魅力向上へ") in [r[:2] + r[3:] for r in rows]


def test_text_in_the_same_text_out(deck):
    note = "  全角　スペースも\n改行も残る  "
    deck.apply(edit(deck.workbook(), {"P1>G1-M3": {"確認": "承認", "備考": note}}))
    assert ("P1", "G1-M3", "統合", "承認", note) in shown(deck.workbook())


def test_a_note_typed_with_a_leading_equals_sign_comes_back_as_typed(deck):
    """openpyxl (like Excel) stores 「=要確認 …」 typed into 備考 as a formula with no result:
    review apply reads the text that was typed, never an empty note."""
    note = "=要確認 担当課に照会"
    path = edit(deck.workbook(), {"P1>G1-M3": {"確認": "承認", "備考": note}})
    wb = openpyxl.load_workbook(path)
    assert any(c.data_type == "f" for row in wb["対応表"].iter_rows() for c in row)
    deck.apply(path)
    assert ("P1", "G1-M3", "統合", "承認", note) in shown(deck.workbook())


# ── names read from a workbook are data, never paths ────────────────────────


@pytest.mark.parametrize("name", ["../../escaped/evil", "/tmp/evil", "..", "a/b", ".hidden"])
def test_names_in_the_workbook_are_never_paths(deck, name):
    path = deck.workbook()
    wb = openpyxl.load_workbook(path)
    for ws in (wb["概要"], wb["textkit"]):
        for row in ws.iter_rows():
            if row[0].value in ("第2期 資料", "old_name"):
                row[1].value = name
    wb.save(path)
    edit(path, {"P1>G1-M3": {"確認": "承認"}})
    with pytest.raises(ReviewError, match="not a document name textkit writes"):
        deck.apply(path)
    assert not (deck.folder.parent / "escaped").exists()
    assert not list(deck.folder.rglob("*evil*"))


def test_a_review_workbook_saved_under_another_suffix_is_named_a_workbook(deck, tmp_path):
    renamed = tmp_path / "review.csv"
    shutil.copy(deck.workbook(), renamed)
    with pytest.raises(FormatError, match=r"is an Excel workbook, not \.csv; rename it to \.xlsx"):
        deck.apply(renamed)


# ── rows of one workbook that decide the same link ──────────────────────────

_CONTRADICTIONS = {
    "a correction onto a link another row rejects": (
        {
            "P1>G1-M3": {"第2期 ID": "P2", "確認": "修正", "備考": "P2 へ"},
            "P2>G1-M3": {"確認": "却下"},
        },
        [],
    ),
    "an approval and a hand-added rejection of it": (
        {"P3>G1-M2": {"確認": "承認"}},
        [["P3", "", "G1-M2", "", "継続", None, None, "却下"]],
    ),
    "two hand-added rows deciding one link differently": (
        {},
        [
            ["P7", "", "G4-M1", "", "継続", None, None, "修正"],
            ["P7", "", "G4-M1", "", "継続", None, None, "保留"],
        ],
    ),
    "the same link with two notes": (
        {},
        [
            ["P7", "", "G4-M1", "", "継続", None, None, "修正", "a"],
            ["P7", "", "G4-M1", "", "継続", None, None, "修正", "b"],
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(_CONTRADICTIONS))
def test_rows_deciding_one_link_differently_are_refused_before_anything_is_written(deck, case):
    changes, added = _CONTRADICTIONS[case]
    path = edit(deck.workbook(), changes, added=added)
    with pytest.raises(ReviewError) as exc:
        deck.apply(path)
    message = str(exc.value)
    assert "\n" not in message and "rows " in message and "decide" in message
    assert "clear 確認" in message
    assert not deck.mappings.exists() or not list(deck.mappings.glob("*.reviewed.csv"))


def test_the_trial_case_correction_and_rejection_of_one_link_loses_nothing(deck):
    """The new-user trial: 修正 P1 → P2 (onto P2 → G1-M3) with a note, and 却下 P2 → G1-M3 in the
    same workbook printed '2 decisions' and stored only the reject."""
    path = edit(
        deck.workbook(),
        {
            "P1>G1-M3": {"第2期 ID": "P2", "確認": "修正", "備考": "P2 へ"},
            "P2>G1-M3": {"確認": "却下"},
        },
    )
    with pytest.raises(ReviewError, match=r"rows \d+ and \d+ both decide P2 → G1-M3"):
        deck.apply(path)
    assert not list(deck.mappings.glob("*.reviewed.csv"))
    # the reviewer resolves it (only the correction): the correction and its note are stored
    path = edit(deck.workbook(), {"P1>G1-M3": {"第2期 ID": "P2", "確認": "修正", "備考": "P2 へ"}})
    result = deck.apply(path)
    stored = read_reviewed(result.path).records
    assert result.applied == len([r for r in stored if r.revision == result.revision])
    assert [(r.key, r.decision, r.note) for r in stored if r.key == ("P2", "G1-M3")] == [
        (("P2", "G1-M3"), Decision.CORRECT, "P2 へ")
    ]


def test_rows_deciding_one_link_the_same_way_are_recorded_once(deck):
    path = edit(
        deck.workbook(),
        {
            "P1>G1-M3": {"第2期 ID": "P2", "確認": "修正", "備考": "P2 へ"},
            "P2>G1-M3": {"確認": "承認"},
        },
        added=[
            ["P7", "", "G4-M1", "", "継続", None, None, "修正", "同じ"],
            ["P7", "", "G4-M1", "", "継続", None, None, "修正", "同じ"],
        ],
    )
    result = deck.apply(path)
    assert len(result.merged_rows) == 2
    stored = {r.key: r for r in read_reviewed(result.path).records}
    assert ("P1", "G1-M3") not in stored  # the corrected row is gone
    assert (stored[("P2", "G1-M3")].decision, stored[("P2", "G1-M3")].note) == (
        Decision.CORRECT,
        "P2 へ",
    )
    assert stored[("P7", "G4-M1")].note == "同じ"
    assert result.applied == len(stored) == 2  # the counts are what was stored
    assert deck.apply(path).applied in (0, 1)  # applying again adds nothing new


def test_two_rows_swapping_their_links_keep_both(deck):
    """A row moved onto the key another row moves away from is not lost (order of rows)."""
    path = edit(
        deck.workbook(),
        {
            "P1>G1-M3": {"第2期 ID": "P16", "第3期 ID": "G1-M1", "確認": "修正"},
            "P16>G1-M1": {"第2期 ID": "P1", "第3期 ID": "G1-M3", "確認": "修正"},
        },
    )
    result = deck.apply(path)
    keys = {r.key for r in read_reviewed(result.path).records}
    assert {("P16", "G1-M1"), ("P1", "G1-M3")} <= keys
    assert result.applied == 2


# ── the store a workbook is applied to ──────────────────────────────────────


def _two_revisions(deck) -> Path:
    """A workbook made from revision 2 of the deck's reviewed map (in deck.mappings)."""
    deck.apply(edit(deck.workbook(), {"P3>G1-M2": {"確認": "承認"}}))
    deck.apply(edit(deck.workbook(), {"P12>G2-M1": {"確認": "承認"}}))
    path = deck.workbook()
    assert review.read_review_workbook(path).revision == 2
    return edit(path, {"P10>G3-M3": {"確認": "承認", "備考": "三つ目"}})


def test_a_workbook_is_refused_by_a_store_without_its_revision(deck, tmp_path):
    path = _two_revisions(deck)
    other = tmp_path / "elsewhere" / "mappings"
    with pytest.raises(ReviewError) as exc:
        apply_workbook(path, other)
    message = str(exc.value)
    assert "\n" not in message and "revision 2" in message and "does not exist" in message
    assert "--mappings" in message and str(deck.mappings) in message
    assert not other.exists() or not list(other.glob("*.reviewed.csv"))


def test_review_apply_from_another_folder_writes_to_the_store_the_workbook_was_made_from(
    deck, tmp_path, monkeypatch
):
    from click.testing import CliRunner

    from textkit.cli import main

    path = _two_revisions(deck)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(main, ["review", "apply", str(path)])
    assert result.exit_code == 0, result.output
    assert "revision 3: 1 decision;" in result.output
    assert not (elsewhere / "mappings").exists()
    stored = read_reviewed(reviewed_map_path(deck.mappings, *DECK_PAIR)).records
    assert [(r.key, r.revision) for r in stored if r.note == "三つ目"] == [(("P10", "G3-M3"), 3)]
    # told to write to a folder without that history: refused, exit 2, one line
    result = CliRunner().invoke(main, ["review", "apply", str(path), "--mappings", "mappings"])
    assert result.exit_code == 2
    assert "revision 2" in result.output and "--mappings" in result.output


def test_after_a_rejection_the_remaining_links_are_relabelled_in_the_next_workbook(deck):
    """The trial's shape: one old measure split in two (再編 here: the second new measure also
    receives another old one); rejecting one link relabels the rest (P6 → G2-M2 継続, G2-M3 統合
    of P5 and P8), and the regenerated workbook says so (the rejected row, greyed, with 却下, has no 区分: it is no link)."""
    before = {(o, n): rel for o, n, rel, *_ in shown(deck.workbook())}
    assert before[("P6", "G2-M2")] == before[("P6", "G2-M3")] == before[("P5", "G2-M3")] == "再編"
    deck.apply(edit(deck.workbook(), {"P6>G2-M3": {"確認": "却下"}}))
    rows = shown(deck.workbook())
    assert ("P6", "G2-M2", "継続", "", "") in rows
    # G2-M3 keeps two parts, P5 and P8 (the gold merge; P8 ワーク・ライフ・バランス… is found since
    # evidence patterns, session 5): 統合
    assert ("P5", "G2-M3", "統合", "", "") in rows
    assert ("P8", "G2-M3", "統合", "", "") in rows
    assert [r[2:4] for r in rows if r[:2] == ("P6", "G2-M3")] == [(None, "却下")]
