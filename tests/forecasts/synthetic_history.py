"""Synthetic contact-centre histories with known rates, for the forecasting tests.

The centre opens Monday-Friday 08:00-18:00 and Saturday 09:00-13:00 and is closed on Sunday;
arrivals are Poisson around a smooth intraday curve with a mid-morning and an early-afternoon
peak, and Fridays run 20 % lower. Closed intervals are present with ``offered`` 0 and a blank
``aht_s``, as a real history export would give them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OPEN = {0: (480, 1080), 1: (480, 1080), 2: (480, 1080), 3: (480, 1080), 4: (480, 1080),
        5: (540, 780)}  # fmt: skip
START = pd.Timestamp("2024-01-01")  # a Monday


def rate(ds: pd.DatetimeIndex, mean: float) -> np.ndarray:
    """True arrival rate per interval (0 when closed)."""
    minute = (ds.hour * 60 + ds.minute).to_numpy()
    weekday = ds.day_of_week.to_numpy()
    shape = (
        1.0
        + 0.6 * np.exp(-(((minute - 630) / 70.0) ** 2))
        + 0.4 * np.exp(-(((minute - 840) / 60.0) ** 2))
    )
    out = mean * shape * np.where(weekday == 4, 0.8, 1.0)
    is_open = np.zeros(len(ds), dtype=bool)
    for w, (a, b) in OPEN.items():
        is_open |= (weekday == w) & (minute >= a) & (minute < b)
    return np.where(is_open, out, 0.0)


def make_history(
    weeks: int = 5,
    queues: dict[str, float] | None = None,
    *,
    seed: int = 0,
    minutes: int = 30,
    start: pd.Timestamp = START,
) -> pd.DataFrame:
    """History of ``weeks`` weeks for queues with the given mean contacts per open interval."""
    queues = queues or {"sales": 20.0}
    rng = np.random.default_rng(seed)
    ds = pd.date_range(start, periods=weeks * 7 * 1440 // minutes, freq=f"{minutes}min")
    frames = []
    for q, mean in queues.items():
        lam = rate(ds, mean)
        offered = rng.poisson(lam).astype(float)
        aht = np.where(offered > 0, rng.normal(300.0, 20.0, len(ds)), np.nan)
        frames.append(pd.DataFrame({"queue": q, "ds": ds, "offered": offered, "aht_s": aht}))
    return pd.concat(frames, ignore_index=True)
