"""Seeded generator of contact-centre roster instances (scenario + requirements frame).

Used by the benchmarks (60 agents / 3 queues, 300 agents / 6 queues, one week at 15 minutes) and
by tests. Demand follows a two-peak intraday profile, lower at weekends, scaled so the queues
need about ``load`` of the agents' contracted capacity; requirements carry an Erlang C
service-level curve per interval like the staffing stage's output.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pandas as pd

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

CURVE_POINTS = 12


def erlang_c_sl(offered: float, aht_s: float, interval: int, agents: int, target_s: float) -> float:
    """Share answered within ``target_s`` with ``agents`` servers (Erlang C; 0 if unstable)."""
    load = offered * aht_s / (interval * 60.0)
    if agents <= load or offered <= 0:
        return 0.0 if offered > 0 else 1.0
    inv_b = 1.0
    for k in range(1, agents + 1):
        inv_b = 1.0 + inv_b * k / load
    b = 1.0 / inv_b
    c = agents * b / (agents - load * (1 - b))
    return float(max(0.0, 1.0 - c * math.exp(-(agents - load) * target_s / aht_s)))


def generate_instance(
    n_agents: int = 60,
    n_queues: int = 3,
    *,
    interval: int = 15,
    days: int = 7,
    seed: int = 0,
    load: float = 0.9,
    start: dt.date = dt.date(2025, 3, 3),
) -> tuple[Scenario, pd.DataFrame]:
    """A seeded instance.

    Parameters
    ----------
    n_agents, n_queues
        Size. The last queue is an email queue (deferred) when ``n_queues >= 3``.
    interval
        Site interval minutes (15, 30 or 60).
    days
        Horizon length.
    seed
        Random seed: equal seeds give equal instances.
    load
        Required agent-intervals as a share of what the agents could work.
    start
        First day (a Monday by default).
    """
    rng = random.Random(seed)
    hours = {day: [TimeWindow(start=7 * 60, end=22 * 60)] for day in WEEKDAYS}
    site = Site(name="generated", interval_minutes=interval, opening_hours=hours)  # type: ignore[arg-type]
    queues = []
    for i in range(n_queues):
        deferred = n_queues >= 3 and i == n_queues - 1
        if deferred:
            queues.append(
                Queue(
                    id=f"Q{i}",
                    channel=Channel.EMAIL,
                    goal=ServiceGoal(service_level=0.9, deadline_minutes=240),
                )
            )
        else:
            queues.append(
                Queue(
                    id=f"Q{i}",
                    channel=Channel.VOICE,
                    goal=ServiceGoal(service_level=0.8, answer_seconds=20),
                    shrinkage=0.0,
                )
            )
    breaks_8h = [
        BreakRule(name="break1", minutes=15, earliest_after_start=90, latest_end_after_start=180),
        BreakRule(
            name="lunch",
            minutes=30,
            paid=False,
            earliest_after_start=210,
            latest_end_after_start=330,
        ),
        BreakRule(name="break2", minutes=15, earliest_after_start=360, latest_end_after_start=450),
    ]
    templates = [
        ShiftTemplate(
            id="early",
            kind="early",
            start_earliest=7 * 60,
            start_latest=10 * 60,
            start_step_minutes=interval,
            lengths_minutes=[510],
            breaks=breaks_8h,
        ),
        ShiftTemplate(
            id="late",
            kind="late",
            start_earliest=11 * 60,
            start_latest=13 * 60 + 30,
            start_step_minutes=interval,
            lengths_minutes=[510],
            breaks=breaks_8h,
        ),
        ShiftTemplate(
            id="part",
            kind="day",
            start_earliest=8 * 60,
            start_latest=17 * 60,
            start_step_minutes=interval,
            lengths_minutes=[240, 300],
            breaks=[
                BreakRule(
                    name="break1", minutes=15, earliest_after_start=90, latest_end_after_start=210
                )
            ],
        ),
    ]
    contracts = [
        Contract(
            id="full",
            min_minutes_per_week=1920,
            max_minutes_per_week=2400,
            max_days=5,
            min_days=4,
            shift_templates=["early", "late"],
            max_weekends=1,
            min_rest_minutes=660,
        ),
        Contract(
            id="part",
            min_minutes_per_week=720,
            max_minutes_per_week=1500,
            max_days=5,
            shift_templates=["part"],
            min_rest_minutes=660,
        ),
    ]
    agents = []
    for i in range(n_agents):
        primary = i % max(1, n_queues)
        skills = {f"Q{primary}": 1.0}
        if rng.random() < 0.5 and n_queues > 1:
            other = rng.randrange(n_queues)
            skills[f"Q{other}"] = round(rng.uniform(0.7, 1.0), 2)
        contract = "full" if rng.random() < 0.7 else "part"
        agents.append(Agent(id=f"A{i:03d}", skills=skills, contract=contract))
    scenario = Scenario(
        site=site,
        horizon=Horizon(start=start, days=days),
        queues=queues,
        contracts=contracts,
        shift_templates=templates,
        agents=agents,
        rules=Rules(),
    )
    return scenario, _requirements(scenario, rng, load)


def _requirements(scenario: Scenario, rng: random.Random, load: float) -> pd.DataFrame:
    step = scenario.site.interval_minutes
    per_day = 1440 // step
    capacity = 0.0
    for agent in scenario.agents:
        contract = scenario.contract(agent.contract)
        capacity += contract.max_minutes_per_week * 0.88 / step
    capacity *= scenario.horizon.days / 7
    profile = []
    for day, date in enumerate(scenario.horizon.dates()):
        weekday_scale = 0.6 if date.weekday() >= 5 else 1.0
        for k in range(per_day):
            minute = k * step
            if not scenario.site.is_open(date, minute):
                profile.append((day, k, 0.0))
                continue
            hour = minute / 60
            shape = math.exp(-((hour - 10.5) ** 2) / 4) + 0.8 * math.exp(-((hour - 15) ** 2) / 5)
            profile.append((day, k, weekday_scale * (0.25 + shape)))
    total_shape = sum(p for _, _, p in profile)
    queue_share = np.array([rng.uniform(0.6, 1.4) for _ in scenario.queues])
    queue_share /= queue_share.sum()
    rows = []
    origin = pd.Timestamp(scenario.horizon.start)
    aht = 300.0
    for q, queue in enumerate(scenario.queues):
        for day, k, shape in profile:
            if shape <= 0:
                continue
            agents_needed = load * capacity * queue_share[q] * shape / total_shape
            ds = origin + pd.Timedelta(minutes=day * 1440 + k * step)
            if queue.channel.is_deferred:
                work = agents_needed * step
                rows.append(
                    {
                        "queue": queue.id,
                        "ds": ds,
                        "channel": queue.channel.value,
                        "offered": work * 60 / aht,
                        "aht_s": aht,
                        "required_agents": agents_needed,
                        "required_int": math.ceil(agents_needed),
                        "scheduled_needed": math.ceil(agents_needed),
                        "binding": "deadline",
                        "service_level": None,
                        "curve_start": 0,
                        "sl_curve": "",
                        "work_minutes": work,
                        "deadline_minutes": queue.goal.deadline_minutes,
                    }
                )
                continue
            # Offered load such that Erlang C needs about agents_needed.
            offered = max(0.1, (agents_needed - 1.5 * math.sqrt(agents_needed)) * step * 60 / aht)
            target = queue.goal.answer_seconds or 20
            need = 1
            while erlang_c_sl(offered, aht, step, need, target) < 0.8:
                need += 1
            m0 = max(0, need - 4)
            curve = [
                erlang_c_sl(offered, aht, step, m, target) for m in range(m0, m0 + CURVE_POINTS)
            ]
            rows.append(
                {
                    "queue": queue.id,
                    "ds": ds,
                    "channel": queue.channel.value,
                    "offered": offered,
                    "aht_s": aht,
                    "required_agents": offered * aht / (step * 60),
                    "required_int": need,
                    "scheduled_needed": need,
                    "binding": "sl",
                    "service_level": curve[need - m0],
                    "curve_start": m0,
                    "sl_curve": ";".join(f"{x:.4f}" for x in curve),
                    "work_minutes": offered * aht / 60,
                    "deadline_minutes": None,
                }
            )
    return pd.DataFrame(rows)
