"""Chaining the stages: paths in, continuity maps, KPI audits, counterparts and reports out.

Each stage module does one step and takes its inputs from its caller (``continuity`` aligns two
strategies, ``audit`` compares their KPIs given a measure map, ``render`` writes what it is given).
(The examples run as doctests from the repository root, ``tmp`` being an empty folder.)
This module is the one place that runs them in order: ``sources`` reads, ``continuity`` aligns
(keeping the reviewed decisions under ``mappings/``), ``audit`` audits with that map, ``render``
writes. The public functions of ``textkit`` (``align``, ``attainment``, ``audit_kpis``, ``compare``,
``report``)
are the ones below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import TextkitError
from .models import ContinuityMap, KPIAudit, Strategy
from .sources import load_kpi_source, load_named, load_pair, reviewed_for


def align(old, new, *, mappings_dir: str | Path | None = None, **kw) -> ContinuityMap:
    """Continuity map (formats §3) from OLD's measures to NEW's. OLD/NEW: paths (documents or
    measure tables) or ``Strategy`` objects; keywords go to ``continuity.align_strategies``
    (settings, reviewed, use_stated). If OLD and NEW are the same document and it lists the
    previous edition's measures itself (``Strategy.previous``), OLD is that list. With
    ``mappings_dir``, the pair's reviewed map stored there (``textkit review apply``) is kept as
    decided, and weights re-fitted there (``textkit fit``) score the rest.

    >>> cmap = textkit.align("corpora/otaru_2nd_strategy.md", "corpora/synthetic/otaru_3rd_measures.csv")
    >>> first = cmap.links[0]
    >>> first.old_id, first.new_id, first.relation.value, first.evidence.value
    ('G1-M1', 'G1-M1', 'kept', 'similarity')
    """
    from .continuity import align_strategies

    a, b = load_pair(old, new)
    if mappings_dir is not None and kw.get("reviewed") is None:
        kw["reviewed"] = reviewed_for(mappings_dir, a, b)
    if mappings_dir is not None:
        kw["settings"] = settings_with_fit(kw.get("settings"), mappings_dir)
    return align_strategies(a, b, **kw)


def settings_with_fit(settings: Any, mappings_dir: str | Path):
    """Alignment settings using the weights ``textkit fit`` wrote under ``mappings_dir``
    (``align_weights.json``), unless the settings name a weights file themselves."""
    from .fit import WEIGHTS_NAME
    from .settings import resolve

    s = resolve(settings)
    fitted = Path(mappings_dir) / WEIGHTS_NAME
    if not s.weights_file and s.fitted is None and fitted.is_file():
        return s.replace(weights_file=str(fitted))
    return s


def fit(mappings_dir: str | Path = "mappings", *, settings: Any = None):
    """Re-fit the signal weights on the bundled gold pairs plus every reviewed map under
    ``mappings_dir`` (``textkit fit``); writes ``<dir>/align_weights.json``. Returns
    (path, weights, warnings)."""
    from .fit import fit_directory
    from .settings import resolve

    return fit_directory(mappings_dir, resolve(settings))


def _auto_map(
    old: Strategy,
    new: Strategy,
    mappings_dir: str | Path | None = None,
    settings: Any = None,
) -> ContinuityMap | None:
    """The measure continuity map (``continuity.align_strategies``) when both sides have measure
    titles; None for KPI tables, whose measures are bare ids. With ``mappings_dir`` it is the map
    ``align`` makes there: the pair's reviewed decisions kept, the weights fitted there, and the
    ``[align]`` table of a settings file."""
    if not (old.measures and new.measures):
        return None
    if not all(m.title for m in old.measures) or not all(m.title for m in new.measures):
        return None  # KPI tables: measures are bare ids, aligning them would be noise
    from .continuity import align_strategies

    if mappings_dir is None:
        return align_strategies(old, new)
    file = settings if isinstance(settings, (str, Path)) else None  # a dict is the [audit] one
    return align_strategies(
        old,
        new,
        settings=settings_with_fit(file, mappings_dir),
        reviewed=reviewed_for(mappings_dir, old, new),
    )


def audit_kpis(
    old,
    new,
    *,
    cmap: ContinuityMap | None = None,
    settings: Any = None,
    mappings_dir: str | Path | None = None,
) -> KPIAudit:
    """KPI audit (formats §4) between two editions: which indicators were kept, re-targeted,
    dropped or added. OLD/NEW: documents, KPI tables (formats §2) or ``Strategy`` objects.
    ``cmap``: the measure continuity map; when None it is computed (``align``) if both sides
    carry measure titles — with ``mappings_dir``, as ``align`` computes it there (the pair's
    reviewed decisions kept, weights fitted there; ``textkit kpis-compare --mappings``).
    ``settings``: the matcher's thresholds (``settings.AuditSettings``, a dict of overrides or a
    TOML file with an ``[audit]`` table; defaults in data/audit.toml; a file's ``[align]`` table
    sets the aligner of a map computed with ``mappings_dir``).

    >>> audit = textkit.audit_kpis("corpora/otaru_2nd_strategy.md", "corpora/synthetic/otaru_3rd_kpis.csv")
    >>> sorted({c.status.value for c in audit.changes})
    ['dropped', 'kept', 'new', 'target_changed']
    """
    from .audit import compare_kpis
    from .settings import AuditSettings, resolve_as

    checked = resolve_as(AuditSettings, settings, AuditSettings.section)  # before any reading
    a, b = load_kpi_source(old), load_kpi_source(new)
    if cmap is None:
        cmap = _auto_map(a, b, mappings_dir, settings)
    return compare_kpis(a, b, cmap=cmap, settings=checked)


def attainment(kpis, results, *, previous=None, settings: Any = None):
    """KPI attainment (formats §7): how far each KPI of ``kpis`` (a document, KPI table or
    ``Strategy``) got by ``results`` (a results table — long form or one column per year — or a
    ``kpi_attainment.Results``). With ``previous`` (the previous edition's KPIs), a KPI the KPI
    audit pairs across the editions continues its series under the new name. ``settings``:
    ``settings.AttainmentSettings``, a dict of overrides, or a TOML file whose ``[attainment]``
    and ``[audit]`` tables (the matcher that pairs names) override the defaults; checked before
    anything is read. Returns a ``kpi_attainment.Attainment``: one frozen row per KPI and named
    warnings.

    >>> cases = "tests/cases/attainment/"
    >>> table = textkit.attainment(cases + "town_kpis.csv", cases + "town_results_long.csv")
    >>> row = table.rows[0]
    >>> row.name, row.latest_year, row.latest_value, row.attainment, row.status.value
    ('町内の雇用者数', 2023, 1240.0, 0.4, 'behind')
    """
    from .kpi_attainment import Results, attainment_table, read_results

    checked, matcher = attainment_settings(settings)  # before any reading
    strategy = load_kpi_source(kpis)
    table = results if isinstance(results, Results) else read_results(results)
    old = audit = None
    if previous is not None:
        from .audit import compare_kpis

        old = load_kpi_source(previous)
        audit = compare_kpis(old, strategy, cmap=_auto_map(old, strategy), settings=matcher)
    out = attainment_table(
        strategy, table, previous=old, audit=audit, settings=checked, matcher=matcher
    )
    _warn(out.warnings)
    return out


def attainment_settings(settings: Any = None):
    """(``AttainmentSettings``, ``AuditSettings``) from ``settings``: a TOML file gives both
    (its ``[attainment]`` and ``[audit]`` tables), so does ``AllSettings``; an
    ``AttainmentSettings`` or a dict of overrides is the attainment settings, with the bundled
    matcher."""
    from .settings import AllSettings, AttainmentSettings, AuditSettings, bundled, resolve_as

    if isinstance(settings, AllSettings):
        return settings.attainment, settings.audit
    checked = resolve_as(AttainmentSettings, settings, AttainmentSettings.section)
    if isinstance(settings, (str, Path)):
        return checked, resolve_as(AuditSettings, settings, AuditSettings.section)
    return checked, bundled(AuditSettings)


def _warn(messages) -> None:
    """Issue each message as a ``TextkitWarning`` (the CLI prints them one line each)."""
    import warnings

    from .errors import TextkitWarning

    for message in messages:
        warnings.warn(TextkitWarning(message), stacklevel=3)


def compare(*docs, top: int = 3, settings: Any = None) -> list:
    """For every measure of every document, its ``top`` closest counterparts in each other one
    (formats §6).  ``docs`` are paths (documents or measure tables) or ``Strategy`` objects.
    ``settings``: ``settings.CounterpartSettings``, a dict of overrides or a TOML file with a
    ``[counterparts]`` table (defaults in data/counterparts.toml).

    >>> pairs = textkit.compare("corpora/otaru_2nd_strategy.md", "corpora/tomakomai_3rd_deck_2024.txt")
    >>> pairs[0].a_doc, pairs[0].a_id, pairs[0].b_doc, pairs[0].rank
    ('otaru_2nd_strategy', 'G1-M1', 'tomakomai_3rd_deck_2024', 1)
    """
    from .counterparts import compare_strategies
    from .settings import CounterpartSettings, resolve_as

    checked = resolve_as(CounterpartSettings, settings, CounterpartSettings.section)
    return compare_strategies(load_compared(docs), top=top, settings=checked)


def load_compared(docs: Sequence[Any]) -> list[tuple[str, Strategy]]:
    """The documents of a comparison (``compare``, ``themes``) read and named by
    ``compare_names`` (two cities' 総合戦略.pdf by their folders), one document given twice
    named in a warning."""
    names = compare_names(docs)
    named = [
        load_named(d) if isinstance(d, Strategy) else (name, load_named(d)[1])
        for d, name in zip(docs, names, strict=True)
    ]
    _warn(_copies(named))
    return named


# Two documents whose measure titles are this alike (Jaccard of the title sets) are one document
# given twice (a PDF and its conversion in another folder): every measure would find itself as
# its counterpart. Editions of one plan keep far fewer titles word for word (the 16 bundled
# edition pairs of tests/cases/align*: at most 0.09; the trial's 桜台市 0.15).
SAME_DOCUMENT_TITLES = 0.9


def _copies(named: Sequence[tuple[str, Strategy]]) -> list[str]:
    """Warnings for pairs of documents that hold the same measures (titles alike)."""
    out = []
    titles = [(name, {m.title for m in s.measures if m.title}) for name, s in named]
    for k, (a, ta) in enumerate(titles):
        for b, tb in titles[k + 1 :]:
            if ta and tb and len(ta & tb) / len(ta | tb) >= SAME_DOCUMENT_TITLES:
                out.append(
                    f"{a} and {b} hold the same measures ({len(ta & tb)} of "
                    f"{len(ta | tb)} titles alike): one document given twice? each measure's "
                    "first counterpart in the other is itself; give one of them"
                )
    return out


def compare_names(docs: Sequence[Any]) -> list[str]:
    """The name each document of a comparison goes by: its file name without suffix; where two
    share one, the folder they are in as well (two cities' 総合戦略.pdf are 小樽市/総合戦略 and
    苫小牧市/総合戦略). The same file twice, or two files of one name in one folder (the .md and
    .pdf of one strategy: every measure would find itself as its counterpart), are refused,
    naming them and which to keep."""
    paths = {i: Path(d) for i, d in enumerate(docs) if not isinstance(d, Strategy)}
    seen: dict[tuple[Path, str], Path] = {}
    for p in paths.values():
        resolved = p.resolve()
        for key in ((resolved.parent, resolved.name), (resolved.parent, resolved.stem)):
            if key in seen:
                other = seen[key]
                if key[1] == resolved.name:
                    raise TextkitError(f"{p} is given twice; give each document once")
                raise TextkitError(
                    f"{other} and {p} look like two files of one document (the same name in one "
                    "folder): give one of them (the original is usually the PDF); rename one if "
                    "they are different documents"
                )
        seen[(resolved.parent, resolved.name)] = p
        seen[(resolved.parent, resolved.stem)] = p
    names = [
        Path(d.source).stem or "document" if isinstance(d, Strategy) else paths[i].stem
        for i, d in enumerate(docs)
    ]
    # Folder levels are added until the names differ (a/小樽市/総合戦略 and b/小樽市/総合戦略).
    for depth in range(1, max((len(p.resolve().parts) for p in paths.values()), default=1)):
        shared = {n for n in names if names.count(n) > 1}
        if not shared:
            break
        for i, p in paths.items():
            if names[i] in shared:
                folders = p.resolve().parent.parts[-depth:]
                names[i] = "/".join([*folders, p.stem])
    return names


def prepare(
    old: str | Path | Strategy,
    new: str | Path | Strategy,
    *,
    mappings_dir: str | Path,
    old_kpis: str | Path | Strategy | None = None,
    new_kpis: str | Path | Strategy | None = None,
    kpi_map: ContinuityMap | None = None,
    settings: str | Path | None = None,
) -> tuple[Strategy, Strategy, ContinuityMap, KPIAudit | None]:
    """Load OLD and NEW, align them keeping every reviewed decision stored under
    ``mappings_dir``, and audit their KPIs whenever both sides have some: the documents' own, or
    KPI tables given as ``old_kpis`` / ``new_kpis`` (formats §2). The audit says which measures
    continue from the alignment, or from ``kpi_map`` when the KPI tables use other measure ids.
    ``settings``: a TOML file whose ``[align]`` and ``[audit]`` tables override the defaults."""
    from .continuity import align_strategies
    from .settings import AuditSettings, resolve_as

    audit_settings = resolve_as(AuditSettings, settings, AuditSettings.section)  # checked first
    align_settings = settings_with_fit(settings, mappings_dir)
    old_s, new_s = load_pair(old, new)
    cmap = align_strategies(
        old_s,
        new_s,
        settings=align_settings,
        reviewed=reviewed_for(mappings_dir, old_s, new_s),
    )
    old_k = load_kpi_source(old_kpis) if old_kpis is not None else old_s
    new_k = load_kpi_source(new_kpis) if new_kpis is not None else new_s
    audit = None
    if old_k.kpis and new_k.kpis:
        from .audit import compare_kpis

        audit = compare_kpis(old_k, new_k, cmap=kpi_map or cmap, settings=audit_settings)
    return old_s, new_s, cmap, audit


def make_report(
    old: str | Path | Strategy,
    new: str | Path | Strategy,
    *,
    xlsx: str | Path | None = None,
    html: str | Path | None = None,
    mappings_dir: str | Path | None = "mappings",
    comparison: Any = None,
    results: str | Path | None = None,
    warn: Callable[[str], None] | None = None,
    old_kpis: str | Path | None = None,
    new_kpis: str | Path | None = None,
    old_label: str | None = None,
    new_label: str | None = None,
    settings: str | Path | None = None,
) -> list[Path]:
    """Align OLD → NEW (keeping every reviewed decision stored under ``mappings_dir``), audit
    their KPIs when both have some, and write the requested reports. Returns the paths written.
    OLD and NEW may be the same document when it lists the previous edition's measures itself.
    With ``results`` (a results table, formats §7), both reports gain the KPI 達成状況 of the
    edition the results cover (``report_attainment``).
    ``warn`` hears about a workbook moved aside because it held decisions not yet applied.
    ``old_kpis`` / ``new_kpis``: KPI tables audited when a document has no KPIs of its own.
    ``old_label`` / ``new_label``: what to call the editions (default: 第N期 from the documents).
    ``settings``: a TOML file whose ``[align]``, ``[audit]`` and ``[attainment]`` tables override the
    defaults.
    """
    from .render import write_html

    attainment_settings(settings)  # checked before any work, with prepare's [align] / [audit]
    mappings_dir = report_mappings(xlsx, mappings_dir, warn)
    old_s, new_s, cmap, audit = prepare(
        old,
        new,
        mappings_dir=mappings_dir,
        old_kpis=old_kpis,
        new_kpis=new_kpis,
        settings=settings,
    )
    from .workbook import edition_labels

    labels = edition_labels(old_s, new_s, old_label, new_label)
    table, edition = (None, "")
    if results is not None:
        table, edition = report_attainment(
            old_s, new_s, results, audit=audit, labels=labels, settings=settings
        )
    extra: dict[str, Any] = {
        "attainment": table,
        "attainment_edition": edition,
        "labels": labels,
    }
    written = []
    if xlsx:
        written.append(
            write_review_workbook(
                cmap,
                xlsx,
                audit=audit,
                old=old_s,
                new=new_s,
                mappings_dir=mappings_dir,
                warn=warn,
                **extra,
            )
        )
    if html:
        written.append(
            write_html(
                cmap, html, audit=audit, old=old_s, new=new_s, comparison=comparison, **extra
            )
        )
    return written


def _rows_of(rows: list[int]) -> str:
    """対応表 row numbers as a reader finds them: "row 3", "rows 3 and 5", "rows 3, 5, 8 …"."""
    # Beyond this many rows the message names the first ones only (one line on stderr).
    shown_at_most = 8
    names = [str(n) for n in rows[:shown_at_most]]
    more = " …" if len(rows) > shown_at_most else ""
    if len(names) == 1:
        return f"対応表 row {names[0]}"
    if not more:
        return f"対応表 rows {', '.join(names[:-1])} and {names[-1]}"
    return f"対応表 rows {', '.join(names)}{more}"


def report_mappings(
    xlsx: str | Path | None,
    given: str | Path | None,
    warn: Callable[[str], None] | None = None,
) -> Path:
    """The decisions a report is made with. ``given`` None (no ``--mappings``): the folder the
    workbook at ``xlsx`` was made from, when it still exists — run from another folder, the
    current folder's mappings/ would give a workbook without any of the decisions, replacing
    the one that showed them — else ``mappings``. A folder given that is not the one the
    workbook was made from is said (``warn``)."""
    from .errors import TextkitError
    from .review import read_review_workbook, recorded_mappings

    recorded = None
    if xlsx is not None and Path(xlsx).is_file():
        try:
            recorded = recorded_mappings(read_review_workbook(xlsx), xlsx)
        except TextkitError:  # not a review workbook: write_review_workbook moves it aside
            recorded = None
    if given is None:
        return recorded or Path("mappings")
    if recorded is not None and Path(given).resolve() != recorded.resolve():
        message = (
            f"{xlsx} was made from the decisions in {recorded}; this report reads {given} "
            f"instead (--mappings): decisions recorded only in {recorded} are not in it"
        )
        (warn or (lambda m: _warn([m])))(message)
    return Path(given)


def write_review_workbook(
    cmap: ContinuityMap,
    path: str | Path,
    *,
    audit: KPIAudit | None,
    old: Strategy,
    new: Strategy,
    mappings_dir: str | Path,
    warn: Callable[[str], None] | None = None,
    **extra: Any,
) -> Path:
    """Write the review workbook with the pair's decisions and revision (``extra`` goes to
    ``render.write_workbook``). A workbook already at
    ``path`` holding decisions not yet applied is never overwritten: it is moved aside first
    (``review.keep_unapplied``) and ``warn`` says where."""
    from .render import write_workbook
    from .review import keep_unapplied, unapplied_rows

    rows = unapplied_rows(path, mappings_dir) if Path(path).exists() else []
    aside = keep_unapplied(path, mappings_dir)
    if aside is not None:
        if rows is None:
            message = (
                f"{path} is not a review workbook textkit can read; it was moved to {aside} "
                "rather than overwritten"
            )
        else:
            message = (
                f"{path} held decisions not yet applied in {_rows_of(rows)}; it was "
                f"moved to {aside}: apply it with 'textkit review apply {aside}'"
            )
        if warn is not None:
            warn(message)
        else:
            _warn([message])
    reviewed = reviewed_for(mappings_dir, old, new)
    return write_workbook(
        cmap,
        path,
        audit=audit,
        old=old,
        new=new,
        reviewed=reviewed,
        mappings_dir=mappings_dir,
        **extra,
    )


def report_attainment(
    old: Strategy,
    new: Strategy,
    results: str | Path,
    *,
    audit: KPIAudit | None = None,
    labels: tuple[str, str] | None = None,
    settings: Any = None,
):
    """(attainment table, edition label) for a report: the results are checked against the
    edition they cover — OLD's KPIs when no reported year lies after OLD's last target year (a
    第2期 効果検証 read while drafting 第3期), else NEW's with OLD's series continued under NEW's
    names. An edition without KPIs leaves the other. The label is that side's of ``labels``
    (default: ``workbook.edition_labels`` of the documents). ``settings``: as ``attainment``'s."""
    from .errors import EmptyDocumentError
    from .kpi_attainment import attainment_table, read_results
    from .workbook import edition_labels, side_labels

    old_label, new_label = side_labels(labels or edition_labels(old, new))

    cfg, matcher = attainment_settings(settings)
    table = read_results(results)
    if not old.kpis and not new.kpis:
        raise EmptyDocumentError(
            "--results given, but neither document has KPIs (重要業績評価指標 / 数値目標) to check "
            "them against",
            path=str(results),
        )
    years = [o.year for r in table.indicators for o in r.observations if o.year is not None]
    old_end = old.period_end or max(
        (k.target_year for k in old.kpis if k.target_year is not None), default=None
    )
    covers_new = bool(years) and old_end is not None and max(years) > old_end
    if old.kpis and not (covers_new and new.kpis):
        out = attainment_table(old, table, settings=cfg, matcher=matcher)
        edition = old_label
    else:
        out = attainment_table(new, table, previous=old, audit=audit, settings=cfg, matcher=matcher)
        edition = new_label
    _warn(out.warnings)
    return out, edition


def report(
    old,
    new,
    *,
    xlsx=None,
    html=None,
    mappings_dir="mappings",
    comparison=None,
    results=None,
    settings=None,
) -> list:
    """Align OLD → NEW (keeping the reviewed decisions under ``mappings_dir``), audit KPIs, and
    write the review workbook (``xlsx``) and/or the HTML report (``html``); returns the paths.
    ``results``: a 効果検証 results table (formats §7) — adds the KPI 達成状況 to both.
    ``settings``: a TOML file whose ``[align]``, ``[audit]`` and ``[attainment]`` tables override the
    defaults.

    >>> old, new = "corpora/otaru_2nd_strategy.md", "corpora/synthetic/otaru_3rd_measures.csv"
    >>> [p.name for p in textkit.report(old, new, xlsx=tmp / "map.xlsx", mappings_dir=tmp)]
    ['map.xlsx']
    """
    return make_report(
        old,
        new,
        xlsx=xlsx,
        html=html,
        mappings_dir=mappings_dir,
        comparison=comparison,
        results=results,
        settings=settings,
    )
