"""CP-SAT variables of a (sub-)model, named readably and created lazily.

A sub-model frees some agent-days (their shift, breaks and queues become variables) and keeps the
rest of the incumbent :class:`~scheduler.roster.plan.Plan` as constants. Every day-level quantity
a rule family needs (works, paid minutes, kind of shift, night/late/early flags, weekend worked)
is offered as a linear expression that is a plain integer on fixed days, so families write one
formula for both.
"""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.model import format_clock
from scheduler.model.base import MINUTES_PER_DAY
from scheduler.roster.plan import Plan
from scheduler.roster.problem_data import Candidate, ProblemData

Expr = cp_model.LinearExpr | int
"""A linear expression, or a plain integer on fixed agent-days."""


class Variables:
    """Shift variables of the free agent-days and day-level expressions over all agent-days."""

    def __init__(
        self,
        model: cp_model.CpModel,
        data: ProblemData,
        plan: Plan,
        free: dict[int, frozenset[int]],
        only: frozenset[int] | None = None,
        day_booleans: bool = False,
    ) -> None:
        self.model = model
        self.day_booleans = day_booleans
        self.data = data
        self.plan = plan
        self.free = free
        self.only = only
        self.x: dict[int, cp_model.IntVar] = {}
        for a, days in sorted(free.items()):
            for d in sorted(days):
                for c in self.day_candidates(a, d):
                    cand = data.candidates[c]
                    tpl = data.templates[cand.template]
                    clock = format_clock(cand.start - d * MINUTES_PER_DAY)
                    self.x[c] = model.new_bool_var(
                        f"shift[{data.agents[a].id},d{d},{tpl.id}@{clock}+{cand.length}]"
                    )
        self._weekend: dict[tuple[int, int], Expr] = {}
        self._works: dict[tuple[int, int], Expr] = {}

    def is_free(self, a: int, d: int) -> bool:
        """Whether agent-day ``(a, d)`` is decided by this model."""
        return d in self.free.get(a, frozenset())

    def day_candidates(self, a: int, d: int) -> tuple[int, ...]:
        """Indices of the candidates the model offers agent-day ``(a, d)``: all of them, or
        those in ``only`` (a restricted model, e.g. one template)."""
        cands = self.data.agents[a].candidates[d]
        if self.only is None:
            return cands
        return tuple(c for c in cands if c in self.only)

    def candidates(self, a: int, d: int) -> list[Candidate]:
        """Candidates of a free agent-day (empty for a fixed one)."""
        if not self.is_free(a, d):
            return []
        return [self.data.candidates[c] for c in self.day_candidates(a, d)]

    def fixed(self, a: int, d: int) -> Candidate | None:
        """The incumbent shift of a fixed agent-day (None if off or if the day is free)."""
        if self.is_free(a, d) or not 0 <= d < self.data.days:
            return None
        return self.plan.candidate(a, d)

    def sum_over(self, a: int, d: int, weight: object) -> Expr:
        """``sum_c weight(c) * x_c`` on a free day, or ``weight(fixed shift)`` on a fixed one.

        ``weight`` is a callable ``Candidate -> int``.
        """
        fn = weight  # callable; typed loosely to accept lambdas
        if self.is_free(a, d):
            terms = [(self.x[c.index], int(fn(c))) for c in self.candidates(a, d)]  # type: ignore[operator]
            terms = [(v, w) for v, w in terms if w]
            if not terms:
                return 0
            return cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [w for _, w in terms])
        cand = self.fixed(a, d)
        return 0 if cand is None else int(fn(cand))  # type: ignore[operator]

    def works(self, a: int, d: int) -> Expr:
        """1 if agent ``a`` works day ``d`` (created once, lazily).

        With ``day_booleans`` (the one-agent week models) a free day with several candidates
        gets its own boolean ``w == sum_c x_c`` rather than the sum itself: the sequence rules
        repeat each day in many windows, and a 364-day model with 30 candidates a day would
        otherwise carry a hundred thousand terms. The neighbourhood models (a few days each)
        keep the plain sums their search was tuned on.
        """
        key = (a, d)
        if key in self._works:
            return self._works[key]
        expr = self.sum_over(a, d, lambda c: 1)
        if self.day_booleans and self.is_free(a, d) and len(self.day_candidates(a, d)) > 1:
            var = self.model.new_bool_var(f"works[{self.data.agents[a].id},d{d}]")
            self.model.add(var == expr)
            expr = var
        self._works[key] = expr
        return expr

    def paid(self, a: int, d: int) -> Expr:
        """Paid minutes of agent ``a`` on day ``d``."""
        return self.sum_over(a, d, lambda c: c.paid_minutes)

    def of_kind(self, a: int, d: int, kind: str) -> Expr:
        """1 if agent ``a`` works a shift of template kind ``kind`` on day ``d``."""
        return self.sum_over(a, d, lambda c: int(self.data.templates[c.template].kind == kind))

    def weekend_worked(self, a: int, weekend: int) -> Expr:
        """1 if agent ``a`` works any day of weekend ``weekend`` (created once, lazily)."""
        key = (a, weekend)
        if key in self._weekend:
            return self._weekend[key]
        days = [d for d, w in enumerate(self.data.weekend_of_day) if w == weekend]
        works = [self.works(a, d) for d in days]
        if all(isinstance(w, int) for w in works):
            expr: Expr = int(any(works))
        else:
            var = self.model.new_bool_var(f"weekend_worked[{self.data.agents[a].id},w{weekend}]")
            for w in works:
                self.model.add(var >= w)
            self.model.add(var <= sum(works))
            expr = var
        self._weekend[key] = expr
        return expr

    def free_agents(self) -> Iterable[int]:
        """Agents with at least one free day."""
        return sorted(self.free)


def add_linear(model: cp_model.CpModel, constraint: object) -> None:
    """Add a linear constraint unless it is a constant truth (both sides fixed).

    A constant falsehood is a bug in the caller (the incumbent breaks a hard rule).
    """
    if isinstance(constraint, (bool, int)):
        if not constraint:
            raise ValueError("a fixed part of the incumbent violates a hard rule")
        return
    model.add(constraint)  # type: ignore[arg-type]
