"""Coverage chart: agents required vs scheduled on one queue across the horizon.

A step chart on the interval grid: the scheduled agents as a filled area in the queue's colour,
the requirement as a dark step line, and every interval short of the requirement marked in red,
so a planner sees at a glance where and when the roster falls behind demand.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

import numpy as np

from scheduler.model.base import MINUTES_PER_DAY
from scheduler.report import svg
from scheduler.report.frames import CoverageSeries
from scheduler.report.labels import day_label
from scheduler.report.style import (
    CLOSED_COLOUR,
    GRID_COLOUR,
    MINOR_GRID_COLOUR,
    REQUIRED_COLOUR,
    SHORTFALL_COLOUR,
    TEXT_MUTED,
)

WIDTH = 1280
PLOT_HEIGHT = 130
LEFT = 40
RIGHT = 10
TOP = 8
BOTTOM = 34

Scale = Callable[[float], float]


def nice_ticks(peak: float, most: int = 5) -> list[float]:
    """Round tick values from 0 up to at least ``peak`` with at most ``most`` + 1 ticks.

    Parameters
    ----------
    peak
        Largest value to show.
    most
        Upper bound on the number of steps.

    Returns
    -------
    list of float
        ``[0, step, 2*step, ...]`` ending at or above ``peak``.
    """
    peak = max(peak, 1.0)
    for base in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if math.ceil(peak / base) <= most:
            return [base * i for i in range(math.ceil(peak / base) + 1)]
    step = 10 ** math.ceil(math.log10(peak / most))
    return [step * i for i in range(math.ceil(peak / step) + 1)]


def step_area(values: np.ndarray, x: Scale, y: Scale) -> str:
    """Path data of a filled step area from the baseline (one vertex pair per change)."""
    base = y(0)
    parts = [f"M{svg.num(x(0))} {svg.num(base)}"]
    previous = None
    for i, value in enumerate(values):
        if value != previous:
            parts.append(f"H{svg.num(x(i))}V{svg.num(y(value))}")
            previous = value
    parts.append(f"H{svg.num(x(len(values)))}V{svg.num(base)}Z")
    return "".join(parts)


def step_line(values: np.ndarray, x: Scale, y: Scale) -> str:
    """Path data of a step line (horizontal on each interval, vertical at each change)."""
    if len(values) == 0:
        return ""
    parts = [f"M{svg.num(x(0))} {svg.num(y(values[0]))}"]
    previous = values[0]
    for i, value in enumerate(values[1:], start=1):
        if value != previous:
            parts.append(f"H{svg.num(x(i))}V{svg.num(y(value))}")
            previous = value
    parts.append(f"H{svg.num(x(len(values)))}")
    return "".join(parts)


def shortfall_boxes(series: CoverageSeries, x: Scale, y: Scale) -> str:
    """Path data of one box per interval where fewer agents are scheduled than required."""
    parts = []
    for i in np.flatnonzero(series.scheduled < series.required - 1e-9).tolist():
        left, right = svg.num(x(i)), svg.num(x(i + 1))
        parts.append(
            f"M{left} {svg.num(y(series.required[i]))}H{right}"
            f"V{svg.num(y(series.scheduled[i]))}H{left}Z"
        )
    return "".join(parts)


def _grid(series: CoverageSeries, days: int, x: Scale, y: Scale, ticks: list[float]) -> list[str]:
    """Interval, six-hour and day lines plus the horizontal value grid."""
    top, bottom = TOP, TOP + PLOT_HEIGHT
    slots = len(series.required)
    per_slot = (x(slots) - x(0)) / max(slots, 1)
    out = []
    if per_slot >= 3:  # below 3 px the interval grid is grey mush
        out.append(
            svg.element(
                "path",
                {
                    "d": svg.vertical_lines((x(i) for i in range(slots)), top, bottom),
                    "stroke": MINOR_GRID_COLOUR,
                    "stroke_width": 0.5,
                },
            )
        )
    slots_per_hour = 60 / series.interval_minutes
    quarter_days = [x(h * slots_per_hour) for h in range(0, days * 24, 6) if h % 24]
    out.append(
        svg.element(
            "path",
            {
                "d": svg.vertical_lines(quarter_days, top, bottom)
                + svg.horizontal_lines((y(t) for t in ticks[1:]), x(0), x(slots)),
                "stroke": GRID_COLOUR,
                "stroke_width": 0.6,
                "stroke_dasharray": "2 2",
            },
        )
    )
    day_lines = [x(d * 24 * slots_per_hour) for d in range(days + 1)]
    out.append(
        svg.element(
            "path",
            {
                "d": svg.vertical_lines(day_lines, top, bottom)
                + svg.horizontal_lines([y(0)], x(0), x(slots)),
                "stroke": "#8a96a3",
                "stroke_width": 1,
            },
        )
    )
    return out


def _axes(
    days: int, start: dt.date, x: Scale, y: Scale, ticks: list[float], per_hour: float
) -> list[str]:
    """Value labels on the left, hours and day names below."""
    out = [
        svg.text(LEFT - 6, y(t) + 3.5, f"{t:g}", text_anchor="end", fill=TEXT_MUTED) for t in ticks
    ]
    base = TOP + PLOT_HEIGHT
    for d in range(days):
        for hour in (6, 12, 18):
            out.append(
                svg.text(
                    x((d * 24 + hour) * per_hour),
                    base + 12,
                    f"{hour:02d}",
                    text_anchor="middle",
                    fill=TEXT_MUTED,
                    font_size=9,
                )
            )
        date = start + dt.timedelta(days=d)
        out.append(
            svg.text(
                x((d * 24 + 12) * per_hour),
                base + 27,
                day_label(date),
                text_anchor="middle",
                font_weight=600,
            )
        )
    return out


def _day_tooltips(series: CoverageSeries, days: int, start: dt.date, x: Scale) -> list[str]:
    """An invisible hover box per day whose tooltip gives that day's peaks and shortfall."""
    per_day = MINUTES_PER_DAY // series.interval_minutes
    hours = series.interval_minutes / 60
    out = []
    for d in range(days):
        window = slice(d * per_day, (d + 1) * per_day)
        required, scheduled = series.required[window], series.scheduled[window]
        short = float(np.clip(required - scheduled, 0, None).sum() * hours)
        tip = (
            f"{day_label(start + dt.timedelta(days=d))}: peak required {required.max():.1f}, "
            f"peak scheduled {scheduled.max():.0f}, short {short:.1f} agent-hours"
        )
        out.append(
            svg.element(
                "rect",
                {
                    "x": x(d * per_day),
                    "y": TOP,
                    "width": x((d + 1) * per_day) - x(d * per_day),
                    "height": PLOT_HEIGHT,
                    "fill": "#000",
                    "fill_opacity": 0,
                },
                svg.title(tip),
            )
        )
    return out


def _closed(closed: Sequence[tuple[int, int]], interval_minutes: int, x: Scale) -> str:
    """Grey boxes behind the closed hours, so a zero requirement there reads as 'closed'."""
    d = "".join(
        f"M{svg.num(x(a / interval_minutes))} {TOP}H{svg.num(x(b / interval_minutes))}"
        f"V{TOP + PLOT_HEIGHT}H{svg.num(x(a / interval_minutes))}Z"
        for a, b in closed
    )
    return svg.element("path", {"d": d, "fill": CLOSED_COLOUR}) if d else ""


def coverage_chart(
    series: CoverageSeries,
    start: dt.date,
    colour: str,
    label: str,
    closed: Sequence[tuple[int, int]] = (),
) -> str:
    """The SVG coverage chart of one queue.

    Parameters
    ----------
    series
        Required and scheduled agents per interval over the whole horizon.
    start
        First date of the horizon (for the day labels).
    colour
        The queue's colour.
    label
        Accessible name of the chart.
    closed
        Horizon-minute ranges when the site is closed, shaded grey.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    slots = len(series.required)
    days = max(1, slots * series.interval_minutes // MINUTES_PER_DAY)
    ticks = nice_ticks(series.peak)
    plot_width = WIDTH - LEFT - RIGHT

    def x(slot: float) -> float:
        return LEFT + slot * plot_width / max(slots, 1)

    def y(value: float) -> float:
        return TOP + PLOT_HEIGHT - float(value) / ticks[-1] * PLOT_HEIGHT

    per_hour = 60 / series.interval_minutes
    children = [
        _closed(closed, series.interval_minutes, x),
        *_grid(series, days, x, y, ticks),
        svg.element(
            "path",
            {"d": step_area(series.scheduled, x, y), "fill": colour, "fill_opacity": 0.35},
        ),
        svg.element(
            "path",
            {
                "d": step_line(series.scheduled, x, y),
                "fill": "none",
                "stroke": colour,
                "stroke_width": 1.2,
            },
        ),
        svg.element(
            "path",
            {"d": shortfall_boxes(series, x, y), "fill": SHORTFALL_COLOUR, "fill_opacity": 0.55},
        ),
        svg.element(
            "path",
            {
                "d": step_line(series.required, x, y),
                "fill": "none",
                "stroke": REQUIRED_COLOUR,
                "stroke_width": 1.4,
            },
        ),
        *_axes(days, start, x, y, ticks, per_hour),
        *_day_tooltips(series, days, start, x),
    ]
    return svg.svg(WIDTH, TOP + PLOT_HEIGHT + BOTTOM, children, label)
