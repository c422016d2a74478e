"""KPI audit by what a name means under its grammar (#15, session 5): the sentence encoder ranks
renamed indicators only where the counted thing, unit, period and slot agree (a subsidy reworded as
a running total), and the structure of a share (population, event, question mood). Cases:
tests/cases/kpi_meaning (README there: written before the mechanisms), kpi_slots/kawara and
kpi_evidence (tsuruno, iwase: written in session 4, seen before the act classes were written)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.audit import (
    act_object,
    compare_kpis,
    counted_noun,
    indicator_features,
    share_parts,
    share_relation,
    word_cosine,
)
from textkit.formats import read_kpis, read_map
from textkit.models import KPI, KPIStatus
from textkit.sources import strategy_from_kpis

CASES = Path(__file__).parent / "cases"


def _audit(folder: str, town: str, *, with_map: bool):
    old = strategy_from_kpis(read_kpis(CASES / folder / f"{town}_2nd_kpis.csv"), "old")
    new = strategy_from_kpis(read_kpis(CASES / folder / f"{town}_3rd_kpis.csv"), "new")
    cmap = read_map(CASES / folder / f"{town}_measure_map.csv") if with_map else None
    return {(c.old_name, c.new_name): c for c in compare_kpis(old, new, cmap=cmap).changes}


def _expected(folder: str, town: str) -> dict[tuple[str, str], str]:
    with open(CASES / folder / f"{town}_expected.csv", encoding="utf-8") as f:
        return {(r["old_name"], r["new_name"]): r["status"] for r in csv.DictReader(f)}


def _kpi(name: str):
    return indicator_features(KPI("", "", name, "", ""))


@pytest.mark.parametrize("with_map", [True, False], ids=["map", "tables"])
def test_renamed_subsidies_pair_and_other_programmes_do_not(with_map: bool) -> None:
    """asahigaoka: 生ごみ処理機購入補助件数（累計） ⇄ 家庭の生ごみ減量機器への支援件数（累計） pairs (the
    same grant counted, both 累計 restarting at 0, the whole names close), marked 要確認; the other
    programmes under the same frame (ブロック塀撤去補助, 空き店舗への出店支援 vs イベント開催補助 (年間))
    stay new / dropped."""
    rows = _audit("kpi_meaning", "asahigaoka", with_map=with_map)
    assert {k: v.status.value for k, v in rows.items()} == _expected("kpi_meaning", "asahigaoka")
    renamed = rows[("生ごみ処理機購入補助件数（累計）", "家庭の生ごみ減量機器への支援件数（累計）")]
    assert renamed.status is KPIStatus.TARGET_CHANGED
    assert "要確認" in renamed.note and "累計" in renamed.note


@pytest.mark.parametrize("with_map", [True, False], ids=["map", "tables"])
def test_share_structure_pairs_one_question_and_refuses_another(with_map: bool) -> None:
    """kumotori: one intention reworded (参加したいと思う ⇄ 参画意向のある) pairs, marked 要確認, not
    the experience question sharing more words (参加したことがある); another population (小学生のうち
    vs 中学生のうち) or another event of one population (高齢者のうち…) is another indicator. The one
    wrong pair left (依頼会員数 vs 提供会員数: the numbers continue within 2×) is named here."""
    rows = _audit("kpi_meaning", "kumotori", with_map=with_map)
    got = {k: v.status.value for k, v in rows.items()}
    want = _expected("kpi_meaning", "kumotori")
    left = {
        ("ファミリー・サポート・センターの依頼会員数", ""),
        ("", "ファミリー・サポート・センターの提供会員数"),
    }
    assert {k: v for k, v in got.items() if "会員数" not in k[0] + k[1]} == {
        k: v for k, v in want.items() if k not in left
    }
    intention = rows[("まちづくりに参加したいと思う市民の割合", "市政への参画意向のある市民の割合")]
    assert intention.status is KPIStatus.KEPT and "要確認" in intention.note


def test_share_parts_read_population_event_and_mood() -> None:
    assert share_parts("高齢者のうち通いの場に参加している人の割合")[:3] == (
        "within",
        "高齢者",
        "通いの場に参加している人",
    )
    assert share_parts("新規就農者の定着率")[:3] == ("rate", "新規就農者", "定着")
    assert share_parts("まちづくり活動に参加したことがある市民の割合").mood == "experience"
    assert share_parts("定住意向のある市民の割合（市民アンケート）").mood == "intention"
    assert share_parts("刑法犯認知件数") is None


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("がん検診の受診率", "がん検診の対象者のうち受診した人の割合", "same"),
        (
            "市内高校卒業者の市内就職率",
            "市内の高校を卒業した生徒のうち市内で就職した生徒の割合",
            "same",
        ),
        ("小学生のうち朝食を食べる児童の割合", "中学生のうち朝食を食べる生徒の割合", "other"),
        ("高齢者のうち健診を受けた人の割合", "高齢者のうち通いの場に参加している人の割合", "other"),
        ("市に住み続けたいと思う市民の割合", "定住意向のある市民の割合", "intention"),
        ("市に住み続けたいと思う市民の割合", "市の施策に満足している市民の割合", "other"),
        # the respondents of one survey question may be re-targeted: the structure cannot tell
        ("子育て支援に満足している町民の割合", "子育て環境に満足している保護者の割合", ""),
    ],
)
def test_share_relation(a: str, b: str, relation: str) -> None:
    assert share_relation(_kpi(a), _kpi(b)) == relation


def test_who_is_counted_is_set_aside() -> None:
    """kawara: 放課後児童クラブの登録児童数 counts 登録, its 待機児童数 counts 待機 — no longer paired."""
    assert counted_noun("放課後児童クラブの登録児童数") == "登録"
    assert counted_noun("放課後児童クラブの待機児童数") != "児童"  # 待機児童 (one Sudachi word)
    assert counted_noun("児童数") == "児童"  # nothing before it: the persons are what is counted
    rows = _audit("kpi_slots", "kawara", with_map=True)
    assert ("放課後児童クラブの登録児童数", "") in rows
    assert ("", "放課後児童クラブの待機児童数") in rows


@pytest.mark.parametrize("with_map", [True, False], ids=["map", "tables"])
@pytest.mark.parametrize("town", ["tsuruno", "iwase"])
def test_what_an_act_is_about_decides(town: str, with_map: bool) -> None:
    """Two counts of one kind of act are about what was granted or held (act_object):
    tsuruno from its tables alone — 省エネ家電買替補助の交付件数 no longer pairs with
    三世代同居住宅改修補助の交付件数 (same 補助の交付件数（累計） frame), so its renamed successor does;
    iwase — 健康相談の実施回数 vs 健康教室の開催回数 (numbers inside the old range by chance) stay
    dropped / new. Every gold status of both towns."""
    rows = _audit("kpi_evidence", town, with_map=with_map)
    assert {k: v.status.value for k, v in rows.items()} == _expected("kpi_evidence", town)
    assert act_object("三世代同居住宅改修補助の交付件数（累計）") == "改修"
    assert act_object("刑法犯認知件数") == ""


def test_weak_pairs_are_flagged_needs_review_in_the_audit_file(tmp_path: Path) -> None:
    """formats §4's optional needs_review column: "true" on pairs made on weak evidence and on
    dropped KPIs with a possible successor (their note says why), empty elsewhere."""
    from textkit.formats import write_audit
    from textkit.models import KPIAudit

    rows = _audit("kpi_meaning", "asahigaoka", with_map=True)
    path = write_audit(KPIAudit("old", "new", tuple(rows.values())), tmp_path / "audit.csv")
    with open(path, encoding="utf-8") as f:
        written = {(r["old_name"], r["new_name"]): r for r in csv.DictReader(f)}
    weak = written[("生ごみ処理機購入補助件数（累計）", "家庭の生ごみ減量機器への支援件数（累計）")]
    assert weak["needs_review"] == "true" and weak["note"].startswith("要確認")
    sure = written[("創業相談件数（年間）", "創業に関する相談の件数（年間）")]
    assert sure["needs_review"] == "" and "要確認" not in sure["note"]
    assert all((r["needs_review"] == "true") == ("要確認" in r["note"]) for r in written.values())


_POPULATIONS = st.sampled_from(
    ["高齢者", "市民", "小学生", "新規就農者", "がん検診の対象者", "市内の高校を卒業した生徒"]
)
_EVENTS = st.sampled_from(
    ["通いの場に参加している人", "受診した人", "朝食を毎日食べる児童", "市内で就職した生徒"]
)
_QUESTIONS = st.sampled_from(
    [
        "住み続けたいと思う",
        "定住意向のある",
        "まちづくりに参加したことがある",
        "市の施策に満足している",
    ]
)
_SHARE_NAMES = st.one_of(
    st.builds(lambda p, e: f"{p}のうち{e}の割合", _POPULATIONS, _EVENTS),
    st.builds(lambda q, p: f"{q}{p}の割合", _QUESTIONS, _POPULATIONS),
    st.builds(lambda p, e: f"{p}の{e}率", _POPULATIONS, st.sampled_from(["受診", "定着", "加入"])),
    st.text(max_size=12),  # any text: never an error
)


@settings(max_examples=150, deadline=None)
@given(_SHARE_NAMES, _SHARE_NAMES)
def test_share_structure_is_read_the_same_both_ways(a: str, b: str) -> None:
    """A share's parts are never empty, and how two shares relate does not depend on which is the
    older edition (the audit reads OLD × NEW)."""
    for name in (a, b):
        parts = share_parts(name)
        assert parts is None or (parts.population and parts.event)
    forward = share_relation(_kpi(a), _kpi(b), word_cosine, 0.5)
    assert forward == share_relation(_kpi(b), _kpi(a), word_cosine, 0.5)
