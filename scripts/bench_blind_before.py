"""Freeze the "before" figures of newly written blind pairs (run once, before any tuning on them).

    # session 2's round (chitoseno, ishikura, hamakaze) → reports/bench_align_blind_before.json
    .venv/bin/python scripts/bench_blind_before.py chitoseno ishikura hamakaze
    # session 3's round: its own file and a notes file with every miss
    .venv/bin/python scripts/bench_blind_before.py kotakano ashido seoto \
        --out reports/bench_blind_session3_before.json --notes reports/bench_blind_session3_notes.md
    # session 4's round (hoshimine: title-only old edition; kaminomori: 4-level large city)
    .venv/bin/python scripts/bench_blind_before.py hoshimine kaminomori \
        --out reports/bench_blind_session4_before.json --notes reports/bench_blind_session4_notes.md
    # session 5's round (kirinoe: paraphrases, titles-only NEW edition; akanegawa: 1(ア) → 1-1-1)
    .venv/bin/python scripts/bench_blind_before.py kirinoe akanegawa \
        --out reports/bench_blind_session5_before.json --notes reports/bench_blind_session5_notes.md

For each named pair in tests/cases/align_blind: link precision / recall / F1 and relation accuracy
of the aligner as it stands (bundled weights; maps WITHOUT stated refs), in the set-ups of
scripts/bench_align.py (every signal; the thesaurus emptied; the semantic signal off; both off —
each ablation with its own fit on the six gold pairs), exactly as the blind section of
scripts/bench_align.py computes them. The figures are merged into ``--out`` (default
reports/bench_align_blind_before.json, the first round's file; existing entries are kept; a pair
already there is refused unless --overwrite), with the commit they were measured on and the last
commit that changed textkit/ (the code measured). For a pair that also has KPI tables in
tests/cases/kpi_blind, the KPI audit figures of scripts/bench_audit.py (status accuracy, dropped
recall, false drops, false and missed pairings; with the gold measure map and from the tables
alone) are stored under ``kpi``. ``--notes FILE`` writes every miss (missed / false links, wrong
relations; false drops, false and missed KPI pairings) as Markdown.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_align, bench_audit, bench_heldout  # noqa: E402
from textkit.audit import compare_kpis  # noqa: E402
from textkit.continuity import align_strategies  # noqa: E402
from textkit.evaluate import evaluate  # noqa: E402
from textkit.fit import fit_weights  # noqa: E402
from textkit.formats import read_kpis, read_map, read_measures  # noqa: E402
from textkit.models import ContinuityMap  # noqa: E402
from textkit.settings import resolve  # noqa: E402
from textkit.similarity import load_weights  # noqa: E402
from textkit.sources import strategy_from_kpis  # noqa: E402

KPI_BLIND = bench_align.CASES / "kpi_blind"
# scripts/bench_align.py's set-up label → the key its figures are stored under (the first two
# keys are the ones the first rounds stored)
SETUP_KEYS = {
    "all signals": "with_thesaurus",
    "thesaurus emptied": "no_thesaurus",
    "no semantic": "no_semantic",
    "neither": "neither",
    # only when the bundled settings have a sentence signal on (bench_align.setups)
    "no sentence encoder": "no_sentence",
}


def _commit(*path: str) -> str:
    """The (short) commit HEAD is at, or the last one that changed ``path``."""
    out = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h", "--", *path],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "unknown"


def link_misses(cmap: ContinuityMap, gold: ContinuityMap) -> dict[str, list[str]]:
    """Every gold link the map lacks, every link it makes that the gold does not, and every gold
    row whose relation it states otherwise (one readable line each)."""
    got = {(x.old_id, x.new_id): x for x in cmap.links}
    ref = {(x.old_id, x.new_id): x for x in gold.links}

    def name(i: str, t: str) -> str:
        return f"{i} {t}" if i else "—"

    def made(x) -> str:
        score = "" if x.score is None else f" {x.score:.2f}"
        rule = f" ({x.rule.value})" if x.rule is not None else ""
        return f"{x.relation.value}{score}{rule}"

    old_fate: dict[str, list[str]] = {x.old_id: [] for x in cmap.links if x.old_id}
    new_fate: dict[str, list[str]] = {x.new_id: [] for x in cmap.links if x.new_id}
    for x in cmap.links:
        if x.old_id:
            old_fate[x.old_id].append(x.new_id or "dropped")
        if x.new_id:
            new_fate[x.new_id].append(x.old_id or "new")
    out: dict[str, list[str]] = {"missed": [], "false": [], "relation": []}
    for key, x in ref.items():
        if x.old_id and x.new_id and key not in got:
            out["missed"].append(
                f"{name(x.old_id, x.old_title)} → {name(x.new_id, x.new_title)} "
                f"({x.relation.value}); the map sends the old one to "
                f"{', '.join(old_fate.get(x.old_id, ['?']))} and takes the new one from "
                f"{', '.join(new_fate.get(x.new_id, ['?']))}"
            )
        elif key in got and got[key].relation != x.relation:
            out["relation"].append(
                f"{name(x.old_id, x.old_title)} → {name(x.new_id, x.new_title)}: gold "
                f"{x.relation.value}, map {made(got[key])}"
            )
        elif key not in got:  # a gold new / dropped row the map does not have
            out["relation"].append(
                f"{name(x.old_id, x.old_title)} → {name(x.new_id, x.new_title)}: gold "
                f"{x.relation.value}, not in the map"
            )
    for key, x in got.items():
        if x.old_id and x.new_id and key not in ref:
            out["false"].append(
                f"{name(x.old_id, x.old_title)} → {name(x.new_id, x.new_title)} as {made(x)}"
            )
    return out


def align_before(
    names: list[str],
) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, dict[str, dict[str, list[str]]]]]:
    base = resolve(None)
    cases = bench_align.load_cases()
    out: dict[str, dict[str, dict[str, float]]] = {n: {} for n in names}
    misses: dict[str, dict[str, dict[str, list[str]]]] = {n: {} for n in names}
    setups = bench_align.setups(base)
    for label, key in SETUP_KEYS.items():
        if label not in setups:
            continue
        change = setups[label]
        s = base.replace(**change)
        bundled = load_weights(s.weights_file).coef
        if change or any(n not in bundled for n in s.enabled_signals()):
            # the ablation's (or an experiment's) own fit on all six gold pairs, exactly as
            # bench_align.blind_figures fits it (title-only copies, pooling)
            prepared = bench_align.prepare(cases, s)
            lab = [x for p in prepared for x in (p.lab, *p.copies)]
            s = s.replace(
                fitted=fit_weights(lab, s.enabled_signals(), label, pool_main=bench_align.pooled(s))
            )
        for name in names:
            d = bench_align.BLIND / name
            old, new = read_measures(d / "old.csv"), read_measures(d / "new.csv")
            cmap = align_strategies(old, new, settings=s, use_stated=False)
            r = evaluate(cmap, d / "gold.csv")
            out[name][key] = {
                "precision": round(r.precision, 3),
                "recall": round(r.recall, 3),
                "f1": round(r.f1, 3),
                "relation_accuracy": round(r.relation_accuracy, 3),
                "gold_links": r.gold_links,
                "predicted_links": r.predicted_links,
                "correct_links": r.correct_links,
            }
            misses[name][key] = link_misses(cmap, read_map(d / "gold.csv"))
    return out, misses


def kpi_misses(folder: Path, city: str, files: tuple[str, str]) -> dict[str, dict[str, list[str]]]:
    """Per input mode (``map``, ``tables``): the false drops, false pairings, missed pairings and
    wrong statuses of the KPI audit, counted exactly as bench_heldout.kpi_figures counts them."""
    key = bench_heldout._key
    old_file, new_file = files
    old = strategy_from_kpis(read_kpis(folder / old_file), old_file)
    new = strategy_from_kpis(read_kpis(folder / new_file), new_file)
    with open(folder / f"{city}_expected.csv", encoding="utf-8") as f:
        gold = {(key(r["old_name"]), key(r["new_name"])): r["status"] for r in csv.DictReader(f)}
    gold_dropped = {o for (o, n), s in gold.items() if s == "dropped"}
    gold_paired = {(o, n): s for (o, n), s in gold.items() if o and n}
    # what the gold says of each indicator: "dropped", "new", or "<status> with <other>"
    says_old = {o: f"{s} with {n}" if n else s for (o, n), s in gold.items() if o}
    says_new = {n: f"{s} with {o}" if o else s for (o, n), s in gold.items() if n}
    out: dict[str, dict[str, list[str]]] = {}
    for label, cmap in (("map", read_map(folder / f"{city}_measure_map.csv")), ("tables", None)):
        audit = compare_kpis(old, new, cmap=cmap)
        got = {(key(c.old_name), key(c.new_name)): c for c in audit.changes}
        did_old = {o: _did(c, c.new_name) for (o, n), c in got.items() if o}
        did_new = {n: _did(c, c.old_name) for (o, n), c in got.items() if n}
        out[label] = {
            "false_drops": [
                f"{o} (gold: {says_old.get(o, '?')}; the audit made the new one "
                f"{did_new.get(says_old.get(o, '').split(' with ', 1)[-1], '?')})"
                for (o, n), c in got.items()
                if c.status.value == "dropped" and o not in gold_dropped
            ],
            "false_pairings": [
                f"{o} ⇄ {n} as {_did(c, '')} (gold: old one {says_old.get(o, '?')}; new one "
                f"{says_new.get(n, '?')})"
                for (o, n), c in got.items()
                if o and n and (o, n) not in gold_paired
            ],
            "missed_pairings": [
                f"{o} ⇄ {n} ({s}); the audit made the old one {did_old.get(o, '?')}, the new one "
                f"{did_new.get(n, '?')}"
                for (o, n), s in gold_paired.items()
                if (o, n) not in got
            ],
            "wrong_status": [
                f"{o} ⇄ {n}: gold {s}, audit {got[(o, n)].status.value}"
                for (o, n), s in gold_paired.items()
                if (o, n) in got and got[(o, n)].status.value != s
            ],
        }
    return out


def _did(change, other: str) -> str:
    """One KPI audit row as read from one side: its status, score and the indicator it paired."""
    score = "" if change.score is None else f" {change.score:.2f}"
    paired = f" with {other}" if change.old_name and change.new_name and other else ""
    return f"{change.status.value}{score}{paired}"


def notes_markdown(
    names: list[str],
    entries: dict[str, dict],
    misses: dict[str, dict[str, dict[str, list[str]]]],
    kpi_miss: dict[str, dict[str, dict[str, list[str]]]],
) -> str:
    labels = {v: k for k, v in SETUP_KEYS.items()}
    first = entries[names[0]]
    lines = [
        f'# Blind pairs {", ".join(names)} — "before" (scripts/bench_blind_before.py)',
        "",
        f"Measured at {first['measured_on']} (main plus these cases; textkit/ as last changed in "
        f"{first['tool_commit']}), before any tuning on these cases; gold written by hand and "
        "committed before textkit ran "
        "on them (tests/cases/align_blind/README.md, tests/cases/kpi_blind/README.md). Bundled "
        "weights and thresholds, maps WITHOUT stated refs; each ablation with its own fit on the "
        "six gold pairs, as scripts/bench_align.py's blind section. Generated by the script; not "
        "edited by hand.",
        "",
        "## Continuity maps",
        "",
        "| pair | set-up | gold links | predicted | correct | precision | recall | F1 | "
        "relation acc. |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in names:
        for key, label in labels.items():
            if key not in entries[n]:
                continue
            f = entries[n][key]
            lines.append(
                f"| {n} | {label} | {f['gold_links']} | {f['predicted_links']} | "
                f"{f['correct_links']} | {f['precision']:.3f} | {f['recall']:.3f} | "
                f"**{f['f1']:.3f}** | {f['relation_accuracy']:.3f} |"
            )
    kpi_rows = [(n, m) for n in names for m in ("map", "tables") if n in kpi_miss]
    if kpi_rows:
        lines += [
            "",
            "## KPI audits (tests/cases/kpi_blind)",
            "",
            "| pair | input | rows | status accuracy | dropped recall | false drops | "
            "false pairings | missed pairings |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for n, m in kpi_rows:
            f = entries[n]["kpi"][m]
            lines.append(
                f"| {n} | {m} | {f['rows']} | {f['status_accuracy']:.3f} | "
                f"{f['dropped_recall']:.3f} ({f['gold_dropped']}) | **{f['false_drops']}** | "
                f"**{f['false_pairings']}** | {f['missed_pairings']} ({f['gold_pairings']}) |"
            )
    lines += ["", "## Every miss", ""]
    for n in names:
        lines += [f"### {n}", ""]
        for key, label in labels.items():
            if key in misses[n]:
                lines += _miss_lines(label, misses[n][key])
        for mode in ("map", "tables") if n in kpi_miss else ():
            lines += _miss_lines(f"KPI audit, {mode}", kpi_miss[n][mode])
    return "\n".join(lines).rstrip() + "\n"


MISS_HEADINGS = {
    "missed": "missed gold link",
    "false": "link the gold does not have",
    "relation": "gold row with another relation",
    "false_drops": "false drop",
    "false_pairings": "false pairing",
    "missed_pairings": "missed pairing",
    "wrong_status": "paired, wrong status",
}


def _miss_lines(label: str, misses: dict[str, list[str]]) -> list[str]:
    if not any(misses.values()):
        return [f"- {label}: no miss", ""]
    items = [f"  - {MISS_HEADINGS[k]}: {x}" for k, xs in misses.items() for x in xs]
    return [f"- {label}:", *items, ""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", help="pair folders under tests/cases/align_blind")
    ap.add_argument("--overwrite", action="store_true", help="replace a pair already frozen")
    ap.add_argument(
        "--out",
        type=Path,
        default=bench_align.FIRST,
        help=f"the round's before file (default reports/{bench_align.FIRST.name})",
    )
    ap.add_argument("--notes", type=Path, help="write every miss of these pairs here (Markdown)")
    args = ap.parse_args()
    out: Path = args.out if args.out.is_absolute() else Path.cwd() / args.out
    before = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    taken = [n for n in args.pairs if n in before]
    if taken and not args.overwrite:
        sys.exit(f"already frozen (use --overwrite): {', '.join(taken)}")
    figures, misses = align_before(args.pairs)
    kpi_pairs = {n: f for n, f in bench_audit.blind_kpi_pairs().items() if n in args.pairs}
    kpi = bench_heldout.kpi_figures(KPI_BLIND, kpi_pairs) if kpi_pairs else {}
    kpi = {k: {n: round(v, 3) for n, v in f.items()} for k, f in kpi.items()}
    kpi_miss = {n: kpi_misses(KPI_BLIND, n, f) for n, f in kpi_pairs.items()}
    commit, tool = _commit(), _commit("textkit")
    for name in args.pairs:
        # tool_commit: the last commit that changed textkit/ (the code measured)
        entry = {"measured_on": commit, "tool_commit": tool, **figures[name]}
        own = {k.split("/", 1)[1]: v for k, v in kpi.items() if k.split("/", 1)[0] == name}
        if own:
            entry["kpi"] = own
        before[name] = entry
    out.write_text(json.dumps(before, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.notes:
        args.notes.write_text(
            notes_markdown(args.pairs, before, misses, kpi_miss), encoding="utf-8"
        )
    print(json.dumps({n: before[n] for n in args.pairs}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
