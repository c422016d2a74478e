"""A file that holds several documents (copies of one strategy, two editions bound together) is
named as such — Strategy.warnings, a warning on stderr and the summary line — instead of being
silently merged; one strategy with an overview list, a 続き heading or a KPI appendix is not."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from textkit.errors import TextkitWarning
from textkit.sources import parse
from textkit.structure import SEVERAL_DOCUMENTS, summary

from .conftest import CORPORA, OTARU_MD, OTARU_PDF, TOMAKOMAI_PDF

CASES = Path(__file__).parent / "cases" / "several_documents"


def _several(strategy) -> list[str]:
    return [w for w in strategy.warnings if w.startswith(SEVERAL_DOCUMENTS)]


def _parse_quietly(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextkitWarning)
        return parse(path)


def test_two_copies_of_a_pdf_are_named_with_their_pages(tmp_path):
    import pypdfium2

    from textkit.pdf import pin_fonts

    pin_fonts()
    both = pypdfium2.PdfDocument.new()
    for _ in range(2):
        src = pypdfium2.PdfDocument(str(OTARU_PDF))
        both.import_pages(src)
        src.close()
    path = tmp_path / "otaru_twice.pdf"
    both.save(str(path))
    both.close()
    with pytest.warns(TextkitWarning, match="seems to hold 2 documents"):
        s = parse(path)
    (w,) = _several(s)
    assert w.startswith("the file seems to hold 2 documents (pages 1–29, 30–58): ")
    assert "starts again once, with the same goal titles" in w
    assert "split the file" in w
    assert summary(s).endswith("; the file seems to hold 2 documents (see the warning)")


@pytest.mark.skipif(
    not (CORPORA / "otaru_2nd_strategy_x10.pdf").exists(), reason="x10 PDF not bundled"
)
def test_ten_copies():
    (w,) = _several(_parse_quietly(CORPORA / "otaru_2nd_strategy_x10.pdf"))
    assert w.startswith(
        "the file seems to hold 10 documents (pages 1–29, 30–58, 59–87, 88–116, …, 262–290): "
        "the goal numbering starts again 9 times, with the same goal titles"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "two_editions_bound.txt",
            "the file seems to hold 2 documents (the second begins at 「稼ぐ力を高め、誰もが働け"
            "るまちをつくる」): the goal numbering starts again once;",
        ),
        (
            "shisaku_straight_twice.md",
            "the file seems to hold 2 documents (the second begins at 「地域の仕事をつくる」): the "
            "goal numbering starts again once, with the same goal titles;",
        ),
    ],
)
def test_text_cases(name, expected):
    (w,) = _several(_parse_quietly(CASES / name))
    assert w.startswith(expected)


@pytest.mark.parametrize(
    "path",
    [
        CASES / "kpi_appendix.txt",  # a KPI一覧 repeating every heading in a few lines
        OTARU_MD,  # an overview list of the 4 goals before the body
        TOMAKOMAI_PDF,
        CORPORA / "zoo" / "f_slides_continued.pdf",  # 基本目標1 …(続き) after an overview 1, 3, 2
    ],
    ids=lambda p: p.name,
)
def test_one_document_is_not_named(path):
    s = _parse_quietly(path)
    assert _several(s) == []
    assert "seems to hold" not in summary(s)
