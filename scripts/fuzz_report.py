"""Fuzz report: damaged copies of the bundled inputs through textkit's readers → reports/fuzz.md.

Usage: python scripts/fuzz_report.py [--pdf N] [--tables N] [--seed S] [--out reports/fuzz.md]

Each family (tests/fuzz_harness.py) is tried N times from one seed; a case is *handled* when the
reader gives the full result, a result with warnings, or a one-line TextkitError, and *failed*
when it is silent about lost measures or text, raises anything else, or runs past the time limit.
The suite (tests/test_fuzz.py) runs a smaller sample of the same families on every ``make test``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fuzz_harness as fh  # noqa: E402


def run(pdf_n: int, table_n: int, seed: int) -> list[fh.Outcome]:
    from textkit.formats import read_kpis

    try:
        from textkit.sources import parse
    except ImportError:  # textkit before the sources module (for a before/after run)
        from textkit import parse  # type: ignore[no-redef]

    outcomes: list[fh.Outcome] = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for source in (fh.OTARU_PDF, fh.DECK_PDF):
            base = fh.baseline_of(parse(source))
            for family, case, path in fh.pdf_cases(source, pdf_n, seed, tmp):
                outcomes.append(fh.outcome(family, case, lambda p=path: parse(p), base))
                path.unlink()
        base = fh.baseline_of(parse(fh.MEASURES_CSV))
        for family, case, path, expect in fh.table_cases(fh.MEASURES_CSV, table_n, seed, tmp):
            outcomes.append(fh.outcome(family, case, lambda p=path: parse(p), base, expect))
        base = fh.baseline_of(read_kpis(fh.KPIS_CSV))
        for family, case, path, expect in fh.table_cases(fh.KPIS_CSV, table_n, seed + 1, tmp):
            outcomes.append(
                fh.outcome("kpi " + family, case, lambda p=path: read_kpis(p), base, expect)
            )
        for family, case, path, expect in fh.special_cases(tmp):
            outcomes.append(fh.outcome(family, case, lambda p=path: parse(p), None, expect))
    return outcomes


def table(outcomes: list[fh.Outcome]) -> str:
    by: dict[str, list[fh.Outcome]] = defaultdict(list)
    for o in outcomes:
        by[o.family].append(o)
    lines = [
        "| family | tried | handled | failed | full / warned / refused | failures |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for family in sorted(by):
        os_ = by[family]
        ok = [o for o in os_ if o.ok]
        bad = [o for o in os_ if not o.ok]
        kinds = "/".join(str(sum(o.kind == k for o in os_)) for k in fh.OK)
        why = "; ".join(sorted({f"{o.kind}: {o.detail[:70]}" for o in bad}))[:300]
        lines.append(f"| {family} | {len(os_)} | {len(ok)} | {len(bad)} | {kinds} | {why} |")
    total_ok = sum(o.ok for o in outcomes)
    lines.append(f"| **all** | {len(outcomes)} | {total_ok} | {len(outcomes) - total_ok} | | |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdf", type=int, default=60, help="damaged copies per PDF")
    ap.add_argument("--tables", type=int, default=60, help="damaged copies per table")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    start = time.perf_counter()
    outcomes = run(args.pdf, args.tables, args.seed)
    text = table(outcomes)
    print(text)
    print(f"\n{len(outcomes)} cases in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
