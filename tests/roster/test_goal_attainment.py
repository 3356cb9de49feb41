"""Goal attainment: a queue-day short of its service-level goal is priced per contact short.

The fixture is a big and a tiny voice queue served by the same dual-skilled agents: the big
queue's extra agent always answers more calls in target than the tiny queue's first, so without
the term the tiny queue is left unstaffed; with it the tiny queue reaches its goal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

import tests.conftest as shared
from scheduler.model import Scenario
from scheduler.roster.allocate import allocate
from scheduler.roster.construct import construct
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints import goal_attainment
from scheduler.roster.cpsat.objective import term_values
from scheduler.roster.evaluate import evaluate
from scheduler.roster.plan import Plan, plan_from_roster
from scheduler.roster.problem_data import SCALE, ProblemData, build_problem
from scheduler.roster.result import SolveParams
from scheduler.roster.solve import solve
from scheduler.scenario import parse_scenario

BIG_CURVE = "0.30;0.55;0.72;0.83;0.90;0.94;0.97"
"""SL with 1, 2, ... agents on the big queue (40 calls an hour, 3 needed): its 7th agent still
answers 1.2 calls more in target, more than the tiny queue's first (0.9)."""
TINY_CURVE = "0.90;0.99"
"""SL with 1, 2 agents on the tiny queue (one call an hour, 10:00-15:00, 1 needed)."""
TINY_HOURS = range(10, 15)


def two_queue_scenario(weight: float, **objective: float) -> Scenario:
    """Seven agents skilled on ``big`` and ``tiny`` (goal 80 % in 20 s each), two 08-18 days.

    ``weight`` is ``rules.objective.goal_shortfall``; ``objective`` sets other weights. No
    understaffing weight, so that only contacts in target (and the goal) value the staff; the
    agents are enough for the big queue to stay above its goal.
    """
    raw = shared.tiny_scenario_dict()
    goal = {"service_level": 0.8, "answer_seconds": 20}
    raw["queues"] = [
        {"id": "big", "channel": "voice", "goal": goal},
        {"id": "tiny", "channel": "voice", "goal": goal},
    ]
    raw["agents"] = [
        {
            "id": f"a{i}",
            "name": f"Agent {i}",
            "skills": {"big": 1.0, "tiny": 1.0},
            "contract": "full",
        }
        for i in range(7)
    ]
    weights = {"understaffing": 0.0, "goal_shortfall": weight, **objective}
    raw["rules"] = {"objective": weights}
    return parse_scenario(raw)


def two_queue_requirements(scenario: Scenario) -> pd.DataFrame:
    """Big: 40 calls and 3 agents every hour 08-18; tiny: one call and 1 agent 10-15."""
    rows = []
    for stamp in pd.date_range(str(scenario.horizon.start), periods=48, freq="60min"):
        open_hour = 8 <= stamp.hour < 18
        for queue, curve in (("big", BIG_CURVE), ("tiny", TINY_CURVE)):
            busy = open_hour and (queue == "big" or stamp.hour in TINY_HOURS)
            rows.append(
                {
                    "queue": queue,
                    "ds": stamp,
                    "channel": "voice",
                    "offered": (40.0 if queue == "big" else 1.0) if busy else 0.0,
                    "aht_s": 180.0,
                    "scheduled_needed": (3 if queue == "big" else 1) if busy else 0,
                    "curve_start": 1,
                    "sl_curve": curve if busy else "",
                    "work_minutes": None,
                    "deadline_minutes": None,
                }
            )
    return pd.DataFrame(rows)


def problem(weight: float, **objective: float) -> ProblemData:
    """The two-queue problem at goal-shortfall weight ``weight``."""
    scenario = two_queue_scenario(weight, **objective)
    return build_problem(scenario, two_queue_requirements(scenario))


def tiny_counts(data: ProblemData, plan: Plan) -> np.ndarray:
    """Agents on the tiny queue in its busy hours, day by day."""
    tiny = data.queue_index("tiny")
    n = plan.coverage()
    return np.array([[n[tiny, d * data.per_day + h] for h in TINY_HOURS] for d in range(data.days)])


def tiny_service(data: ProblemData, plan: Plan) -> list[float]:
    """The tiny queue's share of calls answered in target per day (value curve)."""
    tiny = data.queue_index("tiny")
    got = goal_attainment.answered(data, plan.coverage())[tiny]
    offered = data.offered[tiny, : data.n_demand].reshape(data.days, -1).sum(axis=1)
    return [float(a) / SCALE / o for a, o in zip(got, offered, strict=True)]


def solved(data: ProblemData) -> Plan:
    """The roster the solver returns (one worker, fixed seed)."""
    result = solve(data, SolveParams(time_limit_s=8, workers=1, seed=3, lp_bound=False))
    return plan_from_roster(data, result.roster)


def test_without_the_term_the_tiny_queue_starves_and_with_it_meets_its_goal() -> None:
    """Weight 0: nobody on the tiny queue in some busy hour; weight 5: at goal every day."""
    starved = problem(0.0)
    plan0 = solved(starved)
    assert (tiny_counts(starved, plan0) == 0).any()
    assert min(tiny_service(starved, plan0)) < 0.8
    assert "goal_shortfall" not in evaluate(plan0).terms

    held = problem(5.0)
    plan5 = solved(held)
    assert min(tiny_service(held, plan5)) >= 0.8
    ev = evaluate(plan5)
    assert ev.terms["goal_shortfall"] == 0
    # The same roster under the weight-0 objective is worse: the term bought the goal with
    # contacts on the big queue.
    assert evaluate(Plan(starved, plan5.choice, plan5.breaks, plan5.queue)).total > (
        evaluate(plan0).total
    )


def test_penalty_by_hand() -> None:
    """Five on big (90 % > 80 %), nobody on tiny: each day 0.8 x 5 calls short, 5 per call."""
    data = problem(5.0)
    counts = np.zeros((len(data.queues), data.n_intervals), dtype=np.int64)
    for d in range(data.days):
        counts[data.queue_index("big"), d * data.per_day + 8 : d * data.per_day + 18] = 5
    assert goal_attainment.penalty(data, counts) == 2 * 4 * 5 * SCALE
    tiny = data.queue_index("tiny")
    # One agent in four of the five busy hours of day 0: 3.6 answered, 0.4 short.
    for h in list(TINY_HOURS)[:4]:
        counts[tiny, h] = 1
    assert goal_attainment.penalty(data, counts) == round((0.4 + 4) * 5 * SCALE)


def test_evaluate_equals_the_cpsat_objective_on_a_whole_model_solve() -> None:
    """Every agent-day free: the solver's objective and its goal term are what evaluate() says."""
    data = problem(5.0, queue_switch=0.0)
    start, failed = construct(data, seed=0)
    assert not failed
    free = {a: frozenset(range(data.days)) for a in range(len(data.agents))}
    rm = cpsat_model.build(data, start, free, mode="full")
    cpsat_model.hint(rm)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    ev = evaluate(cpsat_model.read_back(rm, solver))
    assert ev.terms["goal_shortfall"] == term_values(solver, rm.terms)["goal_shortfall"]
    assert ev.total == round(solver.objective_value)


def test_a_neighbourhood_counts_the_fixed_agents() -> None:
    """Two agents free on day 1: the sub-model's goal term is the whole roster's."""
    data = problem(5.0, queue_switch=0.0)
    start, _ = construct(data, seed=0)
    # Leave the tiny queue to the free agents: everybody fixed works on big.
    start.queue[start.queue >= 0] = data.queue_index("big")
    free = {0: frozenset({1}), 1: frozenset({1})}
    rm = cpsat_model.build(data, start, free, mode="full")
    cpsat_model.hint(rm)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    after = cpsat_model.read_back(rm, solver)
    # Day 0 stays short (nobody free there): a constant of the sub-model.
    goal_term = term_values(solver, rm.terms)["goal_shortfall"]
    assert goal_term == evaluate(after).terms["goal_shortfall"]
    assert tiny_service(data, after)[0] == 0 and goal_term >= 4 * 5 * SCALE
    assert tiny_service(data, after)[1] > 0


def test_weight_zero_creates_no_variables() -> None:
    """The family adds nothing at weight 0 (and evaluate() reports no term)."""
    data = problem(0.0)
    start, _ = construct(data, seed=0)
    free = {a: frozenset(range(data.days)) for a in range(len(data.agents))}
    rm = cpsat_model.build(data, start, free, mode="full")
    names = [v.name for v in rm.model.proto.variables]
    assert not any(name.startswith("goal_short") for name in names)
    before = len(names)
    assert goal_attainment.add(rm) == []
    assert len(rm.model.proto.variables) == before
    assert goal_attainment.penalty(data, start.coverage()) == 0

    weighted = problem(5.0)
    rm5 = cpsat_model.build(weighted, Plan.empty(weighted), free, mode="full")
    assert any(v.name.startswith("goal_short") for v in rm5.model.proto.variables)


def test_allocate_honours_the_term() -> None:
    """Same shifts, everyone on big: the allocation staffs tiny only when the term asks for it.

    With the weight every busy hour of tiny but one per day is staffed: the last 0.4 call short
    (2 units) costs less than the big queue's 4th or 5th agent there. The sweep is exact given
    the other intervals, so no single agent-interval moved to the other queue does better.
    """
    shifts, _ = construct(problem(0.0), seed=0)
    results = {}
    for weight in (0.0, 5.0):
        data = problem(weight)
        plan = Plan(data, shifts.choice, shifts.breaks, shifts.queue.copy())
        plan.queue[plan.queue >= 0] = data.queue_index("big")
        out = allocate(plan)
        assert evaluate(out).total <= evaluate(plan).total
        results[weight] = (data, out)
    data0, out0 = results[0.0]
    data5, out5 = results[5.0]
    assert (tiny_counts(data0, out0) == 0).all()
    assert ((tiny_counts(data5, out5) > 0).sum(axis=1) >= 4).all()
    reweighted = Plan(data5, out0.choice, out0.breaks, out0.queue)
    best = evaluate(out5).total
    assert best < evaluate(reweighted).total
    for a, t in zip(*np.nonzero(out5.queue >= 0), strict=True):
        moved = out5.copy()
        moved.queue[a, t] = 1 - moved.queue[a, t]
        assert evaluate(moved).total >= best
