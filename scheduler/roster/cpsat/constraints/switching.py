"""Queue switching: planners want blocks of one queue, not a new queue every interval.

Definition: agent ``a`` *switches* between intervals ``t`` and ``t + 1`` when it is on a queue in
both and the queues differ, ``s[a, t] = [queue[a, t] >= 0, queue[a, t + 1] >= 0, queue[a, t] !=
queue[a, t + 1]]``. A break (or the end of the shift) separates blocks: coming back from a break
on another queue is not a switch, since the break is the natural place to change. The penalty is
``w_switch * sum_{a, t} s[a, t]`` (``w_switch`` = ``rules.objective.queue_switch`` value units per
switch). Soft; weight 0 creates nothing.

Where it is honoured:

- exactly by :func:`count` in :mod:`scheduler.roster.evaluate` (the objective every phase
  compares);
- exactly by :func:`scheduler.roster.allocate.allocate`: each interval's min-cost flow prices
  an agent's queue ``q`` at ``w_switch * ([q != queue[a, t-1]] + [q != queue[a, t+1]])`` for the
  neighbours it is on queue in, so re-allocating interval ``t`` is exact given the rest (a
  coordinate descent over intervals that never makes the objective worse);
- approximately in the CP-SAT sub-model by :func:`add`, which sees queues only per skill group
  ``G`` (flows ``f[G, q, t]`` of the group's free work ``W[G, t] = sum_q f[G, q, t]``). The
  fewest switches of the group's agents between ``t`` and ``t + 1`` when nobody both joins and
  leaves is ``S[G, t] = (sum_q |f[G, q, t+1] - f[G, q, t]| - |W[G, t+1] - W[G, t]|) / 2``
  (a decrease on a queue not explained by agents leaving is an agent moving, and it shows as an
  increase elsewhere). With ``d[G, q, t] >= |f[G, q, t+1] - f[G, q, t]|`` and ``D[G, t] =
  |W[G, t+1] - W[G, t]|`` (exact, an absolute-value equality) the model adds
  ``2 S[G, t] >= sum_q d[G, q, t] - D[G, t]``, ``S >= 0`` priced ``w_switch``. Single-skill
  groups never switch. Which agent of a group takes which queue is then chosen exactly by
  :func:`~scheduler.roster.allocate.allocate` on the freed intervals.

The LP bound (:mod:`scheduler.roster.bounds`) leaves the term out: it is never negative, so the
bound stays valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.objective import Term

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.problem_data import ProblemData


def unit_cost(data: ProblemData) -> int:
    """Scaled cost of one switch (0 switches the term off)."""
    from scheduler.roster.problem_data import scale

    return scale(data.scenario.rules.objective.queue_switch)


def per_agent(queue: np.ndarray) -> np.ndarray:
    """Switches of each agent (rows of ``queue[a, t]``, ``-1`` off queue)."""
    if queue.shape[1] < 2:
        return np.zeros(queue.shape[0], dtype=np.int64)
    left, right = queue[:, :-1], queue[:, 1:]
    return ((left >= 0) & (right >= 0) & (left != right)).sum(axis=1).astype(np.int64)


def count(queue: np.ndarray) -> int:
    """Switches of the whole plan."""
    return int(per_agent(queue).sum())


def add(rm: RosterModel) -> list[Term]:
    """Group-level switch penalty of the free agents (full mode, weight > 0)."""
    data, model, cv = rm.data, rm.model, rm.flows
    cost = unit_cost(data)
    if rm.mode != "full" or cv is None or cost == 0:
        return []
    variables: list[cp_model.IntVar] = []
    for (g, t), work in sorted(cv.group_work.items()):
        nxt = cv.group_work.get((g, t + 1))
        if nxt is None:
            continue
        skills = data.agents[cv.members[(g, t)][0]].skills
        diffs = []
        for q in skills:
            f0, f1 = cv.flow[(g, q, t)], cv.flow[(g, q, t + 1)]
            bound = max(len(cv.members[(g, t)]), len(cv.members[(g, t + 1)]))
            d = model.new_int_var(0, bound, f"switch_d[g{g},{data.queues[q]},t{t}]")
            model.add(d >= f1 - f0)
            model.add(d >= f0 - f1)
            diffs.append(d)
        size = max(len(cv.members[(g, t)]), len(cv.members[(g, t + 1)]))
        change = model.new_int_var(0, size, f"switch_dw[g{g},t{t}]")
        model.add_abs_equality(change, nxt - work)
        s = model.new_int_var(0, size, f"switches[g{g},t{t}]")
        model.add(2 * s >= cp_model.LinearExpr.sum(diffs) - change)
        variables.append(s)
    if not variables:
        return []
    return [Term("switching", cp_model.LinearExpr.weighted_sum(variables, [cost] * len(variables)))]
