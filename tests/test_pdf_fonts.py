"""What textkit reads from a PDF with non-embedded fonts does not depend on the machine's fonts.

PDFium draws a font the PDF does not embed with a font of the machine's and measures glyph boxes
on it. Each case runs the reader in a fresh process whose PDFium was first set up as a machine with
no fonts at all, or with a CJK font (IPAex Gothic), and compares what was read. A control run
without ``textkit.pdf.pin_fonts`` shows that the fixture does lose text on a machine without CJK
fonts (one-character text objects vanish: the label 企/業/誘/致), so the cases can fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from .conftest import TOMAKOMAI_PDF, draw_ruled_table

# A child process: set PDFium up as a machine whose only fonts are in FOLDER (what pypdfium2
# does at import, with other font paths), then read the PDF with textkit, pinning or not.
_CHILD = """
import json, sys
import pypdfium2  # its import initialises PDFium with the machine's font paths

folder, mode, pdf = sys.argv[1:4]
import textkit.pdf as reader
_machine_fonts = reader.init_pdfium_fonts(folder)
if mode == "unpinned":
    reader._font_paths = "left as the machine set it up"
doc = reader.read_pdf(pdf)
print(json.dumps([[b.page, b.kind, b.text, [list(r) for r in b.rows]] for b in doc.blocks],
                 ensure_ascii=False))
"""


def _ipaex_folder() -> Path:
    spec = find_spec("japanize_matplotlib")  # not imported: it imports matplotlib
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "fonts"


def _read(pdf: Path, fonts: Path, mode: str = "pinned") -> list:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(fonts), mode, str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)


def write_non_embedded_pdf(path: Path) -> Path:
    """Two pages in the two non-embedded CID fonts reportlab knows (a ゴシック and a 明朝, as
    ＭＳ ゴシック / ＭＳ 明朝 are in municipal PDFs): a ruled KPI table, a vertical label drawn
    one character per text object, and a paragraph."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for font in ("HeiseiKakuGo-W5", "HeiseiMin-W3"):
        pdfmetrics.registerFont(UnicodeCIDFont(font))
        c.setFont(font, 10)
        for k, ch in enumerate("企業誘致"):
            c.drawString(40, 760 - 12 * k, ch)
        c.drawString(70, 760, "基本目標1 しごとをつくり、安心して働けるようにする")
        c.drawString(70, 745, "市内企業の人材確保を支援し、若者の地元就職を促進します。")
        columns, top = (70, 300, 420, 540), 700
        rows = [("指標", "基準値", "目標値")] + [
            (f"指標{n}", f"{n}件", f"{n + 1}件") for n in range(3)
        ]
        draw_ruled_table(c, columns, top, rows)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def non_embedded_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_non_embedded_pdf(tmp_path_factory.mktemp("fonts") / "non_embedded.pdf")


def test_text_is_the_same_with_and_without_cjk_fonts(non_embedded_pdf: Path, tmp_path: Path):
    no_fonts = tmp_path / "no-fonts"
    no_fonts.mkdir()
    without = _read(non_embedded_pdf, no_fonts)
    with_cjk = _read(non_embedded_pdf, _ipaex_folder())
    assert without == with_cjk
    for page in (1, 2):
        blocks = [b for b in without if b[0] == page]
        tables = [b for b in blocks if b[1] == "table"]
        assert len(tables) == 1
        assert tables[0][3] == [["指標", "基準値", "目標値"]] + [
            [f"指標{n}", f"{n}件", f"{n + 1}件"] for n in range(3)
        ]
        text = "\n".join(b[2] for b in blocks)
        assert "企業誘致" in text
        assert "市内企業の人材確保を支援し、若者の地元就職を促進します。" in text


def test_without_pinned_fonts_a_machine_without_cjk_fonts_loses_text(
    non_embedded_pdf: Path, tmp_path: Path
):
    """The control: the reason for ``pin_fonts``. If PDFium stops losing these characters this
    fails, and pinning may be reconsidered."""
    no_fonts = tmp_path / "no-fonts"
    no_fonts.mkdir()
    unpinned = _read(non_embedded_pdf, no_fonts, mode="unpinned")
    assert unpinned != _read(non_embedded_pdf, no_fonts)
    assert "企業誘致" not in "\n".join(b[2] for b in unpinned)  # one-character objects vanish


def test_pinning_leaves_documents_another_part_of_the_process_has_open() -> None:
    """Re-initialising PDFium would close them: textkit then refuses, with a warning."""
    code = (
        "import warnings, pypdfium2 as pdfium, textkit.pdf as reader\n"
        f"doc = pdfium.PdfDocument({str(TOMAKOMAI_PDF)!r})\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    pinned = reader.pin_fonts()\n"
        "print(pinned, len(doc), [str(w.message).split(':')[0] for w in caught])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == (
        'False 9 ["textkit could not pin PDFium\'s fonts (pypdfium2 documents are open)"]'
    )
