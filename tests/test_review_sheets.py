"""What staff see in the workbooks (issue #12): the KPI監査 sheet filled whenever both sides have
KPIs (the documents' own or KPI tables), the KPI audit workbook of ``kpis-compare -o x.xlsx`` in
Japanese with numbers as numbers, ``result_raw`` kept, 概要 counting measures."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from textkit.cli import main
from textkit.formats import read_kpis

from .conftest import OTARU_MD, TOMAKOMAI_TXT

SYNTHETIC = OTARU_MD.parent / "synthetic"
KPI_CASES = Path(__file__).parent / "cases" / "kpi"


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_kpi_sheet_is_filled_from_a_kpi_table_of_the_new_edition(tmp_path):
    xlsx = tmp_path / "otaru.xlsx"
    _run(
        "report", str(OTARU_MD), str(SYNTHETIC / "otaru_3rd_measures.csv"), "--xlsx", str(xlsx),
        "--new-kpis", str(SYNTHETIC / "otaru_3rd_kpis.csv"), "--mappings", str(tmp_path / "m"),
    )  # fmt: skip
    wb = openpyxl.load_workbook(xlsx)
    rows = list(wb["KPI監査"].iter_rows(min_row=2, values_only=True))
    statuses = {r[0] for r in rows}
    assert len(rows) >= 40 and statuses <= {"継続", "目標変更", "廃止", "新規"}
    assert {"継続", "目標変更", "廃止", "新規"} <= statuses
    overview = dict(r for r in wb["概要"].iter_rows(values_only=True) if r[0])
    assert overview["第2期 施策数"] == 12 and overview["第3期 施策数"] == 15
    assert "施策の区分（対応表の行数）" in overview  # says what it counts


def test_kpi_sheet_says_which_edition_has_no_kpis(tmp_path):
    xlsx = tmp_path / "deck.xlsx"
    _run(
        "report", str(TOMAKOMAI_TXT), str(TOMAKOMAI_TXT), "--xlsx", str(xlsx),
        "--mappings", str(tmp_path / "m"),
    )  # fmt: skip
    rows = list(openpyxl.load_workbook(xlsx)["KPI監査"].iter_rows(min_row=2, values_only=True))
    assert "第2期 の資料に KPI が見つかりません" in rows[0][1] and "--old-kpis" in rows[0][1]


def test_kpis_compare_workbook_is_in_japanese_with_numbers(tmp_path):
    out = tmp_path / "audit.xlsx"
    _run(
        "kpis-compare", str(KPI_CASES / "otaru_2nd_kpis.csv"),
        str(KPI_CASES / "otaru_3rd_derived_kpis.csv"), "-o", str(out),
    )  # fmt: skip
    wb = openpyxl.load_workbook(out)
    ws = wb["KPI監査"]
    header = [c.value for c in ws[1]]
    assert header[:6] == [
        "区分",
        "第2期 指標",
        "第2期 目標値",
        "第3期 指標",
        "第3期 目標値",
        "類似度",
    ]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {"継続", "目標変更", "廃止", "新規"}
    scores = [r[5] for r in rows if r[0] in ("継続", "目標変更")]
    assert scores and all(isinstance(v, (int, float)) for v in scores)  # numbers, not text
    assert ws.auto_filter.ref and ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width > 10
    counts = dict(r for r in wb["概要"].iter_rows(values_only=True) if r[0])
    assert sum(counts[s] for s in ("継続", "目標変更", "廃止", "新規")) == len(rows)
    # CSV stays the contract (formats §4)
    csv = tmp_path / "audit.csv"
    _run("kpis-compare", str(KPI_CASES / "otaru_2nd_kpis.csv"), str(KPI_CASES / "otaru_3rd_derived_kpis.csv"), "-o", str(csv))  # fmt: skip
    assert csv.read_text(encoding="utf-8").startswith("old_name,new_name,status")


def test_result_raw_in_a_kpi_table_is_kept(tmp_path):
    table = tmp_path / "kpis.csv"
    table.write_text(
        "measure_id,level,name,baseline_raw,target_raw,result_raw\n"
        "G1,goal,新規創業者数,43件,50件,最終値 48件\n",
        encoding="utf-8",
    )
    (kpi,) = read_kpis(table)
    assert kpi.result_raw == "最終値 48件"
    out = tmp_path / "out.csv"
    _run("kpis", str(table), "-o", str(out))
    assert "最終値 48件" in out.read_text(encoding="utf-8")
    assert read_kpis(out)[0].result_raw == "最終値 48件"


def _crossings(cmap, old_order, new_order) -> int:
    po = {k: i for i, k in enumerate(old_order)}
    pn = {k: i for i, k in enumerate(new_order)}
    ends = [(po[x.old_id or "（新規）"], pn[x.new_id or "（廃止）"]) for x in cmap.links]
    return sum(
        1 for i, (a, b) in enumerate(ends) for c, d in ends[i + 1 :] if (a - c) * (b - d) < 0
    )


def test_sankey_orders_nodes_so_that_fewer_bands_cross():
    from textkit.continuity import align_strategies
    from textkit.render import natural_key, sankey_figure, sankey_order
    from textkit.sources import load_pair

    from .test_report import tomakomai_map

    for cmap in (
        tomakomai_map(),
        align_strategies(*load_pair(OTARU_MD, SYNTHETIC / "otaru_3rd_measures.csv")),
    ):
        olds, news = sankey_order(cmap)
        natural_old = [
            *sorted({x.old_id for x in cmap.links if x.old_id}, key=natural_key),
            "（新規）",
        ]
        before = _crossings(cmap, natural_old, news)
        after = _crossings(cmap, olds, news)
        print(f"sankey crossings {cmap.new_source}: natural order {before} → {after}")
        assert after <= before
        assert after < before or before == 0
    fig = sankey_figure(tomakomai_map())
    assert set(fig.data[0].node.label) == {""}  # labels are annotations beside the columns
    texts = [a.text for a in fig.layout.annotations if a.name in ("old", "new")]
    assert len(texts) == len(fig.data[0].node.customdata)
    assert {a.xanchor for a in fig.layout.annotations} == {"left", "right"}
    headers = [a.text for a in fig.layout.annotations if a.name == "edition"]
    assert headers == ["<b>第2期</b>", "<b>第3期</b>"]


def test_reports_name_the_pair_by_city_and_editions(tmp_path):
    xlsx, html = tmp_path / "deck.xlsx", tmp_path / "deck.html"
    args = ["report", str(TOMAKOMAI_TXT), str(TOMAKOMAI_TXT), "--mappings", str(tmp_path / "m")]
    _run(*args, "--xlsx", str(xlsx), "--html", str(html))
    overview = dict(r for r in openpyxl.load_workbook(xlsx)["概要"].iter_rows(values_only=True))
    assert overview["対象"] == "苫小牧市 第2期 → 第3期"  # the deck states 第3期; it lists 第2期
    assert "<h1>施策の継続状況: 苫小牧市 第2期 → 第3期</h1>" in html.read_text(encoding="utf-8")
    other = tmp_path / "other.xlsx"
    _run(*args, "--xlsx", str(other), "--old-label", "第1期", "--new-label", "第2期")
    overview = dict(r for r in openpyxl.load_workbook(other)["概要"].iter_rows(values_only=True))
    assert overview["対象"] == "苫小牧市 第1期 → 第2期"


def test_the_workbook_shows_what_the_audit_decided_about_dropped_kpis_measures(tmp_path):
    """One rule for "does a dropped KPI's measure continue" (audit.measure_continuation). KPI
    tables without a measure map: the audit cannot tell for 北しりべし定住自立圏… (measure G4-M4,
    no other KPI of it paired) and says so; the workbook used to decide by a rule of its own
    (measure absent from the empty map → いいえ), contradicting the audit in the same row."""
    old, new = str(KPI_CASES / "otaru_2nd_kpis.csv"), str(KPI_CASES / "otaru_3rd_derived_kpis.csv")
    xlsx, csv_path = tmp_path / "audit.xlsx", tmp_path / "audit.csv"
    _run("kpis-compare", old, new, "-o", str(xlsx))
    _run("kpis-compare", old, new, "-o", str(csv_path))
    import csv

    with csv_path.open(encoding="utf-8") as f:
        dropped = [r for r in csv.DictReader(f) if r["status"] == "dropped"]
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["KPI監査"]
    header = [c.value for c in ws[1]]
    name_col = next(i for i, h in enumerate(header) if h.endswith("指標") and i == 1)
    cont_col = header.index("施策は継続")
    shown = {
        r[name_col]: r[cont_col] or "" for r in ws.iter_rows(min_row=2, values_only=True)
        if r[0] == "廃止"
    }  # fmt: skip
    words = {"true": "はい", "false": "いいえ", "": ""}
    assert shown == {r["old_name"]: words[r["measure_continues"]] for r in dropped}
    unknown = next(r for r in dropped if r["old_name"].startswith("北しりべし定住自立圏"))
    assert unknown["measure_continues"] == "" and "継続は不明" in unknown["note"]
    overview = dict(r for r in wb["概要"].iter_rows(values_only=True) if r[0])
    continuing = sum(r["measure_continues"] == "true" for r in dropped)
    assert overview["廃止KPIのうち施策は継続"] == continuing
    unknown_count = sum(r["measure_continues"] == "" for r in dropped)
    assert overview["廃止KPIのうち施策の継続は不明"] == unknown_count >= 1
