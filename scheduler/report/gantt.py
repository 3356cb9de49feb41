"""Gantt chart of one day: a row per working agent with the shift, its breaks and its activities.

Each shift is drawn as a light bar (on duty, no queue assigned) overlaid with one coloured span
per queue activity and hatched spans for breaks; hovering a bar shows the full detail. Rows are
ordered by start time so the day's staffing wave is visible as a staircase.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence

from scheduler.model import Agent
from scheduler.model.base import MINUTES_PER_DAY
from scheduler.report import svg
from scheduler.report.labels import agent_label, day_label
from scheduler.report.style import (
    BREAK_COLOUR,
    GRID_COLOUR,
    IDLE_COLOUR,
    MINOR_GRID_COLOUR,
    TEXT_MUTED,
)
from scheduler.roster.result import Shift

WIDTH = 1280
LABEL = 170
RIGHT = 12
AXIS = 22
ROW = 15
BAR = 11
UNKNOWN_QUEUE_COLOUR = "#8a8a8a"

Scale = Callable[[float], float]


def time_window(shifts: Sequence[Shift]) -> tuple[int, int]:
    """The minutes-of-day range covering every shift, widened to whole hours.

    Parameters
    ----------
    shifts
        Shifts of any days; each is measured from its own day's midnight, so one window fits
        every day's chart (shifts past midnight push the end beyond 24:00).

    Returns
    -------
    tuple of int
        ``(first, last)`` minutes after midnight, on the hour.
    """
    if not shifts:
        return 0, MINUTES_PER_DAY
    first = min(s.start - s.day * MINUTES_PER_DAY for s in shifts)
    last = max(s.end - s.day * MINUTES_PER_DAY for s in shifts)
    return 60 * math.floor(first / 60), 60 * math.ceil(last / 60)


def shift_tooltip(shift: Shift, agent: Agent | None, date: dt.date) -> str:
    """Plain-text detail of a shift: who, when, breaks and activities."""
    who = f"{shift.agent} {agent.name}".strip() if agent is not None else shift.agent
    lines = [
        f"{who} · {day_label(date)} {shift.clock(shift.start)}–{shift.clock(shift.end)}"
        f" ({shift.template}, {shift.paid_minutes / 60:.1f} h paid)"
    ]
    lines += [
        f"{b.name} {shift.clock(b.start)}–{shift.clock(b.end)}{'' if b.paid else ' (unpaid)'}"
        for b in shift.breaks
    ]
    lines += [f"{a.queue} {shift.clock(a.start)}–{shift.clock(a.end)}" for a in shift.activities]
    return "\n".join(lines)


def _hatch(pattern_id: str) -> str:
    """A diagonal hatch so breaks stay distinct from idle time in greyscale print."""
    return svg.element(
        "defs",
        children=svg.element(
            "pattern",
            {"id": pattern_id, "patternUnits": "userSpaceOnUse", "width": 4, "height": 4},
            [
                svg.rect(0, 0, 4, 4, fill=BREAK_COLOUR),
                svg.element("path", {"d": "M0 4L4 0", "stroke": "#8a96a3", "stroke_width": 0.7}),
            ],
        ),
    )


def _axis(window: tuple[int, int], x: Scale, height: float, interval_minutes: int) -> list[str]:
    """Hour lines with labels across the top, and the interval grid where it is legible."""
    first, last = window
    px_per_hour = x(60) - x(0)
    label_every = 1 if px_per_hour >= 34 else 2
    hours = range(first, last + 1, 60)
    out = []
    if (x(interval_minutes) - x(0)) >= 6 and interval_minutes < 60:
        minor = [m for m in range(first, last + 1, interval_minutes) if m % 60]
        out.append(
            svg.element(
                "path",
                {
                    "d": svg.vertical_lines((x(m) for m in minor), AXIS, height),
                    "stroke": MINOR_GRID_COLOUR,
                    "stroke_width": 0.6,
                },
            )
        )
    out.append(
        svg.element(
            "path",
            {
                "d": svg.vertical_lines((x(m) for m in hours), AXIS - 4, height),
                "stroke": GRID_COLOUR,
                "stroke_width": 0.7,
            },
        )
    )
    for minute in hours:
        if (minute // 60) % label_every == 0:
            out.append(
                svg.text(
                    x(minute),
                    AXIS - 7,
                    f"{(minute // 60) % 24:02d}",
                    text_anchor="middle",
                    fill=TEXT_MUTED,
                )
            )
    return out


def _shift_row(
    shift: Shift,
    row: int,
    agent: Agent | None,
    date: dt.date,
    x: Scale,
    colours: Mapping[str, str],
    hatch_id: str,
) -> str:
    """One agent's row: name, shift bar with activities and breaks, times."""
    top = AXIS + row * ROW
    bar_top = top + (ROW - BAR) / 2
    offset = shift.day * MINUTES_PER_DAY

    def span(start: int, end: int, **values: str | float | int | None) -> str:
        return svg.rect(
            x(start - offset), bar_top, x(end - offset) - x(start - offset), BAR, **values
        )

    parts = [span(shift.start, shift.end, fill=IDLE_COLOUR, stroke="#9aa5b1", stroke_width=0.6)]
    parts += [
        span(a.start, a.end, fill=colours.get(a.queue, UNKNOWN_QUEUE_COLOUR))
        for a in shift.activities
    ]
    parts += [span(b.start, b.end, fill=f"url(#{hatch_id})") for b in shift.breaks]
    times = f"{shift.clock(shift.start)}–{shift.clock(shift.end)}"
    parts.append(
        svg.text(x(shift.end - offset) + 4, top + ROW - 4, times, fill=TEXT_MUTED, font_size=9)
    )
    name = svg.text(6, top + ROW - 4, agent_label(shift.agent, agent))
    group = svg.element("g", {}, [svg.title(shift_tooltip(shift, agent, date)), *parts])
    return name + group


def _stripes(rows: int) -> list[str]:
    """Shaded alternate rows (drawn under the grid) so the eye can follow a row across."""
    return [svg.rect(0, AXIS + i * ROW, WIDTH, ROW, fill="#f4f6f9") for i in range(1, rows, 2)]


def gantt_chart(
    shifts: Sequence[Shift],
    date: dt.date,
    window: tuple[int, int],
    agents: Mapping[str, Agent],
    colours: Mapping[str, str],
    interval_minutes: int,
) -> str:
    """The SVG Gantt of one day's shifts.

    Parameters
    ----------
    shifts
        The shifts starting on ``date``.
    date
        The day drawn.
    window
        Minutes-of-day range of the time axis (see :func:`time_window`).
    agents
        Agent id to agent, for names (unknown ids are shown by id alone).
    colours
        Queue id to colour.
    interval_minutes
        The planning grid, drawn faintly behind the bars.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    ordered = sorted(shifts, key=lambda s: (s.start, s.end, s.agent))
    height = AXIS + ROW * max(len(ordered), 1) + 4
    first, last = window
    plot = WIDTH - LABEL - RIGHT - 70  # room after the last bar for its end time

    def x(minute: float) -> float:
        return LABEL + (minute - first) * plot / max(last - first, 1)

    hatch_id = f"hatch-{date.isoformat()}"
    rows = [
        _shift_row(shift, i, agents.get(shift.agent), date, x, colours, hatch_id)
        for i, shift in enumerate(ordered)
    ]
    children = [
        _hatch(hatch_id),
        *_stripes(len(ordered)),
        *_axis(window, x, height, interval_minutes),
        *rows,
    ]
    return svg.svg(WIDTH, height, children, f"Shifts on {day_label(date)}")
