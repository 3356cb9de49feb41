"""Horizons shorter than a week: contract limits apply to the week the horizon is part of."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduler.roster.cpsat.constraints.contracts import week_limits
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import SolveParams, SolveStatus
from scheduler.roster.solve import solve
from scheduler.roster.validate import validate_roster
from scheduler.scenario import parse_scenario
from scheduler.staffing.requirements import build_requirements
from tests.conftest import tiny_scenario_dict


def _forecast(days: int) -> pd.DataFrame:
    """Thirty calls an hour during opening hours (08:00-18:00), none outside."""
    rows = []
    for day in range(days):
        for hour in range(24):
            rows.append(
                {
                    "queue": "voice",
                    "ds": pd.Timestamp("2024-01-01") + pd.Timedelta(days=day, hours=hour),
                    "offered": 30.0 if 8 <= hour < 18 else 0.0,
                    "aht_s": 240.0,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("days", [1, 2])
def test_short_horizon_with_demand_gets_shifts(days: int) -> None:
    # Regression: weekly maxima were scaled pro rata (1200 * 1/7 = 172 paid minutes), below any
    # 420-minute shift, so a one-day horizon came back OPTIMAL with nobody working.
    raw = tiny_scenario_dict()
    raw["horizon"]["days"] = days
    scenario = parse_scenario(raw)
    requirements = build_requirements(_forecast(days), scenario.queues, 60)
    assert requirements["scheduled_needed"].sum() > 0
    data = build_problem(scenario, requirements)
    result = solve(data, SolveParams(time_limit_s=5, workers=1))
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    # Both agents work every day: demand needs more than two agents all day.
    assert len(result.roster.shifts) == 2 * days
    assert result.objective is not None and result.objective < 0
    assert validate_roster(data, result.roster) == []


def test_partial_week_limits_keep_maxima_and_relax_minima() -> None:
    raw = tiny_scenario_dict()
    raw["contracts"][0].update(min_minutes_per_week=900, min_days=2)
    scenario = parse_scenario(raw)
    contract = scenario.contracts[0]
    one_day = week_limits(scenario, contract, 1)
    assert one_day.max_minutes == 1200 and one_day.max_days == 1
    # Six other days could hold 6 x 420 paid minutes and six working days.
    assert one_day.min_minutes == 0 and one_day.min_days == 0
    full = week_limits(scenario, contract, 7)
    assert (full.min_minutes, full.max_minutes, full.min_days, full.max_days) == (900, 1200, 2, 2)
    six_days = week_limits(scenario, contract, 6)
    assert six_days.min_minutes == 900 - 420 and six_days.min_days == 1
