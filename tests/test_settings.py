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
from textkit.settings import AlignSettings, resolve

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
