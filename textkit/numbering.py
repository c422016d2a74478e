"""Numbering families and their levels: cleaned line texts → which numbering is goal and measure.

What goes in: the texts of a document's cleaned lines (``structure.blocks_to_lines``), in reading
order. What comes out: a frozen ``Levels`` naming the goal family, the measure families and whether
ア／イ lines are items, with a reason per decision (``textkit parse --explain`` prints them).

A *family* is one way of numbering a heading — ``1．`` / ``(1)`` / ``①`` / ``Ⅰ`` / ``ア`` / ``施策N：``
/ ``基本目標N`` … — defined as data in ``data/structure.toml`` (``[structure.families]``). Families
whose words say their level (``基本目標``, ``施策``) keep it. For the others the document decides: a
family whose numbering restarts at 1 under each member of another family is that family's child
(``①`` restarting under every ``1．``), so the parent becomes the goal level and the child the
measure level. The pair that nests under the most parents wins, so an outer chapter numbering
(``1 人口ビジョン`` / ``2 総合戦略``) with the goals inside it once does not.

Stages, each a function: ``candidate_headings`` (line → family, number, title) →
``segments`` (children under each parent member) → ``infer_levels``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ._compat import tomllib
from .normalize import normalize_chars
from .wording import plural

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
KANA = "アイウエオカキクケコサシスセソ"
# A parent/child pair counts only when the child restarts under at least this many parent members:
# one parent holding a numbered list is a chapter with a list, not a level of the outline.
MIN_NESTED_SEGMENTS = 2


@dataclass(frozen=True)
class Family:
    """One numbering family: its pattern and, for families whose word says it, the level."""

    name: str
    pattern: re.Pattern[str]
    role: str  # "goal" | "measure" | "chapter" | "" (decided by the document)


@dataclass(frozen=True)
class Heading:
    """A line that starts with a number of some family."""

    index: int  # position in the line list
    family: str
    number: int
    title: str


@dataclass(frozen=True)
class Levels:
    """The outline levels inferred for one document."""

    goal: str  # family name of goal headings ("" = none found)
    measures: tuple[str, ...]  # family names accepted as measure headings, in order of trial
    items: tuple[str, ...]  # numbered families under the measure level: their lines are items
    kana_items: bool  # ア／イ／ウ lines (without a space after the letter) are items
    reasons: tuple[str, ...]
    inferred: bool  # the goal level came from nesting, not from a 基本目標 word
    # Unnumbered headings told apart by typography (``structure.Style``: mark, size, bold,
    # band, space above): set when the document has no numbered outline and these styles nest.
    goal_style: tuple[str, float, bool, bool, bool] | None = None
    measure_style: tuple[str, float, bool, bool, bool] | None = None


@lru_cache(maxsize=1)
def _config() -> dict:
    text = resources.files("textkit").joinpath("data/structure.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["structure"]


@lru_cache(maxsize=1)
def _outer() -> re.Pattern[str]:
    return re.compile(_config()["outer_section"])


@lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    """Every family of ``[structure.families]``, in the order they are tried."""
    cfg = _config()
    roles = cfg["family_roles"]
    return tuple(
        Family(name, re.compile(pat), roles.get(name, "")) for name, pat in cfg["families"].items()
    )


def family(name: str) -> Family:
    for f in families():
        if f.name == name:
            return f
    raise KeyError(name)


def _number(groups: dict[str, str | None]) -> int | None:
    if groups.get("circ"):
        return CIRCLED.index(groups["circ"]) + 1  # type: ignore[arg-type]
    if groups.get("roman"):
        return ROMAN.index(groups["roman"]) + 1  # type: ignore[arg-type]
    if groups.get("kana"):
        return KANA.index(groups["kana"]) + 1  # type: ignore[arg-type]
    num = groups.get("num")
    if num is None:
        return None
    num = normalize_chars(num)
    if num in ROMAN:
        return ROMAN.index(num) + 1
    return int(num) if num.isdigit() else None


def match(name: str, text: str) -> tuple[int, str] | None:
    """(number, title) when ``text`` is a heading of family ``name``.

    >>> match("period", "2.山吹町への新しい人の流れをつくる")
    (2, '山吹町への新しい人の流れをつくる')
    >>> match("goal_word", "基本目標Ⅲ 結婚・出産・子育ての希望をかなえる")
    (3, '結婚・出産・子育ての希望をかなえる')
    """
    fam = family(name)
    m = fam.pattern.match(text)
    if not m and fam.role in ("goal", "measure"):
        # 「第1節　基本目標1　…」: a heading whose word says its level may carry the number of
        # the section that holds it in front
        outer = _outer().match(text)
        m = fam.pattern.match(text[outer.end() :]) if outer else None
    if not m:
        return None
    groups = m.groupdict()
    num = _number(groups)
    if num is None:
        return None
    title = (groups.get("title") or groups.get("title2") or "").strip()
    return num, title


def candidate_headings(texts: Sequence[str]) -> list[Heading]:
    """Lines short enough to be headings that start with a number of some family (first family
    that matches wins; a 目次 line with dot leaders was dropped before)."""
    limit = _config()["max_heading_chars"]
    out: list[Heading] = []
    for i, text in enumerate(texts):
        if len(text) > limit + 12:
            continue
        for f in families():
            hit = match(f.name, text)
            if hit is None:
                continue
            num, title = hit
            if len(title) <= limit and not title.endswith("。"):
                out.append(Heading(i, f.name, num, title))
            break
    return out


def segments(headings: Sequence[Heading], parent: str, child: str) -> int:
    """How many members of ``parent`` have ``child`` headings under them that start at 1 (or, for a
    family whose word says "measure", any ``child`` heading: 施策N is numbered straight through)."""
    role = family(child).role
    count = 0
    first: int | None = None  # first child number seen under the current parent member
    inside = False
    for h in headings:
        if h.family == parent:
            if inside and first is not None and (first == 1 or role == "measure"):
                count += 1
            inside, first = True, None
        elif h.family == child and inside and first is None:
            first = h.number
    if inside and first is not None and (first == 1 or role == "measure"):
        count += 1
    return count


def _runs(headings: Sequence[Heading], name: str) -> int:
    """Length of the longest 1, 2, 3 … run of ``name`` (its members counted in order)."""
    best = cur = 0
    for h in headings:
        if h.family != name:
            continue
        cur = cur + 1 if h.number == cur + 1 else (1 if h.number == 1 else 0)
        best = max(best, cur)
    return best


def infer_levels(texts: Sequence[str]) -> Levels:
    """Decide the goal and measure families of one document from its line texts."""
    heads = candidate_headings(texts)
    present = {h.family for h in heads}
    legacy = tuple(_config()["legacy"]["measure_families"])
    kana = _runs(heads, "kana") >= 2
    reasons: list[str] = []
    if kana:
        reasons.append("ア／イ／ウ lines form a sequence: items")
    if "goal_word" in present:
        n = sum(1 for h in heads if h.family == "goal_word")
        reasons.append(
            f"goal: 基本目標/政策目標 N ({plural(n, 'heading')}; the word says the level)"
        )
        measures = legacy + tuple(
            f for f in ("period",) if f in present and segments(heads, "goal_word", f) >= 2
        )
        reasons.append(
            "measures: the first numbering numbered 1 under each goal ("
            + ", ".join(f for f in measures if f in present)
            + " seen)"
        )
        main = _first_under(heads, "goal_word", [f for f in measures if f in present])
        items = _items(heads, main, reasons)
        return Levels("goal_word", measures, items, kana, tuple(reasons), inferred=False)
    pairs: list[tuple[int, str, str]] = []
    free = [f.name for f in families() if f.role in ("", "measure") and f.name in present]
    for parent in (f for f in free if family(f).role == ""):
        if _runs(heads, parent) < 2:
            continue
        for child in free:
            if child == parent:
                continue
            n = segments(heads, parent, child)
            if n >= MIN_NESTED_SEGMENTS:
                pairs.append((n, parent, child))
    # The goal level is the top of the nesting chain (1 > (1) > ①: goal, measure, item): a parent
    # that is nobody's child; among those, the one nesting under most members.
    children = {c for _, _, c in pairs}
    top = [x for x in pairs if x[1] not in children] or pairs
    best = max(top, key=lambda x: x[0], default=None)
    if best is None:
        best = _chapter_goals(heads, free)
        if best is not None:
            reasons.append(
                "no numbering nests under another one but chapters: the chapters "
                "(第N章 / 第N節) holding the measures are the goals"
            )
    if best is None:
        reasons.append(
            "no goal level: no 基本目標 word, and no numbering restarts under another one"
        )
        return Levels("", legacy, (), kana, tuple(reasons), inferred=False)
    n, parent, child = best
    how = "appears under" if family(child).role == "measure" else "starts again at 1 under"
    reasons.append(f"goal: {parent} headings — {child} numbering {how} {n} of them: their child")
    measures = tuple(dict.fromkeys((child, *(f for f in free if family(f).role == "measure"))))
    reasons.append(f"measures: {', '.join(measures)}")
    items = _items(heads, child, reasons)
    return Levels(parent, measures, items, kana, tuple(reasons), inferred=True)


def _chapter_goals(heads: Sequence[Heading], free: Sequence[str]) -> tuple[int, str, str] | None:
    """(members, chapter family, child) when the only nesting is under chapter headings (第2章 …
    第4章 each holding 施策１ …, or 第1節 … 第3節 holding (1) …): the chapters are the goal level.
    A chapter family nesting another chapter family (第2部 > 第1節) is passed over: the inner one
    holds the measures."""
    chapters = [f.name for f in families() if f.role == "chapter"]
    pairs = [
        (n, parent, child)
        for parent in chapters
        if _runs(heads, parent) >= 2
        for child in free
        if (n := segments(heads, parent, child)) >= MIN_NESTED_SEGMENTS
    ]
    return max(pairs, key=lambda x: x[0], default=None)


def _first_under(heads: Sequence[Heading], parent: str, candidates: Sequence[str]) -> str:
    """The family that most often comes first, numbered 1, after a ``parent`` heading (the
    measure numbering: ①② items under 「１　…」 measures restart under each goal too, but never
    come first)."""
    counts: dict[str, int] = dict.fromkeys(candidates, 0)
    waiting = False
    for h in heads:
        if h.family == parent:
            waiting = True
        elif waiting and h.family in counts and h.number == 1:
            counts[h.family] += 1
            waiting = False
    # ties go to the order of trial (dict order), as max over segments did
    return max(counts, key=lambda f: counts[f], default="")


def _items(heads: Sequence[Heading], measure: str, reasons: list[str]) -> tuple[str, ...]:
    """Numbered families that restart under the measure family: the item level."""
    if not measure:
        return ()
    out = []
    for f in families():
        if f.role or f.name in (measure, "kana"):
            continue
        n = segments(heads, measure, f.name)
        if n >= MIN_NESTED_SEGMENTS:
            out.append(f.name)
            reasons.append(f"items: {f.name} lines — they start again at 1 under {n} measures")
    return tuple(out)
