"""A 区分 changed by staff (new-user trial, session 3, findings F1 / F4), reproduced as staff would:
the workbook written by ``make_report`` on the bundled Tomakomai deck, edited with openpyxl as in
Excel, applied.

F1. Only 区分 changed and 確認 left empty: nothing is recorded (textkit does not guess a
    decision), but the apply names the row, the link, both 区分 and says to choose 修正.
F4. 区分 changed with 修正: recorded as the reviewer's 区分 and shown in every next output (session
    4; tests/test_review_decisions_kept.py); the apply notes what the links alone give.
"""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from textkit.cli import main
from textkit.decisions import read_reviewed, reviewed_map_path

from .conftest import TOMAKOMAI_TXT
from .test_review_loop import DECK_PAIR, Loop, edit


@pytest.fixture
def deck(tmp_path) -> Loop:
    return Loop(tmp_path, TOMAKOMAI_TXT, TOMAKOMAI_TXT)


def _stored(deck: Loop) -> set:
    path = reviewed_map_path(deck.mappings, *DECK_PAIR)
    return {r.key for r in read_reviewed(path).records} if path.exists() else set()


def test_relation_changed_with_empty_check_is_named_not_guessed(deck):
    path = edit(deck.workbook(), {"P3>G1-M2": {"区分": "統合"}})
    result = deck.apply(path)
    assert result.applied == 0 and _stored(deck) == set()  # no decision guessed
    (said,) = [w for w in result.warnings if "区分" in w]
    assert "対応表" in said and "row " in said and "P3 → G1-M2" in said
    assert "継続" in said and "統合" in said and "修正" in said and "nothing recorded" in said


def test_the_cli_prints_the_relation_warning_when_nothing_else_is_applied(deck):
    path = edit(deck.workbook(), {"P3>G1-M2": {"区分": "統合"}})
    out = CliRunner().invoke(main, ["review", "apply", str(path), "--mappings", str(deck.mappings)])
    assert out.exit_code == 0, out.output
    assert "warning: sheet 対応表, row" in out.output and "P3 → G1-M2" in out.output
    assert "Traceback" not in out.output


def test_an_unedited_or_rejected_row_gives_no_relation_warning(deck):
    assert deck.apply(deck.workbook()).warnings == ()
    path = edit(deck.workbook(), {"P3>G1-M2": {"区分": "統合", "確認": "却下"}})
    assert not [w for w in deck.apply(path).warnings if "区分" in w]


def test_relation_changed_with_fix_is_recorded_as_chosen(deck):
    path = edit(deck.workbook(), {"P12>G2-M1": {"区分": "統合", "確認": "修正"}})
    result = deck.apply(path)
    assert ("P12", "G2-M1") in _stored(deck)  # the decision is recorded
    assert not [w for w in result.warnings if "区分" in w]  # a decision, not a problem
    (said,) = result.chosen_relations
    assert "P12 → G2-M1" in said and "統合" in said and "継続" in said  # chosen, links give


def test_help_sheet_says_how_a_relation_is_decided(deck):
    help_text = " ".join(
        str(r[0])
        for r in openpyxl.load_workbook(deck.workbook())["使い方"].iter_rows(values_only=True)
    )
    assert "区分" in help_text and "自動" in help_text  # computed unless chosen
    assert "区分を変えて 確認 を 修正" in help_text and "判断として記録" in help_text
    assert "区分だけを変えても何も記録されません" in help_text
