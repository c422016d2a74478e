"""The layout batches' specs (scripts/zoo) against what is committed in corpora/zoo…: every
document a spec names has its PDF and source (and no PDF is left without a spec), and the gold a
spec writes from its plan is the committed gold, byte for byte — so a spec edited without
re-running ``make zoo…`` (or a gold edited by hand) is caught without LibreOffice."""

from __future__ import annotations

import importlib
import json

import pytest

from scripts.make_zoo import BATCHES
from scripts.zoo import kit

from .conftest import ROOT


def spec(target: str):
    return importlib.import_module(f"scripts.zoo.{BATCHES[target]}")


@pytest.mark.parametrize("target", list(BATCHES))
def test_every_document_of_a_spec_is_committed(target):
    module = spec(target)
    out = module.BATCH.out
    assert out == ROOT / "corpora" / target
    pdfs = {p.stem for p in out.glob("*.pdf")}
    assert pdfs == set(module.DOCS)
    for name in module.DOCS:
        assert (out / f"{name}.gold.json").is_file(), name


def plan_gold_batches():
    for target in BATCHES:
        module = spec(target)
        for name, doc in module.DOCS.items():
            if doc.gold is not None:
                yield pytest.param(module, name, id=f"{target}/{name}")


@pytest.mark.parametrize(("module", "name"), list(plan_gold_batches()))
def test_gold_written_from_the_plan_is_the_committed_gold(module, name, tmp_path):
    out = module.BATCH.out
    sources = list((out / "src").glob(f"{name}.*"))
    assert len(sources) == 1, sources
    path = tmp_path / "gold.json"
    kit.write_json(path, module.DOCS[name].gold(name, sources[0]))
    committed = out / f"{name}.gold.json"
    assert path.read_bytes() == committed.read_bytes()
    assert json.loads(path.read_text(encoding="utf-8"))["document"] == f"{name}.pdf"


def test_plan_values():
    assert kit.value("2,300人") == (2300.0, "人")
    assert kit.value("46.0%") == (46.0, "%")
    assert kit.value("-") is None
