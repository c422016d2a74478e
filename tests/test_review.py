"""The review loop: edit the generated workbook as a user would, apply it, read the map back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from textkit import tables
from textkit.decisions import read_reviewed
from textkit.errors import ReviewError
from textkit.formats import read_map
from textkit.models import Decision
from textkit.review import apply_workbook, reviewed_map_path
from textkit.sources import load_reviewed

from .test_report import write_tomakomai_workbook

OLD, NEW = "tomakomai_3rd_deck_2024.previous", "tomakomai_3rd_deck_2024"


def edit(path, changes: dict[str, dict[str, str]], added: list[list[str]] = ()):
    """Set cells of 対応表 rows found by their 第2期 ID + 第3期 ID ("P1>G1-M3"), add rows."""
    wb = openpyxl.load_workbook(path)
    ws = wb["対応表"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        key = f"{row[0].value or ''}>{row[2].value or ''}"
        for column, value in changes.get(key, {}).items():
            row[header.index(column)].value = value
    for values in added:
        ws.append(values)
    wb.save(path)
    return path


def rows(path):
    return [
        (x.old_id, x.new_id, x.relation.value, x.reviewed, x.reviewer_note)
        for x in read_map(path).links
    ]


@pytest.fixture
def workbook(tmp_path):
    return write_tomakomai_workbook(tmp_path / "review.xlsx")


def records(path):
    return [(r.old_id, r.new_id, r.decision.value, r.note) for r in read_reviewed(path).records]


def test_apply_approve_fix_reject_and_added_row(workbook, tmp_path):
    edit(
        workbook,
        {
            "P1>G1-M3": {"確認": "承認", "備考": "担当課確認済み"},
            # 修正: ⑦ 体験学習 belongs with G3-M1 交流人口, as one link among several (統合)
            "P7>G4-M1": {"第3期 ID": "G3-M1", "確認": "修正"},
            "P17>G4-M3": {"確認": "却下", "備考": "広域連携は別計画"},
            "P4>": {"確認": "承認", "備考": "位置付けなし"},
        },
        added=[["P19", "", "G4-M1", "", "統合", None, None, "", "ゼロカーボンも魅力向上に"]],
    )
    result = apply_workbook(workbook, tmp_path / "mappings")
    assert result.path == tmp_path / "mappings" / f"{OLD}__{NEW}.reviewed.csv"
    assert (result.revision, result.applied, result.skipped) == (1, 5, ())
    # One record per decision, nothing else (open proposals are not decisions).
    assert records(result.path) == [
        ("P1", "G1-M3", "approve", "担当課確認済み"),
        ("P4", "", "approve", "位置付けなし"),
        ("P7", "G3-M1", "correct", ""),
        ("P17", "G4-M3", "reject", "広域連携は別計画"),
        ("P19", "G4-M1", "correct", "ゼロカーボンも魅力向上に"),
    ]
    stored = {r.key: r for r in read_reviewed(result.path).records}
    p7 = stored[("P7", "G3-M1")]
    assert (p7.new_title, p7.evidence, p7.score, p7.original_key) == (
        "交流人口の拡大支援",
        "reviewed",
        None,
        ("P7", "G4-M1"),
    )
    p1 = stored[("P1", "G1-M3")]
    assert (p1.evidence, p1.matched_terms, p1.score) == ("similarity", ("若者", "就職"), 0.32)
    assert stored[("P19", "G4-M1")].original_key == ("", "")  # added by hand
    only_reviewed = load_reviewed(tmp_path / "mappings", OLD, NEW)
    assert [x.old_id for x in only_reviewed.records] == ["P1", "P4", "P7", "P17", "P19"]


def test_reject_is_one_record_and_declares_nothing(workbook, tmp_path):
    edit(
        workbook,
        {
            "P3>G1-M2": {"確認": "却下"},
            "P6>G2-M2": {"確認": "却下"},
            "P6>G2-M3": {"確認": "承認"},
        },
    )
    got = records(apply_workbook(workbook, tmp_path).path)
    assert got == [
        ("P3", "G1-M2", "reject", ""),
        ("P6", "G2-M2", "reject", ""),
        ("P6", "G2-M3", "approve", ""),
    ]


def test_second_workbook_merges_with_earlier_decisions(workbook, tmp_path):
    mappings = tmp_path / "mappings"
    edit(workbook, {"P1>G1-M3": {"確認": "承認"}, "P3>G1-M2": {"確認": "承認", "備考": "初回"}})
    apply_workbook(workbook, mappings)
    # A fresh workbook (as re-running the report would give) where the user reviews other rows
    # and changes one earlier decision.
    second = write_tomakomai_workbook(tmp_path / "second.xlsx", mappings)
    edit(second, {"P3>G1-M2": {"確認": "却下"}, "P10>G3-M3": {"確認": "承認"}})
    got = records(apply_workbook(second, mappings).path)
    assert got == [
        ("P1", "G1-M3", "approve", ""),  # kept from the first workbook
        ("P3", "G1-M2", "reject", "初回"),  # changed by the second (its 備考 stays)
        ("P10", "G3-M3", "approve", ""),
    ]
    # The first decisions are not lost: the replaced map is kept in mappings/history/.
    history = sorted((mappings / "history").glob("*.csv"))
    assert len(history) == 1
    assert history[0].name.startswith(
        "tomakomai_3rd_deck_2024.previous__tomakomai_3rd_deck_2024.reviewed.r1."
    )
    assert ("P3", "G1-M2", "approve", "初回") in records(history[0])


def test_reviewed_map_is_never_overwritten_by_other_commands(workbook, tmp_path):
    from textkit.errors import ReviewError
    from textkit.formats import write_map
    from textkit.models import ContinuityMap

    mappings = tmp_path / "mappings"
    edit(workbook, {"P1>G1-M3": {"確認": "承認"}})
    reviewed = apply_workbook(workbook, mappings).path
    before = reviewed.read_bytes()
    with pytest.raises(ReviewError, match="never overwritten"):
        write_map(ContinuityMap("a", "b", ()), reviewed)
    with pytest.raises(ReviewError, match="never overwritten"):
        tables.write_rows(reviewed, ["a"], [{"a": 1}])
    assert reviewed.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"第3期 ID": "G1-M1"}, "row 2: the IDs were edited but 確認 is empty"),
        # 区分 廃止 on a row with both IDs: kept 保留 with a warning, the other rows applied
        # (tests/test_review_decisions_kept.py)
    ],
)
def test_invalid_rows_name_the_row(workbook, tmp_path, change, message):
    edit(workbook, {"P1>G1-M3": change})
    with pytest.raises(ReviewError, match=message):
        apply_workbook(workbook, tmp_path)
    assert not list(tmp_path.glob("*.csv"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"第3期 ID": "G9-M9", "確認": "修正"}, "row 2 (P1 → G9-M9): 第3期 ID 'G9-M9' is not in"),
        (
            {"区分": "継承", "確認": "修正"},
            "row 2 (P1 → G1-M3): 区分 '継承' is not one of 継続, 統合",
        ),
    ],
)
def test_values_outside_the_lists_keep_the_row_pending_and_name_it(
    workbook, tmp_path, change, message
):
    """(Refused the whole workbook before: now that row stays 保留 as written, named.)"""
    edit(workbook, {"P1>G1-M3": change, "P3>G1-M2": {"確認": "承認"}})
    result = apply_workbook(workbook, tmp_path)
    assert any(message in w and "保留" in w for w in result.warnings), result.warnings
    assert [r[:3] for r in records(result.path)] == [
        ("P1", "G1-M3", "pending"),
        ("P3", "G1-M2", "approve"),
    ]


def test_drop_downs_refuse_values_outside_their_list(workbook):
    ws = openpyxl.load_workbook(workbook)["対応表"]
    dvs = list(ws.data_validations.dataValidation)
    assert len(dvs) == 4  # 確認, 区分, both IDs
    for dv in dvs:
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop")  # Excel: stop is the default
        assert dv.allow_blank
        assert "選んでください" in dv.error and "入力できない値" in dv.errorTitle


def test_review_value_outside_the_list_is_kept_pending_and_named(workbook, tmp_path):
    """Excel refuses other values typed into 確認, but a pasted or otherwise written one can
    still arrive: the row is recorded as 保留 with what was typed beside its 備考, and named."""
    from click.testing import CliRunner

    from textkit.cli import main

    mappings = tmp_path / "mappings"
    edit(
        workbook,
        {"P1>G1-M3": {"確認": "OK", "備考": "担当課に確認"}, "P3>G1-M2": {"確認": "承認"}},
    )
    run = CliRunner().invoke(main, ["review", "apply", str(workbook), "--mappings", str(mappings)])
    assert run.exit_code == 0, run.output
    assert (
        "warning: sheet 対応表, row 2 (P1 → G1-M3): 確認 'OK' is not one of 承認, 修正, 却下, 保留"
        in run.output
    )
    path = reviewed_map_path(mappings, OLD, NEW)
    assert records(path) == [
        ("P1", "G1-M3", "pending", "担当課に確認　（確認に「OK」と入力: 選択肢にないため保留）"),
        ("P3", "G1-M2", "approve", ""),
    ]
    again = apply_workbook(workbook, mappings)  # the same workbook again changes nothing
    assert again.applied == 0 and len(again.warnings) == 1
    # The next workbook shows the row as 保留 with the note, so nothing typed is lost.
    second = write_tomakomai_workbook(tmp_path / "second.xlsx", mappings)
    row = next(
        r
        for r in openpyxl.load_workbook(second)["対応表"].iter_rows(values_only=True)
        if r[:3] == ("P1", "若者の市内就職の促進", "G1-M3")
    )
    assert row[7:9] == ("保留", "担当課に確認　（確認に「OK」と入力: 選択肢にないため保留）")


def test_added_row_with_unknown_old_id(workbook, tmp_path):
    """(Refused the whole workbook before: now that row is not recorded and named.)"""
    edit(workbook, {}, added=[["P20", "", "G1-M1", "", "継続", None, None, "承認"]])
    result = apply_workbook(workbook, tmp_path)
    assert result.applied == 0
    assert any(
        "row 23 (P20 → G1-M1): 第2期 ID 'P20' is not in 施策一覧; the row was not recorded" in w
        for w in result.warnings
    ), result.warnings


def test_missing_sheet_and_not_a_workbook(workbook, tmp_path):
    wb = openpyxl.load_workbook(workbook)
    del wb["施策一覧"]
    wb.save(workbook)
    with pytest.raises(ReviewError, match="has no sheet '施策一覧'"):
        apply_workbook(workbook, tmp_path)
    bad = tmp_path / "map.xlsx"
    bad.write_text("id,title\n", encoding="utf-8")
    with pytest.raises(Exception, match="is not an Excel workbook"):
        apply_workbook(bad, tmp_path)


def test_interrupted_write_keeps_the_old_map(workbook, tmp_path, monkeypatch):
    edit(workbook, {"P1>G1-M3": {"確認": "承認"}})
    target = apply_workbook(workbook, tmp_path).path
    before = target.read_bytes()
    workbook = write_tomakomai_workbook(tmp_path / "next.xlsx", tmp_path)
    edit(workbook, {"P1>G1-M3": {"確認": "却下"}})

    def crash(self, *args, **kwargs):
        raise KeyboardInterrupt  # the user pressed Ctrl-C mid-write

    real_write_text = tables.Path.write_text
    monkeypatch.setattr(tables.Path, "write_text", crash)
    with pytest.raises(KeyboardInterrupt):
        apply_workbook(workbook, tmp_path)
    monkeypatch.setattr(tables.Path, "write_text", real_write_text)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    assert reviewed_map_path(tmp_path, OLD, NEW) == target
    assert read_reviewed(target).records[0].decision is Decision.APPROVE


def test_cli_report_review_apply_and_rerun_keeps_decisions(tmp_path):
    """report → staff edit the workbook → review apply → report again: every decision stays."""
    from click.testing import CliRunner

    from textkit.cli import main
    from textkit.formats import write_measures

    from .test_report import tomakomai_strategy

    s = tomakomai_strategy()
    old, new = tmp_path / "tomakomai_2nd.csv", tmp_path / "tomakomai_3rd.csv"
    write_measures(s.previous, old)
    write_measures(s.measures, new)
    maps, first = tmp_path / "mappings", tmp_path / "first.xlsx"
    runner = CliRunner()

    def report(xlsx):
        args = ["report", str(old), str(new), "--xlsx", str(xlsx), "--mappings", str(maps)]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        return {(r[0] or "", r[2] or ""): r for r in openpyxl.load_workbook(xlsx)["対応表"].values}

    before = report(first)
    assert before[("P7", "G4-M1")][4] == "統合"  # the deck states ⑦ → G4-M1
    edit(
        first,
        {
            "P7>G4-M1": {"第3期 ID": "G3-M1", "確認": "修正", "備考": "体験学習は交流人口へ"},
            "P17>G4-M3": {"確認": "却下"},
        },
    )
    result = runner.invoke(main, ["review", "apply", str(first), "--mappings", str(maps)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote {maps / 'tomakomai_2nd__tomakomai_3rd.reviewed.csv'} (revision 1: 2 decisions)\n"
    )
    after = report(tmp_path / "second.xlsx")
    # a corrected pair shows its own similarity (here P7 → G3-M1 share almost nothing)
    row = after[("P7", "G3-M1")]
    assert (row[4], *row[6:9]) == ("統合", "確認済み", "修正", "体験学習は交流人口へ")
    assert isinstance(row[5], float) and row[5] < 0.05
    assert after[("P17", "G4-M3")][7] == "却下"  # shown as rejected, with its 備考
    assert ("P7", "G4-M1") not in after
    # Errors are one line and exit 2.
    bad = runner.invoke(main, ["review", "apply", str(tmp_path / "missing.xlsx")])
    assert bad.exit_code == 2 and "file not found" in bad.output


def test_cli_align_keeps_reviewed_decisions_from_mappings(tmp_path: Path) -> None:
    """Re-running ``textkit align`` on a reviewed pair keeps every reviewed row as decided."""
    import shutil

    from click.testing import CliRunner

    from textkit.cli import main
    from textkit.formats import read_map, write_map
    from textkit.models import ContinuityMap, Link, Relation
    from textkit.review import reviewed_map_path

    case = Path(__file__).parent / "cases" / "align" / "kitahama"
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    shutil.copy(case / "old.csv", old)
    shutil.copy(case / "new.csv", new)
    mappings = tmp_path / "mappings"
    # A reviewer decided 1-1 continues as 施策02 (against what similarity proposes).
    decision = Link(
        old_id="1-1",
        old_title="漁業・水産業の担い手育成",
        new_id="施策02",
        new_title="",
        relation=Relation.KEPT,
        score=1.0,
        evidence="reviewed",
        reviewed=True,
        reviewer_note="担当課確認済み",
    )
    reviewed = reviewed_map_path(mappings, "old", "new")
    write_map(ContinuityMap("old", "new", (decision,)), reviewed)
    before = reviewed.read_bytes()

    out = tmp_path / "map.csv"
    args = ["align", str(old), str(new), "--mappings", str(mappings), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = [x for x in read_map(out).links if x.old_id == "1-1" and x.reviewed]
    assert [(x.new_id, x.reviewed, x.reviewer_note) for x in rows] == [
        ("施策02", True, "担当課確認済み")
    ]
    assert reviewed.read_bytes() == before  # the reviewed map itself is never rewritten
