"""The objective: the one place that minimises.

Every rule family returns :class:`Term` objects (a family name and a scaled linear expression,
lower is better); :func:`minimise` adds their sum as the model's objective. Service enters as the
negative of the value it buys, so the objective of a roster is ``-(coverage gain) + deferred
lateness + pay + preferences + stability + fairness`` in scaled units
(:func:`scheduler.roster.problem_data.scale`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Term:
    """A penalty term of one family: ``expr`` (scaled units) plus a constant offset."""

    family: str
    expr: cp_model.LinearExprT
    constant: int = 0


def objective_expression(terms: list[Term]) -> cp_model.LinearExprT:
    """``sum(terms)``, constants included."""
    exprs = [t.expr for t in terms if not isinstance(t.expr, int)]
    constant = sum(t.constant + (t.expr if isinstance(t.expr, int) else 0) for t in terms)
    return cp_model.LinearExpr.sum(exprs) + constant


def minimise(model: cp_model.CpModel, terms: list[Term]) -> None:
    """Set ``sum(terms)`` as the objective to minimise."""
    model.minimize(objective_expression(terms))


def term_values(solver: cp_model.CpSolver, terms: list[Term]) -> dict[str, int]:
    """Scaled value of each family's terms in the solver's solution."""
    out: dict[str, int] = defaultdict(int)
    for t in terms:
        value = t.expr if isinstance(t.expr, int) else int(solver.value(t.expr))
        out[t.family] += value + t.constant
    return dict(out)
