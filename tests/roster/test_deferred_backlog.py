"""Deferred work: capacity offered before work arrives must not count (FIFO backlog)."""

from __future__ import annotations

import numpy as np

from scheduler.roster.cpsat.constraints.deferred import lateness


def test_capacity_before_arrival_is_wasted() -> None:
    """60 agent-minutes arrive in interval 2 with a one-interval deadline.

    Two agents in interval 0 offer 60 minutes, but nothing has arrived yet: the work is still
    overdue at interval 2. The old cumulative-capacity rule would have called it done.
    """
    work = np.array([0, 0, 60, 0])
    due = np.cumsum(work)  # deadline of one interval: due by the end of its own interval
    arrived = np.cumsum(work)
    early = lateness(due, arrived, np.array([2, 0, 0, 0]), 30)
    on_time = lateness(due, arrived, np.array([0, 0, 2, 0]), 30)
    assert early.tolist() == [0, 0, 60, 60]
    assert on_time.tolist() == [0, 0, 0, 0]


def test_matches_a_step_by_step_fifo_simulation() -> None:
    """Random work and staffing: the closed form equals Lindley's recursion step by step."""
    rng = np.random.default_rng(7)
    for _ in range(50):
        work = rng.integers(0, 80, size=30)
        counts = rng.integers(0, 3, size=30)
        lag = int(rng.integers(1, 5))
        arrived = np.cumsum(work)
        due = np.concatenate([np.zeros(lag - 1, dtype=int), arrived[: 30 - lag + 1]])
        done, backlog = 0, 0
        expected = []
        for t in range(30):
            backlog += work[t]
            served = min(backlog, 30 * counts[t])
            backlog -= served
            done += served
            expected.append(max(0, due[t] - done))
        assert lateness(due, arrived, counts, 30).tolist() == expected


def test_alternatives_on_leading_axis() -> None:
    """Rows are alternative staffings evaluated at once (used by the allocation)."""
    work = np.array([30, 30, 30])
    due = arrived = np.cumsum(work)
    counts = np.array([[0, 0, 0], [1, 1, 1]])
    late = lateness(due, arrived, counts, 30)
    assert late[0].tolist() == [30, 60, 90] and late[1].tolist() == [0, 0, 0]


def test_due_by_from_business_hours_moves_the_due_interval() -> None:
    """Work arriving Monday 17:00 at a site closing 18:00 with a 2 h deadline.

    On the clock it is due by Monday 19:00 (end of interval 18); with ``due_by`` counted in
    business hours (the staffing stage's output) it is due Tuesday 09:00, the end of interval
    24 + 8 = 32, so nothing is overdue on Monday evening.
    """
    import pandas as pd

    import tests.conftest as shared
    from scheduler.roster.problem_data import build_problem
    from scheduler.scenario import parse_scenario

    raw = shared.tiny_scenario_dict()
    raw["queues"].append(
        {
            "id": "mail",
            "channel": "email",
            "goal": {"service_level": 0.9, "deadline_minutes": 120},
        }
    )
    raw["agents"][0]["skills"]["mail"] = 1.0
    scenario = parse_scenario(raw)
    ds = pd.date_range("2024-01-01", periods=48, freq="60min")
    rows = []
    for queue in ("voice", "mail"):
        for stamp in ds:
            arriving = queue == "mail" and stamp.hour == 17 and stamp.day == 1
            rows.append(
                {
                    "queue": queue,
                    "ds": stamp,
                    "offered": 12.0 if arriving else 0.0,
                    "aht_s": 300.0,
                    "scheduled_needed": 0,
                    "sl_curve": "" if queue == "mail" else "0;0.5;0.9",
                    "curve_start": 0,
                    "work_minutes": 60.0 if arriving else 0.0,
                    "deadline_minutes": 120 if queue == "mail" else None,
                    "due_by": pd.Timestamp("2024-01-02 09:00") if arriving else pd.NaT,
                }
            )
    frame = pd.DataFrame(rows)
    business = build_problem(scenario, frame)
    clock = build_problem(scenario, frame.drop(columns="due_by"))
    mail = business.queues.index("mail")
    # Work is counted in rostered agent-minutes (shrinkage 0, occupancy 1 here: unchanged).
    assert clock.due[mail, 18] == 60 and clock.due[mail, 17] == 0
    assert business.due[mail, 31] == 0 and business.due[mail, 32] == 60
