"""Contracts: paid minutes, working days and shifts per kind, per week.

Maths: for every agent ``a`` with contract ``k`` and every week ``W`` of the horizon (7-day
blocks from its start; a shorter last block gets limits pro rata, minima rounded down and maxima
up):

- ``min_minutes(k) <= sum_{d in W} paid[a, d] <= max_minutes(k)``;
- ``min_days(k) <= sum_{d in W} works[a, d] <= max_days(k)``;
- ``sum_{d in W} kind[a, d, s] <= max_shifts_by_kind(k)[s]`` for each limited kind ``s``.

Hard; no penalty.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term


def weekly_limits(value: int, days: int, *, upper: bool) -> int:
    """A weekly limit pro rata for a block of ``days`` days."""
    if days >= 7:
        return value
    share = value * days / 7
    return math.ceil(share) if upper else math.floor(share)


def add(rm: RosterModel) -> list[Term]:
    """Add the contract limits of agents with free days."""
    data, v = rm.data, rm.vars
    weeks = sorted(set(data.week_of_day))
    for a in v.free_agents():
        contract = data.agents[a].contract
        for w in weeks:
            days = [d for d in range(data.days) if data.week_of_day[d] == w]
            n = len(days)
            paid = cp_model.LinearExpr.sum([v.paid(a, d) for d in days])
            works = cp_model.LinearExpr.sum([v.works(a, d) for d in days])
            rm.require(
                "contracts", paid <= weekly_limits(contract.max_minutes_per_week, n, upper=True)
            )
            if contract.min_minutes_per_week:
                rm.require(
                    "contracts",
                    paid >= weekly_limits(contract.min_minutes_per_week, n, upper=False),
                )
            rm.require("contracts", works <= weekly_limits(contract.max_days, n, upper=True))
            if contract.min_days:
                rm.require("contracts", works >= weekly_limits(contract.min_days, n, upper=False))
            for kind, limit in sorted(contract.max_shifts_by_kind.items()):
                count = cp_model.LinearExpr.sum([v.of_kind(a, d, kind) for d in days])
                rm.require("contracts", count <= weekly_limits(limit, n, upper=True))
    return []
