"""Exchange whole weeks between interchangeable agents: a linear assignment per class.

Two agents are *interchangeable* when every rule sees them alike: same skill set, same contract,
the same candidate shifts (template, start, end) day by day and the same tail of the previous
week. Any agent of such a class can then work any other member's week -- shifts, breaks and queue
labels unchanged -- and the roster stays feasible; head counts per queue and interval, shift
cover counts and queue switches do not move, so coverage, deferred work, goal attainment, shift
cover and switching are unchanged. What changes is separable by agent:

- proficiency: agent ``b`` doing week ``w`` pays ``-sum_t adj(b, q_w(t), t)`` over the week's
  queue labels (:mod:`scheduler.roster.cpsat.constraints.proficiency`);
- fairness against the agent's own ledger (:mod:`scheduler.roster.cpsat.constraints.fairness`);
- pay, preference and stability costs of the agent's own candidates, and its days-off costs.

So for each class the best exchange is the assignment of weeks to members minimising
``C[b, w]``, solved exactly (:func:`scipy.optimize.linear_sum_assignment`). The fairness spread
(max minus min per contract) is the one term that is not separable; the caller compares whole
objectives (:func:`scheduler.roster.evaluate.evaluate`) before keeping the answer.

Why it pays: the neighbourhood search prices a skill group's queue flows at the group's mean
proficiency, so it cannot tell two members of a group apart, while the queue allocation afterwards
can only choose who takes which queue among the agents on duty. Which agent is on duty when a
weak skill is needed is exactly what this step chooses.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.optimize import linear_sum_assignment

from scheduler.roster.cpsat.constraints import fairness, proficiency
from scheduler.roster.evaluate import fairness_counts
from scheduler.roster.plan import NO_SHIFT, Plan
from scheduler.roster.problem_data import ProblemData


def interchangeable(data: ProblemData) -> list[list[int]]:
    """Classes of at least two agents that can work each other's weeks (module docstring)."""
    by_key: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for spec in data.agents:
        shapes = tuple(
            tuple(
                (data.candidates[c].template, data.candidates[c].start, data.candidates[c].end)
                for c in day
            )
            for day in spec.candidates
        )
        by_key[(spec.group, spec.contract.id, shapes, spec.tail)].append(spec.index)
    return [members for members in by_key.values() if len(members) > 1]


def week_costs(plan: Plan, members: list[int]) -> np.ndarray:
    """``C[i, j]``: scaled separable cost of member ``i`` working member ``j``'s week."""
    data = plan.data
    profs = proficiency.matrix(data)
    weight = data.scenario.rules.objective.fairness
    cost = np.zeros((len(members), len(members)), dtype=np.int64)
    for j, owner in enumerate(members):
        positions = _positions(data, plan, owner)
        counts = fairness_counts(data, plan, owner)
        t_idx = np.flatnonzero(plan.queue[owner] >= 0)
        q_idx = plan.queue[owner, t_idx].astype(np.int64)
        for i, agent in enumerate(members):
            spec = data.agents[agent]
            total = 0
            for d, pos in enumerate(positions):
                if pos is None:
                    total += spec.off_cost[d]
                else:
                    total += data.candidates[spec.candidates[d][pos]].cost
            total += fairness.penalty(counts, spec.ledger, weight)
            adj = np.rint((profs[agent, q_idx] - 1.0) * data.prof_ref[q_idx, t_idx])
            total -= int(adj.sum())
            cost[i, j] = total
    return cost


def exchange_weeks(plan: Plan) -> tuple[Plan, int]:
    """The plan with each class's weeks reassigned optimally; (plan, members whose week moved).

    Parameters
    ----------
    plan
        A complete plan; it is not modified.

    Returns
    -------
    tuple[Plan, int]
        A new plan (the same weeks, possibly worked by other members of their class) and how
        many agents got another member's week. The separable terms never get worse; compare
        whole objectives before keeping it (the fairness spread may move).
    """
    data = plan.data
    out = plan.copy()
    moved = 0
    for members in interchangeable(data):
        cost = week_costs(plan, members)
        rows, cols = linear_sum_assignment(cost)
        # Keep a member's own week on ties: only strictly cheaper assignments move anybody.
        if int(cost[rows, cols].sum()) >= int(np.trace(cost)):
            continue
        for i, j in zip(rows, cols, strict=True):
            if i != j:
                _install(plan, out, owner=members[j], agent=members[i])
                moved += 1
    return out, moved


def _positions(data: ProblemData, plan: Plan, a: int) -> list[int | None]:
    """Per day, the position of ``a``'s shift among its candidates (None on a day off)."""
    out: list[int | None] = []
    for d in range(data.days):
        c = int(plan.choice[a, d])
        out.append(None if c == NO_SHIFT else data.agents[a].candidates[d].index(c))
    return out


def _install(source: Plan, out: Plan, *, owner: int, agent: int) -> None:
    """Give ``agent`` in ``out`` the week ``owner`` works in ``source``."""
    data = source.data
    for d, pos in enumerate(_positions(data, source, owner)):
        if pos is None:
            out.choice[agent, d] = NO_SHIFT
            out.breaks.pop((agent, d), None)
        else:
            out.choice[agent, d] = data.agents[agent].candidates[d][pos]
            out.breaks[(agent, d)] = source.breaks[(owner, d)]
    out.queue[agent] = source.queue[owner]
