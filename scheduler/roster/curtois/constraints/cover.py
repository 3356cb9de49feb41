"""Soft cover per day and shift type.

For each cover line ``(d, s, req, wu, wo)`` with ``n = background[d,s] + sum_e x[e,d,s]`` (the
background being the employees outside a neighbourhood)::

    n - req = over[d,s] - under[d,s],   under, over >= 0
    penalty = wu * under[d,s] + wo * over[d,s]

Minimisation never keeps both slacks positive, so the penalty equals
``wu * max(0, req - n) + wo * max(0, n - req)``. The equality (rather than two inequalities)
gives the LP relaxation the whole cover structure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.roster.curtois.model import CurtoisModel


def add(model: CurtoisModel) -> None:
    """Add slacks and penalties for every cover line."""
    for line in model.instance.cover:
        lits = [model.shift(e, line.day, line.shift) for e in model.employees]
        fixed = sum(1 for lit in lits if lit is True)
        free = [lit for lit in lits if not isinstance(lit, bool)]
        base = model.background.get((line.day, line.shift), 0) + fixed
        if not free:
            model.add_penalty("cover_under", line.weight_under, max(0, line.requirement - base))
            model.add_penalty("cover_over", line.weight_over, max(0, base - line.requirement))
            continue
        name = f"d{line.day}_{line.shift}"
        under = model.cp.new_int_var(0, max(0, line.requirement - base), f"under_{name}")
        over = model.cp.new_int_var(0, max(0, base + len(free) - line.requirement), f"over_{name}")
        model.cp.add(base + sum(free) - line.requirement == over - under)
        model.add_penalty("cover_under", line.weight_under, under)
        model.add_penalty("cover_over", line.weight_over, over)
