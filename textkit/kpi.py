"""KPI cells → numbers: ``str -> CellValue`` and a table row → ``KPI``.

What goes in: one cell of a 重要業績評価指標 / 数値目標 table exactly as printed (``1,298 億円 (H27)``,
``825 人 (H21-30 平均)``, ``基準値より増``, ``５年間で６人`` …) and, for a row, the indicator name and
its two cells. What comes out: a frozen ``CellValue`` (value, unit, Western year, comparator, period,
note) and a ``KPI`` (formats §2). The parser never raises on text: a cell it cannot read keeps its
raw text and an empty value.

Rules, in the order they apply:

1. 和暦 in brackets (``(H30)``, ``(H30.10)``, ``(令和元年度)``, ``(2014年度)``) is the cell's year;
   a range (``H21-30 平均``, ``R2~6 合計``) keeps its last year and says the range in ``note``.
2. ``※ …`` after the value is a note (``※R2-6 累計 2,875 人``).
3. Qualitative words (``基準値より増``, ``延伸``, ``以上`` …, from ``data/structure.toml``) set
   ``comparator``; a cell with no number keeps ``value=None``.
4. Period phrases (``５年間で``, a leading ``年``, ``延べ…日``) go to ``period``; a bracketed
   second figure (``年３人（５年間で１５人）``) goes to ``note``.
5. The first number left is the value; the non-digit run after it is the unit. Further figures
   (``男性 79.08 歳 女性 85.14 歳``) are kept in ``note``. A range (``50～52``) is no value: its
   ``value_range`` holds both ends and its note says ``RANGE``.

Before rules 3–5, compound Japanese numerals become one Arabic number in the last 万/億/兆 printed
(``1億2,000万円`` → ``12000万円``, ``一億二千万円`` → ``12000万円``, ``三千人`` → ``3000人``); simple
ones stay as printed (``21.5万人``, ``1,298億円``), and 約 / 概ね / 程度 are noted (``APPROXIMATE``).
``make_kpi`` then gives baseline and target in one unit (``8,500万円`` beside ``1.2億円`` → 0.85 億円);
``split_unit`` / ``convert`` / ``in_unit`` are the one home of unit scales (万円 = 1e4 円) and
``same_unit`` of a unit's spellings (名 = 人): the audit and attainment convert through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from . import normalize
from ._compat import tomllib
from .models import KPI

# First year of each era minus one: 平成1 = 1989 → offset 1988. Letters are the official romaji
# initials used in tables (H30, R6).
ERA_OFFSETS = {
    "明治": 1867,
    "M": 1867,
    "大正": 1911,
    "T": 1911,
    "昭和": 1925,
    "S": 1925,
    "平成": 1988,
    "H": 1988,
    "令和": 2018,
    "R": 2018,
}
# Years outside this window are not plan years (明治元年 = 1868); anything else is a misread.
MIN_YEAR, MAX_YEAR = 1868, 2100

# The era names as a pattern, from ERA_OFFSETS (the one list): the written names, then the initials
# as one class — 明治|大正|昭和|平成|令和 and [MTSHR]; structure and kpi_attainment read years with them.
ERA_WORDS = "|".join(k for k in ERA_OFFSETS if len(k) > 1)
ERA_INITIALS = "[" + "".join(k for k in ERA_OFFSETS if len(k) == 1) + "]"
ERA_NAME = f"{ERA_WORDS}|{ERA_INITIALS}"
_ERA = rf"(?P<era>{ERA_NAME})"
_YNUM = r"(?:\d{1,2}|元)"
# H30, H30.10, 令和元年度, R2-6, R2~R6, H21-30 平均, H21年度-H30年度
_ERA_YEAR = re.compile(
    _ERA
    + r"\s*(?P<y1>"
    + _YNUM
    + r")\s*(?:年度?)?(?:\s*[.．]\s*\d{1,2}\s*月?)?"
    + rf"(?:\s*[-~〜～―－]\s*(?:{ERA_NAME})?\s*(?P<y2>"
    + _YNUM
    + r")\s*(?:年度?)?)?"
)
_WESTERN_YEAR = re.compile(
    r"(?<!\d)(?P<y1>1[89]\d{2}|20\d{2}|2100)\s*(?:年度?)?"
    r"(?:\s*[-~〜～―－]\s*(?P<y2>1[89]\d{2}|20\d{2}|2100)\s*(?:年度?)?)?(?!\d)"
)
_BRACKET = re.compile(r"\(([^()]*)\)")
_TAGS = re.compile(r"<[^>]+>")
_EMPTY = {"", "-", "－", "ー", "―", "‐", "—", "–", "−", "なし", "未設定"}
_SPACED_NUMBER = re.compile(r"(\d) ?([.,]) ?(\d)(?<!\d[.,]\d)")
_NEGATIVE = re.compile(r"[▲△]\s*(?=[0-9])")
_PLUS_MINUS = re.compile(r"±\s*(?=[0-9])")
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# The unit is the run of non-digit, non-space characters after the number (億円, 人, %, 団体).
_UNIT = re.compile(r"\s*([^\s\d()、,，。※~\-]{1,8})")

# ── Japanese numerals ───────────────────────────────────────────────────────
# 1億2,000万 / 一億二千万 / 2千5百 / 三千 / 1兆2,000億: groups of digits (Arabic, with commas and a
# decimal part, or kanji digits) with 十/百/千 inside a group and 万/億/兆 between groups. Written
# here rather than taken from kanjize: that library reads integers only (not 1.2億 or 2,000万), and
# finding the numeral inside a cell is this module's work either way.
_KANJI_DIGITS = dict(zip("〇一二三四五六七八九", range(10), strict=True)) | {"零": 0}
_SMALL_SCALES = {"十": 10, "百": 100, "千": 1000}
_MYRIADS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_KDIGIT = "[〇零一二三四五六七八九]"
_DIGITS = rf"(?:{_ARABIC}|{_KDIGIT}+)"
_GROUP = rf"(?:(?:{_DIGITS} ?)?[十百千])+{_DIGITS}?|{_DIGITS}"
# A group, then groups each closed by 万/億/兆, then a last group after the last scale
# (1万5,000); a space either side of a scale, as PDF text sets them (1億 2,000 万, 1 万 5,000).
_NUMERAL = re.compile(
    rf"(?<![\d.,])(?:{_GROUP})(?: ?[万億兆](?: ?(?:{_GROUP}) ?[万億兆])*(?: ?(?:{_GROUP}))?)?"
)
_NUMERAL_PART = re.compile(
    rf"(?P<digits>{_DIGITS})? ?(?P<small>[十百千])|(?P<bare>{_DIGITS})|(?P<myriad>[万億兆])"
)
# 21.5万人 / 1,298億円 / 450千人 / 180百万円: an Arabic number and one scale (or the units 百万, 十万)
# is read as printed, the scale starting the unit; 5千万 is folded (5000万: 千万円 is no unit the
# tables compare)
_AS_PRINTED = re.compile(rf"{_ARABIC}(?: ?(?:[十百]万|[千万億兆]))?")


# Named in a cell's note (and by the attainment beside a result it does not judge).
APPROXIMATE = "概数"
RANGE = "範囲: 一つの値として読まない"
# 50~52 / 40%~45% / 3-5件: two figures joined by a range mark (after clean_cell, 〜～ are ~)
_RANGE = re.compile(
    r"(?<![\d.,])(?P<low>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<low_unit>[^\s\d~\-()]{0,8}?)"
    r"\s*[~\-―–]\s*(?P<high>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
)


@dataclass(frozen=True)
class CellValue:
    """One parsed KPI cell. ``value`` is None for qualitative or empty cells."""

    value: float | None
    unit: str
    year: int | None
    note: str
    comparator: str
    period: str
    raw: str
    # (low, high) of a range cell (50~52): its value stays None, the note says RANGE
    value_range: tuple[float, float] | None = None


@lru_cache(maxsize=1)
def _settings() -> dict:
    text = resources.files("textkit").joinpath("data/structure.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["kpi"]


def _to_year(era: str | None, num: str) -> int | None:
    n = 1 if num == "元" else int(num)
    year = ERA_OFFSETS[era] + n if era else n
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def find_year(text: str) -> tuple[int | None, int | None]:
    """(first, last) Western year written in ``text`` (和暦 or 西暦), or (None, None).

    >>> find_year("目標値(R6)")
    (2024, 2024)
    >>> find_year("H21-30 平均")
    (2009, 2018)
    """
    text = normalize.normalize_chars(text)
    m = _ERA_YEAR.search(text)
    if m:
        era = m.group("era")
        y1 = _to_year(era, m.group("y1"))
        y2 = _to_year(era, m.group("y2")) if m.group("y2") else y1
        if y1 is not None and y2 is not None:
            return y1, y2
    m = _WESTERN_YEAR.search(text)
    if m:
        y1 = _to_year(None, m.group("y1"))
        y2 = _to_year(None, m.group("y2")) if m.group("y2") else y1
        if y1 is not None and y2 is not None:
            return y1, y2
    return None, None


def header_year(header: str) -> int | None:
    """The year printed in a column header: ``目標値(R6)`` → 2024, ``現状値（2014年度）`` → 2014."""
    return find_year(header)[1]


def clean_cell(raw: str) -> str:
    """Markup removed, widths folded, spaces collapsed."""
    text = _TAGS.sub("", raw or "")
    text = normalize.normalize_chars(text).replace("\u3000", " ")
    text = text.replace("（", "(").replace("）", ")").replace("～", "~").replace("〜", "~")
    text = re.sub(r"\s+", " ", text).strip()
    # PDF text spaces out number punctuation (38 . 2%, 12 , 000 件): join it again
    return _SPACED_NUMBER.sub(lambda m: m.group(1) + m.group(2) + m.group(3), text)


def _digits(text: str) -> Decimal:
    """Arabic digits (commas, a decimal part) or kanji digits written positionally (二〇)."""
    if text[0] in _KANJI_DIGITS:
        return Decimal("".join(str(_KANJI_DIGITS[c]) for c in text))
    return Decimal(text.replace(",", ""))


def _numeral_value(text: str) -> tuple[Decimal, int]:
    """(value, the 万/億/兆 the numeral ends with, else 1) of a match of ``_NUMERAL``."""
    total = group = Decimal(0)
    last_myriad = 1
    for m in _NUMERAL_PART.finditer(text):
        if m.group("small"):
            digits = m.group("digits")
            group += (_digits(digits) if digits else 1) * _SMALL_SCALES[m.group("small")]
        elif m.group("bare"):
            group += _digits(m.group("bare"))
        else:
            last_myriad = _MYRIADS[m.group("myriad")]
            total, group = total + group * last_myriad, Decimal(0)
    if group:
        last_myriad = 1
    return total + group, last_myriad


def _written_as_printed(numeral: str, kanji: bool) -> bool:
    """A numeral the rest of the parser reads as it is printed: one Arabic number with at most
    one scale after it (21.5万, 1,298億, 450千 — the scale then starts the unit), a scale word
    alone (千葉, 十勝), or one holding kanji digits where they are not read."""
    if re.search(_KDIGIT, numeral):
        return not kanji
    return not re.search(r"\d", numeral) or bool(_AS_PRINTED.fullmatch(numeral))


def fold_numerals(text: str) -> str:
    """Compound Japanese numerals written as one Arabic number, in the last 万/億/兆 printed (the
    unit as the document wrote it); simple numbers are left as printed. Kanji digits are read
    only in text without Arabic digits (三世代 beside 20% is a name, 三千人 alone a figure), and
    a single kanji digit without a scale (一部, 一層) never.

    >>> fold_numerals("1億2,000万円"), fold_numerals("1億 500 万円"), fold_numerals("三千人")
    ('12000万円', '10500万円', '3000人')
    >>> fold_numerals("5千万円"), fold_numerals("2千5百人"), fold_numerals("21.5万人")
    ('5000万円', '2500人', '21.5万人')
    """
    kanji = re.search(r"\d", text) is None

    def _fold(m: re.Match[str]) -> str:
        numeral = m.group(0).rstrip()
        if _written_as_printed(numeral, kanji):
            return m.group(0)
        if re.fullmatch(rf"{_KDIGIT}", numeral):
            return m.group(0)
        value, myriad = _numeral_value(numeral)
        scale = next((k for k, v in _MYRIADS.items() if v == myriad), "")
        shown = format((value / myriad).normalize(), "f")
        return shown + scale + m.group(0)[len(numeral) :]

    return _NUMERAL.sub(_fold, text)


def _approximate(text: str, notes: list[str]) -> str:
    """約 / 概ね / およそ before a figure (程度 after it): the figure is read, the word noted."""
    words: list[str] = []

    def _take(m: re.Match[str]) -> str:
        words.append(m.group("before") or m.group("after"))
        return m.group("unit") or " "

    text = re.sub(_settings()["approximate"], _take, text).strip()
    if words:
        notes.append(f"{APPROXIMATE} ({'・'.join(words)})")
    return text


def _comparator(text: str) -> tuple[str, str]:
    """(comparator, text with the comparator words removed)."""
    for word, comp in _settings()["comparators"].items():
        if word in text:
            return comp, text.replace(word, " ")
    return "", text


def parse_cell(raw: str, *, default_year: int | None = None) -> CellValue:
    """Parse one KPI cell; never raises. The rules of the module docstring, in order, each a
    function below.

    >>> c = parse_cell("1,298 億円 (H27)")
    >>> (c.value, c.unit, c.year)
    (1298.0, '億円', 2015)
    >>> parse_cell("基準値より増", default_year=2024).comparator
    'increase'
    """
    raw = "" if raw is None else str(raw)
    text = clean_cell(raw)
    if text in _EMPTY:
        return CellValue(None, "", None, "", "", "", raw)
    # ▲25人 / △3 are negative (Japanese accounting); ±0人 is zero
    text = _NEGATIVE.sub("-", text)
    text = _PLUS_MINUS.sub("", text)
    notes: list[str] = []
    text = _take_note(text, notes)  # 2. ※ notes
    text, year = _take_years(text, notes)  # 1. years in brackets or a labelled range
    text = _approximate(fold_numerals(text), notes)  # 1億2,000万 → 12000万; 約
    comparator, text = _comparator(text)  # 3. qualitative / bounded
    text, period = _take_period(text, notes)  # 4. period phrases and second figures
    span = _range(text, notes)  # 5. a range is no one value
    value, unit = (None, span[2]) if span else _value_and_unit(text, comparator, notes)
    if year is None:
        year = default_year
    note = "; ".join(n for n in notes if n)
    return CellValue(value, unit, year, note, comparator, period, raw, span[:2] if span else None)


def _range(text: str, notes: list[str]) -> tuple[float, float, str] | None:
    """(low, high, unit) of a range cell (50~52, 40%~45%), whose note says ``RANGE``."""
    m = _RANGE.search(text)
    if m is None:
        return None
    um = _UNIT.match(text, m.end())
    unit = um.group(1) if um else m.group("low_unit")
    low, high = (float(m.group(k).replace(",", "")) for k in ("low", "high"))
    notes.insert(0, f"{text} ({RANGE})")
    return low, high, unit


def _take_note(text: str, notes: list[str]) -> str:
    """Rule 2: ``※ …`` after the value goes to ``notes``."""
    if "※" in text:
        text, _, rest = text.partition("※")
        notes.append("※" + rest.strip())
        text = text.strip()
    return text


def _take_years(text: str, notes: list[str]) -> tuple[str, int | None]:
    """Rule 1: the last bracket holding a year is the cell's own year (a range keeps its last
    year and goes to ``notes``); an unbracketed range with its own label (R2~6 合計) also counts."""
    year: int | None = None

    def _bracket(m: re.Match[str]) -> str:
        nonlocal year
        inner = m.group(1)
        first, last = find_year(inner)
        if last is None:
            return m.group(0)
        year = last
        rest = _ERA_YEAR.sub("", inner) if _ERA_YEAR.search(inner) else _WESTERN_YEAR.sub("", inner)
        rest = rest.strip(" .")
        if first != last:
            notes.insert(0, f"{first}-{last} {rest}".strip())
        elif rest:
            notes.insert(0, rest)
        return " "

    text = _BRACKET.sub(_bracket, text).strip()
    m = _ERA_YEAR.search(text)
    if year is None and m is None:
        text, year = _western_range(text, notes)
    if year is None and m and re.search(r"(平均|合計|累計)", text[m.end() :]):
        first, last = find_year(m.group(0))
        if last is not None:
            year = last
            tail, before = text[m.end() :].strip(), text[: m.start()].strip()
            label = re.match(r"(平均|合計|累計)\s*", tail)
            if label and not re.search(r"[0-9]", before):  # R2~6 合計 35件: the value follows
                notes.insert(0, f"{first}-{last} {label.group(1)}")
                text = tail[label.end() :].strip()
            else:
                notes.insert(0, f"{first}-{last} {tail}".strip())
                text = before
    return text, year


def _western_range(text: str, notes: list[str]) -> tuple[str, int | None]:
    """``2020-2024 累計 500人`` / ``500人 (2020~2024年度 平均)`` unbracketed: the years and their
    label leave the text (the value may stand before or after them); one year alone is a figure."""
    m = next((w for w in _WESTERN_YEAR.finditer(text) if w.group("y2")), None)
    label = re.match(r"\s*(平均|合計|累計)", text[m.end() :]) if m else None
    if m is None or label is None:
        return text, None
    notes.insert(0, f"{m.group('y1')}-{m.group('y2')} {label.group(1)}")
    return (text[: m.start()] + " " + text[m.end() + label.end() :]).strip(), int(m.group("y2"))


def _take_period(text: str, notes: list[str]) -> tuple[str, str]:
    """Rule 4: a bracket left over holds a second figure (５年間で１５人, 延べ２４３日): kept as a
    note, and as the period when the cell gives none outside the bracket (５年間で, a leading 年)."""
    settings = _settings()
    bracket_period = ""
    for inner in _BRACKET.findall(text):
        inner = inner.strip()
        if inner:
            notes.append(inner)
            if not bracket_period and re.search(r"延べ|年間|累計|合計", inner):
                bracket_period = inner
    text = _BRACKET.sub(" ", text).strip()
    pm = re.search(settings["period_span"], text)
    if pm:
        period = pm.group(0).strip().removesuffix("で").strip()
        text = (text[: pm.start()] + " " + text[pm.end() :]).strip()
    elif re.match(settings["period_per_year"], text):
        period = "年"
        text = re.sub(settings["period_per_year"], "", text, count=1).strip()
    else:
        period = bracket_period
    return text, period


def _value_and_unit(text: str, comparator: str, notes: list[str]) -> tuple[float | None, str]:
    """Rule 5: the first number left is the value, the non-digit run after it the unit; a
    compound or labelled cell (男性 79.08 歳 女性 85.14 歳) is also kept whole in ``notes``."""
    numbers = list(_NUMBER.finditer(text))
    if not numbers:
        if text and not comparator:
            notes.insert(0, text)
        return None, ""
    first_num = numbers[0]
    value = float(first_num.group(0).replace(",", ""))  # the pattern only matches numbers
    um = _UNIT.match(text, first_num.end())
    unit = um.group(1) if um else ""
    if len(numbers) > 1 or text[: first_num.start()].strip():
        notes.insert(0, text)
    return value, unit


def values_in_unit(raw: str, unit: str) -> int:
    """How many figures in ``unit`` a cell states outside its brackets and ※ note: a cell giving
    two of them (男性 80.1 歳 女性 84.0 歳) does not say which one is the value.

    >>> values_in_unit("男性 80.1 歳 女性 84.0 歳", "歳"), values_in_unit("37名 (前年 30名)", "名")
    (2, 1)
    """
    if not unit:
        return 0
    text = fold_numerals(_BRACKET.sub(" ", clean_cell(raw).partition("※")[0]))
    return sum(
        1
        for m in _NUMBER.finditer(text)
        if (um := _UNIT.match(text, m.end())) is not None and um.group(1) == unit
    )


# Prefixes that scale a unit (8,500万円 = 0.85億円), longest first; a scale alone (1.2億) scales a
# number whose unit is given elsewhere (a 単位 column).
UNIT_SCALES = (
    ("千万", 1e7),
    ("百万", 1e6),
    ("十万", 1e5),
    ("兆", 1e12),
    ("億", 1e8),
    ("万", 1e4),
    ("千", 1e3),
)


# Spellings of one unit (37名 = 37人, ８０％ = 80%), folded before two units are compared.
UNIT_SYNONYMS = {"名": "人", "％": "%", "パーセント": "%", "箇所": "か所", "ヶ所": "か所"}


def same_unit(unit: str) -> str:
    """The one spelling of ``unit``, its scale kept: 名 → 人, 千名 → 千人, ％ → %.

    >>> same_unit("名"), same_unit("千名"), same_unit("万円")
    ('人', '千人', '万円')
    """
    if unit in UNIT_SYNONYMS:
        return UNIT_SYNONYMS[unit]
    factor, base = split_unit(unit)
    if factor != 1.0 and base in UNIT_SYNONYMS:
        return unit[: len(unit) - len(base)] + UNIT_SYNONYMS[base]
    return unit


def split_unit(unit: str) -> tuple[float, str]:
    """(scale, base unit) of a unit: 万円 → (1e4, 円), 億 → (1e8, ''), 人 → (1, 人).

    >>> split_unit("万円"), split_unit("億"), split_unit("人")
    ((10000.0, '円'), (100000000.0, ''), (1.0, '人'))
    """
    for prefix, factor in UNIT_SCALES:
        if unit.startswith(prefix):
            return factor, unit[len(prefix) :]
    return 1.0, unit


def convert(value: float, unit: str, target: str) -> float | None:
    """``value`` in ``unit`` expressed in ``target`` (312,000 人 → 31.2 万人; 8 千万円 → 0.8 億円);
    None when the two measure different things (% and 人). Spellings of one unit are one unit
    (名 = 人); an empty unit, or a scale alone (3.5万, a 単位 column 億), takes the other's.

    >>> convert(312000, "人", "万人"), convert(8, "千万円", "億円"), convert(40, "名", "人")
    (31.2, 0.8, 40.0)
    >>> convert(40, "%", "人") is None, convert(40, "", "人"), convert(3.5, "万", "人")
    (True, 40, 35000.0)
    """
    if not unit or not target:
        return value
    f1, base1 = split_unit(same_unit(unit))
    f2, base2 = split_unit(same_unit(target))
    if base1 and base2 and base1 != base2:
        return None
    return round(value * f1 / f2, 10)


def in_unit(value: float | None, unit: str, target: str) -> float | None:
    """``value`` in ``unit`` expressed in ``target`` when they differ only by scale (``convert``:
    8,500 万円 → 0.85 億円; 1.2 億 → 120,000,000 円); unchanged when either is empty or they measure
    different things (the caller keeps its own unit then).

    >>> in_unit(8500, "万円", "億円"), in_unit(1.2, "億", "円"), in_unit(3, "%", "人")
    (0.85, 120000000.0, 3)
    """
    if value is None or not unit or not target or unit == target:
        return value
    converted = convert(value, unit, target)
    return value if converted is None else converted


def make_kpi(
    measure_id: str,
    level: str,
    name: str,
    baseline_raw: str,
    target_raw: str,
    *,
    plan_end_year: int | None = None,
    header_year: int | None = None,
    baseline_header_year: int | None = None,
    page: int | None = None,
    unit: str = "",
) -> KPI:
    """One KPI row. The target's year is its own, else the column header's (目標値(R6)), else the
    plan's final year; the baseline's is its own, else its header's (現状値（2014年度）). ``unit``
    is a 単位 column's cell: it wins over a unit read after the numbers. Baseline and target are
    given in that one unit (8,500万円 beside 1.2億円 → 0.85 億円), so they compare.

    >>> k = make_kpi("G1-M4", "measure", "寄附額", "8,500万円 (H30)", "1.2億円 (R6)")
    >>> (k.baseline_value, k.target_value, k.unit)
    (0.85, 1.2, '億円')
    """
    base = parse_cell(baseline_raw, default_year=baseline_header_year)
    target = parse_cell(
        target_raw, default_year=header_year if header_year is not None else plan_end_year
    )
    kpi_unit = clean_cell(unit) or target.unit or base.unit
    notes = []
    if base.note:
        notes.append(f"基準値: {base.note}")
    if target.note or target.period:
        parts = [p for p in (target.period, target.note) if p]
        notes.append(f"目標値: {' '.join(parts)}")
    values = []
    for label, cell in (("基準値", base), ("目標値", target)):
        value = in_unit(cell.value, cell.unit, kpi_unit)
        if value != cell.value:
            notes.append(f"{label} {_plain(cell.value)}{cell.unit} = {_plain(value)}{kpi_unit}")
        values.append(value)
    return KPI(
        measure_id=measure_id,
        level=level,
        name=clean_cell(name),
        baseline_raw=baseline_raw,
        target_raw=target_raw,
        baseline_value=values[0],
        target_value=values[1],
        unit=kpi_unit,
        baseline_year=base.year,
        target_year=target.year if target_raw.strip() else None,
        note="; ".join(notes),
        comparator=target.comparator or base.comparator,
        page=page,
    )


def _plain(value: float | None) -> str:
    """8500.0 → 8,500; 0.85 → 0.85 (for notes)."""
    return "" if value is None else f"{value:,.10f}".rstrip("0").rstrip(".")


# 新規就業者数0人(2014 年度)→5年間で6人(2019 年度): the baseline is the value at the end of the
# left side, the name what comes before it.
_ARROW = re.compile(r"^(?P<left>.+?)\s*(?:→|⇒|->)\s*(?P<right>.+)$")
# The digits of a figure as lines print it, a compound one too (1億2,000万, 1億 2,000 万): a value's
# pattern in a line (below and structure's KPI rows) starts with it.
FIGURE = r"[0-9][0-9,.]*(?:\s?[万億兆]\s?[0-9][0-9,.]*)*"
_BASE_VALUE = re.compile(
    # 「-」 alone or with its year (「-（R5）→5,000件（R11）」: no baseline yet)
    rf"(?:毎?年\s*)?[▲△+\-±]?\s*{FIGURE}\s*[^\s0-9()→]{{0,6}}\s*(?:\([^()]*\))?|-\s*(?:\([^()]*\))?"
)


def split_target_line(text: str) -> tuple[str, str, str] | None:
    """(name, baseline, target) of a KPI written as one line, or None.

    >>> split_target_line("新規就業者数0人(2014 年度)→5年間で6人(2019 年度)")
    ('新規就業者数', '0人(2014 年度)', '5年間で6人(2019 年度)')
    >>> split_target_line("6 次産業化の認定事業者数 8 者( R5 )→ 15 者( R11 )")
    ('6 次産業化の認定事業者数', '8 者( R5 )', '15 者( R11 )')
    """
    m = _ARROW.match(clean_cell(text))
    if not m:
        return split_prose_target(text)
    left, right = m.group("left").strip(), m.group("right").strip()
    for i in range(1, len(left)):
        if left[i - 1].isdigit() or left[i - 1] in ",.":
            continue
        if _BASE_VALUE.fullmatch(left[i:].strip()):
            name = left[:i].strip().rstrip(":：").strip()
            if re.search(r"[^\W\d_]", name):  # a name has words, not just marks (~24歳→…)
                return name, left[i:].strip(), right
    return None


# 新規就農者数を、現状の2人(令和5年度)から令和11年度までに累計15人とする。: a KPI in prose. The
# name is what the sentence is about (…を / …は), the baseline follows 現状の and ends at から, the
# target year comes before に, the target before the closing verb.
_PROSE = re.compile(
    r"^(?P<name>[^、。,]+?)(?:を|は|について)[、,]?\s*(?:現状|現在|基準値|策定時)?の?\s*"
    r"(?P<base>[^、。]*?[0-9][^、。]*?)\s*から[、,]?\s*"
    r"(?:(?P<year>(?:令和|平成|[RH])\s*(?:[0-9]{1,2}|元)\s*年度?|20[0-9]{2}\s*年度?)\s*(?:まで)?に(?:は)?[、,]?\s*)?"
    r"(?P<target>[^、。]*?[0-9][^、。]*?)\s*"
    r"(?:に|へ|まで)?\s*(?:とする|とします|にする|にします|を目指す|を目指します|を目標とする|"
    r"に増やす|に増やします|に増加させる|に減らす|に削減する|に引き上げる|に向上させる)[。.]?$"
)


def split_prose_target(text: str) -> tuple[str, str, str] | None:
    """(name, baseline, target) of a KPI stated as a sentence, or None; the target year written
    before the target (令和11年度に…) goes into the target's brackets.

    >>> split_prose_target("新規就農者数を、現状の2人（令和5年度）から令和11年度までに累計15人とする。")
    ('新規就農者数', '2人(令和5年度)', '累計15人(令和11年度)')
    """
    m = _PROSE.match(clean_cell(text))
    if not m:
        return None
    target = m.group("target").strip()
    if m.group("year") and find_year(target)[1] is None:
        target = f"{target}({m.group('year').strip()})"
    name = m.group("name").strip().lstrip(":：").strip()
    if not re.search(r"[^\W\d_]", name):
        return None
    return name, m.group("base").strip(), target


# A cell that is a number and nothing else (19.8, 2,450, △25): its unit may be in a column of its own.
_BARE_NUMBER = re.compile(r"[△▲\-−]?\s*\d[\d,]*(?:\.\d+)?")


def with_unit(cell: str, unit: str) -> str:
    """``cell`` with the table's unit column appended when the cell is a bare number."""
    text = normalize.normalize_chars(cell).strip()
    return f"{text}{unit}" if unit and _BARE_NUMBER.fullmatch(text) else cell
