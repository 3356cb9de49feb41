"""Constructive start: one agent at a time, each given a good feasible week.

Every hard rule but shift cover is local to one agent (coverage is soft), so apart from cover a
roster is feasible exactly when each agent's week is. Shift cover minima are met by reserving
agent-days first (:mod:`scheduler.roster.cover_fill`): a reserved day is worked with a shift that
counts for its row, and no shift may push a row past its maximum; targets add their marginal value
to the shift's. The heuristic walks the agents (fewest skills first, so that flexible agents fill
what is left) and values each candidate shift by the marginal gain its working intervals add to the
coverage built so far (``max_q gain(q, t, n[q, t])``, breaks at the middle of their windows).
With a goal-attainment weight, a queue-day still short of its service-level goal adds the term's
value of the extra contacts (:func:`scheduler.roster.cpsat.constraints.goal_attainment.bonus`,
re-read from the coverage before each agent and each day: a Lagrangian reweighting whose
multipliers follow the roster as it fills).

For the first roster, speed matters more than each week's optimality: :func:`greedy_week` adds
the agent's best-valued days one at a time, each with its best shift that keeps the upper
limits of its week and of the horizon, rest and sequences (checked by
:mod:`scheduler.roster.validate`), and keeps the week only if it then satisfies every rule. Where
it does not, :func:`best_week` solves a small CP-SAT model
of the week with every contract, sequence, rest, fairness and preference rule. An agent whose week
cannot satisfy its rules is reported, not skipped. The improvement rounds
(:func:`improve_agents`) always use the exact CP-SAT week.

Long horizons (more than :data:`LONG_HORIZON_DAYS` days: the Curtois instances of 182 and 364
days) take another path, because there the greedy's whole-horizon checks cost seconds an agent:
the exact model restricted to the agent's most valuable template alone
(:func:`_one_template_week`), then the full model solved by CP-SAT's local search with a light
presolve. Weeks not found in the short budgets get the full budget after every agent has had
its turn, while the time limit lasts.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.break_placement import least_cost_breaks, placement_table
from scheduler.roster.cover_fill import CoverTally, reserve
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints import goal_attainment
from scheduler.roster.cpsat.constraints.contracts import WeekLimits, horizon_limits, week_limits
from scheduler.roster.plan import NO_SHIFT, OFF, Plan
from scheduler.roster.problem_data import Candidate, ProblemData


def marginal(
    data: ProblemData,
    n: np.ndarray,
    skills: tuple[int, ...],
    profs: tuple[float, ...] | None = None,
) -> np.ndarray:
    """``M[t] = max_{q in skills} gain(q, t, n[q, t]) + adj(q, t)``: the best use of one more agent.

    ``adj`` is the proficiency adjustment (:mod:`.cpsat.constraints.proficiency`) of ``profs``
    (aligned with ``skills``; none when omitted) plus the goal-attainment bonus of queue-days
    short of goal (none at weight 0).
    """
    if not skills:
        # An agent without skills (a queue-less scenario) adds no queue value anywhere; the
        # floor below would otherwise sum to an int64 overflow over a shift's intervals.
        return np.zeros(data.n_intervals, dtype=np.int64)
    goal_bonus = goal_attainment.bonus(data, n)
    levels = data.levels
    best = np.full(data.n_intervals, np.iinfo(np.int64).min // 4, dtype=np.int64)
    t_idx = np.arange(data.n_intervals)
    for i, q in enumerate(skills):
        k = n[q]
        inside = k < levels
        g = np.where(inside, data.gains[q, t_idx, np.minimum(k, levels - 1)], data.tail_gain[q])
        if profs is not None and profs[i] != 1.0:
            g = g + np.rint((profs[i] - 1.0) * data.prof_ref[q]).astype(np.int64)
        if goal_bonus is not None:
            g = g + goal_bonus[q]
        best = np.maximum(best, g)
    return best


def shift_scores(data: ProblemData, a: int, n: np.ndarray) -> dict[int, int]:
    """Scaled value of each candidate of agent ``a`` against head counts ``n``.

    Each candidate is valued with its breaks where they cost least
    (:func:`scheduler.roster.break_placement.least_cost_breaks`), the placement
    :func:`add_agent_week` gives the chosen shifts.
    """
    prefix = _prefix(data, a, n)
    tables: dict[int, tuple[np.ndarray, np.ndarray] | None] = {}
    scores: dict[int, int] = {}
    for day_cands in data.agents[a].candidates:
        for c in day_cands:
            cand = data.candidates[c]
            if cand.template not in tables:
                tables[cand.template] = placement_table(data, cand.template, prefix)
            table = tables[cand.template]
            value = int(prefix[cand.last] - prefix[cand.first])
            if table is not None and (table[0][cand.first] >= 0).all():
                value -= int(table[1][cand.first])
            else:
                value -= _break_loss(data, cand, prefix)
            scores[c] = value
    return scores


def _break_loss(data: ProblemData, cand: Candidate, prefix: np.ndarray) -> int:
    """Loss of the breaks :func:`add_agent_week` gives ``cand`` (windows that may overlap)."""
    placed = least_cost_breaks(data, cand.template, cand.first, prefix)
    if placed is not None:
        return placed[1]
    breaks = cpsat_model.default_breaks(data, cand.template, cand.first)
    specs = data.templates[cand.template].breaks
    return sum(
        int(prefix[s + spec.span] - prefix[s]) for s, spec in zip(breaks, specs, strict=False)
    )


def _prefix(data: ProblemData, a: int, n: np.ndarray) -> np.ndarray:
    """Prefix sums of agent ``a``'s marginal value per interval against ``n``."""
    m = marginal(data, n, data.agents[a].skills, data.agents[a].proficiency)
    return np.concatenate([[0], np.cumsum(m)])


def add_agent_week(plan: Plan, n: np.ndarray, a: int, choice: dict[int, int]) -> None:
    """Put agent ``a``'s chosen shifts into ``plan`` and ``n`` (greedy queue per interval)."""
    data = plan.data
    # Breaks where they cost least against everybody else (as valued by shift_scores); the
    # agent's own shifts never overlap, so one prefix serves every day.
    prefix = _prefix(data, a, n)
    for d in range(data.days):
        c = choice.get(d, NO_SHIFT)
        if c == NO_SHIFT:
            continue
        cand = data.candidates[c]
        placed = least_cost_breaks(data, cand.template, cand.first, prefix)
        breaks = (
            cpsat_model.default_breaks(data, cand.template, cand.first)
            if placed is None
            else placed[0]
        )
        plan.set_shift(a, d, c, breaks)
        if not data.agents[a].skills:
            continue  # works shift cover only: no queue to put the intervals on
        goal_bonus = goal_attainment.bonus(data, n)
        for t in plan.working(a, d):
            best_q, best_g = data.agents[a].skills[0], None
            for q in data.agents[a].skills:
                g = data.gain(q, t, int(n[q, t]))
                if goal_bonus is not None:
                    g += int(goal_bonus[q, t])
                if best_g is None or g > best_g:
                    best_q, best_g = q, g
            plan.queue[a, t] = best_q
            n[best_q, t] += 1


def remove_agent_week(plan: Plan, n: np.ndarray, a: int) -> None:
    """Take agent ``a`` out of ``plan`` and ``n``."""
    for t in np.flatnonzero(plan.queue[a] >= 0):
        n[int(plan.queue[a, t]), t] -= 1
    plan.queue[a] = OFF
    for d in range(plan.data.days):
        plan.set_shift(a, d, NO_SHIFT, ())


LONG_HORIZON_DAYS = cpsat_model.LONG_HORIZON_DAYS
"""Above this many days (a quarter) the construction skips the greedy and starts from one-template
weeks, and an agent's exact model is solved by local search from the start. Measured on the
Curtois instances: up to 84 days the greedy and CP-SAT's default search give the better weeks
(with the long-horizon path from 29 days, 15-19 ended 6-48 % worse at 60 s); at 182 and 364
days only the long-horizon path places every employee within 60 s."""


def _local_search(solver: cp_model.CpSolver, time_limit: float) -> None:
    """Switch ``solver`` to feasibility-jump local search with a light presolve.

    On an agent's model over a long horizon (a tight band of paid minutes, minimum and maximum
    runs of days on and off) CP-SAT's single-worker tree search often finds no schedule in
    seconds while its local search finds one in milliseconds; and the full presolve (repeated
    overlap detection, probing, symmetry) then takes 0.7 s of a 364-day model, four times the
    search. Measured on Curtois Instance24 (364 days): 1.0 s without a schedule by default,
    0.2 s to one this way. Local search spends deterministic time about as fast as wall
    time, so its deterministic budget is the whole ``time_limit`` (a quarter of it cut the
    search of some Instance24 employees off just before their first schedule).
    """
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.use_ls_only = True
    solver.parameters.find_big_linear_overlap = False
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0


def best_week(
    data: ProblemData,
    plan: Plan,
    a: int,
    n: np.ndarray,
    seed: int,
    time_limit: float = 2.0,
    reserved: Mapping[int, int] | None = None,
    partial: bool = False,
    only: frozenset[int] | None = None,
) -> dict[int, int] | None:
    """Agent ``a``'s best feasible week against ``n`` (None if its rules cannot all hold).

    ``reserved`` (day -> cover row) days must be worked with a shift counting for the row;
    ``partial`` says ``plan`` is still being built (see :func:`scheduler.roster.cpsat.model.build`);
    ``only`` restricts the week to those candidates (None: all the agent's).
    """
    scores = shift_scores(data, a, n)
    free = {a: frozenset(range(data.days))}
    rm = cpsat_model.build(
        data, plan, free, mode="shifts", scores=scores, partial=partial, only=only
    )
    for d, r in (reserved or {}).items():
        counting = [
            rm.vars.x[c] for c in rm.vars.day_candidates(a, d) if c in data.cover[r].candidates
        ]
        rm.model.add(cp_model.LinearExpr.sum(counting) == 1)
    cpsat_model.hint(rm)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    # A deterministic budget keeps equal seeds giving equal rosters whatever the machine load.
    solver.parameters.max_deterministic_time = max(0.05, time_limit / 4)
    if data.days > LONG_HORIZON_DAYS:
        _local_search(solver, time_limit)
    status = solver.solve(rm.model)
    if status == cp_model.UNKNOWN:
        # No week within the budget while optimising: on long horizons CP-SAT's
        # objective-driven search can miss the first feasible schedule that a pure feasibility
        # search finds at once. A feasible week now beats a better week never; the
        # improvement rounds and the search re-choose it later.
        rm.model.clear_objective()
        rm.model.clear_hints()  # the agent's empty week: a hint far from any feasible one
        _local_search(solver, time_limit)
        solver.parameters.stop_after_first_solution = True
        status = solver.solve(rm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    choice = {}
    for d in range(data.days):
        for c in rm.vars.day_candidates(a, d):
            if solver.value(rm.vars.x[c]):
                choice[d] = c
    return choice


def _week_problems(data: ProblemData, a: int, choice: dict[int, int]) -> list[str]:
    """Messages of the rules agent ``a``'s week ``choice`` (day -> candidate) breaks."""
    from scheduler.roster.result import Shift
    from scheduler.roster.validate import _check_week

    spec = data.agents[a]
    shifts = {}
    for d, c in choice.items():
        cand = data.candidates[c]
        shifts[d] = Shift(
            agent=spec.id,
            day=d,
            template=data.templates[cand.template].id,
            start=cand.start,
            end=cand.end,
            paid_minutes=cand.paid_minutes,
        )
    return [v.message for v in _check_week(data, a, shifts)]


def _below_minimum(message: str) -> bool:
    # Minima can still be met by adding days; everything else only gets worse.
    return " < min " in message or "< min_days" in message or "consecutive day(s) worked" in message


def greedy_week(
    data: ProblemData,
    a: int,
    n: np.ndarray,
    tally: CoverTally | None = None,
    chronological: bool = False,
) -> dict[int, int] | None:
    """A feasible week for agent ``a`` built day by day, or None where greed fails.

    ``chronological`` takes the days in calendar order instead of by value: runs of working
    days then pack as densely as the sequence rules allow, which reaches a large minimum of paid
    minutes (over a long horizon) where days taken by value leave gaps too short to work or to
    rest in.

    Days are taken in decreasing value of their best shift; a day is added while its value is
    positive or the contract's minima are not yet met, with the best shift that keeps every
    other rule. The week is returned only if it satisfies every rule at the end. With a cover
    ``tally``, the agent's reserved days come first (each with its best shift that counts for
    its row), no shift may take a row past its maximum, and targets add to a shift's value.
    """
    spec = data.agents[a]
    # Coverage value net of the shift's own costs, plus the day-off costs it saves (stability,
    # "on" requests).
    scores = {
        c: value
        - data.candidates[c].cost
        + spec.off_cost[data.candidates[c].day]
        + spec.off_preference_cost[data.candidates[c].day]
        for c, value in shift_scores(data, a, n).items()
    }
    reserved: dict[int, int] = {}
    if tally is not None:
        reserved = dict(tally.reserved.get(a, {}))
        scores = {c: v + tally.bonus(a, c) for c, v in scores.items() if tally.allows(a, c)}
    ranked = {
        d: sorted((c for c in spec.candidates[d] if c in scores), key=lambda c: (-scores[c], c))
        for d in range(data.days)
    }
    for d, r in reserved.items():
        ranked[d] = [c for c in ranked[d] if c in data.cover[r].candidates]
    ranked = {d: cands for d, cands in ranked.items() if cands}
    if any(d not in ranked for d in reserved):
        return None
    order = sorted(ranked, key=lambda d: (0 if chronological else -scores.get(ranked[d][0], 0), d))
    limits = {
        w: week_limits(data.scenario, spec.contract, data.week_of_day.count(w))
        for w in set(data.week_of_day)
    }
    # Pinned days first: they are not the greedy's to choose.
    choice: dict[int, int] = {d: ranked[d][0] for d in sorted(spec.pinned_days) if d in ranked}
    # Then reserved days, which must be worked with a shift of their row.
    for d in sorted(reserved):
        if d in choice:
            continue
        fitting = [
            c
            for c in ranked[d]
            if _fits(data, a, choice, data.candidates[c], limits)
            and all(_below_minimum(p) for p in _week_problems(data, a, {**choice, d: c}))
        ]
        if not fitting:
            return None
        choice[d] = fitting[0]
    short = bool(_week_problems(data, a, choice))
    for d in order:
        if d in choice:
            continue
        if not short and scores.get(ranked[d][0], 0) <= 0:
            break
        for c in ranked[d]:
            if not short and scores.get(c, 0) <= 0:
                break
            if not _fits(data, a, choice, data.candidates[c], limits):
                continue
            trial = {**choice, d: c}
            problems = _week_problems(data, a, trial)
            if all(_below_minimum(p) for p in problems):
                choice = trial
                short = bool(problems)
                break
    if _week_problems(data, a, choice):
        return None
    return choice


def _fits(
    data: ProblemData,
    a: int,
    choice: dict[int, int],
    cand: Candidate,
    limits: dict[int, WeekLimits],
) -> bool:
    """Quick necessary test that adding ``cand`` keeps the upper limits (of its week and of the
    horizon) and rest.

    It screens out most trials before the full check of :func:`_week_problems`.
    """
    spec = data.agents[a]
    d = cand.day
    week = data.week_of_day[d]
    same_week = [data.candidates[c] for e, c in choice.items() if data.week_of_day[e] == week]
    limit = limits[week]
    if len(same_week) + 1 > limit.max_days:
        return False
    if sum(c.paid_minutes for c in same_week) + cand.paid_minutes > limit.max_minutes:
        return False
    if not _fits_horizon(data, a, choice, cand):
        return False
    rest = spec.contract.min_rest_minutes
    tail = {t.day: (t.start, t.end) for t in spec.tail}
    for e in (d - 2, d - 1):
        before = choice.get(e)
        span = (
            tail.get(e)
            if before is None
            else (data.candidates[before].start, data.candidates[before].end)
        )
        if span is not None and cand.start < span[1] + rest:
            return False
    for e in (d + 1, d + 2):
        after = choice.get(e)
        if after is not None and data.candidates[after].start < cand.end + rest:
            return False
    return True


def _fits_horizon(data: ProblemData, a: int, choice: dict[int, int], cand: Candidate) -> bool:
    """Whether adding ``cand`` keeps the contract's horizon maxima (minutes, shifts per kind)."""
    limits = horizon_limits(data.agents[a].contract)
    if not limits.any:
        return True
    chosen = [data.candidates[c] for c in choice.values()]
    total = sum(c.paid_minutes for c in chosen) + cand.paid_minutes
    if limits.max_minutes is not None and total > limits.max_minutes:
        return False
    kind = data.templates[cand.template].kind
    for limited, most in limits.max_by_kind:
        if limited == kind:
            same = sum(data.templates[c.template].kind == kind for c in chosen)
            if same + 1 > most:
                return False
    return True


WEEK_SECONDS_PER_FOUR_WEEKS = 2.0
"""Budget of an agent's exact week model per four weeks of horizon (a long horizon is a larger
model), when the solve's time limit leaves room for it."""

MIN_WEEK_SECONDS = 0.25
"""The least budget an agent's exact week model gets, however short the time limit."""

SECOND_BUDGET_FACTOR = 4.0
"""An agent whose week was not found in the first budget gets this many times it at once; the
full budget waits until every agent has had its turn."""

CONSTRUCT_SHARE = 0.5
"""Share of the time limit the exact week models may take together, at first."""


def week_budgets(data: ProblemData, time_limit: float | None) -> tuple[float, float]:
    """(first, full) seconds for one agent's exact week model.

    ``full`` grows with the horizon (:data:`WEEK_SECONDS_PER_FOUR_WEEKS`); ``first`` is that,
    cut so that every agent needing the exact model fits in :data:`CONSTRUCT_SHARE` of
    ``time_limit`` (at least :data:`MIN_WEEK_SECONDS`). Both depend on the inputs only, not on
    the clock, so that equal seeds keep giving equal rosters.
    """
    full = WEEK_SECONDS_PER_FOUR_WEEKS * max(1.0, data.days / 28)
    if time_limit is None or not data.agents:
        return full, full
    share = CONSTRUCT_SHARE * time_limit / len(data.agents)
    return min(full, max(MIN_WEEK_SECONDS, share)), full


def construct(
    data: ProblemData,
    seed: int = 0,
    on_agent: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    time_limit: float | None = None,
) -> tuple[Plan, list[int]]:
    """Build a feasible plan agent by agent.

    Parameters
    ----------
    data
        The problem.
    seed
        Random seed (agent order ties, CP-SAT).
    on_agent
        Called with the number of agents placed so far.
    should_stop
        Polled before each agent: stop early (the agents left are not placed nor reported).
    time_limit
        The solve's time limit in seconds: the exact week models first get budgets that fit in
        half of it (:func:`week_budgets`); an agent whose week was not found in its first budget
        gets :data:`SECOND_BUDGET_FACTOR` times it while the time limit has not passed, and the
        full budget once every agent has had its turn, while time is left; else it is reported
        (not proven impossible: :func:`scheduler.roster.diagnose.explain_agent` says which).
        Once the limit has passed, the agents not yet placed are reported too. None: the full
        budget for everyone (no time limit).

    Returns
    -------
    tuple
        The plan and the indices of agents left without a week (rules that cannot all hold, or
        not found in the time given).
    """
    started = time.monotonic()
    first, full = week_budgets(data, time_limit)

    second = min(full, SECOND_BUDGET_FACTOR * first)

    def left() -> float:
        return math.inf if time_limit is None else time_limit - (time.monotonic() - started)

    def budgets() -> tuple[float, ...]:
        if first >= full:
            return (full,)
        return (first, second) if left() > 0 and second > first else (first,)

    plan = Plan.empty(data)
    n = np.zeros((len(data.queues), data.n_intervals), dtype=np.int64)
    tally: CoverTally | None = None
    if data.cover:

        def week_ok(a: int, choice: dict[int, int]) -> bool:
            return all(_below_minimum(p) for p in _week_problems(data, a, choice))

        tally = CoverTally(data, reserve(data, seed, week_ok))
    rng = random.Random(seed)
    order = sorted(
        range(len(data.agents)), key=lambda a: (len(data.agents[a].skills), rng.random())
    )
    failed: list[int] = []
    for done, a in enumerate(order):
        if should_stop is not None and should_stop():
            break
        if left() < 0:
            # The time limit is spent: the agents left are reported as not placed (the solve
            # then says no roster was found in the time given), not placed for minutes more.
            failed.extend(order[done:])
            break
        choice = _place(data, plan, a, n, seed, tally, budgets)
        if choice is None:
            failed.append(a)
        else:
            add_agent_week(plan, n, a, choice)
            if tally is not None:
                tally.place(a, choice)
        if on_agent is not None:
            on_agent(done + 1)
    if first < full:
        # Weeks not found in the short budgets get the full one now, while time is left: one
        # hard agent given the full budget in turn would have held up all those after it
        # (13 s an agent on Curtois Instance24 at the full 26 s budget).
        for a in list(failed):
            if left() <= MIN_WEEK_SECONDS or (should_stop is not None and should_stop()):
                break
            choice = _place(data, plan, a, n, seed, tally, _always((min(full, left()),)))
            if choice is not None:
                failed.remove(a)
                add_agent_week(plan, n, a, choice)
                if tally is not None:
                    tally.place(a, choice)
    return plan, failed


def _always(budgets: tuple[float, ...]) -> Callable[[], tuple[float, ...]]:
    """A budgets callable that always answers ``budgets``."""
    return lambda: budgets


def _place(
    data: ProblemData,
    plan: Plan,
    a: int,
    n: np.ndarray,
    seed: int,
    tally: CoverTally | None,
    budgets: Callable[[], tuple[float, ...]],
) -> dict[int, int] | None:
    """Agent ``a``'s week: greedy (short horizons), else exact (within each of ``budgets()``
    in turn, the longer only while the time limit allows); reserved cover days given up only
    as a last resort (the cover repair after the construction then looks for them elsewhere).

    On a long horizon the greedy is skipped: each of its trials re-checks the whole horizon,
    so it takes 1-5 s an agent on 364 days (and fails for half the Curtois Instance24
    employees). The exact model restricted to one template comes first there
    (:func:`_one_template_week`), then the full one.
    """
    reserved = tally.reserved.get(a) if tally is not None else None
    if data.days <= LONG_HORIZON_DAYS:
        choice = greedy_week(data, a, n, tally)
        if choice is None:
            choice = greedy_week(data, a, n, tally, chronological=True)
    else:
        choice = _one_template_week(data, plan, a, n, seed, budgets()[0] / 2, reserved)
    if choice is not None:
        return choice
    choice = _exact_week(data, plan, a, n, seed, budgets(), reserved)
    if choice is None and reserved and tally is not None:
        tally.release(a)
        choice = greedy_week(data, a, n, tally)
        if choice is None:
            choice = _exact_week(data, plan, a, n, seed, budgets(), None)
    return choice


ONE_TEMPLATE_TRIES = 2
"""Templates tried alone, in decreasing value, before an agent's full model."""


def _one_template_week(
    data: ProblemData,
    plan: Plan,
    a: int,
    n: np.ndarray,
    seed: int,
    budget: float,
    reserved: Mapping[int, int] | None,
) -> dict[int, int] | None:
    """Agent ``a``'s best week working one template only (its most valuable ones first).

    A long horizon's full model has every template on every day (364 days x 20 on Curtois
    Instance24): 0.3 s to build and 0.2 s to solve, a minute for 150 agents. Restricted to one
    template it is a twentieth of the size: a schedule in 0.1-0.2 s, or a proof in 0.05 s that
    the template alone cannot meet the contract. The search later mixes templates wherever
    that pays. This is the restricted-model start column generation uses for these instances.
    """
    scores = shift_scores(data, a, n)
    by_template: dict[int, list[int]] = {}
    value: dict[int, int] = {}
    for day_cands in data.agents[a].candidates:
        best: dict[int, int] = {}
        for c in day_cands:
            t = data.candidates[c].template
            by_template.setdefault(t, []).append(c)
            best[t] = max(best.get(t, 0), scores[c] - data.candidates[c].cost)
        for t, v in best.items():
            value[t] = value.get(t, 0) + max(0, v)
    ranked = sorted(
        (t for t in by_template if _could_fill(data, a, t, by_template[t])),
        key=lambda t: (-value.get(t, 0), t),
    )
    for t in ranked[:ONE_TEMPLATE_TRIES]:
        choice = best_week(
            data,
            plan,
            a,
            n,
            seed,
            budget,
            reserved=reserved,
            partial=True,
            only=frozenset(by_template[t]),
        )
        if choice is not None:
            return choice
    return None


def _could_fill(data: ProblemData, a: int, t: int, cands: list[int]) -> bool:
    """Whether template ``t`` alone could meet agent ``a``'s horizon minimum of paid minutes
    within its limit on the template's kind, and may follow itself (as
    ``curtois.construct.feasible_types`` screens shift types)."""
    kind = data.templates[t].kind
    if (kind, kind) in data.forbidden:
        return False
    limits = horizon_limits(data.agents[a].contract)
    if limits.min_minutes is None:
        return True
    most = len({data.candidates[c].day for c in cands})
    for limited, count in limits.max_by_kind:
        if limited == kind:
            most = min(most, count)
    longest = max(data.candidates[c].paid_minutes for c in cands)
    return most * longest >= limits.min_minutes


def _exact_week(
    data: ProblemData,
    plan: Plan,
    a: int,
    n: np.ndarray,
    seed: int,
    budgets: tuple[float, ...],
    reserved: Mapping[int, int] | None,
) -> dict[int, int] | None:
    """:func:`best_week` within each of ``budgets`` in turn, until one finds a week."""
    for budget in budgets:
        choice = best_week(data, plan, a, n, seed, budget, reserved=reserved, partial=True)
        if choice is not None:
            return choice
    return None


def improve_agents(plan: Plan, seed: int, deadline: Callable[[], bool], rounds: int = 1) -> Plan:
    """Coordinate descent: re-choose each agent's week given everybody else (rounds passes)."""
    data = plan.data
    out = plan.copy()
    n = out.coverage()
    rng = random.Random(seed + 1)
    for _ in range(rounds):
        order = list(range(len(data.agents)))
        rng.shuffle(order)
        for a in order:
            if deadline():
                return out
            saved = out.copy()
            saved_n = n.copy()
            remove_agent_week(out, n, a)
            choice = best_week(data, out, a, n, seed)
            if choice is None:
                out, n = saved, saved_n
                continue
            add_agent_week(out, n, a, choice)
    return out
