"""``wfm forecast``: files written, bad input exits 2 with the field named, no traceback."""

from __future__ import annotations

import pandas as pd
import typer
from typer.testing import CliRunner

from forecasts.schema import FORECAST_COLUMNS
from forecasts.serialize import load_prophet_model, load_run
from scheduler.cli.forecast_cmd import metrics_path, register
from tests.forecasts.synthetic_history import make_history


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Group, so ``forecast`` is a sub-command as in ``wfm``."""

    return app


def test_forecast_writes_forecast_and_metrics(tmp_path) -> None:
    hist = tmp_path / "history.csv"
    make_history(weeks=4, queues={"sales": 15.0}).to_csv(hist, index=False)
    out = tmp_path / "out" / "fc.csv"
    result = CliRunner().invoke(
        _app(),
        ["forecast", "--history", str(hist), "--out", str(out), "--method", "weekday_average",
         "--origins", "1", "--horizon-days", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(FORECAST_COLUMNS)
    assert len(frame) == 2 * 48
    metrics = pd.read_csv(metrics_path(out))
    assert not (tmp_path / "run").exists()
    assert metrics_path(out).name == "fc.metrics.csv"
    assert metrics["picked"].tolist() == [True]


def test_bad_history_exits_2_naming_the_field(tmp_path) -> None:
    hist = tmp_path / "history.csv"
    h = make_history(weeks=2)
    h.loc[7, "offered"] = -5
    h.to_csv(hist, index=False)
    result = CliRunner().invoke(
        _app(), ["forecast", "--history", str(hist), "--out", str(tmp_path / "f.csv")]
    )
    assert result.exit_code == 2
    assert "history[7].offered: must not be negative (got -5.0)" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "f.csv").exists()


def test_missing_file_and_bad_method_exit_2(tmp_path) -> None:
    result = CliRunner().invoke(_app(), ["forecast", "--history", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "file does not exist" in result.output
    hist = tmp_path / "history.csv"
    make_history(weeks=2).to_csv(hist, index=False)
    result = CliRunner().invoke(_app(), ["forecast", "--history", str(hist), "--method", "x"])
    assert result.exit_code == 2
    assert "--method" in result.output


def test_scenario_gives_hours_and_country(tmp_path) -> None:
    """The bundled bank scenario's site calendar reaches the forecaster."""
    from scheduler.examples import example_path

    scenario = example_path("bank") / "scenario.yaml"
    history = pd.read_csv(example_path("bank") / "history.csv", parse_dates=["ds"])
    small = history[history["queue"] == history["queue"].iloc[0]]
    small = small[small["ds"] >= small["ds"].max() - pd.Timedelta(weeks=3)]
    hist = tmp_path / "h.csv"
    small.to_csv(hist, index=False)
    out = tmp_path / "fc.csv"
    result = CliRunner().invoke(
        _app(),
        ["forecast", "--history", str(hist), "--scenario", str(scenario), "--out", str(out),
         "--method", "weekday_average", "--no-backtest"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, parse_dates=["ds"])
    saturday_noon = (frame["ds"].dt.day_of_week == 5) & (frame["ds"].dt.hour == 12)
    assert (frame.loc[saturday_noon, "offered"] == 0).all()  # closed on Shabbat


def test_save_stores_a_reproducible_run(tmp_path) -> None:
    hist = tmp_path / "history.csv"
    make_history(weeks=3, queues={"sales": 15.0}).to_csv(hist, index=False)
    result = CliRunner().invoke(
        _app(),
        ["forecast", "--history", str(hist), "--out", str(tmp_path / "fc.csv"), "--method",
         "prophet", "--no-backtest", "--horizon-days", "1", "--save", str(tmp_path / "run")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    run = load_run(tmp_path / "run")
    assert run.methods == {"sales": "prophet"}
    assert load_prophet_model(tmp_path / "run", "sales").growth == "flat"
