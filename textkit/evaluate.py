"""Score a continuity map against a gold map in the same format (formats §3).

What goes in: two ``ContinuityMap`` (or paths to map files). What comes out: ``Scores``.

- link precision / recall / F1 are over (old_id, new_id) pairs with both ids set: a link either is
  in the gold map or it is not; relations do not matter here.
- relation accuracy is over every gold row, new and dropped rows included: the row counts as right
  when the map has the same (old_id, new_id) row with the same relation. It therefore also rewards
  finding that a measure is new or dropped.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import FormatError, TextkitWarning
from .formats import read_map
from .models import ContinuityMap, Relation
from .normalize import normalize_chars
from .wording import plural, verb

# Ids shared by MAP and GOLD name the same measures when at least this share of them carry the
# same title on both sides (titles may be edited a little; most ids of the right pair agree).
MIN_SAME_TITLES = 0.5
IDS_SHOWN = 3


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    relation_accuracy: float
    gold_links: int
    predicted_links: int
    correct_links: int
    gold_rows: int
    correct_rows: int
    # Why the figures may not mean what they seem (MAP and GOLD of different documents …).
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        return (
            f"link precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"({self.correct_links}/{self.predicted_links} predicted, {self.gold_links} gold)\n"
            f"relation accuracy {self.relation_accuracy:.3f}  ({self.correct_rows}/{self.gold_rows} gold rows)"
        )


def _load(m: ContinuityMap | str | Path) -> ContinuityMap:
    return m if isinstance(m, ContinuityMap) else read_map(m)


def _title_key(title: str) -> str:
    return re.sub(r"\s+", "", normalize_chars(title))


def _some(ids: set[str]) -> str:
    shown = ", ".join(sorted(ids)[:IDS_SHOWN])
    return shown + (" …" if len(ids) > IDS_SHOWN else "")


def _side_warning(pred: ContinuityMap, ref: ContinuityMap, side: str) -> str:
    """Why MAP and GOLD may not describe the same ``side`` (old/new) document: no id in common,
    or shared ids that name other measures (titles differ); '' when they agree."""
    column = f"{side}_id"
    mine = {getattr(x, column): getattr(x, f"{side}_title") for x in pred.links}
    gold = {getattr(x, column): getattr(x, f"{side}_title") for x in ref.links}
    mine.pop("", None)
    gold.pop("", None)
    if not mine or not gold:
        return ""
    what = "OLD (old_id)" if side == "old" else "NEW (new_id)"
    shared = mine.keys() & gold.keys()
    if not shared:
        return (
            f"MAP and GOLD share no {what} id (MAP: {_some(set(mine))}; GOLD: {_some(set(gold))}): "
            f"check that GOLD is the gold map of the pair MAP was made from, and that both number "
            "the measures the same way"
        )
    titled = [i for i in shared if mine[i] and gold[i]]
    same = [i for i in titled if _title_key(mine[i]) == _title_key(gold[i])]
    if titled and len(same) < MIN_SAME_TITLES * len(titled):
        other = sorted(set(titled) - set(same))
        example = other[0]
        return (
            f"the {plural(len(titled), f'{what} id')} MAP and GOLD share mostly name other "
            f"measures ({len(same)} of {len(titled)} {verb(len(titled), 'has')} the same title; "
            f"{example} is 「{mine[example]}」 in MAP, 「{gold[example]}」 in GOLD): check that "
            "GOLD is the gold map of the pair MAP was made from"
        )
    return ""


def _pairs(m: ContinuityMap) -> set[tuple[str, str]]:
    return {(x.old_id, x.new_id) for x in m.links if x.old_id and x.new_id}


def evaluate(cmap: ContinuityMap | str | Path, gold: ContinuityMap | str | Path) -> Scores:
    """Link P/R/F1 and relation accuracy of ``cmap`` against ``gold``."""
    pred, ref = _load(cmap), _load(gold)
    ids = {(x.old_id, x.new_id) for x in pred.links}
    pred_ids = {i for pair in ids for i in pair if i}
    gold_ids = {i for x in ref.links for i in (x.old_id, x.new_id) if i}
    if pred_ids and gold_ids and not pred_ids & gold_ids:
        raise FormatError(
            "MAP and GOLD share no measure id, so they describe different documents (or ids were "
            "renumbered); compare maps of the same pair"
        )
    p, g = _pairs(pred), _pairs(ref)
    correct = len(p & g)
    precision = correct / len(p) if p else (1.0 if not g else 0.0)
    recall = correct / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rel = {(x.old_id, x.new_id): Relation(x.relation) for x in pred.links}
    rows = [(x.old_id, x.new_id, Relation(x.relation)) for x in ref.links]
    ok = sum(1 for o, n, r in rows if rel.get((o, n)) == r)
    notes = tuple(w for w in (_side_warning(pred, ref, s) for s in ("old", "new")) if w)
    for note in notes:
        warnings.warn(TextkitWarning(note), stacklevel=2)
    return Scores(
        precision=precision,
        recall=recall,
        f1=f1,
        relation_accuracy=ok / len(rows) if rows else 1.0,
        gold_links=len(g),
        predicted_links=len(p),
        correct_links=correct,
        gold_rows=len(rows),
        correct_rows=ok,
        warnings=notes,
    )
