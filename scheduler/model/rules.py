"""Roster-wide rules, objective weights and the planning horizon."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from scheduler.model.base import Frozen


class ObjectiveWeights(Frozen):
    """Relative weights of the roster objective's terms (a weight of 0 switches a term off).

    ``service`` values each contact answered within target; ``understaffing`` and
    ``overstaffing`` penalise agent-intervals below/above the integer requirement;
    ``goal_shortfall`` charges each contact a day of an immediate queue falls short of the
    queue's service-level goal, so small queues reach their goal before extra contacts are
    bought on a big one; the rest are per occurrence (or per hour for ``cost``).

    ``goal_shortfall`` is off by default: the LP bound that reports the gap does not price it
    (it stays valid but loosens wherever goals are out of reach), and on an understaffed week
    the term outweighs fairness, preferences and cover targets, which are calibrated against one
    contact in target. 5 is the measured choice for sites that want each queue's goal first
    (the bundled bank example sets it): a contact on a queue-day below goal is then worth six
    elsewhere, enough to move a dual-skilled agent from a big queue's last required agent (about
    3 more calls in target) to a quiet queue's first (about 0.7). On the bank demo week it puts
    34-35 of the 35 voice and chat queue-days at goal instead of 27-30, for the same contacts in
    target within the run-to-run noise; 2 leaves several quiet days short
    (``benchmarks/results/roster_contact_centre.md``).
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
    goal_shortfall: float = Field(
        default=0.0,
        ge=0,
        description="per contact a day of an immediate queue falls short of its service-level "
        "goal (goal x offered - answered in target), on top of the service value",
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
