"""Assignment: at most one shift per agent and day.

Maths: for every free agent-day ``(a, d)``: ``sum_{c in C(a, d)} x_c <= 1`` where ``C(a, d)``
are the day's candidate shifts (see :mod:`.availability` for which exist). Hard; no penalty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term


def add(rm: RosterModel) -> list[Term]:
    """Add the at-most-one-shift constraints of the free agent-days."""
    for a, days in rm.vars.free.items():
        for d in days:
            xs = [rm.vars.x[c] for c in rm.vars.day_candidates(a, d)]
            if len(xs) > 1:
                rm.model.add_at_most_one(xs)
    return []
