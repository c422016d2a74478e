"""One KPI cell parser: the audit reads a raw cell with ``kpi.parse_cell``, the parser documents
and KPI tables went through, so the same cell has the same comparator on both sides.

Before, audit.py had its own word list (維持 → ``keep``) while textkit.kpi said ``maintain``: an
unchanged 維持 target of a parsed document against a KPI built from its raw cells was reported
``target_changed``.
"""

from __future__ import annotations

import pytest

from textkit.audit import compare_kpis, indicator_features
from textkit.kpi import make_kpi, parse_cell
from textkit.models import KPI, KPIStatus
from textkit.sources import strategy_from_kpis


@pytest.mark.parametrize(
    "cell", ["維持", "現状維持", "基準値を維持", "48%以上", "基準値より増", "1,255 億円"]
)
def test_raw_and_parsed_kpis_read_a_cell_alike(cell):
    parsed = indicator_features(make_kpi("M1", "measure", "市民満足度", "", cell))
    raw = indicator_features(
        KPI(measure_id="M1", level="measure", name="市民満足度", target_raw=cell)
    )
    cell_value = parse_cell(cell)
    assert (raw.comparator, raw.target, raw.unit) == (parsed.comparator, parsed.target, parsed.unit)
    assert raw.comparator == cell_value.comparator


def test_an_unchanged_maintain_target_is_kept():
    old = strategy_from_kpis([make_kpi("M1", "measure", "公園の利用者満足度", "80%", "維持")])
    new = strategy_from_kpis(
        [KPI(measure_id="M1", level="measure", name="公園の利用者満足度", target_raw="維持")]
    )
    (change,) = compare_kpis(old, new).changes
    assert change.status is KPIStatus.KEPT, change
