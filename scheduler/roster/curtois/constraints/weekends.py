"""Maximum weekends worked.

A weekend ``k`` (Saturday ``7k+5``, Sunday ``7k+6``) is worked when either day is. With a
boolean ``weekend[e,k]``::

    weekend[e,k] >= w[e,7k+5],   weekend[e,k] >= w[e,7k+6],   weekend[e,k] <= w[e,7k+5] + w[e,7k+6]
    sum_k weekend[e,k] <= MaxWeekends[e]

The upper link is not needed for correctness (the limit only pushes ``weekend`` down) but makes
``weekend`` an exact OR, which tightens the LP relaxation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from scheduler.roster.curtois.model import CurtoisModel


def add(model: CurtoisModel) -> None:
    """Add the weekend limit for every employee whose limit can bind."""
    inst = model.instance
    for e in model.employees:
        emp = inst.employees[e]
        terms: list[cp_model.LinearExprT] = []
        for k in range(inst.weekends):
            days = [model.works(e, 7 * k + 5), model.works(e, 7 * k + 6)]
            if any(day is True for day in days):
                terms.append(1)
                continue
            days = [d for d in days if not isinstance(d, bool)]
            if not days:
                continue
            if len(days) == 1:
                terms.append(days[0])
                continue
            weekend = model.cp.new_bool_var(f"weekend_{emp.id}_w{k}")
            model.cp.add_max_equality(weekend, days)
            terms.append(weekend)
        if len(terms) > emp.max_weekends:
            model.cp.add(sum(terms) <= emp.max_weekends)
