"""Deferred work (email, back office): cumulative capacity against work due by its deadline.

Maths: for deferred queue ``q`` with work ``w[q, t]`` agent-minutes arriving in interval ``t``
and a due interval ``e(t')`` for the work arriving in ``t'`` (deadline counted in business hours
where the requirements give ``due_by``), ``due[q, t] = sum_{t': e(t') <= t} w[q, t']`` must be done
by the end of ``t``. With ``A[t] = sum_{t' <= t} w[t']`` the work arrived and
``K[t] = I * sum_{t' <= t} n[q, t']`` the capacity offered by the end of ``t`` (``I`` the
interval minutes), the work done is the FIFO backlog's (Lindley's recursion, capacity before
work arrives is wasted)::

    done[t] = K[t] + min(0, min_{u <= t} (A[u] - K[u]))

so the overdue backlog is ``late[t] = max(0, due[t] - done[t])``, i.e. for every ``u < t``
``late[t] >= due[t] - A[u] - (K[t] - K[u])`` and ``late[t] >= due[t] - K[t]`` (``u = -1``).
It costs ``late_cost[q]`` per agent-minute and interval (one item answered late for each interval
it waits, like a missed call at service weight 1). Soft. The model keeps the cuts for the
``u`` within :data:`CUT_WINDOW` intervals of ``t`` (plus ``u = -1``), where a backlog can form
between two quiet spells; :func:`lateness`, used to evaluate every roster, is exact.

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


CUT_WINDOW = 96
"""How many earlier intervals ``u`` get a wasted-capacity cut in the model: two days at 30 min,
enough for work that waits over a weekend closure (the exact :func:`lateness` judges anyway)."""


def lateness(due: np.ndarray, arrived: np.ndarray, counts: np.ndarray, interval: int) -> np.ndarray:
    """Overdue work per interval for one queue, exact for a FIFO backlog.

    Parameters
    ----------
    due, arrived
        Cumulative agent-minutes due and arrived by the end of each interval.
    counts
        Agents on the queue per interval (the last axis; leading axes are alternatives).
    interval
        Interval minutes.

    Returns
    -------
    numpy.ndarray
        ``max(0, due - done)`` with ``done`` as in the module docstring.
    """
    n_t = due.shape[-1]
    cap = interval * np.cumsum(counts[..., :n_t], axis=-1)
    slack = np.minimum.accumulate(np.minimum(arrived - cap, 0), axis=-1)
    return np.maximum(due - (cap + slack), 0)


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
        due, arrived = data.due[q, :n_t], data.arrived[q, :n_t]
        base_late = lateness(due, arrived, cv.base[q], data.interval)
        late_vars, coeffs = [], []
        constant = int(base_late[: touched[0]].sum()) * data.late_cost[q]
        running: cp_model.LinearExpr | int = 0
        touched_set = set(touched)
        cum_base = data.interval * np.cumsum(cv.base[q, :n_t])
        # running_at[t]: free agent-intervals on q up to t (0 before the first touched one).
        running_at: dict[int, cp_model.LinearExpr | int] = {}
        for t in range(touched[0], n_t):
            if t in touched_set:
                step = model.new_int_var(0, 10**7, f"done[{data.queues[q]},t{t}]")
                model.add(step == running + cv.extra[(q, t)])
                running = step
            running_at[t] = running
            if base_late[t] <= 0:
                continue
            late = model.new_int_var(0, int(base_late[t]), f"late[{data.queues[q]},t{t}]")
            model.add(late >= int(due[t] - cum_base[t]) - data.interval * running)
            for u in range(max(0, t - CUT_WINDOW), t):
                # Capacity before u that found no work is lost; only binding cuts are added.
                constant = int(due[t] - arrived[u] - (cum_base[t] - cum_base[u]))
                if constant <= 0:
                    continue
                at_u = running_at.get(u, 0)
                model.add(late >= constant - data.interval * (running - at_u))
            late_vars.append(late)
            coeffs.append(data.late_cost[q])
        expr = cp_model.LinearExpr.weighted_sum(late_vars, coeffs) if late_vars else 0
        terms.append(Term("deferred", expr, constant))
    return terms
