"""Tiny named roster fixtures: a few agents, a few days, 30-minute intervals.

Requirements frames are written by hand here (the staffing stage builds them in production) with
the same columns: ``queue, ds, channel, offered, aht_s, scheduled_needed, curve_start, sl_curve,
work_minutes, deadline_minutes``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.model import (
    WEEKDAYS,
    Agent,
    BreakRule,
    Channel,
    Contract,
    Horizon,
    Queue,
    Rules,
    Scenario,
    ServiceGoal,
    ShiftTemplate,
    Site,
    TimeWindow,
)

MONDAY = dt.date(2025, 3, 3)
SL_CURVE = "0.35;0.62;0.80;0.90;0.95;0.98"
"""Service level with 1, 2, ... agents on queue (curve_start 1): concave, like Erlang C."""


def tiny_scenario(days: int = 3, agents: int = 4, **contract_overrides: object) -> Scenario:
    """Two voice queues (V1, V2), ``agents`` agents, day shifts 08:00-12:00 starts, 8 h long.

    Agent A0 has both skills, the others one each (alternating); one 30-minute break per shift
    between 3 h and 5 h after the start.
    """
    site = Site(
        name="tiny",
        interval_minutes=30,
        opening_hours={day: [TimeWindow(start=8 * 60, end=20 * 60)] for day in WEEKDAYS},
    )
    goal = ServiceGoal(service_level=0.8, answer_seconds=20)
    queues = [
        Queue(id="V1", channel=Channel.VOICE, goal=goal),
        Queue(id="V2", channel=Channel.VOICE, goal=goal),
    ]
    template = ShiftTemplate(
        id="day",
        kind="day",
        start_earliest=8 * 60,
        start_latest=12 * 60,
        start_step_minutes=60,
        lengths_minutes=[480],
        breaks=[
            BreakRule(
                name="lunch",
                minutes=30,
                paid=False,
                earliest_after_start=180,
                latest_end_after_start=300,
            )
        ],
    )
    terms: dict[str, object] = {
        "id": "std",
        "min_minutes_per_week": 0,
        "max_minutes_per_week": 2400,
        "max_days": 5,
        "shift_templates": ["day"],
        "min_rest_minutes": 660,
    }
    terms.update(contract_overrides)
    contract = Contract.model_validate(terms)
    people = []
    for i in range(agents):
        skills = {"V1": 1.0, "V2": 1.0} if i == 0 else {("V1" if i % 2 else "V2"): 1.0}
        people.append(Agent(id=f"A{i}", skills=skills, contract="std"))
    return Scenario(
        site=site,
        horizon=Horizon(start=MONDAY, days=days),
        queues=queues,
        contracts=[contract],
        shift_templates=[template],
        agents=people,
        rules=Rules(),
    )


def tiny_requirements(scenario: Scenario, peak: int = 2) -> pd.DataFrame:
    """Both queues need ``peak`` agents 10:00-16:00 and one otherwise while open."""
    rows = []
    for day in range(scenario.horizon.days):
        date = scenario.horizon.start + dt.timedelta(days=day)
        for minute in range(8 * 60, 20 * 60, 30):
            need = peak if 10 * 60 <= minute < 16 * 60 else 1
            for queue in ("V1", "V2"):
                rows.append(
                    {
                        "queue": queue,
                        "ds": pd.Timestamp(date) + pd.Timedelta(minutes=minute),
                        "channel": "voice",
                        "offered": 10.0 * need,
                        "aht_s": 240.0,
                        "scheduled_needed": need,
                        "curve_start": 1,
                        "sl_curve": SL_CURVE,
                        "work_minutes": 40.0 * need,
                        "deadline_minutes": None,
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture
def scenario() -> Scenario:
    """Four agents, two voice queues, three days (see :func:`tiny_scenario`)."""
    return tiny_scenario()


@pytest.fixture
def requirements(scenario: Scenario) -> pd.DataFrame:
    """Hand-made requirements for :func:`scenario`: peak of two per queue midday."""
    return tiny_requirements(scenario)


@pytest.fixture
def make_scenario():  # type: ignore[no-untyped-def]
    """Factory :func:`tiny_scenario` for tests that vary the contract or the size."""
    return tiny_scenario


@pytest.fixture
def make_requirements():  # type: ignore[no-untyped-def]
    """Factory :func:`tiny_requirements`."""
    return tiny_requirements
