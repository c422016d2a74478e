"""The main job on the bundled corpus (``make demo``): read every document listed in
``corpora/index.csv`` and write what each stage produces under ``mappings/`` and ``reports/``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .tables import read_rows, write_text

Progress = Callable[[str], None]


def corpus_documents(root: Path) -> list[dict[str, str]]:
    """Rows of ``corpora/index.csv`` (formats §5) with ``path`` made absolute."""
    rows = read_rows(root / "corpora" / "index.csv")
    for row in rows:
        row["path"] = str(root / "corpora" / row["path"])
    return rows


def run_demo(root: Path, progress: Progress = print) -> list[Path]:
    from .extract import read

    written: list[Path] = []
    out_dir = root / "reports" / "text"
    for row in corpus_documents(root):
        path = Path(row["path"])
        if row.get("kind") == "measures":
            continue
        progress(f"reading {path.name}")
        doc = read(path)
        target = out_dir / (path.name + ".txt")
        write_text(target, "\n".join(f"--- page {p.number} ---\n{p.text}" for p in doc.pages))
        written.append(target)
    return written
