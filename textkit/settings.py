"""Settings: frozen dataclasses, validated once when built, loadable from TOML, all resolved the
same way (``resolve_as``, after pdfplumber's ``TableSettings.resolve``).

What goes in: ``None`` (the defaults), a dict of overrides, a path to a TOML file (keys under the
settings' section, e.g. ``[align]``, ``[extract]``, or at top level) or an instance. What comes out:
an instance whose every field has been checked, so no stage re-validates.

The settings classes here read every default from one bundled TOML file each, the only place a
default is written (with why it has that value): ``AlignSettings`` from ``textkit/data/align.toml``
(``[align]``), ``AuditSettings`` (the KPI audit's matcher) from ``audit.toml`` (``[audit]``),
``CounterpartSettings`` (cross-city comparison) from ``counterparts.toml`` (``[counterparts]``) and
``ThemeSettings`` (shared/unique and topic clusters) from ``theme_settings.toml`` (``[themes]``) and
``AttainmentSettings`` (KPI attainment beyond the audit's matcher) from ``attainment.toml``
(``[attainment]``).
One user file may hold any of these sections. ``pdf.ExtractSettings`` (the PDF reader's
tolerances, defaults with their why beside each field) is checked by ``check_numbers`` and
resolved by ``ExtractSettings.resolve``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from ._compat import tomllib
from .errors import SettingsError

SPLIT_MODES = ("A", "B", "C")
# Signals combined into one 0–1 score; each is a weight field ``w_<name>`` below.
SIGNALS = (
    "title_word",
    "full_word",
    "char",
    "fuzz_title",
    "concept",
    "synonym",
    "goal",
    "semantic_title",
    "semantic_cross",
    "goal_context",
    "neighbours",
    "title_in_text",
    "both_described",
    "sentence_title",
    "sentence_cross",
    "sentence_full",
    "goal_anchor",
    "sentence_goal",
)
# Fields that are a score or a share, between 0 and 1.
_SHARES = (
    "min_link",
    "min_secondary",
    "secondary_ratio",
    "min_part_coverage",
    "contained_ratio",
    "contained_coverage",
    "part_word_cosine",
    "review_below",
    "gap_min_score",
)


# Each settings section and the bundled file that holds its defaults (textkit/data/).
DEFAULT_FILES = {
    "align": "align.toml",
    "audit": "audit.toml",
    "counterparts": "counterparts.toml",
    "themes": "theme_settings.toml",
    "attainment": "attainment.toml",
}
# Every table a user settings file may hold: the sections above and [extract] (the PDF reader's
# tolerances, pdf.ExtractSettings, whose defaults live beside its fields). One file may serve
# every command, so a command accepts the tables of the others; any other name is a typo.
SECTIONS = (*DEFAULT_FILES, "extract")


@functools.cache
def defaults(section: str = "align") -> dict[str, Any]:
    """The bundled defaults of one section (``textkit/data/<file>.toml``, see ``DEFAULT_FILES``):
    the one source of every default."""
    name = DEFAULT_FILES[section]
    text = resources.files("textkit").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return dict(tomllib.loads(text).get(section, {}))


def _default(name: str, section: str = "align") -> Any:
    """A field whose default is read from the section's bundled TOML (so
    ``AlignSettings(min_link=0.3)`` keeps every other calibrated value; class literals had drifted
    from the file in 6 fields)."""
    return field(default_factory=functools.partial(_bundled, name, section))


def _bundled(name: str, section: str) -> Any:
    try:
        return defaults(section)[name]
    except KeyError:
        raise SettingsError(
            f"textkit/data/{DEFAULT_FILES[section]} has no value for {name}"
        ) from None


@dataclass(frozen=True)
class AlignSettings:
    """How measures are scored and linked. Field comments say what each value controls; the
    values and why they were chosen are in ``textkit/data/align.toml`` (calibrated on the gold
    pairs), the only place defaults are written."""

    split_mode: str = _default("split_mode")  # SudachiPy split mode for word tokens
    # signal switches (0 disables a signal, > 0 enables it); how much each counts is fitted
    # (textkit fit → data/align_weights.json) and the combined score is a probability
    w_title_word: float = _default("w_title_word")  # TF-IDF cosine of title tokens
    w_full_word: float = _default("w_full_word")  # TF-IDF cosine of title + description + items
    w_char: float = _default("w_char")  # TF-IDF cosine of character n-grams of title + description
    w_fuzz_title: float = _default("w_fuzz_title")  # rapidfuzz ratio on title token lists
    w_concept: float = _default("w_concept")  # thesaurus concept groups (data/thesaurus.csv)
    w_synonym: float = _default("w_synonym")  # cosine of Sudachi synonym group ids
    w_goal: float = _default("w_goal")  # TF-IDF cosine of the goal (基本目標) titles: context
    w_semantic_title: float = _default("w_semantic_title")  # titles' word-vector means (cosine)
    w_semantic_cross: float = _default("w_semantic_cross")  # one title vs the other full text
    w_goal_context: float = _default("w_goal_context")  # the goals as wholes (word vectors)
    w_neighbours: float = _default("w_neighbours")  # diagonal neighbours are anchors (order)
    w_title_in_text: float = _default("w_title_in_text")  # share of a title found in other text
    w_both_described: float = _default("w_both_described")  # 1 unless a side is a title only
    w_sentence_title: float = _default("w_sentence_title")  # titles' sentence-encoder rows
    w_sentence_cross: float = _default("w_sentence_cross")  # one title vs the other full text
    w_sentence_full: float = _default("w_sentence_full")  # full texts' sentence-encoder rows
    w_goal_anchor: float = _default("w_goal_anchor")  # the goals continue into each other (anchors)
    w_sentence_goal: float = _default("w_sentence_goal")  # goal titles' sentence-encoder rows
    # missing evidence: a pair with a side stated by its title alone is scored by the model fitted
    # on that evidence pattern; the fit also learns from gold pairs with a side reduced to titles
    evidence_patterns: bool = _default("evidence_patterns")
    fit_title_only_copies: bool = _default("fit_title_only_copies")
    pool_main: bool = _default("pool_main")  # the main model also on title-only pairs' cells
    char_ngram_min: int = _default("char_ngram_min")
    char_ngram_max: int = _default("char_ngram_max")
    # decisions
    min_link: float = _default("min_link")  # a mutual best below this is not a link
    min_secondary: float = _default("min_secondary")  # a merge/split below this is not proposed
    secondary_ratio: float = _default("secondary_ratio")  # merge/split: share of the rival's score
    min_part_coverage: float = _default("min_part_coverage")  # part's title found in the whole
    contained_ratio: float = _default("contained_ratio")  # lower share for a part contained…
    contained_coverage: float = _default("contained_coverage")  # …at least this share of its title
    part_margin: float = _default("part_margin")  # …or its score this many times its runner-up's
    part_word_cosine: float = _default("part_word_cosine")  # part-of: a word this close counts
    part_sentence_rank: int = _default("part_sentence_rank")  # part-of: the encoder's k nearest
    review_below: float = _default("review_below")  # a similarity link scored below: 要確認
    gap_min_score: float = _default("gap_min_score")  # order_gap links at or above; 1 = off
    leftovers_first: bool = _default("leftovers_first")  # 2nd mutual-best round before parts
    top_k: int = _default("top_k")  # candidates kept per measure from the sparse products (scale)
    max_terms: int = _default("max_terms")  # matched terms shown per link
    thesaurus: str = _default("thesaurus")  # user thesaurus CSV (group,terms); "" = bundled
    stopwords: str = _default("stopwords")  # user stop-word list; "" = bundled
    weights_file: str = _default("weights_file")  # fitted weights (textkit fit); "" = bundled
    sentence_cache: str = _default(
        "sentence_cache"
    )  # sentence-encoder rows per document; "" = memory
    # in-memory fitted weights (similarity.SignalWeights) used instead of weights_file when set
    # (leave-one-pair-out benchmarks); not a TOML key
    fitted: Any = field(default=None, compare=False)

    def __post_init__(self) -> None:
        errors = [*self._weight_errors(), *self._range_errors(), *self._file_errors()]
        if errors:  # collect every problem, raise once (a user fixes the file in one go)
            raise SettingsError("bad alignment settings: " + "; ".join(errors))

    def _weight_errors(self) -> list[str]:
        errors = []
        if self.split_mode not in SPLIT_MODES:
            errors.append(
                f"split_mode must be one of {', '.join(SPLIT_MODES)}, not {self.split_mode!r}"
            )
        for name in SIGNALS:
            w = getattr(self, f"w_{name}")
            if not isinstance(w, (int, float)) or w < 0:
                errors.append(f"w_{name} must be a number ≥ 0, not {w!r}")
        if all(getattr(self, f"w_{n}") == 0 for n in SIGNALS):
            errors.append("at least one signal weight (w_…) must be > 0")
        return errors

    def _range_errors(self) -> list[str]:
        errors = []
        for name in _SHARES:
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not 0 <= v <= 1:
                errors.append(f"{name} must be between 0 and 1, not {v!r}")
        for name in ("top_k", "max_terms", "char_ngram_min", "char_ngram_max"):
            v = getattr(self, name)
            if not isinstance(v, int) or v < 1:
                errors.append(f"{name} must be a whole number ≥ 1, not {v!r}")
        for name in ("evidence_patterns", "fit_title_only_copies", "pool_main", "leftovers_first"):
            if not isinstance(getattr(self, name), bool):
                errors.append(f"{name} must be true or false, not {getattr(self, name)!r}")
        if not isinstance(self.part_margin, (int, float)) or self.part_margin < 0:
            errors.append(f"part_margin must be a number ≥ 0, not {self.part_margin!r}")
        if not isinstance(self.part_sentence_rank, int) or self.part_sentence_rank < 0:
            errors.append(
                f"part_sentence_rank must be a whole number ≥ 0, not {self.part_sentence_rank!r}"
            )
        if not errors and self.char_ngram_min > self.char_ngram_max:
            errors.append("char_ngram_min must not exceed char_ngram_max")
        return errors

    def _file_errors(self) -> list[str]:
        return [
            f"{name} file {getattr(self, name)!r} does not exist"
            for name in ("thesaurus", "stopwords", "weights_file")
            if getattr(self, name) and not Path(getattr(self, name)).is_file()
        ]

    def weights(self) -> dict[str, float]:
        return {name: float(getattr(self, f"w_{name}")) for name in SIGNALS}

    def enabled_signals(self) -> tuple[str, ...]:
        """The signals switched on, in ``SIGNALS`` order."""
        return tuple(n for n in SIGNALS if getattr(self, f"w_{n}") > 0)

    def replace(self, **changes: Any) -> AlignSettings:
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        return resolve({**current, **changes})


# ── one way to build any settings object (pdfplumber's ``TableSettings.resolve``) ─────

T = TypeVar("T")


def _from_mapping(cls: type[T], values: Mapping[str, Any], source: str) -> T:
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingsError(
            f"{source}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    try:
        return cls(**dict(values))
    except SettingsError as exc:
        raise SettingsError(f"{source}: {exc}") from None
    except TypeError as exc:  # a value of the wrong kind that a comparison choked on
        raise SettingsError(f"{source}: {exc}") from None


def load_toml(path: str | Path, section: str = "align") -> dict[str, Any]:
    """The ``[section]`` table of a TOML file; a file without tables is that section itself. One
    file may hold several sections (``[align]`` and ``[extract]``): the others are ignored, but a
    table that is none of ``SECTIONS`` (``[alin]``) is refused, naming the known ones."""
    p = Path(path)
    if not p.is_file():
        raise SettingsError(f"settings file {p} does not exist")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{p}: not valid TOML ({exc})") from None
    unknown = sorted(k for k, v in data.items() if isinstance(v, dict) and k not in SECTIONS)
    if unknown:
        raise SettingsError(
            f"{p}: unknown settings table(s) {', '.join(f'[{k}]' for k in unknown)}; "
            f"known: {', '.join(f'[{k}]' for k in SECTIONS)}"
        )
    if section in data:
        return dict(data[section])
    if any(isinstance(v, dict) for v in data.values()):
        return {}  # tables for other settings only
    return dict(data)


def resolve_as(cls: type[T], settings: Any, section: str) -> T:
    """``None`` → defaults; an instance → itself; dict → defaults overridden (unknown keys named);
    path → the TOML file's ``[section]`` over defaults. Every value is checked by the class."""
    if isinstance(settings, cls):
        return settings
    if settings is None:
        return _from_mapping(cls, {}, f"{section} settings")
    if isinstance(settings, (str, Path)):
        return _from_mapping(cls, load_toml(settings, section), str(settings))
    if isinstance(settings, Mapping):
        return _from_mapping(cls, settings, "settings")
    raise SettingsError(
        f"settings must be None, a dict, a TOML path or {cls.__name__}, "
        f"not {type(settings).__name__}"
    )


def resolve(
    settings: AlignSettings | Mapping[str, Any] | str | Path | None = None,
) -> AlignSettings:
    """``None`` → bundled defaults; dict → defaults overridden; path → TOML file over defaults."""
    return resolve_as(AlignSettings, settings, "align")


def check_numbers(
    settings: object,
    *,
    shares: Sequence[str] = (),
    wholes: Sequence[str] = (),
    source: str = "settings",
    more: Sequence[str] = (),
) -> None:
    """Every field a number ≥ 0, those in ``shares`` between 0 and 1, those in ``wholes`` a whole
    number ≥ 1; ``more``: problems the class found itself. Every problem named at once
    (``SettingsError``)."""
    errors = []
    for f in fields(settings):  # type: ignore[arg-type]
        v = getattr(settings, f.name)
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
        if f.name in wholes and not (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
            errors.append(f"{f.name} must be a whole number ≥ 1, not {v!r}")
        elif f.name in shares and ok and v > 1:
            errors.append(f"{f.name} must be between 0 and 1, not {v!r}")
        elif not ok:
            errors.append(f"{f.name} must be a number ≥ 0, not {v!r}")
    errors += more
    if errors:
        raise SettingsError(f"bad {source}: " + "; ".join(errors))


@functools.cache
def bundled(cls: type[T]) -> T:
    """The bundled defaults of a settings class, built and checked once per process (settings are
    frozen, so one instance serves every caller that was given no settings)."""
    return resolve_as(cls, None, cls.section)  # type: ignore[attr-defined]


def _hint(section: str) -> str:
    return f"see textkit/data/{DEFAULT_FILES[section]} for what each value means"


# ── the other stages' settings: same pattern, defaults only in their TOML file ──────────


@dataclass(frozen=True)
class AuditSettings:
    """How the KPI audit (``textkit.audit``) pairs two editions' indicators. What each value
    does and why it has its default: ``textkit/data/audit.toml`` (the only place defaults are
    written); a user TOML file overrides them under ``[audit]``."""

    section: ClassVar[str] = "audit"

    pair_threshold: float = _default("pair_threshold", "audit")  # below: not the same indicator
    value_match_bonus: float = _default("value_match_bonus", "audit")  # NEW baseline = OLD value
    target_match_bonus: float = _default("target_match_bonus", "audit")  # NEW target = OLD target
    scale_mismatch_penalty: float = _default("scale_mismatch_penalty", "audit")  # baselines apart…
    scale_ratio: float = _default("scale_ratio", "audit")  # …by more than this factor
    inferred_link_min: float = _default("inferred_link_min", "audit")  # KPI pair → measure link
    context_bonus: float = _default("context_bonus", "audit")  # their measures continue (map)
    level_mismatch_penalty: float = _default("level_mismatch_penalty", "audit")  # 数値目標 ↔ KPI
    word_match: float = _default("word_match", "audit")  # word-vector cosine: the same word
    semantic_min: float = _default("semantic_min", "audit")  # names' vector cosine: same meaning
    semantic_weight: float = _default("semantic_weight", "audit")  # score of a pair by meaning
    unit_soft_mismatch: float = _default("unit_soft_mismatch", "audit")  # 人 ↔ 件 multiplier
    unit_unknown: float = _default("unit_unknown", "audit")  # one side without a unit
    head_mismatch: float = _default("head_mismatch", "audit")  # 額 ↔ 数: another quantity
    head_degree_ratio: float = _default("head_degree_ratio", "audit")  # 満足度 (%) ↔ 満足の割合
    containment_weight: float = _default("containment_weight", "audit")  # share vs cosine
    char_weight: float = _default("char_weight", "audit")  # characters vs Sudachi tokens
    counted_mismatch: float = _default(
        "counted_mismatch", "audit"
    )  # 登録件数 ↔ 成約件数 multiplier
    continues_ratio: float = _default("continues_ratio", "audit")  # NEW baseline within… of OLD
    cross_slot_penalty: float = _default("cross_slot_penalty", "audit")  # across two known slots
    weak_pair_score: float = _default("weak_pair_score", "audit")  # two related balances, reworded
    sentence_min: float = _default("sentence_min", "audit")  # same counted thing: names' meaning
    share_sentence_min: float = _default("share_sentence_min", "audit")  # two intention questions
    unslotted_sentence_min: float = _default("unslotted_sentence_min", "audit")  # slot unknown

    def __post_init__(self) -> None:
        factors = ("scale_ratio", "continues_ratio")
        more = []
        for name in factors:
            ratio = getattr(self, name)
            if isinstance(ratio, (int, float)) and not isinstance(ratio, bool) and 0 <= ratio < 1:
                more.append(f"{name} must be at least 1, not {ratio!r}")
        shares = [f.name for f in fields(self) if f.name not in factors]
        check_numbers(
            self, shares=shares, source=f"KPI audit settings ({_hint('audit')})", more=more
        )


@dataclass(frozen=True)
class CounterpartSettings:
    """How cross-city counterparts (``textkit.counterparts``) are scored; defaults and why in
    ``textkit/data/counterparts.toml`` (``[counterparts]``)."""

    section: ClassVar[str] = "counterparts"

    title_weight: int = _default("title_weight", "counterparts")  # title words counted n times
    matched_terms: int = _default("matched_terms", "counterparts")  # shared words shown per pair

    def __post_init__(self) -> None:
        source = f"counterpart settings ({_hint('counterparts')})"
        check_numbers(self, wholes=("title_weight", "matched_terms"), source=source)


@dataclass(frozen=True)
class ThemeSettings:
    """How ``textkit themes`` calls a measure shared or unique and clusters the measures no
    theme rule covers; defaults and why in ``textkit/data/theme_settings.toml`` (``[themes]``).
    The theme rules themselves are the scheme (``themes.toml``, ``--scheme``)."""

    section: ClassVar[str] = "themes"

    shared_threshold: float = _default("shared_threshold", "themes")  # best counterpart ≥: shared
    title_weight: int = _default("title_weight", "themes")  # title hits count n times (primary)
    max_clusters: int = _default("max_clusters", "themes")  # topic clusters at most
    measures_per_cluster: int = _default("measures_per_cluster", "themes")  # ~ measures each

    def __post_init__(self) -> None:
        check_numbers(
            self,
            shares=("shared_threshold",),
            wholes=("title_weight", "max_clusters", "measures_per_cluster"),
            source=f"theme settings ({_hint('themes')})",
        )


@dataclass(frozen=True)
class AttainmentSettings:
    """How ``textkit attainment`` (``textkit.kpi_attainment``) reads results beyond the KPI audit's
    matcher (``AuditSettings`` pairs the names); defaults and why in ``textkit/data/attainment.toml``
    (``[attainment]``)."""

    section: ClassVar[str] = "attainment"

    stated_tolerance: float = _default("stated_tolerance", "attainment")  # 133% ≈ 1.333: rounding
    rival_tie_margin: float = _default("rival_tie_margin", "attainment")  # rivals this close: a tie
    # this edition's KPI beats the previous edition's identically named one by this much
    current_edition_preference: float = _default("current_edition_preference", "attainment")
    anagram_score: float = _default("anagram_score", "attainment")  # same characters reordered
    anagram_min_chars: int = _default("anagram_min_chars", "attainment")  # …in names this long

    def __post_init__(self) -> None:
        check_numbers(
            self,
            shares=(
                "stated_tolerance",
                "rival_tie_margin",
                "current_edition_preference",
                "anagram_score",
            ),
            wholes=("anagram_min_chars",),
            source=f"attainment settings ({_hint('attainment')})",
        )


@dataclass(frozen=True)
class AllSettings:
    """Every stage's settings from one user file (or the defaults), for commands that run several
    stages (``textkit corpus build``): ``[align]``, ``[audit]``, ``[counterparts]``, ``[themes]``
    and ``[attainment]``, each resolved and checked once by ``resolve_as``."""

    align: AlignSettings
    audit: AuditSettings
    counterparts: CounterpartSettings
    themes: ThemeSettings
    attainment: AttainmentSettings

    @classmethod
    def resolve(cls, settings: AllSettings | str | Path | None = None) -> AllSettings:
        """``None`` → every default; a TOML path → each table over its defaults; an instance →
        itself."""
        if isinstance(settings, cls):
            return settings
        if settings is not None and not isinstance(settings, (str, Path)):
            raise SettingsError(
                f"settings must be None, a TOML path or AllSettings, not {type(settings).__name__}"
            )
        return cls(
            align=resolve_as(AlignSettings, settings, "align"),
            audit=resolve_as(AuditSettings, settings, AuditSettings.section),
            counterparts=resolve_as(CounterpartSettings, settings, CounterpartSettings.section),
            themes=resolve_as(ThemeSettings, settings, ThemeSettings.section),
            attainment=resolve_as(AttainmentSettings, settings, AttainmentSettings.section),
        )
