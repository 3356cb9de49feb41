"""Solve a roster problem: pre-checks -> constructive start -> breaks and queues -> search.

The pipeline (DESIGN section 7):

1. :func:`scheduler.roster.diagnose.prechecks` -- arithmetic clashes end the solve at once;
2. :func:`scheduler.roster.construct.construct` -- each agent's best feasible week in turn
   (an agent with no feasible week is explained with CP-SAT assumptions), then
   :func:`scheduler.roster.cover_repair.repair` for shift cover rows it left outside their
   limits (rows no roster meets are explained);
3. :func:`scheduler.roster.rebreak.replace_breaks`, :func:`scheduler.roster.allocate.allocate`
   and :func:`scheduler.roster.exchange.exchange_weeks` -- breaks and queues re-placed exactly
   for the shifts chosen, whole weeks exchanged between interchangeable agents;
4. cover-driven problems (agents coupled by shift cover rows alone, up to 84 days:
   :func:`scheduler.roster.colgen.not_applicable`): column generation over each agent's
   whole-horizon schedules (:mod:`scheduler.roster.colgen_search`) -- a Lagrangian bound, then
   dives and the restricted MIP for rosters; a roster meeting the bound ends the solve, proven
   optimal, and the bound is reported otherwise;
5. small problems (or up to :data:`WHOLE_MODEL_MAX_CANDIDATES_AFTER_COLGEN` candidates after
   column generation): one CP-SAT model of everything, hinted with the start and cut at the
   column-generation bound; otherwise rounds of
   best responses (:func:`scheduler.roster.construct.improve_agents`: each agent's best week
   against everybody else, its breaks where they cost least, then step 3) while a round gains
   at least :data:`BEST_RESPONSE_STALL` of the objective, then
   :func:`scheduler.roster.lns.search` until the time limit (neighbourhood shapes chosen by
   what they gain: two days of many agents on a week, longer windows and cover gaps on longer
   horizons);
6. a last exact queue allocation, then the typed :class:`~scheduler.roster.result.Result`.

Meanwhile HiGHS solves the LP relaxation of :mod:`scheduler.roster.bounds` in a child process,
started once the first roster exists, with the time that is left (on the 300-agent week at 15
minutes it needs 40-50 s of one core); once its bound is known the result reports the gap, and
the search stops as soon as the gap is within ``params.gap_limit`` (when that is positive). A
search that stops improving is not a reason to stop: only the time limit, the gap limit and
``should_stop`` end it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.errors import InfeasibleError, RosterNotFoundError
from scheduler.model import format_clock
from scheduler.model.base import MINUTES_PER_DAY
from scheduler.roster import colgen, colgen_search, cover_repair, diagnose, lns
from scheduler.roster.allocate import allocate
from scheduler.roster.bounds import Bound, PendingBound
from scheduler.roster.construct import construct, improve_agents
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints import fairness as fairness_rules
from scheduler.roster.cpsat.constraints import preferences as preference_rules
from scheduler.roster.cpsat.constraints import stability as stability_rules
from scheduler.roster.cpsat.objective import objective_expression
from scheduler.roster.evaluate import Evaluation, evaluate, fairness_counts, service_kpis
from scheduler.roster.exchange import exchange_weeks
from scheduler.roster.kpis import shift_cover_counts
from scheduler.roster.plan import Plan, plan_from_roster
from scheduler.roster.problem_data import ProblemData, unscale
from scheduler.roster.rebreak import replace_breaks
from scheduler.roster.result import (
    AgentFairness,
    ChangedDay,
    ProgressEvent,
    Result,
    RosterDiff,
    SolveParams,
    SolveStatus,
)

DIAGNOSIS_SECONDS = 10.0
"""The least time the diagnosis of agents left without a week gets, even past the time limit
(a proven clash is worth those seconds to the planner)."""

WHOLE_MODEL_MAX_CANDIDATES = 2500
"""Up to this many candidate shifts the whole roster is one CP-SAT model (LNS above)."""

WHOLE_MODEL_MAX_CANDIDATES_AFTER_COLGEN = 12_000
"""The same limit once column generation has given a roster and a bound: the model starts
from a near-optimal hint with its objective cut at the bound, as in the dedicated Curtois
engine (:data:`scheduler.roster.curtois.solve.WHOLE_MODEL_MAX_VARIABLES`)."""

BEST_RESPONSE_SHARE = 0.75
"""Best-response rounds may take up to this share of the time limit (the LNS the rest)."""

BEST_RESPONSE_STALL = 1e-4
"""A round gaining less than this share of the objective is the last one: from there on the
LNS improves faster (on the 300-agent week a round of about 8 s gained 3-25 units after its
seventh, the LNS about 1 unit a second)."""

MAX_BEST_RESPONSE_ROUNDS = 50


def solve(
    data: ProblemData,
    params: SolveParams = SolveParams(),
    on_progress: Callable[[ProgressEvent], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """Roster the problem within ``params.time_limit_s``.

    Parameters
    ----------
    data
        The problem from :func:`scheduler.roster.problem_data.build_problem`.
    params
        Time limit, gap limit, workers and seed (one worker and equal seeds give equal rosters).
    on_progress
        Called with a :class:`ProgressEvent` after each phase and each improvement.
    should_stop
        Polled between steps; returning True ends the search with the best roster so far.

    Returns
    -------
    Result
        Status, objective (scaled back to value units; lower is better), roster with breaks and
        activities, objective terms, service KPIs, fairness per agent and the diff against the
        previous roster.

    Raises
    ------
    InfeasibleError
        When the hard rules cannot all hold, naming the clashing rules and agents.
    RosterNotFoundError
        When no roster meeting the hard rules was found in the time given and none was proven
        impossible (an agent's week or a cover row the construction could not meet in time).
    """
    started = time.monotonic()
    deadline = started + params.time_limit_s
    messages: list[str] = list(data.messages)
    incumbent: list[int] = []  # best scaled objective so far (empty before the first roster)
    pending: PendingBound | None = None
    known: list[Bound] = []

    def current_bound() -> Bound | None:
        if not known and pending is not None:
            found = pending.poll()
            if found is not None:
                known.append(found)
        return known[0] if known else None

    def emit(phase: str, ev: Evaluation | None, message: str = "") -> None:
        if ev is not None and (not incumbent or ev.total < incumbent[0]):
            incumbent[:] = [ev.total]
        if on_progress is not None:
            found = current_bound()
            on_progress(
                ProgressEvent(
                    seconds=round(time.monotonic() - started, 3),
                    objective=None if ev is None else unscale(ev.total),
                    bound=None if found is None else found.value,
                    phase=phase,
                    message=message,
                )
            )

    def gap_reached() -> bool:
        found = current_bound() if params.gap_limit > 0 and incumbent else None
        return found is not None and gap(unscale(incumbent[0]), found.value) <= params.gap_limit

    def stop() -> bool:
        return (should_stop is not None and should_stop()) or gap_reached()

    clashes, warnings = diagnose.prechecks(data)
    messages.extend(warnings)
    if clashes:
        raise InfeasibleError(clashes)
    emit("precheck", None, f"{len(data.agents)} agents, {len(data.candidates)} candidate shifts")

    plan, failed = construct(
        data,
        params.seed,
        should_stop=should_stop,
        time_limit=params.time_limit_s,
        on_agent=lambda k: (
            emit("construct", None, f"{k}/{len(data.agents)} agents") if k % 10 == 0 else None
        ),
    )
    if failed:
        if pending is not None:
            pending.cancel()
        # The diagnosis shares what is left of the time limit (at least DIAGNOSIS_SECONDS):
        # agents it cannot reach in time are reported as not found, not proven impossible.
        until = max(deadline, time.monotonic() + DIAGNOSIS_SECONDS)
        diagnoses = [
            diagnose.explain_agent(data, a, params.seed, until - time.monotonic()) for a in failed
        ]
        if any(d.proven for d in diagnoses):
            # A proven clash is the planner's to fix; list it first, the unproven after.
            ordered = sorted(diagnoses, key=lambda d: not d.proven)
            raise InfeasibleError([d.text for d in ordered])
        raise RosterNotFoundError([d.text for d in diagnoses])
    try:
        plan = cover_repair.repair(
            data, plan, params.seed, min(cover_repair.REPAIR_SECONDS, params.time_limit_s)
        )
    except (InfeasibleError, RosterNotFoundError):
        if pending is not None:
            pending.cancel()
        raise
    plan = _polish(plan)
    best_eval = evaluate(plan)
    first_feasible = time.monotonic() - started
    emit("construct", best_eval, f"first feasible roster in {first_feasible:.2f}s")
    if params.lp_bound:
        # Started once a roster exists: building the LP takes the parent a second or two on
        # the 300-agent week, which the first feasible roster should not wait for.
        pending = PendingBound(data, time_limit=max(0.1, deadline - time.monotonic()))

    plan, best_eval = _warm_start(data, plan, best_eval, messages)
    status = SolveStatus.FEASIBLE
    bound: float | None = None
    colgen_bound: float | None = None  # scaled units
    floor: int | None = None  # colgen_bound rounded up
    if (
        not stop()
        and time.monotonic() < deadline
        and colgen.not_applicable(data, params.time_limit_s) is None
    ):
        outcome = colgen_search.search(
            plan,
            best_eval,
            started,
            params.time_limit_s,
            params.workers,
            params.seed,
            stop,
            lambda ev, source: emit("colgen", ev, f"column generation {source}"),
        )
        plan, best_eval = outcome.plan, outcome.evaluation
        colgen_bound, floor = outcome.bound, outcome.floor
        messages.append(outcome.message)
    # LNS polls this between neighbourhoods: the caller's stop or the gap limit reached.
    lns_stop = stop
    if floor is not None and best_eval.total <= floor:
        status = SolveStatus.OPTIMAL
        bound = unscale(best_eval.total)
    elif not stop() and time.monotonic() < deadline:
        most = (
            WHOLE_MODEL_MAX_CANDIDATES if floor is None else WHOLE_MODEL_MAX_CANDIDATES_AFTER_COLGEN
        )
        if len(data.candidates) <= most:
            plan, best_eval, proved = _whole(
                data, plan, best_eval, params, deadline, stop, floor=floor
            )
            if proved:
                status = SolveStatus.OPTIMAL
                bound = unscale(best_eval.total)
        else:
            # Rounds of best responses (each agent's week against everybody else), each
            # followed by exact breaks and queues, while they pay (see _best_responses).
            plan, best_eval = _best_responses(
                plan,
                best_eval,
                params.seed,
                stop,
                started + (deadline - started) * BEST_RESPONSE_SHARE,
                emit,
            )
            plan, best_eval, stats = lns.search(
                plan,
                deadline=deadline,
                seed=params.seed,
                workers=params.workers,
                max_iterations=params.max_iterations,
                on_improve=lambda ev: emit("lns", ev),
                should_stop=lns_stop,
            )
            messages.append(
                f"LNS: {stats.iterations} neighbourhoods, {stats.improvements} improvements "
                f"({lns.describe_shapes(stats)})"
            )
    polished = _polish(plan)
    polished_eval = evaluate(polished)
    if polished_eval.total <= best_eval.total:
        plan, best_eval = polished, polished_eval
    messages.append(f"first feasible roster after {first_feasible:.2f}s")
    objective = unscale(best_eval.total)
    if pending is not None:
        found = current_bound()
        if found is None:
            pending.cancel()
            messages.append(f"LP bound not known within the time limit ({pending.status})")
        elif status != SolveStatus.OPTIMAL:
            bound = found.value
            messages.append(
                f"LP bound {found.value:.1f} in {found.seconds:.1f}s "
                f"({found.columns} columns, {found.rows} rows; HiGHS {found.solve_seconds:.1f}s, "
                f"{found.iterations} interior point iterations)"
            )
    if colgen_bound is not None and floor is not None and status != SolveStatus.OPTIMAL:
        if best_eval.total <= floor:
            # The search after the column generation reached its bound: proven optimal.
            status, bound = SolveStatus.OPTIMAL, objective
        else:
            value = unscale(colgen_bound)
            bound = value if bound is None else max(bound, value)
    emit("done", best_eval)
    roster = plan.to_roster()
    result_gap = None if bound is None else gap(objective, bound)
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        gap=result_gap,
        seed=params.seed,
        seconds=round(time.monotonic() - started, 3),
        roster=roster,
        objective_terms={k: unscale(v) for k, v in best_eval.terms.items()},
        kpis=service_kpis(plan),
        fairness=fairness_report(data, plan),
        diff=roster_diff(data, plan),
        messages=tuple(messages),
        shift_cover=shift_cover_counts(data.scenario, roster),
    )


def gap(objective: float, bound: float) -> float:
    """Relative gap ``(objective - bound) / max(1, |objective|)`` (see :class:`Result`)."""
    return max(0.0, objective - bound) / max(1.0, abs(objective))


def _polish(plan: Plan) -> Plan:
    """Breaks re-placed, queues re-allocated, then weeks exchanged between interchangeable
    agents (queues re-allocated after), each kept only where the objective improves."""
    best, best_eval = plan, evaluate(plan)
    for step in (replace_breaks, allocate, _exchange):
        cand = step(best)
        cand_eval = evaluate(cand)
        if cand_eval.total <= best_eval.total:
            best, best_eval = cand, cand_eval
    return best


def _exchange(plan: Plan) -> Plan:
    """:func:`exchange_weeks`, queues re-allocated if any week moved."""
    out, moved = exchange_weeks(plan)
    return allocate(out) if moved else plan


def _best_responses(
    plan: Plan,
    ev: Evaluation,
    seed: int,
    stop: Callable[[], bool],
    until: float,
    emit: Callable[[str, Evaluation | None, str], None],
) -> tuple[Plan, Evaluation]:
    """Best-response rounds until one gains too little or time runs out.

    Too little: below :data:`BEST_RESPONSE_STALL` of the objective.
    """
    for round_no in range(MAX_BEST_RESPONSE_ROUNDS):

        def out_of_time() -> bool:
            return stop() or time.monotonic() > until

        if out_of_time():
            break
        cand = _polish(improve_agents(plan, seed + round_no, out_of_time))
        cand_eval = evaluate(cand)
        if cand_eval.total >= ev.total:
            break
        gained = ev.total - cand_eval.total
        plan, ev = cand, cand_eval
        emit("improve", ev, f"best-response round {round_no + 1}")
        if gained < BEST_RESPONSE_STALL * abs(ev.total):
            break
    return plan, ev


def _warm_start(
    data: ProblemData, plan: Plan, ev: Evaluation, messages: list[str]
) -> tuple[Plan, Evaluation]:
    """Start from the previous roster if it is still valid and better than the construction."""
    if data.previous is None or data.previous.horizon_start != data.horizon_start:
        return plan, ev
    from scheduler.roster.validate import validate_roster

    if validate_roster(data, data.previous):
        messages.append("previous roster breaks current rules; not used as a start")
        return plan, ev
    try:
        prev = allocate(plan_from_roster(data, data.previous))
    except KeyError:
        return plan, ev
    prev_eval = evaluate(prev)
    if prev_eval.total < ev.total:
        messages.append("warm start from the previous roster")
        return prev, prev_eval
    return plan, ev


def _whole(
    data: ProblemData,
    plan: Plan,
    ev: Evaluation,
    params: SolveParams,
    deadline: float,
    stop: Callable[[], bool],
    floor: int | None = None,
) -> tuple[Plan, Evaluation, bool]:
    """One model of everything, hinted with ``plan``; (plan, evaluation, proved optimal).

    ``floor`` is a known lower bound on the objective (scaled units), added as a cut.
    """
    free = {a: frozenset(range(data.days)) for a in range(len(data.agents))}
    rm = cpsat_model.build(data, plan, free, mode="full")
    cpsat_model.hint(rm)
    if floor is not None:
        rm.model.add(objective_expression(rm.terms) >= floor)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = params.workers
    solver.parameters.random_seed = params.seed
    remaining = max(0.05, deadline - time.monotonic() - 0.1)
    solver.parameters.max_time_in_seconds = remaining
    if params.gap_limit:
        solver.parameters.relative_gap_limit = params.gap_limit
    if params.workers == 1:
        solver.parameters.max_deterministic_time = params.deterministic_time or remaining
    status = solver.solve(rm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return plan, ev, False
    cand = allocate(cpsat_model.read_back(rm, solver))
    cand_eval = evaluate(cand)
    if cand_eval.total <= ev.total:
        return cand, cand_eval, status == cp_model.OPTIMAL
    # The start may already attain the model's optimum (the solver's answer can come back with
    # more queue switches once allocated): then the start is the proved optimum.
    return plan, ev, status == cp_model.OPTIMAL and ev.total <= round(solver.objective_value)


def fairness_report(data: ProblemData, plan: Plan) -> tuple[AgentFairness, ...]:
    """What each agent got this horizon, with and without the ledger carried in."""
    out = []
    for spec in data.agents:
        a = spec.index
        agent = data.scenario.agents[a]
        counts = fairness_counts(data, plan, a)
        worked = []
        for d in range(data.days):
            cand = plan.candidate(a, d)
            if cand is not None:
                worked.append(
                    (
                        data.date(d),
                        cand.start - d * MINUTES_PER_DAY,
                        data.templates[cand.template].kind,
                    )
                )
        asked, granted = preference_rules.asked_and_granted(
            agent, worked, [data.date(d) for d in range(data.days)]
        )
        paid = sum(data.candidates[int(c)].paid_minutes for c in plan.choice[a] if c >= 0)
        before = fairness_rules.carried(spec.ledger)
        out.append(
            AgentFairness(
                agent=spec.id,
                paid_minutes=paid,
                target_minutes=spec.target_minutes,
                contract=spec.contract.id,
                days_worked=len(worked),
                minutes_vs_target=paid - spec.target_minutes,
                weekends_total=before["weekends"] + counts["weekends"],
                nights_total=before["nights"] + counts["nights"],
                late_finishes_total=before["late_finishes"] + counts["late_finishes"],
                early_starts_total=before["early_starts"] + counts["early_starts"],
                weekends=counts["weekends"],
                nights=counts["nights"],
                late_finishes=counts["late_finishes"],
                early_starts=counts["early_starts"],
                preferences_granted=granted,
                preferences_asked=asked,
            )
        )
    return tuple(out)


def roster_diff(data: ProblemData, plan: Plan) -> RosterDiff | None:
    """Changed agent-days and minutes moved against the previous roster (None without one)."""
    if data.previous is None:
        return None
    offset = (data.previous.horizon_start - data.horizon_start).days
    before: dict[tuple[str, int], tuple[int, int, str]] = {}
    for s in data.previous.shifts:
        day = s.day + offset
        if 0 <= day < data.days:
            shift_by = offset * MINUTES_PER_DAY
            before[(s.agent, day)] = (s.start + shift_by, s.end + shift_by, s.template)
    changed = []
    moved_total = 0
    for spec in data.agents:
        for d in range(data.days):
            cand = plan.candidate(spec.index, d)
            after = (
                None if cand is None else (cand.start, cand.end, data.templates[cand.template].id)
            )
            old = before.get((spec.id, d))
            is_changed, moved = stability_rules.change(old, after)
            if is_changed:
                changed.append(
                    ChangedDay(agent=spec.id, day=d, before=_label(old, d), after=_label(after, d))
                )
                moved_total += moved
    return RosterDiff(changed_days=tuple(changed), moved_minutes=moved_total)


def _label(shift: tuple[int, int, str] | None, day: int) -> str:
    if shift is None:
        return "off"
    base = day * MINUTES_PER_DAY
    return f"{shift[2]} {format_clock(shift[0] - base)}-{format_clock(shift[1] - base)}"
