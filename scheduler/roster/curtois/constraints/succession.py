"""Forbidden successions: shift ``t`` may not be worked the day after shift ``s`` if banned.

For every employee ``e``, day ``d < H-1`` and shift ``s`` with banned followers
``B(s) = CannotFollow(s)``::

    x[e,d,s] + sum_{t in B(s)} x[e,d+1,t] <= 1

Because at most one shift is worked on ``d+1``, this single at-most-one is equivalent to the
pairwise ``x[e,d,s] + x[e,d+1,t] <= 1`` for each ``t``, but it is one constraint instead of
``|B(s)|`` and is a clique the LP and the SAT core both use directly. There is no wrap past the
horizon and no history before day 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.roster.curtois.model import CurtoisModel


def add(model: CurtoisModel) -> None:
    """Forbid every banned succession for the model's employees."""
    inst = model.instance
    for e in model.employees:
        for d in range(inst.horizon - 1):
            tomorrow = dict(model.day_shifts(e, d + 1))
            if not tomorrow:
                continue
            for s, today in model.day_shifts(e, d):
                banned = [tomorrow[t] for t in inst.shift(s).cannot_follow if t in tomorrow]
                if not banned:
                    continue
                if len(banned) == 1:
                    model.add_clause((), negated=(today, banned[0]))
                    continue
                lits = [today, *banned]
                fixed_true = sum(1 for lit in lits if lit is True)
                free = [lit for lit in lits if not isinstance(lit, bool)]
                if fixed_true > 1 or (fixed_true == 1 and not free):
                    if fixed_true > 1:
                        model.add_clause(())
                    continue
                if fixed_true == 1:
                    for lit in free:
                        model.cp.add(lit == 0)
                elif len(free) > 1:
                    model.cp.add_at_most_one(free)
