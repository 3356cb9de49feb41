"""The numbers the report shows, derived from the pipeline's tables in one place.

Charts and tables only format; everything they need (horizon minutes of each interval, service
per queue and day, staffing gaps) is computed here so it can be tested on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scheduler.model import Scenario
from scheduler.model.base import MINUTES_PER_DAY

_DATE_KEYS = ("period", "date", "day", "ds")


@dataclass(frozen=True)
class CoverageSeries:
    """Required and scheduled agents of one queue on every interval of the horizon.

    Intervals missing from the evaluation (closed hours) count as zero on both sides.
    """

    queue: str
    interval_minutes: int
    required: np.ndarray
    scheduled: np.ndarray

    @property
    def peak(self) -> float:
        """The largest value on either curve (0 when the queue has no demand)."""
        both = np.concatenate([self.required, self.scheduled])
        return float(np.nanmax(both)) if both.size else 0.0


@dataclass(frozen=True)
class StaffingGaps:
    """How far the roster is from the requirement, summed over queues and intervals."""

    short_agent_hours: float
    over_agent_hours: float
    short_intervals: int
    intervals: int


def horizon_minutes(ds: pd.Series, scenario: Scenario) -> np.ndarray:
    """Minutes from local midnight of the horizon's first day for each interval start.

    Parameters
    ----------
    ds
        Interval starts; naive values are read as site-local time, aware ones are converted to
        the site's time zone first (the history contract allows either, stated once).
    scenario
        Gives the horizon start and the site's time zone.

    Returns
    -------
    numpy.ndarray
        Integer minutes (may be negative or past the horizon for rows outside it).
    """
    stamps = pd.to_datetime(ds)
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(scenario.site.timezone).dt.tz_localize(None)
    origin = pd.Timestamp(scenario.horizon.start)
    delta = (stamps - origin) / pd.Timedelta(minutes=1)
    return np.asarray(np.floor(delta.to_numpy(dtype=float)), dtype=int)


def coverage_series(evaluation: pd.DataFrame, scenario: Scenario, queue: str) -> CoverageSeries:
    """Required vs scheduled agents of ``queue`` laid on the horizon's interval grid.

    Parameters
    ----------
    evaluation
        Predicted service per queue x interval (``queue, ds, scheduled, required, ...``).
    scenario
        Gives the horizon and interval length.
    queue
        The queue to extract.

    Returns
    -------
    CoverageSeries
        One value per interval of the horizon.
    """
    step = scenario.site.interval_minutes
    slots = scenario.horizon.days * MINUTES_PER_DAY // step
    required = np.zeros(slots)
    scheduled = np.zeros(slots)
    rows = evaluation[evaluation["queue"] == queue]
    if not rows.empty:
        index = horizon_minutes(rows["ds"], scenario) // step
        inside = (index >= 0) & (index < slots)
        required[index[inside]] = rows["required"].to_numpy(dtype=float)[inside]
        scheduled[index[inside]] = rows["scheduled"].to_numpy(dtype=float)[inside]
    return CoverageSeries(queue, step, np.nan_to_num(required), np.nan_to_num(scheduled))


def closed_spans(scenario: Scenario) -> list[tuple[int, int]]:
    """Horizon-minute ranges when the site is closed (special days' hours included).

    Parameters
    ----------
    scenario
        Gives the horizon and the site's opening hours.

    Returns
    -------
    list of tuple of int
        ``[start, end)`` ranges in minutes from the horizon's first midnight, in order.
    """
    spans = []
    for day, date in enumerate(scenario.horizon.dates()):
        cursor = 0
        for window in scenario.site.hours_on(date):
            if window.start > cursor:
                spans.append((day * MINUTES_PER_DAY + cursor, day * MINUTES_PER_DAY + window.start))
            cursor = max(cursor, window.end)
        if cursor < MINUTES_PER_DAY:
            spans.append((day * MINUTES_PER_DAY + cursor, (day + 1) * MINUTES_PER_DAY))
    return spans


def staffing_gaps(evaluation: pd.DataFrame, interval_minutes: int) -> StaffingGaps:
    """Agent-hours short of and above the requirement, and how many intervals fall short.

    Parameters
    ----------
    evaluation
        Per queue x interval ``scheduled`` and ``required`` agents.
    interval_minutes
        Length of one interval.

    Returns
    -------
    StaffingGaps
        Totals over every queue and interval.
    """
    if evaluation.empty:
        return StaffingGaps(0.0, 0.0, 0, 0)
    diff = evaluation["scheduled"].to_numpy(dtype=float) - evaluation["required"].to_numpy(
        dtype=float
    )
    diff = np.nan_to_num(diff)
    hours = interval_minutes / 60
    return StaffingGaps(
        short_agent_hours=float(np.clip(-diff, 0, None).sum() * hours),
        over_agent_hours=float(np.clip(diff, 0, None).sum() * hours),
        # Fractional requirements make tiny shortfalls common; count only a missing agent or more.
        short_intervals=int((diff <= -1).sum()),
        intervals=len(diff),
    )


def _weighted_service(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Offered-weighted service level per group (the share of contacts served in target)."""
    work = frame.loc[frame["offered"].fillna(0) > 0, [*keys, "offered", "service_level"]].copy()
    work["served"] = work["service_level"] * work["offered"]
    grouped = work.groupby(list(keys), sort=False)[["served", "offered"]].sum().reset_index()
    grouped["service_level"] = grouped["served"] / grouped["offered"]
    return grouped.drop(columns="served")


def _with_dates(evaluation: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    days = horizon_minutes(evaluation["ds"], scenario) // MINUTES_PER_DAY
    start = scenario.horizon.start
    return evaluation.assign(date=[start + dt.timedelta(days=int(d)) for d in days])


def _date_key(records: pd.DataFrame) -> str | None:
    return next((key for key in _DATE_KEYS if key in records.columns), None)


def _from_summary_days(records: list[dict[str, Any]], scenario: Scenario) -> pd.DataFrame | None:
    """Daily service from ``summary.json`` records, if they have the columns the report needs."""
    frame = pd.DataFrame.from_records(records)
    key = _date_key(frame)
    if frame.empty or key is None or not {"queue", "service_level"} <= set(frame.columns):
        return None
    values = frame[key]
    if pd.api.types.is_integer_dtype(values):
        # A day index into the horizon rather than a calendar date.
        dates = [scenario.horizon.start + dt.timedelta(days=int(v)) for v in values]
    else:
        dates = list(pd.to_datetime(values).dt.date)
    out = pd.DataFrame(
        {"queue": frame["queue"], "date": dates, "service_level": frame["service_level"]}
    )
    out["offered"] = frame["offered"] if "offered" in frame.columns else np.nan
    return out


def service_by_day(
    evaluation: pd.DataFrame, summary: dict[str, Any], scenario: Scenario
) -> pd.DataFrame:
    """Service level per queue and calendar date.

    Takes ``summary["service_by_queue_day"]`` where its records carry a queue, a date and a
    service level (so the report agrees with ``summary.json``), and the offered-weighted service
    level computed from ``evaluation`` for any queue-day the summary leaves out.

    Parameters
    ----------
    evaluation
        Per queue x interval ``offered`` and ``service_level``.
    summary
        The pipeline's summary.
    scenario
        Gives the horizon and the site's time zone.

    Returns
    -------
    pandas.DataFrame
        Columns ``queue, date, service_level, offered``.
    """
    columns = ["queue", "date", "service_level", "offered"]
    parts = []
    from_summary = _from_summary_days(summary.get("service_by_queue_day") or [], scenario)
    if from_summary is not None:
        parts.append(from_summary[columns])
    if not evaluation.empty:
        parts.append(_weighted_service(_with_dates(evaluation, scenario), ["queue", "date"]))
    if not parts:
        return pd.DataFrame(columns=columns)
    merged = pd.concat(parts, ignore_index=True)
    return merged.drop_duplicates(["queue", "date"], keep="first").reset_index(drop=True)


def service_by_week(evaluation: pd.DataFrame, summary: dict[str, Any]) -> dict[str, float]:
    """Service level per queue over the whole horizon.

    Taken from ``summary["service_by_queue_week"]`` where it has ``queue`` and
    ``service_level``; the offered-weighted mean over ``evaluation`` fills any queue it lacks.

    Parameters
    ----------
    evaluation
        Per queue x interval ``offered`` and ``service_level``.
    summary
        The pipeline's summary.

    Returns
    -------
    dict
        Queue id to service level (a share in [0, 1]; NaN when nothing was offered).
    """
    out: dict[str, float] = {}
    if not evaluation.empty:
        weekly = _weighted_service(evaluation, ["queue"])
        out.update(
            zip(weekly["queue"].astype(str), weekly["service_level"].astype(float), strict=True)
        )
    records = pd.DataFrame.from_records(summary.get("service_by_queue_week") or [])
    if not records.empty and {"queue", "service_level"} <= set(records.columns):
        records["service_level"] = pd.to_numeric(records["service_level"], errors="coerce")
        if "offered" not in records.columns:
            records["offered"] = 1.0
        # A horizon that straddles two calendar weeks has a record per queue and week.
        combined = _weighted_service(records, ["queue"])
        out.update(
            zip(combined["queue"].astype(str), combined["service_level"].astype(float), strict=True)
        )
    return out


def offered_by_queue(evaluation: pd.DataFrame) -> dict[str, float]:
    """Contacts (or work items) offered per queue over the horizon."""
    if evaluation.empty:
        return {}
    totals = evaluation.groupby("queue", sort=False)["offered"].sum()
    return {str(q): float(v) for q, v in totals.items()}
