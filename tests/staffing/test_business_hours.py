"""Deferred deadlines in business hours: the clock, the requirements' due_by, the evaluator."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scheduler.model.queue import Queue
from scheduler.staffing.business_hours import BusinessClock
from scheduler.staffing.evaluate import evaluate_schedule
from scheduler.staffing.requirements import build_requirements


def bank_hours(date: dt.date) -> list[tuple[int, int]]:
    """The Anonymous Bank's week: Sun-Thu 07-24, Friday 07-14, Saturday 20-24."""
    weekday = date.weekday()  # Monday = 0
    if weekday == 4:
        return [(7 * 60, 14 * 60)]
    if weekday == 5:
        return [(20 * 60, 24 * 60)]
    return [(7 * 60, 24 * 60)]


@pytest.fixture
def email() -> Queue:
    """Email due within 4 hours, no shrinkage, no occupancy cap."""
    return Queue.model_validate(
        {
            "id": "email",
            "channel": "email",
            "goal": {"service_level": 0.9, "deadline_minutes": 240},
            "max_occupancy": 1.0,
        }
    )


def _friday(offered_at_1330: float = 12.0) -> pd.DataFrame:
    """Friday 1999-06-25 12:00 to Sunday 12:00 at 30 min; email only at 13:30 (20 min each)."""
    ds = pd.date_range("1999-06-25 12:00", "1999-06-27 11:30", freq="30min")
    offered = np.where(ds == pd.Timestamp("1999-06-25 13:30"), offered_at_1330, 0.0)
    return pd.DataFrame({"queue": "email", "ds": ds, "offered": offered, "aht_s": 1200.0})


def test_clock_skips_closures() -> None:
    """13:30 Friday + 4 open hours = 23:30 Saturday; arrivals while closed wait for opening."""
    friday = pd.Timestamp("1999-06-25 00:00")
    clock = BusinessClock.from_hours(bank_hours, friday, friday + pd.Timedelta(days=1), 240)
    minute = (13 * 60 + 30, 16 * 60)  # Friday 13:30 (open), Friday 16:00 (closed)
    due = clock.due(np.array(minute, dtype=float), 240)
    assert due[0] == pytest.approx(1440 + 23 * 60 + 30)  # Saturday 23:30
    assert due[1] == pytest.approx(1440 + 24 * 60)  # opens Sat 20:00, 4 h later: Sunday 00:00
    assert clock.open_minutes(13 * 60, 15 * 60) == pytest.approx(60)
    # Always open: business time is clock time.
    always = BusinessClock.from_hours(lambda d: [(0, 1440)], friday, friday, 240)
    assert always.due(np.array([100.0]), 240)[0] == pytest.approx(340)


def test_clock_refuses_a_site_that_never_opens() -> None:
    """No open time at all: a clear error, not an endless loop."""
    t = pd.Timestamp("2024-01-01")
    with pytest.raises(ValueError, match="open minutes"):
        BusinessClock.from_hours(lambda d: [], t, t, 60)


def test_email_before_friday_closing_is_due_saturday_night(email: Queue) -> None:
    """The brief's example: due_by Saturday 23:30, and the need sits only in open intervals."""
    req = build_requirements(_friday(), [email], 30, open_hours=bank_hours)
    row = req[req["ds"] == pd.Timestamp("1999-06-25 13:30")].iloc[0]
    assert row["due_by"] == pd.Timestamp("1999-06-26 23:30")
    closed = req["ds"].map(
        lambda t: not any(s <= t.hour * 60 + t.minute < e for s, e in bank_hours(t.date()))
    )
    assert (req.loc[closed, "required_agents"] == 0).all()
    # 240 agent-minutes over the 4 open hours in the window: 1 agent per open interval.
    window = (req["ds"] >= "1999-06-25 13:30") & (req["ds"] < "1999-06-26 23:30") & ~closed
    np.testing.assert_allclose(req.loc[window, "required_agents"], 1.0)
    assert req["required_agents"].sum() * 30 == pytest.approx(240)
    assert row["service_level"] == pytest.approx(1.0)


def test_wall_clock_due_by_and_old_behaviour(email: Queue) -> None:
    """Without opening hours the deadline is clock time: due_by = ds + 4 h, need in 8 intervals."""
    req = build_requirements(_friday(), [email], 30)
    row = req[req["ds"] == pd.Timestamp("1999-06-25 13:30")].iloc[0]
    assert row["due_by"] == pd.Timestamp("1999-06-25 17:30")
    assert int((req["required_agents"] > 0).sum()) == 8
    assert pd.isna(req["due_by"]).sum() == 0


def test_evaluator_follows_due_by(email: Queue) -> None:
    """Staffed as required, business-hours work is on time; judged by clock time it would not be."""
    fc = _friday()
    req = build_requirements(fc, [email], 30, open_hours=bank_hours)
    sched = req.loc[:, ["queue", "ds"]].assign(scheduled=req["scheduled_needed"])
    ev = evaluate_schedule(req, sched, [email], 30)
    at = ev["ds"] == pd.Timestamp("1999-06-25 13:30")
    assert ev.loc[at, "service_level"].iloc[0] == pytest.approx(1.0)
    clock_time = evaluate_schedule(req.drop(columns="due_by"), sched, [email], 30)
    assert clock_time.loc[at, "service_level"].iloc[0] < 0.5


def test_immediate_rows_have_no_due_by() -> None:
    """Voice rows leave due_by blank."""
    voice = Queue.model_validate(
        {"id": "v", "channel": "voice", "goal": {"service_level": 0.8, "answer_seconds": 20}}
    )
    fc = pd.DataFrame(
        {
            "queue": "v",
            "ds": pd.date_range("2024-01-01", periods=2, freq="30min"),
            "offered": [10.0, 0.0],
            "aht_s": 180.0,
        }
    )
    req = build_requirements(fc, [voice], 30, open_hours=bank_hours)
    assert req["due_by"].isna().all()
