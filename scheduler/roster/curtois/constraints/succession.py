"""Forbidden successions: shift ``t`` may not be worked the day after shift ``s`` if banned.

For every employee ``e``, day ``d < H-1`` and pair ``(s, t)`` with ``t in CannotFollow(s)``::

    x[e,d,s] + x[e,d+1,t] <= 1

written as the clause ``not x[e,d,s] or not x[e,d+1,t]``. There is no wrap past the horizon
and no history before day 0.
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
                for t in inst.shift(s).cannot_follow:
                    if t in tomorrow:
                        model.add_clause((), negated=(today, tomorrow[t]))
