"""Alignment settings: one frozen dataclass, validated once, loadable from TOML.

What goes in: ``None`` (the bundled defaults in ``textkit/data/align.toml``), a dict of overrides, a
path to a TOML file (keys under ``[align]`` or at top level) or an ``AlignSettings``. What comes out:
an ``AlignSettings`` whose every field has been checked, so ``continuity.py`` never re-validates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from ._compat import tomllib
from .errors import SettingsError

SPLIT_MODES = ("A", "B", "C")
# Signals combined into one 0–1 score; each is a weight field ``w_<name>`` below.
SIGNALS = ("title_word", "full_word", "char", "fuzz_title", "concept", "synonym", "goal")


@dataclass(frozen=True)
class AlignSettings:
    """How measures are scored and linked. Field comments say what each value controls; the
    chosen values and why are in ``textkit/data/align.toml`` (calibrated on the gold pairs)."""

    split_mode: str = "C"  # SudachiPy split mode for word tokens
    # signal weights (0 disables a signal); the combined score is the weighted mean
    w_title_word: float = 1.0  # TF-IDF cosine of title tokens
    w_full_word: float = 1.0  # TF-IDF cosine of title + description + items tokens
    w_char: float = 1.0  # TF-IDF cosine of character n-grams of title + description
    w_fuzz_title: float = 0.5  # rapidfuzz ratio on title token lists
    w_concept: float = 1.0  # cosine of thesaurus concept groups (textkit/data/thesaurus.csv)
    w_synonym: float = 0.0  # cosine of Sudachi synonym group ids
    w_goal: float = 0.0  # TF-IDF cosine of the goal (基本目標) titles: context
    char_ngram_min: int = 2
    char_ngram_max: int = 3
    # decisions
    min_link: float = 0.15  # a mutual best match below this is not a link (old dropped, new new)
    min_secondary: float = 0.15  # a merge/split link below this is not proposed
    secondary_ratio: float = 0.6  # a merge/split link must reach this share of the rival's score
    min_part_coverage: float = 0.1  # share of the part's title found in the whole (merge/split)
    contained_ratio: float = 0.3  # lower share of the rival's score for a part clearly contained…
    contained_coverage: float = 0.5  # …i.e. at least this share of its title is in the whole
    top_k: int = 10  # candidates kept per measure from the sparse score products (scale)
    max_terms: int = 6  # matched terms shown per link
    thesaurus: str = ""  # path to a user thesaurus CSV (group,terms); empty = bundled one
    stopwords: str = ""  # path to a user stop-word list; empty = bundled one

    def __post_init__(self) -> None:
        errors: list[str] = []
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
        for name in (
            "min_link",
            "min_secondary",
            "secondary_ratio",
            "min_part_coverage",
            "contained_ratio",
            "contained_coverage",
        ):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not 0 <= v <= 1:
                errors.append(f"{name} must be between 0 and 1, not {v!r}")
        for name in ("top_k", "max_terms", "char_ngram_min", "char_ngram_max"):
            v = getattr(self, name)
            if not isinstance(v, int) or v < 1:
                errors.append(f"{name} must be a whole number ≥ 1, not {v!r}")
        if not errors and self.char_ngram_min > self.char_ngram_max:
            errors.append("char_ngram_min must not exceed char_ngram_max")
        for name in ("thesaurus", "stopwords"):
            v = getattr(self, name)
            if v and not Path(v).is_file():
                errors.append(f"{name} file {v!r} does not exist")
        if errors:  # collect every problem, raise once (a user fixes the file in one go)
            raise SettingsError("bad alignment settings: " + "; ".join(errors))

    def weights(self) -> dict[str, float]:
        return {name: float(getattr(self, f"w_{name}")) for name in SIGNALS}

    def replace(self, **changes: Any) -> AlignSettings:
        return resolve({**dataclasses.asdict(self), **changes})


def _from_mapping(values: Mapping[str, Any], source: str) -> AlignSettings:
    known = {f.name for f in fields(AlignSettings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingsError(
            f"{source}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    try:
        return AlignSettings(**dict(values))
    except SettingsError as exc:
        raise SettingsError(f"{source}: {exc}") from None


def load_toml(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise SettingsError(f"settings file {p} does not exist")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{p}: not valid TOML ({exc})") from None
    return dict(data.get("align", data))


def defaults() -> dict[str, Any]:
    """The bundled defaults (``textkit/data/align.toml``)."""
    text = resources.files("textkit").joinpath("data/align.toml").read_text(encoding="utf-8")
    return dict(tomllib.loads(text).get("align", {}))


def resolve(
    settings: AlignSettings | Mapping[str, Any] | str | Path | None = None,
) -> AlignSettings:
    """``None`` → bundled defaults; dict → defaults overridden; path → TOML file over defaults."""
    if isinstance(settings, AlignSettings):
        return settings
    base = defaults()
    if settings is None:
        return _from_mapping(base, "textkit/data/align.toml")
    if isinstance(settings, (str, Path)):
        return _from_mapping({**base, **load_toml(settings)}, str(settings))
    if isinstance(settings, Mapping):
        return _from_mapping({**base, **settings}, "settings")
    raise SettingsError(
        f"settings must be None, a dict, a TOML path or AlignSettings, not {type(settings).__name__}"
    )
