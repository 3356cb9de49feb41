"""The LP bound: below every roster, close to a proved optimum, and the gap it gives."""

from __future__ import annotations

import pytest

from scheduler.roster.bounds import lp_bound
from scheduler.roster.generate import generate_instance
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import ProgressEvent, SolveParams, SolveStatus
from scheduler.roster.solve import solve


def test_bound_close_below_proved_optimum(make_scenario, make_requirements):
    sc = make_scenario(days=3, agents=4)
    data = build_problem(sc, make_requirements(sc))
    result = solve(data, SolveParams(time_limit_s=20, workers=1, lp_bound=False))
    assert result.status == SolveStatus.OPTIMAL and result.objective is not None
    bound = lp_bound(data, time_limit=30)
    assert bound is not None
    assert bound.value <= result.objective
    assert result.objective - bound.value <= 0.02 * abs(result.objective)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bound_below_every_roster_found(seed):
    # Generated instances with every rule family the generator uses: skills, breaks, contracts
    # with minima, rest, weekends, a deferred queue, fairness.
    scenario, requirements = generate_instance(8, 3, interval=30, days=4, seed=seed)
    data = build_problem(scenario, requirements)
    bound = lp_bound(data, time_limit=30)
    assert bound is not None
    seen: list[float] = []

    def record(event: ProgressEvent) -> None:
        if event.objective is not None:
            seen.append(event.objective)

    result = solve(
        data, SolveParams(time_limit_s=2, workers=1, seed=seed, lp_bound=False), on_progress=record
    )
    assert result.objective is not None
    seen.append(result.objective)
    assert min(seen) >= bound.value
    assert all(objective >= bound.value for objective in seen)


def test_gap_limit_stops_the_search_and_reports_the_gap(
    make_scenario, make_requirements, monkeypatch
):
    import scheduler.roster.solve as solve_module

    # The neighbourhood search would run to the time limit; the gap limit ends it once the
    # LP bound is known (the tiny LP is tight, so any roster near the optimum qualifies).
    monkeypatch.setattr(solve_module, "WHOLE_MODEL_MAX_CANDIDATES", 0)
    sc = make_scenario(days=3, agents=4)
    data = build_problem(sc, make_requirements(sc))
    limit = 40.0
    result = solve(data, SolveParams(time_limit_s=limit, workers=1, gap_limit=0.05))
    assert result.objective is not None and result.bound is not None and result.gap is not None
    assert result.seconds < limit / 2
    assert result.bound <= result.objective
    expected = (result.objective - result.bound) / max(1.0, abs(result.objective))
    assert result.gap == pytest.approx(expected)
    assert result.gap <= 0.05
