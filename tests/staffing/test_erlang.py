"""Erlang B/C/A against published examples, brute-force chains and limiting properties."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from scheduler.staffing.erlang import (
    asa_c,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    service_level_c,
)

ORACLE = Path("/work/shared/oracles/erlang_published.csv")


def _oracle_rows() -> list[dict[str, str]]:
    with ORACLE.open(newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _oracle_rows(), ids=lambda r: r["id"])
def test_published_rows(row: dict[str, str]) -> None:
    """Every published example matches to the digits it is published with."""
    lam = float(row["calls"]) / float(row["interval_s"])
    aht, n, t = float(row["aht_s"]), int(row["agents"]), float(row["answer_s"])
    if row["model"] == "erlang_c":
        m = erlang_c_metrics(n, lam, aht, t)
        assert math.isnan(float(m.p_abandon))
    else:
        m = erlang_a_metrics(n, lam, aht, float(row["patience_s"]), t)
        assert float(m.p_abandon) == pytest.approx(float(row["p_abandon"]), abs=1e-6)
    assert float(m.p_wait) == pytest.approx(float(row["p_wait"]), abs=1e-6)
    assert float(m.service_level) == pytest.approx(float(row["service_level"]), abs=1e-6)
    assert float(m.asa_s) == pytest.approx(float(row["asa_s"]), abs=1e-3)
    assert float(m.occupancy) == pytest.approx(float(row["occupancy"]), abs=1e-6)


def test_erlang_b_published_values() -> None:
    """B(1, 1) = 0.5, B(2, 1) = 0.2, and 10 Erlangs need 17 lines for under 2% blocking."""
    assert erlang_b(1, 1.0) == pytest.approx(0.5, abs=1e-15)
    assert erlang_b(2, 1.0) == pytest.approx(0.2, abs=1e-15)
    lines = np.arange(1, 40)
    blocking = erlang_b(lines, 10.0)
    assert int(lines[np.argmax(blocking < 0.02)]) == 17


def _b_recursion(n: int, a: float) -> float:
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


@pytest.mark.parametrize(
    ("n", "a"), [(1, 0.3), (10, 7.5), (50, 80.0), (300, 280.0), (3, 2000.0), (5000, 4990.0)]
)
def test_erlang_b_matches_textbook_recursion(n: int, a: float) -> None:
    """The log-space formula equals the classic recursion, from light load to deep overload."""
    assert float(erlang_b(n, a)) == pytest.approx(_b_recursion(n, a), rel=1e-10)


def test_stable_at_5000_agents_just_below_load() -> None:
    """No overflow or NaN at 5,000 agents and loads just below them."""
    n = np.full(5, 5000)
    a = np.array([4999.0, 4990.0, 4950.0, 4800.0, 4000.0])
    c = erlang_c(n, a)
    sl = service_level_c(n, a, 180.0, 20.0)
    asa = asa_c(n, a, 180.0)
    for arr in (c, sl, asa):
        assert np.all(np.isfinite(arr))
    assert np.all(np.diff(c) < 0)  # less load, less waiting
    assert np.all((sl >= 0) & (sl <= 1))
    m = erlang_a_metrics(n, (a + 500) / 180.0, 180.0, 300.0, 20.0)  # overload with abandonment
    assert np.all(np.isfinite(m.service_level)) and np.all(np.isfinite(m.p_abandon))


def test_overloaded_erlang_c_is_unstable() -> None:
    """With no more agents than Erlangs everyone waits and nobody is answered in time."""
    assert erlang_c(10, 10.0) == 1.0
    assert service_level_c(9, 10.0, 180, 20) == 0.0
    assert asa_c(10, 12.0, 180) == np.inf


def test_no_calls() -> None:
    """Nothing offered: nobody waits, service level is perfect."""
    m = erlang_a_metrics(3, 0.0, 180, 60, 20)
    assert float(m.p_wait) == 0 and float(m.service_level) == 1 and float(m.asa_s) == 0


def test_erlang_a_overload_limit() -> None:
    """In deep overload Erlang A abandons the excess: P(abandon) -> 1 - n mu / lam."""
    n, aht, lam = 10, 100.0, 1.0  # 100 Erlangs on 10 agents
    m = erlang_a_metrics(n, lam, aht, 60.0, 20.0)
    assert float(m.p_abandon) == pytest.approx(1 - n / (lam * aht), rel=1e-3)
    assert float(m.occupancy) == pytest.approx(1.0, abs=1e-3)


def _erlang_a_brute(n: int, lam: float, aht: float, patience: float, t: float) -> dict[str, float]:
    """M/M/n+M by a truncated chain and, for the service level, the tagged caller's own chain."""
    mu, theta = 1 / aht, 1 / patience
    size = n + 400
    death = np.array([min(k, n) * mu + max(k - n, 0) * theta for k in range(size)])
    logw = np.zeros(size)
    for k in range(1, size):
        logw[k] = logw[k - 1] + math.log(lam / death[k])
    pi = np.exp(logw - logw.max())
    pi /= pi.sum()
    queue_len = np.maximum(np.arange(size) - n, 0)
    p_wait = pi[n:].sum()
    p_ab = theta * (pi * queue_len).sum() / lam
    # A caller finding j waiting: chain over "callers ahead" i = 0..J, absorbing served/abandoned.
    # One generator serves every j, since from j ahead the caller passes through j-1, ..., 0.
    big_j = size - n
    served, gone = big_j, big_j + 1
    q = np.zeros((big_j + 2, big_j + 2))
    for i in range(big_j):
        adv = n * mu + i * theta
        q[i, i - 1 if i > 0 else served] += adv
        q[i, gone] += theta
        q[i, i] = -(adv + theta)
    p_served = expm(q * t)[:big_j, served]
    sl = 1 - p_wait + float((pi[n:] * p_served).sum())
    return {"p_wait": p_wait, "p_abandon": p_ab, "service_level": sl, "asa": p_ab * patience}


@pytest.mark.parametrize(
    ("n", "calls", "aht", "patience", "t"),
    [(14, 100, 180, 300, 20), (5, 60, 240, 90, 30), (8, 150, 120, 30, 10)],
)
def test_erlang_a_equals_brute_force_chain(
    n: int, calls: float, aht: float, patience: float, t: float
) -> None:
    """The closed form equals a truncated birth-death chain plus the caller's absorbing chain."""
    lam = calls / 1800
    m = erlang_a_metrics(n, lam, aht, patience, t)
    ref = _erlang_a_brute(n, lam, aht, patience, t)
    assert float(m.p_wait) == pytest.approx(ref["p_wait"], abs=1e-9)
    assert float(m.p_abandon) == pytest.approx(ref["p_abandon"], abs=1e-9)
    assert float(m.service_level) == pytest.approx(ref["service_level"], abs=1e-7)
    assert float(m.asa_s) == pytest.approx(ref["asa"], abs=1e-6)


loads = st.floats(min_value=0.05, max_value=400.0)
ahts = st.floats(min_value=10.0, max_value=900.0)
targets = st.floats(min_value=0.0, max_value=120.0)


@settings(max_examples=60, deadline=None)
@given(a=loads, aht=ahts, t=targets, patience=st.one_of(st.none(), st.floats(5.0, 3000.0)))
def test_service_level_rises_with_agents(
    a: float, aht: float, t: float, patience: float | None
) -> None:
    """More agents never lower the service level nor raise the wait or abandonment."""
    n = np.arange(0, int(a * 1.5) + 25)
    lam = a / aht
    m = (
        erlang_c_metrics(n, lam, aht, t)
        if patience is None
        else erlang_a_metrics(n, lam, aht, patience, t)
    )
    assert np.all(np.diff(m.service_level) >= -1e-9)
    assert np.all(np.diff(m.p_wait) <= 1e-9)
    finite = np.isfinite(m.asa_s)
    assert np.all(np.diff(m.asa_s[finite]) <= 1e-9)
    if patience is not None:
        assert np.all(np.diff(m.p_abandon) <= 1e-9)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.5, 200.0), aht=ahts, t=targets, extra=st.integers(1, 30))
def test_erlang_a_tends_to_erlang_c(a: float, aht: float, t: float, extra: int) -> None:
    """As patience grows without bound Erlang A becomes Erlang C."""
    n = math.floor(a) + extra
    lam = a / aht
    c = erlang_c_metrics(n, lam, aht, t)
    gaps = []
    for patience in (aht * 1e4, aht * 1e7):
        m = erlang_a_metrics(n, lam, aht, patience, t)
        gaps.append(abs(float(m.service_level) - float(c.service_level)))
        assert float(m.p_abandon) < 1e-2
    # Near a = n convergence is slow (the wait is long), so ask for closeness and for progress.
    assert gaps[1] < 1e-3
    assert gaps[1] <= gaps[0] + 1e-7  # round-off at huge patience is ~1e-8


@settings(max_examples=40, deadline=None)
@given(a=loads, aht=ahts, t=targets)
def test_service_level_is_between_zero_and_one(a: float, aht: float, t: float) -> None:
    """Probabilities stay probabilities at every staffing level, including overload."""
    n = np.arange(0, int(a * 2) + 5)
    m = erlang_a_metrics(n, a / aht, aht, 120.0, t)
    for arr in (m.p_wait, m.service_level, m.p_abandon, m.occupancy):
        assert np.all((arr >= 0) & (arr <= 1))
    assert np.all(m.service_level + m.p_abandon <= 1 + 1e-9)


def test_rejects_fractional_agents() -> None:
    """Agent counts are integers; interpolation is the caller's explicit choice."""
    with pytest.raises(ValueError, match="integers"):
        erlang_c(10.5, 8.0)
