"""KPI audit evidence beyond shared words (#15, session 4): what is counted, the slot, numbers in
the facing slot, arithmetic in the name. Cases: tests/cases/kpi_evidence (README there: written
before the mechanisms, one town per mechanism)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.audit import (
    compare_kpis,
    continues_in_slot,
    counted_noun,
    difference_terms,
    indicator_features,
    is_balance,
)
from textkit.formats import read_kpis, read_map
from textkit.models import KPI, KPIStatus
from textkit.sources import strategy_from_kpis

CASES = Path(__file__).parent / "cases" / "kpi_evidence"


def _audit(town: str, *, with_map: bool):
    old = strategy_from_kpis(read_kpis(CASES / f"{town}_2nd_kpis.csv"), "old")
    new = strategy_from_kpis(read_kpis(CASES / f"{town}_3rd_kpis.csv"), "new")
    cmap = read_map(CASES / f"{town}_measure_map.csv") if with_map else None
    return compare_kpis(old, new, cmap=cmap).changes


def _expected(town: str) -> dict[tuple[str, str], str]:
    with open(CASES / f"{town}_expected.csv", encoding="utf-8") as f:
        return {(r["old_name"], r["new_name"]): r["status"] for r in csv.DictReader(f)}


@pytest.mark.parametrize("with_map", [True, False], ids=["map", "tables"])
@pytest.mark.parametrize("town", ["kazamori", "shiomi"])
def test_counted_noun_and_balances_give_every_gold_status(town: str, with_map: bool) -> None:
    """kazamori: a frame shared around another counted thing (受入 vs 定住, 入居 vs 空き, 登録 vs
    案内) is another indicator; rewordings whose numbers continue still pair. shiomi: a balance
    written as its definition pairs; its terms (転出者数) and the other balance (自然 vs 社会) do
    not."""
    got = {(c.old_name, c.new_name): c.status.value for c in _audit(town, with_map=with_map)}
    assert got == _expected(town)


@pytest.mark.parametrize("with_map", [True, False], ids=["map", "tables"])
def test_pairs_made_on_weak_evidence_say_so(with_map: bool) -> None:
    """Balances paired by their arithmetic and indicators paired by numbers in the facing slot
    carry 要確認 in their note; pairs the names make do not."""
    rows = {(c.old_name, c.new_name): c for c in _audit("shiomi", with_map=with_map)}
    assert "要確認" in rows[("人口の社会増減数", "転入超過数（転入者数－転出者数）")].note
    assert "要確認" not in rows[("移住相談の件数", "移住相談の件数")].note
    iwase = {(c.old_name, c.new_name): c for c in _audit("iwase", with_map=with_map)}
    for pair, status in _expected("iwase").items():
        if status in ("kept", "target_changed"):
            assert pair in iwase  # every renamed indicator whose numbers continue
    facing = iwase[("1人1日当たりのごみ排出量", "家庭系一般廃棄物の原単位")]
    assert facing.status is KPIStatus.TARGET_CHANGED and "要確認" in facing.note
    # numbers outside the old series: another indicator in the same slot
    assert ("消防団員数", "") in iwase


def test_a_pair_does_not_leave_a_known_slot() -> None:
    """tsuruno (with its measure map): 省エネ家電買替補助の交付件数 (measure 1-1 → 1-(1)) does not pair
    with 三世代同居住宅改修補助の交付件数 of measure 2-(1) (which continues 2-1) although they share
    〇〇補助の交付件数（累計）; it pairs, marked 要確認, with its renamed successor in its own slot
    (the same grant counted, both 累計, the whole names close in meaning: meaning_successors)."""
    rows = _audit("tsuruno", with_map=True)
    paired = {(c.old_name, c.new_name) for c in rows if c.old_name and c.new_name}
    assert (
        "省エネ家電買替補助の交付件数（累計）",
        "三世代同居住宅改修補助の交付件数（累計）",
    ) not in paired
    successor = next(c for c in rows if c.old_name == "省エネ家電買替補助の交付件数（累計）")
    assert successor.new_name == "家庭の省エネ機器導入への支援件数（累計）"
    assert successor.status is KPIStatus.TARGET_CHANGED
    assert "要確認" in successor.note and "累計" in successor.note
    got = {(c.old_name, c.new_name): c.status.value for c in rows}
    assert got == _expected("tsuruno")


def test_counted_noun_sets_classifiers_aside() -> None:
    assert counted_noun("空き家バンクを通じた成約件数（累計）") == "成約"
    assert counted_noun("町営住宅の入居戸数") == "入居"
    assert counted_noun("子育て支援センターの延べ利用者数") == "利用者"


def test_meaning_or_numbers_excuse_another_counted_word() -> None:
    """出店補助の交付件数 ⇄ 出店支援の件数: the meaning path matched every word, so 交付 vs 支援 does
    not weigh; 登録件数 vs 成約件数 under a shared frame, running totals, does."""

    def rows(old: tuple[str, str, str], new: tuple[str, str, str]):
        o = strategy_from_kpis([KPI("1-1", "measure", *old)])
        n = strategy_from_kpis([KPI("1-1", "measure", *new)])
        return {(c.old_name, c.new_name) for c in compare_kpis(o, n).changes}

    shop = ("商店街の空き店舗への出店補助の交付件数（累計）", "0件", "30件")
    assert (shop[0], "商店街の空き店舗への出店支援の件数（累計）") in rows(
        shop, ("商店街の空き店舗への出店支援の件数（累計）", "0件", "40件")
    )
    bank = ("空き家バンク登録物件数（累計）", "22件", "50件")
    assert (bank[0], "") in rows(bank, ("空き家バンクを通じた成約件数（累計）", "0件", "30件"))


_NOUN = st.text(alphabet="市町村人口世帯転入出生死亡開業廃事業所農家", min_size=1, max_size=5)


@settings(max_examples=80, deadline=None)
@given(
    _NOUN, _NOUN, st.sampled_from(["数", "者数", "件数", "額"]), st.sampled_from(["－", "-", "−"])
)
def test_a_spelled_out_difference_parses(a: str, b: str, head: str, minus: str) -> None:
    """A－B (any minus sign, optionally inside a label's brackets) and AとBの差 give their two
    terms and make the indicator a balance."""
    assert difference_terms(f"{a}{head}{minus}{b}{head}") == (f"{a}{head}", f"{b}{head}")
    assert difference_terms(f"人口の動き（{a}{head}{minus}{b}{head}）") == (
        f"{a}{head}",
        f"{b}{head}",
    )
    assert difference_terms(f"{a}{head}と{b}{head}の差") == (f"{a}{head}", f"{b}{head}")
    assert is_balance(KPI("", "", f"{a}{head}と{b}{head}の差", "", ""))
    # a plain count of the same words is no balance and no difference
    assert difference_terms(f"{a}{b}{head}") is None
    assert not is_balance(KPI("", "", f"{a}{b}{head}", "12人", "15人"))


@settings(max_examples=120, deadline=None)
@given(
    st.integers(1, 100_000),
    st.integers(1, 100_000),
    st.integers(1, 100_000),
    st.sampled_from(["人", "件", "億円"]),
)
def test_numbers_continue_only_inside_the_old_series(
    base: int, target: int, now: int, unit: str
) -> None:
    """NEW's baseline inside OLD's baseline … target (either order), same unit: the series goes
    on; outside: it does not; a running total or a percentage never says it does."""
    old = indicator_features(KPI("", "", "指標A", f"{base}{unit}", f"{target}{unit}"))
    new = indicator_features(KPI("", "", "指標B", f"{now}{unit}", f"{now + 1}{unit}"))
    assert continues_in_slot(old, new) is (min(base, target) <= now <= max(base, target))
    total = indicator_features(KPI("", "", "指標B（累計）", f"{now}{unit}", f"{now + 1}{unit}"))
    assert continues_in_slot(old, total) is None
    share = indicator_features(KPI("", "", "指標A", f"{base % 100}%", f"{target % 100}%"))
    assert (
        continues_in_slot(share, indicator_features(KPI("", "", "B", f"{now % 100}%", ""))) is False
    )


@pytest.mark.parametrize("with_map", [True, False], ids=["map", "tables"])
def test_a_ratio_spelled_out_is_a_ratio(with_map: bool) -> None:
    """hinode: 人口10万人当たりの刑法犯認知件数 ends in 件数 but is a rate (⇄ 刑法犯認知率（人口10万人当たり）),
    受診者数÷対象者数 is a 受診率; a quantity per head is not the total (医療費 vs 医療費総額)."""
    rows = {(c.old_name, c.new_name): c.status.value for c in _audit("hinode", with_map=with_map)}
    want = _expected("hinode")
    for pair in (
        ("人口10万人当たりの刑法犯認知件数", "刑法犯認知率（人口10万人当たり）"),
        ("特定健診の受診者数÷対象者数", "特定健康診査受診率"),
        ("高齢者1人当たりの医療費", ""),
        ("", "国民健康保険の医療費総額"),
    ):
        assert rows[pair] == want[pair]
