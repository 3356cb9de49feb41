"""Say which hard rules clash for whom, never a bare INFEASIBLE.

Two stages:

1. :func:`prechecks` -- arithmetic on the candidate set before any search: agents with no
   possible shift although their contract needs minutes or days, contracts whose minimum paid
   minutes (per week or per horizon) exceed what the agent's available days can hold, shift
   cover rows needing more shifts than there are agents able to work one that day (alone, or
   together with the day's other rows: an agent works one shift a day) or allowing fewer than
   the pinned shifts that count, queues with demand but nobody skilled (a warning: coverage is
   soft).
2. :func:`explain_agent` -- for an agent whose week the constructive model finds infeasible, the
   same model with each rule family behind an assumption literal; CP-SAT's sufficient assumptions
   name the clashing families, reported with the contract's numbers.
3. :func:`explain_cover` -- for cover rows still short after the construction's repair, each
   row with the shifts it got against its minimum and the agents who could work it.

What CP-SAT proved impossible ends the solve with :class:`scheduler.errors.InfeasibleError`
(exit code 3, ``FAILED_PRECONDITION``); what it only did not find in the time given ends it with
:class:`scheduler.errors.RosterNotFoundError` (exit code 4, ``DEADLINE_EXCEEDED``): the planner's
rules are not at fault there, and more time may find a roster.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model import Contract
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints.contracts import horizon_limits, week_limits
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import CoverRow, ProblemData

GUARDED = ("contracts", "sequences", "rest", "breaks", "pinned")


def prechecks(data: ProblemData) -> tuple[list[str], list[str]]:
    """(clashes, warnings) found without search."""
    clashes: list[str] = []
    warnings: list[str] = []
    for spec in data.agents:
        contract = spec.contract
        days_with = [d for d in range(data.days) if spec.candidates[d]]
        horizon_reach = 0  # most paid minutes the weeks together can hold
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
            horizon_reach += min(reachable, limits.max_minutes)
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
        low = horizon_limits(contract).min_minutes
        if low is not None and horizon_reach < low:
            clashes.append(
                f"agent {spec.id}: contract {contract.id!r} min_minutes_per_horizon {low} but at "
                f"most {horizon_reach} paid min fit its available days over the {data.days}-day "
                f"horizon (max_days {contract.max_days}, max_minutes_per_week "
                f"{contract.max_minutes_per_week}, availability and time off)"
            )
    clashes.extend(cover_prechecks(data))
    for q, queue in enumerate(data.queues):
        if int(data.need[q].sum()) and not any(q in a.skills for a in data.agents):
            warnings.append(f"queue {queue}: demand but no agent has the skill")
    return clashes, warnings


def cover_able(data: ProblemData, row: CoverRow) -> set[int]:
    """Agents with a candidate shift that counts for ``row`` (contract templates, availability,
    time off and opening hours allowing)."""
    return {data.candidates[c].agent for c in row.candidates}


def cover_prechecks(data: ProblemData) -> list[str]:
    """Cover rows no roster can meet, by counting agents (see the module docstring)."""
    clashes: list[str] = []
    by_day: dict[int, list[CoverRow]] = defaultdict(list)
    for row in data.cover:
        by_day[row.day].append(row)
        able = cover_able(data, row)
        where = row.describe(data.date(row.day))
        if len(able) < row.min:
            clashes.append(
                f"shift cover {where}: needs at least {row.min} shift(s) but only {len(able)} "
                "agent(s) could work one that day (contract templates, availability, time off)"
            )
        pinned = sum(
            1
            for spec in data.agents
            if row.day in spec.pinned_days
            and all(c in row.candidates for c in spec.candidates[row.day])
        )
        if row.max is not None and pinned > row.max:
            clashes.append(
                f"shift cover {where}: allows at most {row.max} shift(s) but {pinned} pinned "
                "shift(s) count for it"
            )
    for day, rows in sorted(by_day.items()):
        # Rows sharing no shift need distinct agents: a matching must place all their minima.
        needy = [r for r in rows if r.min > 0]
        if len(needy) < 2 or any(
            a.candidates & b.candidates for i, a in enumerate(needy) for b in needy[i + 1 :]
        ):
            continue
        placed = _matched(data, needy)
        wanted = sum(r.min for r in needy)
        if placed < wanted and all(len(cover_able(data, r)) >= r.min for r in needy):
            labels = ", ".join(f"{r.label} min {r.min}" for r in needy)
            clashes.append(
                f"shift cover on {data.date(day):%a} {data.date(day).isoformat()}: rows "
                f"({labels}) need {wanted} shifts together but the agents able to work them "
                f"can fill at most {placed} (one shift per agent a day)"
            )
    return clashes


def _matched(data: ProblemData, rows: list[CoverRow]) -> int:
    """Most row minima that distinct agents can fill (bipartite matching, augmenting paths)."""
    slots = [(i, k) for i, row in enumerate(rows) for k in range(row.min)]
    able = [cover_able(data, row) for row in rows]
    owner: dict[int, int] = {}  # agent -> slot

    def augment(slot: int, seen: set[int]) -> bool:
        for a in sorted(able[slots[slot][0]]):
            if a in seen:
                continue
            seen.add(a)
            if a not in owner or augment(owner[a], seen):
                owner[a] = slot
                return True
        return False

    return sum(augment(s, set()) for s in range(len(slots)))


def explain_cover(
    data: ProblemData, counts: list[tuple[CoverRow, int]], proven: bool = True
) -> list[str]:
    """Cover rows the search could not bring within their limits, in words.

    Parameters
    ----------
    data
        The problem.
    counts
        Each short (or overfull) row with the shifts the constructed roster gives it.
    proven
        Whether CP-SAT proved no roster meets them (else it ran out of time).
    """
    if not proven:
        rows = "; ".join(
            f"{row.describe(data.date(row.day))} has {got} (min {row.min}"
            + ("" if row.max is None else f", max {row.max}")
            + ")"
            for row, got in counts
        )
        return [
            f"shift cover: no roster meeting every cover row was found in the time given "
            f"(not proven impossible): {rows}"
        ]
    out = []
    for row, got in counts:
        where = row.describe(data.date(row.day))
        able = len(cover_able(data, row))
        if got < row.min:
            out.append(
                f"shift cover {where}: {got} of at least {row.min} shift(s) found; {able} "
                "agent(s) could work one that day but their contracts, rest, sequences and the "
                "other cover rows leave no roster with more"
            )
        else:
            out.append(
                f"shift cover {where}: {got} shift(s) but at most {row.max} allowed; the "
                "agents' contract minima and pinned shifts leave no roster with fewer"
            )
    return out


@dataclass(frozen=True)
class AgentDiagnosis:
    """Why agent ``a``'s week was not built: ``text`` in words, and whether CP-SAT ``proven``
    that no week of that agent satisfies its rules (else it only ran out of time)."""

    text: str
    proven: bool


CORE_SECONDS = 5.0
"""CP-SAT's limit for one feasibility check of the diagnosis."""


def explain_agent(
    data: ProblemData, a: int, seed: int = 0, time_limit: float | None = None
) -> AgentDiagnosis:
    """Which rule families make agent ``a``'s week infeasible, in words, and whether proven.

    ``time_limit`` caps the whole diagnosis of this agent (its checks share it; each also stops
    at :data:`CORE_SECONDS`); without a proof in that time the week is reported as not found.
    """
    spec = data.agents[a]
    contract = spec.contract
    core: list[str] = []
    if time_limit is None or time_limit > 0.05:
        plan = Plan.empty(data)
        rm = cpsat_model.build(
            data,
            plan,
            {a: frozenset(range(data.days))},
            mode="shifts",
            guarded=GUARDED,
            partial=True,
        )
        core = _minimal_core(rm, seed, time_limit)
    details = {
        "contracts": (
            f"min {contract.min_minutes_per_week}/max {contract.max_minutes_per_week} "
            f"paid min, {contract.min_days}-{contract.max_days} days a week"
            + _horizon_detail(contract)
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
        # CP-SAT did not prove the week impossible (it found one, or ran out of time): the
        # construction's budget was too small, which is not the planner's rules to fix.
        return AgentDiagnosis(
            f"agent {spec.id}: no week satisfying contract {contract.id!r} with its "
            f"availability and time off was found in the time given (not proven impossible; "
            f"{details['contracts']})",
            proven=False,
        )
    parts = "; ".join(f"{f} ({details[f]})" for f in core)
    return AgentDiagnosis(
        f"agent {spec.id}: contract {contract.id!r} rules clash with its availability and "
        f"time off: {parts}",
        proven=True,
    )


def _horizon_detail(contract: Contract) -> str:
    """``; per horizon min 3360/max 4320 paid min, at most 5 N`` (empty without limits)."""
    limits = horizon_limits(contract)
    if not limits.any:
        return ""
    parts = []
    if limits.min_minutes is not None or limits.max_minutes is not None:
        low = limits.min_minutes or 0
        high = "-" if limits.max_minutes is None else limits.max_minutes
        parts.append(f"min {low}/max {high} paid min")
    parts.extend(f"at most {most} {kind}" for kind, most in limits.max_by_kind)
    return "; per horizon " + ", ".join(parts)


def _minimal_core(
    rm: cpsat_model.RosterModel, seed: int, time_limit: float | None = None
) -> list[str]:
    """Families whose rules together are infeasible, none of them removable (deletion filter).

    CP-SAT's sufficient assumptions need not be minimal; dropping each family in turn and keeping
    it only if the rest become feasible gives a core a planner can act on. Within ``time_limit``
    seconds overall: a check that cannot start in time keeps its family (the core stays a
    proven one, perhaps not minimal), and no proof of the whole set gives an empty core.
    """
    deadline = None if time_limit is None else time.monotonic() + time_limit

    def infeasible(families: list[str]) -> bool:
        left = CORE_SECONDS if deadline is None else min(CORE_SECONDS, deadline - time.monotonic())
        if left <= 0.05:
            return False
        rm.model.clear_assumptions()
        rm.model.add_assumptions([rm.guards[f] for f in families])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = left
        return solver.solve(rm.model) == cp_model.INFEASIBLE

    core = list(GUARDED)
    if not infeasible(core):
        return []
    for family in list(core):
        trial = [f for f in core if f != family]
        if infeasible(trial):
            core = trial
    return core
