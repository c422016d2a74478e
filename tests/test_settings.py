"""One settings story: every settings class is built by ``settings.resolve_as`` from None, a dict,
a TOML path or an instance, checks every value when built and names each bad key at once.

AlignSettings has one source of defaults (``textkit/data/align.toml``): its class literals had
drifted from the file in 6 fields, so ``AlignSettings(min_link=.3)`` silently got uncalibrated
weights. ExtractSettings (the PDF reader's tolerances) is now checked and reachable from
``textkit.read`` / ``textkit.parse`` and ``textkit extract|parse --settings``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

import textkit
from textkit._compat import tomllib
from textkit.cli import main
from textkit.errors import SettingsError
from textkit.pdf import ExtractSettings
from textkit.settings import (
    AlignSettings,
    AllSettings,
    AttainmentSettings,
    AuditSettings,
    CounterpartSettings,
    ThemeSettings,
    bundled,
    resolve,
    resolve_as,
)

DATA = Path(textkit.__file__).parent / "data"
PDF = Path(__file__).parent.parent / "corpora" / "otaru_2nd_strategy.pdf"


def test_align_defaults_have_one_source():
    bundled = tomllib.loads((DATA / "align.toml").read_text(encoding="utf-8"))["align"]
    # every field but ``fitted`` (in-memory fitted weights, not a TOML key) has its default there
    names = {f.name for f in dataclasses.fields(AlignSettings)} - {"fitted"}
    assert set(bundled) == names
    for s in (AlignSettings(), resolve(None)):
        assert {n: getattr(s, n) for n in names} == bundled and s.fitted is None


def test_one_override_keeps_the_calibrated_values():
    s = AlignSettings(min_link=0.3)
    assert s == resolve({"min_link": 0.3})
    assert (s.min_link, s.w_concept, s.w_char, s.secondary_ratio) == (0.3, 1.0, 0.0, 0.2)


def test_extract_settings_are_checked_naming_every_bad_key():
    with pytest.raises(SettingsError, match=r"margin_band must be between 0 and 1.*min_edge must"):
        ExtractSettings(margin_band=1.5, min_edge=-1)
    with pytest.raises(SettingsError, match=r"unknown setting\(s\) margin; known: "):
        ExtractSettings.resolve({"margin": 0.1})
    with pytest.raises(SettingsError, match="heading_ratio must be a number"):
        ExtractSettings.resolve({"heading_ratio": "big"})


def test_one_toml_file_holds_both_sections(tmp_path):
    path = tmp_path / "my.toml"
    path.write_text("[align]\nmin_link = 0.3\n[extract]\nmargin_band = 0.05\n", encoding="utf-8")
    assert ExtractSettings.resolve(path).margin_band == 0.05
    assert resolve(path).min_link == 0.3
    only_align = tmp_path / "align_only.toml"
    only_align.write_text("[align]\nmin_link = 0.3\n", encoding="utf-8")
    assert ExtractSettings.resolve(only_align) == ExtractSettings()


@pytest.mark.skipif(not PDF.exists(), reason="corpora/otaru_2nd_strategy.pdf is not built")
def test_read_and_parse_take_extract_settings(tmp_path):
    default = textkit.read(PDF)
    # no header/footer band: the running headers and page numbers stay in the text
    kept_margins = textkit.read(PDF, settings={"margin_band": 0.0})
    assert len(kept_margins.text) > len(default.text)
    assert textkit.parse(PDF, settings={"margin_band": 0.09}) == textkit.parse(PDF)


def test_cli_takes_extract_settings_and_reports_bad_ones_in_one_line(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("# 基本目標1 しごとをつくる\n\n## 施策1 企業誘致の推進\n", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("[extract]\nmargin_band = 2\n", encoding="utf-8")
    for command in ("extract", "parse"):
        result = CliRunner().invoke(main, [command, str(doc), "--settings", str(bad)])
        assert result.exit_code == 2, result.output
        assert result.output.strip().splitlines() == [
            f"error: {bad}: bad extract settings: margin_band must be between 0 and 1, not 2"
        ]
    good = tmp_path / "good.toml"
    good.write_text("[extract]\nmargin_band = 0.05\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(doc), "--settings", str(good)])
    assert result.exit_code == 0 and "企業誘致の推進" in result.output


# ── the KPI audit, counterparts and themes: the same pattern as AlignSettings ───────────

KPI_CASES = Path(__file__).parent / "cases" / "kpi"
STAGE_SETTINGS = [
    (AuditSettings, "audit.toml"),
    (CounterpartSettings, "counterparts.toml"),
    (ThemeSettings, "theme_settings.toml"),
    (AttainmentSettings, "attainment.toml"),
]


@pytest.mark.parametrize(("cls", "file"), STAGE_SETTINGS, ids=lambda x: getattr(x, "__name__", x))
def test_stage_defaults_have_one_source(cls, file):
    bundled_values = tomllib.loads((DATA / file).read_text(encoding="utf-8"))[cls.section]
    assert set(bundled_values) == {f.name for f in dataclasses.fields(cls)}
    for s in (cls(), resolve_as(cls, None, cls.section), bundled(cls)):
        assert dataclasses.asdict(s) == bundled_values
    # one override keeps every other bundled value
    name = next(iter(bundled_values))
    one = resolve_as(cls, {name: bundled_values[name]}, cls.section)
    assert one == cls()


def test_audit_settings_name_every_bad_value_and_where_to_look(tmp_path):
    with pytest.raises(SettingsError) as err:
        AuditSettings(pair_threshold=1.5, scale_ratio=0.5, word_match="high")
    message = str(err.value)
    assert "pair_threshold must be between 0 and 1, not 1.5" in message
    assert "scale_ratio must be at least 1, not 0.5" in message
    assert "word_match must be a number ≥ 0, not 'high'" in message
    assert "textkit/data/audit.toml" in message and "\n" not in message
    with pytest.raises(SettingsError, match=r"unknown setting\(s\) threshold; known: .*pair_thr"):
        resolve_as(AuditSettings, {"threshold": 0.5}, "audit")


def _kpi_pair():
    from textkit.formats import read_kpis
    from textkit.sources import strategy_from_kpis

    old, new = "otaru_2nd_kpis.csv", "otaru_3rd_derived_kpis.csv"
    return (
        strategy_from_kpis(read_kpis(KPI_CASES / old), old),
        strategy_from_kpis(read_kpis(KPI_CASES / new), new),
    )


def test_audit_takes_settings_from_the_api_and_a_toml_file(tmp_path):
    old, new = _kpi_pair()

    def paired(audit):
        return sum(c.old_name != "" and c.new_name != "" for c in audit.changes)

    default = textkit.audit_kpis(old, new)
    assert textkit.audit_kpis(old, new, settings={"pair_threshold": 0.40}) == default
    strict = textkit.audit_kpis(old, new, settings={"pair_threshold": 0.95})
    assert 0 < paired(strict) < paired(default)  # the threshold is the one the matcher uses
    path = tmp_path / "my.toml"
    path.write_text("[align]\nmin_link = 0.3\n[audit]\npair_threshold = 0.95\n", encoding="utf-8")
    assert textkit.audit_kpis(old, new, settings=path) == strict


def test_kpis_compare_takes_settings_and_reports_bad_ones_in_one_line(tmp_path):
    old, new = (str(KPI_CASES / n) for n in ("otaru_2nd_kpis.csv", "otaru_3rd_derived_kpis.csv"))
    bad = tmp_path / "bad.toml"
    bad.write_text("[audit]\npair_threshold = 40\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["kpis-compare", old, new, "--settings", str(bad)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"error: {bad}: bad KPI audit settings (see textkit/data/audit.toml")
    assert line.endswith("pair_threshold must be between 0 and 1, not 40")
    good = tmp_path / "good.toml"
    good.write_text("[audit]\npair_threshold = 0.95\n", encoding="utf-8")
    strict = CliRunner().invoke(main, ["kpis-compare", old, new, "--settings", str(good)])
    default = CliRunner().invoke(main, ["kpis-compare", old, new])
    assert strict.exit_code == default.exit_code == 0
    assert strict.output.count(",dropped,") > default.output.count(",dropped,")


def test_report_takes_align_and_audit_settings_from_one_file(tmp_path):
    """``textkit report --settings`` applies the file's [align] and [audit] tables, as ``align``
    and ``kpis-compare`` do with the same file."""
    import openpyxl

    old = str(Path(__file__).parent.parent / "corpora" / "otaru_2nd_strategy.md")
    new = str(Path(__file__).parent.parent / "corpora" / "synthetic" / "otaru_3rd_measures.csv")
    kpis = str(Path(old).parent / "synthetic" / "otaru_3rd_kpis.csv")

    def sheets(settings: Path | None, name: str) -> tuple[int, int]:
        out = tmp_path / f"{name}.xlsx"
        args = ["report", old, new, "--xlsx", str(out), "--new-kpis", kpis]
        args += ["--mappings", str(tmp_path / name)]
        result = CliRunner().invoke(
            main, [*args, *(["--settings", str(settings)] if settings else [])]
        )
        assert result.exit_code == 0, result.output
        wb = openpyxl.load_workbook(out)
        links = sum(1 for r in wb["対応表"].iter_rows(min_row=2, values_only=True) if r[0] and r[2])
        dropped = sum(
            1 for r in wb["KPI監査"].iter_rows(min_row=2, values_only=True) if r[0] == "廃止"
        )
        return links, dropped

    strict = tmp_path / "strict.toml"
    strict.write_text("[align]\nmin_link = 0.9\n[audit]\npair_threshold = 0.95\n", encoding="utf-8")
    default_links, default_dropped = sheets(None, "default")
    strict_links, strict_dropped = sheets(strict, "strict")
    assert strict_links < default_links and strict_dropped > default_dropped
    bad = tmp_path / "bad.toml"
    bad.write_text("[audit]\nunit_unknown = -1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", old, new, "--xlsx", str(tmp_path / "x.xlsx"),
                                       "--settings", str(bad)])  # fmt: skip
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "unit_unknown must be a number ≥ 0, not -1" in result.output
    assert not (tmp_path / "x.xlsx").exists()  # refused before any work


def test_a_misspelled_settings_table_is_refused_naming_the_known_ones(tmp_path):
    """A typo in a table name ([alin]) used to be ignored silently (rc 0, defaults used); the
    tables of other commands stay allowed, so one file can serve every command."""
    align_cases = Path(__file__).parent / "cases" / "align" / "kitahama"
    typo = tmp_path / "typo.toml"
    typo.write_text("[alin]\nmin_link = 0.9\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"unknown settings table\(s\) \[alin\]; known: "):
        resolve(typo)
    args = ["align", str(align_cases / "old.csv"), str(align_cases / "new.csv")]
    result = CliRunner().invoke(main, [*args, "--settings", str(typo)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert "[alin]" in line
    assert "[align], [audit], [counterparts], [themes], [attainment], [extract]" in line
    shared = tmp_path / "shared.toml"
    shared.write_text(
        "[align]\nmin_link = 0.3\n[extract]\nmargin_band = 0.1\n[themes]\n[counterparts]\n",
        encoding="utf-8",
    )
    assert resolve(shared).min_link == 0.3
    assert ExtractSettings.resolve(shared).margin_band == 0.1
    old, new = (str(KPI_CASES / n) for n in ("otaru_2nd_kpis.csv", "otaru_3rd_derived_kpis.csv"))
    for path in (shared, typo):
        kpis = CliRunner().invoke(main, ["kpis-compare", old, new, "--settings", str(path)])
        assert kpis.exit_code == (0 if path == shared else 2), kpis.output


# ── attainment and the corpus build (session 3) ─────────────────────────────

ATTAINMENT_HELD = Path(__file__).parent / "cases" / "attainment_heldout"


def test_attainment_settings_name_every_bad_value_and_where_to_look():
    with pytest.raises(SettingsError) as err:
        AttainmentSettings(stated_tolerance=5, anagram_min_chars=2.5, rival_tie_margin=-1)
    message = str(err.value)
    assert "stated_tolerance must be between 0 and 1, not 5" in message
    assert "anagram_min_chars must be a whole number ≥ 1, not 2.5" in message
    assert "rival_tie_margin must be a number ≥ 0, not -1" in message
    assert "textkit/data/attainment.toml" in message and "\n" not in message


def _aoba(settings=None) -> dict[str, tuple[str, float | None]]:
    """aoba's 観光客入込数 ↔ 観光入込客数 (same characters reordered) scores the anagram evidence."""
    table = textkit.attainment(
        ATTAINMENT_HELD / "aoba_kpis.csv", ATTAINMENT_HELD / "aoba_results.csv", settings=settings
    )
    return {r.name: (r.result_name, r.match_score) for r in table.rows}


def test_attainment_takes_settings_from_the_api_and_a_toml_file(tmp_path):
    default = _aoba()
    assert default["観光入込客数"] == ("観光客入込数", 0.901)  # anagram_score 0.9 (+ 0.001)
    assert _aoba({"anagram_score": 0.9}) == default
    off = _aoba(AttainmentSettings(anagram_min_chars=50))  # no name is that long: no anagrams
    name, score = off["観光入込客数"]
    assert name == "観光客入込数" and score is not None and score < 0.9  # paired by meaning alone
    assert {k: n for k, (n, _) in off.items()} == {k: n for k, (n, _) in default.items()}
    path = tmp_path / "my.toml"
    path.write_text("[attainment]\nanagram_score = 0.95\n", encoding="utf-8")
    assert _aoba(path)["観光入込客数"] == ("観光客入込数", 0.951)
    # the file's [audit] table is the matcher that pairs names
    path.write_text("[audit]\npair_threshold = 0.95\n", encoding="utf-8")
    strict = _aoba(path)  # identical names reach it; the anagram's 0.9 does not
    assert strict["観光入込客数"] == ("", None)
    assert 0 < sum(bool(n) for n, _ in strict.values()) < sum(bool(n) for n, _ in default.values())


def test_attainment_cli_takes_settings_and_reports_bad_ones_in_one_line(tmp_path):
    kpis, results = (str(ATTAINMENT_HELD / n) for n in ("aoba_kpis.csv", "aoba_results.csv"))
    bad = tmp_path / "bad.toml"
    bad.write_text("[attainment]\nanagram_score = 9\n", encoding="utf-8")
    out = tmp_path / "a.csv"
    result = CliRunner().invoke(
        main, ["attainment", kpis, results, "-o", str(out), "--settings", str(bad)]
    )
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"error: {bad}: bad attainment settings (see textkit/data/attainment")
    assert line.endswith("anagram_score must be between 0 and 1, not 9") and not out.exists()
    good = tmp_path / "good.toml"
    good.write_text("[attainment]\nanagram_score = 0.95\n", encoding="utf-8")
    mine = CliRunner().invoke(main, ["attainment", kpis, results, "--settings", str(good)])
    default = CliRunner().invoke(main, ["attainment", kpis, results])
    assert mine.exit_code == default.exit_code == 0
    assert (
        ",0.901," in default.output and ",0.951," in mine.output and ",0.951," not in default.output
    )


def test_all_settings_resolve_every_table_of_one_file(tmp_path):
    stages = (AuditSettings, CounterpartSettings, ThemeSettings, AttainmentSettings)
    assert AllSettings.resolve(None) == AllSettings(resolve(), *(bundled(c) for c in stages))
    path = tmp_path / "all.toml"
    path.write_text(
        "[align]\nmin_link = 0.3\n[audit]\npair_threshold = 0.5\n[counterparts]\n"
        "matched_terms = 2\n[themes]\nmax_clusters = 3\n[attainment]\nanagram_score = 0.8\n",
        encoding="utf-8",
    )
    s = AllSettings.resolve(path)
    assert (s.align.min_link, s.audit.pair_threshold, s.counterparts.matched_terms) == (0.3, 0.5, 2)
    assert (s.themes.max_clusters, s.attainment.anagram_score) == (3, 0.8)
    assert AllSettings.resolve(s) is s
    with pytest.raises(SettingsError, match="not dict"):
        AllSettings.resolve({"min_link": 0.3})  # type: ignore[arg-type]
