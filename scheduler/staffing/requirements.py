"""Forecast frame -> requirements table: what each queue needs in each interval, and why.

Output columns, in order (one row per queue x interval, queues in the given order, ``ds`` rising):

``queue, ds, channel, offered, aht_s``
    Copied from the forecast (``aht_s`` blank where nothing is offered).
``required_agents``
    Fractional productive agents: where the binding metric crosses its target on the straight
    line between the last failing and the first passing integer count (deferred queues: the
    spread workload profile, which is fractional by nature).
``required_int``
    Integer productive agents (``ceil(required_agents)``).
``scheduled_needed``
    Agents the roster must put ON the queue: ``ceil(required_int / (1 - shrinkage))``. Planned
    breaks are placed by the roster itself; shrinkage covers the rest of the off-queue time.
``binding``
    ``service_level``, ``asa``, ``abandon``, ``occupancy``, ``deadline`` or ``closed``.
``service_level``
    Predicted at ``scheduled_needed`` (immediate queues: the curve value below; deferred: share of
    the interval's work done within the deadline).
``curve_start``, ``sl_curve``
    ``SL(m)`` for ``m = curve_start, curve_start + 1, ...`` agents scheduled on the queue, ``;``-
    joined with 6 decimals. ``SL(m)`` is evaluated at ``m (1 - shrinkage)`` productive agents,
    interpolating linearly between integer counts. ``K = 2 * scheduled_needed + 3`` points, at
    most :data:`MAX_CURVE_POINTS`; when capped the curve is centred on ``scheduled_needed``
    (``curve_start > 0``). Empty for deferred queues. The roster values an extra agent on a queue
    in an interval at ``offered * (SL(m + 1) - SL(m))`` contacts answered in target. SL is the
    share answered within the goal's ``answer_seconds`` (or within ``asa_seconds`` for an
    ASA-only goal; ``1 - P(abandon)`` for an abandonment-only goal).
``work_minutes``
    Agent-minutes of work arriving: ``offered * aht_s / 60``, divided for chat by the effective
    concurrency ``r(k)``.
``deadline_minutes``
    The deferred goal's deadline; blank for immediate queues.
``due_by``
    Deferred queues: when work arriving at the interval's start is due, i.e. the interval start
    by which the work arriving in this interval must be done (``ds + deadline``, or with
    ``open_hours`` the moment ``deadline`` open minutes have passed, skipping closures). It is
    an interval start whenever the deadline is a multiple of the interval and the opening
    windows lie on the grid (the site model enforces the latter); otherwise round it up to the
    grid, as a lag of ``ceil(deadline / interval)`` intervals does. Blank for immediate queues.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scheduler.errors import FieldProblem, InputError
from scheduler.model.queue import Queue
from scheduler.staffing.business_hours import BusinessClock, OpenHours
from scheduler.staffing.channels import (
    curve_metric,
    deferred_profile,
    effective_concurrency,
    integer_deferred_need,
    queue_metrics_for,
    simulate_backlog,
    size_queue,
)
from scheduler.staffing.sizing import scheduled_from_productive

__all__ = [
    "MAX_CURVE_POINTS",
    "REQUIREMENT_COLUMNS",
    "build_requirements",
    "deferred_capacity_minutes",
    "parse_sl_curve",
    "validate_forecast",
]

REQUIREMENT_COLUMNS = (
    "queue",
    "ds",
    "channel",
    "offered",
    "aht_s",
    "required_agents",
    "required_int",
    "scheduled_needed",
    "binding",
    "service_level",
    "curve_start",
    "sl_curve",
    "work_minutes",
    "deadline_minutes",
    "due_by",
)

MAX_CURVE_POINTS = 256
"""Cap on points per SL curve; beyond it extra agents add (numerically) nothing anyway."""

_FORECAST_COLUMNS = ("queue", "ds", "offered", "aht_s")
_MAX_PROBLEMS = 50  # listed individually; the rest are counted


def validate_forecast(forecast: pd.DataFrame, queues: Sequence[Queue]) -> pd.DataFrame:
    """Check a forecast frame and return a clean copy (``ds`` as datetimes, numbers as floats).

    Raises
    ------
    InputError
        Every problem found, each naming the column, the row and the offending value.
    """
    problems: list[FieldProblem] = []
    missing = [c for c in _FORECAST_COLUMNS if c not in forecast.columns]
    if missing:
        raise InputError(
            "forecast",
            [
                FieldProblem(f"forecast.{c}", list(forecast.columns), "column missing")
                for c in missing
            ],
        )
    frame = forecast.reset_index(drop=True).copy()
    known = {q.id for q in queues}
    frame["queue"] = frame["queue"].astype(str)
    unknown = frame["queue"][~frame["queue"].isin(known)]
    for q, rows in unknown.groupby(unknown, sort=True).groups.items():
        # One problem per unknown id, not per row: a week of a stray queue is 672 rows.
        problems.append(
            FieldProblem(
                f"forecast.queue[row {rows[0]}]",
                q,
                f"unknown queue ({len(rows)} rows); known {sorted(known)}",
            )
        )
    ds = pd.to_datetime(frame["ds"], errors="coerce")
    for i in frame.index[ds.isna()]:
        problems.append(FieldProblem(f"forecast.ds[row {i}]", frame.at[i, "ds"], "not a date-time"))
    frame["ds"] = ds
    offered = pd.to_numeric(frame["offered"], errors="coerce")
    bad = offered.isna() | ~np.isfinite(offered.fillna(0.0)) | (offered < 0)
    for i in frame.index[bad]:
        problems.append(
            FieldProblem(
                f"forecast.offered[row {i}]", frame.at[i, "offered"], "must be a number >= 0"
            )
        )
    aht = pd.to_numeric(frame["aht_s"], errors="coerce")
    bad_aht = (offered > 0) & ~(aht > 0)
    for i in frame.index[bad_aht]:
        problems.append(
            FieldProblem(
                f"forecast.aht_s[row {i}]", frame.at[i, "aht_s"], "must be > 0 where offered > 0"
            )
        )
    frame["offered"], frame["aht_s"] = offered.astype(float), aht.astype(float)
    dup = frame.duplicated(["queue", "ds"], keep="first") & ds.notna()
    for i in frame.index[dup]:
        problems.append(
            FieldProblem(
                f"forecast[row {i}]",
                f"{frame.at[i, 'queue']} @ {frame.at[i, 'ds']}",
                "duplicate queue x interval",
            )
        )
    if len(problems) > _MAX_PROBLEMS:
        more = len(problems) - _MAX_PROBLEMS
        problems = [
            *problems[:_MAX_PROBLEMS],
            FieldProblem("forecast", f"{more} more", "further problems not listed"),
        ]
    if problems:
        raise InputError("forecast", problems)
    return frame


def deferred_capacity_minutes(queue: Queue, agents: Any, interval_minutes: int) -> NDArray[Any]:
    """Agent-minutes of deferred work that ``agents`` on the queue clear in one interval.

    On-queue agents lose ``shrinkage`` and spend at most ``max_occupancy`` of the rest on the work.
    """
    factor = (1.0 - queue.shrinkage) * queue.max_occupancy * interval_minutes
    result: NDArray[Any] = np.asarray(agents, dtype=np.float64) * factor
    return result


def grid_positions(ds: pd.Series, interval_minutes: int, field: str) -> NDArray[np.int64]:
    """Index of each timestamp on the regular interval grid starting at the first one."""
    minutes = (ds - ds.iloc[0]).dt.total_seconds().to_numpy() / 60.0
    pos = minutes / interval_minutes
    off = np.abs(pos - np.round(pos)) > 1e-9
    if np.any(off):
        i = int(np.argmax(off))
        raise InputError(
            field,
            [FieldProblem(field, str(ds.iloc[i]), f"not on the {interval_minutes}-minute grid")],
        )
    return np.round(pos).astype(np.int64)


def _immediate_rows(queue: Queue, part: pd.DataFrame, interval_minutes: int) -> dict[str, Any]:
    offered_all = part["offered"].to_numpy(dtype=float)
    active_all = offered_all > 0
    aht_all = np.where(active_all, part["aht_s"].to_numpy(dtype=float), 1.0)
    aht_all = np.where(np.isfinite(aht_all) & (aht_all > 0), aht_all, 1.0)
    # Identical (offered, AHT) pairs have identical rows (closed intervals above all, and rounded
    # forecasts repeat values): compute each pair once and copy it back.
    pairs, inverse = np.unique(np.column_stack((offered_all, aht_all)), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    cols = _immediate_unique(queue, pairs[:, 0], pairs[:, 1], interval_minutes)
    out = {
        k: (np.asarray(v)[inverse] if k != "sl_curve" else [v[i] for i in inverse])
        for k, v in cols.items()
    }
    out["work_minutes"] = offered_all * aht_all / 60.0 / effective_concurrency(queue)
    out["deadline_minutes"] = [pd.NA] * len(part)
    out["due_by"] = pd.Series(pd.NaT, index=range(len(part)), dtype="datetime64[ns]")
    return out


def _immediate_unique(
    queue: Queue, offered: NDArray[np.float64], aht: NDArray[np.float64], interval_minutes: int
) -> dict[str, Any]:
    """Sizing, service level and curve for each (offered, AHT) pair (AHT already made safe)."""
    lam = offered / (interval_minutes * 60.0)
    active = offered > 0
    sizing = size_queue(queue, lam, aht)
    need = scheduled_from_productive(sizing.agents, queue.shrinkage)
    points = np.minimum(2 * need + 3, MAX_CURVE_POINTS)
    start = np.where(
        2 * need + 3 > MAX_CURVE_POINTS, np.maximum(need - MAX_CURVE_POINTS // 2, 0), 0
    )
    metric = curve_metric(queue)
    keep = 1.0 - queue.shrinkage
    # Integer productive counts lo_n..hi_n cover each row's curve; only those of rows with work
    # are evaluated (in one vectorised call), the rest of the table is 1 (nothing missed).
    lo_n = np.floor(start * keep).astype(np.int64)
    hi_n = np.floor((start + points - 1) * keep).astype(np.int64) + 1
    width = int((hi_n - lo_n).max()) + 1
    span = np.where(active, hi_n - lo_n + 1, 0)
    rows = np.repeat(np.arange(offered.size), span)
    cols = np.arange(rows.size) - np.repeat(np.cumsum(span) - span, span)
    values = np.ones((offered.size, width))
    if rows.size:
        n_eval = (lo_n[rows] + cols).astype(np.float64)
        values[rows, cols] = metric(queue_metrics_for(queue, n_eval, lam[rows], aht[rows]))

    def curve_at(m: NDArray[np.float64]) -> NDArray[np.float64]:
        p = m * keep
        base = np.floor(p).astype(np.int64)
        w = p - base
        col = np.clip(base - lo_n[:, None] if m.ndim == 2 else base - lo_n, 0, width - 2)
        if m.ndim == 2:
            v0 = np.take_along_axis(values, col, axis=1)
            v1 = np.take_along_axis(values, col + 1, axis=1)
        else:
            idx = np.arange(offered.size)
            v0, v1 = values[idx, col], values[idx, col + 1]
        out: NDArray[np.float64] = v0 + w * (v1 - v0)
        return out

    max_points = int(points.max())
    m = start[:, None] + np.arange(max_points)[None, :]
    curves = np.clip(curve_at(m.astype(float)), 0.0, 1.0)
    curve_text = [";".join(f"{v:.6f}" for v in curves[i, : points[i]]) for i in range(offered.size)]
    return {
        "required_agents": sizing.fractional,
        "required_int": sizing.agents,
        "scheduled_needed": need,
        "binding": sizing.binding,
        "service_level": np.clip(curve_at(need.astype(float)), 0.0, 1.0),
        "curve_start": start,
        "sl_curve": curve_text,
    }


def _deferred_rows(
    queue: Queue, part: pd.DataFrame, interval_minutes: int, open_hours: OpenHours | None
) -> dict[str, Any]:
    deadline = queue.goal.deadline_minutes
    assert deadline is not None  # Queue validation guarantees a deadline for deferred channels
    offered = part["offered"].to_numpy(dtype=float)
    aht = np.nan_to_num(part["aht_s"].to_numpy(dtype=float), nan=0.0)
    work = offered * aht / 60.0
    pos = grid_positions(part["ds"], interval_minutes, "forecast.ds")
    n_grid = int(pos[-1]) + 1
    starts = np.arange(n_grid, dtype=np.float64) * interval_minutes
    first_ds = part["ds"].iloc[0]
    if open_hours is None:
        due = starts + deadline
        open_ = np.full(n_grid, float(interval_minutes))
    else:
        last_ds = first_ds + pd.Timedelta(minutes=float(starts[-1]))
        try:
            clock = BusinessClock.from_hours(open_hours, first_ds, last_ds, deadline)
        except ValueError as exc:
            raise InputError(
                "staffing",
                [FieldProblem(f"queue {queue.id}.goal.deadline_minutes", deadline, str(exc))],
            ) from exc
        shift = (first_ds - clock.origin).total_seconds() / 60.0
        due = clock.due(starts + shift, deadline) - shift
        open_ = clock.open_minutes(starts + shift, starts + shift + interval_minutes)
    grid_work = np.zeros(n_grid)
    grid_work[pos] = work
    profile = deferred_profile(
        grid_work, starts, deadline, interval_minutes, due_minutes=due, open_minutes=open_
    )
    required = profile[pos] / queue.max_occupancy
    allowed = np.zeros(n_grid, dtype=bool)
    allowed[pos] = open_ > 0
    agent_minutes = float(deferred_capacity_minutes(queue, 1.0, interval_minutes))
    need = integer_deferred_need(
        profile * interval_minutes, grid_work, agent_minutes, deadline, interval_minutes,
        due_minutes=due, allowed=allowed,
    )[pos]  # fmt: skip
    # Productive agents in whole numbers, for the table only: the same need before shrinkage.
    required_int = np.ceil(need * (1.0 - queue.shrinkage) - 1e-9).astype(np.int64)
    grid_cap = np.zeros(n_grid)
    grid_cap[pos] = deferred_capacity_minutes(queue, need, interval_minutes)
    backlog = simulate_backlog(grid_work, grid_cap, deadline, interval_minutes, due_minutes=due)
    binding = np.where((required_int == 0) & (offered == 0), "closed", "deadline")
    return {
        "required_agents": required,
        "required_int": required_int,
        "scheduled_needed": need,
        "binding": binding,
        "service_level": backlog.within_deadline[pos],
        "curve_start": np.zeros(len(part), dtype=np.int64),
        "sl_curve": [""] * len(part),
        "work_minutes": work,
        "deadline_minutes": [deadline] * len(part),
        "due_by": first_ds + pd.to_timedelta(due[pos], unit="min"),
    }


def build_requirements(
    forecast: pd.DataFrame,
    queues: Sequence[Queue],
    interval_minutes: int,
    *,
    open_hours: OpenHours | None = None,
) -> pd.DataFrame:
    """Requirements per queue x interval from a forecast (columns in the module docstring).

    Parameters
    ----------
    forecast
        Columns ``queue, ds, offered, aht_s`` (others, such as ``offered_lo``, are ignored).
    queues
        The queues named in the forecast, with their goals.
    interval_minutes
        Length of each forecast interval.
    open_hours
        The site's opening windows per date (``(start, end)`` minutes after midnight; for a
        scenario ``lambda d: [(w.start, w.end) for w in site.hours_on(d)]``). Given, deferred
        deadlines count open time only (see :mod:`scheduler.staffing.business_hours`) and the
        deferred profile asks for no one while closed; ``None`` counts every minute.

    Returns
    -------
    pandas.DataFrame
        The requirements table, columns as in :data:`REQUIREMENT_COLUMNS`.

    Raises
    ------
    InputError
        For bad forecast rows or an interval length that is not positive.
    """
    if not isinstance(interval_minutes, int | np.integer) or interval_minutes <= 0:
        raise InputError(
            "staffing",
            [FieldProblem("interval_minutes", interval_minutes, "must be an integer > 0")],
        )
    frame = validate_forecast(forecast, queues)
    parts = []
    for queue in queues:
        part = frame[frame["queue"] == queue.id].sort_values("ds").reset_index(drop=True)
        if part.empty:
            continue
        if queue.channel.is_deferred:
            cols = _deferred_rows(queue, part, int(interval_minutes), open_hours)
        else:
            cols = _immediate_rows(queue, part, int(interval_minutes))
        out = pd.DataFrame(
            {
                "queue": part["queue"].astype(str),
                "ds": part["ds"],
                "channel": queue.channel.value,
                "offered": part["offered"].astype(float),
                "aht_s": part["aht_s"].astype(float),
                **cols,
            }
        )
        parts.append(out)
    if not parts:
        return _empty()
    result = pd.concat(parts, ignore_index=True)
    result["required_int"] = result["required_int"].astype("int64")
    result["scheduled_needed"] = result["scheduled_needed"].astype("int64")
    result["curve_start"] = result["curve_start"].astype("int64")
    result["deadline_minutes"] = result["deadline_minutes"].astype("Int64")
    result["binding"] = result["binding"].astype(str)
    return result.loc[:, list(REQUIREMENT_COLUMNS)]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in REQUIREMENT_COLUMNS})


def parse_sl_curve(row: Mapping[str, Any] | pd.Series) -> NDArray[np.float64]:
    """The SL curve of one requirements row as floats (empty for deferred queues).

    Parameters
    ----------
    row
        A requirements row (mapping or Series) with ``sl_curve``; also works on rows read back
        from CSV, where an empty curve comes back as NaN.

    Returns
    -------
    numpy.ndarray
        ``SL(curve_start + i)`` at index ``i``.
    """
    text = row["sl_curve"]
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return np.zeros(0)
    return np.array([float(v) for v in str(text).split(";")], dtype=np.float64)
