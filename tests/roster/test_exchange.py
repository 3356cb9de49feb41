"""Whole weeks exchanged between interchangeable agents: the right member gets each week."""

from __future__ import annotations

from scheduler.model import FairnessLedgerEntry
from scheduler.roster.allocate import allocate
from scheduler.roster.evaluate import evaluate
from scheduler.roster.exchange import exchange_weeks, interchangeable, week_costs
from scheduler.roster.plan import NO_SHIFT, Plan
from scheduler.roster.problem_data import build_problem, unscale
from scheduler.scenario import parse_scenario


def _plan_with_weeks(data, weeks):  # type: ignore[no-untyped-def]
    """A plan where agent ``a`` works the first candidate on each day of ``weeks[a]``."""
    from scheduler.roster.cpsat import model as cpsat_model

    plan = Plan.empty(data)
    for a, days in weeks.items():
        for d in days:
            c = data.agents[a].candidates[d][0]
            cand = data.candidates[c]
            plan.set_shift(a, d, c, cpsat_model.default_breaks(data, cand.template, cand.first))
            for t in plan.working(a, d):
                plan.queue[a, t] = data.agents[a].skills[0]
    return allocate(plan)


def test_the_weekend_goes_to_who_worked_fewer_before(make_scenario, make_requirements):
    # A1 and A3 (both V1 only, same contract) are interchangeable. A1 has four weekends in the
    # ledger; a roster giving A1 the weekend costs (4+1)^2 - 16 = 9, giving it to A3 costs 1.
    sc = make_scenario(days=7, agents=4)
    sc = sc.model_copy(
        update={"fairness_ledger": [FairnessLedgerEntry(agent="A1", weekends_worked=4)]}
    )
    data = build_problem(sc, make_requirements(sc))
    assert [1, 3] in interchangeable(data)
    plan = _plan_with_weeks(data, {0: [0, 1, 2], 1: [3, 4, 5, 6], 2: [0, 1, 2], 3: [0, 1, 2]})
    before = evaluate(plan)
    out, moved = exchange_weeks(plan)
    after = evaluate(out)
    assert moved == 2
    assert [d for d in range(7) if out.choice[3, d] != NO_SHIFT] == [3, 4, 5, 6]
    assert [d for d in range(7) if out.choice[1, d] != NO_SHIFT] == [0, 1, 2]
    assert unscale(before.terms["fairness"] - after.terms["fairness"]) == 8.0
    assert after.terms["coverage"] == before.terms["coverage"]
    assert after.total < before.total


def test_the_weak_agent_takes_the_quieter_week(make_scenario, make_requirements):
    # A3 is at 0.7 on V1; A1 at 1. The week with more hours on V1 goes to A1.
    raw = make_scenario(days=5, agents=4).model_dump(mode="json")
    raw["agents"][3]["skills"] = {"V1": 0.7}
    raw["agents"][1]["skills"] = {"V1": 1.0}
    sc = parse_scenario(raw)
    data = build_problem(sc, make_requirements(sc))
    # Proficiency splits nothing here: A1 and A3 share group, contract and candidates.
    assert [1, 3] in interchangeable(data)
    plan = _plan_with_weeks(data, {0: [0, 1, 2, 3, 4], 1: [0], 2: [0, 1, 2, 3], 3: [0, 1, 2, 3]})
    costs = week_costs(plan, [1, 3])
    # Row: who works; column: whose week. A3 on the long week costs more than A1 on it.
    assert costs[1, 1] > costs[0, 1]
    out, moved = exchange_weeks(plan)
    assert moved == 2
    assert sum(out.choice[1] != NO_SHIFT) == 4 and sum(out.choice[3] != NO_SHIFT) == 1
    assert evaluate(out).terms["proficiency"] < evaluate(plan).terms["proficiency"]


def test_nothing_moves_when_no_exchange_pays(make_scenario, make_requirements):
    sc = make_scenario(days=3, agents=4)
    data = build_problem(sc, make_requirements(sc))
    plan = _plan_with_weeks(data, {0: [0, 1, 2], 1: [0, 1], 2: [0, 1, 2], 3: [1, 2]})
    out, moved = exchange_weeks(plan)
    assert moved == 0
    assert (out.choice == plan.choice).all()
