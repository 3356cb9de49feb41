"""Tiny named fixtures for the forecasting tests (generator in synthetic_history.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.forecasts.synthetic_history import make_history


@pytest.fixture
def history() -> pd.DataFrame:
    """Five weeks of one busy queue (about 20 contacts per open half hour)."""
    return make_history()


@pytest.fixture
def two_queues() -> pd.DataFrame:
    """Five weeks of a busy queue and a sparse one (0.5 contacts per open half hour)."""
    return make_history(queues={"sales": 20.0, "vip": 0.5}, seed=1)
