"""Queue switches and proficiency move the roster the right way."""

from __future__ import annotations

from scheduler.model import Agent, Scenario
from scheduler.roster.allocate import allocate
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints import switching
from scheduler.roster.cpsat.constraints.coverage import base_value
from scheduler.roster.evaluate import evaluate
from scheduler.roster.plan import Plan, plan_from_roster
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import SolveParams
from scheduler.roster.solve import solve

FAST = SolveParams(time_limit_s=3, workers=1, seed=3, lp_bound=False)


def _weights(sc: Scenario, **weights: float) -> Scenario:
    objective = sc.rules.objective.model_copy(update=weights)
    return sc.model_copy(update={"rules": sc.rules.model_copy(update={"objective": objective})})


def _all_dual(sc: Scenario, profs: list[tuple[float, float]] | None = None) -> Scenario:
    """Every agent skilled on both queues (with the given proficiencies)."""
    agents: list[Agent] = []
    for i, agent in enumerate(sc.agents):
        p1, p2 = (1.0, 1.0) if profs is None else profs[i]
        agents.append(agent.model_copy(update={"skills": {"V1": p1, "V2": p2}}))
    return sc.model_copy(update={"agents": agents})


def test_allocation_relabels_alternating_queues_into_blocks(make_scenario, make_requirements):
    """Two agents swapping queues every interval: the allocation keeps coverage, ends the swaps."""
    sc = _all_dual(make_scenario(days=1, agents=2))
    data = build_problem(sc, make_requirements(sc))
    plan = plan_from_roster(data, solve(data, FAST).roster)
    both = [t for t in range(data.n_intervals) if (plan.queue[:, t] >= 0).all()]
    assert len(both) > 4
    for i, t in enumerate(both):
        plan.queue[0, t], plan.queue[1, t] = (0, 1) if i % 2 else (1, 0)
    scrambled = evaluate(plan)
    assert switching.count(plan.queue) >= len(both) - 2
    fixed = allocate(plan)
    assert base_value(data, fixed.coverage()) == base_value(data, plan.coverage())
    assert switching.count(fixed.queue) <= 2
    assert evaluate(fixed).total < scrambled.total


def test_solve_reports_switches_and_weight_zero_creates_no_variables(
    make_scenario, make_requirements
):
    sc = _all_dual(make_scenario(days=2, agents=4))
    req = make_requirements(sc)
    result = solve(build_problem(sc, req), FAST)
    assert "switching" in result.objective_terms
    free = {a: frozenset(range(2)) for a in range(4)}
    data = build_problem(sc, req)
    names = [v.name for v in cpsat_model.build(data, Plan.empty(data), free).model.proto.variables]
    assert any(n.startswith("switches[") for n in names)
    data0 = build_problem(_weights(sc, queue_switch=0.0), req)
    names0 = [
        v.name for v in cpsat_model.build(data0, Plan.empty(data0), free).model.proto.variables
    ]
    assert not any(n.startswith("switch") for n in names0)


def test_proficient_agent_takes_the_queue_it_is_good_at(make_scenario, make_requirements):
    # Both agents can do both queues; each is weak on one of them.
    sc = _all_dual(make_scenario(days=1, agents=2), profs=[(0.5, 1.0), (1.0, 0.5)])
    data = build_problem(sc, make_requirements(sc, peak=1))
    result = solve(data, FAST)
    worked = {s.agent: {a.queue for a in s.activities} for s in result.roster.shifts}
    assert worked == {"A0": {"V2"}, "A1": {"V1"}}
    assert result.objective_terms["proficiency"] == 0.0
    # Everyone at full proficiency: the term is absent from the model.
    flat = build_problem(_all_dual(make_scenario(days=1, agents=2)), make_requirements(sc))
    rm = cpsat_model.build(flat, Plan.empty(flat), {0: frozenset({0}), 1: frozenset({0})})
    assert not any(t.family == "proficiency" for t in rm.terms)


def test_weak_agent_counts_less_than_a_full_one(make_scenario, make_requirements):
    sc = _all_dual(make_scenario(days=1, agents=2), profs=[(0.6, 0.6), (1.0, 1.0)])
    data = build_problem(sc, make_requirements(sc, peak=1))
    result = solve(data, FAST)
    assert result.objective_terms["proficiency"] > 0
