"""Preferences: days off, weekdays off, start windows and shift kinds, weighted per agent.

Maths: for a chosen candidate ``c`` of agent ``a`` on date ``d`` with clock start ``s`` and kind
``k`` the penalty is ``w_pref * weight(a) * (miss_day + miss_start + miss_kind)`` where

- ``miss_day = 1`` if ``d`` is in ``days_off`` or its weekday in ``weekdays_off``;
- ``miss_start = 1`` if a ``start_window`` is given and ``s`` is outside it;
- ``miss_kind = 1`` if preferred ``shift_kinds`` are given and ``k`` is not one of them.

Each wish is one unit, worth as much as one contact answered in target at weight 1. The term is
linear in the shift choice, so it is folded into each candidate's cost (weight 0: nothing).
:func:`asked_and_granted` reports the same wishes per agent for the fairness table.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from scheduler.model import WEEKDAYS, Agent

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term


def misses(agent: Agent, date: dt.date, start_clock: int, kind: str) -> int:
    """How many of the agent's wishes a shift on ``date`` starting at ``start_clock`` breaks."""
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


def shift_cost(agent: Agent, date: dt.date, start_clock: int, kind: str, weight: float) -> int:
    """Scaled preference penalty of one shift."""
    from scheduler.roster.problem_data import scale

    if weight == 0 or agent.preferences.weight == 0:
        return 0
    return scale(weight * agent.preferences.weight * misses(agent, date, start_clock, kind))


def asked_and_granted(
    agent: Agent, shifts: list[tuple[dt.date, int, str]], dates: list[dt.date]
) -> tuple[int, int]:
    """(wishes asked, wishes granted) over the horizon for a list of (date, start, kind) shifts."""
    prefs = agent.preferences
    worked = {d: (s, k) for d, s, k in shifts}
    asked = granted = 0
    for date in dates:
        if date in prefs.days_off or WEEKDAYS[date.weekday()] in prefs.weekdays_off:
            asked += 1
            granted += date not in worked
    for start, kind in worked.values():
        if prefs.start_window is not None:
            asked += 1
            granted += prefs.start_window.start <= start < prefs.start_window.end
        if prefs.shift_kinds:
            asked += 1
            granted += kind in prefs.shift_kinds
    return asked, granted


def add(rm: RosterModel) -> list[Term]:
    """Preference penalties of the free agent-days' shifts."""
    from scheduler.roster.cpsat.constraints.cost import _candidate_terms

    return _candidate_terms(rm, "preferences", lambda c: c.preference_cost)
