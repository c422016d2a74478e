"""textkit.tokenize: Sudachi content words, normalised forms, administrative stop words."""

from __future__ import annotations

from textkit.tokenize import analyze, dictionary, stopwords, tokenize_many


def test_paraphrase_titles_tokenise_to_content_words():
    assert tokenize_many(
        ["縁結びコーディネート機能の充実", "ワーキングマザー＆ファザーの子育て応援"]
    ) == [("縁結び", "コーディネート"), ("ワーキングマザー", "ファーザー", "子育て")]


def test_normalised_forms_unify_spelling_variants():
    a, b = tokenize_many(["子どもの居場所", "子供の居場所"])
    assert a == b == ("子供", "居場所")


def test_administrative_stop_words_are_removed():
    # 推進 / 取組 / 充実 / 強化 / 支援 are in almost every title and say nothing about which one
    assert tokenize_many(["ゼロカーボンシティ実現に向けた取組の推進"]) == [("ゼロカーボンシティ",)]
    assert tokenize_many(["子育て支援・保育サービスの充実"]) == [("子育て", "保育", "サービス")]
    assert {"推進", "充実", "強化", "支援", "取り組み"} <= stopwords()


def test_full_width_and_compatibility_characters_are_normalised_first():
    # Kangxi radical ⾧ (U+2FA7) must read as 長; full-width Latin folds to ASCII
    assert tokenize_many(["中⾧期のＩＣＴ活用"]) == [("中長期", "ict")]


def test_split_mode_changes_compounds():
    assert analyze("ワーク・ライフ・バランス", mode="C").tokens == ("ワーク・ライフ・バランス",)
    assert analyze("ワーク・ライフ・バランス", mode="A").tokens == ("ワーク", "ライフ", "バランス")


def test_synonym_groups_are_reported():
    assert analyze("創業").synonym_groups == analyze("起業").synonym_groups != ()


def test_long_text_is_chunked_below_sudachis_input_limit():
    text = "移住促進の取組。\n" * 8000  # ~200 KB, far above the 49,149-byte limit of one call
    assert analyze(text).tokens.count("移住") == 8000


def test_one_dictionary_per_process():
    assert dictionary() is dictionary()
