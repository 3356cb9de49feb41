"""``wfm forecast``: volume and handle-time forecast per queue and interval from a history file.

A thin face over :func:`forecasts.core.forecast_history`: read and validate the history, take
opening hours, special days and country from a scenario when given, forecast, and write the
forecast CSV with ``<out stem>.metrics.csv`` (backtest metrics, which method was picked) next to
it. Bad input exits with code 2 and a message naming the field and the value.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from forecasts.core import METHODS, ForecastRun, forecast_history
from forecasts.schema import HistoryError, Problem, read_history
from forecasts.serialize import save_run
from scheduler.cli.common import EXIT_BAD_INPUT, err_console, user_errors


def metrics_path(out: Path) -> Path:
    """Where the metrics table goes: ``<out stem>.metrics.csv`` next to the forecast."""
    return out.with_name(f"{out.stem}.metrics.csv")


def _scenario_calendar(path: Path) -> dict[str, Any]:
    """Opening hours, special days and country from a scenario file, as ``forecasts`` reads them."""
    from scheduler.scenario import load_scenario

    scenario = load_scenario(path)
    site = scenario.site
    needed = ("forecast_open_hours", "forecast_special_days", "country")
    missing = [name for name in needed if not hasattr(site, name)]
    if missing:
        raise HistoryError(
            [
                Problem(
                    "scenario.site", missing, "this scenario model cannot give forecast calendars"
                )
            ]
        )
    return {
        "open_hours": site.forecast_open_hours(),
        "special_days": site.forecast_special_days(),
        "country": site.country,
    }


def summary_table(run: ForecastRun) -> Table:
    """Per queue: picked method, forecast volume and the picked method's backtest accuracy."""
    table = Table(title="Forecast per queue (backtest of the picked method)")
    for column in ("queue", "model", "contacts", "wMAPE", "bias", "coverage"):
        table.add_column(column, justify="left" if column in ("queue", "model") else "right")
    picked = run.metrics[run.metrics["picked"]].set_index("queue") if len(run.metrics) else None
    totals = run.frame.groupby("queue")["offered"].sum()
    for queue, model in run.methods.items():
        row = picked.loc[queue] if picked is not None and queue in picked.index else None
        table.add_row(
            queue,
            model,
            f"{totals[queue]:,.0f}",
            "-" if row is None else f"{row['wmape']:.3f}",
            "-" if row is None else f"{row['bias']:+.1%}",
            "-" if row is None else f"{row['coverage']:.0%}",
        )
    return table


def register(app: typer.Typer) -> None:
    """Add the ``forecast`` command to the ``wfm`` app."""

    @app.command("forecast")
    def forecast(
        history: Path = typer.Option(
            ..., "--history", help="History CSV or Parquet: queue, ds, offered, aht_s[, abandoned]."
        ),
        horizon_days: int = typer.Option(7, "--horizon-days", min=1, help="Days to forecast."),
        out: Path = typer.Option(
            Path("forecast.csv"), "--out", help="Forecast CSV; metrics go to <stem>.metrics.csv."
        ),
        scenario: Path | None = typer.Option(
            None, "--scenario", help="Scenario YAML: opening hours, special days, country."
        ),
        jobs: int = typer.Option(1, "--jobs", help="Worker processes (0 = one per core)."),
        method: str = typer.Option(
            "auto", "--method", help="auto | ensemble | prophet | weekday_average | seasonal_naive."
        ),
        backtest: bool = typer.Option(
            True, "--backtest/--no-backtest", help="Rolling-origin backtest to pick the method."
        ),
        origins: int = typer.Option(4, "--origins", min=1, help="Weekly backtest origins."),
        level: float = typer.Option(0.8, "--level", help="Prediction-interval level (0-1)."),
        country: str | None = typer.Option(
            None, "--country", help="Country code for public holidays (overrides the scenario)."
        ),
        save: Path | None = typer.Option(
            None,
            "--save",
            help="Also store the run in this directory: forecast, metrics, metadata and the "
            "fitted Prophet models as JSON, so it can be reproduced.",
        ),
    ) -> None:
        """Forecast contacts and handle time per queue and interval, best method per queue."""
        started = time.monotonic()
        with user_errors():
            if method not in METHODS:
                raise HistoryError(
                    [Problem("--method", method, f"must be one of {', '.join(METHODS)}")]
                )
            calendar: dict[str, Any] = {}
            if scenario is not None:
                calendar = _scenario_calendar(scenario)
            if country is not None:
                calendar["country"] = country
            frame = read_history(history)
            with err_console.status("forecasting...") as status:

                def progress(message: str) -> None:
                    status.update(f"forecasting: {message}")

                run = forecast_history(
                    frame,
                    horizon_days=horizon_days,
                    method=method,
                    backtest_origins=origins if backtest else 0,
                    level=level,
                    jobs=jobs,
                    progress=progress,
                    **calendar,
                )
            for warning in run.warnings[:5]:
                err_console.print(f"[yellow]warning[/]: {warning}", highlight=False)
            if len(run.warnings) > 5:
                err_console.print(f"[yellow]warning[/]: {len(run.warnings) - 5} more gap(s)")
            out.parent.mkdir(parents=True, exist_ok=True)
            run.frame.to_csv(out, index=False)
            run.metrics.to_csv(metrics_path(out), index=False)
            if save is not None:
                inputs = {"history": str(history), "scenario": str(scenario) if scenario else None,
                          "method": method, "origins": origins if backtest else 0}  # fmt: skip
                save_run(run, save, extra={"inputs": inputs})
                err_console.print(f"stored the run in {save}", highlight=False)
            err_console.print(summary_table(run))
            for queue, note in run.notes.items():
                err_console.print(f"  {queue}: {note}", highlight=False, markup=False)
            err_console.print(
                f"wrote {out} ({len(run.frame)} rows) and {metrics_path(out)} "
                f"in {time.monotonic() - started:.1f}s",
                highlight=False,
            )


__all__ = ["EXIT_BAD_INPUT", "metrics_path", "register"]
