"""``textkit kpis-compare`` keeps a project's reviewed decisions as ``align`` and ``report`` do
(session 4 left: it computed the measure map without them, so an audit said 「施策は継続 だが
KPIは廃止」 for a KPI whose measure the staff had decided was dropped). ``--map`` gives the map
itself: with ``--mappings`` too it is refused in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from textkit.audit import compare_kpis
from textkit.cli import main
from textkit.formats import write_audit, write_map
from textkit.pipeline import align
from textkit.sources import load_kpi_source

OTARU = Path(__file__).resolve().parent.parent / "corpora" / "otaru_2nd_strategy.md"
pytestmark = pytest.mark.filterwarnings("ignore::textkit.errors.TextkitWarning")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Otaru's 第2期 as OLD; NEW the same plan with G1-M1's 製造業の付加価値額 replaced by another
    KPI; a reviewed decision (written by hand, as a CSV under mappings/) that G1-M1 was dropped."""
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    shutil.copy(OTARU, old)
    new.write_text(
        OTARU.read_text(encoding="utf-8").replace("製造業の付加価値額", "工場の新規立地件数"),
        encoding="utf-8",
    )
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "old__new.reviewed.csv").write_text(
        "old_id,old_title,new_id,new_title,relation,decision\nG1-M1,,,,dropped,correct\n",
        encoding="utf-8",
    )
    return tmp_path


def _audit_csv(project: Path, *args: str) -> list[str]:
    out = project / "audit.csv"
    result = CliRunner().invoke(
        main,
        ["kpis-compare", str(project / "old.md"), str(project / "new.md"), "-o", str(out), *args],
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8").splitlines()


def test_kpis_compare_keeps_the_reviewed_decisions(project: Path, monkeypatch) -> None:
    monkeypatch.chdir(project)
    lines = _audit_csv(project)  # --mappings defaults to mappings/, as for align
    (dropped,) = [x for x in lines if x.startswith("製造業の付加価値額,")]
    assert "施策ごと廃止 (G1-M1)" in dropped and "施策は継続" not in dropped
    # the audit is the one of the map align makes with the same folder
    old, new = load_kpi_source(project / "old.md"), load_kpi_source(project / "new.md")
    decided = compare_kpis(old, new, cmap=align(old, new, mappings_dir=project / "mappings"))
    write_audit(decided, project / "decided.csv")
    assert lines == (project / "decided.csv").read_text(encoding="utf-8").splitlines()
    # another folder without decisions: the computed map says G1-M1 continues
    (project / "other").mkdir()
    (elsewhere,) = [
        x
        for x in _audit_csv(project, "--mappings", str(project / "other"))
        if x.startswith("製造業の付加価値額,")
    ]
    assert "施策は継続 (G1-M1 → G1-M1) だがKPIは廃止" in elsewhere


def test_a_mappings_folder_that_does_not_exist_is_named(project: Path, monkeypatch) -> None:
    """As for align and corpus build (a typo would give an audit as if nothing was reviewed)."""
    monkeypatch.chdir(project)
    args = ["kpis-compare", "old.md", "new.md", "-o", "a.csv", "--mappings", "mapping"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "--mappings mapping: no such folder" in result.output
    assert "mappings/ here holds reviewed maps" in result.output


def test_a_given_map_with_mappings_is_refused_in_one_line(project: Path) -> None:
    cmap = project / "map.csv"
    write_map(align(project / "old.md", project / "new.md"), cmap)
    args = ["kpis-compare", str(project / "old.md"), str(project / "new.md"), "--map", str(cmap)]
    refused = CliRunner().invoke(main, [*args, "--mappings", str(project / "mappings")])
    assert refused.exit_code == 2
    (line,) = refused.output.strip().splitlines()
    assert "--map is the measure map itself" in line
    assert CliRunner().invoke(main, args).exit_code == 0  # --map alone, as before
