"""Deadlines that count only open time ("4 business hours"), on a piecewise-linear clock.

Open time is a sorted list of disjoint windows ``[s_i, e_i)`` in minutes on a common clock. The
business clock ``B(t)`` is the open minutes before ``t``: it rises with slope 1 inside a window
and is flat while closed. Work arriving at ``t`` with a deadline of ``D`` open minutes is due at

    due(t) = min{ s : B(s) >= B(t) + D }

(the moment the ``D``-th open minute after ``t`` ends; never inside a closure). Work arriving
while closed is due ``D`` open minutes after the next opening. Example: a site open Friday until
14:00 and again Saturday 20:00-24:00; an email arriving Friday 13:30 with a 4 h deadline has 30
open minutes on Friday and the other 210 on Saturday, so it is due Saturday 23:30.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = ["BusinessClock", "OpenHours"]

FloatArray = NDArray[np.float64]

OpenHours = Callable[[dt.date], Sequence[tuple[int, int]]]
"""``hours(date)``: the open windows of a date as ``(start, end)`` minutes after its midnight."""

MAX_LOOKAHEAD_DAYS = 366
"""How far past the last arrival the clock looks for enough open time before giving up."""


class BusinessClock:
    """Open windows on a minute clock whose zero is ``origin`` (see module docstring).

    Parameters
    ----------
    starts, ends
        Window bounds in minutes from ``origin``, sorted, disjoint (touching windows are fine).
    origin
        The timestamp of minute zero.
    """

    def __init__(self, starts: ArrayLike, ends: ArrayLike, origin: pd.Timestamp) -> None:
        s = np.asarray(starts, dtype=np.float64)
        e = np.asarray(ends, dtype=np.float64)
        if s.shape != e.shape or np.any(e <= s) or np.any(s[1:] < e[:-1]):
            raise ValueError("open windows must be non-empty, sorted and disjoint")
        self.starts, self.ends, self.origin = s, e, origin
        # Open minutes before each window starts, and by each window's end.
        self._before = np.concatenate(([0.0], np.cumsum(e - s)[:-1]))
        self._by_end = self._before + (e - s)

    @classmethod
    def from_hours(
        cls, hours: OpenHours, first: pd.Timestamp, last: pd.Timestamp, need_minutes: float
    ) -> BusinessClock:
        """Windows from the day of ``first`` until ``need_minutes`` of open time after ``last``.

        Raises
        ------
        ValueError
            If the site opens for fewer than ``need_minutes`` in the
            :data:`MAX_LOOKAHEAD_DAYS` days after ``last``.
        """
        origin = pd.Timestamp(first).normalize()
        starts: list[float] = []
        ends: list[float] = []
        after_last = 0.0
        last_min = (pd.Timestamp(last) - origin).total_seconds() / 60.0
        day = 0
        while True:
            date = (origin + pd.Timedelta(days=day)).date()
            base = day * 1440.0
            for w_start, w_end in sorted(hours(date)):
                s, e = base + w_start, base + w_end
                if starts and s <= ends[-1]:  # touching (e.g. 24:00 then 00:00): merge
                    ends[-1] = max(ends[-1], e)
                else:
                    starts.append(s)
                    ends.append(e)
                after_last += max(0.0, e - max(s, last_min))
            day += 1
            if base >= last_min and after_last >= need_minutes:
                break
            if base > last_min + MAX_LOOKAHEAD_DAYS * 1440.0:
                raise ValueError(
                    f"only {after_last:.0f} open minutes in the {MAX_LOOKAHEAD_DAYS} days after "
                    f"{last}; a deadline of {need_minutes:g} open minutes cannot be met"
                )
        return cls(starts, ends, origin)

    def open_before(self, t: ArrayLike) -> FloatArray:
        """``B(t)``: open minutes before clock minute ``t``."""
        tt = np.asarray(t, dtype=np.float64)
        i = np.searchsorted(self.starts, tt, side="right") - 1
        ic = np.maximum(i, 0)
        inside = np.clip(tt - self.starts[ic], 0.0, self.ends[ic] - self.starts[ic])
        result: FloatArray = np.where(i >= 0, self._before[ic] + inside, 0.0)
        return result

    def open_minutes(self, start: ArrayLike, end: ArrayLike) -> FloatArray:
        """Open minutes in ``[start, end)``."""
        result: FloatArray = self.open_before(end) - self.open_before(start)
        return result

    def due(self, t: ArrayLike, deadline_minutes: float) -> FloatArray:
        """``due(t)`` for ``deadline_minutes`` open minutes; ``inf`` beyond the last window."""
        target = self.open_before(t) + float(deadline_minutes)
        j = np.searchsorted(self._by_end, target - 1e-9, side="left")
        jc = np.minimum(j, self.ends.size - 1)
        result: FloatArray = np.where(
            j < self.ends.size, self.ends[jc] - (self._by_end[jc] - target), np.inf
        )
        return result
