"""Fit the signal weights from labelled pairs: gold maps and reviewed decisions → ``SignalWeights``.

What goes in: labelled measure pairs — every (OLD, NEW) cell of an edition pair whose map is known
(a gold case, or the measures a reviewer decided under ``mappings/``), labelled 1 when the map links
them and 0 otherwise — as per-signal scores (``similarity.signal_scores``). What comes out: a
logistic regression over those scores (scikit-learn), i.e. ``SignalWeights`` whose probability a
reviewer can read: among pairs scored 0.8, about 8 in 10 were links.

The bundled weights (``textkit/data/align_weights.json``) are fitted on the rows of
``textkit/data/align_training.csv`` (the gold pairs of tests/cases/align and align_heldout, written
by ``scripts/bench_align.py --fit``). ``textkit fit mappings/`` adds every reviewed map found there
whose two measure tables sit beside it, and writes ``mappings/align_weights.json``, which
``textkit align --mappings mappings/`` then uses.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .errors import SettingsError
from .models import ContinuityMap, Measure
from .settings import AlignSettings
from .similarity import SignalWeights, featurize, signal_scores

TRAINING_FILE = "data/align_training.csv"
# Inverse regularisation strength of the logistic regression. Scores are 0–1 and the labelled
# cells number thousands, so a mild penalty only keeps rare perfectly-separating signals finite.
REGULARISATION_C = 10.0
WEIGHTS_NAME = "align_weights.json"


@dataclass(frozen=True)
class Labelled:
    """Per-signal scores of labelled cells of one edition pair."""

    pair: str
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]
    scores: dict[str, np.ndarray]
    labels: np.ndarray  # 1 = linked in the map, 0 = not


def label_cells(
    pair: str,
    old: Sequence[Measure],
    new: Sequence[Measure],
    cmap: ContinuityMap,
    settings: AlignSettings,
    *,
    decided_only: bool = False,
) -> Labelled:
    """Every OLD × NEW cell of a pair, scored by every enabled signal and labelled from ``cmap``.
    ``decided_only`` keeps only cells whose OLD or NEW measure the map decides (reviewed maps)."""
    links = {(x.old_id, x.new_id) for x in cmap.links if x.old_id and x.new_id}
    decided = {x.old_id for x in cmap.links if x.old_id} | {x.new_id for x in cmap.links}
    cells = [
        (i, j)
        for i in range(len(old))
        for j in range(len(new))
        if not decided_only or old[i].id in decided or new[j].id in decided
    ]
    rows = np.array([i for i, _ in cells], dtype=np.int64)
    cols = np.array([j for _, j in cells], dtype=np.int64)
    f = featurize(old, new, settings)
    labels = np.array([(old[i].id, new[j].id) in links for i, j in cells], dtype=np.int8)
    return Labelled(
        pair,
        tuple(old[i].id for i, _ in cells),
        tuple(new[j].id for _, j in cells),
        signal_scores(f, rows, cols),
        labels,
    )


def fit_weights(
    data: Iterable[Labelled],
    names: Sequence[str],
    source: str = "",
    *,
    c: float = REGULARISATION_C,
) -> SignalWeights:
    """Logistic regression of the labels on the named signals' scores (``c``: inverse
    regularisation strength)."""
    from sklearn.linear_model import LogisticRegression

    data = list(data)
    if not data:
        raise SettingsError("no labelled pairs to fit weights on")
    x = np.vstack([np.column_stack([d.scores[n] for n in names]) for d in data])
    y = np.concatenate([d.labels for d in data])
    if y.min() == y.max():
        raise SettingsError("the labelled pairs need both links and non-links to fit weights")
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    coef = {n: round(float(c), 4) for n, c in zip(names, model.coef_[0], strict=True)}
    return SignalWeights(round(float(model.intercept_[0]), 4), coef, source)


def weights_json(w: SignalWeights, n_cells: int, n_links: int) -> str:
    return (
        json.dumps(
            {
                "intercept": w.intercept,
                "coef": w.coef,
                "fitted_on": w.source,
                "cells": n_cells,
                "links": n_links,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ── the bundled training rows ───────────────────────────────────────────────


def training_csv(data: Iterable[Labelled], names: Sequence[str]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["pair", "old_id", "new_id", "label", *names])
    for d in data:
        for k in range(len(d.labels)):
            scores = [f"{float(d.scores[n][k]):.4f}" for n in names]
            w.writerow([d.pair, d.old_ids[k], d.new_ids[k], int(d.labels[k]), *scores])
    return out.getvalue()


def read_training(text: str | None = None) -> list[Labelled]:
    """The bundled training rows (or ``text`` in the same CSV layout), one ``Labelled`` per pair."""
    if text is None:
        text = resources.files("textkit").joinpath(TRAINING_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    names = [
        c
        for c in (rows[0].keys() if rows else ())
        if c not in ("pair", "old_id", "new_id", "label")
    ]
    by_pair: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_pair.setdefault(r["pair"], []).append(r)
    return [
        Labelled(
            pair,
            tuple(r["old_id"] for r in rs),
            tuple(r["new_id"] for r in rs),
            {n: np.array([float(r[n]) for r in rs]) for n in names},
            np.array([int(r["label"]) for r in rs], dtype=np.int8),
        )
        for pair, rs in by_pair.items()
    ]


# ── textkit fit DIR ─────────────────────────────────────────────────────────


def reviewed_pairs(
    mappings_dir: str | Path, settings: AlignSettings
) -> tuple[list[Labelled], list[str]]:
    """Labelled cells of every reviewed map under ``mappings_dir`` whose measure tables
    (``<old>.measures.csv``, ``<new>.measures.csv``) are beside it; warnings for the others."""
    from .formats import read_map, read_measures

    out: list[Labelled] = []
    warnings: list[str] = []
    for path in sorted(Path(mappings_dir).glob("*__*.reviewed.csv")):
        old_name, new_name = path.name[: -len(".reviewed.csv")].split("__", 1)
        tables = [path.parent / f"{n}.measures.csv" for n in (old_name, new_name)]
        if not all(t.is_file() for t in tables):
            warnings.append(f"{path.name}: skipped, its measure tables are not beside it")
            continue
        cmap = read_map(path)
        reviewed = ContinuityMap(
            cmap.old_source, cmap.new_source, tuple(x for x in cmap.links if x.reviewed)
        )
        if not reviewed.links:
            continue
        old, new = (read_measures(t).measures for t in tables)
        out.append(label_cells(path.name, old, new, reviewed, settings, decided_only=True))
    return out, warnings


def fit_directory(
    mappings_dir: str | Path, settings: AlignSettings
) -> tuple[Path, SignalWeights, list[str]]:
    """Re-fit on the bundled gold rows plus the reviewed decisions under ``mappings_dir``; write
    ``<dir>/align_weights.json`` atomically. Returns its path, the weights and warnings."""
    names = settings.enabled_signals()
    bundled = read_training()
    missing = [n for n in names if bundled and n not in bundled[0].scores]
    if missing:
        raise SettingsError(f"the bundled training rows have no scores for {', '.join(missing)}")
    reviewed, warnings = reviewed_pairs(mappings_dir, settings)
    data = bundled + reviewed
    source = f"{len(bundled)} gold pairs + {len(reviewed)} reviewed maps in {mappings_dir}"
    w = fit_weights(data, names, source)
    target = Path(mappings_dir) / WEIGHTS_NAME
    n_cells = sum(len(d.labels) for d in data)
    n_links = int(sum(int(d.labels.sum()) for d in data))
    write_atomic(target, weights_json(w, n_cells, n_links))
    return target, w, warnings
