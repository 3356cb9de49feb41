"""Rolling-origin backtest and forecast accuracy metrics.

Origins are day starts one week apart, the last one ``horizon_days`` before the end of the
history, so every origin is scored on a full horizon of real data. Each method is trained on
the data before the origin only (including the inferred opening hours, see
:func:`forecasts.calendars.build_calendar`) and scored on the intervals after it whose actual
volume is known.

Metrics, pooled over all scored intervals of all origins of one queue and method:

- ``wmape`` = Σ|y - ŷ| / Σy, the share of contacts mis-forecast;
- ``mase`` = mean|y - ŷ| / mean|y_t - y_{t-7 days}| with the denominator the in-sample weekly
  seasonal-naive error of the training data, so 1.0 means "as good as repeating last week
  in-sample";
- ``bias`` = Σ(ŷ - y) / Σy, positive when over-forecasting;
- ``coverage`` = share of *open* intervals with ``offered_lo <= y <= offered_hi`` (closed ones
  are trivially covered and would flatter it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scores:
    """Sums from which the pooled metrics are computed, so origins can be added up.

    Parameters
    ----------
    abs_error, error, actual
        Σ|y - ŷ|, Σ(ŷ - y) and Σy over scored intervals.
    n
        Number of scored intervals.
    naive_mae
        Mean absolute in-sample weekly seasonal-naive error (MASE scale), averaged by origin.
    covered, n_open
        Open intervals inside the prediction interval, and open intervals scored.
    origins
        Number of origins added up.
    """

    abs_error: float = 0.0
    error: float = 0.0
    actual: float = 0.0
    n: int = 0
    naive_mae: float = 0.0
    covered: int = 0
    n_open: int = 0
    origins: int = 0

    def __add__(self, other: Scores) -> Scores:
        total = self.origins + other.origins
        naive = (
            (self.naive_mae * self.origins + other.naive_mae * other.origins) / total
            if total
            else 0.0
        )
        return Scores(
            abs_error=self.abs_error + other.abs_error,
            error=self.error + other.error,
            actual=self.actual + other.actual,
            n=self.n + other.n,
            naive_mae=naive,
            covered=self.covered + other.covered,
            n_open=self.n_open + other.n_open,
            origins=total,
        )

    @property
    def wmape(self) -> float:
        """Weighted mean absolute percentage error (NaN when nothing was offered)."""
        return self.abs_error / self.actual if self.actual > 0 else float("nan")

    @property
    def bias(self) -> float:
        """Relative bias, positive when over-forecasting."""
        return self.error / self.actual if self.actual > 0 else float("nan")

    @property
    def mase(self) -> float:
        """Mean absolute scaled error against the in-sample weekly naive."""
        if self.n == 0 or self.naive_mae <= 0:
            return float("nan")
        return (self.abs_error / self.n) / self.naive_mae

    @property
    def coverage(self) -> float:
        """Share of open intervals inside the prediction interval."""
        return self.covered / self.n_open if self.n_open else float("nan")


def score(
    actual: np.ndarray,
    forecast: pd.DataFrame,
    open_: np.ndarray,
    naive_mae: float,
) -> Scores:
    """Score one origin's forecast against the actual volumes.

    Parameters
    ----------
    actual
        Actual offered per forecast row (NaN where unknown; those rows are skipped).
    forecast
        Frame with ``offered``, ``offered_lo``, ``offered_hi``, aligned with ``actual``.
    open_
        Open flag per row.
    naive_mae
        In-sample seasonal-naive MAE of the training data (see :func:`seasonal_naive_mae`).
    """
    y = np.asarray(actual, dtype=float)
    ok = np.isfinite(y)
    yhat = forecast["offered"].to_numpy(dtype=float)
    lo = forecast["offered_lo"].to_numpy(dtype=float)
    hi = forecast["offered_hi"].to_numpy(dtype=float)
    o = ok & np.asarray(open_, dtype=bool)
    return Scores(
        abs_error=float(np.abs(y - yhat)[ok].sum()),
        error=float((yhat - y)[ok].sum()),
        actual=float(y[ok].sum()),
        n=int(ok.sum()),
        naive_mae=float(naive_mae),
        covered=int(((y >= lo) & (y <= hi))[o].sum()),
        n_open=int(o.sum()),
        origins=1,
    )


def seasonal_naive_mae(train: pd.Series, minutes: int) -> float:
    """In-sample MAE of the weekly seasonal naive on a regular series (index ds).

    Pairs with an unknown value on either side are skipped.
    """
    lag = pd.Timedelta(days=7)
    shifted = train.copy()
    shifted.index = shifted.index + lag
    diff = (train - shifted.reindex(train.index)).abs()
    value = float(diff.mean(skipna=True)) if diff.notna().any() else float("nan")
    return value


def rolling_origins(
    first: pd.Timestamp,
    last: pd.Timestamp,
    *,
    horizon_days: int,
    n_origins: int,
    min_train_days: int = 14,
) -> list[pd.Timestamp]:
    """Weekly day-start origins, the last leaving a full horizon before ``last``.

    Parameters
    ----------
    first, last
        First and last interval start of the history.
    horizon_days
        Days scored after each origin.
    n_origins
        How many origins at most (fewer if the history is short).
    min_train_days
        Days of history required before the first origin.

    Returns
    -------
    list[pandas.Timestamp]
        Origins in time order (possibly empty).
    """
    end = (last + pd.Timedelta(days=1)).normalize()  # first day not fully in the history
    latest = end - pd.Timedelta(days=horizon_days)
    earliest = first.normalize() + pd.Timedelta(days=min_train_days)
    out: list[pd.Timestamp] = []
    t = latest
    while t >= earliest and len(out) < n_origins:
        out.append(t)
        t -= pd.Timedelta(days=7)
    return sorted(out)


def metrics_row(queue: str, method: str, s: Scores) -> dict[str, object]:
    """One row of the metrics table."""
    return {
        "queue": queue,
        "method": method,
        "wmape": s.wmape,
        "mase": s.mase,
        "bias": s.bias,
        "coverage": s.coverage,
        "origins": s.origins,
        "intervals": s.n,
    }
