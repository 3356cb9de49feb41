"""Fixtures for the Curtois & Qu benchmark tests: the bundled instance directory and Instance1."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.roster.curtois.instances import INSTANCES_DIR
from scheduler.roster.curtois.reader import CurtoisInstance, read_instance

CURTOIS_DIR = INSTANCES_DIR


@pytest.fixture(scope="session")
def curtois_dir() -> Path:
    """The directory of the 24 published instances and best_known.csv."""
    if not CURTOIS_DIR.is_dir():
        pytest.skip(f"benchmark instances not found at {CURTOIS_DIR}")
    return CURTOIS_DIR


@pytest.fixture(scope="session")
def instance1(curtois_dir: Path) -> CurtoisInstance:
    """Instance1: 14 days, 8 employees, one shift type D; optimum 607."""
    return read_instance(curtois_dir / "Instance1.txt")
