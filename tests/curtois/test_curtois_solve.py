"""Solver: Instance1 to its optimum; the model agrees with the independent evaluator."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from scheduler.roster.curtois.evaluator import evaluate
from scheduler.roster.curtois.model import CurtoisModel
from scheduler.roster.curtois.reader import CurtoisInstance, parse_instance
from scheduler.roster.curtois.roster_file import CurtoisRoster
from scheduler.roster.curtois.solve import ProgressEvent, solve


def test_instance1_reaches_its_optimum(instance1: CurtoisInstance) -> None:
    """Instance1's proven optimum is 607; the roster is feasible and scores 607."""
    events: list[ProgressEvent] = []
    result = solve(instance1, time_limit=20, workers=2, seed=1, progress=events.append)
    assert result.objective == 607
    assert result.status == "OPTIMAL" and result.lower_bound == 607
    assert result.roster is not None
    evaluation = evaluate(instance1, result.roster)
    assert evaluation.feasible and evaluation.objective == 607
    assert events and events[-1].objective == 607
    assert [e.objective for e in events] == sorted((e.objective for e in events), reverse=True)


def test_model_objective_equals_evaluator(curtois_dir) -> None:  # type: ignore[no-untyped-def]
    """On Instance3 (successions, zero maxima) the CP-SAT objective of any solution it finds
    is the evaluator's, and the evaluator finds no broken hard rule."""
    from scheduler.roster.curtois.reader import read_instance

    inst = read_instance(curtois_dir / "Instance3.txt")
    model = CurtoisModel(inst).build()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 3
    solver.parameters.num_workers = 2
    assert solver.solve(model.cp) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = model.assignment(solver)
    rows = [[chosen[(e, d)] for d in range(inst.horizon)] for e in range(len(inst.employees))]
    evaluation = evaluate(inst, CurtoisRoster.from_rows(rows))
    assert evaluation.violations == ()
    assert evaluation.objective == round(solver.objective_value)


RULES = """SECTION_HORIZON
14

SECTION_SHIFTS
D,480,
N,480,D

SECTION_STAFF
A,D=14|N=14,{hi},960,3,2,2,1

SECTION_DAYS_OFF
A,4

SECTION_SHIFT_ON_REQUESTS
{on}

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
{cover}
"""


def tiny(hi: int = 6720, on: str = "", cover: str = "0,D,0,1,1") -> CurtoisInstance:
    """One employee, two weeks; every day wants staffing at weight 1 unless overridden."""
    return parse_instance(RULES.format(hi=hi, on=on, cover=cover), name="tiny")


def best(inst: CurtoisInstance) -> tuple[int, list[str | None]]:
    """Objective and row of the optimum of a one-employee instance."""
    result = solve(inst, time_limit=10, workers=1, seed=0)
    assert result.status == "OPTIMAL" and result.roster is not None
    assert evaluate(inst, result.roster).feasible
    assert result.objective is not None
    return result.objective, list(result.roster.shifts[0])


def test_cover_under_weight_pulls_work_in() -> None:
    """Wanting D every day at weight 10 makes the optimum work as much as the rules allow."""
    cover = "\n".join(f"{d},D,1,10,1" for d in range(14))
    _, row = best(tiny(cover=cover))
    worked = sum(s is not None for s in row)
    assert row[4] is None  # the listed day off
    assert worked >= 8  # at most 3 in a row, two days off between runs, one weekend


def test_max_minutes_caps_work() -> None:
    """With at most 1440 minutes, at most three shifts are worked however much cover pays."""
    cover = "\n".join(f"{d},D,1,10,1" for d in range(14))
    objective, row = best(tiny(hi=1440, cover=cover))
    assert sum(s is not None for s in row) == 3
    assert objective == 10 * 11


def test_on_request_is_granted_when_free() -> None:
    """An on-request for N on day 8 with nothing against it is granted at zero cost."""
    objective, row = best(tiny(on="A,8,N,5"))
    assert row[8] == "N" and row[9] != "D"
    assert objective == 0


@pytest.mark.parametrize("seed", [3])
def test_same_seed_same_roster(instance1: CurtoisInstance, seed: int) -> None:
    """One worker, same seed: identical rosters."""
    first = solve(instance1, time_limit=10, workers=1, seed=seed)
    second = solve(instance1, time_limit=10, workers=1, seed=seed)
    assert first.roster == second.roster
