"""Tiny named fixtures shared by every test package."""

from __future__ import annotations

import copy
from typing import Any

import pytest


def tiny_scenario_dict() -> dict[str, Any]:
    """A two-agent, one-voice-queue, two-day scenario at 60-minute intervals.

    Small enough to solve instantly; every section present so validation paths are exercised.
    """
    return {
        "site": {
            "name": "Tiny",
            "timezone": "UTC",
            "interval_minutes": 60,
            "opening_hours": {day: [["08:00", "18:00"]] for day in ("mon", "tue")},
        },
        "horizon": {"start": "2024-01-01", "days": 2},
        "queues": [
            {
                "id": "voice",
                "channel": "voice",
                "goal": {"service_level": 0.8, "answer_seconds": 20},
                "shrinkage": 0.1,
            }
        ],
        "contracts": [
            {
                "id": "full",
                "max_minutes_per_week": 1200,
                "max_days": 2,
                "shift_templates": ["day"],
            }
        ],
        "shift_templates": [
            {
                "id": "day",
                "start_earliest": "08:00",
                "start_latest": "10:00",
                "start_step_minutes": 60,
                "lengths_minutes": [480],
                "breaks": [
                    {
                        "name": "lunch",
                        "minutes": 60,
                        "paid": False,
                        "earliest_after_start": 180,
                        "latest_end_after_start": 360,
                    }
                ],
            }
        ],
        "agents": [
            {"id": "ann", "name": "Ann", "skills": {"voice": 1.0}, "contract": "full"},
            {"id": "bob", "name": "Bob", "skills": {"voice": 0.9}, "contract": "full"},
        ],
    }


@pytest.fixture
def tiny_scenario_raw() -> dict[str, Any]:
    """A fresh copy of :func:`tiny_scenario_dict` that a test may mutate."""
    return copy.deepcopy(tiny_scenario_dict())
