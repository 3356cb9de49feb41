"""``wfm validate`` and ``wfm init`` as a planner runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from typer.testing import CliRunner

from scheduler.cli import app

runner = CliRunner()


def _write_history(path: Path, queues: tuple[str, ...] = ("voice",), minutes: int = 60) -> None:
    """Two full weeks of a flat history for ``queues`` at ``minutes`` intervals."""
    ds = pd.date_range("2023-12-18", periods=14 * 24 * 60 // minutes, freq=f"{minutes}min")
    frames = [pd.DataFrame({"queue": q, "ds": ds, "offered": 5, "aht_s": 180.0}) for q in queues]
    pd.concat(frames).to_csv(path, index=False)


def test_valid_scenario_and_history(tmp_path: Path, tiny_scenario_raw: dict[str, Any]) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(tiny_scenario_raw))
    history = tmp_path / "history.csv"
    _write_history(history)
    result = runner.invoke(
        app, ["validate", "--scenario", str(scenario), "--history", str(history)]
    )
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "1 queues, 2 agents" in result.output


def test_bad_scenario_and_history_report_everything(
    tmp_path: Path, tiny_scenario_raw: dict[str, Any]
) -> None:
    tiny_scenario_raw["agents"][0]["skills"] = {"nope": 1.0}
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(tiny_scenario_raw))
    history = tmp_path / "history.csv"
    _write_history(history)
    frame = pd.read_csv(history)
    frame.loc[3, "offered"] = -4
    frame.to_csv(history, index=False)
    result = runner.invoke(
        app, ["validate", "--scenario", str(scenario), "--history", str(history)]
    )
    assert result.exit_code == 2
    assert "agents[0](id=ann).skills" in result.output and "'nope'" in result.output
    assert "offered" in result.output and "-4" in result.output


def test_history_queues_must_match_the_scenario(
    tmp_path: Path, tiny_scenario_raw: dict[str, Any]
) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(tiny_scenario_raw))
    history = tmp_path / "history.csv"
    _write_history(history, queues=("voice", "sales"), minutes=30)
    result = runner.invoke(
        app, ["validate", "--scenario", str(scenario), "--history", str(history)]
    )
    assert result.exit_code == 2
    assert (
        "history.queue: queue not defined in the scenario's queues (got 'sales')" in result.output
    )
    assert "differs from site.interval_minutes=60" in result.output


def test_missing_scenario_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--scenario", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml" in result.output


def test_init_writes_a_valid_example_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "site"
    first = runner.invoke(app, ["init", str(target)])
    assert first.exit_code == 0, first.output
    assert (target / "scenario.yaml").is_file() and (target / "history.csv").is_file()
    check = runner.invoke(
        app,
        [
            "validate",
            "--scenario",
            str(target / "scenario.yaml"),
            "--history",
            str(target / "history.csv"),
        ],
    )
    assert check.exit_code == 0, check.output
    (target / "scenario.yaml").write_text("edited: true\n")
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 2 and "--force" in again.output
    assert (target / "scenario.yaml").read_text() == "edited: true\n"
