"""Benchmark the aligner: quality on the gold pairs and speed at scale.

    .venv/bin/python scripts/bench_align.py              # quality (modes A/B/C) + 5,000 × 5,000
    .venv/bin/python scripts/bench_align.py --calibrate  # grid search of weights and thresholds
    .venv/bin/python scripts/bench_align.py --no-scale   # skip the scale run

Prints, per gold pair in tests/cases/align/, link P/R/F1 and relation accuracy of textkit's map
WITHOUT stated refs, beside two baselines: `naive` = every OLD measure linked to its best NEW by
word TF-IDF of title + description (per-row argmax, no thresholds), and `argmax` = per-row argmax of
textkit's own combined score (what the global assignment adds). Writes reports/bench_align.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textkit.continuity import _complete, align_strategies, link_measures  # noqa: E402
from textkit.evaluate import evaluate  # noqa: E402
from textkit.formats import read_measures  # noqa: E402
from textkit.models import ContinuityMap, Measure, Strategy  # noqa: E402
from textkit.settings import SIGNALS, resolve  # noqa: E402
from textkit.similarity import featurize, pair_signals  # noqa: E402

CASES = ROOT / "tests" / "cases" / "align"


def load_cases() -> list[tuple[str, Strategy, Strategy, Path]]:
    out = []
    for d in sorted(p for p in CASES.iterdir() if p.is_dir()):
        out.append(
            (d.name, read_measures(d / "old.csv"), read_measures(d / "new.csv"), d / "gold.csv")
        )
    return out


def argmax_map(old: Strategy, new: Strategy, settings, signal_weights=None) -> ContinuityMap:
    """Per-row best match: every OLD measure linked to its single best NEW, no thresholds."""
    s = settings if signal_weights is None else settings.replace(**signal_weights)
    f = featurize(old.measures, new.measures, s)
    pairs = []
    for i, o in enumerate(old.measures):
        sig = [pair_signals(f, i, j, s) for j in range(len(new.measures))]
        w = s.weights()
        tot = [sum(w[k] * v for k, v in x.items()) for x in sig]
        j = int(np.argmax(tot))
        pairs.append((o, new.measures[j], tot[j], (), "similarity"))
    return ContinuityMap(
        old.source, new.source, tuple(_complete(pairs, old.measures, new.measures))
    )


NAIVE = {f"w_{n}": 0.0 for n in SIGNALS} | {"w_full_word": 1.0}


def quality(settings, label: str) -> tuple[list[str], float]:
    rows = []
    f1s = []
    for name, old, new, gold in load_cases():
        ours = evaluate(align_strategies(old, new, settings=settings, use_stated=False), gold)
        naive = evaluate(argmax_map(old, new, settings, NAIVE), gold)
        amax = evaluate(argmax_map(old, new, settings), gold)
        f1s.append(ours.f1)
        rows.append(
            f"| {label} | {name} | {ours.precision:.3f} | {ours.recall:.3f} | **{ours.f1:.3f}** | "
            f"{ours.relation_accuracy:.3f} | {naive.f1:.3f} ({naive.correct_links}/{naive.gold_links}) | "
            f"{naive.relation_accuracy:.3f} | {amax.f1:.3f} |"
        )
    return rows, float(np.mean(f1s))


# ── calibration: signals computed once per pair, decisions re-run per configuration ──


def calibrate(base) -> list[tuple[float, dict]]:
    everything = base.replace(**{f"w_{n}": 1.0 for n in SIGNALS})
    prepared = []
    for name, old, new, gold in load_cases():
        f = featurize(old.measures, new.measures, everything)
        sig = {
            (i, j): pair_signals(f, i, j, everything)
            for i in range(len(old.measures))
            for j in range(len(new.measures))
        }
        prepared.append((name, old, new, gold, f, sig))
    grid_w = {
        "title_word": (0.0, 1.0),
        "full_word": (0.5, 1.0),
        "char": (0.0, 0.5, 1.0),
        "fuzz_title": (0.0, 0.5),
        "concept": (0.0, 0.5, 1.0, 2.0),
        "synonym": (0.0, 0.5),
        "goal": (0.0, 0.3),
    }
    grid_t = {
        "min_link": (0.1, 0.15, 0.2),
        "min_secondary": (0.1, 0.15, 0.2),
        "secondary_ratio": (0.3, 0.45, 0.6),
    }
    results = []
    keys_w, keys_t = list(grid_w), list(grid_t)
    for wv in itertools.product(*grid_w.values()):
        w = dict(zip(keys_w, wv, strict=True))
        tot = sum(w.values())
        combined = [
            {k: sum(w[n] * v for n, v in s.items()) / tot for k, s in sig.items()}
            for *_, sig in prepared
        ]
        for tv in itertools.product(*grid_t.values()):
            t = dict(zip(keys_t, tv, strict=True))
            s = dataclasses.replace(base, **t)
            f1s = []
            for (_name, old, new, gold, f, _), sc in zip(prepared, combined, strict=True):
                props = link_measures(f, sc, len(old.measures), len(new.measures), s)
                pairs = [
                    (old.measures[p.old], new.measures[p.new], p.score, p.terms, "similarity")
                    for p in props
                ]
                cm = ContinuityMap("", "", tuple(_complete(pairs, old.measures, new.measures)))
                f1s.append(evaluate(cm, gold).f1)
            results.append(
                (float(np.mean(f1s)), min(f1s), {**{f"w_{k}": v for k, v in w.items()}, **t}, f1s)
            )
    results.sort(key=lambda r: (-r[0], -r[1]))
    return results


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
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--no-scale", action="store_true")
    ap.add_argument("--scale-n", type=int, default=5000)
    args = ap.parse_args()
    base = resolve(None)
    if args.calibrate:
        res = calibrate(base)
        for mean, worst, cfg, f1s in res[:25]:
            print(f"{mean:.3f} min {worst:.3f} {[round(x, 3) for x in f1s]} {cfg}")
        return
    lines = ["# Alignment benchmark (scripts/bench_align.py)", ""]
    lines += ["Quality on the gold pairs in tests/cases/align/, maps made WITHOUT stated refs.", ""]
    lines += [
        "| mode | pair | precision | recall | F1 | relation acc. | naive F1 (links) | naive rel. acc. | argmax F1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    means = {}
    for mode in ("A", "B", "C"):
        rows, mean = quality(base.replace(split_mode=mode), mode)
        lines += rows
        means[mode] = mean
    lines += [
        "",
        "Mean F1 by split mode: " + ", ".join(f"{m} {v:.3f}" for m, v in means.items()),
        "",
    ]
    # what each signal adds: drop one at a time (mode from settings)
    lines += ["## Ablation (mean link F1 over the pairs when one signal is switched off)", ""]
    lines += ["| signal off | mean F1 |", "| --- | --- |"]
    _, full = quality(base, base.split_mode)
    lines.append(f"| (none) | {full:.3f} |")
    for n in SIGNALS:
        if getattr(base, f"w_{n}") == 0:
            _, on = quality(base.replace(**{f"w_{n}": 0.5}), base.split_mode)
            lines.append(f"| {n} is off by default; switched ON at 0.5 | {on:.3f} |")
            continue
        if sum(getattr(base, f"w_{k}") > 0 for k in SIGNALS) == 1:
            continue
        _, off = quality(base.replace(**{f"w_{n}": 0.0}), base.split_mode)
        lines.append(f"| {n} | {off:.3f} |")
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
