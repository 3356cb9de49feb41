"""Preferences: days off, weekdays off, start windows, shift kinds and dated shift requests.

Maths: for a chosen candidate ``c`` of agent ``a`` on date ``d`` with clock start ``s``, template
``p`` and kind ``k`` the penalty is

    w_pref * (weight(a) * (miss_day + miss_start + miss_kind) + sum_{r in R(a, d)} w_r miss_r(c))

where

- ``miss_day = 1`` if ``d`` is in ``days_off`` or its weekday in ``weekdays_off``;
- ``miss_start = 1`` if a ``start_window`` is given and ``s`` is outside it;
- ``miss_kind = 1`` if preferred ``shift_kinds`` are given and ``k`` is not one of them;
- ``R(a, d)`` are the agent's dated ``requests`` on ``d`` with weight ``w_r > 0``;
  ``miss_r(c) = 1`` when ``c`` breaks the request: an ``on`` request whose shift ``c`` is not
  (another kind or template), an ``off`` request whose shift ``c`` is.

A day off costs ``w_pref * sum_{r in R(a, d), r on} w_r`` (every ``on`` request of the day is
missed). Each unit is worth as much as one contact answered in target at weight 1; requests
carry their own weights (the agent's ``weight`` scales only the other wishes).

The term is linear in the shift choice: the shift part is folded into each candidate's cost and
the day-off part into the agent-day's ``off_preference_cost``, paid as
``off_preference_cost[a, d] * (1 - works[a, d])``. Weight 0 (of the term, the agent or a request)
creates nothing. :func:`asked_and_granted` reports the same wishes per agent for the fairness
table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from scheduler.model import WEEKDAYS, Agent
from scheduler.model.agent import ShiftRequest

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term

RequestsByDate = Mapping[dt.date, Sequence[ShiftRequest]]
"""An agent's requests that cost something, by date (see :func:`requests_by_date`)."""


def misses(agent: Agent, date: dt.date, start_clock: int, kind: str) -> int:
    """How many of the agent's undated wishes a shift on ``date`` at ``start_clock`` breaks."""
    prefs = agent.preferences
    count = 0
    if date in prefs.days_off or WEEKDAYS[date.weekday()] in prefs.weekdays_off:
        count += 1
    window = prefs.start_window
    if window is not None and not window.start <= start_clock < window.end:
        count += 1
    if prefs.shift_kinds and kind not in prefs.shift_kinds:
        count += 1
    return count


def has_undated_wishes(agent: Agent) -> bool:
    """Whether any of the agent's undated wishes (days off, start window, kinds) is set."""
    prefs = agent.preferences
    return bool(
        prefs.days_off or prefs.weekdays_off or prefs.start_window is not None or prefs.shift_kinds
    )


def requests_by_date(agent: Agent) -> dict[dt.date, list[ShiftRequest]]:
    """The agent's requests with a positive weight, grouped by date (weight 0: left out)."""
    out: dict[dt.date, list[ShiftRequest]] = {}
    for request in agent.preferences.requests:
        if request.weight > 0:
            out.setdefault(request.date, []).append(request)
    return out


def requests_missed(requests: Sequence[ShiftRequest], worked: tuple[str, str] | None) -> float:
    """Weight of ``requests`` (of one date) not honoured by ``worked`` = (template, kind) or off."""
    return sum(r.weight for r in requests if not r.honoured(worked))


def shift_cost(
    agent: Agent,
    date: dt.date,
    start_clock: int,
    template: str,
    kind: str,
    weight: float,
    requests: Sequence[ShiftRequest] = (),
) -> int:
    """Scaled preference penalty of one shift.

    ``requests`` are the agent's costed requests on ``date`` (from :func:`requests_by_date`).
    """
    from scheduler.roster.problem_data import scale

    if weight == 0:
        return 0
    units = float(agent.preferences.weight * misses(agent, date, start_clock, kind))
    if requests:
        units += requests_missed(requests, (template, kind))
    return scale(weight * units) if units else 0


def off_cost(requests: Sequence[ShiftRequest], weight: float) -> int:
    """Scaled preference penalty of a day off: the ``on`` requests of the day it misses."""
    from scheduler.roster.problem_data import scale

    if weight == 0:
        return 0
    return scale(weight * requests_missed(requests, None))


def asked_and_granted(
    agent: Agent,
    shifts: Sequence[tuple[dt.date, int, str] | tuple[dt.date, int, str, str]],
    dates: list[dt.date],
) -> tuple[int, int]:
    """(wishes asked, wishes granted) over the horizon ``dates``.

    ``shifts`` are the agent's worked shifts as ``(date, start, kind)`` or ``(date, start, kind,
    template)``. A dated request with a positive weight on a horizon date is one wish; a request
    naming a template is judged by the template, which needs the four-element form (without it
    the shift's kind stands in for its template id).
    """
    prefs = agent.preferences
    worked: dict[dt.date, tuple[int, str, str]] = {}
    for shift in shifts:
        template = shift[3] if len(shift) == 4 else shift[2]
        worked[shift[0]] = (shift[1], shift[2], template)
    asked = granted = 0
    for date in dates:
        if date in prefs.days_off or WEEKDAYS[date.weekday()] in prefs.weekdays_off:
            asked += 1
            granted += date not in worked
    for start, kind, _ in worked.values():
        if prefs.start_window is not None:
            asked += 1
            granted += prefs.start_window.start <= start < prefs.start_window.end
        if prefs.shift_kinds:
            asked += 1
            granted += kind in prefs.shift_kinds
    horizon = set(dates)
    for date, requests in requests_by_date(agent).items():
        if date not in horizon:
            continue
        day = worked.get(date)
        done = None if day is None else (day[2], day[1])
        for request in requests:
            asked += 1
            granted += request.honoured(done)
    return asked, granted


def add(rm: RosterModel) -> list[Term]:
    """Preference penalties of the free agents' shifts and of their days off."""
    from ortools.sat.python import cp_model

    from scheduler.roster.cpsat.constraints.cost import _candidate_terms
    from scheduler.roster.cpsat.objective import Term

    terms = _candidate_terms(rm, "preferences", lambda c: c.preference_cost)
    # A day off missing "on" requests costs off_preference_cost[d] * (1 - works[a, d]).
    constant = 0
    variables, coeffs = [], []
    for a in rm.vars.free_agents():
        spec = rm.data.agents[a]
        for d in range(rm.data.days):
            price = spec.off_preference_cost[d]
            if not price:
                continue
            works = rm.vars.works(a, d)
            constant += price
            if isinstance(works, int):
                constant -= price * works
            else:
                for c in rm.vars.candidates(a, d):
                    variables.append(rm.vars.x[c.index])
                    coeffs.append(-price)
    if variables or constant:
        expr = cp_model.LinearExpr.weighted_sum(variables, coeffs) if variables else 0
        terms.append(Term("preferences", expr, constant))
    return terms
