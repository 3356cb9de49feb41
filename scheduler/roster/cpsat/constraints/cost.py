"""Pay: the cost of paid hours.

Maths: ``cost(c) = w_cost * cost_per_hour(a) * paid_minutes(c) / 60`` scaled, added to the
objective for every chosen candidate ``c`` of agent ``a``. With ``w_cost = 0`` (the default) the
term is zero and creates nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.model import Agent

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term


def shift_cost(agent: Agent, paid_minutes: int, weight: float) -> int:
    """Scaled pay cost of one shift."""
    from scheduler.roster.problem_data import scale

    if weight == 0 or agent.cost_per_hour == 0:
        return 0
    return scale(weight * agent.cost_per_hour * paid_minutes / 60.0)


def add(rm: RosterModel) -> list[Term]:
    """Pay of the free agent-days' shifts."""
    return _candidate_terms(rm, "cost", lambda c: c.pay_cost)


def _candidate_terms(rm: RosterModel, family: str, part: object) -> list[Term]:
    """Sum of a per-candidate cost part over free and fixed agent-days of free agents."""
    from ortools.sat.python import cp_model

    from scheduler.roster.cpsat.objective import Term

    fn = part
    variables, coeffs = [], []
    constant = 0
    for a in rm.vars.free_agents():
        for d in range(rm.data.days):
            value = rm.vars.sum_over(a, d, fn)
            if isinstance(value, int):
                constant += value
            else:
                for c in rm.vars.candidates(a, d):
                    w = int(fn(c))  # type: ignore[operator]
                    if w:
                        variables.append(rm.vars.x[c.index])
                        coeffs.append(w)
    if not variables and not constant:
        return []
    expr = cp_model.LinearExpr.weighted_sum(variables, coeffs) if variables else 0
    return [Term(family, expr, constant)]
