"""Solve a Curtois & Qu instance: column generation, or construct and LNS; polish by CP-SAT.

Strategy, measured on the 24 instances with 2 workers:

0. **Column generation** (horizons up to :data:`COLGEN_MAX_HORIZON` days and sizes up to
   :data:`COLGEN_CELLS_PER_SECOND` employee-days per second of time limit; see :mod:`.colgen`):
   the set-partitioning LP over whole-horizon schedules priced per employee by CP-SAT gives the
   lower bound (the optimum, rounded up, on instances 2-4, 10 and 11 at 60 s), then dives
   (fix the (employee, day) assignments of largest LP value, re-price, repeat; several, varied,
   each cut off by the incumbent) and the restricted master as a MIP give the roster that
   step 2 or 3 polishes. When it yields no roster in its share of the time, the solve falls
   back to step 1.
1. **Construct** a feasible roster employee by employee: every hard rule concerns one employee,
   so each employee's rules can be met alone; each is solved exactly by CP-SAT with the others
   already placed as a fixed background head count, so the cover cost of each choice is exact.
   Above :data:`FAST_CONSTRUCT_CELLS` employee-days (the 364-day instances 23 and 24) the fast
   construction of :mod:`.construct` replaces it.
2. **Whole model** (only when it is small enough to pay off): CP-SAT on all variables, hinted
   with the incumbent and cut by the column-generation bound (objective >= bound); this also
   gives CP-SAT's own bound (Instance1, whose LP bound 558 is loose, is proven 607 this way).
3. **Large-neighbourhood search**: repeatedly free a neighbourhood (a set of employees over a
   window of days, the rest fixed as background and as constant days), solve it with CP-SAT
   hinted with the incumbent, keep the result when it is no worse. Neighbourhood size adapts so
   that about half of the sub-solves finish with proven optimality.

Every candidate is scored by :func:`.evaluator.objective_value`, not by the sub-model, so the
incumbent objective is always the benchmark objective.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.roster.curtois import construct
from scheduler.roster.curtois.colgen import DIVE_THRESHOLD, ColumnGeneration
from scheduler.roster.curtois.evaluator import objective_value
from scheduler.roster.curtois.model import CurtoisModel
from scheduler.roster.curtois.reader import CurtoisInstance
from scheduler.roster.curtois.roster_file import CurtoisRoster

WHOLE_MODEL_MAX_VARIABLES = 40_000
"""Above this many shift variables the whole model costs more presolve time than it returns."""

COLGEN_MAX_HORIZON = 84
"""Column generation for horizons up to this many days (instances 1-19); longer horizons make
every pricing problem a 182- or 364-day CP-SAT model, too slow for the time limits of interest."""

COLGEN_CELLS_PER_SECOND = 25
"""Column generation only when employees x days <= this x the time limit: pricing time grows
with both. At 60 s (1,500 employee-days) that is instances 1-11, 14 and 16; measured on 2 shared
cores, 12 (1,680) did not converge in 60 s and ended far worse than construct-and-LNS, and 13
and 18 were worse too."""

FAST_CONSTRUCT_CELLS = 20_000
"""Above this many employee-days (instances 23 and 24) the per-employee optimal construction
cannot place everyone in 60 s; :mod:`.construct` (one shift type per employee first) does."""

COLGEN_SHARE = 0.4
"""Share of the time limit for the column generation proper (it stops earlier on convergence)."""

DIVE_SHARE = 0.7
"""Dives run until this share of the time limit has passed."""

DIVE_PATIENCE = 2
"""Dives stop after this many in a row fail to improve the incumbent (where the LP bound is
loose, as on Instance1, CP-SAT on the whole model proves the optimum sooner)."""


@dataclass(frozen=True)
class ProgressEvent:
    """A new incumbent (or bound): elapsed seconds, objective, bound, and who found it."""

    seconds: float
    objective: int
    lower_bound: int | None
    source: str


@dataclass(frozen=True)
class CurtoisResult:
    """Outcome of :func:`solve`.

    ``status`` is ``OPTIMAL`` when the objective meets the proven lower bound, ``FEASIBLE``
    when a roster was found, ``INFEASIBLE`` when CP-SAT proved no roster exists, ``UNKNOWN``
    otherwise. ``lower_bound`` is the best of the column-generation (Lagrangian) bound and
    CP-SAT's bound of the whole model (``None`` when neither was computed).
    """

    instance: str
    status: str
    objective: int | None
    lower_bound: int | None
    seconds: float
    roster: CurtoisRoster | None
    seed: int
    lns_iterations: int


Rows = list[list[str | None]]


class _Search:
    """Mutable state of one solve: the incumbent, the clock and the progress feed."""

    def __init__(
        self,
        instance: CurtoisInstance,
        time_limit: float,
        workers: int,
        seed: int,
        progress: Callable[[ProgressEvent], None] | None,
    ) -> None:
        self.instance = instance
        self.start = time.monotonic()
        self.deadline = self.start + time_limit
        self.workers = workers
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress
        self.rows: Rows | None = None
        self.objective: int | None = None
        self.lower_bound: int | None = None
        self.infeasible = False
        self.iterations = 0

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def offer(self, rows: Rows, source: str) -> bool:
        """Keep ``rows`` if no worse than the incumbent; returns whether it was kept."""
        value = objective_value(self.instance, CurtoisRoster.from_rows(rows))
        if self.objective is not None and value > self.objective:
            return False
        improved = self.objective is None or value < self.objective
        self.rows, self.objective = [list(r) for r in rows], value
        if improved and self.progress is not None:
            elapsed = time.monotonic() - self.start
            self.progress(ProgressEvent(elapsed, value, self.lower_bound, source))
        return True

    def solver(self, time_limit: float, workers: int | None = None) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = workers or self.workers
        solver.parameters.random_seed = self.rng.randrange(1 << 30)
        return solver


def solve(
    instance: CurtoisInstance,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    progress: Callable[[ProgressEvent], None] | None = None,
) -> CurtoisResult:
    """Find a good roster for ``instance`` within ``time_limit`` seconds.

    Parameters
    ----------
    instance
        The benchmark instance.
    time_limit
        Wall-clock budget in seconds for the whole solve.
    workers
        CP-SAT worker threads.
    seed
        Seeds CP-SAT and the neighbourhood choice; with one worker the same seed gives the
        same roster when no time limit interrupts a sub-solve.
    progress
        Called with each new incumbent.

    Returns
    -------
    CurtoisResult
        The best roster found, its objective, the lower bound and status.
    """
    search = _Search(instance, time_limit, workers, seed, progress)
    size = sum(
        len([s for s in instance.shifts if emp.may_work(s.id)])
        * (instance.horizon - len(emp.days_off))
        for emp in instance.employees
    )
    cells = instance.horizon * len(instance.employees)
    if instance.horizon <= COLGEN_MAX_HORIZON and cells <= COLGEN_CELLS_PER_SECOND * time_limit:
        _column_generation(search, time_limit)
    if search.rows is None and not search.infeasible:
        if cells > FAST_CONSTRUCT_CELLS:
            rows = construct.construct(instance, search.deadline, seed=seed)
            if rows is not None:
                search.offer([list(r) for r in rows], "construct-fast")
        else:
            _construct(search)
    if _proven(search):
        pass
    elif size <= WHOLE_MODEL_MAX_VARIABLES:
        # Small enough for CP-SAT's own portfolio (LP bound, its LNS) to beat ours.
        _whole_model(search, search.remaining())
    elif search.rows is not None:
        _lns(search)
    return _result(search)


def _column_generation(search: _Search, time_limit: float) -> None:
    """Bound by column generation, then a dive and the restricted MIP for a roster."""
    start = search.start
    cg = ColumnGeneration(search.instance, workers=search.workers, seed=search.seed)

    def bound(value: int) -> None:
        search.lower_bound = max(search.lower_bound or value, value)

    cg.run(start + COLGEN_SHARE * time_limit)
    if cg.infeasible:
        search.infeasible = True
        return
    if cg.lower_bound is not None:
        bound(cg.lower_bound)
    # Dive repeatedly until the dive share is spent: later dives start from a master enriched
    # by the earlier ones, vary threshold and tie-breaks, and stop once they cannot win.
    thresholds = (DIVE_THRESHOLD, 0.9, 0.7, 0.95, 0.6)
    dives = failures = 0
    while (
        time.monotonic() < start + DIVE_SHARE * time_limit
        and not _proven(search)
        and failures < DIVE_PATIENCE
    ):
        rows = cg.dive(
            start + DIVE_SHARE * time_limit,
            threshold=thresholds[dives % len(thresholds)],
            cutoff=search.objective,
            rng=None if dives == 0 else search.rng,
        )
        dives += 1
        before = search.objective
        if rows is not None:
            search.offer([list(r) for r in rows], "colgen-dive")
        failures = 0 if search.objective != before else failures + 1
        if rows is None and cg.dive_steps == 0:
            break  # the root LP already cannot beat the incumbent: nothing left to dive for
        if not cg.converged:
            cg.run(start + DIVE_SHARE * time_limit, max_rounds=1)
            if cg.lower_bound is not None:
                bound(cg.lower_bound)
    if _proven(search):
        return
    left = min(search.remaining() * 0.3, 0.1 * time_limit)
    rows = cg.master.solve_ip(left)
    if rows is not None:
        search.offer([list(r) for r in rows], "colgen-mip")


def _proven(search: _Search) -> bool:
    return search.lower_bound is not None and search.objective == search.lower_bound


def _result(search: _Search) -> CurtoisResult:
    elapsed = time.monotonic() - search.start
    if search.rows is None:
        status = "INFEASIBLE" if search.infeasible else "UNKNOWN"
        roster = None
    else:
        status = "OPTIMAL" if _proven(search) else "FEASIBLE"
        roster = CurtoisRoster.from_rows(search.rows)
    return CurtoisResult(
        instance=search.instance.name,
        status=status,
        objective=search.objective,
        lower_bound=search.lower_bound,
        seconds=elapsed,
        roster=roster,
        seed=search.seed,
        lns_iterations=search.iterations,
    )


def _rows_from(model: CurtoisModel, solver: cp_model.CpSolver, base: Rows | None) -> Rows:
    inst = model.instance
    rows: Rows = (
        [list(r) for r in base]
        if base is not None
        else [[None] * inst.horizon for _ in inst.employees]
    )
    for (e, d), shift in model.assignment(solver).items():
        rows[e][d] = shift
    return rows


def _as_assignment(rows: Rows) -> dict[tuple[int, int], str | None]:
    return {(e, d): s for e, row in enumerate(rows) for d, s in enumerate(row)}


def _whole_model(search: _Search, time_limit: float) -> None:
    """CP-SAT on the whole model, hinted with the incumbent; records the bound."""
    if time_limit <= 0.05:
        return
    model = CurtoisModel(search.instance).build()
    if search.rows is not None:
        model.add_hint(_as_assignment(search.rows))
    if search.lower_bound is not None:
        # A valid cut from column generation: CP-SAT's own bound starts far below it, and
        # with it an incumbent at the bound is proven optimal at once.
        model.cp.add(sum(t.weight * t.expression for t in model.penalties) >= search.lower_bound)
    solver = search.solver(min(time_limit, search.remaining()))
    status = solver.solve(model.cp)
    if status == cp_model.INFEASIBLE:
        search.infeasible = True
        return
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = math.ceil(solver.best_objective_bound - 1e-6)
        search.lower_bound = max(search.lower_bound or 0, bound)
        search.offer(_rows_from(model, solver, None), "whole-model")


def _background(
    instance: CurtoisInstance, rows: Rows, freed: Sequence[int]
) -> Counter[tuple[int, str]]:
    """Head count per (day, shift) of every employee not in ``freed``."""
    skip = set(freed)
    return Counter(
        (d, s)
        for e, row in enumerate(rows)
        if e not in skip
        for d, s in enumerate(row)
        if s is not None
    )


def _solve_alone(
    search: _Search, model: CurtoisModel, time_limit: float, first_only: bool
) -> tuple[int, cp_model.CpSolver]:
    """Solve a one-employee model on one worker; returns the status and the solver."""
    solver = search.solver(time_limit, workers=1)
    # The default single-worker search, led by the objective and the LP, can spend seconds
    # without any solution on long horizons; without LP and with quick restarts it finds one
    # in well under a second (measured on instances 20-24).
    solver.parameters.linearization_level = 0
    solver.parameters.search_branching = cp_model.PORTFOLIO_WITH_QUICK_RESTART_SEARCH
    solver.parameters.stop_after_first_solution = first_only
    return int(solver.solve(model.cp)), solver


def _construct(search: _Search) -> None:
    """Place employees one at a time, each optimally against those already placed."""
    inst = search.instance
    rows: Rows = [[None] * inst.horizon for _ in inst.employees]
    placed: Counter[tuple[int, str]] = Counter()
    count = len(inst.employees)
    for e in range(count):
        # A fifth of an equal share of what is left: construction only has to be feasible and
        # sensible, the neighbourhood search does the real improving.
        share = max(0.1, search.remaining() / (count - e) * 0.2)
        model = CurtoisModel(inst, [e], background=placed).build()
        status, solver = _solve_alone(search, model, share, first_only=False)
        if status == cp_model.UNKNOWN and search.remaining() > 0.1:
            # Feasibility first; a slower employee must not stop the whole construction.
            status, solver = _solve_alone(search, model, search.remaining(), first_only=True)
        if status == cp_model.INFEASIBLE:
            search.infeasible = True
            return
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return
        rows = _rows_from(model, solver, rows)
        for d, s in enumerate(rows[e]):
            if s is not None:
                placed[(d, s)] += 1
    search.offer(rows, "construct")


@dataclass
class _Neighbourhood:
    employees: list[int]
    first_day: int
    last_day: int  # inclusive
    kind: str


def _choose(search: _Search, target: float) -> _Neighbourhood:
    """A random neighbourhood of about ``target`` free shift variables."""
    inst = search.instance
    rng = search.rng
    horizon = inst.horizon
    allowed = sum(len([s for s in inst.shifts if e.may_work(s.id)]) for e in inst.employees)
    per_day = max(1.0, allowed / len(inst.employees))
    kind = rng.choice(("employees", "window", "window"))
    if kind == "employees":
        length = min(horizon, max(14, int(target / (3 * per_day))))
    else:
        length = rng.randint(3, min(horizon, 14))
    first = rng.randint(0, horizon - length)
    count = int(max(2, min(len(inst.employees), target / (length * per_day))))
    employees = sorted(rng.sample(range(len(inst.employees)), count))
    return _Neighbourhood(employees, first, first + length - 1, kind)


def _lns(search: _Search) -> None:
    """Improve the incumbent with CP-SAT on neighbourhoods until the deadline."""
    inst = search.instance
    target = 300.0
    while search.remaining() > 0.2 and not _proven(search):
        assert search.rows is not None
        hood = _choose(search, target)
        rows = search.rows
        window = range(hood.first_day, hood.last_day + 1)
        fixed = {
            (e, d): rows[e][d]
            for e in hood.employees
            for d in range(inst.horizon)
            if d not in window
        }
        model = CurtoisModel(
            inst, hood.employees, background=_background(inst, rows, hood.employees), fixed=fixed
        ).build()
        model.add_hint(_as_assignment(rows))
        solver = search.solver(min(search.remaining(), 2.0), workers=1)
        status = solver.solve(model.cp)
        search.iterations += 1
        if status == cp_model.OPTIMAL:
            target = min(target * 1.1, 50_000.0)
        else:
            target = max(target / 1.1, 100.0)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            search.offer(_rows_from(model, solver, rows), f"lns-{hood.kind}")
