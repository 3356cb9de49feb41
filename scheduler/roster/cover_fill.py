"""Shift cover in the constructive start: reserve agent-days for hard minima, tally the rest.

The constructive heuristic places one agent's week at a time, so a row asking for "at least two
late shifts on Tuesday" cannot be left to chance: the agent who could have worked it may already
be placed elsewhere when the row notices. :func:`reserve` runs first and sets aside, for each row
with a minimum, that many agent-days -- agent ``a`` works *some* shift that counts for row ``r``
on its day -- scarcest rows first (fewest agents able to work them per shift required), each
from the eligible agents with the fewest reservations so far, keeping each agent's reserved days
within its contract's upper limits, rest and sequences (the caller's ``week_ok``). The greedy
then builds each agent's week around its reserved days.

:class:`CoverTally` follows the construction: shifts placed per row plus reservations not yet
placed, so that a candidate that would push a row past its maximum is refused and the soft target
is valued at the margin (``under_cost`` while below it, ``-over_cost`` at or above).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping

import numpy as np

from scheduler.roster.problem_data import ProblemData

WeekOk = Callable[[int, dict[int, int]], bool]
"""``week_ok(a, choice)``: whether agent ``a``'s partial week (day -> candidate) breaks none of
its rules except minima that more days could still meet."""


class CoverTally:
    """Shifts placed per cover row, and reserved agent-days not yet placed.

    Parameters
    ----------
    data
        The problem.
    reserved
        Agent -> day -> cover row the agent-day is reserved for (from :func:`reserve`).
    """

    def __init__(self, data: ProblemData, reserved: Mapping[int, Mapping[int, int]]) -> None:
        self.data = data
        self.reserved = {a: dict(days) for a, days in reserved.items()}
        self.placed = np.zeros(len(data.cover), dtype=np.int64)
        self.pending = np.zeros(len(data.cover), dtype=np.int64)
        self.credit = credits(data)
        for days in self.reserved.values():
            for r in days.values():
                for r2 in self.credit[r]:
                    self.pending[r2] += 1

    def level(self, r: int) -> int:
        """Shifts row ``r`` has or is promised."""
        return int(self.placed[r] + self.pending[r])

    def allows(self, a: int, c: int) -> bool:
        """Whether agent ``a`` working candidate ``c`` keeps every row within its maximum."""
        promised = self._promised(a, c)
        for r in self.data.cover_of.get(c, ()):
            limit = self.data.cover[r].max
            if limit is not None and self.level(r) + (r not in promised) > limit:
                return False
        return True

    def bonus(self, a: int, c: int) -> int:
        """Scaled soft value of agent ``a`` working ``c``: row targets not yet met, or exceeded."""
        promised = self._promised(a, c)
        value = 0
        for r in self.data.cover_of.get(c, ()):
            row = self.data.cover[r]
            if row.target is None or r in promised:
                continue
            value += row.under_cost if self.level(r) < row.target else -row.over_cost
        return value

    def place(self, a: int, choice: Mapping[int, int]) -> None:
        """Count agent ``a``'s week ``choice`` (day -> candidate); its reservations are met."""
        for c in choice.values():
            for r in self.data.cover_of.get(c, ()):
                self.placed[r] += 1
        self.release(a)

    def release(self, a: int) -> None:
        """Drop agent ``a``'s reservations (met, or given up when its week could not hold them)."""
        for r in self.reserved.pop(a, {}).values():
            for r2 in self.credit[r]:
                self.pending[r2] -= 1

    def _promised(self, a: int, c: int) -> frozenset[int]:
        # Rows already counted in ``pending`` for this agent-day: c meets that reservation.
        r = self.reserved.get(a, {}).get(self.data.candidates[c].day)
        if r is None or c not in self.data.cover[r].candidates:
            return frozenset()
        return self.credit[r]


def credits(data: ProblemData) -> list[frozenset[int]]:
    """Per row ``r``, the rows a shift reserved for ``r`` surely counts for: ``r`` and rows of
    the same day whose candidates include all of ``r``'s (a template's row inside its kind's
    row). Rows are compared within their day only (a long horizon has ten thousand rows)."""
    by_day: dict[int, list[int]] = {}
    for r, row in enumerate(data.cover):
        by_day.setdefault(row.day, []).append(r)
    out = []
    for r, row in enumerate(data.cover):
        out.append(
            frozenset(
                r2
                for r2 in by_day[row.day]
                if r2 == r or row.candidates <= data.cover[r2].candidates
            )
        )
    return out


def reserve(data: ProblemData, seed: int, week_ok: WeekOk) -> dict[int, dict[int, int]]:
    """Agent-days set aside to meet every cover row's minimum (agent -> day -> row).

    A row whose minimum cannot be reached this way keeps what it got; the repair after the
    construction (:mod:`scheduler.roster.cover_repair`) and diagnosis deal with it.
    """
    rows = [r for r, row in enumerate(data.cover) if row.min > 0]
    if not rows:
        return {}
    rng = random.Random(seed)
    eligible = {
        r: sorted({data.candidates[c].agent for c in data.cover[r].candidates}) for r in rows
    }
    level = np.zeros(len(data.cover), dtype=np.int64)
    reserved: dict[int, dict[int, int]] = {}
    # A representative shift per reserved day, to check rest and limits across reserved days.
    shifts: dict[int, dict[int, int]] = {}
    for r in sorted(rows, key=lambda r: (len(eligible[r]) - data.cover[r].min, data.cover[r].day)):
        row = data.cover[r]
        ties = {a: rng.random() for a in eligible[r]}
        while level[r] < row.min:
            options = sorted(
                (a for a in eligible[r] if row.day not in reserved.get(a, {})),
                key=lambda a: (len(reserved.get(a, {})), ties[a]),
            )
            for a in options:
                c = _fitting_shift(
                    data, a, r, _with_pins(data, a, shifts.get(a, {})), level, week_ok
                )
                if c is None:
                    continue
                reserved.setdefault(a, {})[row.day] = r
                shifts.setdefault(a, {})[row.day] = c
                for r2 in data.cover_of.get(c, ()):
                    level[r2] += 1
                break
            else:
                break
    return reserved


def _with_pins(data: ProblemData, a: int, shifts: dict[int, int]) -> dict[int, int]:
    spec = data.agents[a]
    pins = {d: spec.candidates[d][0] for d in spec.pinned_days if spec.candidates[d]}
    return {**pins, **shifts}


def _fitting_shift(
    data: ProblemData,
    a: int,
    r: int,
    week: dict[int, int],
    level: np.ndarray,
    week_ok: WeekOk,
) -> int | None:
    """A shift of agent ``a`` counting for row ``r`` that its reserved week and the rows'
    maxima can take (cheapest first), or None."""
    row = data.cover[r]
    if row.day in week and week[row.day] not in row.candidates:
        return None
    options = [c for c in data.agents[a].candidates[row.day] if c in row.candidates]
    for c in sorted(options, key=lambda c: (data.candidates[c].cost, c)):
        over = any(
            (limit := data.cover[r2].max) is not None and level[r2] + 1 > limit
            for r2 in data.cover_of.get(c, ())
        )
        if not over and week_ok(a, {**week, row.day: c}):
            return c
    return None
