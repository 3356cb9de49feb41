"""The compact encodings of one agent's CP-SAT model are exact, by enumeration.

The one-agent models of the construction use shorter encodings than the plain ones: forbidden
successions grouped by first kind and summed as ``works - allowed`` where that is shorter, one
``works`` boolean per day, cover rows only one agent reaches priced linearly, weekly limits that
cannot bind left out. On a window of free days between fixed ones, every assignment of shifts
is checked: the model must accept exactly those the independent rule check accepts, and price
each at the evaluator's objective.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from ortools.sat.python import cp_model

from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.curtois.reader import parse_instance
from scheduler.roster.curtois.to_scenario import empty_requirements, to_scenario
from scheduler.roster.evaluate import evaluate
from scheduler.roster.plan import NO_SHIFT, Plan
from scheduler.roster.problem_data import ProblemData, build_problem
from scheduler.roster.validate import validate_roster

FOUR_KINDS = """SECTION_HORIZON
14

SECTION_SHIFTS
E,480,
D,480,E
L,600,E|D
N,720,E|D|L

SECTION_STAFF
A,E=14|D=14|L=3|N=2,7200,3360,4,2,2,2
B,E=14|D=14|L=14|N=14,9000,0,5,1,1,2

SECTION_COVER
4,E,1,100,1
5,D,1,50,2
6,L,1,30,5
7,N,1,20,3
5,E,2,10,1
"""
"""Four kinds; after N three are banned and one allowed (the ``works - allowed`` form), L and D
share no banned set (separate groups); A's limits are tight (L, N maxima, minutes band, runs)."""

START = dt.date(2024, 1, 1)
WINDOW = range(4, 8)
"""The free days: a weekend day inside, fixed days on both sides."""


@pytest.fixture(scope="module")
def long_data() -> ProblemData:
    """:data:`FOUR_KINDS` over 98 days: past ``LONG_HORIZON_DAYS``, so week models get day
    booleans and the short succession form."""
    text = FOUR_KINDS.replace("SECTION_HORIZON\n14\n", "SECTION_HORIZON\n98\n")
    data = build_problem(to_scenario(parse_instance(text, "FourLong"), START), empty_requirements())
    assert data.days > cpsat_model.LONG_HORIZON_DAYS
    return data


@pytest.fixture(scope="module")
def data() -> ProblemData:
    """:data:`FOUR_KINDS` as a problem."""
    return build_problem(
        to_scenario(parse_instance(FOUR_KINDS, "Four"), START), empty_requirements()
    )


def _fixed_plan(data: ProblemData) -> Plan:
    """A roster whose fixed days around :data:`WINDOW` leave both good and bad windows."""
    plan = Plan.empty(data)
    pattern = {
        0: "E",
        1: "E",
        2: "D",
        3: None,
        8: None,
        9: "L",
        10: "L",
        11: None,
        12: None,
        13: "E",
    }
    for a in range(len(data.agents)):
        for d, kind in pattern.items():
            if kind is None:
                continue
            cand = next(
                c
                for c in data.agents[a].candidates[d]
                if data.templates[data.candidates[c].template].kind == kind
            )
            plan.set_shift(a, d, cand, ())
    return plan


def _options(data: ProblemData, a: int, d: int) -> list[int]:
    return [NO_SHIFT, *data.agents[a].candidates[d]]


@pytest.mark.parametrize("agent", ["A", "B"])
def test_one_agent_model_is_exact_on_a_window(data: ProblemData, agent: str) -> None:
    a = next(i for i, spec in enumerate(data.agents) if spec.id == agent)
    base = _fixed_plan(data)
    free = {a: frozenset(WINDOW)}
    accepted = rejected = 0
    for combo in itertools.product(*(_options(data, a, d) for d in WINDOW)):
        plan = base.copy()
        for d, c in zip(WINDOW, combo, strict=True):
            plan.set_shift(a, d, c, ())
        theirs = [v for v in validate_roster(data, plan.to_roster()) if v.agent == agent]
        rm = cpsat_model.build(data, base, free, mode="shifts", scores={}, partial=False)
        for d, c in zip(WINDOW, combo, strict=True):
            for x in rm.vars.day_candidates(a, d):
                rm.model.add(rm.vars.x[x] == int(x == c))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        status = solver.solve(rm.model)
        feasible = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        assert feasible == (not theirs), (combo, theirs)
        if feasible:
            accepted += 1
            # The model's objective (its constant included) is the evaluator's total of the
            # agent's week given everybody else's.
            expected = evaluate(plan).total
            assert round(solver.objective_value) == round(expected), combo
        else:
            rejected += 1
    # Both verdicts occur: the comparison is not vacuous.
    assert accepted > 5 and rejected > 5


def test_successions_use_the_short_form_after_a_night(long_data: ProblemData) -> None:
    """After N three kinds are banned and one allowed: the row is ``N[d] + works[d+1] -
    N[d+1] <= 1``, not the three banned shifts (the form that keeps a 364-day model small)."""
    data = long_data
    rm = cpsat_model.build(data, Plan.empty(data), {1: frozenset(range(data.days))}, mode="shifts")
    proto = rm.model.proto
    name = {i: var.name for i, var in enumerate(proto.variables)}
    wanted = {("shift[B,d5,N@", 1), ("works[B,d6]", 1), ("shift[B,d6,N@", -1)}
    found = []
    for ct in proto.constraints:
        if len(ct.linear.vars) != 3:
            continue
        terms = set()
        for v, coeff in zip(ct.linear.vars, ct.linear.coeffs, strict=True):
            prefix = name[v].split("N@")[0] + "N@" if "N@" in name[v] else name[v]
            terms.add((prefix, coeff))
        if terms == wanted:
            found.append(ct)
    assert len(found) == 1 and list(found[0].linear.domain)[-1] == 1, list(found[0].linear.domain)


def test_weekly_limits_that_cannot_bind_add_no_rows(long_data: ProblemData) -> None:
    """The Curtois mapping's weekly limits (7 days, 7 x 1440 min) cannot bind: no rows (on a
    98-day horizon, 14 weeks of them before)."""
    data = long_data
    rm = cpsat_model.build(data, Plan.empty(data), {0: frozenset(range(data.days))}, mode="shifts")
    works = [v for v in rm.model.proto.variables if v.name.startswith("works[")]
    assert len(works) == data.days  # the day booleans the rows would sum exist
    week_rows = [
        ct
        for ct in rm.model.proto.constraints
        if len(ct.linear.vars) == 7
        and all(rm.model.proto.variables[v].name.startswith("works[") for v in ct.linear.vars)
    ]
    assert week_rows == []
