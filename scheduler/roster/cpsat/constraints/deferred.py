"""Deferred work (email, back office): cumulative capacity against work due by its deadline.

Maths: for deferred queue ``q`` with work ``w[q, t]`` agent-minutes arriving in interval ``t``
and a deadline of ``D`` intervals, ``due[q, t] = sum_{t' <= t - D + 1} w[q, t']`` must be done by
the end of ``t``. Capacity done by then is ``cap[q, t] = I * sum_{t' <= t} n[q, t']`` (``I`` the
interval minutes). The overdue backlog ``late[q, t] >= due[q, t] - cap[q, t]``, ``late >= 0``
costs ``late_cost[q]`` per agent-minute and interval (one item answered late for each interval
it waits, like a missed call at service weight 1). Soft.

In a neighbourhood, ``cap`` is the constant capacity of the fixed agents plus a running sum of
the free head counts from :mod:`.coverage`; ``late`` variables exist only where the fixed part
alone leaves work overdue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.objective import Term

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel


def lateness(due: np.ndarray, counts: np.ndarray, interval: int) -> np.ndarray:
    """``late[t] = max(0, due[t] - interval * cumsum(counts)[t])`` for one queue."""
    cap = interval * np.cumsum(counts[: len(due)])
    return np.maximum(due - cap, 0)


def add(rm: RosterModel) -> list[Term]:
    """Add the backlog terms of deferred queues touched by the free agent-days."""
    cv = rm.flows
    if rm.mode != "full" or cv is None:
        return []
    data, model = rm.data, rm.model
    n_t = data.n_demand
    terms: list[Term] = []
    for q, is_deferred in enumerate(data.deferred):
        if not is_deferred or data.late_cost[q] == 0:
            continue
        touched = sorted(t for (qq, t) in cv.extra if qq == q and t < n_t)
        if not touched:
            continue
        base_late = lateness(data.due[q, :n_t], cv.base[q], data.interval)
        late_vars, coeffs = [], []
        constant = int(base_late[: touched[0]].sum()) * data.late_cost[q]
        running: cp_model.LinearExpr | int = 0
        touched_set = set(touched)
        cum_base = data.interval * np.cumsum(cv.base[q, :n_t])
        for t in range(touched[0], n_t):
            if t in touched_set:
                step = model.new_int_var(0, 10**7, f"done[{data.queues[q]},t{t}]")
                model.add(step == running + cv.extra[(q, t)])
                running = step
            if base_late[t] <= 0:
                continue
            late = model.new_int_var(0, int(base_late[t]), f"late[{data.queues[q]},t{t}]")
            model.add(late >= int(data.due[q, t] - cum_base[t]) - data.interval * running)
            late_vars.append(late)
            coeffs.append(data.late_cost[q])
        expr = cp_model.LinearExpr.weighted_sum(late_vars, coeffs) if late_vars else 0
        terms.append(Term("deferred", expr, constant))
    return terms
