"""Evaluating a schedule: immediate queues by Erlang, deferred by the backlog, summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scheduler.errors import InputError
from scheduler.model.queue import Queue
from scheduler.staffing.evaluate import EVALUATION_COLUMNS, evaluate_schedule, summarize_evaluation
from scheduler.staffing.requirements import build_requirements, parse_sl_curve


@pytest.fixture
def queues() -> list[Queue]:
    """A voice queue with patience and shrinkage, and a back-office queue with a 1 h deadline."""
    return [
        Queue.model_validate(
            {
                "id": "voice",
                "channel": "voice",
                "goal": {"service_level": 0.8, "answer_seconds": 20},
                "shrinkage": 0.2,
                "patience_seconds": 240,
            }
        ),
        Queue.model_validate(
            {"id": "bo", "channel": "back_office", "goal": {"deadline_minutes": 60}}
        ),
    ]


@pytest.fixture
def requirements(queues: list[Queue]) -> pd.DataFrame:
    """Two days of hourly-shaped demand at 30-minute intervals on both queues."""
    ds = pd.date_range("2024-01-01", periods=96, freq="30min")
    shape = np.clip(np.sin(np.arange(96) / 48 * 2 * np.pi - 1.6) * 80 + 40, 0, None).round()
    fc = pd.concat(
        [
            pd.DataFrame({"queue": "voice", "ds": ds, "offered": shape, "aht_s": 200.0}),
            pd.DataFrame({"queue": "bo", "ds": ds, "offered": shape / 4, "aht_s": 600.0}),
        ]
    )
    return build_requirements(fc, queues, 30)


def _schedule(req: pd.DataFrame, delta: int = 0) -> pd.DataFrame:
    out = req.loc[:, ["queue", "ds"]].copy()
    out["scheduled"] = (req["scheduled_needed"] + delta).clip(lower=0)
    return out


def test_scheduling_the_need_meets_the_goal(
    queues: list[Queue], requirements: pd.DataFrame
) -> None:
    """Scheduling exactly scheduled_needed reproduces the predicted service level."""
    ev = evaluate_schedule(requirements, _schedule(requirements), queues, 30)
    assert tuple(ev.columns) == EVALUATION_COLUMNS
    voice = ev[ev["queue"] == "voice"].reset_index(drop=True)
    req_voice = requirements[requirements["queue"] == "voice"].reset_index(drop=True)
    busy = voice["offered"] > 0
    assert (voice.loc[busy, "service_level"] >= 0.8).all()
    np.testing.assert_allclose(voice["service_level"], req_voice["service_level"], atol=1e-6)
    assert voice["p_abandon"].notna().all()
    bo = ev[ev["queue"] == "bo"]
    assert (bo["service_level"] >= 1 - 1e-9).all() and bo["p_abandon"].isna().all()


def test_value_of_an_agent_matches_the_curve(
    queues: list[Queue], requirements: pd.DataFrame
) -> None:
    """Evaluating m and m + 1 agents gives the SL difference the curve promises the roster."""
    row = requirements[(requirements["queue"] == "voice") & (requirements["offered"] > 50)].iloc[0]
    curve = parse_sl_curve(row)
    sched = pd.DataFrame(
        {"queue": "voice", "ds": [row["ds"]] * 1, "scheduled": [row["scheduled_needed"] - 3]}
    )
    ev = evaluate_schedule(requirements, sched, queues, 30)
    got = ev[ev["ds"] == row["ds"]].iloc[0]
    assert got["service_level"] == pytest.approx(curve[row["scheduled_needed"] - 3], abs=1e-6)


def test_understaffing_hurts_and_is_counted(
    queues: list[Queue], requirements: pd.DataFrame
) -> None:
    """Two agents short everywhere: lower service, more abandonment, gaps in the summary."""
    full = evaluate_schedule(requirements, _schedule(requirements), queues, 30)
    short = evaluate_schedule(requirements, _schedule(requirements, -2), queues, 30)
    s_full = summarize_evaluation(full, "day")
    s_short = summarize_evaluation(short, "day")
    assert list(s_full.columns)[:4] == ["queue", "period", "offered", "service_level"]
    assert len(s_full) == 4  # 2 queues x 2 days
    merged = s_full.merge(s_short, on=["queue", "period"], suffixes=("_full", "_short"))
    assert (merged["service_level_short"] < merged["service_level_full"]).all()
    assert (merged["under_agent_intervals_full"] == 0).all()
    assert (merged["under_agent_intervals_short"] > 0).all()
    week = summarize_evaluation(short, "week")
    assert len(week) == 2
    voice_week = week[week["queue"] == "voice"].iloc[0]
    voice_days = s_short[s_short["queue"] == "voice"]
    expect = (voice_days["service_level"] * voice_days["offered"]).sum() / voice_days[
        "offered"
    ].sum()
    assert voice_week["service_level"] == pytest.approx(expect)


def test_deferred_backlog_carries_over(queues: list[Queue], requirements: pd.DataFrame) -> None:
    """Nobody on back office in the morning: late work there, recovered later by capacity."""
    sched = _schedule(requirements)
    morning = (sched["queue"] == "bo") & (sched["ds"] < "2024-01-01 12:00")
    busy = requirements["offered"] > 0
    sched.loc[morning, "scheduled"] = 0
    ev = evaluate_schedule(requirements, sched, queues, 30)
    bo = ev[(ev["queue"] == "bo") & morning.to_numpy() & busy.to_numpy()]
    assert (bo["service_level"] < 1).any()


def test_bad_schedule_is_reported(queues: list[Queue], requirements: pd.DataFrame) -> None:
    """Negative counts and unknown queues name the row and value."""
    sched = _schedule(requirements)
    sched.loc[0, "scheduled"] = -1
    sched.loc[1, "queue"] = "ghost"
    with pytest.raises(InputError) as err:
        evaluate_schedule(requirements, sched, queues, 30)
    assert "schedule.scheduled[row 0]" in str(err.value) and "ghost" in str(err.value)
    with pytest.raises(InputError, match="freq"):
        summarize_evaluation(
            evaluate_schedule(requirements, _schedule(requirements), queues, 30), "month"
        )
