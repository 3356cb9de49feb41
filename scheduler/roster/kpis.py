"""Coverage and KPIs of a roster, as plain tables for the staffing evaluator and the report.

Light on imports (the solver's stack only for type checking), so the report can use it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scheduler.model import Scenario
from scheduler.roster.result import CoverCount, Roster

if TYPE_CHECKING:
    from scheduler.roster.problem_data import ProblemData


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


def shift_cover_counts(scenario: Scenario, roster: Roster) -> tuple[CoverCount, ...]:
    """Shifts per shift cover row and day of ``roster``, against each row's limits.

    Read from the scenario and the roster alone (not the solver's candidates), so it checks any
    roster: a shift counts for the day it starts on when its template is the row's template or
    has the row's kind.

    Parameters
    ----------
    scenario
        The scenario with its ``shift_cover`` rows.
    roster
        The roster to count.

    Returns
    -------
    tuple of CoverCount
        One per row and horizon day the row applies on, in scenario then day order.
    """
    if not scenario.shift_cover:
        return ()
    kinds = {t.id: t.kind for t in scenario.shift_templates}
    worked = Counter((s.day, s.template) for s in roster.shifts)
    out = []
    for entry, row in enumerate(scenario.shift_cover):
        for day, date in enumerate(scenario.horizon.dates()):
            if not row.applies_on(date):
                continue
            n = sum(
                count
                for (d, template), count in worked.items()
                if d == day and row.counts(template, kinds.get(template, ""))
            )
            out.append(
                CoverCount(
                    entry=entry,
                    label=row.label,
                    date=date,
                    day=day,
                    scheduled=n,
                    min=row.min,
                    target=row.target,
                    max=row.max,
                    shortfall=max(0, row.min - n),
                    excess=0 if row.max is None else max(0, n - row.max),
                    below_target=0 if row.target is None else max(0, row.target - n),
                    above_target=0 if row.target is None else max(0, n - row.target),
                )
            )
    return tuple(out)
