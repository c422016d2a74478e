"""``make demo`` end to end on a copy of the bundled corpus; its outputs are golden files.

The committed ``mappings/*.csv`` and ``reports/*.csv|.xlsx`` are what ``make demo`` writes; a change
of behaviour shows up here as a diff (regenerate with ``make demo`` and review the diff).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from textkit.cli import main
from textkit.demo import run_demo

from .conftest import ROOT


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(
        ROOT / "corpora", root / "corpora", ignore=shutil.ignore_patterns("*_x10.pdf", "*.duckdb")
    )
    messages: list[str] = []
    run_demo(root, progress=messages.append)
    assert messages, "the demo reports its progress"
    return root


GOLDEN = sorted(
    str(p.relative_to(ROOT))
    for pattern in (
        "mappings/*.csv",
        "reports/*.xlsx",
        "reports/otaru_kpi_audit.csv",
        "reports/themes*.csv",
    )
    for p in ROOT.glob(pattern)
    if not p.name.endswith(".reviewed.csv")
)


def test_demo_ends_by_naming_the_workbook_and_report_to_open_first(demo_root: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--root", str(demo_root)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last == (
        "open first: reports/tomakomai_2nd_to_3rd.xlsx and reports/tomakomai_2nd_to_3rd.html"
    )


def test_demo_writes_every_golden_file(demo_root: Path) -> None:
    assert len(GOLDEN) >= 15
    written = {str(p.relative_to(demo_root)) for p in demo_root.rglob("*") if p.is_file()}
    assert set(GOLDEN) <= written


@pytest.mark.parametrize("name", GOLDEN)
def test_demo_output_matches_golden(demo_root: Path, name: str) -> None:
    assert (demo_root / name).read_bytes() == (ROOT / name).read_bytes(), (
        f"{name} differs from the committed file: run `make demo`, review the diff, commit"
    )


def test_demo_html_reports_are_self_contained(demo_root: Path) -> None:
    for name in ("tomakomai_2nd_to_3rd.html", "otaru_2nd_to_3rd_synthetic.html"):
        html = (demo_root / "reports" / name).read_text(encoding="utf-8")
        # Nothing is loaded from elsewhere (plotly.js is inline; its bundled code merely names a
        # topojson URL used by geo maps, which these reports do not have).
        assert "<script src=" not in html and '<link rel="stylesheet" href="http' not in html
        # The report's own Sankey figure: a div and its newPlot call with a sankey trace (the
        # word alone also occurs inside the inlined plotly.js, so it proves nothing).
        assert '<div id="sankey" class="plotly-graph-div"' in html
        plot = re.search(r'Plotly\.newPlot\(\s*"sankey",\s*\[\{(.*?)\}\]', html, re.S)
        assert plot is not None and '"type":"sankey"' in plot.group(1)


def test_demo_progress_lines_do_not_end_in_a_source_path(monkeypatch, tmp_path):
    """rich's log lines ended in ``cli.py:123`` (where the log call is), which means nothing to a
    user watching ``make demo``."""

    def fake_demo(root: Path, progress) -> list[Path]:
        progress("aligning the editions")
        return []

    monkeypatch.setattr("textkit.demo.run_demo", fake_demo)
    result = CliRunner().invoke(main, ["demo", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "aligning the editions" in result.output
    assert "cli.py" not in result.output and ".py:" not in result.output
