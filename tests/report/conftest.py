"""Tiny named fixtures for the roster report, plus a realistic week to check size and looks.

``build_week`` is a plain function (not only a fixture) so the same week can be rendered by hand
for a visual check::

    cd tests/report && PYTHONPATH=../.. ../../.venv/bin/python -c \
        "import conftest; conftest.write_sample('/tmp/report.html')"
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from scheduler.model import WEEKDAYS, Scenario
from scheduler.roster.result import (
    ActivitySpan,
    AgentFairness,
    BreakSpan,
    ChangedDay,
    Result,
    Roster,
    RosterDiff,
    Shift,
    SolveStatus,
)
from scheduler.scenario import parse_scenario

START = dt.date(2025, 3, 3)  # a Monday
HOSTILE_NAME = "<script>alert('x')</script>"


def scenario_dict(
    agents: list[dict[str, Any]],
    queues: list[dict[str, Any]],
    days: int,
    opening_hours: dict[str, list[dict[str, str]]] | None = None,
) -> dict[str, Any]:
    """A valid scenario mapping around the given agents and queues (open all day by default)."""
    site: dict[str, Any] = {"name": "Lisbon & Co contact centre", "timezone": "Europe/Lisbon"}
    if opening_hours is not None:
        site["opening_hours"] = opening_hours
    return {
        "site": site,
        "horizon": {"start": START.isoformat(), "days": days},
        "queues": queues,
        "contracts": [{"id": "full", "shift_templates": ["day"], "max_minutes_per_week": 2400}],
        "shift_templates": [
            {
                "id": "day",
                "start_earliest": "06:00",
                "start_latest": "14:00",
                "lengths_minutes": [510],
                "breaks": [
                    {
                        "name": "lunch",
                        "minutes": 30,
                        "paid": False,
                        "earliest_after_start": 180,
                        "latest_end_after_start": 330,
                    }
                ],
            }
        ],
        "agents": agents,
    }


TINY_QUEUES: list[dict[str, Any]] = [
    {
        "id": "calls",
        "name": "Retail calls",
        "channel": "voice",
        "goal": {"service_level": 0.8, "answer_seconds": 20},
    },
    {
        "id": "mail",
        "name": "Email",
        "channel": "email",
        "goal": {"service_level": 0.9, "deadline_minutes": 240},
    },
]


@pytest.fixture
def tiny_scenario() -> Scenario:
    """Two days, two queues, two agents, one of them with a name that is an HTML script tag."""
    agents = [
        {
            "id": "A1",
            "name": HOSTILE_NAME,
            "skills": {"calls": 1.0, "mail": 1.0},
            "contract": "full",
        },
        {
            "id": "B2",
            "name": "Bea Ortiz",
            "skills": {"calls": 1.0},
            "contract": "full",
            "time_off": [(START + dt.timedelta(days=1)).isoformat()],
        },
    ]
    return parse_scenario(scenario_dict(agents, TINY_QUEUES, days=2))


def _shift(agent: str, day: int, start: int, queues: tuple[str, str]) -> Shift:
    """An 8.5 h shift starting ``start`` minutes after midnight of ``day``, lunch after 4 h."""
    base = day * 1440 + start
    lunch = base + 240
    return Shift(
        agent=agent,
        day=day,
        template="day",
        start=base,
        end=base + 510,
        breaks=(BreakSpan(name="lunch", start=lunch, end=lunch + 30, paid=False),),
        activities=(
            ActivitySpan(queue=queues[0], start=base, end=lunch),
            ActivitySpan(queue=queues[1], start=lunch + 30, end=base + 510),
        ),
        paid_minutes=480,
    )


@pytest.fixture
def tiny_result() -> Result:
    """A feasible roster of three shifts with fairness figures, a diff and solver messages."""
    roster = Roster(
        horizon_start=START,
        days=2,
        interval_minutes=30,
        shifts=(
            _shift("A1", 0, 480, ("calls", "mail")),
            _shift("A1", 1, 540, ("mail", "calls")),
            _shift("B2", 0, 600, ("calls", "calls")),
        ),
    )
    return Result(
        status=SolveStatus.FEASIBLE,
        objective=1234.5,
        bound=1200.0,
        gap=0.0279,
        seconds=12.34,
        roster=roster,
        objective_terms={"service": -900.0, "understaffing": 300.5},
        fairness=(
            AgentFairness(
                agent="A1",
                paid_minutes=960,
                target_minutes=1200,
                weekends=0,
                nights=0,
                late_finishes=1,
                early_starts=0,
                preferences_granted=1,
                preferences_asked=2,
            ),
            AgentFairness(
                agent="B2",
                paid_minutes=480,
                target_minutes=480,
                weekends=0,
                nights=0,
                late_finishes=0,
                early_starts=0,
            ),
        ),
        diff=RosterDiff(
            changed_days=(
                ChangedDay(agent="A1", day=1, before="08:00-16:30", after="09:00-17:30"),
            ),
            moved_minutes=60,
        ),
        messages=("LNS stopped at the time limit", "<b>not bold</b>"),
    )


def evaluation_for(roster: Roster, scenario: Scenario, required: dict[str, float]) -> pd.DataFrame:
    """Evaluation rows for every queue on every open interval 06:00-22:00 of the horizon.

    ``scheduled`` is counted from the roster's activities; ``required`` is constant per queue;
    the service level rises with the surplus so shortfalls show as misses.
    """
    step = roster.interval_minutes
    rows = []
    for queue in scenario.queues:
        for day in range(roster.days):
            for minute in range(day * 1440 + 360, day * 1440 + 1320, step):
                scheduled = roster.on_queue(queue.id, minute)
                need = required[queue.id]
                rows.append(
                    {
                        "queue": queue.id,
                        "ds": pd.Timestamp(START) + pd.Timedelta(minutes=minute),
                        "offered": 10.0,
                        "scheduled": scheduled,
                        "required": need,
                        "service_level": float(np.clip(0.8 + 0.1 * (scheduled - need), 0, 1)),
                        "asa_s": 15.0,
                        "p_abandon": 0.02,
                        "occupancy": 0.8,
                    }
                )
    return pd.DataFrame(rows)


def requirements_from(evaluation: pd.DataFrame) -> pd.DataFrame:
    """A requirements table consistent with ``evaluation`` (the report reads the evaluation)."""
    frame = evaluation[["queue", "ds", "offered"]].copy()
    frame["channel"] = "voice"
    frame["aht_s"] = 300.0
    frame["required_agents"] = evaluation["required"] - 0.4
    frame["required_int"] = evaluation["required"].astype(int)
    frame["scheduled_needed"] = evaluation["required"]
    return frame


@pytest.fixture
def tiny_evaluation(tiny_result: Result, tiny_scenario: Scenario) -> pd.DataFrame:
    """Predicted service of the tiny roster: one agent needed on calls, one on email."""
    return evaluation_for(tiny_result.roster, tiny_scenario, {"calls": 1.0, "mail": 1.0})


@pytest.fixture
def tiny_requirements(tiny_evaluation: pd.DataFrame) -> pd.DataFrame:
    """Requirements matching the tiny evaluation."""
    return requirements_from(tiny_evaluation)


@pytest.fixture
def tiny_summary() -> dict[str, Any]:
    """A summary shaped like ``scheduler.pipeline.summarize`` with recognisable numbers."""
    return {
        "solver": {
            "status": "FEASIBLE",
            "objective": 1234.5,
            "bound": 1200.0,
            "gap": 0.0279,
            "seconds": 12.34,
            "seed": 7,
            "objective_terms": {},
        },
        "paid_hours": 24.0,
        "agents_rostered": 2,
        "agents_available": 2,
        "shifts": 3,
        "service_by_queue_week": [
            {"queue": "calls", "service_level": 0.8123, "offered": 1000},
            {"queue": "mail", "service_level": 0.95, "offered": 200},
        ],
        "service_by_queue_day": [
            {"queue": "calls", "date": "2025-03-03", "service_level": 0.8771, "offered": 500},
            {"queue": "calls", "date": "2025-03-04", "service_level": 0.6543, "offered": 500},
            {"queue": "mail", "date": "2025-03-03", "service_level": 0.95, "offered": 100},
            {"queue": "mail", "date": "2025-03-04", "service_level": 0.88, "offered": 100},
        ],
        "messages": ["LNS stopped at the time limit", "<b>not bold</b>"],
    }


# --- a realistic week: 60 agents, 4 queues, 7 days, 30-minute grid -------------------------

WEEK_QUEUES: list[dict[str, Any]] = [
    {
        "id": "retail",
        "name": "Retail banking",
        "channel": "voice",
        "goal": {"service_level": 0.8, "answer_seconds": 20},
        "patience_seconds": 120,
    },
    {
        "id": "business",
        "name": "Business banking",
        "channel": "voice",
        "goal": {"service_level": 0.8, "answer_seconds": 30},
    },
    {
        "id": "chat",
        "name": "Web chat",
        "channel": "chat",
        "goal": {"service_level": 0.8, "answer_seconds": 60},
        "max_concurrency": 2,
    },
    {
        "id": "email",
        "name": "Email",
        "channel": "email",
        "goal": {"service_level": 0.9, "deadline_minutes": 480},
    },
]

_SKILL_SETS = (("retail",), ("retail", "chat"), ("business", "retail"), ("email", "chat"))
_NAMES = ("Ana", "Bruno", "Carla", "Diogo", "Eva", "Filipe", "Gabi", "Hugo", "Inês", "João")
_SURNAMES = ("Silva", "Costa", "Santos", "Pereira", "Ferreira", "Oliveira")


def _week_agents(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"A{i + 1:03d}",
            "name": f"{_NAMES[i % len(_NAMES)]} {_SURNAMES[i % len(_SURNAMES)]}",
            "skills": {q: 1.0 for q in _SKILL_SETS[i % len(_SKILL_SETS)]},
            "contract": "full",
        }
        for i in range(count)
    ]


def _week_shift(index: int, agent: dict[str, Any], day: int, rng: np.random.Generator) -> Shift:
    """A shift between 07:00 and 14:00 with two paid 15-min breaks and an unpaid lunch."""
    start = day * 1440 + 420 + 30 * int(rng.integers(0, 15))
    skills = list(agent["skills"])
    breaks = (
        BreakSpan(name="break", start=start + 120, end=start + 135),
        BreakSpan(name="lunch", start=start + 240, end=start + 270, paid=False),
        BreakSpan(name="break", start=start + 390, end=start + 405),
    )
    blocks = [(start, start + 120), (start + 135, start + 240), (start + 270, start + 390)]
    blocks.append((start + 405, start + 510))
    activities = tuple(
        ActivitySpan(queue=skills[(k + index) % len(skills)], start=a, end=b)
        for k, (a, b) in enumerate(blocks)
        if not (k == 3 and index % 7 == 0)  # some agents end the day unassigned (idle)
    )
    return Shift(
        agent=agent["id"],
        day=day,
        template="day",
        start=start,
        end=start + 510,
        breaks=breaks,
        activities=activities,
        paid_minutes=480,
    )


def build_week(
    agent_count: int = 60, seed: int = 3
) -> tuple[Scenario, pd.DataFrame, Result, pd.DataFrame, dict[str, Any]]:
    """Scenario, requirements, result, evaluation and summary of a realistic week."""
    rng = np.random.default_rng(seed)
    agents = _week_agents(agent_count)
    hours = {day: [{"start": "07:00", "end": "23:00"}] for day in WEEKDAYS[:6]}
    hours["sun"] = [{"start": "08:00", "end": "22:30"}]
    scenario = parse_scenario(scenario_dict(agents, WEEK_QUEUES, days=7, opening_hours=hours))
    shifts = []
    for i, agent in enumerate(agents):
        off = {i % 7, (i + 1) % 7}  # two consecutive days off, rotating through the week
        shifts += [_week_shift(i, agent, d, rng) for d in range(7) if d not in off]
    roster = Roster(horizon_start=START, days=7, interval_minutes=30, shifts=tuple(shifts))
    evaluation = _week_evaluation(roster, scenario, rng)
    fairness = tuple(
        AgentFairness(
            agent=a["id"],
            paid_minutes=sum(s.paid_minutes for s in roster.shifts_of(a["id"])),
            target_minutes=2400 if i % 5 else 2100,
            weekends=int(rng.integers(0, 2)),
            nights=0,
            late_finishes=int(rng.integers(0, 3)),
            early_starts=int(rng.integers(0, 3)),
            preferences_granted=i % 3,
            preferences_asked=2 if i % 3 else 0,
        )
        for i, a in enumerate(agents)
    )
    result = Result(
        status=SolveStatus.FEASIBLE,
        objective=-48211.7,
        bound=-49012.0,
        gap=0.0163,
        seconds=58.2,
        seed=seed,
        roster=roster,
        objective_terms={"service": -52000.0, "understaffing": 3200.0, "fairness": 588.3},
        fairness=fairness,
        messages=("constructive start in 0.8 s", "LNS: 412 neighbourhoods, 37 improving"),
    )
    summary = {
        "solver": {
            "status": "FEASIBLE",
            "objective": -48211.7,
            "bound": -49012.0,
            "gap": 0.0163,
            "seconds": 58.2,
            "seed": seed,
            "objective_terms": {},
        },
        "paid_hours": round(sum(s.paid_minutes for s in roster.shifts) / 60, 1),
        "agents_rostered": agent_count,
        "agents_available": agent_count,
        "shifts": len(roster.shifts),
        "service_by_queue_week": [],
        "service_by_queue_day": [],
        "messages": list(result.messages),
    }
    return scenario, requirements_from(evaluation), result, evaluation, summary


def _week_evaluation(roster: Roster, scenario: Scenario, rng: np.random.Generator) -> pd.DataFrame:
    """Scheduled per queue x interval from the roster; a requirement that roughly follows it."""
    step, slots = 30, 7 * 48
    scheduled = {q.id: np.zeros(slots) for q in scenario.queues}
    for shift in roster.shifts:
        for act in shift.activities:
            scheduled[act.queue][act.start // step : act.end // step] += 1
    frames = []
    for queue in scenario.queues:
        have = scheduled[queue.id]
        need = np.clip(np.round(have + rng.normal(0.3, 1.3, slots)), 0, None) * (have > 0)
        offered = need * 6.0
        level = np.clip(0.82 + 0.06 * (have - need) + rng.normal(0, 0.02, slots), 0, 1)
        frames.append(
            pd.DataFrame(
                {
                    "queue": queue.id,
                    "ds": pd.Timestamp(START) + pd.to_timedelta(np.arange(slots) * step, "min"),
                    "offered": offered,
                    "scheduled": have,
                    "required": need,
                    "service_level": level,
                    "asa_s": 12.0,
                    "p_abandon": 0.03,
                    "occupancy": 0.82,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def write_sample(path: str) -> None:
    """Render the realistic week to ``path`` for a look in a browser."""
    from scheduler.report.html import render_report

    scenario, requirements, result, evaluation, summary = build_week()
    document = render_report(scenario, requirements, result, evaluation, summary)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(document)


@pytest.fixture(scope="module")
def realistic_week() -> tuple[Scenario, pd.DataFrame, Result, pd.DataFrame, dict[str, Any]]:
    """Sixty agents over seven days on a 30-minute grid, four queues (see :func:`build_week`)."""
    return build_week()
