"""The stage commands chain through files, as a planner runs them (forecast -> report)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from scheduler.cli import app

runner = CliRunner()


def _history(path: Path) -> None:
    """Three weeks of hourly history for the tiny scenario's voice queue.

    Contacts arrive Monday and Tuesday 08:00-18:00 (the tiny site's hours), Poisson with a
    midday peak; zero while closed.
    """
    rng = np.random.default_rng(3)
    ds = pd.date_range("2023-12-11", "2023-12-31 23:00", freq="60min")
    open_ = (ds.day_of_week <= 1) & (ds.hour >= 8) & (ds.hour < 18)
    mean = np.where(open_, 12 + 8 * np.sin((ds.hour - 8) / 10 * np.pi), 0.0)
    offered = rng.poisson(mean)
    aht = np.where(offered > 0, 180.0, np.nan)
    pd.DataFrame({"queue": "voice", "ds": ds, "offered": offered, "aht_s": aht}).to_csv(
        path, index=False
    )


def _run(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, f"wfm {' '.join(args)}\n{result.output}"
    return result.output


def test_forecast_staff_roster_report_through_files(
    tmp_path: Path, tiny_scenario_raw: dict[str, Any]
) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(tiny_scenario_raw))
    history = tmp_path / "history.csv"
    _history(history)
    forecast = tmp_path / "forecast.csv"
    requirements = tmp_path / "requirements.csv"
    roster_dir = tmp_path / "roster"
    report = tmp_path / "report.html"

    _run(["validate", "--scenario", str(scenario), "--history", str(history)])
    _run(
        [
            "forecast",
            "--history",
            str(history),
            "--scenario",
            str(scenario),
            "--horizon-days",
            "2",
            "--method",
            "weekday_average",
            "--origins",
            "1",
            "--out",
            str(forecast),
        ]
    )
    frame = pd.read_csv(forecast, parse_dates=["ds"])
    assert list(frame.columns)[:7] == [
        "queue",
        "ds",
        "offered",
        "aht_s",
        "offered_lo",
        "offered_hi",
        "model",
    ]
    assert frame["ds"].min() == pd.Timestamp("2024-01-01") and len(frame) == 48
    assert frame.loc[frame["ds"].dt.hour == 3, "offered"].eq(0).all()
    assert frame.loc[frame["ds"].dt.hour == 12, "offered"].gt(5).all()

    _run(
        [
            "staff",
            "--scenario",
            str(scenario),
            "--forecast",
            str(forecast),
            "--out",
            str(requirements),
        ]
    )
    need = pd.read_csv(requirements, parse_dates=["ds"])
    midday = need[need["ds"].dt.hour == 12]
    assert (midday["scheduled_needed"] >= 1).all()

    _run(
        [
            "roster",
            "--scenario",
            str(scenario),
            "--requirements",
            str(requirements),
            "--out",
            str(roster_dir),
            "--time-limit",
            "5",
            "--workers",
            "1",
        ]
    )
    result = json.loads((roster_dir / "roster.json").read_text())
    assert result["status"] in ("OPTIMAL", "FEASIBLE")
    table = pd.read_csv(roster_dir / "roster.csv")
    assert set(table["agent"]) <= {"ann", "bob"} and len(table) >= 2
    assert table["breaks"].str.contains("lunch").all()

    _run(
        [
            "report",
            "--scenario",
            str(scenario),
            "--requirements",
            str(requirements),
            "--roster",
            str(roster_dir / "roster.json"),
            "--out",
            str(report),
        ]
    )
    html = report.read_text()
    assert html.startswith("<!DOCTYPE html>") and "Ann" in html


def test_roster_rejects_a_requirements_file_for_unknown_queues(
    tmp_path: Path, tiny_scenario_raw: dict[str, Any]
) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(tiny_scenario_raw))
    bad = tmp_path / "requirements.csv"
    pd.DataFrame(
        {"queue": ["sales"], "ds": ["2024-01-01 08:00:00"], "scheduled_needed": [1]}
    ).to_csv(bad, index=False)
    result = runner.invoke(
        app,
        ["roster", "--scenario", str(scenario), "--requirements", str(bad), "--out", str(tmp_path)],
    )
    assert result.exit_code == 2
    assert "sales" in result.output


@pytest.mark.slow
def test_demo_writes_every_file_with_a_feasible_roster(tmp_path: Path) -> None:
    """The whole bundled example, as ``make demo`` runs it (shorter solver limit)."""
    out = tmp_path / "demo"
    output = _run(["demo", "--out", str(out), "--time-limit", "10", "--jobs", "2"])
    for name in (
        "forecast.csv",
        "requirements.csv",
        "roster.json",
        "roster.csv",
        "summary.json",
        "report.html",
    ):
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["solver"]["status"] in ("OPTIMAL", "FEASIBLE")
    assert summary["shifts"] > 100
    weekly = {row["queue"]: row for row in summary["service_by_queue_week"]}
    assert set(weekly) == {
        "voice_retail",
        "voice_prospects",
        "voice_stocks",
        "voice_other",
        "chat",
        "email",
    }
    # The roster buys service: the big voice queue and the deferred email queue meet their goals.
    assert weekly["voice_retail"]["service_level"] >= 0.8
    assert weekly["email"]["service_level"] >= 0.9
    assert "Roster summary" in output
