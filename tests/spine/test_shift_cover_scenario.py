"""``shift_cover`` rows in scenario files: valid ones load, bad ones name the field and value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.errors import InputError
from scheduler.model import ShiftCover
from scheduler.model.cover import DEFAULT_OVER_WEIGHT, DEFAULT_UNDER_WEIGHT
from scheduler.scenario import dump_scenario, parse_scenario


def _problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_scenario(raw)
    return [str(p) for p in info.value.problems]


def test_rows_load_with_defaults(tiny_scenario_raw: dict[str, Any]) -> None:
    """YAML dates arrive as dates; weights default; the row counts shifts of its kind."""
    tiny_scenario_raw["shift_cover"] = yaml.safe_load(
        "- {kind: day, weekdays: [tue], dates: [2024-01-01], min: 1, target: 2, max: 3}\n"
        "- {template: day}\n"
    )
    first, second = parse_scenario(tiny_scenario_raw).shift_cover
    assert first.dates == [dt.date(2024, 1, 1)]
    assert (first.min, first.target, first.max) == (1, 2, 3)
    assert (first.under_weight, first.over_weight) == (DEFAULT_UNDER_WEIGHT, DEFAULT_OVER_WEIGHT)
    assert first.label == "kind day" and second.label == "template day"
    assert (second.min, second.target, second.max) == (0, None, None)


def test_scenario_without_rows_has_none(tiny_scenario_raw: dict[str, Any]) -> None:
    assert parse_scenario(tiny_scenario_raw).shift_cover == []


def test_dump_and_reload_round_trips(tiny_scenario_raw: dict[str, Any]) -> None:
    tiny_scenario_raw["shift_cover"] = [{"kind": "day", "weekdays": ["mon"], "min": 1}]
    scenario = parse_scenario(tiny_scenario_raw)
    assert parse_scenario(yaml.safe_load(yaml.safe_dump(dump_scenario(scenario)))) == scenario


def test_applies_on_dates_and_weekdays() -> None:
    monday, tuesday, wednesday = (dt.date(2024, 1, d) for d in (1, 2, 3))
    every_day = ShiftCover(kind="late")
    assert all(every_day.applies_on(d) for d in (monday, tuesday, wednesday))
    some = ShiftCover(kind="late", dates=[wednesday], weekdays=["mon"])
    assert some.applies_on(monday) and some.applies_on(wednesday)
    assert not some.applies_on(tuesday)


def test_counts_by_kind_or_template() -> None:
    assert ShiftCover(kind="late").counts("eve", "late")
    assert not ShiftCover(kind="late").counts("day", "day")
    assert ShiftCover(template="eve").counts("eve", "late")
    assert not ShiftCover(template="eve").counts("eve2", "late")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"kind": "night", "min": 1}, ["shift_cover[0].kind", "'night'", "kinds: ['day']"]),
        ({"template": "N8"}, ["shift_cover[0].template", "'N8'", "unknown shift template"]),
        ({"kind": "day", "min": 3, "target": 2}, ["shift_cover[0].target", "below min 3"]),
        ({"kind": "day", "target": 4, "max": 2}, ["shift_cover[0].max", "below target 4"]),
        ({"kind": "day", "min": 3, "max": 2}, ["shift_cover[0].max", "below min 3"]),
        ({"kind": "day", "min": -1}, ["shift_cover[0].min", "-1"]),
        ({"kind": "day", "weekdays": ["mon", "funday"]}, ["shift_cover[0].weekdays[1]", "funday"]),
        (
            {"kind": "day", "dates": ["2024-01-02", "2024-03-01"]},
            ["shift_cover[0].dates[1]", "2024-03-01", "outside the horizon 2024-01-01..2024-01-02"],
        ),
        ({"kind": "day", "template": "day"}, ["shift_cover[0]", "exactly one of kind"]),
        ({"min": 1}, ["shift_cover[0]", "exactly one of kind"]),
        ({"kind": "day", "under_weight": -5}, ["shift_cover[0].under_weight", "-5"]),
        ({"kind": "day", "mn": 2}, ["shift_cover[0].mn", "Extra inputs"]),
    ],
)
def test_bad_rows_name_field_and_value(
    tiny_scenario_raw: dict[str, Any], row: dict[str, Any], expected: list[str]
) -> None:
    tiny_scenario_raw["shift_cover"] = [row]
    problems = _problems(tiny_scenario_raw)
    assert any(all(part in p for part in expected) for p in problems), problems


def test_every_bad_row_is_reported_at_once(tiny_scenario_raw: dict[str, Any]) -> None:
    tiny_scenario_raw["shift_cover"] = [
        {"kind": "late", "min": 1},
        {"kind": "day", "min": 2, "target": 1},
        {"template": "day", "weekdays": ["someday"]},
    ]
    problems = " | ".join(_problems(tiny_scenario_raw))
    for path in ("shift_cover[0].kind", "shift_cover[1].target", "shift_cover[2].weekdays[0]"):
        assert path in problems


def test_wfm_validate_exits_2_naming_field_and_value(
    tmp_path: Path, tiny_scenario_raw: dict[str, Any]
) -> None:
    tiny_scenario_raw["shift_cover"] = [
        {"kind": "late", "min": 2},
        {"kind": "day", "dates": ["2025-06-01"]},
    ]
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(tiny_scenario_raw), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--scenario", str(path)])
    assert result.exit_code == 2, result.output
    assert "shift_cover[0].kind" in result.output and "'late'" in result.output
    assert "shift_cover[1].dates[0]" in result.output and "2025-06-01" in result.output
