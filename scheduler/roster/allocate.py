"""Exact queue allocation for fixed on-duty agents, one interval at a time (min-cost flow).

With shifts and breaks fixed, which queue each working agent serves in interval ``t`` is a
transportation problem: skill groups (supply = their working agents) send agents to queues they
are skilled for, and queue ``q`` values its ``k``-th agent at ``gain(q, t, k)``, non-increasing in
``k``. Parallel unit arcs priced ``-gain`` make the min-cost flow exact for this concave value.

For deferred queues the marginal value of the ``k``-th agent in ``t`` is also exact given the other
intervals: the lateness it saves over ``t' >= t`` under the exact FIFO backlog of
:func:`scheduler.roster.cpsat.constraints.deferred.lateness`. Sweeping the intervals in time
order is a coordinate descent that never makes the objective worse.

The goal-attainment term (:mod:`scheduler.roster.cpsat.constraints.goal_attainment`) couples the
intervals of a queue-day the same way, and is exact the same way: the ``k``-th agent on ``q`` in
``t`` also saves the shortfall penalty it removes given the rest of the day's head counts (a
running tally kept as the sweep moves on). With the term's weight at 0 nothing changes.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.roster.cpsat.constraints import deferred, goal_attainment, proficiency, switching
from scheduler.roster.plan import OFF, Plan
from scheduler.roster.problem_data import ProblemData


def _deferred_gain(data: ProblemData, n: np.ndarray, q: int, t: int, k_max: int) -> list[int]:
    """Lateness saved by the 1st, 2nd, ... agent on deferred queue ``q`` in interval ``t``."""
    n_t = data.n_demand
    if t >= n_t or not data.late_cost[q]:
        return [0] * k_max
    # One row per head count k = 0..k_max at t, the other intervals as they are.
    counts = np.repeat(n[q, :n_t][None, :], k_max + 1, axis=0)
    counts[:, t] = np.arange(k_max + 1)
    late = deferred.lateness(data.due[q, :n_t], data.arrived[q, :n_t], counts, data.interval)
    total = late[:, t:].sum(axis=1)
    # Done work is concave in the head count, so these savings never increase with k.
    return [int(data.late_cost[q] * (total[k] - total[k + 1])) for k in range(k_max)]


def allocate(plan: Plan, intervals: list[int] | None = None) -> Plan:
    """Re-allocate every working agent-interval to queues, optimally per interval.

    Each interval's flow also prices queue switches against the agent's queue in the interval
    before (already re-allocated) and after (see
    :mod:`scheduler.roster.cpsat.constraints.switching`), so agents of one skill group are not
    interchangeable any more: they are told apart by those two neighbours and by their
    proficiency (:mod:`scheduler.roster.cpsat.constraints.proficiency`).

    Parameters
    ----------
    plan
        Plan whose shifts and breaks are kept; its queue labels are replaced.
    intervals
        Intervals to re-allocate (default: all).

    Returns
    -------
    Plan
        A new plan with the allocation.
    """
    data = plan.data
    out = plan.copy()
    n = out.coverage()
    tally = goal_attainment.DayTally(data, n)
    sw = switching.unit_cost(data)
    last = data.n_intervals - 1
    ts = range(data.n_intervals) if intervals is None else sorted(intervals)
    for t in ts:
        working = np.flatnonzero(out.queue[:, t] >= 0)
        if len(working) == 0:
            continue
        types: dict[AgentType, list[int]] = defaultdict(list)
        held = n[:, t].copy()
        for w in working:
            a = int(w)
            spec = data.agents[a]
            n[int(out.queue[a, t]), t] -= 1
            if len(spec.skills) == 1:
                key: AgentType = (spec.group, (), OFF, OFF)
            else:
                before = int(out.queue[a, t - 1]) if t > 0 and sw else OFF
                after = int(out.queue[a, t + 1]) if t < last and sw else OFF
                key = (spec.group, proficiency.key(spec), before, after)
            types[key].append(a)
        if tally.r:
            for q in range(len(data.queues)):
                tally.move(q, t, int(held[q]), int(n[q, t]))
            held = n[:, t].copy()
        flows = _solve_interval(data, n, t, types, sw, tally)
        for key, agents in types.items():
            quota = flows[key]
            # Agents of one type are interchangeable: hand out the queues in order.
            k = 0
            for q, count in sorted(quota.items()):
                for a in agents[k : k + count]:
                    out.queue[a, t] = q
                    n[q, t] += 1
                k += count
        if tally.r:
            for q in range(len(data.queues)):
                tally.move(q, t, int(held[q]), int(n[q, t]))
    return out


AgentType = tuple[int, tuple[float, ...], int, int]
"""(skill group, proficiencies, queue in t - 1, queue in t + 1): agents alike for interval t."""


def _type_cost(data: ProblemData, key: AgentType, q: int, t: int, sw: int) -> int:
    """Twice the scaled cost of one agent of type ``key`` on ``q`` in ``t``, plus a tie-break."""
    group, profs, before, after = key
    cost = 0
    if sw:
        cost += sw * ((before >= 0 and before != q) + (after >= 0 and after != q))
    if profs:
        skills = data.agents[data.groups[group][0]].skills
        cost -= proficiency.units(data, profs[skills.index(q)], q, t)
    # Costs are doubled (gains too) and a tie between staying on the queue before and moving to
    # the one after is broken by one unit towards staying: otherwise agents swapping queues every
    # interval are a fixed point of the sweep (each switch trades one for the other).
    return 2 * cost + int(sw > 0 and before >= 0 and before != q)


def _solve_interval(
    data: ProblemData,
    n: np.ndarray,
    t: int,
    types: dict[AgentType, list[int]],
    sw: int,
    tally: goal_attainment.DayTally | None = None,
) -> dict[AgentType, dict[int, int]]:
    """Agents of each type per queue in interval ``t`` given the others' head counts ``n``."""
    keys = sorted(types)
    skills = {k: data.agents[types[k][0]].skills for k in keys}
    if all(len(skills[k]) == 1 for k in keys):
        return {k: {skills[k][0]: len(types[k])} for k in keys}
    queues = sorted({q for k in keys for q in skills[k]})
    source, sink = 0, 1
    k_node = {k: 2 + i for i, k in enumerate(keys)}
    q_node = {q: 2 + len(keys) + i for i, q in enumerate(queues)}
    total = sum(len(types[k]) for k in keys)
    tails, heads, caps, costs = [], [], [], []
    for k in keys:
        tails.append(source)
        heads.append(k_node[k])
        caps.append(len(types[k]))
        costs.append(0)
    type_arc: dict[tuple[AgentType, int], int] = {}
    for k in keys:
        for q in skills[k]:
            type_arc[(k, q)] = len(tails)
            tails.append(k_node[k])
            heads.append(q_node[q])
            caps.append(len(types[k]))
            costs.append(_type_cost(data, k, q, t, sw))
    for q in queues:
        k_max = sum(len(types[k]) for k in keys if q in skills[k])
        base = int(n[q, t])
        if data.deferred[q]:
            extra = _deferred_gain(data, n, q, t, k_max)
        elif tally is not None:
            extra = tally.level_gains(q, t, base, k_max)
        else:
            extra = [0] * k_max
        for level in range(k_max):
            tails.append(q_node[q])
            heads.append(sink)
            caps.append(1)
            costs.append(-2 * (data.gain(q, t, base + level) + extra[level]))
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32),
        np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64),
        np.asarray(costs, dtype=np.int64),
    )
    supplies = np.zeros(2 + len(keys) + len(queues), dtype=np.int64)
    supplies[source] = total
    supplies[sink] = -total
    mcf.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"queue allocation flow failed in interval {t}: status {status}")
    return {k: {q: int(mcf.flow(type_arc[(k, q)])) for q in skills[k]} for k in keys}
