"""Say which hard rules clash for whom, never a bare INFEASIBLE.

Two stages:

1. :func:`prechecks` -- arithmetic on the candidate set before any search: agents with no
   possible shift although their contract needs minutes or days, contracts whose minimum paid
   minutes exceed what the agent's available days can hold, queues with demand but nobody skilled
   (a warning: coverage is soft).
2. :func:`explain_agent` -- for an agent whose week the constructive model finds infeasible, the
   same model with each rule family behind an assumption literal; CP-SAT's sufficient assumptions
   name the clashing families, reported with the contract's numbers.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints.contracts import week_limits
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import ProblemData

GUARDED = ("contracts", "sequences", "rest", "breaks", "pinned")


def prechecks(data: ProblemData) -> tuple[list[str], list[str]]:
    """(clashes, warnings) found without search."""
    clashes: list[str] = []
    warnings: list[str] = []
    for spec in data.agents:
        contract = spec.contract
        days_with = [d for d in range(data.days) if spec.candidates[d]]
        for w in sorted(set(data.week_of_day)):
            days = [d for d in range(data.days) if data.week_of_day[d] == w]
            limits = week_limits(data.scenario, contract, len(days))
            min_minutes, min_days, max_days = limits.min_minutes, limits.min_days, limits.max_days
            open_days = [d for d in days if d in days_with]
            best = sorted(
                (
                    max(data.candidates[c].paid_minutes for c in spec.candidates[d])
                    for d in open_days
                ),
                reverse=True,
            )
            reachable = sum(best[:max_days])
            if len(open_days) < min_days:
                clashes.append(
                    f"agent {spec.id}: contract {contract.id!r} needs {min_days} working days in "
                    f"week {w + 1} but availability, time off and templates leave "
                    f"{len(open_days)} day(s) with a possible shift"
                )
            if reachable < min_minutes:
                clashes.append(
                    f"agent {spec.id}: contract {contract.id!r} needs {min_minutes} paid min in "
                    f"week {w + 1} but at most {reachable} min fit its available days "
                    f"(max_days {contract.max_days})"
                )
    for q, queue in enumerate(data.queues):
        if int(data.need[q].sum()) and not any(q in a.skills for a in data.agents):
            warnings.append(f"queue {queue}: demand but no agent has the skill")
    return clashes, warnings


def explain_agent(data: ProblemData, a: int, seed: int = 0) -> str:
    """Which rule families make agent ``a``'s week infeasible, in words."""
    spec = data.agents[a]
    contract = spec.contract
    plan = Plan.empty(data)
    rm = cpsat_model.build(
        data, plan, {a: frozenset(range(data.days))}, mode="shifts", guarded=GUARDED
    )
    core = _minimal_core(rm, seed)
    details = {
        "contracts": (
            f"min {contract.min_minutes_per_week}/max {contract.max_minutes_per_week} "
            f"paid min, {contract.min_days}-{contract.max_days} days"
        ),
        "sequences": (
            f"max {contract.max_consecutive_days} consecutive days, min "
            f"{contract.min_consecutive_days_off} days off in a row"
            + ("" if contract.max_weekends is None else f", max {contract.max_weekends} weekends")
        ),
        "rest": f"min rest {contract.min_rest_minutes / 60:g} h, forbidden successions",
        "breaks": "break windows",
    }
    if not core:
        return (
            f"agent {spec.id}: no week satisfies contract {contract.id!r} with its "
            f"availability and time off ({details['contracts']})"
        )
    parts = "; ".join(f"{f} ({details[f]})" for f in core)
    return (
        f"agent {spec.id}: contract {contract.id!r} rules clash with its availability and "
        f"time off: {parts}"
    )


def _minimal_core(rm: cpsat_model.RosterModel, seed: int) -> list[str]:
    """Families whose rules together are infeasible, none of them removable (deletion filter).

    CP-SAT's sufficient assumptions need not be minimal; dropping each family in turn and keeping
    it only if the rest become feasible gives a core a planner can act on.
    """

    def infeasible(families: list[str]) -> bool:
        rm.model.clear_assumptions()
        rm.model.add_assumptions([rm.guards[f] for f in families])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = 5.0
        return solver.solve(rm.model) == cp_model.INFEASIBLE

    core = list(GUARDED)
    if not infeasible(core):
        return []
    for family in list(core):
        trial = [f for f in core if f != family]
        if infeasible(trial):
            core = trial
    return core
