"""Agents, their contracts, availability and preferences."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from scheduler.model.base import MINUTES_PER_DAY, ClockMinutes, Frozen
from scheduler.model.site import TimeWindow


class Contract(Frozen):
    """Working-time rules an agent is employed under (all durations in minutes).

    Minutes, days and shifts per kind are limited per 7-day block of the horizon (``*_per_week``,
    ``max_days``, ``min_days``, ``max_shifts_by_kind``) and, optionally, over the whole horizon
    (``min_minutes_per_horizon``, ``max_minutes_per_horizon``,
    ``max_shifts_by_kind_per_horizon``: a four-week roster allowing 160 hours in total however
    they fall across the weeks, or at most five nights in the horizon). Horizon limits count
    the days of the roster being built only; ``None`` or an empty mapping sets no limit.
    """

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
    min_minutes_per_horizon: int | None = Field(
        default=None, ge=0, description="paid minutes at least, over the whole horizon"
    )
    max_minutes_per_horizon: int | None = Field(
        default=None, ge=0, description="paid minutes at most, over the whole horizon"
    )
    max_shifts_by_kind_per_horizon: dict[str, int] = Field(
        default_factory=dict, description="shifts of a kind at most, over the whole horizon"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Contract:
        if self.min_minutes_per_week > self.max_minutes_per_week:
            raise ValueError(
                f"min_minutes_per_week {self.min_minutes_per_week} exceeds "
                f"max_minutes_per_week {self.max_minutes_per_week}"
            )
        if self.min_days > self.max_days:
            raise ValueError(f"min_days {self.min_days} exceeds max_days {self.max_days}")
        low, high = self.min_minutes_per_horizon, self.max_minutes_per_horizon
        if low is not None and high is not None and low > high:
            raise ValueError(
                f"min_minutes_per_horizon {low} exceeds max_minutes_per_horizon {high}"
            )
        for field_name in ("max_shifts_by_kind", "max_shifts_by_kind_per_horizon"):
            for kind, limit in getattr(self, field_name).items():
                if limit < 0:
                    raise ValueError(f"{field_name}.{kind}: limit {limit} is negative")
        return self


class ShiftRequest(Frozen):
    """A dated wish with its own weight: work (``on``) or do not work (``off``) a shift.

    The request names a shift ``kind`` or a ``template`` id, or neither for the whole day:
    ``on`` asks for a shift of that kind (template; any shift for the whole day) on ``date``,
    ``off`` asks not to work one. Not honouring it costs ``weight`` value units (one unit is one
    contact answered within target at service weight 1), times the objective's ``preferences``
    weight; a weight of 0 costs nothing and creates nothing.
    """

    date: dt.date
    want: Literal["on", "off"]
    kind: str | None = Field(default=None, min_length=1)
    template: str | None = Field(default=None, min_length=1)
    weight: float = Field(default=1.0, ge=0)

    @model_validator(mode="after")
    def _one_selector(self) -> ShiftRequest:
        if self.kind is not None and self.template is not None:
            raise ValueError(
                f"name a shift kind ({self.kind!r}) or a template ({self.template!r}), not both"
            )
        return self

    @property
    def label(self) -> str:
        """``on late 2025-03-04``: what the request asks, for messages and tables."""
        what = self.kind or self.template or "any shift"
        return f"{self.want} {what} {self.date.isoformat()}"

    def matches(self, template_id: str, kind: str) -> bool:
        """Whether a shift of ``template_id`` (of ``kind``) is the shift the request names."""
        if self.template is not None:
            return template_id == self.template
        return self.kind is None or kind == self.kind

    def honoured(self, worked: tuple[str, str] | None) -> bool:
        """Whether working ``worked`` = (template id, kind) on the date (None = off) honours it."""
        hit = worked is not None and self.matches(*worked)
        return hit if self.want == "on" else not hit


class Preferences(Frozen):
    """Soft wishes, each honoured in proportion to its weight in the objective.

    ``days_off``, ``weekdays_off``, ``start_window`` and ``shift_kinds`` are each worth ``weight``
    per miss; ``requests`` carry their own weights (``weight`` does not scale them).
    """

    days_off: list[dt.date] = Field(default_factory=list)
    weekdays_off: list[str] = Field(default_factory=list)
    start_window: TimeWindow | None = None
    shift_kinds: list[str] = Field(default_factory=list, description="preferred template kinds")
    weight: int = Field(default=1, ge=0)
    requests: list[ShiftRequest] = Field(
        default_factory=list, description="dated on/off shift requests with their own weights"
    )


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
    skills: dict[str, float] = Field(
        default_factory=dict,
        description="queue id -> proficiency; may be empty only in a scenario without queues",
    )
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
