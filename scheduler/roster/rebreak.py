"""Re-place breaks with shifts fixed: each break where it costs the least coverage.

For one agent-day at a time the agent is taken off its whole shift, then each break rule (in
template order) is put at the start ``s`` inside its window, clear of the breaks already placed,
that minimises ``sum_{t in [s, s + span)} M[t]`` with ``M[t] = max_q gain(q, t, n[q, t])`` the
value of this agent's work in ``t`` given everybody else; the agent then goes back on its best
queue in every other interval. Queues are re-balanced exactly afterwards by
:func:`scheduler.roster.allocate.allocate`.
"""

from __future__ import annotations

import numpy as np

from scheduler.roster.break_placement import least_cost_breaks
from scheduler.roster.construct import marginal
from scheduler.roster.plan import OFF, Plan


def replace_breaks(plan: Plan) -> Plan:
    """A copy of ``plan`` with every break re-placed greedily (shifts unchanged)."""
    data = plan.data
    out = plan.copy()
    n = out.coverage()
    for a, d in sorted(out.breaks):
        cand = out.candidate(a, d)
        specs = data.templates[cand.template].breaks if cand is not None else ()
        if cand is None or not specs:
            continue
        for t in range(cand.first, cand.last):
            q = int(out.queue[a, t])
            if q >= 0:
                n[q, t] -= 1
            out.queue[a, t] = OFF
        m = marginal(data, n, data.agents[a].skills, data.agents[a].proficiency)
        placed = least_cost_breaks(
            data, cand.template, cand.first, np.concatenate([[0], np.cumsum(m)])
        )
        # Windows crowded by earlier breaks: keep the previous placement.
        starts = out.breaks[(a, d)] if placed is None else placed[0]
        out.breaks[(a, d)] = tuple(starts)
        if not data.agents[a].skills:
            continue  # works shift cover only: no queue to put the intervals on
        for t in out.working(a, d):
            best_q = max(data.agents[a].skills, key=lambda q: data.gain(q, t, int(n[q, t])))
            out.queue[a, t] = best_q
            n[best_q, t] += 1
    return out
