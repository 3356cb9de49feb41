"""Goal attainment: each immediate queue's service-level goal, day by day, priced per contact short.

Why: the coverage value (:mod:`.coverage`) sums contacts answered in target over queues, so it is
indifferent to *whose* contacts are answered. A dual-skilled agent then buys more on a big queue
than on a tiny one (the big queue's 8th agent answers more calls in target than the tiny queue's
first), and the tiny queues starve on quiet days. This term charges every contact a queue-day falls
short of the queue's own goal, so the goal is reached where staff allow before extra contacts are
bought on the big queue.

Maths, for immediate queue ``q`` with service-level goal ``g_q`` (:attr:`ProblemData.goal`; queues
without one, and deferred queues, have no term) and horizon day ``d`` with intervals ``T_d``:

- offered ``O[q,d] = sum_{t in T_d} o[q,t]`` (the intervals that have a value curve);
- answered in target ``A[q,d] = sum_{t in T_d} V_qt(n[q,t])``, ``V_qt`` the upper concave envelope
  of ``o[q,t] * SL_qt(m)`` -- the value the coverage gains are drawn from;
- shortfall ``s[q,d] >= g_q O[q,d] - A[q,d]``, ``s[q,d] >= 0``, priced ``w_goal * s[q,d]`` value
  units (``w_goal`` = ``rules.objective.goal_shortfall``; 1 = one contact in target at service
  weight 1).

In scaled integers (:func:`~scheduler.roster.problem_data.scale`): ``G[q,d] = scale(g_q O[q,d])``,
``Vs[q,t,m] = scale(V_qt(m))`` (:attr:`ProblemData.in_target`) and ``r = scale(w_goal)``. The
penalty of a queue-day is ``P[q,d] = ceil(r * max(0, G - sum_t Vs[q,t,n[q,t]]) / SCALE)``, which
:func:`penalty` computes exactly and the model encodes as

``SCALE * P[q,d] >= r * (G[q,d] - C[q,d] - sum_{t in T_d} sum_k delta[q,t,k] u[q,t,k])``,
``P[q,d] >= 0``

over the coverage family's boolean units ``u[q,t,k]`` (the ``k``-th free agent on ``q`` in ``t``,
filled in order), with ``delta[q,t,k] = Vs[q,t,b+k+1] - Vs[q,t,b+k]`` the envelope's increments at
the fixed head count ``b = base[q,t]`` and ``C[q,d] = sum_t Vs[q,t,base[q,t]]`` what the fixed
agents answer. In a neighbourhood the fixed agents (every agent-day outside it) are in ``base``;
a queue-day no free agent can reach is a constant. Because units are filled in order, the model
and :func:`penalty` agree exactly. ``-P`` is concave in ``A`` and ``A`` in the head counts, so the
term keeps the objective concave in the staff it values.

The per-interval heuristics (the exact queue allocation, the greedy construction, break
re-placement) see it through :func:`level_gains` (the exact marginal of one interval's head count
given the rest of the day) and :func:`bonus` (a multiplier ``w_goal`` on the contacts of queue-days
still below goal). Weight 0 creates no variables and changes nothing.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.objective import Term
from scheduler.roster.problem_data import SCALE, ProblemData

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel


def rate(data: ProblemData) -> int:
    """``r``: scaled objective units per contact short (0: no queue has a goal, or weight 0)."""
    if not any(data.goal):
        return 0
    return round(data.scenario.rules.objective.goal_shortfall * SCALE)


def targets(data: ProblemData) -> np.ndarray:
    """``G[q, d]``: scaled contacts each queue-day must answer in target to reach its goal."""
    offered = data.offered[:, : data.n_demand].reshape(len(data.queues), data.days, data.per_day)
    goal = np.asarray(data.goal, dtype=np.float64)[:, None]
    return np.rint(goal * offered.sum(axis=2) * SCALE).astype(np.int64)


def in_target(data: ProblemData, counts: np.ndarray) -> np.ndarray:
    """``Vs[q, t, counts[q, t]]``: scaled contacts answered in target per queue and interval."""
    n = np.clip(counts[:, : data.n_demand], 0, data.in_target.shape[2] - 1)
    table = data.in_target[:, : data.n_demand]
    out: np.ndarray = np.take_along_axis(table, n[:, :, None], axis=2)[:, :, 0]
    return out


def answered(data: ProblemData, counts: np.ndarray) -> np.ndarray:
    """``A[q, d]``: scaled contacts answered in target per queue-day with head counts ``counts``."""
    per_t = in_target(data, counts)
    out: np.ndarray = per_t.reshape(len(data.queues), data.days, data.per_day).sum(axis=2)
    return out


def shortfall(data: ProblemData, counts: np.ndarray) -> np.ndarray:
    """Scaled contacts short of goal per queue-day, ``max(0, G - A)`` (zero without a goal)."""
    out: np.ndarray = np.maximum(targets(data) - answered(data, counts), 0)
    return out


def price(r: int, short: np.ndarray | int) -> np.ndarray:
    """``P = ceil(r * short / SCALE)``: the scaled penalty of ``short`` scaled contacts short."""
    return np.asarray(-(-(r * np.asarray(short, dtype=np.int64)) // SCALE))


def penalty(data: ProblemData, counts: np.ndarray) -> int:
    """Scaled goal-shortfall penalty ``sum_{q,d} P[q,d]`` of head counts ``counts[q, t]``."""
    r = rate(data)
    if not r:
        return 0
    return int(price(r, shortfall(data, counts)).sum())


class DayTally:
    """Running ``A[q, d]`` of head counts changed one interval at a time (the allocation sweep)."""

    def __init__(self, data: ProblemData, counts: np.ndarray) -> None:
        self.data = data
        self.r = rate(data)
        self.goal = targets(data) if self.r else np.zeros((0, 0), dtype=np.int64)
        self.answered = answered(data, counts) if self.r else self.goal

    def level_gains(self, q: int, t: int, base: int, k_max: int) -> list[int]:
        """Penalty saved by the 1st, 2nd, ... agent on ``q`` in ``t`` above ``base`` agents.

        ``A[q, d]`` counts ``base`` agents in ``t``. Exact given the other intervals of the day
        (``P`` before minus ``P`` after), made non-increasing so parallel unit arcs of a flow stay
        exact.
        """
        data = self.data
        if not self.r or not data.goal[q] or t >= data.n_demand or not k_max:
            return [0] * k_max
        d = t // data.per_day
        levels = data.in_target.shape[2]
        row = data.in_target[q, t, np.minimum(base + np.arange(k_max + 1), levels - 1)]
        others = int(self.answered[q, d]) - int(row[0])
        p = price(self.r, np.maximum(int(self.goal[q, d]) - others - row, 0))
        out = np.minimum.accumulate(p[:-1] - p[1:])
        return [int(x) for x in out]

    def move(self, q: int, t: int, before: int, after: int) -> None:
        """Record that the head count on ``q`` in ``t`` went from ``before`` to ``after``."""
        data = self.data
        if not self.r or t >= data.n_demand or before == after:
            return
        top = data.in_target.shape[2] - 1
        row = data.in_target[q, t]
        change = int(row[min(after, top)]) - int(row[min(before, top)])
        self.answered[q, t // data.per_day] += change


def bonus(data: ProblemData, counts: np.ndarray) -> np.ndarray | None:
    """Scaled goal value of one more agent per queue and interval, for greedy heuristics.

    ``w_goal * (Vs[q,t,n+1] - Vs[q,t,n])`` (capped by what the queue-day still lacks) on queue-days
    short of goal, 0 elsewhere: the term's Lagrangian reweighting at its current multipliers
    (``w_goal`` below goal, 0 at or above). None when the term is off.
    """
    r = rate(data)
    if not r:
        return None
    short = shortfall(data, counts)
    top = data.in_target.shape[2] - 1
    table = data.in_target[:, : data.n_demand]
    head = counts[:, : data.n_demand]
    n = np.clip(head, 0, top)[:, :, None]
    nxt = np.clip(head + 1, 0, top)[:, :, None]
    step = (np.take_along_axis(table, nxt, axis=2) - np.take_along_axis(table, n, axis=2))[:, :, 0]
    left = np.repeat(short, data.per_day, axis=1)
    out = np.zeros((len(data.queues), data.n_intervals), dtype=np.int64)
    out[:, : data.n_demand] = r * np.minimum(step, left) // SCALE
    return out


def add(rm: RosterModel) -> list[Term]:
    """Shortfall variables of the queue-days the free agents reach (full mode, weight > 0)."""
    data, model, cv = rm.data, rm.model, rm.flows
    r = rate(data)
    if rm.mode != "full" or not r or cv is None:
        return []
    goal = targets(data)
    base_day = answered(data, cv.base)
    # The incumbent's shortfalls hint the new variables (the plan's other parts are hinted by
    # the caller; these follow from them).
    incumbent = price(r, np.maximum(goal - answered(data, rm.plan.coverage()), 0))
    top = data.in_target.shape[2] - 1
    # Free units per queue-day, with the contacts in target each one adds.
    reach: dict[tuple[int, int], tuple[list[cp_model.IntVar], list[int]]] = {}
    for (q, t), expr in sorted(cv.extra.items()):
        if not data.goal[q] or t >= data.n_demand:
            continue
        b = int(cv.base[q, t])
        units = cv.units.get((q, t))
        if units is None:
            # Coverage left this head count unvalued (every gain zero); the goal still counts it.
            k_max = sum(
                len(agents)
                for (_, tt), agents in cv.members.items()
                if tt == t and q in data.agents[agents[0]].skills
            )
            units = [
                model.new_bool_var(f"unit[{data.queues[q]},t{t},{b + k + 1}]") for k in range(k_max)
            ]
            model.add(cp_model.LinearExpr.sum(units) == expr)
            for u1, u2 in itertools.pairwise(units):
                model.add_implication(u2, u1)
            cv.units[(q, t)] = units
        row = data.in_target[q, t, np.minimum(b + np.arange(len(units) + 1), top)]
        bucket = reach.setdefault((q, t // data.per_day), ([], []))
        for u, dv in zip(units, np.diff(row), strict=True):
            if dv:
                bucket[0].append(u)
                bucket[1].append(int(dv))
    constant = 0
    shorts: list[cp_model.IntVar] = []
    for q, g_q in enumerate(data.goal):
        if not g_q:
            continue
        for d in range(data.days):
            gap = int(goal[q, d] - base_day[q, d])
            if gap <= 0:
                continue  # the fixed agents alone reach the goal; free ones only add to it
            ceiling = int(price(r, gap))
            units, deltas = reach.get((q, d), ([], []))
            if not units:
                constant += ceiling
                continue
            s = model.new_int_var(0, ceiling, f"goal_short[{data.queues[q]},d{d}]")
            served = cp_model.LinearExpr.weighted_sum(units, [r * dv for dv in deltas])
            model.add(SCALE * s + served >= r * gap)
            model.add_hint(s, min(ceiling, int(incumbent[q, d])))
            shorts.append(s)
    if not shorts:
        return [Term("goal_shortfall", 0, constant)] if constant else []
    return [Term("goal_shortfall", cp_model.LinearExpr.sum(shorts), constant)]
