"""Exact queue allocation for fixed on-duty agents, one interval at a time (min-cost flow).

With shifts and breaks fixed, which queue each working agent serves in interval ``t`` is a
transportation problem: skill groups (supply = their working agents) send agents to queues they
are skilled for, and queue ``q`` values its ``k``-th agent at ``gain(q, t, k)``, non-increasing in
``k``. Parallel unit arcs priced ``-gain`` make the min-cost flow exact for this concave value.

For deferred queues the marginal value of the ``k``-th agent in ``t`` is also exact given the other
intervals: the lateness it saves over ``t' >= t`` under the exact FIFO backlog of
:func:`scheduler.roster.cpsat.constraints.deferred.lateness`. Sweeping the intervals in time
order is a coordinate descent that never makes the objective worse.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.roster.cpsat.constraints import deferred
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
    ts = range(data.n_intervals) if intervals is None else sorted(intervals)
    for t in ts:
        working = np.flatnonzero(out.queue[:, t] >= 0)
        if len(working) == 0:
            continue
        by_group: dict[int, list[int]] = defaultdict(list)
        for w in working:
            by_group[data.agents[w].group].append(int(w))
            n[int(out.queue[w, t]), t] -= 1
        flows = _solve_interval(data, n, t, by_group)
        for g, agents in by_group.items():
            quota = dict(flows[g])
            # Keep agents on the queue they served the interval before, where the quota allows.
            order = sorted(agents, key=lambda a: (int(out.queue[a, t - 1]) < 0) if t else 0)
            pending = []
            for a in order:
                prev = int(out.queue[a, t - 1]) if t else OFF
                if quota.get(prev, 0) > 0:
                    out.queue[a, t] = prev
                    quota[prev] -= 1
                else:
                    pending.append(a)
            for a in pending:
                q = next(q for q, left in sorted(quota.items()) if left > 0)
                out.queue[a, t] = q
                quota[q] -= 1
            for a in agents:
                n[int(out.queue[a, t]), t] += 1
    return out


def _solve_interval(
    data: ProblemData, n: np.ndarray, t: int, by_group: dict[int, list[int]]
) -> dict[int, dict[int, int]]:
    """Flows group -> queue in interval ``t`` given the other agents' head counts ``n``."""
    groups = sorted(by_group)
    skills = {g: data.agents[by_group[g][0]].skills for g in groups}
    if all(len(skills[g]) == 1 for g in groups):
        return {g: {skills[g][0]: len(by_group[g])} for g in groups}
    queues = sorted({q for g in groups for q in skills[g]})
    source, sink = 0, 1
    g_node = {g: 2 + i for i, g in enumerate(groups)}
    q_node = {q: 2 + len(groups) + i for i, q in enumerate(queues)}
    total = sum(len(by_group[g]) for g in groups)
    tails, heads, caps, costs = [], [], [], []
    for g in groups:
        tails.append(source)
        heads.append(g_node[g])
        caps.append(len(by_group[g]))
        costs.append(0)
    group_arc: dict[tuple[int, int], int] = {}
    for g in groups:
        for q in skills[g]:
            group_arc[(g, q)] = len(tails)
            tails.append(g_node[g])
            heads.append(q_node[q])
            caps.append(len(by_group[g]))
            costs.append(0)
    for q in queues:
        k_max = sum(len(by_group[g]) for g in groups if q in skills[g])
        base = int(n[q, t])
        extra = _deferred_gain(data, n, q, t, k_max) if data.deferred[q] else [0] * k_max
        for k in range(k_max):
            tails.append(q_node[q])
            heads.append(sink)
            caps.append(1)
            costs.append(-(data.gain(q, t, base + k) + extra[k]))
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32),
        np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64),
        np.asarray(costs, dtype=np.int64),
    )
    supplies = np.zeros(2 + len(groups) + len(queues), dtype=np.int64)
    supplies[source] = total
    supplies[sink] = -total
    mcf.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"queue allocation flow failed in interval {t}: status {status}")
    return {g: {q: int(mcf.flow(group_arc[(g, q)])) for q in skills[g]} for g in groups}
