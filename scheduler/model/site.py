"""The site: time zone, interval grid, opening hours and special days."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from scheduler.model.base import MINUTES_PER_DAY, WEEKDAYS, ClockMinutes, Frozen


class TimeWindow(Frozen):
    """A window of local time within one day, ``start`` inclusive, ``end`` exclusive (minutes)."""

    start: ClockMinutes = Field(ge=0, le=MINUTES_PER_DAY)
    end: ClockMinutes = Field(ge=0, le=MINUTES_PER_DAY)

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value: object) -> object:
        # Files write windows as ["08:00", "18:00"] or "08:00-18:00"; both mean start/end.
        if isinstance(value, str) and "-" in value:
            value = value.split("-", 1)
        if isinstance(value, list | tuple):
            if len(value) != 2:
                raise ValueError(f"a window is [start, end], got {value!r}")
            return {"start": value[0], "end": value[1]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if self.end <= self.start:
            raise ValueError(f"window end {self.end} must be after its start {self.start}")
        return self


class SpecialDay(Frozen):
    """A date whose opening hours or demand differ from the usual weekday.

    ``hours`` replaces the weekday's opening hours (an empty list closes the site); ``None`` keeps
    them. ``kind`` tells the forecaster what to learn from it (one holiday teaches the next).
    """

    date: dt.date
    kind: Literal["holiday", "closed", "eve", "day_after", "special"] = "special"
    name: str = ""
    hours: list[TimeWindow] | None = None


class Site(Frozen):
    """Where the work happens and on which grid it is planned."""

    name: str = Field(min_length=1)
    timezone: str = "UTC"
    country: str | None = Field(default=None, description="ISO country code for public holidays")
    interval_minutes: Literal[15, 30, 60] = 30
    opening_hours: dict[str, list[TimeWindow]] = Field(
        default_factory=lambda: {
            day: [TimeWindow(start=0, end=MINUTES_PER_DAY)] for day in WEEKDAYS
        }
    )
    special_days: list[SpecialDay] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("opening_hours")
    @classmethod
    def _weekday_keys(cls, value: dict[str, list[TimeWindow]]) -> dict[str, list[TimeWindow]]:
        unknown = sorted(set(value) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown weekday key(s) {unknown}; use {list(WEEKDAYS)}")
        # A weekday left out is closed: planners list the days they open.
        return {day: sorted(value.get(day, []), key=lambda w: w.start) for day in WEEKDAYS}

    @model_validator(mode="after")
    def _grid_alignment(self) -> Site:
        step = self.interval_minutes
        for day, windows in self.opening_hours.items():
            for window in windows:
                if window.start % step or window.end % step:
                    raise ValueError(
                        f"opening_hours.{day}: window {window.start}-{window.end} min "
                        "is not on the "
                        f"{step}-minute interval grid"
                    )
        return self

    def hours_on(self, date: dt.date) -> list[TimeWindow]:
        """Opening windows on ``date``: a special day's hours where given, else the weekday's."""
        for special in self.special_days:
            if special.date == date and special.hours is not None:
                return list(special.hours)
        return list(self.opening_hours[WEEKDAYS[date.weekday()]])

    def is_open(self, date: dt.date, minute: int) -> bool:
        """Whether the site is open at ``minute`` after midnight on ``date``."""
        return any(w.start <= minute < w.end for w in self.hours_on(date))

    def forecast_open_hours(self) -> dict[int, list[tuple[int, int]]]:
        """Opening hours as the plain mapping the ``forecasts`` package reads (0 = Monday)."""
        return {
            index: [(w.start, w.end) for w in self.opening_hours[day]]
            for index, day in enumerate(WEEKDAYS)
        }

    def forecast_special_days(self) -> list[tuple[dt.date, str, list[tuple[int, int]] | None]]:
        """Special days as plain ``(date, kind, windows or None)`` tuples for ``forecasts``."""
        return [
            (s.date, s.kind, None if s.hours is None else [(w.start, w.end) for w in s.hours])
            for s in self.special_days
        ]
