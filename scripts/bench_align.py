"""Benchmark the aligner: leave-one-pair-out quality on the gold pairs, blind pairs, scale.

    .venv/bin/python scripts/bench_align.py --fit       # re-fit the bundled weights first
    .venv/bin/python scripts/bench_align.py             # quality + 5,000 × 5,000 scale run
    .venv/bin/python scripts/bench_align.py --no-scale  # skip the scale run

Gold pairs: tests/cases/align (3) and tests/cases/align_heldout (3). Each pair is aligned with
signal weights fitted WITHOUT it (logistic regression on the other five pairs' labelled cells:
leave-one-pair-out), in four set-ups: every signal; the thesaurus emptied (its signal off and no
groups in the part-of check); the semantic signal (shipped word vectors) off; both off. Maps are
made WITHOUT stated refs. Blind pairs (tests/cases/align_blind, written before any tuning for #15)
are aligned with the weights fitted on all six gold pairs, beside their "before" figures
(reports/bench_align_blind_before.json, measured on the aligner before #15).

``--fit`` writes textkit/data/align_training.csv (per-signal scores of every labelled cell of the
six gold pairs) and textkit/data/align_weights.json (the logistic regression on them).
Writes reports/bench_align.md.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textkit.continuity import _complete, align_strategies  # noqa: E402
from textkit.evaluate import evaluate  # noqa: E402
from textkit.fit import fit_weights, label_cells, training_csv, weights_json  # noqa: E402
from textkit.formats import read_map, read_measures  # noqa: E402
from textkit.models import ContinuityMap, Measure, Strategy  # noqa: E402
from textkit.settings import SIGNALS, resolve  # noqa: E402
from textkit.similarity import featurize, pair_signals, weights_for  # noqa: E402

CASES = ROOT / "tests" / "cases"
GOLD_SETS = ("align", "align_heldout")
BLIND = CASES / "align_blind"
BEFORE = ROOT / "reports" / "bench_align_blind_before.json"
DATA = ROOT / "textkit" / "data"


def pair_dirs(*sets: str) -> list[Path]:
    return [d for s in sets for d in sorted((CASES / s).iterdir()) if d.is_dir()]


def load_cases(sets=GOLD_SETS) -> list[tuple[str, Strategy, Strategy, Path]]:
    return [
        (d.name, read_measures(d / "old.csv"), read_measures(d / "new.csv"), d / "gold.csv")
        for d in pair_dirs(*sets)
    ]


def argmax_map(old: Strategy, new: Strategy, settings, signal_weights=None) -> ContinuityMap:
    """Per-row best match: every OLD measure linked to its single best NEW, no thresholds."""
    s = settings if signal_weights is None else settings.replace(**signal_weights)
    f = featurize(old.measures, new.measures, s)
    w = weights_for(s)
    pairs = []
    for i, o in enumerate(old.measures):
        tot = [float(w.logit(pair_signals(f, i, j))) for j in range(len(new.measures))]
        j = int(np.argmax(tot))
        pairs.append((o, new.measures[j], tot[j], (), "similarity"))
    return ContinuityMap(
        old.source, new.source, tuple(_complete(pairs, old.measures, new.measures))
    )


# the naive baseline: word TF-IDF of title + description only
NAIVE = {f"w_{n}": 0.0 for n in SIGNALS} | {"w_full_word": 1.0, "part_word_cosine": 0.0}


# ── set-ups and leave-one-pair-out ──────────────────────────────────────────


def empty_thesaurus() -> str:
    path = Path(tempfile.gettempdir()) / "textkit_bench_empty_thesaurus.csv"
    path.write_text("group,terms\nnone,\u3000never-matches\u3000\n", encoding="utf-8")
    return str(path)


def setups() -> dict[str, dict]:
    no_thes = {"w_concept": 0.0, "thesaurus": empty_thesaurus()}
    no_sem = {"w_semantic_title": 0.0, "w_semantic_cross": 0.0, "part_word_cosine": 0.0}
    return {
        "all signals": {},
        "thesaurus emptied": no_thes,
        "no semantic": no_sem,
        "neither": {**no_thes, **no_sem},
    }


def labelled(cases, settings):
    return {
        name: label_cells(name, old.measures, new.measures, read_map(gold), settings)
        for name, old, new, gold in cases
    }


def leave_one_out(settings, cases) -> dict[str, object]:
    names = settings.enabled_signals()
    lab = labelled(cases, settings)
    out = {}
    for name, old, new, gold in cases:
        w = fit_weights([v for k, v in lab.items() if k != name], names, f"all but {name}")
        cm = align_strategies(old, new, settings=settings.replace(fitted=w), use_stated=False)
        out[name] = evaluate(cm, gold)
    return out


def fit_bundled(base) -> None:
    """Write the bundled training rows and weights from the six gold pairs."""
    cases = load_cases()
    names = base.enabled_signals()
    lab = list(labelled(cases, base).values())
    w = fit_weights(lab, names, "gold pairs: " + " ".join(c[0] for c in cases))
    (DATA / "align_training.csv").write_text(training_csv(lab, names), encoding="utf-8")
    n_cells = sum(len(d.labels) for d in lab)
    n_links = int(sum(int(d.labels.sum()) for d in lab))
    (DATA / "align_weights.json").write_text(weights_json(w, n_cells, n_links), encoding="utf-8")
    print("fitted:", w.intercept, w.coef)


# ── scale ────────────────────────────────────────────────────────────────────

VOCAB = [
    "子育て",
    "保育",
    "結婚",
    "出会い",
    "移住",
    "定住",
    "観光",
    "交流人口",
    "関係人口",
    "企業誘致",
    "立地",
    "創業",
    "起業",
    "事業承継",
    "就職",
    "雇用",
    "防災",
    "災害",
    "公共交通",
    "バス",
    "鉄道",
    "脱炭素",
    "再生可能エネルギー",
    "健康",
    "検診",
    "介護予防",
    "教育",
    "学校",
    "学力",
    "デジタル",
    "オンライン",
    "高齢者",
    "見守り",
    "農業",
    "漁業",
    "水産",
    "商店街",
    "販路",
    "ブランド",
    "港湾",
    "歴史",
    "文化",
    "景観",
    "住宅",
    "空き家",
    "除雪",
    "医療",
    "スポーツ",
    "ボランティア",
    "町内会",
    "女性",
    "若者",
    "学生",
    "インターンシップ",
    "情報発信",
    "相談",
    "助成",
    "医療費",
    "給食費",
]


def synthetic(n: int, seed: int, prefix: str) -> Strategy:
    rnd = random.Random(seed)
    ms = []
    for k in range(n):
        words = rnd.sample(VOCAB, 6)
        title = f"{words[0]}と{words[1]}の推進"
        text = "、".join(f"{w}に関する取組" for w in words[2:]) + "を進めます。"
        ms.append(Measure(id=f"{prefix}{k}", title=title, goal=f"基本目標{k % 4 + 1}", text=text))
    return Strategy(source=prefix, measures=tuple(ms))


def scale(n: int) -> str:
    old, new = synthetic(n, 1, "O"), synthetic(n, 2, "N")
    t0 = time.perf_counter()
    cm = align_strategies(old, new, use_stated=False)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"| {n:,} × {n:,} | {dt:.1f} s | {peak:.0f} MB | {len(cm.links):,} rows |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", action="store_true", help="re-fit the bundled weights first")
    ap.add_argument("--no-scale", action="store_true")
    ap.add_argument("--scale-n", type=int, default=5000)
    args = ap.parse_args()
    base = resolve(None)
    if args.fit:
        fit_bundled(base)
    cases = load_cases()
    lines = ["# Alignment benchmark (scripts/bench_align.py)", ""]
    lines += [
        "## Leave-one-pair-out link F1 (gold pairs, maps WITHOUT stated refs)",
        "",
        "Each pair is aligned with weights fitted on the other five pairs only. "
        "`thesaurus emptied`: concept signal off and no thesaurus groups in the part-of check; "
        "`no semantic`: shipped word vectors off (signals and part-of check).",
        "",
    ]
    names = [c[0] for c in cases]
    lines += ["| set-up | " + " | ".join(names) + " | mean | min |"]
    lines += ["| --- |" + " --- |" * (len(names) + 2)]
    figures = {}
    for label, change in setups().items():
        res = leave_one_out(base.replace(**change), cases)
        f1 = [res[n].f1 for n in names]
        figures[label] = res
        lines.append(
            f"| {label} | "
            + " | ".join(f"{x:.3f}" for x in f1)
            + f" | **{np.mean(f1):.3f}** | {min(f1):.3f} |"
        )
    lines += [
        "",
        "Relation accuracy (all signals): "
        + ", ".join(f"{n} {figures['all signals'][n].relation_accuracy:.3f}" for n in names),
        "",
    ]
    # blind pairs: shipped weights (fitted on all six gold pairs)
    before = json.loads(BEFORE.read_text(encoding="utf-8")) if BEFORE.is_file() else {}
    lines += [
        "## Blind pairs (tests/cases/align_blind: written before tuning; never fitted on)",
        "",
        "Bundled weights (fitted on the six gold pairs). before = the aligner when the pair was "
        "written: asanagi and washinosawa before #15 (main b7bd3dc, weighted mean of signals, no "
        "word vectors); chitoseno, ishikura and hamakaze at the start of session 2 (textkit/ at "
        "10326ff; `tool_commit` in reports/bench_align_blind_before.json).",
        "",
        "| pair | set-up | F1 before | F1 now | precision | recall | relation acc. before → now |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    blind = load_cases(("align_blind",))
    for label, key, change in (
        ("all signals", "with_thesaurus", {}),
        ("thesaurus emptied", "no_thesaurus", setups()["thesaurus emptied"]),
    ):
        s = base.replace(**change)
        if change:  # the ablation's own fit on all six gold pairs
            lab = list(labelled(cases, s).values())
            s = s.replace(fitted=fit_weights(lab, s.enabled_signals(), label))
        for name, old, new, gold in blind:
            r = evaluate(align_strategies(old, new, settings=s, use_stated=False), gold)
            b = before.get(name, {}).get(key, {})
            lines.append(
                f"| {name} | {label} | {b.get('f1', float('nan')):.3f} | **{r.f1:.3f}** | "
                f"{r.precision:.3f} | {r.recall:.3f} | "
                f"{b.get('relation_accuracy', float('nan')):.3f} → {r.relation_accuracy:.3f} |"
            )
    w = weights_for(base)
    lines += [
        "",
        "## Bundled weights (textkit/data/align_weights.json)",
        "",
        f"Fitted on: {w.source}. Intercept {w.intercept:.3f}.",
        "",
        "| signal | coefficient (logit per unit of score) |",
        "| --- | --- |",
        *(f"| {n} | {c:.3f} |" for n, c in w.coef.items()),
    ]
    lines += [
        "",
        "## Notes",
        "",
        "- Thresholds (min_link, min_secondary, secondary_ratio, contained_ratio) were chosen once "
        "by a grid on these six pairs' leave-one-pair-out maps (textkit/data/align.toml), so the "
        "table above is leave-one-out for the weights but not for those four numbers.",
        '- The blind pairs were written and measured ("before") before any of this was tuned; '
        "they were run after each change but never used to choose anything.",
        "- chitoseno (paraphrases re-framed around new policy words, theme-word traps), ishikura "
        "(merges 2→1 / 3→1, splits, a many-to-many group, measures moved between goals) and "
        "hamakaze (mixed mid-sized city, with KPI tables in tests/cases/kpi_blind) were written by "
        "hW in session 2 and frozen by scripts/bench_blind_before.py before anyone tuned on them "
        "(tests/cases/align_blind/README.md); their before errors: reports/bench_align_blind_notes.md.",
        "- Tomakomai (the one real published correspondence; its old side has titles only) is the "
        "weak pair: the weighted mean calibrated on it reached 0.914 in-sample, the fitted model "
        "0.727 left out / 0.80 in-sample. Its misses are loose correspondences the deck states "
        "(広域連携事業 → 地元の特徴を生かした魅力の向上, 縁結び → 結婚: cosine 0.13).",
        "- semantic_cross (one title against the other's full text, both ways) replaced a full-text "
        "against full-text cosine: same mean with every signal, 0.880 → 0.898 with the thesaurus "
        "emptied.",
    ]
    if not args.no_scale:
        lines += ["", "## Scale (synthetic measures, one process)", ""]
        lines += ["| size | time | peak RSS | map rows |", "| --- | --- | --- | --- |"]
        lines.append(scale(args.scale_n))
    text = "\n".join(lines) + "\n"
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench_align.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
