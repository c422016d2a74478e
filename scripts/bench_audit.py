"""KPI audit benchmark: status accuracy, dropped recall and false drops on every KPI gold pair.

    .venv/bin/python scripts/bench_audit.py      # writes reports/bench_audit.md

Development pairs (tests/cases/kpi: used to write data/kpi_synonyms.csv) and held-out pairs
(tests/cases/kpi_heldout: written before textkit ran on them), rewording (tests/cases/kpi_rewording)
and blind pairs (tests/cases/kpi_blind: written in session 2 before any run), each audited twice: with the gold
measure map (what ``textkit report`` does after aligning) and from the KPI tables alone.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run by path: ``scripts`` (and textkit) import from the repository
CASES = ROOT / "tests" / "cases"
REPORT = ROOT / "reports" / "bench_audit.md"

DEV_PAIRS = {
    "otaru": ("otaru_2nd_kpis.csv", "otaru_3rd_derived_kpis.csv"),
    "minamihama": ("minamihama_2nd_kpis.csv", "minamihama_3rd_kpis.csv"),
}

# Blind KPI pairs (tests/cases/kpi_blind, README there): measured, never tuned on.
BLIND_PAIRS = {
    "hamakaze": ("hamakaze_2nd_kpis.csv", "hamakaze_3rd_kpis.csv"),
    "chitoseno": ("chitoseno_2nd_kpis.csv", "chitoseno_3rd_kpis.csv"),
}


def _heldout_module():
    from scripts import bench_heldout

    return bench_heldout


def main() -> None:
    heldout = _heldout_module()
    start = time.perf_counter()
    sets = {
        "development": heldout.kpi_figures(CASES / "kpi", DEV_PAIRS),
        "held-out": heldout.kpi_figures(),
        # written for #15 before the audit's semantic evidence: rewordings + shared-theme traps
        "rewording": heldout.kpi_figures(
            CASES / "kpi_rewording", {"town": ("town_old_kpis.csv", "town_new_kpis.csv")}
        ),
        # written by hand for #15 (session 2) before the audit ran on them: tests/cases/kpi_blind
        "blind": heldout.kpi_figures(CASES / "kpi_blind", BLIND_PAIRS),
    }
    seconds = time.perf_counter() - start
    lines = [
        "# KPI audit benchmark (scripts/bench_audit.py)",
        "",
        "| set | pair / input | rows | status accuracy | dropped recall | false drops | "
        "false pairings | missed pairings |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, figures in sets.items():
        for pair, f in figures.items():
            lines.append(
                f"| {name} | {pair} | {f['rows']} | {f['status_accuracy']:.3f} | "
                f"{f['dropped_recall']:.3f} ({f['gold_dropped']}) | {f['false_drops']} | "
                f"{f['false_pairings']} | {f['missed_pairings']} ({f['gold_pairings']}) |"
            )
    lines += [
        "",
        f"All {sum(len(f) for f in sets.values())} audits took {seconds:.1f} s (one process).",
        "",
        "`map`: audited with the gold measure map; `tables`: from the KPI tables alone, where the "
        "audit infers the measure correspondence from confident KPI pairs. `false pairings`: "
        "indicators the audit paired that the gold does not pair; `missed pairings`: gold pairs "
        "(kept / target_changed) the audit did not make (gold count in brackets).",
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
