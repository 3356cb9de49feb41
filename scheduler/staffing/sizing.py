"""Smallest agent counts that meet a service goal, per interval, with the binding limit named.

Each limit (service level, ASA, abandonment, occupancy) is monotone in the number of agents, so
its own minimum is found for all intervals at once: a galloping search from a guess followed by
bisection, evaluating the queue model only on the intervals still undecided (a handful of
vectorised evaluations whatever the number of intervals). Erlang C has a faster exact route
(stepping Erlang B's recursion up from the stability bound; occupancy in closed form). The
requirement is the largest of the minima and the limit that gave it is reported as binding
(ties go to the larger fractional need, then to the order of :data:`BINDING_ORDER`).

A fractional requirement is also returned: between ``n - 1`` (fails) and ``n`` (meets) the binding
metric is interpolated linearly and the crossing point is the fractional need (for the Erlang C
occupancy cap it is ``a / cap`` exactly). It is what a planner would read off a smooth staffing
curve; the integer need is always its ceiling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scheduler.staffing.erlang import QueueMetrics, erlang_b, queue_metrics

__all__ = [
    "BINDING_ORDER",
    "Goal",
    "Sizing",
    "scheduled_from_productive",
    "size_agents",
    "size_with",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Evaluator = Callable[[FloatArray, NDArray[np.intp]], QueueMetrics]
"""``evaluate(n, rows)``: the queue model's metrics for ``n`` agents on intervals ``rows``."""

BINDING_ORDER = ("service_level", "asa", "abandon", "occupancy")
"""Tie-break order when two limits need the same number of agents."""

_MAX_AGENTS = 10_000_000


@dataclass(frozen=True)
class Goal:
    """The limits one queue is sized to; ``None`` switches a limit off.

    Attributes
    ----------
    service_level
        Share to answer within ``answer_seconds`` (open interval 0..1).
    answer_seconds
        Answer target in seconds for the service level.
    asa_seconds
        Upper limit on the mean speed of answer.
    max_abandon
        Upper limit on the share abandoning (needs a patience to mean anything).
    max_occupancy
        Upper limit on occupancy (1 means no cap).
    """

    service_level: float | None = None
    answer_seconds: float | None = None
    asa_seconds: float | None = None
    max_abandon: float | None = None
    max_occupancy: float = 1.0

    def __post_init__(self) -> None:
        if self.service_level is not None:
            if not 0 < self.service_level < 1:
                raise ValueError(f"service_level must be in (0, 1), got {self.service_level}")
            if self.answer_seconds is None or self.answer_seconds < 0:
                raise ValueError(
                    f"service_level needs answer_seconds >= 0, got {self.answer_seconds}"
                )
        if self.asa_seconds is not None and self.asa_seconds <= 0:
            raise ValueError(f"asa_seconds must be positive, got {self.asa_seconds}")
        if self.max_abandon is not None and not 0 < self.max_abandon < 1:
            raise ValueError(f"max_abandon must be in (0, 1), got {self.max_abandon}")
        if not 0 < self.max_occupancy <= 1:
            raise ValueError(f"max_occupancy must be in (0, 1], got {self.max_occupancy}")

    def limits(self) -> list[tuple[str, Callable[[QueueMetrics], FloatArray], float, bool]]:
        """Active limits as ``(name, metric getter, threshold, higher_is_better)``."""
        out: list[tuple[str, Callable[[QueueMetrics], FloatArray], float, bool]] = []
        if self.service_level is not None:
            out.append(("service_level", lambda m: m.service_level, self.service_level, True))
        if self.asa_seconds is not None:
            out.append(("asa", lambda m: m.asa_s, self.asa_seconds, False))
        if self.max_abandon is not None:
            # Without patience nobody abandons: the metric is nan and the limit always holds.
            out.append(("abandon", lambda m: np.nan_to_num(m.p_abandon), self.max_abandon, False))
        if self.max_occupancy < 1:
            out.append(("occupancy", lambda m: m.occupancy, self.max_occupancy, False))
        return out


@dataclass(frozen=True)
class Sizing:
    """Result of sizing, one entry per interval.

    Attributes
    ----------
    agents
        Smallest integer number of productive agents meeting every limit.
    fractional
        Fractional need (see module docstring); ``agents == ceil(fractional)``.
    binding
        Name of the limit that decided ``agents`` (``"closed"`` where nothing arrives,
        ``"none"`` where no limit is active).
    """

    agents: IntArray
    fractional: FloatArray
    binding: NDArray[np.str_]


def _meets(metric: FloatArray, threshold: float, higher_is_better: bool) -> NDArray[np.bool_]:
    # A hair of tolerance so that a published example sitting exactly on the target is met.
    if higher_is_better:
        return metric >= threshold - 1e-12
    return metric <= threshold + 1e-12


Direct = Callable[[str, NDArray[np.intp]], "tuple[FloatArray, FloatArray] | None"]
"""``direct(limit, rows)``: ``(n, fractional)`` for a limit solved without search, or None."""


def size_with(
    evaluate: Evaluator,
    goal: Goal,
    start: ArrayLike,
    active: ArrayLike,
    direct: Direct | None = None,
) -> Sizing:
    """Size every interval against ``goal`` with any monotone queue model.

    Parameters
    ----------
    evaluate
        ``evaluate(n, rows)``: metrics for agent counts ``n`` on the intervals ``rows``.
    goal
        The limits to meet.
    start
        A first guess at the agent count per interval; the search gallops from it (steps 1, 2,
        4, ... up or down) to a bracket and bisects, so a close guess costs few evaluations.
    active
        Intervals with work; the others get 0 agents and binding ``"closed"``.
    direct
        Optional shortcut for limits a model can solve faster than by search.

    Returns
    -------
    Sizing
        Integer and fractional needs and the binding limit.
    """
    act = np.asarray(active, dtype=bool)
    size = act.shape[0]
    best = np.zeros(size, dtype=np.int64)
    best_frac = np.zeros(size)
    binding = np.where(act, "none", "closed").astype(object)
    rows = np.flatnonzero(act)
    limits = goal.limits()
    if not limits or rows.size == 0:
        return Sizing(best, best_frac, binding.astype(str))
    guess = np.maximum(np.ceil(np.asarray(start, dtype=np.float64)[rows]), 1.0)
    for name, getter, threshold, higher in limits:
        solved = direct(name, rows) if direct is not None else None
        if solved is None:
            solved = _search(evaluate, rows, guess, getter, threshold, higher, name)
        n, frac = solved
        better = (n > best[rows]) | ((n == best[rows]) & (frac > best_frac[rows] + 1e-12))
        upd = rows[better]
        best[upd] = n[better]
        best_frac[upd] = frac[better]
        binding[upd] = name
    return Sizing(best, best_frac, binding.astype(str))


def _search(
    evaluate: Evaluator,
    rows: NDArray[np.intp],
    guess: FloatArray,
    getter: Callable[[QueueMetrics], FloatArray],
    threshold: float,
    higher: bool,
    name: str,
) -> tuple[FloatArray, FloatArray]:
    """Smallest passing count per row, and the fractional crossing below it."""
    m = rows.size
    lo = np.full(m, np.nan)  # largest count known to fail (-1: none can fail below 0)
    hi = np.full(m, np.nan)  # smallest count known to pass
    v_lo = np.full(m, np.nan)
    v_hi = np.full(m, np.nan)

    def probe(sel: NDArray[np.intp], n: FloatArray) -> NDArray[np.bool_]:
        val = getter(evaluate(n, rows[sel]))
        ok = _meets(val, threshold, higher)
        hi[sel[ok]], v_hi[sel[ok]] = n[ok], val[ok]
        lo[sel[~ok]], v_lo[sel[~ok]] = n[~ok], val[~ok]
        return ok

    probe(np.arange(m), guess)
    step = 1.0
    while True:  # gallop until every row has a bracket
        down = np.flatnonzero(np.isnan(lo))
        up = np.flatnonzero(np.isnan(hi))
        if down.size == 0 and up.size == 0:
            break
        if up.size and np.nanmax(lo[up]) > _MAX_AGENTS:
            raise ValueError(f"{name} limit {threshold} cannot be met with any staff")
        cand_down = hi[down] - step
        floor = cand_down < 0
        lo[down[floor]] = -1.0
        sel = np.concatenate((down[~floor], up))
        if sel.size:
            probe(sel, np.concatenate((cand_down[~floor], lo[up] + step)))
        step *= 2
    while True:  # bisect the brackets
        gap = np.flatnonzero(hi - lo > 1)
        if gap.size == 0:
            break
        probe(gap, np.floor((lo[gap] + hi[gap]) / 2))
    # Fractional need: where the metric's straight line between n - 1 and n crosses the target.
    # (The same expression serves metrics that must rise above and fall below their target.)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (threshold - v_lo) / (v_hi - v_lo)
    # Infinite ASA below n, or a flat metric: the whole last agent is needed.
    share = np.where(np.isfinite(share), np.clip(share, 1e-9, 1.0), 1.0)
    frac = np.where(hi > 0, lo + share, 0.0)
    return hi, frac


def size_agents(
    arrival_rate: ArrayLike,
    aht_s: ArrayLike,
    *,
    service_level: float | None = None,
    answer_seconds: float | None = None,
    asa_seconds: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float = 1.0,
    patience_s: float | None = None,
) -> Sizing:
    """Smallest number of voice agents (Erlang C, or Erlang A with a patience) per interval.

    Parameters
    ----------
    arrival_rate
        Calls per second, one value per interval.
    aht_s
        Mean handle time in seconds (scalar or one per interval).
    service_level, answer_seconds
        Target share answered within ``answer_seconds`` (abandoners are misses).
    asa_seconds
        Upper limit on the average speed of answer.
    max_abandon
        Upper limit on the abandonment share (Erlang A only).
    max_occupancy
        Occupancy cap; ``1`` for none.
    patience_s
        Mean patience in seconds for Erlang A; ``None`` for Erlang C.

    Returns
    -------
    Sizing
        ``agents`` (productive agents needed), ``fractional`` and ``binding``.

    Examples
    --------
    >>> s = size_agents([100 / 1800], 180, service_level=0.8, answer_seconds=20)
    >>> int(s.agents[0]), str(s.binding[0])
    (14, 'service_level')
    """
    lam = np.atleast_1d(np.asarray(arrival_rate, dtype=np.float64))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=np.float64), lam.shape)
    if np.any(lam < 0) or not np.all(np.isfinite(lam)):
        raise ValueError("arrival_rate must be finite and non-negative")
    active = lam > 0
    if np.any(active & ~(aht > 0)):
        raise ValueError("aht_s must be positive where calls arrive")
    aht_safe = np.where(aht > 0, aht, 1.0)
    goal = Goal(service_level, answer_seconds, asa_seconds, max_abandon, max_occupancy)
    t = answer_seconds if answer_seconds is not None else 0.0

    def evaluate(n: FloatArray, rows: NDArray[np.intp]) -> QueueMetrics:
        return queue_metrics(n, lam[rows], aht_safe[rows], t, patience_s)

    load = lam * aht_safe
    start = load / max_occupancy + np.sqrt(load) + 1.0
    if patience_s is not None and np.isfinite(patience_s):
        return size_with(evaluate, goal, start, active)
    cache: dict[str, tuple[FloatArray, FloatArray]] = {}

    def direct(name: str, rows: NDArray[np.intp]) -> tuple[FloatArray, FloatArray] | None:
        if name == "occupancy":
            # a / n <= cap  <=>  n >= a / cap; the fractional need is a / cap itself.
            need = load[rows] / max_occupancy
            return np.maximum(np.ceil(need - 1e-9), 1.0), need
        if name in ("service_level", "asa"):
            if not cache:
                cache.update(_erlang_c_upward(lam[rows], aht_safe[rows], goal))
            return cache[name]
        return None

    return size_with(evaluate, goal, start, active, direct)


def _erlang_c_upward(
    lam: FloatArray, aht: FloatArray, goal: Goal
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Erlang C service-level and ASA minima by stepping ``n`` up from the stability bound.

    ``B(n) = a B(n-1) / (n + a B(n-1))`` costs a few array operations per step, and the answer
    lies a few square roots of the load above ``a``, so this beats a search that re-evaluates
    the incomplete gamma at every probe. Below ``n0 = floor(a) + 1`` the queue is unstable (SL 0,
    ASA infinite), which is also the value used for the fractional interpolation at ``n0``.
    """
    a = lam * aht
    n = np.floor(a) + 1.0
    b = erlang_b(n, a)
    t = goal.answer_seconds if goal.answer_seconds is not None else 0.0
    wanted: dict[str, tuple[float, bool]] = {}
    if goal.service_level is not None:
        wanted["service_level"] = (goal.service_level, True)
    if goal.asa_seconds is not None:
        wanted["asa"] = (goal.asa_seconds, False)
    found = {k: np.full(a.size, np.nan) for k in wanted}
    frac = {k: np.full(a.size, np.nan) for k in wanted}
    prev = {"service_level": np.zeros(a.size), "asa": np.full(a.size, np.inf)}
    todo = np.arange(a.size)
    while todo.size:
        nn, aa, bb = n[todo], a[todo], b[todo]
        c = bb / (1.0 - (aa / nn) * (1.0 - bb))
        values = {
            "service_level": 1.0 - c * np.exp(-(nn - aa) * t / aht[todo]),
            "asa": c * aht[todo] / (nn - aa),
        }
        pending = np.zeros(todo.size, dtype=bool)
        for key, (target, higher) in wanted.items():
            val = values[key]
            new = np.isnan(found[key][todo]) & _meets(val, target, higher)
            idx = todo[new]
            found[key][idx] = nn[new]
            with np.errstate(invalid="ignore", divide="ignore"):
                share = (target - prev[key][idx]) / (val[new] - prev[key][idx])
            share = np.where(np.isfinite(share), np.clip(share, 1e-9, 1.0), 1.0)
            frac[key][idx] = nn[new] - 1.0 + share
            prev[key][todo] = val
            pending |= np.isnan(found[key][todo])
        todo = todo[pending]
        n[todo] += 1.0
        b[todo] = a[todo] * b[todo] / (n[todo] + a[todo] * b[todo])
    return {k: (found[k], frac[k]) for k in wanted}


def scheduled_from_productive(agents: ArrayLike, shrinkage: float) -> IntArray:
    """Agents to schedule on the queue so that ``agents`` remain after shrinkage.

    ``ceil(agents / (1 - shrinkage))``, with a tolerance so that 14 / 0.7 is 20, not 21.
    """
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage}")
    raw = np.asarray(agents, dtype=np.float64) / (1.0 - shrinkage)
    result: IntArray = np.ceil(raw - 1e-9).astype(np.int64)
    return result
