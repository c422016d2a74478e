"""Size limits of textkit's readers: one home, each with why it is what it is (README "Limits").

Inputs beyond a limit are refused with a one-line ``TextkitError`` that names the limit, never read
until memory runs out. The figures are far above any strategy document (a 総合戦略 has 10–300
measures and 30–150 pages) and below what this machine class (a few GB free) can hold.
"""

from __future__ import annotations

# An .xlsx is a zip: its members are checked before any is unpacked. 256 MB of sheet XML is about
# 500,000 rows of a measure table with long descriptions; a zip bomb (8 MB on disk → 8 GB) is
# refused before it grows memory.
MAX_WORKBOOK_UNPACKED = 256 * 1024 * 1024
# One CSV cell: the csv module's default limit (131,072 characters) is below what textkit itself
# writes for a long Markdown document's text column; ten million characters is a whole book.
MAX_CELL_CHARS = 10_000_000
# Measures on either side of one alignment (align, report, kpis-compare's measure map). Measured
# with synthetic tables on this machine class: 10,000 × 10,000 measures take 116 s and 0.9 GB
# (scripts: see README "Limits"); a 1,000,000-row table ran 5 minutes at 4.9 GB before this
# limit and would need hours. A strategy has 10–300 measures; many documents are compared with
# ``textkit compare`` / ``textkit corpus build``, which scale by blocks instead.
MAX_ALIGN_MEASURES = 10_000
