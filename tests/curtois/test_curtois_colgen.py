"""Column generation: valid bounds, rule-abiding columns, and rosters at the optimum."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scheduler.roster.curtois.benchmark import read_best_known
from scheduler.roster.curtois.colgen import ColumnGeneration
from scheduler.roster.curtois.evaluator import evaluate, hard_violations
from scheduler.roster.curtois.reader import CurtoisInstance, read_instance
from scheduler.roster.curtois.roster_file import CurtoisRoster
from scheduler.roster.curtois.solve import solve


def converged(instance: CurtoisInstance, seconds: float = 30.0) -> ColumnGeneration:
    """Column generation run to convergence (fails the test if it does not converge)."""
    cg = ColumnGeneration(instance, workers=2, seed=0)
    cg.run(time.monotonic() + seconds)
    assert cg.converged, cg.log[-3:]
    return cg


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_bound_never_exceeds_best_known(curtois_dir: Path, number: int) -> None:
    """The Lagrangian bound is a lower bound: at most the best known (here the optimum)."""
    instance = read_instance(curtois_dir / f"Instance{number}.txt")
    best = read_best_known(curtois_dir / "best_known.csv")[instance.name].objective
    cg = converged(instance)
    assert cg.lower_bound is not None and cg.lower_bound <= best
    assert cg.lp is not None and cg.lp.objective >= cg.lower_bound - 1
    if number in (2, 3, 4):
        # The set-partitioning LP closes the gap on these: the bound is the optimum.
        assert cg.lower_bound == best


def test_instance1_bound(instance1: CurtoisInstance) -> None:
    """Instance1 is the one small instance whose LP bound is loose (558 < 607); the solve still
    proves 607, through CP-SAT with the column-generation bound as a cut."""
    cg = converged(instance1)
    assert cg.lower_bound == 558
    result = solve(instance1, time_limit=20, workers=2, seed=0)
    assert result.lower_bound == 607 and result.objective == 607


def test_columns_obey_every_hard_rule(curtois_dir: Path) -> None:
    """Every generated schedule breaks none of its employee's hard rules (independent check)."""
    instance = read_instance(curtois_dir / "Instance3.txt")
    cg = ColumnGeneration(instance, workers=2, seed=0)
    cg.run(time.monotonic() + 10, max_rounds=4)
    assert cg.master.columns
    for column in cg.master.columns:
        rows: list[tuple[str | None, ...]] = [
            (None,) * instance.horizon for _ in instance.employees
        ]
        rows[column.employee] = column.shifts
        who = f"employee {instance.employees[column.employee].id}"
        found = hard_violations(instance, CurtoisRoster.from_rows(rows))
        assert [v for v in found if v.startswith(who + ":") or v.startswith(who + " ")] == []


def test_instance2_dive_reaches_optimum(curtois_dir: Path) -> None:
    """On Instance2 the bound (828) and the dive's roster meet within a few seconds."""
    instance = read_instance(curtois_dir / "Instance2.txt")
    cg = converged(instance)
    rows = cg.dive(time.monotonic() + 20)
    assert rows is not None
    evaluation = evaluate(instance, CurtoisRoster.from_rows(rows))
    assert evaluation.feasible
    assert evaluation.objective == 828 == cg.lower_bound


def test_solve_proves_instance3(curtois_dir: Path) -> None:
    """Instance3 (best known 1001): optimal and proven by the default solve in under 60 s."""
    instance = read_instance(curtois_dir / "Instance3.txt")
    result = solve(instance, time_limit=30, workers=2, seed=0)
    assert result.status == "OPTIMAL"
    assert result.objective == result.lower_bound == 1001


def test_fast_construction_is_feasible(curtois_dir: Path) -> None:
    """The one-type-first construction (used on the 364-day instances) keeps every hard rule."""
    from scheduler.roster.curtois.construct import construct

    instance = read_instance(curtois_dir / "Instance7.txt")
    rows = construct(instance, time.monotonic() + 20)
    assert rows is not None
    assert evaluate(instance, CurtoisRoster.from_rows(rows)).feasible
