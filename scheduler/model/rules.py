"""Roster-wide rules, objective weights and the planning horizon."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from scheduler.model.base import Frozen


class ObjectiveWeights(Frozen):
    """Relative weights of the roster objective's terms (a weight of 0 switches a term off).

    ``service`` values each contact answered within target; ``understaffing`` and
    ``overstaffing`` penalise agent-intervals below/above the integer requirement; the rest are
    per occurrence (or per hour for ``cost``).
    """

    service: float = Field(default=1.0, ge=0)
    understaffing: float = Field(default=1.0, ge=0)
    overstaffing: float = Field(default=0.1, ge=0)
    cost: float = Field(default=0.0, ge=0)
    preferences: float = Field(default=1.0, ge=0)
    fairness: float = Field(default=1.0, ge=0)
    stability: float = Field(default=1.0, ge=0)
    fairness_spread: float = Field(
        default=1.0,
        ge=0,
        description="per unit of max minus min, among agents of one contract, of weekends, "
        "nights, late finishes and early starts (ledger included)",
    )
    queue_switch: float = Field(
        default=0.2,
        ge=0,
        description="per change of queue between adjacent working intervals of one shift",
    )


class Horizon(Frozen):
    """The days to roster: ``days`` consecutive dates from ``start``."""

    start: dt.date
    days: int = Field(default=7, ge=1, le=366)

    def dates(self) -> list[dt.date]:
        """Every date of the horizon, in order."""
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]


class Rules(Frozen):
    """Rules that apply to everyone, and the objective."""

    forbidden_successions: list[tuple[str, str]] = Field(
        default_factory=list, description="(kind on day d, kind on day d+1) pairs not allowed"
    )
    weekend_days: list[str] = Field(default_factory=lambda: ["sat", "sun"])
    objective: ObjectiveWeights = Field(default_factory=ObjectiveWeights)
