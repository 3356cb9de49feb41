"""``wfm roster`` through Typer's test runner on a tiny scenario."""

from __future__ import annotations

import json

import pandas as pd
import typer
import yaml
from typer.testing import CliRunner

from scheduler.cli.roster_cmd import register
from scheduler.scenario import dump_scenario


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps Typer's sub-command layout
        """Nothing."""

    return app


def _files(tmp_path, scenario, requirements):
    scen = tmp_path / "scenario.yaml"
    scen.write_text(yaml.safe_dump(dump_scenario(scenario)), encoding="utf-8")
    req = tmp_path / "requirements.csv"
    requirements.to_csv(req, index=False)
    return scen, req


def test_roster_command_writes_json_and_csv(tmp_path, scenario, requirements):
    scen, req = _files(tmp_path, scenario, requirements)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        _app(),
        [
            "roster",
            "--scenario",
            str(scen),
            "--requirements",
            str(req),
            "--out",
            str(out),
            "--time-limit",
            "2",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads((out / "roster.json").read_text())
    assert payload["status"] in ("OPTIMAL", "FEASIBLE")
    table = pd.read_csv(out / "roster.csv")
    assert len(table) == len(payload["roster"]["shifts"]) > 0
    assert table["start"].str.match(r"^\d\d:\d\d$").all()
    assert table["breaks"].str.contains("lunch").all()

    # Regenerating against the published roster keeps it.
    again = CliRunner().invoke(
        _app(),
        [
            "roster",
            "--scenario",
            str(scen),
            "--requirements",
            str(req),
            "--out",
            str(tmp_path / "again"),
            "--previous",
            str(out / "roster.json"),
            "--time-limit",
            "2",
            "--workers",
            "1",
        ],
    )
    assert again.exit_code == 0, again.output
    diff = json.loads((tmp_path / "again" / "roster.json").read_text())["diff"]
    assert diff is not None


def test_bad_requirements_exit_2_naming_the_value(tmp_path, scenario, requirements):
    requirements = requirements.assign(queue=requirements["queue"].replace("V2", "NOPE"))
    scen, req = _files(tmp_path, scenario, requirements)
    result = CliRunner().invoke(
        _app(),
        [
            "roster",
            "--scenario",
            str(scen),
            "--requirements",
            str(req),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert "NOPE" in result.output


def test_infeasible_exit_3_with_clashes(tmp_path, make_scenario, make_requirements):
    # Five 7.5-hour paid shifts (the most max_days allows) hold 2250 min, short of 2400.
    sc = make_scenario(days=7, agents=2, min_minutes_per_week=2400)
    scen, req = _files(tmp_path, sc, make_requirements(sc))
    result = CliRunner().invoke(
        _app(),
        [
            "roster",
            "--scenario",
            str(scen),
            "--requirements",
            str(req),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 3
    assert "A0" in result.output
