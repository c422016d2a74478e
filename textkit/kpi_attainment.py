"""KPI attainment (達成度): a strategy's KPIs and what its 効果検証 reports → ``Attainment`` (formats §7).

What goes in: the strategy's KPIs (a ``Strategy``, a document or a KPI table, formats §2), a results
table (``read_results``: long form ``name, fiscal_year, actual_raw|actual_value``; wide form with one
column per year — ``2022``, ``R4``, ``令和4年度``; or one ``result_raw`` per indicator such as
``最終値40人 指標達成度 133%``) and optionally the previous edition's KPIs, whose reworded indicators
continue their series under this edition's names. What comes out: a frozen ``Attainment`` holding one
``AttainmentRow`` per strategy KPI — every one, reported or not — and named warnings for what could
not be used (a reported name that is no strategy KPI, a duplicate year …).

Stages, each a module-level function:

1. ``read_results``   rows → ``ReportedIndicator`` (name, dated ``Observation``s in the reported unit,
   the review's own 達成度). Years may be 和暦; values are parsed by ``textkit.kpi.parse_cell``; an
   optional ``unit`` column (単位) gives a row's bare numbers their unit, as in a KPI table.
2. ``pair_results``   reported names → strategy KPIs with the KPI audit's matcher (``textkit.audit``:
   reworded names such as 受入数 → 受け入れ数 are the same indicator), one-to-one; a second name that
   would pair with the same KPI is named in that KPI's note, never merged or dropped silently.
3. ``evaluate``       one KPI + its observations → ``AttainmentRow``: direction from the target's
   comparator (``textkit.kpi``) or baseline vs target; period targets (``5年間で``, ``合計``,
   ``平均``, ``累計``) compared as the period's sum, mean or reported cumulative value, said in ``note``;
   attainment (formats §7: of the latest reported value), status (達成 / 未達 judged on the values
   up to the target year: a target of R6 met only in R7 is not 達成; the row's ``compared_value``
   and ``compared_attainment``), and the stated 達成度 beside the computed one, disagreement
   flagged.

``attainment_table(strategy, results, previous=None)`` runs the three on loaded inputs;
``textkit.attainment`` (``pipeline.attainment``) takes paths.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from .errors import EmptyDocumentError, FormatError
from .extract import OLD_SPREADSHEET_SUFFIXES, save_as_xlsx
from .kpi import (
    ERA_NAME,
    RANGE,
    clean_cell,
    convert,
    find_year,
    parse_cell,
    same_unit,
    split_unit,
    values_in_unit,
    with_unit,
)
from .models import KPI, KPIAudit, Strategy, _Record
from .settings import AttainmentSettings, AuditSettings, bundled
from .tables import accepted_headers

# ── vocabulary ──────────────────────────────────────────────────────────────


class Direction(str, Enum):
    """Which way an indicator should move (formats §7 ``direction``)."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class AttainmentStatus(str, Enum):
    """formats §7 ``status``."""

    ACHIEVED = "achieved"
    BEHIND = "behind"
    NO_DATA = "no_data"


# What staff see (workbook 達成状況, HTML).
STATUS_JA: dict[AttainmentStatus, str] = {
    AttainmentStatus.ACHIEVED: "達成",
    AttainmentStatus.BEHIND: "未達",
    AttainmentStatus.NO_DATA: "実績なし",
}
DIRECTION_JA: dict[Direction, str] = {
    Direction.INCREASE: "増加",
    Direction.DECREASE: "減少",
    Direction.MAINTAIN: "維持",
}


class PeriodRule(str, Enum):
    """How a target over the plan period is compared with yearly results."""

    NONE = ""  # a level to reach by the target year
    SUM = "sum"  # 5年間で10人, 35件 (R2~6 合計), 累計 targets reported year by year
    MEAN = "mean"  # 80人 (R2-6 平均)
    CUMULATIVE = "cumulative"  # results that say 累計 themselves: the latest running total


# Comparators of textkit.kpi (増加/延伸/以上 …) and of the KPI audit's fallback parser ("keep").
_INCREASING = {"increase", "extend", ">=", ">"}
_DECREASING = {"decrease", "<=", "<"}
_MAINTAINING = {"maintain", "keep"}
_BOUNDS = {">=", ">", "<=", "<"}

# The thresholds (stated 達成度 tolerance, rival tie margin, anagram evidence …) are
# ``settings.AttainmentSettings`` (defaults and why each has its value: ``textkit/data/attainment.toml``);
# the functions below take the resolved settings, or use the bundled ones. Pairing names to KPIs is
# the KPI audit's matcher (``settings.AuditSettings``).
# Units (scales 312,000人 = 31.2万人, spellings 名 = 人) are textkit.kpi's: convert, same_unit.

# ── results table (stage 1) ─────────────────────────────────────────────────

_ERA = rf"(?:{ERA_NAME})\s*(?:\d{{1,2}}|元)"
_WESTERN = r"(?:19|20)\d{2}"
# A column header that is only a year once the words around years are removed: 2022, R4, 令和4年度,
# 2023年度, FY2022, R4実績, 実績値(R4), 2020(R2), H31/R1 — two years written must agree.
_YEAR_HEADER_NOISE = re.compile(r"FY|実績値?|の|年度|年|末|時点|[()（）/・\s]", re.IGNORECASE)
_YEAR_HEADER = re.compile(rf"^(?P<year>{_ERA}|{_WESTERN})(?P<again>{_ERA}|{_WESTERN})?$")
# A year written inside a result cell: 令和3年度実績: …, R5末 …, 2022年度 …
_YEAR_IN_TEXT = re.compile(
    rf"(?P<year>{_ERA}|{_WESTERN})\s*(?:年度|年)\s*(?:の?実績値?|末|時点)?\s*[:：]?"
    rf"|(?P<era>{_ERA})\s*(?:の?実績値?|末|時点)\s*[:：]?"
)
# 指標達成度 133%, 達成率：92.5％, (達成度 100%)
_STATED = re.compile(
    r"[（(]?\s*(?:指標)?達成(?:度|率)\s*(?:は|[:：])?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<pct>[%％])?\s*[)）]?"
)
_STATED_WORD = re.compile(r"(?:指標)?達成(?:度|率)")
_CUMULATIVE_WORD = "累計"
# The remark on a result cell stating several figures in one unit (男性 80.1 歳 女性 84.0 歳).
SEVERAL_VALUES = "値が複数: 判定しない"


@dataclass(frozen=True)
class Observation(_Record):
    """One reported value: its year (None when the review gives none), the number in ``unit``
    (None when the cell has no number) and the cell as written."""

    year: int | None
    value: float | None
    unit: str = ""
    raw: str = ""
    cumulative: bool = False  # the cell says 累計: a running total, not one year's figure
    cumulative_by_name: bool = False  # only the row's name says 累計 (its cells never go down)


@dataclass(frozen=True)
class ReportedIndicator(_Record):
    """One indicator of a results table with everything reported for it."""

    name: str
    observations: tuple[Observation, ...] = ()
    stated_attainment: float | None = None  # the review's 達成度 as a fraction (133% → 1.33)
    stated_raw: str = ""
    target_raw: str = ""  # a target the review restates
    measure_id: str = ""
    remarks: tuple[str, ...] = ()  # text without a number (コロナ禍により中止)
    row: int = 0  # first table row (for messages)

    @property
    def unit(self) -> str:
        units = [o.unit for o in self.observations if o.unit]
        return max(set(units), key=units.count) if units else ""


@dataclass(frozen=True)
class Results(_Record):
    """A results table read by ``read_results``."""

    source: str
    indicators: tuple[ReportedIndicator, ...]
    form: str  # long | wide | single
    warnings: tuple[str, ...] = ()


def year_of_header(header: str) -> int | None:
    """The year a wide-form column stands for, or None when the header is not only a year.

    >>> [year_of_header(h) for h in ("2022", "R4", "令和4年度", "2023年度", "目標値(R6)", "name")]
    [2022, 2022, 2022, 2023, None, None]
    """
    text = _YEAR_HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(header)))
    m = _YEAR_HEADER.match(text)
    if not m:
        return None
    year = find_year(m.group("year"))[0]
    if m.group("again") and find_year(m.group("again"))[0] != year:
        return None  # 2020(R3): which year is meant cannot be told
    return year


def stated_attainment(text: str) -> tuple[float | None, str]:
    """(fraction, the phrase) of a 達成度 stated in ``text``: ``指標達成度 133%`` → (1.33, …).
    A bare number without % is read as a percent when above 5 (達成度 92 → 0.92), else a fraction.

    >>> stated_attainment("最終値600万円、指標達成度 133%")
    (1.33, '指標達成度 133%')
    """
    norm = unicodedata.normalize("NFKC", text or "")
    m = _STATED.search(norm)
    if not m:
        return None, ""
    num = float(m.group("num"))
    value = num / 100 if m.group("pct") or num > 5 else num
    return round(value, 6), m.group(0).strip(" ()（）")


def read_value(raw: str) -> tuple[Observation, str]:
    """One result cell → (Observation with year from the text when it names one, remark text).

    >>> o, _ = read_value("令和3年度実績:入学者数 37名")
    >>> (o.year, o.value, o.unit)
    (2021, 37.0, '人')
    """
    text = unicodedata.normalize("NFKC", raw or "")
    text = _STATED.sub(" ", text)
    year = None
    m = _YEAR_IN_TEXT.search(text)
    if m:
        year = find_year(m.group("year") or m.group("era"))[0]
        text = (text[: m.start()] + " " + text[m.end() :]).strip()
    cell = parse_cell(text)
    value = cell.value
    remark = "" if value is not None else clean_cell(text).strip(" 、,。")
    if cell.value_range is not None:
        remark = f"{remark} ({RANGE})"  # 50~52: no one figure to judge
    if value is not None and values_in_unit(text, cell.unit) > 1:
        # 男性 80.1 歳 女性 84.0 歳: which figure is the indicator's cannot be told — not judged
        value, remark = None, f"{clean_cell(text).strip()} ({SEVERAL_VALUES})"
    unit = same_unit(cell.unit)
    obs = Observation(
        year=year,
        value=value,
        unit=unit,
        raw=raw or "",
        cumulative=_CUMULATIVE_WORD in text,
    )
    return obs, remark


# Header spellings of the results table (beyond formats §7's own names) are data/columns.toml
# [results] (tables.accepted_headers); matching ignores width.
_RESULT_ALIASES: dict[str, list[str]] = accepted_headers("results")


def _key(header: str) -> str:
    return "".join(unicodedata.normalize("NFKC", header).split()).lower()


def _contract_columns(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    aliases = {_key(a): col for col, names in _RESULT_ALIASES.items() for a in names}
    present = set(rows[0]) if rows else set()
    rename = {
        h: aliases[_key(h)]
        for h in present
        if h not in _RESULT_ALIASES and _key(h) in aliases and aliases[_key(h)] not in present
    }
    if "name" not in present and "name" not in rename.values():
        # No known spelling: the first header naming an indicator (重要業績評価指標（KPI）名 …).
        named = [h for h in rows[0] if h not in rename and re.search(r"指標|KPI", h, re.I)]
        if named:
            rename[named[0]] = "name"
    if not rename:
        return rows
    from .tables import renamed

    return [renamed(r, rename) for r in rows]


def _stated_columns(header: Iterable[str]) -> list[str]:
    """Extra columns holding a 達成度 on their own (指標達成度, 達成率 (%))."""
    return [h for h in header if h not in _RESULT_ALIASES and _STATED_WORD.search(h or "")]


@dataclass(frozen=True)
class _Layout:
    """How a results table is laid out: its form, year columns and 達成度 columns."""

    form: str  # long | wide | single
    year_columns: dict[str, int]
    stated_columns: tuple[str, ...]


def _layout(header: Sequence[str], source: str) -> _Layout:
    year_columns = {h: y for h in header if (y := year_of_header(h)) is not None}
    stated_cols = tuple(_stated_columns(header))
    if "fiscal_year" in header:
        form = "long"
    elif year_columns:
        form = "wide"
    elif stated_cols or any(c in header for c in ("actual_raw", "actual_value", "result_raw")):
        form = "single"
    else:
        raise FormatError(
            "the results table has no 'fiscal_year' column, no year columns (2022, R4, 令和4年度) "
            "and no 'actual_raw' / 'actual_value' / 'result_raw' column; add one to the header row",
            path=source,
        )
    return _Layout(form, year_columns, stated_cols)


@dataclass
class _Collected:
    """What the rows of one indicator name reported, gathered while reading (then frozen)."""

    name: str
    row: int
    observations: list[Observation] = field(default_factory=list)
    stated: list[tuple[int | None, float, str]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    target_raw: str = ""
    measure_id: str = ""

    def add_stated(self, year: int | None, texts: Sequence[tuple[str, str]]) -> None:
        """``texts``: (column, cell) of result_raw and of the 達成度 columns."""
        for col, text in texts:
            if col != "result_raw" and text.strip() and _STATED.search(text) is None:
                text = f"達成度 {text}"  # the column itself says it is a 達成度
            frac, phrase = stated_attainment(text)
            if frac is not None:
                self.stated.append((year, frac, phrase))
            elif col != "result_raw" and text.strip():
                self.remarks.append(f"{text.strip()} (数値でない)")

    def add_cell(self, year: int | None, cell: str, *, single: bool) -> str:
        """Keep the cell's value, else its remark; ``SEVERAL_VALUES`` when it states several."""
        obs, remark = read_value(cell)
        if obs.year is None or not single:
            obs = replace(obs, year=year if year is not None else obs.year)
        if obs.value is not None:
            self.observations.append(obs)
        elif remark and _STATED.sub("", unicodedata.normalize("NFKC", cell)).strip(" 、,。()（）"):
            self.remarks.append(remark)
            if remark.endswith(f"({SEVERAL_VALUES})"):
                return SEVERAL_VALUES
        return ""

    def frozen(self, warnings: list[str]) -> ReportedIndicator:
        stated = sorted(self.stated, key=lambda s: (s[0] is None, s[0] or 0))
        _, fraction, phrase = stated[-1] if stated else (None, None, "")
        return ReportedIndicator(
            name=self.name,
            observations=_running_totals_by_name(
                self.name, _dedupe_years(self.name, self.observations, warnings)
            ),
            stated_attainment=fraction,
            stated_raw=phrase,
            target_raw=self.target_raw,
            measure_id=self.measure_id,
            remarks=tuple(dict.fromkeys(r for r in self.remarks if r)),
            row=self.row,
        )


# What a 単位 cell may hold around its unit: brackets (（千人）), or a dash for "none".
_UNIT_BRACKETS = "()（）[]［］【】"
_NO_UNIT = "-－―ー‐−—"


def _row_unit(n: int, row: dict[str, str], name: str, warnings: list[str]) -> str | None:
    """The row's unit column as a unit (``""`` when empty or a dash), or None — with a warning —
    when it holds no unit textkit reads: its numbers are then not used rather than read in the
    KPI's unit."""
    written = " ".join(row.get("unit", "").split())
    unit = unicodedata.normalize("NFKC", written).strip(_UNIT_BRACKETS + " ")
    if not unit.strip(_NO_UNIT):
        return ""
    if read_value(with_unit("1", unit))[0].unit:
        return unit
    warnings.append(
        f"row {n}: 単位 '{written}' ({name}) is not a unit textkit reads; "
        "the row's values are not used (write the unit as in 千人, 万円, %)"
    )
    return None


def _running_totals_by_name(name: str, obs: list[Observation]) -> tuple[Observation, ...]:
    """A row NAMED as a running total (新規就農者数（累計）) whose bare yearly cells never go down
    (3, 7, 11, 15, 18) reports running totals, as cells saying 累計 do: summing them again would
    count each year several times. Cells that go down are yearly figures and stay so."""
    dated = [o.value for o in obs if o.year is not None and o.value is not None]
    if (
        _CUMULATIVE_WORD not in unicodedata.normalize("NFKC", name)
        or any(o.cumulative for o in obs)
        or len(dated) < 2
        or any(b < a for a, b in itertools.pairwise(dated))
    ):
        return tuple(obs)
    return tuple(replace(o, cumulative=True, cumulative_by_name=True) for o in obs)


def _read_row(n: int, row: dict[str, str], layout: _Layout, g: _Collected, warnings: list[str]):
    """One table row into the indicator's collection."""
    g.target_raw = g.target_raw or row.get("target_raw", "").strip()
    g.measure_id = g.measure_id or row.get("measure_id", "").strip()
    row_year: int | None = None
    if layout.form == "long":
        fy = row.get("fiscal_year", "").strip()
        row_year = find_year(fy)[0] if fy else None
        if fy and row_year is None:
            warnings.append(f"row {n}: fiscal_year '{fy}' is not a year; row skipped")
            return
    # A unit column (単位) gives the row's bare numbers their unit (220 | 千人 → 220千人), as in a KPI
    # table; _series converts it to the KPI's unit (or sets the value aside with a note).
    unit = _row_unit(n, row, g.name, warnings)
    if unit is None:
        return
    cells: list[tuple[int | None, str]] = []
    if layout.form == "wide":
        cells += [(y, with_unit(row.get(h, ""), unit)) for h, y in layout.year_columns.items()]
    actual_value = row.get("actual_value", "").strip()
    if actual_value:
        try:
            number = float(actual_value.replace(",", ""))
        except ValueError:
            warnings.append(f"row {n}: actual_value '{actual_value}' is not a number")
        else:
            raw = with_unit(actual_value, unit)
            stated = read_value(raw)[0].unit if unit else ""
            g.observations.append(Observation(row_year, number, stated, raw))
    else:
        cells.append((row_year, with_unit(row.get("actual_raw", ""), unit)))
    result_raw = row.get("result_raw", "")
    g.add_stated(
        row_year,
        [("result_raw", result_raw)] + [(c, row.get(c, "")) for c in layout.stated_columns],
    )
    # result_raw holds a value too (最終値40人) when no actual cell gave one
    if not any(c.strip() for _, c in cells) and not actual_value and result_raw.strip():
        cells.append((row_year, with_unit(result_raw, unit)))
    for year, cell in cells:
        single = layout.form == "single"
        if str(cell).strip() and g.add_cell(year, str(cell), single=single) == SEVERAL_VALUES:
            warnings.append(
                f"row {n}: '{' '.join(str(cell).split())}' ({g.name}) holds several values; "
                "which one is the indicator's cannot be told, so it is not judged"
            )


def read_results(path: str | Path) -> Results:
    """A results table (CSV in UTF-8/UTF-8 BOM/CP932, XLSX first sheet, JSON) → ``Results``;
    the reader's own warnings (a table that looks cut …) are kept in ``Results.warnings``."""
    from .tables import TABLE_FORMATS, read_table, require_columns, row_number

    source = str(path)
    suffix = Path(path).suffix.lower()
    if suffix in OLD_SPREADSHEET_SUFFIXES:
        raise FormatError(
            f"is a {suffix} spreadsheet, which textkit does not read: {save_as_xlsx(suffix)} "
            "and give that",
            path=source,
        )
    if suffix not in TABLE_FORMATS:
        raise FormatError(
            "is not a results table: give a .csv, .xlsx or .json table of the reported values "
            "(reading a 効果検証 document itself is not supported yet)",
            path=source,
        )
    table = read_table(path)
    if not table.rows:  # a header alone: nothing was reported
        raise EmptyDocumentError(
            "the results table has no rows: add one row per reported value below the header",
            path=source,
        )
    rows = _contract_columns(table.rows)
    require_columns(rows, ("name",), source)
    layout = _layout(list(dict.fromkeys(k for r in rows for k in r)), source)
    warnings: list[str] = list(table.warnings)
    if layout.form == "long" and layout.year_columns:
        warnings.append(
            f"year columns ({', '.join(layout.year_columns)}) ignored: the table is in long form "
            "(it has a fiscal_year column)"
        )
    grouped: dict[str, _Collected] = {}
    for counted, row in enumerate(rows, start=2):
        n = row_number(row, counted)
        name = " ".join(row.get("name", "").split())  # as written: the output names it so
        if not name:
            warnings.append(f"row {n}: no indicator name; row skipped")
            continue
        g = grouped.setdefault(clean_cell(name), _Collected(name=name, row=n))
        _read_row(n, row, layout, g, warnings)
    indicators = tuple(g.frozen(warnings) for g in grouped.values())
    if not indicators:
        raise EmptyDocumentError("the results table has no indicator rows", path=source)
    return Results(source, indicators, layout.form, tuple(warnings))


def _dedupe_years(name: str, obs: list[Observation], warnings: list[str]) -> list[Observation]:
    """One value per year (the later row wins, with a warning when they differ), oldest first."""
    by_year: dict[int, Observation] = {}
    undated: list[Observation] = []
    for o in obs:
        if o.year is None:
            undated.append(o)
            continue
        earlier = by_year.get(o.year)
        if earlier is not None and not _close(earlier.value, o.value):
            warnings.append(
                f"「{name}」 {o.year}年度 is reported twice ({earlier.raw.strip()} / "
                f"{o.raw.strip()}); the later row is used"
            )
        by_year[o.year] = o
    return [by_year[y] for y in sorted(by_year)] + undated


# ── pairing (stage 2) ───────────────────────────────────────────────────────


@dataclass(frozen=True)
class Pairing(_Record):
    """Which reported indicators feed one strategy KPI, and what the matcher saw."""

    direct: ReportedIndicator | None = None
    score: float | None = None
    continued: tuple[tuple[ReportedIndicator, KPI], ...] = ()  # (reported, previous-edition KPI)
    rivals: tuple[tuple[str, float], ...] = ()  # other names that scored ≥ threshold here


def _matcher_kpi(kpi: KPI) -> KPI:
    return replace(kpi, unit=same_unit(kpi.unit))


def _reported_kpi(r: ReportedIndicator) -> KPI:
    return KPI(measure_id=r.measure_id, level="", name=r.name, target_raw=r.target_raw, unit=r.unit)


def _anagram_evidence(
    scores, cand: Sequence, reps: Sequence, settings: AttainmentSettings, matcher: AuditSettings
) -> None:
    """Raise the score of name pairs that are anagrams of each other (``anagram_score``), unless
    their units rule the pair out (the matcher's unit veto left the score at 0 there)."""
    from .audit import unit_compatibility

    for i, a in enumerate(cand):
        key = sorted(a.canon)
        if len(key) < settings.anagram_min_chars:
            continue
        for j, b in enumerate(reps):
            if (
                a.canon != b.canon
                and sorted(b.canon) == key
                and unit_compatibility(a, b, matcher) > 0
            ):
                scores[i, j] = max(scores[i, j], settings.anagram_score)


def _keep_exact_names(scores, cand: Sequence, reps: Sequence, current: int) -> None:
    """A reported name written exactly as one KPI's name is that KPI's, whatever the rest of the
    table: the one-to-one assignment maximises the sum over all pairs, and two near names
    (創業相談件数 ← 相談件数, 相談件数 ← 移住相談件数) can outweigh one exact pair and its
    neighbour, giving both KPIs another indicator's results. An exact name that several KPIs
    share (the same name in this edition and the previous one) goes to this edition's KPI when
    it has one; names written twice in the results are left to the assignment. ``current``: how
    many of ``cand`` are this edition's KPIs (the rest are the previous edition's)."""
    by_name: dict[str, list[int]] = {}
    for i, c in enumerate(cand):
        by_name.setdefault(c.canon, []).append(i)
    reported: dict[str, list[int]] = {}
    for j, r in enumerate(reps):
        reported.setdefault(r.canon, []).append(j)
    for name, rows in reported.items():
        if len(rows) != 1 or not name or name not in by_name:
            continue
        holders = [i for i in by_name[name] if i < current] or by_name[name]
        (j,) = rows
        if len(holders) != 1 or scores[holders[0], j] <= 0:  # a unit veto stands
            continue
        i = holders[0]
        keep = scores[i, j]
        scores[i, :] = 0.0
        scores[:, j] = 0.0
        scores[i, j] = keep


def _unpaired(reported, candidates, scores, taken: set[int], threshold: float) -> list[str]:
    """Warnings for reported names that pair with nothing (rivals are said in their KPI's note)."""
    out = []
    for j, r in enumerate(reported):
        if j in taken:
            continue
        best = int(scores[:, j].argmax()) if len(candidates) else -1
        if best >= 0 and scores[best, j] >= threshold:
            continue  # a rival of a paired name
        near = (
            f" (closest: 「{candidates[best].name}」 {scores[best, j]:.2f})"
            if best >= 0 and scores[best, j] > 0
            else ""
        )
        out.append(f"「{r.name}」 (row {r.row}) is no KPI of the strategy{near}: not used")
    return out


def _rivals(i: int, reported, scores, taken: set[int], threshold: float):
    """Unpaired names that would pair with KPI ``i`` (their best candidate) — (name, score)."""
    return tuple(
        (r.name, round(float(scores[i, j]), 3))
        for j, r in enumerate(reported)
        if j not in taken and scores[i, j] >= threshold and int(scores[:, j].argmax()) == i
    )


def pair_results(
    kpis: Sequence[KPI],
    reported: Sequence[ReportedIndicator],
    *,
    previous: Sequence[KPI] = (),
    continues_as: dict[int, int] | None = None,
    settings: AttainmentSettings | None = None,
    matcher: AuditSettings | None = None,
) -> tuple[list[Pairing], list[str]]:
    """Pair reported indicators to ``kpis`` (one-to-one, the KPI audit's matcher and threshold).

    ``previous``: the previous edition's KPIs; ``continues_as`` maps an index of ``previous`` to
    the index of the KPI it continues as (from the KPI audit). A reported name that pairs best with
    a previous-edition KPI feeds the KPI it continues as. Returns one ``Pairing`` per KPI and
    warnings for reported names that feed nothing. ``settings``: ``AttainmentSettings`` (bundled
    when None); ``matcher``: the KPI audit's ``AuditSettings`` (its scores and threshold).
    """
    from .audit import assign, indicator_features, score_matrix

    cfg = settings or bundled(AttainmentSettings)
    matcher = matcher or bundled(AuditSettings)  # the KPI audit's matcher and threshold
    threshold = matcher.pair_threshold
    continues_as = continues_as or {}
    candidates = [_matcher_kpi(k) for k in (*kpis, *previous)]
    cand = [indicator_features(k) for k in candidates]
    reps = [indicator_features(_reported_kpi(r)) for r in reported]
    scores = score_matrix(cand, reps, settings=matcher)
    _anagram_evidence(scores, cand, reps, cfg, matcher)
    for i, k in enumerate(candidates):
        if i < len(kpis):
            scores[i, :] += cfg.current_edition_preference * (scores[i, :] > 0)
        for j, r in enumerate(reported):
            if r.measure_id and r.measure_id == k.measure_id and scores[i, j] > 0:
                scores[i, j] += matcher.context_bonus
    scores = scores.clip(0.0, 1.0)
    locked = scores.copy()  # the assignment's; rivals and warnings read the scores as they are
    _keep_exact_names(locked, cand, reps, len(kpis))
    pairs = assign(locked, threshold)
    taken = {j for _, j in pairs}
    direct: dict[int, tuple[int, float]] = {}
    continued: dict[int, list[tuple[int, int]]] = {}  # KPI → (reported row, previous KPI)
    warnings: list[str] = []
    for i, j in pairs:
        if i < len(kpis):
            direct[i] = (j, float(scores[i, j]))
            continue
        old = i - len(kpis)
        target = continues_as.get(old)
        if target is None:
            warnings.append(
                f"「{reported[j].name}」 is the previous edition's KPI 「{previous[old].name}」, "
                "which this edition dropped: its results are not used"
            )
        else:
            continued.setdefault(target, []).append((j, old))
    warnings += _unpaired(reported, candidates, scores, taken, threshold)
    out = []
    for i in range(len(kpis)):
        d = direct.get(i)
        # Each source with the name score it won by (the current edition's preference taken
        # off, so a previous edition's exact name is not outweighed by a looser current one).
        sources = [(d[0], -1, d[1] - cfg.current_edition_preference)] if d else []
        sources += [(j, old, float(scores[len(kpis) + old, j])) for j, old in continued.get(i, ())]
        kept, dropped = _one_indicator(sources, reported)
        kept_direct = next(((j, old, s) for j, old, s in kept if old < 0), None)
        out.append(
            Pairing(
                direct=reported[kept_direct[0]] if kept_direct and d else None,
                score=round(d[1], 3) if kept_direct and d else None,
                continued=tuple((reported[j], previous[old]) for j, old, _ in kept if old >= 0),
                rivals=_rivals(i, reported, scores, taken, threshold)
                + tuple((reported[j].name, round(s, 3)) for j, _, s in dropped),
            )
        )
    return out, warnings


def _one_indicator(
    sources: list[tuple[int, int, float]], reported: Sequence[ReportedIndicator]
) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, float]]]:
    """(kept, dropped) of the reported rows feeding one KPI — ``(row, previous KPI or -1,
    score)``. Rows that report most of the same years with other values are two indicators
    (移住相談件数 beside 相談件数), not one renamed: only the best-named one and those agreeing
    with it feed the series, so a year's gap is never filled from another indicator."""
    if len(sources) < 2:
        return sources, []
    ranked = sorted(sources, key=lambda s: -s[2])
    kept, dropped = [ranked[0]], []
    for s in ranked[1:]:
        if any(_other_indicator(reported[s[0]], reported[k[0]]) for k in kept):
            dropped.append(s)
        else:
            kept.append(s)
    return [s for s in sources if s in kept], dropped


def _other_indicator(a: ReportedIndicator, b: ReportedIndicator) -> bool:
    """True when ``a`` and ``b`` report most of the years they share with different values."""
    by_year = {o.year: o for o in b.observations if o.year is not None and o.value is not None}
    shared = differ = 0
    for o in a.observations:
        other = by_year.get(o.year) if o.year is not None else None
        if other is None or other.value is None or o.value is None:
            continue
        shared += 1
        value = convert(o.value, o.unit, other.unit)
        differ += value is None or not _close(value, other.value)
    return shared > 0 and differ * 2 > shared


# ── evaluation (stage 3) ────────────────────────────────────────────────────


@dataclass(frozen=True)
class AttainmentRow(_Record):
    """One row of formats §7 (the first 15 fields are the contract's columns)."""

    measure_id: str
    level: str
    name: str
    result_name: str
    baseline_value: float | None
    target_value: float | None
    unit: str
    target_year: int | None
    direction: Direction
    latest_year: int | None
    latest_value: float | None
    attainment: float | None
    stated_attainment: float | None
    status: AttainmentStatus
    series: tuple[tuple[int, float], ...] = ()
    # optional columns
    note: str = ""
    compared_value: float | None = None  # what status was judged on (a period's sum …)
    # ``attainment`` computed on compared_value: differs from ``attainment`` (formats §7: on the
    # latest value) only where years after the target year were reported
    compared_attainment: float | None = None
    match_score: float | None = None
    goal_id: str = ""
    stated_disagrees: bool = False
    basis: PeriodRule = PeriodRule.NONE  # what compared_value is: a period sum …, or (NONE) the
    # last value up to the target year

    @property
    def status_ja(self) -> str:
        return STATUS_JA[AttainmentStatus(self.status)]


@dataclass(frozen=True)
class Attainment(_Record):
    """The attainment table: one row per strategy KPI, in the strategy's order."""

    kpis_source: str
    results_source: str
    rows: tuple[AttainmentRow, ...] = ()
    warnings: tuple[str, ...] = ()
    goals: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (goal id, title)

    def counts(self) -> dict[AttainmentStatus, int]:
        out = {s: 0 for s in AttainmentStatus}
        for r in self.rows:
            out[AttainmentStatus(r.status)] += 1
        return out


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _num(v: float) -> str:
    return f"{v:,.4f}".rstrip("0").rstrip(".") if not float(v).is_integer() else f"{int(v):,}"


def _pct(v: float) -> str:
    return f"{v * 100:.1f}".rstrip("0").rstrip(".") + "%"


def _bound_met_at_baseline(comp: str, base: float | None, target: float | None) -> bool:
    """A bound target (80%以上) that the baseline (85%) already meets."""
    if comp not in _BOUNDS or base is None or target is None:
        return False
    return base >= target if comp in _INCREASING else base <= target


def direction_of(kpi: KPI) -> tuple[Direction, str]:
    """(direction, note when it had to be assumed): the target's comparator first (増加 / 以上 /
    減少 / 以下 / 維持 / 延伸), then baseline vs target; a bound already met at baseline is held.

    >>> direction_of(KPI("G1", "goal", "転出超過数", "120人", "80人", 120.0, 80.0))[0].value
    'decrease'
    """
    comp = kpi.comparator or parse_cell(kpi.target_raw).comparator
    base, target = kpi.baseline_value, kpi.target_value
    if _bound_met_at_baseline(comp, base, target):
        return Direction.MAINTAIN, "基準値が既に目標の範囲内: 範囲の維持として判定"
    if comp in _INCREASING:
        return Direction.INCREASE, ""
    if comp in _DECREASING:
        return Direction.DECREASE, ""
    if comp in _MAINTAINING:
        return Direction.MAINTAIN, ""
    if base is not None and target is not None:
        if _close(base, target):
            return Direction.MAINTAIN, ""
        return (Direction.INCREASE if target > base else Direction.DECREASE), ""
    if target is not None and target == 0:
        return Direction.DECREASE, "方向の記載なし: 目標 0 のため減少とみなす"
    return Direction.INCREASE, "方向の記載なし: 増加とみなす"


def period_rule(kpi: KPI) -> tuple[PeriodRule, tuple[int, int] | None, int | None]:
    """(rule, year window, number of years) of a period target, from the target cell's wording."""
    cell = parse_cell(kpi.target_raw)
    text = f"{cell.note} {cell.period}"
    window = None
    m = re.search(r"(\d{4})-(\d{4})", cell.note)
    if m:
        window = (int(m.group(1)), int(m.group(2)))
    span = re.search(r"(\d+)\s*(?:年間|か年|カ年|ヶ年)", cell.period)
    years = int(span.group(1)) if span else None
    if "平均" in text:
        return PeriodRule.MEAN, window, years
    if span or re.search(r"合計|累計|延べ", text):
        if window is None and years and kpi.target_year:
            window = (kpi.target_year - years + 1, kpi.target_year)
        return PeriodRule.SUM, window, years
    return PeriodRule.NONE, None, None


def _series(
    kpi: KPI, pairing: Pairing, notes: list[str]
) -> tuple[list[Observation], list[Observation]]:
    """(dated observations oldest first, undated ones) in the KPI's unit, merged over the direct
    name and the previous edition's names it continues."""
    sources: list[tuple[ReportedIndicator, KPI | None]] = []
    if pairing.direct is not None:
        sources.append((pairing.direct, None))
    sources += [(r, old) for r, old in pairing.continued]
    dated: dict[int, Observation] = {}
    undated: list[Observation] = []
    converted_from: set[str] = set()
    bare_from: set[str] = set()
    for r, old in sources:
        years = []
        for o in r.observations:
            if o.value is None:
                continue
            value, read_as = _in_kpi_unit(o, kpi)
            if value is None:
                notes.append(
                    f"「{r.name}」の {o.raw.strip()} は単位が目標 ({kpi.unit}) と合わない: 使わない"
                )
                continue
            if read_as:
                (converted_from if o.unit else bare_from).add(read_as)
            o = replace(o, value=value, unit=kpi.unit)
            if o.year is None:
                undated.append(o)
                continue
            if o.year in dated:
                if not _close(dated[o.year].value, value):
                    notes.append(
                        f"{o.year}年度は「{r.name}」にも別の値 {_num(value)} がある: "
                        f"{_num(dated[o.year].value or 0)} を使う"
                    )
                continue
            dated[o.year] = o
            years.append(o.year)
        if old is not None and years:
            span = f"{min(years)}" if min(years) == max(years) else f"{min(years)}–{max(years)}"
            notes.append(f"{span} は前期の指標「{old.name}」の実績 (KPI監査で同じ指標) を継続")
    notes += _conversion_notes(kpi.unit, converted_from, bare_from)
    return [dated[y] for y in sorted(dated)], undated


def _conversion_notes(unit: str, converted_from: set[str], bare_from: set[str]) -> list[str]:
    out = []
    if converted_from:
        out.append(f"実績 ({'・'.join(sorted(converted_from))}) を {unit} に換算")
    if bare_from:
        out.append(
            f"単位のない実績は桁から {'・'.join(sorted(bare_from))} と読み {unit} に換算: 要確認"
        )
    return out


def _in_kpi_unit(o: Observation, kpi: KPI) -> tuple[float | None, str]:
    """(the observation's value in the KPI's unit, the unit it was converted from — "" when none
    was). A bare number the size of the KPI's values in its base unit is read in that unit."""
    assert o.value is not None
    if _bare_in_base_unit(o, kpi):
        # a bare 205000 against 18万人 → 22万人 is people, not 205,000 万人
        base = split_unit(kpi.unit)[1]
        return convert(o.value, base, kpi.unit), base
    value = convert(o.value, o.unit, kpi.unit)
    changed = bool(o.unit and kpi.unit and same_unit(o.unit) != same_unit(kpi.unit))
    return value, (o.unit if changed else "")


def _bare_in_base_unit(o: Observation, kpi: KPI) -> bool:
    """A reported number without a unit, against a KPI in a scaled unit (万人, 千件, 億円), whose
    size is that of the KPI's own values in the base unit (205000 beside 18万人 → 22万人 is
    closer to 180,000–220,000 人 than to 18–22 万人): read in the base unit. A number the size of
    the KPI's values (20.5) stays in the KPI's unit."""
    if o.unit or o.value is None or o.value <= 0 or not kpi.unit:
        return False
    factor, base = split_unit(kpi.unit)
    refs = [v for v in (kpi.baseline_value, kpi.target_value) if v is not None and v > 0]
    if factor == 1.0 or not base or not refs:
        return False  # a KPI in a scale alone (3万) has no base unit to read a bare number in
    ref = math.exp(sum(math.log(v) for v in refs) / len(refs))  # geometric mean
    as_is = abs(math.log10(o.value / ref))
    in_base = abs(math.log10(o.value / (ref * factor)))
    return in_base < as_is


def _up_to_target_year(kpi: KPI, values: list[Observation], notes: list[str]) -> list[Observation]:
    """The observations a target of ``kpi.target_year`` is judged on: those up to that year. A
    year after it belongs to the next plan period (a 効果検証 table often runs on), so a target
    of R6 met only in R7 is not 達成; the later years stay in the series and are named. When
    every reported year is later, they are used, said with 要確認."""
    if kpi.target_year is None:
        return values
    later = [o for o in values if o.year is not None and o.year > kpi.target_year]
    if not later:
        return values
    years = ", ".join(str(o.year) for o in later)
    if len(later) == len(values):
        notes.append(
            f"目標年度 ({kpi.target_year}) までの実績がない: 目標年度より後の年度 ({years}) "
            "で判定: 要確認"
        )
        return values
    notes.append(f"目標年度 ({kpi.target_year}) より後の年度 ({years}) は判定に使わない")
    return [o for o in values if o not in later]


def _compared(
    kpi: KPI, dated: list[Observation], undated: list[Observation], notes: list[str]
) -> tuple[float | None, PeriodRule]:
    """The value compared with the target, per the target's period wording."""
    rule, window, years = period_rule(kpi)
    values = _up_to_target_year(kpi, [o for o in dated if o.value is not None], notes)
    if rule is PeriodRule.NONE or not values:
        if values:
            if undated:
                notes.append(f"年度のない値 {_num(undated[-1].value or 0)} は使わない")
            last = values[-1].year
            if kpi.target_year is not None and last is not None and last < kpi.target_year:
                notes.append(f"目標年度 ({kpi.target_year}) の実績はまだない: {last}年度の値で比較")
            return values[-1].value, PeriodRule.NONE
        if undated and rule is PeriodRule.SUM:
            # one figure without a year (最終値 25人) against a period total: it is the total
            notes.append("年度のない値を期間の合計として比較")
            return undated[-1].value, PeriodRule.CUMULATIVE
        if undated:
            return undated[-1].value, PeriodRule.NONE
        return None, rule
    if values[-1].cumulative:
        notes.append(
            f"実績の名称が累計で値が減らない: 累計として {values[-1].year}年度の値で比較: 要確認"
            if values[-1].cumulative_by_name
            else f"累計として報告: {values[-1].year}年度の累計値で比較"
        )
        return values[-1].value, PeriodRule.CUMULATIVE
    inside = [o for o in values if window is None or window[0] <= (o.year or 0) <= window[1]]
    outside = [o for o in values if o not in inside]
    if window is None and years and len(inside) > years:
        inside = inside[-years:]
        outside = [o for o in values if o not in inside]
    if outside:
        notes.append(f"期間外の年度 ({', '.join(str(o.year) for o in outside)}) は含めない")
    if not inside:
        return None, rule
    span = f"{inside[0].year}–{inside[-1].year}" if len(inside) > 1 else f"{inside[0].year}"
    total = sum(o.value or 0.0 for o in inside)
    if rule is PeriodRule.MEAN:
        mean = round(total / len(inside), 10)
        notes.append(f"平均の目標: {span} の平均 {_num(mean)}{kpi.unit} で比較")
        return mean, rule
    what = "期間目標" if years else "合計・累計の目標"
    notes.append(f"{what}: 各年度の実績の合計 ({span}) {_num(total)}{kpi.unit} で比較")
    return round(total, 10), rule


def judge(
    kpi: KPI, direction: Direction, compared: float, rule: PeriodRule, notes: list[str]
) -> tuple[float | None, bool | None]:
    """(attainment, achieved) of the compared value against the KPI's target (formats §7);
    None where it cannot be said. Period totals measure progress from zero."""
    base, target = kpi.baseline_value, kpi.target_value
    attainment: float | None = None
    achieved: bool | None = None
    reference = target if target is not None else base
    if rule in (PeriodRule.SUM, PeriodRule.CUMULATIVE):
        # A period total is not on the scale of a one-year baseline: progress from zero.
        if target is not None and direction is Direction.DECREASE:
            achieved = compared <= target or _close(compared, target)
        elif target is not None:
            achieved = compared >= target or _close(compared, target)
            attainment = compared / target if target else None
    elif direction is Direction.MAINTAIN and reference is not None:
        lower_better = reference == 0 or (kpi.comparator or "") in _DECREASING
        held = compared <= reference if lower_better else compared >= reference
        achieved = held or _close(compared, reference)
        attainment = 1.0 if achieved else (compared / reference if reference else None)
    elif target is not None:
        achieved = compared >= target if direction is Direction.INCREASE else compared <= target
        achieved = achieved or _close(compared, target)
        if base is not None and not _close(target, base):
            attainment = (compared - base) / (target - base)
        elif direction is Direction.INCREASE and target:
            attainment = compared / target
            notes.append("基準値なし: 実績/目標 で計算")
    elif not (kpi.comparator or parse_cell(kpi.target_raw).comparator):
        # No number and no wording (—, 空欄, 未定): the direction would only be assumed, so a
        # comparison with the baseline would judge a target nobody set.
        shown = kpi.target_raw.strip() or "空欄"
        notes.append(f"目標値の記載なし ({shown}): 達成・未達は判定しない")
    elif base is not None:
        achieved = compared > base if direction is Direction.INCREASE else compared < base
        notes.append(f"目標は数値なし ({kpi.target_raw.strip()}): 基準値との比較で判定")
    else:
        notes.append("目標値も基準値も数値でない: 判定できない")
    return (None if attainment is None else round(attainment, 6)), achieved


def _review_notes(
    kpi: KPI,
    reported: ReportedIndicator | None,
    pairing: Pairing,
    notes: list[str],
    settings: AttainmentSettings,
) -> None:
    """What the review says beside its numbers: remarks, a restated target, rival names."""
    if reported is not None and reported.remarks:
        notes.append("実績表: " + "; ".join(reported.remarks))
    if reported is not None and reported.target_raw:
        restated = parse_cell(reported.target_raw)
        target = kpi.target_value
        if restated.value is not None and target is not None and not _close(restated.value, target):
            notes.append(
                f"実績表の目標値 {reported.target_raw.strip()} は戦略の目標値 "
                f"{kpi.target_raw.strip()} と異なる: 戦略の目標値で計算"
            )
    for name, score in pairing.rivals:
        tie = (
            " ほぼ同点のため要確認"
            if pairing.score is not None and pairing.score - score < settings.rival_tie_margin
            else ""
        )
        notes.append(f"「{name}」も同じ指標の候補 (類似度 {score:.2f}) だが対応付けていない{tie}")


def evaluate(
    kpi: KPI, pairing: Pairing, *, goal_id: str = "", settings: AttainmentSettings | None = None
) -> AttainmentRow:
    """One KPI and the reported indicators paired with it → its attainment row (``settings``:
    ``AttainmentSettings``, bundled when None)."""
    cfg = settings or bundled(AttainmentSettings)
    notes: list[str] = []
    direction, assumed = direction_of(kpi)
    if assumed:
        notes.append(assumed)
    dated, undated = _series(kpi, pairing, notes)
    compared, rule = _compared(kpi, dated, undated, notes)
    base, target = kpi.baseline_value, kpi.target_value
    reported = pairing.direct or (pairing.continued[0][0] if pairing.continued else None)
    stated = reported.stated_attainment if reported else None

    attainment, achieved = (None, None)
    if compared is not None:
        attainment, achieved = judge(kpi, direction, compared, rule, notes)
    latest = dated[-1] if dated else (undated[-1] if undated else None)
    compared_attainment = attainment
    attainment = _latest_attainment(kpi, direction, latest, compared, rule, attainment, notes)
    disagrees = False
    if stated is not None:
        disagrees = _stated_note(
            stated, compared_attainment, compared, target, direction, notes, cfg.stated_tolerance
        )
        if achieved is None and compared is None:
            achieved = stated >= 1.0 - cfg.stated_tolerance
            notes.append(f"実績値の記載なし: 状態は記載の達成度 {_pct(stated)} による")
    _review_notes(kpi, reported, pairing, notes, cfg)

    if achieved is None:
        status = AttainmentStatus.NO_DATA
    else:
        status = AttainmentStatus.ACHIEVED if achieved else AttainmentStatus.BEHIND
    return AttainmentRow(
        measure_id=kpi.measure_id,
        level=kpi.level,
        name=kpi.name,
        result_name=reported.name if reported else "",
        baseline_value=base,
        target_value=target,
        unit=kpi.unit,
        target_year=kpi.target_year,
        direction=direction,
        latest_year=latest.year if latest else None,
        latest_value=latest.value if latest else None,
        attainment=attainment,
        stated_attainment=stated,
        status=status,
        series=tuple(
            (o.year, o.value) for o in dated if o.year is not None and o.value is not None
        ),
        note="; ".join(dict.fromkeys(notes)),
        compared_value=compared,
        compared_attainment=compared_attainment,
        match_score=pairing.score,
        goal_id=goal_id,
        stated_disagrees=disagrees,
        basis=rule,
    )


def _latest_attainment(
    kpi: KPI,
    direction: Direction,
    latest: Observation | None,
    compared: float | None,
    rule: PeriodRule,
    at_target_year: float | None,
    notes: list[str],
) -> float | None:
    """formats §7's ``attainment``: progress from baseline to target of the latest reported value
    (``latest_value``). Where years after the target year were reported, the status is judged on
    the value up to the target year (``compared``: a target of R6 met only in R7 is not 達成) while
    the attainment column follows the contract; the note names both. Period targets (sums, means,
    running totals) have no "latest" of their own: their attainment is the period's."""
    if rule is not PeriodRule.NONE or latest is None or latest.value is None or compared is None:
        return at_target_year
    if _close(latest.value, compared):
        return at_target_year
    attainment, _ = judge(kpi, direction, latest.value, rule, [])
    at_year = (
        f" (目標年度までの達成度 {_pct(at_target_year)})" if at_target_year is not None else ""
    )
    notes.append(
        f"達成度は最新値 ({latest.year}年度 {_num(latest.value)}{kpi.unit}) で計算; 達成・未達は"
        f"目標年度までの値 {_num(compared)}{kpi.unit} で判定{at_year}"
    )
    return attainment


def _stated_note(
    stated: float,
    computed: float | None,
    compared: float | None,
    target: float | None,
    direction: Direction,
    notes: list[str],
    tolerance: float,
) -> bool:
    """Say how the review's own 達成度 relates to the computed one (equal within ``tolerance``);
    True when they disagree."""
    if computed is None or abs(stated - computed) <= tolerance:
        return False
    ratio = None
    if compared and target:
        ratio = target / compared if direction is Direction.DECREASE else compared / target
    if ratio is not None and abs(stated - ratio) <= tolerance:
        notes.append(
            f"記載の達成度 {_pct(stated)} は計算値 {_pct(computed)} (基準値からの進捗) と異なる: "
            "記載は 実績/目標 の比率と一致"
        )
    else:
        extra = f"・実績/目標 ({_pct(ratio)})" if ratio is not None else ""
        notes.append(
            f"記載の達成度 {_pct(stated)} は計算値 {_pct(computed)} (基準値からの進捗){extra} "
            "のどれとも合わない: 要確認"
        )
    return True


# ── the whole stage ─────────────────────────────────────────────────────────


def _goal_ids(strategy: Strategy) -> dict[str, str]:
    """KPI measure id → goal id."""
    out = {g.id: g.id for g in strategy.goals}
    for m in strategy.measures:
        out[m.id] = m.goal_id or (m.id.split("-")[0] if "-" in m.id else "")
    return out


def _continuations(audit: KPIAudit, new: Sequence[KPI], old: Sequence[KPI]) -> dict[int, int]:
    """Index in ``old`` → index in ``new`` of the KPI it continues as (kept / target_changed)."""
    new_at = {(k.measure_id, k.name): i for i, k in enumerate(new)}
    old_at = {(k.measure_id, k.name): i for i, k in enumerate(old)}
    out = {}
    for c in audit.changes:
        if c.old_name and c.new_name:
            i = old_at.get((c.old_measure_id, c.old_name))
            j = new_at.get((c.new_measure_id, c.new_name))
            if i is not None and j is not None:
                out[i] = j
    return out


def _repeated_kpis(kpis: Sequence[KPI]) -> list[str]:
    """Warnings for a KPI listed more than once (a row pasted twice): each of its rows shows the
    same results, which the warning says, instead of one row left 実績なし."""
    counts: dict[KPI, int] = {}
    for k in kpis:
        counts[k] = counts.get(k, 0) + 1
    return [
        f"the KPI 「{k.name}」 ({k.measure_id or k.level}) is listed {n} times: each of its rows "
        "shows the same results"
        for k, n in counts.items()
        if n > 1
    ]


def attainment_table(
    strategy: Strategy,
    results: Results,
    *,
    previous: Strategy | None = None,
    audit: KPIAudit | None = None,
    settings: AttainmentSettings | None = None,
    matcher: AuditSettings | None = None,
) -> Attainment:
    """The attainment table (formats §7) of ``strategy``'s KPIs against ``results``. With
    ``previous`` (the previous edition), a previous KPI that the KPI audit (``audit``, computed
    from the KPIs alone when not given) pairs with one of this edition's continues its series
    under the new name, said in the row's note. ``settings``: ``AttainmentSettings``;
    ``matcher``: the KPI audit's ``AuditSettings`` (pairing names, and the audit when computed
    here); both bundled when None."""
    listed = list(strategy.kpis)
    new_kpis = list(dict.fromkeys(listed))  # a KPI written twice is one indicator
    old_kpis: list[KPI] = []
    continues_as: dict[int, int] = {}
    if previous is not None:
        if audit is None:
            from .audit import compare_kpis

            audit = compare_kpis(previous, strategy, settings=matcher)
        old_kpis = list(previous.kpis)
        continues_as = _continuations(audit, new_kpis, old_kpis)
    pairings, warnings = pair_results(
        new_kpis,
        results.indicators,
        previous=old_kpis,
        continues_as=continues_as,
        settings=settings,
        matcher=matcher,
    )
    goal_of = _goal_ids(strategy)
    pairing_of = dict(zip(new_kpis, pairings, strict=True))
    rows = tuple(
        evaluate(
            k,
            pairing_of[k],
            goal_id=k.measure_id
            if k.level == "goal"
            else goal_of.get(k.measure_id, k.measure_id.split("-")[0]),
            settings=settings,
        )
        for k in listed
    )
    return Attainment(
        kpis_source=strategy.source,
        results_source=results.source,
        rows=rows,
        warnings=results.warnings + tuple(_repeated_kpis(listed)) + tuple(warnings),
        goals=tuple((g.id, g.title) for g in strategy.goals),
    )
