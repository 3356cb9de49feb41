"""Column generation for cover-driven rosters: a master over each agent's whole-horizon schedule.

When nothing but shift cover rows couples the agents (no queues, no fairness spread, no
queue-day goals: hospital and retail rosters, the Curtois & Qu instances mapped to scenarios),
a roster is a choice of one *schedule* per agent -- a candidate shift or a day off for each
horizon day, meeting every one of that agent's hard rules -- and the roster problem is ::

    min  sum_j c_j l_j + sum_r (wu_r u_r + wo_r o_r)
    s.t. sum_(j of a) l_j = 1                              each agent a                (mu_a)
         sum_j A_rj l_j + u_r - o_r = T_r                  each row r with a target    (pi_r)
         min_r <= sum_j A_rj l_j <= max_r                  each row r with hard limits (sigma_r)
         l_j in {0, 1},  u, o >= 0

with ``c_j`` the agent's own terms of schedule ``j`` (pay, preferences, stability, fairness
against its ledger: :func:`scheduler.roster.evaluate.agent_terms`) and ``A_rj = 1`` when one of
its shifts counts for row ``r``. The master's LP relaxation (HiGHS through OR-Tools MathOpt)
convexifies each agent's rules exactly, so it is far tighter than the LP of
:mod:`scheduler.roster.bounds`, which drops the minimum runs of working days and days off.

**Pricing.** For each agent, the schedule of least reduced cost
``c_j - sum_r (pi_r + sigma_r) A_rj - mu_a`` is found by CP-SAT on the agent's one-agent model
(:func:`scheduler.roster.cpsat.model.build` in shift mode: the very rules the engine enforces),
its cover term replaced by the duals; every improving schedule CP-SAT passes on the way becomes
a column too.

**Bound.** With ``pi_r`` in ``[-wo_r, wu_r]``, ``sigma_r >= 0`` on rows without a maximum, ::

    L = sum_r pi_r T_r + sum_r (sigma_r min_r if sigma_r > 0 else sigma_r max_r)
        + sum_a min_(j of a) (c_j - sum_r (pi_r + sigma_r) A_rj)

is a lower bound on the roster's optimum after every full pricing round (each minimum is
CP-SAT's proven bound when its time ran out, less the rounding of the duals to integers).

**Rosters.** *Dives* fix agent-days of large LP value and re-price until the LP is integral; the
restricted master solved as a MIP gives another. Both meet every hard rule by construction.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from ortools.math_opt.python import mathopt
from ortools.sat.python import cp_model

from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints import goal_attainment
from scheduler.roster.cpsat.objective import Term, minimise
from scheduler.roster.evaluate import agent_terms
from scheduler.roster.plan import NO_SHIFT, Plan
from scheduler.roster.problem_data import ProblemData

MAX_HORIZON_DAYS = 84
"""Column generation for horizons up to this many days: beyond, every pricing problem is a
half-year or year model, too slow for the time limits of interest (as in the dedicated Curtois
engine, :data:`scheduler.roster.curtois.solve.COLGEN_MAX_HORIZON`)."""

AGENT_DAYS_PER_SECOND = 25
"""Only when agents x days <= this x the time limit: pricing time grows with both (the
dedicated engine's measured limit,
:data:`scheduler.roster.curtois.solve.COLGEN_CELLS_PER_SECOND`)."""

PRICING_SECONDS = 5.0
"""Most time one agent's pricing problem gets in a round."""

DIVE_THRESHOLD = 0.8
"""Fractional agent-day assignments at least this large are fixed together in one dive step."""

PRICE_SCALE = 1000
"""Pricing objectives are in 1/this of a scaled unit: the duals are rounded to integers there,
so the bound loses at most half of that per day (far below one scaled unit, so that a roster
meeting the rounded-up bound is proven optimal)."""

EPSILON = 1e-6
"""A reduced cost below ``-EPSILON`` (scaled units) improves the master."""

V = TypeVar("V", bound=Hashable | None)

Schedule = tuple[int, ...]
"""Candidate index per horizon day, :data:`~scheduler.roster.plan.NO_SHIFT` for a day off."""


def not_applicable(data: ProblemData, time_limit: float | None) -> str | None:
    """Why column generation does not apply to ``data`` (``None`` when it does).

    It needs the agents to be coupled by shift cover rows alone, a horizon of at most
    :data:`MAX_HORIZON_DAYS` days and, under ``time_limit`` seconds, at most
    :data:`AGENT_DAYS_PER_SECOND` agent-days per second.
    """
    if not data.cover:
        return "no shift cover rows"
    if data.queues:
        return "queues couple the agents through service"
    if data.scenario.rules.objective.fairness_spread:
        return "the fairness spread couples the agents"
    if goal_attainment.rate(data):
        return "queue-day goals couple the agents"
    if data.days > MAX_HORIZON_DAYS:
        return f"horizon of {data.days} days > {MAX_HORIZON_DAYS}"
    cells = data.days * len(data.agents)
    if time_limit is not None and cells > AGENT_DAYS_PER_SECOND * time_limit:
        return f"{cells} agent-days > {AGENT_DAYS_PER_SECOND} per second of the time limit"
    return None


@dataclass(frozen=True)
class Column:
    """One schedule of one agent: its own cost (scaled) and the cover rows its shifts count for."""

    agent: int
    schedule: Schedule
    cost: int
    rows: tuple[int, ...]


def make_column(data: ProblemData, agent: int, schedule: Sequence[int]) -> Column:
    """The column of ``agent`` working ``schedule``."""
    schedule = tuple(int(c) for c in schedule)
    rows = tuple(r for c in schedule if c != NO_SHIFT for r in data.cover_of.get(c, ()))
    return Column(agent, schedule, sum(agent_terms(data, agent, schedule).values()), rows)


@dataclass
class PricingOutcome:
    """Columns found for one agent and a lower bound on ``min_j (c_j - duals . A_j)``."""

    agent: int
    columns: list[Column]
    lower_bound: float
    proven: bool


class Pricer:
    """One agent's whole-horizon model, built once; each call sets a new dual objective.

    A dive's fixings (:attr:`forced`) are imposed through the variables' domains, so the model
    need not be rebuilt and the objective keeps its scale.
    """

    def __init__(self, data: ProblemData, agent: int, empty: Plan) -> None:
        self.data = data
        self.agent = agent
        free = {agent: frozenset(range(data.days))}
        # partial: the rest of the roster is not there; cover minima are the master's business.
        self.rm = cpsat_model.build(data, empty, free, mode="shifts", partial=True)
        self.own = [t for t in self.rm.terms if t.family != "shift_cover"]
        self.x = sorted(self.rm.vars.x.items())
        self.by_day: dict[int, list[int]] = defaultdict(list)
        for c, _ in self.x:
            self.by_day[data.candidates[c].day].append(c)
        self.forced: dict[int, int] = {}
        """Days a dive has fixed: day -> candidate index, or NO_SHIFT for a day off."""
        self.infeasible = False

    def force(self, day: int, value: int) -> None:
        """Fix ``day`` to candidate ``value`` (NO_SHIFT: off) until :meth:`release`."""
        self.forced[day] = value
        for c in self.by_day.get(day, ()):
            fixed = 1 if c == value else 0
            self._domain(c, fixed, fixed)

    def release(self) -> None:
        """Undo every :meth:`force`."""
        for day in self.forced:
            for c in self.by_day.get(day, ()):
                self._domain(c, 0, 1)
        self.forced.clear()

    def _domain(self, c: int, low: int, high: int) -> None:
        var = self.rm.vars.x[c]
        domain = self.rm.model.proto.variables[var.index].domain
        domain[0], domain[1] = low, high

    def price(
        self, duals: np.ndarray, time_limit: float, seed: int, hint: Schedule | None = None
    ) -> PricingOutcome:
        """Schedules of negative ``c - duals . A`` met on the way, and a bound on the minimum.

        ``duals`` holds one price per cover row (scaled units). The bound holds whatever the
        time limit did: CP-SAT's proven objective bound less the rounding of the duals.
        """
        data = self.data
        variables, coefficients = [], []
        for c, var in self.x:
            price = sum(float(duals[r]) for r in data.cover_of.get(c, ()))
            if price:
                variables.append(var)
                coefficients.append(-round(price * PRICE_SCALE))
        terms = [Term(t.family, t.expr * PRICE_SCALE, t.constant * PRICE_SCALE) for t in self.own]
        if variables:
            terms.append(Term("duals", cp_model.LinearExpr.weighted_sum(variables, coefficients)))
        model = self.rm.model
        minimise(model, terms)
        model.clear_hints()
        if hint is not None:
            for c, var in self.x:
                model.add_hint(var, hint[data.candidates[c].day] == c)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        found: list[Schedule] = []
        x = self.x
        days = data.days
        candidates = data.candidates

        class _Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(inner) -> None:  # noqa: N805 - callback protocol
                schedule = [NO_SHIFT] * days
                for c, var in x:
                    if inner.boolean_value(var):
                        schedule[candidates[c].day] = c
                found.append(tuple(schedule))

        status = solver.solve(model, _Collect())
        if status == cp_model.INFEASIBLE:
            # Without fixings this agent has no schedule at all (the construction would have
            # said so first); with them, the dive has reached a dead end.
            self.infeasible = not self.forced
            return PricingOutcome(self.agent, [], math.inf, True)
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"pricing model invalid for agent {data.agents[self.agent].id}")
        rounding = 0.5 * days
        bound = (
            (solver.best_objective_bound - rounding) / PRICE_SCALE
            if status != cp_model.UNKNOWN
            else -math.inf
        )
        columns: list[Column] = []
        seen: set[Schedule] = set()
        for schedule in found:
            if schedule in seen or any(schedule[d] != v for d, v in self.forced.items()):
                continue
            seen.add(schedule)
            columns.append(make_column(data, self.agent, schedule))
        return PricingOutcome(self.agent, columns, bound, status == cp_model.OPTIMAL)


@dataclass
class MasterSolution:
    """LP answer of the restricted master."""

    objective: float
    duals: np.ndarray
    """Per cover row: ``pi_r + sigma_r`` (what a shift counting for the row is worth)."""
    convexity_duals: list[float]
    values: list[float]
    artificial_values: list[float]
    lagrangian_constant: float
    """``sum_r pi_r T_r + sigma_r (min_r or max_r)`` of the clamped duals."""


class Master:
    """The restricted master (LP or MIP) in MathOpt, solved by HiGHS.

    One artificial per agent keeps the LP feasible while a dive has fixed days no column
    meets yet; its cost ``big`` exceeds any roster's objective, so it leaves the basis as soon
    as columns allow.
    """

    def __init__(self, data: ProblemData, big: float) -> None:
        self.data = data
        self.model = mathopt.Model(name="roster-master")
        self.columns: list[Column] = []
        self.column_vars: list[mathopt.Variable] = []
        self.seen: set[tuple[int, Schedule]] = set()
        self.convexity = [
            self.model.add_linear_constraint(lb=1.0, ub=1.0, name=f"one_{agent.id}")
            for agent in data.agents
        ]
        self.targets: dict[int, mathopt.LinearConstraint] = {}
        self.limits: dict[int, mathopt.LinearConstraint] = {}
        for r, row in enumerate(data.cover):
            name = f"{row.label}_d{row.day}".replace(" ", "_")
            if row.target is not None:
                con = self.model.add_linear_constraint(
                    lb=row.target, ub=row.target, name=f"target_{name}"
                )
                under = self.model.add_variable(lb=0.0, name=f"under_{name}")
                over = self.model.add_variable(lb=0.0, name=f"over_{name}")
                con.set_coefficient(under, 1.0)
                con.set_coefficient(over, -1.0)
                self.model.objective.set_linear_coefficient(under, row.under_cost)
                self.model.objective.set_linear_coefficient(over, row.over_cost)
                self.targets[r] = con
            if row.min > 0 or row.max is not None:
                high = math.inf if row.max is None else float(row.max)
                self.limits[r] = self.model.add_linear_constraint(
                    lb=float(row.min), ub=high, name=f"limits_{name}"
                )
        self.artificials = []
        for a, con in enumerate(self.convexity):
            var = self.model.add_variable(lb=0.0, ub=1.0, name=f"artificial_{a}")
            con.set_coefficient(var, 1.0)
            self.model.objective.set_linear_coefficient(var, big)
            self.artificials.append(var)
        self.model.objective.is_maximize = False

    def add(self, column: Column) -> bool:
        """Add ``column`` unless already present; returns whether it was added."""
        key = (column.agent, column.schedule)
        if key in self.seen:
            return False
        self.seen.add(key)
        var = self.model.add_variable(lb=0.0, ub=1.0, name=f"col{len(self.columns)}")
        self.model.objective.set_linear_coefficient(var, column.cost)
        self.convexity[column.agent].set_coefficient(var, 1.0)
        for r in column.rows:
            for rows in (self.targets, self.limits):
                if r in rows:
                    rows[r].set_coefficient(var, 1.0)
        self.columns.append(column)
        self.column_vars.append(var)
        return True

    def solve_lp(self, time_limit: float) -> MasterSolution | None:
        """Solve the LP relaxation; ``None`` unless HiGHS reports it optimal."""
        params = mathopt.SolveParameters(enable_output=False, time_limit=_seconds(time_limit))
        result = mathopt.solve(self.model, mathopt.SolverType.HIGHS, params=params)
        if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
            return None
        cover = self.data.cover
        duals = np.zeros(len(cover))
        constant = 0.0
        if self.targets:
            values = result.dual_values(list(self.targets.values()))
            for r, value in zip(self.targets, values, strict=True):
                row = cover[r]
                # Clamped into [-wo, wu], where the slacks' reduced costs stay non-negative
                # and the Lagrangian bound holds (HiGHS's duals are there up to tolerance).
                pi = min(float(row.under_cost), max(-float(row.over_cost), value))
                duals[r] += pi
                constant += pi * (row.target or 0)
        if self.limits:
            values = result.dual_values(list(self.limits.values()))
            for r, value in zip(self.limits, values, strict=True):
                row = cover[r]
                sigma = value if row.max is not None else max(0.0, value)
                duals[r] += sigma
                constant += sigma * (row.min if sigma > 0 else (row.max or 0))
        return MasterSolution(
            objective=result.objective_value(),
            duals=duals,
            convexity_duals=list(result.dual_values(self.convexity)),
            values=list(result.variable_values(self.column_vars)),
            artificial_values=list(result.variable_values(self.artificials)),
            lagrangian_constant=constant,
        )

    def solve_ip(self, time_limit: float) -> list[Schedule] | None:
        """The restricted master with integral columns: one schedule per agent, or ``None``."""
        values = integral_values(self.model, self.column_vars, self.artificials, time_limit)
        if values is None:
            return None
        chosen: list[Schedule | None] = [None] * len(self.convexity)
        for column, value in zip(self.columns, values, strict=True):
            if value > 0.5:
                chosen[column.agent] = column.schedule
        if any(s is None for s in chosen):
            return None
        return [s for s in chosen if s is not None]


def _seconds(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=max(0.01, value))


def integral_values(
    model: mathopt.Model,
    column_vars: Sequence[mathopt.Variable],
    artificials: Sequence[mathopt.Variable],
    time_limit: float,
) -> list[float] | None:
    """Solve a restricted master as a MIP (columns integral, artificials off) with HiGHS.

    Returns the columns' values, or ``None`` when no feasible solution came within
    ``time_limit`` seconds; ``model`` is left as it was (an LP with its artificials).
    """
    for var in column_vars:
        var.integer = True
    for var in artificials:
        var.upper_bound = 0.0
    try:
        params = mathopt.SolveParameters(
            enable_output=False,
            time_limit=_seconds(time_limit),
            relative_gap_tolerance=0.0,
            absolute_gap_tolerance=0.999,
        )
        result = mathopt.solve(model, mathopt.SolverType.HIGHS, params=params)
        if not result.has_primal_feasible_solution():
            return None
        return list(result.variable_values(list(column_vars)))
    finally:
        for var in column_vars:
            var.integer = False
        for var in artificials:
            var.upper_bound = 1.0


def fixings(
    values: Mapping[tuple[int, int, V], float],
    forced: Callable[[int, int], bool],
    threshold: float,
    rng: random.Random | None,
) -> list[tuple[int, int, V]]:
    """One dive step's fixings: ``(agent, day, value)`` assignments to impose.

    ``values`` maps each assignment to its LP value (summed over the agent's columns); those
    not yet integral on days not yet ``forced`` are candidates. Every one whose value is at
    least ``threshold`` is taken or, when none is, the single largest (values within 0.05
    broken at random when ``rng`` is given). Empty when nothing is fractional.
    """
    noise = (lambda: rng.uniform(0.0, 0.05)) if rng is not None else (lambda: 0.0)
    fractional = sorted(
        (
            (value, a, d, v)
            for (a, d, v), value in values.items()
            if value < 1 - 1e-6 and not forced(a, d)
        ),
        key=lambda t: -t[0] - noise(),
    )
    chosen = [t for t in fractional if t[0] >= threshold] or fractional[:1]
    return [(a, d, v) for _, a, d, v in chosen]


class ColumnGeneration:
    """The master, one pricer per agent and the loop that links them.

    Parameters
    ----------
    data
        A problem :func:`not_applicable` accepts.
    start
        A roster meeting every hard rule: its schedules seed the master and hint pricing.
    workers, seed
        Pricing threads (each CP-SAT solve single-threaded) and their seed.
    """

    def __init__(self, data: ProblemData, start: Plan, workers: int = 2, seed: int = 0) -> None:
        self.data = data
        schedules = [tuple(int(c) for c in start.choice[a]) for a in range(len(data.agents))]
        seeded = [make_column(data, a, s) for a, s in enumerate(schedules)]
        # Worse than the start in every term by a wide margin: any roster beats one artificial.
        big = 10.0 * (
            1.0
            + sum(abs(c.cost) for c in seeded)
            + sum(
                (row.target or 0) * row.under_cost + len(data.agents) * row.over_cost
                for row in data.cover
            )
        )
        self.master = Master(data, big)
        for column in seeded:
            self.master.add(column)
        empty = Plan.empty(data)
        self.pricers = [Pricer(data, a, empty) for a in range(len(data.agents))]
        self.hints: list[Schedule] = schedules
        self.workers = max(1, workers)
        self.seed = seed
        self.best_bound = -math.inf
        """Best Lagrangian bound so far, scaled units."""
        self.lp: MasterSolution | None = None
        self.converged = False
        self.rounds = 0
        self.infeasible = False
        self.dive_steps = 0
        """Fixing steps of the last dive."""

    @property
    def diving(self) -> bool:
        """Whether any day is fixed (the Lagrangian bound then no longer holds)."""
        return any(p.forced for p in self.pricers)

    def run(self, deadline: float, max_rounds: int | None = None) -> bool:
        """Price and re-solve until no column prices out, ``max_rounds`` or ``deadline``.

        Returns whether it converged (no improving column, every pricing proven optimal). The
        Lagrangian bound is only updated while nothing is fixed.
        """
        done = 0
        free = [p.agent for p in self.pricers if len(p.forced) < self.data.days]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            while time.monotonic() < deadline and (max_rounds is None or done < max_rounds):
                solution = self.master.solve_lp(max(1.0, deadline - time.monotonic()))
                if solution is None:
                    return False
                self.lp = solution
                if not free:
                    return True
                self.rounds += 1
                done += 1
                round_seed = self.seed + 7919 * self.rounds

                def price(
                    a: int, duals: np.ndarray = solution.duals, round_seed: int = round_seed
                ) -> PricingOutcome:
                    left = deadline - time.monotonic()
                    return self.pricers[a].price(
                        duals, min(PRICING_SECONDS, left), round_seed + a, self.hints[a]
                    )

                outcomes = list(pool.map(price, free))
                if any(self.pricers[a].infeasible for a in free):
                    self.infeasible = True
                    return False
                added = 0
                for outcome in outcomes:
                    mu = solution.convexity_duals[outcome.agent]
                    for column in outcome.columns:
                        reduced = column.cost - _dot(solution.duals, column) - mu
                        if reduced < -EPSILON and self.master.add(column):
                            added += 1
                    if outcome.columns:
                        self.hints[outcome.agent] = min(
                            outcome.columns, key=lambda c: c.cost - _dot(solution.duals, c)
                        ).schedule
                if not self.diving:
                    bound = solution.lagrangian_constant + sum(o.lower_bound for o in outcomes)
                    self.best_bound = max(self.best_bound, bound)
                if added == 0:
                    proven = all(o.proven for o in outcomes)
                    if not self.diving:
                        self.converged = proven
                    return proven
        return False

    def current_lp(self) -> MasterSolution | None:
        """The LP over every column so far (re-solved when columns were added or fixed)."""
        if self.lp is None or len(self.lp.values) != len(self.master.columns):
            self.lp = self.master.solve_lp(60.0)
        return self.lp

    def fix(self, a: int, d: int, value: int) -> None:
        """Fix agent ``a`` on day ``d`` to candidate ``value`` (NO_SHIFT: off)."""
        self.pricers[a].force(d, value)
        for column, var in zip(self.master.columns, self.master.column_vars, strict=True):
            if column.agent == a and column.schedule[d] != value:
                var.upper_bound = 0.0
        self.lp = None

    def release_all(self) -> None:
        """Undo every :meth:`fix`."""
        for var in self.master.column_vars:
            var.upper_bound = 1.0
        for pricer in self.pricers:
            pricer.release()
        self.lp = None  # the LP of the fixed master is not the master's

    def integral(self) -> list[Schedule] | None:
        """The LP solution's schedules when it is integral (every agent one column)."""
        lp = self.current_lp()
        if lp is None:
            return None
        chosen: list[Schedule | None] = [None] * len(self.pricers)
        for column, value in zip(self.master.columns, lp.values, strict=True):
            if value > 1 - 1e-6:
                chosen[column.agent] = column.schedule
            elif value > 1e-6:
                return None
        if any(s is None for s in chosen):
            return None
        return [s for s in chosen if s is not None]

    def dive(
        self,
        deadline: float,
        cutoff: float | None = None,
        threshold: float = DIVE_THRESHOLD,
        rng: random.Random | None = None,
        rounds_per_step: int = 2,
    ) -> list[Schedule] | None:
        """Fix agent-days by LP value, re-price after each step, until the LP is integral.

        Each step fixes every fractional agent-day assignment whose LP value is at least
        ``threshold`` or, when none is, the single largest (values within 0.05 broken at
        random when ``rng`` is given), then runs ``rounds_per_step`` pricing rounds. The dive
        gives up once the LP value reaches ``cutoff`` (scaled units: it can no longer beat the
        incumbent). Returns the schedules found, or ``None``; fixings are undone on return.
        """
        self.dive_steps = 0
        try:
            while time.monotonic() < deadline:
                lp = self.current_lp()
                if lp is None or any(v > 1e-6 for v in lp.artificial_values):
                    return None
                if cutoff is not None and lp.objective > cutoff - 1e-6:
                    return None
                found = self.integral()
                if found is not None:
                    return found
                values: dict[tuple[int, int, int], float] = defaultdict(float)
                for column, value in zip(self.master.columns, lp.values, strict=True):
                    if value > 1e-9:
                        for d, c in enumerate(column.schedule):
                            values[(column.agent, d, c)] += value
                chosen = fixings(values, lambda a, d: d in self.pricers[a].forced, threshold, rng)
                if not chosen:
                    return None
                done: set[tuple[int, int]] = set()
                for a, d, c in chosen:
                    if (a, d) not in done:
                        done.add((a, d))
                        self.fix(a, d, c)
                self.dive_steps += 1
                self.run(deadline, max_rounds=rounds_per_step)
            return None
        finally:
            self.release_all()


def _dot(duals: np.ndarray, column: Column) -> float:
    return float(sum(duals[r] for r in column.rows))
