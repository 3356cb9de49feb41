"""Day factors (day after a holiday, month start) and the forecast combination."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasts.calendars import HOLIDAY, HOLIDAY_EVE, MONTH_START, Calendar, build_calendar
from forecasts.core import pick_method
from forecasts.day_effects import UNSEEN_HOURS_FACTOR, DayAdjusted, DayFactors
from forecasts.models import (
    EnsembleModel,
    ProphetVolumeModel,
    WeekdayIntervalAverage,
    combine_forecasts,
    ensemble_weights,
    make_volume_model,
)
from tests.forecasts.synthetic_history import make_history, rate

ORIGIN = pd.Timestamp("2024-04-01")  # a Monday and a month start, after 13 weeks of history
FUTURE = pd.date_range(ORIGIN, periods=7 * 48, freq="30min")


@pytest.fixture(scope="module")
def surging() -> pd.DataFrame:
    """13 weeks of one busy queue whose first two weekdays of every month run 50 % high."""
    h = make_history(weeks=13, seed=3)
    high = _month_start(pd.DatetimeIndex(h["ds"]))
    rng = np.random.default_rng(4)
    h.loc[high, "offered"] = rng.poisson(h.loc[high, "offered"].to_numpy() * 1.5).astype(float)
    return h


def _month_start(ds: pd.DatetimeIndex) -> np.ndarray:
    """The first two Monday-Friday dates of each month (Saturday is a short day here)."""
    days = pd.DatetimeIndex(sorted(set(ds.normalize())))
    weekdays = days[days.day_of_week < 5]
    firsts = weekdays.to_series().groupby([weekdays.year, weekdays.month]).head(2)
    return np.asarray(ds.normalize().isin(firsts))


def _calendar(history: pd.DataFrame):
    return build_calendar(history.groupby("ds")["offered"].sum(), ORIGIN, 7, 30)


def test_month_start_factor_is_learned_and_shrunk(surging: pd.DataFrame) -> None:
    factors = DayFactors(_calendar(surging), (MONTH_START,)).fit(surging)
    factor, n = factors.factors_[MONTH_START]
    # Jan 1-2, Feb 1-2, Mar 1 and Mon 4 (Mar 2 is a short Saturday, not a full working day).
    assert n == 6
    # The true ratio is 1.5; the prior of half an occurrence shrinks it a little toward 1.
    assert 1.3 < factor < 1.5
    assert "month_start x" in factors.describe()


def test_adjusted_model_scales_only_the_factor_days(surging: pd.DataFrame) -> None:
    cal = _calendar(surging)
    adjusted = DayAdjusted(WeekdayIntervalAverage(cal), cal, (MONTH_START,)).fit(surging)
    pred = adjusted.predict(FUTURE).set_index("ds")["offered"]
    # The base fit never saw the month-start days: it equals a plain fit with them unknown.
    hidden = surging.copy()
    hidden.loc[_month_start(pd.DatetimeIndex(hidden["ds"])), "offered"] = np.nan
    plain = WeekdayIntervalAverage(cal).fit(hidden).predict(FUTURE).set_index("ds")["offered"]
    on = _month_start(FUTURE)
    assert on.sum() == 2 * 48  # 1 and 2 April
    np.testing.assert_allclose(pred[~on], plain[~on])
    factor = adjusted.factors[MONTH_START][0]
    np.testing.assert_allclose(pred[on], plain[on] * factor)


def test_factor_days_reduce_the_error_on_month_starts(surging: pd.DataFrame) -> None:
    """Against the true rate (x1.5 on 1-2 April), day factors remove most of the shortfall."""
    cal = _calendar(surging)
    on = _month_start(FUTURE)
    true = rate(FUTURE, 20.0) * np.where(on, 1.5, 1.0)
    with_f = make_volume_model("weekday_average", cal, day_factors=(MONTH_START,))
    without = make_volume_model("weekday_average", cal)
    err_with = np.abs(with_f.fit(surging).predict(FUTURE)["offered"].to_numpy() - true)[on].sum()
    err_without = np.abs(without.fit(surging).predict(FUTURE)["offered"].to_numpy() - true)[on]
    assert err_with < 0.5 * err_without.sum()


def test_combination_is_the_weighted_mean() -> None:
    ds = pd.date_range("2024-01-01", periods=3, freq="30min")
    a = pd.DataFrame({"ds": ds, "offered": [1.0, 2, 3], "offered_lo": [0.0, 1, 2],
                      "offered_hi": [2.0, 3, 4]})  # fmt: skip
    b = a.assign(offered=[3.0, 4, 5], offered_lo=[2.0, 3, 4], offered_hi=[4.0, 5, 6])
    out = combine_forecasts([a, b], [1, 3])
    np.testing.assert_allclose(out["offered"], [2.5, 3.5, 4.5])
    np.testing.assert_allclose(out["offered_lo"], [1.5, 2.5, 3.5])
    with pytest.raises(ValueError, match="weights"):
        combine_forecasts([a, b], [0, 0])


def test_ensemble_model_averages_prophet_and_the_weekday_average(history: pd.DataFrame) -> None:
    origin = pd.Timestamp("2024-02-05")
    cal = build_calendar(history.groupby("ds")["offered"].sum(), origin, 7, 30)
    future = pd.date_range(origin, periods=7 * 48, freq="30min")
    ens = EnsembleModel(cal).fit(history).predict(future)["offered"].to_numpy()
    p = ProphetVolumeModel(cal).fit(history).predict(future)["offered"].to_numpy()
    w = WeekdayIntervalAverage(cal).fit(history).predict(future)["offered"].to_numpy()
    np.testing.assert_allclose(ens, 0.5 * p + 0.5 * w)


def test_pick_keeps_the_default_unless_another_is_clearly_better() -> None:
    close = {"ensemble": 0.200, "prophet": 0.199, "weekday_average": 0.196}
    assert pick_method(close, margin=0.03) == "ensemble"  # 2 % better: noise, keep the default
    assert pick_method(close, margin=0.0) == "weekday_average"
    clear = {"ensemble": 0.200, "prophet": 0.190, "weekday_average": 0.180}
    assert pick_method(clear, margin=0.03) == "weekday_average"
    assert pick_method({"prophet": 0.3, "seasonal_naive": 0.2}) == "seasonal_naive"
    assert pick_method({"weekday_average": 0.2, "seasonal_naive": 0.2}) == "weekday_average"


def test_ensemble_trusts_prophet_alone_on_holidays_and_eves() -> None:
    """The weekday average knows nothing of a holiday's hours; Prophet learns them per kind."""
    ds = pd.date_range("2024-05-01", periods=3 * 48, freq="30min")
    cal = Calendar(
        minutes=30,
        open_mask=pd.Series(True, index=ds),
        kinds={dt.date(2024, 5, 2): (HOLIDAY,), dt.date(2024, 5, 3): (MONTH_START,)},
    )
    prophet, average = ensemble_weights(ds, cal)
    day = ds.day.to_numpy()
    assert (prophet[day == 2] == 1.0).all() and (average[day == 2] == 0.0).all()
    assert (prophet[day != 2] == 0.5).all() and (average[day != 2] == 0.5).all()


def test_a_holiday_kind_never_seen_gets_the_prior_factor() -> None:
    """First holiday of the data: no past day of its kind, so the base would forecast a weekday."""
    ds = pd.date_range("2024-05-01", periods=3 * 48, freq="30min")
    first, seen, eve = dt.date(2024, 5, 1), dt.date(2024, 5, 2), dt.date(2024, 5, 3)
    cal = Calendar(
        minutes=30,
        open_mask=pd.Series(True, index=ds),
        kinds={first: (HOLIDAY,), seen: (HOLIDAY,), eve: (HOLIDAY_EVE,)},
        profile_key={seen: HOLIDAY},  # as if training had shown this one open
    )
    factors = DayFactors(cal).factor_of([first, seen, eve])
    np.testing.assert_allclose(factors, [UNSEEN_HOURS_FACTOR[HOLIDAY], 1.0, 0.5])
