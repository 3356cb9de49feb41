"""Shared base for domain types and the time-of-day parsing they use.

Domain objects are frozen pydantic models: validated on construction, immutable afterwards and
changed with ``model_copy(update=...)``. Unknown fields are rejected so that a typo in a scenario
file is reported instead of silently ignored.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday keys used in scenario files, indexed like ``date.weekday()`` (0 = Monday)."""

MINUTES_PER_DAY = 1440

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


class Frozen(BaseModel):
    """Base class of every domain type: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def parse_clock(value: object) -> object:
    """Turn ``"HH:MM"`` into minutes after midnight; pass integers through.

    ``"24:00"`` is accepted as the end of the day (1440). Anything else is left for pydantic to
    reject with its own message.
    """
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if not match:
            raise ValueError(f"expected a time of day as HH:MM, got {value!r}")
        hours, minutes = int(match.group(1)), int(match.group(2))
        if minutes >= 60 or hours * 60 + minutes > MINUTES_PER_DAY:
            raise ValueError(f"time of day out of range: {value!r}")
        return hours * 60 + minutes
    return value


ClockMinutes = Annotated[int, BeforeValidator(parse_clock)]
"""Minutes after local midnight, written ``"HH:MM"`` in files (``"24:00"`` allowed)."""


def format_clock(minutes: int) -> str:
    """Format minutes after midnight as ``HH:MM`` (values past 24:00 keep counting hours)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
