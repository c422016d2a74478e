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


def _bundled_links() -> int:
    """Links in the bundled training rows: the 98 gold links, and again in each title-only copy."""
    return sum(int(d.labels.sum()) for d in read_training())


def test_bundled_weights_are_the_fit_of_the_bundled_training_rows():
    rows = read_training()
    w = load_weights()
    assert {r.pair for r in rows if not r.is_copy} == {
        "kitahama", "otaru", "tomakomai", "kirigaoka", "minato", "yamabe"
    }  # fmt: skip
    assert set(w.coef) == set(resolve().enabled_signals())
    real = [r for r in rows if not r.is_copy]
    assert sum(int(r.labels.sum()) for r in real) == 98  # the gold links of the six pairs
    # evidence patterns (on since session 5): each pair also with a side reduced to titles,
    # whose models the bundled weights carry
    assert resolve().fit_title_only_copies and any(r.is_copy for r in rows)
    assert set(w.patterns) == {"old titles", "new titles", "titles"}


def test_fit_adds_reviewed_decisions_and_align_uses_the_result(tmp_path):
    folder = _reviewed_folder(tmp_path)
    (folder / "c__d.reviewed.csv").write_text(
        (folder / "a__b.reviewed.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    r = CliRunner().invoke(main, ["fit", str(folder)])
    assert r.exit_code == 0, r.output
    assert "6 gold pairs + 1 reviewed map" in r.output
    assert "c__d.reviewed.csv: skipped, edition files not found: c (looked for" in r.output
    fitted = json.loads((folder / "align_weights.json").read_text(encoding="utf-8"))
    assert fitted["coef"] != load_weights().coef  # the reviewed links moved the fit
    assert fitted["links"] == _bundled_links() + 16
    s = settings_with_fit(None, folder)
    assert s.weights_file == str(folder / "align_weights.json")
    # a weights file named in the settings wins over the folder's
    assert settings_with_fit({"weights_file": s.weights_file}, tmp_path).weights_file


def _review_rows(ws) -> list[tuple]:
    """対応表 rows that propose a link: (row cells, 第2期 ID, 第3期 ID)."""
    return [
        (row, row[0].value, row[2].value)
        for row in ws.iter_rows(min_row=2)
        if row[0].value and row[2].value
    ]


def test_fit_learns_from_decisions_applied_from_a_review_workbook(tmp_path):
    """The loop as staff run it: `textkit report` writes the workbook, a reviewer approves one
    link, rejects one and corrects one (openpyxl standing in for Excel), `review apply` records
    them, and `textkit fit mappings/` re-reads the two documents the reviewed map names and fits
    on those decisions: approve = 1 positive, correct = 1 positive + 1 negative, reject = 1
    negative."""
    import openpyxl

    root = Path(__file__).parent.parent
    docs = tmp_path / "docs"
    docs.mkdir()
    old = docs / "otaru_2nd_strategy.md"
    new = docs / "otaru_3rd_measures.csv"
    shutil.copy(root / "corpora" / "otaru_2nd_strategy.md", old)
    shutil.copy(root / "corpora" / "synthetic" / "otaru_3rd_measures.csv", new)
    mappings, book = tmp_path / "mappings", tmp_path / "review.xlsx"
    run = CliRunner().invoke
    r = run(main, ["report", str(old), str(new), "--xlsx", str(book), "--mappings", str(mappings)])
    assert r.exit_code == 0, r.output

    wb = openpyxl.load_workbook(book)
    ws = wb["対応表"]
    decide = [c.value for c in ws[1]].index("確認")
    new_ids = [
        r[1] for r in wb["施策一覧"].iter_rows(min_row=2, values_only=True) if r[0] == "第3期"
    ]
    (approved, _, _), (rejected, _, r_new), (fixed, _, f_new) = _review_rows(ws)[:3]
    approved[decide].value = "承認"
    rejected[decide].value = "却下"
    other = next(n for n in new_ids if n not in (f_new, r_new))
    fixed[2].value = other
    fixed[decide].value = "修正"
    wb.save(book)
    r = run(main, ["review", "apply", str(book), "--mappings", str(mappings)])
    assert r.exit_code == 0, r.output

    r = run(main, ["fit", str(mappings)])
    assert r.exit_code == 0, r.output
    assert "1 reviewed map" in r.output and "1 reviewed maps" not in r.output
    assert "3 decisions (1 approve, 1 correct, 1 reject)" in r.output
    weights = mappings / "align_weights.json"
    fitted = json.loads(weights.read_text(encoding="utf-8"))
    bundled = read_training()
    assert fitted["cells"] == sum(len(d.labels) for d in bundled) + 4
    assert fitted["links"] == _bundled_links() + 2  # the approved link and the corrected one
    assert settings_with_fit(None, mappings).weights_file == str(weights)
    assert not [p.name for p in mappings.iterdir() if p.name.endswith(".tmp")]  # atomic write

    # the documents moved away: a named warning listing them, the fit goes on without the map
    docs.rename(tmp_path / "elsewhere")
    r = run(main, ["fit", str(mappings)])
    assert r.exit_code == 0, r.output
    assert (
        "warning: otaru_2nd_strategy__otaru_3rd_measures.reviewed.csv: skipped, edition "
        in r.output
    )
    assert "otaru_2nd_strategy.md" in r.output and "otaru_3rd_measures.csv" in r.output
    assert "0 reviewed maps" in r.output and "Traceback" not in r.output


def test_rule_calibration_reads_the_same_score_differently_per_rule():
    from textkit.fit import fit_rule_calibration

    # at the same score, mutual bests were mostly right and merges mostly wrong
    samples = [(0.3, "mutual_best", k % 10 != 0) for k in range(40)]
    samples += [(0.3, "merge", k % 10 < 3) for k in range(40)]
    samples += [(0.9, "mutual_best", True)] * 20 + [(0.05, "merge", False)] * 10
    cal = fit_rule_calibration(samples)
    assert cal is not None
    assert cal.probability(0.3, "mutual_best") > 0.7 > 0.45 > cal.probability(0.3, "merge")
    assert cal.probability(0.9, "mutual_best") > cal.probability(0.3, "mutual_best")
    assert 0.0 < cal.probability(0.0, "order_gap") < 1.0  # a rule never seen: the shared curve
    assert fit_rule_calibration([(0.5, "merge", True)] * 3) is None  # nothing to fit


def test_a_fit_written_before_a_signal_existed_is_used_as_fitted_and_named(tmp_path):
    """An upgraded project: mappings/align_weights.json from `textkit fit` before the sentence
    signals were on. align/report must not refuse; the fit is used without the signals it never
    saw (weight 0), and a warning names the file and the re-fit."""
    import warnings as _warnings

    from textkit.errors import TextkitWarning
    from textkit.similarity import weights_for

    bundled = json.loads(
        (Path(__file__).resolve().parent.parent / "textkit/data/align_weights.json").read_text(
            encoding="utf-8"
        )
    )
    enabled = resolve(None).enabled_signals()
    dropped = [n for n in enabled if n.startswith("sentence")]
    assert dropped, "the test needs a bundled signal the old file lacks"
    old = dict(bundled, coef={k: v for k, v in bundled["coef"].items() if k not in dropped})
    old.pop("patterns", None)
    path = tmp_path / "align_weights.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        w = weights_for(resolve({"weights_file": str(path)}))
    assert set(w.coef) == set(enabled)
    assert all(w.coef[n] == 0.0 for n in dropped)
    assert {k: v for k, v in w.coef.items() if k not in dropped} == {
        k: old["coef"][k] for k in enabled if k not in dropped
    }
    messages = [str(c.message) for c in caught if issubclass(c.category, TextkitWarning)]
    assert len(messages) == 1 and str(path) in messages[0] and "textkit fit" in messages[0]
    assert all(n in messages[0] for n in dropped)
