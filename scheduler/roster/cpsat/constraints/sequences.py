"""Sequences: consecutive working days, consecutive days off and weekends worked.

Maths, with ``y[a, d] = works[a, d]`` extended before the horizon by the previous roster's tail
(days before the horizon are unknown, and unconstrained, when no previous roster is given):

- max consecutive days ``M``: ``sum_{i=0..M} y[a, d + i] <= M`` for every window;
- min consecutive days off ``m``: no block of ``L < m`` days off between two working days,
  ``y[a, d] + sum_{i=1..L} (1 - y[a, d + i]) + y[a, d + L + 1] <= L + 1``
  (a block still open at the end of the horizon is not constrained);
- min consecutive working days ``n``: no block of ``L < n`` working days between two days off,
  ``(1 - y[a, d]) + sum_{i=1..L} y[a, d + i] + (1 - y[a, d + L + 1]) <= L + 1`` (a block still
  open at either end of the horizon is not constrained; with a previous roster its tail closes
  the blocks at the start);
- max weekends ``Wmax``: ``sum_w weekend_worked[a, w] <= Wmax`` with
  ``weekend_worked[a, w] >= y[a, d]`` for the weekend's days.

Hard; no penalty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term


def day_series(rm: RosterModel, a: int) -> dict[int, cp_model.LinearExpr | int]:
    """``y[a, d]`` for horizon days and, with a previous roster, up to 14 days before."""
    data, v = rm.data, rm.vars
    series: dict[int, cp_model.LinearExpr | int] = {d: v.works(a, d) for d in range(data.days)}
    if data.previous is not None:
        worked = {t.day for t in data.agents[a].tail}
        for d in range(-14, 0):
            series[d] = int(d in worked)
    return series


def add(rm: RosterModel) -> list[Term]:
    """Add sequence rules for agents with free days."""
    data, v = rm.data, rm.vars
    for a in v.free_agents():
        contract = data.agents[a].contract
        y = day_series(rm, a)
        free_days = v.free[a]
        lo = min(y)
        longest = contract.max_consecutive_days
        for d in range(lo, data.days - longest):
            window = range(d, d + longest + 1)
            if not any(i in free_days for i in window):
                continue
            rm.require("sequences", cp_model.LinearExpr.sum([y[i] for i in window]) <= longest)
        for gap in range(1, contract.min_consecutive_days_off):
            for d in range(lo, data.days - gap - 1):
                window = range(d, d + gap + 2)
                if not any(i in free_days for i in window):
                    continue
                inner = [1 - y[d + i] for i in range(1, gap + 1)]
                rm.require(
                    "sequences", cp_model.LinearExpr.sum([y[d], *inner, y[d + gap + 1]]) <= gap + 1
                )
        for run in range(1, contract.min_consecutive_days):
            for d in range(lo, data.days - run - 1):
                window = range(d, d + run + 2)
                if not any(i in free_days for i in window):
                    continue
                inner = [y[d + i] for i in range(1, run + 1)]
                rm.require(
                    "sequences",
                    cp_model.LinearExpr.sum([1 - y[d], *inner, 1 - y[d + run + 1]]) <= run + 1,
                )
        if contract.max_weekends is not None:
            weekends = sorted({w for w in data.weekend_of_day if w is not None})
            worked = [v.weekend_worked(a, w) for w in weekends]
            rm.require("sequences", cp_model.LinearExpr.sum(worked) <= contract.max_weekends)
    return []
