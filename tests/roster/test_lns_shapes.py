"""The neighbourhood shapes of the LNS and the adaptive choice between them."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from scheduler.roster import lns
from scheduler.roster.curtois.reader import parse_instance
from scheduler.roster.curtois.to_scenario import empty_requirements, to_scenario
from scheduler.roster.evaluate import evaluate
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import ProblemData, build_problem
from scheduler.roster.validate import validate_roster

HOSPITAL = """SECTION_HORIZON
28

SECTION_SHIFTS
E,480,
L,600,E

SECTION_STAFF
A,E=28|L=28,9600,2400,5,1,2,4
B,E=28|L=28,9600,2400,5,1,2,4
C,E=28|L=28,9600,2400,5,1,2,4
D,E=0|L=28,9600,2400,5,1,2,4
"""
"""Four employees over four weeks; D cannot work E."""

START = dt.date(2024, 1, 1)


def _problem(cover: str) -> ProblemData:
    text = HOSPITAL + "\nSECTION_COVER\n" + cover
    return build_problem(to_scenario(parse_instance(text, "Hosp"), START), empty_requirements())


@pytest.fixture(scope="module")
def data() -> ProblemData:
    """One cover row with a target: two E shifts on day 9."""
    return _problem("9,E,2,100,1\n")


def _span(free: dict[int, frozenset[int]]) -> list[int]:
    days = {d for ds in free.values() for d in ds}
    assert all(ds == next(iter(free.values())) for ds in free.values()), "one window for all"
    return sorted(days)


def _consecutive(days: list[int]) -> bool:
    return days == list(range(days[0], days[-1] + 1))


@pytest.mark.parametrize("seed", range(5))
def test_each_shape_frees_the_window_it_promises(data: ProblemData, seed: int) -> None:
    plan = Plan.empty(data)
    rng = random.Random(seed)
    days = _span(lns.neighbourhood(plan, rng, 8, "days"))
    assert len(days) == 2 and _consecutive(days)
    window = lns.neighbourhood(plan, rng, 8, "window")
    days = _span(window)
    assert 3 <= len(days) <= 14 and _consecutive(days)
    assert len(window) >= 2, "one agent cannot exchange work with anybody"
    stretch = lns.neighbourhood(plan, rng, 8, "stretch")
    days = _span(stretch)
    assert len(days) >= lns.STRETCH_DAYS and _consecutive(days) and len(stretch) >= 2


@pytest.mark.parametrize("seed", range(5))
def test_cover_shape_frees_agents_able_to_fill_the_short_row(data: ProblemData, seed: int) -> None:
    plan = Plan.empty(data)
    assert [r for r, _ in lns.short_rows(plan)] == [0]
    row = data.cover[0]
    free = lns.neighbourhood(plan, random.Random(seed), 6, "cover")
    days = _span(free)
    assert row.day in days and _consecutive(days) and 3 <= len(days) <= 14
    able = {
        a
        for a, spec in enumerate(data.agents)
        if any(c in row.candidates for c in spec.candidates[row.day])
    }
    assert able == {0, 1, 2}, "D cannot work E"
    # Two agents wanted (6 agent-days over at least 3 days at most): both able to work E.
    if len(free) <= len(able):
        assert set(free) <= able


def test_no_short_row_means_no_cover_shape() -> None:
    data = _problem("9,E,0,100,1\n")
    assert lns.short_rows(Plan.empty(data)) == []


def test_unknown_shape_is_named(data: ProblemData) -> None:
    with pytest.raises(ValueError, match="'weekly'"):
        lns.neighbourhood(Plan.empty(data), random.Random(0), 4, "weekly")


def _tried(chooser: lns.ShapeChooser) -> None:
    """Give every shape its first trials, without gain."""
    for _ in range(lns.TRIALS * len(chooser.shapes)):
        chooser.record(chooser.draw(), gain=0.0, seconds=1.0)


def test_every_shape_is_tried_before_gains_decide() -> None:
    chooser = lns.ShapeChooser(random.Random(1), lns.SHAPES)
    first = []
    for _ in range(lns.TRIALS * len(lns.SHAPES)):
        shape = chooser.draw()
        first.append(shape)
        # The first shape gains at once; the others still get their trials.
        chooser.record(shape, gain=100.0 if shape == "days" else 0.0, seconds=1.0)
    assert Counter(first) == {s: lns.TRIALS for s in lns.SHAPES}


def test_chooser_favours_the_shape_that_gains() -> None:
    chooser = lns.ShapeChooser(random.Random(3), ("days", "window"))
    _tried(chooser)
    chooser.record("window", gain=50.0, seconds=0.5)
    draws = Counter(chooser.draw() for _ in range(2000))
    # Window takes every non-exploring draw and half of the exploring ones.
    expected_days = 2000 * lns.EXPLORE_SHARE / 2
    assert draws["window"] > 2000 * (1 - lns.EXPLORE_SHARE)
    assert 0.5 * expected_days < draws["days"] < 1.5 * expected_days


def test_chooser_draws_uniformly_while_nothing_gains() -> None:
    chooser = lns.ShapeChooser(random.Random(5), lns.SHAPES)
    _tried(chooser)
    draws = Counter(chooser.draw() for _ in range(4000))
    assert set(draws) == set(lns.SHAPES)
    assert min(draws.values()) > 4000 / len(lns.SHAPES) * 0.8


def test_gain_rate_covers_the_recent_steps_only() -> None:
    chooser = lns.ShapeChooser(random.Random(0), ("days",))
    chooser.record("days", gain=10.0, seconds=1.0)
    chooser.record("days", gain=0.0, seconds=1.0)
    assert chooser.rate("days") == pytest.approx(5.0)
    for _ in range(lns.RECENT_STEPS):
        chooser.record("days", gain=0.0, seconds=0.5)
    assert chooser.rate("days") == 0.0, "the gain has left the window"


def test_search_improves_and_reports_shapes(data: ProblemData) -> None:
    from scheduler.roster.construct import construct

    plan, failed = construct(data, 0)
    assert failed == []
    start = evaluate(plan).total
    best, best_eval, stats = lns.search(
        plan, deadline=float("inf"), seed=1, workers=1, max_iterations=40
    )
    assert best_eval.total <= start
    assert validate_roster(data, best.to_roster()) == []
    assert sum(stats.steps_by_shape.values()) == stats.iterations == 40
    assert set(stats.steps_by_shape) <= set(lns.SHAPES)
    assert sum(stats.improvements_by_shape.values()) == stats.improvements
