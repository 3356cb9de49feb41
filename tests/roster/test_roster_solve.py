"""The engine end to end on tiny instances: valid rosters, determinism, objective terms."""

from __future__ import annotations

import pytest

from scheduler.errors import InfeasibleError, RosterNotFoundError
from scheduler.model import Agent
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.kpis import coverage_counts, coverage_frame
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import SolveParams
from scheduler.roster.solve import solve
from scheduler.roster.validate import validate_roster

FAST = SolveParams(time_limit_s=3, workers=1, seed=3)


def test_tiny_roster_is_valid_with_breaks_and_activities(scenario, requirements):
    data = build_problem(scenario, requirements)
    result = solve(data, FAST)
    assert result.feasible
    assert validate_roster(data, result.roster) == []
    assert result.roster.shifts
    for shift in result.roster.shifts:
        assert [b.name for b in shift.breaks] == ["lunch"]
        worked = sum(a.end - a.start for a in shift.activities)
        # Everything but the 30-minute lunch is spent on a queue.
        assert worked == shift.end - shift.start - 30


def test_coverage_frame_matches_roster(scenario, requirements):
    data = build_problem(scenario, requirements)
    result = solve(data, FAST)
    frame = coverage_frame(data, result.roster)
    assert list(frame.columns) == ["queue", "ds", "scheduled"]
    assert len(frame) == len(data.queues) * data.n_demand
    counts = coverage_counts(data, result.roster)
    minute = 11 * 60  # day 0, 11:00
    for q, queue in enumerate(data.queues):
        assert counts[q, minute // 30] == result.roster.on_queue(queue, minute)
    assert result.kpis["answered_in_target"] > 0


def test_same_seed_one_worker_same_roster(make_scenario, make_requirements):
    sc = make_scenario(days=3, agents=5)
    data = build_problem(sc, make_requirements(sc))
    params = SolveParams(time_limit_s=20, workers=1, seed=7, max_iterations=3)
    first = solve(data, params)
    second = solve(data, params)
    assert first.roster == second.roster
    assert first.objective == second.objective


def test_deterministic_budget_ends_the_solve_and_repeats_it(make_scenario, make_requirements):
    """With one worker a deterministic budget, not the 60 s wall clock, ends the search."""
    sc = make_scenario(days=7, agents=5, max_days=5)
    data = build_problem(sc, make_requirements(sc))
    params = SolveParams(time_limit_s=60, workers=1, seed=3, lp_bound=False, deterministic_time=0.5)
    first = solve(data, params)
    second = solve(data, params)
    assert first.seconds < 30, "the deterministic budget must end the solve, not the wall clock"
    assert first.roster == second.roster


def test_lns_path_gives_valid_roster(make_scenario, make_requirements, monkeypatch):
    import scheduler.roster.solve as solve_module

    # Force the neighbourhood search on a tiny case.
    monkeypatch.setattr(solve_module, "WHOLE_MODEL_MAX_CANDIDATES", 0)
    sc = make_scenario(days=4, agents=6)
    data = build_problem(sc, make_requirements(sc, peak=3))
    result = solve(data, SolveParams(time_limit_s=4, workers=1, seed=1))
    assert validate_roster(data, result.roster) == []
    assert any("LNS" in m for m in result.messages)


def test_infeasible_contract_names_agent_and_rule(make_scenario, make_requirements):
    # Three working days in a three-day horizon but at most two in a row: contracts and
    # sequences clash (and nothing else does).
    sc = make_scenario(
        days=3, agents=2, min_days=7, max_days=7, max_consecutive_days=2, max_minutes_per_week=4000
    )
    data = build_problem(sc, make_requirements(sc))
    with pytest.raises(InfeasibleError) as err:
        solve(data, FAST)
    text = " ".join(err.value.clashes)
    assert "A0" in text and "sequences" in text and "contracts" in text
    assert "rest" not in text


def test_diagnosis_without_time_proves_nothing(make_scenario, make_requirements):
    # The clashing contract above: with time the diagnosis proves the clash, with none left
    # (a solve whose time limit the construction used up) it says "not found", never a guess.
    from scheduler.roster.diagnose import explain_agent

    sc = make_scenario(
        days=3, agents=2, min_days=7, max_days=7, max_consecutive_days=2, max_minutes_per_week=4000
    )
    data = build_problem(sc, make_requirements(sc))
    proved = explain_agent(data, 0, time_limit=10.0)
    assert proved.proven and "sequences" in proved.text
    rushed = explain_agent(data, 0, time_limit=0.0)
    assert not rushed.proven and "not proven impossible" in rushed.text


def test_week_not_found_in_time_is_not_called_infeasible(
    make_scenario, make_requirements, monkeypatch
):
    # The construction gives up on A0 and CP-SAT's diagnosis ends without a core (as when it
    # runs out of time): nothing was proven, so the solve says "not found", naming the agent.
    import scheduler.roster.diagnose as diagnose_module
    import scheduler.roster.solve as solve_module

    sc = make_scenario(days=3, agents=2)
    data = build_problem(sc, make_requirements(sc))
    real = solve_module.construct

    def give_up_on_a0(*args, **kwargs):
        plan, _ = real(*args, **kwargs)
        return plan, [0]

    monkeypatch.setattr(solve_module, "construct", give_up_on_a0)
    monkeypatch.setattr(diagnose_module, "_minimal_core", lambda rm, seed, limit=None: [])
    with pytest.raises(RosterNotFoundError) as err:
        solve(data, FAST)
    assert not isinstance(err.value, InfeasibleError)
    assert "A0" in err.value.reasons[0] and "not proven impossible" in err.value.reasons[0]


def test_precheck_catches_time_off(make_scenario, make_requirements):
    sc = make_scenario(days=7, agents=2, min_minutes_per_week=1000)
    dates = sc.horizon.dates()
    agents = [sc.agents[0].model_copy(update={"time_off": dates}), sc.agents[1]]
    sc = sc.model_copy(update={"agents": agents})
    data = build_problem(sc, make_requirements(sc))
    with pytest.raises(InfeasibleError) as err:
        solve(data, FAST)
    assert any("A0" in c and "paid min" in c for c in err.value.clashes)


def test_zero_weight_creates_no_variables(make_scenario, make_requirements):
    # A week: weekends make the fairness count a variable.
    sc = make_scenario(days=7, agents=3)
    data = build_problem(sc, make_requirements(sc))
    free = {a: frozenset(range(data.days)) for a in range(3)}
    names = [v.name for v in cpsat_model.build(data, Plan.empty(data), free).model.proto.variables]
    assert any(n.startswith("fair[") for n in names)
    rules = sc.rules.model_copy(
        update={"objective": sc.rules.objective.model_copy(update={"fairness": 0.0})}
    )
    data0 = build_problem(sc.model_copy(update={"rules": rules}), make_requirements(sc))
    model0 = cpsat_model.build(data0, Plan.empty(data0), free).model
    names0 = [v.name for v in model0.proto.variables]
    assert not any(n.startswith("fair[") for n in names0)


def test_day_off_preference_moves_the_roster(make_scenario, make_requirements):
    sc = make_scenario(days=3, agents=3, max_days=2)
    monday = sc.horizon.start
    prefs = sc.agents[1].preferences.model_copy(update={"days_off": [monday], "weight": 50})
    agents: list[Agent] = [
        sc.agents[0],
        sc.agents[1].model_copy(update={"preferences": prefs}),
        sc.agents[2],
    ]
    wish = sc.model_copy(update={"agents": agents})
    req = make_requirements(sc)
    with_wish = solve(build_problem(wish, req), FAST)
    assert all(not (s.agent == "A1" and s.day == 0) for s in with_wish.roster.shifts)
    granted = {f.agent: f for f in with_wish.fairness}["A1"]
    assert granted.preferences_asked >= 1 and granted.preferences_granted >= 1


def test_stability_keeps_published_roster(make_scenario, make_requirements):
    sc = make_scenario(days=3, agents=4)
    req = make_requirements(sc)
    first = solve(build_problem(sc, req), FAST)
    again = solve(build_problem(sc, req, previous=first.roster), FAST)
    assert again.diff is not None
    assert again.diff.changed_days == ()


def test_construction_stops_at_the_time_limit(make_scenario, make_requirements):
    # With its time spent before the first agent, the construction places nobody and reports
    # every agent (the solve turns that into "not found in the time given"); with time, all.
    from scheduler.roster.construct import construct

    sc = make_scenario(days=3, agents=4)
    data = build_problem(sc, make_requirements(sc))
    plan, failed = construct(data, time_limit=0.0)
    assert sorted(failed) == list(range(4))
    assert (plan.choice < 0).all()
    plan, failed = construct(data, time_limit=10.0)
    assert failed == [] and validate_roster(data, plan.to_roster()) == []
