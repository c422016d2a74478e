"""Held-out benchmark: align / KPI audit / compare on data NOT used to write textkit's data files.

    .venv/bin/python scripts/bench_heldout.py            # measure, write reports/bench_heldout.md/.json
    .venv/bin/python scripts/bench_heldout.py --before   # also freeze these figures as "before"

The cases in tests/cases/{align,kpi,compare}_heldout/ were written by hand and committed before any
textkit code ran on them (see their README.md). Figures:

- align, per pair: link P/R/F1 and relation accuracy of ``align_strategies`` (no stated refs) beside
  the naive per-row best match (every OLD measure → its best NEW by word TF-IDF, no thresholds);
- KPI audit, per pair, with the gold measure map and from the KPI tables alone: status accuracy over
  the gold rows, recall of the gold ``dropped`` rows, and false drops (reported dropped, gold not);
- compare: top-3 recall of the known counterpart pairs, both directions.

The "before" figures (reports/bench_heldout_before.json) are the first measurement, taken before any
change made because of these cases; the report always shows them beside the current ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textkit.audit import compare_kpis  # noqa: E402
from textkit.continuity import align_strategies  # noqa: E402
from textkit.counterparts import compare_strategies  # noqa: E402
from textkit.evaluate import evaluate  # noqa: E402
from textkit.formats import read_kpis, read_map, read_measures  # noqa: E402
from textkit.settings import resolve  # noqa: E402
from textkit.sources import strategy_from_kpis  # noqa: E402

CASES = ROOT / "tests" / "cases"
ALIGN = CASES / "align_heldout"
KPI = CASES / "kpi_heldout"
COMPARE = CASES / "compare_heldout"
REPORT = ROOT / "reports" / "bench_heldout.md"
FIGURES = ROOT / "reports" / "bench_heldout.json"
BEFORE = ROOT / "reports" / "bench_heldout_before.json"

# Old and new KPI table of each held-out KPI pair (editions differ per town).
KPI_PAIRS = {
    "yamabe": ("yamabe_1st_kpis.csv", "yamabe_2nd_kpis.csv"),
    "kirigaoka": ("kirigaoka_2nd_kpis.csv", "kirigaoka_3rd_kpis.csv"),
}


def _naive():
    """The per-row best-match baseline of scripts/bench_align.py (one definition, not two)."""
    from scripts import bench_align

    return bench_align.argmax_map, bench_align.NAIVE


def align_figures() -> dict[str, dict[str, float]]:
    argmax_map, naive_weights = _naive()
    settings = resolve()
    out = {}
    for d in sorted(p for p in ALIGN.iterdir() if p.is_dir()):
        old, new = read_measures(d / "old.csv"), read_measures(d / "new.csv")
        ours = evaluate(align_strategies(old, new, use_stated=False), d / "gold.csv")
        naive = evaluate(argmax_map(old, new, settings, naive_weights), d / "gold.csv")
        out[d.name] = {
            "precision": ours.precision,
            "recall": ours.recall,
            "f1": ours.f1,
            "relation_accuracy": ours.relation_accuracy,
            "naive_f1": naive.f1,
            "naive_relation_accuracy": naive.relation_accuracy,
            "gold_links": ours.gold_links,
        }
    return out


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def kpi_figures(
    folder: Path = KPI, pairs: dict[str, tuple[str, str]] = KPI_PAIRS
) -> dict[str, dict[str, float]]:
    """Status accuracy, dropped recall and false drops per KPI pair in ``folder``."""
    out = {}
    for city, (old_file, new_file) in pairs.items():
        old = strategy_from_kpis(read_kpis(folder / old_file), old_file)
        new = strategy_from_kpis(read_kpis(folder / new_file), new_file)
        with open(folder / f"{city}_expected.csv", encoding="utf-8") as f:
            gold = {
                (_key(r["old_name"]), _key(r["new_name"])): r["status"] for r in csv.DictReader(f)
            }
        gold_dropped = {o for (o, n), s in gold.items() if s == "dropped"}
        gold_paired = {(o, n) for (o, n) in gold if o and n}
        measure_map = read_map(folder / f"{city}_measure_map.csv")
        for label, cmap in (("map", measure_map), ("tables", None)):
            audit = compare_kpis(old, new, cmap=cmap)
            got = {(_key(c.old_name), _key(c.new_name)): c.status.value for c in audit.changes}
            dropped = {o for (o, n), s in got.items() if s == "dropped"}
            paired = {(o, n) for (o, n) in got if o and n}
            out[f"{city}/{label}"] = {
                "status_accuracy": sum(got.get(k) == s for k, s in gold.items()) / len(gold),
                "dropped_recall": len(dropped & gold_dropped) / len(gold_dropped),
                "false_drops": len(dropped - gold_dropped),
                # pairings the audit made that the gold does not (an indicator merely sharing a
                # theme paired with another), and gold pairings it did not make
                "false_pairings": len(paired - gold_paired),
                "missed_pairings": len(gold_paired - paired),
                "gold_pairings": len(gold_paired),
                "gold_dropped": len(gold_dropped),
                "rows": len(gold),
            }
    return out


def compare_figures(top: int = 3) -> dict[str, float]:
    docs = {
        p.name.removesuffix("_measures.csv"): read_measures(p)
        for p in COMPARE.glob("*_measures.csv")
    }
    pairs = compare_strategies(sorted(docs.items()), top=top)
    ranked = {(c.a_doc, c.a_id, c.b_doc, c.b_id): c.rank for c in pairs}
    hits = total = rank1 = 0
    with open(COMPARE / "known_pairs.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            for key in (
                (r["a_doc"], r["a_id"], r["b_doc"], r["b_id"]),
                (r["b_doc"], r["b_id"], r["a_doc"], r["a_id"]),
            ):
                total += 1
                rank = ranked.get(key)
                hits += rank is not None and rank <= top
                rank1 += rank == 1
    return {"top3_recall": hits / total, "top1_recall": rank1 / total, "known": total}


def measure() -> dict:
    return {"align": align_figures(), "kpi": kpi_figures(), "compare": compare_figures()}


def _fmt(now: float, before: float | None, digits: int = 3) -> str:
    if before is None:
        return f"{now:.{digits}f}"
    return f"{before:.{digits}f} → **{now:.{digits}f}**"


def render(now: dict, before: dict | None) -> str:
    b = before or {"align": {}, "kpi": {}, "compare": {}}
    lines = [
        "# Held-out benchmark (scripts/bench_heldout.py)",
        "",
        "Cases: tests/cases/{align,kpi,compare}_heldout/ — fictional towns written by hand and committed",
        "before textkit ran on them, without reading the thesaurus, KPI paraphrase data or align.toml.",
        'Cells read `before → **now**`; "before" is the first measurement (reports/bench_heldout_before.json),',
        "taken before any change made because of these cases.",
        "",
        "## Continuity map (align, no stated refs)",
        "",
        "| pair | precision | recall | link F1 | relation acc. | naive F1 | naive rel. acc. |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, f in now["align"].items():
        p = b["align"].get(name, {})
        lines.append(
            f"| {name} | {_fmt(f['precision'], p.get('precision'))} | {_fmt(f['recall'], p.get('recall'))} | "
            f"{_fmt(f['f1'], p.get('f1'))} | {_fmt(f['relation_accuracy'], p.get('relation_accuracy'))} | "
            f"{f['naive_f1']:.3f} | {f['naive_relation_accuracy']:.3f} |"
        )
    mean = sum(f["f1"] for f in now["align"].values()) / len(now["align"])
    bmean = (sum(f["f1"] for f in b["align"].values()) / len(b["align"])) if b["align"] else None
    lines += [f"| **mean** | | | {_fmt(mean, bmean)} | | | |", ""]
    lines += [
        "## KPI audit",
        "",
        "`map` = with the gold measure map; `tables` = KPI tables alone.",
        "",
        "| pair | status accuracy | dropped recall | false drops | gold rows / dropped |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, f in now["kpi"].items():
        p = b["kpi"].get(name, {})
        fd = f"{p['false_drops']} → **{f['false_drops']}**" if p else str(f["false_drops"])
        lines.append(
            f"| {name} | {_fmt(f['status_accuracy'], p.get('status_accuracy'))} | "
            f"{_fmt(f['dropped_recall'], p.get('dropped_recall'))} | {fd} | {f['rows']} / {f['gold_dropped']} |"
        )
    c, pc = now["compare"], b["compare"]
    lines += [
        "",
        "## Cross-city counterparts (compare, top 3)",
        "",
        f"{c['known']} known pair directions (白鷺市 第3期 ↔ 霧ヶ丘市 第3期): top-3 recall "
        f"{_fmt(c['top3_recall'], pc.get('top3_recall'))}, rank-1 {_fmt(c['top1_recall'], pc.get('top1_recall'))}.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--before", action="store_true", help="freeze these figures as the 'before' ones"
    )
    args = ap.parse_args()
    now = measure()
    if args.before:
        BEFORE.write_text(json.dumps(now, ensure_ascii=False, indent=1), encoding="utf-8")
    before = json.loads(BEFORE.read_text(encoding="utf-8")) if BEFORE.exists() else None
    FIGURES.write_text(json.dumps(now, ensure_ascii=False, indent=1), encoding="utf-8")
    text = render(now, before)
    notes = ROOT / "reports" / "bench_heldout_notes.md"
    if notes.exists():
        text += "\n" + notes.read_text(encoding="utf-8")
    REPORT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
