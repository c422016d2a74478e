"""One case per quirk listed in shared/seeds/README.md and field-notes.md, with exact output."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textkit.normalize import (
    collapse_overprint,
    join_vertical_runs,
    join_wrapped_lines,
    normalize_chars,
    normalize_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("【【【【将将将将来来来来像像像像】】】】", "【将来像】"),  # fourfold overprint
        ("第第３３期期", "第３期"),  # twofold, pdfplumber style
        (
            "施施施策策策のの体体系系系",
            "施施施策策策のの体体系系系",
        ),  # inconsistent runs: not overprint
        (
            "２ 結婚の希望を叶え、安心して出産・子育てができる環境を整備する"
            "２ 結婚の希望を叶え、安心して出産・子育てができる環境を整備する",
            "２ 結婚の希望を叶え、安心して出産・子育てができる環境を整備する",
        ),  # whole line printed twice (pdfminer style, Tomakomai seed)
        ("いいえ、ここです", "いいえ、ここです"),  # real doubled kana stay
        ("いろいろ", "いろいろ"),  # a repeated word is not a line printed twice
        ("施策の体系施策の体系", "施策の体系"),
    ],
)
def test_collapse_overprint(raw: str, expected: str) -> None:
    assert collapse_overprint(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("中⾧期的な視点", "中長期的な視点"),  # Kangxi radical ⾧ (U+2FA7)
        ("⻑期", "長期"),  # CJK Radicals Supplement, which NFKC misses
        ("ＵＩＪターン", "UIJターン"),  # full-width Latin
        ("１２の「施策」", "12の「施策」"),  # full-width digits; 「」 kept
        ("①若者の市内就職の促進 ⑲", "①若者の市内就職の促進 ⑲"),  # circled numbers kept
        ("妊娠・出産", "妊娠・出産"),  # nakaguro kept
        ("ʷ1.1％", "-1.1%"),  # odd glyph for minus
        ("人口想定ﾍﾞｰｽ", "人口想定ベース"),  # half-width katakana
        ("面積 100㎡", "面積 100㎡"),  # units kept
        ("U I Jターン希望者", "UIJターン希望者"),  # letter-spaced acronym
        ("I CT活用等", "ICT活用等"),
        ("A B test", "A B test"),  # Latin text is left alone
    ],
)
def test_normalize_chars(raw: str, expected: str) -> None:
    assert normalize_chars(raw) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["企", "業", "誘", "致", "", "本文"], ["企業誘致", "", "本文"]),
        (["施", "", "策"], ["施策"]),  # blank line between characters
        (["Ｋ", "Ｐ", "Ｉ", "の", "設", "定"], ["ＫＰＩの設定"]),
        (["A", "本文です"], ["A", "本文です"]),  # a lone character is not a run
    ],
)
def test_join_vertical_runs(lines: list[str], expected: list[str]) -> None:
    assert join_vertical_runs(lines) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [
                "〇 人手不足や人材確保等に向けた支援、時代の潮流を踏まえた企業誘致、立地企業への",
                "",
                "サポートを進め、地域産業の活性化",
            ],
            [
                "〇 人手不足や人材確保等に向けた支援、時代の潮流を踏まえた企業誘致、立地企業への"
                "サポートを進め、地域産業の活性化"
            ],
        ),
        (
            [
                "中心市街地のまちづくり、ＩＣＴ活用等による公共交通ネットワーク形成、",
                "公共施設更新・改修・統廃合、ゼロカーボンシティの実現",
            ],
            [
                "中心市街地のまちづくり、ＩＣＴ活用等による公共交通ネットワーク形成、"
                "公共施設更新・改修・統廃合、ゼロカーボンシティの実現"
            ],
        ),
        (  # titles that end in a noun are never glued together
            ["① 進出・立地企業へのサポート機能の強化", "② 創業・事業承継支援"],
            ["① 進出・立地企業へのサポート機能の強化", "② 創業・事業承継支援"],
        ),
        (  # the next line starts a new bullet
            ["〇 結婚希望者に対する支援等、", "〇 妊娠、出産"],
            ["〇 結婚希望者に対する支援等、", "〇 妊娠、出産"],
        ),
    ],
)
def test_join_wrapped_lines(lines: list[str], expected: list[str]) -> None:
    assert join_wrapped_lines(lines) == expected


def test_normalize_text_on_seed_fragment() -> None:
    raw = "企\n業\n誘\n致\n\n ４. 施策の体系４. 施策の体系\n中⾧期的な視点により検討\n"
    assert normalize_text(raw) == "企業誘致\n\n4. 施策の体系\n中長期的な視点により検討\n"


@given(st.text())
def test_normalize_text_never_crashes_and_is_idempotent_on_chars(text: str) -> None:
    once = normalize_chars(text)
    assert normalize_chars(once) == once
    normalize_text(text)


# Text drawn from the ranges normalize_chars folds, plus plain Japanese and ASCII around them.
_FOLD_TEST_CHARS = st.one_of(
    st.characters(min_codepoint=0x2F00, max_codepoint=0x2FDF),
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9F),
    st.characters(min_codepoint=0xFE10, max_codepoint=0xFE4F),
    st.sampled_from("\u3000⻑⻘⻄⻣あア亜 aZ1-"),
    st.characters(codec="utf-8"),
)


@given(st.text(_FOLD_TEST_CHARS, max_size=40))
def test_folding_only_the_foldable_characters_equals_folding_every_character(text):
    """The fast path (a regex finds the characters to fold) gives what folding each one did."""
    import unicodedata

    from textkit import normalize

    slow = unicodedata.normalize("NFC", "".join(normalize._fold_char(ch) for ch in text))
    slow = normalize._SPACED_ACRONYM.sub(lambda m: m.group(0).replace(" ", ""), slow)
    slow = normalize._MINUS_LIKE.sub("-", slow)
    assert normalize_chars(text) == slow
