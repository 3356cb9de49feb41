"""Availability and time off: which shifts an agent may be given at all.

Maths: candidate shift ``c`` of agent ``a`` on date ``d`` with clock start ``s`` and length ``L``
exists only if

- ``d`` is not in ``a.time_off``;
- ``[s, min(s + L, 1440))`` lies inside one of ``a.availability[weekday(d)]`` windows and, for a
  shift crossing midnight, ``[0, s + L - 1440)`` lies inside a window of the next weekday
  (no availability mapping at all means always available);
- the shift overlaps the site's opening hours on ``d`` (or on ``d + 1`` for its spill), since
  time at a closed site answers nothing.

The family is enforced by construction of the candidate set (hard), so it adds no constraints and
no penalty terms to the CP-SAT model; :func:`allows` is the single predicate both the candidate
builder and :mod:`scheduler.roster.validate` use.
"""

from __future__ import annotations

import datetime as dt

from scheduler.model import WEEKDAYS, Agent, Site
from scheduler.model.base import MINUTES_PER_DAY


def _inside(windows: list, start: int, end: int) -> bool:
    return any(w.start <= start and end <= w.end for w in windows)


def available(agent: Agent, date: dt.date, start_clock: int, length: int) -> bool:
    """Whether the agent's availability windows hold the whole shift (ignores time off)."""
    if agent.availability is None:
        return True
    today = agent.availability.get(WEEKDAYS[date.weekday()], [])
    end = start_clock + length
    if end <= MINUTES_PER_DAY:
        return _inside(today, start_clock, end)
    tomorrow = agent.availability.get(WEEKDAYS[(date.weekday() + 1) % 7], [])
    return _inside(today, start_clock, MINUTES_PER_DAY) and _inside(
        tomorrow, 0, end - MINUTES_PER_DAY
    )


def overlaps_opening(site: Site, date: dt.date, start_clock: int, length: int) -> bool:
    """Whether any minute of the shift falls in the site's opening hours."""
    end = start_clock + length
    for w in site.hours_on(date):
        if w.start < end and start_clock < w.end:
            return True
    if end > MINUTES_PER_DAY:
        for w in site.hours_on(date + dt.timedelta(days=1)):
            if w.start < end - MINUTES_PER_DAY:
                return True
    return False


def allows(site: Site, agent: Agent, date: dt.date, start_clock: int, length: int) -> bool:
    """The full availability predicate: not on time off, available, site open."""
    return (
        date not in agent.time_off
        and available(agent, date, start_clock, length)
        and overlaps_opening(site, date, start_clock, length)
    )
