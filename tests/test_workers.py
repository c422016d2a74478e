"""workers.Pool when the local Dask cluster cannot start (a port in use, a firewall, a sandbox
forbidding new processes): one line naming what failed and how to run without workers, never a
traceback; calls already run here are not lost."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from textkit import workers
from textkit.errors import TextkitError

from .conftest import CORPORA


class _Refused(OSError):
    pass


@pytest.fixture
def cluster_cannot_start(monkeypatch):
    import dask.distributed

    def refuse(*args, **kwargs):
        raise _Refused("[Errno 98] Address already in use")

    monkeypatch.setattr(dask.distributed, "LocalCluster", refuse)  # what workers.py imports


def _double(x: int) -> int:
    return 2 * x


def test_a_cluster_that_fails_to_start_is_one_textkit_error(cluster_cannot_start):
    with workers.Pool(workers=2) as pool:
        pool.start()
        pool._starter.join()  # the start has failed before the results are read
        with pytest.raises(TextkitError) as caught:
            list(pool.submit(_double, [(k,) for k in range(20)]))
    message = str(caught.value)
    assert "\n" not in message
    assert "could not start the local Dask cluster (2 worker processes)" in message
    assert "Address already in use" in message and "--workers 1" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_corpus_build_says_it_in_one_line_and_exit_2(cluster_cannot_start, tmp_path, monkeypatch):
    from textkit.cli import main

    monkeypatch.setattr(workers, "MIN_CLUSTER_BATCH", 1)  # a cluster even for two files
    folder = tmp_path / "c"
    folder.mkdir()
    for name in ("otaru_2nd_strategy.md", "tomakomai_3rd_deck_2024.txt"):
        shutil.copy(CORPORA / name, folder / name)
    (folder / "index.csv").write_text(
        "path,city,edition,period_start,period_end,kind,source\n"
        "otaru_2nd_strategy.md,小樽市,2,2020,2024,markdown,test\n"
        "tomakomai_3rd_deck_2024.txt,苫小牧市,3,2025,2029,text,test\n",
        encoding="utf-8",
    )
    args = ["corpus", "build", str(folder / "index.csv"), "--db", str(tmp_path / "c.duckdb")]
    run = CliRunner().invoke(main, [*args, "--workers", "2", "--cache", str(tmp_path / "cache")])
    assert run.exit_code == 2, run.output
    assert "Traceback" not in run.output
    (line,) = [x for x in run.output.splitlines() if x.startswith("error:")]
    assert "could not start the local Dask cluster" in line and "--workers 1" in line
