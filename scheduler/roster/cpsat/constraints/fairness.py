"""Fairness: weekends, nights, late finishes and early starts spread evenly, across weeks.

Maths: for agent ``a`` and each counted kind ``k`` (weekends worked, nights, late finishes, early
starts) with ``L[a, k]`` carried in from the fairness ledger and ``n[a, k]`` this horizon, the
penalty is ``w_fair * ((L + n)^2 - L^2)``. A convex, separable penalty: giving the next weekend to
the agent with fewer weekends so far is always cheaper, so minimising the sum spreads each kind
evenly (the sum of squares is smallest when counts are equal) while staying local to each agent,
which suits the neighbourhood search. ``n`` is modelled with ordered booleans
``z[a,k,j] = [n >= j]`` priced ``2(L + j) - 1``. Soft; weight 0 creates nothing.

Spread (weight ``w_spread`` = ``rules.objective.fairness_spread``): among agents of one contract
(comparable agents), for each kind ``k`` the penalty is ``w_spread * (max_a T[a, k] - min_a
T[a, k])`` with ``T = L + n`` the totals including the ledger -- the figure a planner shows an
agent who asks "why me again?". In a sub-model the agents left fixed give constants ``c_max,
c_min``; ``U >= c_max``, ``U >= T[a, k]`` and ``V <= c_min``, ``V <= T[a, k]`` over the free
agents, priced ``w_spread (U - V)``. The range alone is flat for every agent but the extreme
ones, so the convex term above gives the search its gradient. The LP bound leaves the spread out
(never negative). Weight 0 creates nothing.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.roster.cpsat.objective import Term

if TYPE_CHECKING:
    from scheduler.model import FairnessLedgerEntry
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.problem_data import ProblemData

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


def spread_penalty(data: ProblemData, totals: dict[int, dict[str, int]]) -> int:
    """Scaled spread penalty of the totals ``T[a][kind]`` (ledger included) of every agent."""
    from scheduler.roster.problem_data import scale

    weight = data.scenario.rules.objective.fairness_spread
    if weight == 0:
        return 0
    out = 0
    for members in comparable(data):
        for kind in KINDS:
            values = [totals[a][kind] for a in members]
            out += scale(weight * (max(values) - min(values)))
    return out


def comparable(data: ProblemData) -> list[list[int]]:
    """Agents of one contract, for every contract with at least two agents."""
    by_contract: dict[str, list[int]] = {}
    for spec in data.agents:
        by_contract.setdefault(spec.contract.id, []).append(spec.index)
    return [members for members in by_contract.values() if len(members) > 1]


def add(rm: RosterModel) -> list[Term]:
    """Add the fairness penalties (convex per agent, spread per contract) of free agents."""
    return _convex(rm) + _spread(rm)


def _spread(rm: RosterModel) -> list[Term]:
    data, v = rm.data, rm.vars
    weight = data.scenario.rules.objective.fairness_spread
    if weight == 0 or not v.free:
        return []
    from scheduler.roster.evaluate import fairness_counts
    from scheduler.roster.problem_data import scale

    weekends = sorted({w for w in data.weekend_of_day if w is not None})
    days = range(data.days)
    cost = scale(weight)
    variables: list[cp_model.IntVar] = []
    coeffs: list[int] = []
    for members in comparable(data):
        free = [a for a in members if a in v.free]
        fixed = [a for a in members if a not in v.free]
        # Counted once per agent, not once per kind: this runs for every model built.
        fixed_counts = [
            (carried(data.agents[a].ledger), fairness_counts(data, rm.plan, a)) for a in fixed
        ]
        for kind in KINDS:
            fixed_totals = [before[kind] + now[kind] for before, now in fixed_counts]
            exprs = []
            for a in free:
                before = carried(data.agents[a].ledger)[kind]
                if kind == "weekends":
                    parts = [v.weekend_worked(a, w) for w in weekends]
                else:
                    flag = {"nights": "night", "late_finishes": "late", "early_starts": "early"}[
                        kind
                    ]
                    parts = [v.sum_over(a, d, lambda c, f=flag: int(getattr(c, f))) for d in days]
                exprs.append(before + cp_model.LinearExpr.sum(parts))
            if not exprs:
                continue
            # Totals never exceed the ledger plus one per day of the horizon.
            hi = max(carried(data.agents[a].ledger)[kind] for a in members) + data.days
            name = f"{data.agents[members[0]].contract.id},{kind}"
            upper = rm.model.new_int_var(0, hi, f"fair_max[{name}]")
            lower = rm.model.new_int_var(0, hi, f"fair_min[{name}]")
            if fixed_totals:
                rm.model.add(upper >= max(fixed_totals))
                rm.model.add(lower <= min(fixed_totals))
            for e in exprs:
                rm.model.add(upper >= e)
                rm.model.add(lower <= e)
            variables.extend([upper, lower])
            coeffs.extend([cost, -cost])
    if not variables:
        return []
    return [Term("fairness_spread", cp_model.LinearExpr.weighted_sum(variables, coeffs))]


def _convex(rm: RosterModel) -> list[Term]:
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
