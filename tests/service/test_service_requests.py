"""Dated shift requests and horizon contract limits travel in the Scenario message."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.errors import InputError
from scheduler.service.convert import scenario_from_proto
from scheduler.service.testing import tiny_scenario
from scheduler.v1 import scenario_pb2


def test_requests_and_horizon_limits_reach_the_domain_scenario() -> None:
    message = tiny_scenario()
    contract = message.contracts[0]
    contract.min_minutes_per_horizon = 480
    contract.max_minutes_per_horizon = 960
    contract.max_shifts_by_kind_per_horizon["day"] = 2
    requests = message.agents[0].preferences.requests
    requests.add(date="2025-03-03", want="off", weight=4.5)
    requests.add(date="2025-03-04", want="on", kind="day")
    requests.add(date="2025-03-04", want="off", template="day", weight=0)
    scenario = scenario_from_proto(message)
    limits = scenario.contracts[0]
    assert (limits.min_minutes_per_horizon, limits.max_minutes_per_horizon) == (480, 960)
    assert limits.max_shifts_by_kind_per_horizon == {"day": 2}
    first, second, third = scenario.agents[0].preferences.requests
    assert (first.date, first.want, first.kind, first.template, first.weight) == (
        dt.date(2025, 3, 3),
        "off",
        None,
        None,
        4.5,
    )
    assert (second.want, second.kind, second.weight) == ("on", "day", 1.0)
    assert (third.template, third.weight) == ("day", 0.0)
    # Unset horizon limits stay unset: no limit.
    other = scenario_from_proto(tiny_scenario()).contracts[0]
    assert other.max_minutes_per_horizon is None and other.max_shifts_by_kind_per_horizon == {}


def test_bad_requests_and_limits_name_the_request_field() -> None:
    message = tiny_scenario()
    message.contracts[0].min_minutes_per_horizon = -1
    message.agents[0].preferences.requests.append(
        scenario_pb2.ShiftRequest(date="2025-03-03", want="maybe", kind="night")
    )
    with pytest.raises(InputError) as info:
        scenario_from_proto(message)
    fields = {p.field: p.value for p in info.value.problems}
    assert fields["scenario.contracts[0].min_minutes_per_horizon"] == -1
    where = "scenario.agents[0].preferences.requests[0]"
    assert fields[f"{where}.want"] == "maybe"
    assert fields[f"{where}.kind"] == "night"
