"""A measured chat throughput curve in the scenario drives the chat model."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from scheduler.model import Queue
from scheduler.staffing.channels import size_queue, throughput_for


def _chat(**extra: object) -> Queue:
    return Queue.model_validate(
        {
            "id": "chat",
            "channel": "chat",
            "goal": {"service_level": 0.8, "answer_seconds": 60},
            "max_concurrency": 3,
            **extra,
        }
    )


def test_explicit_curve_overrides_the_efficiency_default() -> None:
    assert throughput_for(_chat(throughput_curve=[1.0, 1.5, 1.8])).tolist() == [1.0, 1.5, 1.8]
    assert throughput_for(_chat()).tolist() == pytest.approx([1.0, 1.7, 2.4])


def test_a_flatter_curve_needs_more_agents() -> None:
    """Agents who gain little from a second and third chat must be more numerous."""
    fast = size_queue(_chat(throughput_curve=[1.0, 1.9, 2.7]), 0.05, 420.0)
    slow = size_queue(_chat(throughput_curve=[1.0, 1.2, 1.3]), 0.05, 420.0)
    assert slow.agents > fast.agents


@pytest.mark.parametrize(
    ("curve", "message"),
    [([1.0, 1.5], "has 2 values"), ([1.0, 0.9, 1.2], "non-decreasing"), ([0.0, 1, 2], "positive")],
)
def test_bad_curves_are_rejected(curve: list[float], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _chat(throughput_curve=curve)


def test_curve_only_on_chat() -> None:
    with pytest.raises(ValidationError, match="chat queues only"):
        Queue.model_validate(
            {
                "id": "v",
                "channel": "voice",
                "goal": {"service_level": 0.8, "answer_seconds": 20},
                "throughput_curve": [1.0],
            }
        )
    assert np.allclose(throughput_for(_chat(max_concurrency=1)), [1.0])
