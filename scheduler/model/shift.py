"""Shift templates: when shifts may start, how long they last, and their breaks."""

from __future__ import annotations

from pydantic import Field, model_validator

from scheduler.model.base import MINUTES_PER_DAY, WEEKDAYS, ClockMinutes, Frozen


class BreakRule(Frozen):
    """A break or lunch placed within a window measured from the shift start.

    The break must start no earlier than ``earliest_after_start`` and end no later than
    ``latest_end_after_start`` minutes after the shift starts (a window of possible placements).
    """

    name: str = "break"
    minutes: int = Field(gt=0, le=240)
    paid: bool = True
    earliest_after_start: int = Field(ge=0)
    latest_end_after_start: int = Field(gt=0)

    @model_validator(mode="after")
    def _fits(self) -> BreakRule:
        if self.latest_end_after_start - self.earliest_after_start < self.minutes:
            raise ValueError(
                f"break {self.name!r}: window {self.earliest_after_start}-"
                f"{self.latest_end_after_start} min is shorter than its {self.minutes} min"
            )
        return self


class ShiftTemplate(Frozen):
    """A family of shifts: start times on a step inside a window, a set of lengths, breaks.

    Shifts may run past midnight (start 22:00, length 480 ends 06:00 the next day).
    ``kind`` labels the template for fairness and succession rules (early, day, late, night).
    """

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    kind: str = "day"
    start_earliest: ClockMinutes = Field(ge=0, lt=MINUTES_PER_DAY)
    start_latest: ClockMinutes = Field(ge=0, lt=MINUTES_PER_DAY)
    start_step_minutes: int = Field(default=30, gt=0)
    lengths_minutes: list[int] = Field(min_length=1)
    breaks: list[BreakRule] = Field(default_factory=list)
    weekdays: list[str] | None = Field(
        default=None, description="weekdays the template may start on (mon..sun); None = every day"
    )

    @model_validator(mode="after")
    def _consistent(self) -> ShiftTemplate:
        unknown = sorted(set(self.weekdays or []) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"weekdays: unknown weekday(s) {unknown}; use {list(WEEKDAYS)}")
        if self.start_latest < self.start_earliest:
            raise ValueError("start_latest is before start_earliest")
        for length in self.lengths_minutes:
            if not 0 < length <= 16 * 60:
                raise ValueError(f"shift length {length} min is outside 1..960")
            for rule in self.breaks:
                if rule.latest_end_after_start > length:
                    raise ValueError(
                        f"break {rule.name!r} window ends {rule.latest_end_after_start} min after "
                        f"start, past the {length}-minute shift"
                    )
        return self

    def runs_on(self, weekday: int) -> bool:
        """Whether a shift of this template may start on ``weekday`` (0 = Monday)."""
        return self.weekdays is None or WEEKDAYS[weekday] in self.weekdays

    def starts(self) -> list[int]:
        """Allowed start minutes after midnight."""
        return list(range(self.start_earliest, self.start_latest + 1, self.start_step_minutes))

    def paid_minutes(self, length: int) -> int:
        """Paid minutes of a shift of ``length`` minutes (unpaid breaks deducted)."""
        return length - sum(b.minutes for b in self.breaks if not b.paid)
