"""Proficiency: an agent with proficiency ``p`` on a queue counts ``p`` of an agent for its service.

Maths. The service value of a queue and interval is the concave ``V(m)`` of the head count ``m``
(:mod:`scheduler.roster.problem_data`); with proficiencies ``p_i`` the natural value would be
``V(sum_i p_i)``, which the integer unit levels of the model cannot express. We use its first-order
expansion around the requirement instead: every agent counts as one head for the staffing curve
and for under/overstaffing, plus

    ``adj(a, q, t) = (p[a, q] - 1) * g_ref[q, t]``,

where ``g_ref[q, t] = w_service * (V(need) - V(need - 1))`` (on the concave envelope, ``need >= 1``;
the first agent's gain when nothing is needed) is the service value of the marginal required agent:
so an agent at 0.8 is worth 80% of a full agent there. The error is second order: it is exact when
everyone on the queue is at ``p = 1`` or when ``V`` is linear around the operating point, and it
over-values a weak agent far past the requirement (where ``V`` has flattened) by at most
``(1 - p) * g_ref``. Deferred queues are not scaled (their FIFO backlog counts whole agents);
``g_ref`` is zero there.

Where it is honoured:

- exactly (per agent) by :func:`total` in :mod:`scheduler.roster.evaluate`, by the queue
  allocation (:mod:`scheduler.roster.allocate`, a cost on the agent -> queue arc) and by the
  constructive heuristic's marginal values;
- in the CP-SAT sub-model by :func:`add` through the skill group's flows ``f[G, q, t]`` priced
  ``-(mean_{a in G} p[a, q] - 1) * g_ref[q, t]`` (agents of a group share the flow; which one takes
  which queue is re-chosen exactly by the allocation afterwards);
- in the LP bound (:mod:`scheduler.roster.bounds`) per class and queue: each class's columns
  carry its cheapest price over its queues, and each skill group's flow to a queue the smallest
  extra over that among the group's classes, so no agent-interval is priced below what it can
  cost (the bound stays valid).

Everyone at proficiency 1 (the default) creates no variable and no term.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.objective import Term

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.problem_data import AgentSpec, ProblemData


def key(spec: AgentSpec) -> tuple[float, ...]:
    """The agent's proficiencies (in skill order), or ``()`` when all are 1."""
    return () if all(p == 1.0 for p in spec.proficiency) else spec.proficiency


def units(data: ProblemData, p: float, q: int, t: int) -> int:
    """Scaled adjustment of one agent of proficiency ``p`` on queue ``q`` in interval ``t``."""
    if p == 1.0:
        return 0
    return round((p - 1.0) * float(data.prof_ref[q, t]))


def matrix(data: ProblemData) -> np.ndarray:
    """``P[a, q]``: proficiency of agent ``a`` on queue ``q`` (1 where unskilled)."""
    out = np.ones((len(data.agents), len(data.queues)))
    for spec in data.agents:
        for q, p in zip(spec.skills, spec.proficiency, strict=True):
            out[spec.index, q] = p
    return out


def total(data: ProblemData, queue: np.ndarray) -> int:
    """Scaled sum of ``adj`` over every on-queue agent-interval of ``queue[a, t]``."""
    profs = matrix(data)
    if np.all(profs == 1.0):
        return 0
    a_idx, t_idx = np.nonzero(queue >= 0)
    q_idx = queue[a_idx, t_idx].astype(np.int64)
    adj = np.rint((profs[a_idx, q_idx] - 1.0) * data.prof_ref[q_idx, t_idx])
    return int(adj.sum())


def add(rm: RosterModel) -> list[Term]:
    """Price the free agents' flows by their group's mean proficiency (full mode)."""
    data, cv = rm.data, rm.flows
    if rm.mode != "full" or cv is None:
        return []
    profs = matrix(data)
    if np.all(profs == 1.0):
        return []
    fixed = rm.plan.queue.copy()
    for a, days in rm.vars.free.items():
        for d in days:
            for t in rm.plan.working(a, d):
                fixed[a, t] = -1
    constant = -total(data, fixed)
    variables, coeffs = [], []
    for (g, q, t), expr in sorted(cv.group_on.items(), key=lambda kv: kv[0]):
        members = cv.members[(g, t)]
        mean = float(np.mean([profs[a, q] for a in members]))
        coeff = round((mean - 1.0) * float(data.prof_ref[q, t]))
        if coeff:
            variables.append(expr)
            coeffs.append(-coeff)
    if not variables:
        return [Term("proficiency", 0, constant)]
    return [Term("proficiency", cp_model.LinearExpr.weighted_sum(variables, coeffs), constant)]
