"""Sizing against the published examples, and the binding limit it names."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.staffing.erlang import queue_metrics
from scheduler.staffing.erlang import size_agents as size_agents_from_erlang
from scheduler.staffing.sizing import Goal, scheduled_from_productive, size_agents

SL80 = {"service_level": 0.8, "answer_seconds": 20.0}


@pytest.mark.parametrize(
    ("calls", "interval_s", "aht", "extra", "agents", "scheduled", "binding"),
    [
        (100, 1800, 180, {}, 14, 20, "service_level"),
        (100, 1800, 180, {"max_occupancy": 0.7}, 15, 22, "occupancy"),
        (1000, 3600, 120, {"max_occupancy": 0.85}, 40, 58, "occupancy"),
        (25, 600, 180, {}, 11, 16, "service_level"),
        (100, 1800, 180, {"patience_s": 300.0}, 13, 19, "service_level"),
    ],
)
def test_published_sizing_examples(
    calls: int,
    interval_s: int,
    aht: float,
    extra: dict[str, float],
    agents: int,
    scheduled: int,
    binding: str,
) -> None:
    """The README sizing examples: agents, scheduled after 30% shrinkage, and the binding limit."""
    s = size_agents([calls / interval_s], aht, **SL80, **extra)  # type: ignore[arg-type]
    assert int(s.agents[0]) == agents
    assert str(s.binding[0]) == binding
    assert int(scheduled_from_productive(s.agents, 0.3)[0]) == scheduled


def test_size_agents_is_reexported_from_erlang() -> None:
    """The contract names size_agents in scheduler.staffing.erlang too."""
    assert size_agents_from_erlang is size_agents


def test_closed_interval_needs_nobody() -> None:
    """No calls: zero agents, binding 'closed'."""
    s = size_agents([0.0, 100 / 1800], 180, **SL80)  # type: ignore[arg-type]
    assert s.agents.tolist() == [0, 14]
    assert s.binding.tolist() == ["closed", "service_level"]


def test_each_limit_can_bind() -> None:
    """ASA and abandonment limits bind when they are the stricter ones."""
    lam = [100 / 1800]
    asa = size_agents(lam, 180, asa_seconds=2.0, **SL80)  # type: ignore[arg-type]
    assert str(asa.binding[0]) == "asa"
    ab = size_agents(lam, 180, max_abandon=0.001, patience_s=60.0, **SL80)  # type: ignore[arg-type]
    assert str(ab.binding[0]) == "abandon"


@settings(max_examples=50, deadline=None)
@given(
    calls=st.floats(0.5, 3000.0),
    aht=st.floats(20.0, 900.0),
    target=st.floats(0.5, 0.95),
    t=st.floats(0.0, 60.0),
    occ=st.floats(0.6, 1.0),
)
def test_minimal_and_fractional(
    calls: float, aht: float, target: float, t: float, occ: float
) -> None:
    """The answer meets the goal, one agent fewer does not, and ceil(fractional) == agents."""
    lam = calls / 1800
    s = size_agents([lam], aht, service_level=target, answer_seconds=t, max_occupancy=occ)
    n = int(s.agents[0])
    at_n = queue_metrics(n, lam, aht, t)
    assert float(at_n.service_level) >= target - 1e-9 and float(at_n.occupancy) <= occ + 1e-9
    below = queue_metrics(n - 1, lam, aht, t)
    assert float(below.service_level) < target or float(below.occupancy) > occ
    assert n - 1 < float(s.fractional[0]) <= n


def test_goal_validation_names_the_value() -> None:
    """Impossible goals fail on construction with the offending value."""
    with pytest.raises(ValueError, match=r"1\.5"):
        Goal(service_level=1.5, answer_seconds=20)
    with pytest.raises(ValueError, match="shrinkage"):
        scheduled_from_productive([3], 1.0)


def test_large_centre_is_fast_enough_and_finite() -> None:
    """Thousands of intervals and loads up to 4,000 Erlangs size without overflow."""
    rng = np.random.default_rng(1)
    lam = rng.uniform(0, 4000 / 180, 2000)
    s = size_agents(lam, 180.0, patience_s=200.0, **SL80)  # type: ignore[arg-type]
    assert np.all(s.agents >= 0) and np.all(np.isfinite(s.fractional))


def test_erlang_c_shortcut_equals_general_search() -> None:
    """The upward Erlang C recursion gives the same integer and fractional needs as the search."""
    from scheduler.staffing.sizing import size_with

    rng = np.random.default_rng(7)
    lam = rng.uniform(0, 300 / 900, 400)
    aht = rng.uniform(60, 600, 400)
    goal = Goal(service_level=0.85, answer_seconds=15, asa_seconds=12, max_occupancy=0.9)
    fast = size_agents(
        lam, aht, service_level=0.85, answer_seconds=15, asa_seconds=12, max_occupancy=0.9
    )

    def evaluate(n: np.ndarray, rows: np.ndarray) -> object:
        return queue_metrics(n, lam[rows], aht[rows], 15.0)

    slow = size_with(evaluate, goal, lam * aht + 1, lam > 0)  # type: ignore[arg-type]
    np.testing.assert_array_equal(fast.agents, slow.agents)
    np.testing.assert_array_equal(fast.binding, slow.binding)
    sl_or_asa = fast.binding != "occupancy"  # occupancy's fraction is a / cap in the shortcut
    np.testing.assert_allclose(fast.fractional[sl_or_asa], slow.fractional[sl_or_asa], atol=1e-9)
