"""The column-generation phase of a solve: a bound, then dives and the restricted MIP for rosters.

Runs after the construction on problems :func:`scheduler.roster.colgen.not_applicable` accepts
(agents coupled by shift cover rows alone). Shares of the time limit, as measured for the
dedicated Curtois engine (:mod:`scheduler.roster.curtois.solve`): column generation proper
until :data:`COLGEN_SHARE`, repeated dives until :data:`DIVE_SHARE`, then the restricted master
as a MIP; the search that follows (whole model or LNS) polishes the best roster.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scheduler.roster.allocate import allocate
from scheduler.roster.colgen import ColumnGeneration, Schedule
from scheduler.roster.cpsat.model import default_breaks
from scheduler.roster.evaluate import Evaluation, evaluate
from scheduler.roster.plan import NO_SHIFT, Plan
from scheduler.roster.problem_data import unscale

COLGEN_SHARE = 0.4
"""Column generation proper runs until this share of the time limit (less on convergence)."""

DIVE_SHARE = 0.7
"""Dives run until this share of the time limit has passed."""

DIVE_PATIENCE = 2
"""Dives stop after this many in a row fail to improve the incumbent, once it is within
:data:`CLOSE_GAP` of the bound."""

CLOSE_GAP = 0.01
"""Further from the bound than this (relative), dives go on until :data:`DIVE_SHARE` whatever
they gain: on Curtois Instance8 at 600 s (bound 1297) the seed-0 run stopped diving after two
failures at 1506 and the whole model ended at 1400, where a seed-1 dive had found 1317."""

DIVE_THRESHOLDS = (0.8, 0.9, 0.7, 0.95, 0.6)
"""Fixing thresholds of successive dives (varied so that later dives take other paths)."""

MIP_SHARE = 0.1
"""The restricted MIP gets at most this share of the time limit (and 30 % of what is left)."""


@dataclass(frozen=True)
class ColgenOutcome:
    """Best roster after the phase, the Lagrangian bound (scaled units, or None) and a summary."""

    plan: Plan
    evaluation: Evaluation
    bound: float | None
    converged: bool
    message: str

    @property
    def floor(self) -> int | None:
        """The bound rounded up: scaled objectives are integers, so no roster is below it."""
        return None if self.bound is None else rounded_up(self.bound)


def rounded_up(bound: float) -> int:
    """``bound`` (scaled units) rounded up, allowing for floating-point noise."""
    return math.ceil(bound - 1e-6)


def to_plan(start: Plan, schedules: Sequence[Schedule]) -> Plan:
    """``start`` with every agent's days replaced by ``schedules`` (breaks at their defaults,
    queues re-allocated)."""
    plan = start.copy()
    data = plan.data
    for a, schedule in enumerate(schedules):
        for d, c in enumerate(schedule):
            if c == NO_SHIFT:
                plan.set_shift(a, d, NO_SHIFT, ())
            else:
                cand = data.candidates[c]
                plan.set_shift(a, d, c, default_breaks(data, cand.template, cand.first))
    return allocate(plan)


def search(
    plan: Plan,
    evaluation: Evaluation,
    started: float,
    time_limit: float,
    workers: int,
    seed: int,
    stop: Callable[[], bool],
    on_improve: Callable[[Evaluation, str], None],
) -> ColgenOutcome:
    """Run the phase from ``plan`` (meeting every hard rule) within the solve's time shares.

    Parameters
    ----------
    plan, evaluation
        The incumbent and its evaluation.
    started, time_limit
        When the solve started (monotonic seconds) and its time limit: the shares count from it.
    workers, seed
        Pricing threads and seed.
    stop
        Polled between dives: True ends the phase with the best roster so far.
    on_improve
        Called with each better roster's evaluation and where it came from.
    """
    cg = ColumnGeneration(plan.data, plan, workers=workers, seed=seed)
    best, best_eval = plan, evaluation
    rng = random.Random(seed)
    found_by: list[str] = []

    def offer(schedules: Sequence[Schedule] | None, source: str) -> None:
        nonlocal best, best_eval
        if schedules is None:
            return
        cand = to_plan(best, schedules)
        cand_eval = evaluate(cand)
        if cand_eval.total < best_eval.total:
            best, best_eval = cand, cand_eval
            found_by.append(source)
            on_improve(cand_eval, source)

    def proven() -> bool:
        return math.isfinite(cg.best_bound) and best_eval.total <= rounded_up(cg.best_bound)

    def close() -> bool:
        return best_eval.total - cg.best_bound <= CLOSE_GAP * abs(best_eval.total)

    cg.run(started + COLGEN_SHARE * time_limit)
    dives = failures = 0
    dive_until = started + DIVE_SHARE * time_limit
    while (
        not cg.infeasible
        and time.monotonic() < dive_until
        and not proven()
        and not stop()
        and (failures < DIVE_PATIENCE or not close())
    ):
        before = best_eval.total
        found = cg.dive(
            dive_until,
            cutoff=best_eval.total,
            threshold=DIVE_THRESHOLDS[dives % len(DIVE_THRESHOLDS)],
            rng=None if dives == 0 else rng,
        )
        dives += 1
        offer(found, "dive")
        failures = 0 if best_eval.total < before else failures + 1
        if found is None and cg.dive_steps == 0:
            break  # the root LP already cannot beat the incumbent: nothing left to dive for
        if not cg.converged:
            cg.run(dive_until, max_rounds=1)
    if not cg.infeasible and not proven() and not stop():
        left = time_limit - (time.monotonic() - started)
        offer(cg.master.solve_ip(min(0.3 * left, MIP_SHARE * time_limit)), "MIP")
    bound = cg.best_bound if math.isfinite(cg.best_bound) else None
    shown = "none" if bound is None else f"{unscale(bound):.1f}"
    message = (
        f"column generation: {cg.rounds} pricing rounds, {len(cg.master.columns)} columns, "
        f"{'converged' if cg.converged else 'not converged'}, bound {shown}, {dives} dives; "
        f"better rosters from {', '.join(found_by) or 'none'}"
    )
    return ColgenOutcome(best, best_eval, bound, cg.converged, message)
