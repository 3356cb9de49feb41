"""CP-SAT formulation of the Curtois & Qu rules, over all employees or a neighbourhood of them.

Variables (created in :class:`CurtoisModel`, named readably, only where they can be true):

- ``x[e,d,s]`` (``shift_<emp>_d<day>_<shift>``): employee ``e`` works shift ``s`` on day ``d``;
  no variable exists for a listed day off or a shift type whose ``MaxShifts`` is 0, so those rules
  hold by construction.
- ``w[e,d]`` (``works_<emp>_d<day>``): ``w[e,d] = sum_s x[e,d,s]``, which also states "at most one
  shift a day"; when only one shift is possible the shift literal itself stands for ``w``.

The model can cover a *neighbourhood*: a subset of employees (the others contribute a fixed
``background`` head count to each cover line) and, for those employees, a set of ``fixed`` days
whose assignment is a constant. Literals are then Python booleans, and every family folds
constants instead of creating variables, so the same code builds the whole model and the small
sub-models of the large-neighbourhood search.

The rule families (``constraints/``) are applied in the explicit order of :data:`FAMILIES`; each
adds its hard constraints and returns its penalty terms, and only :mod:`.objective` minimises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from ortools.sat.python import cp_model

from scheduler.roster.curtois import objective
from scheduler.roster.curtois.constraints import (
    cover,
    requests,
    sequences,
    succession,
    weekends,
    workload,
)
from scheduler.roster.curtois.reader import CurtoisInstance

Literal = cp_model.IntVar | bool
"""A model literal, or a constant where the neighbourhood fixes its value."""


@dataclass(frozen=True)
class PenaltyTerm:
    """``weight * expression`` added to the objective; ``rule`` says which soft rule it prices."""

    rule: str
    weight: int
    expression: cp_model.LinearExprT


class CurtoisModel:
    """Variables and constraints of one (sub-)problem.

    Parameters
    ----------
    instance
        The benchmark instance.
    employees
        Indices of the employees this model decides; default all.
    background
        Head count per ``(day, shift_id)`` contributed by employees outside ``employees``.
    fixed
        ``(employee, day) -> shift ID or None`` for days whose assignment is given.
    """

    def __init__(
        self,
        instance: CurtoisInstance,
        employees: Sequence[int] | None = None,
        background: Mapping[tuple[int, str], int] | None = None,
        fixed: Mapping[tuple[int, int], str | None] | None = None,
    ) -> None:
        self.instance = instance
        self.employees = tuple(range(len(instance.employees)) if employees is None else employees)
        self.background = dict(background or {})
        self.fixed = dict(fixed or {})
        self.cp = cp_model.CpModel()
        self.cp.name = instance.name
        self.shift_vars: dict[tuple[int, int, str], cp_model.IntVar] = {}
        self._work: dict[tuple[int, int], Literal] = {}
        self.penalties: list[PenaltyTerm] = []
        self._create_variables()

    # -- variables -------------------------------------------------------------------------
    def _create_variables(self) -> None:
        inst = self.instance
        for e in self.employees:
            emp = inst.employees[e]
            allowed = [s.id for s in inst.shifts if emp.may_work(s.id)]
            for d in range(inst.horizon):
                if (e, d) in self.fixed:
                    self._work[(e, d)] = self.fixed[(e, d)] is not None
                    continue
                if d in emp.days_off or not allowed:
                    self._work[(e, d)] = False
                    continue
                lits = []
                for s in allowed:
                    var = self.cp.new_bool_var(f"shift_{emp.id}_d{d}_{s}")
                    self.shift_vars[(e, d, s)] = var
                    lits.append(var)
                if len(lits) == 1:
                    self._work[(e, d)] = lits[0]
                else:
                    works = self.cp.new_bool_var(f"works_{emp.id}_d{d}")
                    # Equality both links w to the shifts and allows at most one shift a day.
                    self.cp.add(sum(lits) == works)
                    self._work[(e, d)] = works

    def shift(self, e: int, d: int, s: str) -> Literal:
        """Literal "employee ``e`` works shift ``s`` on day ``d``" (a bool where it is fixed)."""
        var = self.shift_vars.get((e, d, s))
        if var is not None:
            return var
        if (e, d) in self.fixed:
            return self.fixed[(e, d)] == s
        return False

    def works(self, e: int, d: int) -> Literal:
        """Literal "employee ``e`` works on day ``d``"; days outside the horizon are off."""
        if 0 <= d < self.instance.horizon:
            return self._work[(e, d)]
        return False

    def day_shifts(self, e: int, d: int) -> list[tuple[str, Literal]]:
        """``(shift ID, literal)`` for every shift type that is or may be worked by e on d."""
        pairs = [(s.id, self.shift(e, d, s.id)) for s in self.instance.shifts]
        return [(s, lit) for s, lit in pairs if lit is not False]

    # -- helpers used by the families ------------------------------------------------------
    def add_clause(self, literals: Iterable[Literal], negated: Iterable[Literal] = ()) -> None:
        """Add ``OR(literals) OR OR(not n for n in negated)``, folding constants."""
        clause: list[cp_model.IntVar] = []
        for lit in literals:
            if lit is True:
                return
            if not isinstance(lit, bool):
                clause.append(lit)
        for lit in negated:
            if lit is False:
                return
            if not isinstance(lit, bool):
                clause.append(cast(cp_model.IntVar, lit.Not()))
        if not clause:
            # Every literal is fixed and false: the fixed part already breaks the rule.
            self.cp.add_bool_or([self.cp.new_constant(0)])
            return
        self.cp.add_bool_or(clause)

    def add_penalty(self, rule: str, weight: int, expression: cp_model.LinearExprT) -> None:
        """Record a penalty term; weight-0 terms are dropped so they cost no variables."""
        if weight:
            self.penalties.append(PenaltyTerm(rule, weight, expression))

    # -- build -----------------------------------------------------------------------------
    def build(self) -> CurtoisModel:
        """Apply every rule family in order, then set the objective; returns ``self``."""
        for family in FAMILIES:
            family(self)
        objective.minimise(self)
        return self

    def assignment(self, solver: cp_model.CpSolver) -> dict[tuple[int, int], str | None]:
        """Shift (or ``None``) per ``(employee, day)`` of this model, read from ``solver``."""
        result: dict[tuple[int, int], str | None] = {}
        for e in self.employees:
            for d in range(self.instance.horizon):
                if (e, d) in self.fixed:
                    result[(e, d)] = self.fixed[(e, d)]
                    continue
                result[(e, d)] = None
                for s, lit in self.day_shifts(e, d):
                    if solver.boolean_value(lit):
                        result[(e, d)] = s
        return result

    def add_hint(self, assignment: Mapping[tuple[int, int], str | None]) -> None:
        """Hint every shift variable (and work variable) from a full assignment."""
        self.cp.clear_hints()
        hinted: set[int] = set()
        for (e, d, s), var in self.shift_vars.items():
            self.cp.add_hint(var, assignment.get((e, d)) == s)
            hinted.add(var.index)
        for (e, d), lit in self._work.items():
            if not isinstance(lit, bool) and lit.index not in hinted:
                self.cp.add_hint(lit, assignment.get((e, d)) is not None)


FAMILIES: tuple[Callable[[CurtoisModel], None], ...] = (
    succession.add,
    workload.add,
    sequences.add,
    weekends.add,
    requests.add,
    cover.add,
)
"""Rule families in the order they are applied: hard rules first, then the soft ones."""
