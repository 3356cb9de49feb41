"""The objective of a whole plan, computed directly (no solver), term by term.

It is the same function the CP-SAT families encode, so the search can accept a neighbourhood's
answer by comparing totals, and the Result reports each term. Scaled units; lower is better.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scheduler.roster.cpsat.constraints import (
    deferred,
    fairness,
    goal_attainment,
    proficiency,
    shift_cover,
    switching,
)
from scheduler.roster.cpsat.constraints.coverage import base_value
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import ProblemData


@dataclass(frozen=True)
class Evaluation:
    """Objective total and its terms (scaled units, lower is better)."""

    total: int
    terms: dict[str, int]


def fairness_counts(data: ProblemData, plan: Plan, a: int) -> dict[str, int]:
    """This horizon's weekends, nights, late finishes and early starts of agent ``a``."""
    return schedule_fairness_counts(data, plan.choice[a].tolist())


def schedule_fairness_counts(data: ProblemData, schedule: Sequence[int]) -> dict[str, int]:
    """Weekends, nights, late finishes and early starts of one agent's ``schedule`` (candidate
    index per day, -1 off)."""
    weekends: set[int] = set()
    counts = {"weekends": 0, "nights": 0, "late_finishes": 0, "early_starts": 0}
    for d, c in enumerate(schedule):
        if c < 0:
            continue
        cand = data.candidates[c]
        week = data.weekend_of_day[d]
        if week is not None:
            weekends.add(week)
        counts["nights"] += cand.night
        counts["late_finishes"] += cand.late
        counts["early_starts"] += cand.early
    counts["weekends"] = len(weekends)
    return counts


AGENT_TERMS = ("cost", "preferences", "stability", "fairness")
"""The terms that are sums over agents, each agent's part depending on its own schedule only."""


def agent_terms(
    data: ProblemData, a: int, schedule: Sequence[int], counts: dict[str, int] | None = None
) -> dict[str, int]:
    """Agent ``a``'s part of each of :data:`AGENT_TERMS` under ``schedule`` (candidate index
    per day, -1 off); ``counts`` are its :func:`schedule_fairness_counts` when known."""
    spec = data.agents[a]
    terms = dict.fromkeys(AGENT_TERMS, 0)
    for d, c in enumerate(schedule):
        if c < 0:
            terms["stability"] += spec.off_cost[d]
            terms["preferences"] += spec.off_preference_cost[d]
            continue
        cand = data.candidates[c]
        terms["cost"] += cand.pay_cost
        terms["preferences"] += cand.preference_cost
        terms["stability"] += cand.stability_cost
    weight = data.scenario.rules.objective.fairness
    if counts is None:
        counts = schedule_fairness_counts(data, schedule)
    terms["fairness"] = fairness.penalty(counts, spec.ledger, weight)
    return terms


def evaluate(plan: Plan) -> Evaluation:
    """Every objective term of ``plan``."""
    data = plan.data
    n = plan.coverage()
    terms = {
        "coverage": -base_value(data, n),
        "proficiency": -proficiency.total(data, plan.queue),
        "deferred": 0,
        "cost": 0,
        "preferences": 0,
        "stability": 0,
        "fairness": 0,
        "switching": switching.unit_cost(data) * switching.count(plan.queue),
    }
    for q, is_deferred in enumerate(data.deferred):
        if is_deferred and data.late_cost[q]:
            n_t = data.n_demand
            late = deferred.lateness(data.due[q, :n_t], data.arrived[q, :n_t], n[q], data.interval)
            terms["deferred"] += int(late.sum()) * data.late_cost[q]
    totals: dict[int, dict[str, int]] = {}
    for spec in data.agents:
        a = spec.index
        schedule = plan.choice[a].tolist()
        counts = schedule_fairness_counts(data, schedule)
        for name, value in agent_terms(data, a, schedule, counts).items():
            terms[name] += value
        before = fairness.carried(spec.ledger)
        totals[a] = {k: before[k] + counts[k] for k in fairness.KINDS}
    terms["fairness_spread"] = fairness.spread_penalty(data, totals)
    if goal_attainment.rate(data):
        terms["goal_shortfall"] = goal_attainment.penalty(data, n)
    if data.cover:
        terms["shift_cover"] = shift_cover.penalty(data, shift_cover.counts(data, plan.choice))
    return Evaluation(total=sum(terms.values()), terms=terms)


def service_kpis(plan: Plan) -> dict[str, float]:
    """Contacts answered in target (true curve), under/overstaffed agent-intervals."""
    data = plan.data
    n = plan.coverage()[:, : data.n_demand]
    levels = data.value_curve.shape[2]
    idx = np.minimum(n, levels - 1)
    q_idx, t_idx = np.indices(n.shape)
    answered = float(data.value_curve[q_idx, t_idx, idx].sum())
    need = data.need[:, : data.n_demand]
    return {
        "answered_in_target": round(answered, 1),
        "understaffed_agent_intervals": float(np.maximum(need - n, 0).sum()),
        "overstaffed_agent_intervals": float(np.maximum(n - need, 0).sum()),
        "paid_hours": round(
            sum(data.candidates[int(c)].paid_minutes for c in plan.choice.flat if c >= 0) / 60.0, 1
        ),
    }
