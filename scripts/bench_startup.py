"""Start-up time of the CLI: ``textkit --help`` and ``textkit parse`` on a two-row measure table,
against a bare ``python -c pass`` in the same run (best of N, so load on the machine shows less).
Writes reports/bench_startup.md.

    .venv/bin/python -m scripts.bench_startup [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "bench_startup.md"


def best_of(args: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args(argv)
    cli = [sys.executable, "-m", "textkit"]
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "m.csv"
        table.write_text("id,title\nM1,観光の振興\nM2,企業誘致の推進\n", encoding="utf-8")
        rows = [
            ("python -c pass", best_of([sys.executable, "-c", "pass"], args.runs)),
            ("import textkit", best_of([sys.executable, "-c", "import textkit"], args.runs)),
            ("textkit --help", best_of([*cli, "--help"], args.runs)),
            ("textkit parse (2-row CSV)", best_of([*cli, "parse", str(table)], args.runs)),
        ]
    base = rows[0][1]
    lines = [
        "# Start-up (scripts/bench_startup.py)",
        "",
        f"Best of {args.runs} runs each, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end.",
        "",
        "| command | seconds | × python -c pass |",
        "| --- | ---: | ---: |",
        *[f"| `{name}` | {t:.3f} | {t / base:.1f} |" for name, t in rows],
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
