"""Contracts: paid minutes, working days and shifts per kind, per week and per horizon.

Maths: for every agent ``a`` with contract ``k`` and every block ``W`` of the horizon (7-day
blocks from its start):

- ``min_minutes(W) <= sum_{d in W} paid[a, d] <= max_minutes(k)``;
- ``min_days(W) <= sum_{d in W} works[a, d] <= max_days(k)``;
- ``sum_{d in W} kind[a, d, s] <= max_shifts_by_kind(k)[s]`` for each limited kind ``s``.

A block shorter than a week (a horizon of one to six days, or the tail of a longer one) is part of
a calendar week whose other ``7 - |W|`` days the roster does not decide. Its limits are exactly
those some completion of the week can honour: the weekly maxima unchanged (the other days may all
be off) and the minima less what the other days could hold,
``min_days(W) = max(0, min_days(k) - (7 - |W|))`` and
``min_minutes(W) = max(0, min_minutes(k) - (7 - |W|) * longest(k))`` with ``longest(k)`` the
longest paid shift of the contract's templates. (Scaling the maxima pro rata instead would forbid
an eight-hour shift in a one-day horizon of a 40-hour contract: ``2400 / 7 < 480``.)

Over the whole horizon ``H`` (the contract's optional ``*_per_horizon`` limits, see
:func:`horizon_limits`):

- ``min_minutes_per_horizon(k) <= sum_{d in H} paid[a, d] <= max_minutes_per_horizon(k)``;
- ``sum_{d in H} kind[a, d, s] <= max_shifts_by_kind_per_horizon(k)[s]``.

They count this roster's days only (the horizon is the period the limit is stated for). In a
neighbourhood the fixed days enter both sums as constants (:class:`Variables` gives a fixed
day's paid minutes and kind as integers), so a sub-model can only move minutes and shifts
within what the rest of the incumbent leaves.

Hard; no penalty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from scheduler.model import Contract, Scenario
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term

WEEK = 7


@dataclass(frozen=True, slots=True)
class WeekLimits:
    """The contract's limits on one block of days (see the module docstring)."""

    min_minutes: int
    max_minutes: int
    min_days: int
    max_days: int
    max_by_kind: tuple[tuple[str, int], ...]


def longest_paid(scenario: Scenario, contract: Contract) -> int:
    """Paid minutes of the longest shift the contract's templates allow."""
    return max(
        scenario.template(t).paid_minutes(length)
        for t in contract.shift_templates
        for length in scenario.template(t).lengths_minutes
    )


def week_limits(scenario: Scenario, contract: Contract, days: int) -> WeekLimits:
    """Limits of ``contract`` on a block of ``days`` horizon days (at most a week)."""
    outside = max(0, WEEK - days)
    # Only a part-week needs the longest shift (and it costs a template scan per call: the
    # greedy construction asks for every week of a long horizon, per agent and candidate).
    most = longest_paid(scenario, contract) if outside else 0
    return WeekLimits(
        min_minutes=max(0, contract.min_minutes_per_week - outside * most),
        max_minutes=contract.max_minutes_per_week,
        min_days=max(0, contract.min_days - outside),
        max_days=min(contract.max_days, days),
        max_by_kind=tuple(sorted(contract.max_shifts_by_kind.items())),
    )


@dataclass(frozen=True, slots=True)
class HorizonLimits:
    """The contract's limits over the whole horizon (``None``/empty: no limit)."""

    min_minutes: int | None
    max_minutes: int | None
    max_by_kind: tuple[tuple[str, int], ...]

    @property
    def any(self) -> bool:
        """Whether any horizon limit is set."""
        return (
            self.min_minutes is not None or self.max_minutes is not None or bool(self.max_by_kind)
        )


def horizon_limits(contract: Contract) -> HorizonLimits:
    """Limits of ``contract`` over the whole horizon (a minimum of 0 counts as none)."""
    return HorizonLimits(
        min_minutes=contract.min_minutes_per_horizon or None,
        max_minutes=contract.max_minutes_per_horizon,
        max_by_kind=tuple(sorted(contract.max_shifts_by_kind_per_horizon.items())),
    )


def add(rm: RosterModel) -> list[Term]:
    """Add the contract limits of agents with free days."""
    data, v = rm.data, rm.vars
    weeks = sorted(set(data.week_of_day))
    for a in v.free_agents():
        contract = data.agents[a].contract
        for w in weeks:
            days = [d for d in range(data.days) if data.week_of_day[d] == w]
            limits = week_limits(data.scenario, contract, len(days))
            paid = cp_model.LinearExpr.sum([v.paid(a, d) for d in days])
            works = cp_model.LinearExpr.sum([v.works(a, d) for d in days])
            # Limits no choice of shifts can break are left out (the Curtois scenarios set
            # weekly ones that cannot bind: 52 weeks of dead rows on a 364-day horizon).
            if _most_paid(rm, a, days) > limits.max_minutes:
                rm.require("contracts", paid <= limits.max_minutes)
            if limits.min_minutes:
                rm.require("contracts", paid >= limits.min_minutes)
            if len(days) > limits.max_days:
                rm.require("contracts", works <= limits.max_days)
            if limits.min_days:
                rm.require("contracts", works >= limits.min_days)
            for kind, limit in limits.max_by_kind:
                count = cp_model.LinearExpr.sum([v.of_kind(a, d, kind) for d in days])
                rm.require("contracts", count <= limit)
        _add_horizon(rm, a, horizon_limits(contract))
    return []


def _most_paid(rm: RosterModel, a: int, days: list[int]) -> int:
    """Most paid minutes agent ``a`` can work on ``days`` (free days at their longest shift)."""
    v, total = rm.vars, 0
    for d in days:
        if v.is_free(a, d):
            total += max((c.paid_minutes for c in v.candidates(a, d)), default=0)
        else:
            fixed = v.fixed(a, d)
            total += 0 if fixed is None else fixed.paid_minutes
    return total


def _add_horizon(rm: RosterModel, a: int, limits: HorizonLimits) -> None:
    """The horizon limits of agent ``a`` (fixed days count as constants)."""
    if not limits.any:
        return
    v, days = rm.vars, range(rm.data.days)
    if limits.min_minutes is not None or limits.max_minutes is not None:
        paid = cp_model.LinearExpr.sum([v.paid(a, d) for d in days])
        if limits.max_minutes is not None:
            rm.require("contracts", paid <= limits.max_minutes)
        if limits.min_minutes is not None:
            rm.require("contracts", paid >= limits.min_minutes)
    if not limits.max_by_kind:
        return
    # One pass over the agent's days for every limited kind (not one per kind: 364 days x 30
    # candidates x 16 kinds on the Curtois horizons).
    limited = dict(limits.max_by_kind)
    shifts: dict[str, list[cp_model.IntVar]] = {kind: [] for kind in limited}
    fixed = dict.fromkeys(limited, 0)
    for d in days:
        for c in v.candidates(a, d):
            kind = rm.data.templates[c.template].kind
            if kind in shifts:
                shifts[kind].append(v.x[c.index])
        worked = v.fixed(a, d)
        if worked is not None and rm.data.templates[worked.template].kind in fixed:
            fixed[rm.data.templates[worked.template].kind] += 1
    for kind, limit in limits.max_by_kind:
        rm.require("contracts", cp_model.LinearExpr.sum(shifts[kind]) + fixed[kind] <= limit)
