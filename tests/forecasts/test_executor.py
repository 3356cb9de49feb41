"""The executors: order of results, warm pools reused across maps, errors, bad arguments."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from forecasts.executor import ProcessExecutor, SerialExecutor, make_executor
from tests.forecasts.pool_probe import fail_on_three, slow_start, worker_pid

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _workers_can_import_the_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned workers unpickle the probes by module name: give them the repo root on sys.path.

    pytest's importlib mode imports ``tests.*`` without putting the root on ``sys.path``, and a
    spawned worker starts from the parent's ``sys.path``.
    """
    monkeypatch.syspath_prepend(str(REPO_ROOT))


def test_make_executor_picks_serial_for_one_job_and_a_pool_otherwise() -> None:
    assert isinstance(make_executor(1), SerialExecutor)
    pool = make_executor(2)
    assert isinstance(pool, ProcessExecutor) and pool.jobs == 2
    assert isinstance(make_executor(0), (SerialExecutor, ProcessExecutor))


def test_pool_rejects_zero_jobs() -> None:
    with pytest.raises(ValueError, match="jobs must be at least 1, got 0"):
        ProcessExecutor(0)


def test_results_come_back_in_item_order_with_progress_for_each() -> None:
    seen: list[int] = []
    with ProcessExecutor(2) as pool:
        out = pool.map(fail_on_three, [5, 1, 4, 2], lambda i, _r: seen.append(i))
    assert out == [25, 1, 16, 4]
    assert sorted(seen) == [0, 1, 2, 3]


def test_a_started_pool_spawns_its_workers_once_and_reuses_them() -> None:
    with ProcessExecutor(2) as pool:
        first = set(pool.map(worker_pid, range(20)))
        second = set(pool.map(worker_pid, range(20)))
    assert os.getpid() not in first
    assert len(first | second) <= 2, "a started pool must not spawn new workers per map"


def test_an_unstarted_pool_cleans_up_after_each_map() -> None:
    pool = ProcessExecutor(2)
    pids = set(pool.map(worker_pid, range(6)))
    assert pids and os.getpid() not in pids
    assert pool._pool is None


def test_a_task_error_reaches_the_caller() -> None:
    with ProcessExecutor(2) as pool, pytest.raises(ValueError, match="three"):
        pool.map(fail_on_three, [1, 2, 3, 4])


def test_leaving_on_an_error_does_not_wait_for_starting_workers() -> None:
    t0 = time.perf_counter()
    with pytest.raises(RuntimeError), ProcessExecutor(2, initializer=slow_start) as _pool:
        raise RuntimeError("bad input found while the workers start")
    assert time.perf_counter() - t0 < 2.5, "the error must not wait for the 3 s initializer"


def test_serial_executor_runs_in_this_process() -> None:
    assert SerialExecutor().map(worker_pid, [0, 1]) == [os.getpid()] * 2
