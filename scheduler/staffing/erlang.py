"""Erlang B, C and A, exact and vectorised, stable from one agent to many thousands.

Notation (per interval): ``n`` agents, arrival rate ``lam`` per second, mean handle time ``aht_s``
(service rate ``mu = 1 / aht_s``), offered load ``a = lam * aht_s`` Erlangs, mean patience
``patience_s`` (abandonment rate ``theta = 1 / patience_s``), answer target ``t_s``.

**Erlang B** in log space, never with factorials::

    B(n, a) = (a**n / n!) / sum_{k<=n} a**k / k!  =  pmf(n; a) / cdf(n; a)   (Poisson)
    log B   = n log a - a - lgamma(n + 1) - log Q(n + 1, a)

with ``Q`` the regularised upper incomplete gamma. Where ``Q`` underflows (``n`` far below ``a``,
deep overload) the forward recursion ``1/B(k) = 1 + (k/a) / B(k-1)`` is used instead; there
``1/B`` stays close to ``a / (a - n)`` so the recursion cannot overflow.

**Erlang C** from B: ``C = B / (B + (1 - B)(1 - a/n))`` for ``n > a`` (else every call waits),
``SL(t) = 1 - C exp(-(n - a) t / aht)``, ``ASA = C aht / (n - a)``.

**Erlang A** (M/M/n+M) exactly, by the birth-death chain. Below ``n`` the states are those of
Erlang B; above it the queue ``j`` has weight ``prod_{i<=j} y / (x + i)`` with ``x = n mu/theta``,
``y = lam/theta``, whose sum is ``S = Gamma(x+1) e**y y**-x P(x, y)`` (``P`` the regularised lower
incomplete gamma). Then::

    P(wait)    = S / (L + S),            L = (1 - B) / B   (lower states relative to state n)
    P(abandon) = P(wait) (1 - (x/y)(1 - 1/S))
    ASA        = P(abandon) * patience    (Little: E[Q] = lam E[W], theta E[Q] = lam P(abandon))
    SL(t)      = 1 - P(abandon) - P(wait) (x/y) P(x+1, y e**(-theta t)) / P(x, y)

The last line counts abandoners as misses: a caller who finds ``j`` waiting is answered within
``t`` with probability ``E[exp(-theta V) 1{V <= t}]``, ``V`` the sum of ``j+1`` exponentials
with rates ``n mu + i theta``; summing over ``j`` with the order-statistics form of that sum gives
the incomplete-gamma ratio (derivation in ``docs`` of :func:`tail_metrics`). Everything is
computed from logarithms, so overload (``lam >> n mu``) and long patience are both stable.

The same tail applies to any birth-death chain whose top state serves at a fixed rate ``c``
(``n mu`` here; ``N r(k) mu`` for chat), so :func:`tail_metrics` is shared with the chat model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit, gammainc, gammaincc, gammaln, logsumexp

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from scheduler.staffing.sizing import size_agents

__all__ = [
    "QueueMetrics",
    "asa_c",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "queue_metrics",
    "service_level_c",
    "size_agents",
    "tail_metrics",
]

FloatArray = NDArray[np.float64]

# Below this a regularised incomplete gamma is treated as underflowed and the series is used.
_TINY = 1e-280


@dataclass(frozen=True)
class QueueMetrics:
    """Predicted performance of an immediate queue, one value per interval.

    Attributes
    ----------
    p_wait
        Share of arrivals that find every agent busy and wait.
    service_level
        Share of arrivals answered within the target (abandoners count as misses).
    asa_s
        Mean wait over all arrivals, seconds (``inf`` when the queue is unstable).
    p_abandon
        Share of arrivals that abandon (``nan`` when patience is not modelled).
    occupancy
        Served load divided by the capacity on the queue.
    """

    p_wait: FloatArray
    service_level: FloatArray
    asa_s: FloatArray
    p_abandon: FloatArray
    occupancy: FloatArray


def _as_float(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def _as_agents(n: ArrayLike) -> FloatArray:
    """Agent counts as floats, refusing negative or non-integer values."""
    arr = _as_float(n)
    if np.any(arr < 0) or np.any(arr != np.floor(arr)):
        raise ValueError(f"agent counts must be non-negative integers, got {n!r}")
    return arr


def log_erlang_b(n: ArrayLike, a: ArrayLike) -> FloatArray:
    """Natural logarithm of Erlang B, ``log B(n, a)``, broadcast over ``n`` and ``a``.

    Parameters
    ----------
    n
        Number of servers (non-negative integers).
    a
        Offered load in Erlangs (non-negative).

    Returns
    -------
    numpy.ndarray
        ``log B``; ``0`` for ``n = 0`` and ``-inf`` for ``a = 0, n >= 1``.
    """
    n_arr, a_arr = np.broadcast_arrays(_as_agents(n), _as_float(a))
    if np.any(a_arr < 0):
        raise ValueError("offered load must be non-negative")
    out = np.zeros(n_arr.shape)
    busy = (a_arr > 0) & (n_arr > 0)
    out[(a_arr == 0) & (n_arr > 0)] = -np.inf
    if not busy.any():
        return out
    nb, ab = n_arr[busy], a_arr[busy]
    q = gammaincc(nb + 1.0, ab)
    with np.errstate(divide="ignore"):
        log_b = nb * np.log(ab) - ab - gammaln(nb + 1.0) - np.log(q)
    low = q < _TINY
    if low.any():
        log_b[low] = np.log(_erlang_b_recursive(nb[low], ab[low]))
    out[busy] = log_b
    return out


def _erlang_b_recursive(n: FloatArray, a: FloatArray) -> FloatArray:
    """Erlang B by the recursion on ``1/B``; only used where ``n`` is far below ``a``."""
    inv = np.ones_like(a)
    for k in range(1, int(n.max()) + 1):
        step = k <= n
        inv = np.where(step, 1.0 + (k / a) * inv, inv)
    result: FloatArray = 1.0 / inv
    return result


def erlang_b(n: ArrayLike, a: ArrayLike) -> FloatArray:
    """Erlang B: probability that an arrival finds all ``n`` servers busy (blocked, no queue).

    Parameters
    ----------
    n
        Number of servers (non-negative integers).
    a
        Offered load in Erlangs.

    Returns
    -------
    numpy.ndarray
        Blocking probability, broadcast over the inputs.
    """
    result: FloatArray = np.exp(log_erlang_b(n, a))
    return result


def erlang_c(n: ArrayLike, a: ArrayLike) -> FloatArray:
    """Erlang C: probability that an arrival waits (M/M/n, infinite patience).

    Parameters
    ----------
    n
        Number of agents (non-negative integers).
    a
        Offered load in Erlangs.

    Returns
    -------
    numpy.ndarray
        ``C(n, a)``; ``1`` wherever ``n <= a`` (the queue is unstable and everyone waits).
    """
    n_arr, a_arr = np.broadcast_arrays(_as_agents(n), _as_float(a))
    log_b = log_erlang_b(n_arr, a_arr)
    stable = n_arr > a_arr
    rho = np.where(stable, a_arr / np.where(n_arr > 0, n_arr, 1.0), 1.0)
    # C = 1 / (1 + (1-B)(1-rho)/B), in logs so that B ~ 1e-300 is no problem.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log1p(-np.exp(log_b)) + np.log1p(-rho) - log_b
    c = np.where(stable, expit(-log_ratio), 1.0)
    c = np.where(a_arr == 0, 0.0, c)
    result: FloatArray = c
    return result


def service_level_c(n: ArrayLike, a: ArrayLike, aht_s: ArrayLike, t_s: ArrayLike) -> FloatArray:
    """Erlang C service level: share of calls answered within ``t_s`` seconds.

    Parameters
    ----------
    n
        Number of agents.
    a
        Offered load in Erlangs.
    aht_s
        Mean handle time, seconds.
    t_s
        Answer target, seconds.

    Returns
    -------
    numpy.ndarray
        ``1 - C exp(-(n - a) t / aht)``, and ``0`` wherever ``n <= a``.
    """
    n_arr, a_arr, aht, t = np.broadcast_arrays(
        _as_agents(n), _as_float(a), _as_float(aht_s), _as_float(t_s)
    )
    c = erlang_c(n_arr, a_arr)
    stable = n_arr > a_arr
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - c * np.exp(-(n_arr - a_arr) * t / aht)
    result: FloatArray = np.where(stable, np.clip(sl, 0.0, 1.0), 0.0)
    return np.where(a_arr == 0, 1.0, result)


def asa_c(n: ArrayLike, a: ArrayLike, aht_s: ArrayLike) -> FloatArray:
    """Erlang C average speed of answer (mean wait over all calls), seconds.

    Parameters
    ----------
    n
        Number of agents.
    a
        Offered load in Erlangs.
    aht_s
        Mean handle time, seconds.

    Returns
    -------
    numpy.ndarray
        ``C aht / (n - a)``, and ``inf`` wherever ``n <= a``.
    """
    n_arr, a_arr, aht = np.broadcast_arrays(_as_agents(n), _as_float(a), _as_float(aht_s))
    c = erlang_c(n_arr, a_arr)
    stable = n_arr > a_arr
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = c * aht / (n_arr - a_arr)
    result: FloatArray = np.where(stable, asa, np.inf)
    return np.where(a_arr == 0, 0.0, result)


def _log_series_m(s: FloatArray, z: FloatArray) -> FloatArray:
    """``log M(1, s+1, z) = log sum_{i>=0} z**i / prod_{k<=i}(s + k)`` for ``z < s + 1``.

    Summed in log space, in chunks, from cumulative sums of ``log(z / (s + k))`` (small numbers,
    so the sum stays accurate even for ``s`` in the hundreds of millions). With ``z < s + 1`` the
    terms only shrink, so the sum stops once the newest term is ``e**-40`` of the total.
    """
    chunk = 4096
    log_z = np.log(z)[:, None]
    last = np.zeros(z.shape)  # log of the newest term so far (term 0 is 1)
    total = np.zeros(z.shape)  # log of the running sum
    start = 1
    while True:
        k = np.arange(start, start + chunk, dtype=np.float64)[None, :]
        logs = last[:, None] + np.cumsum(log_z - np.log(s[:, None] + k), axis=1)
        total = np.logaddexp(total, logsumexp(logs, axis=1))
        last = logs[:, -1]
        start += chunk
        if np.all(last < total - 40.0) or start > 50_000_000:
            break
    result: FloatArray = total
    return result


def log_gammainc_lower(s: FloatArray, z: FloatArray) -> FloatArray:
    """``log P(s, z)``, the regularised lower incomplete gamma, without underflow.

    Parameters
    ----------
    s
        Shape (positive).
    z
        Argument (non-negative).

    Returns
    -------
    numpy.ndarray
        ``log P(s, z)``; uses ``P = z**s e**-z / Gamma(s+1) * M(1, s+1, z)`` where ``P`` underflows.
    """
    s_arr, z_arr = np.broadcast_arrays(_as_float(s), _as_float(z))
    p = gammainc(s_arr, z_arr)
    with np.errstate(divide="ignore"):
        out = np.log(p)
    # scipy's P loses relative accuracy deep in the lower tail when s is huge (s > 1e5 arises only
    # for patience thousands of times the handle time); the log-space series is exact there.
    low = ((p < _TINY) | ((s_arr > 1e5) & (z_arr < s_arr) & (p < 0.5))) & (z_arr > 0)
    if low.any():
        sl, zl = s_arr[low], z_arr[low]
        out[low] = sl * np.log(zl) - zl - gammaln(sl + 1.0) + _log_series_m(sl, zl)
    result: FloatArray = out
    return result


@dataclass(frozen=True)
class TailMetrics:
    """Waiting-time figures from :func:`tail_metrics` (see there)."""

    p_wait: FloatArray
    p_abandon: FloatArray
    service_level: FloatArray
    asa_s: FloatArray


def tail_metrics(
    log_lower: ArrayLike,
    lam: ArrayLike,
    c: ArrayLike,
    theta: ArrayLike,
    t_s: ArrayLike,
) -> TailMetrics:
    """Wait, abandonment, service level and ASA of a birth-death queue above its capacity.

    The chain has lower states (nobody waits) and, once every server or chat slot is busy, a FCFS
    queue served at the constant total rate ``c`` with exponential patience of rate ``theta``.

    Parameters
    ----------
    log_lower
        ``log L``: the stationary weight of all lower states relative to the first full state
        (``L = (1 - B) / B`` for Erlang A/C).
    lam
        Arrival rate per second.
    c
        Total service rate per second when every server is busy (``n / aht`` for voice).
    theta
        Abandonment rate per second (``1 / patience``); ``0`` for no abandonment (Erlang C).
    t_s
        Answer target, seconds.

    Returns
    -------
    TailMetrics
        ``p_wait``, ``p_abandon`` (``0`` when ``theta = 0``), ``service_level`` (abandoners are
        misses) and ``asa_s`` (mean wait over all arrivals, ``inf`` if unstable).

    Notes
    -----
    A caller finding ``j`` waiting reaches a server after ``V = sum_{i=0..j} Exp(c + i theta)``
    and is answered within ``t`` with probability ``E[e**(-theta V) 1{V<=t}]``. Writing ``V`` as
    an order statistic of iid ``Exp(theta)`` clocks and summing the binomial tails over ``j``
    gives ``sum_j T_j E[...] = (x/y) Gamma(x+1) e**y y**-x P(x+1, y e**(-theta t))`` with
    ``x = c/theta``, ``y = lam/theta``; dividing by ``S`` gives the ratio used below.
    """
    log_l, lam_a, c_a, th, t = np.broadcast_arrays(
        _as_float(log_lower), _as_float(lam), _as_float(c), _as_float(theta), _as_float(t_s)
    )
    shape = lam_a.shape
    p_wait = np.zeros(shape)
    p_ab = np.zeros(shape)
    sl = np.ones(shape)
    asa = np.zeros(shape)
    active = lam_a > 0
    no_service = active & (c_a <= 0)
    # Nobody serves: every arrival waits; with patience all abandon after their patience.
    p_wait[no_service] = 1.0
    sl[no_service] = 0.0
    p_ab[no_service] = np.where(th[no_service] > 0, 1.0, 0.0)
    with np.errstate(divide="ignore"):
        asa[no_service] = np.where(th[no_service] > 0, 1.0 / th[no_service], np.inf)

    # Erlang C style tail (no abandonment): geometric with ratio lam / c.
    ec = active & (c_a > 0) & (th <= 0)
    if ec.any():
        lam_e, c_e, t_e = lam_a[ec], c_a[ec], t[ec]
        stable = lam_e < c_e
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_s = -np.log1p(-np.where(stable, lam_e / c_e, 0.0))
            pw = np.where(stable, expit(log_s - log_l[ec]), 1.0)
            sl_e = np.where(stable, 1.0 - pw * np.exp(-(c_e - lam_e) * t_e), 0.0)
            asa_e = np.where(stable, pw / (c_e - lam_e), np.inf)
        p_wait[ec], sl[ec], asa[ec] = pw, np.clip(sl_e, 0.0, 1.0), asa_e
        # p_ab stays 0: nobody abandons without patience

    # Erlang A style tail (exponential patience).
    ea = active & (c_a > 0) & (th > 0)
    if ea.any():
        lam_e, c_e, th_e, t_e = lam_a[ea], c_a[ea], th[ea], t[ea]
        x = c_e / th_e
        y = lam_e / th_e
        log_p_xy = log_gammainc_lower(x, y)
        log_s = gammaln(x + 1.0) + y - x * np.log(y) + log_p_xy
        pw = expit(log_s - log_l[ea])
        one_minus_inv_s = -np.expm1(-log_s)
        pab = pw * (1.0 - (x / y) * one_minus_inv_s)
        pab = np.clip(pab, 0.0, pw)
        z = y * np.exp(-th_e * t_e)
        ratio = np.exp(log_gammainc_lower(x + 1.0, z) - log_p_xy)
        sl_e = 1.0 - pab - pw * (x / y) * ratio
        p_wait[ea], p_ab[ea] = pw, pab
        sl[ea] = np.clip(sl_e, 0.0, 1.0)
        asa[ea] = pab / th_e
    return TailMetrics(p_wait=p_wait, p_abandon=p_ab, service_level=sl, asa_s=asa)


def _voice_lower(n: FloatArray, a: FloatArray) -> FloatArray:
    """``log((1 - B) / B)``: the Erlang B lower states relative to the all-busy state."""
    log_b = log_erlang_b(n, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.log1p(-np.exp(log_b)) - log_b
    return out


def queue_metrics(
    n: ArrayLike,
    arrival_rate: ArrayLike,
    aht_s: ArrayLike,
    t_s: ArrayLike,
    patience_s: ArrayLike | None = None,
) -> QueueMetrics:
    """Erlang C (``patience_s`` is None or infinite) or Erlang A metrics, vectorised.

    Parameters
    ----------
    n
        Agents on the queue (non-negative integers).
    arrival_rate
        Calls per second.
    aht_s
        Mean handle time, seconds (positive).
    t_s
        Answer target for the service level, seconds.
    patience_s
        Mean (exponential) patience, seconds; ``None`` or ``inf`` for no abandonment.

    Returns
    -------
    QueueMetrics
        ``p_abandon`` is ``nan`` where patience is not modelled.
    """
    pat = np.inf if patience_s is None else patience_s
    n_arr, lam, aht, t, pat_a = np.broadcast_arrays(
        _as_agents(n), _as_float(arrival_rate), _as_float(aht_s), _as_float(t_s), _as_float(pat)
    )
    if np.any(aht <= 0):
        raise ValueError("aht_s must be positive")
    a = lam * aht
    theta = np.where(np.isfinite(pat_a), 1.0 / pat_a, 0.0)
    tail = tail_metrics(_voice_lower(n_arr, a), lam, n_arr / aht, theta, t)
    with np.errstate(divide="ignore", invalid="ignore"):
        served = a * (1.0 - tail.p_abandon)
        # Nobody on a queue with arrivals counts as fully occupied: the cap can never hold there.
        occ = np.where(n_arr > 0, np.minimum(served / np.where(n_arr > 0, n_arr, 1.0), 1.0), 1.0)
    occ = np.where(lam > 0, occ, 0.0)
    p_ab = np.where(theta > 0, tail.p_abandon, np.nan)
    return QueueMetrics(
        p_wait=tail.p_wait,
        service_level=tail.service_level,
        asa_s=tail.asa_s,
        p_abandon=p_ab,
        occupancy=occ,
    )


def erlang_c_metrics(
    n: ArrayLike, arrival_rate: ArrayLike, aht_s: ArrayLike, t_s: ArrayLike
) -> QueueMetrics:
    """Erlang C metrics (``p_abandon`` is ``nan``); see :func:`queue_metrics`."""
    return queue_metrics(n, arrival_rate, aht_s, t_s, None)


def erlang_a_metrics(
    n: ArrayLike,
    arrival_rate: ArrayLike,
    aht_s: ArrayLike,
    patience_s: ArrayLike,
    t_s: ArrayLike,
) -> QueueMetrics:
    """Exact Erlang A (M/M/n+M) metrics with exponential patience, vectorised.

    Parameters
    ----------
    n
        Agents (non-negative integers).
    arrival_rate
        Calls per second.
    aht_s
        Mean handle time, seconds.
    patience_s
        Mean patience, seconds (positive; ``inf`` gives Erlang C with ``p_abandon = nan``).
    t_s
        Answer target, seconds.

    Returns
    -------
    QueueMetrics
        ``p_wait``, ``service_level`` (abandoners are misses), ``asa_s`` (mean wait of all
        callers, abandoners included), ``p_abandon`` and ``occupancy`` (served load / ``n``).
    """
    if np.any(_as_float(patience_s) <= 0):
        raise ValueError("patience_s must be positive")
    return queue_metrics(n, arrival_rate, aht_s, t_s, patience_s)


def __getattr__(name: str) -> Any:
    # Sizing lives in its own module (it builds on this one); re-exported lazily to avoid a cycle.
    if name == "size_agents":
        from scheduler.staffing.sizing import size_agents as _size_agents

        return _size_agents
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
