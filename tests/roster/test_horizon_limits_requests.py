"""Contract limits over the whole horizon and dated shift requests with their own weights.

The fixtures are pure shift-cover scenarios (no queues): a week, early and late templates, and
cover rows whose targets and weights make the limits and requests bind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from scheduler.errors import InputError
from scheduler.model import Scenario
from scheduler.model.base import MINUTES_PER_DAY
from scheduler.roster.construct import construct
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints import preferences
from scheduler.roster.diagnose import prechecks
from scheduler.roster.evaluate import evaluate
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import ProblemData, build_problem, unscale
from scheduler.roster.result import Roster, Shift, SolveParams, SolveStatus
from scheduler.roster.solve import solve
from scheduler.roster.validate import validate_roster
from scheduler.scenario import parse_scenario

MONDAY = dt.date(2025, 3, 3)
SHIFT = 480
START = {"early": 6 * 60, "late": 14 * 60}


def cover_raw(agents: int = 2, **contract: Any) -> dict[str, Any]:
    """A week, two agents, early and late 8-hour shifts, no queues and every weight 0 but
    preferences; ``contract`` entries override the contract (no weekly limit binds)."""
    weights = {
        name: 0.0
        for name in (
            "service",
            "understaffing",
            "overstaffing",
            "cost",
            "fairness",
            "stability",
            "fairness_spread",
            "queue_switch",
            "goal_shortfall",
        )
    }
    return {
        "site": {"name": "ward", "interval_minutes": 60},
        "horizon": {"start": MONDAY.isoformat(), "days": 7},
        "contracts": [
            {
                "id": "C",
                "shift_templates": ["early", "late"],
                "max_days": 7,
                "max_minutes_per_week": 7 * SHIFT,
                "max_consecutive_days": 7,
                "min_rest_minutes": 0,
                **contract,
            }
        ],
        "shift_templates": [
            {
                "id": kind,
                "kind": kind,
                "start_earliest": START[kind],
                "start_latest": START[kind],
                "start_step_minutes": 60,
                "lengths_minutes": [SHIFT],
            }
            for kind in ("early", "late")
        ],
        "agents": [{"id": f"A{i}", "contract": "C"} for i in range(agents)],
        "rules": {"objective": {**weights, "preferences": 1.0}},
        "shift_cover": [],
    }


def problem(raw: dict[str, Any]) -> ProblemData:
    """The validated scenario's problem; no queues, so the requirements table has no rows."""
    empty = pd.DataFrame({"queue": [], "ds": [], "scheduled_needed": []})
    return build_problem(parse_scenario(raw), empty)


def quick(data: ProblemData) -> Any:
    """Solve on one worker (whole model: the fixtures are tiny) without the LP bound."""
    return solve(data, SolveParams(time_limit_s=10, workers=1, lp_bound=False))


def paid_by_agent(roster: Roster) -> dict[str, int]:
    """Paid minutes per agent id."""
    out: dict[str, int] = {}
    for s in roster.shifts:
        out[s.agent] = out.get(s.agent, 0) + s.paid_minutes
    return out


def shift(agent: str, day: int, kind: str) -> Shift:
    """A hand-made shift of ``kind`` on ``day``."""
    start = day * MINUTES_PER_DAY + START[kind]
    return Shift(
        agent=agent, day=day, template=kind, start=start, end=start + SHIFT, paid_minutes=SHIFT
    )


def problem_fields(raw: dict[str, Any]) -> dict[str, object]:
    """Field path -> offending value of every problem ``parse_scenario`` reports."""
    with pytest.raises(InputError) as info:
        parse_scenario(raw)
    return {p.field: p.value for p in info.value.problems}


# -- validation ---------------------------------------------------------------------------------


def test_horizon_minutes_out_of_order_name_both_numbers() -> None:
    raw = cover_raw(min_minutes_per_horizon=2000, max_minutes_per_horizon=1000)
    with pytest.raises(InputError) as info:
        parse_scenario(raw)
    text = str(info.value)
    assert "contracts[0](id=C)" in text
    assert "min_minutes_per_horizon 2000 exceeds max_minutes_per_horizon 1000" in text


def test_bad_horizon_limits_name_field_and_value() -> None:
    raw = cover_raw(max_minutes_per_horizon=-5, max_shifts_by_kind_per_horizon={"night": 2})
    fields = problem_fields(raw)
    assert fields["contracts[0](id=C).max_minutes_per_horizon"] == -5
    assert fields["contracts[0](id=C).max_shifts_by_kind_per_horizon"] == "night"


def test_negative_kind_limit_is_refused() -> None:
    raw = cover_raw(max_shifts_by_kind_per_horizon={"late": -1})
    with pytest.raises(InputError) as info:
        parse_scenario(raw)
    assert "max_shifts_by_kind_per_horizon.late: limit -1 is negative" in str(info.value)


def test_bad_requests_name_field_and_value() -> None:
    raw = cover_raw()
    raw["agents"][0]["preferences"] = {
        "requests": [
            {"date": "2025-03-04", "want": "maybe"},
            {"date": "2025-03-05", "want": "on", "weight": -1},
            {"date": "2025-03-06", "want": "off", "kind": "night"},
            {"date": "2025-03-07", "want": "off", "template": "nope"},
            {"date": "2025-03-08", "want": "on", "kind": "early", "template": "early"},
        ]
    }
    with pytest.raises(InputError) as info:
        parse_scenario(raw)
    fields = {p.field: p.value for p in info.value.problems}
    where = "agents[0](id=A0).preferences.requests"
    assert fields[f"{where}[0].want"] == "maybe"
    assert fields[f"{where}[1].weight"] == -1
    assert fields[f"{where}[2].kind"] == "night"
    assert fields[f"{where}[3].template"] == "nope"
    assert "not both" in str(info.value) and f"{where}[4]" in str(info.value)


def test_agents_need_skills_only_with_queues() -> None:
    # A queue-less scenario is legal; with queues, an agent without skills is an error.
    assert parse_scenario(cover_raw()).queues == []
    raw = cover_raw()
    raw["queues"] = [{"id": "V", "channel": "voice", "goal": {"asa_seconds": 30}}]
    raw["agents"][0]["skills"] = {"V": 1.0}
    with pytest.raises(InputError) as info:
        parse_scenario(raw)
    assert "agents[1](id=A1).skills: empty" in str(info.value)


# -- horizon limits -------------------------------------------------------------------------------


def busy(raw: dict[str, Any], weight: float = 10.0) -> dict[str, Any]:
    """Two early shifts wanted every day, each missing one costing ``weight``."""
    raw["shift_cover"] = [{"kind": "early", "target": 2, "under_weight": weight, "over_weight": 0}]
    return raw


def test_max_minutes_per_horizon_binds_in_cpsat_construct_and_validate() -> None:
    free = problem(busy(cover_raw()))
    assert set(paid_by_agent(quick(free).roster).values()) == {7 * SHIFT}
    data = problem(busy(cover_raw(max_minutes_per_horizon=3 * SHIFT)))
    result = quick(data)
    assert result.status is SolveStatus.OPTIMAL
    assert set(paid_by_agent(result.roster).values()) == {3 * SHIFT}
    assert result.objective == 8 * 10.0  # 14 wanted, 6 worked
    assert validate_roster(data, result.roster) == []
    plan, failed = construct(data)
    assert not failed
    assert max(paid_by_agent(plan.to_roster()).values()) <= 3 * SHIFT
    assert validate_roster(data, plan.to_roster()) == []


def test_min_minutes_per_horizon_forces_work_nobody_wants() -> None:
    raw = cover_raw(min_minutes_per_horizon=2 * SHIFT)
    raw["shift_cover"] = [{"kind": "early", "target": 0, "under_weight": 0, "over_weight": 1}]
    raw["shift_cover"].append({"kind": "late", "target": 0, "under_weight": 0, "over_weight": 1})
    result = quick(problem(raw))
    assert set(paid_by_agent(result.roster).values()) == {2 * SHIFT}
    assert result.objective == 4.0
    plan, failed = construct(problem(raw))
    assert not failed and set(paid_by_agent(plan.to_roster()).values()) == {2 * SHIFT}


def test_max_shifts_by_kind_per_horizon_binds() -> None:
    raw = cover_raw(max_shifts_by_kind_per_horizon={"late": 1})
    raw["shift_cover"] = [{"kind": "late", "target": 2, "under_weight": 10, "over_weight": 0}]
    data = problem(raw)
    result = quick(data)
    lates = [s for s in result.roster.shifts if s.template == "late"]
    assert len(lates) == 2 and {s.agent for s in lates} == {"A0", "A1"}
    assert result.objective == 12 * 10.0
    plan, failed = construct(data)
    assert not failed and validate_roster(data, plan.to_roster()) == []


def test_fixed_days_count_in_a_neighbourhood() -> None:
    # The incumbent gives A0 three shifts (days 0-2), its horizon maximum; freeing A0's other
    # days must not add any, although every day wants more early shifts.
    data = problem(busy(cover_raw(agents=1, max_minutes_per_horizon=3 * SHIFT)))
    plan = Plan.empty(data)
    for d in range(3):
        early = next(
            c for c in data.agents[0].candidates[d] if data.candidates[c].start % 1440 == 360
        )
        plan.set_shift(0, d, early, ())
    rm = cpsat_model.build(data, plan, {0: frozenset(range(3, 7))}, mode="full")
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    after = cpsat_model.read_back(rm, solver)
    assert [after.candidate(0, d) is not None for d in range(7)] == [True] * 3 + [False] * 4
    # Freeing one worked day lets the model move it, never add one.
    rm = cpsat_model.build(data, plan, {0: frozenset(range(2, 7))}, mode="full")
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    after = cpsat_model.read_back(rm, solver)
    assert sum(after.candidate(0, d) is not None for d in range(7)) == 3


def test_validate_reports_each_horizon_limit() -> None:
    raw = cover_raw(
        min_minutes_per_horizon=2 * SHIFT,
        max_minutes_per_horizon=3 * SHIFT,
        max_shifts_by_kind_per_horizon={"late": 1},
    )
    data = problem(raw)
    too_much = [shift("A0", d, "late") for d in range(4)] + [shift("A1", 0, "early")]
    roster = Roster(horizon_start=MONDAY, days=7, interval_minutes=60, shifts=tuple(too_much))
    messages = [str(v) for v in validate_roster(data, roster)]
    assert any("A0" in m and "1920 paid min > max_minutes_per_horizon 1440" in m for m in messages)
    assert any(
        "A0" in m and "4 late shifts > max_shifts_by_kind_per_horizon 1" in m for m in messages
    )
    assert any("A1" in m and "480 paid min < min 960" in m for m in messages)
    assert len(messages) == 3


def test_precheck_names_agent_field_and_numbers() -> None:
    raw = cover_raw(min_minutes_per_horizon=3 * SHIFT)
    raw["agents"][1]["time_off"] = [(MONDAY + dt.timedelta(days=d)).isoformat() for d in range(5)]
    clashes, _ = prechecks(problem(raw))
    assert len(clashes) == 1
    assert "agent A1" in clashes[0] and "min_minutes_per_horizon 1440" in clashes[0]
    assert "at most 960 paid min" in clashes[0]


# -- shift requests ------------------------------------------------------------------------------


def with_requests(*requests: dict[str, Any], agents: int = 1) -> dict[str, Any]:
    """One early shift wanted every day (2 per day missing) and A0's ``requests``."""
    raw = busy(cover_raw(agents=agents), weight=2.0)
    raw["shift_cover"][0]["target"] = 1
    raw["agents"][0]["preferences"] = {"requests": list(requests)}
    return raw


WEDNESDAY, FRIDAY = "2025-03-05", "2025-03-07"


def test_requests_steer_cpsat_and_construct() -> None:
    data = problem(
        with_requests(
            {"date": WEDNESDAY, "want": "off", "weight": 5},
            {"date": FRIDAY, "want": "on", "kind": "late", "weight": 5},
        )
    )
    result = quick(data)
    worked = {s.day: s.template for s in result.roster.shifts}
    assert worked == {0: "early", 1: "early", 3: "early", 4: "late", 5: "early", 6: "early"}
    assert result.objective == 4.0  # Wednesday's and Friday's early shift uncovered
    assert result.objective_terms["preferences"] == 0.0
    plan, failed = construct(data)
    assert not failed and evaluate(plan).terms["preferences"] == 0
    assert {
        d: data.templates[c.template].id for d in range(7) if (c := plan.candidate(0, d))
    } == worked


def test_requests_cost_in_evaluate() -> None:
    data = problem(
        with_requests(
            {"date": FRIDAY, "want": "on", "kind": "late", "weight": 7},
            {"date": WEDNESDAY, "want": "off", "weight": 3},
            {"date": "2025-03-04", "want": "off", "template": "early", "weight": 2},
        )
    )

    def cost(**days: str | None) -> float:
        plan = Plan.empty(data)
        for d, kind in enumerate(days.get(n) for n in ("mo", "tu", "we", "th", "fr")):
            if kind is not None:
                c = next(
                    c
                    for c in data.agents[0].candidates[d]
                    if data.templates[data.candidates[c].template].kind == kind
                )
                plan.set_shift(0, d, c, ())
        return unscale(evaluate(plan).terms["preferences"])

    assert cost(fr="late") == 0
    assert cost() == 7  # off on Friday misses the "on" request
    assert cost(fr="early") == 7
    assert cost(fr="late", we="early") == 3
    assert cost(fr="late", tu="early") == 2
    assert cost(fr="late", tu="late") == 0
    assert cost(tu="early", we="late") == 12


def test_requests_in_the_fairness_report() -> None:
    scenario: Scenario = parse_scenario(
        with_requests(
            {"date": FRIDAY, "want": "on", "kind": "late", "weight": 7},
            {"date": WEDNESDAY, "want": "off", "weight": 3},
            {"date": "2025-03-04", "want": "off", "template": "early", "weight": 2},
            {"date": "2025-03-03", "want": "off", "weight": 0},
            {"date": "2025-04-01", "want": "off", "weight": 1},
        )
    )
    agent = scenario.agents[0]
    dates = scenario.horizon.dates()
    tue, wed, fri = dates[1], dates[2], dates[4]
    # Weight 0 and dates off the horizon are not asked.
    assert preferences.asked_and_granted(agent, [], dates) == (3, 2)
    granted = [(fri, 840, "late", "late"), (tue, 840, "late", "late")]
    assert preferences.asked_and_granted(agent, granted, dates) == (3, 3)
    missed = [(fri, 360, "early", "early"), (tue, 360, "early", "early"), (wed, 360, "early")]
    assert preferences.asked_and_granted(agent, missed, dates) == (3, 0)


def test_weight_zero_request_creates_nothing() -> None:
    data = problem(
        with_requests(
            {"date": FRIDAY, "want": "on", "kind": "late", "weight": 0},
            {"date": WEDNESDAY, "want": "off", "weight": 0},
        )
    )
    assert all(c.preference_cost == 0 for c in data.candidates)
    assert data.agents[0].off_preference_cost == (0,) * 7
    rm = cpsat_model.build(data, Plan.empty(data), {0: frozenset(range(7))}, mode="full")
    assert not [t for t in rm.terms if t.family == "preferences"]


# -- the LP bound on scenarios without queues --------------------------------------------------


@pytest.mark.parametrize(
    "contract, cover",
    [
        ({"max_minutes_per_horizon": 3 * SHIFT}, None),
        ({"min_minutes_per_horizon": 2 * SHIFT}, "idle"),
        ({"max_shifts_by_kind_per_horizon": {"late": 1}}, "late"),
    ],
)
def test_lp_bound_prices_horizon_limits_without_queues(
    contract: dict[str, Any], cover: str | None
) -> None:
    # The three binding fixtures above, each with its optimum (80, 4, 120): agents without
    # skills serve no queue (the LP once failed on them), and the horizon rows make the bound
    # meet the optimum; without them it falls to 0.
    from scheduler.roster.bounds import lp_bound

    raw = cover_raw(**contract)
    if cover is None:
        raw = busy(raw)
    elif cover == "idle":
        raw["shift_cover"] = [
            {"kind": kind, "target": 0, "under_weight": 0, "over_weight": 1}
            for kind in ("early", "late")
        ]
    else:
        raw["shift_cover"] = [{"kind": "late", "target": 2, "under_weight": 10, "over_weight": 0}]
    data = problem(raw)
    optimum = quick(data)
    assert optimum.status is SolveStatus.OPTIMAL and optimum.objective is not None
    bound = lp_bound(data, time_limit=20)
    assert bound is not None
    assert optimum.objective - 1e-3 <= bound.value + 1e-3 * abs(optimum.objective) + 1e-3
    assert bound.value <= optimum.objective + 1e-6
    # Through the solve, with the bound on (its default): a gap, and no failure.
    result = solve(data, SolveParams(time_limit_s=10, workers=1))
    assert result.objective == optimum.objective
