"""Policy themes: classify every measure so that cities can be compared theme by theme.

In: ``(name, Strategy)`` pairs and a theme scheme (``textkit/data/themes.toml`` by default, coding
rules in the spirit of KH Coder).  Out: ``ThemeTable`` — one ``MeasureThemes`` row per measure
(its rule themes, primary theme, an unsupervised cluster for measures no rule covers, and whether
it is *shared* with another document or *unique*), plus ``city_matrix()`` (document × theme counts).

Stages: ``load_scheme`` → ``match_rules`` (per measure) → ``cluster_uncovered`` (NMF on the
measures' TF-IDF, for what the scheme misses) → best counterparts (``counterparts.nearest_across``)
→ ``ThemeTable``. ``theme_columns`` is the rules-and-clusters step for callers that have their own
vectors (the corpus database).

Settings (``settings.ThemeSettings``: when a measure is shared, the title's weight for the primary
theme, how many clusters): defaults and why in ``textkit/data/theme_settings.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ._compat import tomllib
from .counterparts import MeasureVectors, Tokenizer, measure_body, nearest_across, vectorize
from .errors import SettingsError
from .models import Measure, Strategy
from .normalize import normalize_chars
from .settings import CounterpartSettings, ThemeSettings, bundled, resolve_as

UNCOVERED = "(なし)"  # the primary theme of a measure no rule covers


@dataclass(frozen=True)
class ThemeRule:
    """One theme: ``any`` entries (each "A & B & !C"), plus theme-wide ``all`` and ``not`` words."""

    name: str
    any: tuple[str, ...]
    all: tuple[str, ...] = ()
    not_: tuple[str, ...] = ()

    def hits(self, text: str) -> tuple[str, ...]:
        """The entries of ``any`` that match ``text`` (empty when the theme does not apply)."""
        if any(w not in text for w in self.all) or any(w in text for w in self.not_):
            return ()
        return tuple(e for e in self.any if _entry_matches(e, text))

    def matched_words(self, text: str) -> tuple[str, ...]:
        """The words of ``text`` that made the theme apply: the required parts of each matching
        entry ("イベント & !結婚" shows イベント; "!結婚" is a condition, not a word found)."""
        words = (_required_words(e) for e in self.hits(text))
        return tuple(dict.fromkeys(w for ws in words for w in ws))


def _required_words(entry: str) -> tuple[str, ...]:
    parts = (p.strip() for p in entry.split("&"))
    return tuple(p for p in parts if p and not p.startswith("!"))


def _entry_matches(entry: str, text: str) -> bool:
    for part in (p.strip() for p in entry.split("&")):
        if part.startswith("!"):
            if part[1:].strip() in text:
                return False
        elif part not in text:
            return False
    return True


@dataclass(frozen=True)
class ThemeScheme:
    rules: tuple[ThemeRule, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rules)


def _words(theme: dict, key: str, n: int, where: str) -> tuple[str, ...]:
    """A theme's ``any`` / ``all`` / ``not`` list, refused unless a list of words: a string
    (any = "子育て") would be read letter by letter, and an empty word matches every measure."""
    words = theme.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise SettingsError(
            f"theme {n} ('{theme.get('name', '')}'): '{key}' must be a list of words, e.g. "
            f'{key} = ["子育て", "保育"]',
            path=where,
        )
    return tuple(normalize_chars(w) for w in words)


def load_scheme(path: str | Path | None = None) -> ThemeScheme:
    """Read a theme scheme (TOML, ``[[theme]]`` tables); ``None`` gives the bundled default."""
    if path is None:
        text = resources.files("textkit.data").joinpath("themes.toml").read_text("utf-8")
        where = "textkit/data/themes.toml"
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise SettingsError("theme scheme not found", path=where) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"is not valid TOML ({exc})", path=where) from None
    rules = []
    themes = data.get("theme", [])
    if not isinstance(themes, list) or not all(isinstance(t, dict) for t in themes):
        raise SettingsError(
            "themes are [[theme]] tables (two brackets: one table per theme), each with a "
            "name and an 'any' list",
            path=where,
        )
    for n, t in enumerate(themes, start=1):
        unknown = set(t) - {"name", "any", "all", "not"}
        if unknown:
            raise SettingsError(
                f"theme {n} has unknown key '{sorted(unknown)[0]}'; use name, any, all, not",
                path=where,
            )
        if not t.get("name") or not t.get("any"):
            raise SettingsError(f"theme {n} needs a name and a non-empty 'any' list", path=where)
        rules.append(
            ThemeRule(
                name=str(t["name"]),
                any=_words(t, "any", n, where),
                all=_words(t, "all", n, where),
                not_=_words(t, "not", n, where),
            )
        )
    if not rules:
        raise SettingsError("defines no [[theme]] tables", path=where)
    names = [r.name for r in rules]
    dup = next((x for x in names if names.count(x) > 1), None)
    if dup:
        raise SettingsError(f"theme '{dup}' is defined twice", path=where)
    return ThemeScheme(tuple(rules))


@dataclass(frozen=True)
class MeasureThemes:
    """One measure's themes: rule themes (with the words that matched), cluster, shared/unique."""

    doc: str
    id: str
    title: str
    themes: tuple[str, ...]
    primary: str
    matched: tuple[str, ...] = ()
    cluster: str = ""  # only for measures no rule covers: "c3: 除雪 雪 排雪"
    shared: bool = False
    best_doc: str = ""
    best_id: str = ""
    best_title: str = ""
    best_score: float = 0.0


@dataclass(frozen=True)
class ThemeTable:
    themes: tuple[str, ...]
    docs: tuple[str, ...]
    rows: tuple[MeasureThemes, ...]

    def measure_rows(self) -> list[dict[str, object]]:
        """Measure × theme: 1/0 per theme column, plus primary theme, cluster and shared/unique."""
        out = []
        for r in self.rows:
            row: dict[str, object] = {"doc": r.doc, "id": r.id, "title": r.title}
            row["primary_theme"] = r.primary
            row |= {t: int(t in r.themes) for t in self.themes}
            row |= {
                "cluster": r.cluster,
                "matched_words": " ".join(r.matched),
                "shared": "shared" if r.shared else "unique",
                "best_doc": r.best_doc,
                "best_id": r.best_id,
                "best_title": r.best_title,
                "best_score": f"{r.best_score:.3f}",
            }
            out.append(row)
        return out

    def city_matrix(self) -> list[dict[str, object]]:
        """Document × theme: measures per primary theme (each measure counts once, so a row sums to
        ``measures``; measures no rule covers are in ``(なし)``), then shared and unique counts."""
        out = []
        for d in self.docs:
            rows = [r for r in self.rows if r.doc == d]
            row: dict[str, object] = {"doc": d, "measures": len(rows)}
            row |= {t: sum(r.primary == t for r in rows) for t in (*self.themes, UNCOVERED)}
            row["shared"] = sum(r.shared for r in rows)
            row["unique"] = sum(not r.shared for r in rows)
            out.append(row)
        return out


def measure_text(m: Measure) -> str:
    return normalize_chars("\n".join([m.title, measure_body(m)]))


def match_rules(
    m: Measure, scheme: ThemeScheme, settings: ThemeSettings | None = None
) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """(themes, primary theme, matched words) of one measure under ``scheme``: the primary theme
    has the most matching words, title words counting ``title_weight`` times."""
    title_weight = (settings or bundled(ThemeSettings)).title_weight
    text, title = measure_text(m), normalize_chars(m.title)
    themes: list[str] = []
    matched: list[str] = []
    best, best_weight = UNCOVERED, 0
    for rule in scheme.rules:
        hits = rule.hits(text)
        if not hits:
            continue
        themes.append(rule.name)
        matched.extend(rule.matched_words(text))
        weight = len(hits) + (title_weight - 1) * len(rule.hits(title))
        if weight > best_weight:  # ties keep the scheme's order
            best, best_weight = rule.name, weight
    return tuple(themes), best, tuple(dict.fromkeys(matched))


def cluster_uncovered(
    vectors: MeasureVectors,
    rows: Sequence[int],
    *,
    seed: int = 0,
    settings: ThemeSettings | None = None,
) -> list[str]:
    """Cluster labels ("c1: word word word") for the given rows of ``vectors`` (NMF topics).

    NMF on TF-IDF gives topics named by their heaviest words, which a reader can check at a glance.
    """
    if not rows:
        return []
    s = settings or bundled(ThemeSettings)
    k = max(1, min(s.max_clusters, len(rows) // s.measures_per_cluster))
    x = vectors.matrix[list(rows)]
    used = np.unique(x.indices)
    x = x[:, used]
    terms = vectors.terms[used]
    if k == 1 or x.shape[1] < 2:
        weights = np.asarray(x.sum(axis=0)).ravel()
        top = terms[np.argsort(-weights, kind="stable")[:3]]
        return ["c1: " + " ".join(map(str, top))] * len(rows)
    from sklearn.decomposition import NMF

    model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=400)
    w = model.fit_transform(x)
    names = [
        f"c{c + 1}: " + " ".join(map(str, terms[np.argsort(-comp, kind="stable")[:3]]))
        for c, comp in enumerate(model.components_)
    ]
    return [names[int(np.argmax(r))] for r in w]


class Ruled(NamedTuple):
    """One measure's rule themes, primary theme, matched words and topic cluster ("" if none)."""

    themes: tuple[str, ...]
    primary: str
    matched: tuple[str, ...]
    cluster: str


def theme_columns(
    measures: Sequence[Measure],
    vectors: MeasureVectors,
    *,
    scheme: ThemeScheme | None = None,
    settings: ThemeSettings | None = None,
    cluster_every_measure: bool = False,
) -> list[Ruled]:
    """The theme steps for measures whose TF-IDF rows are ``vectors``' rows in the same order:
    ``match_rules`` per measure, then ``cluster_uncovered`` over the measures no rule covers
    (``textkit themes``) or over every measure (``cluster_every_measure``: the corpus database
    gives each measure its topic)."""
    scheme = scheme or load_scheme()
    ruled = [match_rules(m, scheme, settings) for m in measures]
    if cluster_every_measure:
        rows = list(range(len(measures)))
    else:
        rows = [i for i, (themes, _, _) in enumerate(ruled) if not themes]
    clusters = dict(zip(rows, cluster_uncovered(vectors, rows, settings=settings), strict=True))
    return [Ruled(*r, clusters.get(i, "")) for i, r in enumerate(ruled)]


def classify(
    docs: Sequence[tuple[str, Strategy]],
    *,
    scheme: ThemeScheme | None = None,
    settings: ThemeSettings | Mapping[str, Any] | str | Path | None = None,
    counterparts: CounterpartSettings | Mapping[str, Any] | str | Path | None = None,
    tokenize: Tokenizer | None = None,
) -> ThemeTable:
    """Themes, clusters and shared/unique status for every measure of every document.

    ``settings``: ``ThemeSettings``, a dict of overrides or a TOML file with ``[themes]``;
    ``counterparts``: the same for the counterpart search that says shared or unique
    (``[counterparts]``)."""
    cfg = resolve_as(ThemeSettings, settings, ThemeSettings.section)
    scheme = scheme or load_scheme()
    found = resolve_as(CounterpartSettings, counterparts, CounterpartSettings.section)
    vectors = vectorize(docs, tokenize=tokenize, settings=found)
    measures = [m for _, s in docs for m in s.measures]
    doc_of_row = vectors.doc_of_row
    ruled = theme_columns(measures, vectors, scheme=scheme, settings=cfg)

    # plain np.ndarray: numpy 2.2's stubs type np.full/np.zeros as 1-d and reject the [:, 0]
    # column below (any shape); 2.4's accept both
    best: np.ndarray = np.full(len(measures), -1)
    best_score: np.ndarray = np.zeros(len(measures), dtype=np.float32)
    if len(vectors.docs) > 1:
        best_idx, best_val = nearest_across(vectors.matrix, vectors.offsets, top=1)
        best, best_score = best_idx[:, 0], best_val[:, 0]

    rows = []
    for i, m in enumerate(measures):
        themes, primary, matched, cluster = ruled[i]
        j = int(best[i])
        rows.append(
            MeasureThemes(
                doc=vectors.docs[doc_of_row[i]],
                id=m.id,
                title=m.title,
                themes=themes,
                primary=primary,
                matched=matched,
                cluster=cluster,
                shared=j >= 0 and float(best_score[i]) >= cfg.shared_threshold,
                best_doc=vectors.docs[doc_of_row[j]] if j >= 0 else "",
                best_id=vectors.ids[j] if j >= 0 else "",
                best_title=vectors.titles[j] if j >= 0 else "",
                best_score=round(float(best_score[i]), 4),
            )
        )
    return ThemeTable(themes=scheme.names, docs=vectors.docs, rows=tuple(rows))


def write_themes(table: ThemeTable, path: str | Path) -> tuple[Path, Path]:
    """Write the measure × theme table to ``path`` and the document × theme matrix beside it
    (``<stem>_by_city<suffix>``); returns both paths."""
    from .tables import write_rows

    path = Path(path)
    first = ["doc", "id", "title", "primary_theme"]
    a = write_rows(path, first, table.measure_rows(), sheet_name="themes")
    city = path.with_name(f"{path.stem}_by_city{path.suffix}")
    b = write_rows(city, ["doc", "measures"], table.city_matrix(), sheet_name="by_city")
    return a, b
