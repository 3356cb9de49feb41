"""Predicted service of a schedule: per queue x interval, and per day or week.

``scheduled`` counts agents ON the queue in an interval (breaks already taken out by the roster);
shrinkage removes its share, and metrics at a fractional number of productive agents are
interpolated linearly between the neighbouring integer counts (as in the requirements' curves).
Deferred queues run a fluid FIFO backlog over the whole horizon (see
:func:`scheduler.staffing.channels.simulate_backlog`): ``service_level`` is the share of the
interval's work done within the deadline, ``asa_s`` the mean time from arrival to completion.
Deadlines follow the requirements' ``due_by`` (business hours) where the table has it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scheduler.errors import FieldProblem, InputError
from scheduler.model.queue import Queue
from scheduler.staffing.channels import queue_metrics_for, simulate_backlog
from scheduler.staffing.erlang import QueueMetrics
from scheduler.staffing.requirements import deferred_capacity_minutes, grid_positions

__all__ = ["EVALUATION_COLUMNS", "evaluate_schedule", "summarize_evaluation"]

EVALUATION_COLUMNS = (
    "queue",
    "ds",
    "offered",
    "scheduled",
    "required",
    "service_level",
    "asa_s",
    "p_abandon",
    "occupancy",
)

FloatArray = NDArray[np.float64]


def _interp_metrics(
    queue: Queue, productive: FloatArray, lam: FloatArray, aht: FloatArray
) -> dict[str, FloatArray]:
    """Metrics at fractional productive agents, linear between floor and floor + 1."""
    base = np.floor(productive + 1e-9)
    w = np.clip(productive - base, 0.0, 1.0)
    lo: QueueMetrics = queue_metrics_for(queue, base, lam, aht)
    hi: QueueMetrics = queue_metrics_for(queue, base + 1.0, lam, aht)
    out = {}
    for name in ("service_level", "asa_s", "p_abandon", "occupancy"):
        a, b = getattr(lo, name), getattr(hi, name)
        with np.errstate(invalid="ignore"):
            mixed = np.where(w > 0, (1.0 - w) * a + w * b, a)
        out[name] = np.where(w > 0, np.where(np.isinf(a), a, mixed), a)
    return out


def evaluate_schedule(
    requirements: pd.DataFrame,
    scheduled: pd.DataFrame,
    queues: Sequence[Queue],
    interval_minutes: int,
) -> pd.DataFrame:
    """Predicted service level, ASA, abandonment and occupancy of a schedule.

    Parameters
    ----------
    requirements
        The table from :func:`scheduler.staffing.requirements.build_requirements`.
    scheduled
        Columns ``queue, ds, scheduled`` (agents on the queue; fractions allowed). Intervals
        missing here have nobody scheduled; intervals missing from ``requirements`` have
        nothing offered (their capacity still works off deferred backlog).
    queues
        The queues, for goals, shrinkage and channel models.
    interval_minutes
        Interval length.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVALUATION_COLUMNS`, one row per queue x interval of either input.

    Raises
    ------
    InputError
        Unknown queues or negative/non-numeric scheduled counts.
    """
    by_id = {q.id: q for q in queues}
    missing = [c for c in ("queue", "ds", "scheduled") if c not in scheduled.columns]
    if missing:
        raise InputError(
            "schedule",
            [
                FieldProblem(f"schedule.{c}", list(scheduled.columns), "column missing")
                for c in missing
            ],
        )
    sched = scheduled.loc[:, ["queue", "ds", "scheduled"]].copy()
    sched["queue"] = sched["queue"].astype(str)
    sched["ds"] = pd.to_datetime(sched["ds"])
    sched["scheduled"] = pd.to_numeric(sched["scheduled"], errors="coerce")
    problems = [
        FieldProblem(f"schedule.scheduled[row {i}]", v, "must be a number >= 0")
        for i, v in sched["scheduled"].items()
        if not (v >= 0)
    ]
    problems += [
        FieldProblem(f"schedule.queue[row {i}]", q, f"unknown queue; known {sorted(by_id)}")
        for i, q in sched["queue"].items()
        if q not in by_id
    ]
    if problems:
        raise InputError("schedule", problems)
    sched = sched.groupby(["queue", "ds"], as_index=False)["scheduled"].sum()
    cols = ["queue", "ds", "offered", "aht_s", "scheduled_needed"]
    req = requirements.loc[:, cols + (["due_by"] if "due_by" in requirements else [])].copy()
    req["queue"] = req["queue"].astype(str)
    req["ds"] = pd.to_datetime(req["ds"])
    # Tables from before business-hours deadlines have no due_by: due = ds + deadline.
    req["due_by"] = pd.to_datetime(req["due_by"]) if "due_by" in req else pd.NaT
    frame = req.merge(sched, on=["queue", "ds"], how="outer")
    frame["offered"] = frame["offered"].fillna(0.0).astype(float)
    frame["scheduled"] = frame["scheduled"].fillna(0.0).astype(float)
    frame["scheduled_needed"] = frame["scheduled_needed"].fillna(0).astype("int64")
    parts = []
    for queue in queues:
        part = frame[frame["queue"] == queue.id].sort_values("ds").reset_index(drop=True)
        if part.empty:
            continue
        parts.append(_evaluate_queue(queue, part, interval_minutes))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EVALUATION_COLUMNS})
    return pd.concat(parts, ignore_index=True).loc[:, list(EVALUATION_COLUMNS)]


def _evaluate_queue(queue: Queue, part: pd.DataFrame, interval_minutes: int) -> pd.DataFrame:
    offered = part["offered"].to_numpy(dtype=float)
    agents = part["scheduled"].to_numpy(dtype=float)
    aht = part["aht_s"].to_numpy(dtype=float)
    aht = np.where(np.isfinite(aht) & (aht > 0), aht, 0.0)
    if queue.channel.is_deferred:
        deadline = queue.goal.deadline_minutes
        assert deadline is not None  # guaranteed by Queue validation
        pos = grid_positions(part["ds"], interval_minutes, "schedule.ds")
        work = np.zeros(int(pos[-1]) + 1)
        cap = np.zeros_like(work)
        work[pos] = offered * aht / 60.0
        cap[pos] = deferred_capacity_minutes(queue, agents, interval_minutes)
        # Due times from the requirements (business hours); ds + deadline where there are none.
        due = np.arange(work.size, dtype=np.float64) * interval_minutes + deadline
        given = (part["due_by"] - part["ds"].iloc[0]).dt.total_seconds().to_numpy() / 60.0
        known = np.isfinite(given)
        due[pos[known]] = given[known]
        res = simulate_backlog(work, cap, deadline, interval_minutes, due_minutes=due)
        metrics = {
            "service_level": res.within_deadline[pos],
            "asa_s": res.mean_delay_s[pos],
            "p_abandon": np.full(len(part), np.nan),
            "occupancy": res.occupancy[pos],
        }
    else:
        lam = offered / (interval_minutes * 60.0)
        metrics = _interp_metrics(
            queue, agents * (1.0 - queue.shrinkage), lam, np.where(aht > 0, aht, 1.0)
        )
    return pd.DataFrame(
        {
            "queue": part["queue"],
            "ds": part["ds"],
            "offered": offered,
            "scheduled": agents,
            "required": part["scheduled_needed"].to_numpy(),
            **metrics,
        }
    )


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    """Weighted mean over rows with weight; NaN stays NaN (no patience -> no abandonment figure)."""
    v = values.to_numpy(dtype=float)
    w = weights.to_numpy(dtype=float)
    use = w > 0
    if not use.any():
        return float("nan")
    return float(np.sum(v[use] * w[use]) / np.sum(w[use]))


def summarize_evaluation(
    ev: pd.DataFrame, freq: Literal["day", "week", "horizon"] | str
) -> pd.DataFrame:
    """Per queue and day, calendar week (from Monday) or whole horizon: service and staffing gaps.

    Parameters
    ----------
    ev
        Output of :func:`evaluate_schedule`.
    freq
        ``"day"``, ``"week"`` or ``"horizon"`` (everything evaluated, whatever weekday the
        horizon starts on; ``period`` is its first day).

    Returns
    -------
    pandas.DataFrame
        Columns ``queue, period, offered, service_level, asa_s, p_abandon, occupancy,
        scheduled, required, under_agent_intervals, over_agent_intervals, under_intervals``:
        service level, ASA and abandonment weighted by ``offered``, occupancy weighted by
        ``scheduled``; ``under``/``over_agent_intervals`` sum ``max(0, required - scheduled)``
        and ``max(0, scheduled - required)``; ``under_intervals`` counts intervals short.
    """
    if freq not in ("day", "week", "horizon"):
        problem = FieldProblem("freq", freq, "must be 'day', 'week' or 'horizon'")
        raise InputError("summary", [problem])
    frame = ev.copy()
    day = frame["ds"].dt.normalize()
    if freq == "week":
        day = day - pd.to_timedelta(frame["ds"].dt.day_of_week, unit="D")
    elif freq == "horizon":
        day = pd.Series(day.min(), index=frame.index)
    frame["period"] = day
    gap = frame["required"] - frame["scheduled"]
    frame["under"] = gap.clip(lower=0)
    frame["over"] = (-gap).clip(lower=0)
    rows = []
    for (queue, period), g in frame.groupby(["queue", "period"], sort=True):
        rows.append(
            {
                "queue": queue,
                "period": period,
                "offered": float(g["offered"].sum()),
                "service_level": _weighted(g["service_level"], g["offered"]),
                "asa_s": _weighted(g["asa_s"], g["offered"]),
                "p_abandon": _weighted(g["p_abandon"], g["offered"]),
                "occupancy": _weighted(g["occupancy"], g["scheduled"]),
                "scheduled": float(g["scheduled"].sum()),
                "required": float(g["required"].sum()),
                "under_agent_intervals": float(g["under"].sum()),
                "over_agent_intervals": float(g["over"].sum()),
                "under_intervals": int((g["under"] > 0).sum()),
            }
        )
    return pd.DataFrame(rows)
