"""Fairness: weekends, nights, late finishes and early starts spread evenly, across weeks.

Maths: for agent ``a`` and each counted kind ``k`` (weekends worked, nights, late finishes, early
starts) with ``L[a, k]`` carried in from the fairness ledger and ``n[a, k]`` this horizon, the
penalty is ``w_fair * ((L + n)^2 - L^2)``. A convex, separable penalty: giving the next weekend to
the agent with fewer weekends so far is always cheaper, so minimising the sum spreads each kind
evenly (the sum of squares is smallest when counts are equal) while staying local to each agent,
which suits the neighbourhood search. ``n`` is modelled with ordered booleans
``z[a,k,j] = [n >= j]`` priced ``2(L + j) - 1``. Soft; weight 0 creates nothing.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.roster.cpsat.objective import Term

if TYPE_CHECKING:
    from scheduler.model import FairnessLedgerEntry
    from scheduler.roster.cpsat.model import RosterModel

KINDS = ("weekends", "nights", "late_finishes", "early_starts")


def carried(entry: FairnessLedgerEntry) -> dict[str, int]:
    """Counts carried in from earlier weeks, by kind."""
    return {
        "weekends": entry.weekends_worked,
        "nights": entry.nights_worked,
        "late_finishes": entry.late_finishes,
        "early_starts": entry.early_starts,
    }


def penalty(counts: dict[str, int], entry: FairnessLedgerEntry, weight: float) -> int:
    """Scaled fairness penalty of one agent's counts this horizon."""
    from scheduler.roster.problem_data import scale

    if weight == 0:
        return 0
    before = carried(entry)
    return sum(scale(weight * ((before[k] + counts[k]) ** 2 - before[k] ** 2)) for k in KINDS)


def add(rm: RosterModel) -> list[Term]:
    """Add the fairness penalty of agents with free days."""
    data, v = rm.data, rm.vars
    weight = data.scenario.rules.objective.fairness
    if weight == 0:
        return []
    from scheduler.roster.problem_data import scale

    weekends = sorted({w for w in data.weekend_of_day if w is not None})
    variables, coeffs = [], []
    constant = 0
    for a in v.free_agents():
        spec = data.agents[a]
        before = carried(spec.ledger)
        days = range(data.days)
        counts: dict[str, list[cp_model.LinearExpr | int]] = {
            "weekends": [v.weekend_worked(a, w) for w in weekends],
            "nights": [v.sum_over(a, d, lambda c: int(c.night)) for d in days],
            "late_finishes": [v.sum_over(a, d, lambda c: int(c.late)) for d in days],
            "early_starts": [v.sum_over(a, d, lambda c: int(c.early)) for d in days],
        }
        for kind, parts in counts.items():
            fixed = sum(p for p in parts if isinstance(p, int))
            moving = [p for p in parts if not isinstance(p, int)]
            base = before[kind] + fixed
            constant += scale(weight * (base**2 - before[kind] ** 2))
            if not moving:
                continue
            levels = [
                rm.model.new_bool_var(f"fair[{spec.id},{kind},>={fixed + j + 1}]")
                for j in range(len(moving))
            ]
            rm.model.add(cp_model.LinearExpr.sum(levels) == cp_model.LinearExpr.sum(moving))
            for z1, z2 in itertools.pairwise(levels):
                rm.model.add_implication(z2, z1)
            for j, z in enumerate(levels):
                variables.append(z)
                coeffs.append(scale(weight * (2 * (base + j + 1) - 1)))
    expr = cp_model.LinearExpr.weighted_sum(variables, coeffs) if variables else 0
    return [Term("fairness", expr, constant)]
