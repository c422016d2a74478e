"""Align at scale: 5,000 × 5,000 synthetic measures, this tree against an earlier revision.

    .venv/bin/python -m scripts.bench_scale                 # against main's parent of this work
    .venv/bin/python -m scripts.bench_scale --before REV --rounds 2 -n 5000

The synthetic measure tables (``scripts.bench_align.synthetic``) are written once as measure
tables (formats §1); each tree aligns them in a fresh process (``git archive REV`` unpacked into a
temporary folder for the earlier revision, this working tree for "after"), after a small warm-up
pair so that library imports and the word-vector table are not counted, and writes its map
(formats §3 + rule + signals). Rounds alternate before/after so both see the same load. The two
maps must be identical in every column; the optional per-link ``signals`` column (scores rounded
to 3 decimals, for explanation) may differ by one unit of the last decimal where float32 sums
in another order cross a rounding boundary — counted and reported, never hidden.

Prints the rows of the Scale table of reports/bench_align.md (``scripts.bench_align`` calls
``scale_section``). Exits 1 when the maps differ.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The revision the scale figures are compared with by default: main before the speed work of
# #15/#18 on semantic scoring (what reports/bench_align.md measured at 29.6 s / 783 MB).
DEFAULT_BEFORE = "10326ff"
SIGNAL_TOLERANCE = 0.0011  # one unit of the 3rd decimal (+ float noise)

# Run in a fresh interpreter with the tree under test first on sys.path: warm up, then align the
# two tables, print seconds and peak RSS as JSON, write the map.
_CHILD = r"""
import json, resource, sys, time
root, old_csv, new_csv, out = sys.argv[1:5]
sys.path.insert(0, root)
import textkit
assert textkit.__file__.startswith(root), textkit.__file__
from textkit.continuity import align_strategies
from textkit.formats import read_measures, write_map
from textkit.models import Measure, Strategy
warm = [Measure(id=f"W{k}", title=t, goal="基本目標1", text=t + "を進めます。")
        for k, t in enumerate(("観光の振興", "子育て支援", "移住の促進"))]
align_strategies(Strategy("a", measures=tuple(warm)), Strategy("b", measures=tuple(warm[::-1])),
                 use_stated=False)
old, new = read_measures(old_csv), read_measures(new_csv)
t0 = time.perf_counter()
cmap = align_strategies(old, new, use_stated=False)
seconds = time.perf_counter() - t0
write_map(cmap, out)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": len(cmap.links)}))
"""


@dataclass(frozen=True)
class Run:
    label: str
    seconds: float
    peak_mb: float
    rows: int
    map_path: Path


def unpack(rev: str, into: Path) -> Path:
    """The tree of ``rev`` (git archive), unpacked under ``into``."""
    archive = into / "tree.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev], stdout=fh, check=True)
    tree = into / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def run_tree(label: str, tree: Path, old_csv: Path, new_csv: Path, out: Path) -> Run:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tree), str(old_csv), str(new_csv), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(label, figures["seconds"], figures["peak_mb"], figures["rows"], out)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def compare_maps(before: Path, after: Path) -> tuple[bool, int]:
    """(identical apart from signals rounding, rows whose signals differ within tolerance)."""
    a, b = _rows(before), _rows(after)
    if len(a) != len(b):
        return False, 0
    rounding = 0
    for x, y in zip(a, b, strict=True):
        if {k: v for k, v in x.items() if k != "signals"} != {
            k: v for k, v in y.items() if k != "signals"
        }:
            return False, 0
        if x.get("signals") != y.get("signals"):
            sx = dict(p.split("=") for p in x["signals"].split())
            sy = dict(p.split("=") for p in y["signals"].split())
            if sx.keys() != sy.keys() or any(
                abs(float(sx[n]) - float(sy[n])) > SIGNAL_TOLERANCE for n in sx
            ):
                return False, 0
            rounding += 1
    return True, rounding


def measure(n: int, before_rev: str, rounds: int) -> tuple[list[Run], list[Run], bool, int]:
    from scripts.bench_align import synthetic
    from textkit.formats import write_measures

    with tempfile.TemporaryDirectory(prefix="bench_scale.") as tmp:
        work = Path(tmp)
        old_csv, new_csv = work / "old.csv", work / "new.csv"
        write_measures(synthetic(n, 1, "O").measures, old_csv)
        write_measures(synthetic(n, 2, "N").measures, new_csv)
        tree = unpack(before_rev, work)
        before: list[Run] = []
        after: list[Run] = []
        for r in range(rounds):
            before.append(run_tree("before", tree, old_csv, new_csv, work / f"before{r}.csv"))
            after.append(run_tree("after", ROOT, old_csv, new_csv, work / f"after{r}.csv"))
        same, rounding = compare_maps(before[0].map_path, after[0].map_path)
        for run in before[1:] + after[1:]:
            same = same and compare_maps(before[0].map_path, run.map_path)[0]
    return before, after, same, rounding


def scale_section(n: int = 5000, before_rev: str = DEFAULT_BEFORE, rounds: int = 2) -> list[str]:
    """Markdown lines of the Scale section (one run of this function = the figures)."""
    before, after, same, rounding = measure(n, before_rev, rounds)

    def cell(runs: list[Run]) -> str:
        t = statistics.median(r.seconds for r in runs)
        m = statistics.median(r.peak_mb for r in runs)
        each = ", ".join(f"{r.seconds:.1f}" for r in runs)
        return f"{t:.1f} s ({each}) | {m:.0f} MB"

    tb = statistics.median(r.seconds for r in before)
    ta = statistics.median(r.seconds for r in after)
    mb = statistics.median(r.peak_mb for r in before)
    ma = statistics.median(r.peak_mb for r in after)
    verdict = (
        "identical"
        + (f" (signals column: {rounding} rows differ by 0.001 in rounding)" if rounding else "")
        if same
        else "**DIFFERENT**"
    )
    return [
        f"{n:,} × {n:,} synthetic measures (`python -m scripts.bench_scale`), each tree in a fresh "
        f"process after a warm-up pair, {len(before)} alternating rounds (median; each round in "
        "brackets), on the shared 2-core machine.",
        "",
        "| tree | time | peak RSS | map rows |",
        "| --- | --- | --- | --- |",
        f"| before ({before_rev}) | {cell(before)} | {before[0].rows:,} |",
        f"| after (this tree) | {cell(after)} | {after[0].rows:,} |",
        "",
        f"Ratio after/before: time {ta / tb:.2f}×, peak memory {ma / mb:.2f}×. Maps: {verdict}.",
    ]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5000)
    ap.add_argument("--before", default=DEFAULT_BEFORE)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    lines = scale_section(args.n, args.before, args.rounds)
    print("\n".join(lines))
    return 0 if "DIFFERENT" not in lines[-1] else 1


if __name__ == "__main__":
    sys.exit(main())
