"""Plain tables of a roster for planners: one row per agent shift, times as HH:MM."""

from __future__ import annotations

import pandas as pd

from scheduler.roster.result import Roster, Shift

ROSTER_CSV_COLUMNS = (
    "agent",
    "date",
    "template",
    "start",
    "end",
    "paid_minutes",
    "breaks",
    "activities",
)


def _spans(shift: Shift) -> tuple[str, str]:
    breaks = "; ".join(
        f"{b.name} {shift.clock(b.start)}-{shift.clock(b.end)}" for b in shift.breaks
    )
    activities = "; ".join(
        f"{a.queue} {shift.clock(a.start)}-{shift.clock(a.end)}" for a in shift.activities
    )
    return breaks, activities


def roster_table(roster: Roster) -> pd.DataFrame:
    """One row per shift, ordered by agent then date (end past 24:00 means the next day).

    Parameters
    ----------
    roster
        The roster to tabulate.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ROSTER_CSV_COLUMNS`.
    """
    rows = []
    for shift in sorted(roster.shifts, key=lambda s: (s.agent, s.day)):
        breaks, activities = _spans(shift)
        rows.append(
            {
                "agent": shift.agent,
                "date": shift.date(roster.horizon_start).isoformat(),
                "template": shift.template,
                "start": shift.clock(shift.start),
                "end": shift.clock(shift.end),
                "paid_minutes": shift.paid_minutes,
                "breaks": breaks,
                "activities": activities,
            }
        )
    return pd.DataFrame(rows, columns=list(ROSTER_CSV_COLUMNS))
