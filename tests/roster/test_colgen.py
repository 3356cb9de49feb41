"""Column generation for cover-driven scenarios: columns, pricing, bound, dives and the solve."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pytest
from ortools.sat.python import cp_model

from scheduler.roster import colgen
from scheduler.roster.colgen import ColumnGeneration, Master, Pricer, make_column
from scheduler.roster.colgen_search import to_plan
from scheduler.roster.construct import construct
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.curtois.reader import parse_instance
from scheduler.roster.curtois.to_scenario import empty_requirements, to_scenario
from scheduler.roster.evaluate import evaluate
from scheduler.roster.plan import NO_SHIFT, Plan
from scheduler.roster.problem_data import ProblemData, build_problem, unscale
from scheduler.roster.result import SolveParams, SolveStatus
from scheduler.roster.solve import solve
from scheduler.roster.validate import validate_roster
from tests.roster.test_shift_cover import problem as cover_problem

WARD = """SECTION_HORIZON
14

SECTION_SHIFTS
E,480,
L,480,

SECTION_STAFF
A,E=14|L=14,4800,1920,5,2,2,1
B,E=14|L=14,4800,1920,5,2,2,1
C,E=14|L=14,4800,1920,5,2,2,1
D,E=0|L=14,4800,1920,5,2,2,1

SECTION_SHIFT_ON_REQUESTS
A,3,E,2
B,5,L,3

SECTION_SHIFT_OFF_REQUESTS
C,6,E,2
"""
"""Four nurses over two weeks (D works lates only), each 4-10 shifts, runs of 2-5 shifts, at
least two days off in a row, one weekend at most: the runs make its LP far from integral."""

START = dt.date(2024, 1, 1)


def _ward(extra_rows: str = "") -> ProblemData:
    cover = "".join(f"{d},E,2,100,1\n{d},L,1,100,1\n" for d in range(14)) + extra_rows
    text = WARD + "\nSECTION_COVER\n" + cover
    return build_problem(to_scenario(parse_instance(text, "Ward"), START), empty_requirements())


@pytest.fixture(scope="module")
def ward() -> ProblemData:
    return _ward()


@pytest.fixture(scope="module")
def start(ward: ProblemData) -> Plan:
    plan, failed = construct(ward, seed=0, time_limit=10.0)
    assert not failed
    return plan


def _whole_optimum(data: ProblemData, start: Plan) -> int:
    """The optimum by CP-SAT on the whole model (tiny: proven in seconds)."""
    free = {a: frozenset(range(data.days)) for a in range(len(data.agents))}
    rm = cpsat_model.build(data, start, free, mode="full")
    cpsat_model.hint(rm)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 60.0
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    return evaluate(cpsat_model.read_back(rm, solver)).total


def test_columns_add_up_to_the_roster_objective(ward: ProblemData, start: Plan) -> None:
    columns = [make_column(ward, a, start.choice[a]) for a in range(len(ward.agents))]
    ev = evaluate(start)
    assert sum(c.cost for c in columns) + ev.terms["shift_cover"] == ev.total
    # Every shift counts for exactly the rows the problem says.
    for column in columns:
        worked = [c for c in column.schedule if c != NO_SHIFT]
        assert sorted(column.rows) == sorted(r for c in worked for r in ward.cover_of[c])


def test_pricing_minimises_the_reduced_cost_and_honours_fixed_days(ward: ProblemData) -> None:
    pricer = Pricer(ward, 0, Plan.empty(ward))
    # Rows of E shifts are worth a lot, L rows nothing: the best schedule works E as often as
    # the contract allows (10 shifts in runs of at most 5, two days off in a row).
    duals = np.array([1e6 if "E" in row.label else 0.0 for row in ward.cover])
    outcome = pricer.price(duals, 10.0, seed=0)
    assert outcome.proven
    best = min(outcome.columns, key=lambda c: c.cost - colgen._dot(duals, c))
    kinds = [ward.templates[ward.candidates[c].template].kind for c in best.schedule if c >= 0]
    assert kinds == ["E"] * 10
    assert outcome.lower_bound <= best.cost - colgen._dot(duals, best) + 1e-6
    # A day forced off is off in every column found; released, the model is whole again.
    day = next(d for d, c in enumerate(best.schedule) if c != NO_SHIFT)
    pricer.force(day, NO_SHIFT)
    forced = pricer.price(duals, 10.0, seed=0)
    assert forced.columns and all(c.schedule[day] == NO_SHIFT for c in forced.columns)
    pricer.release()
    again = pricer.price(duals, 10.0, seed=0)
    assert again.lower_bound == pytest.approx(outcome.lower_bound)


def test_bound_holds_and_dive_finds_a_valid_roster(ward: ProblemData, start: Plan) -> None:
    optimum = _whole_optimum(ward, start)
    cg = ColumnGeneration(ward, start, workers=2, seed=0)
    assert cg.run(deadline=time.monotonic() + 60.0)
    assert cg.converged
    assert cg.best_bound <= optimum + 1e-6
    # The master LP at convergence is the bound (up to the rounding of the duals).
    assert cg.lp is not None and cg.best_bound == pytest.approx(cg.lp.objective, abs=1.0)
    found = cg.dive(deadline=time.monotonic() + 60.0)
    assert found is not None
    plan = to_plan(start, found)
    assert validate_roster(ward, plan.to_roster()) == []
    assert evaluate(plan).total >= optimum
    # Every fixing was undone: the pricers are whole and every column is allowed again.
    assert not cg.diving
    assert all(v.upper_bound == 1.0 for v in cg.master.column_vars)


def test_hard_cover_rows_hold_in_the_master(start: Plan) -> None:
    # At least three and at most three E shifts on day 4: a hard row on top of the target.
    data = _ward()
    scenario = data.scenario.model_copy(
        update={
            "shift_cover": [
                *data.scenario.shift_cover,
                data.scenario.shift_cover[0].model_copy(
                    update={
                        "dates": [START + dt.timedelta(days=4)],
                        "weekdays": [],
                        "min": 3,
                        "max": 3,
                        "target": None,
                    }
                ),
            ]
        }
    )
    hard = build_problem(scenario, empty_requirements())
    plan, failed = construct(hard, seed=0, time_limit=10.0)
    assert not failed
    from scheduler.roster import cover_repair

    plan = cover_repair.repair(hard, plan, 0, 10.0)
    master_rows = [r for r, row in enumerate(hard.cover) if row.min == 3]
    assert master_rows
    cg = ColumnGeneration(hard, plan, workers=2, seed=0)
    cg.run(deadline=time.monotonic() + 60.0)
    rows = cg.master.solve_ip(30.0)
    assert rows is not None
    roster = to_plan(plan, rows)
    assert validate_roster(hard, roster.to_roster()) == []
    counts = [
        sum(1 for s in rows if s[4] != NO_SHIFT and r in hard.cover_of[s[4]]) for r in master_rows
    ]
    assert counts == [3]


def test_solve_proves_the_ward_optimal_and_reports_the_bound(
    ward: ProblemData, start: Plan
) -> None:
    optimum = _whole_optimum(ward, start)
    result = solve(ward, SolveParams(time_limit_s=30.0, workers=2, seed=0, lp_bound=False))
    assert any(m.startswith("column generation:") for m in result.messages)
    assert result.objective == pytest.approx(unscale(optimum))
    assert result.status == SolveStatus.OPTIMAL
    assert result.bound == pytest.approx(result.objective)


def test_where_it_does_not_apply_it_says_why(ward: ProblemData) -> None:
    assert colgen.not_applicable(ward, 60.0) is None
    assert "agent-days" in (colgen.not_applicable(ward, 1.0) or "")
    queued = cover_problem([{"kind": "late", "min": 1}])
    assert "queues" in (colgen.not_applicable(queued, 60.0) or "")
    rules = ward.scenario.rules
    spread = ward.scenario.model_copy(
        update={
            "rules": rules.model_copy(
                update={"objective": rules.objective.model_copy(update={"fairness_spread": 1.0})}
            )
        }
    )
    data = build_problem(spread, empty_requirements())
    assert "fairness spread" in (colgen.not_applicable(data, 60.0) or "")


def test_master_without_columns_for_an_agent_uses_its_artificial(ward: ProblemData) -> None:
    master = Master(ward, big=1e9)
    solution = master.solve_lp(10.0)
    assert solution is not None
    assert solution.artificial_values == pytest.approx([1.0] * len(ward.agents))
