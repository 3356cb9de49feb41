"""Queue models per channel: voice (Erlang C/A), chat (concurrency chain), deferred work.

**Chat.** An agent holding ``i`` chats completes them at a total rate ``r(i) / aht`` (``aht`` is
the handle time of a chat handled alone), so ``r(i)`` is the throughput curve in "chats' worth"
of one agent. The default, from the queue's one parameter ``concurrency_efficiency`` ``e``, is
``r(i) = 1 + e (i - 1)``: each extra concurrent chat adds ``e`` of a chat's throughput (``e = 1``
would be perfect multitasking, ``e -> 0`` no gain). Chats are spread evenly over the ``N``
agents (join the least loaded), so with ``s`` chats in service, ``s = qN + m``, the system
completes at ``((N - m) r(q) + m r(q+1)) / aht``. Once all ``N k`` slots are full, arrivals
queue FCFS and leave at the constant rate ``N r(k) / aht`` (plus abandonment), which is the tail
of :func:`scheduler.staffing.erlang.tail_metrics`. With ``k = 1`` this is exactly Erlang C/A.
Dividing the handle time by ``k`` and calling Erlang C instead is refused: it assumes agents are
``k`` times faster at any load, which overstates capacity when agents hold few chats and hides
the wait for a free slot.

**Deferred work** (email, back office) is not queued in real time: each interval brings
``offered * aht / 60`` agent-minutes of work that must be done within ``deadline_minutes``
(wall-clock, or open time only when the site's hours are given; see
:mod:`scheduler.staffing.business_hours`). The requirement profile spreads each interval's work
over the intervals of the grid that start within its deadline window ``[ds, due)``, in
proportion to their open minutes; done FIFO, that capacity clears all work on time.
:func:`simulate_backlog` predicts, for any capacity, the share of each interval's work done
within the deadline with a fluid FIFO backlog.

**Why the profile asks for 100 % on time, not the goal's percentage.** A goal such as "90 %
within 4 h" does not reduce the work: every minute of it must still be done, so over any stretch
that ends with an empty backlog the capacity needed is the same. What a percentage allows is
that some work finishes late, and under FIFO (the order the evaluator and the roster both model)
one cannot choose which: a shortfall delays everything queued behind it, so "only 10 % late"
is not a property of a capacity profile that can be imposed interval by interval. Scaling each
interval's share to ``p`` leaves a backlog that grows without bound under steady load (the
on-time share then tends to 0, not ``p``); shifting the due point of the last ``1 - p`` of each
interval's work is exact only if lateness grows monotonically inside every interval, which
depends on the capacity later chosen by the roster. The exact form of the percentage is a
constraint on the whole capacity curve (share of work whose completion time is before its due
time, computed by the backlog), i.e. an optimisation the roster's deferred family can state on
its cumulative-capacity model; the profile here stays the 100 % one, and the roster values
lateness per agent-minute late rather than enforcing 100 %.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import logsumexp

from scheduler.model.queue import Channel, Queue
from scheduler.staffing.erlang import QueueMetrics, _as_agents, queue_metrics, tail_metrics
from scheduler.staffing.sizing import Goal, Sizing, size_with

__all__ = [
    "BacklogResult",
    "chat_metrics",
    "curve_metric",
    "default_throughput",
    "deferred_profile",
    "effective_concurrency",
    "queue_goal",
    "queue_metrics_for",
    "simulate_backlog",
    "size_queue",
    "throughput_for",
]

FloatArray = NDArray[np.float64]


def default_throughput(max_concurrency: int, efficiency: float) -> FloatArray:
    """Throughput curve ``r(i) = 1 + efficiency (i - 1)`` for ``i = 1..max_concurrency``.

    Parameters
    ----------
    max_concurrency
        Chats one agent can hold (``k >= 1``).
    efficiency
        Share of one chat's throughput each extra concurrent chat adds, in ``(0, 1]``.

    Returns
    -------
    numpy.ndarray
        ``r(1), ..., r(k)`` in chats' worth of throughput per agent.
    """
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency}")
    if not 0 < efficiency <= 1:
        raise ValueError(f"concurrency efficiency must be in (0, 1], got {efficiency}")
    result: FloatArray = 1.0 + efficiency * np.arange(max_concurrency, dtype=np.float64)
    return result


def _check_curve(throughput: ArrayLike) -> FloatArray:
    r = np.asarray(throughput, dtype=np.float64).ravel()
    if r.size == 0 or np.any(~np.isfinite(r)) or np.any(r <= 0):
        raise ValueError(f"throughput curve must be positive numbers, got {throughput!r}")
    if np.any(np.diff(r) < 0):
        raise ValueError(f"throughput curve must not fall as chats are added, got {throughput!r}")
    return r


def _chat_log_lower(n: FloatArray, lam: FloatArray, aht: FloatArray, r: FloatArray) -> FloatArray:
    """``log`` of the weight of all states with a free slot, relative to the first full state."""
    k = r.size
    big_k = (n * k).astype(np.int64)
    out = np.full(n.shape, -np.inf)
    rows = (big_k > 0) & (lam > 0)
    if not rows.any():
        return out
    # Rows sorted by their number of states and processed in chunks of similar size, so that no
    # row pays for a much longer one and the (rows x states) work matrix stays a few MB.
    idx = np.flatnonzero(rows)
    idx = idx[np.argsort(big_k[idx], kind="stable")]
    budget = 2_000_000
    lo = 0
    while lo < idx.size:
        hi = min(idx.size, lo + max(1, budget // int(big_k[idx[lo]])))
        while hi - lo > 1 and int(big_k[idx[hi - 1]]) * (hi - lo) > budget:
            hi = lo + max(1, budget // int(big_k[idx[hi - 1]]))
        sel = idx[lo:hi]
        out[sel] = _chat_log_lower_block(n[sel], lam[sel], aht[sel], big_k[sel], r)
        lo = hi
    return out


def _chat_log_lower_block(
    nn: FloatArray, ll: FloatArray, aa: FloatArray, kk: NDArray[np.int64], r: FloatArray
) -> FloatArray:
    k = r.size
    j = np.arange(1, int(kk.max()) + 1, dtype=np.float64)[None, :]
    q = np.floor(j / nn[:, None])
    m = j - q * nn[:, None]
    r_ext = np.concatenate(([0.0], r, [r[-1]]))  # r(0) = 0; r(k+1) only ever masked out
    q_idx = np.minimum(q, k).astype(np.int64)
    r_next = r_ext[np.minimum(q_idx + 1, k + 1)]
    rate = ((nn[:, None] - m) * r_ext[q_idx] + m * r_next) / aa[:, None]
    valid = j <= kk[:, None]
    # Balance: pi_{s-1} lam = pi_s rate(s)  =>  log(pi_s / pi_K) = sum_{j=s+1..K} log(rate_j/lam).
    g = np.where(valid, np.log(np.where(valid, rate, 1.0) / ll[:, None]), 0.0)
    total = g.sum(axis=1)
    cums = np.concatenate((np.zeros((g.shape[0], 1)), np.cumsum(g, axis=1)[:, :-1]), axis=1)
    weights = np.where(valid, total[:, None] - cums, -np.inf)  # column s-1 holds state s-1 < K
    result: FloatArray = logsumexp(weights, axis=1)
    return result


def chat_metrics(
    n: ArrayLike,
    arrival_rate: ArrayLike,
    aht_s: ArrayLike,
    t_s: ArrayLike,
    throughput: ArrayLike,
    patience_s: float | None = None,
) -> QueueMetrics:
    """Chat queue metrics from the concurrency birth-death chain (see module docstring).

    Parameters
    ----------
    n
        Agents on the chat queue (non-negative integers), one per interval.
    arrival_rate
        Chats per second.
    aht_s
        Handle time of a chat handled alone, seconds.
    t_s
        Answer target (time to get a slot), seconds.
    throughput
        ``r(1..k)``: chats' worth of throughput of an agent holding ``i`` chats.
    patience_s
        Mean patience while waiting for a slot; ``None`` for none.

    Returns
    -------
    QueueMetrics
        ``occupancy`` is served work over the agents' full-concurrency capacity ``N r(k)``.
    """
    r = _check_curve(throughput)
    n_arr, lam, aht, t = np.broadcast_arrays(
        _as_agents(n),
        np.asarray(arrival_rate, dtype=np.float64),
        np.asarray(aht_s, dtype=np.float64),
        np.asarray(t_s, dtype=np.float64),
    )
    shape = n_arr.shape
    n_arr, lam, aht, t = (np.atleast_1d(v).ravel() for v in (n_arr, lam, aht, t))
    if np.any(aht <= 0):
        raise ValueError("aht_s must be positive")
    theta = 0.0 if patience_s is None or not np.isfinite(patience_s) else 1.0 / patience_s
    capacity = n_arr * r[-1] / aht
    tail = tail_metrics(_chat_log_lower(n_arr, lam, aht, r), lam, capacity, theta, t)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(capacity > 0, lam * (1.0 - tail.p_abandon) / capacity, 1.0)
    occ = np.where(lam > 0, np.minimum(occ, 1.0), 0.0)
    p_ab = tail.p_abandon if theta > 0 else np.full(lam.shape, np.nan)
    return QueueMetrics(
        p_wait=tail.p_wait.reshape(shape),
        service_level=tail.service_level.reshape(shape),
        asa_s=tail.asa_s.reshape(shape),
        p_abandon=p_ab.reshape(shape),
        occupancy=occ.reshape(shape),
    )


def throughput_for(queue: Queue) -> FloatArray:
    """The chat throughput curve of ``queue`` (``[1.0]`` for single-contact channels).

    The queue's own ``throughput_curve`` where given (measured r(1..k)); otherwise derived from
    ``max_concurrency`` and ``concurrency_efficiency`` by :func:`default_throughput`.
    """
    if queue.channel is Channel.CHAT:
        if queue.throughput_curve is not None:
            return np.asarray(queue.throughput_curve, dtype=np.float64)
        return default_throughput(queue.max_concurrency, queue.concurrency_efficiency)
    return np.ones(1)


def effective_concurrency(queue: Queue) -> float:
    """Chats' worth of work one agent does per unit time at full concurrency (``r(k)``)."""
    return float(throughput_for(queue)[-1])


def answer_target(queue: Queue) -> float:
    """Answer target in seconds for the queue's service-level figures.

    ``answer_seconds`` when the goal has one; an ASA-only goal uses its ASA as the target, so
    that the curve still measures "answered quickly"; otherwise 0 (answered without waiting).
    """
    goal = queue.goal
    if goal.answer_seconds is not None:
        return float(goal.answer_seconds)
    if goal.asa_seconds is not None:
        return float(goal.asa_seconds)
    return 0.0


def curve_metric(queue: Queue) -> Callable[[QueueMetrics], FloatArray]:
    """The "service" the roster buys with each agent on an immediate queue.

    The share answered within :func:`answer_target`; for an abandonment-only goal, the share
    answered at all (``1 - p_abandon``).
    """
    goal = queue.goal
    if (
        goal.answer_seconds is None
        and goal.asa_seconds is None
        and goal.max_abandon is not None
        and queue.patience_seconds is not None
    ):
        return lambda m: 1.0 - m.p_abandon
    return lambda m: m.service_level


def queue_goal(queue: Queue) -> Goal:
    """The sizing limits of an immediate queue."""
    g = queue.goal
    return Goal(
        service_level=g.service_level,
        answer_seconds=g.answer_seconds,
        asa_seconds=g.asa_seconds,
        max_abandon=g.max_abandon,
        max_occupancy=queue.max_occupancy,
    )


def queue_metrics_for(
    queue: Queue, agents: ArrayLike, arrival_rate: ArrayLike, aht_s: ArrayLike
) -> QueueMetrics:
    """Metrics of an immediate queue (voice or chat) for productive ``agents`` per interval."""
    if queue.channel.is_deferred:
        raise ValueError(f"queue {queue.id} is deferred; use simulate_backlog")
    t = answer_target(queue)
    if queue.channel is Channel.CHAT and queue.max_concurrency > 1:
        return chat_metrics(
            agents, arrival_rate, aht_s, t, throughput_for(queue), queue.patience_seconds
        )
    return queue_metrics(agents, arrival_rate, aht_s, t, queue.patience_seconds)


def size_queue(queue: Queue, arrival_rate: ArrayLike, aht_s: ArrayLike) -> Sizing:
    """Productive agents an immediate queue needs per interval to meet its goal.

    Parameters
    ----------
    queue
        A voice or chat queue.
    arrival_rate
        Contacts per second, one per interval.
    aht_s
        Handle time in seconds, one per interval (ignored where nothing arrives).

    Returns
    -------
    Sizing
        Integer and fractional productive agents and the binding limit per interval.
    """
    lam = np.atleast_1d(np.asarray(arrival_rate, dtype=np.float64))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=np.float64), lam.shape)
    active = lam > 0
    aht_safe = np.where(active & (aht > 0), aht, 1.0)
    concurrency = effective_concurrency(queue)

    def evaluate(n: NDArray[np.float64], rows: NDArray[np.intp]) -> QueueMetrics:
        return queue_metrics_for(queue, n, lam[rows], aht_safe[rows])

    load = lam * aht_safe / concurrency
    start = load / queue.max_occupancy + np.sqrt(load) + 1.0
    return size_with(evaluate, queue_goal(queue), start, active)


def deferred_profile(
    work_minutes: ArrayLike,
    start_minutes: ArrayLike,
    deadline_minutes: int,
    interval_minutes: int,
    *,
    due_minutes: ArrayLike | None = None,
    open_minutes: ArrayLike | None = None,
) -> FloatArray:
    """Agents per interval that clear each interval's work within the deadline.

    Parameters
    ----------
    work_minutes
        Agent-minutes of work arriving in each interval.
    start_minutes
        Interval start times in minutes on any common clock, ascending.
    deadline_minutes
        Time allowed from arrival to completion (used when ``due_minutes`` is not given).
    interval_minutes
        Interval length.
    due_minutes
        Per interval, when work arriving at its start is due, on the same clock (for deadlines
        in business hours, see :mod:`scheduler.staffing.business_hours`); default
        ``start + deadline``.
    open_minutes
        Per interval, the minutes the site is open in it; default all of it.

    Returns
    -------
    numpy.ndarray
        Agents (fractional) per interval: each interval's work spread over the grid intervals
        starting in ``[start, due)`` in proportion to their open minutes (evenly when always
        open). Work whose window holds no open minute of the grid (due after its end, with
        the site closed until then) asks for nothing here.
    """
    work = np.asarray(work_minutes, dtype=np.float64)
    starts = np.asarray(start_minutes, dtype=np.float64)
    if np.any(np.diff(starts) <= 0):
        raise ValueError("interval starts must be strictly increasing")
    due = starts + deadline_minutes if due_minutes is None else np.asarray(due_minutes, float)
    if open_minutes is None:
        open_ = np.full(work.size, float(interval_minutes))
    else:
        open_ = np.asarray(open_minutes, dtype=np.float64)
    first = np.arange(work.size)
    last = np.maximum(np.searchsorted(starts, due, side="left"), first + 1)  # exclusive
    cum_open = np.concatenate(([0.0], np.cumsum(open_)))
    window_open = cum_open[last] - cum_open[first]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(window_open > 0, work / window_open, 0.0)  # per open minute
    # Difference array: add each source's rate on [first, last) for every source at once.
    diff = np.zeros(work.size + 1)
    np.add.at(diff, first, rate)
    np.add.at(diff, last, -rate)
    result: FloatArray = np.cumsum(diff[:-1]) * open_ / interval_minutes
    return result


def integer_deferred_need(
    profile: ArrayLike,
    work_minutes: ArrayLike,
    agent_minutes: float,
    deadline_minutes: float,
    interval_minutes: int,
    *,
    due_minutes: ArrayLike | None = None,
    allowed: ArrayLike | None = None,
) -> NDArray[np.int64]:
    """Whole agents per interval whose capacity keeps up with a deferred-work profile.

    Deferred work is judged by cumulative capacity, so the profile is rounded over its running
    sum, not interval by interval (rounding each interval up asked for a whole agent wherever a
    fraction would do, several times the week's work on thin queues). Capacity before the work
    has arrived is wasted, so the running sum counts only the work actually processed:
    ``n[t] = ceil((F[t] - D[t-1]) / c)`` with ``F`` the profile's cumulative work, ``c`` one
    agent's capacity per interval and ``D[t] = min(D[t-1] + c n[t], A[t])`` the work processed
    by the end of ``t`` out of ``A[t]`` arrived. Then the fluid FIFO backlog
    (:func:`simulate_backlog`, uniform arrivals within an interval) is checked, and where work
    due inside the horizon would still be late one agent is added in the last allowed interval
    before it is due, until none is.

    Parameters
    ----------
    profile
        Work-minutes per interval the deadline-driven profile processes (see
        :func:`deferred_profile`, times the interval).
    work_minutes
        Agent-minutes of work arriving per interval.
    agent_minutes
        Work-minutes one scheduled agent clears per interval (after shrinkage and occupancy).
    deadline_minutes, interval_minutes, due_minutes
        As for :func:`simulate_backlog`.
    allowed
        Intervals where agents may be scheduled (default all).

    Returns
    -------
    numpy.ndarray
        Agents per interval (integers, zero where not allowed).
    """
    prof = np.asarray(profile, dtype=np.float64)
    work = np.asarray(work_minutes, dtype=np.float64)
    n = prof.size
    ok = np.ones(n, dtype=bool) if allowed is None else np.asarray(allowed, dtype=bool)
    if agent_minutes <= 0:
        raise ValueError(f"agent_minutes must be positive, got {agent_minutes}")
    target = np.cumsum(prof)
    arrived = np.cumsum(work)
    need = np.zeros(n, dtype=np.int64)
    done = 0.0
    for t in range(n):
        short = target[t] - done
        if ok[t] and short > 1e-9 * (1.0 + target[t]):
            need[t] = math.ceil(short / agent_minutes - 1e-9)
        done = min(done + need[t] * agent_minutes, arrived[t])
    due = (
        np.arange(n) * interval_minutes + deadline_minutes
        if due_minutes is None
        else np.asarray(due_minutes, dtype=np.float64)
    )
    horizon_end = n * interval_minutes
    open_idx = np.flatnonzero(ok)
    for _ in range(4 * n):
        late = simulate_backlog(
            work, need * agent_minutes, deadline_minutes, interval_minutes, due_minutes=due
        ).within_deadline
        # Work due after the horizon may be finished after it: not this horizon's need.
        # One interval of slack: work arriving late in an interval is due that much later.
        fix = (late < 1.0 - 1e-6) & (work > 0) & (due + interval_minutes <= horizon_end)
        if not fix.any():
            break
        i = int(np.argmax(fix))
        last = min(math.ceil(due[i] / interval_minutes), n) - 1
        window = open_idx[(open_idx >= i) & (open_idx <= last)]
        if window.size == 0:
            break
        need[window[-1]] += 1
    return need


@dataclass(frozen=True)
class BacklogResult:
    """Predicted outcome of deferred work per interval of arrival.

    Attributes
    ----------
    within_deadline
        Share of the interval's work finished within the deadline (``1`` where none arrives).
    mean_delay_s
        Mean time from arrival to completion of the interval's work, seconds (``inf`` if some of
        it is not finished in the horizon).
    occupancy
        Work done in the interval over the capacity available in it.
    backlog_minutes
        Agent-minutes of work waiting at the end of the interval.
    """

    within_deadline: FloatArray
    mean_delay_s: FloatArray
    occupancy: FloatArray
    backlog_minutes: FloatArray


def simulate_backlog(
    work_minutes: ArrayLike,
    capacity_minutes: ArrayLike,
    deadline_minutes: float,
    interval_minutes: int,
    *,
    substeps: int = 8,
    due_minutes: ArrayLike | None = None,
) -> BacklogResult:
    """Fluid FIFO backlog of deferred work on a regular interval grid.

    Work and capacity arrive uniformly within each interval. The backlog follows Lindley's
    recursion on a grid of ``substeps`` per interval (exact at those points), the cumulative
    completion curve is interpolated between them, and each sub-step's work is done within the
    deadline when the completion curve reaches it by ``arrival + deadline``. Work not finished
    by the end of the horizon counts as late (no capacity is assumed beyond it).

    Parameters
    ----------
    work_minutes
        Agent-minutes arriving per interval.
    capacity_minutes
        Productive agent-minutes available per interval.
    deadline_minutes
        Allowed time from arrival to completion.
    interval_minutes
        Interval length; the arrays are consecutive intervals.
    substeps
        Sub-steps per interval of the fluid grid.
    due_minutes
        Per interval, when work arriving at its start is due, in minutes from the start of the
        first interval (business-hours deadlines); work arriving ``u`` minutes into the interval
        is due ``u`` minutes later. Default ``start + deadline_minutes``. Where a business-hours
        due time falls in a closure this is stricter than the exact rule by at most the part of
        one interval that is closed.

    Returns
    -------
    BacklogResult
        Per-interval share on time, mean delay, occupancy and backlog.
    """
    work = np.asarray(work_minutes, dtype=np.float64)
    cap = np.asarray(capacity_minutes, dtype=np.float64)
    if work.shape != cap.shape:
        raise ValueError("work and capacity need one value per interval each")
    if np.any(work < 0) or np.any(cap < 0):
        raise ValueError("work and capacity must be non-negative")
    m = substeps
    dt = interval_minutes / m
    w_sub = np.repeat(work / m, m)
    c_sub = np.repeat(cap / m, m)
    # Lindley: Q_i = S_i - min_{j<=i} S_j with S the running sum of (work - capacity), S_0 = 0.
    s = np.concatenate(([0.0], np.cumsum(w_sub - c_sub)))
    queue = s - np.minimum.accumulate(np.minimum(s, 0.0))
    arrived = np.concatenate(([0.0], np.cumsum(w_sub)))
    done = arrived - queue
    done = np.maximum.accumulate(done)  # remove rounding wiggles; completion never goes back
    t_grid = np.arange(done.size) * dt
    # Within a sub-step the work's cumulative position and the completion curve one deadline
    # later are both (close to) linear, so the on-time share is where their difference >= 0.
    tol = 1e-9 * (1.0 + arrived[-1])
    if due_minutes is None:
        due_grid = t_grid + deadline_minutes
    else:
        due_i = np.asarray(due_minutes, dtype=np.float64)
        if due_i.shape != work.shape:
            raise ValueError("due_minutes needs one value per interval")
        offsets = np.arange(m) * dt
        due_grid = np.concatenate(
            ((due_i[:, None] + offsets[None, :]).ravel(), [due_i[-1] + m * dt])
        )
    late_end = np.interp(due_grid, t_grid, done) - arrived
    f0, f1 = late_end[:-1], late_end[1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        cross = np.where(f0 >= -tol, f0 / (f0 - f1), f1 / (f1 - f0))
    on_time = np.where(
        (f0 >= -tol) & (f1 >= -tol), 1.0, np.where((f0 < -tol) & (f1 < -tol), 0.0, cross)
    )
    on_time = np.clip(np.nan_to_num(on_time, nan=1.0), 0.0, 1.0)
    u_mid = arrived[:-1] + w_sub / 2
    a_mid = t_grid[:-1] + dt / 2
    # Completion time of position u: first grid time the completion curve reaches it.
    idx = np.searchsorted(done, u_mid - 1e-12, side="left")
    finished = idx < done.size
    idx_c = np.minimum(idx, done.size - 1)
    prev = np.maximum(idx_c - 1, 0)
    span = done[idx_c] - done[prev]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(span > 0, (u_mid - done[prev]) / span, 1.0)
    t_done = np.where(idx_c > 0, t_grid[prev] + np.clip(frac, 0, 1) * dt, 0.0)
    delay = np.where(finished, np.maximum(t_done - a_mid, 0.0), np.inf)
    n = work.size
    weight = w_sub.reshape(n, m)
    total = weight.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, (weight * on_time.reshape(n, m)).sum(axis=1) / total, 1.0)
        delay_w = np.where(weight > 0, delay.reshape(n, m), 0.0)
        mean_delay = np.where(total > 0, (weight * delay_w).sum(axis=1) / total, 0.0)
        done_in = np.diff(done[::m])
        occ = np.where(cap > 0, np.minimum(done_in / cap, 1.0), 0.0)
    return BacklogResult(
        within_deadline=share,
        mean_delay_s=mean_delay * 60.0,
        occupancy=occ,
        backlog_minutes=queue[m::m],
    )
