"""Build, solve and read back a CP-SAT (sub-)model of the roster.

The same builder serves three uses:

- ``mode="shifts"``: one or a few agents' whole week, shift choice only, each candidate valued by
  a score the caller computes from the current coverage (the constructive heuristic);
- ``mode="full"``: a neighbourhood of agent-days with breaks, group-level queue allocation and
  the concave service value (the large-neighbourhood search, or everything for tiny cases);
- any mode with assumption literals on the rule families (diagnosis).

``partial=True`` says the fixed part of the plan is still being built (the constructive
heuristic's one-agent models, diagnosis of one agent): rules over the whole roster that agents
placed later may still meet (a shift cover minimum) are then left out.

Families are registered in an explicit order in :data:`FAMILIES`; each adds its hard constraints
and returns penalty terms, and only :mod:`scheduler.roster.cpsat.objective` minimises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from scheduler.roster.cpsat.constraints import (
    assignment,
    breaks,
    contracts,
    cost,
    coverage,
    deferred,
    fairness,
    goal_attainment,
    pinned,
    preferences,
    proficiency,
    rest,
    sequences,
    shift_cover,
    stability,
    switching,
)
from scheduler.roster.cpsat.objective import Term, minimise
from scheduler.roster.cpsat.variables import Variables
from scheduler.roster.plan import OFF, Plan
from scheduler.roster.problem_data import ProblemData

Mode = Literal["shifts", "full"]

LONG_HORIZON_DAYS = 91
"""Above this many days (a quarter) one agent's whole-horizon model is large: its days get
their own booleans (:meth:`~scheduler.roster.cpsat.variables.Variables.works`) and the
construction takes its long-horizon path (:mod:`scheduler.roster.construct`). Measured on the
Curtois instances: the day booleans halve a 364-day model, but on 84 days they steer CP-SAT's
default search to weeks a fifth worse (Instance19's construction: 35,738 against 27,021)."""


@dataclass
class RosterModel:
    """A built model and the handles needed to hint, solve and read it back."""

    data: ProblemData
    plan: Plan
    mode: Mode
    model: cp_model.CpModel
    vars: Variables
    terms: list[Term] = field(default_factory=list)
    breaks: breaks.BreakVars | None = None
    flows: coverage.CoverageVars | None = None
    guards: dict[str, cp_model.IntVar] = field(default_factory=dict)
    partial: bool = False

    def require(self, family: str, constraint: object) -> None:
        """Add a hard constraint of ``family``, guarded by its assumption literal if any.

        Constant constraints (every variable fixed) are checked instead: a false one means the
        fixed part of the incumbent already breaks the rule.
        """
        if isinstance(constraint, bool | int):
            if not constraint:
                raise ValueError(f"{family}: the fixed part of the plan breaks a hard rule")
            return
        ct = self.model.add(constraint)  # type: ignore[arg-type]
        guard = self.guards.get(family)
        if guard is not None:
            ct.only_enforce_if(guard)


Family = Callable[[RosterModel], list[Term]]

FAMILIES: tuple[tuple[str, Family], ...] = (
    ("assignment", assignment.add),
    ("pinned", pinned.add),
    ("breaks", breaks.add),
    ("coverage", coverage.add),
    ("goal_attainment", goal_attainment.add),
    ("proficiency", proficiency.add),
    ("switching", switching.add),
    ("deferred", deferred.add),
    ("contracts", contracts.add),
    ("shift_cover", shift_cover.add),
    ("sequences", sequences.add),
    ("rest", rest.add),
    ("fairness", fairness.add),
    ("cost", cost.add),
    ("preferences", preferences.add),
    ("stability", stability.add),
)
"""Rule families in the order they are added (later ones may use earlier ones' variables)."""


def build(
    data: ProblemData,
    plan: Plan,
    free: dict[int, frozenset[int]],
    mode: Mode = "full",
    scores: dict[int, int] | None = None,
    guarded: tuple[str, ...] = (),
    partial: bool = False,
    only: frozenset[int] | None = None,
) -> RosterModel:
    """Build the model of the free agent-days with the rest of ``plan`` fixed.

    Parameters
    ----------
    data
        The problem.
    plan
        The incumbent; its fixed agent-days are constants, its free ones hints.
    free
        Agent index -> days decided by the model.
    mode
        ``"shifts"`` (shift choice valued by ``scores``) or ``"full"``.
    scores
        ``"shifts"`` mode: scaled value of each candidate (subtracted from the objective).
    guarded
        Families whose hard constraints are enforced only under an assumption literal
        (``rm.guards[family]``), for diagnosis.
    partial
        The fixed part of ``plan`` is incomplete (see the module docstring).
    only
        Candidate indices the free agent-days may choose from (None: all of theirs); a free
        day with none of them is a day off.
    """
    model = cp_model.CpModel()
    rm = RosterModel(
        data,
        plan,
        mode,
        model,
        Variables(
            model,
            data,
            plan,
            free,
            only,
            day_booleans=mode == "shifts" and data.days > LONG_HORIZON_DAYS,
        ),
        partial=partial,
    )
    for family in guarded:
        rm.guards[family] = model.new_bool_var(f"rule[{family}]")
    for _, add_family in FAMILIES:
        rm.terms.extend(add_family(rm))
    if mode == "shifts" and scores:
        xs = [(v, -scores.get(c, 0)) for c, v in rm.vars.x.items() if scores.get(c, 0)]
        if xs:
            rm.terms.append(
                Term(
                    "coverage",
                    cp_model.LinearExpr.weighted_sum([v for v, _ in xs], [w for _, w in xs]),
                )
            )
    minimise(model, rm.terms)
    return rm


def hint(rm: RosterModel) -> None:
    """Hint every variable with the incumbent's values (shifts, breaks, flows, units)."""
    plan = rm.plan
    for c, var in rm.vars.x.items():
        cand = rm.data.candidates[c]
        rm.model.add_hint(var, int(plan.choice[cand.agent, cand.day]) == c)
    if rm.breaks is not None:
        rm.breaks.hint(rm.model, plan)
    if rm.flows is not None:
        rm.flows.hint(rm.model, plan)


def read_back(rm: RosterModel, solver: cp_model.CpSolver) -> Plan:
    """The incumbent with the free agent-days replaced by the solver's values."""
    plan = rm.plan.copy()
    data = rm.data
    for a, days in rm.vars.free.items():
        for d in days:
            chosen = [c for c in rm.vars.day_candidates(a, d) if solver.value(rm.vars.x[c])]
            plan.set_shift(a, d, chosen[0] if chosen else -1, ())
    if rm.breaks is not None:
        rm.breaks.read(solver, plan)
    else:
        # Shift-only models place breaks afterwards; start from each window's middle.
        for a, days in rm.vars.free.items():
            for d in days:
                cand = plan.candidate(a, d)
                if cand is not None:
                    plan.breaks[(a, d)] = default_breaks(data, cand.template, cand.first)
    if rm.flows is not None:
        rm.flows.read(solver, plan)
    else:
        # Queues of free days are re-allocated by the caller; mark work on the first skill.
        for a, days in rm.vars.free.items():
            for d in days:
                for t in plan.working(a, d):
                    plan.queue[a, t] = data.agents[a].skills[0]
    for a, days in rm.vars.free.items():
        for d in days:
            for t in plan.break_mask(a, d):
                plan.queue[a, t] = OFF
    return plan


def default_breaks(data: ProblemData, template: int, first: int) -> tuple[int, ...]:
    """Break starts in the middle of their windows, pushed later so they never overlap."""
    starts: list[int] = []
    busy_until = -1
    for spec in data.templates[template].breaks:
        s = max(first + (spec.first + spec.last) // 2, busy_until)
        s = min(s, first + spec.last)
        starts.append(s)
        busy_until = s + spec.span
    return tuple(starts)
