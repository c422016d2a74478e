"""Score a continuity map against a gold map in the same format (formats §3).

What goes in: two ``ContinuityMap`` (or paths to map files). What comes out: ``Scores``.

- link precision / recall / F1 are over (old_id, new_id) pairs with both ids set: a link either is
  in the gold map or it is not; relations do not matter here.
- relation accuracy is over every gold row, new and dropped rows included: the row counts as right
  when the map has the same (old_id, new_id) row with the same relation. It therefore also rewards
  finding that a measure is new or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import FormatError
from .formats import read_map
from .models import ContinuityMap, Relation


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

    def summary(self) -> str:
        return (
            f"link precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"({self.correct_links}/{self.predicted_links} predicted, {self.gold_links} gold)\n"
            f"relation accuracy {self.relation_accuracy:.3f}  ({self.correct_rows}/{self.gold_rows} gold rows)"
        )


def _load(m: ContinuityMap | str | Path) -> ContinuityMap:
    return m if isinstance(m, ContinuityMap) else read_map(m)


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
    )
