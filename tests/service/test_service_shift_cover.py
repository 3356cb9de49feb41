"""Shift cover rows travel in the Scenario message and are validated like the YAML ones."""

from __future__ import annotations

import pytest

from scheduler.errors import InputError
from scheduler.service.convert import scenario_from_proto
from scheduler.service.testing import tiny_scenario


def test_cover_rows_reach_the_domain_scenario() -> None:
    message = tiny_scenario()
    message.shift_cover.add(kind="day", weekdays=["tue"], min=1, target=2, over_weight=0.5)
    message.shift_cover.add(template=message.shift_templates[0].id, dates=["2025-03-03"], max=3)
    first, second = scenario_from_proto(message).shift_cover
    assert (first.kind, first.weekdays, first.min, first.target, first.max) == (
        "day",
        ["tue"],
        1,
        2,
        None,
    )
    assert first.over_weight == 0.5 and first.under_weight == 100.0
    assert second.template == message.shift_templates[0].id and second.max == 3
    assert second.kind is None and second.min == 0


def test_bad_cover_rows_name_the_request_field() -> None:
    message = tiny_scenario()
    message.shift_cover.add(kind="late", min=3, target=1, weekdays=["xx"], dates=["2020-01-01"])
    with pytest.raises(InputError) as info:
        scenario_from_proto(message)
    fields = {p.field: p.value for p in info.value.problems}
    assert fields["scenario.shift_cover[0].kind"] == "late"
    assert fields["scenario.shift_cover[0].target"] == 1
    assert fields["scenario.shift_cover[0].weekdays[0]"] == "xx"
    assert fields["scenario.shift_cover[0].dates[0]"] == "2020-01-01"
