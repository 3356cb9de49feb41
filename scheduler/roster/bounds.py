"""A lower bound on the roster objective from an LP relaxation solved with HiGHS.

CP-SAT's own bound stays trivial on these models, so quality is measured against this LP,
formulated outside CP-SAT over aggregated counts. Every constraint below holds for every feasible
roster (summed over identical agents, or weakened), and the objective is the exact objective of
:func:`scheduler.roster.evaluate.evaluate` or a function below it, so the LP optimum is a valid
lower bound. Scaled units as in :mod:`scheduler.roster.problem_data`.

Agents are merged into *classes* of identical agents (same skill group, contract, candidate
shifts with the same costs, cost of a day off, fairness ledger and, with one skill,
proficiency); for identical agents the aggregated LP has the same optimum as the per-agent LP
(split any aggregate solution evenly).
For class ``C`` with ``m_C`` members:

- shifts: ``0 <= y[c] <= m_C`` agents of the class work candidate ``c`` (the representative's);
  ``sum_{c on d} y[c] <= m_C`` per day;
- contracts, per 7-day block ``W`` (limits of :func:`.contracts.week_limits`):
  ``m_C min_minutes <= sum paid(c) y[c] <= m_C max_minutes``, likewise days and shifts per kind;
  over the whole horizon (:func:`.contracts.horizon_limits`) the same for minutes and shifts
  per kind;
  max consecutive days ``M``: ``sum_{c on d..d+M} y[c] <= m_C M``;
- rest ``R`` between days ``d`` and ``d + 1``: for every start ``s`` of a day-``d + 1``
  candidate, an agent cannot both end day ``d`` after ``s - R`` and start day ``d + 1`` by ``s``:
  ``sum_{c on d: end(c) + R > s} y[c] + sum_{c' on d+1: start(c') <= s} y[c'] <= m_C``
  (only for the starts ``s`` just before some ``end(c) + R``: the others are implied);
  forbidden successions ``(k1, k2)``: ``sum_{kind k1 on d} y + sum_{kind k2 on d+1} y <= m_C``;
- weekends: ``w[C, W] >= sum_{c on d} y[c]`` for each day ``d`` of weekend ``W``,
  ``w <= m_C``, ``sum_W w[C, W] <= m_C max_weekends``;
- breaks (per class, day, template ``p`` and break rule ``r`` with start window ``[f, l]``):
  ``x[s, k] >= 0`` breaks of the shifts first on duty in ``s`` taken at ``s + f + k``,
  ``sum_k x[s, k] = sum_{c of p: first(c) = s} y[c]`` (every shift takes its break); the agents
  on break in ``t`` are the ``x[s, k]`` with ``s + f + k <= t < s + f + k + span`` (overlaps
  between one agent's breaks are not excluded: a relaxation);
- work: on duty ``O[G, t] = sum_{c covers t} y[c]`` per skill group (a running sum of starts
  minus ends), working ``O - breaks``; skill group ``G`` splits its work over its queues,
  ``sum_q f[G, q, t] = work[G, t]``;
- value: head count ``n[q, t] = sum_G f[G, q, t] = sum_k u[q, t, k] + v[q, t]`` with
  ``0 <= u <= 1`` priced ``-gain(q, t, k)`` and ``v >= 0`` priced ``-tail_gain(q, t)`` (gains are
  non-increasing, so the LP fills the levels in order: the concave value exactly; levels of equal
  gain are merged into one column, and levels above the agents skilled for ``q`` with a
  candidate covering ``t`` are left out: no roster reaches them);
- deferred queues, work counted in agent-intervals (``I`` work units each, for scaling):
  processed work ``D[t]`` with ``0 <= D[t] - D[t-1] <= n[q, t]`` and ``D[t] <= arrived[t] / I``,
  lateness ``late[t] >= due[t] / I - D[t]``, ``late >= 0`` priced ``I`` times the cost; the FIFO
  backlog of a real roster is one such ``D`` (the largest at every ``t``), so its lateness is
  attained;
- fairness: each agent's penalty ``f_k(n)`` for kind ``k`` is convex in its count ``n``; with
  ``N`` the class total, ``sum_i f_k(n_i) >= m_C f_k(N / m_C)`` (Jensen), imposed through the
  tangent lines of the convex envelope of ``f_k``:
  ``phi[C, k] >= m_C f_k(j) + (f_k(j + 1) - f_k(j)) (N - m_C j)`` for every ``j``;
- shift cover (:mod:`.shift_cover`), per row ``r``: the count ``N_r = sum_{c in S_r} y[c]``
  over the classes' candidates that count (identical agents' candidates count alike), exactly:
  ``min_r <= N_r <= max_r``, ``under_r >= T_r - N_r`` and ``over_r >= N_r - T_r`` priced
  ``under_cost`` and ``over_cost`` (both slacks ``>= 0``);
- goal attainment (:mod:`.goal_attainment`, weight ``w`` > 0), per immediate queue ``q`` with
  goal ``g_q`` and day ``d``: ``s[q, d] >= 0`` contacts short, priced ``r = scale(w)`` each, with
  ``s[q, d] + sum_{t in d} sum_k dV[q, t, k] u[q, t, k] >= g_q O[q, d] - sum_{t in d} V_qt(0)``
  over the value columns above, ``dV[q, t, k] = V_qt(k + 1) - V_qt(k)`` the contacts in target
  the level adds on the envelope the gains are drawn from (unscaled, and not the gain, which
  also holds the under/overstaffing weights; levels are merged only where both agree; the tail
  adds none, the envelope being flat past the last level). Filled in order, the levels give a
  roster's contacts in target exactly, so its shortfall is feasible for ``s``; the model's
  penalty rounds ``r s`` up, so the column prices it from below; ``s <= g_q O[q, d]`` (no
  roster answers fewer than none). Weight 0 adds no column and no row;
- costs: ``sum_c cost(c) y[c] + sum_d off_cost(d) (m_C - sum_{c on d} y[c])``;
- proficiency: an agent-interval of class ``C`` on queue ``q`` costs ``-rint((p[a, q] - 1)
  g_ref[q, t])`` (:func:`.proficiency.total`), at least ``c[C, q, t] = -rint((max_{a in C}
  p[a, q] - 1) g_ref[q, t])`` (``rint`` is monotone, ``g_ref >= 0``). Split as ``c[C, q, t] >=
  base[C, t] + extra[G, q, t]`` with ``base[C, t] = min_q c[C, q, t]`` and ``extra[G, q, t] =
  min_{C in G} (c[C, q, t] - base[C, t]) >= 0``: ``base`` prices the class's work (folded into
  its shift and break columns' costs, no column of its own) and ``extra`` the group's flow
  ``f[G, q, t]`` (work left without a flow goes to a queue of price ``>= base``). Agents with
  one skill are split into classes by their proficiency, which makes their price exact: on the
  300-agent week the single-skill agents below 1 pay most of the roster's proficiency term, and
  pricing them at their class's best member (1) left the bound 0.9 % of the objective too low
  (-76,905 instead of -76,231) at 71 classes instead of 42 (1.6 times the LP's time). Classes
  with several skills are not split: splitting them by their whole proficiency profile as well
  (150 classes, 519k columns, about 5 times the LP's time) did not raise that bound further;
- bounds: every column gets finite bounds that every roster's image satisfies (``y, x <= m_C``,
  flows and on-duty counts ``<=`` the group's size, a level's tail ``<=`` the agents who can
  reach it, ``late <= due``, ``phi <= m_C f_k(most)``, ...): they do not cut the LP below any
  roster, and they keep the Lagrangian value below finite.

The value reported is not HiGHS's primal objective (its interior point method stops at a
relative gap of :data:`IPM_TOLERANCE` without crossover, at a point that is only nearly feasible,
so that objective may lie above the LP optimum) but the Lagrangian dual value of HiGHS's row
duals, recomputed by :func:`.lp_highs.lagrangian_bound`: below the LP optimum for any duals,
within about the tolerance of it for the near-optimal ones (1e-7 relative measured on the
300-agent week), minus :data:`SAFETY` for rounding.

Dropped (valid, only weaker): rest with the previous roster's tail and across two days,
minimum consecutive days off and working days, that a pinned day must be worked (its candidates
are already only the pinned shift), the spread of fairness counts and queue switches (both never
negative), one agent's breaks overlapping, integrality, the rounding up of the goal-attainment
penalty per queue-day.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from scheduler.roster.cpsat.constraints import (
    fairness,
    goal_attainment,
    shift_cover,
)
from scheduler.roster.cpsat.constraints.contracts import horizon_limits, week_limits
from scheduler.roster.problem_data import SCALE, Candidate, ProblemData, unscale

INF = math.inf

SAFETY = 1e-6
"""Relative margin taken off the Lagrangian value for floating-point rounding in computing it."""

IPM_TOLERANCE = 1e-6
"""Relative primal-dual gap at which HiGHS's interior point method stops (see :mod:`.lp_highs`)."""


@dataclass(frozen=True)
class Bound:
    """An LP lower bound on the objective.

    Attributes
    ----------
    value
        The bound in objective value units (lower than or equal to every roster's objective).
    scaled
        The same in scaled units.
    seconds
        Time to build the LP and for HiGHS to solve it (without starting the child process).
    columns, rows
        LP size.
    build_seconds, solve_seconds
        The two parts of ``seconds``.
    iterations
        Interior point iterations.
    """

    value: float
    scaled: float
    seconds: float
    columns: int
    rows: int
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    iterations: int = 0


@dataclass
class _Lp:
    """Columns and rows of the LP under construction (COO entries)."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    entry_row: list[int] = field(default_factory=list)
    entry_col: list[int] = field(default_factory=list)
    entry_val: list[float] = field(default_factory=list)
    offset: float = 0.0

    def col(self, cost: float = 0.0, lower: float = 0.0, upper: float = INF) -> int:
        """A new column; its index."""
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.cost) - 1

    def row(self, terms: list[tuple[int, float]], lower: float = -INF, upper: float = INF) -> None:
        """A row ``lower <= sum coef * col <= upper``."""
        r = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        for c, v in terms:
            self.entry_row.append(r)
            self.entry_col.append(c)
            self.entry_val.append(v)

    def arrays(self, time_limit: float, tolerance: float = IPM_TOLERANCE) -> dict[str, np.ndarray]:
        """The LP as the arrays :mod:`scheduler.roster.lp_highs` reads."""
        n_col, n_row = len(self.cost), len(self.row_lower)
        matrix = sparse.csc_matrix(
            (self.entry_val, (self.entry_row, self.entry_col)), shape=(n_row, n_col)
        )
        matrix.sum_duplicates()
        return {
            "cost": np.asarray(self.cost, dtype=np.float64),
            "lower": np.asarray(self.lower, dtype=np.float64),
            "upper": np.asarray(self.upper, dtype=np.float64),
            "row_lower": np.asarray(self.row_lower, dtype=np.float64),
            "row_upper": np.asarray(self.row_upper, dtype=np.float64),
            "start": matrix.indptr.astype(np.int32),
            "index": matrix.indices.astype(np.int32),
            "value": matrix.data.astype(np.float64),
            "offset": np.asarray(self.offset),
            "time_limit": np.asarray(max(0.1, time_limit)),
            "ipm_tolerance": np.asarray(tolerance),
        }


def _classes(data: ProblemData) -> list[list[int]]:
    """Agents grouped by everything the LP reads about them."""
    by_key: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for spec in data.agents:
        shifts = tuple(
            tuple(
                (
                    (cand := data.candidates[c]).template,
                    cand.start,
                    cand.end,
                    cand.pay_cost,
                    cand.preference_cost,
                    cand.stability_cost,
                )
                for c in day
            )
            for day in spec.candidates
        )
        ledger = tuple(sorted(fairness.carried(spec.ledger).items()))
        # One skill: the class's price is exact only if its members share the proficiency
        # (module docstring); several skills keep their classes (see there why).
        skill_price = spec.proficiency if len(spec.skills) == 1 else ()
        key = (spec.group, spec.contract.id, shifts, spec.off_cost, ledger, skill_price)
        by_key[key].append(spec.index)
    return list(by_key.values())


def _convex_envelope(values: list[int]) -> list[float]:
    """Lower convex envelope of ``values[n]`` over ``n = 0..N`` (below the values everywhere)."""
    return [-x for x in _concave(np.asarray([-v for v in values], dtype=np.float64))]


def _concave(values: np.ndarray) -> list[float]:
    from scheduler.roster.problem_data import concave_envelope

    return [float(x) for x in concave_envelope(values)]


def build_lp(data: ProblemData) -> _Lp:
    """The LP relaxation of the module docstring."""
    lp = _Lp()
    # work[g][t]: (column, coefficient) pairs making up the work of skill group g in t.
    work: dict[int, dict[int, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
    shift_cols: dict[int, int] = {}
    # duty[g]: shift columns of skill group g by the interval they start and end in.
    duty: dict[int, tuple[dict[int, list[int]], dict[int, list[int]]]] = defaultdict(
        lambda: (defaultdict(list), defaultdict(list))
    )
    # Proficiency (module docstring): extra[g][i, t], the least excess of skill group g's
    # classes on its i-th queue over their base price, is priced on the group's flows.
    extra: dict[int, np.ndarray] = {}
    for members in _classes(data):
        g = data.agents[members[0]].group
        price = _queue_prices(data, members)
        # An agent without skills (a scenario priced by shift cover alone) serves no queue and
        # its work costs nothing.
        base = price.min(axis=0) if len(price) else np.zeros(price.shape[1])
        excess = price - base
        extra[g] = np.minimum(extra[g], excess) if g in extra else excess
        shift_cols.update(_add_class(data, lp, members, work, duty, base))
    for g, (starts, ends) in sorted(duty.items()):
        _add_on_duty(lp, starts, ends, work[g], float(len(data.groups[g])))
    _add_shift_cover(data, lp, shift_cols)
    n_terms: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    valued = _valued(data)
    for g, by_t in work.items():
        skills = data.agents[data.groups[g][0]].skills
        for t, parts in by_t.items():
            useful = [q for q in skills if valued[q, t]]
            if not useful:
                continue
            if len(skills) == 1:
                n_terms[(skills[0], t)].extend(parts)
                continue
            size = float(len(data.groups[g]))
            flows = [
                lp.col(float(extra[g][i, t]), 0.0, size)
                for i, q in enumerate(skills)
                if valued[q, t]
            ]
            for q, f in zip(useful, flows, strict=True):
                n_terms[(q, t)].append((f, 1.0))
            # Work may also go to a queue worth nothing in t: then the flows only bound it.
            upper = 0.0 if len(useful) == len(skills) else INF
            lp.row([(f, 1.0) for f in flows] + [(c, -v) for c, v in parts], 0.0, upper)
    reachable = _reachable(data)
    # answered[q, d]: (value column, contacts in target per unit) pairs of queue-day (q, d).
    answered: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for (q, t), parts in sorted(n_terms.items()):
        _add_value(data, lp, q, t, parts, float(reachable[q, t]), answered)
    _add_deferred(data, lp, n_terms)
    _add_goal(data, lp, answered)
    return lp


class PendingBound:
    """An LP bound being solved by HiGHS in a child process (see :mod:`.lp_highs`).

    The search goes on meanwhile; :meth:`poll` returns the bound once it is known.
    """

    def __init__(
        self, data: ProblemData, time_limit: float = 60.0, tolerance: float = IPM_TOLERANCE
    ) -> None:
        self.started = time.monotonic()
        lp = build_lp(data)
        self.build_seconds = time.monotonic() - self.started
        self.columns, self.rows = len(lp.cost), len(lp.row_lower)
        self._dir = tempfile.TemporaryDirectory(prefix="roster-lp-")
        path = Path(self._dir.name) / "lp.npz"
        spent = time.monotonic() - self.started
        np.savez(path, allow_pickle=False, **lp.arrays(time_limit - spent, tolerance))
        self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
            # By file path: the child needs numpy and highspy, not this package on its path.
            [sys.executable, str(Path(__file__).with_name("lp_highs.py")), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._done = False
        self._bound: Bound | None = None
        self.status = "running"

    def poll(self, wait: float = 0.0) -> Bound | None:
        """The bound if HiGHS has finished (waiting up to ``wait`` seconds), else None."""
        if self._done or self._process is None:
            return self._bound
        try:
            out, _ = self._process.communicate(timeout=wait if wait > 0 else 0.001)
        except subprocess.TimeoutExpired:
            return None
        self._finish(out)
        return self._bound

    def _finish(self, out: bytes) -> None:
        self._done = True
        self._process = None
        self._dir.cleanup()
        try:
            answer = json.loads(out.decode() or "{}")
        except json.JSONDecodeError:
            answer = {}
        self.status = str(answer.get("status", "failed"))
        value = answer.get("bound")
        if value is None:
            return
        # The Lagrangian value is computed in floating point: step back a little.
        safe = float(value) - SAFETY * (abs(float(value)) + 1.0)
        self._bound = Bound(
            value=unscale(safe),
            scaled=safe,
            seconds=round(self.build_seconds + float(answer.get("seconds", 0.0)), 3),
            columns=self.columns,
            rows=self.rows,
            build_seconds=round(self.build_seconds, 3),
            solve_seconds=round(float(answer.get("seconds", 0.0)), 3),
            iterations=int(answer.get("iterations", 0)),
        )

    def cancel(self) -> None:
        """Stop the child process (the bound stays unknown)."""
        if self._process is not None:
            self._process.kill()
            self._process.communicate()
            self._process = None
            self._done = True
            self.status = "cancelled"
            self._dir.cleanup()


def lp_bound(
    data: ProblemData, time_limit: float = 60.0, tolerance: float = IPM_TOLERANCE
) -> Bound | None:
    """Solve the LP relaxation of the module docstring and wait for it.

    Parameters
    ----------
    data
        The problem.
    time_limit
        Seconds HiGHS may take.
    tolerance
        Relative primal-dual gap at which HiGHS's interior point method stops: the bound is
        within about this much of the LP optimum, and below it whatever the tolerance.

    Returns
    -------
    Bound or None
        None when HiGHS stops without a dual solution (at its time limit; no bound then).
    """
    pending = PendingBound(data, time_limit, tolerance)
    bound = pending.poll(wait=time_limit + 30.0)
    if bound is None:
        pending.cancel()
    return bound


def _queue_prices(data: ProblemData, members: list[int]) -> np.ndarray:
    """``price[i, t] = -rint((max_{a in members} p[a, q_i] - 1) g_ref[q_i, t])``, ``q_i`` the
    ``i``-th skill: below the proficiency term of any member on ``q_i`` in ``t`` (``rint`` is
    monotone and ``g_ref >= 0``)."""
    skills = data.agents[members[0]].skills
    best = np.array(
        [max(data.agents[a].proficiency[i] for a in members) for i in range(len(skills))]
    )
    ref = data.prof_ref[list(skills)].astype(np.float64)
    out: np.ndarray = -np.rint((best[:, None] - 1.0) * ref)
    return out


def _valued(data: ProblemData) -> np.ndarray:
    """``valued[q, t]``: whether head count on ``q`` in ``t`` changes the objective at all."""
    some_gain = (data.gains != 0).any(axis=2) | (data.tail_gain != 0)
    deferred_q = np.asarray(data.deferred, dtype=bool)[:, None] & (
        np.arange(data.n_intervals)[None, :] < data.n_demand
    )
    late = np.asarray(data.late_cost, dtype=np.int64)[:, None] > 0
    out: np.ndarray = some_gain | (deferred_q & late)
    if goal_attainment.rate(data):
        # Contacts in target count towards a goal even where the gains are all zero.
        goal_q = np.asarray(data.goal, dtype=np.float64)[:, None] > 0
        contacts = data.in_target[:, :, -1] > data.in_target[:, :, 0]
        out |= goal_q & contacts & (np.arange(data.n_intervals)[None, :] < data.n_demand)
    return out


def _reachable(data: ProblemData) -> np.ndarray:
    """``reachable[q, t]``: agents skilled for ``q`` with a candidate shift covering ``t``."""
    out = np.zeros((data.gains.shape[0], data.n_intervals + 1), dtype=np.int64)
    for spec in data.agents:
        covers = np.zeros(data.n_intervals + 1, dtype=np.int64)
        for day in spec.candidates:
            for c in day:
                cand = data.candidates[c]
                covers[cand.first] += 1
                covers[min(cand.last, data.n_intervals)] -= 1
        covered = np.cumsum(covers) > 0
        for q in spec.skills:
            out[q] += covered
    return out[:, : data.n_intervals]


def _add_value(
    data: ProblemData,
    lp: _Lp,
    q: int,
    t: int,
    parts: list[tuple[int, float]],
    most: float,
    answered: dict[tuple[int, int], list[tuple[int, float]]],
) -> None:
    """Head count of ``q`` in ``t`` valued by merged unit levels and the tail.

    No roster puts more than ``most`` agents on ``q`` in ``t``, so levels beyond are left out.
    When ``q`` has a goal priced in ``t``, each level column also enters ``answered[q, d]`` with
    the contacts in target its unit adds (levels are then merged only when those agree too; the
    tail adds none: the envelope is flat past the last level).
    """
    gains = data.gains[q, t]
    goal = bool(goal_attainment.rate(data) and data.goal[q] and t < data.n_demand)
    # contacts[k]: unscaled contacts in target the (k + 1)-th agent adds (not the gain, which
    # also holds the under/overstaffing weights).
    contacts = np.zeros(len(gains))
    if goal:
        contacts[:-1] = np.diff(data.in_target[q, t]) / SCALE
    columns: list[tuple[int, float]] = []
    k = 0
    while k < len(gains) and k < most:
        j = k
        while j + 1 < len(gains) and gains[j + 1] == gains[k] and contacts[j + 1] == contacts[k]:
            j += 1
        col = lp.col(-float(gains[k]), 0.0, float(j - k + 1))
        columns.append((col, 1.0))
        if contacts[k]:
            answered[(q, t // data.per_day)].append((col, float(contacts[k])))
        k = j + 1
    if k < most:
        columns.append((lp.col(-float(data.tail_gain[q, t]), 0.0, most - k), 1.0))
    lp.row(columns + [(c, -v) for c, v in parts], 0.0, 0.0)


def _add_goal(
    data: ProblemData, lp: _Lp, answered: dict[tuple[int, int], list[tuple[int, float]]]
) -> None:
    """Goal shortfall per immediate queue-day, in contacts (see the module docstring)."""
    r = goal_attainment.rate(data)
    if not r:
        return
    goal = goal_attainment.targets(data)
    # What zero agents answer (the envelope at 0), per queue-day.
    floor = data.in_target[:, : data.n_demand, 0].reshape(len(data.queues), data.days, -1)
    base = floor.sum(axis=2)
    for q, g_q in enumerate(data.goal):
        if not g_q:
            continue
        for d in range(data.days):
            terms = answered.get((q, d), [])
            need = float(goal[q, d] - base[q, d]) / SCALE
            if need <= 0 and all(v >= 0 for _, v in terms):
                continue  # reached whatever the roster
            # No roster answers fewer than none: the shortfall is at most the goal itself.
            short = lp.col(float(r), 0.0, max(0.0, float(goal[q, d]) / SCALE))
            lp.row([(short, 1.0), *terms], need, INF)


def _add_deferred(
    data: ProblemData, lp: _Lp, n_terms: dict[tuple[int, int], list[tuple[int, float]]]
) -> None:
    """Processed work and lateness of deferred queues (FIFO backlog relaxed to any order).

    Work is counted in agent-intervals (``interval`` units of work each) rather than in work
    units: the same LP, better scaled for the interior point method.
    """
    unit = float(data.interval)
    for q, is_deferred in enumerate(data.deferred):
        cost = data.late_cost[q]
        if not is_deferred or not cost:
            continue
        previous: int | None = None
        for t in range(data.n_demand):
            done = lp.col(0.0, 0.0, float(data.arrived[q, t]) / unit)
            step = [(done, 1.0)] + ([(previous, -1.0)] if previous is not None else [])
            lp.row(step, 0.0, INF)
            capacity = [(c, -v) for c, v in n_terms.get((q, t), [])]
            lp.row(step + capacity, -INF, 0.0)
            if data.due[q, t] > 0:
                due = float(data.due[q, t]) / unit
                late = lp.col(float(cost) * unit, 0.0, due)
                lp.row([(late, 1.0), (done, 1.0)], due, INF)
            previous = done


def _add_class(
    data: ProblemData,
    lp: _Lp,
    members: list[int],
    work: dict[int, dict[int, list[tuple[int, float]]]],
    duty: dict[int, tuple[dict[int, list[int]], dict[int, list[int]]]],
    base_price: np.ndarray,
) -> dict[int, int]:
    """Columns and rows of one class of identical agents; its shift columns by candidate."""
    rep = data.agents[members[0]]
    m = float(len(members))
    contract = rep.contract
    y: dict[int, int] = {}
    by_day: list[list[Candidate]] = []
    # works[d]: column of the class's agents working day d (sum of that day's shift columns);
    # rows below use it instead of repeating every shift column, which keeps columns sparse.
    works: list[int | None] = []
    for d in range(data.days):
        cands = [data.candidates[c] for c in rep.candidates[d]]
        by_day.append(cands)
        lp.offset += m * rep.off_cost[d]
        for cand in cands:
            y[cand.index] = lp.col(float(cand.cost), 0.0, m)
        if not cands:
            works.append(None)
            continue
        day = lp.col(-float(rep.off_cost[d]), 0.0, m)
        lp.row([(day, 1.0)] + [(y[c.index], -1.0) for c in cands], 0.0, 0.0)
        works.append(day)

    def days_worked(days: range | list[int]) -> list[tuple[int, float]]:
        return [(col, 1.0) for d in days if (col := works[d]) is not None]

    def total(days: range | list[int], weight: object) -> list[tuple[int, float]]:
        out = []
        for d in days:
            for c in by_day[d]:
                w = float(weight(c))  # type: ignore[operator]
                if w:
                    out.append((y[c.index], w))
        return out

    # Contracts per 7-day block.
    for w in sorted(set(data.week_of_day)):
        days = [d for d in range(data.days) if data.week_of_day[d] == w]
        limits = week_limits(data.scenario, contract, len(days))
        # In hours, not minutes: the same row, better scaled.
        lp.row(
            total(days, lambda c: c.paid_minutes / 60),
            m * limits.min_minutes / 60,
            m * limits.max_minutes / 60,
        )
        lp.row(days_worked(days), m * limits.min_days, m * limits.max_days)
        for kind, limit in limits.max_by_kind:
            terms = total(days, lambda c, k=kind: data.templates[c.template].kind == k)
            if terms:
                lp.row(terms, -INF, m * limit)
    # Contracts over the whole horizon (Curtois-style limits; none by default).
    horizon = horizon_limits(contract)
    everyday = range(data.days)
    if horizon.min_minutes is not None or horizon.max_minutes is not None:
        lp.row(
            total(everyday, lambda c: c.paid_minutes / 60),
            m * (horizon.min_minutes or 0) / 60,
            INF if horizon.max_minutes is None else m * horizon.max_minutes / 60,
        )
    for kind, limit in horizon.max_by_kind:
        terms = total(everyday, lambda c, k=kind: data.templates[c.template].kind == k)
        if terms:
            lp.row(terms, -INF, m * limit)
    longest = contract.max_consecutive_days
    for d in range(0, data.days - longest):
        lp.row(days_worked(range(d, d + longest + 1)), -INF, m * longest)
    # Rest between consecutive days as a running sum over the next day's starts s:
    # chain[s] = (shifts of d + 1 started by s) - (shifts of d ending by s - rest), and
    # chain[s] + works[d] <= m is the row of the module docstring. The row of s is implied by
    # the row of the next start s' unless a day-d shift frees up in (s, s'] (end + rest in it),
    # and by the one-shift-a-day row once every day-d shift has (s >= latest end + rest); only
    # the other starts get a row.
    rest = contract.min_rest_minutes
    for d in range(data.days - 1):
        today = works[d]
        if today is None or not by_day[d + 1]:
            continue
        positions = sorted({c.start for c in by_day[d + 1]})
        frees = sorted({c.end + rest for c in by_day[d]})
        tight = [
            s
            for i, s in enumerate(positions)
            if any(s < f <= (positions[i + 1] if i + 1 < len(positions) else INF) for f in frees)
        ]
        chain: int | None = None
        low = -INF
        for s in tight:
            link = lp.col(0.0, -m, m)
            terms = [(link, 1.0)] + ([(chain, -1.0)] if chain is not None else [])
            terms += [(y[c.index], -1.0) for c in by_day[d + 1] if low < c.start <= s]
            terms += [(y[c.index], 1.0) for c in by_day[d] if low < c.end + rest <= s]
            lp.row(terms, 0.0, 0.0)
            lp.row([(link, 1.0), (today, 1.0)], -INF, m)
            chain, low = link, s
        for k1, k2 in sorted(data.forbidden):
            first = total([d], lambda c, k=k1: data.templates[c.template].kind == k)
            second = total([d + 1], lambda c, k=k2: data.templates[c.template].kind == k)
            if first and second:
                lp.row(first + second, -INF, m)
    # Weekends worked.
    weekend_cols: list[int] = []
    for weekend in sorted({w for w in data.weekend_of_day if w is not None}):
        days = [d for d, w in enumerate(data.weekend_of_day) if w == weekend]
        col = lp.col(0.0, 0.0, m)
        weekend_cols.append(col)
        for day_col in days_worked(days):
            lp.row([(col, 1.0), (day_col[0], -1.0)], 0.0, INF)
    if contract.max_weekends is not None and weekend_cols:
        lp.row([(c, 1.0) for c in weekend_cols], -INF, m * contract.max_weekends)
    _add_fairness(data, lp, rep.ledger, m, weekend_cols, total)
    # Work per interval: on duty minus breaks, credited to the class's skill group. On duty is
    # kept per skill group (the group's running sum of starts minus ends, built by
    # :func:`build_lp`), so each shift column enters two rows, not one per interval it covers;
    # the class's price of a working interval is folded into its shift columns' costs.
    parts: dict[int, list[tuple[int, float]]] = defaultdict(list)
    starts, ends = duty[rep.group]

    def price(t: int) -> float:
        return float(base_price[t])

    for d in range(data.days):
        for cand in by_day[d]:
            col = y[cand.index]
            starts[cand.first].append(col)
            ends[cand.last].append(col)
            lp.cost[col] += sum(price(t) for t in range(cand.first, cand.last))
    for d in range(data.days):
        by_template: dict[int, list[Candidate]] = defaultdict(list)
        for cand in by_day[d]:
            by_template[cand.template].append(cand)
        for p, cands in sorted(by_template.items()):
            _add_breaks(data, lp, p, cands, y, parts, m)
    for t, terms in parts.items():
        for c, v in terms:
            lp.cost[c] += price(t) * v
        work[rep.group][t].extend(terms)
    return y


def _add_on_duty(
    lp: _Lp,
    starts: dict[int, list[int]],
    ends: dict[int, list[int]],
    parts: dict[int, list[tuple[int, float]]],
    size: float,
) -> None:
    """On duty in each interval as a running sum of shift starts minus shift ends."""
    if not starts:
        return
    on_duty: int | None = None
    for t in range(min(starts), max(ends)):
        if on_duty is not None and t not in starts and t not in ends:
            parts[t].append((on_duty, 1.0))
            continue
        now = lp.col(0.0, 0.0, size)
        terms = [(now, 1.0)] + [(c, -1.0) for c in starts.get(t, [])]
        terms += [(c, 1.0) for c in ends.get(t, [])]
        if on_duty is not None:
            terms.append((on_duty, -1.0))
        lp.row(terms, 0.0, 0.0)
        parts[t].append((now, 1.0))
        on_duty = now


def _add_shift_cover(data: ProblemData, lp: _Lp, shift_cols: dict[int, int]) -> None:
    """Cover rows over the classes' shift columns: hard limits as rows, target slacks priced."""
    for row in data.cover:
        terms = [(shift_cols[c], 1.0) for c in sorted(row.candidates) if c in shift_cols]
        if not terms:
            # Nobody can work the row (prechecks stop a minimum): its penalty is a constant.
            lp.offset += shift_cover.row_penalty(row, 0)
            continue
        if row.min > 0 or row.max is not None:
            lp.row(terms, float(row.min), INF if row.max is None else float(row.max))
        if row.target is None:
            continue
        if row.under_cost:
            under = lp.col(float(row.under_cost), 0.0, float(row.target))
            lp.row([(under, 1.0), *terms], float(row.target), INF)
        if row.over_cost:
            most = sum(lp.upper[c] for c, _ in terms)
            over = lp.col(float(row.over_cost), 0.0, max(0.0, most - float(row.target)))
            lp.row([(over, 1.0)] + [(c, -v) for c, v in terms], -float(row.target), INF)


def _add_fairness(
    data: ProblemData,
    lp: _Lp,
    ledger: object,
    m: float,
    weekend_cols: list[int],
    total: object,
) -> None:
    """Jensen lower bound of the class's fairness penalty, kind by kind."""
    weight = data.scenario.rules.objective.fairness
    if weight == 0:
        return
    from scheduler.model import FairnessLedgerEntry
    from scheduler.roster.problem_data import scale

    assert isinstance(ledger, FairnessLedgerEntry)
    before = fairness.carried(ledger)
    counts: dict[str, list[tuple[int, float]]] = {
        "weekends": [(c, 1.0) for c in weekend_cols],
        "nights": total(range(data.days), lambda c: c.night),  # type: ignore[operator]
        "late_finishes": total(range(data.days), lambda c: c.late),  # type: ignore[operator]
        "early_starts": total(range(data.days), lambda c: c.early),  # type: ignore[operator]
    }
    for kind, terms in counts.items():
        if not terms:
            continue
        most = len(weekend_cols) if kind == "weekends" else data.days
        b = before[kind]
        values = [scale(weight * ((b + n) ** 2 - b**2)) for n in range(most + 1)]
        env = _convex_envelope(values)
        count = lp.col(0.0, 0.0, m * most)
        lp.row([(count, 1.0)] + [(c, -v) for c, v in terms], 0.0, 0.0)
        phi = lp.col(1.0, 0.0, max(0.0, m * env[most]))
        for j in range(most):
            slope = env[j + 1] - env[j]
            # phi >= m env(j) + slope (N - m j)
            lp.row([(phi, 1.0), (count, -slope)], m * env[j] - slope * m * j, INF)


def _add_breaks(
    data: ProblemData,
    lp: _Lp,
    p: int,
    cands: list[Candidate],
    y: dict[int, int],
    parts: dict[int, list[tuple[int, float]]],
    m: float,
) -> None:
    """Breaks of one class, day and template, assigned by shift start (see the module docstring).

    The cumulative form (breaks started by ``s`` between the shifts started by ``s - l`` and by
    ``s - f``) is exact too and has fewer columns, but three rows per position; the interior
    point method's work grows with the rows, and on the 300-agent week this form solves about
    1.7 times faster.
    """
    specs = data.templates[p].breaks
    if not specs:
        return
    by_first: dict[int, list[int]] = defaultdict(list)
    for c in cands:
        by_first[c.first].append(y[c.index])
    for spec in specs:
        for first, shifts in sorted(by_first.items()):
            # taken[k]: breaks of the shifts started in ``first`` taken at ``first + f + k``.
            taken = [lp.col(0.0, 0.0, m) for _ in range(spec.first, spec.last + 1)]
            lp.row([(x, 1.0) for x in taken] + [(v, -1.0) for v in shifts], 0.0, 0.0)
            for k, x in enumerate(taken):
                at = first + spec.first + k
                for t in range(at, at + spec.span):
                    parts[t].append((x, -1.0))
