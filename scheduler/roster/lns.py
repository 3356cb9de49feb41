"""Large-neighbourhood search: CP-SAT on a few agents x two days, the rest fixed.

Each step frees a neighbourhood -- two consecutive days and a handful of agents who share skills
with a randomly drawn one -- builds the full model over it (shifts, breaks, group queue flows,
concave service units, deferred backlog, every rule of the freed agents' weeks), hints it with
the incumbent and keeps the answer if the whole roster's objective (computed directly by
:mod:`scheduler.roster.evaluate`) does not get worse. Neighbourhood size adapts: it grows while
sub-models solve to optimality well inside their budget and shrinks when they time out.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.roster.allocate import allocate
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.evaluate import Evaluation, evaluate
from scheduler.roster.plan import Plan


@dataclass
class LnsStats:
    """What the search did."""

    iterations: int = 0
    improvements: int = 0
    agents_per_neighbourhood: int = 0


def neighbourhood(
    plan: Plan, rng: random.Random, size: int, days_free: int = 2
) -> dict[int, frozenset[int]]:
    """Agents sharing skills with a random agent, over ``days_free`` consecutive days."""
    data = plan.data
    n_agents = len(data.agents)
    span = min(days_free, data.days)
    first = rng.randrange(0, data.days - span + 1)
    days = frozenset(range(first, first + span))
    seed_agent = rng.randrange(n_agents)
    skills = set(data.agents[seed_agent].skills)
    related = [
        a for a in range(n_agents) if a != seed_agent and skills & set(data.agents[a].skills)
    ]
    others = [a for a in range(n_agents) if a != seed_agent and a not in related]
    rng.shuffle(related)
    rng.shuffle(others)
    chosen = [seed_agent, *related, *others][: max(1, size)]
    return {a: days for a in sorted(chosen)}


def freed_intervals(plan: Plan, free: dict[int, frozenset[int]]) -> list[int]:
    """Intervals any candidate shift of a freed agent-day may cover."""
    data = plan.data
    out: set[int] = set()
    for a, days in free.items():
        for d in days:
            for c in data.agents[a].candidates[d]:
                cand = data.candidates[c]
                out.update(range(cand.first, cand.last))
    return sorted(out)


def search(
    plan: Plan,
    *,
    deadline: float,
    seed: int,
    workers: int,
    max_iterations: int | None = None,
    on_improve: Callable[[Evaluation], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    start_size: int = 4,
) -> tuple[Plan, Evaluation, LnsStats]:
    """Improve ``plan`` until ``deadline`` (``time.monotonic()``) or ``max_iterations``."""
    data = plan.data
    rng = random.Random(seed)
    best, best_eval = plan, evaluate(plan)
    stats = LnsStats()
    size = min(start_size, len(data.agents))
    while time.monotonic() < deadline - 0.05:
        if max_iterations is not None and stats.iterations >= max_iterations:
            break
        if should_stop is not None and should_stop():
            break
        stats.iterations += 1
        free = neighbourhood(best, rng, size)
        rm = cpsat_model.build(data, best, free, mode="full")
        cpsat_model.hint(rm)
        budget = min(1.0, max(0.05, deadline - time.monotonic() - 0.05))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed + stats.iterations
        solver.parameters.max_time_in_seconds = budget
        if workers == 1:
            # With one worker a deterministic budget makes equal seeds give equal rosters.
            solver.parameters.max_deterministic_time = budget / 2
        status = solver.solve(rm.model)
        if status == cp_model.OPTIMAL and solver.wall_time < budget / 3:
            size = min(len(data.agents), size + 1)
        elif status != cp_model.OPTIMAL:
            size = max(3, size - 1)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        # The sub-model sees queues per skill group: who of a group takes which queue (switches,
        # proficiency) is chosen exactly by the allocation over the freed intervals.
        candidate = allocate(cpsat_model.read_back(rm, solver), freed_intervals(best, free))
        cand_eval = evaluate(candidate)
        if cand_eval.total <= best_eval.total:
            if cand_eval.total < best_eval.total:
                stats.improvements += 1
                if on_improve is not None:
                    on_improve(cand_eval)
            best, best_eval = candidate, cand_eval
    stats.agents_per_neighbourhood = size
    return best, best_eval, stats
