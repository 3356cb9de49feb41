"""Volume and handle-time models: each against a result computed by hand or a known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasts.calendars import build_calendar
from forecasts.models import (
    HandleTimeModel,
    ProphetVolumeModel,
    SeasonalNaiveModel,
    WeekdayIntervalAverage,
    _smear,
    make_volume_model,
)
from tests.forecasts.synthetic_history import make_history, rate

ORIGIN = pd.Timestamp("2024-02-05")  # after the 5 weeks of the fixture
FUTURE = pd.date_range(ORIGIN, periods=7 * 48, freq="30min")


def _calendar(history: pd.DataFrame):
    return build_calendar(history.groupby("ds")["offered"].sum(), ORIGIN, 7, 30)


def test_weekday_average_is_the_mean_of_the_last_four_weeks(history: pd.DataFrame) -> None:
    model = WeekdayIntervalAverage(_calendar(history), weeks=4).fit(history)
    pred = model.predict(FUTURE).set_index("ds")
    # Monday 10:30 of the last four weeks, by hand.
    past = [ORIGIN + pd.Timedelta(hours=10.5) - pd.Timedelta(weeks=k) for k in range(1, 5)]
    expected_centre = history.set_index("ds").loc[past, "offered"].mean()
    got = pred.loc[ORIGIN + pd.Timedelta(hours=10.5)]
    # The point forecast is the plain mean (the honest benchmark), not a smeared one.
    assert got["offered"] == pytest.approx(expected_centre, rel=1e-9)
    assert got["offered_lo"] <= got["offered"] <= got["offered_hi"]


def test_closed_intervals_are_exactly_zero(history: pd.DataFrame) -> None:
    cal = _calendar(history)
    for method in ("weekday_average", "seasonal_naive", "prophet"):
        pred = make_volume_model(method, cal).fit(history).predict(FUTURE)
        closed = ~cal.is_open(FUTURE)
        assert closed.sum() > 0
        assert (pred.loc[closed, ["offered", "offered_lo", "offered_hi"]] == 0).all().all()
        assert (pred["offered"] >= 0).all()
        assert (pred["offered_lo"] <= pred["offered"] + 1e-9).all()
        assert (pred["offered"] <= pred["offered_hi"] + 1e-9).all()


def test_seasonal_naive_repeats_last_week() -> None:
    h = make_history(weeks=3)
    deterministic = h.assign(offered=rate(pd.DatetimeIndex(h["ds"]), 20.0).round())
    cal = build_calendar(deterministic.groupby("ds")["offered"].sum(), pd.Timestamp("2024-01-22"),
                         7, 30)  # fmt: skip
    future = pd.date_range("2024-01-22", periods=7 * 48, freq="30min")
    pred = SeasonalNaiveModel(cal).fit(deterministic).predict(future)
    last_week = deterministic.set_index("ds")["offered"].reindex(future - pd.Timedelta(weeks=1))
    # No week-on-week change at all: residuals are 0 and the forecast is last week exactly.
    np.testing.assert_allclose(pred["offered"].to_numpy(), last_week.to_numpy())


def test_missing_days_are_skipped_not_counted_as_zero(history: pd.DataFrame) -> None:
    holed = history.copy()
    last_monday = (holed["ds"] >= ORIGIN - pd.Timedelta(weeks=1)) & (
        holed["ds"] < ORIGIN - pd.Timedelta(days=6)
    )
    holed.loc[last_monday, "offered"] = np.nan
    cal = _calendar(history)
    full = WeekdayIntervalAverage(cal).fit(history).predict(FUTURE)["offered"].sum()
    gap = WeekdayIntervalAverage(cal).fit(holed).predict(FUTURE)["offered"].sum()
    assert gap == pytest.approx(full, rel=0.05)


def test_prophet_is_close_to_the_true_rate(history: pd.DataFrame) -> None:
    cal = _calendar(history)
    prophet = ProphetVolumeModel(cal).fit(history).predict(FUTURE)
    average = WeekdayIntervalAverage(cal).fit(history).predict(FUTURE)
    truth = rate(FUTURE, 20.0)
    err_p = np.abs(prophet["offered"].to_numpy() - truth).sum() / truth.sum()
    err_a = np.abs(average["offered"].to_numpy() - truth).sum() / truth.sum()
    # Pooling five weeks with a smooth profile beats averaging four noisy weeks per cell.
    assert err_p < 0.85 * err_a
    assert err_p < 0.08
    assert prophet["offered"].sum() == pytest.approx(truth.sum(), rel=0.03)


def test_smearing_point_is_unbiased_on_the_sqrt_scale() -> None:
    rng = np.random.default_rng(3)
    residuals = rng.normal(0.0, 0.5, 2000)
    point, lo, hi = _smear(np.array([5.0]), residuals, 0.8)
    # The mean of the squares, not the square of the mean (which would be 25, biased low).
    assert point[0] == pytest.approx(np.mean((5.0 + residuals) ** 2), rel=1e-3)
    assert point[0] > 25.2
    assert lo[0] == pytest.approx((5 - 1.2816 * 0.5) ** 2, rel=0.03)
    assert hi[0] == pytest.approx((5 + 1.2816 * 0.5) ** 2, rel=0.03)


def test_handle_time_is_volume_weighted_and_shrinks_sparse_cells() -> None:
    ds = pd.date_range("2024-01-01", periods=4 * 7 * 48, freq="30min")
    offered = np.full(len(ds), 10.0)
    aht = np.full(len(ds), 300.0)
    monday_9 = (ds.day_of_week == 0) & (ds.hour == 9) & (ds.minute == 0)
    offered[monday_9] = 1.0  # one call ...
    aht[monday_9] = 3000.0  # ... that took 50 minutes
    tuesday_9 = (ds.day_of_week == 1) & (ds.hour == 9) & (ds.minute == 0)
    aht[tuesday_9] = 400.0  # a busy cell with a real difference
    h = pd.DataFrame({"ds": ds, "offered": offered, "aht_s": aht})
    model = HandleTimeModel(prior_contacts=30.0, weeks=8).fit(h)
    pred = model.predict(pd.DatetimeIndex([pd.Timestamp("2024-01-29 09:00"),
                                            pd.Timestamp("2024-01-30 09:00"),
                                            pd.Timestamp("2024-01-29 15:00")]))  # fmt: skip
    assert pred[0] < 700  # 4 calls of 3000 s shrink strongly toward ~300-400 s
    assert pred[1] == pytest.approx(400, abs=30)  # 40 calls: mostly its own value
    assert pred[2] == pytest.approx(300, abs=1)
    assert np.isfinite(model.predict(pd.DatetimeIndex([pd.Timestamp("2024-02-04 03:00")]))).all()


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown forecasting method"):
        make_volume_model("arima")


def test_fast_stan_json_is_what_stanio_writes() -> None:
    """The C-encoded Stan data file must be byte-identical to stanio's."""
    from stanio.json import dump_stan_json

    from forecasts.models import dump_stan_json_fast

    data = {
        "T": 3,
        "K": np.int64(2),
        "tau": 0.05,
        "flag": True,
        "y": [0.5, 1.25, float("nan")],
        "s_a": [1, 0],
        "X": [[0.0, 1.5], [2.0, -3.25], [1e-12, 7.0]],
        "t_change": [],
        "sigmas": np.array([10.0, 10.0]),
        "ints": np.array([1, 2, 3]),
        "bools": [True, False],
    }
    assert dump_stan_json_fast(data) == dump_stan_json(data)
