"""Workload limits: per-shift-type maxima and the band of total minutes.

For every employee ``e`` and shift type ``s`` (``m_s`` = length in minutes)::

    sum_d x[e,d,s] <= MaxShifts[e,s]
    MinTotalMinutes[e] <= sum_d sum_s m_s * x[e,d,s] <= MaxTotalMinutes[e]

A type with ``MaxShifts = 0`` has no variables at all (see :mod:`..model`), and a maximum at
least the number of days is not stated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.roster.curtois.model import CurtoisModel


def add(model: CurtoisModel) -> None:
    """Add per-type maxima and the minutes band for the model's employees."""
    inst = model.instance
    for e in model.employees:
        emp = inst.employees[e]
        minutes = []
        for shift in inst.shifts:
            lits = [model.shift(e, d, shift.id) for d in range(inst.horizon)]
            lits = [lit for lit in lits if lit is not False]
            if not lits:
                continue
            minutes.append(shift.minutes * sum(lits))
            if emp.max_shifts.get(shift.id, 0) < len(lits):
                model.cp.add(sum(lits) <= emp.max_shifts.get(shift.id, 0))
        total = sum(minutes)
        model.cp.add_linear_constraint(total, emp.min_total_minutes, emp.max_total_minutes)
