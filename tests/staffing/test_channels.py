"""Chat concurrency and deferred-work models."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.model.queue import Queue
from scheduler.staffing.channels import (
    chat_metrics,
    default_throughput,
    deferred_profile,
    simulate_backlog,
    size_queue,
)
from scheduler.staffing.erlang import queue_metrics


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0.1, 60.0),
    aht=st.floats(30.0, 900.0),
    t=st.floats(0.0, 60.0),
    patience=st.one_of(st.none(), st.floats(10.0, 1000.0)),
)
def test_one_chat_concurrency_is_erlang(
    a: float, aht: float, t: float, patience: float | None
) -> None:
    """With one chat per agent the chat chain is exactly Erlang C (or A with patience)."""
    n = np.arange(0, int(a * 1.5) + 6)
    chat = chat_metrics(n, a / aht, aht, t, [1.0], patience)
    voice = queue_metrics(n, a / aht, aht, t, patience)
    np.testing.assert_allclose(chat.service_level, voice.service_level, atol=1e-9)
    np.testing.assert_allclose(chat.p_wait, voice.p_wait, atol=1e-9)
    np.testing.assert_allclose(chat.occupancy, voice.occupancy, atol=1e-9)


def test_chat_brute_force_chain() -> None:
    """P(wait) equals the truncated birth-death chain built state by state."""
    n, lam, aht, r = 4, 0.05, 300.0, default_throughput(3, 0.6)
    size = n * 3 + 300
    rates = []
    for s in range(1, size):
        if s <= n * 3:
            q, m = divmod(s, n)
            rq = 0.0 if q == 0 else r[q - 1]
            rq1 = r[q] if q < 3 else 0.0
            rates.append(((n - m) * rq + m * rq1) / aht)
        else:
            rates.append(n * r[-1] / aht)
    w = np.concatenate(([0.0], np.cumsum(np.log(lam / np.array(rates)))))
    pi = np.exp(w - w.max())
    pi /= pi.sum()
    chat = chat_metrics(n, lam, aht, 0.0, r)
    assert float(chat.p_wait) == pytest.approx(pi[n * 3 :].sum(), abs=1e-10)


def test_aht_divided_by_k_overstates_capacity() -> None:
    """The refused shortcut (Erlang C with AHT / k) says fewer agents than the chain needs."""
    chat = Queue.model_validate(
        {
            "id": "chat",
            "channel": "chat",
            "goal": {"service_level": 0.8, "answer_seconds": 30},
            "max_concurrency": 3,
            "concurrency_efficiency": 0.6,
        }
    )
    lam, aht = np.array([300 / 1800]), 600.0
    chain = int(size_queue(chat, lam, aht).agents[0])
    from scheduler.staffing.sizing import size_agents

    shortcut = int(size_agents(lam, aht / 3, service_level=0.8, answer_seconds=30).agents[0])
    assert chain > shortcut


def test_more_concurrency_needs_fewer_agents() -> None:
    """Higher efficiency or more chats per agent never needs more agents."""
    lam, aht = np.array([200 / 1800]), 480.0
    need = []
    for k, e in [(1, 0.7), (2, 0.7), (3, 0.7), (3, 0.9)]:
        q = Queue.model_validate(
            {
                "id": "c",
                "channel": "chat",
                "goal": {"service_level": 0.8, "answer_seconds": 60},
                "max_concurrency": k,
                "concurrency_efficiency": e,
            }
        )
        need.append(int(size_queue(q, lam, aht).agents[0]))
    assert need == sorted(need, reverse=True)
    assert need[0] > need[2]


def test_deferred_profile_spreads_over_deadline() -> None:
    """Each interval's work is spread over the intervals starting within its deadline."""
    work = np.array([120.0, 0, 0, 0, 0, 0])
    prof = deferred_profile(work, np.arange(6) * 30, 120, 30)
    np.testing.assert_allclose(prof, [1.0, 1.0, 1.0, 1.0, 0, 0])
    # A deadline past the end of the grid squeezes the work into the intervals that exist.
    prof_end = deferred_profile(np.array([0, 0, 0, 0, 0, 60.0]), np.arange(6) * 30, 120, 30)
    np.testing.assert_allclose(prof_end, [0, 0, 0, 0, 0, 2.0])


def test_profile_meets_every_deadline() -> None:
    """Run FIFO at the profile's capacity: all work is done within the deadline."""
    rng = np.random.default_rng(3)
    work = rng.uniform(0, 200, 48)
    prof = deferred_profile(work, np.arange(48) * 30, 240, 30)
    res = simulate_backlog(work, prof * 30, 240, 30)
    assert np.all(res.within_deadline >= 1 - 1e-6)


def test_backlog_share_on_time_by_hand() -> None:
    """60 agent-minutes in 30 min, 10 agent-minutes of capacity per 30 min, 120 min deadline.

    Position u (minutes of work) arrives at u/2 and finishes at 3u: on time iff u <= 48, so 80%.
    """
    work = np.array([60.0, 0, 0, 0, 0, 0, 0, 0])
    res = simulate_backlog(work, np.full(8, 10.0), 120, 30)
    assert res.within_deadline[0] == pytest.approx(0.8, abs=1e-9)
    assert res.mean_delay_s[0] == pytest.approx(75 * 60, rel=1e-3)  # mean of 3u - u/2 = 2.5u
    assert res.backlog_minutes[0] == pytest.approx(50.0)


def test_backlog_unfinished_is_late() -> None:
    """Work never finished in the horizon is late, with an infinite delay."""
    res = simulate_backlog(np.array([30.0, 0]), np.array([0.0, 10.0]), 30, 30)
    assert res.within_deadline[0] < 1 and np.isinf(res.mean_delay_s[0])
