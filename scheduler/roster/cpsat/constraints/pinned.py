"""Pinned assignments: shifts the planner fixed by hand.

Maths: an agent-day ``(a, d)`` pinned to template ``p`` from clock ``s`` (and length ``l`` if
given) keeps only the candidates that match (:func:`matches`, applied when the candidates are
built), and must work: ``sum_{c in C(a, d)} x_c = 1``. A pin that no candidate matches (the
contract does not allow the template, the start is off the template's grid, time off, outside
availability or opening hours) is an input error naming the pin, raised by
:func:`scheduler.roster.problem_data.build_problem`. Hard; no penalty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.model.agent import PinnedShift

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term


def matches(pin: PinnedShift, template: str, start_clock: int, length: int) -> bool:
    """Whether a (template, start, length) shift is the pinned one."""
    return (
        pin.template == template
        and pin.start == start_clock
        and (pin.length_minutes is None or pin.length_minutes == length)
    )


def add(rm: RosterModel) -> list[Term]:
    """Pinned free agent-days must work (their candidates are the pinned shift only)."""
    for a, days in rm.vars.free.items():
        for d in sorted(days & rm.data.agents[a].pinned_days):
            xs = [rm.vars.x[c] for c in rm.vars.day_candidates(a, d)]
            rm.require("pinned", cp_model.LinearExpr.sum(xs) == 1)
    return []
