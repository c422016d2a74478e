"""Fit the signal weights from labelled pairs: gold maps and reviewed decisions → ``SignalWeights``.

What goes in: labelled measure pairs — every (OLD, NEW) cell of an edition pair whose map is known
(a gold case, or the measures a reviewer decided under ``mappings/``), labelled 1 when the map links
them and 0 otherwise — as per-signal scores (``similarity.signal_scores``). What comes out: a
logistic regression over those scores (scikit-learn), i.e. ``SignalWeights`` whose probability a
reviewer can read: among pairs scored 0.8, about 8 in 10 were links.

The bundled weights (``textkit/data/align_weights.json``) are fitted on the rows of
``textkit/data/align_training.csv`` (the gold pairs of tests/cases/align and align_heldout, written
by ``scripts/bench_align.py --fit``). ``textkit fit mappings/`` adds every reviewed decision
recorded there by ``textkit review apply`` (approve: the link is a positive; correct: the
corrected link a positive, the proposal it replaced a negative; reject: a negative), scored on the
two editions each reviewed map names, re-read from their files, and writes
``mappings/align_weights.json`` atomically, which ``textkit align --mappings mappings/`` and
``textkit report`` then use (``pipeline.settings_with_fit``).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .errors import SettingsError
from .models import ContinuityMap, Decision, Measure, ReviewedMap
from .settings import AlignSettings
from .similarity import (
    PATTERNS,
    RuleCalibration,
    SignalWeights,
    evidence,
    featurize,
    signal_scores,
    title_only,
)
from .tables import write_text
from .wording import plural

TRAINING_FILE = "data/align_training.csv"
# Inverse regularisation strength of the logistic regression. Scores are 0–1 and the labelled
# cells number thousands, so a mild penalty only keeps rare perfectly-separating signals finite.
REGULARISATION_C = 10.0
WEIGHTS_NAME = "align_weights.json"


# Names a copy of a gold pair with a side reduced to titles: ``<pair>~old-titles`` …
COPY_MARK = "~"


@dataclass(frozen=True)
class Labelled:
    """Per-signal scores of labelled cells of one edition pair."""

    pair: str
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]
    scores: dict[str, np.ndarray]
    labels: np.ndarray  # 1 = linked in the map, 0 = not
    # evidence pattern of each cell (similarity.evidence: a code of similarity.PATTERNS); None: 0
    patterns: np.ndarray | None = None

    @property
    def is_copy(self) -> bool:
        """A gold pair with a side reduced to titles (``title_only_copies``): fitted on for its
        evidence pattern only."""
        return COPY_MARK in self.pair

    def codes(self) -> np.ndarray:
        return np.zeros(len(self.labels), np.int8) if self.patterns is None else self.patterns


def label_cells(
    pair: str,
    old: Sequence[Measure],
    new: Sequence[Measure],
    cmap: ContinuityMap,
    settings: AlignSettings,
) -> Labelled:
    """Every OLD × NEW cell of a pair (a gold case), scored by every enabled signal and labelled
    from ``cmap``."""
    links = {(x.old_id, x.new_id) for x in cmap.links if x.old_id and x.new_id}
    cells = [(i, j) for i in range(len(old)) for j in range(len(new))]
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
        evidence(f, rows, cols),
    )


def titles_only(measures: Sequence[Measure]) -> tuple[Measure, ...]:
    """The measures stated by their titles alone (description and items dropped)."""
    return tuple(dataclasses.replace(m, text="", items=()) for m in measures)


def title_only_copies(
    pair: str,
    old: Sequence[Measure],
    new: Sequence[Measure],
    cmap: ContinuityMap,
    settings: AlignSettings,
) -> list[Labelled]:
    """The labelled cells of a pair with its OLD side, its NEW side and both reduced to titles
    (``fit_title_only_copies``): what the signals say when a document lists the other edition
    by title only. A side that has no descriptions anyway gives no copy of its own."""
    described = [not all(title_only(m) for m in side) for side in (old, new)]
    reduced = [
        (f"{pair}{COPY_MARK}old-titles", titles_only(old), new, described[0]),
        (f"{pair}{COPY_MARK}new-titles", old, titles_only(new), described[1]),
        (f"{pair}{COPY_MARK}titles", titles_only(old), titles_only(new), all(described)),
    ]
    return [label_cells(name, o, n, cmap, settings) for name, o, n, ok in reduced if ok]


def fit_weights(
    data: Iterable[Labelled],
    names: Sequence[str],
    source: str = "",
    *,
    c: float = REGULARISATION_C,
    pool_main: bool = False,
) -> SignalWeights:
    """Logistic regression of the labels on the named signals' scores (``c``: inverse
    regularisation strength): one on the cells whose both measures are described, and one per
    evidence pattern found among the others (a side stated by its title alone:
    ``similarity.PATTERNS``, ``SignalWeights.patterns``), on that pattern's cells, real and
    copies (``title_only_copies``). ``pool_main``: the main model on every real cell whatever
    its pattern (as before patterns; measured in reports/bench_align.md)."""
    data = list(data)
    if not data:
        raise SettingsError("no labelled pairs to fit weights on")
    x = np.vstack([np.column_stack([d.scores[n] for n in names]) for d in data])
    y = np.concatenate([d.labels for d in data])
    if y.min() == y.max():
        raise SettingsError("the labelled pairs need both links and non-links to fit weights")
    codes = np.concatenate([d.codes() for d in data])
    real = np.concatenate([np.full(len(d.labels), not d.is_copy) for d in data])
    pooled = real if pool_main else real & (codes == 0)
    main = _logistic(x[pooled], y[pooled], names, c) if pooled.any() else None
    if main is None:
        raise SettingsError("the labelled pairs need both links and non-links to fit weights")
    patterns = {}
    for code in sorted(set(np.unique(codes).tolist()) - {0}):
        sub = _logistic(x[codes == code], y[codes == code], names, c)
        if sub is not None:  # a pattern whose cells are all links or all not: nothing to fit
            patterns[PATTERNS[code]] = sub
    return dataclasses.replace(main, source=source, patterns=patterns)


def _logistic(x: np.ndarray, y: np.ndarray, names: Sequence[str], c: float) -> SignalWeights | None:
    """One logistic regression of ``y`` on the columns ``names`` of ``x`` (None: one class)."""
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        return None
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    coef = {n: round(float(v), 4) for n, v in zip(names, model.coef_[0], strict=True)}
    return SignalWeights(round(float(model.intercept_[0]), 4), coef)


# Inverse regularisation of the per-rule calibration: a few dozen proposed links per rule at most,
# so the per-rule offsets are shrunk toward the shared curve.
CALIBRATION_C = 1.0


def fit_rule_calibration(
    samples: Iterable[tuple[float, str, bool]], *, c: float = CALIBRATION_C
) -> RuleCalibration | None:
    """P(right | score, rule) from (score, rule value, right?) of proposed links; None when the
    links are all right or all wrong (nothing to fit)."""
    from sklearn.linear_model import LogisticRegression

    data = list(samples)
    if len({ok for *_, ok in data}) < 2:
        return None
    rules = sorted({r for _, r, _ in data})
    x = np.array(
        [
            [float(np.log(min(max(s, 1e-6), 1 - 1e-6) / (1 - min(max(s, 1e-6), 1 - 1e-6))))]
            + [1.0 if r == q else 0.0 for q in rules]
            for s, r, _ in data
        ]
    )
    y = np.array([int(ok) for *_, ok in data])
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    coef = model.coef_[0]
    offsets = {q: round(float(v), 4) for q, v in zip(rules, coef[1:], strict=True)}
    return RuleCalibration(round(float(model.intercept_[0]), 4), round(float(coef[0]), 4), offsets)


def weights_json(w: SignalWeights, n_cells: int, n_links: int) -> str:
    cal = w.calibration
    extra: dict = (
        {"calibration": {"intercept": cal.intercept, "slope": cal.slope, "offsets": cal.offsets}}
        if cal
        else {}
    )
    if w.patterns:
        extra["patterns"] = {
            k: {"intercept": p.intercept, "coef": p.coef} for k, p in sorted(w.patterns.items())
        }
    return (
        json.dumps(
            {
                "intercept": w.intercept,
                "coef": w.coef,
                "fitted_on": w.source,
                "cells": n_cells,
                "links": n_links,
                **extra,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


# ── the bundled training rows ───────────────────────────────────────────────


def training_csv(data: Iterable[Labelled], names: Sequence[str]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["pair", "old_id", "new_id", "label", EVIDENCE_COLUMN, *names])
    for d in data:
        codes = d.codes()
        for k in range(len(d.labels)):
            scores = [f"{float(d.scores[n][k]):.4f}" for n in names]
            row = [d.pair, d.old_ids[k], d.new_ids[k], int(d.labels[k]), PATTERNS[codes[k]]]
            w.writerow([*row, *scores])
    return out.getvalue()


# The training rows' column naming each cell's evidence pattern (similarity.PATTERNS; empty:
# both measures described).
EVIDENCE_COLUMN = "evidence"


def _pattern_code(name: str) -> int:
    if name not in PATTERNS:
        raise SettingsError(f"training rows: unknown evidence pattern {name!r}")
    return PATTERNS.index(name)


def read_training(text: str | None = None) -> list[Labelled]:
    """The bundled training rows (or ``text`` in the same CSV layout), one ``Labelled`` per pair."""
    if text is None:
        text = resources.files("textkit").joinpath(TRAINING_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    names = [
        c
        for c in (rows[0].keys() if rows else ())
        if c not in ("pair", "old_id", "new_id", "label", EVIDENCE_COLUMN)
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
            np.array([_pattern_code(r.get(EVIDENCE_COLUMN) or "") for r in rs], dtype=np.int8),
        )
        for pair, rs in by_pair.items()
    ]


# ── textkit fit DIR ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class DecisionCount:
    """How many reviewed decisions became labelled pairs."""

    maps: int = 0
    approve: int = 0
    correct: int = 0
    reject: int = 0

    @property
    def decisions(self) -> int:
        return self.approve + self.correct + self.reject

    def __add__(self, other: DecisionCount) -> DecisionCount:
        return DecisionCount(
            self.maps + other.maps,
            self.approve + other.approve,
            self.correct + other.correct,
            self.reject + other.reject,
        )

    def __str__(self) -> str:
        return (
            f"{self.decisions} decisions ({self.approve} approve, {self.correct} correct, "
            f"{self.reject} reject)"
        )


def decision_labels(rmap: ReviewedMap) -> tuple[dict[tuple[str, str], int], DecisionCount]:
    """(OLD id, NEW id) → label from every decision of a reviewed map: an approved link is a
    positive; a correction makes its link a positive and the proposal it replaced a negative; a
    rejected link is a negative. Pending rows and 新規/廃止 statements name no pair of their own
    (a correction to 廃止 still makes the replaced proposal a negative)."""
    labels: dict[tuple[str, str], int] = {}
    approve = correct = reject = 0
    for r in rmap.records:
        if r.decision is Decision.APPROVE and r.is_link:
            labels[r.key] = 1
            approve += 1
        elif r.decision is Decision.CORRECT:
            if r.is_link:
                labels[r.key] = 1
            proposed = r.original_key
            if all(proposed) and proposed != r.key:
                labels.setdefault(proposed, 0)
            correct += 1
        elif r.decision is Decision.REJECT and all(r.key):
            labels[r.key] = 0
            reject += 1
    return labels, DecisionCount(1, approve, correct, reject)


def label_pairs(
    pair: str,
    old: Sequence[Measure],
    new: Sequence[Measure],
    labels: dict[tuple[str, str], int],
    settings: AlignSettings,
) -> Labelled:
    """The given (OLD id, NEW id) pairs scored by every enabled signal, with their labels."""
    row = {m.id: i for i, m in enumerate(old)}
    col = {m.id: j for j, m in enumerate(new)}
    keys = sorted(labels)
    rows = np.array([row[o] for o, _ in keys], dtype=np.int64)
    cols = np.array([col[n] for _, n in keys], dtype=np.int64)
    f = featurize(old, new, settings)
    return Labelled(
        pair,
        tuple(o for o, _ in keys),
        tuple(n for _, n in keys),
        signal_scores(f, rows, cols),
        np.array([labels[k] for k in keys], dtype=np.int8),
        evidence(f, rows, cols),
    )


def _reviewed_map(path: Path, settings: AlignSettings) -> tuple[Labelled | None, DecisionCount]:
    """One reviewed map's decisions as labelled pairs, its editions re-read (``TextkitError`` when
    they cannot be: the caller names the map)."""
    from .decisions import read_reviewed
    from .errors import InputNotFoundError
    from .sources import reviewed_editions

    old_name, new_name = path.name[: -len(".reviewed.csv")].split("__", 1)
    rmap = read_reviewed(path, old_name, new_name)
    labels, count = decision_labels(rmap)
    if not labels:
        return None, DecisionCount()
    old, new = reviewed_editions(path.parent, rmap)
    ids_old, ids_new = {m.id for m in old.measures}, {m.id for m in new.measures}
    unknown = sorted({f"{o} → {n}" for o, n in labels if o not in ids_old or n not in ids_new})
    if unknown:
        raise InputNotFoundError(
            f"the editions read ({old.source}, {new.source}) no longer have the measures of "
            f"{len(unknown)} decision(s): {', '.join(unknown[:5])}"
        )
    return label_pairs(path.name, old.measures, new.measures, labels, settings), count


def reviewed_pairs(
    mappings_dir: str | Path, settings: AlignSettings
) -> tuple[list[Labelled], DecisionCount, list[str]]:
    """Labelled pairs from every reviewed decision under ``mappings_dir`` (``decision_labels``),
    scored on the two editions each reviewed map names, re-read (``sources.reviewed_editions``);
    a map whose editions cannot be read is skipped with a warning naming it and the files."""
    from .errors import TextkitError

    out: list[Labelled] = []
    total = DecisionCount()
    warnings: list[str] = []
    for path in sorted(Path(mappings_dir).glob("*__*.reviewed.csv")):
        try:
            labelled, count = _reviewed_map(path, settings)
        except TextkitError as exc:
            warnings.append(f"{path.name}: skipped, {exc}")
            continue
        if labelled is not None:
            out.append(labelled)
            total = total + count
    return out, total, warnings


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
    reviewed, count, warnings = reviewed_pairs(mappings_dir, settings)
    data = bundled + reviewed
    gold = sum(not d.is_copy for d in bundled)  # the title-only copies are not pairs of their own
    source = (
        f"{plural(gold, 'gold pair')} + {plural(len(reviewed), 'reviewed map')} in "
        f"{mappings_dir}: {count}"
    )
    w = fit_weights(data, names, source, pool_main=settings.pool_main)
    target = Path(mappings_dir) / WEIGHTS_NAME
    n_cells = sum(len(d.labels) for d in data)
    n_links = int(sum(int(d.labels.sum()) for d in data))
    write_text(target, weights_json(w, n_cells, n_links))  # atomic (tables.atomic_path)
    return target, w, warnings
