"""Cover by shift type per day: how many shifts of a kind (or template) each day needs.

The hospital and retail way of stating demand, next to the contact centre's per-interval queue
coverage: "at least two and ideally three late shifts every weekday". A shift counts for the day
it starts on, so a night shift from 22:00 to 06:00 counts for the evening it begins.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from scheduler.model.base import WEEKDAYS, Frozen

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""A weekday key as scenario files write it."""

DEFAULT_UNDER_WEIGHT = 100.0
"""Value units per shift below target: a missing shift costs as much as 100 contacts answered in
target, more than one agent's shift usually buys on the queues, so a target is met whenever the
hard rules allow it."""

DEFAULT_OVER_WEIGHT = 10.0
"""Value units per shift above target: a mild push back towards the target that still lets the
queues' demand add staff beyond it when they need them (an agent's shift buys more than 10)."""


class ShiftCover(Frozen):
    """Shifts of one kind (or one template) each covered day needs.

    Name exactly one of ``kind`` (a :attr:`ShiftTemplate.kind`, counting every template of that
    kind) or ``template`` (a template id). The row applies on ``dates`` and on the ``weekdays``
    listed; with neither it applies on every day of the horizon. Per day:

    - ``min`` shifts are required (hard), ``max`` are allowed at most (hard, optional);
    - ``target`` is the preferred count (soft, optional): every shift below it costs
      ``under_weight`` and every shift above it ``over_weight``, in value units (one unit is one
      contact answered within target at service weight 1). A weight of 0 switches that side off.

    A shift counts for the day it starts on (a night shift crossing midnight counts for its
    first day).
    """

    kind: str | None = Field(default=None, min_length=1)
    template: str | None = Field(default=None, min_length=1)
    dates: list[dt.date] = Field(default_factory=list)
    weekdays: list[Weekday] = Field(default_factory=list)
    min: int = Field(default=0, ge=0)
    target: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    under_weight: float = Field(default=DEFAULT_UNDER_WEIGHT, ge=0)
    over_weight: float = Field(default=DEFAULT_OVER_WEIGHT, ge=0)

    @field_validator("target")
    @classmethod
    def _target_at_least_min(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("min")
        if value is not None and low is not None and value < low:
            raise ValueError(f"target {value} is below min {low}")
        return value

    @field_validator("max")
    @classmethod
    def _max_at_least_others(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is None:
            return value
        low, target = info.data.get("min"), info.data.get("target")
        if low is not None and value < low:
            raise ValueError(f"max {value} is below min {low}")
        if target is not None and value < target:
            raise ValueError(f"max {value} is below target {target}")
        return value

    @model_validator(mode="after")
    def _one_selector(self) -> ShiftCover:
        if (self.kind is None) == (self.template is None):
            raise ValueError("name exactly one of kind (a shift kind) or template (a template id)")
        return self

    @property
    def label(self) -> str:
        """``kind late`` or ``template N8``: what the row counts, for messages and tables."""
        return f"kind {self.kind}" if self.kind is not None else f"template {self.template}"

    def applies_on(self, date: dt.date) -> bool:
        """Whether the row asks for cover on ``date``."""
        if not self.dates and not self.weekdays:
            return True
        return date in self.dates or WEEKDAYS[date.weekday()] in self.weekdays

    def counts(self, template_id: str, kind: str) -> bool:
        """Whether a shift of template ``template_id`` (of ``kind``) counts for the row."""
        if self.template is not None:
            return template_id == self.template
        return kind == self.kind
