"""Build the bundled "Anonymous Bank" example (history and scenario) from the real call records.

Source
------
Per-call records of a small Israeli bank call centre in 1999, collected by the Technion Service
Enterprise Engineering (SEE) lab (I. Guedj and A. Mandelbaum), "Anonymous Bank". The raw monthly
files are tab-separated with one row per call (see the data set's ``README.md``).

What is derived (``history.csv``)
---------------------------------
One row per queue x 30-minute interval, ``queue, ds, offered, aht_s, abandoned``, ``ds`` the
interval start in the site's naive local wall-clock time (Asia/Jerusalem, as recorded). Every
interval of every day of the span is present (48 per day, DST days included: the clock-change
night is closed, so the non-existent or doubled hour holds zeros like any closed interval).

Voice queues, one per call ``type`` (the three biggest that asked for an agent, the rest merged):

- ``voice_retail`` = PS (regular activity), ``voice_prospects`` = NW (potential customers),
  ``voice_stocks`` = NE (stock exchange), ``voice_other`` = TT (call-backs put on hold), IN
  (internet consulting), PE (regular activity in English) and stray codes.

A call is *offered* to the agent queue when it entered the queue (``q_start`` != 0:00:00) or was
served (``outcome`` AGENT). PHANTOM calls are dropped (the data's documentation: "a virtual call
to be ignored"). The interval is that of the queue entry time (``q_start``; for calls served
without queueing, ``vru_exit``), rolled to the next day when it is earlier than the VRU entry
(calls that crossed midnight). ``abandoned`` counts HANG calls with ``q_time`` > 0. ``aht_s`` is
the mean ``ser_time`` of calls served by a named agent (``server`` != NO_SERVER) in the interval,
each capped at :data:`SER_TIME_CAP_S` because a handful of records hold a line for hours; blank
where none was served.

Two synthetic queues are added by a seeded model (``--seed``, default 1999):

- ``chat``: Poisson arrivals with mean ``CHAT_SCALE`` x the total voice offered one hour earlier
  (chat peaks later in the day than voice), times a per-day log-normal factor (sd
  ``CHAT_DAY_SD``), kept to the site's opening hours (the chat desk follows the site hours for
  simplicity). Handle times are gamma distributed with mean ``CHAT_AHT_S``; ``aht_s`` is the
  mean of the interval's draws. ``abandoned`` is binomial with ``CHAT_ABANDON``.
- ``email``: arrivals around the clock, Poisson with mean ``EMAIL_BASE`` per interval plus a
  daytime bulk (a Gaussian bump centred at 12:30, sd 3.5 h, peak ``EMAIL_PEAK`` on Sun-Thu and
  ``EMAIL_WEEKEND_SHARE`` of it on Fri/Sat). Handle times gamma with mean ``EMAIL_AHT_S``;
  ``aht_s`` blank where nothing arrived (email is worked from a backlog, so the per-interval
  mean describes the arrivals' work content). Emails never abandon (0).

The span is ``--weeks`` whole weeks starting on the Sunday ``--start`` (defaults: 16 weeks from
1999-03-07 to 1999-06-26), so the history ends on a Saturday and the planning horizon starts on
the following Sunday (the first day of the week in Israel). It must not touch the months that
are missing from the data (8, 11, 12).

What is generated (``scenario.yaml``)
-------------------------------------
Site hours are read off the data (Sun-Thu 07:00-24:00, Fri 07:00-14:00, Sat 20:00-24:00); the
voice queues' mean patience is estimated from the same span as total waiting time of every call
that queued divided by the number that abandoned (the maximum-likelihood estimate for
exponential patience with served calls as censored observations). Sixty agents are drawn with
a fixed seed: their skill mix, contracts, availability, time off and preferences are documented
in :func:`build_agents`. :func:`workload_estimate` sizes the demand in agent-hours per week
and is printed so the pool can be compared to it.

Usage
-----
``python scripts/build_example.py --data ../shared/data/anonymous-bank-1999 \
--out scheduler/examples/bank [--start 1999-03-07] [--weeks 16] [--seed 1999]``

Reruns with the same arguments produce byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

INTERVAL_MINUTES = 30
INTERVALS_PER_DAY = 1440 // INTERVAL_MINUTES
MISSING_MONTHS = (8, 11, 12)
"""Months of 1999 absent from the raw records."""

SER_TIME_CAP_S = 3600
"""Cap on one call's handle time: a few records keep a line open for hours (max 30,278 s)."""

TYPE_TO_QUEUE: dict[str, str] = {
    "PS": "voice_retail",
    "NW": "voice_prospects",
    "NE": "voice_stocks",
}
"""The three biggest call types that asked for an agent; every other type is ``voice_other``."""
OTHER_VOICE = "voice_other"
VOICE_QUEUES = ("voice_retail", "voice_prospects", "voice_stocks", OTHER_VOICE)
ALL_QUEUES = (*VOICE_QUEUES, "chat", "email")

CHAT_SCALE = 0.12
CHAT_SHIFT_INTERVALS = 2
CHAT_DAY_SD = 0.15
CHAT_AHT_S = 420.0
CHAT_AHT_SHAPE = 2.5
CHAT_ABANDON = 0.04
EMAIL_BASE = 0.4
EMAIL_PEAK = 9.0
EMAIL_WEEKEND_SHARE = 0.3
EMAIL_AHT_S = 300.0
EMAIL_AHT_SHAPE = 2.0

OPENING_HOURS: dict[str, list[tuple[str, str]]] = {
    "sun": [("07:00", "24:00")],
    "mon": [("07:00", "24:00")],
    "tue": [("07:00", "24:00")],
    "wed": [("07:00", "24:00")],
    "thu": [("07:00", "24:00")],
    "fri": [("07:00", "14:00")],
    "sat": [("20:00", "24:00")],
}
"""Grid-aligned site hours read off the data (mean arrivals per weekday x interval, March-June).

Outside them fewer than two calls per interval arrive on average (06:30-07:00 callers wait for
the 07:00 opening; Friday 14:00-14:30 and Saturday 19:30-20:00 hold about one call each).
"""

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SUN_TO_THU = ("sun", "mon", "tue", "wed", "thu")
DEFAULT_START = dt.date(1999, 3, 7)
DEFAULT_WEEKS = 16
DEFAULT_SEED = 1999


# --------------------------------------------------------------------------------------------
# Reading and deriving the voice queues


def read_calls(data_dir: Path, months: Sequence[int]) -> pd.DataFrame:
    """Read raw per-call records of the given months of 1999.

    Parameters
    ----------
    data_dir
        The ``anonymous-bank-1999`` directory (holding ``raw_monthly/<M>.txt``).
    months
        Month numbers to read.

    Returns
    -------
    pandas.DataFrame
        The records as text columns, ``type`` stripped of stray blanks.
    """
    frames = []
    for month in months:
        if month in MISSING_MONTHS:
            raise ValueError(f"month {month} is missing from the Anonymous Bank data")
        path = data_dir / "raw_monthly" / f"{month}.txt"
        frames.append(pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False))
    calls = pd.concat(frames, ignore_index=True)
    calls["type"] = calls["type"].str.strip()
    return calls


def prepare_calls(calls: pd.DataFrame) -> pd.DataFrame:
    """Keep the calls offered to the agent queue and attach their queue and entry time.

    Parameters
    ----------
    calls
        Raw records as returned by :func:`read_calls`.

    Returns
    -------
    pandas.DataFrame
        Columns ``queue``, ``ts`` (queue entry, naive local), ``served`` (bool, by a named
        agent), ``ser_time`` (capped, s), ``abandoned`` (bool), ``q_time`` (s).
    """
    calls = calls[calls["outcome"] != "PHANTOM"]
    offered = (calls["q_start"] != "0:00:00") | (calls["outcome"] == "AGENT")
    calls = calls[offered]
    day = pd.to_datetime("19" + calls["date"], format="%Y%m%d")
    entry_clock = calls["q_start"].where(calls["q_start"] != "0:00:00", calls["vru_exit"])
    ts = day + pd.to_timedelta(entry_clock)
    vru_entry = day + pd.to_timedelta(calls["vru_entry"])
    # The date is that of the VRU entry; a queue entry "earlier" than it happened after midnight.
    ts = ts.where(ts >= vru_entry, ts + pd.Timedelta(days=1))
    q_time = pd.to_numeric(calls["q_time"]).astype("int64")
    return pd.DataFrame(
        {
            "queue": calls["type"].map(TYPE_TO_QUEUE).fillna(OTHER_VOICE),
            "ts": ts,
            "served": (calls["outcome"] == "AGENT") & (calls["server"] != "NO_SERVER"),
            "ser_time": pd.to_numeric(calls["ser_time"]).clip(upper=SER_TIME_CAP_S),
            "abandoned": (calls["outcome"] == "HANG") & (q_time > 0),
            "q_time": q_time,
        }
    ).reset_index(drop=True)


def interval_grid(start: dt.date, days: int) -> pd.DatetimeIndex:
    """Every interval start of ``days`` days from ``start`` (naive local time)."""
    return pd.date_range(
        pd.Timestamp(start), periods=days * INTERVALS_PER_DAY, freq=f"{INTERVAL_MINUTES}min"
    )


def voice_history(prepared: pd.DataFrame, start: dt.date, days: int) -> pd.DataFrame:
    """Aggregate prepared calls to one row per voice queue x interval, gaps filled with zeros.

    Parameters
    ----------
    prepared
        Output of :func:`prepare_calls`.
    start, days
        The span (first date, number of days).

    Returns
    -------
    pandas.DataFrame
        ``queue, ds, offered, aht_s, abandoned`` for every voice queue and interval.
    """
    grid = interval_grid(start, days)
    end = grid[-1] + pd.Timedelta(minutes=INTERVAL_MINUTES)
    inside = prepared[(prepared["ts"] >= grid[0]) & (prepared["ts"] < end)].copy()
    inside["ds"] = inside["ts"].dt.floor(f"{INTERVAL_MINUTES}min")
    inside["served_time"] = inside["ser_time"].where(inside["served"], 0)
    grouped = inside.groupby(["queue", "ds"]).agg(
        offered=("ts", "size"),
        served=("served", "sum"),
        served_time=("served_time", "sum"),
        abandoned=("abandoned", "sum"),
    )
    full = pd.MultiIndex.from_product([list(VOICE_QUEUES), grid], names=["queue", "ds"])
    table = grouped.reindex(full, fill_value=0).reset_index()
    served = table["served"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(served > 0, table["served_time"].to_numpy(dtype=float) / served, np.nan)
    table["aht_s"] = np.round(aht, 1)
    return table[["queue", "ds", "offered", "aht_s", "abandoned"]]


def open_mask(ds: pd.DatetimeIndex | pd.Series) -> np.ndarray:
    """Whether each interval start lies inside :data:`OPENING_HOURS`."""
    stamps = pd.DatetimeIndex(ds)
    minute = np.asarray(stamps.hour * 60 + stamps.minute)
    weekday = np.asarray(stamps.day_of_week)
    mask = np.zeros(len(stamps), dtype=bool)
    for index, key in enumerate(WEEKDAY_KEYS):
        for start, end in OPENING_HOURS[key]:
            lo, hi = _clock(start), _clock(end)
            mask |= (weekday == index) & (minute >= lo) & (minute < hi)
    return mask


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# --------------------------------------------------------------------------------------------
# Synthetic chat and email


def _mean_handle_times(
    rng: np.random.Generator, counts: np.ndarray, mean: float, shape: float
) -> np.ndarray:
    """Mean of ``counts[i]`` gamma(shape, mean/shape) draws per interval (NaN where 0).

    The sum of n such draws is gamma(n * shape, mean/shape), so one draw per interval suffices.
    """
    total = rng.gamma(np.maximum(counts, 1) * shape, mean / shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, np.round(total / np.maximum(counts, 1), 1), np.nan)


def synthetic_history(voice: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Generate the ``chat`` and ``email`` queues (see the module docstring for the model).

    Parameters
    ----------
    voice
        Voice history from :func:`voice_history` (defines the span and the chat profile).
    seed
        Seed of the generator; the same seed gives the same frame.

    Returns
    -------
    pandas.DataFrame
        ``queue, ds, offered, aht_s, abandoned`` for ``chat`` and ``email``.
    """
    rng = np.random.default_rng(seed)
    total = voice.groupby("ds", sort=True)["offered"].sum()
    grid = pd.DatetimeIndex(total.index)
    days = len(grid) // INTERVALS_PER_DAY
    is_open = open_mask(grid)

    # Chat: the voice curve one hour later, scaled, with a per-day level wobble.
    shifted = np.concatenate(
        [np.zeros(CHAT_SHIFT_INTERVALS), total.to_numpy(dtype=float)[:-CHAT_SHIFT_INTERVALS]]
    )
    day_factor = np.repeat(rng.lognormal(0.0, CHAT_DAY_SD, size=days), INTERVALS_PER_DAY)
    chat_rate = np.where(is_open, CHAT_SCALE * shifted * day_factor, 0.0)
    chat_n = rng.poisson(chat_rate)
    chat = pd.DataFrame(
        {
            "queue": "chat",
            "ds": grid,
            "offered": chat_n,
            "aht_s": _mean_handle_times(rng, chat_n, CHAT_AHT_S, CHAT_AHT_SHAPE),
            "abandoned": rng.binomial(chat_n, CHAT_ABANDON),
        }
    )

    # Email: a floor around the clock plus a daytime bulk, lighter on the Israeli weekend.
    hour = np.asarray(grid.hour + grid.minute / 60 + INTERVAL_MINUTES / 120)
    weekend = np.isin(np.asarray(grid.day_of_week), (4, 5))
    bump = EMAIL_PEAK * np.exp(-0.5 * ((hour - 12.5) / 3.5) ** 2)
    email_rate = EMAIL_BASE + np.where(weekend, EMAIL_WEEKEND_SHARE, 1.0) * bump
    email_n = rng.poisson(email_rate)
    email = pd.DataFrame(
        {
            "queue": "email",
            "ds": grid,
            "offered": email_n,
            "aht_s": _mean_handle_times(rng, email_n, EMAIL_AHT_S, EMAIL_AHT_SHAPE),
            "abandoned": 0,
        }
    )
    return pd.concat([chat, email], ignore_index=True)


def build_history(prepared: pd.DataFrame, start: dt.date, days: int, seed: int) -> pd.DataFrame:
    """The whole example history: voice queues from the records plus the synthetic ones.

    Parameters
    ----------
    prepared
        Output of :func:`prepare_calls` covering the span.
    start, days
        The span (first date, number of days).
    seed
        Seed of the synthetic queues.

    Returns
    -------
    pandas.DataFrame
        ``queue, ds, offered, aht_s, abandoned`` sorted by queue (in :data:`ALL_QUEUES` order)
        and time, integer counts, ``aht_s`` NaN where nothing was handled.
    """
    voice = voice_history(prepared, start, days)
    history = pd.concat([voice, synthetic_history(voice, seed)], ignore_index=True)
    history["queue"] = pd.Categorical(history["queue"], categories=list(ALL_QUEUES))
    history = history.sort_values(["queue", "ds"], kind="stable").reset_index(drop=True)
    history["queue"] = history["queue"].astype(str)
    for column in ("offered", "abandoned"):
        history[column] = history[column].astype("int64")
    return history


# --------------------------------------------------------------------------------------------
# Sizing and scenario


def patience_seconds(prepared: pd.DataFrame, start: dt.date, days: int) -> dict[str, float]:
    """Mean patience per voice queue: total waiting time of queued calls / abandonments.

    Served calls are censored observations of patience (the customer would have waited at least
    that long), so with exponential patience the maximum-likelihood mean is the total time
    spent waiting by everyone divided by the number who gave up.
    """
    lo, hi = pd.Timestamp(start), pd.Timestamp(start + dt.timedelta(days=days))
    span = prepared[(prepared["ts"] >= lo) & (prepared["ts"] < hi)]
    result = {}
    for queue in VOICE_QUEUES:
        rows = span[span["queue"] == queue]
        gave_up = int(rows["abandoned"].sum())
        result[queue] = float(round(rows["q_time"].sum() / max(gave_up, 1)))
    return result


def workload_estimate(
    history: pd.DataFrame,
    *,
    headroom: float = 1.3,
    occupancy: float = 0.85,
    shrinkage: float = 0.15,
    chat_concurrency: float = 1 + 0.7 * 2,
) -> pd.DataFrame:
    """Rough paid agent-hours needed per week and queue (the pool is sized against it).

    Per interval the offered load is ``offered * aht_s / interval`` agents; immediate queues
    (voice, chat) need ``max(headroom * load / occupancy, 1)`` while the site is open (a queue
    that is open needs someone even when quiet), chat's load divided by the effective
    concurrency of three chats at 70% efficiency each; email needs its load with no floor (it
    is worked from a backlog). Everything is divided by ``1 - shrinkage`` to get paid time.
    This is a sizing aid for the example, not the product's staffing model.

    Returns
    -------
    pandas.DataFrame
        One row per week (its Sunday), one column per queue plus ``total``, in paid hours.
    """
    frame = history.copy()
    aht = frame["aht_s"].fillna(0.0)
    load = frame["offered"] * aht / (INTERVAL_MINUTES * 60)
    is_chat = frame["queue"] == "chat"
    is_email = frame["queue"] == "email"
    load = load.where(~is_chat, load / chat_concurrency)
    need = np.where(
        is_email,
        load,
        np.where(open_mask(frame["ds"]), np.maximum(headroom * load / occupancy, 1.0), 0.0),
    )
    frame["hours"] = need * (INTERVAL_MINUTES / 60) / (1 - shrinkage)
    frame["week"] = frame["ds"] - pd.to_timedelta((frame["ds"].dt.day_of_week + 1) % 7, unit="D")
    frame["week"] = frame["week"].dt.normalize()
    table = frame.pivot_table(index="week", columns="queue", values="hours", aggfunc="sum")
    table = table[[q for q in ALL_QUEUES if q in table.columns]]
    table["total"] = table.sum(axis=1)
    return table.round(1)


CONTRACTS: list[dict[str, Any]] = [
    {
        "id": "full_time",
        "min_minutes_per_week": 2100,
        "max_minutes_per_week": 2400,
        "min_days": 4,
        "max_days": 5,
        "max_consecutive_days": 5,
        "min_rest_minutes": 660,
        "shift_templates": ["early", "day", "late", "short_early", "evening"],
    },
    {
        "id": "part_time",
        "min_minutes_per_week": 1200,
        "max_minutes_per_week": 1500,
        "min_days": 3,
        "max_days": 5,
        "max_consecutive_days": 5,
        "min_rest_minutes": 660,
        "shift_templates": ["part_day", "short_early"],
    },
    {
        "id": "evening_pt",
        "min_minutes_per_week": 720,
        "max_minutes_per_week": 1200,
        "min_days": 3,
        "max_days": 5,
        "max_consecutive_days": 5,
        "min_rest_minutes": 660,
        "shift_templates": ["evening", "saturday_night"],
    },
]
"""Contracts: full time 35-40 h on 4-5 days, part time 20-25 h, evening part time 12-20 h."""

_EIGHT_HOUR_BREAKS: list[dict[str, Any]] = [
    {
        "name": "break1",
        "minutes": 15,
        "paid": True,
        "earliest_after_start": 90,
        "latest_end_after_start": 180,
    },
    {
        "name": "lunch",
        "minutes": 30,
        "paid": False,
        "earliest_after_start": 180,
        "latest_end_after_start": 330,
    },
    {
        "name": "break2",
        "minutes": 15,
        "paid": True,
        "earliest_after_start": 330,
        "latest_end_after_start": 450,
    },
]
_SHORT_BREAKS: list[dict[str, Any]] = [
    {
        "name": "break",
        "minutes": 15,
        "paid": True,
        "earliest_after_start": 90,
        "latest_end_after_start": 225,
    },
]

SHIFT_TEMPLATES: list[dict[str, Any]] = [
    # Every start x length combination ends by 24:00, when the site closes.
    {
        "id": "early",
        "kind": "early",
        "start_earliest": "07:00",
        "start_latest": "10:00",
        "start_step_minutes": 30,
        "lengths_minutes": [480, 510],
        "breaks": _EIGHT_HOUR_BREAKS,
    },
    {
        "id": "day",
        "kind": "day",
        "start_earliest": "10:30",
        "start_latest": "13:00",
        "start_step_minutes": 30,
        "lengths_minutes": [480, 510],
        "breaks": _EIGHT_HOUR_BREAKS,
    },
    {
        "id": "late",
        "kind": "late",
        "start_earliest": "13:30",
        "start_latest": "16:00",
        "start_step_minutes": 30,
        "lengths_minutes": [480],
        "breaks": _EIGHT_HOUR_BREAKS,
    },
    # Friday closes at 14:00: a short morning shift (also usable as a short weekday shift).
    {
        "id": "short_early",
        "kind": "early",
        "start_earliest": "07:00",
        "start_latest": "08:00",
        "start_step_minutes": 30,
        "lengths_minutes": [300, 360],
        "breaks": _SHORT_BREAKS,
    },
    {
        "id": "part_day",
        "kind": "day",
        "start_earliest": "07:00",
        "start_latest": "18:00",
        "start_step_minutes": 30,
        "lengths_minutes": [240, 300, 360],
        "breaks": _SHORT_BREAKS,
    },
    {
        "id": "evening",
        "kind": "late",
        "start_earliest": "18:00",
        "start_latest": "20:00",
        "start_step_minutes": 30,
        "lengths_minutes": [240],
        "breaks": _SHORT_BREAKS,
    },
    # Saturday night opening after the Sabbath: 20:00-24:00 only.
    {
        "id": "saturday_night",
        "kind": "night",
        "weekdays": ["sat"],
        "start_earliest": "20:00",
        "start_latest": "20:00",
        "start_step_minutes": 30,
        "lengths_minutes": [240],
        "breaks": _SHORT_BREAKS,
    },
]
"""Shift templates; break windows are minutes after the shift start."""

# One string keeps the 30 names on two lines instead of thirty.
_FIRST_NAMES = (  # noqa: SIM905
    "Avi Dana Yossi Noa Eli Maya Ron Tamar Gil Shira Omer Yael Amit Michal Itai Rina Doron Lior "
    "Hila Nadav Sara Ido Efrat Boaz Keren Ariel Orly Tal Galit Ehud"
).split()
_LAST_INITIALS = "ABCDEFGHKLMNPRSTVZ"

SKILL_GROUPS: list[tuple[str, int, dict[str, tuple[float, float]]]] = [
    # (group, agents, queue -> proficiency range); optional skills have a lower bound of 0.
    ("retail", 20, {"voice_retail": (0.85, 1.0), OTHER_VOICE: (0.0, 0.9)}),
    ("stocks", 6, {"voice_stocks": (0.9, 1.0), "voice_retail": (0.8, 0.95)}),
    ("prospects", 8, {"voice_prospects": (0.9, 1.0), "voice_retail": (0.8, 0.95)}),
    (
        "voice_chat",
        10,
        {"voice_retail": (0.85, 1.0), "voice_prospects": (0.0, 0.9), "chat": (0.85, 1.0)},
    ),
    ("digital", 6, {"chat": (0.9, 1.0), "email": (0.9, 1.0)}),
    (
        "other",
        4,
        {OTHER_VOICE: (0.9, 1.0), "voice_retail": (0.8, 0.95), "voice_stocks": (0.0, 0.9)},
    ),
    ("all_round", 6, {q: (0.85, 1.0) for q in ALL_QUEUES}),
]
"""Skill groups of the 60 agents: most voice-only, some voice+chat, a few digital or all-round.

A lower bound of 0 marks an optional skill, held by about half the group.
"""

CONTRACT_MIX: dict[str, tuple[int, int, int]] = {
    # group -> (full_time, part_time, evening_pt)
    "retail": (8, 7, 5),
    "stocks": (3, 2, 1),
    "prospects": (3, 3, 2),
    "voice_chat": (4, 3, 3),
    "digital": (2, 3, 1),
    "other": (2, 1, 1),
    "all_round": (4, 1, 1),
}


def build_agents(horizon_start: dt.date, seed: int) -> list[dict[str, Any]]:
    """Draw the 60 agents of the example with a fixed seed.

    Skills follow :data:`SKILL_GROUPS` with proficiencies drawn uniformly in their range and
    rounded to 0.05; contracts follow :data:`CONTRACT_MIX`. On top of that, deterministic
    variety a planner meets every week: every 7th agent has a day off (``time_off``) inside the
    horizon (Sun-Thu), every 3rd part-timer only works 07:00-15:00 Sun-Thu (school hours),
    every 3rd evening part-timer cannot work Mondays (a study night), every 11th full-timer
    cannot work Fridays and Saturdays (weekday keys left out are unavailable), and every 5th
    agent has a soft preference (a weekday off, a shift kind or a start window).

    Parameters
    ----------
    horizon_start
        First date of the horizon (time off falls inside the following 7 days).
    seed
        Seed of the draws.

    Returns
    -------
    list[dict]
        Agents as scenario-file mappings.
    """
    rng = np.random.default_rng(seed)
    agents: list[dict[str, Any]] = []
    number = 0
    for group, size, skills in SKILL_GROUPS:
        mix = CONTRACT_MIX[group]
        if sum(mix) != size:
            raise ValueError(f"contract mix of group {group} does not add up to {size}")
        contracts = ["full_time"] * mix[0] + ["part_time"] * mix[1] + ["evening_pt"] * mix[2]
        for contract in contracts:
            number += 1
            agent_id = f"A{number:02d}"
            levels: dict[str, float] = {}
            for queue, (lo, hi) in skills.items():
                optional = lo == 0.0
                if optional and rng.random() < 0.5:
                    continue
                low = 0.8 if optional else lo
                levels[queue] = round(float(rng.uniform(low, hi)) * 20) / 20
            name = (
                f"{_FIRST_NAMES[(number - 1) % len(_FIRST_NAMES)]} "
                f"{_LAST_INITIALS[int(rng.integers(len(_LAST_INITIALS)))]}."
            )
            agent: dict[str, Any] = {
                "id": agent_id,
                "name": name,
                "skills": levels,
                "contract": contract,
                "cost_per_hour": {"full_time": 30.0, "part_time": 28.0, "evening_pt": 32.0}[
                    contract
                ],
            }
            if number % 7 == 0:
                # Fridays have few hours; put time off on Sun-Thu where it costs capacity.
                offset = int(rng.integers(0, 5))
                agent["time_off"] = [horizon_start + dt.timedelta(days=offset)]
            if contract == "part_time" and number % 3 == 0:
                school = [{"start": "07:00", "end": "15:00"}]
                agent["availability"] = {day: school for day in SUN_TO_THU}
            elif contract == "evening_pt" and number % 3 == 0:
                evenings = {day: [{"start": "16:00", "end": "24:00"}] for day in SUN_TO_THU}
                evenings["sat"] = [{"start": "20:00", "end": "24:00"}]
                del evenings["mon"]
                agent["availability"] = evenings
            elif contract == "full_time" and number % 11 == 0:
                whole_day = [{"start": "07:00", "end": "24:00"}]
                agent["availability"] = {day: whole_day for day in SUN_TO_THU}
            if number % 5 == 0:
                choice = (number // 5) % 3
                if choice == 0:
                    agent["preferences"] = {"weekdays_off": ["fri"], "weight": 2}
                elif choice == 1:
                    kind = "late" if contract == "evening_pt" else "early"
                    agent["preferences"] = {"shift_kinds": [kind], "weight": 1}
                else:
                    agent["preferences"] = {
                        "start_window": {"start": "08:00", "end": "11:00"}
                        if contract != "evening_pt"
                        else {"start": "18:00", "end": "20:00"},
                        "weight": 1,
                    }
            agents.append(agent)
    return agents


def contract_hours(agents: list[dict[str, Any]]) -> tuple[float, float]:
    """Sum of the agents' weekly contract minimum and maximum, in hours."""
    by_id = {c["id"]: c for c in CONTRACTS}
    lo = sum(by_id[a["contract"]]["min_minutes_per_week"] for a in agents) / 60
    hi = sum(by_id[a["contract"]]["max_minutes_per_week"] for a in agents) / 60
    return lo, hi


def build_scenario(patience: dict[str, float], horizon_start: dt.date, seed: int) -> dict[str, Any]:
    """The example scenario as a plain mapping ready for YAML.

    Parameters
    ----------
    patience
        Mean patience per voice queue, seconds (:func:`patience_seconds`).
    horizon_start
        First day of the horizon (a Sunday, the day after the history ends).
    seed
        Seed of :func:`build_agents`.

    Returns
    -------
    dict
        Sections ``site, horizon, queues, contracts, shift_templates, agents, rules``.
    """
    names = {
        "voice_retail": "Retail banking (PS)",
        "voice_prospects": "Prospective customers (NW)",
        "voice_stocks": "Stock exchange (NE)",
        OTHER_VOICE: "Call-backs, internet, English (TT, IN, PE)",
    }
    queues: list[dict[str, Any]] = [
        {
            "id": queue,
            "name": names[queue],
            "channel": "voice",
            "goal": {"service_level": 0.8, "answer_seconds": 20},
            "patience_seconds": patience[queue],
            "shrinkage": 0.15,
            "max_occupancy": 0.85,
        }
        for queue in VOICE_QUEUES
    ]
    queues.append(
        {
            "id": "chat",
            "name": "Web chat (synthetic)",
            "channel": "chat",
            "goal": {"service_level": 0.8, "answer_seconds": 60},
            "shrinkage": 0.15,
            "max_occupancy": 0.85,
            "max_concurrency": 3,
        }
    )
    queues.append(
        {
            "id": "email",
            "name": "Email (synthetic)",
            "channel": "email",
            "goal": {"service_level": 0.9, "deadline_minutes": 240},
            "shrinkage": 0.15,
        }
    )
    return {
        "site": {
            "name": "Anonymous Bank contact centre (Israel, 1999)",
            "timezone": "Asia/Jerusalem",
            "country": "IL",
            "interval_minutes": INTERVAL_MINUTES,
            "opening_hours": {
                day: [{"start": s, "end": e} for s, e in windows]
                for day, windows in OPENING_HOURS.items()
            },
        },
        "horizon": {"start": horizon_start, "days": 7},
        "queues": queues,
        "contracts": CONTRACTS,
        "shift_templates": SHIFT_TEMPLATES,
        "agents": build_agents(horizon_start, seed),
        "rules": {
            # The Israeli weekend is Friday and Saturday.
            "weekend_days": ["fri", "sat"],
            "forbidden_successions": [["late", "early"], ["night", "early"]],
            # Each queue's own goal first: without this the small voice queues starve on Friday
            # and Saturday while retail sits far above its goal (ObjectiveWeights.goal_shortfall).
            "objective": {"goal_shortfall": 5.0},
        },
    }


# --------------------------------------------------------------------------------------------
# Command line


def _months(start: dt.date, days: int) -> list[int]:
    end = start + dt.timedelta(days=days - 1)
    if end.year != start.year:
        raise ValueError("the span must lie within 1999")
    return list(range(start.month, end.month + 1))


def _check_span(start: dt.date, weeks: int) -> None:
    if start.weekday() != 6:
        raise ValueError(f"--start {start} is not a Sunday (the first day of the Israeli week)")
    if not 12 <= weeks <= 16:
        raise ValueError(f"--weeks {weeks} outside 12..16")
    bad = [m for m in _months(start, weeks * 7) if m in MISSING_MONTHS]
    if bad:
        raise ValueError(f"the span touches month(s) {bad}, missing from the data")


def _write_history(history: pd.DataFrame, path: Path) -> None:
    out = history.copy()
    out["ds"] = out["ds"].dt.strftime("%Y-%m-%d %H:%M:%S")
    out.to_csv(path, index=False, float_format="%.1f", lineterminator="\n")


def _write_scenario(scenario: dict[str, Any], path: Path, header: str) -> None:
    body = yaml.safe_dump(scenario, sort_keys=False, default_flow_style=None, width=100)
    path.write_text(header + body, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Build ``history.csv`` and ``scenario.yaml`` and print the sizing figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, required=True, help="anonymous-bank-1999 directory")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=DEFAULT_START)
    parser.add_argument("--weeks", type=int, default=DEFAULT_WEEKS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    _check_span(args.start, args.weeks)
    days = args.weeks * 7
    horizon_start = args.start + dt.timedelta(days=days)

    prepared = prepare_calls(read_calls(args.data, _months(args.start, days)))
    history = build_history(prepared, args.start, days, args.seed)
    patience = patience_seconds(prepared, args.start, days)
    scenario = build_scenario(patience, horizon_start, args.seed)

    args.out.mkdir(parents=True, exist_ok=True)
    _write_history(history, args.out / "history.csv")
    header = (
        "# Anonymous Bank example scenario, generated by scripts/build_example.py "
        f"(--start {args.start} --weeks {args.weeks} --seed {args.seed}).\n"
        '# Data: Technion SEE lab, "Anonymous Bank" call-centre records, 1999. See README.md.\n'
        "# Clock times are HH:MM local time; break windows are minutes after the shift start.\n"
    )
    _write_scenario(scenario, args.out / "scenario.yaml", header)

    workload = workload_estimate(history)
    lo, hi = contract_hours(scenario["agents"])
    totals = history.groupby("queue", sort=False).agg(
        offered=("offered", "sum"), abandoned=("abandoned", "sum")
    )
    print(f"history: {history['ds'].min()} .. {history['ds'].max()}, {len(history)} rows")
    print(totals.to_string())
    print("patience (s):", patience)
    print("paid agent-hours needed per week (estimate):")
    print(workload.to_string())
    peak = float(workload["total"].max())
    median = float(workload["total"].median())
    print(
        f"peak week {peak:.0f} h, median week {median:.0f} h; "
        f"{len(scenario['agents'])} agents, contract hours {lo:.0f}..{hi:.0f} h "
        f"(max/peak {hi / peak:.2f})"
    )
    if not math.isfinite(peak) or hi < peak:
        print("warning: contract hours do not cover the peak week", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
