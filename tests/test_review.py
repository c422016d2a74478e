"""The review loop: edit the generated workbook as a user would, apply it, read the map back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from textkit import tables
from textkit.errors import ReviewError
from textkit.formats import read_map
from textkit.models import Relation
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
    out = apply_workbook(workbook, tmp_path / "mappings")
    assert out == tmp_path / "mappings" / f"{OLD}__{NEW}.reviewed.csv"
    got = rows(out)
    reviewed = [r for r in got if r[3]]
    assert reviewed == [
        ("P1", "G1-M3", "merged", True, "担当課確認済み"),
        ("P4", "", "dropped", True, "位置付けなし"),
        ("P7", "G3-M1", "merged", True, ""),
        ("P17", "", "dropped", True, "広域連携は別計画"),
        ("P19", "G4-M1", "merged", True, "ゼロカーボンも魅力向上に"),
    ]
    # Unreviewed proposals stay unless a decision contradicts them.
    open_rows = [r[:3] for r in got if not r[3]]
    assert ("P2", "G1-M3", "merged") in open_rows
    assert ("P19", "G4-M3", "merged") in open_rows  # not contradicted by P19 → G4-M1
    assert ("P7", "G4-M1", "merged") not in open_rows  # replaced by the 修正
    assert ("P17", "G4-M3", "merged") not in open_rows  # rejected
    assert ("P13", "G4-M1", "merged") in open_rows
    # The map never loses a measure.
    assert {r[0] for r in got if r[0]} == {f"P{n}" for n in range(1, 20)}
    assert len({r[1] for r in got if r[1]}) == 12
    stored = read_map(out)
    p7 = next(x for x in stored.links if x.old_id == "P7")
    assert (p7.new_title, p7.evidence, p7.score) == ("交流人口の拡大支援", "reviewed", None)
    p1 = next(x for x in stored.links if x.old_id == "P1")
    assert (p1.evidence, p1.matched_terms, p1.score) == ("similarity", ("若者", "就職"), 0.32)
    only_reviewed = load_reviewed(tmp_path / "mappings", OLD, NEW)
    assert [x.old_id for x in only_reviewed.links] == ["P1", "P4", "P7", "P17", "P19"]


def test_reject_makes_new_and_dropped_unless_reviewed_elsewhere(workbook, tmp_path):
    edit(
        workbook,
        {
            "P3>G1-M2": {"確認": "却下"},  # 1:1 link: P3 → 廃止 and G1-M2 → 新規
            "P6>G2-M2": {"確認": "却下"},  # P6 stays covered by its reviewed link to G2-M3
            "P6>G2-M3": {"確認": "承認"},
        },
    )
    got = rows(apply_workbook(workbook, tmp_path))
    assert [r[:4] for r in got if r[3]] == [
        ("P3", "", "dropped", True),
        ("P6", "G2-M3", "restructured", True),
        ("", "G1-M2", "new", True),
        ("", "G2-M2", "new", True),
    ]


def test_second_workbook_merges_with_earlier_decisions(workbook, tmp_path):
    mappings = tmp_path / "mappings"
    edit(workbook, {"P1>G1-M3": {"確認": "承認"}, "P3>G1-M2": {"確認": "承認", "備考": "初回"}})
    apply_workbook(workbook, mappings)
    # A fresh workbook (as re-running the report would give) where the user reviews other rows
    # and changes one earlier decision.
    second = write_tomakomai_workbook(tmp_path / "second.xlsx")
    edit(second, {"P3>G1-M2": {"確認": "却下"}, "P10>G3-M3": {"確認": "承認"}})
    got = rows(apply_workbook(second, mappings))
    assert [r[:4] for r in got if r[3]] == [
        ("P1", "G1-M3", "merged", True),  # kept from the first workbook
        ("P3", "", "dropped", True),  # changed by the second
        ("P10", "G3-M3", "kept", True),
        ("", "G1-M2", "new", True),
    ]
    # The first decisions are not lost: the replaced map is kept in mappings/history/.
    history = sorted((mappings / "history").glob("*.csv"))
    assert [p.name for p in history] == [
        "tomakomai_3rd_deck_2024.previous__tomakomai_3rd_deck_2024.reviewed.1.csv"
    ]
    earlier = read_map(history[0])
    assert [(x.old_id, x.new_id, x.reviewer_note) for x in earlier.links if x.old_id == "P3"] == [
        ("P3", "G1-M2", "初回")
    ]


def test_reviewed_map_is_never_overwritten_by_other_commands(workbook, tmp_path):
    from textkit.errors import ReviewError
    from textkit.formats import write_map
    from textkit.models import ContinuityMap

    mappings = tmp_path / "mappings"
    edit(workbook, {"P1>G1-M3": {"確認": "承認"}})
    reviewed = apply_workbook(workbook, mappings)
    before = reviewed.read_bytes()
    with pytest.raises(ReviewError, match="never overwritten"):
        write_map(ContinuityMap("a", "b", ()), reviewed)
    with pytest.raises(ReviewError, match="never overwritten"):
        tables.write_rows(reviewed, ["a"], [{"a": 1}])
    assert reviewed.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"第3期 ID": "G9-M9", "確認": "修正"}, "row 2: 第3期 ID 'G9-M9' is unknown"),
        ({"区分": "継承", "確認": "修正"}, "row 2: 区分 '継承' is not one of 継続, 統合"),
        ({"確認": "OK"}, "row 2: 確認 'OK' must be 承認, 修正 or 却下"),
        ({"第3期 ID": "G1-M1"}, "row 2: the IDs were edited but 確認 is empty"),
        (
            {"区分": "廃止", "確認": "修正"},
            "row 2: 区分 廃止 needs a 第2期 ID and an empty 第3期 ID",
        ),
    ],
)
def test_invalid_rows_name_the_row(workbook, tmp_path, change, message):
    edit(workbook, {"P1>G1-M3": change})
    with pytest.raises(ReviewError, match=message):
        apply_workbook(workbook, tmp_path)
    assert not list(tmp_path.glob("*.csv"))


def test_added_row_with_unknown_old_id(workbook, tmp_path):
    edit(workbook, {}, added=[["P20", "", "G1-M1", "", "継続", None, None, "承認"]])
    with pytest.raises(ReviewError, match=r"row 23: 第2期 ID 'P20' is unknown; use an ID listed"):
        apply_workbook(workbook, tmp_path)


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
    target = apply_workbook(workbook, tmp_path)
    before = target.read_bytes()
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
    assert read_map(target).links[0].relation is Relation.MERGED


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
    assert result.output == f"wrote {maps / 'tomakomai_2nd__tomakomai_3rd.reviewed.csv'}\n"
    after = report(tmp_path / "second.xlsx")
    assert after[("P7", "G3-M1")][4:9] == ("統合", None, "確認済み", "承認", "体験学習は交流人口へ")
    assert after[("P17", "")][4] == "廃止" and after[("P17", "")][7] == "承認"
    assert ("P7", "G4-M1") not in after and ("P17", "G4-M3") not in after
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
    rows = [x for x in read_map(out).links if x.old_id == "1-1"]
    assert [(x.new_id, x.reviewed, x.reviewer_note) for x in rows] == [
        ("施策02", True, "担当課確認済み")
    ]
    assert reviewed.read_bytes() == before  # the reviewed map itself is never rewritten
