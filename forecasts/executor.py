"""Where many independent fits run: in-process, on a local process pool, later on Ray.

The forecaster only needs ``map(fn, items)`` with results in input order, so a backend is a
small class. The process pool uses the *spawn* start method: forking a process that has loaded
Stan, gRPC or a thread pool is unsafe, and spawn behaves the same on every platform.
A distributed backend (Ray, DESIGN.md §9) is one more class with the same ``map``.

Where the time of a pool goes (measured on 50 Prophet series, see
``benchmarks/results/forecast_accuracy.md``): the main process's own work (validation,
calendar, assembly) is about 2 % of a run; each spawned worker pays about 1 CPU second to
start (interpreter, pandas, Prophet, whose import pulls in matplotlib) before its first fit.
An ``initializer`` (e.g. :func:`forecasts.models.warm_up`) pays that as soon as the worker
starts, not inside the first task, so task timings stay comparable; it cannot make it free,
so a pool pays off most when every worker gets many fits (backtests multiply them).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol, TypeVar

_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a function over items; results come back in the order of the items."""

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        on_result: Callable[[int, R], None] | None = None,
    ) -> list[R]:
        """Apply ``fn`` to every item; ``on_result(i, result)`` is called as each finishes."""
        ...


class SerialExecutor:
    """Runs everything in the calling process (``jobs=1``; simplest to debug)."""

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        on_result: Callable[[int, R], None] | None = None,
    ) -> list[R]:
        """Apply ``fn`` to each item in turn."""
        out: list[R] = []
        for i, item in enumerate(items):
            result = fn(item)
            if on_result is not None:
                on_result(i, result)
            out.append(result)
        return out


class ProcessExecutor:
    """A local pool of ``jobs`` spawned worker processes.

    ``fn`` and the items must be picklable (module-level functions and plain data).

    Used as a context manager (or after :meth:`start`), the workers are spawned at once and kept
    for every :meth:`map` until :meth:`close`: their start-up (about a CPU second each to import
    pandas and Prophet) then overlaps the caller's own preparation instead of delaying the first
    fits. Without it, each :meth:`map` spawns a pool and shuts it down afterwards.

    Parameters
    ----------
    jobs
        Number of worker processes (at least 1).
    initializer
        Module-level function each worker runs once at start (e.g. to import heavy libraries).
    """

    def __init__(self, jobs: int, initializer: Callable[[], None] | None = None) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs!r}")
        self.jobs = int(jobs)
        self.initializer = initializer
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        # One BLAS/OpenMP thread per worker: the pool is the parallelism, nested thread pools
        # would only oversubscribe the cores. Spawned workers inherit the environment.
        for var in _THREAD_VARS:
            os.environ.setdefault(var, "1")
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=self.initializer,
        )

    def start(self) -> ProcessExecutor:
        """Spawn all workers now (they run the initializer while the caller goes on)."""
        if self._pool is None:
            self._pool = self._new_pool(self.jobs)
            # The pool spawns a worker per submit while none is idle: one no-op per worker
            # brings them all up now, not one by one as the first tasks arrive.
            for _ in range(self.jobs):
                self._pool.submit(_ready)
        return self

    def close(self, wait: bool = True) -> None:
        """Shut the workers down; ``wait=False`` drops queued tasks and returns at once."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=not wait)
            self._pool = None

    def __enter__(self) -> ProcessExecutor:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, *_rest: object) -> None:
        # On an error (e.g. bad input found while the workers were still starting) nobody
        # needs their results: do not make the caller wait for their imports to finish.
        self.close(wait=exc_type is None)

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        on_result: Callable[[int, R], None] | None = None,
    ) -> list[R]:
        """Apply ``fn`` to the items on the pool, longest-first is the caller's choice."""
        work = list(items)
        results: list[R | None] = [None] * len(work)
        own = self._pool is None
        pool = self._pool or self._new_pool(min(self.jobs, max(len(work), 1)))
        try:
            futures = {pool.submit(fn, item): i for i, item in enumerate(work)}
            for fut in as_completed(futures):
                i = futures[fut]
                result = fut.result()
                results[i] = result
                if on_result is not None:
                    on_result(i, result)
        finally:
            if own:
                pool.shutdown(wait=True)
        return [r for r in results]  # type: ignore[misc]


def _ready() -> None:
    """The no-op task that makes a pool spawn a worker (module level: it must pickle)."""


def make_executor(jobs: int = 1, initializer: Callable[[], None] | None = None) -> Executor:
    """The executor for ``jobs``: serial for 1, a process pool otherwise.

    ``jobs <= 0`` means one worker per CPU core; ``initializer`` runs once per pool worker.
    """
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    return SerialExecutor() if jobs == 1 else ProcessExecutor(jobs, initializer)
