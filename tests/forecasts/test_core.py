"""forecast_history end to end on small data: shape, picking, fallbacks, errors, persistence."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from forecasts.core import ForecastRun, forecast_history, pick_method
from forecasts.evaluation import Scores, rolling_origins, score, seasonal_naive_mae
from forecasts.executor import Executor, ProcessExecutor, SerialExecutor
from forecasts.schema import FORECAST_COLUMNS, HistoryError, SpecialDay
from forecasts.serialize import load_prophet_model, load_run, save_run
from tests.forecasts.synthetic_history import make_history


@pytest.fixture(scope="module")
def auto_run():
    """A backtested auto run over a busy and a sparse queue (shared: Prophet fits cost ~1 s)."""
    h = make_history(queues={"sales": 20.0, "vip": 0.5}, seed=1)
    return forecast_history(h, backtest_origins=2)


def test_frame_has_every_queue_interval_of_the_horizon(auto_run) -> None:
    f = auto_run.frame
    assert list(f.columns) == list(FORECAST_COLUMNS)
    assert len(f) == 2 * 7 * 48
    assert f["ds"].min() == pd.Timestamp("2024-02-05")  # the day after the history
    assert f["ds"].max() == pd.Timestamp("2024-02-11 23:30")
    assert not f.duplicated(["queue", "ds"]).any()
    sunday = f["ds"].dt.day_of_week == 6
    assert (f.loc[sunday, "offered"] == 0).all()  # closed, included with 0
    assert np.isfinite(f["aht_s"]).all()


def test_auto_picks_by_backtest_and_says_why(auto_run) -> None:
    m = auto_run.metrics
    sales = m[m["queue"] == "sales"].set_index("method")
    assert set(sales.index) == {"prophet", "weekday_average", "seasonal_naive", "ensemble"}
    assert sales["picked"].sum() == 1
    best = pick_method(sales["wmape"].to_dict())
    assert sales.loc[best, "picked"]
    assert auto_run.methods["sales"] == best
    assert f"{best} picked: " in auto_run.notes["sales"]
    assert (sales["origins"] == 2).all()
    assert sales["coverage"].between(0, 1).all()


def test_sparse_queue_gets_the_simple_method(auto_run) -> None:
    assert auto_run.methods["vip"] == "weekday_average"
    assert "sparse queue" in auto_run.notes["vip"]


def test_forced_method_without_backtest(history: pd.DataFrame) -> None:
    run = forecast_history(history, method="seasonal_naive", backtest_origins=0, horizon_days=3)
    assert set(run.frame["model"]) == {"seasonal_naive"}
    assert len(run.frame) == 3 * 48
    assert run.metrics.empty
    last_week = history.set_index("ds")["offered"].reindex(
        pd.DatetimeIndex(run.frame["ds"]) - pd.Timedelta(weeks=1)
    )
    open_ = run.frame["offered"].to_numpy() > 0
    # Seasonal naive repeats last week (plus a small smearing term) where open.
    assert run.frame["offered"].to_numpy()[open_] == pytest.approx(
        last_week.to_numpy()[open_], abs=1.0
    )


def test_all_zero_queue_is_forecast_zero_with_a_note() -> None:
    h = make_history(queues={"sales": 20.0, "dead": 1.0}, seed=2)
    h.loc[h["queue"] == "dead", "offered"] = 0.0
    h.loc[h["queue"] == "dead", "aht_s"] = np.nan
    run = forecast_history(h, method="auto", backtest_origins=0)
    dead = run.frame[run.frame["queue"] == "dead"]
    assert (dead["offered"] == 0).all()
    assert "all-zero" in run.notes["dead"]


def test_special_day_closure_and_gap_warning(history: pd.DataFrame) -> None:
    holed = history[(history["ds"] < "2024-01-16") | (history["ds"] >= "2024-01-17")]
    run = forecast_history(
        holed,
        method="weekday_average",
        backtest_origins=0,
        special_days=[SpecialDay(dt.date(2024, 2, 6), "strike", ())],
    )
    day = run.frame[run.frame["ds"].dt.date == dt.date(2024, 2, 6)]
    assert (day["offered"] == 0).all()
    assert run.frame[run.frame["ds"].dt.date == dt.date(2024, 2, 7)]["offered"].sum() > 100
    assert [w.severity for w in run.warnings] == ["warning"]


def test_bad_input_lists_every_problem(history: pd.DataFrame) -> None:
    bad = history.copy()
    bad.loc[10, "offered"] = -3
    with pytest.raises(HistoryError) as exc:
        forecast_history(bad, method="magic", level=1.5)
    fields = {p.field for p in exc.value.problems}
    assert {"method", "level", "history[10].offered"} <= fields


def test_too_short_history_is_a_clear_error() -> None:
    short = make_history(weeks=1)
    short = short[short["ds"] < "2024-01-05"]
    with pytest.raises(HistoryError, match="need at least 7 days of history"):
        forecast_history(short)


def test_process_pool_gives_the_same_forecast(history: pd.DataFrame) -> None:
    def run(executor: Executor) -> ForecastRun:
        return forecast_history(
            history, method="weekday_average", backtest_origins=1, horizon_days=2,
            executor=executor,
        )  # fmt: skip

    serial, pooled = run(SerialExecutor()), run(ProcessExecutor(2))
    pd.testing.assert_frame_equal(serial.frame, pooled.frame)
    pd.testing.assert_frame_equal(serial.metrics, pooled.metrics)


def test_run_roundtrips_through_json_files(auto_run, tmp_path) -> None:
    save_run(auto_run, tmp_path / "run", extra={"history": "synthetic"})
    back = load_run(tmp_path / "run")
    pd.testing.assert_frame_equal(
        back.frame.reset_index(drop=True),
        auto_run.frame.astype({"queue": "string"}).reset_index(drop=True),
        check_dtype=False,
    )
    assert back.notes == auto_run.notes
    meta = json.loads((tmp_path / "run" / "metadata.json").read_text())
    assert meta["interval_minutes"] == 30
    assert meta["history_start"] == "2024-01-01T00:00:00"
    assert meta["methods"] == auto_run.methods
    assert meta["extra"] == {"history": "synthetic"}
    assert not list((tmp_path / "run").rglob("*.pkl"))
    if auto_run.methods["sales"] == "prophet":
        model = load_prophet_model(tmp_path / "run", "sales")
        assert model.history is not None


def test_scores_pool_and_metrics_by_hand() -> None:
    f = pd.DataFrame(
        {"offered": [10.0, 0.0, 5.0], "offered_lo": [8.0, 0.0, 1.0], "offered_hi": [12.0, 0.0, 4.0]}
    )
    s = score(np.array([12.0, 0.0, np.nan]), f, np.array([True, False, True]), naive_mae=4.0)
    assert (s.abs_error, s.error, s.actual, s.n, s.covered, s.n_open) == (2.0, -2.0, 12.0, 2, 1, 1)
    total = s + Scores(abs_error=6.0, error=6.0, actual=20.0, n=2, naive_mae=2.0, covered=0,
                       n_open=2, origins=1)  # fmt: skip
    assert total.wmape == pytest.approx(8 / 32)
    assert total.bias == pytest.approx(4 / 32)
    assert total.mase == pytest.approx((8 / 4) / 3.0)
    assert total.coverage == pytest.approx(1 / 3)


def test_rolling_origins_are_weekly_and_leave_a_full_horizon() -> None:
    origins = rolling_origins(
        pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-04 23:30"), horizon_days=7, n_origins=9
    )
    assert origins == [pd.Timestamp(d) for d in ("2024-01-15", "2024-01-22", "2024-01-29")]


def test_seasonal_naive_mae_skips_unknown_pairs() -> None:
    ds = pd.date_range("2024-01-01", periods=15, freq="D")
    s = pd.Series(np.arange(15.0), index=ds)
    s.iloc[8] = np.nan
    assert seasonal_naive_mae(s, 1440) == pytest.approx(7.0)


def test_start_after_a_gap_still_backtests_on_real_weeks(history: pd.DataFrame) -> None:
    start = pd.Timestamp("2024-02-19")  # two weeks after the history ends
    run = forecast_history(history, method="weekday_average", backtest_origins=2, start=start)
    assert run.frame["ds"].min() == start
    assert run.metrics["origins"].tolist() == [2]
    assert run.frame["offered"].sum() > 0


def test_ensemble_is_combined_from_its_members_and_saves_prophet_json(
    history: pd.DataFrame,
) -> None:
    """method="ensemble" fits Prophet and the weekday average once each and averages them."""
    run = forecast_history(history, method="ensemble", backtest_origins=1, horizon_days=2)
    assert set(run.frame["model"]) == {"ensemble"}
    assert "sales" in run.model_json  # the Prophet member, in Prophet's JSON
    members = {
        m: forecast_history(history, method=m, backtest_origins=0, horizon_days=2)
        for m in ("prophet", "weekday_average")
    }
    expected = (
        0.5 * members["prophet"].frame["offered"]
        + 0.5 * members["weekday_average"].frame["offered"]
    )
    np.testing.assert_allclose(run.frame["offered"], expected, rtol=1e-6)
    assert list(run.metrics["method"]) == ["ensemble"]
