"""Scenario files: valid ones load, bad ones are rejected naming every field and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.errors import InputError
from scheduler.model import Channel
from scheduler.scenario import load_scenario, parse_scenario


def _problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_scenario(raw)
    return [str(p) for p in info.value.problems]


def test_tiny_scenario_loads_with_minutes_and_defaults(tiny_scenario_raw: dict[str, Any]) -> None:
    scenario = parse_scenario(tiny_scenario_raw)
    assert scenario.queues[0].channel is Channel.VOICE
    template = scenario.template("day")
    assert template.starts() == [480, 540, 600]
    assert template.paid_minutes(480) == 420
    # Weekdays left out of opening_hours are closed.
    assert scenario.site.opening_hours["sun"] == []
    assert scenario.site.forecast_open_hours()[0] == [(480, 1080)]


def test_load_from_yaml_file(tmp_path: Path, tiny_scenario_raw: dict[str, Any]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(tiny_scenario_raw))
    assert load_scenario(path).agents[1].id == "bob"


def test_every_problem_is_reported_at_once(tiny_scenario_raw: dict[str, Any]) -> None:
    raw = tiny_scenario_raw
    raw["agents"][0]["skills"] = {"voicee": 1.0}
    raw["agents"][1]["contract"] = "nobody"
    raw["site"]["interval_minutes"] = 25
    raw["queues"][0]["shrinkage"] = -0.2
    problems = _problems(raw)
    text = "\n".join(problems)
    assert len(problems) == 4, text
    assert "agents[0](id=ann).skills: unknown queue" in text and "'voicee'" in text
    assert "agents[1](id=bob).contract: unknown contract" in text and "'nobody'" in text
    assert "site.interval_minutes" in text and "25" in text
    assert "queues[0](id=voice).shrinkage" in text and "-0.2" in text


def test_opening_hours_off_the_grid_are_rejected(tiny_scenario_raw: dict[str, Any]) -> None:
    tiny_scenario_raw["site"]["opening_hours"]["mon"] = [["08:15", "18:00"]]
    assert any("not on the 60-minute interval grid" in p for p in _problems(tiny_scenario_raw))


def test_bad_clock_and_unknown_weekday(tiny_scenario_raw: dict[str, Any]) -> None:
    tiny_scenario_raw["shift_templates"][0]["start_earliest"] = "25:00"
    tiny_scenario_raw["agents"][0]["availability"] = {"funday": [["08:00", "12:00"]]}
    text = "\n".join(_problems(tiny_scenario_raw))
    assert "shift_templates[0](id=day).start_earliest" in text and "25:00" in text
    assert "agents[0](id=ann).availability" in text and "funday" in text


def test_duplicate_ids_and_template_references(tiny_scenario_raw: dict[str, Any]) -> None:
    tiny_scenario_raw["agents"][1]["id"] = "ann"
    tiny_scenario_raw["contracts"][0]["shift_templates"] = ["day", "night"]
    text = "\n".join(_problems(tiny_scenario_raw))
    assert "agents.id: used 2 times (got 'ann')" in text
    assert "contracts[0](id=full).shift_templates: unknown shift template" in text


def test_deferred_queue_needs_a_deadline(tiny_scenario_raw: dict[str, Any]) -> None:
    tiny_scenario_raw["queues"].append(
        {"id": "mail", "channel": "email", "goal": {"service_level": 0.9, "answer_seconds": 60}}
    )
    assert any("needs goal.deadline_minutes" in p for p in _problems(tiny_scenario_raw))


def test_break_window_must_fit_the_shift(tiny_scenario_raw: dict[str, Any]) -> None:
    tiny_scenario_raw["shift_templates"][0]["breaks"][0]["latest_end_after_start"] = 600
    assert any("past the 480-minute shift" in p for p in _problems(tiny_scenario_raw))


def test_not_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("site: [unclosed")
    with pytest.raises(InputError, match="not valid YAML"):
        load_scenario(bad)
    with pytest.raises(InputError, match="No such file"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="top level must be a mapping"):
        parse_scenario(["a", "list"])


def test_template_weekdays_restrict_candidate_days(tiny_scenario_raw: dict[str, Any]) -> None:
    """A template limited to Tuesdays yields no Monday shifts (2024-01-01 is a Monday)."""
    import pandas as pd

    from scheduler.roster.problem_data import build_problem

    tiny_scenario_raw["shift_templates"][0]["weekdays"] = ["tue"]
    scenario = parse_scenario(tiny_scenario_raw)
    assert not scenario.template("day").runs_on(0) and scenario.template("day").runs_on(1)
    ds = pd.date_range("2024-01-01", periods=48, freq="60min")
    requirements = pd.DataFrame(
        {
            "queue": "voice",
            "ds": ds,
            "channel": "voice",
            "offered": 10.0,
            "aht_s": 180.0,
            "required_agents": 1.0,
            "required_int": 1,
            "scheduled_needed": 1,
            "binding": "service_level",
            "service_level": 0.8,
            "curve_start": 0,
            "sl_curve": "0;0.8;0.95",
            "work_minutes": 30.0,
            "deadline_minutes": None,
        }
    )
    data = build_problem(scenario, requirements)
    assert data.candidates and {c.day for c in data.candidates} == {1}


def test_unknown_template_weekday(tiny_scenario_raw: dict[str, Any]) -> None:
    tiny_scenario_raw["shift_templates"][0]["weekdays"] = ["tues"]
    assert any("unknown weekday(s) ['tues']" in p for p in _problems(tiny_scenario_raw))
