"""textkit.tokenize: Sudachi content words, normalised forms, administrative stop words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scripts import bench_tokenize
from textkit.tokenize import analyze, analyze_many, dictionary, stopwords, tokenize_many


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


# ── the fast path gives what the implementation before it gave ───────────────


# What municipal texts are made of: words the stop list and the normalisation care about, numbers
# with units and minus signs, letter-spaced acronyms, compatibility characters, kana remnants.
FRAGMENTS = [
    "移住促進の取組",
    "子どもの居場所",
    "子育て支援・保育サービスの充実",
    "ＵＩＪターン",
    "U I Jターン",
    "I CT活用",
    "KPI",
    "中⾧期",
    "１２３人",
    "−5%",
    "2024年度",
    "ｶﾞｲﾄﾞ",
    "ゼロカーボンシティ",
    "ワーキングマザー＆ファザー",
    "本市",
    "ため",
    "まちづくり",
    "す",
    "港",
    "、",
    "。",
    " ",
    "\n",
    "①",
    "（R6）",
]
CHARS = "あいうえおかきくけこアイウエオカキクケコー港雪町市民活用推進ABCxyz0123４５６ 　\n・、。−–"


@given(
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=CHARS, max_size=6)), max_size=12
    ).map("".join)
)
def test_analyze_gives_what_the_implementation_before_it_gave(text):
    stop = stopwords()
    assert analyze(text) == bench_tokenize.before_analyze(text, stop=stop)
    assert analyze(text, mode="A") == bench_tokenize.before_analyze(text, mode="A", stop=stop)
    (tokens_only,) = analyze_many([text], synonyms=False)
    assert tokens_only.tokens == analyze(text).tokens and tokens_only.synonym_groups == ()


def test_bundled_and_real_texts_give_what_the_implementation_before_it_gave(monkeypatch):
    """Every bundled measure text (in a batch large enough for the threaded path) and, where
    /work/shared/real is present, every text block of the real PDFs."""
    from textkit import tokenize

    monkeypatch.setattr(tokenize, "_PARALLEL_MIN", 100)
    stop = stopwords()
    texts = bench_tokenize.corpus_texts(60_000)
    assert len(texts) >= tokenize._PARALLEL_MIN
    want = [bench_tokenize.before_analyze(t, stop=stop) for t in texts]
    assert analyze_many(texts) == want
    if bench_tokenize.REAL.is_dir():
        real = bench_tokenize.distinct_texts()
        assert analyze_many(real) == [bench_tokenize.before_analyze(t, stop=stop) for t in real]
