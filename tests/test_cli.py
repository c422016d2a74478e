"""CLI behaviours users rely on: every command has --help; odd inputs give one-line errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from textkit.cli import main

from .conftest import ROOT

CORPORA = ROOT / "corpora"
CASES = ROOT / "tests" / "cases"

COMMANDS = [
    ["extract"], ["parse"], ["kpis"], ["align"], ["evaluate"], ["kpis-compare"], ["report"],
    ["review", "apply"], ["compare"], ["attainment"], ["themes"], ["corpus", "build"], ["corpus", "query"],
    ["demo"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command != ["demo"]:
        assert "Example" in result.output or "example" in result.output


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_kpis_reads_a_kpi_table_and_refuses_a_table_without_kpis() -> None:
    code, out = _run("kpis", str(CORPORA / "synthetic" / "otaru_3rd_kpis.csv"))
    assert code == 0
    assert out.splitlines()[1].startswith("G2,goal,観光客の消費額,")
    code, out = _run("kpis", str(CORPORA / "synthetic" / "otaru_3rd_measures.csv"))
    assert code == 2 and out.startswith("error:") and len(out.strip().splitlines()) == 1


def test_evaluate_maps_of_different_documents_is_an_error() -> None:
    code, out = _run(
        "evaluate", str(CASES / "align" / "kitahama" / "gold.csv"),
        str(CASES / "align" / "otaru" / "gold.csv"),
    )  # fmt: skip
    assert code == 2
    assert "share no measure id" in out


def test_evaluate_prints_scores() -> None:
    gold = str(CASES / "align" / "otaru" / "gold.csv")
    code, out = _run("evaluate", gold, gold)
    assert code == 0
    assert "1.000" in out


def test_usage_errors_are_one_line(tmp_path):
    """click's usage block + "Error: No such option" came out instead of the README's one-line
    ``error: …``; ``corpus build -o`` is now the --db option, as -o is the output elsewhere."""
    result = CliRunner().invoke(main, ["corpus", "build", "--out", "x.duckdb"])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: No such option") and "corpus build --help" in line
    assert ". (see" not in line
    missing = CliRunner().invoke(main, ["parse"])
    assert missing.exit_code == 2 and len(missing.output.strip().splitlines()) == 1
    assert missing.output.startswith("error: Missing argument"), missing.output
    top = CliRunner().invoke(main, ["--bogus"])
    assert top.exit_code == 2 and top.output.startswith("error: No such option"), top.output
    index = tmp_path / "none.csv"
    aliased = CliRunner().invoke(main, ["corpus", "build", str(index), "-o", str(tmp_path / "c")])
    assert aliased.exit_code == 2 and "No such option" not in aliased.output, aliased.output
    assert str(index) in aliased.output
