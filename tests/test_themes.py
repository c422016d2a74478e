"""textkit.themes: rule themes (textkit/data/themes.toml), clusters for what no rule covers, the
city × theme matrix and shared/unique measures, on the Otaru 第2期 and Tomakomai 第3期 measures."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from textkit.cli import main
from textkit.errors import SettingsError
from textkit.models import Measure
from textkit.settings import ThemeSettings, bundled
from textkit.sources import load_named as load
from textkit.themes import (
    UNCOVERED,
    ThemeRule,
    classify,
    load_scheme,
    match_rules,
)

from .conftest import OTARU_2ND_MEASURES, TOMAKOMAI_3RD_MEASURES

OTARU, TOMAKOMAI = OTARU_2ND_MEASURES, TOMAKOMAI_3RD_MEASURES


@pytest.fixture(scope="module")
def table():
    return classify([load(OTARU), load(TOMAKOMAI)])


def _row(table, doc, mid):
    return next(r for r in table.rows if r.doc == doc and r.id == mid)


def test_default_scheme_follows_the_national_fields():
    names = load_scheme().names
    assert names[:5] == (
        "しごと・雇用",
        "観光・交流",
        "移住・定住",
        "関係人口",
        "結婚・出産・子育て",
    )
    assert {"教育", "健康・福祉", "防災・安全", "交通・都市機能", "デジタル", "脱炭素"} <= set(
        names
    )
    assert {"地域づくり・協働", "広域連携"} <= set(names)


def test_entries_combine_and_and_not_like_kh_coder():
    rule = ThemeRule("教育", any=("学校", "学生 & !就職"))
    assert rule.hits("地元学生の市内就職促進") == ()
    assert rule.hits("学生の学び直し") == ("学生 & !就職",)
    guarded = ThemeRule("x", any=("観光",), all=("振興",), not_=("計画",))
    assert guarded.hits("観光振興") == ("観光",)
    assert guarded.hits("観光") == ()
    assert guarded.hits("観光振興計画") == ()


def test_primary_theme_prefers_the_title():
    m = Measure(id="X", title="子育ての不安感を緩和", text="相談体制の構築、就職支援等")
    themes, primary, matched = match_rules(m, load_scheme())
    assert themes == ("しごと・雇用", "結婚・出産・子育て")
    assert primary == "結婚・出産・子育て"
    assert "子育て" in matched


@pytest.mark.parametrize(
    ("doc", "mid", "primary"),
    [
        ("otaru_2nd_measures", "G1-M2", "しごと・雇用"),
        ("otaru_2nd_measures", "G2-M1", "観光・交流"),
        ("otaru_2nd_measures", "G2-M3", "移住・定住"),
        ("otaru_2nd_measures", "G3-M1", "結婚・出産・子育て"),
        ("otaru_2nd_measures", "G3-M2", "教育"),
        ("otaru_2nd_measures", "G4-M3", "健康・福祉"),
        ("otaru_2nd_measures", "G4-M4", "広域連携"),
        ("tomakomai_3rd_measures", "G1-M3", "しごと・雇用"),
        ("tomakomai_3rd_measures", "G3-M2", "関係人口"),
        ("tomakomai_3rd_measures", "G4-M2", "防災・安全"),
        ("tomakomai_3rd_measures", "G4-M3", "交通・都市機能"),
    ],
)
def test_primary_themes_of_real_measures(table, doc, mid, primary):
    assert _row(table, doc, mid).primary == primary


SHARED_THRESHOLD = bundled(ThemeSettings).shared_threshold


def test_shared_and_unique_measures(table):
    migration = _row(table, "otaru_2nd_measures", "G2-M3")
    assert migration.shared and migration.best_id == "G3-M3"
    assert migration.best_score >= SHARED_THRESHOLD
    education = _row(table, "otaru_2nd_measures", "G3-M2")  # Tomakomai 第3期 has no 教育 施策
    assert not education.shared and education.best_score < SHARED_THRESHOLD


def test_city_matrix_counts_each_measure_once(table):
    matrix = {r["doc"]: r for r in table.city_matrix()}
    for row in matrix.values():
        per_theme = sum(row[t] for t in (*table.themes, UNCOVERED))
        assert per_theme == row["measures"] == 12
        assert row["shared"] + row["unique"] == 12
    assert matrix["tomakomai_3rd_measures"]["結婚・出産・子育て"] == 3
    assert matrix["otaru_2nd_measures"]["教育"] == 1
    assert matrix["tomakomai_3rd_measures"]["教育"] == 0


def test_measures_no_rule_covers_get_named_clusters(tmp_path):
    scheme = tmp_path / "one.toml"
    scheme.write_text('[[theme]]\nname = "移住"\nany = ["移住"]\n', "utf-8")
    t = classify([load(OTARU), load(TOMAKOMAI)], scheme=load_scheme(scheme))
    covered = [r for r in t.rows if r.themes]
    assert {(r.doc, r.id) for r in covered} >= {
        ("otaru_2nd_measures", "G2-M3"),
        ("tomakomai_3rd_measures", "G3-M3"),
    }
    rest = [r for r in t.rows if not r.themes]
    assert all(r.primary == UNCOVERED and r.cluster.startswith("c") for r in rest)
    assert all(not r.cluster for r in covered)
    assert 2 <= len({r.cluster for r in rest}) <= len(rest) // 5


def test_bad_scheme_names_the_problem(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[theme]]\nname = "x"\nwords = ["a"]\n', "utf-8")
    with pytest.raises(SettingsError, match="unknown key 'words'"):
        load_scheme(bad)
    with pytest.raises(SettingsError, match="not found"):
        load_scheme(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "scheme, said",
    [
        # hU5 trial: a string was read letter by letter (every measure with て got theme 子)
        ('[[theme]]\nname = "子"\nany = "子育て"\n', "'any' must be a list of words"),
        ('[[theme]]\nname = "子"\nany = ["子育て", ""]\n', "'any' must be a list of words"),
        ('[[theme]]\nname = "子"\nany = ["子育て"]\nnot = "結婚"\n', "'not' must be a list"),
        ('[theme]\nname = "子"\nany = ["子育て"]\n', "themes are [[theme]] tables"),
    ],
)
def test_a_scheme_word_list_that_is_no_list_is_refused(tmp_path, scheme, said):
    bad = tmp_path / "bad.toml"
    bad.write_text(scheme, "utf-8")
    with pytest.raises(SettingsError, match=re.escape(said)):
        load_scheme(bad)


def test_cli_writes_measure_table_and_city_matrix(tmp_path):
    out = tmp_path / "themes.csv"
    result = CliRunner().invoke(main, ["themes", str(OTARU), str(TOMAKOMAI), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 24
    assert list(rows[0])[:4] == ["doc", "id", "title", "primary_theme"]
    by_city = list(csv.DictReader((tmp_path / "themes_by_city.csv").open(encoding="utf-8")))
    assert [r["doc"] for r in by_city] == ["otaru_2nd_measures", "tomakomai_3rd_measures"]


def test_settings_decide_shared_and_clusters(tmp_path, table):
    docs = [load(OTARU), load(TOMAKOMAI)]
    assert classify(docs, settings={"shared_threshold": SHARED_THRESHOLD}) == table
    everything_shared = classify(docs, settings={"shared_threshold": 0.0})
    assert all(r.shared for r in everything_shared.rows if r.best_id)
    assert sum(r.shared for r in everything_shared.rows) > sum(r.shared for r in table.rows)
    path = tmp_path / "my.toml"
    path.write_text("[themes]\nshared_threshold = 0.0\n", encoding="utf-8")
    assert classify(docs, settings=path) == everything_shared
    with pytest.raises(SettingsError, match=r"max_clusters must be a whole number ≥ 1, not 2\.5"):
        classify(docs, settings={"max_clusters": 2.5})


def test_themes_command_takes_settings(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[themes]\nshared_threshold = 10\n", encoding="utf-8")
    out = tmp_path / "t.csv"
    args = ["themes", str(OTARU), str(TOMAKOMAI), "-o", str(out), "--settings", str(bad)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "bad theme settings (see textkit/data/theme_settings.toml" in result.output
    assert "shared_threshold must be between 0 and 1, not 10" in result.output
    good = tmp_path / "good.toml"
    good.write_text("[themes]\nshared_threshold = 0.0\n", encoding="utf-8")
    args[-1] = str(good)
    assert CliRunner().invoke(main, args).exit_code == 0
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["shared"] for r in rows if r["best_id"]} == {"shared"}


def test_classify_and_the_corpus_share_the_theme_steps(table):
    """One home for the theme steps: ``theme_columns`` (the corpus build clusters every measure,
    ``textkit themes`` only those no rule covers; the rule themes are the same)."""
    from textkit.counterparts import vectorize
    from textkit.themes import theme_columns

    docs = [load(OTARU), load(TOMAKOMAI)]
    measures = [m for _, s in docs for m in s.measures]
    every = theme_columns(measures, vectorize(docs), cluster_every_measure=True)
    assert [(r.themes, r.primary) for r in every] == [(r.themes, r.primary) for r in table.rows]
    assert all(r.cluster for r in every)
    assert [bool(r.cluster) for r in table.rows] == [not r.themes for r in table.rows]


def test_two_cities_files_of_one_name_are_named_by_their_folders(tmp_path):
    """hU5 trial: `textkit themes a/総合戦略.pdf b/総合戦略.txt` was refused "two documents share a
    name (総合戦略, 総合戦略)" while `compare` names them a/総合戦略 and b/総合戦略."""
    for city, source in (("小樽市", OTARU), ("苫小牧市", TOMAKOMAI)):
        (tmp_path / city).mkdir()
        (tmp_path / city / f"総合戦略{Path(source).suffix}").write_bytes(Path(source).read_bytes())
    docs = [str(next((tmp_path / c).iterdir())) for c in ("小樽市", "苫小牧市")]
    out = tmp_path / "themes.csv"
    result = CliRunner().invoke(main, ["themes", *docs, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with (tmp_path / "themes_by_city.csv").open(encoding="utf-8") as f:
        assert [r["doc"] for r in csv.DictReader(f)] == ["小樽市/総合戦略", "苫小牧市/総合戦略"]
