"""Document order between two editions: the slots their order leaves facing each other.

What goes in: the positions (OLD index, NEW index) of pairs already known to correspond (measure
links, or measures whose KPIs pair confidently) and the two sides' lengths. What comes out: the
gaps between consecutive known pairs that hold as many unpaired OLD as unpaired NEW positions,
as a line diff reads a block of changed lines between matching ones. Used by the measure aligner
(``continuity``: the ``order_gap`` rule, pairs in a gap linked when their score clears a floor)
and by the KPI audit (``audit.order_gap_links``: measure context for KPI pairs).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable


def facing_gaps(
    linked: Iterable[tuple[int, int]], n_old: int, n_new: int
) -> list[tuple[list[int], list[int]]]:
    """(unpaired OLD positions, unpaired NEW positions) of every gap with the same count on both
    sides, in document order.

    Anchors are the known pairs taken in OLD order, each used only when it comes after the last
    anchor on both sides (a pair that crosses an earlier one is no anchor); the start and the end
    of the editions are anchors too. Every position of ``linked`` counts as paired, anchor or not
    (a measure merged into another is not free). A gap with more positions on one side is left out:
    nothing says which measure was added or dropped.

    >>> facing_gaps([(0, 0), (2, 2)], 3, 3)
    [([1], [1])]
    >>> facing_gaps([(0, 0), (2, 3)], 3, 4)  # 1 OLD against 2 NEW: not facing
    []
    >>> facing_gaps([(1, 1)], 3, 3)  # start and end anchor the gaps
    [([0], [0]), ([2], [2])]
    """
    linked = sorted(set(linked))
    used_old, used_new = {i for i, _ in linked}, {j for _, j in linked}
    anchors = [(-1, -1)]
    for i, j in linked:
        if i > anchors[-1][0] and j > anchors[-1][1]:
            anchors.append((i, j))
    anchors.append((n_old, n_new))
    out = []
    for (i0, j0), (i1, j1) in itertools.pairwise(anchors):
        free_old = [i for i in range(i0 + 1, i1) if i not in used_old]
        free_new = [j for j in range(j0 + 1, j1) if j not in used_new]
        if free_old and len(free_old) == len(free_new):
            out.append((free_old, free_new))
    return out
