"""Where the time of ``corpus build`` goes, one worker against two Dask worker processes.

In: ``--docs`` copies of the rendered Otaru 第2期 PDF (29 pages, 12 measures; each copy gets a
different trailing PDF comment so that every file hashes differently). With ``--editions`` the
copies are two editions (2 and 3) of ``docs / 2`` cities, so that the build also aligns and audits
``docs / 2`` edition pairs. Out: per run the wall time of every step in the main process
(``BuildSummary.timings``), the summed time inside the file tasks (``BuildSummary.tasks``: set-up
= imports + SudachiPy dictionary, parse, tokens, cache write; bytes returned), each worker's busy
time against the parallel step's wall time, and for the run on a separately started cluster the
scheduler's task stream (compute / transfer / deserialise per task, from
``distributed.Client.get_task_stream``). Printed as Markdown, and with ``--out`` appended to
reports/bench_corpus_build.md (the summary table of where the time goes is in
reports/bench_corpus.md, written by hand from these runs).

    .venv/bin/python -m scripts.bench_corpus_build [--docs 40] [--editions] [--out]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "corpora" / "otaru_2nd_strategy.pdf"


def make_corpus(folder: Path, docs: int, editions: bool) -> Path:
    src = PDF.read_bytes()
    rows = ["path,city,edition,period_start,period_end,kind,source"]
    for i in range(docs):
        (folder / f"doc{i}.pdf").write_bytes(src + f"\n% bench copy {i}\n".encode())
        city, edition = (f"市{i // 2}", 2 + i % 2) if editions else (f"市{i}", 2)
        start = 2020 + 5 * (edition - 2)
        rows.append(f"doc{i}.pdf,{city},{edition},{start},{start + 4},pdf,bench copy")
    (folder / "index.csv").write_text("\n".join(rows) + "\n", "utf-8")
    return folder / "index.csv"


def run(index: Path, cache: Path, **kw) -> tuple[float, object]:
    from textkit.corpus import build_corpus

    t = time.perf_counter()
    s = build_corpus(index, db=index.parent / "c.duckdb", cache_dir=cache, **kw)
    return time.perf_counter() - t, s


def task_stream_summary(stream: list[dict]) -> dict[str, float]:
    """Seconds per action (compute, transfer, deserialize, …) summed over the task stream."""
    out: dict[str, float] = defaultdict(float)
    for task in stream:
        for ss in task.get("startstops", ()):
            out[ss["action"]] += ss["stop"] - ss["start"]
    return dict(out)


def on_own_cluster(index: Path, cache: Path) -> tuple[float, object, dict, float]:
    """A build against a LocalCluster started beforehand (``--scheduler``), with the task stream."""
    from dask.distributed import Client, LocalCluster, get_task_stream

    t = time.perf_counter()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(2)
        started = time.perf_counter() - t
        with get_task_stream(client) as ts:
            wall, s = run(index, cache, scheduler=cluster.scheduler_address)
        stream = task_stream_summary(ts.data)
    return wall, s, stream, started


def describe(name: str, wall: float, s, stream: dict | None = None) -> list[str]:
    lines = [
        f"### {name}: {wall:.2f} s",
        "",
        "| step (main process; background steps overlap the others) | wall s | CPU s |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {step} | {sec:.2f} | {cpu:.2f} |" for step, sec, cpu in s.timings]
    from textkit.workers import BACKGROUND

    rest = wall - sum(sec for step, sec, _ in s.timings if not step.startswith(BACKGROUND))
    lines.append(f"| (outside the steps: imports, summary) | {rest:.2f} | |")
    if s.tasks:
        tot = defaultdict(float)
        busy: dict[str, float] = defaultdict(float)
        for t in s.tasks:
            for k in ("setup", "parse", "tokens", "cache", "cpu"):
                tot[k] += getattr(t, k)
            busy[t.worker] += t.setup + t.parse + t.tokens + t.cache
        size = sum(t.returned for t in s.tasks)
        lines += [
            "",
            f"Inside the {len(s.tasks)} file tasks (summed): set-up (imports + dictionary) "
            f"{tot['setup']:.2f} s, parse {tot['parse']:.2f} s, tokens {tot['tokens']:.2f} s, "
            f"cache write {tot['cache']:.2f} s (CPU time of the tasks {tot['cpu']:.2f} s); results returned {size / 1e6:.2f} MB "
            f"({size / len(s.tasks) / 1e3:.0f} kB per file).",
        ]
        parallel = next((sec for step, sec, _ in s.timings if step.startswith("parse files")), 0.0)
        per = ", ".join(f"{v:.2f} s" for v in sorted(busy.values(), reverse=True))
        lines.append(
            f"Busy time per worker process: {per} (the parallel step's wall time: {parallel:.2f} s)."
        )
    if stream:
        lines.append(
            "Scheduler task stream (summed over tasks): "
            + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(stream.items()))
            + "."
        )
    return [*lines, ""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--editions", action="store_true", help="two editions per city: pairs")
    ap.add_argument("--skip", default="", help="comma-separated: 1w, 2p, cluster, cached")
    ap.add_argument("--out", action="store_true", help="append to reports/bench_corpus_build.md")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    load = os.getloadavg()[0]
    lines = [
        f"## corpus build profile: {a.docs} copies of the Otaru 第2期 PDF"
        + (f" as 2 editions of {a.docs // 2} cities" if a.editions else ""),
        "",
        f"(scripts/bench_corpus_build.py, one run each; load average at the start {load:.1f} "
        f"on {os.cpu_count()} cores)",
        "",
    ]
    walls = {}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        index = make_corpus(d, a.docs, a.editions)
        if "1w" not in skip:
            wall, s = run(index, d / "cache1", workers=1)
            walls["1w"] = wall
            lines += describe("1 worker (in this process)", wall, s)
        if "2p" not in skip:
            wall, s = run(index, d / "cache2", workers=2)
            walls["2p"] = wall
            lines += describe(
                "2 Dask worker processes (local cluster started by the build)", wall, s
            )
        if "cluster" not in skip:
            with contextlib.redirect_stderr(open(os.devnull, "w")):
                wall, s, stream, started = on_own_cluster(index, d / "cache3")
            lines += describe(
                f"2 Dask worker processes on a cluster started beforehand ({started:.2f} s)",
                wall,
                s,
                stream,
            )
        if "cached" not in skip:
            wall, s = run(index, d / "cache2" if "2p" not in skip else d / "cache1", workers=2)
            lines += describe("re-run, every file cached", wall, s)
    if "1w" in walls and "2p" in walls:
        lines.append(
            f"Speed-up of 2 processes over 1 worker: **{walls['1w'] / walls['2p']:.2f}×**."
        )
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if a.out:
        report = ROOT / "reports" / "bench_corpus_build.md"
        old = report.read_text("utf-8").rstrip("\n") + "\n\n" if report.is_file() else ""
        report.write_text(old + text, "utf-8")


if __name__ == "__main__":
    main()
