"""Fairness you can audit: the ledger moves weekends, the report is complete, spread is counted."""

from __future__ import annotations

import pytest

from scheduler.model import FairnessLedgerEntry, Scenario
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import SolveParams
from scheduler.roster.solve import solve

# A deterministic budget, not the wall clock, ends these solves: the same roster on a loaded
# machine (CI shares 2 cores) as on a quiet one.
PARAMS = SolveParams(time_limit_s=60, workers=1, seed=2, lp_bound=False, deterministic_time=1.0)


def _with_ledger(sc: Scenario, agent: str, weekends: int) -> Scenario:
    return sc.model_copy(
        update={"fairness_ledger": [FairnessLedgerEntry(agent=agent, weekends_worked=weekends)]}
    )


def _weekend_workers(result, data) -> set[str]:  # type: ignore[no-untyped-def]
    return {s.agent for s in result.roster.shifts if data.weekend_of_day[s.day] is not None}


@pytest.mark.parametrize("heavy", ["A1", "A3"])
def test_ledger_moves_weekends_away_from_who_worked_more_before(
    make_scenario, make_requirements, heavy
):
    """A1 and A3 share skills and contract; whoever carries more weekends in is spared."""
    sc = make_scenario(days=7, agents=5, max_days=5)
    light = "A3" if heavy == "A1" else "A1"
    sc = _with_ledger(sc, heavy, weekends=4)
    data = build_problem(sc, make_requirements(sc))
    result = solve(data, PARAMS)
    workers = _weekend_workers(result, data)
    assert heavy not in workers
    assert light in workers
    report = {f.agent: f for f in result.fairness}
    assert report[heavy].weekends == 0 and report[heavy].weekends_total == 4
    assert report[light].weekends_total == report[light].weekends >= 1


def test_fairness_report_is_complete_and_carries_forward(make_scenario, make_requirements):
    sc = make_scenario(days=7, agents=3, max_days=5, target_minutes_per_week=1800)
    sc = _with_ledger(sc, "A2", weekends=1)
    data = build_problem(sc, make_requirements(sc))
    result = solve(data, PARAMS)
    assert {f.agent for f in result.fairness} == {"A0", "A1", "A2"}
    for f in result.fairness:
        shifts = [s for s in result.roster.shifts if s.agent == f.agent]
        assert f.contract == "std"
        assert f.days_worked == len(shifts)
        assert f.paid_minutes == sum(s.paid_minutes for s in shifts)
        assert f.target_minutes == 1800
        assert f.minutes_vs_target == f.paid_minutes - 1800
        entry = f.ledger_entry()
        assert entry.weekends_worked == f.weekends_total
        assert entry.minutes_vs_target == f.minutes_vs_target
    a2 = {f.agent: f for f in result.fairness}["A2"]
    assert a2.weekends_total == a2.weekends + 1
    assert "fairness_spread" in result.objective_terms


def test_spread_weight_zero_creates_no_variables(make_scenario, make_requirements):
    sc = make_scenario(days=7, agents=3)
    req = make_requirements(sc)
    free = {a: frozenset(range(7)) for a in range(3)}
    data = build_problem(sc, req)
    names = [v.name for v in cpsat_model.build(data, Plan.empty(data), free).model.proto.variables]
    assert any(n.startswith("fair_max[") for n in names)
    objective = sc.rules.objective.model_copy(update={"fairness_spread": 0.0})
    sc0 = sc.model_copy(update={"rules": sc.rules.model_copy(update={"objective": objective})})
    data0 = build_problem(sc0, req)
    names0 = [
        v.name for v in cpsat_model.build(data0, Plan.empty(data0), free).model.proto.variables
    ]
    assert not any(n.startswith("fair_m") for n in names0)
