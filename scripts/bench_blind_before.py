"""Freeze the "before" figures of newly written blind pairs (run once, before any tuning on them).

    .venv/bin/python scripts/bench_blind_before.py chitoseno ishikura hamakaze

For each named pair in tests/cases/align_blind: link precision / recall / F1 and relation accuracy
of the aligner as it stands (bundled weights; maps WITHOUT stated refs), once with every signal and
once with the thesaurus emptied (its own fit on the six gold pairs), exactly as the blind section
of scripts/bench_align.py computes them. The figures are merged into
reports/bench_align_blind_before.json (existing entries are kept; a pair already there is refused
unless --overwrite), with the commit they were measured on and the last commit that changed
textkit/ (the code measured). For a pair that also has KPI tables in
tests/cases/kpi_blind, the KPI audit figures of scripts/bench_audit.py (status accuracy, dropped
recall, false drops, false and missed pairings; with the gold measure map and from the tables
alone) are stored under ``kpi``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_align, bench_audit, bench_heldout  # noqa: E402
from textkit.continuity import align_strategies  # noqa: E402
from textkit.evaluate import evaluate  # noqa: E402
from textkit.fit import fit_weights  # noqa: E402
from textkit.formats import read_measures  # noqa: E402
from textkit.settings import resolve  # noqa: E402

KPI_BLIND = bench_align.CASES / "kpi_blind"


def _commit(*path: str) -> str:
    """The (short) commit HEAD is at, or the last one that changed ``path``."""
    out = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h", "--", *path],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "unknown"


def align_before(names: list[str]) -> dict[str, dict[str, dict[str, float]]]:
    base = resolve(None)
    cases = bench_align.load_cases()
    out: dict[str, dict[str, dict[str, float]]] = {n: {} for n in names}
    for key, change in (
        ("with_thesaurus", {}),
        ("no_thesaurus", bench_align.setups()["thesaurus emptied"]),
    ):
        s = base.replace(**change)
        if change:  # the ablation's own fit on all six gold pairs, as bench_align does
            lab = list(bench_align.labelled(cases, s).values())
            s = s.replace(fitted=fit_weights(lab, s.enabled_signals(), "thesaurus emptied"))
        for name in names:
            d = bench_align.BLIND / name
            old, new = read_measures(d / "old.csv"), read_measures(d / "new.csv")
            r = evaluate(align_strategies(old, new, settings=s, use_stated=False), d / "gold.csv")
            out[name][key] = {
                "precision": round(r.precision, 3),
                "recall": round(r.recall, 3),
                "f1": round(r.f1, 3),
                "relation_accuracy": round(r.relation_accuracy, 3),
                "gold_links": r.gold_links,
                "predicted_links": r.predicted_links,
                "correct_links": r.correct_links,
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", help="pair folders under tests/cases/align_blind")
    ap.add_argument("--overwrite", action="store_true", help="replace a pair already frozen")
    args = ap.parse_args()
    before = (
        json.loads(bench_align.BEFORE.read_text(encoding="utf-8"))
        if bench_align.BEFORE.is_file()
        else {}
    )
    taken = [n for n in args.pairs if n in before]
    if taken and not args.overwrite:
        sys.exit(f"already frozen (use --overwrite): {', '.join(taken)}")
    figures = align_before(args.pairs)
    kpi_pairs = {n: f for n, f in bench_audit.BLIND_PAIRS.items() if n in args.pairs}
    kpi = bench_heldout.kpi_figures(KPI_BLIND, kpi_pairs) if kpi_pairs else {}
    kpi = {k: {n: round(v, 3) for n, v in f.items()} for k, f in kpi.items()}
    commit, tool = _commit(), _commit("textkit")
    for name in args.pairs:
        # tool_commit: the last commit that changed textkit/ (the code measured)
        entry = {"measured_on": commit, "tool_commit": tool, **figures[name]}
        own = {k.split("/", 1)[1]: v for k, v in kpi.items() if k.split("/", 1)[0] == name}
        if own:
            entry["kpi"] = own
        before[name] = entry
    bench_align.BEFORE.write_text(
        json.dumps(before, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(json.dumps({n: before[n] for n in args.pairs}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
