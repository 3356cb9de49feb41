"""Module-level functions for the executor tests (spawned workers must import them by name)."""

from __future__ import annotations

import os


def worker_pid(_item: object) -> int:
    """The process id of the worker that ran the task."""
    return os.getpid()


def fail_on_three(item: int) -> int:
    """Squares the item; raises for 3 (to test how errors come back)."""
    if item == 3:
        raise ValueError("three")
    return item * item


def slow_start() -> None:
    """A worker initializer that takes 3 s (to test leaving a pool while it starts)."""
    import time

    time.sleep(3.0)
