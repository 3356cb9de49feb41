"""``wfm erlang`` and ``wfm staff`` through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
import yaml
from typer.testing import CliRunner

from scheduler.cli.staffing_cmd import register
from scheduler.staffing.requirements import REQUIREMENT_COLUMNS

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    """A bare Typer app with only the staffing commands registered."""
    application = typer.Typer()
    register(application)
    return application


def test_erlang_json_published_example(app: typer.Typer) -> None:
    """The README example: 14 agents, 20 scheduled with 30% shrinkage, service level binds."""
    args = "erlang --calls 100 --interval-minutes 30 --aht-seconds 180 --target 0.8"
    result = runner.invoke(
        app, [*args.split(), "--answer-seconds", "20", "--shrinkage", "0.3", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {
        "agents",
        "scheduled_agents",
        "service_level",
        "asa_seconds",
        "occupancy",
        "p_wait",
        "p_abandon",
        "binding",
    }
    assert out["agents"] == 14 and out["scheduled_agents"] == 20
    assert out["binding"] == "service_level" and out["p_abandon"] is None
    assert out["service_level"] == pytest.approx(0.888350, abs=1e-6)
    assert out["asa_seconds"] == pytest.approx(7.836, abs=1e-3)


def test_erlang_with_patience_and_occupancy(app: typer.Typer) -> None:
    """Erlang A sizes 13 agents; an occupancy cap of 70% makes it bind at 15."""
    base = ["erlang", "--calls", "100", "--aht-seconds", "180", "--json"]
    a = json.loads(runner.invoke(app, [*base, "--patience-seconds", "300"]).stdout)
    assert a["agents"] == 13 and a["p_abandon"] is not None
    occ = json.loads(runner.invoke(app, [*base, "--max-occupancy", "0.7"]).stdout)
    assert occ["agents"] == 15 and occ["binding"] == "occupancy"


def test_erlang_evaluate_given_agents(app: typer.Typer) -> None:
    """--agents evaluates instead of sizing; too few agents give a null (infinite) ASA."""
    base = ["erlang", "--calls", "100", "--aht-seconds", "180", "--json"]
    out = json.loads(runner.invoke(app, [*base, "--agents", "13"]).stdout)
    assert out["agents"] == 13 and out["binding"] is None
    assert out["service_level"] == pytest.approx(0.795595, abs=1e-6)
    unstable = json.loads(runner.invoke(app, [*base, "--agents", "9"]).stdout)
    assert unstable["asa_seconds"] is None and unstable["service_level"] == 0


def test_erlang_human_table(app: typer.Typer) -> None:
    """Without --json a small table is printed."""
    result = runner.invoke(app, ["erlang", "--calls", "100", "--aht-seconds", "180"])
    assert result.exit_code == 0
    assert "scheduled_agents" in result.stdout and "Erlang C" in result.stdout


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--calls", "-5"),
        ("--aht-seconds", "0"),
        ("--target", "1.2"),
        ("--target", "0"),
        ("--shrinkage", "1"),
        ("--max-occupancy", "0"),
        ("--patience-seconds", "-1"),
        ("--agents", "-2"),
    ],
)
def test_erlang_impossible_inputs_exit_2(app: typer.Typer, flag: str, value: str) -> None:
    """Impossible inputs exit 2 with a message naming the flag."""
    args = {"--calls": "100", "--aht-seconds": "180"}
    args[flag] = value
    flat = ["erlang", *[x for kv in args.items() for x in kv]]
    result = runner.invoke(app, flat)
    assert result.exit_code == 2
    assert flag in result.output


def _scenario(tmp_path: Path) -> Path:
    from tests.conftest import tiny_scenario_dict

    raw = tiny_scenario_dict()
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def test_staff_writes_requirements(app: typer.Typer, tmp_path: Path) -> None:
    """wfm staff reads scenario + forecast and writes the requirements CSV."""
    scenario = _scenario(tmp_path)
    ds = pd.date_range("2024-01-01 08:00", periods=10, freq="60min")
    fc = pd.DataFrame(
        {
            "queue": "voice",
            "ds": ds,
            "offered": [0, 20, 40, 60, 50, 40, 30, 20, 10, 0],
            "aht_s": 240.0,
        }
    )
    fc.to_csv(tmp_path / "fc.csv", index=False)
    out = tmp_path / "req" / "requirements.csv"
    result = runner.invoke(
        app,
        [
            "staff",
            "--scenario",
            str(scenario),
            "--forecast",
            str(tmp_path / "fc.csv"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    req = pd.read_csv(out)
    assert tuple(req.columns) == REQUIREMENT_COLUMNS and len(req) == 10
    assert req["scheduled_needed"].max() > 0


def test_staff_bad_forecast_names_field(app: typer.Typer, tmp_path: Path) -> None:
    """A negative offered value exits 2 naming the field and the value."""
    scenario = _scenario(tmp_path)
    fc = pd.DataFrame(
        {"queue": ["voice"], "ds": ["2024-01-01 08:00"], "offered": [-4], "aht_s": [200]}
    )
    fc.to_csv(tmp_path / "fc.csv", index=False)
    result = runner.invoke(
        app,
        [
            "staff",
            "--scenario",
            str(scenario),
            "--forecast",
            str(tmp_path / "fc.csv"),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code == 2
    assert "forecast.offered[row 0]" in result.output and "-4" in result.output
    missing = runner.invoke(
        app,
        [
            "staff",
            "--scenario",
            str(tmp_path / "nope.yaml"),
            "--forecast",
            str(tmp_path / "fc.csv"),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert missing.exit_code == 2 and "nope.yaml" in missing.output
