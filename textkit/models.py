"""Frozen dataclasses passed between pipeline stages.

extract → ``Document`` (pages of ``Block``) → structure → ``Strategy`` (``Goal``, ``Measure``, ``KPI``)
→ align → ``ContinuityMap`` (``Link``) ; kpi audit → ``KPIAudit`` (``KPIChange``) ;
compare → ``Counterpart``.  Every class has ``to_dict()`` for writers; nothing else crosses stages.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


# ── extraction ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Block(_Record):
    """A run of text on one page, in reading order.

    ``kind``: ``text`` (a paragraph or line), ``heading``, ``table`` (``rows`` holds the cells),
    ``vertical`` (text read top to bottom: a 縦書き paragraph, or a label printed one character
    per line, already joined).

    Typography (PDF input only; text and Markdown keep the defaults), taken from the block's
    first line: ``font_size`` in points (the font size times the text matrix' scale),
    ``bold`` (a bold face, outlined glyphs, or overprinted fake bold), ``overprint`` (the line was
    drawn 2-4 times and is read once), ``indent`` (points from the left edge of the
    block's column to its first line; for vertical text from the column's top), ``band``
    (``#rrggbb`` of a filled shape behind the block, such as a coloured title band),
    ``bold_lead`` (the length of a bold run-in heading at the start of the text).
    """

    text: str
    page: int  # 1-based page number (1 for text input)
    kind: str = "text"
    rows: tuple[tuple[str, ...], ...] = ()
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    font_size: float | None = None
    bold: bool = False
    overprint: bool = False
    indent: float | None = None
    band: str | None = None
    # characters at the start of ``text`` set in bold while the rest of its first line is not
    # (a run-in heading 「地元産品の販路拡大　市内事業者が…」); 0 otherwise
    bold_lead: int = 0


@dataclass(frozen=True)
class Page(_Record):
    number: int
    blocks: tuple[Block, ...]
    width: float | None = None
    height: float | None = None

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Document(_Record):
    """What ``extract.read`` returns: normalised text blocks with page provenance."""

    path: str
    kind: str  # pdf | text | markdown
    pages: tuple[Page, ...]
    # What could not be read: "page 19: …" (a damaged page or stream); empty when all was read.
    warnings: tuple[str, ...] = ()
    # Numbers of the pages those warnings are about (their text may be missing or wrong).
    damaged: tuple[int, ...] = ()

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(b for p in self.pages for b in p.blocks)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)


# ── structure ───────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class KPI(_Record):
    """One 重要業績評価指標 (level ``measure``) or 数値目標 (level ``goal``) row (formats §2)."""

    measure_id: str
    level: str  # "goal" | "measure"
    name: str
    baseline_raw: str = ""
    target_raw: str = ""
    baseline_value: float | None = None
    target_value: float | None = None
    unit: str = ""
    baseline_year: int | None = None
    target_year: int | None = None
    note: str = ""
    comparator: str = ""  # ">=", "increase", "extend" … for qualitative or bounded targets
    page: int | None = None
    result_raw: str = ""  # a result the table states as written (最終値 40人), kept as is


@dataclass(frozen=True)
class Measure(_Record):
    """A 施策 / 具体的施策 / 取組 (formats §1)."""

    id: str
    title: str
    goal: str = ""
    goal_id: str = ""
    text: str = ""
    items: tuple[str, ...] = ()
    kpis: tuple[KPI, ...] = ()
    page: int | None = None
    # Ids of previous-edition measures this one says it continues (stated evidence, e.g. ①–⑲).
    refs: tuple[str, ...] = ()
    # What the structure stage found missing (no KPI found, title may be cut): for the user to check.
    warning: str = ""


@dataclass(frozen=True)
class Goal(_Record):
    """A 基本目標 with its 基本的方向 lines and 数値目標 (goal-level KPIs)."""

    id: str
    title: str
    directions: tuple[str, ...] = ()
    kpis: tuple[KPI, ...] = ()
    page: int | None = None


@dataclass(frozen=True)
class Strategy(_Record):
    """A parsed strategy: its goals and measures; ``previous`` holds the previous edition's
    measures when the document lists them itself (e.g. 第2期 取組 ①–⑲ beside 第3期 施策)."""

    source: str
    goals: tuple[Goal, ...] = ()
    measures: tuple[Measure, ...] = ()
    previous: tuple[Measure, ...] = ()
    city: str = ""
    edition: int | None = None
    # The edition as the document names it when it states no 第N期 (2020年版, 令和7年度版).
    edition_label: str = ""
    period_end: int | None = None
    # What may be missing: the document's warnings, and a structure that looks cut by them.
    warnings: tuple[str, ...] = ()

    @property
    def kpis(self) -> tuple[KPI, ...]:
        goal_kpis = tuple(k for g in self.goals for k in g.kpis)
        return goal_kpis + tuple(k for m in self.measures for k in m.kpis)


# ── alignment ───────────────────────────────────────────────────────────────


class Relation(str, Enum):
    """How an OLD measure continues in NEW (formats §3).

    ========== =====================================================
    kept       one OLD ↔ one NEW
    merged     several OLD → one NEW
    split      one OLD → several NEW
    restructured part of a many-to-many group
    new        a NEW measure with no OLD counterpart
    dropped    an OLD measure with no NEW counterpart
    ========== =====================================================
    """

    KEPT = "kept"
    MERGED = "merged"
    SPLIT = "split"
    RESTRUCTURED = "restructured"
    NEW = "new"
    DROPPED = "dropped"


class Evidence(str, Enum):
    """What decided a link (the ``evidence`` column of formats §3).

    ========== =====================================================
    similarity proposed by the similarity scores (``Link.rule`` says which rule)
    stated     NEW names its OLD counterpart itself (``Measure.refs``, e.g. 第2期 ⑮)
    reviewed   decided by staff in the review workbook (``textkit review apply``)
    ========== =====================================================
    """

    SIMILARITY = "similarity"
    STATED = "stated"
    REVIEWED = "reviewed"


class Rule(str, Enum):
    """Which step of ``continuity.link_measures`` proposed a similarity link.

    ================ ===============================================================
    mutual_best      OLD and NEW are each other's best candidate, score ≥ ``min_link``
    merge            OLD joins a NEW already held by another OLD (part found in the whole)
    split            NEW joins an OLD already held by another NEW (part found in the whole)
    mutual_best_rest mutual best among the measures left over after the steps above
    order_gap        facing slots between two linked pairs in document order (as many OLD
                     as NEW measures left there), paired in order, score ≥ ``gap_min_score``
    ================ ===============================================================
    """

    MUTUAL_BEST = "mutual_best"
    MERGE = "merge"
    SPLIT = "split"
    MUTUAL_BEST_REST = "mutual_best_rest"
    ORDER_GAP = "order_gap"


@dataclass(frozen=True)
class Link(_Record):
    """One row of a continuity map, with the evidence that carried it. ``relation``,
    ``evidence`` and ``rule`` are coerced to their Enums (a plain string such as ``"stated"`` is
    accepted and checked)."""

    old_id: str
    old_title: str
    new_id: str
    new_title: str
    relation: Relation
    score: float | None = None
    evidence: Evidence = Evidence.SIMILARITY
    matched_terms: tuple[str, ...] = ()
    # what similarity alone said, when evidence is "stated"; what the links alone give, when the
    # relation is one a reviewer chose (evidence "reviewed")
    similarity_relation: str = ""
    reviewed: bool = False
    reviewer_note: str = ""
    rule: Rule | None = (
        None  # for similarity links: the rule that proposed it (formats §3 ``rule``)
    )
    # per-signal scores that went into ``score`` (name, 0–1), in settings.SIGNALS order
    signals: tuple[tuple[str, float], ...] = ()
    # a similarity link whose calibrated score is below ``AlignSettings.review_below``: made by
    # its rank, not by strong evidence; shown as 要確認 (formats §3 ``needs_review``)
    needs_review: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "relation", Relation(self.relation))
        object.__setattr__(self, "evidence", Evidence(self.evidence))
        if self.rule is not None:
            object.__setattr__(self, "rule", Rule(self.rule))


class Decision(str, Enum):
    """What a reviewer decided about one row of the review workbook (確認)."""

    APPROVE = "approve"  # 承認: the row stands as shown
    CORRECT = "correct"  # 修正: the row stands as the reviewer edited (or added) it
    REJECT = "reject"  # 却下: this link does not exist
    PENDING = "pending"  # 保留: not decided yet; the row and its note are kept as they are


@dataclass(frozen=True)
class ReviewRecord(_Record):
    """One decision of a reviewed map (``mappings/<old>__<new>.reviewed.csv``), a record of its own.

    A link (approve/correct/pending with a linking relation) is kept exactly; a 新規/廃止 row says
    the measure has no counterpart; a reject removes that one link and nothing else. ``original_*``
    name the proposal the row was made from (empty for a row added by hand): a correction replaces
    that proposal. ``revision`` is the reviewed map revision that first held this decision,
    ``workbook_revision`` the revision the workbook it came from was made from (None when the
    decision was written into the CSV by hand).
    """

    old_id: str
    old_title: str
    new_id: str
    new_title: str
    relation: Relation
    decision: Decision
    note: str = ""
    decided_at: str = ""  # ISO 8601 UTC
    revision: int = 0
    workbook_revision: int | None = None
    original_old_id: str = ""
    original_new_id: str = ""
    score: float | None = None
    evidence: Evidence = Evidence.REVIEWED
    matched_terms: tuple[str, ...] = ()
    # A 区分 the reviewer chose (not the one the links give): the links of this link's group it
    # was chosen on, (old_id, new_id) sorted. Empty: ``relation`` is what the links gave, and
    # the map shows the relation the links give now. Set: the map shows ``relation`` while the
    # group is these links, else the computed one with a warning (``continuity``).
    relation_basis: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.old_id, self.new_id)

    @property
    def original_key(self) -> tuple[str, str]:
        return (self.original_old_id, self.original_new_id)

    @property
    def is_link(self) -> bool:
        """A link kept in the map (both ids), as opposed to a 新規/廃止 statement or a reject."""
        return self.decision is not Decision.REJECT and bool(self.old_id and self.new_id)


@dataclass(frozen=True)
class ContinuityMap(_Record):
    old_source: str
    new_source: str
    links: tuple[Link, ...] = ()

    def counts(self) -> dict[str, int]:
        """Number of rows per relation, in Relation order."""
        out = {r.value: 0 for r in Relation}
        for link in self.links:
            out[Relation(link.relation).value] += 1
        return out


@dataclass(frozen=True)
class ReviewedMap(_Record):
    """Every decision recorded for one document pair, and the revision they are at."""

    old_name: str
    new_name: str
    records: tuple[ReviewRecord, ...] = ()
    # The editions' files, as the review workbook named them (relative to the mappings folder
    # when inside it): ``textkit fit`` re-reads them to score the decided pairs. "" = not known.
    old_source: str = ""
    new_source: str = ""

    @property
    def revision(self) -> int:
        """The latest revision any record was made in (0: nothing reviewed yet)."""
        return max((r.revision for r in self.records), default=0)


# ── KPI audit ───────────────────────────────────────────────────────────────


class KPIStatus(str, Enum):
    KEPT = "kept"
    TARGET_CHANGED = "target_changed"
    DROPPED = "dropped"
    NEW = "new"


@dataclass(frozen=True)
class KPIChange(_Record):
    """One row of a KPI audit (formats §4); ``status`` is coerced to ``KPIStatus``."""

    old_name: str
    new_name: str
    status: KPIStatus
    old_target: str = ""
    new_target: str = ""
    score: float | None = None
    old_measure_id: str = ""
    new_measure_id: str = ""
    measure_continues: bool | None = None  # for dropped KPIs: does its measure live on in NEW?
    note: str = ""
    # a pairing made on weak evidence, or a dropped KPI with a possible successor: 要確認 (formats
    # §4 optional ``needs_review``; the note says why)
    needs_review: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", KPIStatus(self.status))


@dataclass(frozen=True)
class KPIAudit(_Record):
    old_source: str
    new_source: str
    changes: tuple[KPIChange, ...] = field(default_factory=tuple)


# ── cross-city comparison ───────────────────────────────────────────────────


@dataclass(frozen=True)
class Counterpart(_Record):
    """One row of formats §6: a measure and one of its closest counterparts in another document."""

    a_doc: str
    a_id: str
    a_title: str
    b_doc: str
    b_id: str
    b_title: str
    rank: int
    score: float
    matched_terms: tuple[str, ...] = ()
