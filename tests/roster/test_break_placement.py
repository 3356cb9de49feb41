"""Breaks where they cost least: the per-shift search, the all-starts table, the best responses."""

from __future__ import annotations

import numpy as np

from scheduler.roster.break_placement import (
    disjoint_windows,
    least_cost_breaks,
    placement_table,
)
from scheduler.roster.construct import add_agent_week, marginal, shift_scores
from scheduler.roster.generate import generate_instance
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import build_problem


def generated(days: int = 2):  # type: ignore[no-untyped-def]
    scenario, requirements = generate_instance(6, 3, interval=15, days=days, seed=3)
    return build_problem(scenario, requirements)


def test_table_matches_the_search_for_every_start():
    data = generated()
    rng = np.random.default_rng(7)
    for _ in range(3):
        prefix = np.concatenate([[0], np.cumsum(rng.integers(-300, 900, data.n_intervals))])
        for template in range(len(data.templates)):
            assert disjoint_windows(data, template)
            table = placement_table(data, template, prefix)
            assert table is not None
            starts, loss = table
            for first in range(data.n_intervals - 40):
                placed = least_cost_breaks(data, template, first, prefix)
                assert placed is not None
                assert tuple(int(s) for s in starts[first]) == placed[0]
                assert int(loss[first]) == placed[1]


def test_each_break_goes_where_work_is_worth_least():
    data = generated()
    template = next(i for i, t in enumerate(data.templates) if len(t.breaks) == 3)
    specs = data.templates[template].breaks
    first = 20
    values = np.full(data.n_intervals, 1000, dtype=np.int64)
    cheapest = [first + spec.first + (spec.last - spec.first) // 3 for spec in specs]
    for s in cheapest:
        values[s] = -50  # overstaffed: the agent's work there is worth less than nothing
    prefix = np.concatenate([[0], np.cumsum(values)])
    placed = least_cost_breaks(data, template, first, prefix)
    assert placed is not None
    starts, loss = placed
    # Each break starts in its window, as early as still covering the cheap interval.
    for s, target, spec in zip(starts, cheapest, specs, strict=True):
        assert first + spec.first <= s <= first + spec.last
        assert s <= target < s + spec.span
    assert loss == sum(
        int(prefix[s + sp.span] - prefix[s]) for s, sp in zip(starts, specs, strict=True)
    )


def test_overlapping_windows_fall_back_to_the_search_without_overlap():
    data = generated()
    template = next(i for i, t in enumerate(data.templates) if len(t.breaks) == 3)
    spec = data.templates[template].breaks[0]
    wide = type(spec)(
        name="other", minutes=spec.minutes, paid=True, first=spec.first, last=spec.last, span=2
    )
    crowded = type(data.templates[template])(id="crowded", kind="early", breaks=(spec, wide))
    templates = (*data.templates, crowded)
    object.__setattr__(data, "templates", templates)
    index = len(templates) - 1
    assert not disjoint_windows(data, index)
    prefix = np.arange(data.n_intervals + 1, dtype=np.int64)  # every interval worth 1
    assert placement_table(data, index, prefix) is None
    placed = least_cost_breaks(data, index, 10, prefix)
    assert placed is not None
    (a, b) = placed[0]
    assert a + spec.span <= b or b + 2 <= a


def test_best_response_places_the_breaks_it_valued():
    # The agent's week is valued with its least-cost breaks and added with exactly those: each
    # shift's score is its work's value less those breaks' loss.
    data = generated(days=3)
    plan = Plan.empty(data)
    n = plan.coverage()
    agent = 0
    prefix = np.concatenate(
        [
            [0],
            np.cumsum(marginal(data, n, data.agents[agent].skills, data.agents[agent].proficiency)),
        ]
    )
    scores = shift_scores(data, agent, n)
    choice = {
        d: max(cands, key=lambda c: scores[c])
        for d, cands in enumerate(data.agents[agent].candidates)
        if cands
    }
    add_agent_week(plan, n, agent, choice)
    for d, c in choice.items():
        cand = data.candidates[c]
        placed = least_cost_breaks(data, cand.template, cand.first, prefix)
        assert placed is not None
        assert plan.breaks[(agent, d)] == placed[0]
        assert scores[c] == int(prefix[cand.last] - prefix[cand.first]) - placed[1]
