"""Rest between shifts and forbidden successions, across the week boundary.

Maths, for agent ``a``, days ``d < e <= d + 2`` (a 16-hour shift can end within the rest period
before a shift two days later) and minimum rest ``R``:

- candidates ``c`` on ``d`` and ``c'`` on ``e`` with ``start(c') < end(c) + R`` exclude each
  other: ``x_c + sum_{c' bad for c} x_{c'} <= 1`` (exact because at most one ``c'`` is worked on
  ``e``); against a fixed shift (the incumbent or the previous roster's tail) the bad candidates
  are simply forbidden;
- forbidden successions ``(k1, k2)`` for ``k2`` in ``F(k1)``:
  ``sum_{k1 in G} kind[a, d, k1] + sum_{k2 in F} kind[a, d + 1, k2] <= 1`` for each group
  ``G`` of first kinds sharing the banned set ``F`` (exact for the same reason: at most one
  shift a day), with ``sum_{k2 in F} kind[a, d + 1, k2] = works[a, d + 1] - sum_{k2 not in F}
  kind[a, d + 1, k2]`` when that is shorter. One row per group and day, not one per forbidden
  pair: the Curtois instances forbid up to 500 pairs, which per pair made 180k rows for one
  agent's 364-day model and most of its build and presolve time.

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


def _followers(forbidden: frozenset[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """First kind -> the kinds that may not follow it on the next day."""
    out: dict[str, list[str]] = {}
    for k1, k2 in sorted(forbidden):
        out.setdefault(k1, []).append(k2)
    return {k1: tuple(ks) for k1, ks in out.items()}


def _by_kind(rm: RosterModel, a: int, d: int) -> dict[str, list[cp_model.IntVar]]:
    """Shift variables of free agent-day ``(a, d)`` grouped by template kind."""
    out: dict[str, list[cp_model.IntVar]] = {}
    for c in rm.vars.candidates(a, d):
        out.setdefault(rm.data.templates[c.template].kind, []).append(rm.vars.x[c.index])
    return out


def _add_successions(rm: RosterModel, a: int, followers: dict[str, tuple[str, ...]]) -> None:
    """Forbidden successions of agent ``a`` into and out of its free days.

    First kinds with the same banned followers share a row (at most one of them is worked on
    a day), and the followers are summed as ``works - allowed`` when fewer kinds are allowed
    than banned (night shifts forbid almost everything after them).
    """
    if not followers:
        return
    v = rm.vars
    free_days = v.free[a]
    today: dict[str, list[cp_model.IntVar]] | None = None
    for d in range(-1, rm.data.days - 1):
        tomorrow = _by_kind(rm, a, d + 1) if d + 1 in free_days else None
        if d in free_days or d + 1 in free_days:
            groups: dict[tuple[str, ...], list[cp_model.IntVar]] = {}
            if d in free_days:
                assert today is not None
                for k1, xs in today.items():
                    if followers.get(k1):
                        groups.setdefault(followers[k1], []).extend(xs)
                for banned, xs in groups.items():
                    later = _followed_by(rm, a, d + 1, tomorrow, banned)
                    if not isinstance(later, int) or later:
                        rm.require("rest", cp_model.LinearExpr.sum(xs) + later <= 1)
            else:
                prev = _fixed(rm, a, d)
                banned = () if prev is None else followers.get(_kind(rm, prev), ())
                if banned:
                    rm.require("rest", _followed_by(rm, a, d + 1, tomorrow, banned) == 0)
        today = tomorrow


def _followed_by(
    rm: RosterModel,
    a: int,
    e: int,
    shifts: dict[str, list[cp_model.IntVar]] | None,
    banned: tuple[str, ...],
) -> cp_model.LinearExpr | int:
    """1 if agent ``a`` works a shift of a ``banned`` kind on day ``e`` (free day: ``shifts``
    are its variables by kind; fixed day: a constant)."""
    if shifts is None:
        nxt = _fixed(rm, a, e)
        return int(nxt is not None and _kind(rm, nxt) in banned)
    bad = [x for k in banned for x in shifts.get(k, ())]
    good = [x for k, xs in shifts.items() if k not in banned for x in xs]
    if not bad:
        return 0
    if len(good) + 1 < len(bad):
        works = rm.vars.works(a, e)
        if isinstance(works, cp_model.IntVar):  # a day boolean (see Variables.works)
            return works - cp_model.LinearExpr.sum(good)
    return cp_model.LinearExpr.sum(bad)


def add(rm: RosterModel) -> list[Term]:
    """Add rest and succession rules around the free days."""
    data, v = rm.data, rm.vars
    followers = _followers(data.forbidden)
    for a in v.free_agents():
        rest = data.agents[a].contract.min_rest_minutes
        free_days = v.free[a]
        for d in range(-2, data.days):
            for e in (d + 1, d + 2):
                if e >= data.days or (d not in free_days and e not in free_days):
                    continue
                if d in free_days and e in free_days:
                    later, today = v.candidates(a, e), v.candidates(a, d)
                    if not later or not today:
                        continue
                    if min(c.start for c in later) >= max(c.end for c in today) + rest:
                        continue  # no shift of day d ends late enough to clash with day e
                    for c in today:
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
        _add_successions(rm, a, followers)
    return []
