"""Build a layout batch: ``python -m scripts.make_zoo zoo5 [document …]`` (``make zoo5``).

The batches are the spec modules of ``scripts/zoo/`` (``zoo1.py`` is ``corpora/zoo``, ``zoo2.py`` …
``corpora/zoo2`` …): each names its folder and documents, and holds their text and layout; building,
LibreOffice conversion, fonts and gold writing are ``scripts/zoo/kit.py``. Not part of ``make
test``: needs LibreOffice, the IPAex fonts and the zoo extras (``pyproject.toml``), installed into
``.venv-zoo`` by the Makefile.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.zoo import kit

# make target / folder → spec module
BATCHES = {
    "zoo": "zoo1",
    **{f"zoo{n}": f"zoo{n}" for n in range(2, 11)},
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BATCHES:
        print(f"usage: make_zoo.py {{{','.join(BATCHES)}}} [document …]", file=sys.stderr)
        return 2
    spec = importlib.import_module(f"scripts.zoo.{BATCHES[argv[0]]}")
    return kit.run_batch(spec.BATCH, spec.DOCS, argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
