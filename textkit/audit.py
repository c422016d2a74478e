"""KPI audit: two editions' KPI sets → ``KPIAudit`` (formats §4).

What goes in: two ``Strategy`` objects (parsed documents, or KPI tables grouped by ``measure_id``)
and optionally the ``ContinuityMap`` between their measures. What comes out: one ``KPIChange`` per
OLD and per NEW indicator — ``kept``, ``target_changed``, ``dropped`` or ``new`` — where a dropped
KPI says whether its measure lives on without it (what an auditor most needs to see).

Stages, each a module-level function:

1. ``indicator_features``  KPI → canonical name (general paraphrases of ``data/kpi_synonyms.csv``
   applied: 割合/率/比率, 人数/者数/数, 新規高卒者/高校新卒者 …), measured-quantity class from the
   name's head noun (額 / 率 / 度 / 数), unit family and parsed values.
2. ``score_matrix``        OLD × NEW pairing scores 0–1: meaning of the name (IDF-weighted character
   n-grams and Sudachi tokens) × unit compatibility × head-noun compatibility (a ratio spelled out
   — A÷B, 〜当たり — is a ratio; a balance — 増減, A－B — is not a count), plus value evidence
   (a NEW baseline equal to the OLD latest value or target, or far outside its series) and
   measure context (continuity map: the same slot, or a pair leaving a known one); what is
   counted (``counted_mismatch``: 登録物件数 vs 成約件数) weighs against a shared frame.
3. ``assign``              global one-to-one assignment (``scipy.optimize.linear_sum_assignment``) with
   a threshold, so a large side, reordering and renumbering cannot steal pairs; then
   ``weak_pairs`` among the indicators left: two related balances, and indicators facing each
   other in a slot whose numbers continue — each marked 要確認 in its note.
4. ``changes_from_pairs``  status per pair: targets compared as parsed values and comparators (48% =
   48 %), not strings; dropped KPIs get ``measure_continues`` and a note.
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .kpi import parse_cell, split_unit
from .models import (
    KPI,
    ContinuityMap,
    KPIAudit,
    KPIChange,
    KPIStatus,
    Link,
    Relation,
    Rule,
    Strategy,
)
from .normalize import normalize_chars
from .order import facing_gaps
from .settings import AuditSettings, bundled, resolve_as
from .tfidf import fit_tfidf

# ── settings ────────────────────────────────────────────────────────────────
# The matcher's thresholds, bonuses and penalties are ``settings.AuditSettings`` (defaults and why
# each has its value: ``textkit/data/audit.toml``); every function below takes the resolved
# settings, or uses the bundled ones.

# "The same number": exact up to float noise (41,200 → 41,000 is a target change, not rounding).
VALUE_RTOL = 1e-6
_TOTAL_MARK = "延べ"  # 延べ数 / 延数 = 延べ + 数 (a total over visits, not another quantity)
_CUMULATIVE = "累計"  # a running total since the edition began

# Units that measure the same kind of thing. % and money never pair with anything else; counting
# units (人, 件, 団体 …) of different families are penalised (AuditSettings.unit_soft_mismatch),
# not vetoed, since tables mix 人/者.
_UNIT_FAMILIES = {
    "%": "percent",
    "％": "percent",
    "ポイント": "percent",
    "円": "money",
    "千円": "money",
    "万円": "money",
    "億円": "money",
    "百万円": "money",
    "人": "people",
    "千人": "people",
    "万人": "people",
    "人泊": "people",
    "件": "cases",
    "千件": "cases",
}
_HARD_UNITS = {"percent", "money"}

# Head noun (the measured quantity) → class. Checked on the name's end, longest first.
_HEADS = (
    ("満足度", "degree"),
    ("度", "degree"),
    ("割合", "ratio"),
    ("率", "ratio"),
    ("額", "amount"),
    ("高", "amount"),
    ("数", "count"),
    ("寿命", "lifespan"),
)
# Compatible head classes: a 満足度 given in % is the share of satisfied respondents, so degree ~
# ratio when both units are % (AuditSettings.head_degree_ratio); every other cross-class pair is
# another quantity (観光客消費額 ≠ 観光客満足度: AuditSettings.head_mismatch).


@dataclass(frozen=True)
class Indicator:
    """A KPI with what the matcher compares: canonical name, head class, unit family, values."""

    kpi: KPI
    canon: str
    head: str
    unit: str
    family: str
    baseline: float | None  # in base units (億円 → 円) so 千人 and 人 compare
    target: float | None
    comparator: str
    has_target_value: bool
    # a signed difference (社会増減数, 転入超過数, 転入者数－転出者数, △ in a cell): ``is_balance``
    balance: bool = False


# ── 1. features ─────────────────────────────────────────────────────────────


@functools.lru_cache(maxsize=1)
def synonyms() -> tuple[tuple[str, str], ...]:
    """(pattern, replacement) pairs of ``data/kpi_synonyms.csv``, applied in file order."""
    text = resources.files("textkit").joinpath("data/kpi_synonyms.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple((r["pattern"], r["replacement"] or "") for r in rows if r["pattern"])


_BRACKETS = re.compile(r"[()（）「」『』\[\]【】〈〉<>\"'“”\s]")


def canonical_name(name: str) -> str:
    """The name with width/radicals folded, brackets and spaces removed and general paraphrases
    replaced.

    >>> canonical_name("新規高卒者の市内就職割合") == canonical_name("市内高校新卒者の市内就職率")[2:]
    True
    """
    text = unicodedata.normalize("NFKC", normalize_chars(name))
    text = _BRACKETS.sub("", text)
    for pattern, repl in synonyms():
        text = text.replace(pattern, repl)
    return text


_TRAILING_PAREN = re.compile(r"[（(][^（()）]*[)）]\s*$")


class _Grammar(NamedTuple):
    """The grammar of KPI names (``data/kpi_grammar.toml``): counting and arithmetic words."""

    classifiers: frozenset[str]
    persons: frozenset[str]
    grants: frozenset[str]
    holdings: frozenset[str]
    share_endings: tuple[str, ...]
    within: str
    frame_words: frozenset[str]
    moods: tuple[tuple[str, tuple[str, ...]], ...]
    balance_heads: tuple[str, ...]
    measured: str
    counters: str
    arithmetic: frozenset[str]
    differences: tuple[re.Pattern[str], ...]
    ratio: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    from ._compat import tomllib

    text = resources.files("textkit").joinpath("data/kpi_grammar.toml").read_text("utf-8")
    data = tomllib.loads(text)
    measured = data["balance"]["measured_endings"]
    heads = tuple(data["balance"]["heads"])
    marks = "|".join(re.escape(m) for m in data["ratio"]["marks"])
    return _Grammar(
        classifiers=frozenset(data["counted"]["classifiers"]),
        persons=frozenset(data["counted"]["persons"]),
        grants=frozenset(data["counted"]["grants"]),
        holdings=frozenset(data["counted"]["holdings"]),
        share_endings=tuple(data["share"]["endings"]),
        within=data["share"]["within"],
        frame_words=frozenset(data["share"]["frame_words"]),
        moods=tuple((mood, tuple(marks)) for mood, marks in data["share"]["moods"].items()),
        balance_heads=heads,
        measured=measured,
        counters=data["balance"]["counter_endings"],
        arithmetic=frozenset({*heads, *data["balance"]["arithmetic_words"]}),
        # A－B (any minus sign) between two terms ending in a measured noun; AとBの差; AからBを引いた
        differences=(
            re.compile(
                rf"(?P<a>[^\-−‐()]+?[{measured}])\s*[\-−‐]\s*(?P<b>[^\-−‐()]+?[{measured}])"
            ),
            re.compile(r"(?P<a>[^、と()]+)と(?P<b>[^、()]+?)の差"),
            re.compile(r"(?P<a>[^、()]+?)から(?P<b>[^、()]+?)を(?:差し)?引い"),
        ),
        # A ratio spelled out, whatever noun ends the name: a mark anywhere, or A/B after a
        # measured noun (受診者数/対象者数; DX/GX is no ratio)
        ratio=re.compile(rf"{marks}|[{measured}]\s*/\s*\S"),
    )


def head_class(name: str) -> str:
    """The measured quantity from the name's last noun: ``ratio``, ``degree``, ``amount``,
    ``count``, ``lifespan`` or ``other``. A trailing qualifier in brackets is skipped, unless the
    name before it has no head (社会減（転出超過数）). A ratio spelled out anywhere in the name
    (A÷B, 〜当たり) is a ``ratio``: 人口10万人当たりの刑法犯認知件数 = 刑法犯認知率（人口10万人当たり）.

    >>> head_class("人口10万人当たりの刑法犯認知件数"), head_class("刑法犯認知件数")
    ('ratio', 'count')
    """
    text = unicodedata.normalize("NFKC", normalize_chars(name)).strip()
    if _grammar().ratio.search(text):
        return "ratio"
    inner = ""
    m = _TRAILING_PAREN.search(text)
    if m:
        inner = m.group(0).strip("()（） ")
        text = text[: m.start()].strip()
    for candidate in (text, inner):
        core = candidate.rstrip("の延伸向上増加維持")  # 健康寿命の延伸 → 健康寿命
        for suffix, cls in _HEADS:
            if core.endswith(suffix):
                return cls
        for suffix, cls in _HEADS:
            if suffix in core[-4:]:
                return cls
    return "other"


def _parse_raw(raw: str) -> tuple[float | None, str, str]:
    """(value, unit, comparator) of a cell, for KPIs built without parsed values (e.g.
    ``KPI(name=…, target_raw=…)``), read by the one KPI cell parser (``kpi.parse_cell``) that
    documents and KPI tables went through already."""
    cell = parse_cell(raw)
    return cell.value, cell.unit, cell.comparator


def _unit_family(unit: str) -> str:
    """The family of a unit, or of the unit it scales (兆円 → 円 → money, 十万人 → 人)."""
    unit = unit.strip()
    if not unit:
        return ""
    return _UNIT_FAMILIES.get(unit) or _UNIT_FAMILIES.get(split_unit(unit)[1], unit)


def _scaled(value: float | None, unit: str) -> float | None:
    """``value`` in the unit its unit scales (2.84 兆円 → 2.84e12 円; kpi.split_unit)."""
    if value is None:
        return None
    factor, base = split_unit(unit)
    return value * factor if base else value


def indicator_features(kpi: KPI) -> Indicator:
    """The comparable features of one KPI; parsed fields of the KPI win over re-parsing raw cells."""
    b_val, b_unit, _ = _parse_raw(kpi.baseline_raw)
    t_val, t_unit, t_comp = _parse_raw(kpi.target_raw)
    baseline = kpi.baseline_value if kpi.baseline_value is not None else b_val
    target = kpi.target_value if kpi.target_value is not None else t_val
    unit = kpi.unit or t_unit or b_unit
    comparator = kpi.comparator or t_comp
    if target is None and not kpi.target_raw.strip():
        comparator = comparator or ""
    return Indicator(
        kpi=kpi,
        canon=canonical_name(kpi.name),
        head=head_class(kpi.name),
        unit=unit,
        family=_unit_family(unit),
        baseline=_scaled(baseline, unit),
        target=_scaled(target, unit),
        comparator=comparator,
        has_target_value=target is not None,
        balance=is_balance(kpi),
    )


def with_bracket_units(features: Sequence[Indicator]) -> list[Indicator]:
    """Indicators whose cells carry no unit but whose name ends in one in brackets
    (港湾取扱貨物量（万トン）, 450) read their values in that unit — when the tables themselves
    write that unit in a cell somewhere (412万トン): the documents' own unit vocabulary, so a
    bracketed qualifier (（延べ）, （中心商店街）) is never taken for a unit."""
    seen = {x.unit for x in features if x.unit}
    out = []
    for x in features:
        m = _TRAILING_PAREN.search(unicodedata.normalize("NFKC", normalize_chars(x.kpi.name)))
        inner = m.group(0).strip("()（） ") if m else ""
        if x.unit or not inner or inner not in seen:
            out.append(x)
            continue
        b_val, _, _ = _parse_raw(x.kpi.baseline_raw)
        t_val, _, _ = _parse_raw(x.kpi.target_raw)
        base = x.kpi.baseline_value if x.kpi.baseline_value is not None else b_val
        target = x.kpi.target_value if x.kpi.target_value is not None else t_val
        out.append(
            replace(
                x,
                unit=inner,
                family=_unit_family(inner),
                baseline=_scaled(base, inner),
                target=_scaled(target, inner),
            )
        )
    return out


# ── arithmetic in a name: balances (signed differences) ─────────────────────
# A balance is one quantity minus another (社会増減 = 転入 − 転出): its name says so with a word of
# arithmetic — the vocabulary of statistics, not of any one indicator (data/kpi_grammar.toml) — or
# spells the subtraction out (A－B, AとBの差, AからBを引いた数), and its cells may carry a sign
# (△420人, ±0人, ＋100人).
_SIGNED = re.compile(r"[△▲±]|(?:^|[\s(（])[+\-−]\s*\d")


def difference_terms(name: str) -> tuple[str, str] | None:
    """The two terms of a difference spelled out in the name, or None.

    >>> difference_terms("社会動態（転入者数－転出者数）")
    ('転入者数', '転出者数')
    >>> difference_terms("転入者数と転出者数の差（社会増減）")
    ('転入者数', '転出者数')
    >>> difference_terms("観光入込客数（延べ人数）") is None
    True
    """
    text = unicodedata.normalize("NFKC", normalize_chars(name))
    for pattern in _grammar().differences:
        m = pattern.search(text)
        if m:
            return m.group("a").strip(), m.group("b").strip()
    return None


def is_balance(kpi: KPI) -> bool:
    """A signed difference: a name ending in a word of arithmetic (増減, 超過, 純増, 収支, 差 …, also
    inside a trailing bracket: 社会減（転出超過数）), a difference spelled out (``difference_terms``)
    or a cell with a sign (△, ▲, ±, a leading +/−; not a percentage).

    >>> from textkit.models import KPI
    >>> is_balance(KPI("", "", "社会増減数", "", "")), is_balance(KPI("", "", "転入者数", "", ""))
    (True, False)
    >>> is_balance(KPI("", "", "人口の動き", "△31人", "±0人"))
    True
    """
    text = unicodedata.normalize("NFKC", normalize_chars(kpi.name)).strip()
    m = _TRAILING_PAREN.search(text)
    parts = [text[: m.start()], m.group(0).strip("()（） ")] if m and m.start() > 0 else [text]
    grammar = _grammar()
    for part in parts:
        core = part.rstrip(grammar.measured + grammar.counters)  # 社会増減数 → 社会増減
        if core.endswith(grammar.balance_heads):
            return True
    if difference_terms(kpi.name) is not None:
        return True
    cells = [unicodedata.normalize("NFKC", c or "") for c in (kpi.baseline_raw, kpi.target_raw)]
    # a signed percentage (+5%) is a growth rate, not a balance
    return any(_SIGNED.search(c) and "%" not in c for c in cells)


# ── the structure of a share: population and event ─────────────────────────
# 「AのうちBの割合」 is the share of A (the population) for whom B (the event) holds; 「AのB率」 the
# same written short (新規就農者の定着率); a survey share 「〜と思う P の割合」 the share of the
# population P who answered so. The words are data/kpi_grammar.toml [share].
class ShareParts(NamedTuple):
    """A share read as its population and event (``share_parts``); ``form`` is ``within``
    (「AのうちBの割合」), ``rate`` (「AのB率」) or ``survey`` (「〜と思う市民の割合」); ``mood`` the
    survey question's mood (intention, experience, satisfaction; '' when none is marked)."""

    form: str
    population: str
    event: str
    mood: str


_HIRAGANA_END = re.compile(r"^(?P<event>.*[ぁ-ゖ」』])(?P<pop>[^ぁ-ゖ「」『』]+)$")


@functools.lru_cache(maxsize=4096)
def share_parts(name: str) -> ShareParts | None:
    """The population and event of a share, or None when the name is no share of that shape.

    >>> share_parts("高齢者のうち通いの場に参加している人の割合")[:3]
    ('within', '高齢者', '通いの場に参加している人')
    >>> share_parts("新規就農者の定着率")[:3]
    ('rate', '新規就農者', '定着')
    >>> share_parts("市政への参画意向のある市民の割合")
    ShareParts(form='survey', population='市民', event='市政への参画意向のある', mood='intention')
    """
    grammar = _grammar()
    text = unicodedata.normalize("NFKC", normalize_chars(name)).strip()
    m = _TRAILING_PAREN.search(text)
    if m and m.start() > 0:
        text = text[: m.start()].strip()
    ending = next((e for e in grammar.share_endings if text.endswith(e)), "")
    if not ending:
        return None
    body = text[: -len(ending)]
    if grammar.within in body:
        population, event = body.split(grammar.within, 1)
        form = "within"
    elif body.endswith("の") and (hit := _HIRAGANA_END.match(body[:-1])):
        event, population = hit.group("event"), hit.group("pop")
        form = "survey"
    elif "の" in body:
        population, event = body.rsplit("の", 1)
        form = "rate"
        if not event or re.search(r"[ぁ-ゖ]", event):
            return None
    else:
        return None
    event = event.removesuffix("の")
    if not population.strip() or not event.strip():
        return None
    mood = next((k for k, marks in grammar.moods if any(x in event for x in marks)), "")
    return ShareParts(form, population.strip(), event.strip(), mood)


@functools.lru_cache(maxsize=8192)
def _share_words(text: str) -> frozenset[str]:
    """Content words of a share's population or event (every word, stop words too: 市民 is a
    population), with classifiers (卒業者 → 卒業), measured nouns and the survey frame (思う,
    感じる …) set aside; who-is-counted words (生徒, 市民) only when other words remain."""
    from .tokenize import analyze

    grammar = _grammar()
    words: set[str] = set()
    for token in analyze(text, stop=frozenset()).tokens:
        for w in _split_head(token):
            if len(w) > 1 and w[-1] in grammar.classifiers:
                w = w[:-1]
            if w in grammar.classifiers or w in _HEAD_WORDS or w in grammar.frame_words:
                continue
            if w != "うち" and not w.isdigit():
                words.add(w)
    plain = words - grammar.persons
    return frozenset(plain or words)


def _covered(
    small: frozenset[str], big: frozenset[str], near: Any = None, word_match: float = 1.0
) -> bool:
    """Every word of ``small`` found in ``big``: the same word, one inside the other (市 ⊂ 市内:
    Sudachi splits 市内 by context), or word-vector cosine ``near(w, v)`` ≥ ``word_match``."""
    return bool(small) and all(
        any(w in v or v in w or (near is not None and near(w, v) >= word_match) for v in big)
        for w in small
    )


def share_relation(a: Indicator, b: Indicator, near: Any = None, word_match: float = 1.0) -> str:
    """How two shares' structures compare: ``other`` (another population, or one population with
    another event or question mood: a different indicator), ``same`` (one population, the words of
    one event all found in the other), ``intention`` (one population, both asking an intention
    in other words: 住み続けたいと思う ⇄ 定住意向のある), or '' (the structures cannot tell).
    ``near(x, y)``: word-vector cosine of two words (events may be reworded), matched at
    ``word_match``.

    >>> f = lambda n: indicator_features(KPI("", "", n, "", ""))
    >>> share_relation(f("がん検診の受診率"), f("がん検診の対象者のうち受診した人の割合"))
    'same'
    >>> share_relation(f("小学生のうち朝食を食べる児童の割合"), f("中学生のうち朝食を食べる生徒の割合"))
    'other'
    """
    pa, pb = share_parts(a.kpi.name), share_parts(b.kpi.name)
    if pa is None or pb is None:
        return ""
    pop_a, pop_b = _share_words(pa.population), _share_words(pb.population)
    shorter, longer = sorted((pop_a, pop_b), key=len)
    if not _covered(shorter, longer):
        # two populations named as such with no word in common: 小学生のうち vs 中学生のうち (the
        # respondents of a survey share may be re-targeted: 町民 → 保護者 of one question)
        if pa.form == pb.form == "within" and pop_a and pop_b and not (pop_a & pop_b):
            return "other"
        return ""
    if pa.mood and pb.mood and pa.mood != pb.mood:
        return "other"
    ev_a, ev_b = _share_words(pa.event), _share_words(pb.event)
    small, big = sorted((ev_a, ev_b), key=len)
    if _covered(small, big, near, word_match):
        return "same"
    if pa.mood == pb.mood == "intention":
        return "intention"
    if pa.form == pb.form == "within":
        return "other"  # 高齢者のうち要介護認定を受けていない人 vs 高齢者のうち通いの場に参加している人
    return ""


# ── 2. scores ───────────────────────────────────────────────────────────────


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=VALUE_RTOL, abs_tol=1e-9)


def unit_compatibility(a: Indicator, b: Indicator, settings: AuditSettings | None = None) -> float:
    """1 for the same unit family, 0 (veto) when % or money meets anything else."""
    s = settings or bundled(AuditSettings)
    if not a.family or not b.family:
        return s.unit_unknown
    if a.family == b.family:
        return 1.0
    if a.family in _HARD_UNITS or b.family in _HARD_UNITS:
        return 0.0
    return s.unit_soft_mismatch


def head_compatibility(a: Indicator, b: Indicator, settings: AuditSettings | None = None) -> float:
    s = settings or bundled(AuditSettings)
    if a.balance != b.balance:
        # a signed difference is not either of its terms: 転出者数 ≠ 転入超過数（転入者数－転出者数）
        return s.head_mismatch
    if a.head == b.head or "other" in (a.head, b.head):
        return 1.0
    if {a.head, b.head} == {"degree", "ratio"} and a.family == b.family == "percent":
        # 地域公共交通の満足度 (%) = 満足している市民の割合, but only when the ratio side names the same
        # stem (満足, 認知, 理解 …); 観光客満足度 ≠ 再来訪意向率.
        degree, ratio = (a, b) if a.head == "degree" else (b, a)
        stem = _degree_stem(degree.kpi.name)
        if stem and stem in canonical_name(ratio.kpi.name):
            return s.head_degree_ratio
    if {a.head, b.head} == {"lifespan", "other"}:
        return 1.0
    return s.head_mismatch


def _degree_stem(name: str) -> str:
    """満足 of 観光客満足度: the two characters before the final 度."""
    text = canonical_name(name)
    i = text.rfind("度")
    return text[max(0, i - 2) : i] if i >= 2 else ""


def value_evidence(a: Indicator, b: Indicator, settings: AuditSettings | None = None) -> float:
    """Bonus (or penalty) from numbers: a NEW baseline that continues the OLD series."""
    s = settings or bundled(AuditSettings)
    bonus = 0.0
    if _same(b.baseline, a.target) or _same(b.baseline, a.baseline):
        bonus += s.value_match_bonus
    if a.has_target_value and _same(b.target, a.target):
        bonus += s.target_match_bonus
    gap = series_gap(a, b)
    if gap is not None and gap > math.log10(s.scale_ratio):
        bonus -= s.scale_mismatch_penalty * (gap - math.log10(s.scale_ratio))
    return bonus


def _cumulative(x: Indicator) -> bool:
    """A running total (累計): it restarts with each edition, so its new baseline says nothing
    about the old series."""
    return any(_CUMULATIVE in t for t in (x.kpi.name, x.kpi.target_raw, x.kpi.baseline_raw))


def series_gap(a: Indicator, b: Indicator) -> float | None:
    """How far (in decades, log10) NEW's baseline lies outside OLD's series — its baseline …
    target — or 0 inside it; None where numbers cannot tell (no values, another unit family, %,
    a running total, negative values). Counts are shifted by 1 so 0 → 3 件 is a small step.

    >>> from textkit.models import KPI
    >>> old = indicator_features(KPI("", "", "寄附件数", "8,000件", "10,000件"))
    >>> round(series_gap(old, indicator_features(KPI("", "", "寄附件数", "3件", "10件"))), 2)
    3.3
    >>> series_gap(old, indicator_features(KPI("", "", "寄附件数", "9,100件", "12,000件")))
    0.0
    """
    if not a.family or a.family != b.family or a.family == "percent":
        return None
    if _cumulative(a) or _cumulative(b):
        return None
    old = [v for v in (a.baseline, a.target) if v is not None]
    if b.baseline is None or not old or min(*old, b.baseline) < 0:
        return None
    low, high = math.log10(min(old) + 1), math.log10(max(old) + 1)
    here = math.log10(b.baseline + 1)
    return max(0.0, low - here, here - high)


def _char_ngrams(text: str) -> list[str]:
    grams = [text[i : i + n] for n in (2, 3) for i in range(len(text) - n + 1)]
    return grams or [text]


def _tokens(names: Sequence[str]) -> list[tuple[str, ...]]:
    """Sudachi content-word tokens (textkit.tokenize)."""
    from .tokenize import tokenize_many

    return tokenize_many(list(names))


def name_similarity(
    old: Sequence[Indicator], new: Sequence[Indicator], settings: AuditSettings | None = None
) -> np.ndarray:
    """OLD × NEW similarity 0–1 of the canonical names.

    IDF-weighted character 2/3-gram cosine (fitted on both sides, so survey boilerplate such as
    市民の割合 weighs little) blended with the Jaccard overlap of Sudachi tokens of the canonical
    names, which sees word order changes (高校新卒者の市内就職率) as the same words.
    """
    cfg = settings or bundled(AuditSettings)
    names = [x.canon for x in old] + [x.canon for x in new]
    tfidf = fit_tfidf([_char_ngrams(n) for n in names])
    matrix = tfidf.matrix.astype(np.float64)
    idf = tfidf.idf_vector if tfidf.idf_vector is not None else np.zeros(matrix.shape[1])
    a, b = matrix[: len(old)], matrix[len(old) :]
    cosine = (a @ b.T).toarray()
    # IDF-weighted containment of the shorter name in the longer: a long enumeration (「市民大学講座、
    # はつらつ講座 …」の参加者の割合) reworded short keeps most of its rare n-grams, which cosine
    # dilutes. Over-containment (観光客消費額 in 観光客一人当たりの消費額) is caught by units/scale.
    present = (matrix > 0).astype(float).multiply(idf).tocsr()
    mass = np.asarray(present.sum(axis=1)).ravel()
    shared = (present[: len(old)] @ (matrix[len(old) :] > 0).astype(float).T).toarray()
    smaller = np.minimum.outer(mass[: len(old)], mass[len(old) :])
    containment = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
    char_sim = (1 - cfg.containment_weight) * cosine + cfg.containment_weight * containment
    toks = _tokens(names)
    sets = [set(t) for t in toks]
    tok_sim = np.zeros_like(char_sim)
    for i in range(len(old)):
        for j in range(len(new)):
            s, t = sets[i], sets[len(old) + j]
            if s and t:
                tok_sim[i, j] = len(s & t) / len(s | t)
    # Characters carry most of the weight: Sudachi splits rare compounds differently on each side.
    return cfg.char_weight * char_sim + (1 - cfg.char_weight) * np.maximum(tok_sim, char_sim)


def name_words(name: str) -> tuple[str, ...]:
    """Content words of a KPI name with 延べ split off its counter (延べ数 → 延べ, 数) and a
    measured noun split off what it counts (客数 → 客, 数; 販売額 → 販売, 額): 観光入込客延数 and
    観光入込客数（延べ人数） then share every word.

    >>> name_words("観光入込客延数")
    ('観光', '入込', '客', '延べ', '数')
    """
    out: list[str] = []
    for w in _tokens([name])[0]:
        for prefix in (_TOTAL_MARK, _TOTAL_MARK[0]):
            rest = w[len(prefix) :]
            if w.startswith(prefix) and rest and rest != _TOTAL_MARK[1:]:
                out += [_TOTAL_MARK, *_split_head(rest)]
                break
        else:
            out += _split_head(w)
    return tuple(out)


def _split_head(word: str) -> list[str]:
    """件数 → 件, 数: a word ending in a measured noun of ``_HEADS`` (数, 額, 率 …) longer than it."""
    for suffix, _ in _HEADS:
        if word.endswith(suffix) and len(word) > len(suffix):
            return [word[: -len(suffix)], suffix]
    return [word]


def head_word(name: str) -> str:
    """The measured noun: the last content word, a trailing bracket qualifier and a 延べ prefix
    set aside (市の観光客延数 and 市内観光客数（延べ） both end in 数).

    >>> head_word("市の観光客延数"), head_word("市内観光客数（延べ）")
    ('数', '数')
    """
    text = unicodedata.normalize("NFKC", normalize_chars(name)).strip()
    m = _TRAILING_PAREN.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    words = name_words(text)
    return words[-1] if words else ""


def _words_contained(
    a: tuple[str, ...], b: tuple[str, ...], near: np.ndarray, word_match: float
) -> bool:
    """Every word of the shorter list matched to a word of its own in the longer (the same word,
    or vector cosine ≥ ``word_match``), one to one: one loose word (観光 ~ 市内 0.59, 観光 ~ 宿泊
    0.58) cannot stand for two. ``near`` is the a × b word cosine matrix."""
    from scipy.optimize import linear_sum_assignment

    if not a or not b:
        return False
    sim = near.copy()
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if x == y:
                sim[i, j] = 1.0
    found = np.where(sim >= word_match, 1.0 + sim, 0.0)  # matched words first, then the closest
    rows, cols = linear_sum_assignment(found, maximize=True)
    return int((found[rows, cols] > 0).sum()) == min(len(a), len(b))


def semantic_similarity(
    old: Sequence[Indicator], new: Sequence[Indicator], settings: AuditSettings | None = None
) -> np.ndarray:
    """OLD × NEW cosine of the names' word-vector means where the two are the same measured
    quantity reworded (word_match and semantic_min in data/audit.toml); 0 elsewhere."""
    from .semantic import embed_tokens

    s = settings or bundled(AuditSettings)
    every = [*old, *new]
    words = [name_words(x.kpi.name) for x in every]
    names = embed_tokens(words)
    heads = [head_word(x.kpi.name) for x in every]
    vocab = sorted({w for ws in words for w in ws})
    pos = {w: k for k, w in enumerate(vocab)}
    wv = embed_tokens([(w,) for w in vocab])
    out = np.zeros((len(old), len(new)))
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            k = len(old) + j
            if not heads[i] or heads[i] != heads[k] or a.head != b.head:
                continue
            if unit_compatibility(a, b, s) < s.unit_unknown:
                continue
            cos = float(names[i] @ names[k])
            if cos < s.semantic_min:
                continue
            near = wv[[pos[w] for w in words[i]]] @ wv[[pos[w] for w in words[k]]].T
            if _words_contained(words[i], words[k], near, s.word_match):
                out[i, j] = cos
    return out


@functools.lru_cache(maxsize=65536)
def word_cosine(x: str, y: str) -> float:
    """Word-vector cosine of two words (textkit.semantic; 0 when either has no vector)."""
    from .semantic import embed_tokens

    if x == y:
        return 1.0
    v = embed_tokens([(x,), (y,)])
    return float(v[0] @ v[1])


def sentence_cosines(old: Sequence[Indicator], new: Sequence[Indicator]) -> np.ndarray:
    """OLD × NEW cosine of the whole names read by the shipped sentence encoder
    (textkit.sentence: each side one batch in table order, cached per document). A phrase read as
    a whole (省エネ家電買替補助 ≈ 家庭の省エネ機器導入への支援), used only under the grammar's evidence
    (same counted thing, unit, period and slot: ``meaning_successors``; one share structure:
    ``share_relation``), never alone: names sharing a frame score 0.9 whatever differs."""
    from .sentence import embed

    if not old or not new:
        return np.zeros((len(old), len(new)))
    a = embed(tuple(x.kpi.name for x in old))
    b = embed(tuple(x.kpi.name for x in new))
    return np.asarray(a @ b.T, dtype=np.float64)


# ── what is counted ─────────────────────────────────────────────────────────
# Classifiers (件, 人, 戸 … data/kpi_grammar.toml [counted]) say how a count is taken, not what it
# counts (空き家バンクを通じた成約件数 counts 成約; 町営住宅の入居戸数 counts 入居).
_HEAD_WORDS = frozenset({suffix for suffix, _ in _HEADS} | {"割合"})
_COUNTED_CLASSES = frozenset(
    {"count", "amount"}
)  # a 割合's last word is a predicate (思う, 感じる)


@functools.lru_cache(maxsize=4096)
def counted_noun(name: str) -> str:
    """What a count or amount counts: the name's last content word before its measured noun (数,
    額 …), classifiers (件, 人, 戸 …) and 延べ set aside, a trailing bracket qualifier ignored.
    Read from every content word (the administrative stop words — 支援, 事業 … — can be what is
    counted).

    >>> counted_noun("空き家バンク登録物件数（累計）"), counted_noun("空き家バンクを通じた成約件数（累計）")
    ('登録', '成約')
    """
    from .tokenize import analyze

    text = unicodedata.normalize("NFKC", normalize_chars(name)).strip()
    m = _TRAILING_PAREN.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    words: list[str] = []
    for w in analyze(text, stop=frozenset()).tokens:
        if w.startswith(_TOTAL_MARK[0]) and w[1:] and w[1:] != _TOTAL_MARK[1:]:
            w = w[2:] if w.startswith(_TOTAL_MARK) else w[1:]  # 延べ利用者 → 利用者
        words += _split_head(w) if w else []
    grammar = _grammar()
    while words and (
        words[-1] in _HEAD_WORDS or words[-1] in grammar.classifiers or words[-1] == _TOTAL_MARK
    ):
        words.pop()
    if len(words) > 1 and words[-1] in grammar.persons:
        words.pop()  # 登録児童 counts 登録: who is counted, as a classifier says how
    return words[-1] if words else ""


def act_class(word: str) -> frozenset[str]:
    """The class of acts a counted word belongs to (grants: 補助, 交付 …; holdings: 実施, 開催;
    data/kpi_grammar.toml [counted]), or an empty set."""
    grammar = _grammar()
    return next((c for c in (grammar.grants, grammar.holdings) if word in c), frozenset())


@functools.lru_cache(maxsize=4096)
def act_object(name: str) -> str:
    """What a count of acts is about: the word before its act words (補助の交付件数 → what the
    grant is for; 〇〇の実施回数 → what was held), or '' when the name counts no act.

    >>> act_object("三世代同居住宅改修補助の交付件数（累計）"), act_object("出店支援の件数")
    ('改修', '出店')
    >>> act_object("健康相談の実施回数"), act_object("刑法犯認知件数")
    ('健康相談', '')
    """
    acts = act_class(counted_noun(name))
    if not acts:
        return ""
    from .tokenize import analyze

    text = unicodedata.normalize("NFKC", normalize_chars(name)).strip()
    m = _TRAILING_PAREN.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    words = [w for t in analyze(text, stop=frozenset()).tokens for w in _split_head(t)]
    while words and words[-1] != counted_noun(name):
        words.pop()
    while words and words[-1] in acts:
        words.pop()
    return words[-1] if words else ""


def counted_mismatch(
    old: Sequence[Indicator], new: Sequence[Indicator], settings: AuditSettings | None = None
) -> np.ndarray:
    """OLD × NEW: True where both are counts (or both amounts) and what they count
    (``counted_noun``) differs: not the same word, not one inside the other's name (児童 in
    放課後児童クラブの待機児童数, 相談 in 移住相談窓口を利用した件数), and word-vector cosine of the two
    below ``word_match`` — 登録物件数 vs 成約件数 under a shared 空き家バンク frame. The two counted
    words are compared with each other, not with every word of the other name (入居 ~ 住宅 0.50
    would excuse 町営住宅の入居戸数 vs 町営住宅の空き戸数)."""
    from .semantic import embed_tokens

    s = settings or bundled(AuditSettings)
    every = [*old, *new]
    counted = [counted_noun(x.kpi.name) if x.head in _COUNTED_CLASSES else "" for x in every]
    vocab = sorted({c for c in counted if c})
    pos = {w: k for k, w in enumerate(vocab)}
    vectors = embed_tokens([(w,) for w in vocab]) if vocab else np.zeros((0, 0))
    out = np.zeros((len(old), len(new)), dtype=bool)
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            ca, cb = counted[i], counted[len(old) + j]
            if not ca or not cb or a.head != b.head:
                continue
            if act_class(ca) and act_class(ca) == act_class(cb):
                # two counts of one kind of act: what each is about decides (省エネ家電買替補助の
                # 交付件数 vs 三世代同居住宅改修補助の交付件数), not the word naming the act
                ca, cb = act_object(a.kpi.name), act_object(b.kpi.name)
                if not ca or not cb:
                    continue
                near = word_cosine(ca, cb)
            elif ca == cb:
                continue
            else:
                near = float(vectors[pos[ca]] @ vectors[pos[cb]])
            if ca == cb or ca in b.canon or cb in a.canon:
                continue
            out[i, j] = near < s.word_match
    return out


def series_continues(a: Indicator, b: Indicator, settings: AuditSettings | None = None) -> bool:
    """NEW's baseline lies within ``continues_ratio`` of OLD's series (its baseline … target):
    the numbers say the indicator goes on, whatever its name now says."""
    s = settings or bundled(AuditSettings)
    gap = series_gap(a, b)
    return gap is not None and gap <= math.log10(s.continues_ratio)


def _measure_links(cmap: ContinuityMap | None, *, known: bool = False) -> dict[str, set[str]]:
    """OLD measure id → NEW measure ids it continues as (non-dropped links only); ``known``: only
    links with evidence of their own, not the slots that document order alone left facing
    (``Rule.ORDER_GAP``)."""
    out: dict[str, set[str]] = {}
    if cmap is None:
        return out
    for link in cmap.links:
        if known and link.rule is Rule.ORDER_GAP:
            continue
        if link.old_id and link.new_id and Relation(link.relation) is not Relation.DROPPED:
            out.setdefault(link.old_id, set()).add(link.new_id)
    return out


def share_evidence(
    old: Sequence[Indicator], new: Sequence[Indicator], text: np.ndarray, settings: AuditSettings
) -> tuple[np.ndarray, np.ndarray]:
    """What the structures of two shares (``share_relation``) say, as (name similarity, factor):
    one structure reworded pairs on the names' whole meaning (similarity at least
    ``semantic_weight`` × their ``sentence_cosines``); another population or question is another
    quantity (factor ``counted_mismatch``, as another counted thing)."""
    text = text.copy()
    factor = np.ones_like(text)
    relations = {
        (i, j): rel
        for i, a in enumerate(old)
        if a.head == "ratio"
        for j, b in enumerate(new)
        if b.head == "ratio" and (rel := share_relation(a, b, word_cosine, settings.word_match))
    }
    sentence = sentence_cosines(old, new) if "same" in relations.values() else None
    for (i, j), rel in relations.items():
        if rel == "same" and sentence is not None:
            text[i, j] = max(text[i, j], settings.semantic_weight * sentence[i, j])
        elif rel == "other":
            factor[i, j] = settings.counted_mismatch
    return text, factor


def score_matrix(
    old: Sequence[Indicator],
    new: Sequence[Indicator],
    *,
    cmap: ContinuityMap | None = None,
    settings: AuditSettings | None = None,
) -> np.ndarray:
    """OLD × NEW pairing scores 0–1 (see the module docstring for the evidence)."""
    if not old or not new:
        return np.zeros((len(old), len(new)))
    s = settings or bundled(AuditSettings)
    text = name_similarity(old, new, s)
    meaning = semantic_similarity(old, new, s)
    text = np.maximum(text, s.semantic_weight * meaning)
    other_thing = counted_mismatch(old, new, s)
    text, structure = share_evidence(old, new, text, s)
    links = _measure_links(cmap)
    known = _measure_links(cmap, known=True)
    sources: dict[str, set[str]] = {}
    for o, targets in known.items():
        for n in targets:
            sources.setdefault(n, set()).add(o)
    scores = np.zeros_like(text)
    for i, a in enumerate(old):
        linked = links.get(a.kpi.measure_id, set())
        slots = known.get(a.kpi.measure_id, set())
        for j, b in enumerate(new):
            unit = unit_compatibility(a, b, s)
            if unit == 0.0:
                continue
            score = text[i, j] * unit * head_compatibility(a, b, s)
            score += value_evidence(a, b, s) * min(1.0, 2 * text[i, j])  # numbers alone never pair
            if b.kpi.measure_id in linked:
                score += s.context_bonus
            elif "goal" not in (a.kpi.level, b.kpi.level) and (
                slots or a.kpi.measure_id not in sources.get(b.kpi.measure_id, {a.kpi.measure_id})
            ):
                # OLD's measure is known to continue as another NEW measure, or NEW's measure to
                # continue another OLD one: the pair leaves a known slot (none of the 178
                # measure-level gold pairs of the KPI cases does)
                score -= s.cross_slot_penalty
            if a.kpi.level and b.kpi.level and a.kpi.level != b.kpi.level:
                score -= s.level_mismatch_penalty
            score = min(1.0, max(0.0, score))
            if other_thing[i, j] and not meaning[i, j] and not series_continues(a, b, s):
                # a shared frame (and slot) around another counted thing: what is counted decides,
                # unless every word of one name has its counterpart in the other (meaning) or the
                # numbers go on
                score *= s.counted_mismatch
            scores[i, j] = score * structure[i, j]
    return scores


# ── 3. assignment ───────────────────────────────────────────────────────────


def assign(scores: np.ndarray, threshold: float, *, margin: bool = False) -> list[tuple[int, int]]:
    """Global one-to-one pairs (OLD index, NEW index) maximising the total score, each ≥ threshold
    (``AuditSettings.pair_threshold``). With ``margin``, what is maximised is each pair's margin
    over the threshold (its score − threshold): a pair just above the threshold is barely
    evidence, so one strong pair is not traded for two weak ones (0.82 beats 0.60 + 0.52 at 0.4:
    0.42 > 0.20 + 0.12), while two clear pairs still beat one."""
    from scipy.optimize import linear_sum_assignment

    if scores.size == 0:
        return []
    # Pairs under the threshold contribute nothing, so the assignment never trades a strong pair
    # for two weak ones that would be rejected anyway.
    floor = threshold - 1e-9 if margin else 0.0  # a pair at the threshold still counts (> 0)
    gated = np.where(scores >= threshold, scores - floor, 0.0)
    rows, cols = linear_sum_assignment(gated, maximize=True)
    return sorted((int(r), int(c)) for r, c in zip(rows, cols, strict=True) if gated[r, c] > 0)


# ── 3b. weak evidence: structure and numbers, among the indicators left unpaired ──────────────
# Pairs the names do not make, made by what else the tables say: the arithmetic of two balances,
# or numbers that continue in the slot facing the old indicator. Each such pair says so in its
# note (要確認): a reviewer confirms it; nothing pairs silently as kept on weak evidence.
class WeakPair(NamedTuple):
    """A pair made by weak evidence: OLD and NEW indices and the 要確認 note that says why."""

    old: int
    new: int
    note: str


class WeakEvidence(NamedTuple):
    """What ``weak_pairs`` found: the pairs it made, and for OLD indicators left unpaired whose
    facing indicator numbers cannot confirm (a running total), a 要確認 hint naming it."""

    pairs: list[WeakPair]
    hints: dict[int, str]


def _plain_words(name: str) -> set[str]:
    """Content words of a name without its arithmetic, measured nouns and classifiers: what a
    balance is a balance of (社会, 転入 …)."""
    grammar = _grammar()
    return {
        w
        for w in name_words(name)
        if w not in grammar.arithmetic and w not in _HEAD_WORDS and w not in grammar.classifiers
    }


def related_balances(a: Indicator, b: Indicator, settings: AuditSettings | None = None) -> str:
    """The word two balances share outside their arithmetic ('' when they are not related): both
    signed differences (``is_balance``) with a compatible unit, sharing a content word (社会増減数
    ⇄ 社会動態（転入者数－転出者数）: 社会; 自然増減 vs 社会増減 share none) and, when both spell their
    terms out, a term word (出生数－死亡数 vs 転入者数－転出者数 share none)."""
    s = settings or bundled(AuditSettings)
    if not (a.balance and b.balance) or unit_compatibility(a, b, s) < s.unit_unknown:
        return ""
    terms_a, terms_b = difference_terms(a.kpi.name), difference_terms(b.kpi.name)
    if terms_a and terms_b:
        words_a = set().union(*(_plain_words(t) for t in terms_a))
        words_b = set().union(*(_plain_words(t) for t in terms_b))
        if not words_a & words_b:
            return ""
    shared = _plain_words(a.kpi.name) & _plain_words(b.kpi.name)
    return min(shared, key=lambda w: (-len(w), w)) if shared else ""


def continues_in_slot(
    a: Indicator, b: Indicator, settings: AuditSettings | None = None
) -> bool | None:
    """NEW's baseline lies inside OLD's baseline … target (same unit family and scale, the same
    measured quantity): for two indicators facing each other in one slot, the number says the
    series goes on under another name. None where numbers cannot tell although the two measure
    the same kind of quantity: a running total (累計 restarts with the edition) or a missing
    value. Never for percentages (survey shares of one slot fall in each other's ranges by
    chance)."""
    s = settings or bundled(AuditSettings)
    if not a.family or a.family != b.family or a.family == "percent":
        return False
    if head_compatibility(a, b, s) < 1.0:
        return False
    if _cumulative(a) or _cumulative(b):
        return None
    if a.baseline is None or a.target is None or b.baseline is None:
        return None
    low, high = sorted((a.baseline, a.target))
    slack = VALUE_RTOL * max(abs(low), abs(high), 1.0)
    return bool(low - slack <= b.baseline <= high + slack)


def _slots(
    old: Sequence[Indicator],
    new: Sequence[Indicator],
    pairs: Sequence[tuple[int, int]],
    cmap: ContinuityMap | None,
) -> list[tuple[list[int], list[int]]]:
    """(OLD indices, NEW indices) of every slot, in table order: the 数値目標 of each edition, and
    the KPIs of each pair of measures linked one to one. An indicator paired outside its slot
    is not in it; its paired indicators are the anchors ``facing_gaps`` reads."""
    by_old, by_new = dict(pairs), {j: i for i, j in pairs}
    units: list[tuple[list[int], list[int]]] = [
        (
            [i for i, x in enumerate(old) if x.kpi.level == "goal"],
            [j for j, y in enumerate(new) if y.kpi.level == "goal"],
        )
    ]
    links = _measure_links(cmap)
    sources: dict[str, set[str]] = {}
    for o, targets in links.items():
        for n in targets:
            sources.setdefault(n, set()).add(o)
    for o, targets in links.items():
        (n,) = targets if len(targets) == 1 else ("",)
        if n and sources.get(n) == {o}:
            units.append(
                (
                    [
                        i
                        for i, x in enumerate(old)
                        if x.kpi.measure_id == o and x.kpi.level != "goal"
                    ],
                    [
                        j
                        for j, y in enumerate(new)
                        if y.kpi.measure_id == n and y.kpi.level != "goal"
                    ],
                )
            )
    out = []
    for olds, news in units:
        inside_o, inside_n = set(olds), set(news)
        olds = [i for i in olds if i not in by_old or by_old[i] in inside_n]
        news = [j for j in news if j not in by_new or by_new[j] in inside_o]
        out.append((olds, news))
    return out


def _linked_groups(
    old: Sequence[Indicator],
    new: Sequence[Indicator],
    cmap: ContinuityMap | None,
) -> tuple[list[tuple[list[int], list[int]]], list[tuple[list[int], list[int]]]]:
    """Known slots and unknown ones, each a list of (OLD indices, NEW indices). Known: the 数値目標
    of each edition, and every group of measures the map links together — one to one, merged or
    split (the connected parts of its links). Unknown: the KPIs of OLD measures no row of the map
    names against every NEW KPI, and every OLD KPI against those of such NEW measures (nothing
    says where they went: e.g. KPI tables whose measures no confident pair linked)."""
    goals = (
        [i for i, x in enumerate(old) if x.kpi.level == "goal"],
        [j for j, y in enumerate(new) if y.kpi.level == "goal"],
    )
    links = _measure_links(cmap)
    named = {("o", x.old_id) for x in cmap.links if x.old_id} if cmap else set()
    named |= {("n", x.new_id) for x in cmap.links if x.new_id} if cmap else set()
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for o, targets in links.items():
        for n in targets:
            parent[find(("o", o))] = find(("n", n))
    groups: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    unknown_old = [
        i
        for i, x in enumerate(old)
        if x.kpi.level != "goal" and ("o", x.kpi.measure_id) not in named
    ]
    unknown_new = [
        j
        for j, y in enumerate(new)
        if y.kpi.level != "goal" and ("n", y.kpi.measure_id) not in named
    ]
    for i, x in enumerate(old):
        if x.kpi.level != "goal" and ("o", x.kpi.measure_id) in parent:
            groups.setdefault(find(("o", x.kpi.measure_id)), ([], []))[0].append(i)
    for j, y in enumerate(new):
        if y.kpi.level != "goal" and ("n", y.kpi.measure_id) in parent:
            groups.setdefault(find(("n", y.kpi.measure_id)), ([], []))[1].append(j)
    unknown = []
    if unknown_old or unknown_new:
        every_old = [i for i, x in enumerate(old) if x.kpi.level != "goal"]
        every_new = [j for j, y in enumerate(new) if y.kpi.level != "goal"]
        unknown = [(unknown_old, every_new), (every_old, unknown_new)]
    return [goals, *groups.values()], unknown


def weak_pairs(
    old: Sequence[Indicator],
    new: Sequence[Indicator],
    pairs: Sequence[tuple[int, int]],
    *,
    cmap: ContinuityMap | None,
    settings: AuditSettings | None = None,
) -> WeakEvidence:
    """Pairs among the indicators ``pairs`` left unpaired: two related balances
    (``related_balances``, one to one by the assignment), then, in each slot (``_slots``), the
    indicators ``facing_gaps`` leaves facing each other whose numbers continue
    (``continues_in_slot``); where the numbers cannot tell, the OLD indicator gets a hint."""
    s = settings or bundled(AuditSettings)
    free_old = [i for i in range(len(old)) if i not in dict(pairs)]
    taken = {j for _, j in pairs}
    free_new = [j for j in range(len(new)) if j not in taken]
    out: list[WeakPair] = []
    hints: dict[int, str] = {}
    shared = {
        (i, j): w
        for i in free_old
        if old[i].balance
        for j in free_new
        if (w := related_balances(old[i], new[j], s))
    }
    if shared:
        grid = np.zeros((len(old), len(new)))
        for i, j in shared:
            grid[i, j] = 1.0 + (old[i].kpi.level == new[j].kpi.level)
        for i, j in assign(grid, 1.0):
            out.append(
                WeakPair(
                    i,
                    j,
                    f"要確認: 名称は異なるがどちらも差 (増減) の指標で「{shared[i, j]}」を共有",
                )
            )
    done = [*pairs, *((w.old, w.new) for w in out)]
    made = {w.old for w in out} | {w.new + len(old) for w in out}
    for olds, news in _slots(old, new, done, cmap):
        local = {(olds.index(i), news.index(j)) for i, j in done if i in olds and j in news}
        for gap_old, gap_new in facing_gaps(local, len(olds), len(news)):
            for p, q in zip(gap_old, gap_new, strict=True):
                i, j = olds[p], news[q]
                if i in made or j + len(old) in made:
                    continue
                a, b = old[i].kpi, new[j].kpi
                goes_on = continues_in_slot(old[i], new[j], s)
                if goes_on and other_act(old[i], new[j], s):
                    continue  # numbers alone never pair two acts about other things
                if goes_on is None:
                    hints[i] = (
                        f"要確認: 同じ位置の新しい指標「{b.name}」が後継の可能性 (数値では判断できない)"
                    )
                if not goes_on:
                    continue
                out.append(
                    WeakPair(
                        i,
                        j,
                        f"要確認: 名称の一致は弱いが、同じ位置の指標で新しい基準値 "
                        f"{b.baseline_raw.strip()} が旧指標の基準値〜目標値 "
                        f"({a.baseline_raw.strip()} 〜 {a.target_raw.strip()}) の範囲内",
                    )
                )
    done = [*pairs, *((w.old, w.new) for w in out)]
    found = meaning_successors(old, new, done, cmap=cmap, settings=s)
    for successor in found:
        hints.pop(successor.old, None)
    return WeakEvidence([*out, *found], hints)


def other_act(a: Indicator, b: Indicator, settings: AuditSettings | None = None) -> bool:
    """Two counts of one kind of act (``act_class``) about different things (``act_object``: not
    the same word, neither inside the other name, vector cosine < ``word_match``): 健康相談の実施
    回数 vs 健康教室の開催回数."""
    s = settings or bundled(AuditSettings)
    if a.head != b.head or a.head not in _COUNTED_CLASSES:
        return False
    ca, cb = counted_noun(a.kpi.name), counted_noun(b.kpi.name)
    if not act_class(ca) or act_class(ca) != act_class(cb):
        return False
    oa, ob = act_object(a.kpi.name), act_object(b.kpi.name)
    if not oa or not ob or oa == ob or oa in b.canon or ob in a.canon:
        return False
    return word_cosine(oa, ob) < s.word_match


def same_counted(a: Indicator, b: Indicator, settings: AuditSettings | None = None) -> bool:
    """Both count (or both sum) the same thing: the same counted word (``counted_noun``), one
    inside the other, two words of one class of acts (``act_class``: 補助 ⇄ 助成 ⇄ 支援 ⇄ 交付;
    実施 ⇄ 開催), or words with vector cosine ≥ ``word_match``. What the acts are about is left to
    the caller (``meaning_successors`` reads it from the whole name)."""
    s = settings or bundled(AuditSettings)
    if a.head != b.head or a.head not in _COUNTED_CLASSES:
        return False
    ca, cb = counted_noun(a.kpi.name), counted_noun(b.kpi.name)
    if not ca or not cb:
        return False
    return (
        ca == cb
        or ca in cb
        or cb in ca
        or bool(act_class(ca) and act_class(ca) == act_class(cb))
        or word_cosine(ca, cb) >= s.word_match
    )


def _successor_kind(a: Indicator, b: Indicator, s: AuditSettings) -> str:
    """Whether the grammar lets ``meaning_successors`` pair two indicators on meaning: 'counted'
    (the same counted thing, unit family, period; numbers not against it), 'intention' (two
    intention questions of one population) or ''."""
    if not a.family or a.family != b.family or a.balance != b.balance:
        return ""
    if a.head == b.head == "ratio":
        return "intention" if share_relation(a, b, word_cosine, s.word_match) == "intention" else ""
    if not same_counted(a, b, s) or _cumulative(a) != _cumulative(b):
        return ""
    gap = series_gap(a, b)
    return "" if gap is not None and gap > math.log10(s.continues_ratio) else "counted"


def meaning_successors(
    old: Sequence[Indicator],
    new: Sequence[Indicator],
    pairs: Sequence[tuple[int, int]],
    *,
    cmap: ContinuityMap | None,
    settings: AuditSettings | None = None,
) -> list[WeakPair]:
    """Pairs by the meaning of the whole name (``sentence_cosines``) among indicators still
    unpaired in one group of linked measures (``_linked_groups``), where the grammar says they
    measure one thing and the numbers do not say otherwise:

    - two counts or amounts of the same counted thing (``same_counted``), the same unit family,
      both running totals (累計) or neither, NEW's baseline not beyond ``continues_ratio`` of
      OLD's series, and names whose sentence cosine is ≥ ``sentence_min`` (in an unknown slot
      ≥ ``unslotted_sentence_min``; a subsidy renamed:
      住宅用太陽光発電設置補助件数（累計） ⇄ 太陽光パネル・蓄電池の設置助成件数（累計）);
    - two survey shares of one population both asking an intention (``share_relation``:
      〜したいと思う ⇄ 〜意向のある) whose names' cosine is ≥ ``share_sentence_min``.

    One to one by cosine; each marked 要確認 with its evidence."""
    s = settings or bundled(AuditSettings)
    by_old, by_new = dict(pairs), {j for _, j in pairs}
    candidates: dict[tuple[int, int], str] = {}
    known, unknown = _linked_groups(old, new, cmap)
    slotted = {(i, j) for olds, news in known for i in olds for j in news}
    for olds, news in known + unknown:
        for i in (i for i in olds if i not in by_old):
            for j in (j for j in news if j not in by_new and (i, j) not in candidates):
                if kind := _successor_kind(old[i], new[j], s):
                    candidates[i, j] = kind
    if not candidates:
        return []
    sentence = sentence_cosines(old, new)
    grid = np.zeros((len(old), len(new)))
    for (i, j), kind in candidates.items():
        least = s.share_sentence_min if kind == "intention" else s.sentence_min
        if kind != "intention" and (i, j) not in slotted:
            least = s.unslotted_sentence_min
        if sentence[i, j] >= least:
            grid[i, j] = sentence[i, j]
    out = []
    for i, j in assign(grid, 1e-9):
        cos = sentence[i, j]
        if candidates[i, j] == "intention":
            why = "同じ対象への意向を問う設問"
        else:
            why = f"数えるもの「{counted_noun(new[j].kpi.name)}」と単位が同じ"
        numbers = "; 累計のため数値では判断できない" if _cumulative(old[i]) else ""
        out.append(
            WeakPair(
                i,
                j,
                f"要確認: 名称は異なるが{why}で、名称全体の意味が近い "
                f"(文の類似度 {cos:.2f}{numbers})",
            )
        )
    return out


# ── 4. statuses ─────────────────────────────────────────────────────────────


def same_target(a: Indicator, b: Indicator) -> bool:
    """Targets are the same when their parsed values and comparators agree (48% = 48 %, 35件 (R2~6
    合計) = 35 件); a qualitative target (基準値より増) equals one with the same comparator."""
    if a.has_target_value or b.has_target_value:
        return (
            _same(a.target, b.target)
            and (a.comparator or "") == (b.comparator or "")
            and (not a.family or not b.family or a.family == b.family)
        )
    if a.comparator or b.comparator:
        return a.comparator == b.comparator
    return _squash(a.kpi.target_raw) == _squash(b.kpi.target_raw)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _goal_of(measure_id: str, strategy: Strategy) -> str:
    for m in strategy.measures:
        if m.id == measure_id:
            return m.goal_id
    return measure_id.split("-")[0] if "-" in measure_id else ""


class Continuation(NamedTuple):
    """Whether a dropped KPI's measure lives on: ``continues`` (None: unknown), the NEW ids it
    continues as, and ``inferred`` when no map said so but another KPI of the measure paired."""

    continues: bool | None
    targets: tuple[str, ...] = ()
    inferred: bool = False


def measure_continuation(
    measure_id: str,
    cmap: ContinuityMap | None,
    *,
    old: Strategy | None = None,
    goal_level: bool = False,
    paired_measures: Collection[str] = (),
) -> Continuation:
    """THE rule for "does a dropped KPI's measure continue" (the audit decides with it and the
    reports fill in with it: ``measure_continues``). The measure — for a 数値目標 (``goal_level``,
    or an id that is a goal of ``old``), any measure of that goal — continues when ``cmap`` links
    it to a NEW measure (a link that is not dropped), and is dropped when the map names it with
    no such link. Without a map, or when the map does not name it, it is unknown (None), never
    "no"; then another KPI of the same measure that paired (``paired_measures``) is evidence
    that it lives on."""
    if cmap is not None and measure_id:
        links = _measure_links(cmap)
        members = [measure_id]
        if old is not None and (goal_level or measure_id in {g.id for g in old.goals}):
            members = [m.id for m in old.measures if _goal_of(m.id, old) == measure_id]
        targets = tuple(sorted({n for mid in members for n in links.get(mid, ())}))
        if any(link.old_id in members for link in cmap.links):
            return Continuation(bool(targets), targets)
    if measure_id in paired_measures:
        return Continuation(True, inferred=True)
    return Continuation(None)


def measure_continues(change: KPIChange, cmap: ContinuityMap | None) -> bool | None:
    """For a report row: does a dropped KPI's measure live on? What the audit decided; where it
    could not tell (no map, or one that does not name the measure), the same rule on the
    report's ``cmap``. None for KPIs that were not dropped, and when still unknown."""
    if KPIStatus(change.status) is not KPIStatus.DROPPED:
        return None
    if change.measure_continues is not None:
        return change.measure_continues
    return measure_continuation(change.old_measure_id, cmap).continues


def changes_from_pairs(
    old: Sequence[Indicator],
    new: Sequence[Indicator],
    pairs: Sequence[tuple[int, int]],
    scores: np.ndarray,
    *,
    old_strategy: Strategy,
    cmap: ContinuityMap | None,
    review: Mapping[int, str] | None = None,
) -> list[KPIChange]:
    """One row per OLD indicator (in OLD order), then one per unpaired NEW indicator.
    ``review``: OLD index → the 要確認 note of a pair made on weak evidence, or of a dropped
    indicator whose facing successor numbers cannot confirm (``weak_pairs``)."""
    review = review or {}
    by_old = dict(pairs)
    paired_measures = {old[i].kpi.measure_id for i in by_old}
    rows: list[KPIChange] = []
    for i, a in enumerate(old):
        k = a.kpi
        if i in by_old:
            j = by_old[i]
            b = new[j]
            kept = same_target(a, b)
            notes = [review[i]] if i in review else []
            if not kept:
                notes.append(f"目標値 {k.target_raw.strip()} → {b.kpi.target_raw.strip()}")
            if a.canon != b.canon:
                notes.append("名称変更")
            rows.append(
                KPIChange(
                    old_name=k.name,
                    new_name=b.kpi.name,
                    status=KPIStatus.KEPT if kept else KPIStatus.TARGET_CHANGED,
                    old_target=k.target_raw,
                    new_target=b.kpi.target_raw,
                    score=round(float(scores[i, j]), 3),
                    old_measure_id=k.measure_id,
                    new_measure_id=b.kpi.measure_id,
                    note="; ".join(notes),
                    needs_review=i in review,
                )
            )
            continue
        found = measure_continuation(
            k.measure_id,
            cmap,
            old=old_strategy,
            goal_level=k.level == "goal",
            paired_measures=paired_measures,
        )
        continues, targets = found.continues, found.targets
        what = "数値目標" if k.level == "goal" else "KPI"
        unit_name = "基本目標" if k.level == "goal" else "施策"
        if found.inferred:
            note = f"{unit_name}は継続 (同じ{unit_name}の他の指標が継続) だが{what}は廃止"
        elif continues is True:
            note = f"{unit_name}は継続 ({k.measure_id} → {', '.join(targets)}) だが{what}は廃止"
        elif continues is False:
            note = f"{unit_name}ごと廃止 ({k.measure_id})"
        elif cmap is None:
            note = f"{what}は廃止 ({unit_name}の継続は不明: 施策の対応表なし)"
        else:
            note = f"{what}は廃止 ({unit_name}の継続は不明: 施策の対応表に {k.measure_id} がない)"
        if i in review:
            note = f"{note}; {review[i]}"
        rows.append(
            KPIChange(
                old_name=k.name,
                new_name="",
                status=KPIStatus.DROPPED,
                old_target=k.target_raw,
                old_measure_id=k.measure_id,
                measure_continues=continues,
                note=note,
                needs_review=i in review,
            )
        )
    taken = set(by_old.values())
    for j, b in enumerate(new):
        if j not in taken:
            rows.append(
                KPIChange(
                    old_name="",
                    new_name=b.kpi.name,
                    status=KPIStatus.NEW,
                    new_target=b.kpi.target_raw,
                    new_measure_id=b.kpi.measure_id,
                    note="新規の指標",
                )
            )
    return rows


def inferred_measure_map(
    old: Sequence[Indicator],
    new: Sequence[Indicator],
    pairs: Sequence[tuple[int, int]],
    scores: np.ndarray,
    *,
    settings: AuditSettings | None = None,
) -> ContinuityMap:
    """Measure links implied by confident KPI pairs (score ≥ ``inferred_link_min``)."""
    least = (settings or bundled(AuditSettings)).inferred_link_min
    seen: set[tuple[str, str]] = set()
    links = []
    for i, j in pairs:
        key = (old[i].kpi.measure_id, new[j].kpi.measure_id)
        if scores[i, j] >= least and key not in seen and all(key):
            seen.add(key)
            links.append(Link(key[0], "", key[1], "", Relation.KEPT, float(scores[i, j])))
    return ContinuityMap(old_source="", new_source="", links=tuple(links))


def order_gap_links(old: Strategy, new: Strategy, cmap: ContinuityMap) -> ContinuityMap:
    """``cmap`` plus the links its order implies: between two consecutive linked measures (or a
    linked measure and the start or end of the edition), as many unlinked OLD measures as unlinked
    NEW ones are the same slots of the strategy, in order — as a line diff reads a block of
    changed lines between matching ones. A gap with more measures on one side stays unlinked
    (nothing says which measure was added or dropped); links that cross an earlier one are not
    used as anchors. The links only add the measure-context evidence (``context_bonus``) to KPI
    pairs that the names already support.

    >>> from textkit.models import Measure
    >>> o = Strategy("o", measures=tuple(Measure(m, "") for m in ("1-1", "1-2", "1-3")))
    >>> n = Strategy("n", measures=tuple(Measure(m, "") for m in ("A", "B", "C")))
    >>> known = ContinuityMap("", "", (Link("1-1", "", "A", "", Relation.KEPT, 1.0),
    ...                                Link("1-3", "", "C", "", Relation.KEPT, 1.0)))
    >>> [(x.old_id, x.new_id) for x in order_gap_links(o, n, known).links]
    [('1-1', 'A'), ('1-3', 'C'), ('1-2', 'B')]
    """
    old_ids, new_ids = [m.id for m in old.measures], [m.id for m in new.measures]
    o_pos, n_pos = {m: k for k, m in enumerate(old_ids)}, {m: k for k, m in enumerate(new_ids)}
    linked = [
        (o_pos[x.old_id], n_pos[x.new_id])
        for x in cmap.links
        if x.old_id in o_pos and x.new_id in n_pos and Relation(x.relation) is not Relation.DROPPED
    ]
    extra = [
        Link(old_ids[i], "", new_ids[j], "", Relation.KEPT, 0.0, rule=Rule.ORDER_GAP)
        for free_old, free_new in facing_gaps(linked, len(old_ids), len(new_ids))
        for i, j in zip(free_old, free_new, strict=True)
    ]
    return ContinuityMap(cmap.old_source, cmap.new_source, cmap.links + tuple(extra))


# ── public entry points ─────────────────────────────────────────────────────


def compare_kpis(
    old: Strategy,
    new: Strategy,
    *,
    cmap: ContinuityMap | None = None,
    settings: AuditSettings | Mapping[str, Any] | str | Path | None = None,
) -> KPIAudit:
    """Pair the KPIs of two editions by meaning and give each OLD and NEW indicator one status.

    ``cmap``: the measure continuity map (formats §3), from the caller (``pipeline.audit_kpis``
    aligns the measures when both sides carry titles); when None, measures whose KPIs pair
    confidently are taken to correspond (``inferred_measure_map``), and so are the
    measures their order leaves facing each other between them (``order_gap_links``).
    ``settings``: the matcher's thresholds (``AuditSettings``, a dict of overrides or a TOML file with ``[audit]``).
    """
    s = resolve_as(AuditSettings, settings, AuditSettings.section)
    every = with_bracket_units([indicator_features(k) for k in (*old.kpis, *new.kpis)])
    a, b = every[: len(old.kpis)], every[len(old.kpis) :]
    scores = score_matrix(a, b, cmap=cmap, settings=s)
    pairs = assign(scores, s.pair_threshold, margin=True)
    context: ContinuityMap | None = cmap
    if cmap is None and pairs:
        # No measure map (KPI tables): measures whose KPIs pair confidently correspond, which is
        # the context evidence for their remaining, more heavily reworded KPIs.
        context = order_gap_links(old, new, inferred_measure_map(a, b, pairs, scores, settings=s))
        scores = score_matrix(a, b, cmap=context, settings=s)
        pairs = assign(scores, s.pair_threshold, margin=True)
    weak = weak_pairs(a, b, pairs, cmap=context, settings=s)
    for w in weak.pairs:
        scores[w.old, w.new] = max(scores[w.old, w.new], s.weak_pair_score)
    pairs = sorted([*pairs, *((w.old, w.new) for w in weak.pairs)])
    review = {w.old: w.note for w in weak.pairs} | weak.hints
    rows = changes_from_pairs(a, b, pairs, scores, old_strategy=old, cmap=cmap, review=review)
    return KPIAudit(old_source=old.source, new_source=new.source, changes=tuple(rows))
