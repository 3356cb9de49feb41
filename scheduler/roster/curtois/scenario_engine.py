"""Solve a Curtois & Qu instance with the contact-centre roster engine instead of the dedicated one.

The instance becomes a scenario (:func:`~scheduler.roster.curtois.to_scenario.to_scenario`), the
engine solves it (:func:`scheduler.roster.solve.solve`: construction; column generation over
whole-horizon schedules where the horizon and size allow, as these scenarios are coupled by their
cover rows alone; then the whole-model CP-SAT for small instances or best responses and LNS for
larger ones), and its roster is read back into the benchmark's table so the same independent
evaluator scores it.

The LP bound of :mod:`scheduler.roster.bounds` is switched off: it accepts these queue-less
scenarios and their horizon limits, but it drops the minimum runs of working days and days off
that most of these instances' cost comes from, so it is weak here (Instances 1-5: 403, 701,
1000, 1200, 701 against optima or best known 607, 828, 1001, 1716, 1143) and would take a core
from the search. The reported lower bound is the engine's column-generation bound (rounded up)
where that ran (:func:`scheduler.roster.colgen.not_applicable`: up to 84 days and 25 agent-days
per second of the time limit), the objective where the whole-model CP-SAT proved it optimal, and
``None`` otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from scheduler.roster.curtois.reader import CurtoisInstance
from scheduler.roster.curtois.roster_file import CurtoisRoster
from scheduler.roster.curtois.solve import CurtoisResult
from scheduler.roster.curtois.to_scenario import DEFAULT_START, empty_requirements, to_scenario
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import ProgressEvent, Result, Roster, SolveParams
from scheduler.roster.solve import solve

MIN_SOLVE_SECONDS = 1.0
"""The least time the engine gets, however long the mapping took."""


@dataclass(frozen=True)
class ScenarioOutcome:
    """The benchmark-shaped result and the engine's own (objective in value units)."""

    curtois: CurtoisResult
    engine: Result


def to_curtois_roster(instance: CurtoisInstance, roster: Roster) -> CurtoisRoster:
    """The engine's roster as the benchmark's table: employees in file order, template per day.

    Raises
    ------
    ValueError
        If the roster names an agent the instance does not have, or a day outside it.
    """
    index = {e.id: i for i, e in enumerate(instance.employees)}
    rows: list[list[str | None]] = [[None] * instance.horizon for _ in instance.employees]
    for shift in roster.shifts:
        if shift.agent not in index or not 0 <= shift.day < instance.horizon:
            raise ValueError(f"shift of {shift.agent} on day {shift.day} is not in the instance")
        # Templates are the shift types (to_scenario names them by the shift ID).
        rows[index[shift.agent]][shift.day] = shift.template
    return CurtoisRoster.from_rows(rows)


def solve_with_scenario(
    instance: CurtoisInstance,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    start: dt.date = DEFAULT_START,
    progress: Callable[[ProgressEvent], None] | None = None,
) -> ScenarioOutcome:
    """Map, solve with the roster engine within ``time_limit`` seconds, and read back.

    Parameters
    ----------
    instance
        The benchmark instance.
    time_limit, workers, seed
        Passed to :class:`~scheduler.roster.result.SolveParams`; the mapping's time counts
        against the limit (the engine gets the rest, at least :data:`MIN_SOLVE_SECONDS`).
    start
        Date of day 0 (a Monday).
    progress
        Called with the engine's progress events.

    Raises
    ------
    scheduler.errors.InfeasibleError
        When the engine finds the instance's hard rules cannot all hold.
    scheduler.errors.RosterNotFoundError
        When the engine found no roster meeting them in the time given (not proven impossible).
    """
    began = time.monotonic()
    scenario = to_scenario(instance, start)
    data = build_problem(scenario, empty_requirements())
    # The benchmark's time limit covers the mapping too (a 364-day, 150-employee instance
    # has a million candidate shifts to build): the engine gets what is left of it.
    left = max(MIN_SOLVE_SECONDS, time_limit - (time.monotonic() - began))
    params = SolveParams(time_limit_s=left, workers=workers, seed=seed, lp_bound=False)
    result = solve(data, params, on_progress=progress)
    roster = to_curtois_roster(instance, result.roster)
    objective = None if result.objective is None else round(result.objective)
    bound = None if result.bound is None else math.ceil(result.bound - 1e-6)
    curtois = CurtoisResult(
        instance=instance.name,
        status=result.status.value,
        objective=objective,
        lower_bound=bound,
        seconds=time.monotonic() - began,
        roster=roster,
        seed=seed,
        lns_iterations=0,
    )
    return ScenarioOutcome(curtois=curtois, engine=result)
