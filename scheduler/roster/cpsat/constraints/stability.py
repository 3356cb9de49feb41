"""Stability: changes against a previously published roster.

Maths: for agent ``a`` and day ``d`` with published shift ``p`` (or none) and new shift ``c`` (or
none) the penalty is ``w_stab * (changed + moved / 60)`` where ``changed = 1`` if exactly one of
``p, c`` exists or their templates differ, and ``moved = |start(p) - start(c)| + |end(p) -
end(c)|`` minutes when both exist. So keeping an agent's day costs nothing, shifting it by an hour
costs one unit per hour moved, and cancelling or adding a day costs one unit. The term is linear
in the shift choice and folded into candidate costs (and the cost of a day off); weight 0 or no
previous roster creates nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term

Published = tuple[int, int, str]
"""A published shift as (start, end, template) in horizon minutes."""


def change(before: Published | None, after: Published | None) -> tuple[bool, int]:
    """(whether the agent-day changed, minutes its start and end moved)."""
    if before is None and after is None:
        return False, 0
    if before is None or after is None:
        return True, 0
    moved = abs(before[0] - after[0]) + abs(before[1] - after[1])
    return (moved > 0 or before[2] != after[2]), moved


def change_cost(before: Published | None, after: Published | None, weight: float) -> int:
    """Scaled stability penalty of giving ``after`` where ``before`` was published."""
    from scheduler.roster.problem_data import scale

    if weight == 0 or (before is None and after is None):
        return 0
    changed, moved = change(before, after)
    return scale(weight * (1 + moved / 60.0)) if changed else 0


def add(rm: RosterModel) -> list[Term]:
    """Stability penalties: changed shifts and, for published working days, days off."""
    from ortools.sat.python import cp_model

    from scheduler.roster.cpsat.constraints.cost import _candidate_terms
    from scheduler.roster.cpsat.objective import Term

    terms = _candidate_terms(rm, "stability", lambda c: c.stability_cost)
    # A day off where a shift was published costs off_cost[d] * (1 - works[a, d]).
    constant = 0
    variables, coeffs = [], []
    for a in rm.vars.free_agents():
        spec = rm.data.agents[a]
        for d in range(rm.data.days):
            if not spec.off_cost[d]:
                continue
            works = rm.vars.works(a, d)
            constant += spec.off_cost[d]
            if isinstance(works, int):
                constant -= spec.off_cost[d] * works
            else:
                for c in rm.vars.candidates(a, d):
                    variables.append(rm.vars.x[c.index])
                    coeffs.append(-spec.off_cost[d])
    if variables or constant:
        expr = cp_model.LinearExpr.weighted_sum(variables, coeffs) if variables else 0
        terms.append(Term("stability", expr, constant))
    return terms
