"""textkit.fit / `textkit fit`: weights re-fitted from reviewed decisions, used by align."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from textkit.cli import main
from textkit.fit import read_training
from textkit.formats import read_map, write_map
from textkit.models import ContinuityMap
from textkit.pipeline import settings_with_fit
from textkit.settings import resolve
from textkit.similarity import load_weights

CASES = Path(__file__).parent / "cases"


def _reviewed_folder(tmp_path: Path) -> Path:
    """A mappings folder holding one reviewed map (the 朝凪市 blind pair's gold, all reviewed) and
    its two measure tables, named as `textkit review apply` names them."""
    d = CASES / "align_blind" / "asanagi"
    shutil.copy(d / "old.csv", tmp_path / "a.measures.csv")
    shutil.copy(d / "new.csv", tmp_path / "b.measures.csv")
    gold = read_map(d / "gold.csv")
    links = tuple(dataclasses.replace(x, reviewed=True) for x in gold.links)
    write_map(ContinuityMap("a", "b", links), tmp_path / "a__b.reviewed.csv", reviewed_ok=True)
    return tmp_path


def test_bundled_weights_are_the_fit_of_the_bundled_training_rows():
    rows = read_training()
    w = load_weights()
    assert {r.pair for r in rows} == {
        "kitahama", "otaru", "tomakomai", "kirigaoka", "minato", "yamabe"
    }  # fmt: skip
    assert set(w.coef) == set(resolve().enabled_signals())
    assert sum(int(r.labels.sum()) for r in rows) == 98  # the gold links of the six pairs


def test_fit_adds_reviewed_decisions_and_align_uses_the_result(tmp_path):
    folder = _reviewed_folder(tmp_path)
    (folder / "c__d.reviewed.csv").write_text(
        (folder / "a__b.reviewed.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    r = CliRunner().invoke(main, ["fit", str(folder)])
    assert r.exit_code == 0, r.output
    assert "6 gold pairs + 1 reviewed maps" in r.output
    assert "c__d.reviewed.csv: skipped, its measure tables are not beside it" in r.output
    fitted = json.loads((folder / "align_weights.json").read_text(encoding="utf-8"))
    assert fitted["coef"] != load_weights().coef  # the reviewed links moved the fit
    assert fitted["links"] == 98 + 16
    s = settings_with_fit(None, folder)
    assert s.weights_file == str(folder / "align_weights.json")
    # a weights file named in the settings wins over the folder's
    assert settings_with_fit({"weights_file": s.weights_file}, tmp_path).weights_file
