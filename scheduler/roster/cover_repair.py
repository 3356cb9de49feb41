"""Bring shift cover rows the construction left short (or overfull) within their limits.

The constructive heuristic reserves agent-days for every cover minimum
(:mod:`scheduler.roster.cover_fill`), but an agent whose reserved week turned out infeasible gives
its reservation up, and rows that share agents can crowd each other out. What is left is repaired
here with one CP-SAT model of shift choices (every agent rule, every cover row hard), freeing the
weeks of the agents who could work a broken row and hinted with the construction's roster; if that
neighbourhood has no answer, every agent is freed. A model proven infeasible, or no answer within
the time given, ends the solve with :func:`scheduler.roster.diagnose.explain_cover`.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from scheduler.errors import InfeasibleError, RosterNotFoundError
from scheduler.roster import diagnose
from scheduler.roster.construct import shift_scores
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints import shift_cover
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import ProblemData

REPAIR_SECONDS = 10.0
"""Longest the repair may search (both attempts together)."""


def broken_rows(data: ProblemData, plan: Plan) -> list[int]:
    """Indices of the cover rows ``plan`` leaves below their minimum or above their maximum."""
    counts = shift_cover.counts(data, plan.choice)
    return [
        r
        for r, row in enumerate(data.cover)
        if counts[r] < row.min or (row.max is not None and counts[r] > row.max)
    ]


def repair(data: ProblemData, plan: Plan, seed: int, time_limit: float = REPAIR_SECONDS) -> Plan:
    """``plan`` with every cover row within its limits (unchanged when it already is).

    Parameters
    ----------
    data
        The problem.
    plan
        The constructed roster.
    seed
        CP-SAT's random seed.
    time_limit
        Seconds both attempts may take together.

    Returns
    -------
    Plan
        A roster meeting every hard cover row; shifts of re-chosen weeks carry default breaks
        and their agents' first skill (the caller re-places breaks and queues).

    Raises
    ------
    InfeasibleError
        Naming the rows no roster meets (proved by CP-SAT with every agent free).
    RosterNotFoundError
        Naming the rows no roster found in ``time_limit`` meets (not proven impossible).
    """
    broken = broken_rows(data, plan)
    if not broken:
        return plan
    touched = {data.candidates[c].agent for r in broken for c in data.cover[r].candidates}
    attempts = [sorted(touched)]
    if len(touched) < len(data.agents):
        attempts.append(list(range(len(data.agents))))
    proven = False
    deadline = time.monotonic() + time_limit
    for agents in attempts:
        remaining = deadline - time.monotonic()
        if remaining < 0.05:
            break
        found, infeasible = _solve(data, plan, agents, seed, remaining)
        if found is not None:
            return found
        # Only a model freeing everybody proves that no roster meets the rows.
        proven = infeasible and len(agents) == len(data.agents)
    counts = shift_cover.counts(data, plan.choice)
    short = [(data.cover[r], int(counts[r])) for r in broken]
    reasons = diagnose.explain_cover(data, short, proven=proven)
    if not proven:
        raise RosterNotFoundError(reasons)
    raise InfeasibleError(reasons)


def _solve(
    data: ProblemData, plan: Plan, agents: list[int], seed: int, time_limit: float
) -> tuple[Plan | None, bool]:
    """The weeks of ``agents`` re-chosen with every cover row hard (or None), and whether the
    model was proven infeasible."""
    started = time.monotonic()
    free = {a: frozenset(range(data.days)) for a in agents}
    # Each freed shift is valued against the coverage of the agents left in place.
    base = plan.copy()
    for a in agents:
        base.queue[a] = -1
    n = base.coverage()
    scores: dict[int, int] = {}
    for a in agents:
        scores.update(shift_scores(data, a, n))
    rm = cpsat_model.build(data, plan, free, mode="shifts", scores=scores)
    cpsat_model.hint(rm)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    remaining = max(0.1, time_limit - (time.monotonic() - started))
    solver.parameters.max_time_in_seconds = remaining
    # A deterministic budget keeps equal seeds giving equal rosters whatever the machine load.
    solver.parameters.max_deterministic_time = remaining / 2
    status = solver.solve(rm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    repaired = cpsat_model.read_back(rm, solver)
    if broken_rows(data, repaired):
        # Only rows no freed agent can touch stay broken; freeing everybody deals with them.
        return None, False
    return repaired, False
