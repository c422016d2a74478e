"""PDF → ``Document``: the only module that imports pypdfium2 and pdfplumber.

First version: pdfplumber for every page with overprint removal; faithful but slow.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import normalize
from .errors import EmptyDocumentError, ExtractionError
from .models import Block, Document, Page

_CID = re.compile(r"\(cid:\d+\)")


def open_checked(path: str | Path):
    """Open with pypdfium2 to classify damage and encryption before any slow parsing."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise ExtractionError(
                "the PDF is password-protected (encrypted); ask the publisher for an "
                "unprotected copy or remove the password, then try again",
                path=str(path),
            ) from None
        raise ExtractionError(
            "the PDF is damaged or incomplete and cannot be opened; download or export it again",
            path=str(path),
        ) from None


def read_pdf(path: str | Path) -> Document:
    import pdfplumber

    pdf_doc = open_checked(path)
    n_pages = len(pdf_doc)
    pdf_doc.close()
    if n_pages == 0:
        raise EmptyDocumentError("the PDF has no pages", path=str(path))
    pages: list[Page] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                text = page.dedupe_chars(tolerance=2).extract_text() or ""
                if _CID.search(text):
                    raise ExtractionError(
                        f"page {number} uses a font without a Unicode map, so its text cannot be "
                        "read; export the PDF again with fonts embedded, or OCR it",
                        path=str(path),
                    )
                lines = [normalize.normalize_line(x) for x in text.split("\n")]
                lines = normalize.join_vertical_runs(lines)
                blocks = tuple(Block(text=x, page=number) for x in lines if x.strip())
                pages.append(
                    Page(number=number, blocks=blocks, width=page.width, height=page.height)
                )
    except ExtractionError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise ExtractionError(
            f"the PDF could not be read ({type(exc).__name__}); it may be damaged; "
            "download or export it again",
            path=str(path),
        ) from None
    if not any(p.blocks for p in pages):
        raise ExtractionError(
            "the PDF has no text layer (it looks scanned); run OCR on it first "
            "(for example ocrmypdf -l jpn) and try again",
            path=str(path),
        )
    return Document(path=str(path), kind="pdf", pages=tuple(pages))
