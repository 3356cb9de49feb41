"""Skills and coverage: every working agent-interval on one queue it is skilled for, valued by
the service it buys.

Maths (free agent-days; the rest of the plan is a constant ``base[q, t]`` head count):

- work of free agent ``a`` in interval ``t``: ``w[a,t] = sum_{c covers t} x_c - brk[a,t]``;
- agents with identical skill sets form a group ``G``; the group's free work
  ``W[G,t] = sum_{a in G} w[a,t]`` is split over its queues by integer flows
  ``sum_{q in skills(G)} f[G,q,t] = W[G,t]`` (exact: agents of a group are interchangeable, and a
  group with one skill needs no flow variable);
- head count ``n[q,t] = base[q,t] + sum_G f[G,q,t]``;
- the concave value of ``n`` uses boolean units ``u[q,t,k]``, ``k = 1..K`` with
  ``sum_k u[q,t,k] = n[q,t] - base[q,t]``, ``u[q,t,k] >= u[q,t,k+1]``, and penalty
  ``-sum_k gain(q, t, base + k - 1) * u[q,t,k]`` where ``gain`` (non-increasing in ``k``) is the
  marginal contacts answered in target plus the under/overstaffing weights (see
  :mod:`scheduler.roster.problem_data`).

Skills are hard (flows only go to the group's queues); coverage is soft.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.objective import Term

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.plan import Plan


class CoverageVars:
    """Flow and unit variables, the constant base coverage and each queue's free head count."""

    def __init__(self, base: np.ndarray) -> None:
        self.base = base
        # (group, q, t) -> flow var (multi-skill groups only)
        self.flow: dict[tuple[int, int, int], cp_model.IntVar] = {}
        # (q, t) -> expression of free agents on q at t
        self.extra: dict[tuple[int, int], cp_model.LinearExpr] = {}
        self.units: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        # (group, t) -> free agents of the group that may work t
        self.members: dict[tuple[int, int], list[int]] = {}
        # (group, t) -> the group's free work in t (multi-skill groups only: sum of its flows)
        self.group_work: dict[tuple[int, int], cp_model.LinearExpr] = {}
        # (group, q, t) -> the group's free agents on q in t (its flow, or its work if one skill)
        self.group_on: dict[tuple[int, int, int], cp_model.LinearExpr] = {}

    def hint(self, model: cp_model.CpModel, plan: Plan) -> None:
        """Hint flows and units with the incumbent's queue allocation."""
        counts: dict[tuple[int, int, int], int] = defaultdict(int)
        extra: dict[tuple[int, int], int] = defaultdict(int)
        for (g, t), agents in self.members.items():
            for a in agents:
                q = int(plan.queue[a, t])
                if q >= 0:
                    counts[(g, q, t)] += 1
                    extra[(q, t)] += 1
        for key, var in self.flow.items():
            model.add_hint(var, counts.get(key, 0))
        for unit_key, units in self.units.items():
            n = extra.get(unit_key, 0)
            for k, u in enumerate(units):
                model.add_hint(u, k < n)

    def read(self, solver: cp_model.CpSolver, plan: Plan) -> None:
        """Write queue labels of the free agents from the flows (shifts and breaks read)."""
        data = plan.data
        for (g, t), agents in sorted(self.members.items()):
            skills = data.agents[agents[0]].skills
            working = [a for a in agents if _works(plan, a, t)]
            if len(skills) == 1:
                for a in working:
                    plan.queue[a, t] = skills[0]
                continue
            quota = [int(solver.value(self.flow[(g, q, t)])) for q in skills]
            # Prefer to keep each agent on the queue it worked the interval before.
            order = sorted(working, key=lambda a: -int(plan.queue[a, t - 1] >= 0))
            labels: dict[int, int] = {}
            for a in order:
                prev = int(plan.queue[a, t - 1]) if t > 0 else -1
                if prev in skills and quota[skills.index(prev)] > 0:
                    labels[a] = prev
                    quota[skills.index(prev)] -= 1
            for a in order:
                if a in labels:
                    continue
                i = next(i for i, left in enumerate(quota) if left > 0)
                labels[a] = skills[i]
                quota[i] -= 1
            for a, q in labels.items():
                plan.queue[a, t] = q


def _works(plan: Plan, a: int, t: int) -> bool:
    data = plan.data
    for d in (t * data.interval // 1440, t * data.interval // 1440 - 1):
        if 0 <= d < data.days:
            cand = plan.candidate(a, d)
            if cand is not None and cand.first <= t < cand.last:
                return t not in plan.break_mask(a, d)
    return False


def add(rm: RosterModel) -> list[Term]:
    """Allocate free work to queues and value the head counts (full mode only)."""
    if rm.mode != "full":
        return []
    data, model, plan = rm.data, rm.model, rm.plan
    base = plan.coverage()
    on: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for a, days in rm.vars.free.items():
        for d in days:
            for t in plan.working(a, d):
                base[int(plan.queue[a, t]), t] -= 1
            for cand in rm.vars.candidates(a, d):
                for t in range(cand.first, cand.last):
                    on[(a, t)].append(rm.vars.x[cand.index])
    cv = CoverageVars(base)
    brk = rm.breaks
    by_group_t: dict[tuple[int, int], list[int]] = defaultdict(list)
    for a, t in sorted(on):
        by_group_t[(data.agents[a].group, t)].append(a)
    extra: dict[tuple[int, int], list[cp_model.LinearExpr]] = defaultdict(list)
    bound: dict[tuple[int, int], int] = defaultdict(int)
    for (g, t), agents in sorted(by_group_t.items()):
        if not data.agents[agents[0]].skills:
            continue  # agents without skills (a queue-less scenario) serve no queue
        cv.members[(g, t)] = agents
        work = cp_model.LinearExpr.sum(
            [cp_model.LinearExpr.sum(on[(a, t)]) - (brk.off(a, t) if brk else 0) for a in agents]
        )
        skills = data.agents[agents[0]].skills
        if len(skills) == 1:
            cv.group_on[(g, skills[0], t)] = work
            extra[(skills[0], t)].append(work)
            bound[(skills[0], t)] += len(agents)
            continue
        flows = []
        for q in skills:
            f = model.new_int_var(0, len(agents), f"flow[g{g},{data.queues[q]},t{t}]")
            cv.flow[(g, q, t)] = f
            cv.group_on[(g, q, t)] = f
            flows.append(f)
            extra[(q, t)].append(f)
            bound[(q, t)] += len(agents)
        model.add(cp_model.LinearExpr.sum(flows) == work)
        cv.group_work[(g, t)] = work
    weights: list[cp_model.IntVar] = []
    coeffs: list[int] = []
    for (q, t), parts in sorted(extra.items()):
        expr = cp_model.LinearExpr.sum(parts)
        cv.extra[(q, t)] = expr
        b = int(base[q, t])
        gains = [data.gain(q, t, b + k) for k in range(bound[(q, t)])]
        if not any(gains):
            continue
        units = [
            model.new_bool_var(f"unit[{data.queues[q]},t{t},{b + k + 1}]")
            for k in range(len(gains))
        ]
        model.add(cp_model.LinearExpr.sum(units) == expr)
        for u1, u2 in itertools.pairwise(units):
            model.add_implication(u2, u1)
        cv.units[(q, t)] = units
        weights.extend(units)
        coeffs.extend(-g for g in gains)
    rm.flows = cv
    base_gain = base_value(data, base)
    if not weights:
        return [Term("coverage", 0, -base_gain)]
    return [Term("coverage", cp_model.LinearExpr.weighted_sum(weights, coeffs), -base_gain)]


def base_value(data: object, counts: np.ndarray) -> int:
    """Scaled total gain of head counts ``counts[q, t]`` (the coverage term is its negative)."""
    from scheduler.roster.problem_data import ProblemData

    assert isinstance(data, ProblemData)
    cum = np.cumsum(data.gains, axis=2)
    levels = data.levels
    n = np.clip(counts, 0, None)
    inside = np.minimum(n, levels)
    q_idx, t_idx = np.indices(n.shape)
    total = np.where(inside > 0, cum[q_idx, t_idx, np.maximum(inside - 1, 0)], 0)
    total = total + np.maximum(n - levels, 0) * data.tail_gain
    return int(total.sum())
