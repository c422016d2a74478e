"""A --mappings folder typed wrong (hU5 trial, /work/wt/hU5-findings.md U10): `textkit align OLD NEW
--mappings mapping` (for mappings/) wrote a map as if nothing had been reviewed, without a word —
every decision staff made missing from the output. A folder given on the command line that does
not exist is named in a warning (pointing at mappings/ when that holds reviewed maps); left at
its default, a folder not there yet (a project before any review) says nothing."""

from __future__ import annotations

from click.testing import CliRunner

from textkit.cli import main

from .conftest import TOMAKOMAI_TXT


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_mappings_folder_that_does_not_exist_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mappings").mkdir()  # where the decisions really are
    result = _run("align", TOMAKOMAI_TXT, TOMAKOMAI_TXT, "-o", "m.csv", "--mappings", "mapping")
    assert result.exit_code == 0, result.output
    (said,) = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert "--mappings mapping: no such folder, so no reviewed decision is kept" in said
    assert "mappings/ here holds reviewed maps" in said


def test_the_default_folder_not_there_yet_says_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _run("align", TOMAKOMAI_TXT, TOMAKOMAI_TXT, "-o", "m.csv")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_corpus_build_names_it_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TOMAKOMAI_TXT.read_text("utf-8"), "utf-8")
    (tmp_path / "index.csv").write_text("path,city,kind,source\na.txt,x,text,test\n", "utf-8")
    result = _run(
        "corpus", "build", "index.csv", "-o", "c.duckdb", "--workers", "1", "--mappings", "nope"
    )
    assert result.exit_code == 0, result.output
    assert "warning: --mappings nope: no such folder" in result.output
