"""Text clean-up for Japanese strategy documents: ``str -> str``.

What goes in: text as a PDF extractor or converter produced it. What comes out: the same text with
overprinted (fake-bold) duplicates removed, CJK compatibility / Kangxi radical characters mapped to
their unified ideographs, full-width digits and Latin letters folded to half-width, vertical labels
rejoined and hard-wrapped lines joined without spaces.  Circled numbers (①–⑳, measure numbering),
「」, ・ and units (㎡) are left alone: NFKC would destroy them (see shared/field-notes.md).
"""

from __future__ import annotations

import re
import unicodedata

# Kangxi radicals (U+2F00–2FDF) all have NFKC decompositions to unified ideographs; the CJK Radicals
# Supplement (U+2E80–2EFF) mostly does not, so the common ones printed in real documents are listed.
_RADICAL_SUPPLEMENT = {
    "\u2ed1": "長",  # ⻑
    "\u2eda": "青",  # ⻘
    "\u2ec4": "西",  # ⻄
    "\u2ee3": "麦",  # ⻣ → 骨? kept conservative below
    "\u2e8f": "尣",
    "\u2ea0": "民",
    "\u2ebc": "肉",
    "\u2ec6": "角",
    "\u2ecf": "邑",
    "\u2ed6": "阜",
    "\u2edd": "食",
    "\u2ee4": "鬼",
    "\u2ee9": "黄",
    "\u2ef2": "亀",
}
_RADICAL_SUPPLEMENT["\u2ee3"] = "骨"

# ʷ (modifier small w) is what one PDF producer emits for a minus sign before a number.
_MINUS_LIKE = re.compile(r"[ʷ\u2212\u2012\u2013](?=\d)")
# Letter-spaced acronyms before Japanese text (U I Jターン, I CT活用): PDF tools and converters
# insert these spaces from character spacing; the acronym is one word.
_SPACED_ACRONYM = re.compile(r"(?<![A-Za-z])(?:[A-Z] )+[A-Z]+(?=[^\x00-\x7f])")


# Word's list bullets drawn in the Symbol / Wingdings fonts come out of PDFs as private-use code
# points (U+F0B7 is Symbol's bullet): each is read as the mark it shows, so a list item still
# starts with a mark.
SYMBOL_BULLETS = {
    "\uf0b7": "•",  # Symbol bullet
    "\uf06c": "●",  # Wingdings l
    "\uf06e": "■",  # Wingdings n
    "\uf0a7": "■",  # Wingdings small square
    "\uf071": "□",  # Wingdings q
    "\uf075": "◆",  # Wingdings u
    "\uf076": "◆",  # Wingdings v (❖)
    "\uf0d8": "▶",  # Wingdings arrowhead (➢)
    "\uf0fc": "✓",  # Wingdings check mark
}


def _fold_char(ch: str) -> str:
    """One character folded (the ranges below are the ones ``_FOLDABLE`` finds)."""
    code = ord(ch)
    if 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F:
        return unicodedata.normalize("NFKC", ch)  # Kangxi radicals, CJK compatibility ideographs
    if ch in _RADICAL_SUPPLEMENT:
        return _RADICAL_SUPPLEMENT[ch]
    if 0xFF01 <= code <= 0xFF5E or 0xFF61 <= code <= 0xFF9F:
        return unicodedata.normalize("NFKC", ch)  # full-width ASCII, half-width katakana
    if 0xFE10 <= code <= 0xFE19 or 0xFE30 <= code <= 0xFE4F:
        return unicodedata.normalize(
            "NFKC", ch
        )  # vertical forms (縦書き): ︑ → 、, ︵ → (, ﹁ → 「
    if ch == "\u3000":
        return " "
    return SYMBOL_BULLETS.get(ch, ch)


# Every character _fold_char changes: the ranges it tests, the radicals it maps, the ideographic space.
_FOLDABLE = re.compile(
    "[\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f\uff01-\uff5e\uff61-\uff9f"
    "\ufe10-\ufe19\ufe30-\ufe4f\u3000"
    + "".join(_RADICAL_SUPPLEMENT)
    + "".join(SYMBOL_BULLETS)
    + "]"
)


def normalize_chars(text: str) -> str:
    """Character-level normalisation that is safe for Japanese.

    >>> normalize_chars("中⾧期 ＫＰＩ１２３ ①")
    '中長期 KPI123 ①'
    """
    if not text:
        return text
    # Only the characters _fold_char changes are visited: text the PDF reader already normalised
    # has none, and a Python loop over every character was 11-13% of tokenising a corpus.
    out = _FOLDABLE.sub(lambda m: _fold_char(m.group()), text)
    # Half-width katakana voiced marks are combined by NFKC only when applied to the pair.
    out = unicodedata.normalize("NFC", out)
    if (
        " " in out
    ):  # the acronym pattern needs a space; its look-behind scan is 2/3 of this function
        out = _SPACED_ACRONYM.sub(lambda m: m.group(0).replace(" ", ""), out)
    return _MINUS_LIKE.sub("-", out)


# ── overprint (fake bold) ───────────────────────────────────────────────────

# Real documents overprint a heading 2 to 4 times.
MAX_OVERPRINT = 4
# A run shorter than this many distinct characters is not judged as overprint (いい, ここ are words).
MIN_OVERPRINT_RUNS = 3
# A whole line printed k times is taken as overprint only when the repeated part is at least this
# long: いろいろ / まだまだ are words, headings printed twice are longer.
MIN_REPEATED_LINE = 4


def collapse_overprint(line: str) -> str:
    """Undo fake bold as text extractors report it.

    Either every character repeated k times (``第第３３期期`` → ``第３期``) or the whole line printed
    k times in a row (``見出し見出し`` → ``見出し``).
    """
    stripped = line.strip()
    if len(stripped) < 2:
        return line
    runs = [(m.group(0)[0], len(m.group(0))) for m in re.finditer(r"(.)\1*", stripped)]
    for k in range(MAX_OVERPRINT, 1, -1):
        if len(runs) >= MIN_OVERPRINT_RUNS and all(n % k == 0 for _, n in runs):
            # Spaces between overprinted words may come out once: accept runs of 1 only for spaces.
            return "".join(c * (n // k) for c, n in runs)
        if len(runs) >= MIN_OVERPRINT_RUNS and all(
            n % k == 0 or (c == " " and n < k) for c, n in runs
        ):
            return "".join(c * max(1, n // k) for c, n in runs)
    for k in range(MAX_OVERPRINT, 1, -1):
        if len(stripped) % k == 0:
            part = stripped[: len(stripped) // k]
            if len(part) >= MIN_REPEATED_LINE and part * k == stripped:
                return part
    return line


# ── vertical labels and wrapped lines ───────────────────────────────────────

_SINGLE = re.compile(r"^\s*(\S)\s*$")


def join_vertical_runs(lines: list[str], min_run: int = 2) -> list[str]:
    """Join labels printed one character per line (``企/業/誘/致`` → ``企業誘致``).

    A run is at least ``min_run`` consecutive single-character lines, allowing one blank line
    between characters (some extractors put one after every character).
    """
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        if _SINGLE.match(lines[i]):
            chars = [lines[i].strip()]
            j = i + 1
            while j < n:
                if _SINGLE.match(lines[j]):
                    chars.append(lines[j].strip())
                    j += 1
                elif not lines[j].strip() and j + 1 < n and _SINGLE.match(lines[j + 1]):
                    chars.append(lines[j + 1].strip())
                    j += 2
                else:
                    break
            if len(chars) >= min_run:
                out.append("".join(chars))
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


# A line ending in one of these cannot end a title or sentence: the next line continues it.
CONTINUATION_ENDINGS = tuple("、，,・のをにがはとでやへも（(「『～〜")
# A line starting with one of these begins a new item, heading or table row.
_NEW_ITEM = re.compile(
    r"^\s*(?:[◎○〇●■□◆◇・▶▷▸►\-‐*※【#|]|[\u2460-\u2473]|\(?\d+[).．.]|（\d+）|基本目標|第\d)"
)


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join a hard-wrapped line with its continuation, with no space between Japanese text.

    Only lines that visibly stop mid-phrase (ending in 、 or a particle) are joined, so titles and
    list items that happen to be long are never glued together. One blank line between the two
    halves is tolerated (PDF-to-text tools often emit one).
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        cur = lines[i]
        while True:
            if not cur.strip() or "\t" in cur or not cur.rstrip().endswith(CONTINUATION_ENDINGS):
                break
            j = i + 1
            if j < len(lines) and not lines[j].strip():
                j += 1
            if j >= len(lines) or not lines[j].strip() or "\t" in lines[j]:
                break
            if _NEW_ITEM.match(lines[j]):
                break
            cur = join_pair(cur.rstrip(), lines[j].strip())
            i = j
        out.append(cur)
        i += 1
    return out


_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


# Brackets (already folded to half-width) a space never follows (openers) or precedes (closers):
# 「（1）」 printed as three pieces — each glyph's ink box narrower than its advance — is "(1)".
_OPENERS = "([{"
_CLOSERS = ")]},.:;!?%"


def join_pair(left: str, right: str) -> str:
    """Join two pieces of one wrapped line: no space between Japanese characters, nor inside
    brackets.

    >>> join_pair("(", "1"), join_pair("(1", ")"), join_pair("PR", "動画"), join_pair("ICT", "AI")
    ('(1', '(1)', 'PR動画', 'ICT AI')
    """
    if not left:
        return right
    if not right:
        return left
    if _CJK.match(left[-1]) or _CJK.match(right[0]):
        return left + right
    if left[-1] in _OPENERS or right[0] in _CLOSERS:
        return left + right
    return left + " " + right


def normalize_line(line: str) -> str:
    return collapse_overprint(normalize_chars(line.rstrip()))


def normalize_text(text: str) -> str:
    """Full clean-up of extracted plain text (used for text/Markdown input)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [normalize_line(x) for x in text.split("\n")]
    lines = join_vertical_runs(lines)
    lines = join_wrapped_lines(lines)
    return "\n".join(lines)
