"""Column generation for the Curtois & Qu instances: a set-partitioning master over schedules.

Every hard rule of the benchmark concerns one employee, and only the cover couples them, so the
problem is a choice of one *schedule* (a whole-horizon shift-per-day row satisfying all that
employee's hard rules) per employee::

    min  sum_j c_j l_j + sum_(d,s) (wu_ds u_ds + wo_ds o_ds)
    s.t. sum_(j of e) l_j = 1                                    for each employee e   (mu_e)
         sum_j a_(j,ds) l_j + u_ds - o_ds = req_ds               for each cover line   (pi_ds)
         l_j in {0, 1},  u, o >= 0

with ``c_j`` the request penalties of schedule ``j`` and ``a_(j,ds) = 1`` when it works shift
``s`` on day ``d``. Its LP relaxation (the *master*, solved by HiGHS through OR-Tools MathOpt,
because highspy and OR-Tools cannot share a process) is far tighter than the boolean model's:
it convexifies each employee's rules exactly.

Columns come from *pricing*: for each employee, the schedule of least reduced cost
``c_j - sum pi_ds a_(j,ds) - mu_e``, found exactly by CP-SAT on the one-employee model
(:class:`.model.CurtoisModel` with ``employees=[e]`` and only the hard families) with the duals in
the objective; every improving solution CP-SAT passes on the way with a negative reduced cost
becomes a column too.

**Bound.** For any ``pi`` with ``-wo_ds <= pi_ds <= wu_ds`` the Lagrangian value ::

    L(pi) = sum_ds pi_ds req_ds + sum_e min_(j of e) (c_j - sum_ds pi_ds a_(j,ds))

is a lower bound on the optimum (the slacks' reduced costs are then non-negative). Pricing
gives each minimum (or CP-SAT's proven bound on it when time runs out), so a bound is available
after every full pricing round, not only at convergence; at convergence it equals the LP value.
CP-SAT minimises a scaled, rounded objective; the rounding error (at most one shift a day) is
subtracted before the bound is used.

**Integer solution.** The master restricted to the generated columns is solved as a MIP by HiGHS
(time-limited); its roster is feasible by construction and is handed to the caller to polish.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.math_opt.python import mathopt
from ortools.sat.python import cp_model

from scheduler.roster.colgen import fixings, integral_values
from scheduler.roster.curtois.constraints import sequences, succession, weekends, workload
from scheduler.roster.curtois.model import CurtoisModel
from scheduler.roster.curtois.reader import CurtoisInstance

DIVE_THRESHOLD = 0.8
"""Fractional assignments at least this large are fixed together in one dive step."""

SCALE = 10_000
"""Reduced costs are priced in units of 1/SCALE in CP-SAT's integer objective."""

EPSILON = 1e-6
"""A reduced cost below ``-EPSILON`` improves the master."""

FORCE = 10_000.0
"""Objective weight that imposes a dive's fixed day in pricing (more than any reduced cost)."""

HARD_FAMILIES = (succession.add, workload.add, sequences.add, weekends.add)
"""The rule families a schedule must satisfy; cover and requests are priced, not imposed."""

Row = tuple[str | None, ...]


@dataclass(frozen=True)
class Column:
    """One schedule of one employee and its request penalty."""

    employee: int
    shifts: Row
    cost: int


@dataclass
class PricingOutcome:
    """Columns found for one employee and a lower bound on ``min_j (c_j - pi a_j)``."""

    employee: int
    columns: list[Column]
    lower_bound: float
    proven: bool


def request_costs(instance: CurtoisInstance, e: int) -> tuple[int, dict[tuple[int, str], int]]:
    """``(constant, delta)``: a row's request penalty is ``constant + sum delta[d, s]`` over its
    worked ``(d, s)`` (off-request weights minus on-request weights; constant = all on-weights)."""
    constant = 0
    delta: dict[tuple[int, str], int] = defaultdict(int)
    for r in instance.on_requests:
        if r.employee == e:
            constant += r.weight
            delta[(r.day, r.shift)] -= r.weight
    for r in instance.off_requests:
        if r.employee == e:
            delta[(r.day, r.shift)] += r.weight
    return constant, dict(delta)


class Pricer:
    """The one-employee CP-SAT model, built once; each call sets a new dual objective."""

    def __init__(self, instance: CurtoisInstance, e: int) -> None:
        self.instance = instance
        self.employee = e
        self.model = CurtoisModel(instance, [e])
        for family in HARD_FAMILIES:
            family(self.model)
        self.vars = [(d, s, var) for (_, d, s), var in self.model.shift_vars.items()]
        self.constant, self.delta = request_costs(instance, e)
        self.infeasible = False
        self.forced: dict[int, str | None] = {}
        """Days whose assignment a dive has fixed: day -> shift ID, or ``None`` for off."""

    def row(self, chosen: Sequence[tuple[int, str]]) -> Row:
        """The shift-per-day row with the ``(day, shift)`` pairs ``chosen`` worked."""
        shifts: list[str | None] = [None] * self.instance.horizon
        for d, s in chosen:
            shifts[d] = s
        return tuple(shifts)

    def cost(self, row: Row) -> int:
        """Request penalty of ``row``."""
        return self.constant + sum(
            self.delta.get((d, s), 0) for d, s in enumerate(row) if s is not None
        )

    def price(
        self,
        duals: dict[tuple[int, str], float],
        time_limit: float,
        seed: int,
        hint: Row | None = None,
        quick: bool = False,
        first_only: bool = False,
    ) -> PricingOutcome:
        """Schedules of negative ``c - pi a`` (all improving ones met) and a bound on the min.

        The returned bound is on ``min_j (c_j - pi a_j)`` (no convexity dual), valid whatever
        the time limit did: CP-SAT's proven objective bound less the rounding error. ``quick``
        trades optimality for a first schedule fast (no LP, quick restarts): on 364-day models
        the default search can spend seconds without one; ``first_only`` stops at the first.
        """
        coefficients = []
        for d, s, var in self.vars:
            value = self.delta.get((d, s), 0) - duals.get((d, s), 0.0)
            if d in self.forced:
                # A dive's fixing, imposed through the objective so the model need not change.
                value += -FORCE if self.forced[d] == s else FORCE
            coefficients.append((round(value * SCALE), var))
        cp = self.model.cp
        cp.minimize(sum(c * v for c, v in coefficients if c))
        cp.clear_hints()
        if hint is not None:
            for d, s, var in self.vars:
                cp.add_hint(var, hint[d] == s)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        if quick:
            solver.parameters.linearization_level = 0
            solver.parameters.search_branching = cp_model.PORTFOLIO_WITH_QUICK_RESTART_SEARCH
        solver.parameters.stop_after_first_solution = first_only
        found: list[Row] = []

        class _Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(inner) -> None:  # noqa: N805 - callback protocol
                found.append(self.row([(d, s) for d, s, v in self.vars if inner.boolean_value(v)]))

        status = solver.solve(cp, _Collect())
        error = self.instance.horizon * 0.5 / SCALE
        if status == cp_model.INFEASIBLE:
            self.infeasible = True
            return PricingOutcome(self.employee, [], math.inf, True)
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"pricing model invalid for employee {self.employee}")
        bound = (
            (solver.best_objective_bound / SCALE if status != cp_model.UNKNOWN else -math.inf)
            + self.constant
            - error
        )
        columns = []
        seen: set[Row] = set()
        for row in found:
            if row in seen or any(row[d] != v for d, v in self.forced.items()):
                continue
            seen.add(row)
            columns.append(Column(self.employee, row, self.cost(row)))
        return PricingOutcome(self.employee, columns, bound, status == cp_model.OPTIMAL)


@dataclass
class MasterSolution:
    """LP (or MIP) answer of the restricted master."""

    objective: float
    cover_duals: dict[tuple[int, str], float]
    convexity_duals: list[float]
    values: list[float]
    artificial_values: list[float]


class Master:
    """The restricted master (LP or MIP) in MathOpt, solved by HiGHS."""

    def __init__(self, instance: CurtoisInstance) -> None:
        self.instance = instance
        self.model = mathopt.Model(name=f"{instance.name}-master")
        self.columns: list[Column] = []
        self.column_vars: list[mathopt.Variable] = []
        self.seen: set[tuple[int, Row]] = set()
        self.convexity = [
            self.model.add_linear_constraint(lb=1.0, ub=1.0, name=f"one_{emp.id}")
            for emp in instance.employees
        ]
        self.cover: dict[tuple[int, str], mathopt.LinearConstraint] = {}
        self.weights: dict[tuple[int, str], tuple[int, int]] = {}
        for line in instance.cover:
            key = (line.day, line.shift)
            row = self.model.add_linear_constraint(
                lb=line.requirement, ub=line.requirement, name=f"cover_d{line.day}_{line.shift}"
            )
            self.cover[key] = row
            self.weights[key] = (line.weight_under, line.weight_over)
            under = self.model.add_variable(lb=0.0, name=f"under_d{line.day}_{line.shift}")
            over = self.model.add_variable(lb=0.0, name=f"over_d{line.day}_{line.shift}")
            row.set_coefficient(under, 1.0)
            row.set_coefficient(over, -1.0)
            self.model.objective.set_linear_coefficient(under, line.weight_under)
            self.model.objective.set_linear_coefficient(over, line.weight_over)
        # One artificial per employee keeps the LP feasible before any column exists; its cost
        # exceeds any roster's objective so it leaves the basis as soon as columns allow.
        big = (
            1.0
            + sum(
                line.requirement * line.weight_under + len(instance.employees) * line.weight_over
                for line in instance.cover
            )
            + sum(r.weight for r in instance.on_requests + instance.off_requests)
        )
        self.artificials = []
        for e, row in enumerate(self.convexity):
            var = self.model.add_variable(lb=0.0, ub=1.0, name=f"artificial_{e}")
            row.set_coefficient(var, 1.0)
            self.model.objective.set_linear_coefficient(var, big)
            self.artificials.append(var)
        self.model.objective.is_maximize = False

    def add(self, column: Column) -> bool:
        """Add ``column`` unless already present; returns whether it was added."""
        key = (column.employee, column.shifts)
        if key in self.seen:
            return False
        self.seen.add(key)
        emp = self.instance.employees[column.employee]
        var = self.model.add_variable(lb=0.0, ub=1.0, name=f"col{len(self.columns)}_{emp.id}")
        self.model.objective.set_linear_coefficient(var, column.cost)
        self.convexity[column.employee].set_coefficient(var, 1.0)
        for d, s in enumerate(column.shifts):
            if s is not None and (d, s) in self.cover:
                self.cover[(d, s)].set_coefficient(var, 1.0)
        self.columns.append(column)
        self.column_vars.append(var)
        return True

    def solve_lp(self, time_limit: float) -> MasterSolution | None:
        """Solve the LP relaxation; ``None`` unless HiGHS reports it optimal."""
        params = mathopt.SolveParameters(enable_output=False, time_limit=_seconds(time_limit))
        result = mathopt.solve(self.model, mathopt.SolverType.HIGHS, params=params)
        if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
            return None
        duals = result.dual_values(list(self.cover.values()))
        return MasterSolution(
            objective=result.objective_value(),
            cover_duals=dict(zip(self.cover, duals, strict=True)),
            convexity_duals=list(result.dual_values(self.convexity)),
            values=list(result.variable_values(self.column_vars)),
            artificial_values=list(result.variable_values(self.artificials)),
        )

    def solve_ip(self, time_limit: float) -> list[Row] | None:
        """Solve the restricted master with integral columns; the rows, or ``None``."""
        values = integral_values(self.model, self.column_vars, self.artificials, time_limit)
        if values is None:
            return None
        rows: list[Row | None] = [None] * len(self.instance.employees)
        for column, value in zip(self.columns, values, strict=True):
            if value > 0.5:
                rows[column.employee] = column.shifts
        if any(r is None for r in rows):
            return None
        return [r for r in rows if r is not None]

    def artificial_indices(self) -> list[int]:
        """Indices into :attr:`MasterSolution.artificial_values` (one per employee)."""
        return list(range(len(self.artificials)))

    def clamp(self, duals: dict[tuple[int, str], float]) -> dict[tuple[int, str], float]:
        """Duals moved into ``[-wo, wu]`` so that the Lagrangian bound is valid."""
        return {k: min(self.weights[k][0], max(-self.weights[k][1], v)) for k, v in duals.items()}


def _seconds(value: float):  # type: ignore[no-untyped-def]
    import datetime

    return datetime.timedelta(seconds=max(0.01, value))


class ColumnGeneration:
    """The master, one pricer per employee and the loop that links them.

    Employees can be *fixed* to one column (diving): their other columns are bounded to 0,
    the chosen one to 1, and they are no longer priced.
    """

    def __init__(
        self,
        instance: CurtoisInstance,
        workers: int = 2,
        seed: int = 0,
        pricing_limit: float = 5.0,
    ) -> None:
        self.instance = instance
        self.master = Master(instance)
        self.pricers = [Pricer(instance, e) for e in range(len(instance.employees))]
        self.workers = max(1, workers)
        self.seed = seed
        self.pricing_limit = pricing_limit
        self.hints: list[Row | None] = [None] * len(self.pricers)
        self.fixed: set[int] = set()
        """Employees whose every day a dive has fixed (no longer priced)."""
        self.best_bound = -math.inf
        self.lp: MasterSolution | None = None
        self.converged = False
        self.rounds = 0
        self.log: list[str] = []
        self.infeasible = False
        self.dive_steps = 0
        """Fixing steps of the last dive."""

    @property
    def lower_bound(self) -> int | None:
        """Best Lagrangian bound so far (integer objective: rounded up); ``None`` before one."""
        if not math.isfinite(self.best_bound):
            return None
        return math.ceil(self.best_bound - 1e-6)

    def add_row(self, e: int, row: Sequence[str | None]) -> None:
        """Seed the master with employee ``e``'s ``row`` (must satisfy the hard rules)."""
        row = tuple(row)
        self.master.add(Column(e, row, self.pricers[e].cost(row)))
        self.hints[e] = row

    def run(self, deadline: float, max_rounds: int | None = None) -> bool:
        """Price and re-solve until no column prices out, ``max_rounds`` or ``deadline``.

        Returns whether it converged (no improving column, every pricing proven). The
        Lagrangian bound is only updated while nothing is fixed.
        """
        done = 0
        free = [e for e in range(len(self.pricers)) if e not in self.fixed]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            while time.monotonic() < deadline and (max_rounds is None or done < max_rounds):
                solution = self.master.solve_lp(max(1.0, deadline - time.monotonic()))
                if solution is None:
                    return False
                self.lp = solution
                if not free:
                    return True
                duals = self.master.clamp(solution.cover_duals)
                self.rounds += 1
                done += 1
                round_seed = self.seed + 7919 * self.rounds

                def price(
                    e: int,
                    duals: dict[tuple[int, str], float] = duals,
                    round_seed: int = round_seed,
                ) -> PricingOutcome:
                    left = deadline - time.monotonic()
                    return self.pricers[e].price(
                        duals, min(self.pricing_limit, left), round_seed + e, self.hints[e]
                    )

                outcomes = list(pool.map(price, free))
                if any(self.pricers[e].infeasible for e in free):
                    self.infeasible = True
                    return False
                added = 0
                for outcome in outcomes:
                    mu = solution.convexity_duals[outcome.employee]
                    for column in outcome.columns:
                        reduced = column.cost - _dot(duals, column.shifts) - mu
                        if reduced < -EPSILON and self.master.add(column):
                            added += 1
                    if outcome.columns:
                        self.hints[outcome.employee] = min(
                            outcome.columns, key=lambda c: c.cost - _dot(duals, c.shifts)
                        ).shifts
                if not self.diving:
                    bound = sum(
                        duals[(line.day, line.shift)] * line.requirement
                        for line in self.instance.cover
                    ) + sum(o.lower_bound for o in outcomes)
                    self.best_bound = max(self.best_bound, bound)
                self.log.append(
                    f"round {self.rounds}: lp {solution.objective:.3f} bound "
                    f"{self.best_bound:.3f} added {added} columns {len(self.master.columns)} "
                    f"fixed {sum(len(p.forced) for p in self.pricers)}"
                )
                if added == 0:
                    proven = all(o.proven for o in outcomes)
                    if not self.diving:
                        self.converged = proven
                    return proven
        return False

    def current_lp(self) -> MasterSolution | None:
        """The LP solution over every column so far (re-solved when columns were added)."""
        if self.lp is None or len(self.lp.values) != len(self.master.columns):
            self.lp = self.master.solve_lp(60.0)
        return self.lp

    @property
    def diving(self) -> bool:
        """Whether any day is fixed (the Lagrangian bound then no longer holds)."""
        return any(p.forced for p in self.pricers)

    def fix(self, e: int, d: int, value: str | None) -> None:
        """Fix employee ``e`` on day ``d`` to shift ``value`` (``None``: off)."""
        self.pricers[e].forced[d] = value
        for column, var in zip(self.master.columns, self.master.column_vars, strict=True):
            if column.employee == e and column.shifts[d] != value:
                var.upper_bound = 0.0
        if len(self.pricers[e].forced) == self.instance.horizon:
            self.fixed.add(e)

    def unfix_all(self) -> None:
        """Undo every :meth:`fix`."""
        for var in self.master.column_vars:
            var.upper_bound = 1.0
        for pricer in self.pricers:
            pricer.forced.clear()
        self.fixed.clear()
        self.lp = None  # the LP of the fixed master is not the master's

    def integral_rows(self) -> list[Row] | None:
        """The master's LP solution as rows, when it is integral (every employee one column)."""
        lp = self.current_lp()
        if lp is None:
            return None
        rows: list[Row | None] = [None] * len(self.pricers)
        for column, value in zip(self.master.columns, lp.values, strict=True):
            if value > 1 - 1e-6:
                rows[column.employee] = column.shifts
            elif value > 1e-6:
                return None
        if any(r is None for r in rows):
            return None
        return [r for r in rows if r is not None]

    def assignment_values(self, lp: MasterSolution) -> dict[tuple[int, int, str | None], float]:
        """LP value of "employee e has value v on day d" summed over e's columns."""
        values: dict[tuple[int, int, str | None], float] = defaultdict(float)
        for column, value in zip(self.master.columns, lp.values, strict=True):
            if value > 1e-9:
                for d, v in enumerate(column.shifts):
                    values[(column.employee, d, v)] += value
        return values

    def dive(
        self,
        deadline: float,
        rounds_per_step: int = 2,
        threshold: float = DIVE_THRESHOLD,
        cutoff: float | None = None,
        rng: random.Random | None = None,
    ) -> list[Row] | None:
        """Fix (employee, day) assignments by LP value, re-price after each step, until integral.

        Each step fixes every fractional assignment whose LP value is at least ``threshold``
        or, when none is, the single largest one (ties, and values within 0.05 when ``rng`` is
        given, broken at random), then runs ``rounds_per_step`` pricing rounds. Fixing single
        days (rather than whole columns, which was measured to derail the dive) keeps the LP
        value close to the bound. The dive stops when the LP value reaches ``cutoff`` (it can
        no longer beat the incumbent). Returns the roster found (``None`` on time-out, cutoff or
        a dead end); fixings are undone on return.
        """
        self.dive_steps = 0
        try:
            while time.monotonic() < deadline:
                lp = self.current_lp()
                if lp is not None and cutoff is not None and lp.objective > cutoff - 1 + 1e-6:
                    return None
                rows = self.integral_rows()
                if rows is not None:
                    return rows
                lp = self.current_lp()
                if lp is None or any(
                    v > 1e-6 for v in _values(lp, self.master.artificial_indices())
                ):
                    return None
                values = self.assignment_values(lp)
                chosen = fixings(values, lambda e, d: d in self.pricers[e].forced, threshold, rng)
                if not chosen:
                    return None
                done: set[tuple[int, int]] = set()
                for e, d, v in chosen:
                    if (e, d) not in done:
                        done.add((e, d))
                        self.fix(e, d, v)
                self.dive_steps += 1
                self.run(deadline, max_rounds=rounds_per_step)
            return None
        finally:
            self.unfix_all()


def _values(lp: MasterSolution, indices: Sequence[int]) -> list[float]:
    return [lp.artificial_values[i] for i in indices]


def _dot(duals: dict[tuple[int, str], float], row: Row) -> float:
    return sum(duals.get((d, s), 0.0) for d, s in enumerate(row) if s is not None)
