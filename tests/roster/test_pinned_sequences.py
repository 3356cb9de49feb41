"""Pinned shifts are kept; minimum consecutive working days hold (solver and validator)."""

from __future__ import annotations

import pytest

from scheduler.errors import InputError
from scheduler.model.agent import PinnedShift
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import Roster, Shift, SolveParams
from scheduler.roster.solve import solve
from scheduler.roster.validate import validate_roster

PARAMS = SolveParams(time_limit_s=4, workers=1, seed=1, lp_bound=False)


def _pin(sc, agent: str, pins: list[PinnedShift]):  # type: ignore[no-untyped-def]
    agents = [a.model_copy(update={"pinned": pins}) if a.id == agent else a for a in sc.agents]
    return sc.model_copy(update={"agents": agents})


def test_pinned_shift_is_worked_as_pinned(make_scenario, make_requirements):
    sc = make_scenario(days=3, agents=4)
    date = sc.horizon.start
    # 12:00 is the latest start: the solver would not choose it for A1 unprompted.
    sc = _pin(sc, "A1", [PinnedShift(date=date, template="day", start="12:00")])
    data = build_problem(sc, make_requirements(sc, peak=1))
    result = solve(data, PARAMS)
    mine = [s for s in result.roster.shifts if s.agent == "A1" and s.day == 0]
    assert len(mine) == 1 and mine[0].start == 12 * 60
    assert validate_roster(data, result.roster) == []
    moved = result.roster.model_copy(
        update={"shifts": tuple(s for s in result.roster.shifts if s is not mine[0])}
    )
    assert any(v.rule == "pinned" for v in validate_roster(data, moved))


def test_pin_nothing_matches_is_an_input_error(make_scenario, make_requirements):
    sc = make_scenario(days=3, agents=2)
    sc = _pin(sc, "A0", [PinnedShift(date=sc.horizon.start, template="day", start="07:00")])
    with pytest.raises(InputError) as err:
        build_problem(sc, make_requirements(sc))
    assert "pinned[0]" in str(err.value.problems[0].field)


def test_min_consecutive_days_solver_and_validator(make_scenario, make_requirements):
    sc = make_scenario(days=7, agents=3, max_days=4, min_consecutive_days=3)
    data = build_problem(sc, make_requirements(sc))
    result = solve(data, PARAMS)
    assert validate_roster(data, result.roster) == []
    for agent in ("A0", "A1", "A2"):
        days = sorted(s.day for s in result.roster.shifts if s.agent == agent)
        blocks: list[list[int]] = []
        for d in days:
            if blocks and blocks[-1][-1] == d - 1:
                blocks[-1].append(d)
            else:
                blocks.append([d])
        # Blocks touching the horizon's ends may be cut short; inner ones may not.
        assert all(len(b) >= 3 for b in blocks if b[0] > 0 and b[-1] < 6)
    # A lone working day between days off is reported.
    shift = next(s for s in result.roster.shifts if s.agent == "A0")
    lone = Roster(
        horizon_start=data.horizon_start,
        days=7,
        interval_minutes=30,
        shifts=(
            Shift.model_validate(
                {
                    **shift.model_dump(),
                    "day": 3,
                    "start": shift.start % 1440 + 3 * 1440,
                    "end": shift.end % 1440 + 3 * 1440,
                    "breaks": (),
                    "activities": (),
                }
            ),
        ),
    )
    assert any("consecutive day(s) worked" in v.message for v in validate_roster(data, lone))
