"""Where the corpus build's tasks run: this process, a local Dask cluster, or a Dask scheduler.

In: a function and the argument tuples of its calls (``Pool.submit``).  Out: ``(index, result)``
pairs in the order the calls finish.  Three places:

* one worker and no scheduler: every call runs here, in order, when its results are read;
* a local cluster (``workers`` worker processes, or threads): the cluster starts in a background
  thread (≈ 2–4 s: new interpreters importing dask) while *this* process works through the calls
  itself; once the workers are up, every call not yet begun goes to them. A batch too small to
  be worth a cluster (``MIN_CLUSTER_BATCH``) runs here when no cluster was started before it.  The cluster is closed in
  the background too (``release``), while this process writes the database;
* a scheduler address (``tcp://host:8786``): every call goes to that cluster.

Results are the same wherever a call runs: the functions are plain module-level functions of
their arguments (files are read by path, so a remote cluster must see the same files).
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .errors import TextkitError, TextkitWarning
from .wording import plural

# A local cluster takes 2–4 s to start and 1–3 s to stop on 2 cores; this process parses a file
# or aligns an edition pair in ~0.1–0.5 s, so a batch of fewer calls is done here in that time and
# starts no cluster (a cluster already started, or a scheduler named, takes every batch).
MIN_CLUSTER_BATCH = 8
# Seconds to wait for a scheduler named by address (a cluster that is starting may take a while).
CONNECT_TIMEOUT = 60
# Step names in ``Clock.steps`` that ran beside the others (their seconds overlap).
BACKGROUND = "background: "


class Clock:
    """Named steps in the order they ended, each (name, wall seconds, CPU seconds of the thread
    that ran it: what the step would take on an idle machine) (``BuildSummary.timings``), and what
    the tasks said of their own time (``BuildSummary.tasks``)."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, float, float]] = []
        self.tasks: list[Any] = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def step(self, name: str):
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start, time.thread_time() - cpu)

    def add(self, name: str, seconds: float, cpu: float) -> None:
        with self._lock:
            self.steps.append((name, seconds, cpu))


def _reporting(fn: Callable[..., Any], *args: Any) -> tuple[Any, list[str]]:
    """Run on a worker: ``fn(*args)`` and the ``TextkitWarning`` messages it issued (a worker's
    warnings would otherwise stay in the worker's log)."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", TextkitWarning)
        result = fn(*args)
    kept = []
    for w in said:
        if issubclass(w.category, TextkitWarning):
            kept.append(str(w.message))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return result, kept


class _Batch:
    """The calls of one ``submit``: those not yet begun, and the futures of those sent away."""

    def __init__(self, fn: Callable[..., Any], calls: Sequence[tuple]) -> None:
        self.fn = fn
        self.calls = calls
        self.waiting = deque(range(len(calls)))
        self.futures: dict[Any, int] = {}
        self.remote = False  # whether its calls go to the cluster once it is up


class Pool:
    """The place tasks run for one build (see the module docstring); a context manager."""

    def __init__(
        self,
        *,
        workers: int = 2,
        scheduler: str | None = None,
        processes: bool = True,
        clock: Clock | None = None,
    ) -> None:
        self.local = workers <= 1 and not scheduler
        self.workers = workers
        self.scheduler = scheduler
        self.processes = processes
        self.clock = clock or Clock()
        self._lock = threading.Lock()
        self._client: Any = None
        self._error: BaseException | None = None
        self._stack = contextlib.ExitStack()
        self._starter: threading.Thread | None = None
        self._closer: threading.Thread | None = None
        self._batches: list[_Batch] = []

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
        if self._closer is not None:
            with self.clock.step("wait for the workers to stop"):
                self._closer.join()

    def start(self) -> None:
        """Connect to the scheduler, or start the local cluster in the background (once)."""
        if self.local or self._starter is not None or self._client is not None:
            return
        if self.scheduler:
            from dask.distributed import Client

            with self.clock.step("connect to the scheduler"):
                try:
                    client = Client(self.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
                except OSError as exc:
                    raise TextkitError(
                        f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                    ) from None
                self._stack.callback(client.close)
            self._ready(client)
            return
        self._starter = threading.Thread(
            target=self._start_cluster, name="textkit-cluster-start", daemon=True
        )
        self._starter.start()

    def _start_cluster(self) -> None:
        from dask.distributed import Client, LocalCluster

        start, cpu = time.perf_counter(), time.thread_time()
        try:
            cluster = LocalCluster(
                n_workers=self.workers if self.processes else 1,
                threads_per_worker=1 if self.processes else self.workers,
                processes=self.processes,
                dashboard_address=None,
                # The scheduler serves its HTTP routes even without a dashboard, by default on
                # port 8787: any free port instead, so that a second cluster on the machine
                # starts without a "Port 8787 is already in use" warning.
                scheduler_kwargs={"dashboard_address": ":0"},
            )
            self._stack.callback(cluster.close)
            # Not a context manager: entered in this thread, it would have to exit here too.
            client = Client(cluster, set_as_default=False)
            self._stack.callback(client.close)
        except Exception as exc:  # raised in the main thread by the next ``results``
            self._error = TextkitError(self._start_failure(exc))
            return
        except BaseException as exc:  # (KeyboardInterrupt and the like: as they are)
            self._error = exc
            return
        finally:
            self.clock.add(
                f"{BACKGROUND}start the local cluster",
                time.perf_counter() - start,
                time.thread_time() - cpu,
            )
        self._ready(client)

    def _start_failure(self, exc: Exception) -> str:
        """One line: which cluster could not start, why, and how to build without one."""
        what = (
            f"{plural(self.workers, 'worker process', 'worker processes')}"
            if self.processes
            else plural(self.workers, "worker thread")
        )
        why = " ".join(str(exc).split()) or "no reason given"
        return (
            f"could not start the local Dask cluster ({what}): {type(exc).__name__}: {why}; "
            "build without workers: --workers 1 (workers=1 in Python), or name a running "
            "scheduler with --scheduler"
        )

    def _ready(self, client: Any) -> None:
        with self._lock:
            self._client = client
            for batch in self._batches:
                self._send(batch)

    def _send(self, batch: _Batch) -> None:
        """Every call of ``batch`` not yet begun to the cluster (the caller holds the lock)."""
        while batch.waiting:
            k = batch.waiting.popleft()
            # Named after the function (the task stream and the dashboard show what ran).
            key = f"{batch.fn.__name__}-{k}-{uuid.uuid4().hex}"
            future = self._client.submit(_reporting, batch.fn, *batch.calls[k], key=key)
            batch.futures[future] = k

    def submit(
        self, fn: Callable[..., Any], calls: Sequence[tuple], *, min_batch: int | None = None
    ) -> Iterator[tuple[int, Any]]:
        """Start ``fn(*call)`` for every call; read ``(index, result)`` from the iterator returned,
        in the order the calls finish (read it to the end: calls run here are run by reading).
        With a local cluster, a batch of fewer than ``min_batch`` calls (default
        ``MIN_CLUSTER_BATCH``) runs in this process; with a scheduler every batch goes to it."""
        batch = _Batch(fn, calls)
        least = MIN_CLUSTER_BATCH if min_batch is None else min_batch
        wanted = bool(self.scheduler) or len(calls) >= least
        if calls and not self.local and wanted:
            batch.remote = True
            self.start()
            with self._lock:
                self._batches.append(batch)
                if self._client is not None:
                    self._send(batch)
        return self._results(batch)

    def _results(self, batch: _Batch) -> Iterator[tuple[int, Any]]:
        while True:
            if self._error is not None:
                raise self._error from None
            with self._lock:
                if not batch.waiting or (batch.remote and self._client is not None):
                    break
                k = batch.waiting.popleft()
            yield k, batch.fn(*batch.calls[k])  # here, while the cluster starts (or without one)
        if batch.futures:
            from dask.distributed import as_completed

            for future in as_completed(list(batch.futures), loop=self._client.loop):
                result, messages = future.result()
                for message in messages:  # said on the worker: said here, as a local run says it
                    warnings.warn(TextkitWarning(message), stacklevel=2)
                yield batch.futures[future], result
                future.release()

    def release(self) -> None:
        """No more tasks: stop the workers (or disconnect) in the background; ``__exit__`` waits."""
        if self._closer is not None or (self._starter is None and self._client is None):
            return

        def close() -> None:
            if self._starter is not None:
                self._starter.join()
            start, cpu = time.perf_counter(), time.thread_time()
            self._stack.close()
            name = "disconnect" if self.scheduler else "stop the local cluster"
            self.clock.add(BACKGROUND + name, time.perf_counter() - start, time.thread_time() - cpu)

        self._closer = threading.Thread(target=close, name="textkit-cluster-stop", daemon=True)
        self._closer.start()
