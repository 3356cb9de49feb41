"""Every objective weight of the domain model can be set over gRPC."""

from __future__ import annotations

import pytest

from scheduler.errors import InputError
from scheduler.model.rules import ObjectiveWeights
from scheduler.service.convert import scenario_from_proto
from scheduler.service.testing import tiny_scenario
from scheduler.v1 import scenario_pb2


def test_the_proto_names_every_domain_weight() -> None:
    proto_fields = set(scenario_pb2.ObjectiveWeights.DESCRIPTOR.fields_by_name)
    assert proto_fields == set(ObjectiveWeights.model_fields)


def test_weights_reach_the_domain_scenario_and_unset_ones_keep_defaults() -> None:
    message = tiny_scenario()
    weights = message.rules.objective
    weights.goal_shortfall = 5.0
    weights.queue_switch = 0.0
    weights.fairness_spread = 2.5
    got = scenario_from_proto(message).rules.objective
    assert (got.goal_shortfall, got.queue_switch, got.fairness_spread) == (5.0, 0.0, 2.5)
    assert got.service == ObjectiveWeights().service


def test_a_negative_weight_names_the_request_field() -> None:
    message = tiny_scenario()
    message.rules.objective.goal_shortfall = -1.0
    with pytest.raises(InputError) as info:
        scenario_from_proto(message)
    fields = {p.field: p.value for p in info.value.problems}
    assert fields["scenario.rules.objective.goal_shortfall"] == -1.0
