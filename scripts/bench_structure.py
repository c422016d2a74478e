"""Structure benchmark: textkit.parse on the layout zoo vs each document's gold structure.

In: ``corpora/zoo/*.pdf`` with their ``*.gold.json`` (written from the plan), the second batch
``corpora/zoo2`` (gold typed by hand before any run), the third ``corpora/zoo3`` (blind: written
after the parser learned zoo2), zoo4, the blind ``corpora/zoo5`` of session 3, zoo6 (each made by
``make zoo…`` from its spec ``scripts/zoo/zoo1.py`` … ``zoo6.py``), the bundled
corpus, and, where present, ``../shared/real/otoineppu_population_vision_2015.pdf`` (not a strategy).
Out: ``reports/bench_structure.md`` (and ``--json`` for a machine-readable copy) with, per document:
goals (gold titles found exactly), measure titles exact, duplicate measures, items and KPI rows found
vs gold, sample KPI values exact (value, unit, Western years).

    .venv/bin/python scripts/bench_structure.py [--label after] [--json reports/bench_structure.json]

Targets (issue #11): all goals, ≥ 95 % measure titles exact, no duplicates, items ±10 %, KPI rows
±5 %, sample KPI values exact.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import textkit  # noqa: E402
from textkit.errors import TextkitError  # noqa: E402
from textkit.normalize import normalize_chars  # noqa: E402

ZOO = ROOT / "corpora" / "zoo"
ZOO2 = ROOT / "corpora" / "zoo2"
# (directory, heading, the "before" run of that batch: its verdicts are shown beside today's)
BATCHES = [
    (ZOO, "First batch (corpora/zoo)", ROOT / "reports" / "bench_structure_before.json"),
    (
        ZOO2,
        "Second batch (corpora/zoo2, gold typed by hand before any run)",
        ROOT / "reports" / "bench_structure_zoo2_before.json",
    ),
    (
        ROOT / "corpora" / "zoo3",
        "Third batch (corpora/zoo3, blind: written after the zoo2 fixes, gold typed before any run)",
        ROOT / "reports" / "bench_structure_zoo3_before.json",
    ),
    (
        ROOT / "corpora" / "zoo4",
        "Fourth batch (corpora/zoo4, blind: written after the zoo3 fixes, gold typed before any run)",
        ROOT / "reports" / "bench_structure_zoo4_before.json",
    ),
    (
        ROOT / "corpora" / "zoo5",
        "Fifth batch (corpora/zoo5, blind: written in session 3 before any run, gold from the plan)",
        ROOT / "reports" / "bench_structure_zoo5_before.json",
    ),
    (
        ROOT / "corpora" / "zoo6",
        "Sixth batch (corpora/zoo6, blind: written after the zoo5 fixes, before any run)",
        ROOT / "reports" / "bench_structure_zoo6_before.json",
    ),
    (
        ROOT / "corpora" / "zoo7",
        "Seventh batch (corpora/zoo7, blind: written in session 4 before any run)",
        ROOT / "reports" / "bench_structure_zoo7_before.json",
    ),
    (
        ROOT / "corpora" / "zoo8",
        "Eighth batch (corpora/zoo8, blind: written after the zoo7 fixes, before any run)",
        ROOT / "reports" / "bench_structure_zoo8_before.json",
    ),
    (
        ROOT / "corpora" / "zoo9",
        "Ninth batch (corpora/zoo9, blind: written in session 5 before any run, A4 pages)",
        ROOT / "reports" / "bench_structure_zoo9_before.json",
    ),
    (
        ROOT / "corpora" / "zoo10",
        "Tenth batch (corpora/zoo10, blind: written after the zoo9 fixes, before any run)",
        ROOT / "reports" / "bench_structure_zoo10_before.json",
    ),
]
REAL = ROOT.parent.parent / "shared" / "real"
if not REAL.exists():
    REAL = Path("/work/shared/real")
NOT_STRATEGIES = [
    "otoineppu_population_vision_2015.pdf",
    "otoineppu_kouhou_2022-02.pdf",
    "otoineppu_kouhou_2023-04.pdf",
]


def norm(text: str) -> str:
    return re.sub(r"\s+", "", normalize_chars(text or ""))


def score(path: Path, gold: dict) -> dict:
    row: dict = {"document": path.name}
    try:
        s = textkit.parse(path)
    except TextkitError as exc:
        row["error"] = str(exc).splitlines()[0].replace(f"{path}: ", "")[:120]
        s = None
    gold_goals = [norm(g) for g in gold["goals"]]
    gold_measures = [norm(m["title"]) for m in gold["measures"]]
    row["goals_gold"] = len(gold_goals)
    row["measures_gold"] = len(gold_measures)
    row["items_gold"] = sum(m["items"] for m in gold["measures"])
    row["kpis_gold"] = gold["measure_kpis"]
    row["goal_kpis_gold"] = gold["goal_kpis"]
    row["samples_gold"] = len(gold["samples"])
    absent = {norm(a) for a in gold.get("absent", [])}
    if s is None:
        row.update(
            goals=0,
            goals_found=0,
            measures=0,
            measures_exact=0,
            duplicates=0,
            items=0,
            kpis=0,
            goal_kpis=0,
            samples=0,
        )
        return row
    found_goals = [norm(g.title) for g in s.goals]
    row["goals_found"] = len(found_goals)
    row["goals"] = sum(1 for g in gold_goals if g in found_goals)
    titles = [norm(m.title) for m in s.measures]
    row["measures"] = len(titles)
    row["measures_exact"] = sum(1 for t in gold_measures if t in titles)
    row["duplicates"] = sum(n - 1 for n in Counter(titles).values() if n > 1)
    row["items"] = sum(len(m.items) for m in s.measures)
    row["kpis"] = sum(len(m.kpis) for m in s.measures)
    row["goal_kpis"] = sum(len(g.kpis) for g in s.goals)
    kpis = {norm(k.name): k for k in s.kpis}
    if absent:  # lines that must be neither a measure title nor a KPI name (a 合計 row)
        names = [norm(k.name) for m in s.measures for k in m.kpis]
        names += [norm(k.name) for g in s.goals for k in g.kpis]
        row["absent_found"] = sorted(
            {t for t in titles + names if any(t.startswith(a) for a in absent)}
        )
    ok = 0
    misses = []
    for want in gold["samples"]:
        k = kpis.get(norm(want["name"]))
        got = (
            None
            if k is None
            else {
                "baseline_value": k.baseline_value,
                "target_value": k.target_value,
                "unit": normalize_chars(k.unit),
                "baseline_year": k.baseline_year,
                "target_year": k.target_year,
            }
        )
        expect = {
            x: want[x]
            for x in ("baseline_value", "target_value", "unit", "baseline_year", "target_year")
        }
        if got == expect:
            ok += 1
        else:
            misses.append(f"{want['name']}: {got}")
    row["samples"] = ok
    row["sample_misses"] = misses
    return row


def verdict(r: dict) -> str:
    if "error" in r:
        return "error"
    fails = []
    if r["goals"] < r["goals_gold"]:
        fails.append("goals")
    if r["measures_exact"] < 0.95 * r["measures_gold"]:
        fails.append("measures")
    if r["duplicates"]:
        fails.append("dups")
    if abs(r["items"] - r["items_gold"]) > 0.10 * r["items_gold"]:
        fails.append("items")
    found, want = r["kpis"] + r["goal_kpis"], r["kpis_gold"] + r["goal_kpis_gold"]
    if abs(found - want) > 0.05 * want:
        fails.append("KPIs")
    if r["samples"] < r["samples_gold"]:
        fails.append("samples")
    if r.get("absent_found"):
        fails.append("total rows")
    return "ok" if not fails else "miss: " + ", ".join(fails)


def bundled() -> list[str]:
    out = []
    for name in (
        "otaru_2nd_strategy.md",
        "otaru_2nd_strategy.pdf",
        "tomakomai_3rd_deck.pdf",
        "tomakomai_3rd_deck_2024.txt",
    ):
        s = textkit.parse(ROOT / "corpora" / name)
        items = sum(len(m.items) for m in s.measures)
        refs = sum(len(m.refs) for m in s.measures)
        out.append(
            f"| {name} | {len(s.goals)} | {len(s.measures)} | {items} | {len(s.kpis)} | {refs} |"
        )
    return out


def not_strategies() -> list[str]:
    out = []
    for name in NOT_STRATEGIES:
        path = REAL / name
        if not path.exists():
            out.append(f"| {name} | skipped: {REAL} absent | |")
            continue
        try:
            s = textkit.parse(path)
            out.append(
                f"| {name} | parsed as a strategy ({len(s.goals)} goals, {len(s.measures)} measures) | wrong |"
            )
        except TextkitError as exc:
            msg = str(exc).splitlines()[0].replace(f"{path}: ", "")
            out.append(f"| {name} | {type(exc).__name__}: {msg[:160]} | refused |")
    return out


HEADER = [
    "| document | goals | measures exact | dup | items | KPIs | goal KPIs | samples | verdict |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
]


def table_row(r: dict) -> str:
    if "error" in r:
        return (
            f"| {r['document']} | 0/{r['goals_gold']} | 0/{r['measures_gold']} | - | "
            f"0/{r['items_gold']} | 0/{r['kpis_gold']} | 0/{r['goal_kpis_gold']} | "
            f"0/{r['samples_gold']} | error: {r['error']} |"
        )
    return (
        f"| {r['document']} | {r['goals']}/{r['goals_gold']} ({r['goals_found']}) | "
        f"{r['measures_exact']}/{r['measures_gold']} ({r['measures']}) | {r['duplicates']} | "
        f"{r['items']}/{r['items_gold']} | {r['kpis']}/{r['kpis_gold']} | "
        f"{r['goal_kpis']}/{r['goal_kpis_gold']} | {r['samples']}/{r['samples_gold']} | {verdict(r)} |"
    )


def before_section(rows: list[dict], before_path: Path) -> list[str]:
    """Each document's "before" run beside today's."""
    before = {r["document"]: r for r in json.loads(before_path.read_text(encoding="utf-8"))}
    lines = [
        f"Before ({before_path.name}) → now:",
        "",
        "| document | measures exact | items | KPIs (+ goal) | samples | before | now |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        b = before.get(r["document"])
        if b is None:
            continue
        lines.append(
            f"| {r['document']} | {b['measures_exact']} → {r['measures_exact']}/{r['measures_gold']} | "
            f"{b['items']} → {r['items']}/{r['items_gold']} | "
            f"{b['kpis'] + b['goal_kpis']} → {r['kpis'] + r['goal_kpis']}/"
            f"{r['kpis_gold'] + r['goal_kpis_gold']} | {b['samples']} → {r['samples']}/{r['samples_gold']} | "
            f"{verdict(b)} | {verdict(r)} |"
        )
    return [*lines, ""]


def score_batch(zoo: Path) -> list[dict]:
    rows = []
    for gold_path in sorted(zoo.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        rows.append(score(zoo / gold["document"], gold) | {"family": gold["family"]})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--label", default="current", help="column label, e.g. before / after")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_structure.md")
    ap.add_argument(
        "--json",
        type=Path,
        default=None,
        help="write each batch's rows as JSON: PATH for the first batch, PATH_zoo2 … PATH_zoo10 for the others",
    )
    args = ap.parse_args()
    lines = [
        f"# bench_structure ({args.label})",
        "",
        "textkit.parse on the layout zoos (corpora/zoo … corpora/zoo10, made by `make zoo` … `make zoo10`)",
        "against each document's gold structure. goals: gold goal titles found exactly (found in all);",
        "measures: gold measure titles found exactly / gold (found in all); items, KPIs: measure-level",
        "rows found / gold; goal KPIs: 数値目標 rows found / gold (the KPI target, ±5 %, is on both",
        "together); samples: sample KPIs whose value, unit and Western years are all exact.",
        "",
    ]
    all_rows = []
    for n, (zoo, heading, before_path) in enumerate(BATCHES):
        rows = score_batch(zoo)
        all_rows += rows
        passed = sum(1 for r in rows if verdict(r) == "ok")
        lines += [f"## {heading}", "", *HEADER, *(table_row(r) for r in rows)]
        lines += ["", f"{passed} of {len(rows)} documents meet every target.", ""]
        out_json = None
        if args.json:
            suffix = "" if n == 0 else f"_{zoo.name}"
            out_json = args.json.with_stem(args.json.stem + suffix)
            out_json.write_text(
                json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        if before_path.exists() and before_path != out_json:
            lines += before_section(rows, before_path)
    lines += ["## Families", "", "| document | family |", "| --- | --- |"]
    lines += [f"| {r['document']} | {r['family']} |" for r in all_rows]
    misses = [(r["document"], m) for r in all_rows for m in r.get("sample_misses", [])]
    if misses:
        lines += ["", "## Sample KPI values not exact", ""]
        lines += [f"- {d}: {m}" for d, m in misses]
    totals = [(r["document"], t) for r in all_rows for t in r.get("absent_found", [])]
    if totals:
        lines += ["", "## Total rows read as a measure or a KPI", ""]
        lines += [f"- {d}: {t}" for d, t in totals]
    lines += ["", "## Not a strategy", "", "| document | textkit says | |", "| --- | --- | --- |"]
    lines += not_strategies()
    lines += [
        "",
        "## Bundled corpus (must not change)",
        "",
        "| document | goals | measures | items | KPIs | refs |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += bundled()
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
