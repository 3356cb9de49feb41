"""Fast greedy construction for long horizons: one employee at a time, one shift type each.

Every hard rule concerns one employee, so placing employees one by one, each in a schedule that
keeps all its own rules, always yields a feasible roster. On 364-day instances the full
one-employee model (every allowed shift type on every day) takes about a second per employee to
build and solve, too slow for 100-150 employees in 60 s. So each employee is first tried with
a single shift type (the one with the most uncovered demand whose length can meet the minutes band
within its maximum count): a model of one variable a day that CP-SAT solves in about 0.1 s. Only
when that fails is the full model used.

The objective of each employee's model is the marginal cover value against the employees already
placed (``WeightUnder`` for a head still missing, ``-WeightOver`` for one too many) plus its
request penalties: exactly the pricing problem of :mod:`.colgen` with those values as duals, so
the construction is sensible, not just feasible; the search improves it afterwards.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from types import MappingProxyType

from scheduler.roster.curtois.colgen import Pricer, Row
from scheduler.roster.curtois.reader import CurtoisInstance, Employee, ShiftType


def feasible_types(emp: Employee, shifts: tuple[ShiftType, ...]) -> list[ShiftType]:
    """Shift types that alone can fill ``emp``'s minutes band within its maximum count and may
    follow themselves."""
    found = []
    for shift in shifts:
        if not emp.may_work(shift.id) or shift.id in shift.cannot_follow:
            continue
        top = emp.max_shifts[shift.id]
        lo = -(-emp.min_total_minutes // shift.minutes)
        if lo <= top and lo * shift.minutes <= emp.max_total_minutes:
            found.append(shift)
    return found


def marginal_values(
    instance: CurtoisInstance, placed: Counter[tuple[int, str]]
) -> dict[tuple[int, str], float]:
    """Cover value of one more head per ``(day, shift)`` given the heads ``placed``."""
    values: dict[tuple[int, str], float] = {}
    for line in instance.cover:
        key = (line.day, line.shift)
        values[key] = line.weight_under if placed[key] < line.requirement else -line.weight_over
    return values


def _single_type(instance: CurtoisInstance, e: int, shift: ShiftType) -> CurtoisInstance:
    emp = instance.employees[e]
    narrow = dataclasses.replace(
        emp, max_shifts=MappingProxyType({shift.id: emp.max_shifts[shift.id]})
    )
    employees = list(instance.employees)
    employees[e] = narrow
    return dataclasses.replace(instance, employees=tuple(employees))


def construct(
    instance: CurtoisInstance, deadline: float, seed: int = 0, per_employee: float = 0.15
) -> list[Row] | None:
    """A feasible roster (``None`` if some employee gets no schedule before ``deadline``)."""
    placed: Counter[tuple[int, str]] = Counter()
    demand = Counter({(c.day, c.shift): c.requirement * c.weight_under for c in instance.cover})
    rows: list[Row] = []
    count = len(instance.employees)
    for e in range(count):
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        share = min(per_employee, left / (count - e))
        values = marginal_values(instance, placed)
        emp = instance.employees[e]
        types = feasible_types(emp, instance.shifts)
        types.sort(
            key=lambda s: (
                -sum(v for (d, t), v in demand.items() if t == s.id and d not in emp.days_off)
            )
        )
        row: Row | None = None
        for limit in (share, 4 * share):
            for shift in types[:2]:
                outcome = Pricer(_single_type(instance, e, shift), e).price(
                    values, limit, seed + e, quick=True
                )
                if outcome.columns:
                    row = min(
                        outcome.columns, key=lambda c: c.cost - _gain(values, c.shifts)
                    ).shifts
                    break
            if row is not None:
                break
        if row is None:
            full = Pricer(instance, e)
            outcome = full.price(
                values,
                max(share, deadline - time.monotonic()),
                seed + e,
                quick=True,
                first_only=True,
            )
            if not outcome.columns:
                return None
            row = min(outcome.columns, key=lambda c: c.cost - _gain(values, c.shifts)).shifts
        rows.append(row)
        for d, s in enumerate(row):
            if s is not None:
                placed[(d, s)] += 1
                key = (d, s)
                if key in demand:
                    demand[key] = max(0, demand[key] - 1)
    return rows


def _gain(values: dict[tuple[int, str], float], row: Row) -> float:
    return sum(values.get((d, s), 0.0) for d, s in enumerate(row) if s is not None)
