"""Rest between shifts and forbidden successions, across the week boundary.

Maths, for agent ``a``, days ``d < e <= d + 2`` (a 16-hour shift can end within the rest period
before a shift two days later) and minimum rest ``R``:

- candidates ``c`` on ``d`` and ``c'`` on ``e`` with ``start(c') < end(c) + R`` exclude each
  other: ``x_c + sum_{c' bad for c} x_{c'} <= 1`` (exact because at most one ``c'`` is worked on
  ``e``); against a fixed shift (the incumbent or the previous roster's tail) the bad candidates
  are simply forbidden;
- a forbidden succession ``(k1, k2)``: ``kind[a, d, k1] + kind[a, d + 1, k2] <= 1``.

Hard; no penalty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term
    from scheduler.roster.problem_data import Candidate, TailShift


def _fixed(rm: RosterModel, a: int, d: int) -> Candidate | TailShift | None:
    if d < 0:
        for t in rm.data.agents[a].tail:
            if t.day == d:
                return t
        return None
    return rm.vars.fixed(a, d)


def _kind(rm: RosterModel, shift: Candidate | TailShift) -> str:
    from scheduler.roster.problem_data import TailShift

    if isinstance(shift, TailShift):
        return shift.kind
    return rm.data.templates[shift.template].kind


def add(rm: RosterModel) -> list[Term]:
    """Add rest and succession rules around the free days."""
    data, v = rm.data, rm.vars
    for a in v.free_agents():
        rest = data.agents[a].contract.min_rest_minutes
        free_days = v.free[a]
        for d in range(-2, data.days):
            for e in (d + 1, d + 2):
                if e >= data.days or (d not in free_days and e not in free_days):
                    continue
                if d in free_days and e in free_days:
                    later = v.candidates(a, e)
                    for c in v.candidates(a, d):
                        bad = [v.x[c2.index] for c2 in later if c2.start < c.end + rest]
                        if bad:
                            rm.require("rest", v.x[c.index] + cp_model.LinearExpr.sum(bad) <= 1)
                elif d in free_days:
                    nxt = _fixed(rm, a, e)
                    if nxt is not None:
                        bad = [v.x[c.index] for c in v.candidates(a, d) if nxt.start < c.end + rest]
                        if bad:
                            rm.require("rest", cp_model.LinearExpr.sum(bad) == 0)
                else:
                    prev = _fixed(rm, a, d)
                    if prev is not None:
                        bad = [
                            v.x[c.index] for c in v.candidates(a, e) if c.start < prev.end + rest
                        ]
                        if bad:
                            rm.require("rest", cp_model.LinearExpr.sum(bad) == 0)
        for k1, k2 in sorted(data.forbidden):
            for d in range(-1, data.days - 1):
                if d not in free_days and d + 1 not in free_days:
                    continue
                if d < 0:
                    prev = _fixed(rm, a, d)
                    tail_kind = None if prev is None else _kind(rm, prev)
                    first: cp_model.LinearExpr | int = int(tail_kind == k1)
                else:
                    first = v.of_kind(a, d, k1)
                rm.require("rest", first + v.of_kind(a, d + 1, k2) <= 1)
    return []
