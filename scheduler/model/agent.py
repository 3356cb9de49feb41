"""Agents, their contracts, availability and preferences."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from scheduler.model.base import MINUTES_PER_DAY, ClockMinutes, Frozen
from scheduler.model.site import TimeWindow


class Contract(Frozen):
    """Working-time rules an agent is employed under (all durations in minutes)."""

    id: str = Field(min_length=1)
    min_minutes_per_week: int = Field(default=0, ge=0)
    max_minutes_per_week: int = Field(default=2400, gt=0)
    max_days: int = Field(default=5, ge=0, le=7)
    min_days: int = Field(default=0, ge=0, le=7)
    max_consecutive_days: int = Field(default=6, ge=1)
    min_consecutive_days_off: int = Field(default=1, ge=1)
    min_rest_minutes: int = Field(default=660, ge=0)
    max_weekends: int | None = Field(default=None, ge=0, description="per horizon")
    shift_templates: list[str] = Field(min_length=1)
    max_shifts_by_kind: dict[str, int] = Field(default_factory=dict)
    target_minutes_per_week: int | None = Field(
        default=None, ge=0, description="hours target for fairness (default: the maximum)"
    )
    min_consecutive_days: int = Field(
        default=1, ge=1, description="shortest block of working days between days off"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Contract:
        if self.min_minutes_per_week > self.max_minutes_per_week:
            raise ValueError("min_minutes_per_week exceeds max_minutes_per_week")
        if self.min_days > self.max_days:
            raise ValueError("min_days exceeds max_days")
        return self


class Preferences(Frozen):
    """Soft wishes, each honoured in proportion to its weight in the objective."""

    days_off: list[dt.date] = Field(default_factory=list)
    weekdays_off: list[str] = Field(default_factory=list)
    start_window: TimeWindow | None = None
    shift_kinds: list[str] = Field(default_factory=list, description="preferred template kinds")
    weight: int = Field(default=1, ge=0)


class PinnedShift(Frozen):
    """A shift fixed by the planner: the agent works ``template`` from ``start`` on ``date``.

    ``length_minutes`` picks one of the template's lengths (any of them when omitted).
    """

    date: dt.date
    template: str = Field(min_length=1)
    start: ClockMinutes = Field(ge=0, lt=MINUTES_PER_DAY)
    length_minutes: int | None = Field(default=None, gt=0)


class Agent(Frozen):
    """A named person who can be rostered.

    ``skills`` maps queue id to proficiency (1.0 = fully productive). ``availability`` restricts
    the weekdays and hours the agent can work (a weekday left out is unavailable; no mapping at
    all means always available). ``time_off`` dates are hard days off.
    """

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = ""
    skills: dict[str, float] = Field(min_length=1)
    contract: str
    availability: dict[str, list[TimeWindow]] | None = None
    time_off: list[dt.date] = Field(default_factory=list)
    preferences: Preferences = Field(default_factory=Preferences)
    cost_per_hour: float = Field(default=0.0, ge=0)
    pinned: list[PinnedShift] = Field(
        default_factory=list, description="shifts fixed by the planner (hard)"
    )

    @model_validator(mode="after")
    def _proficiencies(self) -> Agent:
        for queue_id, level in self.skills.items():
            if not 0 < level <= 1.5:
                raise ValueError(f"skills.{queue_id}: proficiency {level} outside (0, 1.5]")
        return self
