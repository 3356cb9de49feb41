"""Coverage and KPIs of a roster, as plain tables for the staffing evaluator and the report."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduler.roster.problem_data import ProblemData
from scheduler.roster.result import Roster


def coverage_counts(data: ProblemData, roster: Roster) -> np.ndarray:
    """``n[q, t]`` agents on queue ``q`` for the whole of interval ``t`` (demand intervals).

    An agent counts for an interval only if one activity on the queue spans all of it, so an
    interval holding any minute of a break does not count (the solver's convention).
    """
    step = data.interval
    counts = np.zeros((len(data.queues), data.n_demand), dtype=np.int64)
    index = {q: i for i, q in enumerate(data.queues)}
    for shift in roster.shifts:
        for act in shift.activities:
            q = index.get(act.queue)
            if q is None:
                continue
            first = -(-act.start // step)
            last = act.end // step
            lo, hi = max(first, 0), min(last, data.n_demand)
            if hi > lo:
                counts[q, lo:hi] += 1
    return counts


def coverage_frame(data: ProblemData, roster: Roster) -> pd.DataFrame:
    """On-queue agents per queue and interval.

    Parameters
    ----------
    data
        The problem (gives the grid and queues).
    roster
        The roster to count.

    Returns
    -------
    pandas.DataFrame
        Columns ``queue, ds, scheduled`` (``ds`` local naive interval starts), one row per queue
        and interval of the horizon.
    """
    counts = coverage_counts(data, roster)
    origin = pd.Timestamp(data.horizon_start)
    ds = origin + pd.to_timedelta(np.arange(data.n_demand) * data.interval, unit="min")
    frames = [
        pd.DataFrame({"queue": q, "ds": ds, "scheduled": counts[i]})
        for i, q in enumerate(data.queues)
    ]
    return pd.concat(frames, ignore_index=True)
